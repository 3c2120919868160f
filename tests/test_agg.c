/* test_agg: complaint items and counters (ingest/complaints/agg.h): stage moves, duplicates,
 * out-of-order updates, overdue against working-day deadlines, today/this month in the command
 * centre's time zone, per-OPD backlog and median, PPID, KIP, and the ticker's privacy rule. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "agg.h"

static int64_t t(const char *iso)
{
    int64_t ms = 0;
    if (!cev_parse_time(iso, &ms))
        fail_msg("bad time in test: %s", iso);
    return ms;
}

static cev_t complaint(const char *id, const char *updated, const char *received, cev_stage_t st)
{
    cev_t ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = CEV_COMPLAINT;
    snprintf(ev.id, sizeof ev.id, "%s", id);
    ev.updated_ms = t(updated);
    ev.received_ms = t(received);
    ev.stage = st;
    ev.channel = CEV_CH_WHATSAPP;
    ev.satisfaction = CEV_SAT_NONE;
    snprintf(ev.category, sizeof ev.category, "kesehatan");
    snprintf(ev.title, sizeof ev.title, "Judul %s", id);
    return ev;
}

static workday_cal_t *cal_new(void)
{
    char err[128];
    workday_cal_t *cal = workday_cal_new("Asia/Makassar", err, sizeof err);
    assert_non_null(cal);
    assert_int_equal(workday_cal_add_holidays(cal, "2026-12-25\n", err, sizeof err), 1);
    return cal;
}

static void test_stage_moves_duplicates_order(void **state)
{
    (void)state;
    workday_cal_t *cal = cal_new();
    agg_t *a = agg_new();
    cmsg_t m;
    int64_t now = t("2026-11-23T12:00:00+08:00");
    cev_t v1 = complaint("A", "2026-11-23T09:00:00+08:00", "2026-11-23T09:00:00+08:00",
                         CEV_STAGE_RECEIVED);
    cev_t v2 = v1, v3 = v1;
    v2.updated_ms = t("2026-11-23T10:00:00+08:00");
    v2.stage = CEV_STAGE_VERIFIED;
    v3.updated_ms = t("2026-11-23T11:00:00+08:00");
    v3.stage = CEV_STAGE_DISPOSITIONED;
    v3.dispositioned_ms = v3.updated_ms;
    snprintf(v3.opd, sizeof v3.opd, "Dinas Kesehatan");

    assert_int_equal(agg_apply(a, &v1), AGG_NEW);
    assert_int_equal(agg_apply(a, &v1), AGG_DUPLICATE);
    agg_compute(a, now, cal, &m);
    assert_int_equal(m.total, 1);
    assert_int_equal(m.stages[CEV_STAGE_RECEIVED], 1);
    assert_int_equal(m.received_today, 1);
    assert_int_equal(m.channels[CEV_CH_WHATSAPP].today, 1);

    /* v3 arrives before v2: v3 applies, v2 is stale and changes nothing. */
    assert_int_equal(agg_apply(a, &v3), AGG_UPDATED);
    assert_int_equal(agg_apply(a, &v2), AGG_STALE);
    assert_int_equal(agg_check(a, &v3), AGG_DUPLICATE);
    agg_compute(a, now, cal, &m);
    assert_int_equal(m.total, 1);
    assert_int_equal(m.stages[CEV_STAGE_RECEIVED], 0);
    assert_int_equal(m.stages[CEV_STAGE_VERIFIED], 0);
    assert_int_equal(m.stages[CEV_STAGE_DISPOSITIONED], 1);
    assert_int_equal(m.open, 1);
    assert_int_equal(m.n_opd, 1);
    assert_string_equal(m.opd[0].name, "Dinas Kesehatan");
    assert_int_equal(m.opd[0].backlog, 1);
    assert_int_equal(m.opd[0].median_response_h, -1);
    assert_int_equal(agg_count(a), 1);
    agg_destroy(&a);
    workday_cal_destroy(&cal);
}

