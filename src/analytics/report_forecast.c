/*
 * analytics/report_forecast.c - the forecast (SPEC §7): the open pipeline by expected close month,
 * weighted by the configured probability of each lead's current stage and by the empirical one.
 *
 * Empirical probability of stage k = won / closed among the leads that reached k and were closed
 * (won or lost) in the 365 days up to now. Amounts are summed per stage first and weighted once per
 * row, so a row's weighted amount is rounded once (to the nearest 分); a total is the sum of its rows.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/report.h"
#include "analytics/snapshot.h"
#include "store/store.h"

#define WINDOW (365 * INT64_C(86400))

struct cell {
	int64_t count, amount;
	int64_t by_stage[FNL_MAX_STAGES + 1]; /* expected amount by current stage */
};

struct probs {
	int pct[FNL_MAX_STAGES + 1];          /* configured, 0-100 */
	int64_t closed[FNL_MAX_STAGES + 1], won[FNL_MAX_STAGES + 1];
};

static int month_of(const fnl_snapshot *s, int64_t t)
{
	int64_t y;
	unsigned m;
	fnl_civil_from_days(fnl_tz_local_date(s->tz, t), &y, &m, NULL);
	return (int)((y - 1970) * 12 + (int64_t)m - 1);
}

static int load_probabilities(fnl_db *db, const fnl_snapshot *s, struct probs *p)
{
	static const char sql[] = "SELECT pos, probability FROM stage WHERE pipeline_id = ?";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, s->pipeline_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int pos = sqlite3_column_int(st, 0);
		if (pos >= 1 && pos <= s->nstages)
			p->pct[pos] = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : fnl__sqlerr(db, rc, "read stage probabilities");
}

/* Won and closed leads by reached stage, closed in [now - 365 days, now]. */
static void empirical(const fnl_snapshot *s, const struct fnl_query *lead_q, int64_t now, struct probs *p)
{
	int64_t lo = now - WINDOW;
	for (size_t i = 1; i < s->n; i++) {
		uint8_t st = s->status[i];
		if ((st != FNL_SNAP_WON && st != FNL_SNAP_LOST) || !fnl__matches(s, lead_q, i))
			continue;
		int64_t at = st == FNL_SNAP_WON ? s->entry[s->nstages][i] : s->lost_at[i];
		if (!at || at < lo || at > now)
			continue;
		for (int k = 1; k <= s->reached[i] && k <= s->nstages; k++) {
			p->closed[k]++;
			if (st == FNL_SNAP_WON)
				p->won[k]++;
		}
	}
}

/* The pipeline rows: open leads, selected by close month when q has a period. */
struct sel {
	int bounded;       /* q has a period: only close months in [lo, hi] */
	int lo, hi;
};

static inline int selected(const fnl_snapshot *s, const struct fnl_query *lead_q, const struct sel *m, size_t i)
{
	if (s->status[i] != FNL_SNAP_OPEN || !fnl__matches(s, lead_q, i))
		return 0;
	return !m->bounded || (s->close_month[i] && s->close_month[i] >= m->lo && s->close_month[i] <= m->hi);
}

static int64_t weighted(const struct cell *c, const struct probs *p, int n)
{
	int64_t sum = 0;
	for (int k = 1; k <= n; k++)
		sum += c->by_stage[k] * p->pct[k];
	return (sum + 50) / 100;
}

static int64_t weighted_empirical(const struct cell *c, const struct probs *p, int n)
{
	long double sum = 0;
	for (int k = 1; k <= n; k++)
		if (p->closed[k])
			sum += (long double)c->by_stage[k] * (long double)p->won[k] / (long double)p->closed[k];
	return (int64_t)floorl(sum + 0.5L);
}

struct row_figs {
	int64_t count, amount, w, we;
};

