/*
 * Unit tests of core/calendar.c: working days, adding working days across weekends, holidays and
 * make-up working days (调休), and the calendar file parser.
 *
 * The National Day dates below are test data (holidays 2026-10-01..07, make-up working days on
 * Sunday 2026-09-27 and Saturday 2026-10-10), not a claim about the official schedule.
 * Day numbers are days since 1970-01-01: 2026-11-23 (a Monday) is 20780.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "funnel/time.h"

static int64_t day(const char *s)
{
	int64_t d;
	struct fnl_error err = {0};
	if (fnl_date_parse(s, &d, &err))
		fail_msg("%s", err.message);
	return d;
}

static struct fnl_calendar_entry entry(const char *date, int workday, const char *name)
{
	struct fnl_calendar_entry e;
	memset(&e, 0, sizeof e);
	e.day = day(date);
	e.workday = workday;
	snprintf(e.name, sizeof e.name, "%s", name);
	return e;
}

static fnl_calendar *national_day(void)
{
	/* Deliberately out of order. */
	struct fnl_calendar_entry e[] = {
		entry("2026-10-10", 1, "国庆节调休"), entry("2026-10-07", 0, "国庆节"),
		entry("2026-10-01", 0, "国庆节"),     entry("2026-10-02", 0, "国庆节"),
		entry("2026-10-03", 0, "国庆节"),     entry("2026-10-04", 0, "国庆节"),
		entry("2026-10-05", 0, "国庆节"),     entry("2026-10-06", 0, "国庆节"),
		entry("2026-09-27", 1, "国庆节调休"),
	};
	fnl_calendar *cal = NULL;
	assert_int_equal(fnl_calendar_new(FNL_WORKWEEK_DEFAULT, e, sizeof e / sizeof e[0], &cal, NULL),
			 FNL_OK);
	return cal;
}

static void test_default_week(void **state)
{
	(void)state;
	fnl_calendar *cal = NULL;
	assert_int_equal(fnl_calendar_new(FNL_WORKWEEK_DEFAULT, NULL, 0, &cal, NULL), FNL_OK);
	/* 2026-11-23 Monday ... 2026-11-29 Sunday. */
	assert_int_equal(day("2026-11-23"), 20780);
	static const int expect[7] = {1, 1, 1, 1, 1, 0, 0};
	for (int i = 0; i < 7; i++)
		assert_int_equal(fnl_calendar_is_workday(cal, 20780 + i), expect[i]);
	/* Friday 2026-11-27 + 3 working days = Wednesday 2026-12-02. */
	assert_int_equal(fnl_calendar_add_workdays(cal, day("2026-11-27"), 3), day("2026-12-02"));
	assert_int_equal(day("2026-12-02"), 20789);
	assert_int_equal(fnl_calendar_add_workdays(cal, day("2026-11-27"), 1), day("2026-11-30"));
	/* From a Saturday, the next working day is Monday. */
	assert_int_equal(fnl_calendar_add_workdays(cal, day("2026-11-28"), 1), day("2026-11-30"));
	assert_int_equal(fnl_calendar_add_workdays(cal, day("2026-11-29"), 5), day("2026-12-04"));
	/* n <= 0: the day itself, even on a weekend. */
	assert_int_equal(fnl_calendar_add_workdays(cal, day("2026-11-28"), 0), day("2026-11-28"));
	assert_int_equal(fnl_calendar_add_workdays(cal, day("2026-11-28"), -2), day("2026-11-28"));
	/* 1,000,000 working days from a Monday are 200,000 weeks: 1,400,000 days later. */
	assert_int_equal(fnl_calendar_add_workdays(cal, 20780, 1000000), 1420780);
	/* INT_MAX = 5 * 429496729 + 2: 429496729 weeks and then Tuesday, Wednesday. */
	assert_int_equal(fnl_calendar_add_workdays(cal, 20780, INT_MAX),
			 20780 + INT64_C(7) * 429496729 + 2);
	fnl_calendar_free(cal);
	fnl_calendar_free(NULL);
}

