/* wall: cameras, feeds, workers and the scene of one running wall (see wall.h). */
#include "wall.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

#include <glib.h>

#include "counters.h"
#include "feed.h"
#include "incident.h"
#include "latstat.h"
#include "ptzctl.h"
#include "log.h"
#include "supervisor.h"
#include "tilestate.h"

#define WALL_RELOAD_CHECK_NS 1000000000ull /* how often the layout file's stat is compared */
#define WALL_BANNER_MAX_LINES 4
#define WALL_ENDPOINT_MAX 512
#define WALL_ALARM_MAX 160
#define WALL_BLINK_NS 500000000ull  /* alarm border on/off period */
#define WALL_MAIN_SUFFIX "+main"    /* supervisor id of a focused camera's main-stream worker */

typedef struct {
    char id[LAYOUT_ID_MAX + 1];
    const layout_camera_t *cfg; /* into wall->layout */
    feed_t *feed;
    bool supervised;
    char endpoint[WALL_ENDPOINT_MAX];
    grid_rect_t rect;           /* on its screen's canvas */
    int screen;                 /* 0-based screen it is on (screen_mode=windows; else 0) */
    uint64_t watch_start_ns;
    tilestate_out_t look;
    bool uploading;             /* the scene being drawn carries a new frame of this camera */
    uint64_t presented;         /* frames shown */
    latstat_t e2e;              /* capture (camera clock or receive time) → presented */
    latstat_t added;            /* decoder output → presented: what ZeroMQ and the wall add */
    wire_clock_t e2e_clock;     /* capture clock of the samples in e2e */
    bool visible;               /* drawn in the current scene */
    uint64_t shown_ns;          /* when it last became visible */
    bool alarm;
    uint64_t alarm_ns;
    char alarm_reason[WALL_ALARM_MAX];
    char alarm_text[WALL_ALARM_MAX + 32];
    /* Focus: the main stream (main_uri, or the source at full size) while the tile is focused. */
    feed_t *main_feed;
    bool main_supervised;
    uint64_t main_since_ns;
    bool showing_main;          /* the focused tile shows main_feed's frames */
} wall_cam_t;

struct wall {
    layout_t *layout;
    char *layout_path;
    struct stat layout_st;
    uint64_t last_check_ns;
    char *ingest_program;
    void *zmq;
    supervisor_t *sv;
    grid_t grid;
    wall_cam_t cams[LAYOUT_MAX_CAMERAS];
    int n_cams;
    int selected;               /* camera index, -1 = none */
    int page;                   /* index of the page shown */
    uint64_t page_since_ns;     /* for rotation */
    bool page_live_pending;     /* waiting for every camera of the new page to show a new frame */
    long page_live_ms;          /* last page switch: ms until all its cameras were live, or -1 */
    long focus_main_ms;         /* last focus: ms until the main stream was on screen, or -1 */
    int focused;                /* camera index shown full screen, -1 = none */
    bool focus_by_alarm;        /* the focus came from an alarm (acknowledging ends it) */
    char title_buf[256];
    char alarm_banner[512];     /* alarms on cameras not in view */
    /* PTZ requests go to the camera's worker from a helper thread (an ONVIF call can take
     * seconds; the wall keeps rendering): jobs in, answers back through ptz_done. */
    GThreadPool *ptz_pool;
    GAsyncQueue *ptz_done;
    char *banner;
    uint64_t reloads, reloads_rejected;
    uint64_t wall_frames, wall_skipped; /* compositions presented / skipped (fell behind) */
    uint64_t render_cpu_ns, upload_cpu_ns; /* render thread CPU: frames, within them uploads */
    uint64_t tiles_drawn, tiles_kept;      /* tile draws, and tiles kept unchanged (render.h) */
    /* The scene of the current frame and the strings it points to. */
    scene_t scene;
    scene_tile_t tiles[LAYOUT_MAX_CAMERAS];
    scene_panel_t panels[LAYOUT_MAX_PANELS];
    const char *panel_lines[LAYOUT_MAX_PANELS][4];
    char clock[64];
    zmq_pollitem_t items[2 * LAYOUT_MAX_CAMERAS + 1];
    counters_t *counters;       /* complaint-counter panels (wall/counters.h) */
};

/* ---- cameras ----------------------------------------------------------------------------------- */

static void cam_endpoint(const layout_t *l, const layout_camera_t *c, char *out, size_t cap)
{
    if (c->endpoint != NULL)
        snprintf(out, cap, "%s", c->endpoint);
    else
        snprintf(out, cap, "ipc://%s/%s.sock", l->endpoint_dir, c->id);
}

static grid_rect_t cam_rect(const grid_t *g, const layout_camera_t *c)
{
    return grid_cell_rect(g, c->cell.col, c->cell.row, c->cell.cols, c->cell.rows);
}

/* The 0-based screen an item with screen= (1-based) is drawn on: in span mode every item is on
 * the one canvas. */
static int item_screen(const layout_t *l, int screen)
{
    return l->screen_mode == LAYOUT_SCREENS_WINDOWS && screen >= 1 ? screen - 1 : 0;
}

/* Arguments for pantau-ingest (see docs/ingest.md); strings in buf, pointers in args. */
static void cam_worker_args(const wall_t *w, const wall_cam_t *cam, char buf[][WALL_ENDPOINT_MAX],
                            const char **args, bool record)
{
    static const char *const fits[] = {"letterbox", "crop", "stretch"};
    const layout_camera_t *c = cam->cfg;
    int tw = cam->rect.w, th = cam->rect.h, n = 0, b = 0;
    grid_even_size(&tw, &th);
#define ARG(flag, ...)                                                                             \
    do {                                                                                           \
        args[n++] = flag;                                                                          \
        snprintf(buf[b], WALL_ENDPOINT_MAX, __VA_ARGS__);                                          \
        args[n++] = buf[b++];                                                                      \
    } while (0)
    ARG("--id", "%s", c->id);
    ARG("--source", "%s", c->kind == LAYOUT_SOURCE_ONVIF ? c->onvif : c->source);
    ARG("--endpoint", "%s", cam->endpoint);
    ARG("--width", "%d", tw);
    ARG("--height", "%d", th);
    ARG("--fit", "%s", fits[c->fit]);
    ARG("--transport", "%s", c->transport == LAYOUT_TRANSPORT_UDP ? "udp" : "tcp");
    ARG("--latency-ms", "%d", c->latency_ms);
    ARG("--decoder", "%s", c->decoder != NULL ? c->decoder : "auto");
    ARG("--label", "%s", c->label);
    ARG("--fps", "%d", w->layout->fps);
    if (w->layout->credentials != NULL)
        ARG("--credentials", "%s", w->layout->credentials);
    if (record && w->layout->recordings != NULL && c->record &&
        (c->kind == LAYOUT_SOURCE_RTSP || c->kind == LAYOUT_SOURCE_ONVIF)) {
        ARG("--record-dir", "%s", w->layout->recordings);
        ARG("--retention", "%s", c->retention != NULL ? c->retention : w->layout->retention);
        ARG("--quota", "%s", c->quota);
        ARG("--quota-total", "%s", w->layout->quota_total);
    }
    if (c->kind == LAYOUT_SOURCE_ONVIF)
        ARG("--profile", "%s", c->profile != NULL ? c->profile : "auto");
#undef ARG
    args[n] = NULL;
}

