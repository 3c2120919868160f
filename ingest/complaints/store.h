/* store: the durable copy of every complaint-source event, in SQLite (WAL journal,
 * synchronous=FULL: a committed transaction survives a SIGKILL of the process and a power cut).
 *
 * One row per (kind, id) holding the newest version (by updated_at) as the event's stored JSON
 * form; an older or equal version never overwrites it (the upsert's WHERE clause), the same rule
 * agg_apply follows in memory. The caller groups upserts in store_begin/store_commit and answers
 * its sources only after store_commit returned 0.
 *
 * Thread: one owner (the main loop). Errors are returned with SQLite's reason in err. */
#ifndef PANTAU_STORE_H
#define PANTAU_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "cevent.h"

typedef struct store store_t;

/* Opens or creates the database at path. NULL with a reason in err. */
store_t *store_open(const char *path, char *err, size_t err_cap);

/* Closes (rolling back an open transaction); idempotent, NULLs *st. */
void store_close(store_t **st);

int store_begin(store_t *st, char *err, size_t err_cap);
int store_commit(store_t *st, char *err, size_t err_cap);
void store_rollback(store_t *st);

/* Upserts ev: 1 stored (new or newer), 0 ignored (same or older version), -1 error. */
int store_upsert(store_t *st, const cev_t *ev, int64_t now_ms, char *err, size_t err_cap);

/* Calls fn for every stored event (parsed back with cev_parse). A row that no longer parses is
 * skipped and counted in *bad. Returns the number of events passed to fn, or -1 on error. */
int store_load(store_t *st, void (*fn)(const cev_t *ev, void *ud), void *ud, int *bad, char *err,
               size_t err_cap);

#endif
