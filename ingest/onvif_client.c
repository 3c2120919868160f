/* onvif_client: ONVIF device calls on libonvif (see onvif_client.h). Blocking; meant for a forked
 * child (onvif_job.c). The sequence for a worker:
 *
 *   TCP connect test -> GetSystemDateAndTime (clock offset) -> GetCapabilities (media, PTZ)
 *   -> for each profile: GetProfiles (token i) + GetProfile (size, fps)
 *      + GetVideoEncoderConfiguration (encoding) -> choose -> GetStreamUri (chosen profile)
 *
 * Single-threaded; the OnvifData (about 40 KiB) lives on the heap. */
#include "onvif_client.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <onvif.h>

/* Exported by libonvif 1.4.4 but only declared in a comment of onvif.h: its own SOAP transport,
 * used here for GetPresets, which the library does not wrap. */
void addUsernameDigestHeader(xmlNodePtr root, xmlNsPtr ns_env, char *user, char *password,
                             time_t offset);
void addHttpHeader(xmlDocPtr doc, xmlNodePtr root, char *xaddrs, char *post_type, char cmd[],
                   int cmd_length);
xmlDocPtr sendCommandToCamera(char *cmd, char *xaddrs);

#define ONVIF_DEFAULT_HTTP_PORT 80
#define ONVIF_CMD_MAX 4096 /* libonvif's own request buffer size */
#define ONVIF_NO_REPLY "No XML reply"
#define ONVIF_NOT_AUTHORIZED "NotAuthorized"

typedef int (*onvif_call_fn)(struct OnvifData *d);

typedef struct {
    struct OnvifData *d;
    onvif_result_t *out;
    bool authed_ok; /* an authenticated call has succeeded (a NotAuthorized then may be a nonce) */
} onvif_ctx_t;

static void onvif_xml_quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

int onvif_url_split(const char *url, char *host, size_t host_cap, int *port, char *path,
                    size_t path_cap, char *err, size_t err_cap)
{
    if (url == NULL || strncmp(url, "http://", 7) != 0) {
        snprintf(err, err_cap, "the device address must start with http:// (ONVIF over HTTPS is "
                               "not supported by libonvif)");
        return -1;
    }
    const char *auth = url + 7;
    size_t n = strcspn(auth, "/?#");
    const char *colon = memchr(auth, ':', n);
    size_t hn = colon != NULL ? (size_t)(colon - auth) : n;
    if (memchr(auth, '@', n) != NULL) {
        snprintf(err, err_cap, "the device address must not hold a user name or password");
        return -1;
    }
    if (hn == 0 || hn >= host_cap) {
        snprintf(err, err_cap, "the device address has no host (or it is too long)");
        return -1;
    }
    memcpy(host, auth, hn);
    host[hn] = '\0';
    *port = ONVIF_DEFAULT_HTTP_PORT;
    if (colon != NULL) {
        char *end = NULL;
        long p = strtol(colon + 1, &end, 10);
        if (end != auth + n || p < 1 || p > 65535) {
            snprintf(err, err_cap, "the device address has a bad port (allowed 1..65535)");
            return -1;
        }
        *port = (int)p;
    }
    const char *rest = auth + n;
    if (*rest != '/' || strlen(rest) >= path_cap) {
        snprintf(err, err_cap, "the device address needs a path (e.g. /onvif/device_service)");
        return -1;
    }
    snprintf(path, path_cap, "%s", rest);
    return 0;
}

/* Connects to ip:port within ms. 0, or -1 with out->error/message set. */
static int onvif_connect_test(const char *ip, int port, int ms, onvif_result_t *out)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, ip, &a.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        goto fail;
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 && errno != EINPROGRESS)
        goto fail;
    struct pollfd p = {.fd = fd, .events = POLLOUT};
    int r = poll(&p, 1, ms);
    if (r == 0) {
        close(fd);
        out->error = ONVIF_ERR_TIMEOUT;
        snprintf(out->message, sizeof out->message,
                 "ONVIF device %s: no answer to a TCP connection within %.1f s (wrong address, "
                 "or a firewall?)", out->server, ms / 1000.0);
        return -1;
    }
    int soerr = 0;
    socklen_t sl = sizeof soerr;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl);
    if (r < 0 || soerr != 0) {
        errno = soerr != 0 ? soerr : errno;
        goto fail;
    }
    close(fd);
    return 0;
