/* render_timeline: the review window's timeline (see render_timeline.h). */
#include "render_timeline.h"

#include <string.h>

#include "render_theme.h"

#define DEFAULT_TL_PAD 0.04      /* of the timeline's width: left/right margin */
#define DEFAULT_TL_BAR_Y 0.45    /* bar's top, of the timeline's height */
#define DEFAULT_TL_BAR_H 0.12    /* of the timeline's height */
#define DEFAULT_TL_TIME_PX 0.22  /* big time line, of the timeline's height */
#define DEFAULT_TL_SMALL_PX 0.11 /* end times and hint */
#define THEME_TL_TRACK THEME_RGBA(0x1f, 0x2c, 0x48, 0xff)
#define THEME_TL_PLAYED THEME_RGBA(0x22, 0xd3, 0xee, 0xff)
#define THEME_TL_HEAD THEME_RGBA(0xff, 0xff, 0xff, 0xff)

grid_rect_t render_timeline_bar(const scene_timeline_t *t)
{
    grid_rect_t r = t->rect;
    int pad = render_draw_scale(r.w, DEFAULT_TL_PAD, 8);
    int h = render_draw_scale(r.h, DEFAULT_TL_BAR_H, 4);
    return (grid_rect_t){r.x + pad, r.y + (int)(r.h * DEFAULT_TL_BAR_Y), r.w - 2 * pad, h};
}

static int frac_x(grid_rect_t bar, double f)
{
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    return bar.x + (int)(f * bar.w + 0.5);
}

void render_timeline_draw(render_ctx_t *c, const scene_timeline_t *t)
{
    grid_rect_t r = t->rect;
    if (r.w <= 0 || r.h <= 0)
        return;
    render_draw_fill(c, r, THEME_PANEL);
    grid_rect_t bar = render_timeline_bar(t);
    render_draw_fill(c, bar, THEME_TL_TRACK);
    if (t->pos >= 0)
        render_draw_fill(c, (grid_rect_t){bar.x, bar.y, frac_x(bar, t->pos) - bar.x, bar.h},
                         THEME_TL_PLAYED);
    render_font_t big = {render_draw_scale(r.h, DEFAULT_TL_TIME_PX, 14), RENDER_TEXT_BOLD,
                         THEME_TITLE_TEXT};
    render_font_t small = {render_draw_scale(r.h, DEFAULT_TL_SMALL_PX, 11), RENDER_TEXT_REGULAR,
                           THEME_PANEL_KEY};
    if (t->mark >= 0) { /* a red tick through the bar, "M" above it */
        int x = frac_x(bar, t->mark), w = render_draw_scale(bar.h, 0.5, 3);
        render_draw_fill(c, (grid_rect_t){x - w / 2, bar.y - bar.h, w, bar.h * 3}, THEME_ALARM);
        render_font_t m = {small.px, RENDER_TEXT_BOLD, THEME_ALARM};
        render_draw_text(c, "M", 1, &m, x, bar.y - bar.h - small.px * 2 / 3, 0,
                         RENDER_ALIGN_CENTRE);
    }
    if (t->pos >= 0) { /* the playhead: a white knob */
        int x = frac_x(bar, t->pos), k = bar.h * 2;
        render_draw_rounded(c, (grid_rect_t){x - k / 2, bar.y + bar.h / 2 - k / 2, k, k}, k / 2,
                            THEME_TL_HEAD);
    }
    int top = r.y + (bar.y - bar.h - r.y) / 2;
    if (t->centre != NULL)
        render_draw_text(c, t->centre, strlen(t->centre), &big, r.x + r.w / 2, top, r.w,
                         RENDER_ALIGN_CENTRE);
    int under = bar.y + bar.h + small.px;
    if (t->left != NULL)
        render_draw_text(c, t->left, strlen(t->left), &small, bar.x, under, r.w / 3,
                         RENDER_ALIGN_LEFT);
    if (t->right != NULL)
        render_draw_text(c, t->right, strlen(t->right), &small, bar.x + bar.w, under, r.w / 3,
                         RENDER_ALIGN_RIGHT);
    if (t->hint != NULL)
        render_draw_text(c, t->hint, strlen(t->hint), &small, r.x + r.w / 2,
                         r.y + r.h - small.px * 4 / 5, r.w - 2 * (bar.x - r.x), RENDER_ALIGN_CENTRE);
}
