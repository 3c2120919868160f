/* store: incidents in SQLite (see store.h). */
#include "store.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <sqlite3.h>

#define STORE_BUSY_MS 10000
#define STORE_SCHEMA_VERSION 1

struct store {
    sqlite3 *db;
};

static const char store_schema[] =
    "CREATE TABLE IF NOT EXISTS incidents("
    " id INTEGER PRIMARY KEY AUTOINCREMENT, at_ns INTEGER NOT NULL, created_ns INTEGER NOT NULL,"
    " note TEXT NOT NULL DEFAULT '', by TEXT NOT NULL DEFAULT '', origin TEXT NOT NULL DEFAULT '');"
    "CREATE TABLE IF NOT EXISTS incident_cameras("
    " incident_id INTEGER NOT NULL REFERENCES incidents(id), camera TEXT NOT NULL,"
    " PRIMARY KEY(incident_id, camera));"
    "CREATE TABLE IF NOT EXISTS exports("
    " incident_id INTEGER NOT NULL REFERENCES incidents(id), camera TEXT NOT NULL,"
    " kind TEXT NOT NULL, path TEXT NOT NULL, sha256 TEXT NOT NULL, bytes INTEGER NOT NULL,"
    " from_ns INTEGER, to_ns INTEGER, created_ns INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '',"
    " PRIMARY KEY(incident_id, camera, kind));"
    "PRAGMA user_version = 1;";

static int store_fail(store_t *s, const char *what, char *err, size_t cap)
{
    snprintf(err, cap, "incident database: %s: %s", what,
             s != NULL && s->db != NULL ? sqlite3_errmsg(s->db) : "out of memory");
    return -1;
}

store_t *store_open(const char *path, char *err, size_t cap)
{
    store_t *s = g_new0(store_t, 1);
    int rc = sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, cap, "cannot open the incident database %s: %s", path,
                 s->db ? sqlite3_errmsg(s->db) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_busy_timeout(s->db, STORE_BUSY_MS);
    char *msg = NULL;
    if (sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON;", NULL, NULL,
                     &msg) != SQLITE_OK ||
        sqlite3_exec(s->db, store_schema, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, cap, "%s is not a usable incident database: %s", path,
                 msg ? msg : "unknown error");
        sqlite3_free(msg);
        goto fail;
    }
    return s;
fail:
    store_close(&s);
    return NULL;
}

void store_close(store_t **sp)
{
    if (sp == NULL || *sp == NULL)
        return;
    sqlite3_close((*sp)->db);
    g_free(*sp);
    *sp = NULL;
}

int store_add(store_t *s, store_incident_t *inc, char *err, size_t cap)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(s, "begin", err, cap);
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO incidents(at_ns, created_ns, note, by, origin) "
                           "VALUES(?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, inc->at_ns);
    sqlite3_bind_int64(st, 2, inc->created_ns);
    sqlite3_bind_text(st, 3, inc->note, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, inc->by, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, inc->origin, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    st = NULL;
    inc->id = sqlite3_last_insert_rowid(s->db);
    if (sqlite3_prepare_v2(s->db, "INSERT INTO incident_cameras(incident_id, camera) VALUES(?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    for (int i = 0; i < inc->n_cameras; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, inc->id);
        sqlite3_bind_text(st, 2, inc->cameras[i], -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto fail;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    return 0;
fail:
    store_fail(s, "cannot record the incident", err, cap);
    sqlite3_finalize(st);
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

static void store_text(sqlite3_stmt *st, int col, char *out, size_t cap)
{
    const unsigned char *t = sqlite3_column_text(st, col);
    snprintf(out, cap, "%s", t != NULL ? (const char *)t : "");
}

/* Fills inc's cameras. */
static int store_cameras(store_t *s, store_incident_t *inc)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT camera FROM incident_cameras WHERE incident_id=? "
                           "ORDER BY camera",
                           -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, inc->id);
    inc->n_cameras = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW && inc->n_cameras < STORE_MAX_CAMERAS)
        store_text(st, 0, inc->cameras[inc->n_cameras++], sizeof inc->cameras[0]);
    sqlite3_finalize(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

static void store_row(sqlite3_stmt *st, store_incident_t *inc)
{
    memset(inc, 0, sizeof *inc);
    inc->id = sqlite3_column_int64(st, 0);
    inc->at_ns = sqlite3_column_int64(st, 1);
    inc->created_ns = sqlite3_column_int64(st, 2);
    store_text(st, 3, inc->note, sizeof inc->note);
    store_text(st, 4, inc->by, sizeof inc->by);
    store_text(st, 5, inc->origin, sizeof inc->origin);
}

#define STORE_SELECT "SELECT id, at_ns, created_ns, note, by, origin FROM incidents "

int store_get(store_t *s, int64_t id, store_incident_t *inc, char *err, size_t cap)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db, STORE_SELECT "WHERE id=?", -1, &st, NULL) != SQLITE_OK)
        return store_fail(s, "read", err, cap);
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        store_row(st, inc);
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return 0;
    if (rc != SQLITE_ROW || store_cameras(s, inc) != 0)
        return store_fail(s, "read", err, cap);
    return 1;
}

