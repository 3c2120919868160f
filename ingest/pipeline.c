/* pipeline: the GStreamer side of one camera (see pipeline.h). Equivalent launch lines:
 *
 * RTSP (the depayloader, parser and decoder are picked per stream from its encoding-name, H.264 or
 * H.265, when rtspsrc adds its pad; other streams are refused in select-stream):
 *
 *   gst-launch-1.0 rtspsrc location=rtsp://10.1.2.3/stream protocols=tcp latency=80 \
 *       drop-on-latency=true tcp-timeout=5000000 timeout=5000000 teardown-timeout=100000000 \
 *       add-reference-timestamp-meta=true \
 *     ! rtph264depay request-keyframe=true wait-for-keyframe=true ! h264parse \
 *       [its src pad tapped by the recorder when recording: ingest/recorder.h] \
 *     ! avdec_h264 max-threads=1 output-corrupt=false \
 *       [the decoder chosen by ingest/decsel.h, default auto: nvh264dec or vah264dec followed by
 *        a video/x-raw caps filter (system memory) when the host has one; its src pad stamps
 *        each picture with its decode-output time, a "timestamp/x-pantau-decoded" meta] \
 *     ! videoconvert ! video/x-raw,format={I420,NV12,...: scaler_formats_caps()} \
 *     ! appsink max-buffers=1 drop=true sync=false enable-last-sample=false
 *
 * and then, outside GStreamer, libswscale to the tile's W x H (ingest/scaler.h).
 *
 * Test source (textoverlay and clockoverlay come from GStreamer's pango plugin; without it the
 * pattern runs without label and clock):
 *
 *   gst-launch-1.0 videotestsrc is-live=true pattern=ball \
 *     ! video/x-raw,format=I420,width=W,height=H,framerate=25/1,pixel-aspect-ratio=1/1 \
 *     ! textoverlay text=LABEL ! clockoverlay time-format="%H:%M:%S" \
 *     ! videoconvert ! appsink max-buffers=1 drop=true sync=false
 *
 * Fit (letterbox with black bars, crop, stretch) is the scaler's (ingest/scaleplan.h).
 *
 * Threads: rtspsrc's select-stream and pad-added, the pad probes and the appsink callback run on
 * GStreamer threads and touch only the atomics and the mutex-guarded fields below; everything else
 * runs on the main-loop thread. */
#include "pipeline.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <gst/app/gstappsink.h>
#include <gst/sdp/gstsdpmessage.h>
#include <gst/video/video.h>

#include "decsel.h"
#include "log.h"
#include "scaler.h"

#define DEFAULT_TCP_TIMEOUT_US 5000000ull        /* RTSP request/response and TCP connect */
#define DEFAULT_UDP_TIMEOUT_US 5000000ull        /* no UDP packet this long: error (udp only) */
#define DEFAULT_TEARDOWN_TIMEOUT_NS 100000000ull /* wait for the TEARDOWN reply at most this */
#define DEFAULT_DECODER_THREADS 1 /* one process per camera; frame threads add latency */
#define DEFAULT_LABEL_FONT "Sans Bold 28"
#define DEFAULT_CLOCK_FONT "Monospace Bold 20"
#define DEFAULT_CLOCK_FORMAT "%H:%M:%S"
#define DEFAULT_RTSP_PORT 554
#define DEFAULT_RTSPS_PORT 322
#define PIPELINE_PREFIX_MAX 48
#define PIPELINE_ENCODING_MAX 64
#define PIPELINE_DECODED_CAPS "timestamp/x-pantau-decoded" /* reference meta: decode-output time */
#define PIPELINE_MAX_FACTORIES 8

typedef struct {
    const char *encoding; /* RTP encoding-name */
    const char *depay, *parse;
    decsel_codec_t codec; /* the decoder is chosen per host and camera: ingest/decsel.h */
    const char *caps;     /* what the decoder's sink must accept */
} pipeline_codec_t;

static const pipeline_codec_t pipeline_codecs[] = {
    {"H264", "rtph264depay", "h264parse", DECSEL_H264, "video/x-h264"},
    {"H265", "rtph265depay", "h265parse", DECSEL_H265, "video/x-h265"},
};
#define PIPELINE_NCODECS (sizeof pipeline_codecs / sizeof pipeline_codecs[0])

struct pipeline {
    GstElement *bin;     /* the GstPipeline; owns the elements below */
    GstElement *convert; /* head of the common tail (videoconvert) */
    GstElement *sink;    /* appsink */
    GstBus *bus;         /* owned ref, for the watch */
    pipeline_callbacks_t cb;
    char prefix[PIPELINE_PREFIX_MAX]; /* log prefix "ingest ID" */

    atomic_uint_fast64_t bytes;        /* streaming threads add, main thread takes */
    atomic_uint src_width, src_height; /* from the caps reaching videoconvert */
    atomic_int selected;               /* video streams accepted in select-stream */
    atomic_int offered, asked;         /* streams in the SDP; select-stream calls so far */

    recorder_t *rec; /* borrowed, NULL = not recording; set before start, then read-only */

    char decoder_setting[CONFIG_PROFILE_MAX]; /* decoder= (read-only after new) */
    GstCaps *decoded_caps;                    /* PIPELINE_DECODED_CAPS (read-only after new) */