static int cam_start(wall_t *w, wall_cam_t *cam, const layout_camera_t *c, uint64_t now_ns)
{
    char err[256];
    memset(cam, 0, sizeof *cam);
    snprintf(cam->id, sizeof cam->id, "%s", c->id);
    cam->cfg = c;
    cam->rect = cam_rect(&w->grid, c);
    cam->screen = item_screen(w->layout, c->screen);
    cam->watch_start_ns = now_ns;
    cam_endpoint(w->layout, c, cam->endpoint, sizeof cam->endpoint);
    cam->feed = feed_new(w->zmq, c->id, cam->endpoint, err, sizeof err);
    if (cam->feed == NULL) {
        log_error("wall", "camera %s: %s", c->id, err);
        return -1;
    }
    cam->supervised = c->kind != LAYOUT_SOURCE_REMOTE && w->sv != NULL;
    if (cam->supervised) {
        char buf[24][WALL_ENDPOINT_MAX];
        const char *args[40];
        cam_worker_args(w, cam, buf, args, true);
        if (supervisor_add(w->sv, c->id, args) != 0)
            return -1;
    }
    return 0;
}

static void cam_main_stop(wall_t *w, wall_cam_t *cam)
{
    char sid[LAYOUT_ID_MAX + sizeof WALL_MAIN_SUFFIX];
    snprintf(sid, sizeof sid, "%s%s", cam->id, WALL_MAIN_SUFFIX);
    if (cam->main_supervised && w->sv != NULL)
        supervisor_remove(w->sv, sid);
    cam->main_supervised = false;
    cam->showing_main = false;
    feed_destroy(&cam->main_feed);
}

static void cam_stop(wall_t *w, wall_cam_t *cam)
{
    cam_main_stop(w, cam);
    if (cam->supervised && w->sv != NULL)
        supervisor_remove(w->sv, cam->id);
    feed_destroy(&cam->feed);
}

/* The focused tile's area: the whole grid below the title bar (of its own screen). */
static grid_rect_t focus_rect(const wall_t *w)
{
    return grid_cell_rect(&w->grid, 0, 0, w->layout->cols, w->layout->rows);
}

/* Starts the focused camera's main stream: main_uri, or the source again at the focus size (a
 * remote camera has no source: its substream is shown scaled up). */
static void cam_main_start(wall_t *w, wall_cam_t *cam)
{
    const layout_camera_t *c = cam->cfg;
    if (cam->main_feed != NULL || c->kind == LAYOUT_SOURCE_REMOTE || w->sv == NULL)
        return;
    char endpoint[WALL_ENDPOINT_MAX], sid[LAYOUT_ID_MAX + sizeof WALL_MAIN_SUFFIX], err[256];
    snprintf(endpoint, sizeof endpoint, "ipc://%s/%s.main.sock", w->layout->endpoint_dir, c->id);
    snprintf(sid, sizeof sid, "%s%s", c->id, WALL_MAIN_SUFFIX);
    cam->main_feed = feed_new(w->zmq, c->id, endpoint, err, sizeof err);
    if (cam->main_feed == NULL) {
        log_warn("wall", "camera %s: no main stream: %s", c->id, err);
        return;
    }
    char buf[24][WALL_ENDPOINT_MAX];
    const char *args[40];
    wall_cam_t tmp = *cam;
    tmp.rect = focus_rect(w);
    snprintf(tmp.endpoint, sizeof tmp.endpoint, "%s", endpoint);
    cam_worker_args(w, &tmp, buf, args, false); /* the tile's worker records, not this one */
    if (c->main_uri != NULL)
        snprintf(buf[1], WALL_ENDPOINT_MAX, "%s", c->main_uri); /* --source */
    cam->main_supervised = supervisor_add(w->sv, sid, args) == 0;
    cam->main_since_ns = wire_now_ns();
    w->focus_main_ms = -1;
    log_info("wall", "camera %s focused: starting its main stream (%s)", c->id,
             c->main_uri != NULL ? "main_uri" : "source at full size");
}

static void mkdir_private(const char *dir)
{
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        log_warn("wall", "cannot create endpoint folder %s: %s", dir, strerror(errno));
}

/* Builds cams[] for the current layout, reusing cameras from old[] whose worker can stay. */
static void cams_build(wall_t *w, wall_cam_t *old, int n_old, const layout_t *old_layout,
                       uint64_t now_ns)
{
    bool kept[LAYOUT_MAX_CAMERAS] = {false};
    w->n_cams = 0;
    for (int i = 0; i < w->layout->n_cameras; i++) {
        const layout_camera_t *c = &w->layout->cameras[i];
        wall_cam_t *cam = &w->cams[w->n_cams];
        int j = 0;
        while (j < n_old && strcmp(old[j].id, c->id) != 0)
            j++;
        if (j < n_old && old_layout != NULL &&
            !layout_camera_needs_restart(old_layout, old[j].cfg, w->layout, c)) {
            *cam = old[j];
            cam->cfg = c;
            cam->rect = cam_rect(&w->grid, c);
            cam->screen = item_screen(w->layout, c->screen);
            kept[j] = true;
            w->n_cams++;
            continue;
        }
        if (j < n_old) {
            log_info("wall", "camera %s changed: restarting its worker", c->id);
            cam_stop(w, &old[j]);
            kept[j] = true;
        }
        if (cam_start(w, cam, c, now_ns) == 0)
            w->n_cams++;
        else
            cam_stop(w, cam);
    }
    for (int j = 0; j < n_old; j++)
        if (!kept[j]) {
            log_info("wall", "camera %s removed from the layout", old[j].id);
            cam_stop(w, &old[j]);
        }
}

/* ---- lifecycle ------------------------------------------------------------------------------- */

static bool grid_for(grid_t *g, const layout_t *l)
{
    return grid_init(g, l->canvas_w, l->canvas_h, l->title != NULL && l->title[0] != '\0', l->cols,
                     l->rows, l->gap);
}

