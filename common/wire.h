/* wire: the one definition of Pantau's frame and status messages.
 *
 * Every message an ingest worker publishes on its ZeroMQ PUB endpoint is one of:
 *
 *   FRAME   2 parts: [header: WIRE_FRAME_HEADER_SIZE bytes] [payload: I420 planes]
 *   STATUS  1 part:  [status: WIRE_STATUS_MIN_SIZE .. WIRE_STATUS_MAX_SIZE bytes]
 *   INFO    1 part:  [info: WIRE_INFO_SIZE bytes] the worker's settings and choices (decoder,
 *                    jitter buffer, capture clock), sent with each status. Added after the first
 *                    release: a wall built before it counts INFO messages as malformed (kind) and
 *                    otherwise works; a wall with it shows "unknown" for a worker that sends none.
 *
 * All integers are little-endian, encoded and decoded byte by byte (never a struct memcpy), so the
 * format is the same on every host. The first 8 bytes are common to both kinds:
 *
 *   off size field
 *     0    4 magic        "PNTU" (0x50 0x4e 0x54 0x55)
 *     4    2 version      WIRE_VERSION; a receiver drops any other version
 *     6    2 kind         1 = frame, 2 = status, 3 = info
 *
 * FRAME header (WIRE_FRAME_HEADER_SIZE = 128 bytes):
 *     8    2 header_size  128 for version 1
 *    10    2 format       1 = I420 (3 planes: Y, U, V; chroma halved in both directions)
 *    12    4 width        pixels, 1..WIRE_MAX_DIM
 *    16    4 height       pixels, 1..WIRE_MAX_DIM
 *    20   32 camera_id    NUL-padded ASCII, at least 1 character
 *    52    8 seq          frame sequence number, starts at 0 per worker run
 *    60    8 capture_ns   capture time, wall clock (CLOCK_REALTIME) ns since the Unix epoch: the
 *                         camera's clock through its RTCP sender reports, or the local receive
 *                         time (capture_clock says which)
 *    68    8 pts_ns       stream presentation time in ns (GStreamer running time), or UINT64_MAX
 *    76   12 stride[3]    bytes per row of Y, U, V
 *    88   12 offset[3]    byte offset of Y, U, V in the payload
 *   100    4 payload_len  bytes in the payload part; must equal the second part's size
 *   104    8 decoded_ns   when the decoder output this picture, wall clock ns; 0 = unknown
 *   112    1 capture_clock wire_clock_t: where capture_ns comes from (0 = unknown)
 *   113   15 reserved     zero on send, ignored on receive
 *   (decoded_ns and capture_clock were reserved in the first release: an older worker sends 0,
 *   "unknown", and an older wall ignores them, so both directions keep working at version 1.)
 *
 * STATUS message (variable, 80 + error_len bytes):
 *     8    2 body_size    total size of the message, 80 + error_len
 *    10    1 state        wire_state_t
 *    11    1 rec          wire_rec_t: the worker's recording state (0 = off; was reserved, so an
 *                         older worker sends 0)
 *    12   32 camera_id    NUL-padded ASCII
 *    44    8 time_ns      when the worker sent it, wall clock ns
 *    52    4 fps_milli    delivered frames per second × 1000, over the last second
 *    56    4 kbps         received compressed bitrate, kbit/s (0 for the test source)
 *    60    4 reconnects   reconnections since the worker started
 *    64    4 attempt      current reconnect attempt (0 while live)
 *    68    4 src_width    source stream width before scaling, 0 if unknown
 *    72    4 src_height   source stream height, 0 if unknown
 *    76    2 error_len    bytes of last_error that follow, 0..WIRE_MAX_ERROR
 *    78    2 reserved
 *    80    n last_error   UTF-8, not NUL-terminated, secrets already redacted
 *
 * INFO message (WIRE_INFO_SIZE = 160 bytes):
 *     8    2 body_size    160
 *    10    1 flags        bit 0: the decoder is a hardware decoder
 *    11    1 capture_clock wire_clock_t the worker uses now
 *    12   32 camera_id    NUL-padded ASCII
 *    44   32 decoder      GStreamer factory name, NUL-padded printable ASCII; "" = none (test source)
 *    76    4 latency_ms   configured RTSP jitter-buffer latency (rtspsrc latency), ms
 *    80    4 clock_offset_ms  camera clock minus local receive time, signed, as last measured;
 *                         INT32_MIN = unknown (no sender report yet, or not an RTSP camera)
 *    84   64 decoder_why  why this decoder, NUL-padded UTF-8 (e.g. "no hardware decoder found")
 *   148   12 reserved
 *
 * Every field is checked against the message length and its bounds before use; a malformed,
 * truncated or wrong-version message is refused with a reason (wire_error_t) that the receiver counts.
 *
 * Pure code: no I/O, no allocation, no ZeroMQ. Thread-safe (no state). */
