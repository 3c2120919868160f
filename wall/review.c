/* review: the incident review window (see review.h). */
#include "review.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <glib.h>

#include "log.h"
#include "player.h"
#include "recstore.h"
#include "render_timeline.h"
#include "store.h"
#include "tilestate.h"

#define DEFAULT_REFRESH_NS 5000000000ull /* re-read the incident list this often */
#define DEFAULT_LIST_LINES 36            /* list lines at most (three per incident) */
#define DEFAULT_LINE_MAX 320
#define DEFAULT_MSG_MAX 1024
#define REVIEW_NS 1000000000ll
#define DEFAULT_GROWING_NS (5 * REVIEW_NS) /* a newest segment changed this recently is open */

struct review {
    const layout_t *layout;
    char *layout_path, *db_path, *incident_prog;
    bool en;
    /* the list */
    store_incident_t *incidents;
    int n_incidents, selected;
    char list_note[DEFAULT_MSG_MAX]; /* why the list is empty */
    uint64_t next_refresh_ns;
    /* what plays */
    int64_t playing_id;              /* 0 = nothing */
    int cam;                         /* index into the incident's cameras */
    store_incident_t inc;
    store_export_t clip;             /* from_ns/to_ns: the clip's recorded span */
    player_t *player;
    char message[DEFAULT_MSG_MAX];   /* said on the picture instead of playing */
    int64_t target_ns;               /* the last seek's target, -1 = none */
    /* the scene and its strings */
    scene_t scene;
    scene_tile_t tile;
    scene_panel_t panel;
    scene_timeline_t timeline;
    char lines[DEFAULT_LIST_LINES][DEFAULT_LINE_MAX];
    const char *line_ptrs[DEFAULT_LIST_LINES];
    char title[256], clock[64], label[256], badge[64], headline[128], detail[DEFAULT_MSG_MAX];
    char t_centre[128], t_left[64], t_right[64], t_hint[256];
};

/* snprintf that may cut (list lines, times): the cut is what the panel would do anyway. */
static void cut_printf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cut_printf(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
}

static const char *tr(const review_t *r, const char *en, const char *id)
{
    return r->en ? en : id;
}

review_t *review_new(const layout_t *layout, const char *layout_path, const char *db_path,
                     const char *incident_prog)
{
    review_t *r = g_new0(review_t, 1);
    r->layout = layout;
    r->layout_path = g_strdup(layout_path);
    r->en = tilestate_lang_from_code(layout->language) == TILESTATE_LANG_EN;
    if (db_path != NULL)
        r->db_path = g_strdup(db_path);
    else if (layout->recordings != NULL)
        r->db_path = g_build_filename(layout->recordings, "incidents.db", NULL);
    r->incident_prog = g_strdup(incident_prog);
    r->target_ns = -1;
    review_refresh(r);
    return r;
}

void review_destroy(review_t **rp)
{
    if (rp == NULL || *rp == NULL)
        return;
    review_t *r = *rp;
    player_destroy(&r->player);
    g_free(r->incidents);
    g_free(r->layout_path);
    g_free(r->db_path);
    g_free(r->incident_prog);
    g_free(r);
    *rp = NULL;
}

/* ---- the list ------------------------------------------------------------------------------- */

static store_t *review_open_db(review_t *r, char *err, size_t cap)
{
    struct stat st;
    if (r->db_path == NULL) {
        snprintf(err, cap, "%s", tr(r, "no incidents database: the layout has no [wall] "
                                       "recordings= (or give --incidents FILE)",
                                    "tidak ada basis data insiden: layout tanpa [wall] "
                                    "recordings= (atau beri --incidents FILE)"));
        return NULL;
    }
    if (stat(r->db_path, &st) != 0) {
        snprintf(err, cap, "%s %s %s", tr(r, "no incidents yet:", "belum ada insiden:"),
                 r->db_path, tr(r, "does not exist (mark one with M on the wall)",
                                "belum ada (tandai dengan M di dinding)"));
        return NULL;
    }
    return store_open(r->db_path, err, cap);
}

