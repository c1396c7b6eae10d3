/*
 * tests/unit/testutil.h - what the domain tests share: a temporary database per test (created with
 * fnl_db_create under a mkdtemp directory, removed in the teardown), a fixed clock, users, leads,
 * the stage gates satisfied for a move (t_ready_for), and a second SQLite connection to look at (or
 * tamper with) the file behind the library's back. The stage gates stay on (the default) in every
 * test unless the test itself switches one off.
 *
 * Header-only: every helper is static inline, so a test file uses what it needs.
 *
 * The clock: T_NOW is 2026-11-29T10:00:00+08:00, a Sunday. T_FRI is 2026-11-27T10:00:00+08:00, the
 * Friday before. The database's time zone is the default, Asia/Shanghai (UTC+8, no DST).
 */
#ifndef FUNNEL_TESTS_TESTUTIL_H
#define FUNNEL_TESTS_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "funnel/funnel.h"
#include "funnel/io.h"
#include "funnel/sale.h"

#define T_HOUR INT64_C(3600)
#define T_DAY INT64_C(86400)
/* 2026-11-29T10:00:00+08:00, Sunday */
#define T_NOW INT64_C(1795917600)
/* 2026-11-27T10:00:00+08:00, Friday */
#define T_FRI INT64_C(1795744800)

struct tenv {
	char dir[64];
	char path[128];
	fnl_db *db;
	int64_t admin; /* id of the seeded "admin" user */
	int phones;    /* counter behind t_phone() */
};

static inline struct fnl_ctx tctx(int64_t now, int64_t actor)
{
	struct fnl_ctx c = {now, actor};
	return c;
}

/* cmocka setup: a new database in a new temporary directory. */
static inline int tenv_setup(void **state)
{
	struct tenv *t = calloc(1, sizeof *t);
	if (!t)
		return -1;
	snprintf(t->dir, sizeof t->dir, "/tmp/funnel-unit-XXXXXX");
	if (!mkdtemp(t->dir)) {
		free(t);
		return -1;
	}
	snprintf(t->path, sizeof t->path, "%s/funnel.db", t->dir);
	struct fnl_ctx c = tctx(T_NOW - 30 * T_DAY, 0);
	struct fnl_error err = {0};
	if (fnl_db_create(t->path, &c, &t->db, &err) != FNL_OK) {
		fprintf(stderr, "fnl_db_create: %s\n", err.message);
		rmdir(t->dir);
		free(t);
		return -1;
	}
	struct fnl_user u;
	if (fnl_user_get(t->db, "admin", &u) != FNL_OK) {
		fnl_db_close(t->db);
		free(t);
		return -1;
	}
	t->admin = u.id;
	*state = t;
	return 0;
}

/* cmocka teardown: close and remove the database and its directory. */
static inline int tenv_teardown(void **state)
{
	struct tenv *t = *state;
	if (!t)
		return 0;
	fnl_db_close(t->db);
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		char p[160];
		snprintf(p, sizeof p, "%s%s", t->path, suffix[i]);
		unlink(p);
	}
	rmdir(t->dir);
	free(t);
	*state = NULL;
	return 0;
}

#define T_TEST(fn) cmocka_unit_test_setup_teardown(fn, tenv_setup, tenv_teardown)

/* The system context at now (actor 0: allowed everything) and the admin's. */
static inline struct fnl_ctx t_sys(int64_t now)
{
	return tctx(now, 0);
}

static inline struct fnl_ctx t_admin(const struct tenv *t, int64_t now)
{
	return tctx(now, t->admin);
}

/* Assert rc is expected; on a mismatch show the handle's error detail. */
#define T_RC(t, call, expected)                                                                      \
	do {                                                                                         \
		int rc_ = (call);                                                                    \
		if (rc_ != (expected))                                                               \
			fail_msg("%s: got %d (%s), expected %d; field '%s': %s", #call, rc_,       \
				 fnl_errname(rc_), (int)(expected), fnl_errfield((t)->db),          \
				 fnl_errmsg((t)->db));                                              \
	} while (0)

#define T_OK(t, call) T_RC(t, call, FNL_OK)

/* An instant written out ("2026-11-29T10:00:00+08:00") in the database's zone. */
static inline int64_t t_time(struct tenv *t, const char *iso)
{
	int64_t v = 0;
	struct fnl_error err = {0};
	if (fnl_time_parse(fnl_db_tz(t->db), iso, &v, &err))
		fail_msg("t_time('%s'): %s", iso, err.message);
	return v;
}

