/* core/lists.c - the configurable lists: stages (§2), channels (§3) and loss reasons (§2). */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "store/store.h"

static int valid_key(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n >= FNL_KEY_LEN || !(s[0] >= 'a' && s[0] <= 'z'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* The names of a new list entry: the Chinese name is required; the English one defaults to it. */
static int take_names(fnl_db *db, const char *name_zh, const char *name_en, char zh[FNL_NAME_LEN],
		      char en[FNL_NAME_LEN])
{
	int rc = fnl__take_text(db, "name", name_zh, zh, FNL_NAME_LEN);
	if (rc)
		return rc;
	if (!*zh)
		return fnl__err(db, FNL_EINVAL, "name", "name: must not be empty");
	return fnl__take_text(db, "name-en", name_en && *name_en ? name_en : zh, en, FNL_NAME_LEN);
}

/* A key for a new list entry, or FNL_EINVAL naming it. */
static int check_key(fnl_db *db, const char *key)
{
	if (valid_key(key))
		return 0;
	return fnl__err(db, FNL_EINVAL, "key", "key: '%s' is not a key (1-32 of a-z, 0-9, '_', starting with a letter)",
			key ? key : "");
}

/* ---- stages ---- */

#define STAGE_SELECT "SELECT id, pos, key, name_zh, name_en, probability FROM stage "

static void read_stage(sqlite3_stmt *st, void *p)
{
	struct fnl_stage *s = p;
	s->id = sqlite3_column_int64(st, 0);
	s->pos = sqlite3_column_int(st, 1);
	fnl__col_text(st, 2, s->key, sizeof s->key);
	fnl__col_text(st, 3, s->name_zh, sizeof s->name_zh);
	fnl__col_text(st, 4, s->name_en, sizeof s->name_en);
	s->probability = sqlite3_column_int(st, 5);
}

static int stage_one(fnl_db *db, sqlite3_stmt *st, struct fnl_stage *out)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		read_stage(st, out);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? FNL_ENOTFOUND : fnl__sqlerr(db, rc, "read stage");
}

int fnl__stage_by_key(fnl_db *db, int64_t pipeline_id, const char *key, const char *field,
		      struct fnl_stage *out)
{
	static const char sql[] = STAGE_SELECT "WHERE pipeline_id = ? AND key = ?";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, pipeline_id);
	fnl__bind_text(st, 2, key);
	int rc = stage_one(db, st, out);
	if (rc == FNL_ENOTFOUND)
		return fnl__err(db, FNL_EINVAL, field, "%s: no stage '%s' (see 'funnel stage list')", field, key);
	return rc;
}

int fnl__stage_by_pos(fnl_db *db, int64_t pipeline_id, int pos, struct fnl_stage *out)
{
	static const char sql[] = STAGE_SELECT "WHERE pipeline_id = ? AND pos = ?";
	const struct fnl_stage *m = fnl__memo_stage(db, pipeline_id, pos);
	if (m) {
		*out = *m;
		return 0;
	}
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, pipeline_id);
	sqlite3_bind_int(st, 2, pos);
	int rc = stage_one(db, st, out);
	if (rc == FNL_ENOTFOUND)
		return fnl__err(db, FNL_EDB, NULL, "pipeline %lld has no stage at position %d", (long long)pipeline_id, pos);
	if (rc == 0)
		fnl__memo_stage_put(db, pipeline_id, out);
	return rc;
}

int fnl__stage_last(fnl_db *db, int64_t pipeline_id, struct fnl_stage *out)
{
	static const char sql[] = STAGE_SELECT "WHERE pipeline_id = ? ORDER BY pos DESC LIMIT 1";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, pipeline_id);
	int rc = stage_one(db, st, out);
	if (rc == FNL_ENOTFOUND)
		return fnl__err(db, FNL_EDB, NULL, "pipeline %lld has no stages", (long long)pipeline_id);
	return rc;
}

