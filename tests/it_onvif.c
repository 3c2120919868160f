/* Integration tests for ONVIF cameras on real parts: two RTSP test cameras (a red main stream and a
 * blue substream of different sizes) behind pantau-onvif-sim (SOAP on loopback, WS-UsernameToken
 * digest checked against a device clock that is one hour off) -> pantau-ingest workers (libonvif in
 * a forked child) -> pantau-wall --headless.
 *
 * Asserted: a layout entry naming only the device address (credentials in the credentials file)
 * gives a live tile showing the substream's colour; a worker asked for the canvas size picks the
 * main stream (source size in its status); a wrong password, a device that answers malformed or
 * oversized SOAP, and one that never answers each reach the tile in words while the other camera
 * stays live and the wall keeps running. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "harness.h"
#include "ptzctl.h"
#include "wire.h"

#define READY_TIMEOUT_MS 5000
#define LIVE_TIMEOUT_MS 25000
#define FAULT_TIMEOUT_MS 25000 /* hung device: 8 s deadline, plus margin under load */
#define MAIN_SIZE "640x360"
#define SUB_SIZE "160x90"
#define PASSWORD "s3cret-onvif"

typedef struct {
    harness_t *h;
    char *camera_bin, *sim_bin, *wall_bin, *ingest_bin;
    char *status, *snapshot, *creds;
    char main_uri[256], sub_uri[256];
} fx_t;

static harness_proc_t *spawn_ready(fx_t *fx, const char *name, const char *const *argv,
                                   char *line, size_t cap)
{
    harness_proc_t *p = harness_spawn(fx->h, name, argv, NULL);
    assert_non_null(p);
    assert_true(harness_wait_line(p, "READY ", line, cap, READY_TIMEOUT_MS));
    return p;
}

static void start_camera(fx_t *fx, const char *name, const char *path, const char *size,
                         const char *color, char *uri, size_t cap)
{
    char port[16], line[256];
    snprintf(port, sizeof port, "%d", harness_free_port());
    const char *argv[] = {fx->camera_bin, "--port", port,  "--path", path,  "--size",
                          size,           "--fps",  "25",  "--color", color, NULL};
    spawn_ready(fx, name, argv, line, sizeof line);
    g_strlcpy(uri, line + strlen("READY "), cap);
}

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    fx->h = harness_new();
    fx->camera_bin = harness_bin("pantau-test-camera");
    fx->sim_bin = harness_bin("pantau-onvif-sim");
    fx->wall_bin = harness_bin("pantau-wall");
    fx->ingest_bin = harness_bin("pantau-ingest");
    if (fx->h == NULL || !fx->camera_bin || !fx->sim_bin || !fx->wall_bin || !fx->ingest_bin)
        return -1;
    fx->status = harness_path(fx->h, "wall.status");
    fx->snapshot = harness_path(fx->h, "wall.png");
    fx->creds = harness_write_file(fx->h, "wall.credentials",
                                   "[cam]\nusername=admin\npassword=" PASSWORD "\n"
                                   "[wrong]\nusername=admin\npassword=not-the-password\n"
                                   "[bad]\nusername=admin\npassword=" PASSWORD "\n"
                                   "[hung]\nusername=admin\npassword=" PASSWORD "\n"
                                   "[fixed]\nusername=admin\npassword=" PASSWORD "\n",
                                   0600);
    *state = fx;
    start_camera(fx, "main", "/main", MAIN_SIZE, "0xff0000", fx->main_uri, sizeof fx->main_uri);
    start_camera(fx, "sub", "/sub", SUB_SIZE, "0x0000ff", fx->sub_uri, sizeof fx->sub_uri);
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    harness_destroy(&fx->h);
    g_free(fx->camera_bin);
    g_free(fx->sim_bin);
    g_free(fx->wall_bin);
    g_free(fx->ingest_bin);
    g_free(fx->status);
    g_free(fx->snapshot);
    g_free(fx->creds);
    free(fx);
    return 0;
}

/* Starts a simulator (fault "none" or one of its faults); returns its device-service URL in url. */
static harness_proc_t *start_sim(fx_t *fx, const char *name, const char *fault, char *url,
                                 size_t cap)
{
    char line[256];
    const char *argv[] = {fx->sim_bin,   "--port",      "0",         "--user",      "admin",
                          "--password",  PASSWORD,      "--clock-offset", "3600",   "--main-uri",
                          fx->main_uri,  "--main-size", MAIN_SIZE,   "--sub-uri",   fx->sub_uri,
                          "--sub-size",  SUB_SIZE,      "--fault",   fault,         NULL};
    harness_proc_t *p = spawn_ready(fx, name, argv, line, sizeof line);
    g_strlcpy(url, line + strlen("READY "), cap);
    return p;
}

