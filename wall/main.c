/* pantau-wall: the video wall compositor.
 *
 *   pantau-wall [options] LAYOUT.ini
 *
 * Loads and validates the layout (refuses to start on errors), starts one pantau-ingest worker
 * per local camera, subscribes to every camera's endpoint and composes the wall at the layout's
 * fps, in a window or headless (SDL software renderer off-screen). See README.md and `--help`.
 *
 * main() reads as parse → create → run → destroy. Signal handlers only set flags:
 * SIGINT/SIGTERM quit (workers are stopped), SIGUSR1 writes a snapshot, SIGHUP reloads.
 * One thread: receiving, supervision, input and rendering all run in the loop below. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>
#include <gst/gst.h>
#include <zmq.h>

#include "control.h"
#include "input.h"
#include "layout.h"
#include "log.h"
#include "render.h"
#include "review.h"
#include "wall.h"
#include "wire.h"

#define DEFAULT_SNAPSHOT_EVERY_S 2.0 /* headless without --snapshot: refresh this often */
#define DEFAULT_STATUS_EVERY_NS 1000000000ull
#define PACE_MIN_GAP_PCT 50 /* a waiting camera frame is composed once half a period has passed */
#define EXIT_USAGE 2
/* ZeroMQ allocates every received frame (0.3-3 MB) on its I/O thread and the wall frees it when a
 * newer one replaces it. With glibc's defaults those blocks are mmapped or trimmed back to the
 * kernel and faulted in again, page by page, frame after frame (perf: clear_page and page faults
 * ~7% of the wall at 3840x2160). Kept in the heap, they are reused: memory stays bounded by the
 * frames in flight (RCVHWM per feed). */
#define DEFAULT_MALLOC_MMAP_THRESHOLD (32 << 20)  /* glibc's maximum */
#define DEFAULT_MALLOC_TRIM_THRESHOLD (256 << 20)

typedef struct {
    const char *layout;
    const char *snapshot;     /* PNG path for snapshots */
    double after_s;           /* > 0: write the snapshot after this long, then exit */
    double every_s;           /* > 0: refresh the snapshot this often */
    const char *status_file;
    const char *ingest;
    const char *incidents;    /* --incidents DB (review) */
    bool review;              /* --review: the incident review window instead of the wall */
    bool no_workers;
    bool headless, window, software, check_only;
    int display;              /* -1 = layout's */
    int fullscreen;           /* -1 = layout's, 0/1 = override */
} opts_t;

static volatile sig_atomic_t quit_flag, snapshot_flag, reload_flag;

static void on_signal(int sig)
{
    if (sig == SIGUSR1)
        snapshot_flag = 1;
    else if (sig == SIGHUP)
        reload_flag = 1;
    else
        quit_flag = 1;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* ---- options ---------------------------------------------------------------------------------- */

static void usage(FILE *out)
{
    fprintf(out,
            "Usage: pantau-wall [options] LAYOUT.ini\n"
            "Composes the camera wall described by LAYOUT.ini (see docs/layout.md).\n\n"
            "  --headless             render off-screen (automatic when there is no display)\n"
            "  --window               require a window; fail if there is no display\n"
            "  --snapshot FILE.png    where snapshots are written (key S, SIGUSR1, --after, --every)\n"
            "  --after SECONDS        write the snapshot after SECONDS, then exit\n"
            "  --every SECONDS        rewrite the snapshot every SECONDS and keep running\n"
            "  --status-file FILE     write each camera's state once a second (key=value lines)\n"
            "  --ingest PATH          pantau-ingest to run (default: next to pantau-wall)\n"
            "  --no-workers           start no workers; only subscribe to the endpoints\n"
            "  --display N            SDL display index for the window (overrides the layout)\n"
            "  --fullscreen           borderless fullscreen (overrides the layout)\n"
            "  --windowed             not fullscreen (overrides the layout)\n"
            "  --software             SDL software renderer in window mode (fast without a GPU)\n"
            "  --review               the incident review window (docs/incidents.md): lists the\n"
            "                         incidents and plays their clips; starts no workers\n"
            "  --incidents FILE.db    review: the incidents database (default:\n"
            "                         RECORDINGS/incidents.db of the layout)\n"
            "  --check                validate the layout, print the errors, exit 0 or 2\n"
            "  --help-layout          print every layout key with its type and default\n"
            "  --version, --help\n\n"
            "Keys: arrows/click select a tile, Enter/F/double-click focus it, Esc back, PageUp/\n"
            "PageDown/Tab or 1..9 change page, A acknowledge an alarm, S snapshot, R reload,\n"
            "F11 fullscreen, Ctrl+Q quit. On a focused PTZ camera: arrows and +/- move it while\n"
            "held, 1..9 go to presets. pantauctl drives the same over the control socket.\n"
            "Environment: PANTAU_LOG=error|warn|info|debug, PANTAU_FONT=FILE.ttf.\n");
}

static bool parse_seconds(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno != 0 || end == s || *end != '\0' || v <= 0 || v > 86400 * 365)
        return false;
    *out = v;
    return true;
}

