/* sample: turns a decoded GstSample into a wire frame header and a mapped payload that can be
 * handed to ZeroMQ without copying. The capture time is the camera's when it can be trusted:
 *
 *   - RTSP: the buffer's GstReferenceTimestampMeta "timestamp/x-ntp" (rtspsrc adds it with
 *     add-reference-timestamp-meta=true once the camera's RTCP sender reports map RTP time to NTP
 *     time), converted to Unix ns, if it lies within SAMPLE_CLOCK_TRUST_NS of our wall clock (a
 *     camera whose clock is wrong would otherwise give absurd latencies);
 *   - otherwise (test source, no sender report yet, untrusted camera clock): the wall-clock time
 *     at which the frame reached the appsink's consumer, so it includes decode and scaling time.
 *
 * Threads: sample_map on the worker's main thread; sample_release on whichever thread ZeroMQ
 * releases the payload (GstBuffer unmap and unref are thread-safe). */
#ifndef PANTAU_INGEST_SAMPLE_H
#define PANTAU_INGEST_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gst/gst.h>

#include "scaler.h"
#include "wire.h"

#define SAMPLE_CLOCK_TRUST_NS (10ull * 1000000000ull)
#define SAMPLE_NTP_UNIX_OFFSET_S 2208988800ull /* 1900-01-01 to 1970-01-01 */

typedef struct sample_map sample_map_t;

/* Turns sample into the frame to send with scaler (the decoded buffer itself, or a pooled,
 * scaled I420 copy: scaler.h), maps it for reading and fills hdr's format, size, planes,
 * payload_len, capture_ns and pts_ns (camera_id and seq are the caller's; the times come from
 * the decoded buffer). Holds its own reference on the frame; the caller still unrefs sample.
 * Returns NULL when the sample gives no usable frame, with a static reason in *why (may be NULL).
 * On success *data and *len describe the payload; release it with sample_release(data, map)
 * exactly once. */
sample_map_t *sample_map(GstSample *sample, scaler_t *scaler, wire_frame_t *hdr, void **data,
                         size_t *len, bool *camera_time, const char **why);

/* Unmaps and unrefs (publisher_release_fn's signature; data is ignored). */
void sample_release(void *data, void *map);

/* NTP ns (since 1900) to Unix ns; 0 for times before 1970. */
uint64_t sample_ntp_to_unix_ns(uint64_t ntp_ns);

#endif