static void test_workweek_masks(void **state)
{
	(void)state;
	fnl_calendar *cal = (fnl_calendar *)1;
	struct fnl_error err = {0};
	assert_int_equal(fnl_calendar_new(0, NULL, 0, &cal, &err), FNL_EINVAL);
	assert_null(cal);
	assert_int_equal(err.code, FNL_EINVAL);
	cal = (fnl_calendar *)1;
	assert_int_equal(fnl_calendar_new(0x80, NULL, 0, &cal, &err), FNL_EINVAL);
	assert_null(cal);
	assert_int_equal(fnl_calendar_new(0xff, NULL, 0, &cal, &err), FNL_EINVAL);
	/* Every day a working day. */
	assert_int_equal(fnl_calendar_new(0x7f, NULL, 0, &cal, &err), FNL_OK);
	assert_int_equal(fnl_calendar_add_workdays(cal, day("2026-11-27"), 3), day("2026-11-30"));
	fnl_calendar_free(cal);
	/* Monday-Saturday: Friday 2026-11-27 + 3 = Saturday 28, Monday 30, Tuesday 2026-12-01. */
	assert_int_equal(FNL_WEEKDAY_BIT(6) | FNL_WORKWEEK_DEFAULT, 0x3f);
	assert_int_equal(fnl_calendar_new(0x3f, NULL, 0, &cal, &err), FNL_OK);
	assert_int_equal(fnl_calendar_is_workday(cal, day("2026-11-28")), 1);
	assert_int_equal(fnl_calendar_is_workday(cal, day("2026-11-29")), 0);
	assert_int_equal(fnl_calendar_add_workdays(cal, day("2026-11-27"), 3), day("2026-12-01"));
	fnl_calendar_free(cal);
	/* Only Sundays: 2026-11-23 (Monday) + 2 = Sunday 2026-12-06. */
	assert_int_equal(fnl_calendar_new(FNL_WEEKDAY_BIT(7), NULL, 0, &cal, &err), FNL_OK);
	assert_int_equal(fnl_calendar_add_workdays(cal, 20780, 2), day("2026-12-06"));
	fnl_calendar_free(cal);
}

static void test_national_day(void **state)
{
	(void)state;
	fnl_calendar *cal = national_day();
	/* The make-up working days are a Sunday and a Saturday. */
	assert_int_equal(fnl_weekday(day("2026-09-27")), 7);
	assert_int_equal(fnl_weekday(day("2026-10-10")), 6);
	assert_int_equal(fnl_calendar_is_workday(cal, day("2026-09-26")), 0); /* Saturday */
	assert_int_equal(fnl_calendar_is_workday(cal, day("2026-09-27")), 1); /* make-up Sunday */
	assert_int_equal(fnl_calendar_is_workday(cal, day("2026-09-30")), 1);
	for (unsigned d = 1; d <= 7; d++)
		assert_int_equal(fnl_calendar_is_workday(cal, fnl_days_from_civil(2026, 10, d)), 0);
	assert_int_equal(fnl_calendar_is_workday(cal, day("2026-10-08")), 1);
	assert_int_equal(fnl_calendar_is_workday(cal, day("2026-10-09")), 1);
	assert_int_equal(fnl_calendar_is_workday(cal, day("2026-10-10")), 1); /* make-up Saturday */
	assert_int_equal(fnl_calendar_is_workday(cal, day("2026-10-11")), 0);
	/* Across the holiday: Wednesday 2026-09-30 + 1 = Thursday 2026-10-08. */
	assert_int_equal(fnl_calendar_add_workdays(cal, day("2026-09-30"), 1), day("2026-10-08"));
	/* + 3 lands on the make-up Saturday 2026-10-10; + 4 on Monday 2026-10-12. */
	assert_int_equal(fnl_calendar_add_workdays(cal, day("2026-09-30"), 3), day("2026-10-10"));
	assert_int_equal(fnl_calendar_add_workdays(cal, day("2026-09-30"), 4), day("2026-10-12"));
	/* Friday 2026-09-25 + 1 = the make-up Sunday 2026-09-27. */
	assert_int_equal(fnl_calendar_add_workdays(cal, day("2026-09-25"), 1), day("2026-09-27"));
	/* Graded on a holiday (2026-10-03): 3 working days later is 2026-10-10. */
	assert_int_equal(fnl_calendar_add_workdays(cal, day("2026-10-03"), 3), day("2026-10-10"));
	/* The same with plain Monday-Friday would be Wednesday 2026-10-07. */
	fnl_calendar *plain = NULL;
	assert_int_equal(fnl_calendar_new(FNL_WORKWEEK_DEFAULT, NULL, 0, &plain, NULL), FNL_OK);
	assert_int_equal(fnl_calendar_add_workdays(plain, day("2026-10-03"), 3), day("2026-10-07"));
	fnl_calendar_free(plain);
	fnl_calendar_free(cal);
}

