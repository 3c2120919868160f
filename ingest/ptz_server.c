/* ptz_server: PTZ commands for one camera worker (see ptz_server.h). The thread: zmq_poll on the
 * REP socket -> read the words of one request -> answer (ONVIF calls in a forked child) -> send
 * one reply. */
#include "ptz_server.h"

#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <zmq.h>

#include "log.h"
#include "onvif_job.h"
#include "ptzctl.h"

#define PTZ_WORD_MAX 64

struct ptz_server {
    char id[64];
    char prefix[80];
    bool onvif;
    char user[ONVIF_SECRET_MAX], password[ONVIF_SECRET_MAX];
    void *ctx, *rep; /* rep belongs to the thread once it runs */
    GThread *thread;
    atomic_bool stop;
    GMutex lock;          /* guards dev, has_dev, token */
    onvif_result_t dev;
    bool has_dev;
    char token[ONVIF_PROFILE_TOKEN_MAX];
};

typedef struct {
    onvif_result_t dev;
    char user[ONVIF_SECRET_MAX], password[ONVIF_SECRET_MAX];
    char token[ONVIF_PROFILE_TOKEN_MAX];
    char cmd[16], preset[PTZ_WORD_MAX];
    float pan, tilt, zoom;
} ptz_call_t;

typedef struct {
    int error; /* onvif_error_t */
    char msg[256];
} ptz_answer_t;

static void ptz_child(void *shared, const void *arg)
{
    const ptz_call_t *c = arg;
    ptz_answer_t *a = shared;
    a->error = (int)onvif_client_ptz(&c->dev, c->user, c->password, c->token, c->cmd, c->pan,
                                     c->tilt, c->zoom, c->preset, a->msg, sizeof a->msg);
}

static bool ptz_float(const char *w, float *out)
{
    char *end = NULL;
    errno = 0;
    float v = strtof(w, &end);
    if (*w == '\0' || *end != '\0' || errno != 0 || !isfinite(v) || v < -1.0f || v > 1.0f)
        return false;
    *out = v;
    return true;
}

/* Runs one ONVIF PTZ call for the request in words; writes the reply. */
static void ptz_call(ptz_server_t *s, ptz_call_t *c, char *reply, size_t cap)
{
    ptz_answer_t a = {0};
    int signo = 0;
    onvif_job_status_t st =
        onvif_job_run(ptz_child, c, &a, sizeof a, PTZ_SERVER_DEFAULT_DEADLINE_MS, &signo);
    memset(c->password, 0, sizeof c->password);
    a.msg[sizeof a.msg - 1] = '\0';
    if (st == ONVIF_JOB_TIMEOUT)
        snprintf(reply, cap, "error: camera %s did not answer %s within %.1f s", s->id, c->cmd,
                 PTZ_SERVER_DEFAULT_DEADLINE_MS / 1000.0);
    else if (st != ONVIF_JOB_DONE)
        snprintf(reply, cap, "error: the ONVIF client failed on %s (signal %d)", c->cmd, signo);
    else if (a.error != ONVIF_OK)
        snprintf(reply, cap, "error: %s", a.msg);
    else if (strcmp(c->cmd, "move") == 0)
        snprintf(reply, cap, "ok moving %.2f %.2f %.2f", c->pan, c->tilt, c->zoom);
    else if (strcmp(c->cmd, "presets") == 0)
        snprintf(reply, cap, "ok presets%s%s", a.msg[0] != '\0' ? " " : "", a.msg);
    else if (strcmp(c->cmd, "preset") == 0)
        snprintf(reply, cap, "ok preset %s", c->preset);
    else
        snprintf(reply, cap, "ok stopped");
}

static void ptz_handle(ptz_server_t *s, char words[][PTZ_WORD_MAX], int n, char *reply,
                       size_t cap)
{
    ptz_call_t *c = g_new0(ptz_call_t, 1);
    const char *cmd = n > 0 ? words[0] : "";
    bool known = strcmp(cmd, "caps") == 0 || strcmp(cmd, "move") == 0 ||
                 strcmp(cmd, "stop") == 0 || strcmp(cmd, "preset") == 0 ||
                 strcmp(cmd, "presets") == 0;
    g_mutex_lock(&s->lock);
    bool has_dev = s->has_dev, has_ptz = s->has_dev && s->dev.has_ptz;
    if (has_ptz) {
        c->dev = s->dev;
        g_strlcpy(c->token, s->token, sizeof c->token);
    }
    g_mutex_unlock(&s->lock);
    if (!known) {
        snprintf(reply, cap, "error: unknown PTZ command '%.32s' (caps, move PAN TILT ZOOM, "
                             "stop, preset TOKEN, presets)", cmd);
    } else if (!s->onvif || (has_dev && !has_ptz)) {
        snprintf(reply, cap, "error: camera %s has no PTZ", s->id);
    } else if (!has_dev) {
        snprintf(reply, cap, "error: camera %s is not connected yet (no ONVIF answer so far)",
                 s->id);
    } else if (strcmp(cmd, "caps") == 0) {
        snprintf(reply, cap, "ok ptz move stop preset presets");
    } else if (strcmp(cmd, "presets") == 0 && n != 1) {
        snprintf(reply, cap, "error: presets takes no arguments");
    } else if (strcmp(cmd, "move") == 0 &&
               (n != 4 || !ptz_float(words[1], &c->pan) || !ptz_float(words[2], &c->tilt) ||
                !ptz_float(words[3], &c->zoom))) {
        snprintf(reply, cap, "error: move needs PAN TILT ZOOM, each a number from -1 to 1");
    } else if (strcmp(cmd, "preset") == 0 && n != 2) {
        snprintf(reply, cap, "error: preset needs one preset token (e.g. preset 1)");
    } else if (strcmp(cmd, "stop") == 0 && n != 1) {
        snprintf(reply, cap, "error: stop takes no arguments");
    } else {
        g_strlcpy(c->cmd, cmd, sizeof c->cmd);
        if (n == 2)
            g_strlcpy(c->preset, words[1], sizeof c->preset);
        g_strlcpy(c->user, s->user, sizeof c->user);
        g_strlcpy(c->password, s->password, sizeof c->password);
        ptz_call(s, c, reply, cap);
    }
    memset(c->password, 0, sizeof c->password);
    g_free(c);
}

