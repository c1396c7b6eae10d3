/*
 * core/needs.c - the customer needs list (《客户需求清单》, SPEC §5) in versions.
 *
 * The newest version is a draft until the customer confirms it; a confirmed version never changes
 * (the database refuses it too). A change after confirmation starts the next version as a copy of
 * the confirmed one, unconfirmed. A need keeps its number through the versions, so solution items
 * refer to it by number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/lead.h"
#include "funnel/sale.h"
#include "store/store.h"

void fnl_needs_free(struct fnl_needs *needs)
{
	if (!needs)
		return;
	free(needs->items);
	needs->items = NULL;
	needs->n = 0;
}

/* The newest version of a lead's list: its row id (0 when none), number and confirmation time. */
static int newest(fnl_db *db, int64_t lead_id, int64_t *vid, int *version, int64_t *confirmed)
{
	static const char sql[] = "SELECT id, version, COALESCE(confirmed_at, 0) FROM needs_version"
				  " WHERE lead_id = ? ORDER BY version DESC LIMIT 1";
	*vid = 0;
	*version = 0;
	*confirmed = 0;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*vid = sqlite3_column_int64(st, 0);
		*version = sqlite3_column_int(st, 1);
		*confirmed = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fnl__sqlerr(db, rc, "read needs list");
}

static void read_need(sqlite3_stmt *st, void *p)
{
	struct fnl_need *it = p;
	it->num = sqlite3_column_int(st, 0);
	fnl__col_text(st, 1, it->text, sizeof it->text);
	it->priority = sqlite3_column_int(st, 2);
}

static int load_items(fnl_db *db, int64_t vid, struct fnl_needs *out)
{
	static const char items[] = "SELECT num, text, priority FROM need_item WHERE version_id = ? ORDER BY num";
	static const char spins[] = "SELECT i.num, s.spin_id FROM need_item i JOIN need_spin s ON s.item_id = i.id"
				    " WHERE i.version_id = ? ORDER BY i.num, s.spin_id";
	sqlite3_stmt *st = fnl__stmt(db, items);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, vid);
	int rc = fnl__collect(db, st, sizeof *out->items, read_need, (void **)&out->items, &out->n, "read needs");
	if (rc)
		return rc;
	if (!(st = fnl__stmt(db, spins)))
		return db->err.code;
	sqlite3_bind_int64(st, 1, vid);
	/* both ordered by num: walk the items along */
	size_t i = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int num = sqlite3_column_int(st, 0);
		while (i < out->n && out->items[i].num < num)
			i++;
		if (i < out->n && out->items[i].num == num && out->items[i].n_spin < FNL_NEED_SPINS)
			out->items[i].spin[out->items[i].n_spin++] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : fnl__sqlerr(db, rc, "read needs");
}

#define VERSION_SELECT                                                                                  \
	"SELECT v.id, v.version, v.created_at, COALESCE(cu.login, 'system'), COALESCE(v.confirmed_at, 0),"  \
	" COALESCE(v.confirmed_by, 0), COALESCE(v.confirmed_name, ''), COALESCE(v.confirmed_how, ''),"     \
	" COALESCE(ru.login, '') FROM needs_version v LEFT JOIN user cu ON cu.id = v.user_id"              \
	" LEFT JOIN user ru ON ru.id = v.recorded_by "

static void read_version(sqlite3_stmt *st, int64_t lead_id, struct fnl_needs *out, int64_t *vid)
{
	memset(out, 0, sizeof *out);
	out->lead_id = lead_id;
	*vid = sqlite3_column_int64(st, 0);
	out->version = sqlite3_column_int(st, 1);
	out->created_at = sqlite3_column_int64(st, 2);
	fnl__col_text(st, 3, out->created_by, sizeof out->created_by);
	out->confirmed_at = sqlite3_column_int64(st, 4);
	out->confirmed_contact = sqlite3_column_int64(st, 5);
	fnl__col_text(st, 6, out->confirmed_name, sizeof out->confirmed_name);
	fnl__col_text(st, 7, out->confirmed_how, sizeof out->confirmed_how);
	fnl__col_text(st, 8, out->recorded_by, sizeof out->recorded_by);
}

