/* test_backoff: capped exponential backoff with jitter (common/backoff.h). Growth and cap tables,
 * jitter bounds over a sweep of random values, reset, hostile settings and huge attempt
 * counts (which must neither overflow nor take time). */
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "backoff.h"

#define NO_JITTER 0.5 /* the rand01 value that leaves the delay as it is */

static void test_defaults(void **state)
{
    (void)state;
    backoff_t b;
    backoff_init(&b);
    assert_int_equal(b.initial_ms, BACKOFF_DEFAULT_INITIAL_MS);
    assert_int_equal(b.cap_ms, BACKOFF_DEFAULT_CAP_MS);
    assert_true(b.factor == BACKOFF_DEFAULT_FACTOR);
    assert_true(b.jitter == BACKOFF_DEFAULT_JITTER);
    assert_int_equal(b.attempt, 0);
}

typedef struct {
    uint32_t initial, cap;
    double factor;
    uint32_t want[8]; /* delays of attempts 1..8 without jitter */
} growth_case_t;

static const growth_case_t growth[] = {
    {500, 8000, 2.0, {500, 1000, 2000, 4000, 8000, 8000, 8000, 8000}},
    {100, 1000, 3.0, {100, 300, 900, 1000, 1000, 1000, 1000, 1000}},
    {250, 250, 2.0, {250, 250, 250, 250, 250, 250, 250, 250}},
    {1000, 5000, 1.0, {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}},
    {1000, 5000, 0.5, {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}}, /* factor < 1 -> 1 */
    {400, 2000, 1.5, {400, 600, 900, 1350, 2000, 2000, 2000, 2000}},
    {9000, 8000, 2.0, {8000, 8000, 8000, 8000, 8000, 8000, 8000, 8000}}, /* initial above cap */
    {0, 8000, 2.0, {1, 1, 1, 1, 1, 1, 1, 1}},                           /* never below 1 ms */
    {500, 0, 2.0, {1, 1, 1, 1, 1, 1, 1, 1}},
};

static void test_growth_and_cap(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof growth / sizeof growth[0]; i++) {
        backoff_t b = {growth[i].initial, growth[i].cap, growth[i].factor, 0.0, 0};
        for (int a = 0; a < 8; a++) {
            uint32_t got = backoff_next(&b, NO_JITTER);
            if (got != growth[i].want[a])
                fail_msg("case %zu attempt %d: got %u, want %u", i, a + 1, got,
                         growth[i].want[a]);
            assert_int_equal(b.attempt, (uint32_t)a + 1);
        }
    }
}

/* Over a sweep of rand01 the delay stays within delay × (1 ± jitter) and reaches both ends. */
static void test_jitter_bounds(void **state)
{
    (void)state;
    static const double jitters[] = {0.0, 0.1, 0.2, 0.5, 1.0};
    for (size_t j = 0; j < sizeof jitters / sizeof jitters[0]; j++) {
        for (uint32_t attempt = 1; attempt <= 6; attempt++) {
            double nominal = fmin(8000.0, 500.0 * pow(2.0, attempt - 1));
            uint32_t lo = UINT32_MAX, hi = 0;
            for (int k = 0; k < 1000; k++) {
                backoff_t b = {500, 8000, 2.0, jitters[j], attempt - 1};
                uint32_t d = backoff_next(&b, k / 1000.0);
                lo = d < lo ? d : lo;
                hi = d > hi ? d : hi;
                assert_true(d >= 1);
                assert_true(d >= floor(nominal * (1.0 - jitters[j])) - 1);
                assert_true(d <= nominal * (1.0 + jitters[j]));
                assert_true(d <= 8000 * (1.0 + jitters[j]));
            }
            assert_true(lo <= nominal * (1.0 - jitters[j]) + nominal * 0.01 + 1);
            assert_true(hi >= nominal * (1.0 + jitters[j]) - nominal * 0.01 - 1);
        }
    }
}

