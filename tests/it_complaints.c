/* Integration tests for pantau-complaints and the wall's counter panels, on real parts: the
 * pantau-complaints process with its SQLite file, HTTP over loopback (libsoup, like any client),
 * ZeroMQ, and pantau-wall --headless with its status file and snapshots.
 *
 * - A stream of events from 4 concurrent clients, SIGKILL mid-stream, restart on the same file:
 *   every acknowledged event is there (events/s with durable commits is measured).
 * - Bad requests of every kind get their 4xx with a reason, are counted, store nothing, and a
 *   silent client is cut off, while good requests keep flowing.
 * - A wall that starts after the events gets the state at once; a POST reaches its pixels
 *   (commit → presented latency from the status file, snapshot pixels change).
 * - A confidential item's title and an anonymous reporter never leave pantau-complaints, and a
 *   foreign publisher that sends them is refused by the wall. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zmq.h>

#include <glib.h>
#include <libsoup/soup.h>

#include "cmsg.h"
#include "harness.h"

#define TOKEN "it-token-0123456789abcdef"
#define START_TIMEOUT_MS 10000
#define STATE_BOUND_MS 4000      /* late wall -> state shown (resend alone would take 5 s) */
#define POSTERS 4
#define STREAM_MS 1500           /* posting before the SIGKILL */

typedef struct {
    harness_t *h;
    char *bin, *wall_bin, *creds, *db, *endpoint;
    int port;
    harness_proc_t *proc;
} fx_t;

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    fx->h = harness_new();
    fx->bin = harness_bin("pantau-complaints");
    fx->wall_bin = harness_bin("pantau-wall");
    if (fx->h == NULL || fx->bin == NULL || fx->wall_bin == NULL)
        return -1;
    fx->creds = harness_write_file(fx->h, "c.credentials", "[complaints]\ntoken=" TOKEN "\n", 0600);
    fx->db = harness_path(fx->h, "complaints.db");
    fx->endpoint = g_strdup_printf("ipc://%s/complaints.sock", harness_dir(fx->h));
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    harness_destroy(&fx->h);
    g_free(fx->bin);
    g_free(fx->wall_bin);
    g_free(fx->creds);
    g_free(fx->db);
    g_free(fx->endpoint);
    free(fx);
    return 0;
}

/* ---- helpers ----------------------------------------------------------------------------------- */

static void start(fx_t *fx, const char *extra)
{
    const char *argv[] = {fx->bin, "--db", fx->db, "--endpoint", fx->endpoint, "--listen",
                          "127.0.0.1:0", "--credentials", fx->creds, "--tz", "Asia/Makassar",
                          "--max-body", "65536", "--idle-timeout", "1", extra, NULL};
    fx->proc = harness_spawn(fx->h, "complaints", argv, NULL);
    assert_non_null(fx->proc);
    char line[256];
    assert_true(harness_wait_line(fx->proc, "listening http://127.0.0.1:", line, sizeof line,
                                  START_TIMEOUT_MS));
    fx->port = atoi(line + strlen("listening http://127.0.0.1:"));
    assert_true(fx->port > 0);
}

typedef struct {
    guint status;
    char body[1024];
} reply_t;

static reply_t http(SoupSession *s, int port, const char *method, const char *path,
                    const char *token, const char *body)
{
    reply_t r = {0, ""};
    char *url = g_strdup_printf("http://127.0.0.1:%d%s", port, path);
    SoupMessage *msg = soup_message_new(method, url);
    if (token != NULL) {
        char *auth = g_strdup_printf("Bearer %s", token);
        soup_message_headers_replace(soup_message_get_request_headers(msg), "Authorization", auth);
        g_free(auth);
    }
    if (body != NULL) {
        GBytes *b = g_bytes_new(body, strlen(body));
        soup_message_set_request_body_from_bytes(msg, "application/json", b);
        g_bytes_unref(b);
    }
    GBytes *out = soup_session_send_and_read(s, msg, NULL, NULL);
    r.status = soup_message_get_status(msg);
    if (out != NULL) {
        gsize n = 0;
        const char *d = g_bytes_get_data(out, &n);
        snprintf(r.body, sizeof r.body, "%.*s", (int)n, d ? d : "");
        g_bytes_unref(out);
    }
    g_object_unref(msg);
    g_free(url);
    return r;
}

