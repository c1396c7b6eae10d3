/*
 * tests/unit/test_import.c - lead lists in (funnel/import.h, SPEC §3), through the public API only.
 *
 * - The corpus of tests/data/import/ at import level: each file's counts, every row not created
 *   (line, outcome, reason) and values as stored, in the table below, which is the one of
 *   tests/data/import/README.md. A workbook made here with libxlsxwriter adds what only XLSX has:
 *   dates and phones as numbers, several sheets.
 * - Headers (Chinese, English, the lead exports of Salesforce, HubSpot and Odoo) and values
 *   (channel names and spellings, owners by name, capture times as files write them, scores).
 * - A bulk import equals adding the same rows one by one with fnl_lead_add and fnl_lead_score: two
 *   databases compared table by table, ids included (3000 generated rows, fixed seed).
 * - A re-import creates nothing, --again merges; strict and dry runs write nothing; an import
 *   killed in the middle leaves whole batches and, run again, ends as one uninterrupted import;
 *   an export imports back as the same leads; the errors.
 *
 * Databases are compared as text: every row of every table, ordered, each value typed. Where two
 * databases differ only in their record of the runs themselves, audit and import_job are left out.
 */
#include <ctype.h>
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "snapshot.h"
#include "testutil.h"
#include "workbook.h"

#include "funnel/export.h"
#include "funnel/import.h"

/* ---- files and extra databases ---- */

static const char *corpus_path(const char *name, char out[static 512])
{
	const char *dir = getenv("FUNNEL_TEST_DATA");
	assert_non_null(dir);
	snprintf(out, 512, "%s/import/%s", dir, name);
	return out;
}

static const char *path_in(const struct tenv *t, const char *name, char out[static 256])
{
	snprintf(out, 256, "%s/%s", t->dir, name);
	return out;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
}

static int64_t file_size(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return (int64_t)st.st_size;
}

/* The row lists of on_row alive, freed by the teardown when a failed check left them behind. */
struct seen_row;
static struct seen_row *alive[16];

/* The databases a test makes besides its own, removed by the teardown whatever happened. */
static struct tenv *extra[4];
static int nextra;

static struct tenv *other_db(void)
{
	void *p = NULL;
	assert_int_equal(tenv_setup(&p), 0);
	assert_true(nextra < 4);
	extra[nextra++] = p;
	return p;
}

/* Every file of dir but the database's own (tenv_teardown removes those). */
static void remove_files(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strncmp(e->d_name, "funnel.db", 9))
			continue;
		char p[512];
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
}

static int import_teardown(void **state)
{
	for (int i = 0; i < 16; i++) {
		free(alive[i]);
		alive[i] = NULL;
	}
	while (nextra > 0) {
		void *p = extra[--nextra];
		remove_files(((struct tenv *)p)->dir);
		tenv_teardown(&p);
	}
	if (*state)
		remove_files(((struct tenv *)*state)->dir);
	return tenv_teardown(state);
}

#define I_TEST(fn) cmocka_unit_test_setup_teardown(fn, tenv_setup, import_teardown)


/* The text the query returns, allocated; "(none)" for no row. */
static char *sql_text(struct tenv *t, const char *sql)
{
	int row;
	sqlite3_stmt *st = t_sql_row(t, sql, &row);
	const unsigned char *v = row ? sqlite3_column_text(st, 0) : NULL;
	char *out = strdup(v ? (const char *)v : "(none)");
	t_sql_done(st);
	return out;
}

/* ---- running an import ---- */

struct seen_row {
	int64_t line, lead;
	int outcome;
	char reason[256], company[160], contact[160];
};

struct seen {
	struct seen_row *v;
	size_t n, cap;
	int64_t progress, rows, done, total; /* on_progress: the calls, the last figures */
};

static void keep_alive(struct seen_row *old, struct seen_row *now)
{
	for (int i = 0; i < 16; i++)
		if (alive[i] == old) {
			alive[i] = now;
			return;
		}
	fail_msg("more than 16 row lists at once");
}

static void seen_row(void *arg, int64_t line, int outcome, const char *reason, const char *company,
		     const char *contact, int64_t lead)
{
	struct seen *s = arg;
	if (s->n == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		struct seen_row *v = realloc(s->v, s->cap * sizeof *s->v);
		assert_non_null(v);
		keep_alive(s->v, v);
		s->v = v;
	}
	struct seen_row *r = &s->v[s->n++];
	r->line = line;
	r->lead = lead;
	r->outcome = outcome;
	snprintf(r->reason, sizeof r->reason, "%s", reason);
	snprintf(r->company, sizeof r->company, "%s", company);
	snprintf(r->contact, sizeof r->contact, "%s", contact);
}

static void seen_progress(void *arg, int64_t rows, int64_t done, int64_t total)
{
	struct seen *s = arg;
	s->progress++;
	s->rows = rows;
	s->done = done;
	s->total = total;
}

static void seen_free(struct seen *s)
{
	if (s->v)
		keep_alive(s->v, NULL);
	free(s->v);
	memset(s, 0, sizeof *s);
}

static struct fnl_import_opts opts(const char *path, const char *channel)
{
	struct fnl_import_opts o = {0};
	o.path = path;
	o.channel = channel;
	return o;
}

/* Import with every row reported to s (which is reset). */
static int run(struct tenv *t, const struct fnl_ctx *c, struct fnl_import_opts *o, struct fnl_import_result *r,
	       struct seen *s)
{
	seen_free(s);
	o->all_rows = 1;
	o->on_row = seen_row;
	o->on_progress = seen_progress;
	o->arg = s;
	return fnl_import(t->db, c, o, r);
}

static void expect_counts(const struct fnl_import_result *r, int64_t rows, int64_t created, int64_t invalid,
			  int64_t merged, int64_t returning, int64_t rejected, int64_t skipped)
{
	static const char fmt[] = "rows %lld created %lld invalid %lld merged %lld returning %lld rejected %lld"
				  " skipped %lld";
	char got[256], want[256];
	snprintf(got, sizeof got, fmt, (long long)r->rows, (long long)r->created, (long long)r->invalid,
		 (long long)r->merged, (long long)r->returning, (long long)r->rejected, (long long)r->skipped);
	snprintf(want, sizeof want, fmt, (long long)rows, (long long)created, (long long)invalid, (long long)merged,
		 (long long)returning, (long long)rejected, (long long)skipped);
	assert_string_equal(got, want);
}

/* "LINE OUTCOME REASON\n" of every row not created. */
static char *not_created(const struct seen *s)
{
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].outcome != FNL_IMPORT_CREATED)
			fprintf(m, "%lld %s %s\n", (long long)s->v[i].line, fnl_import_outcome_name(s->v[i].outcome),
				s->v[i].reason);
	fclose(m);
	return text;
}

static const struct seen_row *row_at(const struct seen *s, int64_t line)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].line == line)
			return &s->v[i];
	fail_msg("no row of line %lld was reported", (long long)line);
	return NULL;
}

/* A stored lead field by name. */
static const char *lead_field(const struct fnl_lead *l, const char *f)
{
	static char buf[32];
	if (!strcmp(f, "company")) return l->company;
	if (!strcmp(f, "contact")) return l->contact;
	if (!strcmp(f, "title")) return l->title;
	if (!strcmp(f, "phone")) return l->phone;
	if (!strcmp(f, "email")) return l->email;
	if (!strcmp(f, "wechat")) return l->wechat;
	if (!strcmp(f, "industry")) return l->industry;
	if (!strcmp(f, "size")) return l->size;
	if (!strcmp(f, "region")) return l->region;
	if (!strcmp(f, "channel")) return l->channel;
	if (!strcmp(f, "source")) return l->source;
	if (!strcmp(f, "consent")) return l->consent;
	if (!strcmp(f, "notes")) return l->notes;
	if (!strcmp(f, "owner")) return l->owner;
	if (!strcmp(f, "status")) return l->status;
	if (!strcmp(f, "stage")) return l->stage;
	if (!strcmp(f, "grade")) return l->grade;
	if (!strcmp(f, "invalid_reason")) return l->invalid_reason;
	if (!strcmp(f, "scores")) {
		snprintf(buf, sizeof buf, "%d%d%d%d", l->budget, l->need, l->decision, l->urgency);
		return buf;
	}
	fail_msg("no field '%s'", f);
	return NULL;
}

/* The lead a reported row made (for a merge: the lead merged into). */
static struct fnl_lead lead_of_line(struct tenv *t, const struct seen *s, int64_t line)
{
	const struct seen_row *r = row_at(s, line);
	if (!r->lead)
		fail_msg("line %lld (%s: %s) made no lead", (long long)line, fnl_import_outcome_name(r->outcome),
			 r->reason);
	return t_get(t, r->lead);
}

static void expect_field(struct tenv *t, const struct seen *s, int64_t line, const char *field, const char *want)
{
	struct fnl_lead l = lead_of_line(t, s, line);
	const char *got = lead_field(&l, field);
	if (strcmp(got, want))
		fail_msg("line %lld: %s is '%s', expected '%s'", (long long)line, field, got, want);
}

/* ---- the corpus (tests/data/import/README.md) ---- */

struct stored {
	int64_t line;
	const char *field, *value;
};

struct corpus_case {
	const char *file, *encoding;
	const char *maps[4];
	int rc;                     /* an error of the whole import: nothing is written */
	const char *field;          /* its field */
	const char *detected;       /* the encoding read */
	int64_t rows, created, invalid, rejected;
	const char *not_created;    /* "LINE OUTCOME REASON\n" of each row not created */
	const char *mapping, *unknown;
	struct stored stored[5];
};

#define NOT_GBK(n) n " rejected line " n ": bytes that are not GBK text\n"
#define NOT_UTF8 " (a GBK file? try --encoding gbk)"

