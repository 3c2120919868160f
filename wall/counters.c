/* counters: complaint-counter subscriptions of one wall (see counters.h). */
#include "counters.h"

#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "log.h"
#include "supervisor.h"
#include "wire.h"

#define COUNTERS_MAX_SUBS LAYOUT_MAX_PANELS
#define COUNTERS_RCVHWM 8
#define COUNTERS_EP_MAX 512
#define COUNTERS_N_RISE (SCENE_RISE_STAGE0 + CMSG_STAGES)
#define LOG_PREFIX "wall counters"

typedef struct {
    char endpoint[COUNTERS_EP_MAX];
    void *sock;
    bool demo;                    /* we run its feed */
    bool used;                    /* by the layout last synced */
    cmsg_t *msg;                  /* newest valid message, NULL = none */
    uint64_t recv_ns;
    uint64_t messages, refused[CMSG_ERR_COUNT_], bad_parts;
    uint64_t rise_ns[COUNTERS_N_RISE];
    uint64_t channel_rise_ns[CMSG_CHANNELS], opd_rise_ns[CMSG_MAX_OPD];
    bool unshown;                 /* msg not presented yet */
    int64_t latency_ms;           /* changed_ms → first presentation of the newest seq; -1 none */
    uint64_t shown_seq;
    char last_error[160];
} sub_t;

struct counters {
    void *zmq;
    supervisor_t *sv;             /* demo feeds; NULL = none */
    sub_t subs[COUNTERS_MAX_SUBS];
    int n_subs;
    int panel_sub[LAYOUT_MAX_PANELS]; /* -1 = not a counters panel */
    scene_counters_t scene[LAYOUT_MAX_PANELS];
    char note[LAYOUT_MAX_PANELS][96];
    bool en;
};

char *counters_program_beside(const char *ingest)
{
    if (ingest == NULL)
        return NULL;
    const char *slash = strrchr(ingest, '/');
    size_t dir = slash ? (size_t)(slash - ingest + 1) : 0;
    char *p = malloc(dir + sizeof "pantau-complaints");
    if (p != NULL) {
        memcpy(p, ingest, dir);
        memcpy(p + dir, "pantau-complaints", sizeof "pantau-complaints");
    }
    return p;
}

counters_t *counters_new(void *zmq_ctx, const char *program)
{
    counters_t *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->zmq = zmq_ctx;
    if (program != NULL && (c->sv = supervisor_new(program)) == NULL) {
        free(c);
        return NULL;
    }
    for (int i = 0; i < LAYOUT_MAX_PANELS; i++)
        c->panel_sub[i] = -1;
    return c;
}

static void sub_close(counters_t *c, sub_t *s)
{
    if (s->demo && c->sv != NULL)
        supervisor_remove(c->sv, s->endpoint);
    if (s->sock != NULL)
        zmq_close(s->sock);
    free(s->msg);
    memset(s, 0, sizeof *s);
}

void counters_destroy(counters_t **cp)
{
    if (cp == NULL || *cp == NULL)
        return;
    counters_t *c = *cp;
    for (int i = 0; i < c->n_subs; i++)
        sub_close(c, &c->subs[i]);
    supervisor_destroy(&c->sv);
    free(c);
    *cp = NULL;
}

static void panel_endpoint(const layout_t *l, const layout_panel_t *p, char *out, size_t cap)
{
    if (p->endpoint != NULL)
        snprintf(out, cap, "%s", p->endpoint);
    else
        snprintf(out, cap, "ipc://%s/complaints.sock", l->endpoint_dir);
}

