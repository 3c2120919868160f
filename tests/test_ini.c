/* test_ini: the line-numbered INI tokenizer (common/ini.h). Table-driven: each case's document is
 * dumped to a canonical text ("[line type name]", "line key=value", "!line" per error) and
 * compared; a seeded random-bytes run checks the invariants the layout parser relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ini.h"

#define DUMP_CAP 8192

/* Sections with their keys, then the lines of the errors. */
static void dump(const ini_doc_t *d, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int s = 0; s < d->n_sections; s++) {
        const ini_section_t *sec = &d->sections[s];
        n += (size_t)snprintf(out + n, cap - n, "[%d %s%s%s]\n", sec->line, sec->type,
                              sec->name ? " " : "", sec->name ? sec->name : "");
        for (int i = 0; i < sec->n_entries; i++) {
            const ini_entry_t *e = &d->entries[sec->first_entry + i];
            n += (size_t)snprintf(out + n, cap - n, "%d %s=%s\n", e->line, e->key, e->value);
        }
    }
    for (int i = 0; i < d->n_errors; i++)
        n += (size_t)snprintf(out + n, cap - n, "!%d\n", d->errors[i].line);
    assert_true(n < cap);
}

typedef struct {
    const char *name;
    const char *text;
    size_t len; /* 0: strlen(text) */
    const char *want;
    const char *want_msg; /* substring of the first error, or NULL */
} ini_case_t;

static const ini_case_t cases[] = {
    {"empty", "", 0, "", NULL},
    {"blank and comments", "\n  \n# c\n; c\n   # indented\n\t; tab\n", 0, "", NULL},
    {"one section", "[wall]\n", 0, "[1 wall]\n", NULL},
    {"two words", "[camera pelabuhan]\n", 0, "[1 camera pelabuhan]\n", NULL},
    {"spaces in header", "[  camera \t  pelabuhan  ]\n", 0, "[1 camera pelabuhan]\n", NULL},
    {"trimmed key and value", "[w]\n  title  =  Kota  Bontang \t\n", 0,
     "[1 w]\n2 title=Kota  Bontang\n", NULL},
    {"hash in value", "[w]\nt=a # b ; c\n", 0, "[1 w]\n2 t=a # b ; c\n", NULL},
    {"equals in value", "[w]\na=b=c\n", 0, "[1 w]\n2 a=b=c\n", NULL},
    {"empty value", "[w]\na=\nb =  \n", 0, "[1 w]\n2 a=\n3 b=\n", NULL},
    {"tab in value", "[w]\na=x\ty\n", 0, "[1 w]\n2 a=x\ty\n", NULL},
    {"utf8 value", "[w]\nt=Smart Room · Kota\n", 0, "[1 w]\n2 t=Smart Room · Kota\n", NULL},
    {"duplicates kept", "[w]\na=1\na=2\n[w]\na=3\n", 0, "[1 w]\n2 a=1\n3 a=2\n[4 w]\n5 a=3\n",
     NULL},
    {"no final newline", "[w]\na=1", 0, "[1 w]\n2 a=1\n", NULL},
    {"crlf", "[w]\r\na=1\r\n\r\nb=2\r\n", 0, "[1 w]\n2 a=1\n4 b=2\n", NULL},
    {"bom", "\xEF\xBB\xBF[w]\na=1\n", 0, "[1 w]\n2 a=1\n", NULL},
    {"empty section", "[a]\n[b]\nk=v\n", 0, "[1 a]\n[2 b]\n3 k=v\n", NULL},
    {"key before section", "a=1\n[w]\nb=2\n", 0, "[2 w]\n3 b=2\n!1\n", "before any [section]"},
    {"empty key", "[w]\n=x\n  = y\n", 0, "[1 w]\n!2\n!3\n", "empty key"},
    {"not a key", "[w]\njust text\n", 0, "[1 w]\n!2\n", "not a [section]"},
    {"unterminated header", "[wall\na=1\n[ok]\nb=2\n", 0, "[3 ok]\n4 b=2\n!1\n", "closing ']'"},
    {"keys under broken header skipped", "[a]\nx=1\n[b c d]\ny=2\n[e]\nz=3\n", 0,
     "[1 a]\n2 x=1\n[5 e]\n6 z=3\n!3\n", "more than two words"},
    {"text after bracket", "[wall] # c\n", 0, "!1\n", "text after ']'"},
    {"double bracket", "[a]]\n", 0, "!1\n", "text after ']'"},
    {"empty header", "[]\n[ ]\n", 0, "!1\n!2\n", "empty section header"},
    {"bracket in header", "[a[b]\n", 0, "!1\n", "'['"},
    {"invalid utf8", "[w]\na=\xFF\n", 0, "[1 w]\n!2\n", "not UTF-8"},
    {"overlong utf8", "[w]\na=\xC0\xAF\n", 0, "[1 w]\n!2\n", "not UTF-8"},
    {"surrogate", "[w]\na=\xED\xA0\x80\n", 0, "[1 w]\n!2\n", "not UTF-8"},
    {"above U+10FFFF", "[w]\na=\xF4\x90\x80\x80\n", 0, "[1 w]\n!2\n", "not UTF-8"},
    {"truncated utf8 at end", "[w]\na=\xE2\x82", 0, "[1 w]\n!2\n", "not UTF-8"},
    {"nul byte", "[w]\na=x\0y\nb=1\n", 14, "[1 w]\n3 b=1\n!2\n", "NUL byte"},
    {"control char", "[w]\na=x\x01y\n", 0, "[1 w]\n!2\n", "control character 0x01"},
    {"del char", "[w]\na=\x7F\n", 0, "[1 w]\n!2\n", "control character 0x7F"},
    {"bare cr inside", "[w]\na=x\ry\n", 0, "[1 w]\n!2\n", "control character 0x0D"},
    {"errors keep counting lines", "x\ny\n[w]\n\xFF\nk=v\n", 0, "[3 w]\n5 k=v\n!1\n!2\n!4\n",
     NULL},
};

