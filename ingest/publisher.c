/* publisher: ZeroMQ PUB for frames and status (see publisher.h). The socket is used only from the
 * thread that created it; ZeroMQ releases zero-copy payloads through the caller's function.
 *
 * The worker's pipeline (full form in pipeline.c):
 *   gst-launch-1.0 rtspsrc location=URI ! rtph264depay ! h264parse ! avdec_h264 ! videoconvert \
 *     ! videoscale ! video/x-raw,format=I420,width=W,height=H ! appsink max-buffers=1 drop=true */
#include "publisher.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <zmq.h>

#define DEFAULT_IO_THREADS 1
#define DEFAULT_LINGER_MS 0
#define DEFAULT_DIR_MODE 0700
#define PUBLISHER_PATH_MAX 1024

struct publisher {
    void *ctx;
    void *sock;
    uint64_t failures;
    /* Topics someone subscribes to (XPUB reports the first subscription of a topic and the
     * unsubscription when its last subscriber leaves or disconnects). */
    uint8_t topics[PUBLISHER_MAX_TOPICS][WIRE_TOPIC_SIZE];
    size_t topic_len[PUBLISHER_MAX_TOPICS];
    int n_topics;
    bool frames_wanted;
};

/* Creates the missing folders above an ipc:// socket path, each with mode 0700 (existing ones are
 * left as they are). Returns 0, or -1 with errno set. */
static int publisher_make_dirs(const char *path)
{
    char dir[PUBLISHER_PATH_MAX];
    if (path[0] == '@' || strlen(path) >= sizeof dir) /* abstract namespace: no folder */
        return 0;
    strcpy(dir, path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1;; p++) {
        bool end = *p == '\0';
        if (*p != '/' && !end)
            continue;
        *p = '\0';
        if (mkdir(dir, DEFAULT_DIR_MODE) != 0 && errno != EEXIST)
            return -1;
        if (end)
            return 0;
        *p = '/';
    }
}

static int publisher_setup(publisher_t *pub, const char *endpoint, char *err, size_t cap)
{
    int hwm = PUBLISHER_SNDHWM, linger = DEFAULT_LINGER_MS, verbose = 1;
    if (strncmp(endpoint, "ipc://", 6) == 0 && publisher_make_dirs(endpoint + 6) != 0) {
        snprintf(err, cap, "cannot create the folder for %s: %s", endpoint, strerror(errno));
        return -1;
    }
    if ((pub->ctx = zmq_ctx_new()) == NULL ||
        zmq_ctx_set(pub->ctx, ZMQ_IO_THREADS, DEFAULT_IO_THREADS) != 0 ||
        (pub->sock = zmq_socket(pub->ctx, ZMQ_XPUB)) == NULL ||
        zmq_setsockopt(pub->sock, ZMQ_XPUB_VERBOSE, &verbose, sizeof verbose) != 0 ||
        zmq_setsockopt(pub->sock, ZMQ_SNDHWM, &hwm, sizeof hwm) != 0 ||
        zmq_setsockopt(pub->sock, ZMQ_LINGER, &linger, sizeof linger) != 0) {
        snprintf(err, cap, "ZeroMQ setup failed: %s", zmq_strerror(zmq_errno()));
        return -1;
    }
    if (zmq_bind(pub->sock, endpoint) != 0) {
        snprintf(err, cap, "cannot bind %s: %s", endpoint, zmq_strerror(zmq_errno()));
        return -1;
    }
    return 0;
}

publisher_t *publisher_new(const char *endpoint, char *err, size_t err_cap)
{
    if (endpoint == NULL) {
        snprintf(err, err_cap, "no endpoint");
        return NULL;
    }
    publisher_t *pub = calloc(1, sizeof *pub);
    if (pub == NULL) {
        snprintf(err, err_cap, "out of memory");
        return NULL;
    }
    if (publisher_setup(pub, endpoint, err, err_cap) != 0)
        publisher_destroy(&pub);
    return pub;
}

void publisher_destroy(publisher_t **pub)
{
    if (pub == NULL || *pub == NULL)
        return;
    if ((*pub)->sock != NULL)
        zmq_close((*pub)->sock);
    if ((*pub)->ctx != NULL)
        zmq_ctx_term((*pub)->ctx);
    free(*pub);
    *pub = NULL;
}

