/* importer: JSON-lines and CSV exports into the store (see importer.h). */
#include "importer.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "log.h"

#define IMPORTER_MAX_FILE (512 * 1024 * 1024)
#define LOG_PREFIX "complaints import"

char **importer_csv_split(const char **pp)
{
    const char *p = *pp;
    if (*p == '\0')
        return NULL;
    GPtrArray *cells = g_ptr_array_new();
    GString *cell = g_string_new(NULL);
    bool quoted = false, at_start = true;
    for (;; p++) {
        char c = *p;
        if (quoted) {
            if (c == '\0')
                break;
            if (c == '"' && p[1] == '"') {
                g_string_append_c(cell, '"');
                p++;
            } else if (c == '"') {
                quoted = false;
            } else {
                g_string_append_c(cell, c);
            }
            continue;
        }
        if (c == '"' && at_start) {
            quoted = true;
            at_start = false;
            continue;
        }
        if (c == ',' || c == '\n' || c == '\0' || (c == '\r' && p[1] == '\n')) {
            g_ptr_array_add(cells, g_string_free(cell, FALSE));
            cell = g_string_new(NULL);
            at_start = true;
            if (c == ',')
                continue;
            if (c == '\r')
                p++;
            if (*p != '\0')
                p++;
            break;
        }
        g_string_append_c(cell, c);
        at_start = false;
    }
    g_string_free(cell, TRUE);
    g_ptr_array_add(cells, NULL);
    *pp = p;
    return (char **)g_ptr_array_free(cells, FALSE);
}

JsonNode *importer_csv_row(char **header, char **cells, int n)
{
    JsonObject *o = json_object_new();
    for (int i = 0; i < n && header[i] && cells[i]; i++) {
        const char *k = header[i], *v = cells[i];
        if (v[0] == '\0')
            continue;
        if (strcmp(k, "anonymous") == 0 || strcmp(k, "confidential") == 0 ||
            strcmp(k, "extended") == 0) {
            if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0)
                json_object_set_boolean_member(o, k, strcmp(v, "true") == 0);
            else
                json_object_set_string_member(o, k, v); /* refused as "must be true or false" */
        } else if (strcmp(k, "score") == 0) {
            char *end = NULL;
            double d = g_ascii_strtod(v, &end);
            if (end && *end == '\0')
                json_object_set_double_member(o, k, d);
            else
                json_object_set_string_member(o, k, v);
        } else {
            json_object_set_string_member(o, k, v);
        }
    }
    JsonNode *node = json_node_new(JSON_NODE_OBJECT);
    json_node_take_object(node, o);
    return node;
}

typedef struct {
    svc_t *svc;
    GArray *batch;
    importer_report_t *rep;
    const char *path;
} imp_t;

static int flush(imp_t *im, char *err, size_t cap)
{
    if (im->batch->len == 0)
        return 0;
    svc_result_t r;
    if (svc_submit(im->svc, (const cev_t *)(void *)im->batch->data, (int)im->batch->len, &r, err,
                   cap) != 0)
        return -1;
    im->rep->events += (int)im->batch->len;
    im->rep->res.added += r.added;
    im->rep->res.updated += r.updated;
    im->rep->res.duplicates += r.duplicates;
    im->rep->res.stale += r.stale;
    g_array_set_size(im->batch, 0);
    return 0;
}

static int take(imp_t *im, JsonNode *node, int line, char *err, size_t cap)
{
    cev_t ev;
    char why[512];
    if (node == NULL || cev_from_node(node, &ev, why, sizeof why) != 0) {
        log_warn(LOG_PREFIX, "%s:%d: %s", im->path, line, node ? why : "malformed JSON");
        im->rep->refused++;
        svc_reject(im->svc, node ? SVC_REJ_SCHEMA : SVC_REJ_JSON);
        return 0;
    }
    g_array_append_val(im->batch, ev);
    return im->batch->len >= CEV_BATCH_MAX ? flush(im, err, cap) : 0;
}

static int import_jsonl(imp_t *im, const char *text, char *err, size_t cap)
{
    char **lines = g_strsplit(text, "\n", -1);
    int rc = 0;
    JsonParser *parser = json_parser_new_immutable();
    for (int i = 0; lines[i] && rc == 0; i++) {
        g_strstrip(lines[i]);
        if (lines[i][0] == '\0')
            continue;
        JsonNode *node = json_parser_load_from_data(parser, lines[i], -1, NULL)
                             ? json_parser_get_root(parser) : NULL;
        rc = take(im, node, i + 1, err, cap);
    }
    g_object_unref(parser);
    g_strfreev(lines);
    return rc;
}

static int import_csv(imp_t *im, const char *text, char *err, size_t cap)
{
    const char *p = text;
    char **header = importer_csv_split(&p);
    if (header == NULL) {
        snprintf(err, cap, "empty CSV (the first row names the fields)");
        return -1;
    }
    int nh = (int)g_strv_length(header), rc = 0, line = 1;
    char **cells;
    while (rc == 0 && (cells = importer_csv_split(&p)) != NULL) {
        line++;
        int n = (int)g_strv_length(cells);
        if (n == 1 && cells[0][0] == '\0') {
            g_strfreev(cells);
            continue;
        }
        if (n != nh) {
            log_warn(LOG_PREFIX, "%s:%d: %d cells, the header has %d", im->path, line, n, nh);
            im->rep->refused++;
            svc_reject(im->svc, SVC_REJ_SCHEMA);
        } else {
            JsonNode *node = importer_csv_row(header, cells, n);
            rc = take(im, node, line, err, cap);
            json_node_unref(node);
        }
        g_strfreev(cells);
    }
    g_strfreev(header);
    return rc;
}

int importer_file(svc_t *svc, const char *path, importer_report_t *rep, char *err, size_t err_cap)
{
    memset(rep, 0, sizeof *rep);
    gchar *text = NULL;
    gsize len = 0;
    GError *gerr = NULL;
    if (!g_file_get_contents(path, &text, &len, &gerr)) {
        snprintf(err, err_cap, "%s", gerr->message);
        g_error_free(gerr);
        return -1;
    }
    int rc = -1;
    if (len > IMPORTER_MAX_FILE || strlen(text) != len || !g_utf8_validate(text, (gssize)len, NULL)) {
        snprintf(err, err_cap, "not UTF-8 text (or over %d bytes)", IMPORTER_MAX_FILE);
        goto done;
    }
    imp_t im = {svc, g_array_new(FALSE, FALSE, sizeof(cev_t)), rep, path};
    rc = g_str_has_suffix(path, ".csv") ? import_csv(&im, text, err, err_cap)
                                        : import_jsonl(&im, text, err, err_cap);
    if (rc == 0)
        rc = flush(&im, err, err_cap);
    g_array_free(im.batch, TRUE);
done:
    g_free(text);
    return rc;
}
