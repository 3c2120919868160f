/* test_grid: wall geometry (common/grid.h). For many canvases and grids the cells must tile the
 * area exactly: gaps where they belong, no overlap, no pixel column or row lost, sizes within
 * one pixel. Then spans, the title bar, fit rectangles with exact values, even sizes, hit tests
 * and invalid or hostile input. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "grid.h"

static void assert_rect(grid_rect_t r, int x, int y, int w, int h)
{
    if (r.x != x || r.y != y || r.w != w || r.h != h)
        fail_msg("rect {%d,%d,%d,%d}, want {%d,%d,%d,%d}", r.x, r.y, r.w, r.h, x, y, w, h);
}

static bool rect_empty(grid_rect_t r)
{
    return r.w == 0 && r.h == 0;
}

static void test_title_height(void **state)
{
    (void)state;
    static const struct {
        int canvas_h;
        bool has_title;
        int want;
    } t[] = {
        {1080, true, 54}, {1080, false, 0}, {2160, true, 108}, {720, true, 36}, {480, true, 24},
        {100, true, 24},  {1, true, 24},    {0, true, 0},      {-5, true, 0},   {499, true, 24},
        {500, true, 25},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
        assert_int_equal(grid_title_height(t[i].canvas_h, t[i].has_title), t[i].want);
}

static void test_init_invalid(void **state)
{
    (void)state;
    static const struct {
        int w, h;
        bool title;
        int cols, rows, gap;
    } t[] = {
        {0, 1080, false, 4, 3, 4},    {1920, 0, false, 4, 3, 4},    {-1, 1080, false, 4, 3, 4},
        {1920, 1080, false, 0, 3, 4}, {1920, 1080, false, 4, 0, 4}, {1920, 1080, false, -4, 3, 4},
        {1920, 1080, false, 4, 3, -1},
        /* cells under 8 px: 4 columns need 4 * 8 + 5 * 4 = 52 px, 3 rows 3 * 8 + 4 * 4 = 40 */
        {51, 1080, false, 4, 3, 4},   {1920, 39, false, 4, 3, 4},
        /* the title bar (24 px at this height) tips it over: 3 rows need 3 * 8 + 4 * 4 = 40 */
        {1920, 63, true, 4, 3, 4},
        /* hostile sizes must not overflow */
        {INT_MAX, INT_MAX, false, INT_MAX, INT_MAX, 4},
        {INT_MAX, INT_MAX, true, 16, 16, INT_MAX},
        {INT_MAX, INT_MAX, false, INT_MAX / 8 + 1, 1, 0},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        grid_t g;
        memset(&g, 0x55, sizeof g);
        if (grid_init(&g, t[i].w, t[i].h, t[i].title, t[i].cols, t[i].rows, t[i].gap))
            fail_msg("case %zu accepted", i);
        grid_t zero;
        memset(&zero, 0, sizeof zero);
        assert_memory_equal(&g, &zero, sizeof g);
    }
    /* Exactly at the limit is fine. */
    grid_t g;
    assert_true(grid_init(&g, 52, 40, false, 4, 3, 4));
    assert_true(grid_init(&g, 1920, 64, true, 4, 3, 4));
    assert_int_equal(g.title_h, 24);
    assert_true(grid_init(&g, 8, 8, false, 1, 1, 0));
}

/* Checks that the cells of g tile its area: along each axis consecutive cells are separated by
 * exactly gap, the first starts after a gap, the last ends a gap before the edge, sizes differ
 * by at most one with the larger ones first, and the sizes add up to the available space. */
