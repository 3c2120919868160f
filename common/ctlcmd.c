/* ctlcmd: parsing of the wall's control commands (see ctlcmd.h). */
#include "ctlcmd.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "ini.h"

#define CTLCMD_ID_MAX 31

static const char ctlcmd_help_text[] =
    "status                          cameras: state, fps, latency, reconnects, last error\n"
    "page next|prev|ID|N             show a page (its [page] id or its number, from 1)\n"
    "focus CAMERA | focus none       a camera full screen on its main stream, or back\n"
    "alarm CAMERA [REASON...]        flag a camera (blinking, spotlight) until acknowledged\n"
    "ack CAMERA|all                  acknowledge alarms\n"
    "reload                          re-read the layout file now\n"
    "snapshot /ABSOLUTE/PATH.png     write the wall as a PNG\n"
    "ptz CAMERA move PAN TILT ZOOM   move a PTZ camera (each -1..1) until 'ptz CAMERA stop'\n"
    "ptz CAMERA stop | preset N | presets\n"
    "review list                     incidents (in a review window: pantau-wall --review)\n"
    "review play ID [CAMERA]         play an incident's clip; review camera CAMERA switches\n"
    "review pause | resume           pause or play on\n"
    "review seek +S|-S|S|P%|mark     move by or to S seconds, to P percent, to the mark\n"
    "review step [back]              one frame forward (or back), paused\n"
    "review status | close           position and state; back to the list\n"
    "help                            this list\n";

const char *ctlcmd_help(void)
{
    return ctlcmd_help_text;
}

static bool want_args(int argc, int min, int max, const char *verb, const char *usage, char *err,
                      size_t cap)
{
    if (argc - 1 >= min && argc - 1 <= max)
        return true;
    snprintf(err, cap, "%s: %s (usage: %s)", verb,
             argc - 1 < min ? "missing argument" : "too many arguments", usage);
    return false;
}

static bool camera_arg(const char *word, const char *verb, char *out, char *err, size_t cap)
{
    if (!ini_id_valid(word, CTLCMD_ID_MAX)) {
        snprintf(err, cap, "%s: '%.40s' is not a camera id (a-z, 0-9, _ and -, 1..%d characters)",
                 verb, word, CTLCMD_ID_MAX);
        return false;
    }
    snprintf(out, CTLCMD_TEXT_MAX, "%s", word);
    return true;
}

static bool number_arg(const char *word, double lo, double hi, const char *what, double *out,
                       char *err, size_t cap)
{
    char *end;
    errno = 0;
    double v = strtod(word, &end);
    if (errno != 0 || end == word || *end != '\0' || !isfinite(v) || v < lo || v > hi) {
        snprintf(err, cap, "ptz: %s '%.40s' is not a number from %g to %g", what, word, lo, hi);
        return false;
    }
    *out = v;
    return true;
}

static bool parse_page(int argc, const char *const *argv, ctl_cmd_t *cmd, char *err, size_t cap)
{
    if (!want_args(argc, 1, 1, "page", "page next|prev|ID|N", err, cap))
        return false;
    const char *w = argv[1];
    cmd->page_step = strcmp(w, "next") == 0 ? 1 : strcmp(w, "prev") == 0 ? -1 : 0;
    if (cmd->page_step == 0 && !ini_id_valid(w, CTLCMD_ID_MAX)) {
        snprintf(err, cap, "page: '%.40s' is neither next, prev, a page id nor a number", w);
        return false;
    }
    snprintf(cmd->target, sizeof cmd->target, "%s", w);
    return true;
}

static bool parse_ptz(int argc, const char *const *argv, ctl_cmd_t *cmd, char *err, size_t cap)
{
    static const char usage[] = "ptz CAMERA move PAN TILT ZOOM | stop | preset N | presets";
    if (!want_args(argc, 2, 5, "ptz", usage, err, cap) ||
        !camera_arg(argv[1], "ptz", cmd->target, err, cap))
        return false;
    const char *op = argv[2];
    if (strcmp(op, "move") == 0) {
        cmd->ptz_op = CTL_PTZ_MOVE;
        return want_args(argc - 2, 3, 3, "ptz move", usage, err, cap) &&
               number_arg(argv[3], -1, 1, "pan", &cmd->pan, err, cap) &&
               number_arg(argv[4], -1, 1, "tilt", &cmd->tilt, err, cap) &&
               number_arg(argv[5], -1, 1, "zoom", &cmd->zoom, err, cap);
    }
    if (strcmp(op, "preset") == 0) {
        double n;
        cmd->ptz_op = CTL_PTZ_PRESET;
        if (!want_args(argc - 2, 1, 1, "ptz preset", usage, err, cap) ||
            !number_arg(argv[3], 1, 255, "preset", &n, err, cap))
            return false;
        if (n != (int)n) {
            snprintf(err, cap, "ptz: preset '%.40s' is not a whole number", argv[3]);
            return false;
        }
        cmd->preset = (int)n;
        return true;
    }
    if (strcmp(op, "stop") == 0 || strcmp(op, "presets") == 0) {
        cmd->ptz_op = op[1] == 't' ? CTL_PTZ_STOP : CTL_PTZ_PRESETS;
        return want_args(argc - 2, 0, 0, op[1] == 't' ? "ptz stop" : "ptz presets", usage, err,
                         cap);
    }
    snprintf(err, cap, "ptz: unknown action '%.40s' (move, stop, preset, presets)", op);
    return false;
}