static const struct corpus_case corpus[] = {
	{"quotes.csv", NULL, {0}, 0, NULL, "utf-8", 3, 0, 3, 0,
	 "2 invalid test_phone\n3 invalid bad_phone\n4 invalid no_contact\n",
	 "company=company, contact=contact, phone=phone, notes=notes", "",
	 {{2, "company", "Acme, Inc."}, {2, "notes", "said \"call me\" later"}, {2, "phone", "13800138000"},
	  {3, "company", "\"Quoted\" Co"}, {4, "notes", "\""}}},
	{"numbers-as-text.csv", NULL, {0}, FNL_EINVAL, "contact", "utf-8", 0, 0, 0, 0, "", "", "", {{0}}},
	{"numbers-as-text.csv", NULL, {"编号=contact"}, 0, NULL, "utf-8", 2, 0, 2, 0,
	 "2 invalid test_phone\n3 invalid bad_phone\n", "公司=company, 编号=contact, 手机=phone", "邮编, 金额",
	 {{2, "phone", "13800138000"}, {2, "contact", "1e5"}, {3, "phone", "0001"}, {3, "contact", "0x1F"}}},
	{"newlines-lf.csv", NULL, {0}, 0, NULL, "utf-8", 3, 0, 3, 0,
	 "2 invalid no_contact\n4 invalid no_contact\n7 invalid no_contact\n",
	 "company=company, contact=contact, notes=notes", "",
	 {{2, "notes", "first\nsecond"}, {4, "notes", "x\n\ny"}, {7, "notes", "plain"}}},
	{"newlines-crlf.csv", NULL, {0}, 0, NULL, "utf-8", 5, 0, 5, 0,
	 "2 invalid no_contact\n4 invalid no_contact\n6 invalid no_contact\n9 invalid no_contact\n"
	 "11 invalid no_contact\n",
	 "company=company, contact=contact, notes=notes", "",
	 {{2, "notes", "crlf\ninside"}, {4, "notes", "lf\ninside"}, {6, "company", "multi\nline\ncompany"},
	  {9, "notes", "cr\nonly"}}},
	{"cr-only.csv", NULL, {0}, 0, NULL, "utf-8", 3, 0, 3, 0,
	 "2 invalid no_contact\n3 invalid no_contact\n5 invalid no_contact\n", "company=company, contact=contact", "",
	 {{3, "company", "x\ny"}, {5, "contact", "E"}}},
	{"bom.csv", NULL, {0}, 0, NULL, "utf-8", 1, 0, 1, 0, "2 invalid test_phone\n",
	 "公司=company, 联系人=contact, 手机=phone", "", {{2, "company", "星辰科技"}}},
	{"nobom.csv", NULL, {0}, 0, NULL, "utf-8", 2, 1, 1, 0, "2 invalid test_phone\n",
	 "公司=company, 联系人=contact, 手机=phone", "",
	 {{3, "company", "北京, 朝阳"}, {3, "phone", "01065529988"}, {3, "status", "open"}}},
	{"gbk.csv", NULL, {0}, 0, NULL, "gbk", 4, 1, 3, 0,
	 "2 invalid test_phone\n4 invalid bad_phone\n5 invalid no_contact\n", "公司=company, 联系人=contact, 手机=phone",
	 "",
	 {{2, "company", "星辰科技"}, {3, "company", "北京,朝阳"}, {3, "phone", "01065529988"}, {4, "company", "乗億倉"},
	  {4, "contact", "说\"好\""}}},
	{"gbk.csv", "gbk", {0}, 0, NULL, "gbk", 4, 1, 3, 0,
	 "2 invalid test_phone\n4 invalid bad_phone\n5 invalid no_contact\n", "公司=company, 联系人=contact, 手机=phone",
	 "", {{3, "contact", "李娜"}, {5, "company", "学校"}}},
	{"gbk-invalid.csv", NULL, {0}, 0, NULL, "gbk", 4, 0, 2, 2,
	 "2 invalid no_contact\n" NOT_GBK("3") NOT_GBK("4") "5 invalid no_contact\n", "公司=company, 联系人=contact", "",
	 {{2, "company", "星辰"}, {5, "contact", "的"}}},
	{"empty-lines.csv", NULL, {0}, 0, NULL, "utf-8", 2, 0, 2, 0, "4 invalid no_contact\n7 invalid no_contact\n",
	 "company=company, contact=contact", "", {{4, "company", "A"}, {7, "contact", "D"}}},
	{"ragged.csv", NULL, {0}, FNL_EINVAL, "company", "utf-8", 0, 0, 0, 0, "", "", "", {{0}}},
	{"ragged.csv", NULL, {"a=company", "b=contact", "c=phone", "d=notes"}, 0, NULL, "utf-8", 8, 0, 4, 4,
	 "2 invalid no_contact\n3 rejected contact: required\n4 invalid bad_phone\n"
	 "5 rejected line 5: 5 fields, the header has 4\n6 invalid bad_phone\n"
	 "7 rejected line 7: 6 fields, the header has 4\n8 rejected line 8: 5 fields, the header has 4\n"
	 "9 invalid no_contact\n",
	 "a=company, b=contact, c=phone, d=notes", "",
	 {{2, "contact", "2"}, {4, "notes", "4"}, {6, "phone", "3"}, {9, "company", "last"}}},
	{"no-final-newline.csv", NULL, {0}, 0, NULL, "utf-8", 2, 0, 1, 1,
	 "2 rejected contact: required\n3 invalid no_contact\n", "company=company, contact=contact", "",
	 {{3, "contact", "D"}}},
	{"unterminated.csv", NULL, {0}, 0, NULL, "utf-8", 4, 0, 3, 1,
	 "2 invalid bad_phone\n4 rejected line 4: a quoted field is not closed before the end of the file\n"
	 "5 invalid bad_phone\n6 invalid bad_phone\n",
	 "company=company, contact=contact, phone=phone", "", {{2, "contact", "multi\nline"}, {6, "company", "D"}}},
	{"stray-quote.csv", NULL, {0}, 0, NULL, "utf-8", 2, 0, 2, 0, "2 invalid no_contact\n5 invalid no_contact\n",
	 "company=company, contact=contact, notes=notes", "",
	 {{2, "contact", "stray,x\nB,b,plain\nC,c,closing\""}, {5, "notes", "ok"}}},
	{"invalid-utf8.csv", NULL, {0}, 0, NULL, "gbk", 8, 0, 6, 2,
	 "2 invalid no_contact\n" NOT_GBK("3") "4 invalid no_contact\n6 invalid no_contact\n" NOT_GBK("7")
	 "8 invalid no_contact\n9 invalid no_contact\n10 invalid no_contact\n",
	 "company=company, contact=contact", "", {{10, "company", "ok"}}},
	{"invalid-utf8.csv", "utf-8", {0}, 0, NULL, "utf-8", 8, 0, 2, 6,
	 "2 invalid no_contact\n3 rejected line 3: bytes that are not UTF-8 text" NOT_UTF8
	 "\n4 rejected line 4: bytes that are not UTF-8 text on line 5" NOT_UTF8
	 "\n6 rejected line 6: bytes that are not UTF-8 text" NOT_UTF8
	 "\n7 rejected line 7: bytes that are not UTF-8 text" NOT_UTF8
	 "\n8 rejected line 8: bytes that are not UTF-8 text" NOT_UTF8
	 "\n9 rejected line 9: bytes that are not UTF-8 text" NOT_UTF8 "\n10 invalid no_contact\n",
	 "company=company, contact=contact", "", {{2, "company", "星辰"}, {2, "contact", "王伟"}}},
	{"after-quote.csv", NULL, {0}, 0, NULL, "utf-8", 4, 0, 4, 0,
	 "2 invalid no_contact\n3 invalid no_contact\n4 invalid no_contact\n5 invalid no_contact\n",
	 "company=company, contact=contact", "",
	 {{2, "company", "abcdef"}, {3, "company", "a\"bc\"d"}, {4, "company", "\"sp\""},
	  {5, "company", "5\" screen"}}},
	{"nul.csv", NULL, {0}, 0, NULL, "utf-8", 3, 0, 1, 2,
	 "2 rejected line 2: a NUL byte, which is not text\n3 rejected line 3: a NUL byte, which is not text\n"
	 "4 invalid no_contact\n",
	 "company=company, contact=contact", "", {{4, "company", "ok"}}},
	{"utf16.csv", NULL, {0}, FNL_EINVAL, "encoding", "", 0, 0, 0, 0, "", "", "", {{0}}},
};

static const struct corpus_case *current_case;

static int corpus_setup(void **state)
{
	current_case = *state;
	return tenv_setup(state);
}

/* Each file imported into a fresh database with --channel website, by a sales consultant. */
static void test_corpus(void **state)
{
	struct tenv *t = *state;
	const struct corpus_case *k = current_case;
	t_user(t, "li", "sales", NULL);
	char path[512];
	struct fnl_import_opts o = opts(corpus_path(k->file, path), "website");
	o.encoding = k->encoding;
	size_t nmaps = 0;
	while (nmaps < 4 && k->maps[nmaps])
		nmaps++;
	o.maps = k->maps;
	o.nmaps = nmaps;
	struct fnl_import_result r;
	struct seen s = {0};
	struct fnl_ctx c = t_admin(t, T_NOW);
	char *before = dump_db(t->path, 1);
	int rc = run(t, &c, &o, &r, &s);
	if (k->rc) {
		T_RC(t, rc, k->rc);
		assert_string_equal(fnl_errfield(t->db), k->field);
		assert_int_equal(s.n, 0);
		assert_same_db("after a refused import", before, dump_db(t->path, 1));
		return;
	}
	free(before);
	T_OK(t, rc);
	assert_string_equal(r.encoding, k->detected);
	expect_counts(&r, k->rows, k->created, k->invalid, 0, 0, k->rejected, 0);
	assert_string_equal(r.mapping, k->mapping);
	assert_string_equal(r.unknown, k->unknown);
	assert_int_equal(r.undone, 0);
	assert_true(r.job > 0);
	assert_int_equal((int64_t)s.n, k->rows);
	char *nc = not_created(&s);
	if (strcmp(nc, k->not_created)) {
		print_error("rows not created:\n%s\nexpected:\n%s\n", nc, k->not_created);
		free(nc);
		fail();
	}
	free(nc);
	/* a record for every row that is not rejected; the invalid ones with their reason */
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM lead"), k->created + k->invalid);
	for (size_t i = 0; i < s.n; i++)
		if (s.v[i].outcome == FNL_IMPORT_INVALID) {
			struct fnl_lead l = t_get(t, s.v[i].lead);
			assert_string_equal(l.status, "invalid");
			assert_string_equal(l.invalid_reason, s.v[i].reason);
			assert_string_equal(l.channel, "website");
		}
	for (size_t i = 0; i < sizeof k->stored / sizeof k->stored[0] && k->stored[i].line; i++)
		expect_field(t, &s, k->stored[i].line, k->stored[i].field, k->stored[i].value);
	/* progress ends with the whole file read */
	assert_true(s.progress >= 1);
	assert_int_equal(s.rows, r.rows);
	assert_int_equal(s.total, file_size(path));
	assert_int_equal(s.done, s.total);
	seen_free(&s);
}

/* ---- a workbook: dates and phones as numbers, sheets ---- */

