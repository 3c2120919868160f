/* worker: the ingest worker's main loop (see worker.h). The pipeline it drives is, for RTSP:
 *
 *   gst-launch-1.0 rtspsrc location=URI protocols=tcp latency=80 ! rtph264depay ! h264parse \
 *     ! avdec_h264 ! videoconvert ! appsink max-buffers=1 drop=true sync=false
 *
 * then, per sample on the main thread, libswscale to the tile's size (scaler.h) and ZeroMQ.
 * (exact construction in pipeline.c). Threads: everything below runs on the main-loop thread except
 * worker_sample_ready, which a GStreamer streaming thread calls; it only sets an atomic flag and
 * makes the wake source ready (g_source_set_ready_time locks the context and wakes it: GLib's own
 * GCancellable source relies on this from any thread). */
#include "worker.h"

#include <signal.h>
#include <unistd.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <glib-unix.h>
#include <gst/gst.h>

#include "capclock.h"
#include "decsel.h"
#include "health.h"
#include "log.h"
#include "onvif_source.h"
#include "pipeline.h"
#include "ptz_server.h"
#include "publisher.h"
#include "recorder.h"
#include "redact.h"
#include "sample.h"
#include "scaler.h"
#include "wire.h"

#define WORKER_PREFIX_MAX 48
#define WORKER_SERVER_MAX 128

struct worker {
    ingest_config_t cfg;
    char prefix[WORKER_PREFIX_MAX]; /* "ingest ID" */
    char *user, *password;          /* NULL = none; password wiped on destroy */
    redact_t *redact;
    health_t *health;
    publisher_t *pub;
    scaler_t *scaler; /* decoded picture -> sent frame (libswscale), main thread only */
    pipeline_t *pipe; /* NULL while waiting to reconnect */
    recorder_t *rec;  /* NULL = not recording; outlives every pipe */
    onvif_source_t *onvif; /* ONVIF cameras: resolves the RTSP URI before each pipeline */
    ptz_server_t *ptz;     /* PTZ command socket (own thread); NULL if it could not be bound */
    GMainLoop *loop;
    GSource *wake;           /* made ready by streaming threads when a sample waits */
    atomic_int wake_pending; /* 1 between a wake-up and its dispatch */
    guint tick_id, status_id, sigint_id, sigterm_id, subs_id;
    bool watched; /* some subscriber wants frames: decoding is on */
    uint64_t seq;
    uint32_t src_width, src_height; /* last known source size */
    wire_state_t published_state;   /* state of the last status sent */
    uint64_t unusable;              /* samples that gave no frame (counted, logged at debug) */
    uint32_t logged_faults;         /* health_fault_count when a fault was last logged */
    char logged_error[WIRE_MAX_ERROR + 1];
    capclock_t clock;            /* of the last frame sent */
    wire_clock_t logged_clock;   /* capture clock last logged */
    decsel_choice_t logged_dec;  /* decoder choice last logged */
};

static uint64_t worker_now_ms(void)
{
    return (uint64_t)(g_get_monotonic_time() / 1000);
}

static void worker_apply(worker_t *w, health_action_t action);

/* ---- status ---------------------------------------------------------------------------------- */

/* Logs the decoder choice once per change: "decoder: avdec_h264 (no hardware decoder found)". */
static void worker_note_decoder(worker_t *w, const decsel_choice_t *d)
{
    if (strcmp(d->factory, w->logged_dec.factory) == 0 && strcmp(d->why, w->logged_dec.why) == 0)
        return;
    if (d->factory[0] != '\0')
        log_info(w->prefix, "decoder: %s (%s)", d->factory, d->why);
    else
        log_warn(w->prefix, "decoder: none (%s)", d->why);
    w->logged_dec = *d;
}

/* The worker's settings and choices, sent with every status (wire.h INFO). */
static void worker_publish_info(worker_t *w)
{
    wire_info_t info;
    memset(&info, 0, sizeof info);
    snprintf(info.camera_id, sizeof info.camera_id, "%s", w->cfg.id);
    decsel_choice_t d;
    if (pipeline_decoder(w->pipe, &d))
        worker_note_decoder(w, &d);
    snprintf(info.decoder, sizeof info.decoder, "%s", w->logged_dec.factory);
    snprintf(info.decoder_why, sizeof info.decoder_why, "%s", w->logged_dec.why);
    info.decoder_hw = w->logged_dec.hardware;
    info.latency_ms = w->cfg.source_kind == CONFIG_SOURCE_TEST ? 0 : (uint32_t)w->cfg.latency_ms;
    info.clock_offset_ms = w->clock.offset_ms;
    info.capture_clock = w->clock.clock;
    if (publisher_send_info(w->pub, &info) != 0)
        log_debug(w->prefix, "info not sent");
}