/* Load version (0: newest) of a lead's list; an empty list (version 0) when there is none and
 * version is 0. */
static int load_version(fnl_db *db, int64_t lead_id, int version, struct fnl_needs *out)
{
	static const char by_version[] = VERSION_SELECT "WHERE v.lead_id = ?1 AND (?2 = 0 OR v.version = ?2)"
						     " ORDER BY v.version DESC LIMIT 1";
	memset(out, 0, sizeof *out);
	out->lead_id = lead_id;
	sqlite3_stmt *st = fnl__stmt(db, by_version);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	sqlite3_bind_int(st, 2, version);
	int rc = sqlite3_step(st);
	int64_t vid = 0;
	if (rc == SQLITE_ROW)
		read_version(st, lead_id, out, &vid);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE) {
		if (version == 0)
			return 0;
		return fnl__err(db, FNL_ENOTFOUND, "version", "version: lead %lld has no needs list version %d",
				(long long)lead_id, version);
	}
	if (rc != SQLITE_ROW)
		return fnl__sqlerr(db, rc, "read needs list");
	rc = load_items(db, vid, out);
	if (rc)
		fnl_needs_free(out);
	return rc;
}

/* The draft to change: the newest version when unconfirmed, else a new version copied from it. */
static int draft(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int64_t *vid, int *version)
{
	static const char ins[] = "INSERT INTO needs_version (lead_id, version, created_at, user_id, next_num)"
				  " VALUES (?1, ?2, ?3, ?4, COALESCE((SELECT next_num FROM needs_version"
				  " WHERE lead_id = ?1 AND version = ?2 - 1), 1))";
	static const char copy_items[] = "INSERT INTO need_item (version_id, num, text, priority)"
					 " SELECT ?1, num, text, priority FROM need_item WHERE version_id = ?2";
	static const char copy_spins[] =
		"INSERT INTO need_spin (item_id, spin_id) SELECT n.id, s.spin_id FROM need_item o"
		" JOIN need_spin s ON s.item_id = o.id JOIN need_item n ON n.version_id = ?1 AND n.num = o.num"
		" WHERE o.version_id = ?2";
	int64_t confirmed, prev;
	int rc = newest(db, lead_id, &prev, version, &confirmed);
	if (rc)
		return rc;
	if (prev && !confirmed) {
		*vid = prev;
		return 0;
	}
	sqlite3_stmt *st = fnl__stmt(db, ins);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	sqlite3_bind_int(st, 2, *version + 1);
	sqlite3_bind_int64(st, 3, ctx->now);
	fnl__bind_int_null(st, 4, ctx->actor);
	if ((rc = fnl__exec_stmt(db, st, "start a needs list version")))
		return rc;
	*vid = fnl__last_id(db);
	(*version)++;
	if (!prev)
		return 0;
	const char *copies[2] = {copy_items, copy_spins};
	for (int i = 0; i < 2; i++) {
		if (!(st = fnl__stmt(db, copies[i])))
			return db->err.code;
		sqlite3_bind_int64(st, 1, *vid);
		sqlite3_bind_int64(st, 2, prev);
		if ((rc = fnl__exec_stmt(db, st, "copy the needs list")))
			return rc;
	}
	return 0;
}

