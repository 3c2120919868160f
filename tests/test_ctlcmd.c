/* Unit tests for ctlcmd: the wall's control commands, accepted and refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ctlcmd.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static bool parse(int argc, const char *const *argv, ctl_cmd_t *cmd, char *err)
{
    return ctlcmd_parse(argc, argv, cmd, err, 256);
}

static void test_accepted(void **state)
{
    (void)state;
    ctl_cmd_t c;
    char err[256];
    const char *status[] = {"status"};
    assert_true(parse(N(status), status, &c, err));
    assert_int_equal(c.verb, CTL_STATUS);

    const char *next[] = {"page", "next"}, *prev[] = {"page", "prev"}, *named[] = {"page", "kota"};
    assert_true(parse(2, next, &c, err));
    assert_int_equal(c.page_step, 1);
    assert_true(parse(2, prev, &c, err));
    assert_int_equal(c.page_step, -1);
    assert_true(parse(2, named, &c, err));
    assert_int_equal(c.page_step, 0);
    assert_string_equal(c.target, "kota");

    const char *alarm[] = {"alarm", "pasar", "kerumunan", "di", "gerbang"};
    assert_true(parse(N(alarm), alarm, &c, err));
    assert_int_equal(c.verb, CTL_ALARM);
    assert_string_equal(c.target, "pasar");
    assert_string_equal(c.text, "kerumunan di gerbang");

    const char *ack[] = {"ack", "all"}, *focus[] = {"focus", "none"};
    assert_true(parse(2, ack, &c, err));
    assert_string_equal(c.target, "all");
    assert_true(parse(2, focus, &c, err));
    assert_int_equal(c.verb, CTL_FOCUS);

    const char *snap[] = {"snapshot", "/tmp/a.PNG"};
    assert_true(parse(2, snap, &c, err));
    assert_string_equal(c.text, "/tmp/a.PNG");

    const char *move[] = {"ptz", "dermaga", "move", "-0.5", "0", "1"};
    assert_true(parse(N(move), move, &c, err));
    assert_int_equal(c.ptz_op, CTL_PTZ_MOVE);
    assert_true(c.pan == -0.5 && c.tilt == 0 && c.zoom == 1);
    const char *preset[] = {"ptz", "dermaga", "preset", "3"};
    assert_true(parse(N(preset), preset, &c, err));
    assert_int_equal(c.preset, 3);
    const char *stop[] = {"ptz", "dermaga", "stop"};
    assert_true(parse(N(stop), stop, &c, err));
    assert_int_equal(c.ptz_op, CTL_PTZ_STOP);

    const char *play[] = {"review", "play", "12", "dermaga"}, *play1[] = {"review", "play", "3"};
    assert_true(parse(N(play), play, &c, err));
    assert_int_equal(c.verb, CTL_REVIEW);
    assert_int_equal(c.review_op, CTL_REVIEW_PLAY);
    assert_int_equal(c.review_id, 12);
    assert_string_equal(c.target, "dermaga");
    assert_true(parse(N(play1), play1, &c, err));
    assert_string_equal(c.target, "");
    static const struct {
        const char *word;
        ctl_seek_kind_t kind;
        double s;
    } seeks[] = {{"+5", CTL_SEEK_REL, 5}, {"-60", CTL_SEEK_REL, -60}, {"12.5", CTL_SEEK_ABS, 12.5},
                 {"50%", CTL_SEEK_PERCENT, 50}, {"mark", CTL_SEEK_MARK, 0}};
    for (int i = 0; i < N(seeks); i++) {
        const char *seek[] = {"review", "seek", seeks[i].word};
        assert_true(parse(N(seek), seek, &c, err));
        assert_int_equal(c.review_op, CTL_REVIEW_SEEK);
        assert_int_equal(c.seek_kind, seeks[i].kind);
        assert_true(c.seconds == seeks[i].s);
    }
    const char *step[] = {"review", "step"}, *back[] = {"review", "step", "back"};
    assert_true(parse(N(step), step, &c, err));
    assert_int_equal(c.step, 1);
    assert_true(parse(N(back), back, &c, err));
    assert_int_equal(c.step, -1);
    const char *st[] = {"review", "status"};
    assert_true(parse(N(st), st, &c, err));
    assert_int_equal(c.review_op, CTL_REVIEW_STATUS);
}

typedef struct {
    int argc;
    const char *argv[8];
    const char *want; /* substring of the error */
} bad_t;

