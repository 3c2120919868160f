/* it_record: recording and incidents on real processes: pantau-test-camera (RTSP on loopback) ->
 * pantau-ingest --record-dir -> Matroska segments -> pantau-incident mark / export / report,
 * checked with ffprobe (duration, codec, no gap between packets) and SHA-256; retention by quota;
 * an unwritable recordings folder (a state, live video goes on); bad input (unknown camera and
 * incident, a window outside the recordings, a concurrent export, segments deleted under the
 * exporter); a disk that fills up (a tmpfs, where the test may mount one). About 60 s. */
#include <fcntl.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>

#include "harness.h"
#include "recstore.h"

#define CAM_SIZE "640x360"
#define READY_TIMEOUT_MS 10000
#define REC_TIMEOUT_MS 10000
#define RUN_TIMEOUT_MS 60000
#define GOP_S 2.0 /* the test camera's keyframe interval (2 x fps frames) */

typedef struct {
    harness_t *h;
    char *ingest, *camera, *incident;
    char url[256];
    char *rec;      /* recordings folder */
    char *argv_buf[32];
    int nbuf;
} fx_t;

static int setup(void **state)
{
    fx_t *fx = g_new0(fx_t, 1);
    fx->h = harness_new();
    fx->ingest = harness_bin("pantau-ingest");
    fx->camera = harness_bin("pantau-test-camera");
    fx->incident = harness_bin("pantau-incident");
    *state = fx;
    if (fx->h == NULL || fx->ingest == NULL || fx->camera == NULL || fx->incident == NULL)
        return -1;
    fx->rec = harness_path(fx->h, "rec");
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    harness_destroy(&fx->h);
    for (int i = 0; i < fx->nbuf; i++)
        g_free(fx->argv_buf[i]);
    g_free(fx->ingest);
    g_free(fx->camera);
    g_free(fx->incident);
    g_free(fx->rec);
    g_free(fx);
    return 0;
}