static void write_workbook(const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *about = workbook_add_worksheet(wb, "说明");
	worksheet_write_string(about, 0, 0, "2026 上海展会名单, 第二张表", NULL);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "名单");
	lxw_format *datetime = t_numfmt(wb, "yyyy-mm-dd hh:mm");
	lxw_format *date = t_numfmt(wb, "yyyy-mm-dd");
	lxw_format *builtin14 = workbook_add_format(wb);
	format_set_num_format_index(builtin14, 14);
	lxw_format *seconds = t_numfmt(wb, "yyyy\"年\"m\"月\"d\"日\" hh:mm:ss");
	const char *head[] = {"公司", "姓", "名", "手机", "邮箱", "留资时间", "渠道", "备注", "规模",
			      "预算", "需求", "决策", "紧急度"};
	for (int c = 0; c < 13; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
	/* row 2: the phone and the size as numbers, a date with a time, a line break, the four scores */
	worksheet_write_string(ws, 1, 0, "上海星河科技有限公司", NULL);
	worksheet_write_string(ws, 1, 1, "王", NULL);
	worksheet_write_string(ws, 1, 2, "伟", NULL);
	worksheet_write_number(ws, 1, 3, 13952000017.0, NULL);
	lxw_datetime d2 = {2026, 11, 20, 9, 30, 0};
	worksheet_write_datetime(ws, 1, 5, &d2, datetime);
	worksheet_write_string(ws, 1, 6, "行业展会", NULL);
	worksheet_write_string(ws, 1, 7, "第一行\n第二行", NULL);
	worksheet_write_number(ws, 1, 8, 200, NULL);
	const double sc[4] = {4, 4, 4, 3};
	for (int c = 0; c < 4; c++)
		worksheet_write_number(ws, 1, (lxw_col_t)(9 + c), sc[c], NULL);
	/* row 3: the phone as text, a date alone */
	worksheet_write_string(ws, 2, 0, "北京甲乙信息技术有限公司", NULL);
	worksheet_write_string(ws, 2, 1, "李", NULL);
	worksheet_write_string(ws, 2, 2, "娜", NULL);
	worksheet_write_string(ws, 2, 3, "13952000018", NULL);
	worksheet_write_string(ws, 2, 4, "lina@jiayi.cn", NULL);
	lxw_datetime d3 = {2026, 11, 21, 0, 0, 0};
	worksheet_write_datetime(ws, 2, 5, &d3, date);
	worksheet_write_string(ws, 2, 6, "展会", NULL);
	worksheet_write_string(ws, 2, 8, "50-99", NULL);
	/* row 4: a test number, as a number */
	worksheet_write_string(ws, 3, 0, "杭州丁公司", NULL);
	worksheet_write_string(ws, 3, 1, "赵", NULL);
	worksheet_write_string(ws, 3, 2, "六", NULL);
	worksheet_write_number(ws, 3, 3, 13912345678.0, NULL);
	worksheet_write_string(ws, 3, 6, "Trade Show", NULL);
	/* row 5 is blank; row 6: Latin names, a serial date in the built-in format 14 */
	worksheet_write_string(ws, 5, 0, "Acme Ltd.", NULL);
	worksheet_write_string(ws, 5, 1, "Smith", NULL);
	worksheet_write_string(ws, 5, 2, "John", NULL);
	worksheet_write_string(ws, 5, 4, "john@acme.example", NULL);
	worksheet_write_number(ws, 5, 5, 46351, builtin14);
	worksheet_write_string(ws, 5, 6, "trade_show", NULL);
	/* row 7: a time with seconds in a Chinese format, no channel (the default's) */
	worksheet_write_string(ws, 6, 0, "广州戊公司", NULL);
	worksheet_write_string(ws, 6, 1, "钱", NULL);
	worksheet_write_string(ws, 6, 2, "七", NULL);
	worksheet_write_number(ws, 6, 3, 13952000019.0, NULL);
	lxw_datetime d7 = {2026, 11, 26, 14, 5, 30};
	worksheet_write_datetime(ws, 6, 5, &d7, seconds);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static void test_xlsx_list(void **state)
{
	struct tenv *t = *state;
	t_user(t, "li", "sales", NULL);
	char path[256];
	write_workbook(path_in(t, "list.xlsx", path));
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_import_result r;
	struct seen s = {0};

	/* the first sheet is a note, not a list */
	struct fnl_import_opts o = opts(path, NULL);
	T_RC(t, run(t, &c, &o, &r, &s), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "company");
	o.sheet = "名单单";
	T_RC(t, run(t, &c, &o, &r, &s), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "sheet");
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM lead"), 0);

	o.sheet = "名单";
	o.channel = "website";
	T_OK(t, run(t, &c, &o, &r, &s));
	assert_string_equal(r.encoding, "xlsx");
	expect_counts(&r, 5, 4, 1, 0, 0, 0, 0);
	assert_int_equal(r.scored, 1);
	assert_int_equal(r.invalid_by_reason[0], 1); /* test_phone */
	assert_string_equal(r.mapping, "公司=company, 名=first_name, 姓=last_name, 手机=phone, 邮箱=email, 规模=size, "
				       "渠道=channel, 留资时间=captured_at, 备注=notes, 预算=budget, 需求=need, "
				       "决策=decision, 紧急度=urgency");
	char *nc = not_created(&s);
	assert_string_equal(nc, "4 invalid test_phone\n");
	free(nc);

	/* numbers as Excel stores them, read back as text: the phone whole, not 1.3952E+10 */
	expect_field(t, &s, 2, "phone", "13952000017");
	expect_field(t, &s, 2, "contact", "王伟");
	expect_field(t, &s, 2, "size", "200");
	expect_field(t, &s, 2, "notes", "第一行\n第二行");
	expect_field(t, &s, 2, "channel", "trade_show");
	expect_field(t, &s, 2, "grade", "A");
	expect_field(t, &s, 2, "stage", "qualify");
	expect_field(t, &s, 3, "phone", "13952000018");
	expect_field(t, &s, 3, "size", "50-99");
	expect_field(t, &s, 4, "phone", "13912345678");
	expect_field(t, &s, 6, "contact", "John Smith");
	expect_field(t, &s, 7, "phone", "13952000019");
	expect_field(t, &s, 7, "channel", "website");
	expect_field(t, &s, 6, "channel", "trade_show");
	/* Excel's dates are wall-clock times: read in the installation's zone, Asia/Shanghai */
	assert_int_equal(lead_of_line(t, &s, 2).captured_at, t_time(t, "2026-11-20T09:30:00+08:00"));
	assert_int_equal(lead_of_line(t, &s, 3).captured_at, t_time(t, "2026-11-21T00:00:00+08:00"));
	assert_int_equal(lead_of_line(t, &s, 6).captured_at, t_time(t, "2026-11-25T00:00:00+08:00"));
	assert_int_equal(lead_of_line(t, &s, 7).captured_at, t_time(t, "2026-11-26T14:05:30+08:00"));
	assert_int_equal(lead_of_line(t, &s, 4).captured_at, T_NOW);
	/* progress of a workbook counts the sheet's bytes, to the end */
	assert_true(s.total > 0);
	assert_int_equal(s.done, s.total);
	seen_free(&s);
}

/* ---- headers: Chinese, English, Salesforce, HubSpot, Odoo ---- */

struct header_case {
	const char *name, *csv, *mapping, *unknown;
	struct {
		const char *field, *value;
	} want[8];
};

static const struct header_case headers[] = {
	{"chinese",
	 "公司名称,联系人姓名,职务,手机号码,电子邮箱,微信号,所属行业,员工人数,所在地区,来源渠道,活动名称,留资时间,"
	 "隐私授权,备注,跟进人,预算,需求,决策,紧急度\n"
	 "上海某某科技有限公司,李明,总经理,138-0013-8001,liming@example.cn,liming_sh,制造业,100-499,上海,"
	 "搜索引擎关键词,百度 关键词,2026/11/20 09:15,已授权,\"说\"\"下周联系\"\"\",李娜,4,4,4,3\n",
	 "公司名称=company, 联系人姓名=contact, 职务=title, 手机号码=phone, 电子邮箱=email, 微信号=wechat, "
	 "所属行业=industry, 员工人数=size, 所在地区=region, 来源渠道=channel, 活动名称=source, "
	 "留资时间=captured_at, 隐私授权=consent, 备注=notes, 跟进人=owner, 预算=budget, 需求=need, 决策=decision, "
	 "紧急度=urgency",
	 "",
	 {{"phone", "13800138001"}, {"channel", "sem"}, {"source", "百度 关键词"}, {"owner", "li"},
	  {"notes", "说\"下周联系\""}, {"scores", "4443"}, {"consent", "已授权"}, {"region", "上海"}}},
	{"english",
	 "Company,Contact,Job Title,Mobile,E-mail,WeChat ID,Industry,Company Size,City,Channel,Campaign,Date,"
	 "Consent,Notes,Owner,B,N,D,U\n"
	 "Acme Ltd.,Ann Lee,CTO,+86 139 5200 0002,ann@acme.example,annlee,Software,50,Shanghai,Website,"
	 "White paper,2026-11-20,yes,met at the show,li,5,4,3,2\n",
	 "Company=company, Contact=contact, Job Title=title, Mobile=phone, E-mail=email, WeChat ID=wechat, "
	 "Industry=industry, Company Size=size, City=region, Channel=channel, Campaign=source, Date=captured_at, "
	 "Consent=consent, Notes=notes, Owner=owner, B=budget, N=need, D=decision, U=urgency",
	 "",
	 {{"phone", "13952000002"}, {"channel", "website"}, {"title", "CTO"}, {"wechat", "annlee"},
	  {"scores", "5432"}, {"size", "50"}}},
	/* Salesforce's data export (API names) */
	{"salesforce",
	 "Id,FirstName,LastName,Title,Company,Phone,MobilePhone,Email,LeadSource,Industry,NumberOfEmployees,State,City,"
	 "OwnerId,CreatedDate,Description,Status\n"
	 "00Q5g00000AbCdE,John,Smith,VP Sales,Initech Co.,+86 21 6123 4567,13952000003,john@initech.example,"
	 "Partner,Finance,120,Shanghai,Pudong,0055g000001XyZ,2026-11-20T02:00:00Z,\"Asked for a demo, soon\","
	 "Open - Not Contacted\n",
	 "Company=company, FirstName=first_name, LastName=last_name, Title=title, Phone=phone, Email=email, "
	 "Industry=industry, NumberOfEmployees=size, State=region, LeadSource=channel, CreatedDate=captured_at, "
	 "Description=notes",
	 "Id, MobilePhone, City, OwnerId, Status",
	 {{"contact", "John Smith"}, {"phone", "02161234567"}, {"channel", "partner_referral"}, {"region", "Shanghai"},
	  {"notes", "Asked for a demo, soon"}, {"size", "120"}}},
	/* HubSpot's contact export */
	{"hubspot",
	 "Record ID,First Name,Last Name,Email,Phone Number,Company Name,Job Title,City,Contact owner,Create Date,"
	 "Original Source,Lifecycle Stage,Number of Employees\n"
	 "501,Mei,Chen,mei@globex.example,13952000004,Globex,Buyer,Hangzhou,李娜,2026-11-21 14:30,Organic Search,"
	 "Lead,10\n",
	 "Company Name=company, First Name=first_name, Last Name=last_name, Job Title=title, Phone Number=phone, "
	 "Email=email, Number of Employees=size, City=region, Original Source=source, Create Date=captured_at, "
	 "Contact owner=owner",
	 "Record ID, Lifecycle Stage",
	 {{"contact", "Mei Chen"}, {"owner", "li"}, {"source", "Organic Search"}, {"channel", "trade_show"}}},
	/* Odoo's CRM lead export */
	{"odoo",
	 "Opportunity,Company Name,Contact Name,Email,Phone,Mobile,Salesperson,Sales Team,Source,Campaign,"
	 "Created on,Job Position,City,Notes\n"
	 "Website inquiry,Umbrella Inc.,Alice Wong,alice@umbrella.example,13952000005,13952000006,li,Europe,"
	 "Search engine,Autumn,2026-11-22 08:00:00,CIO,Suzhou,call back\n",
	 "Company Name=company, Contact Name=contact, Job Position=title, Phone=phone, Email=email, City=region, "
	 "Source=source, Created on=captured_at, Notes=notes, Salesperson=owner",
	 "Opportunity, Mobile, Sales Team, Campaign",
	 {{"contact", "Alice Wong"}, {"title", "CIO"}, {"source", "Search engine"}, {"region", "Suzhou"},
	  {"phone", "13952000005"}}},
	/* 姓 and 名: the family name first, without a space */
	{"family name, given name",
	 "单位名称,姓,名,手机,展会\n北京甲乙,王,芳,13952000007,2026 北京展\n",
	 "单位名称=company, 名=first_name, 姓=last_name, 手机=phone, 展会=source", "",
	 {{"contact", "王芳"}, {"source", "2026 北京展"}, {"company", "北京甲乙"}}},
};

static void test_headers(void **state)
{
	struct tenv *t = *state;
	struct fnl_ctx a = t_admin(t, T_NOW - 20 * T_DAY);
	struct fnl_user u;
	T_OK(t, fnl_user_add(t->db, &a, "li", "李娜", "sales", NULL, &u));
	struct fnl_ctx c = t_admin(t, T_NOW);
	for (size_t i = 0; i < sizeof headers / sizeof headers[0]; i++) {
		const struct header_case *h = &headers[i];
		char path[256], name[32];
		snprintf(name, sizeof name, "h%zu.csv", i);
		write_file(path_in(t, name, path), h->csv);
		struct fnl_import_opts o = opts(path, "trade_show");
		struct fnl_import_result r;
		struct seen s = {0};
		T_OK(t, run(t, &c, &o, &r, &s));
		if (strcmp(r.mapping, h->mapping) || strcmp(r.unknown, h->unknown))
			fail_msg("%s: mapping '%s', unknown '%s'; expected '%s', '%s'", h->name, r.mapping, r.unknown,
				 h->mapping, h->unknown);
		if (r.created != 1)
			fail_msg("%s: %lld created (%s)", h->name, (long long)r.created, s.n ? s.v[0].reason : "");
		for (int k = 0; k < 8 && h->want[k].field; k++) {
			struct fnl_lead l = lead_of_line(t, &s, 2);
			if (strcmp(lead_field(&l, h->want[k].field), h->want[k].value))
				fail_msg("%s: %s is '%s', expected '%s'", h->name, h->want[k].field,
					 lead_field(&l, h->want[k].field), h->want[k].value);
		}
		seen_free(&s);
	}
	/* the capture times of the exports, in Asia/Shanghai unless they carry an offset */
	assert_int_equal(t_sql_int(t, "SELECT captured_at FROM lead WHERE company = 'Initech Co.'"),
			 t_time(t, "2026-11-20T10:00:00+08:00"));
	assert_int_equal(t_sql_int(t, "SELECT captured_at FROM lead WHERE company = 'Globex'"),
			 t_time(t, "2026-11-21T14:30:00+08:00"));
	assert_int_equal(t_sql_int(t, "SELECT captured_at FROM lead WHERE company = 'Umbrella Inc.'"),
			 t_time(t, "2026-11-22T08:00:00+08:00"));
}

/* Salesforce writes CreatedDate with milliseconds: still an ISO 8601 time. */
static void test_salesforce_created_date(void **state)
{
	struct tenv *t = *state;
	t_user(t, "li", "sales", NULL);
	char path[256];
	write_file(path_in(t, "sf.csv", path), "Company,LastName,Email,CreatedDate\n"
					      "Initech Co.,Smith,john@initech.example,2026-11-20T02:00:00.000Z\n");
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_import_opts o = opts(path, "website");
	struct fnl_import_result r;
	struct seen s = {0};
	T_OK(t, run(t, &c, &o, &r, &s));
	if (r.created != 1)
		fail_msg("not created: %s", s.n ? s.v[0].reason : "");
	assert_int_equal(lead_of_line(t, &s, 2).captured_at, t_time(t, "2026-11-20T10:00:00+08:00"));
	seen_free(&s);
}

/* ---- values: channels, owners, capture times, scores, defaults ---- */

static void test_values(void **state)
{
	struct tenv *t = *state;
	struct fnl_ctx a = t_admin(t, T_NOW - 20 * T_DAY);
	struct fnl_user u;
	T_OK(t, fnl_user_add(t->db, &a, "li", "李娜", "sales", NULL, &u));
	T_OK(t, fnl_user_add(t->db, &a, "wang1", "王强", "sales", NULL, &u));
	T_OK(t, fnl_user_add(t->db, &a, "wang2", "王强", "sales", NULL, &u));
	T_OK(t, fnl_user_add(t->db, &a, "mk", "赵敏", "marketing", NULL, &u));
	char path[256];
	write_file(path_in(t, "values.csv", path),
		   "公司,联系人,手机,渠道,负责人,留资时间,来源,预算,需求,决策,紧急度\n"
		   "甲1,张三,13952000101,行业展会,李娜,2026/11/20 10:00,,4,4,4,3\n"      /* 2 */
		   "甲2,张三,13952000102,Trade Show,li,2026.11.20,,,,,\n"                 /* 3 */
		   "甲3,张三,13952000103,百度,,2026年11月20日 10:05,关键词 CRM,5,,5,5\n"  /* 4 */
		   "甲4,张三,13952000104,官网留资,,2026-11-20T10:00:00+09:00,,6,1,1,1\n"   /* 5 */
		   "甲5,张三,13952000105,SEMINAR,,2026-11-20 10:00:07,,,,,\n"             /* 6 */
		   "甲6,张三,13952000106,电视,,,,,,,\n"                                   /* 7 */
		   "甲7,张三,13952000107,,王强,,,,,,\n"                                   /* 8 */
		   "甲8,张三,13952000108,,nobody,,,,,,\n"                                 /* 9 */
		   "甲9,张三,13952000109,,,20/11/2026,,,,,\n"                             /* 10 */
		   "甲10,张三,13952000110,,,2026-12-01,,,,,\n"                            /* 11 */
		   "甲11,张三,13952000111,,,,,1,1,1,1\n"                                  /* 12 */
		   ",,,,,,,,,,\n"                                                         /* 13: blank */
		   "甲12,张三,13952000112,展会,,,,,,,\n");                                /* 14 */
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_import_opts o = opts(path, "website");
	o.source = "2026 秋季名单";
	struct fnl_import_result r;
	struct seen s = {0};
	T_OK(t, run(t, &c, &o, &r, &s));
	expect_counts(&r, 12, 7, 0, 0, 0, 5, 0);
	assert_int_equal(r.scored, 2);
	char *nc = not_created(&s);
	assert_string_equal(nc, "7 rejected channel: no channel '电视' (see 'funnel channel list')\n"
				"8 rejected owner: no user '王强'\n"
				"9 rejected owner: no user 'nobody'\n"
				"10 rejected captured_at: '20/11/2026' is not a date and time\n"
				"11 rejected captured-at: '2026-12-01T00:00:00+08:00' is in the future\n");
	free(nc);
	/* created rows that were not scored say why */
	assert_string_equal(row_at(&s, 4)->reason, "not scored: need: blank, and the four scores go together");
	assert_string_equal(row_at(&s, 5)->reason, "not scored: budget: '6' is not a score from 1 to 5");
	assert_string_equal(row_at(&s, 3)->reason, "");
	expect_field(t, &s, 2, "channel", "trade_show");
	expect_field(t, &s, 2, "owner", "li");
	expect_field(t, &s, 2, "scores", "4443");
	expect_field(t, &s, 2, "source", "2026 秋季名单");
	expect_field(t, &s, 3, "channel", "trade_show");
	expect_field(t, &s, 3, "owner", "li");
	expect_field(t, &s, 3, "scores", "0000");
	expect_field(t, &s, 4, "channel", "sem");
	expect_field(t, &s, 4, "source", "关键词 CRM");
	expect_field(t, &s, 4, "scores", "0000");
	expect_field(t, &s, 5, "channel", "website");
	expect_field(t, &s, 6, "channel", "salon");
	expect_field(t, &s, 12, "channel", "website");
	expect_field(t, &s, 12, "grade", "C");
	expect_field(t, &s, 12, "status", "nurture");
	expect_field(t, &s, 14, "channel", "trade_show");
	assert_int_equal(lead_of_line(t, &s, 2).captured_at, t_time(t, "2026-11-20T10:00:00+08:00"));
	assert_int_equal(lead_of_line(t, &s, 3).captured_at, t_time(t, "2026-11-20T00:00:00+08:00"));
	assert_int_equal(lead_of_line(t, &s, 4).captured_at, t_time(t, "2026-11-20T10:05:00+08:00"));
	assert_int_equal(lead_of_line(t, &s, 5).captured_at, t_time(t, "2026-11-20T09:00:00+08:00"));
	assert_int_equal(lead_of_line(t, &s, 6).captured_at, t_time(t, "2026-11-20T10:00:07+08:00"));
	assert_int_equal(lead_of_line(t, &s, 12).captured_at, T_NOW);
	seen_free(&s);
}

/* Long contacts are checked as lead add checks them, whole; capture times with negative offsets and
 * fractions of a second. */
static void test_long_values_and_offsets(void **state)
{
	struct tenv *t = *state;
	t_user(t, "li", "sales", NULL);
	char w43[200] = "", l42[200] = "   ", xing[100] = "", ming[100] = "";
	for (int i = 0; i < 43; i++)
		strcat(w43, "王"); /* 129 bytes: one too many */
	for (int i = 0; i < 42; i++)
		strcat(l42, "李");
	strcat(l42, "x"); /* 127 bytes once the spaces are trimmed */
	for (int i = 0; i < 22; i++) {
		strcat(xing, "欧");
		strcat(ming, "阳");
	}
	char text[2048], path[256];
	snprintf(text, sizeof text,
		 "公司,联系人,姓,名,手机,留资时间\n"
		 "甲,%s,,,13952000601,\n"                            /* 2 */
		 "乙,%s,,,13952000602,\n"                            /* 3 */
		 "丙,,%s,%s,13952000603,\n"                          /* 4: 132 bytes together */
		 "丁,张三,,,13952000604,2026-11-20T02:00:00-05:00\n" /* 5 */
		 "戊,张三,,,13952000605,2026-11-20T02:00-05:00\n"    /* 6 */
		 "己,张三,,,13952000606,2026-11-20T02:00:00.250Z\n", /* 7 */
		 w43, l42, xing, ming);
	write_file(path_in(t, "long.csv", path), text);
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_import_opts o = opts(path, "website");
	struct fnl_import_result r;
	struct seen s = {0};
	T_OK(t, run(t, &c, &o, &r, &s));
	expect_counts(&r, 6, 4, 0, 0, 0, 2, 0);
	char *nc = not_created(&s);
	assert_string_equal(nc, "2 rejected contact: too long (at most 128 bytes)\n"
				"4 rejected contact: too long (at most 128 bytes)\n");
	free(nc);
	expect_field(t, &s, 3, "contact", l42 + 3);
	assert_int_equal(lead_of_line(t, &s, 5).captured_at, t_time(t, "2026-11-20T15:00:00+08:00"));
	assert_int_equal(lead_of_line(t, &s, 6).captured_at, t_time(t, "2026-11-20T15:00:00+08:00"));
	assert_int_equal(lead_of_line(t, &s, 7).captured_at, t_time(t, "2026-11-20T10:00:00+08:00"));
	seen_free(&s);
}

/* Marketing may import a list but not score its leads: they are created, and the row says so. */
static void test_marketing_scores(void **state)
{
	struct tenv *t = *state;
	t_user(t, "li", "sales", NULL);
	int64_t mk = t_user(t, "mk", "marketing", NULL);
	char path[256];
	write_file(path_in(t, "mk.csv", path), "公司,联系人,手机,预算,需求,决策,紧急度\n甲,张三,13952000201,4,4,4,3\n");
	struct fnl_ctx c = tctx(T_NOW, mk);
	struct fnl_import_opts o = opts(path, "trade_show");
	struct fnl_import_result r;
	struct seen s = {0};
	T_OK(t, run(t, &c, &o, &r, &s));
	expect_counts(&r, 1, 1, 0, 0, 0, 0, 0);
	assert_int_equal(r.scored, 0);
	expect_field(t, &s, 2, "stage", "acquire");
	expect_field(t, &s, 2, "owner", "li");
	assert_string_equal(row_at(&s, 2)->reason, "not scored: user 'mk' (marketing) cannot change lead 1");
	seen_free(&s);
}

/* ---- generated lists ---- */

struct rng {
	uint64_t s;
};

static uint32_t rnd(struct rng *g)
{
	g->s = g->s * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(g->s >> 33);
}

enum { K_UNIQUE, K_INVALID, K_DUP, K_REJECT };

struct row {
	char company[96], contact[48], phone[40], email[64], wechat[24], channel[32], source[48], owner[16],
		captured[40], notes[64], score[4][4];
	char base[64];        /* the company without its legal suffix */
	const char *big;      /* a value too long for its field, in column bigk */
	int bigk;
	const char *key;      /* the channel's key, NULL when the value names none */
	int kind, scored;     /* scored: four scores of 1 to 5 */
	int when;             /* 0 no capture time, 1 a time (captured_at), -1 not a time */
	int64_t captured_at;
	int64_t line;         /* the line the record starts on in the file */
};

static const char *const COLUMNS_EN[14] = {"company", "contact", "phone", "email", "wechat", "channel", "source",
					   "owner", "captured_at", "notes", "budget", "need", "decision", "urgency"};
static const char *const COLUMNS_ZH[14] = {"公司", "联系人", "手机", "邮箱", "微信", "渠道", "来源",
					   "负责人", "留资时间", "备注", "预算", "需求", "决策", "紧急度"};

static const char *row_field(const struct row *r, int k)
{
	if (r->big && k == r->bigk)
		return r->big;
	const char *v[14] = {r->company, r->contact, r->phone,    r->email,    r->wechat,   r->channel,  r->source,
			     r->owner,   r->captured, r->notes, r->score[0], r->score[1], r->score[2], r->score[3]};
	return v[k];
}

/* The leads there before the list: open ones, lost ones and won ones, and the users. */
struct world {
	int64_t lead[12];
	char phone[12][40];
};

static void make_world(struct tenv *t, struct world *w)
{
	memset(w, 0, sizeof *w);
	struct fnl_ctx a = t_admin(t, T_NOW - 20 * T_DAY);
	struct fnl_user u;
	T_OK(t, fnl_user_add(t->db, &a, "li", "李娜", "sales", "华东一部", &u));
	T_OK(t, fnl_user_add(t->db, &a, "wang", "王强", "sales", "华东一部", &u));
	T_OK(t, fnl_user_add(t->db, &a, "chen", "陈杰", "sales", "华南部", &u));
	T_OK(t, fnl_user_add(t->db, &a, "boss", "刘经理", "manager", "华东一部", &u));
	T_OK(t, fnl_user_add(t->db, &a, "mk", "赵敏", "marketing", NULL, &u));
	T_OK(t, fnl_user_add(t->db, &a, "sh", "孙丽", "aftersales", NULL, &u));
	for (int i = 0; i < 12; i++) {
		char company[64];
		snprintf(company, sizeof company, "老客户%02d有限公司", i);
		struct fnl_lead l = t_lead(t, T_NOW - 10 * T_DAY + i * T_HOUR, company, NULL);
		w->lead[i] = l.id;
		snprintf(w->phone[i], sizeof w->phone[i], "%s", l.phone);
		struct fnl_ctx c = t_sys(T_NOW - 5 * T_DAY + i * T_HOUR);
		if (i % 4 == 1) {
			T_OK(t, fnl_lead_lose(t->db, &c, l.id, "price", "选了别家", &l));
		} else if (i % 4 == 2) {
			t_ready_for_at(t, l.id, "won", T_NOW - 4 * T_DAY);
		} else if (i % 4 == 3) {
			t_score(t, l.id, T_NOW - 9 * T_DAY, 4, 4, 4, 3);
		}
	}
}

static const char *const CHANNELS[][2] = {
	/* as the file writes it, the key */
	{"website", "website"},         {"sem", "sem"},      {"行业展会", "trade_show"}, {"社交媒体", "social"},
	{"partner_referral", "partner_referral"}, {"Seminar", "salon"}, {"展会", "trade_show"},
	{"vertical_media", "vertical_media"},
};
static const char *const NAMES[] = {"王伟", "李娜", "张敏", "刘洋", "陈静", "杨磊", "赵丽", "黄强", "John Smith", "Anna Lee"};
static const char *const PREFIX[] = {"上海", "北京", "深圳", "杭州", "成都", "苏州"};
static const char *const SUFFIX[] = {"有限公司", "科技有限公司", "股份有限公司", " Co., Ltd."};

/* A fresh phone of row i, in one of the ways files write phones. */
static void fresh_phone(struct rng *g, char *out, size_t len, const char *prefix, size_t i)
{
	unsigned n = (unsigned)i;
	switch (rnd(g) % 5) {
	case 0: snprintf(out, len, "%s-%04u-%04u", prefix, (n / 10000) % 10000 + 5300, n % 10000); break;
	case 1: snprintf(out, len, "+86 %s %04u %04u", prefix, (n / 10000) % 10000 + 5300, n % 10000); break;
	case 2: /* full-width digits */
		snprintf(out, len, "１３９%04u%04u", (n / 10000) % 10000 + 5300, n % 10000);
		break;
	default: snprintf(out, len, "%s%04u%04u", prefix, (n / 10000) % 10000 + 5300, n % 10000); break;
	}
}

/* n times 长: 3n bytes. */
static const char *long_text(int n)
{
	static char buf[3 * 1000 + 1];
	assert_true(n <= 1000);
	static int made;
	if (!made) {
		for (int i = 0; i < 1000; i++)
			memcpy(buf + 3 * i, "\xe9\x95\xbf", 3);
		made = 1;
	}
	return buf + 3 * (1000 - n);
}

/*
 * n rows from seed: about 5 % invalid (a test phone, a bad phone, a bad e-mail, a test name, no
 * contact), 10 % duplicates of earlier rows (the same phone; the same e-mail in capitals; the same
 * company with another legal suffix and the same contact) or of the world's leads (open, lost,
 * won: merges and returning customers), with rejects 2 % rejected (an unknown owner or channel, a
 * capture time that is none or in the future, no contact name, an after-sales user as owner, a
 * company, a note or a duplicate's source too long, a control character); channels in several spellings,
 * owners on a fifth, capture times on a third, the four scores on a quarter.
 */
static struct row *gen_rows(struct tenv *t, const struct world *w, size_t n, uint64_t seed, int rejects)
{
	struct rng g = {seed};
	struct row *v = calloc(n, sizeof *v);
	assert_non_null(v);
	for (size_t i = 0; i < n; i++) {
		struct row *r = &v[i];
		r->kind = K_UNIQUE;
		const char *suffix = SUFFIX[rnd(&g) % 4];
		snprintf(r->base, sizeof r->base, "%s%05zu%s", PREFIX[rnd(&g) % 6], i, rnd(&g) % 2 ? "科技" : "贸易");
		snprintf(r->company, sizeof r->company, "%s%s", r->base, suffix);
		snprintf(r->contact, sizeof r->contact, "%s", NAMES[rnd(&g) % 10]);
		uint32_t c = rnd(&g) % 10;
		if (c < 7)
			fresh_phone(&g, r->phone, sizeof r->phone, "139", i);
		if (c >= 4)
			snprintf(r->email, sizeof r->email, "user%05zu@corp%zu.example.cn", i, i % 97);
		if (c == 9)
			snprintf(r->wechat, sizeof r->wechat, "wx_%05zu", i);
		if (rnd(&g) % 5) {
			uint32_t k = rnd(&g) % 8;
			snprintf(r->channel, sizeof r->channel, "%s", CHANNELS[k][0]);
			r->key = CHANNELS[k][1];
		}
		if (rnd(&g) % 2)
			snprintf(r->source, sizeof r->source, "百度 关键词 %u", rnd(&g) % 50);
		if (rnd(&g) % 5 == 0)
			snprintf(r->owner, sizeof r->owner, "%s", (const char *[]){"li", "wang", "chen"}[rnd(&g) % 3]);
		if (rnd(&g) % 3 == 0) {
			int day = 1 + (int)(rnd(&g) % 28), hour = 8 + (int)(rnd(&g) % 10), min = (int)(rnd(&g) % 60);
			const char *fmt = (const char *[]){"2026-11-%02d %02d:%02d", "2026/11/%02d %02d:%02d",
							   "2026年11月%02d日 %02d:%02d"}[rnd(&g) % 3];
			snprintf(r->captured, sizeof r->captured, fmt, day, hour, min);
			char iso[40];
			snprintf(iso, sizeof iso, "2026-11-%02dT%02d:%02d:00+08:00", day, hour, min);
			r->when = 1;
			r->captured_at = t_time(t, iso);
		}
		uint32_t nk = rnd(&g) % 10;
		if (nk == 0)
			snprintf(r->notes, sizeof r->notes, "展位 A-%zu，说\"下周联系\", 要报价", i);
		else if (nk == 1)
			snprintf(r->notes, sizeof r->notes, "第一行\n第二行 %zu", i);
		if (rnd(&g) % 4 == 0) {
			r->scored = 1;
			for (int k = 0; k < 4; k++)
				snprintf(r->score[k], sizeof r->score[k], "%u", 1 + rnd(&g) % 5);
			if (rnd(&g) % 40 == 0) {
				snprintf(r->score[rnd(&g) % 4], sizeof r->score[0], "%s", rnd(&g) % 2 ? "6" : "");
				r->scored = 0;
			}
		}
		uint32_t k = rnd(&g) % 100;
		if (k < 5) {
			r->kind = K_INVALID;
			r->phone[0] = r->email[0] = r->wechat[0] = '\0';
			switch (k) {
			case 0: snprintf(r->phone, sizeof r->phone, "13800138000"); break;
			case 1: snprintf(r->phone, sizeof r->phone, "139520"); break;
			case 2: snprintf(r->email, sizeof r->email, "user%zu@@mail", i); break;
			case 3:
				snprintf(r->company, sizeof r->company, "测试%05zu公司", i);
				fresh_phone(&g, r->phone, sizeof r->phone, "139", i);
				break;
			default: break; /* no contact at all */
			}
		} else if (k < 12 && i >= 20) {
			const struct row copy = v[rnd(&g) % i], *e = &copy;
			if (e->kind != K_UNIQUE)
				continue;
			r->kind = K_DUP;
			r->phone[0] = r->email[0] = r->wechat[0] = '\0';
			if (k % 3 == 0 && e->phone[0]) {
				snprintf(r->phone, sizeof r->phone, "%s", e->phone);
			} else if (k % 3 == 1 && e->email[0]) {
				for (size_t j = 0; e->email[j] && j + 1 < sizeof r->email; j++)
					r->email[j] = (char)toupper((unsigned char)e->email[j]);
			} else {
				/* the same company under another legal suffix, the same contact */
				const char *other = strstr(e->company, "股份") ? "有限公司" : "股份有限公司";
				snprintf(r->company, sizeof r->company, "%s%s", e->base, other);
				snprintf(r->contact, sizeof r->contact, "%s", e->contact);
				fresh_phone(&g, r->phone, sizeof r->phone, "138", i);
			}
		} else if (k < 15) {
			/* a customer of the world: merged into an open one, returning for a won or lost one */
			r->kind = K_DUP;
			r->email[0] = r->wechat[0] = '\0';
			snprintf(r->phone, sizeof r->phone, "+86 %s", w->phone[rnd(&g) % 12]);
		} else if (k < 17 && rejects) {
			r->kind = K_REJECT;
			switch (rnd(&g) % 10) {
			case 0: snprintf(r->owner, sizeof r->owner, "nobody"); break;
			case 1:
				snprintf(r->channel, sizeof r->channel, "电视广告");
				r->key = NULL;
				break;
			case 2:
				snprintf(r->captured, sizeof r->captured, "yesterday");
				r->when = -1;
				break;
			case 3:
				snprintf(r->captured, sizeof r->captured, "2026-12-30 10:00");
				r->when = 1;
				r->captured_at = t_time(t, "2026-12-30T10:00:00+08:00");
				break;
			case 4: r->contact[0] = '\0'; break;
			case 5: snprintf(r->owner, sizeof r->owner, "sh"); break; /* after-sales: not an owner */
			case 6:
				r->big = long_text(100);
				r->bigk = 0;
				break;
			case 7:
				r->big = long_text(1000);
				r->bigk = 9;
				break;
			case 8: snprintf(r->contact, sizeof r->contact, "王\001伟"); break;
			default: /* a duplicate of the world's customer, with a source too long */
				r->email[0] = r->wechat[0] = '\0';
				snprintf(r->phone, sizeof r->phone, "%s", w->phone[rnd(&g) % 12]);
				r->big = long_text(100);
				r->bigk = 6;
				break;
			}
		}
	}
	return v;
}

/* Rows [from, to) as a CSV file (every field quoted, CRLF), noting the line each record starts on. */
static void write_rows(const char *path, struct row *v, size_t from, size_t to, const char *const *columns)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	for (int k = 0; k < 14; k++)
		fprintf(f, "%s%s", k ? "," : "", columns[k]);
	fputs("\r\n", f);
	int64_t line = 2;
	for (size_t i = from; i < to; i++) {
		v[i].line = line++;
		for (int k = 0; k < 14; k++) {
			fputs(k ? ",\"" : "\"", f);
			for (const char *p = row_field(&v[i], k); *p; p++) {
				if (*p == '"')
					fputc('"', f);
				if (*p == '\n')
					line++;
				fputc(*p, f);
			}
			fputc('"', f);
		}
		fputs("\r\n", f);
	}
	assert_int_equal(fclose(f), 0);
}

