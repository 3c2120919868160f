/* harness: sandbox, processes, waiting, images and a ZeroMQ SUB for integration tests (see
 * harness.h). Processes are started with fork/exec so the child can ask for PR_SET_PDEATHSIG and
 * have its outputs redirected to files before exec. Single-threaded. */
#include "harness.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <SDL.h>
#include <SDL_image.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <zmq.h>

#ifndef PANTAU_BUILD_DIR
#define PANTAU_BUILD_DIR "build"
#endif

#define HARNESS_LINE_MAX 4096

struct harness_proc {
    harness_t *owner;
    char name[64];
    pid_t pid;
    bool exited;
    int status; /* exit code, or -signal */
    char *out_path, *err_path;
    long out_start; /* size of the stdout file at spawn: lines before it are an earlier run's */
};

struct harness {
    char *dir;
    harness_proc_t procs[HARNESS_MAX_PROCS];
    int nprocs;
};

struct harness_sub {
    void *ctx;
    void *sock;
};

/* ---- sandbox --------------------------------------------------------------------------------- */

harness_t *harness_new(void)
{
    harness_t *h = g_new0(harness_t, 1);
    h->dir = g_strdup("/tmp/pantau-it-XXXXXX");
    if (g_mkdtemp_full(h->dir, 0700) == NULL) {
        g_free(h->dir);
        g_free(h);
        return NULL;
    }
    return h;
}

static void harness_remove_tree(const char *path)
{
    GDir *d = g_dir_open(path, 0, NULL);
    if (d != NULL) {
        const char *name;
        while ((name = g_dir_read_name(d)) != NULL) {
            char *child = g_build_filename(path, name, NULL);
            if (g_file_test(child, G_FILE_TEST_IS_DIR) &&
                !g_file_test(child, G_FILE_TEST_IS_SYMLINK))
                harness_remove_tree(child);
            else
                g_unlink(child);
            g_free(child);
        }
        g_dir_close(d);
    }
    g_rmdir(path);
}

void harness_destroy(harness_t **hp)
{
    if (hp == NULL || *hp == NULL)
        return;
    harness_t *h = *hp;
    for (int i = 0; i < h->nprocs; i++)
        harness_signal(&h->procs[i], SIGTERM);
    for (int i = 0; i < h->nprocs; i++) {
        harness_proc_t *p = &h->procs[i];
        if (!harness_wait_exit(p, HARNESS_KILL_GRACE_MS, NULL)) {
            kill(p->pid, SIGKILL);
            harness_wait_exit(p, HARNESS_KILL_GRACE_MS, NULL);
        }
        g_free(p->out_path);
        g_free(p->err_path);
    }
    const char *keep = getenv("PANTAU_KEEP_TEST_DIR");
    if (keep != NULL && strcmp(keep, "1") == 0)
        harness_note("kept test folder %s", h->dir);
    else
        harness_remove_tree(h->dir);
    g_free(h->dir);
    g_free(h);
    *hp = NULL;
}

const char *harness_dir(const harness_t *h)
{
    return h->dir;
}

char *harness_path(const harness_t *h, const char *name)
{
    return g_build_filename(h->dir, name, NULL);
}

char *harness_write_file(const harness_t *h, const char *name, const char *text, int mode)
{
    char *path = harness_path(h, name);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    size_t len = strlen(text);
    bool ok = fd >= 0 && write(fd, text, len) == (ssize_t)len && fchmod(fd, (mode_t)mode) == 0;
    if (fd >= 0)
        close(fd);
    if (!ok) {
        g_free(path);
        return NULL;
    }
    return path;
}

char *harness_bin(const char *name)
{
    const char *env = getenv("PANTAU_BUILD_DIR");
    const char *dir = env != NULL && env[0] != '\0' ? env : PANTAU_BUILD_DIR;
    char *cand[2] = {g_build_filename(dir, name, NULL), g_build_filename(dir, "tests", name, NULL)};
    char *found = NULL;
    for (int i = 0; i < 2; i++) {
        if (found == NULL && g_file_test(cand[i], G_FILE_TEST_IS_EXECUTABLE))
            found = cand[i];
        else
            g_free(cand[i]);
    }
    return found;
}

int harness_free_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    socklen_t len = sizeof a;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    int port = -1;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

/* ---- processes ------------------------------------------------------------------------------- */