int fnl_stage_list(fnl_db *db, const struct fnl_ctx *ctx, struct fnl_stage **out, size_t *n)
{
	static const char sql[] = STAGE_SELECT "WHERE pipeline_id = 1 ORDER BY pos";
	/* ?1 an owner, ?2 a team, ?3 won leads only: the leads the actor sees in reports */
#define SEEN " AND (?1 = 0 OR l.owner_id = ?1) AND (?2 = 0 OR l.owner_id IN (SELECT id FROM user WHERE team_id = ?2))" \
	     " AND (?3 = 0 OR l.status = 'won')"
	static const char counts[] =
		"SELECT s.pos,"
		" (SELECT count(*) FROM lead l WHERE l.stage_id = s.id AND l.status IN ('open', 'nurture', 'won')" SEEN "),"
		" (SELECT count(*) FROM lead l WHERE l.pipeline_id = s.pipeline_id AND l.reached_pos >= s.pos"
		"  AND l.status NOT IN ('invalid', 'merged')" SEEN ")"
		" FROM stage s WHERE s.pipeline_id = 1 ORDER BY s.pos";
#undef SEEN
	*out = NULL;
	*n = 0;
	int rc = ctx ? fnl__enter(db, ctx) : fnl__enter_noctx(db);
	if (rc)
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	void *v;
	size_t cnt;
	if ((rc = fnl__collect(db, st, sizeof(struct fnl_stage), read_stage, &v, &cnt, "list stages")))
		return rc;
	struct fnl_stage *s = v;
	if (!ctx) {
		*out = s;
		*n = cnt;
		return 0;
	}
	if (!(st = fnl__stmt(db, counts))) {
		free(s);
		return db->err.code;
	}
	const char *role = db->actor.role;
	int all = db->actor.id == 0 || strcmp(role, "admin") == 0 || strcmp(role, "marketing") == 0;
	sqlite3_bind_int64(st, 1, !all && strcmp(role, "sales") == 0 ? db->actor.id : 0);
	sqlite3_bind_int64(st, 2, !all && strcmp(role, "manager") == 0 ? db->actor.team_id : 0);
	sqlite3_bind_int(st, 3, !all && strcmp(role, "aftersales") == 0);
	for (size_t i = 0; i < cnt && sqlite3_step(st) == SQLITE_ROW; i++) {
		s[i].n_at = sqlite3_column_int64(st, 1);
		s[i].n_reached = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	*out = s;
	*n = cnt;
	return 0;
}

static json_t *stage_json(const struct fnl_stage *s)
{
	return json_pack("{ss ss si}", "name_zh", s->name_zh, "name_en", s->name_en, "probability", s->probability);
}

static int edit_stage(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *name_zh,
		      const char *name_en, int probability)
{
	static const char sql[] = "UPDATE stage SET name_zh = ?, name_en = ?, probability = ? WHERE id = ?";
	struct fnl_stage old, s;
	int rc = fnl__stage_by_key(db, 1, key, "stage", &old);
	if (rc)
		return rc;
	s = old;
	if (name_zh && ((rc = fnl__take_text(db, "name", name_zh, s.name_zh, sizeof s.name_zh)) || !*s.name_zh))
		return rc ? rc : fnl__err(db, FNL_EINVAL, "name", "name: must not be empty");
	if (name_en && ((rc = fnl__take_text(db, "name-en", name_en, s.name_en, sizeof s.name_en)) || !*s.name_en))
		return rc ? rc : fnl__err(db, FNL_EINVAL, "name-en", "name-en: must not be empty");
	if (probability != -1) {
		if (probability < 0 || probability > 100)
			return fnl__err(db, FNL_EINVAL, "probability", "probability: %d is not a percentage from 0 to 100",
					probability);
		s.probability = probability;
	}
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	fnl__bind_text(st, 1, s.name_zh);
	fnl__bind_text(st, 2, s.name_en);
	sqlite3_bind_int(st, 3, s.probability);
	sqlite3_bind_int64(st, 4, s.id);
	if ((rc = fnl__exec_stmt(db, st, "edit stage")))
		return rc;
	return fnl__audit(db, ctx, "stage", key, "edit", 0, stage_json(&old), stage_json(&s));
}

int fnl_stage_edit(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *name_zh,
		   const char *name_en, int probability)
{
	int rc = fnl__begin_write(db, ctx, "change stages", "admin", NULL);
	return rc ? rc : fnl__tx_end(db, edit_stage(db, ctx, key, name_zh, name_en, probability));
}

/* ---- shaping the pipeline before use ---- */

static int pipeline_unused(fnl_db *db, int64_t *count)
{
	static const char leads[] = "SELECT count(*) FROM lead WHERE pipeline_id = 1";
	static const char stages[] = "SELECT count(*) FROM stage WHERE pipeline_id = 1";
	sqlite3_stmt *st = fnl__stmt(db, leads);
	if (!st)
		return db->err.code;
	int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (n)
		return fnl__err(db, FNL_ESTATE, "stage",
				"stage: the pipeline already has leads (%lld); stages can only be renamed now", (long long)n);
	if (!(st = fnl__stmt(db, stages)))
		return db->err.code;
	*count = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return 0;
}

/* Position right after stage `after` (0 when after is NULL or ""), checking it exists. */
static int pos_after(fnl_db *db, const char *after, int *pos)
{
	*pos = 0;
	if (!after || !*after)
		return 0;
	struct fnl_stage s;
	int rc = fnl__stage_by_key(db, 1, after, "after", &s);
	if (rc)
		return rc;
	*pos = s.pos;
	return 0;
}

/* Shift the stages at positions from..999 by delta. pos is unique per pipeline, so they go through
 * 1000 + pos first; a stage parked at PARKED is left alone. */
#define PARKED 5000
static int shift(fnl_db *db, int from, int delta)
{
	static const char neg[] = "UPDATE stage SET pos = pos + 1000 + ?2 WHERE pipeline_id = 1 AND pos >= ?1"
				  " AND pos < 1000";
	static const char pos[] = "UPDATE stage SET pos = pos - 1000 WHERE pipeline_id = 1 AND pos BETWEEN 1000 AND 2000";
	sqlite3_stmt *st = fnl__stmt(db, neg);
	if (!st)
		return db->err.code;
	sqlite3_bind_int(st, 1, from);
	sqlite3_bind_int(st, 2, delta);
	int rc = fnl__exec_stmt(db, st, "reorder stages");
	if (rc)
		return rc;
	if (!(st = fnl__stmt(db, pos)))
		return db->err.code;
	return fnl__exec_stmt(db, st, "reorder stages");
}

static int set_pos(fnl_db *db, int64_t id, int pos)
{
	static const char sql[] = "UPDATE stage SET pos = ? WHERE id = ?";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int(st, 1, pos);
	sqlite3_bind_int64(st, 2, id);
	return fnl__exec_stmt(db, st, "reorder stages");
}

static int add_stage(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *name_zh,
		     const char *name_en, int probability, const char *after)
{
	static const char sql[] = "INSERT INTO stage (pipeline_id, pos, key, name_zh, name_en, probability)"
				  " VALUES (1, ?, ?, ?, ?, ?)";
	int64_t count;
	int rc = pipeline_unused(db, &count);
	if (rc)
		return rc;
	if (count >= 10)
		return fnl__err(db, FNL_EINVAL, "stage", "stage: a pipeline has at most 10 stages");
	if (check_key(db, key))
		return db->err.code;
	struct fnl_stage s;
	if (fnl__stage_by_key(db, 1, key, "key", &s) == 0)
		return fnl__err(db, FNL_EEXIST, "key", "key: stage '%s' already exists", key);
	fnl_error_clear(&db->err);
	char zh[FNL_NAME_LEN], en[FNL_NAME_LEN];
	if ((rc = take_names(db, name_zh, name_en, zh, en)))
		return rc;
	if (probability < 0 || probability > 100)
		return fnl__err(db, FNL_EINVAL, "probability", "probability: %d is not a percentage from 0 to 100",
				probability);
	int at;
	if ((rc = pos_after(db, after, &at)) || (rc = shift(db, at + 1, 1)))
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int(st, 1, at + 1);
	fnl__bind_text(st, 2, key);
	fnl__bind_text(st, 3, zh);
	fnl__bind_text(st, 4, en);
	sqlite3_bind_int(st, 5, probability);
	if ((rc = fnl__exec_stmt(db, st, "add stage")))
		return rc;
	return fnl__audit(db, ctx, "stage", key, "create", 0, NULL,
			  json_pack("{ss ss si si}", "name_zh", zh, "name_en", en, "probability", probability, "pos", at + 1));
}

static int remove_stage(fnl_db *db, const struct fnl_ctx *ctx, const char *key)
{
	static const char sql[] = "DELETE FROM stage WHERE id = ?";
	int64_t count;
	struct fnl_stage s;
	int rc = pipeline_unused(db, &count);
	if (rc || (rc = fnl__stage_by_key(db, 1, key, "stage", &s)))
		return rc;
	if (count <= 3)
		return fnl__err(db, FNL_EINVAL, "stage", "stage: a pipeline has at least 3 stages");
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, s.id);
	if ((rc = fnl__exec_stmt(db, st, "remove stage")) || (rc = shift(db, s.pos + 1, -1)))
		return rc;
	return fnl__audit(db, ctx, "stage", key, "delete", 0, stage_json(&s), NULL);
}

