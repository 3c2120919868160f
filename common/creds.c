/* creds: the owner-only credentials file (see creds.h).
 *
 * The text is tokenized by ini.c; this file checks the ids and keys and keeps one entry per id.
 * Every problem is counted, the one on the earliest line is reported. No message ever quotes a
 * value or an unknown key from the file (a password pasted on the wrong line must not end up in
 * a log); they name the file, the line and what to do. Read-only after load. */
#include "creds.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ini.h"

#define CREDS_ID_MAX 31
#define CREDS_MAX_BYTES (1024 * 1024) /* a credentials file is a few lines */
#define CREDS_DEFAULT_FILE "<string>"
#define CREDS_SUGGEST_DISTANCE 2

typedef struct {
    char id[CREDS_ID_MAX + 1];
    int line;
    char *username, *password, *token;
} creds_entry_t;

struct creds {
    creds_entry_t *entries;
    int n;
};

/* The keys a credentials section may hold, and where each goes. */
typedef struct {
    const char *name;
    size_t offset; /* of the char * in creds_entry_t */
} creds_key_t;

static const creds_key_t creds_keys[] = {
    {"username", offsetof(creds_entry_t, username)},
    {"password", offsetof(creds_entry_t, password)},
    {"token", offsetof(creds_entry_t, token)},
};
#define CREDS_N_KEYS ((int)(sizeof creds_keys / sizeof creds_keys[0]))

/* Collects problems; keeps the text of the one on the earliest line. */
typedef struct {
    const char *file;
    char *err;
    size_t err_cap;
    int count;
    int best_line;
} creds_report_t;

static void creds_fail(creds_report_t *rep, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void creds_fail(creds_report_t *rep, int line, const char *fmt, ...)
{
    rep->count++;
    if (rep->count > 1 && line >= rep->best_line)
        return;
    rep->best_line = line;
    if (rep->err == NULL || rep->err_cap == 0)
        return;
    int n = line > 0 ? snprintf(rep->err, rep->err_cap, "%s:%d: ", rep->file, line)
                     : snprintf(rep->err, rep->err_cap, "%s: ", rep->file);
    if (n < 0 || (size_t)n >= rep->err_cap)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rep->err + n, rep->err_cap - (size_t)n, fmt, ap);
    va_end(ap);
}

/* Appends "(and N more problems)" when there were several. */
static void creds_report_finish(creds_report_t *rep)
{
    if (rep->count < 2 || rep->err == NULL || rep->err_cap == 0)
        return;
    size_t used = strlen(rep->err);
    if (used < rep->err_cap)
        snprintf(rep->err + used, rep->err_cap - used, " (and %d more problem%s)", rep->count - 1,
                 rep->count > 2 ? "s" : "");
}

/* ---- model ----------------------------------------------------------------------------------- */

static const creds_entry_t *creds_find(const creds_t *creds, const char *id)
{
    if (creds == NULL || id == NULL)
        return NULL;
    for (int i = 0; i < creds->n; i++)
        if (strcmp(creds->entries[i].id, id) == 0)
            return &creds->entries[i];
    return NULL;
}

static char **creds_slot(creds_entry_t *e, const creds_key_t *k)
{
    return (char **)((char *)e + k->offset);
}

static const creds_key_t *creds_key_find(const char *name)
{
    for (int i = 0; i < CREDS_N_KEYS; i++)
        if (strcmp(creds_keys[i].name, name) == 0)
            return &creds_keys[i];
    return NULL;
}

/* The key is not quoted: a line like "hunter2=" must not put a password into a log. */
static void creds_unknown_key(creds_report_t *rep, const ini_entry_t *e, const char *id)
{
    for (int i = 0; i < CREDS_N_KEYS; i++) {
        if (ini_edit_distance(e->key, creds_keys[i].name, CREDS_SUGGEST_DISTANCE) <=
            CREDS_SUGGEST_DISTANCE) {
            creds_fail(rep, e->line, "[%s]: unknown key (did you mean '%s'?)", id,
                       creds_keys[i].name);
            return;
        }
    }
    creds_fail(rep, e->line, "[%s]: unknown key (allowed: username, password, token)", id);
}

/* Stores the keys of one section into *out; returns false if memory ran out. */
static bool creds_fill(creds_report_t *rep, const ini_doc_t *doc, const ini_section_t *sec,
                       creds_entry_t *out)
{
    int seen[CREDS_N_KEYS] = {0};
    for (int i = 0; i < sec->n_entries; i++) {
        const ini_entry_t *e = &doc->entries[sec->first_entry + i];
        const creds_key_t *k = creds_key_find(e->key);
        if (k == NULL) {
            creds_unknown_key(rep, e, out->id);
            continue;
        }
        int ki = (int)(k - creds_keys);
        if (seen[ki] > 0) {
            creds_fail(rep, e->line, "[%s]: duplicate key '%s' (first on line %d)", out->id,
                       k->name, seen[ki]);
            continue;
        }
        seen[ki] = e->line;
        char **slot = creds_slot(out, k);
        if ((*slot = strdup(e->value)) == NULL)
            return false;
    }
    return true;
}

/* Checks one [id] header; returns false when the section must be skipped. */
static bool creds_check_header(creds_report_t *rep, const creds_t *creds, const ini_section_t *sec)
{
    if (sec->name != NULL) {
        creds_fail(rep, sec->line, "the section header must be just the id, like [pelabuhan]");
        return false;
    }
    if (!ini_id_valid(sec->type, CREDS_ID_MAX)) {
        creds_fail(rep, sec->line,
                   "bad id in section header: use 1..%d characters a-z, 0-9, '_' or '-'",
                   CREDS_ID_MAX);
        return false;
    }
    const creds_entry_t *dup = creds_find(creds, sec->type);
    if (dup != NULL) {
        creds_fail(rep, sec->line, "[%s]: duplicate section (first on line %d)", sec->type,
                   dup->line);
        return false;
    }
    return true;
}

