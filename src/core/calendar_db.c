/* core/calendar_db.c - the working-day calendar stored in the database, and its import. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "store/store.h"

static int read_entries(fnl_db *db, int year, struct fnl_calendar_entry **out, size_t *n)
{
	static const char sql[] = "SELECT day, kind, name FROM calendar_day"
				  " WHERE ?1 = 0 OR substr(day, 1, 4) = printf('%04d', ?1) ORDER BY day";
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int(st, 1, year);
	struct fnl_calendar_entry *v = NULL;
	size_t cnt = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (cnt == cap) {
			cap = cap ? cap * 2 : 64;
			struct fnl_calendar_entry *nv = realloc(v, cap * sizeof *v);
			if (!nv) {
				free(v);
				sqlite3_reset(st);
				return fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
			}
			v = nv;
		}
		struct fnl_calendar_entry *e = &v[cnt];
		memset(e, 0, sizeof *e);
		const char *day = (const char *)sqlite3_column_text(st, 0);
		if (!day || fnl_date_parse(day, &e->day, NULL))
			continue; /* the table only ever holds dates written by the import */
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		e->workday = kind && strcmp(kind, "workday") == 0;
		fnl__col_text(st, 2, e->name, sizeof e->name);
		cnt++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(v);
		return fnl__sqlerr(db, rc, "read calendar");
	}
	*out = v;
	*n = cnt;
	return 0;
}

int fnl__calendar_load(fnl_db *db, unsigned workweek, fnl_calendar **out)
{
	struct fnl_calendar_entry *e;
	size_t n;
	int rc = read_entries(db, 0, &e, &n);
	if (rc)
		return rc;
	struct fnl_error err;
	rc = fnl_calendar_new(workweek, e, n, out, &err);
	free(e);
	if (rc)
		return fnl__err(db, rc, NULL, "calendar: %s", err.message);
	return 0;
}

int fnl_calendar_list(fnl_db *db, int year, struct fnl_calendar_entry **out, size_t *n)
{
	int rc = fnl__enter_noctx(db);
	return rc ? rc : read_entries(db, year, out, n);
}

static int import(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_calendar_entry *e, size_t n)
{
	static const char sql[] = "INSERT INTO calendar_day (day, kind, name) VALUES (?, ?, ?)"
				  " ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, name = excluded.name";
	int rc;
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *st = fnl__stmt(db, sql);
		if (!st)
			return db->err.code;
		char day[11];
		fnl_date_format(e[i].day, day);
		fnl__bind_text(st, 1, day);
		fnl__bind_text(st, 2, e[i].workday ? "workday" : "holiday");
		fnl__bind_text(st, 3, e[i].name);
		if ((rc = fnl__exec_stmt(db, st, "import calendar")))
			return rc;
	}
	json_t *after = json_pack("{sI}", "entries", (json_int_t)n);
	if (n) {
		int64_t lo = e[0].day, hi = e[0].day;
		for (size_t i = 1; i < n; i++) {
			lo = e[i].day < lo ? e[i].day : lo;
			hi = e[i].day > hi ? e[i].day : hi;
		}
		char a[11], b[11];
		fnl_date_format(lo, a);
		fnl_date_format(hi, b);
		json_object_set_new(after, "from", json_string(a));
		json_object_set_new(after, "to", json_string(b));
	}
	if ((rc = fnl__audit(db, ctx, "calendar", "calendar", "import", 0, NULL, after)))
		return rc;
	return fnl__settings_load(db);
}

int fnl_calendar_import(fnl_db *db, const struct fnl_ctx *ctx, const char *text, size_t len,
			size_t *count)
{
	if (count)
		*count = 0;
	int rc = fnl__enter(db, ctx);
	if (rc)
		return rc;
	if ((rc = fnl__require_role(db, "import the calendar", "admin", NULL)))
		return rc;
	struct fnl_calendar_entry *e = NULL;
	size_t n = 0;
	struct fnl_error err;
	if (fnl_calendar_parse(text, len, &e, &n, &err))
		return fnl__err(db, err.code, err.field[0] ? err.field : "line", "%s", err.message);
	if ((rc = fnl__tx_begin(db))) {
		free(e);
		return rc;
	}
	rc = fnl__tx_end(db, import(db, ctx, e, n));
	free(e);
	if (rc == 0 && count)
		*count = n;
	return rc;
}
