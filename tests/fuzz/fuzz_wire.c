/* libFuzzer target: the wire decoders (common/wire.h) on arbitrary bytes. The first byte chooses
 * how the input is split into header and payload lengths; a decoded message must re-encode. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wire_kind_t kind;
    (void)wire_peek_kind(data, size, &kind);

    wire_status_t st;
    if (wire_status_decode(data, size, &st) == WIRE_OK) {
        /* A valid status must re-encode to the same length, and decode again to the same bytes
         * (reserved fields are zeroed on encode, so compare encodings, not the input). */
        uint8_t out[WIRE_STATUS_MAX_SIZE], again[WIRE_STATUS_MAX_SIZE];
        size_t n = wire_status_encode(&st, out, sizeof out);
        wire_status_t st2;
        if (n != size || wire_status_decode(out, n, &st2) != WIRE_OK ||
            wire_status_encode(&st2, again, sizeof again) != n || memcmp(out, again, n) != 0)
            __builtin_trap();
    }

    wire_info_t info;
    if (wire_info_decode(data, size, &info) == WIRE_OK) {
        /* A valid info message re-encodes to the same size and decodes to the same fields. */
        uint8_t out[WIRE_INFO_SIZE];
        wire_info_t again;
        if (size != WIRE_INFO_SIZE || wire_info_encode(&info, out) != WIRE_OK ||
            wire_info_decode(out, sizeof out, &again) != WIRE_OK ||
            strcmp(info.decoder, again.decoder) != 0 ||
            strcmp(info.decoder_why, again.decoder_why) != 0 ||
            info.clock_offset_ms != again.clock_offset_ms || info.latency_ms != again.latency_ms)
            __builtin_trap();
    }

    /* Header = the whole input; the payload length comes from its last 4 bytes when present. */
    size_t payload = size >= 4 ? (size_t)data[size - 1] << 16 | (size_t)data[size - 2] << 8 : 0;
    wire_frame_t f;
    if (wire_frame_decode(data, size, payload, &f) == WIRE_OK) {
        uint8_t hdr[WIRE_FRAME_HEADER_SIZE];
        wire_frame_t g;
        if (wire_frame_encode(&f, hdr) != WIRE_OK)
            __builtin_trap(); /* what decodes must encode */
        if (wire_frame_decode(hdr, sizeof hdr, payload, &g) != WIRE_OK ||
            g.decoded_ns != f.decoded_ns || g.capture_clock != f.capture_clock)
            __builtin_trap();
    }
    return 0;
}
