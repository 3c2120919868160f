/* it_screens: pantau-wall on two monitors, in both screen modes, on a real X server.
 *
 * The server is Xorg with the dummy video driver and an xorg.conf that enables two of its
 * outputs side by side (DUMMY0 at 0,0 and DUMMY1 at 1280,0, 1280x720 each): one X screen of
 * 2560x720 with two RandR monitors, which is what a desktop with two monitors looks like and
 * what SDL 2.26 reports as two displays with their own bounds. (Xvfb cannot do this: with two
 * X screens SDL sees two displays both at 0,0 and opens every window on screen 0; with
 * +xinerama SDL sees one display. See docs/operating.md.)
 *
 * Checked before the wall runs: SDL in this process sees 2 displays at 0,0 and 1280,0.
 *   - screen_mode=windows: screen 1 has red (left) and green (right) tiles, screen 2 one blue
 *     tile over its whole grid. From the X server (ffmpeg x11grab of the root window): red and
 *     green only on the left monitor, blue only on the right one, each window covering its
 *     monitor. From the wall: snap.png (both screens side by side, 2560x720) and
 *     snap-screen1.png / snap-screen2.png (1280x720 each) with the same colours; the status file
 *     names each camera's screen. Real double-clicks (xdotool, XTEST) on either monitor focus
 *     the camera under them on that monitor, and end the focus on its own monitor (this part is
 *     left out, with a note, without xdotool). Then `pantauctl alarm green`: green is taken
 *     into the spotlight on its own screen (the left monitor is green across), the right monitor
 *     still shows blue.
 *   - screen_mode=span: one 2560x720 canvas (red tile left, blue right) in one borderless window
 *     over both monitors: red covers the left monitor, blue the right one.
 *
 * Skipped (with a note) when Xorg, its dummy driver or ffmpeg is not installed (Debian:
 * xserver-xorg-core xserver-xorg-video-dummy ffmpeg), or when not run as root (Xorg refuses an
 * xorg.conf from an arbitrary path otherwise). The server runs with -novtswitch -sharevts.
 * PANTAU_KEEP_TEST_DIR=1 keeps the sandbox (screenshots, layouts, logs, Xorg's log). */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>
#include <SDL.h>
#include <SDL_image.h>

#include "harness.h"

#define MONITOR_W 1280
#define MONITOR_H 720
#define ROOT_SIZE "2560x720"
#define XORG_DRIVER "/usr/lib/xorg/modules/drivers/dummy_drv.so"
#define FIRST_DISPLAY 160 /* it_window uses 90..150 */
#define LAST_DISPLAY 220
#define MAX_X_TRIES 6
#define X_TIMEOUT_MS 15000
#define LIVE_TIMEOUT_MS 20000
#define MIN_PRESENTED 5
#define GRAB_TIMEOUT_MS 10000
#define GRAB_DEADLINE_MS 4000 /* the first grabs may race the first presented frames */
#define SNAPSHOT_TIMEOUT_MS 3000
#define FOCUS_TIMEOUT_MS 5000
#define EXIT_TIMEOUT_MS 5000
#define CTL_TIMEOUT_MS 5000
#define COVER_FRACTION 0.9 /* a tile over a whole grid: at least this much of its monitor */
#define EDGE_TOLERANCE_PX 12
#define COLOUR_TOLERANCE 12.0

enum { RED, GREEN, BLUE, NCOLOURS };
static const char *const colour_names[NCOLOURS] = {"red", "green", "blue"};

typedef struct {
    harness_t *h;
    char *wall_bin, *ctl_bin, *xorg_bin, *ffmpeg_bin, *xdotool_bin;
    char *status, *snap, *shot;
    int display;
    char display_name[16], display_env[32];
} fx_t;

typedef struct {
    int start, end; /* inclusive; start -1 when none */
} run_t;