/* A row added as the import adds it, by itself: the outcome, and the lead (the record when invalid). */
static int add_row(struct tenv *t, const struct fnl_ctx *c, const struct row *r, const char *channel,
		   const char *source, int64_t *lead)
{
	*lead = 0;
	if (r->when < 0 || (r->channel[0] && !r->key))
		return FNL_IMPORT_REJECTED;
	struct fnl_lead_input in = {0};
	in.company = row_field(r, 0);
	in.contact = row_field(r, 1);
	in.phone = row_field(r, 2);
	in.email = row_field(r, 3);
	in.wechat = row_field(r, 4);
	in.channel = r->channel[0] ? r->key : channel;
	in.source = *row_field(r, 6) ? row_field(r, 6) : source;
	in.owner = r->owner[0] ? r->owner : NULL;
	in.notes = row_field(r, 9);
	in.has_captured_at = r->when > 0;
	in.captured_at = r->captured_at;
	int result = 0;
	int64_t record = 0;
	struct fnl_lead l;
	if (fnl_lead_add(t->db, c, &in, &result, &l, &record))
		return FNL_IMPORT_REJECTED;
	if (r->scored && (result == FNL_ADD_CREATED || result == FNL_ADD_RETURNING))
		T_OK(t, fnl_lead_score(t->db, c, l.id, r->score[0][0] - '0', r->score[1][0] - '0', r->score[2][0] - '0',
				       r->score[3][0] - '0', &l));
	*lead = result == FNL_ADD_INVALID ? record : l.id;
	return result == FNL_ADD_INVALID	? FNL_IMPORT_INVALID
	       : result == FNL_ADD_MERGED	? FNL_IMPORT_MERGED
	       : result == FNL_ADD_RETURNING ? FNL_IMPORT_RETURNING
					     : FNL_IMPORT_CREATED;
}