static const char *fx_printf(fx_t *fx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *fx_printf(fx_t *fx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    assert_true(fx->nbuf < 32);
    return fx->argv_buf[fx->nbuf++] = s;
}

static harness_proc_t *start_camera_on(fx_t *fx, const char *color, int port)
{
    const char *argv[] = {fx->camera, "--port", fx_printf(fx, "%d", port),
                          "--size", CAM_SIZE, color ? "--color" : NULL, color, NULL};
    harness_proc_t *p = harness_spawn(fx->h, "camera", argv, NULL);
    assert_non_null(p);
    char line[256];
    assert_true(harness_wait_line(p, "READY ", line, sizeof line, READY_TIMEOUT_MS));
    snprintf(fx->url, sizeof fx->url, "%s", line + strlen("READY "));
    return p;
}

static void start_camera(fx_t *fx, const char *color)
{
    start_camera_on(fx, color, harness_free_port());
}

/* pantau-ingest recording id into dir with segment_s; extra (quota) may be NULL. */
static harness_proc_t *start_ingest(fx_t *fx, const char *id, const char *dir, const char *quota,
                                    harness_sub_t **sub)
{
    const char *ep = fx_printf(fx, "ipc://%s/%s.sock", harness_dir(fx->h), id);
    const char *argv[] = {fx->ingest, "--id", id, "--source", fx->url, "--endpoint", ep,
                          "--width", "320", "--height", "180", "--record-dir", dir,
                          "--segment-s", "2", "--status-ms", "250", quota ? "--quota" : NULL,
                          quota, NULL};
    static const char *const env[] = {"PANTAU_LOG=debug", NULL};
    harness_proc_t *p = harness_spawn(fx->h, fx_printf(fx, "ingest-%s", id), argv, env);
    assert_non_null(p);
    *sub = harness_sub_new(ep);
    assert_non_null(*sub);
    return p;
}

static bool is_rec(const wire_status_t *st, void *ctx)
{
    return st->state == WIRE_STATE_LIVE && st->rec == *(wire_rec_t *)ctx;
}

typedef struct {
    const char *root, *cam;
    size_t want;
} seg_wait_t;

static size_t seg_count(const char *root, const char *cam, uint64_t *bytes)
{
    recstore_list_t l = {0};
    char err[256];
    assert_int_equal(recstore_scan(root, cam, &l, err, sizeof err), 0);
    size_t n = l.count;
    if (bytes != NULL) {
        *bytes = 0;
        for (size_t i = 0; i < n; i++)
            *bytes += l.items[i].bytes;
    }
    recstore_list_clear(&l);
    return n;
}

static bool enough_segments(void *ctx)
{
    seg_wait_t *w = ctx;
    return seg_count(w->root, w->cam, NULL) >= w->want;
}

typedef struct {
    const char *root, *cam;
    int64_t after_ns;
} seg_after_t;

/* Two segments started after after_ns (the first of them is then complete). */
static bool segments_after(void *ctx)
{
    seg_after_t *w = ctx;
    recstore_list_t l = {0};
    char err[256];
    size_t n = 0;
    if (recstore_scan(w->root, w->cam, &l, err, sizeof err) == 0)
        for (size_t i = 0; i < l.count; i++)
            n += l.items[i].start_ns > w->after_ns;
    recstore_list_clear(&l);
    return n >= 2;
}

/* Runs pantau-incident --recordings REC ARGS...; returns the exit status. */
static int incident(fx_t *fx, const char *name, const char *const *args, const char *const *env)
{
    const char *argv[24] = {fx->incident, "--recordings", fx->rec};
    int n = 3;
    for (; args[n - 3] != NULL; n++)
        argv[n] = args[n - 3];
    argv[n] = NULL;
    int rc = harness_run(fx->h, name, argv, env, RUN_TIMEOUT_MS);
    if (rc != 0) { /* say why in the test log: a failing export is otherwise a bare exit code */
        char *path = g_strdup_printf("%s.stderr", name), *full = harness_path(fx->h, path);
        char *text = harness_read_file(full, NULL);
        harness_note("pantau-incident %s exited %d: %s", args[0], rc, text ? text : "(no stderr)");
        g_free(text);
        g_free(full);
        g_free(path);
    }
    return rc;
}

/* Output of a command (stdout), caller g_frees. */
static char *run_out(const char *const *argv)
{
    char *out = NULL;
    int status = -1;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                      NULL, NULL, &out, NULL, &status, NULL) ||
        !g_spawn_check_wait_status(status, NULL)) {
        g_free(out);
        return NULL;
    }
    return out;
}

static char *sha256_of(const char *path)
{
    gchar *data = NULL;
    gsize len = 0;
    if (!g_file_get_contents(path, &data, &len, NULL))
        return NULL;
    char *hex = g_compute_checksum_for_data(G_CHECKSUM_SHA256, (const guchar *)data, len);
    g_free(data);
    return hex;
}