static char *complaint(const char *id, const char *stage, const char *updated, const char *extra)
{
    GDateTime *now = g_date_time_new_now_utc();
    char *recv = g_date_time_format_iso8601(now);
    char *s = g_strdup_printf(
        "{\"kind\":\"complaint\",\"id\":\"%s\",\"updated_at\":\"%s\",\"received_at\":\"%s\","
        "\"stage\":\"%s\",\"channel\":\"whatsapp\",\"classification\":\"pengaduan\","
        "\"category\":\"kesehatan\",\"title\":\"Antrean puskesmas %s\"%s}",
        id, updated ? updated : recv, recv, stage, id, extra ? extra : "");
    g_free(recv);
    g_date_time_unref(now);
    return s;
}

static long health(SoupSession *s, int port, const char *key)
{
    reply_t r = http(s, port, "GET", "/health", NULL, NULL);
    char k[64];
    snprintf(k, sizeof k, "\"%s\":", key);
    const char *v = strstr(r.body, k);
    return r.status == 200 && v ? atol(v + strlen(k)) : -1;
}

/* ---- durability -------------------------------------------------------------------------------- */

typedef struct {
    int port, index;
    volatile gint *stop;
    int acked;
    GPtrArray *acked_ids; /* char* */
} poster_t;

static gpointer post_loop(gpointer ud)
{
    poster_t *p = ud;
    SoupSession *s = soup_session_new_with_options("timeout", 3, NULL);
    for (int n = 0; !g_atomic_int_get(p->stop); n++) {
        char id[40];
        snprintf(id, sizeof id, "K-%d-%05d", p->index, n);
        char *ev = complaint(id, "received", NULL, NULL);
        reply_t r = http(s, p->port, "POST", "/events", TOKEN, ev);
        g_free(ev);
        if (r.status != 200)
            break; /* the server is gone: this one was not acknowledged */
        p->acked++;
        g_ptr_array_add(p->acked_ids, g_strdup(id));
    }
    g_object_unref(s);
    return NULL;
}

static void test_sigkill_keeps_every_acknowledged_event(void **state)
{
    fx_t *fx = *state;
    start(fx, NULL);
    volatile gint stop = 0;
    poster_t ps[POSTERS];
    GThread *th[POSTERS];
    uint64_t t0 = harness_now_ms();
    for (int i = 0; i < POSTERS; i++) {
        ps[i] = (poster_t){fx->port, i, &stop, 0, g_ptr_array_new_with_free_func(g_free)};
        th[i] = g_thread_new("poster", post_loop, &ps[i]);
    }
    usleep(STREAM_MS * 1000);
    assert_int_equal(harness_signal(fx->proc, SIGKILL), 0); /* mid-stream: requests in flight */
    uint64_t t1 = harness_now_ms();
    g_atomic_int_set(&stop, 1);
    int acked = 0;
    for (int i = 0; i < POSTERS; i++) {
        g_thread_join(th[i]);
        acked += ps[i].acked;
    }
    assert_true(harness_wait_exit(fx->proc, 5000, NULL));
    harness_note("%d events acknowledged by %d clients in %llu ms: %.0f events/s with durable "
                 "commits", acked, POSTERS, (unsigned long long)(t1 - t0),
                 acked * 1000.0 / (double)(t1 - t0));
    assert_true(acked > 20);

    start(fx, NULL);
    SoupSession *s = soup_session_new();
    long items = health(s, fx->port, "items");
    harness_note("after SIGKILL and restart: %ld items stored, %d acknowledged", items, acked);
    /* Every acknowledged one is stored; at most one in flight per client was stored unanswered. */
    assert_true(items >= acked && items <= acked + POSTERS);
    /* And each acknowledged id is really there: posting it again is a duplicate. */
    for (int i = 0; i < POSTERS; i++)
        for (guint k = 0; k < ps[i].acked_ids->len; k += 7) {
            const char *id = g_ptr_array_index(ps[i].acked_ids, k);
            char *ev = complaint(id, "received", "2000-01-01T00:00:00Z", NULL);
            reply_t r = http(s, fx->port, "POST", "/events", TOKEN, ev);
            g_free(ev);
            assert_int_equal(r.status, 200);
            if (strstr(r.body, "\"stale\":1") == NULL)
                fail_msg("acknowledged %s missing after restart: %s", id, r.body);
        }
    for (int i = 0; i < POSTERS; i++)
        g_ptr_array_free(ps[i].acked_ids, TRUE);
    g_object_unref(s);
}

