/* log: one line per event on stderr, "2026-11-23T09:41:07.123Z pantau-wall [cam pelabuhan] warn: ...".
 * Each object logs with its own prefix (e.g. "ingest pelabuhan"); nothing logs per frame above
 * LOG_DEBUG. Level from PANTAU_LOG=error|warn|info|debug (default info). Thread-safe (one
 * fprintf per line). Callers pass text that holds no secrets: see redact.h. */
#ifndef PANTAU_LOG_H
#define PANTAU_LOG_H

typedef enum { LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG } log_level_t;

/* Sets the program name printed on every line (argv[0]'s basename) and reads PANTAU_LOG. */
void log_init(const char *program);

/* True if a message at this level would be printed. */
int log_enabled(log_level_t level);

void log_msg(log_level_t level, const char *prefix, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define log_error(prefix, ...) log_msg(LOG_ERROR, prefix, __VA_ARGS__)
#define log_warn(prefix, ...) log_msg(LOG_WARN, prefix, __VA_ARGS__)
#define log_info(prefix, ...) log_msg(LOG_INFO, prefix, __VA_ARGS__)
#define log_debug(prefix, ...) log_msg(LOG_DEBUG, prefix, __VA_ARGS__)

#endif
