/* it_review: the incident review window and the recording state on the wall, on real processes.
 *
 * Review: pantau-test-camera (RTSP on loopback) -> pantau-ingest --record-dir -> pantau-incident
 * mark + export -> pantau-wall --review --headless, driven with pantauctl review: play, seek
 * (absolute, relative, to the mark), frame step forward and back, play and pause; positions and
 * wall-clock times checked against the clip and the mark; snapshots of the window (the clip's
 * green picture in the video area); an incident not exported, a damaged clip and a deleted clip
 * give a message and the window goes on answering.
 *
 * Recording state: a wall whose recordings folder cannot be created shows rec=unwritable in its
 * status file and in pantauctl status while the camera's live frames keep coming; a camera with
 * record=off shows rec=off. About 40 s. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <glib.h>

#include "harness.h"
#include "recstore.h"

#define CAM_SIZE "640x360"
#define READY_TIMEOUT_MS 10000
#define STATE_TIMEOUT_MS 15000
#define RUN_TIMEOUT_MS 60000
#define FRAME_MS 40 /* the test camera's 25 fps */

typedef struct {
    harness_t *h;
    char *ingest, *camera, *incident, *wall, *ctl;
    char url[256];
    char *rec, *layout;
    int runs;
} fx_t;

static int setup(void **state)
{
    fx_t *fx = g_new0(fx_t, 1);
    fx->h = harness_new();
    fx->ingest = harness_bin("pantau-ingest");
    fx->camera = harness_bin("pantau-test-camera");
    fx->incident = harness_bin("pantau-incident");
    fx->wall = harness_bin("pantau-wall");
    fx->ctl = harness_bin("pantauctl");
    *state = fx;
    if (fx->h == NULL || !fx->ingest || !fx->camera || !fx->incident || !fx->wall || !fx->ctl)
        return -1;
    fx->rec = harness_path(fx->h, "rec");
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    harness_destroy(&fx->h);
    g_free(fx->ingest);
    g_free(fx->camera);
    g_free(fx->incident);
    g_free(fx->wall);
    g_free(fx->ctl);
    g_free(fx->rec);
    g_free(fx->layout);
    g_free(fx);
    return 0;
}

static void start_camera(fx_t *fx, const char *color)
{
    char port[16];
    snprintf(port, sizeof port, "%d", harness_free_port());
    const char *argv[] = {fx->camera, "--port", port, "--size", CAM_SIZE, "--color", color, NULL};
    harness_proc_t *p = harness_spawn(fx->h, "camera", argv, NULL);
    assert_non_null(p);
    char line[256];
    assert_true(harness_wait_line(p, "READY ", line, sizeof line, READY_TIMEOUT_MS));
    snprintf(fx->url, sizeof fx->url, "%s", line + strlen("READY "));
}

/* Runs pantauctl --layout LAYOUT WORDS... (NULL-terminated); its stdout+stderr into *out
 * (caller g_frees; may be NULL); returns the exit status (g_spawn_sync: the harness's process
 * table is kept for the long-running processes). */
static int ctl(fx_t *fx, char **out, ...)
{
    const char *argv[16] = {fx->ctl, "--layout", fx->layout, "--timeout", "5000"};
    int n = 5;
    va_list ap;
    va_start(ap, out);
    for (const char *w; n < 15 && (w = va_arg(ap, const char *)) != NULL;)
        argv[n++] = w;
    va_end(ap);
    argv[n] = NULL;
    char *so = NULL, *se = NULL;
    int status = -1;
    fx->runs++;
    if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &so, &se, &status,
                      NULL))
        return -1;
    if (out != NULL)
        *out = g_strconcat(so ? so : "", se ? se : "", NULL);
    g_free(so);
    g_free(se);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Value of key in a key=value line ("" if absent); quoted values without quotes. */
