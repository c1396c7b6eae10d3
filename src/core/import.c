/*
 * core/import.c - lead lists in (SPEC §3): header matching, one fnl_lead_add a row, batches,
 * resumable jobs, dry runs and strict runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/clean.h"
#include "core/lead.h"
#include "core/import_util.h"
#include "core/internal.h"
#include "funnel/export.h"
#include "funnel/import.h"
#include "io/reader.h"
#include "io/text.h"
#include "store/store.h"

/* ---- fields and the headers that name them ---- */

enum field {
	F_COMPANY, F_CONTACT, F_FIRST, F_LAST, F_TITLE, F_PHONE, F_EMAIL, F_WECHAT, F_INDUSTRY, F_SIZE,
	F_REGION, F_CHANNEL, F_SOURCE, F_CAPTURED, F_CONSENT, F_NOTES, F_OWNER, F_BUDGET, F_NEED,
	F_DECISION, F_URGENCY, F_COUNT
};

const char *const fnl_import_fields[] = {
	"company", "contact", "first_name", "last_name", "title", "phone", "email", "wechat", "industry",
	"size", "region", "channel", "source", "captured_at", "consent", "notes", "owner", "budget",
	"need", "decision", "urgency", NULL,
};

const char *const fnl_import_invalid_reasons[6] = {"test_phone", "bad_phone", "bad_email",
						   "test_name", "no_contact", "non_target_industry"};

/* Header names by field, as normalised by fnl__import_norm(): Chinese, English, and the column
 * names of the lead exports of Salesforce, HubSpot and Odoo. */
static const char *const synonyms[F_COUNT][FNL__SYNONYMS] = {
	[F_COMPANY] = {"公司", "公司名称", "企业", "企业名称", "客户", "客户名称", "客户公司", "单位", "单位名称",
		       "company", "companyname", "account", "accountname", "organization", "organisation",
		       "organizationname", "partnername", NULL},
	[F_CONTACT] = {"联系人", "联系人姓名", "姓名", "客户姓名", "名字", "contact", "contactname", "name",
		       "fullname", "leadname", NULL},
	[F_FIRST] = {"名", "firstname", "givenname", NULL},
	[F_LAST] = {"姓", "lastname", "surname", "familyname", NULL},
	[F_TITLE] = {"职位", "职务", "头衔", "岗位", "title", "jobtitle", "position", "jobposition", "function", NULL},
	[F_PHONE] = {"手机", "手机号", "手机号码", "电话", "电话号码", "联系电话", "phone", "mobile", "mobilephone",
		     "phonenumber", "tel", "telephone", "cellphone", NULL},
	[F_EMAIL] = {"邮箱", "电子邮箱", "电子邮件", "邮件", "邮箱地址", "email", "emailaddress", "mail", NULL},
	[F_WECHAT] = {"微信", "微信号", "wechat", "wechatid", "weixin", NULL},
	[F_INDUSTRY] = {"行业", "所属行业", "industry", NULL},
	[F_SIZE] = {"规模", "公司规模", "企业规模", "人数", "员工人数", "员工数", "size", "companysize",
		    "employees", "numberofemployees", "noofemployees", NULL},
	[F_REGION] = {"地区", "区域", "省份", "城市", "省市", "所在地", "所在地区", "region", "city", "state",
		      "province", "stateprovince", "location", NULL},
	[F_CHANNEL] = {"渠道", "来源渠道", "线索渠道", "获客渠道", "channel", "leadsource", "sourcechannel", NULL},
	[F_SOURCE] = {"来源", "来源明细", "活动", "活动名称", "广告系列", "关键词", "展会", "source", "sourcedetail",
		      "campaign", "campaignname", "utmcampaign", "keyword", "originalsource", NULL},
	[F_CAPTURED] = {"留资时间", "获取时间", "创建时间", "登记时间", "提交时间", "日期", "时间", "capturedat",
			"created", "createddate", "createdate", "createdon", "date", "createtime",
			"creationdate", NULL},
	[F_CONSENT] = {"授权", "同意", "隐私授权", "授权说明", "consent", NULL},
	[F_NOTES] = {"备注", "说明", "描述", "留言", "notes", "note", "description", "comments", "comment",
		     "remarks", NULL},
	[F_OWNER] = {"负责人", "销售", "销售顾问", "跟进人", "所有人", "owner", "leadowner", "contactowner",
		     "salesperson", "assignedto", NULL},
	[F_BUDGET] = {"预算", "预算b", "budget", "b", NULL},
	[F_NEED] = {"需求", "需求n", "need", "n", NULL},
	[F_DECISION] = {"决策", "决策d", "decision", "d", NULL},
	[F_URGENCY] = {"紧急度", "紧急", "紧急度u", "urgency", "u", NULL},
};

