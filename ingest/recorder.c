/* recorder: rolling recording of the encoded stream (see recorder.h). A session's pipeline:
 *
 *   gst-launch-1.0 appsrc format=time is-live=true caps=video/x-h264,... ! h264parse \
 *     ! splitmuxsink muxer-factory=matroskamux max-size-time=10000000000 \
 *         location=ROOT/ID/ID_%s.mkv   (named per fragment in format-location-full)
 *
 * Threads: recorder_on_buffer runs on the live pipeline's streaming thread; recorder_on_location
 * on the session's streaming thread; both touch only the fields the mutex guards. The rest runs on
 * the worker's main-loop thread. */
#include "recorder.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <gst/app/gstappsrc.h>

#include "log.h"

#define RECORDER_EOS_WAIT_MS 1500
#define RECORDER_PREFIX_MAX 48
#define RECORDER_DETAIL_MAX 256
#define RECORDER_NS 1000000000ll
#define RECORDER_IDLE_NS (2 * RECORDER_NS) /* no buffer this long: IDLE, not RECORDING */

/* Time base of one session: pts -> wall clock, and its open segment. Reference-counted (g_rc_box):
 * held by the recorder while buffers are written with it and by the session that names files with
 * it. Fields guarded by the recorder's lock. */
typedef struct {
    struct recorder *r;
    int64_t anchor_pts, anchor_wall_ns; /* first buffer of the session */
    bool anchored;
    int64_t last_wall_ns;               /* newest buffer queued */
    char cur_path[RECSTORE_PATH_MAX];   /* segment being written ("" = none) */
} recorder_clock_t;

typedef struct {
    recorder_clock_t *clock; /* a reference */
    GstElement *bin;   /* the session pipeline */
    GstElement *src;   /* appsrc, owned by bin */
    GstBus *bus;
    guint bus_watch;
} recorder_session_t;

struct recorder {
    char camera[WIRE_ID_MAX + 1];
    char *root, *dir; /* ROOT and ROOT/ID */
    int64_t segment_ns;
    recstore_limits_t limits;
    char prefix[RECORDER_PREFIX_MAX];

    /* Main thread only. */
    recorder_session_t session; /* bin == NULL: none */
    wire_rec_t fault;           /* WIRE_REC_OFF = no fault, else the fault state */
    int64_t retry_at_ns;        /* monotonic; a session is not started before */
    int64_t prune_at_ns;
    char logged[RECORDER_DETAIL_MAX];

    GMutex lock;         /* guards everything below */
    GstAppSrc *feed;     /* the session's appsrc (a ref) while it accepts buffers, else NULL */
    unsigned tap_gen;    /* newest tap; a buffer from an older one is ignored */
    unsigned session_gen; /* tap the current session records */
    unsigned restart_gen; /* tap a session is wanted for (restart true) */
    GstCaps *caps;       /* caps of the newest tap's stream (a ref) */
    bool want_keyframe;  /* drop until a keyframe (start, after a drop) */
    bool restart;        /* main thread must (re)start a session for tap_gen */
    GQueue pending;      /* buffers waiting for the session to start (refs) */
    size_t pending_bytes;
    recorder_clock_t *clock_in; /* time base of the newest tap's buffers (a reference) */
    int64_t last_buffer_mono_ns; /* when the tap last queued a buffer */
    bool closed_fragment; /* a segment was closed: prune soon */
    recorder_stats_t stats;
};

static int64_t recorder_mono_ns(void)
{
    return g_get_monotonic_time() * 1000;
}

/* ---- streaming thread: the tap ---------------------------------------------------------------- */

typedef struct {
    recorder_t *r;
    unsigned gen;
} recorder_tap_t;

static void recorder_drop_pending(recorder_t *r)
{
    GstBuffer *b;
    while ((b = g_queue_pop_head(&r->pending)) != NULL)
        gst_buffer_unref(b);
    r->pending_bytes = 0;
}

