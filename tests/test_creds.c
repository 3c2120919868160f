/* test_creds: the credentials file (common/creds.h). Parsing and lookups, a table of bad files
 * with the exact first error (never holding the secret), and creds_load's permission and owner
 * checks on real files in a temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "creds.h"

#define SECRET "hunter2"

static const char good[] = "# pantau credentials: chmod 600\n"
                           "[pelabuhan]\n"
                           "username = viewer\n"
                           "password = " SECRET "\n"
                           "\n"
                           "[pasar]\n"
                           "token=abc.def.ghi\n"
                           "[gerbang-tol]\n"
                           "username=admin\n"
                           "password=\n";

static void test_parse_and_lookup(void **state)
{
    (void)state;
    char err[256] = "x";
    creds_t *c = creds_parse(good, strlen(good), "bontang.credentials", err, sizeof err);
    assert_non_null(c);
    assert_string_equal(err, "");
    assert_int_equal(creds_count(c), 3);
    assert_string_equal(creds_id_at(c, 0), "pelabuhan");
    assert_string_equal(creds_id_at(c, 1), "pasar");
    assert_string_equal(creds_id_at(c, 2), "gerbang-tol");
    assert_null(creds_id_at(c, 3));
    assert_null(creds_id_at(c, -1));
    assert_string_equal(creds_username(c, "pelabuhan"), "viewer");
    assert_string_equal(creds_password(c, "pelabuhan"), SECRET);
    assert_null(creds_token(c, "pelabuhan"));
    assert_null(creds_username(c, "pasar"));
    assert_string_equal(creds_token(c, "pasar"), "abc.def.ghi");
    assert_string_equal(creds_password(c, "gerbang-tol"), ""); /* empty is allowed */
    assert_null(creds_username(c, "nobody"));
    assert_null(creds_password(c, NULL));
    creds_destroy(&c);
    assert_null(c);
}

static void test_empty_and_invalid_args(void **state)
{
    (void)state;
    creds_t *c = creds_parse("", 0, NULL, NULL, 0);
    assert_non_null(c);
    assert_int_equal(creds_count(c), 0);
    creds_destroy(&c);
    c = creds_parse(NULL, 0, NULL, NULL, 0);
    assert_non_null(c);
    creds_destroy(&c);
    creds_destroy(&c);
    creds_destroy(NULL);
    assert_int_equal(creds_count(NULL), 0);
    assert_null(creds_id_at(NULL, 0));
    assert_null(creds_username(NULL, "a"));
    assert_null(creds_password(NULL, "a"));
    assert_null(creds_token(NULL, "a"));
    /* A tiny error buffer is still terminated; a NULL one is fine. */
    char small[8];
    assert_null(creds_parse("[A]\n", 4, "f", small, sizeof small));
    assert_true(strlen(small) < sizeof small);
    assert_null(creds_parse("[A]\n", 4, "f", NULL, 100));
    assert_null(creds_load(NULL, small, sizeof small));
}

typedef struct {
    const char *text;
    const char *want; /* the whole error text */
} creds_bad_t;

static const creds_bad_t bad[] = {
    {"[cam]\npasword=" SECRET "\n", "c.cred:2: [cam]: unknown key (did you mean 'password'?)"},
    {"[cam]\nuser=viewer\n", "c.cred:2: [cam]: unknown key (allowed: username, password, token)"},
    {"[cam]\n" SECRET "=x\n", "c.cred:2: [cam]: unknown key (allowed: username, password, token)"},
    {"[cam]\npassword=a\npassword=" SECRET "\n",
     "c.cred:3: [cam]: duplicate key 'password' (first on line 2)"},
    {"[cam]\n[cam]\n", "c.cred:2: [cam]: duplicate section (first on line 1)"},
    {"password=" SECRET "\n", "c.cred:1: key before any [section]"},
    {"[camera pelabuhan]\n", "c.cred:1: the section header must be just the id, like [pelabuhan]"},
    {"[Pelabuhan]\n",
     "c.cred:1: bad id in section header: use 1..31 characters a-z, 0-9, '_' or '-'"},
    {"[cam]\n" SECRET "\n", "c.cred:2: line is not a [section], a key=value or a # comment"},
    {"[cam]\npassword=\xFF" SECRET "\n",
     "c.cred:2: bytes that are not UTF-8 (save the file as UTF-8)"},
    {"[cam]\nusr=1\n[cam]\nx\n",
     "c.cred:2: [cam]: unknown key (allowed: username, password, token) (and 2 more problems)"},
    {"[a]\n[a]\n" SECRET "\n", /* the earliest line is reported, whatever the order found */
     "c.cred:2: [a]: duplicate section (first on line 1) (and 1 more problem)"},
};

static void test_bad_files(void **state)
{
    (void)state;
    char err[512];
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        creds_t *c = creds_parse(bad[i].text, strlen(bad[i].text), "c.cred", err, sizeof err);
        if (c != NULL)
            fail_msg("case %zu accepted", i);
        if (strcmp(err, bad[i].want) != 0)
            fail_msg("case %zu: got '%s', want '%s'", i, err, bad[i].want);
        assert_null(strstr(err, SECRET));
    }
}

/* ---- creds_load on real files ---------------------------------------------------------------- */

typedef struct {
    char dir[64];
    char path[128];
} tmp_t;