struct mapping {
	int col[F_COUNT];   /* column of each field, -1 none */
	size_t ncols;
	int csv;            /* a CSV file: its texts may carry funnel export's apostrophe */
};

static int map_header(fnl_db *db, const struct fnl_import_opts *o, const struct fnl_record *h, struct mapping *m,
		      struct fnl_import_result *r)
{
	m->ncols = h->nfields;
	int rc = fnl__import_map_header(db, fnl_import_fields, synonyms, F_COUNT, o->maps, o->nmaps, h, m->col,
					r->mapping, sizeof r->mapping, r->unknown, sizeof r->unknown);
	if (rc)
		return rc;
	if (m->col[F_COMPANY] < 0)
		return fnl__err(db, FNL_EINVAL, "company",
				"company: no column of the file is the company (give one with --map COLUMN=company)");
	if (m->col[F_CONTACT] < 0 && m->col[F_FIRST] < 0 && m->col[F_LAST] < 0)
		return fnl__err(db, FNL_EINVAL, "contact",
				"contact: no column of the file is the contact (give one with --map COLUMN=contact)");
	return 0;
}

/* ---- values ---- */

static const char *value(const struct fnl_record *rec, const struct mapping *m, int f)
{
	int c = m->col[f];
	if (c < 0 || (size_t)c >= rec->nfields)
		return NULL;
	const char *v = rec->fields[c];
	/* '=..., '+86 ...: the apostrophe that keeps Excel from reading a formula (funnel export
	 * writes it in CSV files) is not part of the value; in a workbook a cell is text as it is */
	if (m->csv && v[0] == '\'' && fnl_csv_guarded(v + 1))
		return v + 1;
	return v;
}

/* A channel value of a file: a key, a name in either language, or a common spelling. */
static const struct {
	const char *spelling, *key;
} channel_words[] = {
	{"web", "website"},           {"网站", "website"},          {"官网", "website"},
	{"webform", "website"},       {"form", "website"},          {"search", "sem"},
	{"百度", "sem"},              {"baidu", "sem"},             {"google", "sem"},
	{"搜索", "sem"},              {"socialmedia", "social"},    {"社交", "social"},
	{"tradeshow", "trade_show"},  {"exhibition", "trade_show"}, {"展会", "trade_show"},
	{"partner", "partner_referral"}, {"合作伙伴", "partner_referral"},
	{"referral", "customer_referral"}, {"customerreferral", "customer_referral"},
	{"转介绍", "customer_referral"}, {"客户推荐", "customer_referral"},
	{"seminar", "salon"},         {"event", "salon"},           {"沙龙", "salon"},
	{"advertisement", "vertical_media"}, {"媒体", "vertical_media"}, {"广告", "vertical_media"},
	{"垂直媒体", "vertical_media"}, {"行业媒体", "vertical_media"}, {"搜索引擎", "sem"},
	{"关键词", "sem"},            {"官网表单", "website"},      {"表单", "website"},
	{"线下活动", "salon"},        {"研讨会", "salon"},          {"复购", "repurchase"},
	{"其他", "other"},
};

/* The channels, loaded once an import, and the channel values of the file met so far (a list has a
 * handful of them, on every row): a row's channel is looked up in memory. */