void review_refresh(review_t *r)
{
    char err[512];
    store_t *s = review_open_db(r, err, sizeof err);
    if (s == NULL) {
        snprintf(r->list_note, sizeof r->list_note, "%s", err);
        return;
    }
    store_incident_t *list = NULL;
    int n = store_list(s, &list, err, sizeof err);
    store_close(&s);
    if (n < 0) {
        snprintf(r->list_note, sizeof r->list_note, "%s: %s", r->db_path, err);
        return;
    }
    int64_t sel_id = r->selected < r->n_incidents ? r->incidents[r->selected].id : 0;
    g_free(r->incidents);
    r->incidents = list;
    r->n_incidents = n;
    r->selected = 0;
    for (int i = 0; i < n; i++)
        if (list[i].id == sel_id)
            r->selected = i;
    snprintf(r->list_note, sizeof r->list_note, "%s",
             n == 0 ? tr(r, "no incidents marked yet", "belum ada insiden") : "");
}

static void fmt_time(int64_t ns, bool with_date, bool ms, char *buf, size_t cap)
{
    time_t t = (time_t)(ns / REVIEW_NS);
    struct tm tm;
    localtime_r(&t, &tm);
    char d[64];
    strftime(d, sizeof d, with_date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm);
    if (ms)
        cut_printf(buf, cap, "%s.%03d", d, (int)((ns % REVIEW_NS) / 1000000));
    else
        snprintf(buf, cap, "%s", d);
}

static void cameras_text(const store_incident_t *inc, char *buf, size_t cap)
{
    buf[0] = '\0';
    for (int i = 0; i < inc->n_cameras; i++) {
        size_t n = strlen(buf);
        snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", inc->cameras[i]);
    }
}

/* ---- playing -------------------------------------------------------------------------------- */

static void review_stop(review_t *r)
{
    player_destroy(&r->player);
    r->playing_id = 0;
    r->message[0] = '\0';
    r->target_ns = -1;
}

/* Opens camera index cam of incident inc: its clip from the database, or a message why not. */
/* Not exported yet: the recorded segment holding the mark (the recordings folder: the layout's,
 * else the database's folder). True with r->clip filled (kind "segment"). */
static bool review_segment(review_t *r, const char *camera, int64_t at_ns, bool *busy)
{
    char *root = r->layout->recordings != NULL ? g_strdup(r->layout->recordings)
                 : r->db_path != NULL         ? g_path_get_dirname(r->db_path)
                                              : NULL;
    recstore_list_t l = {0};
    char err[256];
    bool ok = false;
    if (root != NULL && recstore_scan(root, camera, &l, err, sizeof err) == 0) {
        /* The last segment that starts at or before the mark (a segment's file time is when
         * it was closed, later than its last picture, so it cannot tell which one holds it). */
        size_t k = l.count;
        for (size_t i = 0; i < l.count; i++)
            if (l.items[i].start_ns <= at_ns)
                k = i;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        int64_t now = (int64_t)ts.tv_sec * REVIEW_NS + ts.tv_nsec;
        /* The newest segment, still growing: a Matroska file being written cannot be played. */
        *busy = k + 1 == l.count && now - l.items[k].end_ns < DEFAULT_GROWING_NS;
        if (k < l.count && !*busy) {
            const recstore_seg_t *g = &l.items[k];
            snprintf(r->clip.path, sizeof r->clip.path, "%s", g->path);
            snprintf(r->clip.camera, sizeof r->clip.camera, "%s", camera);
            snprintf(r->clip.kind, sizeof r->clip.kind, "segment");
            snprintf(r->clip.note, sizeof r->clip.note, "%s",
                     tr(r, "not exported: the recorded segment holding the mark (E exports the "
                           "whole window)",
                        "belum diekspor: segmen rekaman yang memuat tanda (E mengekspor seluruh "
                        "jendela)"));
            r->clip.from_ns = g->start_ns;
            r->clip.to_ns = g->end_ns;
            ok = true;
        }
    }
    recstore_list_clear(&l);
    g_free(root);
    return ok;
}

