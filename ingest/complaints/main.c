/* pantau-complaints: complaint and information-request events in (HTTP webhook, file import,
 * built-in demo feed), stored durably in SQLite, counters out over ZeroMQ to the walls.
 * See docs/complaints.md.
 *
 * main: options → svc (store + items) → sources → publisher → GLib main loop → destroy. One
 * thread: every source, the store and the publisher run on the main loop. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib-unix.h>
#include <glib.h>
#include <glib/gstdio.h>

#include "cmsg.h"
#include "cpub.h"
#include "creds.h"
#include "demo.h"
#include "importer.h"
#include "log.h"
#include "poller.h"
#include "svc.h"
#include "webhook.h"

#define LOG_PREFIX "complaints"
#define DEFAULT_ENDPOINT_DIR "/tmp/pantau"
#define DEFAULT_TZ "Asia/Jakarta"
#define DEFAULT_TOKEN_ID "complaints"
#define DEFAULT_PUBLISH_MIN_MS 200  /* at most 5 messages a second on change */
#define DEFAULT_RESEND_MS 5000      /* the state again, changed or not */
#define DEFAULT_TICK_MS 50          /* how often new subscribers and changes are looked at */
#define DEFAULT_DEMO_MIN_MS 700
#define DEFAULT_DEMO_MAX_MS 2000
#define DEFAULT_POLL_EVERY_S 30

typedef struct {
    char *db, *endpoint, *listen, *credentials, *token_id, *tz, *holidays, *poll, *poll_token_id;
    char **imports;
    gboolean demo;
    int demo_min_ms, demo_max_ms, publish_ms, resend_ms, idle_timeout_s, poll_every_s;
    gint64 max_body;
} opts_t;

typedef struct {
    opts_t o;
    GMainLoop *loop;
    svc_t *svc;
    cpub_t *pub;
    webhook_t *wh;
    demo_t *demo;
    poller_t *poller;
    char *demo_dir;
    int64_t last_pub_ms;
    uint64_t published;
    int exit_code;
} app_t;

static gboolean on_signal(gpointer ud)
{
    app_t *a = ud;
    log_info(LOG_PREFIX, "stopping");
    g_main_loop_quit(a->loop);
    return G_SOURCE_CONTINUE;
}

static void publish(app_t *a, int64_t now_ms)
{
    cmsg_t *m = g_new(cmsg_t, 1);
    svc_counters(a->svc, now_ms, m);
    char *json = cmsg_encode(m);
    if (cpub_send(a->pub, json, strlen(json)) == 0)
        a->published++;
    g_free(json);
    g_free(m);
    a->last_pub_ms = now_ms;
}

/* Publishes on change (rate-limited), for a new subscriber at once, and periodically. */
static gboolean on_tick(gpointer ud)
{
    app_t *a = ud;
    int64_t now = g_get_monotonic_time() / 1000;
    bool joined = cpub_poll_joins(a->pub);
    bool due = svc_dirty(a->svc) && now - a->last_pub_ms >= a->o.publish_ms;
    if (joined || due || now - a->last_pub_ms >= a->o.resend_ms) {
        publish(a, g_get_real_time() / 1000);
        a->last_pub_ms = now;
    }
    return G_SOURCE_CONTINUE;
}

