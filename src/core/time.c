/*
 * core/time.c - civil dates, time zones (TZif and POSIX TZ rules) and ISO 8601 instants.
 *
 * A zone is loaded once from a TZif file (RFC 8536/9636, versions 1-3; the 64-bit data block is
 * used when present) into one allocation: the transition instants, the offset in force from each,
 * the offset before the first one, and the POSIX TZ rule of the footer, which governs the instants
 * after the last transition. Nothing is written after loading, so a zone can be shared by threads.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "funnel/time.h"

#define DAY FNL_DAY_SECONDS
#define TZ_NAME_MAX 255
#define TZIF_MAX_SIZE (1024 * 1024)
#define TZIF_HDR 44
/* RFC 8536: offsets should lie in -89999..93599; we rely on them staying under two days. */
#define TZ_OFF_MIN (-89999)
#define TZ_OFF_MAX 93599
/* 400 Gregorian years: 146097 days, a whole number of weeks, so POSIX rules repeat with it. */
#define CYCLE_400Y INT64_C(12622780800)

/* ---- civil dates ---- */

static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;
	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

int64_t fnl_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void fnl_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d)
{
	/* Hinnant's civil_from_days, with the shift to 0000-03-01 done after the era split so that
	 * no day number overflows. */
	int64_t era = floor_div(days, 146097);
	int64_t rem = days - era * 146097 + 719468;
	era += rem / 146097;
	const unsigned doe = (unsigned)(rem % 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	const unsigned dd = doy - (153 * mp + 2) / 5 + 1;
	const unsigned mm = mp < 10 ? mp + 3 : mp - 9;
	if (y)
		*y = (int64_t)yoe + era * 400 + (mm <= 2);
	if (m)
		*m = mm;
	if (d)
		*d = dd;
}

int fnl_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday. */
	int64_t r = days % 7;
	if (r < 0)
		r += 7;
	return (int)((r + 3) % 7) + 1;
}

static int is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

unsigned fnl_days_in_month(int64_t y, unsigned m)
{
	static const unsigned char len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 0;
	if (m == 2 && is_leap(y))
		return 29;
	return len[m - 1];
}

/* Exactly n decimal digits at s into *out; stops at the NUL of a short string. */
static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static const char date_expect[] = "expected YYYY-MM-DD";
static const char time_expect[] = "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS] (T or a space), then optionally "
				  "Z, +HH:MM, +HHMM or +HH";

/*
 * The "YYYY-MM-DD" at the start of s; what follows is the caller's business. what ("date" or
 * "time") is also the error field; expect says what the whole value should look like. Years before
 * min_year are refused.
 */
static int ymd_parse(const char *s, const char *what, const char *expect, int min_year,
		     int64_t *days, struct fnl_error *err)
{
	int y, m, d;
	if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &m) || s[7] != '-' ||
	    digits(s + 8, 2, &d))
		return fnl_error_set(err, FNL_EINVAL, what, "invalid %s '%.64s': %s", what, s,
				     expect);
	if (y < min_year)
		return fnl_error_set(err, FNL_EINVAL, what,
				     "invalid %s '%.64s': year must be %04d-9999", what, s, min_year);
	if (m < 1 || m > 12)
		return fnl_error_set(err, FNL_EINVAL, what,
				     "invalid %s '%.64s': month must be 01-12", what, s);
	unsigned dim = fnl_days_in_month(y, (unsigned)m);
	if (d < 1 || (unsigned)d > dim)
		return fnl_error_set(err, FNL_EINVAL, what,
				     "invalid %s '%.64s': day must be 01-%02u in %04d-%02d", what, s,
				     dim, y, m);
	*days = fnl_days_from_civil(y, (unsigned)m, (unsigned)d);
	return FNL_OK;
}

int fnl_date_parse(const char *s, int64_t *days, struct fnl_error *err)
{
	if (!s)
		return fnl_error_set(err, FNL_EINVAL, "date", "invalid date: none given");
	int64_t v;
	if (strlen(s) != 10)
		return fnl_error_set(err, FNL_EINVAL, "date", "invalid date '%.64s': %s", s,
				     date_expect);
	int rc = ymd_parse(s, "date", date_expect, 1970, &v, err);
	if (rc)
		return rc;
	*days = v;
	return FNL_OK;
}