static bool review_open(review_t *r, const store_incident_t *inc, int cam, char *err, size_t cap)
{
    review_stop(r);
    r->inc = *inc;
    r->cam = cam;
    r->playing_id = inc->id;
    memset(&r->clip, 0, sizeof r->clip);
    const char *camera = inc->cameras[cam];
    char why[512];
    store_t *s = review_open_db(r, why, sizeof why);
    store_export_t *rows = NULL;
    int n = s != NULL ? store_exports(s, inc->id, &rows, why, sizeof why) : -1;
    store_close(&s);
    bool found = false;
    for (int i = 0; i < n; i++)
        if (strcmp(rows[i].camera, camera) == 0 && strcmp(rows[i].kind, "clip") == 0) {
            r->clip = rows[i];
            found = true;
        }
    g_free(rows);
    bool growing = false;
    if (n >= 0 && !found)
        found = review_segment(r, camera, inc->at_ns, &growing);
    if (n < 0)
        snprintf(r->message, sizeof r->message, "%s", why);
    else if (!found && growing)
        snprintf(r->message, sizeof r->message, r->en
                     ? "%s: the segment at the mark is still being written\n"
                       "open incident %lld again in a few seconds, or press E to export it"
                     : "%s: segmen pada tanda masih ditulis\n"
                       "buka insiden %lld lagi beberapa detik lagi, atau tekan E untuk ekspor",
                 camera, (long long)inc->id);
    else if (!found)
        snprintf(r->message, sizeof r->message, r->en
                     ? "%s: not exported, and nothing recorded at the mark\n"
                       "press E, or run pantau-incident export %lld"
                     : "%s: belum diekspor, dan tak ada rekaman pada tanda\n"
                       "tekan E, atau jalankan pantau-incident export %lld",
                 camera, (long long)inc->id);
    else {
        r->player = player_new(r->clip.path, why, sizeof why);
        if (r->player == NULL) {
            const char *base = strrchr(r->clip.path, '/');
            snprintf(r->message, sizeof r->message, r->en
                         ? "%s is missing (deleted or moved?)\nexport again: press E, or "
                           "pantau-incident export %lld"
                         : "%s hilang (terhapus atau dipindah?)\nekspor ulang: tekan E, atau "
                           "pantau-incident export %lld",
                     base ? base + 1 : r->clip.path, (long long)inc->id);
            log_warn("review", "%s", why);
        }
    }
    if (r->message[0] != '\0') {
        snprintf(err, cap, "%s", r->message);
        log_warn("review", "incident %lld %s: %s", (long long)inc->id, camera, r->message);
        return false;
    }
    log_info("review", "incident %lld %s: playing %s", (long long)inc->id, camera, r->clip.path);
    return true;
}

static int review_find(const review_t *r, int64_t id)
{
    for (int i = 0; i < r->n_incidents; i++)
        if (r->incidents[i].id == id)
            return i;
    return -1;
}

static int64_t review_base_ns(const review_t *r)
{
    if (player_busy(r->player) && r->target_ns >= 0)
        return r->target_ns;
    int64_t p = player_position_ns(r->player);
    return p < 0 ? 0 : p;
}

static int review_seek_to(review_t *r, int64_t pos)
{
    int64_t dur = player_duration_ns(r->player);
    if (dur > 0 && pos > dur)
        pos = dur;
    if (pos < player_first_ns(r->player))
        pos = player_first_ns(r->player);
    if (player_seek(r->player, pos) != 0)
        return -1;
    r->target_ns = pos;
    return 0;
}

static int64_t review_mark_pos(const review_t *r)
{
    return r->inc.at_ns - r->clip.from_ns;
}

