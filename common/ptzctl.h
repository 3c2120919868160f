/* ptzctl: the client side of a camera worker's PTZ socket, for the wall's keys and pantauctl.
 *
 * Every pantau-ingest worker serves PTZ commands on a ZeroMQ REP socket next to its frame
 * endpoint (address rule: ptzctl_endpoint). Request: multipart, one word per part:
 *   caps | move PAN TILT ZOOM (each -1..1, continuous move until stop) | stop | preset TOKEN |
 *   presets
 * Reply: one part, "ok ..." or "error: reason" (a camera without PTZ: "error: camera ID has no
 * PTZ"). Details and examples: docs/onvif.md.
 *
 * Thread-safe as long as each call uses its own socket (it does); the ZeroMQ context may be shared. */
#ifndef PANTAU_COMMON_PTZCTL_H
#define PANTAU_COMMON_PTZCTL_H

#include <stddef.h>

#define PTZCTL_DEFAULT_TIMEOUT_MS 3000 /* a worker answers within its ONVIF deadline (2.5 s) */
#define PTZCTL_MAX_WORDS 8
#define PTZCTL_REPLY_MAX 512
#define PTZCTL_ENDPOINT_MAX 1100

/* The PTZ endpoint of a worker whose frames are on frame_endpoint: ipc://PATH.sock ->
 * ipc://PATH.ptz (any other ipc://PATH -> ipc://PATH.ptz); tcp://HOST:PORT -> tcp://HOST:PORT+1.
 * Returns 0, or -1 (out = "") when the endpoint is not of these forms or PORT+1 > 65535. */
int ptzctl_endpoint(const char *frame_endpoint, char *out, size_t cap);

/* Sends command (words separated by spaces, e.g. "move 0.5 0 0") to the PTZ endpoint and waits at
 * most timeout_ms for the reply, copied into reply (always terminated). zmq_ctx may be NULL (a
 * private context is made and destroyed). Returns 0 for "ok ...", 1 for "error: ..." from the
 * worker, -1 when there was no answer or the command is empty/too long (reply then says why, as
 * "error: ..."). */
int ptzctl_request(void *zmq_ctx, const char *endpoint, const char *command, int timeout_ms,
                   char *reply, size_t cap);

#endif
