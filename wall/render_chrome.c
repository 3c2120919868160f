/* render_chrome: title bar, clock, panels and banner (see render_chrome.h). */
#include "render_chrome.h"

#include <string.h>

#include "render_panel.h"
#include "render_theme.h"

#define PANEL_MORE "\xe2\x80\xa6" /* last row when lines are left out */

static void draw_title_bar(render_ctx_t *c, const scene_t *s)
{
    grid_rect_t b = s->title_rect;
    int rule_h = render_draw_scale(b.h, 0.04, 1);
    int pad = render_draw_scale(b.h, DEFAULT_TITLE_PAD, 6);
    int mark_w = render_draw_scale(b.h, DEFAULT_TITLE_MARK_W, 3);
    int cy = b.y + (b.h - rule_h) / 2;
    render_draw_fill(c, b, THEME_TITLE_BAR);
    render_draw_fill(c, (grid_rect_t){b.x, b.y + b.h - rule_h, b.w, rule_h}, THEME_TITLE_RULE);
    render_draw_fill(c, (grid_rect_t){b.x + pad, b.y + b.h / 4, mark_w, b.h / 2}, THEME_ACCENT);

    int px = render_draw_scale(b.h, DEFAULT_TITLE_PX, 12);
    render_font_t clock = {px, RENDER_TEXT_REGULAR, THEME_CLOCK_TEXT};
    render_font_t title = {px, RENDER_TEXT_BOLD, THEME_TITLE_TEXT};
    int right = b.x + b.w - pad, clock_w = 0;
    if (s->clock != NULL)
        clock_w = render_draw_text(c, s->clock, strlen(s->clock), &clock, right, cy, b.w / 2,
                                   RENDER_ALIGN_RIGHT);
    int x = b.x + pad + mark_w + pad * 2 / 3;
    int max_w = right - (clock_w ? clock_w + 2 * pad : 0) - x;
    if (s->title != NULL && max_w > 0)
        render_draw_text(c, s->title, strlen(s->title), &title, x, cy, max_w, RENDER_ALIGN_LEFT);
}

/* The corner clock's font, text and box; false when it cannot be drawn. */
static bool corner_clock(render_ctx_t *c, const char *clock, int canvas_w, int canvas_h,
                         render_text_img_t *img, grid_rect_t *box, int *pad_x, int *radius)
{
    render_font_t f = {
        render_draw_scale(canvas_h, DEFAULT_CLOCK_CORNER_PX, DEFAULT_CLOCK_CORNER_MIN_PX),
        RENDER_TEXT_BOLD, THEME_CLOCK_TEXT};
    *img = render_draw_text_img(c, clock, strlen(clock), &f, canvas_w / 2);
    if (img->tex == NULL)
        return false;
    int pad_y = f.px / 5, margin = f.px / 2;
    *pad_x = f.px / 2;
    *radius = f.px / 3;
    /* Bottom-right: the top-right corner holds the last tile's state badge, which matters more. */
    int box_h = img->h + 2 * pad_y;
    *box = (grid_rect_t){canvas_w - margin - img->w - 2 * *pad_x, canvas_h - margin - box_h,
                         img->w + 2 * *pad_x, box_h};
    return true;
}

static void draw_corner_clock(render_ctx_t *c, const char *clock, int canvas_w, int canvas_h)
{
    render_text_img_t img;
    grid_rect_t box;
    int pad_x, radius;
    if (!corner_clock(c, clock, canvas_w, canvas_h, &img, &box, &pad_x, &radius))
        return;
    render_draw_rounded(c, box, radius, THEME_CLOCK_BOX);
    render_draw_img(c, &img, box.x + pad_x, box.y + box.h / 2, RENDER_ALIGN_LEFT);
}

grid_rect_t render_chrome_corner_box(render_ctx_t *c, const scene_t *s, int canvas_w,
                                     int canvas_h)
{
    render_text_img_t img;
    grid_rect_t box = {0, 0, 0, 0};
    int pad_x, radius;
    if ((s->title_rect.w > 0 && s->title_rect.h > 0) || s->clock == NULL || s->clock[0] == '\0' ||
        !corner_clock(c, s->clock, canvas_w, canvas_h, &img, &box, &pad_x, &radius))
        return (grid_rect_t){0, 0, 0, 0};
    return box;
}