static void test_later_entry_wins(void **state)
{
	(void)state;
	struct fnl_calendar_entry e[] = {
		entry("2026-10-01", 0, "first"),
		entry("2026-12-25", 1, ""),
		entry("2026-10-01", 1, "second"),
		entry("2026-12-25", 0, ""),
		entry("2026-12-25", 1, ""),
	};
	fnl_calendar *cal = NULL;
	assert_int_equal(fnl_calendar_new(FNL_WORKWEEK_DEFAULT, e, 5, &cal, NULL), FNL_OK);
	assert_int_equal(fnl_calendar_is_workday(cal, day("2026-10-01")), 1);
	assert_int_equal(fnl_calendar_is_workday(cal, day("2026-12-25")), 1);
	fnl_calendar_free(cal);
	/* The entries are copied: changing them afterwards changes nothing. */
	assert_int_equal(fnl_calendar_new(FNL_WORKWEEK_DEFAULT, e, 1, &cal, NULL), FNL_OK);
	e[0].workday = 1;
	assert_int_equal(fnl_calendar_is_workday(cal, day("2026-10-01")), 0);
	fnl_calendar_free(cal);
}

/* The reference: a linear scan where the last entry for a day wins, and a day-by-day walk. */
static int ref_is_workday(unsigned ww, const struct fnl_calendar_entry *e, size_t n, int64_t d)
{
	int r = (ww & FNL_WEEKDAY_BIT(fnl_weekday(d))) != 0;
	for (size_t i = 0; i < n; i++)
		if (e[i].day == d)
			r = e[i].workday;
	return r;
}

static void test_against_brute_force(void **state)
{
	(void)state;
	/* Pseudo-random entries over 2026-2027 (a fixed LCG, so the test is repeatable). */
	struct fnl_calendar_entry e[300];
	uint32_t x = 20261129;
	int64_t base = day("2026-01-01");
	for (size_t i = 0; i < 300; i++) {
		x = x * 1103515245u + 12345u;
		memset(&e[i], 0, sizeof e[i]);
		e[i].day = base + (x >> 8) % 730;
		e[i].workday = (x >> 4) & 1;
	}
	static const unsigned masks[] = {0x1f, 0x3f, 0x7f, 0x01, 0x41};
	for (size_t k = 0; k < sizeof masks / sizeof masks[0]; k++) {
		fnl_calendar *cal = NULL;
		assert_int_equal(fnl_calendar_new(masks[k], e, 300, &cal, NULL), FNL_OK);
		for (int64_t d = base - 20; d < base + 760; d++)
			assert_int_equal(fnl_calendar_is_workday(cal, d),
					 ref_is_workday(masks[k], e, 300, d));
		for (int64_t d = base - 20; d < base + 760; d += 3) {
			for (int n = 0; n <= 40; n += 7) {
				int64_t r = d;
				for (int left = n; left > 0;) {
					r++;
					if (ref_is_workday(masks[k], e, 300, r))
						left--;
				}
				assert_int_equal(fnl_calendar_add_workdays(cal, d, n), r);
			}
		}
		fnl_calendar_free(cal);
	}
}

/* ---- the calendar file ---- */

