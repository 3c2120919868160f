/* feed: the wall's subscription to one camera's worker: a ZeroMQ SUB socket, the frame to show,
 * the last status and info, and counters of what arrived and what was refused.
 *
 * Newest wins, with one exception for bursts: a frame that arrives while the frame to show has
 * not been drawn yet and arrived less than 50 ms ago waits behind it (one frame at most) and
 * becomes the frame to show when that one is marked drawn. So two pictures a camera delivers
 * together are both shown, one composition apart; a tile not being drawn, or a wall that falls
 * behind, still gets the newest frame. Nothing older than that waits anywhere.
 *
 * The frame is kept as the received zmq_msg_t itself (no copy): its planes are uploaded straight
 * into the tile's texture. Memory per feed is bounded: the socket's receive high-water mark is
 * small and at most two frames are held (the one to show and one waiting).
 *
 * Thread: a feed and its socket belong to the wall's main (render) thread. */
#ifndef PANTAU_FEED_H
#define PANTAU_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include "wire.h"

typedef struct feed feed_t;

typedef struct {
    uint64_t frames;        /* frames accepted */
    uint64_t frames_replaced; /* accepted but replaced by a newer one before being drawn */
    uint64_t status_msgs;
    uint64_t info_msgs;
    uint64_t malformed;     /* messages refused, all reasons */
    uint64_t by_reason[WIRE_ERR_COUNT_];
    uint64_t wrong_camera;  /* valid message for another camera id */
    uint64_t bad_parts;     /* wrong number of message parts */
} feed_counters_t;

typedef struct {
    wire_frame_t header;
    const uint8_t *payload; /* header.payload_len bytes, valid until the next feed_drain or
                               feed_mark_drawn */
    uint64_t recv_ns;       /* wall-clock arrival time */
    bool drawn;             /* feed_mark_drawn was called since it arrived */
} feed_frame_t;

/* Creates a SUB socket on zmq_ctx connected to endpoint (connect, not bind: the worker binds).
 * Returns NULL if the endpoint is invalid (reason in err). */
feed_t *feed_new(void *zmq_ctx, const char *camera_id, const char *endpoint, char *err,
                 size_t err_cap);

void feed_destroy(feed_t **feed);

/* Watching (the default): every message of the endpoint, frames included. Not watching: status
 * messages only; the worker sees that nobody wants frames and stops decoding (the newest frame
 * already received stays available). */
void feed_set_watching(feed_t *feed, bool watching);
bool feed_watching(const feed_t *feed);

/* The socket, for zmq_poll (ZMQ_POLLIN). */
void *feed_socket(feed_t *feed);

/* Reads every message waiting, without blocking; keeps only the newest frame and status.
 * Returns the number of messages read. */
int feed_drain(feed_t *feed, uint64_t now_ns);

/* Newest frame, or NULL if none has arrived yet. */
const feed_frame_t *feed_frame(const feed_t *feed);

/* The frame returned by feed_frame has been shown (call after presenting: it may be released).
 * A frame waiting behind it becomes the frame to show, not yet drawn. */
void feed_mark_drawn(feed_t *feed);

/* Last status and when it arrived, or NULL if none yet. */
const wire_status_t *feed_status(const feed_t *feed, uint64_t *recv_ns);

/* Last info message (decoder, jitter buffer, capture clock), or NULL if none yet (an older
 * worker sends none). */
const wire_info_t *feed_info(const feed_t *feed);

const feed_counters_t *feed_counters(const feed_t *feed);

const char *feed_endpoint(const feed_t *feed);

#endif
