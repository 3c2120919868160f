/* redact: removes URI userinfo and registered secrets from text (see redact.h).
 *
 * One pass over the input: at each position either a URI's userinfo is masked (rule 1), a known
 * secret is replaced (rule 2, longest secret first), or the byte is copied. Output goes through a
 * small writer that stops at the capacity and never leaves half a UTF-8 character at the end.
 * A redactor is filled by redact_add and then only read. */
#include "redact.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define REDACT_MASK "***"
#define REDACT_MIN_SECRET 3
#define REDACT_DEFAULT_CAP 8

struct redact {
    char **secrets; /* longest first, so a secret that contains another is replaced whole */
    size_t *lens;
    int n, cap;
};

typedef struct {
    char *out;
    size_t cap, len; /* len < cap always (room for the NUL) */
    bool cut;
} redact_writer_t;

redact_t *redact_new(void)
{
    return calloc(1, sizeof(redact_t));
}

void redact_destroy(redact_t **r_p)
{
    if (r_p == NULL || *r_p == NULL)
        return;
    redact_t *r = *r_p;
    for (int i = 0; i < r->n; i++)
        free(r->secrets[i]);
    free(r->secrets);
    free(r->lens);
    free(r);
    *r_p = NULL;
}

static int redact_reserve(redact_t *r)
{
    if (r->n < r->cap)
        return 0;
    int cap = r->cap == 0 ? REDACT_DEFAULT_CAP : r->cap * 2;
    char **s = realloc(r->secrets, (size_t)cap * sizeof *s);
    if (s == NULL)
        return -1;
    r->secrets = s;
    size_t *l = realloc(r->lens, (size_t)cap * sizeof *l);
    if (l == NULL)
        return -1;
    r->lens = l;
    r->cap = cap;
    return 0;
}

int redact_add(redact_t *r, const char *secret)
{
    if (r == NULL || secret == NULL)
        return -1;
    size_t len = strlen(secret);
    if (len < REDACT_MIN_SECRET)
        return 0;
    for (int i = 0; i < r->n; i++)
        if (r->lens[i] == len && memcmp(r->secrets[i], secret, len) == 0)
            return 0;
    char *copy = strdup(secret);
    if (copy == NULL || redact_reserve(r) != 0) {
        free(copy);
        return -1;
    }
    int at = r->n;
    while (at > 0 && r->lens[at - 1] < len) { /* keep longest first */
        r->secrets[at] = r->secrets[at - 1];
        r->lens[at] = r->lens[at - 1];
        at--;
    }
    r->secrets[at] = copy;
    r->lens[at] = len;
    r->n++;
    return 0;
}

/* ---- output ---------------------------------------------------------------------------------- */

static void redact_put(redact_writer_t *w, const char *s, size_t n)
{
    if (w->cut)
        return;
    size_t room = w->cap - 1 - w->len;
    if (n > room) {
        n = room;
        w->cut = true;
    }
    memcpy(w->out + w->len, s, n);
    w->len += n;
}

/* Terminates the output; when it was cut, drops a trailing incomplete UTF-8 character. */
static void redact_finish(redact_writer_t *w)
{
    if (w->cut && w->len > 0) {
        size_t start = w->len;
        while (start > 0 && ((unsigned char)w->out[start - 1] & 0xC0) == 0x80)
            start--;
        if (start > 0 && ((unsigned char)w->out[start - 1] & 0x80)) {
            unsigned char lead = (unsigned char)w->out[start - 1];
            size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            if (w->len - (start - 1) < need)
                w->len = start - 1;
        }
    }
    w->out[w->len] = '\0';
}

/* ---- rule 1: URI userinfo -------------------------------------------------------------------- */

/* True for bytes that end a URI written inside free text. */
static bool redact_uri_end(char c)
{
    return (unsigned char)c <= ' ' || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`' ||
           c == 0x7F;
}

/* in[at..] follows "://". Finds the userinfo: the text before the last '@' ahead of the end of
 * the URI (the last, so that an unencoded '@' or '/' inside a password is still covered).
 * Sets *mask_from (the ':' before the password, or the userinfo start for a bare token) and
 * *mask_to (the '@'); returns false when there is no userinfo. */
static bool redact_find_userinfo(const char *in, size_t at, size_t *mask_from, size_t *mask_to)
{
    size_t end = at, last_at = 0;
    bool found = false;
    for (; in[end] != '\0' && !redact_uri_end(in[end]); end++) {
        if (in[end] == '@') {
            last_at = end;
            found = true;
        }
    }
    if (!found)
        return false;
    const char *colon = memchr(in + at, ':', last_at - at);
    *mask_from = colon != NULL ? (size_t)(colon - in) + 1 : at;
    *mask_to = last_at;
    return true;
}

/* ---- rule 2: known secrets ------------------------------------------------------------------- */

static size_t redact_secret_at(const redact_t *r, const char *s)
{
    for (int i = 0; r != NULL && i < r->n; i++)
        if (strncmp(s, r->secrets[i], r->lens[i]) == 0)
            return r->lens[i];
    return 0;
}

char *redact_text(const redact_t *r, const char *in, char *out, size_t out_cap)
{
    if (out == NULL || out_cap == 0)
        return out;
    redact_writer_t w = {out, out_cap, 0, false};
    size_t i = 0, mask_from = 0, mask_to = 0;
    bool masking = false;
    while (in != NULL && in[i] != '\0' && !w.cut) {
        if (masking && i >= mask_from) {
            if (i == mask_from) /* else a secret already covered the start */
                redact_put(&w, REDACT_MASK, strlen(REDACT_MASK));
            if (i < mask_to)
                i = mask_to;
            masking = false;
            continue;
        }
        size_t n = redact_secret_at(r, in + i);
        if (n > 0) {
            redact_put(&w, REDACT_MASK, strlen(REDACT_MASK));
            i += n;
            continue;
        }
        if (!masking && strncmp(in + i, "://", 3) == 0) {
            /* Only the ':' goes out here: a secret may start at either '/' (found by fuzzing). */
            masking = redact_find_userinfo(in, i + 3, &mask_from, &mask_to);
            redact_put(&w, ":", 1);
            i++;
            continue;
        }
        redact_put(&w, in + i, 1);
        i++;
    }
    redact_finish(&w);
    return out;
}
