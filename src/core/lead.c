/*
 * core/lead.c - a lead's life: capture with cleaning and de-duplication (SPEC §3), edits, reads,
 * and the audit of every change. Scoring is in core/score.c, stage moves in core/stage.c.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clean.h"
#include "core/internal.h"
#include "core/lead.h"
#include "io/text.h"
#include "store/store.h"

/* ---- the audit view of a lead ---- */

enum ftype { F_STR, F_INT, F_I64, F_TIME };

struct field {
	const char *name;
	size_t off;
	enum ftype type;
};

#define FS(n) {#n, offsetof(struct fnl_lead, n), F_STR}
#define FI(n) {#n, offsetof(struct fnl_lead, n), F_INT}
#define FL(n) {#n, offsetof(struct fnl_lead, n), F_I64}
#define FT(n) {#n, offsetof(struct fnl_lead, n), F_TIME}

/* In the byte order of the names (the audit JSON has its keys sorted); "amount" comes first. */
static const struct field fields[] = {
	FI(budget), FT(captured_at), FS(channel), FS(close_month), FS(company), FS(consent),
	FS(contact), FI(decision), FS(email), FT(first_contact_at), FS(grade), FT(graded_at),
	FS(industry), FS(invalid_reason), FT(lost_at), FS(lost_reason), FL(merged_into), FI(need),
	FS(notes), FS(owner), FS(phone), FS(reached), FS(region), FL(returning_of), FL(score_total),
	FS(size), FS(source), FS(stage), FS(status), FS(title), FI(urgency), FS(wechat), FT(won_at),
};

static int field_empty(const struct fnl_lead *l, const struct field *f)
{
	const char *p = (const char *)l + f->off;
	switch (f->type) {
	case F_STR:
		return *p == '\0';
	case F_INT:
		return *(const int *)(const void *)p == 0;
	case F_I64:
	case F_TIME:
		return *(const int64_t *)(const void *)p == 0;
	}
	return 1;
}

static int field_differs(const struct fnl_lead *a, const struct fnl_lead *b, const struct field *f)
{
	const char *p = (const char *)a + f->off, *q = (const char *)b + f->off;
	switch (f->type) {
	case F_STR:
		return strcmp(p, q) != 0;
	case F_INT:
		return *(const int *)(const void *)p != *(const int *)(const void *)q;
	case F_I64:
	case F_TIME:
		return *(const int64_t *)(const void *)p != *(const int64_t *)(const void *)q;
	}
	return 0;
}

/*
 * The JSON objects of the audit, written here rather than through jansson (an import writes one
 * for every row): the text json_dumps(JSON_COMPACT | JSON_SORT_KEYS) makes of the same object.
 */
static void jt_str(struct fnl_text *b, const char *s)
{
	fnl_text_add(b, "\"", 1);
	const char *run = s;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		fnl_text_add(b, run, (size_t)(s - run));
		char esc[8];
		switch (c) {
		case '"': fnl_text_add(b, "\\\"", 2); break;
		case '\\': fnl_text_add(b, "\\\\", 2); break;
		case '\b': fnl_text_add(b, "\\b", 2); break;
		case '\f': fnl_text_add(b, "\\f", 2); break;
		case '\n': fnl_text_add(b, "\\n", 2); break;
		case '\r': fnl_text_add(b, "\\r", 2); break;
		case '\t': fnl_text_add(b, "\\t", 2); break;
		default:
			snprintf(esc, sizeof esc, "\\u%04X", c);
			fnl_text_add(b, esc, 6);
		}
		run = s + 1;
	}
	fnl_text_add(b, run, (size_t)(s - run));
	fnl_text_add(b, "\"", 1);
}

static void jt_int(struct fnl_text *b, long long v)
{
	char num[24];
	fnl_text_add(b, num, (size_t)snprintf(num, sizeof num, "%lld", v));
}

/* "name":value, after a comma unless it is the first */
static void jt_key(struct fnl_text *b, const char *name)
{
	fnl_text_add(b, b->len > 1 ? ",\"" : "\"", b->len > 1 ? 2 : 1);
	fnl_text_add(b, name, strlen(name));
	fnl_text_add(b, "\":", 2);
}

