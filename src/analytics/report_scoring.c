/*
 * analytics/report_scoring.c - the scoring check (SPEC §7): do the grades and the B/N/D/U scores
 * predict the outcome? Over the closed leads (won or lost) of the cohort, the win rate by grade and
 * by each value 1-5 of each score, with the Wilson 95 % interval, so the weights and thresholds can
 * be tuned against outcomes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/report.h"
#include "analytics/snapshot.h"

enum { NSCORES = 4 };

struct tally {
	int64_t closed, won;
};

struct score_group {
	struct tally all;
	struct tally grade[4];             /* none, A, B, C */
	struct tally score[NSCORES][6];    /* B, N, D, U; value 1-5 (0: not scored) */
	int64_t leads;
};

static const char *const score_keys[NSCORES] = {"budget", "need", "decision", "urgency"};

static void scan(const fnl_snapshot *s, const struct fnl_query *q, struct score_group *g)
{
	for (size_t i = 1; i < s->n; i++) {
		uint8_t st = s->status[i];
		if ((st != FNL_SNAP_WON && st != FNL_SNAP_LOST) || !fnl__matches(s, q, i))
			continue;
		struct score_group *G = &g[fnl__group_of(s, q->by, i)];
		int won = st == FNL_SNAP_WON;
		G->leads++;
		G->all.closed++;
		G->all.won += won;
		struct tally *t = &G->grade[s->grade[i] <= 3 ? s->grade[i] : 0];
		t->closed++;
		t->won += won;
		for (int k = 0; k < NSCORES; k++) {
			int v = (s->scores[i] >> (3 * k)) & 7;
			if (v < 1 || v > 5)
				continue;
			G->score[k][v].closed++;
			G->score[k][v].won += won;
		}
	}
}

/* closed, won, win_rate, ci_low, ci_high into x and a table row's last five cells. */
static void tally_out(json_t *x, fnl_rtable *t, const struct tally *a)
{
	double lo, hi;
	fnl_wilson(a->won, a->closed, &lo, &hi);
	json_object_set_new(x, "closed", json_integer(a->closed));
	json_object_set_new(x, "won", json_integer(a->won));
	json_object_set_new(x, "win_rate", fnl__rate_json(a->won, a->closed));
	json_object_set_new(x, "ci_low", a->closed ? json_real(lo) : json_null());
	json_object_set_new(x, "ci_high", a->closed ? json_real(hi) : json_null());
	fnl_rtable_int(t, a->closed);
	fnl_rtable_int(t, a->won);
	fnl_rtable_real(t, fnl__rate(a->won, a->closed));
	fnl_rtable_real(t, a->closed ? lo : NAN);
	fnl_rtable_real(t, a->closed ? hi : NAN);
}

static void columns(fnl_rtable *t)
{
	fnl_rtable_col(t, "group", "分组", "Group", FNL_COL_TEXT);
	fnl_rtable_col(t, "by", "维度", "By", FNL_COL_TEXT);
	fnl_rtable_col(t, "value", "取值", "Value", FNL_COL_TEXT);
	fnl_rtable_col(t, "closed", "已结案", "Closed", FNL_COL_INT);
	fnl_rtable_col(t, "won", "成交", "Won", FNL_COL_INT);
	fnl_rtable_col(t, "win_rate", "赢单率", "Win rate", FNL_COL_RATE);
	fnl_rtable_col(t, "ci_low", "95%区间下限", "95% CI low", FNL_COL_RATE);
	fnl_rtable_col(t, "ci_high", "95%区间上限", "95% CI high", FNL_COL_RATE);
}

static json_t *group_doc(struct fnl__names *nm, const fnl_snapshot *s, const struct fnl_report_opts *o, int key,
			 const struct score_group *G, fnl_rtable *t)
{
	static const char *const zh[NSCORES] = {"预算 B", "需求 N", "决策 D", "紧迫 U"};
	static const char *const en_names[NSCORES] = {"Budget B", "Need N", "Decision D", "Urgency U"};
	int en = nm->lang && strcmp(nm->lang, "en") == 0;
	const char *name = fnl__group_name(nm, s, o->q.by, key);
	json_t *grades = json_array();
	static const char *const gk[4] = {"A", "B", "C", ""};
	static const int gi[4] = {1, 2, 3, 0};
	for (int j = 0; j < 4; j++) {
		json_t *x = json_pack("{ss}", "key", gk[j]);
		fnl_rtable_text(t, name);
		fnl_rtable_text(t, en ? "Grade" : "等级");
		fnl_rtable_text(t, gk[j][0] ? gk[j] : en ? "ungraded" : "未评级");
		tally_out(x, t, &G->grade[gi[j]]);
		json_array_append_new(grades, x);
	}
	json_t *scores = json_object();
	for (int k = 0; k < NSCORES; k++) {
		json_t *arr = json_array();
		for (int v = 1; v <= 5; v++) {
			json_t *x = json_pack("{si}", "value", v);
			char val[4];
			snprintf(val, sizeof val, "%d", v);
			fnl_rtable_text(t, name);
			fnl_rtable_text(t, en ? en_names[k] : zh[k]);
			fnl_rtable_text(t, val);
			tally_out(x, t, &G->score[k][v]);
			json_array_append_new(arr, x);
		}
		json_object_set_new(scores, score_keys[k], arr);
	}
	return json_pack("{ss ss sI sI so so}", "key", fnl__group_key(s, o->q.by, key), "name", name, "closed",
			 (json_int_t)G->all.closed, "won", (json_int_t)G->all.won, "grades", grades, "scores", scores);
}

int fnl_report_scoring(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out)
{
	memset(out, 0, sizeof *out);
	int ng = o->q.by == FNL_DIM_NONE ? 1 : fnl_snapshot_values(s, o->q.by);
	if (ng < 1)
		ng = 1;
	struct score_group *g = calloc((size_t)ng, sizeof *g);
	if (!g)
		return FNL_ENOMEM;
	scan(s, &o->q, g);
	struct fnl__names nm;
	int rc = fnl__names_open(db, o, &nm);
	if (rc) {
		free(g);
		return rc;
	}
	fnl_rtable *t = fnl_rtable_new("scoring");
	columns(t);
	json_t *groups = json_array();
	for (int i = 0; i < ng; i++) {
		if (o->q.by != FNL_DIM_NONE && !g[i].leads)
			continue;
		json_array_append_new(groups, group_doc(&nm, s, o, o->q.by == FNL_DIM_NONE ? -1 : i, &g[i], t));
	}
	out->doc = json_pack("{so}", "groups", groups);
	out->table = t;
	fnl__names_close(&nm);
	free(g);
	return 0;
}
