/* cevent: JSON → typed complaint-source event (see cevent.h, docs/complaints.md).
 *
 * One table of fields per event kind (name, type, required, bounds, where it goes); the same
 * tables check the input and write the stored form, so the two cannot drift. */
#include "cevent.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cmsg.h"

#define CEV_QUOTE_MAX 24           /* bytes of a bad value quoted in an error */
#define CEV_TIME_MIN_MS 946684800000LL  /* 2000-01-01T00:00:00Z */
#define CEV_TIME_MAX_MS 4102444800000LL /* 2100-01-01T00:00:00Z */
#define CEV_MAX_BODY_DEPTH 1       /* an event is a flat object */

static const char *const kind_names[] = {"complaint", "info_request", "kip_grade", NULL};
static const char *const stage_names[] = {"received", "verified", "postponed", "not_authority",
                                          "archived", "dispositioned", "followed_up", "closed",
                                          NULL};
static const char *const channel_names[] = {"lapor_web", "sms_1708", "lapor_app", "twitter",
                                            "whatsapp",  "facebook", "instagram", "youtube",
                                            "email",     "radio",    "letter",    "walk_in",
                                            NULL};
static const char *const class_names[] = {"aspirasi", "pengaduan", "permintaan_informasi", NULL};
static const char *const sat_names[] = {"sangat_puas", "puas", "cukup_puas", "tidak_puas", NULL};
static const char *const ppid_names[] = {"received", "granted", "partly_granted", "refused", NULL};
static const char *const case_names[] = {"none", "open", "closed", NULL};
static const char *const kip_names[] = {"informatif", "menuju_informatif", "cukup_informatif",
                                        "kurang_informatif", "tidak_informatif", NULL};

typedef enum {
    F_ID,    /* tracking id: 1..CEV_ID_MAX of A-Z a-z 0-9 . _ : / # - */
    F_KEY,   /* token: 1..max of a-z 0-9 _ - */
    F_TEXT,  /* UTF-8, min..max characters, no control characters */
    F_ENUM,  /* one of names[], stored as int */
    F_BOOL,
    F_TIME,  /* RFC 3339 with zone, stored as int64 ms */
    F_SCORE, /* number 0..100, stored as int x10 */
} f_type_t;

typedef struct {
    const char *name;
    f_type_t type;
    bool required;
    int min, max;
    const char *const *names;
    size_t off, cap;
} field_t;

#define O(f) offsetof(cev_t, f), sizeof(((cev_t *)0)->f)

static const field_t complaint_fields[] = {
    {"kind", F_ENUM, true, 0, 0, kind_names, O(kind)},
    {"id", F_ID, true, 1, CEV_ID_MAX, NULL, O(id)},
    {"updated_at", F_TIME, true, 0, 0, NULL, O(updated_ms)},
    {"received_at", F_TIME, true, 0, 0, NULL, O(received_ms)},
    {"stage", F_ENUM, true, 0, 0, stage_names, O(stage)},
    {"channel", F_ENUM, true, 0, 0, channel_names, O(channel)},
    {"classification", F_ENUM, true, 0, 0, class_names, O(classification)},
    {"category", F_KEY, true, 1, CEV_KEY_MAX, NULL, O(category)},
    {"title", F_TEXT, true, 1, CEV_TITLE_MAX, NULL, O(title)},
    {"opd", F_TEXT, false, 1, CEV_OPD_MAX, NULL, O(opd)},
    {"location", F_TEXT, false, 0, CEV_LOCATION_MAX, NULL, O(location)},
    {"reporter", F_TEXT, false, 0, CEV_REPORTER_MAX, NULL, O(reporter)},
    {"anonymous", F_BOOL, false, 0, 0, NULL, O(anonymous)},
    {"confidential", F_BOOL, false, 0, 0, NULL, O(confidential)},
    {"verified_at", F_TIME, false, 0, 0, NULL, O(verified_ms)},
    {"dispositioned_at", F_TIME, false, 0, 0, NULL, O(dispositioned_ms)},
    {"followed_up_at", F_TIME, false, 0, 0, NULL, O(followed_up_ms)},
    {"closed_at", F_TIME, false, 0, 0, NULL, O(closed_ms)},
    {"satisfaction", F_ENUM, false, 0, 0, sat_names, O(satisfaction)},
    {NULL, 0, false, 0, 0, NULL, 0, 0},
};

