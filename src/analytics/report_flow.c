/*
 * analytics/report_flow.c - the flow of the period (SPEC §7): first entries into each stage, wins and
 * losses (by stage and by reason) that happened in the period, whenever the lead was captured.
 *
 * One scan over the snapshot: the period is tested against each event time (the first entry into a
 * stage, the entry into the last stage for a win, lost_at for a loss), the other filters against the
 * lead. Reasons are listed in the configured order of the loss reasons.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/report.h"
#include "analytics/snapshot.h"

struct flow_group {
	int64_t entries[FNL_MAX_STAGES + 1];
	int64_t lost[FNL_MAX_STAGES + 1];
	int64_t won_count, won_amount, lost_count;
	int64_t *reasons; /* by snapshot reason index */
	int any;
};

static inline int in_period(const struct fnl_query *q, uint32_t t)
{
	return t && (!q->from || t >= q->from) && (!q->to || t < q->to);
}

static void scan(const fnl_snapshot *s, const struct fnl_query *q, struct flow_group *g)
{
	struct fnl_query lead_q = *q; /* the lead's filters without the capture period */
	lead_q.from = lead_q.to = 0;
	const int n = s->nstages;
	for (size_t i = 1; i < s->n; i++) {
		if (!fnl__matches(s, &lead_q, i))
			continue;
		struct flow_group *G = &g[fnl__group_of(s, q->by, i)];
		for (int k = 1; k <= n; k++)
			if (in_period(q, s->entry[k][i])) {
				G->entries[k]++;
				G->any = 1;
			}
		if (s->status[i] == FNL_SNAP_WON && in_period(q, s->entry[n][i])) {
			G->won_count++;
			G->won_amount += s->amount[i];
		}
		if (s->status[i] == FNL_SNAP_LOST && in_period(q, s->lost_at[i])) {
			G->lost[s->stage[i]]++;
			G->lost_count++;
			G->reasons[s->reason[i]]++;
			G->any = 1;
		}
	}
}

/* The snapshot's reason indices in the configured order of the reasons, then any others. */
static int reason_order(fnl_db *db, const fnl_snapshot *s, int *order, int *norder)
{
	struct fnl_reason *v;
	size_t n;
	int rc = fnl_reason_list(db, &v, &n);
	if (rc)
		return rc;
	int nr = s->reasons.n, k = 0;
	char *seen = calloc((size_t)nr, 1);
	if (!seen) {
		free(v);
		return FNL_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		int r = fnl__dict_find(&s->reasons, v[i].key);
		if (r >= 0 && !seen[r]) {
			seen[r] = 1;
			order[k++] = r;
		}
	}
	for (int r = 0; r < nr; r++)
		if (!seen[r])
			order[k++] = r;
	*norder = k;
	free(seen);
	free(v);
	return 0;
}

static const char *reason_name(struct fnl__names *nm, const char *key)
{
	if (!*key)
		return nm->lang && strcmp(nm->lang, "en") == 0 ? "(none)" : "（无）";
	return fnl_catalog_reason(nm->cat, key, nm->lang);
}

static void columns(fnl_rtable *t, fnl_rtable *d)
{
	fnl_rtable_col(t, "group", "分组", "Group", FNL_COL_TEXT);
	fnl_rtable_col(t, "stage", "阶段", "Stage", FNL_COL_TEXT);
	fnl_rtable_col(t, "entries", "首次进入", "First entries", FNL_COL_INT);
	fnl_rtable_col(t, "lost", "流失", "Lost", FNL_COL_INT);
	fnl_rtable_col(t, "won_amount", "成交金额", "Won amount", FNL_COL_MONEY);
	fnl_rtable_col(d, "group", "分组", "Group", FNL_COL_TEXT);
	fnl_rtable_col(d, "reason", "流失原因", "Loss reason", FNL_COL_TEXT);
	fnl_rtable_col(d, "lost", "流失", "Lost", FNL_COL_INT);
	fnl_rtable_col(d, "share", "占比", "Share", FNL_COL_RATE);
}

