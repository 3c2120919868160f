/* Fault-injection tests on real parts (issue 6): RTSP test cameras on loopback -> pantau-ingest
 * -> ZeroMQ -> pantau-wall --headless, each test breaking one thing and asserting what the
 * operator sees (the wall's status file: the same state the tile draws; snapshot PNGs) and that
 * the rest of the wall keeps running.
 *
 *   camera down at start            the tile says NO SIGNAL with the reason, goes live when it comes
 *   endpoint that never answers     a TCP port that accepts and says nothing: NO SIGNAL, wall fine
 *   wall restarted, workers running remote workers (endpoint=) outlive a SIGKILLed wall; the new
 *                                   wall shows them again without restarting them
 *   fds and threads                 counted in /proc for the wall and a worker across camera
 *                                   loss/return cycles: they must not grow
 *   packet loss and reordering      RTSP over TCP through tests/tools/pantau-lossy-proxy dropping
 *                                   and reordering RTP packets: the tile stays live with the right
 *                                   picture, the worker survives
 *   disk full                       status file and snapshots on a tiny tmpfs that is filled: the
 *                                   wall keeps running, the last good status file stays whole,
 *                                   writing resumes when space returns (skipped, and said so, when
 *                                   tmpfs cannot be mounted: not root / no CAP_SYS_ADMIN)
 *
 * Already covered elsewhere: camera lost mid-stream, frozen camera (stall), worker SIGKILL,
 * malformed messages, layout broken mid-run (it_wall.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "harness.h"

#define READY_TIMEOUT_MS 5000
#define LIVE_TIMEOUT_MS 20000
#define NO_SIGNAL_BOUND_MS 8000 /* fault -> tile says NO SIGNAL (status timeout 3.5 s + margin) */
#define RETURN_BOUND_MS 20000   /* fault gone -> live (backoff cap 8 s + jitter + load) */
#define RECONNECT_CYCLES 4
#define GROWTH_SLACK 2          /* fds/threads a cycle may add beyond the first cycle's count */
#define TMPFS_SIZE "size=512k"
#define DISK_FULL_S 4
#define LOSS_PCT "1"    /* RTP packets the proxy drops */
#define REORDER_PCT "5" /* RTP packets the proxy swaps with the next one */
#define LOSSY_RUN_S 10

typedef struct {
    harness_t *h;
    char *camera_bin, *wall_bin, *ingest_bin;
    char *status, *snapshot;
    char *mount; /* tmpfs mounted by the disk-full test, unmounted in teardown */
} fx_t;

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    fx->h = harness_new();
    fx->camera_bin = harness_bin("pantau-test-camera");
    fx->wall_bin = harness_bin("pantau-wall");
    fx->ingest_bin = harness_bin("pantau-ingest");
    if (fx->h == NULL || fx->camera_bin == NULL || fx->wall_bin == NULL || fx->ingest_bin == NULL)
        return -1;
    fx->status = harness_path(fx->h, "wall.status");
    fx->snapshot = harness_path(fx->h, "wall.png");
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    harness_destroy(&fx->h); /* processes first: nothing may hold files on the mount */
    if (fx->mount != NULL) {
        umount2(fx->mount, MNT_DETACH);
        rmdir(fx->mount);
        g_free(fx->mount);
    }
    g_free(fx->camera_bin);
    g_free(fx->wall_bin);
    g_free(fx->ingest_bin);
    g_free(fx->status);
    g_free(fx->snapshot);
    free(fx);
    return 0;
}

/* ---- helpers ----------------------------------------------------------------------------------- */

static harness_proc_t *start_camera(fx_t *fx, const char *name, int port, const char *color)
{
    char port_s[16];
    snprintf(port_s, sizeof port_s, "%d", port);
    const char *argv[] = {fx->camera_bin, "--port", port_s, "--size", "320x180", "--fps", "25",
                          "--color", color, NULL};
    harness_proc_t *p = harness_spawn(fx->h, name, argv, NULL);
    assert_non_null(p);
    assert_true(harness_wait_line(p, "READY ", NULL, 0, READY_TIMEOUT_MS));
    return p;
}

