/* cmsg: the complaint-counters message (see cmsg.h, docs/complaints.md). */
#include "cmsg.h"

#include <stdio.h>
#include <string.h>

#include <json-glib/json-glib.h>

static const char *const stage_keys[CMSG_STAGES] = {
    "received", "verified", "postponed", "not_authority", "archived", "dispositioned",
    "followed_up", "closed"};
static const char *const sat_keys[CMSG_SAT] = {"sangat_puas", "puas", "cukup_puas", "tidak_puas"};
static const char *const ppid_keys[] = {"received_month", "open", "answered", "refused", "overdue",
                                        "objections_open", "disputes_open"};
static const char *const kip_keys[] = {"informatif", "menuju_informatif", "cukup_informatif",
                                       "kurang_informatif", "tidak_informatif"};

const char *cmsg_stage_key(int stage)
{
    return stage >= 0 && stage < CMSG_STAGES ? stage_keys[stage] : "";
}

const char *cmsg_sat_key(int i)
{
    return i >= 0 && i < CMSG_SAT ? sat_keys[i] : "";
}

static uint32_t *ppid_field(cmsg_ppid_t *p, int i)
{
    uint32_t *f[] = {&p->received_month, &p->open,    &p->answered,     &p->refused,
                     &p->overdue,        &p->objections_open, &p->disputes_open};
    return f[i];
}

/* ---- encode ---------------------------------------------------------------------------------- */

static void put_int(JsonBuilder *b, const char *name, int64_t v)
{
    json_builder_set_member_name(b, name);
    json_builder_add_int_value(b, v);
}

static void put_str(JsonBuilder *b, const char *name, const char *v)
{
    json_builder_set_member_name(b, name);
    json_builder_add_string_value(b, v);
}

static void put_bool(JsonBuilder *b, const char *name, bool v)
{
    json_builder_set_member_name(b, name);
    json_builder_add_boolean_value(b, v);
}

static void encode_lists(JsonBuilder *b, const cmsg_t *m)
{
    json_builder_set_member_name(b, "stages");
    json_builder_begin_object(b);
    for (int i = 0; i < CMSG_STAGES; i++)
        put_int(b, stage_keys[i], m->stages[i]);
    json_builder_end_object(b);
    json_builder_set_member_name(b, "channels");
    json_builder_begin_array(b);
    for (int i = 0; i < m->n_channels; i++) {
        json_builder_begin_object(b);
        put_str(b, "key", m->channels[i].key);
        put_int(b, "today", m->channels[i].today);
        put_int(b, "month", m->channels[i].month);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "opd");
    json_builder_begin_array(b);
    for (int i = 0; i < m->n_opd; i++) {
        json_builder_begin_object(b);
        put_str(b, "name", m->opd[i].name);
        put_int(b, "backlog", m->opd[i].backlog);
        put_int(b, "overdue", m->opd[i].overdue);
        put_int(b, "median_response_h", m->opd[i].median_response_h);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "categories");
    json_builder_begin_array(b);
    for (int i = 0; i < m->n_categories; i++) {
        json_builder_begin_object(b);
        put_str(b, "key", m->categories[i].key);
        put_int(b, "count", m->categories[i].count);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "satisfaction");
    json_builder_begin_object(b);
    for (int i = 0; i < CMSG_SAT; i++)
        put_int(b, sat_keys[i], m->satisfaction[i]);
    json_builder_end_object(b);
}

static void encode_ticker(JsonBuilder *b, const cmsg_t *m)
{
    json_builder_set_member_name(b, "ticker");
    json_builder_begin_array(b);
    for (int i = 0; i < m->n_ticker; i++) {
        const cmsg_tick_t *t = &m->ticker[i];
        json_builder_begin_object(b);
        put_str(b, "id", t->id);
        put_str(b, "kind", t->kind);
        put_int(b, "time_ms", t->time_ms);
        put_str(b, "channel", t->channel);
        put_str(b, "category", t->category);
        put_str(b, "stage", t->stage);
        put_str(b, "opd", t->opd);
        put_str(b, "title", t->confidential ? "" : t->title);
        put_str(b, "location", t->confidential ? "" : t->location);
        put_str(b, "reporter", t->anonymous ? "" : t->reporter);
        put_bool(b, "confidential", t->confidential);
        put_bool(b, "anonymous", t->anonymous);
        json_builder_end_object(b);
    }
    json_builder_end_array(b);
}

