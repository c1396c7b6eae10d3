/*
 * analytics/report_sla.c - follow-up deadlines (SPEC §4, §7): due, met on time, met late, breached,
 * compliance per group, and the deadlines overdue now.
 *
 * Deadlines are rows of the task table (kind 'followup'), read through one prepared statement in due
 * order; the snapshot gives the dictionaries (owners, teams, channels, ...) the filters and groups
 * refer to, and the channel, industry and region of each lead. A deadline belongs to its own owner
 * (task.owner_id) and its own grade (the grading that set it), not to the lead's current ones.
 *
 * Classification of a deadline with due_at <= now: met on time when done_at <= due_at, met late when
 * done later, breached when not done (still open with due_at < now, or cancelled after its due
 * time). One cancelled at or before its due time without being done never became due (the lead was
 * won, lost, graded C or re-graded to an earlier deadline) and is not counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/report.h"
#include "analytics/target.h"
#include "analytics/snapshot.h"
#include "store/store.h"

struct sla_group {
	int64_t due, on_time, late, breached, overdue_open;
};

struct groups {
	struct sla_group *g;
	int n;          /* slots */
	int base_month; /* by month: the month of slot 0 (-1 until the first deadline) */
};

static int month_of(const fnl_snapshot *s, int64_t t)
{
	int64_t y;
	unsigned m;
	fnl_civil_from_days(fnl_tz_local_date(s->tz, t), &y, &m, NULL);
	return (int)((y - 1970) * 12 + (int64_t)m - 1);
}

/* The slot of a group, growing the array for months (which come in ascending order). */
static struct sla_group *slot(struct groups *gs, int k)
{
	if (k >= gs->n) {
		int n = k + 16;
		struct sla_group *g = realloc(gs->g, (size_t)n * sizeof *g);
		if (!g)
			return NULL;
		memset(g + gs->n, 0, (size_t)(n - gs->n) * sizeof *g);
		gs->g = g;
		gs->n = n;
	}
	return &gs->g[k];
}

/* One deadline as the filters and groups see it. */
struct deadline {
	size_t lead;
	int owner, team, grade;
};

static int passes(const fnl_snapshot *s, const struct fnl_query *q, const struct deadline *d)
{
	const int *f = q->filter;
	return (f[FNL_DIM_CHANNEL] < 0 || s->channel[d->lead] == f[FNL_DIM_CHANNEL]) &&
	       (f[FNL_DIM_OWNER] < 0 || d->owner == f[FNL_DIM_OWNER]) &&
	       (f[FNL_DIM_TEAM] < 0 || d->team == f[FNL_DIM_TEAM]) &&
	       (f[FNL_DIM_GRADE] < 0 || d->grade == f[FNL_DIM_GRADE]) &&
	       (f[FNL_DIM_INDUSTRY] < 0 || s->industry[d->lead] == f[FNL_DIM_INDUSTRY]) &&
	       (f[FNL_DIM_REGION] < 0 || s->region[d->lead] == f[FNL_DIM_REGION]);
}

static int group_index(const fnl_snapshot *s, enum fnl_dim by, const struct deadline *d)
{
	switch (by) {
	case FNL_DIM_OWNER: return d->owner;
	case FNL_DIM_TEAM: return d->team;
	case FNL_DIM_GRADE: return d->grade;
	case FNL_DIM_CHANNEL:
	case FNL_DIM_INDUSTRY:
	case FNL_DIM_REGION: return fnl__group_of(s, by, d->lead);
	default: return 0;
	}
}

static void count(struct sla_group *G, int64_t due, int64_t done, int64_t cancelled, int64_t now)
{
	switch (fnl__sla_classify(due, done, cancelled, now)) {
	case FNL__SLA_NOT_DUE:
		return;
	case FNL__SLA_ON_TIME:
		G->on_time++;
		break;
	case FNL__SLA_LATE:
		G->late++;
		break;
	case FNL__SLA_BREACH_OPEN:
		G->overdue_open++;
		G->breached++;
		break;
	case FNL__SLA_BREACH_CANCELLED:
		G->breached++;
		break;
	}
	G->due++;
}

