/* render_draw: the drawing primitives the renderer's parts share: filled and rounded
 * rectangles with alpha (cached shape textures), outlines, clipping, and cached text placed by
 * alignment. Failures of SDL calls are
 * not returned one by one: they are counted in the render_ctx_t, and render_frame reports the
 * first one once.
 *
 * Thread: the render thread only. Borrows the renderer and the text cache. */
#ifndef PANTAU_RENDER_DRAW_H
#define PANTAU_RENDER_DRAW_H

#include <stddef.h>

#include <SDL.h>

#include "grid.h"
#include "render_shape.h"
#include "render_text.h"

/* What every draw call needs, for one frame. */
typedef struct {
    SDL_Renderer *sdl;
    render_text_t *text;
    render_shape_t *shapes;
    int failures;    /* SDL calls that failed in this frame */
    char error[256]; /* the first one's reason */
} render_ctx_t;

typedef struct {
    int px; /* em size in pixels */
    render_text_style_t style;
    SDL_Color colour;
} render_font_t;

typedef enum { RENDER_ALIGN_LEFT = 0, RENDER_ALIGN_CENTRE, RENDER_ALIGN_RIGHT } render_align_t;

/* Records a failed SDL call (rc != 0) with SDL_GetError() as the reason. */
void render_draw_check(render_ctx_t *c, int rc, const char *what);

/* round(unit * frac), at least min. */
int render_draw_scale(int unit, double frac, int min);

/* Restricts drawing to r (NULL: the whole canvas again). */
void render_draw_clip(render_ctx_t *c, const grid_rect_t *r);

/* Fills r with col; alpha < 255 blends (through a cached shape texture). */
void render_draw_fill(render_ctx_t *c, grid_rect_t r, SDL_Color col);

/* A width-pixel frame just inside r, in an opaque colour. */
void render_draw_outline(render_ctx_t *c, grid_rect_t r, int width, SDL_Color col);

/* Fills r with antialiased corners of the given radius (clamped to half the shorter side). */
void render_draw_rounded(render_ctx_t *c, grid_rect_t r, int radius, SDL_Color col);

/* The cached picture of s[0..len) in font f, cut with an ellipsis to max_w (<= 0: no limit).
 * tex NULL when there is nothing to draw or the text cache failed (recorded). */
render_text_img_t render_draw_text_img(render_ctx_t *c, const char *s, size_t len,
                                       const render_font_t *f, int max_w);

/* Draws a text picture with its left edge, centre or right edge at x (per align) and its
 * vertical centre at cy. */
void render_draw_img(render_ctx_t *c, const render_text_img_t *img, int x, int cy,
                     render_align_t align);

/* render_draw_text_img + render_draw_img; returns the width drawn (0 for nothing). */
int render_draw_text(render_ctx_t *c, const char *s, size_t len, const render_font_t *f, int x,
                     int cy, int max_w, render_align_t align);

#endif
