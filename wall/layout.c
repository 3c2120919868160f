/* layout: parses and validates a wall layout file into a layout_t (see layout.h, docs/layout.md).
 *
 * ini.c turns the bytes into sections and keys with line numbers; this file checks them against
 * one table of keys per section (lp_wall_keys, lp_camera_keys, lp_panel_keys: name, type,
 * bounds, default, validator, help). The same tables fill in defaults and print
 * layout_keys_help, so the documentation cannot drift from the parser.
 *
 * Every error is collected (file, line, key, message) and parsing goes on; the layout is only
 * returned when there were none. Messages quote bad values after URI redaction, so a password
 * typed into a URI never reaches a log or the screen. Pure apart from layout_load reading the
 * file and relative paths being resolved against the current folder; thread-safe. */
#include "layout.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <glib.h>

#include "decsel.h"
#include "grid.h"
#include "ini.h"
#include "recstore.h"
#include "redact.h"

/* ---- tunables -------------------------------------------------------------------------------- */

#define LAYOUT_DEFAULT_FILE "<string>"
#define LAYOUT_DEFAULT_MAX_ERRORS 200    /* beyond this a file is not a layout: stop listing */
#define LAYOUT_DEFAULT_MAX_FILE (1 << 20) /* bytes layout_load reads at most */
#define LAYOUT_DEFAULT_QUOTE_MAX 72      /* bytes of a bad value quoted in a message */
#define LAYOUT_DEFAULT_SUGGEST 2         /* "did you mean": largest edit distance */
#define LAYOUT_DEFAULT_LABEL_MAX 80      /* characters */
#define LAYOUT_DEFAULT_TITLE_MAX 120
#define LAYOUT_DEFAULT_TEXT_MAX 1000
#define LAYOUT_DEFAULT_PATH_MAX 1024
#define LAYOUT_DEFAULT_IPC_PATH_MAX 107  /* sizeof(sun_path) - 1 on Linux */
/* Default endpoints are ipc://DIR/ID.sock: DIR + "/" + a 31-character id + ".sock" must fit. */
#define LAYOUT_DEFAULT_ENDPOINT_DIR_MAX (LAYOUT_DEFAULT_IPC_PATH_MAX - 1 - LAYOUT_ID_MAX - 5)
#define LAYOUT_DEFAULT_LATENCY_MAX 5000
#define LAYOUT_DEFAULT_LATENCY "80" /* ms; a live wall on a LAN (docs/performance.md) */
#define LAYOUT_DEFAULT_TITLE_COUNTERS "Pengaduan Masyarakat"
#define LAYOUT_DEFAULT_TITLE_TEXT "Informasi"
#define LAYOUT_DEFAULT_TITLE_COUNTERS_EN "Public complaints"
#define LAYOUT_DEFAULT_TITLE_TEXT_EN "Information"
#define LAYOUT_MSG_MAX 512
#define LAYOUT_KEYNAME_MAX 96

/* ---- the key tables -------------------------------------------------------------------------- */

typedef enum {
    LK_TEXT,   /* UTF-8 text, min..max characters */
    LK_INT,    /* whole number, min..max */
    LK_SIZE,   /* AxB ("1920x1080", "2x1"), each min..max */
    LK_CELL,   /* A,B ("0,2"), each min..max */
    LK_BOOL,   /* true|false|yes|no|1|0 */
    LK_CHOICE, /* one of choices[], stored as its int value */
    LK_PATH,   /* file or folder; relative means relative to the layout's folder */
} lk_type_t;

typedef struct {
    const char *name;
    int value;
} lk_choice_t;

/* A converted value on its way into the model. */
typedef struct {
    int a, b; /* numbers, pairs, bool, choice */
    char *s;  /* heap text for LK_TEXT and LK_PATH */
} lk_value_t;

/* What a converter or validator knows about where the value is. */
typedef struct {
    const char *id;       /* section name ("pelabuhan"); NULL for [wall] */
    const char *base_dir; /* absolute folder of the layout file */
} lk_where_t;

/* Extra check on a text value; writes why it is bad into msg and returns false. */
typedef bool (*lk_validator_t)(const char *value, const lk_where_t *where, char *msg, size_t cap);

typedef struct {
    const char *name;
    lk_type_t type;
    bool required;
    int min, max;               /* numbers: bounds; text: characters; path: bytes */
    const char *def;            /* default as written in a file; NULL = none (or computed) */
    const lk_choice_t *choices; /* LK_CHOICE and LK_BOOL: NULL-terminated */
    lk_validator_t validate;    /* NULL = the type's own checks only */
    const char *syntax;         /* for help; NULL = described from type and bounds */
    size_t off, off2;           /* fields in the section's struct; off2: a pair's second number */
    const char *help;
} layout_key_t;

static bool lp_valid_language(const char *value, const lk_where_t *where, char *msg, size_t cap);
static bool lp_valid_source(const char *value, const lk_where_t *where, char *msg, size_t cap);
static bool lp_valid_onvif(const char *value, const lk_where_t *where, char *msg, size_t cap);
static bool lp_valid_token(const char *value, const lk_where_t *where, char *msg, size_t cap);
static bool lp_valid_decoder(const char *value, const lk_where_t *where, char *msg, size_t cap);
static bool lp_valid_endpoint(const char *value, const lk_where_t *where, char *msg, size_t cap);
static bool lp_valid_duration(const char *value, const lk_where_t *where, char *msg, size_t cap);
static bool lp_valid_size(const char *value, const lk_where_t *where, char *msg, size_t cap);
static bool lp_valid_main_uri(const char *value, const lk_where_t *where, char *msg, size_t cap);
static bool lp_valid_page_spec(const char *value, const lk_where_t *where, char *msg, size_t cap);

static const lk_choice_t lp_bool_choices[] = {
    {"true", 1}, {"false", 0}, {"yes", 1}, {"no", 0}, {"1", 1}, {"0", 0}, {NULL, 0},
};
static const lk_choice_t lp_onoff_choices[] = {
    {"on", 1}, {"off", 0}, {"true", 1}, {"false", 0}, {"yes", 1}, {"no", 0}, {NULL, 0},
};
static const lk_choice_t lp_transport_choices[] = {
    {"tcp", LAYOUT_TRANSPORT_TCP}, {"udp", LAYOUT_TRANSPORT_UDP}, {NULL, 0},
};
static const lk_choice_t lp_fit_choices[] = {
    {"letterbox", GRID_FIT_LETTERBOX}, {"crop", GRID_FIT_CROP}, {"stretch", GRID_FIT_STRETCH},
    {NULL, 0},
};
static const lk_choice_t lp_panel_choices[] = {
    {"counters", LAYOUT_PANEL_COUNTERS}, {"text", LAYOUT_PANEL_TEXT}, {NULL, 0},
};
static const lk_choice_t lp_view_choices[] = {
    {"all", LAYOUT_VIEW_ALL}, {"numbers", LAYOUT_VIEW_NUMBERS},
    {"channels", LAYOUT_VIEW_CHANNELS}, {"opd", LAYOUT_VIEW_OPD}, {"funnel", LAYOUT_VIEW_FUNNEL},
    {"overdue", LAYOUT_VIEW_OVERDUE}, {"kip", LAYOUT_VIEW_KIP}, {"ticker", LAYOUT_VIEW_TICKER},
    {NULL, 0},
};
static const lk_choice_t lp_screen_mode_choices[] = {
    {"span", LAYOUT_SCREENS_SPAN}, {"windows", LAYOUT_SCREENS_WINDOWS}, {NULL, 0},
};
static const lk_choice_t lp_feed_choices[] = {
    {"none", LAYOUT_FEED_NONE}, {"demo", LAYOUT_FEED_DEMO}, {NULL, 0},
};

/* videotestsrc's pattern nicknames (gst-inspect-1.0 videotestsrc). */
static const char *const lp_test_patterns[] = {
    "smpte", "snow", "black", "white", "red", "green", "blue", "checkers-1", "checkers-2",
    "checkers-4", "checkers-8", "circular", "blink", "smpte75", "zone-plate", "gamut",
    "chroma-zone-plate", "solid-color", "ball", "smpte100", "bar", "pinwheel", "spokes",
    "gradient", "colors", "smpte-rp-219", NULL,
};

#define W(f) offsetof(layout_t, f)
#define C(f) offsetof(layout_camera_t, f)
#define P(f) offsetof(layout_panel_t, f)
#define G(f) offsetof(layout_page_t, f)

static const layout_key_t lp_wall_keys[] = {
    {.name = "title", .type = LK_TEXT, .max = LAYOUT_DEFAULT_TITLE_MAX, .off = W(title),
     .help = "Text of the title bar at the top of the wall. Absent or empty: no title bar."},
    {.name = "canvas", .type = LK_SIZE, .min = 160, .max = LAYOUT_MAX_CANVAS, .def = "1920x1080",
     .syntax = "WIDTHxHEIGHT", .off = W(canvas_w), .off2 = W(canvas_h),
     .help = "Size of the composed wall in pixels."},
    {.name = "grid", .type = LK_SIZE, .required = true, .min = 1, .max = LAYOUT_MAX_GRID,
     .syntax = "COLUMNSxROWS", .off = W(cols), .off2 = W(rows),
     .help = "The equal cells that tiles are placed on."},
    {.name = "fps", .type = LK_INT, .min = 1, .max = 60, .def = "25", .off = W(fps),
     .help = "Frames per second the wall is composed at."},
    {.name = "gap", .type = LK_INT, .min = 0, .max = 64, .def = "4", .off = W(gap),
     .help = "Pixels between tiles and around the grid."},
    {.name = "credentials", .type = LK_PATH, .min = 1, .max = LAYOUT_DEFAULT_PATH_MAX,
     .off = W(credentials),
     .help = "Owner-only file (chmod 600) with the cameras' user names and passwords. A relative "
             "path is relative to the layout file's folder."},
    {.name = "language", .type = LK_TEXT, .min = 2, .max = 2, .def = "id",
     .validate = lp_valid_language, .syntax = "id|en", .off = W(language),
     .help = "Language of the words on the wall: id (Bahasa Indonesia) or en (English)."},
    {.name = "display", .type = LK_INT, .min = 0, .max = 15, .def = "0", .off = W(display),
     .help = "Monitor the window opens on (0 = the first)."},
    {.name = "screens", .type = LK_INT, .min = 1, .max = LAYOUT_MAX_SCREENS, .def = "1",
     .off = W(screens),
     .help = "Monitors the wall covers, from display= on; screen_mode= says how."},
    {.name = "screen_mode", .type = LK_CHOICE, .def = "span", .choices = lp_screen_mode_choices,
     .off = W(screen_mode),
     .help = "span: one borderless window over all the monitors (side by side or stacked, as "
             "the desktop arranges them), one canvas scaled to cover it: give the canvas their "
             "combined size, e.g. 3840x1080 for two 1920x1080 monitors. windows: one borderless "
             "window per monitor, each with its own canvas of canvas= and its own grid=; cameras "
             "and panels say which monitor with screen=, and the title bar and clock are on "
             "every one."},
    {.name = "fullscreen", .type = LK_BOOL, .def = "false", .choices = lp_bool_choices,
     .off = W(fullscreen), .help = "Cover the whole monitor."},
    {.name = "endpoint_dir", .type = LK_PATH, .min = 1, .max = LAYOUT_DEFAULT_PATH_MAX,
     .def = "/tmp/pantau", .off = W(endpoint_dir),
     .help = "Folder for the ipc:// sockets of cameras without endpoint=. A relative path is "
             "relative to the layout file's folder."},
    {.name = "recordings", .type = LK_PATH, .min = 1, .max = LAYOUT_DEFAULT_PATH_MAX,
     .off = W(recordings),
     .help = "Folder where RTSP cameras are recorded (their encoded stream, 10 s segments, in "
             "one subfolder per camera) and where pantau-incident keeps incidents and exports. "
             "Absent: nothing is recorded. Relative to the layout file's folder."},
    {.name = "retention", .type = LK_TEXT, .min = 1, .max = 16, .def = "7d",
     .validate = lp_valid_duration, .syntax = "DURATION (90s, 30m, 12h, 7d; 0 = keep)",
     .off = W(retention),
     .help = "Recorded segments older than this are deleted (a camera's retention= overrides)."},
    {.name = "quota_total", .type = LK_TEXT, .min = 1, .max = 16, .def = "0",
     .validate = lp_valid_size, .syntax = "SIZE (500M, 20G, 1T; 0 = none)",
     .off = W(quota_total),
     .help = "Disk space all recordings together may use; the oldest segments of any camera "
             "are deleted first."},
    {.name = "control", .type = LK_TEXT, .min = 1, .max = LAYOUT_DEFAULT_PATH_MAX,
     .validate = lp_valid_endpoint, .syntax = "ipc://PATH | tcp://127.0.0.1:PORT",
     .off = W(control),
     .help = "ZeroMQ socket pantauctl talks to. Default: ipc://ENDPOINT_DIR/wall-NAME.ctl, NAME "
             "being the layout file's name without .ini; the socket is owner-only."},
    {.name = "rotate_s", .type = LK_INT, .min = 0, .max = 3600, .def = "0", .off = W(rotate_s),
     .help = "Show each [page] for this many seconds, then the next (0 = stay on a page until "
             "the operator switches; at least 5 otherwise)."},
};

