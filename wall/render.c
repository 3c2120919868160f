/* render: lifecycle, frame loop and snapshots of the wall's renderer (see render.h).
 *
 * The parts: render_text (fonts, text cache), render_video (one IYUV texture per tile id),
 * render_shape (cached translucent and rounded rectangles), render_tile (a camera tile),
 * render_chrome (title bar, clock, panels, banner), render_draw (primitives, per-frame error
 * accounting), render_theme.h (colours and sizes).
 *
 * Output is either headless (SDL's software renderer on an off-screen surface: no video
 * subsystem, no display) or a window (SDL_INIT_VIDEO, which this module inits and quits itself).
 * A frame: clear, tiles, panels, title bar, banner, free textures of vanished ids, read back if a
 * snapshot was requested, present. Nothing allocates in the steady state: textures and text
 * pictures are made only when a frame size or a string changes.
 *
 * Thread: the render thread only (SDL's rule). Owns the window, the renderer, the textures and
 * the fonts. */
#include "render.h"

#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>

#include "log.h"
#include "render_chrome.h"
#include "render_draw.h"
#include "render_shape.h"
#include "render_text.h"
#include "render_theme.h"
#include "render_tile.h"
#include "render_video.h"

#define LOG_PREFIX "render"
#define DEFAULT_WINDOW_TITLE "Pantau"
#define DEFAULT_WINDOW_FILL 0.9 /* a windowed wall takes at most this much of its display */
#define RENDER_CANVAS_MAX 16384
/* The software renderer's texture format (IYUV textures convert to it): plain copies. */
#define HEADLESS_FORMAT SDL_PIXELFORMAT_ARGB8888

struct render {
    int canvas_w, canvas_h;
    bool headless;
    bool video_inited;   /* this module called SDL_InitSubSystem(SDL_INIT_VIDEO) */
    SDL_Surface *target; /* headless: the canvas the software renderer draws on */
    SDL_Window *window;
    SDL_Renderer *sdl;
    render_text_t *text;
    render_video_t *video;
    render_shape_t *shapes;
    unsigned gen;        /* frame generation: textures of ids not seen in it are freed */
    bool presented;      /* a frame is on the output (headless snapshots need one) */
    bool failing;        /* the last frame failed: logged, and not again until one succeeds */
    int snap_state;      /* render_snapshot_status: 1 pending, 0 written, -1 failed / none */
    char snap_path[PATH_MAX];
    char snap_err[256];
    uint64_t frames, frame_cpu_ns; /* render_frame calls and their thread CPU time */
    /* The output keeps its pixels between frames (software renderer: headless surface or window
     * surface), so the background is painted only where no tile paints (a full clear of a
     * 3840x2160 canvas is ~33 MB written per frame). */
    bool retained;
    int last_w, last_h; /* output size at the last frame; a change repaints everything */
};

static void set_err(char *err, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t cap, const char *fmt, ...)
{
    if (err == NULL || cap == 0)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
}

/* ---- output -------------------------------------------------------------------------------- */

static int open_headless(render_t *r, char *err, size_t cap)
{
    r->target = SDL_CreateRGBSurfaceWithFormat(0, r->canvas_w, r->canvas_h, 32, HEADLESS_FORMAT);
    if (r->target == NULL) {
        set_err(err, cap, "cannot make a %dx%d canvas: %s", r->canvas_w, r->canvas_h,
                SDL_GetError());
        return -1;
    }
    r->sdl = SDL_CreateSoftwareRenderer(r->target);
    if (r->sdl == NULL) {
        set_err(err, cap, "cannot make a software renderer: %s", SDL_GetError());
        return -1;
    }
    r->retained = true;
    return 0;
}

/* The canvas scaled down (never up) to fit DEFAULT_WINDOW_FILL of the display's usable area. */
static void window_size(const render_t *r, int display, int *w, int *h)
{
    SDL_Rect area = {0, 0, r->canvas_w, r->canvas_h};
    if (SDL_GetDisplayUsableBounds(display, &area) != 0)
        SDL_GetDisplayBounds(display, &area);
    double sx = area.w * DEFAULT_WINDOW_FILL / r->canvas_w;
    double sy = area.h * DEFAULT_WINDOW_FILL / r->canvas_h;
    double s = fmin(1.0, fmin(sx, sy));
    *w = (int)fmax(1.0, floor(r->canvas_w * s));
    *h = (int)fmax(1.0, floor(r->canvas_h * s));
}