fail:
    out->error = ONVIF_ERR_REFUSED;
    snprintf(out->message, sizeof out->message, "ONVIF device %s: %s (camera off, or wrong "
             "address or port?)", out->server, strerror(errno));
    if (fd >= 0)
        close(fd);
    return -1;
}

/* Resolves the URL into d->xaddrs with a numeric IPv4 host (libonvif uses inet_addr, no DNS). */
static int onvif_prepare(const onvif_request_t *rq, struct OnvifData *d, onvif_result_t *out,
                         char *ip, size_t ip_cap, int *port)
{
    char host[256], path[ONVIF_URL_MAX], err[200];
    if (onvif_url_split(rq->url, host, sizeof host, port, path, sizeof path, err, sizeof err) !=
        0) {
        out->error = ONVIF_ERR_ADDRESS;
        snprintf(out->message, sizeof out->message, "ONVIF: %s", err);
        return -1;
    }
    snprintf(out->server, sizeof out->server, "%.100s:%d", host, *port);
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM}, *res = NULL;
    int gai = getaddrinfo(host, NULL, &hints, &res);
    if (gai != 0 || res == NULL) {
        out->error = ONVIF_ERR_ADDRESS;
        snprintf(out->message, sizeof out->message,
                 "ONVIF: cannot resolve '%s' to an IPv4 address: %s", host, gai_strerror(gai));
        return -1;
    }
    inet_ntop(AF_INET, &((struct sockaddr_in *)res->ai_addr)->sin_addr, ip, (socklen_t)ip_cap);
    freeaddrinfo(res);
    snprintf(d->xaddrs, sizeof d->xaddrs, "http://%s:%d%.990s", ip, *port, path);
    snprintf(out->xaddrs, sizeof out->xaddrs, "%s", d->xaddrs);
    snprintf(d->device_service, sizeof d->device_service, "%s", d->xaddrs);
    extractOnvifService(d->device_service, true);
    snprintf(d->username, sizeof d->username, "%s", rq->user);
    snprintf(d->password, sizeof d->password, "%s", rq->password);
    return 0;
}

/* Sends a plain HTTP POST of an unauthenticated GetCapabilities and classifies the answer, to say
 * what libonvif's "No XML reply" hid. */
static void onvif_diagnose(onvif_ctx_t *c, const char *ip, int port, const char *path)
{
    onvif_result_t *out = c->out;
    static const char body[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope "
        "xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
        "xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\"><s:Body><tds:GetCapabilities>"
        "<tds:Category>All</tds:Category></tds:GetCapabilities></s:Body></s:Envelope>";
    char req[1024];
    int rl = snprintf(req, sizeof req,
                      "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/soap+xml; "
                      "charset=utf-8\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
                      path, ip, port, sizeof body - 1, body);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, ip, &a.sin_addr);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct timeval tv = {ONVIF_DEFAULT_DIAG_MS / 1000, 0};
    size_t cap = 4 * ONVIF_MAX_ANSWER, len = 0;
    char *buf = malloc(cap + 1);
    out->error = ONVIF_ERR_BAD_ANSWER;
    if (fd < 0 || buf == NULL)
        goto generic;
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0 || send(fd, req, (size_t)rl, 0) != rl)
        goto generic;
    for (ssize_t n; len < cap && (n = recv(fd, buf + len, cap - len, 0)) > 0;)
        len += (size_t)n;
    buf[len] = '\0';
    int status = 0;
    const char *hdr_end = strstr(buf, "\r\n\r\n");
    if (len == 0) {
        snprintf(out->message, sizeof out->message,
                 "ONVIF device %s closed the connection without answering %s", out->server,
                 out->step);
    } else if (sscanf(buf, "HTTP/%*s %d", &status) != 1 || hdr_end == NULL) {
        snprintf(out->message, sizeof out->message,
                 "ONVIF device %s answered %s with something that is not HTTP", out->server,
                 out->step);
    } else if (status == 401) {
        out->error = ONVIF_ERR_AUTH;
        snprintf(out->message, sizeof out->message,
                 "wrong user name or password for ONVIF %s (HTTP 401): check the credentials "
                 "file", out->server);
    } else if (len - (size_t)(hdr_end + 4 - buf) > ONVIF_MAX_ANSWER) {
        snprintf(out->message, sizeof out->message,
                 "oversized SOAP from ONVIF %s (%s%zu KiB to %s; libonvif reads at most %d KiB)",
                 out->server, len >= cap ? "over " : "", len / 1024, out->step,
                 ONVIF_MAX_ANSWER / 1024);
    } else if (xmlReadMemory(hdr_end + 4, (int)(len - (size_t)(hdr_end + 4 - buf)), "answer",
                             NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING) ==
               NULL) {
        snprintf(out->message, sizeof out->message,
                 "malformed SOAP from ONVIF %s (%s: not valid XML, HTTP %d)", out->server,
                 out->step, status);
    } else {
        goto generic;
    }
    free(buf);
    close(fd);
    return;
