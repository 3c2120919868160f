/* onvif_source: the worker's ONVIF front end. Turns the device-service address (--source
 * http://HOST[:PORT]/PATH) into the RTSP URI of the profile that fits the tile, once per pipeline
 * attempt, in a forked child with a deadline (onvif_job.h), and maps what went wrong onto a health
 * cause and a technician's sentence.
 *
 * Owned by the worker's main-loop thread; the callback runs there. */
#ifndef PANTAU_INGEST_ONVIF_SOURCE_H
#define PANTAU_INGEST_ONVIF_SOURCE_H

#include <stddef.h>

#include "config.h"
#include "health.h"
#include "onvif_client.h"

#define ONVIF_SOURCE_DEFAULT_DEADLINE_MS 8000 /* whole resolution; below the 10 s connect timeout */

typedef struct onvif_source onvif_source_t;

/* r is the complete result (r->error == ONVIF_OK: r->stream_uri and r->why are set); on failure
 * cause and text (redaction still to be applied) say what to report. Called once per resolve. */
typedef void (*onvif_source_done_fn)(void *ud, const onvif_result_t *r, health_cause_t cause,
                                     const char *text);

/* Copies what it needs; user/password may be NULL. NULL when out of memory. */
onvif_source_t *onvif_source_new(const ingest_config_t *cfg, const char *user,
                                 const char *password);

/* Starts a resolution (cancelling one that runs). Returns 0, or -1 with a reason in err. */
int onvif_source_resolve(onvif_source_t *s, onvif_source_done_fn done, void *ud, char *err,
                         size_t err_cap);

/* Stops a running resolution (the child is killed); the callback is not called. */
void onvif_source_cancel(onvif_source_t *s);

/* The last successful result, or NULL before the first. Borrowed. */
const onvif_result_t *onvif_source_last(const onvif_source_t *s);

/* "host:port" of the device ("" when the address cannot be parsed). */
void onvif_source_server(const char *url, char *out, size_t cap);

/* Idempotent; NULLs *s. */
void onvif_source_destroy(onvif_source_t **s);

#endif
