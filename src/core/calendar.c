/*
 * core/calendar.c - the working-day calendar: a weekly working-day mask plus dated exceptions
 * (holidays and make-up working days, 调休), and the parser of the calendar file.
 *
 * A calendar keeps its exceptions sorted by day, one per day, and finds them by binary search;
 * it is never written after fnl_calendar_new, so threads may share it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funnel/time.h"

struct day_kind {
	int64_t day;
	int workday;
};

struct fnl_calendar {
	unsigned workweek;
	unsigned per_week; /* working days in any 7 consecutive days without exceptions */
	size_t n;
	struct day_kind e[]; /* sorted by day, days unique */
};

struct ordered {
	int64_t day;
	size_t order; /* position in the input: a later entry for a day wins */
	int workday;
};

static int cmp_ordered(const void *a, const void *b)
{
	const struct ordered *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

int fnl_calendar_new(unsigned workweek, const struct fnl_calendar_entry *entries, size_t n,
		     fnl_calendar **out, struct fnl_error *err)
{
	*out = NULL;
	if (workweek == 0 || workweek > 0x7f)
		return fnl_error_set(err, FNL_EINVAL, "workweek",
				     "invalid working week 0x%x: needs at least one day and only "
				     "bits 0x01-0x40",
				     workweek);
	if (n > 0 && !entries)
		return fnl_error_set(err, FNL_EINVAL, NULL, "invalid calendar: no entries given");
	if (n > (SIZE_MAX - sizeof(fnl_calendar)) / sizeof(struct ordered))
		return fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
	struct ordered *tmp = NULL;
	if (n > 0) {
		tmp = malloc(n * sizeof *tmp);
		if (!tmp)
			return fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
	}
	for (size_t i = 0; i < n; i++)
		tmp[i] = (struct ordered){entries[i].day, i, entries[i].workday != 0};
	if (n > 1)
		qsort(tmp, n, sizeof *tmp, cmp_ordered);
	fnl_calendar *cal = malloc(sizeof *cal + n * sizeof cal->e[0]);
	if (!cal) {
		free(tmp);
		return fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (i + 1 < n && tmp[i + 1].day == tmp[i].day)
			continue; /* the last of a run of equal days is the latest entry */
		cal->e[k++] = (struct day_kind){tmp[i].day, tmp[i].workday};
	}
	free(tmp);
	cal->workweek = workweek;
	cal->per_week = 0;
	for (int wd = 1; wd <= 7; wd++)
		cal->per_week += (workweek & FNL_WEEKDAY_BIT(wd)) != 0;
	cal->n = k;
	*out = cal;
	return FNL_OK;
}

void fnl_calendar_free(fnl_calendar *cal)
{
	free(cal);
}

int fnl_calendar_is_workday(const fnl_calendar *cal, int64_t day)
{
	size_t lo = 0, hi = cal->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cal->e[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < cal->n && cal->e[lo].day == day)
		return cal->e[lo].workday;
	return (cal->workweek & FNL_WEEKDAY_BIT(fnl_weekday(day))) != 0;
}

int64_t fnl_calendar_add_workdays(const fnl_calendar *cal, int64_t day, int n)
{
	int64_t left = n;
	while (left > 0) {
		/* Past the last exception every 7 days hold per_week working days: skip whole weeks,
		 * leaving the last few to the day-by-day walk. */
		if ((cal->n == 0 || day >= cal->e[cal->n - 1].day) && left > (int64_t)cal->per_week) {
			int64_t per = cal->per_week;
			int64_t weeks = (left - 1) / per;
			day += weeks * 7;
			left -= weeks * per;
		}
		day++;
		if (fnl_calendar_is_workday(cal, day))
			left--;
	}
	return day;
}

/* ---- the calendar file ---- */

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* 1 if s[0..n) is UTF-8 text without control characters (a tab is allowed). */
static int utf8_text(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		size_t len;
		unsigned min;
		if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			min = 0x80;
			c &= 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			min = 0x800;
			c &= 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			min = 0x10000;
			c &= 0x07;
		} else {
			return 0;
		}
		if (n - i < len)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			c = c << 6 | (s[i + k] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return 0;
		i += len;
	}
	return 1;
}

