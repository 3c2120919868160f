/* test_decsel: decoder choice (ingest/decsel.h) from fake lists of installed factories and their
 * ranks: NVDEC before VA-API before gstreamer-vaapi before software; rank NONE skipped by auto;
 * decoder=software and decoder=NAME; what is missing is named; invalid arguments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "decsel.h"

#define PRIMARY 256u
#define SECONDARY 128u
#define MARGINAL 64u
#define BOTH (DECSEL_H264 | DECSEL_H265)

static const decsel_factory_t sw_only[] = {
    {"avdec_h264", PRIMARY, DECSEL_H264},
    {"avdec_h265", PRIMARY, DECSEL_H265},
};

static const decsel_factory_t everything[] = {
    {"avdec_h264", PRIMARY, DECSEL_H264},    {"avdec_h265", PRIMARY, DECSEL_H265},
    {"vaapih264dec", PRIMARY, DECSEL_H264},  {"vah264dec", SECONDARY, DECSEL_H264},
    {"vah265dec", SECONDARY, DECSEL_H265},   {"nvh264dec", PRIMARY + 1, DECSEL_H264},
    {"nvh265dec", PRIMARY + 1, DECSEL_H265},
};

static const decsel_factory_t va_only[] = {
    {"avdec_h264", PRIMARY, DECSEL_H264},
    {"vaapih264dec", PRIMARY, DECSEL_H264},
    {"vah264dec", MARGINAL, DECSEL_H264},
};

static const decsel_factory_t legacy_vaapi[] = {
    {"avdec_h264", PRIMARY, DECSEL_H264},
    {"vaapih264dec", SECONDARY, DECSEL_H264},
};

static const decsel_factory_t ranked_none[] = {
    {"avdec_h264", PRIMARY, DECSEL_H264},
    {"nvh264dec", 0, DECSEL_H264},
};

static const decsel_factory_t no_software[] = {
    {"nvh265dec", PRIMARY, DECSEL_H265},
};

typedef struct {
    const char *name;
    decsel_codec_t codec;
    const char *setting;
    const decsel_factory_t *avail;
    size_t n;
    int rc;
    const char *factory; /* expected; "" on failure */
    bool hardware;
    const char *why; /* substring of the reason */
} decsel_case_t;

#define L(a) a, sizeof a / sizeof a[0]

static const decsel_case_t cases[] = {
    {"software only host", DECSEL_H264, "auto", L(sw_only), 0, "avdec_h264", false,
     "no hardware decoder found"},
    {"software only host, H.265", DECSEL_H265, NULL, L(sw_only), 0, "avdec_h265", false,
     "no hardware decoder found"},
    {"NVDEC first", DECSEL_H264, "auto", L(everything), 0, "nvh264dec", true, "NVDEC"},
    {"NVDEC first, H.265", DECSEL_H265, "auto", L(everything), 0, "nvh265dec", true, "NVDEC"},
    {"VA before gstreamer-vaapi whatever the ranks", DECSEL_H264, "auto", L(va_only), 0,
     "vah264dec", true, "VA-API"},
    {"gstreamer-vaapi alone", DECSEL_H264, "auto", L(legacy_vaapi), 0, "vaapih264dec", true,
     "gstreamer-vaapi"},
    {"rank NONE not picked by auto", DECSEL_H264, "auto", L(ranked_none), 0, "avdec_h264", false,
     "ranked none"},
    {"rank NONE can be named", DECSEL_H264, "nvh264dec", L(ranked_none), 0, "nvh264dec", true,
     "set by decoder="},
    {"software forced", DECSEL_H264, "software", L(everything), 0, "avdec_h264", false,
     "decoder=software"},
    {"named hardware", DECSEL_H264, "vah264dec", L(everything), 0, "vah264dec", true,
     "set by decoder="},
    {"named software", DECSEL_H265, "avdec_h265", L(everything), 0, "avdec_h265", false,
     "set by decoder="},
    {"named but not installed", DECSEL_H264, "nvh264dec", L(sw_only), -1, "", false,
     "decoder 'nvh264dec' is not installed"},
    {"named for the other codec", DECSEL_H264, "nvh265dec", L(everything), -1, "", false,
     "does not decode H.264"},
    {"named invalid", DECSEL_H264, "Bad Name", L(everything), -1, "", false, "not a decoder name"},
    {"H.264 codec missing in H.265-only list", DECSEL_H264, "auto", L(no_software), -1, "", false,
     "no H.264 decoder installed"},
    {"hardware only for the other codec, no software", DECSEL_H265, "software", L(va_only), -1, "",
     false, "gstreamer1.0-libav"},
    {"empty list", DECSEL_H264, "auto", NULL, 0, -1, "", false, "no H.264 decoder"},
    {"unknown codec", (decsel_codec_t)4, "auto", L(everything), -1, "", false, "unsupported codec"},
};

