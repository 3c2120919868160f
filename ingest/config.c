/* config: the pantau-ingest command line (see config.h). One table describes every option; the
 * parser applies defaults from it, then checks what depends on several options.
 *
 * The worker's pipeline (full form in pipeline.c):
 *   gst-launch-1.0 rtspsrc location=URI ! rtph264depay ! h264parse ! avdec_h264 ! videoconvert \
 *     ! videoscale ! video/x-raw,format=I420,width=W,height=H ! appsink max-buffers=1 drop=true */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decsel.h"
#include "recstore.h"

typedef enum {
    OPT_ID,       /* camera id: printable ASCII, no spaces, 1..WIRE_ID_MAX */
    OPT_TEXT,     /* any text below CONFIG_TEXT_MAX */
    OPT_INT,      /* integer in [lo, hi] */
    OPT_EVEN,     /* even integer in [lo, hi] */
    OPT_FIT,      /* letterbox | crop | stretch */
    OPT_TRANSPORT, /* tcp | udp */
    OPT_SHORT,     /* text below CONFIG_PATTERN_MAX */
    OPT_TOKEN,     /* printable ASCII, no spaces, below CONFIG_PROFILE_MAX */
    OPT_DECODER    /* auto | software | a decoder factory name (ingest/decsel.h) */
} opt_type_t;

typedef struct {
    const char *name; /* without the leading "--" */
    opt_type_t type;
    long lo, hi;
    const char *def; /* NULL = required */
    size_t offset;   /* field in ingest_config_t */
    const char *help;
} opt_spec_t;

#define F(field) offsetof(ingest_config_t, field)
static const opt_spec_t config_options[] = {
    {"id", OPT_ID, 0, 0, NULL, F(id), "camera id (1..31 printable characters, no spaces)"},
    {"source", OPT_TEXT, 0, 0, NULL, F(source), "test | test:PATTERN | rtsp://host[:port]/path | http://host[:port]/path (ONVIF)"},
    {"endpoint", OPT_TEXT, 0, 0, NULL, F(endpoint),
     "ZeroMQ PUB to bind: ipc:///path or tcp://host:port"},
    {"width", OPT_EVEN, 2, WIRE_MAX_DIM, NULL, F(width), "output width in pixels (even)"},
    {"height", OPT_EVEN, 2, WIRE_MAX_DIM, NULL, F(height), "output height in pixels (even)"},
    {"fit", OPT_FIT, 0, 0, CONFIG_DEFAULT_FIT, F(fit), "letterbox | crop | stretch"},
    {"transport", OPT_TRANSPORT, 0, 0, CONFIG_DEFAULT_TRANSPORT, F(transport),
     "RTSP transport: tcp | udp"},
    {"latency-ms", OPT_INT, 0, 10000, CONFIG_DEFAULT_LATENCY_MS, F(latency_ms),
     "RTSP jitter buffer, ms"},
    {"credentials", OPT_TEXT, 0, 0, "", F(credentials),
     "owner-only credentials file ([ID] username/password)"},
    {"label", OPT_TEXT, 0, 0, "", F(label), "text drawn on the test pattern"},
    {"fps", OPT_INT, 1, 120, CONFIG_DEFAULT_FPS, F(fps), "test source frame rate"},
    {"stall-ms", OPT_INT, 200, 600000, CONFIG_DEFAULT_STALL_MS, F(stall_ms),
     "no frame this long: stalled, reconnect"},
    {"status-ms", OPT_INT, 100, 60000, CONFIG_DEFAULT_STATUS_MS, F(status_ms),
     "status message period"},
    {"record-dir", OPT_TEXT, 0, 0, "", F(record_dir),
     "record the camera's stream into DIR/ID/ (RTSP sources; none = no recording)"},
    {"segment-s", OPT_INT, 2, 600, CONFIG_DEFAULT_SEGMENT_S, F(segment_s),
     "recording segment length, seconds"},
    {"retention", OPT_SHORT, 0, 0, CONFIG_DEFAULT_RETENTION, F(retention),
     "delete segments older than this (90s, 30m, 12h, 7d; 0 = keep)"},
    {"quota", OPT_SHORT, 0, 0, "0", F(quota),
     "disk quota of this camera's segments (500M, 20G; 0 = none)"},
    {"quota-total", OPT_SHORT, 0, 0, "0", F(quota_total),
     "disk quota of all cameras' segments under --record-dir (0 = none)"},
    {"profile", OPT_TOKEN, 0, 0, CONFIG_DEFAULT_PROFILE, F(profile),
     "ONVIF profile: auto (fits the size) or a profile token"},
    {"decoder", OPT_DECODER, 0, 0, DECSEL_DEFAULT, F(decoder),
     "auto (NVDEC, VA-API, else software) | software | a GStreamer decoder name"},
};
#undef F
#define CONFIG_NOPTS (sizeof config_options / sizeof config_options[0])