wall_t *wall_new(layout_t **layout, const wall_opts_t *opts, char *err, size_t err_cap)
{
    wall_t *w = calloc(1, sizeof *w);
    if (w == NULL)
        goto fail;
    w->layout = *layout;
    *layout = NULL;
    w->selected = -1;
    w->focused = -1;
    w->page_since_ns = wire_now_ns();
    w->page_live_ms = -1;
    w->focus_main_ms = -1;
    w->layout_path = strdup(opts->layout_path);
    w->zmq = zmq_ctx_new();
    if (w->layout_path == NULL || w->zmq == NULL)
        goto fail;
    if (opts->ingest_program != NULL) {
        w->ingest_program = strdup(opts->ingest_program);
        w->sv = supervisor_new(opts->ingest_program);
        if (w->ingest_program == NULL || w->sv == NULL)
            goto fail;
    }
    stat(w->layout_path, &w->layout_st);
    if (!grid_for(&w->grid, w->layout)) {
        snprintf(err, err_cap, "layout grid does not fit the canvas");
        goto fail_quiet;
    }
    mkdir_private(w->layout->endpoint_dir);
    cams_build(w, NULL, 0, NULL, wire_now_ns());
    char *complaints = counters_program_beside(opts->ingest_program);
    w->counters = counters_new(w->zmq, complaints);
    free(complaints);
    if (w->counters == NULL)
        goto fail;
    counters_sync(w->counters, w->layout);
    return w;
fail:
    snprintf(err, err_cap, "out of memory starting the wall");
fail_quiet:
    wall_destroy(&w);
    return NULL;
}

void wall_destroy(wall_t **wp)
{
    if (wp == NULL || *wp == NULL)
        return;
    wall_t *w = *wp;
    if (w->ptz_pool != NULL)
        g_thread_pool_free(w->ptz_pool, FALSE, TRUE); /* waits for the running request */
    if (w->ptz_done != NULL) {
        gpointer job;
        while ((job = g_async_queue_try_pop(w->ptz_done)) != NULL)
            g_free(job);
        g_async_queue_unref(w->ptz_done);
    }
    supervisor_destroy(&w->sv);
    counters_destroy(&w->counters);
    for (int i = 0; i < w->n_cams; i++) {
        feed_destroy(&w->cams[i].feed);
        feed_destroy(&w->cams[i].main_feed);
    }
    if (w->zmq != NULL)
        zmq_ctx_term(w->zmq);
    layout_destroy(&w->layout);
    free(w->layout_path);
    free(w->ingest_program);
    free(w->banner);
    free(w);
    *wp = NULL;
}

const layout_t *wall_layout(const wall_t *w)
{
    return w->layout;
}

const char *wall_banner(const wall_t *w)
{
    return w->banner;
}

void *wall_zmq(wall_t *w)
{
    return w->zmq;
}

/* ---- receiving --------------------------------------------------------------------------------- */

static feed_t *cam_picture_feed(const wall_cam_t *cam);

bool wall_poll(wall_t *w, int timeout_ms, void *extra)
{
    int n = 0;
    feed_t *feeds[2 * LAYOUT_MAX_CAMERAS];
    for (int i = 0; i < w->n_cams; i++) {
        feeds[n++] = w->cams[i].feed;
        if (w->cams[i].main_feed != NULL)
            feeds[n++] = w->cams[i].main_feed;
    }
    for (int i = 0; i < n; i++)
        w->items[i] = (zmq_pollitem_t){feed_socket(feeds[i]), 0, ZMQ_POLLIN, 0};
    if (extra != NULL)
        w->items[n] = (zmq_pollitem_t){extra, 0, ZMQ_POLLIN, 0};
    int total = n + (extra != NULL);
    if (total == 0) {
        struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        return false;
    }
    if (zmq_poll(w->items, total, timeout_ms) <= 0)
        return false;
    uint64_t now = wire_now_ns();
    for (int i = 0; i < n; i++)
        if (w->items[i].revents & ZMQ_POLLIN)
            feed_drain(feeds[i], now);
    return extra != NULL && (w->items[n].revents & ZMQ_POLLIN);
}

bool wall_frame_waiting(const wall_t *w)
{
    for (int i = 0; i < w->n_cams; i++) {
        const wall_cam_t *cam = &w->cams[i];
        if (!cam->visible)
            continue;
        const feed_frame_t *fr = feed_frame(cam_picture_feed(cam));
        if (fr != NULL && !fr->drawn)
            return true;
    }
    return false;
}

/* ---- the scene --------------------------------------------------------------------------------- */

static uint64_t age_ms(uint64_t now_ns, uint64_t then_ns)
{
    return now_ns > then_ns ? (now_ns - then_ns) / 1000000u : 0;
}

/* The frame a tile shows: the focused camera's main stream once it delivers, else its own. */
static feed_t *cam_picture_feed(const wall_cam_t *cam)
{
    return cam->showing_main ? cam->main_feed : cam->feed;
}

static void cam_scene_tile(wall_t *w, wall_cam_t *cam, scene_tile_t *t, uint64_t now_ns)
{
    if (cam->main_feed != NULL && !cam->showing_main) {
        const feed_frame_t *mf = feed_frame(cam->main_feed);
        if (mf != NULL && mf->recv_ns >= cam->main_since_ns) {
            cam->showing_main = true;
            w->focus_main_ms = (long)((now_ns - cam->main_since_ns) / 1000000u);
            log_info("wall", "camera %s: main stream %ux%u on screen %.0f ms after focus", cam->id,
                     mf->header.width, mf->header.height,
                     (double)(now_ns - cam->main_since_ns) / 1e6);
        }
    }
    const feed_frame_t *fr = feed_frame(cam_picture_feed(cam));
    /* A camera that just came into view shows its last frame at once: the frame's age counts
     * from when it was shown, so it is not called stale while the decoder resumes. */
    uint64_t fresh_ns = fr == NULL ? 0 : fr->recv_ns > cam->shown_ns ? fr->recv_ns : cam->shown_ns;
    uint64_t status_ns = 0;
    const wire_status_t *st = feed_status(cam->feed, &status_ns);
    supervisor_info_t info = {0};
    bool known = cam->supervised && supervisor_info(w->sv, cam->id, &info);
    tilestate_in_t in = {
        .lang = tilestate_lang_from_code(w->layout->language),
        .has_status = st != NULL,
        .status = st,
        .status_age_ms = st ? age_ms(now_ns, status_ns) : 0,
        .has_frame = fr != NULL,
        .frame_age_ms = fr ? age_ms(now_ns, fresh_ns) : 0,
        .since_start_ms = age_ms(now_ns, cam->watch_start_ns),
        .supervised = cam->supervised,
        .worker_restarts = known ? info.restarts : 0,
        .worker_running = known && info.running,
        .worker_error = known ? info.last_error : NULL,
        .worker_refused = known && info.last_exit == SUPERVISOR_EXIT_CONFIG,
    };
    tilestate_eval(&in, &cam->look);
    incident_tile_note(&cam->look, st, in.lang); /* recording faults */
    *t = (scene_tile_t){
        .id = cam->id,
        .screen = cam->screen,
        .rect = cam->rect,
        .label = cam->cfg->label,
        .has_frame = fr != NULL,
        .fit = cam->cfg->fit,
        .dim = cam->look.dim,
        .severity = cam->look.severity,
        .headline = cam->look.headline[0] ? cam->look.headline : NULL,
        .detail = cam->look.detail[0] ? cam->look.detail : NULL,
        .badge = cam->look.badge[0] ? cam->look.badge : NULL,
        .highlight = w->selected >= 0 && &w->cams[w->selected] == cam && w->focused < 0,
        .alarm = cam->alarm ? cam->alarm_text : NULL,
        .alarm_on = ((now_ns - cam->alarm_ns) / WALL_BLINK_NS) % 2 == 0,
    };
    if (w->focused >= 0 && &w->cams[w->focused] == cam)
        t->rect = focus_rect(w);
    cam->uploading = fr != NULL && !fr->drawn;
    if (fr != NULL) {
        t->frame_new = cam->uploading;
        t->frame_w = (int)fr->header.width;
        t->frame_h = (int)fr->header.height;
        for (int p = 0; p < 3; p++) {
            t->planes[p] = fr->payload + fr->header.offset[p];
            t->strides[p] = (int)fr->header.stride[p];
        }
    }
}

