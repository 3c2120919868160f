/* pipeline: builds, starts and tears down the GStreamer pipeline of one camera, and translates its
 * bus messages into health causes. The only ingest module that knows element names and
 * properties, so decoding and scaling can be tuned here alone.
 *
 * Threads: created, started, pulled from and destroyed on the worker's main-loop thread. The bus
 * watch runs on that thread's main context (GMainContext thread-default, else the global default).
 * Only callbacks.sample_ready runs on a GStreamer streaming thread; it must not block.
 * Ownership: the pipeline copies what it needs from its arguments. */
#ifndef PANTAU_INGEST_PIPELINE_H
#define PANTAU_INGEST_PIPELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gst/gst.h>

#include "config.h"
#include "decsel.h"
#include "health.h"
#include "recorder.h"

typedef struct pipeline pipeline_t;

typedef struct {
    /* Streaming thread: a new sample waits in the appsink. Must only signal, never block. */
    void (*sample_ready)(void *ud);
    /* Main thread (bus watch): the pipeline failed or ended (eos true, cause ignored). detail is
     * GStreamer's text, NOT redacted (it may contain the URI). The callee may destroy the pipeline
     * from inside this callback. */
    void (*fault)(void *ud, bool eos, health_cause_t cause, const char *detail);
    void *ud;
} pipeline_callbacks_t;

/* Creates the elements for cfg (test source or RTSP) and attaches the bus watch; does not start.
 * user/password may be NULL (no authentication). Returns NULL with a reason in err when an element
 * is missing or cannot be linked (a plugin not installed). */
pipeline_t *pipeline_new(const ingest_config_t *cfg, const char *user, const char *password,
                         const pipeline_callbacks_t *callbacks, char *err, size_t err_cap);

/* Records this pipeline's encoded stream with rec (borrowed; must outlive the pipeline): the
 * parser's output is tapped when the camera's stream is linked. Call before pipeline_start.
 * A test source has no encoded stream and is never recorded. */
void pipeline_set_recorder(pipeline_t *p, recorder_t *rec);

/* Sets the pipeline to PLAYING. Returns 0 (connection and errors follow asynchronously through the
 * fault callback), or -1 with *cause and detail (err) when it refuses to start at once. */
int pipeline_start(pipeline_t *p, health_cause_t *cause, char *err, size_t err_cap);

/* Stops (state NULL: rtspsrc sends TEARDOWN, bounded by its teardown/TCP timeouts), removes the bus
 * watch and frees. Idempotent; NULLs *p. Safe from inside the fault callback. */
void pipeline_destroy(pipeline_t **p);

/* The newest decoded sample waiting in the appsink, or NULL; never blocks. Caller unrefs. */
GstSample *pipeline_pull(pipeline_t *p);

/* Decoding on (someone watches) or off (paused: compressed data is still received, for the stall
 * watchdog and recording, but dropped before the decoder). Turning it on waits for the next
 * keyframe and asks the camera for one. Main thread; new pipelines start on. */
void pipeline_set_decoding(pipeline_t *p, bool on);

/* Compressed bytes received since the last call (RTP payload bytes at the source pad). */
uint64_t pipeline_take_bytes(pipeline_t *p);

/* Source picture size before scaling, 0×0 until the decoder has announced it. */
void pipeline_source_size(const pipeline_t *p, uint32_t *width, uint32_t *height);

/* The decoder chosen for the camera's stream (ingest/decsel.h): true once the choice was made
 * (out->factory "" and out->why set when no decoder could be chosen), false before (test sources
 * never choose one). Any thread. */
bool pipeline_decoder(pipeline_t *p, decsel_choice_t *out);

/* The pipeline's running time now (clock time - base time), to place a buffer's running-time PTS
 * on the wall clock; GST_CLOCK_TIME_NONE before the pipeline has a clock. */
uint64_t pipeline_running_time(pipeline_t *p);

/* True if pattern is a videotestsrc pattern nick (e.g. "ball", "smpte"). Call after gst_init. */
bool pipeline_pattern_valid(const char *pattern);

/* "host:port" of an rtsp:// URI (port 554 by default), without user info; "" when unparsable. */
void pipeline_uri_server(const char *uri, char *out, size_t cap);

/* True if the URI carries user info (user:password@). */
bool pipeline_uri_has_userinfo(const char *uri);

#endif