enum {
    OPT_HEADLESS = 256, OPT_WINDOW, OPT_SNAPSHOT, OPT_AFTER, OPT_EVERY, OPT_STATUS, OPT_INGEST,
    OPT_NO_WORKERS, OPT_DISPLAY, OPT_FULLSCREEN, OPT_WINDOWED, OPT_SOFTWARE, OPT_CHECK,
    OPT_HELP_LAYOUT, OPT_VERSION, OPT_HELP, OPT_REVIEW, OPT_INCIDENTS,
};

/* Returns -1 to continue, or an exit code. */
static int parse_args(int argc, char **argv, opts_t *o)
{
    static const struct option longs[] = {
        {"headless", no_argument, 0, OPT_HEADLESS},   {"window", no_argument, 0, OPT_WINDOW},
        {"snapshot", required_argument, 0, OPT_SNAPSHOT},
        {"after", required_argument, 0, OPT_AFTER},   {"every", required_argument, 0, OPT_EVERY},
        {"status-file", required_argument, 0, OPT_STATUS},
        {"ingest", required_argument, 0, OPT_INGEST},
        {"no-workers", no_argument, 0, OPT_NO_WORKERS},
        {"display", required_argument, 0, OPT_DISPLAY},
        {"fullscreen", no_argument, 0, OPT_FULLSCREEN},
        {"windowed", no_argument, 0, OPT_WINDOWED},   {"software", no_argument, 0, OPT_SOFTWARE},
        {"check", no_argument, 0, OPT_CHECK},         {"help-layout", no_argument, 0, OPT_HELP_LAYOUT},
        {"version", no_argument, 0, OPT_VERSION},     {"help", no_argument, 0, OPT_HELP},
        {"review", no_argument, 0, OPT_REVIEW},
        {"incidents", required_argument, 0, OPT_INCIDENTS},
        {0, 0, 0, 0},
    };
    *o = (opts_t){.display = -1, .fullscreen = -1};
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "h", longs, NULL)) != -1) {
        switch (c) {
        case OPT_HEADLESS: o->headless = true; break;
        case OPT_WINDOW: o->window = true; break;
        case OPT_SNAPSHOT: o->snapshot = optarg; break;
        case OPT_STATUS: o->status_file = optarg; break;
        case OPT_INGEST: o->ingest = optarg; break;
        case OPT_NO_WORKERS: o->no_workers = true; break;
        case OPT_FULLSCREEN: o->fullscreen = 1; break;
        case OPT_WINDOWED: o->fullscreen = 0; break;
        case OPT_SOFTWARE: o->software = true; break;
        case OPT_CHECK: o->check_only = true; break;
        case OPT_REVIEW: o->review = true; break;
        case OPT_INCIDENTS: o->incidents = optarg; break;
        case OPT_AFTER:
        case OPT_EVERY:
            if (!parse_seconds(optarg, c == OPT_AFTER ? &o->after_s : &o->every_s)) {
                fprintf(stderr, "pantau-wall: --%s needs a positive number of seconds, not '%s'\n",
                        c == OPT_AFTER ? "after" : "every", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_DISPLAY:
            o->display = (int)strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || o->display < 0 || o->display > 15) {
                fprintf(stderr, "pantau-wall: --display needs 0..15, not '%s'\n", optarg);
                return EXIT_USAGE;
            }
            break;
        case OPT_HELP_LAYOUT: {
            char *help = layout_keys_help();
            fputs(help ? help : "", stdout);
            free(help);
            return 0;
        }
        case OPT_VERSION: printf("pantau-wall %s (wire format %d)\n", PANTAU_VERSION, WIRE_VERSION); return 0;
        case 'h':
        case OPT_HELP: usage(stdout); return 0;
        default: usage(stderr); return EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "pantau-wall: expected exactly one layout file\n");
        usage(stderr);
        return EXIT_USAGE;
    }
    if (o->headless && o->window) {
        fprintf(stderr, "pantau-wall: --headless and --window exclude each other\n");
        return EXIT_USAGE;
    }
    if ((o->after_s > 0 || o->every_s > 0) && o->snapshot == NULL && o->after_s > 0) {
        fprintf(stderr, "pantau-wall: --after needs --snapshot FILE.png\n");
        return EXIT_USAGE;
    }
    if (o->incidents != NULL && !o->review) {
        fprintf(stderr, "pantau-wall: --incidents goes with --review\n");
        return EXIT_USAGE;
    }
    o->layout = argv[optind];
    return -1;
}