/* With the lock held: queues buf for the session (appsrc or pending). */
static void recorder_queue(recorder_t *r, GstBuffer *buf)
{
    size_t size = gst_buffer_get_size(buf);
    if (r->feed != NULL) {
        if (gst_app_src_get_current_level_bytes(r->feed) + size > RECORDER_MAX_QUEUED) {
            r->stats.dropped++;
            r->want_keyframe = true;
            return;
        }
        gst_app_src_push_buffer(r->feed, gst_buffer_ref(buf));
        return;
    }
    if (!r->restart)
        return; /* no session and none coming (a fault waits for its retry): nothing to keep */
    if (r->pending_bytes + size > RECORDER_MAX_QUEUED) {
        recorder_drop_pending(r);
        r->stats.dropped++;
        r->want_keyframe = true;
        return;
    }
    g_queue_push_tail(&r->pending, gst_buffer_ref(buf));
    r->pending_bytes += size;
}

static GstPadProbeReturn recorder_on_buffer(GstPad *pad, GstPadProbeInfo *info, gpointer ud)
{
    recorder_tap_t *tap = ud;
    recorder_t *r = tap->r;
    GstBuffer *buf = gst_pad_probe_info_get_buffer(info);
    if (buf == NULL)
        return GST_PAD_PROBE_OK;
    g_mutex_lock(&r->lock);
    if (tap->gen != r->tap_gen)
        goto out; /* an old pipeline still draining */
    if (tap->gen != r->session_gen && !(r->restart && r->restart_gen == tap->gen)) {
        /* First buffer of a new live pipeline: the main thread starts a session for it. */
        GstCaps *caps = gst_pad_get_current_caps(pad);
        if (caps == NULL)
            goto out;
        gst_caps_replace(&r->caps, caps);
        gst_caps_unref(caps);
        recorder_drop_pending(r);
        gst_clear_object(&r->feed);
        r->restart = true;
        r->restart_gen = tap->gen;
        g_rc_box_release(r->clock_in); /* the old session keeps its own reference */
        r->clock_in = g_rc_box_new0(recorder_clock_t);
        r->clock_in->r = r;
        r->want_keyframe = true;
    }
    if (r->want_keyframe && GST_BUFFER_FLAG_IS_SET(buf, GST_BUFFER_FLAG_DELTA_UNIT))
        goto out;
    r->want_keyframe = false;
    recorder_clock_t *c = r->clock_in;
    r->last_buffer_mono_ns = recorder_mono_ns();
    if (!c->anchored && GST_BUFFER_PTS_IS_VALID(buf)) {
        c->anchor_pts = (int64_t)GST_BUFFER_PTS(buf);
        c->anchor_wall_ns = g_get_real_time() * 1000;
        c->anchored = true;
    }
    if (c->anchored && GST_BUFFER_PTS_IS_VALID(buf))
        c->last_wall_ns = c->anchor_wall_ns + ((int64_t)GST_BUFFER_PTS(buf) - c->anchor_pts);
    recorder_queue(r, buf);
out:
    g_mutex_unlock(&r->lock);
    return GST_PAD_PROBE_OK;
}

void recorder_tap(recorder_t *r, GstPad *pad)
{
    if (r == NULL || pad == NULL)
        return;
    recorder_tap_t *tap = g_new0(recorder_tap_t, 1);
    tap->r = r;
    g_mutex_lock(&r->lock);
    tap->gen = ++r->tap_gen;
    g_mutex_unlock(&r->lock);
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, recorder_on_buffer, tap, g_free);
}

/* ---- session streaming thread: file names ------------------------------------------------------- */

