/* agg: the complaint items pantau-complaints knows (newest version of each) and the counters
 * computed from them (cmsg_t, the message the wall shows).
 *
 * agg_apply decides what an incoming event does: a new id is added, a newer version replaces the
 * old one (so a stage update moves the item between counters), an equal version is a duplicate
 * and an older one is stale: both change nothing. The store (SQLite) applies the same rule in its
 * upsert, so memory and disk agree.
 *
 * agg_compute derives every counter from the items for a given "now" in the calendar's time zone
 * (today, this month, overdue against working-day deadlines). Pure: no I/O, no clock; one owner
 * thread. */
#ifndef PANTAU_AGG_H
#define PANTAU_AGG_H

#include <stddef.h>
#include <stdint.h>

#include "cevent.h"
#include "cmsg.h"
#include "workday.h"

#define AGG_VERIFY_DAYS 3      /* SP4N-LAPOR!: verification within 3 working days */
#define AGG_FOLLOWUP_DAYS 5    /* the OPD's follow-up within 5 working days */
#define AGG_PPID_DAYS 10       /* PPID answer within 10 working days */
#define AGG_PPID_EXTENSION 7   /* ... extendable by 7 */

typedef struct agg agg_t;

typedef enum {
    AGG_NEW = 0,  /* an id not seen before: added */
    AGG_UPDATED,  /* newer version: replaced */
    AGG_DUPLICATE,/* same version again: ignored */
    AGG_STALE,    /* older version: ignored */
} agg_result_t;

agg_t *agg_new(void);
void agg_destroy(agg_t **agg);

/* What ev would do, without applying it. */
agg_result_t agg_check(const agg_t *agg, const cev_t *ev);

/* Applies ev (copied) by the rule above and returns what it did. */
agg_result_t agg_apply(agg_t *agg, const cev_t *ev);

/* Number of items held. */
size_t agg_count(const agg_t *agg);

/* The held version of (kind, id), or NULL (borrowed until the next agg_apply). */
const cev_t *agg_find(const agg_t *agg, cev_kind_t kind, const char *id);

/* Fills *out with every counter as of now_ms (seq, changed_ms and tz are left for the caller).
 * Ticker items are blanked by the privacy rule of cmsg.h. */
void agg_compute(const agg_t *agg, int64_t now_ms, const workday_cal_t *cal, cmsg_t *out);

/* Which deadline an item is overdue against at now_ms: 0 none, else the deadline in Unix ms. */
int64_t agg_overdue_since(const cev_t *ev, int64_t now_ms, const workday_cal_t *cal);

#endif
