/* health: the ingest worker's camera state machine. Pure: no GStreamer, no ZeroMQ, no clock of its
 * own; the caller feeds it events with a monotonic time in ms and executes the action each event
 * returns (start a pipeline, or tear the running one down).
 *
 *   start ──> CONNECTING ──first frame──> LIVE ──no frame for stall_ms──> STALLED ─┐
 *                 │                        │                                       │
 *                 └── fault / no frame ────┴── fault (error, EOS) ─────────────────┤
 *                     within connect_ms                                            v
 *                                               RECONNECTING (or FAILED) <── wait backoff, restart
 *
 * Phases: RUNNING (a pipeline exists) and WAITING (torn down, retry_at pending). Every fault while
 * RUNNING returns HEALTH_DO_STOP and schedules a retry after backoff_next(); faults while WAITING
 * are ignored (one failure often produces several errors). health_tick returns HEALTH_DO_START once
 * the delay is over. The backoff is reset after the stream has been live for stable_ms, so a camera
 * that fails right after each reconnect keeps backing off.
 *
 * State meanings (what the wall shows):
 *   CONNECTING    first connection since the worker started, no frame yet
 *   LIVE          frames flowing (at least one within stall_ms)
 *   STALLED       frames stopped for stall_ms; set at detection and kept while the retries wait
 *                 and run, until frames flow again (the server is up but silent)
 *   RECONNECTING  after a transient fault (refused, timeout, EOS, decode error): waiting or
 *                 retrying
 *   FAILED        after a configuration fault (401, 404, unsupported codec): still retried with
 *                 the same backoff, but a technician has to fix something
 *
 * One health_t per camera, owned by the worker's main-loop thread. */
#ifndef PANTAU_HEALTH_H
#define PANTAU_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backoff.h"
#include "wire.h"

#define HEALTH_DEFAULT_STALL_MS 3000
#define HEALTH_DEFAULT_CONNECT_TIMEOUT_MS 10000
#define HEALTH_DEFAULT_STABLE_MS 5000
#define HEALTH_WINDOW_MS 1000 /* fps and kbps are measured over the last second */
#define HEALTH_BUCKET_MS 100  /* ... in buckets of this size */

/* Why the camera is not delivering; the caller maps library errors onto these. */
typedef enum {
    HEALTH_CAUSE_OTHER = 0,    /* anything else: detail carries the library's words */
    HEALTH_CAUSE_REFUSED,      /* TCP connection refused or host unreachable */
    HEALTH_CAUSE_TIMEOUT,      /* the server did not answer in time (RTSP or UDP) */
    HEALTH_CAUSE_NOT_FOUND,    /* RTSP 404: wrong path */
    HEALTH_CAUSE_UNAUTHORIZED, /* RTSP 401: wrong or missing credentials */
    HEALTH_CAUSE_UNSUPPORTED,  /* no H.264/H.265 video stream in the session */
    HEALTH_CAUSE_TRANSPORT,    /* the server offers no stream over the chosen transport (TCP/UDP) */
    HEALTH_CAUSE_DECODE,       /* stream data the depayloader/parser/decoder refused */
    HEALTH_CAUSE_EOS,          /* the camera ended the stream */
    HEALTH_CAUSE_NO_VIDEO,     /* set by health: connected, but no first frame within connect_ms */
    HEALTH_CAUSE_STALL,        /* set by health: frames stopped for stall_ms */
    HEALTH_CAUSE_SETUP,        /* a setting a technician must fix (ONVIF: wrong password, no usable
                                  profile); detail is the whole text. State FAILED */
    HEALTH_CAUSE_COUNT_
} health_cause_t;

typedef enum {
    HEALTH_DO_NOTHING = 0,
    HEALTH_DO_START, /* build and start a pipeline now */
    HEALTH_DO_STOP,  /* tear the running pipeline down now (the retry is scheduled) */
} health_action_t;

