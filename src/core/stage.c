/*
 * core/stage.c - moving a lead through the pipeline (SPEC §2): forward (skipping stages counts them
 * as reached at the same instant), back with a note, win at the last stage, lose with a reason,
 * reopen. Each change is an immutable stage event; the lead keeps its furthest reached stage.
 */
#include <stdlib.h>
#include <string.h>

#include "core/gate.h"
#include "core/internal.h"
#include "core/lead.h"
#include "funnel/sale.h"
#include "store/store.h"

static int take_note(fnl_db *db, const char *note, char *buf, size_t len)
{
	return fnl__take_text(db, "note", note, buf, len);
}

int fnl__lead_move(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const char *to, const char *note,
		   int force, struct fnl_lead *out)
{
	struct fnl_lead old, l;
	int rc = fnl__lead_writable(db, id, &old);
	if (rc)
		return rc;
	if (strcmp(old.status, "open") != 0) {
		if (strcmp(old.status, "nurture") == 0)
			return fnl__err(db, FNL_ESTATE, "id",
					"lead %lld is in the nurture pool; re-score it or reopen it before moving it",
					(long long)id);
		return fnl__err(db, FNL_ESTATE, "id", "lead %lld is %s; only open leads move%s", (long long)id,
				old.status, strcmp(old.status, "lost") == 0 ? " (reopen it first)" : "");
	}
	if (!to || !*to)
		return fnl__err(db, FNL_EINVAL, "to", "to: required (a stage key, see 'funnel stage list')");
	struct fnl_stage target, last;
	if ((rc = fnl__stage_by_key(db, old.pipeline_id, to, "to", &target)) ||
	    (rc = fnl__stage_last(db, old.pipeline_id, &last)))
		return rc;
	if (target.pos == old.stage_pos)
		return fnl__err(db, FNL_ESTATE, "to", "lead %lld is already at '%s'", (long long)id, to);
	char nt[FNL_NOTE_LEN];
	if ((rc = take_note(db, note, nt, sizeof nt)))
		return rc;
	int back = target.pos < old.stage_pos;
	if (back && !nt[0])
		return fnl__err(db, FNL_EINVAL, "note", "note: moving lead %lld back to '%s' needs a note saying why",
				(long long)id, to);
	if (!back) {
		char failed[512];
		json_t *forced = NULL;
		if ((rc = fnl__gates(db, &old, target.pos, failed, sizeof failed, &forced)))
			return rc;
		if (failed[0] && !force) {
			json_decref(forced);
			return fnl__err(db, FNL_EGATE, "to", "cannot move lead %lld to '%s': %s", (long long)id, to, failed);
		}
		if (forced) {
			if ((rc = fnl__require_role(db, "force a lead past a stage gate", "admin", "manager", NULL))) {
				json_decref(forced);
				return rc;
			}
			char lid[24];
			snprintf(lid, sizeof lid, "%lld", (long long)id);
			if ((rc = fnl__audit(db, ctx, "lead", lid, "force_gate", id, NULL,
					     json_pack("{ss so}", "to", to, "gates", forced))))
				return rc;
		}
	}
	if ((rc = fnl__stage_event(db, ctx, id, back ? "back" : "forward", old.stage_id, target.id, ctx->now, nt, NULL)))
		return rc;
	l = old;
	l.stage_id = target.id;
	l.stage_pos = target.pos;
	snprintf(l.stage, sizeof l.stage, "%s", target.key);
	if (target.pos > l.reached_pos) {
		l.reached_pos = target.pos;
		snprintf(l.reached, sizeof l.reached, "%s", target.key);
	}
	if (target.pos == last.pos) {
		snprintf(l.status, sizeof l.status, "won");
		l.won_at = ctx->now;
		if ((rc = fnl__task_cancel(db, id, NULL, ctx->now)))
			return rc;
	}
	l.updated_at = ctx->now;
	if ((rc = fnl__lead_update(db, &l, NULL)) ||
	    (rc = fnl__lead_audit(db, ctx, target.pos == last.pos ? "win" : "move", &old, &l)))
		return rc;
	return fnl__lead_load(db, id, out);
}

int fnl_lead_move(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const char *stage,
		  const char *note, struct fnl_lead *out)
{
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc : fnl__tx_end(db, fnl__lead_move(db, ctx, id, stage, note, 0, out));
}

int fnl_lead_force(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const char *stage,
		   const char *note, struct fnl_lead *out)
{
	int rc = fnl__begin_write(db, ctx, "force a lead past a stage gate", "admin", "manager", NULL);
	return rc ? rc : fnl__tx_end(db, fnl__lead_move(db, ctx, id, stage, note, 1, out));
}

