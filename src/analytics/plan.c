/*
 * analytics/plan.c - planning from history and what-if (SPEC §6).
 *
 * A plan works backwards from a revenue target: the wins it takes at the historical average deal,
 * then, stage by stage, the leads that must reach each stage at the historical conversions. The
 * history is the cohort captured in the 12 calendar months before the period. Counts are whole
 * leads rounded up, computed exactly in integers: needed[k] = ceil(needed[k+1] * reached[k] /
 * reached[k+1]), which is ceil(needed[k+1] / conversion) without rounding the conversion.
 *
 * What-if raises one conversion by some points on the current funnel: the extra leads past the
 * stage win at the funnel's rate from the next stage on, at its average deal.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/report.h"
#include "analytics/target.h"
#include "core/internal.h"
#include "store/store.h"

#define HISTORY_MONTHS 12

/* ceil(a * b / c) for a, b >= 0, c > 0; -1 when it does not fit. */
static int64_t ceil_muldiv(int64_t a, int64_t b, int64_t c)
{
	if (b && a > INT64_MAX / b)
		return -1;
	int64_t p = a * b;
	return p / c + (p % c != 0);
}

int fnl_plan_make(fnl_db *db, const struct fnl_ctx *ctx, const fnl_snapshot *s, const char *period, int64_t revenue,
		  struct fnl_plan *out)
{
	memset(out, 0, sizeof *out);
	int rc = fnl__enter(db, ctx);
	if (rc || (rc = fnl__require_role(db, "see the company's history a plan is made from", "admin", "manager",
					  "marketing", NULL)))
		return rc;
	const fnl_tz *tz = s->tz;
	int64_t from, to;
	if ((rc = fnl_period_parse(tz, period, &from, &to, &db->err)))
		return rc;
	if (revenue <= 0)
		return fnl__err(db, FNL_EINVAL, "revenue", "revenue: the target must be more than 0");
	int m0 = fnl__month_at(tz, from);
	snprintf(out->period, sizeof out->period, "%s", period);
	out->revenue = revenue;
	out->hist_from = fnl__month_start(tz, m0 - HISTORY_MONTHS);
	out->hist_to = from;
	struct fnl_query q;
	fnl_query_init(&q);
	q.from = out->hist_from;
	q.to = out->hist_to;
	struct fnl_funnel f;
	if ((rc = fnl_engine_counts(s, &q, &f)))
		return fnl__err(db, rc, NULL, "out of memory computing the funnel");
	static const struct fnl_funnel_group none;
	const struct fnl_funnel_group *G = f.ngroups ? &f.groups[0] : &none;
	const int ns = fnl_snapshot_stages(s);
	out->nstages = ns;
	out->hist_leads = G->leads;
	out->hist_won = G->won_count;
	out->hist_won_amount = G->won_amount;
	for (int k = 1; k <= ns; k++) {
		snprintf(out->stage[k], FNL_KEY_LEN, "%s", fnl_snapshot_stage_key(s, k));
		out->hist_reached[k] = G->reached[k];
	}
	fnl_funnel_free(&f);
	char h0[8], h1[8];
	fnl__month_name(m0 - HISTORY_MONTHS, h0);
	fnl__month_name(m0 - 1, h1);
	out->avg_deal = out->hist_won ? out->hist_won_amount / out->hist_won : 0;
	if (out->avg_deal <= 0)
		return fnl__err(db, FNL_ESTATE, "period",
				"period: no won deal in the leads captured %s to %s (the 12 months before %s): no average deal to plan from",
				h0, h1, period);
	out->needed[ns] = ceil_muldiv(revenue, 1, out->avg_deal);
	for (int k = ns - 1; k >= 1; k--) {
		if (!out->hist_reached[k + 1])
			return fnl__err(db, FNL_ESTATE, "period",
					"period: no lead captured %s to %s reached '%s': no conversion to plan from", h0, h1,
					out->stage[k + 1]);
		out->needed[k] = ceil_muldiv(out->needed[k + 1], out->hist_reached[k], out->hist_reached[k + 1]);
		if (out->needed[k] < 0)
			return fnl__err(db, FNL_EINVAL, "revenue", "revenue: too large to plan");
	}
	return 0;
}

int fnl_plan_apply(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_plan *p)
{
	int rc = fnl__begin_write(db, ctx, "set targets", "admin", "manager", NULL);
	if (rc)
		return rc;
	for (int k = 1; k < p->nstages && !rc; k++)
		rc = fnl__target_put(db, ctx, "entries", p->stage[k], "company", "", p->period, p->needed[k], NULL);
	if (!rc)
		rc = fnl__target_put(db, ctx, "won_count", NULL, "company", "", p->period, p->needed[p->nstages], NULL);
	if (!rc)
		rc = fnl__target_put(db, ctx, "won_amount", NULL, "company", "", p->period, p->revenue, NULL);
	return fnl__tx_end(db, rc);
}

