/* sample: decoded GstSample -> wire frame header + zero-copy payload (see sample.h).
 *
 * The worker's pipeline (full form in pipeline.c), then libswscale (ingest/scaler.h):
 *   gst-launch-1.0 rtspsrc location=URI ! rtph264depay ! h264parse ! avdec_h264 ! videoconvert \
 *     ! appsink max-buffers=1 drop=true   ->  scaler_run  ->  ZeroMQ, no copy */
#include "sample.h"

#include <stdint.h>
#include <string.h>

#include <gst/video/video.h>

#include "scaler.h"

struct sample_map {
    GstBuffer *buffer; /* own reference */
    GstMapInfo info;
};

uint64_t sample_ntp_to_unix_ns(uint64_t ntp_ns)
{
    const uint64_t offset = SAMPLE_NTP_UNIX_OFFSET_S * GST_SECOND;
    return ntp_ns > offset ? ntp_ns - offset : 0;
}

/* The buffer's reference timestamp whose caps are named name, or GST_CLOCK_TIME_NONE. */
static GstClockTime sample_ref_time(GstBuffer *buf, const char *name)
{
    gpointer state = NULL;
    GstMeta *meta;
    while ((meta = gst_buffer_iterate_meta_filtered(buf, &state,
                                                    GST_REFERENCE_TIMESTAMP_META_API_TYPE))) {
        GstReferenceTimestampMeta *ref = (GstReferenceTimestampMeta *)meta;
        if (ref->reference != NULL && gst_caps_get_size(ref->reference) > 0 &&
            gst_structure_has_name(gst_caps_get_structure(ref->reference, 0), name))
            return ref->timestamp;
    }
    return GST_CLOCK_TIME_NONE;
}

/* Receive time on the wall clock: now minus how long ago (in running time) the buffer's PTS was. */
static uint64_t sample_receive_ns(uint64_t now, uint64_t running_now, GstClockTime running_pts)
{
    if (!GST_CLOCK_TIME_IS_VALID(running_now) || !GST_CLOCK_TIME_IS_VALID(running_pts) ||
        running_pts > running_now || running_now - running_pts > now)
        return now;
    return now - (running_now - running_pts);
}

sample_map_t *sample_map(GstSample *sample, scaler_t *scaler, uint64_t running_now,
                         wire_frame_t *hdr, void **data, size_t *len, capclock_t *clock,
                         const char **why)
{
    GstBuffer *buf = sample != NULL ? gst_sample_get_buffer(sample) : NULL;
    if (buf == NULL || hdr == NULL) {
        if (why != NULL)
            *why = "sample without buffer";
        return NULL;
    }
    GstBuffer *out = scaler_run(scaler, sample, hdr, why);
    if (out == NULL)
        return NULL;
    sample_map_t *m = g_new0(sample_map_t, 1);
    m->buffer = out;
    /* Maps all memories as one block (merging them if there are several). */
    if (!gst_buffer_map(m->buffer, &m->info, GST_MAP_READ)) {
        gst_buffer_unref(m->buffer);
        g_free(m);
        if (why != NULL)
            *why = "frame cannot be mapped";
        return NULL;
    }
    hdr->payload_len = (uint32_t)m->info.size;
    /* The times come from the decoded buffer (its metas), not the scaled copy. */
    GstSegment *seg = gst_sample_get_segment(sample);
    guint64 rt = seg != NULL
                     ? gst_segment_to_running_time(seg, GST_FORMAT_TIME, GST_BUFFER_PTS(buf))
                     : GST_CLOCK_TIME_NONE;
    hdr->pts_ns = GST_CLOCK_TIME_IS_VALID(rt) ? rt : WIRE_PTS_NONE;
    GstClockTime ntp = sample_ref_time(buf, "timestamp/x-ntp");
    GstClockTime decoded = sample_ref_time(buf, SAMPLE_DECODED_CAPS);
    uint64_t receive = sample_receive_ns(wire_now_ns(), running_now, rt);
    hdr->capture_ns = capclock_pick(
        GST_CLOCK_TIME_IS_VALID(ntp) ? sample_ntp_to_unix_ns(ntp) : 0, receive, clock);
    hdr->capture_clock = clock->clock;
    hdr->decoded_ns = GST_CLOCK_TIME_IS_VALID(decoded) ? decoded : 0;
    *data = m->info.data;
    *len = m->info.size;
    return m;
}

void sample_release(void *data, void *map)
{
    (void)data;
    sample_map_t *m = map;
    if (m == NULL)
        return;
    gst_buffer_unmap(m->buffer, &m->info);
    gst_buffer_unref(m->buffer);
    g_free(m);
}
