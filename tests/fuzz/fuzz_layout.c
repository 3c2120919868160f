/* libFuzzer target: the layout parser and validator (wall/layout.h, common/ini.h) and the
 * credentials parser (common/creds.h) on arbitrary text. Nothing may crash or leak. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "creds.h"
#include "layout.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    layout_errors_t errs = {0};
    layout_t *l = layout_parse((const char *)data, size, "fuzz.ini", &errs);
    char *text = layout_errors_format(&errs);
    free(text);
    layout_errors_clear(&errs);
    layout_destroy(&l);

    char err[256];
    creds_t *c = creds_parse((const char *)data, size, "fuzz.credentials", err, sizeof err);
    creds_destroy(&c);
    return 0;
}
