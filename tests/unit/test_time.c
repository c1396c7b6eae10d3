/*
 * Unit tests of core/time.c: civil dates, ISO 8601 instants, TZif zones and POSIX TZ rules.
 *
 * The figures are written out (computed independently with Python's zoneinfo). On top of them, a
 * brute-force comparison against the C library's localtime_r (TZ set to a zone name or to a POSIX
 * rule) over 1970-2100, and a day-by-day walk of the Gregorian calendar for the civil functions.
 * Zones with crafted rules are written as TZif files into a temporary $TZDIR.
 */
#define _DEFAULT_SOURCE /* tm_gmtoff, as reference */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "funnel/time.h"

static char tmpdir[64];
static char *saved_tzdir;

/* ---- helpers ---- */

static void set_tzdir(const char *dir)
{
	if (dir)
		assert_int_equal(setenv("TZDIR", dir, 1), 0);
	else
		assert_int_equal(unsetenv("TZDIR"), 0);
}

static fnl_tz *load(const char *name)
{
	fnl_tz *tz = NULL;
	struct fnl_error err = {0};
	int rc = fnl_tz_load(name, &tz, &err);
	if (rc)
		fail_msg("loading '%s': %s", name, err.message);
	assert_non_null(tz);
	return tz;
}

/* Load from the temporary zoneinfo directory of the crafted files. */
static fnl_tz *load_tmp(const char *name)
{
	set_tzdir(tmpdir);
	fnl_tz *tz = load(name);
	set_tzdir(saved_tzdir);
	return tz;
}

static int load_tmp_rc(const char *name, struct fnl_error *err)
{
	fnl_tz *tz = (fnl_tz *)1;
	set_tzdir(tmpdir);
	int rc = fnl_tz_load(name, &tz, err);
	set_tzdir(saved_tzdir);
	if (rc)
		assert_null(tz);
	fnl_tz_free(tz);
	return rc;
}

static int64_t civil(int64_t y, unsigned m, unsigned d)
{
	return fnl_days_from_civil(y, m, d);
}

/* ---- TZif writer ---- */

struct buf {
	unsigned char b[8192];
	size_t n;
};

static void put(struct buf *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof b->b);
	if (n > 0)
		memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void put32(struct buf *b, uint32_t v)
{
	unsigned char c[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
			      (unsigned char)(v >> 8), (unsigned char)v};
	put(b, c, 4);
}

static void put64(struct buf *b, int64_t v)
{
	put32(b, (uint32_t)((uint64_t)v >> 32));
	put32(b, (uint32_t)v);
}

static void put_header(struct buf *b, char version, uint32_t timecnt, uint32_t typecnt)
{
	put(b, "TZif", 4);
	unsigned char rest[16] = {(unsigned char)version};
	put(b, rest, 16);
	put32(b, 0);       /* isutcnt */
	put32(b, 0);       /* isstdcnt */
	put32(b, 0);       /* leapcnt */
	put32(b, timecnt); /* timecnt */
	put32(b, typecnt); /* typecnt */
	put32(b, 4);       /* charcnt: "ABC\0" */
}

static void put_types(struct buf *b, size_t ntypes, const int32_t *offs)
{
	for (size_t i = 0; i < ntypes; i++) {
		put32(b, (uint32_t)offs[i]);
		unsigned char isdst_idx[2] = {0, 0};
		put(b, isdst_idx, 2);
	}
	put(b, "ABC", 4);
}

/*
 * Write a TZif file tmpdir/name. version 0 writes a v1 file with 32-bit times. Otherwise the 32-bit
 * block holds one bogus type (+05:00) and no transitions, so a reader that used it would be wrong;
 * the 64-bit block holds the data, then the footer (NULL: none).
 */
static void write_tzif(const char *name, char version, size_t ntrans, const int64_t *trans,
		       const unsigned char *idx, size_t ntypes, const int32_t *offs,
		       const char *footer)
{
	struct buf b = {.n = 0};
	if (version == 0) {
		put_header(&b, 0, (uint32_t)ntrans, (uint32_t)ntypes);
		for (size_t i = 0; i < ntrans; i++)
			put32(&b, (uint32_t)(int32_t)trans[i]);
		put(&b, idx, ntrans);
		put_types(&b, ntypes, offs);
	} else {
		static const int32_t bogus = 5 * 3600;
		put_header(&b, version, 0, 1);
		put_types(&b, 1, &bogus);
		put_header(&b, version, (uint32_t)ntrans, (uint32_t)ntypes);
		for (size_t i = 0; i < ntrans; i++)
			put64(&b, trans[i]);
		put(&b, idx, ntrans);
		put_types(&b, ntypes, offs);
		if (footer) {
			put(&b, "\n", 1);
			put(&b, footer, strlen(footer));
			put(&b, "\n", 1);
		}
	}
	char path[256];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(b.b, 1, b.n, f), b.n);
	assert_int_equal(fclose(f), 0);
}

/* A v2 file with no transitions, only a type of std_off and the footer. */
static void write_footer_zone(const char *name, int32_t std_off, const char *footer)
{
	write_tzif(name, '2', 0, NULL, NULL, 1, &std_off, footer);
}

static void write_raw(const char *name, const void *data, size_t n)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static const char *crafted[] = {"v1zone", "v2trans", "fixed0330", "jrule",  "nrule",   "jerusalem",
				"nuuk",   "yearend", "sydney",  "dublin",    "alldst", "badrule", "badrule2",
				"badrule3", "truncated", "badmagic", "ver5",   "unsorted", "posix_0",
				"posix_1", "posix_2",  "posix_3",   "posix_4", "posix_5", "posix_6",
				"posix_7", "posix_8",  "posix_9"};

