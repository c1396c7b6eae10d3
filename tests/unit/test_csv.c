/*
 * Unit tests of io/csv.c, the CSV reader, through io/reader.h.
 *
 * The corpus: the .csv files of tests/data/import/ (written by tests/data/import/make-csv.sh), each
 * with the exact records (line, fields) and broken records (message) it must give, in the table below.
 * Then files generated into a temporary directory: too big to commit (a 300 KiB field, records over
 * the 1 MiB limit, GBK text over several read buffers) or built so that a read buffer (256 KiB) or
 * the encoding sample (64 KiB) ends inside a CRLF, a "" escape or a character; and a round trip:
 * random records written by a small CSV writer here, read back and compared field by field, with
 * the line numbers counted on the written bytes.
 */
#include <dirent.h>
#include <iconv.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "io/reader.h"

#define KiB 1024
#define BUF (256 * KiB)   /* the reader's read buffer */
#define SNIFF (64 * KiB)  /* what it looks at to detect the encoding */
#define NOT_UTF8 " (a GBK file? try --encoding gbk)"

static char tmpdir[64];

/* ---- helpers ---- */

struct sb {
	char *p;
	size_t n, cap;
};

static void sb_add(struct sb *b, const void *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void sb_str(struct sb *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

static void sb_fill(struct sb *b, char c, size_t n)
{
	size_t at = b->n;
	sb_add(b, "", 0);
	if (at + n + 1 > b->cap) {
		b->cap = at + n + 1;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memset(b->p + at, c, n);
	b->n = at + n;
	b->p[b->n] = '\0';
}

static const char *corpus_path(const char *name)
{
	static char path[512];
	const char *dir = getenv("FUNNEL_TEST_DATA");
	assert_non_null(dir);
	snprintf(path, sizeof path, "%s/import/%s", dir, name);
	return path;
}

static const char *tmp_write(const char *name, const void *data, size_t n)
{
	static char path[256];
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
	return path;
}

static int64_t file_size(const char *path)
{
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	return (int64_t)st.st_size;
}

static fnl_reader *open_ok(const char *path, const char *encoding)
{
	fnl_reader *r = NULL;
	struct fnl_error e = {0};
	int rc = fnl_reader_open(path, "csv", encoding, NULL, &r, &e);
	if (rc)
		fail_msg("opening %s: %d %s", path, rc, e.message);
	assert_non_null(r);
	return r;
}

/* UTF-8 to GBK, for generated files. */
static void to_gbk(const struct sb *in, struct sb *out)
{
	iconv_t cd = iconv_open("GBK", "UTF-8");
	assert_true(cd != (iconv_t)-1);
	out->n = 0;
	sb_fill(out, 0, in->n * 2 + 16); /* GBK is never longer than UTF-8 */
	char *ip = in->p, *op = out->p;
	size_t il = in->n, ol = out->n;
	assert_true(iconv(cd, &ip, &il, &op, &ol) != (size_t)-1);
	out->n = (size_t)(op - out->p);
	iconv_close(cd);
}

/* ---- expected outcomes ---- */

struct want {
	int64_t line;      /* 0 ends a list */
	const char *err;   /* the message of a broken record; NULL for a record */
	const char *f[8];  /* the fields, up to NULL */
};

static void want_record(fnl_reader *r, const char *what, const struct want *w)
{
	struct fnl_record rec;
	struct fnl_error e = {0};
	int rc = fnl_reader_next(r, &rec, &e);
	if (w->err) {
		if (rc != FNL_READER_BROKEN)
			fail_msg("%s: rc %d, want the broken record '%s'", what, rc, w->err);
		assert_string_equal(e.field, "line");
		assert_string_equal(e.message, w->err);
		return;
	}
	if (rc != 1)
		fail_msg("%s: rc %d (%s), want the record of line %lld", what, rc, e.message, (long long)w->line);
	if (rec.line != w->line)
		fail_msg("%s: the record of line %lld came as line %lld", what, (long long)w->line, (long long)rec.line);
	size_t n = 0;
	while (w->f[n])
		n++;
	if (rec.nfields != n)
		fail_msg("%s: line %lld has %zu fields, want %zu", what, (long long)w->line, rec.nfields, n);
	for (size_t k = 0; k < n; k++)
		if (strcmp(rec.fields[k], w->f[k]))
			fail_msg("%s: line %lld field %zu is '%s', want '%s'", what, (long long)w->line, k, rec.fields[k],
				 w->f[k]);
}

/* The end, twice, and all of the file consumed. */
static void want_end(fnl_reader *r, const char *what, const char *path)
{
	struct fnl_record rec;
	struct fnl_error e = {0};
	for (int k = 0; k < 2; k++) {
		int rc = fnl_reader_next(r, &rec, &e);
		if (rc != 0)
			fail_msg("%s: rc %d (%s) at what should be the end", what, rc, e.message);
	}
	int64_t done = -1, total = -1;
	fnl_reader_progress(r, &done, &total);
	assert_int_equal(total, file_size(path));
	assert_int_equal(done, total);
}

static void expect(const char *path, const char *encoding, const char *detected, const struct want *w)
{
	fnl_reader *r = open_ok(path, encoding);
	assert_string_equal(fnl_reader_encoding(r), detected);
	for (; w->line; w++)
		want_record(r, path, w);
	want_end(r, path, path);
	fnl_reader_close(r);
}

/* ---- the corpus ---- */

struct corpus_case {
	const char *file;
	const char *encoding; /* given to the reader; NULL to detect */
	const char *detected; /* what fnl_reader_encoding must say */
	struct want want[12];
};

static const struct corpus_case corpus[] = {
	{"quotes.csv", NULL, "utf-8", {
		{1, NULL, {"company", "contact", "phone", "notes"}},
		{2, NULL, {"Acme, Inc.", "Li Lei", "0086 138 0013 8000", "said \"call me\" later"}},
		{3, NULL, {"\"Quoted\" Co", "Han Meimei", "00123", ""}},
		{4, NULL, {"plain", "x", "", "\""}},
	}},
	{"numbers-as-text.csv", NULL, "utf-8", {
		{1, NULL, {"公司", "手机", "邮编", "金额", "编号"}},
		{2, NULL, {"星辰科技", "008613800138000", "010020", "1,200.50", "1e5"}},
		{3, NULL, {"零一", "0001", "00", "-0", "0x1F"}},
	}},
	{"newlines-lf.csv", NULL, "utf-8", {
		{1, NULL, {"company", "contact", "notes"}},
		{2, NULL, {"A", "B", "first\nsecond"}},
		{4, NULL, {"C", "D", "x\n\ny"}},
		{7, NULL, {"E", "F", "plain"}},
	}},
	{"newlines-crlf.csv", NULL, "utf-8", {
		{1, NULL, {"company", "contact", "notes"}},
		{2, NULL, {"A", "B", "crlf\r\ninside"}},
		{4, NULL, {"C", "D", "lf\ninside"}},
		{6, NULL, {"multi\r\nline\r\ncompany", "E", "x"}},
		{9, NULL, {"F", "G", "cr\ronly"}},
		{11, NULL, {"H", "I", "end"}},
	}},
	{"cr-only.csv", NULL, "utf-8", {
		{1, NULL, {"company", "contact"}},
		{2, NULL, {"A", "B"}},
		{3, NULL, {"x\ry", "C"}},
		{5, NULL, {"D", "E"}},
	}},
	{"bom.csv", NULL, "utf-8", {
		{1, NULL, {"公司", "联系人", "手机"}},
		{2, NULL, {"星辰科技", "王伟", "13800138000"}},
	}},
	/* a BOM wins over the caller's word */
	{"bom.csv", "gbk", "utf-8", {
		{1, NULL, {"公司", "联系人", "手机"}},
		{2, NULL, {"星辰科技", "王伟", "13800138000"}},
	}},
	{"nobom.csv", NULL, "utf-8", {
		{1, NULL, {"公司", "联系人", "手机"}},
		{2, NULL, {"星辰科技", "王伟", "13800138000"}},
		{3, NULL, {"北京, 朝阳", "李娜", "0086 10 6552 9988"}},
	}},
	{"gbk.csv", NULL, "gbk", {
		{1, NULL, {"公司", "联系人", "手机"}},
		{2, NULL, {"星辰科技", "王伟", "13800138000"}},
		{3, NULL, {"北京,朝阳", "李娜", "0086 10 6552 9988"}},
		{4, NULL, {"乗億倉", "说\"好\"", "1"}},
		{5, NULL, {"学校", "小强"}},
	}},
	{"gbk.csv", "GBK", "gbk", {
		{1, NULL, {"公司", "联系人", "手机"}},
		{2, NULL, {"星辰科技", "王伟", "13800138000"}},
		{3, NULL, {"北京,朝阳", "李娜", "0086 10 6552 9988"}},
		{4, NULL, {"乗億倉", "说\"好\"", "1"}},
		{5, NULL, {"学校", "小强"}},
	}},
	{"gbk-invalid.csv", NULL, "gbk", {
		{1, NULL, {"公司", "联系人"}},
		{2, NULL, {"星辰", "王伟"}},
		{3, "line 3: bytes that are not GBK text", {0}},
		{4, "line 4: bytes that are not GBK text", {0}},
		{5, NULL, {"好", "的"}},
	}},
	{"empty-lines.csv", NULL, "utf-8", {
		{1, NULL, {""}},
		{2, NULL, {"company", "contact"}},
		{3, NULL, {""}},
		{4, NULL, {"A", "B"}},
		{5, NULL, {""}},
		{6, NULL, {""}},
		{7, NULL, {"C", "D"}},
		{8, NULL, {""}},
	}},
	{"ragged.csv", NULL, "utf-8", {
		{1, NULL, {"a", "b", "c", "d"}},
		{2, NULL, {"1", "2"}},
		{3, NULL, {"1"}},
		{4, NULL, {"1", "2", "3", "4"}},
		{5, "line 5: 5 fields, the header has 4", {0}},
		{6, NULL, {"1", "2", "3", "4"}},
		{7, "line 7: 6 fields, the header has 4", {0}},
		{8, "line 8: 5 fields, the header has 4", {0}},
		{9, NULL, {"last", "row"}},
	}},
	{"no-final-newline.csv", NULL, "utf-8", {
		{1, NULL, {"company", "contact"}},
		{2, NULL, {"A", ""}},
		{3, NULL, {"C", "D"}},
	}},
	{"unterminated.csv", NULL, "utf-8", {
		{1, NULL, {"company", "contact", "phone"}},
		{2, NULL, {"A", "multi\nline", "1"}},
		{4, "line 4: a quoted field is not closed before the end of the file", {0}},
		{5, NULL, {"C", "c", "3"}},
		{6, NULL, {"D", "d", "4"}},
	}},
	{"stray-quote.csv", NULL, "utf-8", {
		{1, NULL, {"company", "contact", "notes"}},
		{2, NULL, {"A", "stray,x\nB,b,plain\nC,c,closing\""}},
		{5, NULL, {"D", "d", "ok"}},
	}},
	{"invalid-utf8.csv", "utf-8", "utf-8", {
		{1, NULL, {"company", "contact"}},
		{2, NULL, {"星辰", "王伟"}},
		{3, "line 3: bytes that are not UTF-8 text" NOT_UTF8, {0}},
		{4, "line 4: bytes that are not UTF-8 text on line 5" NOT_UTF8, {0}},
		{6, "line 6: bytes that are not UTF-8 text" NOT_UTF8, {0}},
		{7, "line 7: bytes that are not UTF-8 text" NOT_UTF8, {0}},
		{8, "line 8: bytes that are not UTF-8 text" NOT_UTF8, {0}},
		{9, "line 9: bytes that are not UTF-8 text" NOT_UTF8, {0}},
		{10, NULL, {"ok", "1"}},
	}},
	{"after-quote.csv", NULL, "utf-8", {
		{1, NULL, {"company", "contact"}},
		{2, NULL, {"abcdef", "x"}},
		{3, NULL, {"a\"bc\"d", "y"}},
		{4, NULL, {" \"sp\"", "z"}},
		{5, NULL, {"5\" screen", "w"}},
	}},
	{"nul.csv", NULL, "utf-8", {
		{1, NULL, {"company", "contact"}},
		{2, "line 2: a NUL byte, which is not text", {0}},
		{3, "line 3: a NUL byte, which is not text", {0}},
		{4, NULL, {"ok", "1"}},
	}},
};

static void test_corpus(void **state)
{
	const struct corpus_case *c = *state;
	expect(corpus_path(c->file), c->encoding, c->detected, c->want);
}

/* The files are what the table says they are: GBK bytes, a BOM, CRLF. */
static void test_corpus_bytes(void **state)
{
	(void)state;
	static const struct {
		const char *file;
		const char *head;
	} heads[] = {
		{"gbk.csv", "\xb9\xab\xcb\xbe,"},      /* 公司 in GBK */
		{"bom.csv", "\xef\xbb\xbf\"\xe5\x85\xac"}, /* BOM, ", 公 */
		{"newlines-crlf.csv", "company,contact,notes\r\n"},
		{"invalid-utf8.csv", "company,contact\n"},
	};
	for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
		char got[64] = "";
		FILE *f = fopen(corpus_path(heads[i].file), "rb");
		assert_non_null(f);
		size_t n = fread(got, 1, strlen(heads[i].head), f);
		fclose(f);
		assert_int_equal(n, strlen(heads[i].head));
		assert_memory_equal(got, heads[i].head, n);
	}
}

/* Detection looks at bytes, not at the caller's hopes: invalid UTF-8 means GBK. */
static void test_detect_invalid_utf8_is_gbk(void **state)
{
	(void)state;
	fnl_reader *r = open_ok(corpus_path("invalid-utf8.csv"), NULL);
	assert_string_equal(fnl_reader_encoding(r), "gbk");
	fnl_reader_close(r);
}

/* ---- opening ---- */

static void test_open_errors(void **state)
{
	(void)state;
	fnl_reader *r = (fnl_reader *)1;
	struct fnl_error e = {0};
	assert_int_equal(fnl_reader_open(corpus_path("quotes.csv"), "csv", "latin1", NULL, &r, &e), FNL_EINVAL);
	assert_null(r);
	assert_string_equal(e.field, "encoding");
	assert_string_equal(e.message, "encoding: 'latin1' is not utf-8 or gbk");

	/* GBK asked of UTF-8 Chinese: it would import as mojibake (ASCII text is the same either way) */
	r = (fnl_reader *)1;
	const char *utf8 = corpus_path("nobom.csv");
	assert_int_equal(fnl_reader_open(utf8, "csv", "gbk", NULL, &r, &e), FNL_EINVAL);
	assert_null(r);
	assert_string_equal(e.field, "encoding");
	char want[600];
	snprintf(want, sizeof want, "encoding: '%s' is UTF-8 text, not GBK (leave out --encoding gbk)", utf8);
	assert_string_equal(e.message, want);
	/* GBK with a few Chinese characters may be valid UTF-8 by chance ("郑伟" is D6 A3 CE B0): read
	 * as told, since detection takes it for UTF-8; 8 different characters of UTF-8 are refused */
	static const char few[] = "company,contact,phone\r\nACME,\xd6\xa3\xce\xb0,13952000901\r\n";
	fnl_reader *g = open_ok(tmp_write("few.csv", few, sizeof few - 1), "gbk");
	assert_string_equal(fnl_reader_encoding(g), "gbk");
	struct want few_rows[] = {{1, NULL, {"company", "contact", "phone"}}, {2, NULL, {"ACME", "郑伟", "13952000901"}}};
	want_record(g, "few.csv", &few_rows[0]);
	want_record(g, "few.csv", &few_rows[1]);
	fnl_reader_close(g);
	static const char seven[] = "公司,联系人,电话\r\n";
	g = open_ok(tmp_write("seven.csv", seven, sizeof seven - 1), "gbk");
	fnl_reader_close(g);
	static const char eight[] = "公司,联系人,电话号\r\n";
	r = (fnl_reader *)1;
	assert_int_equal(fnl_reader_open(tmp_write("eight.csv", eight, sizeof eight - 1), "csv", "gbk", NULL, &r, &e),
			 FNL_EINVAL);
	assert_null(r);
	assert_string_equal(e.field, "encoding");

	r = (fnl_reader *)1;
	assert_int_equal(fnl_reader_open(corpus_path("no-such-file.csv"), "csv", NULL, NULL, &r, &e), FNL_EIO);
	assert_null(r);
	assert_string_equal(e.field, "file");
	assert_non_null(strstr(e.message, "no-such-file.csv"));

	assert_int_equal(fnl_reader_open(tmpdir, "csv", NULL, NULL, &r, &e), FNL_EIO);
	assert_null(r);

	/* UTF-16: refused when detecting, read as told otherwise (its NULs make every record broken) */
	assert_int_equal(fnl_reader_open(corpus_path("utf16.csv"), "csv", NULL, NULL, &r, &e), FNL_EINVAL);
	assert_null(r);
	assert_string_equal(e.field, "encoding");
	assert_non_null(strstr(e.message, "UTF-16"));
	r = open_ok(corpus_path("utf16.csv"), "utf-8");
	struct fnl_record rec;
	assert_int_equal(fnl_reader_next(r, &rec, &e), FNL_READER_BROKEN);
	assert_string_equal(e.message, "line 1: a NUL byte, which is not text");
	fnl_reader_close(r);
	fnl_reader_close(NULL);
}

static void test_encoding_names(void **state)
{
	(void)state;
	static const struct {
		const char *given, *is;
	} names[] = {{"utf-8", "utf-8"}, {"UTF-8", "utf-8"}, {"utf8", "utf-8"}, {"gbk", "gbk"},
		     {"GBK", "gbk"},     {"cp936", "gbk"},  {"GB2312", "gbk"}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		fnl_reader *r = open_ok(corpus_path("quotes.csv"), names[i].given);
		assert_string_equal(fnl_reader_encoding(r), names[i].is);
		fnl_reader_close(r);
	}
}

static void test_empty_files(void **state)
{
	(void)state;
	static const struct want none[] = {{0}};
	expect(tmp_write("empty.csv", "", 0), NULL, "utf-8", none);
	expect(tmp_write("bom-only.csv", "\xef\xbb\xbf", 3), NULL, "utf-8", none);
	static const struct want one_blank[] = {{1, NULL, {""}}, {0}};
	expect(tmp_write("newline.csv", "\n", 1), NULL, "utf-8", one_blank);
	expect(tmp_write("crlf.csv", "\r\n", 2), NULL, "utf-8", one_blank);
	static const struct want quoted_empty[] = {{1, NULL, {""}}, {0}};
	expect(tmp_write("quoted-empty.csv", "\"\"", 2), NULL, "utf-8", quoted_empty);
	static const struct want two_empty[] = {{1, NULL, {"", ""}}, {0}};
	expect(tmp_write("comma.csv", ",", 1), NULL, "utf-8", two_empty);
	static const struct want open_quote[] = {
		{1, "line 1: a quoted field is not closed before the end of the file", {0}}, {0}};
	expect(tmp_write("quote.csv", "\"", 1), NULL, "utf-8", open_quote);
}

/* ---- long records ---- */

/* A 300 KiB quoted field with LF, CRLF, lone CR and "" inside: over a read buffer boundary. */
static void test_long_field(void **state)
{
	(void)state;
	struct sb field = {0}, file = {0};
	int64_t lines = 0;
	for (int i = 0; field.n < 300 * KiB; i++) {
		char piece[64];
		snprintf(piece, sizeof piece, "piece %d of the long note, 中文", i);
		sb_str(&field, piece);
		if (i % 7 == 0)
			sb_str(&field, "\"");
		if (i % 11 == 0)
			sb_str(&field, "\n"), lines++;
		else if (i % 13 == 0)
			sb_str(&field, "\r\n"), lines++;
		else if (i % 17 == 0)
			sb_str(&field, "\r"), lines++;
	}
	sb_str(&file, "company,notes\nA,\"");
	for (size_t k = 0; k < field.n; k++)
		sb_add(&file, field.p[k] == '"' ? "\"\"" : &field.p[k], field.p[k] == '"' ? 2 : 1);
	sb_str(&file, "\"\nB,after\n");
	const char *path = tmp_write("long-field.csv", file.p, file.n);

	fnl_reader *r = open_ok(path, NULL);
	struct fnl_record rec;
	struct fnl_error e = {0};
	assert_int_equal(fnl_reader_next(r, &rec, &e), 1);
	assert_int_equal(fnl_reader_next(r, &rec, &e), 1);
	assert_int_equal(rec.line, 2);
	assert_int_equal(rec.nfields, 2);
	assert_string_equal(rec.fields[0], "A");
	assert_int_equal(strlen(rec.fields[1]), field.n);
	assert_memory_equal(rec.fields[1], field.p, field.n);
	struct want after = {3 + lines, NULL, {"B", "after"}};
	want_record(r, path, &after);
	want_end(r, path, path);
	fnl_reader_close(r);
	free(field.p);
	free(file.p);
}

/* A stray quote with more than 1 MiB after it: broken at the quote's line; every later line read. */
static void test_stray_quote_over_the_limit(void **state)
{
	(void)state;
	struct sb file = {0};
	sb_str(&file, "company,contact\nA,a\nB,\"stray\n");
	int rows = 0;
	while (file.n < 1300 * KiB) {
		char row[64];
		snprintf(row, sizeof row, "C%06d,c\r\n", rows++);
		sb_str(&file, row);
	}
	const char *path = tmp_write("stray-long.csv", file.p, file.n);
	fnl_reader *r = open_ok(path, NULL);
	struct want w[] = {
		{1, NULL, {"company", "contact"}},
		{2, NULL, {"A", "a"}},
		{3, "line 3: a record longer than 1 MiB (a quote not closed?)", {0}},
	};
	for (size_t k = 0; k < 3; k++)
		want_record(r, path, &w[k]);
	for (int i = 0; i < rows; i++) {
		char name[16];
		snprintf(name, sizeof name, "C%06d", i);
		struct want one = {4 + i, NULL, {name, "c"}};
		want_record(r, path, &one);
	}
	want_end(r, path, path);
	fnl_reader_close(r);
	free(file.p);
}

/* An unquoted line over 1 MiB, and a record of exactly 1 MiB that fits. */
static void test_long_lines(void **state)
{
	(void)state;
	struct sb file = {0};
	sb_str(&file, "company,contact\n");
	sb_fill(&file, 'x', 1100 * KiB);
	sb_str(&file, ",y\nok,1\n");
	/* the limit counts a NUL after each field: z * (1 MiB - 3), NUL, yy, NUL is one byte too many */
	sb_fill(&file, 'z', 1024 * KiB - 3);
	sb_str(&file, ",yy\nlast,2"); /* too long at its line end: the LF is still to come */
	const char *path = tmp_write("long-lines.csv", file.p, file.n);
	fnl_reader *r = open_ok(path, NULL);
	struct want w[] = {
		{1, NULL, {"company", "contact"}},
		{2, "line 2: a record longer than 1 MiB (a quote not closed?)", {0}},
		{3, NULL, {"ok", "1"}},
	};
	for (size_t k = 0; k < 3; k++)
		want_record(r, path, &w[k]);
	struct fnl_record rec;
	struct fnl_error e = {0};
	int rc = fnl_reader_next(r, &rec, &e);
	assert_int_equal(rc, FNL_READER_BROKEN);
	assert_string_equal(e.message, "line 4: a record longer than 1 MiB (a quote not closed?)");
	struct want last = {5, NULL, {"last", "2"}};
	want_record(r, path, &last);
	want_end(r, path, path);
	fnl_reader_close(r);

	/* exactly 1 MiB: fields "x..." and "y" with their NULs */
	file.n = 0;
	sb_str(&file, "company,contact\n");
	sb_fill(&file, 'x', 1024 * KiB - 3);
	sb_str(&file, ",y\nok,1\n");
	path = tmp_write("limit.csv", file.p, file.n);
	r = open_ok(path, NULL);
	assert_int_equal(fnl_reader_next(r, &rec, &e), 1);
	assert_int_equal(fnl_reader_next(r, &rec, &e), 1);
	assert_int_equal(rec.line, 2);
	assert_int_equal(strlen(rec.fields[0]), 1024 * KiB - 3);
	assert_string_equal(rec.fields[1], "y");
	want_record(r, path, &w[2]);
	want_end(r, path, path);
	fnl_reader_close(r);
	free(file.p);
}

/* ---- read buffer boundaries ---- */

/*
 * Each tricky record is placed so that the read buffer ends after each of its bytes in turn: the
 * file is a header, a filler line, then the record at 256 KiB - s.
 */
static void test_buffer_boundaries(void **state)
{
	(void)state;
	static const struct {
		const char *bytes;     /* UTF-8; written as GBK when encoding is "gbk" */
		const char *encoding;
		struct want want[3];   /* lines counted from 3 */
	} cases[] = {
		{"\"a\"\"b\",c\r\nd,e\n", "utf-8", {{3, NULL, {"a\"b", "c"}}, {4, NULL, {"d", "e"}}}},
		{"\"x\r\ny\",z\rw,v\r\n", "utf-8", {{3, NULL, {"x\r\ny", "z"}}, {5, NULL, {"w", "v"}}}},
		{"\"q\"\r\n\r\nk\n", "utf-8", {{3, NULL, {"q"}}, {4, NULL, {""}}, {5, NULL, {"k"}}}},
		{"星辰,😀\n\"乗\"\"億\",é\n", "utf-8", {{3, NULL, {"星辰", "😀"}}, {4, NULL, {"乗\"億", "é"}}}},
		{"星辰,乗億倉\r\n\"学\r\n校\",小强\r\n", "gbk",
		 {{3, NULL, {"星辰", "乗億倉"}}, {4, NULL, {"学\r\n校", "小强"}}}},
	};
	struct sb rec = {0}, file = {0};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		rec.n = 0;
		if (strcmp(cases[i].encoding, "gbk") == 0) {
			struct sb u = {0};
			sb_str(&u, cases[i].bytes);
			to_gbk(&u, &rec);
			free(u.p);
		} else {
			sb_str(&rec, cases[i].bytes);
		}
		for (size_t s = 0; s <= rec.n; s++) {
			file.n = 0;
			sb_str(&file, "h1,h2\nx,");
			sb_fill(&file, 'y', BUF - s - file.n - 1);
			sb_str(&file, "\n");
			assert_int_equal(file.n, BUF - s);
			sb_add(&file, rec.p, rec.n);
			const char *path = tmp_write("boundary.csv", file.p, file.n);
			fnl_reader *r = open_ok(path, cases[i].encoding);
			char what[64];
			snprintf(what, sizeof what, "case %zu split %zu", i, s);
			struct want head[] = {{1, NULL, {"h1", "h2"}}, {2, NULL, {"x", file.p + 8}}};
			file.p[BUF - s - 1] = '\0'; /* the filler's value ends there */
			want_record(r, what, &head[0]);
			want_record(r, what, &head[1]);
			for (const struct want *w = cases[i].want; w < cases[i].want + 3 && w->line; w++)
				want_record(r, what, w);
			want_end(r, what, path);
			fnl_reader_close(r);
		}
	}
	free(rec.p);
	free(file.p);
}

/* GBK over three read buffers, detected; a character split by the first buffer's end. */
static void test_gbk_big(void **state)
{
	(void)state;
	struct sb text = {0}, gbk = {0};
	for (int pad = 0; pad < 40; pad++) {
		text.n = 0;
		sb_str(&text, "公司,联系人,手机\r\n");
		sb_fill(&text, 'x', (size_t)pad);
		sb_str(&text, "x,y,1\r\n");
		for (int i = 0; text.n < 700 * KiB; i++) {
			char row[128];
			snprintf(row, sizeof row, "星辰科技%d有限公司,王伟%d,\"北京,朝阳\"\r\n", i, i);
			sb_str(&text, row);
		}
		to_gbk(&text, &gbk);
		/* walk the GBK characters: does one start at BUF - 1? */
		size_t k = 0;
		while (k < BUF - 1)
			k += (unsigned char)gbk.p[k] >= 0x81 ? 2 : 1;
		if (k == BUF - 1 && (unsigned char)gbk.p[k] >= 0x81)
			break;
	}
	assert_true((unsigned char)gbk.p[BUF - 1] >= 0x81);
	const char *path = tmp_write("gbk-big.csv", gbk.p, gbk.n);
	fnl_reader *r = open_ok(path, NULL);
	assert_string_equal(fnl_reader_encoding(r), "gbk");
	struct want head = {1, NULL, {"公司", "联系人", "手机"}};
	want_record(r, path, &head);
	struct fnl_record rec;
	struct fnl_error e = {0};
	assert_int_equal(fnl_reader_next(r, &rec, &e), 1);
	int i = 0;
	for (;; i++) {
		int rc = fnl_reader_next(r, &rec, &e);
		if (rc == 0)
			break;
		assert_int_equal(rc, 1);
		char company[64], contact[32];
		snprintf(company, sizeof company, "星辰科技%d有限公司", i);
		snprintf(contact, sizeof contact, "王伟%d", i);
		assert_int_equal(rec.line, 3 + i);
		assert_int_equal(rec.nfields, 3);
		assert_string_equal(rec.fields[0], company);
		assert_string_equal(rec.fields[1], contact);
		assert_string_equal(rec.fields[2], "北京,朝阳");
	}
	assert_true(i > 10000);
	want_end(r, path, path);
	fnl_reader_close(r);
	free(text.p);
	free(gbk.p);
}

/* The encoding sample (64 KiB) ends inside a character: still UTF-8. Invalid bytes after it: a
 * UTF-8 file with one broken record. */
static void test_sniff_boundary(void **state)
{
	(void)state;
	struct sb file = {0};
	for (size_t cut = 1; cut <= 3; cut++) {
		file.n = 0;
		sb_str(&file, "company,contact\nx,");
		sb_fill(&file, 'y', SNIFF - cut - file.n - 1);
		sb_str(&file, "\n星辰,"); /* 星 is 3 bytes: the sample holds cut of them */
		assert_int_equal((unsigned char)file.p[SNIFF - cut], 0xe6);
		sb_str(&file, "ok\nBad\xff,1\nlast,2\n");
		const char *path = tmp_write("sniff.csv", file.p, file.n);
		fnl_reader *r = open_ok(path, NULL);
		assert_string_equal(fnl_reader_encoding(r), "utf-8");
		file.p[SNIFF - cut - 1] = '\0';
		struct want w[] = {
			{1, NULL, {"company", "contact"}},
			{2, NULL, {"x", file.p + 18}},
			{3, NULL, {"星辰", "ok"}},
			{4, "line 4: bytes that are not UTF-8 text" NOT_UTF8, {0}},
			{5, NULL, {"last", "2"}},
		};
		for (size_t k = 0; k < 5; k++)
			want_record(r, path, &w[k]);
		file.p[SNIFF - cut - 1] = 'y';
		want_end(r, path, path);
		fnl_reader_close(r);
	}
	/* the same file cut after the first byte of 星: not UTF-8 at its end, so GBK */
	const char *path = tmp_write("sniff-short.csv", file.p, SNIFF - 3 + 1);
	fnl_reader *r = open_ok(path, NULL);
	assert_string_equal(fnl_reader_encoding(r), "gbk");
	fnl_reader_close(r);
	free(file.p);
}

/* ---- round trip ---- */

static uint64_t rng = 0x2545F4914F6CDD1DULL;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

struct gen_record {
	size_t nf;
	char *f[6];
	int64_t line;
};

/* Random records written as CSV (quoted when needed, sometimes anyway; any line end), read back. */
static void round_trip(const char *encoding, unsigned seed)
{
	static const char *const utf8_bits[] = {"a", "B", "7", "0", " ", ",", "\"", "\n", "\r", "\r\n", "公", "司",
						 "é", "😀", "x y", "\"\""};
	static const char *const gbk_bits[] = {"a", "B", "7", "0", " ", ",", "\"", "\n", "\r", "\r\n", "公", "司",
					       "乗", "億", "学校", "\"\""};
	int gbk = strcmp(encoding, "gbk") == 0;
	const char *const *bits = gbk ? gbk_bits : utf8_bits;
	rng = 0x2545F4914F6CDD1DULL ^ seed;
	enum { N = 12000 };
	struct gen_record *recs = calloc(N, sizeof *recs);
	assert_non_null(recs);
	struct sb text = {0}, fld = {0};
	const char *prev_end = "\n";
	static const char *const ends[] = {"\n", "\r\n", "\r"};
	for (int i = 0; i < N; i++) {
		struct gen_record *g = &recs[i];
		g->nf = i == 0 ? 6 : 1 + rnd(6);
		size_t start = text.n;
		for (size_t k = 0; k < g->nf; k++) {
			fld.n = 0;
			sb_str(&fld, "");
			if (i == 0) {
				sb_str(&fld, gbk ? (k == 0 ? "公司" : k == 1 ? "联系人" : "手机") : "head");
			} else {
				unsigned len = rnd(10) == 0 ? rnd(3000) : rnd(12);
				if (rnd(400) == 0)
					len = 20000 + rnd(20000);
				for (unsigned b = 0; b < len; b++)
					sb_str(&fld, bits[rnd(16)]);
			}
			g->f[k] = strdup(fld.p);
			int quote = strpbrk(fld.p, ",\"\r\n") != NULL || rnd(4) == 0;
			if (k)
				sb_str(&text, ",");
			if (quote)
				sb_str(&text, "\"");
			for (size_t c = 0; c < fld.n; c++)
				sb_add(&text, fld.p[c] == '"' && quote ? "\"\"" : &fld.p[c], fld.p[c] == '"' && quote ? 2 : 1);
			if (quote)
				sb_str(&text, "\"");
		}
		/* an empty line after a lone CR would read as its LF: pick another end then */
		const char *end = ends[rnd(3)];
		if (text.n == start && strcmp(prev_end, "\r") == 0 && strcmp(end, "\n") == 0)
			end = "\r\n";
		if (i < N - 1 || text.n == start || rnd(2))
			sb_str(&text, end);
		prev_end = end;
		g->line = (int64_t)start; /* the offset, made a line below */
	}
	/* lines: CRLF, LF and a lone CR each end one, counted on the written bytes */
	int64_t line = 1;
	size_t off = 0;
	for (int i = 0; i < N; i++) {
		size_t to = (size_t)recs[i].line;
		for (; off < to; off++)
			if (text.p[off] == '\n' || (text.p[off] == '\r' && text.p[off + 1] != '\n'))
				line++;
		recs[i].line = line;
	}
	struct sb bytes = {0};
	if (gbk)
		to_gbk(&text, &bytes);
	else
		sb_add(&bytes, text.p, text.n);
	assert_true(bytes.n > 3 * BUF);
	const char *path = tmp_write(gbk ? "round-gbk.csv" : "round-utf8.csv", bytes.p, bytes.n);

	fnl_reader *r = open_ok(path, NULL);
	assert_string_equal(fnl_reader_encoding(r), encoding);
	int64_t last_done = 0, done, total;
	for (int i = 0; i < N; i++) {
		struct fnl_record rec;
		struct fnl_error e = {0};
		int rc = fnl_reader_next(r, &rec, &e);
		if (rc != 1)
			fail_msg("record %d: rc %d %s", i, rc, e.message);
		if (rec.line != recs[i].line || rec.nfields != recs[i].nf)
			fail_msg("record %d: line %lld, %zu fields; want line %lld, %zu fields", i, (long long)rec.line,
				 rec.nfields, (long long)recs[i].line, recs[i].nf);
		for (size_t k = 0; k < rec.nfields; k++)
			if (strcmp(rec.fields[k], recs[i].f[k]))
				fail_msg("record %d (line %lld) field %zu differs", i, (long long)rec.line, k);
		fnl_reader_progress(r, &done, &total);
		assert_true(done >= last_done && done <= total);
		last_done = done;
	}
	want_end(r, path, path);
	fnl_reader_close(r);
	for (int i = 0; i < N; i++)
		for (size_t k = 0; k < recs[i].nf; k++)
			free(recs[i].f[k]);
	free(recs);
	free(text.p);
	free(fld.p);
	free(bytes.p);
}

static void test_round_trip_utf8(void **state)
{
	(void)state;
	round_trip("utf-8", 1);
	round_trip("utf-8", 2);
}

static void test_round_trip_gbk(void **state)
{
	(void)state;
	round_trip("gbk", 3);
}

/* ---- the run ---- */

static int group_setup(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof tmpdir, "/tmp/funnel-csv-XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
	(void)state;
	DIR *d = opendir(tmpdir);
	if (!d)
		return -1;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", tmpdir, de->d_name);
		unlink(path);
	}
	closedir(d);
	return rmdir(tmpdir);
}