static void review_export(review_t *r)
{
    if (r->n_incidents == 0 || r->incident_prog == NULL)
        return;
    int64_t id = r->playing_id ? r->playing_id : r->incidents[r->selected].id;
    char ids[32];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    char *argv[] = {r->incident_prog, "--layout", r->layout_path, "export", ids, NULL};
    char *dbargv[] = {r->incident_prog, "--layout", r->layout_path, "--db", r->db_path,
                      "export", ids, NULL};
    GError *ge = NULL;
    bool ok = g_spawn_async(NULL, r->db_path ? dbargv : argv, NULL,
                            G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                            NULL, &ge);
    if (!ok) {
        log_warn("review", "cannot run %s: %s", r->incident_prog, ge->message);
        g_error_free(ge);
        return;
    }
    log_info("review", "exporting incident %lld (pantau-incident export)", (long long)id);
    snprintf(r->message, sizeof r->message, r->en
                 ? "exporting incident %lld... (waits for the post-roll; open it again when done)"
                 : "mengekspor insiden %lld... (menunggu akhir jendela; buka lagi setelah selesai)",
             (long long)id);
}

/* ---- input and commands --------------------------------------------------------------------- */

void review_key(review_t *r, review_key_t key, int n, int x, int y)
{
    char err[DEFAULT_MSG_MAX];
    switch (key) {
    case REVIEW_KEY_SELECT:
        if (r->n_incidents > 0)
            r->selected = (r->selected + n + r->n_incidents) % r->n_incidents;
        break;
    case REVIEW_KEY_OPEN:
        if (r->n_incidents > 0)
            review_open(r, &r->incidents[r->selected], 0, err, sizeof err);
        break;
    case REVIEW_KEY_PAUSE:
        if (player_state(r->player) == PLAYER_PLAYING)
            player_pause(r->player);
        else
            player_play(r->player);
        break;
    case REVIEW_KEY_SEEK: review_seek_to(r, review_base_ns(r) + (int64_t)n * REVIEW_NS); break;
    case REVIEW_KEY_STEP:
        if (player_step(r->player, n) == 0)
            r->target_ns = -1;
        break;
    case REVIEW_KEY_CAMERA:
        if (r->playing_id != 0 && r->inc.n_cameras > 1) {
            store_incident_t inc = r->inc;
            review_open(r, &inc, (r->cam + 1) % inc.n_cameras, err, sizeof err);
        }
        break;
    case REVIEW_KEY_MARK:
        if (r->player != NULL)
            review_seek_to(r, review_mark_pos(r));
        break;
    case REVIEW_KEY_CLOSE: review_stop(r); break;
    case REVIEW_KEY_EXPORT: review_export(r); break;
    case REVIEW_KEY_CLICK: {
        grid_rect_t bar = render_timeline_bar(&r->timeline), v = r->tile.rect;
        int64_t dur = player_duration_ns(r->player);
        if (r->player != NULL && dur > 0 && x >= bar.x - bar.h && x <= bar.x + bar.w + bar.h &&
            y >= bar.y - 2 * bar.h && y <= bar.y + 3 * bar.h) {
            double f = (double)(x - bar.x) / (bar.w > 0 ? bar.w : 1);
            review_seek_to(r, (int64_t)(f * (double)dur));
        } else if (r->player != NULL && x >= v.x && x < v.x + v.w && y >= v.y && y < v.y + v.h) {
            review_key(r, REVIEW_KEY_PAUSE, 0, 0, 0);
        }
        break;
    }
    case REVIEW_KEY_NONE: break;
    }
}

static void review_status_line(review_t *r, char *out, size_t cap)
{
    char msg[DEFAULT_MSG_MAX];
    snprintf(msg, sizeof msg, "%s", r->message[0] ? r->message : player_error(r->player));
    for (char *c = msg; *c; c++)
        if (*c == '\n' || *c == '"')
            *c = *c == '"' ? '\'' : ';';
    int64_t pos = player_position_ns(r->player), dur = player_duration_ns(r->player);
    char t[64] = "-";
    if (r->player != NULL && pos >= 0)
        fmt_time(r->clip.from_ns + pos, true, true, t, sizeof t);
    snprintf(out, cap,
             "ok\nincident=%lld camera=%s state=%s busy=%d pos_ms=%lld first_ms=%lld dur_ms=%lld "
             "frames=%llu "
             "time=\"%s\" mark_ms=%lld incidents=%d source=%s clip=%s message=\"%s\"",
             (long long)r->playing_id, r->playing_id ? r->inc.cameras[r->cam] : "-",
             r->playing_id == 0 ? "list" : r->player == NULL ? "error"
                                                             : player_state_name(player_state(r->player)),
             player_busy(r->player), pos < 0 ? -1LL : (long long)(pos / 1000000),
             (long long)(player_first_ns(r->player) / 1000000), dur < 0 ? -1LL : (long long)(dur / 1000000),
             (unsigned long long)player_frames_shown(r->player), t,
             r->player ? (long long)(review_mark_pos(r) / 1000000) : -1LL, r->n_incidents,
             r->clip.kind[0] ? r->clip.kind : "-",
             r->clip.path[0] ? r->clip.path : "-", msg);
}

