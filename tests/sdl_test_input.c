/* Operator input (wall/input.h) with synthetic SDL events: pushed onto SDL's real event queue,
 * polled back and mapped, as the wall's loop does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <SDL.h>

#include "input.h"

static int setup(void **state)
{
    (void)state;
    return SDL_Init(SDL_INIT_EVENTS) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    SDL_Quit();
    return 0;
}

/* Pushes ev through SDL's queue and maps what comes back. */
static input_action_t roundtrip(SDL_Event ev, bool focused)
{
    SDL_Event got;
    input_action_t a;
    assert_int_equal(SDL_PushEvent(&ev), 1);
    /* SDL_PollEvent ends one pass over the queue with 0 (its poll sentinel): ask again. */
    int tries = 0;
    while (SDL_PollEvent(&got) == 0 && ++tries < 4)
        ;
    assert_true(tries < 4);
    assert_int_equal(got.type, ev.type);
    input_map(&got, focused, &a);
    return a;
}

static SDL_Event key(Uint32 type, SDL_Keycode sym, Uint16 mod)
{
    SDL_Event ev;
    SDL_memset(&ev, 0, sizeof ev);
    ev.type = type;
    ev.key.type = type;
    ev.key.state = type == SDL_KEYDOWN ? SDL_PRESSED : SDL_RELEASED;
    ev.key.keysym.sym = sym;
    ev.key.keysym.mod = mod;
    return ev;
}

static SDL_Event click(int x, int y, int clicks)
{
    SDL_Event ev;
    SDL_memset(&ev, 0, sizeof ev);
    ev.type = SDL_MOUSEBUTTONDOWN;
    ev.button.type = SDL_MOUSEBUTTONDOWN;
    ev.button.button = SDL_BUTTON_LEFT;
    ev.button.clicks = (Uint8)clicks;
    ev.button.x = x;
    ev.button.y = y;
    return ev;
}

static void test_grid_keys(void **state)
{
    (void)state;
    input_action_t a = roundtrip(key(SDL_KEYDOWN, SDLK_RIGHT, 0), false);
    assert_int_equal(a.kind, INPUT_SELECT_MOVE);
    assert_int_equal(a.dx, 1);
    assert_int_equal(roundtrip(key(SDL_KEYDOWN, SDLK_RETURN, 0), false).kind, INPUT_FOCUS);
    /* M marks an incident, on the grid and on a focused tile alike; not on release. */
    assert_int_equal(roundtrip(key(SDL_KEYDOWN, SDLK_m, 0), false).kind, INPUT_MARK);
    assert_int_equal(roundtrip(key(SDL_KEYDOWN, SDLK_m, 0), true).kind, INPUT_MARK);
    assert_int_equal(roundtrip(key(SDL_KEYUP, SDLK_m, 0), false).kind, INPUT_NONE);
    a = roundtrip(key(SDL_KEYDOWN, SDLK_3, 0), false);
    assert_int_equal(a.kind, INPUT_PAGE);
    assert_int_equal(a.n, 2);
    a = roundtrip(key(SDL_KEYDOWN, SDLK_TAB, KMOD_LSHIFT), false);
    assert_int_equal(a.kind, INPUT_PAGE_STEP);
    assert_int_equal(a.n, -1);
    assert_int_equal(roundtrip(key(SDL_KEYDOWN, SDLK_PAGEDOWN, 0), false).n, 1);
    assert_int_equal(roundtrip(key(SDL_KEYDOWN, SDLK_q, 0), false).kind, INPUT_NONE);
    assert_int_equal(roundtrip(key(SDL_KEYDOWN, SDLK_q, KMOD_LCTRL), false).kind, INPUT_QUIT);
    assert_int_equal(roundtrip(key(SDL_KEYDOWN, SDLK_ESCAPE, 0), false).kind, INPUT_NONE);
    assert_int_equal(roundtrip(key(SDL_KEYDOWN, SDLK_a, 0), false).kind, INPUT_ACK);
    assert_int_equal(roundtrip(key(SDL_KEYUP, SDLK_LEFT, 0), false).kind, INPUT_NONE);
    SDL_Event rep = key(SDL_KEYDOWN, SDLK_s, 0);
    rep.key.repeat = 1;
    assert_int_equal(roundtrip(rep, false).kind, INPUT_NONE);
}

