/*
 * core/discovery.c - needs discovery (SPEC §5): the preparation notes and purchase timeline, SPIN
 * questions and answers, and the decision chain.
 */
#include <stdio.h>
#include <string.h>

#include "core/clean.h"
#include "core/internal.h"
#include "core/lead.h"
#include "funnel/sale.h"
#include "store/store.h"

struct name {
	const char *key, *zh, *en;
};

static const struct name roles[] = {
	{"decision_maker", "决策者", "Decision maker"},
	{"influencer", "影响者", "Influencer"},
	{"user", "使用者", "User"},
	{"gatekeeper", "把关者", "Gatekeeper"},
	{NULL, NULL, NULL},
};

int fnl_contact_role_valid(const char *role)
{
	for (const struct name *r = roles; r->key; r++)
		if (role && strcmp(r->key, role) == 0)
			return 1;
	return 0;
}

const char *fnl_contact_role_name(const char *role, const char *lang)
{
	for (const struct name *r = roles; r->key; r++)
		if (role && strcmp(r->key, role) == 0)
			return lang && strcmp(lang, "en") == 0 ? r->en : r->zh;
	return role ? role : "";
}

int fnl__lead_open_for(fnl_db *db, int64_t id, const char *what, struct fnl_lead *out)
{
	int rc = fnl__lead_writable(db, id, out);
	if (rc)
		return rc;
	if (strcmp(out->status, "open") == 0)
		return 0;
	return fnl__err(db, FNL_ESTATE, "id", "cannot %s: lead %lld is %s%s", what, (long long)id, out->status,
			strcmp(out->status, "won") == 0 ? "" : " (reopen it first)");
}

static int role_error(fnl_db *db, const char *field, const char *role)
{
	return fnl__err(db, FNL_EINVAL, field,
			"%s: '%s' is not a role (decision_maker, influencer, user, gatekeeper)", field, role);
}

/* ---- preparation ---- */

static int read_prep(fnl_db *db, int64_t lead_id, struct fnl_prep *out)
{
	static const char sql[] = "SELECT background, news, COALESCE(contact_role, ''), COALESCE(decision_date, ''),"
				  " updated_at FROM lead_prep WHERE lead_id = ?";
	memset(out, 0, sizeof *out);
	out->lead_id = lead_id;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		fnl__col_text(st, 0, out->background, sizeof out->background);
		fnl__col_text(st, 1, out->news, sizeof out->news);
		fnl__col_text(st, 2, out->contact_role, sizeof out->contact_role);
		fnl__col_text(st, 3, out->decision_date, sizeof out->decision_date);
		out->updated_at = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fnl__sqlerr(db, rc, "read preparation");
}

static json_t *prep_json(const struct fnl_prep *p)
{
	return json_pack("{ss ss ss ss}", "background", p->background, "news", p->news, "contact_role",
			 p->contact_role, "decision_date", p->decision_date);
}

static int set_prep(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *background,
		    const char *news, const char *contact_role, const char *decision_date, struct fnl_prep *out)
{
	static const char sql[] =
		"INSERT INTO lead_prep (lead_id, background, news, contact_role, decision_date, updated_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (lead_id) DO UPDATE SET background = ?2, news = ?3,"
		" contact_role = ?4, decision_date = ?5, updated_at = ?6";
	struct fnl_lead l;
	struct fnl_prep old, p;
	int rc = fnl__lead_open_for(db, lead_id, "record discovery", &l);
	if (rc || (rc = read_prep(db, lead_id, &old)))
		return rc;
	p = old;
	if ((background && (rc = fnl__take_text(db, "background", background, p.background, sizeof p.background))) ||
	    (news && (rc = fnl__take_text(db, "news", news, p.news, sizeof p.news))))
		return rc;
	if (contact_role) {
		if (*contact_role && !fnl_contact_role_valid(contact_role))
			return role_error(db, "role", contact_role);
		snprintf(p.contact_role, sizeof p.contact_role, "%s", contact_role);
	}
	if (decision_date) {
		int64_t day;
		if (*decision_date && fnl_date_parse(decision_date, &day, NULL))
			return fnl__err(db, FNL_EINVAL, "decision-date", "decision-date: '%s' is not a date like 2026-12-31",
					decision_date);
		snprintf(p.decision_date, sizeof p.decision_date, "%s", decision_date);
	}
	p.updated_at = ctx->now;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	fnl__bind_text(st, 2, p.background);
	fnl__bind_text(st, 3, p.news);
	fnl__bind_text_null(st, 4, p.contact_role);
	fnl__bind_text_null(st, 5, p.decision_date);
	sqlite3_bind_int64(st, 6, ctx->now);
	if ((rc = fnl__exec_stmt(db, st, "save preparation")))
		return rc;
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)lead_id);
	if ((rc = fnl__audit(db, ctx, "prep", id, old.updated_at ? "edit" : "create", lead_id,
			     old.updated_at ? prep_json(&old) : NULL, prep_json(&p))))
		return rc;
	if (out)
		*out = p;
	return 0;
}

