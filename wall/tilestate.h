/* tilestate: what a camera tile tells the operator, decided from what the wall knows about the
 * camera (the worker's last status, the age of the newest frame, the supervisor's view of the
 * worker). Pure: no clock, no I/O; the caller passes ages. Labels in Bahasa Indonesia (default)
 * or English.
 *
 *   worker says        newest frame      tile shows
 *   live               <= 2 s old        picture, badge "LIVE 25 fps"
 *   live / any         >  2 s old        dimmed last frame, "TERTUNDA" + its age
 *   connecting         -                 "MENGHUBUNGKAN"
 *   reconnecting       any               "TIDAK ADA SINYAL", attempt count and the last error
 *   stalled            any               dimmed last frame, "TERHENTI" + the last error
 *   failed             any               "GAGAL" + the last error
 *   (no status > 3 s)  any               "TIDAK ADA SINYAL", "worker not answering"
 */
#ifndef PANTAU_TILESTATE_H
#define PANTAU_TILESTATE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "scene.h"
#include "wire.h"

#define TILESTATE_STALE_FRAME_MS 2000   /* a frame older than this is dimmed and its age shown */
#define TILESTATE_STATUS_TIMEOUT_MS 3500 /* workers send status every second */
#define TILESTATE_TEXT_MAX 160
#define TILESTATE_ONE_LINE_MAX 44        /* longer details are split over two lines */

typedef enum { TILESTATE_LANG_ID = 0, TILESTATE_LANG_EN } tilestate_lang_t;

typedef struct {
    tilestate_lang_t lang;
    bool has_status;
    const wire_status_t *status; /* last status received (valid when has_status) */
    uint64_t status_age_ms;      /* since that status arrived */
    bool has_frame;
    uint64_t frame_age_ms;       /* since the newest frame arrived */
    uint64_t since_start_ms;     /* since the wall started watching this camera */
    bool supervised;             /* the wall runs this camera's worker */
    uint32_t worker_restarts;    /* times the wall restarted the worker after it died */
    bool worker_running;
    const char *worker_error;    /* the worker's last error line (stderr), NULL or "" if none */
    bool worker_refused;         /* its last run exited because its arguments/config were
                                  * refused: restarts will not help until someone fixes them */
} tilestate_in_t;

typedef struct {
    scene_severity_t severity;
    bool dim;
    bool live;                   /* the picture is current */
    const char *state_name;      /* stable English name for status files: live, stale, ... */
    char headline[TILESTATE_TEXT_MAX]; /* "" = none */
    char detail[WIRE_MAX_ERROR + 80];
    char badge[TILESTATE_TEXT_MAX];
} tilestate_out_t;

/* Decides the tile's look. Never fails; NULL in or out is a programmer error (assert). */
void tilestate_eval(const tilestate_in_t *in, tilestate_out_t *out);

/* "Senin, 23 Nov 2026  16:41:07" (id) or "Mon 23 Nov 2026  16:41:07" (en) for a broken-down
 * local time, into buf (cap bytes). */
void tilestate_clock_text(tilestate_lang_t lang, const struct tm *tm, char *buf, size_t cap);

/* "id" / "en" → language; anything else → TILESTATE_LANG_ID. */
tilestate_lang_t tilestate_lang_from_code(const char *code);

#endif
