/* ptz_server: a worker's PTZ command socket (ZeroMQ REP at ptzctl_endpoint(frame endpoint); the
 * protocol is in common/ptzctl.h and docs/onvif.md). Every worker has one, so a camera without PTZ
 * answers "error: camera ID has no PTZ" instead of leaving the operator's key unanswered.
 *
 * Threads: the socket belongs to the server's own thread, which waits for requests and runs each
 * ONVIF PTZ call in a forked child with a deadline (onvif_job_run), so a hung camera delays only
 * PTZ replies, never frames. The main-loop thread hands it the resolved device (set_device); a
 * mutex guards that copy. */
#ifndef PANTAU_INGEST_PTZ_SERVER_H
#define PANTAU_INGEST_PTZ_SERVER_H

#include <stdbool.h>
#include <stddef.h>

#include "onvif_client.h"

#define PTZ_SERVER_DEFAULT_DEADLINE_MS 2500 /* one ONVIF PTZ call */
#define PTZ_SERVER_POLL_MS 200              /* how often the thread checks for shutdown */

typedef struct ptz_server ptz_server_t;

/* Binds the REP socket and starts the thread. onvif: whether the camera is an ONVIF one (else
 * every command is answered "has no PTZ"). user/password are copied (password wiped on destroy).
 * Returns NULL with a reason in err when the endpoint cannot be derived or bound. */
ptz_server_t *ptz_server_new(const char *camera_id, const char *frame_endpoint, bool onvif,
                             const char *user, const char *password, char *err, size_t err_cap);

/* Main thread: the device as last resolved (copied) and the profile token PTZ commands name. */
void ptz_server_set_device(ptz_server_t *s, const onvif_result_t *dev, const char *token);

/* Stops the thread (within PTZ_SERVER_POLL_MS plus a running call's deadline), closes, frees.
 * Idempotent; NULLs *s. */
void ptz_server_destroy(ptz_server_t **s);

#endif
