/* tilestate: a tile's state, text and colour from plain inputs (see tilestate.h). */
#include "tilestate.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

/* Every word the tiles show, per language, in one table. */
typedef enum {
    TXT_LIVE,
    TXT_STALE,
    TXT_CONNECTING,
    TXT_NO_SIGNAL,
    TXT_STALLED,
    TXT_FAILED,
    TXT_RECONNECT_ATTEMPT,
    TXT_LAST_FRAME_AGO,
    TXT_WORKER_SILENT,
    TXT_WORKER_RESTARTS,
    TXT_WAITING_WORKER,
    TXT_SECONDS,
    TXT_MINUTES,
    TXT_HOURS,
    TXT_COUNT_
} txt_t;

static const char *const txt_table[2][TXT_COUNT_] = {
    [TILESTATE_LANG_ID] =
        {
            [TXT_LIVE] = "LIVE",
            [TXT_STALE] = "TERTUNDA",
            [TXT_CONNECTING] = "MENGHUBUNGKAN",
            [TXT_NO_SIGNAL] = "TIDAK ADA SINYAL",
            [TXT_STALLED] = "TERHENTI",
            [TXT_FAILED] = "GAGAL",
            [TXT_RECONNECT_ATTEMPT] = "menyambung ulang, percobaan %u",
            [TXT_LAST_FRAME_AGO] = "gambar terakhir %s lalu",
            [TXT_WORKER_SILENT] = "worker tidak menjawab",
            [TXT_WORKER_RESTARTS] = "worker dimulai ulang (%u kali)",
            [TXT_WAITING_WORKER] = "menunggu worker",
            [TXT_SECONDS] = "dtk",
            [TXT_MINUTES] = "mnt",
            [TXT_HOURS] = "jam",
        },
    [TILESTATE_LANG_EN] =
        {
            [TXT_LIVE] = "LIVE",
            [TXT_STALE] = "DELAYED",
            [TXT_CONNECTING] = "CONNECTING",
            [TXT_NO_SIGNAL] = "NO SIGNAL",
            [TXT_STALLED] = "STALLED",
            [TXT_FAILED] = "FAILED",
            [TXT_RECONNECT_ATTEMPT] = "reconnecting, attempt %u",
            [TXT_LAST_FRAME_AGO] = "last frame %s ago",
            [TXT_WORKER_SILENT] = "worker not answering",
            [TXT_WORKER_RESTARTS] = "worker restarted (%u times)",
            [TXT_WAITING_WORKER] = "waiting for worker",
            [TXT_SECONDS] = "s",
            [TXT_MINUTES] = "min",
            [TXT_HOURS] = "h",
        },
};

static const char *txt(tilestate_lang_t lang, txt_t t)
{
    return txt_table[lang == TILESTATE_LANG_EN ? TILESTATE_LANG_EN : TILESTATE_LANG_ID][t];
}

tilestate_lang_t tilestate_lang_from_code(const char *code)
{
    return code != NULL && strcmp(code, "en") == 0 ? TILESTATE_LANG_EN : TILESTATE_LANG_ID;
}

/* "12 dtk", "4 mnt", "2 jam". */
static void format_age(tilestate_lang_t lang, uint64_t ms, char *buf, size_t cap)
{
    uint64_t s = ms / 1000;
    if (s < 120)
        snprintf(buf, cap, "%llu %s", (unsigned long long)s, txt(lang, TXT_SECONDS));
    else if (s < 7200)
        snprintf(buf, cap, "%llu %s", (unsigned long long)(s / 60), txt(lang, TXT_MINUTES));
    else
        snprintf(buf, cap, "%llu %s", (unsigned long long)(s / 3600), txt(lang, TXT_HOURS));
}

/* Fills headline/severity for a state; detail is set by the caller. */
static void set_look(tilestate_out_t *out, scene_severity_t sev, const char *headline,
                     const char *state_name)
{
    out->severity = sev;
    out->state_name = state_name;
    snprintf(out->headline, sizeof out->headline, "%s", headline);
}

/* The worker's own view, when its status is fresh. */
static void eval_status(const tilestate_in_t *in, tilestate_out_t *out)
{
    const wire_status_t *st = in->status;
    tilestate_lang_t lang = in->lang;
    switch (st->state) {
    case WIRE_STATE_CONNECTING:
        set_look(out, SCENE_SEVERITY_INFO, txt(lang, TXT_CONNECTING), "connecting");
        snprintf(out->detail, sizeof out->detail, "%s", st->last_error);
        break;
    case WIRE_STATE_RECONNECTING: {
        set_look(out, SCENE_SEVERITY_ERROR, txt(lang, TXT_NO_SIGNAL), "no-signal");
        char attempt[64];
        snprintf(attempt, sizeof attempt, txt(lang, TXT_RECONNECT_ATTEMPT), st->attempt);
        snprintf(out->detail, sizeof out->detail, "%s%s%s", attempt, st->last_error[0] ? ": " : "",
                 st->last_error);
        break;
    }
    case WIRE_STATE_STALLED:
        set_look(out, SCENE_SEVERITY_WARN, txt(lang, TXT_STALLED), "stalled");
        snprintf(out->detail, sizeof out->detail, "%s", st->last_error);
        break;
    case WIRE_STATE_FAILED:
        set_look(out, SCENE_SEVERITY_ERROR, txt(lang, TXT_FAILED), "failed");
        snprintf(out->detail, sizeof out->detail, "%s", st->last_error);
        break;
    case WIRE_STATE_LIVE:
    default:
        out->severity = SCENE_SEVERITY_OK;
        out->state_name = "live";
        break;
    }
}

