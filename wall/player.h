/* player: plays one recorded clip (an exported incident MP4, or a Matroska segment) for the
 * review window, decoded by GStreamer into I420 frames that the wall uploads into the same
 * streaming YUV texture as a live tile (the wall converts no colour):
 *
 *   gst-launch-1.0 playbin uri=file:///REC/exports/incident-3/cam1.mp4 flags=video+native-video \
 *       video-sink="appsink caps=video/x-raw,format=I420 sync=true max-buffers=2"
 *
 * (native-video: playbin inserts no videoconvert/videoscale; a clip that does not decode to
 * I420 is refused with a message instead of being converted on the CPU.)
 *
 * Seeks are flushing and frame-accurate (ACCURATE: decoded from the keyframe before the target,
 * frames before it dropped); the frame shown after a seek is the one covering the target, and
 * its position reads as the target (the decoder cuts its timestamp to the seek's start). Step
 * forward is a step event (the sink skips the frame shown and prerolls the next, which keeps its
 * own timestamp); step back is an accurate seek one frame length back. Seeks and steps are
 * asynchronous: player_busy() is true until the frame at the new position has arrived
 * (player_update takes it in).
 *
 * Thread: the caller's (the wall's main thread) for every function. GStreamer's streaming
 * threads only fill the appsink; player_update pulls from it and reads the bus without blocking.
 * Owns the pipeline and the frame shown. */
#ifndef PANTAU_PLAYER_H
#define PANTAU_PLAYER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct player player_t;

typedef enum {
    PLAYER_LOADING = 0, /* opening, first frame not there yet */
    PLAYER_PAUSED,
    PLAYER_PLAYING,
    PLAYER_END,         /* played to the end; paused on the last frame */
    PLAYER_ERROR,       /* cannot play: player_error() says why */
} player_state_t;

typedef struct {
    int w, h;                   /* even sizes */
    const uint8_t *planes[3];   /* I420 Y, U, V; valid until the next player_update/destroy */
    int strides[3];
    bool fresh;                 /* not handed out by player_frame before */
} player_frame_t;

/* Opens path (which must exist) and prerolls its first frame, paused. NULL with a reason in
 * err when the file is missing or the pipeline cannot be built; a file GStreamer cannot read
 * (corrupt, not video) gives a player in PLAYER_ERROR a moment later instead. gst_init must
 * have been called. */
player_t *player_new(const char *path, char *err, size_t cap);

/* Stops the pipeline and frees everything; idempotent, NULLs *p. */
void player_destroy(player_t **p);

/* Takes in bus messages and the newest decoded frame. Never blocks. */
void player_update(player_t *p);

player_state_t player_state(const player_t *p);
const char *player_state_name(player_state_t s); /* "loading", "paused", "playing", ... */
const char *player_error(const player_t *p);     /* "" unless PLAYER_ERROR */

/* A seek or step is under way (its frame has not arrived yet). */
bool player_busy(const player_t *p);

/* The frame shown (its position is player_position_ns), or false when there is none yet.
 * Marks it handed out (fresh is true only the first time). */
bool player_frame(player_t *p, player_frame_t *out);

int64_t player_position_ns(const player_t *p); /* stream time of the frame shown, -1 = none */
int64_t player_duration_ns(const player_t *p); /* -1 = not known yet */
int64_t player_first_ns(const player_t *p);    /* the first frame's position (0 unless the clip
                                                  begins with a gap) */
uint64_t player_frames_shown(const player_t *p); /* distinct frames taken in */

/* Play / pause. Play at the end starts again from the beginning. 0, or -1 in PLAYER_ERROR or
 * while loading. */
int player_play(player_t *p);
int player_pause(player_t *p);

/* Seeks to pos_ns (clamped to the clip), keeping the play/pause state. 0 or -1 (error, loading
 * or unknown duration). */
int player_seek(player_t *p, int64_t pos_ns);

/* One frame forward (+1) or back (-1), pausing first. 0, or -1 at either end / not ready. */
int player_step(player_t *p, int dir);

#endif