static bool parse_seek(const char *w, ctl_cmd_t *cmd, char *err, size_t cap)
{
    if (strcmp(w, "mark") == 0) {
        cmd->seek_kind = CTL_SEEK_MARK;
        return true;
    }
    char *end;
    errno = 0;
    double v = strtod(w, &end);
    size_t len = strlen(w);
    bool pct = len > 1 && w[len - 1] == '%';
    if (errno != 0 || end == w || !isfinite(v) || (pct ? end != w + len - 1 : *end != '\0') ||
        fabs(v) > 86400.0 * 7 || (pct && (v < 0 || v > 100)) ||
        (!pct && w[0] != '+' && w[0] != '-' && v < 0)) {
        snprintf(err, cap, "review seek: '%.40s' is not +SECONDS, -SECONDS, SECONDS, PERCENT%% "
                           "(0..100) or mark", w);
        return false;
    }
    cmd->seek_kind = pct ? CTL_SEEK_PERCENT : (w[0] == '+' || w[0] == '-') ? CTL_SEEK_REL
                                                                           : CTL_SEEK_ABS;
    cmd->seconds = v;
    return true;
}

static bool parse_review(int argc, const char *const *argv, ctl_cmd_t *cmd, char *err, size_t cap)
{
    static const char usage[] = "review list | play ID [CAMERA] | pause | resume | seek "
                                "+S|-S|S|P%|mark | step [back] | camera CAMERA | status | close";
    if (!want_args(argc, 1, 3, "review", usage, err, cap))
        return false;
    const char *op = argv[1];
    static const struct {
        const char *name;
        ctl_review_op_t op;
        int min, max;
    } ops[] = {
        {"list", CTL_REVIEW_LIST, 0, 0},     {"play", CTL_REVIEW_PLAY, 1, 2},
        {"pause", CTL_REVIEW_PAUSE, 0, 0},   {"resume", CTL_REVIEW_RESUME, 0, 0},
        {"seek", CTL_REVIEW_SEEK, 1, 1},     {"step", CTL_REVIEW_STEP, 0, 1},
        {"camera", CTL_REVIEW_CAMERA, 1, 1}, {"status", CTL_REVIEW_STATUS, 0, 0},
        {"close", CTL_REVIEW_CLOSE, 0, 0},
    };
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
        if (strcmp(op, ops[i].name) != 0)
            continue;
        char what[32];
        snprintf(what, sizeof what, "review %s", op);
        cmd->review_op = ops[i].op;
        if (!want_args(argc - 1, ops[i].min, ops[i].max, what, usage, err, cap))
            return false;
        switch (ops[i].op) {
        case CTL_REVIEW_PLAY: {
            char *end;
            errno = 0;
            long long id = strtoll(argv[2], &end, 10);
            if (errno != 0 || end == argv[2] || *end != '\0' || id < 1) {
                snprintf(err, cap, "review play: '%.40s' is not an incident number (1, 2, ...)",
                         argv[2]);
                return false;
            }
            cmd->review_id = id;
            return argc < 4 || camera_arg(argv[3], what, cmd->target, err, cap);
        }
        case CTL_REVIEW_SEEK: return parse_seek(argv[2], cmd, err, cap);
        case CTL_REVIEW_STEP:
            cmd->step = 1;
            if (argc == 3 && strcmp(argv[2], "back") != 0) {
                snprintf(err, cap, "review step: '%.40s' is not 'back'", argv[2]);
                return false;
            }
            cmd->step = argc == 3 ? -1 : 1;
            return true;
        case CTL_REVIEW_CAMERA: return camera_arg(argv[2], what, cmd->target, err, cap);
        default: return true;
        }
    }
    snprintf(err, cap, "review: unknown action '%.40s' (%s)", op, usage + 7);
    return false;
}

static bool join_words(int argc, const char *const *argv, int from, char *out, size_t cap,
                       char *err, size_t err_cap, const char *verb)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = from; i < argc; i++) {
        size_t len = strlen(argv[i]);
        if (n + len + 2 > cap) {
            snprintf(err, err_cap, "%s: text longer than %zu bytes", verb, cap - 1);
            return false;
        }
        if (n > 0)
            out[n++] = ' ';
        memcpy(out + n, argv[i], len + 1);
        n += len;
    }
    return true;
}