static int sub_open(counters_t *c, const char *endpoint)
{
    if (c->n_subs >= COUNTERS_MAX_SUBS)
        return -1;
    sub_t *s = &c->subs[c->n_subs];
    memset(s, 0, sizeof *s);
    snprintf(s->endpoint, sizeof s->endpoint, "%s", endpoint);
    s->latency_ms = -1;
    s->sock = zmq_socket(c->zmq, ZMQ_SUB);
    int hwm = COUNTERS_RCVHWM, linger = 0;
    if (s->sock == NULL)
        return -1;
    zmq_setsockopt(s->sock, ZMQ_RCVHWM, &hwm, sizeof hwm);
    zmq_setsockopt(s->sock, ZMQ_LINGER, &linger, sizeof linger);
    zmq_setsockopt(s->sock, ZMQ_SUBSCRIBE, CMSG_TOPIC, strlen(CMSG_TOPIC));
    if (zmq_connect(s->sock, endpoint) != 0) {
        log_error(LOG_PREFIX, "cannot connect to %s: %s", endpoint, zmq_strerror(zmq_errno()));
        zmq_close(s->sock);
        s->sock = NULL;
        return -1;
    }
    return c->n_subs++;
}

static int sub_find(const counters_t *c, const char *endpoint)
{
    for (int i = 0; i < c->n_subs; i++)
        if (strcmp(c->subs[i].endpoint, endpoint) == 0)
            return i;
    return -1;
}

static void sync_demo(counters_t *c, sub_t *s, bool want)
{
    if (c->sv == NULL || want == s->demo)
        return;
    if (want) {
        const char *args[] = {"--demo", "--endpoint", s->endpoint, NULL};
        if (supervisor_add(c->sv, s->endpoint, args) == 0) {
            s->demo = true;
            log_info(LOG_PREFIX, "starting the demo complaints feed on %s", s->endpoint);
        }
    } else {
        supervisor_remove(c->sv, s->endpoint);
        s->demo = false;
    }
}

void counters_sync(counters_t *c, const layout_t *l)
{
    bool want_demo[COUNTERS_MAX_SUBS] = {false};
    c->en = l->language != NULL && strcmp(l->language, "en") == 0;
    for (int i = 0; i < c->n_subs; i++)
        c->subs[i].used = false;
    for (int i = 0; i < LAYOUT_MAX_PANELS; i++)
        c->panel_sub[i] = -1;
    for (int i = 0; i < l->n_panels; i++) {
        const layout_panel_t *p = &l->panels[i];
        if (p->type != LAYOUT_PANEL_COUNTERS)
            continue;
        char ep[COUNTERS_EP_MAX];
        panel_endpoint(l, p, ep, sizeof ep);
        int k = sub_find(c, ep);
        if (k < 0)
            k = sub_open(c, ep);
        if (k < 0)
            continue;
        c->subs[k].used = true;
        want_demo[k] |= p->source == LAYOUT_FEED_DEMO;
        c->panel_sub[i] = k;
    }
    for (int i = 0; i < c->n_subs; i++)
        sync_demo(c, &c->subs[i], want_demo[i] && c->subs[i].used);
    /* Drop unused subscriptions, keeping the panel indexes right. */
    for (int i = c->n_subs - 1; i >= 0; i--) {
        if (c->subs[i].used)
            continue;
        sub_close(c, &c->subs[i]);
        memmove(&c->subs[i], &c->subs[i + 1], sizeof(sub_t) * (size_t)(c->n_subs - i - 1));
        c->n_subs--;
        for (int p = 0; p < LAYOUT_MAX_PANELS; p++)
            if (c->panel_sub[p] > i)
                c->panel_sub[p]--;
    }
}

/* ---- receiving --------------------------------------------------------------------------------- */

static void note_rise(uint64_t *at, uint32_t before, uint32_t after, uint64_t now)
{
    if (after > before)
        *at = now;
}

