/* demo: built-in sample feed (see demo.h). */
#include "demo.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "log.h"

#define DEMO_HISTORY_COMPLAINTS 260
#define DEMO_HISTORY_REQUESTS 40
#define DEMO_HISTORY_DAYS 25
#define DEMO_MAX_IDS 4096

static const char *const opds[] = {
    "Dinas Pekerjaan Umum", "Dinas Kesehatan", "Dinas Perhubungan", "Dinas Lingkungan Hidup",
    "Disdukcapil", "DPMPTSP (Perizinan)", "Dinas Pendidikan", "Satpol PP",
};
static const char *const categories[] = {
    "infrastruktur", "kesehatan", "transportasi", "lingkungan", "kependudukan", "perizinan",
    "pendidikan", "ketertiban",
};
static const char *const titles[] = {
    "Jalan berlubang membahayakan pengendara", "Lampu penerangan jalan mati sejak seminggu",
    "Antrean panjang di puskesmas", "Ambulans datang terlambat",
    "Angkot berhenti sembarangan di persimpangan", "Lampu lalu lintas tidak berfungsi",
    "Sampah menumpuk belum diangkut", "Saluran drainase tersumbat, banjir saat hujan",
    "Pembuatan KTP-el belum selesai", "Akta kelahiran salah tulis nama",
    "Izin usaha belum terbit melewati janji", "Biaya izin bangunan tidak jelas",
    "Pungutan di sekolah tanpa dasar", "Guru jarang hadir di kelas",
    "Pedagang kaki lima menutup trotoar", "Suara bising hiburan malam",
};
static const char *const places[] = {
    "Kel. Loktuan", "Kel. Tanjung Laut", "Kel. Api-api", "Kel. Gunung Elai", "Kel. Berbas Tengah",
    "Kel. Satimpo", "Kel. Bontang Baru", "Kel. Guntung",
};
static const char *const reporters[] = {"Rahmat", "Siti A.", "Yohanes", "Dewi K.", "Andi",
                                        "Fitri", "Made", "Nur H."};
/* Channel weights roughly like a city's: WhatsApp and the LAPOR! web/app lead. */
static const int channel_weight[CEV_CH_COUNT] = {18, 6, 14, 8, 24, 5, 6, 1, 5, 3, 2, 8};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct demo {
    svc_t *svc;
    GRand *rng;
    int min_ms, max_ms;
    guint timer;
    uint32_t next_id, next_req;
    char (*ids)[CEV_ID_MAX + 1]; /* complaints the feed may move on */
    int n_ids;
};

static int pick_channel(demo_t *d)
{
    int total = 0;
    for (int i = 0; i < CEV_CH_COUNT; i++)
        total += channel_weight[i];
    int r = g_rand_int_range(d->rng, 0, total);
    for (int i = 0; i < CEV_CH_COUNT; i++)
        if ((r -= channel_weight[i]) < 0)
            return i;
    return 0;
}

static cev_t new_complaint(demo_t *d, int64_t at_ms)
{
    cev_t ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = CEV_COMPLAINT;
    snprintf(ev.id, sizeof ev.id, "LAPOR-DEMO-%05u", d->next_id++);
    ev.updated_ms = ev.received_ms = at_ms;
    ev.stage = CEV_STAGE_RECEIVED;
    ev.channel = (cev_channel_t)pick_channel(d);
    ev.classification = g_rand_int_range(d->rng, 0, 10) < 8 ? CEV_CLASS_PENGADUAN : CEV_CLASS_ASPIRASI;
    int t = g_rand_int_range(d->rng, 0, N(titles));
    g_strlcpy(ev.category, categories[t / 2], sizeof ev.category);
    g_strlcpy(ev.title, titles[t], sizeof ev.title);
    g_strlcpy(ev.location, places[g_rand_int_range(d->rng, 0, N(places))], sizeof ev.location);
    g_strlcpy(ev.reporter, reporters[g_rand_int_range(d->rng, 0, N(reporters))], sizeof ev.reporter);
    ev.anonymous = g_rand_int_range(d->rng, 0, 5) == 0;
    ev.confidential = g_rand_int_range(d->rng, 0, 8) == 0;
    ev.satisfaction = CEV_SAT_NONE;
    /* The OPD that will get it, by category. */
    g_strlcpy(ev.opd, "", sizeof ev.opd);
    return ev;
}

