/*
 * core/quote.c - negotiation (SPEC §5): quotes in rounds with discount approval, and the obstacles
 * to closing, tracked until resolved.
 */
#include <stdio.h>
#include <string.h>

#include "core/internal.h"
#include "core/lead.h"
#include "core/settings.h"
#include "funnel/sale.h"
#include "store/store.h"

int fnl_percent_parse(const char *text, const char *field, int *bp, struct fnl_error *err)
{
	int64_t v;
	if (!text || fnl__parse_hundredths(text, &v) || v > 10000)
		return fnl_error_set(err, FNL_EINVAL, field,
				     "%s: '%s' is not a percentage from 0 to 100 with at most 2 decimals (like 15 or 15.5)",
				     field, text ? text : "");
	*bp = (int)v;
	return 0;
}

size_t fnl_percent_format(int bp, char *buf, size_t len)
{
	int n;
	if (bp % 100 == 0)
		n = snprintf(buf, len, "%d", bp / 100);
	else if (bp % 10 == 0)
		n = snprintf(buf, len, "%d.%d", bp / 100, (bp % 100) / 10);
	else
		n = snprintf(buf, len, "%d.%02d", bp / 100, bp % 100);
	return n < 0 ? 0 : (size_t)n;
}

/* ---- quotes ---- */

#define QUOTE_SELECT                                                                                      \
	"SELECT q.id, q.lead_id, q.round, q.amount, q.discount, q.terms, q.delivery_days, q.status,"         \
	" q.created_at, COALESCE(u.login, 'system'), COALESCE(q.decided_at, 0), COALESCE(d.login, ''),"      \
	" q.decision_note FROM quote q LEFT JOIN user u ON u.id = q.user_id LEFT JOIN user d ON d.id = q.decided_by "

static void read_quote(sqlite3_stmt *st, void *p)
{
	struct fnl_quote *q = p;
	q->id = sqlite3_column_int64(st, 0);
	q->lead_id = sqlite3_column_int64(st, 1);
	q->round = sqlite3_column_int(st, 2);
	q->amount = sqlite3_column_int64(st, 3);
	q->discount = sqlite3_column_int(st, 4);
	fnl__col_text(st, 5, q->terms, sizeof q->terms);
	q->delivery_days = sqlite3_column_int(st, 6);
	fnl__col_text(st, 7, q->status, sizeof q->status);
	q->created_at = sqlite3_column_int64(st, 8);
	fnl__col_text(st, 9, q->user, sizeof q->user);
	q->decided_at = sqlite3_column_int64(st, 10);
	fnl__col_text(st, 11, q->decided_by, sizeof q->decided_by);
	fnl__col_text(st, 12, q->decision_note, sizeof q->decision_note);
}

static int load_quote(fnl_db *db, int64_t id, struct fnl_quote *out)
{
	static const char sql[] = QUOTE_SELECT "WHERE q.id = ?";
	int rc = fnl__row(db, sql, id, read_quote, out, sizeof *out, "read quote");
	if (rc == FNL_ENOTFOUND)
		return fnl__err(db, FNL_ENOTFOUND, "id", "no quote %lld", (long long)id);
	return rc;
}

static json_t *quote_json(const struct fnl_quote *q)
{
	return json_pack("{si sI si ss si ss}", "round", q->round, "amount", (json_int_t)q->amount, "discount",
			 q->discount, "terms", q->terms, "delivery_days", q->delivery_days, "status", q->status);
}

