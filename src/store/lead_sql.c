/* store/lead_sql.c - leads in SQLite: load, insert, update, duplicate lookup, scans. */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "store/store.h"

/* One row per lead with the keys behind its ids, its follow-up deadline and its next task. */
#define LEAD_SELECT                                                                                   \
	"SELECT l.id, l.company, l.contact, l.title, l.phone, l.email, l.wechat, l.industry, l.size,"     \
	" l.region, c.key, l.source, l.consent, l.notes, l.captured_at, COALESCE(u.login, ''), s.key,"     \
	" s.pos, l.reached_pos, COALESCE(rs.key, ''), l.status, COALESCE(l.invalid_reason, ''),"          \
	" COALESCE(l.merged_into, 0), COALESCE(l.returning_of, 0), COALESCE(l.lost_reason, ''),"           \
	" COALESCE(l.lost_at, 0), COALESCE(l.won_at, 0), l.amount, COALESCE(l.close_month, ''),"          \
	" COALESCE(l.grade, ''), COALESCE(l.score_budget, 0), COALESCE(l.score_need, 0),"                  \
	" COALESCE(l.score_decision, 0), COALESCE(l.score_urgency, 0), COALESCE(l.score_total, 0),"        \
	" COALESCE(l.graded_at, 0), COALESCE(l.first_contact_at, 0), COALESCE(f.due_at, 0),"               \
	" COALESCE(f.done_at, 0), COALESCE(t.kind, ''), COALESCE(t.due_at, 0), l.created_at,"              \
	" l.updated_at, l.version, l.channel_id, l.stage_id, COALESCE(l.owner_id, 0), l.pipeline_id,"    \
	" COALESCE(l.referred_by, 0), COALESCE(l.aftersales_id, 0), COALESCE(af.login, '')"               \
	" FROM lead l JOIN channel c ON c.id = l.channel_id JOIN stage s ON s.id = l.stage_id"             \
	" LEFT JOIN user af ON af.id = l.aftersales_id"                                                   \
	" LEFT JOIN stage rs ON rs.pipeline_id = l.pipeline_id AND rs.pos = l.reached_pos"                 \
	" LEFT JOIN user u ON u.id = l.owner_id"                                                          \
	" LEFT JOIN task f ON f.id = (SELECT max(id) FROM task WHERE lead_id = l.id AND kind = 'followup'" \
	"  AND (cancelled_at IS NULL OR done_at IS NOT NULL))"                                              \
	" LEFT JOIN task t ON t.id = (SELECT id FROM task WHERE lead_id = l.id AND done_at IS NULL"        \
	"  AND cancelled_at IS NULL ORDER BY due_at, id LIMIT 1) "

