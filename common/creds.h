/* creds: the owner-only credentials file that holds camera secrets, so that layouts meant for
 * version control never do.
 *
 *   # pantau credentials: chmod 600
 *   [pelabuhan]            camera id (or any id a layout refers to)
 *   username=viewer
 *   password=s3cret
 *   token=...              optional bearer token
 *
 * creds_load refuses a file that group or others can read or write (mode & 077), and a file not
 * owned by the running user, naming the fix ("chmod 600 FILE"). Errors name file, line and key.
 * The returned object is read-only after load: safe to read from several threads. */
#ifndef PANTAU_CREDS_H
#define PANTAU_CREDS_H

#include <stdbool.h>
#include <stddef.h>

typedef struct creds creds_t;

/* Loads and checks path. On failure returns NULL and writes one human-readable reason (file,
 * line, what to do) into err (err_cap bytes, may be 0). The text never contains a secret. */
creds_t *creds_load(const char *path, char *err, size_t err_cap);

/* Parses text without any permission check (unit tests, fuzzing). Same errors as creds_load. */
creds_t *creds_parse(const char *text, size_t len, const char *file, char *err, size_t err_cap);

void creds_destroy(creds_t **creds);

/* Username / password for an id, or NULL when absent. Borrowed: valid until creds_destroy. */
const char *creds_username(const creds_t *creds, const char *id);
const char *creds_password(const creds_t *creds, const char *id);

/* Bearer token for an id (`token=`, for cameras that take one instead of a password), or NULL.
 * Borrowed like the above. */
const char *creds_token(const creds_t *creds, const char *id);

/* Number of ids in the file, and the i-th id (for redaction lists). */
int creds_count(const creds_t *creds);
const char *creds_id_at(const creds_t *creds, int i);

#endif
