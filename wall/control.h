/* control: the wall's control socket, the other end of pantauctl (commands in ctlcmd.h).
 *
 * A ZeroMQ REP socket bound to the layout's control= endpoint, by default
 * ipc://ENDPOINT_DIR/wall-NAME.ctl (NAME: the layout file's name without .ini), made owner-only
 * (chmod 600; its folder is 0700). The wall's loop polls it with the camera feeds, so a request is
 * answered within a frame period while the wall renders. Bad requests get "error: reason" and are
 * counted; nothing a client sends can stop the wall.
 *
 * Thread: the wall's main thread only. */
#ifndef PANTAU_CONTROL_H
#define PANTAU_CONTROL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "wall.h"

typedef struct control control_t;

/* What the wall's owner (main.c) does for commands that need the renderer or the window. */
typedef struct {
    /* Writes the wall as PNG to path now; 0 or -1 with a reason in err. */
    int (*snapshot)(void *ud, const char *path, char *err, size_t err_cap);
    /* Re-reads the layout now (and rebuilds the output if the canvas changed). */
    wall_reload_t (*reload)(void *ud);
    /* A review window's answer to a review command (wall == NULL in control_handle): true with
     * "ok..." in out, or false with "error: ..." in out. */
    bool (*review)(void *ud, const ctl_cmd_t *cmd, char *out, size_t cap);
    void *ud;
} control_hooks_t;

/* Binds the socket. NULL with a reason in err when it cannot (e.g. another wall holds it). */
control_t *control_new(void *zmq_ctx, const char *endpoint, char *err, size_t err_cap);
void control_destroy(control_t **ctl);

void *control_socket(control_t *ctl);
const char *control_endpoint(const control_t *ctl);

/* True while a reply waits on a camera (PTZ): call control_handle every loop turn then, since
 * control_socket returns NULL (the socket is not polled until the reply is sent). */
bool control_pending(const control_t *ctl);

/* Answers every request waiting (never blocks), and a pending PTZ reply once it came back.
 * wall NULL: a review window (pantau-wall --review): hooks->review answers review commands. */
void control_handle(control_t *ctl, wall_t *wall, const control_hooks_t *hooks);

/* Requests answered, and those refused as malformed or invalid. */
uint64_t control_requests(const control_t *ctl);
uint64_t control_rejected(const control_t *ctl);

#endif
