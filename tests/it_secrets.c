/* Secrets and exposure (issue 6), on real parts: password-protected RTSP test cameras on loopback
 * -> pantau-ingest workers started by pantau-wall --headless, with debug logging on.
 *
 * A run with known secrets (a camera password in the credentials file, a wrong password for a
 * second camera, a password and a token put by mistake in RTSP URIs of a layout loaded at start
 * and by live reload, a token in the credentials file) must not show any of them anywhere: every
 * file the run wrote (stderr/stdout of every process, the status file with the text each tile
 * shows, the snapshot, pantauctl's status reply) is searched for each secret. Also: a credentials file others can read is
 * refused with a message that names it and says how to fix it, and no process of the run listens
 * on anything but loopback (ZeroMQ endpoints default to ipc://). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib.h>

#include "harness.h"

#define READY_TIMEOUT_MS 5000
#define LIVE_TIMEOUT_MS 20000
#define FAIL_TIMEOUT_MS 15000

#define CAM_USER "operator"
#define CAM_PASSWORD "Kamera-S3cret-7781"   /* right password, in the credentials file */
#define WRONG_PASSWORD "Salah-Rahasia-4402" /* wrong one, for the second camera */
#define URI_PASSWORD "Uri-Sandi-9913"       /* put by mistake in a layout URI */
#define URI_TOKEN "tok3n-Bocor-6620"        /* a userinfo token in a layout URI */
#define CRED_TOKEN "Creds-Token-5517"       /* a token= in the credentials file */

static const char *const secrets[] = {CAM_PASSWORD, WRONG_PASSWORD, URI_PASSWORD, URI_TOKEN,
                                      CRED_TOKEN};

typedef struct {
    harness_t *h;
    char *camera_bin, *wall_bin, *ingest_bin;
    char *status, *snapshot;
} fx_t;

static int setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    fx->h = harness_new();
    fx->camera_bin = harness_bin("pantau-test-camera");
    fx->wall_bin = harness_bin("pantau-wall");
    fx->ingest_bin = harness_bin("pantau-ingest");
    if (fx->h == NULL || fx->camera_bin == NULL || fx->wall_bin == NULL || fx->ingest_bin == NULL)
        return -1;
    fx->status = harness_path(fx->h, "wall.status");
    fx->snapshot = harness_path(fx->h, "wall.png");
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fx_t *fx = *state;
    harness_destroy(&fx->h);
    g_free(fx->camera_bin);
    g_free(fx->wall_bin);
    g_free(fx->ingest_bin);
    g_free(fx->status);
    g_free(fx->snapshot);
    free(fx);
    return 0;
}

/* ---- helpers ----------------------------------------------------------------------------------- */

static int start_camera(fx_t *fx, const char *name)
{
    int port = harness_free_port();
    char port_s[16];
    snprintf(port_s, sizeof port_s, "%d", port);
    const char *argv[] = {fx->camera_bin, "--port",   port_s,  "--size",       "320x180",
                          "--user",       CAM_USER,   "--password", CAM_PASSWORD, NULL};
    harness_proc_t *p = harness_spawn(fx->h, name, argv, NULL);
    assert_non_null(p);
    assert_true(harness_wait_line(p, "READY ", NULL, 0, READY_TIMEOUT_MS));
    return port;
}

typedef struct {
    const char *path, *id, *key, *want; /* want: the value must contain this */
} field_wait_t;

static bool field_has(void *ctx)
{
    const field_wait_t *w = ctx;
    char v[512];
    return harness_status_field(w->path, w->id, w->key, v, sizeof v) && strstr(v, w->want) != NULL;
}

static bool wait_field(fx_t *fx, const char *id, const char *key, const char *want, int timeout_ms)
{
    field_wait_t w = {fx->status, id, key, want};
    return harness_wait_until(field_has, &w, timeout_ms);
}

/* Searches every file of the sandbox except the inputs that hold secrets on purpose (layouts,
 * credentials) for every secret; fails naming the file and the secret. Returns files searched. */