/* In the child: outputs to files, die with the parent, extra environment, exec. Never returns. */
static void harness_child(const harness_proc_t *p, const char *dir, const char *const *argv,
                          const char *const *env)
{
    int out = open(p->out_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    int err = open(p->err_path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (out < 0 || err < 0 || dup2(out, STDOUT_FILENO) < 0 || dup2(err, STDERR_FILENO) < 0)
        _exit(127);
    close(out);
    close(err);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() == 1) /* the parent died before prctl */
        _exit(127);
    if (chdir(dir) != 0)
        _exit(127);
    for (int i = 0; env != NULL && env[i] != NULL; i++)
        putenv((char *)env[i]);
    execv(argv[0], (char *const *)argv);
    _exit(127);
}

static long harness_file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

harness_proc_t *harness_spawn(harness_t *h, const char *name, const char *const *argv,
                              const char *const *env)
{
    if (h == NULL || name == NULL || argv == NULL || argv[0] == NULL ||
        h->nprocs >= HARNESS_MAX_PROCS)
        return NULL;
    harness_proc_t *p = &h->procs[h->nprocs];
    memset(p, 0, sizeof *p);
    p->owner = h;
    snprintf(p->name, sizeof p->name, "%s", name);
    char *base = g_strdup_printf("%s.stdout", name);
    p->out_path = harness_path(h, base);
    g_free(base);
    base = g_strdup_printf("%s.stderr", name);
    p->err_path = harness_path(h, base);
    g_free(base);
    p->out_start = harness_file_size(p->out_path);
    fflush(NULL);
    p->pid = fork();
    if (p->pid == 0)
        harness_child(p, h->dir, argv, env);
    if (p->pid < 0) {
        g_free(p->out_path);
        g_free(p->err_path);
        return NULL;
    }
    h->nprocs++;
    return p;
}

pid_t harness_proc_pid(const harness_proc_t *p)
{
    return p->pid;
}

const char *harness_proc_stdout(const harness_proc_t *p)
{
    return p->out_path;
}

const char *harness_proc_stderr(const harness_proc_t *p)
{
    return p->err_path;
}

bool harness_running(harness_proc_t *p)
{
    if (p == NULL || p->exited)
        return false;
    int st;
    pid_t r = waitpid(p->pid, &st, WNOHANG);
    if (r == 0)
        return true;
    p->exited = true;
    if (r == p->pid)
        p->status = WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
    return false;
}

int harness_signal(harness_proc_t *p, int sig)
{
    if (!harness_running(p))
        return -1;
    return kill(p->pid, sig) == 0 ? 0 : -1;
}

static bool harness_exited_pred(void *ctx)
{
    return !harness_running(ctx);
}

bool harness_wait_exit(harness_proc_t *p, int timeout_ms, int *status)
{
    if (p == NULL || !harness_wait_until(harness_exited_pred, p, timeout_ms))
        return false;
    if (status != NULL)
        *status = p->status;
    return true;
}

int harness_run(harness_t *h, const char *name, const char *const *argv, const char *const *env,
                int timeout_ms)
{
    harness_proc_t *p = harness_spawn(h, name, argv, env);
    int status;
    if (p == NULL)
        return INT32_MIN;
    if (harness_wait_exit(p, timeout_ms, &status))
        return status;
    kill(p->pid, SIGKILL);
    harness_wait_exit(p, HARNESS_KILL_GRACE_MS, NULL);
    return INT32_MIN;
}

typedef struct {
    harness_proc_t *proc;
    const char *prefix;
    char *line;
    size_t cap;
    bool found;
} harness_line_ctx_t;

/* Looks for the line in the part of stdout written since the spawn. */
static bool harness_line_pred(void *ctx)
{
    harness_line_ctx_t *c = ctx;
    size_t len = 0;
    char *text = harness_read_file(c->proc->out_path, &len);
    if (text != NULL && (size_t)c->proc->out_start <= len) {
        size_t plen = strlen(c->prefix);
        for (char *s = text + c->proc->out_start; s != NULL && *s != '\0' && !c->found;) {
            char *nl = strchr(s, '\n');
            if (nl != NULL && strncmp(s, c->prefix, plen) == 0) { /* complete lines only */
                c->found = true;
                if (c->line != NULL && c->cap > 0)
                    snprintf(c->line, c->cap, "%.*s", (int)(nl - s), s);
            }
            s = nl != NULL ? nl + 1 : NULL;
        }
    }
    g_free(text);
    return c->found || !harness_running(c->proc);
}

bool harness_wait_line(harness_proc_t *p, const char *prefix, char *line, size_t cap,
                       int timeout_ms)
{
    harness_line_ctx_t c = {.proc = p, .prefix = prefix, .line = line, .cap = cap};
    if (p == NULL || prefix == NULL)
        return false;
    harness_wait_until(harness_line_pred, &c, timeout_ms);
    return c.found;
}

/* ---- files and waiting ----------------------------------------------------------------------- */

char *harness_read_file(const char *path, size_t *len)
{
    char *text = NULL;
    gsize n = 0;
    if (!g_file_get_contents(path, &text, &n, NULL))
        return NULL;
    if (len != NULL)
        *len = n;
    return text;
}

bool harness_file_contains(const char *path, const char *needle)
{
    char *text = harness_read_file(path, NULL);
    bool found = text != NULL && strstr(text, needle) != NULL;
    g_free(text);
    return found;
}

bool harness_status_field(const char *path, const char *id, const char *key, char *out,
                          size_t cap)
{
    char *text = harness_read_file(path, NULL);
    bool found = false;
    out[0] = '\0';
    if (text == NULL)
        return false;
    char prefix[80], k[80];
    snprintf(prefix, sizeof prefix, "camera=%s ", id != NULL ? id : "");
    snprintf(k, sizeof k, " %s=", key);
    for (char *line = strtok(text, "\n"); line != NULL; line = strtok(NULL, "\n")) {
        if (id != NULL ? strncmp(line, prefix, strlen(prefix)) != 0 : line[0] != '#')
            continue;
        char *v = strstr(line, k);
        if (v != NULL) {
            v += strlen(k);
            bool quoted = *v == '"';
            size_t n = quoted ? strcspn(v + 1, "\"") : strcspn(v, " ");
            snprintf(out, cap, "%.*s", (int)n, v + (quoted ? 1 : 0));
            found = true;
        }
        break;
    }
    g_free(text);
    return found;
}

uint64_t harness_now_ms(void)
{
    return (uint64_t)(g_get_monotonic_time() / 1000);
}

bool harness_wait_until(harness_pred_fn *pred, void *ctx, int timeout_ms)
{
    uint64_t end = harness_now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);
    for (;;) {
        if (pred(ctx))
            return true;
        if (harness_now_ms() >= end)
            return false;
        g_usleep(HARNESS_POLL_MS * 1000);
    }
}

