/* test_wire: the frame and status codec (common/wire.h). Round trips, the byte layout at known
 * offsets, every wire_error_t reached from bad input, messages truncated at every length, and
 * hostile plane strides/offsets whose 32-bit arithmetic would wrap into a "valid" frame. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "wire.h"

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

static uint32_t get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static wire_frame_t make_frame(uint32_t w, uint32_t h, const char *id)
{
    wire_frame_t f;
    memset(&f, 0, sizeof f);
    wire_frame_set_i420_layout(&f, w, h);
    snprintf(f.camera_id, sizeof f.camera_id, "%s", id);
    f.seq = 0x0102030405060708ull;
    f.capture_ns = 1795000000123456789ull;
    f.pts_ns = WIRE_PTS_NONE;
    return f;
}

static wire_status_t make_status(wire_state_t state, const char *id, const char *error)
{
    wire_status_t s;
    memset(&s, 0, sizeof s);
    s.state = state;
    snprintf(s.camera_id, sizeof s.camera_id, "%s", id);
    s.time_ns = 1795000000000000000ull;
    s.fps_milli = 25000;
    s.kbps = 1234;
    s.reconnects = 3;
    s.attempt = 2;
    s.src_width = 1920;
    s.src_height = 1080;
    snprintf(s.last_error, sizeof s.last_error, "%s", error);
    return s;
}

/* ---- frames ---------------------------------------------------------------------------------- */

