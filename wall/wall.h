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

#include "ctlcmd.h"
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

/* The red banner's text (layout errors after a rejected reload), or NULL. */
const char *wall_banner(const wall_t *w);

/* The wall's ZeroMQ context, for sockets that share its poll (the control socket). */
void *wall_zmq(wall_t *w);

/* Waits up to timeout_ms for frames/status from any feed (and for `extra`, a ZeroMQ socket such
 * as the control socket, or NULL) and takes in every feed message waiting. Returns early when a
 * message arrives, so frames are received as they come; returns true when extra is readable. */
bool wall_poll(wall_t *w, int timeout_ms, void *extra);

/* True when a tile in view has a newer frame than the one it shows (composing now would show
 * it). The main loop composes early for it: see docs/rendering.md, "Frame pacing". */
bool wall_frame_waiting(const wall_t *w);

/* Once per composed frame: supervises workers and builds the scene for now_ns (wall clock).
 * The scene and its strings stay valid until the next wall_tick/wall_reload/wall_destroy. */
const scene_t *wall_tick(wall_t *w, uint64_t now_ns);

/* After the scene was drawn: frames in it count as shown (for latency and replacement counters). */
void wall_frame_presented(wall_t *w, uint64_t now_ns);

/* Records the render thread's cumulative CPU time and tile counts (render.h render_cpu_t), for
 * the status file's render_cpu_ms / upload_cpu_ms / tiles_drawn / tiles_kept. */
void wall_note_render_cpu(wall_t *w, uint64_t frame_cpu_ns, uint64_t upload_cpu_ns,
                          uint64_t tiles_drawn, uint64_t tiles_kept);

/* Counts n compositions the wall skipped because it fell behind its fps (status: wall_skipped). */
void wall_frames_skipped(wall_t *w, uint64_t n);

/* Re-reads the layout if the file changed (or always when force). */
wall_reload_t wall_reload(wall_t *w, bool force);

/* Operator input: select the tile at (x, y) on screen's canvas (0-based screen; 0 unless
 * screen_mode=windows), or move the selection by (dx, dy) cells (across screens, side by side). */
void wall_select_at(wall_t *w, int screen, int x, int y);
void wall_select_move(wall_t *w, int dx, int dy);
int wall_selected(const wall_t *w);                 /* camera index or -1 */
int wall_camera_at(const wall_t *w, int screen, int x, int y); /* camera drawn there, or -1 */
int wall_camera_screen(const wall_t *w, int cam);   /* 0-based screen of a camera, or -1 */
int wall_find_camera(const wall_t *w, const char *id); /* index or -1 */

/* Pages: index of the page shown; show page (0-based, ignored when out of range); step by delta
 * pages, wrapping. Cameras on no shown page stop being decoded unless always_live. */
int wall_page(const wall_t *w);
void wall_page_set(wall_t *w, int page);
void wall_page_step(wall_t *w, int delta);

/* Focus: camera index full screen on its main stream (the substream scaled up until the main
 * stream delivers), or -1 to return to the page. With screen_mode=windows the focus covers the
 * camera's own screen; the other screens keep showing their page. */
void wall_focus(wall_t *w, int cam);
int wall_focused(const wall_t *w);

/* Alarms: flag a camera (blinking border, promoted to the spotlight unless the operator focuses
 * another camera); the flag stays until acknowledged. wall_ack: one camera, or every one with
 * cam = -1; returns how many were acknowledged. */
void wall_alarm(wall_t *w, int cam, const char *reason);
int wall_ack(wall_t *w, int cam);
bool wall_camera_alarmed(const wall_t *w, int cam);
int wall_alarm_count(const wall_t *w);

/* PTZ on camera cam (op and arguments as in ctlcmd.h), sent to its worker's PTZ socket from a
 * helper thread so the wall never waits on a camera. 0 (sent; a line in out) or -1 with the
 * reason in out. for_control: the answer is wanted back (wall_ptz_answers). */
int wall_ptz(wall_t *w, int cam, ctl_ptz_op_t op, double pan, double tilt, double zoom,
             int preset, bool for_control, char *out, size_t cap);

/* Takes the PTZ answers that came back (each is logged). Returns 1 and the control reply
 * ("ok\n..." or "error: ...") in out when one was for the control socket, else 0. */
int wall_ptz_answers(wall_t *w, char *out, size_t cap);

/* Human-readable table of every camera (state, fps, latency, jitter buffer, reconnects, shown,
 * last error) for pantauctl status; caller frees. NULL on allocation failure. */
char *wall_status_table(const wall_t *w);

/* Marks an incident now on camera index cam (key M; wall/incident.h); logs the outcome. */
void wall_mark(wall_t *w, int cam);

/* Writes a per-camera status report (one line per camera, key=value) to path atomically.
 * Returns 0 or -1. */
int wall_write_status(const wall_t *w, const char *path);

#endif