generic:
    snprintf(out->message, sizeof out->message,
             "ONVIF device %s gave no usable answer to %s (is the address its device "
             "service?)", out->server, out->step);
    free(buf);
    if (fd >= 0)
        close(fd);
}

/* Runs one libonvif call, recording the step; maps its error. 0 on success. */
static int onvif_call(onvif_ctx_t *c, const char *step, onvif_call_fn fn, bool authed,
                      const char *ip, int port, const char *path)
{
    onvif_result_t *out = c->out;
    snprintf(out->step, sizeof out->step, "%s", step);
    int r = fn(c->d);
    if (r == 0 && strstr(c->d->last_error, ONVIF_NOT_AUTHORIZED) == NULL) {
        c->authed_ok = c->authed_ok || authed;
        return 0;
    }
    if (strstr(c->d->last_error, ONVIF_NOT_AUTHORIZED) != NULL && c->authed_ok) {
        /* libonvif seeds its nonce with time(NULL): a second call in the same second repeats it,
         * and a strict device refuses the replay. Try once more in the next second. */
        sleep(1);
        if (fn(c->d) == 0 && strstr(c->d->last_error, ONVIF_NOT_AUTHORIZED) == NULL)
            return 0;
    }
    if (strstr(c->d->last_error, ONVIF_NOT_AUTHORIZED) != NULL) {
        out->error = ONVIF_ERR_AUTH;
        snprintf(out->message, sizeof out->message,
                 "wrong user name or password for ONVIF %s (%s: NotAuthorized)%s", out->server,
                 step,
                 c->d->username[0] == '\0' ? ": none given, add them to the credentials file"
                                           : ": check the credentials file (or the clocks)");
        return -1;
    }
    if (strstr(c->d->last_error, ONVIF_NO_REPLY) != NULL) {
        onvif_diagnose(c, ip, port, path);
        return -1;
    }
    out->error = ONVIF_ERR_BAD_ANSWER;
    snprintf(out->message, sizeof out->message, "ONVIF device %s answered %s with a fault: %.200s",
             out->server, step, c->d->last_error);
    return -1;
}

static int onvif_get_profile_token(struct OnvifData *d);
static int onvif_profile_index; /* argument of onvif_get_profile_token (child process only) */

static int onvif_get_profile_token(struct OnvifData *d)
{
    memset(d->profileToken, 0, sizeof d->profileToken);
    return getProfileToken(d, onvif_profile_index);
}

