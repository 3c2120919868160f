/* report: the incident report page (see report.h). */
#include "report.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "recstore.h"

#define REPORT_DEFAULT_TITLE "Laporan Insiden / Incident report"

static const char report_css[] =
    "body{font-family:DejaVu Sans,Arial,sans-serif;margin:24px;background:#f4f5f7;color:#1d2430}"
    "h1{margin:0 0 4px}p.sub{color:#5a6472;margin:0 0 20px}"
    ".inc{background:#fff;border-radius:8px;padding:16px 20px;margin:0 0 18px;"
    "box-shadow:0 1px 3px rgba(0,0,0,.12)}"
    ".inc h2{margin:0 0 6px;font-size:20px}.meta{color:#5a6472;font-size:14px;margin-bottom:8px}"
    ".note{font-size:16px;margin:8px 0 12px;white-space:pre-wrap}"
    ".cams{display:flex;flex-wrap:wrap;gap:14px}"
    ".cam{border:1px solid #d8dce2;border-radius:6px;padding:8px;max-width:420px}"
    ".cam img{display:block;width:400px;max-width:100%;border-radius:4px;background:#000}"
    ".cam .name{font-weight:bold;margin:6px 0 2px}.hash{font-family:monospace;font-size:11px;"
    "color:#5a6472;word-break:break-all}.warn{color:#a33;font-size:13px}"
    ".pending{color:#8a6d00}";

static char *report_escape(const char *s)
{
    return g_markup_escape_text(s != NULL ? s : "", -1);
}

/* href for a clip: relative to the report's folder when under it, else a file:// URI. */
static char *report_href(const char *report_dir, const char *path)
{
    size_t n = strlen(report_dir);
    if (strncmp(path, report_dir, n) == 0 && path[n] == '/')
        return g_uri_escape_string(path + n + 1, "/", FALSE);
    char *uri = g_filename_to_uri(path, NULL, NULL);
    return uri != NULL ? uri : g_strdup(path);
}

static void report_snapshot(GString *h, const store_export_t *snap)
{
    char *data = NULL;
    gsize len = 0;
    if (snap == NULL || !g_file_get_contents(snap->path, &data, &len, NULL)) {
        g_string_append(h, "<div class=\"warn\">snapshot not found</div>");
        return;
    }
    char *b64 = g_base64_encode((const guchar *)data, len);
    g_string_append_printf(h, "<img alt=\"snapshot\" src=\"data:image/png;base64,%s\">", b64);
    g_free(b64);
    g_free(data);
}

static void report_camera(GString *h, const char *report_dir, const char *cam,
                          const store_export_t *rows, int n)
{
    const store_export_t *clip = NULL, *snap = NULL;
    for (int i = 0; i < n; i++)
        if (strcmp(rows[i].camera, cam) == 0) {
            if (strcmp(rows[i].kind, "clip") == 0)
                clip = &rows[i];
            else if (strcmp(rows[i].kind, "snapshot") == 0)
                snap = &rows[i];
        }
    char *ecam = report_escape(cam);
    g_string_append_printf(h, "<div class=\"cam\"><div class=\"name\">%s</div>", ecam);
    g_free(ecam);
    if (clip == NULL) {
        g_string_append(h, "<div class=\"pending\">not exported yet</div></div>");
        return;
    }
    report_snapshot(h, snap);
    char *href = report_href(report_dir, clip->path);
    char *ehref = report_escape(href);
    char a[40], b[40];
    recstore_format_time(clip->from_ns, a, sizeof a);
    recstore_format_time(clip->to_ns, b, sizeof b);
    g_string_append_printf(h,
                           "<div><a href=\"%s\">clip (MP4)</a> %s &ndash; %s, %.1f s, %.1f MB</div>"
                           "<div class=\"hash\">SHA-256 %s</div>",
                           ehref, a + 11, b + 11, (double)(clip->to_ns - clip->from_ns) / 1e9,
                           (double)clip->bytes / 1e6, clip->sha256);
    if (clip->note[0] != '\0') {
        char *enote = report_escape(clip->note);
        g_string_append_printf(h, "<div class=\"warn\">%s</div>", enote);
        g_free(enote);
    }
    g_string_append(h, "</div>");
    g_free(ehref);
    g_free(href);
}

static int report_incident(GString *h, store_t *db, const char *report_dir,
                           const store_incident_t *inc, char *err, size_t cap)
{
    store_export_t *rows = NULL;
    int n = store_exports(db, inc->id, &rows, err, cap);
    if (n < 0)
        return -1;
    char at[40];
    recstore_format_time(inc->at_ns, at, sizeof at);
    GDateTime *dt = g_date_time_new_from_unix_local(inc->at_ns / 1000000000);
    char *local = dt != NULL ? g_date_time_format(dt, "%Y-%m-%d %H:%M:%S %Z") : g_strdup("?");
    char *note = report_escape(inc->note), *by = report_escape(inc->by),
         *origin = report_escape(inc->origin);
    g_string_append_printf(h,
                           "<div class=\"inc\" id=\"incident-%lld\"><h2>#%lld &middot; %s</h2>"
                           "<div class=\"meta\">%s (UTC) &middot; marked by %s from %s</div>"
                           "<div class=\"note\">%s</div><div class=\"cams\">",
                           (long long)inc->id, (long long)inc->id, local, at, by, origin,
                           note[0] ? note : "(no note)");
    for (int i = 0; i < inc->n_cameras; i++)
        report_camera(h, report_dir, inc->cameras[i], rows, n);
    g_string_append(h, "</div></div>\n");
    g_free(note);
    g_free(by);
    g_free(origin);
    g_free(local);
    if (dt != NULL)
        g_date_time_unref(dt);
    g_free(rows);
    return 0;
}

int report_write(store_t *db, const char *path, const char *title, char *err, size_t cap)
{
    store_incident_t *incs = NULL;
    int n = store_list(db, &incs, err, cap);
    if (n < 0)
        return -1;
    char *abs = g_canonicalize_filename(path, NULL);
    char *dir = g_path_get_dirname(abs);
    char *etitle = report_escape(title != NULL ? title : REPORT_DEFAULT_TITLE);
    char now[40];
    recstore_format_time(g_get_real_time() * 1000, now, sizeof now);
    GString *h = g_string_new(NULL);
    g_string_append_printf(h,
                           "<!DOCTYPE html>\n<html lang=\"id\"><head><meta charset=\"utf-8\">"
                           "<title>%s</title><style>%s</style></head><body>\n<h1>%s</h1>"
                           "<p class=\"sub\">%d incidents &middot; written %s by pantau-incident"
                           "</p>\n",
                           etitle, report_css, etitle, n, now);
    int rc = 0;
    for (int i = 0; i < n && rc == 0; i++)
        rc = report_incident(h, db, dir, &incs[i], err, cap);
    g_string_append(h, "</body></html>\n");
    if (rc == 0) {
        GError *ge = NULL;
        char *tmp = g_strdup_printf("%s.tmp", abs);
        if (!g_file_set_contents(tmp, h->str, (gssize)h->len, &ge) || rename(tmp, abs) != 0) {
            snprintf(err, cap, "cannot write %s: %s", abs, ge ? ge->message : g_strerror(errno));
            if (ge)
                g_error_free(ge);
            unlink(tmp);
            rc = -1;
        }
        g_free(tmp);
    }
    g_string_free(h, TRUE);
    g_free(etitle);
    g_free(dir);
    g_free(abs);
    g_free(incs);
    return rc;
}
