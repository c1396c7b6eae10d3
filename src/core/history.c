/*
 * core/history.c - another CRM's opportunities in, with their history (funnel/history.h).
 *
 * The file is read twice. The survey counts what it holds (stage names, owners, products,
 * accounts, ids, rows that are the same but for their id) and tries every date against the usual
 * formats. From that the import settles the date format, the stage map and the owners, or refuses
 * with a message naming what to give. Then, in one transaction, the users it may create and, row by
 * row, a lead with its stage events, its deal or its loss, and its origin (the opportunity id).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clean.h"
#include "core/history.h"
#include "core/import_util.h"
#include "core/internal.h"
#include "core/lead.h"
#include "store/store.h"

/* ---- fields of the opportunities file ---- */

enum hfield {
	H_ID, H_OWNER, H_COMPANY, H_PRODUCT, H_STAGE, H_CREATED, H_CLOSED, H_AMOUNT, H_REASON, H_CONTACT,
	H_CREATED_Q, H_CLOSED_Q, H_COUNT
};

const char *const fnl_history_fields[] = {
	"id", "owner", "company", "product", "stage", "created", "closed", "amount", "reason", "contact",
	"created_quarter", "closed_quarter", NULL,
};

/* Header names by field (as fnl__import_norm leaves them), with those of the opportunity exports of
 * Salesforce, HubSpot and Odoo. */
static const char *const synonyms[H_COUNT][FNL__SYNONYMS] = {
	[H_ID] = {"opportunityid", "opportunity", "oppid", "dealid", "recordid", "id", "商机编号", "商机id", "编号",
		  NULL},
	[H_OWNER] = {"salesagent", "agent", "owner", "opportunityowner", "dealowner", "salesperson", "salesrep",
		     "assignedto", "负责人", "销售", "销售顾问", NULL},
	[H_COMPANY] = {"account", "accountname", "company", "companyname", "customer", "organization",
		       "organisation", "客户", "客户名称", "公司", "公司名称", NULL},
	[H_PRODUCT] = {"product", "productname", "产品", "产品名称", NULL},
	[H_STAGE] = {"dealstage", "stage", "stagename", "opportunitystage", "pipelinestage", "阶段", "销售阶段", NULL},
	[H_CREATED] = {"engagedate", "createddate", "createdate", "createdon", "created", "opendate", "startdate",
		       "创建时间", "创建日期", NULL},
	[H_CLOSED] = {"closedate", "closeddate", "closedon", "dateclosed", "成交日期", "关闭日期", "结束日期", NULL},
	[H_AMOUNT] = {"closevalue", "amount", "value", "dealvalue", "dealamount", "expectedrevenue", "金额",
		      "成交金额", NULL},
	[H_REASON] = {"lostreason", "lossreason", "closedlostreason", "reasonlost", "丢单原因", "输单原因", NULL},
	[H_CONTACT] = {"contact", "contactname", "primarycontact", "联系人", NULL},
	[H_CREATED_Q] = {"engagequarter", "createdquarter", NULL},
	[H_CLOSED_Q] = {"closequarter", "closedquarter", NULL},
};

/* ---- small maps ---- */

long fnl__hmap_find(const struct hmap *m, const char *key)
{
	return fnl__dict_find(&m->d, key);
}

long fnl__hmap_add(struct hmap *m, const char *key)
{
	long found = fnl__hmap_find(m, key);
	if (found >= 0)
		return found;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 32;
		struct hentry *e = realloc(m->e, cap * sizeof *e);
		if (!e)
			return -1;
		m->e = e;
		m->cap = cap;
	}
	int k = fnl__dict_add(&m->d, key);
	if (k < 0)
		return -1;
	struct hentry *e = &m->e[k];
	memset(e, 0, sizeof *e);
	e->key = m->d.names[k];
	e->num = -1;
	m->n = (size_t)k + 1;
	return k;
}

int fnl__hmap_text(struct hmap *m, long i, int k, const char *s)
{
	char *copy = strdup(s ? s : "");
	if (!copy)
		return -1;
	free(m->e[i].text[k]);
	m->e[i].text[k] = copy;
	return 0;
}

void fnl__hmap_free(struct hmap *m)
{
	for (size_t i = 0; i < m->n; i++)
		for (int k = 0; k < 3; k++)
			free(m->e[i].text[k]);
	free(m->e);
	fnl__dict_free(&m->d);
	memset(m, 0, sizeof *m);
}

/* ---- reporting ---- */

/* A quirk that has no room in the result: a line of the report. */
static void quirk_move(struct hist *h, const struct fnl_history_quirk *q)
{
	char line[sizeof q->key + sizeof q->message + 40];
	snprintf(line, sizeof line, "quirk %s (%lld): %s", q->key, (long long)q->count, q->message);
	h->quirks_moved++;
	fnl__hist_row(h, h->o->path, 0, FNL_HISTORY_NOTED, line, "", "", 0);
}

static void quirk_fill(struct fnl_history_quirk *q, const char *key, int64_t count, const char *fmt, va_list ap)
{
	snprintf(q->key, sizeof q->key, "%s", key);
	q->count = count;
	vsnprintf(q->message, sizeof q->message, fmt, ap);
}

void fnl__hist_quirk(struct hist *h, const char *key, int64_t count, const char *fmt, ...)
{
	struct fnl_history_result *r = h->r;
	struct fnl_history_quirk one;
	int full = r->nquirks >= FNL_HISTORY_MAX_QUIRKS;
	struct fnl_history_quirk *q = full ? &one : &r->quirks[r->nquirks++];
	va_list ap;
	va_start(ap, fmt);
	quirk_fill(q, key, count, fmt, ap);
	va_end(ap);
	if (full)
		quirk_move(h, q);
}

void fnl__hist_quirks_place(struct hist *h, const struct fnl_history_quirk *q, int n)
{
	struct fnl_history_result *r = h->r;
	int keep = r->nquirks;
	if (h->quirks_moved || keep + n > FNL_HISTORY_MAX_QUIRKS) {
		if (keep > FNL_HISTORY_MAX_QUIRKS - n - 1)
			keep = FNL_HISTORY_MAX_QUIRKS - n - 1;
		for (int i = keep; i < r->nquirks; i++)
			quirk_move(h, &r->quirks[i]);
	}
	r->nquirks = keep;
	for (int i = 0; i < n; i++)
		r->quirks[r->nquirks++] = q[i];
	if (h->quirks_moved) {
		struct fnl_history_quirk *m = &r->quirks[r->nquirks++];
		snprintf(m->key, sizeof m->key, "more_quirks");
		m->count = h->quirks_moved;
		snprintf(m->message, sizeof m->message, "%lld more %s not listed here: each is a line of the report (--report)",
			 (long long)h->quirks_moved, fnl__hist_pl(h->quirks_moved, "quirk is", "quirks are"));
	}
}

void fnl__hist_row(struct hist *h, const char *file, int64_t line, int outcome, const char *reason, const char *id,
		   const char *company, int64_t lead)
{
	if (h->o->on_row)
		h->o->on_row(h->o->arg, file, line, outcome, reason ? reason : "", id ? id : "", company ? company : "",
			     lead);
}

int fnl__hist_trim(const char *s, char *buf, size_t len)
{
	s = s ? s : "";
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	if (n >= len) {
		buf[0] = '\0';
		return -1;
	}
	memcpy(buf, s, n);
	buf[n] = '\0';
	return 0;
}

const char *fnl_history_outcome_name(int outcome)
{
	switch (outcome) {
	case FNL_HISTORY_CREATED: return "created";
	case FNL_HISTORY_REJECTED: return "rejected";
	case FNL_HISTORY_SKIPPED: return "skipped";
	case FNL_HISTORY_NOTED: return "noted";
	}
	return "unknown";
}

/* ---- the run ---- */

#define NCAND 16

/* Values of the file, the first few of them with their column and line. */
struct examples {
	int64_t n;
	int64_t line[3];
	int col[3];
	char value[3][48];
};

/* A date format tried on every date of the file. */
struct cand {
	struct fnl__datefmt f;
	int64_t fits, fails;
	int64_t max_created; /* the latest created date it reads; -1: none */
	struct examples failed; /* the values it does not read */
	struct examples other;  /* those of them another format reads */
};

/* What rows noted, counted for the quirks. */
enum note {
	N_NO_ACCOUNT, N_UNDATED_OPEN, N_UNDATED_CLOSED, N_WON_ZERO, N_LOST_VALUE, N_OPEN_CLOSE_DATE, N_REASON_OTHER,
	N_QUARTER_BAD, N_QUARTER_OK, N_TEST_NAME, N_NO_PRICE, N_ACCOUNT_UNKNOWN, N_CHANGED, N_DUP_ID, N_EMPTY,
	N_CLOSED_BEFORE, N_NO_CLOSE, N_FUTURE, N_BAD_AMOUNT, N_BAD_DATE, N_BIG_AMOUNT, N_CLOSE_MONTH, N_COUNT
};

