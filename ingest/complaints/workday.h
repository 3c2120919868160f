/* workday: deadlines in working days, in the command centre's time zone, with weekends and a
 * configurable list of public holidays excluded (SP4N-LAPOR!: verification within 3 working
 * days, the OPD's follow-up within 5; PPID answers within 10, extendable by 7).
 *
 * The rule: counting starts on the day after the start's local date; each Monday..Friday that is
 * not a holiday counts one; the deadline is the end (local midnight) of the Nth such day. So a
 * complaint received on Friday 10:00 with 3 working days is due at the end of Wednesday, and one
 * received on Saturday is due at the end of Wednesday as well.
 *
 * Pure (GLib's calendar and time-zone code only); a calendar is read-only after load and may be
 * shared between threads. */
#ifndef PANTAU_WORKDAY_H
#define PANTAU_WORKDAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#define WORKDAY_MAX_HOLIDAYS 512

typedef struct workday_cal workday_cal_t;

/* A calendar for the IANA zone tz ("Asia/Makassar"; NULL or "" = UTC) with no holidays.
 * NULL with a reason in err when the zone is unknown. */
workday_cal_t *workday_cal_new(const char *tz, char *err, size_t err_cap);

void workday_cal_destroy(workday_cal_t **cal);

/* Adds holidays from text: one YYYY-MM-DD per line, '#' starts a comment, blank lines ignored.
 * Returns the number added, or -1 with "LINE: reason" in err (nothing added then). */
int workday_cal_add_holidays(workday_cal_t *cal, const char *text, char *err, size_t err_cap);

/* Loads a holidays file (see workday_cal_add_holidays). -1 with "FILE:LINE: reason" in err. */
int workday_cal_load_holidays(workday_cal_t *cal, const char *path, char *err, size_t err_cap);

/* The zone, for g_date_time_* calls (borrowed). */
GTimeZone *workday_cal_tz(const workday_cal_t *cal);

/* Whether the local date y-m-d is a working day. */
bool workday_is_working(const workday_cal_t *cal, int y, int m, int d);

/* Unix ms of the deadline n working days after start_ms (see the rule above); n >= 0. */
int64_t workday_deadline(const workday_cal_t *cal, int64_t start_ms, int n);

/* Local date of t_ms as y*10000 + m*100 + d, and the start of that local day in Unix ms. */
int workday_local_date(const workday_cal_t *cal, int64_t t_ms);
int64_t workday_day_start(const workday_cal_t *cal, int64_t t_ms);

#endif
