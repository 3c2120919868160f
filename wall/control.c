/* control: the wall's control socket (see control.h). */
#include "control.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zmq.h>

#include "ctlcmd.h"
#include "log.h"

#define CONTROL_REPLY_MAX 65536
#define CONTROL_ENDPOINT_MAX 1100

struct control {
    void *sock;
    char endpoint[CONTROL_ENDPOINT_MAX];
    uint64_t requests, rejected;
    bool pending; /* a PTZ request is out: its answer is the reply (REP: one at a time) */
};

control_t *control_new(void *zmq_ctx, const char *endpoint, char *err, size_t err_cap)
{
    control_t *c = calloc(1, sizeof *c);
    if (c == NULL) {
        snprintf(err, err_cap, "out of memory");
        return NULL;
    }
    snprintf(c->endpoint, sizeof c->endpoint, "%s", endpoint);
    int linger = 0, hwm = 16;
    c->sock = zmq_socket(zmq_ctx, ZMQ_REP);
    if (c->sock == NULL) {
        snprintf(err, err_cap, "cannot create the control socket: %s", zmq_strerror(errno));
        goto fail;
    }
    zmq_setsockopt(c->sock, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(c->sock, ZMQ_RCVHWM, &hwm, sizeof hwm);
    /* Only the wall's user may connect: the ipc socket file is created owner-only. */
    mode_t old = umask(0077);
    int rc = zmq_bind(c->sock, endpoint);
    umask(old);
    if (rc != 0) {
        snprintf(err, err_cap, "cannot bind the control socket %s: %s%s", endpoint,
                 zmq_strerror(errno),
                 errno == EADDRINUSE ? " (another wall uses this layout's socket: set control= "
                                       "in [wall])"
                                     : "");
        goto fail;
    }
    if (strncmp(endpoint, "ipc://", 6) == 0)
        chmod(endpoint + 6, 0600);
    else if (strncmp(endpoint, "tcp://127.", 10) != 0 && strncmp(endpoint, "tcp://localhost", 15))
        log_warn("control", "control socket %s is reachable from other hosts: anyone who can "
                            "connect can drive the wall", endpoint);
    return c;
fail:
    control_destroy(&c);
    return NULL;
}

void control_destroy(control_t **cp)
{
    if (cp == NULL || *cp == NULL)
        return;
    if ((*cp)->sock != NULL)
        zmq_close((*cp)->sock);
    free(*cp);
    *cp = NULL;
}

void *control_socket(control_t *ctl)
{
    return ctl->pending ? NULL : ctl->sock; /* not polled while the reply waits on a camera */
}

const char *control_endpoint(const control_t *ctl)
{
    return ctl->endpoint;
}

uint64_t control_requests(const control_t *ctl)
{
    return ctl->requests;
}

uint64_t control_rejected(const control_t *ctl)
{
    return ctl->rejected;
}

/* ---- commands -------------------------------------------------------------------------------- */

static int need_camera(wall_t *w, const char *id, char *out, size_t cap)
{
    int cam = wall_find_camera(w, id);
    if (cam < 0)
        snprintf(out, cap, "error: no camera '%s' in this layout", id);
    return cam;
}

static bool do_page(wall_t *w, const ctl_cmd_t *cmd, char *out, size_t cap)
{
    const layout_t *L = wall_layout(w);
    if (cmd->page_step != 0) {
        wall_page_step(w, cmd->page_step);
    } else {
        int p = layout_find_page(L, cmd->target);
        if (p < 0) {
            snprintf(out, cap, "error: no page '%s' (%d page%s%s)", cmd->target,
                     layout_page_count(L), layout_page_count(L) == 1 ? "" : "s",
                     L->n_pages == 0 ? ": the layout has no [page] sections" : "");
            return false;
        }
        wall_page_set(w, p);
    }
    int p = wall_page(w);
    snprintf(out, cap, "ok\npage %d/%d %s", p + 1, layout_page_count(L),
             L->n_pages > 0 ? L->pages[p].label : "");
    return true;
}

static bool do_focus(wall_t *w, const ctl_cmd_t *cmd, char *out, size_t cap)
{
    if (strcmp(cmd->target, "none") == 0) {
        wall_focus(w, -1);
        snprintf(out, cap, "ok\nfocus ended");
        return true;
    }
    int cam = need_camera(w, cmd->target, out, cap);
    if (cam < 0)
        return false;
    wall_focus(w, cam);
    snprintf(out, cap, "ok\ncamera %s focused", cmd->target);
    return true;
}

static bool do_alarm(wall_t *w, const ctl_cmd_t *cmd, char *out, size_t cap)
{
    int cam = need_camera(w, cmd->target, out, cap);
    if (cam < 0)
        return false;
    wall_alarm(w, cam, cmd->text);
    snprintf(out, cap, "ok\nalarm on camera %s%s", cmd->target,
             wall_focused(w) == cam ? " (in the spotlight)" : "");
    return true;
}

static bool do_ack(wall_t *w, const ctl_cmd_t *cmd, char *out, size_t cap)
{
    int cam = -1;
    if (strcmp(cmd->target, "all") != 0 && (cam = need_camera(w, cmd->target, out, cap)) < 0)
        return false;
    if (cam >= 0 && !wall_camera_alarmed(w, cam)) {
        snprintf(out, cap, "error: camera %s has no alarm to acknowledge", cmd->target);
        return false;
    }
    int n = wall_ack(w, cam);
    snprintf(out, cap, "ok\n%d alarm%s acknowledged", n, n == 1 ? "" : "s");
    return true;
}

static bool do_reload(wall_t *w, const control_hooks_t *hooks, char *out, size_t cap)
{
    wall_reload_t r = hooks->reload != NULL ? hooks->reload(hooks->ud) : wall_reload(w, true);
    if (r == WALL_RELOAD_REJECTED) {
        const char *b = wall_banner(w);
        snprintf(out, cap, "error: layout edit rejected, last good layout kept:\n%s",
                 b != NULL ? b : "");
        return false;
    }
    snprintf(out, cap, "ok\nlayout reloaded: %d cameras", wall_layout(w)->n_cameras);
    return true;
}

static bool do_snapshot(const ctl_cmd_t *cmd, const control_hooks_t *hooks, const wall_t *w,
                        char *out, size_t cap)
{
    char err[512] = "no renderer";
    if (hooks->snapshot == NULL || hooks->snapshot(hooks->ud, cmd->text, err, sizeof err) != 0) {
        snprintf(out, cap, "error: snapshot to %s failed: %s", cmd->text, err);
        return false;
    }
    const layout_t *L = w != NULL ? wall_layout(w) : NULL; /* NULL: a review window */
    if (L != NULL && L->screen_mode == LAYOUT_SCREENS_WINDOWS && L->screens > 1)
        snprintf(out, cap, "ok\nwritten %s (%d screens side by side; each screen also to its own "
                           "file, NAME-screen1.png to NAME-screen%d.png)",
                 cmd->text, L->screens, L->screens);
    else
        snprintf(out, cap, "ok\nwritten %s", cmd->text);
    return true;
}

typedef enum { CTL_DONE_ERROR = 0, CTL_DONE_OK = 1, CTL_DEFERRED = 2 } ctl_done_t;

/* A review window (pantau-wall --review) has no cameras: it answers review, snapshot, status
 * (the review's) and help. */
static ctl_done_t execute_review(const ctl_cmd_t *cmd, const control_hooks_t *hooks, char *out,
                                 size_t cap)
{
    ctl_cmd_t st;
    switch (cmd->verb) {
    case CTL_SNAPSHOT: return do_snapshot(cmd, hooks, NULL, out, cap);
    case CTL_HELP: snprintf(out, cap, "ok\n%s", ctlcmd_help()); return CTL_DONE_OK;
    case CTL_STATUS:
        st = *cmd;
        st.verb = CTL_REVIEW;
        st.review_op = CTL_REVIEW_STATUS;
        return hooks->review(hooks->ud, &st, out, cap) ? CTL_DONE_OK : CTL_DONE_ERROR;
    case CTL_REVIEW:
        return hooks->review(hooks->ud, cmd, out, cap) ? CTL_DONE_OK : CTL_DONE_ERROR;
    default:
        snprintf(out, cap, "error: this is an incident review window (pantau-wall --review): it "
                           "answers review, snapshot, status and help; drive the live wall with "
                           "pantauctl --socket");
        return CTL_DONE_ERROR;
    }
}

static ctl_done_t execute(wall_t *w, const ctl_cmd_t *cmd, const control_hooks_t *hooks,
                          char *out, size_t cap)
{
    if (w == NULL)
        return execute_review(cmd, hooks, out, cap);
    switch (cmd->verb) {
    case CTL_STATUS: {
        char *table = wall_status_table(w);
        snprintf(out, cap, "ok\n%s", table != NULL ? table : "");
        free(table);
        return table != NULL;
    }
    case CTL_PAGE: return do_page(w, cmd, out, cap);
    case CTL_FOCUS: return do_focus(w, cmd, out, cap);
    case CTL_ALARM: return do_alarm(w, cmd, out, cap);
    case CTL_ACK: return do_ack(w, cmd, out, cap);
    case CTL_RELOAD: return do_reload(w, hooks, out, cap);
    case CTL_SNAPSHOT: return do_snapshot(cmd, hooks, w, out, cap);
    case CTL_PTZ: {
        int cam = need_camera(w, cmd->target, out, cap);
        if (cam < 0)
            return false;
        char msg[CTLCMD_TEXT_MAX];
        if (wall_ptz(w, cam, cmd->ptz_op, cmd->pan, cmd->tilt, cmd->zoom, cmd->preset, true, msg,
                     sizeof msg) == 0)
            return CTL_DEFERRED; /* the worker's answer is the reply */
        snprintf(out, cap, "error: %s", msg);
        return CTL_DONE_ERROR;
    }
    case CTL_HELP: snprintf(out, cap, "ok\n%s", ctlcmd_help()); return true;
    case CTL_REVIEW:
        snprintf(out, cap, "error: incidents are reviewed in a review window: start "
                           "pantau-wall --review LAYOUT (pantauctl review ... finds its socket)");
        return CTL_DONE_ERROR;
    }
    snprintf(out, cap, "error: unknown command");
    return false;
}

/* Reads one request (all its parts). Returns the number of parts, 0 when none was waiting, or
 * -1 when it had too many parts (the rest was read and dropped). */
static int read_request(control_t *c, zmq_msg_t *parts, int max)
{
    int n = 0, more = 1;
    size_t more_len = sizeof more;
    while (more) {
        zmq_msg_t m;
        zmq_msg_init(&m);
        if (zmq_msg_recv(&m, c->sock, n == 0 ? ZMQ_DONTWAIT : 0) < 0) {
            zmq_msg_close(&m);
            break;
        }
        zmq_getsockopt(c->sock, ZMQ_RCVMORE, &more, &more_len);
        if (n < max)
            parts[n] = m;
        else
            zmq_msg_close(&m);
        n++;
    }
    return n > max ? -1 : n;
}

static void send_reply(control_t *c, const char *reply, bool ok)
{
    c->requests++;
    if (!ok) {
        c->rejected++;
        log_info("control", "request refused: %.200s", reply + 7);
    }
    if (zmq_send(c->sock, reply, strlen(reply), 0) < 0)
        log_warn("control", "cannot answer a request: %s", zmq_strerror(errno));
}

bool control_pending(const control_t *ctl)
{
    return ctl != NULL && ctl->pending;
}

void control_handle(control_t *c, wall_t *w, const control_hooks_t *hooks)
{
    static char reply[CONTROL_REPLY_MAX];
    if (w != NULL && wall_ptz_answers(w, reply, sizeof reply) && c->pending) {
        c->pending = false;
        send_reply(c, reply, strncmp(reply, "ok", 2) == 0);
    }
    while (!c->pending) {
        zmq_msg_t parts[CTLCMD_MAX_PARTS];
        int n = read_request(c, parts, CTLCMD_MAX_PARTS);
        if (n == 0)
            return;
        char err[512];
        ctl_cmd_t cmd;
        ctl_done_t ok;
        if (n < 0) {
            snprintf(reply, sizeof reply, "error: a request has at most %d parts",
                     CTLCMD_MAX_PARTS);
            ok = CTL_DONE_ERROR;
            n = CTLCMD_MAX_PARTS;
        } else {
            const uint8_t *data[CTLCMD_MAX_PARTS];
            size_t lens[CTLCMD_MAX_PARTS];
            for (int i = 0; i < n; i++) {
                data[i] = zmq_msg_data(&parts[i]);
                lens[i] = zmq_msg_size(&parts[i]);
            }
            ok = ctlcmd_parse_parts(n, data, lens, &cmd, err, sizeof err) ? CTL_DONE_OK
                                                                             : CTL_DONE_ERROR;
            if (ok == CTL_DONE_ERROR)
                snprintf(reply, sizeof reply, "error: %s", err);
            else
                ok = execute(w, &cmd, hooks, reply, sizeof reply);
        }
        for (int i = 0; i < n; i++)
            zmq_msg_close(&parts[i]);
        if (ok == CTL_DEFERRED)
            c->pending = true;
        else
            send_reply(c, reply, ok == CTL_DONE_OK);
    }
}