struct run {
	struct hist h;
	int col[H_COUNT];
	char colname[H_COUNT][64];
	struct cand cand[NCAND];
	int ncand, chosen;
	int64_t ndates;
	/* the values no format reads; the first value two formats read differently */
	struct examples none;
	int64_t pair_line[NCAND][NCAND];
	int pair_col[NCAND][NCAND];
	char pair_value[NCAND][NCAND][32];
	int64_t notes[N_COUNT];
	int64_t no_account_by[FNL_HISTORY_MAX_NAMES]; /* by stage name (entry index) */
	int64_t undated_by[FNL_HISTORY_MAX_NAMES];
	/* by stage name (entry index), from the survey: the latest close date each format reads (-1:
	 * none), the rows without a created date */
	int64_t close_max[FNL_HISTORY_MAX_NAMES][NCAND];
	int64_t no_created[FNL_HISTORY_MAX_NAMES];
	int64_t groups_dup, rows_dup;
	int64_t t_asof;
	char as_of_from[200];       /* what the as-of date is */
	char no_account_example[96];
};

static int oom(fnl_db *db)
{
	return fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
}

/* A trimmed value of field f ("" when there is no such column); -1 when longer than len. */
static int take(const struct run *x, const struct fnl_record *rec, int f, char *buf, size_t len)
{
	const char *v = fnl__import_value(rec, x->col, f);
	return fnl__hist_trim(v, buf, len);
}

/* ---- the survey ---- */

static void example_add(struct examples *e, int col, const char *v, int64_t line)
{
	if (e->n < 3) {
		e->line[e->n] = line;
		e->col[e->n] = col;
		snprintf(e->value[e->n], sizeof e->value[e->n], "%s", v);
	}
	e->n++;
}

/* "close_date '31-02-17' on line 5, ..." of the examples from the first one. */
static void examples_text(const struct run *x, const struct examples *e, int from, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int i = from; i < 3 && i < e->n; i++) {
		char one[160];
		snprintf(one, sizeof one, "%s '%s' on line %lld", x->colname[e->col[i]], e->value[i], (long long)e->line[i]);
		fnl__import_add_text(buf, len, ", ", one);
	}
	if (e->n > 3)
		fnl__import_add_text(buf, len, ", ", "...");
}

/* A date of field f on a row of stage name se (-1: none). */
static void survey_date(struct run *x, int f, const char *v, int64_t line, long se)
{
	int64_t day[NCAND];
	int ok[NCAND], any = 0;
	x->ndates++;
	for (int k = 0; k < x->ncand; k++) {
		struct cand *c = &x->cand[k];
		int32_t secs;
		ok[k] = fnl__datefmt_read(&c->f, v, &day[k], &secs) == 0;
		if (ok[k]) {
			c->fits++;
			if (f == H_CREATED && day[k] > c->max_created)
				c->max_created = day[k];
			if (f == H_CLOSED && se >= 0 && se < FNL_HISTORY_MAX_NAMES && day[k] > x->close_max[se][k])
				x->close_max[se][k] = day[k];
			any = 1;
		} else {
			c->fails++;
			example_add(&c->failed, f, v, line);
		}
	}
	if (!any)
		example_add(&x->none, f, v, line);
	for (int k = 0; k < x->ncand && any; k++)
		if (!ok[k])
			example_add(&x->cand[k].other, f, v, line);
	for (int i = 0; i < x->ncand; i++)
		for (int j = i + 1; j < x->ncand; j++)
			if (ok[i] && ok[j] && day[i] != day[j] && !x->pair_line[i][j]) {
				x->pair_line[i][j] = line;
				x->pair_col[i][j] = f;
				snprintf(x->pair_value[i][j], sizeof x->pair_value[i][j], "%s", v);
			}
}

/* Count a value of the file in map m. */
static int count_in(struct hmap *m, const char *v, int64_t line)
{
	if (!v[0])
		return 0;
	long i = fnl__hmap_add(m, v);
	if (i < 0)
		return -1;
	if (!m->e[i].count++)
		m->e[i].line = line;
	return 0;
}

static int survey_row(struct run *x, const struct fnl_record *rec)
{
	struct hist *h = &x->h;
	char id[64], owner[FNL_NAME_LEN], company[FNL_COMPANY_LEN], product[128], stage[128], created[64],
		closed[64], amount[64];
	/* values too long are rejected when written; here they count as empty */
	take(x, rec, H_ID, id, sizeof id);
	take(x, rec, H_OWNER, owner, sizeof owner);
	take(x, rec, H_COMPANY, company, sizeof company);
	take(x, rec, H_PRODUCT, product, sizeof product);
	take(x, rec, H_STAGE, stage, sizeof stage);
	take(x, rec, H_CREATED, created, sizeof created);
	take(x, rec, H_CLOSED, closed, sizeof closed);
	take(x, rec, H_AMOUNT, amount, sizeof amount);
	if (count_in(&h->ids, id, rec->line) || count_in(&h->owners, owner, rec->line) ||
	    count_in(&h->accounts, company, rec->line) || count_in(&h->products, product, rec->line) ||
	    count_in(&h->stages, stage, rec->line))
		return oom(h->db);
	long se = stage[0] ? fnl__hmap_find(&h->stages, stage) : -1;
	if (!created[0] && se >= 0 && se < FNL_HISTORY_MAX_NAMES)
		x->no_created[se]++;
	if (created[0])
		survey_date(x, H_CREATED, created, rec->line, se);
	if (closed[0])
		survey_date(x, H_CLOSED, closed, rec->line, se);
	/* the same opportunity but for its id */
	char key[1024];
	snprintf(key, sizeof key, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s", owner, product, company, stage, created,
		 closed, amount);
	return count_in(&h->groups, key, rec->line) ? oom(h->db) : 0;
}

/* ---- the decisions ---- */

/* Detected, a format reads every date that some usual format reads; the dates no usual format reads
 * may be 1 in DATES_FEW at most, and their rows are rejected one by one (more refuse the file). Given,
 * a format may fail any number of dates no usual format reads (their rows rejected), but at most 1
 * in DATES_FEW that another format reads (more say the format is not the file's), and not all. */
#define DATES_FEW 20