/* Reads every profile's token, size, rate and encoding. 0, or -1 with the error set. */
static int onvif_read_profiles(onvif_ctx_t *c, const char *ip, int port, const char *path)
{
    onvif_result_t *out = c->out;
    for (int i = 0; i < ONVIF_PROFILE_MAX; i++) {
        onvif_profile_index = i;
        if (onvif_call(c, "GetProfiles", onvif_get_profile_token, true, ip, port, path) != 0)
            return -1;
        if (c->d->profileToken[0] == '\0')
            break;
        c->d->width = c->d->height = c->d->frame_rate = 0;
        memset(c->d->encoding, 0, sizeof c->d->encoding);
        memset(c->d->videoEncoderConfigurationToken, 0,
               sizeof c->d->videoEncoderConfigurationToken);
        if (onvif_call(c, "GetProfile", getProfile, true, ip, port, path) != 0)
            return -1;
        if (c->d->videoEncoderConfigurationToken[0] != '\0' &&
            onvif_call(c, "GetVideoEncoderConfiguration", getVideoEncoderConfiguration, true, ip,
                       port, path) != 0)
            return -1;
        onvif_profile_t *p = &out->profiles[out->n_profiles++];
        g_strlcpy(p->token, c->d->profileToken, sizeof p->token);
        g_strlcpy(p->name, c->d->profileToken, sizeof p->name);
        g_strlcpy(p->encoding, c->d->encoding, sizeof p->encoding);
        p->width = c->d->width;
        p->height = c->d->height;
        p->fps = c->d->frame_rate;
    }
    return 0;
}

static int onvif_session(onvif_ctx_t *c, const char *ip, int port, const char *path)
{
    onvif_result_t *out = c->out;
    struct OnvifData *d = c->d;
    if (onvif_call(c, "GetSystemDateAndTime", getTimeOffset, false, ip, port, path) != 0)
        return -1;
    if (d->time_offset > ONVIF_MAX_CLOCK_OFFSET_S || d->time_offset < -ONVIF_MAX_CLOCK_OFFSET_S)
        d->time_offset = 0; /* an unreadable clock: better try with ours */
    out->time_offset = (long)d->time_offset;
    if (onvif_call(c, "GetCapabilities", getCapabilities, true, ip, port, path) != 0)
        return -1;
    if (d->media_service[0] == '\0') {
        out->error = ONVIF_ERR_BAD_ANSWER;
        snprintf(out->message, sizeof out->message,
                 "ONVIF device %s names no media service in GetCapabilities", out->server);
        return -1;
    }
    out->has_ptz = d->ptz_service[0] != '\0';
    snprintf(out->ptz_xaddr, sizeof out->ptz_xaddr, "%s", d->ptz_service);
    if (onvif_call(c, "GetDeviceInformation", getDeviceInformation, true, ip, port, path) == 0)
        snprintf(out->model, sizeof out->model, "%s", d->serial_number);
    out->error = ONVIF_OK;
    return onvif_read_profiles(c, ip, port, path);
}

void onvif_client_resolve(const onvif_request_t *rq, onvif_result_t *out)
{
    char ip[INET_ADDRSTRLEN] = "", host[256], path[ONVIF_URL_MAX], err[200];
    int port = 0;
    memset(out, 0, sizeof *out);
    out->chosen = -1;
    xmlSetGenericErrorFunc(NULL, onvif_xml_quiet);
    struct OnvifData *d = calloc(1, sizeof *d);
    onvif_ctx_t c = {.d = d, .out = out};
    if (d == NULL) {
        out->error = ONVIF_ERR_BAD_ANSWER;
        snprintf(out->message, sizeof out->message, "out of memory");
        return;
    }
    snprintf(out->step, sizeof out->step, "connect");
    if (onvif_prepare(rq, d, out, ip, sizeof ip, &port) != 0 ||
        onvif_connect_test(ip, port, ONVIF_DEFAULT_CONNECT_MS, out) != 0)
        goto done;
    onvif_url_split(rq->url, host, sizeof host, &port, path, sizeof path, err, sizeof err);
    if (onvif_session(&c, ip, port, path) != 0)
        goto done;
    out->chosen = onvif_profile_choose(out->profiles, out->n_profiles, rq->tile_w, rq->tile_h,
                                       rq->fit, rq->want, out->why, sizeof out->why);
    if (out->chosen < 0) {
        out->error = ONVIF_ERR_NO_PROFILE;
        snprintf(out->message, sizeof out->message, "no usable video profile on ONVIF %.100s: %.250s",
                 out->server, out->why);
        goto done;
    }
    snprintf(d->profileToken, sizeof d->profileToken, "%s", out->profiles[out->chosen].token);
    if (onvif_call(&c, "GetStreamUri", getStreamUri, true, ip, port, path) != 0)
        goto done;
    if (strncmp(d->stream_uri, "rtsp://", 7) != 0 && strncmp(d->stream_uri, "rtsps://", 8) != 0) {
        out->error = ONVIF_ERR_BAD_ANSWER;
        snprintf(out->message, sizeof out->message,
                 "ONVIF device %s gave no RTSP URI for profile %s", out->server,
                 out->profiles[out->chosen].token);
        goto done;
    }
    snprintf(out->stream_uri, sizeof out->stream_uri, "%s", d->stream_uri);
    out->error = ONVIF_OK;
    out->message[0] = '\0';
done:
    memset(d->password, 0, sizeof d->password);
    free(d);
}