static void test_i420_layout(void **state)
{
    (void)state;
    static const uint32_t t[][9] = {
        /* w, h, stride Y U V, offset U V, payload, (unused) */
        {1, 1, 1, 1, 1, 1, 2, 3, 0},
        {2, 2, 2, 1, 1, 4, 5, 6, 0},
        {3, 3, 3, 2, 2, 9, 13, 17, 0},
        {1920, 1080, 1920, 960, 960, 2073600, 2592000, 3110400, 0},
        {8192, 8192, 8192, 4096, 4096, 67108864, 83886080, 100663296, 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        wire_frame_t f;
        memset(&f, 0, sizeof f);
        wire_frame_set_i420_layout(&f, t[i][0], t[i][1]);
        assert_int_equal(f.format, WIRE_FORMAT_I420);
        assert_int_equal(f.width, t[i][0]);
        assert_int_equal(f.height, t[i][1]);
        assert_int_equal(f.stride[0], t[i][2]);
        assert_int_equal(f.stride[1], t[i][3]);
        assert_int_equal(f.stride[2], t[i][4]);
        assert_int_equal(f.offset[0], 0);
        assert_int_equal(f.offset[1], t[i][5]);
        assert_int_equal(f.offset[2], t[i][6]);
        assert_int_equal(f.payload_len, t[i][7]);
    }
}

static void test_frame_round_trip(void **state)
{
    (void)state;
    static const uint32_t sizes[][2] = {{1, 1}, {3, 3}, {474, 354}, {1920, 1080}, {8192, 8192}};
    static const char *const ids[] = {"a", "pelabuhan", "simpang-tugu_2",
                                      "abcdefghijabcdefghijabcdefghij1"};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (size_t k = 0; k < sizeof ids / sizeof ids[0]; k++) {
            wire_frame_t in = make_frame(sizes[s][0], sizes[s][1], ids[k]), out;
            uint8_t hdr[WIRE_FRAME_HEADER_SIZE];
            assert_int_equal(wire_frame_encode(&in, hdr), WIRE_OK);
            wire_kind_t kind = 0;
            assert_int_equal(wire_peek_kind(hdr, sizeof hdr, &kind), WIRE_OK);
            assert_int_equal(kind, WIRE_KIND_FRAME);
            memset(&out, 0xAA, sizeof out);
            assert_int_equal(wire_frame_decode(hdr, sizeof hdr, in.payload_len, &out), WIRE_OK);
            assert_int_equal(out.width, in.width);
            assert_int_equal(out.height, in.height);
            assert_int_equal(out.format, in.format);
            assert_string_equal(out.camera_id, in.camera_id);
            assert_true(out.seq == in.seq && out.capture_ns == in.capture_ns);
            assert_true(out.pts_ns == WIRE_PTS_NONE);
            assert_memory_equal(out.stride, in.stride, sizeof in.stride);
            assert_memory_equal(out.offset, in.offset, sizeof in.offset);
            assert_int_equal(out.payload_len, in.payload_len);
        }
}

/* The documented offsets, little-endian, reserved bytes zero. */
static void test_frame_bytes(void **state)
{
    (void)state;
    wire_frame_t f = make_frame(1920, 1080, "pasar");
    uint8_t h[WIRE_FRAME_HEADER_SIZE];
    memset(h, 0xEE, sizeof h);
    assert_int_equal(wire_frame_encode(&f, h), WIRE_OK);
    assert_memory_equal(h, "PNTU", 4);
    assert_int_equal(h[4], 1);
    assert_int_equal(h[5], 0);
    assert_int_equal(h[6], WIRE_KIND_FRAME);
    assert_int_equal(h[8], 128);
    assert_int_equal(h[10], WIRE_FORMAT_I420);
    assert_int_equal(get_u32(h + 12), 1920);
    assert_int_equal(get_u32(h + 16), 1080);
    assert_memory_equal(h + 20, "pasar\0\0\0", 8);
    assert_int_equal(h[52], 0x08); /* seq, least significant byte first */
    assert_int_equal(h[59], 0x01);
    assert_int_equal(get_u32(h + 80), 960);     /* stride U */
    assert_int_equal(get_u32(h + 92), 2073600); /* offset U */
    assert_int_equal(get_u32(h + 100), 3110400);
    for (int i = 104; i < 128; i++)
        assert_int_equal(h[i], 0);
}

/* A valid encoded header of a 64x48 frame, to be spoiled. */
static void good_header(uint8_t h[WIRE_FRAME_HEADER_SIZE], wire_frame_t *f)
{
    *f = make_frame(64, 48, "cam1");
    assert_int_equal(wire_frame_encode(f, h), WIRE_OK);
}

typedef struct {
    const char *name;
    size_t at;      /* byte to overwrite */
    int width;      /* 1, 2 or 4 bytes */
    uint32_t value;
    wire_error_t want;
} spoil_t;

static const spoil_t spoils[] = {
    {"magic", 0, 1, 'X', WIRE_ERR_MAGIC},
    {"version 2", 4, 2, 2, WIRE_ERR_VERSION},
    {"version 0", 4, 2, 0, WIRE_ERR_VERSION},
    {"kind 0", 6, 2, 0, WIRE_ERR_KIND},
    {"kind 3", 6, 2, 3, WIRE_ERR_KIND},
    {"kind status", 6, 2, WIRE_KIND_STATUS, WIRE_ERR_KIND},
    {"header size", 8, 2, 127, WIRE_ERR_SIZE},
    {"format 0", 10, 2, 0, WIRE_ERR_FORMAT},
    {"format 2", 10, 2, 2, WIRE_ERR_FORMAT},
    {"width 0", 12, 4, 0, WIRE_ERR_DIMENSIONS},
    {"height 0", 16, 4, 0, WIRE_ERR_DIMENSIONS},
    {"width 8193", 12, 4, WIRE_MAX_DIM + 1, WIRE_ERR_DIMENSIONS},
    {"height huge", 16, 4, 0xFFFFFFFFu, WIRE_ERR_DIMENSIONS},
    {"id empty", 20, 1, 0, WIRE_ERR_ID},
    {"id space", 21, 1, ' ', WIRE_ERR_ID},
    {"id control", 20, 1, 0x01, WIRE_ERR_ID},
    {"id del", 20, 1, 0x7F, WIRE_ERR_ID},
    {"id high byte", 22, 1, 0xC3, WIRE_ERR_ID},
    {"id unterminated", 51, 1, 'z', WIRE_ERR_ID}, /* with bytes 24..50 filled below */
    {"stride Y < width", 76, 4, 63, WIRE_ERR_PLANES},
    {"stride U < width/2", 80, 4, 31, WIRE_ERR_PLANES},
    {"offset V past payload", 96, 4, 64 * 48 + 32 * 24 + 1, WIRE_ERR_PLANES},
    {"stride huge", 76, 4, 0xFFFFFFFFu, WIRE_ERR_PLANES},
    {"offset huge", 88, 4, 0xFFFFFFFFu, WIRE_ERR_PLANES},
};

static void test_frame_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof spoils / sizeof spoils[0]; i++) {
        uint8_t h[WIRE_FRAME_HEADER_SIZE];
        wire_frame_t f, out;
        good_header(h, &f);
        if (strcmp(spoils[i].name, "id unterminated") == 0)
            memset(h + 20, 'a', 31);
        if (spoils[i].width == 1)
            h[spoils[i].at] = (uint8_t)spoils[i].value;
        else if (spoils[i].width == 2)
            put_u16(h + spoils[i].at, (uint16_t)spoils[i].value);
        else
            put_u32(h + spoils[i].at, spoils[i].value);
        wire_error_t got = wire_frame_decode(h, sizeof h, f.payload_len, &out);
        if (got != spoils[i].want)
            fail_msg("%s: got %s, want %s", spoils[i].name, wire_error_str(got),
                     wire_error_str(spoils[i].want));
    }
}

