/* latstat: latency ring and percentiles (see latstat.h). Pure. */
#include "latstat.h"

#include <stdlib.h>
#include <string.h>

void latstat_init(latstat_t *s)
{
    memset(s, 0, sizeof *s);
}

void latstat_restart(latstat_t *s)
{
    if (s == NULL)
        return;
    s->n = 0;
    s->pos = 0;
}

bool latstat_add(latstat_t *s, uint64_t earlier_ns, uint64_t later_ns)
{
    if (s == NULL || earlier_ns == 0 || later_ns == 0)
        return false;
    /* Signed difference in ms without overflow for any two uint64 times. */
    int64_t ms = later_ns >= earlier_ns ? (int64_t)((later_ns - earlier_ns) / 1000000u)
                                        : -(int64_t)((earlier_ns - later_ns) / 1000000u);
    if (ms < -LATSTAT_SKEW_TOLERANCE_MS || ms > LATSTAT_ABSURD_MS) {
        s->skewed++;
        s->last_skew_ms = ms;
        return false;
    }
    s->ms[s->pos] = ms < 0 ? 0 : (uint32_t)ms;
    s->pos = (s->pos + 1) % LATSTAT_SAMPLES;
    if (s->n < LATSTAT_SAMPLES)
        s->n++;
    s->accepted++;
    return true;
}

static int latstat_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

int latstat_pct(const latstat_t *s, uint32_t *p50, uint32_t *p99)
{
    uint32_t sorted[LATSTAT_SAMPLES];
    *p50 = *p99 = 0;
    if (s == NULL || s->n <= 0)
        return 0;
    int n = s->n > LATSTAT_SAMPLES ? LATSTAT_SAMPLES : s->n;
    memcpy(sorted, s->ms, sizeof sorted[0] * (size_t)n);
    qsort(sorted, (size_t)n, sizeof sorted[0], latstat_cmp);
    /* Nearest rank: the smallest value with at least p% of the samples at or below it. */
    int r50 = (n * 50 + 99) / 100, r99 = (n * 99 + 99) / 100;
    *p50 = sorted[(r50 > 0 ? r50 : 1) - 1];
    *p99 = sorted[(r99 > 0 ? r99 : 1) - 1];
    return n;
}