static harness_proc_t *start_wall(fx_t *fx, const char *layout)
{
    const char *argv[] = {fx->wall_bin, "--headless", "--status-file", fx->status, "--snapshot",
                          fx->snapshot, "--every", "0.5", layout, NULL};
    harness_proc_t *p = harness_spawn(fx->h, "wall", argv, NULL);
    assert_non_null(p);
    return p;
}

static char *write_layout(fx_t *fx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static char *write_layout(fx_t *fx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *body = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *text = g_strdup_printf("[wall]\ncanvas=640x360\ngrid=2x1\nfps=25\nendpoint_dir=%s\n%s",
                                 harness_dir(fx->h), body);
    char *path = harness_write_file(fx->h, "wall.ini", text, 0644);
    g_free(body);
    g_free(text);
    assert_non_null(path);
    return path;
}

static long field_long(fx_t *fx, const char *id, const char *key)
{
    char v[64];
    return harness_status_field(fx->status, id, key, v, sizeof v) ? strtol(v, NULL, 10) : -1;
}

typedef struct {
    const char *path, *id, *want;
} state_wait_t;

static bool state_is(void *ctx)
{
    const state_wait_t *w = ctx;
    char v[64];
    return harness_status_field(w->path, w->id, "state", v, sizeof v) && strcmp(v, w->want) == 0;
}

/* Waits until camera id's tile state is want; ms it took, or -1 on timeout. */
static long wait_state(fx_t *fx, const char *id, const char *want, int timeout_ms)
{
    state_wait_t w = {fx->status, id, want};
    uint64_t t0 = harness_now_ms();
    return harness_wait_until(state_is, &w, timeout_ms) ? (long)(harness_now_ms() - t0) : -1;
}

static void expect_state(fx_t *fx, const char *id, const char *want)
{
    char v[64];
    assert_true(harness_status_field(fx->status, id, "state", v, sizeof v));
    if (strcmp(v, want) != 0)
        fail_msg("camera %s: state %s, expected %s", id, v, want);
}

/* Entries in /proc/PID/SUB (fd or task), or -1. */
static int proc_count(pid_t pid, const char *sub)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, sub);
    DIR *d = opendir(path);
    if (d == NULL)
        return -1;
    int n = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

/* True once pid has exited (no such process, or a zombie). */
static bool process_gone(pid_t pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return true;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *rp = strrchr(buf, ')');
    return rp != NULL && rp[1] == ' ' && rp[2] == 'Z';
}

/* The header's time_ns= of the status file, or 0. */
static unsigned long long status_time(fx_t *fx)
{
    char *text = harness_read_file(fx->status, NULL);
    char *p = text ? strstr(text, "time_ns=") : NULL;
    unsigned long long t = p ? strtoull(p + 8, NULL, 10) : 0;
    g_free(text);
    return t;
}

static int count_lines_with(const char *path, const char *needle)
{
    char *text = harness_read_file(path, NULL);
    int n = 0;
    for (char *p = text; p != NULL && (p = strstr(p, needle)) != NULL; p += strlen(needle))
        n++;
    g_free(text);
    return n;
}

/* ---- tests ------------------------------------------------------------------------------------- */

/* A camera that is down when the wall starts: its tile says NO SIGNAL with the reason while the
 * other tile is live; it goes live by itself once the camera appears. */
