/* analytics/report_funnel.c - the cohort funnel and time in stage (SPEC §7) as documents and tables. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/report.h"

void fnl_report_free(struct fnl_report *r)
{
	if (!r)
		return;
	json_decref(r->doc);
	fnl_rtable_free(r->table);
	fnl_rtable_free(r->detail);
	r->doc = NULL;
	r->table = NULL;
	r->detail = NULL;
}

json_t *fnl__rate_json(int64_t num, int64_t den)
{
	return den > 0 ? json_real((double)num / (double)den) : json_null();
}

double fnl__rate(int64_t num, int64_t den)
{
	return den > 0 ? (double)num / (double)den : NAN;
}

json_t *fnl__days_json(const struct fnl_duration_stats *d)
{
	if (!d->count)
		return json_pack("{sI sn sn sn}", "count", (json_int_t)0, "mean", "median", "p90");
	return json_pack("{sI sf sf sf}", "count", (json_int_t)d->count, "mean",
			 (double)d->sum / (double)d->count / 86400.0, "median", (double)d->median / 86400.0, "p90",
			 (double)d->p90 / 86400.0);
}

const char *fnl__group_name(struct fnl__names *nm, const fnl_snapshot *s, enum fnl_dim by, int key)
{
	if (by == FNL_DIM_NONE)
		return nm->lang && strcmp(nm->lang, "en") == 0 ? "all" : "全部";
	const char *k = fnl_snapshot_name(s, by, key);
	if (by == FNL_DIM_CHANNEL)
		return fnl_catalog_channel(nm->cat, k, nm->lang);
	if (!*k)
		return nm->lang && strcmp(nm->lang, "en") == 0 ? "(none)" : "（无）";
	return k;
}

const char *fnl__group_key(const fnl_snapshot *s, enum fnl_dim by, int key)
{
	return by == FNL_DIM_NONE ? "all" : fnl_snapshot_name(s, by, key);
}

int fnl__names_open(fnl_db *db, const struct fnl_report_opts *o, struct fnl__names *nm)
{
	memset(nm, 0, sizeof *nm);
	nm->lang = o->lang ? o->lang : fnl_db_lang(db);
	return fnl_catalog_load(db, &nm->cat);
}

void fnl__names_close(struct fnl__names *nm)
{
	fnl_catalog_free(nm->cat);
	nm->cat = NULL;
}

static json_t *stage_doc(struct fnl__names *nm, const fnl_snapshot *s, const struct fnl_funnel_group *G, int k)
{
	const char *key = fnl_snapshot_stage_key(s, k);
	json_t *st = json_pack("{ss ss sI sI sI}", "key", key, "name", fnl_catalog_stage(nm->cat, key, nm->lang),
			       "reached", (json_int_t)G->reached[k], "lost", (json_int_t)G->lost[k], "open",
			       (json_int_t)G->open[k]);
	json_object_set_new(st, "conversion",
			    k < fnl_snapshot_stages(s) ? fnl__rate_json(G->reached[k + 1], G->reached[k]) : json_null());
	return st;
}

int fnl_report_funnel(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out)
{
	memset(out, 0, sizeof *out);
	struct fnl_funnel f;
	int rc = fnl_engine_funnel(s, &o->q, 1, &f);
	if (rc)
		return rc;
	struct fnl__names nm;
	if ((rc = fnl__names_open(db, o, &nm))) {
		fnl_funnel_free(&f);
		return rc;
	}
	json_t *groups = json_array();
	fnl_rtable *t = fnl_rtable_new("funnel");
	fnl_rtable_col(t, "group", "分组", "Group", FNL_COL_TEXT);
	fnl_rtable_col(t, "stage", "阶段", "Stage", FNL_COL_TEXT);
	fnl_rtable_col(t, "reached", "到达", "Reached", FNL_COL_INT);
	fnl_rtable_col(t, "conversion", "转化率", "Conversion", FNL_COL_RATE);
	fnl_rtable_col(t, "of_first", "累计转化", "Of first", FNL_COL_RATE);
	fnl_rtable_col(t, "lost", "流失", "Lost", FNL_COL_INT);
	fnl_rtable_col(t, "open", "在途", "Open", FNL_COL_INT);
	fnl_rtable_col(t, "won_amount", "成交金额", "Won amount", FNL_COL_MONEY);
	fnl_rtable_col(t, "avg_deal", "平均客单", "Average deal", FNL_COL_MONEY);
	fnl_rtable_col(t, "cycle_median_days", "成交周期中位数(天)", "Cycle median (days)", FNL_COL_DAYS);
	for (int gi = 0; gi < f.ngroups; gi++) {
		const struct fnl_funnel_group *G = &f.groups[gi];
		const char *name = fnl__group_name(&nm, s, o->q.by, G->key);
		json_t *stages = json_array();
		for (int k = 1; k <= fnl_snapshot_stages(s); k++) {
			json_array_append_new(stages, stage_doc(&nm, s, G, k));
			fnl_rtable_text(t, name);
			fnl_rtable_text(t, fnl_catalog_stage(nm.cat, fnl_snapshot_stage_key(s, k), nm.lang));
			fnl_rtable_int(t, G->reached[k]);
			fnl_rtable_real(t, k < fnl_snapshot_stages(s) ? fnl__rate(G->reached[k + 1], G->reached[k]) : NAN);
			fnl_rtable_real(t, fnl__rate(G->reached[k], G->reached[1]));
			fnl_rtable_int(t, G->lost[k]);
			fnl_rtable_int(t, G->open[k]);
			if (k == fnl_snapshot_stages(s)) {
				fnl_rtable_money(t, G->won_amount);
				if (G->won_count)
					fnl_rtable_money(t, G->won_amount / G->won_count);
				else
					fnl_rtable_null(t);
				fnl_rtable_real(t, G->cycle.count ? (double)G->cycle.median / 86400.0 : NAN);
			} else {
				fnl_rtable_null(t);
				fnl_rtable_null(t);
				fnl_rtable_null(t);
			}
		}
		json_t *g = json_pack("{ss ss sI so}", "key", fnl__group_key(s, o->q.by, G->key), "name", name, "leads",
				      (json_int_t)G->leads, "stages", stages);
		json_object_set_new(g, "overall", fnl__rate_json(G->reached[fnl_snapshot_stages(s)], G->reached[1]));
		json_object_set_new(g, "won_count", json_integer(G->won_count));
		json_object_set_new(g, "won_amount", json_integer(G->won_amount));
		json_object_set_new(g, "avg_deal", G->won_count ? json_integer(G->won_amount / G->won_count) : json_null());
		json_object_set_new(g, "cycle_days", fnl__days_json(&G->cycle));
		json_array_append_new(groups, g);
	}
	out->doc = json_pack("{so}", "groups", groups);
	out->table = t;
	fnl__names_close(&nm);
	fnl_funnel_free(&f);
	return 0;
}

int fnl_report_stages(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out)
{
	memset(out, 0, sizeof *out);
	struct fnl_funnel f;
	int rc = fnl_engine_funnel(s, &o->q, 1, &f);
	if (rc)
		return rc;
	struct fnl__names nm;
	if ((rc = fnl__names_open(db, o, &nm))) {
		fnl_funnel_free(&f);
		return rc;
	}
	json_t *groups = json_array();
	fnl_rtable *t = fnl_rtable_new("stages");
	fnl_rtable_col(t, "group", "分组", "Group", FNL_COL_TEXT);
	fnl_rtable_col(t, "from", "从", "From", FNL_COL_TEXT);
	fnl_rtable_col(t, "to", "到", "To", FNL_COL_TEXT);
	fnl_rtable_col(t, "count", "线索数", "Leads", FNL_COL_INT);
	fnl_rtable_col(t, "mean_days", "平均(天)", "Mean (days)", FNL_COL_DAYS);
	fnl_rtable_col(t, "median_days", "中位数(天)", "Median (days)", FNL_COL_DAYS);
	fnl_rtable_col(t, "p90_days", "P90(天)", "P90 (days)", FNL_COL_DAYS);
	for (int gi = 0; gi < f.ngroups; gi++) {
		const struct fnl_funnel_group *G = &f.groups[gi];
		const char *name = fnl__group_name(&nm, s, o->q.by, G->key);
		json_t *tr = json_array();
		for (int k = 1; k < fnl_snapshot_stages(s); k++) {
			const char *from = fnl_snapshot_stage_key(s, k), *to = fnl_snapshot_stage_key(s, k + 1);
			const struct fnl_duration_stats *d = &G->stage_time[k];
			json_t *x = fnl__days_json(d);
			json_object_set_new(x, "from", json_string(from));
			json_object_set_new(x, "to", json_string(to));
			json_array_append_new(tr, x);
			fnl_rtable_text(t, name);
			fnl_rtable_text(t, fnl_catalog_stage(nm.cat, from, nm.lang));
			fnl_rtable_text(t, fnl_catalog_stage(nm.cat, to, nm.lang));
			fnl_rtable_int(t, d->count);
			fnl_rtable_real(t, d->count ? (double)d->sum / (double)d->count / 86400.0 : NAN);
			fnl_rtable_real(t, d->count ? (double)d->median / 86400.0 : NAN);
			fnl_rtable_real(t, d->count ? (double)d->p90 / 86400.0 : NAN);
		}
		json_array_append_new(groups, json_pack("{ss ss so so}", "key", fnl__group_key(s, o->q.by, G->key), "name",
							name, "transitions", tr, "cycle_days", fnl__days_json(&G->cycle)));
	}
	out->doc = json_pack("{so}", "groups", groups);
	out->table = t;
	fnl__names_close(&nm);
	fnl_funnel_free(&f);
	return 0;
}