static const layout_key_t lp_camera_keys[] = {
    {.name = "label", .type = LK_TEXT, .min = 1, .max = LAYOUT_DEFAULT_LABEL_MAX,
     .off = C(label), .help = "Name shown on the tile. Default: the camera id."},
    {.name = "source", .type = LK_TEXT, .min = 1, .max = LAYOUT_DEFAULT_PATH_MAX,
     .validate = lp_valid_source, .syntax = "test | test:PATTERN | rtsp://HOST[:PORT]/PATH",
     .off = C(source),
     .help = "Where the video comes from: test or test:PATTERN (a moving test picture; PATTERN "
             "is a videotestsrc pattern such as ball, smpte, pinwheel, spokes, snow), or an "
             "rtsp:// or rtsps:// URI. Never put a user name or password in the URI: they go in "
             "the credentials file. Required unless endpoint= is given."},
    {.name = "endpoint", .type = LK_TEXT, .min = 1, .max = LAYOUT_DEFAULT_PATH_MAX,
     .validate = lp_valid_endpoint, .syntax = "ipc://PATH | tcp://HOST:PORT",
     .off = C(endpoint),
     .help = "ZeroMQ endpoint the wall reads this camera's frames from. Default: a socket in "
             "endpoint_dir. Without source= the wall starts no worker for the camera and only "
             "subscribes (to a worker running elsewhere)."},
    {.name = "tile", .type = LK_CELL, .required = true, .min = 0, .max = LAYOUT_MAX_GRID - 1,
     .syntax = "COLUMN,ROW", .off = C(cell.col), .off2 = C(cell.row),
     .help = "The tile's top-left cell, counted from 0,0 at the top left."},
    {.name = "span", .type = LK_SIZE, .min = 1, .max = LAYOUT_MAX_GRID, .def = "1x1",
     .syntax = "COLUMNSxROWS", .off = C(cell.cols), .off2 = C(cell.rows),
     .help = "Cells the tile covers."},
    {.name = "transport", .type = LK_CHOICE, .def = "tcp", .choices = lp_transport_choices,
     .off = C(transport),
     .help = "RTSP transport: tcp (passes firewalls and NAT) or udp (less delay on a clean LAN)."},
    {.name = "fit", .type = LK_CHOICE, .def = "letterbox", .choices = lp_fit_choices,
     .off = C(fit),
     .help = "How a picture of another shape fills the tile: letterbox (whole picture, black "
             "bars), crop (fills the tile, cuts the edges) or stretch (distorts)."},
    {.name = "latency_ms", .type = LK_INT, .min = 0, .max = LAYOUT_DEFAULT_LATENCY_MAX,
     .def = LAYOUT_DEFAULT_LATENCY, .off = C(latency_ms),
     .help = "RTSP jitter buffer in milliseconds: the picture is shown this much later, and "
             "packets later than this are dropped (a torn picture until the next keyframe). "
             "80 suits a wired LAN; raise it (200-500) for Wi-Fi, radio links, VPNs or cameras "
             "across a WAN, or when the tile shows smeared pictures or the camera's drop count "
             "grows (docs/performance.md)."},
    {.name = "decoder", .type = LK_TEXT, .min = 1, .max = 31, .def = "auto",
     .validate = lp_valid_decoder, .syntax = "auto|software|NAME", .off = C(decoder),
     .help = "Video decoder: auto (a hardware decoder when the host has one: NVDEC nvh264dec, "
             "then VA-API vah264dec or vaapih264dec; else software avdec_h264), software "
             "(always avdec_h264/avdec_h265) or a GStreamer decoder element name. The choice "
             "and its reason are in pantauctl status."},
    {.name = "record", .type = LK_BOOL, .def = "on", .choices = lp_onoff_choices,
     .off = C(record),
     .help = "Record this camera when [wall] recordings= is set: on or off. Test sources are "
             "never recorded (they have no camera stream)."},
    {.name = "retention", .type = LK_TEXT, .min = 1, .max = 16, .validate = lp_valid_duration,
     .syntax = "DURATION (90s, 30m, 12h, 7d; 0 = keep)", .off = C(retention),
     .help = "This camera's segments older than this are deleted. Default: [wall] retention."},
    {.name = "quota", .type = LK_TEXT, .min = 1, .max = 16, .def = "0",
     .validate = lp_valid_size, .syntax = "SIZE (500M, 20G, 1T; 0 = none)", .off = C(quota),
     .help = "Disk space this camera's recordings may use; its oldest segments go first."},
    {.name = "main_uri", .type = LK_TEXT, .min = 1, .max = LAYOUT_DEFAULT_PATH_MAX,
     .validate = lp_valid_main_uri, .syntax = "rtsp://HOST[:PORT]/PATH", .off = C(main_uri),
     .help = "The camera's high-resolution stream, shown when the tile is focused (source= "
             "is then usually the substream). Default: source= again, at full size."},
    {.name = "page", .type = LK_TEXT, .min = 1, .max = 400, .validate = lp_valid_page_spec,
     .syntax = "PAGE[,PAGE...] | all", .off = C(page_spec),
     .help = "The [page] IDs this camera is shown on. Default: every page."},
    {.name = "always_live", .type = LK_BOOL, .def = "false", .choices = lp_bool_choices,
     .off = C(always_live),
     .help = "Keep decoding this camera while no visible page shows it (otherwise it is paused "
             "and costs no decoding)."},
    {.name = "screen", .type = LK_INT, .min = 1, .max = LAYOUT_MAX_SCREENS, .def = "1",
     .off = C(screen),
     .help = "With screen_mode=windows: the monitor (1 = the window on display=, 2 = the next) "
             "whose grid tile= and span= refer to."},
    {.name = "onvif", .type = LK_TEXT, .min = 1, .max = LAYOUT_DEFAULT_PATH_MAX,
     .validate = lp_valid_onvif, .syntax = "http://HOST[:PORT]/PATH", .off = C(onvif),
     .help = "ONVIF camera: its device service address, e.g. "
             "http://192.168.1.20/onvif/device_service. Instead of source=; the worker asks the "
             "camera for its profiles and stream address, with the user name and password from "
             "the credentials file (docs/onvif.md)."},
    {.name = "profile", .type = LK_TEXT, .min = 1, .max = 63, .def = "auto",
     .validate = lp_valid_token, .syntax = "auto|TOKEN", .off = C(profile),
     .help = "ONVIF profile: auto (the smallest H.264/H.265 stream that covers the tile, so "
             "small tiles get the substream) or a profile token of the camera. Only with onvif=."},
};

static const layout_key_t lp_panel_keys[] = {
    {.name = "type", .type = LK_CHOICE, .required = true, .choices = lp_panel_choices,
     .off = P(type), .help = "counters (complaint counters) or text (a fixed text)."},
    {.name = "title", .type = LK_TEXT, .max = LAYOUT_DEFAULT_TITLE_MAX, .off = P(title),
     .help = "Heading. Default: \"" LAYOUT_DEFAULT_TITLE_COUNTERS "\" for counters, \""
             LAYOUT_DEFAULT_TITLE_TEXT "\" for text (\"" LAYOUT_DEFAULT_TITLE_COUNTERS_EN "\", \""
             LAYOUT_DEFAULT_TITLE_TEXT_EN "\" with language=en)."},
    {.name = "text", .type = LK_TEXT, .max = LAYOUT_DEFAULT_TEXT_MAX, .off = P(text),
     .help = "Body of a type=text panel (not allowed on other types)."},
    {.name = "tile", .type = LK_CELL, .required = true, .min = 0, .max = LAYOUT_MAX_GRID - 1,
     .syntax = "COLUMN,ROW", .off = P(cell.col), .off2 = P(cell.row),
     .help = "The panel's top-left cell."},
    {.name = "span", .type = LK_SIZE, .min = 1, .max = LAYOUT_MAX_GRID, .def = "1x1",
     .syntax = "COLUMNSxROWS", .off = P(cell.cols), .off2 = P(cell.rows),
     .help = "Cells the panel covers."},
    {.name = "page", .type = LK_TEXT, .min = 1, .max = 400, .validate = lp_valid_page_spec,
     .syntax = "PAGE[,PAGE...] | all", .off = P(page_spec),
     .help = "The [page] IDs this panel is shown on. Default: every page."},
    {.name = "screen", .type = LK_INT, .min = 1, .max = LAYOUT_MAX_SCREENS, .def = "1",
     .off = P(screen), .help = "With screen_mode=windows: the monitor the panel is on."},
    {.name = "view", .type = LK_CHOICE, .def = "all", .choices = lp_view_choices, .off = P(view),
     .help = "What a counters panel shows: all (everything that fits), numbers, channels, opd, "
             "funnel, overdue, kip (KIP grade and PPID requests) or ticker (latest items)."},
    {.name = "endpoint", .type = LK_TEXT, .min = 1, .max = LAYOUT_DEFAULT_PATH_MAX,
     .validate = lp_valid_endpoint, .syntax = "ipc://PATH | tcp://HOST:PORT", .off = P(endpoint),
     .help = "Where a counters panel reads pantau-complaints. Default: complaints.sock in "
             "endpoint_dir."},
    {.name = "source", .type = LK_CHOICE, .def = "none", .choices = lp_feed_choices,
     .off = P(source),
     .help = "demo: the wall starts pantau-complaints --demo (a built-in sample feed) on the "
             "panel's endpoint; none: it only subscribes."},
};