    GMutex lock;                          /* guards rejected, gate_pad and decoder */
    decsel_choice_t decoder;              /* the decoder chosen, factory "" until linked */
    char rejected[PIPELINE_ENCODING_MAX]; /* encodings refused in select-stream, for the error */
    atomic_int gate;                      /* pipeline_gate_t: what reaches the decoder */
    GstPad *gate_pad;                     /* where the gate probe sits (owned ref), or NULL */
    /* While closed, the compressed pictures since the last keyframe (gate probe's thread only):
     * replayed into the decoder on resume, so the picture is current at once instead of at the
     * camera's next keyframe (up to a GOP, often 2 s, later). */
    GQueue gop;
    size_t gop_bytes;
    atomic_uint_fast64_t catchup_pts; /* decoded pictures older than this are replay: dropped */
};

#define PIPELINE_GOP_MAX_BYTES (16u << 20)
#define PIPELINE_GOP_MAX_BUFFERS 1000u

/* The gate in front of the decoder (or after the test source): closed while nobody watches, so a
 * paused camera costs no decoding; reopened at the next keyframe so the first picture is whole. */
typedef enum {
    PIPELINE_GATE_OPEN = 0,
    PIPELINE_GATE_CLOSED,   /* drop everything */
    PIPELINE_GATE_WANT_KEY, /* drop delta units until a keyframe, then open */
} pipeline_gate_t;

/* ---- small helpers --------------------------------------------------------------------------- */

static GstElement *pipeline_make(const char *factory, char *err, size_t cap)
{
    GstElement *e = gst_element_factory_make(factory, NULL);
    if (e == NULL && err != NULL)
        snprintf(err, cap, "GStreamer element '%s' is not installed", factory);
    return e;
}

bool pipeline_pattern_valid(const char *pattern)
{
    GstElement *src = gst_element_factory_make("videotestsrc", NULL);
    if (src == NULL || pattern == NULL)
        return false;
    GParamSpec *ps = g_object_class_find_property(G_OBJECT_GET_CLASS(src), "pattern");
    bool ok = ps != NULL && G_IS_PARAM_SPEC_ENUM(ps) &&
              g_enum_get_value_by_nick(G_PARAM_SPEC_ENUM(ps)->enum_class, pattern) != NULL;
    gst_object_unref(src);
    return ok;
}

void pipeline_uri_server(const char *uri, char *out, size_t cap)
{
    if (out == NULL || cap == 0)
        return;
    out[0] = '\0';
    GstUri *u = uri != NULL ? gst_uri_from_string(uri) : NULL;
    if (u == NULL)
        return;
    const char *host = gst_uri_get_host(u);
    guint port = gst_uri_get_port(u);
    if (port == GST_URI_NO_PORT)
        port =
            g_strcmp0(gst_uri_get_scheme(u), "rtsps") == 0 ? DEFAULT_RTSPS_PORT : DEFAULT_RTSP_PORT;
    if (host != NULL && host[0] != '\0')
        snprintf(out, cap, strchr(host, ':') ? "[%s]:%u" : "%s:%u", host, port);
    gst_uri_unref(u);
}

bool pipeline_uri_has_userinfo(const char *uri)
{
    GstUri *u = uri != NULL ? gst_uri_from_string(uri) : NULL;
    if (u == NULL)
        return false;
    bool has = gst_uri_get_userinfo(u) != NULL;
    gst_uri_unref(u);
    return has;
}

/* ---- errors ---------------------------------------------------------------------------------- */

/* Maps a GStreamer error onto a health cause. rtspsrc: 401 -> NOT_AUTHORIZED, 404 -> NOT_FOUND,
 * refused/unreachable -> OPEN_READ_WRITE "Failed to connect", no answer -> "Timeout". */
static health_cause_t pipeline_classify(const GError *e, const char *debug)
{
    const char *d = debug != NULL ? debug : "";
    /* rtspsrc's words when SETUP finds no stream for the allowed lower transports. */
    if (strstr(e->message ? e->message : "", "transport protocols") != NULL ||
        strstr(d, "transport protocols") != NULL)
        return HEALTH_CAUSE_TRANSPORT;
    if (e->domain == GST_RESOURCE_ERROR) {
        if (e->code == GST_RESOURCE_ERROR_NOT_AUTHORIZED)
            return HEALTH_CAUSE_UNAUTHORIZED;
        if (e->code == GST_RESOURCE_ERROR_NOT_FOUND)
            return HEALTH_CAUSE_NOT_FOUND;
        if (strstr(d, "imeout") != NULL || strstr(d, "UDP packets") != NULL)
            return HEALTH_CAUSE_TIMEOUT;
        if (e->code == GST_RESOURCE_ERROR_OPEN_READ_WRITE ||
            e->code == GST_RESOURCE_ERROR_OPEN_READ)
            return HEALTH_CAUSE_REFUSED;
        return HEALTH_CAUSE_OTHER;
    }
    if (e->domain == GST_STREAM_ERROR) {
        if (e->code == GST_STREAM_ERROR_CODEC_NOT_FOUND || e->code == GST_STREAM_ERROR_WRONG_TYPE)
            return HEALTH_CAUSE_UNSUPPORTED;
        if (e->code == GST_STREAM_ERROR_DECODE || e->code == GST_STREAM_ERROR_FORMAT ||
            e->code == GST_STREAM_ERROR_DEMUX)
            return HEALTH_CAUSE_DECODE;
        return HEALTH_CAUSE_OTHER;
    }
    if (e->domain == GST_CORE_ERROR && e->code == GST_CORE_ERROR_MISSING_PLUGIN)
        return HEALTH_CAUSE_UNSUPPORTED;
    return HEALTH_CAUSE_OTHER;
}

