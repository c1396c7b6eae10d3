/* io/export.c - lead lists out: CSV for Excel, XLSX, JSON; streamed, audited (SPEC §7, §8). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "funnel/export.h"
#include "funnel/io.h"
#include "io/xlsx_write.h"
#include "store/store.h"

/* A sheet has 1,048,576 rows, the header one of them. */
#define XLSX_MAX_ROWS 1048575

enum col {
	C_ID, C_COMPANY, C_CONTACT, C_TITLE, C_PHONE, C_EMAIL, C_WECHAT, C_INDUSTRY, C_SIZE, C_REGION,
	C_CHANNEL, C_SOURCE, C_CAPTURED, C_OWNER, C_CONSENT, C_NOTES, C_BUDGET, C_NEED, C_DECISION, C_URGENCY,
	/* read-only: what the pipeline made of the lead */
	C_STAGE, C_REACHED, C_STATUS, C_GRADE, C_SCORE, C_AMOUNT, C_CLOSE, C_INVALID, C_MERGED, C_LOST_REASON,
	C_LOST_AT, C_WON_AT, C_UPDATED, NCOLS
};

const char *const fnl_export_lead_columns[NCOLS + 1] = {
	"id", "company", "contact", "title", "phone", "email", "wechat", "industry", "size", "region",
	"channel", "source", "captured_at", "owner", "consent", "notes", "budget", "need", "decision", "urgency",
	"stage", "reached_stage", "status", "grade", "score", "amount", "close_month", "invalid_reason",
	"merged_into", "lost_reason", "lost_at", "won_at", "updated_at", NULL,
};

static const int col_type[NCOLS] = {
	[C_ID] = FNL_COL_ID,         [C_CAPTURED] = FNL__COL_TIME, [C_BUDGET] = FNL_COL_INT,
	[C_NEED] = FNL_COL_INT,      [C_DECISION] = FNL_COL_INT,   [C_URGENCY] = FNL_COL_INT,
	[C_SCORE] = FNL_COL_NUMBER,  [C_AMOUNT] = FNL_COL_MONEY,   [C_MERGED] = FNL_COL_ID,
	[C_LOST_AT] = FNL__COL_TIME, [C_WON_AT] = FNL__COL_TIME,   [C_UPDATED] = FNL__COL_TIME,
	/* the others are text (0) */
};

/* One value of a lead: empty, text, a number (in the column's unit: 分, hundredths of a point for
 * the score), or an instant. */
struct val {
	enum { V_EMPTY, V_TEXT, V_NUM, V_TIME } kind;
	const char *s;
	int64_t n;
};

static struct val text(const char *s)
{
	struct val v = {s && *s ? V_TEXT : V_EMPTY, s, 0};
	return v;
}

static struct val num(int64_t n, int present)
{
	struct val v = {present ? V_NUM : V_EMPTY, NULL, n};
	return v;
}

static struct val instant(int64_t t)
{
	struct val v = {t ? V_TIME : V_EMPTY, NULL, t};
	return v;
}

static struct val value(const struct fnl_lead *l, int col)
{
	switch ((enum col)col) {
	case C_ID: return num(l->id, 1);
	case C_COMPANY: return text(l->company);
	case C_CONTACT: return text(l->contact);
	case C_TITLE: return text(l->title);
	case C_PHONE: return text(l->phone);
	case C_EMAIL: return text(l->email);
	case C_WECHAT: return text(l->wechat);
	case C_INDUSTRY: return text(l->industry);
	case C_SIZE: return text(l->size);
	case C_REGION: return text(l->region);
	case C_CHANNEL: return text(l->channel);
	case C_SOURCE: return text(l->source);
	case C_CAPTURED: return instant(l->captured_at);
	case C_OWNER: return text(l->owner);
	case C_CONSENT: return text(l->consent);
	case C_NOTES: return text(l->notes);
	case C_BUDGET: return num(l->budget, l->budget > 0);
	case C_NEED: return num(l->need, l->need > 0);
	case C_DECISION: return num(l->decision, l->decision > 0);
	case C_URGENCY: return num(l->urgency, l->urgency > 0);
	case C_STAGE: return text(l->stage);
	case C_REACHED: return text(l->reached);
	case C_STATUS: return text(l->status);
	case C_GRADE: return text(l->grade);
	case C_SCORE: return num(l->score_total, l->grade[0] != '\0');
	case C_AMOUNT: return num(l->amount, l->has_amount);
	case C_CLOSE: return text(l->close_month);
	case C_INVALID: return text(l->invalid_reason);
	case C_MERGED: return num(l->merged_into, l->merged_into != 0);
	case C_LOST_REASON: return text(l->lost_reason);
	case C_LOST_AT: return instant(l->lost_at);
	case C_WON_AT: return instant(l->won_at);
	case C_UPDATED: return instant(l->updated_at);
	case NCOLS: break;
	}
	return text(NULL);
}