static void test_choose_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const decsel_case_t *c = &cases[i];
        decsel_choice_t out;
        memset(&out, 0x55, sizeof out);
        int rc = decsel_choose(c->codec, c->setting, c->avail, c->n, &out);
        print_message("case: %s -> %d %s (%s)\n", c->name, rc, rc == 0 ? out.factory : "-",
                      out.why);
        assert_int_equal(rc, c->rc);
        assert_string_equal(out.factory, c->factory);
        assert_int_equal(out.hardware, c->hardware);
        assert_non_null(strstr(out.why, c->why));
    }
}

static void test_choose_invalid(void **state)
{
    (void)state;
    assert_int_equal(decsel_choose(DECSEL_H264, "auto", sw_only, 2, NULL), -1);
    decsel_choice_t out;
    /* A NULL list with a count is treated as empty, not read. */
    assert_int_equal(decsel_choose(DECSEL_H264, "auto", NULL, 5, &out), -1);
    /* Entries without a name are skipped. */
    const decsel_factory_t holes[] = {{NULL, PRIMARY, BOTH}, {"avdec_h264", 0, DECSEL_H264}};
    assert_int_equal(decsel_choose(DECSEL_H264, "auto", holes, 2, &out), 0);
    assert_string_equal(out.factory, "avdec_h264"); /* software is used whatever its rank */
}

static void test_candidates(void **state)
{
    (void)state;
    const char *const *c = decsel_candidates(DECSEL_H264);
    assert_string_equal(c[0], "nvh264dec");
    size_t n = 0;
    while (c[n] != NULL)
        n++;
    assert_string_equal(c[n - 1], "avdec_h264");
    assert_string_equal(decsel_candidates(DECSEL_H265)[0], "nvh265dec");
    assert_null(decsel_candidates((decsel_codec_t)0)[0]);
}

static void test_setting_valid(void **state)
{
    (void)state;
    char msg[200];
    static const char *const good[] = {"auto",          "software",
                                       "avdec_h264",    "nvh264dec",
                                       "v4l2slh264dec", "abcdefghijabcdefghijabcdefghij1"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        assert_true(decsel_setting_valid(good[i], msg, sizeof msg));
    static const char *const bad[] = {"",
                                      "Auto",
                                      "nv h264dec",
                                      "1dec",
                                      "avdec-h264",
                                      "dec;rm -rf",
                                      "abcdefghijabcdefghijabcdefghij12"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        msg[0] = '\0';
        assert_false(decsel_setting_valid(bad[i], msg, sizeof msg));
        assert_true(strlen(msg) > 0);
    }
    assert_false(decsel_setting_valid(NULL, msg, sizeof msg));
}

static void test_is_hardware(void **state)
{
    (void)state;
    assert_true(decsel_is_hardware("nvh264dec"));
    assert_true(decsel_is_hardware("vah265dec"));
    assert_true(decsel_is_hardware("vaapih264dec"));
    assert_true(decsel_is_hardware("v4l2slh264dec"));
    assert_false(decsel_is_hardware("avdec_h264"));
    assert_false(decsel_is_hardware("openh264dec"));
    assert_false(decsel_is_hardware(NULL));
    assert_string_equal(decsel_codec_name(DECSEL_H265), "H.265");
    assert_string_equal(decsel_codec_name((decsel_codec_t)8), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_choose_table), cmocka_unit_test(test_choose_invalid),
        cmocka_unit_test(test_candidates),   cmocka_unit_test(test_setting_valid),
        cmocka_unit_test(test_is_hardware),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