static void test_camera_down_at_start(void **state)
{
    fx_t *fx = *state;
    int port = harness_free_port();
    char *layout = write_layout(fx, "[camera mati]\nsource=rtsp://127.0.0.1:%d/cam\ntile=0,0\n"
                                    "[camera pola]\nsource=test:green\ntile=1,0\n",
                                port);
    harness_proc_t *wall = start_wall(fx, layout);
    assert_true(wait_state(fx, "pola", "live", LIVE_TIMEOUT_MS) >= 0);
    long t = wait_state(fx, "mati", "no-signal", NO_SIGNAL_BOUND_MS);
    char err[256];
    harness_status_field(fx->status, "mati", "error", err, sizeof err);
    harness_note("camera down at start -> NO SIGNAL after %ld ms: \"%s\"", t, err);
    assert_true(t >= 0);
    assert_true(strstr(err, "refused") != NULL || strstr(err, "connect") != NULL);
    expect_state(fx, "pola", "live");

    uint64_t t0 = harness_now_ms();
    start_camera(fx, "cam", port, "0xff0000");
    t = wait_state(fx, "mati", "live", RETURN_BOUND_MS);
    harness_note("camera appeared -> live after %llu ms", (unsigned long long)(harness_now_ms() - t0));
    assert_true(t >= 0);
    expect_state(fx, "pola", "live");
    assert_true(harness_running(wall));
    g_free(layout);
}

/* A remote endpoint whose TCP port accepts connections but never speaks: the tile says NO SIGNAL
 * ("worker not answering") and the rest of the wall is unaffected. */
static void test_endpoint_never_answers(void **state)
{
    fx_t *fx = *state;
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(lfd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof a;
    assert_int_equal(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(lfd, 8), 0); /* the kernel completes handshakes; nobody reads */
    assert_int_equal(getsockname(lfd, (struct sockaddr *)&a, &alen), 0);
    char *layout = write_layout(fx, "[camera bisu]\nendpoint=tcp://127.0.0.1:%d\ntile=0,0\n"
                                    "[camera pola]\nsource=test:green\ntile=1,0\n",
                                ntohs(a.sin_port));
    harness_proc_t *wall = start_wall(fx, layout);
    assert_true(wait_state(fx, "pola", "live", LIVE_TIMEOUT_MS) >= 0);
    long t = wait_state(fx, "bisu", "no-signal", NO_SIGNAL_BOUND_MS);
    harness_note("silent endpoint -> NO SIGNAL after %ld ms", t);
    assert_true(t >= 0);
    char v[64];
    assert_true(harness_status_field(fx->status, "bisu", "worker", v, sizeof v));
    assert_string_equal(v, "remote");
    assert_int_equal(field_long(fx, "bisu", "frames"), 0);
    sleep(2); /* it stays so, and the other tile keeps going */
    expect_state(fx, "bisu", "no-signal");
    long f0 = field_long(fx, "pola", "frames"), f1 = f0;
    for (int i = 0; i < 50 && f1 <= f0; i++) { /* the status file is rewritten once a second */
        usleep(100 * 1000);
        f1 = field_long(fx, "pola", "frames");
    }
    assert_true(f1 > f0);
    expect_state(fx, "pola", "live");
    assert_true(harness_running(wall));
    close(lfd);
    g_free(layout);
}

/* The wall is SIGKILLed and restarted while remote workers (endpoint=, started by hand) keep
 * running: the new wall shows them live again, and they were never restarted. */
static void test_wall_restarted_workers_keep_running(void **state)
{
    fx_t *fx = *state;
    int port = harness_free_port();
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "tcp://127.0.0.1:%d", port);
    const char *argv[] = {fx->ingest_bin, "--id", "jauh", "--source", "test:blue", "--endpoint",
                          endpoint, "--width", "320", "--height", "360", NULL};
    harness_proc_t *worker = harness_spawn(fx->h, "worker", argv, NULL);
    assert_non_null(worker);
    char *layout = write_layout(fx, "[camera jauh]\nendpoint=%s\ntile=0,0\n"
                                    "[camera lokal]\nsource=test:green\ntile=1,0\n",
                                endpoint);
    harness_proc_t *wall = start_wall(fx, layout);
    assert_true(wait_state(fx, "jauh", "live", LIVE_TIMEOUT_MS) >= 0);
    assert_true(wait_state(fx, "lokal", "live", LIVE_TIMEOUT_MS) >= 0);
    long local_pid = field_long(fx, "lokal", "pid");

    assert_int_equal(harness_signal(wall, SIGKILL), 0);
    assert_true(harness_wait_exit(wall, 5000, NULL));
    unlink(fx->status);
    sleep(1);
    assert_true(harness_running(worker)); /* the remote worker does not depend on the wall */
    bool gone = false; /* the wall's own worker dies with it (PR_SET_PDEATHSIG) */
    for (int i = 0; i < 50 && !(gone = process_gone((pid_t)local_pid)); i++)
        usleep(100 * 1000);
    assert_true(gone);

    uint64_t t0 = harness_now_ms();
    wall = start_wall(fx, layout);
    long t = wait_state(fx, "jauh", "live", LIVE_TIMEOUT_MS);
    harness_note("wall restarted -> remote camera live after %ld ms, local after %ld ms", t,
                 wait_state(fx, "lokal", "live", LIVE_TIMEOUT_MS));
    assert_true(t >= 0);
    expect_state(fx, "lokal", "live");
    assert_true(field_long(fx, "jauh", "frames") > 0);
    assert_true(harness_running(worker));
    assert_true(harness_running(wall));
    harness_note("restart took %llu ms in all", (unsigned long long)(harness_now_ms() - t0));
    g_free(layout);
}