static void test_frame_sizes(void **state)
{
    (void)state;
    uint8_t h[WIRE_FRAME_HEADER_SIZE + 1];
    wire_frame_t f, out;
    good_header(h, &f);
    h[WIRE_FRAME_HEADER_SIZE] = 0;
    /* truncated at every length */
    for (size_t len = 0; len < WIRE_FRAME_HEADER_SIZE; len++)
        assert_int_equal(wire_frame_decode(h, len, f.payload_len, &out), WIRE_ERR_SHORT);
    assert_int_equal(wire_frame_decode(h, sizeof h, f.payload_len, &out), WIRE_ERR_SIZE);
    assert_int_equal(wire_frame_decode(h, WIRE_FRAME_HEADER_SIZE, f.payload_len - 1, &out),
                     WIRE_ERR_SIZE);
    assert_int_equal(wire_frame_decode(h, WIRE_FRAME_HEADER_SIZE, f.payload_len + 1, &out),
                     WIRE_ERR_SIZE);
    assert_int_equal(wire_frame_decode(NULL, 128, f.payload_len, &out), WIRE_ERR_SHORT);
    /* A larger payload than the planes need is allowed (padding) when declared. */
    put_u32(h + 100, f.payload_len + 64);
    assert_int_equal(wire_frame_decode(h, WIRE_FRAME_HEADER_SIZE, f.payload_len + 64, &out),
                     WIRE_OK);
}

/* Strides and offsets chosen so that offset + stride * (rows - 1) + width wraps around 2^32 to
 * a small number that would fit the payload if computed in 32 bits. */
static void test_frame_hostile_planes(void **state)
{
    (void)state;
    static const struct {
        uint32_t w, h;
        uint32_t stride[3], offset[3];
    } t[] = {
        /* Y: 0xFFFFFFF0 + 16 wraps to 0 */
        {16, 1, {16, 8, 8}, {0xFFFFFFF0u, 0, 8}},
        /* Y: stride * (h - 1) = 2^32 exactly: 0 in 32 bits */
        {16, 2, {0x80000000u, 8, 8}, {0, 32, 40}},
        /* Y: 0x100000 * (4097 - 1) = 2^32 */
        {16, 4097, {0x100000u, 8, 8}, {0, 0, 0}},
        /* V: offset near the top plus a row */
        {4, 2, {4, 2, 2}, {0, 8, 0xFFFFFFFEu}},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        wire_frame_t f = make_frame(t[i].w, t[i].h, "cam");
        uint32_t payload = f.payload_len + 64;
        memcpy(f.stride, t[i].stride, sizeof f.stride);
        memcpy(f.offset, t[i].offset, sizeof f.offset);
        f.payload_len = payload;
        uint8_t h[WIRE_FRAME_HEADER_SIZE];
        assert_int_equal(wire_frame_encode(&f, h), WIRE_ERR_PLANES);
        /* and the same bytes written by hand are refused by the decoder */
        wire_frame_t ok = make_frame(t[i].w, f.height, "cam");
        ok.payload_len = payload;
        assert_int_equal(wire_frame_encode(&ok, h), WIRE_OK);
        for (int p = 0; p < 3; p++) {
            put_u32(h + 76 + 4 * p, f.stride[p]);
            put_u32(h + 88 + 4 * p, f.offset[p]);
        }
        wire_frame_t out;
        if (wire_frame_decode(h, sizeof h, payload, &out) != WIRE_ERR_PLANES)
            fail_msg("case %zu accepted", i);
    }
}