static void parse_ok(const char *text, size_t len, struct fnl_calendar_entry **out, size_t *n)
{
	struct fnl_error err = {0};
	int rc = fnl_calendar_parse(text, len, out, n, &err);
	if (rc)
		fail_msg("parse failed: %s", err.message);
}

static void parse_bad(const char *text, const char *message)
{
	struct fnl_calendar_entry *out = (struct fnl_calendar_entry *)1;
	size_t n = 99;
	struct fnl_error err = {0};
	assert_int_equal(fnl_calendar_parse(text, strlen(text), &out, &n, &err), FNL_EINVAL);
	assert_null(out);
	assert_int_equal(n, 0);
	assert_int_equal(err.code, FNL_EINVAL);
	assert_string_equal(err.field, "line");
	assert_string_equal(err.message, message);
}

/* A name of exactly len bytes: 3-byte "节" characters, then ASCII to fill. */
static void long_name(char *buf, size_t len)
{
	size_t i = 0;
	while (i + 3 <= len) {
		memcpy(buf + i, "节", 3);
		i += 3;
	}
	while (i < len)
		buf[i++] = 'x';
	buf[i] = '\0';
}

static void test_parse_good_file(void **state)
{
	(void)state;
	char name95[96], text[1024];
	long_name(name95, 95);
	assert_int_equal(strlen(name95), 95);
	snprintf(text, sizeof text,
		 "\xef\xbb\xbf# 2026 National Day (test data)\r\n"
		 "\r\n"
		 "   # an indented comment\r\n"
		 "\t\r\n"
		 "2026-10-01 holiday 国庆节\r\n"
		 "2026-10-02\tholiday\t国庆节 # golden week\r\n"
		 "2026-09-27 workday 国庆节调休\r\n"
		 "2026-10-10 workday\r\n"
		 "2026-10-03 holiday#a comment right after the kind\n"
		 "  2026-01-01   holiday   New Year's Day   \r\n"
		 "2026-05-01 holiday %s",
		 name95);
	struct fnl_calendar_entry *e = NULL;
	size_t n = 0;
	parse_ok(text, strlen(text), &e, &n);
	assert_int_equal(n, 7);
	assert_int_equal(e[0].day, day("2026-10-01"));
	assert_int_equal(e[0].workday, 0);
	assert_string_equal(e[0].name, "国庆节");
	assert_int_equal(e[1].day, day("2026-10-02"));
	assert_string_equal(e[1].name, "国庆节");
	assert_int_equal(e[2].day, day("2026-09-27"));
	assert_int_equal(e[2].workday, 1);
	assert_string_equal(e[2].name, "国庆节调休");
	assert_int_equal(e[3].day, day("2026-10-10"));
	assert_int_equal(e[3].workday, 1);
	assert_string_equal(e[3].name, "");
	assert_int_equal(e[4].day, day("2026-10-03"));
	assert_string_equal(e[4].name, "");
	assert_int_equal(e[5].day, day("2026-01-01"));
	assert_string_equal(e[5].name, "New Year's Day");
	assert_int_equal(e[6].day, day("2026-05-01"));
	assert_string_equal(e[6].name, name95);
	/* The parsed entries make a calendar. */
	fnl_calendar *cal = NULL;
	assert_int_equal(fnl_calendar_new(FNL_WORKWEEK_DEFAULT, e, n, &cal, NULL), FNL_OK);
	assert_int_equal(fnl_calendar_add_workdays(cal, day("2026-09-25"), 1), day("2026-09-27"));
	assert_int_equal(fnl_calendar_is_workday(cal, day("2026-10-01")), 0);
	assert_int_equal(fnl_calendar_is_workday(cal, day("2026-10-05")), 1); /* not listed here */
	fnl_calendar_free(cal);
	free(e);
}

