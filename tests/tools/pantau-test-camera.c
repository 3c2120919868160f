/* pantau-test-camera: an RTSP camera on loopback (gst-rtsp-server) for integration tests and demos.
 *
 *   pantau-test-camera --port N [--path /cam] [--size 640x360] [--fps 25]
 *                      [--pattern P | --color 0xRRGGBB] [--codec h264|h265|mjpeg]
 *                      [--user U --password P] [--clock-offset-ms MS]
 *                      [--format I420|Y42B|Y444|NV12|I420_10LE]
 *
 * The camera sends RTCP sender reports whose NTP time is its wall clock at the moment each picture
 * was captured (rtpbin ntp-time-source=ntp, rtcp-sync-send-time=false), as a real camera with NTP
 * does, so a receiver on this host measures true camera-to-screen latency. --clock-offset-ms
 * shifts that clock (a camera whose clock is wrong): the media runs on a realtime clock offset by
 * MS, and the reports use it (ntp-time-source=clock-time).
 *
 * The shared media is, for H.264:
 *
 *   gst-launch-1.0 videotestsrc is-live=true pattern=ball \
 *     ! video/x-raw,width=640,height=360,framerate=25/1 ! valve name=freeze drop=false \
 *     ! videoconvert ! x264enc tune=zerolatency speed-preset=ultrafast key-int-max=50 bframes=0 \
 *     ! rtph264pay name=pay0 pt=96 config-interval=-1
 *
 * Once the server listens it prints "READY rtsp://127.0.0.1:PORT/PATH" on stdout (flushed); port 0
 * picks a free port. Fault injection: SIGUSR1 toggles FREEZE (the valve drops every buffer, so the
 * RTSP session and its TCP connection stay up but no RTP packet leaves); SIGTERM or SIGINT exits
 * cleanly with status 0. Bad arguments: a message on stderr, exit 2.
 *
 * Threads: the GMainLoop thread owns the server, the valve list and the freeze flag (signals arrive
 * through g_unix_signal_add); gst-rtsp-server runs the media in its own streaming threads. */
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>
#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>

#define DEFAULT_PORT -1 /* required */
#define DEFAULT_PATH "/cam"
#define DEFAULT_WIDTH 640
#define DEFAULT_HEIGHT 360
#define DEFAULT_FPS 25
#define DEFAULT_PATTERN "ball"
#define DEFAULT_ADDRESS "127.0.0.1"
#define DEFAULT_ROLE "pantau-viewer"
#define MAX_DIM 4096
#define MAX_FPS 120

typedef enum { CAM_CODEC_H264 = 0, CAM_CODEC_H265, CAM_CODEC_MJPEG, CAM_CODEC_COUNT_ } cam_codec_t;

/* Encoder and payloader per codec; %d is the key-frame interval (ignored by JPEG). MJPEG exists to
 * test a camera whose codec the worker refuses. */
static const char *const cam_codec_names[CAM_CODEC_COUNT_] = {"h264", "h265", "mjpeg"};
static const char *const cam_encoders[CAM_CODEC_COUNT_] = {
    "x264enc tune=zerolatency speed-preset=ultrafast key-int-max=%d bframes=0 "
    "! rtph264pay name=pay0 pt=96 config-interval=-1",
    "x265enc tune=zerolatency speed-preset=ultrafast key-int-max=%d option-string=bframes=0 "
    "! rtph265pay name=pay0 pt=96 config-interval=-1",
    "jpegenc ! rtpjpegpay name=pay0 pt=26",
};

typedef struct {
    int port;
    const char *path;
    int width, height, fps;
    const char *pattern;
    bool has_color;
    uint32_t color; /* 0xRRGGBB */
    cam_codec_t codec;
    const char *user, *password;
    const char *format; /* raw format fed to the encoder: 4:2:2 / 4:4:4 make x264 pick High 4:2:2 /
                           4:4:4 profiles, so the decoder outputs Y42B / Y444, not I420 */
    bool has_offset;
    int offset_ms; /* --clock-offset-ms */
} cam_options_t;

static const char *const cam_formats[] = {"I420", "Y42B", "Y444", "NV12", "I420_10LE"};

typedef struct {
    const cam_options_t *opt;
    GstClock *clock; /* the offset clock, or NULL */
    GMainLoop *loop;
    GstRTSPServer *server;
    guint server_source; /* the listening socket's source in the default main context */
    GPtrArray *valves;   /* GstElement refs of every prepared media's freeze valve */
    bool frozen;
} cam_t;

/* ---- arguments ------------------------------------------------------------------------------- */