int fnl_report_plan(fnl_db *db, const struct fnl_plan *p, const char *lang, struct fnl_report *out)
{
	memset(out, 0, sizeof *out);
	struct fnl_report_opts o;
	memset(&o, 0, sizeof o);
	o.lang = lang;
	struct fnl__names nm;
	int rc = fnl__names_open(db, &o, &nm);
	if (rc)
		return rc;
	const fnl_tz *tz = fnl_db_tz(db);
	fnl_rtable *t = fnl_rtable_new("plan");
	fnl_rtable_col(t, "stage", "阶段", "Stage", FNL_COL_TEXT);
	fnl_rtable_col(t, "history_reached", "历史到达", "Reached (history)", FNL_COL_INT);
	fnl_rtable_col(t, "history_conversion", "历史转化率", "Conversion (history)", FNL_COL_RATE);
	fnl_rtable_col(t, "needed", "所需数量", "Needed", FNL_COL_INT);
	json_t *stages = json_array();
	for (int k = 1; k <= p->nstages; k++) {
		double conv = k < p->nstages ? fnl__rate(p->hist_reached[k + 1], p->hist_reached[k]) : NAN;
		json_t *x = json_pack("{ss ss sI}", "key", p->stage[k], "name", fnl_catalog_stage(nm.cat, p->stage[k], nm.lang),
				      "history_reached", (json_int_t)p->hist_reached[k]);
		json_object_set_new(x, "conversion", isnan(conv) ? json_null() : json_real(conv));
		json_object_set_new(x, "needed", json_integer(p->needed[k]));
		json_array_append_new(stages, x);
		fnl_rtable_text(t, fnl_catalog_stage(nm.cat, p->stage[k], nm.lang));
		fnl_rtable_int(t, p->hist_reached[k]);
		fnl_rtable_real(t, conv);
		fnl_rtable_int(t, p->needed[k]);
	}
	out->doc = json_pack("{ss sI s{so so sI sI sI} sI sI so}", "period", p->period, "revenue", (json_int_t)p->revenue,
			     "history", "from", fnl_json_time(tz, p->hist_from), "to", fnl_json_time(tz, p->hist_to), "leads",
			     (json_int_t)p->hist_leads, "won_count", (json_int_t)p->hist_won, "won_amount",
			     (json_int_t)p->hist_won_amount, "avg_deal", (json_int_t)p->avg_deal, "wins",
			     (json_int_t)p->needed[p->nstages], "stages", stages);
	out->table = t;
	fnl__names_close(&nm);
	return 0;
}

/* ---- what-if ---- */

int fnl_whatif(const fnl_snapshot *s, const struct fnl_query *q, int stage, double points, struct fnl_whatif *out)
{
	memset(out, 0, sizeof *out);
	const int ns = fnl_snapshot_stages(s);
	if (stage < 1 || stage >= ns || !(points > 0) || points > 100)
		return FNL_EINVAL;
	struct fnl_query one = *q;
	one.by = FNL_DIM_NONE;
	struct fnl_funnel f;
	int rc = fnl_engine_counts(s, &one, &f);
	if (rc)
		return rc;
	static const struct fnl_funnel_group none;
	const struct fnl_funnel_group *G = f.ngroups ? &f.groups[0] : &none;
	out->stage = stage;
	out->reached = G->reached[stage];
	out->next = G->reached[stage + 1];
	out->won = G->reached[ns];
	out->conversion = fnl__rate(out->next, out->reached);
	/* a conversion cannot pass 100 % */
	double room = isnan(out->conversion) ? 100.0 : 100.0 - 100.0 * out->conversion;
	out->points = points < room ? points : room;
	out->extra_wins = (double)out->reached * out->points / 100.0 * fnl__rate(out->won, out->next);
	out->avg_deal = G->won_count ? G->won_amount / G->won_count : 0;
	out->extra_revenue = G->won_count ? out->extra_wins * (double)out->avg_deal : NAN;
	fnl_funnel_free(&f);
	return 0;
}

/* Without a period: the 12 months up to now, from the same day a year before. */
static void default_period(const fnl_tz *tz, int64_t now, struct fnl_query *q)
{
	if (q->from)
		return;
	int64_t end = q->to ? q->to : now, y;
	unsigned m, d;
	fnl_civil_from_days(fnl_tz_local_date(tz, end), &y, &m, &d);
	y -= 1;
	if (d > fnl_days_in_month(y, m))
		d = fnl_days_in_month(y, m);
	q->from = fnl_tz_from_local(tz, fnl_days_from_civil(y, m, d) * FNL_DAY_SECONDS);
}