static int move_stage(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *after)
{
	int64_t count;
	struct fnl_stage s;
	int rc = pipeline_unused(db, &count);
	if (rc || (rc = fnl__stage_by_key(db, 1, key, "stage", &s)))
		return rc;
	if (after && strcmp(after, key) == 0)
		return fnl__err(db, FNL_EINVAL, "after", "after: a stage cannot go after itself");
	/* take it out, close the gap, then open a gap after `after` and put it there */
	int at;
	if ((rc = set_pos(db, s.id, PARKED)) || (rc = shift(db, s.pos + 1, -1)) || (rc = pos_after(db, after, &at)) ||
	    (rc = shift(db, at + 1, 1)) || (rc = set_pos(db, s.id, at + 1)))
		return rc;
	return fnl__audit(db, ctx, "stage", key, "move", 0, json_pack("{si}", "pos", s.pos),
			  json_pack("{si}", "pos", at + 1));
}

int fnl_stage_add(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *name_zh,
		  const char *name_en, int probability, const char *after)
{
	int rc = fnl__begin_write(db, ctx, "change stages", "admin", NULL);
	return rc ? rc : fnl__tx_end(db, add_stage(db, ctx, key, name_zh, name_en, probability, after));
}

int fnl_stage_remove(fnl_db *db, const struct fnl_ctx *ctx, const char *key)
{
	int rc = fnl__begin_write(db, ctx, "change stages", "admin", NULL);
	return rc ? rc : fnl__tx_end(db, remove_stage(db, ctx, key));
}

