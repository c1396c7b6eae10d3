/*
 * analytics/report_bottleneck.c - report bottleneck (SPEC §7): where the cohort of the period
 * converts below its reference, and what that costs. Per transition k -> k+1: the reference
 * conversion is the company's conversion target of the period when one is set, else the same cohort
 * funnel over the previous 3 periods; gap = reference - actual; expected wins lost = reached[k] x
 * max(gap, 0) x the reference win rate from k+1; revenue lost = that x the reference average deal.
 * The bottleneck is the transition with the largest revenue lost. docs/reports.md states the choices.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/report.h"
#include "analytics/target.h"
#include "store/store.h"

struct trans {
	int64_t n, conv;        /* reached[k], reached[k+1] in the period */
	double actual, lo, hi;  /* conversion and its Wilson 95 % interval */
	double ref;             /* reference conversion (NaN: none) */
	int from_target;
	double gap;             /* ref - actual (NaN when either is undefined) */
	int significant;
	double win_rate;        /* reference reached[last] / reached[k+1] */
	double wins_lost, revenue_lost;
	double p90, ref_p90;    /* days */
	int slow;
};

struct periods {
	int64_t from, to, rfrom, rto;
	int has_target_period;
	char target_period[8];
};

/* The period of the report and of its reference (docs/reports.md): without a period, the current
 * calendar month up to now; whole calendar months are compared with the 3 x as many months before;
 * any other period with the 3 periods of the same length before it. */
static int periods_of(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct periods *p)
{
	const fnl_tz *tz = s->tz;
	int64_t f = o->q.from, t = o->q.to;
	int month_so_far = 0;
	if (!f && !t) {
		f = fnl__month_start(tz, fnl__month_at(tz, o->now));
		t = o->now;
		month_so_far = 1;
	} else if (!t) {
		t = o->now;
	} else if (!f) {
		f = fnl__month_start(tz, fnl__month_at(tz, t - 1));
	}
	if (t <= f)
		return fnl__err(db, FNL_EINVAL, "from", "from: the period is empty (it starts at or after its end, or after now)");
	int mf = fnl__month_at(tz, f), mt = fnl__month_at(tz, t);
	if (month_so_far)
		p->rfrom = fnl__month_start(tz, mf - 3);
	else if (fnl__month_start(tz, mf) == f && fnl__month_start(tz, mt) == t)
		p->rfrom = fnl__month_start(tz, mf - 3 * (mt - mf));
	else
		p->rfrom = f - 3 * (t - f);
	p->from = f;
	p->to = t;
	p->rto = f;
	p->has_target_period = fnl__period_within(tz, f, t, p->target_period) == 0;
	return 0;
}

static double days(const struct fnl_duration_stats *d)
{
	return d->count ? (double)d->p90 / 86400.0 : NAN;
}

/* The transitions of one group; ref may be NULL (no lead in the reference period). Returns the
 * bottleneck (1 .. nstages-1) or 0. */
static int analyse(int ns, const struct fnl_funnel_group *cur, const struct fnl_funnel_group *ref, const double *target,
		   struct trans *tv)
{
	static const struct fnl_funnel_group none;
	if (!ref)
		ref = &none;
	double avg = ref->won_count ? (double)(ref->won_amount / ref->won_count) : NAN;
	int best = 0;
	for (int k = 1; k < ns; k++) {
		struct trans *x = &tv[k];
		memset(x, 0, sizeof *x);
		x->n = cur->reached[k];
		x->conv = cur->reached[k + 1];
		x->actual = fnl__rate(x->conv, x->n);
		fnl_wilson(x->conv, x->n, &x->lo, &x->hi);
		x->from_target = !isnan(target[k]);
		x->ref = x->from_target ? target[k] : fnl__rate(ref->reached[k + 1], ref->reached[k]);
		x->gap = x->ref - x->actual;
		/* gap > 0 too: fnl_wilson(n, n) gives an upper bound a rounding short of 1 */
		x->significant = x->n > 0 && x->gap > 0 && x->hi < x->ref;
		x->win_rate = fnl__rate(ref->reached[ns], ref->reached[k + 1]);
		double lost_share = isnan(x->gap) ? NAN : x->gap > 0 ? x->gap : 0.0;
		x->wins_lost = lost_share == 0.0 ? 0.0 : (double)x->n * lost_share * x->win_rate;
		x->revenue_lost = x->wins_lost == 0.0 ? 0.0 : x->wins_lost * avg;
		x->p90 = days(&cur->stage_time[k]);
		x->ref_p90 = days(&ref->stage_time[k]);
		x->slow = !isnan(x->p90) && !isnan(x->ref_p90) && x->p90 > x->ref_p90;
		if (!isnan(x->revenue_lost) && x->revenue_lost > 0 && (!best || x->revenue_lost > tv[best].revenue_lost))
			best = k;
	}
	return best;
}

static json_t *real_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

static json_t *money_or_null(double v)
{
	return isnan(v) ? json_null() : json_integer((json_int_t)llround(v));
}

