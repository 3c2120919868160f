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
} ctl_verb_t;

typedef enum { CTL_PTZ_MOVE = 0, CTL_PTZ_STOP, CTL_PTZ_PRESET, CTL_PTZ_PRESETS } ctl_ptz_op_t;

typedef struct {
    ctl_verb_t verb;
    char target[CTLCMD_TEXT_MAX];  /* camera id, page word, "none", "all" (by verb); "" if none */
    char text[CTLCMD_TEXT_MAX];    /* alarm reason (words joined by spaces), snapshot path */
    int page_step;                 /* page: +1 next, -1 prev, 0 = target names the page */
    ctl_ptz_op_t ptz_op;
    double pan, tilt, zoom;        /* ptz move, each -1..1 */
    int preset;                    /* ptz preset, >= 1 */
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