static void jt_field(fnl_db *db, struct fnl_text *b, const struct fnl_lead *l, const struct field *f)
{
	const char *p = (const char *)l + f->off;
	jt_key(b, f->name);
	switch (f->type) {
	case F_STR:
		jt_str(b, p);
		break;
	case F_INT:
		jt_int(b, *(const int *)(const void *)p);
		break;
	case F_I64:
		jt_int(b, *(const int64_t *)(const void *)p);
		break;
	case F_TIME: {
		int64_t t = *(const int64_t *)(const void *)p;
		if (!t) {
			fnl_text_add(b, "null", 4);
		} else {
			char buf[40];
			fnl_time_format(db->set.tz, t, buf, sizeof buf);
			jt_str(b, buf);
		}
		break;
	}
	}
}

static void jt_amount(struct fnl_text *b, const struct fnl_lead *l)
{
	jt_key(b, "amount");
	if (l->has_amount)
		jt_int(b, l->amount);
	else
		fnl_text_add(b, "null", 4);
}

int fnl__lead_audit(fnl_db *db, const struct fnl_ctx *ctx, const char *action,
		    const struct fnl_lead *old, const struct fnl_lead *l)
{
	struct fnl_text before = {0}, after = {0};
	if (old)
		fnl_text_add(&before, "{", 1);
	fnl_text_add(&after, "{", 1);
	if (old ? (old->has_amount != l->has_amount || old->amount != l->amount) : l->has_amount) {
		if (old)
			jt_amount(&before, old);
		jt_amount(&after, l);
	}
	size_t nf = sizeof fields / sizeof fields[0];
	for (size_t i = 0; i < nf; i++) {
		const struct field *f = &fields[i];
		if (old ? !field_differs(old, l, f) : field_empty(l, f))
			continue;
		if (old)
			jt_field(db, &before, old, f);
		jt_field(db, &after, l, f);
	}
	if (old)
		fnl_text_add(&before, "}", 1);
	fnl_text_add(&after, "}", 1);
	int rc;
	if (before.failed || after.failed) {
		rc = fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
	} else {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)l->id);
		rc = fnl__audit_text(db, ctx, "lead", id, action, l->id, before.p, after.p);
	}
	free(before.p);
	free(after.p);
	return rc;
}

/* ---- stage events ---- */

int fnl__stage_event(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *kind,
		     int64_t from_stage, int64_t to_stage, int64_t at, const char *note, const char *reason)
{
	static const char sql[] = "INSERT INTO stage_event (lead_id, kind, from_stage, to_stage, at, user_id,"
				  " note, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, lead_id);
	fnl__bind_text(st, 2, kind);
	fnl__bind_int_null(st, 3, from_stage);
	sqlite3_bind_int64(st, 4, to_stage);
	sqlite3_bind_int64(st, 5, at);
	fnl__bind_int_null(st, 6, ctx->actor);
	fnl__bind_text(st, 7, note);
	fnl__bind_text_null(st, 8, reason);
	return fnl__exec_stmt(db, st, "record stage event");
}

/* ---- cleaning ---- */

/* The text fields of the input, with where they go, their names in errors, and whether they are
 * identifiers folded to ASCII (e-mail, WeChat) or text kept as written. */
struct text_field {
	const char *name;
	size_t in_off;
	size_t lead_off;
	size_t len;
	int fold;
};

#define TF(n, field, fold) \
	{n, offsetof(struct fnl_lead_input, field), offsetof(struct fnl_lead, field), sizeof(((struct fnl_lead *)0)->field), fold}

static const struct text_field text_fields[] = {
	TF("company", company, 0), TF("contact", contact, 0), TF("title", title, 0),
	TF("email", email, 1), TF("wechat", wechat, 1), TF("industry", industry, 0),
	TF("size", size, 0), TF("region", region, 0), TF("source", source, 0),
	TF("consent", consent, 0), TF("notes", notes, 0),
};