typedef struct {
    const char *camera_id;       /* copied; 1..WIRE_ID_MAX characters */
    const char *server;          /* "host:port" for error texts (copied), NULL for a test source */
    bool has_credentials;        /* for the 401 hint */
    uint32_t stall_ms;           /* LIVE with no frame this long -> STALLED; >= 1 */
    uint32_t connect_timeout_ms; /* started, no first frame this long -> fault; >= 1 */
    uint32_t stable_ms;          /* live this long -> backoff reset */
    backoff_t backoff;           /* initial/cap/factor/jitter (attempt is ignored) */
    uint64_t seed;               /* jitter random generator seed (any value) */
} health_config_t;

typedef struct health health_t;

/* Fills *cfg with the defaults above (camera_id and server NULL, backoff_init, seed 1). */
void health_config_init(health_config_t *cfg);

/* Returns NULL on invalid config (missing or bad camera id, zero timeouts) or out of memory. */
health_t *health_new(const health_config_t *cfg);

/* Idempotent; NULLs *h. */
void health_destroy(health_t **h);

/* The worker starts: state CONNECTING, returns HEALTH_DO_START. Only the first call acts. */
health_action_t health_start(health_t *h, uint64_t now_ms);

/* A decoded frame was delivered. Moves to LIVE; DO_NOTHING always (ignored while WAITING). */
health_action_t health_frame(health_t *h, uint64_t now_ms);

/* n compressed bytes were received (for kbps). */
void health_bytes(health_t *h, uint64_t now_ms, uint64_t n);

/* Nobody watches (idle = true) or somebody does again: while idle the worker does not decode, so
 * compressed bytes arriving (health_bytes) stand in for frames in the stall watchdog (a test
 * source, without a server, is never stalled while idle); leaving idle restarts the stall clock so
 * the decoder has stall_ms to deliver its first frame after the next keyframe. */
void health_set_idle(health_t *h, uint64_t now_ms, bool idle);

/* A fault: sets last_error from cause and detail (already free of secrets; may be NULL), moves to
 * STALLED/RECONNECTING/FAILED and returns HEALTH_DO_STOP while RUNNING; DO_NOTHING while
 * WAITING. */
health_action_t health_fault(health_t *h, uint64_t now_ms, health_cause_t cause,
                             const char *detail);

/* The end of the stream (EOS): a transient fault. */
health_action_t health_eos(health_t *h, uint64_t now_ms);

/* Periodic check (every HEALTH_BUCKET_MS or so): stall watchdog and connect timeout while RUNNING
 * (-> DO_STOP), end of the backoff delay while WAITING (-> DO_START). */
health_action_t health_tick(health_t *h, uint64_t now_ms);

/* Replaces the "host:port" named in fault texts (an ONVIF camera: the device while it is asked
 * for its stream, then the RTSP server it named). NULL or "" = "the camera". */
void health_set_server(health_t *h, const char *server);

/* Current state. */
wire_state_t health_state(const health_t *h);

/* True while a pipeline should exist (between DO_START and DO_STOP). */
bool health_running(const health_t *h);

/* While WAITING: when the next attempt starts (ms, the caller's clock); 0 otherwise. */
uint64_t health_retry_at(const health_t *h);

/* Faults recorded since the start (each one that stopped a running pipeline). */
uint32_t health_fault_count(const health_t *h);

/* Fills the health part of a status message: state, camera_id, fps_milli, kbps, reconnects (retries
 * started since the worker began), attempt (current backoff attempt, 0 while LIVE) and last_error
 * (the most recent fault, kept after recovery). Leaves time_ns and src_width/height alone. */
void health_fill_status(const health_t *h, uint64_t now_ms, wire_status_t *out);

/* Writes the technician-facing text for a fault into out (cap bytes, always terminated): e.g.
 * "connection refused by 10.1.2.3:554", "401 Unauthorized: check the credentials for camera X".
 * server and detail may be NULL; ms is the stall time (STALL) or connect timeout (NO_VIDEO).
 * Returns out. */
char *health_describe(health_cause_t cause, const char *camera_id, const char *server,
                      bool has_credentials, uint32_t ms, const char *detail, char *out, size_t cap);

/* True for causes a retry cannot fix by itself (401, 404, unsupported stream, SETUP): FAILED. */
bool health_cause_is_config(health_cause_t cause);

#endif
