/* libFuzzer target: the wall's control commands (common/ctlcmd.h) as they arrive over the control
 * socket. The input is split at NUL bytes into message parts (at most CTLCMD_MAX_PARTS + 2, so
 * the too-many-parts path is reached too). Nothing may crash, leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ctlcmd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *parts[CTLCMD_MAX_PARTS + 2];
    size_t lens[CTLCMD_MAX_PARTS + 2];
    int n = 0;
    size_t start = 0;
    for (size_t i = 0; i <= size && n < CTLCMD_MAX_PARTS + 2; i++) {
        if (i == size || data[i] == '\0') {
            parts[n] = data + start;
            lens[n] = i - start;
            n++;
            start = i + 1;
        }
    }
    ctl_cmd_t cmd;
    char err[256];
    ctlcmd_parse_parts(n, parts, lens, &cmd, err, sizeof err);
    return 0;
}