/* Copy the given text fields of in into l (trimmed); the phone is handled by the caller. */
static int take_texts(fnl_db *db, const struct fnl_lead_input *in, struct fnl_lead *l)
{
	for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++) {
		const struct text_field *t = &text_fields[i];
		const char *v = *(const char *const *)(const void *)((const char *)in + t->in_off);
		if (!v)
			continue;
		char *dst = (char *)l + t->lead_off;
		int rc = t->fold ? fnl__take_folded(db, t->name, v, dst, t->len) : fnl__take_text(db, t->name, v, dst, t->len);
		if (rc)
			return rc;
	}
	return 0;
}

static int in_list(const char *item, const char *list)
{
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", list);
	char *save = NULL;
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		while (*t == ' ')
			t++;
		size_t n = strlen(t);
		while (n && t[n - 1] == ' ')
			t[--n] = '\0';
		if (n && strcmp(t, item) == 0)
			return 1;
	}
	return 0;
}

/* Normalise the phone of raw into l->phone. Returns the invalid reason, or NULL when valid (or
 * empty). */
static const char *clean_phone(fnl_db *db, const char *raw, struct fnl_lead *l)
{
	char norm[64];
	l->phone[0] = '\0';
	if (!raw || !*raw)
		return NULL;
	int kind = fnl__clean_phone(raw, norm, sizeof norm);
	snprintf(l->phone, sizeof l->phone, "%s", norm);
	if (fnl__clean_is_test_phone(norm, db->set.phone_blocklist))
		return "test_phone";
	if (kind == FNL__PHONE_INVALID)
		return "bad_phone";
	return NULL;
}

/* The first invalid reason of a lead (SPEC §3), or NULL when it is valid. */
static const char *invalid_reason(fnl_db *db, const struct fnl_lead *l, const char *phone_reason)
{
	if (!l->phone[0] && !l->email[0] && !l->wechat[0])
		return "no_contact";
	if (fnl__clean_has_word(l->company, db->set.test_words) ||
	    fnl__clean_has_word(l->contact, db->set.test_words))
		return "test_name";
	if (phone_reason)
		return phone_reason;
	if (l->email[0] && !fnl__clean_email_valid(l->email))
		return "bad_email";
	if (db->set.target_industries[0] && l->industry[0] && !in_list(l->industry, db->set.target_industries))
		return "non_target_industry";
	return NULL;
}

static void make_keys(const struct fnl_lead *l, struct fnl__lead_keys *k)
{
	memset(k, 0, sizeof *k);
	snprintf(k->phone, sizeof k->phone, "%s", l->phone);
	fnl__clean_lower_key(l->email, k->email, sizeof k->email);
	if (fnl__clean_wechat_key(l->wechat, k->wechat, sizeof k->wechat))
		k->wechat[0] = '\0';
	char company[FNL_COMPANY_LEN], name[FNL_NAME_LEN];
	if (fnl__clean_company_key(l->company, company, sizeof company) == 0 &&
	    fnl__clean_name_key(l->contact, name, sizeof name) == 0 && company[0] && name[0])
		snprintf(k->company, sizeof k->company, "%s|%s", company, name);
}

static int check_close_month(fnl_db *db, const char *s)
{
	int64_t day;
	char buf[16];
	if (strlen(s) != 7 || s[4] != '-')
		return fnl__err(db, FNL_EINVAL, "close", "close: '%s' is not a month like 2026-12", s);
	snprintf(buf, sizeof buf, "%s-01", s);
	if (fnl_date_parse(buf, &day, NULL))
		return fnl__err(db, FNL_EINVAL, "close", "close: '%s' is not a month like 2026-12", s);
	return 0;
}

/* ---- capture ---- */