static bool review_list_text(review_t *r, char *out, size_t cap)
{
    review_refresh(r);
    size_t n = (size_t)snprintf(out, cap, "ok\n%d incident%s%s%s", r->n_incidents,
                                r->n_incidents == 1 ? "" : "s", r->list_note[0] ? ": " : "",
                                r->list_note);
    for (int i = 0; i < r->n_incidents && n < cap; i++) {
        const store_incident_t *inc = &r->incidents[i];
        char t[64], cams[512];
        fmt_time(inc->at_ns, true, false, t, sizeof t);
        cameras_text(inc, cams, sizeof cams);
        n += (size_t)snprintf(out + n, cap - n, "\n%lld  %s  %s  \"%s\"  %s %s", (long long)inc->id,
                              t, cams, inc->note, inc->by, inc->origin);
    }
    return true;
}

bool review_command(review_t *r, const ctl_cmd_t *cmd, char *out, size_t cap)
{
    char err[DEFAULT_MSG_MAX];
    bool need_player = cmd->review_op == CTL_REVIEW_PAUSE || cmd->review_op == CTL_REVIEW_RESUME ||
                       cmd->review_op == CTL_REVIEW_SEEK || cmd->review_op == CTL_REVIEW_STEP;
    player_state_t st = player_state(r->player);
    if (need_player && (r->player == NULL || st == PLAYER_ERROR || st == PLAYER_LOADING)) {
        snprintf(out, cap, "error: %s", r->player == NULL
                                            ? (r->message[0] ? "nothing plays: the clip could not "
                                                               "be opened (review status says why)"
                                                             : "nothing is playing (review play ID)")
                                        : st == PLAYER_LOADING ? "the clip is still opening"
                                                               : player_error(r->player));
        return false;
    }
    switch (cmd->review_op) {
    case CTL_REVIEW_LIST: return review_list_text(r, out, cap);
    case CTL_REVIEW_PLAY: {
        review_refresh(r);
        int i = review_find(r, cmd->review_id);
        if (i < 0) {
            snprintf(out, cap, "error: no incident %lld (%d incident%s in %s)",
                     (long long)cmd->review_id, r->n_incidents, r->n_incidents == 1 ? "" : "s",
                     r->db_path ? r->db_path : "no database");
            return false;
        }
        int cam = 0;
        if (cmd->target[0] != '\0') {
            for (cam = 0; cam < r->incidents[i].n_cameras; cam++)
                if (strcmp(r->incidents[i].cameras[cam], cmd->target) == 0)
                    break;
            if (cam == r->incidents[i].n_cameras) {
                snprintf(out, cap, "error: incident %lld has no camera '%s'",
                         (long long)cmd->review_id, cmd->target);
                return false;
            }
        }
        r->selected = i;
        if (!review_open(r, &r->incidents[i], cam, err, sizeof err)) {
            snprintf(out, cap, "error: %s (shown on the screen)", err);
            return false;
        }
        snprintf(out, cap, "ok\nincident %lld camera %s: %s", (long long)cmd->review_id,
                 r->incidents[i].cameras[cam], r->clip.path);
        return true;
    }
    case CTL_REVIEW_CAMERA: {
        int cam;
        for (cam = 0; r->playing_id != 0 && cam < r->inc.n_cameras; cam++)
            if (strcmp(r->inc.cameras[cam], cmd->target) == 0)
                break;
        if (r->playing_id == 0 || cam == r->inc.n_cameras) {
            snprintf(out, cap, "error: %s '%s'",
                     r->playing_id ? "the incident has no camera" : "nothing is open; no camera",
                     cmd->target);
            return false;
        }
        store_incident_t inc = r->inc;
        if (!review_open(r, &inc, cam, err, sizeof err)) {
            snprintf(out, cap, "error: %s", err);
            return false;
        }
        snprintf(out, cap, "ok\ncamera %s", cmd->target);
        return true;
    }
    case CTL_REVIEW_PAUSE:
    case CTL_REVIEW_RESUME:
        if ((cmd->review_op == CTL_REVIEW_PAUSE ? player_pause(r->player)
                                                : player_play(r->player)) != 0) {
            snprintf(out, cap, "error: the player refused");
            return false;
        }
        snprintf(out, cap, "ok\n%s", cmd->review_op == CTL_REVIEW_PAUSE ? "paused" : "playing");
        return true;
    case CTL_REVIEW_SEEK: {
        int64_t dur = player_duration_ns(r->player), s = (int64_t)(cmd->seconds * REVIEW_NS);
        int64_t to = cmd->seek_kind == CTL_SEEK_REL ? review_base_ns(r) + s
                     : cmd->seek_kind == CTL_SEEK_ABS ? s
                     : cmd->seek_kind == CTL_SEEK_MARK ? review_mark_pos(r)
                                                       : (int64_t)(cmd->seconds / 100.0 * (double)dur);
        if (review_seek_to(r, to) != 0) {
            snprintf(out, cap, "error: cannot seek (clip length not known yet?)");
            return false;
        }
        snprintf(out, cap, "ok\nseeking to %.3f s", (double)r->target_ns / REVIEW_NS);
        return true;
    }
    case CTL_REVIEW_STEP:
        if (player_step(r->player, cmd->step) != 0) {
            snprintf(out, cap, "error: no frame %s", cmd->step > 0 ? "after this one (end of "
                                                                     "the clip)"
                                                                   : "before this one (start)");
            return false;
        }
        r->target_ns = -1;
        snprintf(out, cap, "ok\nstep %s", cmd->step > 0 ? "forward" : "back");
        return true;
    case CTL_REVIEW_STATUS: review_status_line(r, out, cap); return true;
    case CTL_REVIEW_CLOSE:
        review_stop(r);
        snprintf(out, cap, "ok\nback to the list");
        return true;
    }
    snprintf(out, cap, "error: unknown review command");
    return false;
}