static int setup(void **state)
{
    fx_t *fx = g_new0(fx_t, 1);
    fx->h = harness_new();
    fx->wall_bin = harness_bin("pantau-wall");
    fx->ctl_bin = harness_bin("pantauctl");
    fx->xorg_bin = g_find_program_in_path("Xorg");
    if (fx->xorg_bin == NULL && access("/usr/lib/xorg/Xorg", X_OK) == 0)
        fx->xorg_bin = g_strdup("/usr/lib/xorg/Xorg");
    fx->ffmpeg_bin = g_find_program_in_path("ffmpeg");
    fx->xdotool_bin = g_find_program_in_path("xdotool");
    fx->display = -1;
    *state = fx;
    if (fx->h == NULL || fx->wall_bin == NULL || fx->ctl_bin == NULL)
        return -1;
    fx->status = harness_path(fx->h, "status.txt");
    fx->snap = harness_path(fx->h, "snap.png");
    fx->shot = harness_path(fx->h, "shot.png");
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    harness_destroy(&fx->h); /* the wall (and its workers), then the X server */
    g_free(fx->wall_bin);
    g_free(fx->ctl_bin);
    g_free(fx->xorg_bin);
    g_free(fx->ffmpeg_bin);
    g_free(fx->xdotool_bin);
    g_free(fx->status);
    g_free(fx->snap);
    g_free(fx->shot);
    g_free(fx);
    return 0;
}

/* ---- the X server ---------------------------------------------------------------------------- */

/* Two outputs of the dummy driver, 1280x720 each, DUMMY1 right of DUMMY0. */
static const char xorg_conf[] =
    "Section \"ServerFlags\"\n"
    "    Option \"AutoAddDevices\" \"false\"\n"
    "    Option \"DontVTSwitch\" \"true\"\n"
    "EndSection\n"
    "Section \"Device\"\n"
    "    Identifier \"dummy\"\n"
    "    Driver \"dummy\"\n"
    "    VideoRam 65536\n"
    "    Option \"Monitor-DUMMY0\" \"m0\"\n"
    "    Option \"Monitor-DUMMY1\" \"m1\"\n"
    "EndSection\n"
    "Section \"Monitor\"\n"
    "    Identifier \"m0\"\n"
    "    HorizSync 5.0 - 1000.0\n"
    "    VertRefresh 5.0 - 200.0\n"
    "    Modeline \"1280x720\" 74.25 1280 1390 1430 1650 720 725 730 750\n"
    "    Option \"PreferredMode\" \"1280x720\"\n"
    "    Option \"Primary\" \"true\"\n"
    "EndSection\n"
    "Section \"Monitor\"\n"
    "    Identifier \"m1\"\n"
    "    HorizSync 5.0 - 1000.0\n"
    "    VertRefresh 5.0 - 200.0\n"
    "    Modeline \"1280x720\" 74.25 1280 1390 1430 1650 720 725 730 750\n"
    "    Option \"PreferredMode\" \"1280x720\"\n"
    "    Option \"Enable\" \"true\"\n"
    "    Option \"RightOf\" \"m0\"\n"
    "EndSection\n"
    "Section \"Screen\"\n"
    "    Identifier \"screen\"\n"
    "    Device \"dummy\"\n"
    "    Monitor \"m0\"\n"
    "    DefaultDepth 24\n"
    "    SubSection \"Display\"\n"
    "        Depth 24\n"
    "        Virtual 2560 720\n"
    "    EndSubSection\n"
    "EndSection\n";

typedef struct {
    harness_proc_t *proc;
    char sock[64], lock[64];
} x_wait_t;

static pid_t x_lock_pid(const char *lock)
{
    char *text = harness_read_file(lock, NULL);
    pid_t pid = text != NULL ? (pid_t)strtol(text, NULL, 10) : -1;
    g_free(text);
    return pid > 0 ? pid : -1;
}

static bool x_settled(void *ctx)
{
    x_wait_t *w = ctx;
    if (!harness_running(w->proc))
        return true;
    return access(w->sock, F_OK) == 0 && x_lock_pid(w->lock) == harness_proc_pid(w->proc);
}