/* Which cameras are drawn and which are decoded: the current page's (or, on the screen of a
 * focused camera, only that one; other screens keep their page), plus always_live ones decoded
 * off-page. While a tile is focused the rest of its page keeps decoding, so leaving the focus
 * shows live tiles at once. */
static void update_visibility(wall_t *w, uint64_t now_ns)
{
    int focus_screen = w->focused >= 0 ? w->cams[w->focused].screen : -1;
    for (int i = 0; i < w->n_cams; i++) {
        wall_cam_t *cam = &w->cams[i];
        bool on_page = layout_on_page(cam->cfg->pages, w->page);
        bool visible = cam->screen == focus_screen ? i == w->focused : on_page;
        if (visible && !cam->visible)
            cam->shown_ns = now_ns;
        cam->visible = visible;
        /* Every camera is decoded until its first frame, so a page shown later has a picture
         * at once (the last frame) while its cameras resume. */
        bool first = feed_frame(cam->feed) == NULL;
        feed_set_watching(cam->feed, visible || on_page || cam->cfg->always_live || first);
    }
}

/* Page switch latency: the time until every camera on the new page shows a frame received after
 * the switch (cameras without a status or not live are not waited for). */
static void check_page_live(wall_t *w, uint64_t now_ns)
{
    if (!w->page_live_pending || w->focused >= 0)
        return;
    for (int i = 0; i < w->n_cams; i++) {
        const wall_cam_t *cam = &w->cams[i];
        const feed_frame_t *fr = feed_frame(cam->feed);
        const wire_status_t *st = feed_status(cam->feed, NULL);
        if (!cam->visible || st == NULL || st->state != WIRE_STATE_LIVE)
            continue;
        if (fr == NULL || fr->recv_ns < w->page_since_ns)
            return;
    }
    w->page_live_pending = false;
    w->page_live_ms = (long)((now_ns - w->page_since_ns) / 1000000u);
    log_info("wall", "page %d live %ld ms after the switch", w->page + 1, w->page_live_ms);
}

static void rotate_pages(wall_t *w, uint64_t now_ns)
{
    int n = layout_page_count(w->layout);
    if (w->layout->rotate_s <= 0 || n < 2 || w->focused >= 0)
        return;
    if (now_ns - w->page_since_ns >= (uint64_t)w->layout->rotate_s * 1000000000ull)
        wall_page_set(w, (w->page + 1) % n);
}

/* Alarms the operator cannot see (their camera is on another page or behind the focus) go into
 * the banner, so no alarm is missed; layout errors keep priority. */
static const char *banner_text(wall_t *w)
{
    if (w->banner != NULL)
        return w->banner;
    bool en = tilestate_lang_from_code(w->layout->language) == TILESTATE_LANG_EN;
    size_t n = 0, cap = sizeof w->alarm_banner;
    int count = 0;
    for (int i = 0; i < w->n_cams; i++) {
        const wall_cam_t *cam = &w->cams[i];
        if (!cam->alarm || cam->visible)
            continue;
        if (count++ == 0)
            n += (size_t)snprintf(w->alarm_banner, cap, "%s",
                                  en ? "ALARM on cameras not in view:" : "ALARM pada kamera lain:");
        if (n < cap)
            n += (size_t)snprintf(w->alarm_banner + n, cap - n, "%s %s%s%s", count > 1 ? "," : "",
                                  cam->cfg->label, cam->alarm_reason[0] ? " – " : "",
                                  cam->alarm_reason);
    }
    return count > 0 ? w->alarm_banner : NULL;
}

static void title_text(wall_t *w)
{
    const layout_t *L = w->layout;
    const char *title = L->title != NULL ? L->title : "";
    if (L->n_pages > 1)
        snprintf(w->title_buf, sizeof w->title_buf, "%s  ·  %s  %d/%d", title,
                 L->pages[w->page].label, w->page + 1, L->n_pages);
    else
        snprintf(w->title_buf, sizeof w->title_buf, "%s", title);
}

static void panel_scene(wall_t *w, int i, scene_panel_t *p)
{
    const layout_panel_t *lp = &w->layout->panels[i];
    bool en = tilestate_lang_from_code(w->layout->language) == TILESTATE_LANG_EN;
    const char **lines = w->panel_lines[i];
    int n = 0;
    if (lp->type == LAYOUT_PANEL_TEXT) {
        lines[n++] = lp->text ? lp->text : "";
    }
    *p = (scene_panel_t){
        .screen = item_screen(w->layout, lp->screen),
        .rect = grid_cell_rect(&w->grid, lp->cell.col, lp->cell.row, lp->cell.cols, lp->cell.rows),
        .title = lp->title ? lp->title : (en ? "Public complaints" : "Pengaduan Masyarakat"),
        .lines = lines,
        .n_lines = n,
        .counters = counters_scene(w->counters, w->layout, i, wire_now_ns()),
    };
}