static void test_frame_encode_invalid(void **state)
{
    (void)state;
    uint8_t h[WIRE_FRAME_HEADER_SIZE];
    wire_frame_t f = make_frame(64, 48, "cam");
    assert_int_equal(wire_frame_encode(NULL, h), WIRE_ERR_SHORT);
    assert_int_equal(wire_frame_encode(&f, NULL), WIRE_ERR_SHORT);
    f.format = 7;
    assert_int_equal(wire_frame_encode(&f, h), WIRE_ERR_FORMAT);
    f = make_frame(64, 48, "");
    assert_int_equal(wire_frame_encode(&f, h), WIRE_ERR_ID);
    f = make_frame(64, 48, "a b");
    assert_int_equal(wire_frame_encode(&f, h), WIRE_ERR_ID);
    f = make_frame(64, 48, "cam");
    f.width = 0;
    assert_int_equal(wire_frame_encode(&f, h), WIRE_ERR_DIMENSIONS);
    f = make_frame(64, 48, "cam");
    f.payload_len--;
    assert_int_equal(wire_frame_encode(&f, h), WIRE_ERR_PLANES);
}

/* ---- status ---------------------------------------------------------------------------------- */

static void test_status_round_trip(void **state)
{
    (void)state;
    static const char *const errors[] = {"", "timeout", "401 Unauthorized: rtsp://u:***@cam/s",
                                         "Koneksi gagal · coba lagi"};
    uint8_t buf[WIRE_STATUS_MAX_SIZE];
    for (int st = 0; st < WIRE_STATE_COUNT_; st++)
        for (size_t e = 0; e < sizeof errors / sizeof errors[0]; e++) {
            wire_status_t in = make_status((wire_state_t)st, "pelabuhan", errors[e]), out;
            size_t n = wire_status_encode(&in, buf, sizeof buf);
            assert_int_equal(n, WIRE_STATUS_MIN_SIZE + strlen(errors[e]));
            wire_kind_t kind = 0;
            assert_int_equal(wire_peek_kind(buf, n, &kind), WIRE_OK);
            assert_int_equal(kind, WIRE_KIND_STATUS);
            memset(&out, 0xAA, sizeof out);
            assert_int_equal(wire_status_decode(buf, n, &out), WIRE_OK);
            assert_int_equal(out.state, st);
            assert_string_equal(out.camera_id, "pelabuhan");
            assert_true(out.time_ns == in.time_ns);
            assert_int_equal(out.fps_milli, 25000);
            assert_int_equal(out.kbps, 1234);
            assert_int_equal(out.reconnects, 3);
            assert_int_equal(out.attempt, 2);
            assert_int_equal(out.src_width, 1920);
            assert_int_equal(out.src_height, 1080);
            assert_string_equal(out.last_error, errors[e]);
            assert_int_equal(buf[8] | buf[9] << 8, n); /* body_size */
        }
}

/* The recording state travels in byte 11 (reserved before, so 0 = off from older workers); an
 * unknown value reads as ERROR, never as a refused message. */
static void test_status_rec(void **state)
{
    (void)state;
    uint8_t buf[WIRE_STATUS_MAX_SIZE];
    for (int r = 0; r < WIRE_REC_COUNT_; r++) {
        wire_status_t in = make_status(WIRE_STATE_LIVE, "dock", ""), out;
        in.rec = (wire_rec_t)r;
        size_t n = wire_status_encode(&in, buf, sizeof buf);
        assert_int_equal(buf[11], r);
        assert_int_equal(wire_status_decode(buf, n, &out), WIRE_OK);
        assert_int_equal(out.rec, r);
    }
    wire_status_t in = make_status(WIRE_STATE_LIVE, "dock", ""), out;
    in.rec = (wire_rec_t)77; /* encoder: out of range is sent as ERROR */
    size_t n = wire_status_encode(&in, buf, sizeof buf);
    assert_int_equal(buf[11], WIRE_REC_ERROR);
    buf[11] = 200; /* a newer worker's value */
    assert_int_equal(wire_status_decode(buf, n, &out), WIRE_OK);
    assert_int_equal(out.rec, WIRE_REC_ERROR);
    buf[11] = 0;
    assert_int_equal(wire_status_decode(buf, n, &out), WIRE_OK);
    assert_int_equal(out.rec, WIRE_REC_OFF);
    assert_string_equal(wire_rec_name(WIRE_REC_DISK_FULL), "disk-full");
    assert_string_equal(wire_rec_name((wire_rec_t)99), "error");
}

