/*
 * core/deal.c - the deal and after-sales (SPEC §5): the contract that wins a lead, the hand-over
 * to after-sales, satisfaction, and the new leads a customer brings: repurchases and referrals,
 * linked both ways.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/lead.h"
#include "funnel/sale.h"
#include "store/store.h"

/* ---- the deal ---- */

static int read_deal(fnl_db *db, int64_t lead_id, struct fnl_deal *out)
{
	static const char sql[] = "SELECT d.contract_no, d.amount, d.signed_on, COALESCE(d.delivery_start, ''),"
				  " d.created_at, COALESCE(u.login, 'system') FROM deal d"
				  " LEFT JOIN user u ON u.id = d.user_id WHERE d.lead_id = ?";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	memset(out, 0, sizeof *out);
	out->lead_id = lead_id;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		fnl__col_text(st, 0, out->contract_no, sizeof out->contract_no);
		out->amount = sqlite3_column_int64(st, 1);
		fnl__col_text(st, 2, out->signed_on, sizeof out->signed_on);
		fnl__col_text(st, 3, out->delivery_start, sizeof out->delivery_start);
		out->created_at = sqlite3_column_int64(st, 4);
		fnl__col_text(st, 5, out->user, sizeof out->user);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return fnl__sqlerr(db, rc, "read deal");
	return fnl__err(db, FNL_ENOTFOUND, "id", "lead %lld has no deal", (long long)lead_id);
}

int fnl_deal_get(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, struct fnl_deal *out)
{
	struct fnl_lead l;
	int rc = fnl_lead_get(db, ctx, lead_id, &l);
	return rc ? rc : read_deal(db, lead_id, out);
}

static int check_day(fnl_db *db, const char *field, const char *s, int64_t *day)
{
	if (!s || fnl_date_parse(s, day, NULL))
		return fnl__err(db, FNL_EINVAL, field, "%s: '%s' is not a date like 2026-12-01", field, s ? s : "");
	return 0;
}

/* The deal follows the quote that stands (the newest round not rejected): one still waiting for a
 * manager's approval cannot be what the customer signed, nor can a lead's quotes that were all
 * rejected. A lead without quotes passes. */
static int quote_agreed(fnl_db *db, int64_t lead_id)
{
	struct fnl_quote q;
	int rc = fnl__quote_standing(db, lead_id, &q);
	if (rc == FNL_ENOTFOUND) {
		fnl_error_clear(&db->err);
		return 0;
	}
	if (rc)
		return rc;
	if (strcmp(q.status, "pending") == 0)
		return fnl__err(db, FNL_ESTATE, "id",
				"cannot close a deal: quote %lld (round %d) of lead %lld waits for a manager's approval",
				(long long)q.id, q.round, (long long)lead_id);
	if (strcmp(q.status, "rejected") == 0)
		return fnl__err(db, FNL_ESTATE, "id",
				"cannot close a deal: every quote of lead %lld was rejected; give a new quote first",
				(long long)lead_id);
	return 0;
}