const scene_t *wall_tick(wall_t *w, uint64_t now_ns)
{
    if (w->sv != NULL)
        supervisor_tick(w->sv);
    counters_poll(w->counters, now_ns);
    time_t secs = (time_t)(now_ns / 1000000000u);
    struct tm tm;
    localtime_r(&secs, &tm);
    tilestate_clock_text(tilestate_lang_from_code(w->layout->language), &tm, w->clock,
                         sizeof w->clock);
    rotate_pages(w, now_ns);
    update_visibility(w, now_ns);
    check_page_live(w, now_ns);
    title_text(w);
    int n_tiles = 0, n_panels = 0;
    for (int i = 0; i < w->n_cams; i++) {
        scene_tile_t off_screen;
        wall_cam_t *cam = &w->cams[i];
        /* Off-screen cameras are evaluated too: their state is in the status reports. */
        cam_scene_tile(w, cam, cam->visible ? &w->tiles[n_tiles++] : &off_screen, now_ns);
        cam->uploading = cam->uploading && cam->visible;
    }
    int focus_screen = w->focused >= 0 ? w->cams[w->focused].screen : -1;
    for (int i = 0; i < w->layout->n_panels; i++)
        if (layout_on_page(w->layout->panels[i].pages, w->page) &&
            item_screen(w->layout, w->layout->panels[i].screen) != focus_screen)
            panel_scene(w, i, &w->panels[n_panels++]);
    w->scene = (scene_t){
        .canvas_w = w->layout->canvas_w,
        .canvas_h = w->layout->canvas_h,
        .title_rect = grid_title_rect(&w->grid),
        .title = w->title_buf,
        .clock = w->clock,
        .tiles = w->tiles,
        .n_tiles = n_tiles,
        .panels = w->panels,
        .n_panels = n_panels,
        .banner = banner_text(w),
    };
    return &w->scene;
}

void wall_note_render_cpu(wall_t *w, uint64_t frame_cpu_ns, uint64_t upload_cpu_ns,
                          uint64_t tiles_drawn, uint64_t tiles_kept)
{
    w->render_cpu_ns = frame_cpu_ns;
    w->upload_cpu_ns = upload_cpu_ns;
    w->tiles_drawn = tiles_drawn;
    w->tiles_kept = tiles_kept;
}

void wall_frames_skipped(wall_t *w, uint64_t n)
{
    w->wall_skipped += n;
}

void wall_frame_presented(wall_t *w, uint64_t now_ns)
{
    counters_presented(w->counters, now_ns);
    w->wall_frames++;
    for (int i = 0; i < w->n_cams; i++) {
        wall_cam_t *cam = &w->cams[i];
        feed_t *feed = cam_picture_feed(cam);
        const feed_frame_t *fr = feed_frame(feed);
        if (!cam->uploading || fr == NULL)
            continue;
        /* A frame that arrived while the tile was off screen is the "last frame" shown on the
         * way back, not a measure of the pipeline's latency. */
        if (fr->recv_ns >= cam->shown_ns) {
            if (fr->header.capture_clock != cam->e2e_clock) {
                latstat_restart(&cam->e2e); /* e.g. the first sender report: a new time base */
                cam->e2e_clock = fr->header.capture_clock;
            }
            latstat_add(&cam->e2e, fr->header.capture_ns, now_ns);
            latstat_add(&cam->added, fr->header.decoded_ns, now_ns);
        }
        cam->presented++;
        cam->uploading = false;
        feed_mark_drawn(feed);
    }
}

/* ---- reload ------------------------------------------------------------------------------------ */

static bool file_changed(wall_t *w)
{
    struct stat st;
    if (stat(w->layout_path, &st) != 0)
        return false; /* being replaced by an editor: look again next time */
    bool changed = st.st_mtim.tv_sec != w->layout_st.st_mtim.tv_sec ||
                   st.st_mtim.tv_nsec != w->layout_st.st_mtim.tv_nsec ||
                   st.st_size != w->layout_st.st_size || st.st_ino != w->layout_st.st_ino;
    w->layout_st = st;
    return changed;
}

/* Banner text: the first few errors, then "+N more". */
static char *banner_from_errors(const layout_errors_t *errs, bool en)
{
    size_t cap = 2048;
    char *b = malloc(cap);
    if (b == NULL)
        return NULL;
    int n = snprintf(b, cap, "%s", en ? "Layout edit rejected, last good layout kept:"
                                      : "Perubahan layout ditolak, layout terakhir tetap dipakai:");
    for (int i = 0; i < errs->count && i < WALL_BANNER_MAX_LINES && (size_t)n < cap; i++) {
        const layout_error_t *e = &errs->items[i];
        const char *base = strrchr(e->file, '/');
        n += snprintf(b + n, cap - (size_t)n, "\n%s:%d: %s%s%s", base ? base + 1 : e->file,
                      e->line, e->key ? e->key : "", e->key ? ": " : "", e->message);
    }
    if (errs->count > WALL_BANNER_MAX_LINES && (size_t)n < cap)
        snprintf(b + n, cap - (size_t)n, "\n+%d %s", errs->count - WALL_BANNER_MAX_LINES,
                 en ? "more" : "lainnya");
    return b;
}

static void log_errors(const layout_errors_t *errs)
{
    char *text = layout_errors_format(errs);
    log_error("wall", "layout edit rejected (%d error%s), keeping the last good layout:\n%s",
              errs->count, errs->count == 1 ? "" : "s", text ? text : "");
    free(text);
}

wall_reload_t wall_reload(wall_t *w, bool force)
{
    uint64_t now = wire_now_ns();
    if (!force && now - w->last_check_ns < WALL_RELOAD_CHECK_NS)
        return WALL_RELOAD_NONE;
    w->last_check_ns = now;
    if (!file_changed(w) && !force)
        return WALL_RELOAD_NONE;

    layout_errors_t errs = {0};
    layout_t *next = layout_load(w->layout_path, &errs);
    grid_t g;
    if (next != NULL && !grid_for(&g, next)) {
        layout_destroy(&next); /* validation already checks this; belt and braces */
    }
    if (next == NULL) {
        log_errors(&errs);
        free(w->banner);
        w->banner = banner_from_errors(&errs, tilestate_lang_from_code(w->layout->language) ==
                                                  TILESTATE_LANG_EN);
        layout_errors_clear(&errs);
        w->reloads_rejected++;
        return WALL_RELOAD_REJECTED;
    }
    layout_errors_clear(&errs);
    bool new_canvas = next->canvas_w != w->layout->canvas_w ||
                      next->canvas_h != w->layout->canvas_h ||
                      next->display != w->layout->display || next->screens != w->layout->screens ||
                      next->fullscreen != w->layout->fullscreen ||
                      next->screen_mode != w->layout->screen_mode;
    wall_cam_t old[LAYOUT_MAX_CAMERAS];
    int n_old = w->n_cams;
    char focused_id[LAYOUT_ID_MAX + 1] = "";
    if (w->focused >= 0)
        snprintf(focused_id, sizeof focused_id, "%s", w->cams[w->focused].id);
    memcpy(old, w->cams, sizeof(wall_cam_t) * (size_t)n_old);
    layout_t *prev = w->layout;
    w->layout = next;
    w->grid = g;
    mkdir_private(w->layout->endpoint_dir);
    cams_build(w, old, n_old, prev, now);
    counters_sync(w->counters, w->layout);
    layout_destroy(&prev);
    free(w->banner);
    w->banner = NULL;
    w->selected = w->selected < w->n_cams ? w->selected : -1;
    w->focused = focused_id[0] != '\0' ? wall_find_camera(w, focused_id) : -1;
    if (w->page >= layout_page_count(w->layout))
        wall_page_set(w, 0);
    w->reloads++;
    log_info("wall", "layout reloaded: %d cameras, %d panels", w->n_cams, w->layout->n_panels);
    return new_canvas ? WALL_RELOAD_NEW_CANVAS : WALL_RELOAD_APPLIED;
}

