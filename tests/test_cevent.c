/* test_cevent: complaint-source events from JSON (ingest/complaints/cevent.h): every kind
 * parses and round-trips through the stored form; every kind of bad input is refused with a
 * reason that names the field; batches are all or nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "cevent.h"

#define COMPLAINT(extra)                                                                           \
    "{\"kind\":\"complaint\",\"id\":\"LAPOR-1\",\"updated_at\":\"2026-11-23T09:00:00+08:00\","    \
    "\"received_at\":\"2026-11-23T08:00:00+08:00\",\"stage\":\"received\",\"channel\":"           \
    "\"whatsapp\",\"classification\":\"pengaduan\",\"category\":\"kesehatan\",\"title\":"          \
    "\"Antrean puskesmas\"" extra "}"

static void test_complaint_ok(void **state)
{
    (void)state;
    const char *j = COMPLAINT(",\"reporter\":\"Budi\",\"anonymous\":true,\"confidential\":false,"
                              "\"satisfaction\":\"puas\",\"location\":null");
    cev_t ev;
    char err[256] = "";
    assert_int_equal(cev_parse(j, strlen(j), &ev, err, sizeof err), 0);
    assert_int_equal(ev.kind, CEV_COMPLAINT);
    assert_string_equal(ev.id, "LAPOR-1");
    assert_int_equal(ev.stage, CEV_STAGE_RECEIVED);
    assert_int_equal(ev.channel, CEV_CH_WHATSAPP);
    assert_int_equal(ev.satisfaction, CEV_SAT_PUAS);
    assert_true(ev.anonymous);
    assert_true(ev.updated_ms == 1795395600000LL); /* 2026-11-23T01:00:00Z */
    /* Stored form parses back to the same event. */
    char *s = cev_to_json(&ev);
    cev_t again;
    assert_int_equal(cev_parse(s, strlen(s), &again, err, sizeof err), 0);
    g_free(s);
    assert_memory_equal(&ev, &again, sizeof ev);
}

static void test_other_kinds(void **state)
{
    (void)state;
    const char *req = "{\"kind\":\"info_request\",\"id\":\"PPID/2026/7\",\"updated_at\":"
                      "\"2026-11-20T10:00:00Z\",\"received_at\":\"2026-11-02T10:00:00Z\","
                      "\"status\":\"refused\",\"objection\":\"open\",\"extended\":true}";
    const char *kip = "{\"kind\":\"kip_grade\",\"id\":\"2026\",\"updated_at\":"
                      "\"2026-11-20T10:00:00Z\",\"grade\":\"menuju_informatif\",\"score\":85.5}";
    cev_t ev;
    char err[256];
    assert_int_equal(cev_parse(req, strlen(req), &ev, err, sizeof err), 0);
    assert_int_equal(ev.ppid, CEV_PPID_REFUSED);
    assert_int_equal(ev.objection, CEV_CASE_OPEN);
    assert_true(ev.extended);
    assert_int_equal(cev_parse(kip, strlen(kip), &ev, err, sizeof err), 0);
    assert_int_equal(ev.kip, CEV_KIP_MENUJU);
    assert_int_equal(ev.kip_score_x10, 855);
}

typedef struct {
    const char *json;
    const char *reason; /* substring of the error */
} bad_case_t;

