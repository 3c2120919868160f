/* onvif_client: the ONVIF calls a worker makes, on libonvif (Debian libonvif-dev 1.4.4): resolve a
 * device-service address to the RTSP URI of the profile that fits the tile, and PTZ commands.
 *
 * Every function here BLOCKS on the network and may hang forever inside libonvif (it has no
 * timeouts; a device that stops mid-answer can make it spin). Never call them on a thread whose
 * hang matters: onvif_job.h runs them in a forked child with a deadline and reads the result from
 * shared memory. The result structs are therefore plain fixed-size data (no pointers), written
 * step by step: after a kill, `step` still says which call hung.
 *
 * libonvif quirks handled here (docs/onvif.md): the host must be a numeric IPv4 address (names
 * are resolved first); the camera's clock offset is read with GetSystemDateAndTime before the
 * first authenticated call and checked; "No XML reply" hides refused connections, HTTP 401,
 * oversized and malformed answers, so the connection is tested first and a failed call is
 * diagnosed with a plain HTTP request; a NotAuthorized right after successful calls is retried
 * once in the next second (libonvif reuses its nonce within a second); libxml2's parser errors are
 * silenced. */
#ifndef PANTAU_INGEST_ONVIF_CLIENT_H
#define PANTAU_INGEST_ONVIF_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "grid.h"
#include "onvif_profile.h"

#define ONVIF_URL_MAX 1024
#define ONVIF_SECRET_MAX 128
#define ONVIF_TEXT_MAX 400
#define ONVIF_SERVER_MAX 128
#define ONVIF_DEFAULT_CONNECT_MS 3000 /* TCP connect test before libonvif is called */
#define ONVIF_DEFAULT_DIAG_MS 3000    /* diagnosing a failed call with a plain HTTP request */
#define ONVIF_MAX_ANSWER (64 * 1024)  /* libonvif reads at most this much of an answer */
#define ONVIF_MAX_CLOCK_OFFSET_S (10L * 366 * 24 * 3600) /* a larger offset is nonsense */

typedef enum {
    ONVIF_OK = 0,
    ONVIF_ERR_REFUSED,     /* connection refused or host unreachable */
    ONVIF_ERR_TIMEOUT,     /* no connection or no answer in time (set by the job on a kill) */
    ONVIF_ERR_AUTH,        /* SOAP NotAuthorized or HTTP 401 */
    ONVIF_ERR_NO_PROFILE,  /* no usable H.264/H.265 profile (or profile=TOKEN not usable) */
    ONVIF_ERR_BAD_ANSWER,  /* malformed, oversized or unexpected SOAP */
    ONVIF_ERR_ADDRESS,     /* the device address cannot be used (bad URL, unknown host) */
    ONVIF_ERR_NO_PTZ,      /* PTZ asked of a camera without a PTZ service */
    ONVIF_ERR_CRASHED,     /* set by the job: the child died on a signal */
} onvif_error_t;

typedef struct {
    char url[ONVIF_URL_MAX]; /* http://HOST[:PORT]/PATH of the device service */
    char user[ONVIF_SECRET_MAX], password[ONVIF_SECRET_MAX]; /* "" = none */
    int tile_w, tile_h;                                      /* the worker's output size */
    grid_fit_t fit;
    char want[ONVIF_PROFILE_TOKEN_MAX]; /* profile=TOKEN, or "" / "auto" */
} onvif_request_t;

typedef struct {
    onvif_error_t error;
    char step[48];                    /* the ONVIF operation running or failed */
    char message[ONVIF_TEXT_MAX];     /* what is wrong, in a technician's words (no secrets) */
    char server[ONVIF_SERVER_MAX];    /* "host:port" of the device */
    char xaddrs[ONVIF_URL_MAX];       /* device service with a numeric host (libonvif's form) */
    long time_offset;                 /* camera clock minus ours, seconds */
    char model[128];                  /* serial number / model, may be "" */
    onvif_profile_t profiles[ONVIF_PROFILE_MAX];
    int n_profiles;
    int chosen;                       /* index into profiles, -1 before/without a choice */
    char why[ONVIF_PROFILE_WHY_MAX];  /* why that profile */
    char stream_uri[ONVIF_URL_MAX];   /* RTSP URI of the chosen profile (no credentials in it) */
    bool has_ptz;
    char ptz_xaddr[ONVIF_URL_MAX];    /* PTZ service address, "" = none */
} onvif_result_t;

/* Splits http://HOST[:PORT]/PATH (port 80 by default). Returns 0, or -1 with a reason in err.
 * Pure. */
int onvif_url_split(const char *url, char *host, size_t host_cap, int *port, char *path,
                    size_t path_cap, char *err, size_t err_cap);

/* Connects to the device, reads its clock offset, capabilities and profiles, chooses a profile
 * for the tile (onvif_profile_choose) and gets its stream URI. Blocks (see above). Fills *out
 * (error ONVIF_OK on success). Never prints. */
void onvif_client_resolve(const onvif_request_t *rq, onvif_result_t *out);

/* One PTZ command on the profile `token` of the device resolved in *dev (xaddrs, time_offset,
 * ptz_xaddr from a successful resolve). cmd: "move" (pan, tilt, zoom in -1..1), "stop",
 * "preset" (preset token). Blocks. Returns ONVIF_OK or an error with a reason in msg. */
onvif_error_t onvif_client_ptz(const onvif_result_t *dev, const char *user, const char *password,
                               const char *token, const char *cmd, float pan, float tilt,
                               float zoom, const char *preset, char *msg, size_t msg_cap);

#endif