/* ---- operator input --------------------------------------------------------------------------- */

int wall_find_camera(const wall_t *w, const char *id)
{
    for (int i = 0; i < w->n_cams; i++)
        if (strcmp(w->cams[i].id, id) == 0)
            return i;
    return -1;
}

int wall_page(const wall_t *w)
{
    return w->page;
}

void wall_page_set(wall_t *w, int page)
{
    int n = layout_page_count(w->layout);
    if (page < 0 || page >= n)
        return;
    if (page != w->page)
        log_info("wall", "page %d/%d: %s", page + 1, n,
                 w->layout->n_pages > 0 ? w->layout->pages[page].label : "");
    w->page_live_pending = page != w->page;
    w->page = page;
    w->page_since_ns = wire_now_ns();
    if (w->selected >= 0 && !layout_on_page(w->cams[w->selected].cfg->pages, page))
        w->selected = -1;
}

void wall_page_step(wall_t *w, int delta)
{
    int n = layout_page_count(w->layout);
    wall_page_set(w, ((w->page + delta) % n + n) % n);
}

int wall_focused(const wall_t *w)
{
    return w->focused;
}

void wall_focus(wall_t *w, int cam)
{
    if (cam == w->focused)
        return;
    if (w->focused >= 0) {
        cam_main_stop(w, &w->cams[w->focused]);
        log_info("wall", "focus on camera %s ended", w->cams[w->focused].id);
    }
    w->focus_by_alarm = false;
    if (cam < 0 || cam >= w->n_cams) {
        w->focused = -1;
        w->page_since_ns = wire_now_ns(); /* a full rotate_s on the page before it turns */
        return;
    }
    /* Show the camera's page under the focus, so leaving it lands where the camera is. */
    if (!layout_on_page(w->cams[cam].cfg->pages, w->page))
        for (int p = 0; p < layout_page_count(w->layout); p++)
            if (layout_on_page(w->cams[cam].cfg->pages, p)) {
                wall_page_set(w, p);
                break;
            }
    w->focused = cam;
    w->selected = cam;
    cam_main_start(w, &w->cams[cam]);
}

void wall_alarm(wall_t *w, int cam, const char *reason)
{
    if (cam < 0 || cam >= w->n_cams)
        return;
    wall_cam_t *c = &w->cams[cam];
    char why[WALL_ALARM_MAX];
    snprintf(why, sizeof why, "%s", reason != NULL ? reason : "");
    c->alarm = true;
    c->alarm_ns = wire_now_ns();
    memcpy(c->alarm_reason, why, sizeof why);
    snprintf(c->alarm_text, sizeof c->alarm_text, "ALARM%s%s", why[0] ? "  ·  " : "", why);
    log_warn("wall", "ALARM on camera %s%s%s", c->id, c->alarm_reason[0] ? ": " : "",
             c->alarm_reason);
    /* Promote it to the spotlight unless the operator is looking at another camera. */
    if (w->focused < 0 || w->focus_by_alarm) {
        wall_focus(w, cam);
        w->focus_by_alarm = true;
    }
}

int wall_ack(wall_t *w, int cam)
{
    int n = 0;
    for (int i = 0; i < w->n_cams; i++) {
        if ((cam >= 0 && i != cam) || !w->cams[i].alarm)
            continue;
        w->cams[i].alarm = false;
        log_info("wall", "alarm on camera %s acknowledged", w->cams[i].id);
        n++;
    }
    if (w->focus_by_alarm && w->focused >= 0 && !w->cams[w->focused].alarm) {
        /* The spotlight moves to the newest alarm still open, or ends. */
        int next = -1;
        for (int i = 0; i < w->n_cams; i++)
            if (w->cams[i].alarm && (next < 0 || w->cams[i].alarm_ns > w->cams[next].alarm_ns))
                next = i;
        wall_focus(w, next);
        w->focus_by_alarm = next >= 0;
    }
    return n;
}

typedef struct {
    char endpoint[PTZCTL_ENDPOINT_MAX];
    char command[96];
    char camera[LAYOUT_ID_MAX + 1];
    bool for_control; /* the answer goes back to a pantauctl waiting on the control socket */
    int rc;
    char reply[PTZCTL_REPLY_MAX];
} wall_ptz_job_t;

static void ptz_run(gpointer data, gpointer user_data)
{
    wall_ptz_job_t *job = data;
    GAsyncQueue *done = user_data;
    job->rc = ptzctl_request(NULL, job->endpoint, job->command, PTZCTL_DEFAULT_TIMEOUT_MS,
                             job->reply, sizeof job->reply);
    g_async_queue_push(done, job);
}

int wall_ptz(wall_t *w, int cam, ctl_ptz_op_t op, double pan, double tilt, double zoom,
             int preset, bool for_control, char *out, size_t cap)
{
    if (cam < 0 || cam >= w->n_cams) {
        snprintf(out, cap, "PTZ: no camera focused");
        return -1;
    }
    wall_ptz_job_t *job = g_new0(wall_ptz_job_t, 1);
    snprintf(job->camera, sizeof job->camera, "%s", w->cams[cam].id);
    if (ptzctl_endpoint(w->cams[cam].endpoint, job->endpoint, sizeof job->endpoint) != 0) {
        snprintf(out, cap, "camera %s: no PTZ socket for endpoint %s", job->camera,
                 w->cams[cam].endpoint);
        g_free(job);
        return -1;
    }
    switch (op) {
    case CTL_PTZ_MOVE:
        snprintf(job->command, sizeof job->command, "move %.3f %.3f %.3f", pan, tilt, zoom);
        break;
    case CTL_PTZ_STOP: snprintf(job->command, sizeof job->command, "stop"); break;
    case CTL_PTZ_PRESET: snprintf(job->command, sizeof job->command, "preset %d", preset); break;
    case CTL_PTZ_PRESETS: snprintf(job->command, sizeof job->command, "presets"); break;
    }
    job->for_control = for_control;
    if (w->ptz_pool == NULL) {
        w->ptz_done = g_async_queue_new();
        w->ptz_pool = g_thread_pool_new(ptz_run, w->ptz_done, 1, FALSE, NULL);
    }
    g_thread_pool_push(w->ptz_pool, job, NULL);
    snprintf(out, cap, "PTZ %s sent to camera %s", job->command, job->camera);
    return 0;
}

