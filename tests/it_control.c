/* Integration tests for operating the wall: pages, paused decoding, focus on the main stream,
 * alarms, pantauctl and its errors, and two walls sharing one ingest worker. Real parts only:
 * RTSP test cameras on loopback, the wall headless with its workers, pantauctl as a program, and
 * a raw ZeroMQ client for malformed requests. What the operator sees is checked in PNG snapshots
 * taken through the control socket, and in the wall's status file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zmq.h>

#include <glib.h>

#include "harness.h"

#define READY_TIMEOUT_MS 5000
#define LIVE_TIMEOUT_MS 20000
#define CTL_TIMEOUT_MS 5000
#define CAM_SIZE "640x360"

typedef struct {
    harness_t *h;
    char *camera_bin, *wall_bin, *ctl_bin;
    char *status, *socket;
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
    fx->socket = g_strdup_printf("ipc://%s/wall.ctl", harness_dir(fx->h));
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
    g_free(fx->socket);
    free(fx);
    return 0;
}

/* ---- helpers ----------------------------------------------------------------------------------- */

/* color: 0xRRGGBB, or a videotestsrc pattern name: then a 720p picture, whose decoding is
 * most of its worker's work (so pausing it shows in the CPU figures). */
static void start_camera(fx_t *fx, const char *name, int port, const char *color)
{
    char port_s[16];
    snprintf(port_s, sizeof port_s, "%d", port);
    bool pattern = strncmp(color, "0x", 2) != 0;
    const char *argv[] = {fx->camera_bin, "--port", port_s, "--size",
                          pattern ? "1280x720" : CAM_SIZE, "--fps", "25",
                          pattern ? "--pattern" : "--color", color, NULL};
    harness_proc_t *p = harness_spawn(fx->h, name, argv, NULL);
    assert_non_null(p);
    char line[256];
    assert_true(harness_wait_line(p, "READY ", line, sizeof line, READY_TIMEOUT_MS));
}

static harness_proc_t *start_wall(fx_t *fx, const char *name, const char *layout,
                                  const char *status)
{
    const char *argv[] = {fx->wall_bin, "--headless", "--status-file", status, layout, NULL};
    harness_proc_t *p = harness_spawn(fx->h, name, argv, NULL);
    assert_non_null(p);
    return p;
}

/* Runs pantauctl with the given words; returns its exit status, stdout+stderr in *out. */
static int ctl(fx_t *fx, const char *socket, char **out, ...)
{
    const char *argv[24] = {fx->ctl_bin, "--socket", socket};
    int n = 3;
    va_list ap;
    va_start(ap, out);
    for (const char *w; n < 22 && (w = va_arg(ap, const char *)) != NULL;)
        argv[n++] = w;
    va_end(ap);
    argv[n] = NULL;
    static int runs;
    char name[32], oname[48], ename[48];
    snprintf(name, sizeof name, "ctl-%d", runs++);
    snprintf(oname, sizeof oname, "%s.stdout", name);
    snprintf(ename, sizeof ename, "%s.stderr", name);
    int rc = harness_run(fx->h, name, argv, NULL, CTL_TIMEOUT_MS);
    char *o = harness_path(fx->h, oname);
    char *e = harness_path(fx->h, ename);
    char *so = harness_read_file(o, NULL), *se = harness_read_file(e, NULL);
    if (out != NULL)
        *out = g_strdup_printf("%s%s", so ? so : "", se ? se : "");
    g_free(o);
    g_free(e);
    g_free(so);
    g_free(se);
    return rc;
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

/* Waits until the field (of camera id, or of the header when id is NULL) equals want. */
static bool wait_field(const char *path, const char *id, const char *key, const char *want,
                       int timeout_ms)
{
    field_wait_t w = {path, id, key, want};
    return harness_wait_until(field_is, &w, timeout_ms);
}

static long field_long(const char *path, const char *id, const char *key)
{
    char v[64];
    return harness_status_field(path, id, key, v, sizeof v) ? strtol(v, NULL, 10) : -1;
}

/* user+system CPU ticks of a process, from /proc. */
static long cpu_ticks(int pid)
{
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    unsigned long ut = 0, st = 0;
    if (p == NULL || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut,
                            &st) != 2)
        return -1;
    return (long)(ut + st);
}

/* Mean colour of the middle of rectangle r (x, y, w, h) in png. */
static void mean_rgb(const char *png, int x, int y, int w, int h, double rgb[3])
{
    assert_true(harness_png_mean_rgb(png, x + w / 4, y + h * 3 / 8, w / 2, h / 4, rgb));
}