static void columns(fnl_rtable *t, fnl_rtable *d)
{
	fnl_rtable_col(t, "group", "分组", "Group", FNL_COL_TEXT);
	fnl_rtable_col(t, "due", "到期", "Due", FNL_COL_INT);
	fnl_rtable_col(t, "met_on_time", "按时跟进", "Met on time", FNL_COL_INT);
	fnl_rtable_col(t, "met_late", "超时跟进", "Met late", FNL_COL_INT);
	fnl_rtable_col(t, "breached", "未跟进", "Breached", FNL_COL_INT);
	fnl_rtable_col(t, "overdue_open", "其中仍逾期", "Still overdue", FNL_COL_INT);
	fnl_rtable_col(t, "compliance", "达标率", "Compliance", FNL_COL_RATE);
	fnl_rtable_col(d, "lead_id", "线索", "Lead", FNL_COL_ID);
	fnl_rtable_col(d, "company", "公司", "Company", FNL_COL_TEXT);
	fnl_rtable_col(d, "owner", "负责人", "Owner", FNL_COL_TEXT);
	fnl_rtable_col(d, "grade", "等级", "Grade", FNL_COL_TEXT);
	fnl_rtable_col(d, "due_at", "截止时间", "Due", FNL_COL_TEXT);
	fnl_rtable_col(d, "overdue_hours", "逾期(小时)", "Overdue (hours)", FNL_COL_NUMBER);
}

/* An overdue deadline: into the JSON list and the detail table. */
static void overdue_row(const fnl_snapshot *s, const struct deadline *d, sqlite3_stmt *st, int64_t due, int64_t now,
			json_t *list, fnl_rtable *t)
{
	const char *company = (const char *)sqlite3_column_text(st, 6);
	const char *owner = fnl_snapshot_name(s, FNL_DIM_OWNER, d->owner);
	const char *grade = fnl_snapshot_name(s, FNL_DIM_GRADE, d->grade);
	char iso[32], when[32];
	fnl_time_format(s->tz, due, iso, sizeof iso);
	snprintf(when, sizeof when, "%.10s %.5s", iso, iso + 11);
	double hours = (double)(now - due) / 3600.0;
	json_array_append_new(list, json_pack("{sI ss ss ss ss sf}", "lead_id", (json_int_t)d->lead, "company",
					      company ? company : "", "owner", owner, "grade", grade, "due_at", iso,
					      "overdue_hours", hours));
	fnl_rtable_int(t, (int64_t)d->lead);
	fnl_rtable_text(t, company);
	fnl_rtable_text(t, owner);
	fnl_rtable_text(t, grade);
	fnl_rtable_text(t, when);
	fnl_rtable_real(t, hours);
}

