/* it_window: pantau-wall in a real window, on its own Xvfb server.
 *
 * Starts Xvfb on a free display (:90 upward), runs the wall there with --window --windowed
 * --software on a 2x1 layout of two test cameras (videotestsrc red and blue), waits until the
 * status file says both are live, then checks what is on screen twice:
 *   - from the X server itself (ffmpeg x11grab of the root window), independent of the wall: the
 *     wall's window is found by its colours (the reddest and bluest runs of the middle row), so
 *     its placement and scaling are measured rather than assumed: red left, blue right, equal
 *     tiles, centred, no larger than 90% of the screen;
 *   - from the wall (SIGUSR1 -> the window's back buffer as PNG): red left half, blue right half,
 *     the window's size and the same colours as on screen.
 * Then SIGTERM: the wall exits 0 within 5 s and its pantau-ingest workers are gone.
 *
 * Skipped (with a note) only when Xvfb or ffmpeg is not installed. PANTAU_KEEP_TEST_DIR=1 keeps
 * the sandbox (screenshots, layout, logs). */
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

#define SCREEN_W 1280
#define SCREEN_H 720
#define SCREEN_SIZE "1280x720"
#define CANVAS "1280x720" /* same shape as the screen: the wall scales it to 90% */
#define WINDOW_FILL 0.9   /* the wall's documented window size limit */
#define FIRST_DISPLAY 90
#define LAST_DISPLAY 150
#define MAX_XVFB_TRIES 6 /* spawns (each holds a harness slot); only races cost one */
#define XVFB_TIMEOUT_MS 5000
#define LIVE_TIMEOUT_MS 20000
#define MIN_PRESENTED 5 /* frames of each camera drawn before looking at the screen */
#define GRAB_TIMEOUT_MS 10000
#define GRAB_DEADLINE_MS 3000 /* the first grab may race the first presented frame: retry */
#define SNAPSHOT_TIMEOUT_MS 3000
#define EXIT_TIMEOUT_MS 5000
#define WORKER_GONE_MS 1000
#define MIN_TILE_FRACTION 0.3 /* each tile's colour run: at least this much of the screen */
#define CENTRE_TOLERANCE_PX 8
#define SIZE_TOLERANCE_PX 16
#define COLOUR_TOLERANCE 10.0 /* per channel, screen vs snapshot of the same window */

enum { RED, BLUE, NCAMS };
static const char *const cam_ids[NCAMS] = {"red", "blue"};
static const char *const cam_names[NCAMS] = {"red", "blue"};

typedef struct {
    harness_t *h;
    char *wall_bin, *xvfb_bin, *ffmpeg_bin; /* the last two NULL when not installed */
    char *xdotool_bin;                      /* NULL when not installed: no click check */
    char *layout, *status, *snap, *shot;    /* files in the sandbox */
    int display;                            /* Xvfb display number, -1 until started */
    char display_name[16];                  /* ":N" */
    char display_env[32];                   /* "DISPLAY=:N" */
} fx_t;

/* A colour run along a row or column of a screenshot: [start, end], inclusive. */
typedef struct {
    int start, end;
} run_t;

/* Where the wall's two tiles are on the X screen, measured from a screenshot. */
typedef struct {
    run_t row[NCAMS]; /* along the middle row */
    run_t col[NCAMS]; /* along the column through each row run's centre */
    double mean[NCAMS][3];
} screen_wall_t;

