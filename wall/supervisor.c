/* supervisor: fork/exec and restart of ingest workers (see supervisor.h). */
#include "supervisor.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "backoff.h"
#include "log.h"

#define SUPERVISOR_MAX_ARGS 40
#define SUPERVISOR_LINE_MAX 1024 /* longer stderr lines are passed on in pieces */

typedef struct {
    char *id;
    char **argv;            /* program + args + NULL */
    pid_t pid;              /* 0 when not running */
    bool stopping;          /* removed: reap, do not restart */
    uint64_t stop_sent_ms;
    uint64_t started_ms;
    uint64_t next_start_ms;
    uint32_t restarts;
    int last_exit;
    backoff_t backoff;
    int err_fd;             /* read end of the worker's stderr pipe; -1 when none */
    size_t line_len;
    char line[SUPERVISOR_LINE_MAX];
    char last_error[SUPERVISOR_ERROR_MAX];
} worker_t;

struct supervisor {
    char *program;
    worker_t *workers;
    int n, cap;
};

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void err_close(worker_t *w);

static void worker_free(worker_t *w)
{
    err_close(w);
    if (w->argv != NULL)
        for (char **a = w->argv; *a != NULL; a++)
            free(*a);
    free(w->argv);
    free(w->id);
    memset(w, 0, sizeof *w);
    w->err_fd = -1;
}

supervisor_t *supervisor_new(const char *program)
{
    supervisor_t *sv = calloc(1, sizeof *sv);
    if (sv == NULL || (sv->program = strdup(program)) == NULL) {
        free(sv);
        return NULL;
    }
    return sv;
}

void supervisor_destroy(supervisor_t **sv_p)
{
    if (sv_p == NULL || *sv_p == NULL)
        return;
    supervisor_t *sv = *sv_p;
    supervisor_stop_all(sv, SUPERVISOR_STOP_GRACE_MS);
    for (int i = 0; i < sv->n; i++)
        worker_free(&sv->workers[i]);
    free(sv->workers);
    free(sv->program);
    free(sv);
    *sv_p = NULL;
}

static worker_t *find(const supervisor_t *sv, const char *id, bool include_stopping)
{
    for (int i = 0; i < sv->n; i++) {
        worker_t *w = &sv->workers[i];
        if (strcmp(w->id, id) == 0 && (include_stopping || !w->stopping))
            return w;
    }
    return NULL;
}

static void signal_worker(worker_t *w, int sig)
{
    if (w->pid > 0)
        kill(w->pid, sig);
}

void supervisor_remove(supervisor_t *sv, const char *id)
{
    worker_t *w = find(sv, id, false);
    if (w == NULL)
        return;
    w->stopping = true;
    w->stop_sent_ms = mono_ms();
    signal_worker(w, SIGTERM);
}

int supervisor_add(supervisor_t *sv, const char *id, const char *const *args)
{
    supervisor_remove(sv, id);
    if (sv->n == sv->cap) {
        int cap = sv->cap ? sv->cap * 2 : 16;
        worker_t *grown = realloc(sv->workers, (size_t)cap * sizeof *grown);
        if (grown == NULL)
            return -1;
        sv->workers = grown;
        sv->cap = cap;
    }
    worker_t *w = &sv->workers[sv->n];
    memset(w, 0, sizeof *w);
    w->err_fd = -1;
    int nargs = 0;
    while (args[nargs] != NULL && nargs < SUPERVISOR_MAX_ARGS)
        nargs++;
    w->id = strdup(id);
    w->argv = calloc((size_t)nargs + 2, sizeof *w->argv);
    if (w->id == NULL || w->argv == NULL)
        goto fail;
    if ((w->argv[0] = strdup(sv->program)) == NULL)
        goto fail;
    for (int i = 0; i < nargs; i++)
        if ((w->argv[i + 1] = strdup(args[i])) == NULL)
            goto fail;
    backoff_init(&w->backoff);
    sv->n++;
    return 0;
fail:
    worker_free(w);
    return -1;
}

const char *supervisor_error_of_line(const char *line)
{
    static const char direct[] = "pantau-ingest: ";
    if (strncmp(line, direct, sizeof direct - 1) == 0)
        return line + sizeof direct - 1;
    const char *p = strstr(line, "] error: ");
    if (p != NULL && strstr(line, " pantau-ingest [") != NULL)
        return p + strlen("] error: ");
    return NULL;
}