/* A long last_error is cut to WIRE_MAX_ERROR bytes at a character boundary. */
static void test_status_long_error(void **state)
{
    (void)state;
    uint8_t buf[WIRE_STATUS_MAX_SIZE];
    wire_status_t in = make_status(WIRE_STATE_FAILED, "cam", ""), out;
    memset(in.last_error, 'a', sizeof in.last_error); /* not even terminated */
    assert_int_equal(wire_status_encode(&in, buf, sizeof buf), WIRE_STATUS_MAX_SIZE);
    assert_int_equal(wire_status_decode(buf, WIRE_STATUS_MAX_SIZE, &out), WIRE_OK);
    assert_int_equal(strlen(out.last_error), WIRE_MAX_ERROR);
    /* 399 ASCII bytes and a 2-byte character across the limit: the character goes */
    memset(in.last_error, 'b', WIRE_MAX_ERROR - 1);
    memcpy(in.last_error + WIRE_MAX_ERROR - 1, "\xC3\xA9", 2); /* fills the array: no NUL */
    size_t n = wire_status_encode(&in, buf, sizeof buf);
    assert_int_equal(n, WIRE_STATUS_MIN_SIZE + WIRE_MAX_ERROR - 1);
    assert_int_equal(wire_status_decode(buf, n, &out), WIRE_OK);
    assert_int_equal(strlen(out.last_error), WIRE_MAX_ERROR - 1);
    /* exactly 400 bytes fit */
    memset(in.last_error, 'c', WIRE_MAX_ERROR);
    in.last_error[WIRE_MAX_ERROR] = '\0';
    assert_int_equal(wire_status_encode(&in, buf, sizeof buf), WIRE_STATUS_MAX_SIZE);
}

static void test_status_encode_invalid(void **state)
{
    (void)state;
    uint8_t buf[WIRE_STATUS_MAX_SIZE];
    wire_status_t s = make_status(WIRE_STATE_LIVE, "cam", "x");
    assert_int_equal(wire_status_encode(NULL, buf, sizeof buf), 0);
    assert_int_equal(wire_status_encode(&s, NULL, sizeof buf), 0);
    assert_int_equal(wire_status_encode(&s, buf, WIRE_STATUS_MAX_SIZE - 1), 0);
    s.state = WIRE_STATE_COUNT_;
    assert_int_equal(wire_status_encode(&s, buf, sizeof buf), 0);
    s = make_status(WIRE_STATE_LIVE, "", "x");
    assert_int_equal(wire_status_encode(&s, buf, sizeof buf), 0);
    s = make_status(WIRE_STATE_LIVE, "bad\tid", "x");
    assert_int_equal(wire_status_encode(&s, buf, sizeof buf), 0);
}

static void test_status_errors(void **state)
{
    (void)state;
    uint8_t good[WIRE_STATUS_MAX_SIZE], buf[WIRE_STATUS_MAX_SIZE + 1];
    wire_status_t s = make_status(WIRE_STATE_STALLED, "cam", "no frames"), out;
    size_t n = wire_status_encode(&s, good, sizeof good);
    assert_true(n > WIRE_STATUS_MIN_SIZE);
    /* truncated at every length */
    for (size_t len = 0; len < n; len++) {
        wire_error_t want = len < WIRE_STATUS_MIN_SIZE ? WIRE_ERR_SHORT : WIRE_ERR_SIZE;
        if (wire_status_decode(good, len, &out) != want)
            fail_msg("length %zu: %s", len, wire_error_str(wire_status_decode(good, len, &out)));
    }
    static const struct {
        const char *name;
        size_t at;
        int width;
        uint32_t value;
        wire_error_t want;
    } t[] = {
        {"magic", 3, 1, 0, WIRE_ERR_MAGIC},
        {"version", 4, 2, 9, WIRE_ERR_VERSION},
        {"kind frame", 6, 2, WIRE_KIND_FRAME, WIRE_ERR_KIND},
        {"body size", 8, 2, 200, WIRE_ERR_SIZE},
        {"error_len", 76, 2, 3, WIRE_ERR_SIZE},
        {"error_len over max", 76, 2, WIRE_MAX_ERROR + 1, WIRE_ERR_SIZE},
        {"state", 10, 1, WIRE_STATE_COUNT_, WIRE_ERR_STATE},
        {"state 255", 10, 1, 255, WIRE_ERR_STATE},
        {"id empty", 12, 1, 0, WIRE_ERR_ID},
        {"id space", 13, 1, ' ', WIRE_ERR_ID},
        {"embedded NUL", WIRE_STATUS_MIN_SIZE + 2, 1, 0, WIRE_ERR_SIZE},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        memcpy(buf, good, n);
        if (t[i].width == 1)
            buf[t[i].at] = (uint8_t)t[i].value;
        else
            put_u16(buf + t[i].at, (uint16_t)t[i].value);
        wire_error_t got = wire_status_decode(buf, n, &out);
        if (got != t[i].want)
            fail_msg("%s: got %s, want %s", t[i].name, wire_error_str(got),
                     wire_error_str(t[i].want));
    }
    /* a message longer than it says */
    memcpy(buf, good, n);
    buf[n] = 'x';
    assert_int_equal(wire_status_decode(buf, n + 1, &out), WIRE_ERR_SIZE);
    /* an id filling all 32 bytes has no terminator */
    memcpy(buf, good, n);
    memset(buf + 12, 'a', 32);
    assert_int_equal(wire_status_decode(buf, n, &out), WIRE_ERR_ID);
    assert_int_equal(wire_status_decode(NULL, n, &out), WIRE_ERR_SHORT);
}

