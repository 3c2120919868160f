/* sdl_test_render: the wall renderer, headless (SDL's software renderer, no display needed).
 *
 * Builds scenes with I420 frames generated here (solid colours, painted street scenes), renders
 * them, reads the result back through render_snapshot_png and checks pixels: the picture's
 * colour (YUV to RGB within a tolerance), black letterbox bars, dimming, empty tiles, the
 * highlight border, the banner, texture release, snapshots, invalid arguments. One test opens a
 * real window when DISPLAY is set (run under xvfb-run), and is skipped otherwise.
 *
 * PANTAU_KEEP_PNG=DIR keeps every PNG (and the 1080p / 4K sample walls) in DIR for eyeballing.
 * PANTAU_RENDER_BENCH=N times N frames of a 4x4 wall at 1080p and 4K and prints ms/frame. */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>

#include "grid.h"
#include "render.h"
#include "render_theme.h"
#include "scene.h"

#define TOLERANCE 8 /* per channel, YUV round trips */

static char tmp_dir[256];
static const char *out_dir; /* PANTAU_KEEP_PNG or tmp_dir */

/* ---- I420 frames ----------------------------------------------------------------------------- */

typedef struct {
    int w, h;
    uint8_t *buf;
    uint8_t *plane[3];
    int stride[3];
} frame_t;

typedef struct {
    uint8_t y, u, v;
} yuv_t;

static yuv_t to_yuv(int r, int g, int b) /* BT.601, limited range */
{
    double y = 16 + 0.257 * r + 0.504 * g + 0.098 * b;
    double u = 128 - 0.148 * r - 0.291 * g + 0.439 * b;
    double v = 128 + 0.439 * r - 0.368 * g - 0.071 * b;
    return (yuv_t){(uint8_t)lround(y), (uint8_t)lround(u), (uint8_t)lround(v)};
}

static int clamp255(double x)
{
    return x < 0 ? 0 : x > 255 ? 255 : (int)lround(x);
}

static SDL_Color to_rgb(yuv_t c) /* the inverse: what the picture should look like */
{
    double y = 1.164 * (c.y - 16), u = c.u - 128, v = c.v - 128;
    return (SDL_Color){(Uint8)clamp255(y + 1.596 * v), (Uint8)clamp255(y - 0.392 * u - 0.813 * v),
                       (Uint8)clamp255(y + 2.017 * u), 255};
}

static void frame_init(frame_t *f, int w, int h)
{
    f->w = w;
    f->h = h;
    f->stride[0] = w;
    f->stride[1] = f->stride[2] = w / 2;
    f->buf = malloc((size_t)w * h * 3 / 2);
    assert_non_null(f->buf);
    f->plane[0] = f->buf;
    f->plane[1] = f->buf + w * h;
    f->plane[2] = f->plane[1] + (w / 2) * (h / 2);
    memset(f->plane[0], 16, (size_t)w * h); /* black */
    memset(f->plane[1], 128, (size_t)w * h / 2);
}

static void frame_free(frame_t *f)
{
    free(f->buf);
    f->buf = NULL;
}

/* Fills [x, x+w) x [y, y+h) (even coordinates) with an RGB colour. */
static void paint(frame_t *f, int x, int y, int w, int h, int r, int g, int b)
{
    yuv_t c = to_yuv(r, g, b);
    x = x < 0 ? 0 : x & ~1;
    y = y < 0 ? 0 : y & ~1;
    w = x + w > f->w ? f->w - x : w & ~1;
    h = y + h > f->h ? f->h - y : h & ~1;
    if (w <= 0 || h <= 0)
        return;
    for (int j = y; j < y + h; j++)
        memset(f->plane[0] + j * f->stride[0] + x, c.y, (size_t)w);
    for (int j = y / 2; j < (y + h) / 2; j++) {
        memset(f->plane[1] + j * f->stride[1] + x / 2, c.u, (size_t)w / 2);
        memset(f->plane[2] + j * f->stride[2] + x / 2, c.v, (size_t)w / 2);
    }
}

static void frame_solid(frame_t *f, int r, int g, int b)
{
    paint(f, 0, 0, f->w, f->h, r, g, b);
}

/* A street camera look-alike: sky gradient, buildings with lit windows, road with lane marks.
 * seed varies the skyline and colours. */
static void frame_street(frame_t *f, unsigned seed)
{
    int horizon = f->h * (45 + (int)(seed % 4) * 4) / 100;
    for (int y = 0; y < horizon; y += 2) {
        int t = y * 255 / horizon;
        paint(f, 0, y, f->w, 2, 70 + t / 4, 110 + t / 3, 160 + t / 6);
    }
    paint(f, 0, horizon, f->w, f->h - horizon, 62, 64, 68);
    srand(seed);
    for (int x = 0; x < f->w;) {
        int bw = f->w / 12 + rand() % (f->w / 6), bh = horizon / 3 + rand() % (horizon / 2);
        int shade = 70 + rand() % 70;
        paint(f, x, horizon - bh, bw - 4, bh, shade, shade - 8, shade - 16);
        for (int wy = horizon - bh + 8; wy < horizon - 10; wy += 14)
            for (int wx = x + 6; wx < x + bw - 14; wx += 14)
                if (rand() % 3 == 0)
                    paint(f, wx, wy, 6, 6, 240, 214, 140);
        x += bw;
    }
    int road = horizon + (f->h - horizon) / 3;
    paint(f, 0, road, f->w, (f->h - road), 44, 46, 50);
    for (int x = (int)(seed % 5) * 10; x < f->w; x += f->w / 8)
        paint(f, x, road + (f->h - road) / 2, f->w / 16, 4, 230, 230, 220);
    for (int i = 0; i < 3; i++) { /* cars */
        int cx = rand() % (f->w - f->w / 8), cw = f->w / 10;
        int cy = road + (f->h - road) / 4 + rand() % ((f->h - road) / 2);
        paint(f, cx, cy, cw, cw / 2, 60 + rand() % 190, 60 + rand() % 120, 60 + rand() % 120);
    }
}

static void tile_frame(scene_tile_t *t, const frame_t *f)
{
    t->has_frame = true;
    t->frame_new = true;
    t->frame_w = f->w;
    t->frame_h = f->h;
    for (int i = 0; i < 3; i++) {
        t->planes[i] = f->plane[i];
        t->strides[i] = f->stride[i];
    }
}

/* ---- helpers --------------------------------------------------------------------------------- */

static render_t *headless(int w, int h)
{
    char err[512];
    render_opts_t o = {.headless = true};
    render_t *r = render_new(w, h, &o, err, sizeof err);
    if (r == NULL)
        fail_msg("render_new: %s", err);
    return r;
}

