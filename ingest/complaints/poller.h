/* poller: fetches events from an agency system that exposes them over HTTP (libsoup-3): a GET of
 * URL every period, optionally with a bearer token; the body is one event, an array of events
 * (the webhook's format) or JSON lines. Everything valid is stored through svc_submit (the same
 * upsert rules make repeated fetches harmless: unchanged items count as duplicates). A failed
 * fetch or an invalid body is counted and logged once per change of reason; nothing is stored
 * from an invalid body.
 *
 * Thread: the GLib main loop (one request in flight at a time). */
#ifndef PANTAU_POLLER_H
#define PANTAU_POLLER_H

#include <stdint.h>

#include "svc.h"

typedef struct poller poller_t;

typedef struct {
    uint64_t fetches, ok, failed, events;
} poller_stats_t;

/* Starts polling url (http:// or https://) now and every period_s. token may be NULL. NULL with
 * the reason in err for a bad URL. svc is borrowed. */
poller_t *poller_new(svc_t *svc, const char *url, const char *token, int period_s, char *err,
                     size_t err_cap);

void poller_destroy(poller_t **p);

const poller_stats_t *poller_stats(const poller_t *p);

#endif
