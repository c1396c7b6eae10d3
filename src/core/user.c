/* core/user.c - users, their roles and teams (SPEC §1), and round-robin assignment. */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "store/store.h"

#define USER_SELECT                                                                          \
	"SELECT u.id, u.login, u.name, u.role, COALESCE(t.name, ''), u.active, u.created_at" \
	" FROM user u LEFT JOIN team t ON t.id = u.team_id "

static void read_user(sqlite3_stmt *st, struct fnl_user *u)
{
	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(st, 0);
	fnl__col_text(st, 1, u->login, sizeof u->login);
	fnl__col_text(st, 2, u->name, sizeof u->name);
	fnl__col_text(st, 3, u->role, sizeof u->role);
	fnl__col_text(st, 4, u->team, sizeof u->team);
	u->active = sqlite3_column_int(st, 5);
	u->created_at = sqlite3_column_int64(st, 6);
}

static int fetch_one(fnl_db *db, sqlite3_stmt *st, struct fnl_user *out, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		read_user(st, out);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fnl__sqlerr(db, rc, "read user");
	return fnl__err(db, FNL_ENOTFOUND, "login", "no user '%s'", what);
}

static int get_by_login(fnl_db *db, const char *login, struct fnl_user *out)
{
	static const char sql[] = USER_SELECT "WHERE u.login = ?";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	fnl__bind_text(st, 1, login);
	return fetch_one(db, st, out, login);
}

static int get_by_id(fnl_db *db, int64_t id, struct fnl_user *out)
{
	static const char sql[] = USER_SELECT "WHERE u.id = ?";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, id);
	char what[32];
	snprintf(what, sizeof what, "#%lld", (long long)id);
	return fetch_one(db, st, out, what);
}

int fnl_user_get(fnl_db *db, const char *login, struct fnl_user *out)
{
	int rc = fnl__enter_noctx(db);
	return rc ? rc : get_by_login(db, login, out);
}

int fnl__user_by_id(fnl_db *db, int64_t id, struct fnl_user *out)
{
	const struct fnl_user *m = fnl__memo_user(db, id);
	if (m) {
		*out = *m;
		return 0;
	}
	int rc = get_by_id(db, id, out);
	if (rc == 0)
		fnl__memo_user_put(db, out);
	return rc;
}

int fnl_user_get_id(fnl_db *db, int64_t id, struct fnl_user *out)
{
	int rc = fnl__enter_noctx(db);
	return rc ? rc : get_by_id(db, id, out);
}

static void read_user_row(sqlite3_stmt *st, void *p)
{
	read_user(st, p);
}

int fnl_user_list(fnl_db *db, struct fnl_user **out, size_t *n)
{
	static const char sql[] = USER_SELECT "ORDER BY u.id";
	*out = NULL;
	*n = 0;
	int rc = fnl__enter_noctx(db);
	if (rc)
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	return fnl__collect(db, st, sizeof **out, read_user_row, (void **)out, n, "list users");
}

static int valid_login(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
		if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
			return 0;
	}
	return 1;
}

/* The id of team name, created when missing; 0 for "". */
static int team_id(fnl_db *db, const struct fnl_ctx *ctx, const char *name, int64_t *id)
{
	static const char sel[] = "SELECT id FROM team WHERE name = ?";
	static const char ins[] = "INSERT INTO team (name) VALUES (?)";
	*id = 0;
	if (!name || !*name)
		return 0;
	char folded[FNL_NAME_LEN];
	int rc = fnl__take_text(db, "team", name, folded, sizeof folded);
	if (rc)
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sel);
	if (!st)
		return db->err.code;
	fnl__bind_text(st, 1, folded);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (!(st = fnl__stmt(db, ins)))
		return db->err.code;
	fnl__bind_text(st, 1, folded);
	if ((rc = fnl__exec_stmt(db, st, "add team")))
		return rc;
	*id = fnl__last_id(db);
	return fnl__audit(db, ctx, "team", folded, "create", 0, NULL, json_pack("{ss}", "name", folded));
}

static json_t *user_json(const struct fnl_user *u)
{
	return json_pack("{ss ss ss ss sb}", "login", u->login, "name", u->name, "role", u->role, "team",
			 u->team, "active", u->active);
}

