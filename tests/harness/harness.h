/* harness: helpers for Pantau's integration tests (tests/it_*.c), which run the real programs as
 * processes on loopback: pantau-test-camera, pantau-ingest, pantau-wall.
 *
 * A harness_t is one test's sandbox: a private temporary folder (removed by harness_destroy) and
 * the processes spawned through it (each killed and reaped by harness_destroy, even when the test
 * failed half-way; children also get PR_SET_PDEATHSIG(SIGKILL), so a test binary that crashes or
 * is killed leaves no orphans). Create one in a cmocka setup function and destroy it in the
 * teardown, which cmocka runs after a failed test too:
 *
 *   static int setup(void **state) { *state = harness_new(); return *state ? 0 : -1; }
 *   static int teardown(void **state) { harness_destroy((harness_t **)state); return 0; }
 *
 * Also here: free-port picking, waiting for a line on a process's stdout, a poll-until helper, a
 * ZeroMQ SUB that receives and decodes one Pantau message (frame, status or info), mean colours of a
 * PNG rectangle (wall snapshots) and of an I420 frame rectangle.
 *
 * Helpers never print except harness_note (test progress/measurements, on stdout) and never exit;
 * failures are return values, so the test decides what to assert. Single-threaded: one harness per
 * test, used from the test's thread. */
#ifndef PANTAU_TEST_HARNESS_H
#define PANTAU_TEST_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "wire.h"

#define HARNESS_MAX_PROCS 64
#define HARNESS_KILL_GRACE_MS 2000 /* harness_destroy: SIGTERM, then SIGKILL after this */
#define HARNESS_POLL_MS 20         /* polling period of every wait helper */

typedef struct harness harness_t;
typedef struct harness_proc harness_proc_t;

/* ---- sandbox --------------------------------------------------------------------------------- */

/* Creates the sandbox: a fresh folder /tmp/pantau-it-XXXXXX (mode 0700). NULL on failure. */
harness_t *harness_new(void);

/* Kills every process still running (SIGTERM, SIGKILL after HARNESS_KILL_GRACE_MS), reaps them,
 * removes the folder and everything in it, frees. Idempotent; NULLs *h. Set PANTAU_KEEP_TEST_DIR=1
 * to keep the folder (its path is printed) for a post-mortem. */
void harness_destroy(harness_t **h);

/* The sandbox folder (borrowed). */
const char *harness_dir(const harness_t *h);

/* dir/name as a new string (caller g_frees). */
char *harness_path(const harness_t *h, const char *name);

/* Writes text to dir/name with the given mode (e.g. 0600). Returns the path (caller g_frees) or
 * NULL on failure. */
char *harness_write_file(const harness_t *h, const char *name, const char *text, int mode);

/* Path of a built program: $PANTAU_BUILD_DIR (environment, else the compile-time definition)
 * /name, or .../tests/name for test tools; the first that exists. Caller g_frees; NULL if none. */
char *harness_bin(const char *name);

/* A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then closed), or -1. */
int harness_free_port(void);

/* ---- processes ------------------------------------------------------------------------------- */

/* Starts argv[0] (a path) with argv, in the sandbox folder as working directory, stdout and stderr
 * going to dir/NAME.stdout and dir/NAME.stderr (appended, so a restarted process keeps one log).
 * env: extra "KEY=VALUE" strings added to the inherited environment, NULL-terminated, may be NULL.
 * The process belongs to the harness. Returns NULL if it cannot be started (or too many). */
harness_proc_t *harness_spawn(harness_t *h, const char *name, const char *const *argv,
                              const char *const *env);

pid_t harness_proc_pid(const harness_proc_t *p);

/* Paths of the process's captured stdout/stderr (borrowed). */
const char *harness_proc_stdout(const harness_proc_t *p);
const char *harness_proc_stderr(const harness_proc_t *p);

/* Waits until a line starting with prefix appears on the process's stdout (counting only lines
 * written since this spawn); copies the whole line (without newline) into line (cap bytes; may be
 * NULL). false on timeout or if the process exited first. */
bool harness_wait_line(harness_proc_t *p, const char *prefix, char *line, size_t cap,
                       int timeout_ms);

/* Sends sig. Returns 0, or -1 if the process is no longer running. */
int harness_signal(harness_proc_t *p, int sig);

/* True while the process has not exited (reaps it if it has). */
bool harness_running(harness_proc_t *p);

/* Waits up to timeout_ms for the process to exit; *status gets the exit code, or -N when killed
 * by signal N (may be NULL). false on timeout (the process keeps running). */
