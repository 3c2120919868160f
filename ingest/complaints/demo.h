/* demo: a built-in sample feed for `pantau-complaints --demo`: a month of plausible complaints,
 * information requests and a KIP grade, then a new complaint or a stage move every second or
 * so. Everything goes through svc_submit, exactly like webhook events (stored, counted,
 * published). Titles, places and names are invented.
 *
 * Thread: the GLib main loop (a timeout source). */
#ifndef PANTAU_DEMO_H
#define PANTAU_DEMO_H

#include <stdint.h>

#include "svc.h"

typedef struct demo demo_t;

/* Seeds the history now and starts the live feed (one event every min_ms..max_ms). svc is
 * borrowed and must outlive the demo. */
demo_t *demo_new(svc_t *svc, uint32_t seed, int min_ms, int max_ms);

void demo_destroy(demo_t **demo);

#endif