static int create_renderer(render_t *r, const render_opts_t *o, char *err, size_t cap)
{
    Uint32 vsync = o->vsync ? SDL_RENDERER_PRESENTVSYNC : 0;
    if (!o->software) {
        r->sdl = SDL_CreateRenderer(r->window, -1, SDL_RENDERER_ACCELERATED | vsync);
        if (r->sdl == NULL)
            log_warn(LOG_PREFIX, "no accelerated renderer (%s): using the software one",
                     SDL_GetError());
    }
    if (r->sdl == NULL)
        r->sdl = SDL_CreateRenderer(r->window, -1, SDL_RENDERER_SOFTWARE | vsync);
    if (r->sdl == NULL) {
        set_err(err, cap, "cannot make a renderer: %s", SDL_GetError());
        return -1;
    }
    if (SDL_RenderSetLogicalSize(r->sdl, r->canvas_w, r->canvas_h) != 0) {
        set_err(err, cap, "cannot scale the canvas to the window: %s", SDL_GetError());
        return -1;
    }
    /* The software renderer draws into the window's own surface, which keeps its pixels (a new
     * one after a resize: the size check in draw_background repaints it); GPU back buffers do
     * not, so they are cleared every frame. */
    SDL_RendererInfo info = {0};
    r->retained = SDL_GetRendererInfo(r->sdl, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE);
    return 0;
}

static int open_window(render_t *r, const render_opts_t *o, char *err, size_t cap)
{
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        set_err(err, cap, "no display: SDL could not initialise video (%s)", SDL_GetError());
        return -1;
    }
    r->video_inited = true;
    int n = SDL_GetNumVideoDisplays();
    if (o->display < 0 || o->display >= n) {
        set_err(err, cap, "display %d does not exist (%d found)", o->display, n);
        return -1;
    }
    if (o->software) /* the window surface, not a GL texture, backs the software renderer */
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0"); /* a wall stays up */
    int w = r->canvas_w, h = r->canvas_h;
    Uint32 flags = SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
    if (!o->fullscreen) {
        window_size(r, o->display, &w, &h);
        flags = SDL_WINDOW_RESIZABLE;
    }
    int x = (int)SDL_WINDOWPOS_CENTERED_DISPLAY(o->display), y = x;
    if (o->screens > 1) {
        /* One borderless window over the union of the displays: one renderer, one set of
         * textures, the canvas scaled across every monitor. */
        if (o->display + o->screens > n) {
            set_err(err, cap, "screens=%d from display %d needs %d displays (%d found)",
                    o->screens, o->display, o->display + o->screens, n);
            return -1;
        }
        SDL_Rect u, b;
        SDL_GetDisplayBounds(o->display, &u);
        for (int i = 1; i < o->screens; i++) {
            SDL_GetDisplayBounds(o->display + i, &b);
            SDL_UnionRect(&u, &b, &u);
        }
        x = u.x;
        y = u.y;
        w = u.w;
        h = u.h;
        flags = SDL_WINDOW_BORDERLESS;
        log_info(LOG_PREFIX, "spanning %d displays: %dx%d at %d,%d", o->screens, w, h, x, y);
    }
    const char *title = o->window_title ? o->window_title : DEFAULT_WINDOW_TITLE;
    r->window = SDL_CreateWindow(title, x, y, w, h, flags);
    if (r->window == NULL) {
        set_err(err, cap, "cannot open a window on display %d: %s", o->display, SDL_GetError());
        return -1;
    }
    /* A fullscreen wall is watched, not pointed at: no mouse pointer parked over a camera. In a
     * window the pointer stays, for selecting tiles. */
    SDL_ShowCursor(o->fullscreen || o->screens > 1 ? SDL_DISABLE : SDL_ENABLE);
    return create_renderer(r, o, err, cap);
}

static void log_output(const render_t *r)
{
    SDL_RendererInfo info = {0};
    SDL_GetRendererInfo(r->sdl, &info);
    int w = r->canvas_w, h = r->canvas_h;
    if (r->window != NULL)
        SDL_GetRendererOutputSize(r->sdl, &w, &h);
    log_info(LOG_PREFIX, "%s, canvas %dx%d, output %dx%d, %s renderer",
             r->headless ? "headless" : "window", r->canvas_w, r->canvas_h, w, h,
             info.name ? info.name : "?");
}

/* ---- lifecycle ----------------------------------------------------------------------------- */

