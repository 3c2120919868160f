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

    /* Header = the whole input; the payload length comes from its last 4 bytes when present. */
    size_t payload = size >= 4 ? (size_t)data[size - 1] << 16 | (size_t)data[size - 2] << 8 : 0;
    wire_frame_t f;
    if (wire_frame_decode(data, size, payload, &f) == WIRE_OK) {
        uint8_t hdr[WIRE_FRAME_HEADER_SIZE];
        if (wire_frame_encode(&f, hdr) != WIRE_OK)
            __builtin_trap(); /* what decodes must encode */
    }
    return 0;
}