/* Starts Xorg on the first free display number from FIRST_DISPLAY; its number or -1. */
static int start_xorg(fx_t *fx)
{
    char *conf = harness_write_file(fx->h, "xorg-2monitors.conf", xorg_conf, 0644);
    char *confdir = harness_path(fx->h, "xorg.conf.d"); /* empty: no system snippets */
    char *log = harness_path(fx->h, "xorg.log");
    int found = -1, tries = 0;
    g_mkdir_with_parents(confdir, 0700);
    for (int n = FIRST_DISPLAY; conf && n <= LAST_DISPLAY && tries < MAX_X_TRIES; n++) {
        x_wait_t w = {0};
        snprintf(w.sock, sizeof w.sock, "/tmp/.X11-unix/X%d", n);
        snprintf(w.lock, sizeof w.lock, "/tmp/.X%d-lock", n);
        if (access(w.sock, F_OK) == 0 || access(w.lock, F_OK) == 0)
            continue;
        char name[16];
        snprintf(name, sizeof name, ":%d", n);
        const char *const argv[] = {fx->xorg_bin, name,       "-noreset",  "-nolisten", "tcp",
                                    "-novtswitch", "-sharevts", "-config",   conf,
                                    "-configdir",  confdir,     "-logfile",  log,         NULL};
        tries++;
        w.proc = harness_spawn(fx->h, "xorg", argv, NULL);
        if (w.proc == NULL)
            break;
        if (harness_wait_until(x_settled, &w, X_TIMEOUT_MS) && harness_running(w.proc)) {
            found = n;
            break;
        }
        harness_signal(w.proc, SIGKILL);
        harness_wait_exit(w.proc, 1000, NULL);
    }
    g_free(conf);
    g_free(confdir);
    g_free(log);
    return found;
}

/* Skips unless the tools are here; starts the server; checks that SDL sees two monitors side by
 * side (the premise of everything after). */
static void two_monitors(fx_t *fx)
{
    if (fx->xorg_bin == NULL || access(XORG_DRIVER, R_OK) != 0 || fx->ffmpeg_bin == NULL) {
        harness_note("SKIPPED: %s is not installed (Debian: apt-get install xserver-xorg-core "
                     "xserver-xorg-video-dummy ffmpeg); several screens are not tested",
                     fx->xorg_bin == NULL           ? "Xorg"
                     : access(XORG_DRIVER, R_OK) != 0 ? "the dummy video driver"
                                                      : "ffmpeg");
        skip();
    }
    if (geteuid() != 0) {
        harness_note("SKIPPED: not root: Xorg only takes an xorg.conf from its own folders "
                     "then; several screens are not tested");
        skip();
    }
    uint64_t t0 = harness_now_ms();
    fx->display = start_xorg(fx);
    if (fx->display < 0)
        harness_note("no Xorg could be started on :%d..:%d (see xorg.log in the sandbox)",
                     FIRST_DISPLAY, LAST_DISPLAY);
    assert_true(fx->display >= 0);
    snprintf(fx->display_name, sizeof fx->display_name, ":%d", fx->display);
    snprintf(fx->display_env, sizeof fx->display_env, "DISPLAY=:%d", fx->display);
    harness_note("Xorg (dummy, two monitors) %s up in %llu ms", fx->display_name,
                 (unsigned long long)(harness_now_ms() - t0));

    /* What the wall will see: SDL's own view of the displays. */
    setenv("DISPLAY", fx->display_name, 1);
    setenv("SDL_VIDEODRIVER", "x11", 1);
    assert_int_equal(SDL_InitSubSystem(SDL_INIT_VIDEO), 0);
    int n = SDL_GetNumVideoDisplays();
    SDL_Rect b[2] = {{0, 0, 0, 0}, {0, 0, 0, 0}};
    for (int i = 0; i < n && i < 2; i++)
        SDL_GetDisplayBounds(i, &b[i]);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
    harness_note("SDL: %d displays: %dx%d+%d+%d, %dx%d+%d+%d", n, b[0].w, b[0].h, b[0].x, b[0].y,
                 b[1].w, b[1].h, b[1].x, b[1].y);
    assert_int_equal(n, 2);
    assert_true(b[0].x == 0 && b[0].w == MONITOR_W && b[0].h == MONITOR_H);
    assert_true(b[1].x == MONITOR_W && b[1].y == 0 && b[1].w == MONITOR_W && b[1].h == MONITOR_H);
}

/* ---- the wall -------------------------------------------------------------------------------- */

static bool status_field(const char *line, const char *key, char *out, size_t cap)
{
    size_t klen = strlen(key);
    for (const char *s = line; s != NULL && *s != '\0'; s = strchr(s + 1, ' ')) {
        const char *k = s == line ? s : s + 1;
        if (strncmp(k, key, klen) == 0 && k[klen] == '=') {
            const char *v = k + klen + 1;
            size_t n = strcspn(v, " \n");
            snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), v);
            return true;
        }
    }
    return false;
}

