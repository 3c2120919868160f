/* onvif_profile: which ONVIF media profile a worker streams. Pure: plain data in, an index and a
 * sentence saying why out; no libonvif, no I/O, so the rule is unit-tested on its own
 * (tests/test_onvif_profile.c).
 *
 * The rule (docs/onvif.md): among the profiles with an H.264 or H.265 video encoder, take the
 * smallest (fewest pixels) whose picture covers the tile without upscaling; when none covers, the
 * largest. A grid tile thus gets the camera's substream and a focused, canvas-sized worker its main
 * stream. At equal size H.264 beats H.265 (cheaper to decode), then the higher frame rate, then the
 * camera's order. A token given by the layout (profile=TOKEN) overrides the rule. */
#ifndef PANTAU_INGEST_ONVIF_PROFILE_H
#define PANTAU_INGEST_ONVIF_PROFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "grid.h"

#define ONVIF_PROFILE_TOKEN_MAX 64
#define ONVIF_PROFILE_NAME_MAX 64
#define ONVIF_PROFILE_ENCODING_MAX 16
#define ONVIF_PROFILE_MAX 16 /* profiles considered per camera */
#define ONVIF_PROFILE_WHY_MAX 256

typedef struct {
    char token[ONVIF_PROFILE_TOKEN_MAX];       /* profile token ("" = unusable entry) */
    char name[ONVIF_PROFILE_NAME_MAX];         /* the camera's name for it, may be "" */
    char encoding[ONVIF_PROFILE_ENCODING_MAX]; /* as the camera says: "H264", "H265", "JPEG", ... */
    int width, height;                         /* encoder resolution; 0 = unknown */
    int fps;                                   /* frame rate limit; 0 = unknown */
} onvif_profile_t;

/* True when the encoding names H.264 or H.265 ("H264", "H.264", "H265", "HEVC", any case). */
bool onvif_profile_codec_ok(const char *encoding);

/* True when a width x height picture fills a tile_w x tile_h tile with the given fit without being
 * scaled up: letterbox needs one side to reach the tile's (the picture is scaled by the smaller
 * ratio); crop and stretch need both. */
bool onvif_profile_covers(int width, int height, int tile_w, int tile_h, grid_fit_t fit);

/* Chooses among n profiles for a tile of tile_w x tile_h drawn with fit. want is a profile token
 * (the layout's profile=TOKEN) or NULL/""/"auto" for the rule above. Returns the index, or -1 when
 * nothing is usable (no H.264/H.265 profile with a known size; or want names no profile, or one
 * that is not H.264/H.265). why (cap bytes, always terminated) gets one sentence for the log or the
 * tile, e.g. "sub (640x360 H264 25 fps): smallest H.264/H.265 profile covering the 480x270 tile".
 * Invalid arguments (profiles NULL with n > 0, n < 0, tile sizes < 1) return -1 with a reason. */
int onvif_profile_choose(const onvif_profile_t *profiles, int n, int tile_w, int tile_h,
                         grid_fit_t fit, const char *want, char *why, size_t cap);

#endif