static int re_inquiry(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_lead *dup,
		      const struct fnl_lead *target)
{
	static const char sql[] = "INSERT INTO activity (lead_id, kind, at, user_id, summary, channel_id,"
				  " source, ref_lead) VALUES (?, 're_inquiry', ?, ?, ?, ?, ?, ?)";
	char summary[FNL_NOTE_LEN];
	snprintf(summary, sizeof summary, "%s %s%s%s%s%s%s%s", dup->company, dup->contact,
		 dup->phone[0] ? " " : "", dup->phone, dup->email[0] ? " " : "", dup->email,
		 dup->wechat[0] ? " wechat:" : "", dup->wechat);
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, target->id);
	sqlite3_bind_int64(st, 2, ctx->now);
	fnl__bind_int_null(st, 3, ctx->actor);
	fnl__bind_text(st, 4, summary);
	sqlite3_bind_int64(st, 5, dup->channel_id);
	fnl__bind_text(st, 6, dup->source);
	sqlite3_bind_int64(st, 7, dup->id);
	int rc = fnl__exec_stmt(db, st, "record re-inquiry");
	if (rc)
		return rc;
	char id[24];
	snprintf(id, sizeof id, "%lld", (long long)fnl__last_id(db));
	return fnl__audit(db, ctx, "activity", id, "create", target->id, NULL,
			  json_pack("{ss sI ss}", "kind", "re_inquiry", "merged_record", (json_int_t)dup->id,
				    "channel", dup->channel));
}

/* Who gets a new lead: the given owner, the sales consultant who captures it, the earlier owner of a
 * returning customer, else round-robin. */
static int pick_owner(fnl_db *db, const struct fnl_lead_input *in, int64_t returning_of, int64_t *owner_id)
{
	struct fnl_user u;
	int rc;
	*owner_id = 0;
	if (in->owner && *in->owner) {
		if ((rc = fnl__owner_by_login(db, in->owner, "owner", &u)))
			return rc;
		*owner_id = u.id;
		return 0;
	}
	/* a consultant who captures a lead keeps it */
	if (strcmp(db->actor.role, "sales") == 0 && db->actor.id) {
		*owner_id = db->actor.id;
		return 0;
	}
	if (returning_of) {
		struct fnl_lead prev;
		if ((rc = fnl__lead_load(db, returning_of, &prev)))
			return rc;
		if (prev.owner_id && fnl__owner_by_login(db, prev.owner, "owner", &u) == 0 &&
		    strcmp(u.role, "sales") == 0) {
			*owner_id = u.id;
			return 0;
		}
		fnl_error_clear(&db->err);
	}
	return fnl__next_sales(db, owner_id);
}

