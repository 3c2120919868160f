/* Unit tests for wall/tilestate: what each camera situation looks like on the wall. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "tilestate.h"

static wire_status_t status_of(wire_state_t state, uint32_t attempt, const char *err)
{
    wire_status_t s;
    memset(&s, 0, sizeof s);
    s.state = state;
    strcpy(s.camera_id, "cam");
    s.fps_milli = 24800;
    s.attempt = attempt;
    strcpy(s.last_error, err);
    return s;
}

typedef struct {
    const char *name;
    tilestate_lang_t lang;
    int state; /* -1: no status */
    uint64_t status_age_ms;
    int has_frame;
    uint64_t frame_age_ms;
    uint64_t since_start_ms;
    uint32_t restarts;
    /* expected */
    const char *state_name;
    scene_severity_t severity;
    int live, dim;
    const char *headline;
    const char *detail_has; /* substring of detail, or NULL for empty detail */
    const char *badge;      /* exact badge, or NULL for empty */
} tcase_t;

static const tcase_t cases[] = {
    {"live fresh frame", TILESTATE_LANG_ID, WIRE_STATE_LIVE, 200, 1, 40, 9000, 0,
     "live", SCENE_SEVERITY_OK, 1, 0, "", NULL, "LIVE 25 fps"},
    {"live but frame 5 s old", TILESTATE_LANG_EN, WIRE_STATE_LIVE, 200, 1, 5200, 9000, 0,
     "stale", SCENE_SEVERITY_WARN, 0, 1, "DELAYED", "last frame 5 s ago", "5 s"},
    {"live, exactly 2 s is still live", TILESTATE_LANG_EN, WIRE_STATE_LIVE, 100, 1, 2000, 9000, 0,
     "live", SCENE_SEVERITY_OK, 1, 0, "", NULL, "LIVE 25 fps"},
    {"live status but no frame yet", TILESTATE_LANG_EN, WIRE_STATE_LIVE, 100, 0, 0, 9000, 0,
     "stale", SCENE_SEVERITY_WARN, 0, 0, "DELAYED", NULL, NULL},
    {"reconnecting with last frame", TILESTATE_LANG_EN, WIRE_STATE_RECONNECTING, 300, 1, 8000,
     9000, 0, "no-signal", SCENE_SEVERITY_ERROR, 0, 1, "NO SIGNAL",
     "reconnecting, attempt 3: connection refused", "8 s"},
    {"reconnecting in Indonesian", TILESTATE_LANG_ID, WIRE_STATE_RECONNECTING, 300, 0, 0, 9000, 0,
     "no-signal", SCENE_SEVERITY_ERROR, 0, 0, "TIDAK ADA SINYAL", "percobaan 3", NULL},
    {"stalled", TILESTATE_LANG_EN, WIRE_STATE_STALLED, 300, 1, 3500, 9000, 0, "stalled",
     SCENE_SEVERITY_WARN, 0, 1, "STALLED", "connection refused", "3 s"},
    {"connecting", TILESTATE_LANG_EN, WIRE_STATE_CONNECTING, 300, 0, 0, 1000, 0, "connecting",
     SCENE_SEVERITY_INFO, 0, 0, "CONNECTING", "connection refused", NULL},
    {"failed", TILESTATE_LANG_EN, WIRE_STATE_FAILED, 300, 0, 0, 9000, 0, "failed",
     SCENE_SEVERITY_ERROR, 0, 0, "FAILED", "connection refused", NULL},
    {"no status yet, just started", TILESTATE_LANG_EN, -1, 0, 0, 0, 1000, 0, "connecting",
     SCENE_SEVERITY_INFO, 0, 0, "CONNECTING", "waiting for worker", NULL},
    {"no status after timeout", TILESTATE_LANG_EN, -1, 0, 0, 0, 10000, 0, "no-signal",
     SCENE_SEVERITY_ERROR, 0, 0, "NO SIGNAL", "worker not answering", NULL},
    {"status went silent: worker dead", TILESTATE_LANG_EN, WIRE_STATE_LIVE, 9000, 1, 9000, 60000,
     2, "no-signal", SCENE_SEVERITY_ERROR, 0, 1, "NO SIGNAL", "worker restarted (2 times)", "9 s"},
    {"frame age in minutes", TILESTATE_LANG_ID, WIRE_STATE_STALLED, 100, 1, 300000, 900000, 0,
     "stalled", SCENE_SEVERITY_WARN, 0, 1, "TERHENTI", NULL, "5 mnt"},
};