#define CHANNEL_MEMO 64

struct channels {
	struct fnl_channel *v;
	size_t n;
	struct {
		char *value;           /* as written in the file */
		char key[FNL_KEY_LEN]; /* "" for no channel */
	} memo[CHANNEL_MEMO];
	int nmemo;
};

static int channel_lookup(const struct channels *cs, const char *v, char *key, size_t len)
{
	char want[128], have[128];
	fnl__import_norm(v, want, sizeof want);
	for (size_t i = 0; i < cs->n; i++) {
		const char *names[3] = {cs->v[i].key, cs->v[i].name_zh, cs->v[i].name_en};
		for (int k = 0; k < 3; k++) {
			fnl__import_norm(names[k], have, sizeof have);
			if (strcmp(want, have) == 0) {
				snprintf(key, len, "%s", cs->v[i].key);
				return 0;
			}
		}
	}
	for (size_t i = 0; i < sizeof channel_words / sizeof channel_words[0]; i++)
		if (strcmp(want, channel_words[i].spelling) == 0) {
			snprintf(key, len, "%s", channel_words[i].key);
			return 0;
		}
	return -1;
}

static int channel_of(struct channels *cs, const char *v, char *key, size_t len)
{
	for (int i = 0; i < cs->nmemo; i++)
		if (strcmp(cs->memo[i].value, v) == 0) {
			snprintf(key, len, "%s", cs->memo[i].key);
			return key[0] ? 0 : -1;
		}
	int rc = channel_lookup(cs, v, key, len);
	if (cs->nmemo < CHANNEL_MEMO && (cs->memo[cs->nmemo].value = strdup(v))) {
		snprintf(cs->memo[cs->nmemo].key, sizeof cs->memo[cs->nmemo].key, "%s", rc ? "" : key);
		cs->nmemo++;
	}
	return rc;
}

static void channels_free(struct channels *cs)
{
	for (int i = 0; i < cs->nmemo; i++)
		free(cs->memo[i].value);
	free(cs->v);
}

/* A capture time as files write it: 2026-11-27, 2026/11/27 10:00, 2026.11.27, 2026年11月27日 10:00:05,
 * with or without seconds and an ISO offset, into ISO 8601 for fnl_time_parse. */
static int when_of(const char *v, char *iso, size_t len)
{
	int num[6] = {0}, n = 0;
	const char *p = v;
	while (*p == ' ')
		p++;
	while (n < 6 && *p) {
		if (*p < '0' || *p > '9')
			break;
		int x = 0, digits = 0;
		while (*p >= '0' && *p <= '9' && digits < 5) {
			x = x * 10 + (*p++ - '0');
			digits++;
		}
		num[n++] = x;
		/* separators: - / . 年 月 日 T : and spaces; after the date, + and - begin an offset */
		if ((*p == '-' && n < 3) || *p == '/' || *p == '.' || *p == ':' || *p == 'T' || *p == ' ')
			p++;
		else if (!strncmp(p, "年", 3) || !strncmp(p, "月", 3) || !strncmp(p, "日", 3))
			p += 3;
		else
			break;
		while (*p == ' ')
			p++;
		if (!strncmp(p, "日", 3))
			p += 3;
		while (*p == ' ')
			p++;
	}
	if (n < 3 || num[0] < 1000)
		return -1;
	/* fractions of a second (Salesforce: 2026-11-20T02:00:00.000Z) are dropped: times are whole seconds */
	if (n == 6 && p[-1] == '.')
		while (*p >= '0' && *p <= '9')
			p++;
	const char *rest = p; /* an offset, Z, or nothing */
	if (n == 3)
		snprintf(iso, len, "%04d-%02d-%02d%s", num[0], num[1], num[2], rest);
	else
		snprintf(iso, len, "%04d-%02d-%02dT%02d:%02d:%02d%s", num[0], num[1], num[2], num[3], n > 4 ? num[4] : 0,
			 n > 5 ? num[5] : 0, rest);
	return 0;
}

