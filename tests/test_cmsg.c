/* test_cmsg: the complaint-counters message (common/cmsg.h): encode/decode round trip, and every
 * kind of bad message refused with its reason (size, JSON, version, fields, privacy). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <glib.h>

#include "cmsg.h"

static void sample(cmsg_t *m)
{
    memset(m, 0, sizeof *m);
    m->seq = 42;
    m->generated_ms = 1795395600000LL;
    m->changed_ms = 1795395599000LL;
    snprintf(m->tz, sizeof m->tz, "Asia/Makassar");
    m->received_today = 7;
    m->received_month = 130;
    m->open = 55;
    m->overdue_verify = 3;
    m->total = 200;
    m->closed = 120;
    m->resolved_permille = 600;
    m->stages[7] = 120;
    m->n_channels = 2;
    snprintf(m->channels[0].key, sizeof m->channels[0].key, "whatsapp");
    m->channels[0].today = 4;
    m->channels[0].month = 60;
    snprintf(m->channels[1].key, sizeof m->channels[1].key, "sms_1708");
    m->n_opd = 1;
    snprintf(m->opd[0].name, sizeof m->opd[0].name, "Dinas Pekerjaan Umum & Penataan Ruang");
    m->opd[0].backlog = 9;
    m->opd[0].median_response_h = -1;
    m->n_categories = 1;
    snprintf(m->categories[0].key, sizeof m->categories[0].key, "infrastruktur");
    m->categories[0].count = 30;
    m->satisfaction[1] = 5;
    m->ppid.received_month = 12;
    m->ppid.disputes_open = 1;
    m->kip_grade = 1;
    m->kip_score_x10 = 855;
    m->n_ticker = 2;
    snprintf(m->ticker[0].id, sizeof m->ticker[0].id, "LAPOR-9");
    snprintf(m->ticker[0].kind, sizeof m->ticker[0].kind, "complaint");
    snprintf(m->ticker[0].title, sizeof m->ticker[0].title, "Jalan berlubang \"besar\"");
    snprintf(m->ticker[0].reporter, sizeof m->ticker[0].reporter, "Siti");
    m->ticker[0].time_ms = 1795395000000LL;
    snprintf(m->ticker[1].id, sizeof m->ticker[1].id, "LAPOR-10");
    snprintf(m->ticker[1].kind, sizeof m->ticker[1].kind, "complaint");
    m->ticker[1].confidential = true;
    m->ticker[1].anonymous = true;
}

static void test_round_trip(void **state)
{
    (void)state;
    cmsg_t m, back;
    sample(&m);
    char *s = cmsg_encode(&m);
    char err[256] = "";
    assert_int_equal(cmsg_decode(s, strlen(s), &back, err, sizeof err), CMSG_OK);
    assert_memory_equal(&m, &back, sizeof m);
    g_free(s);
    /* The encoder blanks hidden text even if the caller left it in. */
    snprintf(m.ticker[1].title, sizeof m.ticker[1].title, "RAHASIA");
    snprintf(m.ticker[1].reporter, sizeof m.ticker[1].reporter, "Nama");
    s = cmsg_encode(&m);
    assert_null(strstr(s, "RAHASIA"));
    assert_null(strstr(s, "Nama"));
    g_free(s);
}

typedef struct {
    const char *from, *to; /* replace in the sample's JSON */
    cmsg_err_t want;
} bad_case_t;

static const bad_case_t bad[] = {
    {"\"v\":1", "\"v\":2", CMSG_ERR_VERSION},
    {"\"v\":1", "\"w\":1", CMSG_ERR_VERSION},
    {"\"open\":55", "\"open\":-1", CMSG_ERR_FIELD},
    {"\"open\":55", "\"open\":\"55\"", CMSG_ERR_FIELD},
    {"\"open\":55", "\"open\":1e3", CMSG_ERR_FIELD},
    {"\"open\":55,", "", CMSG_ERR_FIELD},
    {"\"resolved_permille\":600", "\"resolved_permille\":1001", CMSG_ERR_FIELD},
    {"\"stages\":{", "\"stages\":[],\"x\":{", CMSG_ERR_FIELD},
    {"\"grade\":\"menuju_informatif\"", "\"grade\":\"bagus\"", CMSG_ERR_FIELD},
    {"\"title\":\"\",\"location\":\"\",\"reporter\":\"\",\"confidential\":true",
     "\"title\":\"RAHASIA\",\"location\":\"\",\"reporter\":\"\",\"confidential\":true",
     CMSG_ERR_PRIVACY},
    {"\"reporter\":\"\",\"confidential\":true,\"anonymous\":true",
     "\"reporter\":\"Nama\",\"confidential\":true,\"anonymous\":true", CMSG_ERR_PRIVACY},
    {"{\"v\"", "[{\"v\"", CMSG_ERR_JSON},
    {"{\"v\"", "{}{\"v\"", CMSG_ERR_JSON},
};

static void test_bad_messages(void **state)
{
    (void)state;
    cmsg_t m, out;
    sample(&m);
    char *good = cmsg_encode(&m);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *at = strstr(good, bad[i].from);
        if (at == NULL)
            fail_msg("case %zu: '%s' not in %s", i, bad[i].from, good);
        GString *s = g_string_new_len(good, at - good);
        g_string_append(s, bad[i].to);
        g_string_append(s, at + strlen(bad[i].from));
        char err[256] = "";
        cmsg_err_t rc = cmsg_decode(s->str, s->len, &out, err, sizeof err);
        if (rc != bad[i].want || err[0] == '\0')
            fail_msg("case %zu: got %s (%s), want %s", i, cmsg_err_name(rc), err,
                     cmsg_err_name(bad[i].want));
        g_string_free(s, TRUE);
    }
    g_free(good);
    char err[128];
    assert_int_equal(cmsg_decode("", 0, &out, err, sizeof err), CMSG_ERR_SIZE);
    assert_int_equal(cmsg_decode(NULL, 5, &out, err, sizeof err), CMSG_ERR_SIZE);
    assert_int_equal(cmsg_decode("{\xff}", 3, &out, err, sizeof err), CMSG_ERR_JSON);
    assert_int_equal(cmsg_decode("nul", 3, &out, err, sizeof err), CMSG_ERR_JSON);
    char *big = g_malloc0(CMSG_MAX_BYTES + 2);
    memset(big, ' ', CMSG_MAX_BYTES + 1);
    assert_int_equal(cmsg_decode(big, CMSG_MAX_BYTES + 1, &out, err, sizeof err), CMSG_ERR_SIZE);
    g_free(big);
}

static void test_labels(void **state)
{
    (void)state;
    assert_string_equal(cmsg_label("walk_in", false), "Datang langsung");
    assert_string_equal(cmsg_label("walk_in", true), "Walk-in");
    assert_string_equal(cmsg_label("pariwisata", true), "pariwisata");
    assert_string_equal(cmsg_kip_label(0, false), "Informatif");
    assert_string_equal(cmsg_kip_label(9, true), "No grade yet");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_bad_messages),
        cmocka_unit_test(test_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