int main(void)
{
	static const struct CMUnitTest fixed[] = {
		cmocka_unit_test(test_corpus_bytes),
		cmocka_unit_test(test_detect_invalid_utf8_is_gbk),
		cmocka_unit_test(test_open_errors),
		cmocka_unit_test(test_encoding_names),
		cmocka_unit_test(test_empty_files),
		cmocka_unit_test(test_long_field),
		cmocka_unit_test(test_stray_quote_over_the_limit),
		cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_buffer_boundaries),
		cmocka_unit_test(test_gbk_big),
		cmocka_unit_test(test_sniff_boundary),
		cmocka_unit_test(test_round_trip_utf8),
		cmocka_unit_test(test_round_trip_gbk),
	};
	enum { NCORPUS = sizeof corpus / sizeof corpus[0], NFIXED = sizeof fixed / sizeof fixed[0] };
	struct CMUnitTest tests[NCORPUS + NFIXED];
	static char names[NCORPUS][64];
	for (size_t i = 0; i < NCORPUS; i++) {
		snprintf(names[i], sizeof names[i], "corpus %s%s%s", corpus[i].file, corpus[i].encoding ? " as " : "",
			 corpus[i].encoding ? corpus[i].encoding : "");
		struct CMUnitTest t = {names[i], test_corpus, NULL, NULL, (void *)&corpus[i]};
		tests[i] = t;
	}
	for (size_t i = 0; i < NFIXED; i++)
		tests[NCORPUS + i] = fixed[i];
	return _cmocka_run_group_tests("csv", tests, NCORPUS + NFIXED, group_setup, group_teardown);
}
