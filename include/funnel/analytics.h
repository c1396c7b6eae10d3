/*
 * funnel/analytics.h - the funnel analytics engine and its reports (SPEC §6, §7).
 *
 * A snapshot is an in-memory, columnar copy of what the reports need of every lead: small
 * integers in parallel arrays indexed by lead id (capture time, channel, owner, grade, industry,
 * region, status, current and furthest stage, the first-entry time of each stage, the deal or
 * expected amount, the expected close month, the loss reason and the B/N/D/U scores). It is built
 * in one pass over the store and kept current lead by lead (fnl_snapshot_refresh), so a server can
 * hold one and update it on every write. A snapshot is read-only for reports: several threads may
 * run reports on it at once, but refreshing needs exclusive access.
 *
 * Reports are scans over those arrays with filters and one group-by, exact (quantiles by nearest
 * rank), allocating nothing per lead. Definitions are SPEC §7's; docs/reports.md explains every
 * figure and the choices made where a definition leaves one.
 */
#ifndef FUNNEL_ANALYTICS_H
#define FUNNEL_ANALYTICS_H

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "funnel/funnel.h"

#define FNL_MAX_STAGES 10

typedef struct fnl_snapshot fnl_snapshot;

/* The dimensions a report filters and groups by. */
enum fnl_dim {
	FNL_DIM_NONE = 0,
	FNL_DIM_CHANNEL,
	FNL_DIM_OWNER,
	FNL_DIM_TEAM,
	FNL_DIM_GRADE,
	FNL_DIM_INDUSTRY,
	FNL_DIM_REGION,
	FNL_DIM_MONTH, /* the capture month in the installation's time zone: group-by only */
	FNL_DIM_COUNT
};

/* Lead statuses as stored in a snapshot. */
enum fnl_snap_status {
	FNL_SNAP_OPEN = 1,
	FNL_SNAP_NURTURE,
	FNL_SNAP_WON,
	FNL_SNAP_LOST,
	FNL_SNAP_INVALID,
	FNL_SNAP_MERGED
};

/* ---- snapshot ---- */

/* Build a snapshot of every lead of the default pipeline in one pass. Free with fnl_snapshot_free. */
int fnl_snapshot_build(fnl_db *db, fnl_snapshot **out);
void fnl_snapshot_free(fnl_snapshot *s);

/* Bring one lead up to date after a write (new lead, stage event, status change, score, deal,
 * reassignment, edit): re-reads that lead and its stage events. New owners, channels, industries
 * and regions are added to the dictionaries. */
int fnl_snapshot_refresh(fnl_snapshot *s, fnl_db *db, int64_t lead_id);

/* Sizes: the number of lead slots (highest lead id) and the bytes held for them. */
size_t fnl_snapshot_leads(const fnl_snapshot *s);
size_t fnl_snapshot_bytes(const fnl_snapshot *s);

/* The stages: their number and their keys by position (1-based). */
int fnl_snapshot_stages(const fnl_snapshot *s);
const char *fnl_snapshot_stage_key(const fnl_snapshot *s, int pos);

/* Dictionaries. fnl_snapshot_find gives the value index (0-based) of a name in a dimension (a
 * channel key, an owner login, a team name, "A"/"B"/"C", an industry, a region), or -1.
 * fnl_snapshot_name is the reverse (borrowed; "" for the "none" value of owner/team/grade/...),
 * fnl_snapshot_values the number of values. Months are "YYYY-MM". */
int fnl_snapshot_find(const fnl_snapshot *s, enum fnl_dim dim, const char *name);
const char *fnl_snapshot_name(const fnl_snapshot *s, enum fnl_dim dim, int index);
int fnl_snapshot_values(const fnl_snapshot *s, enum fnl_dim dim);

/* ---- queries ---- */

struct fnl_query {
	int64_t from, to;              /* capture period [from, to) as instants; 0 = unbounded */
	int filter[FNL_DIM_COUNT];     /* per dimension: value index, or -1 for any (month: always -1) */
	enum fnl_dim by;               /* group-by, FNL_DIM_NONE for one group "all" */
};

/* A query with no filter, no period, no group-by. */
void fnl_query_init(struct fnl_query *q);

/* ---- the engine: the cohort funnel and time in stage ---- */

/* Exact statistics of a set of durations (seconds). */
struct fnl_duration_stats {
	int64_t count;
	int64_t sum;
	int64_t median;                /* nearest rank: the ceil(0.5 n)-th smallest */
	int64_t p90;                   /* the ceil(0.9 n)-th smallest */
};

struct fnl_funnel_group {
	int key;                       /* value index in the group-by dimension, -1 for "all" */
	int64_t leads;                 /* the population: valid leads captured in the period */
	int64_t reached[FNL_MAX_STAGES + 1]; /* by stage position 1..n: reached stage >= pos */
	int64_t lost[FNL_MAX_STAGES + 1];    /* lost at that stage */
	int64_t open[FNL_MAX_STAGES + 1];    /* open or nurture, now at that stage */
	int64_t won_count;
	int64_t won_amount;            /* 分, sum of the deals */
	struct fnl_duration_stats cycle;                       /* capture -> won, won leads */
	struct fnl_duration_stats stage_time[FNL_MAX_STAGES + 1]; /* [k]: entry k -> entry k+1 */
};