static char *snapshot(fx_t *fx, const char *name)
{
    char *path = harness_path(fx->h, name);
    char *out = NULL;
    int rc = ctl(fx, fx->socket, &out, "snapshot", path, NULL);
    if (rc != 0)
        fail_msg("snapshot: %s", out);
    g_free(out);
    return path;
}

/* ---- tests ------------------------------------------------------------------------------------- */

/* Two pages of RTSP cameras: the off-page camera is not decoded (its worker's CPU is measured),
 * pantauctl switches pages, focuses a camera on its main stream, raises and acknowledges alarms,
 * and every bad command gets a reason while the wall keeps rendering. */
static void test_pages_focus_alarm(void **state)
{
    fx_t *fx = *state;
    int pa = harness_free_port(), pb = harness_free_port(), pc = harness_free_port();
    start_camera(fx, "cam-a", pa, "0x00ff00");
    start_camera(fx, "cam-b", pb, "0xff00ff");
    start_camera(fx, "cam-c", pc, "smpte");
    char *text = g_strdup_printf(
        "[wall]\ncanvas=640x360\ngrid=2x1\nfps=25\nendpoint_dir=%s\ncontrol=%s\n"
        "[page kota]\nlabel=Kota\n[page laut]\nlabel=Pelabuhan\n"
        "[camera hijau]\nsource=rtsp://127.0.0.1:%d/cam\ntile=0,0\npage=kota\n"
        "[camera ungu]\nsource=rtsp://127.0.0.1:%d/cam\ntile=1,0\npage=kota\n"
        "[camera biru]\nsource=rtsp://127.0.0.1:%d/cam\ntile=0,0\npage=laut\n",
        harness_dir(fx->h), fx->socket, pa, pb, pc);
    char *layout = harness_write_file(fx->h, "wall.ini", text, 0644);
    g_free(text);
    harness_proc_t *wall = start_wall(fx, "wall", layout, fx->status);
    assert_true(wait_field(fx->status, "hijau", "state", "live", LIVE_TIMEOUT_MS));
    assert_true(wait_field(fx->status, "ungu", "state", "live", LIVE_TIMEOUT_MS));
    /* biru delivers its first frame (so its page has a picture at once), then pauses. */
    assert_true(wait_field(fx->status, "biru", "decoding", "0", LIVE_TIMEOUT_MS));
    assert_true(wait_field(fx->status, "biru", "visible", "0", 1000));

    /* Paused costs no decoding: biru's worker over 4 s off-page, then over 4 s on screen. */
    usleep(1000 * 1000);
    int pid = (int)field_long(fx->status, "biru", "pid");
    long c0 = cpu_ticks(pid);
    usleep(4000 * 1000);
    long paused = cpu_ticks(pid) - c0;
    /* Page switch: the new page's camera is live again, the old page's are paused. */
    char *out = NULL;
    assert_int_equal(ctl(fx, fx->socket, &out, "page", "laut", NULL), 0);
    assert_non_null(strstr(out, "page 2/2 Pelabuhan"));
    g_free(out);
    assert_true(wait_field(fx->status, NULL, "page_id", "laut", 3000));
    assert_true(wait_field(fx->status, "biru", "decoding", "1", 3000));
    assert_true(wait_field(fx->status, "hijau", "decoding", "0", 3000));
    for (int i = 0; i < 50 && field_long(fx->status, NULL, "page_live_ms") < 0; i++)
        usleep(100 * 1000);
    long page_ms = field_long(fx->status, NULL, "page_live_ms");
    harness_note("page switch -> every camera of the page live: %ld ms", page_ms);
    assert_true(page_ms >= 0 && page_ms < 1500); /* GOP replay: well under the 2 s GOP */
    char *png = snapshot(fx, "page-laut.png");
    double rgb[3];
    mean_rgb(png, 4, 4, 314, 352, rgb);
    harness_note("page laut, left tile: %.0f,%.0f,%.0f", rgb[0], rgb[1], rgb[2]);
    assert_true(rgb[0] + rgb[1] + rgb[2] > 300); /* colour bars, not an empty tile */
    g_free(png);
    c0 = cpu_ticks(pid);
    usleep(4000 * 1000);
    long shown = cpu_ticks(pid) - c0;
    harness_note("camera biru's worker CPU over 4 s: %ld ticks paused, %ld ticks shown", paused,
                 shown);
    assert_true(c0 >= 0 && shown > 0);
    assert_true(paused * 3 <= shown);

    /* Focus: hijau full screen on its own page, main stream started. */
    assert_int_equal(ctl(fx, fx->socket, NULL, "focus", "hijau", NULL), 0);
    assert_true(wait_field(fx->status, "hijau", "main", "live", LIVE_TIMEOUT_MS));
    long focus_ms = field_long(fx->status, NULL, "focus_main_ms");
    harness_note("focus -> main stream on screen: %ld ms", focus_ms);
    assert_true(wait_field(fx->status, NULL, "page_id", "kota", 2000));
    png = snapshot(fx, "focus.png");
    double left[3], right[3];
    mean_rgb(png, 4, 4, 314, 352, left);
    mean_rgb(png, 322, 4, 314, 352, right);
    assert_true(left[1] > 180 && right[1] > 180 && right[0] < 80); /* green across the wall */
    g_free(png);

    /* An alarm on another camera while the operator focuses: banner, no stolen spotlight. */
    assert_int_equal(ctl(fx, fx->socket, &out, "alarm", "ungu", "orang", "mencurigakan", NULL), 0);
    g_free(out);
    assert_true(wait_field(fx->status, "ungu", "alarm", "1", 2000));
    assert_true(wait_field(fx->status, NULL, "focused", "hijau", 2000));
    png = snapshot(fx, "alarm-banner.png");
    mean_rgb(png, 0, 330, 640, 30, rgb); /* the red banner across the bottom */
    harness_note("banner strip: %.0f,%.0f,%.0f", rgb[0], rgb[1], rgb[2]);
    assert_true(rgb[0] > rgb[1] + 60 && rgb[0] > rgb[2] + 60);
    g_free(png);

    /* Back to the grid: the alarmed tile has a red strip and border. */
    assert_int_equal(ctl(fx, fx->socket, NULL, "focus", "none", NULL), 0);
    assert_true(wait_field(fx->status, "hijau", "main", "none", 2000));
    png = snapshot(fx, "alarm-tile.png");
    assert_true(harness_png_mean_rgb(png, 330, 6, 300, 8, rgb)); /* ungu's top strip */
    harness_note("alarm strip on the tile: %.0f,%.0f,%.0f", rgb[0], rgb[1], rgb[2]);
    assert_true(rgb[0] > 180 && rgb[1] < 110);
    g_free(png);

    /* A new alarm with no focus goes to the spotlight; ack ends it. */
    assert_int_equal(ctl(fx, fx->socket, &out, "alarm", "hijau", NULL), 0);
    assert_non_null(strstr(out, "spotlight"));
    g_free(out);
    assert_true(wait_field(fx->status, NULL, "focused", "hijau", 2000));
    assert_int_equal(ctl(fx, fx->socket, &out, "ack", "all", NULL), 0);
    assert_non_null(strstr(out, "2 alarms acknowledged"));
    g_free(out);
    assert_true(wait_field(fx->status, NULL, "focused", "-", 2000));
    assert_true(wait_field(fx->status, NULL, "alarms", "0", 2000));

    /* status: one line per camera. */
    assert_int_equal(ctl(fx, fx->socket, &out, "status", NULL), 0);
    assert_non_null(strstr(out, "CAMERA"));
    assert_non_null(strstr(out, "hijau"));
    assert_non_null(strstr(out, "paused"));
    g_free(out);

    /* Errors: each refused with its reason. */
    struct {
        const char *w[4];
        int rc;
        const char *want;
    } bad[] = {
        {{"focus", "zzz"}, 1, "no camera 'zzz'"},
        {{"page", "9"}, 1, "no page '9'"},
        {{"ack", "ungu"}, 1, "has no alarm"},
        {{"ptz", "hijau", "stop"}, 1, "has no PTZ"},
        {{"bogus"}, 2, "unknown command 'bogus'"},
        {{"page"}, 2, "missing argument"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int rc = ctl(fx, fx->socket, &out, bad[i].w[0], bad[i].w[1], bad[i].w[2], bad[i].w[3],
                     NULL);
        if (rc != bad[i].rc || strstr(out, bad[i].want) == NULL)
            fail_msg("%s: rc %d, output '%s'", bad[i].w[0], rc, out);
        g_free(out);
    }

    /* Raw clients: garbage parts, too many parts; answers keep coming and are quick. */
    void *ctx = zmq_ctx_new();
    uint64_t worst = 0;
    for (int i = 0; i < 22; i++) {
        void *s = zmq_socket(ctx, ZMQ_REQ);
        int timeout = CTL_TIMEOUT_MS, linger = 0;
        zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof timeout);
        zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
        assert_int_equal(zmq_connect(s, fx->socket), 0);
        uint64_t t0 = harness_now_ms();
        if (i == 0) {
            zmq_send(s, "\xff\xfe\x00", 3, 0);
        } else if (i == 1) {
            for (int k = 0; k < 40; k++)
                zmq_send(s, "x", 1, k < 39 ? ZMQ_SNDMORE : 0);
        } else {
            zmq_send(s, "status", 6, 0);
        }
        char reply[8192];
        int n = zmq_recv(s, reply, sizeof reply - 1, 0);
        uint64_t took = harness_now_ms() - t0;
        worst = took > worst ? took : worst;
        assert_true(n > 0);
        reply[n < (int)sizeof reply - 1 ? n : (int)sizeof reply - 1] = '\0';
        if (i < 2)
            assert_non_null(strstr(reply, "error: "));
        else
            assert_true(strncmp(reply, "ok\n", 3) == 0);
        zmq_close(s);
    }
    zmq_ctx_term(ctx);
    harness_note("control socket: slowest of 22 answers %llu ms while rendering",
                 (unsigned long long)worst);
    assert_true(harness_running(wall));

    /* The socket is owner-only. */
    struct stat st;
    assert_int_equal(stat(fx->socket + 6, &st), 0);
    assert_int_equal(st.st_mode & 077, 0);
    g_free(layout);
}