/* ---- bad input ------------------------------------------------------------------------------- */

typedef struct {
    const char *method, *token, *body;
    guint status;
    const char *reason;
} bad_req_t;

static void test_bad_requests_refused_with_reasons(void **state)
{
    fx_t *fx = *state;
    start(fx, NULL);
    SoupSession *s = soup_session_new();
    char *good = complaint("OK-1", "received", NULL, NULL);
    char *unknown = complaint("U-1", "received", NULL, ",\"colour\":\"red\"");
    char *badenum = complaint("E-1", "closd", NULL, NULL);
    char *big = g_malloc0(70000);
    memset(big, ' ', 69999);
    const bad_req_t bad[] = {
        {"POST", "wrong-token-0000000000", good, 401, "bearer token"},
        {"POST", NULL, good, 401, "bearer token"},
        {"GET", TOKEN, NULL, 405, "use POST"},
        {"POST", TOKEN, "{\"kind\":", 400, "malformed JSON"},
        {"POST", TOKEN, "", 400, "empty body"},
        {"POST", TOKEN, unknown, 400, "colour: unknown field"},
        {"POST", TOKEN, badenum, 400, "stage: 'closd' is not one of"},
        {"POST", TOKEN, "{\"kind\":\"complaint\",\"id\":\"M-1\"}", 400, "updated_at: missing"},
        {"POST", TOKEN, big, 413, "over the limit"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        reply_t r = http(s, fx->port, bad[i].method, "/events", bad[i].token, bad[i].body);
        if (r.status != bad[i].status || strstr(r.body, bad[i].reason) == NULL)
            fail_msg("case %zu: %u %s, want %u '%s'", i, r.status, r.body, bad[i].status,
                     bad[i].reason);
        /* Good requests keep flowing between bad ones. */
        char id[16];
        snprintf(id, sizeof id, "G-%zu", i);
        char *ev = complaint(id, "received", NULL, NULL);
        assert_int_equal(http(s, fx->port, "POST", "/events", TOKEN, ev).status, 200);
        g_free(ev);
    }
    /* A client that sends half a request and goes silent is cut off (idle timeout 1 s). */
    int sock = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)fx->port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    assert_int_equal(connect(sock, (struct sockaddr *)&a, sizeof a), 0);
    const char *half = "POST /events HTTP/1.1\r\nHost: x\r\n";
    assert_true(write(sock, half, strlen(half)) > 0);
    struct timeval tv = {8, 0};
    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    uint64_t t0 = harness_now_ms();
    char buf[256];
    ssize_t n = read(sock, buf, sizeof buf);
    uint64_t cut = harness_now_ms() - t0;
    close(sock);
    harness_note("silent client cut off after %llu ms (read returned %zd)", (unsigned long long)cut, n);
    assert_true(n <= 0 || strstr(buf, "HTTP/1.1 4") != NULL);
    assert_true(cut < 7000);
    assert_int_equal(http(s, fx->port, "POST", "/events", TOKEN, good).status, 200);
    /* Nothing from the bad ones was stored; each refusal was counted. */
    assert_int_equal(health(s, fx->port, "items"), 10);
    reply_t h = http(s, fx->port, "GET", "/health", NULL, NULL);
    harness_note("health: %s", h.body);
    assert_non_null(strstr(h.body, "\"auth\":2"));
    assert_non_null(strstr(h.body, "\"json\":2"));
    assert_non_null(strstr(h.body, "\"schema\":3"));
    assert_non_null(strstr(h.body, "\"size\":1"));
    assert_non_null(strstr(h.body, "\"method\":1"));
    /* The token never appears in the logs. */
    assert_false(harness_file_contains(harness_proc_stderr(fx->proc), TOKEN));
    assert_false(harness_file_contains(harness_proc_stdout(fx->proc), TOKEN));
    assert_true(harness_running(fx->proc));
    /* A clean stop: exit 0 (under ASan: no leak, no error report). */
    int status = -1;
    assert_int_equal(harness_signal(fx->proc, SIGTERM), 0);
    assert_true(harness_wait_exit(fx->proc, 10000, &status));
    assert_int_equal(status, 0);
    assert_false(harness_file_contains(harness_proc_stderr(fx->proc), "Sanitizer"));
    g_free(good);
    g_free(unknown);
    g_free(badenum);
    g_free(big);
    g_object_unref(s);
}