static const field_t request_fields[] = {
    {"kind", F_ENUM, true, 0, 0, kind_names, O(kind)},
    {"id", F_ID, true, 1, CEV_ID_MAX, NULL, O(id)},
    {"updated_at", F_TIME, true, 0, 0, NULL, O(updated_ms)},
    {"received_at", F_TIME, true, 0, 0, NULL, O(received_ms)},
    {"status", F_ENUM, true, 0, 0, ppid_names, O(ppid)},
    {"title", F_TEXT, false, 0, CEV_TITLE_MAX, NULL, O(title)},
    {"opd", F_TEXT, false, 1, CEV_OPD_MAX, NULL, O(opd)},
    {"extended", F_BOOL, false, 0, 0, NULL, O(extended)},
    {"answered_at", F_TIME, false, 0, 0, NULL, O(answered_ms)},
    {"objection", F_ENUM, false, 0, 0, case_names, O(objection)},
    {"dispute", F_ENUM, false, 0, 0, case_names, O(dispute)},
    {"anonymous", F_BOOL, false, 0, 0, NULL, O(anonymous)},
    {"confidential", F_BOOL, false, 0, 0, NULL, O(confidential)},
    {NULL, 0, false, 0, 0, NULL, 0, 0},
};

static const field_t kip_fields[] = {
    {"kind", F_ENUM, true, 0, 0, kind_names, O(kind)},
    {"id", F_ID, true, 1, CEV_ID_MAX, NULL, O(id)},
    {"updated_at", F_TIME, true, 0, 0, NULL, O(updated_ms)},
    {"grade", F_ENUM, true, 0, 0, kip_names, O(kip)},
    {"score", F_SCORE, true, 0, 100, NULL, O(kip_score_x10)},
    {NULL, 0, false, 0, 0, NULL, 0, 0},
};

#undef O

static const field_t *const kind_fields[CEV_KIND_COUNT] = {complaint_fields, request_fields,
                                                           kip_fields};

/* ---- names ----------------------------------------------------------------------------------- */

static const char *name_at(const char *const *names, int n, int v)
{
    return v >= 0 && v < n ? names[v] : NULL;
}

const char *cev_kind_name(cev_kind_t k) { return name_at(kind_names, CEV_KIND_COUNT, (int)k); }
const char *cev_stage_name(cev_stage_t s) { return name_at(stage_names, CEV_STAGE_COUNT, (int)s); }
const char *cev_channel_name(cev_channel_t c) { return name_at(channel_names, CEV_CH_COUNT, (int)c); }
const char *cev_class_name(cev_class_t c) { return name_at(class_names, CEV_CLASS_COUNT, (int)c); }
const char *cev_sat_name(cev_sat_t s) { return name_at(sat_names, CEV_SAT_COUNT, (int)s); }
const char *cev_ppid_name(cev_ppid_t p) { return name_at(ppid_names, CEV_PPID_COUNT, (int)p); }
const char *cev_case_name(cev_case_t c) { return name_at(case_names, CEV_CASE_COUNT, (int)c); }
const char *cev_kip_name(cev_kip_t k) { return name_at(kip_names, CEV_KIP_COUNT, (int)k); }

/* ---- values ---------------------------------------------------------------------------------- */

bool cev_parse_time(const char *s, int64_t *ms)
{
    /* GLib accepts a missing zone when given a default one; giving none makes it refuse. */
    GDateTime *dt = s != NULL && strlen(s) <= 40 ? g_date_time_new_from_iso8601(s, NULL) : NULL;
    if (dt == NULL || strchr(s, 'T') == NULL) {
        if (dt != NULL)
            g_date_time_unref(dt);
        return false;
    }
    int64_t v = g_date_time_to_unix(dt) * 1000 + g_date_time_get_microsecond(dt) / 1000;
    g_date_time_unref(dt);
    if (v < CEV_TIME_MIN_MS || v >= CEV_TIME_MAX_MS)
        return false;
    *ms = v;
    return true;
}

