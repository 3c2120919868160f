/* render_text: font discovery, font and text caches (see render_text.h). */
#include "render_text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL_ttf.h>

#define DEFAULT_FONT_SLOTS 24     /* open TTF_Fonts: (size, style) pairs in use at once */
#define DEFAULT_TEXT_ENTRIES 512  /* cached text pictures: a 4x4 wall uses about 120 */
#define DEFAULT_TEXT_BUCKETS 1024 /* hash buckets, a power of two */
#define DEFAULT_FONT_FILE "DejaVuSans.ttf"
#define DEFAULT_BOLD_FILE "DejaVuSans-Bold.ttf"
#define DEFAULT_SYSTEM_FONT_DIR "/usr/share/fonts/truetype/dejavu"
#define TEXT_PX_MIN 4
#define TEXT_PX_MAX 1024
#define TEXT_ELLIPSIS "\xe2\x80\xa6" /* U+2026 */

typedef struct {
    TTF_Font *font; /* NULL: free slot */
    int px;
    render_text_style_t style;
    uint64_t used;
} font_slot_t;

typedef struct {
    char *str; /* NULL: free entry */
    size_t len;
    uint64_t hash;
    int px, max_w;
    render_text_style_t style;
    uint32_t rgba;
    render_text_img_t img; /* img.tex NULL: nothing to draw (did not fit) */
    uint64_t used;
    int next; /* next entry in the same bucket, -1 = end */
} text_entry_t;

struct render_text {
    SDL_Renderer *sdl;
    void *face[RENDER_TEXT_N_STYLES]; /* font files in memory; face[BOLD] NULL: embolden */
    size_t face_size[RENDER_TEXT_N_STYLES];
    bool ttf_inited;
    uint64_t tick; /* LRU clock: bumped on every lookup */
    int n_cached;
    font_slot_t fonts[DEFAULT_FONT_SLOTS];
    text_entry_t entries[DEFAULT_TEXT_ENTRIES];
    int buckets[DEFAULT_TEXT_BUCKETS];
};

/* ---- font files ---------------------------------------------------------------------------- */

static bool readable(const char *path)
{
    return path[0] != '\0' && access(path, R_OK) == 0;
}

/* "X-Regular.ttf" or "X.ttf" → "X-Bold.ttf" in bold if that file exists, else bold = "". */
static void bold_sibling(const char *regular, char *bold, size_t cap)
{
    bold[0] = '\0';
    const char *dot = strrchr(regular, '.');
    const char *slash = strrchr(regular, '/');
    if (dot == NULL || (slash != NULL && dot < slash))
        return;
    size_t stem = (size_t)(dot - regular);
    const char *tag = "-Regular";
    size_t tag_len = strlen(tag);
    if (stem >= tag_len && strncmp(dot - tag_len, tag, tag_len) == 0)
        stem -= tag_len;
    int n = snprintf(bold, cap, "%.*s-Bold%s", (int)stem, regular, dot);
    if (n < 0 || (size_t)n >= cap || !readable(bold))
        bold[0] = '\0';
}

static int try_font(const char *path, char *regular, char *bold, size_t cap)
{
    if (!readable(path) || strlen(path) >= cap)
        return -1;
    snprintf(regular, cap, "%s", path);
    bold_sibling(regular, bold, cap);
    return 0;
}