/* ---- the three formats ---- */

struct exp {
	const char *format;
	FILE *out;
	fnl__xw *xw;
	const fnl_catalog *cat;
	const fnl_tz *tz;
	int64_t now;
	int64_t rows;     /* the leads the export holds, counted before any is written */
	int contact_data; /* one of them has a phone, e-mail or WeChat ID */
	int64_t written;
};

static int too_many(fnl_db *db)
{
	return fnl__err(db, FNL_EINVAL, "format",
			"format: more than %d leads do not fit in a sheet of a workbook; export them as csv, or fewer "
			"with a filter", XLSX_MAX_ROWS);
}

/* A score total in hundredths as people write it: 15, 14.5, 14.25. */
static void points_text(int64_t h, char *buf, size_t len)
{
	if (h % 100 == 0)
		snprintf(buf, len, "%" PRId64, h / 100);
	else if (h % 10 == 0)
		snprintf(buf, len, "%" PRId64 ".%" PRId64, h / 100, (h % 100) / 10);
	else
		snprintf(buf, len, "%" PRId64 ".%02" PRId64, h / 100, h % 100);
}

static void csv_row(struct exp *x, const struct fnl_lead *l)
{
	char buf[64];
	for (int c = 0; c < NCOLS; c++) {
		if (c)
			fputc(',', x->out);
		struct val v = value(l, c);
		switch (v.kind) {
		case V_EMPTY:
			break;
		case V_TEXT:
			fnl_csv_field(x->out, v.s, 1);
			break;
		case V_NUM:
			if (col_type[c] == FNL_COL_MONEY)
				fnl_money_format(v.n, buf, sizeof buf);
			else if (col_type[c] == FNL_COL_NUMBER)
				points_text(v.n, buf, sizeof buf);
			else
				snprintf(buf, sizeof buf, "%" PRId64, v.n);
			fputs(buf, x->out);
			break;
		case V_TIME:
			fnl_time_format(x->tz, v.n, buf, sizeof buf);
			fputs(buf, x->out);
			break;
		}
	}
	fputs("\r\n", x->out);
}

static void xlsx_row(struct exp *x, const struct fnl_lead *l)
{
	for (int c = 0; c < NCOLS; c++) {
		struct val v = value(l, c);
		if (v.kind == V_TEXT)
			fnl__xw_text(x->xw, (size_t)c, v.s);
		else if (v.kind == V_NUM)
			fnl__xw_number(x->xw, (size_t)c, col_type[c] == FNL_COL_NUMBER ? (double)v.n / 100.0 : (double)v.n);
		else if (v.kind == V_TIME)
			fnl__xw_time(x->xw, (size_t)c, v.n + fnl_tz_offset(x->tz, v.n));
	}
	fnl__xw_row(x->xw);
}

/* e: the errno of the failed write, 0 when unknown */
static int write_failed(fnl_db *db, int e)
{
	if (e)
		return fnl__err(db, FNL_EIO, "out", "out: cannot write the export: %s", strerror(e));
	return fnl__err(db, FNL_EIO, "out", "out: cannot write the export");
}

