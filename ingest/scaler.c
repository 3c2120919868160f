/* scaler: decoded picture -> wire I420 frame with libswscale (see scaler.h).
 *
 * The pipeline part it replaces, for reference:
 *   ... ! avdec_h264 ! videoconvert ! videoscale add-borders=true \
 *       ! video/x-raw,format=I420,width=W,height=H ! appsink
 * now:
 *   ... ! avdec_h264 ! videoconvert (passthrough for the formats below) ! appsink
 *   then scaler_run: sws_scale(decoded planes -> pooled I420 W x H buffer) on the main thread. */
#include "scaler.h"

#include <string.h>

#include <gst/video/video.h>
#include <libavutil/log.h>
#include <libavutil/pixfmt.h>
#include <libswscale/swscale.h>

#include "scaleplan.h"

#define DEFAULT_SCALER_POOL_MIN 2  /* buffers allocated up front; more on demand, then reused */
#define DEFAULT_SCALER_ALIGN 32    /* row and plane alignment (bytes) for swscale's SIMD paths */
#define DEFAULT_SCALER_FLAGS SWS_FAST_BILINEAR
#define DEFAULT_SCALER_SMALL_FLAGS SWS_AREA /* below half size: fast bilinear would alias */
#define SCALER_BLACK_Y 16
#define SCALER_BLACK_C 128
#define SCALER_MAX_SIZE 8192

#define SCALER_FORMATS                                                                             \
    "I420, YV12, NV12, NV21, Y42B, Y444, I420_10LE, I422_10LE, Y444_10LE, I420_12LE, P010_10LE, " \
    "GRAY8"

typedef struct {
    GstVideoFormat gst;
    enum AVPixelFormat av;
} scaler_format_t;

/* swscale's planes are taken in component order Y, U, V (semi-planar: Y, then the chroma plane
 * from its start), which is how scaler_src_planes finds them whatever GStreamer's plane order. */
static const scaler_format_t scaler_formats[] = {
    {GST_VIDEO_FORMAT_I420, AV_PIX_FMT_YUV420P},
    {GST_VIDEO_FORMAT_YV12, AV_PIX_FMT_YUV420P},
    {GST_VIDEO_FORMAT_NV12, AV_PIX_FMT_NV12},
    {GST_VIDEO_FORMAT_NV21, AV_PIX_FMT_NV21},
    {GST_VIDEO_FORMAT_Y42B, AV_PIX_FMT_YUV422P},
    {GST_VIDEO_FORMAT_Y444, AV_PIX_FMT_YUV444P},
    {GST_VIDEO_FORMAT_I420_10LE, AV_PIX_FMT_YUV420P10LE},
    {GST_VIDEO_FORMAT_I422_10LE, AV_PIX_FMT_YUV422P10LE},
    {GST_VIDEO_FORMAT_Y444_10LE, AV_PIX_FMT_YUV444P10LE},
    {GST_VIDEO_FORMAT_I420_12LE, AV_PIX_FMT_YUV420P12LE},
    {GST_VIDEO_FORMAT_P010_10LE, AV_PIX_FMT_P010LE},
    {GST_VIDEO_FORMAT_GRAY8, AV_PIX_FMT_GRAY8},
};
#define SCALER_NFORMATS (sizeof scaler_formats / sizeof scaler_formats[0])

struct scaler {
    int out_w, out_h;
    grid_fit_t fit;
    /* Plan for the current caps (recomputed when the caps object changes). */
    GstCaps *caps; /* own ref, NULL before the first sample */
    GstVideoInfo vinfo;
    const scaler_format_t *format; /* NULL: these caps are refused, for caps_error */
    const char *caps_error;        /* why (static text) */
    scaleplan_t plan;
    struct SwsContext *sws;
    /* Output frame layout (I420, tile-sized) and its pool. */
    int stride[3], offset[3];
    size_t size;
    GstBufferPool *pool;
    scaler_counters_t counters;
};

static int scaler_align(int v)
{
    return (v + DEFAULT_SCALER_ALIGN - 1) & ~(DEFAULT_SCALER_ALIGN - 1);
}

