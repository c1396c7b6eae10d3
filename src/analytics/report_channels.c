/*
 * analytics/report_channels.c - the channel report for marketing (SPEC §7): per channel the leads
 * captured in the period, including invalid leads and merged duplicates, what became of the valid
 * ones, and what the channel cost (channel_spend, SPEC §3).
 *
 * Invalid and merged leads are not in the funnel (fnl__matches leaves them out), so this report has
 * its own scan condition: any lead in the snapshot, captured in the period, passing the filters.
 * Spend is recorded per channel and month; a month counts in proportion to its days in the period.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/report.h"
#include "analytics/snapshot.h"
#include "store/store.h"

struct chan {
	int64_t leads, invalid, merged, valid;
	int64_t grades[4];                 /* none, A, B, C */
	int64_t reached[FNL_MAX_STAGES + 1];
	int64_t won_count, won_amount;
	int64_t spend;
	int has_spend;                     /* some month of spend overlaps the period */
};

/* fnl__matches without the status test: every lead of the snapshot, valid or not. */
static inline int matches_any(const fnl_snapshot *s, const struct fnl_query *q, size_t i)
{
	if (!s->status[i])
		return 0;
	if ((q->from && s->captured[i] < q->from) || (q->to && s->captured[i] >= q->to))
		return 0;
	const int *f = q->filter;
	return (f[FNL_DIM_CHANNEL] < 0 || s->channel[i] == f[FNL_DIM_CHANNEL]) &&
	       (f[FNL_DIM_OWNER] < 0 || s->owner[i] == f[FNL_DIM_OWNER]) &&
	       (f[FNL_DIM_TEAM] < 0 || s->owner_team[s->owner[i]] == f[FNL_DIM_TEAM]) &&
	       (f[FNL_DIM_GRADE] < 0 || s->grade[i] == f[FNL_DIM_GRADE]) &&
	       (f[FNL_DIM_INDUSTRY] < 0 || s->industry[i] == f[FNL_DIM_INDUSTRY]) &&
	       (f[FNL_DIM_REGION] < 0 || s->region[i] == f[FNL_DIM_REGION]);
}

static void scan(const fnl_snapshot *s, const struct fnl_query *q, struct chan *g)
{
	for (size_t i = 1; i < s->n; i++) {
		if (!matches_any(s, q, i))
			continue;
		struct chan *G = &g[s->channel[i]];
		G->leads++;
		switch (s->status[i]) {
		case FNL_SNAP_INVALID:
			G->invalid++;
			continue;
		case FNL_SNAP_MERGED:
			G->merged++;
			continue;
		case FNL_SNAP_WON:
			G->won_count++;
			G->won_amount += s->amount[i];
			break;
		default:
			break;
		}
		G->valid++;
		G->grades[s->grade[i] <= 3 ? s->grade[i] : 0]++;
		G->reached[s->reached[i]]++; /* a histogram; summed below */
	}
	for (int c = 0; c < s->channels.n; c++) {
		int64_t acc = 0;
		for (int k = s->nstages; k >= 1; k--) {
			acc += g[c].reached[k];
			g[c].reached[k] = acc;
		}
	}
}

/* The part of a month's spend that falls in the local days [from_day, to_day): amount x days in
 * the period / days in the month, rounded to the nearest 分 (halves up); -1 when the month is
 * outside the period. */
static int64_t pro_rata(int64_t amount, int y, int m, int64_t from_day, int64_t to_day)
{
	int64_t ms = fnl_days_from_civil(y, (unsigned)m, 1);
	int64_t me = m == 12 ? fnl_days_from_civil(y + 1, 1, 1) : fnl_days_from_civil(y, (unsigned)m + 1, 1);
	int64_t lo = ms > from_day ? ms : from_day, hi = me < to_day ? me : to_day;
	if (hi <= lo)
		return -1;
	if (lo == ms && hi == me)
		return amount;
	int64_t days = me - ms;
	return (amount * (hi - lo) * 2 + days) / (2 * days);
}