/* Moves ev one stage on at at_ms. Returns false when it is finished. */
static bool advance(demo_t *d, cev_t *ev, int64_t at_ms)
{
    int r = g_rand_int_range(d->rng, 0, 100);
    ev->updated_ms = at_ms;
    switch (ev->stage) {
    case CEV_STAGE_RECEIVED:
        ev->stage = r < 8 ? CEV_STAGE_NOT_AUTHORITY : r < 12 ? CEV_STAGE_ARCHIVED : CEV_STAGE_VERIFIED;
        ev->verified_ms = at_ms;
        return true;
    case CEV_STAGE_VERIFIED:
        ev->stage = CEV_STAGE_DISPOSITIONED;
        ev->dispositioned_ms = at_ms;
        for (int i = 0; i < N(categories); i++)
            if (strcmp(categories[i], ev->category) == 0)
                g_strlcpy(ev->opd, opds[i], sizeof ev->opd);
        return true;
    case CEV_STAGE_DISPOSITIONED:
        ev->stage = CEV_STAGE_FOLLOWED_UP;
        ev->followed_up_ms = at_ms;
        return true;
    case CEV_STAGE_FOLLOWED_UP:
        ev->stage = CEV_STAGE_CLOSED;
        ev->closed_ms = at_ms;
        ev->satisfaction = r < 60 ? (cev_sat_t)(r % 4) : CEV_SAT_NONE;
        return true;
    default:
        return false;
    }
}

static void remember(demo_t *d, const char *id)
{
    if (d->n_ids < DEMO_MAX_IDS)
        g_strlcpy(d->ids[d->n_ids++], id, CEV_ID_MAX + 1);
}

static void submit(demo_t *d, const cev_t *evs, int n)
{
    svc_result_t res;
    char err[256];
    if (svc_submit(d->svc, evs, n, &res, err, sizeof err) != 0)
        log_warn("complaints demo", "could not store demo events: %s", err);
}

static void seed_history(demo_t *d, int64_t now_ms)
{
    GArray *evs = g_array_new(FALSE, FALSE, sizeof(cev_t));
    for (int i = 0; i < DEMO_HISTORY_COMPLAINTS; i++) {
        int64_t age = (int64_t)g_rand_double_range(d->rng, 0, DEMO_HISTORY_DAYS) * 86400000.0;
        cev_t ev = new_complaint(d, now_ms - age);
        /* Older complaints are further along; a few are stuck (overdue). */
        int steps = (int)(age / 86400000 / 3) + g_rand_int_range(d->rng, 0, 2);
        bool stuck = g_rand_int_range(d->rng, 0, 100) < 8;
        if (stuck) /* left waiting: overdue at verification or at the OPD */
            steps = g_rand_int_range(d->rng, 0, 2) * 2;
        for (int s = 0; s < steps && s < 4; s++) {
            int64_t at = ev.updated_ms + (stuck ? 86400000 : (int64_t)(age / (steps + 1)));
            if (!advance(d, &ev, at < now_ms ? at : now_ms))
                break;
        }
        g_array_append_val(evs, ev);
        if (ev.stage != CEV_STAGE_CLOSED)
            remember(d, ev.id);
    }
    for (int i = 0; i < DEMO_HISTORY_REQUESTS; i++) {
        cev_t r;
        memset(&r, 0, sizeof r);
        r.kind = CEV_INFO_REQUEST;
        snprintf(r.id, sizeof r.id, "PPID-DEMO-%04u", d->next_req++);
        r.received_ms = now_ms - (int64_t)(g_rand_double_range(d->rng, 0, 30) * 86400000.0);
        r.updated_ms = r.received_ms + 3600000;
        int x = g_rand_int_range(d->rng, 0, 10);
        r.ppid = x < 4 ? CEV_PPID_RECEIVED : x < 7 ? CEV_PPID_GRANTED : x < 9 ? CEV_PPID_PARTLY_GRANTED
                                                                   : CEV_PPID_REFUSED;
        r.objection = r.ppid == CEV_PPID_REFUSED ? CEV_CASE_OPEN : CEV_CASE_NONE;
        r.dispute = i == 3 ? CEV_CASE_OPEN : CEV_CASE_NONE;
        g_strlcpy(r.title, "Permohonan salinan dokumen anggaran", sizeof r.title);
        g_array_append_val(evs, r);
    }
    cev_t k;
    memset(&k, 0, sizeof k);
    k.kind = CEV_KIP_GRADE;
    snprintf(k.id, sizeof k.id, "kip-2026");
    k.updated_ms = now_ms - 30LL * 86400000;
    k.kip = CEV_KIP_MENUJU;
    k.kip_score_x10 = 873;
    g_array_append_val(evs, k);
    submit(d, (const cev_t *)(void *)evs->data, (int)evs->len);
    g_array_free(evs, TRUE);
}