#define DEFAULT_SOURCE "2026 秋季展会名单"

/* ---- bulk = one by one ---- */

static void test_bulk_equals_one_by_one(void **state)
{
	struct tenv *a = *state;
	struct tenv *b = other_db();
	struct world wa, wb;
	make_world(a, &wa);
	make_world(b, &wb);
	assert_memory_equal(&wa, &wb, sizeof wa);
	enum { N = 3000 };
	struct row *v = gen_rows(a, &wa, N, 20261127, 1);
	char path[256];
	write_rows(path_in(a, "leads.csv", path), v, 0, N, COLUMNS_EN);

	struct fnl_ctx c = t_admin(a, T_NOW);
	struct fnl_import_opts o = opts(path, "trade_show");
	o.source = DEFAULT_SOURCE;
	struct fnl_import_result r;
	struct seen s = {0};
	T_OK(a, run(a, &c, &o, &r, &s));
	assert_int_equal(r.rows, N);
	assert_int_equal((int64_t)s.n, N);

	int64_t count[7] = {0};
	for (size_t i = 0; i < N; i++) {
		int64_t lead;
		int outcome = add_row(b, &c, &v[i], "trade_show", DEFAULT_SOURCE, &lead);
		count[outcome]++;
		const struct seen_row *got = &s.v[i];
		if (got->line != v[i].line || got->outcome != outcome || got->lead != lead)
			fail_msg("row %zu: imported line %lld %s lead %lld (%s), one by one line %lld %s lead %lld", i,
				 (long long)got->line, fnl_import_outcome_name(got->outcome), (long long)got->lead,
				 got->reason, (long long)v[i].line, fnl_import_outcome_name(outcome), (long long)lead);
	}
	expect_counts(&r, N, count[FNL_IMPORT_CREATED], count[FNL_IMPORT_INVALID], count[FNL_IMPORT_MERGED],
		      count[FNL_IMPORT_RETURNING], count[FNL_IMPORT_REJECTED], 0);
	/* the list is what it is meant to be */
	assert_in_range(r.invalid, 120, 200);
	assert_in_range(r.merged, 150, 400);
	assert_in_range(r.returning, 4, 6); /* one a won or lost lead of the world */
	assert_in_range(r.rejected, 30, 100);
	assert_in_range(r.scored, 500, 800);
	int64_t by_reason = 0;
	for (int k = 0; k < 6; k++) {
		if (k < 5)
			assert_true(r.invalid_by_reason[k] > 0);
		by_reason += r.invalid_by_reason[k];
	}
	assert_int_equal(by_reason, r.invalid);

	/* table by table, ids included; only the record of the import itself differs */
	assert_same_db("import and one by one", dump_db(a->path, 0), dump_db(b->path, 0));
	seen_free(&s);
	free(v);
}

