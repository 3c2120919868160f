/* agg: complaint items and their counters (see agg.h). */
#include "agg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

struct agg {
    GHashTable *items; /* "kind:id" → cev_t* (owned) */
};

static char *item_key(cev_kind_t kind, const char *id)
{
    return g_strdup_printf("%d:%s", (int)kind, id);
}

agg_t *agg_new(void)
{
    agg_t *a = g_new0(agg_t, 1);
    a->items = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
    return a;
}

void agg_destroy(agg_t **agg)
{
    if (agg == NULL || *agg == NULL)
        return;
    g_hash_table_destroy((*agg)->items);
    g_free(*agg);
    *agg = NULL;
}

const cev_t *agg_find(const agg_t *agg, cev_kind_t kind, const char *id)
{
    char *k = item_key(kind, id);
    const cev_t *ev = g_hash_table_lookup(agg->items, k);
    g_free(k);
    return ev;
}

agg_result_t agg_check(const agg_t *agg, const cev_t *ev)
{
    const cev_t *old = agg_find(agg, ev->kind, ev->id);
    if (old == NULL)
        return AGG_NEW;
    if (ev->updated_ms > old->updated_ms)
        return AGG_UPDATED;
    return ev->updated_ms == old->updated_ms ? AGG_DUPLICATE : AGG_STALE;
}

agg_result_t agg_apply(agg_t *agg, const cev_t *ev)
{
    agg_result_t r = agg_check(agg, ev);
    if (r == AGG_NEW || r == AGG_UPDATED)
        g_hash_table_replace(agg->items, item_key(ev->kind, ev->id), g_memdup2(ev, sizeof *ev));
    return r;
}

size_t agg_count(const agg_t *agg)
{
    return g_hash_table_size(agg->items);
}

int64_t agg_overdue_since(const cev_t *ev, int64_t now_ms, const workday_cal_t *cal)
{
    int64_t deadline = 0;
    if (ev->kind == CEV_COMPLAINT && ev->stage == CEV_STAGE_RECEIVED)
        deadline = workday_deadline(cal, ev->received_ms, AGG_VERIFY_DAYS);
    else if (ev->kind == CEV_COMPLAINT && ev->stage == CEV_STAGE_DISPOSITIONED)
        deadline = workday_deadline(cal, ev->dispositioned_ms, AGG_FOLLOWUP_DAYS);
    else if (ev->kind == CEV_INFO_REQUEST && ev->ppid == CEV_PPID_RECEIVED)
        deadline = workday_deadline(cal, ev->received_ms,
                                    AGG_PPID_DAYS + (ev->extended ? AGG_PPID_EXTENSION : 0));
    return deadline != 0 && now_ms >= deadline ? deadline : 0;
}

/* ---- compute --------------------------------------------------------------------------------- */

typedef struct {
    char name[CMSG_NAME_MAX + 1];
    uint32_t backlog, overdue;
    GArray *hours; /* response times, int */
} opd_acc_t;

typedef struct {
    const workday_cal_t *cal;
    int64_t now_ms;
    int today, month; /* yyyymmdd, yyyymm */
    cmsg_t *out;
    GHashTable *opd;  /* name → opd_acc_t* */
    GHashTable *cats; /* key → count (GUINT_TO_POINTER) */
    const cev_t *kip;
    const cev_t *ticker[CMSG_MAX_TICKER];
    int n_ticker;
} acc_t;

static void opd_acc_free(gpointer p)
{
    opd_acc_t *o = p;
    g_array_free(o->hours, TRUE);
    g_free(o);
}

static opd_acc_t *opd_get(acc_t *a, const char *name)
{
    opd_acc_t *o = g_hash_table_lookup(a->opd, name);
    if (o == NULL) {
        o = g_new0(opd_acc_t, 1);
        g_strlcpy(o->name, name, sizeof o->name);
        o->hours = g_array_new(FALSE, FALSE, sizeof(int));
        g_hash_table_insert(a->opd, o->name, o);
    }
    return o;
}

/* Keeps the newest CMSG_MAX_TICKER complaints and requests, newest first. */
static void ticker_offer(acc_t *a, const cev_t *ev)
{
    int i = a->n_ticker;
    if (i == CMSG_MAX_TICKER) {
        if (ev->updated_ms <= a->ticker[i - 1]->updated_ms)
            return;
        i--;
    } else {
        a->n_ticker++;
    }
    while (i > 0 && (a->ticker[i - 1]->updated_ms < ev->updated_ms ||
                     (a->ticker[i - 1]->updated_ms == ev->updated_ms &&
                      strcmp(a->ticker[i - 1]->id, ev->id) > 0))) {
        a->ticker[i] = a->ticker[i - 1];
        i--;
    }
    a->ticker[i] = ev;
}