static int json_row(struct exp *x, fnl_db *db, const struct fnl_lead *l)
{
	json_t *j = fnl_json_lead(db, x->cat, l, x->now);
	if (!j)
		return fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
	if (x->written)
		fputs(",\n", x->out);
	int bad = json_dumpf(j, x->out, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
	json_decref(j);
	return bad ? write_failed(db, errno) : 0;
}

static int count_one(fnl_db *db, const struct fnl_lead *l, void *arg)
{
	struct exp *x = arg;
	if (fnl__lead_visible(db, l)) {
		x->rows++;
		x->contact_data |= l->phone[0] || l->email[0] || l->wechat[0];
	}
	return 0;
}

static int one_lead(fnl_db *db, const struct fnl_lead *l, void *arg)
{
	struct exp *x = arg;
	if (!fnl__lead_visible(db, l))
		return 0;
	/* leads added since they were counted */
	if (x->xw && x->written >= XLSX_MAX_ROWS)
		return too_many(db);
	if (strcmp(x->format, "csv") == 0) {
		csv_row(x, l);
	} else if (strcmp(x->format, "xlsx") == 0) {
		xlsx_row(x, l);
	} else {
		int rc = json_row(x, db, l);
		if (rc)
			return rc;
	}
	if (x->out && ferror(x->out))
		return write_failed(db, errno);
	x->written++;
	return 0;
}

/* Write the export: x->xw is the workbook of an xlsx export, open with its sheet. */
static int write_leads(fnl_db *db, const struct fnl_lead_filter *f, struct exp *x)
{
	int rc;
	if (x->xw) {
		if ((rc = fnl__lead_scan(db, f, one_lead, x))) {
			fnl__xw_discard(x->xw);
			return rc;
		}
		return fnl__xw_close(x->xw, &db->err);
	}
	if (strcmp(x->format, "csv") == 0) {
		fputs("\xEF\xBB\xBF", x->out); /* so that Excel reads UTF-8 */
		for (int c = 0; c < NCOLS; c++) {
			if (c)
				fputc(',', x->out);
			fputs(fnl_export_lead_columns[c], x->out);
		}
		fputs("\r\n", x->out);
	} else {
		fputs("{\"leads\": [\n", x->out);
	}
	if ((rc = fnl__lead_scan(db, f, one_lead, x)))
		return rc;
	if (strcmp(x->format, "json") == 0)
		fputs(x->written ? "\n]}\n" : "]}\n", x->out);
	if (fflush(x->out) || ferror(x->out))
		return write_failed(db, errno);
	return 0;
}

/* The workbook of an xlsx export, its sheet begun; nothing written yet. */
static int open_workbook(fnl_db *db, const char *path, struct exp *x)
{
	int types[NCOLS];
	for (int c = 0; c < NCOLS; c++)
		types[c] = col_type[c];
	int rc = fnl__xw_new(path, 1, &x->xw, &db->err);
	if (rc)
		return rc;
	if (fnl__xw_sheet(x->xw, "leads", NCOLS, fnl_export_lead_columns, types)) {
		fnl__xw_discard(x->xw);
		x->xw = NULL;
		return fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
	}
	return 0;
}

static void filter_add(json_t *o, const char *key, const char *v)
{
	if (v)
		json_object_set_new(o, key, json_string(v));
}

/* SPEC §8: every read of a full export is audited, before any of it is written: an export cut
 * short (a closed pipe, a full disk, an interrupt) may have been read in part. */
static int audit(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_lead_filter *f, const struct exp *x)
{
	json_t *filter = json_object();
	filter_add(filter, "stage", f->stage);
	filter_add(filter, "status", f->status);
	filter_add(filter, "owner", f->owner);
	filter_add(filter, "grade", f->grade);
	filter_add(filter, "channel", f->channel);
	json_t *after = json_pack("{ss sI so sb}", "format", x->format, "rows", (json_int_t)x->rows, "filter", filter,
				  "contact_data", x->contact_data);
	int rc = fnl__tx_begin(db);
	if (rc) {
		json_decref(after);
		return rc;
	}
	return fnl__tx_end(db, fnl__audit(db, ctx, "export", "leads", "export", 0, NULL, after));
}

int fnl_export_leads(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_lead_filter *f, const char *format,
		     FILE *out, const char *path, int64_t *count)
{
	if (count)
		*count = 0;
	int rc = fnl__enter(db, ctx);
	if (rc)
		return rc;
	if (!format || (strcmp(format, "csv") && strcmp(format, "xlsx") && strcmp(format, "json")))
		return fnl__err(db, FNL_EINVAL, "format", "format: '%s' is not csv, xlsx or json", format ? format : "");
	int xlsx = strcmp(format, "xlsx") == 0;
	if (xlsx ? !path || !*path : !out)
		return fnl__err(db, FNL_EINVAL, "out", "out: no file to write the %s export to", format);
	if ((rc = fnl__lead_filter_check(db, f)))
		return rc;
	struct fnl_lead_filter all = {0};
	if (f) {
		all = *f;
		all.limit = all.offset = 0;
	}
	struct exp x = {format, xlsx ? NULL : out, NULL, NULL, fnl_db_tz(db), ctx->now, 0, 0, 0};
	if ((rc = fnl__lead_scan(db, &all, count_one, &x)))
		return rc;
	if (xlsx && x.rows > XLSX_MAX_ROWS)
		return too_many(db);
	fnl_catalog *cat = NULL;
	if (strcmp(format, "json") == 0) {
		if ((rc = fnl_catalog_load(db, &cat)))
			return fnl__err(db, rc, NULL, "cannot load the names of stages and channels");
		x.cat = cat;
	}
	if (xlsx && (rc = open_workbook(db, path, &x)))
		return rc;
	if ((rc = audit(db, ctx, &all, &x))) {
		fnl__xw_discard(x.xw);
		fnl_catalog_free(cat);
		return rc;
	}
	rc = write_leads(db, &all, &x);
	fnl_catalog_free(cat);
	if (rc)
		return rc;
	if (count)
		*count = x.written;
	return 0;
}
