/* store/sqlite.c - the connection: open, create, migrations, statements, transactions, backup. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/internal.h"
#include "store/store.h"

int fnl__err(fnl_db *db, int code, const char *field, const char *fmt, ...)
{
	db->err.code = code;
	snprintf(db->err.field, sizeof db->err.field, "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(db->err.message, sizeof db->err.message, fmt, ap);
	va_end(ap);
	return code;
}

int fnl__sqlerr(fnl_db *db, int rc, const char *what)
{
	int code;
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		code = FNL_EBUSY;
		break;
	case SQLITE_NOMEM:
		code = FNL_ENOMEM;
		break;
	case SQLITE_CONSTRAINT:
		code = rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY ? FNL_EEXIST
											   : FNL_EDB;
		break;
	case SQLITE_IOERR:
	case SQLITE_FULL:
	case SQLITE_CANTOPEN:
		code = FNL_EIO;
		break;
	default:
		code = FNL_EDB;
	}
	return fnl__err(db, code, NULL, "%s: %s", what, db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc));
}

static size_t slot_of(const char *sql)
{
	uintptr_t h = (uintptr_t)sql;
	h ^= h >> 17;
	h *= 0x9E3779B97F4A7C15ull;
	return (size_t)(h >> 24) % FNL__STMT_SLOTS;
}

sqlite3_stmt *fnl__stmt(fnl_db *db, const char *sql)
{
	size_t i = slot_of(sql);
	for (size_t probe = 0; probe < FNL__STMT_SLOTS; probe++, i = (i + 1) % FNL__STMT_SLOTS) {
		struct fnl__stmt_slot *s = &db->stmts[i];
		if (s->sql == sql) {
			sqlite3_reset(s->stmt);
			sqlite3_clear_bindings(s->stmt);
			return s->stmt;
		}
		if (!s->sql) {
			sqlite3_stmt *st = NULL;
			int rc = sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
			if (rc != SQLITE_OK) {
				fnl__sqlerr(db, rc, "prepare");
				return NULL;
			}
			s->sql = sql;
			s->stmt = st;
			return st;
		}
	}
	/* The table is full: statements are finite and known, so this is a programming error. */
	fnl__err(db, FNL_EDB, NULL, "statement cache full");
	return NULL;
}

int fnl__exec_stmt(fnl_db *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
		sqlite3_reset(st);
		return 0;
	}
	int code = fnl__sqlerr(db, sqlite3_extended_errcode(db->sql), what);
	sqlite3_reset(st);
	return code;
}

int fnl__exec(fnl_db *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db->sql, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		int code = fnl__sqlerr(db, rc, "sql");
		if (msg) {
			fnl__err(db, code, NULL, "sql: %s", msg);
			sqlite3_free(msg);
		}
		return code;
	}
	return 0;
}

void fnl__bind_text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_TRANSIENT);
}

void fnl__bind_text_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void fnl__bind_int_null(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

void fnl__col_text(sqlite3_stmt *st, int i, char *buf, size_t len)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	snprintf(buf, len, "%s", t ? (const char *)t : "");
}

int fnl__collect(fnl_db *db, sqlite3_stmt *st, size_t sz, void (*fn)(sqlite3_stmt *, void *),
		 void **out, size_t *n, const char *what)
{
	char *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;
	*out = NULL;
	*n = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 16;
			char *nv = realloc(v, cap * sz);
			if (!nv) {
				free(v);
				sqlite3_reset(st);
				return fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
			}
			v = nv;
		}
		memset(v + cnt * sz, 0, sz);
		fn(st, v + cnt * sz);
		cnt++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return fnl__sqlerr(db, rc, what);
	}
	*out = v;
	*n = cnt;
	return 0;
}

int fnl__row(fnl_db *db, const char *sql, int64_t id, void (*fn)(sqlite3_stmt *, void *), void *out,
	     size_t sz, const char *what)
{
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, id);
	memset(out, 0, sz);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		fn(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return fnl__sqlerr(db, rc, what);
	return fnl__err(db, FNL_ENOTFOUND, "id", "%s: no row %lld", what, (long long)id);
}