static int group_setup(void **state)
{
	(void)state;
	const char *d = getenv("TZDIR");
	saved_tzdir = d ? strdup(d) : NULL;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/fnl_tzXXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	char path[256];
	for (size_t i = 0; i < sizeof crafted / sizeof crafted[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", tmpdir, crafted[i]);
		unlink(path);
	}
	rmdir(tmpdir);
	free(saved_tzdir);
	return 0;
}

/* ---- civil dates ---- */

static void test_civil_known_days(void **state)
{
	(void)state;
	static const struct {
		int64_t y;
		unsigned m, d;
		int64_t days;
		int weekday;
	} cases[] = {
		{1970, 1, 1, 0, 4},      {1969, 12, 31, -1, 3},   {2000, 2, 29, 11016, 2},
		{2024, 2, 29, 19782, 4}, {2026, 11, 29, 20786, 7}, {2026, 11, 27, 20784, 5},
		{2099, 12, 31, 47481, 4}, {2100, 2, 28, 47540, 7}, {2100, 3, 1, 47541, 1},
		{2100, 12, 31, 47846, 5}, {1600, 1, 1, -135140, 6}, {9999, 12, 31, 2932896, 5},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(civil(cases[i].y, cases[i].m, cases[i].d), cases[i].days);
		assert_int_equal(fnl_weekday(cases[i].days), cases[i].weekday);
		int64_t y;
		unsigned m, d;
		fnl_civil_from_days(cases[i].days, &y, &m, &d);
		assert_int_equal(y, cases[i].y);
		assert_int_equal(m, cases[i].m);
		assert_int_equal(d, cases[i].d);
	}
	/* Any output pointer may be NULL. */
	unsigned m = 0;
	fnl_civil_from_days(19782, NULL, &m, NULL);
	assert_int_equal(m, 2);
}

/* Walk every day of 1970-2100 with an independent month table and leap rule. */
static void test_civil_walk_1970_2100(void **state)
{
	(void)state;
	static const unsigned len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int64_t days = 0;
	int wd = 4;
	int leap_years = 0;
	for (int64_t y = 1970; y <= 2100; y++) {
		int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		leap_years += leap;
		for (unsigned m = 1; m <= 12; m++) {
			unsigned ml = len[m - 1] + (m == 2 && leap);
			assert_int_equal(fnl_days_in_month(y, m), ml);
			for (unsigned d = 1; d <= ml; d++) {
				assert_int_equal(fnl_days_from_civil(y, m, d), days);
				int64_t yy;
				unsigned mm, dd;
				fnl_civil_from_days(days, &yy, &mm, &dd);
				assert_int_equal(yy, y);
				assert_int_equal(mm, m);
				assert_int_equal(dd, d);
				assert_int_equal(fnl_weekday(days), wd);
				days++;
				wd = wd % 7 + 1;
			}
		}
	}
	/* 1972 ... 2096: 32 leap years (2000 is one, 2100 is not). */
	assert_int_equal(leap_years, 32);
	assert_int_equal(days, 47847);
}

static void test_days_in_month(void **state)
{
	(void)state;
	assert_int_equal(fnl_days_in_month(2024, 2), 29);
	assert_int_equal(fnl_days_in_month(2026, 2), 28);
	assert_int_equal(fnl_days_in_month(2000, 2), 29);
	assert_int_equal(fnl_days_in_month(2100, 2), 28);
	assert_int_equal(fnl_days_in_month(2026, 11), 30);
	assert_int_equal(fnl_days_in_month(2026, 12), 31);
	assert_int_equal(fnl_days_in_month(2026, 0), 0);
	assert_int_equal(fnl_days_in_month(2026, 13), 0);
}

static void test_date_parse_format(void **state)
{
	(void)state;
	static const struct {
		const char *s;
		int64_t days;
	} good[] = {
		{"1970-01-01", 0},     {"2000-02-29", 11016}, {"2024-02-29", 19782},
		{"2026-11-29", 20786}, {"2100-02-28", 47540}, {"9999-12-31", 2932896},
	};
	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		int64_t d = -12345;
		struct fnl_error err = {0};
		assert_int_equal(fnl_date_parse(good[i].s, &d, &err), FNL_OK);
		assert_int_equal(d, good[i].days);
		char buf[11];
		fnl_date_format(d, buf);
		assert_string_equal(buf, good[i].s);
	}
	static const char *bad[] = {
		"2026-02-29", "2100-02-29", "2026-13-01", "2026-11-31", "2026-00-10", "2026-11-00",
		"1969-12-31", "2026-1-01",  "2026-11-290", "",          " 2026-11-29", "2026/11/29",
		"20261129",   "2026-11-29 ", "2026-11-2a", "+026-11-29",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t d = -12345;
		struct fnl_error err = {0};
		assert_int_equal(fnl_date_parse(bad[i], &d, &err), FNL_EINVAL);
		assert_int_equal(d, -12345);
		assert_int_equal(err.code, FNL_EINVAL);
		assert_string_equal(err.field, "date");
		char quoted[64];
		snprintf(quoted, sizeof quoted, "'%s'", bad[i]);
		if (!strstr(err.message, quoted))
			fail_msg("message '%s' does not quote %s", err.message, quoted);
	}
	struct fnl_error err = {0};
	int64_t d;
	assert_int_equal(fnl_date_parse("2026-02-29", &d, &err), FNL_EINVAL);
	assert_string_equal(err.message, "invalid date '2026-02-29': day must be 01-28 in 2026-02");
	assert_int_equal(fnl_date_parse("2026-13-01", &d, &err), FNL_EINVAL);
	assert_string_equal(err.message, "invalid date '2026-13-01': month must be 01-12");
	assert_int_equal(fnl_date_parse("2026-11-29", &d, NULL), FNL_OK);
	assert_int_equal(fnl_date_parse("bad", &d, NULL), FNL_EINVAL);
}

/* ---- instants as text ---- */