int render_text_find_fonts(const char *font_path, char *regular, char *bold, size_t cap, char *err,
                           size_t err_cap)
{
    const char *env = getenv("PANTAU_FONT");
    const char *given = font_path != NULL ? font_path : (env != NULL && env[0] ? env : NULL);
    regular[0] = bold[0] = '\0';
    if (given != NULL) {
        if (try_font(given, regular, bold, cap) == 0)
            return 0;
        snprintf(err, err_cap, "font not found: tried %s%s", given,
                 font_path != NULL ? "" : " (from PANTAU_FONT)");
        return -1;
    }
    static const char *const dirs[] = {
#ifdef PANTAU_ASSETS_DIR
        PANTAU_ASSETS_DIR "/fonts",
#endif
#ifdef PANTAU_INSTALL_ASSETS_DIR
        PANTAU_INSTALL_ASSETS_DIR "/fonts",
#endif
        DEFAULT_SYSTEM_FONT_DIR,
    };
    size_t n_dirs = sizeof dirs / sizeof dirs[0];
    size_t used = (size_t)snprintf(err, err_cap, "font not found: tried");
    for (size_t i = 0; i < n_dirs; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dirs[i], DEFAULT_FONT_FILE);
        if (try_font(path, regular, bold, cap) == 0)
            return 0;
        if (used < err_cap)
            used += (size_t)snprintf(err + used, err_cap - used, "%s %s", i ? "," : "", path);
    }
    return -1;
}

static int load_faces(render_text_t *t, const char *font_path, char *err, size_t err_cap)
{
    char paths[RENDER_TEXT_N_STYLES][1024];
    if (render_text_find_fonts(font_path, paths[0], paths[1], sizeof paths[0], err, err_cap) != 0)
        return -1;
    for (int s = 0; s < RENDER_TEXT_N_STYLES; s++) {
        if (paths[s][0] == '\0')
            continue;
        t->face[s] = SDL_LoadFile(paths[s], &t->face_size[s]);
        if (t->face[s] == NULL) {
            snprintf(err, err_cap, "cannot read font %s: %s", paths[s], SDL_GetError());
            return -1;
        }
    }
    return 0;
}

/* ---- fonts per size ------------------------------------------------------------------------ */

static TTF_Font *open_font(render_text_t *t, int px, render_text_style_t style)
{
    bool embolden = style == RENDER_TEXT_BOLD && t->face[RENDER_TEXT_BOLD] == NULL;
    int face = embolden ? RENDER_TEXT_REGULAR : (int)style;
    SDL_RWops *rw = SDL_RWFromConstMem(t->face[face], (int)t->face_size[face]);
    if (rw == NULL)
        return NULL;
    TTF_Font *font = TTF_OpenFontRW(rw, 1, px);
    if (font != NULL && embolden)
        TTF_SetFontStyle(font, TTF_STYLE_BOLD);
    return font;
}

static TTF_Font *font_get(render_text_t *t, int px, render_text_style_t style)
{
    font_slot_t *victim = &t->fonts[0];
    for (int i = 0; i < DEFAULT_FONT_SLOTS; i++) {
        font_slot_t *f = &t->fonts[i];
        if (f->font != NULL && f->px == px && f->style == style) {
            f->used = ++t->tick;
            return f->font;
        }
        if (victim->font != NULL && (f->font == NULL || f->used < victim->used))
            victim = f;
    }
    TTF_Font *font = open_font(t, px, style);
    if (font == NULL)
        return NULL;
    if (victim->font != NULL)
        TTF_CloseFont(victim->font);
    *victim = (font_slot_t){font, px, style, ++t->tick};
    return font;
}

/* ---- text pictures ------------------------------------------------------------------------- */

static uint64_t text_hash(const char *s, size_t len, int px, int style, uint32_t rgba, int max_w)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    uint64_t extra[] = {(uint64_t)px, (uint64_t)style, rgba, (uint64_t)(uint32_t)max_w};
    for (size_t i = 0; i < sizeof extra / sizeof extra[0]; i++)
        h = (h ^ extra[i]) * 1099511628211ull;
    return h;
}

static uint32_t pack(SDL_Color c)
{
    return (uint32_t)c.r << 24 | (uint32_t)c.g << 16 | (uint32_t)c.b << 8 | c.a;
}

static text_entry_t *lookup(render_text_t *t, uint64_t hash, const char *s, size_t len, int px,
                            render_text_style_t style, uint32_t rgba, int max_w)
{
    for (int i = t->buckets[hash & (DEFAULT_TEXT_BUCKETS - 1)]; i >= 0; i = t->entries[i].next) {
        text_entry_t *e = &t->entries[i];
        if (e->hash == hash && e->len == len && e->px == px && e->style == style &&
            e->rgba == rgba && e->max_w == max_w && memcmp(e->str, s, len) == 0)
            return e;
    }
    return NULL;
}

