/* importer: loads an agency's export into the store through svc_submit: JSON lines (one event
 * object per line, .jsonl/.ndjson/anything not .csv) or CSV (.csv: a header row of field names
 * as in the JSON schema, one event per row; empty cells are absent fields; anonymous,
 * confidential and extended take true/false; score a number). A bad line is refused with its
 * line number (logged) and counted; the good ones are stored in transactions of up to
 * CEV_BATCH_MAX events.
 *
 * Thread: the caller's (the main loop, before it runs). */
#ifndef PANTAU_IMPORTER_H
#define PANTAU_IMPORTER_H

#include <stddef.h>

#include "svc.h"

typedef struct {
    int events;   /* stored */
    int refused;  /* lines refused */
    svc_result_t res;
} importer_report_t;

/* Imports path. Returns 0 (even with refused lines, see rep), or -1 when the file cannot be read
 * or the store fails (reason in err). */
int importer_file(svc_t *svc, const char *path, importer_report_t *rep, char *err, size_t err_cap);

/* Turns one CSV record (already split) into a JSON object node using the header names. Exposed
 * for tests. Caller json_node_unref()s. */
#include <json-glib/json-glib.h>
JsonNode *importer_csv_row(char **header, char **cells, int n);

/* Splits one CSV record starting at *p (RFC 4180: quotes, "" inside quotes, CRLF; a quoted cell
 * may span lines) into cells; advances *p past it. Returns a NULL-terminated array (g_strfreev)
 * or NULL at the end of the text. */
char **importer_csv_split(const char **p);

#endif