/* Cause and detail text of an ERROR message. */
static health_cause_t pipeline_error_text(pipeline_t *p, GstMessage *msg, char *out, size_t cap)
{
    GError *e = NULL;
    char *debug = NULL;
    gst_message_parse_error(msg, &e, &debug);
    if (debug != NULL)
        g_strdelimit(debug, "\r\n", ' '); /* one log line per event */
    health_cause_t cause = pipeline_classify(e, debug);
    g_mutex_lock(&p->lock);
    if ((cause == HEALTH_CAUSE_OTHER || cause == HEALTH_CAUSE_UNSUPPORTED) &&
        p->rejected[0] != '\0' && atomic_load(&p->selected) == 0) {
        cause = HEALTH_CAUSE_UNSUPPORTED;
        snprintf(out, cap, "it offers %s", p->rejected);
    } else {
        snprintf(out, cap, "%s", e->message);
    }
    g_mutex_unlock(&p->lock);
    log_debug(p->prefix, "error from %s: %s (%s)", GST_OBJECT_NAME(GST_MESSAGE_SRC(msg)),
              e->message, debug ? debug : "");
    g_error_free(e);
    g_free(debug);
    return cause;
}

/* Bus watch, main thread. The fault callback may destroy p: nothing touches p after it. */
static gboolean pipeline_on_bus(GstBus *bus, GstMessage *msg, gpointer user_data)
{
    (void)bus;
    pipeline_t *p = user_data;
    char detail[WIRE_MAX_ERROR + 1];
    switch (GST_MESSAGE_TYPE(msg)) {
    case GST_MESSAGE_ERROR: {
        health_cause_t cause = pipeline_error_text(p, msg, detail, sizeof detail);
        p->cb.fault(p->cb.ud, false, cause, detail);
        break;
    }
    case GST_MESSAGE_EOS:
        p->cb.fault(p->cb.ud, true, HEALTH_CAUSE_EOS, NULL);
        break;
    case GST_MESSAGE_WARNING:
        if (log_enabled(LOG_DEBUG)) {
            GError *e = NULL;
            gst_message_parse_warning(msg, &e, NULL);
            log_debug(p->prefix, "warning from %s: %s", GST_OBJECT_NAME(GST_MESSAGE_SRC(msg)),
                      e->message);
            g_error_free(e);
        }
        break;
    default:
        break;
    }
    return G_SOURCE_CONTINUE;
}

/* ---- streaming-thread callbacks -------------------------------------------------------------- */

static GstFlowReturn pipeline_on_new_sample(GstAppSink *sink, gpointer user_data)
{
    (void)sink;
    pipeline_t *p = user_data;
    p->cb.sample_ready(p->cb.ud);
    return GST_FLOW_OK;
}

static gboolean pipeline_sum_buffer(GstBuffer **buf, guint idx, gpointer user_data)
{
    (void)idx;
    *(uint64_t *)user_data += gst_buffer_get_size(*buf);
    return TRUE;
}

/* Counts RTP bytes leaving rtspsrc. */
static GstPadProbeReturn pipeline_count_bytes(GstPad *pad, GstPadProbeInfo *info,
                                              gpointer user_data)
{
    (void)pad;
    pipeline_t *p = user_data;
    uint64_t n = 0;
    if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
        n = gst_buffer_get_size(GST_PAD_PROBE_INFO_BUFFER(info));
    else if (info->type & GST_PAD_PROBE_TYPE_BUFFER_LIST)
        gst_buffer_list_foreach(GST_PAD_PROBE_INFO_BUFFER_LIST(info), pipeline_sum_buffer, &n);
    atomic_fetch_add(&p->bytes, n);
    return GST_PAD_PROBE_OK;
}

/* Records the decoded picture size when caps reach videoconvert. */
static GstPadProbeReturn pipeline_watch_caps(GstPad *pad, GstPadProbeInfo *info, gpointer user_data)
{
    (void)pad;
    pipeline_t *p = user_data;
    GstEvent *ev = GST_PAD_PROBE_INFO_EVENT(info);
    if (GST_EVENT_TYPE(ev) != GST_EVENT_CAPS)
        return GST_PAD_PROBE_OK;
    GstCaps *caps = NULL;
    gst_event_parse_caps(ev, &caps);
    GstStructure *s = caps != NULL ? gst_caps_get_structure(caps, 0) : NULL;
    int w = 0, h = 0;
    if (s != NULL && gst_structure_get_int(s, "width", &w) &&
        gst_structure_get_int(s, "height", &h)) {
        atomic_store(&p->src_width, (unsigned)w);
        atomic_store(&p->src_height, (unsigned)h);
    }
    return GST_PAD_PROBE_OK;
}

static const pipeline_codec_t *pipeline_codec_for(const GstCaps *caps)
{
    const GstStructure *s =
        caps != NULL && gst_caps_get_size(caps) > 0 ? gst_caps_get_structure(caps, 0) : NULL;
    const char *media = s ? gst_structure_get_string(s, "media") : NULL;
    const char *enc = s ? gst_structure_get_string(s, "encoding-name") : NULL;
    if (g_strcmp0(media, "video") != 0 || enc == NULL)
        return NULL;
    for (size_t i = 0; i < PIPELINE_NCODECS; i++)
        if (g_ascii_strcasecmp(enc, pipeline_codecs[i].encoding) == 0)
            return &pipeline_codecs[i];
    return NULL;
}

