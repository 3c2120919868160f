/* libFuzzer target: the redactor (common/redact.h) on arbitrary text. The input's first line is a
 * secret, the rest the text to redact, into a buffer of a size taken from the input's first byte.
 * Oracles: the output is always terminated within its buffer, and a registered secret (3+ bytes,
 * no '*', which the mask itself is made of) never appears in it, whatever surrounds it. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *in = malloc(size + 1);
    if (in == NULL)
        return 0;
    memcpy(in, data, size);
    in[size] = '\0';
    char *nl = strchr(in, '\n');
    const char *secret = in, *text = in;
    if (nl != NULL) {
        *nl = '\0';
        text = nl + 1;
    }
    size_t cap = size > 0 ? (size_t)data[0] % 64 + 1 : 1; /* small buffers cut the output */
    if (size > 0 && data[0] >= 128)
        cap = 4096;
    redact_t *r = redact_new();
    bool checked = r != NULL && strlen(secret) >= 3 && strchr(secret, '*') == NULL &&
                   redact_add(r, secret) == 0;
    char *out = malloc(cap);
    if (out != NULL) {
        redact_text(r, text, out, cap);
        if (memchr(out, '\0', cap) == NULL)
            __builtin_trap(); /* not terminated */
        if (checked && strstr(out, secret) != NULL)
            __builtin_trap(); /* a registered secret got through */
        redact_text(NULL, text, out, cap); /* URI rule only */
        if (memchr(out, '\0', cap) == NULL)
            __builtin_trap();
    }
    free(out);
    redact_destroy(&r);
    free(in);
    return 0;
}
