/* capclock: the capture-clock rule (see capclock.h). Pure. */
#include "capclock.h"

uint64_t capclock_pick(uint64_t camera_ns, uint64_t receive_ns, capclock_t *clock)
{
    clock->clock = WIRE_CLOCK_RECEIVE;
    clock->offset_ms = WIRE_OFFSET_NONE;
    if (camera_ns == 0)
        return receive_ns;
    int64_t off_ms = camera_ns >= receive_ns ? (int64_t)((camera_ns - receive_ns) / 1000000u)
                                             : -(int64_t)((receive_ns - camera_ns) / 1000000u);
    clock->offset_ms = off_ms > INT32_MAX    ? INT32_MAX
                       : off_ms <= INT32_MIN ? INT32_MIN + 1
                                             : (int32_t)off_ms;
    if (off_ms > (int64_t)(CAPCLOCK_AHEAD_NS / 1000000u) ||
        off_ms < -(int64_t)(CAPCLOCK_BEHIND_NS / 1000000u))
        return receive_ns; /* the camera's clock is wrong: do not believe it */
    clock->clock = WIRE_CLOCK_CAMERA;
    return camera_ns;
}
