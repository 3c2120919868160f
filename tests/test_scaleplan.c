/* test_scaleplan: what the worker sends for a decoded picture (ingest/scaleplan.h): passthrough
 * of small I420 pictures, letterbox/crop/stretch rectangles on even pixels inside the frame, and
 * invalid sizes. Table-driven with exact values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "scaleplan.h"

static void assert_rect(grid_rect_t r, int x, int y, int w, int h, const char *what)
{
    if (r.x != x || r.y != y || r.w != w || r.h != h)
        fail_msg("%s {%d,%d,%d,%d}, want {%d,%d,%d,%d}", what, r.x, r.y, r.w, r.h, x, y, w, h);
}

static void test_plans(void **state)
{
    (void)state;
    static const struct {
        int sw, sh;
        bool i420;
        int ow, oh;
        grid_fit_t fit;
        bool pass;
        grid_rect_t src, dst;
    } t[] = {
        /* 360p into a 1080p 4x4 tile: same aspect, plain downscale. */
        {640, 360, true, 480, 270, GRID_FIT_LETTERBOX, false, {0, 0, 640, 360}, {0, 0, 480, 270}},
        /* The test camera's 640x360 into 320x240: bars top and bottom (rows 30..209). */
        {640, 360, true, 320, 240, GRID_FIT_LETTERBOX, false, {0, 0, 640, 360}, {0, 30, 320, 180}},
        /* Pillarbox: 4:3 into 16:9. */
        {1280, 960, true, 960, 540, GRID_FIT_LETTERBOX, false, {0, 0, 1280, 960}, {120, 0, 720, 540}},
        /* Crop: the centre 480x360 of 640x360 for a 4:3 tile. */
        {640, 360, true, 320, 240, GRID_FIT_CROP, false, {80, 0, 480, 360}, {0, 0, 320, 240}},
        /* Crop with odd rounding: centre kept on even pixels. */
        {1280, 720, true, 250, 240, GRID_FIT_CROP, false, {264, 0, 750, 720}, {0, 0, 250, 240}},
        {640, 360, true, 320, 240, GRID_FIT_STRETCH, false, {0, 0, 640, 360}, {0, 0, 320, 240}},
        /* 8x4 grid on 1080p: 240x270 tiles, 360p letterboxed to 240x134 (even) at y 68. */
        {640, 360, true, 240, 270, GRID_FIT_LETTERBOX, false, {0, 0, 640, 360}, {0, 68, 240, 134}},
        /* Fitted at its own size (the wall draws it 1:1, bars its own): passthrough. */
        {640, 360, true, 640, 360, GRID_FIT_LETTERBOX, true, {0, 0, 640, 360}, {0, 0, 640, 360}},
        {640, 360, true, 640, 480, GRID_FIT_LETTERBOX, true, {0, 0, 640, 360}, {0, 0, 640, 360}},
        {640, 360, true, 642, 362, GRID_FIT_STRETCH, true, {0, 0, 640, 360}, {0, 0, 640, 360}},
        {640, 360, true, 640, 360, GRID_FIT_CROP, true, {0, 0, 640, 360}, {0, 0, 640, 360}},
        /* Smaller than the tile: scaled up here, not stretched by the wall's software renderer. */
        {640, 360, true, 960, 540, GRID_FIT_CROP, false, {0, 0, 640, 360}, {0, 0, 960, 540}},
        {640, 360, true, 912, 512, GRID_FIT_LETTERBOX, false, {0, 0, 640, 360}, {0, 0, 910, 512}},
        {640, 360, true, 644, 360, GRID_FIT_STRETCH, false, {0, 0, 640, 360}, {0, 0, 644, 360}},
        /* Cropped: never passed (the crop would be the wall's). */
        {640, 360, true, 640, 480, GRID_FIT_CROP, false, {80, 0, 480, 360}, {0, 0, 640, 480}},
        /* Not I420 (NV12, 10-bit): always converted, even when small. */
        {640, 360, false, 640, 360, GRID_FIT_LETTERBOX, false, {0, 0, 640, 360}, {0, 0, 640, 360}},
        {640, 360, false, 960, 540, GRID_FIT_LETTERBOX, false, {0, 0, 640, 360}, {0, 0, 960, 540}},
        /* Odd source: converted, last column/row left out. */
        {641, 361, true, 960, 540, GRID_FIT_STRETCH, false, {0, 0, 640, 360}, {0, 0, 960, 540}},
        /* One pixel taller than the tile: scaled, not passed. */
        {320, 242, true, 320, 240, GRID_FIT_LETTERBOX, false, {0, 0, 320, 242}, {2, 0, 316, 240}},
    };
    for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
        scaleplan_t p;
        assert_true(scaleplan_make(t[i].sw, t[i].sh, 1, 1, t[i].i420, t[i].ow, t[i].oh, t[i].fit,
                                   &p));
        if (p.passthrough != t[i].pass)
            fail_msg("case %zu: passthrough %d, want %d", i, p.passthrough, t[i].pass);
        assert_rect(p.src, t[i].src.x, t[i].src.y, t[i].src.w, t[i].src.h, "src");
        assert_rect(p.dst, t[i].dst.x, t[i].dst.y, t[i].dst.w, t[i].dst.h, "dst");
        if (p.passthrough) {
            assert_int_equal(p.out_w, t[i].sw);
            assert_int_equal(p.out_h, t[i].sh);
            assert_false(scaleplan_has_bars(&p));
            continue;
        }
        assert_int_equal(p.out_w, t[i].ow);
        assert_int_equal(p.out_h, t[i].oh);
        /* Every rectangle on even pixels, inside its picture. */
        const grid_rect_t *r[2] = {&p.src, &p.dst};
        int lim_w[2] = {t[i].sw, t[i].ow}, lim_h[2] = {t[i].sh, t[i].oh};
        for (int k = 0; k < 2; k++) {
            assert_true((r[k]->x | r[k]->y | r[k]->w | r[k]->h) % 2 == 0);
            assert_true(r[k]->x >= 0 && r[k]->y >= 0 && r[k]->w >= 2 && r[k]->h >= 2);
            assert_true(r[k]->x + r[k]->w <= lim_w[k] && r[k]->y + r[k]->h <= lim_h[k]);
        }
        bool bars = p.dst.w < p.out_w || p.dst.h < p.out_h;
        assert_int_equal(scaleplan_has_bars(&p), bars);
    }
}