#ifndef PANTAU_WIRE_H
#define PANTAU_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define WIRE_MAGIC 0x55544e50u /* "PNTU" read as little-endian u32 */
#define WIRE_VERSION 1
#define WIRE_FRAME_HEADER_SIZE 128
#define WIRE_STATUS_MIN_SIZE 80
#define WIRE_MAX_ERROR 400
#define WIRE_STATUS_MAX_SIZE (WIRE_STATUS_MIN_SIZE + WIRE_MAX_ERROR)
#define WIRE_ID_MAX 31 /* camera id characters; 32 bytes on the wire with the NUL padding */
#define WIRE_MAX_DIM 8192
#define WIRE_PTS_NONE UINT64_MAX
#define WIRE_INFO_SIZE 160
#define WIRE_DECODER_MAX 31 /* factory name characters */
#define WIRE_WHY_MAX 63     /* decoder_why bytes */
#define WIRE_OFFSET_NONE INT32_MIN

typedef enum {
    WIRE_KIND_FRAME = 1,
    WIRE_KIND_STATUS = 2,
    WIRE_KIND_INFO = 3,
} wire_kind_t;

/* Where a frame's capture_ns comes from. A receiver maps an unknown value to UNKNOWN. */
typedef enum {
    WIRE_CLOCK_UNKNOWN = 0, /* an older worker, or not said */
    WIRE_CLOCK_RECEIVE = 1, /* local receive time (no sender report yet, test source, skewed camera) */
    WIRE_CLOCK_CAMERA = 2,  /* the camera's clock: RTP time through its RTCP sender reports */
    WIRE_CLOCK_COUNT_
} wire_clock_t;

typedef enum {
    WIRE_FORMAT_I420 = 1,
} wire_format_t;

/* The worker's view of its camera. */
typedef enum {
    WIRE_STATE_CONNECTING = 0,   /* first connection attempt in progress */
    WIRE_STATE_LIVE = 1,         /* frames flowing */
    WIRE_STATE_STALLED = 2,      /* connected but no frame within the watchdog time */
    WIRE_STATE_RECONNECTING = 3, /* waiting out backoff or retrying after a fault */
    WIRE_STATE_FAILED = 4,       /* configuration fault the worker cannot fix by retrying (still retries) */
    WIRE_STATE_COUNT_
} wire_state_t;

/* Recording state of a worker (ingest/recorder.h). A receiver maps an unknown value to ERROR. */
typedef enum {
    WIRE_REC_OFF = 0,        /* not recording this camera (not configured, or a test source) */
    WIRE_REC_RECORDING = 1,  /* segments are being written */
    WIRE_REC_IDLE = 2,       /* configured, waiting for video to record */
    WIRE_REC_DISK_FULL = 3,  /* no space left: live video goes on, recording retries */
    WIRE_REC_UNWRITABLE = 4, /* the recordings folder cannot be written */
    WIRE_REC_ERROR = 5,      /* another recorder fault (see the worker's log) */
    WIRE_REC_COUNT_
} wire_rec_t;

typedef enum {
    WIRE_OK = 0,
    WIRE_ERR_SHORT,        /* message shorter than its fixed part */
    WIRE_ERR_MAGIC,        /* not a Pantau message */
    WIRE_ERR_VERSION,      /* a version this build does not speak */
    WIRE_ERR_KIND,         /* unknown kind, or the wrong kind for this decoder */
    WIRE_ERR_SIZE,         /* declared size disagrees with the message length */
    WIRE_ERR_FORMAT,       /* unknown pixel format */
    WIRE_ERR_DIMENSIONS,   /* width/height zero or above WIRE_MAX_DIM */
    WIRE_ERR_ID,           /* camera id empty, unterminated or not printable ASCII */
    WIRE_ERR_PLANES,       /* a plane's stride/offset does not fit the payload */
    WIRE_ERR_STATE,        /* unknown camera state */
    WIRE_ERR_INFO,         /* info text field unterminated or not printable */
    WIRE_ERR_COUNT_
} wire_error_t;