static void field(const char *text, const char *key, char *out, size_t cap)
{
    char k[64];
    snprintf(k, sizeof k, "%s=", key);
    const char *p = text;
    out[0] = '\0';
    while ((p = strstr(p, k)) != NULL) {
        if (p == text || p[-1] == ' ' || p[-1] == '\n') {
            p += strlen(k);
            size_t n = *p == '"' ? strcspn(p + 1, "\"") : strcspn(p, " \n");
            snprintf(out, cap, "%.*s", (int)n, *p == '"' ? p + 1 : p);
            return;
        }
        p += strlen(k);
    }
}

typedef struct {
    fx_t *fx;
    char status[4096];
} st_wait_t;

/* The review window has settled: not loading, no seek or step under way. */
static bool review_settled(void *ctx)
{
    st_wait_t *w = ctx;
    char *out = NULL, v[64], b[8];
    int rc = ctl(w->fx, &out, "review", "status", NULL);
    snprintf(w->status, sizeof w->status, "%s", out ? out : "");
    g_free(out);
    field(w->status, "state", v, sizeof v);
    field(w->status, "busy", b, sizeof b);
    return rc == 0 && strcmp(v, "loading") != 0 && strcmp(b, "0") == 0;
}

static long long settle(fx_t *fx, const char *key)
{
    st_wait_t w = {.fx = fx};
    assert_true(harness_wait_until(review_settled, &w, STATE_TIMEOUT_MS));
    char v[128];
    field(w.status, key, v, sizeof v);
    return strtoll(v, NULL, 10);
}

static void settle_text(fx_t *fx, const char *key, char *out, size_t cap)
{
    st_wait_t w = {.fx = fx};
    assert_true(harness_wait_until(review_settled, &w, STATE_TIMEOUT_MS));
    field(w.status, key, out, cap);
}

static bool have_segments(void *ctx)
{
    fx_t *fx = ctx;
    recstore_list_t l = {0};
    char err[256];
    size_t n = recstore_scan(fx->rec, "gate", &l, err, sizeof err) == 0 ? l.count : 0;
    recstore_list_clear(&l);
    return n >= 4;
}

static size_t seg_total(fx_t *fx)
{
    recstore_list_t l = {0};
    char err[256];
    size_t n = recstore_scan(fx->rec, "gate", &l, err, sizeof err) == 0 ? l.count : 0;
    recstore_list_clear(&l);
    return n;
}

typedef struct {
    fx_t *fx;
    size_t want;
} seg_more_t;

static bool more_segments(void *ctx)
{
    seg_more_t *m = ctx;
    return seg_total(m->fx) >= m->want;
}

static void write_layout(fx_t *fx, const char *recordings, const char *extra)
{
    char *text = g_strdup_printf(
        "[wall]\ntitle=Smart Room Kota Bontang\ncanvas=1280x720\ngrid=2x1\nlanguage=en\n"
        "fps=10\nrecordings=%s\nendpoint_dir=%s\n\n"
        "[camera gate]\nlabel=Gerbang Pelabuhan\nsource=%s\ntile=0,0\n%s",
        recordings, harness_dir(fx->h), fx->url, extra ? extra : "");
    g_free(fx->layout);
    fx->layout = harness_write_file(fx->h, "lay.ini", text, 0644);
    g_free(text);
    assert_non_null(fx->layout);
}

/* The local time string the window shows for ns ("YYYY-MM-DD HH:MM:SS.mmm"). */
static void local_ms(int64_t ns, char *out, size_t cap)
{
    time_t t = (time_t)(ns / 1000000000);
    struct tm tm;
    localtime_r(&t, &tm);
    char d[40];
    strftime(d, sizeof d, "%Y-%m-%d %H:%M:%S", &tm);
    snprintf(out, cap, "%s.%03d", d, (int)(ns % 1000000000 / 1000000));
}