int fnl_stage_move_to(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *after)
{
	int rc = fnl__begin_write(db, ctx, "change stages", "admin", NULL);
	return rc ? rc : fnl__tx_end(db, move_stage(db, ctx, key, after));
}

/* ---- channels ---- */

#define CHANNEL_SELECT "SELECT id, key, name_zh, name_en, kind, active FROM channel "

static void read_channel(sqlite3_stmt *st, void *p)
{
	struct fnl_channel *c = p;
	c->id = sqlite3_column_int64(st, 0);
	fnl__col_text(st, 1, c->key, sizeof c->key);
	fnl__col_text(st, 2, c->name_zh, sizeof c->name_zh);
	fnl__col_text(st, 3, c->name_en, sizeof c->name_en);
	fnl__col_text(st, 4, c->kind, sizeof c->kind);
	c->active = sqlite3_column_int(st, 5);
}

int fnl__channel_by_key(fnl_db *db, const char *key, const char *field, struct fnl_channel *out)
{
	static const char sql[] = CHANNEL_SELECT "WHERE key = ?";
	const struct fnl_channel *m = fnl__memo_channel(db, key);
	if (m) {
		*out = *m;
		return 0;
	}
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	fnl__bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		read_channel(st, out);
		sqlite3_reset(st);
		fnl__memo_channel_put(db, out);
		return 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fnl__sqlerr(db, rc, "read channel");
	return fnl__err(db, FNL_EINVAL, field, "%s: no channel '%s' (see 'funnel channel list')", field, key);
}

int fnl_channel_list(fnl_db *db, struct fnl_channel **out, size_t *n)
{
	static const char sql[] = CHANNEL_SELECT "ORDER BY id";
	*out = NULL;
	*n = 0;
	int rc = fnl__enter_noctx(db);
	if (rc)
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	return fnl__collect(db, st, sizeof(struct fnl_channel), read_channel, (void **)out, n, "list channels");
}