static void entry_free(render_text_t *t, text_entry_t *e)
{
    int idx = (int)(e - t->entries);
    int *link = &t->buckets[e->hash & (DEFAULT_TEXT_BUCKETS - 1)];
    while (*link >= 0 && *link != idx)
        link = &t->entries[*link].next;
    if (*link == idx)
        *link = e->next;
    if (e->img.tex != NULL)
        SDL_DestroyTexture(e->img.tex);
    free(e->str);
    memset(e, 0, sizeof *e);
    e->next = -1;
    t->n_cached--;
}

/* A free entry, evicting the least recently used one when the cache is full. */
static text_entry_t *entry_take(render_text_t *t)
{
    text_entry_t *victim = &t->entries[0];
    for (int i = 0; i < DEFAULT_TEXT_ENTRIES; i++) {
        text_entry_t *e = &t->entries[i];
        if (e->str == NULL)
            return e;
        if (e->used < victim->used)
            victim = e;
    }
    entry_free(t, victim);
    return victim;
}

/* Byte offset after the first n characters of s[0..len). */
static size_t utf8_skip(const char *s, size_t len, int n)
{
    size_t i = 0;
    for (int c = 0; c < n && i < len; c++)
        do
            i++;
        while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80);
    return i;
}

/* Cuts buf (len bytes, NUL-terminated, room for the ellipsis) to the longest prefix that fits
 * max_w with the ellipsis after it. Returns 1, 0 when not even the ellipsis fits, -1 on failure. */
static int ellipsise(TTF_Font *font, char *buf, size_t len, int max_w)
{
    int ell_w = 0, w = 0, h = 0, extent = 0, count = 0;
    if (TTF_SizeUTF8(font, TEXT_ELLIPSIS, &ell_w, &h) != 0)
        return -1;
    if (ell_w > max_w)
        return 0;
    if (TTF_MeasureUTF8(font, buf, max_w - ell_w, &extent, &count) != 0)
        return -1;
    size_t cut = utf8_skip(buf, len, count);
    for (;;) { /* kerning can make the measured prefix a little too wide: step back */
        while (cut > 0 && buf[cut - 1] == ' ')
            cut--;
        memcpy(buf + cut, TEXT_ELLIPSIS, sizeof TEXT_ELLIPSIS);
        if (TTF_SizeUTF8(font, buf, &w, &h) != 0)
            return -1;
        if (w <= max_w || cut == 0)
            return 1;
        do
            cut--;
        while (cut > 0 && ((unsigned char)buf[cut] & 0xc0) == 0x80);
    }
}

/* Rasterises e's string into e->img (tex NULL when nothing fits). Returns 0 or -1. */
static int rasterise(render_text_t *t, text_entry_t *e, TTF_Font *font, SDL_Color colour)
{
    int rc = -1;
    SDL_Surface *surf = NULL;
    char *buf = malloc(e->len + sizeof TEXT_ELLIPSIS);
    if (buf == NULL)
        goto fail;
    memcpy(buf, e->str, e->len);
    buf[e->len] = '\0';
    int w = 0, h = 0;
    if (TTF_SizeUTF8(font, buf, &w, &h) != 0)
        goto fail;
    if (e->max_w > 0 && w > e->max_w) {
        int fits = ellipsise(font, buf, e->len, e->max_w);
        if (fits <= 0) {
            rc = fits;
            goto fail;
        }
    }
    surf = TTF_RenderUTF8_Blended(font, buf, colour);
    if (surf == NULL)
        goto fail;
    e->img.tex = SDL_CreateTextureFromSurface(t->sdl, surf);
    if (e->img.tex == NULL)
        goto fail;
    SDL_SetTextureScaleMode(e->img.tex, SDL_ScaleModeLinear);
    e->img.w = surf->w;
    e->img.h = surf->h;
    rc = 0;
fail:
    SDL_FreeSurface(surf);
    free(buf);
    return rc;
}

