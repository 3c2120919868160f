/* pantau-bench-camera: an RTSP camera on loopback that loops a pre-encoded H.264 clip without
 * re-encoding, so that N cameras cost almost no CPU next to the decoders being measured.
 *
 *   pantau-bench-camera --clip FILE.h264 --port N [--path /cam] [--fps 25]
 *
 * FILE.h264 is an Annex-B byte stream with an access-unit delimiter (NAL type 9) before every
 * picture (x264 `aud=1`), starting with an IDR, whose length is a whole number of GOPs, so the loop
 * point is a key frame. The file is read once and split at the delimiters; a pacing thread pushes
 * one access unit every 1/fps s (absolute deadlines on CLOCK_MONOTONIC) into each playing client's
 * media, starting at a key frame, so no re-encoding and no burst at start:
 *
 *   appsrc is-live=true do-timestamp=true format=time ! h264parse \
 *     ! rtph264pay name=pay0 pt=96 config-interval=-1
 *
 * Its RTCP sender reports carry the wall clock at capture (rtpbin ntp-time-source=ntp,
 * rtcp-sync-send-time=false), like a camera synchronised by NTP.
 *
 * Once the server listens it prints "READY rtsp://127.0.0.1:PORT/PATH" (flushed). SIGTERM/SIGINT
 * exit 0; bad arguments or an unreadable clip: a message on stderr, exit 2.
 *
 * Threads: the GMainLoop thread owns the server and the media list; the pacing thread reads the
 * clip (immutable after start) and pushes into the appsrc list under `lock`. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glib-unix.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>
#include <gst/rtsp-server/rtsp-server.h>

#define DEFAULT_PATH "/cam"
#define DEFAULT_FPS 25
#define DEFAULT_ADDRESS "127.0.0.1"
#define MAX_FPS 120
#define MAX_CLIP_BYTES (512u * 1024u * 1024u)

typedef struct {
    uint8_t *data;     /* whole file */
    size_t *au_off;    /* start of each access unit */
    size_t *au_len;
    bool *au_key;      /* the access unit holds an IDR slice (NAL type 5) */
    size_t n_au;
} clip_t;

typedef struct {
    clip_t clip;
    int fps;
    GMutex lock;      /* guards srcs */
    GPtrArray *srcs;  /* client_t*, one per prepared media */
    volatile gint stop;
    GThread *pacer;
    GMainLoop *loop;
} bench_cam_t;

/* One client's media. Buffers go in only once the media plays (frames queued while it prepares
 * would leave in a burst), and from a key frame on, as a camera's first frame would be. */
typedef struct {
    GstAppSrc *src;  /* ref held */
    bool started;    /* pacing thread only: a key frame went in */
} client_t;

static void client_free(gpointer p)
{
    client_t *c = p;
    gst_object_unref(c->src);
    g_free(c);
}

static bool read_file(const char *path, uint8_t **out, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return false;
    bool ok = false;
    uint8_t *buf = NULL;
    if (fseek(f, 0, SEEK_END) != 0)
        goto done;
    long n = ftell(f);
    if (n <= 0 || (unsigned long)n > MAX_CLIP_BYTES || fseek(f, 0, SEEK_SET) != 0)
        goto done;
    buf = malloc((size_t)n);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n)
        goto done;
    *out = buf;
    *len = (size_t)n;
    buf = NULL;
    ok = true;
done:
    free(buf);
    fclose(f);
    return ok;
}

/* Offset of the next 00 00 01 start code at or after `i` (of its first zero byte, including a
 * leading zero of a 4-byte code), or `len`. */
static size_t next_start(const uint8_t *d, size_t len, size_t i, size_t *nal_at)
{
    for (; i + 3 <= len; i++) {
        if (d[i] == 0 && d[i + 1] == 0 && d[i + 2] == 1) {
            *nal_at = i + 3;
            return (i > 0 && d[i - 1] == 0) ? i - 1 : i;
        }
    }
    *nal_at = len;
    return len;
}

/* Splits the byte stream at access-unit delimiters. Returns false (with a reason) when the file
 * has none or does not start with one. */