/* ---- the wall's status file ------------------------------------------------------------------- */

typedef struct {
    const char *path, *id, *key, *want; /* want: exact for state, substring for error */
} field_wait_t;

static bool field_has(void *ctx)
{
    const field_wait_t *w = ctx;
    char v[512];
    if (!harness_status_field(w->path, w->id, w->key, v, sizeof v))
        return false;
    return strcmp(w->key, "state") == 0 ? strcmp(v, w->want) == 0 : strstr(v, w->want) != NULL;
}

static bool wait_field(fx_t *fx, const char *id, const char *key, const char *want, int ms)
{
    field_wait_t w = {fx->status, id, key, want};
    bool ok = harness_wait_until(field_has, &w, ms);
    if (!ok) {
        char v[512];
        harness_status_field(fx->status, id, key, v, sizeof v);
        harness_note("camera %s: %s is '%s', waited for '%s'", id, key, v, want);
    }
    return ok;
}

/* Mean colour of the middle of a tile in a fresh snapshot. */
static void tile_colour(fx_t *fx, const char *id, double rgb[3])
{
    char v[64];
    int r[4];
    assert_true(harness_status_field(fx->status, id, "tile", v, sizeof v));
    assert_int_equal(sscanf(v, "%dx%d+%d+%d", &r[2], &r[3], &r[0], &r[1]), 4);
    struct stat st0 = {0}, st;
    stat(fx->snapshot, &st0);
    for (int i = 0; i < 40; i++) {
        usleep(100 * 1000);
        if (stat(fx->snapshot, &st) == 0 && st.st_mtim.tv_nsec != st0.st_mtim.tv_nsec)
            break;
    }
    assert_true(harness_png_mean_rgb(fx->snapshot, r[0] + r[2] / 4, r[1] + r[3] * 3 / 8, r[2] / 2,
                                     r[3] / 4, rgb));
}

static harness_proc_t *start_wall(fx_t *fx, const char *body)
{
    char *text = g_strdup_printf("[wall]\ncanvas=640x360\ngrid=4x4\nfps=25\nendpoint_dir=%s\n"
                                 "credentials=%s\n%s",
                                 harness_dir(fx->h), fx->creds, body);
    char *layout = harness_write_file(fx->h, "wall.ini", text, 0644);
    g_free(text);
    assert_non_null(layout);
    const char *argv[] = {fx->wall_bin, "--headless", "--status-file", fx->status, "--snapshot",
                          fx->snapshot, "--every", "0.5", layout, NULL};
    harness_proc_t *p = harness_spawn(fx->h, "wall", argv, NULL);
    g_free(layout);
    assert_non_null(p);
    return p;
}

/* ---- tests ------------------------------------------------------------------------------------ */

/* Layout entry with only the device address -> live tile, substream (blue) in a 4x4 grid tile;
 * the device's clock is one hour ahead, so this also proves the digest's clock correction. */
static void test_layout_entry_live_substream(void **state)
{
    fx_t *fx = *state;
    char url[256], body[1024];
    start_sim(fx, "sim", "none", url, sizeof url);
    snprintf(body, sizeof body, "[camera cam]\nlabel=ONVIF\nonvif=%s\ntile=0,0\n", url);
    harness_proc_t *wall = start_wall(fx, body);
    assert_true(wait_field(fx, "cam", "state", "live", LIVE_TIMEOUT_MS));
    double rgb[3];
    tile_colour(fx, "cam", rgb);
    harness_note("4x4 tile colour %.0f,%.0f,%.0f (substream is blue, main is red)", rgb[0],
                 rgb[1], rgb[2]);
    assert_true(rgb[2] > 150 && rgb[0] < 80);
    assert_true(harness_file_contains(harness_proc_stderr(wall),
                                      "profile sub (160x90 H264 25 fps): smallest"));
    assert_false(harness_file_contains(harness_proc_stderr(wall), PASSWORD));
}

typedef struct {
    uint32_t w;
} size_pred_t;

static bool live_with_width(const wire_status_t *st, void *ctx)
{
    return st->state == WIRE_STATE_LIVE && st->src_width == ((size_pred_t *)ctx)->w;
}