static void detect_rises(sub_t *s, const cmsg_t *old, const cmsg_t *m, uint64_t now)
{
    note_rise(&s->rise_ns[SCENE_RISE_TODAY], old->received_today, m->received_today, now);
    note_rise(&s->rise_ns[SCENE_RISE_MONTH], old->received_month, m->received_month, now);
    note_rise(&s->rise_ns[SCENE_RISE_OPEN], old->open, m->open, now);
    note_rise(&s->rise_ns[SCENE_RISE_OVERDUE], old->overdue_verify + old->overdue_followup,
              m->overdue_verify + m->overdue_followup, now);
    note_rise(&s->rise_ns[SCENE_RISE_PPID_OPEN], old->ppid.open, m->ppid.open, now);
    note_rise(&s->rise_ns[SCENE_RISE_PPID_OVERDUE], old->ppid.overdue, m->ppid.overdue, now);
    for (int i = 0; i < CMSG_STAGES; i++)
        note_rise(&s->rise_ns[SCENE_RISE_STAGE0 + i], old->stages[i], m->stages[i], now);
    for (int i = 0; i < m->n_channels; i++)
        for (int j = 0; j < old->n_channels; j++)
            if (strcmp(m->channels[i].key, old->channels[j].key) == 0)
                note_rise(&s->channel_rise_ns[i], old->channels[j].month, m->channels[i].month, now);
    for (int i = 0; i < m->n_opd; i++)
        for (int j = 0; j < old->n_opd; j++)
            if (strcmp(m->opd[i].name, old->opd[j].name) == 0)
                note_rise(&s->opd_rise_ns[i], old->opd[j].backlog, m->opd[i].backlog, now);
}

/* One message: [topic][json]. */
static void take(sub_t *s, zmq_msg_t *parts, int n, uint64_t now)
{
    if (n != 2 || zmq_msg_size(&parts[0]) != strlen(CMSG_TOPIC) ||
        memcmp(zmq_msg_data(&parts[0]), CMSG_TOPIC, strlen(CMSG_TOPIC)) != 0) {
        s->bad_parts++;
        return;
    }
    cmsg_t *m = malloc(sizeof *m);
    if (m == NULL)
        return;
    cmsg_err_t rc = cmsg_decode(zmq_msg_data(&parts[1]), zmq_msg_size(&parts[1]), m,
                                s->last_error, sizeof s->last_error);
    if (rc != CMSG_OK) {
        if (s->refused[rc]++ == 0)
            log_warn(LOG_PREFIX, "%s: refused a message (%s): %s", s->endpoint,
                     cmsg_err_name(rc), s->last_error);
        free(m);
        return;
    }
    s->messages++;
    if (s->msg != NULL && m->seq != s->msg->seq)
        detect_rises(s, s->msg, m, now);
    bool fresh = s->msg == NULL || m->seq != s->msg->seq;
    free(s->msg);
    s->msg = m;
    s->recv_ns = now;
    s->unshown |= fresh;
}

/* Receives one whole message (at most 3 parts kept, the rest counted); false when none waits. */
static bool recv_one(sub_t *s, zmq_msg_t *parts, int *n_out)
{
    int n = 0, total = 0, more = 0;
    size_t more_len = sizeof more;
    do {
        zmq_msg_t *m = &parts[n < 3 ? n : 2];
        if (n >= 3)
            zmq_msg_close(m); /* keep only the first three */
        zmq_msg_init(m);
        if (zmq_msg_recv(m, s->sock, total == 0 ? ZMQ_DONTWAIT : 0) < 0) {
            zmq_msg_close(m);
            for (int i = 0; i < (n < 3 ? n : 2); i++)
                zmq_msg_close(&parts[i]);
            return false;
        }
        n += n < 3;
        total++;
        zmq_getsockopt(s->sock, ZMQ_RCVMORE, &more, &more_len);
    } while (more);
    *n_out = total > 3 ? 4 : n; /* 4 = too many parts: refused by take */
    return true;
}

static void drain(sub_t *s, uint64_t now)
{
    for (int guard = 0; guard < 1000; guard++) {
        zmq_msg_t parts[3];
        int n = 0;
        if (!recv_one(s, parts, &n))
            return;
        take(s, parts, n, now);
        for (int i = 0; i < (n < 3 ? n : 3); i++)
            zmq_msg_close(&parts[i]);
    }
}

