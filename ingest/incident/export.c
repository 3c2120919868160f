/* export: incident clips and snapshots from recorded segments (see export.h). */
#include "export.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "recstore.h"

#define EXPORT_NS 1000000000ll
#define EXPORT_DEFAULT_SEGMENT_NS (10 * EXPORT_NS)
#define EXPORT_WAIT_SLACK_NS (5 * EXPORT_NS)
#define EXPORT_WAIT_POLL_US 500000
#define EXPORT_ERR_MAX 1024

static int64_t export_now_ns(void)
{
    return g_get_real_time() * 1000;
}

static const char *export_tool(const char *env, const char *def)
{
    const char *v = getenv(env);
    return v != NULL && v[0] != '\0' ? v : def;
}

/* Runs argv; 0 on exit status 0, else -1 with the tool's last stderr line in err. stdout, if
 * wanted, is returned in *out (g_free). */
static int export_run(char **argv, char **out, char *err, size_t cap)
{
    char *so = NULL, *se = NULL;
    int status = 0;
    GError *ge = NULL;
    if (!g_spawn_sync(NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &so, &se, &status,
                      &ge)) {
        snprintf(err, cap, "cannot run %s: %s", argv[0], ge->message);
        g_error_free(ge);
        return -1;
    }
    int rc = 0;
    if (!g_spawn_check_wait_status(status, NULL)) {
        char *t = g_strstrip(se);
        char *last = strrchr(t, '\n');
        snprintf(err, cap, "%s failed: %s", argv[0], last ? last + 1 : (t[0] ? t : "(no message)"));
        rc = -1;
    }
    if (out != NULL && rc == 0)
        *out = so;
    else
        g_free(so);
    g_free(se);
    return rc;
}

int export_sha256_file(const char *path, char hex[65], int64_t *bytes, char *err, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, cap, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    GChecksum *ck = g_checksum_new(G_CHECKSUM_SHA256);
    unsigned char buf[65536];
    size_t n;
    int64_t total = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        g_checksum_update(ck, buf, n);
        total += (int64_t)n;
    }
    int rc = ferror(f) ? -1 : 0;
    if (rc != 0)
        snprintf(err, cap, "cannot read %s", path);
    else
        snprintf(hex, 65, "%s", g_checksum_get_string(ck));
    if (bytes != NULL)
        *bytes = total;
    g_checksum_free(ck);
    fclose(f);
    return rc;
}

/* "recordings of CAM cover A to B (N segments)" or "there are no recordings of CAM". */
static void export_available(const char *root, const char *cam, char *out, size_t cap)
{
    recstore_list_t l = {0};
    char e[256], a[40], b[40];
    if (recstore_scan(root, cam, &l, e, sizeof e) != 0 || l.count == 0) {
        snprintf(out, cap, "there are no recordings of %s in %s/%s", cam, root, cam);
    } else {
        recstore_format_time(l.items[0].start_ns, a, sizeof a);
        recstore_format_time(l.items[l.count - 1].end_ns, b, sizeof b);
        snprintf(out, cap, "recordings of %s cover %s to %s (%zu segments)", cam, a, b, l.count);
    }
    recstore_list_clear(&l);
}

/* Waits until the segment after `to` has started (so the one holding `to` is complete), or the
 * bound passed. */
static void export_wait(const export_options_t *opt, const char *cam, int64_t to, FILE *out)
{
    int64_t seg = opt->segment_ns > 0 ? opt->segment_ns : EXPORT_DEFAULT_SEGMENT_NS;
    int64_t limit = to + 2 * seg + EXPORT_WAIT_SLACK_NS;
    bool said = false;
    while (export_now_ns() < limit) {
        recstore_list_t l = {0};
        char e[256];
        bool done = false;
        if (recstore_scan(opt->root, cam, &l, e, sizeof e) == 0 && l.count > 0)
            done = l.items[l.count - 1].start_ns > to;
        recstore_list_clear(&l);
        if (done)
            return;
        if (!said && out != NULL) {
            fprintf(out, "%s: waiting up to %.0f s for the post-roll to be recorded\n", cam,
                    (double)(limit - export_now_ns()) / EXPORT_NS);
            fflush(out);
            said = true;
        }
        g_usleep(EXPORT_WAIT_POLL_US);
    }
}