/* A worker for the whole canvas (what the wall starts for a focused tile) takes the main stream;
 * one for a grid tile the substream. */
static void test_canvas_size_takes_main(void **state)
{
    fx_t *fx = *state;
    char url[256];
    start_sim(fx, "sim", "none", url, sizeof url);
    const char *sizes[2][3] = {{"1920", "1080", "640"}, {"160", "90", "160"}};
    for (int i = 0; i < 2; i++) {
        char *ep = g_strdup_printf("ipc://%s/focus%d.sock", harness_dir(fx->h), i);
        const char *argv[] = {fx->ingest_bin, "--id",     "cam",         "--source", url,
                              "--endpoint",   ep,         "--width",     sizes[i][0], "--height",
                              sizes[i][1],    "--credentials", fx->creds, NULL};
        harness_proc_t *p = harness_spawn(fx->h, i == 0 ? "focus" : "grid", argv, NULL);
        assert_non_null(p);
        harness_sub_t *sub = harness_sub_new(ep);
        assert_non_null(sub);
        size_pred_t want = {(uint32_t)atoi(sizes[i][2])};
        wire_status_t st;
        bool ok = harness_sub_wait_status(sub, live_with_width, &want, LIVE_TIMEOUT_MS, &st);
        harness_note("%sx%s worker: source %ux%u", sizes[i][0], sizes[i][1], st.src_width,
                     st.src_height);
        assert_true(ok);
        harness_sub_destroy(&sub);
        harness_signal(p, SIGTERM);
        assert_true(harness_wait_exit(p, 5000, NULL));
        g_free(ep);
    }
}

/* Wrong password, malformed and oversized SOAP, a device that never answers: each tile says what
 * is wrong; the good camera stays live; the wall and the workers keep running. */
static void test_faults_reach_the_tile(void **state)
{
    fx_t *fx = *state;
    char good[256], bad[256], big[256], hung[256], body[2048];
    start_sim(fx, "sim", "none", good, sizeof good);
    start_sim(fx, "sim-bad", "malformed", bad, sizeof bad);
    start_sim(fx, "sim-big", "oversized", big, sizeof big);
    start_sim(fx, "sim-hung", "hang", hung, sizeof hung);
    snprintf(body, sizeof body,
             "[camera cam]\nonvif=%s\ntile=0,0\n"
             "[camera wrong]\nonvif=%s\ntile=1,0\n"
             "[camera bad]\nonvif=%s\ntile=2,0\n"
             "[camera big]\nonvif=%s\ntile=3,0\n"
             "[camera hung]\nonvif=%s\ntile=0,1\n",
             good, good, bad, big, hung);
    harness_proc_t *wall = start_wall(fx, body);
    assert_true(wait_field(fx, "cam", "state", "live", LIVE_TIMEOUT_MS));
    assert_true(wait_field(fx, "wrong", "error", "wrong user name or password",
                           FAULT_TIMEOUT_MS));
    char v[512];
    harness_status_field(fx->status, "wrong", "worker_state", v, sizeof v);
    assert_string_equal(v, "failed");
    assert_true(wait_field(fx, "bad", "error", "malformed SOAP", FAULT_TIMEOUT_MS));
    assert_true(wait_field(fx, "big", "error", "oversized SOAP", FAULT_TIMEOUT_MS));
    assert_true(wait_field(fx, "hung", "error", "did not answer GetCapabilities",
                           FAULT_TIMEOUT_MS));
    assert_true(wait_field(fx, "cam", "state", "live", 2000));
    const char *ids[] = {"wrong", "bad", "big", "hung"};
    for (size_t i = 0; i < 4; i++) {
        harness_status_field(fx->status, ids[i], "error", v, sizeof v);
        harness_note("%s: %s", ids[i], v);
        harness_status_field(fx->status, ids[i], "worker", v, sizeof v);
        assert_string_equal(v, "running");
        harness_status_field(fx->status, ids[i], "restarts", v, sizeof v);
        assert_string_equal(v, "0"); /* the worker never died */
    }
    assert_true(harness_running(wall));
    assert_false(harness_file_contains(harness_proc_stderr(wall), PASSWORD));
    assert_false(harness_file_contains(harness_proc_stderr(wall), "not-the-password"));
}

/* pantau-discover finds the simulator by WS-Discovery on loopback and prints a stanza with its
 * address and, with credentials, its profiles; bad arguments are refused with a reason. */