static int lose_lead(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const char *reason,
		     const char *note, struct fnl_lead *out)
{
	struct fnl_lead old, l;
	int rc = fnl__lead_writable(db, id, &old);
	if (rc)
		return rc;
	if (strcmp(old.status, "open") && strcmp(old.status, "nurture"))
		return fnl__err(db, FNL_ESTATE, "id", "lead %lld is %s; only open and nurture leads can be lost",
				(long long)id, old.status);
	if (!reason || !*reason)
		return fnl__err(db, FNL_EINVAL, "reason", "reason: required (see 'funnel reason list')");
	if (!fnl__reason_exists(db, reason))
		return fnl__err(db, FNL_EINVAL, "reason", "reason: no loss reason '%s' (see 'funnel reason list')", reason);
	char nt[FNL_NOTE_LEN];
	if ((rc = take_note(db, note, nt, sizeof nt)))
		return rc;
	if ((rc = fnl__stage_event(db, ctx, id, "lose", old.stage_id, old.stage_id, ctx->now, nt, reason)) ||
	    (rc = fnl__task_cancel(db, id, NULL, ctx->now)))
		return rc;
	l = old;
	snprintf(l.status, sizeof l.status, "lost");
	snprintf(l.lost_reason, sizeof l.lost_reason, "%s", reason);
	snprintf(l.lost_stage, sizeof l.lost_stage, "%s", l.stage);
	l.lost_at = ctx->now;
	l.updated_at = ctx->now;
	if ((rc = fnl__lead_update(db, &l, NULL)) || (rc = fnl__lead_audit(db, ctx, "lose", &old, &l)))
		return rc;
	return fnl__lead_load(db, id, out);
}

int fnl_lead_lose(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const char *reason,
		  const char *note, struct fnl_lead *out)
{
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc : fnl__tx_end(db, lose_lead(db, ctx, id, reason, note, out));
}

static int reopen_lead(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const char *note,
		       struct fnl_lead *out)
{
	struct fnl_lead old, l;
	int rc = fnl__lead_writable(db, id, &old);
	if (rc)
		return rc;
	if (strcmp(old.status, "lost") && strcmp(old.status, "nurture"))
		return fnl__err(db, FNL_ESTATE, "id", "lead %lld is %s; only lost and nurture leads can be reopened",
				(long long)id, old.status);
	char nt[FNL_NOTE_LEN];
	if ((rc = take_note(db, note, nt, sizeof nt)))
		return rc;
	if ((rc = fnl__stage_event(db, ctx, id, "reopen", old.stage_id, old.stage_id, ctx->now, nt, NULL)) ||
	    (rc = fnl__task_cancel(db, id, "touch", ctx->now)) ||
	    (rc = fnl__task_cancel(db, id, "reevaluate", ctx->now)))
		return rc;
	l = old;
	snprintf(l.status, sizeof l.status, "open");
	l.lost_reason[0] = '\0';
	l.lost_stage[0] = '\0';
	l.lost_at = 0;
	l.updated_at = ctx->now;
	const char *grade = l.grade[0] == 'A' ? "A" : "B";
	if ((rc = fnl__lead_deadline(db, &l, grade, ctx->now, 1)) || (rc = fnl__lead_update(db, &l, NULL)) ||
	    (rc = fnl__lead_audit(db, ctx, "reopen", &old, &l)))
		return rc;
	return fnl__lead_load(db, id, out);
}

int fnl_lead_reopen(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const char *note,
		    struct fnl_lead *out)
{
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc : fnl__tx_end(db, reopen_lead(db, ctx, id, note, out));
}

static void read_event(sqlite3_stmt *st, void *p)
{
	struct fnl_stage_event *e = p;
	e->id = sqlite3_column_int64(st, 0);
	fnl__col_text(st, 1, e->kind, sizeof e->kind);
	fnl__col_text(st, 2, e->from, sizeof e->from);
	fnl__col_text(st, 3, e->to, sizeof e->to);
	e->at = sqlite3_column_int64(st, 4);
	fnl__col_text(st, 5, e->user, sizeof e->user);
	fnl__col_text(st, 6, e->note, sizeof e->note);
	fnl__col_text(st, 7, e->reason, sizeof e->reason);
}

int fnl_lead_events(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, struct fnl_stage_event **out,
		    size_t *n)
{
	static const char sql[] =
		"SELECT e.id, e.kind, COALESCE(f.key, ''), t.key, e.at, COALESCE(u.login, 'system'), e.note,"
		" COALESCE(e.reason, '') FROM stage_event e LEFT JOIN stage f ON f.id = e.from_stage"
		" JOIN stage t ON t.id = e.to_stage LEFT JOIN user u ON u.id = e.user_id"
		" WHERE e.lead_id = ? ORDER BY e.at, e.id";
	return fnl__lead_rows(db, ctx, id, sql, sizeof **out, read_event, (void **)out, n, "list stage events");
}

static void read_owner_event(sqlite3_stmt *st, void *p)
{
	struct fnl_owner_event *e = p;
	e->id = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 1);
	fnl__col_text(st, 2, e->from, sizeof e->from);
	fnl__col_text(st, 3, e->to, sizeof e->to);
	fnl__col_text(st, 4, e->user, sizeof e->user);
	fnl__col_text(st, 5, e->note, sizeof e->note);
}

int fnl_lead_owner_events(fnl_db *db, const struct fnl_ctx *ctx, int64_t id,
			  struct fnl_owner_event **out, size_t *n)
{
	static const char sql[] =
		"SELECT e.id, e.at, COALESCE(f.login, ''), t.login, COALESCE(u.login, 'system'), e.note"
		" FROM owner_event e LEFT JOIN user f ON f.id = e.from_user JOIN user t ON t.id = e.to_user"
		" LEFT JOIN user u ON u.id = e.user_id WHERE e.lead_id = ? ORDER BY e.at, e.id";
	return fnl__lead_rows(db, ctx, id, sql, sizeof **out, read_owner_event, (void **)out, n,
			      "list owner events");
}
