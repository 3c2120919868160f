/* webhook: POST /events and GET /health over libsoup-3 (see webhook.h). */
#include "webhook.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "log.h"

#define LOG_PREFIX "complaints http"

typedef struct {
    SoupServerMessage *msg;
    cev_t *evs;
    int n;
} pending_t;

struct webhook {
    svc_t *svc;
    SoupServer *srv;
    char *token;
    size_t max_body;
    int idle_timeout_s;
    int port;
    GPtrArray *pending; /* pending_t*, paused messages waiting for the group commit */
    guint commit_id;
};

static void respond(SoupServerMessage *msg, guint status, JsonBuilder *b)
{
    JsonNode *root = json_builder_get_root(b);
    char *body = json_to_string(root, FALSE);
    json_node_unref(root);
    g_object_unref(b);
    soup_server_message_set_status(msg, status, NULL);
    soup_server_message_set_response(msg, "application/json", SOUP_MEMORY_TAKE, body, strlen(body));
}

static void refuse(webhook_t *wh, SoupServerMessage *msg, guint status, svc_reject_t why,
                   const char *reason)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    json_builder_set_member_name(b, "error");
    json_builder_add_string_value(b, reason);
    json_builder_end_object(b);
    respond(msg, status, b);
    svc_reject(wh->svc, why);
    log_debug(LOG_PREFIX, "refused %u: %s", status, reason);
}

/* Constant-time comparison, so the token cannot be guessed byte by byte from timings. */
static bool token_ok(const webhook_t *wh, const char *header)
{
    if (header == NULL || g_ascii_strncasecmp(header, "Bearer ", 7) != 0)
        return false;
    const char *given = header + 7;
    size_t a = strlen(given), b = strlen(wh->token);
    unsigned diff = (unsigned)(a ^ b);
    for (size_t i = 0; i < a && i < b; i++)
        diff |= (unsigned)(given[i] ^ wh->token[i]);
    return diff == 0 && a > 0;
}

/* After the headers, before the body: method, token, length. */
static void early_events(SoupServer *srv, SoupServerMessage *msg, const char *path,
                         GHashTable *query, gpointer ud)
{
    (void)srv, (void)path, (void)query;
    webhook_t *wh = ud;
    SoupMessageHeaders *h = soup_server_message_get_request_headers(msg);
    char why[160];
    if (strcmp(soup_server_message_get_method(msg), "POST") != 0) {
        soup_message_headers_replace(soup_server_message_get_response_headers(msg), "Allow", "POST");
        refuse(wh, msg, 405, SVC_REJ_METHOD, "use POST for /events");
        return;
    }
    if (!token_ok(wh, soup_message_headers_get_one(h, "Authorization"))) {
        soup_message_headers_replace(soup_server_message_get_response_headers(msg),
                                     "WWW-Authenticate", "Bearer");
        refuse(wh, msg, 401, SVC_REJ_AUTH, "missing or wrong bearer token (Authorization: Bearer ...)");
        return;
    }
    if (soup_message_headers_get_encoding(h) != SOUP_ENCODING_CONTENT_LENGTH) {
        refuse(wh, msg, 411, SVC_REJ_LENGTH, "Content-Length required (no chunked bodies)");
        return;
    }
    goffset len = soup_message_headers_get_content_length(h);
    if (len > (goffset)wh->max_body) {
        snprintf(why, sizeof why, "body of %lld bytes is over the limit of %zu",
                 (long long)len, wh->max_body);
        refuse(wh, msg, 413, SVC_REJ_SIZE, why);
    }
}

static void pending_free(gpointer p)
{
    pending_t *pe = p;
    g_free(pe->evs);
    g_object_unref(pe->msg);
    g_free(pe);
}

static void answer_ok(SoupServerMessage *msg, int n, const svc_result_t *r)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    const char *names[] = {"events", "new", "updated", "duplicate", "stale"};
    int vals[] = {n, r->added, r->updated, r->duplicates, r->stale};
    for (int i = 0; i < 5; i++) {
        json_builder_set_member_name(b, names[i]);
        json_builder_add_int_value(b, vals[i]);
    }
    json_builder_set_member_name(b, "stored");
    json_builder_add_boolean_value(b, TRUE);
    json_builder_end_object(b);
    respond(msg, 200, b);
}

