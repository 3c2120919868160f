/* pantau-onvif-sim: an ONVIF Profile S device on loopback for tests and demos. It answers the SOAP
 * calls libonvif makes (device, media and PTZ services), checks the WS-UsernameToken digest against
 * its own clock (which may be set wrong on purpose), answers WS-Discovery probes, and points a main
 * and a sub profile at two RTSP streams (pantau-test-camera).
 *
 *   pantau-onvif-sim --port N [--user U --password P] [--clock-offset SECONDS]
 *                    [--main-uri rtsp://... --main-size 1280x720] [--sub-uri ... --sub-size 320x180]
 *                    [--codec H264] [--ptz] [--name NAME] [--discovery]
 *                    [--fault none|malformed|oversized|hang|http401|jpeg-only]
 *
 * Once it listens it prints "READY http://127.0.0.1:PORT/onvif/device_service" on stdout; port 0
 * picks a free port. Every request is printed on stderr ("REQ GetProfiles ok"); every PTZ command
 * on stdout ("PTZ ContinuousMove 0.50 -0.25 0.00", "PTZ Stop", "PTZ GotoPreset 2"), so a test can
 * wait for it. Faults: malformed = every answer but the clock is cut-off XML; oversized = every
 * answer but the clock is 200 KiB; hang = reads requests (after the clock) and never answers;
 * http401 = a bare HTTP 401 instead of a SOAP NotAuthorized fault; jpeg-only = both profiles are
 * JPEG. A wrong password (or a digest whose Created time is more than SIM_CLOCK_SKEW_S away from
 * the device's clock) gets HTTP 400 with the SOAP fault ter:NotAuthorized, as ONVIF specifies.
 *
 * Single-threaded poll loop over the HTTP listener, its clients and the discovery socket. Plain
 * string handling, no XML parser: it only has to understand libonvif's requests. */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#define SIM_MAX_CLIENTS 32
#define SIM_REQ_MAX (256 * 1024)
#define SIM_CLOCK_SKEW_S 60 /* digest Created may differ this much from the device clock */
#define SIM_OVERSIZE (200 * 1024)
#define SIM_WSD_PORT 3702
#define SIM_WSD_GROUP "239.255.255.250"

#define NS_DECL                                                                                    \
    "xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "                                         \
    "xmlns:tds=\"http://www.onvif.org/ver10/device/wsdl\" "                                        \
    "xmlns:trt=\"http://www.onvif.org/ver10/media/wsdl\" "                                         \
    "xmlns:tptz=\"http://www.onvif.org/ver20/ptz/wsdl\" "                                          \
    "xmlns:tt=\"http://www.onvif.org/ver10/schema\" "                                              \
    "xmlns:ter=\"http://www.onvif.org/ver10/error\""

typedef enum {
    FAULT_NONE = 0,
    FAULT_MALFORMED,
    FAULT_OVERSIZED,
    FAULT_HANG,
    FAULT_HTTP401,
    FAULT_JPEG_ONLY,
} sim_fault_t;

typedef struct {
    int port;
    const char *user, *password;
    long clock_offset;
    const char *uri[2]; /* main, sub */
    int w[2], h[2];
    const char *codec;
    bool ptz, discovery;
    const char *name;
    sim_fault_t fault;
} sim_opts_t;

typedef struct {
    int fd;
    GString *in;
} sim_client_t;

static volatile sig_atomic_t sim_stop;
static const char *const sim_tokens[2] = {"main", "sub"};

static void sim_on_signal(int sig)
{
    (void)sig;
    sim_stop = 1;
}

/* ---- request parsing -------------------------------------------------------------------------- */

