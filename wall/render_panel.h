/* render_panel: draws a complaint-counters panel (scene_counters_t): big numbers, bars by
 * channel and by OPD, the stage funnel, overdue per OPD, the KIP grade with PPID requests, and a
 * ticker of the latest items. view=all stacks the sections that fit the panel's height (most
 * important first); every other view fills the panel with one section. Sizes are fractions of
 * the panel, so a counter reads from across the room on any tile. A counter that rose recently is
 * drawn highlighted. Confidential titles and anonymous reporters never reach the screen: the
 * message cannot carry them (cmsg.h) and this file shows a fixed placeholder instead.
 *
 * Thread: the render thread. */
#ifndef PANTAU_RENDER_PANEL_H
#define PANTAU_RENDER_PANEL_H

#include "render_draw.h"
#include "scene.h"

#define DEFAULT_PANEL_COUNTERS_ROWS 4 /* title size of a counters panel: as a text panel of 4 rows */

/* Draws the counters of p (p->counters != NULL) into body, the panel's area under its title. */
void render_panel_counters(render_ctx_t *c, const scene_panel_t *p, grid_rect_t body);

#endif