/* Rank: the larger extra revenue first, unknown last, then pipeline order. */
static int by_revenue(const void *a, const void *b)
{
	const struct fnl_whatif *x = a, *y = b;
	int ux = isnan(x->extra_revenue), uy = isnan(y->extra_revenue);
	if (ux != uy)
		return ux - uy;
	if (!ux && x->extra_revenue != y->extra_revenue)
		return x->extra_revenue < y->extra_revenue ? 1 : -1;
	return x->stage - y->stage;
}

int fnl_report_whatif(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, const char *stage,
		      double points, struct fnl_report *out)
{
	memset(out, 0, sizeof *out);
	int rc = fnl__enter_noctx(db);
	if (rc)
		return rc;
	const int ns = fnl_snapshot_stages(s);
	int only = 0;
	if (stage) {
		for (int k = 1; k <= ns; k++)
			if (strcmp(fnl_snapshot_stage_key(s, k), stage) == 0)
				only = k;
		if (!only)
			return fnl__err(db, FNL_EINVAL, "stage", "stage: no stage '%s' (see 'funnel stage list')", stage);
		if (only == ns)
			return fnl__err(db, FNL_EINVAL, "stage", "stage: '%s' is the last stage: there is no conversion to raise",
					stage);
	}
	if (!(points > 0) || points > 100)
		return fnl__err(db, FNL_EINVAL, "points", "points: %g is not more than 0 and at most 100", points);
	struct fnl_query q = o->q;
	default_period(s->tz, o->now, &q);
	struct fnl_whatif w[FNL_MAX_STAGES];
	int nw = 0;
	for (int k = only ? only : 1; k <= (only ? only : ns - 1) && !rc; k++)
		rc = fnl_whatif(s, &q, k, points, &w[nw++]);
	if (rc)
		return fnl__err(db, rc, NULL, "out of memory computing the funnel");
	qsort(w, (size_t)nw, sizeof w[0], by_revenue);
	struct fnl__names nm;
	if ((rc = fnl__names_open(db, o, &nm)))
		return rc;
	fnl_rtable *t = fnl_rtable_new("whatif");
	fnl_rtable_col(t, "rank", "排名", "Rank", FNL_COL_INT);
	fnl_rtable_col(t, "transition", "转化环节", "Transition", FNL_COL_TEXT);
	fnl_rtable_col(t, "reached", "到达", "Reached", FNL_COL_INT);
	fnl_rtable_col(t, "conversion", "当前转化率", "Conversion now", FNL_COL_RATE);
	fnl_rtable_col(t, "points", "提升(百分点)", "Raise (points)", FNL_COL_NUMBER);
	fnl_rtable_col(t, "extra_wins", "增加成交数", "Extra wins", FNL_COL_NUMBER);
	fnl_rtable_col(t, "extra_revenue", "增加收入", "Extra revenue", FNL_COL_MONEY);
	json_t *arr = json_array();
	for (int i = 0; i < nw; i++) {
		const struct fnl_whatif *x = &w[i];
		const char *from = fnl_snapshot_stage_key(s, x->stage), *to = fnl_snapshot_stage_key(s, x->stage + 1);
		json_t *j = json_pack("{sI ss ss sI sI sI}", "rank", (json_int_t)(i + 1), "key", from, "to", to, "reached",
				      (json_int_t)x->reached, "next", (json_int_t)x->next, "won", (json_int_t)x->won);
		json_object_set_new(j, "conversion", isnan(x->conversion) ? json_null() : json_real(x->conversion));
		json_object_set_new(j, "points", json_real(x->points));
		json_object_set_new(j, "extra_wins", isnan(x->extra_wins) ? json_null() : json_real(x->extra_wins));
		json_object_set_new(j, "extra_revenue",
				    isnan(x->extra_revenue) ? json_null() : json_integer((json_int_t)llround(x->extra_revenue)));
		json_array_append_new(arr, j);
		char label[2 * FNL_NAME_LEN + 8];
		snprintf(label, sizeof label, "%s → %s", fnl_catalog_stage(nm.cat, from, nm.lang),
			 fnl_catalog_stage(nm.cat, to, nm.lang));
		fnl_rtable_int(t, i + 1);
		fnl_rtable_text(t, label);
		fnl_rtable_int(t, x->reached);
		fnl_rtable_real(t, x->conversion);
		fnl_rtable_real(t, x->points);
		fnl_rtable_real(t, x->extra_wins);
		if (isnan(x->extra_revenue))
			fnl_rtable_null(t);
		else
			fnl_rtable_money(t, (int64_t)llround(x->extra_revenue));
	}
	const fnl_tz *tz = s->tz;
	json_t *doc = json_pack("{s{so so} sf so}", "period", "from", fnl_json_time(tz, q.from), "to",
				fnl_json_time(tz, q.to ? q.to : o->now), "points", points, "stages", arr);
	json_object_set_new(doc, "avg_deal", nw && w[0].avg_deal ? json_integer(w[0].avg_deal) : json_null());
	out->doc = doc;
	out->table = t;
	fnl__names_close(&nm);
	return 0;
}