static void cam_usage(FILE *out)
{
    fprintf(out,
            "usage: pantau-test-camera --port N [--path /cam] [--size WxH] [--fps N]\n"
            "                          [--pattern P | --color 0xRRGGBB] [--codec h264|h265|mjpeg]\n"
            "                          [--user U --password P] [--clock-offset-ms MS]\n"
            "                          [--format I420|Y42B|Y444|NV12|I420_10LE]\n"
            "SIGUSR1 toggles FREEZE (no more RTP packets), SIGTERM exits.\n");
}

static bool parse_int(const char *s, int lo, int hi, int *out)
{
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

static bool parse_size(const char *s, int *w, int *h)
{
    char buf[32];
    if (strlen(s) >= sizeof buf)
        return false;
    strcpy(buf, s);
    char *x = strchr(buf, 'x');
    if (x == NULL)
        return false;
    *x = '\0';
    return parse_int(buf, 16, MAX_DIM, w) && parse_int(x + 1, 16, MAX_DIM, h) && *w % 2 == 0 &&
           *h % 2 == 0;
}

static bool parse_color(const char *s, uint32_t *out)
{
    char *end = NULL;
    unsigned long v = strtoul(s, &end, 16);
    if (end == s || *end != '\0' || v > 0xFFFFFFul)
        return false;
    *out = (uint32_t)v;
    return true;
}

/* Applies one option; false when its value is bad. */
static bool cam_option(cam_options_t *o, int c, const char *v)
{
    switch (c) {
    case 'p':
        return parse_int(v, 0, 65535, &o->port);
    case 'P':
        o->path = v;
        return v[0] == '/' && v[1] != '\0';
    case 's':
        return parse_size(v, &o->width, &o->height);
    case 'f':
        return parse_int(v, 1, MAX_FPS, &o->fps);
    case 't':
        o->pattern = v;
        return true;
    case 'c':
        o->has_color = true;
        return parse_color(v, &o->color);
    case 'k':
        for (int i = 0; i < CAM_CODEC_COUNT_; i++)
            if (strcmp(v, cam_codec_names[i]) == 0) {
                o->codec = (cam_codec_t)i;
                return true;
            }
        return false;
    case 'u':
        o->user = v;
        return true;
    case 'w':
        o->password = v;
        return true;
    case 'F':
        for (size_t i = 0; i < sizeof cam_formats / sizeof cam_formats[0]; i++)
            if (strcmp(v, cam_formats[i]) == 0) {
                o->format = cam_formats[i];
                return true;
            }
        return false;
    case 'o':
        o->has_offset = true;
        return parse_int(v, -86400000, 86400000, &o->offset_ms);
    default:
        return false;
    }
}

/* Fills *o from argv; on a bad argument writes the reason into err and returns false ("help" for
 * --help). */
static bool cam_parse(int argc, char **argv, cam_options_t *o, char *err, size_t cap)
{
    static const struct option longopts[] = {
        {"port", required_argument, NULL, 'p'},
        {"path", required_argument, NULL, 'P'},
        {"size", required_argument, NULL, 's'},
        {"fps", required_argument, NULL, 'f'},
        {"pattern", required_argument, NULL, 't'},
        {"color", required_argument, NULL, 'c'},
        {"codec", required_argument, NULL, 'k'},
        {"user", required_argument, NULL, 'u'},
        {"password", required_argument, NULL, 'w'},
        {"format", required_argument, NULL, 'F'},
        {"clock-offset-ms", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (cam_options_t){.port = DEFAULT_PORT,
                         .path = DEFAULT_PATH,
                         .width = DEFAULT_WIDTH,
                         .height = DEFAULT_HEIGHT,
                         .fps = DEFAULT_FPS,
                         .pattern = DEFAULT_PATTERN,
                         .format = "I420"};
    int c;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == 'h') {
            snprintf(err, cap, "help");
            return false;
        }
        if (c == '?' || c == ':') {
            snprintf(err, cap, "unknown option or missing value: %s", argv[optind - 1]);
            return false;
        }
        if (!cam_option(o, c, optarg)) {
            snprintf(err, cap, "bad value for %s: '%s'", argv[optind - 2], optarg);
            return false;
        }
    }
    if (optind < argc)
        snprintf(err, cap, "unexpected argument '%s'", argv[optind]);
    else if (o->port < 0)
        snprintf(err, cap, "--port is required (0 picks a free port)");
    else if ((o->user == NULL) != (o->password == NULL))
        snprintf(err, cap, "--user and --password go together");
    else
        return true;
    return false;
}

/* ---- media ----------------------------------------------------------------------------------- */

/* The gst-launch description of the shared media; caller frees. */
static char *cam_launch_line(const cam_options_t *o)
{
    char source[96];
    if (o->has_color)
        snprintf(source, sizeof source, "pattern=solid-color foreground-color=0x%08X",
                 0xFF000000u | o->color);
    else
        snprintf(source, sizeof source, "pattern=%s", o->pattern);
    char *encoder = g_strdup_printf(cam_encoders[o->codec], 2 * o->fps);
    char *line = g_strdup_printf("( videotestsrc is-live=true %s ! video/x-raw,width=%d,height=%d,"
                                 "framerate=%d/1 ! valve name=freeze drop=false ! videoconvert ! "
                                 "video/x-raw,format=%s ! %s )",
                                 source, o->width, o->height, o->fps, o->format, encoder);
    g_free(encoder);
    return line;
}

static void on_media_unprepared(GstRTSPMedia *media, gpointer user_data)
{
    cam_t *cam = user_data;
    GstElement *bin = gst_rtsp_media_get_element(media);
    GstElement *valve = gst_bin_get_by_name(GST_BIN(bin), "freeze");
    if (valve != NULL) {
        g_ptr_array_remove(cam->valves, valve); /* drops the array's ref */
        gst_object_unref(valve);
    }
    gst_object_unref(bin);
}

/* The media's rtpbin, when it is added: sender reports carry the capture time of the picture on
 * the camera's clock (the real one, or the offset one). */
static void on_element_added(GstBin *pipeline, GstElement *element, gpointer user_data)
{
    (void)pipeline;
    cam_t *cam = user_data;
    GstElementFactory *f = gst_element_get_factory(element);
    if (f == NULL || strcmp(GST_OBJECT_NAME(f), "rtpbin") != 0)
        return;
    g_object_set(element, "rtcp-sync-send-time", FALSE, NULL);
    gst_util_set_object_arg(G_OBJECT(element), "ntp-time-source",
                            cam->clock != NULL ? "clock-time" : "ntp");
}

static void on_media_configure(GstRTSPMediaFactory *factory, GstRTSPMedia *media,
                               gpointer user_data)
{
    (void)factory;
    cam_t *cam = user_data;
    GstElement *bin = gst_rtsp_media_get_element(media);
    GstObject *pipeline = gst_object_get_parent(GST_OBJECT(bin));
    if (pipeline != NULL) {
        g_signal_connect(pipeline, "element-added", G_CALLBACK(on_element_added), cam);
        gst_object_unref(pipeline);
    }
    if (cam->clock != NULL)
        gst_rtsp_media_set_clock(media, cam->clock);
    GstElement *valve = gst_bin_get_by_name(GST_BIN(bin), "freeze");
    if (valve != NULL) {
        g_object_set(valve, "drop", cam->frozen, NULL);
        g_ptr_array_add(cam->valves, valve); /* keeps the ref */
    }
    gst_object_unref(bin);
    g_signal_connect(media, "unprepared", G_CALLBACK(on_media_unprepared), cam);
}

static gboolean on_sigusr1(gpointer user_data)
{
    cam_t *cam = user_data;
    cam->frozen = !cam->frozen;
    for (guint i = 0; i < cam->valves->len; i++)
        g_object_set(g_ptr_array_index(cam->valves, i), "drop", cam->frozen, NULL);
    fprintf(stderr, "pantau-test-camera: %s\n", cam->frozen ? "FROZEN" : "running");
    return G_SOURCE_CONTINUE;
}

static gboolean on_quit(gpointer user_data)
{
    cam_t *cam = user_data;
    g_main_loop_quit(cam->loop);
    return G_SOURCE_CONTINUE;
}

/* Requires basic or digest authentication for the factory: only `user` may see and play it. */
static void cam_setup_auth(GstRTSPServer *server, GstRTSPMediaFactory *factory,
                           const cam_options_t *o)
{
    GstRTSPAuth *auth = gst_rtsp_auth_new();
    gst_rtsp_auth_set_supported_methods(auth, GST_RTSP_AUTH_BASIC | GST_RTSP_AUTH_DIGEST);
    GstRTSPToken *token =
        gst_rtsp_token_new(GST_RTSP_TOKEN_MEDIA_FACTORY_ROLE, G_TYPE_STRING, DEFAULT_ROLE, NULL);
    char *basic = gst_rtsp_auth_make_basic(o->user, o->password);
    gst_rtsp_auth_add_basic(auth, basic, token);
    gst_rtsp_auth_add_digest(auth, o->user, o->password, token);
    g_free(basic);
    gst_rtsp_token_unref(token);
    gst_rtsp_media_factory_add_role(factory, DEFAULT_ROLE, GST_RTSP_PERM_MEDIA_FACTORY_ACCESS,
                                    G_TYPE_BOOLEAN, TRUE, GST_RTSP_PERM_MEDIA_FACTORY_CONSTRUCT,
                                    G_TYPE_BOOLEAN, TRUE, NULL);
    gst_rtsp_server_set_auth(server, auth);
    g_object_unref(auth);
}

/* Creates the server with its one mount point and attaches it to the default main context.
 * Returns the bound port, or -1 when the port cannot be bound. */
static int cam_start(cam_t *cam, const cam_options_t *o)
{
    char service[16];
    snprintf(service, sizeof service, "%d", o->port);
    cam->server = gst_rtsp_server_new();
    gst_rtsp_server_set_address(cam->server, DEFAULT_ADDRESS);
    gst_rtsp_server_set_service(cam->server, service);

    GstRTSPMediaFactory *factory = gst_rtsp_media_factory_new();
    char *line = cam_launch_line(o);
    gst_rtsp_media_factory_set_launch(factory, line);
    g_free(line);
    gst_rtsp_media_factory_set_shared(factory, TRUE);
    g_signal_connect(factory, "media-configure", G_CALLBACK(on_media_configure), cam);
    if (o->user != NULL)
        cam_setup_auth(cam->server, factory, o);

    GstRTSPMountPoints *mounts = gst_rtsp_server_get_mount_points(cam->server);
    gst_rtsp_mount_points_add_factory(mounts, o->path, factory); /* takes factory */
    g_object_unref(mounts);

    cam->server_source = gst_rtsp_server_attach(cam->server, NULL);
    if (cam->server_source == 0)
        return -1;
    return gst_rtsp_server_get_bound_port(cam->server);
}

/* Closes every client session (so their media are unprepared) before the server goes. */
static GstRTSPFilterResult close_client(GstRTSPServer *server, GstRTSPClient *client, gpointer ud)
{
    (void)server;
    (void)client;
    (void)ud;
    return GST_RTSP_FILTER_REMOVE;
}

int main(int argc, char **argv)
{
    cam_options_t opt;
    char err[256] = "";
    if (!cam_parse(argc, argv, &opt, err, sizeof err)) {
        bool help = strcmp(err, "help") == 0;
        if (!help)
            fprintf(stderr, "pantau-test-camera: %s\n", err);
        cam_usage(help ? stdout : stderr);
        return help ? 0 : 2;
    }
    gst_init(NULL, NULL);

    cam_t cam = {.opt = &opt, .valves = g_ptr_array_new_with_free_func(gst_object_unref)};
    if (opt.has_offset) {
        /* NTP time (ns since 1900) = realtime + 70 years + the offset. */
        cam.clock = g_object_new(GST_TYPE_SYSTEM_CLOCK, "clock-type", GST_CLOCK_TYPE_REALTIME, NULL);
        gst_clock_set_calibration(cam.clock, 0,
                                  (GstClockTime)(2208988800ll * GST_SECOND +
                                                 (gint64)opt.offset_ms * GST_MSECOND),
                                  1, 1);
    }
    cam.loop = g_main_loop_new(NULL, FALSE);
    int rc = 0;
    int port = cam_start(&cam, &opt);
    if (port < 0) {
        fprintf(stderr, "pantau-test-camera: cannot listen on %s:%d\n", DEFAULT_ADDRESS, opt.port);
        rc = 1;
        goto out;
    }
    guint sig[3] = {
        g_unix_signal_add(SIGUSR1, on_sigusr1, &cam),
        g_unix_signal_add(SIGTERM, on_quit, &cam),
        g_unix_signal_add(SIGINT, on_quit, &cam),
    };
    printf("READY rtsp://%s:%d%s\n", DEFAULT_ADDRESS, port, opt.path);
    fflush(stdout);

    g_main_loop_run(cam.loop);

    for (int i = 0; i < 3; i++)
        g_source_remove(sig[i]);
    gst_rtsp_server_client_filter(cam.server, close_client, NULL);
    g_source_remove(cam.server_source);
out:
    g_ptr_array_unref(cam.valves);
    if (cam.clock != NULL)
        gst_object_unref(cam.clock);
    if (cam.server != NULL)
        g_object_unref(cam.server);
    g_main_loop_unref(cam.loop);
    return rc;
}
