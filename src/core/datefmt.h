/*
 * core/datefmt.h - dates as other systems write them: a format such as DD-MM-YY, YYYY-MM-DD or
 * MM/DD/YYYY, reading a value in a format, and the usual formats a file's dates are detected among.
 *
 * A format is three parts, YYYY or YY, MM (or M) and DD (or D), each once, joined by one separator
 * ('-', '/', '.' or a space) used both times. In a value, YYYY is four digits, YY two (00-68 are
 * 2000-2068, 69-99 are 1969-1999, as POSIX strptime %y), MM and DD one or two digits; the date must
 * exist (no 31-04). A time may follow the date: a space or 'T', then HH:MM or HH:MM:SS. Pure
 * functions, no allocation.
 */
#ifndef FUNNEL_CORE_DATEFMT_H
#define FUNNEL_CORE_DATEFMT_H

#include <stdint.h>

struct fnl__datefmt {
	char text[16];   /* as written, upper-cased: "DD-MM-YY" */
	char part[3];    /* 'Y', 'M', 'D' in the order of the format */
	int year_digits; /* 2 or 4 */
	char sep;
};

/* Parse a format (case-insensitive). 0, or -1 when spec is not a format; then *why (when why is not
 * NULL) says what is wrong with it ("it has fewer than three parts", ...; static text). */
int fnl__datefmt_parse(const char *spec, struct fnl__datefmt *out, const char **why);

/* Read value (leading and trailing spaces ignored) in format f: *day (days since 1970-01-01) and
 * *secs (seconds into the day of a time written after the date, -1 when there is none). 0; -1 when
 * value is not a date in f; -2 when it is written as f says but the day does not exist (31-02-17). */
int fnl__datefmt_read(const struct fnl__datefmt *f, const char *value, int64_t *day, int32_t *secs);

/* The formats detection tries, NULL-terminated: YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, DD/MM/YYYY,
 * MM/DD/YYYY, DD-MM-YYYY, MM-DD-YYYY, DD.MM.YYYY, DD/MM/YY, MM/DD/YY, DD-MM-YY, MM-DD-YY, DD.MM.YY. */
extern const char *const fnl__datefmt_usual[];

#endif