/* Add a user (by the admin) and return its id. team may be NULL. */
static inline int64_t t_user(struct tenv *t, const char *login, const char *role, const char *team)
{
	struct fnl_ctx c = t_admin(t, T_NOW - 20 * T_DAY);
	struct fnl_user u;
	T_OK(t, fnl_user_add(t->db, &c, login, login, role, team, &u));
	return u.id;
}

/* A fresh valid mobile number: 13952000001, 13952000002, ... (no test runs, not blocklisted). */
static inline const char *t_phone(struct tenv *t, char buf[static 16])
{
	snprintf(buf, 16, "13952%06d", ++t->phones);
	return buf;
}

/* Capture a lead on channel "website" with a fresh phone, owned by owner (a login, or NULL for
 * round-robin), at ctx->now; asserts it was created and returns it. */
static inline struct fnl_lead t_lead_as(struct tenv *t, const struct fnl_ctx *c, const char *company,
					const char *contact, const char *owner)
{
	char phone[16];
	struct fnl_lead_input in = {0};
	in.company = company;
	in.contact = contact;
	in.phone = t_phone(t, phone);
	in.channel = "website";
	in.owner = owner;
	int result = 0;
	int64_t rid = 0;
	struct fnl_lead l;
	T_OK(t, fnl_lead_add(t->db, c, &in, &result, &l, &rid));
	assert_int_equal(result, FNL_ADD_CREATED);
	assert_int_equal(rid, l.id);
	return l;
}

static inline struct fnl_lead t_lead(struct tenv *t, int64_t now, const char *company, const char *owner)
{
	struct fnl_ctx c = t_sys(now);
	return t_lead_as(t, &c, company, "张伟", owner);
}

/* Reload a lead as the system. */
static inline struct fnl_lead t_get(struct tenv *t, int64_t id)
{
	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_lead l;
	T_OK(t, fnl_lead_get(t->db, &c, id, &l));
	return l;
}

/* Score a lead as the system at now. */
static inline struct fnl_lead t_score(struct tenv *t, int64_t id, int64_t now, int b, int n, int d, int u)
{
	struct fnl_ctx c = t_sys(now);
	struct fnl_lead l;
	T_OK(t, fnl_lead_score(t->db, &c, id, b, n, d, u, &l));
	return l;
}

/* Record an activity of kind on a lead as the system at now. */
static inline void t_activity(struct tenv *t, int64_t id, int64_t now, const char *kind)
{
	struct fnl_ctx c = t_sys(now);
	struct fnl_activity_input in = {kind, "test", "", 0};
	struct fnl_activity a;
	T_OK(t, fnl_activity_add(t->db, &c, id, &in, &a));
	assert_string_equal(a.kind, kind);
}

/* Set a configuration key as the admin. */
static inline void t_config(struct tenv *t, const char *key, const char *value)
{
	struct fnl_ctx c = t_admin(t, T_NOW - 10 * T_DAY);
	T_OK(t, fnl_config_set(t->db, &c, key, value));
}

/* ---- the stage gates (SPEC §2) ---- */

/* The local date ("2026-11-29") of instant now in the database's zone. */
static inline void t_date(struct tenv *t, int64_t now, char buf[static 11])
{
	fnl_date_format(fnl_tz_local_date(fnl_db_tz(t->db), now), buf);
}

/*
 * Satisfy the stage gates of an open lead for a forward move to stage, as the system at now, for
 * tests about moves in general (test_sale.c tests the gates themselves):
 *   "propose"   a customer needs list with one need, confirmed by the lead's contact by phone;
 *   "negotiate" that, and a solution item for the need;
 *   "won"       both, and the deal (contract "HT-<id>", 100000.00 yuan, signed on now's date),
 *               which moves the lead to the last stage: it is won at now.
 * What is there already is kept. Returns the lead after.
 */