static int expect_no_secret_in_outputs(fx_t *fx)
{
    DIR *d = opendir(harness_dir(fx->h));
    assert_non_null(d);
    int searched = 0;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        if (e->d_name[0] == '.' || g_str_has_suffix(e->d_name, ".ini") ||
            g_str_has_suffix(e->d_name, ".credentials") || g_str_has_suffix(e->d_name, ".sock"))
            continue;
        char *path = harness_path(fx->h, e->d_name);
        size_t len = 0;
        char *text = harness_read_file(path, &len);
        if (text != NULL) {
            searched++;
            for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++)
                if (memmem(text, len, secrets[i], strlen(secrets[i])) != NULL)
                    fail_msg("secret '%s' found in %s", secrets[i], e->d_name);
        }
        g_free(text);
        g_free(path);
    }
    closedir(d);
    return searched;
}

/* Fails if pid has a listening TCP socket (IPv4 or IPv6) on an address other than loopback. */
static int expect_loopback_only(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
    DIR *d = opendir(path);
    assert_non_null(d);
    GHashTable *inodes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        char link[320], target[128];
        snprintf(link, sizeof link, "%s/%s", path, e->d_name);
        ssize_t n = readlink(link, target, sizeof target - 1);
        if (n > 0) {
            target[n] = '\0';
            unsigned long ino;
            if (sscanf(target, "socket:[%lu]", &ino) == 1)
                g_hash_table_add(inodes, g_strdup_printf("%lu", ino));
        }
    }
    closedir(d);
    int listening = 0;
    const char *tables[] = {"tcp", "tcp6"};
    for (int t = 0; t < 2; t++) {
        snprintf(path, sizeof path, "/proc/%d/net/%s", (int)pid, tables[t]);
        char *text = harness_read_file(path, NULL);
        for (char *line = text ? strtok(text, "\n") : NULL; line != NULL; line = strtok(NULL, "\n")) {
            char local[64], st[8], ino[32];
            if (sscanf(line, "%*s %63s %*s %7s %*s %*s %*s %*s %*s %31s", local, st, ino) != 3 ||
                strcmp(st, "0A") != 0 || !g_hash_table_contains(inodes, ino))
                continue;
            listening++;
            bool loopback = g_str_has_prefix(local, "0100007F:") ||
                            g_str_has_prefix(local, "00000000000000000000000001000000:");
            if (!loopback)
                fail_msg("process %d listens on %s (%s): not loopback", (int)pid, local,
                         tables[t]);
        }
        g_free(text);
    }
    g_hash_table_destroy(inodes);
    return listening;
}

/* ---- tests ------------------------------------------------------------------------------------- */

