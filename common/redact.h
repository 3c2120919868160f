/* redact: removes secrets from text before it is logged, published as status, or drawn.
 *
 * Two rules: (1) the userinfo of any URI: "rtsp://user:pass@host" becomes "rtsp://user:***@host",
 * and a userinfo without a colon (a token) is replaced by "***" as a whole; (2) every occurrence of a known secret (passwords and
 * tokens registered with redact_add) -> "***". Pure, no allocation except in redact_add. A
 * redactor is owned by one thread, or filled before threads start and only read afterwards. */
#ifndef PANTAU_REDACT_H
#define PANTAU_REDACT_H

#include <stddef.h>

typedef struct redact redact_t;

redact_t *redact_new(void);
void redact_destroy(redact_t **r);

/* Registers a secret (copied). Secrets shorter than 3 bytes are ignored (they would blank
 * ordinary text); returns 0, or -1 on allocation failure. */
int redact_add(redact_t *r, const char *secret);

/* Writes the redacted form of in into out (out_cap bytes, always NUL-terminated when out_cap > 0,
 * cut if needed). r may be NULL: only rule (1) applies. Returns out. */
char *redact_text(const redact_t *r, const char *in, char *out, size_t out_cap);

#endif