static void test_focus_keys(void **state)
{
    (void)state;
    input_action_t a = roundtrip(key(SDL_KEYDOWN, SDLK_LEFT, 0), true);
    assert_int_equal(a.kind, INPUT_PTZ_MOVE);
    assert_true(a.pan < 0 && a.tilt == 0 && a.zoom == 0);
    a = roundtrip(key(SDL_KEYDOWN, SDLK_KP_PLUS, 0), true);
    assert_true(a.kind == INPUT_PTZ_MOVE && a.zoom > 0);
    assert_int_equal(roundtrip(key(SDL_KEYUP, SDLK_LEFT, 0), true).kind, INPUT_PTZ_STOP);
    a = roundtrip(key(SDL_KEYDOWN, SDLK_2, 0), true);
    assert_int_equal(a.kind, INPUT_PTZ_PRESET);
    assert_int_equal(a.n, 2);
    assert_int_equal(roundtrip(key(SDL_KEYDOWN, SDLK_ESCAPE, 0), true).kind, INPUT_UNFOCUS);
    assert_int_equal(roundtrip(key(SDL_KEYDOWN, SDLK_RETURN, 0), true).kind, INPUT_NONE);
}

static void test_mouse(void **state)
{
    (void)state;
    input_action_t a = roundtrip(click(100, 50, 1), false);
    assert_int_equal(a.kind, INPUT_SELECT_AT);
    assert_true(a.x == 100 && a.y == 50);
    assert_int_equal(roundtrip(click(100, 50, 2), false).kind, INPUT_FOCUS_AT);
    assert_int_equal(roundtrip(click(100, 50, 2), true).kind, INPUT_UNFOCUS);
    assert_int_equal(roundtrip(click(100, 50, 1), true).kind, INPUT_NONE);
    SDL_Event quit;
    SDL_memset(&quit, 0, sizeof quit);
    quit.type = SDL_QUIT;
    assert_int_equal(roundtrip(quit, false).kind, INPUT_QUIT);
}

/* The review window's keys and clicks (input_map_review), straight from synthetic events. */
static void test_review_keys(void **state)
{
    (void)state;
    static const struct {
        SDL_Keycode sym;
        Uint16 mod;
        review_key_t want;
        int n;
    } cases[] = {
        {SDLK_UP, 0, REVIEW_KEY_SELECT, -1},     {SDLK_DOWN, 0, REVIEW_KEY_SELECT, 1},
        {SDLK_RETURN, 0, REVIEW_KEY_OPEN, 0},    {SDLK_SPACE, 0, REVIEW_KEY_PAUSE, 0},
        {SDLK_LEFT, 0, REVIEW_KEY_SEEK, -5},     {SDLK_RIGHT, 0, REVIEW_KEY_SEEK, 5},
        {SDLK_LEFT, KMOD_LSHIFT, REVIEW_KEY_SEEK, -60},
        {SDLK_RIGHT, KMOD_LSHIFT, REVIEW_KEY_SEEK, 60},
        {SDLK_PAGEUP, 0, REVIEW_KEY_SEEK, -60},  {SDLK_PAGEDOWN, 0, REVIEW_KEY_SEEK, 60},
        {SDLK_PERIOD, 0, REVIEW_KEY_STEP, 1},    {SDLK_COMMA, 0, REVIEW_KEY_STEP, -1},
        {SDLK_m, 0, REVIEW_KEY_MARK, 0},         {SDLK_TAB, 0, REVIEW_KEY_CAMERA, 0},
        {SDLK_e, 0, REVIEW_KEY_EXPORT, 0},       {SDLK_ESCAPE, 0, REVIEW_KEY_CLOSE, 0},
    };
    review_key_t k;
    int n, x, y;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        SDL_Event ev = key(SDL_KEYDOWN, cases[i].sym, cases[i].mod);
        assert_true(input_map_review(&ev, &k, &n, &x, &y));
        assert_int_equal(k, cases[i].want);
        assert_int_equal(n, cases[i].n);
    }
    /* Not review keys: Ctrl+Q, S and F11 are left to input_map; key releases mean nothing. */
    SDL_Event q = key(SDL_KEYDOWN, SDLK_q, KMOD_LCTRL), s = key(SDL_KEYDOWN, SDLK_s, 0);
    SDL_Event up = key(SDL_KEYUP, SDLK_SPACE, 0);
    assert_false(input_map_review(&q, &k, &n, &x, &y));
    assert_false(input_map_review(&s, &k, &n, &x, &y));
    assert_false(input_map_review(&up, &k, &n, &x, &y));
    assert_int_equal(k, REVIEW_KEY_NONE);
    SDL_Event c = click(300, 200, 1);
    assert_true(input_map_review(&c, &k, &n, &x, &y));
    assert_true(k == REVIEW_KEY_CLICK && x == 300 && y == 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grid_keys),
        cmocka_unit_test(test_focus_keys),
        cmocka_unit_test(test_mouse),
        cmocka_unit_test(test_review_keys),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
