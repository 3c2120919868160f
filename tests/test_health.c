/* test_health: the ingest worker's state machine (ingest/health.c), driven with a fake clock:
 * start, live, stall, faults and backoff, connect timeout, counters, fault texts, invalid
 * arguments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "health.h"

#define T_STALL_MS 3000
#define T_CONNECT_MS 10000
#define T_STABLE_MS 5000

/* A health object with jitter off, so backoff delays are exactly 500, 1000, 2000, ... 8000 ms. */
static health_t *make_health(const char *server, bool has_credentials)
{
    health_config_t cfg;
    health_config_init(&cfg);
    cfg.camera_id = "pelabuhan";
    cfg.server = server;
    cfg.has_credentials = has_credentials;
    cfg.stall_ms = T_STALL_MS;
    cfg.connect_timeout_ms = T_CONNECT_MS;
    cfg.stable_ms = T_STABLE_MS;
    cfg.backoff.jitter = 0;
    return health_new(&cfg);
}

/* Feeds frames every 40 ms (25 fps) in [from, to). */
static void feed_frames(health_t *h, uint64_t from, uint64_t to)
{
    for (uint64_t t = from; t < to; t += 40) {
        assert_int_equal(health_frame(h, t), HEALTH_DO_NOTHING);
        assert_int_equal(health_tick(h, t), HEALTH_DO_NOTHING);
    }
}

static void test_start_then_live(void **state)
{
    (void)state;
    health_t *h = make_health("10.1.2.3:554", false);
    assert_non_null(h);
    assert_int_equal(health_state(h), WIRE_STATE_CONNECTING);
    assert_false(health_running(h));
    assert_int_equal(health_start(h, 1000), HEALTH_DO_START);
    assert_int_equal(health_start(h, 1001), HEALTH_DO_NOTHING); /* only once */
    assert_true(health_running(h));
    assert_int_equal(health_tick(h, 2000), HEALTH_DO_NOTHING);
    assert_int_equal(health_state(h), WIRE_STATE_CONNECTING);
    feed_frames(h, 2000, 4000);
    assert_int_equal(health_state(h), WIRE_STATE_LIVE);

    wire_status_t st;
    memset(&st, 0, sizeof st);
    health_fill_status(h, 4000, &st);
    assert_string_equal(st.camera_id, "pelabuhan");
    assert_int_equal(st.state, WIRE_STATE_LIVE);
    assert_int_equal(st.fps_milli, 25000);
    assert_int_equal(st.attempt, 0);
    assert_int_equal(st.reconnects, 0);
    assert_string_equal(st.last_error, "");
    health_destroy(&h);
    assert_null(h);
    health_destroy(&h); /* idempotent */
}

static void test_stall_then_reconnect(void **state)
{
    (void)state;
    health_t *h = make_health("10.1.2.3:554", false);
    health_start(h, 0);
    feed_frames(h, 0, 2000); /* last frame at 1960 */
    assert_int_equal(health_tick(h, 1960 + T_STALL_MS - 1), HEALTH_DO_NOTHING);
    assert_int_equal(health_state(h), WIRE_STATE_LIVE);
    uint64_t t = 1960 + T_STALL_MS;
    assert_int_equal(health_tick(h, t), HEALTH_DO_STOP);
    assert_int_equal(health_state(h), WIRE_STATE_STALLED);
    assert_false(health_running(h));

    wire_status_t st;
    health_fill_status(h, t, &st);
    assert_string_equal(st.last_error, "no frames for 3.0 s (stalled)");
    assert_int_equal(st.attempt, 1);
    assert_int_equal(st.fps_milli, 0);

    /* Late errors from the torn-down pipeline change nothing. */
    assert_int_equal(health_fault(h, t + 10, HEALTH_CAUSE_REFUSED, NULL), HEALTH_DO_NOTHING);
    assert_int_equal(health_state(h), WIRE_STATE_STALLED);
    assert_int_equal(health_tick(h, t + 499), HEALTH_DO_NOTHING); /* first delay: 500 ms */
    assert_int_equal(health_tick(h, t + 500), HEALTH_DO_START);
    assert_int_equal(health_state(h), WIRE_STATE_STALLED); /* still says why it is retrying */
    health_fill_status(h, t + 500, &st);
    assert_int_equal(st.reconnects, 1);
    assert_int_equal(st.attempt, 1);
    feed_frames(h, t + 600, t + 1000);
    assert_int_equal(health_state(h), WIRE_STATE_LIVE);
    health_fill_status(h, t + 1000, &st);
    assert_int_equal(st.attempt, 0);
    assert_string_equal(st.last_error, "no frames for 3.0 s (stalled)"); /* kept */
    health_destroy(&h);
}