/* rand01 outside [0, 1) is clamped, not trusted. */
static void test_rand_out_of_range(void **state)
{
    (void)state;
    static const struct {
        double rand01;
        uint32_t want; /* 1000 ms nominal, jitter 0.5 */
    } t[] = {
        {0.0, 500}, {-1.0, 500}, {-1e300, 500}, {NAN, 500}, {0.5, 1000}, {1.0, 1499},
        {2.0, 1499}, {1e300, 1499}, {INFINITY, 1499}, {-INFINITY, 500},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        backoff_t b = {1000, 8000, 2.0, 0.5, 0};
        uint32_t got = backoff_next(&b, t[i].rand01);
        if (got != t[i].want)
            fail_msg("case %zu (rand01 %g): got %u, want %u", i, t[i].rand01, got, t[i].want);
    }
}

static void test_jitter_clamped(void **state)
{
    (void)state;
    static const struct {
        double jitter, rand01;
        uint32_t want;
    } t[] = {
        {-0.5, 0.0, 1000}, {2.0, 0.0, 1}, {2.0, 0.75, 1500}, {NAN, 0.0, 1000},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        backoff_t b = {1000, 8000, 2.0, t[i].jitter, 0};
        uint32_t got = backoff_next(&b, t[i].rand01);
        if (got != t[i].want)
            fail_msg("case %zu: got %u, want %u", i, got, t[i].want);
    }
}

static void test_reset(void **state)
{
    (void)state;
    backoff_t b;
    backoff_init(&b);
    b.jitter = 0;
    for (int i = 0; i < 10; i++)
        backoff_next(&b, NO_JITTER);
    assert_int_equal(b.attempt, 10);
    assert_int_equal(backoff_next(&b, NO_JITTER), BACKOFF_DEFAULT_CAP_MS);
    backoff_reset(&b);
    assert_int_equal(b.attempt, 0);
    assert_int_equal(backoff_next(&b, NO_JITTER), BACKOFF_DEFAULT_INITIAL_MS);
    assert_int_equal(backoff_next(&b, NO_JITTER), 2 * BACKOFF_DEFAULT_INITIAL_MS);
    /* reset keeps the settings */
    assert_int_equal(b.cap_ms, BACKOFF_DEFAULT_CAP_MS);
}

static double seconds_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Attempt counts near UINT32_MAX: the count saturates, the delay is the cap, and the answer
 * comes at once whatever the factor (a factor of 1 must not mean billions of multiplications). */
static void test_huge_attempts(void **state)
{
    (void)state;
    static const struct {
        uint32_t initial, cap;
        double factor;
        uint32_t want;
    } t[] = {
        {500, 8000, 2.0, 8000}, {500, 8000, 1.0, 500}, {0, 8000, 2.0, 1},
        {500, 8000, 1.0000001, 8000}, {1, UINT32_MAX, 10.0, UINT32_MAX},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        backoff_t b = {t[i].initial, t[i].cap, t[i].factor, 0.0, UINT32_MAX - 2};
        double start = seconds_now();
        for (int k = 0; k < 4; k++) {
            uint32_t got = backoff_next(&b, NO_JITTER);
            if (got != t[i].want)
                fail_msg("case %zu: got %u, want %u", i, got, t[i].want);
        }
        assert_int_equal(b.attempt, UINT32_MAX); /* saturated, not wrapped to 0 */
        if (seconds_now() - start > 0.5)
            fail_msg("case %zu: %.2f s for 4 calls", i, seconds_now() - start);
    }
}

/* A cap near UINT32_MAX plus jitter must not overflow the uint32_t result. */
static void test_large_cap_with_jitter(void **state)
{
    (void)state;
    backoff_t b = {UINT32_MAX, UINT32_MAX, 2.0, 1.0, 0};
    assert_int_equal(backoff_next(&b, 0.999), UINT32_MAX);
    b.attempt = 0;
    uint32_t low = backoff_next(&b, 0.25);
    assert_in_range(low, UINT32_MAX / 2 - 2, UINT32_MAX / 2 + 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_growth_and_cap),
        cmocka_unit_test(test_jitter_bounds),
        cmocka_unit_test(test_rand_out_of_range),
        cmocka_unit_test(test_jitter_clamped),
        cmocka_unit_test(test_reset),
        cmocka_unit_test(test_huge_attempts),
        cmocka_unit_test(test_large_cap_with_jitter),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