char *cmsg_encode(const cmsg_t *m)
{
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    put_int(b, "v", CMSG_VERSION);
    put_int(b, "seq", (int64_t)m->seq);
    put_int(b, "generated_ms", m->generated_ms);
    put_int(b, "changed_ms", m->changed_ms);
    put_str(b, "tz", m->tz);
    put_int(b, "received_today", m->received_today);
    put_int(b, "received_month", m->received_month);
    put_int(b, "open", m->open);
    put_int(b, "overdue_verify", m->overdue_verify);
    put_int(b, "overdue_followup", m->overdue_followup);
    put_int(b, "total", m->total);
    put_int(b, "closed", m->closed);
    put_int(b, "resolved_permille", m->resolved_permille);
    encode_lists(b, m);
    json_builder_set_member_name(b, "ppid");
    json_builder_begin_object(b);
    cmsg_ppid_t p = m->ppid;
    for (int i = 0; i < 7; i++)
        put_int(b, ppid_keys[i], *ppid_field(&p, i));
    json_builder_end_object(b);
    json_builder_set_member_name(b, "kip");
    json_builder_begin_object(b);
    if (m->kip_grade >= 0 && m->kip_grade < 5)
        put_str(b, "grade", kip_keys[m->kip_grade]);
    else {
        json_builder_set_member_name(b, "grade");
        json_builder_add_null_value(b);
    }
    put_int(b, "score_x10", m->kip_score_x10);
    json_builder_end_object(b);
    encode_ticker(b, m);
    json_builder_end_object(b);
    JsonNode *root = json_builder_get_root(b);
    char *s = json_to_string(root, FALSE);
    json_node_unref(root);
    g_object_unref(b);
    return s;
}

/* ---- decode ---------------------------------------------------------------------------------- */

bool cmsg_json_single(const char *text, size_t len)
{
    size_t i = 0;
    int depth = 0;
    bool in_str = false;
    while (i < len && strchr(" \t\r\n", text[i]) != NULL)
        i++;
    if (i == len || (text[i] != '{' && text[i] != '['))
        return true; /* a scalar or nothing: the parser judges it */
    for (; i < len; i++) {
        char c = text[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = false;
        } else if (c == '"') {
            in_str = true;
        } else if (c == '{' || c == '[') {
            depth++;
        } else if ((c == '}' || c == ']') && --depth == 0) {
            break;
        }
    }
    for (i++; i < len; i++)
        if (strchr(" \t\r\n", text[i]) == NULL)
            return false;
    return true;
}

typedef struct {
    cmsg_err_t code;
    char *err;
    size_t cap;
} dctx_t;

static bool fail(dctx_t *d, cmsg_err_t code, const char *fmt, const char *a, const char *b)
{
    if (d->code == CMSG_OK) {
        d->code = code;
        snprintf(d->err, d->cap, fmt, a, b);
    }
    return false;
}

static bool get_i64(dctx_t *d, JsonObject *o, const char *ctx, const char *name, int64_t lo,
                    int64_t hi, int64_t *out)
{
    JsonNode *n = o ? json_object_get_member(o, name) : NULL;
    if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_INT64)
        return fail(d, CMSG_ERR_FIELD, "%s%s: missing or not a whole number", ctx, name);
    int64_t v = json_node_get_int(n);
    if (v < lo || v > hi)
        return fail(d, CMSG_ERR_FIELD, "%s%s: out of range", ctx, name);
    *out = v;
    return true;
}

static bool get_u32(dctx_t *d, JsonObject *o, const char *ctx, const char *name, uint32_t *out)
{
    int64_t v = 0;
    if (!get_i64(d, o, ctx, name, 0, CMSG_COUNT_MAX, &v))
        return false;
    *out = (uint32_t)v;
    return true;
}

static bool get_str(dctx_t *d, JsonObject *o, const char *ctx, const char *name, char *out,
                    size_t cap)
{
    JsonNode *n = o ? json_object_get_member(o, name) : NULL;
    if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_STRING)
        return fail(d, CMSG_ERR_FIELD, "%s%s: missing or not a string", ctx, name);
    const char *s = json_node_get_string(n);
    size_t len = strlen(s);
    if (len >= cap)
        return fail(d, CMSG_ERR_FIELD, "%s%s: too long", ctx, name);
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20)
            return fail(d, CMSG_ERR_FIELD, "%s%s: control characters", ctx, name);
    memcpy(out, s, len + 1);
    return true;
}

