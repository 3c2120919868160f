/* backoff: capped exponential backoff with jitter for reconnecting to cameras and restarting
 * workers. Pure: the caller supplies the random value, so tests are deterministic.
 *
 * delay(attempt) = min(cap, initial * factor^(attempt-1)), then spread by ±jitter. attempt counts
 * from 1. Plain value type: one per camera or worker, owned by its thread. */
#ifndef PANTAU_BACKOFF_H
#define PANTAU_BACKOFF_H

#include <stdint.h>

#define BACKOFF_DEFAULT_INITIAL_MS 500
#define BACKOFF_DEFAULT_CAP_MS 8000
#define BACKOFF_DEFAULT_FACTOR 2.0
#define BACKOFF_DEFAULT_JITTER 0.2

typedef struct {
    uint32_t initial_ms;
    uint32_t cap_ms;
    double factor;   /* >= 1 */
    double jitter;   /* 0..1: fraction of the delay added or removed at random */
    uint32_t attempt; /* attempts made since the last reset */
} backoff_t;

/* Defaults above. */
void backoff_init(backoff_t *b);

/* Counts a new attempt and returns how long to wait before it, in ms. rand01 is a uniform random
 * value in [0, 1) (0.5 = no jitter). Never exceeds cap_ms × (1 + jitter); never below 1 ms. */
uint32_t backoff_next(backoff_t *b, double rand01);

/* Back to attempt 0 (after a success). */
void backoff_reset(backoff_t *b);

#endif
