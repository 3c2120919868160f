/* cpub: publishes the counters message (cmsg.h) on a ZeroMQ XPUB socket. An XPUB sees each new
 * subscription, so a wall that joins late is sent the current state at once (cpub_poll_joins
 * reports it and the caller resends); the caller also resends periodically, which covers a
 * subscription that raced a restart.
 *
 * Thread: one owner (the main loop); never blocks (a full send queue drops, newest wins). */
#ifndef PANTAU_CPUB_H
#define PANTAU_CPUB_H

#include <stdbool.h>
#include <stddef.h>

typedef struct cpub cpub_t;

/* Binds endpoint (ipc:// or tcp://). NULL with the reason in err. */
cpub_t *cpub_new(const char *endpoint, char *err, size_t err_cap);

void cpub_destroy(cpub_t **pub);

/* Reads subscription messages waiting, without blocking; true if a new subscriber arrived. */
bool cpub_poll_joins(cpub_t *pub);

/* Sends [CMSG_TOPIC][json]. Returns 0, or -1 if it could not be queued. */
int cpub_send(cpub_t *pub, const char *json, size_t len);

#endif
