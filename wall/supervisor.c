/* supervisor: fork/exec and restart of ingest workers (see supervisor.h). */
#include "supervisor.h"

#include <errno.h>
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

static void worker_free(worker_t *w)
{
    if (w->argv != NULL)
        for (char **a = w->argv; *a != NULL; a++)
            free(*a);
    free(w->argv);
    free(w->id);
    memset(w, 0, sizeof *w);
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

/* In the child between fork and exec: only async-signal-safe calls. */
static void exec_child(worker_t *w, pid_t parent)
{
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
    pid_t pid = fork();
    if (pid < 0) {
        log_error("supervisor", "cannot start worker %s: fork: %s", w->id, strerror(errno));
        w->next_start_ms = now + backoff_next(&w->backoff, (double)random() / RAND_MAX);
        return;
    }
    if (pid == 0)
        exec_child(w, parent);
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
        log_warn("supervisor", "worker %s exited with status %d; restart %u in %u ms", w->id,
                 w->last_exit, w->restarts, delay);
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

int supervisor_tick(supervisor_t *sv)
{
    uint64_t now = mono_ms();
    int started = 0;
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
    *info = (supervisor_info_t){w->pid > 0, w->pid, w->restarts, w->last_exit, w->next_start_ms};
    return true;
}