static int load_spend(fnl_db *db, const fnl_snapshot *s, const struct fnl_query *q, struct chan *g)
{
	static const char sql[] = "SELECT channel_id, month, amount FROM channel_spend ORDER BY channel_id, month";
	int64_t from_day = q->from ? fnl_tz_local_date(s->tz, q->from) : INT64_MIN / 4;
	int64_t to_day = q->to ? fnl_tz_local_date(s->tz, q->to - 1) + 1 : INT64_MAX / 4;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *month = (const char *)sqlite3_column_text(st, 1);
		int c, y, m;
		for (c = 0; c < s->channels.n && s->channel_ids[c] != id; c++)
			;
		if (c == s->channels.n || !month || sscanf(month, "%4d-%2d", &y, &m) != 2 || m < 1 || m > 12)
			continue;
		if (q->filter[FNL_DIM_CHANNEL] >= 0 && c != q->filter[FNL_DIM_CHANNEL])
			continue;
		int64_t part = pro_rata(sqlite3_column_int64(st, 2), y, m, from_day, to_day);
		if (part >= 0) {
			g[c].spend += part;
			g[c].has_spend = 1;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : fnl__sqlerr(db, rc, "read channel spend");
}

/* Spend belongs to a channel, not to an owner, a team, a grade, an industry or a region. */
static int spend_applies(const struct fnl_query *q)
{
	for (int d = 0; d < FNL_DIM_COUNT; d++)
		if (d != FNL_DIM_CHANNEL && q->filter[d] >= 0)
			return 0;
	return 1;
}

/* num / den rounded down, when the spend is known and den is not 0. */
static json_t *money_or_null(int known, int64_t num, int64_t den)
{
	return known && den > 0 ? json_integer(num / den) : json_null();
}

static void money_cell(fnl_rtable *t, int known, int64_t num, int64_t den)
{
	if (known && den > 0)
		fnl_rtable_money(t, num / den);
	else
		fnl_rtable_null(t);
}

static void columns(struct fnl__names *nm, const fnl_snapshot *s, fnl_rtable *t)
{
	fnl_rtable_col(t, "channel", "渠道", "Channel", FNL_COL_TEXT);
	fnl_rtable_col(t, "leads", "线索数", "Leads", FNL_COL_INT);
	fnl_rtable_col(t, "invalid_rate", "无效率", "Invalid", FNL_COL_RATE);
	fnl_rtable_col(t, "duplicate_rate", "重复率", "Duplicates", FNL_COL_RATE);
	fnl_rtable_col(t, "valid", "有效线索", "Valid", FNL_COL_INT);
	fnl_rtable_col(t, "grade_a", "A 级", "Grade A", FNL_COL_INT);
	fnl_rtable_col(t, "grade_b", "B 级", "Grade B", FNL_COL_INT);
	fnl_rtable_col(t, "grade_c", "C 级", "Grade C", FNL_COL_INT);
	fnl_rtable_col(t, "ungraded", "未评级", "Ungraded", FNL_COL_INT);
	for (int k = 1; k < s->nstages; k++) {
		const char *a = fnl_snapshot_stage_key(s, k), *b = fnl_snapshot_stage_key(s, k + 1);
		char key[2 * FNL_KEY_LEN + 16], zh[256], en[256];
		snprintf(key, sizeof key, "conversion_%s", a);
		snprintf(zh, sizeof zh, "%s→%s", fnl_catalog_stage(nm->cat, a, "zh"), fnl_catalog_stage(nm->cat, b, "zh"));
		snprintf(en, sizeof en, "%s→%s", fnl_catalog_stage(nm->cat, a, "en"), fnl_catalog_stage(nm->cat, b, "en"));
		fnl_rtable_col(t, key, zh, en, FNL_COL_RATE);
	}
	fnl_rtable_col(t, "won_count", "成交数", "Wins", FNL_COL_INT);
	fnl_rtable_col(t, "won_amount", "成交金额", "Revenue", FNL_COL_MONEY);
	fnl_rtable_col(t, "spend", "投入", "Spend", FNL_COL_MONEY);
	fnl_rtable_col(t, "cost_per_lead", "单条线索成本", "Cost per lead", FNL_COL_MONEY);
	fnl_rtable_col(t, "cost_per_valid_lead", "有效线索成本", "Cost per valid lead", FNL_COL_MONEY);
	fnl_rtable_col(t, "cost_per_deal", "单笔成交成本", "Cost per deal", FNL_COL_MONEY);
	fnl_rtable_col(t, "roi", "投资回报率", "ROI", FNL_COL_RATE);
}

static json_t *chan_doc(struct fnl__names *nm, const fnl_snapshot *s, const char *key, const char *name,
			const struct chan *G, int applies, fnl_rtable *t)
{
	int known = applies && G->has_spend;
	json_t *stages = json_array();
	for (int k = 1; k <= s->nstages; k++) {
		const char *sk = fnl_snapshot_stage_key(s, k);
		json_t *x = json_pack("{ss ss sI}", "key", sk, "name", fnl_catalog_stage(nm->cat, sk, nm->lang), "reached",
				      (json_int_t)G->reached[k]);
		json_object_set_new(x, "conversion", k < s->nstages ? fnl__rate_json(G->reached[k + 1], G->reached[k]) : json_null());
		json_array_append_new(stages, x);
	}
	json_t *grades = json_pack("{sI sI sI sI}", "a", (json_int_t)G->grades[1], "b", (json_int_t)G->grades[2], "c",
				   (json_int_t)G->grades[3], "none", (json_int_t)G->grades[0]);
	json_t *doc = json_pack("{ss ss sI sI so sI so sI so so sI sI}", "key", key, "name", name, "leads",
				(json_int_t)G->leads, "invalid", (json_int_t)G->invalid, "invalid_rate",
				fnl__rate_json(G->invalid, G->leads), "duplicates", (json_int_t)G->merged, "duplicate_rate",
				fnl__rate_json(G->merged, G->leads), "valid", (json_int_t)G->valid, "grades", grades,
				"stages", stages, "won_count", (json_int_t)G->won_count, "won_amount",
				(json_int_t)G->won_amount);
	json_object_set_new(doc, "spend", known ? json_integer(G->spend) : json_null());
	json_object_set_new(doc, "cost_per_lead", money_or_null(known, G->spend, G->leads));
	json_object_set_new(doc, "cost_per_valid_lead", money_or_null(known, G->spend, G->valid));
	json_object_set_new(doc, "cost_per_deal", money_or_null(known, G->spend, G->won_count));
	json_object_set_new(doc, "roi", known ? fnl__rate_json(G->won_amount - G->spend, G->spend) : json_null());

	fnl_rtable_text(t, name);
	fnl_rtable_int(t, G->leads);
	fnl_rtable_real(t, fnl__rate(G->invalid, G->leads));
	fnl_rtable_real(t, fnl__rate(G->merged, G->leads));
	fnl_rtable_int(t, G->valid);
	fnl_rtable_int(t, G->grades[1]);
	fnl_rtable_int(t, G->grades[2]);
	fnl_rtable_int(t, G->grades[3]);
	fnl_rtable_int(t, G->grades[0]);
	for (int k = 1; k < s->nstages; k++)
		fnl_rtable_real(t, fnl__rate(G->reached[k + 1], G->reached[k]));
	fnl_rtable_int(t, G->won_count);
	fnl_rtable_money(t, G->won_amount);
	if (known)
		fnl_rtable_money(t, G->spend);
	else
		fnl_rtable_null(t);
	money_cell(t, known, G->spend, G->leads);
	money_cell(t, known, G->spend, G->valid);
	money_cell(t, known, G->spend, G->won_count);
	fnl_rtable_real(t, known ? fnl__rate(G->won_amount - G->spend, G->spend) : fnl__rate(0, 0));
	return doc;
}

static void add_into(struct chan *T, const struct chan *G, int nstages)
{
	T->leads += G->leads;
	T->invalid += G->invalid;
	T->merged += G->merged;
	T->valid += G->valid;
	for (int k = 0; k < 4; k++)
		T->grades[k] += G->grades[k];
	for (int k = 1; k <= nstages; k++)
		T->reached[k] += G->reached[k];
	T->won_count += G->won_count;
	T->won_amount += G->won_amount;
	T->spend += G->spend;
	T->has_spend |= G->has_spend;
}

int fnl_report_channels(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out)
{
	memset(out, 0, sizeof *out);
	int rc = fnl__enter_noctx(db);
	if (rc)
		return rc;
	if (o->q.by != FNL_DIM_NONE && o->q.by != FNL_DIM_CHANNEL)
		return fnl__err(db, FNL_EINVAL, "by", "by: report channels is per channel; it cannot group by anything else");
	int nc = s->channels.n > 0 ? s->channels.n : 1;
	struct chan *g = calloc((size_t)nc, sizeof *g);
	if (!g)
		return fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
	int applies = spend_applies(&o->q);
	scan(s, &o->q, g);
	struct fnl__names nm;
	if ((applies && (rc = load_spend(db, s, &o->q, g))) || (rc = fnl__names_open(db, o, &nm))) {
		free(g);
		return rc;
	}
	int en = nm.lang && strcmp(nm.lang, "en") == 0;
	fnl_rtable *t = fnl_rtable_new("channels");
	columns(&nm, s, t);
	json_t *groups = json_array();
	struct chan total;
	memset(&total, 0, sizeof total);
	for (int c = 0; c < s->channels.n; c++) {
		if (!g[c].leads && !g[c].has_spend)
			continue;
		json_array_append_new(groups, chan_doc(&nm, s, fnl_snapshot_name(s, FNL_DIM_CHANNEL, c),
						       fnl__group_name(&nm, s, FNL_DIM_CHANNEL, c), &g[c], applies, t));
		add_into(&total, &g[c], s->nstages);
	}
	json_t *tot = chan_doc(&nm, s, "all", en ? "total" : "合计", &total, applies, t);
	out->doc = json_pack("{sb so so}", "spend_applies", applies, "groups", groups, "total", tot);
	out->table = t;
	fnl__names_close(&nm);
	free(g);
	return 0;
}