int render_text_get(render_text_t *t, const char *s, size_t len, int px, render_text_style_t style,
                    SDL_Color colour, int max_w, render_text_img_t *out)
{
    *out = (render_text_img_t){NULL, 0, 0};
    if (s == NULL || len == 0 || px < TEXT_PX_MIN || px > TEXT_PX_MAX)
        return 0;
    uint32_t rgba = pack(colour);
    max_w = max_w > 0 ? max_w : 0;
    uint64_t hash = text_hash(s, len, px, (int)style, rgba, max_w);
    text_entry_t *e = lookup(t, hash, s, len, px, style, rgba, max_w);
    if (e == NULL) {
        TTF_Font *font = font_get(t, px, style);
        if (font == NULL)
            return -1;
        e = entry_take(t);
        e->str = malloc(len);
        if (e->str == NULL)
            return SDL_OutOfMemory();
        memcpy(e->str, s, len);
        *e = (text_entry_t){e->str, len, hash, px, max_w, style, rgba, {NULL, 0, 0}, 0,
                            t->buckets[hash & (DEFAULT_TEXT_BUCKETS - 1)]};
        t->buckets[hash & (DEFAULT_TEXT_BUCKETS - 1)] = (int)(e - t->entries);
        t->n_cached++;
        if (rasterise(t, e, font, colour) < 0) {
            entry_free(t, e);
            return -1;
        }
    }
    e->used = ++t->tick;
    *out = e->img;
    return out->tex != NULL ? 1 : 0;
}

int render_text_line_height(render_text_t *t, int px, render_text_style_t style)
{
    TTF_Font *font = px < TEXT_PX_MIN || px > TEXT_PX_MAX ? NULL : font_get(t, px, style);
    return font != NULL ? TTF_FontHeight(font) : -1;
}

int render_text_cached(const render_text_t *t)
{
    return t != NULL ? t->n_cached : 0;
}

/* ---- lifecycle ----------------------------------------------------------------------------- */

render_text_t *render_text_new(SDL_Renderer *sdl, const char *font_path, char *err, size_t err_cap)
{
    render_text_t *t = calloc(1, sizeof *t);
    if (t == NULL) {
        snprintf(err, err_cap, "out of memory");
        return NULL;
    }
    t->sdl = sdl;
    for (int i = 0; i < DEFAULT_TEXT_BUCKETS; i++)
        t->buckets[i] = -1;
    for (int i = 0; i < DEFAULT_TEXT_ENTRIES; i++)
        t->entries[i].next = -1;
    if (load_faces(t, font_path, err, err_cap) != 0)
        goto fail;
    if (TTF_Init() != 0) {
        snprintf(err, err_cap, "SDL_ttf: %s", TTF_GetError());
        goto fail;
    }
    t->ttf_inited = true;
    if (font_get(t, 16, RENDER_TEXT_REGULAR) == NULL) { /* the file is a font we can read */
        snprintf(err, err_cap, "cannot open font: %s", TTF_GetError());
        goto fail;
    }
    return t;
fail:
    render_text_destroy(&t);
    return NULL;
}

void render_text_destroy(render_text_t **tp)
{
    if (tp == NULL || *tp == NULL)
        return;
    render_text_t *t = *tp;
    for (int i = 0; i < DEFAULT_TEXT_ENTRIES; i++)
        if (t->entries[i].str != NULL)
            entry_free(t, &t->entries[i]);
    for (int i = 0; i < DEFAULT_FONT_SLOTS; i++)
        if (t->fonts[i].font != NULL)
            TTF_CloseFont(t->fonts[i].font);
    if (t->ttf_inited)
        TTF_Quit();
    for (int s = 0; s < RENDER_TEXT_N_STYLES; s++)
        SDL_free(t->face[s]);
    free(t);
    *tp = NULL;
}
