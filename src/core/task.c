/* core/task.c - what is due on a lead: deadlines, material, nurture touches, re-evaluations. */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/lead.h"
#include "store/store.h"

int fnl__task_add(fnl_db *db, const struct fnl_lead *l, const char *kind, const char *grade,
		  int64_t created_at, int64_t due_at, int64_t *id)
{
	static const char sql[] = "INSERT INTO task (lead_id, kind, grade, owner_id, created_at, due_at)"
				  " VALUES (?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, l->id);
	fnl__bind_text(st, 2, kind);
	fnl__bind_text_null(st, 3, grade);
	fnl__bind_int_null(st, 4, l->owner_id);
	sqlite3_bind_int64(st, 5, created_at);
	sqlite3_bind_int64(st, 6, due_at);
	int rc = fnl__exec_stmt(db, st, "add task");
	if (rc == 0 && id)
		*id = fnl__last_id(db);
	return rc;
}

int fnl__task_done(fnl_db *db, int64_t lead_id, const char *kind, int64_t at, int64_t activity_id,
		   int64_t created_before)
{
	static const char sql[] = "UPDATE task SET done_at = ?1, activity_id = ?2 WHERE lead_id = ?3"
				  " AND (?4 IS NULL OR kind = ?4) AND done_at IS NULL AND cancelled_at IS NULL"
				  " AND created_at <= ?5";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, at);
	fnl__bind_int_null(st, 2, activity_id);
	sqlite3_bind_int64(st, 3, lead_id);
	fnl__bind_text_null(st, 4, kind);
	sqlite3_bind_int64(st, 5, created_before);
	return fnl__exec_stmt(db, st, "complete task");
}

int fnl__task_cancel(fnl_db *db, int64_t lead_id, const char *kind, int64_t at)
{
	static const char sql[] = "UPDATE task SET cancelled_at = ?1 WHERE lead_id = ?2"
				  " AND (?3 IS NULL OR kind = ?3) AND done_at IS NULL AND cancelled_at IS NULL";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_int64(st, 2, lead_id);
	fnl__bind_text_null(st, 3, kind);
	return fnl__exec_stmt(db, st, "cancel task");
}

int fnl__task_open(fnl_db *db, int64_t lead_id, const char *kind, int64_t *id, int64_t *due_at)
{
	static const char sql[] = "SELECT id, due_at FROM task WHERE lead_id = ? AND kind = ?"
				  " AND done_at IS NULL AND cancelled_at IS NULL ORDER BY id DESC LIMIT 1";
	*id = 0;
	if (due_at)
		*due_at = 0;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	fnl__bind_text(st, 2, kind);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (due_at)
			*due_at = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fnl__sqlerr(db, rc, "read task");
}

int fnl__task_reown(fnl_db *db, int64_t lead_id, int64_t owner_id)
{
	static const char sql[] = "UPDATE task SET owner_id = ? WHERE lead_id = ? AND done_at IS NULL"
				  " AND cancelled_at IS NULL";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	fnl__bind_int_null(st, 1, owner_id);
	sqlite3_bind_int64(st, 2, lead_id);
	return fnl__exec_stmt(db, st, "reassign tasks");
}

static void read_task(sqlite3_stmt *st, void *p)
{
	struct fnl_task *t = p;
	t->id = sqlite3_column_int64(st, 0);
	t->lead_id = sqlite3_column_int64(st, 1);
	fnl__col_text(st, 2, t->kind, sizeof t->kind);
	fnl__col_text(st, 3, t->grade, sizeof t->grade);
	fnl__col_text(st, 4, t->owner, sizeof t->owner);
	t->created_at = sqlite3_column_int64(st, 5);
	t->due_at = sqlite3_column_int64(st, 6);
	t->done_at = sqlite3_column_int64(st, 7);
	t->cancelled_at = sqlite3_column_int64(st, 8);
	t->activity_id = sqlite3_column_int64(st, 9);
}

int fnl_lead_tasks(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, struct fnl_task **out,
		   size_t *n)
{
	static const char sql[] =
		"SELECT t.id, t.lead_id, t.kind, COALESCE(t.grade, ''), COALESCE(u.login, ''), t.created_at,"
		" t.due_at, COALESCE(t.done_at, 0), COALESCE(t.cancelled_at, 0), COALESCE(t.activity_id, 0)"
		" FROM task t LEFT JOIN user u ON u.id = t.owner_id WHERE t.lead_id = ? ORDER BY t.due_at, t.id";
	return fnl__lead_rows(db, ctx, lead_id, sql, sizeof **out, read_task, (void **)out, n, "list tasks");
}