static gchar *recorder_on_location(GstElement *splitmux, guint fragment, GstSample *first,
                                   gpointer ud)
{
    (void)splitmux;
    (void)fragment;
    recorder_clock_t *c = ud;
    recorder_t *r = c->r;
    int64_t wall = g_get_real_time() * 1000;
    GstBuffer *buf = first != NULL ? gst_sample_get_buffer(first) : NULL;
    g_mutex_lock(&r->lock);
    if (buf != NULL && c->anchored && GST_BUFFER_PTS_IS_VALID(buf))
        wall = c->anchor_wall_ns + ((int64_t)GST_BUFFER_PTS(buf) - c->anchor_pts);
    g_mutex_unlock(&r->lock);
    char name[RECSTORE_NAME_MAX];
    if (recstore_segment_name(r->camera, wall, name, sizeof name) != 0)
        snprintf(name, sizeof name, "%s_unnamed" RECSTORE_EXT, r->camera);
    char *path = g_strdup_printf("%s/%s", r->dir, name);
    g_mutex_lock(&r->lock);
    snprintf(c->cur_path, sizeof c->cur_path, "%s", path);
    g_mutex_unlock(&r->lock);
    return path;
}

/* ---- main thread: sessions -------------------------------------------------------------------- */

/* Logs a fault once per distinct text and enters its state. */
static void recorder_set_fault(recorder_t *r, wire_rec_t state, const char *detail)
{
    r->fault = state;
    r->retry_at_ns = recorder_mono_ns() + RECORDER_RETRY_S * RECORDER_NS;
    if (strcmp(detail, r->logged) != 0) {
        log_warn(r->prefix, "recording stopped: %s; live video goes on; retry every %d s", detail,
                 RECORDER_RETRY_S);
        snprintf(r->logged, sizeof r->logged, "%s", detail);
    }
}

static void recorder_clear_fault(recorder_t *r)
{
    if (r->fault != WIRE_REC_OFF)
        log_info(r->prefix, "recording again into %s", r->dir);
    r->fault = WIRE_REC_OFF;
    r->logged[0] = '\0';
}

/* A segment's end is its modification time (recstore.h). The last one of a session is finished
 * when the next session starts, maybe long after the camera went away: stamp it with the time of
 * its last frame, so the hole shows in exports. */
static void recorder_stamp_last(recorder_t *r, recorder_clock_t *c)
{
    if (c == NULL)
        return;
    g_mutex_lock(&r->lock);
    char path[RECSTORE_PATH_MAX];
    snprintf(path, sizeof path, "%s", c->cur_path);
    int64_t wall = c->last_wall_ns;
    c->cur_path[0] = '\0';
    g_mutex_unlock(&r->lock);
    if (path[0] == '\0' || wall <= 0)
        return;
    struct timespec ts[2] = {{.tv_sec = 0, .tv_nsec = UTIME_OMIT},
                             {.tv_sec = wall / RECORDER_NS, .tv_nsec = wall % RECORDER_NS}};
    utimensat(AT_FDCWD, path, ts, 0); /* best effort: a missing file has nothing to stamp */
}

