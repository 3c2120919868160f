/* supervisor: starts the wall's ingest workers (one process per camera), restarts a worker that
 * dies with capped exponential backoff, and stops them all on shutdown (SIGTERM, then SIGKILL
 * after a grace period). Workers get PR_SET_PDEATHSIG so a wall killed with SIGKILL does not
 * leave orphans holding their endpoints.
 *
 * Thread: one owner, the wall's main thread; nothing here blocks except supervisor_stop_all,
 * which waits at most its timeout. Children's stderr is the wall's stderr (their log lines carry
 * their own "[ingest ID]" prefix). */
#ifndef PANTAU_SUPERVISOR_H
#define PANTAU_SUPERVISOR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define SUPERVISOR_STOP_GRACE_MS 3000   /* SIGTERM → SIGKILL */
#define SUPERVISOR_STABLE_MS 10000      /* a worker up this long resets its restart backoff */

typedef struct supervisor supervisor_t;

typedef struct {
    bool running;
    pid_t pid;
    uint32_t restarts;      /* times restarted after dying on its own */
    int last_exit;          /* last exit status (>= 0) or -signal; 0 if it never exited */
    uint64_t next_start_ms; /* when not running: CLOCK_MONOTONIC ms of the next start */
} supervisor_info_t;

/* program: path of pantau-ingest. Never fails except on allocation (NULL). */
supervisor_t *supervisor_new(const char *program);

/* Stops every worker (supervisor_stop_all with the default grace) and frees; NULLs *sv. */
void supervisor_destroy(supervisor_t **sv);

/* Registers a worker under id with its arguments (argv[0] excluded, NULL-terminated; copied) and
 * starts it at the next supervisor_tick. An id already present is replaced (old one stopped).
 * Returns 0 or -1 on allocation failure. */
int supervisor_add(supervisor_t *sv, const char *id, const char *const *args);

/* Stops the worker for id (SIGTERM now, SIGKILL after the grace period, reaped by tick). */
void supervisor_remove(supervisor_t *sv, const char *id);

/* Reaps children that exited, schedules restarts, starts those due, escalates slow stops.
 * Returns the number of workers started. */
int supervisor_tick(supervisor_t *sv);

/* SIGTERM to all, waits up to timeout_ms for them, SIGKILLs the rest and reaps them. */
void supervisor_stop_all(supervisor_t *sv, int timeout_ms);

/* Fills *info for id; false if unknown. */
bool supervisor_info(const supervisor_t *sv, const char *id, supervisor_info_t *info);

#endif