/* pantau-ingest next to our own binary, else from PATH. */
static char *find_ingest(const char *given)
{
    if (given != NULL)
        return strdup(given);
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) {
        self[n] = '\0';
        char *slash = strrchr(self, '/');
        if (slash != NULL) {
            char cand[PATH_MAX + 32];
            *slash = '\0';
            snprintf(cand, sizeof cand, "%s/pantau-ingest", self);
            if (access(cand, X_OK) == 0)
                return strdup(cand);
        }
    }
    return strdup("/usr/local/bin/pantau-ingest");
}

/* ---- the running wall ------------------------------------------------------------------------- */

typedef struct {
    opts_t opts;
    wall_t *wall;             /* the live wall, or NULL in a review window */
    layout_t *review_layout;  /* review window: its layout (owned) */
    review_t *review;         /* review window */
    void *zmq;                /* review window: context of the control socket */
    control_t *control;
    render_t *render;
    bool headless;
    char snapshot_path[PATH_MAX];
    uint64_t next_snapshot_ns, exit_at_ns, next_status_ns;
    bool want_snapshot;
    int exit_code;
} app_t;

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static bool have_display(void)
{
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    return (x != NULL && *x != '\0') || (wl != NULL && *wl != '\0');
}

static const layout_t *app_layout(const app_t *app)
{
    return app->wall != NULL ? wall_layout(app->wall) : app->review_layout;
}

/* The scene of this frame: the wall's, or the review window's. */
static const scene_t *app_tick(app_t *app)
{
    return app->wall != NULL ? wall_tick(app->wall, wire_now_ns())
                             : review_tick(app->review, wire_now_ns());
}

static void app_presented(app_t *app)
{
    if (app->wall != NULL)
        wall_frame_presented(app->wall, wire_now_ns());
}

static int open_render(app_t *app)
{
    const layout_t *l = app_layout(app);
    char err[512];
    render_opts_t ro = {
        .headless = app->opts.headless,
        .display = app->opts.display >= 0 ? app->opts.display : l->display,
        .screens = l->screens,
        .per_screen = l->screen_mode == LAYOUT_SCREENS_WINDOWS,
        .fullscreen = app->opts.fullscreen >= 0 ? app->opts.fullscreen : l->fullscreen,
        .vsync = true,
        .software = app->opts.software,
        .window_title = l->title && l->title[0] ? l->title : "Pantau",
    };
    if (!ro.headless && !have_display() && !app->opts.window) {
        log_warn("wall", "no display found (DISPLAY is not set): running headless");
        ro.headless = true;
    }
    app->render = render_new(l->canvas_w, l->canvas_h, &ro, err, sizeof err);
    if (app->render == NULL && !ro.headless && !app->opts.window) {
        log_warn("wall", "%s: running headless instead", err);
        ro.headless = true;
        app->render = render_new(l->canvas_w, l->canvas_h, &ro, err, sizeof err);
    }
    if (app->render == NULL) {
        log_error("wall", "cannot open the wall's output: %s", err);
        return -1;
    }
    app->headless = ro.headless;
    return 0;
}