/* ---- the scene ------------------------------------------------------------------------------ */

static void review_list_lines(review_t *r)
{
    int n = 0, per = 3, max = DEFAULT_LIST_LINES / per;
    int first = r->selected >= max ? r->selected - max + 1 : 0;
    if (r->n_incidents == 0)
        cut_printf(r->lines[n++], DEFAULT_LINE_MAX, "%s", r->list_note);
    for (int i = first; i < r->n_incidents && n + per <= DEFAULT_LIST_LINES; i++) {
        const store_incident_t *inc = &r->incidents[i];
        char t[64], cams[256];
        time_t secs = (time_t)(inc->at_ns / REVIEW_NS);
        struct tm tm;
        localtime_r(&secs, &tm);
        strftime(t, sizeof t, "%d/%m %H:%M:%S", &tm);
        cameras_text(inc, cams, sizeof cams);
        bool sel = i == r->selected, on = inc->id == r->playing_id;
        cut_printf(r->lines[n++], DEFAULT_LINE_MAX, "%s#%lld  %s  %s",
                 on ? "\xe2\x96\xb6 " : sel ? "\xe2\x80\xba " : "  ", (long long)inc->id, t, cams);
        cut_printf(r->lines[n++], DEFAULT_LINE_MAX, "    %s%s%s",
                 inc->note[0] ? "\xe2\x80\x9c" : "", inc->note[0] ? inc->note : "-",
                 inc->note[0] ? "\xe2\x80\x9d" : "");
        cut_printf(r->lines[n++], DEFAULT_LINE_MAX, "    %s \xc2\xb7 %s", inc->by, inc->origin);
    }
    for (int i = 0; i < n; i++)
        r->line_ptrs[i] = r->lines[i];
    r->panel.lines = r->line_ptrs;
    r->panel.n_lines = n;
}