static void test_time_parse_good(void **state)
{
	(void)state;
	fnl_tz *sh = load("Asia/Shanghai");
	fnl_tz *ny = load("America/New_York");
	static const struct {
		int ny;
		const char *s;
		int64_t utc;
	} cases[] = {
		{0, "2026-11-29T10:00:00+08:00", 1795917600},
		{0, "2026-11-29 10:00", 1795917600}, /* local in Asia/Shanghai */
		{0, "2026-11-29T10:00", 1795917600},
		{0, "2026-11-29T10:00:00", 1795917600},
		{0, "2026-11-29T02:00:00Z", 1795917600},
		{0, "2026-11-29T10:00:00Z", 1795946400},
		{0, "2026-11-29T10:00Z", 1795946400},
		{0, "2026-11-29T15:30+0530", 1795946400},
		{0, "2026-11-29T15:30:00+05:30", 1795946400},
		{0, "2026-11-29T07:00-03", 1795946400},
		{0, "2026-11-29T07:00:00-03:00", 1795946400},
		{0, "2026-11-29T10:00:00-00:00", 1795946400},
		{0, "2026-11-30T04:00:00+18:00", 1795946400},
		{0, "2026-11-28T16:00:00-18:00", 1795946400},
		{0, "2026-11-29", 1795881600}, /* 00:00 in Shanghai = 2026-11-28T16:00Z */
		{0, "2026-11-29T23:59:59+08:00", 1795967999},
		{0, "1970-01-01T00:00:00Z", 0},
		{0, "1969-12-31T19:00:00-05:00", 0}, /* any four-digit year for instants */
		{0, "0001-01-01T00:00:00Z", INT64_C(-62135596800)},
		{1, "2026-07-01 12:00", 1782921600},     /* EDT, -04:00 */
		{1, "2026-03-08T02:30", 1772955000},     /* in the gap: EST applies, 07:30Z */
		{1, "2026-11-01T01:30", 1793511000},     /* in the overlap: the earlier, EDT */
		{1, "2026-11-01T01:30:00-05:00", 1793514600},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t t = -1;
		struct fnl_error err = {0};
		int rc = fnl_time_parse(cases[i].ny ? ny : sh, cases[i].s, &t, &err);
		if (rc)
			fail_msg("'%s': %s", cases[i].s, err.message);
		if (t != cases[i].utc)
			fail_msg("'%s': %lld, expected %lld", cases[i].s, (long long)t,
				 (long long)cases[i].utc);
	}
	fnl_tz_free(sh);
	fnl_tz_free(ny);
}

static void test_time_parse_bad(void **state)
{
	(void)state;
	fnl_tz *sh = load("Asia/Shanghai");
	static const char *bad[] = {
		"",
		"24:00",
		"2026-13-01",
		"2026-11-31",
		"2026-11-31T10:00",
		"2026-11-29T24:00",
		"2026-11-29T10",
		"2026-11-29T10:60",
		"2026-11-29T10:00:60",
		"2026-11-29T10:00:00+08:00x",
		"2026-11-29T10:00 ",
		"2026-11-29T10:00x",
		"2026-11-29T10:00:00.5Z",
		"2026-11-29t10:00",
		"2026-11-29T10:00z",
		"2026-11-29  10:00",
		"2026-11-29T1:00",
		"2026-11-29T10:00:00+8:00",
		"2026-11-29T10:00+05:3",
		"2026-11-29T10:00+053",
		"2026-11-29T10:00+05:60",
		"2026-11-29T10:00+18:01",
		"2026-11-29T10:00+19",
		"2026-11-29T10:00+",
		"2026-11-29Z",
		"2026-11-29+08:00",
		"2026-11-29T10:00:00ZZ",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t t = 42;
		struct fnl_error err = {0};
		if (fnl_time_parse(sh, bad[i], &t, &err) != FNL_EINVAL)
			fail_msg("'%s' accepted as %lld", bad[i], (long long)t);
		assert_int_equal(t, 42);
		assert_int_equal(err.code, FNL_EINVAL);
		assert_string_equal(err.field, "time");
		char quoted[64];
		snprintf(quoted, sizeof quoted, "'%s'", bad[i]);
		if (!strstr(err.message, quoted))
			fail_msg("message '%s' does not quote %s", err.message, quoted);
	}
	struct fnl_error err = {0};
	int64_t t;
	assert_int_equal(fnl_time_parse(sh, "2026-11-29T24:00", &t, &err), FNL_EINVAL);
	assert_string_equal(err.message, "invalid time '2026-11-29T24:00': hour must be 00-23");
	assert_int_equal(fnl_time_parse(sh, "2026-11-29T10:00+18:30", &t, &err), FNL_EINVAL);
	assert_string_equal(err.message,
			    "invalid time '2026-11-29T10:00+18:30': offset must be at most 18 hours");
	fnl_tz_free(sh);
}

