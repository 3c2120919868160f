/* pantau-incident: incident marks, clip export and the report (docs/incidents.md).
 *
 *   pantau-incident [--recordings DIR | --layout FILE] [--db FILE] COMMAND ...
 *     mark --camera ID[,ID...] [--camera ID] [--note TEXT] [--at TIME] [--by WHO] [--from WHERE]
 *     list
 *     export ID [--pre S] [--post S] [--out DIR] [--no-wait]
 *     report [--out FILE.html] [--title TEXT]
 *
 * The recordings folder comes from --recordings, else the layout's [wall] recordings=, else
 * $PANTAU_RECORDINGS. The database defaults to RECORDINGS/incidents.db, exports to
 * RECORDINGS/exports. pantauctl runs it as `pantauctl incident ARGS...` (same folder).
 *
 * main reads as: parse → open the store → run the command → close → exit code: 0 done, 1 the
 * command could not be done (outside retention, export busy, ffmpeg failed), 2 bad arguments
 * (unknown camera, bad time, unknown incident). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "export.h"
#include "layout.h"
#include "recstore.h"
#include "report.h"
#include "store.h"

#define EXIT_FAIL 1
#define EXIT_USAGE 2
#define MAIN_ERR_MAX 8192
#define MAIN_NS 1000000000ll

typedef struct {
    const char *recordings, *layout_path, *db;
    char **args; /* the command and its arguments */
    int nargs;
    layout_t *layout; /* when --layout */
    char *root;       /* resolved recordings folder */
} main_ctx_t;

static void main_usage(FILE *f)
{
    fprintf(f,
            "usage: pantau-incident [--recordings DIR | --layout FILE] [--db FILE] COMMAND ...\n"
            "  mark --camera ID[,ID...] [--note TEXT] [--at TIME] [--by WHO] [--from WHERE]\n"
            "        TIME: now (default), -90s (before now), 2026-11-23T14:24:00Z, @UNIXSECONDS\n"
            "  list\n"
            "  export ID [--pre SECONDS (30)] [--post SECONDS (60)] [--out DIR] [--no-wait]\n"
            "  report [--out FILE.html] [--title TEXT]\n"
            "Recordings folder: --recordings, else the layout's [wall] recordings=, else "
            "$PANTAU_RECORDINGS.\n");
}

/* Value of an option at args[*i] ("--name v" or "--name=v"); NULL if args[*i] is not it. */
static const char *main_opt(char **args, int n, int *i, const char *name, bool *missing)
{
    size_t len = strlen(name);
    if (strncmp(args[*i], name, len) != 0)
        return NULL;
    if (args[*i][len] == '=')
        return args[*i] + len + 1;
    if (args[*i][len] != '\0')
        return NULL;
    if (*i + 1 >= n) {
        *missing = true;
        return NULL;
    }
    return args[++*i];
}

/* TIME -> ns. */
static int main_parse_time(const char *t, int64_t *ns, char *err, size_t cap)
{
    int64_t now = g_get_real_time() * 1000;
    if (t == NULL || strcmp(t, "now") == 0) {
        *ns = now;
        return 0;
    }
    if (t[0] == '-') {
        int64_t d;
        if (recstore_parse_duration(t + 1, &d, err, cap) != 0)
            return -1;
        *ns = now - d;
        return 0;
    }
    if (t[0] == '@') {
        char *end = NULL;
        double s = g_ascii_strtod(t + 1, &end);
        if (end != NULL && *end == '\0' && end != t + 1 && s > 0) {
            *ns = (int64_t)(s * 1e9);
            return 0;
        }
    } else {
        GTimeZone *local = g_time_zone_new_local();
        GDateTime *dt = g_date_time_new_from_iso8601(t, local);
        g_time_zone_unref(local);
        if (dt != NULL) {
            *ns = g_date_time_to_unix(dt) * MAIN_NS + g_date_time_get_microsecond(dt) * 1000ll;
            g_date_time_unref(dt);
            return 0;
        }
    }
    snprintf(err, cap, "--at: '%s' is not a time (now, -90s, 2026-11-23T14:24:00Z, @1795000000)",
             t);
    return -1;
}

/* Cameras known: the layout's, else the camera folders under the recordings folder. */
static bool main_known_camera(const main_ctx_t *c, const char *id, GString *known)
{
    if (c->layout != NULL) {
        for (int i = 0; i < c->layout->n_cameras; i++)
            g_string_append_printf(known, "%s%s", i ? ", " : "", c->layout->cameras[i].id);
        return layout_find_camera(c->layout, id) != NULL;
    }
    GDir *d = g_dir_open(c->root, 0, NULL);
    bool found = false;
    const char *name;
    while (d != NULL && (name = g_dir_read_name(d)) != NULL) {
        char *p = g_build_filename(c->root, name, NULL);
        if (name[0] != '.' && strcmp(name, "exports") != 0 && g_file_test(p, G_FILE_TEST_IS_DIR)) {
            g_string_append_printf(known, "%s%s", known->len ? ", " : "", name);
            found = found || strcmp(name, id) == 0;
        }
        g_free(p);
    }
    if (d != NULL)
        g_dir_close(d);
    return found;
}