struct fnl_funnel {
	int nstages;
	int ngroups;
	struct fnl_funnel_group *groups; /* groups with at least one lead, in dictionary order */
};

/* Compute the cohort funnel of q; with_time adds the cycle and time-in-stage statistics (a second
 * pass). The result is freed with fnl_funnel_free. */
int fnl_engine_funnel(const fnl_snapshot *s, const struct fnl_query *q, int with_time, struct fnl_funnel *out);
void fnl_funnel_free(struct fnl_funnel *f);

/* Only the reached/lost/open counts and wins of q (the fast path of the engine). */
int fnl_engine_counts(const fnl_snapshot *s, const struct fnl_query *q, struct fnl_funnel *out);

/* ---- statistics ---- */

/* Wilson score interval of k successes in n trials at 95 % (z = 1.959964): *lo, *hi in [0, 1].
 * n = 0 gives [0, 1]. */
void fnl_wilson(int64_t k, int64_t n, double *lo, double *hi);

/* Two-proportion z-test of k1/n1 against k2/n2 (pooled): the z statistic and the two-sided p-value.
 * When a proportion is undefined or the pooled variance is 0, z = 0 and p = 1. */
void fnl_ztest(int64_t k1, int64_t n1, int64_t k2, int64_t n2, double *z, double *p);

/* ---- report tables: what terminals, CSV and spreadsheets show ---- */

enum fnl_col_type {
	FNL_COL_TEXT,
	FNL_COL_INT,
	FNL_COL_MONEY,   /* 分 */
	FNL_COL_RATE,    /* a fraction, shown as a percentage */
	FNL_COL_DAYS,    /* a number of days */
	FNL_COL_NUMBER   /* any other real number */
};

typedef struct fnl_rtable fnl_rtable;

fnl_rtable *fnl_rtable_new(const char *title);
void fnl_rtable_free(fnl_rtable *t);
/* Add a column: key (snake_case, for CSV headers in English), Chinese and English labels. */
void fnl_rtable_col(fnl_rtable *t, const char *key, const char *zh, const char *en, enum fnl_col_type type);
/* Append cells row by row, left to right (a row ends after the last column). */
void fnl_rtable_text(fnl_rtable *t, const char *s);
void fnl_rtable_int(fnl_rtable *t, int64_t v);
void fnl_rtable_money(fnl_rtable *t, int64_t fen);
void fnl_rtable_real(fnl_rtable *t, double v); /* RATE, DAYS, NUMBER columns */
void fnl_rtable_null(fnl_rtable *t);           /* an empty cell (undefined rate, no data) */

const char *fnl_rtable_title(const fnl_rtable *t);
size_t fnl_rtable_ncols(const fnl_rtable *t);
size_t fnl_rtable_nrows(const fnl_rtable *t);
const char *fnl_rtable_key(const fnl_rtable *t, size_t col);
const char *fnl_rtable_label(const fnl_rtable *t, size_t col, const char *lang);
enum fnl_col_type fnl_rtable_type(const fnl_rtable *t, size_t col);
/* A cell: *is_null, and its value as text (borrowed until the next call), as an integer, as a
 * real. Text of a cell as people read it: money "128000.50", rates "31.2%", days "4.5". */
const char *fnl_rtable_cell_text(const fnl_rtable *t, size_t row, size_t col, int *is_null);
int64_t fnl_rtable_cell_int(const fnl_rtable *t, size_t row, size_t col);
double fnl_rtable_cell_real(const fnl_rtable *t, size_t row, size_t col);

/* Write as CSV (RFC 4180, UTF-8 with a BOM so that Excel reads Chinese; headers in lang; money in
 * yuan with two decimals, rates as percentages with one decimal). */
int fnl_rtable_csv(const fnl_rtable *t, const char *lang, FILE *out);

/* ---- reports ---- */

/* What every report takes. */
struct fnl_report_opts {
	struct fnl_query q;
	int64_t now;
	const char *lang;     /* names in the document and the table */
};

/* A report: its JSON document (keys snake_case, rates as fractions, money in 分, times in days)
 * and its table. Both owned; free with fnl_report_free. */
struct fnl_report {
	json_t *doc;
	fnl_rtable *table;
};
void fnl_report_free(struct fnl_report *r);

/*
 * report funnel: the cohort funnel by group, stages in pipeline order:
 * {"groups": [{"key": "all" | value, "leads": N, "stages": [{"key": "acquire", "reached": N,
 * "lost": N, "open": N, "conversion": 0.31 | null (last stage)}, ...], "overall": f, "won_count": N,
 * "won_amount": N, "avg_deal": N | null, "cycle_days": {"count","mean","median","p90"}}, ...]}
 */
int fnl_report_funnel(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out);

/* report stages: time in stage k -> k+1 by group: count, mean, median, p90 in days. */
int fnl_report_stages(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out);

#endif