/*
 * Another program writes between two batches: it adds a lead (which moves the round-robin pointer
 * and takes a phone a later row has) and deactivates a consultant. The rest of the import sees
 * both, as adding the rows one by one around the same two writes does.
 */
struct between {
	const char *path;
	const char *phone; /* of a later row */
	int done;
};

static void other_writes(fnl_db *db, const char *phone)
{
	struct fnl_ctx a = {T_NOW, 1};
	struct fnl_lead_input in = {0};
	in.company = "插队科技有限公司";
	in.contact = "周插队";
	in.phone = phone;
	in.channel = "website";
	int result;
	int64_t record;
	struct fnl_lead l;
	if (fnl_lead_add(db, &a, &in, &result, &l, &record))
		fail_msg("the other program's lead: %s", fnl_errmsg(db));
	struct fnl_user_change ch = {NULL, NULL, NULL, 0};
	struct fnl_user u;
	if (fnl_user_edit(db, &a, "chen", &ch, &u))
		fail_msg("the other program's user edit: %s", fnl_errmsg(db));
}

static void write_between(void *arg, int64_t rows, int64_t done, int64_t total)
{
	(void)done;
	(void)total;
	struct between *b = arg;
	if (b->done || rows < 200)
		return;
	b->done = 1;
	fnl_db *db = NULL;
	struct fnl_error e;
	if (fnl_db_open(b->path, &db, &e))
		fail_msg("opening %s beside the import: %s", b->path, e.message);
	other_writes(db, b->phone);
	fnl_db_close(db);
}

static void test_other_writer_between_batches(void **state)
{
	struct tenv *a = *state;
	struct tenv *b = other_db();
	struct world wa, wb;
	make_world(a, &wa);
	make_world(b, &wb);
	enum { N = 600 };
	struct row *v = gen_rows(a, &wa, N, 20261128, 1);
	char path[256];
	write_rows(path_in(a, "leads.csv", path), v, 0, N, COLUMNS_EN);
	/* the phone of a later row that is a plain new lead */
	const char *phone = NULL;
	for (size_t i = 300; i < N && !phone; i++)
		if (!v[i].scored && v[i].when >= 0 && !v[i].channel[0] && !v[i].owner[0] && *row_field(&v[i], 2))
			phone = row_field(&v[i], 2);
	assert_non_null(phone);

	struct fnl_ctx c = t_admin(a, T_NOW);
	struct fnl_import_opts o = opts(path, "trade_show");
	o.source = DEFAULT_SOURCE;
	o.batch = 200;
	struct between bw = {a->path, phone, 0};
	o.on_progress = write_between;
	o.arg = &bw;
	struct fnl_import_result r;
	T_OK(a, fnl_import(a->db, &c, &o, &r));
	assert_int_equal(bw.done, 1);
	assert_int_equal(r.rows, N);

	for (size_t i = 0; i < N; i++) {
		if (i == 200)
			other_writes(b->db, phone);
		int64_t lead;
		add_row(b, &c, &v[i], "trade_show", DEFAULT_SOURCE, &lead);
	}
	/* chen got leads before the pause and none after it */
	assert_true(t_sql_int(a, "SELECT count(*) FROM lead l JOIN user u ON u.id = l.owner_id WHERE u.login = 'chen'")
		    > 0);
	assert_int_equal(t_sql_int(a, "SELECT count(*) FROM lead l JOIN user u ON u.id = l.owner_id"
				      " WHERE u.login = 'chen' AND l.id > (SELECT id FROM lead WHERE company = '插队科技有限公司')"),
			 0);
	assert_same_db("import with a write between batches and one by one", dump_db(a->path, 0),
		       dump_db(b->path, 0));
	free(v);
}

/* ---- a re-import creates nothing; --again merges ---- */

static int64_t counted(struct tenv *t)
{
	return t_sql_int(t, "SELECT count(*) FROM lead WHERE status IN ('open', 'nurture', 'won', 'lost')");
}

static void test_reimport(void **state)
{
	struct tenv *t = *state;
	struct world w;
	make_world(t, &w);
	enum { N = 400 };
	struct row *v = gen_rows(t, &w, N, 404, 1);
	char path[256];
	write_rows(path_in(t, "again.csv", path), v, 0, N, COLUMNS_ZH);
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_import_opts o = opts(path, "trade_show");
	struct fnl_import_result r1, r2, r3, r4;
	struct seen s = {0};
	T_OK(t, run(t, &c, &o, &r1, &s));
	assert_int_equal(r1.rows, N);
	assert_true(r1.created > 0 && r1.invalid > 0 && r1.merged > 0 && r1.returning > 0 && r1.rejected > 0);
	/* the job: the file, every record done, the counts; and one audit entry (SPEC §8) */
	char want[512];
	snprintf(want, sizeof want, "%lld %s %lld %lld %lld %lld %lld %lld %lld %lld", (long long)r1.job, path,
		 (long long)N, (long long)T_NOW, (long long)t->admin, (long long)r1.created, (long long)r1.invalid,
		 (long long)r1.merged, (long long)r1.returning, (long long)r1.rejected);
	char *job = sql_text(t, "SELECT id || ' ' || path || ' ' || records_done || ' ' || finished_at || ' ' ||"
				" user_id || ' ' || created || ' ' || invalid || ' ' || merged || ' ' || returned ||"
				" ' ' || rejected FROM import_job");
	assert_string_equal(job, want);
	free(job);
	struct fnl_audit_entry *au;
	size_t nau;
	T_OK(t, fnl_audit_list(t->db, &c, 0, 0, &au, &nau));
	assert_true(nau > 0);
	snprintf(want, sizeof want, "import/%lld/import admin", (long long)r1.job);
	char what[256];
	snprintf(what, sizeof what, "%s/%s/%s %s", au[nau - 1].entity, au[nau - 1].entity_id, au[nau - 1].action,
		 au[nau - 1].user);
	assert_string_equal(what, want);
	json_error_t je;
	json_t *after = json_loads(au[nau - 1].after, 0, &je);
	assert_non_null(after);
	char *dumped = json_dumps(after, JSON_SORT_KEYS | JSON_COMPACT);
	snprintf(want, sizeof want,
		 "{\"created\":%lld,\"file\":\"%s\",\"invalid\":%lld,\"merged\":%lld,\"rejected\":%lld,"
		 "\"returning\":%lld,\"rows\":%lld}",
		 (long long)r1.created, path, (long long)r1.invalid, (long long)r1.merged, (long long)r1.rejected,
		 (long long)r1.returning, (long long)N);
	assert_string_equal(dumped, want);
	free(dumped);
	json_decref(after);
	fnl_audit_free(au, nau);

	/* the same file again: every row skipped, nothing written */
	char *before = dump_db(t->path, 1);
	char *lead_sum = sql_text(t, "SELECT count(*) || ' ' || total(id * length(company || contact || phone || email"
				     " || status || coalesce(invalid_reason, ''))) FROM lead");
	T_OK(t, run(t, &c, &o, &r2, &s));
	expect_counts(&r2, N, 0, 0, 0, 0, 0, N);
	assert_int_equal(r2.resumed_from, 0);
	assert_int_equal(r2.job, r1.job);
	assert_int_equal((int64_t)s.n, N);
	for (size_t i = 0; i < s.n; i++) {
		assert_int_equal(s.v[i].outcome, FNL_IMPORT_SKIPPED);
		assert_int_equal(s.v[i].line, v[i].line);
		assert_int_equal(s.v[i].lead, 0);
	}
	char *lead_sum2 = sql_text(t, "SELECT count(*) || ' ' || total(id * length(company || contact || phone || email"
				      " || status || coalesce(invalid_reason, ''))) FROM lead");
	assert_string_equal(lead_sum, lead_sum2);
	free(lead_sum);
	free(lead_sum2);
	assert_same_db("after a second import of the same file", before, dump_db(t->path, 1));

	/* --again: the rows merge into the leads they made; no new lead enters the funnel */
	int64_t n_counted = counted(t), max_id = t_sql_int(t, "SELECT max(id) FROM lead");
	o.again = 1;
	T_OK(t, run(t, &c, &o, &r3, &s));
	expect_counts(&r3, N, 0, r1.invalid, r1.created + r1.merged + r1.returning, 0, r1.rejected, 0);
	assert_int_equal(r3.scored, 0);
	assert_true(r3.job > r1.job);
	assert_int_equal(counted(t), n_counted);
	for (size_t i = 0; i < s.n; i++)
		if (s.v[i].outcome == FNL_IMPORT_MERGED) {
			assert_in_range(s.v[i].lead, 1, max_id);
			struct fnl_lead l = t_get(t, s.v[i].lead);
			assert_true(!strcmp(l.status, "open") || !strcmp(l.status, "nurture"));
		}
	/* and once more without --again: the last job is done, nothing is imported */
	o.again = 0;
	before = dump_db(t->path, 1);
	T_OK(t, run(t, &c, &o, &r4, &s));
	expect_counts(&r4, N, 0, 0, 0, 0, 0, N);
	assert_int_equal(r4.job, r3.job);
	assert_same_db("after a third import of the same file", before, dump_db(t->path, 1));
	seen_free(&s);
	free(v);
}