static bool get_bool(dctx_t *d, JsonObject *o, const char *ctx, const char *name, bool *out)
{
    JsonNode *n = o ? json_object_get_member(o, name) : NULL;
    if (n == NULL || !JSON_NODE_HOLDS_VALUE(n) || json_node_get_value_type(n) != G_TYPE_BOOLEAN)
        return fail(d, CMSG_ERR_FIELD, "%s%s: missing or not true/false", ctx, name);
    *out = json_node_get_boolean(n);
    return true;
}

static JsonObject *get_obj(dctx_t *d, JsonObject *o, const char *name)
{
    JsonNode *n = o ? json_object_get_member(o, name) : NULL;
    if (n == NULL || !JSON_NODE_HOLDS_OBJECT(n)) {
        fail(d, CMSG_ERR_FIELD, "%s%s: missing or not an object", "", name);
        return NULL;
    }
    return json_node_get_object(n);
}

/* The array member name with at most max elements, each an object; NULL on error. */
static JsonArray *get_arr(dctx_t *d, JsonObject *o, const char *name, int max)
{
    JsonNode *n = o ? json_object_get_member(o, name) : NULL;
    if (n == NULL || !JSON_NODE_HOLDS_ARRAY(n)) {
        fail(d, CMSG_ERR_FIELD, "%s%s: missing or not an array", "", name);
        return NULL;
    }
    JsonArray *a = json_node_get_array(n);
    if ((int)json_array_get_length(a) > max) {
        fail(d, CMSG_ERR_FIELD, "%s%s: too many elements", "", name);
        return NULL;
    }
    for (guint i = 0; i < json_array_get_length(a); i++)
        if (!JSON_NODE_HOLDS_OBJECT(json_array_get_element(a, i))) {
            fail(d, CMSG_ERR_FIELD, "%s%s: an element is not an object", "", name);
            return NULL;
        }
    return a;
}

#define ELEM(a, i) json_array_get_object_element((a), (i))

static bool decode_lists(dctx_t *d, JsonObject *root, cmsg_t *m)
{
    JsonObject *st = get_obj(d, root, "stages"), *sat = get_obj(d, root, "satisfaction");
    for (int i = 0; st && i < CMSG_STAGES; i++)
        get_u32(d, st, "stages.", stage_keys[i], &m->stages[i]);
    for (int i = 0; sat && i < CMSG_SAT; i++)
        get_u32(d, sat, "satisfaction.", sat_keys[i], &m->satisfaction[i]);
    JsonArray *a = get_arr(d, root, "channels", CMSG_CHANNELS);
    for (guint i = 0; a && i < json_array_get_length(a); i++, m->n_channels++) {
        cmsg_channel_t *c = &m->channels[i];
        get_str(d, ELEM(a, i), "channels[].", "key", c->key, sizeof c->key);
        get_u32(d, ELEM(a, i), "channels[].", "today", &c->today);
        get_u32(d, ELEM(a, i), "channels[].", "month", &c->month);
    }
    a = get_arr(d, root, "opd", CMSG_MAX_OPD);
    for (guint i = 0; a && i < json_array_get_length(a); i++, m->n_opd++) {
        cmsg_opd_t *o = &m->opd[i];
        int64_t med = 0;
        get_str(d, ELEM(a, i), "opd[].", "name", o->name, sizeof o->name);
        get_u32(d, ELEM(a, i), "opd[].", "backlog", &o->backlog);
        get_u32(d, ELEM(a, i), "opd[].", "overdue", &o->overdue);
        get_i64(d, ELEM(a, i), "opd[].", "median_response_h", -1, 1000000, &med);
        o->median_response_h = (int32_t)med;
    }
    a = get_arr(d, root, "categories", CMSG_MAX_CATEGORIES);
    for (guint i = 0; a && i < json_array_get_length(a); i++, m->n_categories++) {
        get_str(d, ELEM(a, i), "categories[].", "key", m->categories[i].key, CMSG_KEY_MAX + 1);
        get_u32(d, ELEM(a, i), "categories[].", "count", &m->categories[i].count);
    }
    return d->code == CMSG_OK;
}

