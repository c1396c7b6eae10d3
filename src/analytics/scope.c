/*
 * analytics/scope.c - who sees which report (SPEC §8): admins everything; a manager the reports of
 * their team; a sales consultant their own figures; marketing the channel and funnel reports of
 * the company; after-sales none of the funnel reports.
 */
#include <limits.h>
#include <string.h>

#include "analytics/snapshot.h"
#include "store/store.h"

/* A filter value no lead has: "nothing" when the actor's own owner or team has no leads yet. */
#define NO_VALUE INT_MAX

static int force(fnl_db *db, struct fnl_query *q, enum fnl_dim dim, int idx, const char *what, const char *name)
{
	if (idx < 0)
		idx = NO_VALUE;
	if (q->filter[dim] >= 0 && q->filter[dim] != idx)
		return fnl__err(db, FNL_EPERM, what, "user '%s' (%s) sees the reports of %s '%s' only", db->actor.login,
				db->actor.role, what, name);
	q->filter[dim] = idx;
	return 0;
}

int fnl_report_scope(fnl_db *db, const struct fnl_ctx *ctx, const fnl_snapshot *s, const char *report,
		     struct fnl_query *q)
{
	static const char *const marketing[] = {"funnel", "stages", "flow", "channels", NULL};
	int rc = fnl__enter(db, ctx);
	if (rc)
		return rc;
	const char *role = db->actor.role;
	if (db->actor.id == 0 || strcmp(role, "admin") == 0)
		return 0;
	if (strcmp(role, "manager") == 0) {
		if (!db->actor.team_id)
			return 0; /* a manager without a team manages everyone */
		static const char sql[] = "SELECT name FROM team WHERE id = ?";
		sqlite3_stmt *st = fnl__stmt(db, sql);
		if (!st)
			return db->err.code;
		sqlite3_bind_int64(st, 1, db->actor.team_id);
		char team[FNL_NAME_LEN] = "";
		if (sqlite3_step(st) == SQLITE_ROW)
			fnl__col_text(st, 0, team, sizeof team);
		sqlite3_reset(st);
		return force(db, q, FNL_DIM_TEAM, fnl_snapshot_find(s, FNL_DIM_TEAM, team), "team", team);
	}
	if (strcmp(role, "sales") == 0)
		return force(db, q, FNL_DIM_OWNER, fnl_snapshot_find(s, FNL_DIM_OWNER, db->actor.login), "owner",
			     db->actor.login);
	if (strcmp(role, "marketing") == 0) {
		for (const char *const *r = marketing; *r; r++)
			if (report && strcmp(*r, report) == 0)
				return 0;
		return fnl__err(db, FNL_EPERM, "as",
				"user '%s' (marketing) sees the funnel, stages, flow and channels reports, not '%s'",
				db->actor.login, report ? report : "");
	}
	return fnl__err(db, FNL_EPERM, "as", "user '%s' (%s) cannot see the funnel reports", db->actor.login, role);
}
