/*
 * funnel/time.h - dates, instants, time zones and the working-day calendar.
 *
 * An instant is int64_t seconds since 1970-01-01T00:00:00Z (UTC). A date is an int64_t day number:
 * days since 1970-01-01 (negative before). Local wall-clock time in a zone is represented as "local
 * seconds": the seconds since the epoch that the wall clock would show if the zone were UTC.
 *
 * A fnl_tz is read from the system's zoneinfo (TZif, $TZDIR or /usr/share/zoneinfo) and is immutable
 * once loaded, so one can be shared by threads. A fnl_calendar (weekly working days plus holidays
 * and make-up working days) is immutable too. Nothing here reads the clock or the TZ variable.
 */
#ifndef FUNNEL_TIME_H
#define FUNNEL_TIME_H

#include <stddef.h>
#include <stdint.h>

#include "funnel/error.h"

#define FNL_DAY_SECONDS 86400

/* ---- civil dates (proleptic Gregorian) ---- */

/* Day number of y-m-d. m is 1-12, d is 1-31; no validation. */
int64_t fnl_days_from_civil(int64_t y, unsigned m, unsigned d);

/* y-m-d of a day number. Any pointer may be NULL. */
void fnl_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

/* ISO weekday of a day number: 1 = Monday ... 7 = Sunday. */
int fnl_weekday(int64_t days);

/* Days in month m of year y (28-31). */
unsigned fnl_days_in_month(int64_t y, unsigned m);

/*
 * Parse a strict "YYYY-MM-DD" (year 1970-9999, a real calendar date) into *days.
 * FNL_EINVAL with a message naming the value otherwise; field is left to the caller (set to "date").
 */
int fnl_date_parse(const char *s, int64_t *days, struct fnl_error *err);

/* Write "YYYY-MM-DD" (11 bytes with the NUL) into buf. */
void fnl_date_format(int64_t days, char buf[static 11]);

/* ---- time zones ---- */

typedef struct fnl_tz fnl_tz;

/*
 * Load zone name (an IANA name such as "Asia/Shanghai", or "UTC") from $TZDIR or
 * /usr/share/zoneinfo. Names with "..", a leading '/', or other characters than [A-Za-z0-9/_+-] are
 * refused. When the zoneinfo file is missing, "UTC" and "Asia/Shanghai" (UTC+8, no DST since 1991)
 * still load from built-in rules. The result is freed with fnl_tz_free().
 * Errors: FNL_EINVAL (unknown or malformed zone, message names it), FNL_ENOMEM.
 */
int fnl_tz_load(const char *name, fnl_tz **out, struct fnl_error *err);

/* Free a zone; accepts NULL. */
void fnl_tz_free(fnl_tz *tz);

/* The name the zone was loaded with (borrowed). */
const char *fnl_tz_name(const fnl_tz *tz);

/* Offset from UTC, in seconds east, in force at instant utc (handles DST via the TZif data and its
 * POSIX TZ footer for instants after the last transition). */
int32_t fnl_tz_offset(const fnl_tz *tz, int64_t utc);

/* The instant at which the zone's wall clock shows local (local seconds). In a gap (spring forward)
 * the instant uses the offset before the gap; in an overlap (fall back) the earlier instant. */
int64_t fnl_tz_from_local(const fnl_tz *tz, int64_t local);

/* The local date (day number) of instant utc in the zone. */
int64_t fnl_tz_local_date(const fnl_tz *tz, int64_t utc);

/* ---- instants as text ---- */

/*
 * Parse an ISO 8601 instant:
 *   YYYY-MM-DD                       (00:00 local in tz)
 *   YYYY-MM-DDTHH:MM[:SS]            ('T' or one space; local in tz)
 *   ... followed by Z, +HH:MM, -HH:MM, +HHMM or +HH  (that offset; tz not used)
 * Fields are range-checked (month 1-12, real day of month, hour 0-23, minute 0-59, second 0-59,
 * offset at most 18 hours). FNL_EINVAL with a message quoting the value otherwise.
 */
int fnl_time_parse(const fnl_tz *tz, const char *s, int64_t *out, struct fnl_error *err);

/* Write utc as "YYYY-MM-DDTHH:MM:SS+08:00" (offset of tz at that instant; "Z" is never used) into
 * buf of len bytes; returns the length written without the NUL (25 for years 1000-9999, so buf
 * needs 26 bytes), truncating safely (always NUL-terminated when len > 0). */
size_t fnl_time_format(const fnl_tz *tz, int64_t utc, char *buf, size_t len);

/* ---- working-day calendar ---- */

/* One line of a calendar file: a date that is a holiday, or a make-up working day (调休). */
struct fnl_calendar_entry {
	int64_t day;
	int workday; /* 1: make-up working day, 0: holiday */
	char name[96]; /* may be empty */
};

/* Bit for ISO weekday wd (1 = Monday) in a working-week mask. Monday-Friday is 0x1f. */
#define FNL_WEEKDAY_BIT(wd) (1u << ((wd) - 1))
#define FNL_WORKWEEK_DEFAULT 0x1fu

typedef struct fnl_calendar fnl_calendar;

/*
 * Build a calendar from a working-week mask and entries (any order; a later entry for the same date
 * replaces an earlier one). The entries are copied. Freed with fnl_calendar_free().
 * Errors: FNL_EINVAL (mask 0 or above 0x7f), FNL_ENOMEM.
 */
int fnl_calendar_new(unsigned workweek, const struct fnl_calendar_entry *entries, size_t n,
		     fnl_calendar **out, struct fnl_error *err);

/* Free a calendar; accepts NULL. */
void fnl_calendar_free(fnl_calendar *cal);

/* 1 if day is a working day: a make-up working day, or a day of the working week that is not a
 * holiday; else 0. */
int fnl_calendar_is_workday(const fnl_calendar *cal, int64_t day);

/* The n-th working day after day (day itself not counted), n >= 1. With n <= 0, day itself.
 * Terminates for any calendar: a calendar with a non-empty working week always has working days. */
int64_t fnl_calendar_add_workdays(const fnl_calendar *cal, int64_t day, int n);

/*
 * Parse a calendar file: one entry a line, "YYYY-MM-DD holiday [name]" or "YYYY-MM-DD workday
 * [name]"; blank lines and lines starting with '#' (after optional spaces) are ignored; a '#' after
 * the kind starts a comment; the name is the rest of the line, trimmed (UTF-8, at most 95 bytes).
 * Fields are separated by spaces or tabs; CRLF line ends and a UTF-8 BOM are accepted.
 * On the first bad line (bad date, unknown kind, name too long, the same date twice in the file),
 * returns FNL_EINVAL with field "line" and a message "line N: ..." and *out is NULL.
 * On success *out is an array of *n entries (possibly 0, *out then may be NULL) in file order, freed
 * with free().
 */
int fnl_calendar_parse(const char *text, size_t len, struct fnl_calendar_entry **out, size_t *n,
		       struct fnl_error *err);

#endif