static void add_complaint(acc_t *a, const cev_t *ev)
{
    cmsg_t *m = a->out;
    int day = workday_local_date(a->cal, ev->received_ms);
    bool today = day == a->today, month = day / 100 == a->month;
    m->total++;
    m->stages[ev->stage]++;
    m->received_today += today;
    m->received_month += month;
    m->channels[ev->channel].today += today;
    m->channels[ev->channel].month += month;
    if (month) {
        gpointer n = g_hash_table_lookup(a->cats, ev->category);
        g_hash_table_insert(a->cats, (gpointer)ev->category, GUINT_TO_POINTER(GPOINTER_TO_UINT(n) + 1));
    }
    bool closed = ev->stage == CEV_STAGE_CLOSED || ev->stage == CEV_STAGE_ARCHIVED ||
                  ev->stage == CEV_STAGE_NOT_AUTHORITY;
    m->open += !closed;
    m->closed += ev->stage == CEV_STAGE_CLOSED;
    bool late = agg_overdue_since(ev, a->now_ms, a->cal) != 0;
    m->overdue_verify += late && ev->stage == CEV_STAGE_RECEIVED;
    m->overdue_followup += late && ev->stage == CEV_STAGE_DISPOSITIONED;
    if (ev->satisfaction >= 0 && ev->satisfaction < CEV_SAT_COUNT)
        m->satisfaction[ev->satisfaction]++;
    if (ev->opd[0] != '\0') {
        opd_acc_t *o = opd_get(a, ev->opd);
        o->backlog += ev->stage == CEV_STAGE_DISPOSITIONED;
        o->overdue += late && ev->stage == CEV_STAGE_DISPOSITIONED;
        if (ev->followed_up_ms != 0 && ev->dispositioned_ms != 0 &&
            ev->followed_up_ms >= ev->dispositioned_ms) {
            int h = (int)((ev->followed_up_ms - ev->dispositioned_ms) / 3600000);
            g_array_append_val(o->hours, h);
        }
    }
}

static void add_request(acc_t *a, const cev_t *ev)
{
    cmsg_ppid_t *p = &a->out->ppid;
    p->received_month += workday_local_date(a->cal, ev->received_ms) / 100 == a->month;
    p->open += ev->ppid == CEV_PPID_RECEIVED;
    p->answered += ev->ppid == CEV_PPID_GRANTED || ev->ppid == CEV_PPID_PARTLY_GRANTED;
    p->refused += ev->ppid == CEV_PPID_REFUSED;
    p->overdue += agg_overdue_since(ev, a->now_ms, a->cal) != 0;
    p->objections_open += ev->objection == CEV_CASE_OPEN;
    p->disputes_open += ev->dispute == CEV_CASE_OPEN;
}

static int cmp_int(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    return (a > b) - (a < b);
}

static int cmp_opd(const void *x, const void *y)
{
    const opd_acc_t *a = *(opd_acc_t *const *)x, *b = *(opd_acc_t *const *)y;
    if (a->backlog != b->backlog)
        return a->backlog < b->backlog ? 1 : -1;
    if (a->overdue != b->overdue)
        return a->overdue < b->overdue ? 1 : -1;
    return strcmp(a->name, b->name);
}

static void finish_opd(acc_t *a)
{
    GPtrArray *arr = g_ptr_array_new();
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, a->opd);
    while (g_hash_table_iter_next(&it, &k, &v))
        g_ptr_array_add(arr, v);
    guint n = arr->len;
    if (n > 1)
        if (n > 1)
        qsort(arr->pdata, n, sizeof(gpointer), cmp_opd);
    for (guint i = 0; i < n && a->out->n_opd < CMSG_MAX_OPD; i++) {
        opd_acc_t *o = arr->pdata[i];
        cmsg_opd_t *d = &a->out->opd[a->out->n_opd++];
        g_strlcpy(d->name, o->name, sizeof d->name);
        d->backlog = o->backlog;
        d->overdue = o->overdue;
        d->median_response_h = -1;
        if (o->hours->len > 0) {
            qsort(o->hours->data, o->hours->len, sizeof(int), cmp_int);
            d->median_response_h = g_array_index(o->hours, int, o->hours->len / 2);
        }
    }
    g_ptr_array_free(arr, TRUE);
}

