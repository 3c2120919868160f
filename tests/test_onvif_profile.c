/* test_onvif_profile: the choice of an ONVIF media profile for a tile (ingest/onvif_profile.h).
 * Table-driven: camera profile sets x tile sizes x fit -> chosen token; overrides by token;
 * unusable profiles (JPEG, unknown size, no token); invalid arguments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "onvif_profile.h"

/* A typical camera: main 1920x1080, sub 640x360, a JPEG snapshot profile, listed main first. */
static const onvif_profile_t cam[] = {
    {"main", "MainStream", "H264", 1920, 1080, 25},
    {"sub", "SubStream", "H264", 640, 360, 25},
    {"jpeg", "Snapshot", "JPEG", 320, 180, 5},
};
#define NCAM ((int)(sizeof cam / sizeof cam[0]))

typedef struct {
    int tile_w, tile_h;
    grid_fit_t fit;
    const char *want;
    const char *token; /* expected, NULL = -1 */
    const char *why_has;
} pick_case_t;

static const pick_case_t picks[] = {
    {480, 270, GRID_FIT_LETTERBOX, NULL, "sub", "smallest"},       /* 4x4 grid tile */
    {640, 360, GRID_FIT_LETTERBOX, "auto", "sub", "covering the 640x360"}, /* exact fit */
    {642, 360, GRID_FIT_LETTERBOX, "", "sub", "smallest"}, /* letterbox: height reaches */
    {642, 362, GRID_FIT_LETTERBOX, NULL, "main", "smallest"}, /* neither side reaches */
    {642, 360, GRID_FIT_CROP, NULL, "main", "smallest"},      /* crop needs both */
    {642, 360, GRID_FIT_STRETCH, NULL, "main", "smallest"},   /* stretch needs both */
    {1920, 1080, GRID_FIT_LETTERBOX, NULL, "main", "covering the 1920x1080"}, /* focused */
    {3840, 2160, GRID_FIT_LETTERBOX, NULL, "main", "none covers"},          /* 4K canvas */
    {2, 2, GRID_FIT_CROP, NULL, "sub", "smallest"}, /* JPEG never chosen, even when smaller */
    {480, 270, GRID_FIT_LETTERBOX, "main", "main", "named by profile=main"},
    {480, 270, GRID_FIT_LETTERBOX, "jpeg", NULL, "not an H.264/H.265"},
    {480, 270, GRID_FIT_LETTERBOX, "nope", NULL, "no profile with this token"},
};

static void test_pick_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof picks / sizeof picks[0]; i++) {
        const pick_case_t *c = &picks[i];
        char why[ONVIF_PROFILE_WHY_MAX];
        int got = onvif_profile_choose(cam, NCAM, c->tile_w, c->tile_h, c->fit, c->want, why,
                                       sizeof why);
        const char *tok = got >= 0 ? cam[got].token : NULL;
        if ((tok == NULL) != (c->token == NULL) || (tok != NULL && strcmp(tok, c->token) != 0))
            fail_msg("case %zu: got %s, want %s (%s)", i, tok ? tok : "-1",
                     c->token ? c->token : "-1", why);
        if (strstr(why, c->why_has) == NULL)
            fail_msg("case %zu: why '%s' lacks '%s'", i, why, c->why_has);
    }
}

static void test_tie_breaks(void **state)
{
    (void)state;
    /* Same size: H.264 before H.265, then the higher frame rate, then the camera's order. */
    const onvif_profile_t p[] = {
        {"hevc", "", "H265", 1280, 720, 30},
        {"avc15", "", "H264", 1280, 720, 15},
        {"avc25", "", "h.264", 1280, 720, 25},
        {"avc25b", "", "H264", 1280, 720, 25},
    };
    char why[ONVIF_PROFILE_WHY_MAX];
    assert_int_equal(onvif_profile_choose(p, 4, 640, 360, GRID_FIT_LETTERBOX, NULL, why,
                                          sizeof why), 2);
    assert_int_equal(onvif_profile_choose(p, 1, 640, 360, GRID_FIT_LETTERBOX, NULL, why,
                                          sizeof why), 0); /* H.265 alone is fine */
    assert_non_null(strstr(why, "hevc (1280x720 H265 30 fps)")); /* no name: the token */
}

static void test_unusable(void **state)
{
    (void)state;
    char why[ONVIF_PROFILE_WHY_MAX];
    const onvif_profile_t p[] = {
        {"j", "", "JPEG", 1920, 1080, 25},
        {"m", "", "MPEG4", 640, 480, 25},
        {"", "", "H264", 640, 480, 25}, /* no token */
        {"z", "", "H264", 0, 480, 25},  /* unknown size */
    };
    assert_int_equal(onvif_profile_choose(p, 4, 480, 270, GRID_FIT_LETTERBOX, NULL, why,
                                          sizeof why), -1);
    assert_non_null(strstr(why, "none of the camera's 4 profiles"));
    assert_int_equal(onvif_profile_choose(p, 0, 480, 270, GRID_FIT_LETTERBOX, NULL, why,
                                          sizeof why), -1);
    assert_true(onvif_profile_codec_ok("hevc"));
    assert_false(onvif_profile_codec_ok("H263"));
    assert_false(onvif_profile_codec_ok(NULL));
}

static void test_invalid_arguments(void **state)
{
    (void)state;
    char why[8]; /* short buffer: still terminated */
    assert_int_equal(onvif_profile_choose(NULL, 2, 480, 270, GRID_FIT_CROP, NULL, why, sizeof why),
                     -1);
    assert_int_equal(strlen(why), sizeof why - 1);
    assert_int_equal(onvif_profile_choose(cam, -1, 480, 270, GRID_FIT_CROP, NULL, why, sizeof why),
                     -1);
    assert_int_equal(onvif_profile_choose(cam, NCAM, 0, 270, GRID_FIT_CROP, NULL, why, sizeof why),
                     -1);
    assert_int_equal(onvif_profile_choose(cam, NCAM, 480, 270, GRID_FIT_CROP, NULL, NULL, 0), 1);
    assert_false(onvif_profile_covers(0, 360, 1, 1, GRID_FIT_CROP));
    assert_false(onvif_profile_covers(640, 360, 1, -1, GRID_FIT_LETTERBOX));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pick_table),
        cmocka_unit_test(test_tie_breaks),
        cmocka_unit_test(test_unusable),
        cmocka_unit_test(test_invalid_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
