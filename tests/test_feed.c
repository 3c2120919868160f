/* test_feed: the wall's feed of one camera (wall/feed.h) on a real ZeroMQ PUB/SUB pair over
 * inproc://: newest frame wins, except that one frame arriving together with an undrawn one
 * waits behind it and is shown next; a third replaces the waiting one; a frame behind one that
 * has waited too long (a tile not being drawn) replaces both; malformed frames are counted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <zmq.h>

#include "feed.h"
#include "wire.h"

#define W 64
#define H 36
#define ENDPOINT "inproc://test-feed"

typedef struct {
    void *ctx, *pub;
    feed_t *feed;
    uint64_t now;
} fx_t;

static void send_frame(fx_t *x, const char *camera, uint64_t seq)
{
    wire_frame_t hdr;
    memset(&hdr, 0, sizeof hdr);
    snprintf(hdr.camera_id, sizeof hdr.camera_id, "%s", camera);
    hdr.format = WIRE_FORMAT_I420;
    hdr.seq = seq;
    hdr.capture_ns = 1;
    wire_frame_set_i420_layout(&hdr, W, H);
    uint8_t head[WIRE_FRAME_HEADER_SIZE], payload[W * H * 3 / 2];
    memset(payload, (int)(seq & 0xff), sizeof payload);
    assert_int_equal(wire_frame_encode(&hdr, head), WIRE_OK);
    assert_int_equal(zmq_send(x->pub, head, sizeof head, ZMQ_SNDMORE), (int)sizeof head);
    assert_int_equal(zmq_send(x->pub, payload, hdr.payload_len, 0), (int)hdr.payload_len);
}

/* Drains until n messages were read (inproc delivers at once; a few tries for safety). */
static void drain(fx_t *x, int n)
{
    int got = 0;
    for (int i = 0; i < 200 && got < n; i++) {
        got += feed_drain(x->feed, x->now);
        if (got < n) {
            struct timespec ts = {0, 1000000L};
            nanosleep(&ts, NULL);
        }
    }
    assert_int_equal(got, n);
}

static uint64_t shown_seq(const fx_t *x)
{
    const feed_frame_t *fr = feed_frame(x->feed);
    assert_non_null(fr);
    assert_int_equal(fr->payload[0], (uint8_t)(fr->header.seq & 0xff));
    return fr->header.seq;
}

static int setup(void **state)
{
    static fx_t x;
    memset(&x, 0, sizeof x);
    x.ctx = zmq_ctx_new();
    x.pub = zmq_socket(x.ctx, ZMQ_PUB);
    if (x.ctx == NULL || x.pub == NULL || zmq_bind(x.pub, ENDPOINT) != 0)
        return -1;
    char err[128];
    x.feed = feed_new(x.ctx, "cam1", ENDPOINT, err, sizeof err);
    if (x.feed == NULL)
        return -1;
    struct timespec ts = {0, 50000000L}; /* let the subscription reach the publisher */
    nanosleep(&ts, NULL);
    x.now = 1000000000000ull;
    *state = &x;
    return 0;
}

static int teardown(void **state)
{
    fx_t *x = *state;
    feed_destroy(&x->feed);
    zmq_close(x->pub);
    zmq_ctx_term(x->ctx);
    return 0;
}

static void test_burst_waits_then_newest_wins(void **state)
{
    fx_t *x = *state;
    /* Two frames together: the first is shown, the second waits, nothing is replaced. */
    send_frame(x, "cam1", 1);
    send_frame(x, "cam1", 2);
    drain(x, 2);
    assert_int_equal(shown_seq(x), 1);
    assert_int_equal(feed_counters(x->feed)->frames_replaced, 0);
    feed_mark_drawn(x->feed);
    assert_int_equal(shown_seq(x), 2);
    assert_false(feed_frame(x->feed)->drawn); /* the waiting frame is new to the tile */
    feed_mark_drawn(x->feed);
    assert_true(feed_frame(x->feed)->drawn);
    assert_int_equal(shown_seq(x), 2);

    /* Three together: the first shown, the third replaces the second in the wait. */
    x->now += 40000000ull;
    send_frame(x, "cam1", 3);
    send_frame(x, "cam1", 4);
    send_frame(x, "cam1", 5);
    drain(x, 3);
    assert_int_equal(shown_seq(x), 3);
    assert_int_equal(feed_counters(x->feed)->frames_replaced, 1);
    feed_mark_drawn(x->feed);
    assert_int_equal(shown_seq(x), 5);
    feed_mark_drawn(x->feed);

    /* A tile not being drawn: its undrawn frame grows old, the next one replaces it at once
     * (newest wins), and a waiting frame is dropped with it. */
    x->now += 40000000ull;
    send_frame(x, "cam1", 6);
    drain(x, 1);
    assert_int_equal(shown_seq(x), 6); /* 5 was drawn: plain replacement, not counted */
    assert_int_equal(feed_counters(x->feed)->frames_replaced, 1);
    send_frame(x, "cam1", 7); /* waits behind 6 (same instant) */
    drain(x, 1);
    x->now += 60000000ull; /* 6 has waited 60 ms undrawn */
    send_frame(x, "cam1", 8);
    drain(x, 1);
    assert_int_equal(shown_seq(x), 8);
    assert_int_equal(feed_counters(x->feed)->frames_replaced, 3); /* 6 and 7 */
    feed_mark_drawn(x->feed);
    assert_int_equal(shown_seq(x), 8);
    assert_int_equal(feed_counters(x->feed)->frames, 8);
}

static void test_bad_frames_counted(void **state)
{
    fx_t *x = *state;
    uint64_t frames = feed_counters(x->feed)->frames;
    send_frame(x, "cam2", 9); /* another camera's frame on this endpoint */
    uint8_t junk[7] = {1, 2, 3, 4, 5, 6, 7};
    assert_int_equal(zmq_send(x->pub, junk, sizeof junk, 0), (int)sizeof junk);
    drain(x, 2);
    assert_int_equal(feed_counters(x->feed)->frames, frames);
    assert_int_equal(feed_counters(x->feed)->wrong_camera, 1);
    assert_int_equal(feed_counters(x->feed)->malformed, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_burst_waits_then_newest_wins),
        cmocka_unit_test(test_bad_frames_counted),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