static int add_quote(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int64_t amount, int discount,
		     const char *terms, int delivery_days, struct fnl_quote *out)
{
	static const char next_round[] = "SELECT COALESCE(max(round), 0) + 1 FROM quote WHERE lead_id = ?";
	static const char sql[] = "INSERT INTO quote (lead_id, round, amount, discount, terms, delivery_days, status,"
				  " created_at, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	struct fnl_lead l;
	struct fnl_quote q;
	memset(&q, 0, sizeof q);
	int rc = fnl__lead_open_for(db, lead_id, "quote", &l);
	if (rc)
		return rc;
	if (amount <= 0)
		return fnl__err(db, FNL_EINVAL, "amount", "amount: a quote needs an amount above 0");
	if (discount < 0 || discount > 10000)
		return fnl__err(db, FNL_EINVAL, "discount", "discount: must be from 0 to 100 %%");
	if (delivery_days < 0 || delivery_days > 3650)
		return fnl__err(db, FNL_EINVAL, "delivery", "delivery: %d is not a number of days from 0 to 3650",
				delivery_days);
	if ((rc = fnl__take_text(db, "terms", terms, q.terms, sizeof q.terms)))
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, next_round);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	q.round = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : 1;
	sqlite3_reset(st);
	q.lead_id = lead_id;
	q.amount = amount;
	q.discount = discount;
	q.delivery_days = delivery_days;
	/* exactly the limit is within it; one hundredth above waits for a manager */
	snprintf(q.status, sizeof q.status, "%s", discount > db->set.discount_limit ? "pending" : "within_limit");
	if (!(st = fnl__stmt(db, sql)))
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	sqlite3_bind_int(st, 2, q.round);
	sqlite3_bind_int64(st, 3, amount);
	sqlite3_bind_int(st, 4, discount);
	fnl__bind_text(st, 5, q.terms);
	sqlite3_bind_int(st, 6, delivery_days);
	fnl__bind_text(st, 7, q.status);
	sqlite3_bind_int64(st, 8, ctx->now);
	fnl__bind_int_null(st, 9, ctx->actor);
	if ((rc = fnl__exec_stmt(db, st, "add quote")))
		return rc;
	q.id = fnl__last_id(db);
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)q.id);
	if ((rc = fnl__audit(db, ctx, "quote", id, "create", lead_id, NULL, quote_json(&q))))
		return rc;
	return out ? load_quote(db, q.id, out) : 0;
}

int fnl_quote_add(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int64_t amount,
		  int discount, const char *terms, int delivery_days, struct fnl_quote *out)
{
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc : fnl__tx_end(db, add_quote(db, ctx, lead_id, amount, discount, terms, delivery_days, out));
}

static int decide(fnl_db *db, const struct fnl_ctx *ctx, int64_t quote_id, int approve, const char *note,
		  struct fnl_quote *out)
{
	static const char sql[] = "UPDATE quote SET status = ?, decided_at = ?, decided_by = ?, decision_note = ?"
				  " WHERE id = ? AND status = 'pending'";
	struct fnl_quote old, q;
	struct fnl_lead l;
	int rc = load_quote(db, quote_id, &old);
	if (rc || (rc = fnl__lead_load(db, old.lead_id, &l)))
		return rc;
	if (!fnl__manages(db, fnl__lead_owner_team(db, &l)))
		return fnl__err(db, FNL_EPERM, "as", "user '%s' (%s) cannot decide on the quotes of lead %lld",
				db->actor.login, db->actor.role, (long long)l.id);
	/* a lost lead's quote waits for the lead to be reopened; a won lead's sale is over */
	if (strcmp(l.status, "open") != 0)
		return fnl__err(db, FNL_ESTATE, "id", "cannot decide on quote %lld: lead %lld is %s%s", (long long)quote_id,
				(long long)l.id, l.status, strcmp(l.status, "won") == 0 ? "" : " (reopen it first)");
	if (strcmp(old.status, "pending") != 0)
		return fnl__err(db, FNL_ESTATE, "id", "quote %lld is %s, not waiting for approval", (long long)quote_id,
				strcmp(old.status, "within_limit") == 0 ? "within the discount limit" : old.status);
	q = old;
	if ((rc = fnl__take_text(db, "note", note, q.decision_note, sizeof q.decision_note)))
		return rc;
	snprintf(q.status, sizeof q.status, "%s", approve ? "approved" : "rejected");
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	fnl__bind_text(st, 1, q.status);
	sqlite3_bind_int64(st, 2, ctx->now);
	fnl__bind_int_null(st, 3, ctx->actor);
	fnl__bind_text(st, 4, q.decision_note);
	sqlite3_bind_int64(st, 5, quote_id);
	if ((rc = fnl__exec_stmt(db, st, "decide on quote")))
		return rc;
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)quote_id);
	if ((rc = fnl__audit(db, ctx, "quote", id, approve ? "approve" : "reject", l.id,
			     json_pack("{ss}", "status", old.status),
			     json_pack("{ss ss}", "status", q.status, "note", q.decision_note))))
		return rc;
	return out ? load_quote(db, quote_id, out) : 0;
}