void render_chrome_title(render_ctx_t *c, const scene_t *s, int canvas_w, int canvas_h)
{
    if (s->title_rect.w > 0 && s->title_rect.h > 0)
        draw_title_bar(c, s);
    else if (s->clock != NULL && s->clock[0] != '\0')
        draw_corner_clock(c, s->clock, canvas_w, canvas_h);
}

/* ---- panels -------------------------------------------------------------------------------- */

typedef struct {
    int pad, accent_h;
    int row_h;
    render_font_t title, body, key, value;
} panel_metrics_t;

static panel_metrics_t panel_metrics(const scene_panel_t *p)
{
    grid_rect_t r = p->rect;
    panel_metrics_t m;
    m.pad = render_draw_scale(r.w, DEFAULT_PANEL_PAD, DEFAULT_PANEL_PAD_MIN);
    m.accent_h = render_draw_scale(r.w, DEFAULT_PANEL_ACCENT_W, 2);
    /* A counters panel sizes its title like a dense text panel (render_panel.c draws the rest). */
    int n = p->counters != NULL ? DEFAULT_PANEL_COUNTERS_ROWS : p->n_lines > 0 ? p->n_lines : 1;
    /* As big as the width allows, unless the lines would not fit in the height. */
    int by_w = render_draw_scale(r.w, DEFAULT_PANEL_BODY_PX, DEFAULT_PANEL_BODY_MIN_PX);
    double rows = n * DEFAULT_PANEL_ROW_MIN + 2.5 * DEFAULT_PANEL_TITLE_SCALE;
    int by_h = (int)((r.h - 2 * m.pad - m.accent_h) / rows);
    int px = by_w < by_h ? by_w : by_h;
    px = px > DEFAULT_PANEL_BODY_MIN_PX ? px : DEFAULT_PANEL_BODY_MIN_PX;
    m.body = (render_font_t){px, RENDER_TEXT_REGULAR, THEME_PANEL_TEXT};
    m.key = (render_font_t){px, RENDER_TEXT_REGULAR, THEME_PANEL_KEY};
    m.value = (render_font_t){render_draw_scale(px, DEFAULT_PANEL_VALUE_SCALE, 1),
                              RENDER_TEXT_BOLD, THEME_PANEL_VALUE};
    m.title = (render_font_t){render_draw_scale(px, DEFAULT_PANEL_TITLE_SCALE, 1),
                              RENDER_TEXT_BOLD, THEME_PANEL_TITLE};
    m.row_h = render_draw_scale(px, DEFAULT_PANEL_ROW_MIN, 1);
    return m;
}

/* One body line in the row [x, x + w) centred on cy: "key\tvalue" or plain text. */
static void draw_row(render_ctx_t *c, const char *line, int x, int w, int cy,
                     const panel_metrics_t *m)
{
    size_t len = strlen(line);
    const char *tab = memchr(line, '\t', len);
    if (tab == NULL) {
        render_draw_text(c, line, len, &m->body, x, cy, w, RENDER_ALIGN_LEFT);
        return;
    }
    size_t key_len = (size_t)(tab - line);
    const char *value = tab + 1;
    int value_w = render_draw_text(c, value, len - key_len - 1, &m->value, x + w, cy, w / 2,
                                   RENDER_ALIGN_RIGHT);
    int gap = value_w > 0 ? m->pad / 2 : 0;
    render_draw_text(c, line, key_len, &m->key, x, cy, w - value_w - gap, RENDER_ALIGN_LEFT);
}

/* Draws the panel's title and returns the y where the body starts. */
static int draw_panel_title(render_ctx_t *c, const scene_panel_t *p, const panel_metrics_t *m)
{
    grid_rect_t r = p->rect;
    int y = r.y + m->accent_h + m->pad;
    if (p->title == NULL || p->title[0] == '\0')
        return y;
    int h = render_text_line_height(c->text, m->title.px, m->title.style);
    h = h > 0 ? h : m->title.px;
    render_draw_text(c, p->title, strlen(p->title), &m->title, r.x + m->pad, y + h / 2,
                     r.w - 2 * m->pad, RENDER_ALIGN_LEFT);
    y += h + m->pad / 2;
    render_draw_fill(c, (grid_rect_t){r.x + m->pad, y, r.w - 2 * m->pad, 1}, THEME_PANEL_RULE);
    return y + m->pad / 2;
}

