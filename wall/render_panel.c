/* render_panel: complaint-counter panels (see render_panel.h). */
#include "render_panel.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "layout.h"
#include "render_theme.h"

/* ---- look: colours and sizes (fractions of the section or panel) ---------------------------- */
#define PANEL_CARD THEME_RGBA(0x17, 0x23, 0x3b, 0xff)
#define PANEL_CARD_RISE THEME_RGBA(0x0e, 0x5a, 0x6e, 0xff)
#define PANEL_NUMBER THEME_RGBA(0xff, 0xff, 0xff, 0xff)
#define PANEL_NUMBER_RISE THEME_RGBA(0xfd, 0xe6, 0x8a, 0xff)
#define PANEL_NUMBER_BAD THEME_RGBA(0xf8, 0x71, 0x71, 0xff)
#define PANEL_GOOD THEME_RGBA(0x4a, 0xde, 0x80, 0xff)
#define PANEL_TRACK THEME_RGBA(0x1a, 0x26, 0x40, 0xff)
#define PANEL_BAR THEME_RGBA(0x22, 0x9e, 0xc4, 0xff)
#define PANEL_BAR_RISE THEME_RGBA(0xfa, 0xcc, 0x15, 0xff)
#define PANEL_BAR_LATE THEME_RGBA(0xdc, 0x4a, 0x4a, 0xff)
#define PANEL_FUNNEL THEME_RGBA(0x6d, 0x5d, 0xd3, 0xff)
#define PANEL_SECRET THEME_RGBA(0xa7, 0x8b, 0xfa, 0xff)
#define DEFAULT_PANEL_SECTION_GAP 0.35   /* between sections, in body sizes */
#define DEFAULT_PANEL_HEAD_H 1.5         /* section heading row, in body sizes */
#define DEFAULT_PANEL_BAR_ROWS_MAX 6
#define DEFAULT_PANEL_TICKER_MAX 6
#define DEFAULT_PANEL_NUMBER_SCALE 0.46  /* big number: of a card's height */

typedef struct {
    render_ctx_t *c;
    const scene_counters_t *sc;
    const cmsg_t *m;
    bool en;
    int px;     /* body text size of the panel */
    int pad;
} pctx_t;

static const char *T(const pctx_t *p, const char *id, const char *en)
{
    return p->en ? en : id;
}

/* Characters of a UTF-8 string (for fitting a size to a width). */
static long g_utf8_len(const char *s)
{
    long n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n > 0 ? n : 1;
}

static render_font_t font(int px, bool bold, SDL_Color col)
{
    return (render_font_t){px < 8 ? 8 : px, bold ? RENDER_TEXT_BOLD : RENDER_TEXT_REGULAR, col};
}

static void text(pctx_t *p, const char *s, int px, bool bold, SDL_Color col, int x, int cy,
                 int max_w, render_align_t al)
{
    render_font_t f = font(px, bold, col);
    render_draw_text(p->c, s, strlen(s), &f, x, cy, max_w, al);
}

/* A section heading; returns the rect under it. */
static grid_rect_t heading(pctx_t *p, grid_rect_t r, const char *title)
{
    int h = (int)(p->px * DEFAULT_PANEL_HEAD_H);
    text(p, title, (int)(p->px * 0.85), true, THEME_PANEL_KEY, r.x, r.y + h / 2, r.w,
         RENDER_ALIGN_LEFT);
    return (grid_rect_t){r.x, r.y + h, r.w, r.h - h};
}

/* ---- big numbers ------------------------------------------------------------------------------ */

static void card(pctx_t *p, grid_rect_t r, const char *label, uint32_t v, bool rise, bool bad)
{
    render_draw_rounded(p->c, r, p->pad / 2, rise ? PANEL_CARD_RISE : PANEL_CARD);
    char num[16];
    snprintf(num, sizeof num, "%u", v);
    int lpx = r.h / 4 < p->px * 4 / 5 ? r.h / 4 : p->px * 4 / 5;
    int npx = (int)(r.h * DEFAULT_PANEL_NUMBER_SCALE);
    int by_w = r.w / 3; /* four digits fit the card */
    npx = npx < by_w ? npx : by_w;
    text(p, label, lpx, false, THEME_PANEL_KEY, r.x + r.w / 2, r.y + lpx * 5 / 4, r.w - p->pad,
         RENDER_ALIGN_CENTRE);
    SDL_Color col = rise ? PANEL_NUMBER_RISE : bad && v > 0 ? PANEL_NUMBER_BAD : PANEL_NUMBER;
    text(p, num, npx, true, col, r.x + r.w / 2, r.y + r.h / 2 + lpx * 2 / 3, r.w - p->pad / 2,
         RENDER_ALIGN_CENTRE);
}

