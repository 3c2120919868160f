/* wire: encode and decode Pantau's frame and status messages (layout documented in wire.h).
 * Pure and stateless; every read is bounds-checked against the caller's length. */
#include "wire.h"

#include <string.h>
#include <time.h>

/* ---- little-endian primitives ---------------------------------------------------------------- */

static void put_u16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_u64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static uint16_t get_u16(const uint8_t *p)
{
    return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t get_u64(const uint8_t *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* ---- shared checks ----------------------------------------------------------------------------- */

/* An id is 1..WIRE_ID_MAX printable ASCII characters without spaces. */
static bool id_valid(const char *id, size_t cap)
{
    size_t n = 0;
    while (n < cap && id[n] != '\0') {
        if (id[n] <= ' ' || id[n] > '~')
            return false;
        n++;
    }
    return n >= 1 && n <= WIRE_ID_MAX;
}

static void put_id(uint8_t *p, const char *id)
{
    size_t n = strnlen(id, WIRE_ID_MAX);
    memset(p, 0, WIRE_ID_MAX + 1);
    memcpy(p, id, n);
}

static wire_error_t get_id(const uint8_t *p, char out[WIRE_ID_MAX + 1])
{
    /* The 32-byte field must contain its terminating NUL. */
    if (memchr(p, '\0', WIRE_ID_MAX + 1) == NULL)
        return WIRE_ERR_ID;
    memcpy(out, p, WIRE_ID_MAX + 1);
    return id_valid(out, WIRE_ID_MAX + 1) ? WIRE_OK : WIRE_ERR_ID;
}

static void put_prefix(uint8_t *p, wire_kind_t kind)
{
    put_u32(p, WIRE_MAGIC);
    put_u16(p + 4, WIRE_VERSION);
    put_u16(p + 6, (uint16_t)kind);
}

void wire_topic(wire_kind_t kind, uint8_t out[WIRE_TOPIC_SIZE])
{
    put_prefix(out, kind);
}

wire_error_t wire_peek_kind(const void *msg, size_t len, wire_kind_t *kind)
{
    const uint8_t *p = msg;
    if (msg == NULL || len < 8)
        return WIRE_ERR_SHORT;
    if (get_u32(p) != WIRE_MAGIC)
        return WIRE_ERR_MAGIC;
    if (get_u16(p + 4) != WIRE_VERSION)
        return WIRE_ERR_VERSION;
    uint16_t k = get_u16(p + 6);
    if (k != WIRE_KIND_FRAME && k != WIRE_KIND_STATUS && k != WIRE_KIND_INFO)
        return WIRE_ERR_KIND;
    if (kind != NULL)
        *kind = (wire_kind_t)k;
    return WIRE_OK;
}

/* ---- frames ------------------------------------------------------------------------------------ */

/* Checks geometry against the payload: each plane's rows must fit, computed in 64 bits so
 * hostile values cannot wrap. */
static wire_error_t frame_check(const wire_frame_t *f)
{
    if (f->format != WIRE_FORMAT_I420)
        return WIRE_ERR_FORMAT;
    if (f->width == 0 || f->height == 0 || f->width > WIRE_MAX_DIM || f->height > WIRE_MAX_DIM)
        return WIRE_ERR_DIMENSIONS;
    if (!id_valid(f->camera_id, sizeof f->camera_id))
        return WIRE_ERR_ID;
    for (int i = 0; i < 3; i++) {
        uint64_t pw = i == 0 ? f->width : (f->width + 1) / 2;
        uint64_t ph = i == 0 ? f->height : (f->height + 1) / 2;
        if (f->stride[i] < pw)
            return WIRE_ERR_PLANES;
        uint64_t end = (uint64_t)f->offset[i] + (uint64_t)f->stride[i] * (ph - 1) + pw;
        if (end > f->payload_len)
            return WIRE_ERR_PLANES;
    }
    return WIRE_OK;
}

void wire_frame_set_i420_layout(wire_frame_t *frame, uint32_t width, uint32_t height)
{
    uint32_t cw = (width + 1) / 2, ch = (height + 1) / 2;
    frame->format = WIRE_FORMAT_I420;
    frame->width = width;
    frame->height = height;
    frame->stride[0] = width;
    frame->stride[1] = cw;
    frame->stride[2] = cw;
    frame->offset[0] = 0;
    frame->offset[1] = width * height;
    frame->offset[2] = width * height + cw * ch;
    frame->payload_len = width * height + 2 * cw * ch;
}

wire_error_t wire_frame_encode(const wire_frame_t *f, uint8_t out[WIRE_FRAME_HEADER_SIZE])
{
    if (f == NULL || out == NULL)
        return WIRE_ERR_SHORT;
    wire_error_t err = frame_check(f);
    if (err != WIRE_OK)
        return err;
    memset(out, 0, WIRE_FRAME_HEADER_SIZE);
    put_prefix(out, WIRE_KIND_FRAME);
    put_u16(out + 8, WIRE_FRAME_HEADER_SIZE);
    put_u16(out + 10, (uint16_t)f->format);
    put_u32(out + 12, f->width);
    put_u32(out + 16, f->height);
    put_id(out + 20, f->camera_id);
    put_u64(out + 52, f->seq);
    put_u64(out + 60, f->capture_ns);
    put_u64(out + 68, f->pts_ns);
    for (int i = 0; i < 3; i++) {
        put_u32(out + 76 + 4 * i, f->stride[i]);
        put_u32(out + 88 + 4 * i, f->offset[i]);
    }
    put_u32(out + 100, f->payload_len);
    put_u64(out + 104, f->decoded_ns);
    out[112] = (uint8_t)((unsigned)f->capture_clock < WIRE_CLOCK_COUNT_ ? f->capture_clock
                                                                         : WIRE_CLOCK_UNKNOWN);
    return WIRE_OK;
}

wire_error_t wire_frame_decode(const void *header, size_t header_len, size_t payload_len,
                               wire_frame_t *f)
{
    wire_kind_t kind;
    wire_error_t err = wire_peek_kind(header, header_len, &kind);
    if (err != WIRE_OK)
        return err;
    if (kind != WIRE_KIND_FRAME)
        return WIRE_ERR_KIND;
    const uint8_t *p = header;
    if (header_len < WIRE_FRAME_HEADER_SIZE)
        return WIRE_ERR_SHORT;
    if (get_u16(p + 8) != WIRE_FRAME_HEADER_SIZE || header_len != WIRE_FRAME_HEADER_SIZE)
        return WIRE_ERR_SIZE;
    f->format = (wire_format_t)get_u16(p + 10);
    f->width = get_u32(p + 12);
    f->height = get_u32(p + 16);
    if ((err = get_id(p + 20, f->camera_id)) != WIRE_OK)
        return err;
    f->seq = get_u64(p + 52);
    f->capture_ns = get_u64(p + 60);
    f->pts_ns = get_u64(p + 68);
    for (int i = 0; i < 3; i++) {
        f->stride[i] = get_u32(p + 76 + 4 * i);
        f->offset[i] = get_u32(p + 88 + 4 * i);
    }
    f->payload_len = get_u32(p + 100);
    f->decoded_ns = get_u64(p + 104);
    f->capture_clock = p[112] < WIRE_CLOCK_COUNT_ ? (wire_clock_t)p[112] : WIRE_CLOCK_UNKNOWN;
    if (f->payload_len != payload_len)
        return WIRE_ERR_SIZE;
    return frame_check(f);
}

/* ---- status ------------------------------------------------------------------------------------ */

/* Longest prefix of s, at most max bytes, that does not split a UTF-8 sequence. */
static size_t utf8_cut(const char *s, size_t max)
{
    size_t n = strnlen(s, max + 1);
    if (n <= max)
        return n;
    n = max;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

size_t wire_status_encode(const wire_status_t *s, uint8_t *out, size_t out_cap)
{
    if (s == NULL || out == NULL || out_cap < WIRE_STATUS_MAX_SIZE)
        return 0;
    if ((unsigned)s->state >= WIRE_STATE_COUNT_ || !id_valid(s->camera_id, sizeof s->camera_id))
        return 0;
    size_t elen = utf8_cut(s->last_error, WIRE_MAX_ERROR);
    size_t total = WIRE_STATUS_MIN_SIZE + elen;
    memset(out, 0, WIRE_STATUS_MIN_SIZE);
    put_prefix(out, WIRE_KIND_STATUS);
    put_u16(out + 8, (uint16_t)total);
    out[10] = (uint8_t)s->state;
    out[11] = (uint8_t)((unsigned)s->rec < WIRE_REC_COUNT_ ? s->rec : WIRE_REC_ERROR);
    put_id(out + 12, s->camera_id);
    put_u64(out + 44, s->time_ns);
    put_u32(out + 52, s->fps_milli);
    put_u32(out + 56, s->kbps);
    put_u32(out + 60, s->reconnects);
    put_u32(out + 64, s->attempt);
    put_u32(out + 68, s->src_width);
    put_u32(out + 72, s->src_height);
    put_u16(out + 76, (uint16_t)elen);
    memcpy(out + WIRE_STATUS_MIN_SIZE, s->last_error, elen);
    return total;
}

wire_error_t wire_status_decode(const void *msg, size_t len, wire_status_t *s)
{
    wire_kind_t kind;
    wire_error_t err = wire_peek_kind(msg, len, &kind);
    if (err != WIRE_OK)
        return err;
    if (kind != WIRE_KIND_STATUS)
        return WIRE_ERR_KIND;
    const uint8_t *p = msg;
    if (len < WIRE_STATUS_MIN_SIZE)
        return WIRE_ERR_SHORT;
    size_t body = get_u16(p + 8);
    size_t elen = get_u16(p + 76);
    if (body != len || elen > WIRE_MAX_ERROR || WIRE_STATUS_MIN_SIZE + elen != len)
        return WIRE_ERR_SIZE;
    if (p[10] >= WIRE_STATE_COUNT_)
        return WIRE_ERR_STATE;
    s->state = (wire_state_t)p[10];
    s->rec = p[11] < WIRE_REC_COUNT_ ? (wire_rec_t)p[11] : WIRE_REC_ERROR;
    if ((err = get_id(p + 12, s->camera_id)) != WIRE_OK)
        return err;
    s->time_ns = get_u64(p + 44);
    s->fps_milli = get_u32(p + 52);
    s->kbps = get_u32(p + 56);
    s->reconnects = get_u32(p + 60);
    s->attempt = get_u32(p + 64);
    s->src_width = get_u32(p + 68);
    s->src_height = get_u32(p + 72);
    memcpy(s->last_error, p + WIRE_STATUS_MIN_SIZE, elen);
    s->last_error[elen] = '\0';
    /* An embedded NUL would silently truncate the text a technician reads: refuse it. */
    if (strlen(s->last_error) != elen)
        return WIRE_ERR_SIZE;
    return WIRE_OK;
}

/* ---- info -------------------------------------------------------------------------------------- */

/* A decoder name: 0..WIRE_DECODER_MAX printable ASCII characters without spaces. */
static bool decoder_valid(const char *name, size_t cap)
{
    size_t n = 0;
    while (n < cap && name[n] != '\0') {
        if (name[n] <= ' ' || name[n] > '~')
            return false;
        n++;
    }
    return n <= WIRE_DECODER_MAX;
}

wire_error_t wire_info_encode(const wire_info_t *in, uint8_t out[WIRE_INFO_SIZE])
{
    if (in == NULL || out == NULL)
        return WIRE_ERR_SHORT;
    if (!id_valid(in->camera_id, sizeof in->camera_id))
        return WIRE_ERR_ID;
    if (!decoder_valid(in->decoder, sizeof in->decoder))
        return WIRE_ERR_INFO;
    memset(out, 0, WIRE_INFO_SIZE);
    put_prefix(out, WIRE_KIND_INFO);
    put_u16(out + 8, WIRE_INFO_SIZE);
    out[10] = in->decoder_hw ? 1 : 0;
    out[11] = (uint8_t)((unsigned)in->capture_clock < WIRE_CLOCK_COUNT_ ? in->capture_clock
                                                                          : WIRE_CLOCK_UNKNOWN);
    put_id(out + 12, in->camera_id);
    memcpy(out + 44, in->decoder, strnlen(in->decoder, WIRE_DECODER_MAX));
    put_u32(out + 76, in->latency_ms);
    put_u32(out + 80, (uint32_t)in->clock_offset_ms);
    memcpy(out + 84, in->decoder_why, utf8_cut(in->decoder_why, WIRE_WHY_MAX));
    return WIRE_OK;
}

wire_error_t wire_info_decode(const void *msg, size_t len, wire_info_t *info)
{
    wire_kind_t kind;
    wire_error_t err = wire_peek_kind(msg, len, &kind);
    if (err != WIRE_OK)
        return err;
    if (kind != WIRE_KIND_INFO)
        return WIRE_ERR_KIND;
    const uint8_t *p = msg;
    if (len < WIRE_INFO_SIZE)
        return WIRE_ERR_SHORT;
    if (get_u16(p + 8) != WIRE_INFO_SIZE || len != WIRE_INFO_SIZE)
        return WIRE_ERR_SIZE;
    if ((err = get_id(p + 12, info->camera_id)) != WIRE_OK)
        return err;
    info->decoder_hw = (p[10] & 1) != 0;
    info->capture_clock = p[11] < WIRE_CLOCK_COUNT_ ? (wire_clock_t)p[11] : WIRE_CLOCK_UNKNOWN;
    /* Both text fields must hold their terminating NUL; the name must be printable. */
    if (memchr(p + 44, '\0', WIRE_DECODER_MAX + 1) == NULL ||
        memchr(p + 84, '\0', WIRE_WHY_MAX + 1) == NULL)
        return WIRE_ERR_INFO;
    memcpy(info->decoder, p + 44, WIRE_DECODER_MAX + 1);
    if (!decoder_valid(info->decoder, sizeof info->decoder))
        return WIRE_ERR_INFO;
    memcpy(info->decoder_why, p + 84, WIRE_WHY_MAX + 1);
    for (const char *c = info->decoder_why; *c != '\0'; c++)
        if ((unsigned char)*c < ' ' || *c == 0x7f)
            return WIRE_ERR_INFO; /* no control characters in a line a technician reads */
    info->latency_ms = get_u32(p + 76);
    info->clock_offset_ms = (int32_t)get_u32(p + 80);
    return WIRE_OK;
}

/* ---- names ------------------------------------------------------------------------------------- */

const char *wire_error_str(wire_error_t err)
{
    static const char *const names[WIRE_ERR_COUNT_] = {
        [WIRE_OK] = "ok",
        [WIRE_ERR_SHORT] = "truncated message",
        [WIRE_ERR_MAGIC] = "bad magic (not a Pantau message)",
        [WIRE_ERR_VERSION] = "unsupported wire version",
        [WIRE_ERR_KIND] = "unexpected message kind",
        [WIRE_ERR_SIZE] = "declared size does not match message length",
        [WIRE_ERR_FORMAT] = "unknown pixel format",
        [WIRE_ERR_DIMENSIONS] = "bad frame dimensions",
        [WIRE_ERR_ID] = "bad camera id",
        [WIRE_ERR_PLANES] = "plane layout outside the payload",
        [WIRE_ERR_STATE] = "unknown camera state",
        [WIRE_ERR_INFO] = "bad text in info message",
    };
    if ((unsigned)err >= WIRE_ERR_COUNT_)
        return "unknown error";
    return names[err];
}

const char *wire_state_name(wire_state_t state)
{
    static const char *const names[WIRE_STATE_COUNT_] = {
        [WIRE_STATE_CONNECTING] = "connecting", [WIRE_STATE_LIVE] = "live",
        [WIRE_STATE_STALLED] = "stalled",       [WIRE_STATE_RECONNECTING] = "reconnecting",
        [WIRE_STATE_FAILED] = "failed",
    };
    if ((unsigned)state >= WIRE_STATE_COUNT_)
        return "unknown";
    return names[state];
}

const char *wire_rec_name(wire_rec_t rec)
{
    static const char *const names[WIRE_REC_COUNT_] = {
        [WIRE_REC_OFF] = "off",           [WIRE_REC_RECORDING] = "recording",
        [WIRE_REC_IDLE] = "idle",         [WIRE_REC_DISK_FULL] = "disk-full",
        [WIRE_REC_UNWRITABLE] = "unwritable", [WIRE_REC_ERROR] = "error",
    };
    return (unsigned)rec < WIRE_REC_COUNT_ ? names[rec] : "error";
}

const char *wire_clock_name(wire_clock_t clock)
{
    static const char *const names[WIRE_CLOCK_COUNT_] = {
        [WIRE_CLOCK_UNKNOWN] = "unknown",
        [WIRE_CLOCK_RECEIVE] = "receive time",
        [WIRE_CLOCK_CAMERA] = "camera RTCP",
    };
    return (unsigned)clock < WIRE_CLOCK_COUNT_ ? names[clock] : "unknown";
}

uint64_t wire_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
