/* recstore: recorded segments on disk, their names, and retention (see recstore.h). */
#include "recstore.h"

#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RECSTORE_NS 1000000000ll
#define RECSTORE_LIST_MIN 64

int recstore_segment_name(const char *camera, int64_t start_ns, char *out, size_t cap)
{
    if (camera == NULL || camera[0] == '\0' || out == NULL || start_ns < 0)
        return -1;
    time_t secs = (time_t)(start_ns / RECSTORE_NS);
    int ms = (int)((start_ns % RECSTORE_NS) / 1000000);
    struct tm tm;
    if (gmtime_r(&secs, &tm) == NULL)
        return -1;
    int n = snprintf(out, cap, "%s_%04d%02d%02dT%02d%02d%02d.%03dZ" RECSTORE_EXT, camera,
                     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                     tm.tm_sec, ms);
    return n > 0 && (size_t)n < cap ? 0 : -1;
}

/* Reads exactly n decimal digits. */
static bool recstore_digits(const char **s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*s)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *s += n;
    *out = v;
    return true;
}

bool recstore_parse_name(const char *camera, const char *name, int64_t *start_ns)
{
    size_t cl = strlen(camera);
    if (strncmp(name, camera, cl) != 0 || name[cl] != '_')
        return false;
    const char *s = name + cl + 1;
    int y, mo, d, h, mi, se, ms;
    if (!recstore_digits(&s, 4, &y) || !recstore_digits(&s, 2, &mo) ||
        !recstore_digits(&s, 2, &d) || *s++ != 'T' || !recstore_digits(&s, 2, &h) ||
        !recstore_digits(&s, 2, &mi) || !recstore_digits(&s, 2, &se) || *s++ != '.' ||
        !recstore_digits(&s, 3, &ms) || strcmp(s, "Z" RECSTORE_EXT) != 0)
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60)
        return false;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h,
                    .tm_min = mi, .tm_sec = se};
    time_t t = timegm(&tm);
    if (t == (time_t)-1)
        return false;
    *start_ns = (int64_t)t * RECSTORE_NS + (int64_t)ms * 1000000;
    return true;
}

static int recstore_push(recstore_list_t *list, const recstore_seg_t *seg)
{
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : RECSTORE_LIST_MIN;
        recstore_seg_t *items = realloc(list->items, cap * sizeof *items);
        if (items == NULL)
            return -1;
        list->items = items;
        list->cap = cap;
    }
    list->items[list->count++] = *seg;
    return 0;
}

/* Adds root/camera's segments. A missing folder adds nothing. */
static int recstore_scan_camera(const char *root, const char *camera, recstore_list_t *list,
                                char *err, size_t cap)
{
    char dir[RECSTORE_PATH_MAX];
    if ((size_t)snprintf(dir, sizeof dir, "%s/%s", root, camera) >= sizeof dir) {
        snprintf(err, cap, "path too long: %s/%s", root, camera);
        return -1;
    }
    DIR *d = opendir(dir);
    if (d == NULL) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, cap, "cannot read %s: %s", dir, strerror(errno));
        return -1;
    }
    struct dirent *de;
    int rc = 0;
    while ((de = readdir(d)) != NULL) {
        recstore_seg_t seg;
        memset(&seg, 0, sizeof seg);
        if (!recstore_parse_name(camera, de->d_name, &seg.start_ns))
            continue;
        snprintf(seg.camera, sizeof seg.camera, "%s", camera);
        if ((size_t)snprintf(seg.path, sizeof seg.path, "%s/%s", dir, de->d_name) >=
            sizeof seg.path)
            continue;
        struct stat st;
        if (stat(seg.path, &st) != 0 || !S_ISREG(st.st_mode))
            continue; /* deleted meanwhile, or not a file */
        seg.bytes = (uint64_t)st.st_size;
        seg.end_ns = (int64_t)st.st_mtim.tv_sec * RECSTORE_NS + st.st_mtim.tv_nsec;
        if (seg.end_ns < seg.start_ns)
            seg.end_ns = seg.start_ns;
        if (recstore_push(list, &seg) != 0) {
            snprintf(err, cap, "out of memory");
            rc = -1;
            break;
        }
    }
    closedir(d);
    return rc;
}

static int recstore_cmp(const void *a, const void *b)
{
    const recstore_seg_t *x = a, *y = b;
    if (x->start_ns != y->start_ns)
        return x->start_ns < y->start_ns ? -1 : 1;
    return strcmp(x->camera, y->camera);
}

/* Camera folder names are ids: [A-Za-z0-9_-], which also keeps "." and "exports"-like folders
 * with dots out. */
static bool recstore_id_like(const char *name)
{
    if (name[0] == '\0' || strlen(name) > 31)
        return false;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '_' || *p == '-'))
            return false;
    return true;
}

int recstore_scan(const char *root, const char *camera, recstore_list_t *list, char *err,
                  size_t cap)
{
    if (root == NULL || list == NULL) {
        snprintf(err, cap, "recstore_scan: missing arguments");
        return -1;
    }
    int rc = 0;
    if (camera != NULL) {
        rc = recstore_scan_camera(root, camera, list, err, cap);
    } else {
        DIR *d = opendir(root);
        if (d == NULL) {
            if (errno == ENOENT)
                return 0;
            snprintf(err, cap, "cannot read %s: %s", root, strerror(errno));
            return -1;
        }
        struct dirent *de;
        while (rc == 0 && (de = readdir(d)) != NULL)
            if (recstore_id_like(de->d_name) && strcmp(de->d_name, "exports") != 0)
                rc = recstore_scan_camera(root, de->d_name, list, err, cap);
        closedir(d);
    }
    if (list->count > 1)
        qsort(list->items, list->count, sizeof *list->items, recstore_cmp);
    return rc;
}

