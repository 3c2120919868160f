/* sample: turns a decoded GstSample into a wire frame header and a mapped payload that can be
 * handed to ZeroMQ without copying, with the times the wall measures latency from:
 *
 *   capture_ns  RTSP with sender reports: the buffer's GstReferenceTimestampMeta "timestamp/x-ntp"
 *               (rtspsrc add-reference-timestamp-meta=true maps the RTP time through the camera's
 *               RTCP sender reports) converted to Unix ns: the camera's own clock (capture_clock =
 *               WIRE_CLOCK_CAMERA). Otherwise (test source, no sender report yet) the local
 *               receive time: the buffer's running-time PTS placed on the wall clock (for rtspsrc
 *               the jitter buffer's arrival time; for a live test source its capture time), or
 *               now when the PTS is unusable (WIRE_CLOCK_RECEIVE).
 *               A camera clock more than CAPCLOCK_AHEAD_NS ahead of the receive time or more
 *               than CAPCLOCK_BEHIND_NS behind it is not believed: receive time is used and the
 *               offset is reported (the wall shows it); a smaller skew passes through and the wall
 *               counts the impossible latencies it produces as clock skew (wall/latstat.h). The rule
 *               is ingest/capclock.h (pure, unit-tested).
 *   decoded_ns  the "timestamp/x-pantau-decoded" meta the pipeline stamps at the decoder's output
 *               (ingest/pipeline.c), or 0 when absent.
 *
 * Threads: sample_map on the worker's main thread; sample_release on whichever thread ZeroMQ
 * releases the payload (GstBuffer unmap and unref are thread-safe). */
#ifndef PANTAU_INGEST_SAMPLE_H
#define PANTAU_INGEST_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gst/gst.h>

#include "capclock.h"
#include "scaler.h"
#include "wire.h"

#define SAMPLE_DECODED_CAPS "timestamp/x-pantau-decoded"
#define SAMPLE_NTP_UNIX_OFFSET_S 2208988800ull /* 1900-01-01 to 1970-01-01 */

typedef struct sample_map sample_map_t;

/* Turns sample into the frame to send with scaler (the decoded buffer itself, or a pooled,
 * scaled I420 copy: scaler.h), maps it for reading and fills hdr's format, size, planes,
 * payload_len, capture_ns, capture_clock, decoded_ns and pts_ns (camera_id and seq are the
 * caller's; the times come from the decoded buffer). running_now is the pipeline's running time
 * now (pipeline_running_time), or GST_CLOCK_TIME_NONE. Holds its own reference on the frame; the
 * caller still unrefs sample. Returns NULL when the sample gives no usable frame, with a static
 * reason in *why (may be NULL). On success *data and *len describe the payload; release it with
 * sample_release(data, map) exactly once; *clock says where the capture time came from. */
sample_map_t *sample_map(GstSample *sample, scaler_t *scaler, uint64_t running_now,
                         wire_frame_t *hdr, void **data, size_t *len, capclock_t *clock,
                         const char **why);

/* Unmaps and unrefs (publisher_release_fn's signature; data is ignored). */
void sample_release(void *data, void *map);

/* NTP ns (since 1900) to Unix ns; 0 for times before 1970. */
uint64_t sample_ntp_to_unix_ns(uint64_t ntp_ns);

#endif