static void test_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const tcase_t *c = &cases[i];
        wire_status_t st = status_of(c->state < 0 ? WIRE_STATE_LIVE : (wire_state_t)c->state, 3,
                                     strcmp(c->name, "frame age in minutes") == 0
                                         ? ""
                                         : "connection refused");
        tilestate_in_t in = {
            .lang = c->lang,
            .has_status = c->state >= 0,
            .status = c->state >= 0 ? &st : NULL,
            .status_age_ms = c->status_age_ms,
            .has_frame = c->has_frame,
            .frame_age_ms = c->frame_age_ms,
            .since_start_ms = c->since_start_ms,
            .supervised = true,
            .worker_restarts = c->restarts,
        };
        tilestate_out_t out;
        tilestate_eval(&in, &out);
        print_message("case: %s\n", c->name);
        assert_string_equal(out.state_name, c->state_name);
        assert_int_equal(out.severity, c->severity);
        assert_int_equal(out.live, c->live);
        assert_int_equal(out.dim, c->dim);
        assert_string_equal(out.headline, c->headline);
        char joined[sizeof out.detail];
        strcpy(joined, out.detail);
        for (char *p = joined; *p; p++)
            *p = *p == '\n' ? ' ' : *p; /* long details come split over two lines */
        if (c->detail_has == NULL)
            assert_string_equal(out.detail, "");
        else
            assert_non_null(strstr(joined, c->detail_has));
        assert_string_equal(out.badge, c->badge ? c->badge : "");
    }
}

static void test_long_error_is_cut_not_overflowed(void **state)
{
    (void)state;
    wire_status_t st = status_of(WIRE_STATE_RECONNECTING, 99, "");
    memset(st.last_error, 'x', WIRE_MAX_ERROR);
    st.last_error[WIRE_MAX_ERROR] = '\0';
    tilestate_in_t in = {.status = &st, .has_status = true, .status_age_ms = 10};
    tilestate_out_t out;
    tilestate_eval(&in, &out);
    assert_true(strlen(out.detail) < sizeof out.detail);
    assert_non_null(strstr(out.detail, "percobaan 99"));
}

static void test_long_detail_split_in_two_balanced_lines(void **state)
{
    (void)state;
    wire_status_t st = status_of(WIRE_STATE_FAILED, 0,
                                 "127.0.0.1:8555 offers no stream over this RTSP transport: try "
                                 "transport=udp");
    tilestate_in_t in = {.status = &st, .has_status = true, .status_age_ms = 10};
    tilestate_out_t out;
    tilestate_eval(&in, &out);
    char *nl = strchr(out.detail, '\n');
    assert_non_null(nl);
    assert_null(strchr(nl + 1, '\n'));
    size_t first = (size_t)(nl - out.detail), second = strlen(nl + 1);
    assert_true(first > second ? first - second < 12 : second - first < 12);
    wire_status_t short_st = status_of(WIRE_STATE_FAILED, 0, "401 Unauthorized");
    in.status = &short_st;
    tilestate_eval(&in, &out);
    assert_string_equal(out.detail, "401 Unauthorized");
}

