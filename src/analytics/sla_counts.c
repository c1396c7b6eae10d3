/*
 * analytics/sla_counts.c - follow-up deadlines met on time and due (SPEC §4 compliance), counted by
 * the owner of each deadline, for the reports that show SLA compliance. Deadlines are task rows,
 * not snapshot columns: one indexed range query on (kind, due_at), the leads' filters looked up in
 * the snapshot by lead id. A deadline has its own owner and grade (those of the grading that set
 * it); the classification is report sla's (report_sla.c), so the figures agree: only deadlines due
 * by now count; met on time when done at or before the due time; a breach when not done and late,
 * or cancelled after its due time; cancelled in time, it never became due.
 */
#include <stdint.h>
#include <string.h>

#include "analytics/target.h"
#include "store/store.h"

int fnl__owner_of_user(const fnl_snapshot *s, int64_t user_id)
{
	int n = s->owners.n;
	if (user_id <= 0)
		return 0;
	if (user_id < n && s->owner_ids[user_id] == user_id)
		return (int)user_id;
	for (int k = 1; k < n; k++)
		if (s->owner_ids[k] == user_id)
			return k;
	return 0;
}

int fnl__lead_passes(const fnl_snapshot *s, const struct fnl_query *q, int64_t id, int grade)
{
	if (id <= 0 || (uint64_t)id >= s->n)
		return 0;
	size_t i = (size_t)id;
	if (s->status[i] < FNL_SNAP_OPEN || s->status[i] > FNL_SNAP_LOST)
		return 0;
	const int *f = q->filter;
	return (f[FNL_DIM_CHANNEL] < 0 || s->channel[i] == f[FNL_DIM_CHANNEL]) &&
	       (f[FNL_DIM_GRADE] < 0 || (grade < 0 ? s->grade[i] : grade) == f[FNL_DIM_GRADE]) &&
	       (f[FNL_DIM_INDUSTRY] < 0 || s->industry[i] == f[FNL_DIM_INDUSTRY]) &&
	       (f[FNL_DIM_REGION] < 0 || s->region[i] == f[FNL_DIM_REGION]);
}

int fnl__owner_passes(const fnl_snapshot *s, const struct fnl_query *q, int o)
{
	const int *f = q->filter;
	return (f[FNL_DIM_OWNER] < 0 || o == f[FNL_DIM_OWNER]) && (f[FNL_DIM_TEAM] < 0 || s->owner_team[o] == f[FNL_DIM_TEAM]);
}

enum fnl__sla_class fnl__sla_classify(int64_t due, int64_t done, int64_t cancelled, int64_t now)
{
	if (done)
		return done <= due ? FNL__SLA_ON_TIME : FNL__SLA_LATE;
	/* cancelled in time, or open and not late yet at the very second it falls due */
	if ((cancelled && cancelled <= due) || (!cancelled && due >= now))
		return FNL__SLA_NOT_DUE;
	return cancelled ? FNL__SLA_BREACH_CANCELLED : FNL__SLA_BREACH_OPEN;
}

int fnl_sla_by_owner(fnl_db *db, const fnl_snapshot *s, const struct fnl_query *q, int64_t now, int64_t *due,
		     int64_t *met)
{
	static const char sql[] = "SELECT lead_id, COALESCE(owner_id, 0), due_at, COALESCE(done_at, 0),"
				  " COALESCE(cancelled_at, 0), COALESCE(grade, '') FROM task WHERE kind = 'followup'"
				  " AND due_at >= ?1 AND due_at < ?2 AND due_at <= ?3";
	int no = fnl_snapshot_values(s, FNL_DIM_OWNER);
	memset(due, 0, (size_t)no * sizeof *due);
	memset(met, 0, (size_t)no * sizeof *met);
	int rc = fnl__enter_noctx(db);
	if (rc)
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, q->from);
	sqlite3_bind_int64(st, 2, q->to ? q->to : INT64_MAX);
	sqlite3_bind_int64(st, 3, now);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int grade = fnl__dict_find(&s->grades, (const char *)sqlite3_column_text(st, 5));
		if (!fnl__lead_passes(s, q, sqlite3_column_int64(st, 0), grade < 0 ? 0 : grade))
			continue;
		int o = fnl__owner_of_user(s, sqlite3_column_int64(st, 1));
		if (!fnl__owner_passes(s, q, o))
			continue;
		int64_t at = sqlite3_column_int64(st, 2), done = sqlite3_column_int64(st, 3),
			cancelled = sqlite3_column_int64(st, 4);
		enum fnl__sla_class c = fnl__sla_classify(at, done, cancelled, now);
		if (c != FNL__SLA_NOT_DUE)
			due[o]++;
		met[o] += c == FNL__SLA_ON_TIME;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : fnl__sqlerr(db, rc, "read follow-up deadlines");
}
