/* wall: one running wall: the current layout, a feed (and, for local cameras, a supervised
 * worker) per camera, and the scene built from them each frame. Live reload swaps the layout and
 * restarts only the cameras whose worker settings changed; an invalid edit keeps the last good
 * layout and shows the errors in a banner.
 *
 * Thread: everything runs on the main thread (which is also the render thread). Owns the layout,
 * feeds, supervisor and the ZeroMQ context; borrows nothing after wall_new returns. */
#ifndef PANTAU_WALL_H
#define PANTAU_WALL_H

#include <stdbool.h>
#include <stdint.h>

#include "layout.h"
#include "scene.h"

typedef struct wall wall_t;

typedef struct {
    const char *layout_path;
    const char *ingest_program; /* pantau-ingest; NULL = do not start workers (subscribe only) */
} wall_opts_t;

/* What a reload changed, so the caller can rebuild what it owns. */
typedef enum {
    WALL_RELOAD_NONE = 0,     /* file unchanged */
    WALL_RELOAD_APPLIED,      /* new layout in use, same canvas/window settings */
    WALL_RELOAD_NEW_CANVAS,   /* new layout in use; canvas size, display or fullscreen changed */
    WALL_RELOAD_REJECTED,     /* the edit is invalid: last good layout kept, errors in the banner */
} wall_reload_t;

/* Takes ownership of layout (a valid one from layout_load). Starts the workers at the first
 * wall_tick. Returns NULL on failure (reason in err). */
wall_t *wall_new(layout_t **layout, const wall_opts_t *opts, char *err, size_t err_cap);

/* Stops the workers (SIGTERM, then SIGKILL after a grace period), closes feeds; NULLs *w. */
void wall_destroy(wall_t **w);

const layout_t *wall_layout(const wall_t *w);

/* Waits up to timeout_ms for frames/status from any feed and takes in everything waiting.
 * Returns early when a message arrives, so frames are received as they come. */
void wall_poll(wall_t *w, int timeout_ms);

/* Once per composed frame: supervises workers and builds the scene for now_ns (wall clock).
 * The scene and its strings stay valid until the next wall_tick/wall_reload/wall_destroy. */
const scene_t *wall_tick(wall_t *w, uint64_t now_ns);

/* After the scene was drawn: frames in it count as shown (for latency and replacement counters). */
void wall_frame_presented(wall_t *w, uint64_t now_ns);

/* Re-reads the layout if the file changed (or always when force). */
wall_reload_t wall_reload(wall_t *w, bool force);

/* Operator input: select the tile at canvas (x, y), or move the selection by (dx, dy) cells. */
void wall_select_at(wall_t *w, int x, int y);
void wall_select_move(wall_t *w, int dx, int dy);

/* Marks an incident now on the selected camera (key M; wall/incident.h); logs the outcome. */
void wall_mark_selected(wall_t *w);

/* Writes a per-camera status report (one line per camera, key=value) to path atomically.
 * Returns 0 or -1. */
int wall_write_status(const wall_t *w, const char *path);

#endif
