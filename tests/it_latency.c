/* Integration tests of latency measurement and decoder choice on real parts: RTSP test cameras on
 * loopback whose RTCP sender reports carry their wall clock (one right, one 300 ms ahead, one 5 s
 * ahead: pantau-test-camera --clock-offset-ms) -> pantau-ingest workers started by the wall ->
 * ZeroMQ -> pantau-wall --headless -> its status file and pantauctl status.
 *
 * What is asserted is what must hold whatever the machine's load (no timed assertions):
 *   - a camera with a right clock is timed by its RTCP clock; its camera-to-screen latency
 *     (which includes encoding, network and jitter buffer) exceeds the added latency (decoder
 *     output -> presented), both measured;
 *   - a camera a little ahead gives impossible (negative) latencies: counted as clock skew, kept
 *     out of p50/p99;
 *   - a camera far ahead is not believed: the worker times its frames by receive time and reports
 *     the offset, and the wall sees no skew;
 *   - decoder=auto on this host picks avdec_h264 and says why; decoder=software is honoured; a
 *     decoder that is not installed fails that camera with a message naming it;
 *   - the jitter buffer the layout sets reaches rtspsrc and the status; pantau-ingest refuses a
 *     malformed --decoder (exit 2, the option named). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "harness.h"

#define READY_TIMEOUT_MS 5000
#define MEASURE_TIMEOUT_MS 30000
#define CTL_TIMEOUT_MS 5000
#define FAULT_TIMEOUT_MS 15000
#define MIN_SAMPLES 50 /* frames presented with a camera-clock capture time before asserting */
#define CAM_SIZE "320x180"

typedef struct {
    harness_t *h;
    char *camera_bin, *wall_bin, *ctl_bin;
    char *status, *ctl;
} fx_t;

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    fx->h = harness_new();
    fx->camera_bin = harness_bin("pantau-test-camera");
    fx->wall_bin = harness_bin("pantau-wall");
    fx->ctl_bin = harness_bin("pantauctl");
    if (fx->h == NULL || fx->camera_bin == NULL || fx->wall_bin == NULL || fx->ctl_bin == NULL)
        return -1;
    fx->status = harness_path(fx->h, "wall.status");
    fx->ctl = g_strdup_printf("ipc://%s/wall.ctl", harness_dir(fx->h));
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    harness_destroy(&fx->h);
    g_free(fx->camera_bin);
    g_free(fx->wall_bin);
    g_free(fx->ctl_bin);
    g_free(fx->status);
    g_free(fx->ctl);
    free(fx);
    return 0;
}

/* Starts a camera (offset_ms NULL: its clock is right); copies its URI into uri. */
static void start_camera(fx_t *fx, const char *name, const char *offset_ms, char *uri, size_t cap)
{
    const char *argv[] = {fx->camera_bin, "--port", "0",  "--size",
                          CAM_SIZE,       "--fps",  "25", offset_ms ? "--clock-offset-ms" : NULL,
                          offset_ms,      NULL};
    harness_proc_t *p = harness_spawn(fx->h, name, argv, NULL);
    assert_non_null(p);
    char line[256];
    assert_true(harness_wait_line(p, "READY ", line, sizeof line, READY_TIMEOUT_MS));
    snprintf(uri, cap, "%s", line + strlen("READY "));
}

static void start_wall(fx_t *fx, const char *body)
{
    char *text = g_strdup_printf("[wall]\ncanvas=640x360\ngrid=2x2\nfps=25\nendpoint_dir=%s\n"
                                 "control=%s\n%s",
                                 harness_dir(fx->h), fx->ctl, body);
    char *layout = harness_write_file(fx->h, "wall.ini", text, 0644);
    g_free(text);
    assert_non_null(layout);
    const char *argv[] = {fx->wall_bin, "--headless", "--status-file", fx->status, layout, NULL};
    assert_non_null(harness_spawn(fx->h, "wall", argv, NULL));
    g_free(layout);
}

/* Value of key on camera id's status line, quotes removed ("" if absent); false if no line. */
static bool field(fx_t *fx, const char *id, const char *key, char *out, size_t cap)
{
    return harness_status_field(fx->status, id, key, out, cap);
}