int fnl_prep_set(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *background,
		 const char *news, const char *contact_role, const char *decision_date, struct fnl_prep *out)
{
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc : fnl__tx_end(db, set_prep(db, ctx, lead_id, background, news, contact_role, decision_date, out));
}

int fnl_prep_get(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, struct fnl_prep *out)
{
	struct fnl_lead l;
	int rc = fnl_lead_get(db, ctx, lead_id, &l);
	return rc ? rc : read_prep(db, lead_id, out);
}

/* ---- SPIN ---- */

static void read_spin(sqlite3_stmt *st, void *p)
{
	struct fnl_spin *s = p;
	s->id = sqlite3_column_int64(st, 0);
	s->lead_id = sqlite3_column_int64(st, 1);
	fnl__col_text(st, 2, s->kind, sizeof s->kind);
	fnl__col_text(st, 3, s->question, sizeof s->question);
	fnl__col_text(st, 4, s->answer, sizeof s->answer);
	s->at = sqlite3_column_int64(st, 5);
	fnl__col_text(st, 6, s->user, sizeof s->user);
}

#define SPIN_SELECT                                                                                 \
	"SELECT s.id, s.lead_id, s.kind, s.question, s.answer, s.at, COALESCE(u.login, 'system') FROM spin s" \
	" LEFT JOIN user u ON u.id = s.user_id "

static int add_spin(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *kind,
		    const char *question, const char *answer, struct fnl_spin *out)
{
	static const char sql[] = "INSERT INTO spin (lead_id, kind, question, answer, at, user_id) VALUES (?, ?, ?, ?, ?, ?)";
	static const char one[] = SPIN_SELECT "WHERE s.id = ?";
	struct fnl_lead l;
	int rc = fnl__lead_open_for(db, lead_id, "record discovery", &l);
	if (rc)
		return rc;
	if (!kind || strlen(kind) != 1 || !strchr("SPIN", kind[0]))
		return fnl__err(db, FNL_EINVAL, "kind",
				"kind: '%s' is not a SPIN kind (S situation, P problem, I implication, N need-payoff)",
				kind ? kind : "");
	char q[FNL_NOTE_LEN], a[FNL_NOTE_LEN];
	if ((rc = fnl__take_text(db, "question", question, q, sizeof q)) ||
	    (rc = fnl__take_text(db, "answer", answer, a, sizeof a)))
		return rc;
	if (!q[0])
		return fnl__err(db, FNL_EINVAL, "question", "question: required");
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	fnl__bind_text(st, 2, kind);
	fnl__bind_text(st, 3, q);
	fnl__bind_text(st, 4, a);
	sqlite3_bind_int64(st, 5, ctx->now);
	fnl__bind_int_null(st, 6, ctx->actor);
	if ((rc = fnl__exec_stmt(db, st, "add SPIN entry")))
		return rc;
	int64_t sid = fnl__last_id(db);
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)sid);
	if ((rc = fnl__audit(db, ctx, "spin", id, "create", lead_id, NULL,
			     json_pack("{ss ss ss}", "kind", kind, "question", q, "answer", a))))
		return rc;
	if (!out)
		return 0;
	return fnl__row(db, one, sid, read_spin, out, sizeof *out, "read back");
}

int fnl_spin_add(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *kind,
		 const char *question, const char *answer, struct fnl_spin *out)
{
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc : fnl__tx_end(db, add_spin(db, ctx, lead_id, kind, question, answer, out));
}

int fnl_spin_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, struct fnl_spin **out,
		  size_t *n)
{
	static const char sql[] = SPIN_SELECT "WHERE s.lead_id = ? ORDER BY s.id";
	return fnl__lead_rows(db, ctx, lead_id, sql, sizeof **out, read_spin, (void **)out, n, "list SPIN entries");
}

/* ---- the decision chain ---- */