static const layout_key_t lp_page_keys[] = {
    {.name = "label", .type = LK_TEXT, .min = 1, .max = LAYOUT_DEFAULT_LABEL_MAX,
     .off = G(label), .help = "Name of the page in the title bar. Default: the page id."},
};

#undef W
#undef C
#undef P
#undef G

#define LP_N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define LP_MAX_KEYS 24

typedef enum { LP_SEC_WALL, LP_SEC_CAMERA, LP_SEC_PANEL, LP_SEC_PAGE } lp_sec_kind_t;

typedef struct {
    const char *type;
    lp_sec_kind_t kind;
    const layout_key_t *keys;
    int n_keys;
    int max_count; /* sections of this type allowed in a file */
    const char *help;
} lp_section_def_t;

static const lp_section_def_t lp_sections[] = {
    {"wall", LP_SEC_WALL, lp_wall_keys, LP_N(lp_wall_keys), 1,
     "[wall]: exactly one per layout, the wall itself."},
    {"camera", LP_SEC_CAMERA, lp_camera_keys, LP_N(lp_camera_keys), LAYOUT_MAX_CAMERAS,
     "[camera ID]: one per camera. ID: 1..31 characters a-z 0-9 _ -, unique among cameras and "
     "panels; the credentials file uses the same ID."},
    {"panel", LP_SEC_PANEL, lp_panel_keys, LP_N(lp_panel_keys), LAYOUT_MAX_PANELS,
     "[panel ID]: an area that shows no camera. Same ID rules as cameras."},
    {"page", LP_SEC_PAGE, lp_page_keys, LP_N(lp_page_keys), LAYOUT_MAX_PAGES,
     "[page ID]: one screenful of tiles; cameras and panels name their pages with page=. The "
     "wall shows the pages in file order (rotate_s= rotates them). Without [page] sections "
     "everything is on one page."},
};

_Static_assert(LP_N(lp_wall_keys) <= LP_MAX_KEYS && LP_N(lp_camera_keys) <= LP_MAX_KEYS &&
                   LP_N(lp_panel_keys) <= LP_MAX_KEYS,
               "raise LP_MAX_KEYS");
_Static_assert(sizeof(layout_transport_t) == sizeof(int) && sizeof(grid_fit_t) == sizeof(int) &&
                   sizeof(layout_source_kind_t) == sizeof(int) &&
                   sizeof(layout_panel_type_t) == sizeof(int),
               "choices are stored as int");
_Static_assert(sizeof(layout_screen_mode_t) == sizeof(int), "choices are stored as int");

/* ---- parse state ----------------------------------------------------------------------------- */

/* Where a key of the section being parsed was set, and whether its value was refused. */
typedef struct {
    int line; /* 0: not in the file (default or missing) */
    bool bad;
} lp_keystate_t;

/* A camera or panel accepted into the model, for the grid checks at the end. */
typedef struct {
    const char *what; /* "camera" or "panel" */
    const char *id;
    const layout_cell_t *cell;
    int line, tile_line, span_line, page_line;
    bool cell_ok; /* tile and span were valid */
    const char *page_spec; /* page= as written, NULL = every page */
    uint32_t *pages;       /* where the resolved mask goes */
    const int *screen;     /* screen=, 1-based */
    int screen_line;       /* 0: not in the file */
    bool screen_bad;       /* screen= was refused (already reported) */
} lp_item_t;

typedef struct {
    layout_t *L;
    layout_errors_t *errs;
    const char *file;
    char *base_dir; /* absolute folder of file (heap) */
    int n_errors;
    bool oom;
    int wall_line; /* 0 until a [wall] is seen */
    lp_keystate_t wall_ks[LP_MAX_KEYS];
    bool cameras_full, panels_full; /* "too many" reported */
    lp_item_t items[LAYOUT_MAX_CAMERAS + LAYOUT_MAX_PANELS];
    int n_items;
} lp_ctx_t;

/* ---- small helpers --------------------------------------------------------------------------- */

/* Cuts s in place to at most max bytes without splitting a UTF-8 character. */
static void lp_utf8_cut(char *s, size_t max)
{
    size_t n = strlen(s);
    if (n <= max)
        return;
    while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
        max--;
    s[max] = '\0';
}

/* A bad value as quoted in a message: URI userinfo masked, long text cut with "...". */
static void lp_quote(const char *value, char out[LAYOUT_DEFAULT_QUOTE_MAX + 4])
{
    size_t cap = 2 * strlen(value) + 8; /* masking can add 3 bytes per "://" (4 bytes) */
    char *tmp = malloc(cap);
    if (tmp == NULL) {
        snprintf(out, LAYOUT_DEFAULT_QUOTE_MAX + 4, "...");
        return;
    }
    redact_text(NULL, value, tmp, cap);
    bool cut = strlen(tmp) > LAYOUT_DEFAULT_QUOTE_MAX;
    lp_utf8_cut(tmp, LAYOUT_DEFAULT_QUOTE_MAX);
    snprintf(out, LAYOUT_DEFAULT_QUOTE_MAX + 4, "%s%s", tmp, cut ? "..." : "");
    free(tmp);
}