static long field_long(fx_t *fx, const char *id, const char *key)
{
    char v[64];
    return field(fx, id, key, v, sizeof v) ? strtol(v, NULL, 10) : -1;
}

typedef struct {
    fx_t *fx;
    const char *id, *key;
    long at_least;    /* numeric: value >= at_least */
    const char *want; /* or text: value contains want */
} wait_t;

static bool field_ok(void *ctx)
{
    const wait_t *w = ctx;
    char v[256];
    if (!field(w->fx, w->id, w->key, v, sizeof v))
        return false;
    return w->want != NULL ? strstr(v, w->want) != NULL : strtol(v, NULL, 10) >= w->at_least;
}

static void wait_field(fx_t *fx, const char *id, const char *key, long at_least, const char *want)
{
    wait_t w = {fx, id, key, at_least, want};
    if (!harness_wait_until(field_ok, &w, MEASURE_TIMEOUT_MS)) {
        char v[256];
        field(fx, id, key, v, sizeof v);
        fail_msg("camera %s: %s is '%s', waited for %s%ld", id, key, v,
                 want ? want : ">= ", want ? 0L : at_least);
    }
}

/* pantauctl status, stdout and stderr together (caller g_frees). */
static char *ctl_status(fx_t *fx)
{
    const char *argv[] = {fx->ctl_bin, "--socket", fx->ctl, "status", NULL};
    assert_int_equal(harness_run(fx->h, "ctl", argv, NULL, CTL_TIMEOUT_MS), 0);
    char *o = harness_path(fx->h, "ctl.stdout");
    char *text = harness_read_file(o, NULL);
    g_free(o);
    assert_non_null(text);
    return text;
}

/* ---- tests -------------------------------------------------------------------------------------
 */

static void test_camera_clock_and_skew(void **state)
{
    fx_t *fx = *state;
    char good[256], ahead[256], far[256];
    start_camera(fx, "cam-good", NULL, good, sizeof good);
    start_camera(fx, "cam-ahead", "300", ahead, sizeof ahead);
    start_camera(fx, "cam-far", "5000", far, sizeof far);
    char *body = g_strdup_printf("[camera good]\nsource=%s\ntile=0,0\n"
                                 "[camera ahead]\nsource=%s\ntile=1,0\n"
                                 "[camera far]\nsource=%s\ntile=0,1\n",
                                 good, ahead, far);
    start_wall(fx, body);
    g_free(body);

    /* The right clock: camera RTCP time, the jitter buffer inside the camera-to-screen latency. */
    wait_field(fx, "good", "capture_clock", 0, "camera-rtcp");
    wait_field(fx, "good", "latency_samples", MIN_SAMPLES, NULL);
    wait_field(fx, "ahead", "clock_skew", MIN_SAMPLES, NULL);
    wait_field(fx, "far", "capture_clock", 0, "receive-time");
    wait_field(fx, "far", "latency_samples", MIN_SAMPLES, NULL);

    long jitbuf = field_long(fx, "good", "jitbuf_ms");
    long p50 = field_long(fx, "good", "latency_p50_ms"),
         p99 = field_long(fx, "good", "latency_p99_ms");
    long a50 = field_long(fx, "good", "added_p50_ms"), a99 = field_long(fx, "good", "added_p99_ms");
    harness_note("good: camera-to-screen p50 %ld p99 %ld ms, added p50 %ld p99 %ld ms, jitter "
                 "buffer %ld ms",
                 p50, p99, a50, a99, jitbuf);
    assert_int_equal(jitbuf, 80); /* the default */
    assert_true(p99 >= p50 && p99 < 10000);
    assert_true(field_long(fx, "good", "added_samples") > 0);
    /* Capture is before decoding, and between them lie encoding, the network and the jitter
     * buffer: camera-to-screen is the larger one. */
    assert_true(a50 < p50);
    assert_int_equal(field_long(fx, "good", "clock_skew"), 0);

    /* 300 ms ahead: believed by the worker (within 1 s), impossible on the wall: skew. */
    char v[256];
    assert_true(field(fx, "ahead", "capture_clock", v, sizeof v));
    assert_string_equal(v, "camera-rtcp");
    long skew = field_long(fx, "ahead", "clock_skew");
    long taken = field_long(fx, "ahead", "latency_samples");
    harness_note("ahead: %ld samples refused as clock skew (last %ld ms), %ld taken", skew,
                 field_long(fx, "ahead", "last_skew_ms"), taken);
    assert_true(field_long(fx, "ahead", "last_skew_ms") < 0);
    assert_true(taken < skew); /* only frames before the first sender report can be taken */

    /* 5 s ahead: not believed; receive time, the offset reported, no skew on the wall. */
    long off = field_long(fx, "far", "clock_offset_ms");
    harness_note("far: capture clock receive time, camera clock offset %ld ms, p99 %ld ms", off,
                 field_long(fx, "far", "latency_p99_ms"));
    assert_true(off > 4000 && off < 6000);
    assert_int_equal(field_long(fx, "far", "clock_skew"), 0);

    /* The decoder and why. */
    assert_true(field(fx, "good", "decoder", v, sizeof v));
    assert_string_equal(v, "avdec_h264");
    assert_true(field(fx, "good", "decoder_why", v, sizeof v));
    if (strcmp(v, "no hardware decoder found") != 0)
        harness_note("this host has a hardware decoder? decoder_why='%s'", v);

    /* pantauctl status says the same in words. */
    char *table = ctl_status(fx);
    harness_note("pantauctl status:\n%s", table);
    assert_non_null(strstr(table, "ADDED_P99"));
    assert_non_null(strstr(table, "camera RTCP"));
    assert_non_null(strstr(table, "receive time"));
    assert_non_null(strstr(table, "[camera clock off by +"));
    assert_non_null(strstr(table, "[clock skew: "));
    assert_non_null(strstr(table, "decoder: avdec_h264 ("));
    g_free(table);
}

