/* pantau-microbench: micro-benchmarks of the hot pure code (no GStreamer, SDL or ZeroMQ): the wire
 * codec (frame header and status, encode and decode), grid geometry, layout parsing and control
 * command parsing. Not a test: it prints ns per call and asserts nothing about speed.
 *
 *   pantau-microbench [--quick]
 *
 * Each case runs its body in a loop for about DEFAULT_CASE_S seconds of CPU time (process CPU
 * clock, so a loaded machine inflates less than wall time would), after a warm-up, and prints
 * "case  ns/op  ops". A checksum of the results is printed so the compiler cannot drop the work.
 * Single-threaded; everything it allocates is freed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agg.h"
#include "cmsg.h"
#include "ctlcmd.h"
#include "grid.h"
#include "layout.h"
#include "wire.h"

#define DEFAULT_CASE_S 0.5
#define QUICK_CASE_S 0.1
#define BATCH 256 /* calls between clock reads */

typedef void (*case_fn_t)(void *ctx, uint64_t *sink);

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void run_case(const char *name, case_fn_t fn, void *ctx, double seconds, uint64_t *sink)
{
    for (int i = 0; i < BATCH; i++) /* warm-up */
        fn(ctx, sink);
    uint64_t ops = 0;
    double t0 = cpu_s(), t = t0;
    while (t - t0 < seconds) {
        for (int i = 0; i < BATCH; i++)
            fn(ctx, sink);
        ops += BATCH;
        t = cpu_s();
    }
    printf("%-28s %10.1f ns/op %12llu ops\n", name, (t - t0) * 1e9 / (double)ops,
           (unsigned long long)ops);
}

/* ---- wire ---------------------------------------------------------------------------------- */
typedef struct {
    wire_frame_t frame;
    uint8_t header[WIRE_FRAME_HEADER_SIZE];
    wire_status_t status;
    uint8_t status_msg[WIRE_STATUS_MAX_SIZE];
    size_t status_len;
} wire_ctx_t;

static void wire_frame_enc(void *c, uint64_t *sink)
{
    wire_ctx_t *w = c;
    w->frame.seq++;
    *sink += (uint64_t)wire_frame_encode(&w->frame, w->header) + w->header[40];
}

static void wire_frame_dec(void *c, uint64_t *sink)
{
    wire_ctx_t *w = c;
    wire_frame_t out;
    *sink += (uint64_t)wire_frame_decode(w->header, sizeof w->header, w->frame.payload_len, &out) +
             out.width;
}

static void wire_status_enc(void *c, uint64_t *sink)
{
    wire_ctx_t *w = c;
    w->status.time_ns++;
    *sink += wire_status_encode(&w->status, w->status_msg, sizeof w->status_msg);
}

static void wire_status_dec(void *c, uint64_t *sink)
{
    wire_ctx_t *w = c;
    wire_status_t out;
    *sink += (uint64_t)wire_status_decode(w->status_msg, w->status_len, &out) + out.fps_milli;
}

/* ---- grid ---------------------------------------------------------------------------------- */
static void grid_layout_4k(void *c, uint64_t *sink)
{
    (void)c;
    grid_t g;
    if (!grid_init(&g, 3840, 2160, true, 6, 6, 4))
        return;
    for (int r = 0; r < 6; r++) {
        for (int col = 0; col < 6; col++) {
            grid_rect_t cell = grid_cell_rect(&g, col, r, 1, 1), src, dst;
            grid_fit_rect(1280, 720, cell, GRID_FIT_LETTERBOX, &src, &dst);
            *sink += (uint64_t)(dst.w + dst.h);
        }
    }
}

/* ---- layout -------------------------------------------------------------------------------- */
typedef struct {
    char *text;
    size_t len;
} layout_ctx_t;

static char *make_layout_text(int n)
{
    size_t cap = 256 + (size_t)n * 160, len = 0;
    char *t = malloc(cap);
    if (t == NULL)
        return NULL;
    len += (size_t)snprintf(t + len, cap - len,
                            "[wall]\ntitle = Bench\ncanvas = 3840x2160\ngrid = 6x6\nfps = 25\n");
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(t + len, cap - len,
                                "\n[camera cam%02d]\nlabel = Camera %d\n"
                                "source = rtsp://127.0.0.1:%d/cam\ntile = %d,%d\nlatency_ms = 80\n",
                                i, i, 20000 + i, i % 6, i / 6);
    return t;
}