/* Parse one non-blank, non-comment line (without its line end) into *e; message in msg. */
static int parse_line(const char *p, const char *end, struct fnl_calendar_entry *e, char *msg,
		      size_t msglen)
{
	memset(e, 0, sizeof *e);
	const char *tok = p;
	while (p < end && !is_blank(*p))
		p++;
	char date[32];
	size_t tl = (size_t)(p - tok);
	if (tl >= sizeof date)
		tl = sizeof date - 1;
	memcpy(date, tok, tl);
	date[tl] = '\0';
	if (memchr(tok, '\0', (size_t)(p - tok))) {
		snprintf(msg, msglen, "invalid date: contains a NUL byte");
		return -1;
	}
	struct fnl_error derr;
	if (fnl_date_parse(date, &e->day, &derr)) {
		snprintf(msg, msglen, "%s", derr.message);
		return -1;
	}
	while (p < end && is_blank(*p))
		p++;
	tok = p;
	while (p < end && !is_blank(*p) && *p != '#')
		p++;
	size_t kl = (size_t)(p - tok);
	if (kl == 0) {
		snprintf(msg, msglen, "missing kind after the date (expected holiday or workday)");
		return -1;
	}
	if (kl == 7 && memcmp(tok, "holiday", 7) == 0) {
		e->workday = 0;
	} else if (kl == 7 && memcmp(tok, "workday", 7) == 0) {
		e->workday = 1;
	} else {
		snprintf(msg, msglen, "unknown kind '%.*s' (expected holiday or workday)",
			 kl > 40 ? 40 : (int)kl, tok);
		return -1;
	}
	const char *hash = memchr(p, '#', (size_t)(end - p));
	if (hash)
		end = hash;
	while (p < end && is_blank(*p))
		p++;
	while (end > p && is_blank(end[-1]))
		end--;
	size_t nl = (size_t)(end - p);
	if (nl >= sizeof e->name) {
		snprintf(msg, msglen, "name too long (%zu bytes, at most %zu)", nl,
			 sizeof e->name - 1);
		return -1;
	}
	if (!utf8_text((const unsigned char *)p, nl)) {
		snprintf(msg, msglen, "name is not valid UTF-8 text");
		return -1;
	}
	memcpy(e->name, p, nl);
	e->name[nl] = '\0';
	return 0;
}

struct dated_line {
	int64_t day;
	size_t line;
};

static int cmp_dated_line(const void *a, const void *b)
{
	const struct dated_line *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* The first line that repeats the date of an earlier one (0 if none) and that earlier line. */
static int first_duplicate(const struct dated_line *lines, size_t n, size_t *dup, size_t *first)
{
	*dup = 0;
	if (n < 2)
		return FNL_OK;
	struct dated_line *s = malloc(n * sizeof *s);
	if (!s)
		return FNL_ENOMEM;
	memcpy(s, lines, n * sizeof *s);
	qsort(s, n, sizeof *s, cmp_dated_line);
	for (size_t i = 1; i < n; i++) {
		if (s[i].day == s[i - 1].day && (*dup == 0 || s[i].line < *dup)) {
			*dup = s[i].line;
			*first = s[i - 1].line;
		}
	}
	free(s);
	return FNL_OK;
}

int fnl_calendar_parse(const char *text, size_t len, struct fnl_calendar_entry **out, size_t *n,
		       struct fnl_error *err)
{
	*out = NULL;
	*n = 0;
	if (!text && len > 0)
		return fnl_error_set(err, FNL_EINVAL, NULL, "invalid calendar: no text given");
	struct fnl_calendar_entry *v = NULL;
	struct dated_line *lines = NULL;
	size_t cnt = 0, cap = 0, lineno = 0, bad_line = 0;
	char msg[sizeof(((struct fnl_error *)0)->message)] = "";
	int rc = FNL_OK;
	const char *p = text, *stop = text + len;
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	while (p < stop) {
		const char *eol = memchr(p, '\n', (size_t)(stop - p));
		const char *next = eol ? eol + 1 : stop;
		const char *end = eol ? eol : stop;
		lineno++;
		if (end > p && end[-1] == '\r')
			end--;
		const char *q = p;
		p = next;
		while (q < end && is_blank(*q))
			q++;
		if (q == end || *q == '#')
			continue;
		if (cnt == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			struct fnl_calendar_entry *nv = realloc(v, ncap * sizeof *nv);
			if (nv)
				v = nv;
			struct dated_line *nl = nv ? realloc(lines, ncap * sizeof *nl) : NULL;
			if (!nl) {
				rc = FNL_ENOMEM;
				goto done;
			}
			lines = nl;
			cap = ncap;
		}
		if (parse_line(q, end, &v[cnt], msg, sizeof msg)) {
			bad_line = lineno;
			break;
		}
		lines[cnt] = (struct dated_line){v[cnt].day, lineno};
		cnt++;
	}
	size_t dup, first;
	rc = first_duplicate(lines, cnt, &dup, &first);
	if (rc)
		goto done;
	if (dup && (!bad_line || dup < bad_line)) {
		char d[11];
		size_t i = 0;
		while (lines[i].line != dup)
			i++;
		fnl_date_format(lines[i].day, d);
		snprintf(msg, sizeof msg, "date %s listed twice (first on line %zu)", d, first);
		bad_line = dup;
	}
	if (bad_line) {
		rc = fnl_error_set(err, FNL_EINVAL, "line", "line %zu: %s", bad_line, msg);
		goto done;
	}
	free(lines);
	if (cnt == 0) {
		free(v);
		v = NULL;
	}
	*out = v;
	*n = cnt;
	return FNL_OK;
done:
	free(v);
	free(lines);
	if (rc == FNL_ENOMEM)
		return fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
	return rc;
}