static const bad_case_t bad[] = {
    {"", "empty body"},
    {"{", "malformed JSON"},
    {"[1,2", "malformed JSON"},
    {"\"text\"", "JSON object"},
    {COMPLAINT("") COMPLAINT(""), "text after the first value"},
    {COMPLAINT("") "\n" COMPLAINT(""), "text after the first value"},
    {"[" COMPLAINT("") "] {}", "text after the first value"},
    {"{}", "kind: missing"},
    {"{\"kind\":\"complain\"}", "kind: 'complain' is not one of complaint"},
    {"{\"kind\":7}", "kind: must be a string"},
    {COMPLAINT(",\"colour\":\"red\""), "colour: unknown field"},
    {COMPLAINT(",\"stage\":\"closd\""), "stage: 'closd' is not one of received"},
    {COMPLAINT(",\"channel\":\"telegram\""), "channel: 'telegram' is not one of"},
    {COMPLAINT(",\"anonymous\":\"yes\""), "anonymous: must be true or false"},
    {COMPLAINT(",\"updated_at\":\"2026-11-23 09:00\""), "updated_at: '2026-11-23 09:00' is not"},
    {COMPLAINT(",\"updated_at\":\"2026-11-23T09:00:00\""), "updated_at:"},   /* no zone */
    {COMPLAINT(",\"updated_at\":\"1999-12-31T09:00:00Z\""), "updated_at:"},  /* out of range */
    {COMPLAINT(",\"title\":\"\""), "title: 0 characters"},
    {COMPLAINT(",\"title\":\"a\\nb\""), "title: contains control characters"},
    {COMPLAINT(",\"id\":\"has space\""), "id: 'has space' is not valid"},
    {COMPLAINT(",\"category\":\"Kesehatan\""), "category: 'Kesehatan' is not valid"},
    {COMPLAINT(",\"stage\":\"dispositioned\""), "opd: required"},
    {COMPLAINT(",\"stage\":\"dispositioned\",\"opd\":\"Dinkes\""), "dispositioned_at: required"},
    {COMPLAINT(",\"satisfaction\":5"), "satisfaction: must be a string"},
    {"{\"kind\":\"complaint\",\"id\":\"x\"}", "updated_at: missing"},
    {"{\"kind\":\"kip_grade\",\"id\":\"x\",\"updated_at\":\"2026-01-01T00:00:00Z\","
     "\"grade\":\"informatif\",\"score\":101}", "score: out of range"},
    {"{\"kind\":\"info_request\",\"id\":\"x\",\"updated_at\":\"2026-01-01T00:00:00Z\","
     "\"received_at\":\"2026-01-01T00:00:00Z\",\"status\":\"received\",\"stage\":\"closed\"}",
     "stage: unknown field for kind info_request"},
};

static void test_bad_input(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cev_t ev;
        char err[512] = "";
        int rc = cev_parse(bad[i].json, strlen(bad[i].json), &ev, err, sizeof err);
        if (rc != -1 || strstr(err, bad[i].reason) == NULL)
            fail_msg("case %zu: rc %d, error '%s', want '%s'", i, rc, err, bad[i].reason);
    }
    /* Not UTF-8, and a title too long. */
    char buf[2048];
    cev_t ev;
    char err[512];
    snprintf(buf, sizeof buf, COMPLAINT(",\"title\":\"\xff\xfe\""));
    assert_int_equal(cev_parse(buf, strlen(buf), &ev, err, sizeof err), -1);
    assert_non_null(strstr(err, "UTF-8"));
    char longt[300];
    memset(longt, 'a', 250);
    longt[250] = '\0';
    snprintf(buf, sizeof buf, COMPLAINT(",\"title\":\"%s\""), longt);
    assert_int_equal(cev_parse(buf, strlen(buf), &ev, err, sizeof err), -1);
    assert_non_null(strstr(err, "250 characters (allowed 1..200)"));
}

static void test_batch(void **state)
{
    (void)state;
    cev_t *evs = NULL;
    char err[512];
    const char *two = "[" COMPLAINT("") "," COMPLAINT(",\"id\":\"LAPOR-2\"") "]";
    assert_int_equal(cev_parse_batch(two, strlen(two), &evs, err, sizeof err), 2);
    assert_string_equal(evs[1].id, "LAPOR-2");
    g_free(evs);
    evs = NULL;
    const char *one_bad = "[" COMPLAINT("") "," COMPLAINT(",\"stage\":\"x\"") "]";
    assert_int_equal(cev_parse_batch(one_bad, strlen(one_bad), &evs, err, sizeof err), -1);
    assert_null(evs);
    assert_non_null(strstr(err, "events[1].stage"));
    assert_int_equal(cev_parse_batch("[]", 2, &evs, err, sizeof err), -1);
    assert_int_equal(cev_parse_batch("5", 1, &evs, err, sizeof err), -1);
    assert_null(evs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_complaint_ok),
        cmocka_unit_test(test_other_kinds),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_batch),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