static void test_overdue(void **state)
{
    (void)state;
    workday_cal_t *cal = cal_new();
    agg_t *a = agg_new();
    cmsg_t m;
    /* Received Friday: due at the end of Wednesday. */
    cev_t c = complaint("V", "2026-11-20T10:00:00+08:00", "2026-11-20T10:00:00+08:00",
                        CEV_STAGE_RECEIVED);
    agg_apply(a, &c);
    /* Dispositioned Tuesday 22 Dec: Wed, Thu, (Fri 25 holiday), Mon, Tue, Wed -> end of 30 Dec. */
    cev_t d = complaint("D", "2026-12-22T09:00:00+08:00", "2026-12-01T09:00:00+08:00",
                        CEV_STAGE_DISPOSITIONED);
    d.dispositioned_ms = d.updated_ms;
    snprintf(d.opd, sizeof d.opd, "Dinas PUPR");
    agg_apply(a, &d);
    agg_compute(a, t("2026-11-25T23:59:59+08:00"), cal, &m);
    assert_int_equal(m.overdue_verify, 0);
    agg_compute(a, t("2026-11-26T00:00:00+08:00"), cal, &m);
    assert_int_equal(m.overdue_verify, 1);
    agg_compute(a, t("2026-12-30T23:00:00+08:00"), cal, &m);
    assert_int_equal(m.overdue_followup, 0);
    agg_compute(a, t("2026-12-31T00:00:01+08:00"), cal, &m);
    assert_int_equal(m.overdue_followup, 1);
    assert_int_equal(m.opd[0].overdue, 1);
    /* Verified: no longer counts as overdue. */
    cev_t c2 = c;
    c2.updated_ms += 1000;
    c2.stage = CEV_STAGE_VERIFIED;
    agg_apply(a, &c2);
    agg_compute(a, t("2026-11-26T00:00:00+08:00"), cal, &m);
    assert_int_equal(m.overdue_verify, 0);
    agg_destroy(&a);
    workday_cal_destroy(&cal);
}

static void test_day_and_month_in_zone(void **state)
{
    (void)state;
    workday_cal_t *cal = cal_new();
    agg_t *a = agg_new();
    cmsg_t m;
    /* 16:30 UTC on 30 Nov is 00:30 on 1 Dec in Makassar; 15:59 UTC is still 30 Nov. */
    cev_t in = complaint("IN", "2026-11-30T16:30:00Z", "2026-11-30T16:30:00Z", CEV_STAGE_RECEIVED);
    cev_t out = complaint("OUT", "2026-11-30T15:59:00Z", "2026-11-30T15:59:00Z", CEV_STAGE_RECEIVED);
    out.channel = CEV_CH_SMS_1708;
    agg_apply(a, &in);
    agg_apply(a, &out);
    agg_compute(a, t("2026-12-01T10:00:00+08:00"), cal, &m);
    assert_int_equal(m.received_today, 1);
    assert_int_equal(m.received_month, 1);
    assert_int_equal(m.channels[CEV_CH_WHATSAPP].month, 1);
    assert_int_equal(m.channels[CEV_CH_SMS_1708].month, 0);
    assert_int_equal(m.total, 2);
    agg_destroy(&a);
    workday_cal_destroy(&cal);
}