/* Text of the first element whose local name is name (any prefix), into out; false if absent. */
static bool sim_xml_text(const char *xml, const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);
    for (const char *p = strchr(xml, '<'); p != NULL; p = strchr(p + 1, '<')) {
        const char *tag = p + 1;
        if (*tag == '/' || *tag == '?' || *tag == '!')
            continue;
        const char *end = tag + strcspn(tag, " \t\r\n/>");
        const char *colon = memchr(tag, ':', (size_t)(end - tag));
        const char *local = colon != NULL ? colon + 1 : tag;
        if ((size_t)(end - local) != n || strncmp(local, name, n) != 0)
            continue;
        const char *gt = strchr(end, '>');
        if (gt == NULL)
            return false;
        if (gt[-1] == '/') {
            out[0] = '\0';
            return true;
        }
        const char *close = strchr(gt + 1, '<');
        if (close == NULL)
            return false;
        size_t len = (size_t)(close - gt - 1);
        if (len >= cap)
            len = cap - 1;
        memcpy(out, gt + 1, len);
        out[len] = '\0';
        return true;
    }
    return false;
}

/* Value of attribute attr in the first element with local name name. */
static bool sim_xml_attr(const char *xml, const char *name, const char *attr, char *out, size_t cap)
{
    char pat[64];
    snprintf(pat, sizeof pat, ":%s ", name);
    const char *p = strstr(xml, pat);
    if (p == NULL) {
        snprintf(pat, sizeof pat, "<%s ", name);
        p = strstr(xml, pat);
    }
    if (p == NULL)
        return false;
    const char *gt = strchr(p, '>');
    snprintf(pat, sizeof pat, " %s=\"", attr);
    const char *a = strstr(p, pat);
    if (a == NULL || (gt != NULL && a > gt))
        return false;
    a += strlen(pat);
    size_t len = strcspn(a, "\"");
    if (len >= cap)
        len = cap - 1;
    memcpy(out, a, len);
    out[len] = '\0';
    return true;
}

/* Local name of the first element inside Body. */
static void sim_operation(const char *xml, char *out, size_t cap)
{
    snprintf(out, cap, "?");
    const char *b = strstr(xml, ":Body");
    if (b == NULL)
        b = strstr(xml, "<Body");
    if (b == NULL || (b = strchr(b, '>')) == NULL || (b = strchr(b, '<')) == NULL)
        return;
    const char *tag = b + 1;
    const char *end = tag + strcspn(tag, " \t\r\n/>");
    const char *colon = memchr(tag, ':', (size_t)(end - tag));
    const char *local = colon != NULL ? colon + 1 : tag;
    snprintf(out, cap, "%.*s", (int)(end - local), local);
}

static time_t sim_now(const sim_opts_t *o)
{
    return time(NULL) + o->clock_offset;
}

/* WS-UsernameToken PasswordDigest = Base64(SHA1(nonce + created + password)); Created must be
 * within SIM_CLOCK_SKEW_S of the device's (possibly wrong) clock. */
static bool sim_auth_ok(const sim_opts_t *o, const char *xml, const char **why)
{
    char user[128], digest[128], nonce_b64[128], created[64];
    if (o->password == NULL)
        return true;
    if (!sim_xml_text(xml, "Username", user, sizeof user) ||
        !sim_xml_text(xml, "Password", digest, sizeof digest) ||
        !sim_xml_text(xml, "Nonce", nonce_b64, sizeof nonce_b64) ||
        !sim_xml_text(xml, "Created", created, sizeof created)) {
        *why = "no UsernameToken";
        return false;
    }
    if (strcmp(user, o->user != NULL ? o->user : "") != 0) {
        *why = "unknown user";
        return false;
    }
    struct tm tm = {0};
    const char *rest = strptime(created, "%Y-%m-%dT%H:%M:%S", &tm);
    if (rest == NULL) {
        *why = "bad Created";
        return false;
    }
    long skew = (long)(timegm(&tm) - sim_now(o));
    if (skew > SIM_CLOCK_SKEW_S || skew < -SIM_CLOCK_SKEW_S) {
        *why = "Created too far from the device clock";
        return false;
    }
    gsize nlen = 0;
    guchar *nonce = g_base64_decode(nonce_b64, &nlen);
    GChecksum *sha = g_checksum_new(G_CHECKSUM_SHA1);
    g_checksum_update(sha, nonce, (gssize)nlen);
    g_checksum_update(sha, (const guchar *)created, (gssize)strlen(created));
    g_checksum_update(sha, (const guchar *)o->password, (gssize)strlen(o->password));
    guint8 raw[20];
    gsize rlen = sizeof raw;
    g_checksum_get_digest(sha, raw, &rlen);
    gchar *want = g_base64_encode(raw, rlen);
    bool ok = strcmp(want, digest) == 0;
    g_free(want);
    g_checksum_free(sha);
    g_free(nonce);
    *why = ok ? "" : "wrong digest";
    return ok;
}