int store_list(store_t *s, store_incident_t **out, char *err, size_t cap)
{
    sqlite3_stmt *st = NULL;
    *out = NULL;
    if (sqlite3_prepare_v2(s->db, STORE_SELECT "ORDER BY at_ns DESC, id DESC", -1, &st, NULL) !=
        SQLITE_OK)
        return store_fail(s, "list", err, cap);
    GArray *a = g_array_new(FALSE, TRUE, sizeof(store_incident_t));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_incident_t inc;
        store_row(st, &inc);
        g_array_append_val(a, inc);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        g_array_free(a, TRUE);
        return store_fail(s, "list", err, cap);
    }
    for (guint i = 0; i < a->len; i++)
        if (store_cameras(s, &g_array_index(a, store_incident_t, i)) != 0) {
            g_array_free(a, TRUE);
            return store_fail(s, "list", err, cap);
        }
    int n = (int)a->len;
    *out = (store_incident_t *)g_array_free(a, FALSE);
    return n;
}

int store_set_exports(store_t *s, int64_t id, const store_export_t *rows, int n, char *err,
                      size_t cap)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return store_fail(s, "begin", err, cap);
    if (sqlite3_prepare_v2(s->db, "DELETE FROM exports WHERE incident_id=?", -1, &st, NULL) !=
        SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO exports(incident_id, camera, kind, path, sha256, bytes, "
                           "from_ns, to_ns, created_ns, note) VALUES(?,?,?,?,?,?,?,?,?,?)",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    for (int i = 0; i < n; i++) {
        const store_export_t *r = &rows[i];
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, r->camera, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, r->kind, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, r->path, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 5, r->sha256, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(st, 6, r->bytes);
        sqlite3_bind_int64(st, 7, r->from_ns);
        sqlite3_bind_int64(st, 8, r->to_ns);
        sqlite3_bind_int64(st, 9, r->created_ns);
        sqlite3_bind_text(st, 10, r->note, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto fail;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    return 0;
fail:
    store_fail(s, "cannot store the export", err, cap);
    sqlite3_finalize(st);
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return -1;
}

int store_exports(store_t *s, int64_t id, store_export_t **out, char *err, size_t cap)
{
    sqlite3_stmt *st = NULL;
    *out = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT camera, kind, path, sha256, bytes, from_ns, to_ns, created_ns, "
                           "note FROM exports WHERE incident_id=? ORDER BY camera, kind",
                           -1, &st, NULL) != SQLITE_OK)
        return store_fail(s, "read exports", err, cap);
    sqlite3_bind_int64(st, 1, id);
    GArray *a = g_array_new(FALSE, TRUE, sizeof(store_export_t));
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        store_export_t r;
        memset(&r, 0, sizeof r);
        store_text(st, 0, r.camera, sizeof r.camera);
        store_text(st, 1, r.kind, sizeof r.kind);
        store_text(st, 2, r.path, sizeof r.path);
        store_text(st, 3, r.sha256, sizeof r.sha256);
        r.bytes = sqlite3_column_int64(st, 4);
        r.from_ns = sqlite3_column_int64(st, 5);
        r.to_ns = sqlite3_column_int64(st, 6);
        r.created_ns = sqlite3_column_int64(st, 7);
        store_text(st, 8, r.note, sizeof r.note);
        g_array_append_val(a, r);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        g_array_free(a, TRUE);
        return store_fail(s, "read exports", err, cap);
    }
    int n = (int)a->len;
    *out = (store_export_t *)g_array_free(a, FALSE);
    return n;
}
