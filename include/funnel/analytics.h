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
 * reassignment, edit): re-reads that lead and its stage events, and the users and channels (new
 * owners and channels join the dictionaries; a user's change of team applies to all their leads).
 * A merge touches two leads: refresh the merged record and the lead it went into. */
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

/*
 * Narrow q to what the actor of ctx may see of report (a report's name: "funnel", "channels", ...)
 * (SPEC §8): admins see everything; a manager with a team the leads of that team (the team filter
 * is set; another team is FNL_EPERM); a sales consultant their own leads (the owner filter); the
 * marketing department the funnel, stages, flow and channels reports of the company; after-sales
 * no funnel report (FNL_EPERM).
 */
int fnl_report_scope(fnl_db *db, const struct fnl_ctx *ctx, const fnl_snapshot *s, const char *report,
		     struct fnl_query *q);

/* ---- report tables: what terminals, CSV and spreadsheets show ---- */

enum fnl_col_type {
	FNL_COL_TEXT,
	FNL_COL_INT,
	FNL_COL_MONEY,   /* 分 */
	FNL_COL_RATE,    /* a fraction, shown as a percentage */
	FNL_COL_DAYS,    /* a number of days */
	FNL_COL_NUMBER,  /* any other real number */
	FNL_COL_ID       /* an identifier (a lead's number): whole, without thousands separators */
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
 * and its table, and for some reports a second table of detail (report flow: losses by reason;
 * report sla: the overdue list), else NULL. All owned; free with fnl_report_free. */
struct fnl_report {
	json_t *doc;
	fnl_rtable *table;
	fnl_rtable *detail;
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

/*
 * report flow: what happened in the period (q's [from, to) applies to the time of each event, not to
 * the capture; the other filters to the lead): first entries into each stage, wins (entries into the
 * last stage, with the won amount) and losses by stage and by reason:
 * {"groups": [{"key", "name", "stages": [{"key", "name", "entries", "lost"}, ...], "won_count",
 * "won_amount", "lost_count", "lost_reasons": [{"key", "name", "lost"}, ...]}, ...]}.
 * The detail table lists the losses by reason.
 */
int fnl_report_flow(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out);

/*
 * report channels (for marketing): per channel, the leads captured in the period (valid, invalid and
 * merged duplicates), invalid and duplicate rates, grade mix, conversion at every stage, wins,
 * revenue, spend (channel_spend, a month counted pro rata to its days in the period), cost per lead,
 * per valid lead and per deal, ROI: {"spend_applies": bool, "groups": [{"key", "name", "leads",
 * "invalid", "invalid_rate", "duplicates", "duplicate_rate", "valid", "grades": {"a", "b", "c",
 * "none"}, "stages": [{"key", "name", "reached", "conversion"}, ...], "won_count", "won_amount",
 * "spend", "cost_per_lead", "cost_per_valid_lead", "cost_per_deal", "roi"}, ...], "total": {...}}.
 * Spend cannot be split by owner, team, grade, industry or region: with one of those filters,
 * spend_applies is false and the spend figures are null. q.by must be none or channel (FNL_EINVAL,
 * field "by").
 */
int fnl_report_channels(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out);

/*
 * report forecast: the open pipeline (status open, not nurture) by expected close month (rows for
 * months with leads, then "no close month"): count, expected amount, weighted by the configured
 * stage probability, and weighted by the empirical probability of the lead's current stage k = won /
 * closed among the leads that reached k and were won or lost in the 365 days up to o->now.
 * q's period selects close months (the months that overlap it; no "no close month" row then):
 * {"window": {"from", "to"}, "stages": [{"key", "name", "probability", "closed", "won",
 * "empirical"}, ...], "groups": [{"key", "name", "months": [{"month": "2026-12" | null, "count",
 * "amount", "weighted", "weighted_empirical"}, ...], "total": {...}}, ...]}.
 */
int fnl_report_forecast(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out);

/*
 * report sla: the follow-up deadlines (task kind followup) due in the period (q's [from, to) applies
 * to the due time, which must also be at or before o->now), per group (owner and team: of the
 * deadline's owner; grade: the grade that set the deadline; month: the due month): due, met on time,
 * met late, breached (not met: still open, or cancelled after the due time), compliance = on time /
 * due; and the open deadlines overdue at o->now (the period does not apply to them):
 * {"groups": [{"key", "name", "due", "met_on_time", "met_late", "breached", "overdue_open",
 * "compliance"}, ...], "overdue": [{"lead_id", "company", "owner", "grade", "due_at",
 * "overdue_hours"}, ...]}. The detail table is the overdue list.
 */
int fnl_report_sla(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out);

/*
 * report scoring: over the leads captured in the period that are closed (won or lost), the win rate
 * by grade and by each value 1-5 of the B, N, D and U scores (the latest scoring), with the Wilson
 * 95 % interval: {"groups": [{"key", "name", "closed", "won", "grades": [{"key": "A" | "B" | "C" |
 * "", "closed", "won", "win_rate", "ci_low", "ci_high"}, ...], "scores": {"budget": [{"value": 1,
 * "closed", "won", "win_rate", "ci_low", "ci_high"}, ...], "need", "decision", "urgency"}}, ...]}.
 */
int fnl_report_scoring(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out);

/* ---- marketing spend per channel and month (SPEC §3, for report channels) ---- */

struct fnl_channel_spend {
	char channel[FNL_KEY_LEN];
	char month[8];             /* YYYY-MM */
	int64_t amount;            /* 分 */
	int64_t updated_at;
	char user[FNL_KEY_LEN];    /* who set it ("" for the system) */
};

/* Set the spend of channel key in month ("YYYY-MM") to amount (分, >= 0), replacing what was
 * recorded for that month; audited. Admin or marketing. out may be NULL. Errors: FNL_EINVAL naming
 * the field (channel, month, amount), FNL_EPERM. */
int fnl_channel_spend_set(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *month,
			  int64_t amount, struct fnl_channel_spend *out);

/* The spend recorded for channel key (NULL: every channel), by channel and month. Free with free().
 * Admins, marketing and managers without a team (who see it in report channels). FNL_EINVAL (field
 * "channel") for an unknown channel, FNL_EPERM. */
int fnl_channel_spend_list(fnl_db *db, const struct fnl_ctx *ctx, const char *key, struct fnl_channel_spend **out,
			   size_t *n);

/* ---- follow-up deadlines (SPEC §4), shared by the reports that show SLA compliance ---- */

/*
 * The follow-up deadlines (task kind 'followup') due in q's period [from, to) (0: unbounded) and by
 * now, of the valid leads that pass q's filters other than the period (owner, team and grade filters
 * apply to the deadline's own owner and grade), counted by that owner as a snapshot owner index into
 * due[] and met[] (arrays of fnl_snapshot_values(s, FNL_DIM_OWNER), zeroed here), classified as
 * report sla does: met on time (done at or before the due time), met late, or breached (not done:
 * still open after its due time, or cancelled after it); due counts all three, met the first. One
 * cancelled at or before its due time never became due and is not counted.
 */
int fnl_sla_by_owner(fnl_db *db, const fnl_snapshot *s, const struct fnl_query *q, int64_t now, int64_t *due,
		     int64_t *met);

/*
 * report team: per rep (the owner of the leads) of the selection, the funnel, the conversion at each
 * stage against the rest of the team (the other reps of the same selection) with a two-proportion
 * z-test, SLA compliance, activities, win rate, average deal, cycle time and the stage to train on:
 * {"reps": [{"key": login, "name", "leads", "stages": [{"key", "reached", "conversion", "rest_reached",
 * "rest_conversion", "gap", "z", "p", "flag": "above" | "below" | null}, ...], "won_count", "lost_count",
 * "win_rate", "won_amount", "avg_deal", "cycle_days", "sla": {"due", "met", "compliance"}, "activities",
 * "train": {"stage", "gap", "significant"} | null}, ...]}. --by other than owner is FNL_EINVAL ("by").
 */
int fnl_report_team(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out);

/*
 * report bottleneck: per transition k -> k+1 of the cohort of the period, the reference conversion (the
 * company's conversion target for the period, else the same cohort funnel over the previous 3 periods),
 * the gap, the expected wins and the revenue lost, the Wilson interval and significance, and time in
 * stage against the reference: {"period": {"from", "to", "target_period"}, "reference_period": {"from",
 * "to"}, "transitions": [...], "bottleneck": {"from", "to", "revenue_lost", ...} | null} and, with --by,
 * "groups": [{"key", "name", "transitions", "bottleneck"}]. The period: q's, or without one the current
 * calendar month up to now (docs/reports.md).
 */
int fnl_report_bottleneck(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out);

/* ---- targets and planning (SPEC §6) ---- */

/* A period of targets and plans: a month "2026-11", a quarter "2026-Q4" or a year "2026". Parse into
 * the instants [*from, *to) in zone tz; FNL_EINVAL (field "period") for anything else. */
int fnl_period_parse(const fnl_tz *tz, const char *text, int64_t *from, int64_t *to, struct fnl_error *err);

/* A target (SPEC §6). value: a count (entries, won_count), 分 (won_amount) or hundredths of a percent
 * (conversion, sla_compliance: 3000 = 30 %). */
struct fnl_target {
	int64_t id;
	char metric[16];           /* entries, conversion, won_count, won_amount, sla_compliance */
	char stage[FNL_KEY_LEN];   /* entries, conversion: the stage; won_*: the last stage; sla: "" */
	char scope_kind[8];        /* company, team, user */
	char scope[FNL_NAME_LEN];  /* the team's name or the user's login; "" for the company */
	char period[8];            /* 2026-11, 2026-Q4, 2026 */
	int64_t value;
	int64_t created_at, updated_at;
	char user[FNL_KEY_LEN];    /* who set it last ("" for the system) */
};

/*
 * Set a target (a new one, or the value of the one with the same metric, stage, scope and period),
 * audited. Admins set any; managers the company's, their team's and their team's users' (a manager
 * without a team: any). stage: required for entries and conversion (not the last stage for
 * conversion); for won_count and won_amount empty or the last stage; for sla_compliance empty.
 * scope_kind company (scope empty), team (an existing team) or user (an existing login). Rates at
 * most 10000. out may be NULL. Errors: FNL_EINVAL naming the field, FNL_EPERM.
 */
int fnl_target_set(fnl_db *db, const struct fnl_ctx *ctx, const char *metric, const char *stage,
		   const char *scope_kind, const char *scope, const char *period, int64_t value,
		   struct fnl_target *out);

/* The targets of a period (NULL: all), by period, scope, metric and stage position. Free with free(). */
int fnl_target_list(fnl_db *db, const char *period, struct fnl_target **out, size_t *n);

/* Parse a target's value as people write it, by metric: a whole number (entries, won_count), yuan
 * with at most 2 decimals (won_amount), a percentage like 30 or 30.5 (conversion, sla_compliance),
 * into stored units. FNL_EINVAL naming "metric" or "value". */
int fnl_target_value_parse(const char *metric, const char *text, int64_t *value, struct fnl_error *err);

/* A target as JSON: {"id", "metric", "stage", "scope_kind", "scope", "period", "value" (a count, 分,
 * or a rate as a fraction), "set_by", "updated_at"}. New reference. */
json_t *fnl_target_json(const fnl_tz *tz, const struct fnl_target *t);

/*
 * report targets: each target of the period against the actual figure, attainment and pace:
 * {"period", "elapsed", "targets": [{"metric", "stage", "scope_kind", "scope", "target", "actual",
 * "attainment", "expected", "on_track"}, ...]}. The period is q's [from, to) when it is exactly a month,
 * a quarter or a year (else FNL_EINVAL, field "period"), or with no period the month of o->now.
 * Filters and --by are not used (a target's scope is its filter).
 */
int fnl_report_targets(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out);

/* A plan from history: the wins and the entries each stage needs for a revenue target. */
struct fnl_plan {
	char period[8];
	int64_t revenue;                       /* 分 */
	int64_t hist_from, hist_to;            /* the history: the 12 months before the period */
	int64_t hist_leads, hist_won, hist_won_amount;
	int64_t avg_deal;                      /* 分, hist_won_amount / hist_won rounded down */
	int nstages;
	char stage[FNL_MAX_STAGES + 1][FNL_KEY_LEN];
	int64_t hist_reached[FNL_MAX_STAGES + 1];
	int64_t needed[FNL_MAX_STAGES + 1];   /* [nstages] = the wins needed */
};

/*
 * Plan the period (a month, quarter or year) for revenue (分): from the cohort captured in the 12
 * calendar months before the period, the average deal and the conversions; wins = ceil(revenue /
 * average deal), needed[k] = ceil(needed[k+1] / conversion k -> k+1). The history is the company's
 * funnel (SPEC §8): admins, managers (who set targets) and marketing; FNL_EPERM ("as") for sales and
 * after-sales. Errors: FNL_EINVAL ("period", "revenue"), FNL_ESTATE (field "period": no wins, or a
 * stage nobody passed, in the history).
 */
int fnl_plan_make(fnl_db *db, const struct fnl_ctx *ctx, const fnl_snapshot *s, const char *period, int64_t revenue,
		  struct fnl_plan *out);

/* Store a plan as company targets of its period (entries of every stage but the last, won_count,
 * won_amount), in one transaction, each audited; managers and admins. */
int fnl_plan_apply(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_plan *p);

/* A plan as a document and a table: {"period", "revenue", "history": {...}, "avg_deal", "wins",
 * "stages": [{"key", "conversion", "needed"}, ...]}. */
int fnl_report_plan(fnl_db *db, const struct fnl_plan *p, const char *lang, struct fnl_report *out);

/* What-if (SPEC §6): raising the conversion k -> k+1 of the funnel of q by points (percentage points). */
struct fnl_whatif {
	int stage;                 /* k, 1 .. nstages - 1 */
	int64_t reached, next, won; /* reached[k], reached[k+1], reached[last] */
	double conversion;         /* reached[k+1] / reached[k] (NaN when reached[k] is 0) */
	double points;             /* the raise applied: points, capped so the conversion stays <= 100 % */
	double extra_wins;         /* reached[k] * points / 100 * won / next (NaN when next is 0) */
	int64_t avg_deal;          /* 分: won amount / won count of the funnel (0 when no wins) */
	double extra_revenue;      /* 分: extra_wins * avg_deal (NaN when either is unknown) */
};

/* One stage: FNL_EINVAL when stage is not 1 .. nstages - 1. */
int fnl_whatif(const fnl_snapshot *s, const struct fnl_query *q, int stage, double points, struct fnl_whatif *out);

/*
 * report whatif: stage (a key) raised by points, or with stage NULL every stage raised by points (the
 * CLI's default: one), ranked by the extra revenue: {"period": {"from", "to"}, "points", "avg_deal",
 * "stages": [{"rank", "key", "to", "reached", "next", "won", "conversion", "points", "extra_wins",
 * "extra_revenue"}, ...]}. Without a period: the 12 months up to now. Errors: FNL_EINVAL ("stage":
 * unknown or the last; "points": not in (0, 100]).
 */
int fnl_report_whatif(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, const char *stage,
		      double points, struct fnl_report *out);

#endif
