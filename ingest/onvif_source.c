/* onvif_source: device address -> RTSP URI for one worker (see onvif_source.h). Main-loop thread
 * only; the libonvif calls themselves run in the forked child of onvif_job. */
#include "onvif_source.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "onvif_job.h"

struct onvif_source {
    onvif_request_t rq; /* holds the password: wiped on destroy */
    onvif_job_t *job;
    onvif_result_t last;
    bool has_last;
    onvif_source_done_fn done;
    void *ud;
};

static void onvif_source_child(void *shared, const void *arg)
{
    onvif_client_resolve(arg, shared);
}

static health_cause_t onvif_source_cause(onvif_error_t e)
{
    switch (e) {
    case ONVIF_ERR_REFUSED:
        return HEALTH_CAUSE_REFUSED;
    case ONVIF_ERR_TIMEOUT:
        return HEALTH_CAUSE_OTHER; /* our own words: the step that hung */
    case ONVIF_ERR_AUTH:
    case ONVIF_ERR_NO_PROFILE:
    case ONVIF_ERR_ADDRESS:
        return HEALTH_CAUSE_SETUP;
    default:
        return HEALTH_CAUSE_OTHER;
    }
}

static void onvif_source_on_done(void *ud, onvif_job_status_t st, int signo, void *shared)
{
    onvif_source_t *s = ud;
    onvif_result_t *r = shared;
    onvif_result_t res;
    memcpy(&res, r, sizeof res);
    onvif_job_cancel(&s->job); /* frees the mapping (copied above) and the job */
    res.message[sizeof res.message - 1] = '\0';
    res.step[sizeof res.step - 1] = '\0';
    res.server[sizeof res.server - 1] = '\0';
    if (st == ONVIF_JOB_TIMEOUT) {
        res.error = ONVIF_ERR_TIMEOUT;
        snprintf(res.message, sizeof res.message,
                 "ONVIF device %s did not answer %s within %.1f s",
                 res.server[0] != '\0' ? res.server : "?", res.step[0] ? res.step : "the call",
                 ONVIF_SOURCE_DEFAULT_DEADLINE_MS / 1000.0);
    } else if (st != ONVIF_JOB_DONE) {
        res.error = ONVIF_ERR_CRASHED;
        snprintf(res.message, sizeof res.message,
                 "the ONVIF client died (signal %d) reading the answer of %s to %s: malformed "
                 "SOAP?", signo, res.server[0] != '\0' ? res.server : "?",
                 res.step[0] ? res.step : "a call");
    }
    if (res.error == ONVIF_OK) {
        s->last = res;
        s->has_last = true;
    }
    s->done(s->ud, &res, onvif_source_cause(res.error), res.message);
}

onvif_source_t *onvif_source_new(const ingest_config_t *cfg, const char *user,
                                 const char *password)
{
    onvif_source_t *s = g_new0(onvif_source_t, 1);
    snprintf(s->rq.url, sizeof s->rq.url, "%s", cfg->source);
    snprintf(s->rq.user, sizeof s->rq.user, "%s", user != NULL ? user : "");
    snprintf(s->rq.password, sizeof s->rq.password, "%s", password != NULL ? password : "");
    s->rq.tile_w = cfg->width;
    s->rq.tile_h = cfg->height;
    s->rq.fit = cfg->fit;
    snprintf(s->rq.want, sizeof s->rq.want, "%s", cfg->profile);
    return s;
}

int onvif_source_resolve(onvif_source_t *s, onvif_source_done_fn done, void *ud, char *err,
                         size_t err_cap)
{
    onvif_job_cancel(&s->job);
    s->done = done;
    s->ud = ud;
    s->job = onvif_job_start(onvif_source_child, &s->rq, sizeof(onvif_result_t),
                             ONVIF_SOURCE_DEFAULT_DEADLINE_MS, onvif_source_on_done, s, err,
                             err_cap);
    return s->job != NULL ? 0 : -1;
}

void onvif_source_cancel(onvif_source_t *s)
{
    if (s != NULL)
        onvif_job_cancel(&s->job);
}

const onvif_result_t *onvif_source_last(const onvif_source_t *s)
{
    return s != NULL && s->has_last ? &s->last : NULL;
}

void onvif_source_server(const char *url, char *out, size_t cap)
{
    char host[256], path[ONVIF_URL_MAX], err[200];
    int port = 0;
    out[0] = '\0';
    if (onvif_url_split(url, host, sizeof host, &port, path, sizeof path, err, sizeof err) == 0)
        snprintf(out, cap, "%s:%d", host, port);
}

void onvif_source_destroy(onvif_source_t **sp)
{
    if (sp == NULL || *sp == NULL)
        return;
    onvif_source_t *s = *sp;
    onvif_job_cancel(&s->job);
    memset(s->rq.password, 0, sizeof s->rq.password);
    g_free(s);
    *sp = NULL;
}