static void path_in(char *buf, size_t cap, const char *dir, const char *name)
{
    snprintf(buf, cap, "%s/%s", dir, name);
}

/* Renders s and returns the frame as ARGB8888 pixels (snapshot, then decoded). */
static SDL_Surface *render_read(render_t *r, const scene_t *s, const char *name)
{
    char path[512], err[512];
    path_in(path, sizeof path, out_dir, name);
    assert_int_equal(render_frame(r, s), 0);
    if (render_snapshot_png(r, path, err, sizeof err) != 0)
        fail_msg("snapshot: %s", err);
    SDL_Surface *png = IMG_Load(path);
    assert_non_null(png);
    SDL_Surface *argb = SDL_ConvertSurfaceFormat(png, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(png);
    assert_non_null(argb);
    return argb;
}

static SDL_Color pixel(const SDL_Surface *s, int x, int y)
{
    Uint32 p = ((const Uint32 *)((const Uint8 *)s->pixels + y * s->pitch))[x];
    return (SDL_Color){(Uint8)(p >> 16), (Uint8)(p >> 8), (Uint8)p, 255};
}

static void assert_colour_at(const SDL_Surface *s, int x, int y, SDL_Color want, int tol)
{
    SDL_Color got = pixel(s, x, y);
    if (abs(got.r - want.r) > tol || abs(got.g - want.g) > tol || abs(got.b - want.b) > tol)
        fail_msg("pixel (%d,%d) is #%02x%02x%02x, want #%02x%02x%02x (+-%d)", x, y, got.r, got.g,
                 got.b, want.r, want.g, want.b, tol);
}

static scene_t one_tile_scene(int w, int h, scene_tile_t *t)
{
    return (scene_t){.canvas_w = w, .canvas_h = h, .tiles = t, .n_tiles = 1};
}

/* ---- setup ----------------------------------------------------------------------------------- */

static int group_setup(void **state)
{
    (void)state;
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/sdl_test_render.XXXXXX");
    if (mkdtemp(tmp_dir) == NULL)
        return -1;
    out_dir = getenv("PANTAU_KEEP_PNG");
    if (out_dir != NULL && out_dir[0] != '\0')
        mkdir(out_dir, 0755);
    else
        out_dir = tmp_dir;
    IMG_Init(IMG_INIT_PNG);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    DIR *d = opendir(tmp_dir);
    struct dirent *e;
    while (d != NULL && (e = readdir(d)) != NULL) {
        char path[600];
        if (e->d_name[0] == '.')
            continue;
        path_in(path, sizeof path, tmp_dir, e->d_name);
        unlink(path);
    }
    if (d != NULL)
        closedir(d);
    rmdir(tmp_dir);
    IMG_Quit();
    return 0;
}

/* ---- invalid arguments ----------------------------------------------------------------------- */

static void test_new_invalid(void **state)
{
    (void)state;
    char err[512];
    render_opts_t o = {.headless = true};
    static const int sizes[][2] = {{0, 100}, {100, 0}, {-1, 100}, {100, -5}, {20000, 100}};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        err[0] = '\0';
        assert_null(render_new(sizes[i][0], sizes[i][1], &o, err, sizeof err));
        assert_true(strstr(err, "invalid") != NULL);
    }
    assert_null(render_new(100, 100, NULL, err, sizeof err));
    assert_null(render_new(0, 0, NULL, NULL, 0)); /* no err buffer: still fails cleanly */

    render_opts_t bad = {.headless = true, .font_path = "/nonexistent/pantau/font.ttf"};
    assert_null(render_new(100, 100, &bad, err, sizeof err));
    assert_non_null(strstr(err, "/nonexistent/pantau/font.ttf"));

    char not_font[512];
    path_in(not_font, sizeof not_font, tmp_dir, "not-a-font.ttf");
    FILE *fp = fopen(not_font, "w");
    assert_non_null(fp);
    fputs("hello", fp);
    fclose(fp);
    render_opts_t junk = {.headless = true, .font_path = not_font};
    assert_null(render_new(100, 100, &junk, err, sizeof err));
    assert_true(err[0] != '\0');
}

static void test_api_invalid(void **state)
{
    (void)state;
    char err[256];
    render_t *r = headless(64, 64);
    assert_true(render_is_headless(r));
    assert_int_equal(render_frame(NULL, NULL), -1);
    assert_int_equal(render_frame(r, NULL), -1);
    scene_t broken = {.canvas_w = 64, .canvas_h = 64, .n_tiles = 2, .tiles = NULL};
    assert_int_equal(render_frame(r, &broken), -1);
    scene_t negative = {.canvas_w = 64, .canvas_h = 64, .n_panels = -1};
    assert_int_equal(render_frame(r, &negative), -1);
    assert_int_equal(render_snapshot_png(NULL, "x.png", err, sizeof err), -1);
    assert_int_equal(render_snapshot_png(r, NULL, err, sizeof err), -1);
    assert_int_equal(render_snapshot_png(r, "", err, sizeof err), -1);
    char path[512];
    path_in(path, sizeof path, tmp_dir, "early.png");
    assert_int_equal(render_snapshot_png(r, path, err, sizeof err), -1); /* nothing drawn yet */
    assert_non_null(strstr(err, "no frame"));
    assert_int_equal(render_request_snapshot(NULL, path), -1);
    assert_int_equal(render_request_snapshot(r, NULL), -1);
    assert_int_equal(render_request_snapshot(r, ""), -1);
    assert_int_equal(render_snapshot_status(r, err, sizeof err), -1); /* none requested */
    assert_int_equal(render_snapshot_status(NULL, err, sizeof err), -1);
    assert_int_equal(render_texture_count(NULL), 0);
    assert_false(render_is_headless(NULL));

    /* An empty scene and tiles with odd input draw without failing. */
    scene_tile_t odd[3] = {
        {.id = NULL, .rect = {0, 0, 32, 32}, .has_frame = true, .frame_w = 16, .frame_h = 16},
        {.id = "no-planes", .rect = {32, 0, 32, 32}, .has_frame = true, .frame_w = 16,
         .frame_h = 16, .frame_new = true},
        {.id = "empty-rect", .rect = {0, 0, 0, 0}, .label = "x", .severity = 99},
    };
    scene_t s = {.canvas_w = 64, .canvas_h = 64, .tiles = odd, .n_tiles = 3};
    assert_int_equal(render_frame(r, &s), 0);
    assert_int_equal(render_texture_count(r), 0);
    scene_t empty = {.canvas_w = 64, .canvas_h = 64};
    assert_int_equal(render_frame(r, &empty), 0);

    render_destroy(&r);
    assert_null(r);
    render_destroy(&r); /* idempotent */
    render_destroy(NULL);
}