static void read_lead(sqlite3_stmt *st, struct fnl_lead *l)
{
	memset(l, 0, sizeof *l);
	int i = 0;
	l->id = sqlite3_column_int64(st, i++);
	fnl__col_text(st, i++, l->company, sizeof l->company);
	fnl__col_text(st, i++, l->contact, sizeof l->contact);
	fnl__col_text(st, i++, l->title, sizeof l->title);
	fnl__col_text(st, i++, l->phone, sizeof l->phone);
	fnl__col_text(st, i++, l->email, sizeof l->email);
	fnl__col_text(st, i++, l->wechat, sizeof l->wechat);
	fnl__col_text(st, i++, l->industry, sizeof l->industry);
	fnl__col_text(st, i++, l->size, sizeof l->size);
	fnl__col_text(st, i++, l->region, sizeof l->region);
	fnl__col_text(st, i++, l->channel, sizeof l->channel);
	fnl__col_text(st, i++, l->source, sizeof l->source);
	fnl__col_text(st, i++, l->consent, sizeof l->consent);
	fnl__col_text(st, i++, l->notes, sizeof l->notes);
	l->captured_at = sqlite3_column_int64(st, i++);
	fnl__col_text(st, i++, l->owner, sizeof l->owner);
	fnl__col_text(st, i++, l->stage, sizeof l->stage);
	l->stage_pos = sqlite3_column_int(st, i++);
	l->reached_pos = sqlite3_column_int(st, i++);
	fnl__col_text(st, i++, l->reached, sizeof l->reached);
	fnl__col_text(st, i++, l->status, sizeof l->status);
	fnl__col_text(st, i++, l->invalid_reason, sizeof l->invalid_reason);
	l->merged_into = sqlite3_column_int64(st, i++);
	l->returning_of = sqlite3_column_int64(st, i++);
	fnl__col_text(st, i++, l->lost_reason, sizeof l->lost_reason);
	l->lost_at = sqlite3_column_int64(st, i++);
	l->won_at = sqlite3_column_int64(st, i++);
	l->has_amount = sqlite3_column_type(st, i) != SQLITE_NULL;
	l->amount = sqlite3_column_int64(st, i++);
	fnl__col_text(st, i++, l->close_month, sizeof l->close_month);
	fnl__col_text(st, i++, l->grade, sizeof l->grade);
	l->budget = sqlite3_column_int(st, i++);
	l->need = sqlite3_column_int(st, i++);
	l->decision = sqlite3_column_int(st, i++);
	l->urgency = sqlite3_column_int(st, i++);
	l->score_total = sqlite3_column_int64(st, i++);
	l->graded_at = sqlite3_column_int64(st, i++);
	l->first_contact_at = sqlite3_column_int64(st, i++);
	l->sla_due_at = sqlite3_column_int64(st, i++);
	l->sla_met_at = sqlite3_column_int64(st, i++);
	fnl__col_text(st, i++, l->next_action, sizeof l->next_action);
	l->next_due_at = sqlite3_column_int64(st, i++);
	l->created_at = sqlite3_column_int64(st, i++);
	l->updated_at = sqlite3_column_int64(st, i++);
	l->version = sqlite3_column_int64(st, i++);
	l->channel_id = sqlite3_column_int64(st, i++);
	l->stage_id = sqlite3_column_int64(st, i++);
	l->owner_id = sqlite3_column_int64(st, i++);
	l->pipeline_id = sqlite3_column_int64(st, i++);
	l->referred_by = sqlite3_column_int64(st, i++);
	l->aftersales_id = sqlite3_column_int64(st, i++);
	fnl__col_text(st, i++, l->aftersales, sizeof l->aftersales);
	if (strcmp(l->status, "lost") == 0)
		snprintf(l->lost_stage, sizeof l->lost_stage, "%s", l->stage);
}

int fnl__lead_load(fnl_db *db, int64_t id, struct fnl_lead *out)
{
	static const char sql[] = LEAD_SELECT "WHERE l.id = ?";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_lead(st, out);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fnl__sqlerr(db, rc, "read lead");
	return fnl__err(db, FNL_ENOTFOUND, "id", "no lead %lld", (long long)id);
}

/* Bind the stored columns of a lead in the order of the INSERT and UPDATE below. */
static void bind_lead(sqlite3_stmt *st, const struct fnl_lead *l, const struct fnl__lead_keys *k)
{
	int i = 1;
	sqlite3_bind_int64(st, i++, l->pipeline_id);
	fnl__bind_text(st, i++, l->company);
	fnl__bind_text(st, i++, l->contact);
	fnl__bind_text(st, i++, l->title);
	fnl__bind_text(st, i++, l->phone);
	fnl__bind_text(st, i++, l->email);
	fnl__bind_text(st, i++, l->wechat);
	fnl__bind_text(st, i++, l->industry);
	fnl__bind_text(st, i++, l->size);
	fnl__bind_text(st, i++, l->region);
	sqlite3_bind_int64(st, i++, l->channel_id);
	fnl__bind_text(st, i++, l->source);
	fnl__bind_text(st, i++, l->consent);
	fnl__bind_text(st, i++, l->notes);
	sqlite3_bind_int64(st, i++, l->captured_at);
	fnl__bind_int_null(st, i++, l->owner_id);
	sqlite3_bind_int64(st, i++, l->stage_id);
	sqlite3_bind_int(st, i++, l->reached_pos);
	fnl__bind_text(st, i++, l->status);
	fnl__bind_text_null(st, i++, l->invalid_reason);
	fnl__bind_int_null(st, i++, l->merged_into);
	fnl__bind_int_null(st, i++, l->returning_of);
	fnl__bind_text_null(st, i++, l->lost_reason);
	fnl__bind_int_null(st, i++, l->lost_at);
	fnl__bind_int_null(st, i++, l->won_at);
	if (l->has_amount)
		sqlite3_bind_int64(st, i++, l->amount);
	else
		sqlite3_bind_null(st, i++);
	fnl__bind_text_null(st, i++, l->close_month);
	fnl__bind_text_null(st, i++, l->grade);
	fnl__bind_int_null(st, i++, l->budget);
	fnl__bind_int_null(st, i++, l->need);
	fnl__bind_int_null(st, i++, l->decision);
	fnl__bind_int_null(st, i++, l->urgency);
	if (l->grade[0])
		sqlite3_bind_int64(st, i++, l->score_total);
	else
		sqlite3_bind_null(st, i++);
	fnl__bind_int_null(st, i++, l->graded_at);
	fnl__bind_int_null(st, i++, l->first_contact_at);
	sqlite3_bind_int64(st, i++, l->created_at);
	sqlite3_bind_int64(st, i++, l->updated_at);
	fnl__bind_int_null(st, i++, l->referred_by);
	fnl__bind_int_null(st, i++, l->aftersales_id);
	if (k) {
		fnl__bind_text_null(st, i++, k->phone);
		fnl__bind_text_null(st, i++, k->email);
		fnl__bind_text_null(st, i++, k->wechat);
		fnl__bind_text_null(st, i++, k->company);
	}
}