static int score_of(const char *v)
{
	if (!v || strlen(v) != 1 || v[0] < '1' || v[0] > '5')
		return 0;
	return v[0] - '0';
}

/* ---- the run ---- */

struct run {
	fnl_db *db;
	const struct fnl_ctx *ctx;
	const struct fnl_import_opts *o;
	struct fnl_import_result *r;
	struct mapping m;
	struct channels ch;
	int64_t base[5]; /* the job's counts from earlier runs: created, invalid, merged, returning, rejected */
};

static void report(struct run *x, int64_t line, int outcome, const char *reason, const char *company,
		   const char *contact, int64_t lead)
{
	if (x->o->on_row && (outcome != FNL_IMPORT_CREATED || x->o->all_rows || (reason && *reason)))
		x->o->on_row(x->o->arg, line, outcome, reason ? reason : "", company ? company : "",
			     contact ? contact : "", lead);
}

static void count_invalid(struct fnl_import_result *r, const char *reason)
{
	for (int k = 0; k < 6; k++)
		if (strcmp(fnl_import_invalid_reasons[k], reason) == 0)
			r->invalid_by_reason[k]++;
}

/* A failure of the database itself (not of a row): the batch is undone, the import stops. */
static int fatal(fnl_db *db, int rc)
{
	/* a full disk or an I/O error too; and SQLite may have rolled the whole transaction back */
	return rc == FNL_EDB || rc == FNL_ENOMEM || rc == FNL_EBUSY || rc == FNL_EIO || !fnl__in_transaction(db);
}

/*
 * One data record through the capture of fnl_lead_add (and the scoring of fnl_lead_score), inside
 * the batch's transaction: the checks of a capture all come before its first write, so a refused row
 * has written nothing and needs no savepoint of its own. 0, or the code of a fatal failure.
 */
/* A record of blank fields only: a blank line (or a row of empty cells) is no row. */
static int blank_record(const struct fnl_record *rec)
{
	for (size_t k = 0; k < rec->nfields; k++)
		if (!fnl__import_blank(rec->fields[k]))
			return 0;
	return 1;
}

/* A line break in a cell, written CRLF or as a lone CR, is stored as one LF (as lead add takes it). */
static void line_breaks(const struct fnl_record *rec)
{
	for (size_t k = 0; k < rec->nfields; k++) {
		char *r = strchr(rec->fields[k], '\r'), *w = r;
		if (!r)
			continue;
		for (; *r; r++) {
			if (*r == '\r') {
				*w++ = '\n';
				if (r[1] == '\n')
					r++;
			} else {
				*w++ = *r;
			}
		}
		*w = '\0';
	}
}