static void draw_numbers(pctx_t *p, grid_rect_t r)
{
    const cmsg_t *m = p->m;
    uint32_t rise = p->sc->rise;
    const char *labels[4] = {T(p, "Hari ini", "Today"), T(p, "Bulan ini", "This month"),
                             T(p, "Terbuka", "Open"), T(p, "Terlambat", "Overdue")};
    uint32_t vals[4] = {m->received_today, m->received_month, m->open,
                        m->overdue_verify + m->overdue_followup};
    int bits[4] = {SCENE_RISE_TODAY, SCENE_RISE_MONTH, SCENE_RISE_OPEN, SCENE_RISE_OVERDUE};
    int cols = r.w > 3 * r.h && r.w >= 4 * 7 * p->px ? 4 : 2, rows = 4 / cols, g = p->pad / 2;
    int cw = (r.w - (cols - 1) * g) / cols, ch = (r.h - (rows - 1) * g) / rows;
    for (int i = 0; i < 4; i++) {
        grid_rect_t cr = {r.x + (i % cols) * (cw + g), r.y + (i / cols) * (ch + g), cw, ch};
        card(p, cr, labels[i], vals[i], (rise >> bits[i]) & 1u, i == 3);
    }
}

/* ---- bars ------------------------------------------------------------------------------------- */

typedef struct {
    const char *label;
    char value[32];
    uint32_t amount;
    bool rise;
} bar_t;

static void draw_bars(pctx_t *p, grid_rect_t r, const bar_t *bars, int n, SDL_Color col,
                      bool centred)
{
    if (n <= 0)
        return;
    uint32_t max = 1;
    for (int i = 0; i < n; i++)
        max = bars[i].amount > max ? bars[i].amount : max;
    int row = r.h / n, tpx = row * 58 / 100;
    tpx = tpx < p->px ? tpx : p->px;
    int label_w = r.w * 44 / 100, value_w = r.w * 16 / 100;
    int bx = r.x + label_w, bw = r.w - label_w - value_w;
    for (int i = 0; i < n; i++) {
        int y = r.y + i * row, bh = row * 72 / 100, by = y + (row - bh) / 2;
        int fill = (int)((int64_t)bw * bars[i].amount / max);
        fill = bars[i].amount > 0 && fill < 2 ? 2 : fill;
        SDL_Color bc = bars[i].rise ? PANEL_BAR_RISE : col;
        if (centred)
            render_draw_rounded(p->c, (grid_rect_t){bx + (bw - fill) / 2, by, fill, bh}, bh / 5, bc);
        else {
            render_draw_fill(p->c, (grid_rect_t){bx, by, bw, bh}, PANEL_TRACK);
            render_draw_fill(p->c, (grid_rect_t){bx, by, fill, bh}, bc);
        }
        text(p, bars[i].label, tpx, false, THEME_PANEL_TEXT, r.x, y + row / 2, label_w - p->pad / 2,
             RENDER_ALIGN_LEFT);
        text(p, bars[i].value, tpx, true, bars[i].rise ? PANEL_NUMBER_RISE : THEME_PANEL_VALUE,
             r.x + r.w, y + row / 2, value_w, RENDER_ALIGN_RIGHT);
    }
}

static int rows_for(const pctx_t *p, grid_rect_t r, int want)
{
    int row = p->px * 3 / 2;
    int fit = r.h / (row > 10 ? row : 10);
    fit = fit < want ? fit : want;
    return fit < DEFAULT_PANEL_BAR_ROWS_MAX ? fit : DEFAULT_PANEL_BAR_ROWS_MAX;
}

static void draw_channels(pctx_t *p, grid_rect_t r)
{
    r = heading(p, r, T(p, "KANAL (BULAN INI)", "CHANNELS (THIS MONTH)"));
    bar_t bars[CMSG_CHANNELS];
    int n = 0;
    bool used[CMSG_CHANNELS] = {false};
    for (int k = 0; k < p->m->n_channels && k < CMSG_CHANNELS; k++) {
        int best = -1;
        for (int i = 0; i < p->m->n_channels; i++)
            if (!used[i] && (best < 0 || p->m->channels[i].month > p->m->channels[best].month))
                best = i;
        if (best < 0 || p->m->channels[best].month == 0)
            break;
        used[best] = true;
        bar_t *b = &bars[n++];
        b->label = cmsg_label(p->m->channels[best].key, p->en);
        b->amount = p->m->channels[best].month;
        b->rise = (p->sc->channel_rise >> best) & 1u;
        snprintf(b->value, sizeof b->value, "%u", b->amount);
    }
    draw_bars(p, r, bars, rows_for(p, r, n), PANEL_BAR, false);
}

