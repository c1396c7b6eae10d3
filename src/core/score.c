/*
 * core/score.c - qualification (SPEC §4): B/N/D/U scores, the weighted total, the grade, the
 * scoring history, and what a grade sets in motion: the follow-up deadline for A and B, material
 * for B, the nurture pool for C.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/lead.h"
#include "core/sla.h"
#include "store/store.h"

static int64_t total_of(const fnl_db *db, const int s[4])
{
	int64_t t = 0;
	for (int i = 0; i < 4; i++)
		t += (int64_t)s[i] * db->set.weight[i];
	return t;
}

static char grade_of(const fnl_db *db, int64_t total)
{
	if (total >= db->set.grade_a_min)
		return 'A';
	if (total >= db->set.grade_b_min)
		return 'B';
	return 'C';
}

char fnl_grade_of(fnl_db *db, int64_t total)
{
	if (fnl__enter_noctx(db))
		return 0;
	return grade_of(db, total);
}

/* 1 in *sent when material has already been sent to the lead (a material task done). */
static int material_sent(fnl_db *db, int64_t lead_id, int *sent)
{
	static const char sql[] = "SELECT 1 FROM task WHERE lead_id = ? AND kind = 'material' AND done_at IS NOT NULL"
				  " LIMIT 1";
	*sent = 0;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	int rc = sqlite3_step(st);
	*sent = rc == SQLITE_ROW;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fnl__sqlerr(db, rc, "read task");
}

/* A B lead gets material (SPEC §4) unless some is still to be sent or, on a re-score of an open lead
 * (not forced), was sent already. */
static int lead_material(fnl_db *db, const struct fnl_lead *l, const char *grade, int64_t at, int64_t due,
			 int force)
{
	int64_t mat;
	int sent = 0;
	int rc = fnl__task_open(db, l->id, "material", &mat, NULL);
	if (rc || mat || (!force && (rc = material_sent(db, l->id, &sent))) || sent)
		return rc;
	return fnl__task_add(db, l, "material", grade, at, due, NULL);
}

int fnl__lead_deadline(fnl_db *db, const struct fnl_lead *l, const char *grade, int64_t at, int force)
{
	int64_t due = fnl__sla_due(db, grade, at), open_id, open_due;
	int rc = fnl__task_open(db, l->id, "followup", &open_id, &open_due);
	if (rc)
		return rc;
	/* A re-score never pushes an unmet deadline later, and sets none once the deadline was met;
	 * either way a lead now B still gets material. */
	int add = force && !open_id;
	if (open_id && due < open_due) {
		if ((rc = fnl__task_cancel(db, l->id, "followup", at)))
			return rc;
		add = 1;
	}
	if (add && (rc = fnl__task_add(db, l, "followup", grade, at, due, NULL)))
		return rc;
	return grade[0] == 'B' ? lead_material(db, l, grade, at, due, force) : 0;
}

static int insert_score(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const int s[4],
			int64_t total, const char *grade)
{
	static const char sql[] = "INSERT INTO score (lead_id, at, user_id, budget, need, decision, urgency,"
				  " total, grade) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	sqlite3_bind_int64(st, 2, ctx->now);
	fnl__bind_int_null(st, 3, ctx->actor);
	for (int i = 0; i < 4; i++)
		sqlite3_bind_int(st, 4 + i, s[i]);
	sqlite3_bind_int64(st, 8, total);
	fnl__bind_text(st, 9, grade);
	return fnl__exec_stmt(db, st, "record score");
}

/* Grade C: into the nurture pool, with a touch and a re-evaluation due. */
static int to_nurture(fnl_db *db, const struct fnl_ctx *ctx, struct fnl_lead *l, int was_nurture)
{
	int rc;
	if (!was_nurture) {
		snprintf(l->status, sizeof l->status, "nurture");
		if ((rc = fnl__task_cancel(db, l->id, "followup", ctx->now)) ||
		    (rc = fnl__task_cancel(db, l->id, "material", ctx->now)) ||
		    (rc = fnl__task_cancel(db, l->id, "next", ctx->now)))
			return rc;
	}
	if ((rc = fnl__task_done(db, l->id, "reevaluate", ctx->now, 0, ctx->now)))
		return rc;
	int64_t touch;
	if ((rc = fnl__task_open(db, l->id, "touch", &touch, NULL)))
		return rc;
	if (!touch && (rc = fnl__task_add(db, l, "touch", "C", ctx->now, fnl__touch_due(db, ctx->now), NULL)))
		return rc;
	return fnl__task_add(db, l, "reevaluate", "C", ctx->now, fnl__reevaluate_due(db, ctx->now), NULL);
}

