/*
 * tests/unit/snapshot.h - a database as text, to compare two states of it:
 * - "a failing call changes nothing" (funnel.h: every write is atomic): snapshot() reads every
 *   table and the schema through the handle's own connection, so uncommitted leftovers on the
 *   handle would show too, before and after a call (EXPECT_UNCHANGED; test_atomic.c, the sale
 *   tests);
 * - two databases that must hold the same rows (an import and the same leads added one by one):
 *   dump_db() reads a database file on a connection of its own.
 * Every row of every table, ordered by all its columns, each value typed; assert_same_db() names
 * the table and the first line that differ.
 */
#ifndef FUNNEL_TESTS_SNAPSHOT_H
#define FUNNEL_TESTS_SNAPSHOT_H

#include "testutil.h"

#include "store/store.h"

/* A text value on one line: quoted, with its line breaks and backslashes escaped. */
static inline void dump_text(FILE *m, const char *s)
{
	fputc('\'', m);
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r' || *s == '\\')
			fputc('\\', m);
		fputc(*s == '\n' ? 'n' : *s == '\r' ? 'r' : *s, m);
	}
	fputc('\'', m);
}

/* The rows of one table of s into m, ordered by all the columns. */
static inline void dump_table(sqlite3 *s, const char *name, FILE *m)
{
	char sql[2048];
	sqlite3_stmt *st;
	snprintf(sql, sizeof sql, "SELECT * FROM \"%s\"", name);
	if (sqlite3_prepare_v2(s, sql, -1, &st, NULL) != SQLITE_OK)
		fail_msg("prepare '%s': %s", sql, sqlite3_errmsg(s));
	int ncols = sqlite3_column_count(st);
	sqlite3_finalize(st);
	size_t used = strlen(sql);
	for (int c = 1; c <= ncols; c++)
		used += (size_t)snprintf(sql + used, sizeof sql - used, "%s%d", c > 1 ? ", " : " ORDER BY ", c);
	assert_true(used < sizeof sql);
	assert_int_equal(sqlite3_prepare_v2(s, sql, -1, &st, NULL), SQLITE_OK);
	fprintf(m, "== %s\n", name);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int c = 0; c < ncols; c++) {
			fputs(c ? " | " : "", m);
			switch (sqlite3_column_type(st, c)) {
			case SQLITE_NULL: fputs("NULL", m); break;
			case SQLITE_INTEGER: fprintf(m, "%lld", (long long)sqlite3_column_int64(st, c)); break;
			case SQLITE_FLOAT: fprintf(m, "%.17g", sqlite3_column_double(st, c)); break;
			default: dump_text(m, (const char *)sqlite3_column_text(st, c)); break;
			}
		}
		fputc('\n', m);
	}
	if (rc != SQLITE_DONE)
		fail_msg("step '%s': %s", sql, sqlite3_errmsg(s));
	sqlite3_finalize(st);
}

/* The tables of s (and its schema when schema is set), but for those named in skip (NULL-ended). */
static inline char *dump_conn(sqlite3 *s, int schema, const char *const *skip)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	assert_non_null(m);
	if (schema)
		dump_table(s, "sqlite_master", m);
	sqlite3_stmt *tables;
	static const char list[] =
		"SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
	assert_int_equal(sqlite3_prepare_v2(s, list, -1, &tables, NULL), SQLITE_OK);
	int ntables = 0;
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(tables, 0);
		int skipped = 0;
		for (const char *const *k = skip; k && *k && !skipped; k++)
			skipped = strcmp(*k, name) == 0;
		ntables++;
		if (!skipped)
			dump_table(s, name, m);
	}
	sqlite3_finalize(tables);
	assert_true(ntables >= 14); /* config, state, team, user, ..., audit */
	assert_int_equal(fclose(m), 0);
	return text;
}

/* Every table's rows and the schema, as the handle's connection sees them. The caller frees. */
static inline char *snapshot(struct tenv *t)
{
	return dump_conn(t->db->sql, 1, NULL);
}

/* Every row of the database file at path; without audit and import_job (the record of the runs
 * themselves) unless all. The caller frees. */
static inline char *dump_db(const char *path, int all)
{
	static const char *const runs[] = {"audit", "import_job", NULL};
	sqlite3 *s = NULL;
	if (sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		fail_msg("cannot open %s", path);
	sqlite3_busy_timeout(s, 5000);
	char *text = dump_conn(s, 0, all ? NULL : runs);
	sqlite3_close(s);
	return text;
}

/* Two dumps are the same; else the first line that differs, with its table. Frees both. */
static inline void assert_same_db(const char *what, char *a, char *b)
{
	if (strcmp(a, b) == 0) {
		free(a);
		free(b);
		return;
	}
	const char *p = a, *q = b, *la = a, *lb = b;
	while (*p && *p == *q) {
		if (*p == '\n') {
			la = p + 1;
			lb = q + 1;
		}
		p++;
		q++;
	}
	const char *table = "?";
	for (const char *h = a; h && h <= la; h = strstr(h + 1, "\n== "))
		table = h == a ? h : h + 1;
	char ta[96], la_[400], lb_[400];
	snprintf(ta, sizeof ta, "%.*s", (int)strcspn(table, "\n"), table);
	snprintf(la_, sizeof la_, "%.*s", (int)strcspn(la, "\n"), la);
	snprintf(lb_, sizeof lb_, "%.*s", (int)strcspn(lb, "\n"), lb);
	print_error("%s: the databases differ in %s\n  first:  %s\n  second: %s\n", what, ta, la_, lb_);
	free(a);
	free(b);
	fail();
}

/* Take a snapshot, run the failing call, check the code and that nothing changed. */
#define EXPECT_UNCHANGED(t, call, code)                                       \
	do {                                                                  \
		char *before_ = snapshot(t);                                  \
		T_RC(t, call, code);                                          \
		assert_int_equal((t)->db->depth, 0);                          \
		assert_same_db(#call " changed the database", before_, snapshot(t)); \
	} while (0)

#endif
