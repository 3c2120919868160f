/* test_recstore: segment names, duration/size parsing and retention (common/recstore.h) on real
 * files in a temporary folder: age, per-camera quota, total quota across cameras, the newest
 * segment kept, foreign files untouched, bad input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>

#include "recstore.h"

#define NS 1000000000ll
#define T0 (1795000000ll * NS) /* 2026-11-18 */

static void test_names(void **state)
{
    (void)state;
    char name[RECSTORE_NAME_MAX];
    int64_t t;
    assert_int_equal(recstore_segment_name("cam1", T0 + 123000000, name, sizeof name), 0);
    assert_string_equal(name, "cam1_20261118T110640.123Z.mkv");
    assert_true(recstore_parse_name("cam1", name, &t));
    assert_int_equal(t, T0 + 123000000);
    /* Another camera's name, foreign files, broken dates. */
    static const char *const bad[] = {
        "cam12_20261118T110640.123Z.mkv", "cam1_20261118T110640.123Z.mp4",
        "cam1_20261318T110640.123Z.mkv", "cam1_2026111T110640.123Z.mkv",
        "cam1_20261118T110640.123Z.mkv.part", "cam1_", "", "notes.txt",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (recstore_parse_name("cam1", bad[i], &t))
            fail_msg("accepted '%s'", bad[i]);
    assert_int_equal(recstore_segment_name("", T0, name, sizeof name), -1);
    assert_int_equal(recstore_segment_name("cam1", T0, name, 8), -1);
    assert_int_equal(recstore_segment_name("cam1", -1, name, sizeof name), -1);
}

static void test_parse_units(void **state)
{
    (void)state;
    char err[160];
    int64_t ns;
    uint64_t b;
    assert_int_equal(recstore_parse_duration("90s", &ns, err, sizeof err), 0);
    assert_int_equal(ns, 90 * NS);
    assert_int_equal(recstore_parse_duration("7d", &ns, err, sizeof err), 0);
    assert_int_equal(ns, 7 * 86400 * NS);
    assert_int_equal(recstore_parse_duration("12", &ns, err, sizeof err), 0);
    assert_int_equal(ns, 12 * NS);
    assert_int_equal(recstore_parse_duration("0", &ns, err, sizeof err), 0);
    assert_int_equal(ns, 0);
    static const char *const bad_d[] = {"", "d", "7x", "-1d", "1.5h", "7dd", "9999d", " 7d"};
    for (size_t i = 0; i < sizeof bad_d / sizeof bad_d[0]; i++) {
        err[0] = '\0';
        if (recstore_parse_duration(bad_d[i], &ns, err, sizeof err) == 0)
            fail_msg("duration '%s' accepted", bad_d[i]);
        assert_non_null(strstr(err, "not a duration"));
    }
    assert_int_equal(recstore_parse_size("500M", &b, err, sizeof err), 0);
    assert_int_equal(b, 500ull << 20);
    assert_int_equal(recstore_parse_size("2G", &b, err, sizeof err), 0);
    assert_int_equal(b, 2ull << 30);
    assert_int_equal(recstore_parse_size("1T", &b, err, sizeof err), 0);
    assert_int_equal(b, 1ull << 40);
    assert_int_equal(recstore_parse_size("4096", &b, err, sizeof err), 0);
    assert_int_equal(b, 4096);
    static const char *const bad_s[] = {"", "G", "5g", "5GB", "-5M", "99999999999999999999T"};
    for (size_t i = 0; i < sizeof bad_s / sizeof bad_s[0]; i++)
        if (recstore_parse_size(bad_s[i], &b, err, sizeof err) == 0)
            fail_msg("size '%s' accepted", bad_s[i]);
}

/* Writes ROOT/CAM/<name for start> of size bytes, modified at end. */
static void make_seg(const char *root, const char *cam, int64_t start, int64_t end, size_t size)
{
    char dir[1024], name[RECSTORE_NAME_MAX], path[2048];
    snprintf(dir, sizeof dir, "%s/%s", root, cam);
    g_mkdir_with_parents(dir, 0700);
    assert_int_equal(recstore_segment_name(cam, start, name, sizeof name), 0);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    for (size_t i = 0; i < size; i++)
        fputc('x', f);
    fclose(f);
    struct timeval tv[2] = {{(time_t)(end / NS), 0}, {(time_t)(end / NS), 0}};
    assert_int_equal(utimes(path, tv), 0);
}

static size_t count(const char *root, const char *cam, uint64_t *bytes)
{
    recstore_list_t l = {0};
    char err[256];
    assert_int_equal(recstore_scan(root, cam, &l, err, sizeof err), 0);
    size_t n = l.count;
    *bytes = 0;
    for (size_t i = 0; i < n; i++)
        *bytes += l.items[i].bytes;
    /* Sorted, oldest first. */
    for (size_t i = 1; i < n; i++)
        assert_true(l.items[i - 1].start_ns <= l.items[i].start_ns);
    recstore_list_clear(&l);
    return n;
}

static int setup(void **state)
{
    char *dir = g_dir_make_tmp("pantau-recstore-XXXXXX", NULL);
    *state = dir;
    return dir != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", (char *)*state);
    if (system(cmd) != 0)
        return -1;
    g_free(*state);
    return 0;
}

static void test_prune_age_and_quota(void **state)
{
    const char *root = *state;
    char err[256];
    uint64_t bytes;
    for (int i = 0; i < 10; i++) /* 10 segments of 10 s, 1000 bytes each */
        make_seg(root, "a", T0 + i * 10 * NS, T0 + (i + 1) * 10 * NS, 1000);
    /* A foreign file is never touched. */
    char foreign[1100];
    snprintf(foreign, sizeof foreign, "%s/a/notes.txt", root);
    g_file_set_contents(foreign, "keep", -1, NULL);

    recstore_prune_t res;
    recstore_limits_t age = {.max_age_ns = 35 * NS};
    int64_t now = T0 + 100 * NS;
    assert_int_equal(recstore_prune(root, "a", &age, now, &res, err, sizeof err), 0);
    /* ends 10..100 s; older than 35 s at now=100: ends 10..60 -> 6 removed. */
    assert_int_equal(res.removed, 6);
    assert_int_equal(count(root, "a", &bytes), 4);
    assert_int_equal(res.camera_bytes, 4000);

    recstore_limits_t quota = {.quota_bytes = 2500};
    assert_int_equal(recstore_prune(root, "a", &quota, now, &res, err, sizeof err), 0);
    assert_int_equal(res.removed, 2);
    assert_int_equal(count(root, "a", &bytes), 2);
    assert_true(bytes <= 2500);

    /* Quota below one segment: the newest (being written) stays. */
    recstore_limits_t tiny = {.quota_bytes = 1};
    assert_int_equal(recstore_prune(root, "a", &tiny, now, &res, err, sizeof err), 0);
    assert_int_equal(count(root, "a", &bytes), 1);
    assert_true(g_file_test(foreign, G_FILE_TEST_EXISTS));
}

static void test_prune_total(void **state)
{
    const char *root = *state;
    char err[256];
    uint64_t bytes;
    for (int i = 0; i < 5; i++) {
        make_seg(root, "a", T0 + i * 10 * NS, T0 + (i + 1) * 10 * NS, 1000);
        make_seg(root, "b", T0 + i * 10 * NS + 5 * NS, T0 + (i + 1) * 10 * NS + 5 * NS, 1000);
    }
    recstore_prune_t res;
    recstore_limits_t total = {.total_bytes = 6000};
    assert_int_equal(recstore_prune(root, "a", &total, T0 + 60 * NS, &res, err, sizeof err), 0);
    assert_int_equal(res.removed, 4);
    assert_int_equal(res.total_bytes, 6000);
    /* Oldest of either camera first: a0 b0 a1 b1 went. */
    assert_int_equal(count(root, "a", &bytes), 3);
    assert_int_equal(count(root, "b", &bytes), 3);
    recstore_list_t all = {0};
    assert_int_equal(recstore_scan(root, NULL, &all, err, sizeof err), 0);
    assert_int_equal(all.count, 6);
    assert_true(all.items[0].start_ns == T0 + 20 * NS);
    recstore_list_clear(&all);
}

static void test_bad_input(void **state)
{
    const char *root = *state;
    char err[256] = "";
    recstore_list_t l = {0};
    recstore_prune_t res;
    recstore_limits_t none = {0};
    /* A missing folder is empty, not an error. */
    assert_int_equal(recstore_scan("/nonexistent/pantau", NULL, &l, err, sizeof err), 0);
    assert_int_equal(l.count, 0);
    assert_int_equal(recstore_scan(NULL, NULL, &l, err, sizeof err), -1);
    assert_int_equal(recstore_prune(root, NULL, &none, 0, &res, err, sizeof err), -1);
    assert_int_equal(recstore_prune(root, "a", NULL, 0, &res, err, sizeof err), -1);
    /* A file where the root folder should be. */
    char file[1100];
    snprintf(file, sizeof file, "%s/plain", root);
    g_file_set_contents(file, "x", -1, NULL);
    assert_int_equal(recstore_scan(file, NULL, &l, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot read"));
    char t[40];
    recstore_format_time(T0, t, sizeof t);
    assert_string_equal(t, "2026-11-18T11:06:40.000Z");
    recstore_format_time(-5, t, sizeof t);
    assert_string_equal(t, "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_parse_units),
        cmocka_unit_test_setup_teardown(test_prune_age_and_quota, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prune_total, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
