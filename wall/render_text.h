/* render_text: text for the renderer with SDL2_ttf. Finds the font files once, keeps one TTF_Font
 * per (pixel size, style) in a small LRU, and caches rendered strings as textures keyed by
 * (string, size, style, colour, width limit) in an LRU, so the clock and the static labels are
 * rasterised only when they change: a lookup that hits allocates nothing. A string wider than
 * its limit is cut at a character boundary and ends with an ellipsis.
 *
 * Thread: the render thread only. Owns the font data, the fonts and the text textures; borrows
 * the SDL_Renderer, which must outlive it. */
#ifndef PANTAU_RENDER_TEXT_H
#define PANTAU_RENDER_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <SDL.h>

typedef enum {
    RENDER_TEXT_REGULAR = 0,
    RENDER_TEXT_BOLD,
    RENDER_TEXT_N_STYLES
} render_text_style_t;

typedef struct render_text render_text_t;

/* A cached text picture: owned by the cache, valid until the next render_text_get. */
typedef struct {
    SDL_Texture *tex;
    int w, h;
} render_text_img_t;

/* Finds the regular and bold font files: font_path if given, else $PANTAU_FONT if set (either
 * one, when given, is the only candidate: a configured font that is missing is an error), else
 * DejaVuSans.ttf in PANTAU_ASSETS_DIR/fonts, PANTAU_INSTALL_ASSETS_DIR/fonts and the system's
 * DejaVu folder. The bold file is the "-Bold" sibling of the regular one; bold[0] == '\0' when
 * there is none (the cache then emboldens the regular face). Returns 0, or -1 with the paths
 * tried in err. */
int render_text_find_fonts(const char *font_path, char *regular, char *bold, size_t cap, char *err,
                           size_t err_cap);

/* Loads the fonts (see render_text_find_fonts) and makes an empty cache. Calls TTF_Init (SDL_ttf
 * counts its users). Returns NULL with a reason in err. */
render_text_t *render_text_new(SDL_Renderer *sdl, const char *font_path, char *err, size_t err_cap);

/* Frees the textures and fonts and calls TTF_Quit once; idempotent, NULLs *t. */
void render_text_destroy(render_text_t **t);

/* The picture of s[0..len) at px pixels (em size) in style and colour, cut with an ellipsis to
 * max_w pixels (max_w <= 0: no limit). Returns 1 with *out filled, 0 when there is nothing to
 * draw (empty string, or not even the ellipsis fits), -1 if SDL_ttf or SDL failed
 * (SDL_GetError() says why). */
int render_text_get(render_text_t *t, const char *s, size_t len, int px, render_text_style_t style,
                    SDL_Color colour, int max_w, render_text_img_t *out);

/* Height of a line of text at px pixels in style (the height of its pictures), or -1. */
int render_text_line_height(render_text_t *t, int px, render_text_style_t style);

/* Number of cached text pictures (tests). */
int render_text_cached(const render_text_t *t);

#endif