/* ---- decode time and capture clock (former reserved bytes of the frame header) ----------------- */

static void test_frame_latency_fields(void **state)
{
    (void)state;
    wire_frame_t in = make_frame(640, 360, "gerbang"), out;
    in.decoded_ns = 1795000000223456789ull;
    in.capture_clock = WIRE_CLOCK_CAMERA;
    uint8_t h[WIRE_FRAME_HEADER_SIZE];
    assert_int_equal(wire_frame_encode(&in, h), WIRE_OK);
    assert_int_equal(h[104], 0x15); /* 1795000000223456789 = 0x18E9_1EFD_6925_2E15 */
    assert_int_equal(h[111], 0x18);
    assert_int_equal(h[112], WIRE_CLOCK_CAMERA);
    for (int i = 113; i < 128; i++)
        assert_int_equal(h[i], 0);
    assert_int_equal(wire_frame_decode(h, sizeof h, in.payload_len, &out), WIRE_OK);
    assert_true(out.decoded_ns == in.decoded_ns);
    assert_int_equal(out.capture_clock, WIRE_CLOCK_CAMERA);

    /* An older worker: the former reserved bytes are zero -> unknown, still a valid frame. */
    memset(h + 104, 0, 24);
    assert_int_equal(wire_frame_decode(h, sizeof h, in.payload_len, &out), WIRE_OK);
    assert_true(out.decoded_ns == 0);
    assert_int_equal(out.capture_clock, WIRE_CLOCK_UNKNOWN);
    /* A clock value from a future worker is not a reason to drop the picture. */
    h[112] = 0xFE;
    h[120] = 0x55; /* still-reserved bytes are ignored */
    assert_int_equal(wire_frame_decode(h, sizeof h, in.payload_len, &out), WIRE_OK);
    assert_int_equal(out.capture_clock, WIRE_CLOCK_UNKNOWN);
    /* Encoding an out-of-range clock sends unknown, not garbage. */
    in.capture_clock = (wire_clock_t)9;
    assert_int_equal(wire_frame_encode(&in, h), WIRE_OK);
    assert_int_equal(h[112], WIRE_CLOCK_UNKNOWN);
}

/* ---- info -------------------------------------------------------------------------------------- */

static wire_info_t make_info(void)
{
    wire_info_t i;
    memset(&i, 0, sizeof i);
    snprintf(i.camera_id, sizeof i.camera_id, "pelabuhan");
    snprintf(i.decoder, sizeof i.decoder, "avdec_h264");
    snprintf(i.decoder_why, sizeof i.decoder_why, "no hardware decoder found");
    i.latency_ms = 80;
    i.clock_offset_ms = -1234;
    i.capture_clock = WIRE_CLOCK_CAMERA;
    return i;
}

