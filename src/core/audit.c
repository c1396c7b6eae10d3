/* core/audit.c - the append-only audit log (SPEC §8): who, when, what, before -> after. */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "store/store.h"

static char *dump(json_t *j)
{
	return j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
}

int fnl__audit_text(fnl_db *db, const struct fnl_ctx *ctx, const char *entity, const char *entity_id,
		    const char *action, int64_t lead_id, const char *before, const char *after)
{
	static const char sql[] = "INSERT INTO audit (at, user_id, entity, entity_id, action, lead_id, before, after)"
				  " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, ctx->now);
	fnl__bind_int_null(st, 2, ctx->actor);
	fnl__bind_text(st, 3, entity);
	fnl__bind_text(st, 4, entity_id);
	fnl__bind_text(st, 5, action);
	fnl__bind_int_null(st, 6, lead_id);
	fnl__bind_text_null(st, 7, before);
	fnl__bind_text_null(st, 8, after);
	return fnl__exec_stmt(db, st, "write audit log");
}

int fnl__audit(fnl_db *db, const struct fnl_ctx *ctx, const char *entity, const char *entity_id,
	       const char *action, int64_t lead_id, json_t *before, json_t *after)
{
	char *b = dump(before), *a = dump(after);
	json_decref(before);
	json_decref(after);
	int rc = fnl__audit_text(db, ctx, entity, entity_id, action, lead_id, b, a);
	free(b);
	free(a);
	return rc;
}

static int visible_entry(fnl_db *db, int64_t lead_id)
{
	if (db->actor.id == 0 || strcmp(db->actor.role, "admin") == 0)
		return 1;
	if (!lead_id)
		return 0;
	struct fnl_lead l;
	if (fnl__lead_load(db, lead_id, &l))
		return 0;
	return fnl__lead_visible(db, &l);
}

int fnl_audit_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int64_t limit,
		   struct fnl_audit_entry **out, size_t *n)
{
	static const char sql[] =
		"SELECT a.id, a.at, COALESCE(u.login, 'system'), a.entity, a.entity_id, a.action,"
		" COALESCE(a.lead_id, 0), a.before, a.after FROM audit a LEFT JOIN user u ON u.id = a.user_id"
		" WHERE (?1 = 0 OR a.lead_id = ?1) ORDER BY a.id DESC";
	*out = NULL;
	*n = 0;
	int rc = fnl__enter(db, ctx);
	if (rc)
		return rc;
	if (lead_id) {
		struct fnl_lead l;
		if ((rc = fnl_lead_get(db, ctx, lead_id, &l)))
			return rc;
	}
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	struct fnl_audit_entry *v = NULL;
	size_t cnt = 0, cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (limit > 0 && (int64_t)cnt >= limit)
			break;
		int64_t lid = sqlite3_column_int64(st, 6);
		if (!lead_id && !visible_entry(db, lid))
			continue;
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			struct fnl_audit_entry *nv = realloc(v, cap * sizeof *v);
			if (!nv) {
				fnl_audit_free(v, cnt);
				sqlite3_reset(st);
				return fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
			}
			v = nv;
		}
		struct fnl_audit_entry *e = &v[cnt++];
		memset(e, 0, sizeof *e);
		e->id = sqlite3_column_int64(st, 0);
		e->at = sqlite3_column_int64(st, 1);
		fnl__col_text(st, 2, e->user, sizeof e->user);
		fnl__col_text(st, 3, e->entity, sizeof e->entity);
		fnl__col_text(st, 4, e->entity_id, sizeof e->entity_id);
		fnl__col_text(st, 5, e->action, sizeof e->action);
		e->lead_id = lid;
		const unsigned char *b = sqlite3_column_text(st, 7), *a = sqlite3_column_text(st, 8);
		e->before = b ? strdup((const char *)b) : NULL;
		e->after = a ? strdup((const char *)a) : NULL;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		fnl_audit_free(v, cnt);
		return fnl__sqlerr(db, rc, "read audit log");
	}
	/* Newest were read first (so a limit keeps the newest); hand them out oldest first. */
	for (size_t i = 0; i < cnt / 2; i++) {
		struct fnl_audit_entry t = v[i];
		v[i] = v[cnt - 1 - i];
		v[cnt - 1 - i] = t;
	}
	*out = v;
	*n = cnt;
	return 0;
}

void fnl_audit_free(struct fnl_audit_entry *entries, size_t n)
{
	if (!entries)
		return;
	for (size_t i = 0; i < n; i++) {
		free(entries[i].before);
		free(entries[i].after);
	}
	free(entries);
}
