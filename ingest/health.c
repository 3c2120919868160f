/* health: the ingest worker's camera state machine, counters and fault texts (see health.h).
 * Pure: plain data in, decisions out. Owned by one thread.
 *
 * The worker's pipeline (full form in pipeline.c):
 *   gst-launch-1.0 rtspsrc location=URI ! rtph264depay ! h264parse ! avdec_h264 ! videoconvert \
 *     ! videoscale ! video/x-raw,format=I420,width=W,height=H ! appsink max-buffers=1 drop=true */
#include "health.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEALTH_BUCKETS (HEALTH_WINDOW_MS / HEALTH_BUCKET_MS + 1) /* the window + the current one   \
                                                                  */
#define HEALTH_SERVER_MAX 128

typedef enum { PHASE_IDLE = 0, PHASE_RUNNING, PHASE_WAITING } health_phase_t;

typedef struct {
    uint64_t slot; /* now_ms / HEALTH_BUCKET_MS this bucket counts for */
    uint32_t frames;
    uint64_t bytes;
} health_bucket_t;

struct health {
    health_config_t cfg; /* camera_id and server point into the arrays below */
    char camera_id[WIRE_ID_MAX + 1];
    char server[HEALTH_SERVER_MAX];

    health_phase_t phase;
    wire_state_t state;
    health_cause_t last_cause;
    backoff_t backoff;
    uint64_t rng;        /* xorshift64 state for the backoff jitter */
    uint64_t started_ms; /* when the running pipeline was started */
    uint64_t last_frame_ms;
    uint64_t live_since_ms;
    bool got_frame; /* a frame arrived since the running pipeline started */
    bool idle;      /* nobody watches: not decoding (health_set_idle) */
    uint64_t retry_at_ms;
    uint32_t reconnects;
    uint32_t faults;
    char last_error[WIRE_MAX_ERROR + 1];

    health_bucket_t buckets[HEALTH_BUCKETS];
};

/* ---- configuration --------------------------------------------------------------------------- */

void health_config_init(health_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->stall_ms = HEALTH_DEFAULT_STALL_MS;
    cfg->connect_timeout_ms = HEALTH_DEFAULT_CONNECT_TIMEOUT_MS;
    cfg->stable_ms = HEALTH_DEFAULT_STABLE_MS;
    backoff_init(&cfg->backoff);
    cfg->seed = 1;
}

