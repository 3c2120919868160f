/* cmsg: the complaint-counters message pantau-complaints publishes and pantau-wall shows
 * (docs/complaints.md, "Counters message"). One ZeroMQ message of two parts: the topic
 * CMSG_TOPIC and a UTF-8 JSON object whose "v" is CMSG_VERSION.
 *
 * This module is the single definition of that object: cmsg_encode writes it from a cmsg_t,
 * cmsg_decode checks every member (type, range, length, UTF-8, array sizes, the privacy rule
 * below) before anything is used and names the first problem. Unknown members are ignored
 * (a newer publisher may add some); a different "v" is refused.
 *
 * Privacy: a ticker item that is confidential carries no title and no location, and an anonymous
 * one no reporter. The publisher blanks them; the decoder refuses a message that breaks the rule,
 * so such text cannot reach a screen even from a faulty or foreign publisher.
 *
 * Pure (GLib, json-glib); thread-safe. */
#ifndef PANTAU_CMSG_H
#define PANTAU_CMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMSG_TOPIC "counters"
#define CMSG_VERSION 1
#define CMSG_MAX_BYTES (256 * 1024) /* a larger message is refused unread */
#define CMSG_STAGES 8               /* cevent's stages, in funnel order */
#define CMSG_CHANNELS 12
#define CMSG_MAX_OPD 16
#define CMSG_MAX_CATEGORIES 8
#define CMSG_MAX_TICKER 10
#define CMSG_SAT 4
#define CMSG_KEY_MAX 40             /* bytes */
#define CMSG_NAME_MAX 320           /* bytes (80 characters of UTF-8) */
#define CMSG_TEXT_MAX 800           /* bytes (200 characters) */
#define CMSG_COUNT_MAX 100000000u   /* any count above this is refused as nonsense */

typedef struct {
    char key[CMSG_KEY_MAX + 1];     /* cevent channel name ("whatsapp") */
    uint32_t today, month;
} cmsg_channel_t;

typedef struct {
    char name[CMSG_NAME_MAX + 1];
    uint32_t backlog;               /* dispositioned, not yet followed up */
    uint32_t overdue;               /* of those, past the 5-working-day deadline */
    int32_t median_response_h;      /* disposition → follow-up, hours; -1 = none yet */
} cmsg_opd_t;

typedef struct {
    char key[CMSG_KEY_MAX + 1];
    uint32_t count;
} cmsg_category_t;

typedef struct {
    char id[CMSG_KEY_MAX * 2 + 1];
    char kind[16];                  /* complaint | info_request */
    int64_t time_ms;                /* last update */
    char channel[CMSG_KEY_MAX + 1]; /* complaint only, else "" */
    char category[CMSG_KEY_MAX + 1];
    char stage[CMSG_KEY_MAX + 1];   /* complaint stage or request status */
    char opd[CMSG_NAME_MAX + 1];
    char title[CMSG_TEXT_MAX + 1];  /* "" when confidential */
    char location[CMSG_NAME_MAX + 1]; /* "" when confidential */
    char reporter[CMSG_NAME_MAX + 1]; /* "" when anonymous */
    bool confidential, anonymous;
} cmsg_tick_t;

typedef struct {
    uint32_t received_month, open, answered, refused, overdue, objections_open, disputes_open;
} cmsg_ppid_t;

typedef struct {
    uint64_t seq;                   /* +1 per change; a resend repeats it */
    int64_t generated_ms;           /* when computed */
    int64_t changed_ms;             /* commit time of the newest change included */
    char tz[64];
    uint32_t received_today, received_month, open, overdue_verify, overdue_followup;
    uint32_t total, closed;
    int32_t resolved_permille;      /* closed / (total - archived - not_authority); -1 = none */
    uint32_t stages[CMSG_STAGES];
    cmsg_channel_t channels[CMSG_CHANNELS];
    int n_channels;
    cmsg_opd_t opd[CMSG_MAX_OPD];   /* largest backlog first */
    int n_opd;
    cmsg_category_t categories[CMSG_MAX_CATEGORIES]; /* this month, largest first */
    int n_categories;
    uint32_t satisfaction[CMSG_SAT]; /* sangat_puas, puas, cukup_puas, tidak_puas */
    cmsg_ppid_t ppid;
    int kip_grade;                  /* 0 informatif .. 4 tidak_informatif; -1 = none */
    int kip_score_x10;
    cmsg_tick_t ticker[CMSG_MAX_TICKER]; /* newest first */
    int n_ticker;
} cmsg_t;

/* Why a message was refused (counted per reason by the wall). */
typedef enum {
    CMSG_OK = 0,
    CMSG_ERR_SIZE,      /* empty or over CMSG_MAX_BYTES */
    CMSG_ERR_JSON,      /* not UTF-8 JSON, or not an object */
    CMSG_ERR_VERSION,   /* "v" missing or not CMSG_VERSION */
    CMSG_ERR_FIELD,     /* a member missing, of the wrong type, out of range or too long */
    CMSG_ERR_PRIVACY,   /* a confidential or anonymous ticker item carries hidden text */
    CMSG_ERR_COUNT_
} cmsg_err_t;

/* A newly allocated JSON text of m (g_free). Never fails (g_malloc aborts on OOM). */
char *cmsg_encode(const cmsg_t *m);

/* Decodes data[0..len) into *out (fully written only on success). Returns CMSG_OK or the reason,
 * with a one-line explanation in err. */
cmsg_err_t cmsg_decode(const char *data, size_t len, cmsg_t *out, char *err, size_t err_cap);

const char *cmsg_err_name(cmsg_err_t e);

/* False when text[0..len) holds more than one top-level JSON object or array: json-glib quietly
 * takes "{..}{..}" as one value, so every JSON reader in Pantau checks this first. */
bool cmsg_json_single(const char *text, size_t len);

/* Wall labels (Bahasa Indonesia, or English when en) for the names in a message: channels,
 * stages, request statuses, categories, satisfaction and KIP grades. An unknown key returns the
 * key itself. */
const char *cmsg_label(const char *key, bool en);
const char *cmsg_kip_label(int grade, bool en);
const char *cmsg_stage_key(int stage);
const char *cmsg_sat_key(int i);

#endif