/* ---- pictures -------------------------------------------------------------------------------- */

/* Per-screen mode, headless: one surface per screen; a tile is drawn on the screen it names
 * (and only there); the title bar is on every screen; a snapshot writes each screen to
 * PATH-screenK.png and all of them side by side to PATH. */
static SDL_Surface *load_argb(const char *path)
{
    SDL_Surface *png = IMG_Load(path);
    assert_non_null(png);
    SDL_Surface *argb = SDL_ConvertSurfaceFormat(png, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(png);
    assert_non_null(argb);
    return argb;
}

static void test_per_screen(void **state)
{
    (void)state;
    char err[512], path[512], one[600], two[600];
    render_opts_t o = {.headless = true, .screens = 2, .per_screen = true};
    render_t *r = render_new(320, 180, &o, err, sizeof err);
    if (r == NULL)
        fail_msg("render_new: %s", err);
    assert_int_equal(render_screen_count(r), 2);
    assert_int_equal(render_window_screen(r, 12345), 0); /* headless: no windows */
    frame_t red, blue;
    frame_init(&red, 160, 90);
    frame_init(&blue, 160, 90);
    frame_solid(&red, 200, 60, 40);
    frame_solid(&blue, 40, 70, 220);
    scene_tile_t t[2] = {{.id = "red", .screen = 0, .rect = {0, 40, 320, 140}},
                         {.id = "blue", .screen = 1, .rect = {0, 40, 320, 140}}};
    tile_frame(&t[0], &red);
    tile_frame(&t[1], &blue);
    scene_t s = {.canvas_w = 320, .canvas_h = 180, .tiles = t, .n_tiles = 2,
                 .title_rect = {0, 0, 320, 36}, .title = "Dua layar", .clock = "12:00"};
    path_in(path, sizeof path, out_dir, "per-screen.png");
    assert_int_equal(render_request_snapshot(r, path), 0);
    assert_int_equal(render_frame(r, &s), 0);
    if (render_snapshot_status(r, err, sizeof err) != 0)
        fail_msg("snapshot: %s", err);
    assert_int_equal(render_texture_count(r), 2); /* one texture each, on its own renderer */
    assert_int_equal(render_screen_snapshot_path(path, 0, one, sizeof one), 0);
    assert_int_equal(render_screen_snapshot_path(path, 1, two, sizeof two), 0);
    SDL_Color want_red = to_rgb(to_yuv(200, 60, 40)), want_blue = to_rgb(to_yuv(40, 70, 220));
    SDL_Surface *a = load_argb(one), *b = load_argb(two), *all = load_argb(path);
    assert_true(a->w == 320 && a->h == 180 && b->w == 320 && b->h == 180);
    assert_true(all->w == 640 && all->h == 180);
    assert_colour_at(a, 160, 110, want_red, TOLERANCE);
    assert_colour_at(b, 160, 110, want_blue, TOLERANCE);
    assert_colour_at(all, 160, 110, want_red, TOLERANCE);
    assert_colour_at(all, 320 + 160, 110, want_blue, TOLERANCE);
    assert_colour_at(a, 2, 2, THEME_TITLE_BAR, 0); /* the title bar on both screens */
    assert_colour_at(b, 2, 2, THEME_TITLE_BAR, 0);
    SDL_FreeSurface(a);
    SDL_FreeSurface(b);
    SDL_FreeSurface(all);

    /* A tile on a screen that does not exist is drawn nowhere (and does not fail the frame). */
    t[1].screen = 5;
    assert_int_equal(render_frame(r, &s), 0);
    assert_int_equal(render_texture_count(r), 1);
    frame_free(&red);
    frame_free(&blue);
    render_destroy(&r);
    assert_null(r);

    /* Bad screen counts. */
    render_opts_t bad = {.headless = true, .screens = RENDER_MAX_SCREENS + 1, .per_screen = true};
    assert_null(render_new(320, 180, &bad, err, sizeof err));
    assert_non_null(strstr(err, "screens"));
    bad.screens = -1;
    assert_null(render_new(320, 180, &bad, err, sizeof err));
}

/* Names of the per-screen snapshot files, and bad arguments. */
static void test_screen_snapshot_path(void **state)
{
    (void)state;
    static const struct {
        const char *path;
        int screen;
        const char *want;
    } cases[] = {
        {"wall.png", 0, "wall-screen1.png"},
        {"/tmp/a.b/wall.png", 1, "/tmp/a.b/wall-screen2.png"},
        {"/tmp/a.b/wall", 0, "/tmp/a.b/wall-screen1"},
        {"snap", 15, "snap-screen16"},
        {".hidden", 0, ".hidden-screen1"},
        {"x.tar.png", 2, "x.tar-screen3.png"},
    };
    char out[128];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(render_screen_snapshot_path(cases[i].path, cases[i].screen, out,
                                                     sizeof out), 0);
        assert_string_equal(out, cases[i].want);
    }
    assert_int_equal(render_screen_snapshot_path(NULL, 0, out, sizeof out), -1);
    assert_int_equal(render_screen_snapshot_path("a.png", -1, out, sizeof out), -1);
    assert_int_equal(render_screen_snapshot_path("a.png", 0, NULL, 10), -1);
    assert_int_equal(render_screen_snapshot_path("a.png", 0, out, 5), -1); /* too small */
}

static void test_tile_shows_frame(void **state)
{
    (void)state;
    render_t *r = headless(320, 180);
    frame_t f;
    frame_init(&f, 320, 180);
    static const int colours[][3] = {{200, 60, 40}, {30, 160, 90}, {40, 70, 220}, {128, 128, 128}};
    for (size_t i = 0; i < sizeof colours / sizeof colours[0]; i++) {
        frame_solid(&f, colours[i][0], colours[i][1], colours[i][2]);
        scene_tile_t t = {.id = "cam", .rect = {0, 0, 320, 180}};
        tile_frame(&t, &f);
        scene_t s = one_tile_scene(320, 180, &t);
        SDL_Surface *px = render_read(r, &s, "solid.png");
        SDL_Color want = to_rgb(to_yuv(colours[i][0], colours[i][1], colours[i][2]));
        assert_colour_at(px, 160, 90, want, TOLERANCE);
        assert_colour_at(px, 5, 5, want, TOLERANCE);
        assert_colour_at(px, 0, 90, THEME_TILE_BORDER, 0); /* thin border */
        SDL_FreeSurface(px);
    }
    frame_free(&f);
    render_destroy(&r);
}