void config_usage(FILE *out)
{
    fprintf(out,
            "usage: pantau-ingest --id ID --source SOURCE --endpoint ENDPOINT --width W --height H "
            "[options]\n");
    for (size_t i = 0; i < CONFIG_NOPTS; i++) {
        const opt_spec_t *o = &config_options[i];
        fprintf(out, "  --%-12s %s", o->name, o->help);
        if (o->def == NULL)
            fprintf(out, " (required)\n");
        else if (o->def[0] != '\0')
            fprintf(out, " (default %s)\n", o->def);
        else
            fprintf(out, "\n");
    }
}

static const opt_spec_t *config_find(const char *name, size_t len)
{
    for (size_t i = 0; i < CONFIG_NOPTS; i++)
        if (strlen(config_options[i].name) == len &&
            strncmp(config_options[i].name, name, len) == 0)
            return &config_options[i];
    return NULL;
}

static int config_set_int(const opt_spec_t *o, const char *v, int *dst, char *err, size_t cap)
{
    char *end = NULL;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (v[0] == '\0' || *end != '\0' || errno != 0) {
        snprintf(err, cap, "--%s: '%s' is not a number", o->name, v);
        return -1;
    }
    if (n < o->lo || n > o->hi || (o->type == OPT_EVEN && n % 2 != 0)) {
        snprintf(err, cap, "--%s: %ld is out of range (must be %s%ld..%ld)", o->name, n,
                 o->type == OPT_EVEN ? "even, " : "", o->lo, o->hi);
        return -1;
    }
    *dst = (int)n;
    return 0;
}

/* Index of v in names (n entries), or -1. */
static int config_enum(const char *v, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(v, names[i]) == 0)
            return i;
    return -1;
}

static int config_set(ingest_config_t *cfg, const opt_spec_t *o, const char *v, char *err,
                      size_t cap)
{
    static const char *const fits[] = {"letterbox", "crop", "stretch"};
    static const char *const transports[] = {"tcp", "udp"};
    void *dst = (char *)cfg + o->offset;
    int k;
    switch (o->type) {
    case OPT_ID:
        k = (int)strlen(v);
        for (int i = 0; i < k; i++)
            if (v[i] <= ' ' || v[i] > '~')
                k = -1;
        if (k < 1 || k > WIRE_ID_MAX) {
            snprintf(err, cap,
                     "--id: '%s' is not a valid id (1..%d printable characters, no "
                     "spaces)",
                     v, WIRE_ID_MAX);
            return -1;
        }
        memcpy(dst, v, (size_t)k + 1);
        return 0;
    case OPT_TEXT:
        if (strlen(v) >= CONFIG_TEXT_MAX) {
            snprintf(err, cap, "--%s: value too long (max %d bytes)", o->name, CONFIG_TEXT_MAX - 1);
            return -1;
        }
        strcpy(dst, v);
        return 0;
    case OPT_SHORT:
        if (strlen(v) >= CONFIG_PATTERN_MAX) {
            snprintf(err, cap, "--%s: value too long (max %d bytes)", o->name,
                     CONFIG_PATTERN_MAX - 1);
            return -1;
        }
        strcpy(dst, v);
        return 0;
    case OPT_INT:
    case OPT_EVEN:
        return config_set_int(o, v, dst, err, cap);
    case OPT_FIT:
        if ((k = config_enum(v, fits, 3)) < 0)
            break;
        *(grid_fit_t *)dst = (grid_fit_t)k;
        return 0;
    case OPT_TRANSPORT:
        if ((k = config_enum(v, transports, 2)) < 0)
            break;
        *(config_transport_t *)dst = (config_transport_t)k;
        return 0;
    case OPT_TOKEN:
        k = (int)strlen(v);
        for (int i = 0; i < k; i++)
            if (v[i] <= ' ' || v[i] > '~')
                k = -1;
        if (k < 1 || k >= CONFIG_PROFILE_MAX) {
            snprintf(err, cap, "--%s: '%.64s' is not a token (1..%d printable characters, no "
                     "spaces)", o->name, v, CONFIG_PROFILE_MAX - 1);
            return -1;
        }
        memcpy(dst, v, (size_t)k + 1);
        return 0;
    case OPT_DECODER: {
        char why[200];
        if (!decsel_setting_valid(v, why, sizeof why)) {
            snprintf(err, cap, "--%s: %s", o->name, why);
            return -1;
        }
        snprintf(dst, DECSEL_NAME_MAX + 1, "%s", v);
        return 0;
    }
    }
    snprintf(err, cap, "--%s: unknown value '%s' (%s)", o->name, v, o->help);
    return -1;
}

