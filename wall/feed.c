/* feed: SUB socket + the frame to show (and at most one waiting) + last status for one camera
 * (see feed.h).
 *
 * Messages (wire.h): FRAME = [header][payload], STATUS = [status]. Anything else, or any part
 * that fails validation, is dropped whole and counted by reason. */
#include "feed.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#define FEED_RCVHWM 4      /* messages queued per socket; the worker's SNDHWM bounds the rest */
#define FEED_MAX_PARTS 2
#define FEED_DRAIN_MAX 64  /* messages per drain call, so one flooding feed cannot starve others */
/* A frame may wait behind an undrawn one no older than this (see accept_frame). */
#define FEED_QUEUE_MAX_NS 50000000ull

struct feed {
    char *id;
    char *endpoint;
    void *sock;
    bool has_frame;
    zmq_msg_t frame_msg;   /* payload part of the frame to show */
    feed_frame_t frame;
    bool has_next;
    zmq_msg_t next_msg;    /* a newer frame waiting behind an undrawn, fresh one */
    feed_frame_t next;
    bool has_status;
    wire_status_t status;
    uint64_t status_ns;
    bool has_info;
    wire_info_t info;
    feed_counters_t counters;
    bool watching;
};

feed_t *feed_new(void *zmq_ctx, const char *camera_id, const char *endpoint, char *err,
                 size_t err_cap)
{
    feed_t *f = calloc(1, sizeof *f);
    if (f == NULL)
        goto fail;
    zmq_msg_init(&f->frame_msg); /* empty until the first frame; always valid to close or move */
    zmq_msg_init(&f->next_msg);
    f->id = strdup(camera_id);
    f->endpoint = strdup(endpoint);
    f->sock = zmq_socket(zmq_ctx, ZMQ_SUB);
    if (f->id == NULL || f->endpoint == NULL || f->sock == NULL)
        goto fail;
    int hwm = FEED_RCVHWM, linger = 0;
    zmq_setsockopt(f->sock, ZMQ_RCVHWM, &hwm, sizeof hwm);
    zmq_setsockopt(f->sock, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(f->sock, ZMQ_SUBSCRIBE, "", 0);
    f->watching = true;
    if (zmq_connect(f->sock, endpoint) != 0) {
        snprintf(err, err_cap, "cannot subscribe to %s: %s", endpoint, zmq_strerror(errno));
        goto fail_quiet;
    }
    return f;
fail:
    snprintf(err, err_cap, "out of memory or sockets creating feed for %s", camera_id);
fail_quiet:
    feed_destroy(&f);
    return NULL;
}

void feed_destroy(feed_t **feed)
{
    if (feed == NULL || *feed == NULL)
        return;
    feed_t *f = *feed;
    zmq_msg_close(&f->frame_msg);
    zmq_msg_close(&f->next_msg);
    if (f->sock != NULL)
        zmq_close(f->sock);
    free(f->id);
    free(f->endpoint);
    free(f);
    *feed = NULL;
}

void feed_set_watching(feed_t *f, bool watching)
{
    uint8_t status[WIRE_TOPIC_SIZE], info[WIRE_TOPIC_SIZE];
    if (f == NULL || f->watching == watching)
        return;
    wire_topic(WIRE_KIND_STATUS, status);
    wire_topic(WIRE_KIND_INFO, info);
    /* Subscribe to the new set before dropping the old one, so status never has a gap. */
    if (watching) {
        zmq_setsockopt(f->sock, ZMQ_SUBSCRIBE, "", 0);
        zmq_setsockopt(f->sock, ZMQ_UNSUBSCRIBE, status, sizeof status);
        zmq_setsockopt(f->sock, ZMQ_UNSUBSCRIBE, info, sizeof info);
    } else {
        zmq_setsockopt(f->sock, ZMQ_SUBSCRIBE, status, sizeof status);
        zmq_setsockopt(f->sock, ZMQ_SUBSCRIBE, info, sizeof info);
        zmq_setsockopt(f->sock, ZMQ_UNSUBSCRIBE, "", 0);
    }
    f->watching = watching;
}

bool feed_watching(const feed_t *f)
{
    return f != NULL && f->watching;
}

void *feed_socket(feed_t *feed)
{
    return feed->sock;
}

static void count_bad(feed_t *f, wire_error_t why)
{
    f->counters.malformed++;
    if ((unsigned)why < WIRE_ERR_COUNT_)
        f->counters.by_reason[why]++;
}

/* Receives the rest of a message we are discarding. */
static void skip_rest(void *sock)
{
    int more = 1;
    size_t len = sizeof more;
    while (zmq_getsockopt(sock, ZMQ_RCVMORE, &more, &len) == 0 && more) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, sock, ZMQ_DONTWAIT) < 0) {
            zmq_msg_close(&m);
            return;
        }
        zmq_msg_close(&m);
    }
}

static void accept_status(feed_t *f, const zmq_msg_t *msg, uint64_t now_ns)
{
    wire_status_t st;
    wire_error_t e = wire_status_decode(zmq_msg_data((zmq_msg_t *)msg), zmq_msg_size(msg), &st);
    if (e != WIRE_OK) {
        count_bad(f, e);
        return;
    }
    if (strcmp(st.camera_id, f->id) != 0) {
        f->counters.wrong_camera++;
        return;
    }
    f->status = st;
    f->has_status = true;
    f->status_ns = now_ns;
    f->counters.status_msgs++;
}

