/* backoff: capped exponential backoff (see backoff.h). */
#include "backoff.h"

#include <math.h>

void backoff_init(backoff_t *b)
{
    b->initial_ms = BACKOFF_DEFAULT_INITIAL_MS;
    b->cap_ms = BACKOFF_DEFAULT_CAP_MS;
    b->factor = BACKOFF_DEFAULT_FACTOR;
    b->jitter = BACKOFF_DEFAULT_JITTER;
    b->attempt = 0;
}

uint32_t backoff_next(backoff_t *b, double rand01)
{
    if (b->attempt < UINT32_MAX)
        b->attempt++;
    double factor = b->factor >= 1.0 ? b->factor : 1.0; /* the comparisons also catch NaN */
    double d = b->initial_ms;
    /* Closed form: a loop of attempt-1 multiplications spins for billions of rounds when the
     * delay never reaches the cap (factor 1, initial 0). pow() overflowing to inf is capped. */
    if (d > 0 && d < b->cap_ms)
        d *= pow(factor, (double)(b->attempt - 1));
    if (d > b->cap_ms)
        d = b->cap_ms;
    double j = b->jitter >= 0 ? (b->jitter > 1 ? 1 : b->jitter) : 0;
    if (!(rand01 >= 0))
        rand01 = 0;
    if (rand01 >= 1)
        rand01 = 0.999999;
    d *= 1.0 + j * (2.0 * rand01 - 1.0);
    if (d >= (double)UINT32_MAX) /* cap near UINT32_MAX plus jitter */
        return UINT32_MAX;
    return d < 1.0 ? 1u : (uint32_t)d;
}

void backoff_reset(backoff_t *b)
{
    b->attempt = 0;
}
