/* test_redact: secret removal (common/redact.h). Table of inputs with the secrets registered
 * and the exact output; then cutting at every capacity, invalid arguments and many secrets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "redact.h"

#define MAX_SECRETS 3

typedef struct {
    const char *secrets[MAX_SECRETS]; /* NULL-padded; none at all: redactor r = NULL */
    const char *in;
    const char *want;
} redact_case_t;

static const redact_case_t cases[] = {
    /* rule 1: URI userinfo, any scheme, anywhere in the text */
    {{NULL}, "rtsp://user:pass@host/x", "rtsp://user:***@host/x"},
    {{NULL}, "rtsp://token@host", "rtsp://***@host"},
    {{NULL}, "rtsps://u:p@10.0.0.1:322/s", "rtsps://u:***@10.0.0.1:322/s"},
    {{NULL}, "failed: rtsp://u:p@10.0.0.1:554/s (401)",
     "failed: rtsp://u:***@10.0.0.1:554/s (401)"},
    {{NULL}, "a rtsp://a:b@h1 and http://c:d@h2/x", "a rtsp://a:***@h1 and http://c:***@h2/x"},
    {{NULL}, "rtsp://u:p@ss@host/x", "rtsp://u:***@host/x"},     /* unencoded '@' */
    {{NULL}, "rtsp://u:pa/ss@host/x", "rtsp://u:***@host/x"},    /* unencoded '/' */
    {{NULL}, "rtsp://@host", "rtsp://***@host"},
    {{NULL}, "rtsp://u:@host", "rtsp://u:***@host"},
    {{NULL}, "://a:b@c", "://a:***@c"},
    {{NULL}, "\"rtsp://u:p@h\" x@y", "\"rtsp://u:***@h\" x@y"},  /* a quote ends the URI */
    {{NULL}, "<tcp://h:1>@x", "<tcp://h:1>@x"},
    {{NULL}, "rtsp://host/path", "rtsp://host/path"},
    {{NULL}, "mail admin@example.org", "mail admin@example.org"},
    {{NULL}, "rtsp://h/a b@c", "rtsp://h/a b@c"},                 /* a space ends the URI */
    {{NULL}, "", ""},
    {{NULL}, ":// :// @@ ://", ":// :// @@ ://"},
    {{NULL}, "Kamera · rtsp://pengguna:rahasia@kamera/1",
     "Kamera · rtsp://pengguna:***@kamera/1"},
    /* rule 2: registered secrets, every occurrence */
    {{"hunter2"}, "password is hunter2, again hunter2", "password is ***, again ***"},
    {{"hunter2"}, "hunter2hunter2", "******"},
    {{"abc", "abcdef"}, "xabcdefx abc", "x***x ***"},   /* longest first */
    {{"abcdef", "abc"}, "xabcdefx abc", "x***x ***"},   /* whatever the order added */
    {{"ab"}, "ab ab", "ab ab"},                        /* too short: ignored */
    {{"admin1"}, "rtsp://admin1:pw@h", "rtsp://***:***@h"},
    {{"tok3n"}, "Authorization: Bearer tok3n", "Authorization: Bearer ***"},
    {{"s3cret"}, "no secret here", "no secret here"},
    {{"rahasia"}, "kata sandi: rahasia", "kata sandi: ***"},
    /* found by fuzz_redact: a secret starting inside "://" */
    {{"/tp"}, "://tp://p:", ":/***://p:"},
    {{"//s3cret"}, "rtsp://s3cret@h", "rtsp:***@h"},
    {{"/s3cret"}, "rtsp://u:p@h", "rtsp://u:***@h"},
};

static redact_t *make(const char *const secrets[MAX_SECRETS])
{
    if (secrets[0] == NULL)
        return NULL;
    redact_t *r = redact_new();
    assert_non_null(r);
    for (int i = 0; i < MAX_SECRETS && secrets[i] != NULL; i++)
        assert_int_equal(redact_add(r, secrets[i]), 0);
    return r;
}

