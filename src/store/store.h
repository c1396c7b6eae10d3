/*
 * store/store.h - the handle and the SQLite store beneath the domain.
 *
 * The handle owns one SQLite connection, a cache of prepared statements (keyed by the address of
 * their SQL text, so each statement is written once, where it is used), the transaction depth, the
 * detail of the last error and the cached settings of the installation.
 *
 * Transactions nest: the outermost is BEGIN IMMEDIATE (so a writer waits for the lock up front,
 * not half-way), inner ones are savepoints. Every public function that writes runs in one, so a
 * failing call leaves the database exactly as it was.
 */
#ifndef FUNNEL_STORE_STORE_H
#define FUNNEL_STORE_STORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "funnel/funnel.h"
#include "core/settings.h"

#define FNL__STMT_SLOTS 256

struct fnl__stmt_slot {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct fnl__memo;

/* The acting user of the current call, loaded by fnl__enter(). */
struct fnl__actor {
	int64_t id; /* 0: the system */
	char login[FNL_KEY_LEN];
	char role[16];
	int64_t team_id;
};

struct fnl_db {
	sqlite3 *sql;
	struct fnl_error err;
	int depth;
	int64_t data_version;
	struct fnl__settings set;
	struct fnl__actor actor;
	struct fnl__stmt_slot stmts[FNL__STMT_SLOTS];
	struct fnl__memo *memo; /* while an import runs (core/memo.c), else NULL */
};

/* Migrations, generated from store/schema/NNN_*.sql (cmake/embed_schema.cmake). */
extern const char *const fnl__schema_migrations[];
extern const size_t fnl__schema_count;

/* A prepared statement for sql (a string literal: its address is the cache key), reset and with
 * its bindings cleared. NULL on error (recorded on the handle). */
sqlite3_stmt *fnl__stmt(fnl_db *db, const char *sql);

/* Record a SQLite failure (rc from sqlite3_*) as FNL_EDB / FNL_EBUSY / FNL_ENOMEM / FNL_EEXIST on
 * the handle and return the code. what says what was being done. */
int fnl__sqlerr(fnl_db *db, int rc, const char *what);

/* Record an error on the handle; returns code. */
int fnl__err(fnl_db *db, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Step a statement that returns no rows; 0 or an error code. */
int fnl__exec_stmt(fnl_db *db, sqlite3_stmt *st, const char *what);

/* 1 while a transaction is open on the connection (SQLite may end one itself on some errors). */
int fnl__in_transaction(fnl_db *db);

/* PRAGMA data_version: changes when another connection commits (-1 when it cannot be read). */
int64_t fnl__data_version(fnl_db *db);

/* Run SQL text without parameters (schema, pragmas). */
int fnl__exec(fnl_db *db, const char *sql);

/* Begin a transaction (or savepoint when one is open). */
int fnl__tx_begin(fnl_db *db);
/* End it: commit (release) when rc is 0, roll back otherwise. Returns rc, or the commit's error. */
int fnl__tx_end(fnl_db *db, int rc);

/* Start a public call: clear the error, reload the settings when another connection changed the
 * database, and load the actor of ctx (which must be an active user unless 0). */
int fnl__enter(fnl_db *db, const struct fnl_ctx *ctx);
/* The same for calls without a ctx (reads that need no actor). */
int fnl__enter_noctx(fnl_db *db);

/* Bind helpers: text NULL or "" binds NULL for the _null variant. */
void fnl__bind_text(sqlite3_stmt *st, int i, const char *s);
void fnl__bind_text_null(sqlite3_stmt *st, int i, const char *s);
void fnl__bind_int_null(sqlite3_stmt *st, int i, int64_t v); /* 0 binds NULL */

/* Copy column i (text, NULL as "") into buf of len bytes. */
void fnl__col_text(sqlite3_stmt *st, int i, char *buf, size_t len);

/* Fill a new database with what the migrations cannot: the first admin user (core/user.c). */
int fnl__db_seed(fnl_db *db, const struct fnl_ctx *ctx);

/* Step st to the end, reading each row with fn into a new element (zeroed first) of an array of
 * elements of sz bytes, handed to the caller in *out (free()) with its length in *n. */
int fnl__collect(fnl_db *db, sqlite3_stmt *st, size_t sz, void (*fn)(sqlite3_stmt *, void *),
		 void **out, size_t *n, const char *what);

/* The one row of sql (one parameter: id), read with fn into out (zeroed first, sz bytes).
 * FNL_ENOTFOUND (with a message naming what and the id) when there is none. */
int fnl__row(fnl_db *db, const char *sql, int64_t id, void (*fn)(sqlite3_stmt *, void *), void *out,
	     size_t sz, const char *what);

/* The last insert rowid of the connection. */
int64_t fnl__last_id(fnl_db *db);

#endif