static int decide_dates(struct run *x)
{
	struct hist *h = &x->h;
	struct fnl_history_result *r = h->r;
	const char *given = h->o->date_format;
	char more[400];
	if (!x->ndates) {
		if (!h->o->as_of)
			return fnl__err(h->db, FNL_EINVAL, "date-format",
					"date-format: the file has no dates (give --as-of for the capture date of its "
					"opportunities)");
		h->df = x->cand[0].f;
		snprintf(r->date_format, sizeof r->date_format, "%s", h->df.text);
		r->date_detected = given == NULL;
		return 0;
	}
	if (given) {
		/* the rows whose dates it does not read are rejected, unless it reads none, or more than 1
		 * in DATES_FEW of the dates fail it that a usual format reads (then it is not the file's) */
		const struct cand *c = &x->cand[0];
		if (!c->fits) {
			examples_text(x, &c->failed, 1, more, sizeof more);
			return fnl__err(h->db, FNL_EINVAL, "date-format",
					"%s: '%s' on line %lld is not a date in %s, nor is any other of the file's %lld %s%s%s%s",
					x->colname[c->failed.col[0]], c->failed.value[0], (long long)c->failed.line[0], c->f.text,
					(long long)x->ndates, fnl__hist_pl(x->ndates, "date", "dates"), more[0] ? " (" : "", more,
					more[0] ? ")" : "");
		}
		if (c->other.n * DATES_FEW > x->ndates) {
			const char *reads = NULL;
			for (int k = 1; k < x->ncand && !reads; k++)
				if (!x->cand[k].other.n && x->cand[k].fits)
					reads = x->cand[k].f.text;
			return fnl__err(h->db, FNL_EINVAL, "date-format",
					"%s: '%s' on line %lld is not a date in %s, nor %s %lld more of the file's %lld dates "
					"(more than 1 in %d), which %s%s: check --date-format",
					x->colname[c->other.col[0]], c->other.value[0], (long long)c->other.line[0], c->f.text,
					fnl__hist_pl(c->other.n - 1, "is", "are"), (long long)c->other.n - 1, (long long)x->ndates,
					DATES_FEW,
					reads ? "all read as " : "another usual format reads", reads ? reads : "");
		}
		h->df = c->f;
		x->chosen = 0;
		snprintf(r->date_format, sizeof r->date_format, "%s", c->f.text);
		return 0;
	}
	/* a format is alive when it reads every value some usual format reads */
	int alive[NCAND], nalive = 0, best = 0;
	for (int k = 0; k < x->ncand; k++) {
		if (!x->cand[k].other.n && x->cand[k].fits)
			alive[nalive++] = k;
		if (x->cand[k].other.n < x->cand[best].other.n)
			best = k;
	}
	if (!nalive) {
		if (x->none.n == x->ndates) {
			examples_text(x, &x->none, 1, more, sizeof more);
			return fnl__err(h->db, FNL_EINVAL, "date-format",
					"%s: '%s' on line %lld is not a date in a usual format (YYYY-MM-DD, DD/MM/YYYY, "
					"MM/DD/YYYY, DD-MM-YY, ...), nor is any other of the file's %lld %s%s%s%s: give "
					"--date-format if they are dates written another way",
					x->colname[x->none.col[0]], x->none.value[0], (long long)x->none.line[0],
					(long long)x->ndates, fnl__hist_pl(x->ndates, "date", "dates"), more[0] ? " (" : "", more,
					more[0] ? ")" : "");
		}
		const struct examples *e = &x->cand[best].other;
		return fnl__err(h->db, FNL_EINVAL, "date-format",
				"%s: the dates are not all written one way ('%s' on line %lld is not %s, as the others "
				"are): give --date-format",
				x->colname[e->col[0]], e->value[0], (long long)e->line[0], x->cand[best].f.text);
	}
	for (int a = 0; a < nalive; a++)
		for (int b = a + 1; b < nalive; b++) {
			int i = alive[a], j = alive[b];
			if (x->pair_line[i][j])
				return fnl__err(h->db, FNL_EINVAL, "date-format",
						"%s: the dates fit both %s and %s ('%s' on line %lld reads either way): "
						"give --date-format",
						x->colname[x->pair_col[i][j]], x->cand[i].f.text, x->cand[j].f.text,
						x->pair_value[i][j], (long long)x->pair_line[i][j]);
		}
	/* one format, or several that read every date alike */
	const struct cand *c = &x->cand[alive[0]];
	if (x->none.n * DATES_FEW > x->ndates) {
		examples_text(x, &x->none, 1, more, sizeof more);
		return fnl__err(h->db, FNL_EINVAL, "date-format",
				"%s: '%s' on line %lld is not a date in a usual format%s%s%s: %lld of the file's %lld dates "
				"%s not (more than 1 in %d), the others are %s: give --date-format %s to reject only the "
				"rows of those",
				x->colname[x->none.col[0]], x->none.value[0], (long long)x->none.line[0], more[0] ? " (nor " : "",
				more, more[0] ? ")" : "", (long long)x->none.n, (long long)x->ndates,
				fnl__hist_pl(x->none.n, "is", "are"), DATES_FEW, c->f.text, c->f.text);
	}
	h->df = c->f;
	x->chosen = alive[0];
	snprintf(r->date_format, sizeof r->date_format, "%s", c->f.text);
	r->date_detected = 1;
	return 0;
}

/* A time of the file: day at secs in the installation's zone; a day without a time at 12:00, or now
 * when that is today and it is not 12:00 yet (no event is later than now). */
static int64_t at_of(const struct hist *h, int64_t day, int32_t secs)
{
	int64_t t = fnl_tz_from_local(fnl_db_tz(h->db), day * FNL_DAY_SECONDS + (secs >= 0 ? secs : 12 * 3600));
	return secs < 0 && day <= h->today && t > h->ctx->now ? h->ctx->now : t;
}

/* A date of the file is in the future: a day without a time after today, a time after now. */
static int in_future(const struct hist *h, int64_t day, int32_t secs)
{
	return secs < 0 ? day > h->today : at_of(h, day, secs) > h->ctx->now;
}

/* "7.1" -> 7100000; -1 when not a positive decimal of at most 6 decimals and at most 1000. */
static int64_t factor_of(const char *s)
{
	int64_t v = 0;
	int dec = -1, digits = 0;
	for (; *s; s++) {
		if (*s == '.' && dec < 0) {
			dec = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || dec >= 6 || v > INT64_C(1000000000))
			return -1;
		v = v * 10 + (*s - '0');
		digits++;
		if (dec >= 0)
			dec++;
	}
	for (int k = dec < 0 ? 0 : dec; k < 6; k++)
		v *= 10;
	return digits && v > 0 && v <= INT64_C(1000000000) ? v : -1;
}

static int decide_money(struct run *x)
{
	struct hist *h = &x->h;
	struct fnl_history_result *r = h->r;
	const char *cur = h->db->set.currency;
	snprintf(r->currency, sizeof r->currency, "%s", cur);
	h->factor_e6 = 1000000;
	snprintf(r->factor, sizeof r->factor, "1");
	const char *fc = h->o->currency;
	if (fc) {
		int ok = strlen(fc) == 3;
		for (int i = 0; ok && i < 3; i++)
			ok = (fc[i] >= 'A' && fc[i] <= 'Z') || (fc[i] >= 'a' && fc[i] <= 'z');
		if (!ok)
			return fnl__err(h->db, FNL_EINVAL, "currency", "currency: '%s' is not a currency code like USD", fc);
		for (int i = 0; i < 3; i++)
			r->file_currency[i] = (char)(fc[i] >= 'a' ? fc[i] - 'a' + 'A' : fc[i]);
	}
	if (h->o->currency_factor) {
		if ((h->factor_e6 = factor_of(h->o->currency_factor)) < 0)
			return fnl__err(h->db, FNL_EINVAL, "currency-factor",
					"currency-factor: '%s' is not a number above 0 like 7.1 (at most 1000, 6 decimals)",
					h->o->currency_factor);
		snprintf(r->factor, sizeof r->factor, "%s", h->o->currency_factor);
	}
	if (fc && strcmp(r->file_currency, cur) != 0 && !h->o->currency_factor)
		return fnl__err(h->db, FNL_EINVAL, "currency-factor",
				"currency-factor: the file is in %s and funnel keeps %s: give --currency-factor (%s for 1 "
				"%s), or set funnel's currency first (funnel config set currency %s)",
				r->file_currency, cur, cur, r->file_currency, r->file_currency);
	if (fc && strcmp(r->file_currency, cur) == 0 && h->factor_e6 != 1000000)
		return fnl__err(h->db, FNL_EINVAL, "currency-factor",
				"currency-factor: the file is in %s, as funnel is: no factor applies", cur);
	return 0;
}

/* The largest amount funnel takes from a file, in 分 once converted: 10^11 of the currency. */
#define AMOUNT_MAX INT64_C(10000000000000)

/* An amount as written: digits with optional ',' between thousands and a decimal point; rounded to
 * the cent. -1 when it is not one, -2 when it is above 10^15 (too large whatever the factor). */
static int amount_of(const char *s, int64_t *cents)
{
	int64_t v = 0;
	int dec = -1, digits = 0, round = 0, big = 0;
	for (; *s; s++) {
		if (*s == ',' && dec < 0 && digits)
			continue;
		if (*s == '.' && dec < 0) {
			dec = 0;
			continue;
		}
		if (*s < '0' || *s > '9')
			return -1;
		digits++;
		if (dec >= 2) {
			if (dec == 2)
				round = *s >= '5';
			dec++;
			continue;
		}
		if (v > INT64_C(100000000000000000) / 10) {
			big = 1;
			continue;
		}
		v = v * 10 + (*s - '0');
		if (dec >= 0)
			dec++;
	}
	if (!digits)
		return -1;
	if (big)
		return -2;
	for (int k = dec < 0 ? 0 : dec; k < 2; k++) {
		if (v > INT64_C(100000000000000000) / 10)
			return -2;
		v *= 10;
	}
	if (v + round > INT64_C(100000000000000000))
		return -2;
	*cents = v + round;
	return 0;
}

/* cents of the file in funnel's currency: x factor, rounded half up; -1 when that is above
 * AMOUNT_MAX. */
static int convert(const struct hist *h, int64_t cents, int64_t *out)
{
	int64_t hi = cents / 1000000, lo = cents % 1000000, a, b;
	if (__builtin_mul_overflow(hi, h->factor_e6, &a) || __builtin_mul_overflow(lo, h->factor_e6, &b) ||
	    __builtin_add_overflow(b, 500000, &b) || __builtin_add_overflow(a, b / 1000000, &a) || a > AMOUNT_MAX)
		return -1;
	*out = a;
	return 0;
}

