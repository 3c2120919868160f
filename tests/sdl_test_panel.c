/* sdl_test_panel: complaint-counter panels (wall/render_panel.c), headless with SDL's software
 * renderer. Every view at every size from a few pixels to a 4K strip draws without an SDL error
 * (extreme counts, the longest names, full lists, no data); a rising counter changes the
 * picture; and a confidential title or an anonymous reporter never changes a single pixel, even
 * when a message carrying them got past the decoder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <SDL.h>
#include <SDL_image.h>

#include "layout.h"
#include "render.h"
#include "scene.h"

static char tmp_dir[256];

static void full_message(cmsg_t *m)
{
    memset(m, 0, sizeof *m);
    m->seq = 7;
    m->received_today = 99999999;
    m->received_month = 12345678;
    m->open = 1;
    m->overdue_verify = 100000000;
    m->resolved_permille = 1000;
    for (int i = 0; i < CMSG_STAGES; i++)
        m->stages[i] = (uint32_t)(i * 1000);
    m->n_channels = CMSG_CHANNELS;
    for (int i = 0; i < CMSG_CHANNELS; i++) {
        snprintf(m->channels[i].key, sizeof m->channels[i].key, i % 2 ? "whatsapp" : "unknown_%d", i);
        m->channels[i].month = (uint32_t)(i * 7);
    }
    m->n_opd = CMSG_MAX_OPD;
    for (int i = 0; i < CMSG_MAX_OPD; i++) {
        snprintf(m->opd[i].name, sizeof m->opd[i].name,
                 "Dinas Pekerjaan Umum dan Penataan Ruang Kota — Bidang Jalan ke-%d ÄÖÜ", i);
        m->opd[i].backlog = (uint32_t)i;
        m->opd[i].overdue = (uint32_t)(i % 3);
        m->opd[i].median_response_h = i - 1;
    }
    m->kip_grade = 4;
    m->kip_score_x10 = 1000;
    m->n_ticker = CMSG_MAX_TICKER;
    for (int i = 0; i < CMSG_MAX_TICKER; i++) {
        cmsg_tick_t *t = &m->ticker[i];
        snprintf(t->id, sizeof t->id, "T-%d", i);
        snprintf(t->kind, sizeof t->kind, i % 3 ? "complaint" : "info_request");
        snprintf(t->title, sizeof t->title, "%s", "Judul yang sangat panjang sekali ");
        memset(t->title + 33, 'x', 700);
        t->title[733] = '\0';
        snprintf(t->stage, sizeof t->stage, "received");
        t->time_ms = 1795395600000LL;
    }
}

static scene_t one_panel(scene_panel_t *p, scene_counters_t *sc, int w, int h)
{
    *p = (scene_panel_t){.rect = {0, 0, w, h}, .title = "Pengaduan", .counters = sc};
    return (scene_t){.canvas_w = w, .canvas_h = h, .panels = p, .n_panels = 1};
}

static void test_every_view_every_size(void **state)
{
    (void)state;
    static const int sizes[][2] = {{160, 160}, {200, 40}, {472, 960}, {960, 340}, {3840, 300},
                                   {300, 2000}};
    cmsg_t *m = malloc(sizeof *m);
    full_message(m);
    char err[256];
    render_opts_t o = {.headless = true};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        render_t *r = render_new(sizes[s][0], sizes[s][1], &o, err, sizeof err);
        if (r == NULL)
            fail_msg("render_new: %s", err);
        for (int v = 0; v < LAYOUT_VIEW_COUNT; v++)
            for (int data = 0; data < 2; data++) {
                scene_counters_t sc = {.data = data ? m : NULL, .view = v, .en = v % 2,
                                       .note = data ? NULL : "Menunggu pantau-complaints",
                                       .rise = 0xffffffffu, .channel_rise = 0xfffu,
                                       .opd_rise = 0xffffu};
                scene_panel_t p;
                scene_t scene = one_panel(&p, &sc, sizes[s][0], sizes[s][1]);
                if (render_frame(r, &scene) != 0)
                    fail_msg("size %dx%d view %d data %d: %s", sizes[s][0], sizes[s][1], v, data,
                             SDL_GetError());
            }
        render_destroy(&r);
    }
    free(m);
}

/* Renders and returns the PNG's pixels (caller frees). */
static SDL_Surface *draw(render_t *r, const scene_t *s, const char *name)
{
    char path[512], err[256];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
    assert_int_equal(render_frame(r, s), 0);
    if (render_snapshot_png(r, path, err, sizeof err) != 0)
        fail_msg("snapshot: %s", err);
    SDL_Surface *png = IMG_Load(path);
    assert_non_null(png);
    SDL_Surface *argb = SDL_ConvertSurfaceFormat(png, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(png);
    unlink(path);
    return argb;
}

static long differing(const SDL_Surface *a, const SDL_Surface *b)
{
    long n = 0;
    for (int y = 0; y < a->h; y++)
        n += memcmp((const Uint8 *)a->pixels + y * a->pitch, (const Uint8 *)b->pixels + y * b->pitch,
                    (size_t)a->w * 4) != 0;
    return n;
}

static void test_rise_is_visible(void **state)
{
    (void)state;
    cmsg_t *m = malloc(sizeof *m);
    full_message(m);
    char err[256];
    render_opts_t o = {.headless = true};
    render_t *r = render_new(480, 400, &o, err, sizeof err);
    assert_non_null(r);
    scene_counters_t sc = {.data = m, .view = LAYOUT_VIEW_NUMBERS};
    scene_panel_t p;
    scene_t scene = one_panel(&p, &sc, 480, 400);
    SDL_Surface *calm = draw(r, &scene, "calm.png");
    sc.rise = 1u << SCENE_RISE_TODAY;
    SDL_Surface *risen = draw(r, &scene, "risen.png");
    assert_true(differing(calm, risen) > 20); /* the card lights up */
    SDL_FreeSurface(calm);
    SDL_FreeSurface(risen);
    render_destroy(&r);
    free(m);
}

static void test_hidden_text_changes_nothing(void **state)
{
    (void)state;
    cmsg_t *m = malloc(sizeof *m);
    full_message(m);
    m->n_ticker = 2;
    for (int i = 0; i < 2; i++) {
        cmsg_tick_t *t = &m->ticker[i];
        t->title[0] = '\0';
        t->reporter[0] = '\0';
        t->confidential = i == 0;
        t->anonymous = true;
        if (i == 1)
            snprintf(t->title, sizeof t->title, "Lampu jalan mati");
    }
    char err[256];
    render_opts_t o = {.headless = true};
    render_t *r = render_new(600, 400, &o, err, sizeof err);
    assert_non_null(r);
    scene_counters_t sc = {.data = m, .view = LAYOUT_VIEW_TICKER};
    scene_panel_t p;
    scene_t scene = one_panel(&p, &sc, 600, 400);
    SDL_Surface *clean = draw(r, &scene, "clean.png");
    /* A faulty message: the hidden text is there. The screen must not change. */
    snprintf(m->ticker[0].title, sizeof m->ticker[0].title, "RAHASIA isi pengaduan");
    snprintf(m->ticker[0].location, sizeof m->ticker[0].location, "Jl. Rahasia 1");
    snprintf(m->ticker[1].reporter, sizeof m->ticker[1].reporter, "Nama Pelapor");
    SDL_Surface *leaky = draw(r, &scene, "leaky.png");
    assert_int_equal(differing(clean, leaky), 0);
    SDL_FreeSurface(clean);
    SDL_FreeSurface(leaky);
    render_destroy(&r);
    free(m);
}

static int group_setup(void **state)
{
    (void)state;
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/pantau-sdl-panel-XXXXXX");
    return mkdtemp(tmp_dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    rmdir(tmp_dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_view_every_size),
        cmocka_unit_test(test_rise_is_visible),
        cmocka_unit_test(test_hidden_text_changes_nothing),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
