/* input: what an operator's key or click means on the wall. Pure mapping from an SDL event to an
 * action (no wall state beyond "is a tile focused"), so it is tested with synthetic SDL events;
 * main.c carries the actions out.
 *
 *   Grid:  arrows select a tile, click selects, Enter/F or double-click focuses the selection,
 *          PageUp/PageDown (or Tab/Shift+Tab) change page, 1..9 show page N, A acknowledges the
 *          selected tile's alarm.
 *   Focus: Esc returns to the grid; on a PTZ camera arrows pan/tilt and +/- zoom while held
 *          (release stops), 1..9 go to presets; A acknowledges.
 *   Always: S snapshot, R reload, F11 fullscreen, Ctrl+Q quit. */
#ifndef PANTAU_INPUT_H
#define PANTAU_INPUT_H

#include <stdbool.h>

#include <SDL.h>

#include "review.h"

typedef enum {
    INPUT_NONE = 0,
    INPUT_QUIT,
    INPUT_SNAPSHOT,
    INPUT_RELOAD,
    INPUT_FULLSCREEN,
    INPUT_SELECT_MOVE,  /* dx, dy */
    INPUT_SELECT_AT,    /* x, y: canvas coordinates (SDL scales clicks to the logical size) */
    INPUT_FOCUS,        /* the selected tile */
    INPUT_FOCUS_AT,     /* x, y: canvas coordinates, as for INPUT_SELECT_AT */
    INPUT_UNFOCUS,
    INPUT_PAGE_STEP,    /* n: +1 / -1 */
    INPUT_PAGE,         /* n: 0-based page */
    INPUT_ACK,          /* the selected (or focused) tile's alarm */
    INPUT_PTZ_MOVE,     /* pan, tilt, zoom: -1..1 */
    INPUT_PTZ_STOP,
    INPUT_PTZ_PRESET,   /* n: preset number, from 1 */
    INPUT_MARK,         /* mark an incident on the focused (or selected) camera */
} input_kind_t;

typedef struct {
    input_kind_t kind;
    int dx, dy;
    int x, y;
    unsigned window;    /* SDL window id of a click (several screens: which window) */
    int n;
    double pan, tilt, zoom;
} input_action_t;

#define INPUT_PTZ_SPEED 0.5 /* pan/tilt/zoom speed of a held key */

/* Maps ev; returns false (kind INPUT_NONE) for events that mean nothing on the wall. */
bool input_map(const SDL_Event *ev, bool focused, input_action_t *out);

/* The review window (pantau-wall --review, review.h): Up/Down choose an incident, Enter plays
 * it, Space pauses, Left/Right seek 5 s (with Shift, or PageUp/PageDown: 60 s), '.' and ','
 * step a frame forward/back, M goes to the mark, Tab to the incident's next camera, E exports,
 * Esc back to the list, a click seeks on the timeline (or pauses on the picture). Returns
 * false for anything else (then input_map's S, F11, Ctrl+Q apply). x, y: the event's
 * coordinates (canvas coordinates when the renderer has a logical size: SDL scales them). */
bool input_map_review(const SDL_Event *ev, review_key_t *key, int *n, int *x, int *y);

#endif