static bool clip_split(clip_t *c, size_t len, const char **why)
{
    size_t cap = 1024, n = 0, nal = 0, pos = 0;
    c->au_off = malloc(cap * sizeof *c->au_off);
    c->au_len = malloc(cap * sizeof *c->au_len);
    c->au_key = malloc(cap * sizeof *c->au_key);
    if (c->au_off == NULL || c->au_len == NULL || c->au_key == NULL) {
        *why = "out of memory";
        return false;
    }
    while ((pos = next_start(c->data, len, pos, &nal)) < len) {
        if (nal < len && (c->data[nal] & 0x1f) == 9) {
            if (n == 0 && pos != 0) {
                *why = "the first NAL unit is not an access-unit delimiter (encode with aud=1)";
                return false;
            }
            if (n == cap) {
                cap *= 2;
                size_t *o = realloc(c->au_off, cap * sizeof *o);
                if (o != NULL)
                    c->au_off = o;
                size_t *l = realloc(c->au_len, cap * sizeof *l);
                if (l != NULL)
                    c->au_len = l;
                bool *k = realloc(c->au_key, cap * sizeof *k);
                if (k != NULL)
                    c->au_key = k;
                if (o == NULL || l == NULL || k == NULL) {
                    *why = "out of memory";
                    return false;
                }
            }
            if (n > 0)
                c->au_len[n - 1] = pos - c->au_off[n - 1];
            c->au_key[n] = false;
            c->au_off[n++] = pos;
        } else if (nal < len && n > 0 && (c->data[nal] & 0x1f) == 5) {
            c->au_key[n - 1] = true;
        }
        pos = nal;
    }
    if (n == 0) {
        *why = "no access-unit delimiter in the file (encode with aud=1)";
        return false;
    }
    c->au_len[n - 1] = len - c->au_off[n - 1];
    c->n_au = n;
    if (!c->au_key[0]) {
        *why = "the clip does not start with an IDR picture";
        return false;
    }
    return true;
}

static gpointer pace(gpointer data)
{
    bench_cam_t *cam = data;
    uint64_t period = 1000000000ull / (uint64_t)cam->fps;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    size_t i = 0;
    while (!g_atomic_int_get(&cam->stop)) {
        g_mutex_lock(&cam->lock);
        for (guint k = 0; k < cam->srcs->len; k++) {
            client_t *cl = g_ptr_array_index(cam->srcs, k);
            if (GST_STATE(cl->src) != GST_STATE_PLAYING || (!cl->started && !cam->clip.au_key[i]))
                continue;
            cl->started = true;
            GstBuffer *b = gst_buffer_new_memdup(cam->clip.data + cam->clip.au_off[i],
                                                 cam->clip.au_len[i]);
            GST_BUFFER_DURATION(b) = period;
            gst_app_src_push_buffer(cl->src, b); /* takes b */
        }
        g_mutex_unlock(&cam->lock);
        i = (i + 1) % cam->clip.n_au;
        uint64_t ns = (uint64_t)next.tv_nsec + period;
        next.tv_sec += (time_t)(ns / 1000000000ull);
        next.tv_nsec = (long)(ns % 1000000000ull);
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR) {
        }
    }
    return NULL;
}

static void media_unprepared(GstRTSPMedia *media, gpointer data)
{
    bench_cam_t *cam = data;
    client_t *cl = g_object_get_data(G_OBJECT(media), "bench-client");
    g_mutex_lock(&cam->lock);
    if (cl != NULL && g_ptr_array_remove(cam->srcs, cl))
        g_object_set_data(G_OBJECT(media), "bench-client", NULL);
    g_mutex_unlock(&cam->lock);
}

/* The media's rtpbin: sender reports map RTP time to the wall clock at capture (here: the moment
 * the pacer pushed the access unit, appsrc do-timestamp), not at sending, so a receiver measures
 * camera-to-screen latency from the camera's clock. */
static void rtpbin_added(GstBin *pipeline, GstElement *element, gpointer data)
{
    (void)pipeline;
    (void)data;
    GstElementFactory *f = gst_element_get_factory(element);
    if (f == NULL || strcmp(GST_OBJECT_NAME(f), "rtpbin") != 0)
        return;
    g_object_set(element, "rtcp-sync-send-time", FALSE, NULL);
    gst_util_set_object_arg(G_OBJECT(element), "ntp-time-source", "ntp");
}

static void media_configure(GstRTSPMediaFactory *f, GstRTSPMedia *media, gpointer data)
{
    (void)f;
    bench_cam_t *cam = data;
    GstElement *bin = gst_rtsp_media_get_element(media);
    GstObject *pipeline = gst_object_get_parent(GST_OBJECT(bin));
    if (pipeline != NULL) {
        g_signal_connect(pipeline, "element-added", G_CALLBACK(rtpbin_added), NULL);
        gst_object_unref(pipeline);
    }
    GstElement *src = gst_bin_get_by_name_recurse_up(GST_BIN(bin), "src");
    gst_object_unref(bin);
    if (src == NULL)
        return;
    GstCaps *caps = gst_caps_new_simple("video/x-h264", "stream-format", G_TYPE_STRING,
                                        "byte-stream", "alignment", G_TYPE_STRING, "au", NULL);
    g_object_set(src, "caps", caps, NULL);
    gst_caps_unref(caps);
    client_t *cl = g_new0(client_t, 1);
    cl->src = GST_APP_SRC(src); /* takes the ref from get_by_name */
    g_mutex_lock(&cam->lock);
    g_ptr_array_add(cam->srcs, cl);
    g_object_set_data(G_OBJECT(media), "bench-client", cl);
    g_mutex_unlock(&cam->lock);
    g_signal_connect(media, "unprepared", G_CALLBACK(media_unprepared), cam);
}