#define LEAD_COLUMNS                                                                                  \
	"pipeline_id, company, contact, title, phone, email, wechat, industry, size, region, channel_id," \
	" source, consent, notes, captured_at, owner_id, stage_id, reached_pos, status, invalid_reason,"  \
	" merged_into, returning_of, lost_reason, lost_at, won_at, amount, close_month, grade,"          \
	" score_budget, score_need, score_decision, score_urgency, score_total, graded_at,"              \
	" first_contact_at, created_at, updated_at, referred_by, aftersales_id, phone_key, email_key,"   \
	" wechat_key, company_key"

int fnl__lead_insert(fnl_db *db, struct fnl_lead *l, const struct fnl__lead_keys *k)
{
	static const char sql[] = "INSERT INTO lead (" LEAD_COLUMNS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
				  " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
				  " ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	bind_lead(st, l, k);
	int rc = fnl__exec_stmt(db, st, "add lead");
	if (rc)
		return rc;
	l->id = fnl__last_id(db);
	l->version = 1;
	return 0;
}

int fnl__lead_update_grade(fnl_db *db, struct fnl_lead *l)
{
	static const char sql[] =
		"UPDATE lead SET stage_id = ?, reached_pos = ?, status = ?, grade = ?, score_budget = ?,"
		" score_need = ?, score_decision = ?, score_urgency = ?, score_total = ?, graded_at = ?,"
		" updated_at = ?, version = version + 1 WHERE id = ?";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, l->stage_id);
	sqlite3_bind_int(st, 2, l->reached_pos);
	fnl__bind_text(st, 3, l->status);
	fnl__bind_text_null(st, 4, l->grade);
	fnl__bind_int_null(st, 5, l->budget);
	fnl__bind_int_null(st, 6, l->need);
	fnl__bind_int_null(st, 7, l->decision);
	fnl__bind_int_null(st, 8, l->urgency);
	if (l->grade[0])
		sqlite3_bind_int64(st, 9, l->score_total);
	else
		sqlite3_bind_null(st, 9);
	fnl__bind_int_null(st, 10, l->graded_at);
	sqlite3_bind_int64(st, 11, l->updated_at);
	sqlite3_bind_int64(st, 12, l->id);
	int rc = fnl__exec_stmt(db, st, "update lead");
	if (rc)
		return rc;
	l->version++;
	return 0;
}

int fnl__lead_update(fnl_db *db, struct fnl_lead *l, const struct fnl__lead_keys *k)
{
	static const char sql[] =
		"UPDATE lead SET pipeline_id = ?, company = ?, contact = ?, title = ?, phone = ?, email = ?,"
		" wechat = ?, industry = ?, size = ?, region = ?, channel_id = ?, source = ?, consent = ?,"
		" notes = ?, captured_at = ?, owner_id = ?, stage_id = ?, reached_pos = ?, status = ?,"
		" invalid_reason = ?, merged_into = ?, returning_of = ?, lost_reason = ?, lost_at = ?,"
		" won_at = ?, amount = ?, close_month = ?, grade = ?, score_budget = ?, score_need = ?,"
		" score_decision = ?, score_urgency = ?, score_total = ?, graded_at = ?,"
		" first_contact_at = ?, created_at = ?, updated_at = ?, referred_by = ?, aftersales_id = ?,"
		" version = version + 1 WHERE id = ?40";
	static const char sql_keys[] =
		"UPDATE lead SET pipeline_id = ?, company = ?, contact = ?, title = ?, phone = ?, email = ?,"
		" wechat = ?, industry = ?, size = ?, region = ?, channel_id = ?, source = ?, consent = ?,"
		" notes = ?, captured_at = ?, owner_id = ?, stage_id = ?, reached_pos = ?, status = ?,"
		" invalid_reason = ?, merged_into = ?, returning_of = ?, lost_reason = ?, lost_at = ?,"
		" won_at = ?, amount = ?, close_month = ?, grade = ?, score_budget = ?, score_need = ?,"
		" score_decision = ?, score_urgency = ?, score_total = ?, graded_at = ?,"
		" first_contact_at = ?, created_at = ?, updated_at = ?, referred_by = ?, aftersales_id = ?,"
		" phone_key = ?, email_key = ?, wechat_key = ?, company_key = ?, version = version + 1"
		" WHERE id = ?44";
	sqlite3_stmt *st = fnl__stmt(db, k ? sql_keys : sql);
	if (!st)
		return db->err.code;
	bind_lead(st, l, k);
	sqlite3_bind_int64(st, k ? 44 : 40, l->id);
	int rc = fnl__exec_stmt(db, st, "update lead");
	if (rc)
		return rc;
	l->version++;
	return 0;
}

