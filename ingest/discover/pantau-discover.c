/* pantau-discover: finds ONVIF cameras for technicians. Sends a WS-Discovery probe (libonvif's
 * broadcast()) from one interface, lists what answers (name, model, device address) and, with
 * credentials, each camera's profiles; prints ready-to-paste layout stanzas (docs/onvif.md).
 *
 *   pantau-discover [--interface IPV4] [--timeout SECONDS] [--credentials FILE --id ID]
 *
 * Every libonvif call runs in a forked child with a deadline (ingest/onvif_job.h): libonvif has no
 * timeouts, so a silent network or a device that hangs mid-answer costs at most --timeout seconds.
 * Exit codes: 0 = at least one device found, 1 = none answered, 2 = bad arguments or credentials.
 * Output: the stanzas on stdout; progress and problems on stderr. Passwords are never printed. */
#include <arpa/inet.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <libxml/parser.h>
#include <onvif.h>

#include "creds.h"
#include "onvif_client.h"
#include "onvif_job.h"

#define DISCOVER_DEFAULT_TIMEOUT_S 5
#define DISCOVER_MAX_TIMEOUT_S 120
#define DISCOVER_MAX_DEVICES 64
#define DISCOVER_RESOLVE_MS 10000 /* per device, when credentials are given */

typedef struct {
    char xaddrs[ONVIF_URL_MAX];
    char name[128];
    char model[128];
} discover_device_t;

typedef struct {
    int count;     /* answers (may exceed the devices kept) */
    int kept;
    discover_device_t dev[DISCOVER_MAX_DEVICES];
} discover_found_t;

typedef struct {
    char iface[16];
} discover_probe_t;

static void discover_quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* Child: probe and collect. */
static void discover_child(void *shared, const void *arg)
{
    const discover_probe_t *pr = arg;
    discover_found_t *out = shared;
    xmlSetGenericErrorFunc(NULL, discover_quiet);
    if (freopen("/dev/null", "w", stdout) == NULL) /* broadcast() prints a line */
        return;
    struct OnvifSession *s = calloc(1, sizeof *s);
    struct OnvifData *d = calloc(1, sizeof *d);
    if (s == NULL || d == NULL)
        return;
    snprintf(s->preferred_network_address, sizeof s->preferred_network_address, "%s", pr->iface);
    initializeSession(s);
    int n = broadcast(s);
    out->count = n;
    for (int i = 0; i < n && out->kept < DISCOVER_MAX_DEVICES; i++) {
        memset(d, 0, sizeof *d);
        prepareOnvifData(i, s, d);
        discover_device_t *dv = &out->dev[out->kept++];
        g_strlcpy(dv->xaddrs, d->xaddrs, sizeof dv->xaddrs);
        g_strlcpy(dv->name, d->camera_name, sizeof dv->name);
        char scopes[8192];
        g_strlcpy(scopes, s->buf[i], sizeof scopes);
        char hw[1024] = "";
        getScopeField(scopes, "onvif://www.onvif.org/hardware/", hw);
        g_strlcpy(dv->model, hw, sizeof dv->model);
    }
    closeSession(s);
    free(d);
    free(s);
}

static void discover_resolve_child(void *shared, const void *arg)
{
    onvif_client_resolve(arg, shared);
}

/* A layout id from a camera name: lower case a-z 0-9 _ -, at most 31, never empty. */
static void discover_id(const char *name, int n, char *out, size_t cap)
{
    size_t k = 0;
    for (const char *p = name; *p != '\0' && k + 1 < cap && k < 24; p++) {
        char c = (char)g_ascii_tolower(*p);
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
            out[k++] = c;
        else if (k > 0 && out[k - 1] != '-')
            out[k++] = '-';
    }
    out[k] = '\0';
    if (k == 0)
        snprintf(out, cap, "onvif%d", n + 1);
    else
        snprintf(out + k, cap - k, "-%d", n + 1);
}

/* The device address as the technician should write it: the first XAddr only. */
static void discover_address(const char *xaddrs, char *out, size_t cap)
{
    size_t n = strcspn(xaddrs, " \t\r\n");
    snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), xaddrs);
}

static void discover_print(int i, const discover_device_t *dv, const char *user,
                           const char *password)
{
    char id[48], addr[ONVIF_URL_MAX];
    discover_id(dv->name, i, id, sizeof id);
    discover_address(dv->xaddrs, addr, sizeof addr);
    printf("# %s, model %s, at %s\n", dv->name[0] ? dv->name : "(no name)",
           dv->model[0] ? dv->model : "?", addr);
    if (user != NULL) {
        onvif_request_t rq = {.tile_w = 2, .tile_h = 2, .fit = GRID_FIT_LETTERBOX};
        onvif_result_t *r = g_new0(onvif_result_t, 1);
        g_strlcpy(rq.url, addr, sizeof rq.url);
        g_strlcpy(rq.user, user, sizeof rq.user);
        g_strlcpy(rq.password, password != NULL ? password : "", sizeof rq.password);
        onvif_job_status_t st = onvif_job_run(discover_resolve_child, &rq, r, sizeof *r,
                                              DISCOVER_RESOLVE_MS, NULL);
        memset(rq.password, 0, sizeof rq.password);
        if (st == ONVIF_JOB_TIMEOUT)
            printf("# profiles: no answer within %d s (at %s)\n", DISCOVER_RESOLVE_MS / 1000,
                   r->step);
        else if (st != ONVIF_JOB_DONE || (r->error != ONVIF_OK && r->n_profiles == 0))
            printf("# profiles: %s\n", r->message[0] ? r->message : "the ONVIF client failed");
        for (int k = 0; k < r->n_profiles && k < ONVIF_PROFILE_MAX; k++) {
            const onvif_profile_t *p = &r->profiles[k];
            printf("# profile %s: %s %dx%d %d fps%s\n", p->token, p->encoding, p->width,
                   p->height, p->fps, onvif_profile_codec_ok(p->encoding) ? "" : " (not usable)");
        }
        if (r->has_ptz)
            printf("# PTZ: yes\n");
        g_free(r);
    }
    printf("[camera %s]\nlabel=%s\nonvif=%s\n# profile=auto picks the stream per tile size\n"
           "# set tile= to a free cell of your grid\ntile=0,0\n\n",
           id, dv->name[0] ? dv->name : id, addr);
}