static void worker_publish_status(worker_t *w)
{
    wire_status_t st;
    memset(&st, 0, sizeof st);
    if (w->pipe != NULL) {
        uint32_t sw, sh;
        pipeline_source_size(w->pipe, &sw, &sh);
        if (sw > 0 && sh > 0) {
            w->src_width = sw;
            w->src_height = sh;
        }
    }
    health_fill_status(w->health, worker_now_ms(), &st);
    st.time_ns = wire_now_ns();
    st.src_width = w->src_width;
    st.src_height = w->src_height;
    st.rec = recorder_state(w->rec);
    if (publisher_send_status(w->pub, &st) != 0)
        log_debug(w->prefix, "status not sent");
    w->published_state = st.state;
    worker_publish_info(w);
}

/* Logs a fault just recorded by health: at info when its text differs from the last one logged,
 * else at debug (a camera that stays down does not fill the log). */
static void worker_log_fault(worker_t *w, const wire_status_t *st)
{
    uint64_t now = worker_now_ms(), retry_at = health_retry_at(w->health);
    bool repeat = strcmp(st->last_error, w->logged_error) == 0;
    log_msg(repeat ? LOG_DEBUG : LOG_INFO, w->prefix, "%s: %s; retry %u in %.1f s",
            wire_state_name(st->state), st->last_error, st->attempt,
            retry_at > now ? (double)(retry_at - now) / 1000.0 : 0.0);
    snprintf(w->logged_error, sizeof w->logged_error, "%s", st->last_error);
}

/* Logs state changes at info and publishes them at once; logs new faults. */
static void worker_state_changed(worker_t *w)
{
    wire_state_t s = health_state(w->health);
    bool new_fault = health_fault_count(w->health) != w->logged_faults;
    if (s == w->published_state && !new_fault)
        return;
    wire_status_t st;
    health_fill_status(w->health, worker_now_ms(), &st);
    if (s != w->published_state)
        log_info(w->prefix, "%s -> %s", wire_state_name(w->published_state), wire_state_name(s));
    if (new_fault) {
        worker_log_fault(w, &st);
        w->logged_faults = health_fault_count(w->health);
    }
    if (s == WIRE_STATE_LIVE)
        w->logged_error[0] = '\0'; /* after a recovery, the next fault is news again */
    if (s != w->published_state)
        worker_publish_status(w);
}

/* ---- pipeline events ------------------------------------------------------------------------- */

/* Streaming thread. */
static void worker_sample_ready(void *ud)
{
    worker_t *w = ud;
    int idle = 0;
    if (atomic_compare_exchange_strong(&w->wake_pending, &idle, 1))
        g_source_set_ready_time(w->wake, 0);
}

/* Main thread, from the bus watch. */
static void worker_on_fault(void *ud, bool eos, health_cause_t cause, const char *detail)
{
    worker_t *w = ud;
    char clean[WIRE_MAX_ERROR + 1];
    redact_text(w->redact, detail != NULL ? detail : "", clean, sizeof clean);
    log_debug(w->prefix, "pipeline %s: %s", eos ? "EOS" : "error", clean);
    uint64_t now = worker_now_ms();
    health_action_t a =
        eos ? health_eos(w->health, now) : health_fault(w->health, now, cause, clean);
    worker_apply(w, a);
}

static void worker_send_sample(worker_t *w, GstSample *sample)
{
    wire_frame_t hdr;
    memset(&hdr, 0, sizeof hdr);
    void *data = NULL;
    size_t len = 0;
    capclock_t clock;
    const char *why = NULL;
    sample_map_t *m = sample_map(sample, w->scaler, pipeline_running_time(w->pipe), &hdr, &data,
                                 &len, &clock, &why);
    if (m == NULL) {
        if (w->unusable++ == 0)
            log_warn(w->prefix, "decoded picture not sent: %s (further ones counted)", why);
        log_debug(w->prefix, "unusable sample dropped (%llu): %s",
                  (unsigned long long)w->unusable, why);
        return;
    }
    snprintf(hdr.camera_id, sizeof hdr.camera_id, "%s", w->cfg.id);
    hdr.seq = w->seq;
    if (publisher_send_frame(w->pub, &hdr, data, len, sample_release, m) != 0) {
        log_debug(w->prefix, "frame %llu not sent", (unsigned long long)hdr.seq);
        return;
    }
    w->seq++;
    w->clock = clock;
    if (clock.clock != w->logged_clock) {
        if (clock.offset_ms != WIRE_OFFSET_NONE && clock.clock != WIRE_CLOCK_CAMERA)
            log_warn(w->prefix, "capture clock: %s (camera clock off by %+d ms)",
                     wire_clock_name(clock.clock), (int)clock.offset_ms);
        else
            log_info(w->prefix, "capture clock: %s", wire_clock_name(clock.clock));
        w->logged_clock = clock.clock;
    }
    health_frame(w->health, worker_now_ms());
    worker_state_changed(w);
}

