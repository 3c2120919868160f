/* render_tile: one camera tile (see render_tile.h). */
#include "render_tile.h"

#include <string.h>

#include "render_theme.h"

/* Sizes of one tile's parts, from its size unit (see tile_unit). */
typedef struct {
    int unit;
    int pad;
    int band_h;
    int status_w;
    render_font_t label, badge, headline, detail;
} tile_metrics_t;

static scene_severity_t severity(const scene_tile_t *t)
{
    return t->severity <= SCENE_SEVERITY_ERROR ? t->severity : SCENE_SEVERITY_ERROR;
}

static SDL_Color badge_colour(scene_severity_t s)
{
    static const SDL_Color colours[] = {THEME_BADGE_OK, THEME_BADGE_INFO, THEME_BADGE_WARN,
                                        THEME_BADGE_ERROR};
    return colours[s];
}

static SDL_Color headline_colour(scene_severity_t s)
{
    static const SDL_Color colours[] = {THEME_HEADLINE_OK, THEME_HEADLINE_INFO,
                                        THEME_HEADLINE_WARN, THEME_HEADLINE_ERROR};
    return colours[s];
}

/* The tile's height, or less for a tile narrower than 4:3, so text sized from it fits. */
static int tile_unit(grid_rect_t r)
{
    return r.w * 3 / 4 < r.h ? r.w * 3 / 4 : r.h;
}

static tile_metrics_t metrics(const scene_tile_t *t)
{
    int u = tile_unit(t->rect);
    tile_metrics_t m;
    m.unit = u;
    m.pad = render_draw_scale(u, DEFAULT_TILE_PAD, DEFAULT_TILE_PAD_MIN);
    m.label = (render_font_t){
        render_draw_scale(u, DEFAULT_TILE_LABEL_PX, DEFAULT_TILE_LABEL_MIN_PX), RENDER_TEXT_BOLD,
        THEME_LABEL_TEXT};
    m.band_h = render_draw_scale(m.label.px, DEFAULT_TILE_BAND, 1);
    m.status_w = render_draw_scale(u, DEFAULT_TILE_STATUS_BAR, 3);
    m.badge = (render_font_t){
        render_draw_scale(u, DEFAULT_TILE_BADGE_PX, DEFAULT_TILE_BADGE_MIN_PX), RENDER_TEXT_BOLD,
        THEME_BADGE_TEXT};
    m.headline = (render_font_t){
        render_draw_scale(u, DEFAULT_TILE_HEADLINE_PX, DEFAULT_TILE_HEADLINE_MIN_PX),
        RENDER_TEXT_BOLD, headline_colour(severity(t))};
    m.detail = (render_font_t){
        render_draw_scale(u, DEFAULT_TILE_DETAIL_PX, DEFAULT_TILE_DETAIL_MIN_PX),
        RENDER_TEXT_REGULAR, THEME_DETAIL_TEXT};
    return m;
}

/* Black bars: the parts of r that dst (the picture) leaves uncovered. */
static void draw_bars(render_ctx_t *c, grid_rect_t r, grid_rect_t d)
{
    grid_rect_t bars[4] = {
        {r.x, r.y, r.w, d.y - r.y},
        {r.x, d.y + d.h, r.w, r.y + r.h - (d.y + d.h)},
        {r.x, d.y, d.x - r.x, d.h},
        {d.x + d.w, d.y, r.x + r.w - (d.x + d.w), d.h},
    };
    for (int i = 0; i < 4; i++)
        render_draw_fill(c, bars[i], THEME_LETTERBOX);
}

/* A picture within a few pixels of its place (an even-sized frame in an odd-sized tile) is
 * drawn 1:1, centred: a scaled software blit costs several times a straight copy. */
static void snap_native(grid_rect_t src, grid_rect_t *dst)
{
    int dw = dst->w - src.w, dh = dst->h - src.h;
    if (dw < 0 || dh < 0 || dw > DEFAULT_TILE_SNAP_PX || dh > DEFAULT_TILE_SNAP_PX)
        return;
    *dst = (grid_rect_t){dst->x + dw / 2, dst->y + dh / 2, src.w, src.h};
}

/* Returns false when the tile has no picture to show. */
static bool draw_picture(render_ctx_t *c, render_video_t *v, const scene_tile_t *t, unsigned gen)
{
    SDL_Texture *tex = NULL;
    int rc = render_video_texture(v, t, gen, &tex);
    render_draw_check(c, rc < 0 ? -1 : 0, "video texture");
    grid_rect_t src, dst;
    if (rc <= 0 || !grid_fit_rect(t->frame_w, t->frame_h, t->rect, t->fit, &src, &dst))
        return false;
    snap_native(src, &dst);
    draw_bars(c, t->rect, dst);
    SDL_Rect s = {src.x, src.y, src.w, src.h}, d = {dst.x, dst.y, dst.w, dst.h};
    render_draw_check(c, SDL_RenderCopy(c->sdl, tex, &s, &d), "video copy");
    if (t->dim) /* a black shade, not a colour mod: the software blitter has a fast path for it */
        render_draw_fill(c, dst, THEME_RGBA(0, 0, 0, 255 - DEFAULT_DIM_MOD));
    return true;
}