static const char *review_camera_label(const review_t *r, const char *id)
{
    const layout_camera_t *c = layout_find_camera(r->layout, id);
    return c != NULL && c->label != NULL ? c->label : id;
}

static void review_video(review_t *r)
{
    scene_tile_t *t = &r->tile;
    grid_rect_t rect = t->rect;
    *t = (scene_tile_t){.id = "review", .rect = rect, .fit = GRID_FIT_LETTERBOX};
    r->headline[0] = r->detail[0] = r->badge[0] = '\0';
    if (r->playing_id == 0) {
        snprintf(r->headline, sizeof r->headline, "%s", tr(r, "INCIDENT REVIEW", "TINJAUAN INSIDEN"));
        snprintf(r->detail, sizeof r->detail, "%s",
                 r->n_incidents ? tr(r, "choose an incident: Up/Down, Enter",
                                     "pilih insiden: Atas/Bawah, Enter")
                                : r->list_note);
        t->severity = SCENE_SEVERITY_INFO;
    } else {
        const char *cam = r->inc.cameras[r->cam];
        snprintf(r->label, sizeof r->label, "%s \xc2\xb7 %s %lld%s", review_camera_label(r, cam),
                 tr(r, "incident", "insiden"), (long long)r->inc.id,
                 r->inc.n_cameras > 1 ? tr(r, "  (Tab: next camera)", "  (Tab: kamera lain)") : "");
        t->label = r->label;
        player_frame_t f;
        if (r->player != NULL && player_frame(r->player, &f)) {
            t->has_frame = true;
            t->frame_new = f.fresh;
            t->frame_w = f.w;
            t->frame_h = f.h;
            for (int i = 0; i < 3; i++) {
                t->planes[i] = f.planes[i];
                t->strides[i] = f.strides[i];
            }
        }
        player_state_t st = player_state(r->player);
        const char *why = r->message[0] ? r->message : player_error(r->player);
        if (r->player == NULL || st == PLAYER_ERROR) {
            snprintf(r->headline, sizeof r->headline, "%s",
                     tr(r, "CANNOT PLAY", "TIDAK DAPAT DIPUTAR"));
            const char *base = strrchr(r->clip.path, '/');
            if (r->player != NULL) /* GStreamer's reason, then the file */
                cut_printf(r->detail, sizeof r->detail, "%s\n%s: %s", why,
                         base ? base + 1 : r->clip.path,
                         tr(r, "damaged or not a video: export again (E)",
                            "rusak atau bukan video: ekspor ulang (E)"));
            else
                snprintf(r->detail, sizeof r->detail, "%s", why);
            t->severity = SCENE_SEVERITY_ERROR;
            t->dim = t->has_frame;
        } else {
            static const char *en[] = {"LOADING", "PAUSED", "PLAYING", "END", "ERROR"};
            static const char *id[] = {"MEMUAT", "JEDA", "PUTAR", "SELESAI", "GALAT"};
            snprintf(r->badge, sizeof r->badge, "%s%s", (r->en ? en : id)[st],
                     player_busy(r->player) ? " \xe2\x80\xa6" : "");
            t->severity = st == PLAYER_PLAYING ? SCENE_SEVERITY_OK : SCENE_SEVERITY_INFO;
            if (r->clip.note[0] != '\0')
                snprintf(r->detail, sizeof r->detail, "%s", r->clip.note);
        }
    }
    t->headline = r->headline[0] ? r->headline : NULL;
    t->detail = r->detail[0] ? r->detail : NULL;
    t->badge = r->badge[0] ? r->badge : NULL;
}

