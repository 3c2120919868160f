/* recstore: the on-disk layout of recorded segments, shared by the recorder in pantau-ingest (which
 * writes and prunes them) and pantau-incident (which finds and exports them).
 *
 *   ROOT/                         the recordings folder ([wall] recordings= in the layout)
 *     CAMERA/                     one folder per camera id
 *       CAMERA_20261123T142400.123Z.mkv     a segment: Matroska, the camera's encoded stream as
 *                                           received; the name is the wall-clock (UTC) time of
 *                                           its first frame, to the millisecond
 *     incidents.db                pantau-incident's SQLite store (not a segment)
 *     exports/                    pantau-incident's exported clips (never pruned)
 *
 * A segment's end is its file's modification time (the muxer writes until the segment closes).
 * Files whose names do not parse are never touched. Retention: segments older than the camera's
 * maximum age go first, then the oldest until the camera is under its quota, then the oldest of
 * all cameras until the whole folder is under the total quota. A camera's newest segment (the one
 * being written) is never removed.
 *
 * Plain C and POSIX file calls; no GStreamer. Thread-safe (no state). Errors are return values
 * with a reason in err; nothing prints. */
#ifndef PANTAU_RECSTORE_H
#define PANTAU_RECSTORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RECSTORE_EXT ".mkv"
#define RECSTORE_NAME_MAX 64  /* "ID_YYYYMMDDTHHMMSS.mmmZ.mkv" with a 31-character id fits */
#define RECSTORE_PATH_MAX 4096

typedef struct {
    char camera[32];
    char path[RECSTORE_PATH_MAX];
    int64_t start_ns; /* wall clock of the first frame, from the name */
    int64_t end_ns;   /* modification time (>= start_ns) */
    uint64_t bytes;
} recstore_seg_t;

typedef struct {
    recstore_seg_t *items; /* sorted by start_ns, oldest first */
    size_t count, cap;
} recstore_list_t;

typedef struct {
    int64_t max_age_ns;      /* 0 = no age limit */
    uint64_t quota_bytes;    /* per camera; 0 = none */
    uint64_t total_bytes;    /* all cameras under ROOT; 0 = none */
} recstore_limits_t;

typedef struct {
    unsigned removed;        /* segments deleted */
    uint64_t removed_bytes;
    uint64_t camera_bytes;   /* the camera's total after pruning */
    uint64_t total_bytes;    /* everything under ROOT after pruning */
    unsigned failed;         /* deletions refused by the file system */
} recstore_prune_t;

/* Writes "ID_YYYYMMDDTHHMMSS.mmmZ.mkv" for the UTC time start_ns into out. Returns 0, or -1 when
 * out is too small or the id is empty. */
int recstore_segment_name(const char *camera, int64_t start_ns, char *out, size_t cap);

/* Parses a segment file name made by recstore_segment_name for this camera. Returns true and the
 * start time; false for any other name. */
bool recstore_parse_name(const char *camera, const char *name, int64_t *start_ns);

/* Appends the segments of one camera (camera != NULL) or of every camera folder under root
 * (camera == NULL) to list, then sorts it by start time. A missing folder adds nothing. Returns 0,
 * or -1 with a reason in err (unreadable folder, out of memory). */
int recstore_scan(const char *root, const char *camera, recstore_list_t *list, char *err,
                  size_t cap);

/* Frees the items and empties the list (the list struct itself is the caller's). */
void recstore_list_clear(recstore_list_t *list);

/* Applies limits for camera at time now_ns (see the header comment). Deleting a file that is
 * already gone is not an error. Returns 0 with what was done in *out, or -1 with err set when the
 * folder cannot be read. */
int recstore_prune(const char *root, const char *camera, const recstore_limits_t *limits,
                   int64_t now_ns, recstore_prune_t *out, char *err, size_t cap);

/* "7d", "12h", "30m", "90s" or a bare number of seconds -> ns. Returns 0, or -1 with a reason in
 * err (for "what=VALUE" style messages the caller adds the key). "0" means no limit. */
int recstore_parse_duration(const char *text, int64_t *ns, char *err, size_t cap);

/* "500M", "20G", "1T", "4096K" or a bare number of bytes (powers of 1024). "0" = no limit. */
int recstore_parse_size(const char *text, uint64_t *bytes, char *err, size_t cap);

/* "2026-11-23T14:24:00.123Z" (UTC) for ns since the epoch. */
void recstore_format_time(int64_t ns, char *out, size_t cap);

#endif