/* A camera just brought back on screen: live, its fps window still empty. */
static void test_resumed_live_has_no_zero_fps(void **state)
{
    (void)state;
    wire_status_t st = status_of(WIRE_STATE_LIVE, 0, "");
    st.fps_milli = 0;
    tilestate_in_t in = {.lang = TILESTATE_LANG_EN, .status = &st, .has_status = true,
                         .status_age_ms = 10, .has_frame = true, .frame_age_ms = 30,
                         .since_start_ms = 9000, .supervised = true, .worker_running = true};
    tilestate_out_t out;
    tilestate_eval(&in, &out);
    assert_true(out.live);
    assert_string_equal(out.badge, "LIVE");
}

/* A worker that exits refusing its configuration: FAILED with its reason; one that died
 * otherwise: NO SIGNAL, restart count and its last error. */
static void test_worker_error_shown(void **state)
{
    (void)state;
    tilestate_in_t in = {.lang = TILESTATE_LANG_EN, .since_start_ms = 9000, .supervised = true,
                         .worker_restarts = 3,
                         .worker_error = "creds: mode 0644; run chmod 600",
                         .worker_refused = true};
    tilestate_out_t out;
    tilestate_eval(&in, &out);
    assert_string_equal(out.state_name, "failed");
    assert_string_equal(out.headline, "FAILED");
    assert_string_equal(out.detail, "creds: mode 0644; run chmod 600");
    in.worker_refused = false;
    in.worker_error = "out of memory";
    tilestate_eval(&in, &out);
    assert_string_equal(out.state_name, "no-signal");
    assert_string_equal(out.detail, "worker restarted (3 times): out of memory");
    in.worker_error = "";
    tilestate_eval(&in, &out);
    assert_string_equal(out.detail, "worker restarted (3 times)");
    /* A fresh status from the worker wins over what an earlier run said. */
    wire_status_t st = status_of(WIRE_STATE_LIVE, 0, "");
    in = (tilestate_in_t){.lang = TILESTATE_LANG_EN, .status = &st, .has_status = true,
                          .status_age_ms = 10, .has_frame = true, .frame_age_ms = 30,
                          .since_start_ms = 9000, .supervised = true, .worker_running = true,
                          .worker_error = "old", .worker_refused = true};
    tilestate_eval(&in, &out);
    assert_true(out.live);
}

static void test_clock_text(void **state)
{
    (void)state;
    struct tm tm = {.tm_year = 126, .tm_mon = 10, .tm_mday = 23, .tm_wday = 1, .tm_hour = 16,
                    .tm_min = 41, .tm_sec = 7};
    char buf[64];
    tilestate_clock_text(TILESTATE_LANG_ID, &tm, buf, sizeof buf);
    assert_string_equal(buf, "Senin, 23 Nov 2026  16:41:07");
    tilestate_clock_text(TILESTATE_LANG_EN, &tm, buf, sizeof buf);
    assert_string_equal(buf, "Mon 23 Nov 2026  16:41:07");
    tm.tm_wday = 99; /* out of range must not read outside the tables */
    tm.tm_mon = -3;
    tilestate_clock_text(TILESTATE_LANG_EN, &tm, buf, sizeof buf);
    assert_non_null(strstr(buf, "Sun"));
    char tiny[8];
    tilestate_clock_text(TILESTATE_LANG_ID, &tm, tiny, sizeof tiny);
    assert_int_equal(strlen(tiny), 7);
}

static void test_lang_codes(void **state)
{
    (void)state;
    assert_int_equal(tilestate_lang_from_code("en"), TILESTATE_LANG_EN);
    assert_int_equal(tilestate_lang_from_code("id"), TILESTATE_LANG_ID);
    assert_int_equal(tilestate_lang_from_code(NULL), TILESTATE_LANG_ID);
    assert_int_equal(tilestate_lang_from_code("fr"), TILESTATE_LANG_ID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_long_error_is_cut_not_overflowed),
        cmocka_unit_test(test_long_detail_split_in_two_balanced_lines),
        cmocka_unit_test(test_resumed_live_has_no_zero_fps),
        cmocka_unit_test(test_worker_error_shown),
        cmocka_unit_test(test_clock_text),
        cmocka_unit_test(test_lang_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
