/* test_layout_onvif: the ONVIF keys of a layout camera (wall/layout.h): onvif= and profile=.
 * A valid entry, every kind of bad value (with the message and line), and which changes restart
 * the worker on live reload. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "layout.h"

#define HEAD "[wall]\ngrid=2x1\n"

static layout_t *parse(const char *text, char **errors)
{
    layout_errors_t errs = {NULL, 0, 0};
    layout_t *L = layout_parse(text, strlen(text), "t.ini", &errs);
    *errors = layout_errors_format(&errs);
    layout_errors_clear(&errs);
    return L;
}

static void test_valid(void **state)
{
    (void)state;
    char *errors = NULL;
    layout_t *L = parse(HEAD "[camera a]\nonvif=http://192.168.1.20/onvif/device_service\n"
                             "tile=0,0\n"
                             "[camera b]\nonvif=http://cam.local:8080/onvif/device_service\n"
                             "profile=Profile_2\ntile=1,0\n",
                        &errors);
    if (L == NULL)
        fail_msg("refused:\n%s", errors);
    assert_int_equal(L->n_cameras, 2);
    assert_int_equal(L->cameras[0].kind, LAYOUT_SOURCE_ONVIF);
    assert_null(L->cameras[0].source);
    assert_string_equal(L->cameras[0].onvif, "http://192.168.1.20/onvif/device_service");
    assert_string_equal(L->cameras[0].profile, "auto");
    assert_string_equal(L->cameras[1].profile, "Profile_2");
    free(errors);
    layout_destroy(&L);
}

typedef struct {
    const char *body, *want;
} bad_case_t;

static const bad_case_t bad[] = {
    {"[camera a]\nonvif=rtsp://1.2.3.4/x\ntile=0,0\n",
     "t.ini:4: camera.a.onvif: 'rtsp://1.2.3.4/x' is not an ONVIF device address (allowed: "
     "http://HOST[:PORT]/PATH, e.g. http://192.168.1.20/onvif/device_service)\n"},
    {"[camera a]\nonvif=http://1.2.3.4\ntile=0,0\n",
     "t.ini:4: camera.a.onvif: 'http://1.2.3.4' has no path (the device service is usually "
     "/onvif/device_service)\n"},
    {"[camera a]\nonvif=http://1.2.3.4:99999/onvif/device_service\ntile=0,0\n",
     "t.ini:4: camera.a.onvif: 'http://1.2.3.4:99999/onvif/device_service' has a bad port "
     "(allowed 1..65535)\n"},
    {"[camera a]\nonvif=http://admin:hunter2@1.2.3.4/onvif/device_service\ntile=0,0\n",
     "t.ini:4: camera.a.onvif: 'http://***@1.2.3.4/onvif/device_service' has a password in it: "
     "remove 'USER:PASSWORD@' from the URI and put username= and password= under [a] in the "
     "credentials file\n"},
    {"[camera a]\nsource=test\nonvif=http://1.2.3.4/onvif/device_service\ntile=0,0\n",
     "t.ini:5: camera.a.onvif: give either source= (line 4) or onvif=, not both\n"},
    {"[camera a]\nsource=test\nprofile=main\ntile=0,0\n",
     "t.ini:5: camera.a.profile: profile= only applies to ONVIF cameras (onvif=)\n"},
    {"[camera a]\nonvif=http://1.2.3.4/onvif/device_service\nprofile=two words\ntile=0,0\n",
     "t.ini:5: camera.a.profile: 'two words' is not a profile token (auto, or the camera's "
     "token: printable characters without spaces)\n"},
};

static void test_bad_values(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[512], *errors = NULL;
        snprintf(text, sizeof text, HEAD "%s", bad[i].body);
        layout_t *L = parse(text, &errors);
        if (L != NULL)
            fail_msg("case %zu accepted", i);
        if (strcmp(errors, bad[i].want) != 0)
            fail_msg("case %zu: got\n%s\nwant\n%s", i, errors, bad[i].want);
        assert_null(strstr(errors, "hunter2"));
        free(errors);
    }
}

static void test_restart_rules(void **state)
{
    (void)state;
    char *e1 = NULL, *e2 = NULL, *e3 = NULL;
    layout_t *a = parse(HEAD "[camera a]\nonvif=http://1.2.3.4/onvif/device_service\n"
                             "label=A\ntile=0,0\n", &e1);
    layout_t *b = parse(HEAD "[camera a]\nonvif=http://1.2.3.4/onvif/device_service\n"
                             "label=B\ntile=1,0\n", &e2);
    layout_t *c = parse(HEAD "[camera a]\nonvif=http://1.2.3.4/onvif/device_service\n"
                             "profile=main\ntile=0,0\n", &e3);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_false(layout_camera_needs_restart(a, &a->cameras[0], b, &b->cameras[0]));
    assert_true(layout_camera_needs_restart(a, &a->cameras[0], c, &c->cameras[0]));
    layout_destroy(&a);
    layout_destroy(&b);
    layout_destroy(&c);
    free(e1);
    free(e2);
    free(e3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_restart_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