static int one_row(struct run *x, const struct fnl_record *rec)
{
	const struct mapping *m = &x->m;
	struct fnl_import_result *r = x->r;
	const char *company = value(rec, m, F_COMPANY);
	/* the contact as the cell has it (lead add checks its length), or first and last names put
	 * together: 王 + 伟 -> 王伟; John + Smith -> John Smith */
	char names[2 * FNL_NAME_LEN + 2] = "", chan[FNL_KEY_LEN] = "", owner[FNL_KEY_LEN] = "", why[600] = "";
	const char *contact = value(rec, m, F_CONTACT);
	if (!contact || fnl__import_blank(contact)) {
		const char *first = value(rec, m, F_FIRST), *last = value(rec, m, F_LAST);
		first = first ? first : "";
		last = last ? last : "";
		int cjk = (*first & 0x80) || (*last & 0x80), n;
		if (cjk)
			n = snprintf(names, sizeof names, "%s%s", last, first);
		else
			n = snprintf(names, sizeof names, "%s%s%s", first, *first && *last ? " " : "", last);
		contact = names;
		if ((size_t)n >= sizeof names) {
			names[0] = '\0';
			snprintf(why, sizeof why, "contact: too long (at most %d bytes)", FNL_NAME_LEN - 1);
			goto reject;
		}
	}
	struct fnl_lead_input in = {0};
	in.company = company;
	in.contact = contact;
	in.title = value(rec, m, F_TITLE);
	in.phone = value(rec, m, F_PHONE);
	in.email = value(rec, m, F_EMAIL);
	in.wechat = value(rec, m, F_WECHAT);
	in.industry = value(rec, m, F_INDUSTRY);
	in.size = value(rec, m, F_SIZE);
	in.region = value(rec, m, F_REGION);
	in.consent = value(rec, m, F_CONSENT);
	in.notes = value(rec, m, F_NOTES);
	const char *src = value(rec, m, F_SOURCE);
	in.source = src && !fnl__import_blank(src) ? src : x->o->source;
	const char *ch = value(rec, m, F_CHANNEL);
	if (ch && !fnl__import_blank(ch)) {
		if (channel_of(&x->ch, ch, chan, sizeof chan)) {
			snprintf(why, sizeof why, "channel: no channel '%s' (see 'funnel channel list')", ch);
			goto reject;
		}
		in.channel = chan;
	} else {
		in.channel = x->o->channel;
	}
	const char *ow = value(rec, m, F_OWNER);
	if (ow && !fnl__import_blank(ow)) {
		if (fnl__import_owner_of(x->db, ow, owner, sizeof owner)) {
			snprintf(why, sizeof why, "owner: no user '%s'", ow);
			goto reject;
		}
		in.owner = owner;
	}
	const char *when = value(rec, m, F_CAPTURED);
	if (when && !fnl__import_blank(when)) {
		char iso[64];
		struct fnl_error e;
		if (when_of(when, iso, sizeof iso) || fnl_time_parse(fnl_db_tz(x->db), iso, &in.captured_at, &e)) {
			snprintf(why, sizeof why, "captured_at: '%s' is not a date and time", when);
			goto reject;
		}
		in.has_captured_at = 1;
	}
	int result = 0;
	int64_t record = 0;
	struct fnl_lead l;
	int rc = fnl__lead_add(x->db, x->ctx, &in, 0, 0, &result, &l, &record);
	if (rc) {
		if (fatal(x->db, rc))
			return rc;
		snprintf(why, sizeof why, "%s", fnl_errmsg(x->db));
		goto reject;
	}
	int outcome = result == FNL_ADD_INVALID  ? FNL_IMPORT_INVALID
		      : result == FNL_ADD_MERGED   ? FNL_IMPORT_MERGED
		      : result == FNL_ADD_RETURNING ? FNL_IMPORT_RETURNING
						    : FNL_IMPORT_CREATED;
	switch (outcome) {
	case FNL_IMPORT_INVALID:
		r->invalid++;
		count_invalid(r, l.invalid_reason);
		snprintf(why, sizeof why, "%s", l.invalid_reason);
		break;
	case FNL_IMPORT_MERGED:
		r->merged++;
		snprintf(why, sizeof why, "duplicate of lead %lld", (long long)l.id);
		break;
	case FNL_IMPORT_RETURNING:
		r->returning++;
		snprintf(why, sizeof why, "returning customer of lead %lld", (long long)l.returning_of);
		break;
	default:
		r->created++;
	}
	/* the four scores of the file, for the leads that enter the funnel */
	const char *sv[4] = {value(rec, m, F_BUDGET), value(rec, m, F_NEED), value(rec, m, F_DECISION),
			     value(rec, m, F_URGENCY)};
	if ((outcome == FNL_IMPORT_CREATED || outcome == FNL_IMPORT_RETURNING) && sv[0] && sv[1] && sv[2] && sv[3] &&
	    !(fnl__import_blank(sv[0]) && fnl__import_blank(sv[1]) && fnl__import_blank(sv[2]) &&
	      fnl__import_blank(sv[3]))) {
		static const char *const score_names[4] = {"budget", "need", "decision", "urgency"};
		int s4[4] = {score_of(sv[0]), score_of(sv[1]), score_of(sv[2]), score_of(sv[3])}, bad = 0;
		while (bad < 4 && s4[bad])
			bad++;
		if (bad < 4) {
			/* the first score that is not one, named */
			char msg[200];
			size_t n = strlen(sv[bad]);
			if (fnl__import_blank(sv[bad]))
				snprintf(msg, sizeof msg, "not scored: %s: blank, and the four scores go together",
					 score_names[bad]);
			else
				snprintf(msg, sizeof msg, "not scored: %s: '%.*s' is not a score from 1 to 5", score_names[bad],
					 (int)(n > 60 ? fnl_utf8_prefix((const unsigned char *)sv[bad], 60) : n), sv[bad]);
			fnl__import_add_text(why, sizeof why, "; ", msg);
		} else if ((rc = fnl__lead_score_loaded(x->db, x->ctx, &l, s4, NULL))) {
			if (fatal(x->db, rc))
				return rc;
			char msg[400];
			snprintf(msg, sizeof msg, "not scored: %s", fnl_errmsg(x->db));
			fnl__import_add_text(why, sizeof why, "; ", msg);
		} else {
			r->scored++;
		}
	}
	report(x, rec->line, outcome, why, company, contact, outcome == FNL_IMPORT_INVALID ? record : l.id);
	return 0;
reject:
	r->rejected++;
	report(x, rec->line, FNL_IMPORT_REJECTED, why, company, contact, 0);
	return 0;
}