static void test_opd_ppid_kip_resolved(void **state)
{
    (void)state;
    workday_cal_t *cal = cal_new();
    agg_t *a = agg_new();
    cmsg_t m;
    const int hours[] = {10, 30, 20};
    for (int i = 0; i < 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "F%d", i);
        cev_t f = complaint(id, "2026-11-20T10:00:00+08:00", "2026-11-10T10:00:00+08:00",
                            i == 2 ? CEV_STAGE_CLOSED : CEV_STAGE_FOLLOWED_UP);
        snprintf(f.opd, sizeof f.opd, "Dishub");
        f.dispositioned_ms = t("2026-11-12T10:00:00+08:00");
        f.followed_up_ms = f.dispositioned_ms + hours[i] * 3600000LL;
        f.satisfaction = i == 2 ? CEV_SAT_TIDAK_PUAS : CEV_SAT_NONE;
        agg_apply(a, &f);
    }
    cev_t arch = complaint("X", "2026-11-20T10:00:00+08:00", "2026-11-10T10:00:00+08:00",
                           CEV_STAGE_ARCHIVED);
    agg_apply(a, &arch);
    cev_t r;
    memset(&r, 0, sizeof r);
    r.kind = CEV_INFO_REQUEST;
    snprintf(r.id, sizeof r.id, "R1");
    r.received_ms = t("2026-11-02T10:00:00+08:00");
    r.updated_ms = r.received_ms;
    r.ppid = CEV_PPID_RECEIVED;
    r.objection = CEV_CASE_OPEN;
    agg_apply(a, &r);
    cev_t k1, k2;
    memset(&k1, 0, sizeof k1);
    k1.kind = CEV_KIP_GRADE;
    snprintf(k1.id, sizeof k1.id, "2025");
    k1.updated_ms = t("2025-12-01T00:00:00Z");
    k1.kip = CEV_KIP_CUKUP;
    k1.kip_score_x10 = 700;
    k2 = k1;
    snprintf(k2.id, sizeof k2.id, "2026");
    k2.updated_ms = t("2026-11-01T00:00:00Z");
    k2.kip = CEV_KIP_MENUJU;
    k2.kip_score_x10 = 855;
    agg_apply(a, &k2);
    agg_apply(a, &k1);
    agg_compute(a, t("2026-11-23T12:00:00+08:00"), cal, &m);
    assert_int_equal(m.opd[0].median_response_h, 20);
    assert_int_equal(m.opd[0].backlog, 0);
    assert_int_equal(m.closed, 1);
    assert_int_equal(m.resolved_permille, 333); /* 1 of 3 (the archived one does not count) */
    assert_int_equal(m.satisfaction[CEV_SAT_TIDAK_PUAS], 1);
    assert_int_equal(m.ppid.open, 1);
    assert_int_equal(m.ppid.overdue, 1); /* 10 working days from 2 Nov: end of 16 Nov */
    assert_int_equal(m.ppid.objections_open, 1);
    assert_int_equal(m.kip_grade, CEV_KIP_MENUJU);
    assert_int_equal(m.kip_score_x10, 855);
    assert_int_equal(m.n_categories, 1);
    assert_int_equal(m.categories[0].count, 4);
    agg_destroy(&a);
    workday_cal_destroy(&cal);
}

static void test_ticker_privacy(void **state)
{
    (void)state;
    workday_cal_t *cal = cal_new();
    agg_t *a = agg_new();
    cmsg_t m;
    for (int i = 0; i < CMSG_MAX_TICKER + 5; i++) {
        char id[8], when[40];
        snprintf(id, sizeof id, "T%02d", i);
        snprintf(when, sizeof when, "2026-11-23T09:%02d:00+08:00", i);
        cev_t c = complaint(id, when, when, CEV_STAGE_RECEIVED);
        c.confidential = i % 2 == 0;
        c.anonymous = i % 3 == 0;
        snprintf(c.location, sizeof c.location, "Jl. Rahasia %d", i);
        snprintf(c.reporter, sizeof c.reporter, "Pelapor %d", i);
        agg_apply(a, &c);
    }
    agg_compute(a, t("2026-11-23T12:00:00+08:00"), cal, &m);
    assert_int_equal(m.n_ticker, CMSG_MAX_TICKER);
    assert_string_equal(m.ticker[0].id, "T14"); /* newest first */
    for (int i = 0; i < m.n_ticker; i++) {
        const cmsg_tick_t *tk = &m.ticker[i];
        if (tk->confidential)
            assert_true(tk->title[0] == '\0' && tk->location[0] == '\0');
        else
            assert_true(strncmp(tk->title, "Judul", 5) == 0);
        if (tk->anonymous)
            assert_true(tk->reporter[0] == '\0');
    }
    agg_destroy(&a);
    agg_destroy(&a);
    workday_cal_destroy(&cal);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stage_moves_duplicates_order),
        cmocka_unit_test(test_overdue),
        cmocka_unit_test(test_day_and_month_in_zone),
        cmocka_unit_test(test_opd_ppid_kip_resolved),
        cmocka_unit_test(test_ticker_privacy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