/* Open fds and threads of the wall and of a worker do not grow across camera loss/return. */
static void test_no_fd_thread_growth_across_reconnects(void **state)
{
    fx_t *fx = *state;
    int port = harness_free_port();
    harness_proc_t *cam = start_camera(fx, "cam", port, "0x00ff00");
    char *layout = write_layout(fx, "[camera siklus]\nsource=rtsp://127.0.0.1:%d/cam\ntile=0,0\n"
                                    "[camera pola]\nsource=test:green\ntile=1,0\n",
                                port);
    harness_proc_t *wall = start_wall(fx, layout);
    assert_true(wait_state(fx, "siklus", "live", LIVE_TIMEOUT_MS) >= 0);
    pid_t wall_pid = harness_proc_pid(wall);
    pid_t worker = (pid_t)field_long(fx, "siklus", "pid");
    assert_true(worker > 0);
    int fds0 = 0, thr0 = 0, wfds0 = 0, wthr0 = 0;
    for (int cycle = 1; cycle <= RECONNECT_CYCLES; cycle++) {
        assert_int_equal(harness_signal(cam, SIGTERM), 0);
        assert_true(harness_wait_exit(cam, 5000, NULL));
        assert_true(wait_state(fx, "siklus", "no-signal", NO_SIGNAL_BOUND_MS) >= 0);
        cam = start_camera(fx, "cam", port, "0x00ff00");
        assert_true(wait_state(fx, "siklus", "live", RETURN_BOUND_MS) >= 0);
        usleep(500 * 1000); /* let the torn-down session's threads finish */
        int fds = proc_count(wall_pid, "fd"), thr = proc_count(wall_pid, "task");
        int wfds = proc_count(worker, "fd"), wthr = proc_count(worker, "task");
        harness_note("cycle %d: wall fds %d threads %d; worker fds %d threads %d", cycle, fds, thr,
                     wfds, wthr);
        assert_true(fds > 0 && thr > 0 && wfds > 0 && wthr > 0);
        if (cycle == 1) {
            fds0 = fds, thr0 = thr, wfds0 = wfds, wthr0 = wthr;
            continue;
        }
        assert_true(fds <= fds0 + GROWTH_SLACK && thr <= thr0 + GROWTH_SLACK);
        assert_true(wfds <= wfds0 + GROWTH_SLACK && wthr <= wthr0 + GROWTH_SLACK);
    }
    assert_int_equal(field_long(fx, "siklus", "pid"), worker); /* reconnected, not restarted */
    assert_true(field_long(fx, "siklus", "reconnects") >= RECONNECT_CYCLES);
    expect_state(fx, "pola", "live");
    g_free(layout);
}

/* The camera's RTP packets are dropped and reordered on the way (RTSP interleaved over TCP through
 * a proxy): the worker survives, the tile keeps receiving frames and shows the camera's colour
 * (broken pictures are dropped, not shown), and the other tile is unaffected. */