static void test_no_secret_in_any_output(void **state)
{
    fx_t *fx = *state;
    int port_ok = start_camera(fx, "cam-ok");
    int port_bad = start_camera(fx, "cam-bad");
    char *creds = harness_write_file(fx->h, "wall.credentials",
                                     "[benar]\nusername=" CAM_USER "\npassword=" CAM_PASSWORD "\n"
                                     "[salah]\nusername=" CAM_USER "\npassword=" WRONG_PASSWORD "\n"
                                     "[tanda]\ntoken=" CRED_TOKEN "\n",
                                     0600);
    assert_non_null(creds);
    char *layout_text = g_strdup_printf(
        "[wall]\ncanvas=960x360\ngrid=3x1\nendpoint_dir=%s\ncredentials=%s\n"
        "[camera benar]\nsource=rtsp://127.0.0.1:%d/cam\ntile=0,0\n"
        "[camera salah]\nsource=rtsp://127.0.0.1:%d/cam\ntile=1,0\n"
        "[camera tanda]\nsource=rtsp://127.0.0.1:%d/cam\ntile=2,0\n",
        harness_dir(fx->h), creds, port_ok, port_bad, port_ok);
    char *layout = harness_write_file(fx->h, "wall.ini", layout_text, 0644);
    assert_non_null(layout);
    const char *env[] = {"PANTAU_LOG=debug", NULL};
    const char *argv[] = {fx->wall_bin, "--headless", "--status-file", fx->status, "--snapshot",
                          fx->snapshot, "--every", "0.5", layout, NULL};
    harness_proc_t *wall = harness_spawn(fx->h, "wall", argv, env);
    assert_non_null(wall);

    assert_true(wait_field(fx, "benar", "state", "live", LIVE_TIMEOUT_MS));
    assert_true(wait_field(fx, "salah", "error", "401", FAIL_TIMEOUT_MS));
    char err[512];
    harness_status_field(fx->status, "salah", "error", err, sizeof err);
    harness_note("wrong password, the tile says: \"%s\"", err);
    int listening = expect_loopback_only(harness_proc_pid(wall));
    char pid_s[32];
    assert_true(harness_status_field(fx->status, "benar", "pid", pid_s, sizeof pid_s));
    listening += expect_loopback_only((pid_t)atoi(pid_s));
    harness_note("wall and worker: %d listening TCP sockets, none off loopback", listening);

    /* Live reload with secrets in URIs: refused, the last good layout stays, nothing echoed. */
    char *bad_text = g_strdup_printf(
        "[wall]\ncanvas=960x360\ngrid=3x1\nendpoint_dir=%s\ncredentials=%s\n"
        "[camera benar]\nsource=rtsp://127.0.0.1:%d/cam\ntile=0,0\n"
        "[camera bocor]\nsource=rtsp://admin:" URI_PASSWORD "@127.0.0.1:%d/cam\ntile=1,0\n"
        "[camera tanda]\nsource=rtsp://" URI_TOKEN "@127.0.0.1:%d/cam\ntile=2,0\n",
        harness_dir(fx->h), creds, port_ok, port_ok, port_ok);
    sleep(1); /* a new mtime */
    g_free(harness_write_file(fx->h, "wall.ini", bad_text, 0644));
    bool rejected = false;
    for (int i = 0; i < 60 && !rejected; i++) {
        usleep(100 * 1000);
        rejected = harness_file_contains(fx->status, "reloads_rejected=1");
    }
    assert_true(rejected);
    assert_true(harness_file_contains(harness_proc_stderr(wall), "has a password in it"));
    sleep(1); /* a snapshot with the red banner */

    /* A credentials file others can read: refused by the worker (no secret read from it). */
    const char *iargv[] = {fx->ingest_bin, "--id", "benar", "--source", "test", "--endpoint",
                           "ipc:///dev/null/none", "--width", "64", "--height", "36",
                           "--credentials", creds, NULL};
    assert_int_equal(chmod(creds, 0644), 0);
    int rc = harness_run(fx->h, "ingest-open-creds", iargv, env, 10000);
    char *ierr_path = harness_path(fx->h, "ingest-open-creds.stderr");
    char *ierr = harness_read_file(ierr_path, NULL);
    harness_note("credentials file 0644 -> exit %d: %s", rc, ierr ? ierr : "(nothing)");
    assert_true(rc != 0);
    assert_non_null(ierr);
    assert_non_null(strstr(ierr, creds));
    assert_non_null(strstr(ierr, "chmod 600"));
    assert_true(harness_running(wall));

    /* The control socket's status reply (pantauctl) carries the same texts. */
    char *ctl_bin = harness_bin("pantauctl");
    if (ctl_bin != NULL) {
        char *sock = g_strdup_printf("ipc://%s/wall-wall.ctl", harness_dir(fx->h));
        const char *cargv[] = {ctl_bin, "--socket", sock, "status", NULL};
        int crc = harness_run(fx->h, "pantauctl-status", cargv, NULL, 10000);
        char *out_path = harness_path(fx->h, "pantauctl-status.stdout");
        harness_note("pantauctl status -> exit %d", crc);
        assert_int_equal(crc, 0);
        assert_true(harness_file_contains(out_path, "salah"));
        g_free(out_path);
        g_free(sock);
        g_free(ctl_bin);
    }

    assert_int_equal(harness_signal(wall, SIGTERM), 0);
    assert_true(harness_wait_exit(wall, 8000, NULL));
    int searched = expect_no_secret_in_outputs(fx);
    harness_note("%d output files searched for %zu secrets: none found", searched,
                 sizeof secrets / sizeof secrets[0]);
    assert_true(searched >= 6); /* wall, 2 cameras, ingest run (out+err), status, snapshot */
    g_free(ierr);
    g_free(ierr_path);
    g_free(bad_text);
    g_free(layout_text);
    g_free(layout);
    g_free(creds);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_secret_in_any_output, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