/* A short, printable piece of a bad value for a message. */
static void quote(const char *s, char *out, size_t cap)
{
    size_t n = 0;
    for (; *s && n + 4 < cap && n < CEV_QUOTE_MAX; s++)
        out[n++] = (unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f ? *s : '?';
    if (*s && n + 4 < cap) {
        memcpy(out + n, "...", 3);
        n += 3;
    }
    out[n] = '\0';
}

static void names_list(const char *const *names, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; names[i] && n < cap; i++)
        n += (size_t)snprintf(out + n, cap - n, "%s%s", i ? ", " : "", names[i]);
}

static bool id_char(char ch, bool token)
{
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-')
        return true;
    return !token && ((ch >= 'A' && ch <= 'Z') || strchr(".:/#", ch) != NULL);
}

static bool has_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

/* Checks one string value against its field; writes it into dst (cap bytes). */
static int put_string(const field_t *f, const char *s, char *dst, char *err, size_t cap)
{
    char q[64];
    size_t len = strlen(s);
    if (f->type == F_ID || f->type == F_KEY) {
        bool ok = len >= (size_t)f->min && len <= (size_t)f->max;
        for (size_t i = 0; ok && i < len; i++)
            ok = id_char(s[i], f->type == F_KEY);
        if (!ok) {
            quote(s, q, sizeof q);
            snprintf(err, cap, "%s: '%s' is not valid (1..%d characters of %s)", f->name, q,
                     f->max, f->type == F_KEY ? "a-z 0-9 _ -" : "A-Z a-z 0-9 . _ : / # -");
            return -1;
        }
    } else {
        long chars = g_utf8_strlen(s, -1);
        if (has_control(s)) {
            snprintf(err, cap, "%s: contains control characters (line breaks, tabs)", f->name);
            return -1;
        }
        if (chars < f->min || chars > f->max) {
            snprintf(err, cap, "%s: %ld characters (allowed %d..%d)", f->name, chars, f->min,
                     f->max);
            return -1;
        }
    }
    memcpy(dst, s, len + 1);
    return 0;
}

static int put_value(const field_t *f, JsonNode *node, cev_t *ev, char *err, size_t cap)
{
    char *dst = (char *)ev + f->off, q[64];
    GType t = JSON_NODE_HOLDS_VALUE(node) ? json_node_get_value_type(node) : G_TYPE_INVALID;
    bool is_str = t == G_TYPE_STRING, is_bool = t == G_TYPE_BOOLEAN;
    bool is_num = t == G_TYPE_INT64 || t == G_TYPE_DOUBLE;
    const char *want = f->type == F_BOOL ? "true or false" : f->type == F_SCORE ? "a number" : "a string";
    if ((f->type == F_BOOL && !is_bool) || (f->type == F_SCORE && !is_num) ||
        (f->type != F_BOOL && f->type != F_SCORE && !is_str)) {
        snprintf(err, cap, "%s: must be %s", f->name, want);
        return -1;
    }
    const char *s = is_str ? json_node_get_string(node) : NULL;
    switch (f->type) {
    case F_ID:
    case F_KEY:
    case F_TEXT:
        return put_string(f, s, dst, err, cap);
    case F_BOOL:
        *(bool *)dst = json_node_get_boolean(node);
        return 0;
    case F_TIME:
        if (!cev_parse_time(s, (int64_t *)dst)) {
            quote(s, q, sizeof q);
            snprintf(err, cap, "%s: '%s' is not an RFC 3339 time with a zone between 2000 and "
                               "2100 (e.g. 2026-11-23T09:15:00+08:00)", f->name, q);
            return -1;
        }
        return 0;
    case F_SCORE: {
        double v = json_node_get_double(node);
        if (!isfinite(v) || v < f->min || v > f->max) {
            snprintf(err, cap, "%s: out of range (allowed %d..%d)", f->name, f->min, f->max);
            return -1;
        }
        *(int *)dst = (int)lround(v * 10);
        return 0;
    }
    case F_ENUM:
        for (int i = 0; f->names[i]; i++)
            if (strcmp(f->names[i], s) == 0) {
                *(int *)dst = i;
                return 0;
            }
        char list[256];
        names_list(f->names, list, sizeof list);
        quote(s, q, sizeof q);
        snprintf(err, cap, "%s: '%s' is not one of %s", f->name, q, list);
        return -1;
    }
    return -1;
}

