/* supervisor: starts the wall's ingest workers (one process per camera), restarts a worker that
 * dies with capped exponential backoff, and stops them all on shutdown (SIGTERM, then SIGKILL
 * after a grace period). Workers get PR_SET_PDEATHSIG so a wall killed with SIGKILL does not
 * leave orphans holding their endpoints.
 *
 * Thread: one owner, the wall's main thread; nothing here blocks except supervisor_stop_all,
 * which waits at most its timeout. Each child's stderr is a pipe the wall reads on every tick:
 * lines are passed on to the wall's stderr unchanged (they carry their own "[ingest ID]" prefix)
 * and the last error line is kept, so a worker that exits at once ("credentials file ... is
 * readable by others") is shown with its reason on the tile, not as a bare restart count. The
 * pipe's write end is non-blocking: a wall that stops reading never stalls a worker. */
#ifndef PANTAU_SUPERVISOR_H
#define PANTAU_SUPERVISOR_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define SUPERVISOR_STOP_GRACE_MS 3000   /* SIGTERM → SIGKILL */
#define SUPERVISOR_STABLE_MS 10000      /* a worker up this long resets its restart backoff */
#define SUPERVISOR_ERROR_MAX 200        /* last error line kept per worker */
#define SUPERVISOR_EXIT_CONFIG 2        /* pantau-ingest's exit status for bad arguments/config */

typedef struct supervisor supervisor_t;

typedef struct {
    bool running;
    pid_t pid;
    uint32_t restarts;      /* times restarted after dying on its own */
    int last_exit;          /* last exit status (>= 0) or -signal; 0 if it never exited */
    uint64_t next_start_ms; /* when not running: CLOCK_MONOTONIC ms of the next start */
    char last_error[SUPERVISOR_ERROR_MAX]; /* the worker's last error line on stderr, without
                                            * timestamp and prefix; "" if none yet */
} supervisor_info_t;

/* The message of one stderr line of a worker if it reports an error, else NULL: for
 * "pantau-ingest: MSG" and "STAMP pantau-ingest [ID] error: MSG" it is MSG. Pure. */
const char *supervisor_error_of_line(const char *line);

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