/* Clip start (from_ns) of incident 1's clip, from pantau-incident's export line. */
static int64_t clip_start_ns(fx_t *fx)
{
    char *path = harness_path(fx->h, "export.stdout");
    char *text = harness_read_file(path, NULL);
    g_free(path);
    assert_non_null(text);
    const char *p = strstr(text, "gate.mp4 (");
    assert_non_null(p);
    char iso[40];
    snprintf(iso, sizeof iso, "%.24s", p + strlen("gate.mp4 ("));
    g_free(text);
    GDateTime *dt = g_date_time_new_from_iso8601(iso, NULL);
    assert_non_null(dt);
    int64_t ns = g_date_time_to_unix(dt) * 1000000000ll +
                 (int64_t)g_date_time_get_microsecond(dt) * 1000;
    g_date_time_unref(dt);
    return ns;
}

static void test_review_playback(void **state)
{
    fx_t *fx = *state;
    start_camera(fx, "0x00ff00");
    const char *ep = g_strdup_printf("ipc://%s/gate.sock", harness_dir(fx->h));
    const char *ingest[] = {fx->ingest, "--id", "gate", "--source", fx->url, "--endpoint", ep,
                            "--width", "320", "--height", "180", "--record-dir", fx->rec,
                            "--segment-s", "2", NULL};
    assert_non_null(harness_spawn(fx->h, "ingest", ingest, NULL));
    assert_true(harness_wait_until(have_segments, fx, 30000));

    const char *mark[] = {fx->incident, "--recordings", fx->rec, "mark", "--camera", "gate",
                          "--note", "Truk mogok di gerbang", "--at", "-3s", "--by", "operator1",
                          NULL};
    assert_int_equal(harness_run(fx->h, "mark", mark, NULL, RUN_TIMEOUT_MS), 0);
    const char *exp[] = {fx->incident, "--recordings", fx->rec, "export", "1", "--pre", "4",
                         "--post", "2", NULL};
    assert_int_equal(harness_run(fx->h, "export", exp, NULL, RUN_TIMEOUT_MS), 0);
    const char *mark2[] = {fx->incident, "--recordings", fx->rec, "mark", "--camera", "gate",
                           "--note", "not exported", NULL};
    assert_int_equal(harness_run(fx->h, "mark2", mark2, NULL, RUN_TIMEOUT_MS), 0);
    int64_t from_ns = clip_start_ns(fx);

    write_layout(fx, fx->rec, NULL);
    char *snap = harness_path(fx->h, "review.png");
    const char *wall[] = {fx->wall, "--review", "--headless", "--snapshot", snap, fx->layout, NULL};
    harness_proc_t *w = harness_spawn(fx->h, "review", wall, NULL);
    assert_non_null(w);
    assert_true(harness_wait_line(w, "pantau-wall: review", NULL, 0, READY_TIMEOUT_MS));

    char *out = NULL;
    assert_int_equal(ctl(fx, &out, "review", "list", NULL), 0);
    assert_non_null(strstr(out, "2 incidents"));
    assert_non_null(strstr(out, "Truk mogok di gerbang"));
    g_free(out);

    /* Play incident 1: paused on its first frame (a clip cut from recordings may begin with a
     * gap before its first keyframe: first_ms). */
    assert_int_equal(ctl(fx, NULL, "review", "play", "1", NULL), 0);
    long long first = settle(fx, "first_ms");
    assert_int_equal(settle(fx, "pos_ms"), first);
    assert_true(first >= 0 && first < 2500);
    long long dur = settle(fx, "dur_ms"), mark_ms = settle(fx, "mark_ms");
    harness_note("clip %lld ms, mark at %lld ms", dur, mark_ms);
    assert_true(dur >= 5000 && dur <= 9000);
    assert_true(mark_ms > 500 && mark_ms < dur);

    /* Absolute seek, then the time shown is the clip's start + the position. */
    assert_int_equal(ctl(fx, NULL, "review", "seek", "3", NULL), 0);
    long long p0 = settle(fx, "pos_ms");
    assert_true(p0 >= 3000 - FRAME_MS && p0 <= 3000 + FRAME_MS);
    char shown[64], want[64];
    settle_text(fx, "time", shown, sizeof shown);
    local_ms(from_ns + p0 * 1000000, want, sizeof want);
    harness_note("at %lld ms the window shows %s (expected %s)", p0, shown, want);
    assert_int_equal(strncmp(shown, want, 19), 0); /* same second; ms within rounding */

    /* Frame steps: one frame forward, one back to the same frame. */
    assert_int_equal(ctl(fx, NULL, "review", "step", NULL), 0);
    long long p1 = settle(fx, "pos_ms");
    assert_true(p1 > p0 && p1 - p0 <= 2 * FRAME_MS);
    assert_int_equal(ctl(fx, NULL, "review", "step", NULL), 0);
    long long p2 = settle(fx, "pos_ms");
    assert_true(p2 > p1 && p2 - p1 <= 2 * FRAME_MS);
    assert_int_equal(ctl(fx, NULL, "review", "step", "back", NULL), 0);
    long long p3 = settle(fx, "pos_ms");
    harness_note("steps: %lld -> %lld -> %lld -> back %lld ms", p0, p1, p2, p3);
    assert_true(p3 >= p1 - 1 && p3 <= p1 + 1);

    /* Relative seeks. */
    assert_int_equal(ctl(fx, NULL, "review", "seek", "+1", NULL), 0);
    long long p4 = settle(fx, "pos_ms");
    assert_true(p4 >= p3 + 1000 - FRAME_MS && p4 <= p3 + 1000 + FRAME_MS);
    assert_int_equal(ctl(fx, NULL, "review", "seek", "-60", NULL), 0);
    assert_int_equal(settle(fx, "pos_ms"), first); /* clamped to the first frame */

    /* Play a while, pause: the position moved on and stays. */
    assert_int_equal(ctl(fx, NULL, "review", "resume", NULL), 0);
    long long moving = 0;
    for (int i = 0; i < 100 && moving < first + 500; i++) {
        usleep(50000);
        moving = settle(fx, "pos_ms");
    }
    assert_true(moving >= first + 500);
    assert_int_equal(ctl(fx, NULL, "review", "pause", NULL), 0);
    char st[32];
    settle_text(fx, "state", st, sizeof st);
    assert_string_equal(st, "paused");
    long long frames_before = settle(fx, "frames");
    assert_true(frames_before >= 10);

    /* To the mark: the timeline's mark and the playhead meet; snapshot of the window. */
    assert_int_equal(ctl(fx, NULL, "review", "seek", "mark", NULL), 0);
    long long pm = settle(fx, "pos_ms");
    harness_note("seek to the mark (%lld ms): at %lld ms (first frame %lld ms)", mark_ms, pm,
                 first);
    assert_true(pm >= mark_ms - FRAME_MS && pm <= mark_ms + FRAME_MS);
    char *shot = harness_path(fx->h, "review-mark.png");
    assert_int_equal(ctl(fx, NULL, "--review", "snapshot", shot, NULL), 0);
    double rgb[3];
    /* The video area (right of the list, above the timeline) shows the camera's green. */
    assert_true(harness_png_mean_rgb(shot, 520, 120, 600, 300, rgb));
    harness_note("review snapshot %s: video area rgb %.0f,%.0f,%.0f", shot, rgb[0], rgb[1], rgb[2]);
    assert_true(rgb[1] > 150 && rgb[0] < 90 && rgb[2] < 90);
    /* The timeline's played part (cyan) reaches to the mark. */
    assert_true(harness_png_mean_rgb(shot, 440, 648, 60, 8, rgb));
    assert_true(rgb[2] > 150 && rgb[1] > 150 && rgb[0] < 100);

    /* Not exported: the recorded segment holding the mark plays instead, once it is complete
     * (two more segments begun after it). */
    seg_more_t more = {fx, seg_total(fx) + 2};
    assert_true(harness_wait_until(more_segments, &more, 30000));
    assert_int_equal(ctl(fx, NULL, "review", "play", "2", NULL), 0);
    char src[32];
    settle_text(fx, "source", src, sizeof src);
    assert_string_equal(src, "segment");
    settle_text(fx, "state", st, sizeof st);
    assert_string_equal(st, "paused");
    long long seg_mark = settle(fx, "mark_ms"), seg_dur = settle(fx, "dur_ms");
    harness_note("incident 2 (not exported): segment of %lld ms, mark at %lld ms", seg_dur,
                 seg_mark);
    assert_true(seg_mark >= 0 && seg_mark <= seg_dur + 500);
    assert_int_equal(ctl(fx, NULL, "review", "seek", "mark", NULL), 0);
    settle_text(fx, "state", st, sizeof st);
    assert_string_equal(st, "paused");

    /* Marked before anything was recorded, not exported: a message, and the window goes on. */
    const char *mark3[] = {fx->incident, "--recordings", fx->rec, "mark", "--camera", "gate",
                           "--at", "-3600s", "--note", "too old", NULL};
    assert_int_equal(harness_run(fx->h, "mark3", mark3, NULL, RUN_TIMEOUT_MS), 0);
    assert_int_equal(ctl(fx, &out, "review", "play", "3", NULL), 1);
    assert_non_null(strstr(out, "gate: not exported, and nothing recorded at the mark"));
    g_free(out);
    char *shot2 = harness_path(fx->h, "review-noclip.png");
    assert_int_equal(ctl(fx, NULL, "--review", "snapshot", shot2, NULL), 0);
    assert_int_equal(ctl(fx, &out, "review", "step", NULL), 1);
    g_free(out);

    /* A damaged clip: GStreamer's reason on screen. */
    char *clip = g_strdup_printf("%s/exports/incident-1/gate.mp4", fx->rec);
    char *good = harness_path(fx->h, "good.mp4");
    assert_int_equal(rename(clip, good), 0);
    char *junk = harness_write_file(fx->h, "junk", "this is not a video\n", 0644);
    assert_non_null(junk);
    assert_int_equal(rename(junk, clip), 0);
    assert_int_equal(ctl(fx, NULL, "review", "play", "1", NULL), 0);
    settle_text(fx, "state", st, sizeof st);
    assert_string_equal(st, "error");
    char msg[512];
    settle_text(fx, "message", msg, sizeof msg);
    harness_note("damaged clip: %s", msg);
    assert_true(msg[0] != '\0');
    char *shot3 = harness_path(fx->h, "review-damaged.png");
    assert_int_equal(ctl(fx, NULL, "--review", "snapshot", shot3, NULL), 0);

    /* A deleted clip. */
    assert_int_equal(unlink(clip), 0);
    assert_int_equal(ctl(fx, &out, "review", "play", "1", NULL), 1);
    assert_non_null(strstr(out, "gate.mp4 is missing"));
    g_free(out);
    /* Back in place, it plays again. */
    assert_int_equal(rename(good, clip), 0);
    assert_int_equal(ctl(fx, NULL, "review", "play", "1", NULL), 0);
    settle_text(fx, "state", st, sizeof st);
    assert_string_equal(st, "paused");

    /* The review window refuses live-wall commands with a reason, and quits cleanly. */
    assert_int_equal(ctl(fx, &out, "--review", "focus", "gate", NULL), 1);
    assert_non_null(strstr(out, "review window"));
    g_free(out);
    assert_true(harness_running(w));
    assert_int_equal(harness_signal(w, SIGTERM), 0);
    int status = -1;
    assert_true(harness_wait_exit(w, 10000, &status));
    assert_int_equal(status, 0);
    g_free(clip);
    g_free(good);
    g_free(junk);
    g_free(shot);
    g_free(shot2);
    g_free(shot3);
    g_free(snap);
    g_free((char *)ep);
}