/* Posts an error from a streaming thread (becomes a fault on the bus watch). */
static void pipeline_post_error(pipeline_t *p, GQuark domain, int code, const char *text)
{
    GError *e = g_error_new_literal(domain, code, text);
    gst_element_post_message(p->bin, gst_message_new_error(GST_OBJECT(p->bin), e, text));
    g_error_free(e);
}

/* rtspsrc has the camera's SDP: remember how many streams it offers. Only the public struct
 * field is read (the SDP library itself is not linked). */
static void pipeline_on_sdp(GstElement *src, GstSDPMessage *sdp, gpointer user_data)
{
    (void)src;
    pipeline_t *p = user_data;
    atomic_store(&p->offered, sdp != NULL && sdp->medias != NULL ? (int)sdp->medias->len : 0);
}

/* Records a refused video encoding, for the error text. */
static void pipeline_note_rejected(pipeline_t *p, const GstCaps *caps)
{
    const GstStructure *s = gst_caps_get_size(caps) > 0 ? gst_caps_get_structure(caps, 0) : NULL;
    const char *media = s ? gst_structure_get_string(s, "media") : NULL;
    const char *enc = s ? gst_structure_get_string(s, "encoding-name") : NULL;
    if (g_strcmp0(media, "video") != 0 || enc == NULL)
        return;
    g_mutex_lock(&p->lock);
    snprintf(p->rejected, sizeof p->rejected, "%s video", enc);
    g_mutex_unlock(&p->lock);
}

/* rtspsrc asks which streams of the SDP to set up: the first H.264/H.265 video only. When the
 * last one is refused and none was taken, rtspsrc would wait silently: post the error instead. */
static gboolean pipeline_on_select_stream(GstElement *src, guint num, GstCaps *caps,
                                          gpointer user_data)
{
    (void)src;
    (void)num;
    pipeline_t *p = user_data;
    int asked = atomic_fetch_add(&p->asked, 1) + 1;
    if (pipeline_codec_for(caps) != NULL) {
        int none = 0;
        return atomic_compare_exchange_strong(&p->selected, &none, 1);
    }
    pipeline_note_rejected(p, caps);
    if (asked >= atomic_load(&p->offered) && atomic_load(&p->selected) == 0)
        pipeline_post_error(p, GST_STREAM_ERROR, GST_STREAM_ERROR_CODEC_NOT_FOUND,
                            "no H.264/H.265 video stream");
    return FALSE;
}

static void pipeline_gop_clear(pipeline_t *p)
{
    GstBuffer *b;
    while ((b = g_queue_pop_head(&p->gop)) != NULL)
        gst_buffer_unref(b);
    p->gop_bytes = 0;
}

/* Closed gate: keeps the current GOP (from its keyframe on), bounded in bytes and buffers. */
static void pipeline_gop_keep(pipeline_t *p, GstBuffer *buf)
{
    bool key = !GST_BUFFER_FLAG_IS_SET(buf, GST_BUFFER_FLAG_DELTA_UNIT);
    size_t size = gst_buffer_get_size(buf);
    if (key)
        pipeline_gop_clear(p);
    else if (p->gop.length == 0)
        return; /* no keyframe yet: nothing decodable to keep */
    if (p->gop_bytes + size > PIPELINE_GOP_MAX_BYTES || p->gop.length >= PIPELINE_GOP_MAX_BUFFERS) {
        pipeline_gop_clear(p); /* a GOP this long is not worth replaying: wait for a keyframe */
        return;
    }
    g_queue_push_tail(&p->gop, gst_buffer_ref(buf));
    p->gop_bytes += size;
}

/* The gate probe (parser src, or the test source's caps filter). It starts at WANT_KEY: joining a
 * camera mid-GOP, decoders (avdec_h265 in particular) would otherwise output grey pictures built
 * on missing references. Closed, it keeps the GOP; reopened, it replays that GOP into the decoder
 * ahead of the buffer at hand (decoded pictures of the replay are dropped before conversion, see
 * pipeline_catchup_probe). Runs on the streaming thread. */
static GstPadProbeReturn pipeline_gate_probe(GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
    pipeline_t *p = data;
    int gate = atomic_load(&p->gate);
    if (gate == PIPELINE_GATE_OPEN)
        return GST_PAD_PROBE_OK;
    GstBuffer *buf = gst_pad_probe_info_get_buffer(info);
    if (buf == NULL)
        return GST_PAD_PROBE_OK;
    if (gate == PIPELINE_GATE_CLOSED) {
        pipeline_gop_keep(p, buf);
        return GST_PAD_PROBE_DROP;
    }
    if (p->gop.length > 0) {
        /* Resume with a GOP in hand: open first (the pushes below pass this probe again). */
        atomic_store(&p->gate, PIPELINE_GATE_OPEN);
        GstClockTime pts = GST_BUFFER_PTS(buf);
        atomic_store(&p->catchup_pts, GST_CLOCK_TIME_IS_VALID(pts) ? (uint64_t)pts : 0);
        GstBuffer *b;
        p->gop_bytes = 0;
        while ((b = g_queue_pop_head(&p->gop)) != NULL)
            if (gst_pad_push(pad, b) != GST_FLOW_OK)
                break;
        pipeline_gop_clear(p);
        return GST_PAD_PROBE_OK;
    }
    if (GST_BUFFER_FLAG_IS_SET(buf, GST_BUFFER_FLAG_DELTA_UNIT))
        return GST_PAD_PROBE_DROP;
    int want = PIPELINE_GATE_WANT_KEY;
    atomic_compare_exchange_strong(&p->gate, &want, PIPELINE_GATE_OPEN);
    return GST_PAD_PROBE_OK;
}