static void draw_opd(pctx_t *p, grid_rect_t r)
{
    r = heading(p, r, T(p, "TUNGGAKAN PER OPD", "BACKLOG BY AGENCY"));
    bar_t bars[CMSG_MAX_OPD];
    int n = 0;
    for (int i = 0; i < p->m->n_opd; i++) {
        const cmsg_opd_t *o = &p->m->opd[i];
        bar_t *b = &bars[n++];
        b->label = o->name;
        b->amount = o->backlog;
        b->rise = (p->sc->opd_rise >> i) & 1u;
        if (o->median_response_h >= 0)
            snprintf(b->value, sizeof b->value, "%u · %d%s", o->backlog, o->median_response_h,
                     T(p, "j", "h"));
        else
            snprintf(b->value, sizeof b->value, "%u", o->backlog);
    }
    draw_bars(p, r, bars, rows_for(p, r, n), PANEL_BAR, false);
}

static void draw_funnel(pctx_t *p, grid_rect_t r)
{
    r = heading(p, r, T(p, "TAHAPAN", "STAGES"));
    static const int order[] = {0, 1, 5, 6, 7}; /* received, verified, dispositioned, followed up, closed */
    bar_t bars[5];
    for (int i = 0; i < 5; i++) {
        bars[i].label = cmsg_label(cmsg_stage_key(order[i]), p->en);
        bars[i].amount = p->m->stages[order[i]];
        bars[i].rise = (p->sc->rise >> (SCENE_RISE_STAGE0 + order[i])) & 1u;
        snprintf(bars[i].value, sizeof bars[i].value, "%u", bars[i].amount);
    }
    draw_bars(p, r, bars, rows_for(p, r, 5), PANEL_FUNNEL, true);
}

static void draw_overdue(pctx_t *p, grid_rect_t r)
{
    char head[96];
    snprintf(head, sizeof head, "%s: %u", T(p, "Belum diverifikasi > 3 hari kerja",
                                             "Not verified in 3 working days"), p->m->overdue_verify);
    r = heading(p, r, T(p, "TERLAMBAT PER OPD (5 HARI KERJA)", "OVERDUE BY AGENCY (5 WORKING DAYS)"));
    bar_t bars[CMSG_MAX_OPD];
    int n = 0;
    for (int i = 0; i < p->m->n_opd; i++)
        if (p->m->opd[i].overdue > 0) {
            bars[n].label = p->m->opd[i].name;
            bars[n].amount = p->m->opd[i].overdue;
            bars[n].rise = false;
            snprintf(bars[n].value, sizeof bars[n].value, "%u/%u", p->m->opd[i].overdue,
                     p->m->opd[i].backlog);
            n++;
        }
    int rows = rows_for(p, r, n + 1);
    text(p, head, p->px, false, p->m->overdue_verify ? PANEL_NUMBER_BAD : PANEL_GOOD, r.x,
         r.y + p->px, r.w, RENDER_ALIGN_LEFT);
    grid_rect_t rest = {r.x, r.y + p->px * 2, r.w, r.h - p->px * 2};
    if (n == 0)
        text(p, T(p, "Semua OPD tepat waktu", "Every agency on time"), p->px, false, PANEL_GOOD,
             rest.x, rest.y + p->px, rest.w, RENDER_ALIGN_LEFT);
    else
        draw_bars(p, rest, bars, rows > 1 ? rows - 1 : 1, PANEL_BAR_LATE, false);
}

/* ---- KIP and PPID ----------------------------------------------------------------------------- */

static SDL_Color grade_colour(int g)
{
    static const SDL_Color cols[] = {THEME_RGBA(0x4a, 0xde, 0x80, 0xff), THEME_RGBA(0xa3, 0xe6, 0x35, 0xff),
                                     THEME_RGBA(0xfa, 0xcc, 0x15, 0xff), THEME_RGBA(0xfb, 0x92, 0x3c, 0xff),
                                     THEME_RGBA(0xf8, 0x71, 0x71, 0xff)};
    return g >= 0 && g < 5 ? cols[g] : THEME_PANEL_KEY;
}

