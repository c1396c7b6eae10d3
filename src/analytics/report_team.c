/*
 * analytics/report_team.c - report team (SPEC §7, for the company): each rep's funnel and conversion
 * at every stage against the rest of the team (the other reps of the same selection), with a
 * two-proportion z-test, SLA compliance, activities, win rate, average deal, cycle time and the stage
 * to train on. docs/reports.md states the choices.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/report.h"
#include "analytics/target.h"
#include "store/store.h"

#define MIN_N 20       /* both samples at least this large for a flag */
#define ALPHA 0.05

/* One stage of a rep against the rest. */
struct cmp {
	int64_t n, k, rest_n, rest_k; /* reached[k] and reached[k+1]: the rep's and the rest's */
	double gap;                   /* rep conversion - rest conversion; NaN when either is undefined */
	double z, p;
	int flag;                     /* -1 significantly below, +1 above, 0 not flagged */
};

static void compare(const struct fnl_funnel_group *r, const int64_t *team_reached, int k, struct cmp *c)
{
	c->n = r->reached[k];
	c->k = r->reached[k + 1];
	c->rest_n = team_reached[k] - c->n;
	c->rest_k = team_reached[k + 1] - c->k;
	c->gap = c->n > 0 && c->rest_n > 0 ? fnl__rate(c->k, c->n) - fnl__rate(c->rest_k, c->rest_n) : NAN;
	fnl_ztest(c->k, c->n, c->rest_k, c->rest_n, &c->z, &c->p);
	c->flag = 0;
	if (c->p < ALPHA && c->n >= MIN_N && c->rest_n >= MIN_N)
		c->flag = c->gap < 0 ? -1 : c->gap > 0 ? 1 : 0;
}

/* The stage to train on: the largest significant negative gap, else the largest negative gap
 * (not significant); 0 when the rep is nowhere below the rest. */
static int train_stage(const struct cmp *c, int nstages, int *significant)
{
	int best = 0;
	*significant = 0;
	for (int pass = 0; pass < 2 && !best; pass++) {
		for (int k = 1; k < nstages; k++) {
			if (isnan(c[k].gap) || c[k].gap >= 0 || (pass == 0 && c[k].flag != -1))
				continue;
			if (!best || c[k].gap < c[best].gap)
				best = k;
		}
		*significant = best && pass == 0;
	}
	return best;
}

/* Activities by user in the period, on leads that pass the filters: per owner index. */
static int count_activities(fnl_db *db, const fnl_snapshot *s, const struct fnl_query *q, int64_t *acts)
{
	static const char sql[] = "SELECT lead_id, COALESCE(user_id, 0) FROM activity WHERE at >= ?1 AND at < ?2"
				  " AND kind <> 're_inquiry'";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, q->from);
	sqlite3_bind_int64(st, 2, q->to ? q->to : INT64_MAX);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!fnl__lead_passes(s, q, sqlite3_column_int64(st, 0), -1))
			continue;
		int o = fnl__owner_of_user(s, sqlite3_column_int64(st, 1));
		if (fnl__owner_passes(s, q, o))
			acts[o]++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : fnl__sqlerr(db, rc, "read activities");
}

static const char *tr(const char *lang, const char *zh, const char *en)
{
	return lang && strcmp(lang, "en") == 0 ? en : zh;
}

static fnl_rtable *team_table(void)
{
	fnl_rtable *t = fnl_rtable_new("team");
	fnl_rtable_col(t, "rep", "销售顾问", "Rep", FNL_COL_TEXT);
	fnl_rtable_col(t, "stage", "阶段", "Stage", FNL_COL_TEXT);
	fnl_rtable_col(t, "reached", "到达", "Reached", FNL_COL_INT);
	fnl_rtable_col(t, "conversion", "转化率", "Conversion", FNL_COL_RATE);
	fnl_rtable_col(t, "rest_conversion", "其他人转化率", "Rest of team", FNL_COL_RATE);
	fnl_rtable_col(t, "p", "p 值", "p", FNL_COL_NUMBER);
	fnl_rtable_col(t, "flag", "显著差异", "Flag", FNL_COL_TEXT);
	fnl_rtable_col(t, "win_rate", "赢单率", "Win rate", FNL_COL_RATE);
	fnl_rtable_col(t, "avg_deal", "平均客单", "Average deal", FNL_COL_MONEY);
	fnl_rtable_col(t, "cycle_median_days", "成交周期中位数(天)", "Cycle median (days)", FNL_COL_DAYS);
	fnl_rtable_col(t, "sla_compliance", "跟进及时率", "SLA compliance", FNL_COL_RATE);
	fnl_rtable_col(t, "activities", "活动数", "Activities", FNL_COL_INT);
	fnl_rtable_col(t, "train", "建议培训阶段", "Stage to train on", FNL_COL_TEXT);
	return t;
}