static void test_letterbox_and_crop(void **state)
{
    (void)state;
    render_t *r = headless(400, 400);
    frame_t f;
    frame_init(&f, 320, 180);
    frame_solid(&f, 200, 60, 40);
    SDL_Color want = to_rgb(to_yuv(200, 60, 40));
    scene_tile_t t = {.id = "cam", .rect = {0, 0, 400, 400}, .fit = GRID_FIT_LETTERBOX};
    tile_frame(&t, &f);
    scene_t s = one_tile_scene(400, 400, &t);
    SDL_Surface *px = render_read(r, &s, "letterbox.png");
    assert_colour_at(px, 200, 200, want, TOLERANCE);
    assert_colour_at(px, 200, 20, THEME_LETTERBOX, 0);  /* bar above: picture is 400x225 */
    assert_colour_at(px, 200, 380, THEME_LETTERBOX, 0); /* bar below */
    assert_colour_at(px, 200, 90, want, TOLERANCE);     /* first picture rows */
    SDL_FreeSurface(px);

    t.fit = GRID_FIT_CROP;
    t.frame_new = false; /* same picture, texture reused */
    px = render_read(r, &s, "crop.png");
    assert_colour_at(px, 200, 20, want, TOLERANCE);
    assert_colour_at(px, 20, 200, want, TOLERANCE);
    SDL_FreeSurface(px);
    frame_free(&f);
    render_destroy(&r);
}

static void test_dim(void **state)
{
    (void)state;
    render_t *r = headless(320, 180);
    frame_t f;
    frame_init(&f, 320, 180);
    frame_solid(&f, 220, 200, 180);
    SDL_Color full = to_rgb(to_yuv(220, 200, 180));
    scene_tile_t t = {.id = "cam", .rect = {0, 0, 320, 180}, .dim = true};
    tile_frame(&t, &f);
    scene_t s = one_tile_scene(320, 180, &t);
    SDL_Surface *px = render_read(r, &s, "dim.png");
    SDL_Color want = {(Uint8)(full.r * DEFAULT_DIM_MOD / 255),
                      (Uint8)(full.g * DEFAULT_DIM_MOD / 255),
                      (Uint8)(full.b * DEFAULT_DIM_MOD / 255), 255};
    assert_colour_at(px, 160, 90, want, TOLERANCE);
    SDL_FreeSurface(px);

    t.dim = false; /* and back to full brightness */
    t.frame_new = false;
    px = render_read(r, &s, "undim.png");
    assert_colour_at(px, 160, 90, full, TOLERANCE);
    SDL_FreeSurface(px);
    frame_free(&f);
    render_destroy(&r);
}

static void test_no_frame_background(void **state)
{
    (void)state;
    render_t *r = headless(400, 300);
    scene_tile_t t = {.id = "cam", .rect = {20, 20, 320, 180}, .severity = SCENE_SEVERITY_INFO};
    scene_t s = one_tile_scene(400, 300, &t);
    SDL_Surface *px = render_read(r, &s, "empty.png");
    assert_colour_at(px, 180, 110, THEME_TILE_EMPTY, 0);
    assert_colour_at(px, 380, 280, THEME_CANVAS, 0); /* outside every tile */
    assert_colour_at(px, 20, 100, THEME_TILE_BORDER, 0);
    SDL_FreeSurface(px);
    render_destroy(&r);
}

static void test_frame_new_false_reuses_texture(void **state)
{
    (void)state;
    render_t *r = headless(320, 180);
    frame_t a, b;
    frame_init(&a, 320, 180);
    frame_init(&b, 320, 180);
    frame_solid(&a, 200, 60, 40);
    frame_solid(&b, 40, 70, 220);
    scene_tile_t t = {.id = "cam", .rect = {0, 0, 320, 180}};
    tile_frame(&t, &a);
    scene_t s = one_tile_scene(320, 180, &t);
    assert_int_equal(render_frame(r, &s), 0);
    tile_frame(&t, &b);
    t.frame_new = false; /* b's planes are not to be uploaded */
    SDL_Surface *px = render_read(r, &s, "reuse.png");
    assert_colour_at(px, 160, 90, to_rgb(to_yuv(200, 60, 40)), TOLERANCE);
    SDL_FreeSurface(px);
    t.frame_new = true;
    px = render_read(r, &s, "reuse2.png");
    assert_colour_at(px, 160, 90, to_rgb(to_yuv(40, 70, 220)), TOLERANCE);
    SDL_FreeSurface(px);
    frame_free(&a);
    frame_free(&b);
    render_destroy(&r);
}

/* Pixels of a and b (same size, ARGB8888) are identical; else fails naming the first difference. */
static void assert_same_pixels(const SDL_Surface *a, const SDL_Surface *b, const char *step)
{
    assert_int_equal(a->w, b->w);
    assert_int_equal(a->h, b->h);
    for (int y = 0; y < a->h; y++)
        for (int x = 0; x < a->w; x++) {
            SDL_Color p = pixel(a, x, y), q = pixel(b, x, y);
            if (p.r != q.r || p.g != q.g || p.b != q.b)
                fail_msg("%s: pixel (%d,%d) is #%02x%02x%02x kept, #%02x%02x%02x drawn whole", step,
                         x, y, p.r, p.g, p.b, q.r, q.g, q.b);
        }
}

/* Renders s on the damage-tracking renderer r and on a new renderer (which draws every tile),
 * and requires the same picture. Returns the tiles r kept during this frame. */
static uint64_t same_as_full(render_t *r, const scene_t *s, const char *step)
{
    render_cpu_t before, after;
    render_cpu_stats(r, &before);
    char name[64];
    snprintf(name, sizeof name, "damage-%s.png", step);
    SDL_Surface *kept = render_read(r, s, name);
    render_cpu_stats(r, &after);
    scene_tile_t all[8];
    assert_true(s->n_tiles <= 8);
    for (int i = 0; i < s->n_tiles; i++) {
        all[i] = s->tiles[i];
        all[i].frame_new = all[i].has_frame; /* a new renderer has no textures yet */
    }
    scene_t whole = *s;
    whole.tiles = all;
    render_t *fresh = headless(s->canvas_w, s->canvas_h);
    snprintf(name, sizeof name, "damage-%s-full.png", step);
    SDL_Surface *drawn = render_read(fresh, &whole, name);
    assert_same_pixels(kept, drawn, step);
    SDL_FreeSurface(kept);
    SDL_FreeSurface(drawn);
    render_destroy(&fresh);
    return after.tiles_kept - before.tiles_kept;
}

/* Damage: tiles that did not change are kept on the canvas, not drawn, and the picture is the
 * same as drawing everything, through new frames, text and state changes, the banner coming and
 * going, the corner clock ticking over a tile, and a tile leaving the scene. */
