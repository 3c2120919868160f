/* config: pantau-ingest's command line, parsed against one table of options (name, type, bounds,
 * default, help) into a plain ingest_config_t. No GStreamer, no I/O: the caller prints errors and
 * decides the exit code (2). A videotestsrc pattern name is checked later by the pipeline module,
 * which knows GStreamer's list.
 *
 *   pantau-ingest --id ID --source SOURCE --endpoint ENDPOINT --width W --height H
 *                 [--fit letterbox|crop|stretch] [--transport tcp|udp] [--latency-ms 80]
 *                 [--credentials FILE] [--label TEXT] [--fps 25] [--stall-ms 3000]
 *                 [--status-ms 1000] [--profile auto|TOKEN] [--record-dir DIR [--segment-s 10]
 *                 [--retention 7d] [--quota SIZE] [--quota-total SIZE]]
 *                 [--decoder auto|software|NAME]
 *   SOURCE: test | test:PATTERN | rtsp://... | http://HOST[:PORT]/PATH (an ONVIF device service) */
#ifndef PANTAU_INGEST_CONFIG_H
#define PANTAU_INGEST_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "grid.h"
#include "wire.h"

#define CONFIG_DEFAULT_FIT "letterbox"
#define CONFIG_DEFAULT_TRANSPORT "tcp"
#define CONFIG_DEFAULT_LATENCY_MS "80" /* a live wall on a LAN: docs/performance.md */
#define CONFIG_DEFAULT_FPS "25"
#define CONFIG_DEFAULT_STALL_MS "3000"
#define CONFIG_DEFAULT_STATUS_MS "1000"
#define CONFIG_DEFAULT_PATTERN "ball"
#define CONFIG_DEFAULT_SEGMENT_S "10"
#define CONFIG_DEFAULT_RETENTION "7d"
#define CONFIG_DEFAULT_PROFILE "auto"
#define CONFIG_PROFILE_MAX 64
#define CONFIG_TEXT_MAX 1024 /* --source, --endpoint, --credentials, --label */
#define CONFIG_PATTERN_MAX 64

/* CONFIG_SOURCE_ONVIF: --source is an ONVIF device service, http://HOST[:PORT]/PATH. */
typedef enum { CONFIG_SOURCE_TEST = 0, CONFIG_SOURCE_RTSP, CONFIG_SOURCE_ONVIF } config_source_kind_t;
typedef enum { CONFIG_TRANSPORT_TCP = 0, CONFIG_TRANSPORT_UDP } config_transport_t;

typedef struct {
    char id[WIRE_ID_MAX + 1];
    char source[CONFIG_TEXT_MAX]; /* as given (may hold a URI: log it through redact) */
    config_source_kind_t source_kind;
    char pattern[CONFIG_PATTERN_MAX]; /* test source: videotestsrc pattern nick */
    char endpoint[CONFIG_TEXT_MAX];   /* ipc://... or tcp://... */
    int width, height;                /* even */
    grid_fit_t fit;
    config_transport_t transport;
    int latency_ms;
    char credentials[CONFIG_TEXT_MAX]; /* "" = none */
    char label[CONFIG_TEXT_MAX];       /* "" = none */
    int fps;                           /* test source frame rate */
    int stall_ms;
    int status_ms;
    /* Recording (ingest/recorder.h): off when record_dir is "". */
    char record_dir[CONFIG_TEXT_MAX];
    int segment_s;
    char retention[CONFIG_PATTERN_MAX], quota[CONFIG_PATTERN_MAX], quota_total[CONFIG_PATTERN_MAX];
    int64_t retention_ns;           /* parsed from the texts above; 0 = no limit */
    uint64_t quota_bytes, quota_total_bytes;
    char profile[CONFIG_PROFILE_MAX]; /* ONVIF: "auto" or a profile token */
    char decoder[CONFIG_PROFILE_MAX]; /* "auto", "software" or a factory name (ingest/decsel.h) */
} ingest_config_t;

/* Parses argv (argv[0] skipped) into *cfg. Returns 0; or -1 with one human-readable reason in err
 * (err_cap bytes), e.g. "--width: 641 is odd (must be even, 16..8192)". "--help" returns 1 (the
 * caller prints config_usage and exits 0). cfg is unspecified after an error. */
int config_parse(int argc, char *const *argv, ingest_config_t *cfg, char *err, size_t err_cap);

/* Writes the usage text, one line per option with its default. */
void config_usage(FILE *out);

#endif
