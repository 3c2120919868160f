/* test_supervisor: the wall's worker supervisor on real child processes (/bin/sh standing in for
 * pantau-ingest): the last error line of a worker's stderr is kept and reported with its exit
 * status, restarts are counted, and the error-line rule is checked on its own. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "supervisor.h"

static void test_error_of_line(void **state)
{
    (void)state;
    assert_string_equal(supervisor_error_of_line("pantau-ingest: --width: not a number"),
                        "--width: not a number");
    assert_string_equal(
        supervisor_error_of_line("2026-11-23T18:55:32.070Z pantau-ingest [cam7] error: no route"),
        "no route");
    assert_null(supervisor_error_of_line("2026-11-23T18:55:32.070Z pantau-ingest [cam7] warn: x"));
    assert_null(supervisor_error_of_line("usage: pantau-ingest --id ID ..."));
    assert_null(supervisor_error_of_line("2026-11-23T18:55Z pantau-wall [x] error: not a worker"));
    assert_null(supervisor_error_of_line(""));
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Ticks until id has exited at least `restarts` times (or ~5 s). */
static bool wait_restarts(supervisor_t *sv, const char *id, uint32_t restarts,
                          supervisor_info_t *info)
{
    for (int i = 0; i < 500; i++) {
        supervisor_tick(sv);
        if (supervisor_info(sv, id, info) && info->restarts >= restarts)
            return true;
        sleep_ms(10);
    }
    return false;
}

static void test_worker_error_kept(void **state)
{
    (void)state;
    supervisor_t *sv = supervisor_new("/bin/sh");
    assert_non_null(sv);
    const char *refuse[] = {"-c",
                            "echo 'usage: first line' >&2; "
                            "echo 'pantau-ingest: creds: permissions 0644; run: chmod 600' >&2; "
                            "echo 'usage: more help' >&2; exit 2",
                            NULL};
    const char *crash[] = {"-c", "printf 'partial line without newline' >&2; kill -9 $$", NULL};
    assert_int_equal(supervisor_add(sv, "bad", refuse), 0);
    assert_int_equal(supervisor_add(sv, "boom", crash), 0);
    supervisor_info_t info;
    assert_true(wait_restarts(sv, "bad", 1, &info));
    assert_int_equal(info.last_exit, SUPERVISOR_EXIT_CONFIG);
    assert_string_equal(info.last_error, "creds: permissions 0644; run: chmod 600");
    assert_true(wait_restarts(sv, "boom", 1, &info));
    assert_int_equal(info.last_exit, -9);
    assert_string_equal(info.last_error, ""); /* not an error line: passed on, not kept */
    supervisor_destroy(&sv);
    assert_null(sv);
}

/* A worker still running: its error line is read as it comes (the tick polls the pipes), not only
 * when the worker exits. */
static void test_running_worker_error_read(void **state)
{
    (void)state;
    supervisor_t *sv = supervisor_new("/bin/sh");
    assert_non_null(sv);
    const char *talk[] = {"-c", "echo 'pantau-ingest: cam: cannot bind ipc:///x' >&2; exec sleep 30",
                          NULL};
    const char *quiet[] = {"-c", "exec sleep 30", NULL};
    assert_int_equal(supervisor_add(sv, "quiet", quiet), 0);
    assert_int_equal(supervisor_add(sv, "talk", talk), 0);
    supervisor_info_t info = {0};
    bool got = false;
    for (int i = 0; i < 300 && !got; i++) {
        supervisor_tick(sv);
        got = supervisor_info(sv, "talk", &info) && info.last_error[0] != '\0';
        if (!got)
            sleep_ms(10);
    }
    assert_true(got);
    assert_string_equal(info.last_error, "cam: cannot bind ipc:///x");
    assert_int_equal(info.restarts, 0); /* still the first process */
    assert_true(supervisor_info(sv, "quiet", &info));
    assert_string_equal(info.last_error, "");
    supervisor_destroy(&sv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_of_line),
        cmocka_unit_test(test_worker_error_kept),
        cmocka_unit_test(test_running_worker_error_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