static void test_cases(void **state)
{
    (void)state;
    char out[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        redact_t *r = make(cases[i].secrets);
        assert_ptr_equal(redact_text(r, cases[i].in, out, sizeof out), out);
        if (strcmp(out, cases[i].want) != 0)
            fail_msg("case %zu '%s': got '%s', want '%s'", i, cases[i].in, out, cases[i].want);
        redact_destroy(&r);
        assert_null(r);
    }
}

/* At every capacity the output is a NUL-terminated prefix of the full result, no more than 3
 * bytes short (a cut UTF-8 character), and never holds the secret. */
static void test_cut_every_capacity(void **state)
{
    (void)state;
    const char *in = "Kamera € rtsp://u:pass@h/x token hunter2 · fin";
    redact_t *r = redact_new();
    assert_non_null(r);
    assert_int_equal(redact_add(r, "hunter2"), 0);
    char full[256], out[256];
    redact_text(r, in, full, sizeof full);
    size_t full_len = strlen(full);
    for (size_t cap = 1; cap <= full_len + 4; cap++) {
        memset(out, 'Z', sizeof out);
        redact_text(r, in, out, cap);
        size_t n = strlen(out);
        assert_true(n < cap);
        assert_memory_equal(out, full, n);
        size_t want = full_len < cap - 1 ? full_len : cap - 1;
        assert_true(n + 3 >= want);
        assert_null(strstr(out, "pass"));
        assert_null(strstr(out, "hun"));
        assert_int_equal(out[cap], 'Z'); /* nothing written past the capacity */
    }
    redact_destroy(&r);
}

static void test_utf8_cut(void **state)
{
    (void)state;
    char out[16];
    static const struct {
        size_t cap;
        const char *want;
    } t[] = {{1, ""}, {3, "ab"}, {4, "ab"}, {5, "ab"}, {6, "ab€"}, {7, "ab€x"}};
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        redact_text(NULL, "ab€x", out, t[i].cap);
        if (strcmp(out, t[i].want) != 0)
            fail_msg("cap %zu: got '%s', want '%s'", t[i].cap, out, t[i].want);
    }
}

static void test_invalid_args(void **state)
{
    (void)state;
    char out[8] = "XXXXXXX";
    assert_ptr_equal(redact_text(NULL, "abc", out, 0), out);
    assert_int_equal(out[0], 'X'); /* capacity 0: untouched */
    assert_null(redact_text(NULL, "abc", NULL, 10));
    assert_ptr_equal(redact_text(NULL, NULL, out, sizeof out), out);
    assert_string_equal(out, "");
    assert_int_equal(redact_add(NULL, "secret"), -1);
    redact_t *r = redact_new();
    assert_non_null(r);
    assert_int_equal(redact_add(r, NULL), -1);
    assert_int_equal(redact_add(r, ""), 0);
    assert_int_equal(redact_add(r, "xy"), 0);
    assert_int_equal(redact_add(r, "xyz"), 0);
    assert_int_equal(redact_add(r, "xyz"), 0); /* twice is fine */
    redact_text(r, "xy xyz", out, sizeof out);
    assert_string_equal(out, "xy ***");
    redact_destroy(&r);
    redact_destroy(&r);
    redact_destroy(NULL);
}

/* More secrets than the first allocation holds; each one is found. */
static void test_many_secrets(void **state)
{
    (void)state;
    redact_t *r = redact_new();
    char secret[32], text[64], out[64];
    assert_non_null(r);
    for (int i = 0; i < 100; i++) {
        snprintf(secret, sizeof secret, "pw%03d", i);
        assert_int_equal(redact_add(r, secret), 0);
    }
    for (int i = 0; i < 100; i++) {
        snprintf(text, sizeof text, "a pw%03d b", i);
        redact_text(r, text, out, sizeof out);
        assert_string_equal(out, "a *** b");
    }
    redact_destroy(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_cut_every_capacity),
        cmocka_unit_test(test_utf8_cut),
        cmocka_unit_test(test_invalid_args),
        cmocka_unit_test(test_many_secrets),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