static void test_discover(void **state)
{
    fx_t *fx = *state;
    char line[256], name[64];
    snprintf(name, sizeof name, "ItSim%d", (int)getpid());
    const char *sim_argv[] = {fx->sim_bin, "--port", "0", "--user", "admin", "--password",
                              PASSWORD, "--main-uri", fx->main_uri, "--main-size", MAIN_SIZE,
                              "--sub-uri", fx->sub_uri, "--sub-size", SUB_SIZE, "--discovery",
                              "--name", name, NULL};
    spawn_ready(fx, "sim", sim_argv, line, sizeof line);
    const char *url = line + strlen("READY ");
    char *bin = harness_bin("pantau-discover");
    assert_non_null(bin);
    const char *argv[] = {bin, "--interface", "127.0.0.1", "--timeout", "5", "--credentials",
                          fx->creds, "--id", "cam", NULL};
    uint64_t t0 = harness_now_ms();
    int rc = harness_run(fx->h, "discover", argv, NULL, 30000);
    harness_note("pantau-discover: exit %d after %llu ms", rc,
                 (unsigned long long)(harness_now_ms() - t0));
    assert_int_equal(rc, 0);
    char *out_path = harness_path(fx->h, "discover.stdout");
    char *out = harness_read_file(out_path, NULL);
    g_free(out_path);
    assert_non_null(out);
    char *want = g_strdup_printf("onvif=%s\n", url);
    assert_non_null(strstr(out, want));
    assert_non_null(strstr(out, "# profile sub: H264 160x90 25 fps"));
    assert_non_null(strstr(out, "# profile main: H264 640x360 25 fps"));
    assert_null(strstr(out, PASSWORD));
    g_free(want);
    g_free(out);
    const char *bad[] = {bin, "--interface", "eth0", NULL};
    assert_int_equal(harness_run(fx->h, "discover-bad", bad, NULL, 10000), 2);
    char *err = harness_path(fx->h, "discover-bad.stderr");
    assert_true(harness_file_contains(err, "'eth0' is not an IPv4 address"));
    g_free(err);
    g_free(bin);
}

static harness_proc_t *start_worker(fx_t *fx, const char *id, const char *source,
                                     const char *ep)
{
    const char *argv[] = {fx->ingest_bin, "--id",    id,    "--source", source,
                          "--endpoint",   ep,        "--width", "160", "--height",
                          "90",           "--credentials", fx->creds, NULL};
    harness_proc_t *p = harness_spawn(fx->h, id, argv, NULL);
    assert_non_null(p);
    return p;
}

static bool is_live(const wire_status_t *st, void *ctx)
{
    (void)ctx;
    return st->state == WIRE_STATE_LIVE;
}

/* Sends cmd to the worker's PTZ socket; checks the reply's start. */
static void ptz_expect(const char *ep, const char *cmd, const char *want)
{
    char reply[PTZCTL_REPLY_MAX];
    int rc = ptzctl_request(NULL, ep, cmd, 5000, reply, sizeof reply);
    harness_note("ptz '%s' -> %d '%s'", cmd, rc, reply);
    if (strncmp(reply, want, strlen(want)) != 0)
        fail_msg("ptz '%s': got '%s', want '%s...'", cmd, reply, want);
    assert_int_equal(rc, strncmp(want, "ok", 2) == 0 ? 0 : 1);
}

/* PTZ end to end: ptzctl -> the worker's REP socket -> libonvif -> the simulator's PTZ service;
 * bad commands, a camera without PTZ, a worker that is not there. */
