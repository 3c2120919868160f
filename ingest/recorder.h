/* recorder: rolling recording of one camera's encoded stream, as received (no decode, no
 * re-encode), into time-stamped Matroska segments (common/recstore.h names them), with retention
 * by age and quota.
 *
 * The live pipeline is only tapped: a buffer probe on its parser's src pad hands each encoded
 * buffer (a reference, no copy) to the recorder's own small pipeline, so nothing the recorder
 * does (a full disk, an unwritable folder, a slow write) can stall or stop live video:
 *
 *   live:     rtspsrc ! depay ! h264parse ! avdec_h264 ! ...          (pipeline.c)
 *                                 |  probe: gst_buffer_ref
 *   recorder: appsrc ! h264parse ! splitmuxsink muxer=matroskamux max-size-time=10 s
 *               location = ROOT/ID/ID_YYYYMMDDTHHMMSS.mmmZ.mkv
 *
 * Each live pipeline (every reconnect builds a new one) starts a new recording session whose first
 * buffer is a keyframe; the previous session is finished with EOS so its last file is complete.
 * A fault of the recorder pipeline (disk full, folder not writable) becomes a state in the status
 * (wire_rec_t), is logged once, and is retried every RECORDER_RETRY_S seconds.
 *
 * Threads: recorder_tap's probe runs on the live pipeline's streaming thread and only takes the
 * mutex, refs and queues a buffer (appsrc never blocks: block=false, bounded by our own check).
 * Everything else (sessions, retention, state) runs on the worker's main-loop thread through
 * recorder_tick. Ownership: the worker owns the recorder; the live pipeline holds a borrowed
 * pointer that must not outlive it (the worker destroys the pipeline first). */
#ifndef PANTAU_INGEST_RECORDER_H
#define PANTAU_INGEST_RECORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gst/gst.h>

#include "recstore.h"
#include "wire.h"

#define RECORDER_RETRY_S 10          /* after a write fault, try again this often */
#define RECORDER_PRUNE_S 10          /* apply retention at least this often */
#define RECORDER_MAX_QUEUED (16u << 20) /* encoded bytes waiting for the disk; beyond: drop to the
                                          next keyframe and count */
#define RECORDER_MIN_FREE (64ull << 20) /* below this free space a session is not started */

typedef struct recorder recorder_t;

typedef struct {
    const char *camera;          /* id */
    const char *root;            /* recordings folder; the camera's folder is created in it */
    int64_t segment_ns;          /* target segment length */
    recstore_limits_t limits;    /* retention */
} recorder_config_t;

typedef struct {
    uint64_t segments;           /* segments closed */
    uint64_t dropped;            /* buffers dropped (queue over RECORDER_MAX_QUEUED, or faults) */
    uint64_t pruned;             /* segments removed by retention */
    uint64_t faults;             /* recorder pipeline errors */
} recorder_stats_t;

/* Creates the recorder (no pipeline yet: sessions start when the tap sees video). Creates the
 * camera folder; a folder that cannot be created is not an error here (it becomes the
 * UNWRITABLE state and is retried). Returns NULL only for bad arguments (err says which). */
recorder_t *recorder_new(const recorder_config_t *cfg, char *err, size_t err_cap);

/* Finishes the open segment (EOS, waited for at most RECORDER_EOS_WAIT_MS), frees, NULLs *r. */
void recorder_destroy(recorder_t **r);

/* Taps pad (a parser's src pad in a new live pipeline): every buffer from now on is recorded,
 * starting at the next keyframe. Any thread. Each call starts a new recording session. */
void recorder_tap(recorder_t *r, GstPad *pad);

/* Main thread, every ~100 ms: starts/ends sessions, applies retention, retries after faults. */
void recorder_tick(recorder_t *r);

/* Current state for the status message; the detail (e.g. "No space left on device: /rec/cam1")
 * goes to the log. */
wire_rec_t recorder_state(recorder_t *r);

void recorder_stats(recorder_t *r, recorder_stats_t *out);

#endif