static GstBufferPool *scaler_pool_new(size_t size)
{
    GstBufferPool *pool = gst_buffer_pool_new();
    GstStructure *config = gst_buffer_pool_get_config(pool);
    GstAllocationParams params;
    gst_allocation_params_init(&params);
    params.align = DEFAULT_SCALER_ALIGN - 1;
    gst_buffer_pool_config_set_params(config, NULL, (guint)size, DEFAULT_SCALER_POOL_MIN, 0);
    gst_buffer_pool_config_set_allocator(config, NULL, &params);
    if (!gst_buffer_pool_set_config(pool, config) || !gst_buffer_pool_set_active(pool, TRUE)) {
        gst_object_unref(pool);
        return NULL;
    }
    return pool;
}

scaler_t *scaler_new(int out_w, int out_h, grid_fit_t fit)
{
    if (out_w < 2 || out_h < 2 || out_w > SCALER_MAX_SIZE || out_h > SCALER_MAX_SIZE ||
        (out_w & 1) || (out_h & 1))
        return NULL;
    scaler_t *s = g_new0(scaler_t, 1);
    s->out_w = out_w;
    s->out_h = out_h;
    s->fit = fit;
    int cw = out_w / 2, ch = out_h / 2;
    s->stride[0] = scaler_align(out_w);
    s->stride[1] = s->stride[2] = scaler_align(cw);
    s->offset[0] = 0;
    s->offset[1] = scaler_align(s->stride[0] * out_h);
    s->offset[2] = s->offset[1] + scaler_align(s->stride[1] * ch);
    s->size = (size_t)s->offset[2] + (size_t)s->stride[2] * (size_t)ch;
    /* swscale reports through av_log: keep its per-frame warnings (unaligned data...) quiet. */
    av_log_set_level(AV_LOG_ERROR);
    return s;
}

void scaler_destroy(scaler_t **sp)
{
    if (sp == NULL || *sp == NULL)
        return;
    scaler_t *s = *sp;
    if (s->pool != NULL) {
        gst_buffer_pool_set_active(s->pool, FALSE); /* outstanding buffers are freed on release */
        gst_object_unref(s->pool);
    }
    sws_freeContext(s->sws);
    if (s->caps != NULL)
        gst_caps_unref(s->caps);
    g_free(s);
    *sp = NULL;
}

const char *scaler_formats_caps(void)
{
    return "video/x-raw,format=(string){ " SCALER_FORMATS " }";
}

scaler_counters_t scaler_counters(const scaler_t *s)
{
    scaler_counters_t zero = {0, 0, 0};
    return s != NULL ? s->counters : zero;
}

static const scaler_format_t *scaler_format_for(GstVideoFormat f)
{
    for (size_t i = 0; i < SCALER_NFORMATS; i++)
        if (scaler_formats[i].gst == f)
            return &scaler_formats[i];
    return NULL;
}

/* New caps: format, plan and swscale context. Returns NULL or why not. */
static const char *scaler_plan_caps(scaler_t *s, GstCaps *caps);

static const char *scaler_set_caps(scaler_t *s, GstCaps *caps)
{
    s->caps_error = scaler_plan_caps(s, caps);
    return s->caps_error;
}

