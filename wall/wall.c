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

#include "feed.h"
#include "incident.h"
#include "log.h"
#include "supervisor.h"
#include "tilestate.h"

#define WALL_RELOAD_CHECK_NS 1000000000ull /* how often the layout file's stat is compared */
#define WALL_LATENCY_SAMPLES 128
#define WALL_BANNER_MAX_LINES 4
#define WALL_ENDPOINT_MAX 512

typedef struct {
    char id[LAYOUT_ID_MAX + 1];
    const layout_camera_t *cfg; /* into wall->layout */
    feed_t *feed;
    bool supervised;
    char endpoint[WALL_ENDPOINT_MAX];
    grid_rect_t rect;
    uint64_t watch_start_ns;
    tilestate_out_t look;
    bool uploading;             /* the scene being drawn carries a new frame of this camera */
    uint64_t presented;         /* frames shown */
    uint64_t latency_ms[WALL_LATENCY_SAMPLES]; /* capture → presented, ring */
    int n_latency, latency_pos;
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
    char *banner;
    uint64_t reloads, reloads_rejected;
    /* The scene of the current frame and the strings it points to. */
    scene_t scene;
    scene_tile_t tiles[LAYOUT_MAX_CAMERAS];
    scene_panel_t panels[LAYOUT_MAX_PANELS];
    const char *panel_lines[LAYOUT_MAX_PANELS][4];
    char clock[64];
    zmq_pollitem_t items[LAYOUT_MAX_CAMERAS];
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

/* Arguments for pantau-ingest (see docs/ingest.md); strings in buf, pointers in args. */
static void cam_worker_args(const wall_t *w, const wall_cam_t *cam, char buf[][WALL_ENDPOINT_MAX],
                            const char **args)
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
    ARG("--source", "%s", c->source);
    ARG("--endpoint", "%s", cam->endpoint);
    ARG("--width", "%d", tw);
    ARG("--height", "%d", th);
    ARG("--fit", "%s", fits[c->fit]);
    ARG("--transport", "%s", c->transport == LAYOUT_TRANSPORT_UDP ? "udp" : "tcp");
    ARG("--latency-ms", "%d", c->latency_ms);
    ARG("--label", "%s", c->label);
    ARG("--fps", "%d", w->layout->fps);
    if (w->layout->credentials != NULL)
        ARG("--credentials", "%s", w->layout->credentials);
    if (w->layout->recordings != NULL && c->record && c->kind == LAYOUT_SOURCE_RTSP) {
        ARG("--record-dir", "%s", w->layout->recordings);
        ARG("--retention", "%s", c->retention != NULL ? c->retention : w->layout->retention);
        ARG("--quota", "%s", c->quota);
        ARG("--quota-total", "%s", w->layout->quota_total);
    }
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
        cam_worker_args(w, cam, buf, args);
        if (supervisor_add(w->sv, c->id, args) != 0)
            return -1;
    }
    return 0;
}