const char *fnl_import_outcome_name(int outcome)
{
	switch (outcome) {
	case FNL_IMPORT_CREATED: return "created";
	case FNL_IMPORT_INVALID: return "invalid";
	case FNL_IMPORT_MERGED: return "merged";
	case FNL_IMPORT_RETURNING: return "returning";
	case FNL_IMPORT_REJECTED: return "rejected";
	case FNL_IMPORT_SKIPPED: return "skipped";
	}
	return "unknown";
}

/* ---- jobs ---- */

/* FNV-1a over the file's bytes, with its size: the same content, the same job. */
static int file_hash(fnl_db *db, const char *path, char out[48])
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return fnl__err(db, FNL_EIO, "file", "file: cannot open '%s'", path);
	uint64_t h = 14695981039346656037ull, size = 0;
	unsigned char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		for (size_t i = 0; i < n; i++)
			h = (h ^ buf[i]) * 1099511628211ull;
		size += n;
	}
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return fnl__err(db, FNL_EIO, "file", "file: cannot read '%s'", path);
	snprintf(out, 48, "%016llx-%llu", (unsigned long long)h, (unsigned long long)size);
	return 0;
}

static int job_find(fnl_db *db, const char *hash, int64_t *id, int64_t *done, int *finished, int64_t base[5])
{
	static const char sql[] = "SELECT id, records_done, finished_at IS NOT NULL, created, invalid, merged,"
				  " returned, rejected FROM import_job WHERE file_hash = ? ORDER BY id DESC LIMIT 1";
	*id = *done = 0;
	*finished = 0;
	memset(base, 0, 5 * sizeof *base);
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	fnl__bind_text(st, 1, hash);
	if (sqlite3_step(st) == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*done = sqlite3_column_int64(st, 1);
		*finished = sqlite3_column_int(st, 2);
		for (int k = 0; k < 5; k++)
			base[k] = sqlite3_column_int64(st, 3 + k);
	}
	sqlite3_reset(st);
	return 0;
}