/* Each failed retry doubles the wait up to the cap; attempt counts up; it never gives up. */
static void test_backoff_grows_and_caps(void **state)
{
    (void)state;
    static const uint32_t expect[] = {500, 1000, 2000, 4000, 8000, 8000, 8000};
    health_t *h = make_health("10.1.2.3:554", false);
    uint64_t t = 0;
    health_start(h, t);
    for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
        assert_int_equal(health_fault(h, t, HEALTH_CAUSE_REFUSED, NULL), HEALTH_DO_STOP);
        assert_int_equal(health_state(h), WIRE_STATE_RECONNECTING);
        wire_status_t st;
        health_fill_status(h, t, &st);
        assert_int_equal(st.attempt, i + 1);
        assert_string_equal(st.last_error,
                            "connection refused by 10.1.2.3:554: camera off, or wrong address or "
                            "port?");
        assert_int_equal(health_tick(h, t + expect[i] - 1), HEALTH_DO_NOTHING);
        t += expect[i];
        assert_int_equal(health_tick(h, t), HEALTH_DO_START);
    }
    wire_status_t st;
    health_fill_status(h, t, &st);
    assert_int_equal(st.reconnects, 7);
    assert_int_equal(health_fault_count(h), 7);
    assert_int_equal(health_retry_at(h), 0); /* running again */
    health_fault(h, t, HEALTH_CAUSE_REFUSED, NULL);
    assert_int_equal(health_retry_at(h), t + 8000);
    health_destroy(&h);
}

/* Backoff resets only after stable_ms of live video, not on the first frame. */
static void test_backoff_reset_after_stable(void **state)
{
    (void)state;
    health_t *h = make_health(NULL, false);
    uint64_t t = 0;
    health_start(h, t);
    health_fault(h, t, HEALTH_CAUSE_EOS, NULL); /* attempt 1: 500 ms */
    t += 500;
    assert_int_equal(health_tick(h, t), HEALTH_DO_START);
    feed_frames(h, t, t + 1000); /* live briefly */
    t += 1000;
    health_fault(h, t, HEALTH_CAUSE_EOS, NULL); /* attempt 2: 1000 ms, not reset */
    assert_int_equal(health_tick(h, t + 999), HEALTH_DO_NOTHING);
    t += 1000;
    assert_int_equal(health_tick(h, t), HEALTH_DO_START);
    feed_frames(h, t, t + T_STABLE_MS + 100); /* stable: reset */
    t += T_STABLE_MS + 100;
    health_fault(h, t, HEALTH_CAUSE_EOS, NULL); /* attempt 1 again: 500 ms */
    assert_int_equal(health_tick(h, t + 500), HEALTH_DO_START);
    health_destroy(&h);
}

static void test_connect_timeout(void **state)
{
    (void)state;
    health_t *h = make_health("cam.local:554", false);
    health_start(h, 100);
    assert_int_equal(health_tick(h, 100 + T_CONNECT_MS - 1), HEALTH_DO_NOTHING);
    assert_int_equal(health_tick(h, 100 + T_CONNECT_MS), HEALTH_DO_STOP);
    assert_int_equal(health_state(h), WIRE_STATE_RECONNECTING);
    wire_status_t st;
    health_fill_status(h, 100 + T_CONNECT_MS, &st);
    assert_string_equal(st.last_error, "no video from cam.local:554 within 10.0 s of connecting");
    health_destroy(&h);
}