/* One whole line of a worker's stderr: passed on, and kept if it is an error. */
static void err_line(worker_t *w)
{
    w->line[w->line_len] = '\0';
    fprintf(stderr, "%s\n", w->line);
    const char *msg = supervisor_error_of_line(w->line);
    if (msg != NULL && msg[0] != '\0')
        snprintf(w->last_error, sizeof w->last_error, "%s", msg);
    w->line_len = 0;
}

static void err_close(worker_t *w)
{
    if (w->line_len > 0)
        err_line(w);
    if (w->err_fd >= 0)
        close(w->err_fd);
    w->err_fd = -1;
}

/* Reads what the worker wrote to stderr so far; at end of file closes the pipe. */
static void err_drain(worker_t *w)
{
    while (w->err_fd >= 0) {
        char buf[4096];
        ssize_t n = read(w->err_fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
            return;
        if (n <= 0) {
            err_close(w);
            return;
        }
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                err_line(w);
                continue;
            }
            w->line[w->line_len++] = buf[i];
            if (w->line_len == sizeof w->line - 1)
                err_line(w);
        }
    }
}

/* In the child between fork and exec: only async-signal-safe calls. */
static void exec_child(worker_t *w, pid_t parent, int err_wr)
{
    if (err_wr >= 0 && dup2(err_wr, STDERR_FILENO) < 0)
        _exit(1);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent)
        _exit(1);
    execv(w->argv[0], w->argv);
    _exit(127);
}

static void start_worker(supervisor_t *sv, worker_t *w, uint64_t now)
{
    pid_t parent = getpid();
    int fds[2] = {-1, -1};
    err_close(w); /* what a predecessor left unread was drained when it was reaped */
    if (pipe2(fds, O_CLOEXEC) != 0) {
        log_warn("supervisor", "worker %s: no stderr pipe (%s): its errors go straight to the "
                 "wall's stderr", w->id, strerror(errno));
        fds[0] = fds[1] = -1;
    } else {
        fcntl(fds[0], F_SETFL, O_NONBLOCK);
        fcntl(fds[1], F_SETFL, O_NONBLOCK);
    }
    pid_t pid = fork();
    if (pid < 0) {
        log_error("supervisor", "cannot start worker %s: fork: %s", w->id, strerror(errno));
        w->next_start_ms = now + backoff_next(&w->backoff, (double)random() / RAND_MAX);
        if (fds[0] >= 0) {
            close(fds[0]);
            close(fds[1]);
        }
        return;
    }
    if (pid == 0)
        exec_child(w, parent, fds[1]);
    if (fds[1] >= 0)
        close(fds[1]);
    w->err_fd = fds[0];
    (void)sv;
    w->pid = pid;
    w->started_ms = now;
    log_info("supervisor", "started worker %s (pid %d)", w->id, (int)pid);
}

/* A child exited: record it and schedule the restart. */
static void on_exit_status(worker_t *w, int status, uint64_t now)
{
    w->pid = 0;
    w->last_exit = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
    err_drain(w); /* the child is gone: everything it wrote is in the pipe (or a grandchild's) */
    if (w->stopping)
        return;
    if (now - w->started_ms >= SUPERVISOR_STABLE_MS)
        backoff_reset(&w->backoff);
    uint32_t delay = backoff_next(&w->backoff, (double)random() / RAND_MAX);
    w->next_start_ms = now + delay;
    w->restarts++;
    if (w->last_exit == 127)
        log_error("supervisor", "worker %s could not be executed (%s); retrying in %u ms", w->id,
                  w->argv[0], delay);
    else if (w->last_exit >= 0)
        log_warn("supervisor", "worker %s exited with status %d%s%s%s; restart %u in %u ms",
                 w->id, w->last_exit, w->last_error[0] ? " (" : "", w->last_error,
                 w->last_error[0] ? ")" : "", w->restarts, delay);
    else
        log_warn("supervisor", "worker %s killed by signal %d; restart %u in %u ms", w->id,
                 -w->last_exit, w->restarts, delay);
}

static void reap(supervisor_t *sv, uint64_t now)
{
    int status;
    pid_t pid;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < sv->n; i++)
            if (sv->workers[i].pid == pid) {
                on_exit_status(&sv->workers[i], status, now);
                break;
            }
    }
}