/* GetPresets on the PTZ service: "TOKEN=NAME TOKEN=NAME ..." (spaces in names become '_') into
 * msg. 0, or -1 with the reason in msg. */
static int onvif_get_presets(struct OnvifData *d, char *msg, size_t cap)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr root = xmlNewDocNode(doc, NULL, BAD_CAST "Envelope", NULL);
    xmlDocSetRootElement(doc, root);
    xmlNsPtr env = xmlNewNs(root, BAD_CAST "http://www.w3.org/2003/05/soap-envelope",
                            BAD_CAST "SOAP-ENV");
    xmlNsPtr ptz = xmlNewNs(root, BAD_CAST "http://www.onvif.org/ver20/ptz/wsdl", BAD_CAST "tptz");
    xmlSetNs(root, env);
    addUsernameDigestHeader(root, env, d->username, d->password, d->time_offset);
    xmlNodePtr body = xmlNewTextChild(root, env, BAD_CAST "Body", NULL);
    xmlNodePtr get = xmlNewTextChild(body, ptz, BAD_CAST "GetPresets", NULL);
    xmlNewTextChild(get, ptz, BAD_CAST "ProfileToken", BAD_CAST d->profileToken);
    char cmd[ONVIF_CMD_MAX] = {0};
    addHttpHeader(doc, root, d->xaddrs, d->ptz_service, cmd, ONVIF_CMD_MAX);
    xmlDocPtr reply = sendCommandToCamera(cmd, d->xaddrs); /* doc: libonvif owns it, as in its own calls */
    if (reply == NULL) {
        snprintf(msg, cap, "no valid answer to GetPresets");
        return -1;
    }
    xmlXPathContextPtr x = xmlXPathNewContext(reply);
    xmlXPathRegisterNs(x, BAD_CAST "s", BAD_CAST "http://www.w3.org/2003/05/soap-envelope");
    xmlXPathRegisterNs(x, BAD_CAST "tptz", BAD_CAST "http://www.onvif.org/ver20/ptz/wsdl");
    xmlXPathObjectPtr fault = xmlXPathEvalExpression(BAD_CAST "//s:Fault", x);
    xmlXPathObjectPtr set = xmlXPathEvalExpression(BAD_CAST "//tptz:Preset", x);
    int rc = 0;
    if (fault != NULL && fault->nodesetval != NULL && fault->nodesetval->nodeNr > 0) {
        snprintf(msg, cap, "the camera answered GetPresets with a fault");
        rc = -1;
    } else {
        size_t k = 0;
        msg[0] = '\0';
        for (int i = 0; set != NULL && set->nodesetval != NULL && i < set->nodesetval->nodeNr;
             i++) {
            xmlNodePtr n = set->nodesetval->nodeTab[i];
            xmlChar *tok = xmlGetProp(n, BAD_CAST "token");
            xmlChar *name = NULL;
            for (xmlNodePtr c = n->children; c != NULL && name == NULL; c = c->next)
                if (c->type == XML_ELEMENT_NODE && xmlStrcmp(c->name, BAD_CAST "Name") == 0)
                    name = xmlNodeGetContent(c);
            char item[160];
            snprintf(item, sizeof item, "%s%.60s=%.60s", k > 0 ? " " : "",
                     tok != NULL ? (const char *)tok : "?",
                     name != NULL ? (const char *)name : "");
            for (char *p = item + (k > 0); *p != '\0'; p++)
                if (*p == ' ' || *p == '\t' || *p == '\n')
                    *p = '_';
            if (k + strlen(item) < cap) {
                memcpy(msg + k, item, strlen(item) + 1);
                k += strlen(item);
            }
            xmlFree(tok);
            xmlFree(name);
        }
    }
    xmlXPathFreeObject(fault);
    xmlXPathFreeObject(set);
    xmlXPathFreeContext(x);
    xmlFreeDoc(reply);
    return rc;
}