int64_t fnl__last_id(fnl_db *db)
{
	return sqlite3_last_insert_rowid(db->sql);
}

/* Transaction control through the statement cache: a savepoint a call, so parsing it every time
 * would cost more than the call. */
static int control(fnl_db *db, const char *sql)
{
	sqlite3_stmt *st = fnl__stmt(db, sql);
	return st ? fnl__exec_stmt(db, st, "transaction") : db->err.code;
}

static const char sql_begin[] = "BEGIN IMMEDIATE", sql_savepoint[] = "SAVEPOINT fnl", sql_commit[] = "COMMIT",
		  sql_release[] = "RELEASE fnl", sql_rollback[] = "ROLLBACK", sql_rollback_to[] = "ROLLBACK TO fnl";

int fnl__tx_begin(fnl_db *db)
{
	int rc = control(db, db->depth == 0 ? sql_begin : sql_savepoint);
	if (rc == 0)
		db->depth++;
	return rc;
}

int fnl__tx_end(fnl_db *db, int rc)
{
	if (db->depth <= 0)
		return rc;
	if (rc == 0) {
		int c = control(db, db->depth == 1 ? sql_commit : sql_release);
		if (c == 0) {
			db->depth--;
			return 0;
		}
		rc = c;
	}
	/* Keep the error of the failure, not of the rollback. */
	struct fnl_error keep = db->err;
	if (db->depth == 1) {
		control(db, sql_rollback);
	} else {
		control(db, sql_rollback_to);
		control(db, sql_release);
	}
	db->err = keep;
	db->depth--;
	/* Settings may have been reloaded from rolled-back rows. */
	if (db->depth == 0)
		db->set.loaded = 0;
	return rc;
}

int fnl_db_begin(fnl_db *db)
{
	fnl_error_clear(&db->err);
	return fnl__tx_begin(db);
}

int fnl_db_commit(fnl_db *db)
{
	fnl_error_clear(&db->err);
	return fnl__tx_end(db, 0);
}

void fnl_db_rollback(fnl_db *db)
{
	fnl__tx_end(db, FNL_EINVAL);
	fnl_error_clear(&db->err);
}

int fnl__in_transaction(fnl_db *db)
{
	return !sqlite3_get_autocommit(db->sql);
}

int64_t fnl__data_version(fnl_db *db)
{
	static const char sql[] = "PRAGMA data_version";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	int64_t v = -1;
	if (st && sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	if (st)
		sqlite3_reset(st);
	return v;
}

static int load_actor(fnl_db *db, int64_t id)
{
	static const char sql[] = "SELECT login, role, COALESCE(team_id, 0), active FROM user WHERE id = ?";
	memset(&db->actor, 0, sizeof db->actor);
	if (id == 0) {
		snprintf(db->actor.login, sizeof db->actor.login, "system");
		snprintf(db->actor.role, sizeof db->actor.role, "admin");
		return 0;
	}
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc != SQLITE_DONE)
			return fnl__sqlerr(db, rc, "load user");
		return fnl__err(db, FNL_EPERM, "as", "no user with id %lld", (long long)id);
	}
	db->actor.id = id;
	fnl__col_text(st, 0, db->actor.login, sizeof db->actor.login);
	fnl__col_text(st, 1, db->actor.role, sizeof db->actor.role);
	db->actor.team_id = sqlite3_column_int64(st, 2);
	int active = sqlite3_column_int(st, 3);
	sqlite3_reset(st);
	if (!active)
		return fnl__err(db, FNL_EPERM, "as", "user '%s' is deactivated", db->actor.login);
	return 0;
}

int fnl__enter_noctx(fnl_db *db)
{
	fnl_error_clear(&db->err);
	/* Inside a transaction the handle's own view is current; reload only between them. */
	if (db->depth == 0) {
		int64_t v = fnl__data_version(db);
		if (v != db->data_version) {
			db->data_version = v;
			db->set.loaded = 0;
		}
	}
	if (!db->set.loaded)
		return fnl__settings_load(db);
	return 0;
}