static void creds_entry_free(creds_entry_t *e)
{
    free(e->username);
    free(e->password);
    free(e->token);
}

/* ---- public ---------------------------------------------------------------------------------- */

creds_t *creds_parse(const char *text, size_t len, const char *file, char *err, size_t err_cap)
{
    creds_report_t rep = {file != NULL ? file : CREDS_DEFAULT_FILE, err, err_cap, 0, 0};
    if (err != NULL && err_cap > 0)
        err[0] = '\0';
    creds_t *creds = calloc(1, sizeof *creds);
    ini_doc_t *doc = ini_parse(text, len);
    if (creds == NULL || doc == NULL)
        goto oom;
    for (int i = 0; i < doc->n_errors; i++)
        creds_fail(&rep, doc->errors[i].line, "%s", doc->errors[i].message);
    if (doc->n_sections > 0 &&
        (creds->entries = calloc((size_t)doc->n_sections, sizeof *creds->entries)) == NULL)
        goto oom;
    for (int s = 0; s < doc->n_sections; s++) {
        const ini_section_t *sec = &doc->sections[s];
        if (!creds_check_header(&rep, creds, sec))
            continue;
        creds_entry_t *e = &creds->entries[creds->n++];
        snprintf(e->id, sizeof e->id, "%s", sec->type);
        e->line = sec->line;
        if (!creds_fill(&rep, doc, sec, e))
            goto oom;
    }
    ini_destroy(&doc);
    if (rep.count > 0)
        goto fail;
    return creds;
oom:
    creds_fail(&rep, 0, "out of memory");
fail:
    creds_report_finish(&rep);
    ini_destroy(&doc);
    creds_destroy(&creds);
    return NULL;
}

/* Refuses files that are not regular, not ours, or open to group/others. */
static bool creds_check_stat(const struct stat *st, creds_report_t *rep)
{
    const char *f = rep->file;
    if (!S_ISREG(st->st_mode)) {
        creds_fail(rep, 0, "not a regular file");
        return false;
    }
    if (st->st_uid != geteuid()) {
        creds_fail(rep, 0,
                   "owned by uid %u, not by the user running pantau (uid %u); run: chown %u %s",
                   (unsigned)st->st_uid, (unsigned)geteuid(), (unsigned)geteuid(), f);
        return false;
    }
    unsigned mode = (unsigned)st->st_mode & 0777u;
    if (mode & 077u) {
        creds_fail(rep, 0,
                   "permissions %04o let other users %s camera passwords; run: chmod 600 %s", mode,
                   (mode & 044u) ? "read" : (mode & 022u) ? "change" : "access", f);
        return false;
    }
    return true;
}

/* Reads at most CREDS_MAX_BYTES from fd into a new buffer (caller frees). */
static char *creds_read_fd(int fd, size_t *len, creds_report_t *rep)
{
    char *buf = malloc(CREDS_MAX_BYTES + 1);
    size_t n = 0;
    if (buf == NULL)
        goto fail;
    while (n <= CREDS_MAX_BYTES) {
        ssize_t r = read(fd, buf + n, CREDS_MAX_BYTES + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            creds_fail(rep, 0, "cannot read: %s", strerror(errno));
            goto fail;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    if (n > CREDS_MAX_BYTES) {
        creds_fail(rep, 0, "larger than %d bytes; is this the credentials file?", CREDS_MAX_BYTES);
        goto fail;
    }
    *len = n;
    return buf;
fail:
    free(buf);
    return NULL;
}

creds_t *creds_load(const char *path, char *err, size_t err_cap)
{
    creds_report_t rep = {path != NULL ? path : "(null)", err, err_cap, 0, 0};
    struct stat st;
    char *text = NULL;
    size_t len = 0;
    creds_t *creds = NULL;
    if (err != NULL && err_cap > 0)
        err[0] = '\0';
    int fd = path != NULL ? open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY) : -1;
    if (fd < 0) {
        creds_fail(&rep, 0, "cannot open: %s", path != NULL ? strerror(errno) : "no path");
        goto done;
    }
    if (fstat(fd, &st) != 0) {
        creds_fail(&rep, 0, "cannot stat: %s", strerror(errno));
        goto done;
    }
    if (!creds_check_stat(&st, &rep) || (text = creds_read_fd(fd, &len, &rep)) == NULL)
        goto done;
    creds = creds_parse(text, len, path, err, err_cap);
done:
    if (fd >= 0)
        close(fd);
    free(text);
    return creds;
}

void creds_destroy(creds_t **creds_p)
{
    if (creds_p == NULL || *creds_p == NULL)
        return;
    creds_t *creds = *creds_p;
    for (int i = 0; i < creds->n; i++)
        creds_entry_free(&creds->entries[i]);
    free(creds->entries);
    free(creds);
    *creds_p = NULL;
}

const char *creds_username(const creds_t *creds, const char *id)
{
    const creds_entry_t *e = creds_find(creds, id);
    return e != NULL ? e->username : NULL;
}

const char *creds_password(const creds_t *creds, const char *id)
{
    const creds_entry_t *e = creds_find(creds, id);
    return e != NULL ? e->password : NULL;
}

const char *creds_token(const creds_t *creds, const char *id)
{
    const creds_entry_t *e = creds_find(creds, id);
    return e != NULL ? e->token : NULL;
}

int creds_count(const creds_t *creds)
{
    return creds != NULL ? creds->n : 0;
}

const char *creds_id_at(const creds_t *creds, int i)
{
    if (creds == NULL || i < 0 || i >= creds->n)
        return NULL;
    return creds->entries[i].id;
}