static void test_cases(void **state)
{
    (void)state;
    char got[DUMP_CAP];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const ini_case_t *c = &cases[i];
        size_t len = c->len ? c->len : strlen(c->text);
        ini_doc_t *d = ini_parse(c->text, len);
        assert_non_null(d);
        dump(d, got, sizeof got);
        if (strcmp(got, c->want) != 0)
            fail_msg("case '%s': got\n%s\nwant\n%s", c->name, got, c->want);
        if (c->want_msg != NULL) {
            assert_true(d->n_errors > 0);
            if (strstr(d->errors[0].message, c->want_msg) == NULL)
                fail_msg("case '%s': message '%s' lacks '%s'", c->name, d->errors[0].message,
                         c->want_msg);
        }
        ini_destroy(&d);
        assert_null(d);
    }
}

/* Lines of exactly INI_MAX_LINE bytes are fine, one more is an error. */
static void test_line_length(void **state)
{
    (void)state;
    size_t n = INI_MAX_LINE + 2;
    char *buf = malloc(n + 16);
    assert_non_null(buf);
    for (int extra = 0; extra <= 1; extra++) {
        int len = sprintf(buf, "[w]\nk=");
        memset(buf + len, 'v', (size_t)(INI_MAX_LINE - 2 + extra));
        len += INI_MAX_LINE - 2 + extra;
        len += sprintf(buf + len, "\nz=1\n");
        ini_doc_t *d = ini_parse(buf, (size_t)len);
        assert_non_null(d);
        assert_int_equal(d->n_errors, extra);
        assert_int_equal(d->n_entries, 2 - extra);
        if (extra) {
            assert_int_equal(d->errors[0].line, 2);
            assert_non_null(strstr(d->errors[0].message, "longer than 4096"));
        } else {
            assert_int_equal(strlen(d->entries[0].value), INI_MAX_LINE - 2);
        }
        ini_destroy(&d);
    }
    free(buf);
}

/* The text of a line never appears in a message (credentials files use this tokenizer). */
static void test_messages_never_quote(void **state)
{
    (void)state;
    const char *text = "hunter2\n[w]\nhunter2 secret\n[hunter2 x y]\n=hunter2\n";
    ini_doc_t *d = ini_parse(text, strlen(text));
    assert_non_null(d);
    assert_int_equal(d->n_errors, 4);
    for (int i = 0; i < d->n_errors; i++)
        assert_null(strstr(d->errors[i].message, "hunter2"));
    ini_destroy(&d);
}

static void test_invalid_args(void **state)
{
    (void)state;
    ini_doc_t *d = ini_parse(NULL, 0);
    assert_non_null(d);
    assert_int_equal(d->n_sections + d->n_entries + d->n_errors, 0);
    ini_destroy(&d);
    d = ini_parse(NULL, 100); /* NULL data is empty whatever the length */
    assert_non_null(d);
    assert_int_equal(d->n_errors, 0);
    ini_destroy(&d);
    ini_destroy(&d); /* idempotent */
    ini_destroy(NULL);
}