/* A second wall shows a camera of the first through its endpoint: one worker, two walls; when
 * neither shows it, it stops decoding. */
static void test_two_walls_share_worker(void **state)
{
    fx_t *fx = *state;
    int pa = harness_free_port();
    start_camera(fx, "cam-a", pa, "0x00ff00");
    char *ta = g_strdup_printf("[wall]\ncanvas=640x360\ngrid=2x1\nendpoint_dir=%s\ncontrol=%s\n"
                               "[page satu]\n[page dua]\n"
                               "[camera hijau]\nsource=rtsp://127.0.0.1:%d/cam\ntile=0,0\n"
                               "page=satu\n",
                               harness_dir(fx->h), fx->socket, pa);
    char *a = harness_write_file(fx->h, "a.ini", ta, 0644);
    char *sock_b = g_strdup_printf("ipc://%s/wall-b.ctl", harness_dir(fx->h));
    char *tb = g_strdup_printf("[wall]\ncanvas=640x360\ngrid=1x1\nendpoint_dir=%s/b\ncontrol=%s\n"
                               "[page satu]\n[page dua]\n"
                               "[camera hijau]\nendpoint=ipc://%s/hijau.sock\ntile=0,0\n"
                               "page=satu\n",
                               harness_dir(fx->h), sock_b, harness_dir(fx->h));
    char *b = harness_write_file(fx->h, "b.ini", tb, 0644);
    char *status_b = harness_path(fx->h, "b.status");
    start_wall(fx, "wall-a", a, fx->status);
    start_wall(fx, "wall-b", b, status_b);
    assert_true(wait_field(fx->status, "hijau", "state", "live", LIVE_TIMEOUT_MS));
    assert_true(wait_field(status_b, "hijau", "state", "live", LIVE_TIMEOUT_MS));
    assert_true(wait_field(status_b, "hijau", "worker", "remote", 1000));

    /* One pantau-ingest for hijau, whatever the number of walls. */
    /* (only this test's workers: other tests may run cameras called hijau at the same time) */
    char *cmd = g_strdup_printf("pgrep -fc -- '[p]antau-ingest --id hijau .*--endpoint ipc://%s/'",
                                harness_dir(fx->h));
    const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
    int workers = harness_run(fx->h, "pgrep", argv, NULL, 5000);
    g_free(cmd);
    char *pg = harness_path(fx->h, "pgrep.stdout");
    char *count = harness_read_file(pg, NULL);
    harness_note("pantau-ingest processes for hijau: %s", count ? count : "?");
    assert_true(workers == 0 && count != NULL && atoi(count) == 1);

    /* Wall A leaves the camera's page: B still shows it, so it keeps decoding. */
    assert_int_equal(ctl(fx, fx->socket, NULL, "page", "dua", NULL), 0);
    usleep(1500 * 1000);
    long f0 = field_long(status_b, "hijau", "frames");
    usleep(1500 * 1000);
    long f1 = field_long(status_b, "hijau", "frames");
    harness_note("wall B frames while wall A is on another page: %ld in 1.5 s", f1 - f0);
    assert_true(f1 - f0 > 10);
    /* Both leave it: the worker stops decoding (no frames reach either wall). */
    assert_int_equal(ctl(fx, sock_b, NULL, "page", "dua", NULL), 0);
    usleep(1500 * 1000);
    f0 = field_long(fx->status, "hijau", "frames");
    usleep(1500 * 1000);
    f1 = field_long(fx->status, "hijau", "frames");
    harness_note("frames while no wall shows the camera: %ld in 1.5 s", f1 - f0);
    assert_true(f1 - f0 <= 1);
    g_free(ta);
    g_free(tb);
    g_free(a);
    g_free(b);
    g_free(sock_b);
    g_free(status_b);
    g_free(pg);
    g_free(count);
}