static bool decode_tick(dctx_t *d, JsonObject *o, cmsg_tick_t *t)
{
    const char *c = "ticker[].";
    get_str(d, o, c, "id", t->id, sizeof t->id);
    get_str(d, o, c, "kind", t->kind, sizeof t->kind);
    get_i64(d, o, c, "time_ms", 0, INT64_C(4102444800000), &t->time_ms);
    get_str(d, o, c, "channel", t->channel, sizeof t->channel);
    get_str(d, o, c, "category", t->category, sizeof t->category);
    get_str(d, o, c, "stage", t->stage, sizeof t->stage);
    get_str(d, o, c, "opd", t->opd, sizeof t->opd);
    get_str(d, o, c, "title", t->title, sizeof t->title);
    get_str(d, o, c, "location", t->location, sizeof t->location);
    get_str(d, o, c, "reporter", t->reporter, sizeof t->reporter);
    get_bool(d, o, c, "confidential", &t->confidential);
    get_bool(d, o, c, "anonymous", &t->anonymous);
    if (d->code != CMSG_OK)
        return false;
    if (t->confidential && (t->title[0] || t->location[0]))
        return fail(d, CMSG_ERR_PRIVACY, "ticker item %s%s: confidential but carries its content",
                    "", "");
    if (t->anonymous && t->reporter[0])
        return fail(d, CMSG_ERR_PRIVACY, "ticker item %s%s: anonymous but names its reporter", "",
                    "");
    return true;
}

static bool decode_rest(dctx_t *d, JsonObject *root, cmsg_t *m)
{
    int64_t v = 0;
    if (get_i64(d, root, "", "seq", 0, INT64_MAX, &v))
        m->seq = (uint64_t)v;
    get_i64(d, root, "", "generated_ms", 0, INT64_C(4102444800000), &m->generated_ms);
    get_i64(d, root, "", "changed_ms", 0, INT64_C(4102444800000), &m->changed_ms);
    get_str(d, root, "", "tz", m->tz, sizeof m->tz);
    uint32_t *u[] = {&m->received_today, &m->received_month, &m->open, &m->overdue_verify,
                     &m->overdue_followup, &m->total, &m->closed};
    const char *un[] = {"received_today", "received_month", "open", "overdue_verify",
                        "overdue_followup", "total", "closed"};
    for (int i = 0; i < 7; i++)
        get_u32(d, root, "", un[i], u[i]);
    if (get_i64(d, root, "", "resolved_permille", -1, 1000, &v))
        m->resolved_permille = (int32_t)v;
    if (!decode_lists(d, root, m))
        return false;
    JsonObject *p = get_obj(d, root, "ppid");
    for (int i = 0; p && i < 7; i++)
        get_u32(d, p, "ppid.", ppid_keys[i], ppid_field(&m->ppid, i));
    JsonObject *k = get_obj(d, root, "kip");
    if (k != NULL) {
        JsonNode *g = json_object_get_member(k, "grade");
        char grade[40] = "";
        m->kip_grade = -1;
        if (g != NULL && !JSON_NODE_HOLDS_NULL(g) && get_str(d, k, "kip.", "grade", grade, sizeof grade)) {
            for (int i = 0; i < 5; i++)
                if (strcmp(grade, kip_keys[i]) == 0)
                    m->kip_grade = i;
            if (m->kip_grade < 0)
                return fail(d, CMSG_ERR_FIELD, "kip.grade: unknown grade%s%s", "", "");
        }
        if (get_i64(d, k, "kip.", "score_x10", 0, 1000, &v))
            m->kip_score_x10 = (int)v;
    }
    JsonArray *a = get_arr(d, root, "ticker", CMSG_MAX_TICKER);
    for (guint i = 0; a && i < json_array_get_length(a) && d->code == CMSG_OK; i++, m->n_ticker++)
        decode_tick(d, ELEM(a, i), &m->ticker[i]);
    return d->code == CMSG_OK;
}

cmsg_err_t cmsg_decode(const char *data, size_t len, cmsg_t *out, char *err, size_t err_cap)
{
    dctx_t d = {CMSG_OK, err, err_cap};
    if (data == NULL || len == 0 || len > CMSG_MAX_BYTES) {
        snprintf(err, err_cap, "message of %zu bytes (allowed 1..%d)", len, CMSG_MAX_BYTES);
        return CMSG_ERR_SIZE;
    }
    if (!g_utf8_validate(data, (gssize)len, NULL) || !cmsg_json_single(data, len)) {
        snprintf(err, err_cap, "message is not UTF-8 text holding one JSON object");
        return CMSG_ERR_JSON;
    }
    JsonParser *p = json_parser_new_immutable();
    GError *gerr = NULL;
    cmsg_t *m = g_new0(cmsg_t, 1);
    if (!json_parser_load_from_data(p, data, (gssize)len, &gerr) || json_parser_get_root(p) == NULL ||
        !JSON_NODE_HOLDS_OBJECT(json_parser_get_root(p))) {
        d.code = CMSG_ERR_JSON;
        snprintf(err, err_cap, "not a JSON object%s%s", gerr ? ": " : "", gerr ? gerr->message : "");
        goto done;
    }
    JsonObject *root = json_node_get_object(json_parser_get_root(p));
    int64_t v = 0;
    if (!get_i64(&d, root, "", "v", 0, INT32_MAX, &v) || v != CMSG_VERSION) {
        d.code = CMSG_ERR_VERSION;
        snprintf(err, err_cap, "version %lld is not %d", (long long)v, CMSG_VERSION);
        goto done;
    }
    if (decode_rest(&d, root, m))
        *out = *m;
done:
    g_clear_error(&gerr);
    g_free(m);
    g_object_unref(p);
    return d.code;
}