static int insert_user(fnl_db *db, const struct fnl_ctx *ctx, const char *login, const char *name,
		       const char *role, const char *team, struct fnl_user *out)
{
	static const char sql[] = "INSERT INTO user (login, name, role, team_id, created_at) VALUES (?, ?, ?, ?, ?)";
	if (!login || !valid_login(login))
		return fnl__err(db, FNL_EINVAL, "login",
				"login: '%s' is not a login (1-32 of a-z, 0-9, '.', '_', '-', starting with a letter or digit)",
				login ? login : "");
	char nm[FNL_NAME_LEN];
	int rc = fnl__take_text(db, "name", name, nm, sizeof nm);
	if (rc)
		return rc;
	if (!*nm)
		return fnl__err(db, FNL_EINVAL, "name", "name: must not be empty");
	if (!fnl_role_valid(role))
		return fnl__err(db, FNL_EINVAL, "role",
				"role: '%s' is not a role (admin, manager, sales, marketing, aftersales)",
				role ? role : "");
	struct fnl_user existing;
	if (get_by_login(db, login, &existing) == 0)
		return fnl__err(db, FNL_EEXIST, "login", "login: user '%s' already exists", login);
	fnl_error_clear(&db->err);
	int64_t tid;
	if ((rc = team_id(db, ctx, team, &tid)))
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	fnl__bind_text(st, 1, login);
	fnl__bind_text(st, 2, nm);
	fnl__bind_text(st, 3, role);
	fnl__bind_int_null(st, 4, tid);
	sqlite3_bind_int64(st, 5, ctx->now);
	if ((rc = fnl__exec_stmt(db, st, "add user")))
		return rc;
	struct fnl_user u;
	if ((rc = get_by_id(db, fnl__last_id(db), &u)))
		return rc;
	if ((rc = fnl__audit(db, ctx, "user", u.login, "create", 0, NULL, user_json(&u))))
		return rc;
	if (out)
		*out = u;
	return 0;
}

int fnl__db_seed(fnl_db *db, const struct fnl_ctx *ctx)
{
	struct fnl_ctx sys = {ctx->now, 0};
	return insert_user(db, &sys, "admin", "管理员", "admin", NULL, NULL);
}

int fnl_user_add(fnl_db *db, const struct fnl_ctx *ctx, const char *login, const char *name,
		 const char *role, const char *team, struct fnl_user *out)
{
	int rc = fnl__begin_write(db, ctx, "add users", "admin", NULL);
	return rc ? rc : fnl__tx_end(db, insert_user(db, ctx, login, name, role, team, out));
}

static int edit_user(fnl_db *db, const struct fnl_ctx *ctx, const char *login,
		     const struct fnl_user_change *ch, struct fnl_user *out)
{
	static const char sql[] = "UPDATE user SET name = ?, role = ?, team_id = ?, active = ? WHERE id = ?";
	struct fnl_user old, u;
	int rc = get_by_login(db, login, &old);
	if (rc)
		return rc;
	u = old;
	if (ch->name) {
		if ((rc = fnl__take_text(db, "name", ch->name, u.name, sizeof u.name)))
			return rc;
		if (!*u.name)
			return fnl__err(db, FNL_EINVAL, "name", "name: must not be empty");
	}
	if (ch->role) {
		if (!fnl_role_valid(ch->role))
			return fnl__err(db, FNL_EINVAL, "role",
					"role: '%s' is not a role (admin, manager, sales, marketing, aftersales)", ch->role);
		snprintf(u.role, sizeof u.role, "%s", ch->role);
	}
	if (ch->active == 0 || ch->active == 1)
		u.active = ch->active;
	if (u.id == ctx->actor && (!u.active || strcmp(u.role, "admin") != 0))
		return fnl__err(db, FNL_EINVAL, "login", "login: you cannot deactivate yourself or drop your own admin role");
	int64_t tid = 0;
	if (ch->team) {
		if ((rc = team_id(db, ctx, ch->team, &tid)))
			return rc;
	} else {
		static const char tsql[] = "SELECT COALESCE(team_id, 0) FROM user WHERE id = ?";
		sqlite3_stmt *st = fnl__stmt(db, tsql);
		if (!st)
			return db->err.code;
		sqlite3_bind_int64(st, 1, u.id);
		if (sqlite3_step(st) == SQLITE_ROW)
			tid = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	fnl__bind_text(st, 1, u.name);
	fnl__bind_text(st, 2, u.role);
	fnl__bind_int_null(st, 3, tid);
	sqlite3_bind_int(st, 4, u.active);
	sqlite3_bind_int64(st, 5, u.id);
	if ((rc = fnl__exec_stmt(db, st, "edit user")))
		return rc;
	if ((rc = get_by_id(db, u.id, &u)))
		return rc;
	if ((rc = fnl__audit(db, ctx, "user", u.login, "edit", 0, user_json(&old), user_json(&u))))
		return rc;
	if (out)
		*out = u;
	return 0;
}

int fnl_user_edit(fnl_db *db, const struct fnl_ctx *ctx, const char *login,
		  const struct fnl_user_change *change, struct fnl_user *out)
{
	int rc = fnl__begin_write(db, ctx, "change users", "admin", NULL);
	return rc ? rc : fnl__tx_end(db, edit_user(db, ctx, login, change, out));
}

int fnl__owner_by_login(fnl_db *db, const char *login, const char *field, struct fnl_user *out)
{
	int rc = get_by_login(db, login, out);
	if (rc == FNL_ENOTFOUND)
		return fnl__err(db, FNL_EINVAL, field, "%s: no user '%s'", field, login);
	if (rc)
		return rc;
	if (!out->active)
		return fnl__err(db, FNL_EINVAL, field, "%s: user '%s' is deactivated", field, login);
	if (strcmp(out->role, "sales") && strcmp(out->role, "manager"))
		return fnl__err(db, FNL_EINVAL, field, "%s: user '%s' is %s; leads go to sales consultants or managers",
				field, login, out->role);
	return 0;
}
