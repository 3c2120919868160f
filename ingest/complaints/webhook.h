/* webhook: the HTTP side of pantau-complaints (libsoup-3).
 *
 *   POST /events   Authorization: Bearer TOKEN, Content-Length required, body: one event or an
 *                  array of events (docs/complaints.md). 200 only after the SQLite commit.
 *   GET  /health   counters of what was accepted and refused (no secrets), JSON.
 *
 * Refusals are answered before the body is read where possible (405, 401, 411, 413), otherwise
 * after validation (400), always with {"error": "reason"}; each is counted. Valid requests are
 * paused and committed together in the next main-loop idle (group commit), then answered. A
 * client that goes quiet is disconnected after the idle timeout.
 *
 * Thread: the GLib main loop. */
#ifndef PANTAU_WEBHOOK_H
#define PANTAU_WEBHOOK_H

#include <stddef.h>

#include "svc.h"

#define WEBHOOK_DEFAULT_MAX_BODY (1024 * 1024)
#define WEBHOOK_DEFAULT_IDLE_TIMEOUT_S 10

typedef struct webhook webhook_t;

typedef struct {
    const char *listen;     /* HOST:PORT; PORT 0 picks a free one */
    const char *token;      /* bearer token (copied); required */
    size_t max_body;        /* bytes */
    int idle_timeout_s;
} webhook_opts_t;

/* Starts listening. NULL with the reason in err. svc is borrowed and must outlive it. */
webhook_t *webhook_new(svc_t *svc, const webhook_opts_t *opts, char *err, size_t err_cap);

/* Answers pending requests with 503, stops listening; idempotent, NULLs *wh. */
void webhook_destroy(webhook_t **wh);

/* The port actually bound. */
int webhook_port(const webhook_t *wh);

#endif