static int check_item(fnl_db *db, int64_t lead_id, const char *text, int priority, const int64_t *spin,
		      size_t n_spin, char *buf, size_t len)
{
	static const char spin_of[] = "SELECT count(*) FROM spin WHERE id = ? AND lead_id = ?";
	int rc;
	if (text) {
		if ((rc = fnl__take_text(db, "text", text, buf, len)))
			return rc;
		if (!buf[0])
			return fnl__err(db, FNL_EINVAL, "text", "text: a need must say what the customer needs");
	}
	if (priority && (priority < 1 || priority > 3))
		return fnl__err(db, FNL_EINVAL, "priority", "priority: %d is not 1 (highest), 2 or 3", priority);
	if (n_spin > FNL_NEED_SPINS)
		return fnl__err(db, FNL_EINVAL, "spin", "spin: at most %d SPIN entries a need", FNL_NEED_SPINS);
	for (size_t i = 0; i < n_spin; i++) {
		sqlite3_stmt *st = fnl__stmt(db, spin_of);
		if (!st)
			return db->err.code;
		sqlite3_bind_int64(st, 1, spin[i]);
		sqlite3_bind_int64(st, 2, lead_id);
		int found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0;
		sqlite3_reset(st);
		if (!found)
			return fnl__err(db, FNL_EINVAL, "spin", "spin: lead %lld has no SPIN entry %lld (see 'funnel discovery spins')",
					(long long)lead_id, (long long)spin[i]);
	}
	return 0;
}

static int set_spins(fnl_db *db, int64_t item_id, const int64_t *spin, size_t n_spin)
{
	static const char del[] = "DELETE FROM need_spin WHERE item_id = ?";
	static const char ins[] = "INSERT OR IGNORE INTO need_spin (item_id, spin_id) VALUES (?, ?)";
	sqlite3_stmt *st = fnl__stmt(db, del);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, item_id);
	int rc = fnl__exec_stmt(db, st, "link SPIN entries");
	for (size_t i = 0; i < n_spin && !rc; i++) {
		if (!(st = fnl__stmt(db, ins)))
			return db->err.code;
		sqlite3_bind_int64(st, 1, item_id);
		sqlite3_bind_int64(st, 2, spin[i]);
		rc = fnl__exec_stmt(db, st, "link SPIN entries");
	}
	return rc;
}

static json_t *spins_json(const int64_t *spin, size_t n)
{
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_integer(spin[i]));
	return a;
}

static int audit_needs(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int version, const char *action,
		       json_t *before, json_t *after)
{
	char id[48];
	snprintf(id, sizeof id, "%lld/v%d", (long long)lead_id, version);
	return fnl__audit(db, ctx, "needs", id, action, lead_id, before, after);
}

/* Find the row of need num in version vid; *item 0 when absent. */
static int find_item(fnl_db *db, int64_t vid, int num, int64_t *item, char *text, size_t len, int *priority)
{
	static const char sql[] = "SELECT id, text, priority FROM need_item WHERE version_id = ? AND num = ?";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, vid);
	sqlite3_bind_int(st, 2, num);
	*item = 0;
	if (sqlite3_step(st) == SQLITE_ROW) {
		*item = sqlite3_column_int64(st, 0);
		fnl__col_text(st, 1, text, len);
		*priority = sqlite3_column_int(st, 2);
	}
	sqlite3_reset(st);
	return 0;
}

/* Whether the SPIN entries linked to need row item are exactly the set spin[0..n) (repeats count once). */
static int same_spins(fnl_db *db, int64_t item, const int64_t *spin, size_t n, int *same)
{
	static const char sql[] = "SELECT spin_id FROM need_spin WHERE item_id = ?";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, item);
	size_t linked = 0, distinct = 0;
	int rc, all_given = 1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		size_t k = 0;
		while (k < n && spin[k] != id)
			k++;
		all_given &= k < n;
		linked++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fnl__sqlerr(db, rc, "read needs");
	for (size_t i = 0; i < n; i++) {
		size_t k = 0;
		while (k < i && spin[k] != spin[i])
			k++;
		distinct += k == i;
	}
	*same = all_given && linked == distinct;
	return 0;
}

/* Whether an edit of need num would change the newest version (*changes 0: it says what is there
 * already, and a confirmed version then stays confirmed). A need that is not there is left to the
 * edit to report. */