/* Ends the session: EOS so the last segment is complete (bounded wait), then NULL. */
static void recorder_end_session(recorder_t *r)
{
    recorder_session_t *s = &r->session;
    if (s->bin == NULL)
        return;
    g_mutex_lock(&r->lock);
    gst_clear_object(&r->feed);
    g_mutex_unlock(&r->lock);
    if (s->bus_watch != 0)
        g_source_remove(s->bus_watch);
    if (r->fault == WIRE_REC_OFF && s->bus != NULL) {
        gst_app_src_end_of_stream(GST_APP_SRC(s->src));
        GstMessage *m = gst_bus_timed_pop_filtered(
            s->bus, (GstClockTime)RECORDER_EOS_WAIT_MS * GST_MSECOND,
            GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
        if (m == NULL)
            log_warn(r->prefix, "the last segment was not finished within %d ms",
                     RECORDER_EOS_WAIT_MS);
        else
            gst_message_unref(m);
    }
    gst_element_set_state(s->bin, GST_STATE_NULL);
    recorder_stamp_last(r, s->clock);
    if (s->clock != NULL)
        g_rc_box_release(s->clock);
    if (s->bus != NULL)
        gst_object_unref(s->bus);
    gst_object_unref(s->bin);
    memset(s, 0, sizeof *s);
}

/* Which state a write error means. */
static wire_rec_t recorder_classify(const GError *e)
{
    if (e->domain == GST_RESOURCE_ERROR) {
        if (e->code == GST_RESOURCE_ERROR_NO_SPACE_LEFT)
            return WIRE_REC_DISK_FULL;
        if (e->code == GST_RESOURCE_ERROR_OPEN_WRITE || e->code == GST_RESOURCE_ERROR_WRITE ||
            e->code == GST_RESOURCE_ERROR_OPEN_READ_WRITE)
            return WIRE_REC_UNWRITABLE;
    }
    return WIRE_REC_ERROR;
}

static gboolean recorder_on_bus(GstBus *bus, GstMessage *msg, gpointer ud)
{
    (void)bus;
    recorder_t *r = ud;
    if (GST_MESSAGE_TYPE(msg) == GST_MESSAGE_ELEMENT) {
        const GstStructure *s = gst_message_get_structure(msg);
        if (s != NULL && gst_structure_has_name(s, "splitmuxsink-fragment-closed")) {
            g_mutex_lock(&r->lock);
            r->stats.segments++;
            r->closed_fragment = true;
            g_mutex_unlock(&r->lock);
        }
        return G_SOURCE_CONTINUE;
    }
    if (GST_MESSAGE_TYPE(msg) != GST_MESSAGE_ERROR)
        return G_SOURCE_CONTINUE;
    GError *e = NULL;
    char *debug = NULL;
    gst_message_parse_error(msg, &e, &debug);
    char detail[RECORDER_DETAIL_MAX];
    snprintf(detail, sizeof detail, "%s (%s)", e->message, r->dir);
    wire_rec_t state = recorder_classify(e);
    log_debug(r->prefix, "recorder error: %s (%s)", e->message, debug != NULL ? debug : "");
    g_error_free(e);
    g_free(debug);
    g_mutex_lock(&r->lock);
    r->stats.faults++;
    g_mutex_unlock(&r->lock);
    r->session.bus_watch = 0; /* returning REMOVE below */
    recorder_set_fault(r, state, detail);
    recorder_end_session(r);
    return G_SOURCE_REMOVE;
}

/* Checks the folder before a session: exists (created), writable, enough free space. */
static int recorder_check_dir(recorder_t *r)
{
    char detail[RECORDER_DETAIL_MAX];
    if (g_mkdir_with_parents(r->dir, 0750) != 0 || access(r->dir, W_OK) != 0) {
        snprintf(detail, sizeof detail, "cannot write to %s: %s", r->dir, strerror(errno));
        recorder_set_fault(r, WIRE_REC_UNWRITABLE, detail);
        return -1;
    }
    struct statvfs vfs;
    if (statvfs(r->dir, &vfs) == 0 &&
        (uint64_t)vfs.f_bavail * vfs.f_frsize < RECORDER_MIN_FREE) {
        snprintf(detail, sizeof detail, "disk full: %llu MiB free on %s",
                 (unsigned long long)((uint64_t)vfs.f_bavail * vfs.f_frsize >> 20), r->dir);
        recorder_set_fault(r, WIRE_REC_DISK_FULL, detail);
        return -1;
    }
    return 0;
}

/* appsrc ! PARSE ! splitmuxsink for caps. Returns 0, or -1 with detail. */
static int recorder_build(recorder_t *r, GstCaps *caps, char *detail, size_t cap)
{
    recorder_session_t *s = &r->session;
    const GstStructure *st = gst_caps_get_structure(caps, 0);
    const char *parse = gst_structure_has_name(st, "video/x-h265") ? "h265parse" : "h264parse";
    s->bin = gst_pipeline_new(NULL);
    s->src = gst_element_factory_make("appsrc", NULL);
    GstElement *p = gst_element_factory_make(parse, NULL);
    GstElement *mux = gst_element_factory_make("splitmuxsink", NULL);
    if (s->src == NULL || p == NULL || mux == NULL) {
        snprintf(detail, cap, "GStreamer elements appsrc/%s/splitmuxsink missing", parse);
        if (s->src)
            gst_object_unref(s->src);
        if (p)
            gst_object_unref(p);
        if (mux)
            gst_object_unref(mux);
        s->src = NULL;
        return -1;
    }
    g_object_set(s->src, "caps", caps, "format", GST_FORMAT_TIME, "is-live", TRUE, "block", FALSE,
                 "max-bytes", (guint64)RECORDER_MAX_QUEUED * 2, NULL);
    g_object_set(mux, "muxer-factory", "matroskamux", "max-size-time", (guint64)r->segment_ns,
                 "send-keyframe-requests", FALSE, NULL);
    g_mutex_lock(&r->lock);
    s->clock = g_rc_box_acquire(r->clock_in);
    g_mutex_unlock(&r->lock);
    g_signal_connect(mux, "format-location-full", G_CALLBACK(recorder_on_location), s->clock);
    gst_bin_add_many(GST_BIN(s->bin), s->src, p, mux, NULL);
    if (!gst_element_link_many(s->src, p, mux, NULL)) {
        snprintf(detail, cap, "cannot link the recorder pipeline");
        return -1;
    }
    s->bus = gst_element_get_bus(s->bin);
    s->bus_watch = gst_bus_add_watch(s->bus, recorder_on_bus, r);
    if (gst_element_set_state(s->bin, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
        snprintf(detail, cap, "the recorder pipeline refused to start");
        return -1;
    }
    return 0;
}

static void recorder_start_session(recorder_t *r)
{
    char detail[RECORDER_DETAIL_MAX];
    GstCaps *caps = NULL;
    g_mutex_lock(&r->lock);
    if (r->caps != NULL)
        caps = gst_caps_ref(r->caps);
    unsigned gen = r->restart_gen;
    g_mutex_unlock(&r->lock);
    if (caps == NULL)
        return;
    if (recorder_build(r, caps, detail, sizeof detail) != 0) {
        gst_caps_unref(caps);
        recorder_set_fault(r, WIRE_REC_ERROR, detail); /* a fault: no EOS wait below */
        recorder_end_session(r);
        return;
    }
    gst_caps_unref(caps);
    g_mutex_lock(&r->lock);
    r->session_gen = gen;
    r->restart = false;
    r->feed = GST_APP_SRC(gst_object_ref(r->session.src));
    GstBuffer *b;
    while ((b = g_queue_pop_head(&r->pending)) != NULL)
        gst_app_src_push_buffer(r->feed, b);
    r->pending_bytes = 0;
    g_mutex_unlock(&r->lock);
    recorder_clear_fault(r);
    log_debug(r->prefix, "recording session started in %s", r->dir);
}

static void recorder_prune(recorder_t *r)
{
    char err[RECORDER_DETAIL_MAX];
    recstore_prune_t res;
    int64_t now = g_get_real_time() * 1000;
    if (recstore_prune(r->root, r->camera, &r->limits, now, &res, err, sizeof err) != 0) {
        log_warn(r->prefix, "retention: %s", err);
        return;
    }
    g_mutex_lock(&r->lock);
    r->stats.pruned += res.removed;
    g_mutex_unlock(&r->lock);
    if (res.removed > 0 || res.failed > 0)
        log_debug(r->prefix, "retention removed %u segments (%llu bytes), %u refused; camera %llu "
                             "bytes, all %llu bytes",
                  res.removed, (unsigned long long)res.removed_bytes, res.failed,
                  (unsigned long long)res.camera_bytes, (unsigned long long)res.total_bytes);
}

void recorder_tick(recorder_t *r)
{
    if (r == NULL)
        return;
    int64_t now = recorder_mono_ns();
    g_mutex_lock(&r->lock);
    bool restart = r->restart, closed = r->closed_fragment;
    r->closed_fragment = false;
    g_mutex_unlock(&r->lock);
    if (restart && (r->fault == WIRE_REC_OFF || now >= r->retry_at_ns)) {
        recorder_end_session(r);
        if (recorder_check_dir(r) == 0)
            recorder_start_session(r);
        else {
            g_mutex_lock(&r->lock);
            recorder_drop_pending(r);
            r->want_keyframe = true;
            g_mutex_unlock(&r->lock);
        }
    } else if (restart) {
        g_mutex_lock(&r->lock); /* in a fault: do not hoard buffers until the retry */
        recorder_drop_pending(r);
        r->want_keyframe = true;
        g_mutex_unlock(&r->lock);
    } else if (r->fault != WIRE_REC_OFF && now >= r->retry_at_ns) {
        g_mutex_lock(&r->lock); /* a session died: start again at the next keyframe */
        r->session_gen = 0;
        g_mutex_unlock(&r->lock);
    }
    if (closed || now >= r->prune_at_ns) {
        r->prune_at_ns = now + RECORDER_PRUNE_S * RECORDER_NS;
        recorder_prune(r);
    }
}

wire_rec_t recorder_state(recorder_t *r)
{
    if (r == NULL)
        return WIRE_REC_OFF;
    if (r->fault != WIRE_REC_OFF)
        return r->fault;
    g_mutex_lock(&r->lock);
    bool flowing = recorder_mono_ns() - r->last_buffer_mono_ns < RECORDER_IDLE_NS;
    g_mutex_unlock(&r->lock);
    /* A session stays open while the camera is away (its last segment is finished when the
     * camera returns): without buffers it is not recording. */
    return r->session.bin != NULL && flowing ? WIRE_REC_RECORDING : WIRE_REC_IDLE;
}

void recorder_stats(recorder_t *r, recorder_stats_t *out)
{
    memset(out, 0, sizeof *out);
    if (r == NULL)
        return;
    g_mutex_lock(&r->lock);
    *out = r->stats;
    g_mutex_unlock(&r->lock);
}

/* ---- life cycle ------------------------------------------------------------------------------- */

recorder_t *recorder_new(const recorder_config_t *cfg, char *err, size_t err_cap)
{
    if (cfg == NULL || cfg->camera == NULL || cfg->root == NULL || cfg->root[0] == '\0' ||
        cfg->segment_ns <= 0) {
        snprintf(err, err_cap, "recorder_new: missing arguments");
        return NULL;
    }
    recorder_t *r = g_new0(recorder_t, 1);
    g_mutex_init(&r->lock);
    g_queue_init(&r->pending);
    snprintf(r->camera, sizeof r->camera, "%s", cfg->camera);
    snprintf(r->prefix, sizeof r->prefix, "ingest %s", cfg->camera);
    r->root = g_strdup(cfg->root);
    r->dir = g_build_filename(cfg->root, cfg->camera, NULL);
    r->segment_ns = cfg->segment_ns;
    r->limits = cfg->limits;
    r->prune_at_ns = recorder_mono_ns(); /* apply retention at the first tick */
    r->clock_in = g_rc_box_new0(recorder_clock_t);
    r->clock_in->r = r;
    recorder_check_dir(r);
    return r;
}

void recorder_destroy(recorder_t **rp)
{
    if (rp == NULL || *rp == NULL)
        return;
    recorder_t *r = *rp;
    recorder_end_session(r);
    g_mutex_lock(&r->lock);
    recorder_drop_pending(r);
    gst_clear_caps(&r->caps);
    g_rc_box_release(r->clock_in);
    gst_clear_object(&r->feed);
    g_mutex_unlock(&r->lock);
    g_mutex_clear(&r->lock);
    g_free(r->root);
    g_free(r->dir);
    g_free(r);
    *rp = NULL;
}
