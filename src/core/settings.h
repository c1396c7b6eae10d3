/*
 * core/settings.h - the installation's configuration, parsed and cached on the handle.
 *
 * The config table holds text; this is its typed form, loaded at open and again whenever the
 * database changed under the handle (PRAGMA data_version) or the handle itself changed the
 * configuration or the calendar. Every key has a type and a check (core/config.c), so a value in
 * the table is always one the code can use.
 */
#ifndef FUNNEL_CORE_SETTINGS_H
#define FUNNEL_CORE_SETTINGS_H

#include <stdint.h>

#include "funnel/time.h"

struct fnl__settings {
	int loaded;
	char lang[3];
	char currency[8];
	fnl_tz *tz;
	fnl_calendar *cal;
	unsigned workweek;
	int64_t weight[4];     /* hundredths: budget, need, decision, urgency */
	int64_t grade_a_min;   /* hundredths */
	int64_t grade_b_min;   /* hundredths */
	int64_t sla_a_hours;
	int64_t sla_b_days;
	int64_t touch_days;
	int64_t reevaluate_days;
	char test_words[1024];
	char phone_blocklist[1024];
	char target_industries[1024];
	int gate[3];             /* FNL__GATE_PROPOSE, _NEGOTIATE, _WON: 1 on */
	int64_t discount_limit;  /* hundredths of a percent */
};

enum { FNL__GATE_PROPOSE, FNL__GATE_NEGOTIATE, FNL__GATE_WON };

struct fnl_db;

/* Load (or reload) the settings from the database. */
int fnl__settings_load(struct fnl_db *db);
/* Release what the settings own. */
void fnl__settings_free(struct fnl__settings *s);

/* Parse a decimal with at most two decimals ("1", "1.5", "0.25") into hundredths. 0 or -1. */
int fnl__parse_hundredths(const char *s, int64_t *out);

#endif
