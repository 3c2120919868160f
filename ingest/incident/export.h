/* export: an incident's recorded window, per camera, as one MP4 (the segments remuxed, no
 * re-encode) plus a PNG snapshot at the marked moment; SHA-256 of each file.
 *
 * For each camera: the segments overlapping [at - pre, at + post] are hard-linked into a private
 * staging folder inside the recordings folder first, so retention deleting them meanwhile cannot
 * break the export (a segment already gone when it is linked is a clear error naming what is still
 * available). ffmpeg (the program, from Debian's ffmpeg package; PANTAU_FFMPEG overrides the path)
 * then remuxes them with its concat demuxer:
 *
 *   ffmpeg -f concat -safe 0 -ss OFFSET -t DURATION -i list.txt -map 0:v:0 -c copy \
 *          -movflags +faststart OUT/incident-ID/CAMERA.mp4
 *   ffmpeg -ss AT_IN_SEGMENT -i SEGMENT.mkv -frames:v 1 OUT/incident-ID/CAMERA.png
 *
 * The cut is at the keyframe at or before the window's start (stream copy cannot start
 * elsewhere), so a clip covers the window and up to one GOP more. Files are written under a
 * temporary name and renamed, so a reader never sees half a clip. One export of an incident at a
 * time: a second one fails at once (flock on OUT/incident-ID/.lock) and says who holds it.
 *
 * Single-threaded; runs child processes synchronously. Errors: -1 with the reason in err. */
#ifndef PANTAU_INCIDENT_EXPORT_H
#define PANTAU_INCIDENT_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "store.h"

#define EXPORT_DEFAULT_PRE_S 30
#define EXPORT_DEFAULT_POST_S 60
#define EXPORT_GAP_NS 2000000000ll /* a hole longer than this between segments is reported */

typedef struct {
    const char *root;     /* recordings folder */
    const char *out_dir;  /* exports folder (incident-ID/ is created in it) */
    int64_t pre_ns, post_ns;
    bool wait;            /* wait until the post-roll has been recorded */
    int64_t segment_ns;   /* how long a segment lasts at most (for the wait), default 10 s */
} export_options_t;

/* Exports inc; stores the files and hashes in db. Prints progress lines to out (NULL = quiet).
 * Returns 0 when every camera was exported, -1 when any failed (err names each camera's
 * reason; the cameras that worked are exported and stored). */
int export_incident(store_t *db, const store_incident_t *inc, const export_options_t *opt,
                    FILE *out, char *err, size_t cap);

/* SHA-256 of a file as 64 hex digits into hex[65]. 0 or -1 (err). */
int export_sha256_file(const char *path, char hex[65], int64_t *bytes, char *err, size_t cap);

#endif
