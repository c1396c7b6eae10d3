/*
 * core/solution.c - the solution (SPEC §5): items tying a need of the customer needs list to a
 * function, its value (quantified where possible) and a reference case; and its presentation.
 */
#include <stdio.h>
#include <string.h>

#include "core/internal.h"
#include "core/lead.h"
#include "funnel/sale.h"
#include "store/store.h"

/* A decimal figure: digits, at most one '.', at most 31 characters ("30", "0.5", "50000"). */
static int valid_figure(const char *s)
{
	int digits = 0, dots = 0;
	if (strlen(s) > 31)
		return 0;
	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (*s == '.' && !dots)
			dots++;
		else
			return 0;
	}
	return digits > 0;
}

/* The text of need num in the newest needs list of a lead, or FNL_EINVAL naming "need". */
static int need_text(fnl_db *db, int64_t lead_id, int num, char *buf, size_t len)
{
	static const char sql[] = "SELECT i.text FROM need_item i JOIN needs_version v ON v.id = i.version_id"
				  " WHERE v.lead_id = ?1 AND i.num = ?2 AND v.version ="
				  " (SELECT max(version) FROM needs_version WHERE lead_id = ?1)";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	sqlite3_bind_int(st, 2, num);
	int found = sqlite3_step(st) == SQLITE_ROW;
	if (found)
		fnl__col_text(st, 0, buf, len);
	sqlite3_reset(st);
	if (!found)
		return fnl__err(db, FNL_EINVAL, "need",
				"need: lead %lld has no need N%d in its needs list (see 'funnel needs list %lld')",
				(long long)lead_id, num, (long long)lead_id);
	return 0;
}

#define SOLUTION_SELECT                                                                                  \
	"SELECT s.id, s.lead_id, s.need_num, COALESCE((SELECT i.text FROM need_item i JOIN needs_version v"  \
	" ON v.id = i.version_id WHERE v.lead_id = s.lead_id AND i.num = s.need_num ORDER BY v.version DESC" \
	" LIMIT 1), ''), s.function, s.value, COALESCE(s.figure, ''), COALESCE(s.unit, ''), s.case_ref,"    \
	" s.created_at, COALESCE(u.login, 'system') FROM solution_item s LEFT JOIN user u ON u.id = s.user_id "

static void read_item(sqlite3_stmt *st, void *p)
{
	struct fnl_solution_item *s = p;
	s->id = sqlite3_column_int64(st, 0);
	s->lead_id = sqlite3_column_int64(st, 1);
	s->need_num = sqlite3_column_int(st, 2);
	fnl__col_text(st, 3, s->need, sizeof s->need);
	fnl__col_text(st, 4, s->function, sizeof s->function);
	fnl__col_text(st, 5, s->value, sizeof s->value);
	fnl__col_text(st, 6, s->figure, sizeof s->figure);
	fnl__col_text(st, 7, s->unit, sizeof s->unit);
	fnl__col_text(st, 8, s->case_ref, sizeof s->case_ref);
	s->created_at = sqlite3_column_int64(st, 9);
	fnl__col_text(st, 10, s->user, sizeof s->user);
}

static int add_item(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int need_num, const char *function,
		    const char *value, const char *figure, const char *unit, const char *case_ref,
		    struct fnl_solution_item *out)
{
	static const char sql[] = "INSERT INTO solution_item (lead_id, need_num, function, value, figure, unit, case_ref,"
				  " created_at, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char one[] = SOLUTION_SELECT "WHERE s.id = ?";
	struct fnl_lead l;
	struct fnl_solution_item s;
	memset(&s, 0, sizeof s);
	int rc = fnl__lead_open_for(db, lead_id, "add to the solution", &l);
	if (rc || (rc = need_text(db, lead_id, need_num, s.need, sizeof s.need)))
		return rc;
	if ((rc = fnl__take_text(db, "function", function, s.function, sizeof s.function)) ||
	    (rc = fnl__take_text(db, "value", value, s.value, sizeof s.value)) ||
	    (rc = fnl__take_folded(db, "figure", figure, s.figure, sizeof s.figure)) ||
	    (rc = fnl__take_text(db, "unit", unit, s.unit, sizeof s.unit)) ||
	    (rc = fnl__take_text(db, "case", case_ref, s.case_ref, sizeof s.case_ref)))
		return rc;
	if (!s.function[0])
		return fnl__err(db, FNL_EINVAL, "function", "function: required (what the product does for this need)");
	if (!s.value[0])
		return fnl__err(db, FNL_EINVAL, "value", "value: required (what it brings the customer)");
	if (s.figure[0] && !valid_figure(s.figure))
		return fnl__err(db, FNL_EINVAL, "figure", "figure: '%s' is not a number like 30 or 0.5", s.figure);
	if (s.figure[0] && !s.unit[0])
		return fnl__err(db, FNL_EINVAL, "unit", "unit: a figure needs its unit, e.g. %%, hours/week, CNY/year");
	if (!s.figure[0] && s.unit[0])
		return fnl__err(db, FNL_EINVAL, "figure", "figure: a unit without a figure");
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	sqlite3_bind_int(st, 2, need_num);
	fnl__bind_text(st, 3, s.function);
	fnl__bind_text(st, 4, s.value);
	fnl__bind_text_null(st, 5, s.figure);
	fnl__bind_text_null(st, 6, s.unit);
	fnl__bind_text(st, 7, s.case_ref);
	sqlite3_bind_int64(st, 8, ctx->now);
	fnl__bind_int_null(st, 9, ctx->actor);
	if ((rc = fnl__exec_stmt(db, st, "add solution item")))
		return rc;
	int64_t sid = fnl__last_id(db);
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)sid);
	if ((rc = fnl__audit(db, ctx, "solution", id, "create", lead_id, NULL,
			     json_pack("{si ss ss ss ss ss}", "need", need_num, "function", s.function, "value", s.value,
				       "figure", s.figure, "unit", s.unit, "case", s.case_ref))))
		return rc;
	if (!out)
		return 0;
	return fnl__row(db, one, sid, read_item, out, sizeof *out, "read back");
}