void fnl_date_format(int64_t days, char buf[static 11])
{
	int64_t y;
	unsigned m, d;
	fnl_civil_from_days(days, &y, &m, &d);
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%04lld-%02u-%02u", (long long)y, m, d);
	memcpy(buf, tmp, 10);
	buf[10] = '\0';
}

/* ---- POSIX TZ rules (the TZif footer) ---- */

struct rule_date {
	char kind; /* 'J': Julian 1-365 without Feb 29, 'n': zero-based day 0-365, 'M': m.w.d */
	int n, m, w, d;
};

struct tz_rule {
	int32_t std_off; /* seconds east */
	int32_t dst_off;
	int has_dst;
	struct rule_date start, end;
	int32_t start_time, end_time; /* seconds after local midnight; may be < 0 or > 24 h */
};

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int is_alpha(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* 1-maxd digits, value at most max. */
static const char *rule_num(const char *p, int maxd, int max, int *out)
{
	int v = 0, nd = 0;
	while (is_digit(*p) && nd < maxd) {
		v = v * 10 + (*p - '0');
		p++;
		nd++;
	}
	if (nd == 0 || is_digit(*p) || v > max)
		return NULL;
	*out = v;
	return p;
}

/* A zone abbreviation: at least 3 letters, or <...> of at least 3 of [A-Za-z0-9+-]. */
static const char *rule_name(const char *p)
{
	const char *s = p;
	if (*p == '<') {
		s = ++p;
		while (is_alpha(*p) || is_digit(*p) || *p == '+' || *p == '-')
			p++;
		if (*p != '>' || p - s < 3)
			return NULL;
		return p + 1;
	}
	while (is_alpha(*p))
		p++;
	return p - s < 3 ? NULL : p;
}

/* [+-]h[h[h]][:mm[:ss]], hours at most maxh. */
static const char *rule_hms(const char *p, int maxd, int maxh, int32_t *out)
{
	int sign = 1, h, m = 0, s = 0;
	if (*p == '+' || *p == '-')
		sign = *p++ == '-' ? -1 : 1;
	if (!(p = rule_num(p, maxd, maxh, &h)))
		return NULL;
	if (*p == ':') {
		if (!(p = rule_num(p + 1, 2, 59, &m)))
			return NULL;
		if (*p == ':' && !(p = rule_num(p + 1, 2, 59, &s)))
			return NULL;
	}
	*out = sign * (h * 3600 + m * 60 + s);
	return p;
}

/* date[/time] */
static const char *rule_when(const char *p, struct rule_date *rd, int32_t *time)
{
	memset(rd, 0, sizeof *rd);
	if (*p == 'J') {
		rd->kind = 'J';
		if (!(p = rule_num(p + 1, 3, 365, &rd->n)) || rd->n < 1)
			return NULL;
	} else if (*p == 'M') {
		rd->kind = 'M';
		if (!(p = rule_num(p + 1, 2, 12, &rd->m)) || rd->m < 1 || *p != '.')
			return NULL;
		if (!(p = rule_num(p + 1, 1, 5, &rd->w)) || rd->w < 1 || *p != '.')
			return NULL;
		if (!(p = rule_num(p + 1, 1, 6, &rd->d)))
			return NULL;
	} else {
		rd->kind = 'n';
		if (!(p = rule_num(p, 3, 365, &rd->n)))
			return NULL;
	}
	*time = 7200;
	if (*p == '/')
		p = rule_hms(p + 1, 3, 167, time);
	return p;
}

/* "std offset[dst[offset][,start[/time],end[/time]]]"; 0 or -1 when malformed. */
static int rule_parse(const char *s, struct tz_rule *r)
{
	const char *p = s;
	int32_t west;
	memset(r, 0, sizeof *r);
	if (!(p = rule_name(p)) || !(p = rule_hms(p, 2, 24, &west)))
		return -1;
	r->std_off = -west;
	if (*p == '\0')
		return 0;
	if (!(p = rule_name(p)))
		return -1;
	r->has_dst = 1;
	r->dst_off = r->std_off + 3600;
	if (*p != ',' && *p != '\0') {
		if (!(p = rule_hms(p, 2, 24, &west)))
			return -1;
		r->dst_off = -west;
	}
	if (*p == '\0') {
		/* No rule given: the US rule, as tzcode assumes. */
		r->start = (struct rule_date){.kind = 'M', .m = 3, .w = 2, .d = 0};
		r->end = (struct rule_date){.kind = 'M', .m = 11, .w = 1, .d = 0};
		r->start_time = r->end_time = 7200;
		return 0;
	}
	if (*p != ',' || !(p = rule_when(p + 1, &r->start, &r->start_time)))
		return -1;
	if (*p != ',' || !(p = rule_when(p + 1, &r->end, &r->end_time)))
		return -1;
	return *p == '\0' ? 0 : -1;
}

/* Day number of a rule date in year y. */
static int64_t rule_day(const struct rule_date *rd, int64_t y)
{
	int64_t jan1 = fnl_days_from_civil(y, 1, 1);
	if (rd->kind == 'J')
		return jan1 + rd->n - 1 + (is_leap(y) && rd->n >= 60);
	if (rd->kind == 'n')
		return jan1 + rd->n;
	int64_t first = fnl_days_from_civil(y, (unsigned)rd->m, 1);
	int wd0 = fnl_weekday(first) % 7; /* 0 = Sunday, as in the rule */
	int64_t day = first + (rd->d - wd0 + 7) % 7 + 7 * (rd->w - 1);
	int64_t last = first + fnl_days_in_month(y, (unsigned)rd->m) - 1;
	while (day > last)
		day -= 7;
	return day;
}

static int32_t rule_offset(const struct tz_rule *r, int64_t t)
{
	if (!r->has_dst)
		return r->std_off;
	const int64_t far = INT64_C(1) << 40;
	if (t > far || t < -far)
		t = t % CYCLE_400Y + 4 * CYCLE_400Y;
	int64_t y;
	fnl_civil_from_days(floor_div(t, DAY), &y, NULL, NULL);
	/* The latest change at or before t, looking at enough years around t that rule times beyond
	 * 24 hours or before midnight cannot hide one. */
	int found = 0, dst = 0;
	int64_t best = 0;
	for (int64_t yy = y - 2; yy <= y + 1; yy++) {
		int64_t on = rule_day(&r->start, yy) * DAY + r->start_time - r->std_off;
		int64_t off = rule_day(&r->end, yy) * DAY + r->end_time - r->dst_off;
		if (on <= t && (!found || on >= best)) {
			best = on;
			dst = 1;
			found = 1;
		}
		if (off <= t && (!found || off >= best)) {
			best = off;
			dst = 0;
			found = 1;
		}
	}
	return dst ? r->dst_off : r->std_off;
}

/* ---- zones ---- */

struct fnl_tz {
	const char *name;
	size_t ntrans;
	const int64_t *trans; /* strictly ascending */
	const int32_t *off;   /* offset in force from trans[i] */
	int32_t off0;         /* before the first transition: time type 0 */
	int has_rule;         /* the footer rule governs instants after the last transition */
	struct tz_rule rule;
};

/* One allocation: the struct, then the transitions, their offsets and the name. */
static fnl_tz *tz_alloc(const char *name, size_t ntrans, int64_t **trans_out, int32_t **off_out)
{
	size_t nlen = strlen(name);
	/* sizeof(struct fnl_tz) is a multiple of 8, so the int64_t array that follows is aligned. */
	size_t size = sizeof(struct fnl_tz) + ntrans * (sizeof(int64_t) + sizeof(int32_t)) + nlen + 1;
	unsigned char *mem = calloc(1, size);
	if (!mem)
		return NULL;
	fnl_tz *tz = (fnl_tz *)(void *)mem;
	int64_t *trans = (int64_t *)(void *)(mem + sizeof *tz);
	int32_t *off = (int32_t *)(void *)(trans + ntrans);
	char *nm = (char *)(off + ntrans);
	memcpy(nm, name, nlen + 1);
	tz->name = nm;
	tz->ntrans = ntrans;
	tz->trans = trans;
	tz->off = off;
	*trans_out = trans;
	*off_out = off;
	return tz;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct tzif_hdr {
	uint32_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

static int tzif_hdr(const unsigned char *buf, size_t len, size_t pos, struct tzif_hdr *h)
{
	if (len < TZIF_HDR || pos > len - TZIF_HDR || memcmp(buf + pos, "TZif", 4) != 0)
		return -1;
	const unsigned char *p = buf + pos + 20;
	h->isutcnt = be32(p);
	h->isstdcnt = be32(p + 4);
	h->leapcnt = be32(p + 8);
	h->timecnt = be32(p + 12);
	h->typecnt = be32(p + 16);
	h->charcnt = be32(p + 20);
	return 0;
}

/* Bytes of the data block after a header; tsize is 4 (v1) or 8 (v2+). */
static uint64_t tzif_block_size(const struct tzif_hdr *h, unsigned tsize)
{
	return (uint64_t)h->timecnt * (tsize + 1) + (uint64_t)h->typecnt * 6 + h->charcnt +
	       (uint64_t)h->leapcnt * (tsize + 4) + h->isstdcnt + h->isutcnt;
}

/* Build the zone from the data block at buf[pos] (already bounds-checked). NULL on a malformed
 * block (*why says what) or when out of memory (*why NULL). */
static fnl_tz *tzif_block(const char *name, const unsigned char *buf, size_t pos,
			  const struct tzif_hdr *h, unsigned tsize, const char **why)
{
	*why = "bad counts";
	if (h->typecnt == 0 || h->typecnt > 256 || (h->isstdcnt != 0 && h->isstdcnt != h->typecnt) ||
	    (h->isutcnt != 0 && h->isutcnt != h->typecnt))
		return NULL;
	const unsigned char *times = buf + pos;
	const unsigned char *idx = times + (size_t)h->timecnt * tsize;
	const unsigned char *types = idx + h->timecnt;
	int32_t toff[256];
	for (uint32_t i = 0; i < h->typecnt; i++) {
		const unsigned char *t = types + 6 * (size_t)i;
		int32_t o = (int32_t)be32(t);
		*why = "bad local time type";
		if (o < TZ_OFF_MIN || o > TZ_OFF_MAX || t[4] > 1 || (h->charcnt && t[5] >= h->charcnt))
			return NULL;
		toff[i] = o;
	}
	int64_t prev = 0;
	for (uint32_t i = 0; i < h->timecnt; i++) {
		const unsigned char *p = times + (size_t)i * tsize;
		int64_t t = tsize == 8 ? be64(p) : (int64_t)(int32_t)be32(p);
		*why = "transitions out of order";
		if (i > 0 && t <= prev)
			return NULL;
		*why = "bad transition type";
		if (idx[i] >= h->typecnt)
			return NULL;
		prev = t;
	}
	*why = NULL;
	int64_t *tr;
	int32_t *of;
	fnl_tz *tz = tz_alloc(name, h->timecnt, &tr, &of);
	if (!tz)
		return NULL;
	for (uint32_t i = 0; i < h->timecnt; i++) {
		const unsigned char *p = times + (size_t)i * tsize;
		tr[i] = tsize == 8 ? be64(p) : (int64_t)(int32_t)be32(p);
		of[i] = toff[idx[i]];
	}
	tz->off0 = toff[0];
	return tz;
}

/* Parse a whole TZif file. Returns FNL_OK, FNL_EINVAL (message set) or FNL_ENOMEM. */
static int tzif_parse(const char *name, const unsigned char *buf, size_t len, fnl_tz **out,
		      struct fnl_error *err)
{
	struct tzif_hdr h;
	const char *why = "not a TZif file";
	fnl_tz *tz = NULL;
	if (tzif_hdr(buf, len, 0, &h))
		goto bad;
	unsigned char ver = buf[4];
	why = "unsupported TZif version";
	if (ver != 0 && ver != '2' && ver != '3' && ver != '4')
		goto bad;
	uint64_t size = tzif_block_size(&h, 4);
	why = "truncated file";
	if (size > len - TZIF_HDR)
		goto bad;
	size_t pos = TZIF_HDR;
	unsigned tsize = 4;
	if (ver != 0) {
		/* Skip the 32-bit block: the second header and 64-bit block follow. */
		pos += (size_t)size;
		why = "missing 64-bit header";
		if (tzif_hdr(buf, len, pos, &h))
			goto bad;
		pos += TZIF_HDR;
		size = tzif_block_size(&h, 8);
		why = "truncated file";
		if (size > len - pos)
			goto bad;
		tsize = 8;
	}
	tz = tzif_block(name, buf, pos, &h, tsize, &why);
	if (!tz) {
		if (!why)
			return fnl_error_set(err, FNL_ENOMEM, "timezone", "out of memory");
		goto bad;
	}
	pos += (size_t)size;
	if (ver != 0 && pos < len) {
		/* The footer: "\n" TZ-string "\n". An empty string means no rule. */
		why = "bad footer";
		if (buf[pos] != '\n')
			goto bad;
		const unsigned char *end = memchr(buf + pos + 1, '\n', len - pos - 1);
		if (!end)
			goto bad;
		size_t flen = (size_t)(end - (buf + pos + 1));
		char footer[256];
		if (flen >= sizeof footer)
			goto bad;
		memcpy(footer, buf + pos + 1, flen);
		footer[flen] = '\0';
		if (memchr(footer, '\0', flen))
			goto bad;
		if (flen > 0) {
			why = "malformed TZ string in the footer";
			if (rule_parse(footer, &tz->rule))
				goto bad;
			tz->has_rule = 1;
		}
	}
	*out = tz;
	return FNL_OK;
bad:
	free(tz);
	return fnl_error_set(err, FNL_EINVAL, "timezone",
			     "cannot load time zone '%s': malformed zoneinfo file (%s)", name, why);
}

static int name_ok(const char *name)
{
	size_t n = strlen(name);
	if (n == 0 || n > TZ_NAME_MAX || name[0] == '/' || strstr(name, ".."))
		return 0;
	for (const char *p = name; *p; p++)
		if (!is_alpha(*p) && !is_digit(*p) && *p != '/' && *p != '_' && *p != '+' &&
		    *p != '-')
			return 0;
	return 1;
}

/* Read a regular file of at most TZIF_MAX_SIZE bytes. -1 when it cannot be opened or is not a
 * regular file, -2 on a read error or when too large, -3 when out of memory. */
static int read_file(const char *path, unsigned char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -1;
	}
	if (st.st_size > TZIF_MAX_SIZE) {
		close(fd);
		return -2;
	}
	size_t cap = (size_t)st.st_size;
	unsigned char *buf = malloc(cap + 1);
	if (!buf) {
		close(fd);
		return -3;
	}
	size_t n = 0;
	for (;;) {
		ssize_t r = read(fd, buf + n, cap + 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || (r > 0 && n + (size_t)r > cap)) {
			/* A read error, or the file grew while we read it. */
			free(buf);
			close(fd);
			return -2;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	*out = buf;
	*len = n;
	return 0;
}

static int tz_builtin(const char *name, fnl_tz **out, struct fnl_error *err)
{
	int32_t off;
	if (strcmp(name, "UTC") == 0)
		off = 0;
	else if (strcmp(name, "Asia/Shanghai") == 0)
		off = 8 * 3600;
	else
		return fnl_error_set(err, FNL_EINVAL, "timezone", "unknown time zone '%s'", name);
	int64_t *tr;
	int32_t *of;
	fnl_tz *tz = tz_alloc(name, 0, &tr, &of);
	if (!tz)
		return fnl_error_set(err, FNL_ENOMEM, "timezone", "out of memory");
	tz->off0 = off;
	*out = tz;
	return FNL_OK;
}

int fnl_tz_load(const char *name, fnl_tz **out, struct fnl_error *err)
{
	*out = NULL;
	if (!name || !name_ok(name))
		return fnl_error_set(err, FNL_EINVAL, "timezone", "invalid time zone name '%.64s'",
				     name ? name : "");
	const char *dir = getenv("TZDIR");
	if (!dir || !*dir)
		dir = "/usr/share/zoneinfo";
	char path[4096];
	int n = snprintf(path, sizeof path, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof path)
		return fnl_error_set(err, FNL_EINVAL, "timezone",
				     "cannot load time zone '%s': path too long", name);
	unsigned char *buf;
	size_t len;
	int r = read_file(path, &buf, &len);
	if (r == -1)
		return tz_builtin(name, out, err);
	if (r == -3)
		return fnl_error_set(err, FNL_ENOMEM, "timezone", "out of memory");
	if (r != 0)
		return fnl_error_set(err, FNL_EINVAL, "timezone",
				     "cannot load time zone '%s': cannot read '%s'", name, path);
	int rc = tzif_parse(name, buf, len, out, err);
	free(buf);
	return rc;
}

void fnl_tz_free(fnl_tz *tz)
{
	free(tz);
}

const char *fnl_tz_name(const fnl_tz *tz)
{
	return tz ? tz->name : "UTC";
}

int32_t fnl_tz_offset(const fnl_tz *tz, int64_t utc)
{
	if (!tz)
		return 0;
	size_t n = tz->ntrans;
	if (n == 0 || utc > tz->trans[n - 1]) {
		if (tz->has_rule)
			return rule_offset(&tz->rule, utc);
		return n == 0 ? tz->off0 : tz->off[n - 1];
	}
	if (utc < tz->trans[0])
		return tz->off0;
	/* The last transition at or before utc. */
	size_t lo = 0, hi = n - 1;
	while (lo < hi) {
		size_t mid = lo + (hi - lo + 1) / 2;
		if (tz->trans[mid] <= utc)
			lo = mid;
		else
			hi = mid - 1;
	}
	return tz->off[lo];
}

static void add_offset(int32_t *set, size_t *n, int32_t o)
{
	for (size_t i = 0; i < *n; i++)
		if (set[i] == o)
			return;
	set[(*n)++] = o;
}

int64_t fnl_tz_from_local(const fnl_tz *tz, int64_t local)
{
	/* Keep the arithmetic below in range; no zone has meaningful data this far out. */
	const int64_t lim = INT64_C(1) << 61;
	if (local > lim)
		local = lim;
	if (local < -lim)
		local = -lim;
	/* Offsets stay under two days, so the instant lies within two days of local; the offsets in
	 * force there and those implied by them cover both sides of any one transition. */
	int32_t cand[4];
	size_t nc = 0;
	add_offset(cand, &nc, fnl_tz_offset(tz, local - 2 * DAY));
	add_offset(cand, &nc, fnl_tz_offset(tz, local + 2 * DAY));
	size_t n0 = nc;
	for (size_t i = 0; i < n0; i++)
		add_offset(cand, &nc, fnl_tz_offset(tz, local - cand[i]));
	int found = 0;
	int64_t best = 0;
	int32_t hi = cand[0];
	for (size_t i = 0; i < nc; i++) {
		int64_t t = local - cand[i];
		if (cand[i] > hi)
			hi = cand[i];
		if (fnl_tz_offset(tz, t) == cand[i] && (!found || t < best)) {
			best = t;
			found = 1;
		}
	}
	if (found)
		return best;
	/* In a gap: the earliest candidate instant lies before the transition, so its offset is the
	 * one before the gap. */
	return local - fnl_tz_offset(tz, local - hi);
}

/* Split utc + off into a day number and the seconds of that day, without overflow. */
static void local_split(int64_t utc, int32_t off, int64_t *days, int64_t *secs)
{
	int64_t d = floor_div(utc, DAY);
	int64_t s = utc - d * DAY + off;
	d += floor_div(s, DAY);
	*days = d;
	*secs = s - floor_div(s, DAY) * DAY;
}

int64_t fnl_tz_local_date(const fnl_tz *tz, int64_t utc)
{
	int64_t days, secs;
	local_split(utc, fnl_tz_offset(tz, utc), &days, &secs);
	return days;
}

/* ---- instants as text ---- */

static int time_bad(struct fnl_error *err, const char *s, const char *why)
{
	return fnl_error_set(err, FNL_EINVAL, "time", "invalid time '%.64s': %s", s, why);
}

int fnl_time_parse(const fnl_tz *tz, const char *s, int64_t *out, struct fnl_error *err)
{
	const char *expect = time_expect;
	if (!s)
		return time_bad(err, "", expect);
	int64_t days;
	/* Any four-digit year: an instant early in 1970 UTC is still in 1969 west of Greenwich. */
	int rc = ymd_parse(s, "time", expect, 0, &days, err);
	if (rc)
		return rc;
	const char *p = s + 10;
	if (*p == '\0') {
		*out = fnl_tz_from_local(tz, days * DAY);
		return FNL_OK;
	}
	int h, m, sec = 0;
	if ((*p != 'T' && *p != ' ') || digits(p + 1, 2, &h) || p[3] != ':' || digits(p + 4, 2, &m))
		return time_bad(err, s, expect);
	p += 6;
	if (*p == ':') {
		if (digits(p + 1, 2, &sec))
			return time_bad(err, s, expect);
		p += 3;
	}
	if (h > 23)
		return time_bad(err, s, "hour must be 00-23");
	if (m > 59)
		return time_bad(err, s, "minute must be 00-59");
	if (sec > 59)
		return time_bad(err, s, "second must be 00-59");
	int64_t local = days * DAY + h * 3600 + m * 60 + sec;
	if (*p == '\0') {
		*out = fnl_tz_from_local(tz, local);
		return FNL_OK;
	}
	int off = 0;
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int sign = *p == '-' ? -1 : 1, oh, om = 0;
		if (digits(p + 1, 2, &oh))
			return time_bad(err, s, expect);
		p += 3;
		if (*p == ':') {
			if (digits(p + 1, 2, &om))
				return time_bad(err, s, expect);
			p += 3;
		} else if (*p >= '0' && *p <= '9') {
			if (digits(p, 2, &om))
				return time_bad(err, s, expect);
			p += 2;
		}
		if (om > 59)
			return time_bad(err, s, "offset minutes must be 00-59");
		if (oh * 60 + om > 18 * 60)
			return time_bad(err, s, "offset must be at most 18 hours");
		off = sign * (oh * 3600 + om * 60);
	} else {
		return time_bad(err, s, expect);
	}
	if (*p != '\0')
		return time_bad(err, s, "unexpected text after the time");
	*out = local - off;
	return FNL_OK;
}

size_t fnl_time_format(const fnl_tz *tz, int64_t utc, char *buf, size_t len)
{
	/* ISO 8601 offsets have whole minutes: a zone's local mean time (such as +08:05:43) is shown
	 * with its offset truncated to the minute and the wall clock to match, so the text still
	 * names the exact instant. */
	int32_t off = fnl_tz_offset(tz, utc);
	off -= off % 60;
	int64_t days, secs;
	local_split(utc, off, &days, &secs);
	int64_t y;
	unsigned mo, d;
	fnl_civil_from_days(days, &y, &mo, &d);
	int32_t a = off < 0 ? -off : off;
	char tmp[80];
	int n = snprintf(tmp, sizeof tmp, "%04lld-%02u-%02uT%02d:%02d:%02d%c%02d:%02d", (long long)y,
			 mo, d, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60),
			 off < 0 ? '-' : '+', (int)(a / 3600), (int)(a / 60 % 60));
	if (len == 0 || n < 0)
		return 0;
	size_t w = (size_t)n < len - 1 ? (size_t)n : len - 1;
	memcpy(buf, tmp, w);
	buf[w] = '\0';
	return w;
}