static int add_channel(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *name_zh,
		       const char *name_en, const char *kind)
{
	static const char sql[] = "INSERT INTO channel (key, name_zh, name_en, kind) VALUES (?, ?, ?, ?)";
	if (check_key(db, key))
		return db->err.code;
	char zh[FNL_NAME_LEN], en[FNL_NAME_LEN];
	int rc = take_names(db, name_zh, name_en, zh, en);
	if (rc)
		return rc;
	if (!kind || (strcmp(kind, "online") && strcmp(kind, "offline") && strcmp(kind, "customer")))
		return fnl__err(db, FNL_EINVAL, "kind", "kind: '%s' is not a channel kind (online, offline, customer)",
				kind ? kind : "");
	struct fnl_channel c;
	if (fnl__channel_by_key(db, key, "key", &c) == 0)
		return fnl__err(db, FNL_EEXIST, "key", "key: channel '%s' already exists", key);
	fnl_error_clear(&db->err);
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	fnl__bind_text(st, 1, key);
	fnl__bind_text(st, 2, zh);
	fnl__bind_text(st, 3, en);
	fnl__bind_text(st, 4, kind);
	if ((rc = fnl__exec_stmt(db, st, "add channel")))
		return rc;
	return fnl__audit(db, ctx, "channel", key, "create", 0, NULL,
			  json_pack("{ss ss ss}", "name_zh", zh, "name_en", en, "kind", kind));
}

int fnl_channel_add(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *name_zh,
		    const char *name_en, const char *kind)
{
	int rc = fnl__begin_write(db, ctx, "add channels", "admin", NULL);
	return rc ? rc : fnl__tx_end(db, add_channel(db, ctx, key, name_zh, name_en, kind));
}

/* ---- loss reasons ---- */

static void read_reason(sqlite3_stmt *st, void *p)
{
	struct fnl_reason *r = p;
	fnl__col_text(st, 0, r->key, sizeof r->key);
	fnl__col_text(st, 1, r->name_zh, sizeof r->name_zh);
	fnl__col_text(st, 2, r->name_en, sizeof r->name_en);
	r->pos = sqlite3_column_int(st, 3);
}

int fnl_reason_list(fnl_db *db, struct fnl_reason **out, size_t *n)
{
	static const char sql[] = "SELECT key, name_zh, name_en, pos FROM lost_reason ORDER BY pos";
	*out = NULL;
	*n = 0;
	int rc = fnl__enter_noctx(db);
	if (rc)
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	return fnl__collect(db, st, sizeof(struct fnl_reason), read_reason, (void **)out, n, "list reasons");
}

int fnl__reason_exists(fnl_db *db, const char *key)
{
	static const char sql[] = "SELECT 1 FROM lost_reason WHERE key = ?";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return 0;
	fnl__bind_text(st, 1, key);
	int found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return found;
}

static int add_reason(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *name_zh,
		      const char *name_en)
{
	static const char sql[] = "INSERT INTO lost_reason (key, name_zh, name_en, pos)"
				  " VALUES (?, ?, ?, (SELECT COALESCE(max(pos), 0) + 1 FROM lost_reason))";
	if (check_key(db, key))
		return db->err.code;
	if (fnl__reason_exists(db, key))
		return fnl__err(db, FNL_EEXIST, "key", "key: reason '%s' already exists", key);
	char zh[FNL_NAME_LEN], en[FNL_NAME_LEN];
	int rc = take_names(db, name_zh, name_en, zh, en);
	if (rc)
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	fnl__bind_text(st, 1, key);
	fnl__bind_text(st, 2, zh);
	fnl__bind_text(st, 3, en);
	if ((rc = fnl__exec_stmt(db, st, "add reason")))
		return rc;
	return fnl__audit(db, ctx, "lost_reason", key, "create", 0, NULL,
			  json_pack("{ss ss}", "name_zh", zh, "name_en", en));
}

int fnl_reason_add(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *name_zh,
		   const char *name_en)
{
	int rc = fnl__begin_write(db, ctx, "add loss reasons", "admin", NULL);
	return rc ? rc : fnl__tx_end(db, add_reason(db, ctx, key, name_zh, name_en));
}
