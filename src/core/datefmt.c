/* core/datefmt.c - reading dates in the formats other systems write them (see core/datefmt.h). */
#include <stdio.h>
#include <string.h>

#include "core/datefmt.h"
#include "funnel/time.h"

const char *const fnl__datefmt_usual[] = {
	"YYYY-MM-DD", "YYYY/MM/DD", "YYYY.MM.DD", "DD/MM/YYYY", "MM/DD/YYYY", "DD-MM-YYYY", "MM-DD-YYYY",
	"DD.MM.YYYY", "DD/MM/YY",   "MM/DD/YY",   "DD-MM-YY",   "MM-DD-YY",   "DD.MM.YY",   NULL,
};

static int upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

int fnl__datefmt_parse(const char *spec, struct fnl__datefmt *out, const char **why)
{
	const char *dummy;
	why = why ? why : &dummy;
	memset(out, 0, sizeof *out);
	size_t n = spec ? strlen(spec) : 0;
	if (n == 0) {
		*why = "it is empty";
		return -1;
	}
	if (n >= sizeof out->text) {
		*why = "it is too long";
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		out->text[i] = (char)upper((unsigned char)spec[i]);
	const char *p = out->text;
	int seen[3] = {0, 0, 0};
	for (int k = 0; k < 3; k++) {
		char c = *p;
		if (!c) {
			*why = "it has fewer than three parts";
			return -1;
		}
		size_t run = 0;
		while (p[run] == c)
			run++;
		int idx = c == 'Y' ? 0 : c == 'M' ? 1 : c == 'D' ? 2 : -1;
		if (idx < 0 || (c == 'Y' && run != 2 && run != 4) || (c != 'Y' && run != 1 && run != 2)) {
			*why = "a part is not YYYY, YY, MM, M, DD or D";
			return -1;
		}
		if (seen[idx]) {
			*why = "a part is there twice";
			return -1;
		}
		seen[idx] = 1;
		out->part[k] = c;
		if (c == 'Y')
			out->year_digits = (int)run;
		p += run;
		if (k < 2) {
			if (!*p) {
				*why = "it has fewer than three parts";
				return -1;
			}
			if ((*p != '-' && *p != '/' && *p != '.' && *p != ' ') || (k == 1 && *p != out->sep)) {
				*why = "its two separators differ or are not '-', '/', '.' or a space";
				return -1;
			}
			if (k == 0)
				out->sep = *p;
			p++;
		}
	}
	if (*p) {
		*why = "something follows its third part";
		return -1;
	}
	return 0;
}

/* At most max digits (at least min) from *p; -1 when there are not min of them. */
static int digits(const char **p, int min, int max)
{
	int v = 0, n = 0;
	while (n < max && **p >= '0' && **p <= '9') {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	if (n < min || (**p >= '0' && **p <= '9'))
		return -1;
	return v;
}

/* " HH:MM[:SS]" or "THH:MM[:SS]" at p: seconds into the day, -1 when it is not a time. */
static int32_t time_of(const char *p)
{
	if (*p != ' ' && *p != 'T')
		return -1;
	p++;
	int h = digits(&p, 1, 2);
	if (h < 0 || h > 23 || *p++ != ':')
		return -1;
	int m = digits(&p, 2, 2), s = 0;
	if (m < 0 || m > 59)
		return -1;
	if (*p == ':') {
		p++;
		if ((s = digits(&p, 2, 2)) < 0 || s > 59)
			return -1;
	}
	while (*p == ' ')
		p++;
	return *p ? -1 : (int32_t)(h * 3600 + m * 60 + s);
}

int fnl__datefmt_read(const struct fnl__datefmt *f, const char *value, int64_t *day, int32_t *secs)
{
	const char *p = value;
	while (*p == ' ' || *p == '\t')
		p++;
	int y = -1, m = -1, d = -1;
	for (int k = 0; k < 3; k++) {
		int v = f->part[k] == 'Y' ? digits(&p, f->year_digits, f->year_digits) : digits(&p, 1, 2);
		if (v < 0)
			return -1;
		if (f->part[k] == 'Y')
			y = f->year_digits == 2 ? (v < 69 ? 2000 + v : 1900 + v) : v;
		else if (f->part[k] == 'M')
			m = v;
		else
			d = v;
		if (k < 2 && *p++ != f->sep)
			return -1;
	}
	if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1)
		return -1;
	int no_day = d > (int)fnl_days_in_month(y, (unsigned)m);
	size_t rest = strlen(p);
	while (rest && (p[rest - 1] == ' ' || p[rest - 1] == '\t' || p[rest - 1] == '\r'))
		rest--;
	int32_t t = -1;
	if (rest) {
		char tail[32];
		if (rest >= sizeof tail)
			return -1;
		memcpy(tail, p, rest);
		tail[rest] = '\0';
		if ((t = time_of(tail)) < 0)
			return -1;
	}
	if (no_day)
		return -2;
	*day = fnl_days_from_civil(y, (unsigned)m, (unsigned)d);
	*secs = t;
	return 0;
}