int fnl_quote_decide(fnl_db *db, const struct fnl_ctx *ctx, int64_t quote_id, int approve,
		     const char *note, struct fnl_quote *out)
{
	int rc = fnl__begin_write(db, ctx, "approve or reject quotes", "admin", "manager", NULL);
	return rc ? rc : fnl__tx_end(db, decide(db, ctx, quote_id, approve, note, out));
}

int fnl__quote_standing(fnl_db *db, int64_t lead_id, struct fnl_quote *out)
{
	static const char sql[] = QUOTE_SELECT "WHERE q.lead_id = ? ORDER BY q.status = 'rejected', q.round DESC LIMIT 1";
	return fnl__row(db, sql, lead_id, read_quote, out, sizeof *out, "read quote");
}

int fnl_quote_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, struct fnl_quote **out,
		   size_t *n)
{
	static const char sql[] = QUOTE_SELECT "WHERE q.lead_id = ? ORDER BY q.round";
	return fnl__lead_rows(db, ctx, lead_id, sql, sizeof **out, read_quote, (void **)out, n, "list quotes");
}

/* ---- obstacles ---- */

struct name {
	const char *key, *zh, *en;
};

static const struct name types[] = {
	{"price", "价格", "Price"},
	{"terms", "条款", "Terms"},
	{"delivery", "交付周期", "Delivery"},
	{"competitor", "竞争对手", "Competitor"},
	{"authority", "决策权限", "Authority"},
	{"timing", "时机", "Timing"},
	{NULL, NULL, NULL},
};

int fnl_obstacle_type_valid(const char *type)
{
	for (const struct name *t = types; t->key; t++)
		if (type && strcmp(t->key, type) == 0)
			return 1;
	return 0;
}

const char *fnl_obstacle_type_name(const char *type, const char *lang)
{
	for (const struct name *t = types; t->key; t++)
		if (type && strcmp(t->key, type) == 0)
			return lang && strcmp(lang, "en") == 0 ? t->en : t->zh;
	return type ? type : "";
}

#define OBSTACLE_SELECT                                                                                     \
	"SELECT o.id, o.lead_id, o.type, o.text, o.created_at, COALESCE(u.login, 'system'),"                   \
	" COALESCE(o.resolved_at, 0), o.resolution FROM obstacle o LEFT JOIN user u ON u.id = o.user_id "

static void read_obstacle(sqlite3_stmt *st, void *p)
{
	struct fnl_obstacle *o = p;
	o->id = sqlite3_column_int64(st, 0);
	o->lead_id = sqlite3_column_int64(st, 1);
	fnl__col_text(st, 2, o->type, sizeof o->type);
	fnl__col_text(st, 3, o->text, sizeof o->text);
	o->created_at = sqlite3_column_int64(st, 4);
	fnl__col_text(st, 5, o->user, sizeof o->user);
	o->resolved_at = sqlite3_column_int64(st, 6);
	fnl__col_text(st, 7, o->resolution, sizeof o->resolution);
}

