/* analytics/report.h - what the report builders share: names of groups, rates and days as JSON. */
#ifndef FUNNEL_ANALYTICS_REPORT_H
#define FUNNEL_ANALYTICS_REPORT_H

#include "funnel/analytics.h"
#include "funnel/io.h"

/* Names for a report: the catalog (stages, channels, reasons) and the language. */
struct fnl__names {
	fnl_catalog *cat;
	const char *lang;
};

int fnl__names_open(fnl_db *db, const struct fnl_report_opts *o, struct fnl__names *nm);
void fnl__names_close(struct fnl__names *nm);

/* The stable key of a group ("all", a channel key, a login, "2026-11", ...) and its name for
 * people in nm->lang (a channel's name, "(none)", ...). Borrowed. */
const char *fnl__group_key(const fnl_snapshot *s, enum fnl_dim by, int key);
const char *fnl__group_name(struct fnl__names *nm, const fnl_snapshot *s, enum fnl_dim by, int key);

/* num/den as JSON (null when den is 0), and as a double (NaN when den is 0). */
json_t *fnl__rate_json(int64_t num, int64_t den);
double fnl__rate(int64_t num, int64_t den);

/* {"count", "mean", "median", "p90"} in days (nulls when count is 0). */
json_t *fnl__days_json(const struct fnl_duration_stats *d);

#endif