static int decide_options(struct run *x)
{
	struct hist *h = &x->h;
	const struct fnl_history_opts *o = h->o;
	struct fnl_channel ch;
	int rc;
	if ((rc = fnl__channel_by_key(h->db, o->channel ? o->channel : "other", "channel", &ch)))
		return rc;
	if (!ch.active)
		return fnl__err(h->db, FNL_EINVAL, "channel", "channel: '%s' is no longer in use", ch.key);
	h->channel_id = ch.id;
	snprintf(h->channel, sizeof h->channel, "%s", ch.key);
	snprintf(h->lost_reason, sizeof h->lost_reason, "%s", o->lost_reason ? o->lost_reason : "other");
	if (!fnl__reason_exists(h->db, h->lost_reason))
		return fnl__err(h->db, FNL_EINVAL, "lost-reason", "lost-reason: no loss reason '%s' (see 'funnel reason list')",
				h->lost_reason);
	if ((rc = fnl_reason_list(h->db, &h->reasons, &h->nreasons)))
		return rc;
	if (o->date_format) {
		const char *why;
		if (fnl__datefmt_parse(o->date_format, &x->cand[0].f, &why))
			return fnl__err(h->db, FNL_EINVAL, "date-format",
					"date-format: '%s' is not a date format (%s): DD, MM and YY or YYYY joined by one "
					"separator, '-', '/', '.' or a space, like DD-MM-YY, YYYY-MM-DD or MM/DD/YYYY",
					o->date_format, why);
		x->ncand = 1;
	}
	/* the usual formats, given one or not: what they read tells a wrong format from a few bad dates */
	for (const char *const *f = fnl__datefmt_usual; *f && x->ncand < NCAND; f++)
		fnl__datefmt_parse(*f, &x->cand[x->ncand++].f, NULL);
	for (int k = 0; k < NCAND; k++) {
		x->cand[k].max_created = -1;
		for (int i = 0; i < FNL_HISTORY_MAX_NAMES; i++)
			x->close_max[i][k] = -1;
	}
	if (o->as_of) {
		int64_t day;
		if (fnl_date_parse(o->as_of, &day, NULL))
			return fnl__err(h->db, FNL_EINVAL, "as-of", "as-of: '%s' is not a date like 2017-12-31", o->as_of);
		if (day > h->today)
			return fnl__err(h->db, FNL_EINVAL, "as-of", "as-of: '%s' is in the future", o->as_of);
	}
	return decide_money(x);
}

/* ---- reading the file ---- */

static int write_row(struct run *x, const struct fnl_record *rec);

static int map_columns(struct run *x, const struct fnl_record *hdr)
{
	struct hist *h = &x->h;
	struct fnl_history_result *r = h->r;
	int rc = fnl__import_map_header(h->db, fnl_history_fields, synonyms, H_COUNT, h->o->maps, h->o->nmaps, hdr,
					x->col, r->mapping, sizeof r->mapping, r->unknown, sizeof r->unknown);
	if (rc)
		return rc;
	for (int f = 0; f < H_COUNT; f++)
		snprintf(x->colname[f], sizeof x->colname[f], "%s", x->col[f] >= 0 ? hdr->fields[x->col[f]] : fnl_history_fields[f]);
	static const struct {
		int f;
		const char *what;
	} need[] = {{H_ID, "opportunity id"}, {H_OWNER, "owner"}, {H_STAGE, "stage"}};
	for (size_t k = 0; k < sizeof need / sizeof need[0]; k++)
		if (x->col[need[k].f] < 0)
			return fnl__err(h->db, FNL_EINVAL, fnl_history_fields[need[k].f],
					"%s: no column of the file is the %s (give one with --map COLUMN=%s)",
					fnl_history_fields[need[k].f], need[k].what, fnl_history_fields[need[k].f]);
	if (x->col[H_CREATED] < 0 && x->col[H_CLOSED] < 0)
		return fnl__err(h->db, FNL_EINVAL, "created",
				"created: no column of the file is a date (give one with --map COLUMN=created or "
				"COLUMN=closed)");
	return 0;
}

/* Pass 1 surveys, pass 2 writes. */
static int read_file(struct run *x, int pass)
{
	struct hist *h = &x->h;
	const struct fnl_history_opts *o = h->o;
	struct fnl_error e;
	fnl_reader *rd;
	int rc = fnl_reader_open(o->path, o->format, o->encoding, o->sheet, &rd, &e);
	if (rc)
		return fnl__err(h->db, rc, e.field[0] ? e.field : "file", "%s", e.message);
	struct fnl_record rec;
	while ((rc = fnl_reader_next(rd, &rec, &e)) == FNL_READER_BROKEN)
		;
	if (rc != 1) {
		fnl_reader_close(rd);
		return rc == 0 ? fnl__err(h->db, FNL_EINVAL, "file", "file: '%s' has no header row", o->path)
			       : fnl__err(h->db, rc, "file", "%s", e.message);
	}
	if (pass == 1 && (rc = map_columns(x, &rec))) {
		fnl_reader_close(rd);
		return rc;
	}
	for (;;) {
		rc = fnl_reader_next(rd, &rec, &e);
		if (rc == 0)
			break;
		if (rc == FNL_READER_BROKEN) {
			if (pass == 2) {
				h->r->rows++;
				h->r->rejected++;
				fnl__hist_row(h, o->path, 0, FNL_HISTORY_REJECTED, e.message, "", "", 0);
			}
			continue;
		}
		if (rc != 1) {
			rc = fnl__err(h->db, rc, "file", "%s", e.message);
			break;
		}
		int empty = 1;
		for (size_t k = 0; k < rec.nfields && empty; k++)
			empty = fnl__import_blank(rec.fields[k]);
		if (empty)
			continue;
		if (pass == 2)
			h->r->rows++;
		if ((rc = pass == 1 ? survey_row(x, &rec) : write_row(x, &rec)))
			break;
	}
	fnl_reader_close(rd);
	return rc;
}

/* ---- writing a row ---- */

static int origin_of(fnl_db *db, const char *id, int64_t *lead)
{
	static const char sql[] = "SELECT lead_id FROM lead_origin WHERE external_id = ?";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	fnl__bind_text(st, 1, id);
	int rc = sqlite3_step(st);
	*lead = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fnl__sqlerr(db, rc, "read lead origins");
}

static int add_origin(struct hist *h, int64_t lead, const char *id, const char *product)
{
	static const char sql[] = "INSERT INTO lead_origin (lead_id, external_id, product, file, imported_at)"
				  " VALUES (?, ?, ?, ?, ?)";
	sqlite3_stmt *st = fnl__stmt(h->db, sql);
	if (!st)
		return h->db->err.code;
	sqlite3_bind_int64(st, 1, lead);
	fnl__bind_text(st, 2, id);
	fnl__bind_text(st, 3, product);
	fnl__bind_text(st, 4, h->o->path);
	sqlite3_bind_int64(st, 5, h->ctx->now);
	return fnl__exec_stmt(h->db, st, "record the lead's origin");
}

static int add_deal(struct hist *h, const struct fnl_lead *l, const char *contract, int64_t amount, int64_t day)
{
	static const char sql[] = "INSERT INTO deal (lead_id, contract_no, amount, signed_on, created_at, user_id)"
				  " VALUES (?, ?, ?, ?, ?, ?)";
	char signed_on[11];
	fnl_date_format(day, signed_on);
	sqlite3_stmt *st = fnl__stmt(h->db, sql);
	if (!st)
		return h->db->err.code;
	sqlite3_bind_int64(st, 1, l->id);
	fnl__bind_text(st, 2, contract);
	sqlite3_bind_int64(st, 3, amount);
	fnl__bind_text(st, 4, signed_on);
	sqlite3_bind_int64(st, 5, h->ctx->now);
	fnl__bind_int_null(st, 6, h->ctx->actor);
	int rc = fnl__exec_stmt(h->db, st, "record deal");
	if (rc)
		return rc;
	char lid[24];
	snprintf(lid, sizeof lid, "%lld", (long long)l->id);
	return fnl__audit(h->db, h->ctx, "deal", lid, "import", l->id, NULL,
			  json_pack("{ss sI ss}", "contract", contract, "amount", (json_int_t)amount, "signed_on", signed_on));
}

/* A loss reason of the file: a reason's key or name, else NULL. */
static const char *reason_of(const struct hist *h, const char *text)
{
	char want[FNL_TEXT_LEN], have[FNL_NAME_LEN];
	fnl__import_norm(text, want, sizeof want);
	for (size_t i = 0; i < h->nreasons; i++) {
		const char *names[3] = {h->reasons[i].key, h->reasons[i].name_zh, h->reasons[i].name_en};
		for (int k = 0; k < 3; k++) {
			fnl__import_norm(names[k], have, sizeof have);
			if (strcmp(want, have) == 0)
				return h->reasons[i].key;
		}
	}
	return NULL;
}

/* "Q4 2016" of a day, to compare with a quarter column. */
static void quarter_of(int64_t day, char *buf, size_t len)
{
	int64_t y;
	unsigned m;
	fnl_civil_from_days(day, &y, &m, NULL);
	snprintf(buf, len, "Q%u %lld", (m - 1) / 3 + 1, (long long)y);
}