int fnl__enter(fnl_db *db, const struct fnl_ctx *ctx)
{
	int rc = fnl__enter_noctx(db);
	if (rc)
		return rc;
	return load_actor(db, ctx ? ctx->actor : 0);
}

/* ---- open, create, migrate ---- */

static int schema_version(fnl_db *db, int64_t *v)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->sql, "PRAGMA user_version", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fnl__sqlerr(db, rc, "read schema version");
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	if (*v < 0)
		return fnl__sqlerr(db, rc, "read schema version");
	return 0;
}

static int count_tables(fnl_db *db, int64_t *n)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db->sql, "SELECT count(*) FROM sqlite_master", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return fnl__sqlerr(db, rc, "open database");
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return fnl__sqlerr(db, rc, "open database");
	return 0;
}

static int migrate(fnl_db *db, int64_t from)
{
	for (int64_t v = from; v < (int64_t)fnl__schema_count; v++) {
		int rc = fnl__tx_begin(db);
		if (rc)
			return rc;
		rc = fnl__exec(db, fnl__schema_migrations[v]);
		if (rc == 0) {
			char pragma[64];
			snprintf(pragma, sizeof pragma, "PRAGMA user_version = %lld", (long long)(v + 1));
			rc = fnl__exec(db, pragma);
		}
		if (rc)
			fnl__err(db, rc, NULL, "schema migration %lld: %s", (long long)(v + 1), db->err.message);
		if ((rc = fnl__tx_end(db, rc)))
			return rc;
	}
	return 0;
}

static int connect(const char *path, int flags, fnl_db **out, struct fnl_error *err)
{
	*out = NULL;
	fnl_db *db = calloc(1, sizeof *db);
	if (!db)
		return fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
	db->data_version = -1;
	int rc = sqlite3_open_v2(path, &db->sql, flags | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		fnl_error_set(err, FNL_EIO, "db", "cannot open database '%s': %s", path,
			      db->sql ? sqlite3_errmsg(db->sql) : sqlite3_errstr(rc));
		sqlite3_close(db->sql);
		free(db);
		return FNL_EIO;
	}
	sqlite3_extended_result_codes(db->sql, 1);
	sqlite3_busy_timeout(db->sql, 10000);
	*out = db;
	return 0;
}

static int configure(fnl_db *db)
{
	/* WAL keeps readers off the writer's back; FULL makes every commit durable. The statement
	 * journals of savepoints stay in memory (on disk they cost a write for every change a
	 * savepoint makes). */
	return fnl__exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;"
			     " PRAGMA foreign_keys = ON; PRAGMA trusted_schema = OFF; PRAGMA temp_store = MEMORY;");
}

static void fail_to(struct fnl_error *err, fnl_db *db, int rc)
{
	if (err) {
		*err = db->err;
		err->code = rc;
	}
}

int fnl_db_open(const char *path, fnl_db **out, struct fnl_error *err)
{
	*out = NULL;
	struct stat sb;
	if (stat(path, &sb) != 0)
		return fnl_error_set(err, FNL_ENOTFOUND, "db",
				     "no database at '%s' (create one with 'funnel init')", path);
	fnl_db *db;
	int rc = connect(path, SQLITE_OPEN_READWRITE, &db, err);
	if (rc)
		return rc;
	int64_t v = 0, tables = 0;
	if ((rc = configure(db)) || (rc = schema_version(db, &v)) || (rc = count_tables(db, &tables)))
		goto fail;
	if (v == 0 && tables == 0) {
		rc = fnl__err(db, FNL_ESCHEMA, "db", "'%s' is empty, not a funnel database (create one with 'funnel init')", path);
		goto fail;
	}
	if (v == 0) {
		rc = fnl__err(db, FNL_ESCHEMA, "db", "'%s' is not a funnel database", path);
		goto fail;
	}
	if (v > (int64_t)fnl__schema_count) {
		rc = fnl__err(db, FNL_ESCHEMA, "db",
			      "'%s' has schema version %lld; this funnel knows up to %zu (upgrade funnel)", path,
			      (long long)v, fnl__schema_count);
		goto fail;
	}
	if ((rc = migrate(db, v)))
		goto fail;
	if ((rc = fnl__enter_noctx(db)))
		goto fail;
	*out = db;
	return 0;
fail:
	fail_to(err, db, rc);
	fnl_db_close(db);
	return rc;
}

