/* player: one clip decoded by GStreamer into I420 frames for the review window (see player.h).
 *
 *   gst-launch-1.0 playbin uri=file:///clip.mp4 flags=0x41 \
 *       video-sink="appsink caps=video/x-raw,format=I420 sync=true max-buffers=2" */
#include "player.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>

#define DEFAULT_FRAME_NS (GST_SECOND / 25)  /* frame length when the clip does not say */
#define DEFAULT_SINK_BUFFERS 2               /* decoded frames the appsink may hold */
#define PLAYBIN_FLAG_VIDEO (1 << 0)
#define PLAYBIN_FLAG_NATIVE_VIDEO (1 << 6)  /* no videoconvert/videoscale in playsink */
#define PLAYER_ERR_MAX 512

struct player {
    GstElement *pipe;
    GstAppSink *sink;
    GstBus *bus;
    player_state_t state;
    bool want_play;         /* the pipeline's target is PLAYING */
    bool busy;              /* a seek or step is under way */
    bool stepping;          /* a step event is out: done when its frame arrives */
    bool async_seen;        /* an ASYNC_DONE came since the last seek was sent */
    uint64_t frames_at_seek; /* frames taken when it was sent */
    char error[PLAYER_ERR_MAX];
    GstSample *sample;      /* the frame shown (mapped in vframe) */
    GstVideoFrame vframe;
    bool mapped, fresh;
    int64_t pos_ns, dur_ns, frame_ns;
    bool fps_known;         /* frame_ns from the caps' frame rate */
    int64_t first_ns;       /* stream time of the clip's first frame (a clip cut from
                               recordings may begin with a gap: its first keyframe comes later) */
    bool looked_ahead;      /* loading: the preroll was a gap, a seek to the first frame is out */
    GMutex lock;            /* guards gap_end_ns (written by the streaming thread) */
    int64_t gap_end_ns;     /* end of the last GAP event the sink saw, -1 = none */
    uint64_t frames;
};

static void player_fail(player_t *p, const char *fmt, const char *a, const char *b)
{
    if (p->state == PLAYER_ERROR)
        return;
    snprintf(p->error, sizeof p->error, fmt, a, b);
    p->state = PLAYER_ERROR;
    p->busy = false;
    if (p->pipe != NULL)
        gst_element_set_state(p->pipe, GST_STATE_NULL);
}

/* Streaming thread: notes where a GAP ends (a clip whose timeline starts before its first frame
 * prerolls on a gap; its end is where the pictures begin). */
static GstPadProbeReturn player_gap_probe(GstPad *pad, GstPadProbeInfo *info, gpointer ud)
{
    (void)pad;
    player_t *p = ud;
    GstEvent *ev = GST_PAD_PROBE_INFO_EVENT(info);
    if (ev != NULL && GST_EVENT_TYPE(ev) == GST_EVENT_GAP) {
        GstClockTime ts, dur;
        gst_event_parse_gap(ev, &ts, &dur);
        if (GST_CLOCK_TIME_IS_VALID(ts) && GST_CLOCK_TIME_IS_VALID(dur)) {
            g_mutex_lock(&p->lock);
            p->gap_end_ns = (int64_t)(ts + dur);
            g_mutex_unlock(&p->lock);
        }
    }
    return GST_PAD_PROBE_OK;
}