static int parse_opts(int argc, char **argv, opts_t *o)
{
    *o = (opts_t){.publish_ms = DEFAULT_PUBLISH_MIN_MS, .resend_ms = DEFAULT_RESEND_MS,
                  .demo_min_ms = DEFAULT_DEMO_MIN_MS, .demo_max_ms = DEFAULT_DEMO_MAX_MS,
                  .idle_timeout_s = WEBHOOK_DEFAULT_IDLE_TIMEOUT_S,
                  .max_body = WEBHOOK_DEFAULT_MAX_BODY, .poll_every_s = DEFAULT_POLL_EVERY_S};
    GOptionEntry entries[] = {
        {"db", 0, 0, G_OPTION_ARG_FILENAME, &o->db, "SQLite database (created if missing)", "FILE"},
        {"endpoint", 0, 0, G_OPTION_ARG_STRING, &o->endpoint,
         "ZeroMQ endpoint the counters are published on (default ipc://" DEFAULT_ENDPOINT_DIR
         "/complaints.sock)", "EP"},
        {"listen", 0, 0, G_OPTION_ARG_STRING, &o->listen,
         "serve the webhook on HOST:PORT (PORT 0: any free port)", "HOST:PORT"},
        {"credentials", 0, 0, G_OPTION_ARG_FILENAME, &o->credentials,
         "owner-only credentials file holding the webhook's token=", "FILE"},
        {"token-id", 0, 0, G_OPTION_ARG_STRING, &o->token_id,
         "section of the credentials file with the token (default " DEFAULT_TOKEN_ID ")", "ID"},
        {"tz", 0, 0, G_OPTION_ARG_STRING, &o->tz,
         "the command centre's time zone (default " DEFAULT_TZ ")", "ZONE"},
        {"holidays", 0, 0, G_OPTION_ARG_FILENAME, &o->holidays,
         "public holidays, one YYYY-MM-DD per line", "FILE"},
        {"import", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &o->imports,
         "import a JSON-lines (.jsonl) or CSV (.csv) export, then go on (repeatable)", "FILE"},
        {"poll", 0, 0, G_OPTION_ARG_STRING, &o->poll,
         "fetch events from an agency's HTTP endpoint (JSON or JSON lines)", "URL"},
        {"poll-every", 0, 0, G_OPTION_ARG_INT, &o->poll_every_s,
         "seconds between two fetches (default 30)", "S"},
        {"poll-token-id", 0, 0, G_OPTION_ARG_STRING, &o->poll_token_id,
         "section of the credentials file whose token= is sent to --poll", "ID"},
        {"demo", 0, 0, G_OPTION_ARG_NONE, &o->demo,
         "built-in sample feed in a temporary database (no setup)", NULL},
        {"demo-interval-ms", 0, 0, G_OPTION_ARG_INT, &o->demo_max_ms,
         "longest pause between demo events", "MS"},
        {"max-body", 0, 0, G_OPTION_ARG_INT64, &o->max_body, "largest request body", "BYTES"},
        {"idle-timeout", 0, 0, G_OPTION_ARG_INT, &o->idle_timeout_s,
         "cut off an HTTP client silent this long", "S"},
        {"publish-ms", 0, 0, G_OPTION_ARG_INT, &o->publish_ms,
         "least time between two published changes", "MS"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };
    GOptionContext *ctx = g_option_context_new("- complaint counters for Pantau walls");
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *err = NULL;
    int rc = 0;
    if (!g_option_context_parse(ctx, &argc, &argv, &err)) {
        fprintf(stderr, "pantau-complaints: %s (see --help)\n", err->message);
        g_error_free(err);
        rc = -1;
    } else if (argc > 1) {
        fprintf(stderr, "pantau-complaints: unexpected argument '%s' (see --help)\n", argv[1]);
        rc = -1;
    } else if (o->db == NULL && !o->demo) {
        fprintf(stderr, "pantau-complaints: --db FILE is required (or --demo)\n");
        rc = -1;
    } else if (o->publish_ms < 0 || o->max_body < 1024 || o->max_body > 64 * 1024 * 1024 ||
               o->idle_timeout_s < 1 || o->demo_max_ms < 1 || o->poll_every_s < 1) {
        fprintf(stderr, "pantau-complaints: --publish-ms >= 0, --max-body 1024..67108864, "
                        "--idle-timeout >= 1, --demo-interval-ms >= 1, --poll-every >= 1\n");
        rc = -1;
    }
    if (o->demo_min_ms > o->demo_max_ms)
        o->demo_min_ms = o->demo_max_ms;
    g_option_context_free(ctx);
    return rc;
}

static int start_webhook(app_t *a)
{
    char err[512];
    if (a->o.credentials == NULL) {
        log_error(LOG_PREFIX, "--listen needs --credentials FILE with token= under [%s]",
                  a->o.token_id ? a->o.token_id : DEFAULT_TOKEN_ID);
        return -1;
    }
    creds_t *c = creds_load(a->o.credentials, err, sizeof err);
    if (c == NULL) {
        log_error(LOG_PREFIX, "%s", err);
        return -1;
    }
    const char *id = a->o.token_id ? a->o.token_id : DEFAULT_TOKEN_ID;
    webhook_opts_t wo = {.listen = a->o.listen, .token = creds_token(c, id),
                         .max_body = (size_t)a->o.max_body, .idle_timeout_s = a->o.idle_timeout_s};
    if (wo.token == NULL)
        snprintf(err, sizeof err, "%s: no token= under [%s]", a->o.credentials, id);
    else
        a->wh = webhook_new(a->svc, &wo, err, sizeof err);
    creds_destroy(&c);
    if (a->wh == NULL) {
        log_error(LOG_PREFIX, "%s", err);
        return -1;
    }
    printf("listening http://%s:%d/events\n", a->o.listen[0] == '[' ? a->o.listen : "127.0.0.1",
           webhook_port(a->wh));
    fflush(stdout);
    return 0;
}

static int start_poller(app_t *a)
{
    char err[512] = "";
    const char *token = NULL;
    creds_t *c = NULL;
    if (a->o.poll_token_id != NULL) {
        c = a->o.credentials ? creds_load(a->o.credentials, err, sizeof err) : NULL;
        token = c ? creds_token(c, a->o.poll_token_id) : NULL;
        if (token == NULL) {
            log_error(LOG_PREFIX, "--poll-token-id %s: %s", a->o.poll_token_id,
                      err[0] ? err : "no token= under that section of --credentials");
            creds_destroy(&c);
            return -1;
        }
    }
    a->poller = poller_new(a->svc, a->o.poll, token, a->o.poll_every_s, err, sizeof err);
    creds_destroy(&c);
    if (a->poller == NULL) {
        log_error(LOG_PREFIX, "%s", err);
        return -1;
    }
    return 0;
}

static int run_imports(app_t *a)
{
    int bad_files = 0;
    for (int i = 0; a->o.imports && a->o.imports[i]; i++) {
        importer_report_t rep;
        char err[512];
        if (importer_file(a->svc, a->o.imports[i], &rep, err, sizeof err) != 0) {
            log_error(LOG_PREFIX, "import %s: %s", a->o.imports[i], err);
            bad_files++;
            continue;
        }
        printf("imported %s: %d events (%d new, %d updated, %d duplicate, %d stale), %d lines "
               "refused\n", a->o.imports[i], rep.events, rep.res.added, rep.res.updated,
               rep.res.duplicates, rep.res.stale, rep.refused);
        fflush(stdout);
        bad_files += rep.refused > 0;
    }
    return bad_files;
}

static int app_start(app_t *a)
{
    char err[512];
    if (a->o.demo && a->o.db == NULL) {
        GError *gerr = NULL;
        a->demo_dir = g_dir_make_tmp("pantau-complaints-demo-XXXXXX", &gerr);
        if (a->demo_dir == NULL) {
            log_error(LOG_PREFIX, "demo: %s", gerr->message);
            g_error_free(gerr);
            return -1;
        }
        a->o.db = g_build_filename(a->demo_dir, "demo.db", NULL);
    }
    a->svc = svc_new(a->o.db, a->o.tz ? a->o.tz : DEFAULT_TZ, a->o.holidays, err, sizeof err);
    if (a->svc == NULL) {
        log_error(LOG_PREFIX, "%s", err);
        return -1;
    }
    if (run_imports(a) != 0)
        a->exit_code = 3;
    if (a->o.imports != NULL && a->o.listen == NULL && a->o.poll == NULL && !a->o.demo)
        return 1; /* import only: done, publish nothing (a running instance may own the endpoint) */
    /* Sources first: a configuration error stops the start before the endpoint is taken. */
    if (a->o.listen != NULL && start_webhook(a) != 0)
        return -1;
    if (a->o.poll != NULL && start_poller(a) != 0)
        return -1;
    if (a->o.endpoint == NULL) {
        g_mkdir_with_parents(DEFAULT_ENDPOINT_DIR, 0700);
        a->o.endpoint = g_strdup("ipc://" DEFAULT_ENDPOINT_DIR "/complaints.sock");
    }
    a->pub = cpub_new(a->o.endpoint, err, sizeof err);
    if (a->pub == NULL) {
        log_error(LOG_PREFIX, "%s", err);
        return -1;
    }
    printf("publishing %s\n", a->o.endpoint);
    fflush(stdout);
    if (a->o.demo)
        a->demo = demo_new(a->svc, 20261123u, a->o.demo_min_ms, a->o.demo_max_ms);
    return 0;
}

static void app_stop(app_t *a)
{
    demo_destroy(&a->demo);
    poller_destroy(&a->poller);
    webhook_destroy(&a->wh);
    cpub_destroy(&a->pub);
    svc_destroy(&a->svc);
    if (a->demo_dir != NULL) {
        const char *suffix[] = {"", "-wal", "-shm"};
        for (int i = 0; i < 3; i++) {
            char *p = g_strconcat(a->o.db, suffix[i], NULL);
            g_unlink(p);
            g_free(p);
        }
        g_rmdir(a->demo_dir);
        g_free(a->demo_dir);
    }
    g_free(a->o.db);
    g_free(a->o.endpoint);
    g_free(a->o.listen);
    g_free(a->o.credentials);
    g_free(a->o.token_id);
    g_free(a->o.tz);
    g_free(a->o.holidays);
    g_free(a->o.poll);
    g_free(a->o.poll_token_id);
    g_strfreev(a->o.imports);
}

int main(int argc, char **argv)
{
    app_t a = {0};
    log_init(argv[0]);
    signal(SIGPIPE, SIG_IGN);
    if (parse_opts(argc, argv, &a.o) != 0)
        return 2;
    a.loop = g_main_loop_new(NULL, FALSE);
    int started = app_start(&a);
    if (started == 0) {
        g_unix_signal_add(SIGINT, on_signal, &a);
        g_unix_signal_add(SIGTERM, on_signal, &a);
        guint tick = g_timeout_add(DEFAULT_TICK_MS, on_tick, &a);
        on_tick(&a);
        g_main_loop_run(a.loop);
        g_source_remove(tick);
    } else if (started < 0) {
        a.exit_code = 1;
    }
    app_stop(&a);
    g_main_loop_unref(a.loop);
    return a.exit_code;
}