/* Configuration faults put the camera in FAILED, and it stays FAILED while retrying. */
static void test_config_fault_failed(void **state)
{
    (void)state;
    health_t *h = make_health("10.1.2.3:554", true);
    health_start(h, 0);
    assert_int_equal(health_fault(h, 0, HEALTH_CAUSE_UNAUTHORIZED, NULL), HEALTH_DO_STOP);
    assert_int_equal(health_state(h), WIRE_STATE_FAILED);
    assert_int_equal(health_tick(h, 500), HEALTH_DO_START);
    assert_int_equal(health_state(h), WIRE_STATE_FAILED);
    wire_status_t st;
    health_fill_status(h, 500, &st);
    assert_string_equal(st.last_error,
                        "401 Unauthorized: check the credentials for camera pelabuhan");
    /* Then a transient fault: back to RECONNECTING. */
    health_fault(h, 600, HEALTH_CAUSE_TIMEOUT, "server did not answer");
    assert_int_equal(health_state(h), WIRE_STATE_RECONNECTING);
    health_destroy(&h);
}

static void test_kbps_window(void **state)
{
    (void)state;
    health_t *h = make_health(NULL, false);
    health_start(h, 0);
    /* 2 Mbit/s: 25 000 bytes every 100 ms for 2 s. */
    for (uint64_t t = 0; t < 2000; t += 100)
        health_bytes(h, t, 25000);
    wire_status_t st;
    health_fill_status(h, 2000, &st);
    assert_int_equal(st.kbps, 2000);
    health_fill_status(h, 3050, &st); /* nothing in the last second */
    assert_int_equal(st.kbps, 0);
    health_destroy(&h);
}

typedef struct {
    health_cause_t cause;
    const char *server;
    bool creds;
    uint32_t ms;
    const char *detail;
    const char *expect;
} describe_case_t;