static int close_deal(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *contract_no,
		      int64_t amount, const char *signed_on, const char *delivery_start, int force,
		      struct fnl_lead *out)
{
	static const char sql[] = "INSERT INTO deal (lead_id, contract_no, amount, signed_on, delivery_start,"
				  " created_at, user_id) VALUES (?, ?, ?, ?, ?, ?, ?)";
	struct fnl_lead l;
	struct fnl_deal existing;
	int rc = fnl__lead_writable(db, lead_id, &l);
	if (rc)
		return rc;
	if (read_deal(db, lead_id, &existing) == 0)
		return fnl__err(db, FNL_ESTATE, "id", "lead %lld already has a deal (contract %s)", (long long)lead_id,
				existing.contract_no);
	fnl_error_clear(&db->err);
	int won = strcmp(l.status, "won") == 0;
	if (!won && strcmp(l.status, "open") != 0)
		return fnl__err(db, FNL_ESTATE, "id", "cannot close a deal: lead %lld is %s%s", (long long)lead_id,
				l.status, strcmp(l.status, "lost") == 0 ? " (reopen it first)" : "");
	char contract[64];
	if ((rc = fnl__take_text(db, "contract", contract_no, contract, sizeof contract)))
		return rc;
	if (!contract[0])
		return fnl__err(db, FNL_EINVAL, "contract", "contract: the contract number is required");
	if (amount <= 0)
		return fnl__err(db, FNL_EINVAL, "amount", "amount: a deal needs an amount above 0");
	int64_t signed_day, delivery_day = 0;
	if ((rc = check_day(db, "signed", signed_on, &signed_day)))
		return rc;
	if (signed_day > fnl_tz_local_date(db->set.tz, ctx->now))
		return fnl__err(db, FNL_EINVAL, "signed", "signed: '%s' is in the future", signed_on);
	if (delivery_start && *delivery_start) {
		if ((rc = check_day(db, "delivery", delivery_start, &delivery_day)))
			return rc;
		if (delivery_day < signed_day)
			return fnl__err(db, FNL_EINVAL, "delivery", "delivery: '%s' is before the signing date '%s'",
					delivery_start, signed_on);
	}
	if (!won && (rc = quote_agreed(db, lead_id)))
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	fnl__bind_text(st, 2, contract);
	sqlite3_bind_int64(st, 3, amount);
	fnl__bind_text(st, 4, signed_on);
	fnl__bind_text_null(st, 5, delivery_start);
	sqlite3_bind_int64(st, 6, ctx->now);
	fnl__bind_int_null(st, 7, ctx->actor);
	if ((rc = fnl__exec_stmt(db, st, "record deal")))
		return rc;
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)lead_id);
	if ((rc = fnl__audit(db, ctx, "deal", id, "create", lead_id, NULL,
			     json_pack("{ss sI ss ss}", "contract", contract, "amount", (json_int_t)amount, "signed_on",
				       signed_on, "delivery_start", delivery_start ? delivery_start : ""))))
		return rc;
	if (won)
		return fnl__lead_load(db, lead_id, out);
	struct fnl_stage last;
	if ((rc = fnl__stage_last(db, l.pipeline_id, &last)))
		return rc;
	char note[128];
	snprintf(note, sizeof note, "deal %s", contract);
	rc = fnl__lead_move(db, ctx, lead_id, last.key, note, force, out);
	if (rc == FNL_EGATE) /* the gate is the lead's, not an option of deal close */
		snprintf(db->err.field, sizeof db->err.field, "id");
	return rc;
}

int fnl_deal_close(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *contract_no,
		   int64_t amount, const char *signed_on, const char *delivery_start, int force,
		   struct fnl_lead *out)
{
	int rc = force ? fnl__begin_write(db, ctx, "force a lead past a stage gate", "admin", "manager", NULL)
		       : fnl__begin_write(db, ctx, NULL);
	return rc ? rc
		  : fnl__tx_end(db, close_deal(db, ctx, lead_id, contract_no, amount, signed_on, delivery_start, force, out));
}

/* ---- after-sales ---- */

static int won_lead(fnl_db *db, int64_t id, const char *what, struct fnl_lead *l)
{
	int rc = fnl__lead_writable(db, id, l);
	if (rc)
		return rc;
	if (strcmp(l->status, "won") != 0)
		return fnl__err(db, FNL_ESTATE, "id", "cannot %s: lead %lld is %s, not a won customer", what,
				(long long)id, l->status);
	return 0;
}

static void read_handover(sqlite3_stmt *st, void *p)
{
	struct fnl_handover *h = p;
	h->id = sqlite3_column_int64(st, 0);
	h->lead_id = sqlite3_column_int64(st, 1);
	fnl__col_text(st, 2, h->from, sizeof h->from);
	fnl__col_text(st, 3, h->to, sizeof h->to);
	fnl__col_text(st, 4, h->user, sizeof h->user);
	h->at = sqlite3_column_int64(st, 5);
	fnl__col_text(st, 6, h->note, sizeof h->note);
}

#define HANDOVER_SELECT                                                                                 \
	"SELECT h.id, h.lead_id, COALESCE(f.login, ''), t.login, COALESCE(u.login, 'system'), h.at, h.note" \
	" FROM handover h LEFT JOIN user f ON f.id = h.from_user JOIN user t ON t.id = h.to_user"           \
	" LEFT JOIN user u ON u.id = h.user_id "