static int setup(void **state)
{
    fx_t *fx = g_new0(fx_t, 1);
    fx->h = harness_new();
    fx->wall_bin = harness_bin("pantau-wall");
    fx->xvfb_bin = g_find_program_in_path("Xvfb");
    fx->ffmpeg_bin = g_find_program_in_path("ffmpeg");
    fx->xdotool_bin = g_find_program_in_path("xdotool");
    fx->display = -1;
    *state = fx;
    if (fx->h == NULL || fx->wall_bin == NULL)
        return -1;
    fx->status = harness_path(fx->h, "status.txt");
    fx->snap = harness_path(fx->h, "snap.png");
    fx->shot = harness_path(fx->h, "shot.png");
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    harness_destroy(&fx->h); /* the wall (and through it its workers), then Xvfb */
    g_free(fx->wall_bin);
    g_free(fx->xvfb_bin);
    g_free(fx->ffmpeg_bin);
    g_free(fx->xdotool_bin);
    g_free(fx->layout);
    g_free(fx->status);
    g_free(fx->snap);
    g_free(fx->shot);
    g_free(fx);
    return 0;
}

/* ---- Xvfb ------------------------------------------------------------------------------------ */

typedef struct {
    harness_proc_t *proc;
    char sock[64], lock[64];
} xvfb_wait_t;

/* The pid in an X lock file (/tmp/.XN-lock holds it as text), or -1. */
static pid_t x_lock_pid(const char *lock)
{
    char *text = harness_read_file(lock, NULL);
    pid_t pid = text != NULL ? (pid_t)strtol(text, NULL, 10) : -1;
    g_free(text);
    return pid > 0 ? pid : -1;
}

/* Our server is up: its socket exists and the lock is ours (not a server that won a race for
 * the same number). Also true when it exited (lost the race): the caller tells which. */
static bool xvfb_settled(void *ctx)
{
    xvfb_wait_t *w = ctx;
    if (!harness_running(w->proc))
        return true;
    return access(w->sock, F_OK) == 0 && x_lock_pid(w->lock) == harness_proc_pid(w->proc);
}

/* Starts Xvfb on the first display number with neither a socket nor a lock; returns its number,
 * or -1 when none could be started. */
static int start_xvfb(fx_t *fx, const char *xvfb)
{
    int tries = 0;
    for (int n = FIRST_DISPLAY; n <= LAST_DISPLAY && tries < MAX_XVFB_TRIES; n++) {
        xvfb_wait_t w = {0};
        snprintf(w.sock, sizeof w.sock, "/tmp/.X11-unix/X%d", n);
        snprintf(w.lock, sizeof w.lock, "/tmp/.X%d-lock", n);
        if (access(w.sock, F_OK) == 0 || access(w.lock, F_OK) == 0)
            continue; /* in use, or left behind by a server that died */
        char name[16];
        snprintf(name, sizeof name, ":%d", n);
        const char *const argv[] = {xvfb,        name,  "-screen", "0", SCREEN_SIZE "x24",
                                    "-nolisten", "tcp", NULL};
        tries++;
        w.proc = harness_spawn(fx->h, "xvfb", argv, NULL);
        if (w.proc == NULL)
            return -1;
        if (harness_wait_until(xvfb_settled, &w, XVFB_TIMEOUT_MS) && harness_running(w.proc))
            return n;
        harness_signal(w.proc, SIGKILL); /* lost a race for n, or hung: try the next number */
        harness_wait_exit(w.proc, 1000, NULL);
    }
    return -1;
}

/* ---- the wall's status file ------------------------------------------------------------------ */

/* Copies the value of " key=" (or "key=" at the start) in line, up to a space, into out. */
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

typedef struct {
    const char *path;
    bool live[NCAMS];
    long presented[NCAMS];
    pid_t pid[NCAMS];
} status_wait_t;