static void remove_db_files(const char *path)
{
	char side[4096];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-journal", path);
	unlink(side);
}

int fnl_db_create(const char *path, const struct fnl_ctx *ctx, fnl_db **out, struct fnl_error *err)
{
	*out = NULL;
	struct stat sb;
	if (stat(path, &sb) == 0 && sb.st_size > 0)
		return fnl_error_set(err, FNL_EEXIST, "db", "'%s' already exists", path);
	fnl_db *db;
	int rc = connect(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &db, err);
	if (rc)
		return rc;
	if ((rc = configure(db)) || (rc = migrate(db, 0)) || (rc = fnl__enter_noctx(db)))
		goto fail;
	if ((rc = fnl__tx_begin(db)))
		goto fail;
	rc = fnl__db_seed(db, ctx);
	if ((rc = fnl__tx_end(db, rc)))
		goto fail;
	*out = db;
	return 0;
fail:
	fail_to(err, db, rc);
	fnl_db_close(db);
	remove_db_files(path);
	return rc;
}

void fnl_db_close(fnl_db *db)
{
	if (!db)
		return;
	if (db->depth > 0)
		sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
	for (size_t i = 0; i < FNL__STMT_SLOTS; i++)
		sqlite3_finalize(db->stmts[i].stmt);
	fnl__settings_free(&db->set);
	sqlite3_close(db->sql);
	free(db);
}

const char *fnl_errmsg(const fnl_db *db)
{
	return db ? db->err.message : "";
}

const char *fnl_errfield(const fnl_db *db)
{
	return db ? db->err.field : "";
}

const struct fnl_error *fnl_db_error(const fnl_db *db)
{
	return &db->err;
}

int fnl_db_backup(fnl_db *db, const struct fnl_ctx *ctx, const char *path)
{
	/* a copy holds every lead with its contact data: the admin's, as backups are (SPEC §1, §8) */
	int rc = fnl__enter(db, ctx);
	if (rc || (rc = fnl__require_role(db, "back up the database", "admin", NULL)))
		return rc;
	/* made here, readable by its owner only (it holds contact data), and never over another file */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST)
		return fnl__err(db, FNL_EEXIST, "file", "'%s' already exists", path);
	if (fd < 0)
		return fnl__err(db, FNL_EIO, "file", "cannot create '%s': %s", path, strerror(errno));
	close(fd);
	sqlite3 *dst = NULL;
	rc = sqlite3_open_v2(path, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		fnl__err(db, FNL_EIO, "file", "cannot create '%s': %s", path,
			 dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		sqlite3_close(dst);
		unlink(path);
		return FNL_EIO;
	}
	/* One step copies every page under one read transaction: a consistent snapshot. */
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", db->sql, "main");
	if (b) {
		rc = sqlite3_backup_step(b, -1);
		sqlite3_backup_finish(b);
	} else {
		rc = sqlite3_errcode(dst);
	}
	if (rc == SQLITE_DONE)
		rc = sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
	int code = 0;
	if (rc != SQLITE_OK && rc != SQLITE_DONE)
		code = fnl__err(db, rc == SQLITE_BUSY ? FNL_EBUSY : FNL_EIO, "file", "backup to '%s' failed: %s",
				path, sqlite3_errstr(rc));
	if (sqlite3_close(dst) != SQLITE_OK && !code)
		code = fnl__err(db, FNL_EIO, "file", "backup to '%s' failed on close", path);
	if (code)
		remove_db_files(path);
	return code;
}