static int handover(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *to, const char *note,
		    struct fnl_handover *out)
{
	static const char ins[] = "INSERT INTO handover (lead_id, from_user, to_user, at, user_id, note) VALUES (?, ?, ?, ?, ?, ?)";
	static const char upd[] = "UPDATE lead SET aftersales_id = ?, updated_at = ?, version = version + 1 WHERE id = ?";
	static const char one[] = HANDOVER_SELECT "WHERE h.id = ?";
	struct fnl_lead l;
	struct fnl_user u;
	int rc = won_lead(db, lead_id, "hand over", &l);
	if (rc)
		return rc;
	if (!to || !*to)
		return fnl__err(db, FNL_EINVAL, "to", "to: required (an after-sales user)");
	if ((rc = fnl_user_get(db, to, &u)))
		return fnl__err(db, FNL_EINVAL, "to", "to: no user '%s'", to);
	if (strcmp(u.role, "aftersales") || !u.active)
		return fnl__err(db, FNL_EINVAL, "to", "to: '%s' is not an active after-sales user", to);
	if (u.id == l.aftersales_id)
		return fnl__err(db, FNL_ESTATE, "to", "lead %lld is already with '%s'", (long long)lead_id, to);
	char nt[FNL_NOTE_LEN];
	if ((rc = fnl__take_text(db, "note", note, nt, sizeof nt)))
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, ins);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	fnl__bind_int_null(st, 2, l.aftersales_id ? l.aftersales_id : l.owner_id);
	sqlite3_bind_int64(st, 3, u.id);
	sqlite3_bind_int64(st, 4, ctx->now);
	fnl__bind_int_null(st, 5, ctx->actor);
	fnl__bind_text(st, 6, nt);
	if ((rc = fnl__exec_stmt(db, st, "record hand-over")))
		return rc;
	int64_t hid = fnl__last_id(db);
	if (!(st = fnl__stmt(db, upd)))
		return db->err.code;
	sqlite3_bind_int64(st, 1, u.id);
	sqlite3_bind_int64(st, 2, ctx->now);
	sqlite3_bind_int64(st, 3, lead_id);
	if ((rc = fnl__exec_stmt(db, st, "record hand-over")))
		return rc;
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)lead_id);
	if ((rc = fnl__audit(db, ctx, "lead", id, "handover", lead_id, json_pack("{ss}", "aftersales", l.aftersales),
			     json_pack("{ss ss}", "aftersales", u.login, "note", nt))))
		return rc;
	if (!out)
		return 0;
	return fnl__row(db, one, hid, read_handover, out, sizeof *out, "read back");
}

int fnl_aftersales_handover(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *to,
			    const char *note, struct fnl_handover *out)
{
	int rc = fnl__begin_write(db, ctx, "hand customers over", "admin", "manager", "sales", NULL);
	return rc ? rc : fnl__tx_end(db, handover(db, ctx, lead_id, to, note, out));
}

int fnl_handover_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
		      struct fnl_handover **out, size_t *n)
{
	static const char sql[] = HANDOVER_SELECT "WHERE h.lead_id = ? ORDER BY h.at, h.id";
	return fnl__lead_rows(db, ctx, lead_id, sql, sizeof **out, read_handover, (void **)out, n, "list hand-overs");
}

static void read_rating(sqlite3_stmt *st, void *p)
{
	struct fnl_rating *r = p;
	r->id = sqlite3_column_int64(st, 0);
	r->lead_id = sqlite3_column_int64(st, 1);
	r->score = sqlite3_column_int(st, 2);
	fnl__col_text(st, 3, r->note, sizeof r->note);
	r->at = sqlite3_column_int64(st, 4);
	fnl__col_text(st, 5, r->user, sizeof r->user);
}

#define RATING_SELECT                                                                            \
	"SELECT s.id, s.lead_id, s.score, s.note, s.at, COALESCE(u.login, 'system') FROM satisfaction s" \
	" LEFT JOIN user u ON u.id = s.user_id "