player_t *player_new(const char *path, char *err, size_t cap)
{
    struct stat st;
    if (path == NULL || stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, cap, "%s is missing (deleted, or moved?)", path ? path : "(no path)");
        return NULL;
    }
    player_t *p = g_new0(player_t, 1);
    p->pos_ns = p->dur_ns = p->gap_end_ns = -1;
    g_mutex_init(&p->lock);
    p->frame_ns = DEFAULT_FRAME_NS;
    GError *ge = NULL;
    gchar *uri = gst_filename_to_uri(path, &ge);
    GstElement *sink = gst_element_factory_make("appsink", NULL);
    p->pipe = gst_element_factory_make("playbin", NULL);
    if (uri == NULL || sink == NULL || p->pipe == NULL) {
        snprintf(err, cap, "cannot build a GStreamer player for %s: %s", path,
                 ge ? ge->message : "playbin or appsink missing (gstreamer1.0-plugins-base)");
        g_clear_error(&ge);
        g_free(uri);
        if (sink != NULL)
            gst_object_unref(sink);
        player_destroy(&p);
        return NULL;
    }
    GstCaps *caps = gst_caps_new_simple("video/x-raw", "format", G_TYPE_STRING, "I420", NULL);
    g_object_set(sink, "caps", caps, "sync", TRUE, "max-buffers", DEFAULT_SINK_BUFFERS, "drop",
                 FALSE, "enable-last-sample", FALSE, NULL);
    gst_caps_unref(caps);
    p->sink = GST_APP_SINK(gst_object_ref(sink));
    GstPad *pad = gst_element_get_static_pad(sink, "sink");
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, player_gap_probe, p, NULL);
    gst_object_unref(pad);
    g_object_set(p->pipe, "uri", uri, "video-sink", sink, "flags",
                 PLAYBIN_FLAG_VIDEO | PLAYBIN_FLAG_NATIVE_VIDEO, NULL);
    g_free(uri);
    p->bus = gst_element_get_bus(p->pipe);
    p->busy = true;
    if (gst_element_set_state(p->pipe, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE)
        player_update(p); /* the bus says why */
    return p;
}

static void player_unmap(player_t *p)
{
    if (p->mapped)
        gst_video_frame_unmap(&p->vframe);
    p->mapped = false;
    if (p->sample != NULL)
        gst_sample_unref(p->sample);
    p->sample = NULL;
}

void player_destroy(player_t **pp)
{
    if (pp == NULL || *pp == NULL)
        return;
    player_t *p = *pp;
    player_unmap(p);
    if (p->pipe != NULL) {
        gst_element_set_state(p->pipe, GST_STATE_NULL);
        gst_object_unref(p->pipe);
    }
    if (p->sink != NULL)
        gst_object_unref(p->sink);
    if (p->bus != NULL)
        gst_object_unref(p->bus);
    g_mutex_clear(&p->lock);
    g_free(p);
    *pp = NULL;
}

/* Shows sample (taking it) unless it is the frame already shown. */
static void player_take(player_t *p, GstSample *sample)
{
    GstBuffer *buf = gst_sample_get_buffer(sample);
    if (buf == NULL || (p->sample != NULL && gst_sample_get_buffer(p->sample) == buf)) {
        gst_sample_unref(sample);
        return;
    }
    GstVideoInfo info;
    GstCaps *caps = gst_sample_get_caps(sample);
    if (caps == NULL || !gst_video_info_from_caps(&info, caps) ||
        GST_VIDEO_INFO_FORMAT(&info) != GST_VIDEO_FORMAT_I420) {
        gst_sample_unref(sample);
        player_fail(p, "%s%s", "the clip does not decode to I420 frames", "");
        return;
    }
    player_unmap(p);
    if (!gst_video_frame_map(&p->vframe, &info, buf, GST_MAP_READ)) {
        gst_sample_unref(sample);
        player_fail(p, "%s%s", "cannot read a decoded frame", "");
        return;
    }
    p->mapped = true;
    p->sample = sample;
    p->fresh = true;
    p->frames++;
    const GstSegment *seg = gst_sample_get_segment(sample);
    GstClockTime pts = GST_BUFFER_PTS(buf);
    guint64 t = seg != NULL && GST_CLOCK_TIME_IS_VALID(pts)
                    ? gst_segment_to_stream_time(seg, GST_FORMAT_TIME, pts)
                    : pts;
    int64_t prev = p->pos_ns;
    p->pos_ns = GST_CLOCK_TIME_IS_VALID(t) ? (int64_t)t : p->pos_ns;
    /* The frame length: from the frame rate; else from consecutive frames while playing (a
     * seek's first frame has its timestamp and duration cut to the seek target). */
    if (info.fps_n > 0) {
        p->frame_ns = (int64_t)gst_util_uint64_scale(GST_SECOND, (guint64)info.fps_d,
                                                     (guint64)info.fps_n);
        p->fps_known = true;
    } else if (!p->fps_known && p->want_play && prev >= 0 && p->pos_ns > prev &&
               p->pos_ns - prev < GST_SECOND) {
        p->frame_ns = p->pos_ns - prev;
    }
    if (p->stepping)
        p->busy = p->stepping = false;
}

