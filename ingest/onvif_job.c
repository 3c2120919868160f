/* onvif_job: a blocking ONVIF call in a forked child with a deadline (see onvif_job.h).
 *
 * Threads: an asynchronous job lives on the GLib main context of the thread that started it (its
 * child watch and timer are attached there); onvif_job_run blocks its caller only. */
#include "onvif_job.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <glib.h>

#define ONVIF_JOB_POLL_US 5000 /* onvif_job_run: how often the child is checked */

struct onvif_job {
    pid_t pid; /* -1 once reaped */
    void *shared;
    size_t size;
    guint child_id, timer_id;
    bool timed_out;
    onvif_job_done_fn done;
    void *ud;
};

static void *onvif_job_map(size_t size)
{
    void *m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    return m == MAP_FAILED ? NULL : m;
}

/* Forks; in the child runs fn and _exits. Returns the pid, or -1. */
static pid_t onvif_job_fork(onvif_job_fn fn, const void *arg, void *shared)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    signal(SIGTERM, SIG_DFL);
    signal(SIGINT, SIG_DFL);
    signal(SIGPIPE, SIG_IGN);
    fn(shared, arg);
    _exit(0);
}

static onvif_job_status_t onvif_job_classify(int status, bool timed_out, int *signo)
{
    *signo = 0;
    if (timed_out)
        return ONVIF_JOB_TIMEOUT;
    if (WIFSIGNALED(status)) {
        *signo = WTERMSIG(status);
        return ONVIF_JOB_CRASHED;
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? ONVIF_JOB_DONE : ONVIF_JOB_CRASHED;
}

static void onvif_job_on_exit(GPid pid, gint status, gpointer ud)
{
    (void)pid;
    onvif_job_t *j = ud;
    int signo;
    j->child_id = 0; /* the watch ends with this call */
    j->pid = -1;
    if (j->timer_id != 0) {
        g_source_remove(j->timer_id);
        j->timer_id = 0;
    }
    onvif_job_status_t st = onvif_job_classify(status, j->timed_out, &signo);
    j->done(j->ud, st, signo, j->shared); /* may cancel (free) j */
}

static gboolean onvif_job_on_deadline(gpointer ud)
{
    onvif_job_t *j = ud;
    j->timer_id = 0;
    j->timed_out = true;
    if (j->pid > 0)
        kill(j->pid, SIGKILL); /* the child watch reports it */
    return G_SOURCE_REMOVE;
}

onvif_job_t *onvif_job_start(onvif_job_fn fn, const void *arg, size_t size, int deadline_ms,
                             onvif_job_done_fn done, void *ud, char *err, size_t err_cap)
{
    onvif_job_t *j = g_new0(onvif_job_t, 1);
    j->pid = -1;
    j->size = size;
    j->done = done;
    j->ud = ud;
    if ((j->shared = onvif_job_map(size)) == NULL) {
        snprintf(err, err_cap, "cannot map %zu bytes: %s", size, strerror(errno));
        goto fail;
    }
    if ((j->pid = onvif_job_fork(fn, arg, j->shared)) < 0) {
        snprintf(err, err_cap, "cannot fork the ONVIF client: %s", strerror(errno));
        goto fail;
    }
    j->child_id = g_child_watch_add(j->pid, onvif_job_on_exit, j);
    j->timer_id = g_timeout_add((guint)deadline_ms, onvif_job_on_deadline, j);
    return j;
fail:
    onvif_job_cancel(&j);
    return NULL;
}

void onvif_job_cancel(onvif_job_t **jp)
{
    if (jp == NULL || *jp == NULL)
        return;
    onvif_job_t *j = *jp;
    if (j->timer_id != 0)
        g_source_remove(j->timer_id);
    if (j->child_id != 0)
        g_source_remove(j->child_id);
    if (j->pid > 0) {
        kill(j->pid, SIGKILL);
        while (waitpid(j->pid, NULL, 0) < 0 && errno == EINTR)
            ;
    }
    if (j->shared != NULL)
        munmap(j->shared, j->size);
    g_free(j);
    *jp = NULL;
}

onvif_job_status_t onvif_job_run(onvif_job_fn fn, const void *arg, void *out, size_t size,
                                 int deadline_ms, int *signo)
{
    int sig = 0, status = 0;
    bool timed_out = false;
    void *shared = onvif_job_map(size);
    if (signo != NULL)
        *signo = 0;
    if (shared == NULL)
        return ONVIF_JOB_FAILED;
    pid_t pid = onvif_job_fork(fn, arg, shared);
    if (pid < 0) {
        munmap(shared, size);
        return ONVIF_JOB_FAILED;
    }
    gint64 until = g_get_monotonic_time() + (gint64)deadline_ms * 1000;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid || (r < 0 && errno != EINTR))
            break;
        if (g_get_monotonic_time() >= until) {
            timed_out = true;
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            break;
        }
        g_usleep(ONVIF_JOB_POLL_US);
    }
    memcpy(out, shared, size);
    munmap(shared, size);
    onvif_job_status_t st = onvif_job_classify(status, timed_out, &sig);
    if (signo != NULL)
        *signo = sig;
    return st;
}
