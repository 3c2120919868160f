/* workday: working-day deadlines (see workday.h). */
#include "workday.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WORKDAY_FILE_MAX (256 * 1024) /* a holidays file is a few hundred lines */
#define WORKDAY_MAX_SPAN 4000         /* days a deadline may reach past its start (loop bound) */

struct workday_cal {
    GTimeZone *tz;
    int holidays[WORKDAY_MAX_HOLIDAYS]; /* yyyymmdd, sorted */
    int n;
};

workday_cal_t *workday_cal_new(const char *tz, char *err, size_t err_cap)
{
    GTimeZone *z = tz != NULL && tz[0] != '\0' ? g_time_zone_new_identifier(tz) : g_time_zone_new_utc();
    if (z == NULL) {
        snprintf(err, err_cap, "unknown time zone '%s' (an IANA name such as Asia/Jakarta, "
                               "Asia/Makassar, Asia/Jayapura)", tz);
        return NULL;
    }
    workday_cal_t *c = g_new0(workday_cal_t, 1);
    c->tz = z;
    return c;
}

void workday_cal_destroy(workday_cal_t **cal)
{
    if (cal == NULL || *cal == NULL)
        return;
    g_time_zone_unref((*cal)->tz);
    g_free(*cal);
    *cal = NULL;
}

GTimeZone *workday_cal_tz(const workday_cal_t *cal)
{
    return cal->tz;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* "YYYY-MM-DD" with surrounding blanks → yyyymmdd, or -1. */
static int parse_date(const char *s, size_t len)
{
    while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
        len--;
    while (len > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        len--;
    }
    int y, m, d, used = 0;
    char buf[16];
    if (len != 10)
        return -1;
    memcpy(buf, s, 10);
    buf[10] = '\0';
    if (sscanf(buf, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 || used != 10 || buf[4] != '-' ||
        buf[7] != '-' || !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y) || y < 2000 ||
        y > 2100)
        return -1;
    return y * 10000 + m * 100 + d;
}

int workday_cal_add_holidays(workday_cal_t *cal, const char *text, char *err, size_t err_cap)
{
    int add[WORKDAY_MAX_HOLIDAYS], n = 0, line = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        line++;
        const char *hash = memchr(p, '#', len);
        size_t body = hash ? (size_t)(hash - p) : len, blank = 0;
        while (blank < body && strchr(" \t\r", p[blank]) != NULL)
            blank++;
        if (blank < body) {
            int v = parse_date(p, body);
            if (v < 0) {
                snprintf(err, err_cap, "%d: not a date YYYY-MM-DD between 2000 and 2100", line);
                return -1;
            }
            if (cal->n + n >= WORKDAY_MAX_HOLIDAYS) {
                snprintf(err, err_cap, "%d: more than %d holidays", line, WORKDAY_MAX_HOLIDAYS);
                return -1;
            }
            add[n++] = v;
        }
        if (nl == NULL)
            break;
        p = nl + 1;
    }
    memcpy(cal->holidays + cal->n, add, sizeof(int) * (size_t)n);
    cal->n += n;
    qsort(cal->holidays, (size_t)cal->n, sizeof(int), cmp_int);
    return n;
}

int workday_cal_load_holidays(workday_cal_t *cal, const char *path, char *err, size_t err_cap)
{
    gchar *text = NULL;
    gsize len = 0;
    GError *gerr = NULL;
    if (!g_file_get_contents(path, &text, &len, &gerr)) {
        snprintf(err, err_cap, "%s: %s", path, gerr->message);
        g_error_free(gerr);
        return -1;
    }
    int rc = -1;
    char why[256];
    if (len > WORKDAY_FILE_MAX || strlen(text) != len)
        snprintf(err, err_cap, "%s: not a holidays file (binary or over %d bytes)", path,
                 WORKDAY_FILE_MAX);
    else if ((rc = workday_cal_add_holidays(cal, text, why, sizeof why)) < 0)
        snprintf(err, err_cap, "%s:%s", path, why);
    g_free(text);
    return rc;
}

bool workday_is_working(const workday_cal_t *cal, int y, int m, int d)
{
    if (!g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y))
        return false;
    GDate date;
    g_date_set_dmy(&date, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
    GDateWeekday wd = g_date_get_weekday(&date);
    if (wd == G_DATE_SATURDAY || wd == G_DATE_SUNDAY)
        return false;
    int key = y * 10000 + m * 100 + d;
    return bsearch(&key, cal->holidays, (size_t)cal->n, sizeof(int), cmp_int) == NULL;
}

static GDateTime *local(const workday_cal_t *cal, int64_t t_ms)
{
    int64_t s = t_ms >= 0 ? t_ms / 1000 : -((-t_ms + 999) / 1000);
    GDateTime *u = g_date_time_new_from_unix_utc(s);
    GDateTime *l = u ? g_date_time_to_timezone(u, cal->tz) : NULL;
    if (u)
        g_date_time_unref(u);
    return l;
}

int workday_local_date(const workday_cal_t *cal, int64_t t_ms)
{
    GDateTime *l = local(cal, t_ms);
    if (l == NULL)
        return 0;
    int v = g_date_time_get_year(l) * 10000 + g_date_time_get_month(l) * 100 +
            g_date_time_get_day_of_month(l);
    g_date_time_unref(l);
    return v;
}

static int64_t midnight_ms(const workday_cal_t *cal, const GDate *d)
{
    GDateTime *dt = g_date_time_new(cal->tz, g_date_get_year(d), g_date_get_month(d),
                                    g_date_get_day(d), 0, 0, 0);
    if (dt == NULL)
        return 0;
    int64_t v = g_date_time_to_unix(dt) * 1000;
    g_date_time_unref(dt);
    return v;
}

int64_t workday_day_start(const workday_cal_t *cal, int64_t t_ms)
{
    int v = workday_local_date(cal, t_ms);
    GDate d;
    g_date_set_dmy(&d, (GDateDay)(v % 100), (GDateMonth)(v / 100 % 100), (GDateYear)(v / 10000));
    return midnight_ms(cal, &d);
}

int64_t workday_deadline(const workday_cal_t *cal, int64_t start_ms, int n)
{
    int v = workday_local_date(cal, start_ms);
    if (v == 0)
        return start_ms;
    GDate d;
    g_date_set_dmy(&d, (GDateDay)(v % 100), (GDateMonth)(v / 100 % 100), (GDateYear)(v / 10000));
    for (int left = n, span = 0; left > 0 && span < WORKDAY_MAX_SPAN; span++) {
        g_date_add_days(&d, 1);
        if (workday_is_working(cal, g_date_get_year(&d), g_date_get_month(&d), g_date_get_day(&d)))
            left--;
    }
    g_date_add_days(&d, 1); /* the end of that day is the next day's midnight */
    return midnight_ms(cal, &d);
}
