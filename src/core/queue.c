/* core/queue.c - the work queue (SPEC §4): a user's leads that need an action, most urgent first. */
#include <stdio.h>
#include <string.h>

#include "core/internal.h"
#include "store/store.h"


static void read_item(sqlite3_stmt *st, void *p)
{
	struct fnl_queue_item *q = p;
	q->lead_id = sqlite3_column_int64(st, 0);
	fnl__col_text(st, 1, q->company, sizeof q->company);
	fnl__col_text(st, 2, q->contact, sizeof q->contact);
	fnl__col_text(st, 3, q->grade, sizeof q->grade);
	fnl__col_text(st, 4, q->stage, sizeof q->stage);
	fnl__col_text(st, 5, q->status, sizeof q->status);
	fnl__col_text(st, 6, q->action, sizeof q->action);
	q->due_at = sqlite3_column_int64(st, 7);
	q->overdue = sqlite3_column_int(st, 8);
	q->captured_at = sqlite3_column_int64(st, 9);
}

int fnl_queue(fnl_db *db, const struct fnl_ctx *ctx, const char *owner, struct fnl_queue_item **out,
	      size_t *n)
{
	static const char sql[] =
		"SELECT l.id, l.company, l.contact, COALESCE(l.grade, ''), s.key, l.status,"
		" COALESCE(t.kind, 'qualify'), COALESCE(t.due_at, 0), t.due_at IS NOT NULL AND t.due_at < ?2,"
		" l.captured_at"
		" FROM lead l JOIN stage s ON s.id = l.stage_id"
		" LEFT JOIN task t ON t.id = (SELECT id FROM task WHERE lead_id = l.id AND done_at IS NULL"
		"  AND cancelled_at IS NULL ORDER BY due_at, id LIMIT 1)"
		" WHERE l.owner_id = ?1 AND l.status IN ('open', 'nurture')"
		" AND (t.id IS NOT NULL OR (l.grade IS NULL AND s.pos = 1))"
		" ORDER BY t.due_at IS NULL, t.due_at, l.captured_at, l.id";
	*out = NULL;
	*n = 0;
	int rc = fnl__enter(db, ctx);
	if (rc)
		return rc;
	struct fnl_user u;
	if (owner && *owner) {
		if ((rc = fnl_user_get(db, owner, &u)))
			return fnl__err(db, rc, "owner", "owner: no user '%s'", owner);
	} else if (ctx->actor) {
		if ((rc = fnl_user_get_id(db, ctx->actor, &u)))
			return rc;
	} else {
		return fnl__err(db, FNL_EINVAL, "owner", "owner: required (whose queue?)");
	}
	if (u.id != db->actor.id) {
		static const char tsql[] = "SELECT COALESCE(team_id, 0) FROM user WHERE id = ?";
		sqlite3_stmt *st = fnl__stmt(db, tsql);
		if (!st)
			return db->err.code;
		sqlite3_bind_int64(st, 1, u.id);
		int64_t team = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		if (!fnl__manages(db, team))
			return fnl__err(db, FNL_EPERM, "owner", "user '%s' (%s) cannot see the queue of '%s'",
					db->actor.login, db->actor.role, u.login);
	}
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, u.id);
	sqlite3_bind_int64(st, 2, ctx->now);
	return fnl__collect(db, st, sizeof **out, read_item, (void **)out, n, "read work queue");
}