static void row_out(json_t *months, fnl_rtable *t, const char *group, const char *month_key, const char *month_name,
		    const struct row_figs *f)
{
	if (months) {
		json_t *x = json_pack("{sI sI sI sI}", "count", (json_int_t)f->count, "amount", (json_int_t)f->amount,
				      "weighted", (json_int_t)f->w, "weighted_empirical", (json_int_t)f->we);
		json_object_set_new(x, "month", month_key ? json_string(month_key) : json_null());
		json_array_append_new(months, x);
	}
	fnl_rtable_text(t, group);
	fnl_rtable_text(t, month_name);
	fnl_rtable_int(t, f->count);
	fnl_rtable_money(t, f->amount);
	fnl_rtable_money(t, f->w);
	fnl_rtable_money(t, f->we);
}

static json_t *stages_doc(struct fnl__names *nm, const fnl_snapshot *s, const struct probs *p, fnl_rtable *d)
{
	json_t *arr = json_array();
	for (int k = 1; k < s->nstages; k++) {
		const char *key = fnl_snapshot_stage_key(s, k), *name = fnl_catalog_stage(nm->cat, key, nm->lang);
		json_t *x = json_pack("{ss ss sf sI sI}", "key", key, "name", name, "probability", p->pct[k] / 100.0,
				      "closed", (json_int_t)p->closed[k], "won", (json_int_t)p->won[k]);
		json_object_set_new(x, "empirical", fnl__rate_json(p->won[k], p->closed[k]));
		json_array_append_new(arr, x);
		fnl_rtable_text(d, name);
		fnl_rtable_real(d, p->pct[k] / 100.0);
		fnl_rtable_int(d, p->closed[k]);
		fnl_rtable_int(d, p->won[k]);
		fnl_rtable_real(d, fnl__rate(p->won[k], p->closed[k]));
	}
	return arr;
}

static void columns(fnl_rtable *t, fnl_rtable *d)
{
	fnl_rtable_col(t, "group", "分组", "Group", FNL_COL_TEXT);
	fnl_rtable_col(t, "close_month", "预计成交月", "Close month", FNL_COL_TEXT);
	fnl_rtable_col(t, "count", "线索数", "Leads", FNL_COL_INT);
	fnl_rtable_col(t, "amount", "预计金额", "Expected amount", FNL_COL_MONEY);
	fnl_rtable_col(t, "weighted", "加权(设定概率)", "Weighted (configured)", FNL_COL_MONEY);
	fnl_rtable_col(t, "weighted_empirical", "加权(历史概率)", "Weighted (empirical)", FNL_COL_MONEY);
	fnl_rtable_col(d, "stage", "阶段", "Stage", FNL_COL_TEXT);
	fnl_rtable_col(d, "probability", "设定概率", "Configured", FNL_COL_RATE);
	fnl_rtable_col(d, "closed", "近12个月结案", "Closed (12 months)", FNL_COL_INT);
	fnl_rtable_col(d, "won", "其中成交", "Won", FNL_COL_INT);
	fnl_rtable_col(d, "empirical", "历史概率", "Empirical", FNL_COL_RATE);
}

/* Group g's rows: months with leads in order, then "no close month" (row nm-1), then the total. */
static json_t *group_doc(struct fnl__names *nm, const fnl_snapshot *s, const struct fnl_report_opts *o, int key,
			 const struct cell *rows, int nrows, int first_month, const struct probs *p, fnl_rtable *t)
{
	const char *name = fnl__group_name(nm, s, o->q.by, key);
	int en = nm->lang && strcmp(nm->lang, "en") == 0;
	json_t *months = json_array();
	struct row_figs tot = {0, 0, 0, 0};
	for (int r = 0; r < nrows; r++) {
		const struct cell *c = &rows[r];
		if (!c->count)
			continue;
		struct row_figs f = {c->count, c->amount, weighted(c, p, s->nstages), weighted_empirical(c, p, s->nstages)};
		char mk[8];
		int none = r == nrows - 1;
		if (!none)
			fnl__month_name(first_month + r, mk);
		row_out(months, t, name, none ? NULL : mk, none ? (en ? "no close month" : "未填预计成交月") : mk, &f);
		tot.count += f.count;
		tot.amount += f.amount;
		tot.w += f.w;
		tot.we += f.we;
	}
	row_out(NULL, t, name, NULL, en ? "total" : "合计", &tot);
	json_t *total = json_pack("{sI sI sI sI}", "count", (json_int_t)tot.count, "amount", (json_int_t)tot.amount,
				  "weighted", (json_int_t)tot.w, "weighted_empirical", (json_int_t)tot.we);
	return json_pack("{ss ss so so}", "key", fnl__group_key(s, o->q.by, key), "name", name, "months", months, "total",
			 total);
}

