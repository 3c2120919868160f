/* render_chrome: everything on the wall that is not a camera: the title bar with the clock (or
 * the clock alone in the top-right corner), the text panels (complaint counters, notes) and the
 * red banner across the bottom. Sizes follow the element they belong to (render_theme.h).
 *
 * Panel lines may hold one tab: "Terbuka\t42" draws the key left in muted text and the value
 * right-aligned in bold, a dashboard row; a line without a tab is drawn as it is.
 *
 * Thread: the render thread only. */
#ifndef PANTAU_RENDER_CHROME_H
#define PANTAU_RENDER_CHROME_H

#include "render_draw.h"
#include "scene.h"

/* The title bar (scene->title_rect.h > 0) or the corner clock. */
void render_chrome_title(render_ctx_t *c, const scene_t *scene, int canvas_w, int canvas_h);

/* The box the corner clock covers (drawn when there is no title bar), or {0,0,0,0} when none:
 * tiles under it are redrawn with it (render.c keeps unchanged tiles between frames). */
grid_rect_t render_chrome_corner_box(render_ctx_t *c, const scene_t *scene, int canvas_w,
                                     int canvas_h);

/* One panel, clipped to its rectangle: lines that do not fit end with an ellipsis. */
void render_chrome_panel(render_ctx_t *c, const scene_panel_t *p);

/* The banner (scene->banner, lines split at '\n'), across the bottom of the canvas. */
void render_chrome_banner(render_ctx_t *c, const scene_t *scene, int canvas_w, int canvas_h);

#endif