static size_t lp_utf8_chars(const char *s)
{
    size_t n = 0;
    for (; *s != '\0'; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static char *lp_strdup0(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

/* "camera.pelabuhan.source" from a section name and a key (key may be NULL). */
static void lp_keyname(char out[LAYOUT_KEYNAME_MAX], const char *secname, const char *key)
{
    snprintf(out, LAYOUT_KEYNAME_MAX, "%s%s%s", secname, key != NULL ? "." : "",
             key != NULL ? key : "");
    lp_utf8_cut(out, LAYOUT_KEYNAME_MAX - 1);
}

typedef struct {
    const char *best;
    int dist;
} lp_suggest_t;

/* Keeps candidate if it is the closest so far to word and close enough: one edit for words of
 * up to 3 characters, LAYOUT_DEFAULT_SUGGEST for longer ones ("foo" is not a typo of "fps"). */
static void lp_suggest_try(lp_suggest_t *s, const char *word, const char *candidate)
{
    int max = strlen(word) <= 3 ? 1 : LAYOUT_DEFAULT_SUGGEST;
    int d = ini_edit_distance(word, candidate, max);
    if (d <= max && (s->best == NULL || d < s->dist)) {
        s->best = candidate;
        s->dist = d;
    }
}

/* ---- growable text --------------------------------------------------------------------------- */

typedef struct {
    char *s;
    size_t len, cap;
    bool oom;
} lp_buf_t;

static void lp_buf_printf(lp_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void lp_buf_printf(lp_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || b->oom)
        goto fail;
    if (b->len + (size_t)n + 1 > b->cap) {
        size_t cap = (b->cap + (size_t)n + 1) * 2;
        char *p = realloc(b->s, cap);
        if (p == NULL)
            goto fail;
        b->s = p;
        b->cap = cap;
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
    return;
fail:
    b->oom = true;
}

/* The text, or NULL if memory ran out (then it is freed). Never NULL for an empty text. */
static char *lp_buf_take(lp_buf_t *b)
{
    if (!b->oom && b->s == NULL)
        return calloc(1, 1);
    if (b->oom) {
        free(b->s);
        return NULL;
    }
    return b->s;
}

/* ---- errors ---------------------------------------------------------------------------------- */

static int lp_errors_append(layout_errors_t *errs, const char *file, int line, const char *key,
                            const char *msg)
{
    if (errs->count >= errs->cap) {
        int cap = errs->cap < 8 ? 8 : errs->cap * 2;
        layout_error_t *items = realloc(errs->items, (size_t)cap * sizeof *items);
        if (items == NULL)
            return -1;
        errs->items = items;
        errs->cap = cap;
    }
    layout_error_t e = {strdup(file), line, lp_strdup0(key), strdup(msg)};
    if (e.file == NULL || (key != NULL && e.key == NULL) || e.message == NULL) {
        free(e.file);
        free(e.key);
        free(e.message);
        return -1;
    }
    errs->items[errs->count++] = e;
    return 0;
}

static void lp_error(lp_ctx_t *c, int line, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void lp_error(lp_ctx_t *c, int line, const char *key, const char *fmt, ...)
{
    char msg[LAYOUT_MSG_MAX];
    c->n_errors++;
    if (c->errs == NULL || c->n_errors > LAYOUT_DEFAULT_MAX_ERRORS + 1)
        return;
    if (c->n_errors == LAYOUT_DEFAULT_MAX_ERRORS + 1) {
        snprintf(msg, sizeof msg, "more than %d errors; fix these first",
                 LAYOUT_DEFAULT_MAX_ERRORS);
        line = 0;
        key = NULL;
    } else {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, sizeof msg, fmt, ap);
        va_end(ap);
        lp_utf8_cut(msg, sizeof msg - 1);
    }
    if (lp_errors_append(c->errs, c->file, line, key, msg) != 0)
        c->oom = true;
}

/* ---- value converters (one per lk_type_t) ---------------------------------------------------- */

/* Parses an optional '-' and decimal digits, all of s[0..len). Returns 0, -1 when it is not a
 * whole number, 1 when it is one but far outside int. */
static int lp_parse_int(const char *s, size_t len, int *out)
{
    size_t i = 0;
    bool neg = len > 0 && s[0] == '-';
    long long v = 0;
    bool huge = false;
    if (neg)
        i++;
    if (i == len)
        return -1;
    for (; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
        if (v > 1000000000LL) {
            huge = true;
            v = 1000000000LL;
        }
    }
    *out = (int)(neg ? -v : v);
    return huge ? 1 : 0;
}

static void lp_range_text(const layout_key_t *k, char *out, size_t cap)
{
    snprintf(out, cap, "allowed %d..%d", k->min, k->max);
}

static bool lp_conv_int(const layout_key_t *k, const char *value, lk_value_t *v, char *msg,
                        size_t cap)
{
    char q[LAYOUT_DEFAULT_QUOTE_MAX + 4], range[48];
    lp_quote(value, q);
    lp_range_text(k, range, sizeof range);
    int r = lp_parse_int(value, strlen(value), &v->a);
    if (r < 0)
        snprintf(msg, cap, "'%s' is not a whole number (%s)", q, range);
    else if (r > 0 || v->a < k->min || v->a > k->max)
        snprintf(msg, cap, "'%s' is out of range (%s)", q, range);
    return r == 0 && v->a >= k->min && v->a <= k->max;
}

/* Trims spaces around [s, s+len) and parses it as a number. */
static int lp_parse_int_trim(const char *s, size_t len, int *out)
{
    while (len > 0 && (*s == ' ' || *s == '\t'))
        s++, len--;
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
        len--;
    return lp_parse_int(s, len, out);
}

/* "AxB" (LK_SIZE) or "A,B" (LK_CELL). */
static bool lp_conv_pair(const layout_key_t *k, const char *value, lk_value_t *v, char *msg,
                         size_t cap)
{
    char q[LAYOUT_DEFAULT_QUOTE_MAX + 4], range[48];
    bool size = k->type == LK_SIZE;
    const char *sep = size ? strpbrk(value, "xX") : strchr(value, ',');
    lp_quote(value, q);
    lp_range_text(k, range, sizeof range);
    int pa = -1, pb = -1;
    if (sep != NULL) {
        pa = lp_parse_int_trim(value, (size_t)(sep - value), &v->a);
        pb = lp_parse_int_trim(sep + 1, strlen(sep + 1), &v->b);
    }
    if (pa < 0 || pb < 0) {
        snprintf(msg, cap, "'%s' is not %s (e.g. %s)", q, k->syntax,
                 size ? (k->min > 1 ? "1920x1080" : "2x1") : "0,0");
        return false;
    }
    if (pa > 0 || pb > 0 || v->a < k->min || v->a > k->max || v->b < k->min || v->b > k->max) {
        snprintf(msg, cap, "'%s' is out of range (%s for each number)", q, range);
        return false;
    }
    return true;
}

static bool lp_conv_choice(const layout_key_t *k, const char *value, lk_value_t *v, char *msg,
                           size_t cap)
{
    char q[LAYOUT_DEFAULT_QUOTE_MAX + 4], list[128] = "";
    lp_suggest_t sug = {NULL, 0};
    for (const lk_choice_t *ch = k->choices; ch->name != NULL; ch++) {
        if (strcasecmp(value, ch->name) == 0) {
            v->a = ch->value;
            return true;
        }
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", used > 0 ? ", " : "", ch->name);
        lp_suggest_try(&sug, value, ch->name);
    }
    lp_quote(value, q);
    if (sug.best != NULL && strlen(value) > 1)
        snprintf(msg, cap, "'%s' is not allowed (did you mean '%s'? allowed: %s)", q, sug.best,
                 list);
    else
        snprintf(msg, cap, "'%s' is not allowed (allowed: %s)", q, list);
    return false;
}

static bool lp_conv_text(const layout_key_t *k, const char *value, lk_value_t *v, char *msg,
                         size_t cap)
{
    char q[LAYOUT_DEFAULT_QUOTE_MAX + 4];
    size_t n = lp_utf8_chars(value);
    if (n == 0 && k->min > 0) {
        snprintf(msg, cap, "empty value (leave the key out to get the default)");
        return false;
    }
    if (n > (size_t)k->max) {
        lp_quote(value, q);
        snprintf(msg, cap, "'%s' is %zu characters long (allowed at most %d)", q, n, k->max);
        return false;
    }
    v->s = strdup(value);
    return v->s != NULL;
}

/* Stores an absolute form of the path: relative paths are relative to the layout's folder. */
static bool lp_conv_path(const layout_key_t *k, const char *value, const lk_where_t *w,
                         lk_value_t *v, char *msg, size_t cap)
{
    if (value[0] == '\0') {
        snprintf(msg, cap, "empty path (leave the key out to get the default)");
        return false;
    }
    if (strlen(value) > (size_t)k->max) {
        snprintf(msg, cap, "path is %zu bytes long (allowed at most %d)", strlen(value), k->max);
        return false;
    }
    char *abs = g_canonicalize_filename(value, w->base_dir);
    v->s = abs != NULL ? strdup(abs) : NULL;
    g_free(abs);
    return v->s != NULL;
}

/* Converts value for key k; on failure writes why into msg (v->s is then NULL). */
static bool lp_convert(const layout_key_t *k, const char *value, const lk_where_t *w,
                       lk_value_t *v, char *msg, size_t cap)
{
    bool ok = false;
    *v = (lk_value_t){0, 0, NULL};
    snprintf(msg, cap, "out of memory");
    switch (k->type) {
    case LK_TEXT:
        ok = lp_conv_text(k, value, v, msg, cap);
        break;
    case LK_INT:
        ok = lp_conv_int(k, value, v, msg, cap);
        break;
    case LK_SIZE:
    case LK_CELL:
        ok = lp_conv_pair(k, value, v, msg, cap);
        break;
    case LK_BOOL:
    case LK_CHOICE:
        ok = lp_conv_choice(k, value, v, msg, cap);
        break;
    case LK_PATH:
        ok = lp_conv_path(k, value, w, v, msg, cap);
        break;
    }
    if (ok && k->validate != NULL)
        ok = k->validate(value, w, msg, cap);
    if (!ok) {
        free(v->s);
        v->s = NULL;
    }
    return ok;
}

/* Moves a converted value into the section's struct at base. */
static void lp_store(const layout_key_t *k, void *base, lk_value_t *v)
{
    char *field = (char *)base + k->off;
    switch (k->type) {
    case LK_TEXT:
    case LK_PATH:
        free(*(char **)field);
        *(char **)field = v->s;
        v->s = NULL;
        break;
    case LK_INT:
        *(int *)field = v->a;
        break;
    case LK_SIZE:
    case LK_CELL:
        *(int *)field = v->a;
        *(int *)((char *)base + k->off2) = v->b;
        break;
    case LK_BOOL:
        *(bool *)field = v->a != 0;
        break;
    case LK_CHOICE: /* an enum field; same size as int (asserted above) */
        memcpy(field, &v->a, sizeof v->a);
        break;
    }
}

/* ---- validators ------------------------------------------------------------------------------ */

static bool lp_valid_language(const char *value, const lk_where_t *where, char *msg, size_t cap)
{
    (void)where;
    if (strcmp(value, "id") == 0 || strcmp(value, "en") == 0)
        return true;
    char q[LAYOUT_DEFAULT_QUOTE_MAX + 4];
    lp_quote(value, q);
    snprintf(msg, cap, "'%s' is not allowed (allowed: id, en)", q);
    return false;
}

static bool lp_valid_test(const char *value, char *msg, size_t cap)
{
    if (strcmp(value, "test") == 0)
        return true;
    const char *pattern = value + strlen("test:");
    lp_suggest_t sug = {NULL, 0};
    if (pattern[0] == '\0') {
        snprintf(msg, cap, "'test:' needs a pattern after the colon (e.g. test:ball), or write "
                           "just test");
        return false;
    }
    for (int i = 0; lp_test_patterns[i] != NULL; i++) {
        if (strcmp(pattern, lp_test_patterns[i]) == 0)
            return true;
        lp_suggest_try(&sug, pattern, lp_test_patterns[i]);
    }
    char q[LAYOUT_DEFAULT_QUOTE_MAX + 4];
    lp_quote(pattern, q);
    if (sug.best != NULL)
        snprintf(msg, cap, "unknown test pattern '%s' (did you mean '%s'? see docs/layout.md)", q,
                 sug.best);
    else
        snprintf(msg, cap, "unknown test pattern '%s' (allowed: ball, smpte, pinwheel, spokes, "
                           "snow, gradient, ... see docs/layout.md)", q);
    return false;
}

/* Quotes a value with userinfo as its scheme, "://", "***" and the text from the last '@' on:
 * nothing between "://" and that '@' is shown, whatever it holds (spaces, slashes, ...). */
static void lp_quote_masked(const char *value, char out[LAYOUT_DEFAULT_QUOTE_MAX + 4])
{
    const char *sep = strstr(value, "://");
    const char *at = strrchr(value, '@');
    char *tmp = malloc(strlen(value) + 8);
    if (sep == NULL || at == NULL || at < sep || tmp == NULL) {
        snprintf(out, LAYOUT_DEFAULT_QUOTE_MAX + 4, "...");
        free(tmp);
        return;
    }
    sprintf(tmp, "%.*s***%s", (int)(sep + 3 - value), value, at);
    lp_quote(tmp, out);
    free(tmp);
}

/* A URI must not carry a user name or password: they belong in the credentials file. */
static bool lp_no_userinfo(const char *value, const lk_where_t *where, char *msg, size_t cap)
{
    const char *sep = strstr(value, "://");
    const char *at = strrchr(value, '@');
    if (at == NULL)
        return true;
    char q[LAYOUT_DEFAULT_QUOTE_MAX + 4];
    lp_quote_masked(value, q);
    const char *id = where->id != NULL ? where->id : "ID";
    bool password = sep != NULL && memchr(sep + 3, ':', (size_t)(at > sep + 3 ? at - sep - 3 : 0));
    if (password)
        snprintf(msg, cap, "'%s' has a password in it: remove 'USER:PASSWORD@' from the URI and "
                           "put username= and password= under [%s] in the credentials file",
                 q, id);
    else
        snprintf(msg, cap, "'%s' has a user name or token before '@': remove it from the URI and "
                           "put username= (or token=) under [%s] in the credentials file "
                           "(write an '@' that belongs to the path as %%40)", q, id);
    return false;
}

/* Printable ASCII without spaces. */
static bool lp_uri_chars(const char *value, char *msg, size_t cap)
{
    char q[LAYOUT_DEFAULT_QUOTE_MAX + 4];
    for (const char *p = value; *p != '\0'; p++) {
        if (*p == ' ' || *p == '\t' || (unsigned char)*p > 0x7E) {
            lp_quote(value, q);
            if (*p == ' ' || *p == '\t')
                snprintf(msg, cap, "'%s' contains a space (write it as %%20)", q);
            else
                snprintf(msg, cap, "'%s' contains a character that is not plain ASCII "
                                   "(percent-encode it)", q);
            return false;
        }
    }
    return true;
}

static bool lp_host_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~' || c == '%';
}

/* Checks "host", "host:port", "[v6]" or "[v6]:port" in s[0..n). */
static bool lp_valid_hostport(const char *value, const char *s, size_t n, bool need_port,
                              char *msg, size_t cap)
{
    char q[LAYOUT_DEFAULT_QUOTE_MAX + 4];
    size_t host_end = 0, i;
    int port = 0;
    if (n > 0 && s[0] == '[') {
        const char *close = memchr(s, ']', n);
        host_end = close != NULL ? (size_t)(close - s) + 1 : 0;
        for (i = 1; close != NULL && i + 1 < host_end; i++)
            if (!(lp_host_char(s[i]) || s[i] == ':'))
                host_end = 0;
        if (host_end <= 2)
            host_end = 0;
    } else {
        while (host_end < n && s[host_end] != ':' && lp_host_char(s[host_end]))
            host_end++;
    }
    lp_quote(value, q);
    if (host_end == 0 || (host_end < n && s[host_end] != ':')) {
        snprintf(msg, cap, "'%s' has %s host (e.g. 192.168.1.20 or cam1.local)", q,
                 host_end == 0 && (n == 0 || s[0] == ':') ? "no" : "a bad");
        return false;
    }
    bool has_port = host_end < n;
    if (!has_port && need_port) {
        snprintf(msg, cap, "'%s' needs a port (e.g. tcp://192.168.1.30:5600)", q);
        return false;
    }
    if (has_port && (lp_parse_int(s + host_end + 1, n - host_end - 1, &port) != 0 || port < 1 ||
                     port > 65535)) {
        snprintf(msg, cap, "'%s' has a bad port (allowed 1..65535)", q);
        return false;
    }
    return true;
}

static bool lp_valid_rtsp(const char *value, size_t scheme_len, char *msg, size_t cap)
{
    if (!lp_uri_chars(value, msg, cap))
        return false;
    const char *auth = value + scheme_len;
    size_t n = strcspn(auth, "/?#");
    return lp_valid_hostport(value, auth, n, false, msg, cap);
}

static bool lp_valid_source(const char *value, const lk_where_t *where, char *msg, size_t cap)
{
    if (strcmp(value, "test") == 0 || strncmp(value, "test:", 5) == 0)
        return lp_valid_test(value, msg, cap);
    size_t scheme = strncasecmp(value, "rtsp://", 7) == 0    ? 7
                    : strncasecmp(value, "rtsps://", 8) == 0 ? 8
                                                              : 0;
    if (scheme > 0)
        return lp_no_userinfo(value, where, msg, cap) && lp_valid_rtsp(value, scheme, msg, cap);
    char q[LAYOUT_DEFAULT_QUOTE_MAX + 4];
    if (strchr(value, '@') != NULL)
        lp_quote_masked(value, q);
    else
        lp_quote(value, q);
    snprintf(msg, cap, "'%s' is not a source (allowed: test, test:PATTERN, "
                       "rtsp://HOST[:PORT]/PATH, rtsps://...)", q);
    return false;
}

static bool lp_valid_duration(const char *value, const lk_where_t *where, char *msg, size_t cap)
{
    (void)where;
    int64_t ns;
    return recstore_parse_duration(value, &ns, msg, cap) == 0;
}

static bool lp_valid_size(const char *value, const lk_where_t *where, char *msg, size_t cap)
{
    (void)where;
    uint64_t bytes;
    return recstore_parse_size(value, &bytes, msg, cap) == 0;
}

static bool lp_valid_onvif(const char *value, const lk_where_t *where, char *msg, size_t cap)
{
    char q[LAYOUT_DEFAULT_QUOTE_MAX + 4];
    if (strncasecmp(value, "http://", 7) != 0) {
        if (strchr(value, '@') != NULL)
            lp_quote_masked(value, q);
        else
            lp_quote(value, q);
        snprintf(msg, cap, "'%s' is not an ONVIF device address (allowed: "
                           "http://HOST[:PORT]/PATH, e.g. http://192.168.1.20/onvif/device_service)",
                 q);
        return false;
    }
    if (!lp_no_userinfo(value, where, msg, cap) || !lp_uri_chars(value, msg, cap))
        return false;
    const char *auth = value + 7;
    size_t n = strcspn(auth, "/?#");
    if (!lp_valid_hostport(value, auth, n, false, msg, cap))
        return false;
    if (auth[n] != '/') {
        lp_quote(value, q);
        snprintf(msg, cap, "'%s' has no path (the device service is usually "
                           "/onvif/device_service)", q);
        return false;
    }
    return true;
}

/* decoder=: auto, software or a decoder element name (ingest/decsel.h). */
static bool lp_valid_decoder(const char *value, const lk_where_t *where, char *msg, size_t cap)
{
    (void)where;
    return decsel_setting_valid(value, msg, cap);
}

/* A profile token: printable ASCII without spaces. */
static bool lp_valid_token(const char *value, const lk_where_t *where, char *msg, size_t cap)
{
    (void)where;
    char q[LAYOUT_DEFAULT_QUOTE_MAX + 4];
    for (const char *p = value; *p != '\0'; p++)
        if (*p <= ' ' || *p > '~') {
            lp_quote(value, q);
            snprintf(msg, cap, "'%s' is not a profile token (auto, or the camera's token: "
                               "printable characters without spaces)", q);
            return false;
        }
    return true;
}

static bool lp_valid_endpoint(const char *value, const lk_where_t *where, char *msg, size_t cap)
{
    char q[LAYOUT_DEFAULT_QUOTE_MAX + 4];
    if (strncmp(value, "ipc://", 6) == 0) {
        size_t n = strlen(value + 6);
        if (n >= 1 && n <= LAYOUT_DEFAULT_IPC_PATH_MAX)
            return true;
        lp_quote(value, q);
        if (n == 0)
            snprintf(msg, cap, "'%s' has no path (e.g. ipc:///tmp/pantau/cam1)", q);
        else
            snprintf(msg, cap, "ipc path is %zu bytes long (allowed at most %d)", n,
                     LAYOUT_DEFAULT_IPC_PATH_MAX);
        return false;
    }
    if (strncmp(value, "tcp://", 6) == 0)
        return lp_no_userinfo(value, where, msg, cap) && lp_uri_chars(value, msg, cap) &&
               lp_valid_hostport(value, value + 6, strlen(value + 6), true, msg, cap);
    if (strchr(value, '@') != NULL)
        lp_quote_masked(value, q);
    else
        lp_quote(value, q);
    snprintf(msg, cap, "'%s' is not an endpoint (allowed: ipc://PATH, tcp://HOST:PORT)", q);
    return false;
}

static bool lp_valid_main_uri(const char *value, const lk_where_t *where, char *msg, size_t cap)
{
    if (strncasecmp(value, "rtsp://", 7) != 0 && strncasecmp(value, "rtsps://", 8) != 0) {
        char q[LAYOUT_DEFAULT_QUOTE_MAX + 4];
        lp_quote_masked(value, q);
        snprintf(msg, cap, "'%s' is not an rtsp:// or rtsps:// URI", q);
        return false;
    }
    return lp_valid_source(value, where, msg, cap);
}

/* Syntax of page=: "all" or a comma-separated list of ids (that they exist is checked at the
 * end, once every [page] is known). */
static bool lp_valid_page_spec(const char *value, const lk_where_t *where, char *msg, size_t cap)
{
    (void)where;
    if (strcmp(value, "all") == 0)
        return true;
    bool ok = true;
    gchar **names = g_strsplit(value, ",", -1);
    for (int i = 0; ok && names[i] != NULL; i++) {
        char *name = g_strstrip(names[i]);
        if (!ini_id_valid(name, LAYOUT_ID_MAX)) {
            char q[LAYOUT_DEFAULT_QUOTE_MAX + 4];
            lp_quote(name, q);
            snprintf(msg, cap, "'%s' is not a page id (write page=ID[,ID...] or page=all)", q);
            ok = false;
        }
    }
    g_strfreev(names);
    return ok;
}

/* ---- sections -------------------------------------------------------------------------------- */

static int lp_key_index(const lp_section_def_t *def, const char *name)
{
    for (int i = 0; i < def->n_keys; i++)
        if (strcmp(def->keys[i].name, name) == 0)
            return i;
    return -1;
}

static void lp_unknown_key(lp_ctx_t *c, const lp_section_def_t *def, const ini_entry_t *e,
                           const char *secname)
{
    char key[LAYOUT_KEYNAME_MAX], q[LAYOUT_DEFAULT_QUOTE_MAX + 4], list[256] = "";
    lp_suggest_t sug = {NULL, 0};
    for (int i = 0; i < def->n_keys; i++) {
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%s", i > 0 ? ", " : "", def->keys[i].name);
        lp_suggest_try(&sug, e->key, def->keys[i].name);
    }
    lp_keyname(key, secname, e->key);
    lp_quote(e->key, q);
    if (sug.best != NULL)
        lp_error(c, e->line, key, "unknown key '%s' (did you mean '%s'?)", q, sug.best);
    else
        lp_error(c, e->line, key, "unknown key '%s' (allowed in [%s]: %s)", q, def->type, list);
}

/* How a value of k is written: its syntax, or its choices joined by '|'. */
static const char *lp_syntax(const layout_key_t *k, char *buf, size_t cap)
{
    if (k->syntax != NULL || k->choices == NULL)
        return k->syntax != NULL ? k->syntax : "...";
    buf[0] = '\0';
    for (const lk_choice_t *ch = k->choices; ch->name != NULL; ch++) {
        size_t used = strlen(buf);
        snprintf(buf + used, cap - used, "%s%s", ch == k->choices ? "" : "|", ch->name);
    }
    return buf;
}

/* Keys the file left out: required ones are errors, the others get their default. */
static void lp_defaults(lp_ctx_t *c, const lp_section_def_t *def, const ini_section_t *sec,
                        void *base, const char *secname, const lp_keystate_t *ks, bool required)
{
    lk_where_t where = {sec->name, c->base_dir};
    char key[LAYOUT_KEYNAME_MAX], msg[LAYOUT_MSG_MAX], syntax[128];
    for (int k = 0; k < def->n_keys; k++) {
        const layout_key_t *lk = &def->keys[k];
        if (ks[k].line > 0)
            continue;
        lk_value_t v;
        if (lk->required && required) {
            lp_keyname(key, secname, lk->name);
            lp_error(c, sec->line, key, "missing required key '%s' (%s=%s)", lk->name, lk->name,
                     lp_syntax(lk, syntax, sizeof syntax));
        } else if (lk->def != NULL) {
            if (lp_convert(lk, lk->def, &where, &v, msg, sizeof msg))
                lp_store(lk, base, &v);
            else
                c->oom = true; /* defaults are valid (tested): only memory can fail */
        }
    }
}

/* Reads the keys of one section into base (a layout_t, layout_camera_t or layout_panel_t) and
 * records in ks[] (indexed like def->keys) where each was set. required: report missing keys. */
static void lp_fill(lp_ctx_t *c, const lp_section_def_t *def, const ini_doc_t *doc,
                    const ini_section_t *sec, void *base, const char *secname, lp_keystate_t *ks,
                    bool required)
{
    lk_where_t where = {sec->name, c->base_dir};
    char key[LAYOUT_KEYNAME_MAX], msg[LAYOUT_MSG_MAX];
    for (int i = 0; i < sec->n_entries; i++) {
        const ini_entry_t *e = &doc->entries[sec->first_entry + i];
        int k = lp_key_index(def, e->key);
        if (k < 0) {
            lp_unknown_key(c, def, e, secname);
            continue;
        }
        lp_keyname(key, secname, e->key);
        if (ks[k].line > 0) {
            lp_error(c, e->line, key, "duplicate key '%s' (first on line %d)", e->key, ks[k].line);
            continue;
        }
        ks[k].line = e->line;
        lk_value_t v;
        if (lp_convert(&def->keys[k], e->value, &where, &v, msg, sizeof msg)) {
            lp_store(&def->keys[k], base, &v);
        } else {
            ks[k].bad = true;
            lp_error(c, e->line, key, "%s", msg);
        }
    }
    lp_defaults(c, def, sec, base, secname, ks, required);
}

/* Checks the ID of a [camera ID] or [panel ID] header and writes the section's key prefix
 * ("camera.pelabuhan") into secname. False when the section cannot join the model. */
static bool lp_check_id(lp_ctx_t *c, const ini_section_t *sec, char secname[LAYOUT_KEYNAME_MAX])
{
    char q[LAYOUT_DEFAULT_QUOTE_MAX + 4];
    lp_keyname(secname, sec->type, sec->name);
    if (sec->name == NULL) {
        lp_error(c, sec->line, secname, "missing id: write [%s ID], e.g. [%s pelabuhan]",
                 sec->type, sec->type);
        return false;
    }
    if (!ini_id_valid(sec->name, LAYOUT_ID_MAX)) {
        lp_quote(sec->name, q);
        lp_error(c, sec->line, secname,
                 "'%s' is not a valid id (allowed: 1..%d characters a-z, 0-9, '_', '-')", q,
                 LAYOUT_ID_MAX);
        return false;
    }
    for (int i = 0; i < c->n_items; i++) {
        const lp_item_t *it = &c->items[i];
        if (strcmp(it->id, sec->name) == 0) {
            lp_error(c, sec->line, secname,
                     "duplicate id '%s': %s '%s' on line %d has it (cameras and panels share ids)",
                     sec->name, it->what, it->id, it->line);
            return false;
        }
    }
    return true;
}

static void lp_add_item(lp_ctx_t *c, const lp_section_def_t *def, const char *id,
                        const layout_cell_t *cell, int line, const lp_keystate_t *ks,
                        const char *page_spec, uint32_t *pages, const int *screen)
{
    const lp_keystate_t *tile = &ks[lp_key_index(def, "tile")];
    const lp_keystate_t *span = &ks[lp_key_index(def, "span")];
    const lp_keystate_t *page = &ks[lp_key_index(def, "page")];
    const lp_keystate_t *scr = &ks[lp_key_index(def, "screen")];
    c->items[c->n_items++] = (lp_item_t){def->type, id, cell, line, tile->line, span->line,
                                         page->line, tile->line > 0 && !tile->bad && !span->bad,
                                         page->bad ? NULL : page_spec, pages, screen,
                                         scr->line, scr->bad};
}

static void lp_camera_free(layout_camera_t *cam)
{
    free(cam->retention);
    free(cam->quota);
    free(cam->label);
    free(cam->source);
    free(cam->endpoint);
    free(cam->main_uri);
    free(cam->page_spec);
    free(cam->onvif);
    free(cam->profile);
    free(cam->decoder);
}

static void lp_panel_free(layout_panel_t *p)
{
    free(p->title);
    free(p->text);
    free(p->endpoint);
    free(p->page_spec);
}

static void lp_wall_free(layout_t *L)
{
    free(L->path);
    free(L->title);
    free(L->credentials);
    free(L->language);
    free(L->endpoint_dir);
    free(L->recordings);
    free(L->retention);
    free(L->quota_total);
    free(L->control);
    for (int i = 0; i < L->n_pages; i++)
        free(L->pages[i].label);
}

/* Cross-key rules of a camera: source or endpoint, the kind, the default label. */
static void lp_camera_finish(lp_ctx_t *c, const ini_section_t *sec, layout_camera_t *cam,
                             const char *secname, const lp_keystate_t *ks)
{
    const lp_section_def_t *def = &lp_sections[LP_SEC_CAMERA];
    char key[LAYOUT_KEYNAME_MAX];
    const lp_keystate_t *onvif = &ks[lp_key_index(def, "onvif")];
    const lp_keystate_t *source = &ks[lp_key_index(def, "source")];
    const lp_keystate_t *profile = &ks[lp_key_index(def, "profile")];
    if (source->line == 0 && onvif->line == 0 && ks[lp_key_index(def, "endpoint")].line == 0) {
        lp_keyname(key, secname, "source");
        lp_error(c, sec->line, key,
                 "missing required key 'source' (source=test, test:PATTERN or rtsp://...; or "
                 "endpoint= alone for a camera whose worker runs elsewhere)");
    }
    if (source->line != 0 && onvif->line != 0) {
        lp_keyname(key, secname, "onvif");
        lp_error(c, onvif->line, key,
                 "give either source= (line %d) or onvif=, not both", source->line);
    }
    if (profile->line != 0 && onvif->line == 0) {
        lp_keyname(key, secname, "profile");
        lp_error(c, profile->line, key, "profile= only applies to ONVIF cameras (onvif=)");
    }
    if (cam->onvif != NULL && cam->source == NULL)
        cam->kind = LAYOUT_SOURCE_ONVIF;
    else if (cam->source == NULL)
        cam->kind = LAYOUT_SOURCE_REMOTE;
    else
        cam->kind = strncmp(cam->source, "test", 4) == 0 ? LAYOUT_SOURCE_TEST : LAYOUT_SOURCE_RTSP;
    if (cam->label == NULL && (cam->label = strdup(cam->id)) == NULL)
        c->oom = true;
}

/* Cross-key rules of a panel: the title default, text only on text panels. */
static void lp_panel_finish(lp_ctx_t *c, layout_panel_t *p, const char *secname,
                            const lp_keystate_t *ks)
{
    const lp_section_def_t *def = &lp_sections[LP_SEC_PANEL];
    const lp_keystate_t *type = &ks[lp_key_index(def, "type")];
    const lp_keystate_t *text = &ks[lp_key_index(def, "text")];
    char key[LAYOUT_KEYNAME_MAX];
    if (type->line == 0 || type->bad)
        return;
    if (p->title == NULL) {
        /* In Bahasa Indonesia for now: lp_default_titles turns it English for language=en (the
         * [wall] section may come after the panels). */
        p->title = strdup(p->type == LAYOUT_PANEL_COUNTERS ? LAYOUT_DEFAULT_TITLE_COUNTERS
                                                           : LAYOUT_DEFAULT_TITLE_TEXT);
        p->title_default = true;
        c->oom |= p->title == NULL;
    }
    if (text->line > 0 && p->type != LAYOUT_PANEL_TEXT) {
        lp_keyname(key, secname, "text");
        lp_error(c, text->line, key, "text= is only shown by type=text panels (this one is "
                                     "type=counters)");
    }
    static const char *const counters_only[] = {"view", "endpoint", "source"};
    for (int i = 0; i < 3 && p->type == LAYOUT_PANEL_TEXT; i++) {
        const lp_keystate_t *k = &ks[lp_key_index(def, counters_only[i])];
        if (k->line > 0) {
            lp_keyname(key, secname, counters_only[i]);
            lp_error(c, k->line, key, "%s= is only used by type=counters panels (this one is "
                                      "type=text)", counters_only[i]);
        }
    }
}

static void lp_camera(lp_ctx_t *c, const ini_doc_t *doc, const ini_section_t *sec)
{
    const lp_section_def_t *def = &lp_sections[LP_SEC_CAMERA];
    char secname[LAYOUT_KEYNAME_MAX];
    lp_keystate_t ks[LP_MAX_KEYS] = {{0, false}};
    layout_camera_t scratch = {.label = NULL}, *cam = &scratch;
    bool ok = lp_check_id(c, sec, secname);
    if (ok && c->L->n_cameras >= LAYOUT_MAX_CAMERAS) {
        if (!c->cameras_full)
            lp_error(c, sec->line, secname, "more than %d cameras (the most one wall shows)",
                     LAYOUT_MAX_CAMERAS);
        c->cameras_full = true;
        ok = false;
    }
    if (ok)
        cam = &c->L->cameras[c->L->n_cameras++];
    snprintf(cam->id, sizeof cam->id, "%s", ok ? sec->name : "");
    cam->line = sec->line;
    lp_fill(c, def, doc, sec, cam, secname, ks, true);
    lp_camera_finish(c, sec, cam, secname, ks);
    if (ok)
        lp_add_item(c, def, cam->id, &cam->cell, sec->line, ks, cam->page_spec, &cam->pages,
                    &cam->screen);
    else
        lp_camera_free(&scratch);
}

static void lp_panel(lp_ctx_t *c, const ini_doc_t *doc, const ini_section_t *sec)
{
    const lp_section_def_t *def = &lp_sections[LP_SEC_PANEL];
    char secname[LAYOUT_KEYNAME_MAX];
    lp_keystate_t ks[LP_MAX_KEYS] = {{0, false}};
    layout_panel_t scratch = {.title = NULL}, *p = &scratch;
    bool ok = lp_check_id(c, sec, secname);
    if (ok && c->L->n_panels >= LAYOUT_MAX_PANELS) {
        if (!c->panels_full)
            lp_error(c, sec->line, secname, "more than %d panels", LAYOUT_MAX_PANELS);
        c->panels_full = true;
        ok = false;
    }
    if (ok)
        p = &c->L->panels[c->L->n_panels++];
    snprintf(p->id, sizeof p->id, "%s", ok ? sec->name : "");
    p->line = sec->line;
    lp_fill(c, def, doc, sec, p, secname, ks, true);
    lp_panel_finish(c, p, secname, ks);
    if (ok)
        lp_add_item(c, def, p->id, &p->cell, sec->line, ks, p->page_spec, &p->pages, &p->screen);
    else
        lp_panel_free(&scratch);
}

static void lp_page(lp_ctx_t *c, const ini_doc_t *doc, const ini_section_t *sec)
{
    const lp_section_def_t *def = &lp_sections[LP_SEC_PAGE];
    char secname[LAYOUT_KEYNAME_MAX], q[LAYOUT_DEFAULT_QUOTE_MAX + 4];
    lp_keystate_t ks[LP_MAX_KEYS] = {{0, false}};
    layout_page_t scratch = {.label = NULL}, *pg = &scratch;
    bool ok = true;
    lp_keyname(secname, sec->type, sec->name);
    if (sec->name == NULL) {
        lp_error(c, sec->line, secname, "missing id: write [page ID], e.g. [page pelabuhan]");
        ok = false;
    } else if (!ini_id_valid(sec->name, LAYOUT_ID_MAX)) {
        lp_quote(sec->name, q);
        lp_error(c, sec->line, secname,
                 "'%s' is not a valid id (allowed: 1..%d characters a-z, 0-9, '_', '-')", q,
                 LAYOUT_ID_MAX);
        ok = false;
    } else if (strcmp(sec->name, "all") == 0) {
        lp_error(c, sec->line, secname, "'all' is reserved (page=all means every page)");
        ok = false;
    }
    for (int i = 0; ok && i < c->L->n_pages; i++)
        if (strcmp(c->L->pages[i].id, sec->name) == 0) {
            lp_error(c, sec->line, secname, "duplicate page '%s' (first on line %d)", sec->name,
                     c->L->pages[i].line);
            ok = false;
        }
    if (ok && c->L->n_pages >= LAYOUT_MAX_PAGES) {
        lp_error(c, sec->line, secname, "more than %d pages", LAYOUT_MAX_PAGES);
        ok = false;
    }
    if (ok)
        pg = &c->L->pages[c->L->n_pages++];
    snprintf(pg->id, sizeof pg->id, "%s", ok ? sec->name : "");
    pg->line = sec->line;
    lp_fill(c, def, doc, sec, pg, secname, ks, true);
    if (pg->label == NULL && ok && (pg->label = strdup(pg->id)) == NULL)
        c->oom = true;
    if (!ok)
        free(scratch.label);
}

/* Cross-key rules of the wall: the socket folder must leave room for the socket names. */
static void lp_wall_finish(lp_ctx_t *c, const layout_t *L, const lp_keystate_t *ks)
{
    const lp_keystate_t *dir = &ks[lp_key_index(&lp_sections[LP_SEC_WALL], "endpoint_dir")];
    if (L->endpoint_dir != NULL && strlen(L->endpoint_dir) > LAYOUT_DEFAULT_ENDPOINT_DIR_MAX)
        lp_error(c, dir->line, "wall.endpoint_dir",
                 "folder is %zu bytes long once made absolute; ipc:// socket paths are limited, "
                 "so at most %d bytes are allowed",
                 strlen(L->endpoint_dir), LAYOUT_DEFAULT_ENDPOINT_DIR_MAX);
    const lp_keystate_t *rot = &ks[lp_key_index(&lp_sections[LP_SEC_WALL], "rotate_s")];
    if (!rot->bad && L->rotate_s > 0 && L->rotate_s < 5)
        lp_error(c, rot->line, "wall.rotate_s",
                 "%d s is too short to read a page (use 0 for no rotation, or 5..3600)",
                 L->rotate_s);
}

static void lp_wall(lp_ctx_t *c, const ini_doc_t *doc, const ini_section_t *sec)
{
    const lp_section_def_t *def = &lp_sections[LP_SEC_WALL];
    lp_keystate_t ks[LP_MAX_KEYS] = {{0, false}};
    layout_t *target = c->L, *scratch = NULL;
    char q[LAYOUT_DEFAULT_QUOTE_MAX + 4];
    if (sec->name != NULL) {
        lp_quote(sec->name, q);
        lp_error(c, sec->line, "wall", "[wall] takes no name ('%s'): write just [wall]", q);
    }
    if (c->wall_line > 0) {
        lp_error(c, sec->line, "wall", "duplicate [wall] section (first on line %d)",
                 c->wall_line);
        if ((scratch = calloc(1, sizeof *scratch)) == NULL) { /* to check its keys all the same */
            c->oom = true;
            return;
        }
        target = scratch;
    } else {
        c->wall_line = sec->line;
    }
    lp_fill(c, def, doc, sec, target, "wall", ks, scratch == NULL); /* one error is enough */
    lp_wall_finish(c, target, ks);
    if (scratch != NULL) {
        lp_wall_free(scratch);
        free(scratch);
    } else {
        memcpy(c->wall_ks, ks, sizeof ks);
    }
}

static void lp_unknown_section(lp_ctx_t *c, const ini_section_t *sec)
{
    char key[LAYOUT_KEYNAME_MAX], q[LAYOUT_DEFAULT_QUOTE_MAX + 4];
    lp_suggest_t sug = {NULL, 0};
    for (int i = 0; i < LP_N(lp_sections); i++)
        lp_suggest_try(&sug, sec->type, lp_sections[i].type);
    lp_keyname(key, sec->type, sec->name);
    lp_quote(sec->type, q);
    if (sug.best != NULL)
        lp_error(c, sec->line, key, "unknown section type '%s' (did you mean '%s'?)", q,
                 sug.best);
    else
        lp_error(c, sec->line, key,
                 "unknown section type '%s' (allowed: [wall], [camera ID], [panel ID], "
                 "[page ID])", q);
}

static void lp_section(lp_ctx_t *c, const ini_doc_t *doc, const ini_section_t *sec)
{
    for (int i = 0; i < LP_N(lp_sections); i++) {
        if (strcmp(sec->type, lp_sections[i].type) != 0)
            continue;
        switch (lp_sections[i].kind) {
        case LP_SEC_WALL:
            lp_wall(c, doc, sec);
            return;
        case LP_SEC_CAMERA:
            lp_camera(c, doc, sec);
            return;
        case LP_SEC_PANEL:
            lp_panel(c, doc, sec);
            return;
        case LP_SEC_PAGE:
            lp_page(c, doc, sec);
            return;
        }
    }
    lp_unknown_section(c, sec);
}

/* ---- whole-layout checks --------------------------------------------------------------------- */

/* The [wall] exists and its grid leaves cells of at least 8 px. Returns true when cols/rows are
 * known, so tiles can be checked against them. */
static bool lp_check_wall(lp_ctx_t *c)
{
    const lp_section_def_t *def = &lp_sections[LP_SEC_WALL];
    const layout_t *L = c->L;
    const char *geometry[] = {"canvas", "grid", "gap", "title"};
    if (c->wall_line == 0) {
        lp_error(c, 0, "wall",
                 "no [wall] section (every layout needs one, with grid=COLUMNSxROWS)");
        return false;
    }
    for (int i = 0; i < LP_N(geometry); i++)
        if (c->wall_ks[lp_key_index(def, geometry[i])].bad)
            return false;
    const lp_keystate_t *grid = &c->wall_ks[lp_key_index(def, "grid")];
    if (grid->line == 0)
        return false;
    grid_t g;
    bool has_title = L->title != NULL && L->title[0] != '\0';
    if (!grid_init(&g, L->canvas_w, L->canvas_h, has_title, L->cols, L->rows, L->gap))
        lp_error(c, grid->line, "wall.grid",
                 "grid %dx%d leaves cells smaller than 8 px on a %dx%d canvas with gap %d%s; use "
                 "fewer cells, a smaller gap or a larger canvas",
                 L->cols, L->rows, L->canvas_w, L->canvas_h, L->gap,
                 has_title ? " and a title bar" : "");
    return true;
}

/* A tile must start inside the grid and its span must not run past it. */
static bool lp_check_in_grid(lp_ctx_t *c, const lp_item_t *it)
{
    const layout_cell_t *cl = it->cell;
    int cols = c->L->cols, rows = c->L->rows;
    char secname[LAYOUT_KEYNAME_MAX], key[LAYOUT_KEYNAME_MAX];
    lp_keyname(secname, it->what, it->id);
    if (cl->col >= cols || cl->row >= rows) {
        lp_keyname(key, secname, "tile");
        lp_error(c, it->tile_line, key,
                 "tile %d,%d is outside the %dx%d grid (columns 0..%d, rows 0..%d)", cl->col,
                 cl->row, cols, rows, cols - 1, rows - 1);
        return false;
    }
    if (cl->col + cl->cols > cols || cl->row + cl->rows > rows) {
        lp_keyname(key, secname, it->span_line > 0 ? "span" : "tile");
        lp_error(c, it->span_line > 0 ? it->span_line : it->tile_line, key,
                 "span %dx%d from tile %d,%d runs past the %dx%d grid (at most %dx%d fits there)",
                 cl->cols, cl->rows, cl->col, cl->row, cols, rows, cols - cl->col,
                 rows - cl->row);
        return false;
    }
    return true;
}

static bool lp_cells_overlap(const layout_cell_t *a, const layout_cell_t *b)
{
    return a->col < b->col + b->cols && b->col < a->col + a->cols && a->row < b->row + b->rows &&
           b->row < a->row + a->rows;
}

static void lp_check_overlap(lp_ctx_t *c, const lp_item_t *a, const lp_item_t *b)
{
    char secname[LAYOUT_KEYNAME_MAX], key[LAYOUT_KEYNAME_MAX];
    const layout_cell_t *ca = a->cell, *cb = b->cell;
    if (!lp_cells_overlap(ca, cb) || (*a->pages & *b->pages) == 0 || *a->screen != *b->screen)
        return;
    lp_keyname(secname, b->what, b->id);
    lp_keyname(key, secname, "tile");
    lp_error(c, b->tile_line, key,
             "%s '%s' (tile %d,%d span %dx%d) overlaps %s '%s' (tile %d,%d span %dx%d, line %d)",
             b->what, b->id, cb->col, cb->row, cb->cols, cb->rows, a->what, a->id, ca->col,
             ca->row, ca->cols, ca->rows, a->tile_line);
}

/* Resolves an item's page= into its mask; every page when absent. False on an unknown page. */
static bool lp_resolve_pages(lp_ctx_t *c, const lp_item_t *it)
{
    const layout_t *L = c->L;
    uint32_t all = L->n_pages == 0 ? 1u : (uint32_t)((1ull << L->n_pages) - 1);
    *it->pages = all;
    if (it->page_spec == NULL || strcmp(it->page_spec, "all") == 0)
        return it->page_line == 0 || it->page_spec != NULL;
    char secname[LAYOUT_KEYNAME_MAX], key[LAYOUT_KEYNAME_MAX], q[LAYOUT_DEFAULT_QUOTE_MAX + 4];
    lp_keyname(secname, it->what, it->id);
    lp_keyname(key, secname, "page");
    uint32_t mask = 0;
    bool ok = true;
    gchar **names = g_strsplit(it->page_spec, ",", -1);
    for (int i = 0; names[i] != NULL; i++) {
        char *name = g_strstrip(names[i]);
        int k = 0;
        while (k < L->n_pages && strcmp(L->pages[k].id, name) != 0)
            k++;
        if (k < L->n_pages) {
            mask |= 1u << k;
            continue;
        }
        lp_quote(name, q);
        if (L->n_pages == 0)
            lp_error(c, it->page_line, key, "no page '%s': the layout has no [page] sections", q);
        else
            lp_error(c, it->page_line, key, "no page '%s' (pages: %s%s%s%s)", q,
                     L->pages[0].id, L->n_pages > 1 ? ", " : "",
                     L->n_pages > 1 ? L->pages[1].id : "", L->n_pages > 2 ? ", ..." : "");
        ok = false;
    }
    g_strfreev(names);
    *it->pages = ok ? mask : 0; /* 0: an unknown page is reported once, not as overlaps too */
    return ok;
}

/* screen= names one of the wall's screens, and only means something with screen_mode=windows
 * (in span mode one canvas covers every monitor: tile= places the item on it). */
static bool lp_check_screen(lp_ctx_t *c, const lp_item_t *it)
{
    const layout_t *L = c->L;
    const lp_section_def_t *def = &lp_sections[LP_SEC_WALL];
    char secname[LAYOUT_KEYNAME_MAX], key[LAYOUT_KEYNAME_MAX];
    if (it->screen_bad)
        return false; /* reported; its tiles are not checked against a screen it has not got */
    if (it->screen_line == 0 || c->wall_ks[lp_key_index(def, "screen_mode")].bad ||
        c->wall_ks[lp_key_index(def, "screens")].bad)
        return true;
    lp_keyname(secname, it->what, it->id);
    lp_keyname(key, secname, "screen");
    if (L->screen_mode != LAYOUT_SCREENS_WINDOWS) {
        if (*it->screen == 1)
            return true;
        lp_error(c, it->screen_line, key,
                 "screen=%d needs [wall] screen_mode=windows (with screen_mode=span one canvas "
                 "covers every monitor: place the tile on it with tile=)", *it->screen);
        return false;
    }
    if (*it->screen > L->screens) {
        lp_error(c, it->screen_line, key, "screen %d does not exist: [wall] screens=%d",
                 *it->screen, L->screens);
        return false;
    }
    return true;
}

static void lp_check_layout(lp_ctx_t *c)
{
    for (int i = 0; i < c->n_items; i++)
        lp_resolve_pages(c, &c->items[i]);
    bool screen_ok[LAYOUT_MAX_CAMERAS + LAYOUT_MAX_PANELS];
    for (int i = 0; i < c->n_items; i++)
        screen_ok[i] = lp_check_screen(c, &c->items[i]);
    if (!lp_check_wall(c))
        return;
    bool inside[LAYOUT_MAX_CAMERAS + LAYOUT_MAX_PANELS];
    for (int i = 0; i < c->n_items; i++)
        inside[i] = c->items[i].cell_ok && screen_ok[i] && lp_check_in_grid(c, &c->items[i]);
    for (int j = 0; j < c->n_items; j++)
        for (int i = 0; i < j && inside[j]; i++)
            if (inside[i])
                lp_check_overlap(c, &c->items[i], &c->items[j]);
}

/* ---- public ---------------------------------------------------------------------------------- */

/* Stable sort of errs->items[from..count) by line, so the list reads top to bottom. */
static void lp_errors_sort(layout_errors_t *errs, int from)
{
    for (int i = from + 1; errs != NULL && i < errs->count; i++) {
        layout_error_t e = errs->items[i];
        int j = i;
        for (; j > from && errs->items[j - 1].line > e.line; j--)
            errs->items[j] = errs->items[j - 1];
        errs->items[j] = e;
    }
}

/* Absolute folder of file (the current folder for a bare name), heap; NULL without memory. */
static char *lp_base_dir(const char *file)
{
    char *dir = g_path_get_dirname(file);
    char *abs = g_canonicalize_filename(dir, NULL);
    char *out = lp_strdup0(abs);
    g_free(dir);
    g_free(abs);
    return out;
}

/* Panel titles the layout left to their default, in the wall's language. */
static void lp_default_titles(lp_ctx_t *c)
{
    layout_t *L = c->L;
    if (L->language == NULL || strcmp(L->language, "en") != 0)
        return;
    for (int i = 0; i < L->n_panels; i++) {
        layout_panel_t *p = &L->panels[i];
        if (!p->title_default)
            continue;
        free(p->title);
        p->title = strdup(p->type == LAYOUT_PANEL_COUNTERS ? LAYOUT_DEFAULT_TITLE_COUNTERS_EN
                                                           : LAYOUT_DEFAULT_TITLE_TEXT_EN);
        c->oom |= p->title == NULL;
    }
}

layout_t *layout_parse(const char *text, size_t len, const char *file, layout_errors_t *errs)
{
    lp_ctx_t c = {.errs = errs, .file = file != NULL ? file : LAYOUT_DEFAULT_FILE};
    int first_error = errs != NULL ? errs->count : 0;
    ini_doc_t *doc = NULL;
    c.L = calloc(1, sizeof *c.L);
    c.base_dir = lp_base_dir(c.file);
    if (c.L == NULL || c.base_dir == NULL || (c.L->path = strdup(c.file)) == NULL)
        goto oom;
    if ((doc = ini_parse(text, len)) == NULL)
        goto oom;
    for (int i = 0; i < doc->n_errors; i++)
        lp_error(&c, doc->errors[i].line, NULL, "%s", doc->errors[i].message);
    for (int i = 0; i < doc->n_sections; i++)
        lp_section(&c, doc, &doc->sections[i]);
    lp_check_layout(&c);
    lp_default_titles(&c);
    if (c.oom)
        goto oom;
    if (c.n_errors > 0)
        goto fail;
    ini_destroy(&doc);
    free(c.base_dir);
    return c.L;
oom:
    lp_error(&c, 0, NULL, "out of memory");
fail:
    lp_errors_sort(errs, first_error);
    ini_destroy(&doc);
    free(c.base_dir);
    layout_destroy(&c.L);
    return NULL;
}

/* Reads at most LAYOUT_DEFAULT_MAX_FILE bytes of path (caller frees); NULL with *why set. */
static char *lp_read_file(const char *path, size_t *len, const char **why)
{
    FILE *f = fopen(path, "rb");
    char *buf = malloc(LAYOUT_DEFAULT_MAX_FILE + 1);
    *why = NULL;
    if (f == NULL || buf == NULL) {
        *why = f == NULL ? strerror(errno) : "out of memory";
        goto fail;
    }
    *len = fread(buf, 1, LAYOUT_DEFAULT_MAX_FILE + 1, f);
    if (ferror(f)) {
        *why = strerror(errno);
        goto fail;
    }
    if (*len > LAYOUT_DEFAULT_MAX_FILE) {
        *why = "larger than 1 MiB; is this a layout file?";
        goto fail;
    }
    fclose(f);
    return buf;
fail:
    if (f != NULL)
        fclose(f);
    free(buf);
    return NULL;
}

layout_t *layout_load(const char *path, layout_errors_t *errs)
{
    const char *why = NULL;
    size_t len = 0;
    char *text = path != NULL ? lp_read_file(path, &len, &why) : NULL;
    if (text == NULL) {
        lp_ctx_t c = {.errs = errs, .file = path != NULL ? path : LAYOUT_DEFAULT_FILE};
        lp_error(&c, 0, NULL, "cannot read the layout: %s", why != NULL ? why : "no path given");
        return NULL;
    }
    layout_t *L = layout_parse(text, len, path, errs);
    free(text);
    return L;
}

void layout_destroy(layout_t **layout)
{
    if (layout == NULL || *layout == NULL)
        return;
    layout_t *L = *layout;
    for (int i = 0; i < L->n_cameras; i++)
        lp_camera_free(&L->cameras[i]);
    for (int i = 0; i < L->n_panels; i++)
        lp_panel_free(&L->panels[i]);
    lp_wall_free(L);
    free(L);
    *layout = NULL;
}

const layout_camera_t *layout_find_camera(const layout_t *layout, const char *id)
{
    if (layout == NULL || id == NULL)
        return NULL;
    for (int i = 0; i < layout->n_cameras; i++)
        if (strcmp(layout->cameras[i].id, id) == 0)
            return &layout->cameras[i];
    return NULL;
}

static bool lp_streq(const char *a, const char *b)
{
    return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Even pixel size of a camera's tile, as the worker scales to it; false if the wall is bad. */
static bool lp_tile_size(const layout_t *L, const layout_cell_t *cell, int *w, int *h)
{
    grid_t g;
    bool has_title = L->title != NULL && L->title[0] != '\0';
    if (!grid_init(&g, L->canvas_w, L->canvas_h, has_title, L->cols, L->rows, L->gap))
        return false;
    grid_rect_t r = grid_cell_rect(&g, cell->col, cell->row, cell->cols, cell->rows);
    *w = r.w;
    *h = r.h;
    grid_even_size(w, h);
    return true;
}

void layout_control_endpoint(const layout_t *layout, const char *layout_path, char *out,
                             size_t cap)
{
    if (layout->control != NULL) {
        snprintf(out, cap, "%s", layout->control);
        return;
    }
    const char *base = strrchr(layout_path, '/');
    base = base != NULL ? base + 1 : layout_path;
    int len = (int)strcspn(base, ".");
    snprintf(out, cap, "ipc://%s/wall-%.*s.ctl", layout->endpoint_dir, len > 40 ? 40 : len, base);
}

void layout_review_endpoint(const layout_t *layout, const char *layout_path, char *out,
                            size_t cap)
{
    char ep[1200];
    layout_control_endpoint(layout, layout_path, ep, sizeof ep);
    size_t n = strlen(ep);
    const char *colon = strrchr(ep, ':');
    char *end = NULL;
    long port = strncmp(ep, "tcp://", 6) == 0 && colon != NULL ? strtol(colon + 1, &end, 10) : 0;
    if (n > 4 && strcmp(ep + n - 4, ".ctl") == 0)
        snprintf(out, cap, "%.*s-review.ctl", (int)(n - 4), ep);
    else if (port > 0 && port < 65535 && end != NULL && *end == '\0')
        snprintf(out, cap, "%.*s:%ld", (int)(colon - ep), ep, port + 1);
    else
        snprintf(out, cap, "%s-review", ep);
}

int layout_page_count(const layout_t *layout)
{
    return layout->n_pages > 0 ? layout->n_pages : 1;
}

int layout_find_page(const layout_t *layout, const char *id)
{
    for (int i = 0; i < layout->n_pages; i++)
        if (strcmp(layout->pages[i].id, id) == 0)
            return i;
    char *end;
    long n = strtol(id, &end, 10);
    if (end != id && *end == '\0' && n >= 1 && n <= layout_page_count(layout))
        return (int)n - 1;
    return -1;
}

bool layout_camera_needs_restart(const layout_t *la, const layout_camera_t *a,
                                 const layout_t *lb, const layout_camera_t *b)
{
    int aw, ah, bw, bh;
    if (la == NULL || a == NULL || lb == NULL || b == NULL)
        return true;
    if (a->kind != b->kind || !lp_streq(a->source, b->source) ||
        !lp_streq(a->endpoint, b->endpoint) || !lp_streq(a->onvif, b->onvif) ||
        !lp_streq(a->profile, b->profile) || a->transport != b->transport ||
        a->fit != b->fit || a->latency_ms != b->latency_ms || !lp_streq(a->decoder, b->decoder))
        return true;
    if (!lp_streq(la->recordings, lb->recordings) || a->record != b->record ||
        !lp_streq(a->retention ? a->retention : la->retention,
                  b->retention ? b->retention : lb->retention) ||
        !lp_streq(a->quota, b->quota) || !lp_streq(la->quota_total, lb->quota_total))
        return true;
    /* The default endpoint is a socket in endpoint_dir: moving the folder moves the socket. */
    if (a->endpoint == NULL && !lp_streq(la->endpoint_dir, lb->endpoint_dir))
        return true;
    if (!lp_tile_size(la, &a->cell, &aw, &ah) || !lp_tile_size(lb, &b->cell, &bw, &bh))
        return true;
    return aw != bw || ah != bh;
}

char *layout_errors_format(const layout_errors_t *errs)
{
    lp_buf_t b = {NULL, 0, 0, false};
    for (int i = 0; errs != NULL && i < errs->count; i++) {
        const layout_error_t *e = &errs->items[i];
        lp_buf_printf(&b, "%s", e->file != NULL ? e->file : LAYOUT_DEFAULT_FILE);
        if (e->line > 0)
            lp_buf_printf(&b, ":%d", e->line);
        lp_buf_printf(&b, ": ");
        if (e->key != NULL)
            lp_buf_printf(&b, "%s: ", e->key);
        lp_buf_printf(&b, "%s\n", e->message != NULL ? e->message : "");
    }
    return lp_buf_take(&b);
}

void layout_errors_clear(layout_errors_t *errs)
{
    if (errs == NULL)
        return;
    for (int i = 0; i < errs->count; i++) {
        free(errs->items[i].file);
        free(errs->items[i].key);
        free(errs->items[i].message);
    }
    free(errs->items);
    *errs = (layout_errors_t){NULL, 0, 0};
}

/* ---- help ------------------------------------------------------------------------------------ */

#define LP_HELP_INDENT 18
#define LP_HELP_WIDTH 100

/* Appends text word-wrapped to LP_HELP_WIDTH columns, every line indented. */
static void lp_help_wrap(lp_buf_t *b, const char *text, int indent)
{
    const char *p = text;
    while (*p != '\0') {
        int room = LP_HELP_WIDTH - indent, n = (int)strlen(p);
        if (n > room) {
            n = room;
            while (n > 0 && p[n] != ' ')
                n--;
            if (n == 0)
                n = room;
        }
        lp_buf_printf(b, "%*s%.*s\n", indent, "", n, p);
        p += n;
        while (*p == ' ')
            p++;
    }
}

static void lp_help_type(lp_buf_t *b, const layout_key_t *k)
{
    switch (k->type) {
    case LK_TEXT:
        if (k->syntax != NULL)
            lp_buf_printf(b, "%s", k->syntax);
        else
            lp_buf_printf(b, "text, %d..%d characters", k->min, k->max);
        break;
    case LK_INT:
        lp_buf_printf(b, "whole number %d..%d", k->min, k->max);
        break;
    case LK_SIZE:
    case LK_CELL:
        lp_buf_printf(b, "%s, each %d..%d", k->syntax, k->min, k->max);
        break;
    case LK_BOOL:
    case LK_CHOICE:
        for (const lk_choice_t *ch = k->choices; ch->name != NULL; ch++)
            lp_buf_printf(b, "%s%s", ch == k->choices ? "" : "|", ch->name);
        break;
    case LK_PATH:
        lp_buf_printf(b, "path");
        break;
    }
}

char *layout_keys_help(void)
{
    lp_buf_t b = {NULL, 0, 0, false};
    for (int s = 0; s < LP_N(lp_sections); s++) {
        const lp_section_def_t *def = &lp_sections[s];
        char head[512];
        snprintf(head, sizeof head, "%s", def->help);
        if (def->max_count > 1)
            snprintf(head + strlen(head), sizeof head - strlen(head), " At most %d.",
                     def->max_count);
        lp_buf_printf(&b, "%s", s > 0 ? "\n" : "");
        lp_help_wrap(&b, head, 0);
        for (int i = 0; i < def->n_keys; i++) {
            const layout_key_t *k = &def->keys[i];
            lp_buf_printf(&b, "  %-*s", LP_HELP_INDENT - 2, k->name);
            lp_help_type(&b, k);
            if (k->required)
                lp_buf_printf(&b, "; required\n");
            else if (k->def != NULL)
                lp_buf_printf(&b, "; default %s\n", k->def);
            else
                lp_buf_printf(&b, "; optional\n");
            lp_help_wrap(&b, k->help, LP_HELP_INDENT);
        }
    }
    return lp_buf_take(&b);
}
