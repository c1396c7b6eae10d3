/*
 * tests/unit/snapshot.h - "a failing call changes nothing" (funnel.h: every write is atomic): a dump
 * of every table (and the schema) read through the handle's own connection, so uncommitted
 * leftovers on the handle would show too, taken before and after a call and compared byte for
 * byte. Used by test_atomic.c and the sale tests.
 */
#ifndef FUNNEL_TESTS_SNAPSHOT_H
#define FUNNEL_TESTS_SNAPSHOT_H

#include "testutil.h"

#include "store/store.h"

/* ---- a dump of the whole database ---- */

struct snap_buf {
	char *p;
	size_t n, cap;
};

static inline void snap_put(struct snap_buf *b, const char *s, size_t len)
{
	if (b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (b->n + len + 1 > cap)
			cap *= 2;
		char *np = realloc(b->p, cap);
		assert_non_null(np);
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, len);
	b->n += len;
	b->p[b->n] = '\0';
}

static inline void snap_puts(struct snap_buf *b, const char *s)
{
	snap_put(b, s, strlen(s));
}

static inline void dump_query(sqlite3 *s, const char *sql, struct snap_buf *b)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare '%s': %s", sql, sqlite3_errmsg(s));
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int nc = sqlite3_column_count(st);
		for (int i = 0; i < nc; i++) {
			char tag[32];
			int type = sqlite3_column_type(st, i);
			snprintf(tag, sizeof tag, "%s%d:", i ? "|" : "", type);
			snap_puts(b, tag);
			if (type != SQLITE_NULL) {
				const char *v = (const char *)sqlite3_column_text(st, i);
				snap_put(b, v, (size_t)sqlite3_column_bytes(st, i));
			}
		}
		snap_puts(b, "\n");
	}
	if (rc != SQLITE_DONE)
		fail_msg("step '%s': %s", sql, sqlite3_errmsg(s));
	sqlite3_finalize(st);
}

/* Every table's rows and the schema, as the handle's connection sees them. The caller frees. */
static inline char *snapshot(struct tenv *t)
{
	sqlite3 *s = t->db->sql;
	struct snap_buf b = {0};
	dump_query(s, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name", &b);
	sqlite3_stmt *st = NULL;
	assert_int_equal(sqlite3_prepare_v2(s, "SELECT name FROM sqlite_master WHERE type = 'table'"
					    " AND name NOT LIKE 'sqlite_%' ORDER BY name", -1, &st, NULL),
			 SQLITE_OK);
	char names[64][64];
	size_t nt = 0;
	while (sqlite3_step(st) == SQLITE_ROW && nt < 64)
		snprintf(names[nt++], sizeof names[0], "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	assert_true(nt >= 14); /* config, state, team, user, ..., audit */
	for (size_t i = 0; i < nt; i++) {
		char sql[160];
		snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY 1", names[i]);
		snap_puts(&b, "== ");
		snap_puts(&b, names[i]);
		snap_puts(&b, "\n");
		dump_query(s, sql, &b);
	}
	return b.p;
}

static inline void assert_same(const char *before, const char *after, const char *what)
{
	if (strcmp(before, after) == 0)
		return;
	size_t i = 0;
	while (before[i] && before[i] == after[i])
		i++;
	size_t from = i > 80 ? i - 80 : 0;
	fail_msg("%s changed the database near:\n--- before: %.200s\n--- after:  %.200s", what, before + from,
		 after + from);
}

/* Take a snapshot, run the failing call, check the code and that nothing changed. */
#define EXPECT_UNCHANGED(t, call, code)                                   \
	do {                                                              \
		char *before_ = snapshot(t);                              \
		T_RC(t, call, code);                                      \
		assert_int_equal((t)->db->depth, 0);                      \
		char *after_ = snapshot(t);                               \
		assert_same(before_, after_, #call);                      \
		free(before_);                                            \
		free(after_);                                             \
	} while (0)

#endif
