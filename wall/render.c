/* render: lifecycle, frame loop and snapshots of the wall's renderer (see render.h).
 *
 * The parts: render_text (fonts, text cache), render_video (one IYUV texture per tile id),
 * render_shape (cached translucent and rounded rectangles), render_tile (a camera tile),
 * render_chrome (title bar, clock, panels, banner), render_draw (primitives, per-frame error
 * accounting), render_theme.h (colours and sizes).
 *
 * Output is either headless (SDL's software renderer on an off-screen surface: no video
 * subsystem, no display) or a window (SDL_INIT_VIDEO, which this module inits and quits itself).
 * Per-screen mode has one output per screen (a borderless window on each display, or headless
 * one surface each), each with its own renderer, textures and text cache (SDL textures belong to
 * one renderer); a tile is drawn on the output its scene_tile_t.screen names.
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
#include "render_timeline.h"
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

/* One output: a window (or a headless surface) with its renderer and what belongs to it. */
typedef struct {
    char *id;
    uint64_t key; /* render_tile_key of the tile as drawn */
} render_mark_t;

typedef struct {
    SDL_Surface *target; /* headless: the canvas the software renderer draws on */
    SDL_Window *window;
    SDL_Renderer *sdl;
    render_text_t *text;
    render_video_t *video;
    render_shape_t *shapes;
    /* The output keeps its pixels between frames (software renderer: headless surface or window
     * surface), so the background is painted only where no tile paints (a full clear of a
     * 3840x2160 canvas is ~33 MB written per frame). */
    bool retained;
    int last_w, last_h; /* output size at the last frame; a change repaints everything */
    /* Damage (retained outputs only): what each tile looked like when last drawn. A tile whose
     * key is unchanged and that has no new frame is kept as it is on the output, not drawn. */
    render_mark_t *marks;
    int n_marks, cap_marks;
    grid_rect_t corner;   /* the corner clock's box in the last frame (w = 0: none) */
    bool had_banner;      /* the last frame had a banner (it crosses tiles) */
} render_out_t;