/* videoconvert's sink: decoded pictures of a replayed GOP (older than the buffer that reopened
 * the gate) only rebuild the decoder's references; converting and scaling them would be waste. */
static GstPadProbeReturn pipeline_catchup_probe(GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
    (void)pad;
    pipeline_t *p = data;
    uint64_t until = atomic_load(&p->catchup_pts);
    GstBuffer *buf = gst_pad_probe_info_get_buffer(info);
    if (until == 0 || buf == NULL || !GST_BUFFER_PTS_IS_VALID(buf))
        return GST_PAD_PROBE_OK;
    if ((uint64_t)GST_BUFFER_PTS(buf) < until)
        return GST_PAD_PROBE_DROP;
    atomic_store(&p->catchup_pts, 0);
    return GST_PAD_PROBE_OK;
}

static void pipeline_set_gate_pad(pipeline_t *p, GstPad *pad)
{
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, pipeline_gate_probe, p, NULL);
    g_mutex_lock(&p->lock);
    if (p->gate_pad == NULL)
        p->gate_pad = gst_object_ref(pad);
    g_mutex_unlock(&p->lock);
}

/* Decoder output (or the test source's): stamps each picture with the wall-clock time it left the
 * decoder, as a reference-timestamp meta the appsink's consumer reads (sample.h). Metas without
 * tags survive videoconvert (and are read from the decoded buffer, not the scaler's copy). */
static GstPadProbeReturn pipeline_decoded_probe(GstPad *pad, GstPadProbeInfo *info, gpointer data)
{
    (void)pad;
    pipeline_t *p = data;
    GstBuffer *buf = gst_pad_probe_info_get_buffer(info);
    if (buf == NULL)
        return GST_PAD_PROBE_OK;
    buf = gst_buffer_make_writable(buf); /* shares the memory: no pixel copy */
    gst_buffer_add_reference_timestamp_meta(buf, p->decoded_caps, wire_now_ns(),
                                            GST_CLOCK_TIME_NONE);
    GST_PAD_PROBE_INFO_DATA(info) = buf;
    return GST_PAD_PROBE_OK;
}

static void pipeline_stamp_decoded(pipeline_t *p, GstElement *e, const char *pad_name)
{
    GstPad *pad = gst_element_get_static_pad(e, pad_name);
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, pipeline_decoded_probe, p, NULL);
    gst_object_unref(pad);
}

/* Reads the registry for the candidate decoders of codec (and the one decoder= names) and asks
 * decsel which to use. Streaming thread (pad-added); the registry is thread-safe. */
static int pipeline_choose_decoder(pipeline_t *p, const pipeline_codec_t *codec,
                                   decsel_choice_t *out)
{
    decsel_factory_t avail[PIPELINE_MAX_FACTORIES];
    GstElementFactory *held[PIPELINE_MAX_FACTORIES];
    const char *names[PIPELINE_MAX_FACTORIES];
    size_t n_names = 0, n = 0;
    for (const char *const *c = decsel_candidates(codec->codec); *c != NULL; c++)
        names[n_names++] = *c;
    if (strcmp(p->decoder_setting, "auto") != 0 && strcmp(p->decoder_setting, "software") != 0)
        names[n_names++] = p->decoder_setting;
    GstCaps *h264 = gst_caps_from_string("video/x-h264");
    GstCaps *h265 = gst_caps_from_string("video/x-h265");
    for (size_t i = 0; i < n_names && n < PIPELINE_MAX_FACTORIES; i++) {
        GstElementFactory *f = gst_element_factory_find(names[i]);
        if (f == NULL)
            continue;
        unsigned codecs = (gst_element_factory_can_sink_any_caps(f, h264) ? DECSEL_H264 : 0) |
                          (gst_element_factory_can_sink_any_caps(f, h265) ? DECSEL_H265 : 0);
        held[n] = f;
        avail[n++] = (decsel_factory_t){names[i], gst_plugin_feature_get_rank(GST_PLUGIN_FEATURE(f)),
                                        codecs};
    }
    int rc = decsel_choose(codec->codec, p->decoder_setting, avail, n, out);
    for (size_t i = 0; i < n; i++)
        gst_object_unref(held[i]);
    gst_caps_unref(h264);
    gst_caps_unref(h265);
    g_mutex_lock(&p->lock);
    p->decoder = *out;
    g_mutex_unlock(&p->lock);
    return rc;
}

/* The chosen decoder, configured: libav gets one thread and drops corrupt pictures; a hardware
 * decoder gets nothing it may not have. NULL with err set if it cannot be created. */
static GstElement *pipeline_make_decoder(pipeline_t *p, const pipeline_codec_t *codec, char *err,
                                         size_t cap)
{
    decsel_choice_t choice;
    if (pipeline_choose_decoder(p, codec, &choice) != 0) {
        snprintf(err, cap, "%s", choice.why);
        return NULL;
    }
    GstElement *dec = pipeline_make(choice.factory, err, cap);
    if (dec == NULL)
        return NULL;
    /* Joining a camera mid-GOP, libav would output grey garbage until the next keyframe (and
     * after loss, smeared frames): the wall must show only whole pictures, so corrupt frames are
     * dropped and the depayloader asks the camera for a keyframe after loss. */
    GObjectClass *k = G_OBJECT_GET_CLASS(dec);
    if (g_object_class_find_property(k, "max-threads") != NULL)
        g_object_set(dec, "max-threads", DEFAULT_DECODER_THREADS, NULL);
    if (g_object_class_find_property(k, "output-corrupt") != NULL)
        g_object_set(dec, "output-corrupt", FALSE, NULL);
    return dec;
}

