/* render_shape: cached textures for translucent and rounded rectangles. SDL's software renderer
 * blends a filled rectangle pixel by pixel in plain C (~5 ns a pixel), but copies a texture with
 * a constant alpha through its SIMD blitter (~1 ns), so the label bands, headline boxes and
 * badges are drawn as textures made once per (size, radius, colour) and reused every frame.
 *
 * Thread: the render thread only. Owns the textures; borrows the SDL_Renderer, which must
 * outlive it. */
#ifndef PANTAU_RENDER_SHAPE_H
#define PANTAU_RENDER_SHAPE_H

#include <SDL.h>

typedef struct render_shape render_shape_t;

/* Returns NULL when out of memory. */
render_shape_t *render_shape_new(SDL_Renderer *sdl);

/* Frees every texture; idempotent, NULLs *s. */
void render_shape_destroy(render_shape_t **s);

/* A w x h rectangle in colour (its alpha included), with antialiased corners of the given
 * radius (0: square). The texture belongs to the cache and stays valid until the next call.
 * Returns NULL if SDL failed (SDL_GetError() says why) or the size is not positive. */
SDL_Texture *render_shape_get(render_shape_t *s, int w, int h, int radius, SDL_Color colour);

/* Number of cached shapes (tests). */
int render_shape_count(const render_shape_t *s);

#endif