/* ---- answers ---------------------------------------------------------------------------------- */

static void sim_envelope(GString *b, const char *body)
{
    g_string_append(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope " NS_DECL "><s:Body>");
    g_string_append(b, body);
    g_string_append(b, "</s:Body></s:Envelope>");
}

static const char *sim_encoding(const sim_opts_t *o)
{
    return o->fault == FAULT_JPEG_ONLY ? "JPEG" : o->codec;
}

static void sim_encoder(GString *b, const sim_opts_t *o, int i, const char *elem)
{
    g_string_append_printf(
        b,
        "<%s token=\"vec_%s\"><tt:Name>%s encoder</tt:Name><tt:UseCount>1</tt:UseCount>"
        "<tt:Encoding>%s</tt:Encoding><tt:Resolution><tt:Width>%d</tt:Width>"
        "<tt:Height>%d</tt:Height></tt:Resolution><tt:Quality>5</tt:Quality>"
        "<tt:RateControl><tt:FrameRateLimit>25</tt:FrameRateLimit>"
        "<tt:EncodingInterval>1</tt:EncodingInterval><tt:BitrateLimit>%d</tt:BitrateLimit>"
        "</tt:RateControl><tt:H264><tt:GovLength>50</tt:GovLength>"
        "<tt:H264Profile>Main</tt:H264Profile></tt:H264>"
        "<tt:Multicast><tt:Address><tt:Type>IPv4</tt:Type>"
        "<tt:IPv4Address>0.0.0.0</tt:IPv4Address></tt:Address><tt:Port>0</tt:Port>"
        "<tt:TTL>1</tt:TTL><tt:AutoStart>false</tt:AutoStart></tt:Multicast>"
        "<tt:SessionTimeout>PT60S</tt:SessionTimeout></%s>",
        elem, sim_tokens[i], sim_tokens[i], sim_encoding(o), o->w[i], o->h[i],
        i == 0 ? 4096 : 512, elem);
}

static void sim_profile(GString *b, const sim_opts_t *o, int i, const char *elem)
{
    g_string_append_printf(b,
                           "<%s token=\"%s\" fixed=\"true\"><tt:Name>%s</tt:Name>"
                           "<tt:VideoSourceConfiguration token=\"vsc\"><tt:Name>vsc</tt:Name>"
                           "<tt:UseCount>2</tt:UseCount><tt:SourceToken>vs</tt:SourceToken>"
                           "<tt:Bounds x=\"0\" y=\"0\" width=\"%d\" height=\"%d\"/>"
                           "</tt:VideoSourceConfiguration>",
                           elem, sim_tokens[i], i == 0 ? "MainStream" : "SubStream", o->w[0],
                           o->h[0]);
    sim_encoder(b, o, i, "tt:VideoEncoderConfiguration");
    if (o->ptz)
        g_string_append(b, "<tt:PTZConfiguration token=\"ptz0\"><tt:Name>ptz</tt:Name>"
                           "<tt:UseCount>2</tt:UseCount><tt:NodeToken>node0</tt:NodeToken>"
                           "</tt:PTZConfiguration>");
    g_string_append_printf(b, "</%s>", elem);
}

static int sim_token_index(const char *xml, const char *name)
{
    char tok[128] = "";
    sim_xml_text(xml, name, tok, sizeof tok);
    for (int i = 0; i < 2; i++)
        if (strcmp(tok, sim_tokens[i]) == 0 || (strncmp(tok, "vec_", 4) == 0 &&
                                                strcmp(tok + 4, sim_tokens[i]) == 0))
            return i;
    return -1;
}

static void sim_fault_body(GString *b, const char *subcode, const char *reason)
{
    g_string_append_printf(b,
                           "<s:Fault><s:Code><s:Value>s:Sender</s:Value><s:Subcode>"
                           "<s:Value>%s</s:Value></s:Subcode></s:Code><s:Reason>"
                           "<s:Text xml:lang=\"en\">%s</s:Text></s:Reason></s:Fault>",
                           subcode, reason);
}

/* Builds the SOAP body for op; returns the HTTP status. */
static int sim_answer(const sim_opts_t *o, const char *op, const char *xml, GString *body)
{
    GString *b = g_string_new(NULL);
    int status = 200, i;
    char base[64];
    snprintf(base, sizeof base, "http://127.0.0.1:%d/onvif", o->port);
    if (strcmp(op, "GetSystemDateAndTime") == 0) {
        time_t t = sim_now(o);
        struct tm tm;
        gmtime_r(&t, &tm);
        g_string_append_printf(
            b,
            "<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>"
            "<tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false"
            "</tt:DaylightSavings><tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone><tt:UTCDateTime>"
            "<tt:Time><tt:Hour>%d</tt:Hour><tt:Minute>%d</tt:Minute><tt:Second>%d</tt:Second>"
            "</tt:Time><tt:Date><tt:Year>%d</tt:Year><tt:Month>%d</tt:Month><tt:Day>%d</tt:Day>"
            "</tt:Date></tt:UTCDateTime></tds:SystemDateAndTime>"
            "</tds:GetSystemDateAndTimeResponse>",
            tm.tm_hour, tm.tm_min, tm.tm_sec, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
    } else if (strcmp(op, "GetCapabilities") == 0) {
        g_string_append_printf(b,
                               "<tds:GetCapabilitiesResponse><tds:Capabilities>"
                               "<tt:Device><tt:XAddr>%s/device_service</tt:XAddr></tt:Device>"
                               "<tt:Media><tt:XAddr>%s/media_service</tt:XAddr></tt:Media>",
                               base, base);
        if (o->ptz)
            g_string_append_printf(b, "<tt:PTZ><tt:XAddr>%s/ptz_service</tt:XAddr></tt:PTZ>",
                                   base);
        g_string_append(b, "</tds:Capabilities></tds:GetCapabilitiesResponse>");
    } else if (strcmp(op, "GetDeviceInformation") == 0) {
        g_string_append_printf(b,
                               "<tds:GetDeviceInformationResponse><tds:Manufacturer>Pantau"
                               "</tds:Manufacturer><tds:Model>SIM-%s</tds:Model>"
                               "<tds:FirmwareVersion>1.0</tds:FirmwareVersion>"
                               "<tds:SerialNumber>SIM%d</tds:SerialNumber>"
                               "<tds:HardwareId>sim</tds:HardwareId>"
                               "</tds:GetDeviceInformationResponse>",
                               o->ptz ? "PTZ" : "FIXED", o->port);
    } else if (strcmp(op, "GetProfiles") == 0) {
        g_string_append(b, "<trt:GetProfilesResponse>");
        for (i = 0; i < 2; i++)
            sim_profile(b, o, i, "trt:Profiles");
        g_string_append(b, "</trt:GetProfilesResponse>");
    } else if (strcmp(op, "GetProfile") == 0 && (i = sim_token_index(xml, "ProfileToken")) >= 0) {
        g_string_append(b, "<trt:GetProfileResponse>");
        sim_profile(b, o, i, "trt:Profile");
        g_string_append(b, "</trt:GetProfileResponse>");
    } else if (strcmp(op, "GetVideoEncoderConfiguration") == 0 &&
               (i = sim_token_index(xml, "ConfigurationToken")) >= 0) {
        g_string_append(b, "<trt:GetVideoEncoderConfigurationResponse>");
        sim_encoder(b, o, i, "trt:Configuration");
        g_string_append(b, "</trt:GetVideoEncoderConfigurationResponse>");
    } else if (strcmp(op, "GetStreamUri") == 0 && (i = sim_token_index(xml, "ProfileToken")) >= 0) {
        g_string_append_printf(b,
                               "<trt:GetStreamUriResponse><trt:MediaUri><tt:Uri>%s</tt:Uri>"
                               "<tt:InvalidAfterConnect>false</tt:InvalidAfterConnect>"
                               "<tt:InvalidAfterReboot>false</tt:InvalidAfterReboot>"
                               "<tt:Timeout>PT0S</tt:Timeout></trt:MediaUri>"
                               "</trt:GetStreamUriResponse>",
                               o->uri[i]);
    } else if (o->ptz && strcmp(op, "ContinuousMove") == 0) {
        char x[32] = "0", y[32] = "0", z[32] = "0";
        sim_xml_attr(xml, "PanTilt", "x", x, sizeof x);
        sim_xml_attr(xml, "PanTilt", "y", y, sizeof y);
        sim_xml_attr(xml, "Zoom", "x", z, sizeof z);
        printf("PTZ ContinuousMove %.2f %.2f %.2f\n", atof(x), atof(y), atof(z));
        g_string_append(b, "<tptz:ContinuousMoveResponse/>");
    } else if (o->ptz && strcmp(op, "Stop") == 0) {
        printf("PTZ Stop\n");
        g_string_append(b, "<tptz:StopResponse/>");
    } else if (o->ptz && strcmp(op, "GotoPreset") == 0) {
        char tok[64] = "";
        sim_xml_text(xml, "PresetToken", tok, sizeof tok);
        printf("PTZ GotoPreset %s\n", tok);
        g_string_append(b, "<tptz:GotoPresetResponse/>");
    } else if (o->ptz && strcmp(op, "GetPresets") == 0) {
        g_string_append(b, "<tptz:GetPresetsResponse>");
        for (i = 1; i <= 3; i++)
            g_string_append_printf(b, "<tptz:Preset token=\"%d\"><tt:Name>Preset %d</tt:Name>"
                                      "</tptz:Preset>", i, i);
        g_string_append(b, "</tptz:GetPresetsResponse>");
    } else {
        status = 400;
        sim_fault_body(b, "ter:ActionNotSupported", "Optional Action Not Implemented");
    }
    fflush(stdout);
    sim_envelope(body, b->str);
    g_string_free(b, TRUE);
    return status;
}

static void sim_send(int fd, int status, const char *body, size_t len)
{
    const char *text = status == 200 ? "OK" : status == 401 ? "Unauthorized" : "Bad Request";
    GString *out = g_string_new(NULL);
    g_string_append_printf(out,
                           "HTTP/1.1 %d %s\r\nServer: pantau-onvif-sim\r\n"
                           "Content-Type: application/soap+xml; charset=utf-8\r\n%s"
                           "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                           status, text,
                           status == 401 ? "WWW-Authenticate: Digest realm=\"sim\", "
                                           "nonce=\"0\", qop=\"auth\"\r\n"
                                         : "",
                           len);
    g_string_append_len(out, body, (gssize)len);
    const char *p = out->str;
    size_t left = out->len;
    while (left > 0) {
        ssize_t n = send(fd, p, left, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        p += n;
        left -= (size_t)n;
    }
    g_string_free(out, TRUE);
}

/* Handles one complete request. Returns false to keep the connection open without answering. */
static bool sim_handle(const sim_opts_t *o, int fd, const char *xml)
{
    char op[96];
    const char *why = "";
    GString *body = g_string_new(NULL);
    sim_operation(xml, op, sizeof op);
    bool clock = strcmp(op, "GetSystemDateAndTime") == 0;
    int status;
    if (!clock && o->fault == FAULT_HANG) {
        fprintf(stderr, "REQ %s hang\n", op);
        g_string_free(body, TRUE);
        return false;
    }
    if (!clock && !sim_auth_ok(o, xml, &why)) {
        fprintf(stderr, "REQ %s refused: %s\n", op, why);
        if (o->fault == FAULT_HTTP401) {
            sim_send(fd, 401, "", 0);
            g_string_free(body, TRUE);
            return true;
        }
        GString *f = g_string_new(NULL);
        sim_fault_body(f, "ter:NotAuthorized", "Sender not Authorized");
        sim_envelope(body, f->str);
        g_string_free(f, TRUE);
        status = 400;
    } else {
        status = sim_answer(o, op, xml, body);
        fprintf(stderr, "REQ %s %s\n", op, status == 200 ? "ok" : "fault");
    }
    if (!clock && o->fault == FAULT_MALFORMED) {
        g_string_truncate(body, body->len / 2);
        g_string_append(body, "<<&&");
    } else if (!clock && o->fault == FAULT_OVERSIZED) {
        g_string_truncate(body, 0);
        sim_envelope(body, "");
        g_string_insert(body, body->len - strlen("</s:Body></s:Envelope>"), "<!--");
        while (body->len < SIM_OVERSIZE)
            g_string_insert(body, body->len - strlen("</s:Body></s:Envelope>"),
                            "padding padding padding padding padding padding padding ");
        g_string_insert(body, body->len - strlen("</s:Body></s:Envelope>"), "-->");
    }
    sim_send(fd, status, body->str, body->len);
    g_string_free(body, TRUE);
    return true;
}

/* A request is complete when its header and Content-Length bytes of body are in. */
static bool sim_request_complete(GString *in, const char **body)
{
    const char *end = strstr(in->str, "\r\n\r\n");
    if (end == NULL)
        return false;
    size_t clen = 0;
    const char *cl = strcasestr(in->str, "Content-Length:");
    if (cl != NULL && cl < end)
        clen = strtoul(cl + 15, NULL, 10);
    *body = end + 4;
    return in->len >= (size_t)(end + 4 - in->str) + clen;
}

/* ---- WS-Discovery ----------------------------------------------------------------------------- */

static int sim_wsd_open(void)
{
    int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(SIM_WSD_PORT)};
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    struct ip_mreq m;
    m.imr_multiaddr.s_addr = inet_addr(SIM_WSD_GROUP);
    m.imr_interface.s_addr = htonl(INADDR_LOOPBACK);
    if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof m) != 0)
        fprintf(stderr, "sim: cannot join %s on loopback: %s (unicast probes still answered)\n",
                SIM_WSD_GROUP, strerror(errno));
    return fd;
}