/* Headless with nowhere to look: pick a snapshot file and refresh it, so the wall can be seen. */
static void default_snapshot(app_t *app)
{
    const layout_t *l = app_layout(app);
    if (app->opts.snapshot != NULL) {
        snprintf(app->snapshot_path, sizeof app->snapshot_path, "%s", app->opts.snapshot);
        return;
    }
    const char *base = strrchr(app->opts.layout, '/');
    base = base ? base + 1 : app->opts.layout;
    int len = (int)strcspn(base, ".");
    if (app->headless) {
        snprintf(app->snapshot_path, sizeof app->snapshot_path, "%s/%.*s%s.png", l->endpoint_dir,
                 len, base, app->review ? "-review" : "");
        if (app->opts.every_s <= 0)
            app->opts.every_s = DEFAULT_SNAPSHOT_EVERY_S;
    } else {
        snprintf(app->snapshot_path, sizeof app->snapshot_path, "pantau-%.*s.png", len, base);
    }
}

/* Asks the renderer to write the next composed frame (window or headless) to the snapshot file;
 * the outcome is logged by the renderer. */
static void take_snapshot(app_t *app)
{
    if (render_request_snapshot(app->render, app->snapshot_path) != 0)
        log_error("wall", "cannot take a snapshot to %s", app->snapshot_path);
}

static void toggle_fullscreen(app_t *app)
{
    if (app->headless)
        return;
    app->opts.fullscreen = app->opts.fullscreen == 1 ? 0 : 1;
    render_destroy(&app->render);
    if (open_render(app) != 0)
        quit_flag = 1;
}

static void ptz(app_t *app, ctl_ptz_op_t op, const input_action_t *a)
{
    char msg[256];
    int cam = wall_focused(app->wall);
    if (wall_ptz(app->wall, cam, op, a->pan, a->tilt, a->zoom, a->n, false, msg, sizeof msg) != 0)
        log_info("wall", "%s", msg);
}

/* Carries out one operator action (input.h). */
static void apply_input(app_t *app, const input_action_t *a)
{
    wall_t *w = app->wall;
    int sel = wall_focused(w) >= 0 ? wall_focused(w) : wall_selected(w);
    int screen = render_window_screen(app->render, a->window);
    switch (a->kind) {
    case INPUT_QUIT: quit_flag = 1; break;
    case INPUT_SNAPSHOT: app->want_snapshot = true; break;
    case INPUT_RELOAD: reload_flag = 1; break;
    case INPUT_FULLSCREEN: toggle_fullscreen(app); break;
    case INPUT_SELECT_MOVE: wall_select_move(w, a->dx, a->dy); break;
    case INPUT_SELECT_AT: /* SDL reports clicks in canvas (logical) coordinates already */
        wall_select_at(w, screen, a->x, a->y);
        break;
    case INPUT_FOCUS: wall_focus(w, wall_selected(w)); break;
    case INPUT_FOCUS_AT:
        wall_focus(w, wall_camera_at(w, screen, a->x, a->y));
        break;
    case INPUT_UNFOCUS: wall_focus(w, -1); break;
    case INPUT_PAGE_STEP: wall_page_step(w, a->n); break;
    case INPUT_PAGE: wall_page_set(w, a->n); break;
    case INPUT_ACK:
        if (sel >= 0 && wall_camera_alarmed(w, sel))
            wall_ack(w, sel);
        break;
    case INPUT_PTZ_MOVE: ptz(app, CTL_PTZ_MOVE, a); break;
    case INPUT_PTZ_STOP: ptz(app, CTL_PTZ_STOP, a); break;
    case INPUT_PTZ_PRESET: ptz(app, CTL_PTZ_PRESET, a); break;
    case INPUT_MARK: wall_mark(w, sel); break;
    case INPUT_NONE: break;
    }
}

