/* review: the incident review window (pantau-wall --review, docs/incidents.md "Review").
 *
 * Lists the incidents of the recordings' database (newest first: time, cameras, note, who and
 * from where) and plays an incident's exported clip (wall/player.h) in the compositor, with a
 * timeline that shows the clip's span, the marked moment and the playhead, and the frame's
 * wall-clock time (the clip's recorded start + the frame's position). Pause, seek by ±5 s and
 * ±60 s or by a click on the timeline, step one frame forward or back, switch between the
 * incident's cameras. What cannot be played (no clip exported yet, a clip deleted, a corrupt
 * file) is said on the picture, never a crash.
 *
 * The database is opened with pantau-incident's store (WAL, busy timeout) for each refresh (at
 * start, every 5 s, on `review list`/`play`), so marks and exports made meanwhile show up. The
 * window adds no rows; opening it runs the store's idempotent schema statements, and a refresh
 * can wait up to the store's busy timeout while an export commits (the picture holds still
 * meanwhile).
 *
 * Thread: the wall's main thread only (SDL and the player). Borrows the layout for its lifetime;
 * owns the player and every string of the scene it returns. */
#ifndef PANTAU_REVIEW_H
#define PANTAU_REVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctlcmd.h"
#include "layout.h"
#include "scene.h"

typedef struct review review_t;

typedef enum {
    REVIEW_KEY_NONE = 0,
    REVIEW_KEY_SELECT,   /* n: -1 up / +1 down the list */
    REVIEW_KEY_OPEN,     /* play the selected incident */
    REVIEW_KEY_PAUSE,    /* play/pause */
    REVIEW_KEY_SEEK,     /* n: seconds, signed */
    REVIEW_KEY_STEP,     /* n: +1 / -1 frame */
    REVIEW_KEY_CAMERA,   /* next camera of the incident */
    REVIEW_KEY_MARK,     /* to the marked moment */
    REVIEW_KEY_CLOSE,    /* stop playing, back to the list */
    REVIEW_KEY_EXPORT,   /* start pantau-incident export for the selected incident */
    REVIEW_KEY_CLICK,    /* x, y: canvas coordinates */
} review_key_t;

/* db_path: the incidents database; NULL = RECORDINGS/incidents.db of the layout. incident_prog:
 * pantau-incident, for key E (export); NULL = none. Returns NULL only when out of memory; a
 * missing database is shown in the window. */
review_t *review_new(const layout_t *layout, const char *layout_path, const char *db_path,
                     const char *incident_prog);

/* Stops playing and frees everything; idempotent, NULLs *r. */
void review_destroy(review_t **r);

/* Re-reads the incident list now. */
void review_refresh(review_t *r);

/* Takes in the player's news and builds the scene for now_ns (wall clock). The scene stays valid
 * until the next review_tick or review_destroy. */
const scene_t *review_tick(review_t *r, uint64_t now_ns);

/* Operator input (keys and clicks, already in canvas coordinates for a click). */
void review_key(review_t *r, review_key_t key, int n, int x, int y);

/* A control command (ctl_cmd_t with verb CTL_REVIEW). True with "ok\n..." in out, or false with
 * "error: ..." in out. */
bool review_command(review_t *r, const ctl_cmd_t *cmd, char *out, size_t cap);

#endif
