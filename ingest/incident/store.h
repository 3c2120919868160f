/* store: pantau-incident's SQLite database of incident marks and exported files.
 *
 * One file (default ROOT/incidents.db), WAL journal, busy timeout so several pantau-incident
 * processes (a wall marking while an operator exports) wait for each other instead of failing.
 * Marks survive restarts; every write is one transaction, so a crash never leaves half an
 * incident. Schema (PRAGMA user_version = 1):
 *
 *   incidents(id, at_ns, created_ns, note, by, origin)
 *   incident_cameras(incident_id, camera)
 *   exports(incident_id, camera, kind 'clip'|'snapshot', path, sha256, bytes, from_ns, to_ns,
 *           created_ns, note)   -- the latest export of each file; re-exporting replaces it
 *
 * Single-threaded (one connection per process). Errors: -1/NULL with the reason in err. */
#ifndef PANTAU_INCIDENT_STORE_H
#define PANTAU_INCIDENT_STORE_H

#include <stddef.h>
#include <stdint.h>

#define STORE_MAX_CAMERAS 64
#define STORE_TEXT_MAX 1024

typedef struct store store_t;

typedef struct {
    int64_t id;
    int64_t at_ns, created_ns;
    char note[STORE_TEXT_MAX];
    char by[128], origin[256];
    char cameras[STORE_MAX_CAMERAS][32];
    int n_cameras;
} store_incident_t;

typedef struct {
    char camera[32];
    char kind[16];
    char path[4096];
    char sha256[65];
    int64_t bytes, from_ns, to_ns, created_ns;
    char note[STORE_TEXT_MAX];
} store_export_t;

/* Opens (creating) the database at path. NULL with err on failure. */
store_t *store_open(const char *path, char *err, size_t cap);
void store_close(store_t **s);

/* Inserts an incident (inc->id is set). 0 or -1. */
int store_add(store_t *s, store_incident_t *inc, char *err, size_t cap);

/* Reads incident id into *inc. 1 found, 0 not found, -1 error. */
int store_get(store_t *s, int64_t id, store_incident_t *inc, char *err, size_t cap);

/* All incidents, newest first (caller g_free()s *out). Returns the count or -1. */
int store_list(store_t *s, store_incident_t **out, char *err, size_t cap);

/* Replaces the incident's exports with these n rows, in one transaction. */
int store_set_exports(store_t *s, int64_t id, const store_export_t *rows, int n, char *err,
                      size_t cap);

/* The incident's exports (caller g_free()s *out). Returns the count or -1. */
int store_exports(store_t *s, int64_t id, store_export_t **out, char *err, size_t cap);

#endif
