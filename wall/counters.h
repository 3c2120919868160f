/* counters: the wall's side of pantau-complaints. For each distinct endpoint named by the
 * layout's counters panels: a ZeroMQ SUB socket (topic "counters"), the newest valid message
 * (cmsg_decode checks everything first; refused messages are counted by reason), and when each
 * counter last rose (for the highlight). For panels with source=demo it also runs
 * `pantau-complaints --demo --endpoint EP` under its own supervisor (restart with backoff, stop
 * with the wall).
 *
 * Thread: the wall's main thread; counters_poll never blocks. */
#ifndef PANTAU_WALL_COUNTERS_H
#define PANTAU_WALL_COUNTERS_H

#include <stdint.h>
#include <stdio.h>

#include "layout.h"
#include "scene.h"

#define COUNTERS_RISE_MS 2500    /* a counter that rose is highlighted this long */
#define COUNTERS_STALE_MS 15000  /* no message this long: the panel says so (resend is 5 s) */

typedef struct counters counters_t;

/* pantau-complaints in the folder of the given pantau-ingest path (malloc'd), or NULL when
 * ingest is NULL (a wall that starts no workers starts no demo feed either). */
char *counters_program_beside(const char *ingest);

/* zmq_ctx is borrowed. program: pantau-complaints for source=demo panels, NULL = start none. */
counters_t *counters_new(void *zmq_ctx, const char *program);

/* Closes sockets, stops demo feeds; idempotent, NULLs *c. */
void counters_destroy(counters_t **c);

/* Follows the layout's counters panels: subscribes to new endpoints, drops unused ones, starts
 * and stops demo feeds. Call after wall_new and after every applied reload. */
void counters_sync(counters_t *c, const layout_t *layout);

/* Supervises demo feeds and takes in every waiting message (newest wins). */
void counters_poll(counters_t *c, uint64_t now_ns);

/* The scene data of panel i of the layout last synced (NULL for text panels). Valid until the
 * next counters_* call. */
const scene_counters_t *counters_scene(counters_t *c, const layout_t *layout, int i,
                                       uint64_t now_ns);

/* After a frame was presented: the first presentation of each new message is timed (commit in
 * pantau-complaints → pixels), for the status report. */
void counters_presented(counters_t *c, uint64_t now_ns);

/* One "complaints=ENDPOINT ..." line per endpoint (messages, refused by reason, seq, latency). */
void counters_write_status(const counters_t *c, FILE *f);

#endif