static void test_damage_matches_full_redraw(void **state)
{
    (void)state;
    render_t *r = headless(640, 360);
    frame_t f[5];
    for (int i = 0; i < 5; i++) {
        frame_init(&f[i], 320, 180);
        frame_street(&f[i], (unsigned)i + 1);
    }
    char badges[4][32], clock[16] = "12:00:00";
    const char *ids[] = {"cam0", "cam1", "cam2", "cam3"};
    scene_tile_t t[4];
    for (int i = 0; i < 4; i++) {
        snprintf(badges[i], sizeof badges[i], "LIVE 25 fps");
        t[i] = (scene_tile_t){.id = ids[i], .rect = {(i % 2) * 320, (i / 2) * 180, 320, 180},
                              .label = ids[i], .badge = badges[i]};
        tile_frame(&t[i], &f[i]);
    }
    scene_t s = {.canvas_w = 640, .canvas_h = 360, .tiles = t, .n_tiles = 4, .clock = clock};
    assert_int_equal(same_as_full(r, &s, "first"), 0);
    for (int i = 0; i < 4; i++)
        t[i].frame_new = false;
    /* Nothing new: all kept but the tile under the corner clock (bottom right). */
    assert_int_equal(same_as_full(r, &s, "idle"), 3);
    tile_frame(&t[1], &f[4]); /* a new frame on one tile */
    assert_int_equal(same_as_full(r, &s, "new-frame"), 2);
    t[1].frame_new = false;
    snprintf(badges[2], sizeof badges[2], "LIVE 24 fps"); /* same pointer, new text */
    assert_int_equal(same_as_full(r, &s, "badge"), 2);
    t[2].dim = true;
    t[2].severity = SCENE_SEVERITY_WARN;
    assert_int_equal(same_as_full(r, &s, "stale"), 2);
    s.banner = "Layout error: line 12";
    assert_int_equal(same_as_full(r, &s, "banner-on"), 0);
    s.banner = NULL;
    assert_int_equal(same_as_full(r, &s, "banner-off"), 0);
    assert_int_equal(same_as_full(r, &s, "after-banner"), 3);
    snprintf(clock, sizeof clock, "12:00:01");
    assert_int_equal(same_as_full(r, &s, "clock"), 3);
    t[0].highlight = true;
    assert_int_equal(same_as_full(r, &s, "highlight"), 2);
    s.tiles = &t[1]; /* cam0 leaves the scene: its place becomes background */
    s.n_tiles = 3;
    assert_int_equal(same_as_full(r, &s, "tile-gone"), 2);
    for (int i = 0; i < 5; i++)
        frame_free(&f[i]);
    render_destroy(&r);
}

static void test_highlight(void **state)
{
    (void)state;
    render_t *r = headless(340, 200);
    frame_t f;
    frame_init(&f, 320, 180);
    frame_solid(&f, 30, 160, 90);
    scene_tile_t t = {.id = "cam", .rect = {10, 10, 320, 180}, .highlight = true};
    tile_frame(&t, &f);
    scene_t s = one_tile_scene(340, 200, &t);
    SDL_Surface *px = render_read(r, &s, "highlight.png");
    for (int d = 0; d < DEFAULT_TILE_HIGHLIGHT_MIN; d++) { /* 3 px or more on every side */
        assert_colour_at(px, 10 + d, 100, THEME_HIGHLIGHT, 0);
        assert_colour_at(px, 329 - d, 100, THEME_HIGHLIGHT, 0);
        assert_colour_at(px, 170, 10 + d, THEME_HIGHLIGHT, 0);
        assert_colour_at(px, 170, 189 - d, THEME_HIGHLIGHT, 0);
    }
    assert_colour_at(px, 170, 100, to_rgb(to_yuv(30, 160, 90)), TOLERANCE);
    assert_colour_at(px, 5, 100, THEME_CANVAS, 0);
    SDL_FreeSurface(px);
    frame_free(&f);
    render_destroy(&r);
}

/* ---- overlays -------------------------------------------------------------------------------- */

static int count_pixels(const SDL_Surface *s, SDL_Rect area, bool (*match)(SDL_Color))
{
    int n = 0;
    for (int y = area.y; y < area.y + area.h; y++)
        for (int x = area.x; x < area.x + area.w; x++)
            n += match(pixel(s, x, y));
    return n;
}

static bool is_white(SDL_Color c)
{
    return c.r > 230 && c.g > 230 && c.b > 230;
}

static bool is_canvas(SDL_Color c)
{
    SDL_Color bg = THEME_CANVAS;
    return c.r == bg.r && c.g == bg.g && c.b == bg.b;
}

static void test_banner(void **state)
{
    (void)state;
    render_t *r = headless(640, 360);
    scene_t s = {.canvas_w = 640, .canvas_h = 360,
                 .banner = "Layout tidak valid: bontang.layout:12: grid: 5x0\nTata letak lama "
                           "tetap tampil"};
    SDL_Surface *px = render_read(r, &s, "banner.png");
    SDL_Color red = pixel(px, 3, 357);
    assert_true(red.r > 150 && red.g < 60 && red.b < 60);
    assert_true(count_pixels(px, (SDL_Rect){0, 280, 640, 80}, is_white) > 50); /* its text */
    assert_true(is_canvas(pixel(px, 320, 100)));                               /* only a strip */
    SDL_FreeSurface(px);
    render_destroy(&r);
}

static void test_overlays_stay_inside(void **state)
{
    (void)state;
    render_t *r = headless(400, 300);
    static const char *long_text =
        "Simpang Lima Jalan Jenderal Sudirman arah Pelabuhan Loktuan dan Bandara yang panjang";
    scene_tile_t t = {.id = "cam", .rect = {100, 100, 160, 90}, .label = long_text,
                      .headline = "TIDAK ADA SINYAL SAMA SEKALI", .detail = long_text,
                      .badge = "MENGHUBUNGKAN ULANG 25 fps", .severity = SCENE_SEVERITY_ERROR,
                      .highlight = true};
    const char *lines[] = {long_text, "Terbuka\t42", "Lewat SLA\t7", long_text,
                                  "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"};
    scene_panel_t p = {.rect = {280, 20, 100, 120}, .title = long_text, .lines = lines,
                       .n_lines = 16};
    scene_t s = {.canvas_w = 400, .canvas_h = 300, .tiles = &t, .n_tiles = 1, .panels = &p,
                 .n_panels = 1};
    SDL_Surface *px = render_read(r, &s, "inside.png");
    /* Everything around the tile and the panel keeps the canvas colour. */
    SDL_Rect around[] = {{100, 80, 160, 20}, {100, 190, 160, 20}, {80, 100, 20, 90},
                         {260, 100, 20, 90}, {280, 140, 100, 40}, {380, 20, 20, 120}};
    for (size_t i = 0; i < sizeof around / sizeof around[0]; i++)
        assert_int_equal(count_pixels(px, around[i], is_canvas), around[i].w * around[i].h);
    assert_true(count_pixels(px, (SDL_Rect){100, 100, 160, 90}, is_white) > 20);
    SDL_FreeSurface(px);
    render_destroy(&r);
}