static void accept_info(feed_t *f, const zmq_msg_t *msg)
{
    wire_info_t info;
    wire_error_t e = wire_info_decode(zmq_msg_data((zmq_msg_t *)msg), zmq_msg_size(msg), &info);
    if (e != WIRE_OK) {
        count_bad(f, e);
        return;
    }
    if (strcmp(info.camera_id, f->id) != 0) {
        f->counters.wrong_camera++;
        return;
    }
    f->info = info;
    f->has_info = true;
    f->counters.info_msgs++;
}

/* head is the first part of a frame; receives the payload part and keeps it as newest. */
static void accept_frame(feed_t *f, zmq_msg_t *head, uint64_t now_ns)
{
    int more = 0;
    size_t len = sizeof more;
    zmq_getsockopt(f->sock, ZMQ_RCVMORE, &more, &len);
    if (!more) {
        f->counters.bad_parts++;
        return;
    }
    zmq_msg_t payload;
    zmq_msg_init(&payload);
    if (zmq_msg_recv(&payload, f->sock, ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&payload);
        f->counters.bad_parts++;
        return;
    }
    zmq_getsockopt(f->sock, ZMQ_RCVMORE, &more, &len);
    wire_frame_t hdr;
    wire_error_t e = wire_frame_decode(zmq_msg_data(head), zmq_msg_size(head),
                                       zmq_msg_size(&payload), &hdr);
    if (more) {
        f->counters.bad_parts++;
        skip_rest(f->sock);
        zmq_msg_close(&payload);
        return;
    }
    if (e != WIRE_OK || strcmp(hdr.camera_id, f->id) != 0) {
        if (e != WIRE_OK)
            count_bad(f, e);
        else
            f->counters.wrong_camera++;
        zmq_msg_close(&payload);
        return;
    }
    f->counters.frames++;
    /* Two pictures of a camera often arrive together (its jitter buffer releases packets in a
     * burst): the second waits behind the first, which is shown at the next composition, and
     * is shown at the one after, instead of replacing it. Only one waits, and only behind a
     * frame that arrived within FEED_QUEUE_MAX_NS: a tile that is not being drawn (off screen,
     * showing the main stream) or a wall that falls behind gets the newest frame, as before. */
    bool fresh = f->has_frame && !f->frame.drawn && now_ns >= f->frame.recv_ns &&
                 now_ns - f->frame.recv_ns <= FEED_QUEUE_MAX_NS;
    if (f->has_next)
        f->counters.frames_replaced++; /* a waiting frame is replaced in both cases */
    if (fresh) {
        zmq_msg_move(&f->next_msg, &payload); /* releases the older waiting frame */
        zmq_msg_close(&payload);
        f->has_next = true;
        f->next = (feed_frame_t){hdr, zmq_msg_data(&f->next_msg), now_ns, false};
        return;
    }
    if (f->has_frame && !f->frame.drawn)
        f->counters.frames_replaced++;
    zmq_msg_close(&f->next_msg);
    zmq_msg_init(&f->next_msg);
    f->has_next = false;
    zmq_msg_move(&f->frame_msg, &payload); /* releases the older frame */
    zmq_msg_close(&payload);
    f->has_frame = true;
    f->frame = (feed_frame_t){hdr, zmq_msg_data(&f->frame_msg), now_ns, false};
}

/* Reads one whole message; returns false when nothing is waiting. */
static bool read_one(feed_t *f, uint64_t now_ns)
{
    zmq_msg_t head;
    zmq_msg_init(&head);
    if (zmq_msg_recv(&head, f->sock, ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&head);
        return false;
    }
    wire_kind_t kind;
    wire_error_t e = wire_peek_kind(zmq_msg_data(&head), zmq_msg_size(&head), &kind);
    if (e != WIRE_OK) {
        count_bad(f, e);
        skip_rest(f->sock);
    } else if (kind == WIRE_KIND_STATUS || kind == WIRE_KIND_INFO) {
        int more = 0;
        size_t len = sizeof more;
        zmq_getsockopt(f->sock, ZMQ_RCVMORE, &more, &len);
        if (more) {
            f->counters.bad_parts++;
            skip_rest(f->sock);
        } else if (kind == WIRE_KIND_STATUS) {
            accept_status(f, &head, now_ns);
        } else {
            accept_info(f, &head);
        }
    } else {
        accept_frame(f, &head, now_ns);
    }
    zmq_msg_close(&head);
    return true;
}

int feed_drain(feed_t *feed, uint64_t now_ns)
{
    int n = 0;
    while (n < FEED_DRAIN_MAX && read_one(feed, now_ns))
        n++;
    return n;
}

const feed_frame_t *feed_frame(const feed_t *feed)
{
    return feed->has_frame ? &feed->frame : NULL;
}

void feed_mark_drawn(feed_t *feed)
{
    feed->frame.drawn = true;
    if (!feed->has_next)
        return;
    zmq_msg_move(&feed->frame_msg, &feed->next_msg); /* releases the frame just drawn */
    feed->frame = feed->next;
    feed->frame.payload = zmq_msg_data(&feed->frame_msg);
    feed->has_next = false;
}

const wire_status_t *feed_status(const feed_t *feed, uint64_t *recv_ns)
{
    if (!feed->has_status)
        return NULL;
    if (recv_ns != NULL)
        *recv_ns = feed->status_ns;
    return &feed->status;
}

const wire_info_t *feed_info(const feed_t *feed)
{
    return feed->has_info ? &feed->info : NULL;
}

const feed_counters_t *feed_counters(const feed_t *feed)
{
    return &feed->counters;
}

const char *feed_endpoint(const feed_t *feed)
{
    return feed->endpoint;
}