int fnl__lead_add(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_lead_input *in,
		  int64_t returning_of, int64_t referred_by, int *result, struct fnl_lead *out, int64_t *record_id)
{
	struct fnl_lead l;
	memset(&l, 0, sizeof l);
	int rc = take_texts(db, in, &l);
	if (rc)
		return rc;
	if (!l.company[0])
		return fnl__err(db, FNL_EINVAL, "company", "company: required");
	if (!l.contact[0])
		return fnl__err(db, FNL_EINVAL, "contact", "contact: required");
	if (!in->channel || !*in->channel)
		return fnl__err(db, FNL_EINVAL, "channel", "channel: required (see 'funnel channel list')");
	struct fnl_channel ch;
	if ((rc = fnl__channel_by_key(db, in->channel, "channel", &ch)))
		return rc;
	if (!ch.active)
		return fnl__err(db, FNL_EINVAL, "channel", "channel: '%s' is no longer in use", ch.key);
	if (in->has_amount || (in->close_month && *in->close_month))
		return fnl__err(db, FNL_EINVAL, in->has_amount ? "amount" : "close",
				"%s: the expected deal is set from the qualify stage on (funnel lead edit)",
				in->has_amount ? "amount" : "close");
	l.captured_at = in->has_captured_at ? in->captured_at : ctx->now;
	if (l.captured_at > ctx->now) {
		char t[40];
		fnl_time_format(db->set.tz, l.captured_at, t, sizeof t);
		return fnl__err(db, FNL_EINVAL, "captured-at", "captured-at: '%s' is in the future", t);
	}
	snprintf(l.channel, sizeof l.channel, "%s", ch.key);
	l.channel_id = ch.id;
	char phone_raw[64];
	if ((rc = fnl__take_folded(db, "phone", in->phone, phone_raw, sizeof phone_raw)))
		return rc;
	const char *reason = invalid_reason(db, &l, clean_phone(db, phone_raw, &l));
	/* the owner must be a real user even when the lead turns out invalid */
	if (in->owner && *in->owner) {
		struct fnl_user u;
		if ((rc = fnl__owner_by_login(db, in->owner, "owner", &u)))
			return rc;
	}
	struct fnl_stage first;
	if ((rc = fnl__stage_by_pos(db, 1, 1, &first)))
		return rc;
	l.pipeline_id = 1;
	l.stage_id = first.id;
	snprintf(l.stage, sizeof l.stage, "%s", first.key);
	l.stage_pos = l.reached_pos = 1;
	snprintf(l.reached, sizeof l.reached, "%s", first.key);
	l.created_at = l.updated_at = ctx->now;
	struct fnl__lead_keys keys;
	make_keys(&l, &keys);

	int64_t open_id = 0, closed_id = 0;
	if (reason) {
		snprintf(l.status, sizeof l.status, "invalid");
		snprintf(l.invalid_reason, sizeof l.invalid_reason, "%s", reason);
		*result = FNL_ADD_INVALID;
	} else {
		if ((rc = fnl__lead_find_dups(db, &keys, 0, &open_id, &closed_id)))
			return rc;
		if (open_id) {
			snprintf(l.status, sizeof l.status, "merged");
			l.merged_into = open_id;
			*result = FNL_ADD_MERGED;
		} else {
			snprintf(l.status, sizeof l.status, "open");
			l.returning_of = returning_of ? returning_of : closed_id;
			l.referred_by = referred_by;
			*result = l.returning_of ? FNL_ADD_RETURNING : FNL_ADD_CREATED;
			if ((rc = pick_owner(db, in, l.returning_of, &l.owner_id)))
				return rc;
			if (l.owner_id) {
				struct fnl_user u;
				if ((rc = fnl__user_by_id(db, l.owner_id, &u)))
					return rc;
				snprintf(l.owner, sizeof l.owner, "%s", u.login);
			}
		}
	}
	/* Only counted leads are found as duplicates later. */
	static const struct fnl__lead_keys no_keys;
	if ((rc = fnl__lead_insert(db, &l, reason || open_id ? &no_keys : &keys)))
		return rc;
	if ((rc = fnl__lead_audit(db, ctx, "create", NULL, &l)))
		return rc;
	*record_id = l.id;
	if (*result == FNL_ADD_MERGED) {
		struct fnl_lead target;
		if ((rc = fnl__lead_load(db, open_id, &target)) || (rc = re_inquiry(db, ctx, &l, &target)))
			return rc;
		/* a re-inquiry is an activity: the lead itself is as it was. One the actor may not see
		 * (another consultant's, past qualify for marketing) is named by its id and status only. */
		if (!fnl__lead_visible(db, &target)) {
			memset(out, 0, sizeof *out);
			out->id = target.id;
			snprintf(out->status, sizeof out->status, "%s", target.status);
			return 0;
		}
		*out = target;
		return 0;
	}
	if (*result != FNL_ADD_INVALID &&
	    (rc = fnl__stage_event(db, ctx, l.id, "capture", 0, l.stage_id, l.captured_at, "", NULL)))
		return rc;
	/* l is the lead as stored: a new lead has no tasks yet, so reading it back gives l again */
	*out = l;
	return 0;
}

int fnl_lead_add(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_lead_input *in,
		 int *result, struct fnl_lead *out, int64_t *record_id)
{
	int rc = fnl__begin_write(db, ctx, "add leads", "admin", "manager", "sales", "marketing", NULL);
	if (rc)
		return rc;
	int res = 0;
	int64_t rid = 0;
	rc = fnl__tx_end(db, fnl__lead_add(db, ctx, in, 0, 0, &res, out, &rid));
	if (rc == 0) {
		if (result)
			*result = res;
		if (record_id)
			*record_id = rid;
	}
	return rc;
}