static void check_tiling(const grid_t *g)
{
    int top = g->title_h;
    int sum_w = 0, sum_h = 0;
    for (int r = 0; r < g->rows; r++) {
        for (int c = 0; c < g->cols; c++) {
            grid_rect_t cell = grid_cell_rect(g, c, r, 1, 1);
            assert_true(cell.w >= 8 && cell.h >= 8);
            if (c == 0)
                assert_int_equal(cell.x, g->gap);
            else {
                grid_rect_t left = grid_cell_rect(g, c - 1, r, 1, 1);
                assert_int_equal(cell.x, left.x + left.w + g->gap);
                assert_true(cell.w == left.w || cell.w == left.w - 1);
                assert_int_equal(cell.y, left.y);
                assert_int_equal(cell.h, left.h);
            }
            if (r == 0)
                assert_int_equal(cell.y, top + g->gap);
            else {
                grid_rect_t up = grid_cell_rect(g, c, r - 1, 1, 1);
                assert_int_equal(cell.y, up.y + up.h + g->gap);
                assert_true(cell.h == up.h || cell.h == up.h - 1);
            }
            if (c == g->cols - 1)
                assert_int_equal(cell.x + cell.w, g->canvas_w - g->gap);
            if (r == g->rows - 1)
                assert_int_equal(cell.y + cell.h, g->canvas_h - g->gap);
            if (r == 0)
                sum_w += cell.w;
            if (c == 0)
                sum_h += cell.h;
        }
    }
    assert_int_equal(sum_w, g->canvas_w - g->gap * (g->cols + 1));
    assert_int_equal(sum_h, g->canvas_h - top - g->gap * (g->rows + 1));
}

/* A span covers its cells and the gaps between them: the bounding box of its corner cells. */
static void check_spans(const grid_t *g)
{
    for (int r = 0; r < g->rows; r++)
        for (int c = 0; c < g->cols; c++)
            for (int sr = 1; r + sr <= g->rows; sr++)
                for (int sc = 1; c + sc <= g->cols; sc++) {
                    grid_rect_t a = grid_cell_rect(g, c, r, 1, 1);
                    grid_rect_t z = grid_cell_rect(g, c + sc - 1, r + sr - 1, 1, 1);
                    grid_rect_t s = grid_cell_rect(g, c, r, sc, sr);
                    assert_rect(s, a.x, a.y, z.x + z.w - a.x, z.y + z.h - a.y);
                }
}

static void test_tiling_many_grids(void **state)
{
    (void)state;
    static const int canvases[][2] = {
        {1920, 1080}, {1921, 1081}, {3840, 2160}, {1280, 720}, {1366, 768}, {1000, 999},
        {160, 160},   {7680, 4320}, {333, 777},
    };
    static const int gaps[] = {0, 1, 4, 7, 64};
    int checked = 0;
    for (size_t ci = 0; ci < sizeof canvases / sizeof canvases[0]; ci++)
        for (size_t gi = 0; gi < sizeof gaps / sizeof gaps[0]; gi++)
            for (int title = 0; title <= 1; title++)
                for (int cols = 1; cols <= 16; cols++)
                    for (int rows = 1; rows <= 16; rows++) {
                        grid_t g;
                        if (!grid_init(&g, canvases[ci][0], canvases[ci][1], title, cols, rows,
                                       gaps[gi]))
                            continue;
                        assert_int_equal(g.title_h, grid_title_height(canvases[ci][1], title));
                        check_tiling(&g);
                        if (cols <= 6 && rows <= 6)
                            check_spans(&g);
                        checked++;
                    }
    assert_true(checked > 2000);
}

static void test_exact_cells(void **state)
{
    (void)state;
    grid_t g;
    /* 1920 - 5 * 4 = 1900 = 4 * 475; 1080 - 54 - 4 * 4 = 1010 = 3 * 336 + 2 */
    assert_true(grid_init(&g, 1920, 1080, true, 4, 3, 4));
    assert_rect(grid_cell_rect(&g, 0, 0, 1, 1), 4, 58, 475, 337);
    assert_rect(grid_cell_rect(&g, 1, 1, 1, 1), 483, 399, 475, 337);
    assert_rect(grid_cell_rect(&g, 3, 2, 1, 1), 1441, 740, 475, 336);
    assert_rect(grid_cell_rect(&g, 0, 0, 2, 2), 4, 58, 954, 678);
    assert_rect(grid_cell_rect(&g, 3, 0, 1, 3), 1441, 58, 475, 1018);
    assert_rect(grid_cell_rect(&g, 0, 0, 4, 3), 4, 58, 1912, 1018);
    assert_rect(grid_title_rect(&g), 0, 0, 1920, 54);
    /* No gap, no title: 1921 = 3 * 640 + 1, the first column takes the extra pixel. */
    assert_true(grid_init(&g, 1921, 1080, false, 3, 2, 0));
    assert_rect(grid_cell_rect(&g, 0, 0, 1, 1), 0, 0, 641, 540);
    assert_rect(grid_cell_rect(&g, 1, 1, 1, 1), 641, 540, 640, 540);
    assert_rect(grid_cell_rect(&g, 2, 0, 1, 1), 1281, 0, 640, 540);
    assert_rect(grid_title_rect(&g), 0, 0, 0, 0);
}