static void player_bus(player_t *p)
{
    GstMessage *m;
    while ((m = gst_bus_pop(p->bus)) != NULL) {
        switch (GST_MESSAGE_TYPE(m)) {
        case GST_MESSAGE_ERROR: {
            GError *ge = NULL;
            gchar *dbg = NULL;
            gst_message_parse_error(m, &ge, &dbg);
            const char *why = ge ? ge->message : "unknown error";
            if (dbg != NULL && strstr(dbg, "not-negotiated") != NULL)
                why = "the clip does not decode to I420 frames (not-negotiated)";
            player_fail(p, "%s%s", why, "");
            g_clear_error(&ge);
            g_free(dbg);
            break;
        }
        case GST_MESSAGE_EOS:
            if (p->state != PLAYER_ERROR) {
                p->state = PLAYER_END;
                p->want_play = false;
                p->busy = false;
                gst_element_set_state(p->pipe, GST_STATE_PAUSED);
            }
            break;
        case GST_MESSAGE_ASYNC_DONE:
            p->async_seen = true;
            if (p->dur_ns < 0) {
                gint64 d;
                if (gst_element_query_duration(p->pipe, GST_FORMAT_TIME, &d) && d > 0)
                    p->dur_ns = d;
            }
            break;
        default: break;
        }
        gst_message_unref(m);
    }
}

void player_update(player_t *p)
{
    if (p == NULL || p->pipe == NULL)
        return;
    player_bus(p);
    if (p->state == PLAYER_ERROR)
        return;
    GstSample *s;
    if (p->want_play) {
        GstSample *newest = NULL;
        while ((s = gst_app_sink_try_pull_sample(p->sink, 0)) != NULL) {
            if (newest != NULL)
                gst_sample_unref(newest);
            newest = s;
        }
        if (newest != NULL)
            player_take(p, newest);
    } else if ((s = gst_app_sink_try_pull_preroll(p->sink, 0)) != NULL) {
        player_take(p, s);
    }
    /* A seek is done when the pipeline settled and its frame came (a pause just before it may
     * post an ASYNC_DONE of its own, so that alone is not enough); while loading, settling is
     * enough (the preroll may be a gap). */
    if (p->busy && !p->stepping && p->async_seen &&
        (p->frames > p->frames_at_seek || p->state == PLAYER_LOADING))
        p->busy = false;
    if (p->state == PLAYER_LOADING && !p->busy && p->sample == NULL) {
        /* Prerolled on a gap (the clip's timeline starts before its first frame, e.g. an MP4
         * edit list): seek to where the gap ends. */
        g_mutex_lock(&p->lock);
        int64_t to = p->gap_end_ns;
        g_mutex_unlock(&p->lock);
        if (p->looked_ahead || to <= 0 ||
            !gst_element_seek_simple(p->pipe, GST_FORMAT_TIME,
                                     GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE, to)) {
            player_fail(p, "%s%s", "the clip has no picture to show", "");
            return;
        }
        p->looked_ahead = p->busy = true;
        p->async_seen = false;
        return;
    }
    if (p->state == PLAYER_LOADING && !p->busy && p->sample != NULL) {
        p->state = PLAYER_PAUSED;
        p->first_ns = p->pos_ns > 0 ? p->pos_ns : 0;
    }
}

player_state_t player_state(const player_t *p)
{
    return p == NULL ? PLAYER_ERROR : p->state;
}

