/* scaler: turns a decoded picture into the I420 frame the worker sends, with libswscale instead of
 * GStreamer's videoconvert ! videoscale (which cost as much as the decode at 720p: docs/performance.md).
 * The geometry comes from scaleplan (pure): passthrough of an I420 picture no larger than the
 * tile, else the fitted part of the picture scaled (SWS_FAST_BILINEAR, SWS_AREA below half size)
 * from the decoder's own format (I420, YV12, NV12, NV21, 4:2:2, 4:4:4, 10/12-bit, grey) straight
 * into a pooled, tile-sized I420 buffer, bars filled black (Y 16, U V 128).
 *
 * Threads: scaler_new/scaler_run/scaler_destroy on the worker's main thread. The buffers it
 * returns may be released on any thread (ZeroMQ's I/O thread): they go back to a GstBufferPool,
 * which is thread-safe, so no frame-sized allocation happens per frame in the steady state.
 * Ownership: the scaler owns its pool and swscale context; each returned buffer is the caller's
 * reference. */
#ifndef PANTAU_INGEST_SCALER_H
#define PANTAU_INGEST_SCALER_H

#include <stdint.h>

#include <gst/gst.h>

#include "grid.h"
#include "wire.h"

typedef struct scaler scaler_t;

/* Scaler for out_w x out_h tiles (even, 2..8192) with fit. NULL on bad sizes or no memory. */
scaler_t *scaler_new(int out_w, int out_h, grid_fit_t fit);

/* Idempotent; NULLs *s. Buffers still held elsewhere stay valid (the pool outlives them). */
void scaler_destroy(scaler_t **s);

/* The frame to send for sample: a new reference to the decoded buffer itself (passthrough) or to
 * a pooled buffer holding the scaled picture. Fills hdr's format, width, height, strides and
 * offsets (not payload_len, times, id or seq). Returns NULL when the sample has no buffer or
 * caps, its format is not one swscale is given here, or the conversion fails; *why then says
 * which (a static string, for a counted, debug-level log). */
GstBuffer *scaler_run(scaler_t *s, GstSample *sample, wire_frame_t *hdr, const char **why);

/* Frames converted / passed through / refused since creation (accounting, for tests and logs). */
typedef struct {
    uint64_t scaled, passed, refused;
} scaler_counters_t;
scaler_counters_t scaler_counters(const scaler_t *s);

/* The appsink caps string of formats scaler_run accepts (decoder output formats). */
const char *scaler_formats_caps(void);

#endif