void harness_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    printf("# ");
    vprintf(fmt, ap);
    printf("\n");
    fflush(stdout);
    va_end(ap);
}

/* ---- images ---------------------------------------------------------------------------------- */

bool harness_png_mean_rgb(const char *path, int x, int y, int w, int h, double rgb[3])
{
    SDL_Surface *img = IMG_Load(path);
    if (img == NULL)
        return false;
    SDL_Surface *s = SDL_ConvertSurfaceFormat(img, SDL_PIXELFORMAT_RGB24, 0);
    SDL_FreeSurface(img);
    if (s == NULL)
        return false;
    int x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
    int x1 = x + w > s->w ? s->w : x + w, y1 = y + h > s->h ? s->h : y + h;
    double sum[3] = {0, 0, 0};
    long n = 0;
    for (int yy = y0; yy < y1; yy++) {
        const uint8_t *row = (const uint8_t *)s->pixels + (size_t)yy * (size_t)s->pitch;
        for (int xx = x0; xx < x1; xx++, n++)
            for (int c = 0; c < 3; c++)
                sum[c] += row[3 * xx + c];
    }
    SDL_FreeSurface(s);
    if (n == 0)
        return false;
    for (int c = 0; c < 3; c++)
        rgb[c] = sum[c] / (double)n;
    return true;
}

/* ---- ZeroMQ ---------------------------------------------------------------------------------- */