const char *fnl_add_result_name(int result)
{
	switch (result) {
	case FNL_ADD_CREATED:
		return "created";
	case FNL_ADD_INVALID:
		return "invalid";
	case FNL_ADD_MERGED:
		return "merged";
	case FNL_ADD_RETURNING:
		return "returning";
	}
	return "unknown";
}

/* ---- reads ---- */

int fnl__lead_for(fnl_db *db, int64_t id, enum fnl__access mode, struct fnl_lead *out)
{
	int rc = fnl__lead_load(db, id, out);
	if (rc)
		return rc;
	return fnl__lead_access(db, out, mode);
}

int fnl_lead_get(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, struct fnl_lead *out)
{
	int rc = fnl__enter(db, ctx);
	return rc ? rc : fnl__lead_for(db, id, FNL__READ, out);
}

int fnl__lead_rows(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const char *sql, size_t sz,
		   void (*fn)(sqlite3_stmt *, void *), void **out, size_t *n, const char *what)
{
	*out = NULL;
	*n = 0;
	struct fnl_lead l;
	int rc = fnl_lead_get(db, ctx, id, &l);
	if (rc)
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, id);
	return fnl__collect(db, st, sz, fn, out, n, what);
}

struct list_acc {
	const struct fnl_lead_filter *f;
	struct fnl_lead *v;
	size_t n, cap;
	int64_t skipped;
};

static int list_one(fnl_db *db, const struct fnl_lead *l, void *arg)
{
	struct list_acc *a = arg;
	if (!fnl__lead_visible(db, l))
		return 0;
	if (a->f && a->skipped < a->f->offset) {
		a->skipped++;
		return 0;
	}
	if (a->f && a->f->limit > 0 && (int64_t)a->n >= a->f->limit)
		return 1;
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 32;
		struct fnl_lead *nv = realloc(a->v, a->cap * sizeof *nv);
		if (!nv)
			return fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
		a->v = nv;
	}
	a->v[a->n++] = *l;
	return 0;
}

/* A filter value that names nothing is an error, not an empty list: a typo must not read as "no
 * such leads". */
int fnl__lead_filter_check(fnl_db *db, const struct fnl_lead_filter *f)
{
	static const char *const statuses[] = {"open", "nurture", "won", "lost", "invalid", "merged", "all"};
	size_t i = 0, ns = sizeof statuses / sizeof statuses[0];
	int rc;
	if (!f)
		return 0;
	while (f->status && i < ns && strcmp(f->status, statuses[i]))
		i++;
	if (i == ns)
		return fnl__err(db, FNL_EINVAL, "status",
				"status: '%s' is not open, nurture, won, lost, invalid, merged or all", f->status);
	if (f->grade && strcmp(f->grade, "A") && strcmp(f->grade, "B") && strcmp(f->grade, "C"))
		return fnl__err(db, FNL_EINVAL, "grade", "grade: '%s' is not A, B or C", f->grade);
	struct fnl_stage st;
	if (f->stage && (rc = fnl__stage_by_key(db, 1, f->stage, "stage", &st)))
		return rc;
	struct fnl_channel ch;
	if (f->channel && (rc = fnl__channel_by_key(db, f->channel, "channel", &ch)))
		return rc;
	struct fnl_user u;
	if (f->owner && (rc = fnl_user_get(db, f->owner, &u)))
		return rc == FNL_ENOTFOUND ? fnl__err(db, FNL_EINVAL, "owner", "owner: no user '%s'", f->owner) : rc;
	return 0;
}

int fnl_lead_list(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_lead_filter *f,
		  struct fnl_lead **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int rc = fnl__enter(db, ctx);
	if (rc || (rc = fnl__lead_filter_check(db, f)))
		return rc;
	struct list_acc a = {f, NULL, 0, 0, 0};
	rc = fnl__lead_scan(db, f, list_one, &a);
	if (rc && rc != 1) {
		free(a.v);
		return rc;
	}
	*out = a.v;
	*n = a.n;
	return 0;
}

/* ---- edits ---- */