/* The review window: its own keys first, then the wall's S, F11 and Ctrl+Q. */
static void review_event(app_t *app, const SDL_Event *ev)
{
    review_key_t key;
    input_action_t a;
    int n, x, y;
    if (input_map_review(ev, &key, &n, &x, &y)) {
        /* SDL already reports clicks in canvas (logical) coordinates: the renderer has the
         * canvas as its logical size and scales mouse events itself. */
        review_key(app->review, key, n, x, y);
    } else if (input_map(ev, false, &a)) {
        if (a.kind == INPUT_QUIT)
            quit_flag = 1;
        else if (a.kind == INPUT_SNAPSHOT)
            app->want_snapshot = true;
        else if (a.kind == INPUT_FULLSCREEN)
            toggle_fullscreen(app);
    }
}

static void handle_events(app_t *app)
{
    SDL_Event ev;
    input_action_t a;
    while (SDL_PollEvent(&ev)) {
        if (app->review != NULL) {
            review_event(app, &ev);
            continue;
        }
        /* A click counts as "on the focus" only on the screen the focused camera is on: the
         * other screens still show their grids. */
        int focused = wall_focused(app->wall);
        bool on_focus = focused >= 0;
        if (on_focus && ev.type == SDL_MOUSEBUTTONDOWN)
            on_focus = wall_camera_screen(app->wall, focused) ==
                       render_window_screen(app->render, ev.button.windowID);
        if (input_map(&ev, on_focus, &a))
            apply_input(app, &a);
    }
}

static wall_reload_t apply_reload(app_t *app, bool force)
{
    if (app->wall == NULL)
        return WALL_RELOAD_NONE; /* a review window keeps its layout */
    wall_reload_t r = wall_reload(app->wall, force);
    if (r == WALL_RELOAD_NEW_CANVAS) {
        render_destroy(&app->render);
        if (open_render(app) != 0)
            quit_flag = 1;
    }
    return r;
}

/* Control hooks: a snapshot composes a frame now (outside the frame clock) so the answer does
 * not wait; a reload is the same as key R. */
static int ctl_snapshot(void *ud, const char *path, char *err, size_t err_cap)
{
    app_t *app = ud;
    if (render_request_snapshot(app->render, path) != 0) {
        snprintf(err, err_cap, "cannot arm a snapshot");
        return -1;
    }
    const scene_t *scene = app_tick(app);
    if (render_frame(app->render, scene) == 0)
        app_presented(app);
    return render_snapshot_status(app->render, err, err_cap) == 0 ? 0 : -1;
}

static bool ctl_review(void *ud, const ctl_cmd_t *cmd, char *out, size_t cap)
{
    app_t *app = ud;
    return review_command(app->review, cmd, out, cap);
}

static wall_reload_t ctl_reload(void *ud)
{
    return apply_reload(ud, true);
}

static void open_control(app_t *app)
{
    char endpoint[1200], err[1400];
    if (app->review != NULL)
        layout_review_endpoint(app_layout(app), app->opts.layout, endpoint, sizeof endpoint);
    else
        layout_control_endpoint(app_layout(app), app->opts.layout, endpoint, sizeof endpoint);
    app->control = control_new(app->wall != NULL ? wall_zmq(app->wall) : app->zmq, endpoint, err,
                               sizeof err);
    if (app->control == NULL)
        log_warn("wall", "%s: pantauctl cannot reach this wall", err);
    else
        log_info("wall", "control socket %s (pantauctl)", endpoint);
}

/* Waits up to wait_ms for a control request (a review window has no feeds to poll). */
static bool review_poll(void *ctl, int wait_ms)
{
    zmq_pollitem_t it = {ctl, 0, ZMQ_POLLIN, 0};
    if (ctl == NULL) {
        SDL_Delay((Uint32)wait_ms);
        return false;
    }
    return zmq_poll(&it, 1, wait_ms) > 0 && (it.revents & ZMQ_POLLIN);
}