static void draw_panel_body(render_ctx_t *c, const scene_panel_t *p, const panel_metrics_t *m,
                            int top)
{
    grid_rect_t r = p->rect;
    int avail = r.y + r.h - m->pad - top;
    if (p->lines == NULL || p->n_lines <= 0 || avail < m->row_h)
        return;
    int fit = avail / m->row_h;
    int shown = p->n_lines <= fit ? p->n_lines : fit;
    /* Spread the rows over the height, up to DEFAULT_PANEL_ROW_MAX body sizes each. */
    int row_h = avail / shown, row_max = render_draw_scale(m->body.px, DEFAULT_PANEL_ROW_MAX, 1);
    row_h = row_h < row_max ? row_h : row_max;
    int x = r.x + m->pad, w = r.w - 2 * m->pad;
    for (int i = 0; i < shown; i++) {
        int y = top + i * row_h;
        if (i > 0)
            render_draw_fill(c, (grid_rect_t){x, y, w, 1}, THEME_PANEL_RULE);
        bool more = i == shown - 1 && shown < p->n_lines;
        const char *line = more ? PANEL_MORE : p->lines[i] ? p->lines[i] : "";
        draw_row(c, line, x, w, y + row_h / 2, m);
    }
}

void render_chrome_panel(render_ctx_t *c, const scene_panel_t *p)
{
    grid_rect_t r = p->rect;
    if (r.w <= 0 || r.h <= 0)
        return;
    panel_metrics_t m = panel_metrics(p);
    render_draw_clip(c, &r);
    render_draw_fill(c, r, THEME_PANEL);
    render_draw_outline(c, r, 1, THEME_PANEL_BORDER);
    render_draw_fill(c, (grid_rect_t){r.x, r.y, r.w, m.accent_h}, THEME_ACCENT);
    int top = draw_panel_title(c, p, &m);
    if (p->counters != NULL)
        render_panel_counters(c, p, (grid_rect_t){r.x + m.pad, top, r.w - 2 * m.pad,
                                                  r.y + r.h - m.pad - top});
    else
        draw_panel_body(c, p, &m, top);
    render_draw_clip(c, NULL);
}

/* ---- banner -------------------------------------------------------------------------------- */

static int count_lines(const char *s)
{
    int n = 1;
    for (; *s; s++)
        n += *s == '\n';
    return n < DEFAULT_BANNER_MAX_LINES ? n : DEFAULT_BANNER_MAX_LINES;
}

void render_chrome_banner(render_ctx_t *c, const scene_t *s, int canvas_w, int canvas_h)
{
    if (s->banner == NULL || s->banner[0] == '\0')
        return;
    int px = render_draw_scale(canvas_h, DEFAULT_BANNER_PX, DEFAULT_BANNER_MIN_PX);
    int line_h = render_draw_scale(px, DEFAULT_BANNER_LINE, 1);
    int pad = px * 2 / 3, rule_h = render_draw_scale(px, 0.12, 2);
    int n = count_lines(s->banner);
    grid_rect_t band = {0, canvas_h - n * line_h - 2 * pad, canvas_w, n * line_h + 2 * pad};
    render_draw_fill(c, band, THEME_BANNER);
    render_draw_fill(c, (grid_rect_t){0, band.y, canvas_w, rule_h}, THEME_BANNER_RULE);
    const char *line = s->banner;
    for (int i = 0; i < n; i++) {
        const char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        render_font_t f = {px, i == 0 ? RENDER_TEXT_BOLD : RENDER_TEXT_REGULAR, THEME_BANNER_TEXT};
        int cy = band.y + pad + i * line_h + line_h / 2 + rule_h / 2;
        render_draw_text(c, line, len, &f, 2 * pad, cy, canvas_w - 4 * pad, RENDER_ALIGN_LEFT);
        if (nl == NULL)
            break;
        line = nl + 1;
    }
}
