/* onvif_profile: the choice of a camera's ONVIF media profile for a tile (see onvif_profile.h).
 * Pure; any thread. */
#include "onvif_profile.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

bool onvif_profile_codec_ok(const char *encoding)
{
    static const char *const ok[] = {"H264", "H.264", "H265", "H.265", "HEVC"};
    if (encoding == NULL)
        return false;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (strcasecmp(encoding, ok[i]) == 0)
            return true;
    return false;
}

static bool onvif_profile_is_h264(const onvif_profile_t *p)
{
    return strcasecmp(p->encoding, "H264") == 0 || strcasecmp(p->encoding, "H.264") == 0;
}

bool onvif_profile_covers(int width, int height, int tile_w, int tile_h, grid_fit_t fit)
{
    if (width < 1 || height < 1 || tile_w < 1 || tile_h < 1)
        return false;
    if (fit == GRID_FIT_LETTERBOX)
        return width >= tile_w || height >= tile_h;
    return width >= tile_w && height >= tile_h;
}

static bool onvif_profile_usable(const onvif_profile_t *p)
{
    return p->token[0] != '\0' && p->width > 0 && p->height > 0 &&
           onvif_profile_codec_ok(p->encoding);
}

/* Orders usable profiles: fewer pixels first, then H.264 before H.265, then the higher frame
 * rate. Negative when a comes first; 0 for a tie (the camera's order then decides). */
static int onvif_profile_cmp(const onvif_profile_t *a, const onvif_profile_t *b)
{
    int64_t pa = (int64_t)a->width * a->height, pb = (int64_t)b->width * b->height;
    if (pa != pb)
        return pa < pb ? -1 : 1;
    if (onvif_profile_is_h264(a) != onvif_profile_is_h264(b))
        return onvif_profile_is_h264(a) ? -1 : 1;
    return b->fps - a->fps;
}

static void onvif_profile_describe(const onvif_profile_t *p, char *out, size_t cap)
{
    char fps[24] = "";
    if (p->fps > 0)
        snprintf(fps, sizeof fps, " %d fps", p->fps);
    snprintf(out, cap, "%s (%dx%d %s%s)", p->name[0] != '\0' ? p->name : p->token, p->width,
             p->height, p->encoding, fps);
}

static int onvif_profile_by_token(const onvif_profile_t *profiles, int n, const char *want,
                                  char *why, size_t cap)
{
    char desc[ONVIF_PROFILE_WHY_MAX];
    for (int i = 0; i < n; i++) {
        if (strcmp(profiles[i].token, want) != 0)
            continue;
        onvif_profile_describe(&profiles[i], desc, sizeof desc);
        if (!onvif_profile_usable(&profiles[i])) {
            snprintf(why, cap, "profile=%s is %s: not an H.264/H.265 stream of known size", want,
                     desc);
            return -1;
        }
        snprintf(why, cap, "%s: named by profile=%s in the layout", desc, want);
        return i;
    }
    snprintf(why, cap, "profile=%s: the camera has no profile with this token (it has %d)", want,
             n);
    return -1;
}

int onvif_profile_choose(const onvif_profile_t *profiles, int n, int tile_w, int tile_h,
                         grid_fit_t fit, const char *want, char *why, size_t cap)
{
    char scratch[ONVIF_PROFILE_WHY_MAX], desc[ONVIF_PROFILE_WHY_MAX];
    if (why == NULL || cap == 0) {
        why = scratch;
        cap = sizeof scratch;
    }
    why[0] = '\0';
    if (n < 0 || (profiles == NULL && n > 0) || tile_w < 1 || tile_h < 1) {
        snprintf(why, cap, "invalid arguments (n=%d, tile %dx%d)", n, tile_w, tile_h);
        return -1;
    }
    if (want != NULL && want[0] != '\0' && strcmp(want, "auto") != 0)
        return onvif_profile_by_token(profiles, n, want, why, cap);
    int best_cover = -1, largest = -1;
    for (int i = 0; i < n; i++) {
        const onvif_profile_t *p = &profiles[i];
        if (!onvif_profile_usable(p))
            continue;
        if (largest < 0 || onvif_profile_cmp(p, &profiles[largest]) > 0)
            largest = i;
        if (onvif_profile_covers(p->width, p->height, tile_w, tile_h, fit) &&
            (best_cover < 0 || onvif_profile_cmp(p, &profiles[best_cover]) < 0))
            best_cover = i;
    }
    if (largest < 0) {
        snprintf(why, cap, "none of the camera's %d profiles is an H.264/H.265 video stream", n);
        return -1;
    }
    int pick = best_cover >= 0 ? best_cover : largest;
    onvif_profile_describe(&profiles[pick], desc, sizeof desc);
    if (best_cover >= 0)
        snprintf(why, cap, "%s: smallest H.264/H.265 profile covering the %dx%d tile", desc,
                 tile_w, tile_h);
    else
        snprintf(why, cap, "%s: largest H.264/H.265 profile (none covers the %dx%d tile)", desc,
                 tile_w, tile_h);
    return pick;
}