bool ctlcmd_parse(int argc, const char *const *argv, ctl_cmd_t *cmd, char *err, size_t err_cap)
{
    memset(cmd, 0, sizeof *cmd);
    if (argc < 1 || argv == NULL || argv[0] == NULL || argv[0][0] == '\0') {
        snprintf(err, err_cap, "empty command (try: help)");
        return false;
    }
    const char *verb = argv[0];
    if (strcmp(verb, "status") == 0 || strcmp(verb, "reload") == 0 || strcmp(verb, "help") == 0) {
        cmd->verb = verb[0] == 's' ? CTL_STATUS : verb[0] == 'r' ? CTL_RELOAD : CTL_HELP;
        return want_args(argc, 0, 0, verb, verb, err, err_cap);
    }
    if (strcmp(verb, "page") == 0) {
        cmd->verb = CTL_PAGE;
        return parse_page(argc, argv, cmd, err, err_cap);
    }
    if (strcmp(verb, "focus") == 0) {
        cmd->verb = CTL_FOCUS;
        if (!want_args(argc, 1, 1, verb, "focus CAMERA | focus none", err, err_cap))
            return false;
        return camera_arg(argv[1], verb, cmd->target, err, err_cap);
    }
    if (strcmp(verb, "alarm") == 0) {
        cmd->verb = CTL_ALARM;
        if (!want_args(argc, 1, CTLCMD_MAX_PARTS, verb, "alarm CAMERA [REASON...]", err, err_cap))
            return false;
        return camera_arg(argv[1], verb, cmd->target, err, err_cap) &&
               join_words(argc, argv, 2, cmd->text, 160, err, err_cap, verb);
    }
    if (strcmp(verb, "ack") == 0) {
        cmd->verb = CTL_ACK;
        if (!want_args(argc, 1, 1, verb, "ack CAMERA|all", err, err_cap))
            return false;
        return camera_arg(argv[1], verb, cmd->target, err, err_cap);
    }
    if (strcmp(verb, "snapshot") == 0) {
        cmd->verb = CTL_SNAPSHOT;
        if (!want_args(argc, 1, 1, verb, "snapshot /ABSOLUTE/PATH.png", err, err_cap))
            return false;
        const char *path = argv[1];
        size_t len = strlen(path);
        if (path[0] != '/' || len < 5 || g_ascii_strcasecmp(path + len - 4, ".png") != 0 ||
            len >= sizeof cmd->text) {
            snprintf(err, err_cap, "snapshot: '%.60s' is not an absolute path ending in .png",
                     path);
            return false;
        }
        snprintf(cmd->text, sizeof cmd->text, "%s", path);
        return true;
    }
    if (strcmp(verb, "ptz") == 0) {
        cmd->verb = CTL_PTZ;
        return parse_ptz(argc, argv, cmd, err, err_cap);
    }
    if (strcmp(verb, "review") == 0) {
        cmd->verb = CTL_REVIEW;
        return parse_review(argc, argv, cmd, err, err_cap);
    }
    snprintf(err, err_cap,
             "unknown command '%.40s' (status, page, focus, alarm, ack, reload, snapshot, ptz, "
             "review, help)",
             verb);
    return false;
}

bool ctlcmd_parse_parts(int n, const uint8_t *const *parts, const size_t *lens, ctl_cmd_t *cmd,
                        char *err, size_t err_cap)
{
    if (n < 1 || n > CTLCMD_MAX_PARTS) {
        snprintf(err, err_cap, "a request has 1..%d parts (got %d)", CTLCMD_MAX_PARTS, n);
        return false;
    }
    char *buf[CTLCMD_MAX_PARTS] = {NULL};
    bool ok = true;
    for (int i = 0; i < n && ok; i++) {
        if (lens[i] > CTLCMD_MAX_PART) {
            snprintf(err, err_cap, "part %d is %zu bytes (at most %d)", i + 1, lens[i],
                     CTLCMD_MAX_PART);
            ok = false;
            break;
        }
        const char *end = NULL;
        if (!g_utf8_validate((const char *)parts[i], (gssize)lens[i], &end)) {
            snprintf(err, err_cap, "part %d is not UTF-8 text", i + 1);
            ok = false;
            break;
        }
        for (size_t k = 0; k < lens[i]; k++)
            if (parts[i][k] < 0x20 || parts[i][k] == 0x7f) {
                snprintf(err, err_cap, "part %d contains a control character", i + 1);
                ok = false;
                break;
            }
        if (ok)
            buf[i] = g_strndup((const char *)parts[i], lens[i]);
    }
    if (ok)
        ok = ctlcmd_parse(n, (const char *const *)buf, cmd, err, err_cap);
    for (int i = 0; i < n; i++)
        g_free(buf[i]);
    return ok;
}