/* No picture: slate background with viewfinder brackets around the middle. */
static void draw_empty(render_ctx_t *c, const scene_tile_t *t, const tile_metrics_t *m)
{
    grid_rect_t r = t->rect;
    render_draw_fill(c, r, THEME_TILE_EMPTY);
    int u = m->unit;
    int len = render_draw_scale(u, DEFAULT_TILE_MARK_LEN, 6);
    int th = render_draw_scale(u, DEFAULT_TILE_MARK_W, 2);
    int area_h = r.h - m->band_h;
    grid_rect_t box = {r.x + r.w / 6, r.y + area_h / 6, r.w - r.w / 3, area_h - area_h / 3};
    int x0 = box.x, x1 = box.x + box.w - len, y0 = box.y, y1 = box.y + box.h - len;
    grid_rect_t marks[8] = {
        {x0, y0, len, th}, {x0, y0, th, len},                     /* top left */
        {x1, y0, len, th}, {x1 + len - th, y0, th, len},          /* top right */
        {x0, y1 + len - th, len, th}, {x0, y1, th, len},          /* bottom left */
        {x1, y1 + len - th, len, th}, {x1 + len - th, y1, th, len}, /* bottom right */
    };
    for (int i = 0; i < 8; i++)
        render_draw_fill(c, marks[i], THEME_TILE_MARKS);
}

/* Top-right pill in the severity colour; a live tile gets a white dot before the text.
 * Returns the y below it (the tile's top when there is no badge). */
static int draw_badge(render_ctx_t *c, const scene_tile_t *t, const tile_metrics_t *m)
{
    grid_rect_t r = t->rect;
    if (t->badge == NULL || t->badge[0] == '\0')
        return r.y;
    int pill_h = render_draw_scale(m->badge.px, 1.65, 1);
    int dot = severity(t) == SCENE_SEVERITY_OK ? render_draw_scale(m->badge.px, 0.5, 4) : 0;
    int gap = dot ? dot * 3 / 4 : 0;
    int max_w = r.w - 2 * m->pad - pill_h - dot - gap;
    render_text_img_t img = render_draw_text_img(c, t->badge, strlen(t->badge), &m->badge, max_w);
    if (img.tex == NULL)
        return r.y;
    int pill_w = img.w + pill_h + dot + gap;
    grid_rect_t pill = {r.x + r.w - m->pad - pill_w, r.y + m->pad, pill_w, pill_h};
    render_draw_rounded(c, pill, pill_h / 2, badge_colour(severity(t)));
    int x = pill.x + pill_h / 2, cy = pill.y + pill.h / 2;
    if (dot)
        render_draw_rounded(c, (grid_rect_t){x, cy - dot / 2, dot, dot}, dot / 2, THEME_BADGE_TEXT);
    render_draw_img(c, &img, x + dot + gap, cy, RENDER_ALIGN_LEFT);
    return pill.y + pill.h;
}

/* The headline box's content: headline over up to two detail lines (the detail text split at
 * its first '\n'), any of them may be missing. */
typedef struct {
    render_text_img_t hl, dt, dt2;
    int gap, w, h;
} headline_t;

static void headline_size(headline_t *b, const tile_metrics_t *m)
{
    int hl_h = b->hl.tex ? b->hl.h : 0, dt_h = b->dt.tex ? b->dt.h : 0;
    int dt2_h = b->dt2.tex ? b->dt2.h : 0;
    b->gap = b->hl.tex && b->dt.tex ? render_draw_scale(m->detail.px, 0.3, 1) : 0;
    b->w = b->hl.w > b->dt.w ? b->hl.w : b->dt.w;
    b->w = b->dt2.w > b->w ? b->dt2.w : b->w;
    b->h = hl_h + b->gap + dt_h + dt2_h;
}

static void headline_drop(render_text_img_t *img)
{
    img->tex = NULL;
    img->w = 0;
}

/* Centred over the picture, kept between the badge (above free_top) and the label band. On a
 * tile too small for both, the detail line is left out first, then the box may cover the badge. */