const char *cmsg_err_name(cmsg_err_t e)
{
    static const char *const names[CMSG_ERR_COUNT_] = {"ok", "size", "json", "version", "field",
                                                       "privacy"};
    return e >= 0 && e < CMSG_ERR_COUNT_ ? names[e] : "unknown";
}

/* ---- labels ---------------------------------------------------------------------------------- */

typedef struct {
    const char *key, *id, *en;
} label_t;

static const label_t labels[] = {
    {"lapor_web", "lapor.go.id", "lapor.go.id"},
    {"sms_1708", "SMS 1708", "SMS 1708"},
    {"lapor_app", "Aplikasi LAPOR!", "LAPOR! app"},
    {"twitter", "X/Twitter", "X/Twitter"},
    {"whatsapp", "WhatsApp", "WhatsApp"},
    {"facebook", "Facebook", "Facebook"},
    {"instagram", "Instagram", "Instagram"},
    {"youtube", "YouTube", "YouTube"},
    {"email", "Surel", "E-mail"},
    {"radio", "Radio", "Radio"},
    {"letter", "Surat", "Letter"},
    {"walk_in", "Datang langsung", "Walk-in"},
    {"received", "Diterima", "Received"},
    {"verified", "Diverifikasi", "Verified"},
    {"postponed", "Ditunda", "Postponed"},
    {"not_authority", "Bukan kewenangan", "Not our authority"},
    {"archived", "Diarsipkan", "Archived"},
    {"dispositioned", "Didisposisikan", "Dispositioned"},
    {"followed_up", "Ditindaklanjuti", "Followed up"},
    {"closed", "Selesai", "Closed"},
    {"granted", "Dikabulkan", "Granted"},
    {"partly_granted", "Dikabulkan sebagian", "Partly granted"},
    {"refused", "Ditolak", "Refused"},
    {"sangat_puas", "Sangat Puas", "Very satisfied"},
    {"puas", "Puas", "Satisfied"},
    {"cukup_puas", "Cukup Puas", "Fairly satisfied"},
    {"tidak_puas", "Tidak Puas", "Not satisfied"},
    {"kesehatan", "Kesehatan", "Health"},
    {"transportasi", "Transportasi", "Transport"},
    {"pendidikan", "Pendidikan", "Education"},
    {"kependudukan", "Kependudukan", "Population records"},
    {"perizinan", "Perizinan", "Permits"},
    {"lingkungan", "Lingkungan", "Environment"},
    {"infrastruktur", "Infrastruktur", "Infrastructure"},
    {"sosial", "Sosial", "Social welfare"},
    {"ketertiban", "Ketertiban umum", "Public order"},
    {"ekonomi", "Ekonomi", "Economy"},
    {"lainnya", "Lainnya", "Other"},
    {"complaint", "Pengaduan", "Complaint"},
    {"info_request", "Permohonan informasi", "Information request"},
};

const char *cmsg_label(const char *key, bool en)
{
    for (size_t i = 0; key != NULL && i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].key, key) == 0)
            return en ? labels[i].en : labels[i].id;
    return key != NULL ? key : "";
}

const char *cmsg_kip_label(int grade, bool en)
{
    static const char *const id[] = {"Informatif", "Menuju Informatif", "Cukup Informatif",
                                     "Kurang Informatif", "Tidak Informatif"};
    static const char *const eng[] = {"Informative", "Towards informative", "Fairly informative",
                                      "Less informative", "Not informative"};
    if (grade < 0 || grade > 4)
        return en ? "No grade yet" : "Belum ada nilai";
    return en ? eng[grade] : id[grade];
}