static const char *scaler_plan_caps(scaler_t *s, GstCaps *caps)
{
    if (s->caps != NULL)
        gst_caps_unref(s->caps);
    s->caps = gst_caps_ref(caps);
    s->format = NULL;
    if (!gst_video_info_from_caps(&s->vinfo, caps))
        return "caps without a usable video size and format";
    const scaler_format_t *f = scaler_format_for(GST_VIDEO_INFO_FORMAT(&s->vinfo));
    if (f == NULL)
        return "pixel format not handled";
    int w = GST_VIDEO_INFO_WIDTH(&s->vinfo), h = GST_VIDEO_INFO_HEIGHT(&s->vinfo);
    int par_n = GST_VIDEO_INFO_PAR_N(&s->vinfo), par_d = GST_VIDEO_INFO_PAR_D(&s->vinfo);
    if (par_n <= 0 || par_d <= 0)
        par_n = par_d = 1; /* unknown: square */
    if (!scaleplan_make(w, h, par_n, par_d, f->gst == GST_VIDEO_FORMAT_I420, s->out_w, s->out_h,
                        s->fit, &s->plan))
        return "picture too small";
    if (!s->plan.passthrough) {
        bool small = s->plan.dst.w * 2 < s->plan.src.w || s->plan.dst.h * 2 < s->plan.src.h;
        s->sws = sws_getCachedContext(s->sws, s->plan.src.w, s->plan.src.h, f->av, s->plan.dst.w,
                                      s->plan.dst.h, AV_PIX_FMT_YUV420P,
                                      small ? DEFAULT_SCALER_SMALL_FLAGS : DEFAULT_SCALER_FLAGS,
                                      NULL, NULL, NULL);
        if (s->sws == NULL)
            return "swscale refused the conversion";
        if (s->pool == NULL && (s->pool = scaler_pool_new(s->size)) == NULL)
            return "no buffer pool";
    }
    s->format = f;
    return NULL;
}

/* The decoded planes at the plan's source origin, in swscale's order. */
static int scaler_src_planes(const scaler_t *s, GstVideoFrame *frame, const uint8_t *data[4],
                             int stride[4])
{
    const GstVideoFormatInfo *fi = frame->info.finfo;
    int n = GST_VIDEO_FORMAT_INFO_N_PLANES(fi);
    for (int i = 0; i < n; i++) {
        int comp = i; /* first component of swscale's plane i: Y, U (or UV), V */
        int plane = GST_VIDEO_FORMAT_INFO_PLANE(fi, comp);
        int x = GST_VIDEO_FORMAT_INFO_SCALE_WIDTH(fi, comp, s->plan.src.x);
        int y = GST_VIDEO_FORMAT_INFO_SCALE_HEIGHT(fi, comp, s->plan.src.y);
        stride[i] = GST_VIDEO_FRAME_PLANE_STRIDE(frame, plane);
        /* Semi-planar: the chroma plane from its start (poffset of V in NV21 is 0, of U 1). */
        data[i] = (const uint8_t *)GST_VIDEO_FRAME_PLANE_DATA(frame, plane) + (size_t)y * stride[i] +
                  (size_t)x * (size_t)GST_VIDEO_FORMAT_INFO_PSTRIDE(fi, comp);
    }
    return n;
}

static void scaler_fill(uint8_t *p, int stride, int x, int y, int w, int h, uint8_t v)
{
    for (int r = 0; r < h; r++)
        memset(p + (size_t)(y + r) * stride + x, v, (size_t)w);
}

/* Black outside the plan's dst rectangle, in the three planes. */
static void scaler_fill_bars(const scaler_t *s, uint8_t *const dst[3])
{
    const grid_rect_t *d = &s->plan.dst;
    for (int i = 0; i < 3; i++) {
        int sh = i == 0 ? 0 : 1;
        uint8_t v = i == 0 ? SCALER_BLACK_Y : SCALER_BLACK_C;
        int W = s->out_w >> sh, H = s->out_h >> sh;
        int x = d->x >> sh, y = d->y >> sh, w = d->w >> sh, h = d->h >> sh;
        scaler_fill(dst[i], s->stride[i], 0, 0, W, y, v);
        scaler_fill(dst[i], s->stride[i], 0, y + h, W, H - y - h, v);
        scaler_fill(dst[i], s->stride[i], 0, y, x, h, v);
        scaler_fill(dst[i], s->stride[i], x + w, y, W - x - w, h, v);
    }
}