int wall_ptz_answers(wall_t *w, char *out, size_t cap)
{
    int found = 0;
    wall_ptz_job_t *job;
    while (w->ptz_done != NULL && (job = g_async_queue_try_pop(w->ptz_done)) != NULL) {
        const char *text = strncmp(job->reply, "error: ", 7) == 0 ? job->reply + 7 : job->reply;
        if (job->rc != 0)
            log_warn("wall", "camera %s: PTZ %s: %s", job->camera, job->command, text);
        else
            log_debug("wall", "camera %s: PTZ %s: %s", job->camera, job->command, text);
        if (job->for_control) {
            snprintf(out, cap, "%s%s", job->rc == 0 ? "ok\n" : "error: ", text);
            found = 1;
        }
        g_free(job);
    }
    return found;
}

int wall_alarm_count(const wall_t *w)
{
    int n = 0;
    for (int i = 0; i < w->n_cams; i++)
        n += w->cams[i].alarm;
    return n;
}

bool wall_camera_alarmed(const wall_t *w, int cam)
{
    return cam >= 0 && cam < w->n_cams && w->cams[cam].alarm;
}

int wall_selected(const wall_t *w)
{
    return w->selected;
}

int wall_camera_screen(const wall_t *w, int cam)
{
    return cam >= 0 && cam < w->n_cams ? w->cams[cam].screen : -1;
}

int wall_camera_at(const wall_t *w, int screen, int x, int y)
{
    grid_rect_t rects[LAYOUT_MAX_CAMERAS];
    if (w->focused >= 0 && w->cams[w->focused].screen == screen) {
        grid_rect_t r = focus_rect(w);
        return grid_hit(&r, 1, x, y) == 0 ? w->focused : -1;
    }
    for (int i = 0; i < w->n_cams; i++)
        rects[i] = w->cams[i].visible && w->cams[i].screen == screen ? w->cams[i].rect
                                                                     : (grid_rect_t){0, 0, 0, 0};
    return grid_hit(rects, w->n_cams, x, y);
}

void wall_select_at(wall_t *w, int screen, int x, int y)
{
    int hit = wall_camera_at(w, screen, x, y);
    w->selected = hit == w->selected ? -1 : hit;
}

void wall_select_move(wall_t *w, int dx, int dy)
{
    if (w->n_cams == 0)
        return;
    if (w->selected < 0) {
        for (int i = 0; i < w->n_cams && w->selected < 0; i++)
            if (w->cams[i].visible)
                w->selected = i;
        return;
    }
    /* Move to the camera whose cell is nearest in the requested direction. Screens are side by
     * side: the arrows cross from one screen's grid into the next. */
    const wall_cam_t *sel = &w->cams[w->selected];
    const layout_cell_t *from = &sel->cfg->cell;
    int from_col = sel->screen * w->layout->cols + from->col;
    int best = -1, best_d = 1 << 30;
    for (int i = 0; i < w->n_cams; i++) {
        const layout_cell_t *c = &w->cams[i].cfg->cell;
        if (!layout_on_page(w->cams[i].cfg->pages, w->page))
            continue;
        int ddx = w->cams[i].screen * w->layout->cols + c->col - from_col, ddy = c->row - from->row;
        if ((dx != 0 && ddx * dx <= 0) || (dy != 0 && ddy * dy <= 0))
            continue;
        int d = abs(ddx) * (dx ? 1 : 4) + abs(ddy) * (dy ? 1 : 4);
        if (d < best_d) {
            best_d = d;
            best = i;
        }
    }
    if (best >= 0)
        w->selected = best;
}

/* ---- status report ---------------------------------------------------------------------------- */

/* Capture clock as a status-file token. */
static const char *clock_token(wire_clock_t c)
{
    return c == WIRE_CLOCK_CAMERA ? "camera-rtcp" : c == WIRE_CLOCK_RECEIVE ? "receive-time" : "unknown";
}

/* The jitter buffer the worker reports, else the layout's (an older worker sends no info). */
static int cam_jitbuf_ms(const wall_cam_t *cam, const wire_info_t *info)
{
    return info != NULL ? (int)info->latency_ms : cam->cfg->latency_ms;
}

/* The state for reports: a camera decoded by nobody while its worker is live is "paused"
 * (its tile would say stale: its last frame is old on purpose). */
static const char *cam_state_name(const wall_cam_t *cam)
{
    const wire_status_t *st = feed_status(cam->feed, NULL);
    if (!feed_watching(cam->feed) && st != NULL && st->state == WIRE_STATE_LIVE)
        return "paused";
    return cam->look.state_name ? cam->look.state_name : "unknown";
}

static void write_cam_line(FILE *f, const wall_t *w, const wall_cam_t *cam, uint64_t now)
{
    const feed_counters_t *fc = feed_counters(cam->feed);
    const wire_status_t *st = feed_status(cam->feed, NULL);
    const feed_frame_t *fr = feed_frame(cam->feed);
    supervisor_info_t info = {0};
    bool known = cam->supervised && supervisor_info(w->sv, cam->id, &info);
    const wire_info_t *wi = feed_info(cam->feed);
    uint32_t p50, p99, a50, a99;
    int n = latstat_pct(&cam->e2e, &p50, &p99);
    int na = latstat_pct(&cam->added, &a50, &a99);
    fprintf(f,
            "camera=%s latency_samples=%d latency_p50_ms=%u latency_p99_ms=%u added_samples=%d "
            "added_p50_ms=%u added_p99_ms=%u clock_skew=%llu last_skew_ms=%lld capture_clock=%s "
            "clock_offset_ms=%ld jitbuf_ms=%d decoder=%s decoder_hw=%d decoder_why=\"%s\" ",
            cam->id, n, p50, p99, na, a50, a99, (unsigned long long)cam->e2e.skewed,
            (long long)cam->e2e.last_skew_ms,
            clock_token(wi ? wi->capture_clock : WIRE_CLOCK_UNKNOWN),
            wi && wi->clock_offset_ms != WIRE_OFFSET_NONE ? (long)wi->clock_offset_ms : 0L,
            cam_jitbuf_ms(cam, wi), wi && wi->decoder[0] ? wi->decoder : "-",
            wi ? wi->decoder_hw : 0, wi ? wi->decoder_why : "");
    fprintf(f,
            "state=%s worker_state=%s fps=%.1f frames=%llu presented=%llu replaced=%llu "
            "malformed=%llu frame_age_ms=%lld "
            "reconnects=%u attempt=%u worker=%s pid=%d restarts=%u screen=%d tile=%dx%d+%d+%d "
            "visible=%d decoding=%d focused=%d main=%s alarm=%d rec=%s error=\"%s\" "
            "worker_error=\"%s\"\n",
            cam_state_name(cam), st ? wire_state_name(st->state) : "none", st ? st->fps_milli / 1000.0 : 0.0,
            (unsigned long long)fc->frames, (unsigned long long)cam->presented,
            (unsigned long long)fc->frames_replaced, (unsigned long long)fc->malformed,
            fr ? (long long)age_ms(now, fr->recv_ns) : -1LL, st ? st->reconnects : 0, st ? st->attempt : 0,
            !cam->supervised ? "remote" : (known && info.running ? "running" : "down"),
            known ? (int)info.pid : 0, known ? info.restarts : 0, cam->screen + 1, cam->rect.w,
            cam->rect.h, cam->rect.x, cam->rect.y, cam->visible, feed_watching(cam->feed),
            w->focused >= 0 && &w->cams[w->focused] == cam,
            cam->showing_main ? "live" : cam->main_feed != NULL ? "starting" : "none", cam->alarm,
            st ? wire_rec_name(st->rec) : "unknown", st ? st->last_error : "",
            known ? info.last_error : "");
}