static void schedule(demo_t *d);

static gboolean tick(gpointer ud)
{
    demo_t *d = ud;
    d->timer = 0;
    int64_t now = g_get_real_time() / 1000;
    int r = g_rand_int_range(d->rng, 0, 100);
    if (r < 50 || d->n_ids == 0) {
        cev_t ev = new_complaint(d, now);
        submit(d, &ev, 1);
        remember(d, ev.id);
    } else if (r < 95) {
        int i = g_rand_int_range(d->rng, 0, d->n_ids);
        const cev_t *old = svc_find(d->svc, CEV_COMPLAINT, d->ids[i]);
        cev_t ev;
        if (old != NULL) {
            ev = *old;
            if (advance(d, &ev, now > old->updated_ms ? now : old->updated_ms + 1))
                submit(d, &ev, 1);
        }
        if (old == NULL || ev.stage == CEV_STAGE_CLOSED || ev.stage == CEV_STAGE_ARCHIVED ||
            ev.stage == CEV_STAGE_NOT_AUTHORITY)
            memmove(d->ids[i], d->ids[--d->n_ids], CEV_ID_MAX + 1);
    } else {
        cev_t q;
        memset(&q, 0, sizeof q);
        q.kind = CEV_INFO_REQUEST;
        snprintf(q.id, sizeof q.id, "PPID-DEMO-%04u", d->next_req++);
        q.received_ms = q.updated_ms = now;
        q.ppid = CEV_PPID_RECEIVED;
        submit(d, &q, 1);
    }
    schedule(d);
    return G_SOURCE_REMOVE;
}

static void schedule(demo_t *d)
{
    d->timer = g_timeout_add((guint)g_rand_int_range(d->rng, d->min_ms, d->max_ms + 1), tick, d);
}

demo_t *demo_new(svc_t *svc, uint32_t seed, int min_ms, int max_ms)
{
    demo_t *d = g_new0(demo_t, 1);
    d->svc = svc;
    d->rng = g_rand_new_with_seed(seed);
    d->min_ms = min_ms > 0 ? min_ms : 1;
    d->max_ms = max_ms >= d->min_ms ? max_ms : d->min_ms;
    d->ids = g_malloc0(sizeof(*d->ids) * DEMO_MAX_IDS);
    seed_history(d, g_get_real_time() / 1000);
    schedule(d);
    return d;
}

void demo_destroy(demo_t **dp)
{
    if (dp == NULL || *dp == NULL)
        return;
    demo_t *d = *dp;
    if (d->timer)
        g_source_remove(d->timer);
    g_rand_free(d->rng);
    g_free(d->ids);
    g_free(d);
    *dp = NULL;
}
