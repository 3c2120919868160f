/* grid: pure wall geometry (see grid.h). */
#include "grid.h"

#include <stdlib.h>
#include <string.h>

#define GRID_MIN_CELL 8
#define GRID_TITLE_DIVISOR 20
#define GRID_TITLE_MIN 24

int grid_title_height(int canvas_h, bool has_title)
{
    if (!has_title || canvas_h <= 0)
        return 0;
    int h = canvas_h / GRID_TITLE_DIVISOR;
    return h < GRID_TITLE_MIN ? GRID_TITLE_MIN : h;
}

bool grid_init(grid_t *g, int canvas_w, int canvas_h, bool has_title, int cols, int rows, int gap)
{
    memset(g, 0, sizeof *g);
    if (canvas_w <= 0 || canvas_h <= 0 || cols <= 0 || rows <= 0 || gap < 0)
        return false;
    int title_h = grid_title_height(canvas_h, has_title);
    /* 64-bit: hostile cols, rows or gap must not overflow into a "valid" grid. */
    long long avail_w = canvas_w - (long long)gap * (cols + 1LL);
    long long avail_h = canvas_h - title_h - (long long)gap * (rows + 1LL);
    if (avail_w < (long long)cols * GRID_MIN_CELL || avail_h < (long long)rows * GRID_MIN_CELL)
        return false;
    *g = (grid_t){canvas_w, canvas_h, title_h, cols, rows, gap};
    return true;
}

/* Start of cell i of n along an axis of `avail` pixels (after the leading gap). */
static int cell_start(int avail, int n, int i, int gap)
{
    int base = avail / n, extra = avail % n;
    int before = i * base + (i < extra ? i : extra);
    return gap + i * gap + before;
}

static int cell_size(int avail, int n, int i)
{
    return avail / n + (i < avail % n ? 1 : 0);
}

grid_rect_t grid_cell_rect(const grid_t *g, int col, int row, int span_cols, int span_rows)
{
    grid_rect_t r = {0, 0, 0, 0};
    if (g == NULL || g->cols <= 0 || col < 0 || row < 0 || span_cols < 1 || span_rows < 1 ||
        col >= g->cols || row >= g->rows || span_cols > g->cols - col ||
        span_rows > g->rows - row) /* subtractions: col + span could overflow */
        return r;
    int avail_w = g->canvas_w - g->gap * (g->cols + 1);
    int avail_h = g->canvas_h - g->title_h - g->gap * (g->rows + 1);
    int last_c = col + span_cols - 1, last_r = row + span_rows - 1;
    r.x = cell_start(avail_w, g->cols, col, g->gap);
    r.y = g->title_h + cell_start(avail_h, g->rows, row, g->gap);
    r.w = cell_start(avail_w, g->cols, last_c, g->gap) + cell_size(avail_w, g->cols, last_c) - r.x;
    r.h = g->title_h + cell_start(avail_h, g->rows, last_r, g->gap) +
          cell_size(avail_h, g->rows, last_r) - r.y;
    return r;
}

grid_rect_t grid_title_rect(const grid_t *g)
{
    grid_rect_t r = {0, 0, 0, 0};
    if (g != NULL && g->title_h > 0)
        r = (grid_rect_t){0, 0, g->canvas_w, g->title_h};
    return r;
}

bool grid_fit_rect(int src_w, int src_h, grid_rect_t dst, grid_fit_t fit, grid_rect_t *out_src,
                   grid_rect_t *out_dst)
{
    grid_rect_t zero = {0, 0, 0, 0};
    *out_src = zero;
    *out_dst = zero;
    if (src_w <= 0 || src_h <= 0 || dst.w <= 0 || dst.h <= 0)
        return false;
    *out_src = (grid_rect_t){0, 0, src_w, src_h};
    *out_dst = dst;
    /* Compare aspects exactly in 64-bit: src_w/src_h vs dst.w/dst.h. */
    long long lhs = (long long)src_w * dst.h, rhs = (long long)dst.w * src_h;
    if (fit == GRID_FIT_STRETCH || lhs == rhs)
        return true;
    if (fit == GRID_FIT_LETTERBOX) {
        if (lhs > rhs) { /* wider picture: bars top and bottom */
            int h = (int)(((long long)dst.w * src_h + src_w / 2) / src_w);
            out_dst->y = dst.y + (dst.h - h) / 2;
            out_dst->h = h;
        } else {
            int w = (int)(((long long)dst.h * src_w + src_h / 2) / src_h);
            out_dst->x = dst.x + (dst.w - w) / 2;
            out_dst->w = w;
        }
    } else { /* crop: keep the centre of the picture */
        if (lhs > rhs) {
            int w = (int)(((long long)src_h * dst.w + dst.h / 2) / dst.h);
            out_src->x = (src_w - w) / 2;
            out_src->w = w;
        } else {
            int h = (int)(((long long)src_w * dst.h + dst.w / 2) / dst.w);
            out_src->y = (src_h - h) / 2;
            out_src->h = h;
        }
    }
    return true;
}