void wall_mark(wall_t *w, int cam)
{
    char err[512];
    if (cam < 0 || cam >= w->n_cams) {
        log_info("wall", "mark: select a camera tile first (arrows or click), then press M");
        return;
    }
    const char *id = w->cams[cam].id;
    if (w->layout->recordings == NULL)
        log_warn("wall", "mark %s: the layout has no [wall] recordings=, so nothing is recorded",
                 id);
    else if (incident_mark(w->ingest_program, w->layout_path, id, err, sizeof err) != 0)
        log_warn("wall", "mark %s: %s", id, err);
    else
        log_info("wall", "incident marked on %s (pantau-incident list)", id);
}

char *wall_status_table(const wall_t *w)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (f == NULL)
        return NULL;
    uint64_t now = wire_now_ns();
    const layout_t *L = w->layout;
    fprintf(f, "page %d/%d%s%s%s, focus: %s\n", w->page + 1, layout_page_count(L),
            L->n_pages > 0 ? " (" : "", L->n_pages > 0 ? L->pages[w->page].label : "",
            L->n_pages > 0 ? ")" : "", w->focused >= 0 ? w->cams[w->focused].id : "none");
    fprintf(f, "%-16s %-12s %6s %9s %9s %9s %8s %-13s %-14s %5s %7s %-10s  %s\n", "CAMERA",
            "STATE", "FPS", "LAT_P50", "LAT_P99", "ADDED_P99", "JITBUF", "CLOCK", "DECODER",
            "RECON", "SHOWN", "REC", "LAST ERROR");
    for (int i = 0; i < w->n_cams; i++) {
        const wall_cam_t *cam = &w->cams[i];
        const wire_status_t *st = feed_status(cam->feed, NULL);
        const wire_info_t *info = feed_info(cam->feed);
        uint32_t p50, p99, a50, a99;
        char lat50[16] = "-", lat99[16] = "-", add99[16] = "-", clock[24], skew[64] = "";
        if (latstat_pct(&cam->e2e, &p50, &p99) > 0) {
            snprintf(lat50, sizeof lat50, "%u ms", p50);
            snprintf(lat99, sizeof lat99, "%u ms", p99);
        }
        if (latstat_pct(&cam->added, &a50, &a99) > 0)
            snprintf(add99, sizeof add99, "%u ms", a99);
        wire_clock_t ck = info ? info->capture_clock : WIRE_CLOCK_UNKNOWN;
        snprintf(clock, sizeof clock, "%s", ck == WIRE_CLOCK_CAMERA    ? "camera RTCP"
                                            : ck == WIRE_CLOCK_RECEIVE ? "receive time"
                                                                       : "-");
        if (info && ck == WIRE_CLOCK_RECEIVE && info->clock_offset_ms != WIRE_OFFSET_NONE)
            snprintf(skew, sizeof skew, "[camera clock off by %+ld ms] ",
                     (long)info->clock_offset_ms);
        else if (cam->e2e.skewed > 0)
            snprintf(skew, sizeof skew, "[clock skew: %llu samples, last %lld ms] ",
                     (unsigned long long)cam->e2e.skewed, (long long)cam->e2e.last_skew_ms);
        const char *shown = cam->visible ? (w->focused == i ? "focus" : "yes")
                            : feed_watching(cam->feed) ? "no" : "paused";
        fprintf(f, "%-16s %-12s %6.1f %9s %9s %9s %5d ms %-13s %-14s %5u %7s %-10s  %s%s%s\n",
                cam->id, cam_state_name(cam), st ? st->fps_milli / 1000.0 : 0.0, lat50, lat99,
                add99, cam_jitbuf_ms(cam, info), clock,
                info && info->decoder[0] ? info->decoder : "-", st ? st->reconnects : 0, shown,
                st ? wire_rec_name(st->rec) : "unknown", cam->alarm ? "[ALARM] " : "", skew,
                st ? st->last_error : "");
    }
    /* Each camera's decoder and why, once: "decoder: avdec_h264 (no hardware decoder found)". */
    for (int i = 0; i < w->n_cams; i++) {
        const wire_info_t *info = feed_info(w->cams[i].feed);
        if (info != NULL && info->decoder[0] != '\0')
            fprintf(f, "%-16s decoder: %s%s (%s)\n", w->cams[i].id, info->decoder,
                    info->decoder_hw ? " [hardware]" : "", info->decoder_why);
    }
    (void)now;
    fclose(f);
    return buf;
}

int wall_write_status(const wall_t *w, const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    if (f == NULL)
        return -1;
    uint64_t now = wire_now_ns();
    fprintf(f, "# pantau-wall status: time_ns=%llu layout=%s cameras=%d reloads=%llu "
               "reloads_rejected=%llu banner=%d page=%d pages=%d page_id=%s focused=%s "
               "page_live_ms=%ld focus_main_ms=%ld alarms=%d wall_frames=%llu wall_skipped=%llu "
               "screens=%d screen_mode=%s render_cpu_ms=%llu upload_cpu_ms=%llu tiles_drawn=%llu "
               "tiles_kept=%llu\n",
            (unsigned long long)now, w->layout_path, w->n_cams, (unsigned long long)w->reloads,
            (unsigned long long)w->reloads_rejected, w->banner != NULL, w->page + 1,
            layout_page_count(w->layout),
            w->layout->n_pages > 0 ? w->layout->pages[w->page].id : "-",
            w->focused >= 0 ? w->cams[w->focused].id : "-", w->page_live_ms, w->focus_main_ms,
            wall_alarm_count(w), (unsigned long long)w->wall_frames,
            (unsigned long long)w->wall_skipped, w->layout->screens,
            w->layout->screen_mode == LAYOUT_SCREENS_WINDOWS ? "windows" : "span",
            (unsigned long long)(w->render_cpu_ns / 1000000),
            (unsigned long long)(w->upload_cpu_ns / 1000000), (unsigned long long)w->tiles_drawn,
            (unsigned long long)w->tiles_kept);
    for (int i = 0; i < w->n_cams; i++)
        write_cam_line(f, w, &w->cams[i], now);
    counters_write_status(w->counters, f);
    bool ok = fflush(f) == 0 && ferror(f) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}
