/* input: operator keys and clicks to wall actions (see input.h). */
#include "input.h"

#include <string.h>

static bool digit(SDL_Keycode key, int *n)
{
    if (key >= SDLK_1 && key <= SDLK_9) {
        *n = (int)(key - SDLK_1) + 1;
        return true;
    }
    if (key >= SDLK_KP_1 && key <= SDLK_KP_9) {
        *n = (int)(key - SDLK_KP_1) + 1;
        return true;
    }
    return false;
}

/* A PTZ key of a focused tile: arrows and zoom. */
static bool ptz_key(SDL_Keycode key, input_action_t *a)
{
    const double v = INPUT_PTZ_SPEED;
    switch (key) {
    case SDLK_LEFT: a->pan = -v; return true;
    case SDLK_RIGHT: a->pan = v; return true;
    case SDLK_UP: a->tilt = v; return true;
    case SDLK_DOWN: a->tilt = -v; return true;
    case SDLK_PLUS: case SDLK_EQUALS: case SDLK_KP_PLUS: a->zoom = v; return true;
    case SDLK_MINUS: case SDLK_KP_MINUS: a->zoom = -v; return true;
    default: return false;
    }
}

static void map_key(const SDL_KeyboardEvent *k, bool focused, input_action_t *a)
{
    SDL_Keycode key = k->keysym.sym;
    bool ctrl = (k->keysym.mod & KMOD_CTRL) != 0, shift = (k->keysym.mod & KMOD_SHIFT) != 0;
    int n;
    if (k->type == SDL_KEYUP) {
        input_action_t probe = {0};
        if (focused && ptz_key(key, &probe))
            a->kind = INPUT_PTZ_STOP;
        return;
    }
    if (k->repeat)
        return;
    if (focused && ptz_key(key, a)) {
        a->kind = INPUT_PTZ_MOVE;
        return;
    }
    if (digit(key, &n)) {
        a->kind = focused ? INPUT_PTZ_PRESET : INPUT_PAGE;
        a->n = focused ? n : n - 1;
        return;
    }
    switch (key) {
    case SDLK_q: a->kind = ctrl ? INPUT_QUIT : INPUT_NONE; break;
    case SDLK_s: a->kind = INPUT_SNAPSHOT; break;
    case SDLK_m: a->kind = INPUT_MARK; break;
    case SDLK_r: a->kind = INPUT_RELOAD; break;
    case SDLK_F11: a->kind = INPUT_FULLSCREEN; break;
    case SDLK_a: a->kind = INPUT_ACK; break;
    case SDLK_ESCAPE: a->kind = focused ? INPUT_UNFOCUS : INPUT_NONE; break;
    case SDLK_RETURN: case SDLK_KP_ENTER: case SDLK_f:
        a->kind = focused ? INPUT_NONE : INPUT_FOCUS;
        break;
    case SDLK_PAGEDOWN: a->kind = INPUT_PAGE_STEP; a->n = 1; break;
    case SDLK_PAGEUP: a->kind = INPUT_PAGE_STEP; a->n = -1; break;
    case SDLK_TAB: a->kind = INPUT_PAGE_STEP; a->n = shift ? -1 : 1; break;
    case SDLK_LEFT: a->kind = INPUT_SELECT_MOVE; a->dx = -1; break;
    case SDLK_RIGHT: a->kind = INPUT_SELECT_MOVE; a->dx = 1; break;
    case SDLK_UP: a->kind = INPUT_SELECT_MOVE; a->dy = -1; break;
    case SDLK_DOWN: a->kind = INPUT_SELECT_MOVE; a->dy = 1; break;
    default: break;
    }
}

bool input_map(const SDL_Event *ev, bool focused, input_action_t *out)
{
    memset(out, 0, sizeof *out);
    switch (ev->type) {
    case SDL_QUIT: out->kind = INPUT_QUIT; break;
    case SDL_KEYDOWN:
    case SDL_KEYUP: map_key(&ev->key, focused, out); break;
    case SDL_MOUSEBUTTONDOWN:
        if (ev->button.button != SDL_BUTTON_LEFT)
            break;
        out->x = ev->button.x;
        out->y = ev->button.y;
        out->window = ev->button.windowID;
        out->kind = ev->button.clicks >= 2 ? (focused ? INPUT_UNFOCUS : INPUT_FOCUS_AT)
                                           : (focused ? INPUT_NONE : INPUT_SELECT_AT);
        break;
    default: break;
    }
    return out->kind != INPUT_NONE;
}

bool input_map_review(const SDL_Event *ev, review_key_t *key, int *n, int *x, int *y)
{
    *key = REVIEW_KEY_NONE;
    *n = *x = *y = 0;
    if (ev->type == SDL_MOUSEBUTTONDOWN && ev->button.button == SDL_BUTTON_LEFT) {
        *key = REVIEW_KEY_CLICK;
        *x = ev->button.x;
        *y = ev->button.y;
        return true;
    }
    if (ev->type != SDL_KEYDOWN)
        return false;
    SDL_Keycode k = ev->key.keysym.sym;
    bool shift = (ev->key.keysym.mod & KMOD_SHIFT) != 0;
    if ((ev->key.keysym.mod & KMOD_CTRL) != 0)
        return false;
    switch (k) {
    case SDLK_UP: *key = REVIEW_KEY_SELECT; *n = -1; break;
    case SDLK_DOWN: *key = REVIEW_KEY_SELECT; *n = 1; break;
    case SDLK_RETURN: case SDLK_KP_ENTER: *key = REVIEW_KEY_OPEN; break;
    case SDLK_SPACE: case SDLK_k: *key = REVIEW_KEY_PAUSE; break;
    case SDLK_LEFT: *key = REVIEW_KEY_SEEK; *n = shift ? -60 : -5; break;
    case SDLK_RIGHT: *key = REVIEW_KEY_SEEK; *n = shift ? 60 : 5; break;
    case SDLK_PAGEUP: *key = REVIEW_KEY_SEEK; *n = -60; break;
    case SDLK_PAGEDOWN: *key = REVIEW_KEY_SEEK; *n = 60; break;
    case SDLK_PERIOD: *key = REVIEW_KEY_STEP; *n = 1; break;
    case SDLK_COMMA: *key = REVIEW_KEY_STEP; *n = -1; break;
    case SDLK_m: *key = REVIEW_KEY_MARK; break;
    case SDLK_TAB: *key = REVIEW_KEY_CAMERA; break;
    case SDLK_e: *key = REVIEW_KEY_EXPORT; break;
    case SDLK_ESCAPE: *key = REVIEW_KEY_CLOSE; break;
    default: return false;
    }
    return true;
}
