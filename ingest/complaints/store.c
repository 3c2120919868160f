/* store: SQLite copy of the events (see store.h). */
#include "store.h"

#include <stdio.h>

#include <glib.h>
#include <sqlite3.h>

#define STORE_BUSY_TIMEOUT_MS 5000

struct store {
    sqlite3 *db;
    sqlite3_stmt *upsert;
    bool in_tx;
};

static const char *const STORE_SCHEMA =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=FULL;"
    "CREATE TABLE IF NOT EXISTS events("
    "  kind INTEGER NOT NULL,"
    "  id TEXT NOT NULL,"
    "  updated_ms INTEGER NOT NULL,"
    "  doc TEXT NOT NULL,"
    "  stored_ms INTEGER NOT NULL,"
    "  PRIMARY KEY(kind, id)) WITHOUT ROWID;";

static const char *const STORE_UPSERT =
    "INSERT INTO events(kind, id, updated_ms, doc, stored_ms) VALUES(?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT(kind, id) DO UPDATE SET updated_ms = excluded.updated_ms, doc = excluded.doc, "
    "stored_ms = excluded.stored_ms WHERE excluded.updated_ms > events.updated_ms";

static int fail(store_t *st, const char *what, char *err, size_t cap)
{
    snprintf(err, cap, "%s: %s", what, st && st->db ? sqlite3_errmsg(st->db) : "out of memory");
    return -1;
}

store_t *store_open(const char *path, char *err, size_t err_cap)
{
    store_t *st = g_new0(store_t, 1);
    int rc = sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, err_cap, "cannot open database %s: %s", path,
                 st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
        goto fail;
    }
    sqlite3_busy_timeout(st->db, STORE_BUSY_TIMEOUT_MS);
    char *msg = NULL;
    if (sqlite3_exec(st->db, STORE_SCHEMA, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(err, err_cap, "database %s: %s", path, msg ? msg : "schema failed");
        sqlite3_free(msg);
        goto fail;
    }
    if (sqlite3_prepare_v2(st->db, STORE_UPSERT, -1, &st->upsert, NULL) != SQLITE_OK) {
        fail(st, "prepare", err, err_cap);
        goto fail;
    }
    return st;
fail:
    store_close(&st);
    return NULL;
}

void store_close(store_t **stp)
{
    if (stp == NULL || *stp == NULL)
        return;
    store_t *st = *stp;
    if (st->in_tx)
        store_rollback(st);
    sqlite3_finalize(st->upsert);
    sqlite3_close(st->db);
    g_free(st);
    *stp = NULL;
}

int store_begin(store_t *st, char *err, size_t err_cap)
{
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return fail(st, "begin", err, err_cap);
    st->in_tx = true;
    return 0;
}

int store_commit(store_t *st, char *err, size_t err_cap)
{
    if (sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        fail(st, "commit", err, err_cap);
        store_rollback(st);
        return -1;
    }
    st->in_tx = false;
    return 0;
}

void store_rollback(store_t *st)
{
    sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
    st->in_tx = false;
}

int store_upsert(store_t *st, const cev_t *ev, int64_t now_ms, char *err, size_t err_cap)
{
    char *doc = cev_to_json(ev);
    sqlite3_stmt *s = st->upsert;
    sqlite3_reset(s);
    sqlite3_bind_int(s, 1, (int)ev->kind);
    sqlite3_bind_text(s, 2, ev->id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 3, ev->updated_ms);
    sqlite3_bind_text(s, 4, doc, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 5, now_ms);
    int rc = sqlite3_step(s);
    int changed = sqlite3_changes(st->db);
    sqlite3_reset(s);
    sqlite3_clear_bindings(s);
    g_free(doc);
    if (rc != SQLITE_DONE)
        return fail(st, "upsert", err, err_cap);
    return changed > 0 ? 1 : 0;
}

int store_load(store_t *st, void (*fn)(const cev_t *ev, void *ud), void *ud, int *bad, char *err,
               size_t err_cap)
{
    sqlite3_stmt *s = NULL;
    int n = 0;
    *bad = 0;
    if (sqlite3_prepare_v2(st->db, "SELECT doc FROM events", -1, &s, NULL) != SQLITE_OK)
        return fail(st, "load", err, err_cap);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        const char *doc = (const char *)sqlite3_column_text(s, 0);
        int len = sqlite3_column_bytes(s, 0);
        cev_t ev;
        char why[256];
        if (doc == NULL || cev_parse(doc, (size_t)len, &ev, why, sizeof why) != 0) {
            (*bad)++;
            continue;
        }
        fn(&ev, ud);
        n++;
    }
    if (rc != SQLITE_DONE)
        n = fail(st, "load", err, err_cap);
    sqlite3_finalize(s);
    return n;
}