/* Both cameras live, with a worker pid and MIN_PRESENTED frames drawn. */
static bool status_ready(void *ctx)
{
    status_wait_t *w = ctx;
    char *text = harness_read_file(w->path, NULL);
    if (text == NULL)
        return false;
    char **lines = g_strsplit(text, "\n", -1);
    g_free(text);
    bool ready = true;
    for (int c = 0; c < NCAMS; c++) {
        w->live[c] = false;
        for (char **l = lines; *l != NULL; l++) {
            char id[64], state[32], pid[16], presented[24];
            if (!status_field(*l, "camera", id, sizeof id) || strcmp(id, cam_ids[c]) != 0 ||
                !status_field(*l, "state", state, sizeof state) ||
                !status_field(*l, "pid", pid, sizeof pid) ||
                !status_field(*l, "presented", presented, sizeof presented))
                continue;
            w->live[c] = strcmp(state, "live") == 0;
            w->pid[c] = (pid_t)strtol(pid, NULL, 10);
            w->presented[c] = strtol(presented, NULL, 10);
        }
        ready = ready && w->live[c] && w->pid[c] > 0 && w->presented[c] >= MIN_PRESENTED;
    }
    g_strfreev(lines);
    return ready;
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

/* Clearly red (c == RED) or clearly blue: the test patterns, not text or dark chrome. */
static bool pixel_is(const SDL_Surface *s, int x, int y, int c)
{
    const uint8_t *p = (const uint8_t *)s->pixels + (size_t)y * (size_t)s->pitch + 3 * (size_t)x;
    int main = c == RED ? p[0] : p[2], other = c == RED ? p[2] : p[0];
    return main >= 128 && p[1] < 64 && other < 64;
}

/* Longest run of colour c along row y (vertical false) or column x (vertical true); start -1 if
 * none. */
static run_t longest_run(const SDL_Surface *s, bool vertical, int at, int c)
{
    run_t best = {-1, -2}, cur = {-1, -2};
    int len = vertical ? s->h : s->w;
    for (int i = 0; i < len; i++) {
        if (!pixel_is(s, vertical ? at : i, vertical ? i : at, c)) {
            cur.start = -1;
            continue;
        }
        if (cur.start < 0)
            cur.start = i;
        cur.end = i;
        if (cur.end - cur.start > best.end - best.start)
            best = cur;
    }
    return best;
}

static int run_len(run_t r)
{
    return r.start < 0 ? 0 : r.end - r.start + 1;
}

static int run_mid(run_t r)
{
    return (r.start + r.end) / 2;
}

/* Red: R high, G and B low; blue: B high, R and G low (means over a region). */
static bool dominant(const double rgb[3], int c)
{
    double main = c == RED ? rgb[0] : rgb[2], other = c == RED ? rgb[2] : rgb[0];
    return main >= 150.0 && rgb[1] <= 60.0 && other <= 60.0;
}

/* Finds both tiles in an X screenshot; false (with *why) when the wall is not (yet) visible. */
static bool find_wall(const char *png, screen_wall_t *out, const char **why)
{
    SDL_Surface *s = load_rgb24(png);
    if (s == NULL) {
        *why = "the screenshot cannot be read";
        return false;
    }
    bool ok = false;
    *why = "no red or no blue run of at least 30% of the screen width in the middle row";
    for (int c = 0; c < NCAMS; c++) {
        out->row[c] = longest_run(s, false, s->h / 2, c);
        if (run_len(out->row[c]) < MIN_TILE_FRACTION * s->w)
            goto done;
        out->col[c] = longest_run(s, true, run_mid(out->row[c]), c);
    }
    *why = "a tile's colour run is shorter than 30% of the screen height";
    for (int c = 0; c < NCAMS; c++)
        if (run_len(out->col[c]) < MIN_TILE_FRACTION * s->h)
            goto done;
    *why = "the middle of a tile is not dominated by its colour";
    for (int c = 0; c < NCAMS; c++) {
        int w = run_len(out->row[c]) / 2, h = run_len(out->col[c]) / 2;
        if (!harness_png_mean_rgb(png, run_mid(out->row[c]) - w / 2, run_mid(out->col[c]) - h / 2,
                                  w, h, out->mean[c]) ||
            !dominant(out->mean[c], c))
            goto done;
    }
    ok = true;
done:
    SDL_FreeSurface(s);
    return ok;
}

/* ---- steps ----------------------------------------------------------------------------------- */

static const char *layout_text(void)
{
    return "[wall]\n"
           "canvas = " CANVAS "\n"
           "grid = 2x1\n"
           "fps = 25\n"
           "endpoint_dir = ep\n"
           "\n"
           "[camera red]\n"
           "source = test:red\n"
           "tile = 0,0\n"
           "\n"
           "[camera blue]\n"
           "source = test:blue\n"
           "tile = 1,0\n";
}

/* Grabs the X screen until the wall is found on it or GRAB_DEADLINE_MS pass. */
static void grab_and_find(fx_t *fx, const char *ffmpeg, const char *shot, screen_wall_t *sw)
{
    const char *const argv[] = {
        ffmpeg, "-loglevel",      "error",     "-f", "x11grab", "-video_size", SCREEN_SIZE,
        "-i",   fx->display_name, "-frames:v", "1",  "-y",      shot,          NULL};
    const char *const env[] = {fx->display_env, NULL};
    uint64_t t0 = harness_now_ms();
    const char *why = "";
    int grabs = 0;
    bool found = false;
    while (!found) {
        int rc = harness_run(fx->h, "ffmpeg", argv, env, GRAB_TIMEOUT_MS);
        grabs++;
        if (rc != 0)
            harness_note("ffmpeg x11grab failed (status %d); see its log in the sandbox", rc);
        assert_int_equal(rc, 0);
        found = find_wall(shot, sw, &why);
        if (!found && harness_now_ms() - t0 > GRAB_DEADLINE_MS)
            break;
    }
    harness_note("X screenshot: %d grab(s) in %llu ms%s%s", grabs,
                 (unsigned long long)(harness_now_ms() - t0),
                 found ? "" : "; not found: ", found ? "" : why);
    assert_true(found);
}

/* The wall as the X server shows it: red left of blue, equal tiles, centred, within 90%. */
static void check_screen(const screen_wall_t *sw)
{
    for (int c = 0; c < NCAMS; c++)
        harness_note("screen: %-4s x %d..%d, y %d..%d, mean RGB %.0f,%.0f,%.0f", cam_names[c],
                     sw->row[c].start, sw->row[c].end, sw->col[c].start, sw->col[c].end,
                     sw->mean[c][0], sw->mean[c][1], sw->mean[c][2]);
    assert_true(sw->row[RED].end < sw->row[BLUE].start);
    int gap = sw->row[BLUE].start - sw->row[RED].end - 1;
    assert_true(gap <= SIZE_TOLERANCE_PX); /* side by side: only the grid gap between */
    assert_true(abs(run_len(sw->row[RED]) - run_len(sw->row[BLUE])) <= SIZE_TOLERANCE_PX);
    assert_true(abs(run_len(sw->col[RED]) - run_len(sw->col[BLUE])) <= SIZE_TOLERANCE_PX);
    int left = sw->row[RED].start, right = SCREEN_W - 1 - sw->row[BLUE].end;
    harness_note("screen: wall spans x %d..%d (margins %d left, %d right, %d between tiles)",
                 sw->row[RED].start, sw->row[BLUE].end, left, right, gap);
    assert_true(abs(left - right) <= CENTRE_TOLERANCE_PX);
    assert_true(sw->row[BLUE].end - sw->row[RED].start + 1 <= WINDOW_FILL * SCREEN_W + 1);
}

/* The wall's own snapshot of its window: the window's size, red left, blue right, and the same
 * colours as on screen. */
static void check_snapshot(const char *snap, const screen_wall_t *sw)
{
    SDL_Surface *s = load_rgb24(snap);
    assert_non_null(s);
    int w = s->w, h = s->h;
    SDL_FreeSurface(s);
    int on_screen = sw->row[BLUE].end - sw->row[RED].start + 1;
    harness_note("snapshot: %dx%d (wall on screen: %d px wide)", w, h, on_screen);
    assert_true(w <= WINDOW_FILL * SCREEN_W + 1 && h <= WINDOW_FILL * SCREEN_H + 1);
    assert_true(abs(w * 720 - h * 1280) <= 1280); /* the canvas's 16:9, within a pixel */
    assert_true(abs(w - on_screen) <= SIZE_TOLERANCE_PX);
    for (int c = 0; c < NCAMS; c++) {
        double rgb[3];
        int x = c == RED ? w / 8 : w / 2 + w / 8; /* the middle of each half: no text there */
        assert_true(harness_png_mean_rgb(snap, x, h / 4, w / 4, h / 2, rgb));
        harness_note("snapshot: %-4s half mean RGB %.0f,%.0f,%.0f", cam_names[c], rgb[0], rgb[1],
                     rgb[2]);
        assert_true(dominant(rgb, c));
        for (int k = 0; k < 3; k++)
            assert_true(rgb[k] >= sw->mean[c][k] - COLOUR_TOLERANCE &&
                        rgb[k] <= sw->mean[c][k] + COLOUR_TOLERANCE);
    }
}

static bool file_exists(void *ctx)
{
    return access((const char *)ctx, F_OK) == 0;
}

/* Gone, or a zombie nobody has reaped yet (not running either way). */
static bool pid_gone(pid_t pid)
{
    if (kill(pid, 0) != 0 && errno == ESRCH)
        return true;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    char *text = harness_read_file(path, NULL);
    const char *paren = text != NULL ? strrchr(text, ')') : NULL;
    bool gone =
        text == NULL || (paren != NULL && paren[1] == ' ' && (paren[2] == 'Z' || paren[2] == 'X'));
    g_free(text);
    return gone;
}

static bool workers_gone(void *ctx)
{
    const status_wait_t *st = ctx;
    for (int c = 0; c < NCAMS; c++)
        if (!pid_gone(st->pid[c]))
            return false;
    return true;
}

/* Logs what the wall said, for a failure's post-mortem. */
static void note_wall_logs(harness_proc_t *wall, const char *status_path)
{
    char *err = harness_read_file(harness_proc_stderr(wall), NULL);
    char *status = harness_read_file(status_path, NULL);
    harness_note("wall stderr:\n%s", err ? err : "(none)");
    harness_note("status file:\n%s", status ? status : "(none)");
    g_free(err);
    g_free(status);
}

/* The status header says focused=want. */
typedef struct {
    const char *path, *want;
} focus_wait_t;

static bool focused_is(void *ctx)
{
    focus_wait_t *w = ctx;
    char *text = harness_read_file(w->path, NULL), v[64];
    bool ok = text != NULL && status_field(text, "focused", v, sizeof v) && strcmp(v, w->want) == 0;
    g_free(text);
    return ok;
}

/* A real double-click (XTEST) near the right edge of the red tile, where the window is scaled
 * (the canvas is drawn at 90%): the wall must focus red. Mapping SDL's already-scaled click
 * again put it on blue. */
static void check_click_focus(fx_t *fx, const screen_wall_t *sw)
{
    if (fx->xdotool_bin == NULL) {
        harness_note("xdotool not installed: click on a scaled window not checked");
        return;
    }
    int x = sw->row[RED].start + run_len(sw->row[RED]) * 95 / 100, y = run_mid(sw->col[RED]);
    char xs[16], ys[16];
    snprintf(xs, sizeof xs, "%d", x);
    snprintf(ys, sizeof ys, "%d", y);
    const char *const argv[] = {fx->xdotool_bin, "mousemove", xs, ys, "click", "--repeat", "2",
                                "--delay", "80", "1", NULL};
    const char *const env[] = {fx->display_env, NULL};
    assert_int_equal(harness_run(fx->h, "xdotool", argv, env, 5000), 0);
    focus_wait_t w = {fx->status, "red"};
    bool ok = harness_wait_until(focused_is, &w, 3000);
    harness_note("double-click at %d,%d (right edge of red, window scaled) -> focused=red %s", x,
                 y, ok ? "seen" : "NOT seen");
    assert_true(ok);
    const char *const esc[] = {fx->xdotool_bin, "key", "Escape", NULL};
    assert_int_equal(harness_run(fx->h, "xdotool-esc", esc, env, 5000), 0);
    w.want = "-";
    assert_true(harness_wait_until(focused_is, &w, 3000)); /* Esc: back to the grid */
}

/* ---- the test -------------------------------------------------------------------------------- */

static void test_window_on_xvfb(void **state)
{
    fx_t *fx = *state;
    if (fx->xvfb_bin == NULL || fx->ffmpeg_bin == NULL) {
        harness_note("SKIPPED: %s is not installed (Debian: apt-get install xvfb ffmpeg); the "
                     "wall's window is not tested",
                     fx->xvfb_bin == NULL ? "Xvfb" : "ffmpeg");
        skip();
    }

    uint64_t t0 = harness_now_ms();
    fx->display = start_xvfb(fx, fx->xvfb_bin);
    if (fx->display < 0)
        harness_note("no Xvfb could be started on :%d..:%d", FIRST_DISPLAY, LAST_DISPLAY);
    assert_true(fx->display >= 0);
    snprintf(fx->display_name, sizeof fx->display_name, ":%d", fx->display);
    snprintf(fx->display_env, sizeof fx->display_env, "DISPLAY=:%d", fx->display);
    harness_note("Xvfb %s up in %llu ms", fx->display_name,
                 (unsigned long long)(harness_now_ms() - t0));

    fx->layout = harness_write_file(fx->h, "window.ini", layout_text(), 0600);
    assert_non_null(fx->layout);
    const char *const argv[] = {fx->wall_bin,    "--window", "--windowed", "--software",
                                "--status-file", fx->status, fx->layout,   "--snapshot",
                                fx->snap,        NULL};
    /* x11 explicitly: an inherited WAYLAND_DISPLAY must not take the wall elsewhere. */
    const char *const env[] = {fx->display_env, "SDL_VIDEODRIVER=x11", NULL};
    t0 = harness_now_ms();
    harness_proc_t *wall = harness_spawn(fx->h, "wall", argv, env);
    assert_non_null(wall);

    status_wait_t st = {.path = fx->status};
    bool ready = harness_wait_until(status_ready, &st, LIVE_TIMEOUT_MS);
    if (!ready)
        note_wall_logs(wall, fx->status);
    assert_true(ready);
    harness_note("wall start -> both cameras live, %ld and %ld frames drawn: %llu ms "
                 "(worker pids %d, %d)",
                 st.presented[RED], st.presented[BLUE], (unsigned long long)(harness_now_ms() - t0),
                 (int)st.pid[RED], (int)st.pid[BLUE]);

    screen_wall_t sw;
    grab_and_find(fx, fx->ffmpeg_bin, fx->shot, &sw);
    check_screen(&sw);
    check_click_focus(fx, &sw);

    t0 = harness_now_ms();
    assert_int_equal(harness_signal(wall, SIGUSR1), 0);
    bool written = harness_wait_until(file_exists, fx->snap, SNAPSHOT_TIMEOUT_MS);
    if (!written)
        note_wall_logs(wall, fx->status);
    assert_true(written);
    harness_note("SIGUSR1 -> snapshot written in %llu ms",
                 (unsigned long long)(harness_now_ms() - t0));
    check_snapshot(fx->snap, &sw);

    t0 = harness_now_ms();
    assert_int_equal(harness_signal(wall, SIGTERM), 0);
    int status = INT32_MIN;
    assert_true(harness_wait_exit(wall, EXIT_TIMEOUT_MS, &status));
    harness_note("SIGTERM -> wall exited with %d in %llu ms", status,
                 (unsigned long long)(harness_now_ms() - t0));
    assert_int_equal(status, 0);
    bool gone = harness_wait_until(workers_gone, &st, WORKER_GONE_MS);
    harness_note("workers %d, %d %s", (int)st.pid[RED], (int)st.pid[BLUE],
                 gone ? "gone" : "STILL RUNNING");
    assert_true(gone);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_window_on_xvfb, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