/* No fresh status: the worker is starting, dead, or unreachable. */
static void eval_silent(const tilestate_in_t *in, tilestate_out_t *out)
{
    tilestate_lang_t lang = in->lang;
    bool starting = !in->has_status && in->since_start_ms < TILESTATE_STATUS_TIMEOUT_MS;
    if (starting) {
        set_look(out, SCENE_SEVERITY_INFO, txt(lang, TXT_CONNECTING), "connecting");
        snprintf(out->detail, sizeof out->detail, "%s", txt(lang, TXT_WAITING_WORKER));
        return;
    }
    bool why = in->supervised && in->worker_error != NULL && in->worker_error[0] != '\0';
    if (why && in->worker_refused) {
        /* Bad configuration: restarting will not fix it; say what to fix. */
        set_look(out, SCENE_SEVERITY_ERROR, txt(lang, TXT_FAILED), "failed");
        snprintf(out->detail, sizeof out->detail, "%s", in->worker_error);
        return;
    }
    set_look(out, SCENE_SEVERITY_ERROR, txt(lang, TXT_NO_SIGNAL), "no-signal");
    if (in->supervised && in->worker_restarts > 0) {
        char restarts[64];
        snprintf(restarts, sizeof restarts, txt(lang, TXT_WORKER_RESTARTS), in->worker_restarts);
        snprintf(out->detail, sizeof out->detail, "%s%s%s", restarts, why ? ": " : "",
                 why ? in->worker_error : "");
    } else
        snprintf(out->detail, sizeof out->detail, "%s", txt(lang, TXT_WORKER_SILENT));
}

/* A long detail is split at the space nearest its middle, so its two lines share the tile's
 * width instead of one line being cut off (the renderer draws up to two lines). */
static void balance_lines(char *s)
{
    size_t n = strlen(s);
    if (n <= TILESTATE_ONE_LINE_MAX || strchr(s, '\n') != NULL)
        return;
    size_t mid = n / 2, best = 0;
    for (size_t i = 1; i + 1 < n; i++)
        if (s[i] == ' ' &&
            (best == 0 || (i > mid ? i - mid : mid - i) < (best > mid ? best - mid : mid - best)))
            best = i;
    if (best != 0)
        s[best] = '\n';
}

void tilestate_eval(const tilestate_in_t *in, tilestate_out_t *out)
{
    assert(in != NULL && out != NULL);
    memset(out, 0, sizeof *out);
    bool status_fresh =
        in->has_status && in->status != NULL && in->status_age_ms <= TILESTATE_STATUS_TIMEOUT_MS;
    if (status_fresh)
        eval_status(in, out);
    else
        eval_silent(in, out);

    bool frame_fresh = in->has_frame && in->frame_age_ms <= TILESTATE_STALE_FRAME_MS;
    out->live = frame_fresh && status_fresh && in->status->state == WIRE_STATE_LIVE;
    out->dim = in->has_frame && !out->live;

    char age[32];
    format_age(in->lang, in->frame_age_ms, age, sizeof age);
    if (out->live && in->status->fps_milli < 500) {
        /* Just resumed (the worker's fps window is still empty): no "0 fps" on a live tile. */
        snprintf(out->badge, sizeof out->badge, "%s", txt(in->lang, TXT_LIVE));
    } else if (out->live) {
        snprintf(out->badge, sizeof out->badge, "%s %u fps", txt(in->lang, TXT_LIVE),
                 (in->status->fps_milli + 500) / 1000);
    } else if (in->has_frame) {
        snprintf(out->badge, sizeof out->badge, "%s", age);
    }
    /* Live worker but frames not reaching the wall (or no picture yet): say how old the last is. */
    if (status_fresh && in->status->state == WIRE_STATE_LIVE && !out->live) {
        set_look(out, SCENE_SEVERITY_WARN, txt(in->lang, TXT_STALE), "stale");
        if (in->has_frame)
            snprintf(out->detail, sizeof out->detail, txt(in->lang, TXT_LAST_FRAME_AGO), age);
    }
    balance_lines(out->detail);
}

void tilestate_clock_text(tilestate_lang_t lang, const struct tm *tm, char *buf, size_t cap)
{
    static const char *const days[2][7] = {
        {"Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"},
        {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"},
    };
    static const char *const months[2][12] = {
        {"Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des"},
        {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
    };
    int l = lang == TILESTATE_LANG_EN ? 1 : 0;
    int wd = tm->tm_wday >= 0 && tm->tm_wday < 7 ? tm->tm_wday : 0;
    int mo = tm->tm_mon >= 0 && tm->tm_mon < 12 ? tm->tm_mon : 0;
    snprintf(buf, cap, "%s%s %02d %s %04d  %02d:%02d:%02d", days[l][wd], l == 0 ? "," : "",
             tm->tm_mday, months[l][mo], tm->tm_year + 1900, tm->tm_hour, tm->tm_min, tm->tm_sec);
}