static void discover_usage(FILE *f)
{
    fprintf(f, "usage: pantau-discover [--interface IPV4] [--timeout SECONDS] "
               "[--credentials FILE --id ID]\n"
               "  --interface    IPv4 address of the interface to probe from (127.0.0.1 for\n"
               "                 loopback); default: the one of the default route\n"
               "  --timeout      seconds to wait for answers, 1..%d (default %d)\n"
               "  --credentials  owner-only credentials file; with --id, the [ID] user name and\n"
               "                 password are used to list each camera's profiles\n",
            DISCOVER_MAX_TIMEOUT_S, DISCOVER_DEFAULT_TIMEOUT_S);
}

int main(int argc, char **argv)
{
    static const struct option opts[] = {{"interface", 1, 0, 'i'}, {"timeout", 1, 0, 't'},
                                         {"credentials", 1, 0, 'c'}, {"id", 1, 0, 'd'},
                                         {"help", 0, 0, 'h'}, {0, 0, 0, 0}};
    discover_probe_t pr = {""};
    const char *cred_file = NULL, *id = NULL;
    long timeout_s = DISCOVER_DEFAULT_TIMEOUT_S;
    char *end = NULL, err[512];
    struct in_addr a;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'i':
            if (inet_pton(AF_INET, optarg, &a) != 1) {
                fprintf(stderr, "pantau-discover: --interface: '%.64s' is not an IPv4 address "
                                "(e.g. 192.168.1.10, or 127.0.0.1 for loopback)\n", optarg);
                return 2;
            }
            g_strlcpy(pr.iface, optarg, sizeof pr.iface);
            break;
        case 't':
            timeout_s = strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || timeout_s < 1 ||
                timeout_s > DISCOVER_MAX_TIMEOUT_S) {
                fprintf(stderr, "pantau-discover: --timeout: '%.32s' is not 1..%d seconds\n",
                        optarg, DISCOVER_MAX_TIMEOUT_S);
                return 2;
            }
            break;
        case 'c': cred_file = optarg; break;
        case 'd': id = optarg; break;
        case 'h': discover_usage(stdout); return 0;
        default: discover_usage(stderr); return 2;
        }
    }
    if (optind != argc || (cred_file != NULL) != (id != NULL)) {
        fprintf(stderr, "pantau-discover: %s\n", optind != argc ? "unexpected argument"
                                                               : "--credentials and --id go "
                                                                 "together");
        discover_usage(stderr);
        return 2;
    }
    char *user = NULL, *password = NULL;
    if (cred_file != NULL) {
        creds_t *cr = creds_load(cred_file, err, sizeof err);
        if (cr == NULL) {
            fprintf(stderr, "pantau-discover: %s\n", err);
            return 2;
        }
        user = g_strdup(creds_username(cr, id));
        password = g_strdup(creds_password(cr, id));
        creds_destroy(&cr);
        if (user == NULL) {
            fprintf(stderr, "pantau-discover: no username= under [%s] in %s\n", id, cred_file);
            g_free(password);
            return 2;
        }
    }
    fprintf(stderr, "pantau-discover: probing from %s for %ld s...\n",
            pr.iface[0] ? pr.iface : "the default interface", timeout_s);
    discover_found_t *found = g_new0(discover_found_t, 1);
    onvif_job_status_t st =
        onvif_job_run(discover_child, &pr, found, sizeof *found, (int)timeout_s * 1000, NULL);
    int rc = 0;
    if (found->kept == 0) {
        fprintf(stderr, "pantau-discover: no ONVIF device answered within %ld s from %s%s. "
                        "Check that the cameras are on this network segment (WS-Discovery "
                        "does not cross routers) and that UDP port 3702 is not blocked.\n",
                timeout_s, pr.iface[0] ? pr.iface : "the default interface",
                st == ONVIF_JOB_CRASHED ? " (the probe failed)" : "");
        rc = 1;
    } else {
        if (st == ONVIF_JOB_TIMEOUT)
            fprintf(stderr, "pantau-discover: answers still arriving at the timeout; showing "
                            "those received\n");
        fprintf(stderr, "pantau-discover: %d device(s) answered\n", found->kept);
        for (int i = 0; i < found->kept; i++)
            discover_print(i, &found->dev[i], user, password);
    }
    if (password != NULL)
        memset(password, 0, strlen(password));
    g_free(password);
    g_free(user);
    g_free(found);
    return rc;
}
