/* cevent: one complaint-source event (a complaint, a PPID information request or the city's KIP
 * grade) parsed from JSON and validated into a typed value. The schema is docs/complaints.md.
 *
 * Every field is checked: unknown fields, missing required ones, wrong types, unknown enum values,
 * text that is too long or not UTF-8, timestamps without a time zone or out of range. The error
 * names the field and what is allowed ("stage: 'closd' is not one of received, verified, ...")
 * and never quotes more than a short piece of the bad value.
 *
 * Pure: json-glib and GLib only, no I/O; thread-safe. */
#ifndef PANTAU_CEVENT_H
#define PANTAU_CEVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-glib/json-glib.h>

#define CEV_ID_MAX 64          /* tracking id, bytes */
#define CEV_KEY_MAX 40         /* category token, bytes */
#define CEV_OPD_MAX 80         /* agency name, characters */
#define CEV_TITLE_MAX 200
#define CEV_LOCATION_MAX 120
#define CEV_REPORTER_MAX 80
#define CEV_BATCH_MAX 1000     /* events in one JSON array */

typedef enum { CEV_COMPLAINT = 0, CEV_INFO_REQUEST, CEV_KIP_GRADE, CEV_KIND_COUNT } cev_kind_t;

/* Complaint stages (SP4N-LAPOR!), in funnel order. */
typedef enum {
    CEV_STAGE_RECEIVED = 0,
    CEV_STAGE_VERIFIED,
    CEV_STAGE_POSTPONED,
    CEV_STAGE_NOT_AUTHORITY,
    CEV_STAGE_ARCHIVED,
    CEV_STAGE_DISPOSITIONED,
    CEV_STAGE_FOLLOWED_UP,
    CEV_STAGE_CLOSED,
    CEV_STAGE_COUNT
} cev_stage_t;

typedef enum {
    CEV_CH_LAPOR_WEB = 0, CEV_CH_SMS_1708, CEV_CH_LAPOR_APP, CEV_CH_TWITTER, CEV_CH_WHATSAPP,
    CEV_CH_FACEBOOK, CEV_CH_INSTAGRAM, CEV_CH_YOUTUBE, CEV_CH_EMAIL, CEV_CH_RADIO, CEV_CH_LETTER,
    CEV_CH_WALK_IN, CEV_CH_COUNT
} cev_channel_t;

typedef enum { CEV_CLASS_ASPIRASI = 0, CEV_CLASS_PENGADUAN, CEV_CLASS_INFO, CEV_CLASS_COUNT } cev_class_t;

/* Reporter's satisfaction; CEV_SAT_NONE when the source gives none. */
typedef enum {
    CEV_SAT_NONE = -1, CEV_SAT_SANGAT_PUAS = 0, CEV_SAT_PUAS, CEV_SAT_CUKUP_PUAS, CEV_SAT_TIDAK_PUAS,
    CEV_SAT_COUNT
} cev_sat_t;

/* PPID request outcome. */
typedef enum {
    CEV_PPID_RECEIVED = 0, CEV_PPID_GRANTED, CEV_PPID_PARTLY_GRANTED, CEV_PPID_REFUSED,
    CEV_PPID_COUNT
} cev_ppid_t;

/* Objection (keberatan) and dispute (sengketa) of a PPID request. */
typedef enum { CEV_CASE_NONE = 0, CEV_CASE_OPEN, CEV_CASE_CLOSED, CEV_CASE_COUNT } cev_case_t;

typedef enum {
    CEV_KIP_INFORMATIF = 0, CEV_KIP_MENUJU, CEV_KIP_CUKUP, CEV_KIP_KURANG, CEV_KIP_TIDAK,
    CEV_KIP_COUNT
} cev_kip_t;

/* Timestamps are Unix milliseconds; 0 = absent. */
typedef struct {
    cev_kind_t kind;
    char id[CEV_ID_MAX + 1];
    int64_t updated_ms;     /* version: a newer one replaces, an older or equal one is ignored */
    int64_t received_ms;    /* complaints and requests */

    /* complaint */
    cev_stage_t stage;
    cev_channel_t channel;
    cev_class_t classification;
    char category[CEV_KEY_MAX + 1];
    char opd[CEV_OPD_MAX * 4 + 1];       /* UTF-8; empty = not dispositioned */
    char title[CEV_TITLE_MAX * 4 + 1];
    char location[CEV_LOCATION_MAX * 4 + 1];
    char reporter[CEV_REPORTER_MAX * 4 + 1];
    bool anonymous;         /* reporter hidden */
    bool confidential;      /* "rahasia": content hidden */
    int64_t verified_ms, dispositioned_ms, followed_up_ms, closed_ms;
    cev_sat_t satisfaction;

    /* information request */
    cev_ppid_t ppid;
    bool extended;          /* deadline extended by 7 working days */
    int64_t answered_ms;
    cev_case_t objection, dispute;

    /* KIP grade */
    cev_kip_t kip;
    int kip_score_x10;      /* 0..1000 */
} cev_t;

/* Parses one event from a JSON object node. Returns 0, or -1 with a reason in err ("field: what
 * is wrong"). *out is fully written on success. */
int cev_from_node(JsonNode *node, cev_t *out, char *err, size_t err_cap);

/* Parses text (len bytes, need not be NUL-terminated) holding one JSON object. Returns 0 or -1
 * with a reason in err. */
int cev_parse(const char *text, size_t len, cev_t *out, char *err, size_t err_cap);

/* Parses a request body: one object, or an array of 1..CEV_BATCH_MAX objects. On success returns
 * the number of events and a newly allocated array in *out (g_free); on any error returns -1
 * with the reason in err (the array index is part of it: "events[3].stage: ..."), nothing in
 * *out. All or nothing: one bad event refuses the whole body. */
int cev_parse_batch(const char *text, size_t len, cev_t **out, char *err, size_t err_cap);

/* The event serialised back to one JSON object without newline (the stored form; parses back to
 * an equal cev_t). Returns a g_malloc'd string. */
char *cev_to_json(const cev_t *ev);

/* Names used in JSON (and in the counters message). NULL for an out-of-range value. */
const char *cev_kind_name(cev_kind_t k);
const char *cev_stage_name(cev_stage_t s);
const char *cev_channel_name(cev_channel_t c);
const char *cev_class_name(cev_class_t c);
const char *cev_sat_name(cev_sat_t s);
const char *cev_ppid_name(cev_ppid_t p);
const char *cev_case_name(cev_case_t c);
const char *cev_kip_name(cev_kip_t k);

/* Parses an RFC 3339 time that carries a zone ("2026-11-23T09:15:00+08:00", "...Z") into Unix
 * ms. Returns false for anything else or a time outside 2000..2100. */
bool cev_parse_time(const char *s, int64_t *ms);

#endif