static const field_t *find_field(const field_t *fields, const char *name)
{
    for (const field_t *f = fields; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

/* Rules between fields, after each field passed on its own. */
static int check_cross(const cev_t *ev, char *err, size_t cap)
{
    if (ev->kind != CEV_COMPLAINT)
        return 0;
    bool at_opd = ev->stage == CEV_STAGE_DISPOSITIONED || ev->stage == CEV_STAGE_FOLLOWED_UP;
    if (at_opd && ev->opd[0] == '\0') {
        snprintf(err, cap, "opd: required when stage is %s (the agency it was sent to)",
                 cev_stage_name(ev->stage));
        return -1;
    }
    if (ev->stage == CEV_STAGE_DISPOSITIONED && ev->dispositioned_ms == 0) {
        snprintf(err, cap, "dispositioned_at: required when stage is dispositioned (the OPD's "
                           "5-working-day deadline counts from it)");
        return -1;
    }
    return 0;
}

static void init_event(cev_t *ev)
{
    memset(ev, 0, sizeof *ev);
    ev->satisfaction = CEV_SAT_NONE;
}

int cev_from_node(JsonNode *node, cev_t *out, char *err, size_t err_cap)
{
    if (node == NULL || !JSON_NODE_HOLDS_OBJECT(node)) {
        snprintf(err, err_cap, "an event must be a JSON object");
        return -1;
    }
    JsonObject *obj = json_node_get_object(node);
    JsonNode *kn = json_object_get_member(obj, "kind");
    cev_t ev;
    init_event(&ev);
    if (kn == NULL) {
        snprintf(err, err_cap, "kind: missing (complaint, info_request or kip_grade)");
        return -1;
    }
    if (put_value(&complaint_fields[0], kn, &ev, err, err_cap) != 0)
        return -1;
    const field_t *fields = kind_fields[ev.kind];
    bool seen[32] = {false};
    JsonObjectIter it;
    const char *name;
    JsonNode *val;
    json_object_iter_init(&it, obj);
    while (json_object_iter_next(&it, &name, &val)) {
        const field_t *f = find_field(fields, name);
        if (f == NULL) {
            char q[64];
            quote(name, q, sizeof q);
            snprintf(err, err_cap, "%s: unknown field for kind %s (see docs/complaints.md)", q,
                     cev_kind_name(ev.kind));
            return -1;
        }
        if (JSON_NODE_HOLDS_NULL(val) && !f->required)
            continue; /* null = absent */
        if (put_value(f, val, &ev, err, err_cap) != 0)
            return -1;
        seen[f - fields] = true;
    }
    for (const field_t *f = fields; f->name; f++)
        if (f->required && !seen[f - fields]) {
            snprintf(err, err_cap, "%s: missing (required for kind %s)", f->name,
                     cev_kind_name(ev.kind));
            return -1;
        }
    if (check_cross(&ev, err, err_cap) != 0)
        return -1;
    *out = ev;
    return 0;
}

static JsonNode *parse_root(JsonParser *p, const char *text, size_t len, char *err, size_t cap)
{
    GError *gerr = NULL;
    if (len > G_MAXSSIZE || !g_utf8_validate(text, (gssize)len, NULL)) {
        snprintf(err, cap, "body is not UTF-8 text");
        return NULL;
    }
    /* json-glib quietly takes "{...}{...}" as one value: refuse text after the first. */
    if (!cmsg_json_single(text, len)) {
        snprintf(err, cap, "malformed JSON: text after the first value (send one object or an "
                           "array of objects)");
        return NULL;
    }
    if (!json_parser_load_from_data(p, text, (gssize)len, &gerr)) {
        snprintf(err, cap, "malformed JSON: %s", gerr ? gerr->message : "unknown error");
        g_clear_error(&gerr);
        return NULL;
    }
    JsonNode *root = json_parser_get_root(p);
    if (root == NULL)
        snprintf(err, cap, "empty body (expected a JSON object or array of objects)");
    return root;
}

int cev_parse(const char *text, size_t len, cev_t *out, char *err, size_t err_cap)
{
    JsonParser *p = json_parser_new_immutable();
    JsonNode *root = parse_root(p, text, len, err, err_cap);
    int rc = root != NULL ? cev_from_node(root, out, err, err_cap) : -1;
    g_object_unref(p);
    return rc;
}

int cev_parse_batch(const char *text, size_t len, cev_t **out, char *err, size_t err_cap)
{
    JsonParser *p = json_parser_new_immutable();
    JsonNode *root = parse_root(p, text, len, err, err_cap);
    cev_t *evs = NULL;
    int n = -1;
    if (root == NULL)
        goto done;
    if (JSON_NODE_HOLDS_OBJECT(root)) {
        evs = g_new(cev_t, 1);
        n = cev_from_node(root, evs, err, err_cap) == 0 ? 1 : -1;
        goto done;
    }
    if (!JSON_NODE_HOLDS_ARRAY(root)) {
        snprintf(err, err_cap, "body must be a JSON object or an array of objects");
        goto done;
    }
    JsonArray *a = json_node_get_array(root);
    guint count = json_array_get_length(a);
    if (count == 0 || count > CEV_BATCH_MAX) {
        snprintf(err, err_cap, "array of %u events (allowed 1..%d)", count, CEV_BATCH_MAX);
        goto done;
    }
    evs = g_new(cev_t, count);
    for (guint i = 0; i < count; i++) {
        char why[400];
        if (cev_from_node(json_array_get_element(a, i), &evs[i], why, sizeof why) != 0) {
            snprintf(err, err_cap, "events[%u].%s", i, why);
            goto done;
        }
    }
    n = (int)count;
done:
    g_object_unref(p);
    if (n < 0)
        g_free(evs);
    else
        *out = evs;
    return n;
}

/* ---- the stored form ------------------------------------------------------------------------- */

static void add_time(JsonBuilder *b, const char *name, int64_t ms)
{
    GDateTime *dt = g_date_time_new_from_unix_utc(ms / 1000);
    GDateTime *dt2 = dt ? g_date_time_add(dt, (ms % 1000) * 1000) : NULL;
    char *s = dt2 ? g_date_time_format(dt2, "%Y-%m-%dT%H:%M:%S.%fZ") : NULL;
    if (s != NULL) {
        json_builder_set_member_name(b, name);
        json_builder_add_string_value(b, s);
    }
    g_free(s);
    if (dt2)
        g_date_time_unref(dt2);
    if (dt)
        g_date_time_unref(dt);
}

char *cev_to_json(const cev_t *ev)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    for (const field_t *f = kind_fields[ev->kind]; f->name; f++) {
        const char *src = (const char *)ev + f->off;
        int iv = f->type == F_ENUM || f->type == F_SCORE ? *(const int *)src : 0;
        switch (f->type) {
        case F_ID:
        case F_KEY:
        case F_TEXT:
            if (!f->required && src[0] == '\0')
                continue;
            json_builder_set_member_name(b, f->name);
            json_builder_add_string_value(b, src);
            break;
        case F_BOOL:
            json_builder_set_member_name(b, f->name);
            json_builder_add_boolean_value(b, *(const bool *)src);
            break;
        case F_TIME:
            if (*(const int64_t *)src != 0)
                add_time(b, f->name, *(const int64_t *)src);
            break;
        case F_SCORE:
            json_builder_set_member_name(b, f->name);
            json_builder_add_double_value(b, iv / 10.0);
            break;
        case F_ENUM:
            if (iv < 0)
                continue; /* satisfaction absent */
            json_builder_set_member_name(b, f->name);
            json_builder_add_string_value(b, f->names[iv]);
            break;
        }
    }
    json_builder_end_object(b);
    JsonNode *root = json_builder_get_root(b);
    char *s = json_to_string(root, FALSE);
    json_node_unref(root);
    g_object_unref(b);
    return s;
}