static inline struct fnl_lead t_ready_for_at(struct tenv *t, int64_t id, const char *stage, int64_t now)
{
	struct fnl_ctx c = t_sys(now);
	int solution = strcmp(stage, "negotiate") == 0 || strcmp(stage, "won") == 0;
	int deal = strcmp(stage, "won") == 0;
	if (!solution && strcmp(stage, "propose") != 0)
		fail_msg("t_ready_for: no gate before '%s' (propose, negotiate, won)", stage);
	struct fnl_needs nd;
	int rc = fnl_needs_confirmed(t->db, &c, id, &nd);
	if (rc == FNL_ENOTFOUND) {
		T_OK(t, fnl_needs_get(t->db, &c, id, 0, &nd));
		if (nd.n == 0) {
			fnl_needs_free(&nd);
			T_OK(t, fnl_needs_add(t->db, &c, id, "需要统一管理各渠道的销售线索", 1, NULL, 0, &nd));
		}
		fnl_needs_free(&nd);
		T_OK(t, fnl_needs_confirm(t->db, &c, id, 0, "phone", 0, &nd));
	} else if (rc != FNL_OK) {
		fail_msg("t_ready_for: fnl_needs_confirmed: %s", fnl_errmsg(t->db));
	}
	assert_true(nd.n > 0);
	int num = nd.items[0].num;
	fnl_needs_free(&nd);
	if (solution) {
		struct fnl_solution_item *v;
		size_t n;
		T_OK(t, fnl_solution_list(t->db, &c, id, &v, &n));
		free(v);
		if (n == 0)
			T_OK(t, fnl_solution_add(t->db, &c, id, num, "线索统一入库与自动分配", "不再漏跟线索", "",
						 "", "", NULL));
	}
	struct fnl_lead l;
	if (deal) {
		char contract[32], day[11];
		snprintf(contract, sizeof contract, "HT-%lld", (long long)id);
		t_date(t, now, day);
		T_OK(t, fnl_deal_close(t->db, &c, id, contract, INT64_C(10000000), day, NULL, 0, &l));
		assert_string_equal(l.status, "won");
		return l;
	}
	T_OK(t, fnl_lead_get(t->db, &c, id, &l));
	return l;
}

static inline struct fnl_lead t_ready_for(struct tenv *t, int64_t id, const char *stage)
{
	return t_ready_for_at(t, id, stage, T_NOW);
}

/* ---- a second connection to the database file ---- */

/* Run sql on a new connection to the file; returns the SQLite result code. */
static inline int t_sql(struct tenv *t, const char *sql)
{
	sqlite3 *s = NULL;
	if (sqlite3_open_v2(t->path, &s, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
		fail_msg("cannot open %s: %s", t->path, s ? sqlite3_errmsg(s) : "?");
	sqlite3_busy_timeout(s, 5000);
	int rc = sqlite3_exec(s, sql, NULL, NULL, NULL);
	sqlite3_close(s);
	return rc;
}

/* A positive integer from the environment (a test's size or seed), 1..max; dflt when unset or
 * not one. */
static inline int t_env_int(const char *name, int dflt, long max)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return dflt;
	char *end;
	long x = strtol(v, &end, 10);
	return *end || x < 1 || x > max ? dflt : (int)x;
}

/* sql prepared on a new read-only connection to the file and stepped once (the test fails when
 * it cannot be); *row says whether it gave a row. Finish with t_sql_done. */
static inline sqlite3_stmt *t_sql_row(struct tenv *t, const char *sql, int *row)
{
	sqlite3 *s = NULL;
	sqlite3_stmt *st = NULL;
	if (sqlite3_open_v2(t->path, &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		fail_msg("cannot open %s", t->path);
	if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare '%s': %s", sql, sqlite3_errmsg(s));
	*row = sqlite3_step(st) == SQLITE_ROW;
	return st;
}

static inline void t_sql_done(sqlite3_stmt *st)
{
	sqlite3 *s = sqlite3_db_handle(st);
	sqlite3_finalize(st);
	sqlite3_close(s);
}

/* The integer the query sql returns (first column of the first row; -1 for no row). */
static inline int64_t t_sql_int(struct tenv *t, const char *sql)
{
	int row;
	sqlite3_stmt *st = t_sql_row(t, sql, &row);
	int64_t v = row ? sqlite3_column_int64(st, 0) : -1;
	t_sql_done(st);
	return v;
}

/* The text the query sql returns (first column of the first row) into buf; "" for no row or NULL. */
static inline const char *t_sql_text(struct tenv *t, const char *sql, char *buf, size_t len)
{
	int row;
	sqlite3_stmt *st = t_sql_row(t, sql, &row);
	const unsigned char *v = row ? sqlite3_column_text(st, 0) : NULL;
	snprintf(buf, len, "%s", v ? (const char *)v : "");
	t_sql_done(st);
	return buf;
}

/* Find a task of kind on a lead among tasks[0..n): the newest one (highest id); NULL when none. */
static inline const struct fnl_task *t_task(const struct fnl_task *v, size_t n, const char *kind)
{
	const struct fnl_task *best = NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].kind, kind) == 0 && (!best || v[i].id > best->id))
			best = &v[i];
	return best;
}

#endif
