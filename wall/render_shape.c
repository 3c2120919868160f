/* render_shape: cached rectangle textures (see render_shape.h). */
#include "render_shape.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#define DEFAULT_SHAPE_SLOTS 64 /* a 4x4 wall uses about 10: two band sizes, pills, boxes */

typedef struct {
    SDL_Texture *tex; /* NULL: free slot */
    int w, h, radius;
    uint32_t rgba;
    uint64_t used;
} shape_entry_t;

struct render_shape {
    SDL_Renderer *sdl;
    uint64_t tick;
    shape_entry_t entries[DEFAULT_SHAPE_SLOTS];
};

render_shape_t *render_shape_new(SDL_Renderer *sdl)
{
    render_shape_t *s = calloc(1, sizeof *s);
    if (s != NULL)
        s->sdl = sdl;
    return s;
}

void render_shape_destroy(render_shape_t **sp)
{
    if (sp == NULL || *sp == NULL)
        return;
    for (int i = 0; i < DEFAULT_SHAPE_SLOTS; i++)
        if ((*sp)->entries[i].tex != NULL)
            SDL_DestroyTexture((*sp)->entries[i].tex);
    free(*sp);
    *sp = NULL;
}

/* Opaque pixels in the colour; the alpha goes in the texture's alpha mod (the fast blit). */
static SDL_Texture *make_square(SDL_Renderer *sdl, int w, int h, SDL_Color c)
{
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_XRGB8888);
    if (surf == NULL)
        return NULL;
    SDL_FillRect(surf, NULL, SDL_MapRGB(surf->format, c.r, c.g, c.b));
    SDL_Texture *tex = SDL_CreateTextureFromSurface(sdl, surf);
    SDL_FreeSurface(surf);
    if (tex != NULL && c.a < 255) {
        SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
        SDL_SetTextureAlphaMod(tex, c.a);
    }
    return tex;
}

/* How much of the pixel (x, y) lies inside the rounded rectangle, 0..1. */
static double coverage(int x, int y, int w, int h, int radius)
{
    double cx = x < radius ? radius : x >= w - radius ? w - radius : x + 0.5;
    double cy = y < radius ? radius : y >= h - radius ? h - radius : y + 0.5;
    double d = hypot(x + 0.5 - cx, y + 0.5 - cy);
    double a = radius + 0.5 - d;
    return a < 0 ? 0 : a > 1 ? 1 : a;
}

static SDL_Texture *make_rounded(SDL_Renderer *sdl, int w, int h, int radius, SDL_Color c)
{
    SDL_Surface *surf = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (surf == NULL)
        return NULL;
    for (int y = 0; y < h; y++) {
        Uint32 *row = (Uint32 *)((Uint8 *)surf->pixels + y * surf->pitch);
        for (int x = 0; x < w; x++) {
            Uint8 a = (Uint8)lround(c.a * coverage(x, y, w, h, radius));
            row[x] = SDL_MapRGBA(surf->format, c.r, c.g, c.b, a);
        }
    }
    SDL_Texture *tex = SDL_CreateTextureFromSurface(sdl, surf);
    SDL_FreeSurface(surf);
    if (tex != NULL)
        SDL_SetTextureBlendMode(tex, SDL_BLENDMODE_BLEND);
    return tex;
}

static shape_entry_t *slot(render_shape_t *s)
{
    shape_entry_t *victim = &s->entries[0];
    for (int i = 0; i < DEFAULT_SHAPE_SLOTS; i++) {
        if (s->entries[i].tex == NULL)
            return &s->entries[i];
        if (s->entries[i].used < victim->used)
            victim = &s->entries[i];
    }
    SDL_DestroyTexture(victim->tex);
    victim->tex = NULL;
    return victim;
}

SDL_Texture *render_shape_get(render_shape_t *s, int w, int h, int radius, SDL_Color colour)
{
    if (w <= 0 || h <= 0) {
        SDL_SetError("empty shape %dx%d", w, h);
        return NULL;
    }
    int limit = (w < h ? w : h) / 2;
    radius = radius < 0 ? 0 : radius < limit ? radius : limit;
    uint32_t rgba = (uint32_t)colour.r << 24 | (uint32_t)colour.g << 16 |
                    (uint32_t)colour.b << 8 | colour.a;
    for (int i = 0; i < DEFAULT_SHAPE_SLOTS; i++) {
        shape_entry_t *e = &s->entries[i];
        if (e->tex != NULL && e->w == w && e->h == h && e->radius == radius && e->rgba == rgba) {
            e->used = ++s->tick;
            return e->tex;
        }
    }
    SDL_Texture *tex = radius > 0 ? make_rounded(s->sdl, w, h, radius, colour)
                                  : make_square(s->sdl, w, h, colour);
    if (tex == NULL)
        return NULL;
    *slot(s) = (shape_entry_t){tex, w, h, radius, rgba, ++s->tick};
    return tex;
}

int render_shape_count(const render_shape_t *s)
{
    int n = 0;
    for (int i = 0; s != NULL && i < DEFAULT_SHAPE_SLOTS; i++)
        n += s->entries[i].tex != NULL;
    return n;
}