static int score_loaded(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_lead *oldp, const int s[4],
			struct fnl_lead *out)
{
	static const char *const names[4] = {"budget", "need", "decision", "urgency"};
	const struct fnl_lead old = *oldp;
	const int64_t id = old.id;
	struct fnl_lead l;
	int rc;
	if (strcmp(old.status, "open") && strcmp(old.status, "nurture"))
		return fnl__err(db, FNL_ESTATE, "id", "lead %lld is %s; only open and nurture leads are scored%s",
				(long long)id, old.status, strcmp(old.status, "lost") == 0 ? " (reopen it first)" : "");
	for (int i = 0; i < 4; i++)
		if (s[i] < 1 || s[i] > 5)
			return fnl__err(db, FNL_EINVAL, names[i], "%s: %d is not a score from 1 to 5", names[i], s[i]);
	l = old;
	int64_t total = total_of(db, s);
	char grade[2] = {grade_of(db, total), '\0'};
	if ((rc = insert_score(db, ctx, id, s, total, grade)))
		return rc;
	int first = old.grade[0] == '\0', was_nurture = strcmp(old.status, "nurture") == 0;
	l.budget = s[0];
	l.need = s[1];
	l.decision = s[2];
	l.urgency = s[3];
	l.score_total = total;
	snprintf(l.grade, sizeof l.grade, "%s", grade);
	l.graded_at = ctx->now;
	l.updated_at = ctx->now;
	if (l.stage_pos == 1) {
		struct fnl_stage q;
		if ((rc = fnl__stage_by_pos(db, l.pipeline_id, 2, &q)))
			return rc;
		if ((rc = fnl__stage_event(db, ctx, id, "forward", l.stage_id, q.id, ctx->now, "scored", NULL)))
			return rc;
		l.stage_id = q.id;
		l.stage_pos = 2;
		snprintf(l.stage, sizeof l.stage, "%s", q.key);
		if (l.reached_pos < 2) {
			l.reached_pos = 2;
			snprintf(l.reached, sizeof l.reached, "%s", q.key);
		}
	}
	if (grade[0] == 'C') {
		rc = to_nurture(db, ctx, &l, was_nurture);
	} else {
		if (was_nurture) {
			snprintf(l.status, sizeof l.status, "open");
			if ((rc = fnl__task_done(db, id, "reevaluate", ctx->now, 0, ctx->now)) ||
			    (rc = fnl__task_cancel(db, id, "touch", ctx->now)) ||
			    (rc = fnl__task_cancel(db, id, "reevaluate", ctx->now)))
				return rc;
		}
		rc = fnl__lead_deadline(db, &l, grade, ctx->now, first || was_nurture);
	}
	if (rc || (rc = fnl__lead_update_grade(db, &l)) || (rc = fnl__lead_audit(db, ctx, "score", &old, &l)))
		return rc;
	return out ? fnl__lead_load(db, id, out) : 0;
}

static int score_lead(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const int s[4], struct fnl_lead *out)
{
	struct fnl_lead old;
	int rc = fnl__lead_writable(db, id, &old);
	return rc ? rc : score_loaded(db, ctx, &old, s, out);
}

int fnl__lead_score_loaded(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_lead *old, const int s[4],
			   struct fnl_lead *out)
{
	int rc = fnl__lead_access(db, old, FNL__WRITE);
	return rc ? rc : score_loaded(db, ctx, old, s, out);
}

int fnl_lead_score(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, int budget, int need,
		   int decision, int urgency, struct fnl_lead *out)
{
	const int s[4] = {budget, need, decision, urgency};
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc : fnl__tx_end(db, score_lead(db, ctx, id, s, out));
}

static void read_score(sqlite3_stmt *st, void *p)
{
	struct fnl_score_entry *e = p;
	e->id = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 1);
	fnl__col_text(st, 2, e->user, sizeof e->user);
	e->budget = sqlite3_column_int(st, 3);
	e->need = sqlite3_column_int(st, 4);
	e->decision = sqlite3_column_int(st, 5);
	e->urgency = sqlite3_column_int(st, 6);
	e->total = sqlite3_column_int64(st, 7);
	fnl__col_text(st, 8, e->grade, sizeof e->grade);
}

int fnl_lead_scores(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, struct fnl_score_entry **out,
		    size_t *n)
{
	static const char sql[] =
		"SELECT s.id, s.at, COALESCE(u.login, 'system'), s.budget, s.need, s.decision, s.urgency,"
		" s.total, s.grade FROM score s LEFT JOIN user u ON u.id = s.user_id WHERE s.lead_id = ?"
		" ORDER BY s.at, s.id";
	return fnl__lead_rows(db, ctx, id, sql, sizeof **out, read_score, (void **)out, n, "list scores");
}
