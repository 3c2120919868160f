/* test_latstat: latency samples and percentiles (wall/latstat.h): nearest-rank p50/p99, the ring
 * keeps the newest samples, clock skew (negative or absurd) is counted and kept out of p99,
 * unknown times are ignored, invalid arguments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "latstat.h"

#define MS 1000000ull
#define T0 1795000000000000000ull

static void test_percentiles(void **state)
{
    (void)state;
    latstat_t s;
    latstat_init(&s);
    uint32_t p50 = 1, p99 = 1;
    assert_int_equal(latstat_pct(&s, &p50, &p99), 0);
    assert_int_equal(p50, 0);
    assert_int_equal(p99, 0);
    /* 1..100 ms in shuffled order: p50 = 50, p99 = 99. */
    for (uint64_t i = 0; i < 100; i++) {
        uint64_t v = (i * 37) % 100 + 1;
        assert_true(latstat_add(&s, T0, T0 + v * MS));
    }
    assert_int_equal(latstat_pct(&s, &p50, &p99), 100);
    assert_int_equal(p50, 50);
    assert_int_equal(p99, 99);
    /* One sample: both percentiles are it. */
    latstat_init(&s);
    assert_true(latstat_add(&s, T0, T0 + 42 * MS + 999999));
    assert_int_equal(latstat_pct(&s, &p50, &p99), 1);
    assert_int_equal(p50, 42);
    assert_int_equal(p99, 42);
}

static void test_ring_keeps_newest(void **state)
{
    (void)state;
    latstat_t s;
    latstat_init(&s);
    for (int i = 0; i < LATSTAT_SAMPLES; i++)
        latstat_add(&s, T0, T0 + 900 * MS);
    for (int i = 0; i < LATSTAT_SAMPLES; i++)
        latstat_add(&s, T0, T0 + 30 * MS);
    uint32_t p50, p99;
    assert_int_equal(latstat_pct(&s, &p50, &p99), LATSTAT_SAMPLES);
    assert_int_equal(p99, 30);
    assert_int_equal(s.accepted, 2 * LATSTAT_SAMPLES);
}

static void test_clock_skew(void **state)
{
    (void)state;
    latstat_t s;
    latstat_init(&s);
    for (int i = 0; i < 50; i++)
        latstat_add(&s, T0, T0 + 40 * MS);
    /* A camera clock 3 s ahead: capture "after" presentation. */
    assert_false(latstat_add(&s, T0 + 3000 * MS, T0));
    /* A camera clock an hour behind. */
    assert_false(latstat_add(&s, T0 - 3600000 * MS, T0));
    /* Just inside the tolerance: 0 ms, taken. */
    assert_true(latstat_add(&s, T0 + (LATSTAT_SKEW_TOLERANCE_MS - 1) * MS, T0));
    /* The edges. */
    assert_true(latstat_add(&s, T0, T0 + LATSTAT_ABSURD_MS * MS));
    assert_false(latstat_add(&s, T0, T0 + (LATSTAT_ABSURD_MS + 1) * MS));
    assert_int_equal(s.skewed, 3);
    assert_int_equal(s.last_skew_ms, LATSTAT_ABSURD_MS + 1);
    uint32_t p50, p99;
    assert_int_equal(latstat_pct(&s, &p50, &p99), 52);
    assert_int_equal(p50, 40);
    assert_int_equal(p99, LATSTAT_ABSURD_MS); /* the one large but possible value */
    /* Extreme values do not overflow. */
    assert_false(latstat_add(&s, 1, UINT64_MAX));
    assert_false(latstat_add(&s, UINT64_MAX, 1));
    assert_true(s.last_skew_ms < 0);
}

static void test_restart(void **state)
{
    (void)state;
    latstat_t s;
    latstat_init(&s);
    for (int i = 0; i < 20; i++)
        latstat_add(&s, T0, T0 + 20 * MS);
    latstat_add(&s, T0 + 100 * MS, T0);
    latstat_restart(&s);
    uint32_t p50, p99;
    assert_int_equal(latstat_pct(&s, &p50, &p99), 0);
    assert_int_equal(s.skewed, 1); /* kept */
    latstat_add(&s, T0, T0 + 90 * MS);
    assert_int_equal(latstat_pct(&s, &p50, &p99), 1);
    assert_int_equal(p50, 90);
    latstat_restart(NULL);
}

static void test_unknown_and_invalid(void **state)
{
    (void)state;
    latstat_t s;
    latstat_init(&s);
    assert_false(latstat_add(&s, 0, T0));
    assert_false(latstat_add(&s, T0, 0));
    assert_int_equal(s.skewed, 0);
    assert_int_equal(s.n, 0);
    assert_false(latstat_add(NULL, T0, T0));
    uint32_t p50, p99;
    assert_int_equal(latstat_pct(NULL, &p50, &p99), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_percentiles),         cmocka_unit_test(test_ring_keeps_newest),
        cmocka_unit_test(test_clock_skew),          cmocka_unit_test(test_restart),
        cmocka_unit_test(test_unknown_and_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