/* Wake source dispatch: publishes the newest sample. */
static gboolean worker_on_wake(gpointer ud)
{
    worker_t *w = ud;
    g_source_set_ready_time(w->wake, -1);
    atomic_store(&w->wake_pending, 0);
    GstSample *sample = pipeline_pull(w->pipe);
    if (sample != NULL) {
        worker_send_sample(w, sample);
        gst_sample_unref(sample);
    }
    return G_SOURCE_CONTINUE;
}

static gboolean worker_wake_dispatch(GSource *source, GSourceFunc callback, gpointer ud)
{
    (void)source;
    return callback != NULL ? callback(ud) : G_SOURCE_CONTINUE;
}

static GSourceFuncs worker_wake_funcs = {.dispatch = worker_wake_dispatch};

/* ---- decisions ------------------------------------------------------------------------------- */

/* Builds and starts the pipeline for cfg (the worker's, or an ONVIF camera's resolved RTSP). */
static void worker_start_pipeline_for(worker_t *w, const ingest_config_t *cfg)
{
    char err[WIRE_MAX_ERROR + 1] = "";
    char clean[WIRE_MAX_ERROR + 1];
    health_cause_t cause = HEALTH_CAUSE_OTHER;
    pipeline_callbacks_t cb = {
        .sample_ready = worker_sample_ready, .fault = worker_on_fault, .ud = w};
    w->pipe = pipeline_new(cfg, w->user, w->password, &cb, err, sizeof err);
    pipeline_set_recorder(w->pipe, w->rec);
    if (w->pipe != NULL)
        pipeline_set_decoding(w->pipe, w->watched);
    if (w->pipe != NULL && pipeline_start(w->pipe, &cause, err, sizeof err) == 0) {
        log_debug(w->prefix, "pipeline started");
        return;
    }
    redact_text(w->redact, err, clean, sizeof clean);
    log_warn(w->prefix, "cannot start the pipeline: %s", clean);
    worker_apply(w, health_fault(w->health, worker_now_ms(), cause, clean));
}

/* Main thread: the ONVIF resolution ended (onvif_source.h). */
static void worker_on_resolved(void *ud, const onvif_result_t *r, health_cause_t cause,
                               const char *text)
{
    worker_t *w = ud;
    char clean[WIRE_MAX_ERROR + 1];
    if (r->error != ONVIF_OK) {
        redact_text(w->redact, text, clean, sizeof clean);
        worker_apply(w, health_fault(w->health, worker_now_ms(), cause, clean));
        return;
    }
    ptz_server_set_device(w->ptz, r, r->profiles[r->chosen].token);
    ingest_config_t rtsp = w->cfg;
    snprintf(rtsp.source, sizeof rtsp.source, "%s", r->stream_uri);
    rtsp.source_kind = CONFIG_SOURCE_RTSP;
    char server[WORKER_SERVER_MAX];
    pipeline_uri_server(r->stream_uri, server, sizeof server);
    health_set_server(w->health, server); /* RTSP faults name the RTSP server */
    redact_text(w->redact, r->stream_uri, clean, sizeof clean);
    log_info(w->prefix, "ONVIF %s: profile %s -> %s", r->server, r->why, clean);
    worker_start_pipeline_for(w, &rtsp);
}

static void worker_start_pipeline(worker_t *w)
{
    char err[WIRE_MAX_ERROR + 1] = "";
    if (w->onvif == NULL) {
        worker_start_pipeline_for(w, &w->cfg);
        return;
    }
    char server[WORKER_SERVER_MAX];
    onvif_source_server(w->cfg.source, server, sizeof server);
    health_set_server(w->health, server); /* ONVIF faults name the device */
    if (onvif_source_resolve(w->onvif, worker_on_resolved, w, err, sizeof err) != 0) {
        log_warn(w->prefix, "cannot start the ONVIF client: %s", err);
        worker_apply(w, health_fault(w->health, worker_now_ms(), HEALTH_CAUSE_OTHER, err));
    }
}

