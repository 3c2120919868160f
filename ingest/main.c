/* pantau-ingest: one camera per process. Receives an RTSP camera (or a test pattern), decodes and
 * scales it to the tile's size, and publishes I420 frames and status on a ZeroMQ PUB endpoint
 * (docs/ingest.md). The pipeline, for RTSP:
 *
 *   gst-launch-1.0 rtspsrc location=URI protocols=tcp latency=80 ! rtph264depay ! h264parse \
 *     ! avdec_h264 ! videoconvert ! videoscale add-borders=true \
 *     ! video/x-raw,format=I420,width=W,height=H,pixel-aspect-ratio=1/1 \
 *     ! appsink max-buffers=1 drop=true sync=false
 *
 * main reads as: parse the command line -> load credentials -> create the worker -> run it until
 * SIGINT/SIGTERM -> destroy. Exit codes: 0 after a signal, 2 for bad arguments or an unsafe or
 * invalid credentials file, 1 when the endpoint cannot be bound. Camera faults never end it. */
#include <stdio.h>
#include <string.h>

#include <gst/gst.h>

#include "config.h"
#include "creds.h"
#include "log.h"
#include "pipeline.h"
#include "worker.h"

#define EXIT_BAD_ARGS 2
#define EXIT_RUNTIME 1
#define MAIN_ERR_MAX 512

typedef struct {
    char *user, *password; /* g_strdup'd copies, NULL = none */
} main_secrets_t;

/* Reads username/password for cfg->id from the credentials file, if one was given. Returns 0, or
 * -1 with the reason in err (the file is unsafe or invalid). */
static int main_load_secrets(const ingest_config_t *cfg, main_secrets_t *out, char *err, size_t cap)
{
    const char *prefix = cfg->id;
    memset(out, 0, sizeof *out);
    if (cfg->credentials[0] == '\0')
        return 0;
    creds_t *creds = creds_load(cfg->credentials, err, cap);
    if (creds == NULL)
        return -1;
    out->user = g_strdup(creds_username(creds, cfg->id));
    out->password = g_strdup(creds_password(creds, cfg->id));
    if (out->user == NULL && out->password == NULL && creds_token(creds, cfg->id) == NULL)
        log_warn(prefix, "no [%s] entry in %s: connecting without credentials", cfg->id,
                 cfg->credentials);
    if (out->password == NULL && creds_token(creds, cfg->id) != NULL)
        log_warn(prefix, "[%s] has a token: RTSP cameras need username/password; token ignored",
                 cfg->id);
    creds_destroy(&creds);
    return 0;
}

static void main_free_secrets(main_secrets_t *s)
{
    if (s->password != NULL)
        memset(s->password, 0, strlen(s->password));
    g_free(s->password);
    g_free(s->user);
    memset(s, 0, sizeof *s);
}

/* Checks what needs GStreamer (the test pattern's name). */
static int main_check(const ingest_config_t *cfg, char *err, size_t cap)
{
    if (cfg->source_kind == CONFIG_SOURCE_TEST && !pipeline_pattern_valid(cfg->pattern)) {
        snprintf(err, cap,
                 "--source: unknown test pattern '%s' (videotestsrc pattern names: ball, "
                 "smpte, snow, black, ...)",
                 cfg->pattern);
        return -1;
    }
    if (cfg->source_kind == CONFIG_SOURCE_RTSP && pipeline_uri_has_userinfo(cfg->source))
        log_warn(cfg->id, "the URI carries credentials: put them in the credentials file instead");
    return 0;
}

int main(int argc, char **argv)
{
    ingest_config_t cfg;
    main_secrets_t secrets = {0};
    char err[MAIN_ERR_MAX] = "";
    int rc = 0;

    log_init(argv[0]);
    int parsed = config_parse(argc, argv, &cfg, err, sizeof err);
    if (parsed != 0) {
        if (parsed > 0) {
            config_usage(stdout);
            return 0;
        }
        fprintf(stderr, "pantau-ingest: %s\n", err);
        config_usage(stderr);
        return EXIT_BAD_ARGS;
    }
    /* Cameras are reached directly (rtspsrc has its own proxy property). Without this, every
     * connect asks libproxy for system/PAC proxy settings on a helper thread (WPAD lookups on some
     * networks). Setting the variable in the environment overrides this choice. */
    g_setenv("GIO_USE_PROXY_RESOLVER", "dummy", FALSE);
    gst_init(NULL, NULL);
    if (main_check(&cfg, err, sizeof err) != 0 ||
        main_load_secrets(&cfg, &secrets, err, sizeof err) != 0) {
        fprintf(stderr, "pantau-ingest: %s\n", err);
        rc = EXIT_BAD_ARGS;
        goto out;
    }
    worker_t *w = worker_new(&cfg, secrets.user, secrets.password, err, sizeof err);
    main_free_secrets(&secrets);
    if (w == NULL) {
        fprintf(stderr, "pantau-ingest: %s\n", err);
        rc = EXIT_RUNTIME;
        goto out;
    }
    rc = worker_run(w);
    worker_destroy(&w);
out:
    main_free_secrets(&secrets);
    gst_deinit();
    return rc;
}