/* Passthrough: the decoded buffer's own layout (GstVideoMeta when it has one). */
static GstBuffer *scaler_pass(scaler_t *s, GstBuffer *buf, wire_frame_t *hdr)
{
    GstVideoMeta *vm = gst_buffer_get_video_meta(buf);
    hdr->width = (uint32_t)GST_VIDEO_INFO_WIDTH(&s->vinfo);
    hdr->height = (uint32_t)GST_VIDEO_INFO_HEIGHT(&s->vinfo);
    for (int i = 0; i < 3; i++) {
        hdr->stride[i] = (uint32_t)(vm ? vm->stride[i] : GST_VIDEO_INFO_PLANE_STRIDE(&s->vinfo, i));
        hdr->offset[i] = (uint32_t)(vm ? vm->offset[i] : GST_VIDEO_INFO_PLANE_OFFSET(&s->vinfo, i));
    }
    s->counters.passed++;
    return gst_buffer_ref(buf);
}

static GstBuffer *scaler_scale(scaler_t *s, GstBuffer *buf, wire_frame_t *hdr, const char **why)
{
    GstVideoFrame in;
    GstBuffer *out = NULL;
    GstMapInfo map;
    if (!gst_video_frame_map(&in, &s->vinfo, buf, GST_MAP_READ)) {
        *why = "decoded buffer cannot be mapped";
        return NULL;
    }
    if (gst_buffer_pool_acquire_buffer(s->pool, &out, NULL) != GST_FLOW_OK) {
        *why = "no output buffer";
        goto done;
    }
    if (!gst_buffer_map(out, &map, GST_MAP_WRITE)) {
        *why = "output buffer cannot be mapped";
        gst_clear_buffer(&out);
        goto done;
    }
    const uint8_t *src[4] = {NULL};
    int src_stride[4] = {0};
    scaler_src_planes(s, &in, src, src_stride);
    uint8_t *dst[3];
    int dst_stride[3];
    for (int i = 0; i < 3; i++) {
        int sh = i == 0 ? 0 : 1;
        dst_stride[i] = s->stride[i];
        dst[i] = map.data + s->offset[i] + (size_t)(s->plan.dst.y >> sh) * dst_stride[i] +
                 (size_t)(s->plan.dst.x >> sh);
    }
    int rows = sws_scale(s->sws, src, src_stride, 0, s->plan.src.h, dst, dst_stride);
    if (scaleplan_has_bars(&s->plan)) {
        uint8_t *base[3] = {map.data + s->offset[0], map.data + s->offset[1],
                            map.data + s->offset[2]};
        scaler_fill_bars(s, base);
    }
    gst_buffer_unmap(out, &map);
    if (rows != s->plan.dst.h) {
        *why = "swscale failed";
        gst_clear_buffer(&out);
        goto done;
    }
    hdr->width = (uint32_t)s->out_w;
    hdr->height = (uint32_t)s->out_h;
    for (int i = 0; i < 3; i++) {
        hdr->stride[i] = (uint32_t)s->stride[i];
        hdr->offset[i] = (uint32_t)s->offset[i];
    }
    s->counters.scaled++;
done:
    gst_video_frame_unmap(&in);
    return out;
}

GstBuffer *scaler_run(scaler_t *s, GstSample *sample, wire_frame_t *hdr, const char **why)
{
    static const char *no_reason = "";
    const char *dummy;
    if (why == NULL)
        why = &dummy;
    *why = no_reason;
    GstBuffer *buf = sample != NULL ? gst_sample_get_buffer(sample) : NULL;
    GstCaps *caps = sample != NULL ? gst_sample_get_caps(sample) : NULL;
    if (s == NULL || buf == NULL || caps == NULL || hdr == NULL) {
        *why = "sample without buffer or caps";
        goto refused;
    }
    if (caps != s->caps) {
        const char *e = scaler_set_caps(s, caps);
        if (e != NULL) {
            *why = e;
            goto refused;
        }
    } else if (s->format == NULL) {
        *why = s->caps_error != NULL ? s->caps_error : "caps refused";
        goto refused;
    }
    hdr->format = WIRE_FORMAT_I420;
    GstBuffer *out = s->plan.passthrough ? scaler_pass(s, buf, hdr) : scaler_scale(s, buf, hdr, why);
    if (out != NULL)
        return out;
refused:
    if (s != NULL)
        s->counters.refused++;
    return NULL;
}