void counters_poll(counters_t *c, uint64_t now_ns)
{
    if (c->sv != NULL)
        supervisor_tick(c->sv);
    for (int i = 0; i < c->n_subs; i++)
        if (c->subs[i].sock != NULL)
            drain(&c->subs[i], now_ns);
}

/* ---- scene ------------------------------------------------------------------------------------- */

static bool recent(uint64_t at, uint64_t now)
{
    return at != 0 && now >= at && now - at < (uint64_t)COUNTERS_RISE_MS * 1000000u;
}

const scene_counters_t *counters_scene(counters_t *c, const layout_t *l, int i, uint64_t now)
{
    if (i < 0 || i >= l->n_panels || c->panel_sub[i] < 0)
        return NULL;
    const sub_t *s = &c->subs[c->panel_sub[i]];
    scene_counters_t *sc = &c->scene[i];
    *sc = (scene_counters_t){.data = s->msg, .view = (int)l->panels[i].view, .en = c->en};
    if (s->msg == NULL) {
        snprintf(c->note[i], sizeof c->note[i], "%s",
                 c->en ? "Waiting for pantau-complaints" : "Menunggu pantau-complaints");
        sc->note = c->note[i];
        return sc;
    }
    uint64_t age_ms = now > s->recv_ns ? (now - s->recv_ns) / 1000000u : 0;
    if (age_ms > COUNTERS_STALE_MS) {
        sc->stale = true;
        snprintf(c->note[i], sizeof c->note[i], c->en ? "No update for %llu s" : "Tidak ada pembaruan %llu dtk",
                 (unsigned long long)(age_ms / 1000));
        sc->note = c->note[i];
    }
    for (int k = 0; k < COUNTERS_N_RISE; k++)
        sc->rise |= recent(s->rise_ns[k], now) ? 1u << k : 0;
    for (int k = 0; k < CMSG_CHANNELS; k++)
        sc->channel_rise |= recent(s->channel_rise_ns[k], now) ? 1u << k : 0;
    for (int k = 0; k < CMSG_MAX_OPD; k++)
        sc->opd_rise |= recent(s->opd_rise_ns[k], now) ? 1u << k : 0;
    return sc;
}

void counters_presented(counters_t *c, uint64_t now_ns)
{
    for (int i = 0; i < c->n_subs; i++) {
        sub_t *s = &c->subs[i];
        if (!s->unshown || s->msg == NULL)
            continue;
        s->unshown = false;
        if (s->msg->seq != s->shown_seq && s->msg->changed_ms > 0) {
            int64_t now_ms = (int64_t)(now_ns / 1000000u);
            s->latency_ms = now_ms - s->msg->changed_ms;
        }
        s->shown_seq = s->msg->seq;
    }
}

void counters_write_status(const counters_t *c, FILE *f)
{
    for (int i = 0; i < c->n_subs; i++) {
        const sub_t *s = &c->subs[i];
        uint64_t refused = s->bad_parts;
        for (int k = 1; k < CMSG_ERR_COUNT_; k++)
            refused += s->refused[k];
        const cmsg_t *m = s->msg;
        fprintf(f, "complaints=%s demo=%d messages=%llu refused=%llu refused_privacy=%llu "
                   "refused_version=%llu seq=%llu received_today=%u received_month=%u open=%u "
                   "overdue=%u shown_seq=%llu latency_ms=%lld\n",
                s->endpoint, s->demo, (unsigned long long)s->messages,
                (unsigned long long)refused, (unsigned long long)s->refused[CMSG_ERR_PRIVACY],
                (unsigned long long)s->refused[CMSG_ERR_VERSION],
                (unsigned long long)(m ? m->seq : 0), m ? m->received_today : 0,
                m ? m->received_month : 0, m ? m->open : 0,
                m ? m->overdue_verify + m->overdue_followup : 0,
                (unsigned long long)s->shown_seq, (long long)s->latency_ms);
    }
}
