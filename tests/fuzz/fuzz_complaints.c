/* libFuzzer target: pantau-complaints' JSON event parser (ingest/complaints/cevent.h) and the
 * wall's counters-message decoder (common/cmsg.h) on arbitrary bytes. An event that parses must
 * survive its stored form (cev_to_json parses back to the same value); a counters message that
 * decodes must re-encode and decode to the same value, and never carry hidden ticker text. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "cevent.h"
#include "cmsg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    char err[512];
    cev_t *evs = NULL;
    int n = cev_parse_batch(text, size, &evs, err, sizeof err);
    for (int i = 0; i < n; i++) {
        char *json = cev_to_json(&evs[i]);
        cev_t back;
        if (cev_parse(json, strlen(json), &back, err, sizeof err) != 0 ||
            memcmp(&back, &evs[i], sizeof back) != 0)
            __builtin_trap(); /* the stored form must load back as the same event */
        g_free(json);
    }
    g_free(evs);

    cmsg_t *m = malloc(sizeof *m), *again = malloc(sizeof *again);
    if (m != NULL && again != NULL && cmsg_decode(text, size, m, err, sizeof err) == CMSG_OK) {
        for (int i = 0; i < m->n_ticker; i++)
            if ((m->ticker[i].confidential && m->ticker[i].title[0]) ||
                (m->ticker[i].anonymous && m->ticker[i].reporter[0]))
                __builtin_trap(); /* hidden text must never decode */
        char *json = cmsg_encode(m);
        if (cmsg_decode(json, strlen(json), again, err, sizeof err) != CMSG_OK ||
            memcmp(m, again, sizeof *m) != 0)
            __builtin_trap();
        g_free(json);
    }
    free(m);
    free(again);
    return 0;
}
