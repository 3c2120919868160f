/* layout: a wall layout file parsed into a validated model.
 *
 * A layout is an INI-style text file a technician writes by hand (see docs/layout.md):
 *
 *   [wall]                      one, required
 *   title=Smart Room Kota Bontang
 *   canvas=1920x1080            pixels of the composed wall
 *   grid=4x3                    columns x rows
 *   fps=25                      composition rate, 1..60
 *   credentials=bontang.credentials   owner-only file with camera secrets (relative to the layout)
 *   ...
 *
 *   [camera pelabuhan]          one per camera; the id follows "camera " ([a-z0-9_-], 1..31 chars)
 *   label=Pelabuhan Loktuan
 *   source=rtsp://10.1.2.3:554/stream2      or  test  or  test:ball (a videotestsrc pattern)
 *   tile=0,0                    column,row of the top-left cell (0-based)
 *   span=2x1                    columns x rows (default 1x1)
 *   ...
 *
 *   [panel pengaduan]           non-camera areas (complaint counters, ...)
 *   type=counters
 *   tile=3,0
 *   span=1x3
 *
 * Every key of every section is described once in a table in layout.c (name, type, bounds,
 * default, help); `pantau-wall --help-layout` prints it.
 *
 * Parsing never stops at the first problem: every error is collected with file, line and key.
 * The model is plain data (public structs); the parser is pure (no I/O except layout_load reading
 * the file) and thread-safe.
 */
#ifndef PANTAU_LAYOUT_H
#define PANTAU_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "grid.h"

#define LAYOUT_ID_MAX 31       /* matches WIRE_ID_MAX */
#define LAYOUT_MAX_CAMERAS 64
#define LAYOUT_MAX_PANELS 16
#define LAYOUT_MAX_GRID 16     /* columns and rows, each */
#define LAYOUT_MAX_SCREENS 16  /* screens= */
#define LAYOUT_MAX_PAGES 16    /* [page ID] sections; pages are bits of a uint32_t mask */
#define LAYOUT_MAX_CANVAS 16384

typedef enum {
    LAYOUT_TRANSPORT_TCP = 0, /* RTSP interleaved over TCP (default: survives NAT and loss) */
    LAYOUT_TRANSPORT_UDP,
} layout_transport_t;

typedef enum {
    LAYOUT_SOURCE_TEST = 0, /* built-in moving test pattern */
    LAYOUT_SOURCE_RTSP,     /* rtsp:// or rtsps:// URI */
    LAYOUT_SOURCE_REMOTE,   /* no source: subscribe to `endpoint`, a worker the wall does not start */
    LAYOUT_SOURCE_ONVIF,    /* onvif=http://HOST[:PORT]/PATH: the worker asks the device (docs/onvif.md) */
} layout_source_kind_t;

typedef enum {
    LAYOUT_PANEL_COUNTERS = 0, /* complaint counters (filled by pantau-complaints) */
    LAYOUT_PANEL_TEXT,         /* a static text block (`text=`) */
} layout_panel_type_t;

/* What a counters panel shows (view=); see docs/complaints.md. */
typedef enum {
    LAYOUT_VIEW_ALL = 0,  /* everything that fits, stacked */
    LAYOUT_VIEW_NUMBERS,  /* big numbers */
    LAYOUT_VIEW_CHANNELS, /* bars by channel */
    LAYOUT_VIEW_OPD,      /* bars by OPD (backlog) */
    LAYOUT_VIEW_FUNNEL,   /* stage funnel */
    LAYOUT_VIEW_OVERDUE,  /* overdue per OPD */
    LAYOUT_VIEW_KIP,      /* KIP grade and PPID requests */
    LAYOUT_VIEW_TICKER,   /* latest items */
    LAYOUT_VIEW_COUNT
} layout_view_t;

typedef enum {
    LAYOUT_FEED_NONE = 0, /* subscribe only (a pantau-complaints run elsewhere) */
    LAYOUT_FEED_DEMO,     /* the wall starts pantau-complaints --demo on the endpoint */
} layout_feed_t;

typedef struct {
    int col, row;   /* top-left cell, 0-based */
    int cols, rows; /* span, >= 1 */
} layout_cell_t;

typedef struct {
    char id[LAYOUT_ID_MAX + 1];
    char *label;            /* shown on the tile; defaults to the id */
    layout_source_kind_t kind;
    char *source;           /* "test", "test:PATTERN" or the RTSP URI (no password in it) */
    char *endpoint;         /* ZeroMQ endpoint; NULL = the wall's default ipc:// path for this id */
    layout_cell_t cell;
    layout_transport_t transport;
    grid_fit_t fit;         /* fit=letterbox (default) | crop | stretch */
    int latency_ms;         /* RTSP jitter buffer, 0..5000, default LAYOUT_DEFAULT_LATENCY */
    char *decoder;          /* decoder=: "auto" (default), "software" or a GStreamer decoder name */
    bool record;            /* record=on (default) | off; only with [wall] recordings= */
    char *retention;        /* "7d", ...; NULL = the wall's retention */
    char *quota;            /* "20G", ...; "0" (default) = no per-camera quota */
    char *main_uri;         /* higher-resolution RTSP stream shown when focused, or NULL */
    bool always_live;       /* keep decoding while on no visible page */
    int screen;             /* screen=, 1-based: the display it is on in screen_mode=windows */
    char *page_spec;        /* page= as written ("kota,pelabuhan", "all"), or NULL */
    uint32_t pages;         /* bit i: on pages[i] (bit 0 when the layout has no pages) */
    int line;               /* line of the [camera ...] header, for messages */
    char *onvif;            /* ONVIF device service http://HOST[:PORT]/PATH, else NULL */
    char *profile;          /* ONVIF profile: "auto" (default) or a profile token */
} layout_camera_t;

