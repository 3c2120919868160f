/* onvif_job: runs a blocking ONVIF call (onvif_client.h) in a forked child with a deadline, so a
 * device that hangs libonvif costs a killed child, never a stuck worker.
 *
 * The child writes its result into a shared anonymous mapping (MAP_SHARED) that the parent reads
 * after the child ends: no pipe protocol, and a partial result (which step was running) survives a
 * kill. The child gets PR_SET_PDEATHSIG(SIGKILL), default signal handlers, and leaves with _exit
 * (no atexit handlers, no stdio flush of the parent's buffers).
 *
 * Two ways to run one:
 * - onvif_job_start: asynchronous, on the calling thread's GLib main context (a child watch and a
 *   deadline timer); `done` is called once on that thread, unless the job is cancelled first.
 * - onvif_job_run: synchronous, any thread; waits (polling) up to the deadline.
 * Each job is owned by the thread that started it. */
#ifndef PANTAU_INGEST_ONVIF_JOB_H
#define PANTAU_INGEST_ONVIF_JOB_H

#include <stddef.h>

typedef enum {
    ONVIF_JOB_DONE = 0, /* the child returned; the shared result is complete */
    ONVIF_JOB_TIMEOUT,  /* killed at the deadline; the shared result is partial */
    ONVIF_JOB_CRASHED,  /* the child died on a signal or exited non-zero; partial */
    ONVIF_JOB_FAILED,   /* could not fork or map memory */
} onvif_job_status_t;

/* Runs in the child: fills shared (size bytes, zeroed) from arg. */
typedef void (*onvif_job_fn)(void *shared, const void *arg);

/* Called on the main context's thread when the job ends. shared is valid during the call only.
 * signo is the signal that killed the child (ONVIF_JOB_CRASHED), else 0. */
typedef void (*onvif_job_done_fn)(void *ud, onvif_job_status_t st, int signo, void *shared);

typedef struct onvif_job onvif_job_t;

/* Forks the child now. Returns NULL (err set) when fork or mmap fails. */
onvif_job_t *onvif_job_start(onvif_job_fn fn, const void *arg, size_t size, int deadline_ms,
                             onvif_job_done_fn done, void *ud, char *err, size_t err_cap);

/* Kills the child if it still runs, reaps it, frees; `done` is not called. Idempotent; NULLs *j.
 * Safe from inside `done` (the job is then simply freed). */
void onvif_job_cancel(onvif_job_t **j);

/* Synchronous: runs fn in a child and waits at most deadline_ms; copies the shared result into
 * out (size bytes) in every case. *signo as above (may be NULL). */
onvif_job_status_t onvif_job_run(onvif_job_fn fn, const void *arg, void *out, size_t size,
                                 int deadline_ms, int *signo);

#endif