void recstore_list_clear(recstore_list_t *list)
{
    if (list == NULL)
        return;
    free(list->items);
    memset(list, 0, sizeof *list);
}

/* Index of the newest segment of camera in list, or SIZE_MAX. */
static size_t recstore_newest(const recstore_list_t *l, const char *camera)
{
    for (size_t i = l->count; i-- > 0;)
        if (strcmp(l->items[i].camera, camera) == 0)
            return i;
    return SIZE_MAX;
}

/* Deletes item i (marks it removed by zeroing its size and path). */
static void recstore_remove(recstore_seg_t *seg, recstore_prune_t *out)
{
    if (unlink(seg->path) != 0 && errno != ENOENT) {
        out->failed++;
        return;
    }
    out->removed++;
    out->removed_bytes += seg->bytes;
    seg->bytes = 0;
    seg->path[0] = '\0';
}

/* Is item i removable: still present, not its camera's newest. */
static bool recstore_removable(const recstore_list_t *l, size_t i)
{
    return l->items[i].path[0] != '\0' && recstore_newest(l, l->items[i].camera) != i;
}

int recstore_prune(const char *root, const char *camera, const recstore_limits_t *limits,
                   int64_t now_ns, recstore_prune_t *out, char *err, size_t cap)
{
    recstore_list_t all = {0};
    memset(out, 0, sizeof *out);
    if (camera == NULL || limits == NULL) {
        snprintf(err, cap, "recstore_prune: missing arguments");
        return -1;
    }
    if (recstore_scan(root, NULL, &all, err, cap) != 0) {
        recstore_list_clear(&all);
        return -1;
    }
    uint64_t cam_bytes = 0, total = 0;
    for (size_t i = 0; i < all.count; i++) {
        total += all.items[i].bytes;
        if (strcmp(all.items[i].camera, camera) == 0)
            cam_bytes += all.items[i].bytes;
    }
    /* Own camera: age, then quota, oldest first. */
    for (size_t i = 0; i < all.count; i++) {
        recstore_seg_t *s = &all.items[i];
        if (strcmp(s->camera, camera) != 0 || !recstore_removable(&all, i))
            continue;
        bool too_old = limits->max_age_ns > 0 && now_ns - s->end_ns > limits->max_age_ns;
        bool over = limits->quota_bytes > 0 && cam_bytes > limits->quota_bytes;
        if (!too_old && !over)
            continue;
        uint64_t b = s->bytes;
        recstore_remove(s, out);
        if (s->path[0] == '\0') {
            cam_bytes -= b;
            total -= b;
        }
    }
    /* Everything: the oldest of any camera until under the total. */
    for (size_t i = 0; i < all.count && limits->total_bytes > 0 && total > limits->total_bytes;
         i++) {
        recstore_seg_t *s = &all.items[i];
        if (!recstore_removable(&all, i))
            continue;
        uint64_t b = s->bytes;
        bool own = strcmp(s->camera, camera) == 0;
        recstore_remove(s, out);
        if (s->path[0] == '\0') {
            total -= b;
            if (own)
                cam_bytes -= b;
        }
    }
    out->camera_bytes = cam_bytes;
    out->total_bytes = total;
    recstore_list_clear(&all);
    return 0;
}

/* Number with an optional one-letter unit from units (multipliers in mult). */
static int recstore_parse_unit(const char *text, const char *units, const uint64_t *mult,
                               uint64_t *out)
{
    if (text == NULL || text[0] < '0' || text[0] > '9')
        return -1;
    errno = 0;
    char *end = NULL;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno != 0)
        return -1;
    uint64_t m = 1;
    if (*end != '\0') {
        const char *u = strchr(units, *end);
        if (u == NULL || end[1] != '\0')
            return -1;
        m = mult[u - units];
    }
    if (m != 0 && v > UINT64_MAX / m)
        return -1;
    *out = (uint64_t)v * m;
    return 0;
}

int recstore_parse_duration(const char *text, int64_t *ns, char *err, size_t cap)
{
    static const uint64_t mult[] = {1, 60, 3600, 86400, 604800};
    uint64_t secs;
    if (recstore_parse_unit(text, "smhdw", mult, &secs) != 0 || secs > 3650ull * 86400) {
        snprintf(err, cap, "'%s' is not a duration (e.g. 90s, 30m, 12h, 7d; at most 3650d)",
                 text != NULL ? text : "");
        return -1;
    }
    *ns = (int64_t)secs * RECSTORE_NS;
    return 0;
}

int recstore_parse_size(const char *text, uint64_t *bytes, char *err, size_t cap)
{
    static const uint64_t mult[] = {1024ull, 1024ull << 20, 1024ull << 10, 1024ull << 30};
    if (recstore_parse_unit(text, "KGMT", mult, bytes) != 0) {
        snprintf(err, cap, "'%s' is not a size (e.g. 500M, 20G, 1T; K/M/G/T are powers of 1024)",
                 text != NULL ? text : "");
        return -1;
    }
    return 0;
}

void recstore_format_time(int64_t ns, char *out, size_t cap)
{
    time_t secs = (time_t)(ns / RECSTORE_NS);
    struct tm tm;
    if (ns < 0 || gmtime_r(&secs, &tm) == NULL) {
        snprintf(out, cap, "?");
        return;
    }
    snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
             tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (int)((ns % RECSTORE_NS) / 1000000));
}
