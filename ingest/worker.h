/* worker: one camera's ingest worker: the GMainLoop that connects the pipeline (GStreamer), the
 * health state machine (pure) and the publisher (ZeroMQ PUB).
 *
 * The main-loop thread owns everything here: it translates GStreamer events (new sample, bus
 * errors, EOS) and timer ticks into health events and executes health's decisions (start a
 * pipeline, tear it down); it pulls the newest sample and publishes it; it publishes a status on
 * every state change and every status_ms. GStreamer's streaming threads only wake it up.
 * It never exits on a camera fault: faults are retried forever with backoff. */
#ifndef PANTAU_INGEST_WORKER_H
#define PANTAU_INGEST_WORKER_H

#include <stddef.h>

#include "config.h"

#define WORKER_TICK_MS 100          /* health tick: stall watchdog and retry resolution */
#define WORKER_SLOW_TEARDOWN_MS 500 /* a teardown slower than this is logged as a warning */

typedef struct worker worker_t;

/* Binds the endpoint and prepares the main loop; the camera is not touched yet. user/password may
 * be NULL and are copied (password registered with the redactor: it never appears in logs or
 * status). Returns NULL with a reason in err when the endpoint cannot be bound. */
worker_t *worker_new(const ingest_config_t *cfg, const char *user, const char *password, char *err,
                     size_t err_cap);

/* Runs until SIGINT or SIGTERM. Returns 0. */
int worker_run(worker_t *w);

/* Tears the pipeline down, closes the socket, frees. Idempotent; NULLs *w. */
void worker_destroy(worker_t **w);

#endif
