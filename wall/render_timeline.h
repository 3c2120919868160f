/* render_timeline: the review window's timeline (scene_timeline_t): the clip's length as a bar,
 * the part played filled, the incident's mark as a red tick, the playhead, the frame's
 * wall-clock time above and the clip's start and end times under the ends.
 *
 * Thread: the render thread only. */
#ifndef PANTAU_RENDER_TIMELINE_H
#define PANTAU_RENDER_TIMELINE_H

#include "render_draw.h"
#include "scene.h"

/* The bar's rectangle inside the timeline's rect (where a click seeks); pure geometry. */
grid_rect_t render_timeline_bar(const scene_timeline_t *t);

void render_timeline_draw(render_ctx_t *c, const scene_timeline_t *t);

#endif