static void test_time_format(void **state)
{
	(void)state;
	fnl_tz *sh = load("Asia/Shanghai");
	fnl_tz *ny = load("America/New_York");
	fnl_tz *in = load("Asia/Kolkata");
	char buf[64];
	assert_int_equal(fnl_time_format(sh, 1795917600, buf, sizeof buf), 25);
	assert_string_equal(buf, "2026-11-29T10:00:00+08:00");
	assert_int_equal(fnl_time_format(sh, 1795967999, buf, sizeof buf), 25);
	assert_string_equal(buf, "2026-11-29T23:59:59+08:00");
	assert_int_equal(fnl_time_format(ny, 1772953199, buf, sizeof buf), 25);
	assert_string_equal(buf, "2026-03-08T01:59:59-05:00");
	assert_int_equal(fnl_time_format(ny, 1772953200, buf, sizeof buf), 25);
	assert_string_equal(buf, "2026-03-08T03:00:00-04:00");
	assert_int_equal(fnl_time_format(in, 1795946400, buf, sizeof buf), 25);
	assert_string_equal(buf, "2026-11-29T15:30:00+05:30");
	assert_int_equal(fnl_time_format(NULL, 0, buf, sizeof buf), 25);
	assert_string_equal(buf, "1970-01-01T00:00:00+00:00");
	/* Exactly enough room, then truncation. */
	char b26[26];
	assert_int_equal(fnl_time_format(sh, 1795917600, b26, sizeof b26), 25);
	assert_string_equal(b26, "2026-11-29T10:00:00+08:00");
	memset(buf, 'x', sizeof buf);
	assert_int_equal(fnl_time_format(sh, 1795917600, buf, 11), 10);
	assert_string_equal(buf, "2026-11-29");
	assert_int_equal(buf[11], 'x');
	assert_int_equal(fnl_time_format(sh, 1795917600, buf, 1), 0);
	assert_string_equal(buf, "");
	buf[0] = 'x';
	assert_int_equal(fnl_time_format(sh, 1795917600, buf, 0), 0);
	assert_int_equal(buf[0], 'x');
	/* Round trip through the parser over a spread of instants. */
	for (int64_t t = 0; t < INT64_C(4102444800); t += 7777777) {
		const fnl_tz *zones[] = {sh, ny, in};
		for (int z = 0; z < 3; z++) {
			int64_t back;
			fnl_time_format(zones[z], t, buf, sizeof buf);
			assert_int_equal(fnl_time_parse(NULL, buf, &back, NULL), FNL_OK);
			assert_int_equal(back, t);
		}
	}
	fnl_tz_free(sh);
	fnl_tz_free(ny);
	fnl_tz_free(in);
}

/* ---- zones from the system zoneinfo ---- */

static void test_shanghai(void **state)
{
	(void)state;
	fnl_tz *sh = load("Asia/Shanghai");
	assert_string_equal(fnl_tz_name(sh), "Asia/Shanghai");
	assert_int_equal(fnl_tz_offset(sh, 1795917600), 28800);
	assert_int_equal(fnl_tz_offset(sh, 0), 28800);
	assert_int_equal(fnl_tz_offset(sh, INT64_C(4102444800)), 28800); /* 2100 */
	/* China observed DST 1986-1991: 1990-07-01T00:00Z was +09:00. */
	assert_int_equal(fnl_tz_offset(sh, 646790400), 32400);
	/* Local date: 2026-11-28T16:00Z is already 2026-11-29 (day 20786) in Shanghai. */
	assert_int_equal(fnl_tz_local_date(sh, 1795881600), 20786);
	assert_int_equal(fnl_tz_local_date(sh, 1795881599), 20785);
	assert_int_equal(fnl_tz_from_local(sh, INT64_C(20786) * 86400 + 36000), 1795917600);
	fnl_tz_free(sh);
}

static void test_berlin(void **state)
{
	(void)state;
	fnl_tz *b = load("Europe/Berlin");
	assert_int_equal(fnl_tz_offset(b, 1782907200), 7200); /* 2026-07-01T12:00Z summer */
	assert_int_equal(fnl_tz_offset(b, 1768478400), 3600); /* 2026-01-15T12:00Z winter */
	/* 2026: CEST from 2026-03-29T01:00Z to 2026-10-25T01:00Z. */
	assert_int_equal(fnl_tz_offset(b, 1774745999), 3600);
	assert_int_equal(fnl_tz_offset(b, 1774746000), 7200);
	assert_int_equal(fnl_tz_offset(b, 1792889999), 7200);
	assert_int_equal(fnl_tz_offset(b, 1792890000), 3600);
	/* After 2037 the footer rule CET-1CEST,M3.5.0,M10.5.0/3 applies. */
	assert_int_equal(fnl_tz_offset(b, 2382523200), 7200); /* 2045-07-01T12:00Z */
	assert_int_equal(fnl_tz_offset(b, 2395742400), 3600); /* 2045-12-01T12:00Z */
	assert_int_equal(fnl_tz_offset(b, 2374102799), 3600); /* 2045-03-26T01:00Z - 1 s */
	assert_int_equal(fnl_tz_offset(b, 2374102800), 7200);
	assert_int_equal(fnl_tz_offset(b, 2392851599), 7200); /* 2045-10-29T01:00Z - 1 s */
	assert_int_equal(fnl_tz_offset(b, 2392851600), 3600);
	/* Far away the rule still holds: 400-year periodicity, 2026 + 400 * 50. */
	int64_t far = 1782907200 + INT64_C(50) * 12622780800;
	assert_int_equal(fnl_tz_offset(b, far), 7200);
	assert_int_equal(fnl_tz_offset(b, far - 182 * 86400), 3600);
	/* Gap: 02:30 on 2026-03-29 does not exist; CET applies -> 01:30Z (03:30 CEST). */
	assert_int_equal(fnl_tz_from_local(b, 1774751400), 1774747800);
	/* Overlap: 02:30 on 2026-10-25 happens twice; the earlier is 00:30Z (CEST). */
	assert_int_equal(fnl_tz_from_local(b, 1792895400), 1792888200);
	fnl_tz_free(b);
}

static void test_new_york(void **state)
{
	(void)state;
	fnl_tz *ny = load("America/New_York");
	/* 2026: EDT from 2026-03-08T07:00Z to 2026-11-01T06:00Z. */
	assert_int_equal(fnl_tz_offset(ny, 1772953199), -18000);
	assert_int_equal(fnl_tz_offset(ny, 1772953200), -14400);
	assert_int_equal(fnl_tz_offset(ny, 1793512799), -14400);
	assert_int_equal(fnl_tz_offset(ny, 1793512800), -18000);
	/* Gap: 2026-03-08 02:30 local -> the offset before the gap (EST): 07:30Z. */
	assert_int_equal(fnl_tz_from_local(ny, 1772937000), 1772955000);
	/* Overlap: 2026-11-01 01:30 local -> the earlier instant (EDT): 05:30Z, not 06:30Z. */
	assert_int_equal(fnl_tz_from_local(ny, 1793496600), 1793511000);
	/* Just around the gap: 01:59:59 EST and 03:00:00 EDT. */
	assert_int_equal(fnl_tz_from_local(ny, 1772935199), 1772953199);
	assert_int_equal(fnl_tz_from_local(ny, 1772938800), 1772953200);
	/* Local date across midnight UTC: 2026-11-02T03:00Z is 2026-11-01 22:00 EST. */
	assert_int_equal(fnl_tz_local_date(ny, 1793588400), civil(2026, 11, 1));
	fnl_tz_free(ny);
}

