/* pantau-lossy-proxy: a TCP proxy on loopback for RTSP with interleaved RTP (transport=tcp) that
 * drops and reorders RTP packets on their way to the client, for fault-injection tests.
 *
 *   pantau-lossy-proxy --target PORT [--listen PORT] [--loss PCT] [--reorder PCT] [--seed N]
 *
 * Client -> server bytes pass unchanged. Server -> client, the stream is cut into RTSP messages
 * (headers + Content-Length body: passed unchanged) and interleaved packets ('$', channel, 16-bit
 * length): on even channels (RTP) each packet is dropped with probability loss %, or held back
 * and sent after the next packet of that connection with probability reorder %. RTCP (odd
 * channels) passes. Once listening it prints "READY PORT" on stdout (flushed). SIGTERM/SIGINT:
 * prints "STATS rtp=N dropped=N reordered=N" and exits 0. Bad arguments: stderr, exit 2.
 *
 * One thread, poll() over every connection; at most PROXY_MAX_CONN client connections. */
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define PROXY_MAX_CONN 8
#define PROXY_BUF (256 * 1024) /* server->client bytes not yet parsed */
#define PROXY_MAX_HEADERS 8192

typedef struct {
    int client, server;      /* -1 when closed */
    uint8_t *in;             /* server->client bytes not yet parsed */
    size_t in_len;
    uint8_t held[4 + 65535]; /* a packet held back for reordering */
    size_t held_len;
} conn_t;

static volatile sig_atomic_t quit_flag;
static unsigned long long n_rtp, n_dropped, n_reordered;

static void on_signal(int sig)
{
    (void)sig;
    quit_flag = 1;
}

static int send_all(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w, n -= (size_t)w;
    }
    return 0;
}

/* Length of the complete RTSP message at the start of p, 0 if incomplete, -1 if malformed. */
static long rtsp_message_len(const uint8_t *p, size_t n)
{
    size_t scan = n < PROXY_MAX_HEADERS ? n : PROXY_MAX_HEADERS;
    const uint8_t *end = memmem(p, scan, "\r\n\r\n", 4);
    if (end == NULL)
        return n >= PROXY_MAX_HEADERS ? -1 : 0;
    size_t head = (size_t)(end - p) + 4;
    long body = 0;
    for (const uint8_t *l = p; l < end;) {
        const uint8_t *nl = memmem(l, (size_t)(end - l) + 2, "\r\n", 2);
        if (strncasecmp((const char *)l, "Content-Length:", 15) == 0)
            body = strtol((const char *)l + 15, NULL, 10);
        l = nl + 2;
    }
    if (body < 0 || body > PROXY_BUF / 2)
        return -1;
    return head + (size_t)body <= n ? (long)(head + (size_t)body) : 0;
}

/* Forwards every complete unit in c->in to the client, applying loss and reordering. */
static int pump(conn_t *c, int loss, int reorder)
{
    size_t off = 0;
    while (off < c->in_len) {
        const uint8_t *p = c->in + off;
        size_t n = c->in_len - off;
        if (p[0] == '$') {
            if (n < 4 || n < 4 + (size_t)(p[2] << 8 | p[3]))
                break;
            size_t len = 4 + (size_t)(p[2] << 8 | p[3]);
            off += len;
            if (p[1] % 2 != 0) { /* RTCP */
                if (send_all(c->client, p, len) != 0)
                    return -1;
                continue;
            }
            n_rtp++;
            if (rand() % 100 < loss) {
                n_dropped++;
                continue;
            }
            if (c->held_len == 0 && rand() % 100 < reorder) {
                memcpy(c->held, p, len);
                c->held_len = len;
                n_reordered++;
                continue;
            }
            if (send_all(c->client, p, len) != 0)
                return -1;
            if (c->held_len > 0 && send_all(c->client, c->held, c->held_len) != 0)
                return -1;
            c->held_len = 0;
        } else {
            long len = rtsp_message_len(p, n);
            if (len < 0)
                return -1;
            if (len == 0)
                break;
            if (send_all(c->client, p, (size_t)len) != 0)
                return -1;
            off += (size_t)len;
        }
    }
    memmove(c->in, c->in + off, c->in_len - off);
    c->in_len -= off;
    return 0;
}

static void conn_close(conn_t *c)
{
    if (c->client >= 0)
        close(c->client);
    if (c->server >= 0)
        close(c->server);
    free(c->in);
    memset(c, 0, sizeof *c);
    c->client = c->server = -1;
}

