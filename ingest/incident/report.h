/* report: a self-contained HTML page of all incidents for a mayor's office: time, cameras, note,
 * who marked it and from where, the snapshot at the marked moment (embedded as a data: URI, so the
 * page needs no other file), links to the exported clips (relative when the clips lie under the
 * page's folder) and their SHA-256. Text from the database is HTML-escaped.
 *
 * Single-threaded. Errors: -1 with the reason in err. */
#ifndef PANTAU_INCIDENT_REPORT_H
#define PANTAU_INCIDENT_REPORT_H

#include <stddef.h>

#include "store.h"

/* Writes the report to path (through a temporary file and a rename). title may be NULL. */
int report_write(store_t *db, const char *path, const char *title, char *err, size_t cap);

#endif
