/* ctlcmd: the wall's control commands, as pantauctl sends them and pantau-wall answers them.
 *
 * Request: one ZeroMQ multipart message, one word per part (no quoting rules, no shell
 * splitting): ["focus", "pelabuhan"], ["alarm", "pasar", "kerumunan", "di", "gerbang"]. At most
 * CTLCMD_MAX_PARTS parts of at most CTLCMD_MAX_PART bytes each, UTF-8 without control
 * characters. Reply: one part of text, "ok" or "ok\n" + details, or "error: " + reason.
 *
 *   status                          table of cameras (state, fps, latency, reconnects, error)
 *   page next|prev|ID|N             show a page (by [page] id or 1-based number)
 *   focus CAMERA | focus none       a camera full screen on its main stream, or back
 *   alarm CAMERA [REASON...]        flag a camera until acknowledged
 *   ack CAMERA|all                  acknowledge alarms
 *   reload                          re-read the layout file now
 *   snapshot /ABSOLUTE/PATH.png     write the wall as a PNG
 *   ptz CAMERA move PAN TILT ZOOM   continuous move (each -1..1); ptz CAMERA stop;
 *   ptz CAMERA preset N; ptz CAMERA presets
 *   review list | play ID [CAMERA] | pause | resume | seek +S|-S|S|mark|P% | step [back]
 *          | camera CAMERA | status | close      incident review window (pantau-wall --review)
 *   help                            the list above
 *
 * Pure: no I/O; thread-safe. Parsing checks everything a command needs that can be checked
 * without the wall (that a camera exists is the wall's business). */
#ifndef PANTAU_CTLCMD_H
#define PANTAU_CTLCMD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CTLCMD_MAX_PARTS 32
#define CTLCMD_MAX_PART 512
#define CTLCMD_TEXT_MAX 512

typedef enum {
    CTL_STATUS = 0,
    CTL_PAGE,
    CTL_FOCUS,
    CTL_ALARM,
    CTL_ACK,
    CTL_RELOAD,
    CTL_SNAPSHOT,
    CTL_PTZ,
    CTL_HELP,
    CTL_REVIEW,
} ctl_verb_t;

typedef enum { CTL_PTZ_MOVE = 0, CTL_PTZ_STOP, CTL_PTZ_PRESET, CTL_PTZ_PRESETS } ctl_ptz_op_t;

/* review sub-commands (a review window: pantau-wall --review, wall/review.h). */
typedef enum {
    CTL_REVIEW_LIST = 0, /* the incidents, as the window lists them */
    CTL_REVIEW_PLAY,     /* review_id, target = camera or "" for the first */
    CTL_REVIEW_PAUSE,
    CTL_REVIEW_RESUME,
    CTL_REVIEW_SEEK,     /* seek_kind, seconds */
    CTL_REVIEW_STEP,     /* step: +1 forward, -1 back */
    CTL_REVIEW_CAMERA,   /* target = camera of the incident */
    CTL_REVIEW_STATUS,   /* position, time, state: one key=value line */
    CTL_REVIEW_CLOSE,    /* back to the list */
} ctl_review_op_t;

typedef enum {
    CTL_SEEK_ABS = 0, /* seconds from the clip's start */
    CTL_SEEK_REL,     /* seconds from the current position (signed) */
    CTL_SEEK_PERCENT, /* seconds holds 0..100 */
    CTL_SEEK_MARK,    /* the incident's marked moment */
} ctl_seek_kind_t;

typedef struct {
    ctl_verb_t verb;
    char target[CTLCMD_TEXT_MAX];  /* camera id, page word, "none", "all" (by verb); "" if none */
    char text[CTLCMD_TEXT_MAX];    /* alarm reason (words joined by spaces), snapshot path */
    int page_step;                 /* page: +1 next, -1 prev, 0 = target names the page */
    ctl_ptz_op_t ptz_op;
    double pan, tilt, zoom;        /* ptz move, each -1..1 */
    int preset;                    /* ptz preset, >= 1 */
    ctl_review_op_t review_op;
    int64_t review_id;             /* review play: incident number, >= 1 */
    ctl_seek_kind_t seek_kind;
    double seconds;                /* review seek */
    int step;                      /* review step: +1 / -1 */
} ctl_cmd_t;

/* Parses the words of a request. Returns true and fills *cmd, or false with a one-line reason in
 * err (err_cap bytes) that names the bad word. */
bool ctlcmd_parse(int argc, const char *const *argv, ctl_cmd_t *cmd, char *err, size_t err_cap);

/* Checks raw message parts (lengths, UTF-8, no control characters), then parses them. The parts
 * need not be NUL-terminated. Same result convention as ctlcmd_parse. */
bool ctlcmd_parse_parts(int n, const uint8_t *const *parts, const size_t *lens, ctl_cmd_t *cmd,
                        char *err, size_t err_cap);

/* The command list shown by "help" and pantauctl --help (static text). */
const char *ctlcmd_help(void);

#endif