static int scan(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct groups *gs, json_t *overdue,
		fnl_rtable *d)
{
	static const char sql[] =
		"SELECT t.lead_id, COALESCE(u.login, ''), COALESCE(t.grade, ''), t.due_at, COALESCE(t.done_at, 0),"
		" COALESCE(t.cancelled_at, 0), l.company FROM task t JOIN lead l ON l.id = t.lead_id"
		" LEFT JOIN user u ON u.id = t.owner_id"
		" WHERE t.kind = 'followup' AND l.pipeline_id = ?1 AND t.due_at <= ?2 ORDER BY t.due_at, t.id";
	const struct fnl_query *q = &o->q;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, s->pipeline_id);
	sqlite3_bind_int64(st, 2, o->now);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t lead = sqlite3_column_int64(st, 0);
		if (lead <= 0 || (size_t)lead >= s->n || s->status[lead] < FNL_SNAP_OPEN || s->status[lead] > FNL_SNAP_LOST)
			continue;
		struct deadline dl = {(size_t)lead, 0, 0, 0};
		int k = fnl__dict_find(&s->owners, (const char *)sqlite3_column_text(st, 1));
		dl.owner = k < 0 ? 0 : k;
		dl.team = s->owner_team[dl.owner];
		k = fnl__dict_find(&s->grades, (const char *)sqlite3_column_text(st, 2));
		dl.grade = k < 0 ? 0 : k;
		if (!passes(s, q, &dl))
			continue;
		int64_t due = sqlite3_column_int64(st, 3), done = sqlite3_column_int64(st, 4);
		int64_t cancelled = sqlite3_column_int64(st, 5);
		if (!done && !cancelled && due < o->now)
			overdue_row(s, &dl, st, due, o->now, overdue, d);
		if ((q->from && due < q->from) || (q->to && due >= q->to))
			continue;
		int gi;
		if (q->by == FNL_DIM_MONTH) {
			int mo = month_of(s, due);
			if (gs->base_month < 0)
				gs->base_month = mo;
			gi = mo - gs->base_month;
		} else {
			gi = group_index(s, q->by, &dl);
		}
		struct sla_group *G = slot(gs, gi);
		if (!G) {
			sqlite3_reset(st);
			return fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
		}
		count(G, due, done, cancelled, o->now);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : fnl__sqlerr(db, rc, "read follow-up deadlines");
}

int fnl_report_sla(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out)
{
	memset(out, 0, sizeof *out);
	int rc = fnl__enter_noctx(db);
	if (rc)
		return rc;
	struct fnl__names nm;
	if ((rc = fnl__names_open(db, o, &nm)))
		return rc;
	int en = nm.lang && strcmp(nm.lang, "en") == 0;
	struct groups gs = {NULL, 0, -1};
	fnl_rtable *t = fnl_rtable_new("sla");
	fnl_rtable *d = fnl_rtable_new(en ? "Overdue follow-ups" : "逾期未跟进");
	columns(t, d);
	json_t *overdue = json_array();
	if (!slot(&gs, 0))
		rc = fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
	if (!rc)
		rc = scan(db, s, o, &gs, overdue, d);
	if (rc) {
		fnl__names_close(&nm);
		free(gs.g);
		json_decref(overdue);
		fnl_rtable_free(t);
		fnl_rtable_free(d);
		return rc;
	}
	json_t *groups = json_array();
	for (int gi = 0; gi < gs.n; gi++) {
		const struct sla_group *G = &gs.g[gi];
		if (o->q.by != FNL_DIM_NONE && !G->due)
			continue;
		if (o->q.by == FNL_DIM_NONE && gi > 0)
			break;
		char mk[8];
		const char *key, *name;
		if (o->q.by == FNL_DIM_MONTH) {
			fnl__month_name(gs.base_month + gi, mk);
			key = name = mk;
		} else {
			key = fnl__group_key(s, o->q.by, o->q.by == FNL_DIM_NONE ? -1 : gi);
			name = fnl__group_name(&nm, s, o->q.by, o->q.by == FNL_DIM_NONE ? -1 : gi);
		}
		json_t *x = json_pack("{ss ss sI sI sI sI sI}", "key", key, "name", name, "due", (json_int_t)G->due,
				      "met_on_time", (json_int_t)G->on_time, "met_late", (json_int_t)G->late, "breached",
				      (json_int_t)G->breached, "overdue_open", (json_int_t)G->overdue_open);
		json_object_set_new(x, "compliance", fnl__rate_json(G->on_time, G->due));
		json_array_append_new(groups, x);
		fnl_rtable_text(t, name);
		fnl_rtable_int(t, G->due);
		fnl_rtable_int(t, G->on_time);
		fnl_rtable_int(t, G->late);
		fnl_rtable_int(t, G->breached);
		fnl_rtable_int(t, G->overdue_open);
		fnl_rtable_real(t, fnl__rate(G->on_time, G->due));
	}
	out->doc = json_pack("{so so}", "groups", groups, "overdue", overdue);
	out->table = t;
	out->detail = d;
	fnl__names_close(&nm);
	free(gs.g);
	return 0;
}
