/* test_workday: working-day deadlines (ingest/complaints/workday.h) across weekends, public
 * holidays and local-day boundaries in the command centre's time zone; holiday file errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cevent.h"
#include "workday.h"

static int64_t t(const char *iso)
{
    int64_t ms = 0;
    if (!cev_parse_time(iso, &ms))
        fail_msg("bad time in test: %s", iso);
    return ms;
}

typedef struct {
    const char *tz, *start;
    int days;
    const char *want;
} dl_case_t;

static const dl_case_t deadlines[] = {
    /* Friday 10:00 + 3 working days: Mon, Tue, Wed -> end of Wednesday. */
    {"Asia/Makassar", "2026-11-20T10:00:00+08:00", 3, "2026-11-26T00:00:00+08:00"},
    /* Received on Saturday or Sunday: the same deadline. */
    {"Asia/Makassar", "2026-11-21T10:00:00+08:00", 3, "2026-11-26T00:00:00+08:00"},
    {"Asia/Makassar", "2026-11-22T23:59:00+08:00", 3, "2026-11-26T00:00:00+08:00"},
    /* Monday + 5: Tue..Fri, next Mon -> end of the next Monday. */
    {"Asia/Makassar", "2026-11-23T08:00:00+08:00", 5, "2026-12-01T00:00:00+08:00"},
    /* Christmas (holiday, Friday) skipped: Wed 23, Thu 24, Mon 28. */
    {"Asia/Makassar", "2026-12-22T09:00:00+08:00", 3, "2026-12-29T00:00:00+08:00"},
    /* The local day decides: 23:30 UTC Friday is already Saturday in Makassar... */
    {"Asia/Makassar", "2026-11-20T23:30:00Z", 3, "2026-11-26T00:00:00+08:00"},
    /* ...while in UTC it is still Friday (same Thursday midnight, but UTC's). */
    {"UTC", "2026-11-20T23:30:00Z", 3, "2026-11-26T00:00:00Z"},
    /* Jakarta evening vs. Jayapura next morning: Thursday vs. Friday. */
    {"Asia/Jakarta", "2026-11-19T22:30:00+07:00", 1, "2026-11-21T00:00:00+07:00"},
    {"Asia/Jayapura", "2026-11-19T22:30:00+07:00", 1, "2026-11-24T00:00:00+09:00"},
    /* 0 days: the end of the start's own day. */
    {"Asia/Makassar", "2026-11-23T08:00:00+08:00", 0, "2026-11-24T00:00:00+08:00"},
    /* PPID 10 + 7 working days over New Year (Jan 1 holiday). */
    {"Asia/Makassar", "2026-12-21T08:00:00+08:00", 17, "2027-01-16T00:00:00+08:00"},
};

static void test_deadlines(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof deadlines / sizeof deadlines[0]; i++) {
        const dl_case_t *c = &deadlines[i];
        char err[256];
        workday_cal_t *cal = workday_cal_new(c->tz, err, sizeof err);
        assert_non_null(cal);
        assert_int_equal(workday_cal_add_holidays(cal, "2026-12-25 # Natal\n2027-01-01\n", err,
                                                  sizeof err), 2);
        int64_t got = workday_deadline(cal, t(c->start), c->days);
        if (got != t(c->want))
            fail_msg("case %zu: got %lld, want %lld (%s)", i, (long long)got,
                     (long long)t(c->want), c->want);
        workday_cal_destroy(&cal);
        assert_null(cal);
    }
}

static void test_local_date(void **state)
{
    (void)state;
    char err[256];
    workday_cal_t *cal = workday_cal_new("Asia/Makassar", err, sizeof err);
    assert_int_equal(workday_local_date(cal, t("2026-11-30T16:30:00Z")), 20261201);
    assert_int_equal(workday_local_date(cal, t("2026-11-30T15:59:59Z")), 20261130);
    assert_true(workday_day_start(cal, t("2026-11-30T17:00:00Z")) == t("2026-12-01T00:00:00+08:00"));
    assert_false(workday_is_working(cal, 2026, 11, 21)); /* Saturday */
    assert_true(workday_is_working(cal, 2026, 11, 23));
    workday_cal_destroy(&cal);
}

static void test_bad_input(void **state)
{
    (void)state;
    char err[256] = "";
    assert_null(workday_cal_new("Mars/Olympus", err, sizeof err));
    assert_non_null(strstr(err, "unknown time zone 'Mars/Olympus'"));
    workday_cal_t *cal = workday_cal_new("", err, sizeof err); /* UTC */
    assert_non_null(cal);
    const char *bad[] = {"2026-02-30\n", "# ok\n2026-1-05\n", "26-01-05", "2026-01-05x",
                         "2026/01/05", "1999-01-01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(workday_cal_add_holidays(cal, bad[i], err, sizeof err), -1);
    assert_non_null(strstr(err, "1: not a date"));
    assert_int_equal(workday_cal_add_holidays(cal, "\n  # none\n\n", err, sizeof err), 0);
    assert_true(workday_is_working(cal, 2026, 2, 2));
    assert_int_equal(workday_cal_load_holidays(cal, "/nonexistent/h.txt", err, sizeof err), -1);
    workday_cal_destroy(&cal);
    workday_cal_destroy(&cal); /* idempotent */
    workday_cal_destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadlines),
        cmocka_unit_test(test_local_date),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