bool harness_wait_exit(harness_proc_t *p, int timeout_ms, int *status);

/* Runs argv to completion (at most timeout_ms, then SIGKILL) with outputs captured under name like
 * harness_spawn; returns the exit status as harness_wait_exit does, or INT32_MIN on timeout or
 * spawn failure. */
int harness_run(harness_t *h, const char *name, const char *const *argv, const char *const *env,
                int timeout_ms);

/* ---- files and waiting ----------------------------------------------------------------------- */

/* Reads a whole file (NUL-terminated; caller g_frees); NULL if unreadable. */
char *harness_read_file(const char *path, size_t *len);

/* True if the file contains needle (false if unreadable). */
bool harness_file_contains(const char *path, const char *needle);

/* One field of a pantau-wall --status-file: key's value on the line "camera=ID ..." (or on the
 * "# pantau-wall status:" header line when id is NULL), without the quotes of a quoted value
 * (error="..."). Copies it to out (cap bytes) and returns true; false (out "") when the file,
 * the line or the key is missing. */
bool harness_status_field(const char *path, const char *id, const char *key, char *out,
                          size_t cap);

typedef bool harness_pred_fn(void *ctx);

/* Calls pred(ctx) every HARNESS_POLL_MS until it returns true (-> true) or timeout_ms pass
 * (-> false). pred is called at least once. */
bool harness_wait_until(harness_pred_fn *pred, void *ctx, int timeout_ms);

/* Monotonic time in ms (for measuring in tests). */
uint64_t harness_now_ms(void);

/* Prints "# text" on stdout (test notes and measurements; cmocka output stays readable). */
void harness_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- images ---------------------------------------------------------------------------------- */

/* Mean R, G, B (0..255) over the rectangle (x, y, w, h) of a PNG (IMG_Load), clipped to the image.
 * Returns false if the file cannot be read or the clipped rectangle is empty. */
bool harness_png_mean_rgb(const char *path, int x, int y, int w, int h, double rgb[3]);

/* ---- ZeroMQ: receiving what an ingest worker publishes --------------------------------------- */

typedef struct harness_sub harness_sub_t;

/* One received Pantau message, decoded with wire.h. */
typedef struct {
    wire_kind_t kind;
    wire_frame_t frame; /* kind == WIRE_KIND_FRAME */
    uint8_t *payload;   /* frame payload (a copy; g_free'd by harness_msg_clear) */
    size_t payload_len;
    wire_status_t status; /* kind == WIRE_KIND_STATUS */
    wire_info_t info;     /* kind == WIRE_KIND_INFO */
    uint64_t recv_ns;     /* wall-clock time of reception (wire_now_ns) */
} harness_msg_t;

/* A SUB socket connected to endpoint and subscribed to everything (frames and status). NULL on
 * failure. It has its own ZeroMQ context. */
harness_sub_t *harness_sub_new(const char *endpoint);

/* Closes and frees. Idempotent; NULLs *s. */
void harness_sub_destroy(harness_sub_t **s);

/* Receives one message within timeout_ms. Returns 0 and fills *msg; -1 on timeout; -2 when a
 * message arrived but did not decode (msg->kind is then 0), which a test should treat as failure.
 * Clear *msg with harness_msg_clear afterwards. */
int harness_sub_recv(harness_sub_t *s, int timeout_ms, harness_msg_t *msg);

/* Frees the payload and zeroes *msg. */
void harness_msg_clear(harness_msg_t *msg);

typedef bool harness_status_pred_fn(const wire_status_t *status, void *ctx);

/* Receives until a status for which pred(status, ctx) is true (any status if pred is NULL), within
 * timeout_ms; frames are skipped. Copies it into *out (may be NULL). false on timeout. */
bool harness_sub_wait_status(harness_sub_t *s, harness_status_pred_fn *pred, void *ctx,
                             int timeout_ms, wire_status_t *out);

/* Receives until the next frame within timeout_ms (statuses skipped); fills *msg (clear it after).
 * false on timeout. */
bool harness_sub_wait_frame(harness_sub_t *s, int timeout_ms, harness_msg_t *msg);

/* Mean Y, U, V (0..255) over the rectangle (x, y, w, h) of a received I420 frame (luma pixels;
 * chroma sampled at half resolution), clipped to the frame. false if empty or not a frame. */
bool harness_frame_mean_yuv(const harness_msg_t *msg, int x, int y, int w, int h, double yuv[3]);

#endif