typedef struct {
    char id[LAYOUT_ID_MAX + 1];
    layout_panel_type_t type;
    char *title;            /* heading; default depends on type and the wall's language */
    bool title_default;     /* title= was not given */
    char *text;             /* LAYOUT_PANEL_TEXT body, else NULL */
    layout_cell_t cell;
    int screen;             /* screen=, 1-based, as for cameras */
    char *page_spec;        /* page= as written, or NULL (every page) */
    uint32_t pages;         /* bit i: on pages[i] */
    int line;
    /* counters panels */
    layout_view_t view;     /* view=, default all */
    char *endpoint;         /* ZeroMQ endpoint of pantau-complaints; NULL = ipc://DIR/complaints.sock */
    layout_feed_t source;   /* source=demo: the wall runs the built-in sample feed */
} layout_panel_t;

typedef enum {
    LAYOUT_SCREENS_SPAN = 0, /* one borderless window over every display */
    LAYOUT_SCREENS_WINDOWS,  /* one window (and canvas) per display */
} layout_screen_mode_t;

typedef struct {
    char id[LAYOUT_ID_MAX + 1];
    char *label;            /* shown in the title bar; defaults to the id */
    int line;
} layout_page_t;

typedef struct {
    char *path;             /* file it came from ("<string>" when parsed from memory) */
    char *title;            /* title bar text; NULL or "" = no title bar */
    int canvas_w, canvas_h;
    int cols, rows;
    int fps;
    int gap;                /* pixels between tiles, 0..64, default 4 */
    char *credentials;      /* absolute path (resolved against the layout's folder), or NULL */
    char *language;         /* "id" (default) or "en" */
    int display;            /* SDL display index for the window, default 0 */
    int screens;            /* displays the wall covers, from `display` on; default 1 */
    layout_screen_mode_t screen_mode; /* span (default): one window and canvas over all of
                               them; windows: one window per display, each with its own canvas
                               of canvas_w x canvas_h and grid, cameras placed by screen= */
    bool fullscreen;
    char *endpoint_dir;     /* folder for default ipc:// endpoints, default "/tmp/pantau" */
    char *recordings;       /* absolute recordings folder, or NULL = no recording */
    char *retention;        /* segments older than this are deleted, default "7d" */
    char *quota_total;      /* quota of all segments under recordings, default "0" = none */
    char *control;          /* control socket endpoint; NULL = ipc://{endpoint_dir}/wall-{name}.ctl */
    int rotate_s;           /* seconds per page when rotating, 0 = no rotation */
    layout_page_t pages[LAYOUT_MAX_PAGES]; /* in file order; none = one implicit page */
    int n_pages;
    layout_camera_t cameras[LAYOUT_MAX_CAMERAS];
    int n_cameras;
    layout_panel_t panels[LAYOUT_MAX_PANELS];
    int n_panels;
} layout_t;

typedef struct {
    char *file;
    int line;               /* 1-based; 0 when the error concerns the whole file */
    char *key;              /* "section.key" or section name, or NULL */
    char *message;          /* one line, English, names the bad value */
} layout_error_t;

typedef struct {
    layout_error_t *items;
    int count;
    int cap;
} layout_errors_t;

/* Parses and validates text (len bytes, need not be NUL-terminated). `file` names it in errors and
 * is the base for a relative credentials path. Returns the model (caller owns, layout_destroy), or
 * NULL if any error was found; every error found is appended to errs (which may be NULL to
 * discard them). */
layout_t *layout_parse(const char *text, size_t len, const char *file, layout_errors_t *errs);

/* Reads path and calls layout_parse. A file that cannot be read is one error (line 0). */
layout_t *layout_load(const char *path, layout_errors_t *errs);

/* Frees the layout and NULLs *layout; safe on NULL and on *layout == NULL. */
void layout_destroy(layout_t **layout);

/* The camera with this id, or NULL. */
const layout_camera_t *layout_find_camera(const layout_t *layout, const char *id);

/* The wall's control socket: control=, or ipc://ENDPOINT_DIR/wall-NAME.ctl where NAME is the
 * layout file's name up to its first dot. Into out (cap bytes). */
void layout_control_endpoint(const layout_t *layout, const char *layout_path, char *out,
                             size_t cap);

/* The control endpoint of the layout's review window (pantau-wall --review): the control
 * endpoint with "-review" before ".ctl" (ipc), the next port (tcp), or "-review" appended. */
void layout_review_endpoint(const layout_t *layout, const char *layout_path, char *out,
                            size_t cap);

/* Number of pages the wall shows (at least 1: a layout without [page] sections has one). */
int layout_page_count(const layout_t *layout);

/* Index of the page with this id (or, failing that, a 1-based page number), or -1. */
int layout_find_page(const layout_t *layout, const char *id);

/* True when an item with this page mask is shown on page index `page`. */
static inline bool layout_on_page(uint32_t pages, int page)
{
    return page >= 0 && page < LAYOUT_MAX_PAGES && (pages & (1u << page)) != 0;
}

/* True when a worker for a must be restarted to become b (source, transport, fit, latency,
 * endpoint, or the tile's pixel size changed). Label-only changes return false. */
bool layout_camera_needs_restart(const layout_t *la, const layout_camera_t *a,
                                 const layout_t *lb, const layout_camera_t *b);

/* Appends "file:line: key: message" lines for every error to a newly allocated string (caller
 * frees with free()). */
char *layout_errors_format(const layout_errors_t *errs);

/* Frees every error and resets the list to empty; the list itself is caller-owned. */
void layout_errors_clear(layout_errors_t *errs);

/* Prints the table of keys (section, key, type, default, help) to a newly allocated string (free()). */
char *layout_keys_help(void);

#endif