static void test_cell_rect_invalid(void **state)
{
    (void)state;
    grid_t g;
    assert_true(grid_init(&g, 1920, 1080, false, 4, 3, 4));
    static const int t[][4] = {
        {-1, 0, 1, 1}, {0, -1, 1, 1}, {4, 0, 1, 1},       {0, 3, 1, 1},       {0, 0, 0, 1},
        {0, 0, 1, 0},  {3, 0, 2, 1},  {0, 2, 1, 2},       {1, 0, INT_MAX, 1}, {0, 1, 1, INT_MAX},
        {INT_MAX, 0, 1, 1}, {0, INT_MAX, 1, 1}, {INT_MIN, 0, 1, 1}, {0, 0, INT_MIN, 1},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        grid_rect_t r = grid_cell_rect(&g, t[i][0], t[i][1], t[i][2], t[i][3]);
        if (!rect_empty(r))
            fail_msg("case %zu gave {%d,%d,%d,%d}", i, r.x, r.y, r.w, r.h);
    }
    assert_true(rect_empty(grid_cell_rect(NULL, 0, 0, 1, 1)));
    grid_t zero;
    memset(&zero, 0, sizeof zero);
    assert_true(rect_empty(grid_cell_rect(&zero, 0, 0, 1, 1)));
    assert_true(rect_empty(grid_title_rect(NULL)));
    assert_true(rect_empty(grid_title_rect(&zero)));
}

typedef struct {
    int src_w, src_h;
    grid_rect_t dst;
    grid_fit_t fit;
    grid_rect_t want_src, want_dst;
} fit_case_t;

static const fit_case_t fits[] = {
    /* same aspect: whole picture, whole tile, whatever the mode */
    {1920, 1080, {10, 20, 480, 270}, GRID_FIT_LETTERBOX, {0, 0, 1920, 1080}, {10, 20, 480, 270}},
    {1920, 1080, {10, 20, 480, 270}, GRID_FIT_CROP, {0, 0, 1920, 1080}, {10, 20, 480, 270}},
    /* letterbox a wide picture: bars top and bottom; 400 * 1080 / 1920 = 225 */
    {1920, 1080, {0, 0, 400, 400}, GRID_FIT_LETTERBOX, {0, 0, 1920, 1080}, {0, 87, 400, 225}},
    /* letterbox 4:3 into a 474x354 tile: 354 * 4 / 3 = 472, bars of 1 px left and right */
    {640, 480, {100, 50, 474, 354}, GRID_FIT_LETTERBOX, {0, 0, 640, 480}, {101, 50, 472, 354}},
    /* letterbox a tall picture */
    {1080, 1920, {0, 0, 1920, 1080}, GRID_FIT_LETTERBOX, {0, 0, 1080, 1920}, {656, 0, 608, 1080}},
    /* crop a wide picture into a square: the centre 1080x1080 */
    {1920, 1080, {5, 6, 400, 400}, GRID_FIT_CROP, {420, 0, 1080, 1080}, {5, 6, 400, 400}},
    /* crop 4:3 into 474x354: 640 * 354 / 474 = 478, one row off top and bottom */
    {640, 480, {0, 0, 474, 354}, GRID_FIT_CROP, {0, 1, 640, 478}, {0, 0, 474, 354}},
    /* crop a tall picture into a wide tile */
    {1080, 1920, {0, 0, 1920, 1080}, GRID_FIT_CROP, {0, 656, 1080, 608}, {0, 0, 1920, 1080}},
    /* stretch: everything to everything */
    {640, 480, {7, 8, 1000, 100}, GRID_FIT_STRETCH, {0, 0, 640, 480}, {7, 8, 1000, 100}},
    /* tiny pictures and tiles */
    {1, 1, {0, 0, 3, 2}, GRID_FIT_LETTERBOX, {0, 0, 1, 1}, {0, 0, 2, 2}},
    {2, 1, {0, 0, 1, 1}, GRID_FIT_CROP, {0, 0, 1, 1}, {0, 0, 1, 1}},
};

