/* capclock: which clock a frame's capture time comes from. Pure (no GStreamer), unit-tested in
 * tests/test_capclock.c; used by ingest/sample.c on every frame.
 *
 * The camera's clock (its RTCP sender reports map RTP time to NTP time) is used when it agrees
 * with the local receive time within reason: not more than CAPCLOCK_AHEAD_NS ahead (a picture
 * cannot arrive before it was taken) and not more than CAPCLOCK_BEHIND_NS behind (no live stream
 * is that late). Outside that, the camera's clock is wrong: the receive time is used and the
 * offset reported, so a technician sees "camera clock off by ..." instead of absurd latencies. */
#ifndef PANTAU_INGEST_CAPCLOCK_H
#define PANTAU_INGEST_CAPCLOCK_H

#include <stdint.h>

#include "wire.h"

#define CAPCLOCK_AHEAD_NS (1000ull * 1000000ull)   /* camera clock ahead of receive time */
#define CAPCLOCK_BEHIND_NS (10000ull * 1000000ull) /* camera clock behind receive time */

typedef struct {
    wire_clock_t clock; /* what the capture time is */
    int32_t offset_ms;  /* camera clock minus receive time, clamped; WIRE_OFFSET_NONE without one */
} capclock_t;

/* The capture time from the camera's time (Unix ns, 0 = none) and the receive time (Unix ns);
 * fills *clock. */
uint64_t capclock_pick(uint64_t camera_ns, uint64_t receive_ns, capclock_t *clock);

#endif