static gint cmp_double(gconstpointer a, gconstpointer b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* True if the sandbox file name contains needle. */
static bool out_has(fx_t *fx, const char *name, const char *needle)
{
    char *path = harness_path(fx->h, name);
    bool ok = harness_file_contains(path, needle);
    if (!ok) {
        char *text = harness_read_file(path, NULL);
        harness_note("%s lacks '%s': %s", name, needle, text ? text : "(unreadable)");
        g_free(text);
    }
    g_free(path);
    return ok;
}

/* Largest step between consecutive video packet times of an MP4, in seconds. */
static double max_packet_gap(const char *mp4, int *packets)
{
    const char *argv[] = {"ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "packet=pts_time", "-of", "csv=p=0", mp4, NULL};
    char *out = run_out(argv);
    assert_non_null(out);
    double prev = -1, gap = 0;
    int n = 0;
    GArray *t = g_array_new(FALSE, FALSE, sizeof(double));
    for (char *line = strtok(out, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        double v = g_ascii_strtod(line, NULL);
        g_array_append_val(t, v);
    }
    g_array_sort(t, cmp_double); /* packets come in decode order */
    for (guint i = 0; i < t->len; i++) {
        double v = g_array_index(t, double, i);
        if (prev >= 0 && v - prev > gap)
            gap = v - prev;
        prev = v;
        n++;
    }
    g_array_free(t, TRUE);
    g_free(out);
    *packets = n;
    return gap;
}

/* mark -> export -> clip (codec, duration, continuity), snapshot, hashes, report; then bad input. */
static void test_mark_export_report(void **state)
{
    fx_t *fx = *state;
    start_camera(fx, "0x00ff00");
    harness_sub_t *sub = NULL;
    start_ingest(fx, "gate", fx->rec, NULL, &sub);
    wire_rec_t want = WIRE_REC_RECORDING;
    wire_status_t st;
    assert_true(harness_sub_wait_status(sub, is_rec, &want, REC_TIMEOUT_MS, &st));
    seg_wait_t w = {fx->rec, "gate", 4};
    assert_true(harness_wait_until(enough_segments, &w, 20000));

    /* Bad input first: unknown camera (exit 2, names the known ones). */
    const char *bad[] = {"mark", "--camera", "nosuch", NULL};
    assert_int_equal(incident(fx, "mark-bad", bad, NULL), 2);
    assert_true(out_has(fx, "mark-bad.stderr", "unknown camera 'nosuch' (known: gate)"));
    const char *badtime[] = {"mark", "--camera", "gate", "--at", "yesterday-ish", NULL};
    assert_int_equal(incident(fx, "mark-badtime", badtime, NULL), 2);

    const char *mark[] = {"mark", "--camera", "gate", "--note", "Truk <mogok> & macet",
                          "--at", "-3s", "--by", "operator1", NULL};
    assert_int_equal(incident(fx, "mark", mark, NULL), 0);
    assert_true(out_has(fx, "mark.stdout", "incident 1 marked"));

    uint64_t t0 = harness_now_ms();
    const char *exp[] = {"export", "1", "--pre", "4", "--post", "2", NULL};
    assert_int_equal(incident(fx, "export", exp, NULL), 0);
    harness_note("export of a 6 s window (waiting for the post-roll included): %llu ms",
                 (unsigned long long)(harness_now_ms() - t0));

    char *dir = g_strdup_printf("%s/exports/incident-1", fx->rec);
    char *mp4 = g_strdup_printf("%s/gate.mp4", dir), *png = g_strdup_printf("%s/gate.png", dir);
    const char *probe[] = {"ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                           "stream=codec_name:format=duration,format_name", "-of",
                           "default=nw=1", mp4, NULL};
    char *info = run_out(probe);
    assert_non_null(info);
    harness_note("clip: %s", g_strdelimit(info, "\n", ' '));
    assert_non_null(strstr(info, "codec_name=h264"));
    assert_non_null(strstr(info, "mp4"));
    double dur = g_ascii_strtod(strstr(info, "duration=") + 9, NULL);
    assert_true(dur >= 5.0 && dur <= 6.0 + GOP_S + 0.5);
    int packets = 0;
    double gap = max_packet_gap(mp4, &packets);
    harness_note("clip %.2f s, %d packets, largest step between packets %.3f s", dur, packets, gap);
    assert_true(packets >= 100);
    assert_true(gap < 0.25);

    /* Snapshot at the mark: the camera's green. */
    double rgb[3];
    assert_true(harness_png_mean_rgb(png, 0, 0, 640, 360, rgb));
    assert_true(rgb[1] > 200 && rgb[0] < 60 && rgb[2] < 60);

    /* Hashes: SHA256SUMS, the report and the files agree. */
    char *h_mp4 = sha256_of(mp4), *h_png = sha256_of(png);
    char *sums = g_strdup_printf("%s/SHA256SUMS", dir);
    assert_true(harness_file_contains(sums, h_mp4));
    assert_true(harness_file_contains(sums, h_png));
    const char *rep[] = {"report", NULL};
    assert_int_equal(incident(fx, "report", rep, NULL), 0);
    char *html = g_strdup_printf("%s/exports/report.html", fx->rec);
    assert_true(harness_file_contains(html, h_mp4));
    assert_true(harness_file_contains(html, "Truk &lt;mogok&gt; &amp; macet"));
    assert_true(harness_file_contains(html, "data:image/png;base64,"));
    assert_true(harness_file_contains(html, "href=\"incident-1/gate.mp4\""));

    /* The report in a real browser, when Debian's chromium is installed (not in CI: a 300 MB
     * package; docs/incidents.md has the manual check): the embedded snapshot is drawn. */
    char *chromium = g_find_program_in_path("chromium");
    if (chromium != NULL) {
        char *shot = harness_path(fx->h, "report.png");
        char *arg_shot = g_strdup_printf("--screenshot=%s", shot);
        char *url = g_strdup_printf("file://%s", html);
        const char *cargv[] = {chromium, "--headless", "--no-sandbox", "--disable-gpu",
                               arg_shot, "--window-size=1100,700", url, NULL};
        assert_int_equal(harness_run(fx->h, "chromium", cargv, NULL, RUN_TIMEOUT_MS), 0);
        double shot_rgb[3];
        assert_true(harness_png_mean_rgb(shot, 80, 280, 340, 150, shot_rgb));
        harness_note("report in chromium: snapshot area mean RGB %.0f,%.0f,%.0f", shot_rgb[0],
                     shot_rgb[1], shot_rgb[2]);
        assert_true(shot_rgb[1] > 180 && shot_rgb[1] > 2 * shot_rgb[0] && shot_rgb[2] < 80);
        g_free(url);
        g_free(arg_shot);
        g_free(shot);
        g_free(chromium);
    } else {
        harness_note("chromium not installed: report not rendered (see docs/incidents.md)");
    }

    /* Outside the retained window: says what is still available. */
    const char *old[] = {"mark", "--camera", "gate", "--at", "-2h", NULL};
    assert_int_equal(incident(fx, "mark-old", old, NULL), 0);
    const char *exp_old[] = {"export", "2", "--no-wait", NULL};
    assert_int_equal(incident(fx, "export-old", exp_old, NULL), 1);
    assert_true(out_has(fx, "export-old.stderr", "gate: nothing recorded between"));
    assert_true(out_has(fx, "export-old.stderr", "recordings of gate cover"));
    /* Unknown incident. */
    const char *exp_none[] = {"export", "99", NULL};
    assert_int_equal(incident(fx, "export-none", exp_none, NULL), 2);
    assert_true(out_has(fx, "export-none.stderr", "there is no incident 99"));

    /* Concurrent export: while another export holds incident 1, a second one fails at once and
     * the first one's files stay as they were. */
    char *lock = g_strdup_printf("%s/.lock", dir);
    int fd = open(lock, O_RDWR);
    assert_true(fd >= 0);
    assert_int_equal(flock(fd, LOCK_EX | LOCK_NB), 0);
    assert_int_equal(incident(fx, "export-busy", exp, NULL), 1);
    assert_true(out_has(fx, "export-busy.stderr", "is being exported by another pantau-incident"));
    close(fd);
    char *again = sha256_of(mp4);
    assert_string_equal(again, h_mp4);

    /* Segments deleted under the exporter (retention at the worst moment): the export works on
     * its staged links, so it still succeeds; the originals are gone. */
    char *script = g_strdup_printf("#!/bin/sh\nrm -f '%s'/gate/*.mkv\nexec ffmpeg \"$@\"\n",
                                   fx->rec);
    char *wrapper = harness_write_file(fx->h, "ffmpeg-deleting", script, 0700);
    g_free(script);
    assert_non_null(wrapper);
    const char *env[] = {g_strdup_printf("PANTAU_FFMPEG=%s", wrapper), NULL};
    const char *exp3[] = {"export", "1", "--pre", "4", "--post", "0", "--no-wait", NULL};
    assert_int_equal(incident(fx, "export-deleted", exp3, env), 0);
    assert_true(g_file_test(mp4, G_FILE_TEST_EXISTS));
    harness_note("export with every segment deleted under it: ok (staged links)");

    g_free((char *)env[0]);
    g_free(wrapper);
    g_free(again);
    g_free(lock);
    g_free(html);
    g_free(sums);
    g_free(h_mp4);
    g_free(h_png);
    g_free(info);
    g_free(mp4);
    g_free(png);
    g_free(dir);
    harness_sub_destroy(&sub);
}

/* A per-camera quota: the oldest segments go, the folder stays under quota + one segment. */
static void test_quota(void **state)
{
    fx_t *fx = *state;
    start_camera(fx, NULL);
    harness_sub_t *sub = NULL;
    const uint64_t quota = 120 * 1024;
    start_ingest(fx, "pasar", fx->rec, "120K", &sub);
    seg_wait_t w = {fx->rec, "pasar", 2};
    assert_true(harness_wait_until(enough_segments, &w, 15000));
    recstore_list_t l = {0};
    char err[256];
    assert_int_equal(recstore_scan(fx->rec, "pasar", &l, err, sizeof err), 0);
    char first[RECSTORE_PATH_MAX];
    snprintf(first, sizeof first, "%s", l.items[0].path);
    recstore_list_clear(&l);
    g_usleep(16 * G_USEC_PER_SEC);
    uint64_t bytes = 0;
    size_t n = seg_count(fx->rec, "pasar", &bytes);
    harness_note("after 16 s more with a %llu byte quota: %zu segments, %llu bytes", 
                 (unsigned long long)quota, n, (unsigned long long)bytes);
    assert_false(g_file_test(first, G_FILE_TEST_EXISTS)); /* the oldest went first */
    assert_true(bytes <= quota + 80 * 1024); /* + the newest, still being written */
    wire_rec_t want = WIRE_REC_RECORDING;
    assert_true(harness_sub_wait_status(sub, is_rec, &want, REC_TIMEOUT_MS, NULL));
    harness_sub_destroy(&sub);
}

/* A recordings folder that cannot be created: UNWRITABLE in the status, live video goes on. */
static void test_unwritable(void **state)
{
    fx_t *fx = *state;
    start_camera(fx, NULL);
    char *file = harness_write_file(fx->h, "plainfile", "not a folder", 0600);
    char *dir = g_strdup_printf("%s/rec", file);
    harness_sub_t *sub = NULL;
    harness_proc_t *p = start_ingest(fx, "port", dir, NULL, &sub);
    wire_rec_t want = WIRE_REC_UNWRITABLE;
    assert_true(harness_sub_wait_status(sub, is_rec, &want, REC_TIMEOUT_MS, NULL));
    harness_msg_t m = {0};
    for (int i = 0; i < 25; i++) { /* a second of frames, still coming */
        assert_true(harness_sub_wait_frame(sub, 2000, &m));
        harness_msg_clear(&m);
    }
    assert_true(harness_running(p));
    assert_true(harness_file_contains(harness_proc_stderr(p), "recording stopped: cannot write"));
    harness_sub_destroy(&sub);
    g_free(dir);
    g_free(file);
}

/* A camera that goes away for a while: the recording restarts with it, and an export across the
 * outage says where the hole is (the last segment before it is stamped with its last frame). */
static void test_outage(void **state)
{
    fx_t *fx = *state;
    int port = harness_free_port();
    harness_proc_t *cam = start_camera_on(fx, NULL, port);
    harness_sub_t *sub = NULL;
    start_ingest(fx, "quay", fx->rec, NULL, &sub);
    seg_wait_t w = {fx->rec, "quay", 2};
    assert_true(harness_wait_until(enough_segments, &w, 15000));
    harness_signal(cam, SIGTERM);
    assert_true(harness_wait_exit(cam, 5000, NULL));
    g_usleep(5 * G_USEC_PER_SEC);
    seg_after_t back = {fx->rec, "quay", (int64_t)wire_now_ns()};
    start_camera_on(fx, NULL, port);
    assert_true(harness_wait_until(segments_after, &back, 25000));
    const char *mark[] = {"mark", "--camera", "quay", "--at", "now", NULL};
    assert_int_equal(incident(fx, "mark", mark, NULL), 0);
    const char *exp[] = {"export", "1", "--pre", "40", "--post", "0", "--no-wait", NULL};
    assert_int_equal(incident(fx, "export", exp, NULL), 0);
    char *out = harness_path(fx->h, "export.stdout");
    char *text = harness_read_file(out, NULL);
    assert_non_null(text);
    char *hole = strstr(text, "no recording from ");
    harness_note("export across the outage: %s", hole ? hole : text);
    assert_non_null(hole);
    double secs = g_ascii_strtod(strstr(hole, "Z (") + 3, NULL);
    assert_true(secs >= 4.0 && secs < 30.0); /* 5 s down + reconnect backoff */
    g_free(text);
    g_free(out);
    harness_sub_destroy(&sub);
}

/* Teardown for test_disk_full: unmounts the tmpfs before the sandbox is removed. */
static int teardown_mount(void **state)
{
    fx_t *fx = *state;
    char *mnt = harness_path(fx->h, "small");
    const char *argv[] = {"/bin/umount", "-l", mnt, NULL};
    harness_run(fx->h, "umount", argv, NULL, RUN_TIMEOUT_MS);
    g_free(mnt);
    return teardown(state);
}

/* A disk that fills up while recording (a 70 MiB tmpfs, when this test may mount one): DISK-FULL
 * in the status while frames keep coming, and recording again once space is freed. */
static void test_disk_full(void **state)
{
    fx_t *fx = *state;
    char *mnt = harness_path(fx->h, "small");
    g_mkdir_with_parents(mnt, 0700);
    const char *margv[] = {"/bin/mount", "-t", "tmpfs", "-o", "size=70m", "tmpfs", mnt, NULL};
    if (harness_run(fx->h, "mount", margv, NULL, RUN_TIMEOUT_MS) != 0) {
        harness_note("cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN): skipped");
        g_free(mnt);
        skip();
    }
    start_camera(fx, NULL);
    harness_sub_t *sub = NULL;
    harness_proc_t *p = start_ingest(fx, "dock", mnt, NULL, &sub);
    wire_rec_t want = WIRE_REC_RECORDING;
    assert_true(harness_sub_wait_status(sub, is_rec, &want, REC_TIMEOUT_MS, NULL));
    char *filler = g_strdup_printf("%s/filler", mnt);
    char *of = g_strdup_printf("of=%s", filler);
    const char *dd[] = {"/bin/dd", "if=/dev/zero", of, "bs=1M", "count=100", NULL};
    harness_run(fx->h, "dd", dd, NULL, RUN_TIMEOUT_MS); /* fails when the disk is full: wanted */
    want = WIRE_REC_DISK_FULL;
    assert_true(harness_sub_wait_status(sub, is_rec, &want, REC_TIMEOUT_MS, NULL));
    harness_msg_t m = {0};
    for (int i = 0; i < 25; i++) { /* live video goes on */
        assert_true(harness_sub_wait_frame(sub, 2000, &m));
        harness_msg_clear(&m);
    }
    assert_int_equal(unlink(filler), 0);
    want = WIRE_REC_RECORDING; /* retried every 10 s */
    assert_true(harness_sub_wait_status(sub, is_rec, &want, 25000, NULL));
    assert_true(harness_running(p));
    harness_signal(p, SIGTERM);
    assert_true(harness_wait_exit(p, 5000, NULL));
    harness_sub_destroy(&sub);
    g_free(of);
    g_free(filler);
    g_free(mnt);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_mark_export_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_quota, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwritable, setup, teardown),
        cmocka_unit_test_setup_teardown(test_outage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disk_full, setup, teardown_mount),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