static int job_save(struct run *x, const char *hash, int64_t records, int finished)
{
	static const char ins[] = "INSERT INTO import_job (file_hash, path, started_at, user_id) VALUES (?, ?, ?, ?)";
	static const char upd[] = "UPDATE import_job SET records_done = ?, finished_at = ?, created = ?,"
				  " invalid = ?, merged = ?, returned = ?, rejected = ? WHERE id = ?";
	fnl_db *db = x->db;
	sqlite3_stmt *st;
	int rc;
	if (!x->r->job) {
		if (!(st = fnl__stmt(db, ins)))
			return db->err.code;
		fnl__bind_text(st, 1, hash);
		fnl__bind_text(st, 2, x->o->path);
		sqlite3_bind_int64(st, 3, x->ctx->now);
		fnl__bind_int_null(st, 4, x->ctx->actor);
		if ((rc = fnl__exec_stmt(db, st, "record the import")))
			return rc;
		x->r->job = fnl__last_id(db);
	}
	if (!(st = fnl__stmt(db, upd)))
		return db->err.code;
	/* the job's totals: those of earlier runs on the file and this one's */
	const struct fnl_import_result *r = x->r;
	sqlite3_bind_int64(st, 1, records);
	fnl__bind_int_null(st, 2, finished ? x->ctx->now : 0);
	sqlite3_bind_int64(st, 3, x->base[0] + r->created);
	sqlite3_bind_int64(st, 4, x->base[1] + r->invalid);
	sqlite3_bind_int64(st, 5, x->base[2] + r->merged);
	sqlite3_bind_int64(st, 6, x->base[3] + r->returning);
	sqlite3_bind_int64(st, 7, x->base[4] + r->rejected);
	sqlite3_bind_int64(st, 8, r->job);
	return fnl__exec_stmt(db, st, "record the import");
}

/* ---- the import ---- */

static void progress(struct run *x, fnl_reader *rd);

/* The import proper, on an open file: the header, then the rows in batches. */
static int import_file(struct run *x, fnl_reader *rd, const char *hash)
{
	fnl_db *db = x->db;
	const struct fnl_import_opts *o = x->o;
	struct fnl_import_result *r = x->r;
	struct fnl_error e;
	struct fnl_record rec;
	int rc;
	/* the header: the first record that is neither broken nor blank */
	while ((rc = fnl_reader_next(rd, &rec, &e)) == FNL_READER_BROKEN || (rc == 1 && blank_record(&rec)))
		;
	if (rc != 1)
		return rc == 0 ? fnl__err(db, FNL_EINVAL, "file", "file: '%s' has no header row", o->path)
			       : fnl__err(db, rc, "file", "%s", e.message);
	if ((rc = map_header(db, o, &rec, &x->m, r)))
		return rc;
	x->m.csv = strcmp(fnl_reader_encoding(rd), "xlsx") != 0;
	int64_t job = 0, done = 0;
	int finished = 0, whole = o->dry_run || o->strict;
	if ((rc = job_find(db, hash, &job, &done, &finished, x->base)))
		return rc;
	if (finished && o->again) {
		/* asked to import a finished file again: a new job, every row anew */
		job = done = 0;
		finished = 0;
		memset(x->base, 0, sizeof x->base);
	}
	r->job = job;
	r->resumed_from = finished ? 0 : done;
	if (r->resumed_from)
		memcpy(r->earlier, x->base, sizeof r->earlier);
	int batch = o->batch > 0 ? o->batch : FNL_IMPORT_BATCH;
	int64_t records = 0, in_batch = 0;
	int read_failed = 0;
	if ((rc = fnl_db_begin(db)))
		return rc;
	if ((rc = fnl__memo_renew(db))) {
		fnl_db_rollback(db);
		return rc;
	}
	for (;;) {
		rc = fnl_reader_next(rd, &rec, &e);
		if (rc == 0)
			break;
		if (rc != 1 && rc != FNL_READER_BROKEN) {
			read_failed = 1;
			break;
		}
		records++;
		if (finished || records <= done) {
			/* done by an earlier run on the same file */
			if (rc == 1 && blank_record(&rec))
				continue;
			r->rows++;
			r->skipped++;
			report(x, rec.line, FNL_IMPORT_SKIPPED, "imported before", NULL, NULL, 0);
			continue;
		}
		if (rc == FNL_READER_BROKEN) {
			r->rows++;
			r->rejected++;
			report(x, rec.line, FNL_IMPORT_REJECTED, e.message, NULL, NULL, 0);
		} else {
			if (blank_record(&rec))
				continue; /* a blank line is no row */
			r->rows++;
			line_breaks(&rec);
			if ((rc = one_row(x, &rec)))
				break;
		}
		in_batch++;
		if ((records & 2047) == 0)
			progress(x, rd);
		if (!whole && in_batch >= batch) {
			if ((rc = fnl__memo_flush(db)) || (rc = job_save(x, hash, records, 0)) || (rc = fnl_db_commit(db)))
				break;
			in_batch = 0;
			progress(x, rd);
			if ((rc = fnl_db_begin(db)) || (rc = fnl__memo_renew(db)))
				break;
		}
	}
	if (rc != 0) {
		/* the reading failed or a batch could not be committed: what is committed stays */
		const char *why = read_failed ? e.message : fnl_errmsg(db);
		char msg[512];
		snprintf(msg, sizeof msg, "%s", why);
		fnl_db_rollback(db);
		return fnl__err(db, rc, "file", "%s", msg);
	}
	progress(x, rd);
	if (o->dry_run || (o->strict && r->rejected)) {
		fnl_db_rollback(db);
		r->undone = 1;
		r->job = 0;
		return 0;
	}
	if ((rc = fnl__memo_flush(db)) || (!finished && (rc = job_save(x, hash, records, 1)))) {
		fnl_db_rollback(db);
		return rc;
	}
	if (!finished) {
		json_t *after = json_pack("{ss sI sI sI sI sI sI}", "file", o->path, "rows", (json_int_t)r->rows, "created",
					  (json_int_t)r->created, "invalid", (json_int_t)r->invalid, "merged",
					  (json_int_t)r->merged, "returning", (json_int_t)r->returning, "rejected",
					  (json_int_t)r->rejected);
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)r->job);
		if ((rc = fnl__audit(db, x->ctx, "import", id, "import", 0, NULL, after))) {
			fnl_db_rollback(db);
			return rc;
		}
	}
	return fnl_db_commit(db);
}