/* The rows a re-import skips are those the first import read, on the same lines: blank lines are no
 * rows either time, and a broken record keeps its line. */
static void test_skipped_rows(void **state)
{
	struct tenv *t = *state;
	t_user(t, "li", "sales", NULL);
	char path[256];
	write_file(path_in(t, "blank.csv", path), "公司,联系人,手机\n"
						  "甲,张三,13952000501\n" /* 2 */
						  "\n"
						  "乙,李四,13952000502\n" /* 4 */
						  ",,\n"
						  "丙,王五,1,2\n"         /* 6: 4 fields */
						  "丁,赵六,13952000503\n"); /* 7 */
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_import_opts o = opts(path, "website");
	struct fnl_import_result r;
	struct seen s = {0};
	T_OK(t, run(t, &c, &o, &r, &s));
	expect_counts(&r, 4, 3, 0, 0, 0, 1, 0);
	char *nc = not_created(&s);
	assert_string_equal(nc, "6 rejected line 6: 4 fields, the header has 3\n");
	free(nc);
	T_OK(t, run(t, &c, &o, &r, &s));
	expect_counts(&r, 4, 0, 0, 0, 0, 0, 4);
	nc = not_created(&s);
	assert_string_equal(nc, "2 skipped imported before\n4 skipped imported before\n6 skipped imported before\n"
				"7 skipped imported before\n");
	free(nc);
	seen_free(&s);
}

/* ---- strict and dry runs write nothing ---- */

static void test_strict_and_dry_run(void **state)
{
	struct tenv *t = *state;
	struct world w;
	make_world(t, &w);
	enum { N = 300 };
	struct row *v = gen_rows(t, &w, N, 3003, 1);
	char path[256];
	write_rows(path_in(t, "strict.csv", path), v, 0, N, COLUMNS_EN);
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_import_opts o = opts(path, "website");
	struct fnl_import_result r, dry, real;
	struct seen s = {0}, sd = {0}, sr = {0};

	char *before = dump_db(t->path, 1);
	o.strict = 1;
	T_OK(t, run(t, &c, &o, &r, &s));
	assert_int_equal(r.undone, 1);
	assert_int_equal(r.job, 0);
	assert_true(r.rejected > 0);
	assert_true(r.created > 0);
	assert_same_db("after a strict import with rejected rows", before, dump_db(t->path, 1));

	before = dump_db(t->path, 1);
	o.strict = 0;
	o.dry_run = 1;
	T_OK(t, run(t, &c, &o, &dry, &sd));
	assert_int_equal(dry.undone, 1);
	assert_int_equal(dry.job, 0);
	assert_same_db("after a dry run", before, dump_db(t->path, 1));

	/* the dry run said what the real one does */
	o.dry_run = 0;
	T_OK(t, run(t, &c, &o, &real, &sr));
	assert_int_equal(real.undone, 0);
	assert_true(real.job > 0);
	expect_counts(&dry, real.rows, real.created, real.invalid, real.merged, real.returning, real.rejected, 0);
	assert_int_equal(dry.scored, real.scored);
	assert_memory_equal(dry.invalid_by_reason, real.invalid_by_reason, sizeof dry.invalid_by_reason);
	expect_counts(&r, real.rows, real.created, real.invalid, real.merged, real.returning, real.rejected, 0);
	assert_int_equal(sd.n, sr.n);
	for (size_t i = 0; i < sr.n; i++) {
		const struct seen_row *x = &sd.v[i], *y = &sr.v[i];
		if (x->line != y->line || x->outcome != y->outcome || x->lead != y->lead ||
		    strcmp(x->reason, y->reason))
			fail_msg("row %zu: dry run line %lld %s %lld '%s', real line %lld %s %lld '%s'", i,
				 (long long)x->line, fnl_import_outcome_name(x->outcome), (long long)x->lead, x->reason,
				 (long long)y->line, fnl_import_outcome_name(y->outcome), (long long)y->lead,
				 y->reason);
	}

	/* strict with nothing rejected imports */
	char clean[256];
	write_file(path_in(t, "clean.csv", clean), "公司,联系人,手机\n严格公司,张三,13952000301\n");
	struct fnl_import_opts o2 = opts(clean, "website");
	o2.strict = 1;
	T_OK(t, run(t, &c, &o2, &r, &s));
	assert_int_equal(r.undone, 0);
	expect_counts(&r, 1, 1, 0, 0, 0, 0, 0);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM lead WHERE company = '严格公司'"), 1);
	seen_free(&s);
	seen_free(&sd);
	seen_free(&sr);
	free(v);
}

/* ---- killed in the middle, then resumed ---- */

struct killer {
	int64_t progress;   /* progress calls seen */
	int64_t kill_line;  /* with on_row: die once this line is done (in an open batch) */
};

/* Progress comes after each committed batch (and every 2048 records): at 3000 rows, the third batch
 * of 1000 is committed and the process dies before the fourth begins. */
static void kill_on_progress(void *arg, int64_t rows, int64_t done, int64_t total)
{
	(void)done;
	(void)total;
	struct killer *k = arg;
	k->progress++;
	if (rows >= 3000)
		_exit(9);
}

static void kill_on_row(void *arg, int64_t line, int outcome, const char *reason, const char *company,
			const char *contact, int64_t lead)
{
	(void)reason;
	(void)company;
	(void)contact;
	(void)lead;
	struct killer *k = arg;
	if (outcome != FNL_IMPORT_SKIPPED && line >= k->kill_line)
		raise(SIGKILL);
}

static void count_progress(void *arg, int64_t rows, int64_t done, int64_t total)
{
	(void)rows;
	(void)done;
	(void)total;
	((struct killer *)arg)->progress++;
}

/* Import path into t's database in a child process that dies as k says; returns its wait status. */
static int import_killed(struct tenv *t, const struct fnl_ctx *c, const char *path, struct killer *k)
{
	fnl_db_close(t->db);
	t->db = NULL;
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		fnl_db *db = NULL;
		struct fnl_error e;
		if (fnl_db_open(t->path, &db, &e))
			_exit(2);
		struct fnl_import_opts o = opts(path, "trade_show");
		o.source = DEFAULT_SOURCE;
		o.batch = 1000;
		o.arg = k;
		if (k->kill_line) {
			o.all_rows = 1;
			o.on_row = kill_on_row;
			o.on_progress = count_progress;
		} else {
			o.on_progress = kill_on_progress;
		}
		struct fnl_import_result r;
		fnl_import(db, c, &o, &r);
		_exit(3); /* not killed: the test fails */
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	struct fnl_error e;
	if (fnl_db_open(t->path, &t->db, &e))
		fail_msg("reopening %s after the kill: %s", t->path, e.message);
	return status;
}

static void import_all(struct tenv *t, const struct fnl_ctx *c, const char *path, struct fnl_import_result *r)
{
	struct fnl_import_opts o = opts(path, "trade_show");
	o.source = DEFAULT_SOURCE;
	o.batch = 1000;
	T_OK(t, fnl_import(t->db, c, &o, r));
	assert_int_equal(r->undone, 0);
}

/* The state after a kill: whole batches (records_done), each counted lead with its capture. */
static void expect_whole_batches(struct tenv *t, int64_t records)
{
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM import_job"), 1);
	assert_int_equal(t_sql_int(t, "SELECT records_done FROM import_job"), records);
	assert_int_equal(t_sql_int(t, "SELECT finished_at IS NULL FROM import_job"), 1);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM lead l WHERE status IN ('open', 'nurture', 'won', 'lost')"
				      " AND NOT EXISTS (SELECT 1 FROM stage_event e WHERE e.lead_id = l.id"
				      " AND e.kind = 'capture')"),
			 0);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM score s WHERE NOT EXISTS (SELECT 1 FROM stage_event e"
				      " WHERE e.lead_id = s.lead_id AND e.kind = 'forward')"),
			 0);
}

static void test_kill_and_resume(void **state)
{
	struct tenv *t = *state;     /* killed twice, then run to the end */
	struct tenv *u = other_db(); /* one uninterrupted import of the same file */
	struct tenv *p = other_db(); /* the same rows as three files: 1-3000, 3001-4000, the rest */
	struct world w;
	make_world(t, &w);
	make_world(u, &w);
	make_world(p, &w);
	enum { N = 20000 };
	struct row *v = gen_rows(t, &w, N, 9, 1);
	char path[256], part[3][256];
	write_rows(path_in(p, "part1.csv", part[0]), v, 0, 3000, COLUMNS_ZH);
	write_rows(path_in(p, "part2.csv", part[1]), v, 3000, 4000, COLUMNS_ZH);
	write_rows(path_in(p, "part3.csv", part[2]), v, 4000, N, COLUMNS_ZH);
	write_rows(path_in(t, "big.csv", path), v, 0, N, COLUMNS_ZH);
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_import_result r;

	/* killed right after its 3rd batch is committed */
	struct killer k1 = {0, 0};
	int status = import_killed(t, &c, path, &k1);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 9);
	expect_whole_batches(t, 3000);
	import_all(p, &c, part[0], &r);
	assert_same_db("killed after 3 batches, and the first 3000 rows", dump_db(t->path, 0), dump_db(p->path, 0));

	/* run again, killed in the middle of a batch: it went on from record 3001, committed one batch */
	struct killer k2 = {0, v[4499].line};
	status = import_killed(t, &c, path, &k2);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	expect_whole_batches(t, 4000);
	import_all(p, &c, part[1], &r);
	assert_same_db("killed in the 5th batch, and the first 4000 rows", dump_db(t->path, 0), dump_db(p->path, 0));

	/* run to the end: the rest only */
	struct fnl_import_opts o = opts(path, "trade_show");
	o.source = DEFAULT_SOURCE;
	o.batch = 1000;
	T_OK(t, fnl_import(t->db, &c, &o, &r));
	assert_int_equal(r.rows, N);
	assert_int_equal(r.resumed_from, 4000);
	assert_int_equal(r.skipped, 4000);
	assert_int_equal(r.created + r.invalid + r.merged + r.returning + r.rejected, N - 4000);
	struct fnl_import_result ru;
	import_all(u, &c, path, &ru);
	assert_int_equal(ru.rows, N);
	assert_int_equal(ru.skipped, 0);
	/* with what the interrupted runs did, the whole file's counts */
	expect_counts(&ru, N, r.earlier[0] + r.created, r.earlier[1] + r.invalid, r.earlier[2] + r.merged,
		      r.earlier[3] + r.returning, r.earlier[4] + r.rejected, 0);
	import_all(p, &c, part[2], &r);
	assert_same_db("killed twice and resumed, and imported at once", dump_db(t->path, 0), dump_db(u->path, 0));
	assert_same_db("in three files, and at once", dump_db(p->path, 0), dump_db(u->path, 0));
	/* the job's totals add up over the runs */
	char *jt = sql_text(t, "SELECT records_done || ' ' || created || ' ' || invalid || ' ' || merged || ' ' ||"
			       " returned || ' ' || rejected || ' ' || (finished_at IS NOT NULL) FROM import_job");
	char *ju = sql_text(u, "SELECT records_done || ' ' || created || ' ' || invalid || ' ' || merged || ' ' ||"
			       " returned || ' ' || rejected || ' ' || (finished_at IS NOT NULL) FROM import_job");
	assert_string_equal(jt, ju);
	free(jt);
	free(ju);
	free(v);
}

