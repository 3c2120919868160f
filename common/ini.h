/* ini: a small, line-numbered INI tokenizer for layout and credentials files.
 *
 *   # comment            full-line comments start with '#' or ';' (a '#' inside a value is text)
 *   [wall]               a section: one word ...
 *   [camera pelabuhan]   ... or a type and a name
 *   label = Pelabuhan    key=value; whitespace around key and value is trimmed
 *
 * Unlike GKeyFile it keeps the line of every section and key and does not merge duplicate
 * sections or keys, so the layer above can report them. It checks syntax only: it knows no
 * section types or keys. Lines it cannot read become errors (with their line number) and are
 * skipped; keys under a broken section header are skipped too, so one typo gives one error.
 *
 * Safe on any bytes (fuzzed): NUL bytes, invalid UTF-8, control characters and lines longer
 * than INI_MAX_LINE are errors, never crashes. Error messages never quote the file's text, so
 * they are safe for files that hold secrets. Pure: no I/O, no global state; thread-safe. */
#ifndef PANTAU_INI_H
#define PANTAU_INI_H

#include <stdbool.h>
#include <stddef.h>

#define INI_MAX_LINE 4096 /* bytes per line, without the line break */

typedef struct {
    int line;        /* 1-based line of the [header] */
    char *type;      /* first word: "wall", "camera" */
    char *name;      /* second word ("pelabuhan"), or NULL for a one-word header */
    int first_entry; /* index of its first key in ini_doc_t.entries */
    int n_entries;   /* its keys are entries[first_entry .. first_entry + n_entries) */
} ini_section_t;

typedef struct {
    int line;
    int section; /* index in ini_doc_t.sections */
    char *key;   /* non-empty */
    char *value; /* may be empty */
} ini_entry_t;

typedef struct {
    int line;
    char *message; /* one line of English, no text from the file */
} ini_error_t;

/* The tokens of one file, in file order. Owned by the caller: ini_destroy. */
typedef struct {
    ini_section_t *sections;
    int n_sections, cap_sections;
    ini_entry_t *entries;
    int n_entries, cap_entries;
    ini_error_t *errors;
    int n_errors, cap_errors;
} ini_doc_t;

/* Tokenizes len bytes of data (need not be NUL-terminated; data may be NULL when len is 0).
 * Returns a new document (syntax problems are in its errors), or NULL if memory ran out. */
ini_doc_t *ini_parse(const char *data, size_t len);

/* Frees the document and NULLs *doc; safe on NULL and on *doc == NULL. */
void ini_destroy(ini_doc_t **doc);

/* True if s[0..len) is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, at most
 * U+10FFFF). */
bool ini_utf8_valid(const char *s, size_t len);

/* Levenshtein distance between a and b, capped: returns at most cap + 1 (for "did you mean"). */
int ini_edit_distance(const char *a, const char *b, int cap);

/* True when id is 1..max characters of [a-z0-9_-]: the one rule for camera, panel and
 * credentials ids (they name files and sockets, so no other characters). */
bool ini_id_valid(const char *id, size_t max);

#endif
