/* ptzctl: PTZ requests to a camera worker (see ptzctl.h). A REQ socket per call, LINGER 0, so a
 * dead worker costs at most timeout_ms and leaves nothing queued. */
#include "ptzctl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zmq.h>

int ptzctl_endpoint(const char *ep, char *out, size_t cap)
{
    if (out == NULL || cap == 0)
        return -1;
    out[0] = '\0';
    if (ep == NULL)
        return -1;
    size_t n = strlen(ep);
    if (strncmp(ep, "ipc://", 6) == 0 && n > 6) {
        if (n > 11 && strcmp(ep + n - 5, ".sock") == 0)
            n -= 5;
        if ((size_t)snprintf(out, cap, "%.*s.ptz", (int)n, ep) >= cap)
            return out[0] = '\0', -1;
        return 0;
    }
    const char *colon = strrchr(ep, ':');
    if (strncmp(ep, "tcp://", 6) == 0 && colon != NULL && colon > ep + 6) {
        char *end = NULL;
        long port = strtol(colon + 1, &end, 10);
        if (*end != '\0' || port < 1 || port >= 65535)
            return -1;
        if ((size_t)snprintf(out, cap, "%.*s:%ld", (int)(colon - ep), ep, port + 1) >= cap)
            return out[0] = '\0', -1;
        return 0;
    }
    return -1;
}

/* Splits command into at most PTZCTL_MAX_WORDS words in buf; returns the count, or -1. */
static int ptzctl_split(const char *command, char *buf, size_t cap, char **words)
{
    if (command == NULL || strlen(command) >= cap)
        return -1;
    strcpy(buf, command);
    int n = 0;
    for (char *save = NULL, *w = strtok_r(buf, " \t", &save); w != NULL;
         w = strtok_r(NULL, " \t", &save)) {
        if (n == PTZCTL_MAX_WORDS)
            return -1;
        words[n++] = w;
    }
    return n > 0 ? n : -1;
}

int ptzctl_request(void *zmq_ctx, const char *endpoint, const char *command, int timeout_ms,
                   char *reply, size_t cap)
{
    char buf[256], *words[PTZCTL_MAX_WORDS];
    int rc = -1, linger = 0;
    void *ctx = zmq_ctx != NULL ? zmq_ctx : zmq_ctx_new(), *s = NULL;
    if (reply == NULL || cap == 0)
        return -1;
    snprintf(reply, cap, "error: no answer from %s within %d ms (worker down?)",
             endpoint != NULL ? endpoint : "?", timeout_ms);
    int n = ptzctl_split(command, buf, sizeof buf, words);
    if (n < 0) {
        snprintf(reply, cap, "error: empty or too long PTZ command");
        goto out;
    }
    if (ctx == NULL || endpoint == NULL || (s = zmq_socket(ctx, ZMQ_REQ)) == NULL)
        goto out;
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(s, ZMQ_SNDTIMEO, &timeout_ms, sizeof timeout_ms);
    zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout_ms, sizeof timeout_ms);
    if (zmq_connect(s, endpoint) != 0) {
        snprintf(reply, cap, "error: bad PTZ endpoint %s: %s", endpoint, zmq_strerror(zmq_errno()));
        goto out;
    }
    for (int i = 0; i < n; i++)
        if (zmq_send(s, words[i], strlen(words[i]), i + 1 < n ? ZMQ_SNDMORE : 0) < 0)
            goto out;
    char in[PTZCTL_REPLY_MAX];
    int got = zmq_recv(s, in, sizeof in - 1, 0);
    if (got < 0)
        goto out;
    if (got > (int)sizeof in - 1)
        got = (int)sizeof in - 1;
    in[got] = '\0';
    snprintf(reply, cap, "%s", in);
    rc = strncmp(in, "ok", 2) == 0 ? 0 : 1;
out:
    if (s != NULL)
        zmq_close(s);
    if (ctx != NULL && ctx != zmq_ctx)
        zmq_ctx_term(ctx);
    return rc;
}