static void sim_wsd_answer(const sim_opts_t *o, int fd)
{
    char buf[8192], msgid[256] = "";
    struct sockaddr_in from;
    socklen_t fl = sizeof from;
    ssize_t n = recvfrom(fd, buf, sizeof buf - 1, 0, (struct sockaddr *)&from, &fl);
    if (n <= 0)
        return;
    buf[n] = '\0';
    char op[64];
    sim_operation(buf, op, sizeof op);
    if (strcmp(op, "Probe") != 0)
        return;
    sim_xml_text(buf, "MessageID", msgid, sizeof msgid);
    GString *b = g_string_new(NULL);
    g_string_append_printf(
        b,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope "
        "xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\" "
        "xmlns:a=\"http://schemas.xmlsoap.org/ws/2004/08/addressing\" "
        "xmlns:d=\"http://schemas.xmlsoap.org/ws/2005/04/discovery\" "
        "xmlns:dn=\"http://www.onvif.org/ver10/network/wsdl\"><s:Header>"
        "<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action>"
        "<a:MessageID>uuid:5a1e0000-0000-4000-8000-%012d</a:MessageID>"
        "<a:RelatesTo>%s</a:RelatesTo>"
        "<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>"
        "</s:Header><s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>"
        "urn:uuid:5a1e0000-0000-4000-8000-%012d</a:Address></a:EndpointReference>"
        "<d:Types>dn:NetworkVideoTransmitter</d:Types>"
        "<d:Scopes>onvif://www.onvif.org/type/video_encoder onvif://www.onvif.org/name/%s "
        "onvif://www.onvif.org/hardware/SIM-%s onvif://www.onvif.org/Profile/Streaming"
        "</d:Scopes><d:XAddrs>http://127.0.0.1:%d/onvif/device_service</d:XAddrs>"
        "<d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch></d:ProbeMatches></s:Body>"
        "</s:Envelope>",
        o->port, msgid, o->port, o->name, o->ptz ? "PTZ" : "FIXED", o->port);
    sendto(fd, b->str, b->len, 0, (struct sockaddr *)&from, fl);
    fprintf(stderr, "WSD probe from %s:%d answered\n", inet_ntoa(from.sin_addr),
            ntohs(from.sin_port));
    g_string_free(b, TRUE);
}