static void layout_parse_36(void *c, uint64_t *sink)
{
    layout_ctx_t *l = c;
    layout_errors_t errs = {0};
    layout_t *lay = layout_parse(l->text, l->len, "bench.ini", &errs);
    *sink += lay != NULL ? (uint64_t)lay->n_cameras : 1000;
    layout_destroy(&lay);
    layout_errors_clear(&errs);
}

/* ---- control commands ---------------------------------------------------------------------- */
static void ctl_parse_ptz(void *c, uint64_t *sink)
{
    (void)c;
    static const char *const argv[] = {"ptz", "cam07", "move", "0.5", "-0.25", "0"};
    ctl_cmd_t cmd;
    char err[128];
    *sink += (uint64_t)ctlcmd_parse(6, argv, &cmd, err, sizeof err) + (uint64_t)cmd.verb;
}

static void ctl_parse_parts_alarm(void *c, uint64_t *sink)
{
    (void)c;
    static const char *const words[] = {"alarm", "cam12", "pintu", "gudang", "terbuka"};
    const uint8_t *parts[5];
    size_t lens[5];
    for (int i = 0; i < 5; i++) {
        parts[i] = (const uint8_t *)words[i];
        lens[i] = strlen(words[i]);
    }
    ctl_cmd_t cmd;
    char err[128];
    *sink += (uint64_t)ctlcmd_parse_parts(5, parts, lens, &cmd, err, sizeof err) + cmd.text[0];
}

/* ---- complaint counters --------------------------------------------------------------------- */

#define AGG_ITEMS 10000
#define AGG_DAY_MS 86400000ll
#define AGG_NOW_MS 1795435200000ll /* 2026-11-23T12:00:00+08:00 */

static const char *const agg_opds[] = {"Dinas Kesehatan", "Dinas Perhubungan", "Dinas PUPR",
                                       "Satpol PP", "Dinas Lingkungan Hidup", "Disdukcapil"};

typedef struct {
    agg_t *agg;
    workday_cal_t *cal;
    cmsg_t msg;
    char *json; /* cmsg_encode of msg */
    int64_t version;
} agg_ctx_t;

/* AGG_ITEMS complaints over the last 60 days: every channel, stage and OPD, some rated. */
static int agg_setup(agg_ctx_t *a)
{
    char err[128];
    a->agg = agg_new();
    a->cal = workday_cal_new("Asia/Makassar", err, sizeof err);
    if (a->agg == NULL || a->cal == NULL) {
        fprintf(stderr, "pantau-microbench: aggregation set-up failed: %s\n", err);
        return -1;
    }
    for (int i = 0; i < AGG_ITEMS; i++) {
        cev_t ev;
        memset(&ev, 0, sizeof ev);
        ev.kind = CEV_COMPLAINT;
        snprintf(ev.id, sizeof ev.id, "LAPOR-%06d", i);
        ev.received_ms = AGG_NOW_MS - (int64_t)(i % 60) * AGG_DAY_MS - (i % 977) * 60000ll;
        ev.updated_ms = ev.received_ms + 3600000;
        ev.stage = (cev_stage_t)(i % CEV_STAGE_COUNT);
        ev.channel = (cev_channel_t)(i % CEV_CH_COUNT);
        ev.satisfaction = ev.stage == CEV_STAGE_CLOSED ? (cev_sat_t)(i % CEV_SAT_COUNT) : CEV_SAT_NONE;
        if (ev.stage >= CEV_STAGE_DISPOSITIONED)
            snprintf(ev.opd, sizeof ev.opd, "%s", agg_opds[i % 6]);
        if (ev.stage == CEV_STAGE_CLOSED)
            ev.closed_ms = ev.updated_ms;
        snprintf(ev.category, sizeof ev.category, "kategori-%d", i % 12);
        snprintf(ev.title, sizeof ev.title, "Jalan rusak di RT %d", i % 40);
        if (agg_apply(a->agg, &ev) != AGG_NEW)
            return -1;
    }
    agg_compute(a->agg, AGG_NOW_MS, a->cal, &a->msg);
    a->json = cmsg_encode(&a->msg);
    a->version = AGG_NOW_MS;
    return a->json != NULL ? 0 : -1;
}

static void agg_cleanup(agg_ctx_t *a)
{
    agg_destroy(&a->agg);
    workday_cal_destroy(&a->cal);
    free(a->json);
}

