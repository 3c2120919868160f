/* ini: line-numbered INI tokenizer (see ini.h). One pass over the bytes, line by line; every
 * string in the result is a heap copy owned by the document. */
#include "ini.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INI_DEFAULT_CAP 16
#define INI_MAX_ITEMS (INT32_MAX / 2) /* array growth stops well before int overflow */

/* Parser state carried from one line to the next. */
typedef struct {
    ini_doc_t *doc;
    int line;
    bool in_section;  /* a valid header has been seen */
    bool skip_keys;   /* the last header was broken: ignore its keys */
    bool oom;
} ini_state_t;

/* ---- growable arrays ------------------------------------------------------------------------- */

/* Returns items with room for one more element of size elem (n used, *cap allocated): the same
 * or a moved block, or NULL (items untouched) when memory runs out. */
static void *ini_grow(void *items, int n, int *cap, size_t elem)
{
    if (n < *cap)
        return items;
    if (*cap >= INI_MAX_ITEMS)
        return NULL;
    int new_cap = *cap == 0 ? INI_DEFAULT_CAP : *cap * 2;
    void *p = realloc(items, (size_t)new_cap * elem);
    if (p != NULL)
        *cap = new_cap;
    return p;
}

static char *ini_strndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static void ini_error(ini_state_t *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void ini_error(ini_state_t *st, const char *fmt, ...)
{
    ini_doc_t *doc = st->doc;
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    ini_error_t *grown = ini_grow(doc->errors, doc->n_errors, &doc->cap_errors, sizeof *grown);
    if (grown == NULL)
        goto fail;
    doc->errors = grown;
    char *msg = ini_strndup(buf, strlen(buf));
    if (msg == NULL)
        goto fail;
    doc->errors[doc->n_errors++] = (ini_error_t){st->line, msg};
    return;
fail:
    st->oom = true;
}

/* ---- character checks ------------------------------------------------------------------------ */

/* Length of the UTF-8 sequence at s (at most len bytes), or 0 if it is malformed. */
static size_t ini_utf8_seq(const unsigned char *s, size_t len)
{
    unsigned c = s[0];
    size_t n;
    unsigned min;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4, min = 0x10000;
    else
        return 0;
    if (len < n)
        return 0;
    unsigned cp = c & (0x7Fu >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return n;
}

bool ini_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    if (s == NULL)
        return len == 0;
    while (i < len) {
        size_t n = ini_utf8_seq(p + i, len - i);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

/* Reports the first byte that may not appear in a line; returns false if there was one. */
static bool ini_check_bytes(ini_state_t *st, const char *s, size_t len)
{
    if (memchr(s, '\0', len) != NULL) {
        ini_error(st, "NUL byte in line (is this a binary file?)");
        return false;
    }
    if (!ini_utf8_valid(s, len)) {
        ini_error(st, "bytes that are not UTF-8 (save the file as UTF-8)");
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t') || c == 0x7F) {
            ini_error(st, "control character 0x%02X in line", c);
            return false;
        }
    }
    return true;
}

/* ---- tokens ---------------------------------------------------------------------------------- */

static bool ini_is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Trims spaces and tabs from both ends of [*s, *s + *len). */
static void ini_trim(const char **s, size_t *len)
{
    while (*len > 0 && ini_is_space(**s)) {
        (*s)++;
        (*len)--;
    }
    while (*len > 0 && ini_is_space((*s)[*len - 1]))
        (*len)--;
}

/* Adds a section from the text between '[' and ']' (already trimmed, non-empty). */
static void ini_add_section(ini_state_t *st, const char *s, size_t len)
{
    ini_doc_t *doc = st->doc;
    size_t type_len = 0;
    while (type_len < len && !ini_is_space(s[type_len]))
        type_len++;
    const char *name = s + type_len;
    size_t name_len = len - type_len;
    ini_trim(&name, &name_len);
    for (size_t i = 0; i < name_len; i++) {
        if (ini_is_space(name[i])) {
            ini_error(st, "section header has more than two words (use [type name])");
            st->skip_keys = true;
            return;
        }
    }
    ini_section_t *grown = ini_grow(doc->sections, doc->n_sections, &doc->cap_sections,
                                    sizeof *grown);
    if (grown == NULL)
        goto fail;
    doc->sections = grown;
    ini_section_t sec = {st->line, ini_strndup(s, type_len), NULL, doc->n_entries, 0};
    if (name_len > 0)
        sec.name = ini_strndup(name, name_len);
    if (sec.type == NULL || (name_len > 0 && sec.name == NULL)) {
        free(sec.type);
        free(sec.name);
        goto fail;
    }
    doc->sections[doc->n_sections++] = sec;
    st->in_section = true;
    st->skip_keys = false;
    return;
fail:
    st->oom = true;
}

/* A line starting with '[' (after leading whitespace). */
static void ini_header_line(ini_state_t *st, const char *s, size_t len)
{
    const char *close = memchr(s, ']', len);
    if (close == NULL) {
        ini_error(st, "'[' without a closing ']'");
        goto bad;
    }
    const char *rest = close + 1;
    size_t rest_len = len - (size_t)(rest - s);
    ini_trim(&rest, &rest_len);
    if (rest_len > 0) {
        ini_error(st, "text after ']' (comments must be on their own line)");
        goto bad;
    }
    const char *in = s + 1;
    size_t in_len = (size_t)(close - in);
    ini_trim(&in, &in_len);
    if (in_len == 0 || memchr(in, '[', in_len) != NULL) {
        ini_error(st, in_len == 0 ? "empty section header '[]'" : "'[' inside a section header");
        goto bad;
    }
    ini_add_section(st, in, in_len);
    return;
bad:
    st->skip_keys = true;
}

static void ini_key_line(ini_state_t *st, const char *s, size_t len)
{
    ini_doc_t *doc = st->doc;
    const char *eq = memchr(s, '=', len);
    if (eq == NULL) {
        ini_error(st, "line is not a [section], a key=value or a # comment");
        return;
    }
    const char *key = s, *value = eq + 1;
    size_t key_len = (size_t)(eq - s), value_len = len - key_len - 1;
    ini_trim(&key, &key_len);
    ini_trim(&value, &value_len);
    if (key_len == 0) {
        ini_error(st, "empty key before '='");
        return;
    }
    if (st->skip_keys)
        return;
    if (!st->in_section) {
        ini_error(st, "key before any [section]");
        return;
    }
    ini_entry_t *grown = ini_grow(doc->entries, doc->n_entries, &doc->cap_entries, sizeof *grown);
    if (grown == NULL)
        goto fail;
    doc->entries = grown;
    ini_entry_t e = {st->line, doc->n_sections - 1, ini_strndup(key, key_len),
                     ini_strndup(value, value_len)};
    if (e.key == NULL || e.value == NULL) {
        free(e.key);
        free(e.value);
        goto fail;
    }
    doc->entries[doc->n_entries++] = e;
    doc->sections[e.section].n_entries++;
    return;
fail:
    st->oom = true;
}

static void ini_line(ini_state_t *st, const char *s, size_t len)
{
    if (len > 0 && s[len - 1] == '\r') /* CRLF files from Windows editors */
        len--;
    if (len > INI_MAX_LINE) {
        ini_error(st, "line longer than %d bytes", INI_MAX_LINE);
        return;
    }
    if (!ini_check_bytes(st, s, len))
        return;
    ini_trim(&s, &len);
    if (len == 0 || s[0] == '#' || s[0] == ';')
        return;
    if (s[0] == '[')
        ini_header_line(st, s, len);
    else
        ini_key_line(st, s, len);
}

ini_doc_t *ini_parse(const char *data, size_t len)
{
    static const char bom[] = "\xEF\xBB\xBF";
    ini_doc_t *doc = calloc(1, sizeof *doc);
    if (doc == NULL)
        return NULL;
    if (data == NULL)
        len = 0;
    ini_state_t st = {.doc = doc};
    size_t pos = 0;
    if (len >= 3 && memcmp(data, bom, 3) == 0) /* editors on Windows add one */
        pos = 3;
    while (pos < len && !st.oom) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl != NULL ? (size_t)(nl - data) : len;
        st.line = st.line < INT32_MAX ? st.line + 1 : st.line;
        ini_line(&st, data + pos, end - pos);
        pos = end + 1;
    }
    if (st.oom)
        ini_destroy(&doc);
    return doc;
}

void ini_destroy(ini_doc_t **doc_p)
{
    if (doc_p == NULL || *doc_p == NULL)
        return;
    ini_doc_t *doc = *doc_p;
    for (int i = 0; i < doc->n_sections; i++) {
        free(doc->sections[i].type);
        free(doc->sections[i].name);
    }
    for (int i = 0; i < doc->n_entries; i++) {
        free(doc->entries[i].key);
        free(doc->entries[i].value);
    }
    for (int i = 0; i < doc->n_errors; i++)
        free(doc->errors[i].message);
    free(doc->sections);
    free(doc->entries);
    free(doc->errors);
    free(doc);
    *doc_p = NULL;
}

/* ---- edit distance --------------------------------------------------------------------------- */

#define INI_EDIT_MAX 64 /* longer words are never "close" to a key name */

int ini_edit_distance(const char *a, const char *b, int cap)
{
    if (a == NULL || b == NULL || cap < 0)
        return cap < 0 ? 0 : cap + 1;
    size_t la = strlen(a), lb = strlen(b);
    if (la > INI_EDIT_MAX || lb > INI_EDIT_MAX)
        return cap + 1;
    int row[INI_EDIT_MAX + 1];
    for (size_t j = 0; j <= lb; j++)
        row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb] > cap ? cap + 1 : row[lb];
}

bool ini_id_valid(const char *id, size_t max)
{
    size_t n = strlen(id);
    if (n < 1 || n > max)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = id[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
            return false;
    }
    return true;
}
