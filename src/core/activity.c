/*
 * core/activity.c - activities on a lead (SPEC §5) and what they complete: the first follow-up
 * after grading meets the deadline (§4); material, nurture touches and next follow-ups are done by
 * the activities that answer them.
 */
#include <stdio.h>
#include <string.h>

#include "core/internal.h"
#include "core/lead.h"
#include "core/sla.h"
#include "store/store.h"

static int kind_in(const char *kind, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(kind, *list) == 0)
			return 1;
	return 0;
}

/* The follow-ups that meet a deadline (§4). */
static const char *const followups[] = {"call", "meeting", "visit", "email", "message", NULL};
/* What sends material to a B lead, and what touches a nurture lead. */
static const char *const senders[] = {"email", "message", "nurture", NULL};
static const char *const touches[] = {"nurture", "email", "message", "call", NULL};
/* Everything that reaches the customer, which is what a next follow-up asks for. */
static const char *const contacts[] = {"call", "meeting", "visit", "email", "message", "demo",
				       "nurture", "aftersales", NULL};

static int complete_tasks(fnl_db *db, const struct fnl_ctx *ctx, struct fnl_lead *l, const char *kind,
			  int64_t activity_id)
{
	int rc = 0;
	if (kind_in(kind, followups)) {
		if (!l->first_contact_at)
			l->first_contact_at = ctx->now;
		/* only a deadline set before this activity is met by it */
		if ((rc = fnl__task_done(db, l->id, "followup", ctx->now, activity_id, ctx->now)))
			return rc;
	}
	if (kind_in(kind, senders) && (rc = fnl__task_done(db, l->id, "material", ctx->now, activity_id, ctx->now)))
		return rc;
	if (kind_in(kind, touches) && strcmp(l->status, "nurture") == 0) {
		int64_t touch;
		if ((rc = fnl__task_open(db, l->id, "touch", &touch, NULL)))
			return rc;
		if (touch) {
			if ((rc = fnl__task_done(db, l->id, "touch", ctx->now, activity_id, ctx->now)) ||
			    (rc = fnl__task_add(db, l, "touch", "C", ctx->now, fnl__touch_due(db, ctx->now), NULL)))
				return rc;
		}
	}
	if (kind_in(kind, contacts))
		rc = fnl__task_done(db, l->id, "next", ctx->now, activity_id, ctx->now);
	return rc;
}

static int add_activity(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
			const struct fnl_activity_input *in, struct fnl_activity *out)
{
	static const char sql[] = "INSERT INTO activity (lead_id, kind, at, user_id, summary, outcome, next_at)"
				  " VALUES (?, ?, ?, ?, ?, ?, ?)";
	struct fnl_lead old, l;
	int rc = fnl__lead_writable(db, lead_id, &old);
	if (rc)
		return rc;
	if (!in->kind || !fnl_activity_kind_valid(in->kind))
		return fnl__err(db, FNL_EINVAL, "kind",
				"kind: '%s' is not an activity kind (call, meeting, visit, email, message, demo,"
				" nurture, aftersales, note)", in->kind ? in->kind : "");
	/* after-sales care is with a customer: a won lead (SPEC §8: after-sales, won customers) */
	if (strcmp(in->kind, "aftersales") == 0 && strcmp(old.status, "won") != 0)
		return fnl__err(db, FNL_ESTATE, "kind", "kind: after-sales care is for won customers; lead %lld is %s",
				(long long)lead_id, old.status);
	char summary[FNL_NOTE_LEN], outcome[FNL_TEXT_LEN];
	if ((rc = fnl__take_text(db, "summary", in->summary, summary, sizeof summary)) ||
	    (rc = fnl__take_text(db, "outcome", in->outcome, outcome, sizeof outcome)))
		return rc;
	if (in->next_at && in->next_at <= ctx->now) {
		char t[40];
		fnl_time_format(db->set.tz, in->next_at, t, sizeof t);
		return fnl__err(db, FNL_EINVAL, "next", "next: '%s' is not in the future", t);
	}
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	fnl__bind_text(st, 2, in->kind);
	sqlite3_bind_int64(st, 3, ctx->now);
	fnl__bind_int_null(st, 4, ctx->actor);
	fnl__bind_text(st, 5, summary);
	fnl__bind_text(st, 6, outcome);
	fnl__bind_int_null(st, 7, in->next_at);
	if ((rc = fnl__exec_stmt(db, st, "add activity")))
		return rc;
	int64_t aid = fnl__last_id(db);
	l = old;
	if ((rc = complete_tasks(db, ctx, &l, in->kind, aid)))
		return rc;
	if (in->next_at && (strcmp(l.status, "open") == 0 || strcmp(l.status, "nurture") == 0)) {
		if ((rc = fnl__task_cancel(db, lead_id, "next", ctx->now)) ||
		    (rc = fnl__task_add(db, &l, "next", NULL, ctx->now, in->next_at, NULL)))
			return rc;
	}
	l.updated_at = ctx->now;
	if ((rc = fnl__lead_update(db, &l, NULL)))
		return rc;
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)aid);
	json_t *after = json_pack("{ss ss ss}", "kind", in->kind, "summary", summary, "outcome", outcome);
	if (in->next_at)
		json_object_set_new(after, "next_at", fnl__json_time(db, in->next_at));
	if ((rc = fnl__audit(db, ctx, "activity", id, "create", lead_id, NULL, after)))
		return rc;
	if (old.first_contact_at != l.first_contact_at &&
	    (rc = fnl__lead_audit(db, ctx, "follow_up", &old, &l)))
		return rc;
	if (!out)
		return 0;
	struct fnl_activity *v;
	size_t n;
	if ((rc = fnl_activity_list(db, ctx, lead_id, &v, &n)))
		return rc;
	for (size_t i = 0; i < n; i++)
		if (v[i].id == aid)
			*out = v[i];
	free(v);
	return 0;
}

int fnl_activity_add(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
		     const struct fnl_activity_input *in, struct fnl_activity *out)
{
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc : fnl__tx_end(db, add_activity(db, ctx, lead_id, in, out));
}

static void read_activity(sqlite3_stmt *st, void *p)
{
	struct fnl_activity *a = p;
	a->id = sqlite3_column_int64(st, 0);
	a->lead_id = sqlite3_column_int64(st, 1);
	fnl__col_text(st, 2, a->kind, sizeof a->kind);
	a->at = sqlite3_column_int64(st, 3);
	fnl__col_text(st, 4, a->user, sizeof a->user);
	fnl__col_text(st, 5, a->summary, sizeof a->summary);
	fnl__col_text(st, 6, a->outcome, sizeof a->outcome);
	a->next_at = sqlite3_column_int64(st, 7);
	fnl__col_text(st, 8, a->channel, sizeof a->channel);
	fnl__col_text(st, 9, a->source, sizeof a->source);
	a->ref_lead = sqlite3_column_int64(st, 10);
}

int fnl_activity_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
		      struct fnl_activity **out, size_t *n)
{
	static const char sql[] =
		"SELECT a.id, a.lead_id, a.kind, a.at, COALESCE(u.login, 'system'), a.summary, a.outcome,"
		" COALESCE(a.next_at, 0), COALESCE(c.key, ''), a.source, COALESCE(a.ref_lead, 0)"
		" FROM activity a LEFT JOIN user u ON u.id = a.user_id LEFT JOIN channel c ON c.id = a.channel_id"
		" WHERE a.lead_id = ? ORDER BY a.at, a.id";
	return fnl__lead_rows(db, ctx, lead_id, sql, sizeof **out, read_activity, (void **)out, n,
			      "list activities");
}