static int edit_changes(fnl_db *db, int64_t lead_id, int num, const char *text, int priority, const int64_t *spin,
			size_t n_spin, int *changes)
{
	int64_t vid, confirmed, item;
	int version, old_priority = 0;
	char old_text[FNL_NOTE_LEN] = "", buf[FNL_NOTE_LEN];
	*changes = 1;
	int rc = newest(db, lead_id, &vid, &version, &confirmed);
	if (rc || !vid || (rc = find_item(db, vid, num, &item, old_text, sizeof old_text, &old_priority)) || !item)
		return rc;
	if (text && ((rc = fnl__take_text(db, "text", text, buf, sizeof buf)) || strcmp(buf, old_text) != 0))
		return rc;
	if (priority && priority != old_priority)
		return 0;
	int same = 1;
	if (spin && (rc = same_spins(db, item, spin, n_spin, &same)))
		return rc;
	*changes = !same;
	return 0;
}

enum op { OP_ADD, OP_EDIT, OP_REMOVE };

static int change(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, enum op op, int num,
		  const char *text, int priority, const int64_t *spin, size_t n_spin, struct fnl_needs *out)
{
	static const char next_num[] = "SELECT next_num FROM needs_version WHERE id = ?";
	static const char bump[] = "UPDATE needs_version SET next_num = next_num + 1 WHERE id = ?";
	static const char ins[] = "INSERT INTO need_item (version_id, num, text, priority) VALUES (?, ?, ?, ?)";
	static const char upd[] = "UPDATE need_item SET text = ?, priority = ? WHERE id = ?";
	static const char del_spins[] = "DELETE FROM need_spin WHERE item_id = ?";
	static const char del[] = "DELETE FROM need_item WHERE id = ?";
	struct fnl_lead l;
	char buf[FNL_NOTE_LEN] = "", old_text[FNL_NOTE_LEN] = "";
	int rc = fnl__lead_open_for(db, lead_id, "change the needs list", &l);
	if (rc || (rc = check_item(db, lead_id, op == OP_ADD && !text ? "" : text, priority, spin, n_spin, buf, sizeof buf)))
		return rc;
	if (op == OP_ADD && !priority)
		return fnl__err(db, FNL_EINVAL, "priority", "priority: required, 1 (highest), 2 or 3");
	int changes = 1;
	if (op == OP_EDIT && (rc = edit_changes(db, lead_id, num, text, priority, spin, n_spin, &changes)))
		return rc;
	if (!changes)
		return out ? load_version(db, lead_id, 0, out) : 0;
	int64_t vid = 0, item = 0;
	int version, old_priority = 0;
	if ((rc = draft(db, ctx, lead_id, &vid, &version)))
		return rc;
	if (op != OP_ADD) {
		if ((rc = find_item(db, vid, num, &item, old_text, sizeof old_text, &old_priority)))
			return rc;
		if (!item)
			return fnl__err(db, FNL_EINVAL, "need", "need: lead %lld has no need N%d in its needs list",
					(long long)lead_id, num);
	}
	sqlite3_stmt *st;
	json_t *before = NULL, *after = NULL;
	if (op == OP_ADD) {
		/* numbers are never reused, even of needs removed from a draft */
		if (!(st = fnl__stmt(db, next_num)))
			return db->err.code;
		sqlite3_bind_int64(st, 1, vid);
		num = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 1;
		sqlite3_reset(st);
		if (!(st = fnl__stmt(db, bump)))
			return db->err.code;
		sqlite3_bind_int64(st, 1, vid);
		if ((rc = fnl__exec_stmt(db, st, "number the need")))
			return rc;
		if (!(st = fnl__stmt(db, ins)))
			return db->err.code;
		sqlite3_bind_int64(st, 1, vid);
		sqlite3_bind_int(st, 2, num);
		fnl__bind_text(st, 3, buf);
		sqlite3_bind_int(st, 4, priority);
		if ((rc = fnl__exec_stmt(db, st, "add need")))
			return rc;
		item = fnl__last_id(db);
		if ((rc = set_spins(db, item, spin, n_spin)))
			return rc;
		after = json_pack("{si ss si so}", "num", num, "text", buf, "priority", priority, "spin", spins_json(spin, n_spin));
	} else if (op == OP_EDIT) {
		if (!(st = fnl__stmt(db, upd)))
			return db->err.code;
		fnl__bind_text(st, 1, text ? buf : old_text);
		sqlite3_bind_int(st, 2, priority ? priority : old_priority);
		sqlite3_bind_int64(st, 3, item);
		if ((rc = fnl__exec_stmt(db, st, "edit need")) || (spin && (rc = set_spins(db, item, spin, n_spin))))
			return rc;
		before = json_pack("{si ss si}", "num", num, "text", old_text, "priority", old_priority);
		after = json_pack("{si ss si}", "num", num, "text", text ? buf : old_text, "priority",
				  priority ? priority : old_priority);
		if (spin)
			json_object_set_new(after, "spin", spins_json(spin, n_spin));
	} else {
		const char *dels[2] = {del_spins, del};
		for (int i = 0; i < 2; i++) {
			if (!(st = fnl__stmt(db, dels[i])))
				return db->err.code;
			sqlite3_bind_int64(st, 1, item);
			if ((rc = fnl__exec_stmt(db, st, "remove need")))
				return rc;
		}
		before = json_pack("{si ss si}", "num", num, "text", old_text, "priority", old_priority);
	}
	static const char *const actions[] = {"add_need", "edit_need", "remove_need"};
	if ((rc = audit_needs(db, ctx, lead_id, version, actions[op], before, after)))
		return rc;
	return out ? load_version(db, lead_id, 0, out) : 0;
}