static void test_info_round_trip(void **state)
{
    (void)state;
    wire_info_t in = make_info(), out;
    in.decoder_hw = true;
    uint8_t m[WIRE_INFO_SIZE];
    memset(m, 0xEE, sizeof m);
    assert_int_equal(wire_info_encode(&in, m), WIRE_OK);
    wire_kind_t kind = 0;
    assert_int_equal(wire_peek_kind(m, sizeof m, &kind), WIRE_OK);
    assert_int_equal(kind, WIRE_KIND_INFO);
    assert_int_equal(m[6], 3);
    assert_int_equal(m[8], WIRE_INFO_SIZE);
    assert_int_equal(m[10], 1);
    assert_int_equal(m[11], WIRE_CLOCK_CAMERA);
    assert_memory_equal(m + 12, "pelabuhan\0", 10);
    assert_memory_equal(m + 44, "avdec_h264\0", 11);
    assert_int_equal(get_u32(m + 76), 80);
    assert_int_equal(get_u32(m + 80), (uint32_t)-1234);
    assert_memory_equal(m + 84, "no hardware", 11);
    for (int i = 148; i < WIRE_INFO_SIZE; i++)
        assert_int_equal(m[i], 0);
    memset(&out, 0xAA, sizeof out);
    assert_int_equal(wire_info_decode(m, sizeof m, &out), WIRE_OK);
    assert_string_equal(out.camera_id, "pelabuhan");
    assert_string_equal(out.decoder, "avdec_h264");
    assert_string_equal(out.decoder_why, "no hardware decoder found");
    assert_true(out.decoder_hw);
    assert_int_equal(out.latency_ms, 80);
    assert_int_equal(out.clock_offset_ms, -1234);
    assert_int_equal(out.capture_clock, WIRE_CLOCK_CAMERA);

    /* No decoder (test source), unknown offset. */
    in = make_info();
    in.decoder[0] = '\0';
    in.clock_offset_ms = WIRE_OFFSET_NONE;
    assert_int_equal(wire_info_encode(&in, m), WIRE_OK);
    assert_int_equal(wire_info_decode(m, sizeof m, &out), WIRE_OK);
    assert_string_equal(out.decoder, "");
    assert_int_equal(out.clock_offset_ms, WIRE_OFFSET_NONE);
    assert_false(out.decoder_hw);
}

static void test_info_long_why(void **state)
{
    (void)state;
    wire_info_t in = make_info(), out;
    /* 62 ASCII bytes then a 2-byte character: the cut must not split it. */
    memset(in.decoder_why, 'x', 62);
    memcpy(in.decoder_why + 62, "\xc3\xa9", 3);
    uint8_t m[WIRE_INFO_SIZE];
    assert_int_equal(wire_info_encode(&in, m), WIRE_OK);
    assert_int_equal(wire_info_decode(m, sizeof m, &out), WIRE_OK);
    assert_int_equal(strlen(out.decoder_why), 62);
}

static void test_info_errors(void **state)
{
    (void)state;
    wire_info_t in = make_info(), out;
    uint8_t good[WIRE_INFO_SIZE], m[WIRE_INFO_SIZE + 1];
    assert_int_equal(wire_info_encode(&in, good), WIRE_OK);
    for (size_t len = 0; len < WIRE_INFO_SIZE; len++)
        assert_int_not_equal(wire_info_decode(good, len, &out), WIRE_OK);
    memcpy(m, good, sizeof good);
    m[WIRE_INFO_SIZE] = 0;
    assert_int_equal(wire_info_decode(m, sizeof m, &out), WIRE_ERR_SIZE);
    struct {
        size_t at;
        uint8_t value;
        wire_error_t want;
    } spoil[] = {
        {0, 'X', WIRE_ERR_MAGIC},   {4, 2, WIRE_ERR_VERSION},  {6, 4, WIRE_ERR_KIND},
        {6, 1, WIRE_ERR_KIND},      {8, 159, WIRE_ERR_SIZE},   {12, 0, WIRE_ERR_ID},
        {13, ' ', WIRE_ERR_ID},     {44, ' ', WIRE_ERR_INFO},  {45, 0x80, WIRE_ERR_INFO},
        {84, '\n', WIRE_ERR_INFO}, {84, 0x7F, WIRE_ERR_INFO},
    };
    for (size_t i = 0; i < sizeof spoil / sizeof spoil[0]; i++) {
        memcpy(m, good, sizeof good);
        m[spoil[i].at] = spoil[i].value;
        assert_int_equal(wire_info_decode(m, WIRE_INFO_SIZE, &out), spoil[i].want);
    }
    /* Unterminated text fields. */
    memcpy(m, good, sizeof good);
    memset(m + 44, 'a', 32);
    assert_int_equal(wire_info_decode(m, WIRE_INFO_SIZE, &out), WIRE_ERR_INFO);
    memcpy(m, good, sizeof good);
    memset(m + 84, 'a', 64);
    assert_int_equal(wire_info_decode(m, WIRE_INFO_SIZE, &out), WIRE_ERR_INFO);
    /* A status or frame is not an info message. */
    wire_status_t st = make_status(WIRE_STATE_LIVE, "a", "");
    uint8_t sb[WIRE_STATUS_MAX_SIZE];
    size_t n = wire_status_encode(&st, sb, sizeof sb);
    assert_int_equal(wire_info_decode(sb, n, &out), WIRE_ERR_KIND);
    assert_int_equal(wire_status_decode(good, sizeof good, &st), WIRE_ERR_KIND);
    assert_int_equal(wire_info_decode(NULL, WIRE_INFO_SIZE, &out), WIRE_ERR_SHORT);
    /* Encoder refuses what the decoder would refuse. */
    snprintf(in.camera_id, sizeof in.camera_id, "bad id");
    assert_int_equal(wire_info_encode(&in, good), WIRE_ERR_ID);
    in = make_info();
    snprintf(in.decoder, sizeof in.decoder, "avdec h264");
    assert_int_equal(wire_info_encode(&in, good), WIRE_ERR_INFO);
    assert_int_equal(wire_info_encode(NULL, good), WIRE_ERR_SHORT);
    assert_string_equal(wire_clock_name(WIRE_CLOCK_CAMERA), "camera RTCP");
    assert_string_equal(wire_clock_name(WIRE_CLOCK_RECEIVE), "receive time");
    assert_string_equal(wire_clock_name((wire_clock_t)77), "unknown");
}