static void draw_kip(pctx_t *p, grid_rect_t r)
{
    const cmsg_t *m = p->m;
    r = heading(p, r, T(p, "KETERBUKAAN INFORMASI (PPID)", "PUBLIC INFORMATION (PPID)"));
    int line = r.h / 3;
    int gpx = line * 70 / 100 < p->px * 3 / 2 ? line * 70 / 100 : p->px * 3 / 2;
    char g[96];
    if (m->kip_grade >= 0)
        snprintf(g, sizeof g, "KIP: %s %d.%d", cmsg_kip_label(m->kip_grade, p->en),
                 m->kip_score_x10 / 10, m->kip_score_x10 % 10);
    else
        snprintf(g, sizeof g, "KIP: %s", cmsg_kip_label(-1, p->en));
    int fit = (int)(r.w / (0.62 * (double)g_utf8_len(g)));
    gpx = gpx < fit ? gpx : fit;
    text(p, g, gpx, true, grade_colour(m->kip_grade), r.x, r.y + line / 2, r.w, RENDER_ALIGN_LEFT);
    char a[160], b[160];
    snprintf(a, sizeof a, p->en ? "Requests %u · answered %u · refused %u" :
                                  "Permohonan %u · dijawab %u · ditolak %u",
             m->ppid.received_month, m->ppid.answered, m->ppid.refused);
    snprintf(b, sizeof b, p->en ? "Open %u · overdue %u · objections %u · disputes %u" :
                                  "Proses %u · terlambat %u · keberatan %u · sengketa %u",
             m->ppid.open, m->ppid.overdue, m->ppid.objections_open, m->ppid.disputes_open);
    int tpx = line * 60 / 100 < p->px * 85 / 100 ? line * 60 / 100 : p->px * 85 / 100;
    text(p, a, tpx, false, THEME_PANEL_TEXT, r.x, r.y + line * 3 / 2, r.w, RENDER_ALIGN_LEFT);
    bool late = m->ppid.overdue > 0 || ((p->sc->rise >> SCENE_RISE_PPID_OVERDUE) & 1u);
    text(p, b, tpx, false, late ? PANEL_NUMBER_BAD : THEME_PANEL_TEXT, r.x, r.y + line * 5 / 2,
         r.w, RENDER_ALIGN_LEFT);
}

/* ---- ticker ----------------------------------------------------------------------------------- */

static void draw_ticker(pctx_t *p, grid_rect_t r)
{
    r = heading(p, r, T(p, "TERBARU", "LATEST"));
    int per = p->px * 3, n = r.h / (per > 1 ? per : 1);
    n = n < p->m->n_ticker ? n : p->m->n_ticker;
    n = n < DEFAULT_PANEL_TICKER_MAX ? n : DEFAULT_PANEL_TICKER_MAX;
    for (int i = 0; i < n; i++) {
        const cmsg_tick_t *t = &p->m->ticker[i];
        int y = r.y + i * per;
        time_t secs = (time_t)(t->time_ms / 1000);
        struct tm tm;
        localtime_r(&secs, &tm);
        char meta[256];
        const char *what = t->channel[0] ? cmsg_label(t->channel, p->en) : cmsg_label(t->kind, p->en);
        snprintf(meta, sizeof meta, "%02d:%02d  %s · %s · %s", tm.tm_hour, tm.tm_min, what,
                 cmsg_label(t->category[0] ? t->category : t->kind, p->en),
                 cmsg_label(t->stage, p->en));
        text(p, meta, p->px * 85 / 100, false, THEME_PANEL_KEY, r.x, y + p->px * 2 / 3, r.w,
             RENDER_ALIGN_LEFT);
        /* The privacy rule, drawn: a confidential item's title, an anonymous reporter's name
         * are never shown, whatever the message holds. */
        char body[1200];
        const char *title = t->confidential ? T(p, "[Isi dirahasiakan]", "[Confidential]") : t->title;
        const char *who = t->anonymous ? T(p, "Anonim", "Anonymous") : t->reporter;
        if (who[0])
            snprintf(body, sizeof body, "%s — %s", title, who);
        else
            snprintf(body, sizeof body, "%s", title);
        text(p, body, p->px, !t->confidential, t->confidential ? PANEL_SECRET : THEME_PANEL_VALUE,
             r.x, y + p->px * 2, r.w, RENDER_ALIGN_LEFT);
    }
}

/* ---- layout of the sections ------------------------------------------------------------------- */

typedef void (*section_fn)(pctx_t *p, grid_rect_t r);