int fnl_solution_add(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int need_num,
		     const char *function, const char *value, const char *figure, const char *unit,
		     const char *case_ref, struct fnl_solution_item *out)
{
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc
		  : fnl__tx_end(db, add_item(db, ctx, lead_id, need_num, function, value, figure, unit, case_ref, out));
}

int fnl_solution_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
		      struct fnl_solution_item **out, size_t *n)
{
	static const char sql[] = SOLUTION_SELECT "WHERE s.lead_id = ? ORDER BY s.need_num, s.id";
	return fnl__lead_rows(db, ctx, lead_id, sql, sizeof **out, read_item, (void **)out, n, "list the solution");
}

/* ---- presentation ---- */

static void read_presentation(sqlite3_stmt *st, void *p)
{
	struct fnl_presentation *r = p;
	r->id = sqlite3_column_int64(st, 0);
	r->lead_id = sqlite3_column_int64(st, 1);
	fnl__col_text(st, 2, r->day, sizeof r->day);
	fnl__col_text(st, 3, r->attendees, sizeof r->attendees);
	fnl__col_text(st, 4, r->feedback, sizeof r->feedback);
	r->at = sqlite3_column_int64(st, 5);
	fnl__col_text(st, 6, r->user, sizeof r->user);
}

#define PRESENTATION_SELECT                                                                     \
	"SELECT p.id, p.lead_id, p.day, p.attendees, p.feedback, p.at, COALESCE(u.login, 'system')" \
	" FROM presentation p LEFT JOIN user u ON u.id = p.user_id "

static int add_presentation(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *day,
			    const char *attendees, const char *feedback, struct fnl_presentation *out)
{
	static const char sql[] = "INSERT INTO presentation (lead_id, day, attendees, feedback, at, user_id)"
				  " VALUES (?, ?, ?, ?, ?, ?)";
	struct fnl_lead l;
	struct fnl_presentation p;
	memset(&p, 0, sizeof p);
	int rc = fnl__lead_open_for(db, lead_id, "record a presentation", &l);
	if (rc)
		return rc;
	int64_t d;
	if (!day || fnl_date_parse(day, &d, NULL))
		return fnl__err(db, FNL_EINVAL, "date", "date: '%s' is not a date like 2026-12-01", day ? day : "");
	snprintf(p.day, sizeof p.day, "%s", day);
	if ((rc = fnl__take_text(db, "attendees", attendees, p.attendees, sizeof p.attendees)) ||
	    (rc = fnl__take_text(db, "feedback", feedback, p.feedback, sizeof p.feedback)))
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	fnl__bind_text(st, 2, p.day);
	fnl__bind_text(st, 3, p.attendees);
	fnl__bind_text(st, 4, p.feedback);
	sqlite3_bind_int64(st, 5, ctx->now);
	fnl__bind_int_null(st, 6, ctx->actor);
	if ((rc = fnl__exec_stmt(db, st, "record presentation")))
		return rc;
	p.id = fnl__last_id(db);
	p.lead_id = lead_id;
	p.at = ctx->now;
	snprintf(p.user, sizeof p.user, "%s", db->actor.login);
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)p.id);
	if ((rc = fnl__audit(db, ctx, "presentation", id, "create", lead_id, NULL,
			     json_pack("{ss ss ss}", "date", p.day, "attendees", p.attendees, "feedback", p.feedback))))
		return rc;
	if (out)
		*out = p;
	return 0;
}

int fnl_presentation_add(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *day,
			 const char *attendees, const char *feedback, struct fnl_presentation *out)
{
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc : fnl__tx_end(db, add_presentation(db, ctx, lead_id, day, attendees, feedback, out));
}

int fnl_presentation_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
			  struct fnl_presentation **out, size_t *n)
{
	static const char sql[] = PRESENTATION_SELECT "WHERE p.lead_id = ? ORDER BY p.day, p.id";
	return fnl__lead_rows(db, ctx, lead_id, sql, sizeof **out, read_presentation, (void **)out, n,
			      "list presentations");
}
