/* publisher: the worker's ZeroMQ XPUB socket. Sends FRAME messages (128-byte header + I420 payload,
 * the payload zero-copy) and STATUS messages, both encoded with wire.h. Knows nothing of
 * GStreamer: the payload arrives as memory plus the function that releases it.
 *
 * Newest frame wins: SNDHWM is PUBLISHER_SNDHWM messages per subscriber, so a slow subscriber drops
 * old frames and memory stays bounded; LINGER 0, so shutdown never waits for a subscriber.
 *
 * Threads: the socket belongs to the thread that created the publisher (the worker's main loop);
 * call everything from there. Release functions of sent payloads run on ZeroMQ's I/O thread (or on
 * the caller's, when a frame is dropped at once). */
#ifndef PANTAU_INGEST_PUBLISHER_H
#define PANTAU_INGEST_PUBLISHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "wire.h"

#define PUBLISHER_SNDHWM 2
#define PUBLISHER_MAX_TOPICS 16

typedef struct publisher publisher_t;

/* Releases a payload once ZeroMQ no longer needs it (zmq_free_fn's signature). */
typedef void publisher_release_fn(void *data, void *hint);

/* Binds a PUB socket to endpoint (ipc:///path: missing parent folders are created with mode 0700;
 * tcp://host:port). Returns NULL with a reason in err (err_cap bytes) when it cannot bind. */
publisher_t *publisher_new(const char *endpoint, char *err, size_t err_cap);

/* Closes the socket (pending messages are dropped and their payloads released) and terminates the
 * ZeroMQ context. Idempotent; NULLs *pub. */
void publisher_destroy(publisher_t **pub);

/* Sends one frame: hdr is encoded (wire_frame_encode) and followed by the len bytes at data, sent
 * without copying. Ownership of data passes to the publisher in every case: release(data, hint)
 * is called exactly once, when ZeroMQ is done with it or at once on failure. Returns 0, or -1 when
 * the header is invalid or the send failed (a frame no subscriber wanted is not a failure). */
int publisher_send_frame(publisher_t *pub, const wire_frame_t *hdr, void *data, size_t len,
                         publisher_release_fn *release, void *hint);

/* Sends one status message (wire_status_encode). Returns 0, or -1 on an invalid status or a send
 * failure. */
int publisher_send_status(publisher_t *pub, const wire_status_t *status);

/* Sends an info message (wire.h), without blocking. Returns 0, or -1 (invalid info, or ZeroMQ
 * refused it; counted). */
int publisher_send_info(publisher_t *pub, const wire_info_t *info);

/* Subscriptions (XPUB): subscribers select frames and statuses by topic (wire_topic). Reads every
 * subscription message waiting, without blocking, and returns true when frames are wanted, i.e.
 * at least one subscriber's topic matches frames. *joined is set when a subscription arrived
 * (a new subscriber: send it the current status at once). */
bool publisher_take_subscriptions(publisher_t *pub, bool *joined);

/* True when some subscriber wants frames (as of the last publisher_take_subscriptions). */
bool publisher_frames_wanted(const publisher_t *pub);

/* File descriptor that becomes readable when subscription messages may be waiting (ZMQ_FD; edge
 * triggered: call publisher_take_subscriptions until it has read everything). -1 on error. */
int publisher_fd(const publisher_t *pub);

/* Frames and statuses that could not be sent since the start (invalid or failed). */
uint64_t publisher_failures(const publisher_t *pub);

#endif