/* ---- names and misc -------------------------------------------------------------------------- */

static void test_names(void **state)
{
    (void)state;
    for (int i = 0; i < WIRE_ERR_COUNT_; i++) {
        const char *s = wire_error_str((wire_error_t)i);
        assert_non_null(s);
        assert_true(strlen(s) > 0);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(s, wire_error_str((wire_error_t)j));
    }
    assert_string_equal(wire_error_str(WIRE_ERR_COUNT_), "unknown error");
    assert_string_equal(wire_error_str((wire_error_t)-1), "unknown error");
    static const char *const states[] = {"connecting", "live", "stalled", "reconnecting",
                                         "failed"};
    for (int i = 0; i < WIRE_STATE_COUNT_; i++)
        assert_string_equal(wire_state_name((wire_state_t)i), states[i]);
    assert_string_equal(wire_state_name(WIRE_STATE_COUNT_), "unknown");
    assert_string_equal(wire_state_name((wire_state_t)-1), "unknown");
}

static void test_peek(void **state)
{
    (void)state;
    uint8_t m[8] = {'P', 'N', 'T', 'U', 1, 0, 2, 0};
    wire_kind_t kind = 0;
    assert_int_equal(wire_peek_kind(m, 8, &kind), WIRE_OK);
    assert_int_equal(kind, WIRE_KIND_STATUS);
    assert_int_equal(wire_peek_kind(m, 8, NULL), WIRE_OK);
    for (size_t len = 0; len < 8; len++)
        assert_int_equal(wire_peek_kind(m, len, &kind), WIRE_ERR_SHORT);
    assert_int_equal(wire_peek_kind(NULL, 8, &kind), WIRE_ERR_SHORT);
    m[7] = 1; /* kind 0x0102 */
    assert_int_equal(wire_peek_kind(m, 8, &kind), WIRE_ERR_KIND);
}

static void test_now(void **state)
{
    (void)state;
    uint64_t a = wire_now_ns(), b = wire_now_ns();
    assert_true(a > 1577836800ull * 1000000000ull); /* after 2020 */
    assert_true(b >= a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_i420_layout),
        cmocka_unit_test(test_frame_round_trip),
        cmocka_unit_test(test_frame_bytes),
        cmocka_unit_test(test_frame_errors),
        cmocka_unit_test(test_frame_sizes),
        cmocka_unit_test(test_frame_hostile_planes),
        cmocka_unit_test(test_frame_encode_invalid),
        cmocka_unit_test(test_status_round_trip),
        cmocka_unit_test(test_status_rec),
        cmocka_unit_test(test_status_long_error),
        cmocka_unit_test(test_status_encode_invalid),
        cmocka_unit_test(test_status_errors),
        cmocka_unit_test(test_frame_latency_fields),
        cmocka_unit_test(test_info_round_trip),
        cmocka_unit_test(test_info_long_why),
        cmocka_unit_test(test_info_errors),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_peek),
        cmocka_unit_test(test_now),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