/* Tiny pictures and tiles still give even rectangles of at least 2x2 inside the frame. */
static void test_tiny(void **state)
{
    (void)state;
    for (int sw = 2; sw < 40; sw += 3)
        for (int sh = 2; sh < 40; sh += 5)
            for (int fit = GRID_FIT_LETTERBOX; fit <= GRID_FIT_STRETCH; fit++) {
                scaleplan_t p;
                assert_true(scaleplan_make(sw * 7, sh, 1, 1, false, 4, 2, (grid_fit_t)fit, &p));
                assert_true(p.dst.x + p.dst.w <= 4 && p.dst.y + p.dst.h <= 2);
                assert_true(p.src.x + p.src.w <= sw * 7 && p.src.y + p.src.h <= sh);
                assert_true(p.dst.w >= 2 && p.dst.h >= 2 && p.src.w >= 2 && p.src.h >= 2);
            }
}

/* Non-square pixels: a 720x576 PAL 16:9 stream (PAR 64/45 -> 1024x576 as seen) fills a 16:9
 * tile, is cropped on its stored pixels, and is never passed through. */
static void test_pixel_aspect(void **state)
{
    (void)state;
    scaleplan_t p;
    assert_true(scaleplan_make(720, 576, 64, 45, true, 480, 270, GRID_FIT_LETTERBOX, &p));
    assert_false(p.passthrough);
    assert_rect(p.src, 0, 0, 720, 576, "src");
    assert_rect(p.dst, 0, 0, 480, 270, "dst"); /* 1024x576 is 16:9: no bars */
    assert_true(scaleplan_make(720, 576, 64, 45, true, 360, 270, GRID_FIT_CROP, &p));
    /* 4:3 crop of 1024x576 as seen = 768 wide, i.e. 540 stored pixels, centred. */
    assert_rect(p.src, 90, 0, 540, 576, "src");
    assert_true(scaleplan_make(720, 576, 1, 1, true, 480, 270, GRID_FIT_LETTERBOX, &p));
    assert_true(p.dst.w < 480); /* square pixels: 5:4, pillarboxed */
    assert_true(scaleplan_make(640, 360, 2, 1, true, 640, 360, GRID_FIT_LETTERBOX, &p));
    assert_false(p.passthrough);
    assert_false(scaleplan_make(640, 360, 0, 1, true, 640, 360, GRID_FIT_LETTERBOX, &p));
    assert_false(scaleplan_make(640, 360, 1, -1, true, 640, 360, GRID_FIT_LETTERBOX, &p));
    assert_false(scaleplan_make(640, 360, 1, 100000, true, 640, 360, GRID_FIT_LETTERBOX, &p));
}

static void test_invalid(void **state)
{
    (void)state;
    static const int bad[][4] = {
        {0, 360, 320, 240}, {640, 0, 320, 240}, {1, 1, 320, 240}, {640, 360, 0, 240},
        {640, 360, 321, 240}, {640, 360, 320, 241}, {-640, 360, 320, 240}, {640, 360, -2, 240},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        scaleplan_t p;
        p.passthrough = true;
        assert_false(scaleplan_make(bad[i][0], bad[i][1], 1, 1, true, bad[i][2], bad[i][3],
                                    GRID_FIT_LETTERBOX, &p));
        assert_false(p.passthrough);
        assert_int_equal(p.out_w, 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plans),
        cmocka_unit_test(test_tiny),
        cmocka_unit_test(test_pixel_aspect),
        cmocka_unit_test(test_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