/* The group commit: every request validated since the last one, in one transaction. */
static gboolean commit_pending(gpointer ud)
{
    webhook_t *wh = ud;
    wh->commit_id = 0;
    guint nb = wh->pending->len;
    if (nb == 0)
        return G_SOURCE_REMOVE;
    const cev_t **evs = g_new(const cev_t *, nb);
    int *ns = g_new(int, nb);
    svc_result_t *res = g_new0(svc_result_t, nb);
    for (guint i = 0; i < nb; i++) {
        pending_t *pe = g_ptr_array_index(wh->pending, i);
        evs[i] = pe->evs;
        ns[i] = pe->n;
    }
    char err[256];
    int rc = svc_submit_batches(wh->svc, evs, ns, (int)nb, res, err, sizeof err);
    if (rc != 0)
        log_error(LOG_PREFIX, "commit of %u requests failed, answering 503: %s", nb, err);
    for (guint i = 0; i < nb; i++) {
        pending_t *pe = g_ptr_array_index(wh->pending, i);
        if (rc == 0)
            answer_ok(pe->msg, pe->n, &res[i]);
        else {
            JsonBuilder *b = json_builder_new();
            json_builder_begin_object(b);
            json_builder_set_member_name(b, "error");
            json_builder_add_string_value(b, "storage failed, nothing stored: retry");
            json_builder_end_object(b);
            respond(pe->msg, 503, b);
        }
        soup_server_message_unpause(pe->msg);
    }
    g_ptr_array_set_size(wh->pending, 0);
    g_free(evs);
    g_free(ns);
    g_free(res);
    return G_SOURCE_REMOVE;
}

static void handle_events(SoupServer *srv, SoupServerMessage *msg, const char *path,
                          GHashTable *query, gpointer ud)
{
    (void)srv, (void)path, (void)query;
    webhook_t *wh = ud;
    SoupMessageBody *body = soup_server_message_get_request_body(msg);
    GBytes *bytes = soup_message_body_flatten(body);
    gsize len = 0;
    const char *data = g_bytes_get_data(bytes, &len);
    cev_t *evs = NULL;
    char err[512];
    int n = len > 0 && len <= wh->max_body
                ? cev_parse_batch(data ? data : "", len, &evs, err, sizeof err) : -1;
    if (len == 0)
        snprintf(err, sizeof err, "empty body (expected a JSON object or array of objects)");
    g_bytes_unref(bytes);
    if (n < 0) {
        bool json = strncmp(err, "malformed", 9) == 0 || strncmp(err, "body is not", 11) == 0 ||
                    strncmp(err, "empty", 5) == 0;
        refuse(wh, msg, 400, json ? SVC_REJ_JSON : SVC_REJ_SCHEMA, err);
        return;
    }
    pending_t *pe = g_new(pending_t, 1);
    pe->msg = g_object_ref(msg);
    pe->evs = evs;
    pe->n = n;
    g_ptr_array_add(wh->pending, pe);
    soup_server_message_pause(msg);
    if (wh->commit_id == 0)
        wh->commit_id = g_idle_add(commit_pending, wh);
}

static void handle_health(SoupServer *srv, SoupServerMessage *msg, const char *path,
                          GHashTable *query, gpointer ud)
{
    (void)srv, (void)query;
    webhook_t *wh = ud;
    if (strcmp(path, "/health") != 0) {
        refuse(wh, msg, 404, SVC_REJ_METHOD, "unknown path (POST /events, GET /health)");
        return;
    }
    const svc_stats_t *s = svc_stats(wh->svc);
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    const char *names[] = {"items", "requests", "events", "new", "updated", "duplicate", "stale",
                           "commits", "commit_us_max"};
    uint64_t vals[] = {svc_items(wh->svc), s->requests, s->events, s->added, s->updated,
                       s->duplicates, s->stale, s->commits, s->commit_us_max};
    for (int i = 0; i < 9; i++) {
        json_builder_set_member_name(b, names[i]);
        json_builder_add_int_value(b, (gint64)vals[i]);
    }
    json_builder_set_member_name(b, "rejected");
    json_builder_begin_object(b);
    for (int i = 0; i < SVC_REJ_COUNT_; i++) {
        json_builder_set_member_name(b, svc_reject_name((svc_reject_t)i));
        json_builder_add_int_value(b, (gint64)s->rejected[i]);
    }
    json_builder_end_object(b);
    json_builder_end_object(b);
    respond(msg, 200, b);
}