static void check_quarter(struct run *x, const struct fnl_record *rec, int f, int has, int64_t day, char *note,
			  size_t len)
{
	char q[32], want[32];
	if (x->col[f] < 0 || take(x, rec, f, q, sizeof q) || !q[0] || !has)
		return;
	quarter_of(day, want, sizeof want);
	if (strcmp(q, want) == 0) {
		x->notes[N_QUARTER_OK]++;
		return;
	}
	x->notes[N_QUARTER_BAD]++;
	char one[160];
	snprintf(one, sizeof one, "%s '%s' does not agree with the date (%s)", x->colname[f], q, want);
	fnl__import_add_text(note, len, "; ", one);
}

/* What became of the first row of an opportunity id (flag of its entry in h->ids). */
enum { ID_CREATED = 1, ID_REJECTED, ID_SKIPPED };

static void id_fate(struct hist *h, const char *id, int64_t line, int fate)
{
	long i = id[0] ? fnl__hmap_find(&h->ids, id) : -1;
	if (i >= 0 && h->ids.e[i].line == line)
		h->ids.e[i].flag = fate;
}

/* A row imported before: skipped; said so when the file now tells another story. */
static int skip_row(struct run *x, const struct fnl_record *rec, const char *id, int64_t lead, int meaning,
		    int pos, const char *stage_name)
{
	struct hist *h = &x->h;
	struct fnl_lead l;
	int rc = fnl__lead_load(h->db, lead, &l);
	if (rc)
		return rc;
	const char *want = meaning == HS_WON ? "won" : meaning == HS_LOST ? "lost" : "open";
	char why[400];
	if (strcmp(l.status, want) != 0 || (meaning == HS_OPEN && l.stage_pos != pos)) {
		x->notes[N_CHANGED]++;
		snprintf(why, sizeof why, "imported before as lead %lld; the file now says '%s', the lead is %s at %s: not updated",
			 (long long)lead, stage_name, l.status, l.stage);
	} else {
		snprintf(why, sizeof why, "imported before as lead %lld", (long long)lead);
	}
	h->r->skipped++;
	id_fate(h, id, rec->line, ID_SKIPPED);
	fnl__hist_row(h, h->o->path, rec->line, FNL_HISTORY_SKIPPED, why, id, l.company, lead);
	return 0;
}

/* The lead's stage events: captured, forward to what it reached then, won or lost at the close. */
static int write_events(struct hist *h, const struct fnl_lead *l, int reach_pos, int64_t t0, int64_t t1,
			const char *id, const char *lose_note)
{
	char note[96];
	int rc = fnl__stage_event(h->db, h->ctx, l->id, "capture", 0, h->stage_id[1], t0, "", NULL);
	if (!rc && reach_pos > 1)
		rc = fnl__stage_event(h->db, h->ctx, l->id, "forward", h->stage_id[1], h->stage_id[reach_pos], t0, "", NULL);
	if (rc)
		return rc;
	if (strcmp(l->status, "won") == 0) {
		snprintf(note, sizeof note, "deal %s", id);
		return fnl__stage_event(h->db, h->ctx, l->id, "forward", h->stage_id[reach_pos], h->stage_id[h->nstages], t1,
					note, NULL);
	}
	if (strcmp(l->status, "lost") == 0)
		return fnl__stage_event(h->db, h->ctx, l->id, "lose", h->stage_id[reach_pos], h->stage_id[reach_pos], t1,
					lose_note, l->lost_reason);
	return 0;
}

struct row {
	char id[64], owner[FNL_NAME_LEN], company[FNL_COMPANY_LEN], product[128], stage[128], created[64],
		closed[64], amount[64], reason[FNL_TEXT_LEN], contact[FNL_NAME_LEN];
};

static int read_row(struct run *x, const struct fnl_record *rec, struct row *w, char *why, size_t len)
{
	static const struct {
		int f;
		size_t off, size;
	} parts[] = {
		{H_ID, offsetof(struct row, id), sizeof w->id},
		{H_OWNER, offsetof(struct row, owner), sizeof w->owner},
		{H_COMPANY, offsetof(struct row, company), sizeof w->company},
		{H_PRODUCT, offsetof(struct row, product), sizeof w->product},
		{H_STAGE, offsetof(struct row, stage), sizeof w->stage},
		{H_CREATED, offsetof(struct row, created), sizeof w->created},
		{H_CLOSED, offsetof(struct row, closed), sizeof w->closed},
		{H_AMOUNT, offsetof(struct row, amount), sizeof w->amount},
		{H_REASON, offsetof(struct row, reason), sizeof w->reason},
		{H_CONTACT, offsetof(struct row, contact), sizeof w->contact},
	};
	for (size_t k = 0; k < sizeof parts / sizeof parts[0]; k++)
		if (take(x, rec, parts[k].f, (char *)w + parts[k].off, parts[k].size)) {
			snprintf(why, len, "%s: too long (at most %zu bytes)", x->colname[parts[k].f], parts[k].size - 1);
			return -1;
		}
	return 0;
}

/* The lead of a row, its stage events, deal and origin. Returns an error only for a failure that
 * ends the import; a row that cannot be imported is rejected and reported. */