/* One composed frame: supervise, build the scene, draw, and the periodic chores. */
static void compose(app_t *app, uint64_t now_mono)
{
    handle_events(app);
    if (reload_flag) {
        reload_flag = 0;
        apply_reload(app, true);
    } else {
        apply_reload(app, false);
    }
    bool exiting = app->exit_at_ns != 0 && now_mono >= app->exit_at_ns;
    if (snapshot_flag || app->want_snapshot || exiting) {
        snapshot_flag = 0;
        app->want_snapshot = false;
        take_snapshot(app);
    } else if (app->next_snapshot_ns != 0 && now_mono >= app->next_snapshot_ns) {
        take_snapshot(app);
        app->next_snapshot_ns = now_mono + (uint64_t)(app->opts.every_s * 1e9);
    }
    const scene_t *scene = app_tick(app);
    if (render_frame(app->render, scene) == 0)
        app_presented(app);
    if (app->wall != NULL) {
        render_cpu_t cpu;
        render_cpu_stats(app->render, &cpu);
        wall_note_render_cpu(app->wall, cpu.frame_cpu_ns, cpu.upload_cpu_ns, cpu.tiles_drawn,
                             cpu.tiles_kept);
    }
    if (app->wall != NULL && !control_pending(app->control)) {
        char ptz_reply[512]; /* answers to PTZ keys: logged by wall_ptz_answers */
        wall_ptz_answers(app->wall, ptz_reply, sizeof ptz_reply);
    }

    if (app->wall != NULL && app->opts.status_file != NULL && now_mono >= app->next_status_ns) {
        if (wall_write_status(app->wall, app->opts.status_file) != 0)
            log_warn("wall", "cannot write status file %s: %s", app->opts.status_file,
                     strerror(errno));
        app->next_status_ns = now_mono + DEFAULT_STATUS_EVERY_NS;
    }
    if (exiting) {
        char err[256];
        int st = render_snapshot_status(app->render, err, sizeof err);
        if (st == 0)
            log_info("wall", "snapshot written to %s after %.1f s; exiting", app->snapshot_path,
                     app->opts.after_s);
        else
            log_error("wall", "snapshot to %s failed: %s", app->snapshot_path, err);
        app->exit_code = st == 0 ? 0 : 1;
        quit_flag = 1;
    }
}

static void run(app_t *app)
{
    uint64_t start = mono_ns();
    if (app->opts.after_s > 0)
        app->exit_at_ns = start + (uint64_t)(app->opts.after_s * 1e9);
    if (app->opts.every_s > 0)
        app->next_snapshot_ns = start + (uint64_t)(app->opts.every_s * 1e9);
    uint64_t next = start, last = 0;
    while (!quit_flag) {
        bool pace = app_layout(app)->pacing == LAYOUT_PACING_FRAMES;
        uint64_t period = 1000000000ull / (uint64_t)app_layout(app)->fps;
        uint64_t now = mono_ns();
        /* Frame pacing: a composition is due every period; a camera frame that arrives in
         * between is shown early, once at least PACE_MIN_GAP of a period has passed since the
         * last composition. So a frame waits at most that long instead of a whole period, and
         * two frames of one camera in one period are both shown instead of the older being
         * replaced (cameras and the wall do not share a clock). */
        uint64_t early = last + period * PACE_MIN_GAP_PCT / 100;
        bool waiting = pace && now < next && app->wall != NULL && wall_frame_waiting(app->wall);
        if (waiting && now >= early)
            next = now;
        if (now < next) {
            /* Receive frames as they come until the next composition is due. */
            void *ctl = app->control != NULL ? control_socket(app->control) : NULL;
            uint64_t until = next;
            if (waiting && early < next)
                until = early; /* a frame is waiting: look again when it may be shown */
            int wait_ms = (int)((until - now + 999999) / 1000000);
            if (control_pending(app->control) && wait_ms > 10)
                wait_ms = 10; /* a PTZ answer is awaited: look for it often */
            bool ready = app->wall != NULL ? wall_poll(app->wall, wait_ms, ctl)
                                           : review_poll(ctl, wait_ms);
            if (app->control != NULL && (ready || control_pending(app->control))) {
                control_hooks_t hooks = {ctl_snapshot, ctl_reload, ctl_review, app};
                control_handle(app->control, app->wall, &hooks);
            }
            continue;
        }
        compose(app, now);
        last = now;
        next = next + period > now + period ? now + period : next + period;
        uint64_t late_now = mono_ns();
        if (next + period < late_now) { /* fell behind (slow machine): don't try to catch up */
            if (app->wall != NULL)
                wall_frames_skipped(app->wall, (late_now - next) / period);
            next = late_now + period;
        }
    }
}