static void test_utc(void **state)
{
	(void)state;
	fnl_tz *u = load("UTC");
	assert_string_equal(fnl_tz_name(u), "UTC");
	assert_int_equal(fnl_tz_offset(u, 1795917600), 0);
	assert_int_equal(fnl_tz_offset(u, -1), 0);
	assert_int_equal(fnl_tz_from_local(u, 1795917600), 1795917600);
	assert_int_equal(fnl_tz_local_date(u, 1795881600), 20785);
	assert_int_equal(fnl_tz_local_date(u, -1), -1);
	fnl_tz_free(u);
}

/* Without a zoneinfo directory, UTC and Asia/Shanghai (fixed +08:00) still load; others do not. */
static void test_builtin_zones(void **state)
{
	(void)state;
	char missing[128];
	snprintf(missing, sizeof missing, "%s/no-such-dir", tmpdir);
	set_tzdir(missing);
	fnl_tz *u = NULL, *sh = NULL, *b = (fnl_tz *)1;
	struct fnl_error err = {0};
	assert_int_equal(fnl_tz_load("UTC", &u, &err), FNL_OK);
	assert_int_equal(fnl_tz_load("Asia/Shanghai", &sh, &err), FNL_OK);
	int rc = fnl_tz_load("Europe/Berlin", &b, &err);
	set_tzdir(saved_tzdir);
	assert_int_equal(rc, FNL_EINVAL);
	assert_null(b);
	assert_string_equal(err.message, "unknown time zone 'Europe/Berlin'");
	assert_string_equal(fnl_tz_name(u), "UTC");
	assert_string_equal(fnl_tz_name(sh), "Asia/Shanghai");
	assert_int_equal(fnl_tz_offset(u, 1795917600), 0);
	assert_int_equal(fnl_tz_offset(sh, 1795917600), 28800);
	/* The built-in Shanghai has no 1986-1991 DST, unlike the tzdata one (+09:00 then). */
	assert_int_equal(fnl_tz_offset(sh, 646790400), 28800);
	int64_t t;
	assert_int_equal(fnl_time_parse(sh, "2026-11-29 10:00", &t, NULL), FNL_OK);
	assert_int_equal(t, 1795917600);
	fnl_tz_free(u);
	fnl_tz_free(sh);
}

static void test_refused_names(void **state)
{
	(void)state;
	static const char *names[] = {
		"../etc/passwd", "/etc/passwd", "Asia/../../etc/passwd", "Asia/Shang hai", "",
		"Europe/Berlin;rm", "Asia/Shanghai\n", "zone.tab", "Mars/Olympus", "Asia",
		"Etc/../UTC",
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		fnl_tz *tz = (fnl_tz *)1;
		struct fnl_error err = {0};
		if (fnl_tz_load(names[i], &tz, &err) != FNL_EINVAL)
			fail_msg("'%s' accepted", names[i]);
		assert_null(tz);
		assert_string_equal(err.field, "timezone");
		char quoted[64];
		snprintf(quoted, sizeof quoted, "'%s'", names[i]);
		if (!strstr(err.message, quoted))
			fail_msg("message '%s' does not quote %s", err.message, quoted);
	}
	struct fnl_error err = {0};
	fnl_tz *tz;
	assert_int_equal(fnl_tz_load("../etc/passwd", &tz, &err), FNL_EINVAL);
	assert_string_equal(err.message, "invalid time zone name '../etc/passwd'");
	assert_int_equal(fnl_tz_load("Mars/Olympus", &tz, &err), FNL_EINVAL);
	assert_string_equal(err.message, "unknown time zone 'Mars/Olympus'");
	/* '+', '-' and '_' are allowed. */
	tz = load("Etc/GMT+5");
	assert_int_equal(fnl_tz_offset(tz, 0), -18000);
	fnl_tz_free(tz);
	tz = load("America/Port-au-Prince");
	fnl_tz_free(tz);
	tz = load("America/Los_Angeles");
	fnl_tz_free(tz);
	fnl_tz_free(NULL);
}

/* ---- crafted TZif files ---- */

static void test_tzif_v1(void **state)
{
	(void)state;
	/* +01:00 until 2000-01-01T00:00Z (946684800), +03:00 until 2020-01-01T00:00Z (1577836800),
	 * then +02:00; no footer in a v1 file, so +02:00 stays. */
	static const int64_t trans[] = {946684800, 1577836800};
	static const unsigned char idx[] = {1, 2};
	static const int32_t offs[] = {3600, 10800, 7200};
	write_tzif("v1zone", 0, 2, trans, idx, 3, offs, NULL);
	fnl_tz *tz = load_tmp("v1zone");
	assert_int_equal(fnl_tz_offset(tz, 946684799), 3600);
	assert_int_equal(fnl_tz_offset(tz, -5000000000), 3600);
	assert_int_equal(fnl_tz_offset(tz, 946684800), 10800);
	assert_int_equal(fnl_tz_offset(tz, 1577836799), 10800);
	assert_int_equal(fnl_tz_offset(tz, 1577836800), 7200);
	assert_int_equal(fnl_tz_offset(tz, INT64_C(9000000000)), 7200);
	/* from_local when the offset drops by 2 hours (overlap) and before the first transition. */
	assert_int_equal(fnl_tz_from_local(tz, 1577836800 + 7200 - 60), 1577836800 - 3600 - 60);
	assert_int_equal(fnl_tz_from_local(tz, 1577836800 + 7200 + 1800), 1577836800 - 1800);
	assert_int_equal(fnl_tz_from_local(tz, 0), -3600);
	fnl_tz_free(tz);
}