static const char *flag_text(int flag, const char *lang)
{
	return flag < 0 ? tr(lang, "▼ 显著偏低", "▼ below") : flag > 0 ? tr(lang, "▲ 显著偏高", "▲ above") : "";
}

static json_t *flag_json(int flag)
{
	return flag < 0 ? json_string("below") : flag > 0 ? json_string("above") : json_null();
}

static json_t *real_or_null(double v)
{
	return isnan(v) ? json_null() : json_real(v);
}

/* The document and the rows of one rep. */
static json_t *rep_doc(fnl_db *db, struct fnl__names *nm, const fnl_snapshot *s, const struct fnl_funnel_group *r,
		       const int64_t *team_reached, int64_t sla_due, int64_t sla_met, int64_t acts, fnl_rtable *t)
{
	const int ns = fnl_snapshot_stages(s);
	struct cmp c[FNL_MAX_STAGES + 1];
	memset(c, 0, sizeof c);
	for (int k = 1; k < ns; k++)
		compare(r, team_reached, k, &c[k]);
	int significant, train = train_stage(c, ns, &significant);
	const char *login = fnl_snapshot_name(s, FNL_DIM_OWNER, r->key);
	int64_t lost = 0;
	for (int k = 1; k <= ns; k++)
		lost += r->lost[k];
	double win_rate = fnl__rate(r->won_count, r->won_count + lost);
	double cycle = r->cycle.count ? (double)r->cycle.median / 86400.0 : NAN;
	double sla = fnl__rate(sla_met, sla_due);
	char train_text[FNL_NAME_LEN + 32] = "";
	if (train)
		snprintf(train_text, sizeof train_text, "%s%s",
			 fnl_catalog_stage(nm->cat, fnl_snapshot_stage_key(s, train), nm->lang),
			 significant ? "" : tr(nm->lang, "（不显著）", " (not significant)"));
	json_t *stages = json_array();
	for (int k = 1; k <= ns; k++) {
		const char *key = fnl_snapshot_stage_key(s, k);
		json_t *x = json_pack("{ss ss sI}", "key", key, "name", fnl_catalog_stage(nm->cat, key, nm->lang), "reached",
				      (json_int_t)r->reached[k]);
		if (k < ns) {
			json_object_set_new(x, "conversion", fnl__rate_json(c[k].k, c[k].n));
			json_object_set_new(x, "rest_reached", json_integer(c[k].rest_n));
			json_object_set_new(x, "rest_conversion", fnl__rate_json(c[k].rest_k, c[k].rest_n));
			json_object_set_new(x, "gap", real_or_null(c[k].gap));
			json_object_set_new(x, "z", json_real(c[k].z));
			json_object_set_new(x, "p", json_real(c[k].p));
			json_object_set_new(x, "flag", flag_json(c[k].flag));
		}
		json_array_append_new(stages, x);
		fnl_rtable_text(t, login);
		fnl_rtable_text(t, fnl_catalog_stage(nm->cat, key, nm->lang));
		fnl_rtable_int(t, r->reached[k]);
		if (k < ns) {
			fnl_rtable_real(t, fnl__rate(c[k].k, c[k].n));
			fnl_rtable_real(t, fnl__rate(c[k].rest_k, c[k].rest_n));
			fnl_rtable_real(t, c[k].n > 0 && c[k].rest_n > 0 ? c[k].p : NAN);
			fnl_rtable_text(t, flag_text(c[k].flag, nm->lang));
		} else {
			fnl_rtable_null(t);
			fnl_rtable_null(t);
			fnl_rtable_null(t);
			fnl_rtable_text(t, "");
		}
		if (k == 1) {
			fnl_rtable_real(t, win_rate);
			if (r->won_count)
				fnl_rtable_money(t, r->won_amount / r->won_count);
			else
				fnl_rtable_null(t);
			fnl_rtable_real(t, cycle);
			fnl_rtable_real(t, sla);
			fnl_rtable_int(t, acts);
			fnl_rtable_text(t, train_text);
		} else {
			for (int i = 0; i < 5; i++)
				fnl_rtable_null(t);
			fnl_rtable_text(t, "");
		}
	}
	struct fnl_user u;
	const char *name = fnl_user_get(db, login, &u) == 0 ? u.name : login;
	json_t *g = json_pack("{ss ss sI so}", "key", login, "name", name, "leads", (json_int_t)r->leads, "stages", stages);
	json_object_set_new(g, "won_count", json_integer(r->won_count));
	json_object_set_new(g, "lost_count", json_integer(lost));
	json_object_set_new(g, "win_rate", fnl__rate_json(r->won_count, r->won_count + lost));
	json_object_set_new(g, "won_amount", json_integer(r->won_amount));
	json_object_set_new(g, "avg_deal", r->won_count ? json_integer(r->won_amount / r->won_count) : json_null());
	json_object_set_new(g, "cycle_days", fnl__days_json(&r->cycle));
	json_object_set_new(g, "sla", json_pack("{sI sI so}", "due", (json_int_t)sla_due, "met", (json_int_t)sla_met,
						"compliance", fnl__rate_json(sla_met, sla_due)));
	json_object_set_new(g, "activities", json_integer(acts));
	json_object_set_new(g, "train", train ? json_pack("{ss sf sb}", "stage", fnl_snapshot_stage_key(s, train), "gap",
							  c[train].gap, "significant", significant)
					      : json_null());
	return g;
}

