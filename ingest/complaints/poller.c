/* poller: periodic HTTP GET of an agency's events (see poller.h). */
#include "poller.h"

#include <stdio.h>
#include <string.h>

#include <libsoup/soup.h>

#include "log.h"

#define LOG_PREFIX "complaints poll"
#define POLLER_TIMEOUT_S 20
#define POLLER_MAX_BODY (16 * 1024 * 1024)

struct poller {
    svc_t *svc;
    SoupSession *session;
    GCancellable *cancel;
    char *url, *token;
    int period_s;
    guint timer;
    bool busy;
    char last_error[256];
    poller_stats_t stats;
};

static void report(poller_t *p, const char *why)
{
    if (why == NULL) {
        if (p->last_error[0])
            log_info(LOG_PREFIX, "%s: fetching works again", p->url);
        p->last_error[0] = '\0';
        return;
    }
    if (strcmp(why, p->last_error) != 0)
        log_warn(LOG_PREFIX, "%s: %s", p->url, why);
    g_strlcpy(p->last_error, why, sizeof p->last_error);
    p->stats.failed++;
}

/* Body: a JSON object or array, else JSON lines (all lines must be valid). */
static int parse_body(const char *data, size_t len, cev_t **evs, char *err, size_t cap)
{
    int n = cev_parse_batch(data, len, evs, err, cap);
    if (n >= 0 || memchr(data, '\n', len) == NULL)
        return n;
    char *text = g_strndup(data, len);
    char **lines = g_strsplit(text, "\n", -1);
    GArray *all = g_array_new(FALSE, FALSE, sizeof(cev_t));
    n = 0;
    for (int i = 0; lines[i] && n >= 0; i++) {
        g_strstrip(lines[i]);
        if (lines[i][0] == '\0')
            continue;
        cev_t ev;
        char why[400];
        if (cev_parse(lines[i], strlen(lines[i]), &ev, why, sizeof why) != 0) {
            snprintf(err, cap, "line %d: %s", i + 1, why);
            n = -1;
        } else {
            g_array_append_val(all, ev);
        }
    }
    if (n >= 0) {
        n = (int)all->len;
        *evs = (cev_t *)(void *)g_array_free(all, FALSE);
    } else {
        g_array_free(all, TRUE);
    }
    g_strfreev(lines);
    g_free(text);
    return n;
}

static void take(poller_t *p, GBytes *body)
{
    gsize len = 0;
    const char *data = g_bytes_get_data(body, &len);
    cev_t *evs = NULL;
    char err[512], why[600];
    int n = len == 0 ? 0 : len > POLLER_MAX_BODY ? -1 : parse_body(data, len, &evs, err, sizeof err);
    if (len > POLLER_MAX_BODY)
        snprintf(err, sizeof err, "body over %d bytes", POLLER_MAX_BODY);
    if (n < 0) {
        svc_reject(p->svc, SVC_REJ_SCHEMA);
        snprintf(why, sizeof why, "invalid body, nothing stored: %s", err);
        report(p, why);
        return;
    }
    svc_result_t res = {0, 0, 0, 0};
    if (n > 0 && svc_submit(p->svc, evs, n, &res, err, sizeof err) != 0) {
        snprintf(why, sizeof why, "store failed: %s", err);
        report(p, why);
    } else {
        p->stats.ok++;
        p->stats.events += (uint64_t)n;
        report(p, NULL);
        log_debug(LOG_PREFIX, "%s: %d events (%d new, %d updated)", p->url, n, res.added,
                  res.updated);
    }
    g_free(evs);
}

static void on_done(GObject *src, GAsyncResult *res, gpointer ud)
{
    GError *gerr = NULL;
    GBytes *body = soup_session_send_and_read_finish(SOUP_SESSION(src), res, &gerr);
    if (g_error_matches(gerr, G_IO_ERROR, G_IO_ERROR_CANCELLED)) {
        g_error_free(gerr);
        if (body)
            g_bytes_unref(body);
        return; /* p is being destroyed */
    }
    poller_t *p = ud;
    SoupMessage *msg = soup_session_get_async_result_message(SOUP_SESSION(src), res);
    guint status = msg ? soup_message_get_status(msg) : 0;
    p->busy = false;
    char why[300];
    if (body == NULL) {
        snprintf(why, sizeof why, "fetch failed: %s", gerr ? gerr->message : "unknown error");
        report(p, why);
    } else if (status != 200) {
        snprintf(why, sizeof why, "HTTP %u", status);
        report(p, why);
    } else {
        take(p, body);
    }
    if (body)
        g_bytes_unref(body);
    g_clear_error(&gerr);
}

static gboolean fetch(gpointer ud)
{
    poller_t *p = ud;
    if (p->busy)
        return G_SOURCE_CONTINUE;
    SoupMessage *msg = soup_message_new("GET", p->url);
    if (p->token != NULL) {
        char *auth = g_strdup_printf("Bearer %s", p->token);
        soup_message_headers_replace(soup_message_get_request_headers(msg), "Authorization", auth);
        g_free(auth);
    }
    p->busy = true;
    p->stats.fetches++;
    log_debug(LOG_PREFIX, "GET %s", p->url);
    soup_session_send_and_read_async(p->session, msg, G_PRIORITY_DEFAULT, p->cancel, on_done, p);
    g_object_unref(msg);
    return G_SOURCE_CONTINUE;
}

poller_t *poller_new(svc_t *svc, const char *url, const char *token, int period_s, char *err,
                     size_t err_cap)
{
    GUri *u = url ? g_uri_parse(url, G_URI_FLAGS_NONE, NULL) : NULL;
    const char *scheme = u ? g_uri_get_scheme(u) : NULL;
    bool ok = scheme && (strcmp(scheme, "http") == 0 || strcmp(scheme, "https") == 0) &&
              g_uri_get_host(u) && g_uri_get_user(u) == NULL;
    if (u)
        g_uri_unref(u);
    if (!ok) {
        snprintf(err, err_cap, "--poll needs an http:// or https:// URL without user:password@ "
                               "(the token goes in the credentials file)");
        return NULL;
    }
    poller_t *p = g_new0(poller_t, 1);
    p->svc = svc;
    p->url = g_strdup(url);
    p->token = g_strdup(token);
    p->period_s = period_s > 0 ? period_s : 1;
    p->session = soup_session_new_with_options("timeout", POLLER_TIMEOUT_S, NULL);
    p->cancel = g_cancellable_new();
    fetch(p);
    p->timer = g_timeout_add_seconds((guint)p->period_s, fetch, p);
    return p;
}

void poller_destroy(poller_t **pp)
{
    if (pp == NULL || *pp == NULL)
        return;
    poller_t *p = *pp;
    if (p->timer)
        g_source_remove(p->timer);
    g_cancellable_cancel(p->cancel);
    /* Let the cancelled request finish its callback before the session goes. */
    while (p->busy && g_main_context_iteration(NULL, FALSE))
        ;
    g_object_unref(p->session);
    g_object_unref(p->cancel);
    if (p->token)
        memset(p->token, 0, strlen(p->token));
    g_free(p->token);
    g_free(p->url);
    g_free(p);
    *pp = NULL;
}

const poller_stats_t *poller_stats(const poller_t *p)
{
    return &p->stats;
}