static void test_refused(void **state)
{
    (void)state;
    static const bad_t cases[] = {
        {0, {NULL}, "empty command"},
        {1, {"bogus"}, "unknown command 'bogus'"},
        {2, {"status", "x"}, "status: too many arguments"},
        {1, {"page"}, "page: missing argument"},
        {2, {"page", "Kota Lama"}, "neither next, prev, a page id nor a number"},
        {2, {"focus", "../etc"}, "'../etc' is not a camera id"},
        {1, {"ack"}, "ack: missing argument"},
        {2, {"snapshot", "rel.png"}, "not an absolute path ending in .png"},
        {2, {"snapshot", "/tmp/x.jpg"}, "not an absolute path ending in .png"},
        {6, {"ptz", "a", "move", "2", "0", "0"}, "pan '2' is not a number from -1 to 1"},
        {6, {"ptz", "a", "move", "nan", "0", "0"}, "pan 'nan' is not a number"},
        {5, {"ptz", "a", "move", "0", "0"}, "ptz move: missing argument"},
        {4, {"ptz", "a", "preset", "1.5"}, "not a whole number"},
        {4, {"ptz", "a", "preset", "0"}, "preset '0' is not a number from 1 to 255"},
        {3, {"ptz", "a", "spin"}, "unknown action 'spin'"},
        {1, {"review"}, "review: missing argument"},
        {2, {"review", "rewind"}, "review: unknown action 'rewind'"},
        {2, {"review", "play"}, "review play: missing argument"},
        {3, {"review", "play", "0"}, "'0' is not an incident number"},
        {3, {"review", "play", "3x"}, "'3x' is not an incident number"},
        {4, {"review", "play", "3", "../x"}, "'../x' is not a camera id"},
        {3, {"review", "seek", "5s"}, "'5s' is not +SECONDS"},
        {3, {"review", "seek", "101%"}, "'101%' is not +SECONDS"},
        {3, {"review", "seek", "inf"}, "'inf' is not +SECONDS"},
        {3, {"review", "step", "forward"}, "'forward' is not 'back'"},
        {3, {"review", "pause", "now"}, "review pause: too many arguments"},
    };
    for (int i = 0; i < N(cases); i++) {
        ctl_cmd_t c;
        char err[256] = "";
        if (parse(cases[i].argc, cases[i].argv, &c, err))
            fail_msg("case %d accepted", i);
        if (strstr(err, cases[i].want) == NULL)
            fail_msg("case %d: got '%s', want '%s'", i, err, cases[i].want);
    }
}

static void test_parts(void **state)
{
    (void)state;
    ctl_cmd_t c;
    char err[256];
    const uint8_t *p[2] = {(const uint8_t *)"focusXX", (const uint8_t *)"pasar"};
    size_t len[2] = {5, 5}; /* not NUL-terminated: "focus" */
    assert_true(ctlcmd_parse_parts(2, p, len, &c, err, sizeof err));
    assert_string_equal(c.target, "pasar");

    const uint8_t *ctl[1] = {(const uint8_t *)"sta\ntus"};
    size_t ctl_len[1] = {7};
    assert_false(ctlcmd_parse_parts(1, ctl, ctl_len, &c, err, sizeof err));
    assert_non_null(strstr(err, "control character"));

    const uint8_t *bad[1] = {(const uint8_t *)"\xff\xfe"};
    size_t bad_len[1] = {2};
    assert_false(ctlcmd_parse_parts(1, bad, bad_len, &c, err, sizeof err));
    assert_non_null(strstr(err, "not UTF-8"));

    static uint8_t big[CTLCMD_MAX_PART + 1];
    memset(big, 'a', sizeof big);
    const uint8_t *bigp[1] = {big};
    size_t big_len[1] = {sizeof big};
    assert_false(ctlcmd_parse_parts(1, bigp, big_len, &c, err, sizeof err));
    assert_non_null(strstr(err, "bytes (at most"));

    assert_false(ctlcmd_parse_parts(0, NULL, NULL, &c, err, sizeof err));
    assert_false(ctlcmd_parse_parts(CTLCMD_MAX_PARTS + 1, NULL, NULL, &c, err, sizeof err));
    assert_non_null(strstr(err, "1..32 parts"));
    assert_non_null(strstr(ctlcmd_help(), "snapshot"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_accepted),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_parts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