static gboolean on_quit(gpointer data)
{
    g_main_loop_quit(((bench_cam_t *)data)->loop);
    return G_SOURCE_CONTINUE;
}

static int usage(const char *msg)
{
    fprintf(stderr, "pantau-bench-camera: %s\nusage: pantau-bench-camera --clip FILE.h264 --port N "
                    "[--path /cam] [--fps 1..%d]\n", msg, MAX_FPS);
    return 2;
}

int main(int argc, char **argv)
{
    const char *clip_path = NULL, *path = DEFAULT_PATH;
    int port = -1, fps = DEFAULT_FPS;
    static const struct option opts[] = {{"clip", required_argument, 0, 'c'},
                                         {"port", required_argument, 0, 'p'},
                                         {"path", required_argument, 0, 'P'},
                                         {"fps", required_argument, 0, 'f'},
                                         {0, 0, 0, 0}};
    int o;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        char *end = NULL;
        switch (o) {
        case 'c': clip_path = optarg; break;
        case 'P': path = optarg; break;
        case 'p':
            port = (int)strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || port < 0 || port > 65535)
                return usage("--port must be 0..65535");
            break;
        case 'f':
            fps = (int)strtol(optarg, &end, 10);
            if (*optarg == '\0' || *end != '\0' || fps < 1 || fps > MAX_FPS)
                return usage("--fps out of range");
            break;
        default: return usage("unknown option");
        }
    }
    if (clip_path == NULL || port < 0)
        return usage("--clip and --port are required");
    if (path[0] != '/')
        return usage("--path must start with '/'");

    bench_cam_t cam = {.fps = fps};
    size_t len = 0;
    const char *why = NULL;
    if (!read_file(clip_path, &cam.clip.data, &len)) {
        fprintf(stderr, "pantau-bench-camera: cannot read clip %s (missing, empty or > %u bytes)\n",
                clip_path, MAX_CLIP_BYTES);
        return 2;
    }
    if (!clip_split(&cam.clip, len, &why)) {
        fprintf(stderr, "pantau-bench-camera: clip %s: %s\n", clip_path, why);
        free(cam.clip.data);
        free(cam.clip.au_off);
        free(cam.clip.au_len);
        free(cam.clip.au_key);
        return 2;
    }
    gst_init(&argc, &argv);
    g_mutex_init(&cam.lock);
    cam.srcs = g_ptr_array_new_with_free_func(client_free);
    cam.loop = g_main_loop_new(NULL, FALSE);

    GstRTSPServer *server = gst_rtsp_server_new();
    gst_rtsp_server_set_address(server, DEFAULT_ADDRESS);
    char port_s[16];
    snprintf(port_s, sizeof port_s, "%d", port);
    gst_rtsp_server_set_service(server, port_s);
    GstRTSPMediaFactory *factory = gst_rtsp_media_factory_new();
    gst_rtsp_media_factory_set_launch(
        factory, "( appsrc name=src is-live=true do-timestamp=true format=time "
                 "! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1 )");
    gst_rtsp_media_factory_set_shared(factory, FALSE);
    g_signal_connect(factory, "media-configure", G_CALLBACK(media_configure), &cam);
    GstRTSPMountPoints *mounts = gst_rtsp_server_get_mount_points(server);
    gst_rtsp_mount_points_add_factory(mounts, path, factory);
    g_object_unref(mounts);
    int rc = 0;
    if (gst_rtsp_server_attach(server, NULL) == 0) {
        fprintf(stderr, "pantau-bench-camera: cannot listen on %s:%d\n", DEFAULT_ADDRESS, port);
        rc = 2;
        goto out;
    }
    printf("READY rtsp://%s:%d%s (%zu frames, %d fps)\n", DEFAULT_ADDRESS,
           gst_rtsp_server_get_bound_port(server), path, cam.clip.n_au, fps);
    fflush(stdout);
    g_unix_signal_add(SIGTERM, on_quit, &cam);
    g_unix_signal_add(SIGINT, on_quit, &cam);
    cam.pacer = g_thread_new("pacer", pace, &cam);
    g_main_loop_run(cam.loop);
    g_atomic_int_set(&cam.stop, 1);
    g_thread_join(cam.pacer);
out:
    g_object_unref(server);
    g_main_loop_unref(cam.loop);
    g_ptr_array_unref(cam.srcs);
    g_mutex_clear(&cam.lock);
    free(cam.clip.data);
    free(cam.clip.au_off);
    free(cam.clip.au_len);
    free(cam.clip.au_key);
    return rc;
}