static void test_utf8_valid(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        bool ok;
    } t[] = {
        {"", true}, {"plain ascii", true}, {"\xC2\xB7", true}, {"\xE2\x82\xAC", true},
        {"\xF0\x9F\x93\xB9", true}, {"\xF4\x8F\xBF\xBF", true}, {"\x80", false},
        {"\xC2", false}, {"\xC1\xBF", false}, {"\xE0\x9F\xBF", false}, {"\xED\xBF\xBF", false},
        {"\xF0\x8F\xBF\xBF", false}, {"\xF5\x80\x80\x80", false}, {"\xFE", false},
        {"a\xE2\x82", false}, {"\xE2\x28\xA1", false},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        if (ini_utf8_valid(t[i].s, strlen(t[i].s)) != t[i].ok)
            fail_msg("utf8 case %zu", i);
    assert_true(ini_utf8_valid(NULL, 0));
    assert_false(ini_utf8_valid(NULL, 1));
}

static void test_edit_distance(void **state)
{
    (void)state;
    static const struct {
        const char *a, *b;
        int cap, want;
    } t[] = {
        {"label", "label", 2, 0}, {"lable", "label", 2, 2}, {"labl", "label", 2, 1},
        {"labell", "label", 2, 1}, {"Label", "label", 2, 1}, {"", "abc", 5, 3},
        {"abc", "", 5, 3}, {"source", "fps", 2, 3}, {"kitten", "sitting", 5, 3},
        {"kitten", "sitting", 1, 2}, {"x", "y", 0, 1},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        int d = ini_edit_distance(t[i].a, t[i].b, t[i].cap);
        if (d != t[i].want)
            fail_msg("distance('%s','%s',%d) = %d, want %d", t[i].a, t[i].b, t[i].cap, d,
                     t[i].want);
    }
    char longer[100];
    memset(longer, 'a', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(ini_edit_distance(longer, longer, 2), 3); /* too long to be a typo */
    assert_int_equal(ini_edit_distance(NULL, "a", 2), 3);
    assert_int_equal(ini_edit_distance("a", NULL, 2), 3);
    assert_int_equal(ini_edit_distance("a", "a", -1), 0);
}

/* Random bytes, biased towards the syntax characters: never a crash, and the document is
 * consistent (lines rise, every entry in its section's range, strings well-formed). */
static void test_random_bytes(void **state)
{
    (void)state;
    static const char alphabet[] = "[]=#; \t\n\r\xFF\xC3\xA9" "ab\0";
    uint32_t seed = 12345;
    char buf[512];
    for (int iter = 0; iter < 3000; iter++) {
        size_t len = (seed = seed * 1103515245u + 12345u) >> 16 & 511;
        for (size_t i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            buf[i] = (seed >> 24) & 1 ? alphabet[(seed >> 16) % (sizeof alphabet - 1)]
                                      : (char)(seed >> 16);
        }
        ini_doc_t *d = ini_parse(buf, len);
        assert_non_null(d);
        int last = 0, total = 0;
        for (int s = 0; s < d->n_sections; s++) {
            const ini_section_t *sec = &d->sections[s];
            assert_true(sec->line > last);
            last = sec->line;
            assert_int_equal(sec->first_entry, total);
            assert_true(strlen(sec->type) > 0);
            total += sec->n_entries;
            for (int i = 0; i < sec->n_entries; i++) {
                const ini_entry_t *e = &d->entries[sec->first_entry + i];
                assert_int_equal(e->section, s);
                assert_true(e->line > last);
                last = e->line;
                assert_true(strlen(e->key) > 0);
                assert_true(ini_utf8_valid(e->value, strlen(e->value)));
            }
        }
        assert_int_equal(total, d->n_entries);
        ini_destroy(&d);
    }
}

static void test_id_rule(void **state)
{
    (void)state;
    assert_true(ini_id_valid("pelabuhan", 31));
    assert_true(ini_id_valid("simpang-tugu_2", 31));
    assert_false(ini_id_valid("", 31));
    assert_false(ini_id_valid("Pelabuhan", 31));   /* upper case */
    assert_false(ini_id_valid("pasar kota", 31));  /* space */
    assert_false(ini_id_valid("../etc", 31));      /* path characters */
    assert_false(ini_id_valid("abcd", 3));         /* too long */
    assert_true(ini_id_valid("abc", 3));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cases),
        cmocka_unit_test(test_line_length),
        cmocka_unit_test(test_messages_never_quote),
        cmocka_unit_test(test_invalid_args),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_random_bytes),
        cmocka_unit_test(test_id_rule),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