/* A slow or silent client is cut off after the idle timeout (GSocket's timeout applies to the
 * sources libsoup waits on). */
static void on_request_started(SoupServer *srv, SoupServerMessage *msg, gpointer ud)
{
    (void)srv;
    webhook_t *wh = ud;
    GSocket *sock = soup_server_message_get_socket(msg);
    if (sock != NULL)
        g_socket_set_timeout(sock, (guint)wh->idle_timeout_s);
}

static bool parse_listen(const char *s, char *host, size_t cap, int *port)
{
    const char *colon = s ? strrchr(s, ':') : NULL;
    char *end = NULL;
    if (colon == NULL || (size_t)(colon - s) >= cap || colon == s)
        return false;
    long p = strtol(colon + 1, &end, 10);
    if (end == colon + 1 || *end != '\0' || p < 0 || p > 65535)
        return false;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = '\0';
    *port = (int)p;
    return true;
}

webhook_t *webhook_new(svc_t *svc, const webhook_opts_t *o, char *err, size_t err_cap)
{
    char host[128];
    int port = 0;
    if (!parse_listen(o->listen, host, sizeof host, &port)) {
        snprintf(err, err_cap, "--listen '%s' is not HOST:PORT (e.g. 127.0.0.1:8088)",
                 o->listen ? o->listen : "");
        return NULL;
    }
    if (o->token == NULL || strlen(o->token) < 16) {
        snprintf(err, err_cap, "the webhook needs a bearer token of at least 16 characters "
                               "(token= in the credentials file)");
        return NULL;
    }
    GInetAddress *addr = g_inet_address_new_from_string(host);
    if (addr == NULL) {
        snprintf(err, err_cap, "--listen: '%s' is not an IP address", host);
        return NULL;
    }
    webhook_t *wh = g_new0(webhook_t, 1);
    wh->svc = svc;
    wh->token = g_strdup(o->token);
    wh->max_body = o->max_body ? o->max_body : WEBHOOK_DEFAULT_MAX_BODY;
    wh->idle_timeout_s = o->idle_timeout_s > 0 ? o->idle_timeout_s : WEBHOOK_DEFAULT_IDLE_TIMEOUT_S;
    wh->pending = g_ptr_array_new_with_free_func(pending_free);
    wh->srv = soup_server_new("server-header", "pantau-complaints", NULL);
    soup_server_add_early_handler(wh->srv, "/events", early_events, wh, NULL);
    soup_server_add_handler(wh->srv, "/events", handle_events, wh, NULL);
    soup_server_add_handler(wh->srv, NULL, handle_health, wh, NULL);
    g_signal_connect(wh->srv, "request-started", G_CALLBACK(on_request_started), wh);
    GSocketAddress *sa = g_inet_socket_address_new(addr, (guint16)port);
    GError *gerr = NULL;
    gboolean ok = soup_server_listen(wh->srv, sa, 0, &gerr);
    g_object_unref(sa);
    g_object_unref(addr);
    if (!ok) {
        snprintf(err, err_cap, "cannot listen on %s: %s", o->listen, gerr->message);
        g_error_free(gerr);
        webhook_destroy(&wh);
        return NULL;
    }
    GSList *uris = soup_server_get_uris(wh->srv);
    wh->port = uris ? g_uri_get_port(uris->data) : port;
    g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);
    return wh;
}

void webhook_destroy(webhook_t **whp)
{
    if (whp == NULL || *whp == NULL)
        return;
    webhook_t *wh = *whp;
    if (wh->commit_id)
        g_source_remove(wh->commit_id);
    if (wh->srv)
        soup_server_disconnect(wh->srv);
    g_ptr_array_free(wh->pending, TRUE);
    g_clear_object(&wh->srv);
    if (wh->token)
        memset(wh->token, 0, strlen(wh->token));
    g_free(wh->token);
    g_free(wh);
    *whp = NULL;
}

int webhook_port(const webhook_t *wh)
{
    return wh->port;
}