static void test_fit_exact(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof fits / sizeof fits[0]; i++) {
        const fit_case_t *f = &fits[i];
        grid_rect_t src, dst;
        assert_true(grid_fit_rect(f->src_w, f->src_h, f->dst, f->fit, &src, &dst));
        if (memcmp(&src, &f->want_src, sizeof src) != 0 ||
            memcmp(&dst, &f->want_dst, sizeof dst) != 0)
            fail_msg("case %zu: src {%d,%d,%d,%d} dst {%d,%d,%d,%d}", i, src.x, src.y, src.w,
                     src.h, dst.x, dst.y, dst.w, dst.h);
    }
}

/* For many shapes: letterbox stays inside the tile, centred, touching two opposite edges, with
 * the picture's aspect; crop takes a centred part of the picture with the tile's aspect. */
static void test_fit_properties(void **state)
{
    (void)state;
    static const int sizes[][2] = {
        {1920, 1080}, {1280, 720}, {640, 480}, {704, 576}, {352, 288}, {1080, 1920},
        {2560, 1440}, {3, 7},      {1000, 1},  {1, 1000},  {474, 354}, {8192, 8192},
    };
    size_t n = sizeof sizes / sizeof sizes[0];
    for (size_t s = 0; s < n; s++)
        for (size_t d = 0; d < n; d++) {
            grid_rect_t tile = {11, 13, sizes[d][0], sizes[d][1]}, src, dst;
            int sw = sizes[s][0], sh = sizes[s][1];
            assert_true(grid_fit_rect(sw, sh, tile, GRID_FIT_LETTERBOX, &src, &dst));
            assert_rect(src, 0, 0, sw, sh);
            assert_true(dst.x >= tile.x && dst.y >= tile.y);
            assert_true(dst.x + dst.w <= tile.x + tile.w && dst.y + dst.h <= tile.y + tile.h);
            assert_true(dst.w == tile.w || dst.h == tile.h);
            assert_true(abs((dst.x - tile.x) - (tile.x + tile.w - dst.x - dst.w)) <= 1);
            assert_true(abs((dst.y - tile.y) - (tile.y + tile.h - dst.y - dst.h)) <= 1);
            /* aspect within rounding: |dw * sh - dh * sw| <= max(sw, sh) */
            long long err = (long long)dst.w * sh - (long long)dst.h * sw;
            assert_true(llabs(err) <= (sw > sh ? sw : sh));

            assert_true(grid_fit_rect(sw, sh, tile, GRID_FIT_CROP, &src, &dst));
            assert_rect(dst, tile.x, tile.y, tile.w, tile.h);
            assert_true(src.x >= 0 && src.y >= 0 && src.x + src.w <= sw && src.y + src.h <= sh);
            assert_true(src.w == sw || src.h == sh);
            assert_true(abs(src.x - (sw - src.x - src.w)) <= 1);
            assert_true(abs(src.y - (sh - src.y - src.h)) <= 1);
        }
}