/* ---- main ------------------------------------------------------------------------------------- */

static bool sim_size(const char *s, int *w, int *h)
{
    return sscanf(s, "%dx%d", w, h) == 2 && *w > 0 && *h > 0 && *w <= 8192 && *h <= 8192;
}

static int sim_parse(int argc, char **argv, sim_opts_t *o)
{
    static const struct option longopts[] = {
        {"port", 1, 0, 'p'},      {"user", 1, 0, 'u'},      {"password", 1, 0, 'P'},
        {"clock-offset", 1, 0, 'c'}, {"main-uri", 1, 0, 'm'}, {"main-size", 1, 0, 'M'},
        {"sub-uri", 1, 0, 's'},   {"sub-size", 1, 0, 'S'},  {"codec", 1, 0, 'C'},
        {"ptz", 0, 0, 'z'},       {"name", 1, 0, 'n'},      {"discovery", 0, 0, 'd'},
        {"fault", 1, 0, 'f'},     {0, 0, 0, 0},
    };
    static const char *const faults[] = {"none", "malformed", "oversized", "hang", "http401",
                                         "jpeg-only"};
    *o = (sim_opts_t){.port = -1, .uri = {"rtsp://127.0.0.1:8554/main", "rtsp://127.0.0.1:8555/sub"},
                      .w = {1280, 320}, .h = {720, 180}, .codec = "H264", .name = "PantauSim"};
    int c;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'p': o->port = atoi(optarg); break;
        case 'u': o->user = optarg; break;
        case 'P': o->password = optarg; break;
        case 'c': o->clock_offset = atol(optarg); break;
        case 'm': o->uri[0] = optarg; break;
        case 's': o->uri[1] = optarg; break;
        case 'M': if (!sim_size(optarg, &o->w[0], &o->h[0])) return -1; break;
        case 'S': if (!sim_size(optarg, &o->w[1], &o->h[1])) return -1; break;
        case 'C': o->codec = optarg; break;
        case 'z': o->ptz = true; break;
        case 'n': o->name = optarg; break;
        case 'd': o->discovery = true; break;
        case 'f':
            o->fault = (sim_fault_t)-1;
            for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++)
                if (strcmp(optarg, faults[i]) == 0)
                    o->fault = (sim_fault_t)i;
            if ((int)o->fault < 0)
                return -1;
            break;
        default: return -1;
        }
    }
    return o->port < 0 || o->port > 65535 || optind != argc ? -1 : 0;
}