static void progress(struct run *x, fnl_reader *rd)
{
	if (x->o->on_progress) {
		int64_t d, t;
		fnl_reader_progress(rd, &d, &t);
		x->o->on_progress(x->o->arg, x->r->rows, d, t);
	}
}

int fnl_import(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_import_opts *o, struct fnl_import_result *r)
{
	memset(r, 0, sizeof *r);
	int rc = fnl__enter(db, ctx);
	if (rc || (rc = fnl__require_role(db, "import leads", "admin", "manager", "sales", "marketing", NULL)))
		return rc;
	if (o->channel) {
		struct fnl_channel ch;
		if ((rc = fnl__channel_by_key(db, o->channel, "channel", &ch)))
			return rc;
	}
	char hash[48];
	if ((rc = file_hash(db, o->path, hash)))
		return rc;
	struct fnl_error e;
	fnl_reader *rd;
	if ((rc = fnl_reader_open(o->path, o->format, o->encoding, o->sheet, &rd, &e)))
		return fnl__err(db, rc, e.field[0] ? e.field : "file", "%s", e.message);
	snprintf(r->encoding, sizeof r->encoding, "%s", fnl_reader_encoding(rd));
	struct run x = {db, ctx, o, r, {{0}, 0}, {NULL, 0, {{NULL, {0}}}, 0}, {0}};
	if ((rc = fnl_channel_list(db, &x.ch.v, &x.ch.n)) == 0) {
		/* a bigger page cache for the length of the import: the lead indexes stay in memory */
		fnl__exec(db, "PRAGMA cache_size = -262144");
		if ((rc = fnl__memo_begin(db)) == 0)
			rc = import_file(&x, rd, hash);
		fnl__memo_end(db);
		fnl__exec(db, "PRAGMA cache_size = -2000");
	}
	channels_free(&x.ch);
	fnl_reader_close(rd);
	return rc;
}