/* Adds depay ! parse ! decoder [! video/x-raw] for codec and links them between pad and
 * videoconvert. After a hardware decoder, the caps filter asks for system-memory raw video (NV12
 * or I420, no memory:CUDAMemory / memory:VAMemory feature), so the tail gets frames it can read;
 * nvh264dec and vah264dec download into system memory themselves when asked. */
static bool pipeline_link_decoder(pipeline_t *p, GstPad *pad, const pipeline_codec_t *codec)
{
    char err[160] = "";
    GstElement *e[4] = {pipeline_make(codec->depay, err, sizeof err),
                        pipeline_make(codec->parse, err, sizeof err), NULL, NULL};
    if (e[0] != NULL && e[1] != NULL)
        e[2] = pipeline_make_decoder(p, codec, err, sizeof err);
    if (e[2] != NULL) {
        g_mutex_lock(&p->lock);
        bool hw = p->decoder.hardware;
        g_mutex_unlock(&p->lock);
        if (hw && (e[3] = pipeline_make("capsfilter", err, sizeof err)) != NULL) {
            GstCaps *raw = gst_caps_from_string("video/x-raw");
            g_object_set(e[3], "caps", raw, NULL);
            gst_caps_unref(raw);
        }
    }
    int n = e[3] != NULL ? 4 : 3;
    if (e[0] == NULL || e[1] == NULL || e[2] == NULL) {
        for (int i = 0; i < 4; i++)
            if (e[i] != NULL)
                gst_object_unref(e[i]);
        pipeline_post_error(p, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN, err);
        return false;
    }
    pipeline_stamp_decoded(p, e[2], "src");
    if (g_object_class_find_property(G_OBJECT_GET_CLASS(e[0]), "request-keyframe") != NULL)
        g_object_set(e[0], "request-keyframe", TRUE, "wait-for-keyframe", TRUE, NULL);
    for (int i = 0; i < n; i++)
        gst_bin_add(GST_BIN(p->bin), e[i]);
    GstPad *parsed = gst_element_get_static_pad(e[1], "src");
    /* The recorder's probe goes first: it sees every buffer, also while the gate is closed
     * (a camera on no visible page is still recorded). */
    recorder_tap(p->rec, parsed); /* the encoded stream as received, before the decoder */
    pipeline_set_gate_pad(p, parsed);
    gst_object_unref(parsed);
    GstPad *sinkpad = gst_element_get_static_pad(e[0], "sink");
    bool ok = gst_element_link_many(e[0], e[1], e[2], NULL) &&
              (n == 3 || gst_element_link(e[2], e[3])) && gst_element_link(e[n - 1], p->convert);
    for (int i = 0; i < n; i++)
        ok = gst_element_sync_state_with_parent(e[i]) && ok;
    ok = ok && gst_pad_link(pad, sinkpad) == GST_PAD_LINK_OK;
    gst_object_unref(sinkpad);
    if (!ok)
        pipeline_post_error(p, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
                            "cannot link the decoder for the camera's stream");
    return ok;
}

static void pipeline_on_pad_added(GstElement *src, GstPad *pad, gpointer user_data)
{
    (void)src;
    pipeline_t *p = user_data;
    GstCaps *caps = gst_pad_get_current_caps(pad);
    if (caps == NULL)
        caps = gst_pad_query_caps(pad, NULL);
    const pipeline_codec_t *codec = pipeline_codec_for(caps);
    gst_caps_unref(caps);
    if (codec == NULL)
        return; /* not selected: rtspsrc does not set such streams up */
    GstPad *peer = gst_element_get_static_pad(p->convert, "sink");
    bool linked = gst_pad_is_linked(peer);
    gst_object_unref(peer);
    if (linked)
        return;
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST,
                      pipeline_count_bytes, p, NULL);
    pipeline_link_decoder(p, pad, codec);
}

/* ---- construction ---------------------------------------------------------------------------- */

/* Creates factory's element inside the pipeline (which owns it); NULL with err set if missing. */
static GstElement *pipeline_add(pipeline_t *p, const char *factory, char *err, size_t cap)
{
    GstElement *e = pipeline_make(factory, err, cap);
    if (e != NULL)
        gst_bin_add(GST_BIN(p->bin), e);
    return e;
}

/* videoconvert ! appsink(caps): the part every source shares. videoconvert passes the decoder's
 * pictures through untouched when their format is one the scaler takes (the usual case: I420,
 * NV12, 10-bit...) and converts only others; scaling and fitting to the tile happen after the
 * appsink, in the worker (ingest/scaler.h: libswscale, a tenth of videoscale's cost). */