static int tcp_socket(int port, bool listen_on)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    if (fd < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (listen_on ? bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 8) != 0
                  : connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void usage(void)
{
    fprintf(stderr, "usage: pantau-lossy-proxy --target PORT [--listen PORT] [--loss PCT] "
                    "[--reorder PCT] [--seed N]\n");
}

int main(int argc, char **argv)
{
    int target = -1, listen_port = 0, loss = 0, reorder = 0;
    unsigned seed = 1;
    static const struct option longopts[] = {
        {"target", required_argument, 0, 't'}, {"listen", required_argument, 0, 'l'},
        {"loss", required_argument, 0, 'p'},   {"reorder", required_argument, 0, 'r'},
        {"seed", required_argument, 0, 's'},   {0, 0, 0, 0}};
    for (int o; (o = getopt_long(argc, argv, "", longopts, NULL)) != -1;) {
        switch (o) {
        case 't': target = atoi(optarg); break;
        case 'l': listen_port = atoi(optarg); break;
        case 'p': loss = atoi(optarg); break;
        case 'r': reorder = atoi(optarg); break;
        case 's': seed = (unsigned)strtoul(optarg, NULL, 10); break;
        default: usage(); return 2;
        }
    }
    if (target <= 0 || target > 65535 || listen_port < 0 || listen_port > 65535 || loss < 0 ||
        loss > 100 || reorder < 0 || reorder > 100) {
        fprintf(stderr, "pantau-lossy-proxy: --target must be 1..65535, --listen 0..65535, "
                        "--loss and --reorder 0..100\n");
        usage();
        return 2;
    }
    srand(seed);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    int lfd = tcp_socket(listen_port, true);
    struct sockaddr_in a;
    socklen_t alen = sizeof a;
    if (lfd < 0 || getsockname(lfd, (struct sockaddr *)&a, &alen) != 0) {
        fprintf(stderr, "pantau-lossy-proxy: cannot listen on port %d: %s\n", listen_port,
                strerror(errno));
        return 1;
    }
    printf("READY %d\n", ntohs(a.sin_port));
    fflush(stdout);

    conn_t conns[PROXY_MAX_CONN];
    for (int i = 0; i < PROXY_MAX_CONN; i++) {
        memset(&conns[i], 0, sizeof conns[i]);
        conns[i].client = conns[i].server = -1;
    }
    uint8_t buf[65536];
    while (!quit_flag) {
        struct pollfd pf[1 + 2 * PROXY_MAX_CONN];
        int np = 0;
        pf[np++] = (struct pollfd){.fd = lfd, .events = POLLIN};
        for (int i = 0; i < PROXY_MAX_CONN; i++) {
            pf[np++] = (struct pollfd){.fd = conns[i].client, .events = POLLIN};
            pf[np++] = (struct pollfd){.fd = conns[i].server, .events = POLLIN};
        }
        if (poll(pf, (nfds_t)np, 200) < 0)
            continue;
        if (pf[0].revents & POLLIN) {
            int cfd = accept(lfd, NULL, NULL);
            int slot = -1;
            for (int i = 0; i < PROXY_MAX_CONN && slot < 0; i++)
                slot = conns[i].client < 0 ? i : -1;
            int sfd = cfd >= 0 && slot >= 0 ? tcp_socket(target, false) : -1;
            if (sfd < 0) {
                if (cfd >= 0)
                    close(cfd);
            } else {
                conns[slot].client = cfd;
                conns[slot].server = sfd;
                conns[slot].in = malloc(PROXY_BUF);
            }
        }
        for (int i = 0; i < PROXY_MAX_CONN; i++) {
            conn_t *c = &conns[i];
            short cre = pf[1 + 2 * i].revents, sre = pf[2 + 2 * i].revents;
            if (c->client < 0)
                continue;
            bool bad = false;
            if (cre & (POLLIN | POLLHUP | POLLERR)) {
                ssize_t n = recv(c->client, buf, sizeof buf, 0);
                bad = n <= 0 || send_all(c->server, buf, (size_t)n) != 0;
            }
            if (!bad && (sre & (POLLIN | POLLHUP | POLLERR))) {
                ssize_t n = recv(c->server, c->in + c->in_len, PROXY_BUF - c->in_len, 0);
                bad = n <= 0;
                if (!bad) {
                    c->in_len += (size_t)n;
                    bad = pump(c, loss, reorder) != 0 || c->in_len == PROXY_BUF;
                }
            }
            if (bad)
                conn_close(c);
        }
    }
    for (int i = 0; i < PROXY_MAX_CONN; i++)
        if (conns[i].client >= 0)
            conn_close(&conns[i]);
    close(lfd);
    printf("STATS rtp=%llu dropped=%llu reordered=%llu\n", n_rtp, n_dropped, n_reordered);
    fflush(stdout);
    return 0;
}