static void review_timeline(review_t *r)
{
    scene_timeline_t *tl = &r->timeline;
    tl->pos = tl->mark = -1;
    tl->centre = tl->left = tl->right = NULL;
    snprintf(r->t_hint, sizeof r->t_hint, "%s",
             tr(r, "Space pause \xc2\xb7 \xe2\x86\x90/\xe2\x86\x92 5 s \xc2\xb7 Shift 60 s \xc2\xb7 "
                   ", . frame \xc2\xb7 M mark \xc2\xb7 Tab camera \xc2\xb7 E export \xc2\xb7 "
                   "click the bar to seek \xc2\xb7 Esc list \xc2\xb7 Ctrl+Q quit",
                "Spasi jeda \xc2\xb7 \xe2\x86\x90/\xe2\x86\x92 5 dtk \xc2\xb7 Shift 60 dtk \xc2\xb7 "
                ", . bingkai \xc2\xb7 M tanda \xc2\xb7 Tab kamera \xc2\xb7 E ekspor \xc2\xb7 "
                "klik bilah untuk lompat \xc2\xb7 Esc daftar \xc2\xb7 Ctrl+Q keluar"));
    tl->hint = r->t_hint;
    int64_t dur = player_duration_ns(r->player), pos = player_position_ns(r->player);
    if (r->player == NULL || dur <= 0)
        return;
    tl->pos = pos >= 0 ? (double)pos / (double)dur : -1;
    tl->mark = (double)review_mark_pos(r) / (double)dur;
    if (tl->mark < 0 || tl->mark > 1)
        tl->mark = -1;
    char t[64];
    fmt_time(r->clip.from_ns + (pos > 0 ? pos : 0), true, true, t, sizeof t);
    snprintf(r->t_centre, sizeof r->t_centre, "%s   (%+.2f s %s)", t,
             (double)(pos - review_mark_pos(r)) / REVIEW_NS, tr(r, "from the mark", "dari tanda"));
    fmt_time(r->clip.from_ns, false, false, r->t_left, sizeof r->t_left);
    fmt_time(r->clip.from_ns + dur, false, false, r->t_right, sizeof r->t_right);
    tl->centre = r->t_centre;
    tl->left = r->t_left;
    tl->right = r->t_right;
}

static void review_geometry(review_t *r)
{
    int W = r->layout->canvas_w, H = r->layout->canvas_h;
    int bar = H / 18, pad = H / 90 > 4 ? H / 90 : 4;
    int list_w = W * 3 / 10, tl_h = H / 6;
    int x0 = pad + list_w + pad, top = bar + pad;
    r->scene.title_rect = (grid_rect_t){0, 0, W, bar};
    r->panel.rect = (grid_rect_t){pad, top, list_w, H - top - pad};
    r->tile.rect = (grid_rect_t){x0, top, W - x0 - pad, H - top - tl_h - 2 * pad};
    r->timeline.rect = (grid_rect_t){x0, H - pad - tl_h, W - x0 - pad, tl_h};
}

const scene_t *review_tick(review_t *r, uint64_t now_ns)
{
    if (now_ns >= r->next_refresh_ns) {
        if (r->next_refresh_ns != 0)
            review_refresh(r);
        r->next_refresh_ns = now_ns + DEFAULT_REFRESH_NS;
    }
    player_update(r->player);
    if (!player_busy(r->player))
        r->target_ns = -1;
    review_geometry(r);
    time_t t = (time_t)(now_ns / REVIEW_NS);
    struct tm tm;
    localtime_r(&t, &tm);
    tilestate_clock_text(r->en ? TILESTATE_LANG_EN : TILESTATE_LANG_ID, &tm, r->clock,
                         sizeof r->clock);
    snprintf(r->title, sizeof r->title, "%s \xc2\xb7 %s",
             r->layout->title && r->layout->title[0] ? r->layout->title : "Pantau",
             tr(r, "Incident review", "Tinjauan insiden"));
    r->panel.title = tr(r, "Incidents", "Insiden");
    r->panel.counters = NULL;
    review_list_lines(r);
    review_video(r);
    review_timeline(r);
    r->scene = (scene_t){
        .canvas_w = r->layout->canvas_w,
        .canvas_h = r->layout->canvas_h,
        .title_rect = r->scene.title_rect,
        .title = r->title,
        .clock = r->clock,
        .tiles = &r->tile,
        .n_tiles = 1,
        .panels = &r->panel,
        .n_panels = 1,
        .timeline = &r->timeline,
    };
    return &r->scene;
}