/* Pages rotate on their own every rotate_s, and hold still while a tile is focused. */
static void test_rotation(void **state)
{
    fx_t *fx = *state;
    char *text = g_strdup_printf("[wall]\ncanvas=640x360\ngrid=1x1\nrotate_s=5\nendpoint_dir=%s\n"
                                 "control=%s\n[page satu]\n[page dua]\n"
                                 "[camera a]\nsource=test:ball\ntile=0,0\npage=satu\n"
                                 "[camera b]\nsource=test:smpte\ntile=0,0\npage=dua\n",
                                 harness_dir(fx->h), fx->socket);
    char *layout = harness_write_file(fx->h, "rot.ini", text, 0644);
    start_wall(fx, "wall", layout, fx->status);
    assert_true(wait_field(fx->status, NULL, "page_id", "satu", 5000));
    uint64_t t0 = harness_now_ms();
    assert_true(wait_field(fx->status, NULL, "page_id", "dua", 9000));
    harness_note("rotated to page 2 after %llu ms (rotate_s=5)",
                 (unsigned long long)(harness_now_ms() - t0));
    assert_true(wait_field(fx->status, NULL, "page_id", "satu", 9000));
    /* Focus holds the rotation. */
    assert_int_equal(ctl(fx, fx->socket, NULL, "focus", "a", NULL), 0);
    usleep(6500 * 1000);
    assert_true(wait_field(fx->status, NULL, "page_id", "satu", 100));
    assert_true(wait_field(fx->status, NULL, "focused", "a", 100));
    g_free(text);
    g_free(layout);
}