harness_sub_t *harness_sub_new(const char *endpoint)
{
    harness_sub_t *s = g_new0(harness_sub_t, 1);
    int linger = 0;
    s->ctx = zmq_ctx_new();
    s->sock = s->ctx != NULL ? zmq_socket(s->ctx, ZMQ_SUB) : NULL;
    if (s->sock == NULL || zmq_setsockopt(s->sock, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
        zmq_setsockopt(s->sock, ZMQ_SUBSCRIBE, "", 0) != 0 || zmq_connect(s->sock, endpoint) != 0)
        harness_sub_destroy(&s);
    return s;
}

void harness_sub_destroy(harness_sub_t **sp)
{
    if (sp == NULL || *sp == NULL)
        return;
    if ((*sp)->sock != NULL)
        zmq_close((*sp)->sock);
    if ((*sp)->ctx != NULL)
        zmq_ctx_term((*sp)->ctx);
    g_free(*sp);
    *sp = NULL;
}

void harness_msg_clear(harness_msg_t *msg)
{
    if (msg == NULL)
        return;
    g_free(msg->payload);
    memset(msg, 0, sizeof *msg);
}

/* Receives the rest of a multipart message (to keep the socket in step); returns the parts read. */
static int harness_drain(void *sock)
{
    int more = 0, n = 0;
    size_t sz = sizeof more;
    while (zmq_getsockopt(sock, ZMQ_RCVMORE, &more, &sz) == 0 && more) {
        zmq_msg_t part;
        zmq_msg_init(&part);
        zmq_msg_recv(&part, sock, 0);
        zmq_msg_close(&part);
        n++;
    }
    return n;
}

/* Decodes head (+ the payload part for a frame) into msg. */
static int harness_decode(void *sock, zmq_msg_t *head, harness_msg_t *msg)
{
    wire_kind_t kind;
    if (wire_peek_kind(zmq_msg_data(head), zmq_msg_size(head), &kind) != WIRE_OK)
        return -2;
    if (kind == WIRE_KIND_STATUS) {
        if (wire_status_decode(zmq_msg_data(head), zmq_msg_size(head), &msg->status) != WIRE_OK)
            return -2;
        msg->kind = kind;
        return 0;
    }
    if (kind == WIRE_KIND_INFO) {
        if (wire_info_decode(zmq_msg_data(head), zmq_msg_size(head), &msg->info) != WIRE_OK)
            return -2;
        msg->kind = kind;
        return 0;
    }
    int more = 0;
    size_t sz = sizeof more;
    zmq_getsockopt(sock, ZMQ_RCVMORE, &more, &sz);
    if (!more)
        return -2;
    zmq_msg_t body;
    zmq_msg_init(&body);
    int rc = -2;
    if (zmq_msg_recv(&body, sock, 0) >= 0 &&
        wire_frame_decode(zmq_msg_data(head), zmq_msg_size(head), zmq_msg_size(&body),
                          &msg->frame) == WIRE_OK) {
        msg->kind = kind;
        msg->payload_len = zmq_msg_size(&body);
        msg->payload = g_memdup2(zmq_msg_data(&body), msg->payload_len);
        rc = 0;
    }
    zmq_msg_close(&body);
    return rc;
}

int harness_sub_recv(harness_sub_t *s, int timeout_ms, harness_msg_t *msg)
{
    memset(msg, 0, sizeof *msg);
    zmq_pollitem_t item = {.socket = s->sock, .events = ZMQ_POLLIN};
    if (zmq_poll(&item, 1, timeout_ms) <= 0)
        return -1;
    zmq_msg_t head;
    zmq_msg_init(&head);
    if (zmq_msg_recv(&head, s->sock, 0) < 0) {
        zmq_msg_close(&head);
        return -1;
    }
    msg->recv_ns = wire_now_ns();
    int rc = harness_decode(s->sock, &head, msg);
    zmq_msg_close(&head);
    harness_drain(s->sock);
    return rc;
}

static int harness_left_ms(uint64_t end)
{
    uint64_t now = harness_now_ms();
    return now >= end ? 0 : (int)(end - now);
}

bool harness_sub_wait_status(harness_sub_t *s, harness_status_pred_fn *pred, void *ctx,
                             int timeout_ms, wire_status_t *out)
{
    uint64_t end = harness_now_ms() + (uint64_t)timeout_ms;
    harness_msg_t m;
    do {
        if (harness_sub_recv(s, harness_left_ms(end), &m) == 0 && m.kind == WIRE_KIND_STATUS &&
            (pred == NULL || pred(&m.status, ctx))) {
            if (out != NULL)
                *out = m.status;
            harness_msg_clear(&m);
            return true;
        }
        harness_msg_clear(&m);
    } while (harness_left_ms(end) > 0);
    return false;
}

bool harness_sub_wait_frame(harness_sub_t *s, int timeout_ms, harness_msg_t *msg)
{
    uint64_t end = harness_now_ms() + (uint64_t)timeout_ms;
    do {
        if (harness_sub_recv(s, harness_left_ms(end), msg) == 0 && msg->kind == WIRE_KIND_FRAME)
            return true;
        harness_msg_clear(msg);
    } while (harness_left_ms(end) > 0);
    return false;
}

/* Mean of one plane over a rectangle given in that plane's pixels. */
static double harness_plane_mean(const harness_msg_t *m, int plane, int x0, int y0, int x1, int y1)
{
    double sum = 0;
    long n = 0;
    const uint8_t *base = m->payload + m->frame.offset[plane];
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++, n++)
            sum += base[(size_t)y * m->frame.stride[plane] + (size_t)x];
    return n > 0 ? sum / (double)n : 0;
}

bool harness_frame_mean_yuv(const harness_msg_t *msg, int x, int y, int w, int h, double yuv[3])
{
    if (msg == NULL || msg->kind != WIRE_KIND_FRAME || msg->payload == NULL)
        return false;
    int fw = (int)msg->frame.width, fh = (int)msg->frame.height;
    int x0 = x < 0 ? 0 : x, y0 = y < 0 ? 0 : y;
    int x1 = x + w > fw ? fw : x + w, y1 = y + h > fh ? fh : y + h;
    if (x1 <= x0 || y1 <= y0)
        return false;
    yuv[0] = harness_plane_mean(msg, 0, x0, y0, x1, y1);
    for (int p = 1; p < 3; p++)
        yuv[p] = harness_plane_mean(msg, p, x0 / 2, y0 / 2, (x1 + 1) / 2, (y1 + 1) / 2);
    return true;
}