const char *player_state_name(player_state_t s)
{
    static const char *names[] = {"loading", "paused", "playing", "end", "error"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "error";
}

const char *player_error(const player_t *p)
{
    return p != NULL && p->state == PLAYER_ERROR ? p->error : "";
}

bool player_busy(const player_t *p)
{
    return p != NULL && p->busy;
}

bool player_frame(player_t *p, player_frame_t *out)
{
    if (p == NULL || !p->mapped)
        return false;
    out->w = GST_VIDEO_FRAME_WIDTH(&p->vframe) & ~1;
    out->h = GST_VIDEO_FRAME_HEIGHT(&p->vframe) & ~1;
    for (int i = 0; i < 3; i++) {
        out->planes[i] = GST_VIDEO_FRAME_PLANE_DATA(&p->vframe, i);
        out->strides[i] = GST_VIDEO_FRAME_PLANE_STRIDE(&p->vframe, i);
    }
    out->fresh = p->fresh;
    p->fresh = false;
    return true;
}

int64_t player_position_ns(const player_t *p)
{
    return p == NULL ? -1 : p->pos_ns;
}

int64_t player_first_ns(const player_t *p)
{
    return p == NULL ? -1 : p->first_ns;
}

int64_t player_duration_ns(const player_t *p)
{
    return p == NULL ? -1 : p->dur_ns;
}

uint64_t player_frames_shown(const player_t *p)
{
    return p == NULL ? 0 : p->frames;
}

static bool player_ready(const player_t *p)
{
    return p != NULL && p->state != PLAYER_ERROR && p->state != PLAYER_LOADING;
}

int player_play(player_t *p)
{
    if (!player_ready(p))
        return -1;
    if (p->state == PLAYER_END && player_seek(p, 0) != 0)
        return -1;
    p->want_play = true;
    p->state = PLAYER_PLAYING;
    return gst_element_set_state(p->pipe, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE ? -1 : 0;
}

int player_pause(player_t *p)
{
    if (!player_ready(p))
        return -1;
    if (p->state == PLAYER_PLAYING)
        p->state = PLAYER_PAUSED;
    p->want_play = false;
    return gst_element_set_state(p->pipe, GST_STATE_PAUSED) == GST_STATE_CHANGE_FAILURE ? -1 : 0;
}

int player_seek(player_t *p, int64_t pos_ns)
{
    if (!player_ready(p) || p->dur_ns <= 0)
        return -1;
    int64_t last = p->dur_ns - p->frame_ns / 2; /* inside the last frame */
    if (pos_ns > last)
        pos_ns = last;
    if (pos_ns < p->first_ns)
        pos_ns = p->first_ns; /* before it there is nothing to show */
    GstEvent *seek = gst_event_new_seek(1.0, GST_FORMAT_TIME,
                                        GST_SEEK_FLAG_FLUSH | GST_SEEK_FLAG_ACCURATE,
                                        GST_SEEK_TYPE_SET, pos_ns, GST_SEEK_TYPE_NONE, -1);
    p->async_seen = false;
    p->frames_at_seek = p->frames;
    if (!gst_element_send_event(p->pipe, seek))
        return -1;
    if (p->state == PLAYER_END)
        p->state = PLAYER_PAUSED;
    p->busy = true;
    return 0;
}

int player_step(player_t *p, int dir)
{
    if (!player_ready(p) || p->pos_ns < 0 || dir == 0 || p->busy)
        return -1;
    if (p->state == PLAYER_PLAYING && player_pause(p) != 0)
        return -1;
    if (dir > 0) {
        /* Forward: the sink skips the frame shown and prerolls the next one, with its own
         * timestamp (nothing is decoded twice). */
        if (p->state == PLAYER_END || (p->dur_ns > 0 && p->pos_ns + p->frame_ns >= p->dur_ns))
            return -1;
        if (!gst_element_send_event(p->pipe,
                                    gst_event_new_step(GST_FORMAT_BUFFERS, 1, 1.0, TRUE, FALSE)))
            return -1;
        p->busy = p->stepping = true;
        return 0;
    }
    /* Back: an accurate seek to the start of the previous frame (decoded from the keyframe
     * before it). */
    if (p->pos_ns <= p->first_ns)
        return -1;
    return player_seek(p, p->pos_ns - p->frame_ns);
}