static int pipeline_build_tail(pipeline_t *p, char *err, size_t cap)
{
    p->convert = pipeline_add(p, "videoconvert", err, cap);
    p->sink = pipeline_add(p, "appsink", err, cap);
    if (p->convert == NULL || p->sink == NULL)
        return -1;
    GstCaps *caps = gst_caps_from_string(scaler_formats_caps());
    g_object_set(p->sink, "caps", caps, "max-buffers", 1, "drop", TRUE, "sync", FALSE,
                 "enable-last-sample", FALSE, "emit-signals", FALSE, NULL);
    gst_caps_unref(caps);
    GstAppSinkCallbacks callbacks = {.new_sample = pipeline_on_new_sample};
    gst_app_sink_set_callbacks(GST_APP_SINK(p->sink), &callbacks, p, NULL);

    if (!gst_element_link(p->convert, p->sink)) {
        snprintf(err, cap, "cannot link videoconvert and appsink");
        return -1;
    }
    GstPad *pad = gst_element_get_static_pad(p->convert, "sink");
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, pipeline_watch_caps, p, NULL);
    gst_pad_add_probe(pad, GST_PAD_PROBE_TYPE_BUFFER, pipeline_catchup_probe, p, NULL);
    gst_object_unref(pad);
    return 0;
}

/* videotestsrc ! caps ! [textoverlay ! clockoverlay !] into the tail. The overlays are optional
 * (GStreamer's pango plugin): without them the pattern still moves. */
static int pipeline_build_test(pipeline_t *p, const ingest_config_t *cfg, char *err, size_t cap)
{
    GstElement *src = pipeline_add(p, "videotestsrc", err, cap);
    GstElement *filter = pipeline_add(p, "capsfilter", err, cap);
    if (src == NULL || filter == NULL)
        return -1;
    g_object_set(src, "is-live", TRUE, NULL);
    gst_util_set_object_arg(G_OBJECT(src), "pattern", cfg->pattern);
    GstCaps *caps = gst_caps_new_simple("video/x-raw", "format", G_TYPE_STRING, "I420", "width",
                                        G_TYPE_INT, cfg->width, "height", G_TYPE_INT, cfg->height,
                                        "framerate", GST_TYPE_FRACTION, cfg->fps, 1,
                                        "pixel-aspect-ratio", GST_TYPE_FRACTION, 1, 1, NULL);
    g_object_set(filter, "caps", caps, NULL);
    gst_caps_unref(caps);
    if (!gst_element_link(src, filter))
        goto fail;
    GstPad *gate = gst_element_get_static_pad(filter, "src");
    pipeline_set_gate_pad(p, gate);
    gst_object_unref(gate);
    pipeline_stamp_decoded(p, filter, "src"); /* no decoder: the source's output time */

    GstElement *last = filter;
    GstElement *label = cfg->label[0] != '\0' ? pipeline_add(p, "textoverlay", NULL, 0) : NULL;
    GstElement *clock = pipeline_add(p, "clockoverlay", NULL, 0);
    if (label != NULL) {
        g_object_set(label, "text", cfg->label, "font-desc", DEFAULT_LABEL_FONT,
                     "shaded-background", TRUE, NULL);
        gst_util_set_object_arg(G_OBJECT(label), "valignment", "top");
        gst_util_set_object_arg(G_OBJECT(label), "halignment", "left");
        if (!gst_element_link(last, label))
            goto fail;
        last = label;
    }
    if (clock != NULL) {
        g_object_set(clock, "time-format", DEFAULT_CLOCK_FORMAT, "font-desc", DEFAULT_CLOCK_FONT,
                     "shaded-background", TRUE, NULL);
        gst_util_set_object_arg(G_OBJECT(clock), "valignment", "bottom");
        gst_util_set_object_arg(G_OBJECT(clock), "halignment", "right");
        if (!gst_element_link(last, clock))
            goto fail;
        last = clock;
    } else {
        log_warn(p->prefix, "clockoverlay/textoverlay not installed (GStreamer pango plugin): "
                            "test pattern without label and clock");
    }
    if (!gst_element_link(last, p->convert))
        goto fail;
    return 0;
fail:
    snprintf(err, cap, "cannot link the test source");
    return -1;
}

static int pipeline_build_rtsp(pipeline_t *p, const ingest_config_t *cfg, const char *user,
                               const char *password, char *err, size_t cap)
{
    GstElement *src = pipeline_add(p, "rtspsrc", err, cap);
    if (src == NULL)
        return -1;
    g_object_set(src, "location", cfg->source, "latency", (guint)cfg->latency_ms, "drop-on-latency",
                 TRUE, "tcp-timeout", (guint64)DEFAULT_TCP_TIMEOUT_US, "timeout",
                 (guint64)DEFAULT_UDP_TIMEOUT_US, "teardown-timeout",
                 (guint64)DEFAULT_TEARDOWN_TIMEOUT_NS, "add-reference-timestamp-meta", TRUE, NULL);
    gst_util_set_object_arg(G_OBJECT(src), "protocols",
                            cfg->transport == CONFIG_TRANSPORT_UDP ? "udp" : "tcp");
    if (user != NULL)
        g_object_set(src, "user-id", user, NULL);
    if (password != NULL)
        g_object_set(src, "user-pw", password, NULL);
    g_signal_connect(src, "select-stream", G_CALLBACK(pipeline_on_select_stream), p);
    g_signal_connect(src, "pad-added", G_CALLBACK(pipeline_on_pad_added), p);
    g_signal_connect(src, "on-sdp", G_CALLBACK(pipeline_on_sdp), p);
    return 0;
}