static int must_be_counted(fnl_db *db, const struct fnl_lead *l)
{
	if (strcmp(l->status, "invalid") == 0)
		return fnl__err(db, FNL_ESTATE, "id", "lead %lld is invalid (%s); add it again with correct details",
				(long long)l->id, l->invalid_reason);
	if (strcmp(l->status, "merged") == 0)
		return fnl__err(db, FNL_ESTATE, "id", "lead %lld was merged into lead %lld", (long long)l->id,
				(long long)l->merged_into);
	return 0;
}

static int edit_lead(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const struct fnl_lead_input *in,
		     struct fnl_lead *out)
{
	struct fnl_lead old, l;
	int rc = fnl__lead_for(db, id, FNL__WRITE, &old);
	if (rc || (rc = must_be_counted(db, &old)))
		return rc;
	if (in->owner)
		return fnl__err(db, FNL_EINVAL, "owner", "owner: give a lead to someone with 'funnel lead assign'");
	if (in->has_captured_at)
		return fnl__err(db, FNL_EINVAL, "captured-at", "captured-at: the capture time of a lead cannot be changed");
	l = old;
	if ((rc = take_texts(db, in, &l)))
		return rc;
	if (!l.company[0])
		return fnl__err(db, FNL_EINVAL, "company", "company: must not be empty");
	/* an opportunity brought over from another CRM may have no contact and no phone, e-mail or
	 * WeChat (funnel/history.h): it can be edited as it is; what it has, or is given, must stay */
	int had_reach = old.phone[0] || old.email[0] || old.wechat[0];
	int gives_reach = in->phone || in->email || in->wechat;
	if (!l.contact[0] && (old.contact[0] || in->contact))
		return fnl__err(db, FNL_EINVAL, "contact", "contact: must not be empty");
	if ((in->company && fnl__clean_has_word(l.company, db->set.test_words)) ||
	    (in->contact && fnl__clean_has_word(l.contact, db->set.test_words)))
		return fnl__err(db, FNL_EINVAL, in->company ? "company" : "contact", "%s: '%s' looks like test data",
				in->company ? "company" : "contact", in->company ? l.company : l.contact);
	if (in->phone) {
		char raw[64];
		if ((rc = fnl__take_folded(db, "phone", in->phone, raw, sizeof raw)))
			return rc;
		const char *why = clean_phone(db, raw, &l);
		if (why)
			return fnl__err(db, FNL_EINVAL, "phone", "phone: '%s' is %s", in->phone,
					strcmp(why, "test_phone") == 0 ? "a test number"
								       : "not a phone number (mobile 1[3-9] and 9 digits, landline 0 and area code, or +international)");
	}
	if (in->email && l.email[0] && !fnl__clean_email_valid(l.email))
		return fnl__err(db, FNL_EINVAL, "email", "email: '%s' is not an e-mail address", l.email);
	if (!l.phone[0] && !l.email[0] && !l.wechat[0] && (had_reach || gives_reach)) {
		const char *f = in->phone ? "phone" : in->email ? "email" : "wechat";
		return fnl__err(db, FNL_EINVAL, f, "%s: a lead needs at least one of phone, email, WeChat", f);
	}
	if (in->channel) {
		struct fnl_channel ch;
		if ((rc = fnl__channel_by_key(db, in->channel, "channel", &ch)))
			return rc;
		l.channel_id = ch.id;
		snprintf(l.channel, sizeof l.channel, "%s", ch.key);
	}
	if (in->has_amount || in->close_month) {
		const char *f = in->has_amount ? "amount" : "close";
		if (l.stage_pos < 2)
			return fnl__err(db, FNL_EINVAL, f,
					"%s: the expected deal is set from the qualify stage on (lead %lld is at '%s')", f,
					(long long)l.id, l.stage);
		if (in->has_amount == 1) {
			if (in->amount < 0)
				return fnl__err(db, FNL_EINVAL, "amount", "amount: must not be negative");
			l.has_amount = 1;
			l.amount = in->amount;
		} else if (in->has_amount == -1) {
			l.has_amount = 0;
			l.amount = 0;
		}
		if (in->close_month) {
			if (*in->close_month && (rc = check_close_month(db, in->close_month)))
				return rc;
			snprintf(l.close_month, sizeof l.close_month, "%s", in->close_month);
		}
	}
	struct fnl__lead_keys keys;
	make_keys(&l, &keys);
	l.updated_at = ctx->now;
	if ((rc = fnl__lead_update(db, &l, &keys)))
		return rc;
	if ((rc = fnl__lead_audit(db, ctx, "edit", &old, &l)))
		return rc;
	return fnl__lead_load(db, id, out);
}