static int sim_listen(sim_opts_t *o)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o->port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 16) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &al) != 0) {
        fprintf(stderr, "pantau-onvif-sim: cannot listen on port %d: %s\n", o->port,
                strerror(errno));
        return -1;
    }
    o->port = ntohs(a.sin_port);
    return fd;
}

static void sim_client_close(sim_client_t *c)
{
    close(c->fd);
    g_string_free(c->in, TRUE);
    c->fd = -1;
    c->in = NULL;
}

/* Reads from a client; answers when a request is complete. */
static void sim_client_read(const sim_opts_t *o, sim_client_t *c)
{
    char buf[16384];
    ssize_t n = recv(c->fd, buf, sizeof buf, 0);
    if (n <= 0) {
        sim_client_close(c);
        return;
    }
    g_string_append_len(c->in, buf, n);
    const char *body = NULL;
    if (c->in->len > SIM_REQ_MAX) {
        sim_send(c->fd, 400, "", 0);
        sim_client_close(c);
        return;
    }
    if (!sim_request_complete(c->in, &body))
        return;
    if (sim_handle(o, c->fd, body))
        sim_client_close(c);
    else
        g_string_truncate(c->in, 0); /* hang: keep it open, say nothing */
}

int main(int argc, char **argv)
{
    sim_opts_t o;
    sim_client_t cl[SIM_MAX_CLIENTS];
    if (sim_parse(argc, argv, &o) != 0) {
        fprintf(stderr, "usage: pantau-onvif-sim --port N [--user U --password P] "
                        "[--clock-offset S] [--main-uri URI --main-size WxH] [--sub-uri URI "
                        "--sub-size WxH] [--codec H264] [--ptz] [--name NAME] [--discovery] "
                        "[--fault none|malformed|oversized|hang|http401|jpeg-only]\n");
        return 2;
    }
    signal(SIGTERM, sim_on_signal);
    signal(SIGINT, sim_on_signal);
    signal(SIGPIPE, SIG_IGN);
    int lfd = sim_listen(&o);
    if (lfd < 0)
        return 1;
    int wfd = o.discovery ? sim_wsd_open() : -1;
    if (o.discovery && wfd < 0)
        fprintf(stderr, "sim: cannot bind UDP %d: %s\n", SIM_WSD_PORT, strerror(errno));
    for (int i = 0; i < SIM_MAX_CLIENTS; i++)
        cl[i].fd = -1;
    printf("READY http://127.0.0.1:%d/onvif/device_service\n", o.port);
    fflush(stdout);
    while (!sim_stop) {
        struct pollfd p[SIM_MAX_CLIENTS + 2];
        int map[SIM_MAX_CLIENTS + 2], np = 0;
        p[np] = (struct pollfd){.fd = lfd, .events = POLLIN};
        map[np++] = -1;
        if (wfd >= 0) {
            p[np] = (struct pollfd){.fd = wfd, .events = POLLIN};
            map[np++] = -2;
        }
        for (int i = 0; i < SIM_MAX_CLIENTS; i++)
            if (cl[i].fd >= 0) {
                p[np] = (struct pollfd){.fd = cl[i].fd, .events = POLLIN};
                map[np++] = i;
            }
        if (poll(p, (nfds_t)np, 200) <= 0)
            continue;
        for (int k = 0; k < np; k++) {
            if (p[k].revents == 0)
                continue;
            if (map[k] == -2) {
                sim_wsd_answer(&o, wfd);
            } else if (map[k] == -1) {
                int fd = accept(lfd, NULL, NULL), slot = -1;
                for (int i = 0; i < SIM_MAX_CLIENTS && fd >= 0; i++)
                    if (cl[i].fd < 0) {
                        slot = i;
                        break;
                    }
                if (slot < 0) {
                    if (fd >= 0)
                        close(fd);
                    continue;
                }
                cl[slot].fd = fd;
                cl[slot].in = g_string_new(NULL);
            } else if (cl[map[k]].fd >= 0) {
                sim_client_read(&o, &cl[map[k]]);
            }
        }
    }
    for (int i = 0; i < SIM_MAX_CLIENTS; i++)
        if (cl[i].fd >= 0)
            sim_client_close(&cl[i]);
    close(lfd);
    if (wfd >= 0)
        close(wfd);
    return 0;
}