static int rate(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int score, const char *note,
		struct fnl_rating *out)
{
	static const char sql[] = "INSERT INTO satisfaction (lead_id, score, note, at, user_id) VALUES (?, ?, ?, ?, ?)";
	struct fnl_lead l;
	int rc = won_lead(db, lead_id, "rate satisfaction", &l);
	if (rc)
		return rc;
	if (score < 1 || score > 5)
		return fnl__err(db, FNL_EINVAL, "score", "score: %d is not a satisfaction from 1 to 5", score);
	struct fnl_rating r;
	memset(&r, 0, sizeof r);
	if ((rc = fnl__take_text(db, "note", note, r.note, sizeof r.note)))
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	sqlite3_bind_int(st, 2, score);
	fnl__bind_text(st, 3, r.note);
	sqlite3_bind_int64(st, 4, ctx->now);
	fnl__bind_int_null(st, 5, ctx->actor);
	if ((rc = fnl__exec_stmt(db, st, "record satisfaction")))
		return rc;
	r.id = fnl__last_id(db);
	r.lead_id = lead_id;
	r.score = score;
	r.at = ctx->now;
	snprintf(r.user, sizeof r.user, "%s", db->actor.login);
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)r.id);
	if ((rc = fnl__audit(db, ctx, "satisfaction", id, "create", lead_id, NULL,
			     json_pack("{si ss}", "score", score, "note", r.note))))
		return rc;
	if (out)
		*out = r;
	return 0;
}

int fnl_satisfaction_add(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int score,
			 const char *note, struct fnl_rating *out)
{
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc : fnl__tx_end(db, rate(db, ctx, lead_id, score, note, out));
}

int fnl_satisfaction_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
			  struct fnl_rating **out, size_t *n)
{
	static const char sql[] = RATING_SELECT "WHERE s.lead_id = ? ORDER BY s.at, s.id";
	return fnl__lead_rows(db, ctx, lead_id, sql, sizeof **out, read_rating, (void **)out, n, "list satisfaction");
}

/* ---- repurchase and referral ---- */

/* The customer a new lead comes from: a won lead the actor may see. */
static int customer(fnl_db *db, int64_t id, struct fnl_lead *l)
{
	int rc = fnl__lead_for(db, id, FNL__READ, l);
	if (rc)
		return rc;
	if (strcmp(l->status, "won") != 0)
		return fnl__err(db, FNL_ESTATE, "id", "lead %lld is %s, not a won customer", (long long)id, l->status);
	return 0;
}

static int repurchase(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const struct fnl_lead_input *in,
		      int *result, struct fnl_lead *out, int64_t *record_id)
{
	struct fnl_lead orig;
	int rc = customer(db, lead_id, &orig);
	if (rc)
		return rc;
	char source[FNL_TEXT_LEN];
	if (strcmp(db->set.lang, "en") == 0)
		snprintf(source, sizeof source, "repurchase of lead %lld", (long long)lead_id);
	else
		snprintf(source, sizeof source, "复购（原线索 %lld）", (long long)lead_id);
	struct fnl_lead_input r = {0};
	r.company = orig.company;
	r.contact = orig.contact;
	r.title = orig.title;
	r.phone = orig.phone;
	r.email = orig.email;
	r.wechat = orig.wechat;
	r.industry = orig.industry;
	r.size = orig.size;
	r.region = orig.region;
	r.consent = orig.consent;
	r.channel = "repurchase";
	r.source = in && in->source ? in->source : source;
	r.notes = in ? in->notes : NULL;
	r.owner = in ? in->owner : NULL;
	return fnl__lead_add(db, ctx, &r, lead_id, 0, result, out, record_id);
}

static int referral(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const struct fnl_lead_input *in,
		    int *result, struct fnl_lead *out, int64_t *record_id)
{
	struct fnl_lead from;
	int rc = customer(db, lead_id, &from);
	if (rc)
		return rc;
	if (!in)
		return fnl__err(db, FNL_EINVAL, "company", "company: required");
	if (in->channel && strcmp(in->channel, "customer_referral") != 0)
		return fnl__err(db, FNL_EINVAL, "channel", "channel: a referral comes through 'customer_referral'");
	char source[FNL_TEXT_LEN];
	if (strcmp(db->set.lang, "en") == 0)
		snprintf(source, sizeof source, "referred by %s (lead %lld)", from.company, (long long)lead_id);
	else
		snprintf(source, sizeof source, "%s 转介绍（线索 %lld）", from.company, (long long)lead_id);
	struct fnl_lead_input r = *in;
	r.channel = "customer_referral";
	if (!r.source)
		r.source = source;
	return fnl__lead_add(db, ctx, &r, 0, lead_id, result, out, record_id);
}