static void test_describe_table(void **state)
{
    (void)state;
    static const describe_case_t cases[] = {
        {HEALTH_CAUSE_REFUSED, "10.1.2.3:554", false, 0, NULL,
         "connection refused by 10.1.2.3:554: camera off, or wrong address or port?"},
        {HEALTH_CAUSE_NOT_FOUND, "10.1.2.3:554", false, 0, NULL,
         "stream not found (404) on 10.1.2.3:554: check the path in the camera URI"},
        {HEALTH_CAUSE_UNAUTHORIZED, "h:554", false, 0, NULL,
         "401 Unauthorized: check the credentials for camera X (none given: add them to the "
         "credentials file)"},
        {HEALTH_CAUSE_UNAUTHORIZED, "h:554", true, 0, NULL,
         "401 Unauthorized: check the credentials for camera X"},
        {HEALTH_CAUSE_STALL, NULL, false, 3000, NULL, "no frames for 3.0 s (stalled)"},
        {HEALTH_CAUSE_STALL, NULL, false, 1500, NULL, "no frames for 1.5 s (stalled)"},
        {HEALTH_CAUSE_EOS, NULL, false, 0, NULL, "the camera ended the stream (EOS)"},
        {HEALTH_CAUSE_TIMEOUT, "h:554", false, 0, "no UDP packets",
         "no answer from h:554 (timeout): no UDP packets"},
        {HEALTH_CAUSE_DECODE, "h:554", false, 0, "", "bad video data from h:554"},
        {HEALTH_CAUSE_TRANSPORT, "h:8555", false, 0, NULL,
         "h:8555: no stream over this RTSP transport; try transport=udp (or tcp)"},
        {HEALTH_CAUSE_OTHER, NULL, false, 0, "Internal data stream error",
         "Internal data stream error"},
        {HEALTH_CAUSE_OTHER, NULL, false, 0, NULL, "unknown error"},
        {(health_cause_t)99, NULL, false, 0, NULL, "unknown error"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const describe_case_t *c = &cases[i];
        char out[WIRE_MAX_ERROR + 1];
        health_describe(c->cause, "X", c->server, c->creds, c->ms, c->detail, out, sizeof out);
        assert_string_equal(out, c->expect);
    }
    char tiny[8];
    health_describe(HEALTH_CAUSE_STALL, "X", NULL, false, 3000, NULL, tiny, sizeof tiny);
    assert_int_equal(strlen(tiny), 7); /* cut, terminated */
    assert_null(health_describe(HEALTH_CAUSE_STALL, "X", NULL, false, 3000, NULL, NULL, 0));
}

static void test_config_kinds(void **state)
{
    (void)state;
    assert_true(health_cause_is_config(HEALTH_CAUSE_UNAUTHORIZED));
    assert_true(health_cause_is_config(HEALTH_CAUSE_NOT_FOUND));
    assert_true(health_cause_is_config(HEALTH_CAUSE_UNSUPPORTED));
    assert_true(health_cause_is_config(HEALTH_CAUSE_TRANSPORT));
    assert_false(health_cause_is_config(HEALTH_CAUSE_REFUSED));
    assert_false(health_cause_is_config(HEALTH_CAUSE_STALL));
    assert_false(health_cause_is_config(HEALTH_CAUSE_EOS));
}

/* Long texts are cut to fit the wire; the status still encodes. */
static void test_long_detail(void **state)
{
    (void)state;
    char detail[1000];
    memset(detail, 'x', sizeof detail - 1);
    detail[sizeof detail - 1] = '\0';
    health_t *h = make_health(NULL, false);
    health_start(h, 0);
    health_fault(h, 0, HEALTH_CAUSE_OTHER, detail);
    wire_status_t st;
    health_fill_status(h, 0, &st);
    assert_int_equal(strlen(st.last_error), WIRE_MAX_ERROR);
    uint8_t buf[WIRE_STATUS_MAX_SIZE];
    assert_int_equal(wire_status_encode(&st, buf, sizeof buf), WIRE_STATUS_MAX_SIZE);
    health_destroy(&h);
}

static void test_invalid_arguments(void **state)
{
    (void)state;
    health_config_t cfg;
    health_config_init(&cfg);
    assert_null(health_new(NULL));
    assert_null(health_new(&cfg)); /* no id */
    cfg.camera_id = "";
    assert_null(health_new(&cfg));
    cfg.camera_id = "has space";
    assert_null(health_new(&cfg));
    cfg.camera_id = "0123456789012345678901234567890123"; /* too long */
    assert_null(health_new(&cfg));
    cfg.camera_id = "ok";
    cfg.stall_ms = 0;
    assert_null(health_new(&cfg));
    cfg.stall_ms = 1000;
    cfg.connect_timeout_ms = 0;
    assert_null(health_new(&cfg));

    /* NULL objects are harmless. */
    assert_int_equal(health_start(NULL, 0), HEALTH_DO_NOTHING);
    assert_int_equal(health_frame(NULL, 0), HEALTH_DO_NOTHING);
    assert_int_equal(health_fault(NULL, 0, HEALTH_CAUSE_EOS, NULL), HEALTH_DO_NOTHING);
    assert_int_equal(health_tick(NULL, 0), HEALTH_DO_NOTHING);
    health_bytes(NULL, 0, 1);
    health_fill_status(NULL, 0, NULL);
    assert_false(health_running(NULL));
    assert_int_equal(health_retry_at(NULL), 0);
    assert_int_equal(health_fault_count(NULL), 0);
    health_destroy(NULL);

    /* Events before start are ignored. */
    cfg.connect_timeout_ms = 1000;
    health_t *h = health_new(&cfg);
    assert_non_null(h);
    assert_int_equal(health_frame(h, 10), HEALTH_DO_NOTHING);
    assert_int_equal(health_fault(h, 10, HEALTH_CAUSE_EOS, NULL), HEALTH_DO_NOTHING);
    assert_int_equal(health_tick(h, 100000), HEALTH_DO_NOTHING);
    assert_int_equal(health_state(h), WIRE_STATE_CONNECTING);
    health_destroy(&h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_start_then_live),
        cmocka_unit_test(test_stall_then_reconnect),
        cmocka_unit_test(test_backoff_grows_and_caps),
        cmocka_unit_test(test_backoff_reset_after_stable),
        cmocka_unit_test(test_connect_timeout),
        cmocka_unit_test(test_config_fault_failed),
        cmocka_unit_test(test_kbps_window),
        cmocka_unit_test(test_describe_table),
        cmocka_unit_test(test_config_kinds),
        cmocka_unit_test(test_long_detail),
        cmocka_unit_test(test_invalid_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