static void test_tzif_v2_uses_64bit_block(void **state)
{
	(void)state;
	/* A transition in 2050 (2524608000 = 2050-01-01T00:00Z) only fits in 64 bits; after it the
	 * footer "<+08>-8" applies, before the first transition type 0 (+07:00). */
	static const int64_t trans[] = {-2000000000, 2524608000};
	static const unsigned char idx[] = {1, 0};
	static const int32_t offs[] = {25200, 21600};
	write_tzif("v2trans", '2', 2, trans, idx, 2, offs, "<+08>-8");
	fnl_tz *tz = load_tmp("v2trans");
	assert_int_equal(fnl_tz_offset(tz, -3000000000), 25200);
	assert_int_equal(fnl_tz_offset(tz, -2000000000), 21600);
	assert_int_equal(fnl_tz_offset(tz, 2524607999), 21600);
	assert_int_equal(fnl_tz_offset(tz, 2524608000), 25200); /* the transition itself */
	assert_int_equal(fnl_tz_offset(tz, 2524608001), 28800); /* after: the footer */
	fnl_tz_free(tz);
	/* A footer with a quoted name and a minutes offset. */
	write_footer_zone("fixed0330", 12600, "<+0330>-3:30");
	tz = load_tmp("fixed0330");
	assert_int_equal(fnl_tz_offset(tz, 1795917600), 12600);
	char buf[32];
	fnl_time_format(tz, 1795917600, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-29T05:30:00+03:30");
	fnl_tz_free(tz);
}

static void test_footer_julian_rules(void **state)
{
	(void)state;
	/* Jn counts 1-365 and never Feb 29: J60 is always March 1, J305 always November 1. */
	write_footer_zone("jrule", 3600, "AAA-1BBB,J60/2,J305/3");
	fnl_tz *tz = load_tmp("jrule");
	/* 2028 (leap): 2028-03-01 02:00 AAA = 01:00Z; 2028-11-01 03:00 BBB = 01:00Z. */
	assert_int_equal(fnl_tz_offset(tz, 1835485199), 3600);
	assert_int_equal(fnl_tz_offset(tz, 1835485200), 7200);
	assert_int_equal(fnl_tz_offset(tz, 1856653199), 7200);
	assert_int_equal(fnl_tz_offset(tz, 1856653200), 3600);
	/* 2027: 2027-03-01T01:00Z and 2027-11-01T01:00Z. */
	assert_int_equal(fnl_tz_offset(tz, 1803862799), 3600);
	assert_int_equal(fnl_tz_offset(tz, 1803862800), 7200);
	assert_int_equal(fnl_tz_offset(tz, 1825030799), 7200);
	assert_int_equal(fnl_tz_offset(tz, 1825030800), 3600);
	fnl_tz_free(tz);
	/* n counts 0-365 with Feb 29: in 2028 day 59 is Feb 29 and day 304 is Oct 31; in 2027 they
	 * are Mar 1 and Nov 1. */
	write_footer_zone("nrule", 3600, "AAA-1BBB,59/2,304/3");
	tz = load_tmp("nrule");
	assert_int_equal(fnl_tz_offset(tz, 1835398799), 3600); /* 2028-02-29T01:00Z - 1 s */
	assert_int_equal(fnl_tz_offset(tz, 1835398800), 7200);
	assert_int_equal(fnl_tz_offset(tz, 1856566799), 7200); /* 2028-10-31T01:00Z - 1 s */
	assert_int_equal(fnl_tz_offset(tz, 1856566800), 3600);
	assert_int_equal(fnl_tz_offset(tz, 1803862799), 3600); /* 2027-03-01T01:00Z - 1 s */
	assert_int_equal(fnl_tz_offset(tz, 1803862800), 7200);
	assert_int_equal(fnl_tz_offset(tz, 1825030799), 7200); /* 2027-11-01T01:00Z - 1 s */
	assert_int_equal(fnl_tz_offset(tz, 1825030800), 3600);
	fnl_tz_free(tz);
}

static void test_footer_v3_times(void **state)
{
	(void)state;
	/* Hours past 24: DST starts on the 4th Thursday of March at 26:00, i.e. Friday 02:00.
	 * 2030: Friday 2030-03-29 02:00 IST = 00:00Z; ends 2030-10-27 02:00 IDT = 2030-10-26T23:00Z. */
	write_tzif("jerusalem", '3', 0, NULL, NULL, 1, (const int32_t[]){7200},
		   "IST-2IDT,M3.4.4/26,M10.5.0");
	fnl_tz *tz = load_tmp("jerusalem");
	assert_int_equal(fnl_tz_offset(tz, 1900972799), 7200);
	assert_int_equal(fnl_tz_offset(tz, 1900972800), 10800);
	assert_int_equal(fnl_tz_offset(tz, 1919285999), 10800);
	assert_int_equal(fnl_tz_offset(tz, 1919286000), 7200);
	fnl_tz_free(tz);
	/* DST that ends in the next year. 1969's DST runs from 1969-01-01 00:00 at -03:00 (03:00Z)
	 * to 1969-12-31 23:00 at -02:30, which is 1970-01-01T01:30Z; 1970's starts at 03:00Z. So
	 * 1970-01-01T00:00Z is still DST, and standard time lasts from 01:30Z to 03:00Z only. (C
	 * libraries that look at one year at a time get this wrong, so it is not in the comparison
	 * with localtime_r below.) */
	write_tzif("yearend", '3', 0, NULL, NULL, 1, (const int32_t[]){-10800},
		   "<-03>3<-02>2:30,J1/0,J365/23");
	tz = load_tmp("yearend");
	assert_int_equal(fnl_tz_offset(tz, -10801), -9000); /* 1969-12-31T20:59:59Z */
	assert_int_equal(fnl_tz_offset(tz, 0), -9000);
	assert_int_equal(fnl_tz_offset(tz, 5399), -9000);
	assert_int_equal(fnl_tz_offset(tz, 5400), -10800);
	assert_int_equal(fnl_tz_offset(tz, 10799), -10800);
	assert_int_equal(fnl_tz_offset(tz, 10800), -9000);
	fnl_tz_free(tz);
	/* Negative hours: starts at -1:00 on the last Sunday of March (Saturday 23:00 local):
	 * 2030-03-31T01:00Z; ends at 0:00 on the last Sunday of October: 2030-10-27T01:00Z. */
	write_tzif("nuuk", '3', 0, NULL, NULL, 1, (const int32_t[]){-7200},
		   "<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
	tz = load_tmp("nuuk");
	assert_int_equal(fnl_tz_offset(tz, 1901149199), -7200);
	assert_int_equal(fnl_tz_offset(tz, 1901149200), -3600);
	assert_int_equal(fnl_tz_offset(tz, 1919293199), -3600);
	assert_int_equal(fnl_tz_offset(tz, 1919293200), -7200);
	fnl_tz_free(tz);
}

static void test_footer_southern_and_negative_dst(void **state)
{
	(void)state;
	/* Sydney 2030: AEDT ends 2030-04-06T16:00Z, starts again 2030-10-05T16:00Z. */
	write_footer_zone("sydney", 36000, "AEST-10AEDT,M10.1.0,M4.1.0/3");
	fnl_tz *tz = load_tmp("sydney");
	assert_int_equal(fnl_tz_offset(tz, 1901721599), 39600);
	assert_int_equal(fnl_tz_offset(tz, 1901721600), 36000);
	assert_int_equal(fnl_tz_offset(tz, 1917446399), 36000);
	assert_int_equal(fnl_tz_offset(tz, 1917446400), 39600);
	/* 2030-12-31T12:00Z and 2031-01-01T12:00Z are both in summer time. */
	assert_int_equal(fnl_tz_offset(tz, 1924948800), 39600);
	assert_int_equal(fnl_tz_offset(tz, 1925035200), 39600);
	fnl_tz_free(tz);
	/* Dublin: standard time IST +1 in summer, "DST" GMT in winter; 2030 changes at
	 * 2030-03-31T01:00Z (to +1) and 2030-10-27T01:00Z (to 0). */
	write_footer_zone("dublin", 3600, "IST-1GMT0,M10.5.0,M3.5.0/1");
	tz = load_tmp("dublin");
	assert_int_equal(fnl_tz_offset(tz, 1901149199), 0);
	assert_int_equal(fnl_tz_offset(tz, 1901149200), 3600);
	assert_int_equal(fnl_tz_offset(tz, 1919293199), 3600);
	assert_int_equal(fnl_tz_offset(tz, 1919293200), 0);
	fnl_tz_free(tz);
	/* DST all year, as tzfile(5) describes it: EST5EDT,0/0,J365/25. */
	write_footer_zone("alldst", -18000, "EST5EDT,0/0,J365/25");
	tz = load_tmp("alldst");
	for (int64_t t = 1767225600; t < 1767225600 + 3 * 366 * 86400; t += 3599)
		assert_int_equal(fnl_tz_offset(tz, t), -14400);
	fnl_tz_free(tz);
}

static void test_malformed_files(void **state)
{
	(void)state;
	struct fnl_error err = {0};
	write_footer_zone("badrule", 3600, "CET-1CEST,M3.5.0");
	assert_int_equal(load_tmp_rc("badrule", &err), FNL_EINVAL);
	assert_non_null(strstr(err.message, "'badrule'"));
	assert_non_null(strstr(err.message, "footer"));
	write_footer_zone("badrule2", 3600, "CET-1CEST,M13.5.0,M10.5.0/3");
	assert_int_equal(load_tmp_rc("badrule2", &err), FNL_EINVAL);
	write_footer_zone("badrule3", 3600, "C-1");
	assert_int_equal(load_tmp_rc("badrule3", &err), FNL_EINVAL);
	/* Truncated: the jrule file without its last 40 bytes. */
	write_footer_zone("truncated", 3600, "AAA-1BBB,J60/2,J305/3");
	{
		char path[256];
		snprintf(path, sizeof path, "%s/truncated", tmpdir);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		unsigned char data[512];
		size_t n = fread(data, 1, sizeof data, f);
		fclose(f);
		assert_true(n > 100);
		write_raw("truncated", data, n - 40);
	}
	assert_int_equal(load_tmp_rc("truncated", &err), FNL_EINVAL);
	assert_non_null(strstr(err.message, "malformed"));
	write_raw("badmagic", "TZXX2 and then some more text to fill the 44-byte header up", 60);
	assert_int_equal(load_tmp_rc("badmagic", &err), FNL_EINVAL);
	write_footer_zone("ver5", 3600, "CET-1");
	{
		char path[256];
		snprintf(path, sizeof path, "%s/ver5", tmpdir);
		FILE *f = fopen(path, "r+b");
		assert_non_null(f);
		assert_int_equal(fseek(f, 4, SEEK_SET), 0);
		fputc('5', f);
		fclose(f);
	}
	assert_int_equal(load_tmp_rc("ver5", &err), FNL_EINVAL);
	static const int64_t trans[] = {1000, 1000};
	static const unsigned char idx[] = {0, 0};
	write_tzif("unsorted", '2', 2, trans, idx, 1, (const int32_t[]){0}, "UTC0");
	assert_int_equal(load_tmp_rc("unsorted", &err), FNL_EINVAL);
}

/* ---- brute force against the C library ---- */

struct ref {
	int32_t off;
	int64_t date;
	char text[128];
};

static void reference(int64_t t, struct ref *r)
{
	time_t tt = (time_t)t;
	struct tm tm;
	assert_non_null(localtime_r(&tt, &tm));
	r->off = (int32_t)tm.tm_gmtoff;
	r->date = fnl_days_from_civil(tm.tm_year + 1900, (unsigned)tm.tm_mon + 1,
				      (unsigned)tm.tm_mday);
	long a = labs(tm.tm_gmtoff);
	snprintf(r->text, sizeof r->text, "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
		 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		 tm.tm_gmtoff < 0 ? '-' : '+', a / 3600, a / 60 % 60);
}

/* Compare tz with the C library (TZ=tzvar) at many instants of 1970-2100. */
static void compare_with_libc(const fnl_tz *tz, const char *tzvar)
{
	assert_int_equal(setenv("TZ", tzvar, 1), 0);
	tzset();
	size_t n = 0;
	/* A step that is not a whole number of hours or days, so all times of day come up. */
	for (int64_t t = 0; t < INT64_C(4133980800); t += 50111, n++) {
		struct ref r;
		reference(t, &r);
		int32_t off = fnl_tz_offset(tz, t);
		if (off != r.off)
			fail_msg("%s at %lld: offset %d, libc %d", tzvar, (long long)t, off, r.off);
		assert_int_equal(fnl_tz_local_date(tz, t), r.date);
		if (r.off % 60 == 0) {
			char buf[40];
			fnl_time_format(tz, t, buf, sizeof buf);
			assert_string_equal(buf, r.text);
		}
		/* from_local gives back the earliest instant showing the same wall clock. */
		int64_t local = t + off;
		int64_t u = fnl_tz_from_local(tz, local);
		assert_true(u <= t);
		assert_int_equal(u + fnl_tz_offset(tz, u), local);
	}
	assert_true(n > 82000);
	unsetenv("TZ");
	tzset();
}

static void test_system_zones_against_libc(void **state)
{
	(void)state;
	static const char *zones[] = {
		"Asia/Shanghai",    "Europe/Berlin",     "America/New_York", "Australia/Sydney",
		"Europe/Dublin",    "Asia/Jerusalem",    "America/Nuuk",     "Pacific/Chatham",
		"America/Santiago", "Africa/Casablanca", "Asia/Kolkata",     "Antarctica/Troll",
		"Europe/London",    "America/Sao_Paulo", "Pacific/Apia",     "UTC",
	};
	for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++) {
		fnl_tz *tz = load(zones[i]);
		compare_with_libc(tz, zones[i]);
		fnl_tz_free(tz);
	}
}

static void test_posix_rules_against_libc(void **state)
{
	(void)state;
	static const struct {
		int32_t std_off;
		const char *rule;
	} rules[] = {
		{3600, "CET-1CEST,M3.5.0,M10.5.0/3"},
		{-18000, "EST5EDT,M3.2.0,M11.1.0"},
		{36000, "AEST-10AEDT,M10.1.0,M4.1.0/3"},
		{7200, "IST-2IDT,M3.4.4/26,M10.5.0"},
		{-7200, "<-02>2<-01>,M3.5.0/-1,M10.5.0/0"},
		{45900, "<+1245>-12:45<+1345>,M9.5.0/2:45,M4.1.0/3:45"},
		{-14400, "<-04>4<-03>,M9.1.6/24,M4.1.6/24"},
		{3600, "AAA-1BBB,J60/2,J305/3"},
		{3600, "AAA-1BBB-3,59/2,304/3"},
		{-10800, "<-03>3<-02>2:30,J32/0,J335/23"},
	};
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
		char name[16];
		snprintf(name, sizeof name, "posix_%zu", i);
		write_footer_zone(name, rules[i].std_off, rules[i].rule);
		fnl_tz *tz = load_tmp(name);
		compare_with_libc(tz, rules[i].rule);
		fnl_tz_free(tz);
	}
}