static gpointer ptz_thread(gpointer ud)
{
    ptz_server_t *s = ud;
    char words[PTZCTL_MAX_WORDS][PTZ_WORD_MAX], reply[PTZCTL_REPLY_MAX];
    while (!atomic_load(&s->stop)) {
        zmq_pollitem_t it = {.socket = s->rep, .events = ZMQ_POLLIN};
        if (zmq_poll(&it, 1, PTZ_SERVER_POLL_MS) <= 0 || !(it.revents & ZMQ_POLLIN))
            continue;
        int n = 0, more = 0;
        bool too_many = false;
        do {
            char buf[PTZ_WORD_MAX];
            int got = zmq_recv(s->rep, buf, sizeof buf - 1, 0);
            if (got < 0)
                break;
            if (got > (int)sizeof buf - 1)
                got = (int)sizeof buf - 1; /* cut: an over-long word fails its own check */
            buf[got] = '\0';
            if (n < PTZCTL_MAX_WORDS)
                memcpy(words[n++], buf, (size_t)got + 1);
            else
                too_many = true;
            size_t ml = sizeof more;
            zmq_getsockopt(s->rep, ZMQ_RCVMORE, &more, &ml);
        } while (more);
        if (too_many)
            snprintf(reply, sizeof reply, "error: too many words (at most %d)", PTZCTL_MAX_WORDS);
        else
            ptz_handle(s, words, n, reply, sizeof reply);
        log_debug(s->prefix, "PTZ %s -> %s", n > 0 ? words[0] : "(empty)", reply);
        zmq_send(s->rep, reply, strlen(reply), 0);
    }
    return NULL;
}

ptz_server_t *ptz_server_new(const char *camera_id, const char *frame_endpoint, bool onvif,
                             const char *user, const char *password, char *err, size_t err_cap)
{
    char ep[PTZCTL_ENDPOINT_MAX];
    int linger = 0;
    ptz_server_t *s = g_new0(ptz_server_t, 1);
    g_mutex_init(&s->lock);
    g_strlcpy(s->id, camera_id, sizeof s->id);
    snprintf(s->prefix, sizeof s->prefix, "ingest %s", s->id);
    s->onvif = onvif;
    g_strlcpy(s->user, user != NULL ? user : "", sizeof s->user);
    g_strlcpy(s->password, password != NULL ? password : "", sizeof s->password);
    if (ptzctl_endpoint(frame_endpoint, ep, sizeof ep) != 0) {
        snprintf(err, err_cap, "no PTZ endpoint can be derived from %s", frame_endpoint);
        goto fail;
    }
    if ((s->ctx = zmq_ctx_new()) == NULL || (s->rep = zmq_socket(s->ctx, ZMQ_REP)) == NULL) {
        snprintf(err, err_cap, "cannot create the PTZ socket");
        goto fail;
    }
    zmq_setsockopt(s->rep, ZMQ_LINGER, &linger, sizeof linger);
    if (zmq_bind(s->rep, ep) != 0) {
        snprintf(err, err_cap, "cannot bind the PTZ socket %s: %s", ep, zmq_strerror(zmq_errno()));
        goto fail;
    }
    s->thread = g_thread_new("ptz", ptz_thread, s);
    return s;
fail:
    ptz_server_destroy(&s);
    return NULL;
}

void ptz_server_set_device(ptz_server_t *s, const onvif_result_t *dev, const char *token)
{
    if (s == NULL || dev == NULL)
        return;
    g_mutex_lock(&s->lock);
    s->dev = *dev;
    s->has_dev = true;
    g_strlcpy(s->token, token != NULL ? token : "", sizeof s->token);
    g_mutex_unlock(&s->lock);
}

void ptz_server_destroy(ptz_server_t **sp)
{
    if (sp == NULL || *sp == NULL)
        return;
    ptz_server_t *s = *sp;
    atomic_store(&s->stop, true);
    if (s->thread != NULL)
        g_thread_join(s->thread);
    if (s->rep != NULL)
        zmq_close(s->rep);
    if (s->ctx != NULL)
        zmq_ctx_term(s->ctx);
    g_mutex_clear(&s->lock);
    memset(s->password, 0, sizeof s->password);
    g_free(s);
    *sp = NULL;
}