render_t *render_new(int canvas_w, int canvas_h, const render_opts_t *opts, char *err,
                     size_t err_cap)
{
    set_err(err, err_cap, "%s", "");
    if (opts == NULL || canvas_w <= 0 || canvas_h <= 0 || canvas_w > RENDER_CANVAS_MAX ||
        canvas_h > RENDER_CANVAS_MAX) {
        set_err(err, err_cap, "invalid arguments: canvas %dx%d (1..%d each), options %s",
                canvas_w, canvas_h, RENDER_CANVAS_MAX, opts ? "given" : "missing");
        return NULL;
    }
    char regular[PATH_MAX], bold[PATH_MAX], why[PATH_MAX * 2];
    if (render_text_find_fonts(opts->font_path, regular, bold, sizeof regular, why,
                               sizeof why) != 0) { /* before a window flashes up */
        set_err(err, err_cap, "%s", why);
        return NULL;
    }
    render_t *r = calloc(1, sizeof *r);
    if (r == NULL) {
        set_err(err, err_cap, "out of memory");
        return NULL;
    }
    *r = (render_t){.canvas_w = canvas_w, .canvas_h = canvas_h, .headless = opts->headless,
                    .snap_state = -1, .snap_err = "no snapshot requested"};
    if ((opts->headless ? open_headless(r, err, err_cap) : open_window(r, opts, err, err_cap)))
        goto fail;
    r->text = render_text_new(r->sdl, opts->font_path, why, sizeof why);
    if (r->text == NULL) {
        set_err(err, err_cap, "%s", why);
        goto fail;
    }
    r->video = render_video_new(r->sdl);
    r->shapes = render_shape_new(r->sdl);
    if (r->video == NULL || r->shapes == NULL) {
        set_err(err, err_cap, "out of memory");
        goto fail;
    }
    log_output(r);
    return r;
fail:
    render_destroy(&r);
    return NULL;
}

void render_destroy(render_t **rp)
{
    if (rp == NULL || *rp == NULL)
        return;
    render_t *r = *rp;
    render_text_destroy(&r->text); /* textures before their renderer */
    render_video_destroy(&r->video);
    render_shape_destroy(&r->shapes);
    if (r->sdl != NULL)
        SDL_DestroyRenderer(r->sdl);
    if (r->window != NULL)
        SDL_DestroyWindow(r->window);
    SDL_FreeSurface(r->target);
    if (r->video_inited)
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
    free(r);
    *rp = NULL;
}

bool render_is_headless(const render_t *r)
{
    return r != NULL && r->headless;
}

void render_window_to_canvas(const render_t *r, int wx, int wy, int *cx, int *cy)
{
    float lx = (float)wx, ly = (float)wy;
    if (r != NULL && !r->headless)
        SDL_RenderWindowToLogical(r->sdl, wx, wy, &lx, &ly);
    *cx = (int)floorf(lx);
    *cy = (int)floorf(ly);
}

int render_texture_count(const render_t *r)
{
    return r != NULL ? render_video_count(r->video) : 0;
}

/* ---- snapshots ----------------------------------------------------------------------------- */

/* Reads the output back (whole window in window mode: the logical scaling is lifted for the
 * read so the rectangle is exact) and writes it to path atomically. */
static int write_png(render_t *r, const char *path, char *err, size_t cap)
{
    int rc = -1, w = 0, h = 0;
    SDL_Surface *shot = NULL;
    char tmp[PATH_MAX + 8];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp ||
        SDL_GetRendererOutputSize(r->sdl, &w, &h) != 0 ||
        (shot = SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24)) == NULL) {
        set_err(err, cap, "cannot read the frame back: %s", SDL_GetError());
        goto fail;
    }
    if (!r->headless)
        SDL_RenderSetLogicalSize(r->sdl, 0, 0);
    int read = SDL_RenderReadPixels(r->sdl, NULL, SDL_PIXELFORMAT_RGB24, shot->pixels, shot->pitch);
    if (!r->headless)
        SDL_RenderSetLogicalSize(r->sdl, r->canvas_w, r->canvas_h);
    if (read != 0) {
        set_err(err, cap, "cannot read the frame back: %s", SDL_GetError());
        goto fail;
    }
    if (IMG_SavePNG(shot, tmp) != 0) {
        set_err(err, cap, "cannot write %s: %s", tmp, IMG_GetError());
        unlink(tmp);
        goto fail;
    }
    if (rename(tmp, path) != 0) {
        set_err(err, cap, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        unlink(tmp);
        goto fail;
    }
    rc = 0;
fail:
    SDL_FreeSurface(shot);
    return rc;
}

int render_snapshot_png(render_t *r, const char *path, char *err, size_t err_cap)
{
    if (r == NULL || path == NULL || path[0] == '\0') {
        set_err(err, err_cap, "invalid arguments");
        return -1;
    }
    if (!r->headless) {
        set_err(err, err_cap, "window mode: the presented frame cannot be read back; use "
                              "render_request_snapshot");
        return -1;
    }
    if (!r->presented) {
        set_err(err, err_cap, "no frame drawn yet");
        return -1;
    }
    return write_png(r, path, err, err_cap);
}

int render_request_snapshot(render_t *r, const char *path)
{
    if (r == NULL || path == NULL || path[0] == '\0' || strlen(path) >= sizeof r->snap_path)
        return -1;
    snprintf(r->snap_path, sizeof r->snap_path, "%s", path);
    r->snap_state = 1;
    snprintf(r->snap_err, sizeof r->snap_err, "pending: no frame drawn since the request");
    return 0;
}