/* Zones are immutable: many loads of the same name give the same answers, independently. */
static void test_independent_loads(void **state)
{
	(void)state;
	fnl_tz *a = load("Europe/Berlin");
	fnl_tz *b = load("Europe/Berlin");
	assert_ptr_not_equal(a, b);
	fnl_tz_free(a);
	assert_int_equal(fnl_tz_offset(b, 1782907200), 7200);
	assert_string_equal(fnl_tz_name(b), "Europe/Berlin");
	fnl_tz_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_civil_known_days),
		cmocka_unit_test(test_civil_walk_1970_2100),
		cmocka_unit_test(test_days_in_month),
		cmocka_unit_test(test_date_parse_format),
		cmocka_unit_test(test_time_parse_good),
		cmocka_unit_test(test_time_parse_bad),
		cmocka_unit_test(test_time_format),
		cmocka_unit_test(test_shanghai),
		cmocka_unit_test(test_berlin),
		cmocka_unit_test(test_new_york),
		cmocka_unit_test(test_utc),
		cmocka_unit_test(test_builtin_zones),
		cmocka_unit_test(test_refused_names),
		cmocka_unit_test(test_tzif_v1),
		cmocka_unit_test(test_tzif_v2_uses_64bit_block),
		cmocka_unit_test(test_footer_julian_rules),
		cmocka_unit_test(test_footer_v3_times),
		cmocka_unit_test(test_footer_southern_and_negative_dst),
		cmocka_unit_test(test_malformed_files),
		cmocka_unit_test(test_system_zones_against_libc),
		cmocka_unit_test(test_posix_rules_against_libc),
		cmocka_unit_test(test_independent_loads),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