/* ---- textures and snapshots ------------------------------------------------------------------ */

static void test_textures_released(void **state)
{
    (void)state;
    render_t *r = headless(640, 360);
    frame_t f, g;
    frame_init(&f, 160, 90);
    frame_init(&g, 320, 180);
    frame_solid(&f, 200, 60, 40);
    frame_solid(&g, 40, 70, 220);
    scene_tile_t t[3] = {{.id = "a", .rect = {0, 0, 320, 180}},
                         {.id = "b", .rect = {320, 0, 320, 180}},
                         {.id = "c", .rect = {0, 180, 320, 180}}};
    for (int i = 0; i < 3; i++)
        tile_frame(&t[i], &f);
    scene_t s = {.canvas_w = 640, .canvas_h = 360, .tiles = t, .n_tiles = 3};
    assert_int_equal(render_frame(r, &s), 0);
    assert_int_equal(render_texture_count(r), 3);

    t[0].has_frame = false; /* still in the scene without a picture: texture kept */
    assert_int_equal(render_frame(r, &s), 0);
    assert_int_equal(render_texture_count(r), 3);

    s.tiles = &t[1]; /* a layout reload dropped a and c */
    s.n_tiles = 1;
    assert_int_equal(render_frame(r, &s), 0);
    assert_int_equal(render_texture_count(r), 1);

    tile_frame(&t[1], &g); /* b's camera now sends 320x180: texture recreated */
    t[1].rect = (grid_rect_t){0, 0, 640, 360};
    SDL_Surface *px = render_read(r, &s, "resized.png");
    assert_int_equal(render_texture_count(r), 1);
    assert_colour_at(px, 320, 180, to_rgb(to_yuv(40, 70, 220)), TOLERANCE);
    SDL_FreeSurface(px);

    s.n_tiles = 0;
    assert_int_equal(render_frame(r, &s), 0);
    assert_int_equal(render_texture_count(r), 0);
    frame_free(&f);
    frame_free(&g);
    render_destroy(&r);
}