/* ---- the wall ---------------------------------------------------------------------------------- */

static long wall_field(const char *status, const char *key)
{
    char *text = harness_read_file(status, NULL);
    long v = -1;
    const char *line = text ? strstr(text, "complaints=") : NULL;
    char k[64];
    snprintf(k, sizeof k, " %s=", key);
    const char *at = line ? strstr(line, k) : NULL;
    if (at != NULL)
        v = atol(at + strlen(k));
    g_free(text);
    return v;
}

typedef struct {
    const char *status, *key;
    long want;
} wait_field_t;

static bool field_reaches(void *ctx)
{
    wait_field_t *w = ctx;
    return wall_field(w->status, w->key) >= w->want;
}

static char *wall_layout(fx_t *fx, const char *endpoint)
{
    char *text = g_strdup_printf("[wall]\ncanvas=640x360\ngrid=2x1\nendpoint_dir=%s\n"
                                 "[panel nums]\ntype=counters\nview=numbers\nendpoint=%s\ntile=0,0\n"
                                 "[panel tick]\ntype=counters\nview=ticker\nendpoint=%s\ntile=1,0\n",
                                 harness_dir(fx->h), endpoint, endpoint);
    char *path = harness_write_file(fx->h, "wall.ini", text, 0644);
    g_free(text);
    return path;
}