/* Source kind and pattern from cfg->source. */
static int config_source(ingest_config_t *cfg, char *err, size_t cap)
{
    const char *s = cfg->source;
    if (strcmp(s, "test") == 0 || strncmp(s, "test:", 5) == 0) {
        const char *p = s[4] == ':' ? s + 5 : CONFIG_DEFAULT_PATTERN;
        if (p[0] == '\0' || strlen(p) >= CONFIG_PATTERN_MAX) {
            snprintf(err, cap, "--source: '%s' needs a pattern name after 'test:'", s);
            return -1;
        }
        cfg->source_kind = CONFIG_SOURCE_TEST;
        strcpy(cfg->pattern, p);
        return 0;
    }
    if ((strncmp(s, "rtsp://", 7) == 0 || strncmp(s, "rtsps://", 8) == 0) &&
        s[strcspn(s, ":") + 3] != '\0') {
        cfg->source_kind = CONFIG_SOURCE_RTSP;
        return 0;
    }
    if (strncmp(s, "http://", 7) == 0 && s[7] != '\0' && s[7] != '/') {
        cfg->source_kind = CONFIG_SOURCE_ONVIF;
        return 0;
    }
    /* The value may hold a password in a URI: do not repeat it. */
    snprintf(err, cap, "--source: must be 'test', 'test:PATTERN', an rtsp:// URI or an ONVIF "
                       "device service http://HOST[:PORT]/PATH");
    return -1;
}

/* Retention and quotas as numbers. */
static int config_record(ingest_config_t *cfg, char *err, size_t cap)
{
    char why[160];
    if (recstore_parse_duration(cfg->retention, &cfg->retention_ns, why, sizeof why) != 0) {
        snprintf(err, cap, "--retention: %s", why);
        return -1;
    }
    if (recstore_parse_size(cfg->quota, &cfg->quota_bytes, why, sizeof why) != 0) {
        snprintf(err, cap, "--quota: %s", why);
        return -1;
    }
    if (recstore_parse_size(cfg->quota_total, &cfg->quota_total_bytes, why, sizeof why) != 0) {
        snprintf(err, cap, "--quota-total: %s", why);
        return -1;
    }
    return 0;
}

static int config_check(ingest_config_t *cfg, char *err, size_t cap)
{
    const char *e = cfg->endpoint;
    if ((strncmp(e, "ipc://", 6) != 0 || e[6] == '\0') &&
        (strncmp(e, "tcp://", 6) != 0 || e[6] == '\0')) {
        snprintf(err, cap, "--endpoint: '%s' must be ipc:///path or tcp://host:port", e);
        return -1;
    }
    if (config_source(cfg, err, cap) != 0)
        return -1;
    return config_record(cfg, err, cap);
}

/* Splits "--name=value" / "--name value"; returns the spec or NULL (err set). */
static const opt_spec_t *config_next(int argc, char *const *argv, int *i, const char **value,
                                     char *err, size_t cap)
{
    const char *arg = argv[*i];
    if (strncmp(arg, "--", 2) != 0) {
        snprintf(err, cap, "unexpected argument '%s'", arg);
        return NULL;
    }
    const char *name = arg + 2, *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const opt_spec_t *o = config_find(name, len);
    if (o == NULL) {
        snprintf(err, cap, "unknown option '--%.*s' (see --help)", (int)(len < 64 ? len : 64),
                 name);
        return NULL;
    }
    if (eq != NULL) {
        *value = eq + 1;
    } else if (*i + 1 < argc) {
        *value = argv[++*i];
    } else {
        snprintf(err, cap, "--%s needs a value", o->name);
        return NULL;
    }
    return o;
}

int config_parse(int argc, char *const *argv, ingest_config_t *cfg, char *err, size_t err_cap)
{
    bool seen[CONFIG_NOPTS] = {false};
    if (cfg == NULL || argv == NULL || err == NULL)
        return -1;
    memset(cfg, 0, sizeof *cfg);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
        const char *value = NULL;
        const opt_spec_t *o = config_next(argc, argv, &i, &value, err, err_cap);
        if (o == NULL || config_set(cfg, o, value, err, err_cap) != 0)
            return -1;
        seen[o - config_options] = true;
    }
    for (size_t k = 0; k < CONFIG_NOPTS; k++) {
        const opt_spec_t *o = &config_options[k];
        if (seen[k])
            continue;
        if (o->def == NULL) {
            snprintf(err, err_cap, "--%s is required (%s)", o->name, o->help);
            return -1;
        }
        if (config_set(cfg, o, o->def, err, err_cap) != 0)
            return -1;
    }
    return config_check(cfg, err, err_cap);
}