typedef struct {
    section_fn draw;
    double weight;   /* share of the height */
    double min_rows; /* least height, in body sizes */
    int priority;    /* lower = kept first when the panel is short */
} section_t;

/* In drawing order (view=all). */
static const section_t sections[] = {
    {draw_numbers, 4.0, 8.0, 0},  {draw_channels, 3.0, 7.0, 2}, {draw_funnel, 2.6, 7.0, 3},
    {draw_overdue, 2.4, 6.0, 4},  {draw_kip, 1.8, 5.0, 5},      {draw_ticker, 3.2, 7.5, 1},
};
#define N_SECTIONS ((int)(sizeof sections / sizeof sections[0]))

/* A wide, short panel: the sections that fit side by side, most important first. */
static void draw_columns(pctx_t *p, grid_rect_t r)
{
    int gap = p->pad, min_w = p->px * 13;
    int n = (r.w + gap) / (min_w + gap);
    n = n < 1 ? 1 : n > N_SECTIONS ? N_SECTIONS : n;
    bool on[N_SECTIONS] = {false};
    for (int i = 0; i < N_SECTIONS; i++)
        on[i] = sections[i].priority < n;
    int w = (r.w - (n - 1) * gap) / n, x = r.x;
    for (int i = 0; i < N_SECTIONS; i++) {
        if (!on[i])
            continue;
        sections[i].draw(p, (grid_rect_t){x, r.y, w, r.h});
        x += w + gap;
    }
}

static void draw_all(pctx_t *p, grid_rect_t r)
{
    if (r.w > r.h * 2) {
        draw_columns(p, r);
        return;
    }
    bool on[N_SECTIONS] = {false};
    double need = 0, weights = 0;
    int gap = (int)(p->px * DEFAULT_PANEL_SECTION_GAP);
    for (int prio = 0; prio < N_SECTIONS; prio++)
        for (int i = 0; i < N_SECTIONS; i++)
            if (sections[i].priority == prio &&
                need + sections[i].min_rows * p->px + gap <= r.h) {
                on[i] = true;
                need += sections[i].min_rows * p->px + gap;
                weights += sections[i].weight;
            }
    int y = r.y, spare = r.h - (int)need;
    for (int i = 0; i < N_SECTIONS; i++) {
        if (!on[i])
            continue;
        int h = (int)(sections[i].min_rows * p->px + spare * sections[i].weight / weights);
        sections[i].draw(p, (grid_rect_t){r.x, y, r.w, h});
        y += h + gap;
        render_draw_fill(p->c, (grid_rect_t){r.x, y - gap / 2, r.w, 1}, THEME_PANEL_RULE);
    }
}

void render_panel_counters(render_ctx_t *c, const scene_panel_t *panel, grid_rect_t body)
{
    const scene_counters_t *sc = panel->counters;
    int px = render_draw_scale(panel->rect.w, DEFAULT_PANEL_BODY_PX * 0.9, DEFAULT_PANEL_BODY_MIN_PX);
    px = px > panel->rect.h / 12 ? panel->rect.h / 12 : px;
    if (sc->view == LAYOUT_VIEW_ALL && body.w > body.h * 2)
        px = px > body.h / 7 ? body.h / 7 : px;
    px = px < 9 ? 9 : px;
    pctx_t p = {c, sc, sc->data, sc->en, px, render_draw_scale(panel->rect.w, DEFAULT_PANEL_PAD, DEFAULT_PANEL_PAD_MIN)};
    if (sc->note != NULL) {
        text(&p, sc->note, px, false, sc->stale ? THEME_HEADLINE_WARN : THEME_PANEL_KEY, body.x,
             body.y + px, body.w, RENDER_ALIGN_LEFT);
        body.y += px * 2;
        body.h -= px * 2;
    }
    if (sc->data == NULL || body.h <= px)
        return;
    switch (sc->view) {
    case LAYOUT_VIEW_NUMBERS: draw_numbers(&p, body); break;
    case LAYOUT_VIEW_CHANNELS: draw_channels(&p, body); break;
    case LAYOUT_VIEW_OPD: draw_opd(&p, body); break;
    case LAYOUT_VIEW_FUNNEL: draw_funnel(&p, body); break;
    case LAYOUT_VIEW_OVERDUE: draw_overdue(&p, body); break;
    case LAYOUT_VIEW_KIP: draw_kip(&p, body); break;
    case LAYOUT_VIEW_TICKER: draw_ticker(&p, body); break;
    default: draw_all(&p, body); break;
    }
}