int fnl_report_forecast(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out)
{
	memset(out, 0, sizeof *out);
	struct fnl_query lead_q = o->q; /* the period selects close months, not captures */
	lead_q.from = lead_q.to = 0;
	struct sel m = {0, 0, 0};
	if (o->q.from || o->q.to) {
		m.bounded = 1;
		m.lo = o->q.from ? month_of(s, o->q.from) : 1;
		m.hi = o->q.to ? month_of(s, o->q.to - 1) : 65535;
	}
	struct probs p;
	memset(&p, 0, sizeof p);
	int rc = load_probabilities(db, s, &p);
	if (rc)
		return rc;
	empirical(s, &lead_q, o->now, &p);
	/* the close months present */
	int lo = 65536, hi = -1;
	for (size_t i = 1; i < s->n; i++)
		if (selected(s, &lead_q, &m, i) && s->close_month[i]) {
			if (s->close_month[i] < lo)
				lo = s->close_month[i];
			if (s->close_month[i] > hi)
				hi = s->close_month[i];
		}
	int nrows = (hi >= lo ? hi - lo + 1 : 0) + 1; /* the last row: no close month */
	int ng = o->q.by == FNL_DIM_NONE ? 1 : fnl_snapshot_values(s, o->q.by);
	if (ng < 1)
		ng = 1;
	struct cell *cells = calloc((size_t)ng * (size_t)nrows, sizeof *cells);
	int64_t *leads = calloc((size_t)ng, sizeof *leads);
	if (!cells || !leads) {
		free(cells);
		free(leads);
		return FNL_ENOMEM;
	}
	for (size_t i = 1; i < s->n; i++) {
		if (!selected(s, &lead_q, &m, i))
			continue;
		int gi = fnl__group_of(s, o->q.by, i);
		int r = s->close_month[i] ? s->close_month[i] - lo : nrows - 1;
		struct cell *c = &cells[(size_t)gi * (size_t)nrows + (size_t)r];
		c->count++;
		c->amount += s->amount[i];
		c->by_stage[s->stage[i]] += s->amount[i];
		leads[gi]++;
	}
	struct fnl__names nm;
	if ((rc = fnl__names_open(db, o, &nm))) {
		free(cells);
		free(leads);
		return rc;
	}
	int en = nm.lang && strcmp(nm.lang, "en") == 0;
	fnl_rtable *t = fnl_rtable_new("forecast");
	fnl_rtable *d = fnl_rtable_new(en ? "Stage probabilities" : "阶段成交概率");
	columns(t, d);
	json_t *groups = json_array();
	for (int gi = 0; gi < ng; gi++) {
		if (o->q.by != FNL_DIM_NONE && !leads[gi])
			continue;
		json_array_append_new(groups, group_doc(&nm, s, o, o->q.by == FNL_DIM_NONE ? -1 : gi,
							&cells[(size_t)gi * (size_t)nrows], nrows, lo, &p, t));
	}
	char wf[32], wt[32];
	fnl_time_format(s->tz, o->now - WINDOW, wf, sizeof wf);
	fnl_time_format(s->tz, o->now, wt, sizeof wt);
	out->doc = json_pack("{s{ss ss} so so}", "window", "from", wf, "to", wt, "stages", stages_doc(&nm, s, &p, d),
			     "groups", groups);
	out->table = t;
	out->detail = d;
	fnl__names_close(&nm);
	free(cells);
	free(leads);
	return 0;
}
