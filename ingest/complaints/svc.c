/* svc: store + items + counters (see svc.h). */
#include "svc.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "log.h"
#include "store.h"
#include "workday.h"

#define LOG_PREFIX "complaints"

struct svc {
    store_t *store;
    agg_t *agg;
    workday_cal_t *cal;
    char tz[64];
    svc_stats_t stats;
    bool dirty;
    int64_t changed_ms;   /* commit time of the newest change */
    uint64_t seq;
    cmsg_t last;          /* previous counters, for seq */
};

static void load_one(const cev_t *ev, void *ud)
{
    agg_apply(ud, ev);
}

svc_t *svc_new(const char *db_path, const char *tz, const char *holidays, char *err,
               size_t err_cap)
{
    svc_t *s = g_new0(svc_t, 1);
    g_strlcpy(s->tz, tz ? tz : "UTC", sizeof s->tz);
    s->agg = agg_new();
    s->cal = workday_cal_new(tz, err, err_cap);
    if (s->cal == NULL)
        goto fail;
    if (holidays != NULL && workday_cal_load_holidays(s->cal, holidays, err, err_cap) < 0)
        goto fail;
    s->store = store_open(db_path, err, err_cap);
    if (s->store == NULL)
        goto fail;
    int bad = 0;
    int n = store_load(s->store, load_one, s->agg, &bad, err, err_cap);
    if (n < 0)
        goto fail;
    if (bad > 0)
        log_warn(LOG_PREFIX, "%d stored rows no longer parse; they are ignored", bad);
    log_info(LOG_PREFIX, "database %s: %d events loaded", db_path, n);
    s->changed_ms = g_get_real_time() / 1000;
    s->dirty = true;
    return s;
fail:
    svc_destroy(&s);
    return NULL;
}

void svc_destroy(svc_t **sp)
{
    if (sp == NULL || *sp == NULL)
        return;
    store_close(&(*sp)->store);
    agg_destroy(&(*sp)->agg);
    workday_cal_destroy(&(*sp)->cal);
    g_free(*sp);
    *sp = NULL;
}

static void count(svc_t *s, agg_result_t r, svc_result_t *res)
{
    switch (r) {
    case AGG_NEW: res->added++; s->stats.added++; break;
    case AGG_UPDATED: res->updated++; s->stats.updated++; break;
    case AGG_DUPLICATE: res->duplicates++; s->stats.duplicates++; break;
    case AGG_STALE: res->stale++; s->stats.stale++; break;
    }
}

int svc_submit_batches(svc_t *s, const cev_t *const *evs, const int *ns, int nb,
                       svc_result_t *res, char *err, size_t err_cap)
{
    int64_t t0 = g_get_monotonic_time(), now_ms = g_get_real_time() / 1000;
    if (store_begin(s->store, err, err_cap) != 0)
        goto fail;
    for (int b = 0; b < nb; b++)
        for (int i = 0; i < ns[b]; i++)
            if (store_upsert(s->store, &evs[b][i], now_ms, err, err_cap) < 0) {
                store_rollback(s->store);
                goto fail;
            }
    if (store_commit(s->store, err, err_cap) != 0)
        goto fail;
    /* Committed: now memory follows (same rule as the upsert, so it agrees with the disk). */
    bool changed = false;
    for (int b = 0; b < nb; b++) {
        memset(&res[b], 0, sizeof res[b]);
        for (int i = 0; i < ns[b]; i++)
            count(s, agg_apply(s->agg, &evs[b][i]), &res[b]);
        changed |= res[b].added + res[b].updated > 0;
        s->stats.requests++;
        s->stats.events += (uint64_t)ns[b];
    }
    uint64_t us = (uint64_t)(g_get_monotonic_time() - t0);
    s->stats.commits++;
    s->stats.commit_us_total += us;
    s->stats.commit_us_max = us > s->stats.commit_us_max ? us : s->stats.commit_us_max;
    if (changed) {
        s->dirty = true;
        s->changed_ms = g_get_real_time() / 1000;
    }
    return 0;
fail:
    s->stats.rejected[SVC_REJ_STORE] += (uint64_t)nb;
    return -1;
}

int svc_submit(svc_t *s, const cev_t *evs, int n, svc_result_t *res, char *err, size_t err_cap)
{
    return svc_submit_batches(s, &evs, &n, 1, res, err, err_cap);
}

void svc_reject(svc_t *s, svc_reject_t why)
{
    if (why >= 0 && why < SVC_REJ_COUNT_)
        s->stats.rejected[why]++;
}

const svc_stats_t *svc_stats(const svc_t *s)
{
    return &s->stats;
}

const char *svc_reject_name(svc_reject_t why)
{
    static const char *const names[SVC_REJ_COUNT_] = {"json", "schema", "auth", "size",
                                                      "length", "method", "store"};
    return why >= 0 && why < SVC_REJ_COUNT_ ? names[why] : "unknown";
}

bool svc_dirty(const svc_t *s)
{
    return s->dirty;
}

void svc_counters(svc_t *s, int64_t now_ms, cmsg_t *out)
{
    agg_compute(s->agg, now_ms, s->cal, out);
    g_strlcpy(out->tz, s->tz, sizeof out->tz);
    /* Compare without the fields that change on every call. */
    out->seq = 0;
    out->changed_ms = 0;
    int64_t gen = out->generated_ms;
    out->generated_ms = 0;
    if (s->seq == 0 || memcmp(out, &s->last, sizeof *out) != 0) {
        s->seq++;
        s->last = *out;
    }
    out->seq = s->seq;
    out->generated_ms = gen;
    out->changed_ms = s->changed_ms;
    s->dirty = false;
}

size_t svc_items(const svc_t *s)
{
    return agg_count(s->agg);
}

const cev_t *svc_find(const svc_t *s, cev_kind_t kind, const char *id)
{
    return agg_find(s->agg, kind, id);
}