pipeline_t *pipeline_new(const ingest_config_t *cfg, const char *user, const char *password,
                         const pipeline_callbacks_t *callbacks, char *err, size_t err_cap)
{
    if (cfg == NULL || callbacks == NULL || callbacks->sample_ready == NULL ||
        callbacks->fault == NULL) {
        snprintf(err, err_cap, "pipeline_new: missing arguments");
        return NULL;
    }
    pipeline_t *p = g_new0(pipeline_t, 1);
    g_mutex_init(&p->lock);
    atomic_store(&p->gate, PIPELINE_GATE_WANT_KEY);
    p->cb = *callbacks;
    snprintf(p->prefix, sizeof p->prefix, "ingest %s", cfg->id);
    snprintf(p->decoder_setting, sizeof p->decoder_setting, "%s",
             cfg->decoder[0] != '\0' ? cfg->decoder : DECSEL_DEFAULT);
    p->decoded_caps = gst_caps_new_empty_simple(PIPELINE_DECODED_CAPS);
    p->bin = gst_pipeline_new(cfg->id);
    if (pipeline_build_tail(p, err, err_cap) != 0)
        goto fail;
    int rc = cfg->source_kind == CONFIG_SOURCE_TEST
                 ? pipeline_build_test(p, cfg, err, err_cap)
                 : pipeline_build_rtsp(p, cfg, user, password, err, err_cap);
    if (rc != 0)
        goto fail;
    p->bus = gst_element_get_bus(p->bin);
    gst_bus_add_watch(p->bus, pipeline_on_bus, p);
    return p;
fail:
    pipeline_destroy(&p);
    return NULL;
}

void pipeline_set_recorder(pipeline_t *p, recorder_t *rec)
{
    if (p != NULL)
        p->rec = rec;
}

int pipeline_start(pipeline_t *p, health_cause_t *cause, char *err, size_t err_cap)
{
    if (gst_element_set_state(p->bin, GST_STATE_PLAYING) != GST_STATE_CHANGE_FAILURE)
        return 0;
    /* The reason, if an element gave one, is waiting on the bus. */
    GstMessage *msg = gst_bus_pop_filtered(p->bus, GST_MESSAGE_ERROR);
    if (msg != NULL) {
        *cause = pipeline_error_text(p, msg, err, err_cap);
        gst_message_unref(msg);
    } else {
        *cause = HEALTH_CAUSE_OTHER;
        snprintf(err, err_cap, "the pipeline refused to start");
    }
    return -1;
}

void pipeline_destroy(pipeline_t **pp)
{
    if (pp == NULL || *pp == NULL)
        return;
    pipeline_t *p = *pp;
    if (p->bus != NULL) {
        gst_bus_remove_watch(p->bus);
        gst_object_unref(p->bus);
    }
    gst_element_set_state(p->bin, GST_STATE_NULL);
    if (p->gate_pad != NULL)
        gst_object_unref(p->gate_pad);
    pipeline_gop_clear(p); /* the streaming threads are gone (state NULL) */
    gst_object_unref(p->bin);
    if (p->decoded_caps != NULL)
        gst_caps_unref(p->decoded_caps);
    g_mutex_clear(&p->lock);
    g_free(p);
    *pp = NULL;
}

GstSample *pipeline_pull(pipeline_t *p)
{
    return p != NULL ? gst_app_sink_try_pull_sample(GST_APP_SINK(p->sink), 0) : NULL;
}

void pipeline_set_decoding(pipeline_t *p, bool on)
{
    if (p == NULL)
        return;
    if (!on) {
        atomic_store(&p->gate, PIPELINE_GATE_CLOSED);
        return;
    }
    int closed = PIPELINE_GATE_CLOSED;
    if (!atomic_compare_exchange_strong(&p->gate, &closed, PIPELINE_GATE_WANT_KEY))
        return; /* already open or waiting */
    /* Ask upstream for a keyframe so the picture comes back before the next scheduled one:
     * rtpbin turns this into an RTCP PLI/FIR, which many cameras (and gst-rtsp-server) honour. */
    g_mutex_lock(&p->lock);
    GstPad *pad = p->gate_pad != NULL ? gst_object_ref(p->gate_pad) : NULL;
    g_mutex_unlock(&p->lock);
    if (pad != NULL) {
        gst_pad_send_event(pad, gst_video_event_new_upstream_force_key_unit(GST_CLOCK_TIME_NONE,
                                                                            TRUE, 0));
        gst_object_unref(pad);
    }
}

uint64_t pipeline_take_bytes(pipeline_t *p)
{
    return p != NULL ? atomic_exchange(&p->bytes, 0) : 0;
}

bool pipeline_decoder(pipeline_t *p, decsel_choice_t *out)
{
    if (p == NULL || out == NULL)
        return false;
    g_mutex_lock(&p->lock);
    *out = p->decoder;
    g_mutex_unlock(&p->lock);
    return out->factory[0] != '\0' || out->why[0] != '\0';
}

uint64_t pipeline_running_time(pipeline_t *p)
{
    GstClock *clock = p != NULL ? gst_element_get_clock(p->bin) : NULL;
    if (clock == NULL)
        return GST_CLOCK_TIME_NONE;
    GstClockTime now = gst_clock_get_time(clock), base = gst_element_get_base_time(p->bin);
    gst_object_unref(clock);
    return now >= base ? now - base : GST_CLOCK_TIME_NONE;
}

void pipeline_source_size(const pipeline_t *p, uint32_t *width, uint32_t *height)
{
    *width = p != NULL ? atomic_load(&p->src_width) : 0;
    *height = p != NULL ? atomic_load(&p->src_height) : 0;
}