static const char *tr(const char *lang, const char *zh, const char *en)
{
	return lang && strcmp(lang, "en") == 0 ? en : zh;
}

static json_t *trans_doc(const fnl_snapshot *s, int k, const struct trans *x)
{
	json_t *o = json_pack("{ss ss sI sI}", "from", fnl_snapshot_stage_key(s, k), "to", fnl_snapshot_stage_key(s, k + 1),
			      "reached", (json_int_t)x->n, "converted", (json_int_t)x->conv);
	json_object_set_new(o, "conversion", real_or_null(x->actual));
	json_object_set_new(o, "wilson", x->n ? json_pack("[ff]", x->lo, x->hi) : json_null());
	json_object_set_new(o, "reference", real_or_null(x->ref));
	json_object_set_new(o, "reference_source",
			    isnan(x->ref) ? json_null() : json_string(x->from_target ? "target" : "history"));
	json_object_set_new(o, "gap", real_or_null(x->gap));
	json_object_set_new(o, "significant", json_boolean(x->significant));
	json_object_set_new(o, "reference_win_rate", real_or_null(x->win_rate));
	json_object_set_new(o, "expected_wins_lost", real_or_null(x->wins_lost));
	json_object_set_new(o, "revenue_lost", money_or_null(x->revenue_lost));
	json_object_set_new(o, "p90_days", real_or_null(x->p90));
	json_object_set_new(o, "reference_p90_days", real_or_null(x->ref_p90));
	json_object_set_new(o, "slow", json_boolean(x->slow));
	return o;
}

static fnl_rtable *bottleneck_table(void)
{
	fnl_rtable *t = fnl_rtable_new("bottleneck");
	fnl_rtable_col(t, "group", "分组", "Group", FNL_COL_TEXT);
	fnl_rtable_col(t, "transition", "转化环节", "Transition", FNL_COL_TEXT);
	fnl_rtable_col(t, "reached", "到达", "Reached", FNL_COL_INT);
	fnl_rtable_col(t, "conversion", "转化率", "Conversion", FNL_COL_RATE);
	fnl_rtable_col(t, "reference", "参照", "Reference", FNL_COL_RATE);
	fnl_rtable_col(t, "source", "参照来源", "Source", FNL_COL_TEXT);
	fnl_rtable_col(t, "gap", "差距", "Gap", FNL_COL_RATE);
	fnl_rtable_col(t, "significant", "显著", "Significant", FNL_COL_TEXT);
	fnl_rtable_col(t, "expected_wins_lost", "预计少赢单数", "Expected wins lost", FNL_COL_NUMBER);
	fnl_rtable_col(t, "revenue_lost", "预计少收入", "Revenue lost", FNL_COL_MONEY);
	fnl_rtable_col(t, "p90_days", "停留P90(天)", "P90 (days)", FNL_COL_DAYS);
	fnl_rtable_col(t, "reference_p90_days", "参照P90(天)", "Reference P90 (days)", FNL_COL_DAYS);
	fnl_rtable_col(t, "note", "提示", "Note", FNL_COL_TEXT);
	return t;
}

/* The rows of one group, and its "transitions" and "bottleneck" into doc. */
static void group_out(struct fnl__names *nm, const fnl_snapshot *s, const char *name, const struct fnl_funnel_group *cur,
		      const struct fnl_funnel_group *ref, const double *target, json_t *doc, fnl_rtable *t)
{
	const int ns = fnl_snapshot_stages(s);
	struct trans tv[FNL_MAX_STAGES + 1];
	int b = analyse(ns, cur, ref, target, tv);
	json_t *arr = json_array();
	for (int k = 1; k < ns; k++) {
		const struct trans *x = &tv[k];
		json_array_append_new(arr, trans_doc(s, k, x));
		char label[2 * FNL_NAME_LEN + 8], note[96] = "";
		snprintf(label, sizeof label, "%s → %s", fnl_catalog_stage(nm->cat, fnl_snapshot_stage_key(s, k), nm->lang),
			 fnl_catalog_stage(nm->cat, fnl_snapshot_stage_key(s, k + 1), nm->lang));
		snprintf(note, sizeof note, "%s%s%s", k == b ? tr(nm->lang, "◀ 瓶颈", "◀ bottleneck") : "",
			 k == b && x->slow ? "; " : "", x->slow ? tr(nm->lang, "停留偏长", "slow") : "");
		fnl_rtable_text(t, name);
		fnl_rtable_text(t, label);
		fnl_rtable_int(t, x->n);
		fnl_rtable_real(t, x->actual);
		fnl_rtable_real(t, x->ref);
		fnl_rtable_text(t, isnan(x->ref) ? "" : x->from_target ? tr(nm->lang, "目标", "target") : tr(nm->lang, "历史", "history"));
		fnl_rtable_real(t, x->gap);
		fnl_rtable_text(t, x->significant ? tr(nm->lang, "是", "yes") : "");
		fnl_rtable_real(t, x->wins_lost);
		if (isnan(x->revenue_lost))
			fnl_rtable_null(t);
		else
			fnl_rtable_money(t, (int64_t)llround(x->revenue_lost));
		fnl_rtable_real(t, x->p90);
		fnl_rtable_real(t, x->ref_p90);
		fnl_rtable_text(t, note);
	}
	json_object_set_new(doc, "transitions", arr);
	json_object_set_new(doc, "reference_avg_deal",
			    ref && ref->won_count ? json_integer(ref->won_amount / ref->won_count) : json_null());
	if (!b) {
		json_object_set_new(doc, "bottleneck", json_null());
		return;
	}
	json_t *bn = json_pack("{ss ss}", "from", fnl_snapshot_stage_key(s, b), "to", fnl_snapshot_stage_key(s, b + 1));
	json_object_set_new(bn, "expected_wins_lost", json_real(tv[b].wins_lost));
	json_object_set_new(bn, "revenue_lost", money_or_null(tv[b].revenue_lost));
	json_object_set_new(bn, "gap", real_or_null(tv[b].gap));
	json_object_set_new(bn, "significant", json_boolean(tv[b].significant));
	json_object_set_new(bn, "slow", json_boolean(tv[b].slow));
	json_object_set_new(doc, "bottleneck", bn);
}