static void read_contact(sqlite3_stmt *st, void *p)
{
	struct fnl_contact *c = p;
	c->id = sqlite3_column_int64(st, 0);
	c->lead_id = sqlite3_column_int64(st, 1);
	fnl__col_text(st, 2, c->name, sizeof c->name);
	fnl__col_text(st, 3, c->title, sizeof c->title);
	fnl__col_text(st, 4, c->role, sizeof c->role);
	fnl__col_text(st, 5, c->phone, sizeof c->phone);
	fnl__col_text(st, 6, c->email, sizeof c->email);
	fnl__col_text(st, 7, c->notes, sizeof c->notes);
	c->created_at = sqlite3_column_int64(st, 8);
}

#define CONTACT_SELECT \
	"SELECT id, lead_id, name, title, role, phone, email, notes, created_at FROM lead_contact "

int fnl__contact_get(fnl_db *db, int64_t lead_id, int64_t contact_id, struct fnl_contact *out)
{
	static const char sql[] = CONTACT_SELECT "WHERE id = ? AND lead_id = ?";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, contact_id);
	sqlite3_bind_int64(st, 2, lead_id);
	memset(out, 0, sizeof *out);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_contact(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	if (rc != SQLITE_DONE)
		return fnl__sqlerr(db, rc, "read contact");
	return fnl__err(db, FNL_EINVAL, "contact", "contact: lead %lld has no contact %lld (see 'funnel discovery contacts')",
			(long long)lead_id, (long long)contact_id);
}

static int add_contact(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *name,
		       const char *title, const char *role, const char *phone, const char *email,
		       const char *notes, struct fnl_contact *out)
{
	static const char sql[] = "INSERT INTO lead_contact (lead_id, name, title, role, phone, email, notes, created_at)"
				  " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	struct fnl_lead l;
	struct fnl_contact c;
	memset(&c, 0, sizeof c);
	int rc = fnl__lead_open_for(db, lead_id, "record discovery", &l);
	if (rc)
		return rc;
	if ((rc = fnl__take_text(db, "name", name, c.name, sizeof c.name)) ||
	    (rc = fnl__take_text(db, "title", title, c.title, sizeof c.title)) ||
	    (rc = fnl__take_folded(db, "email", email, c.email, sizeof c.email)) ||
	    (rc = fnl__take_text(db, "notes", notes, c.notes, sizeof c.notes)))
		return rc;
	if (!c.name[0])
		return fnl__err(db, FNL_EINVAL, "name", "name: required");
	if (!fnl_contact_role_valid(role))
		return role_error(db, "role", role ? role : "");
	snprintf(c.role, sizeof c.role, "%s", role);
	if (phone && *phone) {
		char raw[64];
		if ((rc = fnl__take_folded(db, "phone", phone, raw, sizeof raw)))
			return rc;
		if (!fnl__clean_phone(raw, c.phone, sizeof c.phone))
			return fnl__err(db, FNL_EINVAL, "phone", "phone: '%s' is not a phone number", phone);
	}
	if (c.email[0] && !fnl__clean_email_valid(c.email))
		return fnl__err(db, FNL_EINVAL, "email", "email: '%s' is not an e-mail address", c.email);
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	fnl__bind_text(st, 2, c.name);
	fnl__bind_text(st, 3, c.title);
	fnl__bind_text(st, 4, c.role);
	fnl__bind_text(st, 5, c.phone);
	fnl__bind_text(st, 6, c.email);
	fnl__bind_text(st, 7, c.notes);
	sqlite3_bind_int64(st, 8, ctx->now);
	if ((rc = fnl__exec_stmt(db, st, "add contact")))
		return rc;
	c.id = fnl__last_id(db);
	c.lead_id = lead_id;
	c.created_at = ctx->now;
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)c.id);
	if ((rc = fnl__audit(db, ctx, "contact", id, "create", lead_id, NULL,
			     json_pack("{ss ss ss ss ss}", "name", c.name, "title", c.title, "role", c.role, "phone",
				       c.phone, "email", c.email))))
		return rc;
	if (out)
		*out = c;
	return 0;
}

int fnl_contact_add(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *name,
		    const char *title, const char *role, const char *phone, const char *email,
		    const char *notes, struct fnl_contact *out)
{
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc : fnl__tx_end(db, add_contact(db, ctx, lead_id, name, title, role, phone, email, notes, out));
}

int fnl_contact_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
		     struct fnl_contact **out, size_t *n)
{
	static const char sql[] = CONTACT_SELECT "WHERE lead_id = ? ORDER BY id";
	return fnl__lead_rows(db, ctx, lead_id, sql, sizeof **out, read_contact, (void **)out, n, "list contacts");
}
