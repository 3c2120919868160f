/* Integration tests for pantau-wall on real parts: RTSP test cameras on loopback (gst-rtsp-server)
 * -> pantau-ingest workers started by the wall -> ZeroMQ -> pantau-wall --headless -> snapshot
 * PNGs and the wall's status file. Also: a publisher of malformed messages, live reload, an
 * invalid layout, a worker SIGKILLed, and shutdown.
 *
 * What the operator sees is asserted twice: through the snapshot's pixels (the camera's colour in
 * its tile) and through the status file (`state=` per camera, the same state the tile draws). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include <glib.h>

#include "harness.h"
#include "wire.h"

#define READY_TIMEOUT_MS 5000
#define LIVE_TIMEOUT_MS 20000
#define NO_SIGNAL_BOUND_MS 6000  /* camera gone -> tile says NO SIGNAL */
#define RETURN_BOUND_MS 12000    /* camera back -> live tile (backoff cap 8 s + jitter) */
#define STALL_BOUND_MS 6000      /* frozen camera -> STALLED (watchdog 3 s) */
#define CAM_SIZE "320x180"

typedef struct {
    harness_t *h;
    char *camera_bin;
    char *wall_bin;
    char *status;   /* status file path */
    char *snapshot; /* snapshot path */
} fx_t;

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    fx->h = harness_new();
    fx->camera_bin = harness_bin("pantau-test-camera");
    fx->wall_bin = harness_bin("pantau-wall");
    if (fx->h == NULL || fx->camera_bin == NULL || fx->wall_bin == NULL)
        return -1;
    fx->status = harness_path(fx->h, "wall.status");
    fx->snapshot = harness_path(fx->h, "wall.png");
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    harness_destroy(&fx->h);
    g_free(fx->camera_bin);
    g_free(fx->wall_bin);
    g_free(fx->status);
    g_free(fx->snapshot);
    free(fx);
    return 0;
}

/* ---- helpers ----------------------------------------------------------------------------------- */

static harness_proc_t *start_camera(fx_t *fx, const char *name, int port, const char *color)
{
    char port_s[16];
    snprintf(port_s, sizeof port_s, "%d", port);
    const char *argv[] = {fx->camera_bin, "--port", port_s, "--size", CAM_SIZE, "--fps", "25",
                          "--color", color, NULL};
    harness_proc_t *p = harness_spawn(fx->h, name, argv, NULL);
    assert_non_null(p);
    char line[256];
    assert_true(harness_wait_line(p, "READY ", line, sizeof line, READY_TIMEOUT_MS));
    return p;
}

static harness_proc_t *start_wall(fx_t *fx, const char *layout)
{
    const char *argv[] = {fx->wall_bin, "--headless", "--status-file", fx->status, "--snapshot",
                          fx->snapshot, "--every", "0.5", layout, NULL};
    harness_proc_t *p = harness_spawn(fx->h, "wall", argv, NULL);
    assert_non_null(p);
    return p;
}

/* Header field of the status file ("reloads=", "cameras=", ...), or -1. */
static long status_header(const char *path, const char *key)
{
    char v[64];
    return harness_status_field(path, NULL, key, v, sizeof v) ? strtol(v, NULL, 10) : -1;
}

typedef struct {
    const char *path, *id, *key, *want;
} field_wait_t;

static bool field_is(void *ctx)
{
    const field_wait_t *w = ctx;
    char v[128];
    return harness_status_field(w->path, w->id, w->key, v, sizeof v) && strcmp(v, w->want) == 0;
}

/* Waits until camera id's state is want; returns the ms it took, or -1 on timeout. */
static long wait_state(fx_t *fx, const char *id, const char *want, int timeout_ms)
{
    field_wait_t w = {fx->status, id, "state", want};
    uint64_t t0 = harness_now_ms();
    if (!harness_wait_until(field_is, &w, timeout_ms))
        return -1;
    return (long)(harness_now_ms() - t0);
}

static long field_long(fx_t *fx, const char *id, const char *key)
{
    char v[64];
    if (!harness_status_field(fx->status, id, key, v, sizeof v))
        return -1;
    return strtol(v, NULL, 10);
}

