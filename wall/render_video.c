/* render_video: per-tile IYUV textures (see render_video.h). */
#include "render_video.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DEFAULT_VIDEO_SLOTS 16 /* first allocation; grows by doubling with new ids */
#define DEFAULT_VIDEO_SCALE SDL_ScaleModeLinear /* only used when a frame is not tile-sized */

typedef struct {
    char *id;
    SDL_Texture *tex;
    int w, h;
    unsigned seen; /* last frame generation the id was in the scene */
} video_entry_t;

struct render_video {
    SDL_Renderer *sdl;
    video_entry_t *entries;
    int n, cap;
    uint64_t uploads, upload_cpu_ns; /* SDL_UpdateYUVTexture calls and their thread CPU time */
};

/* This thread's CPU time: the software renderer converts I420 to RGB inside the upload, which is
 * the display's cost (the peers never make RGB), so it is measured apart. */
static uint64_t thread_cpu_ns(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

render_video_t *render_video_new(SDL_Renderer *sdl)
{
    render_video_t *v = calloc(1, sizeof *v);
    if (v != NULL)
        v->sdl = sdl;
    return v;
}

void render_video_destroy(render_video_t **vp)
{
    if (vp == NULL || *vp == NULL)
        return;
    render_video_t *v = *vp;
    for (int i = 0; i < v->n; i++) {
        SDL_DestroyTexture(v->entries[i].tex);
        free(v->entries[i].id);
    }
    free(v->entries);
    free(v);
    *vp = NULL;
}

static video_entry_t *find(render_video_t *v, const char *id)
{
    for (int i = 0; i < v->n; i++)
        if (strcmp(v->entries[i].id, id) == 0)
            return &v->entries[i];
    return NULL;
}

static video_entry_t *add(render_video_t *v, const char *id)
{
    if (v->n == v->cap) {
        int cap = v->cap ? v->cap * 2 : DEFAULT_VIDEO_SLOTS;
        video_entry_t *grown = realloc(v->entries, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return NULL;
        v->entries = grown;
        v->cap = cap;
    }
    char *copy = strdup(id);
    if (copy == NULL)
        return NULL;
    video_entry_t *e = &v->entries[v->n++];
    *e = (video_entry_t){copy, NULL, 0, 0, 0};
    return e;
}

static void drop(render_video_t *v, video_entry_t *e)
{
    SDL_DestroyTexture(e->tex);
    free(e->id);
    *e = v->entries[--v->n]; /* order does not matter */
}

static bool planes_ok(const scene_tile_t *t)
{
    int cw = (t->frame_w + 1) / 2;
    return t->frame_w > 0 && t->frame_h > 0 && t->planes[0] && t->planes[1] && t->planes[2] &&
           t->strides[0] >= t->frame_w && t->strides[1] >= cw && t->strides[2] >= cw;
}

/* (Re)creates e's texture at w x h. Returns 0 or -1. */
static int resize(render_video_t *v, video_entry_t *e, int w, int h)
{
    SDL_Texture *tex =
        SDL_CreateTexture(v->sdl, SDL_PIXELFORMAT_IYUV, SDL_TEXTUREACCESS_STREAMING, w, h);
    if (tex == NULL)
        return -1;
    SDL_SetTextureScaleMode(tex, DEFAULT_VIDEO_SCALE);
    SDL_DestroyTexture(e->tex);
    e->tex = tex;
    e->w = w;
    e->h = h;
    return 0;
}

int render_video_texture(render_video_t *v, const scene_tile_t *t, unsigned gen, SDL_Texture **tex)
{
    *tex = NULL;
    if (t->id == NULL)
        return 0;
    video_entry_t *e = find(v, t->id);
    if (e != NULL)
        e->seen = gen;
    if (!t->has_frame)
        return 0;
    bool fits = e != NULL && e->w == t->frame_w && e->h == t->frame_h;
    if (fits && !t->frame_new) {
        *tex = e->tex;
        return 1;
    }
    if (!planes_ok(t))
        return 0;
    if (e == NULL && (e = add(v, t->id)) == NULL)
        return SDL_OutOfMemory();
    e->seen = gen;
    if (!fits && resize(v, e, t->frame_w, t->frame_h) != 0) {
        if (e->tex == NULL)
            drop(v, e);
        return -1;
    }
    uint64_t t0 = thread_cpu_ns();
    int up = SDL_UpdateYUVTexture(e->tex, NULL, t->planes[0], t->strides[0], t->planes[1],
                                  t->strides[1], t->planes[2], t->strides[2]);
    v->upload_cpu_ns += thread_cpu_ns() - t0;
    v->uploads++;
    if (up != 0)
        return -1;
    *tex = e->tex;
    return 1;
}

void render_video_sweep(render_video_t *v, unsigned gen)
{
    for (int i = v->n - 1; i >= 0; i--)
        if (v->entries[i].seen != gen)
            drop(v, &v->entries[i]);
}

void render_video_touch(render_video_t *v, const char *id, unsigned gen)
{
    video_entry_t *e = v != NULL && id != NULL ? find(v, id) : NULL;
    if (e != NULL)
        e->seen = gen;
}

int render_video_count(const render_video_t *v)
{
    return v != NULL ? v->n : 0;
}

void render_video_upload_stats(const render_video_t *v, uint64_t *uploads, uint64_t *cpu_ns)
{
    *uploads = v != NULL ? v->uploads : 0;
    *cpu_ns = v != NULL ? v->upload_cpu_ns : 0;
}
