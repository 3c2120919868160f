/* render: draws a scene_t with SDL2, in a window or headless, and writes PNG snapshots.
 *
 * Headless: SDL's software renderer drawing into an off-screen RGB surface (no display, no video
 * subsystem). Window: an SDL window on the chosen display (fullscreen or not) with vsync.
 * Camera pictures are uploaded as streaming IYUV textures with SDL_UpdateYUVTexture (the wall
 * never converts colour itself); one texture per tile id, recreated when the frame size changes.
 * Text uses SDL2_ttf; rendered strings are cached and re-rendered only when they change.
 *
 * Thread: everything here runs on the one render thread (SDL's rule). Owns the window, renderer,
 * textures and fonts. */
#ifndef PANTAU_RENDER_H
#define PANTAU_RENDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scene.h"

typedef struct render render_t;

#define RENDER_MAX_SCREENS 16

typedef struct {
    bool headless;          /* off-screen software rendering */
    int display;            /* window mode: SDL display index */
    int screens;            /* displays from `display` on (0 or 1: one display): one borderless
                               window spanning them, or one per display with per_screen */
    bool per_screen;        /* one output per screen (a window on each display, or headless one
                               surface each), each composing the tiles whose screen is its own */
    bool fullscreen;        /* window mode: borderless fullscreen on that display */
    bool vsync;             /* window mode: present with vsync */
    bool software;          /* window mode: force SDL's software renderer (fast without a GPU) */
    const char *window_title;
    const char *font_path;  /* TTF file; NULL = search PANTAU_FONT, assets/, the system's DejaVu */
} render_opts_t;

/* Creates the output. Returns NULL on failure with a reason in err (e.g. "no display: SDL could
 * not initialise video (…)"), so the caller can fall back to headless. */
render_t *render_new(int canvas_w, int canvas_h, const render_opts_t *opts, char *err, size_t err_cap);

/* Destroys everything render_new made; idempotent, NULLs *r. */
void render_destroy(render_t **r);

/* Draws the scene and presents it. Returns 0, or -1 if SDL failed (the reason is logged once). */
int render_frame(render_t *r, const scene_t *scene);

/* Writes the last presented frame as a PNG (to path.tmp, then renamed, so readers never see a
 * partial file). Returns 0 or -1 with a reason in err. */
int render_snapshot_png(render_t *r, const char *path, char *err, size_t err_cap);

bool render_is_headless(const render_t *r);

/* Outputs: 1, or the screens of per-screen mode. */
int render_screen_count(const render_t *r);

/* The screen (output index) of the window with this SDL window id; 0 when none matches. */
int render_window_screen(const render_t *r, unsigned window_id);


/* Per-screen snapshots: the file screen (0-based) is written to for a snapshot to path:
 * "wall.png" -> "wall-screen1.png". 0, or -1 on bad arguments or when out is too small. */
int render_screen_snapshot_path(const char *path, int screen, char *out, size_t cap);

/* ---- additions ------------------------------------------------------------------------------
 * Snapshots in window mode: after SDL_RenderPresent the back buffer is undefined (GL swaps it),
 * so a window's frame must be read back between drawing and presenting. The wall asks for that
 * ahead of time; render_snapshot_png above is the synchronous shortcut for headless output (in
 * window mode it fails with a reason that says to use this). */

/* Arms a snapshot: the next render_frame, after drawing and before presenting, reads the frame
 * back (the window's pixels in window mode, the canvas headless) and writes it as a PNG to path
 * (path.tmp, then renamed). With several outputs (per_screen), each screen goes to its own file
 * (render_screen_snapshot_path) and path gets them all side by side, screen 1 on the left.
 * The write costs that one frame the PNG encoding time (tens of ms at 1080p, per screen). Replaces a request not served yet. Returns 0, or -1 on bad arguments (path NULL, empty
 * or too long). The outcome is logged once and reported by render_snapshot_status. */
int render_request_snapshot(render_t *r, const char *path);

/* The state of the last requested snapshot: 1 pending (no frame drawn since the request), 0
 * written, -1 failed or never requested (reason in err). */
int render_snapshot_status(const render_t *r, char *err, size_t err_cap);

/* Number of video textures held, one per tile id that had a frame (tests, status). */
int render_texture_count(const render_t *r);

/* CPU accounting of the render thread (CLOCK_THREAD_CPUTIME_ID), cumulative since render_new:
 * frames drawn and their time (clear, tiles, text, panels, snapshot read-back, present), and
 * within it the video uploads (with the software renderer: I420 -> RGB conversion, the display's
 * own cost). On an output that keeps its pixels, tiles that did not change are kept, not drawn:
 * tiles_kept counts them. */
typedef struct {
    uint64_t frames, frame_cpu_ns;
    uint64_t uploads, upload_cpu_ns;
    uint64_t tiles_drawn, tiles_kept; /* tiles drawn, and kept unchanged from the last frame */
} render_cpu_t;
void render_cpu_stats(const render_t *r, render_cpu_t *out);

#endif