typedef struct {
    const char *path, *cam, *key, *want;
} status_wait_t;

static bool status_is(void *ctx)
{
    status_wait_t *w = ctx;
    char *text = harness_read_file(w->path, NULL);
    bool ok = false;
    char prefix[64];
    snprintf(prefix, sizeof prefix, "camera=%s ", w->cam);
    for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n"))
        if (strncmp(line, prefix, strlen(prefix)) == 0) {
            char v[64];
            field(line, w->key, v, sizeof v);
            ok = strcmp(v, w->want) == 0;
        }
    g_free(text);
    return ok;
}

static long long status_frames(const char *path, const char *cam)
{
    char *text = harness_read_file(path, NULL);
    long long n = -1;
    char prefix[64];
    snprintf(prefix, sizeof prefix, "camera=%s ", cam);
    for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n"))
        if (strncmp(line, prefix, strlen(prefix)) == 0) {
            char v[64];
            field(line, "frames", v, sizeof v);
            n = strtoll(v, NULL, 10);
        }
    g_free(text);
    return n;
}

typedef struct {
    const char *path;
    long long after;
} frames_wait_t;

static bool frames_grew(void *ctx)
{
    frames_wait_t *w = ctx;
    return status_frames(w->path, "gate") > w->after + 10;
}

/* A recordings folder that cannot be created: the wall shows it, live video goes on. */
static void test_rec_state_on_wall(void **state)
{
    fx_t *fx = *state;
    start_camera(fx, "0x0000ff");
    char *file = harness_write_file(fx->h, "afile", "x", 0644); /* a file where a folder goes */
    assert_non_null(file);
    char *bad = g_strdup_printf("%s/rec", file);
    write_layout(fx, bad, "\n[camera lobi]\nlabel=Lobi\nsource=test\ntile=1,0\n");
    char *status = harness_path(fx->h, "wall.status"), *snap = harness_path(fx->h, "wall.png");
    const char *wall[] = {fx->wall, "--headless", "--status-file", status, "--snapshot", snap,
                          "--every", "0.5", fx->layout, NULL};
    harness_proc_t *w = harness_spawn(fx->h, "wall", wall, NULL);
    assert_non_null(w);
    status_wait_t live = {status, "gate", "state", "live"};
    assert_true(harness_wait_until(status_is, &live, STATE_TIMEOUT_MS));
    status_wait_t rec = {status, "gate", "rec", "unwritable"};
    assert_true(harness_wait_until(status_is, &rec, STATE_TIMEOUT_MS));
    status_wait_t off = {status, "lobi", "rec", "off"};
    assert_true(harness_wait_until(status_is, &off, STATE_TIMEOUT_MS));
    /* Live video continues while recording is impossible. */
    frames_wait_t fw = {status, status_frames(status, "gate")};
    assert_true(harness_wait_until(frames_grew, &fw, STATE_TIMEOUT_MS));
    assert_true(status_is(&live));

    char *out = NULL;
    assert_int_equal(ctl(fx, &out, "status", NULL), 0);
    harness_note("pantauctl status:\n%s", out);
    assert_non_null(strstr(out, " REC "));
    assert_non_null(strstr(out, "unwritable"));
    g_free(out);
    char *shot = harness_path(fx->h, "rec-state.png");
    assert_int_equal(ctl(fx, NULL, "snapshot", shot, NULL), 0);
    double rgb[3];
    assert_true(harness_png_mean_rgb(shot, 60, 150, 500, 300, rgb)); /* the live blue picture */
    harness_note("rec-state snapshot %s: tile rgb %.0f,%.0f,%.0f", shot, rgb[0], rgb[1], rgb[2]);
    assert_true(rgb[2] > 150 && rgb[0] < 90);

    /* The folder becomes possible (a folder where the file was): the worker's retry (every
     * 10 s) starts recording, and the state says so. */
    assert_int_equal(unlink(file), 0);
    assert_int_equal(mkdir(file, 0755), 0);
    assert_true(harness_wait_until(status_is, &(status_wait_t){status, "gate", "rec",
                                                               "recording"}, 30000));
    assert_true(status_is(&live));
    char *shot_ok = harness_path(fx->h, "rec-on.png");
    assert_int_equal(ctl(fx, NULL, "snapshot", shot_ok, NULL), 0);
    assert_int_equal(harness_signal(w, SIGTERM), 0);
    assert_true(harness_wait_exit(w, 15000, NULL));
    g_free(shot_ok);
    g_free(shot);
    g_free(status);
    g_free(snap);
    g_free(bad);
    g_free(file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_review_playback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rec_state_on_wall, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