static void test_packet_loss_and_reordering(void **state)
{
    fx_t *fx = *state;
    int cam_port = harness_free_port();
    start_camera(fx, "cam", cam_port, "0x00ff00");
    char *proxy_bin = harness_bin("pantau-lossy-proxy");
    assert_non_null(proxy_bin);
    char target[16], line[64];
    snprintf(target, sizeof target, "%d", cam_port);
    const char *argv[] = {proxy_bin, "--target", target, "--loss", LOSS_PCT, "--reorder",
                          REORDER_PCT, "--seed", "6", NULL};
    harness_proc_t *proxy = harness_spawn(fx->h, "proxy", argv, NULL);
    assert_non_null(proxy);
    assert_true(harness_wait_line(proxy, "READY ", line, sizeof line, READY_TIMEOUT_MS));
    int proxy_port = atoi(line + 6);
    char *layout = write_layout(fx, "[camera rugi]\nsource=rtsp://127.0.0.1:%d/cam\n"
                                    "transport=tcp\ntile=0,0\n"
                                    "[camera pola]\nsource=test:blue\ntile=1,0\n",
                                proxy_port);
    harness_proc_t *wall = start_wall(fx, layout);
    assert_true(wait_state(fx, "rugi", "live", LIVE_TIMEOUT_MS) >= 0);
    long pid = field_long(fx, "rugi", "pid");
    long f0 = field_long(fx, "rugi", "frames");
    int live_samples = 0, samples = 0;
    for (int i = 0; i < LOSSY_RUN_S * 2; i++, samples++) {
        usleep(500 * 1000);
        char v[64];
        live_samples += harness_status_field(fx->status, "rugi", "state", v, sizeof v) &&
                        strcmp(v, "live") == 0;
    }
    long frames = field_long(fx, "rugi", "frames") - f0;
    char fps[32];
    harness_status_field(fx->status, "rugi", "fps", fps, sizeof fps);
    assert_true(wait_state(fx, "rugi", "live", RETURN_BOUND_MS) >= 0);
    double rgb[3];
    assert_true(harness_png_mean_rgb(fx->snapshot, 80, 135, 160, 90, rgb));
    assert_int_equal(harness_signal(proxy, SIGTERM), 0);
    assert_true(harness_wait_line(proxy, "STATS ", line, sizeof line, 3000));
    harness_note("%s%% loss, %s%% reordering for %d s: %s; %ld frames shown (fps %s), live in "
                 "%d of %d samples, tile colour %.0f,%.0f,%.0f",
                 LOSS_PCT, REORDER_PCT, LOSSY_RUN_S, line, frames, fps, live_samples, samples,
                 rgb[0], rgb[1], rgb[2]);
    unsigned long long rtp = 0, dropped = 0, reordered = 0;
    assert_int_equal(sscanf(line, "STATS rtp=%llu dropped=%llu reordered=%llu", &rtp, &dropped,
                            &reordered), 3);
    assert_true(dropped > 0 && reordered > 0); /* the fault really happened */
    /* Each loss breaks pictures until the next keyframe (every 2 s at the test camera), which the
     * worker drops rather than show grey: at least one picture per keyframe must get through. */
    assert_true(frames >= LOSSY_RUN_S / 2);
    assert_true(live_samples >= samples / 2);
    assert_true(rgb[1] > 150 && rgb[0] < 100 && rgb[2] < 100); /* green, not grey or smeared */
    assert_int_equal(field_long(fx, "rugi", "pid"), pid);      /* the worker survived */
    expect_state(fx, "pola", "live");
    assert_true(harness_running(wall));
    g_free(proxy_bin);
    g_free(layout);
}

/* Writes to fd until the filesystem is full (ENOSPC), the last page byte by byte. */
static void fill_up(int fd)
{
    char block[4096];
    memset(block, 'x', sizeof block);
    while (write(fd, block, sizeof block) > 0)
        ;
    while (write(fd, block, 1) > 0)
        ;
}

/* The status file and the snapshots go to a filesystem that becomes full: the wall keeps running
 * and says why it cannot write, the last good status file stays whole (written aside, then
 * renamed), and writing resumes once space is freed. */