int fnl__lead_find_dups(fnl_db *db, const struct fnl__lead_keys *k, int64_t except, int64_t *open_id,
			int64_t *closed_id)
{
	/* the first open lead and the last closed one, by id; no IN list and no ORDER BY, which would
	 * build a temporary b-tree on every call (this runs for every lead captured or imported). A
	 * WeChat key that is a phone number (fnl__clean_wechat_key) matches phone keys too. */
	static const char sql[] =
		"SELECT id, status FROM lead WHERE status <> 'invalid' AND status <> 'merged' AND id <> ?5"
		" AND (phone_key = ?1 OR email_key = ?2 OR wechat_key = ?3 OR company_key = ?4"
		" OR phone_key = ?3 OR wechat_key = ?1)";
	*open_id = 0;
	*closed_id = 0;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	fnl__bind_text_null(st, 1, k->phone);
	fnl__bind_text_null(st, 2, k->email);
	fnl__bind_text_null(st, 3, k->wechat);
	fnl__bind_text_null(st, 4, k->company);
	sqlite3_bind_int64(st, 5, except);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		const char *status = (const char *)sqlite3_column_text(st, 1);
		int open = status && (strcmp(status, "open") == 0 || strcmp(status, "nurture") == 0);
		if (open && (!*open_id || id < *open_id))
			*open_id = id;
		else if (!open && id > *closed_id)
			*closed_id = id;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : fnl__sqlerr(db, rc, "find duplicates");
}

int fnl__lead_scan(fnl_db *db, const struct fnl_lead_filter *f,
		   int (*fn)(fnl_db *db, const struct fnl_lead *l, void *arg), void *arg)
{
	static const char sql[] = LEAD_SELECT
		"WHERE (?1 IS NULL OR s.key = ?1)"
		" AND (CASE WHEN ?2 IS NULL THEN l.status NOT IN ('invalid', 'merged') WHEN ?2 = 'all' THEN 1"
		"  ELSE l.status = ?2 END)"
		" AND (?3 IS NULL OR u.login = ?3) AND (?4 IS NULL OR l.grade = ?4)"
		" AND (?5 IS NULL OR c.key = ?5) ORDER BY l.captured_at DESC, l.id DESC";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	if (f) {
		fnl__bind_text_null(st, 1, f->stage);
		fnl__bind_text_null(st, 2, f->status);
		fnl__bind_text_null(st, 3, f->owner);
		fnl__bind_text_null(st, 4, f->grade);
		fnl__bind_text_null(st, 5, f->channel);
	}
	int rc, stop = 0;
	struct fnl_lead *l = malloc(sizeof *l);
	if (!l) {
		sqlite3_reset(st);
		return fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_lead(st, l);
		if ((stop = fn(db, l, arg)))
			break;
	}
	free(l);
	sqlite3_reset(st);
	if (stop)
		return stop;
	return rc == SQLITE_DONE ? 0 : fnl__sqlerr(db, rc, "list leads");
}

int64_t fnl__lead_owner_team(fnl_db *db, const struct fnl_lead *l)
{
	static const char sql[] = "SELECT COALESCE(team_id, 0) FROM user WHERE id = ?";
	if (!l->owner_id)
		return 0;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return 0;
	sqlite3_bind_int64(st, 1, l->owner_id);
	int64_t t = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return t;
}