static void test_snapshot_files(void **state)
{
    (void)state;
    char path[512], tmp[600], err[512];
    render_t *r = headless(500, 280);
    scene_t s = {.canvas_w = 500, .canvas_h = 280, .clock = "09:41:07"};
    assert_int_equal(render_frame(r, &s), 0);
    path_in(path, sizeof path, tmp_dir, "snap.png");
    assert_int_equal(render_snapshot_png(r, path, err, sizeof err), 0);
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    assert_int_equal(access(tmp, F_OK), -1); /* renamed away */
    SDL_Surface *png = IMG_Load(path);
    assert_non_null(png);
    assert_int_equal(png->w, 500);
    assert_int_equal(png->h, 280);
    SDL_FreeSurface(png);

    assert_int_equal(render_snapshot_png(r, "/nonexistent-dir/x.png", err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent-dir/x.png"));

    /* The request path (the one window mode uses) works headless too. */
    path_in(path, sizeof path, tmp_dir, "requested.png");
    assert_int_equal(render_request_snapshot(r, path), 0);
    assert_int_equal(render_snapshot_status(r, err, sizeof err), 1);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(render_frame(r, &s), 0);
    assert_int_equal(render_snapshot_status(r, err, sizeof err), 0);
    png = IMG_Load(path);
    assert_non_null(png);
    assert_int_equal(png->w, 500);
    SDL_FreeSurface(png);

    assert_int_equal(render_request_snapshot(r, "/nonexistent-dir/y.png"), 0);
    assert_int_equal(render_frame(r, &s), 0); /* a failed snapshot does not fail the frame */
    assert_int_equal(render_snapshot_status(r, err, sizeof err), -1);
    assert_non_null(strstr(err, "/nonexistent-dir/y.png"));
    render_destroy(&r);
}

/* ---- sample walls ---------------------------------------------------------------------------- */

typedef struct {
    frame_t frames[9];
    scene_tile_t tiles[9];
    scene_panel_t panel;
    scene_t scene;
} wall_t;

static const char *const counter_lines[] = {
    "Pengaduan hari ini\t128", "Belum ditangani\t42",  "Lewat batas waktu\t7",
    "Selesai hari ini\t86",    "WhatsApp\t61",         "LAPOR!\t38",
    "Call center 112\t19",     "Kepuasan warga\t4,6 / 5",
};

/* The 4x3 wall of the brief: 9 cameras in mixed states, the counters panel down the right. */
static void wall_build(wall_t *w, int cw, int ch, const char *banner)
{
    grid_t g;
    int gap = ch / 180;
    assert_true(grid_init(&g, cw, ch, true, 4, 3, gap));
    static const char *const ids[] = {"simpang5", "pelabuhan", "bandara", "pasar", "alun",
                                      "terminal", "rsud", "balaikota", "jembatan"};
    static const char *const labels[] = {
        "Simpang Lima Tugu",    "Pelabuhan Loktuan", "Bandara APT Pranoto", "Pasar Rawa Indah",
        "Alun-alun Kota",       "Terminal Bus Kota", "RSUD Taman Husada",   "Balai Kota",
        "Jembatan Pupuk Raya"};
    for (int i = 0; i < 9; i++) {
        scene_tile_t *t = &w->tiles[i];
        grid_rect_t rect = grid_cell_rect(&g, i % 3, i / 3, 1, 1);
        int fw = rect.w, fh = rect.h;
        grid_even_size(&fw, &fh);
        if (i == 6) { /* a 4:3 camera: letterboxed */
            fw = 640;
            fh = 480;
        }
        frame_init(&w->frames[i], fw, fh);
        frame_street(&w->frames[i], (unsigned)i * 7 + 3);
        *t = (scene_tile_t){.id = ids[i], .rect = rect, .label = labels[i],
                            .severity = SCENE_SEVERITY_OK, .badge = "LIVE 25 fps"};
        tile_frame(t, &w->frames[i]);
    }
    w->tiles[4].highlight = true;
    scene_tile_t *nosig = &w->tiles[2];
    nosig->has_frame = false;
    nosig->severity = SCENE_SEVERITY_ERROR;
    nosig->headline = "TIDAK ADA SINYAL";
    nosig->detail = "menyambung ulang \xc2\xb7 percobaan 3";
    nosig->badge = "TERPUTUS";
    scene_tile_t *stale = &w->tiles[5];
    stale->dim = true;
    stale->severity = SCENE_SEVERITY_WARN;
    stale->headline = "TERTUNDA";
    stale->detail = "frame 12 dtk";
    stale->badge = "12 dtk";
    scene_tile_t *conn = &w->tiles[7];
    conn->has_frame = false;
    conn->severity = SCENE_SEVERITY_INFO;
    conn->headline = "MENGHUBUNGKAN";
    conn->detail = "rtsp://10.1.2.7 \xc2\xb7 percobaan 1";
    conn->badge = "MENGHUBUNGKAN";
    w->tiles[8].badge = "LIVE 12 fps";
    w->panel = (scene_panel_t){.rect = grid_cell_rect(&g, 3, 0, 1, 3),
                               .title = "Pengaduan Warga",
                               .lines = counter_lines,
                               .n_lines = 8};
    w->scene = (scene_t){.canvas_w = cw, .canvas_h = ch, .title_rect = grid_title_rect(&g),
                         .title = "Smart Room Kota Bontang \xe2\x80\x94 Command Center",
                         .clock = "Senin, 23 Nov 2026  16:41:07", .tiles = w->tiles,
                         .n_tiles = 9, .panels = &w->panel, .n_panels = 1, .banner = banner};
}

static void wall_free(wall_t *w)
{
    for (int i = 0; i < 9; i++)
        frame_free(&w->frames[i]);
}

static void check_wall(const SDL_Surface *px, const wall_t *w)
{
    const scene_tile_t *live = &w->tiles[0], *nosig = &w->tiles[2];
    grid_rect_t tb = w->scene.title_rect, p = w->panel.rect;
    assert_colour_at(px, tb.x + tb.w / 2, tb.y + 2, THEME_TITLE_BAR, 0);
    assert_colour_at(px, p.x + p.w - 3, p.y + p.h / 2, THEME_PANEL, 0);
    assert_colour_at(px, nosig->rect.x + 4, nosig->rect.y + nosig->rect.h / 2, THEME_TILE_EMPTY,
                     0);
    SDL_Color sky = pixel(px, live->rect.x + live->rect.w / 2, live->rect.y + 3);
    assert_true(sky.b > sky.r); /* the painted sky, not the background */
}

static void render_wall(int cw, int ch, const char *banner, const char *name)
{
    render_t *r = headless(cw, ch);
    wall_t w;
    wall_build(&w, cw, ch, banner);
    SDL_Surface *px = render_read(r, &w.scene, name);
    assert_int_equal(px->w, cw);
    check_wall(px, &w);
    SDL_FreeSurface(px);
    wall_free(&w);
    render_destroy(&r);
}

static void test_sample_1080p(void **state)
{
    (void)state;
    render_wall(1920, 1080, NULL, "wall-1080p.png");
}

static void test_sample_4k(void **state)
{
    (void)state;
    render_wall(3840, 2160, NULL, "wall-4k.png");
}

static void test_sample_banner(void **state)
{
    (void)state;
    render_wall(1920, 1080,
                "Tata letak tidak dimuat ulang: bontang.layout:14: grid: kolom harus 1..16\n"
                "Tata letak terakhir yang valid tetap tampil.",
                "wall-banner.png");
}

static void test_corner_clock(void **state)
{
    (void)state;
    render_t *r = headless(640, 360);
    scene_t s = {.canvas_w = 640, .canvas_h = 360, .clock = "16:41:07"};
    SDL_Surface *px = render_read(r, &s, "corner-clock.png");
    /* Bottom-right, leaving the top-right corner (a tile's state badge) untouched. */
    assert_true(count_pixels(px, (SDL_Rect){480, 320, 160, 40}, is_canvas) < 160 * 40);
    assert_int_equal(count_pixels(px, (SDL_Rect){0, 320, 400, 40}, is_canvas), 400 * 40);
    assert_int_equal(count_pixels(px, (SDL_Rect){480, 0, 160, 40}, is_canvas), 160 * 40);
    SDL_FreeSurface(px);
    render_destroy(&r);
}

/* ---- window mode ----------------------------------------------------------------------------- */

static void test_window_no_video(void **state)
{
    (void)state;
    char err[512];
    const char *old = getenv("SDL_VIDEODRIVER");
    char *saved = old ? strdup(old) : NULL;
    setenv("SDL_VIDEODRIVER", "pantau-no-such-driver", 1);
    render_opts_t o = {.headless = false};
    render_t *r = render_new(320, 180, &o, err, sizeof err);
    if (saved != NULL)
        setenv("SDL_VIDEODRIVER", saved, 1);
    else
        unsetenv("SDL_VIDEODRIVER");
    free(saved);
    assert_null(r);
    assert_int_equal(strncmp(err, "no display:", 11), 0);
    assert_int_equal(SDL_WasInit(SDL_INIT_VIDEO), 0); /* nothing left initialised */
}

/* A real window: draw a red tile over the whole canvas, snapshot through the request path, check
 * the picture and the window-to-canvas mapping (the canvas is scaled to whatever window size). */
static void window_check(int cw, int ch, bool software, bool fullscreen, const char *name)
{
    char err[512], path[512];
    render_opts_t o = {.software = software, .fullscreen = fullscreen,
                       .window_title = "sdl_test_render"};
    render_t *r = render_new(cw, ch, &o, err, sizeof err);
    if (r == NULL)
        fail_msg("window: %s", err);
    assert_false(render_is_headless(r));
    frame_t f;
    frame_init(&f, 320, 180);
    frame_solid(&f, 200, 60, 40);
    scene_tile_t t = {.id = "cam", .rect = {0, 0, cw, ch}, .fit = GRID_FIT_STRETCH};
    tile_frame(&t, &f);
    scene_t s = one_tile_scene(cw, ch, &t);
    assert_int_equal(render_frame(r, &s), 0);
    assert_int_equal(render_snapshot_png(r, "x.png", err, sizeof err), -1); /* use the request */
    path_in(path, sizeof path, out_dir, name);
    assert_int_equal(render_request_snapshot(r, path), 0);
    t.frame_new = false;
    assert_int_equal(render_frame(r, &s), 0);
    if (render_snapshot_status(r, err, sizeof err) != 0)
        fail_msg("window snapshot: %s", err);
    SDL_Surface *png = IMG_Load(path);
    assert_non_null(png);
    SDL_Surface *px = SDL_ConvertSurfaceFormat(png, SDL_PIXELFORMAT_ARGB8888, 0);
    assert_non_null(px);
    assert_colour_at(px, px->w / 2, px->h / 2, to_rgb(to_yuv(200, 60, 40)), TOLERANCE + 4);
    /* A click at the window's centre reaches the wall at the canvas's centre: SDL maps mouse
     * events to the renderer's logical size itself (the wall must not map them again). */
    SDL_Window *win = NULL;
    for (Uint32 id = 1; id < 64 && win == NULL; id++)
        win = SDL_GetWindowFromID(id);
    assert_non_null(win);
    int ww = 0, wh = 0;
    SDL_GetWindowSize(win, &ww, &wh);
    SDL_Event click = {.type = SDL_MOUSEBUTTONDOWN};
    click.button.windowID = SDL_GetWindowID(win);
    click.button.button = SDL_BUTTON_LEFT;
    click.button.state = SDL_PRESSED;
    click.button.clicks = 1;
    click.button.x = ww / 2;
    click.button.y = wh / 2;
    SDL_FlushEvents(SDL_FIRSTEVENT, SDL_LASTEVENT);
    assert_int_equal(SDL_PushEvent(&click), 1);
    SDL_Event got;
    bool seen = false;
    while (SDL_PollEvent(&got))
        if (got.type == SDL_MOUSEBUTTONDOWN) {
            seen = true;
            break;
        }
    assert_true(seen);
    assert_true(abs(got.button.x - cw / 2) <= cw / 100 + 2 &&
                abs(got.button.y - ch / 2) <= ch / 100 + 2);
    SDL_FreeSurface(px);
    SDL_FreeSurface(png);
    frame_free(&f);
    render_destroy(&r);
    assert_int_equal(SDL_WasInit(SDL_INIT_VIDEO), 0);
}

static void test_window_x11(void **state)
{
    (void)state;
    const char *display = getenv("DISPLAY");
    if (display == NULL || display[0] == '\0')
        skip();
    window_check(640, 360, true, false, "window-sw.png");
    window_check(640, 360, false, false, "window-accel.png");
    window_check(7680, 4320, true, false, "window-scaled.png"); /* bigger than any screen */
    window_check(1280, 720, true, true, "window-fullscreen.png");
}

/* ---- timing (PANTAU_RENDER_BENCH=frames) ----------------------------------------------------- */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Best of 5 batches (the host is shared): ms per render_frame. */
static double time_frames(render_t *r, const scene_t *s, int frames)
{
    double best = 1e9;
    assert_int_equal(render_frame(r, s), 0); /* warm the caches */
    for (int batch = 0; batch < 5; batch++) {
        double start = now_ms();
        for (int n = 0; n < frames; n++)
            assert_int_equal(render_frame(r, s), 0);
        double ms = (now_ms() - start) / frames;
        best = ms < best ? ms : best;
    }
    return best;
}

/* A 4x4 wall of tile-sized frames: bare pictures, then with every overlay a live wall has
 * (label, badge, title bar, clock), each without and with 16 new frames to upload. */
static void bench(int cw, int ch, int frames)
{
    enum { N = 16 };
    static const char *const ids[N] = {"c0", "c1", "c2",  "c3",  "c4",  "c5",  "c6",  "c7",
                                       "c8", "c9", "c10", "c11", "c12", "c13", "c14", "c15"};
    grid_t g;
    assert_true(grid_init(&g, cw, ch, true, 4, 4, ch / 180));
    frame_t f[N];
    scene_tile_t t[N];
    for (int i = 0; i < N; i++) {
        grid_rect_t rect = grid_cell_rect(&g, i % 4, i / 4, 1, 1);
        int fw = rect.w, fh = rect.h;
        grid_even_size(&fw, &fh);
        frame_init(&f[i], fw, fh);
        frame_street(&f[i], (unsigned)i);
        t[i] = (scene_tile_t){.id = ids[i], .rect = rect};
        tile_frame(&t[i], &f[i]);
    }
    scene_t s = {.canvas_w = cw, .canvas_h = ch, .tiles = t, .n_tiles = N};
    render_t *r = headless(cw, ch);
    for (int dressed = 0; dressed < 2; dressed++) {
        for (int i = 0; i < N; i++) {
            t[i].label = dressed ? "Simpang Lima Tugu" : NULL;
            t[i].badge = dressed ? "LIVE 25 fps" : NULL;
        }
        s.title_rect = dressed ? grid_title_rect(&g) : (grid_rect_t){0, 0, 0, 0};
        s.title = dressed ? "Smart Room Kota Bontang" : NULL;
        s.clock = dressed ? "Senin, 23 Nov 2026  16:41:07" : NULL;
        for (int upload = 0; upload < 2; upload++) {
            for (int i = 0; i < N; i++)
                t[i].frame_new = upload;
            printf("bench: %dx%d 4x4 %-14s %-22s %6.2f ms/frame\n", cw, ch,
                   dressed ? "with overlays," : "bare pictures,",
                   upload ? "16 uploads per frame:" : "no uploads:", time_frames(r, &s, frames));
        }
    }
    render_destroy(&r);
    for (int i = 0; i < N; i++)
        frame_free(&f[i]);
}

static void test_bench(void **state)
{
    (void)state;
    const char *env = getenv("PANTAU_RENDER_BENCH");
    int frames = env ? atoi(env) : 0;
    if (frames <= 0)
        skip();
    bench(1920, 1080, frames);
    bench(3840, 2160, frames);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_invalid),
        cmocka_unit_test(test_api_invalid),
        cmocka_unit_test(test_tile_shows_frame),
        cmocka_unit_test(test_per_screen),
        cmocka_unit_test(test_screen_snapshot_path),
        cmocka_unit_test(test_letterbox_and_crop),
        cmocka_unit_test(test_dim),
        cmocka_unit_test(test_no_frame_background),
        cmocka_unit_test(test_frame_new_false_reuses_texture),
        cmocka_unit_test(test_highlight),
        cmocka_unit_test(test_damage_matches_full_redraw),
        cmocka_unit_test(test_banner),
        cmocka_unit_test(test_overlays_stay_inside),
        cmocka_unit_test(test_textures_released),
        cmocka_unit_test(test_snapshot_files),
        cmocka_unit_test(test_sample_1080p),
        cmocka_unit_test(test_sample_4k),
        cmocka_unit_test(test_sample_banner),
        cmocka_unit_test(test_corner_clock),
        cmocka_unit_test(test_window_no_video),
        cmocka_unit_test(test_window_x11),
        cmocka_unit_test(test_bench),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