static int write_row(struct run *x, const struct fnl_record *rec)
{
	struct hist *h = &x->h;
	struct fnl_history_result *r = h->r;
	fnl_db *db = h->db;
	struct row w;
	char why[600] = "", note[1200] = "", one[400];
	int rc;
	int64_t prior;
	enum note fail = N_EMPTY;
#define REJECT(kind, ...)                                 \
	do {                                              \
		fail = (kind);                            \
		snprintf(why, sizeof why, __VA_ARGS__);   \
		goto reject;                              \
	} while (0)
	memset(&w, 0, sizeof w);
	if (read_row(x, rec, &w, why, sizeof why))
		goto reject;
	if (!w.id[0])
		REJECT(N_EMPTY, "%s: empty", x->colname[H_ID]);
	long ie = fnl__hmap_find(&h->ids, w.id);
	if (ie >= 0 && h->ids.e[ie].line != rec->line)
		REJECT(N_DUP_ID, "%s: '%s' is also on line %lld (a duplicate id: the first %s)", x->colname[H_ID], w.id,
		       (long long)h->ids.e[ie].line,
		       h->ids.e[ie].flag == ID_CREATED    ? "is imported"
		       : h->ids.e[ie].flag == ID_SKIPPED  ? "was imported before, so it is skipped"
		       : h->ids.e[ie].flag == ID_REJECTED ? "is rejected too, so neither is imported"
							  : "is not imported");
	if (!w.stage[0])
		REJECT(N_EMPTY, "%s: empty", x->colname[H_STAGE]);
	long se = fnl__hmap_find(&h->stages, w.stage);
	int meaning = (int)h->stages.e[se].flag, pos = (int)h->stages.e[se].num;
	if ((rc = origin_of(db, w.id, &prior)))
		return rc;
	if (prior)
		return skip_row(x, rec, w.id, prior, meaning, pos, w.stage);
	if (!w.owner[0])
		REJECT(N_EMPTY, "%s: empty", x->colname[H_OWNER]);
	const struct hentry *oe = &h->owners.e[fnl__hmap_find(&h->owners, w.owner)];

	/* the dates */
	int64_t d0 = 0, d1 = 0;
	int32_t s0 = -1, s1 = -1;
	int has0 = w.created[0] != '\0', has1 = w.closed[0] != '\0';
	if (has0 && (rc = fnl__datefmt_read(&h->df, w.created, &d0, &s0)))
		REJECT(N_BAD_DATE, "%s: '%s' %s %s%s", x->colname[H_CREATED], w.created, rc == -2 ? "read as" : "is not a date in",
		       h->df.text, rc == -2 ? " is a day that does not exist" : "");
	if (has1 && (rc = fnl__datefmt_read(&h->df, w.closed, &d1, &s1)))
		REJECT(N_BAD_DATE, "%s: '%s' %s %s%s", x->colname[H_CLOSED], w.closed, rc == -2 ? "read as" : "is not a date in",
		       h->df.text, rc == -2 ? " is a day that does not exist" : "");
	const char *outcome = meaning == HS_WON ? "won" : meaning == HS_LOST ? "lost" : "open";
	if (meaning != HS_OPEN && !has1)
		REJECT(N_NO_CLOSE, "%s: empty for a %s opportunity (the date it was %s)", x->colname[H_CLOSED], outcome,
		       outcome);
	int64_t t0 = has0 ? at_of(h, d0, s0) : 0, t1 = has1 ? at_of(h, d1, s1) : 0;
	if (meaning != HS_OPEN && has0 && t1 < t0)
		REJECT(N_CLOSED_BEFORE, "%s '%s' is before %s '%s'", x->colname[H_CLOSED], w.closed, x->colname[H_CREATED],
		       w.created);
	int future0 = has0 && in_future(h, d0, s0);
	if (future0 || (meaning != HS_OPEN && in_future(h, d1, s1)))
		REJECT(N_FUTURE, "%s: '%s' is in the future", future0 ? x->colname[H_CREATED] : x->colname[H_CLOSED],
		       future0 ? w.created : w.closed);
	if (!has0) {
		if (meaning == HS_OPEN) {
			t0 = x->t_asof;
			x->notes[N_UNDATED_OPEN]++;
			x->undated_by[se]++;
			snprintf(one, sizeof one, "no %s: captured at %s (the as-of date)", x->colname[H_CREATED], r->as_of);
		} else {
			t0 = t1;
			x->notes[N_UNDATED_CLOSED]++;
			snprintf(one, sizeof one, "no %s: captured at the %s", x->colname[H_CREATED], x->colname[H_CLOSED]);
		}
		fnl__import_add_text(note, sizeof note, "; ", one);
	}
	int64_t value = -1;
	if (w.amount[0]) {
		if ((rc = amount_of(w.amount, &value)) == -1)
			REJECT(N_BAD_AMOUNT, "%s: '%s' is not an amount", x->colname[H_AMOUNT], w.amount);
		if (rc || convert(h, value, &value))
			REJECT(N_BIG_AMOUNT, "%s: '%s'%s%s is above 100000000000 %s, the largest amount funnel takes",
			       x->colname[H_AMOUNT], w.amount, h->factor_e6 != 1000000 ? " x " : "",
			       h->factor_e6 != 1000000 ? r->factor : "", r->currency);
	}

	/* the lead */
	struct fnl_lead l;
	memset(&l, 0, sizeof l);
	char company[FNL_COMPANY_LEN + 32];
	if (w.company[0]) {
		snprintf(company, sizeof company, "%s", w.company);
	} else {
		snprintf(company, sizeof company, "(no account) %s", w.id);
		if (!x->notes[N_NO_ACCOUNT]++)
			snprintf(x->no_account_example, sizeof x->no_account_example, "%s", company);
		x->no_account_by[se]++;
		snprintf(one, sizeof one, "no %s: company '%s'", x->colname[H_COMPANY], company);
		fnl__import_add_text(note, sizeof note, "; ", one);
	}
	const char *industry = "", *region = "", *size = "";
	long ae = w.company[0] ? fnl__hmap_find(&h->acc, w.company) : -1;
	if (ae >= 0) {
		industry = h->acc.e[ae].text[0];
		region = h->acc.e[ae].text[1];
		size = h->acc.e[ae].text[2];
	} else if (w.company[0] && h->o->accounts) {
		x->notes[N_ACCOUNT_UNKNOWN]++;
		snprintf(one, sizeof one, "account not in %s: no industry, region or size", h->o->accounts);
		fnl__import_add_text(note, sizeof note, "; ", one);
	}
	long pe = w.product[0] ? fnl__hmap_find(&h->products, w.product) : -1;
	const char *product = pe >= 0 && h->products.e[pe].text[0] ? h->products.e[pe].text[0] : w.product;
	int64_t price = -1;
	if (pe >= 0 && h->products.e[pe].num >= 0 && convert(h, h->products.e[pe].num, &price))
		REJECT(N_BIG_AMOUNT, "product '%s': its price in %s%s%s is above 100000000000 %s, the largest amount funnel "
		       "takes", product, h->o->products, h->factor_e6 != 1000000 ? " x " : "",
		       h->factor_e6 != 1000000 ? r->factor : "", r->currency);
	if (pe >= 0 && h->products.e[pe].flag) {
		snprintf(one, sizeof one, "product '%s' read as '%s'", w.product, product);
		fnl__import_add_text(note, sizeof note, "; ", one);
	}
	char notes[FNL_NOTE_LEN];
	snprintf(notes, sizeof notes, "opportunity %s%s%s", w.id, product[0] ? "; product " : "", product);
	if ((rc = fnl__take_text(db, "company", company, l.company, sizeof l.company)) ||
	    (rc = fnl__take_text(db, "contact", w.contact, l.contact, sizeof l.contact)) ||
	    (rc = fnl__take_text(db, "industry", industry, l.industry, sizeof l.industry)) ||
	    (rc = fnl__take_text(db, "region", region, l.region, sizeof l.region)) ||
	    (rc = fnl__take_text(db, "size", size, l.size, sizeof l.size)) ||
	    (rc = fnl__take_text(db, "source", h->o->source, l.source, sizeof l.source)) ||
	    (rc = fnl__take_text(db, "notes", notes, l.notes, sizeof l.notes))) {
		if (rc != FNL_EINVAL)
			return rc;
		snprintf(why, sizeof why, "%s", fnl_errmsg(db));
		fnl_error_clear(&db->err);
		goto reject;
	}
	if (fnl__clean_has_word(l.company, db->set.test_words)) {
		x->notes[N_TEST_NAME]++;
		fnl__import_add_text(note, sizeof note, "; ", "a test word in the company: imported all the same");
	}
	int reach = meaning == HS_OPEN ? pos : meaning == HS_WON ? h->engaged_pos : h->lost_pos;
	int final = meaning == HS_WON ? h->nstages : reach;
	l.pipeline_id = 1;
	l.channel_id = h->channel_id;
	snprintf(l.channel, sizeof l.channel, "%s", h->channel);
	l.captured_at = t0;
	l.owner_id = oe->num;
	snprintf(l.owner, sizeof l.owner, "%s", oe->text[0] ? oe->text[0] : "");
	l.stage_id = h->stage_id[final];
	l.stage_pos = l.reached_pos = final;
	snprintf(l.stage, sizeof l.stage, "%s", h->stage_key[final]);
	snprintf(l.reached, sizeof l.reached, "%s", h->stage_key[final]);
	snprintf(l.status, sizeof l.status, "%s", outcome);
	l.first_contact_at = has0 || meaning != HS_OPEN ? t0 : 0;
	l.created_at = l.updated_at = h->ctx->now;
	char lose_note[FNL_TEXT_LEN] = "";
	switch (meaning) {
	case HS_WON:
		l.won_at = t1;
		l.has_amount = 1;
		l.amount = value > 0 ? value : 0;
		if (value <= 0) {
			x->notes[N_WON_ZERO]++;
			fnl__import_add_text(note, sizeof note, "; ", "won without a value: the deal's amount is 0");
		}
		break;
	case HS_LOST: {
		const char *key = w.reason[0] ? reason_of(h, w.reason) : NULL;
		snprintf(l.lost_reason, sizeof l.lost_reason, "%s", key ? key : h->lost_reason);
		snprintf(l.lost_stage, sizeof l.lost_stage, "%s", l.stage);
		l.lost_at = t1;
		if (w.reason[0] && !key) {
			x->notes[N_REASON_OTHER]++;
			snprintf(lose_note, sizeof lose_note, "%s", w.reason);
			snprintf(one, sizeof one, "loss reason '%s' is none of funnel's: %s, the text kept as the note", w.reason,
				 h->lost_reason);
			fnl__import_add_text(note, sizeof note, "; ", one);
		}
		if (value > 0) {
			x->notes[N_LOST_VALUE]++;
			snprintf(one, sizeof one, "%s %s of a lost opportunity is no deal: not imported", x->colname[H_AMOUNT],
				 w.amount);
			fnl__import_add_text(note, sizeof note, "; ", one);
		}
		if (price >= 0) {
			l.has_amount = 1;
			l.amount = price;
		}
		break;
	}
	default:
		if (has1 && final >= 2) {
			/* the expected close: its month feeds the forecast, as lead edit --close sets it */
			char date[11];
			fnl_date_format(d1, date);
			memcpy(l.close_month, date, 7);
			l.close_month[7] = '\0';
			x->notes[N_CLOSE_MONTH]++;
		} else if (has1) {
			x->notes[N_OPEN_CLOSE_DATE]++;
			snprintf(one, sizeof one, "%s of an open opportunity at %s: not imported (an expected close month is kept "
				 "from %s on)", x->colname[H_CLOSED], l.stage, h->stage_key[2]);
			fnl__import_add_text(note, sizeof note, "; ", one);
		}
		if (value >= 0 || price >= 0) {
			l.has_amount = 1;
			l.amount = value >= 0 ? value : price;
		} else {
			x->notes[N_NO_PRICE]++;
		}
	}
	check_quarter(x, rec, H_CREATED_Q, has0, d0, note, sizeof note);
	check_quarter(x, rec, H_CLOSED_Q, has1 && meaning != HS_OPEN, d1, note, sizeof note);
	char gkey[1024];
	snprintf(gkey, sizeof gkey, "%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s\x1f%s", w.owner, w.product, w.company, w.stage,
		 w.created, w.closed, w.amount);
	long ge = fnl__hmap_find(&h->groups, gkey);
	if (ge >= 0 && h->groups.e[ge].count > 1) {
		snprintf(one, sizeof one, "one of %lld opportunities the same but for their id (the first on line %lld)",
			 (long long)h->groups.e[ge].count, (long long)h->groups.e[ge].line);
		fnl__import_add_text(note, sizeof note, "; ", one);
	}

	static const struct fnl__lead_keys no_keys;
	if ((rc = fnl__lead_insert(db, &l, &no_keys)) ||
	    (rc = write_events(h, &l, reach, t0, t1, w.id, lose_note)) ||
	    (meaning == HS_WON && (rc = add_deal(h, &l, w.id, l.amount, d1))) ||
	    (rc = add_origin(h, l.id, w.id, product)) || (rc = fnl__lead_audit(db, h->ctx, "import", NULL, &l)))
		return rc;
	r->created++;
	id_fate(h, w.id, rec->line, ID_CREATED);
	if (meaning == HS_WON) {
		r->won++;
		if (__builtin_add_overflow(r->won_amount, l.amount, &r->won_amount))
			return fnl__err(db, FNL_EINVAL, x->colname[H_AMOUNT],
					"%s: the deals of the file add up to more than funnel can hold (line %lld)",
					x->colname[H_AMOUNT], (long long)rec->line);
	} else if (meaning == HS_LOST) {
		r->lost++;
		r->lost_at[final]++;
	} else {
		r->open++;
		r->open_at[final]++;
		if (__builtin_add_overflow(r->open_amount, l.has_amount ? l.amount : 0, &r->open_amount))
			return fnl__err(db, FNL_EINVAL, x->colname[H_AMOUNT],
					"%s: the expected amounts of the file add up to more than funnel can hold (line %lld)",
					x->colname[H_AMOUNT], (long long)rec->line);
	}
	if (note[0])
		fnl__hist_row(h, h->o->path, rec->line, FNL_HISTORY_CREATED, note, w.id, l.company, l.id);
	return 0;
reject:
	x->notes[fail]++;
	r->rejected++;
	id_fate(h, w.id, rec->line, ID_REJECTED);
	fnl__hist_row(h, h->o->path, rec->line, FNL_HISTORY_REJECTED, why, w.id, w.company, 0);
	return 0;
#undef REJECT
}