static int load_obstacle(fnl_db *db, int64_t id, struct fnl_obstacle *out)
{
	static const char sql[] = OBSTACLE_SELECT "WHERE o.id = ?";
	int rc = fnl__row(db, sql, id, read_obstacle, out, sizeof *out, "read obstacle");
	if (rc == FNL_ENOTFOUND)
		return fnl__err(db, FNL_ENOTFOUND, "id", "no obstacle %lld", (long long)id);
	return rc;
}

static int add_obstacle(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *type,
			const char *text, struct fnl_obstacle *out)
{
	static const char sql[] = "INSERT INTO obstacle (lead_id, type, text, created_at, user_id) VALUES (?, ?, ?, ?, ?)";
	struct fnl_lead l;
	char t[FNL_NOTE_LEN];
	int rc = fnl__lead_open_for(db, lead_id, "record an obstacle", &l);
	if (rc)
		return rc;
	if (!fnl_obstacle_type_valid(type))
		return fnl__err(db, FNL_EINVAL, "type",
				"type: '%s' is not an obstacle type (price, terms, delivery, competitor, authority, timing)",
				type ? type : "");
	if ((rc = fnl__take_text(db, "text", text, t, sizeof t)))
		return rc;
	if (!t[0])
		return fnl__err(db, FNL_EINVAL, "text", "text: required (what stands in the way)");
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	fnl__bind_text(st, 2, type);
	fnl__bind_text(st, 3, t);
	sqlite3_bind_int64(st, 4, ctx->now);
	fnl__bind_int_null(st, 5, ctx->actor);
	if ((rc = fnl__exec_stmt(db, st, "add obstacle")))
		return rc;
	int64_t oid = fnl__last_id(db);
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)oid);
	if ((rc = fnl__audit(db, ctx, "obstacle", id, "create", lead_id, NULL, json_pack("{ss ss}", "type", type, "text", t))))
		return rc;
	return out ? load_obstacle(db, oid, out) : 0;
}

int fnl_obstacle_add(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *type,
		     const char *text, struct fnl_obstacle *out)
{
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc : fnl__tx_end(db, add_obstacle(db, ctx, lead_id, type, text, out));
}

static int resolve(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const char *resolution, struct fnl_obstacle *out)
{
	static const char sql[] = "UPDATE obstacle SET resolved_at = ?, resolution = ? WHERE id = ?";
	struct fnl_obstacle o;
	struct fnl_lead l;
	int rc = load_obstacle(db, id, &o);
	if (rc || (rc = fnl__lead_open_for(db, o.lead_id, "resolve an obstacle", &l)))
		return rc;
	if (o.resolved_at)
		return fnl__err(db, FNL_ESTATE, "id", "obstacle %lld is already resolved", (long long)id);
	char r[FNL_NOTE_LEN];
	if ((rc = fnl__take_text(db, "note", resolution, r, sizeof r)))
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, ctx->now);
	fnl__bind_text(st, 2, r);
	sqlite3_bind_int64(st, 3, id);
	if ((rc = fnl__exec_stmt(db, st, "resolve obstacle")))
		return rc;
	char sid[24];
	snprintf(sid, sizeof sid, "%lld", (long long)id);
	if ((rc = fnl__audit(db, ctx, "obstacle", sid, "resolve", o.lead_id, json_pack("{ss}", "status", "open"),
			     json_pack("{ss ss}", "status", "resolved", "resolution", r))))
		return rc;
	return out ? load_obstacle(db, id, out) : 0;
}

int fnl_obstacle_resolve(fnl_db *db, const struct fnl_ctx *ctx, int64_t obstacle_id,
			 const char *resolution, struct fnl_obstacle *out)
{
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc : fnl__tx_end(db, resolve(db, ctx, obstacle_id, resolution, out));
}

int fnl_obstacle_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
		      struct fnl_obstacle **out, size_t *n)
{
	static const char sql[] = OBSTACLE_SELECT "WHERE o.lead_id = ? ORDER BY o.id";
	return fnl__lead_rows(db, ctx, lead_id, sql, sizeof **out, read_obstacle, (void **)out, n, "list obstacles");
}