static void worker_stop_pipeline(worker_t *w)
{
    onvif_source_cancel(w->onvif);
    if (w->pipe == NULL)
        return;
    uint64_t t0 = worker_now_ms();
    pipeline_destroy(&w->pipe);
    atomic_store(&w->wake_pending, 0);
    uint64_t took = worker_now_ms() - t0;
    if (took > WORKER_SLOW_TEARDOWN_MS)
        log_warn(w->prefix, "pipeline teardown took %llu ms", (unsigned long long)took);
    else
        log_debug(w->prefix, "pipeline torn down in %llu ms", (unsigned long long)took);
}

/* Reports the state if it changed (first, so subscribers hear of a fault before the teardown),
 * then executes the health decision. */
static void worker_apply(worker_t *w, health_action_t action)
{
    worker_state_changed(w);
    if (action == HEALTH_DO_STOP)
        worker_stop_pipeline(w);
    if (action == HEALTH_DO_START) {
        worker_stop_pipeline(w); /* never two at once */
        worker_start_pipeline(w);
    }
}

/* Reads the subscriptions waiting on the XPUB socket: decoding follows whether anyone wants
 * frames (a camera on no visible page costs no decoding), and a new subscriber gets the current
 * status at once instead of at the next status tick. */
static void worker_check_subscriptions(worker_t *w)
{
    bool joined = false;
    bool watched = publisher_take_subscriptions(w->pub, &joined);
    if (watched != w->watched) {
        w->watched = watched;
        log_info(w->prefix, watched ? "watched again: decoding" : "nobody watches: decoding paused");
        health_set_idle(w->health, worker_now_ms(), !watched);
        pipeline_set_decoding(w->pipe, watched);
    }
    if (joined)
        worker_publish_status(w);
}

static gboolean worker_on_subscription(gint fd, GIOCondition cond, gpointer ud)
{
    (void)fd;
    (void)cond;
    worker_check_subscriptions(ud);
    return G_SOURCE_CONTINUE;
}

static gboolean worker_on_tick(gpointer ud)
{
    worker_t *w = ud;
    worker_check_subscriptions(w); /* ZMQ_FD is edge-triggered: never rely on it alone */
    uint64_t now = worker_now_ms();
    health_bytes(w->health, now, pipeline_take_bytes(w->pipe));
    recorder_tick(w->rec);
    worker_apply(w, health_tick(w->health, now));
    return G_SOURCE_CONTINUE;
}

static gboolean worker_on_status_timer(gpointer ud)
{
    worker_publish_status(ud);
    return G_SOURCE_CONTINUE;
}

static gboolean worker_on_signal(gpointer ud)
{
    worker_t *w = ud;
    log_info(w->prefix, "stopping (signal)");
    g_main_loop_quit(w->loop);
    return G_SOURCE_CONTINUE;
}

/* ---- life cycle ------------------------------------------------------------------------------ */

static void worker_health_config(const worker_t *w, health_config_t *hc, char *server, size_t cap)
{
    health_config_init(hc);
    hc->camera_id = w->cfg.id;
    server[0] = '\0';
    if (w->cfg.source_kind == CONFIG_SOURCE_RTSP)
        pipeline_uri_server(w->cfg.source, server, cap);
    if (w->cfg.source_kind == CONFIG_SOURCE_ONVIF)
        onvif_source_server(w->cfg.source, server, cap);
    hc->server = server[0] != '\0' ? server : NULL;
    hc->has_credentials = w->password != NULL;
    hc->stall_ms = (uint32_t)w->cfg.stall_ms;
    hc->seed = (uint64_t)g_get_real_time() ^ ((uint64_t)getpid() << 32);
}

/* The recorder, when --record-dir is given and the source is a camera. */
static int worker_recorder(worker_t *w, char *err, size_t err_cap)
{
    const ingest_config_t *c = &w->cfg;
    if (c->record_dir[0] == '\0')
        return 0;
    if (c->source_kind == CONFIG_SOURCE_TEST) {
        log_info(w->prefix, "not recording: a test source has no camera stream to record");
        return 0;
    }
    recorder_config_t rc = {
        .camera = c->id,
        .root = c->record_dir,
        .segment_ns = (int64_t)c->segment_s * 1000000000ll,
        .limits = {.max_age_ns = c->retention_ns,
                   .quota_bytes = c->quota_bytes,
                   .total_bytes = c->quota_total_bytes},
    };
    if ((w->rec = recorder_new(&rc, err, err_cap)) == NULL)
        return -1;
    log_info(w->prefix, "recording into %s/%s in %d s segments (retention %s, quota %s, total %s)",
             c->record_dir, c->id, c->segment_s, c->retention, c->quota, c->quota_total);
    return 0;
}