static void cam_stop(wall_t *w, wall_cam_t *cam)
{
    if (cam->supervised && w->sv != NULL)
        supervisor_remove(w->sv, cam->id);
    feed_destroy(&cam->feed);
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
    supervisor_destroy(&w->sv);
    for (int i = 0; i < w->n_cams; i++)
        feed_destroy(&w->cams[i].feed);
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

/* ---- receiving --------------------------------------------------------------------------------- */

void wall_poll(wall_t *w, int timeout_ms)
{
    for (int i = 0; i < w->n_cams; i++)
        w->items[i] = (zmq_pollitem_t){feed_socket(w->cams[i].feed), 0, ZMQ_POLLIN, 0};
    if (w->n_cams == 0) {
        struct timespec ts = {timeout_ms / 1000, (long)(timeout_ms % 1000) * 1000000L};
        nanosleep(&ts, NULL);
        return;
    }
    if (zmq_poll(w->items, w->n_cams, timeout_ms) <= 0)
        return;
    uint64_t now = wire_now_ns();
    for (int i = 0; i < w->n_cams; i++)
        if (w->items[i].revents & ZMQ_POLLIN)
            feed_drain(w->cams[i].feed, now);
}

/* ---- the scene --------------------------------------------------------------------------------- */

static uint64_t age_ms(uint64_t now_ns, uint64_t then_ns)
{
    return now_ns > then_ns ? (now_ns - then_ns) / 1000000u : 0;
}

static void cam_scene_tile(wall_t *w, wall_cam_t *cam, scene_tile_t *t, uint64_t now_ns)
{
    const feed_frame_t *fr = feed_frame(cam->feed);
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
        .frame_age_ms = fr ? age_ms(now_ns, fr->recv_ns) : 0,
        .since_start_ms = age_ms(now_ns, cam->watch_start_ns),
        .supervised = cam->supervised,
        .worker_restarts = known ? info.restarts : 0,
        .worker_running = known && info.running,
    };
    tilestate_eval(&in, &cam->look);
    incident_tile_note(&cam->look, st, in.lang); /* recording faults */
    *t = (scene_tile_t){
        .id = cam->id,
        .rect = cam->rect,
        .label = cam->cfg->label,
        .has_frame = fr != NULL,
        .fit = cam->cfg->fit,
        .dim = cam->look.dim,
        .severity = cam->look.severity,
        .headline = cam->look.headline[0] ? cam->look.headline : NULL,
        .detail = cam->look.detail[0] ? cam->look.detail : NULL,
        .badge = cam->look.badge[0] ? cam->look.badge : NULL,
        .highlight = w->selected >= 0 && &w->cams[w->selected] == cam,
    };
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

static void panel_scene(wall_t *w, int i, scene_panel_t *p)
{
    const layout_panel_t *lp = &w->layout->panels[i];
    bool en = tilestate_lang_from_code(w->layout->language) == TILESTATE_LANG_EN;
    const char **lines = w->panel_lines[i];
    int n = 0;
    if (lp->type == LAYOUT_PANEL_TEXT) {
        lines[n++] = lp->text ? lp->text : "";
    } else {
        lines[n++] = en ? "Waiting for pantau-complaints" : "Menunggu pantau-complaints";
        lines[n++] = en ? "(not connected yet)" : "(belum terhubung)";
    }
    *p = (scene_panel_t){
        .rect = grid_cell_rect(&w->grid, lp->cell.col, lp->cell.row, lp->cell.cols, lp->cell.rows),
        .title = lp->title ? lp->title : (en ? "Public complaints" : "Pengaduan Masyarakat"),
        .lines = lines,
        .n_lines = n,
    };
}

const scene_t *wall_tick(wall_t *w, uint64_t now_ns)
{
    if (w->sv != NULL)
        supervisor_tick(w->sv);
    time_t secs = (time_t)(now_ns / 1000000000u);
    struct tm tm;
    localtime_r(&secs, &tm);
    tilestate_clock_text(tilestate_lang_from_code(w->layout->language), &tm, w->clock,
                         sizeof w->clock);
    for (int i = 0; i < w->n_cams; i++)
        cam_scene_tile(w, &w->cams[i], &w->tiles[i], now_ns);
    for (int i = 0; i < w->layout->n_panels; i++)
        panel_scene(w, i, &w->panels[i]);
    w->scene = (scene_t){
        .canvas_w = w->layout->canvas_w,
        .canvas_h = w->layout->canvas_h,
        .title_rect = grid_title_rect(&w->grid),
        .title = w->layout->title,
        .clock = w->clock,
        .tiles = w->tiles,
        .n_tiles = w->n_cams,
        .panels = w->panels,
        .n_panels = w->layout->n_panels,
        .banner = w->banner,
    };
    return &w->scene;
}

void wall_frame_presented(wall_t *w, uint64_t now_ns)
{
    for (int i = 0; i < w->n_cams; i++) {
        wall_cam_t *cam = &w->cams[i];
        const feed_frame_t *fr = feed_frame(cam->feed);
        if (!cam->uploading || fr == NULL)
            continue;
        cam->latency_ms[cam->latency_pos] = age_ms(now_ns, fr->header.capture_ns);
        cam->latency_pos = (cam->latency_pos + 1) % WALL_LATENCY_SAMPLES;
        if (cam->n_latency < WALL_LATENCY_SAMPLES)
            cam->n_latency++;
        cam->presented++;
        cam->uploading = false;
        feed_mark_drawn(cam->feed);
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
                      next->display != w->layout->display ||
                      next->fullscreen != w->layout->fullscreen;
    wall_cam_t old[LAYOUT_MAX_CAMERAS];
    int n_old = w->n_cams;
    memcpy(old, w->cams, sizeof(wall_cam_t) * (size_t)n_old);
    layout_t *prev = w->layout;
    w->layout = next;
    w->grid = g;
    mkdir_private(w->layout->endpoint_dir);
    cams_build(w, old, n_old, prev, now);
    layout_destroy(&prev);
    free(w->banner);
    w->banner = NULL;
    w->selected = w->selected < w->n_cams ? w->selected : -1;
    w->reloads++;
    log_info("wall", "layout reloaded: %d cameras, %d panels", w->n_cams, w->layout->n_panels);
    return new_canvas ? WALL_RELOAD_NEW_CANVAS : WALL_RELOAD_APPLIED;
}

/* ---- operator input --------------------------------------------------------------------------- */

void wall_select_at(wall_t *w, int x, int y)
{
    grid_rect_t rects[LAYOUT_MAX_CAMERAS];
    for (int i = 0; i < w->n_cams; i++)
        rects[i] = w->cams[i].rect;
    int hit = grid_hit(rects, w->n_cams, x, y);
    w->selected = hit == w->selected ? -1 : hit;
}

void wall_select_move(wall_t *w, int dx, int dy)
{
    if (w->n_cams == 0)
        return;
    if (w->selected < 0) {
        w->selected = 0;
        return;
    }
    /* Move to the camera whose cell is nearest in the requested direction. */
    const layout_cell_t *from = &w->cams[w->selected].cfg->cell;
    int best = -1, best_d = 1 << 30;
    for (int i = 0; i < w->n_cams; i++) {
        const layout_cell_t *c = &w->cams[i].cfg->cell;
        int ddx = c->col - from->col, ddy = c->row - from->row;
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

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static void latency_pct(const wall_cam_t *cam, uint64_t *p50, uint64_t *p99)
{
    uint64_t s[WALL_LATENCY_SAMPLES];
    *p50 = *p99 = 0;
    if (cam->n_latency == 0)
        return;
    memcpy(s, cam->latency_ms, sizeof(uint64_t) * (size_t)cam->n_latency);
    qsort(s, (size_t)cam->n_latency, sizeof s[0], cmp_u64);
    *p50 = s[cam->n_latency / 2];
    *p99 = s[(cam->n_latency * 99) / 100];
}

static void write_cam_line(FILE *f, const wall_t *w, const wall_cam_t *cam, uint64_t now)
{
    const feed_counters_t *fc = feed_counters(cam->feed);
    const wire_status_t *st = feed_status(cam->feed, NULL);
    const feed_frame_t *fr = feed_frame(cam->feed);
    supervisor_info_t info = {0};
    bool known = cam->supervised && supervisor_info(w->sv, cam->id, &info);
    uint64_t p50, p99;
    latency_pct(cam, &p50, &p99);
    fprintf(f,
            "camera=%s state=%s worker_state=%s fps=%.1f frames=%llu presented=%llu replaced=%llu "
            "malformed=%llu frame_age_ms=%lld latency_p50_ms=%llu latency_p99_ms=%llu "
            "reconnects=%u attempt=%u worker=%s pid=%d restarts=%u tile=%dx%d+%d+%d error=\"%s\"\n",
            cam->id, cam->look.state_name ? cam->look.state_name : "unknown",
            st ? wire_state_name(st->state) : "none", st ? st->fps_milli / 1000.0 : 0.0,
            (unsigned long long)fc->frames, (unsigned long long)cam->presented,
            (unsigned long long)fc->frames_replaced, (unsigned long long)fc->malformed,
            fr ? (long long)age_ms(now, fr->recv_ns) : -1LL, (unsigned long long)p50,
            (unsigned long long)p99, st ? st->reconnects : 0, st ? st->attempt : 0,
            !cam->supervised ? "remote" : (known && info.running ? "running" : "down"),
            known ? (int)info.pid : 0, known ? info.restarts : 0, cam->rect.w, cam->rect.h, cam->rect.x, cam->rect.y,
            st ? st->last_error : "");
}

void wall_mark_selected(wall_t *w)
{
    char err[512];
    if (w->selected < 0 || w->selected >= w->n_cams) {
        log_info("wall", "mark: select a camera tile first (arrows or click), then press M");
        return;
    }
    const char *id = w->cams[w->selected].id;
    if (w->layout->recordings == NULL)
        log_warn("wall", "mark %s: the layout has no [wall] recordings=, so nothing is recorded",
                 id);
    else if (incident_mark(w->ingest_program, w->layout_path, id, err, sizeof err) != 0)
        log_warn("wall", "mark %s: %s", id, err);
    else
        log_info("wall", "incident marked on %s (pantau-incident list)", id);
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
               "reloads_rejected=%llu banner=%d\n",
            (unsigned long long)now, w->layout_path, w->n_cams, (unsigned long long)w->reloads,
            (unsigned long long)w->reloads_rejected, w->banner != NULL);
    for (int i = 0; i < w->n_cams; i++)
        write_cam_line(f, w, &w->cams[i], now);
    bool ok = fflush(f) == 0 && ferror(f) == 0;
    ok = fclose(f) == 0 && ok;
    if (!ok || rename(tmp, path) != 0) {
        unlink(tmp);
        return -1;
    }
    return 0;
}