/* Drops stopped workers whose process is gone; compacts the array. */
static void sweep(supervisor_t *sv, uint64_t now)
{
    int j = 0;
    for (int i = 0; i < sv->n; i++) {
        worker_t *w = &sv->workers[i];
        if (w->stopping && w->pid > 0 && now - w->stop_sent_ms >= SUPERVISOR_STOP_GRACE_MS)
            signal_worker(w, SIGKILL);
        if (w->stopping && w->pid == 0) {
            worker_free(w);
            continue;
        }
        if (i != j)
            sv->workers[j] = *w;
        j++;
    }
    sv->n = j;
}

/* True while an earlier worker of the same id is still shutting down: a new one must not start
 * yet, or the old one's exit would unlink the ipc:// endpoint the new one just bound. */
static bool predecessor_alive(const supervisor_t *sv, const worker_t *w)
{
    for (int i = 0; i < sv->n; i++) {
        const worker_t *o = &sv->workers[i];
        if (o != w && o->stopping && o->pid > 0 && strcmp(o->id, w->id) == 0)
            return true;
    }
    return false;
}

/* Reads the stderr pipes that have something (or were closed): one poll() over all of them, so a
 * tick of a wall with 32 quiet workers costs one system call, not 32 reads that find nothing. A
 * worker that exits is drained completely when it is reaped (on_exit_status). */
static void err_drain_ready(supervisor_t *sv)
{
    enum { BATCH = 64 };
    for (int first = 0; first < sv->n; first += BATCH) {
        struct pollfd fds[BATCH];
        int who[BATCH], n = 0;
        for (int i = first; i < sv->n && i < first + BATCH; i++)
            if (sv->workers[i].err_fd >= 0) {
                fds[n] = (struct pollfd){.fd = sv->workers[i].err_fd, .events = POLLIN};
                who[n++] = i;
            }
        if (n == 0 || poll(fds, (nfds_t)n, 0) <= 0)
            continue;
        for (int k = 0; k < n; k++)
            if (fds[k].revents != 0)
                err_drain(&sv->workers[who[k]]);
    }
}

int supervisor_tick(supervisor_t *sv)
{
    uint64_t now = mono_ms();
    int started = 0;
    err_drain_ready(sv);
    reap(sv, now);
    sweep(sv, now);
    for (int i = 0; i < sv->n; i++) {
        worker_t *w = &sv->workers[i];
        if (!w->stopping && w->pid == 0 && now >= w->next_start_ms &&
            !predecessor_alive(sv, w)) {
            start_worker(sv, w, now);
            started += w->pid > 0;
        }
    }
    return started;
}

void supervisor_stop_all(supervisor_t *sv, int timeout_ms)
{
    uint64_t start = mono_ms();
    for (int i = 0; i < sv->n; i++) {
        sv->workers[i].stopping = true;
        sv->workers[i].stop_sent_ms = start;
        signal_worker(&sv->workers[i], SIGTERM);
    }
    for (;;) {
        uint64_t now = mono_ms();
        reap(sv, now);
        bool any = false;
        for (int i = 0; i < sv->n; i++)
            any |= sv->workers[i].pid > 0;
        if (!any)
            break;
        if (now - start >= (uint64_t)timeout_ms) {
            for (int i = 0; i < sv->n; i++)
                if (sv->workers[i].pid > 0) {
                    log_warn("supervisor", "worker %s ignored SIGTERM; killing it",
                             sv->workers[i].id);
                    signal_worker(&sv->workers[i], SIGKILL);
                    waitpid(sv->workers[i].pid, NULL, 0);
                    sv->workers[i].pid = 0;
                }
            break;
        }
        struct timespec ts = {0, 20 * 1000000L};
        nanosleep(&ts, NULL);
    }
    sweep(sv, mono_ms());
}

bool supervisor_info(const supervisor_t *sv, const char *id, supervisor_info_t *info)
{
    const worker_t *w = find(sv, id, false);
    if (w == NULL)
        return false;
    *info = (supervisor_info_t){w->pid > 0, w->pid, w->restarts, w->last_exit, w->next_start_ms,
                                ""};
    snprintf(info->last_error, sizeof info->last_error, "%s", w->last_error);
    return true;
}