static void test_decoder_and_jitter_buffer_settings(void **state)
{
    fx_t *fx = *state;
    char uri[256];
    start_camera(fx, "cam", NULL, uri, sizeof uri);
    char *body = g_strdup_printf("[camera soft]\nsource=%s\ntile=0,0\ndecoder=software\n"
                                 "latency_ms=150\n"
                                 "[camera missing]\nsource=%s\ntile=1,0\ndecoder=pantaunodec\n",
                                 uri, uri);
    start_wall(fx, body);
    g_free(body);
    wait_field(fx, "soft", "state", 0, "live");
    wait_field(fx, "soft", "decoder_why", 0, "decoder=software");
    assert_int_equal(field_long(fx, "soft", "jitbuf_ms"), 150);
    char v[256];
    assert_true(field(fx, "soft", "decoder", v, sizeof v));
    assert_string_equal(v, "avdec_h264");
    /* The missing decoder is named in the tile's error; the other camera is unaffected. */
    wait_field(fx, "missing", "error", 0, "decoder 'pantaunodec' is not installed");
    assert_true(field(fx, "missing", "state", v, sizeof v));
    harness_note("missing decoder: state %s", v);
    assert_string_not_equal(v, "live");
    assert_true(field(fx, "soft", "state", v, sizeof v));
    assert_string_equal(v, "live");

    /* pantau-ingest refuses a malformed --decoder before starting anything. */
    char *ingest = harness_bin("pantau-ingest");
    assert_non_null(ingest);
    const char *argv[] = {ingest,
                          "--id",
                          "x",
                          "--source",
                          "test",
                          "--endpoint",
                          "ipc:///tmp/pantau-it-unused.sock",
                          "--width",
                          "64",
                          "--height",
                          "64",
                          "--decoder",
                          "NV H264",
                          NULL};
    assert_int_equal(harness_run(fx->h, "bad-decoder", argv, NULL, CTL_TIMEOUT_MS), 2);
    char *err = harness_path(fx->h, "bad-decoder.stderr");
    assert_true(harness_file_contains(err, "--decoder: 'NV H264' is not auto, software or a"));
    g_free(err);
    g_free(ingest);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_camera_clock_and_skew, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decoder_and_jitter_buffer_settings, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
