/* it_ingest: pantau-ingest end to end, on real processes on loopback: pantau-test-camera (RTSP on
 * gst-rtsp-server) -> pantau-ingest -> a ZeroMQ SUB in this test. Covers frames (size, colour,
 * sequence, capture time, letterbox), status (live, fps, kbps, source size), the test source,
 * camera loss and return (measured), FREEZE -> STALLED (measured), a camera that stops answering
 * (teardown must not block), 401, 404, an unsupported codec, H.265, bad arguments and SIGTERM. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "harness.h"
#include "wire.h"

#define CAM_COLOR 0xC02060 /* R=192 G=32 B=96 */
#define CAM_SIZE "640x360"
#define CAM_FPS 25
#define READY_TIMEOUT_MS 5000
#define LIVE_TIMEOUT_MS 8000
#define EXIT_TIMEOUT_MS 2000
#define STALL_MS 1500
#define YUV_TOLERANCE 8.0

typedef struct {
    harness_t *h;
    char *ingest;
    char *camera;
    int nargs;
    const char *argv[48];
    char *owned[48]; /* strings argv points at, freed in teardown */
    int nowned;
} fx_t;

/* ---- fixture and helpers --------------------------------------------------------------------- */

static int setup(void **state)
{
    fx_t *fx = g_new0(fx_t, 1);
    fx->h = harness_new();
    fx->ingest = harness_bin("pantau-ingest");
    fx->camera = harness_bin("pantau-test-camera");
    *state = fx;
    return fx->h != NULL && fx->ingest != NULL && fx->camera != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    harness_destroy(&fx->h);
    for (int i = 0; i < fx->nowned; i++)
        g_free(fx->owned[i]);
    g_free(fx->ingest);
    g_free(fx->camera);
    g_free(fx);
    return 0;
}

/* Keeps s alive until teardown; returns it. */
static const char *fx_keep(fx_t *fx, char *s)
{
    assert_true(fx->nowned < (int)(sizeof fx->owned / sizeof fx->owned[0]));
    fx->owned[fx->nowned++] = s;
    return s;
}