/* Hard-links sel's files into stage; on a vanished one, err says so. */
static int export_stage(const recstore_seg_t *sel, size_t n, const char *stage, char **links,
                        const char *root, const char *cam, char *err, size_t cap)
{
    for (size_t i = 0; i < n; i++) {
        links[i] = g_strdup_printf("%s/%s", stage, strrchr(sel[i].path, '/') + 1);
        if (link(sel[i].path, links[i]) == 0)
            continue;
        int e = errno;
        char avail[512];
        export_available(root, cam, avail, sizeof avail);
        if (e == ENOENT)
            snprintf(err, cap,
                     "%s: segment %s was deleted while exporting (retention?); %s; try again",
                     cam, strrchr(sel[i].path, '/') + 1, avail);
        else
            snprintf(err, cap, "%s: cannot link %s into %s: %s", cam, sel[i].path, stage,
                     strerror(e));
        g_free(links[i]);
        links[i] = NULL;
        return -1;
    }
    return 0;
}

/* A segment's first packet timestamp in its own time base (*t0, seconds) and its length (*dur,
 * seconds; -1 when the file does not say, as while it is still being written). -1 when the file
 * cannot be read: a segment just opened may have no header on disk yet. (The container's
 * start_time is not used: it is N/A for a one-picture segment.) */
static int export_probe(const char *path, double *t0, double *dur)
{
    char *argv[] = {(char *)export_tool("PANTAU_FFPROBE", "ffprobe"), "-v", "error",
                    "-select_streams", "v:0", "-show_entries", "format=duration:packet=pts_time",
                    "-read_intervals", "%+#1", "-of", "default=nw=1", (char *)path, NULL};
    char *out = NULL, err[256];
    *t0 = *dur = -1;
    if (export_run(argv, &out, err, sizeof err) != 0)
        return -1;
    char **lines = g_strsplit(out, "\n", -1);
    for (char **l = lines; *l != NULL; l++) {
        double *dst = g_str_has_prefix(*l, "pts_time=") ? t0
                      : g_str_has_prefix(*l, "duration=") ? dur
                                                          : NULL;
        if (dst == NULL)
            continue;
        const char *v = strchr(*l, '=') + 1;
        char *end = NULL;
        double x = g_ascii_strtod(v, &end);
        if (end != v && *g_strchomp(end) == '\0' && x >= 0 && x < 1e12 && *dst < 0)
            *dst = x;
    }
    g_strfreev(lines);
    g_free(out);
    return *t0 >= 0 ? 0 : -1;
}

/* Appends "file 'PATH'" to s; a ' in the path becomes '\''. */
static void export_list_file(GString *s, const char *path)
{
    g_string_append(s, "file '");
    for (const char *p = path; *p; p++)
        if (*p == '\'')
            g_string_append(s, "'\\''");
        else
            g_string_append_c(s, *p);
    g_string_append(s, "'\n");
}

/* Writes ffmpeg's concat list of the segments, each from its first timestamp t0[i]. The window is
 * cut with inpoint/outpoint in each file's own timestamps (from the wall-clock time in its name
 * and its first timestamp), not with -ss/-t on the joined timeline: that timeline counts each file
 * for its real length, so a segment cut short (a camera that stalled) would shift every later
 * position, and a seek could land past the end (an empty clip). */
static int export_list(char *const *links, const recstore_seg_t *seg, const double *t0, size_t n,
                       int64_t from, int64_t to, const char *path, char *err, size_t cap)
{
    GString *s = g_string_new("ffconcat version 1.0\n");
    for (size_t i = 0; i < n; i++) {
        export_list_file(s, links[i]);
        if (i == 0 && from > seg[i].start_ns)
            g_string_append_printf(s, "inpoint %.3f\n",
                                   t0[i] + (double)(from - seg[i].start_ns) / EXPORT_NS);
        if (i == n - 1 && to < seg[i].end_ns)
            g_string_append_printf(s, "outpoint %.3f\n",
                                   t0[i] + (double)(to - seg[i].start_ns) / EXPORT_NS);
    }
    GError *ge = NULL;
    bool ok = g_file_set_contents(path, s->str, (gssize)s->len, &ge);
    if (!ok) {
        snprintf(err, cap, "cannot write %s: %s", path, ge->message);
        g_error_free(ge);
    }
    g_string_free(s, TRUE);
    return ok ? 0 : -1;
}