static int cmp_cat(const void *x, const void *y)
{
    const cmsg_category_t *a = x, *b = y;
    if (a->count != b->count)
        return a->count < b->count ? 1 : -1;
    return strcmp(a->key, b->key);
}

static void finish_categories(acc_t *a)
{
    guint n = g_hash_table_size(a->cats), i = 0;
    cmsg_category_t *all = g_new0(cmsg_category_t, n + 1);
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, a->cats);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        g_strlcpy(all[i].key, k, sizeof all[i].key);
        all[i++].count = GPOINTER_TO_UINT(v);
    }
    if (n > 1)
        qsort(all, n, sizeof *all, cmp_cat);
    for (i = 0; i < n && i < CMSG_MAX_CATEGORIES; i++)
        a->out->categories[a->out->n_categories++] = all[i];
    g_free(all);
}

static void finish_ticker(acc_t *a)
{
    for (int i = 0; i < a->n_ticker; i++) {
        const cev_t *ev = a->ticker[i];
        cmsg_tick_t *t = &a->out->ticker[a->out->n_ticker++];
        memset(t, 0, sizeof *t);
        g_strlcpy(t->id, ev->id, sizeof t->id);
        g_strlcpy(t->kind, cev_kind_name(ev->kind), sizeof t->kind);
        t->time_ms = ev->updated_ms;
        bool c = ev->kind == CEV_COMPLAINT;
        g_strlcpy(t->channel, c ? cev_channel_name(ev->channel) : "", sizeof t->channel);
        g_strlcpy(t->category, c ? ev->category : "", sizeof t->category);
        g_strlcpy(t->stage, c ? cev_stage_name(ev->stage) : cev_ppid_name(ev->ppid), sizeof t->stage);
        g_strlcpy(t->opd, ev->opd, sizeof t->opd);
        t->confidential = ev->confidential;
        t->anonymous = ev->anonymous;
        if (!ev->confidential) {
            g_strlcpy(t->title, ev->title, sizeof t->title);
            g_strlcpy(t->location, ev->location, sizeof t->location);
        }
        if (!ev->anonymous)
            g_strlcpy(t->reporter, ev->reporter, sizeof t->reporter);
    }
}

void agg_compute(const agg_t *agg, int64_t now_ms, const workday_cal_t *cal, cmsg_t *out)
{
    memset(out, 0, sizeof *out);
    acc_t a = {.cal = cal, .now_ms = now_ms, .out = out};
    a.today = workday_local_date(cal, now_ms);
    a.month = a.today / 100;
    a.opd = g_hash_table_new_full(g_str_hash, g_str_equal, NULL, opd_acc_free);
    a.cats = g_hash_table_new(g_str_hash, g_str_equal);
    out->generated_ms = now_ms;
    out->kip_grade = -1;
    out->n_channels = CMSG_CHANNELS;
    for (int i = 0; i < CMSG_CHANNELS; i++)
        g_strlcpy(out->channels[i].key, cev_channel_name((cev_channel_t)i), CMSG_KEY_MAX + 1);
    GHashTableIter it;
    gpointer k, v;
    g_hash_table_iter_init(&it, agg->items);
    while (g_hash_table_iter_next(&it, &k, &v)) {
        const cev_t *ev = v;
        if (ev->kind == CEV_COMPLAINT)
            add_complaint(&a, ev);
        else if (ev->kind == CEV_INFO_REQUEST)
            add_request(&a, ev);
        else if (a.kip == NULL || ev->updated_ms > a.kip->updated_ms)
            a.kip = ev;
        if (ev->kind != CEV_KIP_GRADE)
            ticker_offer(&a, ev);
    }
    uint32_t denom = out->total - out->stages[CEV_STAGE_ARCHIVED] - out->stages[CEV_STAGE_NOT_AUTHORITY];
    out->resolved_permille = denom > 0 ? (int32_t)((uint64_t)out->closed * 1000 / denom) : -1;
    if (a.kip != NULL) {
        out->kip_grade = (int)a.kip->kip;
        out->kip_score_x10 = a.kip->kip_score_x10;
    }
    finish_opd(&a);
    finish_categories(&a);
    finish_ticker(&a);
    g_hash_table_destroy(a.opd);
    g_hash_table_destroy(a.cats);
}