static void test_disk_full(void **state)
{
    fx_t *fx = *state;
    fx->mount = harness_path(fx->h, "small");
    assert_int_equal(mkdir(fx->mount, 0700), 0);
    if (mount("tmpfs", fx->mount, "tmpfs", 0, TMPFS_SIZE) != 0) {
        harness_note("SKIPPED: cannot mount a tmpfs (%s): needs root / CAP_SYS_ADMIN",
                     strerror(errno));
        rmdir(fx->mount);
        g_free(fx->mount);
        fx->mount = NULL;
        skip();
    }
    g_free(fx->status);
    g_free(fx->snapshot);
    fx->status = g_strdup_printf("%s/wall.status", fx->mount);
    fx->snapshot = g_strdup_printf("%s/wall.png", fx->mount);
    char *layout = write_layout(fx, "[camera satu]\nsource=test:red\ntile=0,0\n"
                                    "[camera dua]\nsource=test:blue\ntile=1,0\n");
    harness_proc_t *wall = start_wall(fx, layout);
    assert_true(wait_state(fx, "satu", "live", LIVE_TIMEOUT_MS) >= 0);
    assert_true(wait_state(fx, "dua", "live", LIVE_TIMEOUT_MS) >= 0);

    /* Keep it full for DISK_FULL_S: the wall's renames free the pages of the files they replace,
     * so take them again every 50 ms. */
    char *filler = g_strdup_printf("%s/filler", fx->mount);
    int fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    uint64_t t_full = harness_now_ms();
    while (harness_now_ms() < t_full + DISK_FULL_S * 1000) {
        fill_up(fd);
        usleep(50 * 1000);
    }
    close(fd);
    assert_true(harness_running(wall));
    const char *err = harness_proc_stderr(wall);
    int status_errs = count_lines_with(err, "No space left on device");
    harness_note("disk full for %d s: %d 'No space left on device' lines in the wall's log",
                 DISK_FULL_S, status_errs);
    assert_true(status_errs >= 1);
    assert_true(status_errs <= DISK_FULL_S * 4); /* a few a second at most: no log flood */
    /* The last good status file is still whole: both cameras, complete last line. */
    char *text = harness_read_file(fx->status, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "camera=satu "));
    assert_non_null(strstr(text, "camera=dua "));
    assert_true(text[strlen(text) - 1] == '\n');
    g_free(text);
    unsigned long long t_stale = status_time(fx);

    assert_int_equal(unlink(filler), 0);
    struct stat st0 = {0};
    stat(fx->snapshot, &st0);
    uint64_t t_free = harness_now_ms();
    bool resumed = false;
    while (!resumed && harness_now_ms() < t_free + 5000) {
        usleep(100 * 1000);
        resumed = status_time(fx) > t_stale;
    }
    harness_note("space freed after %llu ms full -> status file written again after %llu ms",
                 (unsigned long long)(t_free - t_full),
                 (unsigned long long)(harness_now_ms() - t_free));
    assert_true(resumed);
    expect_state(fx, "satu", "live");
    expect_state(fx, "dua", "live");
    struct stat st;
    bool snap = false;
    for (int i = 0; i < 30 && !snap; i++) {
        usleep(100 * 1000);
        snap = stat(fx->snapshot, &st) == 0 && st.st_size > 0 && st.st_mtim.tv_sec >= st0.st_mtim.tv_sec &&
               (st.st_mtim.tv_sec != st0.st_mtim.tv_sec || st.st_mtim.tv_nsec != st0.st_mtim.tv_nsec);
    }
    assert_true(snap);
    double rgb[3];
    assert_true(harness_png_mean_rgb(fx->snapshot, 80, 135, 160, 90, rgb)); /* left tile: red */
    assert_true(rgb[0] > 150 && rgb[1] < 90);
    assert_true(harness_running(wall));
    g_free(filler);
    g_free(layout);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_camera_down_at_start, setup, teardown),
        cmocka_unit_test_setup_teardown(test_endpoint_never_answers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wall_restarted_workers_keep_running, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_fd_thread_growth_across_reconnects, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_packet_loss_and_reordering, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disk_full, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