static void export_note_append(char *note, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void export_note_append(char *note, size_t cap, const char *fmt, ...)
{
    size_t used = strlen(note);
    if (used > 0 && used + 2 < cap) {
        strcat(note, "; ");
        used += 2;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(note + used, cap - used, fmt, ap);
    va_end(ap);
}

/* What the clip lacks compared with the window: late start, early end, holes. */
static void export_describe(const recstore_seg_t *sel, size_t n, int64_t from, int64_t to,
                            char *note, size_t cap)
{
    char a[40], b[40];
    note[0] = '\0';
    if (sel[0].start_ns - from > EXPORT_GAP_NS / 2)
        export_note_append(note, cap, "starts %.1f s after the requested window (oldest recording)",
                           (double)(sel[0].start_ns - from) / EXPORT_NS);
    if (to - sel[n - 1].end_ns > EXPORT_GAP_NS / 2)
        export_note_append(note, cap, "ends %.1f s before the requested window (recording "
                                      "stopped: camera offline, or not recorded yet)",
                           (double)(to - sel[n - 1].end_ns) / EXPORT_NS);
    for (size_t i = 1; i < n; i++)
        if (sel[i].start_ns - sel[i - 1].end_ns > EXPORT_GAP_NS) {
            recstore_format_time(sel[i - 1].end_ns, a, sizeof a);
            recstore_format_time(sel[i].start_ns, b, sizeof b);
            export_note_append(note, cap, "no recording from %s to %s (%.1f s; the clip joins "
                                          "across it)",
                               a, b, (double)(sel[i].start_ns - sel[i - 1].end_ns) / EXPORT_NS);
        }
}

/* Removes the staging folder and what is in it. */
static void export_unstage(const char *stage, char **links, size_t n, const char *list)
{
    for (size_t i = 0; i < n; i++)
        if (links[i] != NULL) {
            unlink(links[i]);
            g_free(links[i]);
        }
    if (list != NULL)
        unlink(list);
    rmdir(stage);
}

static int export_finish_file(const char *tmp, const char *final, const char *cam,
                              const char *kind, int64_t from, int64_t to, const char *note,
                              GArray *rows, char *err, size_t cap)
{
    store_export_t r;
    memset(&r, 0, sizeof r);
    if (rename(tmp, final) != 0) {
        snprintf(err, cap, "cannot rename %s: %s", tmp, strerror(errno));
        return -1;
    }
    if (export_sha256_file(final, r.sha256, &r.bytes, err, cap) != 0)
        return -1;
    snprintf(r.camera, sizeof r.camera, "%s", cam);
    snprintf(r.kind, sizeof r.kind, "%s", kind);
    snprintf(r.path, sizeof r.path, "%s", final);
    snprintf(r.note, sizeof r.note, "%s", note);
    r.from_ns = from;
    r.to_ns = to;
    r.created_ns = export_now_ns();
    g_array_append_val(rows, r);
    return 0;
}

/* The clip: concat of the staged segments, cut to the window by the list's in/out points. */
static int export_clip(const char *list, const char *tmp, char *err, size_t cap)
{
    char *argv[] = {(char *)export_tool("PANTAU_FFMPEG", "ffmpeg"),
                    "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                    "-f", "concat", "-safe", "0", "-i", (char *)list,
                    "-map", "0:v:0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4",
                    (char *)tmp, NULL};
    return export_run(argv, NULL, err, cap);
}

/* The snapshot: one decoded frame at `at` from the staged segment holding it. */
static int export_snapshot(const recstore_seg_t *sel, char **links, size_t n, int64_t at,
                           const char *tmp, char *err, size_t cap)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (sel[i].start_ns <= at)
            k = i;
    int64_t in = at - sel[k].start_ns;
    if (in < 0)
        in = 0;
    if (in > sel[k].end_ns - sel[k].start_ns)
        in = sel[k].end_ns - sel[k].start_ns;
    char off[32];
    snprintf(off, sizeof off, "%.3f", (double)in / EXPORT_NS);
    char *argv[] = {(char *)export_tool("PANTAU_FFMPEG", "ffmpeg"),
                    "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-ss", off,
                    "-i", links[k], "-frames:v", "1", "-update", "1", "-c:v", "png", "-f",
                    "image2", (char *)tmp, NULL};
    if (export_run(argv, NULL, err, cap) != 0)
        return -1;
    struct stat st;
    if (stat(tmp, &st) != 0 || st.st_size == 0) {
        /* Seeking past the last frame of an unfinished segment writes nothing: take its start. */
        argv[7] = "0";
        if (export_run(argv, NULL, err, cap) != 0)
            return -1;
    }
    return 0;
}

/* Fallback when the segment holding the mark cannot be read yet (it is still being written: its
 * header is not on disk): the frame at the same moment from the finished clip. */
static int export_snapshot_from_clip(const char *clip, int64_t in, int64_t dur, const char *tmp,
                                     char *err, size_t cap)
{
    if (in > dur - EXPORT_NS / 10)
        in = dur - EXPORT_NS / 10;
    if (in < 0)
        in = 0;
    char off[32];
    snprintf(off, sizeof off, "%.3f", (double)in / EXPORT_NS);
    char *argv[] = {(char *)export_tool("PANTAU_FFMPEG", "ffmpeg"),
                    "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-ss", off,
                    "-i", (char *)clip, "-frames:v", "1", "-update", "1", "-c:v", "png", "-f",
                    "image2", (char *)tmp, NULL};
    if (export_run(argv, NULL, err, cap) != 0)
        return -1;
    struct stat st;
    if (stat(tmp, &st) == 0 && st.st_size > 0)
        return 0;
    /* The clip ends before the mark (its last segment was unreadable): its last frame. */
    argv[6] = "-sseof";
    argv[7] = "-1";
    return export_run(argv, NULL, err, cap);
}

/* One camera: select, stage, clip, snapshot, hash. */
static int export_camera(const store_incident_t *inc, const char *cam, const export_options_t *opt,
                         const char *dir, GArray *rows, FILE *out, char *err, size_t cap)
{
    int64_t from = inc->at_ns - opt->pre_ns, to = inc->at_ns + opt->post_ns;
    char a[40], b[40], avail[512];
    if (opt->wait && export_now_ns() < to + EXPORT_WAIT_SLACK_NS)
        export_wait(opt, cam, to, out);
    recstore_list_t l = {0};
    if (recstore_scan(opt->root, cam, &l, err, cap) != 0)
        return -1;
    size_t first = SIZE_MAX, n = 0;
    for (size_t i = 0; i < l.count; i++)
        if (l.items[i].end_ns > from && l.items[i].start_ns < to) {
            if (first == SIZE_MAX)
                first = i;
            n = i - first + 1;
        }
    recstore_format_time(from, a, sizeof a);
    recstore_format_time(to, b, sizeof b);
    if (n == 0) {
        export_available(opt->root, cam, avail, sizeof avail);
        snprintf(err, cap, "%s: nothing recorded between %s and %s (outside the retained window?); "
                           "%s", cam, a, b, avail);
        recstore_list_clear(&l);
        return -1;
    }
    const recstore_seg_t *sel = &l.items[first];
    char *stage = g_strdup_printf("%s/.staging-%lld-%d-%s", opt->root, (long long)inc->id,
                                  (int)getpid(), cam);
    char *list = g_strdup_printf("%s/list.ffconcat", stage);
    char **links = g_new0(char *, n);
    double *t0 = NULL;
    recstore_seg_t *kseg = NULL; /* the segments used, with the span of their pictures */
    char **klinks = NULL;        /* their staged links (owned by links) */
    char *clip = g_strdup_printf("%s/%s.mp4", dir, cam), *clip_tmp = g_strdup_printf("%s.tmp", clip);
    char *png = g_strdup_printf("%s/%s.png", dir, cam), *png_tmp = g_strdup_printf("%s.tmp", png);
    char note[STORE_TEXT_MAX], why[EXPORT_ERR_MAX - 64];
    int rc = -1;
    bool staged = false;
    if (g_mkdir_with_parents(stage, 0700) != 0) {
        snprintf(err, cap, "%s: cannot create %s: %s", cam, stage, strerror(errno));
        goto out;
    }
    staged = true;
    if (export_stage(sel, n, stage, links, opt->root, cam, err, cap) != 0)
        goto out;
    /* What each segment really holds: a segment closed late after a stall ends at its last
     * picture, not at its file's modification time; one that cannot be read yet is left out. */
    size_t k = 0, unreadable = 0;
    kseg = g_new(recstore_seg_t, n);
    klinks = g_new(char *, n);
    t0 = g_new(double, n);
    for (size_t i = 0; i < n; i++) {
        double first_ts, dur;
        if (export_probe(links[i], &first_ts, &dur) != 0) {
            unreadable++;
            continue;
        }
        recstore_seg_t real = sel[i];
        if (dur >= 0 && real.start_ns + (int64_t)(dur * EXPORT_NS) < real.end_ns)
            real.end_ns = real.start_ns + (int64_t)(dur * EXPORT_NS);
        if (real.end_ns <= from)
            continue; /* its pictures all come before the window */
        kseg[k] = real;
        klinks[k] = links[i];
        t0[k++] = first_ts;
    }
    if (k == 0) {
        export_available(opt->root, cam, avail, sizeof avail);
        if (unreadable == n)
            snprintf(err, cap, "%s: none of the %zu segments between %s and %s can be read (still "
                               "being written, or damaged); %s", cam, n, a, b, avail);
        else
            snprintf(err, cap, "%s: the segments between %s and %s hold no pictures of that time "
                               "(the camera stalled?); %s", cam, a, b, avail);
        goto out;
    }
    if (export_list(klinks, kseg, t0, k, from, to, list, err, cap) != 0)
        goto out;
    int64_t start = kseg[0].start_ns > from ? kseg[0].start_ns : from;
    int64_t end = kseg[k - 1].end_ns < to ? kseg[k - 1].end_ns : to;
    export_describe(kseg, k, from, to, note, sizeof note);
    if (unreadable > 0)
        export_note_append(note, sizeof note, "%zu of %zu segments could not be read and are left "
                                               "out (the newest may still be being written)",
                           unreadable, n);
    if (export_clip(list, clip_tmp, why, sizeof why) != 0) {
        snprintf(err, cap, "%s: clip: %s", cam, why);
        goto out;
    }
    if (export_finish_file(clip_tmp, clip, cam, "clip", start, end, note, rows, err, cap) != 0)
        goto out;
    if (export_snapshot(kseg, klinks, k, inc->at_ns, png_tmp, why, sizeof why) != 0 &&
        export_snapshot_from_clip(clip, inc->at_ns - start, end - start, png_tmp, why,
                                  sizeof why) != 0) {
        snprintf(err, cap, "%s: snapshot: %s", cam, why);
        goto out;
    }
    if (export_finish_file(png_tmp, png, cam, "snapshot", inc->at_ns, inc->at_ns, "", rows, err,
                           cap) != 0)
        goto out;
    if (out != NULL) {
        store_export_t *r = &g_array_index(rows, store_export_t, rows->len - 2);
        recstore_format_time(start, a, sizeof a);
        recstore_format_time(end, b, sizeof b);
        fprintf(out, "%s: %s (%s to %s, %zu segments, %lld bytes, sha256 %s)%s%s\n", cam, clip, a,
                b, k, (long long)r->bytes, r->sha256, note[0] ? "\n  note: " : "", note);
        fprintf(out, "%s: %s (snapshot at the mark)\n", cam, png);
    }
    rc = 0;
out:
    unlink(clip_tmp);
    unlink(png_tmp);
    if (staged)
        export_unstage(stage, links, n, list);
    else
        for (size_t i = 0; i < n; i++)
            g_free(links[i]);
    g_free(links);
    g_free(t0);
    g_free(kseg);
    g_free(klinks);
    g_free(stage);
    g_free(list);
    g_free(clip);
    g_free(clip_tmp);
    g_free(png);
    g_free(png_tmp);
    recstore_list_clear(&l);
    return rc;
}

/* Takes OUT/incident-ID/.lock; -1 with who holds it. fd returned in *fd. */
static int export_lock(const char *dir, int64_t id, int *fd, char *err, size_t cap)
{
    char *path = g_strdup_printf("%s/.lock", dir);
    *fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (*fd < 0) {
        snprintf(err, cap, "cannot create %s: %s", path, strerror(errno));
        g_free(path);
        return -1;
    }
    if (flock(*fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = "";
        ssize_t n = pread(*fd, pid, sizeof pid - 1, 0);
        pid[n > 0 ? n : 0] = '\0';
        g_strchomp(pid);
        snprintf(err, cap,
                 "incident %lld is being exported by another pantau-incident (pid %s); wait for "
                 "it to finish, then look at its result or export again",
                 (long long)id, pid[0] ? pid : "?");
        close(*fd);
        *fd = -1;
        g_free(path);
        return -1;
    }
    char pid[32];
    int len = snprintf(pid, sizeof pid, "%d\n", (int)getpid());
    if (ftruncate(*fd, 0) != 0 || pwrite(*fd, pid, (size_t)len, 0) != len) {
        /* The lock holds anyway; the pid is only for the message. */
    }
    g_free(path);
    return 0;
}

/* SHA256SUMS next to the files (sha256sum -c compatible). */
static void export_sums(const char *dir, const GArray *rows)
{
    GString *s = g_string_new(NULL);
    for (guint i = 0; i < rows->len; i++) {
        const store_export_t *r = &g_array_index(rows, store_export_t, i);
        g_string_append_printf(s, "%s  %s\n", r->sha256, strrchr(r->path, '/') + 1);
    }
    char *path = g_strdup_printf("%s/SHA256SUMS", dir);
    g_file_set_contents(path, s->str, (gssize)s->len, NULL);
    g_free(path);
    g_string_free(s, TRUE);
}

int export_incident(store_t *db, const store_incident_t *inc, const export_options_t *opt,
                    FILE *out, char *err, size_t cap)
{
    char *dir = g_strdup_printf("%s/incident-%lld", opt->out_dir, (long long)inc->id);
    int fd = -1, failed = 0;
    GArray *rows = g_array_new(FALSE, TRUE, sizeof(store_export_t));
    GString *errs = g_string_new(NULL);
    if (g_mkdir_with_parents(dir, 0750) != 0) {
        snprintf(err, cap, "cannot create %s: %s", dir, strerror(errno));
        failed = 1;
        goto out;
    }
    if (export_lock(dir, inc->id, &fd, err, cap) != 0) {
        failed = 1;
        goto out;
    }
    for (int i = 0; i < inc->n_cameras; i++) {
        char why[EXPORT_ERR_MAX];
        if (export_camera(inc, inc->cameras[i], opt, dir, rows, out, why, sizeof why) != 0) {
            g_string_append_printf(errs, "%s%s", errs->len ? "\n" : "", why);
            failed++;
        }
    }
    if (rows->len > 0) {
        export_sums(dir, rows);
        char why[EXPORT_ERR_MAX];
        if (store_set_exports(db, inc->id, (const store_export_t *)(void *)rows->data,
                              (int)rows->len, why, sizeof why) != 0) {
            g_string_append_printf(errs, "%s%s", errs->len ? "\n" : "", why);
            failed++;
        }
    }
    if (failed)
        snprintf(err, cap, "%s", errs->str);
out:
    if (fd >= 0)
        close(fd); /* releases the lock */
    g_string_free(errs, TRUE);
    g_array_free(rows, TRUE);
    g_free(dir);
    return failed ? -1 : 0;
}