static void test_ptz(void **state)
{
    fx_t *fx = *state;
    char url[256], plain[256], line[256];
    const char *sim_argv[] = {fx->sim_bin, "--port", "0", "--user", "admin", "--password",
                              PASSWORD, "--clock-offset", "-600", "--main-uri", fx->main_uri,
                              "--main-size", MAIN_SIZE, "--sub-uri", fx->sub_uri, "--sub-size",
                              SUB_SIZE, "--ptz", NULL};
    harness_proc_t *sim = spawn_ready(fx, "sim-ptz", sim_argv, line, sizeof line);
    g_strlcpy(url, line + strlen("READY "), sizeof url);
    start_sim(fx, "sim-plain", "none", plain, sizeof plain);
    char *ep = g_strdup_printf("ipc://%s/cam.sock", harness_dir(fx->h));
    char *ep2 = g_strdup_printf("ipc://%s/fixed.sock", harness_dir(fx->h));
    char *ep3 = g_strdup_printf("ipc://%s/pattern.sock", harness_dir(fx->h));
    char ptz[PTZCTL_ENDPOINT_MAX], ptz2[PTZCTL_ENDPOINT_MAX], ptz3[PTZCTL_ENDPOINT_MAX];
    assert_int_equal(ptzctl_endpoint(ep, ptz, sizeof ptz), 0);
    assert_non_null(strstr(ptz, "/cam.ptz"));
    assert_int_equal(ptzctl_endpoint(ep2, ptz2, sizeof ptz2), 0);
    assert_int_equal(ptzctl_endpoint(ep3, ptz3, sizeof ptz3), 0);
    char tcp[64];
    assert_int_equal(ptzctl_endpoint("tcp://10.0.0.5:5600", tcp, sizeof tcp), 0);
    assert_string_equal(tcp, "tcp://10.0.0.5:5601");
    assert_int_equal(ptzctl_endpoint("tcp://10.0.0.5:65535", tcp, sizeof tcp), -1);
    assert_int_equal(ptzctl_endpoint("udp://x:1", tcp, sizeof tcp), -1);

    start_worker(fx, "cam", url, ep);
    start_worker(fx, "fixed", plain, ep2);
    start_worker(fx, "pattern", "test", ep3);
    harness_sub_t *sub = harness_sub_new(ep);
    assert_true(harness_sub_wait_status(sub, is_live, NULL, LIVE_TIMEOUT_MS, NULL));
    harness_sub_destroy(&sub);
    sub = harness_sub_new(ep2);
    assert_true(harness_sub_wait_status(sub, is_live, NULL, LIVE_TIMEOUT_MS, NULL));
    harness_sub_destroy(&sub);

    ptz_expect(ptz, "caps", "ok ptz");
    ptz_expect(ptz, "move 0.5 -0.25 0", "ok moving");
    assert_true(harness_wait_line(sim, "PTZ ContinuousMove 0.50 -0.25 0.00", NULL, 0, 5000));
    ptz_expect(ptz, "stop", "ok stopped");
    assert_true(harness_wait_line(sim, "PTZ Stop", NULL, 0, 5000));
    ptz_expect(ptz, "preset 2", "ok preset 2");
    assert_true(harness_wait_line(sim, "PTZ GotoPreset 2", NULL, 0, 5000));
    ptz_expect(ptz, "move 2 0 0", "error: move needs PAN TILT ZOOM");
    ptz_expect(ptz, "move 0.1 0", "error: move needs PAN TILT ZOOM");
    ptz_expect(ptz, "move nan 0 0", "error: move needs PAN TILT ZOOM");
    ptz_expect(ptz, "preset", "error: preset needs one");
    ptz_expect(ptz, "fly away", "error: unknown PTZ command 'fly'");
    ptz_expect(ptz, "presets", "ok presets 1=Preset_1 2=Preset_2 3=Preset_3");
    ptz_expect(ptz, "presets 1", "error: presets takes no arguments");
    ptz_expect(ptz2, "move 0.5 0 0", "error: camera fixed has no PTZ");
    ptz_expect(ptz3, "caps", "error: camera pattern has no PTZ");

    char reply[PTZCTL_REPLY_MAX];
    char *gone = g_strdup_printf("ipc://%s/nobody.ptz", harness_dir(fx->h));
    uint64_t t0 = harness_now_ms();
    assert_int_equal(ptzctl_request(NULL, gone, "stop", 300, reply, sizeof reply), -1);
    assert_true(harness_now_ms() - t0 < 3000);
    assert_non_null(strstr(reply, "no answer"));
    assert_int_equal(ptzctl_request(NULL, ptz, "   ", 300, reply, sizeof reply), -1);
    assert_int_equal(ptzctl_request(NULL, ptz, "a b c d e f g h i", 300, reply, sizeof reply), -1);
    assert_non_null(strstr(reply, "empty or too long"));
    g_free(gone);
    g_free(ep);
    g_free(ep2);
    g_free(ep3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_layout_entry_live_substream, setup, teardown),
        cmocka_unit_test_setup_teardown(test_canvas_size_takes_main, setup, teardown),
        cmocka_unit_test_setup_teardown(test_faults_reach_the_tile, setup, teardown),
        cmocka_unit_test_setup_teardown(test_discover, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ptz, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