int fnl_needs_add(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *text,
		  int priority, const int64_t *spin, size_t n_spin, struct fnl_needs *out)
{
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc : fnl__tx_end(db, change(db, ctx, lead_id, OP_ADD, 0, text ? text : "", priority, spin, n_spin, out));
}

int fnl_needs_edit(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int num,
		   const char *text, int priority, const int64_t *spin, size_t n_spin,
		   struct fnl_needs *out)
{
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc : fnl__tx_end(db, change(db, ctx, lead_id, OP_EDIT, num, text, priority, spin, n_spin, out));
}

int fnl_needs_remove(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int num,
		     struct fnl_needs *out)
{
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc : fnl__tx_end(db, change(db, ctx, lead_id, OP_REMOVE, num, NULL, 0, NULL, 0, out));
}

static int confirm(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int64_t contact, const char *how,
		   int64_t at, struct fnl_needs *out)
{
	static const char sql[] = "UPDATE needs_version SET confirmed_at = ?, confirmed_by = ?, confirmed_name = ?,"
				  " confirmed_how = ?, recorded_by = ? WHERE id = ?";
	static const char count_items[] = "SELECT count(*) FROM need_item WHERE version_id = ?";
	struct fnl_lead l;
	int rc = fnl__lead_open_for(db, lead_id, "confirm the needs list", &l);
	if (rc)
		return rc;
	int64_t vid, confirmed;
	int version;
	if ((rc = newest(db, lead_id, &vid, &version, &confirmed)))
		return rc;
	if (!vid)
		return fnl__err(db, FNL_ESTATE, "id", "lead %lld has no needs list to confirm (add needs first)",
				(long long)lead_id);
	if (confirmed)
		return fnl__err(db, FNL_ESTATE, "id", "version %d of the needs list of lead %lld is already confirmed",
				version, (long long)lead_id);
	sqlite3_stmt *st = fnl__stmt(db, count_items);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, vid);
	int64_t items = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (!items)
		return fnl__err(db, FNL_ESTATE, "id", "the needs list of lead %lld is empty; nothing to confirm",
				(long long)lead_id);
	static const char *const hows[] = {"phone", "email", "meeting", "message"};
	size_t h;
	for (h = 0; h < 4 && !(how && strcmp(how, hows[h]) == 0); h++)
		;
	if (h == 4)
		return fnl__err(db, FNL_EINVAL, "how", "how: '%s' is not phone, email, meeting or message", how ? how : "");
	char name[FNL_NAME_LEN];
	if (contact) {
		struct fnl_contact c;
		if ((rc = fnl__contact_get(db, lead_id, contact, &c)))
			return rc;
		snprintf(name, sizeof name, "%s", c.name);
	} else {
		snprintf(name, sizeof name, "%s", l.contact);
	}
	if (!at)
		at = ctx->now;
	if (at > ctx->now)
		return fnl__err(db, FNL_EINVAL, "at", "at: a confirmation cannot be in the future");
	static const char made[] = "SELECT created_at FROM needs_version WHERE id = ?";
	if (!(st = fnl__stmt(db, made)))
		return db->err.code;
	sqlite3_bind_int64(st, 1, vid);
	int64_t created = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (at < created)
		return fnl__err(db, FNL_EINVAL, "at", "at: version %d was written after that time; the customer confirmed it later",
				version);
	if (!(st = fnl__stmt(db, sql)))
		return db->err.code;
	sqlite3_bind_int64(st, 1, at);
	fnl__bind_int_null(st, 2, contact);
	fnl__bind_text(st, 3, name);
	fnl__bind_text(st, 4, how);
	fnl__bind_int_null(st, 5, ctx->actor);
	sqlite3_bind_int64(st, 6, vid);
	if ((rc = fnl__exec_stmt(db, st, "confirm the needs list")))
		return rc;
	if ((rc = audit_needs(db, ctx, lead_id, version, "confirm", NULL,
			      json_pack("{si so ss ss}", "version", version, "confirmed_at", fnl__json_time(db, at),
					"by", name, "how", how))))
		return rc;
	return out ? load_version(db, lead_id, 0, out) : 0;
}