static void test_parse_respects_len(void **state)
{
	(void)state;
	/* Only the first len bytes count: the name is cut off, and no NUL is needed. */
	static const char text[] = "2026-10-01 holiday 国庆节";
	struct fnl_calendar_entry *e = NULL;
	size_t n = 0;
	parse_ok(text, 18, &e, &n);
	assert_int_equal(n, 1);
	assert_string_equal(e[0].name, "");
	free(e);
	/* Empty input and comment-only input give no entries. */
	e = (struct fnl_calendar_entry *)1;
	parse_ok("", 0, &e, &n);
	assert_int_equal(n, 0);
	assert_null(e);
	parse_ok(NULL, 0, &e, &n);
	assert_int_equal(n, 0);
	static const char comments[] = "\xef\xbb\xbf# nothing\n\n  # here\r\n";
	parse_ok(comments, strlen(comments), &e, &n);
	assert_int_equal(n, 0);
	free(e);
}

static void test_parse_bad_lines(void **state)
{
	(void)state;
	parse_bad("2026-10-01 holiday\n2026-02-30 holiday\n",
		  "line 2: invalid date '2026-02-30': day must be 01-28 in 2026-02");
	parse_bad("# kinds\n2026-10-01 holidy 国庆节\n",
		  "line 2: unknown kind 'holidy' (expected holiday or workday)");
	parse_bad("2026-10-01 Holiday\n",
		  "line 1: unknown kind 'Holiday' (expected holiday or workday)");
	parse_bad("2026-10-01 holiday\n\n2026-10-02 holiday\n2026-10-01 workday 调休\n",
		  "line 4: date 2026-10-01 listed twice (first on line 1)");
	/* The first bad line wins, whether a duplicate or a syntax error. */
	parse_bad("2026-10-01 holiday\n2026-10-01 holiday\nnot a date\n",
		  "line 2: date 2026-10-01 listed twice (first on line 1)");
	parse_bad("2026-10-01 holiday\nnot-a-date holiday\n2026-10-01 holiday\n",
		  "line 2: invalid date 'not-a-date': expected YYYY-MM-DD");
	parse_bad("2026-10-01 holiday\n2026-10-02 holiday\n2026-10-02 holiday\n2026-10-01 holiday\n",
		  "line 3: date 2026-10-02 listed twice (first on line 2)");
	parse_bad("2026-10-01\n", "line 1: missing kind after the date (expected holiday or workday)");
	parse_bad("2026-10-01 # holiday\n",
		  "line 1: missing kind after the date (expected holiday or workday)");
	parse_bad("\r\n# x\r\n2026-1-01 holiday\r\n",
		  "line 3: invalid date '2026-1-01': expected YYYY-MM-DD");
	parse_bad("\xef\xbb\xbfholiday 2026-10-01\n",
		  "line 1: invalid date 'holiday': expected YYYY-MM-DD");
	parse_bad("2026-10-01 holiday \xff\xfe\n", "line 1: name is not valid UTF-8 text");
	parse_bad("2026-10-01 holiday \xe8\x8a\n", "line 1: name is not valid UTF-8 text");
	/* A name of 96 bytes is one too many; 95 is fine (see test_parse_good_file). */
	char name96[97], text[512];
	long_name(name96, 96);
	snprintf(text, sizeof text, "# names\n2026-10-01 holiday ok\n2026-10-02 holiday %s\n",
		 name96);
	parse_bad(text, "line 3: name too long (96 bytes, at most 95)");
	/* A NUL inside the text is an error, not an end. */
	static const char nul[] = "2026-10-01 holiday\n2026-10-02 holiday a\0b\n";
	struct fnl_calendar_entry *out = NULL;
	size_t n;
	struct fnl_error err = {0};
	assert_int_equal(fnl_calendar_parse(nul, sizeof nul - 1, &out, &n, &err), FNL_EINVAL);
	assert_string_equal(err.message, "line 2: name is not valid UTF-8 text");
	assert_null(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_week),
		cmocka_unit_test(test_workweek_masks),
		cmocka_unit_test(test_national_day),
		cmocka_unit_test(test_later_entry_wins),
		cmocka_unit_test(test_against_brute_force),
		cmocka_unit_test(test_parse_good_file),
		cmocka_unit_test(test_parse_respects_len),
		cmocka_unit_test(test_parse_bad_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