onvif_error_t onvif_client_ptz(const onvif_result_t *dev, const char *user, const char *password,
                               const char *token, const char *cmd, float pan, float tilt,
                               float zoom, const char *preset, char *msg, size_t msg_cap)
{
    onvif_error_t e = ONVIF_OK;
    xmlSetGenericErrorFunc(NULL, onvif_xml_quiet);
    if (!dev->has_ptz) {
        snprintf(msg, msg_cap, "the camera has no PTZ service");
        return ONVIF_ERR_NO_PTZ;
    }
    struct OnvifData *d = calloc(1, sizeof *d);
    if (d == NULL) {
        snprintf(msg, msg_cap, "out of memory");
        return ONVIF_ERR_BAD_ANSWER;
    }
    snprintf(d->xaddrs, sizeof d->xaddrs, "%s", dev->xaddrs);
    snprintf(d->device_service, sizeof d->device_service, "%s", dev->xaddrs);
    extractOnvifService(d->device_service, true);
    snprintf(d->ptz_service, sizeof d->ptz_service, "%s", dev->ptz_xaddr);
    snprintf(d->username, sizeof d->username, "%s", user != NULL ? user : "");
    snprintf(d->password, sizeof d->password, "%s", password != NULL ? password : "");
    snprintf(d->profileToken, sizeof d->profileToken, "%s", token);
    d->time_offset = dev->time_offset;
    int r;
    if (strcmp(cmd, "move") == 0) {
        r = continuousMove(pan, tilt, zoom, d);
    } else if (strcmp(cmd, "stop") == 0) {
        r = moveStop(PAN_TILT_STOP, d);
        if (r == 0)
            r = moveStop(ZOOM_STOP, d);
    } else if (strcmp(cmd, "presets") == 0) {
        int pr = onvif_get_presets(d, msg, msg_cap);
        memset(d->password, 0, sizeof d->password);
        free(d);
        return pr == 0 ? ONVIF_OK : ONVIF_ERR_BAD_ANSWER;
    } else if (strcmp(cmd, "preset") == 0) {
        char tok[ONVIF_PROFILE_TOKEN_MAX];
        snprintf(tok, sizeof tok, "%s", preset != NULL ? preset : "");
        r = gotoPreset(tok, d);
    } else {
        snprintf(msg, msg_cap, "unknown PTZ command '%s'", cmd);
        free(d);
        return ONVIF_ERR_BAD_ANSWER;
    }
    if (r != 0 || d->last_error[0] != '\0') {
        e = strstr(d->last_error, ONVIF_NOT_AUTHORIZED) != NULL ? ONVIF_ERR_AUTH
                                                                : ONVIF_ERR_BAD_ANSWER;
        snprintf(msg, msg_cap, "the camera refused %s: %.200s", cmd,
                 d->last_error[0] != '\0' ? d->last_error : "no answer");
    }
    memset(d->password, 0, sizeof d->password);
    free(d);
    return e;
}