int fnl_lead_edit(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const struct fnl_lead_input *in,
		  struct fnl_lead *out)
{
	int rc = fnl__begin_write(db, ctx, NULL);
	return rc ? rc : fnl__tx_end(db, edit_lead(db, ctx, id, in, out));
}

int fnl__lead_writable(fnl_db *db, int64_t id, struct fnl_lead *out)
{
	int rc = fnl__lead_for(db, id, FNL__WRITE, out);
	return rc ? rc : must_be_counted(db, out);
}

/* ---- assignment ---- */

static int assign_lead(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const char *owner,
		       const char *note, struct fnl_lead *out)
{
	static const char sql[] = "INSERT INTO owner_event (lead_id, from_user, to_user, at, user_id, note)"
				  " VALUES (?, ?, ?, ?, ?, ?)";
	struct fnl_lead old, l;
	int rc = fnl__lead_load(db, id, &old);
	if (rc || (rc = must_be_counted(db, &old)))
		return rc;
	if (!fnl__manages(db, fnl__lead_owner_team(db, &old)))
		return fnl__err(db, FNL_EPERM, "as", "user '%s' (%s) cannot reassign lead %lld", db->actor.login,
				db->actor.role, (long long)id);
	struct fnl_user u;
	if (!owner || !*owner)
		return fnl__err(db, FNL_EINVAL, "owner", "owner: required");
	if ((rc = fnl__owner_by_login(db, owner, "owner", &u)))
		return rc;
	static const char tsql[] = "SELECT COALESCE(team_id, 0) FROM user WHERE id = ?";
	sqlite3_stmt *st = fnl__stmt(db, tsql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, u.id);
	int64_t team = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (!fnl__manages(db, team))
		return fnl__err(db, FNL_EPERM, "owner", "owner: '%s' is not in your team", owner);
	if (u.id == old.owner_id)
		return fnl__err(db, FNL_ESTATE, "owner", "lead %lld already belongs to '%s'", (long long)id, owner);
	char nt[FNL_NOTE_LEN];
	if ((rc = fnl__take_text(db, "note", note, nt, sizeof nt)))
		return rc;
	l = old;
	l.owner_id = u.id;
	snprintf(l.owner, sizeof l.owner, "%s", u.login);
	l.updated_at = ctx->now;
	if ((rc = fnl__lead_update(db, &l, NULL)) || (rc = fnl__task_reown(db, id, u.id)))
		return rc;
	if (!(st = fnl__stmt(db, sql)))
		return db->err.code;
	sqlite3_bind_int64(st, 1, id);
	fnl__bind_int_null(st, 2, old.owner_id);
	sqlite3_bind_int64(st, 3, u.id);
	sqlite3_bind_int64(st, 4, ctx->now);
	fnl__bind_int_null(st, 5, ctx->actor);
	fnl__bind_text(st, 6, nt);
	if ((rc = fnl__exec_stmt(db, st, "record reassignment")))
		return rc;
	if ((rc = fnl__lead_audit(db, ctx, "assign", &old, &l)))
		return rc;
	return fnl__lead_load(db, id, out);
}

int fnl_lead_assign(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const char *owner,
		    const char *note, struct fnl_lead *out)
{
	int rc = fnl__begin_write(db, ctx, "reassign leads", "admin", "manager", NULL);
	return rc ? rc : fnl__tx_end(db, assign_lead(db, ctx, id, owner, note, out));
}