worker_t *worker_new(const ingest_config_t *cfg, const char *user, const char *password, char *err,
                     size_t err_cap)
{
    char server[WORKER_SERVER_MAX];
    health_config_t hc;
    worker_t *w = g_new0(worker_t, 1);
    w->cfg = *cfg;
    w->clock.offset_ms = WIRE_OFFSET_NONE;
    snprintf(w->prefix, sizeof w->prefix, "ingest %s", cfg->id);
    w->user = g_strdup(user);
    w->password = g_strdup(password);
    w->redact = redact_new();
    if (w->redact == NULL || (password != NULL && redact_add(w->redact, password) != 0)) {
        snprintf(err, err_cap, "out of memory");
        goto fail;
    }
    worker_health_config(w, &hc, server, sizeof server);
    if ((w->health = health_new(&hc)) == NULL) {
        snprintf(err, err_cap, "invalid health settings");
        goto fail;
    }
    if ((w->pub = publisher_new(cfg->endpoint, err, err_cap)) == NULL)
        goto fail;
    if ((w->scaler = scaler_new(cfg->width, cfg->height, cfg->fit)) == NULL) {
        snprintf(err, err_cap, "cannot scale to %dx%d", cfg->width, cfg->height);
        goto fail;
    }
    if (worker_recorder(w, err, err_cap) != 0)
        goto fail;
    if (cfg->source_kind == CONFIG_SOURCE_ONVIF &&
        (w->onvif = onvif_source_new(cfg, user, password)) == NULL) {
        snprintf(err, err_cap, "out of memory");
        goto fail;
    }
    char ptz_err[256];
    w->ptz = ptz_server_new(cfg->id, cfg->endpoint, cfg->source_kind == CONFIG_SOURCE_ONVIF, user,
                            password, ptz_err, sizeof ptz_err);
    if (w->ptz == NULL)
        log_warn(w->prefix, "no PTZ commands: %s", ptz_err);
    w->published_state = health_state(w->health);
    w->loop = g_main_loop_new(NULL, FALSE);
    w->wake = g_source_new(&worker_wake_funcs, sizeof(GSource));
    g_source_set_callback(w->wake, worker_on_wake, w, NULL);
    g_source_set_ready_time(w->wake, -1);
    g_source_attach(w->wake, NULL);
    return w;
fail:
    worker_destroy(&w);
    return NULL;
}

int worker_run(worker_t *w)
{
    char uri[CONFIG_TEXT_MAX];
    redact_text(w->redact, w->cfg.source, uri, sizeof uri);
    log_info(w->prefix, "source %s -> %s, %dx%d", uri, w->cfg.endpoint, w->cfg.width,
             w->cfg.height);
    w->tick_id = g_timeout_add(WORKER_TICK_MS, worker_on_tick, w);
    w->status_id = g_timeout_add((guint)w->cfg.status_ms, worker_on_status_timer, w);
    w->sigint_id = g_unix_signal_add(SIGINT, worker_on_signal, w);
    w->sigterm_id = g_unix_signal_add(SIGTERM, worker_on_signal, w);
    int fd = publisher_fd(w->pub);
    if (fd >= 0)
        w->subs_id = g_unix_fd_add(fd, G_IO_IN, worker_on_subscription, w);
    health_set_idle(w->health, worker_now_ms(), true); /* until a subscriber wants frames */
    worker_apply(w, health_start(w->health, worker_now_ms()));
    worker_publish_status(w);
    g_main_loop_run(w->loop);
    return 0;
}

void worker_destroy(worker_t **wp)
{
    if (wp == NULL || *wp == NULL)
        return;
    worker_t *w = *wp;
    worker_stop_pipeline(w);
    recorder_destroy(&w->rec); /* after the pipeline that taps it */
    guint *ids[] = {&w->tick_id, &w->status_id, &w->sigint_id, &w->sigterm_id, &w->subs_id};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        if (*ids[i] != 0)
            g_source_remove(*ids[i]);
    if (w->wake != NULL) {
        g_source_destroy(w->wake);
        g_source_unref(w->wake);
    }
    ptz_server_destroy(&w->ptz);
    onvif_source_destroy(&w->onvif);
    publisher_destroy(&w->pub); /* releases frames ZeroMQ still holds */
    scaler_destroy(&w->scaler); /* after them: its pool outlives released frames anyway */
    health_destroy(&w->health);
    redact_destroy(&w->redact);
    if (w->loop != NULL)
        g_main_loop_unref(w->loop);
    if (w->password != NULL)
        memset(w->password, 0, strlen(w->password));
    g_free(w->password);
    g_free(w->user);
    g_free(w);
    *wp = NULL;
}
