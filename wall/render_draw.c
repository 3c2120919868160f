/* render_draw: shared drawing primitives (see render_draw.h). */
#include "render_draw.h"

#include <math.h>
#include <stdio.h>

void render_draw_check(render_ctx_t *c, int rc, const char *what)
{
    if (rc == 0)
        return;
    if (c->failures++ == 0)
        snprintf(c->error, sizeof c->error, "%s: %s", what, SDL_GetError());
}

int render_draw_scale(int unit, double frac, int min)
{
    int v = (int)lround(unit * frac);
    return v < min ? min : v;
}

static SDL_Rect sdl_rect(grid_rect_t r)
{
    return (SDL_Rect){r.x, r.y, r.w, r.h};
}

void render_draw_clip(render_ctx_t *c, const grid_rect_t *r)
{
    SDL_Rect clip = r != NULL ? sdl_rect(*r) : (SDL_Rect){0, 0, 0, 0};
    render_draw_check(c, SDL_RenderSetClipRect(c->sdl, r != NULL ? &clip : NULL), "clip");
}

/* Opaque colours only: translucent ones go through draw_shape. */
static void set_colour(render_ctx_t *c, SDL_Color col)
{
    render_draw_check(c, SDL_SetRenderDrawBlendMode(c->sdl, SDL_BLENDMODE_NONE), "blend mode");
    render_draw_check(c, SDL_SetRenderDrawColor(c->sdl, col.r, col.g, col.b, 255), "colour");
}

/* A translucent or rounded rectangle: a cached texture (see render_shape.h). */
static void draw_shape(render_ctx_t *c, grid_rect_t r, int radius, SDL_Color col)
{
    SDL_Texture *tex = render_shape_get(c->shapes, r.w, r.h, radius, col);
    render_draw_check(c, tex == NULL ? -1 : 0, "shape");
    SDL_Rect dst = sdl_rect(r);
    if (tex != NULL)
        render_draw_check(c, SDL_RenderCopy(c->sdl, tex, NULL, &dst), "shape copy");
}

void render_draw_fill(render_ctx_t *c, grid_rect_t r, SDL_Color col)
{
    if (r.w <= 0 || r.h <= 0)
        return;
    if (col.a < 255) {
        draw_shape(c, r, 0, col);
        return;
    }
    SDL_Rect rect = sdl_rect(r);
    set_colour(c, col);
    render_draw_check(c, SDL_RenderFillRect(c->sdl, &rect), "fill");
}

void render_draw_outline(render_ctx_t *c, grid_rect_t r, int width, SDL_Color col)
{
    if (width <= 0 || r.w <= 2 * width || r.h <= 2 * width) {
        render_draw_fill(c, r, col);
        return;
    } /* opaque: the sides are thin */
    SDL_Rect sides[4] = {
        {r.x, r.y, r.w, width},
        {r.x, r.y + r.h - width, r.w, width},
        {r.x, r.y + width, width, r.h - 2 * width},
        {r.x + r.w - width, r.y + width, width, r.h - 2 * width},
    };
    set_colour(c, col);
    render_draw_check(c, SDL_RenderFillRects(c->sdl, sides, 4), "outline");
}

void render_draw_rounded(render_ctx_t *c, grid_rect_t r, int radius, SDL_Color col)
{
    if (r.w <= 0 || r.h <= 0)
        return;
    if (radius <= 0)
        render_draw_fill(c, r, col);
    else
        draw_shape(c, r, radius, col);
}

render_text_img_t render_draw_text_img(render_ctx_t *c, const char *s, size_t len,
                                       const render_font_t *f, int max_w)
{
    render_text_img_t img = {NULL, 0, 0};
    int rc = render_text_get(c->text, s, len, f->px, f->style, f->colour, max_w, &img);
    render_draw_check(c, rc < 0 ? -1 : 0, "text");
    return img;
}

void render_draw_img(render_ctx_t *c, const render_text_img_t *img, int x, int cy,
                     render_align_t align)
{
    if (img->tex == NULL)
        return;
    int left = align == RENDER_ALIGN_LEFT     ? x
               : align == RENDER_ALIGN_CENTRE ? x - img->w / 2
                                              : x - img->w;
    SDL_Rect dst = {left, cy - img->h / 2, img->w, img->h};
    render_draw_check(c, SDL_RenderCopy(c->sdl, img->tex, NULL, &dst), "text copy");
}

int render_draw_text(render_ctx_t *c, const char *s, size_t len, const render_font_t *f, int x,
                     int cy, int max_w, render_align_t align)
{
    render_text_img_t img = render_draw_text_img(c, s, len, f, max_w);
    render_draw_img(c, &img, x, cy, align);
    return img.tex != NULL ? img.w : 0;
}