/* PTZ from the wall: pantauctl ptz on an ONVIF PTZ camera (tests/tools/pantau-onvif-sim) goes
 * through the wall to the worker's PTZ socket and back with the camera's answer. */
static void test_ptz_through_the_wall(void **state)
{
    fx_t *fx = *state;
    int pm = harness_free_port(), pd = harness_free_port();
    start_camera(fx, "cam-main", pm, "0x00ff00");
    char port_s[16], main_uri[64];
    snprintf(port_s, sizeof port_s, "%d", pd);
    snprintf(main_uri, sizeof main_uri, "rtsp://127.0.0.1:%d/cam", pm);
    char *sim = harness_bin("pantau-onvif-sim");
    const char *argv[] = {sim, "--port", port_s, "--user", "admin", "--password", "s3cret",
                          "--main-uri", main_uri, "--main-size", CAM_SIZE, "--sub-uri", main_uri,
                          "--sub-size", CAM_SIZE, "--ptz", NULL};
    assert_non_null(harness_spawn(fx->h, "sim", argv, NULL));
    char *creds = harness_write_file(fx->h, "c.credentials",
                                     "[kamera]\nusername=admin\npassword=s3cret\n", 0600);
    char *text = g_strdup_printf("[wall]\ncanvas=640x360\ngrid=2x1\nendpoint_dir=%s\n"
                                 "control=%s\ncredentials=%s\n[camera kamera]\n"
                                 "onvif=http://127.0.0.1:%d/onvif/device_service\ntile=0,0\n",
                                 harness_dir(fx->h), fx->socket, creds, pd);
    char *layout = harness_write_file(fx->h, "ptz.ini", text, 0644);
    start_wall(fx, "wall", layout, fx->status);
    assert_true(wait_field(fx->status, "kamera", "state", "live", LIVE_TIMEOUT_MS));
    char *out = NULL;
    assert_int_equal(ctl(fx, fx->socket, &out, "ptz", "kamera", "move", "0.5", "0", "-0.25", NULL),
                     0);
    harness_note("ptz move: %s", out);
    assert_non_null(strstr(out, "moving"));
    g_free(out);
    assert_int_equal(ctl(fx, fx->socket, &out, "ptz", "kamera", "stop", NULL), 0);
    g_free(out);
    assert_int_equal(ctl(fx, fx->socket, &out, "ptz", "kamera", "presets", NULL), 0);
    assert_non_null(strstr(out, "presets"));
    g_free(out);
    /* The wall answered other requests while the camera was asked. */
    assert_int_equal(ctl(fx, fx->socket, NULL, "status", NULL), 0);
    g_free(sim);
    g_free(creds);
    g_free(text);
    g_free(layout);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pages_focus_alarm, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_walls_share_worker, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ptz_through_the_wall, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rotation, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