typedef struct {
    uint32_t width, height;
    wire_format_t format;
    char camera_id[WIRE_ID_MAX + 1];
    uint64_t seq;
    uint64_t capture_ns;
    uint64_t pts_ns;
    uint32_t stride[3];
    uint32_t offset[3];
    uint32_t payload_len;
    uint64_t decoded_ns;        /* 0 = unknown */
    wire_clock_t capture_clock; /* unknown values decode as WIRE_CLOCK_UNKNOWN */
} wire_frame_t;

typedef struct {
    wire_state_t state;
    char camera_id[WIRE_ID_MAX + 1];
    uint64_t time_ns;
    uint32_t fps_milli;
    uint32_t kbps;
    uint32_t reconnects;
    uint32_t attempt;
    uint32_t src_width, src_height;
    wire_rec_t rec;
    char last_error[WIRE_MAX_ERROR + 1]; /* NUL-terminated after decode */
} wire_status_t;

typedef struct {
    char camera_id[WIRE_ID_MAX + 1];
    char decoder[WIRE_DECODER_MAX + 1]; /* "" = none */
    bool decoder_hw;
    char decoder_why[WIRE_WHY_MAX + 1];
    uint32_t latency_ms;
    int32_t clock_offset_ms; /* WIRE_OFFSET_NONE = unknown */
    wire_clock_t capture_clock;
} wire_info_t;

/* Every message starts with magic, version and kind: these 8 bytes. Subscribers select a kind by
 * subscribing to its topic (the frame topic alone decides whether a worker decodes at all). */
#define WIRE_TOPIC_SIZE 8
void wire_topic(wire_kind_t kind, uint8_t out[WIRE_TOPIC_SIZE]);

/* Reads the common prefix: returns WIRE_OK and sets *kind, or the reason the message is not ours. */
wire_error_t wire_peek_kind(const void *msg, size_t len, wire_kind_t *kind);

/* Encodes a frame header into out[WIRE_FRAME_HEADER_SIZE]. Returns WIRE_OK, or the reason the
 * header is not valid (the same checks the decoder makes), leaving out unspecified. */
wire_error_t wire_frame_encode(const wire_frame_t *frame, uint8_t out[WIRE_FRAME_HEADER_SIZE]);

/* Decodes and validates a frame header against the length of the payload part that came with it.
 * On any error *frame is unspecified. */
wire_error_t wire_frame_decode(const void *header, size_t header_len, size_t payload_len,
                               wire_frame_t *frame);

/* Fills stride/offset/payload_len for a tightly packed I420 frame of width × height. */
void wire_frame_set_i420_layout(wire_frame_t *frame, uint32_t width, uint32_t height);

/* Encodes a status message into out (at least WIRE_STATUS_MAX_SIZE bytes); last_error longer than
 * WIRE_MAX_ERROR is cut at a UTF-8 boundary. Returns the encoded size, or 0 if the status is
 * invalid (bad id or state). */
size_t wire_status_encode(const wire_status_t *status, uint8_t *out, size_t out_cap);

/* Decodes and validates a status message. On error *status is unspecified. */
wire_error_t wire_status_decode(const void *msg, size_t len, wire_status_t *status);

/* Encodes an info message into out[WIRE_INFO_SIZE]. Returns WIRE_OK, or WIRE_ERR_ID (bad camera
 * id), WIRE_ERR_INFO (decoder name not printable ASCII); decoder_why longer than WIRE_WHY_MAX is
 * cut at a UTF-8 boundary. */
wire_error_t wire_info_encode(const wire_info_t *info, uint8_t out[WIRE_INFO_SIZE]);

/* Decodes and validates an info message. On error *info is unspecified. */
wire_error_t wire_info_decode(const void *msg, size_t len, wire_info_t *info);

/* "camera RTCP", "receive time", "unknown". */
const char *wire_clock_name(wire_clock_t clock);

/* Short English reason for an error code, for counters and logs; never NULL. */
const char *wire_error_str(wire_error_t err);

/* Stable lower-case name of a state ("live", "stalled", ...); "unknown" for out-of-range values. */
const char *wire_state_name(wire_state_t state);

/* "off", "recording", "idle", "disk-full", "unwritable", "error"; "error" for unknown values. */
const char *wire_rec_name(wire_rec_t rec);

/* Wall-clock time now, ns since the Unix epoch (the clock capture_ns uses). */
uint64_t wire_now_ns(void);

#endif