/* ---- export, then import: every field back ---- */

static void rt_world(struct tenv *t)
{
	struct fnl_ctx a = t_admin(t, T_NOW - 20 * T_DAY);
	struct fnl_user u;
	T_OK(t, fnl_user_add(t->db, &a, "li", "李娜", "sales", "华东一部", &u));
	T_OK(t, fnl_user_add(t->db, &a, "wang", "王强", "sales", "华东一部", &u));
	T_OK(t, fnl_channel_add(t->db, &a, "wechat_ad", "朋友圈广告", "WeChat ads", "online"));
}

struct rt_lead {
	const char *company, *contact, *title, *phone, *email, *wechat, *industry, *size, *region, *channel, *source,
		*captured, *consent, *notes, *owner;
	int score[4];
};

static const struct rt_lead rt_leads[] = {
	{"上海某某科技有限公司", "李明", "总经理", "138 0013 8001", "liming@example.cn", "liming_sh", "制造业",
	 "100-499人", "上海", "sem", "百度 关键词", "2026-11-20T09:15:37+08:00", "2026-11-20 电话同意",
	 "展会上认识,\n说\"下周联系\"", "li", {4, 4, 4, 3}},
	/* texts Excel would read as formulas: the export guards them, the import takes the guard off */
	{"Acme, Inc.", "John \"Jack\" Smith", "@CTO", "+1 415 555 0123", "john@acme.example", "", "Software", "50",
	 "California", "website", "-", "2026-11-21T23:59:59+08:00", "+同意", "=1+2, not a formula", "wang", {2, 3, 1, 2}},
	{"北京甲乙信息技术有限公司", "王芳", "采购经理", "010-6552 9988", "", "wangfang_bj", "零售", "0050", "北京",
	 "wechat_ad", "朋友圈广告 11月", "2026-11-01T00:00:00+08:00", "已授权", "电话：010-6552 9988", "li", {0}},
	{"深圳丙公司", "赵六", "", "13952000099", "zhao@bing.example", "", "", "", "", "trade_show", "2026 深圳展",
	 "2026-11-28T18:30:05+08:00", "", "", "wang", {5, 5, 5, 5}},
};

static const char *const RT_FIELDS[] = {"company", "contact", "title",   "phone",  "email", "wechat",
					"industry", "size",   "region",  "channel", "source", "consent",
					"notes",   "owner",   "scores",  "grade",   "status", "stage", NULL};

static void test_export_import_round_trip(void **state)
{
	struct tenv *t = *state;
	rt_world(t);
	size_t n = sizeof rt_leads / sizeof rt_leads[0];
	for (size_t i = 0; i < n; i++) {
		const struct rt_lead *x = &rt_leads[i];
		struct fnl_lead_input in = {x->company, x->contact, x->title,   x->phone,  x->email,
					    x->wechat,  x->industry, x->size,   x->region, x->channel,
					    x->source,  x->consent,  x->notes,  x->owner,  1,
					    t_time(t, x->captured)};
		struct fnl_ctx c = t_sys(T_NOW - T_HOUR);
		int result;
		int64_t rid;
		struct fnl_lead l;
		T_OK(t, fnl_lead_add(t->db, &c, &in, &result, &l, &rid));
		assert_int_equal(result, FNL_ADD_CREATED);
		if (x->score[0])
			t_score(t, l.id, T_NOW - T_HOUR, x->score[0], x->score[1], x->score[2], x->score[3]);
	}
	struct fnl_ctx c = t_admin(t, T_NOW);
	char csv[256], xlsx[256];
	FILE *f = fopen(path_in(t, "leads.csv", csv), "wb");
	assert_non_null(f);
	int64_t count;
	T_OK(t, fnl_export_leads(t->db, &c, NULL, "csv", f, NULL, &count));
	assert_int_equal(fclose(f), 0);
	assert_int_equal(count, (int64_t)n);
	T_OK(t, fnl_export_leads(t->db, &c, NULL, "xlsx", NULL, path_in(t, "leads.xlsx", xlsx), &count));
	assert_int_equal(count, (int64_t)n);

	struct fnl_lead *orig;
	size_t norig;
	struct fnl_lead_filter all = {0};
	all.status = "all";
	T_OK(t, fnl_lead_list(t->db, &c, &all, &orig, &norig));
	assert_int_equal(norig, n);
	const char *files[2] = {csv, xlsx};
	for (int k = 0; k < 2; k++) {
		struct tenv *d = other_db();
		rt_world(d);
		struct fnl_import_opts o = opts(files[k], NULL);
		struct fnl_import_result r;
		struct seen s = {0};
		T_OK(d, run(d, &c, &o, &r, &s));
		expect_counts(&r, (int64_t)n, (int64_t)n, 0, 0, 0, 0, 0);
		assert_int_equal(r.scored, 3);
		assert_string_equal(r.unknown, "id, stage, reached_stage, status, grade, score, amount, close_month, "
					       "invalid_reason, merged_into, lost_reason, lost_at, won_at, updated_at");
		for (size_t i = 0; i < s.n; i++)
			if (s.v[i].reason[0])
				fail_msg("%s line %lld: %s", files[k], (long long)s.v[i].line, s.v[i].reason);
		struct fnl_lead *back;
		size_t nback;
		T_OK(d, fnl_lead_list(d->db, &c, &all, &back, &nback));
		assert_int_equal(nback, n);
		for (size_t i = 0; i < n; i++) {
			const struct fnl_lead *y = NULL;
			for (size_t j = 0; j < nback; j++)
				if (!strcmp(back[j].company, orig[i].company))
					y = &back[j];
			if (!y)
				fail_msg("%s: '%s' did not come back", files[k], orig[i].company);
			for (const char *const *fld = RT_FIELDS; *fld; fld++) {
				char want[FNL_NOTE_LEN];
				snprintf(want, sizeof want, "%s", lead_field(&orig[i], *fld));
				const char *got = lead_field(y, *fld);
				if (strcmp(want, got))
					fail_msg("%s: '%s': %s is '%s', was '%s'", files[k], orig[i].company, *fld, got,
						 want);
			}
			if (y->captured_at != orig[i].captured_at)
				fail_msg("%s: '%s': captured_at %lld, was %lld", files[k], orig[i].company,
					 (long long)y->captured_at, (long long)orig[i].captured_at);
		}
		free(back);
		seen_free(&s);
	}
	/* what went out: an international number, a landline keeping its 0, a channel added here */
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM lead WHERE phone = '+14155550123'"), 1);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM lead WHERE phone = '01065529988' AND size = '0050'"), 1);
	free(orig);
}

/* ---- errors: nothing written ---- */

static void test_errors(void **state)
{
	struct tenv *t = *state;
	t_user(t, "li", "sales", NULL);
	int64_t mk = t_user(t, "mk", "marketing", NULL);
	int64_t sh = t_user(t, "sh", "aftersales", NULL);
	char ok[256], nocompany[256], missing[256];
	write_file(path_in(t, "ok.csv", ok), "公司,联系人,手机\n甲公司,张三,13952000401\n");
	write_file(path_in(t, "nocompany.csv", nocompany), "联系人,手机\n张三,13952000402\n");
	path_in(t, "none.csv", missing);
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_import_result r;
	struct seen s = {0};
	char *before = dump_db(t->path, 1);

	struct fnl_import_opts o = opts(missing, "website");
	T_RC(t, run(t, &c, &o, &r, &s), FNL_EIO);
	assert_string_equal(fnl_errfield(t->db), "file");
	assert_non_null(strstr(fnl_errmsg(t->db), "none.csv"));

	o = opts(nocompany, "website");
	T_RC(t, run(t, &c, &o, &r, &s), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "company");

	static const struct {
		const char *map, *words;
	} maps[] = {
		{"公司=firm", "'firm'"},
		{"客户=company", "'客户'"},
		{"公司", "'公司'"},
	};
	for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) {
		o = opts(ok, "website");
		o.maps = &maps[i].map;
		o.nmaps = 1;
		T_RC(t, run(t, &c, &o, &r, &s), FNL_EINVAL);
		assert_string_equal(fnl_errfield(t->db), "map");
		if (!strstr(fnl_errmsg(t->db), maps[i].words))
			fail_msg("map '%s': '%s' does not name %s", maps[i].map, fnl_errmsg(t->db), maps[i].words);
	}

	o = opts(ok, "tv");
	T_RC(t, run(t, &c, &o, &r, &s), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "channel");
	assert_non_null(strstr(fnl_errmsg(t->db), "'tv'"));

	o = opts(ok, "website");
	o.encoding = "latin1";
	T_RC(t, run(t, &c, &o, &r, &s), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "encoding");

	struct fnl_ctx as = tctx(T_NOW, sh);
	o = opts(ok, "website");
	T_RC(t, run(t, &as, &o, &r, &s), FNL_EPERM);
	assert_int_equal(s.n, 0);
	assert_same_db("after the refused imports", before, dump_db(t->path, 1));

	/* marketing imports */
	struct fnl_ctx m = tctx(T_NOW, mk);
	T_OK(t, run(t, &m, &o, &r, &s));
	expect_counts(&r, 1, 1, 0, 0, 0, 0, 0);
	assert_int_equal(t_sql_int(t, "SELECT user_id FROM import_job"), mk);
	seen_free(&s);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		I_TEST(test_xlsx_list),
		I_TEST(test_headers),
		I_TEST(test_salesforce_created_date),
		I_TEST(test_values),
		I_TEST(test_long_values_and_offsets),
		I_TEST(test_marketing_scores),
		I_TEST(test_bulk_equals_one_by_one),
		I_TEST(test_other_writer_between_batches),
		I_TEST(test_reimport),
		I_TEST(test_skipped_rows),
		I_TEST(test_strict_and_dry_run),
		I_TEST(test_kill_and_resume),
		I_TEST(test_export_import_round_trip),
		I_TEST(test_errors),
	};
	enum { NCORPUS = sizeof corpus / sizeof corpus[0], NFIXED = sizeof fixed / sizeof fixed[0] };
	struct CMUnitTest tests[NCORPUS + NFIXED];
	static char names[NCORPUS][96];
	for (size_t i = 0; i < NCORPUS; i++) {
		snprintf(names[i], sizeof names[i], "corpus %s%s%s%s", corpus[i].file, corpus[i].encoding ? " as " : "",
			 corpus[i].encoding ? corpus[i].encoding : "", corpus[i].maps[0] ? " with --map" : "");
		struct CMUnitTest one = {names[i], test_corpus, corpus_setup, import_teardown, (void *)&corpus[i]};
		tests[i] = one;
	}
	for (size_t i = 0; i < NFIXED; i++)
		tests[NCORPUS + i] = fixed[i];
	return _cmocka_run_group_tests("import", tests, NCORPUS + NFIXED, NULL, NULL);
}
