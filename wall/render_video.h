/* render_video: one streaming IYUV texture per tile id. A tile's newest I420 frame is uploaded
 * with SDL_UpdateYUVTexture (SDL converts colour, never the wall); the texture is recreated when
 * the frame size changes and freed when its id is no longer in the scene (render_video_sweep).
 *
 * Thread: the render thread only. Owns the textures and their id strings; borrows the
 * SDL_Renderer, which must outlive it. */
#ifndef PANTAU_RENDER_VIDEO_H
#define PANTAU_RENDER_VIDEO_H

#include <stdint.h>

#include <SDL.h>

#include "scene.h"

typedef struct render_video render_video_t;

/* Returns NULL when out of memory. */
render_video_t *render_video_new(SDL_Renderer *sdl);

/* Frees every texture; idempotent, NULLs *v. */
void render_video_destroy(render_video_t **v);

/* The texture holding tile's picture, after uploading its planes when the tile says frame_new
 * (or when the texture is missing or has another size and the planes are there). Marks the id
 * as seen in frame generation gen, with or without a picture, so its texture survives the
 * sweep. Returns 1 with *tex set, 0 when the tile has no picture to show (no frame, no id, bad
 * planes), -1 if SDL failed (SDL_GetError() says why). */
int render_video_texture(render_video_t *v, const scene_tile_t *tile, unsigned gen,
                         SDL_Texture **tex);

/* Frees the textures of ids not seen in generation gen. */
void render_video_sweep(render_video_t *v, unsigned gen);

/* Marks id's texture as seen in generation gen without drawing it (a tile kept from the last
 * frame), so render_video_sweep keeps it. Unknown ids are ignored. */
void render_video_touch(render_video_t *v, const char *id, unsigned gen);

/* Number of textures held. */
int render_video_count(const render_video_t *v);

/* Uploads so far and the render thread's CPU time spent in them (I420 -> the renderer's
 * texture format: with the software renderer, the colour conversion to RGB). */
void render_video_upload_stats(const render_video_t *v, uint64_t *uploads, uint64_t *cpu_ns);

#endif
