/* latstat: one camera's latency samples on the wall, and their p50/p99. Pure and plain: a ring of
 * the last LATSTAT_SAMPLES values in ms, plus a count of samples refused as clock skew.
 *
 * A sample is a difference of two wall clocks, often of two hosts (a camera's RTCP clock, a remote
 * worker's clock) against the wall's: a negative value, or one above LATSTAT_ABSURD_MS, says the
 * clocks disagree, not that the picture is late. Such samples are counted in `skewed` and kept
 * out of the percentiles, so one wrong camera clock cannot turn p99 into nonsense.
 *
 * Thread: the wall's render thread. */
#ifndef PANTAU_WALL_LATSTAT_H
#define PANTAU_WALL_LATSTAT_H

#include <stdbool.h>
#include <stdint.h>

#define LATSTAT_SAMPLES 256         /* about 10 s at 25 fps */
#define LATSTAT_ABSURD_MS 10000     /* above this, a clock is wrong: no live wall is this late */
#define LATSTAT_SKEW_TOLERANCE_MS 5 /* clocks this far "ahead" still count as 0 ms (NTP jitter) */

typedef struct {
    uint32_t ms[LATSTAT_SAMPLES];
    int n, pos;
    uint64_t accepted;    /* samples taken into the ring since start */
    uint64_t skewed;      /* samples refused: negative beyond the tolerance, or absurd */
    int64_t last_skew_ms; /* the last refused value, for the status line */
} latstat_t;

void latstat_init(latstat_t *s);

/* Adds later_ns - earlier_ns (both wall-clock ns; 0 = unknown: nothing is added). Returns true if
 * taken as a sample, false if unknown or counted as clock skew. */
bool latstat_add(latstat_t *s, uint64_t earlier_ns, uint64_t later_ns);

/* Forgets the samples (not the skew counters): when the clock they are measured against changes
 * (a camera's first RTCP sender report), older samples measure something else. */
void latstat_restart(latstat_t *s);

/* p50 and p99 of the samples in the ring (nearest rank); returns the number of samples, 0 with
 * *p50 = *p99 = 0 when there are none. */
int latstat_pct(const latstat_t *s, uint32_t *p50, uint32_t *p99);

#endif