static void agg_compute_all(void *ctx, uint64_t *sink)
{
    agg_ctx_t *a = ctx;
    agg_compute(a->agg, AGG_NOW_MS, a->cal, &a->msg);
    *sink += (uint64_t)a->msg.open + a->msg.received_today;
}

/* A stage update of one held item (a newer version replaces the old). */
static void agg_apply_update(void *ctx, uint64_t *sink)
{
    agg_ctx_t *a = ctx;
    cev_t ev;
    memset(&ev, 0, sizeof ev);
    ev.kind = CEV_COMPLAINT;
    snprintf(ev.id, sizeof ev.id, "LAPOR-%06d", (int)(a->version % AGG_ITEMS));
    ev.received_ms = AGG_NOW_MS - AGG_DAY_MS;
    ev.updated_ms = ++a->version;
    ev.stage = CEV_STAGE_VERIFIED;
    *sink += (uint64_t)agg_apply(a->agg, &ev);
}

static void cmsg_enc(void *ctx, uint64_t *sink)
{
    agg_ctx_t *a = ctx;
    char *json = cmsg_encode(&a->msg);
    *sink += json != NULL ? (uint64_t)json[1] : 0;
    free(json);
}

static void cmsg_dec(void *ctx, uint64_t *sink)
{
    agg_ctx_t *a = ctx;
    cmsg_t m;
    char err[128];
    *sink += (uint64_t)cmsg_decode(a->json, strlen(a->json), &m, err, sizeof err) + m.open;
}

int main(int argc, char **argv)
{
    double secs = DEFAULT_CASE_S;
    if (argc == 2 && strcmp(argv[1], "--quick") == 0) {
        secs = QUICK_CASE_S;
    } else if (argc != 1) {
        fprintf(stderr, "usage: pantau-microbench [--quick]\n");
        return 2;
    }
    uint64_t sink = 0;
    wire_ctx_t w = {0};
    w.frame.format = WIRE_FORMAT_I420;
    snprintf(w.frame.camera_id, sizeof w.frame.camera_id, "cam07");
    w.frame.capture_ns = 1;
    w.frame.pts_ns = 2;
    wire_frame_set_i420_layout(&w.frame, 480, 270);
    w.status.state = WIRE_STATE_LIVE;
    snprintf(w.status.camera_id, sizeof w.status.camera_id, "cam07");
    w.status.fps_milli = 25000;
    snprintf(w.status.last_error, sizeof w.status.last_error, "connection refused by 127.0.0.1");
    if (wire_frame_encode(&w.frame, w.header) != WIRE_OK ||
        (w.status_len = wire_status_encode(&w.status, w.status_msg, sizeof w.status_msg)) == 0) {
        fprintf(stderr, "pantau-microbench: wire set-up failed\n");
        return 1;
    }
    layout_ctx_t l = {make_layout_text(36), 0};
    if (l.text == NULL)
        return 1;
    l.len = strlen(l.text);

    printf("%-28s %16s %16s\n", "case", "time", "iterations");
    run_case("wire_frame_encode", wire_frame_enc, &w, secs, &sink);
    run_case("wire_frame_decode", wire_frame_dec, &w, secs, &sink);
    run_case("wire_status_encode", wire_status_enc, &w, secs, &sink);
    run_case("wire_status_decode", wire_status_dec, &w, secs, &sink);
    run_case("grid_6x6_4k_fit (36 tiles)", grid_layout_4k, NULL, secs, &sink);
    run_case("layout_parse (36 cameras)", layout_parse_36, &l, secs, &sink);
    run_case("ctlcmd_parse (ptz move)", ctl_parse_ptz, NULL, secs, &sink);
    run_case("ctlcmd_parse_parts (alarm)", ctl_parse_parts_alarm, NULL, secs, &sink);
    agg_ctx_t a = {0};
    if (agg_setup(&a) != 0) {
        agg_cleanup(&a);
        free(l.text);
        return 1;
    }
    run_case("agg_compute (10000 items)", agg_compute_all, &a, secs, &sink);
    run_case("agg_apply (stage update)", agg_apply_update, &a, secs, &sink);
    run_case("cmsg_encode (counters JSON)", cmsg_enc, &a, secs, &sink);
    run_case("cmsg_decode (counters JSON)", cmsg_dec, &a, secs, &sink);
    agg_cleanup(&a);
    printf("checksum %llu\n", (unsigned long long)sink);
    free(l.text);
    return 0;
}