static void test_fit_invalid(void **state)
{
    (void)state;
    static const struct {
        int sw, sh;
        grid_rect_t dst;
    } t[] = {
        {0, 480, {0, 0, 10, 10}},  {640, 0, {0, 0, 10, 10}},  {-1, 480, {0, 0, 10, 10}},
        {640, 480, {0, 0, 0, 10}}, {640, 480, {0, 0, 10, -1}},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        grid_rect_t src = {1, 2, 3, 4}, dst = {1, 2, 3, 4};
        assert_false(grid_fit_rect(t[i].sw, t[i].sh, t[i].dst, GRID_FIT_CROP, &src, &dst));
        assert_rect(src, 0, 0, 0, 0);
        assert_rect(dst, 0, 0, 0, 0);
    }
}

static void test_even_size(void **state)
{
    (void)state;
    static const int t[][4] = {
        {475, 355, 474, 354}, {474, 354, 474, 354}, {1, 1, 2, 2},     {0, 0, 2, 2},
        {-3, -4, 2, 2},       {3, 2, 2, 2},         {1921, 1081, 1920, 1080},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        int w = t[i][0], h = t[i][1];
        grid_even_size(&w, &h);
        assert_int_equal(w, t[i][2]);
        assert_int_equal(h, t[i][3]);
    }
}

static void test_hit(void **state)
{
    (void)state;
    grid_t g;
    assert_true(grid_init(&g, 1920, 1080, true, 4, 3, 4));
    grid_rect_t rects[12];
    for (int i = 0; i < 12; i++)
        rects[i] = grid_cell_rect(&g, i % 4, i / 4, 1, 1);
    for (int i = 0; i < 12; i++) {
        grid_rect_t r = rects[i];
        assert_int_equal(grid_hit(rects, 12, r.x + r.w / 2, r.y + r.h / 2), i);
        assert_int_equal(grid_hit(rects, 12, r.x, r.y), i);                     /* corners in */
        assert_int_equal(grid_hit(rects, 12, r.x + r.w - 1, r.y + r.h - 1), i);
        assert_int_equal(grid_hit(rects, 12, r.x - 1, r.y), -1);                /* gap: none */
        assert_int_equal(grid_hit(rects, 12, r.x + r.w, r.y), -1);
    }
    assert_int_equal(grid_hit(rects, 12, 5, 10), -1); /* title bar */
    assert_int_equal(grid_hit(rects, 12, -1, -1), -1);
    assert_int_equal(grid_hit(rects, 12, 5000, 5000), -1);
    assert_int_equal(grid_hit(rects, 0, rects[0].x, rects[0].y), -1);
    assert_int_equal(grid_hit(NULL, 0, 0, 0), -1);
    /* the first match wins for overlapping rects */
    grid_rect_t two[2] = {{0, 0, 10, 10}, {5, 5, 10, 10}};
    assert_int_equal(grid_hit(two, 2, 7, 7), 0);
    assert_int_equal(grid_hit(two, 2, 12, 12), 1);
}

/* Brute force: every pixel of area is either in a rect or in exactly one output rect, never both. */
static void check_uncovered(const grid_rect_t *rects, int n, grid_rect_t area)
{
    grid_rect_t out[256];
    int k = grid_uncovered(rects, n, area, out, 256);
    assert_true(k >= 0);
    for (int y = area.y; y < area.y + area.h; y++)
        for (int x = area.x; x < area.x + area.w; x++) {
            bool covered = false;
            for (int i = 0; i < n && !covered; i++)
                covered = x >= rects[i].x && x < rects[i].x + rects[i].w && y >= rects[i].y &&
                          y < rects[i].y + rects[i].h;
            int in = 0;
            for (int i = 0; i < k; i++)
                in += x >= out[i].x && x < out[i].x + out[i].w && y >= out[i].y &&
                      y < out[i].y + out[i].h;
            if (in != (covered ? 0 : 1))
                fail_msg("pixel %d,%d: covered %d, in %d output rects", x, y, covered, in);
        }
    for (int i = 0; i < k; i++) /* inside the area */
        assert_true(out[i].w > 0 && out[i].h > 0 && out[i].x >= area.x && out[i].y >= area.y &&
                    out[i].x + out[i].w <= area.x + area.w &&
                    out[i].y + out[i].h <= area.y + area.h);
}