int fnl_report_team(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out)
{
	memset(out, 0, sizeof *out);
	int rc = fnl__enter_noctx(db);
	if (rc)
		return rc;
	if (o->q.by != FNL_DIM_NONE && o->q.by != FNL_DIM_OWNER)
		return fnl__err(db, FNL_EINVAL, "by", "by: report team is by rep; it takes no other group-by");
	struct fnl_query q = o->q;
	q.by = FNL_DIM_OWNER;
	struct fnl_funnel f;
	if ((rc = fnl_engine_funnel(s, &q, 1, &f)))
		return fnl__err(db, rc, NULL, "out of memory computing the funnel");
	int no = fnl_snapshot_values(s, FNL_DIM_OWNER);
	int64_t *due = calloc((size_t)no, sizeof *due), *met = calloc((size_t)no, sizeof *met),
		*acts = calloc((size_t)no, sizeof *acts);
	struct fnl__names nm;
	memset(&nm, 0, sizeof nm);
	if (!due || !met || !acts)
		rc = fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
	if (!rc)
		rc = fnl_sla_by_owner(db, s, &q, o->now, due, met);
	if (!rc)
		rc = count_activities(db, s, &q, acts);
	if (!rc)
		rc = fnl__names_open(db, o, &nm);
	if (rc) {
		free(due);
		free(met);
		free(acts);
		fnl_funnel_free(&f);
		return rc;
	}
	/* the team: every rep of the selection; leads without an owner are nobody's */
	int64_t team[FNL_MAX_STAGES + 2];
	memset(team, 0, sizeof team);
	for (int gi = 0; gi < f.ngroups; gi++)
		for (int k = 1; k <= f.nstages && f.groups[gi].key > 0; k++)
			team[k] += f.groups[gi].reached[k];
	json_t *reps = json_array();
	fnl_rtable *t = team_table();
	for (int gi = 0; gi < f.ngroups; gi++) {
		const struct fnl_funnel_group *r = &f.groups[gi];
		if (r->key <= 0)
			continue;
		json_array_append_new(reps, rep_doc(db, &nm, s, r, team, due[r->key], met[r->key], acts[r->key], t));
	}
	out->doc = json_pack("{so}", "reps", reps);
	out->table = t;
	fnl__names_close(&nm);
	free(due);
	free(met);
	free(acts);
	fnl_funnel_free(&f);
	return 0;
}