static int main_add_cameras(const main_ctx_t *c, store_incident_t *inc, const char *list,
                            char *err, size_t cap)
{
    char **ids = g_strsplit(list, ",", -1);
    int rc = 0;
    for (char **p = ids; *p != NULL && rc == 0; p++) {
        char *id = g_strstrip(*p);
        if (id[0] == '\0')
            continue;
        GString *known = g_string_new(NULL);
        if (!main_known_camera(c, id, known)) {
            snprintf(err, cap, "--camera: unknown camera '%s' (known: %s)", id,
                     known->len ? known->str : "none");
            rc = -1;
        } else if (inc->n_cameras >= STORE_MAX_CAMERAS) {
            snprintf(err, cap, "--camera: at most %d cameras", STORE_MAX_CAMERAS);
            rc = -1;
        } else {
            bool dup = false;
            for (int i = 0; i < inc->n_cameras; i++)
                dup = dup || strcmp(inc->cameras[i], id) == 0;
            if (!dup)
                snprintf(inc->cameras[inc->n_cameras++], sizeof inc->cameras[0], "%s", id);
        }
        g_string_free(known, TRUE);
    }
    g_strfreev(ids);
    return rc;
}

static int main_mark(main_ctx_t *c, store_t *db, char *err, size_t cap)
{
    store_incident_t *inc = g_new0(store_incident_t, 1);
    const char *at = NULL, *note = "", *by = NULL, *from = NULL;
    int rc = EXIT_USAGE;
    for (int i = 1; i < c->nargs; i++) {
        bool missing = false;
        const char *v;
        if ((v = main_opt(c->args, c->nargs, &i, "--camera", &missing)) != NULL) {
            if (main_add_cameras(c, inc, v, err, cap) != 0)
                goto out;
        } else if ((v = main_opt(c->args, c->nargs, &i, "--note", &missing)) != NULL) {
            note = v;
        } else if ((v = main_opt(c->args, c->nargs, &i, "--at", &missing)) != NULL) {
            at = v;
        } else if ((v = main_opt(c->args, c->nargs, &i, "--by", &missing)) != NULL) {
            by = v;
        } else if ((v = main_opt(c->args, c->nargs, &i, "--from", &missing)) != NULL) {
            from = v;
        } else {
            snprintf(err, cap, "mark: %s '%s'", missing ? "missing value for" : "unknown option",
                     c->args[i]);
            goto out;
        }
    }
    if (inc->n_cameras == 0) {
        snprintf(err, cap, "mark: --camera ID is required");
        goto out;
    }
    if (strlen(note) >= sizeof inc->note) {
        snprintf(err, cap, "--note: too long (at most %zu bytes)", sizeof inc->note - 1);
        goto out;
    }
    if (!g_utf8_validate(note, -1, NULL)) {
        snprintf(err, cap, "--note: not valid UTF-8 text");
        goto out;
    }
    if (main_parse_time(at, &inc->at_ns, err, cap) != 0)
        goto out;
    inc->created_ns = g_get_real_time() * 1000;
    snprintf(inc->note, sizeof inc->note, "%s", note);
    snprintf(inc->by, sizeof inc->by, "%s", by ? by : g_get_user_name());
    snprintf(inc->origin, sizeof inc->origin, "%s", from ? from : "");
    if (from == NULL)
        snprintf(inc->origin, sizeof inc->origin, "cli@%s", g_get_host_name());
    rc = EXIT_FAIL;
    if (store_add(db, inc, err, cap) != 0)
        goto out;
    char t[40];
    recstore_format_time(inc->at_ns, t, sizeof t);
    printf("incident %lld marked at %s on %d camera(s)\n", (long long)inc->id, t,
           inc->n_cameras);
    rc = 0;
out:
    g_free(inc);
    return rc;
}

