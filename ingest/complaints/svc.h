/* svc: the heart of pantau-complaints: validated events go into the store (one transaction per
 * batch, acknowledged only after the commit) and into the in-memory items (agg), and the
 * counters are computed from them on demand. The webhook, the poller, the importer and the demo
 * feed all submit through svc_submit, so they obey the same rules and counters.
 *
 * Thread: one owner (the GLib main loop). */
#ifndef PANTAU_SVC_H
#define PANTAU_SVC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "agg.h"
#include "cevent.h"
#include "cmsg.h"

typedef enum {
    SVC_REJ_JSON = 0,  /* malformed JSON or not UTF-8 */
    SVC_REJ_SCHEMA,    /* valid JSON, invalid event (missing/unknown field, bad value) */
    SVC_REJ_AUTH,      /* missing or wrong bearer token */
    SVC_REJ_SIZE,      /* body over the limit */
    SVC_REJ_LENGTH,    /* no Content-Length */
    SVC_REJ_METHOD,    /* not POST, or unknown path */
    SVC_REJ_STORE,     /* the commit failed: nothing acknowledged */
    SVC_REJ_COUNT_
} svc_reject_t;

typedef struct {
    uint64_t requests;      /* batches submitted and committed */
    uint64_t events;        /* events in them */
    uint64_t added, updated, duplicates, stale;
    uint64_t rejected[SVC_REJ_COUNT_];
    uint64_t commits, commit_us_total, commit_us_max;
} svc_stats_t;

typedef struct {
    int added, updated, duplicates, stale;
} svc_result_t;

typedef struct svc svc_t;

/* Opens the store at db_path, loads what it holds, makes the calendar (tz, holidays file or
 * NULL). NULL with the reason in err. */
svc_t *svc_new(const char *db_path, const char *tz, const char *holidays, char *err,
               size_t err_cap);

void svc_destroy(svc_t **svc);

/* Stores evs[0..n) in one transaction and applies them in memory after the commit. Returns 0
 * (with what each did summed in *res) or -1 if the store failed (nothing applied; the reason in
 * err). */
int svc_submit(svc_t *svc, const cev_t *evs, int n, svc_result_t *res, char *err, size_t err_cap);

/* The same for nb batches in one transaction (group commit): batch i is evs[i][0..ns[i]) and its
 * outcome goes to res[i]. */
int svc_submit_batches(svc_t *svc, const cev_t *const *evs, const int *ns, int nb,
                       svc_result_t *res, char *err, size_t err_cap);

/* Counts a refused input. */
void svc_reject(svc_t *svc, svc_reject_t why);

const svc_stats_t *svc_stats(const svc_t *svc);
const char *svc_reject_name(svc_reject_t why);

/* True when something was committed since the last svc_counters. */
bool svc_dirty(const svc_t *svc);

/* Computes the counters as of now_ms into *out; seq goes up by one whenever they differ from the
 * previous call's. */
void svc_counters(svc_t *svc, int64_t now_ms, cmsg_t *out);

/* Number of items held. */
size_t svc_items(const svc_t *svc);

/* The held version of an item (for the demo feed's stage moves), or NULL. */
const cev_t *svc_find(const svc_t *svc, cev_kind_t kind, const char *id);

#endif
