/* log: timestamped, prefixed lines on stderr (see log.h). */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *log_program = "pantau";
static log_level_t log_level = LOG_INFO;

void log_init(const char *program)
{
    if (program != NULL) {
        const char *slash = strrchr(program, '/');
        log_program = slash ? slash + 1 : program;
    }
    const char *env = getenv("PANTAU_LOG");
    if (env == NULL)
        return;
    static const char *const names[] = {"error", "warn", "info", "debug"};
    for (int i = 0; i < 4; i++)
        if (strcmp(env, names[i]) == 0)
            log_level = (log_level_t)i;
}

int log_enabled(log_level_t level)
{
    return level <= log_level;
}

void log_msg(log_level_t level, const char *prefix, const char *fmt, ...)
{
    static const char *const names[] = {"error", "warn", "info", "debug"};
    if (!log_enabled(level))
        return;
    char body[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(body, sizeof body, fmt, ap);
    va_end(ap);

    struct timespec ts;
    struct tm tm;
    char stamp[32];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(stderr, "%s.%03ldZ %s%s%s%s %s: %s\n", stamp, ts.tv_nsec / 1000000L, log_program,
            prefix ? " [" : "", prefix ? prefix : "", prefix ? "]" : "", names[level], body);
}