static json_t *group_doc(struct fnl__names *nm, const fnl_snapshot *s, const struct fnl_report_opts *o, int key,
			 const struct flow_group *G, const int *order, int norder, fnl_rtable *t, fnl_rtable *d)
{
	const char *name = fnl__group_name(nm, s, o->q.by, key);
	json_t *stages = json_array(), *reasons = json_array();
	for (int k = 1; k <= s->nstages; k++) {
		const char *sk = fnl_snapshot_stage_key(s, k), *sn = fnl_catalog_stage(nm->cat, sk, nm->lang);
		json_array_append_new(stages, json_pack("{ss ss sI sI}", "key", sk, "name", sn, "entries",
							(json_int_t)G->entries[k], "lost", (json_int_t)G->lost[k]));
		fnl_rtable_text(t, name);
		fnl_rtable_text(t, sn);
		fnl_rtable_int(t, G->entries[k]);
		fnl_rtable_int(t, G->lost[k]);
		if (k == s->nstages)
			fnl_rtable_money(t, G->won_amount);
		else
			fnl_rtable_null(t);
	}
	for (int j = 0; j < norder; j++) {
		int r = order[j];
		if (!G->reasons[r])
			continue;
		const char *rk = s->reasons.names[r], *rn = reason_name(nm, rk);
		json_array_append_new(reasons, json_pack("{ss ss sI}", "key", rk, "name", rn, "lost", (json_int_t)G->reasons[r]));
		fnl_rtable_text(d, name);
		fnl_rtable_text(d, rn);
		fnl_rtable_int(d, G->reasons[r]);
		fnl_rtable_real(d, fnl__rate(G->reasons[r], G->lost_count));
	}
	return json_pack("{ss ss so sI sI sI so}", "key", fnl__group_key(s, o->q.by, key), "name", name, "stages", stages,
			 "won_count", (json_int_t)G->won_count, "won_amount", (json_int_t)G->won_amount, "lost_count",
			 (json_int_t)G->lost_count, "lost_reasons", reasons);
}

int fnl_report_flow(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out)
{
	memset(out, 0, sizeof *out);
	int ng = o->q.by == FNL_DIM_NONE ? 1 : fnl_snapshot_values(s, o->q.by);
	if (ng < 1)
		ng = 1;
	int nr = s->reasons.n > 0 ? s->reasons.n : 1;
	struct flow_group *g = calloc((size_t)ng, sizeof *g);
	int64_t *counts = calloc((size_t)ng * (size_t)nr, sizeof *counts);
	int *order = calloc((size_t)nr, sizeof *order);
	if (!g || !counts || !order) {
		free(g);
		free(counts);
		free(order);
		return FNL_ENOMEM;
	}
	for (int i = 0; i < ng; i++)
		g[i].reasons = counts + (size_t)i * (size_t)nr;
	scan(s, &o->q, g);
	struct fnl__names nm;
	int norder = 0, rc = reason_order(db, s, order, &norder);
	if (!rc)
		rc = fnl__names_open(db, o, &nm);
	if (rc) {
		free(g);
		free(counts);
		free(order);
		return rc;
	}
	int en = nm.lang && strcmp(nm.lang, "en") == 0;
	fnl_rtable *t = fnl_rtable_new("flow");
	fnl_rtable *d = fnl_rtable_new(en ? "Losses by reason" : "流失原因");
	columns(t, d);
	json_t *groups = json_array();
	for (int i = 0; i < ng; i++) {
		/* without a group-by the one group is always there, zeros and all */
		if (o->q.by != FNL_DIM_NONE && !g[i].any)
			continue;
		json_array_append_new(groups, group_doc(&nm, s, o, o->q.by == FNL_DIM_NONE ? -1 : i, &g[i], order, norder, t, d));
	}
	out->doc = json_pack("{so}", "groups", groups);
	out->table = t;
	out->detail = d;
	fnl__names_close(&nm);
	free(g);
	free(counts);
	free(order);
	return 0;
}