static void draw_headline(render_ctx_t *c, const scene_tile_t *t, const tile_metrics_t *m,
                          int free_top)
{
    grid_rect_t r = t->rect;
    int pad_x = render_draw_scale(m->headline.px, 0.7, 4);
    int pad_y = render_draw_scale(m->headline.px, 0.38, 3);
    int max_w = r.w - 2 * m->pad - 2 * pad_x;
    const char *hs = t->headline ? t->headline : "", *ds = t->detail ? t->detail : "";
    const char *nl = strchr(ds, '\n');
    size_t d1 = nl ? (size_t)(nl - ds) : strlen(ds);
    const char *ds2 = nl ? nl + 1 : "";
    headline_t b = {.hl = render_draw_text_img(c, hs, strlen(hs), &m->headline, max_w),
                    .dt = render_draw_text_img(c, ds, d1, &m->detail, max_w),
                    .dt2 = render_draw_text_img(c, ds2, strlen(ds2), &m->detail, max_w)};
    headline_size(&b, m);
    if (b.h == 0)
        return;
    int bottom = r.y + r.h - (t->label != NULL && t->label[0] ? m->band_h : 0);
    free_top += m->pad / 2;
    if (b.h + 2 * pad_y > bottom - free_top && b.dt2.tex != NULL) {
        headline_drop(&b.dt2);
        headline_size(&b, m);
    }
    if (b.h + 2 * pad_y > bottom - free_top && b.hl.tex != NULL && b.dt.tex != NULL) {
        headline_drop(&b.dt);
        headline_size(&b, m);
    }
    grid_rect_t box = {r.x + (r.w - b.w) / 2 - pad_x, 0, b.w + 2 * pad_x, b.h + 2 * pad_y};
    box.y = r.y + (bottom - r.y - box.h) / 2;
    box.y = box.y + box.h > bottom ? bottom - box.h : box.y;
    box.y = box.y < free_top && free_top + box.h <= bottom ? free_top : box.y;
    render_draw_rounded(c, box, m->pad / 2, THEME_HEADLINE_BOX);
    int cx = r.x + r.w / 2, top = box.y + pad_y, hl_h = b.hl.tex ? b.hl.h : 0;
    render_draw_img(c, &b.hl, cx, top + hl_h / 2, RENDER_ALIGN_CENTRE);
    int dt_h = b.dt.tex ? b.dt.h : 0;
    render_draw_img(c, &b.dt, cx, top + hl_h + b.gap + dt_h / 2, RENDER_ALIGN_CENTRE);
    render_draw_img(c, &b.dt2, cx, top + hl_h + b.gap + dt_h + b.dt2.h / 2, RENDER_ALIGN_CENTRE);
}

static void draw_label(render_ctx_t *c, const scene_tile_t *t, const tile_metrics_t *m)
{
    if (t->label == NULL || t->label[0] == '\0')
        return;
    grid_rect_t r = t->rect;
    grid_rect_t band = {r.x, r.y + r.h - m->band_h, r.w, m->band_h};
    render_draw_fill(c, band, THEME_LABEL_BAND);
    render_draw_fill(c, (grid_rect_t){band.x, band.y, m->status_w, band.h},
                     badge_colour(severity(t)));
    int x = band.x + m->status_w + m->pad;
    render_draw_text(c, t->label, strlen(t->label), &m->label, x, band.y + band.h / 2,
                     band.x + band.w - m->pad - x, RENDER_ALIGN_LEFT);
}

static void draw_borders(render_ctx_t *c, const scene_tile_t *t, const tile_metrics_t *m)
{
    render_draw_outline(c, t->rect, 1, THEME_TILE_BORDER);
    if (!t->highlight)
        return;
    int w = render_draw_scale(m->unit, DEFAULT_TILE_HIGHLIGHT_W, DEFAULT_TILE_HIGHLIGHT_MIN);
    w = w < DEFAULT_TILE_HIGHLIGHT_MAX ? w : DEFAULT_TILE_HIGHLIGHT_MAX;
    render_draw_outline(c, t->rect, w, THEME_HIGHLIGHT);
}

/* A flagged camera: a red strip with the alarm text across the top and a thick border that
 * blinks (t->alarm_on), so it is seen from across the room until acknowledged. */
static void draw_alarm(render_ctx_t *c, const scene_tile_t *t, const tile_metrics_t *m)
{
    if (t->alarm == NULL)
        return;
    int w = render_draw_scale(m->unit, DEFAULT_TILE_HIGHLIGHT_W, DEFAULT_TILE_HIGHLIGHT_MIN) * 2;
    w = w < 2 * DEFAULT_TILE_HIGHLIGHT_MAX ? w : 2 * DEFAULT_TILE_HIGHLIGHT_MAX;
    grid_rect_t r = t->rect;
    grid_rect_t strip = {r.x, r.y, r.w, m->band_h};
    render_draw_fill(c, strip, THEME_ALARM);
    render_draw_text(c, t->alarm, strlen(t->alarm), &m->label, r.x + w + m->pad,
                     strip.y + strip.h / 2, r.w - 2 * (w + m->pad), RENDER_ALIGN_LEFT);
    render_draw_outline(c, r, w, t->alarm_on ? THEME_ALARM : THEME_ALARM_DIM);
}

void render_tile_draw(render_ctx_t *c, render_video_t *v, const scene_tile_t *t, unsigned gen)
{
    if (t->rect.w <= 0 || t->rect.h <= 0)
        return;
    tile_metrics_t m = metrics(t);
    render_draw_clip(c, &t->rect);
    if (!draw_picture(c, v, t, gen))
        draw_empty(c, t, &m);
    int below_badge = draw_badge(c, t, &m);
    draw_headline(c, t, &m, below_badge);
    draw_label(c, t, &m);
    draw_borders(c, t, &m);
    draw_alarm(c, t, &m);
    render_draw_clip(c, NULL);
}