void grid_even_size(int *w, int *h)
{
    *w &= ~1;
    *h &= ~1;
    if (*w < 2)
        *w = 2;
    if (*h < 2)
        *h = 2;
}

int grid_hit(const grid_rect_t *rects, int n, int x, int y)
{
    for (int i = 0; i < n; i++) {
        const grid_rect_t *r = &rects[i];
        if (x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h)
            return i;
    }
    return -1;
}

static int grid_cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

#define GRID_UNCOVERED_MAX_RECTS 256 /* larger inputs: -1 (caller clears everything) */

/* Appends the gap [x0, x1) x [y0, y1) to out, or grows the gap above it that has the same
 * columns and ends at y0. Returns the new count or -1 when full. */
static int grid_add_gap(grid_rect_t *out, int k, int cap, int x0, int x1, int y0, int y1)
{
    for (int i = 0; i < k; i++)
        if (out[i].x == x0 && out[i].w == x1 - x0 && out[i].y + out[i].h == y0) {
            out[i].h = y1 - out[i].y;
            return k;
        }
    if (k >= cap)
        return -1;
    out[k] = (grid_rect_t){x0, y0, x1 - x0, y1 - y0};
    return k + 1;
}

int grid_uncovered(const grid_rect_t *rects, int n, grid_rect_t area, grid_rect_t *out, int cap)
{
    if (n < 0 || n > GRID_UNCOVERED_MAX_RECTS || (n > 0 && rects == NULL) || out == NULL ||
        cap < 0 || area.w < 0 || area.h < 0)
        return -1;
    if (area.w == 0 || area.h == 0)
        return 0;
    int ys[2 * GRID_UNCOVERED_MAX_RECTS + 2], xs[2 * GRID_UNCOVERED_MAX_RECTS];
    int ny = 0;
    ys[ny++] = area.y;
    ys[ny++] = area.y + area.h;
    for (int i = 0; i < n; i++) {
        const grid_rect_t *r = &rects[i];
        if (r->w <= 0 || r->h <= 0)
            continue;
        int y0 = r->y, y1 = r->y + r->h;
        if (y0 > area.y && y0 < area.y + area.h)
            ys[ny++] = y0;
        if (y1 > area.y && y1 < area.y + area.h)
            ys[ny++] = y1;
    }
    qsort(ys, (size_t)ny, sizeof ys[0], grid_cmp_int);
    int k = 0;
    for (int b = 0; b + 1 < ny; b++) {
        int y0 = ys[b], y1 = ys[b + 1];
        if (y0 == y1)
            continue;
        /* Intervals of the rects spanning this band, as (start, end) pairs sorted by start. */
        int nx = 0;
        for (int i = 0; i < n; i++) {
            const grid_rect_t *r = &rects[i];
            if (r->w <= 0 || r->h <= 0 || r->y > y0 || r->y + r->h < y1)
                continue;
            xs[nx++] = r->x;
            xs[nx++] = r->x + r->w;
        }
        qsort(xs, (size_t)nx / 2, 2 * sizeof xs[0], grid_cmp_int);
        int cur = area.x, end = area.x + area.w;
        for (int i = 0; i < nx && cur < end; i += 2) {
            if (xs[i] > cur && (k = grid_add_gap(out, k, cap, cur,
                                                 xs[i] < end ? xs[i] : end, y0, y1)) < 0)
                return -1;
            cur = xs[i + 1] > cur ? xs[i + 1] : cur;
        }
        if (cur < end && (k = grid_add_gap(out, k, cap, cur, end, y0, y1)) < 0)
            return -1;
    }
    return k;
}