static void test_uncovered(void **state)
{
    (void)state;
    grid_rect_t out[16];
    /* A 4x4 grid without gaps under a title bar: only the title bar is left, as one rect. */
    grid_t g;
    assert_true(grid_init(&g, 1920, 1080, true, 4, 4, 0));
    grid_rect_t cells[16];
    for (int i = 0; i < 16; i++)
        cells[i] = grid_cell_rect(&g, i % 4, i / 4, 1, 1);
    grid_rect_t canvas = {0, 0, 1920, 1080};
    assert_int_equal(grid_uncovered(cells, 16, canvas, out, 16), 1);
    assert_rect(out[0], 0, 0, 1920, grid_title_rect(&g).h);
    /* Without a title: nothing to paint. */
    assert_true(grid_init(&g, 1920, 1080, false, 4, 4, 0));
    for (int i = 0; i < 16; i++)
        cells[i] = grid_cell_rect(&g, i % 4, i / 4, 1, 1);
    assert_int_equal(grid_uncovered(cells, 16, canvas, out, 16), 0);
    /* No rects: the area itself. */
    assert_int_equal(grid_uncovered(NULL, 0, canvas, out, 16), 1);
    assert_rect(out[0], 0, 0, 1920, 1080);
    /* Small canvases with gaps, spans, overlaps and rects sticking out: pixel for pixel. */
    for (int gap = 0; gap <= 3; gap++) {
        grid_t sg;
        assert_true(grid_init(&sg, 61, 97, gap == 1, 3, 3, gap));
        grid_rect_t r[6] = {grid_cell_rect(&sg, 0, 0, 2, 1), grid_cell_rect(&sg, 2, 0, 1, 3),
                            grid_cell_rect(&sg, 0, 1, 1, 1), grid_cell_rect(&sg, 1, 2, 1, 1),
                            {40, 30, 40, 40},                {-5, -5, 10, 10}};
        check_uncovered(r, 6, (grid_rect_t){0, 0, 61, 97});
        check_uncovered(r, 6, (grid_rect_t){3, 2, 50, 40});
    }
    grid_rect_t odd[4] = {{0, 0, 0, 10}, {5, 5, 10, 10}, {5, 5, 10, 10}, {8, 0, 3, 40}};
    check_uncovered(odd, 4, (grid_rect_t){0, 0, 30, 30});
}

static void test_uncovered_invalid(void **state)
{
    (void)state;
    grid_rect_t out[2], r[3] = {{0, 0, 10, 10}, {20, 0, 10, 10}, {40, 0, 10, 10}};
    grid_rect_t area = {0, 0, 60, 20};
    assert_int_equal(grid_uncovered(r, 3, area, out, 2), -1); /* needs 4: too many */
    assert_int_equal(grid_uncovered(r, -1, area, out, 2), -1);
    assert_int_equal(grid_uncovered(NULL, 3, area, out, 2), -1);
    assert_int_equal(grid_uncovered(r, 3, area, NULL, 2), -1);
    assert_int_equal(grid_uncovered(r, 3, (grid_rect_t){0, 0, -1, 5}, out, 2), -1);
    assert_int_equal(grid_uncovered(r, 3, (grid_rect_t){0, 0, 0, 5}, out, 2), 0);
    assert_int_equal(grid_uncovered(r, 100000, area, out, 2), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_title_height),
        cmocka_unit_test(test_init_invalid),
        cmocka_unit_test(test_tiling_many_grids),
        cmocka_unit_test(test_exact_cells),
        cmocka_unit_test(test_cell_rect_invalid),
        cmocka_unit_test(test_fit_exact),
        cmocka_unit_test(test_fit_properties),
        cmocka_unit_test(test_fit_invalid),
        cmocka_unit_test(test_even_size),
        cmocka_unit_test(test_hit),
        cmocka_unit_test(test_uncovered),
        cmocka_unit_test(test_uncovered_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