int fnl_needs_confirm(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int64_t contact,
		      const char *how, int64_t at, struct fnl_needs *out)
{
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc : fnl__tx_end(db, confirm(db, ctx, lead_id, contact, how, at, out));
}

int fnl_needs_get(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int version,
		  struct fnl_needs *out)
{
	memset(out, 0, sizeof *out);
	struct fnl_lead l;
	int rc = fnl_lead_get(db, ctx, lead_id, &l);
	return rc ? rc : load_version(db, lead_id, version, out);
}

int fnl_needs_confirmed(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, struct fnl_needs *out)
{
	static const char sql[] = "SELECT max(version) FROM needs_version WHERE lead_id = ? AND confirmed_at IS NOT NULL";
	memset(out, 0, sizeof *out);
	struct fnl_lead l;
	int rc = fnl_lead_get(db, ctx, lead_id, &l);
	if (rc)
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	int version = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	if (!version)
		return fnl__err(db, FNL_ENOTFOUND, "id", "lead %lld has no confirmed needs list", (long long)lead_id);
	return load_version(db, lead_id, version, out);
}

int fnl_needs_history(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, struct fnl_needs **out,
		      size_t *n)
{
	*out = NULL;
	*n = 0;
	struct fnl_lead l;
	int64_t vid;
	int version;
	int64_t confirmed;
	int rc = fnl_lead_get(db, ctx, lead_id, &l);
	if (rc || (rc = newest(db, lead_id, &vid, &version, &confirmed)))
		return rc;
	if (!version)
		return 0;
	struct fnl_needs *v = calloc((size_t)version, sizeof *v);
	if (!v)
		return fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
	for (int i = 0; i < version; i++) {
		if ((rc = load_version(db, lead_id, i + 1, &v[i]))) {
			for (int j = 0; j < i; j++)
				fnl_needs_free(&v[j]);
			free(v);
			return rc;
		}
	}
	*out = v;
	*n = (size_t)version;
	return 0;
}