typedef int (*new_lead_fn)(fnl_db *, const struct fnl_ctx *, int64_t, const struct fnl_lead_input *, int *,
			   struct fnl_lead *, int64_t *);

static int new_lead(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const struct fnl_lead_input *in,
		    int *result, struct fnl_lead *out, int64_t *record_id, new_lead_fn fn)
{
	int rc = fnl__begin_write(db, ctx, "add leads", "admin", "manager", "sales", "aftersales", NULL);
	if (rc)
		return rc;
	int res = 0;
	int64_t rid = 0;
	rc = fnl__tx_end(db, fn(db, ctx, lead_id, in, &res, out, &rid));
	if (rc == 0) {
		if (result)
			*result = res;
		if (record_id)
			*record_id = rid;
	}
	return rc;
}

int fnl_lead_repurchase(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
			const struct fnl_lead_input *in, int *result, struct fnl_lead *out,
			int64_t *record_id)
{
	return new_lead(db, ctx, lead_id, in, result, out, record_id, repurchase);
}

int fnl_lead_referral(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
		      const struct fnl_lead_input *in, int *result, struct fnl_lead *out,
		      int64_t *record_id)
{
	return new_lead(db, ctx, lead_id, in, result, out, record_id, referral);
}

/* ---- links ---- */

struct link_row {
	char kind[16];
	int64_t id;
};

static void read_link_row(sqlite3_stmt *st, void *p)
{
	struct link_row *r = p;
	fnl__col_text(st, 0, r->kind, sizeof r->kind);
	r->id = sqlite3_column_int64(st, 1);
}


int fnl_lead_links(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, struct fnl_link **out, size_t *n)
{
	static const char sql[] =
		"SELECT 'repurchase_of', r.id FROM lead l JOIN lead r ON r.id = l.returning_of"
		"  JOIN channel c ON c.id = l.channel_id WHERE l.id = ?1 AND c.key = 'repurchase'"
		" UNION ALL SELECT 'returning_of', r.id FROM lead l JOIN lead r ON r.id = l.returning_of"
		"  JOIN channel c ON c.id = l.channel_id WHERE l.id = ?1 AND c.key <> 'repurchase'"
		" UNION ALL SELECT CASE WHEN c.key = 'repurchase' THEN 'repurchase' ELSE 'returning' END, r.id"
		"  FROM lead r JOIN channel c ON c.id = r.channel_id WHERE r.returning_of = ?1"
		" UNION ALL SELECT 'referred_by', l.referred_by FROM lead l WHERE l.id = ?1 AND l.referred_by IS NOT NULL"
		" UNION ALL SELECT 'referral', r.id FROM lead r WHERE r.referred_by = ?1"
		" ORDER BY 2";
	*out = NULL;
	*n = 0;
	struct fnl_lead l;
	int rc = fnl_lead_get(db, ctx, lead_id, &l);
	if (rc)
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	struct link_row *rows;
	size_t cnt;
	if ((rc = fnl__collect(db, st, sizeof *rows, read_link_row, (void **)&rows, &cnt, "read links")))
		return rc;
	struct fnl_link *v = calloc(cnt ? cnt : 1, sizeof *v);
	if (!v) {
		free(rows);
		return fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
	}
	size_t k = 0;
	for (size_t i = 0; i < cnt; i++) {
		struct fnl_lead o;
		if (fnl__lead_load(db, rows[i].id, &o) || !fnl__lead_visible(db, &o))
			continue;
		snprintf(v[k].kind, sizeof v[k].kind, "%s", rows[i].kind);
		v[k].id = o.id;
		snprintf(v[k].company, sizeof v[k].company, "%s", o.company);
		snprintf(v[k].contact, sizeof v[k].contact, "%s", o.contact);
		snprintf(v[k].status, sizeof v[k].status, "%s", o.status);
		snprintf(v[k].stage, sizeof v[k].stage, "%s", o.stage);
		k++;
	}
	free(rows);
	fnl_error_clear(&db->err);
	*out = v;
	*n = k;
	return 0;
}