static const struct fnl_funnel_group *find_group(const struct fnl_funnel *f, int key)
{
	for (int i = 0; i < f->ngroups; i++)
		if (f->groups[i].key == key)
			return &f->groups[i];
	return NULL;
}

int fnl_report_bottleneck(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out)
{
	memset(out, 0, sizeof *out);
	int rc = fnl__enter_noctx(db);
	struct periods p;
	if (rc || (rc = periods_of(db, s, o, &p)))
		return rc;
	const int ns = fnl_snapshot_stages(s);
	double target[FNL_MAX_STAGES + 1];
	for (int k = 0; k <= FNL_MAX_STAGES; k++)
		target[k] = NAN;
	for (int k = 1; k < ns && p.has_target_period; k++) {
		int64_t v;
		int found;
		if ((rc = fnl__target_get(db, "conversion", fnl_snapshot_stage_key(s, k), "company", "", p.target_period, &v,
					  &found)))
			return rc;
		if (found)
			target[k] = (double)v / 10000.0;
	}
	/* [0]: the whole selection, [1]: by group (when asked); current and reference */
	struct fnl_funnel cur[2], ref[2];
	memset(cur, 0, sizeof cur);
	memset(ref, 0, sizeof ref);
	struct fnl_query q = o->q;
	int grouped = q.by != FNL_DIM_NONE;
	for (int g = 0; g <= grouped && !rc; g++) {
		q.by = g ? o->q.by : FNL_DIM_NONE;
		q.from = p.from;
		q.to = p.to;
		rc = fnl_engine_funnel(s, &q, 1, &cur[g]);
		q.from = p.rfrom;
		q.to = p.rto;
		if (!rc)
			rc = fnl_engine_funnel(s, &q, 1, &ref[g]);
	}
	struct fnl__names nm;
	memset(&nm, 0, sizeof nm);
	if (rc)
		rc = fnl__err(db, rc, NULL, "out of memory computing the funnel");
	else
		rc = fnl__names_open(db, o, &nm);
	if (rc) {
		for (int g = 0; g < 2; g++) {
			fnl_funnel_free(&cur[g]);
			fnl_funnel_free(&ref[g]);
		}
		return rc;
	}
	const fnl_tz *tz = s->tz;
	json_t *doc = json_object();
	json_object_set_new(doc, "period",
			    json_pack("{so so so}", "from", fnl_json_time(tz, p.from), "to", fnl_json_time(tz, p.to),
				      "target_period", p.has_target_period ? json_string(p.target_period) : json_null()));
	json_object_set_new(doc, "reference_period",
			    json_pack("{so so}", "from", fnl_json_time(tz, p.rfrom), "to", fnl_json_time(tz, p.rto)));
	static const struct fnl_funnel_group empty;
	const struct fnl_funnel_group *all = cur[0].ngroups ? &cur[0].groups[0] : &empty;
	const struct fnl_funnel_group *rall = ref[0].ngroups ? &ref[0].groups[0] : NULL;
	fnl_rtable *t = bottleneck_table();
	group_out(&nm, s, fnl__group_name(&nm, s, FNL_DIM_NONE, -1), all, rall, target, doc, t);
	if (grouped) {
		json_t *groups = json_array();
		for (int gi = 0; gi < cur[1].ngroups; gi++) {
			const struct fnl_funnel_group *G = &cur[1].groups[gi];
			const char *name = fnl__group_name(&nm, s, o->q.by, G->key);
			json_t *g = json_pack("{ss ss}", "key", fnl__group_key(s, o->q.by, G->key), "name", name);
			group_out(&nm, s, name, G, find_group(&ref[1], G->key), target, g, t);
			json_array_append_new(groups, g);
		}
		json_object_set_new(doc, "groups", groups);
	}
	out->doc = doc;
	out->table = t;
	fnl__names_close(&nm);
	for (int g = 0; g < 2; g++) {
		fnl_funnel_free(&cur[g]);
		fnl_funnel_free(&ref[g]);
	}
	return 0;
}
