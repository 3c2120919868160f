/* render_tile: draws one camera tile of the scene: the picture fitted into the tile (black
 * letterbox bars, darkened when dim) or the empty background, the severity badge top-right, the
 * headline box in the middle, the label band along the bottom, and the borders. Every size is a
 * fraction of the tile (see render_theme.h), so a tile reads the same on 1080p and 4K walls.
 *
 * Thread: the render thread only. */
#ifndef PANTAU_RENDER_TILE_H
#define PANTAU_RENDER_TILE_H

#include "render_draw.h"
#include "render_video.h"
#include "scene.h"

/* Draws tile t; its texture is looked up (and uploaded) in v and marked seen in gen. Never
 * draws outside t->rect. SDL failures are recorded in c. */
void render_tile_draw(render_ctx_t *c, render_video_t *v, const scene_tile_t *t, unsigned gen);

#endif