struct render {
    int canvas_w, canvas_h;
    bool headless;
    bool video_inited;   /* this module called SDL_InitSubSystem(SDL_INIT_VIDEO) */
    render_out_t out[RENDER_MAX_SCREENS];
    int n_out;           /* 1, or the screens of per-screen mode */
    unsigned gen;        /* frame generation: textures of ids not seen in it are freed */
    uint64_t tiles_drawn, tiles_kept; /* tile draws done, and skipped as unchanged */
    uint64_t *keys;                   /* tile_key of the frame being drawn, cap_keys long */
    int cap_keys;
    bool presented;      /* a frame is on the output (headless snapshots need one) */
    bool failing;        /* the last frame failed: logged, and not again until one succeeds */
    int snap_state;      /* render_snapshot_status: 1 pending, 0 written, -1 failed / none */
    char snap_path[PATH_MAX];
    char snap_err[256];
    uint64_t frames, frame_cpu_ns; /* render_frame calls and their thread CPU time */
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

static int open_headless(render_t *r, render_out_t *o, char *err, size_t cap)
{
    o->target = SDL_CreateRGBSurfaceWithFormat(0, r->canvas_w, r->canvas_h, 32, HEADLESS_FORMAT);
    if (o->target == NULL) {
        set_err(err, cap, "cannot make a %dx%d canvas: %s", r->canvas_w, r->canvas_h,
                SDL_GetError());
        return -1;
    }
    o->sdl = SDL_CreateSoftwareRenderer(o->target);
    if (o->sdl == NULL) {
        set_err(err, cap, "cannot make a software renderer: %s", SDL_GetError());
        return -1;
    }
    o->retained = true;
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

static int create_renderer(render_t *r, render_out_t *out, const render_opts_t *o, bool vsync_on,
                           char *err, size_t cap)
{
    Uint32 vsync = vsync_on ? SDL_RENDERER_PRESENTVSYNC : 0;
    if (!o->software) {
        out->sdl = SDL_CreateRenderer(out->window, -1, SDL_RENDERER_ACCELERATED | vsync);
        if (out->sdl == NULL)
            log_warn(LOG_PREFIX, "no accelerated renderer (%s): using the software one",
                     SDL_GetError());
    }
    if (out->sdl == NULL)
        out->sdl = SDL_CreateRenderer(out->window, -1, SDL_RENDERER_SOFTWARE | vsync);
    if (out->sdl == NULL) {
        set_err(err, cap, "cannot make a renderer: %s", SDL_GetError());
        return -1;
    }
    if (SDL_RenderSetLogicalSize(out->sdl, r->canvas_w, r->canvas_h) != 0) {
        set_err(err, cap, "cannot scale the canvas to the window: %s", SDL_GetError());
        return -1;
    }
    /* The software renderer draws into the window's own surface, which keeps its pixels (a new
     * one after a resize: the size check in draw_background repaints it); GPU back buffers do
     * not, so they are cleared every frame. */
    SDL_RendererInfo info = {0};
    out->retained =
        SDL_GetRendererInfo(out->sdl, &info) == 0 && (info.flags & SDL_RENDERER_SOFTWARE);
    return 0;
}

/* Span mode: one borderless window over the union of the displays: one renderer, one set of
 * textures, the canvas scaled across every monitor. */
static void span_bounds(const render_opts_t *o, SDL_Rect *u)
{
    SDL_Rect b;
    SDL_GetDisplayBounds(o->display, u);
    for (int i = 1; i < o->screens; i++) {
        SDL_GetDisplayBounds(o->display + i, &b);
        SDL_UnionRect(u, &b, u);
    }
}

/* Opens output k: the window on its display (per-screen mode: display + k, covering it). */
static int open_window(render_t *r, int k, const render_opts_t *o, char *err, size_t cap)
{
    render_out_t *out = &r->out[k];
    int display = o->display + k;
    int w = r->canvas_w, h = r->canvas_h;
    Uint32 flags = SDL_WINDOW_FULLSCREEN_DESKTOP | SDL_WINDOW_BORDERLESS;
    if (!o->fullscreen) {
        window_size(r, display, &w, &h);
        flags = SDL_WINDOW_RESIZABLE;
    }
    int x = (int)SDL_WINDOWPOS_CENTERED_DISPLAY(display), y = x;
    SDL_Rect u = {0, 0, 0, 0};
    if (o->screens > 1) {
        /* A borderless window exactly over its display(s), placed by position: a window
         * manager's fullscreen would take one monitor only. */
        if (o->per_screen)
            SDL_GetDisplayBounds(display, &u);
        else
            span_bounds(o, &u);
        x = u.x;
        y = u.y;
        w = u.w;
        h = u.h;
        flags = SDL_WINDOW_BORDERLESS;
        log_info(LOG_PREFIX, "%s %d: %dx%d at %d,%d", o->per_screen ? "screen" : "spanning",
                 o->per_screen ? k + 1 : o->screens, w, h, x, y);
    }
    char title[256];
    const char *base = o->window_title ? o->window_title : DEFAULT_WINDOW_TITLE;
    if (o->per_screen && o->screens > 1)
        snprintf(title, sizeof title, "%s (%d/%d)", base, k + 1, o->screens);
    else
        snprintf(title, sizeof title, "%s", base);
    out->window = SDL_CreateWindow(title, x, y, w, h, flags);
    if (out->window == NULL) {
        set_err(err, cap, "cannot open a window on display %d: %s", display, SDL_GetError());
        return -1;
    }
    /* Only the last output waits for vsync: the others are drawn before it in the same frame. */
    return create_renderer(r, out, o, o->vsync && k == r->n_out - 1, err, cap);
}

static int open_windows(render_t *r, const render_opts_t *o, char *err, size_t cap)
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
    if (o->screens > 1 && o->display + o->screens > n) {
        set_err(err, cap, "screens=%d from display %d needs %d displays (%d found)", o->screens,
                o->display, o->display + o->screens, n);
        return -1;
    }
    if (o->software) /* the window surface, not a GL texture, backs the software renderer */
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_SetHint(SDL_HINT_VIDEO_MINIMIZE_ON_FOCUS_LOSS, "0"); /* a wall stays up */
    for (int k = 0; k < r->n_out; k++)
        if (open_window(r, k, o, err, cap) != 0)
            return -1;
    /* A fullscreen wall is watched, not pointed at: no mouse pointer parked over a camera. In a
     * window the pointer stays, for selecting tiles. */
    SDL_ShowCursor(o->fullscreen || o->screens > 1 ? SDL_DISABLE : SDL_ENABLE);
    return 0;
}

static void log_output(const render_t *r)
{
    for (int k = 0; k < r->n_out; k++) {
        SDL_RendererInfo info = {0};
        SDL_GetRendererInfo(r->out[k].sdl, &info);
        int w = r->canvas_w, h = r->canvas_h;
        if (r->out[k].window != NULL)
            SDL_GetRendererOutputSize(r->out[k].sdl, &w, &h);
        log_info(LOG_PREFIX, "%s%s, canvas %dx%d, output %dx%d, %s renderer",
                 r->headless ? "headless" : "window", r->n_out > 1 ? " per screen" : "",
                 r->canvas_w, r->canvas_h, w, h, info.name ? info.name : "?");
    }
}

/* ---- lifecycle ----------------------------------------------------------------------------- */

static int open_parts(render_out_t *o, const char *font_path, char *err, size_t cap)
{
    char why[PATH_MAX * 2];
    o->text = render_text_new(o->sdl, font_path, why, sizeof why);
    if (o->text == NULL) {
        set_err(err, cap, "%s", why);
        return -1;
    }
    o->video = render_video_new(o->sdl);
    o->shapes = render_shape_new(o->sdl);
    if (o->video == NULL || o->shapes == NULL) {
        set_err(err, cap, "out of memory");
        return -1;
    }
    return 0;
}

render_t *render_new(int canvas_w, int canvas_h, const render_opts_t *opts, char *err,
                     size_t err_cap)
{
    set_err(err, err_cap, "%s", "");
    if (opts == NULL || canvas_w <= 0 || canvas_h <= 0 || canvas_w > RENDER_CANVAS_MAX ||
        canvas_h > RENDER_CANVAS_MAX || opts->screens < 0 || opts->screens > RENDER_MAX_SCREENS) {
        set_err(err, err_cap,
                "invalid arguments: canvas %dx%d (1..%d each), screens %d (0..%d), options %s",
                canvas_w, canvas_h, RENDER_CANVAS_MAX, opts ? opts->screens : 0,
                RENDER_MAX_SCREENS, opts ? "given" : "missing");
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
                    .n_out = opts->per_screen && opts->screens > 1 ? opts->screens : 1,
                    .snap_state = -1, .snap_err = "no snapshot requested"};
    if (opts->headless) {
        for (int k = 0; k < r->n_out; k++)
            if (open_headless(r, &r->out[k], err, err_cap) != 0)
                goto fail;
    } else if (open_windows(r, opts, err, err_cap) != 0) {
        goto fail;
    }
    for (int k = 0; k < r->n_out; k++)
        if (open_parts(&r->out[k], opts->font_path, err, err_cap) != 0)
            goto fail;
    log_output(r);
    return r;
fail:
    render_destroy(&r);
    return NULL;
}

/* ---- damage ------------------------------------------------------------------------------- */

static void marks_clear(render_out_t *o)
{
    for (int i = 0; i < o->n_marks; i++) {
        free(o->marks[i].id);
        o->marks[i].id = NULL;
    }
    o->n_marks = 0;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

static uint64_t fnv_int(uint64_t h, long v)
{
    return fnv(h, &v, sizeof v);
}

static uint64_t fnv_str(uint64_t h, const char *s)
{
    h = fnv_int(h, s != NULL ? (long)strlen(s) : -1); /* NULL differs from "" */
    return s != NULL ? fnv(h, s, strlen(s)) : h;
}

/* Everything a tile's pixels depend on except the picture itself (frame_new says when that
 * changed): geometry, texts, state, borders. Texts are hashed by content: the wall rewrites
 * them in place. */
static uint64_t tile_key(const scene_tile_t *t)
{
    uint64_t h = 14695981039346656037ull;
    long nums[] = {t->screen,  t->rect.x,   t->rect.y,   t->rect.w, t->rect.h,  t->has_frame,
                   t->frame_w, t->frame_h,  (long)t->fit, t->dim,   (long)t->severity,
                   t->highlight, t->alarm_on};
    for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++)
        h = fnv_int(h, nums[i]);
    const char *texts[] = {t->id, t->label, t->headline, t->detail, t->badge, t->alarm};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
        h = fnv_str(h, texts[i]);
    return h;
}

/* Room for n tile keys (grown as needed); NULL when out of memory. */
static uint64_t *tile_keys(render_t *r, int n)
{
    n = n > 0 ? n : 1;
    if (n > r->cap_keys) {
        uint64_t *grown = realloc(r->keys, (size_t)n * sizeof *grown);
        if (grown == NULL)
            return NULL;
        r->keys = grown;
        r->cap_keys = n;
    }
    return r->keys;
}

static const render_mark_t *mark_find(const render_out_t *o, const char *id)
{
    for (int i = 0; i < o->n_marks; i++)
        if (strcmp(o->marks[i].id, id) == 0)
            return &o->marks[i];
    return NULL;
}

static bool rects_meet(grid_rect_t a, grid_rect_t b)
{
    return a.w > 0 && a.h > 0 && b.w > 0 && b.h > 0 && a.x < b.x + b.w && b.x < a.x + a.w &&
           a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Replaces o's marks with those of this frame's tiles (keys[i] of tiles[i] on output k).
 * On allocation failure the marks are dropped: the next frame draws every tile. */
static void marks_store(render_out_t *o, const scene_t *s, int k, bool all, const uint64_t *keys)
{
    if (o->cap_marks < s->n_tiles) {
        render_mark_t *grown = realloc(o->marks, (size_t)s->n_tiles * sizeof *grown);
        if (grown == NULL) {
            marks_clear(o);
            return;
        }
        memset(grown + o->cap_marks, 0, (size_t)(s->n_tiles - o->cap_marks) * sizeof *grown);
        o->marks = grown;
        o->cap_marks = s->n_tiles;
    }
    /* Slot n keeps its id string while the scene's tiles come in the same order (every frame
     * but a layout change): no allocation per frame. Slots past n_marks hold NULL. */
    int n = 0;
    for (int i = 0; i < s->n_tiles; i++) {
        const scene_tile_t *t = &s->tiles[i];
        if ((!all && t->screen != k) || t->id == NULL)
            continue;
        render_mark_t *m = &o->marks[n];
        if (m->id == NULL || strcmp(m->id, t->id) != 0) {
            free(m->id);
            if ((m->id = strdup(t->id)) == NULL) {
                if (o->n_marks < n + 1) /* free all that is held; next frame draws all */
                    o->n_marks = n + 1;
                marks_clear(o);
                return;
            }
        }
        m->key = keys[i];
        n++;
    }
    for (int i = n; i < o->n_marks; i++) {
        free(o->marks[i].id);
        o->marks[i].id = NULL;
    }
    o->n_marks = n;
}

void render_destroy(render_t **rp)
{
    if (rp == NULL || *rp == NULL)
        return;
    render_t *r = *rp;
    for (int k = 0; k < r->n_out; k++) {
        render_out_t *o = &r->out[k];
        render_text_destroy(&o->text); /* textures before their renderer */
        render_video_destroy(&o->video);
        render_shape_destroy(&o->shapes);
        if (o->sdl != NULL)
            SDL_DestroyRenderer(o->sdl);
        if (o->window != NULL)
            SDL_DestroyWindow(o->window);
        SDL_FreeSurface(o->target);
        marks_clear(o);
        free(o->marks);
    }
    if (r->video_inited)
        SDL_QuitSubSystem(SDL_INIT_VIDEO);
    free(r->keys);
    free(r);
    *rp = NULL;
}

bool render_is_headless(const render_t *r)
{
    return r != NULL && r->headless;
}

int render_screen_count(const render_t *r)
{
    return r != NULL ? r->n_out : 0;
}

int render_window_screen(const render_t *r, unsigned window_id)
{
    for (int k = 0; r != NULL && k < r->n_out; k++)
        if (r->out[k].window != NULL && SDL_GetWindowID(r->out[k].window) == window_id)
            return k;
    return 0;
}

int render_texture_count(const render_t *r)
{
    int n = 0;
    for (int k = 0; r != NULL && k < r->n_out; k++)
        n += render_video_count(r->out[k].video);
    return n;
}

/* ---- snapshots ----------------------------------------------------------------------------- */

/* Reads output k back (the whole window in window mode: the logical scaling is lifted for the
 * read so the rectangle is exact). Returns a new surface, or NULL with the reason in err. */
static SDL_Surface *read_back(render_t *r, int k, char *err, size_t cap)
{
    SDL_Renderer *sdl = r->out[k].sdl;
    int w = 0, h = 0;
    SDL_Surface *shot = NULL;
    if (SDL_GetRendererOutputSize(sdl, &w, &h) != 0 ||
        (shot = SDL_CreateRGBSurfaceWithFormat(0, w, h, 24, SDL_PIXELFORMAT_RGB24)) == NULL) {
        set_err(err, cap, "cannot read the frame back: %s", SDL_GetError());
        return NULL;
    }
    if (!r->headless)
        SDL_RenderSetLogicalSize(sdl, 0, 0);
    int read = SDL_RenderReadPixels(sdl, NULL, SDL_PIXELFORMAT_RGB24, shot->pixels, shot->pitch);
    if (!r->headless)
        SDL_RenderSetLogicalSize(sdl, r->canvas_w, r->canvas_h);
    if (read != 0) {
        set_err(err, cap, "cannot read the frame back: %s", SDL_GetError());
        SDL_FreeSurface(shot);
        return NULL;
    }
    return shot;
}

/* Writes shot to path atomically (path.tmp, then renamed). */
static int save_png(SDL_Surface *shot, const char *path, char *err, size_t cap)
{
    char tmp[PATH_MAX + 8];
    if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
        set_err(err, cap, "snapshot path too long");
        return -1;
    }
    if (IMG_SavePNG(shot, tmp) != 0) {
        set_err(err, cap, "cannot write %s: %s", tmp, IMG_GetError());
        unlink(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        set_err(err, cap, "cannot rename %s to %s: %s", tmp, path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}

int render_screen_snapshot_path(const char *path, int screen, char *out, size_t cap)
{
    if (path == NULL || out == NULL || cap == 0 || screen < 0)
        return -1;
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    int stem = dot != NULL && dot != (slash ? slash + 1 : path) ? (int)(dot - path)
                                                                 : (int)strlen(path);
    int n = snprintf(out, cap, "%.*s-screen%d%s", stem, path, screen + 1,
                     dot != NULL && stem < (int)strlen(path) ? dot : "");
    return n < 0 || (size_t)n >= cap ? -1 : 0;
}

/* One output: its picture to path. Several: each screen to PATH-screenK.png, and all of them
 * side by side (screen 1 on the left) to path. */
static int write_png(render_t *r, const char *path, char *err, size_t cap)
{
    SDL_Surface *shots[RENDER_MAX_SCREENS] = {NULL}, *all = NULL;
    int rc = -1, total_w = 0, max_h = 0;
    for (int k = 0; k < r->n_out; k++) {
        if ((shots[k] = read_back(r, k, err, cap)) == NULL)
            goto fail;
        total_w += shots[k]->w;
        max_h = shots[k]->h > max_h ? shots[k]->h : max_h;
    }
    if (r->n_out == 1) {
        rc = save_png(shots[0], path, err, cap);
        goto fail;
    }
    all = SDL_CreateRGBSurfaceWithFormat(0, total_w, max_h, 24, SDL_PIXELFORMAT_RGB24);
    if (all == NULL) {
        set_err(err, cap, "cannot make the combined snapshot: %s", SDL_GetError());
        goto fail;
    }
    SDL_FillRect(all, NULL, 0);
    for (int k = 0, x = 0; k < r->n_out; x += shots[k]->w, k++) {
        char one[PATH_MAX + 16];
        SDL_Rect at = {x, 0, shots[k]->w, shots[k]->h};
        if (SDL_BlitSurface(shots[k], NULL, all, &at) != 0 ||
            render_screen_snapshot_path(path, k, one, sizeof one) != 0 ||
            save_png(shots[k], one, err, cap) != 0) {
            if (err != NULL && err[0] == '\0')
                set_err(err, cap, "cannot write screen %d's snapshot", k + 1);
            goto fail;
        }
    }
    rc = save_png(all, path, err, cap);
fail:
    for (int k = 0; k < r->n_out; k++)
        SDL_FreeSurface(shots[k]);
    SDL_FreeSurface(all);
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

static bool scene_ok(const scene_t *s)
{
    return s != NULL && s->n_tiles >= 0 && s->n_panels >= 0 && (s->n_tiles == 0 || s->tiles) &&
           (s->n_panels == 0 || s->panels);
}

#define RENDER_BACKGROUND_MAX_RECTS 128

/* Returns true when it painted the whole output (every tile must then be drawn again).
 * Output k's background: the canvas colour where none of its tiles paints (every tile paints its
 * whole rectangle opaque: picture and bars, or the empty slate); everywhere on the first frame,
 * after a size change, on an output that does not keep its pixels, or when the uncovered part is
 * too fragmented. */
static bool draw_background(render_t *r, int k, render_ctx_t *c, const scene_t *s)
{
    render_out_t *o = &r->out[k];
    bool all = r->n_out == 1;
    SDL_Color bg = THEME_CANVAS;
    int w = 0, h = 0;
    SDL_GetRendererOutputSize(o->sdl, &w, &h);
    bool full = !o->retained || r->frames == 0 || w != o->last_w || h != o->last_h;
    o->last_w = w;
    o->last_h = h;
    grid_rect_t tiles[RENDER_BACKGROUND_MAX_RECTS], gaps[RENDER_BACKGROUND_MAX_RECTS];
    int n = 0, gap_count = -1;
    for (int i = 0; i < s->n_tiles && !full; i++) {
        if (!all && s->tiles[i].screen != k)
            continue;
        if (n == RENDER_BACKGROUND_MAX_RECTS)
            full = true;
        else
            tiles[n++] = s->tiles[i].rect;
    }
    if (!full)
        gap_count = grid_uncovered(tiles, n, (grid_rect_t){0, 0, r->canvas_w, r->canvas_h}, gaps,
                                   RENDER_BACKGROUND_MAX_RECTS);
    if (gap_count < 0) {
        render_draw_check(c, SDL_SetRenderDrawColor(o->sdl, bg.r, bg.g, bg.b, 255), "colour");
        render_draw_check(c, SDL_RenderClear(o->sdl), "clear");
        return true;
    }
    for (int i = 0; i < gap_count; i++)
        render_draw_fill(c, gaps[i], bg);
    return false;
}

/* Output k: its tiles and panels (all of them when there is one output), and on every output
 * the title bar and the banner.
 *
 * Damage: on an output that keeps its pixels, a tile with no new frame that looks as it did in
 * the last frame (same tile_key) is not drawn at all: at 25 frames a second with frame pacing,
 * most tiles of most compositions are unchanged, and drawing one is a full copy of its picture
 * (2 MB for a 960x540 tile). Everything is drawn when the background was painted whole, and
 * tiles are drawn when something that crosses them is drawn: the banner (in this frame or the
 * last), the corner clock (its box now or in the last frame), the review window's timeline. */
static void draw_scene(render_t *r, int k, render_ctx_t *c, const scene_t *s)
{
    render_out_t *o = &r->out[k];
    bool all = r->n_out == 1;
    bool banner = s->banner != NULL && s->banner[0] != '\0';
    bool full = draw_background(r, k, c, s) || banner || o->had_banner || s->timeline != NULL;
    grid_rect_t corner = render_chrome_corner_box(c, s, r->canvas_w, r->canvas_h);
    uint64_t *keys = tile_keys(r, s->n_tiles);
    full = full || keys == NULL;
    for (int i = 0; i < s->n_tiles; i++) {
        const scene_tile_t *t = &s->tiles[i];
        if (!all && t->screen != k)
            continue;
        const render_mark_t *m = NULL;
        if (keys != NULL) {
            keys[i] = tile_key(t);
            m = t->id != NULL ? mark_find(o, t->id) : NULL;
        }
        bool keep = !full && m != NULL && m->key == keys[i] && !t->frame_new &&
                    !rects_meet(t->rect, corner) && !rects_meet(t->rect, o->corner);
        if (keep) {
            render_video_touch(o->video, t->id, r->gen);
            r->tiles_kept++;
            continue;
        }
        render_tile_draw(c, o->video, t, r->gen);
        r->tiles_drawn++;
    }
    if (o->retained && keys != NULL)
        marks_store(o, s, k, all, keys);
    else
        marks_clear(o);
    o->corner = corner;
    o->had_banner = banner;
    for (int i = 0; i < s->n_panels; i++)
        if (all || s->panels[i].screen == k)
            render_chrome_panel(c, &s->panels[i]);
    if (s->timeline != NULL && k == 0) /* the review window: one screen */
        render_timeline_draw(c, s->timeline);
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
    out->tiles_drawn = r->tiles_drawn;
    out->tiles_kept = r->tiles_kept;
    for (int k = 0; k < r->n_out; k++) {
        uint64_t n = 0, ns = 0;
        render_video_upload_stats(r->out[k].video, &n, &ns);
        out->uploads += n;
        out->upload_cpu_ns += ns;
    }
}

static int render_frame_draw(render_t *r, const scene_t *scene);

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
    render_ctx_t c[RENDER_MAX_SCREENS];
    r->gen++;
    for (int k = 0; k < r->n_out; k++) {
        c[k] = (render_ctx_t){.sdl = r->out[k].sdl, .text = r->out[k].text,
                              .shapes = r->out[k].shapes};
        draw_scene(r, k, &c[k], scene);
        render_video_sweep(r->out[k].video, r->gen);
    }
    if (r->snap_state == 1) /* every output drawn, none presented yet */
        serve_snapshot(r);
    for (int k = 0; k < r->n_out; k++)
        SDL_RenderPresent(r->out[k].sdl);
    r->presented = true;
    for (int k = 1; k < r->n_out; k++) { /* one account of the whole frame */
        if (c[0].failures == 0 && c[k].failures > 0)
            memcpy(c[0].error, c[k].error, sizeof c[0].error);
        c[0].failures += c[k].failures;
    }
    return account(r, &c[0]);
}