static void test_late_wall_gets_state_and_pixels(void **state)
{
    fx_t *fx = *state;
    start(fx, NULL);
    SoupSession *s = soup_session_new();
    /* Events first (a confidential one, an anonymous one), the wall later. */
    const char *extras[] = {",\"confidential\":true,\"location\":\"RAHASIA-LOKASI\"",
                            ",\"anonymous\":true,\"reporter\":\"NAMA-RAHASIA\"", NULL};
    for (int i = 0; i < 3; i++) {
        char id[16];
        snprintf(id, sizeof id, "W-%d", i);
        char *ev = complaint(id, "received", NULL, extras[i]);
        if (i == 0) { /* its title must stay hidden too */
            char *t = strstr(ev, "Antrean puskesmas");
            memcpy(t, "RAHASIA-JUDUL-ISI", 17);
        }
        assert_int_equal(http(s, fx->port, "POST", "/events", TOKEN, ev).status, 200);
        g_free(ev);
    }
    usleep(300 * 1000); /* published before any wall exists */

    /* What leaves pantau-complaints never holds the hidden text. */
    void *zctx = zmq_ctx_new(), *sub = zmq_socket(zctx, ZMQ_SUB);
    int linger = 0, tmo = 3000;
    zmq_setsockopt(sub, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(sub, ZMQ_RCVTIMEO, &tmo, sizeof tmo);
    zmq_setsockopt(sub, ZMQ_SUBSCRIBE, CMSG_TOPIC, strlen(CMSG_TOPIC));
    assert_int_equal(zmq_connect(sub, fx->endpoint), 0);
    char topic[32], *json = g_malloc0(CMSG_MAX_BYTES + 1);
    uint64_t t_sub = harness_now_ms();
    assert_true(zmq_recv(sub, topic, sizeof topic, 0) > 0);
    int n = zmq_recv(sub, json, CMSG_MAX_BYTES, 0);
    harness_note("late subscriber got the state after %llu ms", (unsigned long long)(harness_now_ms() - t_sub));
    assert_true(n > 0);
    assert_null(strstr(json, "RAHASIA"));
    cmsg_t m;
    char err[256];
    assert_int_equal(cmsg_decode(json, (size_t)n, &m, err, sizeof err), CMSG_OK);
    assert_int_equal(m.received_today, 3);
    g_free(json);
    zmq_close(sub);
    zmq_ctx_term(zctx);

    char *layout = wall_layout(fx, fx->endpoint);
    char *status = harness_path(fx->h, "wall.status"), *snap = harness_path(fx->h, "wall.png");
    const char *argv[] = {fx->wall_bin, "--headless", "--no-workers", "--status-file", status,
                          "--snapshot", snap, "--every", "0.5", layout, NULL};
    uint64_t t0 = harness_now_ms();
    harness_proc_t *wall = harness_spawn(fx->h, "wall", argv, NULL);
    assert_non_null(wall);
    wait_field_t w = {status, "received_today", 3};
    assert_true(harness_wait_until(field_reaches, &w, STATE_BOUND_MS + 3000));
    harness_note("wall started after the events -> state in its status: %llu ms",
                 (unsigned long long)(harness_now_ms() - t0));
    usleep(1200 * 1000); /* a snapshot with 3 */
    double before[3], after[3];
    assert_true(harness_png_mean_rgb(snap, 0, 0, 320, 360, before));

    /* POST -> pixels: the next event changes the numbers panel; commit -> presented from the
     * wall's own measurement. */
    long seq0 = wall_field(status, "shown_seq");
    for (int i = 0; i < 8; i++) {
        char id[16];
        snprintf(id, sizeof id, "P-%d", i);
        char *ev = complaint(id, "received", NULL, NULL);
        assert_int_equal(http(s, fx->port, "POST", "/events", TOKEN, ev).status, 200);
        g_free(ev);
    }
    wait_field_t w2 = {status, "received_today", 11};
    assert_true(harness_wait_until(field_reaches, &w2, 5000));
    wait_field_t w3 = {status, "shown_seq", seq0 + 1};
    assert_true(harness_wait_until(field_reaches, &w3, 5000));
    long lat = wall_field(status, "latency_ms");
    harness_note("commit in pantau-complaints -> presented on the wall: %ld ms", lat);
    assert_true(lat >= 0 && lat < 1000);
    usleep(1200 * 1000);
    assert_true(harness_png_mean_rgb(snap, 0, 0, 320, 360, after));
    harness_note("numbers panel mean RGB %.2f,%.2f,%.2f -> %.2f,%.2f,%.2f", before[0], before[1],
                 before[2], after[0], after[1], after[2]);
    assert_true(before[0] != after[0] || before[1] != after[1] || before[2] != after[2]);
    assert_int_equal(wall_field(status, "refused"), 0);
    assert_true(harness_running(wall));
    g_free(layout);
    g_free(status);
    g_free(snap);
    g_object_unref(s);
}

/* A publisher that breaks the privacy rule (or the format) is refused by the wall, counted, and
 * nothing of it is shown. */
static void test_wall_refuses_foreign_messages(void **state)
{
    fx_t *fx = *state;
    char *ep = g_strdup_printf("ipc://%s/foreign.sock", harness_dir(fx->h));
    void *zctx = zmq_ctx_new(), *pub = zmq_socket(zctx, ZMQ_PUB);
    int linger = 0;
    zmq_setsockopt(pub, ZMQ_LINGER, &linger, sizeof linger);
    assert_int_equal(zmq_bind(pub, ep), 0);
    char *layout = wall_layout(fx, ep);
    char *status = harness_path(fx->h, "wall.status");
    const char *argv[] = {fx->wall_bin, "--headless", "--no-workers", "--status-file", status,
                          layout, NULL};
    harness_proc_t *wall = harness_spawn(fx->h, "wall", argv, NULL);
    assert_non_null(wall);
    cmsg_t m;
    memset(&m, 0, sizeof m);
    m.seq = 1;
    m.kip_grade = -1;
    m.n_ticker = 1;
    snprintf(m.ticker[0].id, sizeof m.ticker[0].id, "X-1");
    snprintf(m.ticker[0].kind, sizeof m.ticker[0].kind, "complaint");
    m.ticker[0].confidential = true;
    char *good = cmsg_encode(&m);
    /* The encoder blanks hidden text, so forge it the way a faulty publisher would. */
    GString *evil = g_string_new(good);
    char *at = strstr(evil->str, "\"title\":\"\"");
    assert_non_null(at);
    g_string_insert(evil, at - evil->str + 9, "RAHASIA");
    const char *msgs[] = {evil->str, "{\"v\":99}", "not json", good};
    wait_field_t w = {status, "messages", 1};
    for (int round = 0; round < 40 && !field_reaches(&w); round++) {
        for (int i = 0; i < 4; i++) {
            zmq_send(pub, CMSG_TOPIC, strlen(CMSG_TOPIC), ZMQ_SNDMORE);
            zmq_send(pub, msgs[i], strlen(msgs[i]), 0);
        }
        usleep(250 * 1000);
    }
    assert_true(harness_wait_until(field_reaches, &w, 3000));
    assert_true(wall_field(status, "refused_privacy") >= 1);
    assert_true(wall_field(status, "refused_version") >= 1);
    assert_true(wall_field(status, "refused") >= 3);
    assert_true(harness_running(wall));
    g_string_free(evil, TRUE);
    g_free(good);
    g_free(layout);
    g_free(status);
    zmq_close(pub);
    zmq_ctx_term(zctx);
    g_free(ep);
}

/* ---- other sources: import and poll ----------------------------------------------------------- */

typedef struct {
    GMainContext *ctx;
    GMainLoop *loop;
    int port;
    gint hits, authorised;
    GMutex m;
    GCond c;
    bool ready;
} feed_srv_t;

static void feed_handler(SoupServer *srv, SoupServerMessage *msg, const char *path,
                         GHashTable *q, gpointer ud)
{
    (void)srv, (void)path, (void)q;
    feed_srv_t *f = ud;
    g_atomic_int_inc(&f->hits);
    const char *auth = soup_message_headers_get_one(soup_server_message_get_request_headers(msg),
                                                    "Authorization");
    if (auth == NULL || strcmp(auth, "Bearer agency-token-0123456789") != 0) {
        soup_server_message_set_status(msg, 401, NULL);
        return;
    }
    g_atomic_int_inc(&f->authorised);
    /* JSON lines, as some agency systems export. */
    char *a = complaint("POLL-1", "received", "2026-11-23T09:00:00Z", NULL);
    char *b = complaint("POLL-2", "received", "2026-11-23T09:00:00Z", NULL);
    char *body = g_strdup_printf("%s\n%s\n", a, b);
    soup_server_message_set_status(msg, 200, NULL);
    soup_server_message_set_response(msg, "application/x-ndjson", SOUP_MEMORY_TAKE, body,
                                     strlen(body));
    g_free(a);
    g_free(b);
}

static gpointer feed_thread(gpointer ud)
{
    feed_srv_t *f = ud;
    g_main_context_push_thread_default(f->ctx);
    SoupServer *srv = soup_server_new(NULL, NULL);
    soup_server_add_handler(srv, "/feed", feed_handler, f, NULL);
    soup_server_listen_local(srv, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, NULL);
    GSList *uris = soup_server_get_uris(srv);
    g_mutex_lock(&f->m);
    f->port = uris ? g_uri_get_port(uris->data) : -1;
    f->ready = true;
    g_cond_signal(&f->c);
    g_mutex_unlock(&f->m);
    g_slist_free_full(uris, (GDestroyNotify)g_uri_unref);
    g_main_loop_run(f->loop);
    soup_server_disconnect(srv);
    g_object_unref(srv);
    g_main_context_pop_thread_default(f->ctx);
    return NULL;
}

static gboolean quit_loop(gpointer ud)
{
    g_main_loop_quit(ud);
    return G_SOURCE_REMOVE;
}

typedef struct {
    SoupSession *s;
    int port;
    long want;
} items_wait_t;

static bool items_reach(void *ctx)
{
    items_wait_t *w = ctx;
    return health(w->s, w->port, "items") >= w->want;
}

static void test_import_and_poll(void **state)
{
    fx_t *fx = *state;
    /* Import only: JSON lines and CSV, bad lines refused with their numbers, then exit. */
    char *c1 = complaint("IMP-1", "received", NULL, NULL), *c2 = complaint("IMP-2", "verified", NULL, NULL);
    char *jsonl = g_strdup_printf("%s\n\n{\"kind\":\"complaint\"}\nnot json\n%s\n", c1, c2);
    char *jl = harness_write_file(fx->h, "export.jsonl", jsonl, 0644);
    char *csv = harness_write_file(
        fx->h, "export.csv",
        "kind,id,updated_at,received_at,stage,channel,classification,category,title,confidential\r\n"
        "complaint,CSV-1,2026-11-23T09:00:00Z,2026-11-23T09:00:00Z,received,email,aspirasi,"
        "lingkungan,\"Sampah, \"\"banyak\"\"\",true\r\n"
        "complaint,CSV-2,2026-11-23T09:00:00Z,2026-11-23T09:00:00Z,received,email,aspirasi,"
        "lingkungan,x,maybe\r\n"
        "complaint,CSV-3,too,few\r\n",
        0644);
    const char *argv[] = {fx->bin, "--db", fx->db, "--import", jl, "--import", csv, NULL};
    int rc = harness_run(fx->h, "import", argv, NULL, 20000);
    assert_int_equal(rc, 3); /* some lines were refused */
    char *out = harness_path(fx->h, "import.stdout"), *errp = harness_path(fx->h, "import.stderr");
    assert_true(harness_file_contains(out, "export.jsonl: 2 events (2 new"));
    assert_true(harness_file_contains(out, "2 lines refused"));
    assert_true(harness_file_contains(out, "export.csv: 1 events (1 new"));
    assert_true(harness_file_contains(errp, "export.jsonl:3: id: missing"));
    assert_true(harness_file_contains(errp, "export.jsonl:4: malformed JSON"));
    assert_true(harness_file_contains(errp, "export.csv:3: confidential: must be true or false"));
    assert_true(harness_file_contains(errp, "export.csv:4: 4 cells, the header has 10"));

    /* Poll: an agency endpoint that wants its own token, in this process. */
    feed_srv_t f = {.ctx = g_main_context_new()};
    f.loop = g_main_loop_new(f.ctx, FALSE);
    g_mutex_init(&f.m);
    g_cond_init(&f.c);
    GThread *th = g_thread_new("feed", feed_thread, &f);
    g_mutex_lock(&f.m);
    while (!f.ready)
        g_cond_wait(&f.c, &f.m);
    g_mutex_unlock(&f.m);
    assert_true(f.port > 0);
    char *creds = harness_write_file(fx->h, "p.credentials",
                                     "[complaints]\ntoken=" TOKEN "\n"
                                     "[agency]\ntoken=agency-token-0123456789\n", 0600);
    char *url = g_strdup_printf("http://127.0.0.1:%d/feed", f.port);
    g_free(fx->creds);
    fx->creds = creds;
    const char *pargv[] = {fx->bin, "--db", fx->db, "--endpoint", fx->endpoint, "--listen",
                           "127.0.0.1:0", "--credentials", fx->creds, "--poll", url,
                           "--poll-every", "1", "--poll-token-id", "agency", NULL};
    const char *penv[] = {"PANTAU_LOG=debug", NULL};
    fx->proc = harness_spawn(fx->h, "poll", pargv, penv);
    char line[256];
    assert_true(harness_wait_line(fx->proc, "listening http://127.0.0.1:", line, sizeof line,
                                  START_TIMEOUT_MS));
    fx->port = atoi(line + strlen("listening http://127.0.0.1:"));
    SoupSession *s = soup_session_new();
    items_wait_t w = {s, fx->port, 5}; /* 3 imported + 2 polled */
    assert_true(harness_wait_until(items_reach, &w, 8000));
    usleep(2500 * 1000); /* more fetches: the same events again are duplicates */
    assert_int_equal(health(s, fx->port, "items"), 5);
    assert_true(g_atomic_int_get(&f.authorised) >= 2);
    assert_true(health(s, fx->port, "duplicate") >= 2);
    assert_false(harness_file_contains(harness_proc_stderr(fx->proc), "agency-token"));
    g_main_context_invoke(f.ctx, quit_loop, f.loop);
    g_thread_join(th);
    g_main_loop_unref(f.loop);
    g_main_context_unref(f.ctx);
    g_mutex_clear(&f.m);
    g_cond_clear(&f.c);
    g_object_unref(s);
    g_free(url);
    g_free(out);
    g_free(errp);
    g_free(jl);
    g_free(csv);
    g_free(jsonl);
    g_free(c1);
    g_free(c2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sigkill_keeps_every_acknowledged_event, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_requests_refused_with_reasons, setup, teardown),
        cmocka_unit_test_setup_teardown(test_late_wall_gets_state_and_pixels, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wall_refuses_foreign_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_and_poll, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