/* ---- the quirks the rows noted ---- */

#define PL(n, one, many) fnl__hist_pl((n), (one), (many))

/* "Engaging 1088, Prospecting 337" of counts by stage name. */
static void by_name(const struct run *x, const int64_t *counts, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t i = 0; i < x->h.stages.n && i < FNL_HISTORY_MAX_NAMES; i++)
		if (counts[i]) {
			char one[160];
			snprintf(one, sizeof one, "%s %lld", x->h.stages.e[i].key, (long long)counts[i]);
			fnl__import_add_text(buf, len, ", ", one);
		}
}

/* The quirks of the rows, gathered to be placed after those of the survey. */
struct row_quirks {
	struct fnl_history_quirk q[FNL__HIST_ROW_QUIRKS];
	int n;
};

static void row_quirk(struct row_quirks *rq, const char *key, int64_t count, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void row_quirk(struct row_quirks *rq, const char *key, int64_t count, const char *fmt, ...)
{
	/* one quirk at most per kind of note (same_but_id in place of one of the two quarter kinds) */
	_Static_assert(N_COUNT <= FNL__HIST_ROW_QUIRKS, "room for the quirks of the rows");
	if (rq->n >= FNL__HIST_ROW_QUIRKS)
		return;
	va_list ap;
	va_start(ap, fmt);
	quirk_fill(&rq->q[rq->n++], key, count, fmt, ap);
	va_end(ap);
}

static void row_quirks(struct run *x)
{
	struct hist *h = &x->h;
	struct fnl_history_result *r = h->r;
	struct row_quirks rq = {0};
	const int64_t *n = x->notes;
	char names[300];
	const char *created = x->colname[H_CREATED], *closed = x->colname[H_CLOSED], *amount = x->colname[H_AMOUNT];
	if (n[N_NO_ACCOUNT]) {
		by_name(x, x->no_account_by, names, sizeof names);
		row_quirk(&rq, "no_account", n[N_NO_ACCOUNT],
			  "%lld %s no %s (%s): the company is '(no account) ' and the opportunity id, as '%s'",
			  (long long)n[N_NO_ACCOUNT], PL(n[N_NO_ACCOUNT], "opportunity has", "opportunities have"),
			  x->colname[H_COMPANY], names, x->no_account_example);
	}
	if (n[N_UNDATED_OPEN]) {
		by_name(x, x->undated_by, names, sizeof names);
		row_quirk(&rq, "no_created_date", n[N_UNDATED_OPEN],
			  "%lld open %s no %s (%s): captured at %s (%s%s)",
			  (long long)n[N_UNDATED_OPEN], PL(n[N_UNDATED_OPEN], "opportunity has", "opportunities have"),
			  created, names, r->as_of, x->as_of_from, x->h.o->as_of ? "" : "; --as-of to change it");
	}
	if (n[N_UNDATED_CLOSED])
		row_quirk(&rq, "closed_without_created", n[N_UNDATED_CLOSED],
			  "%lld closed %s no %s: captured at the %s", (long long)n[N_UNDATED_CLOSED],
			  PL(n[N_UNDATED_CLOSED], "opportunity has", "opportunities have"), created, closed);
	if (x->groups_dup)
		row_quirk(&rq, "same_but_id", x->rows_dup,
			  "%lld opportunities in %lld %s are the same but for their id (owner, product, account, "
			  "stage, dates, value): each is its own lead, as in the other system",
			  (long long)x->rows_dup, (long long)x->groups_dup, PL(x->groups_dup, "group", "groups"));
	if (n[N_WON_ZERO])
		row_quirk(&rq, "won_without_value", n[N_WON_ZERO], "%lld won %s no %s: the deal's amount is 0",
			  (long long)n[N_WON_ZERO], PL(n[N_WON_ZERO], "opportunity has", "opportunities have"), amount);
	if (n[N_LOST_VALUE])
		row_quirk(&rq, "lost_with_value", n[N_LOST_VALUE],
			  "%lld lost %s a %s above 0: not a deal, not imported", (long long)n[N_LOST_VALUE],
			  PL(n[N_LOST_VALUE], "opportunity has", "opportunities have"), amount);
	if (n[N_CLOSE_MONTH])
		row_quirk(&rq, "expected_close_month", n[N_CLOSE_MONTH],
			  "%lld open %s a %s: its month is the lead's expected close month (the forecast's)",
			  (long long)n[N_CLOSE_MONTH], PL(n[N_CLOSE_MONTH], "opportunity has", "opportunities have"), closed);
	if (n[N_OPEN_CLOSE_DATE])
		row_quirk(&rq, "open_with_close_date", n[N_OPEN_CLOSE_DATE],
			  "%lld open %s at %s %s a %s: not imported (an expected close month is kept from %s on)",
			  (long long)n[N_OPEN_CLOSE_DATE], PL(n[N_OPEN_CLOSE_DATE], "opportunity", "opportunities"),
			  h->stage_key[1], PL(n[N_OPEN_CLOSE_DATE], "has", "have"), closed, h->stage_key[2]);
	if (n[N_NO_PRICE])
		row_quirk(&rq, "open_without_amount", n[N_NO_PRICE],
			  "%lld open %s neither a %s nor a product price: no expected amount", (long long)n[N_NO_PRICE],
			  PL(n[N_NO_PRICE], "opportunity has", "opportunities have"), amount);
	if (n[N_REASON_OTHER])
		row_quirk(&rq, "reason_other", n[N_REASON_OTHER],
			  "%lld loss %s none of funnel's: lost for '%s', the text kept as the note",
			  (long long)n[N_REASON_OTHER], PL(n[N_REASON_OTHER], "reason is", "reasons are"), h->lost_reason);
	if (n[N_QUARTER_BAD])
		row_quirk(&rq, "quarter_mismatch", n[N_QUARTER_BAD],
			  "%lld %s of the file %s not agree with the dates (the dates are imported)",
			  (long long)n[N_QUARTER_BAD], PL(n[N_QUARTER_BAD], "quarter", "quarters"),
			  PL(n[N_QUARTER_BAD], "does", "do"));
	else if (n[N_QUARTER_OK])
		row_quirk(&rq, "quarters_agree", n[N_QUARTER_OK],
			  "the %lld quarters of the file (%s%s%s) agree with their dates read as %s: not imported, "
			  "they follow from the dates",
			  (long long)n[N_QUARTER_OK], x->col[H_CREATED_Q] >= 0 ? x->colname[H_CREATED_Q] : "",
			  x->col[H_CREATED_Q] >= 0 && x->col[H_CLOSED_Q] >= 0 ? ", " : "",
			  x->col[H_CLOSED_Q] >= 0 ? x->colname[H_CLOSED_Q] : "", r->date_format);
	if (n[N_TEST_NAME])
		row_quirk(&rq, "test_name", n[N_TEST_NAME],
			  "%lld %s a test word (clean.test_words): imported, an opportunity is no raw lead",
			  (long long)n[N_TEST_NAME], PL(n[N_TEST_NAME], "company holds", "companies hold"));
	if (n[N_ACCOUNT_UNKNOWN])
		row_quirk(&rq, "account_unknown", n[N_ACCOUNT_UNKNOWN],
			  "%lld %s of accounts not in %s: no industry, region or size", (long long)n[N_ACCOUNT_UNKNOWN],
			  PL(n[N_ACCOUNT_UNKNOWN], "opportunity is", "opportunities are"), h->o->accounts);
	if (n[N_CHANGED])
		row_quirk(&rq, "changed_since", n[N_CHANGED],
			  "%lld %s imported before %s another stage in the file now: not updated (see the report)",
			  (long long)n[N_CHANGED], PL(n[N_CHANGED], "opportunity", "opportunities"),
			  PL(n[N_CHANGED], "has", "have"));
	static const struct {
		enum note k;
		const char *key, *text;
	} rejects[] = {
		{N_DUP_ID, "duplicate_id", "repeating the opportunity id of an earlier row: rejected"},
		{N_EMPTY, "rejected_row", "without a value they need or with one that cannot be read: rejected"},
		{N_NO_CLOSE, "closed_without_close_date", "won or lost without a close date: rejected"},
		{N_CLOSED_BEFORE, "closed_before_created", "closing before they were created: rejected"},
		{N_FUTURE, "future_date", "with a date in the future: rejected"},
		{N_BAD_AMOUNT, "bad_amount", "with an amount that is no number: rejected"},
		{N_BAD_DATE, "bad_date", "with a date that cannot be read in the file's date format: rejected"},
		{N_BIG_AMOUNT, "amount_too_large", "with an amount above 100000000000 once converted: rejected"},
	};
	for (size_t k = 0; k < sizeof rejects / sizeof rejects[0]; k++)
		if (n[rejects[k].k])
			row_quirk(&rq, rejects[k].key, n[rejects[k].k], "%lld %s %s (see the report)",
				  (long long)n[rejects[k].k], PL(n[rejects[k].k], "row", "rows"), rejects[k].text);
	fnl__hist_quirks_place(h, rq.q, rq.n);
}

/* ---- the import ---- */

/* Hand the result to the caller's r and free the run. */
static void run_free(struct run *x, struct fnl_history_result *r)
{
	struct hist *h = &x->h;
	*r = h->res;
	struct hmap *maps[] = {&h->stages, &h->owners, &h->products, &h->accounts, &h->ids, &h->groups, &h->acc,
			       &h->prod, &h->prod_norm, &h->agents, &h->managers, &h->spell};
	for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
		fnl__hmap_free(maps[i]);
	free(h->reasons);
	free(x);
}

/* The capture date of open opportunities without a date: --as-of, else the latest created date or
 * close date of a won or lost opportunity (an open one's close date is only expected), at most
 * today. */
static int decide_as_of(struct run *x)
{
	struct hist *h = &x->h;
	const char *created = x->colname[H_CREATED], *closed = x->colname[H_CLOSED];
	int k = x->chosen;
	int64_t day = -1, undated = 0;
	if (h->o->as_of) {
		fnl_date_parse(h->o->as_of, &day, NULL);
		snprintf(x->as_of_from, sizeof x->as_of_from, "--as-of");
	} else {
		day = x->cand[k].max_created;
		for (size_t i = 0; i < h->stages.n && i < FNL_HISTORY_MAX_NAMES; i++)
			if (h->stages.e[i].flag != HS_OPEN && x->close_max[i][k] > day)
				day = x->close_max[i][k];
			else if (h->stages.e[i].flag == HS_OPEN)
				undated += x->no_created[i];
		snprintf(x->as_of_from, sizeof x->as_of_from, "the latest %s, or %s of a won or lost opportunity, of the file",
			 created, closed);
		if (day > h->today) {
			day = h->today;
			snprintf(x->as_of_from, sizeof x->as_of_from, "today, as the file's latest date is later");
		} else if (day < 0) {
			if (undated)
				return fnl__err(h->db, FNL_EINVAL, "as-of",
						"as-of: %lld open %s no %s, and the file has no %s nor a %s of a won or lost "
						"opportunity to date them by: give --as-of",
						(long long)undated, PL(undated, "opportunity has", "opportunities have"), created,
						created, closed);
			day = h->today;
			snprintf(x->as_of_from, sizeof x->as_of_from, "today");
		}
	}
	h->as_of_day = day;
	fnl_date_format(day, h->r->as_of);
	x->t_asof = at_of(h, day, -1);
	return 0;
}

/* Everything the survey allows to settle before a write. */
static int prepare(struct run *x)
{
	struct hist *h = &x->h;
	int rc;
	if ((rc = decide_options(x)) || (rc = fnl__hist_side_files(h)) || (rc = read_file(x, 1)) ||
	    (rc = decide_dates(x)))
		return rc;
	if (h->stages.n > FNL_HISTORY_MAX_NAMES)
		return fnl__err(h->db, FNL_EINVAL, "stage", "stage: the file has %zu stage names; at most %d can be mapped",
				h->stages.n, FNL_HISTORY_MAX_NAMES);
	if ((rc = fnl__hist_stage_map(h)) || (rc = decide_as_of(x)))
		return rc;
	fnl__hist_products(h);
	if ((rc = fnl__hist_spelling(h)))
		return rc;
	if (h->o->accounts) {
		int64_t unknown = 0;
		for (size_t i = 0; i < h->accounts.n; i++)
			if (fnl__hmap_find(&h->acc, h->accounts.e[i].key) < 0)
				unknown++;
		if (unknown)
			fnl__hist_quirk(h, "accounts_not_listed", unknown, "%lld %s of the file %s not in %s",
					(long long)unknown, PL(unknown, "account", "accounts"), PL(unknown, "is", "are"),
					h->o->accounts);
	}
	for (size_t i = 0; i < h->groups.n; i++)
		if (h->groups.e[i].count > 1) {
			x->groups_dup++;
			x->rows_dup += h->groups.e[i].count;
		}
	fnl__hist_near_names(h);
	return fnl__hist_owners_check(h);
}

static int audit_import(struct run *x)
{
	struct hist *h = &x->h;
	const struct fnl_history_result *r = h->r;
	json_t *after = json_pack("{ss sI sI sI sI sI sI sI sI ss ss}", "file", h->o->path, "rows", (json_int_t)r->rows,
				  "created", (json_int_t)r->created, "won", (json_int_t)r->won, "lost", (json_int_t)r->lost,
				  "open", (json_int_t)r->open, "rejected", (json_int_t)r->rejected, "skipped",
				  (json_int_t)r->skipped, "users_created", (json_int_t)r->users_created, "date_format",
				  r->date_format, "lost_at", r->lost_stage);
	return fnl__audit(h->db, h->ctx, "import", h->o->path, "history", 0, NULL, after);
}

int fnl_import_history(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_history_opts *o,
		       struct fnl_history_result *r)
{
	memset(r, 0, sizeof *r);
	int rc = fnl__enter(db, ctx);
	if (rc || (rc = fnl__require_role(db, "import another CRM's history", "admin", NULL)))
		return rc;
	struct run *x = calloc(1, sizeof *x);
	if (!x)
		return oom(db);
	struct hist *h = &x->h;
	h->db = db;
	h->ctx = ctx;
	h->o = o;
	h->r = &h->res;
	h->today = fnl_tz_local_date(fnl_db_tz(db), ctx->now);
	h->col = x->col;
	if ((rc = prepare(x))) {
		run_free(x, r);
		return rc;
	}
	if ((rc = fnl_db_begin(db))) {
		run_free(x, r);
		return rc;
	}
	if (!(rc = fnl__hist_users_create(h)))
		rc = read_file(x, 2);
	if (!rc) {
		row_quirks(x);
		if (o->dry_run || (o->strict && h->r->rejected)) {
			fnl_db_rollback(db);
			h->r->undone = 1;
			run_free(x, r);
			return 0;
		}
		if (h->r->created || h->r->users_created)
			rc = audit_import(x);
		if (!rc && (h->r->created || h->r->users_created))
			h->r->job = fnl__last_id(db);
	}
	if (rc) {
		/* keep the failure's message, not the rollback's */
		struct fnl_error keep = db->err;
		fnl_db_rollback(db);
		db->err = keep;
		run_free(x, r);
		return rc;
	}
	run_free(x, r);
	return fnl_db_commit(db);
}
