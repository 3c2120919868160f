/* cpub: counters over ZeroMQ XPUB (see cpub.h). */
#include "cpub.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <zmq.h>

#include "cmsg.h"

#define CPUB_SNDHWM 16
#define CPUB_LINGER_MS 0

struct cpub {
    void *ctx;
    void *sock;
};

cpub_t *cpub_new(const char *endpoint, char *err, size_t err_cap)
{
    cpub_t *p = g_new0(cpub_t, 1);
    int hwm = CPUB_SNDHWM, linger = CPUB_LINGER_MS, verbose = 1;
    p->ctx = zmq_ctx_new();
    p->sock = p->ctx ? zmq_socket(p->ctx, ZMQ_XPUB) : NULL;
    if (p->sock == NULL) {
        snprintf(err, err_cap, "zmq: %s", zmq_strerror(errno));
        goto fail;
    }
    zmq_setsockopt(p->sock, ZMQ_SNDHWM, &hwm, sizeof hwm);
    zmq_setsockopt(p->sock, ZMQ_LINGER, &linger, sizeof linger);
    /* Every subscription, also a repeated one, so each late wall triggers a resend. */
    zmq_setsockopt(p->sock, ZMQ_XPUB_VERBOSE, &verbose, sizeof verbose);
    if (zmq_bind(p->sock, endpoint) != 0) {
        snprintf(err, err_cap, "cannot bind %s: %s", endpoint, zmq_strerror(errno));
        goto fail;
    }
    return p;
fail:
    cpub_destroy(&p);
    return NULL;
}

void cpub_destroy(cpub_t **pp)
{
    if (pp == NULL || *pp == NULL)
        return;
    if ((*pp)->sock)
        zmq_close((*pp)->sock);
    if ((*pp)->ctx)
        zmq_ctx_term((*pp)->ctx);
    g_free(*pp);
    *pp = NULL;
}

bool cpub_poll_joins(cpub_t *p)
{
    bool joined = false;
    char buf[64];
    int n;
    while ((n = zmq_recv(p->sock, buf, sizeof buf, ZMQ_DONTWAIT)) >= 0)
        joined |= n > 0 && buf[0] == 1;
    return joined;
}

int cpub_send(cpub_t *p, const char *json, size_t len)
{
    if (zmq_send(p->sock, CMSG_TOPIC, strlen(CMSG_TOPIC), ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0)
        return -1;
    return zmq_send(p->sock, json, len, ZMQ_DONTWAIT) < 0 ? -1 : 0;
}