/* The value of key on camera id's status line (or the header when id is NULL). */
static bool status_value(const char *path, const char *id, const char *key, char *out, size_t cap)
{
    char *text = harness_read_file(path, NULL);
    if (text == NULL)
        return false;
    bool found = false;
    char **lines = g_strsplit(text, "\n", -1);
    g_free(text);
    for (char **l = lines; *l != NULL && !found; l++) {
        char cam[64];
        if (id == NULL ? (*l)[0] == '#' : status_field(*l, "camera", cam, sizeof cam) &&
                                              strcmp(cam, id) == 0)
            found = status_field(*l, key, out, cap);
    }
    g_strfreev(lines);
    return found;
}

typedef struct {
    const char *path;
    const char *const *ids;
    int n;
} ready_wait_t;

/* Every camera live with MIN_PRESENTED frames drawn. */
static bool cams_ready(void *ctx)
{
    const ready_wait_t *w = ctx;
    for (int i = 0; i < w->n; i++) {
        char state[32], presented[24];
        if (!status_value(w->path, w->ids[i], "state", state, sizeof state) ||
            !status_value(w->path, w->ids[i], "presented", presented, sizeof presented) ||
            strcmp(state, "live") != 0 || strtol(presented, NULL, 10) < MIN_PRESENTED)
            return false;
    }
    return true;
}

static void note_wall_logs(harness_proc_t *wall, const char *status_path)
{
    char *err = harness_read_file(harness_proc_stderr(wall), NULL);
    char *status = harness_read_file(status_path, NULL);
    harness_note("wall stderr:\n%s", err ? err : "(none)");
    harness_note("status file:\n%s", status ? status : "(none)");
    g_free(err);
    g_free(status);
}

static harness_proc_t *start_wall(fx_t *fx, const char *name, const char *layout_text,
                                  const char *const *ids, int n)
{
    char *layout = harness_write_file(fx->h, name, layout_text, 0600);
    assert_non_null(layout);
    const char *const argv[] = {fx->wall_bin, "--window", "--software", "--status-file",
                                fx->status,   "--snapshot", fx->snap,   layout,
                                NULL};
    const char *const env[] = {fx->display_env, "SDL_VIDEODRIVER=x11", NULL};
    uint64_t t0 = harness_now_ms();
    harness_proc_t *wall = harness_spawn(fx->h, "wall", argv, env);
    g_free(layout);
    assert_non_null(wall);
    ready_wait_t rw = {fx->status, ids, n};
    bool ready = harness_wait_until(cams_ready, &rw, LIVE_TIMEOUT_MS);
    if (!ready)
        note_wall_logs(wall, fx->status);
    assert_true(ready);
    harness_note("wall start -> %d cameras live and drawn: %llu ms", n,
                 (unsigned long long)(harness_now_ms() - t0));
    return wall;
}

static void stop_wall(harness_proc_t *wall)
{
    assert_int_equal(harness_signal(wall, SIGTERM), 0);
    int status = INT32_MIN;
    assert_true(harness_wait_exit(wall, EXIT_TIMEOUT_MS, &status));
    assert_int_equal(status, 0);
}

/* ---- images ---------------------------------------------------------------------------------- */

static SDL_Surface *load_rgb24(const char *path)
{
    SDL_Surface *img = IMG_Load(path);
    if (img == NULL)
        return NULL;
    SDL_Surface *s = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_RGB24, 0);
    SDL_FreeSurface(img);
    return s;
}