static int main_list(main_ctx_t *c, store_t *db, char *err, size_t cap)
{
    (void)c;
    store_incident_t *incs = NULL;
    int n = store_list(db, &incs, err, cap);
    if (n < 0)
        return EXIT_FAIL;
    printf("%-5s %-24s %-20s %-9s %-16s %s\n", "ID", "TIME (UTC)", "CAMERAS", "EXPORTED", "BY",
           "NOTE");
    for (int i = 0; i < n; i++) {
        store_export_t *rows = NULL;
        int ne = store_exports(db, incs[i].id, &rows, err, cap);
        g_free(rows);
        GString *cams = g_string_new(NULL);
        for (int k = 0; k < incs[i].n_cameras; k++)
            g_string_append_printf(cams, "%s%s", k ? "," : "", incs[i].cameras[k]);
        char t[40];
        recstore_format_time(incs[i].at_ns, t, sizeof t);
        printf("%-5lld %-24s %-20s %-9s %-16s %s\n", (long long)incs[i].id, t, cams->str,
               ne > 0 ? "yes" : "no", incs[i].by, incs[i].note);
        g_string_free(cams, TRUE);
    }
    g_free(incs);
    return 0;
}

static int main_seconds(const char *name, const char *v, int64_t *ns, char *err, size_t cap)
{
    char *end = NULL;
    errno = 0;
    long s = strtol(v, &end, 10);
    if (v[0] == '\0' || *end != '\0' || errno != 0 || s < 0 || s > 3600) {
        snprintf(err, cap, "%s: '%s' must be whole seconds, 0..3600", name, v);
        return -1;
    }
    *ns = (int64_t)s * MAIN_NS;
    return 0;
}

/* "ID" -> incident; 1 found, 0 unknown (err), -1 error. */
static int main_incident(store_t *db, const char *text, store_incident_t *inc, char *err,
                         size_t cap)
{
    char *end = NULL;
    long long id = text != NULL ? strtoll(text, &end, 10) : 0;
    if (text == NULL || text[0] == '\0' || *end != '\0' || id <= 0) {
        snprintf(err, cap, "expected an incident number (see pantau-incident list), got '%s'",
                 text ? text : "");
        return 0;
    }
    int rc = store_get(db, id, inc, err, cap);
    if (rc == 0)
        snprintf(err, cap, "there is no incident %lld (see pantau-incident list)", id);
    return rc;
}

static int main_export(main_ctx_t *c, store_t *db, char *err, size_t cap)
{
    store_incident_t *inc = g_new0(store_incident_t, 1);
    export_options_t opt = {.root = c->root, .pre_ns = EXPORT_DEFAULT_PRE_S * MAIN_NS,
                            .post_ns = EXPORT_DEFAULT_POST_S * MAIN_NS, .wait = true};
    const char *id = NULL, *outdir = NULL;
    char *def_out = g_build_filename(c->root, "exports", NULL);
    int rc = EXIT_USAGE;
    for (int i = 1; i < c->nargs; i++) {
        bool missing = false;
        const char *v;
        if ((v = main_opt(c->args, c->nargs, &i, "--pre", &missing)) != NULL) {
            if (main_seconds("--pre", v, &opt.pre_ns, err, cap) != 0)
                goto out;
        } else if ((v = main_opt(c->args, c->nargs, &i, "--post", &missing)) != NULL) {
            if (main_seconds("--post", v, &opt.post_ns, err, cap) != 0)
                goto out;
        } else if ((v = main_opt(c->args, c->nargs, &i, "--out", &missing)) != NULL) {
            outdir = v;
        } else if (strcmp(c->args[i], "--no-wait") == 0) {
            opt.wait = false;
        } else if (!missing && c->args[i][0] != '-' && id == NULL) {
            id = c->args[i];
        } else {
            snprintf(err, cap, "export: %s '%s'", missing ? "missing value for" : "unknown option",
                     c->args[i]);
            goto out;
        }
    }
    if (opt.pre_ns + opt.post_ns == 0) {
        snprintf(err, cap, "export: --pre and --post are both 0: an empty window");
        goto out;
    }
    int found = main_incident(db, id, inc, err, cap);
    if (found <= 0) {
        rc = found < 0 ? EXIT_FAIL : EXIT_USAGE;
        goto out;
    }
    opt.out_dir = outdir != NULL ? outdir : def_out;
    gint64 t0 = g_get_monotonic_time();
    rc = export_incident(db, inc, &opt, stdout, err, cap) == 0 ? 0 : EXIT_FAIL;
    printf("export of incident %lld %s in %.2f s\n", (long long)inc->id,
           rc == 0 ? "done" : "FAILED", (double)(g_get_monotonic_time() - t0) / 1e6);
out:
    g_free(def_out);
    g_free(inc);
    return rc;
}