static bool health_id_valid(const char *id)
{
    if (id == NULL)
        return false;
    size_t n = strlen(id);
    if (n < 1 || n > WIRE_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (id[i] <= ' ' || id[i] > '~')
            return false;
    return true;
}

health_t *health_new(const health_config_t *cfg)
{
    if (cfg == NULL || !health_id_valid(cfg->camera_id) || cfg->stall_ms == 0 ||
        cfg->connect_timeout_ms == 0)
        return NULL;
    health_t *h = calloc(1, sizeof *h);
    if (h == NULL)
        return NULL;
    h->cfg = *cfg;
    snprintf(h->camera_id, sizeof h->camera_id, "%s", cfg->camera_id);
    h->cfg.camera_id = h->camera_id;
    if (cfg->server != NULL) {
        snprintf(h->server, sizeof h->server, "%s", cfg->server);
        h->cfg.server = h->server;
    }
    h->backoff = cfg->backoff;
    h->backoff.attempt = 0;
    h->rng = cfg->seed != 0 ? cfg->seed : 0x9E3779B97F4A7C15ull; /* xorshift must not start at 0 */
    h->state = WIRE_STATE_CONNECTING;
    return h;
}

void health_destroy(health_t **h)
{
    if (h == NULL || *h == NULL)
        return;
    free(*h);
    *h = NULL;
}

/* ---- counters -------------------------------------------------------------------------------- */

static health_bucket_t *health_bucket(health_t *h, uint64_t now_ms)
{
    uint64_t slot = now_ms / HEALTH_BUCKET_MS;
    health_bucket_t *b = &h->buckets[slot % HEALTH_BUCKETS];
    if (b->slot != slot)
        *b = (health_bucket_t){.slot = slot};
    return b;
}

/* Sums the complete buckets of the last window (the current, partial bucket excluded). */
static void health_window(const health_t *h, uint64_t now_ms, uint64_t *frames, uint64_t *bytes)
{
    uint64_t cur = now_ms / HEALTH_BUCKET_MS;
    *frames = 0;
    *bytes = 0;
    for (int i = 0; i < HEALTH_BUCKETS; i++) {
        const health_bucket_t *b = &h->buckets[i];
        if (b->slot < cur && b->slot + (HEALTH_BUCKETS - 1) >= cur) {
            *frames += b->frames;
            *bytes += b->bytes;
        }
    }
}

void health_bytes(health_t *h, uint64_t now_ms, uint64_t n)
{
    if (h == NULL || n == 0)
        return;
    health_bucket(h, now_ms)->bytes += n;
    if (h->idle && h->phase == PHASE_RUNNING) {
        /* Not decoding: data arriving is the sign of life. */
        h->last_frame_ms = now_ms;
        h->got_frame = true;
        if (h->state != WIRE_STATE_LIVE) {
            h->state = WIRE_STATE_LIVE;
            h->live_since_ms = now_ms;
        }
    }
}

void health_set_idle(health_t *h, uint64_t now_ms, bool idle)
{
    if (h == NULL || h->idle == idle)
        return;
    h->idle = idle;
    if (!idle)
        h->last_frame_ms = now_ms;
}

/* ---- texts ----------------------------------------------------------------------------------- */

bool health_cause_is_config(health_cause_t cause)
{
    return cause == HEALTH_CAUSE_NOT_FOUND || cause == HEALTH_CAUSE_UNAUTHORIZED ||
           cause == HEALTH_CAUSE_UNSUPPORTED || cause == HEALTH_CAUSE_TRANSPORT ||
           cause == HEALTH_CAUSE_SETUP;
}

void health_set_server(health_t *h, const char *server)
{
    if (h == NULL)
        return;
    snprintf(h->server, sizeof h->server, "%s", server != NULL ? server : "");
    h->cfg.server = h->server[0] != '\0' ? h->server : NULL;
}

char *health_describe(health_cause_t cause, const char *camera_id, const char *server,
                      bool has_credentials, uint32_t ms, const char *detail, char *out, size_t cap)
{
    const char *srv = server != NULL && server[0] != '\0' ? server : "the camera";
    const char *id = camera_id != NULL ? camera_id : "?";
    const char *det = detail != NULL && detail[0] != '\0' ? detail : NULL;
    if (out == NULL || cap == 0)
        return out;
    switch (cause) {
    case HEALTH_CAUSE_REFUSED:
        snprintf(out, cap,
                 "connection refused by %s: camera off, or wrong address or port?",
                 srv);
        break;
    case HEALTH_CAUSE_TIMEOUT:
        snprintf(out, cap, "no answer from %s (timeout)%s%s", srv, det ? ": " : "", det ? det : "");
        break;
    case HEALTH_CAUSE_NOT_FOUND:
        snprintf(out, cap, "stream not found (404) on %s: check the path in the camera URI", srv);
        break;
    case HEALTH_CAUSE_UNAUTHORIZED:
        snprintf(out, cap, "401 Unauthorized: check the credentials for camera %s%s", id,
                 has_credentials ? "" : " (none given: add them to the credentials file)");
        break;
    case HEALTH_CAUSE_UNSUPPORTED:
        snprintf(out, cap, "no H.264/H.265 video stream from %s%s%s", srv, det ? ": " : "",
                 det ? det : "");
        break;
    case HEALTH_CAUSE_TRANSPORT:
        snprintf(out, cap,
                 "%s: no stream over this RTSP transport; try transport=udp (or tcp)",
                 srv);
        break;
    case HEALTH_CAUSE_DECODE:
        snprintf(out, cap, "bad video data from %s%s%s", srv, det ? ": " : "", det ? det : "");
        break;
    case HEALTH_CAUSE_EOS:
        snprintf(out, cap, "%s ended the stream (EOS)", srv);
        break;
    case HEALTH_CAUSE_NO_VIDEO:
        snprintf(out, cap, "no video from %s within %.1f s of connecting", srv, ms / 1000.0);
        break;
    case HEALTH_CAUSE_STALL:
        snprintf(out, cap, "no frames for %.1f s (stalled)", ms / 1000.0);
        break;
    default:
        snprintf(out, cap, "%s", det ? det : "unknown error");
        break;
    }
    return out;
}

/* ---- state machine --------------------------------------------------------------------------- */

/* Uniform in [0, 1) from xorshift64: deterministic for a given seed. */
static double health_rand01(health_t *h)
{
    h->rng ^= h->rng << 13;
    h->rng ^= h->rng >> 7;
    h->rng ^= h->rng << 17;
    return (double)(h->rng >> 11) / (double)(1ull << 53);
}

health_action_t health_start(health_t *h, uint64_t now_ms)
{
    if (h == NULL || h->phase != PHASE_IDLE)
        return HEALTH_DO_NOTHING;
    h->phase = PHASE_RUNNING;
    h->state = WIRE_STATE_CONNECTING;
    h->started_ms = now_ms;
    h->got_frame = false;
    return HEALTH_DO_START;
}

health_action_t health_frame(health_t *h, uint64_t now_ms)
{
    if (h == NULL || h->phase != PHASE_RUNNING)
        return HEALTH_DO_NOTHING;
    health_bucket(h, now_ms)->frames++;
    h->last_frame_ms = now_ms;
    h->got_frame = true;
    if (h->state != WIRE_STATE_LIVE) {
        h->state = WIRE_STATE_LIVE;
        h->live_since_ms = now_ms;
    }
    return HEALTH_DO_NOTHING;
}

health_action_t health_fault(health_t *h, uint64_t now_ms, health_cause_t cause, const char *detail)
{
    if (h == NULL || h->phase != PHASE_RUNNING)
        return HEALTH_DO_NOTHING;
    if ((unsigned)cause >= HEALTH_CAUSE_COUNT_)
        cause = HEALTH_CAUSE_OTHER;
    uint32_t ms = cause == HEALTH_CAUSE_NO_VIDEO ? h->cfg.connect_timeout_ms : h->cfg.stall_ms;
    health_describe(cause, h->cfg.camera_id, h->cfg.server, h->cfg.has_credentials, ms, detail,
                    h->last_error, sizeof h->last_error);
    h->last_cause = cause;
    h->faults++;
    h->phase = PHASE_WAITING;
    h->retry_at_ms = now_ms + backoff_next(&h->backoff, health_rand01(h));
    if (cause == HEALTH_CAUSE_STALL)
        h->state = WIRE_STATE_STALLED;
    else if (health_cause_is_config(cause))
        h->state = WIRE_STATE_FAILED;
    else
        h->state = WIRE_STATE_RECONNECTING;
    return HEALTH_DO_STOP;
}

health_action_t health_eos(health_t *h, uint64_t now_ms)
{
    return health_fault(h, now_ms, HEALTH_CAUSE_EOS, NULL);
}

static health_action_t health_tick_running(health_t *h, uint64_t now_ms)
{
    if (h->idle && h->cfg.server == NULL) /* a paused test source */
        return HEALTH_DO_NOTHING;
    if (h->got_frame) {
        if (now_ms - h->last_frame_ms >= h->cfg.stall_ms)
            return health_fault(h, now_ms, HEALTH_CAUSE_STALL, NULL);
        if (h->backoff.attempt > 0 && now_ms - h->live_since_ms >= h->cfg.stable_ms)
            backoff_reset(&h->backoff);
        return HEALTH_DO_NOTHING;
    }
    if (now_ms - h->started_ms >= h->cfg.connect_timeout_ms)
        return health_fault(h, now_ms, HEALTH_CAUSE_NO_VIDEO, NULL);
    return HEALTH_DO_NOTHING;
}

health_action_t health_tick(health_t *h, uint64_t now_ms)
{
    if (h == NULL)
        return HEALTH_DO_NOTHING;
    if (h->phase == PHASE_RUNNING)
        return health_tick_running(h, now_ms);
    if (h->phase != PHASE_WAITING || now_ms < h->retry_at_ms)
        return HEALTH_DO_NOTHING;
    h->phase = PHASE_RUNNING;
    h->started_ms = now_ms;
    h->got_frame = false;
    h->reconnects++;
    /* A retry keeps saying why it is retrying: a stalled camera stays STALLED (the operator must
     * not see it flip to NO SIGNAL while the server is up but silent) and a configuration fault
     * stays FAILED, until frames flow again. */
    if (h->last_cause == HEALTH_CAUSE_STALL)
        h->state = WIRE_STATE_STALLED;
    else if (health_cause_is_config(h->last_cause))
        h->state = WIRE_STATE_FAILED;
    else
        h->state = WIRE_STATE_RECONNECTING;
    return HEALTH_DO_START;
}

/* ---- queries --------------------------------------------------------------------------------- */

wire_state_t health_state(const health_t *h)
{
    return h != NULL ? h->state : WIRE_STATE_FAILED;
}

bool health_running(const health_t *h)
{
    return h != NULL && h->phase == PHASE_RUNNING;
}

uint64_t health_retry_at(const health_t *h)
{
    return h != NULL && h->phase == PHASE_WAITING ? h->retry_at_ms : 0;
}

uint32_t health_fault_count(const health_t *h)
{
    return h != NULL ? h->faults : 0;
}

void health_fill_status(const health_t *h, uint64_t now_ms, wire_status_t *out)
{
    if (h == NULL || out == NULL)
        return;
    uint64_t frames, bytes;
    health_window(h, now_ms, &frames, &bytes);
    out->state = h->state;
    snprintf(out->camera_id, sizeof out->camera_id, "%s", h->camera_id);
    out->fps_milli = (uint32_t)(frames * 1000u * 1000u / HEALTH_WINDOW_MS);
    out->kbps = (uint32_t)(bytes * 8u / HEALTH_WINDOW_MS); /* bits per ms = kbit/s */
    out->reconnects = h->reconnects;
    out->attempt = h->state == WIRE_STATE_LIVE ? 0 : h->backoff.attempt;
    snprintf(out->last_error, sizeof out->last_error, "%s", h->last_error);
}
