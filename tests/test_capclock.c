/* test_capclock: the capture-clock rule (ingest/capclock.h): camera time believed within the
 * window, receive time outside it with the offset reported, no camera time, extreme values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "capclock.h"

#define MS 1000000ull
#define T0 1795000000000000000ull

typedef struct {
    const char *name;
    uint64_t camera, receive;
    wire_clock_t clock;
    uint64_t capture;
    int32_t offset_ms;
} capclock_case_t;

static const capclock_case_t cases[] = {
    {"no sender report yet", 0, T0, WIRE_CLOCK_RECEIVE, T0, WIRE_OFFSET_NONE},
    {"camera 40 ms before receive", T0 - 40 * MS, T0, WIRE_CLOCK_CAMERA, T0 - 40 * MS, -40},
    {"camera slightly ahead (NTP jitter)", T0 + 3 * MS, T0, WIRE_CLOCK_CAMERA, T0 + 3 * MS, 3},
    {"camera 1 s ahead: edge, believed", T0 + 1000 * MS, T0, WIRE_CLOCK_CAMERA, T0 + 1000 * MS,
     1000},
    {"camera 1.001 s ahead: not believed", T0 + 1001 * MS, T0, WIRE_CLOCK_RECEIVE, T0, 1001},
    {"camera 3 s ahead", T0 + 3000 * MS, T0, WIRE_CLOCK_RECEIVE, T0, 3000},
    {"camera 10 s behind: edge, believed", T0 - 10000 * MS, T0, WIRE_CLOCK_CAMERA, T0 - 10000 * MS,
     -10000},
    {"camera an hour behind", T0 - 3600000 * MS, T0, WIRE_CLOCK_RECEIVE, T0, -3600000},
    {"camera in 1900 (NTP epoch)", 1, T0, WIRE_CLOCK_RECEIVE, T0, INT32_MIN + 1},
    {"camera at the end of time", UINT64_MAX, T0, WIRE_CLOCK_RECEIVE, T0, INT32_MAX},
};

static void test_pick(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const capclock_case_t *c = &cases[i];
        capclock_t clk = {(wire_clock_t)99, 12345};
        uint64_t got = capclock_pick(c->camera, c->receive, &clk);
        print_message("case: %s -> %s offset %d\n", c->name, wire_clock_name(clk.clock),
                      (int)clk.offset_ms);
        assert_true(got == c->capture);
        assert_int_equal(clk.clock, c->clock);
        assert_int_equal(clk.offset_ms, c->offset_ms);
        /* An offset never reads as "unknown". */
        if (c->camera != 0)
            assert_int_not_equal(clk.offset_ms, WIRE_OFFSET_NONE);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_pick)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