static int main_report(main_ctx_t *c, store_t *db, char *err, size_t cap)
{
    const char *out = NULL, *title = NULL;
    for (int i = 1; i < c->nargs; i++) {
        bool missing = false;
        const char *v;
        if ((v = main_opt(c->args, c->nargs, &i, "--out", &missing)) != NULL) {
            out = v;
        } else if ((v = main_opt(c->args, c->nargs, &i, "--title", &missing)) != NULL) {
            title = v;
        } else {
            snprintf(err, cap, "report: %s '%s'", missing ? "missing value for" : "unknown option",
                     c->args[i]);
            return EXIT_USAGE;
        }
    }
    char *def = g_build_filename(c->root, "exports", "report.html", NULL);
    const char *path = out != NULL ? out : def;
    char *dir = g_path_get_dirname(path);
    g_mkdir_with_parents(dir, 0750);
    int rc = report_write(db, path, title, err, cap) == 0 ? 0 : EXIT_FAIL;
    if (rc == 0)
        printf("report written to %s\n", path);
    g_free(dir);
    g_free(def);
    return rc;
}

/* Global options, then the command. Returns 0, 1 (help printed) or -1 (err). */
static int main_parse(int argc, char **argv, main_ctx_t *c, char *err, size_t cap)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        bool missing = false;
        const char *v;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
        if ((v = main_opt(argv, argc, &i, "--recordings", &missing)) != NULL)
            c->recordings = v;
        else if ((v = main_opt(argv, argc, &i, "--layout", &missing)) != NULL)
            c->layout_path = v;
        else if ((v = main_opt(argv, argc, &i, "--db", &missing)) != NULL)
            c->db = v;
        else {
            snprintf(err, cap, "%s '%s'", missing ? "missing value for" : "unknown option",
                     argv[i]);
            return -1;
        }
    }
    if (i >= argc) {
        snprintf(err, cap, "no command (mark, list, export, report)");
        return -1;
    }
    if (strcmp(argv[i], "help") == 0)
        return 1;
    c->args = argv + i;
    c->nargs = argc - i;
    return 0;
}

/* The recordings folder and, with --layout, the layout. */
static int main_resolve(main_ctx_t *c, char *err, size_t cap)
{
    if (c->layout_path != NULL) {
        layout_errors_t errs = {NULL, 0, 0};
        c->layout = layout_load(c->layout_path, &errs);
        if (c->layout == NULL) {
            char *text = layout_errors_format(&errs);
            snprintf(err, cap, "invalid layout:\n%s", text ? text : "");
            free(text);
            layout_errors_clear(&errs);
            return -1;
        }
    }
    const char *root = c->recordings;
    if (root == NULL && c->layout != NULL)
        root = c->layout->recordings;
    if (root == NULL)
        root = getenv("PANTAU_RECORDINGS");
    if (root == NULL || root[0] == '\0') {
        snprintf(err, cap, "no recordings folder: give --recordings DIR or --layout FILE (with "
                           "[wall] recordings=), or set PANTAU_RECORDINGS");
        return -1;
    }
    if (!g_file_test(root, G_FILE_TEST_IS_DIR)) {
        snprintf(err, cap, "the recordings folder %s does not exist (has any camera recorded?)",
                 root);
        return -1;
    }
    c->root = g_canonicalize_filename(root, NULL);
    return 0;
}

int main(int argc, char **argv)
{
    main_ctx_t c = {0};
    static char err[MAIN_ERR_MAX];
    store_t *db = NULL;
    int rc = EXIT_USAGE;
    int parsed = main_parse(argc, argv, &c, err, sizeof err);
    if (parsed != 0) {
        if (parsed > 0) {
            main_usage(stdout);
            return 0;
        }
        fprintf(stderr, "pantau-incident: %s\n", err);
        main_usage(stderr);
        return EXIT_USAGE;
    }
    if (main_resolve(&c, err, sizeof err) != 0)
        goto out;
    char *dbpath = c.db != NULL ? g_strdup(c.db) : g_build_filename(c.root, "incidents.db", NULL);
    db = store_open(dbpath, err, sizeof err);
    g_free(dbpath);
    if (db == NULL) {
        rc = EXIT_FAIL;
        goto out;
    }
    const char *cmd = c.args[0];
    if (strcmp(cmd, "mark") == 0)
        rc = main_mark(&c, db, err, sizeof err);
    else if (strcmp(cmd, "list") == 0)
        rc = main_list(&c, db, err, sizeof err);
    else if (strcmp(cmd, "export") == 0)
        rc = main_export(&c, db, err, sizeof err);
    else if (strcmp(cmd, "report") == 0)
        rc = main_report(&c, db, err, sizeof err);
    else
        snprintf(err, sizeof err, "unknown command '%s' (mark, list, export, report)", cmd);
out:
    if (rc != 0 && err[0] != '\0')
        fprintf(stderr, "pantau-incident: %s\n", err);
    store_close(&db);
    layout_destroy(&c.layout);
    g_free(c.root);
    return rc;
}