static int tmp_setup(void **state)
{
    tmp_t *t = calloc(1, sizeof *t);
    if (t == NULL)
        return -1;
    snprintf(t->dir, sizeof t->dir, "/tmp/test_creds.XXXXXX");
    if (mkdtemp(t->dir) == NULL)
        return -1;
    snprintf(t->path, sizeof t->path, "%s/cams.credentials", t->dir);
    FILE *f = fopen(t->path, "w");
    if (f == NULL)
        return -1;
    fputs(good, f);
    fclose(f);
    *state = t;
    return 0;
}

static int tmp_teardown(void **state)
{
    tmp_t *t = *state;
    char link[160];
    snprintf(link, sizeof link, "%s/link", t->dir);
    unlink(link);
    unlink(t->path);
    rmdir(t->dir);
    free(t);
    return 0;
}

static void test_load_modes(void **state)
{
    tmp_t *t = *state;
    char err[512], want[512];
    static const struct {
        mode_t mode;
        const char *verb; /* NULL: accepted */
    } modes[] = {
        {0600, NULL}, {0400, NULL}, {0644, "read"}, {0640, "read"}, {0604, "read"},
        {0620, "change"}, {0602, "change"}, {0610, "access"}, {0601, "access"}, {0666, "read"},
    };
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        assert_int_equal(chmod(t->path, modes[i].mode), 0);
        creds_t *c = creds_load(t->path, err, sizeof err);
        if (modes[i].verb == NULL) {
            assert_non_null(c);
            assert_string_equal(creds_password(c, "pelabuhan"), SECRET);
            creds_destroy(&c);
            continue;
        }
        assert_null(c);
        snprintf(want, sizeof want,
                 "%s: permissions %04o let other users %s camera passwords; run: chmod 600 %s",
                 t->path, (unsigned)modes[i].mode, modes[i].verb, t->path);
        assert_string_equal(err, want);
    }
}

static void test_load_owner(void **state)
{
    tmp_t *t = *state;
    char err[512], want[512];
    assert_int_equal(chmod(t->path, 0600), 0);
    if (geteuid() != 0) {
        skip(); /* only root can give the file away */
        return;
    }
    assert_int_equal(chown(t->path, 12345, (gid_t)-1), 0);
    assert_null(creds_load(t->path, err, sizeof err));
    snprintf(want, sizeof want,
             "%s: owned by uid 12345, not by the user running pantau (uid 0); run: chown 0 %s",
             t->path, t->path);
    assert_string_equal(err, want);
    assert_int_equal(chown(t->path, 0, (gid_t)-1), 0);
    creds_t *c = creds_load(t->path, err, sizeof err);
    assert_non_null(c);
    creds_destroy(&c);
}

static void test_load_other_files(void **state)
{
    tmp_t *t = *state;
    char err[512], path[160];
    assert_int_equal(chmod(t->path, 0600), 0);
    /* A symlink to a private file is fine: the file itself is checked. */
    snprintf(path, sizeof path, "%s/link", t->dir);
    assert_int_equal(symlink(t->path, path), 0);
    creds_t *c = creds_load(path, err, sizeof err);
    assert_non_null(c);
    creds_destroy(&c);
    /* A folder, a missing file. */
    assert_int_equal(chmod(t->dir, 0700), 0);
    assert_null(creds_load(t->dir, err, sizeof err));
    assert_non_null(strstr(err, "not a regular file"));
    snprintf(path, sizeof path, "%s/missing", t->dir);
    assert_null(creds_load(path, err, sizeof err));
    assert_non_null(strstr(err, "cannot open: No such file or directory"));
    /* Errors inside the file name it and the line. */
    FILE *f = fopen(t->path, "w");
    assert_non_null(f);
    fputs("[cam]\npasword=" SECRET "\n", f);
    fclose(f);
    assert_null(creds_load(t->path, err, sizeof err));
    char want[512];
    snprintf(want, sizeof want, "%s:2: [cam]: unknown key (did you mean 'password'?)", t->path);
    assert_string_equal(err, want);
    /* Too large to be a credentials file. */
    f = fopen(t->path, "w");
    assert_non_null(f);
    for (int i = 0; i < 120000; i++)
        fputs("# padding\n", f);
    fclose(f);
    assert_null(creds_load(t->path, err, sizeof err));
    assert_non_null(strstr(err, "larger than"));
}

/* The shipped example parses (its mode in git is 0644, so it is parsed, not loaded) and holds an
 * entry for each RTSP camera of layouts/rtsp-example.ini. */
static void test_shipped_example(void **state)
{
    (void)state;
    static char text[8192];
    FILE *f = fopen(PANTAU_SOURCE_DIR "/layouts/example.credentials", "rb");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text, f);
    fclose(f);
    char err[256];
    creds_t *c = creds_parse(text, n, "example.credentials", err, sizeof err);
    if (c == NULL)
        fail_msg("%s", err);
    static const char *const ids[] = {"pelabuhan", "simpang-tugu", "pasar"};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        assert_non_null(creds_username(c, ids[i]));
        assert_non_null(creds_password(c, ids[i]));
    }
    creds_destroy(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_and_lookup),
        cmocka_unit_test(test_empty_and_invalid_args),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_shipped_example),
        cmocka_unit_test_setup_teardown(test_load_modes, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_load_owner, tmp_setup, tmp_teardown),
        cmocka_unit_test_setup_teardown(test_load_other_files, tmp_setup, tmp_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