int render_snapshot_status(const render_t *r, char *err, size_t err_cap)
{
    if (r == NULL) {
        set_err(err, err_cap, "invalid arguments");
        return -1;
    }
    set_err(err, err_cap, "%s", r->snap_state == 0 ? "" : r->snap_err);
    return r->snap_state;
}

static void serve_snapshot(render_t *r)
{
    r->snap_state = write_png(r, r->snap_path, r->snap_err, sizeof r->snap_err);
    if (r->snap_state == 0)
        log_info(LOG_PREFIX, "snapshot written to %s", r->snap_path);
    else
        log_warn(LOG_PREFIX, "snapshot failed: %s", r->snap_err);
}

/* ---- frames -------------------------------------------------------------------------------- */

static int render_frame_draw(render_t *r, const scene_t *scene);

static bool scene_ok(const scene_t *s)
{
    return s != NULL && s->n_tiles >= 0 && s->n_panels >= 0 && (s->n_tiles == 0 || s->tiles) &&
           (s->n_panels == 0 || s->panels);
}

#define RENDER_BACKGROUND_MAX_RECTS 128

/* The canvas colour where no tile paints (every tile paints its whole rectangle opaque: picture
 * and bars, or the empty slate); everywhere on the first frame, after a size change, on an output
 * that does not keep its pixels, or when the uncovered part is too fragmented. */
static void draw_background(render_t *r, render_ctx_t *c, const scene_t *s)
{
    SDL_Color bg = THEME_CANVAS;
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(r->sdl, &w, &h);
    bool full = !r->retained || r->frames == 0 || w != r->last_w || h != r->last_h;
    r->last_w = w;
    r->last_h = h;
    grid_rect_t tiles[RENDER_BACKGROUND_MAX_RECTS], gaps[RENDER_BACKGROUND_MAX_RECTS];
    int k = -1;
    if (!full && s->n_tiles <= RENDER_BACKGROUND_MAX_RECTS) {
        for (int i = 0; i < s->n_tiles; i++)
            tiles[i] = s->tiles[i].rect;
        k = grid_uncovered(tiles, s->n_tiles, (grid_rect_t){0, 0, r->canvas_w, r->canvas_h}, gaps,
                           RENDER_BACKGROUND_MAX_RECTS);
    }
    if (k < 0) {
        render_draw_check(c, SDL_SetRenderDrawColor(r->sdl, bg.r, bg.g, bg.b, 255), "colour");
        render_draw_check(c, SDL_RenderClear(r->sdl), "clear");
        return;
    }
    for (int i = 0; i < k; i++)
        render_draw_fill(c, gaps[i], bg);
}

static void draw_scene(render_t *r, render_ctx_t *c, const scene_t *s)
{
    draw_background(r, c, s);
    for (int i = 0; i < s->n_tiles; i++)
        render_tile_draw(c, r->video, &s->tiles[i], r->gen);
    for (int i = 0; i < s->n_panels; i++)
        render_chrome_panel(c, &s->panels[i]);
    render_chrome_title(c, s, r->canvas_w, r->canvas_h);
    render_chrome_banner(c, s, r->canvas_w, r->canvas_h);
}

/* Logs the first failure of a run of failed frames, and the recovery. */
static int account(render_t *r, const render_ctx_t *c)
{
    if (c->failures == 0) {
        if (r->failing)
            log_info(LOG_PREFIX, "drawing works again");
        r->failing = false;
        return 0;
    }
    if (!r->failing)
        log_error(LOG_PREFIX, "frame failed (%d SDL errors), first: %s", c->failures, c->error);
    r->failing = true;
    return -1;
}

static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void render_cpu_stats(const render_t *r, render_cpu_t *out)
{
    memset(out, 0, sizeof *out);
    if (r == NULL)
        return;
    out->frames = r->frames;
    out->frame_cpu_ns = r->frame_cpu_ns;
    render_video_upload_stats(r->video, &out->uploads, &out->upload_cpu_ns);
}

int render_frame(render_t *r, const scene_t *scene)
{
    if (r == NULL || !scene_ok(scene))
        return SDL_SetError("render_frame: invalid arguments");
    uint64_t t0 = thread_cpu_ns();
    int rc = render_frame_draw(r, scene);
    r->frame_cpu_ns += thread_cpu_ns() - t0;
    r->frames++;
    return rc;
}

static int render_frame_draw(render_t *r, const scene_t *scene)
{
    render_ctx_t c = {.sdl = r->sdl, .text = r->text, .shapes = r->shapes};
    r->gen++;
    draw_scene(r, &c, scene);
    render_video_sweep(r->video, r->gen);
    if (r->snap_state == 1)
        serve_snapshot(r);
    SDL_RenderPresent(r->sdl);
    r->presented = true;
    return account(r, &c);
}