static int check_layout(const char *path, layout_t **out)
{
    layout_errors_t errs = {0};
    layout_t *l = layout_load(path, &errs);
    if (l == NULL) {
        char *text = layout_errors_format(&errs);
        fprintf(stderr, "pantau-wall: %s is not a valid layout (%d error%s):\n%s", path,
                errs.count, errs.count == 1 ? "" : "s", text ? text : "");
        free(text);
        layout_errors_clear(&errs);
        return EXIT_USAGE;
    }
    layout_errors_clear(&errs);
    *out = l;
    return 0;
}

/* pantau-wall --review: the review window on the layout's canvas; no workers, no feeds. */
static int review_main(app_t *app, layout_t **layout)
{
    gst_init(NULL, NULL);
    char *ingest = find_ingest(app->opts.ingest);
    char *dir = g_path_get_dirname(ingest);
    char *prog = g_build_filename(dir, "pantau-incident", NULL);
    app->review_layout = *layout;
    *layout = NULL;
    app->zmq = zmq_ctx_new();
    app->review = review_new(app->review_layout, app->opts.layout, app->opts.incidents, prog);
    g_free(prog);
    g_free(dir);
    free(ingest);
    if (SDL_Init(SDL_INIT_EVENTS) != 0)
        log_warn("wall", "SDL events unavailable: %s", SDL_GetError());
    int rc = 1;
    if (app->review != NULL && app->zmq != NULL && open_render(app) == 0) {
        default_snapshot(app);
        open_control(app);
        if (app->headless)
            printf("pantau-wall: review, headless; the window is written to %s%s\n",
                   app->snapshot_path, app->opts.after_s > 0 ? " at the end" : " every 2 s");
        fflush(stdout);
        run(app);
        rc = app->exit_code;
    }
    control_destroy(&app->control);
    review_destroy(&app->review);
    render_destroy(&app->render);
    if (app->zmq != NULL)
        zmq_ctx_term(app->zmq);
    layout_destroy(&app->review_layout);
    SDL_Quit();
    return rc;
}

int main(int argc, char **argv)
{
    app_t app;
    memset(&app, 0, sizeof app);
    int rc = parse_args(argc, argv, &app.opts);
    if (rc >= 0)
        return rc;
    log_init(argv[0]);
    mallopt(M_MMAP_THRESHOLD, DEFAULT_MALLOC_MMAP_THRESHOLD);
    mallopt(M_TRIM_THRESHOLD, DEFAULT_MALLOC_TRIM_THRESHOLD);

    layout_t *layout = NULL;
    if ((rc = check_layout(app.opts.layout, &layout)) != 0)
        return rc;
    if (app.opts.check_only) {
        printf("%s: valid (%d cameras, %d panels)\n", app.opts.layout, layout->n_cameras,
               layout->n_panels);
        layout_destroy(&layout);
        return 0;
    }
    install_signals();
    if (app.opts.review)
        return review_main(&app, &layout);
    char *ingest = app.opts.no_workers ? NULL : find_ingest(app.opts.ingest);
    char err[512];
    wall_opts_t wo = {.layout_path = app.opts.layout, .ingest_program = ingest};
    app.wall = wall_new(&layout, &wo, err, sizeof err);
    layout_destroy(&layout);
    if (app.wall == NULL) {
        log_error("wall", "%s", err);
        free(ingest);
        return 1;
    }
    if (SDL_Init(SDL_INIT_EVENTS) != 0)
        log_warn("wall", "SDL events unavailable: %s", SDL_GetError());
    rc = 1;
    if (open_render(&app) == 0) {
        default_snapshot(&app);
        open_control(&app);
        if (app.headless && app.opts.after_s > 0)
            printf("pantau-wall: headless; the wall will be written to %s after %.1f s\n",
                   app.snapshot_path, app.opts.after_s);
        else if (app.headless)
            printf("pantau-wall: headless; the wall is written to %s every %.1f s\n",
                   app.snapshot_path, app.opts.every_s);
        fflush(stdout);
        run(&app);
        rc = app.exit_code;
    }
    log_info("wall", "shutting down: stopping workers");
    control_destroy(&app.control);
    wall_destroy(&app.wall);
    render_destroy(&app.render);
    SDL_Quit();
    free(ingest);
    return rc;
}