int publisher_send_frame(publisher_t *pub, const wire_frame_t *hdr, void *data, size_t len,
                         publisher_release_fn *release, void *hint)
{
    uint8_t head[WIRE_FRAME_HEADER_SIZE];
    zmq_msg_t payload;
    if (pub == NULL || hdr == NULL || wire_frame_encode(hdr, head) != WIRE_OK ||
        hdr->payload_len != len)
        goto fail;
    if (zmq_msg_init_data(&payload, data, len, release, hint) != 0)
        goto fail;
    /* From here ZeroMQ owns data: closing the message releases it if it was not sent. */
    if (zmq_send(pub->sock, head, sizeof head, ZMQ_SNDMORE | ZMQ_DONTWAIT) != (int)sizeof head ||
        zmq_msg_send(&payload, pub->sock, ZMQ_DONTWAIT) < 0) {
        zmq_msg_close(&payload);
        pub->failures++;
        return -1;
    }
    return 0;
fail:
    if (pub != NULL)
        pub->failures++;
    if (release != NULL)
        release(data, hint);
    return -1;
}

int publisher_send_status(publisher_t *pub, const wire_status_t *status)
{
    uint8_t buf[WIRE_STATUS_MAX_SIZE];
    if (pub == NULL)
        return -1;
    size_t n = wire_status_encode(status, buf, sizeof buf);
    if (n == 0 || zmq_send(pub->sock, buf, n, ZMQ_DONTWAIT) != (int)n) {
        pub->failures++;
        return -1;
    }
    return 0;
}

int publisher_send_info(publisher_t *pub, const wire_info_t *info)
{
    uint8_t buf[WIRE_INFO_SIZE];
    if (pub == NULL)
        return -1;
    if (wire_info_encode(info, buf) != WIRE_OK ||
        zmq_send(pub->sock, buf, sizeof buf, ZMQ_DONTWAIT) != (int)sizeof buf) {
        pub->failures++;
        return -1;
    }
    return 0;
}

/* Records one (un)subscription: msg[0] is 1 or 0, the rest the topic. Longer topics than a
 * message prefix only narrow what a subscriber gets: they are kept as their first 8 bytes. */
static void publisher_note(publisher_t *pub, const uint8_t *msg, size_t len)
{
    if (len < 1 || (msg[0] != 0 && msg[0] != 1))
        return;
    size_t tlen = len - 1 < WIRE_TOPIC_SIZE ? len - 1 : WIRE_TOPIC_SIZE;
    int i = 0;
    while (i < pub->n_topics &&
           (pub->topic_len[i] != tlen || memcmp(pub->topics[i], msg + 1, tlen) != 0))
        i++;
    if (msg[0] == 1 && i == pub->n_topics && pub->n_topics < PUBLISHER_MAX_TOPICS) {
        memcpy(pub->topics[i], msg + 1, tlen);
        pub->topic_len[i] = tlen;
        pub->n_topics++;
    } else if (msg[0] == 0 && i < pub->n_topics) {
        pub->n_topics--;
        memmove(pub->topics[i], pub->topics[pub->n_topics], WIRE_TOPIC_SIZE);
        pub->topic_len[i] = pub->topic_len[pub->n_topics];
    }
}

bool publisher_take_subscriptions(publisher_t *pub, bool *joined)
{
    uint8_t msg[64], frame_topic[WIRE_TOPIC_SIZE];
    if (joined != NULL)
        *joined = false;
    if (pub == NULL)
        return false;
    for (;;) {
        int n = zmq_recv(pub->sock, msg, sizeof msg, ZMQ_DONTWAIT);
        if (n < 0)
            break;
        size_t len = (size_t)n < sizeof msg ? (size_t)n : sizeof msg;
        if (len >= 1 && msg[0] == 1 && joined != NULL)
            *joined = true;
        publisher_note(pub, msg, len);
    }
    wire_topic(WIRE_KIND_FRAME, frame_topic);
    pub->frames_wanted = false;
    for (int i = 0; i < pub->n_topics; i++)
        if (memcmp(pub->topics[i], frame_topic, pub->topic_len[i]) == 0)
            pub->frames_wanted = true;
    return pub->frames_wanted;
}

bool publisher_frames_wanted(const publisher_t *pub)
{
    return pub != NULL && pub->frames_wanted;
}

int publisher_fd(const publisher_t *pub)
{
    int fd = -1;
    size_t len = sizeof fd;
    if (pub == NULL || zmq_getsockopt(pub->sock, ZMQ_FD, &fd, &len) != 0)
        return -1;
    return fd;
}

uint64_t publisher_failures(const publisher_t *pub)
{
    return pub != NULL ? pub->failures : 0;
}