/* Clearly the test pattern's colour c: its channel high, the other two low. */
static bool pixel_is(const SDL_Surface *s, int x, int y, int c)
{
    const uint8_t *p = (const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch + 3 * (size_t)x;
    for (int k = 0; k < 3; k++)
        if (k == c ? p[k] < 128 : p[k] >= 64)
            return false;
    return true;
}

/* Longest run of colour c along row y between x0 and x1 (exclusive). */
static run_t row_run(const SDL_Surface *s, int y, int x0, int x1, int c)
{
    run_t best = {-1, -2}, cur = {-1, -2};
    for (int x = x0; x < x1 && x < s->w; x++) {
        if (!pixel_is(s, x, y, c)) {
            cur.start = -1;
            continue;
        }
        if (cur.start < 0)
            cur.start = x;
        cur.end = x;
        if (cur.end - cur.start > best.end - best.start)
            best = cur;
    }
    return best;
}

static int run_len(run_t r)
{
    return r.start < 0 ? 0 : r.end - r.start + 1;
}

/* Mean colour of a region is dominated by c (the test pattern, not chrome). */
static bool dominant(const double rgb[3], int c)
{
    for (int k = 0; k < 3; k++)
        if (k == c ? rgb[k] < 150.0 : rgb[k] > 60.0)
            return false;
    return true;
}

/* What one monitor shows along its middle row: the longest run of each colour. */
typedef struct {
    run_t run[NCOLOURS];
} monitor_row_t;

typedef bool shot_pred_fn(const monitor_row_t m[2]);

/* Grabs the X root window (both monitors) until pred holds or GRAB_DEADLINE_MS pass; the runs
 * are in root coordinates. */
static void grab_until(fx_t *fx, shot_pred_fn *pred, monitor_row_t m[2], const char *what)
{
    const char *const argv[] = {fx->ffmpeg_bin, "-loglevel", "error",   "-f", "x11grab",
                                "-video_size",  ROOT_SIZE,   "-i",      fx->display_name,
                                "-frames:v",    "1",         "-y",      fx->shot,
                                NULL};
    const char *const env[] = {fx->display_env, NULL};
    uint64_t t0 = harness_now_ms();
    int grabs = 0;
    bool ok = false;
    while (!ok) {
        int rc = harness_run(fx->h, "ffmpeg", argv, env, GRAB_TIMEOUT_MS);
        grabs++;
        assert_int_equal(rc, 0);
        SDL_Surface *s = load_rgb24(fx->shot);
        assert_non_null(s);
        assert_int_equal(s->w, 2 * MONITOR_W);
        for (int mon = 0; mon < 2; mon++)
            for (int c = 0; c < NCOLOURS; c++)
                m[mon].run[c] = row_run(s, s->h / 2, mon * MONITOR_W, (mon + 1) * MONITOR_W, c);
        SDL_FreeSurface(s);
        ok = pred(m);
        if (!ok && harness_now_ms() - t0 > GRAB_DEADLINE_MS)
            break;
    }
    for (int mon = 0; mon < 2; mon++)
        harness_note("%s, monitor %d, middle row: red %d..%d, green %d..%d, blue %d..%d", what,
                     mon + 1, m[mon].run[RED].start, m[mon].run[RED].end,
                     m[mon].run[GREEN].start, m[mon].run[GREEN].end, m[mon].run[BLUE].start,
                     m[mon].run[BLUE].end);
    harness_note("%s: %d grab(s) in %llu ms%s", what, grabs,
                 (unsigned long long)(harness_now_ms() - t0), ok ? "" : ": NOT as expected");
    assert_true(ok);
}

/* A tile over a whole monitor's grid: at least COVER_FRACTION of it, from near its left edge to
 * near its right edge. */
static bool covers(run_t r, int mon)
{
    int left = mon * MONITOR_W, right = left + MONITOR_W - 1;
    return run_len(r) >= COVER_FRACTION * MONITOR_W && r.start - left <= EDGE_TOLERANCE_PX &&
           right - r.end <= EDGE_TOLERANCE_PX;
}

static bool tiny(run_t r)
{
    return run_len(r) < 16;
}

/* Windows mode: red left of green on monitor 1, nothing blue there; blue across monitor 2. */
static bool windows_grid(const monitor_row_t m[2])
{
    const run_t *a = m[0].run, *b = m[1].run;
    return run_len(a[RED]) >= 0.4 * MONITOR_W && run_len(a[GREEN]) >= 0.4 * MONITOR_W &&
           a[RED].end < a[GREEN].start && a[RED].start <= EDGE_TOLERANCE_PX &&
           MONITOR_W - 1 - a[GREEN].end <= EDGE_TOLERANCE_PX && tiny(a[BLUE]) &&
           covers(b[BLUE], 1) && tiny(b[RED]) && tiny(b[GREEN]);
}

/* Green in the spotlight of monitor 1; monitor 2 unchanged. */
static bool windows_spotlight(const monitor_row_t m[2])
{
    const run_t *a = m[0].run, *b = m[1].run;
    return run_len(a[GREEN]) >= 0.8 * MONITOR_W && tiny(a[RED]) && tiny(a[BLUE]) &&
           covers(b[BLUE], 1) && tiny(b[GREEN]);
}

/* Span mode: red across monitor 1, blue across monitor 2. */
static bool span_grid(const monitor_row_t m[2])
{
    return covers(m[0].run[RED], 0) && tiny(m[0].run[BLUE]) && covers(m[1].run[BLUE], 1) &&
           tiny(m[1].run[RED]);
}

/* Mean colour of a region of a PNG, checked against colour c. */
static void check_region(const char *png, int x, int y, int w, int h, int c, const char *what)
{
    double rgb[3];
    assert_true(harness_png_mean_rgb(png, x, y, w, h, rgb));
    harness_note("%s: mean RGB %.0f,%.0f,%.0f (%s expected)", what, rgb[0], rgb[1], rgb[2],
                 colour_names[c]);
    assert_true(dominant(rgb, c));
}

static void png_size(const char *png, int *w, int *h)
{
    SDL_Surface *s = load_rgb24(png);
    assert_non_null(s);
    *w = s->w;
    *h = s->h;
    SDL_FreeSurface(s);
}

static bool file_exists(void *ctx)
{
    return access((const char *)ctx, F_OK) == 0;
}

/* SIGUSR1, then waits for the snapshot file (removed first, so it is a new one). */
static void snapshot(fx_t *fx, harness_proc_t *wall)
{
    unlink(fx->snap);
    assert_int_equal(harness_signal(wall, SIGUSR1), 0);
    bool written = harness_wait_until(file_exists, fx->snap, SNAPSHOT_TIMEOUT_MS);
    if (!written)
        note_wall_logs(wall, fx->status);
    assert_true(written);
}

typedef struct {
    const char *path, *id;
} focus_wait_t;

static bool focused_on(void *ctx)
{
    const focus_wait_t *w = ctx;
    char v[64];
    return status_value(w->path, NULL, "focused", v, sizeof v) && strcmp(v, w->id) == 0;
}

/* A real double-click (XTEST) at root coordinates (x, y), then waits for the status file's
 * focused= to become want ("-" = none). */
static void double_click(fx_t *fx, int x, int y, const char *want)
{
    char xs[16], ys[16];
    snprintf(xs, sizeof xs, "%d", x);
    snprintf(ys, sizeof ys, "%d", y);
    const char *const argv[] = {fx->xdotool_bin, "mousemove", xs,  ys, "click", "--repeat",
                                "2",             "--delay",   "60", "1", NULL};
    const char *const env[] = {fx->display_env, NULL};
    uint64_t t0 = harness_now_ms();
    assert_int_equal(harness_run(fx->h, "xdotool", argv, env, CTL_TIMEOUT_MS), 0);
    focus_wait_t fw = {fx->status, want};
    bool ok = harness_wait_until(focused_on, &fw, FOCUS_TIMEOUT_MS);
    harness_note("double-click at %d,%d -> focused=%s %s (%llu ms)", x, y, want,
                 ok ? "seen" : "NOT seen", (unsigned long long)(harness_now_ms() - t0));
    assert_true(ok);
}

/* ---- the tests ------------------------------------------------------------------------------- */

static const char windows_layout[] = "[wall]\n"
                                     "canvas = 1280x720\n"
                                     "grid = 2x1\n"
                                     "screens = 2\n"
                                     "screen_mode = windows\n"
                                     "endpoint_dir = ep\n"
                                     "\n"
                                     "[camera red]\n"
                                     "source = test:red\n"
                                     "tile = 0,0\n"
                                     "\n"
                                     "[camera green]\n"
                                     "source = test:green\n"
                                     "tile = 1,0\n"
                                     "screen = 1\n"
                                     "\n"
                                     "[camera blue]\n"
                                     "source = test:blue\n"
                                     "tile = 0,0\n"
                                     "span = 2x1\n"
                                     "screen = 2\n";

static void test_windows_mode(void **state)
{
    fx_t *fx = *state;
    two_monitors(fx);
    static const char *const ids[] = {"red", "green", "blue"};
    harness_proc_t *wall = start_wall(fx, "windows.ini", windows_layout, ids, 3);

    char v[32];
    static const char *const want_screen[] = {"1", "1", "2"};
    for (int i = 0; i < 3; i++) {
        assert_true(status_value(fx->status, ids[i], "screen", v, sizeof v));
        assert_string_equal(v, want_screen[i]);
    }
    assert_true(status_value(fx->status, NULL, "screen_mode", v, sizeof v));
    assert_string_equal(v, "windows");

    monitor_row_t m[2];
    grab_until(fx, windows_grid, m, "windows mode, X screen");

    /* The wall's snapshots: each screen on its own, and both side by side. */
    snapshot(fx, wall);
    char *one = harness_path(fx->h, "snap-screen1.png"), *two = harness_path(fx->h,
                                                                              "snap-screen2.png");
    int w, h;
    png_size(fx->snap, &w, &h);
    harness_note("snapshot %dx%d", w, h);
    assert_true(w == 2 * MONITOR_W && h == MONITOR_H);
    png_size(one, &w, &h);
    assert_true(w == MONITOR_W && h == MONITOR_H);
    png_size(two, &w, &h);
    assert_true(w == MONITOR_W && h == MONITOR_H);
    check_region(one, MONITOR_W / 8, MONITOR_H / 4, MONITOR_W / 4, MONITOR_H / 2, RED,
                 "snap-screen1 left half");
    check_region(one, MONITOR_W / 2 + MONITOR_W / 8, MONITOR_H / 4, MONITOR_W / 4, MONITOR_H / 2,
                 GREEN, "snap-screen1 right half");
    check_region(two, MONITOR_W / 4, MONITOR_H / 4, MONITOR_W / 2, MONITOR_H / 2, BLUE,
                 "snap-screen2 middle");
    check_region(fx->snap, MONITOR_W + MONITOR_W / 4, MONITOR_H / 4, MONITOR_W / 2,
                 MONITOR_H / 2, BLUE, "snap.png right half");
    check_region(fx->snap, MONITOR_W / 8, MONITOR_H / 4, MONITOR_W / 4, MONITOR_H / 2, RED,
                 "snap.png left quarter");
    g_free(one);
    g_free(two);

    /* Input from either window: a double-click on the right monitor focuses its camera (blue),
     * on the left monitor the camera there; a double-click on the focused one's monitor ends it. */
    if (fx->xdotool_bin == NULL) {
        harness_note("clicks not tested: xdotool is not installed (Debian: apt-get install "
                     "xdotool)");
    } else {
        double_click(fx, MONITOR_W + MONITOR_W / 2, MONITOR_H / 2, "blue");
        double_click(fx, MONITOR_W / 4, MONITOR_H / 2, "red");
        double_click(fx, MONITOR_W / 4, MONITOR_H / 2, "-");
    }

    /* An alarm on green: the spotlight is on green's screen; the other screen keeps its grid. */
    char *layout = harness_path(fx->h, "windows.ini");
    const char *const ctl[] = {fx->ctl_bin, "--layout", layout, "alarm", "green", "test", NULL};
    int rc = harness_run(fx->h, "pantauctl", ctl, NULL, CTL_TIMEOUT_MS);
    g_free(layout);
    assert_int_equal(rc, 0);
    focus_wait_t fw = {fx->status, "green"};
    assert_true(harness_wait_until(focused_on, &fw, FOCUS_TIMEOUT_MS));
    assert_true(status_value(fx->status, "red", "visible", v, sizeof v));
    assert_string_equal(v, "0");
    assert_true(status_value(fx->status, "blue", "visible", v, sizeof v));
    assert_string_equal(v, "1");
    grab_until(fx, windows_spotlight, m, "alarm on green, X screen");
    stop_wall(wall);
}

static const char span_layout[] = "[wall]\n"
                                  "canvas = 2560x720\n"
                                  "grid = 2x1\n"
                                  "screens = 2\n"
                                  "screen_mode = span\n"
                                  "endpoint_dir = ep\n"
                                  "\n"
                                  "[camera red]\n"
                                  "source = test:red\n"
                                  "tile = 0,0\n"
                                  "\n"
                                  "[camera blue]\n"
                                  "source = test:blue\n"
                                  "tile = 1,0\n";

static void test_span_mode(void **state)
{
    fx_t *fx = *state;
    two_monitors(fx);
    static const char *const ids[] = {"red", "blue"};
    harness_proc_t *wall = start_wall(fx, "span.ini", span_layout, ids, 2);
    monitor_row_t m[2];
    grab_until(fx, span_grid, m, "span mode, X screen");
    snapshot(fx, wall);
    int w, h;
    png_size(fx->snap, &w, &h);
    harness_note("snapshot %dx%d", w, h);
    assert_true(w == 2 * MONITOR_W && h == MONITOR_H);
    check_region(fx->snap, MONITOR_W / 4, MONITOR_H / 4, MONITOR_W / 2, MONITOR_H / 2, RED,
                 "snap.png left half");
    check_region(fx->snap, MONITOR_W + MONITOR_W / 4, MONITOR_H / 4, MONITOR_W / 2,
                 MONITOR_H / 2, BLUE, "snap.png right half");
    stop_wall(wall);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_windows_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_span_mode, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
