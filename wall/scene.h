/* scene: the plain data one wall frame is drawn from. The wall's main loop fills a scene_t from
 * the layout, the newest frames and the camera states; render.c turns it into pixels. Nothing
 * here owns memory: every pointer is borrowed for the duration of one render_frame call.
 * All text is final, already translated and already redacted (no secrets). */
#ifndef PANTAU_SCENE_H
#define PANTAU_SCENE_H

#include <stdbool.h>
#include <stdint.h>

#include "cmsg.h"
#include "grid.h"

typedef enum {
    SCENE_SEVERITY_OK = 0, /* live: green badge */
    SCENE_SEVERITY_INFO,   /* connecting: neutral/blue */
    SCENE_SEVERITY_WARN,   /* stale or stalled: amber */
    SCENE_SEVERITY_ERROR,  /* no signal, failed: red */
} scene_severity_t;

typedef struct {
    const char *id;         /* stable key: render caches one texture per id */
    int screen;             /* 0-based output it is drawn on (per-screen mode; else 0) */
    grid_rect_t rect;       /* tile rectangle on its screen's canvas */
    const char *label;      /* camera label, bottom-left strip */

    /* Picture. When has_frame is false the tile shows its background and the headline only. */
    bool has_frame;
    bool frame_new;         /* planes hold a frame not uploaded yet; otherwise reuse the texture */
    int frame_w, frame_h;   /* I420, even sizes */
    const uint8_t *planes[3];
    int strides[3];
    grid_fit_t fit;         /* how the frame goes into rect if its aspect differs */
    bool dim;               /* draw the last frame darkened (stale / not live) */

    /* State overlay. */
    scene_severity_t severity;
    const char *headline;   /* big centred text ("TIDAK ADA SINYAL"); NULL = none */
    const char *detail;     /* smaller line(s) under the headline: up to two, split at '\n' */
    const char *badge;      /* short text top-right ("LANGSUNG 25 fps", "12 dtk"); NULL = none */
    bool highlight;         /* selected by the operator: bright border */
    const char *alarm;      /* flagged camera: text of the red strip at the top ("ALARM · reason");
                               NULL = no alarm */
    bool alarm_on;          /* blink phase: the thick red border is drawn in this frame */
} scene_tile_t;

/* Rise highlights of a counters panel: bit i set = that counter went up within the last
 * COUNTERS_RISE_MS (see wall/counters.h). */
enum {
    SCENE_RISE_TODAY = 0, SCENE_RISE_MONTH, SCENE_RISE_OPEN, SCENE_RISE_OVERDUE,
    SCENE_RISE_PPID_OPEN, SCENE_RISE_PPID_OVERDUE, SCENE_RISE_STAGE0 /* + stage index */
};

/* A complaint-counters panel (layout type=counters). */
typedef struct {
    const cmsg_t *data;     /* newest valid message; NULL = nothing received yet */
    int view;               /* layout_view_t */
    bool en;                /* English labels, else Bahasa Indonesia */
    bool stale;             /* no message for a while: shown dimmed with a note */
    const char *note;       /* waiting / stale text; NULL = none */
    uint32_t rise;          /* SCENE_RISE_* bits */
    uint32_t channel_rise;  /* bit i: data->channels[i] rose */
    uint32_t opd_rise;      /* bit i: data->opd[i] backlog rose */
} scene_counters_t;

typedef struct {
    int screen;             /* 0-based output, as for tiles */
    grid_rect_t rect;
    const char *title;      /* heading */
    const char *const *lines; /* body lines, top to bottom */
    int n_lines;
    const scene_counters_t *counters; /* non-NULL: draw counters instead of lines */
} scene_panel_t;

/* The review window's timeline under the clip (pantau-wall --review). Fractions are of the
 * clip's length, 0..1; < 0 = not drawn. */
typedef struct {
    grid_rect_t rect;
    double pos;             /* playhead */
    double mark;            /* the incident's marked moment */
    const char *centre;     /* big line above the bar: the frame's wall-clock time */
    const char *left;       /* under the bar's left end: the clip's start time */
    const char *right;      /* under its right end: the clip's end time */
    const char *hint;       /* small line at the bottom: keys */
} scene_timeline_t;

typedef struct {
    int canvas_w, canvas_h;
    grid_rect_t title_rect; /* h == 0: no title bar */
    const char *title;      /* left of the title bar */
    const char *clock;      /* right of the title bar, or top-right corner when there is no bar */
    const scene_tile_t *tiles;
    int n_tiles;
    const scene_panel_t *panels;
    int n_panels;
    const char *banner;     /* red strip across the bottom (e.g. layout reload errors); NULL = none */
    const scene_timeline_t *timeline; /* review window only; NULL = none */
} scene_t;

#endif