static const char *fx_printf(fx_t *fx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *fx_printf(fx_t *fx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return fx_keep(fx, s);
}

/* Builds a NULL-terminated argv from NULL-terminated varargs into fx->argv. */
static const char *const *fx_args(fx_t *fx, const char *first, ...)
{
    va_list ap;
    va_start(ap, first);
    fx->nargs = 0;
    for (const char *a = first; a != NULL; a = va_arg(ap, const char *)) {
        assert_true(fx->nargs < (int)(sizeof fx->argv / sizeof fx->argv[0]) - 1);
        fx->argv[fx->nargs++] = a;
    }
    va_end(ap);
    fx->argv[fx->nargs] = NULL;
    return fx->argv;
}

/* Starts a camera (extra arguments after port, NULL-terminated) and waits for READY; the URL is
 * written into url. */
static harness_proc_t *start_camera(fx_t *fx, const char *name, int port, char *url, size_t cap,
                                    const char *a1, const char *a2, const char *a3, const char *a4)
{
    const char *const *argv =
        fx_args(fx, fx->camera, "--port", fx_printf(fx, "%d", port), "--size", CAM_SIZE, "--fps",
                fx_printf(fx, "%d", CAM_FPS), a1, a2, a3, a4, NULL);
    harness_proc_t *p = harness_spawn(fx->h, name, argv, NULL);
    assert_non_null(p);
    char line[256];
    assert_true(harness_wait_line(p, "READY ", line, sizeof line, READY_TIMEOUT_MS));
    snprintf(url, cap, "%s", line + strlen("READY "));
    return p;
}

static const char *endpoint_for(fx_t *fx, const char *id)
{
    return fx_printf(fx, "ipc://%s/ep/%s.sock", harness_dir(fx->h), id);
}

/* Starts pantau-ingest for id/source at 320x240 with PANTAU_LOG=debug; extra args NULL-terminated
 * (up to 6). */
static harness_proc_t *start_ingest(fx_t *fx, const char *id, const char *source, const char *a1,
                                    const char *a2, const char *a3, const char *a4, const char *a5,
                                    const char *a6)
{
    static const char *const env[] = {"PANTAU_LOG=debug", NULL};
    const char *const *argv =
        fx_args(fx, fx->ingest, "--id", id, "--source", source, "--endpoint", endpoint_for(fx, id),
                "--width", "320", "--height", "240", "--label", id, a1, a2, a3, a4, a5, a6, NULL);
    harness_proc_t *p = harness_spawn(fx->h, fx_printf(fx, "ingest-%s", id), argv, env);
    assert_non_null(p);
    return p;
}

static harness_sub_t *subscribe(fx_t *fx, const char *id)
{
    harness_sub_t *s = harness_sub_new(endpoint_for(fx, id));
    assert_non_null(s);
    return s;
}

static bool state_is(const wire_status_t *st, void *ctx)
{
    return st->state == *(const wire_state_t *)ctx;
}

static bool live_with_fps(const wire_status_t *st, void *ctx)
{
    (void)ctx;
    return st->state == WIRE_STATE_LIVE && st->fps_milli >= 20000; /* a full second of frames */
}

static bool attempt_at_least_2(const wire_status_t *st, void *ctx)
{
    (void)ctx;
    return st->state == WIRE_STATE_RECONNECTING && st->attempt >= 2;
}

static void expect_state(harness_sub_t *s, wire_state_t state, int timeout_ms, wire_status_t *out)
{
    wire_status_t st;
    bool ok = harness_sub_wait_status(s, state_is, &state, timeout_ms, &st);
    if (!ok)
        fail_msg("no '%s' status within %d ms", wire_state_name(state), timeout_ms);
    if (out != NULL)
        *out = st;
}

/* BT.601 limited range, what videoconvert produces for SD sizes. */
static void rgb_to_yuv(uint32_t rgb, double yuv[3])
{
    double r = (rgb >> 16) & 0xFF, g = (rgb >> 8) & 0xFF, b = rgb & 0xFF;
    yuv[0] = 16 + (65.481 * r + 128.553 * g + 24.966 * b) / 255;
    yuv[1] = 128 + (-37.797 * r - 74.203 * g + 112.0 * b) / 255;
    yuv[2] = 128 + (112.0 * r - 93.786 * g - 18.214 * b) / 255;
}

static void expect_yuv(const double got[3], const double want[3], const char *what)
{
    for (int i = 0; i < 3; i++)
        if (got[i] < want[i] - YUV_TOLERANCE || got[i] > want[i] + YUV_TOLERANCE)
            fail_msg("%s: plane %d mean %.1f, expected %.1f", what, i, got[i], want[i]);
}

static void expect_sigterm_exit(harness_proc_t *p)
{
    uint64_t t0 = harness_now_ms();
    int status = -1;
    assert_int_equal(harness_signal(p, SIGTERM), 0);
    assert_true(harness_wait_exit(p, EXIT_TIMEOUT_MS, &status));
    assert_int_equal(status, 0);
    harness_note("SIGTERM -> exit 0 in %llu ms", (unsigned long long)(harness_now_ms() - t0));
}

/* ---- tests ----------------------------------------------------------------------------------- */

typedef struct {
    const char *why;
    const char *opt, *value; /* replaces or adds this option */
    const char *expect;      /* in stderr */
} bad_arg_t;

static void test_bad_arguments(void **state)
{
    fx_t *fx = *state;
    char *loose =
        harness_write_file(fx->h, "loose.cred", "[cam]\nusername=u\npassword=p4ssword\n", 0644);
    assert_non_null(loose);
    fx_keep(fx, loose);
    const bad_arg_t cases[] = {
        {"odd width", "--width", "321", "--width"},
        {"zero height", "--height", "0", "--height"},
        {"bad fit", "--fit", "zoom", "--fit"},
        {"bad transport", "--transport", "sctp", "--transport"},
        {"bad source", "--source", "ftp://example.com/x", "--source"},
        {"unknown pattern", "--source", "test:nosuchpattern", "pattern"},
        {"bad endpoint", "--endpoint", "udp://127.0.0.1:5", "--endpoint"},
        {"bad id", "--id", "has space", "--id"},
        {"not a number", "--fps", "fast", "--fps"},
        {"unknown option", "--frobnicate", "1", "frobnicate"},
        {"missing credentials file", "--credentials", "/nonexistent/pantau.cred", "pantau.cred"},
        {"group-readable credentials", "--credentials", loose, "loose.cred"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const bad_arg_t *c = &cases[i];
        const char *name = fx_printf(fx, "bad%zu", i);
        const char *const *argv = fx_args(fx, fx->ingest, "--id", "cam", "--source", "test",
                                          "--endpoint", endpoint_for(fx, "bad"), "--width", "320",
                                          "--height", "240", c->opt, c->value, NULL);
        int rc = harness_run(fx->h, name, argv, NULL, 5000);
        char *err =
            harness_read_file(fx_printf(fx, "%s/%s.stderr", harness_dir(fx->h), name), NULL);
        if (rc != 2 || err == NULL || strstr(err, c->expect) == NULL)
            fail_msg("%s: exit %d, stderr: %s", c->why, rc, err ? err : "(none)");
        g_free(err);
    }
    /* A required option missing. */
    const char *const *argv =
        fx_args(fx, fx->ingest, "--source", "test", "--endpoint", endpoint_for(fx, "bad"),
                "--width", "320", "--height", "240", NULL);
    assert_int_equal(harness_run(fx->h, "noid", argv, NULL, 5000), 2);
    assert_true(harness_file_contains(fx_printf(fx, "%s/noid.stderr", harness_dir(fx->h)), "--id"));
}

static void test_test_source(void **state)
{
    fx_t *fx = *state;
    harness_proc_t *ing =
        start_ingest(fx, "uji", "test:smpte", "--fps", "25", NULL, NULL, NULL, NULL);
    harness_sub_t *sub = subscribe(fx, "uji");
    harness_msg_t m;
    assert_true(harness_sub_wait_frame(sub, LIVE_TIMEOUT_MS, &m));
    assert_int_equal(m.frame.width, 320);
    assert_int_equal(m.frame.height, 240);
    assert_string_equal(m.frame.camera_id, "uji");
    harness_msg_clear(&m);
    wire_status_t st;
    assert_true(harness_sub_wait_status(sub, live_with_fps, NULL, 4000, &st));
    harness_note("test source: %.1f fps", st.fps_milli / 1000.0);
    assert_in_range(st.fps_milli, 20000, 30000);
    assert_int_equal(st.kbps, 0);
    harness_sub_destroy(&sub);
    expect_sigterm_exit(ing);
}

/* Frames from the solid-colour camera: size, colour, letterbox bars, sequence, capture time. */
/* True when the picture's centre has the camera's colour (within YUV_TOLERANCE). */
static bool centre_is(const harness_msg_t *m, const double want[3], double got[3])
{
    if (!harness_frame_mean_yuv(m, 40, 60, 240, 120, got))
        return false;
    for (int i = 0; i < 3; i++)
        if (got[i] < want[i] - YUV_TOLERANCE || got[i] > want[i] + YUV_TOLERANCE)
            return false;
    return true;
}

static void check_frames(harness_sub_t *sub)
{
    double want[3], black[3] = {16, 128, 128}, got[3];
    rgb_to_yuv(CAM_COLOR, want);
    uint64_t last_seq = 0;
    /* Known, open (docs/reliability.md): on a loaded machine the first pictures after LIVE can
     * come out wrong (seen once on a fresh CI machine: a Y444 camera's chroma). Wait for the
     * camera's colour (at most 25 pictures, counted and noted), then every picture must be
     * right. */
    int wrong = 0;
    for (;; wrong++) {
        harness_msg_t m;
        assert_true(harness_sub_wait_frame(sub, 2000, &m));
        bool right = centre_is(&m, want, got);
        harness_msg_clear(&m);
        if (right)
            break;
        if (wrong == 25)
            fail_msg("picture centre: plane means %.1f %.1f %.1f, expected %.1f %.1f %.1f, in 25 "
                     "pictures after LIVE", got[0], got[1], got[2], want[0], want[1], want[2]);
    }
    if (wrong > 0)
        harness_note("%d wrong picture(s) after LIVE before the camera's colour (last: %.0f %.0f "
                     "%.0f)", wrong, got[0], got[1], got[2]);
    for (int i = 0; i < 10; i++) {
        harness_msg_t m;
        assert_true(harness_sub_wait_frame(sub, 2000, &m));
        assert_int_equal(m.frame.width, 320);
        assert_int_equal(m.frame.height, 240);
        assert_int_equal(m.frame.format, WIRE_FORMAT_I420);
        if (i > 0)
            assert_true(m.frame.seq > last_seq);
        last_seq = m.frame.seq;
        int64_t age_ms = ((int64_t)m.recv_ns - (int64_t)m.frame.capture_ns) / 1000000;
        if (age_ms < -1000 || age_ms > 3000)
            fail_msg("capture_ns %lld ms from reception", (long long)age_ms);
        /* 640x360 letterboxed into 320x240: picture rows 30..209, black bars above and below. */
        assert_true(harness_frame_mean_yuv(&m, 40, 60, 240, 120, got));
        expect_yuv(got, want, "picture centre");
        if (i == 9)
            harness_note("frame seq %llu: centre Y %.0f U %.0f V %.0f (want %.0f %.0f %.0f), "
                         "age %lld ms",
                         (unsigned long long)m.frame.seq, got[0], got[1], got[2], want[0], want[1],
                         want[2], (long long)age_ms);
        assert_true(harness_frame_mean_yuv(&m, 0, 0, 320, 24, got));
        expect_yuv(got, black, "top bar");
        assert_true(harness_frame_mean_yuv(&m, 0, 216, 320, 24, got));
        expect_yuv(got, black, "bottom bar");
        harness_msg_clear(&m);
    }
}

static void test_rtsp_frames_and_status(void **state)
{
    fx_t *fx = *state;
    char url[256];
    start_camera(fx, "cam", 0, url, sizeof url, "--color", fx_printf(fx, "0x%06X", CAM_COLOR), NULL,
                 NULL);
    harness_proc_t *ing = start_ingest(fx, "cam1", url, NULL, NULL, NULL, NULL, NULL, NULL);
    harness_sub_t *sub = subscribe(fx, "cam1");
    wire_status_t st;
    assert_true(harness_sub_wait_status(sub, live_with_fps, NULL, LIVE_TIMEOUT_MS, &st));
    harness_note("live: %.1f fps, %u kbit/s, source %ux%u", st.fps_milli / 1000.0, st.kbps,
                 st.src_width, st.src_height);
    assert_in_range(st.fps_milli, 20000, 30000);
    assert_true(st.kbps > 0);
    assert_int_equal(st.src_width, 640);
    assert_int_equal(st.src_height, 360);
    assert_int_equal(st.attempt, 0);
    assert_string_equal(st.camera_id, "cam1");
    check_frames(sub);
    harness_sub_destroy(&sub);
    expect_sigterm_exit(ing);
}

/* Decoders that give other formats than I420 (4:4:4, 10-bit): the worker converts them with
 * libswscale, so the wall still gets I420 of the tile's size, right colour, black bars. */
static void test_rtsp_decoder_formats(void **state)
{
    fx_t *fx = *state;
    static const char *const formats[] = {"Y444", "I420_10LE"};
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        char url[256];
        const char *id = fx_printf(fx, "fmt%zu", i);
        harness_proc_t *cam =
            start_camera(fx, fx_printf(fx, "cam-%s", formats[i]), 0, url, sizeof url, "--color",
                         fx_printf(fx, "0x%06X", CAM_COLOR), "--format", formats[i]);
        harness_proc_t *ing = start_ingest(fx, id, url, NULL, NULL, NULL, NULL, NULL, NULL);
        harness_sub_t *sub = subscribe(fx, id);
        wire_status_t st;
        if (!harness_sub_wait_status(sub, live_with_fps, NULL, LIVE_TIMEOUT_MS, &st))
            fail_msg("%s camera: not live with frames", formats[i]);
        harness_note("%s camera: live at %.1f fps", formats[i], st.fps_milli / 1000.0);
        check_frames(sub);
        harness_sub_destroy(&sub);
        expect_sigterm_exit(ing);
        assert_int_equal(harness_signal(cam, SIGTERM), 0);
    }
}

/* A camera whose picture fits the tile at its own size (320x180 letterboxed in 320x240): the
 * decoded I420 picture is sent as it is; the wall draws it 1:1 and the bars itself. */
static void test_rtsp_small_passthrough(void **state)
{
    fx_t *fx = *state;
    char url[256];
    double want[3], got[3];
    rgb_to_yuv(CAM_COLOR, want);
    start_camera(fx, "cam", 0, url, sizeof url, "--color", fx_printf(fx, "0x%06X", CAM_COLOR),
                 "--size", "320x180");
    harness_proc_t *ing = start_ingest(fx, "small", url, NULL, NULL, NULL, NULL, NULL, NULL);
    harness_sub_t *sub = subscribe(fx, "small");
    expect_state(sub, WIRE_STATE_LIVE, LIVE_TIMEOUT_MS, NULL);
    for (int i = 0; i < 5; i++) {
        harness_msg_t m;
        assert_true(harness_sub_wait_frame(sub, 2000, &m));
        assert_int_equal(m.frame.width, 320);
        assert_int_equal(m.frame.height, 180);
        assert_int_equal(m.frame.format, WIRE_FORMAT_I420);
        assert_true(harness_frame_mean_yuv(&m, 0, 0, 320, 180, got));
        expect_yuv(got, want, "whole picture");
        harness_msg_clear(&m);
    }
    harness_note("320x180 camera, 320x240 tile: 320x180 frames, Y %.0f U %.0f V %.0f", got[0],
                 got[1], got[2]);
    harness_sub_destroy(&sub);
    expect_sigterm_exit(ing);
}

static void test_camera_loss_and_return(void **state)
{
    fx_t *fx = *state;
    char url[256];
    int port = harness_free_port();
    assert_true(port > 0);
    harness_proc_t *cam = start_camera(fx, "cam", port, url, sizeof url, NULL, NULL, NULL, NULL);
    harness_proc_t *ing = start_ingest(fx, "cam2", url, NULL, NULL, NULL, NULL, NULL, NULL);
    harness_sub_t *sub = subscribe(fx, "cam2");
    expect_state(sub, WIRE_STATE_LIVE, LIVE_TIMEOUT_MS, NULL);

    assert_int_equal(harness_signal(cam, SIGTERM), 0);
    assert_true(harness_wait_exit(cam, EXIT_TIMEOUT_MS, NULL));
    wire_status_t st;
    expect_state(sub, WIRE_STATE_RECONNECTING, 5000, &st);
    harness_note("camera gone: attempt %u: %s", st.attempt, st.last_error);
    assert_true(st.last_error[0] != '\0');
    assert_true(harness_sub_wait_status(sub, attempt_at_least_2, NULL, 5000, &st));
    harness_note("still retrying: attempt %u, %u reconnects: %s", st.attempt, st.reconnects,
                 st.last_error);
    assert_non_null(strstr(st.last_error, fx_printf(fx, "127.0.0.1:%d", port)));
    assert_true(harness_running(ing));

    cam = start_camera(fx, "cam", port, url, sizeof url, NULL, NULL, NULL, NULL);
    uint64_t t0 = harness_now_ms();
    harness_msg_t m;
    assert_true(harness_sub_wait_frame(sub, 15000, &m));
    harness_msg_clear(&m);
    harness_note("camera restart -> first new frame: %llu ms",
                 (unsigned long long)(harness_now_ms() - t0));
    expect_state(sub, WIRE_STATE_LIVE, 2000, &st);
    assert_int_equal(st.attempt, 0);
    assert_true(st.reconnects >= 2);
    harness_sub_destroy(&sub);
    expect_sigterm_exit(ing);
}

/* Longest gap between statuses over duration_ms (the main loop must keep running). */
static uint64_t max_status_gap(harness_sub_t *sub, int duration_ms)
{
    uint64_t end = harness_now_ms() + (uint64_t)duration_ms, last = harness_now_ms(), gap = 0;
    while (harness_now_ms() < end) {
        if (!harness_sub_wait_status(sub, NULL, NULL, (int)(end - harness_now_ms()) + 1, NULL))
            break;
        uint64_t now = harness_now_ms();
        gap = now - last > gap ? now - last : gap;
        last = now;
    }
    uint64_t now = harness_now_ms();
    return now - last > gap ? now - last : gap;
}

static void test_freeze_stalls(void **state)
{
    fx_t *fx = *state;
    char url[256];
    harness_proc_t *cam = start_camera(fx, "cam", 0, url, sizeof url, NULL, NULL, NULL, NULL);
    harness_proc_t *ing = start_ingest(fx, "cam3", url, "--stall-ms", fx_printf(fx, "%d", STALL_MS),
                                       NULL, NULL, NULL, NULL);
    harness_sub_t *sub = subscribe(fx, "cam3");
    expect_state(sub, WIRE_STATE_LIVE, LIVE_TIMEOUT_MS, NULL);

    assert_int_equal(harness_signal(cam, SIGUSR1), 0); /* FREEZE */
    uint64_t t0 = harness_now_ms();
    wire_status_t st;
    expect_state(sub, WIRE_STATE_STALLED, STALL_MS + 1500, &st);
    uint64_t dt = harness_now_ms() - t0;
    harness_note("FREEZE -> STALLED in %llu ms (stall-ms %d): %s", (unsigned long long)dt, STALL_MS,
                 st.last_error);
    assert_true(dt <= STALL_MS + 1000);
    assert_non_null(strstr(st.last_error, "stalled"));
    uint64_t gap = max_status_gap(sub, 2500);
    harness_note("longest status gap while reconnecting to the frozen camera: %llu ms",
                 (unsigned long long)gap);
    assert_true(gap <= 1600);

    assert_int_equal(harness_signal(cam, SIGUSR1), 0); /* thaw */
    t0 = harness_now_ms();
    expect_state(sub, WIRE_STATE_LIVE, 12000, NULL);
    harness_note("thaw -> live in %llu ms", (unsigned long long)(harness_now_ms() - t0));
    harness_sub_destroy(&sub);
    expect_sigterm_exit(ing);
}

/* A camera that stops answering altogether (SIGSTOP: its sockets stay open, nothing is read or
 * written): the stall must be seen and the teardown of the hung session must not block the loop. */
static void test_hung_camera(void **state)
{
    fx_t *fx = *state;
    char url[256];
    harness_proc_t *cam = start_camera(fx, "cam", 0, url, sizeof url, NULL, NULL, NULL, NULL);
    harness_proc_t *ing = start_ingest(fx, "cam4", url, "--stall-ms", fx_printf(fx, "%d", STALL_MS),
                                       NULL, NULL, NULL, NULL);
    harness_sub_t *sub = subscribe(fx, "cam4");
    expect_state(sub, WIRE_STATE_LIVE, LIVE_TIMEOUT_MS, NULL);

    assert_int_equal(harness_signal(cam, SIGSTOP), 0);
    uint64_t t0 = harness_now_ms();
    expect_state(sub, WIRE_STATE_STALLED, STALL_MS + 1500, NULL);
    harness_note("hung camera -> STALLED in %llu ms", (unsigned long long)(harness_now_ms() - t0));
    uint64_t gap = max_status_gap(sub, 3000);
    harness_note("longest status gap around the teardown of the hung session: %llu ms",
                 (unsigned long long)gap);
    assert_true(gap <= 1600);
    assert_false(harness_file_contains(harness_proc_stderr(ing), "teardown took"));
    assert_true(harness_running(ing));
    harness_signal(cam, SIGCONT);
    harness_sub_destroy(&sub);
    expect_sigterm_exit(ing);
}

static void test_wrong_credentials(void **state)
{
    fx_t *fx = *state;
    static const char *const secrets[] = {"Sup3r-S3cret-pw", "Wr0ng-Passw0rd"};
    char url[256];
    start_camera(fx, "cam", 0, url, sizeof url, "--user", "admin", "--password", secrets[0]);
    char *wrong = harness_write_file(fx->h, "wrong.cred",
                                     "[cam5]\nusername=admin\npassword=Wr0ng-Passw0rd\n", 0600);
    char *right = harness_write_file(fx->h, "right.cred",
                                     "[cam6]\nusername=admin\npassword=Sup3r-S3cret-pw\n", 0600);
    assert_non_null(wrong);
    assert_non_null(right);
    fx_keep(fx, wrong);
    fx_keep(fx, right);

    harness_proc_t *bad =
        start_ingest(fx, "cam5", url, "--credentials", wrong, NULL, NULL, NULL, NULL);
    harness_sub_t *sub = subscribe(fx, "cam5");
    wire_status_t st;
    expect_state(sub, WIRE_STATE_FAILED, LIVE_TIMEOUT_MS, &st);
    harness_note("wrong password: %s", st.last_error);
    assert_non_null(strstr(st.last_error, "401"));
    assert_non_null(strstr(st.last_error, "credentials"));
    assert_non_null(strstr(st.last_error, "cam5"));
    harness_sub_destroy(&sub);

    harness_proc_t *good =
        start_ingest(fx, "cam6", url, "--credentials", right, NULL, NULL, NULL, NULL);
    sub = subscribe(fx, "cam6");
    expect_state(sub, WIRE_STATE_LIVE, LIVE_TIMEOUT_MS, NULL);
    harness_sub_destroy(&sub);
    expect_sigterm_exit(bad);
    expect_sigterm_exit(good);
    for (int i = 0; i < 2; i++) {
        harness_proc_t *p = i == 0 ? bad : good;
        for (int k = 0; k < 2; k++) {
            assert_false(harness_file_contains(harness_proc_stderr(p), secrets[k]));
            assert_false(harness_file_contains(harness_proc_stdout(p), secrets[k]));
        }
    }
}

static void test_not_found(void **state)
{
    fx_t *fx = *state;
    char url[256];
    start_camera(fx, "cam", 0, url, sizeof url, NULL, NULL, NULL, NULL);
    const char *wrong = fx_printf(fx, "%s-nope", url);
    harness_proc_t *ing = start_ingest(fx, "cam7", wrong, NULL, NULL, NULL, NULL, NULL, NULL);
    harness_sub_t *sub = subscribe(fx, "cam7");
    wire_status_t st;
    expect_state(sub, WIRE_STATE_FAILED, LIVE_TIMEOUT_MS, &st);
    harness_note("wrong path: %s", st.last_error);
    assert_non_null(strstr(st.last_error, "404"));
    harness_sub_destroy(&sub);
    expect_sigterm_exit(ing);
}

/* A camera that only offers MJPEG: FAILED at once with the codec named, not a silent wait. */
static void test_unsupported_codec(void **state)
{
    fx_t *fx = *state;
    char url[256];
    start_camera(fx, "cam", 0, url, sizeof url, "--codec", "mjpeg", NULL, NULL);
    harness_proc_t *ing = start_ingest(fx, "cam9", url, NULL, NULL, NULL, NULL, NULL, NULL);
    harness_sub_t *sub = subscribe(fx, "cam9");
    wire_status_t st;
    expect_state(sub, WIRE_STATE_FAILED, 3000, &st);
    harness_note("MJPEG camera: %s", st.last_error);
    assert_non_null(strstr(st.last_error, "JPEG"));
    harness_sub_destroy(&sub);
    expect_sigterm_exit(ing);
}

#define H265_SETTLE_MS 8000

static void test_h265(void **state)
{
    fx_t *fx = *state;
    char url[256];
    start_camera(fx, "cam", 0, url, sizeof url, "--codec", "h265", "--color",
                 fx_printf(fx, "0x%06X", CAM_COLOR));
    harness_proc_t *ing = start_ingest(fx, "cam8", url, "--fit", "stretch", NULL, NULL, NULL, NULL);
    harness_sub_t *sub = subscribe(fx, "cam8");
    expect_state(sub, WIRE_STATE_LIVE, LIVE_TIMEOUT_MS, NULL);
    harness_msg_t m;
    double want[3], got[3];
    rgb_to_yuv(CAM_COLOR, want);
    /* Slowed down (ASan, a loaded machine), avdec_h265 can hand out a few grey pictures right
     * after the worker goes live (open issue, docs/reliability.md): the camera's colour must
     * arrive within H265_SETTLE_MS and stay. */
    int grey = 0;
    bool ok = false;
    uint64_t until = harness_now_ms() + H265_SETTLE_MS;
    while (!ok && harness_now_ms() < until) {
        assert_true(harness_sub_wait_frame(sub, 2000, &m));
        assert_true(harness_frame_mean_yuv(&m, 0, 0, 320, 240, got)); /* stretch: no bars */
        harness_msg_clear(&m);
        ok = true;
        for (int i = 0; i < 3; i++)
            ok = ok && got[i] >= want[i] - YUV_TOLERANCE && got[i] <= want[i] + YUV_TOLERANCE;
        grey += !ok;
    }
    harness_note("H.265: %d wrong pictures before the camera's colour", grey);
    expect_yuv(got, want, "H.265 stretched frame");
    assert_true(harness_sub_wait_frame(sub, 2000, &m));
    assert_true(harness_frame_mean_yuv(&m, 0, 0, 320, 240, got));
    harness_msg_clear(&m);
    expect_yuv(got, want, "H.265 stretched frame, the next one");
    harness_sub_destroy(&sub);
    expect_sigterm_exit(ing);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_test_source, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rtsp_frames_and_status, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rtsp_decoder_formats, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rtsp_small_passthrough, setup, teardown),
        cmocka_unit_test_setup_teardown(test_camera_loss_and_return, setup, teardown),
        cmocka_unit_test_setup_teardown(test_freeze_stalls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hung_camera, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_credentials, setup, teardown),
        cmocka_unit_test_setup_teardown(test_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unsupported_codec, setup, teardown),
        cmocka_unit_test_setup_teardown(test_h265, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