/* Tile rectangle from the status file's tile=WxH+X+Y. */
static void tile_rect(fx_t *fx, const char *id, int r[4])
{
    char v[64];
    assert_true(harness_status_field(fx->status, id, "tile", v, sizeof v));
    assert_int_equal(sscanf(v, "%dx%d+%d+%d", &r[2], &r[3], &r[0], &r[1]), 4);
}

/* Mean colour of the middle of a tile (away from the label strip and badge) in a fresh snapshot. */
static void tile_colour(fx_t *fx, const char *id, double rgb[3])
{
    int r[4];
    tile_rect(fx, id, r);
    struct stat st0 = {0}, st;
    stat(fx->snapshot, &st0);
    /* Wait for a snapshot newer than the state we just read. */
    for (int i = 0; i < 40; i++) {
        usleep(100 * 1000);
        if (stat(fx->snapshot, &st) == 0 &&
            (st.st_mtim.tv_sec != st0.st_mtim.tv_sec || st.st_mtim.tv_nsec != st0.st_mtim.tv_nsec))
            break;
    }
    assert_true(harness_png_mean_rgb(fx->snapshot, r[0] + r[2] / 4, r[1] + r[3] * 3 / 8, r[2] / 2,
                                     r[3] / 4, rgb));
}

static char *write_layout(fx_t *fx, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static char *write_layout(fx_t *fx, const char *name, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *body = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *text = g_strdup_printf("[wall]\ncanvas=640x360\ngrid=2x1\nfps=25\nendpoint_dir=%s\n%s",
                                 harness_dir(fx->h), body);
    char *path = harness_write_file(fx->h, name, text, 0644);
    g_free(body);
    g_free(text);
    assert_non_null(path);
    return path;
}

static bool process_gone(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return true;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *rp = strrchr(buf, ')');
    return rp != NULL && rp[1] == ' ' && rp[2] == 'Z'; /* zombie: exited */
}

/* ---- tests ------------------------------------------------------------------------------------- */

/* A camera appears in its own tile, goes to NO SIGNAL when its server stops, and comes back by
 * itself when the server returns on the same port. */
static void test_camera_in_tile_lost_and_back(void **state)
{
    fx_t *fx = *state;
    int pa = harness_free_port(), pb = harness_free_port();
    harness_proc_t *cam_a = start_camera(fx, "cam-a", pa, "0x00ff00");
    start_camera(fx, "cam-b", pb, "0xff00ff");
    char *layout = write_layout(fx, "wall.ini",
                                "[camera hijau]\nlabel=Hijau\nsource=rtsp://127.0.0.1:%d/cam\n"
                                "tile=0,0\n[camera ungu]\nsource=rtsp://127.0.0.1:%d/cam\n"
                                "tile=1,0\n",
                                pa, pb);
    harness_proc_t *wall = start_wall(fx, layout);
    long t_a = wait_state(fx, "hijau", "live", LIVE_TIMEOUT_MS);
    long t_b = wait_state(fx, "ungu", "live", LIVE_TIMEOUT_MS);
    harness_note("wall start -> both tiles live: %ld ms + %ld ms", t_a, t_b);
    assert_true(t_a >= 0 && t_b >= 0);

    /* The header counts compositions (pantau-bench reads them): they grow while the wall runs. */
    long frames0 = status_header(fx->status, "wall_frames");
    assert_true(frames0 > 0 && status_header(fx->status, "wall_skipped") >= 0);
    usleep(2500 * 1000); /* the status file is rewritten once a second */
    assert_true(status_header(fx->status, "wall_frames") > frames0);

    double green[3], magenta[3];
    tile_colour(fx, "hijau", green);
    tile_colour(fx, "ungu", magenta);
    harness_note("tile colours: hijau %.0f,%.0f,%.0f ungu %.0f,%.0f,%.0f", green[0], green[1],
                 green[2], magenta[0], magenta[1], magenta[2]);
    assert_true(green[1] > 180 && green[0] < 80 && green[2] < 80);
    assert_true(magenta[0] > 180 && magenta[2] > 180 && magenta[1] < 80);

    /* Server stops: NO SIGNAL within the bound, the other tile unaffected. */
    assert_int_equal(harness_signal(cam_a, SIGTERM), 0);
    assert_true(harness_wait_exit(cam_a, 5000, NULL));
    long t_lost = wait_state(fx, "hijau", "no-signal", NO_SIGNAL_BOUND_MS);
    harness_note("camera stopped -> NO SIGNAL: %ld ms", t_lost);
    assert_true(t_lost >= 0);
    char v[64];
    assert_true(harness_status_field(fx->status, "ungu", "state", v, sizeof v));
    assert_string_equal(v, "live");
    double dimmed[3];
    tile_colour(fx, "hijau", dimmed);
    assert_true(dimmed[1] < green[1] * 0.7); /* last frame dimmed under the NO SIGNAL box */

    /* Server returns on the same port: live again by itself. */
    uint64_t t0 = harness_now_ms();
    start_camera(fx, "cam-a", pa, "0x00ff00");
    long t_back = wait_state(fx, "hijau", "live", RETURN_BOUND_MS);
    harness_note("camera restarted -> live tile: %ld ms (camera start included: %llu ms)", t_back,
                 (unsigned long long)(harness_now_ms() - t0));
    assert_true(t_back >= 0);
    tile_colour(fx, "hijau", green);
    assert_true(green[1] > 180 && green[0] < 80);
    assert_true(harness_running(wall));
    g_free(layout);
}

/* A frozen camera (connection open, no packets) shows STALLED within seconds. */
static void test_frozen_camera_stalls(void **state)
{
    fx_t *fx = *state;
    int port = harness_free_port();
    harness_proc_t *cam = start_camera(fx, "cam", port, "0x0000ff");
    char *layout = write_layout(fx, "wall.ini",
                                "[camera beku]\nsource=rtsp://127.0.0.1:%d/cam\ntile=0,0\n", port);
    start_wall(fx, layout);
    assert_true(wait_state(fx, "beku", "live", LIVE_TIMEOUT_MS) >= 0);
    assert_int_equal(harness_signal(cam, SIGUSR1), 0); /* freeze */
    long t = wait_state(fx, "beku", "stalled", STALL_BOUND_MS);
    harness_note("camera frozen -> STALLED: %ld ms", t);
    assert_true(t >= 0);
    assert_int_equal(harness_signal(cam, SIGUSR1), 0); /* thaw */
    t = wait_state(fx, "beku", "live", RETURN_BOUND_MS);
    harness_note("camera thawed -> live: %ld ms", t);
    assert_true(t >= 0);
    g_free(layout);
}

/* A worker killed with SIGKILL is restarted by the wall and its tile comes back. */
static void test_worker_sigkill_restarted(void **state)
{
    fx_t *fx = *state;
    char *layout = write_layout(fx, "wall.ini", "[camera uji]\nsource=test:red\ntile=1,0\n");
    start_wall(fx, layout);
    assert_true(wait_state(fx, "uji", "live", LIVE_TIMEOUT_MS) >= 0);
    long pid = field_long(fx, "uji", "pid");
    assert_true(pid > 0);
    uint64_t t0 = harness_now_ms();
    assert_int_equal(kill((pid_t)pid, SIGKILL), 0);
    field_wait_t restarted = {fx->status, "uji", "restarts", "1"};
    assert_true(harness_wait_until(field_is, &restarted, RETURN_BOUND_MS));
    long t = wait_state(fx, "uji", "live", RETURN_BOUND_MS);
    harness_note("worker SIGKILLed -> restarted and live again: %llu ms",
                 (unsigned long long)(harness_now_ms() - t0));
    assert_true(t >= 0);
    assert_int_equal(field_long(fx, "uji", "restarts"), 1);
    assert_true(field_long(fx, "uji", "pid") != pid);
    g_free(layout);
}

/* Frame pacing on a wall composed at only 10 fps showing a 25 fps RTSP camera: pacing=frames shows
 * the camera's frames as they come (compositions between the clock's ticks, up to 2 x fps),
 * pacing=clock composes 10 times a second and replaces the frames in between. */
/* Frames of camera "uji" presented, and the status file's time_ns, from one reading of it. */
static long presented_at(fx_t *fx, long long *time_ns)
{
    char *text = harness_read_file(fx->status, NULL);
    long v = -1;
    *time_ns = 0;
    char *t = text ? strstr(text, " time_ns=") : NULL,
         *line = text ? strstr(text, "camera=uji ") : NULL;
    char *p = line ? strstr(line, " presented=") : NULL;
    if (t != NULL && p != NULL) {
        *time_ns = strtoll(t + 9, NULL, 10);
        v = strtol(p + 11, NULL, 10);
    }
    g_free(text);
    return v;
}

static double presented_per_s(fx_t *fx, const char *pacing, int port)
{
    char *text = g_strdup_printf("[wall]\ncanvas=640x360\ngrid=1x1\nfps=10\npacing=%s\n"
                                 "endpoint_dir=%s\n[camera uji]\n"
                                 "source=rtsp://127.0.0.1:%d/cam\ntile=0,0\n",
                                 pacing, harness_dir(fx->h), port);
    unlink(fx->status); /* the previous wall's */
    char *layout = harness_write_file(fx->h, "pace.ini", text, 0644);
    g_free(text);
    assert_non_null(layout);
    harness_proc_t *wall = start_wall(fx, layout);
    assert_true(wait_state(fx, "uji", "live", LIVE_TIMEOUT_MS) >= 0);
    usleep(1200 * 1000); /* past the start */
    long long t0, t1;
    long p0 = presented_at(fx, &t0);
    usleep(4000 * 1000);
    long p1 = presented_at(fx, &t1);
    assert_true(p0 >= 0 && p1 >= 0 && t1 > t0);
    double rate = (double)(p1 - p0) * 1e9 / (double)(t1 - t0);
    harness_signal(wall, SIGTERM);
    assert_true(harness_wait_exit(wall, 5000, NULL));
    g_free(layout);
    return rate;
}

static void test_frame_pacing(void **state)
{
    fx_t *fx = *state;
    int port = harness_free_port();
    start_camera(fx, "camera", port, "0xff0000"); /* 25 fps */
    double frames = presented_per_s(fx, "frames", port), clock = presented_per_s(fx, "clock", port);
    harness_note("25 fps camera on a 10 fps wall: %.1f frames shown per second with pacing=frames, "
                 "%.1f with pacing=clock",
                 frames, clock);
    assert_true(clock < 12.0);
    assert_true(frames > 14.0);
}

/* A worker that refuses its configuration at once (a credentials file others can read: every
 * worker refuses it) is shown as FAILED with the worker's own reason, not as a bare restart
 * count, and the password is nowhere in the status. */
static void test_worker_refusal_shown(void **state)
{
    fx_t *fx = *state;
    char *cred = harness_write_file(fx->h, "loose.cred", "[gerbang]\nusername=u\npassword=s3cr3t-Pw\n",
                                    0644);
    assert_non_null(cred);
    char *layout = write_layout(fx, "wall.ini",
                                "credentials=%s\n[camera gerbang]\nsource=rtsp://127.0.0.1:9/x\n"
                                "tile=0,0\n[camera uji]\nsource=test:red\ntile=1,0\n",
                                cred);
    start_wall(fx, layout);
    long t = wait_state(fx, "gerbang", "failed", LIVE_TIMEOUT_MS);
    assert_true(t >= 0);
    char *text = harness_read_file(fx->status, NULL);
    assert_non_null(text);
    char *line = strstr(text, "camera=gerbang ");
    assert_non_null(line);
    char *end = strchr(line, '\n');
    if (end != NULL)
        *end = '\0';
    harness_note("refused worker: %s", strstr(line, "worker_error="));
    assert_non_null(strstr(line, "loose.cred: permissions 0644 let other users read"));
    assert_non_null(strstr(line, "chmod 600"));
    assert_null(strstr(text, "s3cr3t-Pw"));
    g_free(text);
    assert_true(wait_state(fx, "uji", "failed", LIVE_TIMEOUT_MS) >= 0);
    g_free(layout);
    g_free(cred);
}

/* ---- malformed messages ------------------------------------------------------------------------ */

static void send_parts(void *sock, const void *a, size_t alen, const void *b, size_t blen)
{
    zmq_send(sock, a, alen, b ? ZMQ_SNDMORE : 0);
    if (b)
        zmq_send(sock, b, blen, 0);
}

/* One round of good and bad messages for camera "remote". */
static void publish_round(void *sock, uint64_t seq, uint8_t *payload)
{
    wire_frame_t f = {0};
    strcpy(f.camera_id, "remote");
    wire_frame_set_i420_layout(&f, 64, 36);
    f.seq = seq;
    f.capture_ns = wire_now_ns();
    f.pts_ns = WIRE_PTS_NONE;
    uint8_t hdr[WIRE_FRAME_HEADER_SIZE];
    assert_int_equal(wire_frame_encode(&f, hdr), WIRE_OK);
    wire_status_t st = {0};
    st.state = WIRE_STATE_LIVE;
    strcpy(st.camera_id, "remote");
    st.fps_milli = 25000;
    st.time_ns = wire_now_ns();
    uint8_t sbuf[WIRE_STATUS_MAX_SIZE];
    size_t slen = wire_status_encode(&st, sbuf, sizeof sbuf);

    /* Bad ones: garbage, truncated header, wrong version, payload shorter than declared, a status
     * cut short, a frame with an extra part, a frame for another camera. */
    send_parts(sock, "hello", 5, NULL, 0);
    send_parts(sock, hdr, 40, payload, f.payload_len);
    uint8_t badver[WIRE_FRAME_HEADER_SIZE];
    memcpy(badver, hdr, sizeof badver);
    badver[4] = 99;
    send_parts(sock, badver, sizeof badver, payload, f.payload_len);
    send_parts(sock, hdr, sizeof hdr, payload, f.payload_len / 2);
    send_parts(sock, sbuf, slen - 3, NULL, 0);
    zmq_send(sock, hdr, sizeof hdr, ZMQ_SNDMORE);
    zmq_send(sock, payload, f.payload_len, ZMQ_SNDMORE);
    zmq_send(sock, "x", 1, 0);
    /* Good ones. */
    send_parts(sock, sbuf, slen, NULL, 0);
    send_parts(sock, hdr, sizeof hdr, payload, f.payload_len);
}

/* Malformed messages on a camera's endpoint are dropped and counted; the wall keeps drawing the
 * valid frames that come with them. */
static void test_malformed_messages_counted(void **state)
{
    fx_t *fx = *state;
    int port = harness_free_port();
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%d", port);
    void *ctx = zmq_ctx_new();
    void *pub = zmq_socket(ctx, ZMQ_PUB);
    int linger = 0;
    zmq_setsockopt(pub, ZMQ_LINGER, &linger, sizeof linger);
    assert_int_equal(zmq_bind(pub, endpoint), 0);
    char *layout = write_layout(fx, "wall.ini", "[camera remote]\nendpoint=%s\ntile=0,0\n",
                                endpoint);
    harness_proc_t *wall = start_wall(fx, layout);

    /* A red I420 frame: Y=81 U=90 V=240. */
    uint8_t payload[64 * 36 * 3 / 2];
    memset(payload, 81, 64 * 36);
    memset(payload + 64 * 36, 90, 32 * 18);
    memset(payload + 64 * 36 + 32 * 18, 240, 32 * 18);
    field_wait_t live = {fx->status, "remote", "state", "live"};
    uint64_t seq = 0;
    uint64_t until = harness_now_ms() + 4000;
    while (harness_now_ms() < until || !field_is(&live)) {
        publish_round(pub, seq++, payload);
        usleep(40 * 1000);
        assert_true(harness_now_ms() < until + LIVE_TIMEOUT_MS);
    }
    long malformed = field_long(fx, "remote", "malformed");
    long frames = field_long(fx, "remote", "frames");
    harness_note("rounds sent %llu: frames accepted %ld, malformed counted %ld",
                 (unsigned long long)seq, frames, malformed);
    assert_true(malformed >= 10);
    assert_true(frames >= 10);
    double rgb[3];
    for (int i = 0; i < 15; i++) { /* keep it live while the snapshot is taken */
        publish_round(pub, seq++, payload);
        usleep(40 * 1000);
    }
    tile_colour(fx, "remote", rgb);
    harness_note("remote tile colour %.0f,%.0f,%.0f", rgb[0], rgb[1], rgb[2]);
    assert_true(rgb[0] > 180 && rgb[1] < 80 && rgb[2] < 80);
    assert_true(harness_running(wall));
    zmq_close(pub);
    zmq_ctx_term(ctx);
    g_free(layout);
}

/* ---- layouts ----------------------------------------------------------------------------------- */

/* The wall refuses an invalid layout, naming file, line and key of every error. */
static void test_invalid_layout_refused(void **state)
{
    fx_t *fx = *state;
    char *layout = write_layout(fx, "bad.ini",
                                "[camera a]\nsource=test\ntile=0,0\nlable=typo\n"
                                "[camera b]\nsource=rtsp://admin:rahasia123@10.0.0.9/s\ntile=5,0\n");
    const char *argv[] = {fx->wall_bin, "--headless", layout, NULL};
    int rc = harness_run(fx->h, "bad-wall", argv, NULL, 10000);
    assert_int_equal(rc, 2);
    char *err_path = harness_path(fx->h, "bad-wall.stderr");
    char *err = harness_read_file(err_path, NULL);
    assert_non_null(err);
    harness_note("wall refused the layout:\n%s", err);
    assert_non_null(strstr(err, "bad.ini:9: camera.a.lable:")); /* after 5 [wall] lines */
    assert_non_null(strstr(err, "bad.ini:11: camera.b.source:")); /* the URI with a password */
    assert_non_null(strstr(err, "bad.ini:12: camera.b.tile:"));   /* tile outside the grid */
    assert_null(strstr(err, "rahasia123"));          /* the password is never echoed */
    g_free(err);
    g_free(err_path);
    g_free(layout);
}

/* Live reload: a label edit keeps the worker, an invalid edit keeps the last good layout and says
 * so, a new camera starts, and SIGTERM stops the wall and every worker. */
static void test_live_reload_and_shutdown(void **state)
{
    fx_t *fx = *state;
    char *layout = write_layout(fx, "wall.ini", "[camera satu]\nsource=test:red\ntile=0,0\n");
    harness_proc_t *wall = start_wall(fx, layout);
    assert_true(wait_state(fx, "satu", "live", LIVE_TIMEOUT_MS) >= 0);
    long pid = field_long(fx, "satu", "pid");

    g_free(write_layout(fx, "wall.ini", "[camera satu]\nlabel=Satu\nsource=test:red\ntile=0,0\n"));
    for (int i = 0; i < 50 && status_header(fx->status, "reloads") < 1; i++)
        usleep(100 * 1000);
    assert_int_equal(status_header(fx->status, "reloads"), 1);
    assert_int_equal(field_long(fx, "satu", "pid"), pid); /* label only: same worker */

    g_free(write_layout(fx, "wall.ini", "[camera satu]\nsource=test:red\ntile=0,0\ncolour=red\n"));
    for (int i = 0; i < 50 && status_header(fx->status, "reloads_rejected") < 1; i++)
        usleep(100 * 1000);
    assert_int_equal(status_header(fx->status, "reloads_rejected"), 1);
    assert_int_equal(status_header(fx->status, "banner"), 1);
    assert_int_equal(field_long(fx, "satu", "pid"), pid);
    assert_true(wait_state(fx, "satu", "live", 2000) >= 0);

    g_free(write_layout(fx, "wall.ini", "[camera satu]\nsource=test:red\ntile=0,0\n"
                                        "[camera dua]\nsource=test:blue\ntile=1,0\n"));
    long t = wait_state(fx, "dua", "live", LIVE_TIMEOUT_MS);
    harness_note("camera added by a layout edit -> live: %ld ms", t);
    assert_true(t >= 0);
    assert_int_equal(status_header(fx->status, "banner"), 0);
    assert_int_equal(field_long(fx, "satu", "pid"), pid);
    long pid2 = field_long(fx, "dua", "pid");

    uint64_t t0 = harness_now_ms();
    assert_int_equal(harness_signal(wall, SIGTERM), 0);
    int status = -1;
    assert_true(harness_wait_exit(wall, 6000, &status));
    harness_note("SIGTERM -> wall and workers gone: %llu ms",
                 (unsigned long long)(harness_now_ms() - t0));
    assert_int_equal(status, 0);
    assert_true(process_gone((pid_t)pid));
    assert_true(process_gone((pid_t)pid2));
    g_free(layout);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_camera_in_tile_lost_and_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_frozen_camera_stalls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_worker_sigkill_restarted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_worker_refusal_shown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_frame_pacing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_malformed_messages_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_layout_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_live_reload_and_shutdown, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
