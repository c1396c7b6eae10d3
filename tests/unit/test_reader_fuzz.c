/*
 * tests/unit/test_reader_fuzz.c - mutation fuzzing of the readers of io/reader.h, CSV and XLSX.
 *
 * Deterministic: every input comes from fixed seeds through a splitmix64 generator, so a failure
 * names its case and happens again. The inputs are made here, in a temporary directory:
 * - CSV: a handful of realistic files (Chinese headers, quoted fields holding commas, quotes and line
 *   ends, a BOM, GBK made with iconv, blank lines, ragged rows, a few over the 256 KiB read buffer),
 *   mutated (bytes flipped, set, inserted, deleted; quotes, CR, LF, NUL and high bytes spliced in;
 *   cut short; chunks duplicated), each read to the end with the encoding detected, utf-8 and gbk;
 * - XLSX: a workbook written with libxlsxwriter (strings in Chinese, numbers, dates in several
 *   formats, blank cells, two sheets) whose XML parts are mutated as text (bytes, tags deleted or
 *   duplicated, attributes and cell values replaced by hostile ones: references beyond XFD or row 0,
 *   shared strings that do not exist, odd numFmtIds, long text, deep nesting, a DTD with external or
 *   recursive entities, another encoding) and stored back, stored or deflated, into a new zip; and
 *   the zip's own bytes mutated. Every sheet is read to the end.
 * Checked on every step: the codes are the contract's (1; 0; FNL_READER_BROKEN with field "line", a
 * line >= 1 and no fields, after which reading goes on; FNL_EIO or FNL_ENOMEM to stop), every field
 * is NUL-terminated valid UTF-8, a record has a field and a line >= 1 (in a CSV file never lower than
 * the one before), the reading ends within one record per byte. As references: a detected encoding
 * reads exactly as the same encoding named, a BOM reads the same when gbk is named, a workbook reads
 * the same stored as deflated, a CSV file from disk never ends in an error, the progress reaches the
 * size. Each run also checks that the mutations reached every outcome (records, broken records,
 * refusals, fatal errors), so that a generator that stopped mutating would fail.
 * The sanitizer build of the CI adds: no overflow, leak or undefined behaviour on any input.
 * Last, one test for each defect the fuzzing found, on its minimal input.
 */
#include <dirent.h>
#include <iconv.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zip.h>

#include "core/rng.h"
#include "io/reader.h"
#include "workbook.h"

static char tmpdir[64];

/* ---- a generator (core/rng.h) ---- */

/* 0 .. n-1 (0 when n is 0) */
static size_t below(struct fnl_rng *s, size_t n)
{
	return n ? (size_t)(fnl_rng_next(s) % n) : 0;
}

static int chance(struct fnl_rng *s, unsigned percent)
{
	return fnl_rng_next(s) % 100 < percent;
}

#define PICK(s, arr) ((arr)[below((s), sizeof(arr) / sizeof((arr)[0]))])

/* ---- bytes ---- */

struct bytes {
	unsigned char *p;
	size_t n, cap;
};

static void b_reserve(struct bytes *b, size_t n)
{
	if (n + 1 <= b->cap)
		return;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < n + 1)
		cap *= 2;
	b->p = realloc(b->p, cap);
	assert_non_null(b->p);
	b->cap = cap;
}

/* Insert s[0..n) at at (s may point into b). */
static void b_insert(struct bytes *b, size_t at, const void *s, size_t n)
{
	if (at > b->n)
		at = b->n;
	unsigned char *copy = malloc(n ? n : 1);
	assert_non_null(copy);
	memcpy(copy, s, n);
	b_reserve(b, b->n + n);
	memmove(b->p + at + n, b->p + at, b->n - at);
	memcpy(b->p + at, copy, n);
	b->n += n;
	b->p[b->n] = 0;
	free(copy);
}

static void b_delete(struct bytes *b, size_t at, size_t n)
{
	if (at >= b->n)
		return;
	if (n > b->n - at)
		n = b->n - at;
	memmove(b->p + at, b->p + at + n, b->n - at - n);
	b->n -= n;
	b->p[b->n] = 0;
}

static void b_replace(struct bytes *b, size_t at, size_t n, const char *s)
{
	b_delete(b, at, n);
	b_insert(b, at, s, strlen(s));
}

static void b_add(struct bytes *b, const void *s, size_t n)
{
	b_insert(b, b->n, s, n);
}

static void b_str(struct bytes *b, const char *s)
{
	b_add(b, s, strlen(s));
}

static void b_copy(struct bytes *dst, const struct bytes *src)
{
	dst->n = 0;
	b_reserve(dst, src->n);
	memcpy(dst->p, src->p, src->n);
	dst->n = src->n;
	dst->p[dst->n] = 0;
}

static void b_free(struct bytes *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

/* Where the k-th occurrence of needle is; the number of occurrences when k is (size_t)-1. */
static size_t b_find(const struct bytes *b, const char *needle, size_t k)
{
	size_t m = strlen(needle), seen = 0;
	for (size_t i = 0; m <= b->n && i <= b->n - m; i++)
		if (memcmp(b->p + i, needle, m) == 0) {
			if (seen == k)
				return i;
			seen++;
		}
	return k == (size_t)-1 ? seen : b->n;
}

/* A random occurrence of needle, or b->n when there is none. */
static size_t b_find_any(const struct bytes *b, const char *needle, struct fnl_rng *s)
{
	size_t n = b_find(b, needle, (size_t)-1);
	return n ? b_find(b, needle, below(s, n)) : b->n;
}

static size_t b_index(const struct bytes *b, size_t from, unsigned char c)
{
	for (size_t i = from; i < b->n; i++)
		if (b->p[i] == c)
			return i;
	return b->n;
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(p, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static const char *tmp_path(const char *name)
{
	static char path[4][128];
	static int turn;
	char *p = path[turn++ % 4];
	snprintf(p, sizeof path[0], "%s/%s", tmpdir, name);
	return p;
}

/* ---- the contract, checked on every step ---- */

/* s is whole, valid UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. */
static int utf8_valid(const unsigned char *s)
{
	while (*s) {
		unsigned c = *s;
		if (c < 0x80) {
			s++;
			continue;
		}
		size_t len;
		unsigned min;
		if (c >= 0xC2 && c <= 0xDF)
			len = 2, min = 0x80;
		else if (c >= 0xE0 && c <= 0xEF)
			len = 3, min = 0x800;
		else if (c >= 0xF0 && c <= 0xF4)
			len = 4, min = 0x10000;
		else
			return 0;
		unsigned cp = c & (0x7Fu >> len);
		for (size_t k = 1; k < len; k++) {
			if ((s[k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[k] & 0x3Fu);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		s += len;
	}
	return 1;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * UINT64_C(0x100000001B3);
	return h;
}

/* What the fuzzing reached, to show that it reached something. */
struct tally {
	long reads, refused, records, broken, fatal, gbk, utf8;
};

/*
 * Read r to the end, checking each step against the contract; what names the case. At most limit
 * records (broken ones included) may come; lines may not go back when monotone. *digest: the whole
 * sequence of codes, lines and fields. Returns the code that ended the reading.
 */
static int drain(fnl_reader *r, const char *what, int64_t limit, int monotone, struct tally *t, uint64_t *digest)
{
	uint64_t h = UINT64_C(0xCBF29CE484222325);
	int64_t count = 0, last = 0;
	int rc;
	t->reads++;
	for (;;) {
		struct fnl_record rec;
		struct fnl_error err;
		memset(&rec, 0, sizeof rec);
		memset(&err, 0, sizeof err);
		rc = fnl_reader_next(r, &rec, &err);
		h = fnv(h, &rc, sizeof rc);
		if (rc == 0)
			break;
		if (rc != 1 && rc != FNL_READER_BROKEN) {
			if (rc != FNL_EIO && rc != FNL_ENOMEM)
				fail_msg("%s: fnl_reader_next returned %d (%s), which the contract does not allow", what, rc,
					 fnl_errname(rc));
			if (err.code != rc || !err.message[0])
				fail_msg("%s: ended with %s but err says %d '%s'", what, fnl_errname(rc), err.code, err.message);
			t->fatal++;
			break;
		}
		if (++count > limit)
			fail_msg("%s: more than %lld records from an input that can hold %lld: the reader does not end", what,
				 (long long)count - 1, (long long)limit);
		if (rec.line < 1 || (monotone && rec.line < last))
			fail_msg("%s: record %lld has line %lld after line %lld", what, (long long)count, (long long)rec.line,
				 (long long)last);
		last = rec.line;
		h = fnv(h, &rec.line, sizeof rec.line);
		if (rc == FNL_READER_BROKEN) {
			if (err.code != FNL_EINVAL || strcmp(err.field, "line") || strncmp(err.message, "line ", 5))
				fail_msg("%s: broken record at line %lld with err %d '%s' '%s'", what, (long long)rec.line,
					 err.code, err.field, err.message);
			if (rec.nfields)
				fail_msg("%s: broken record at line %lld with %zu fields", what, (long long)rec.line, rec.nfields);
			t->broken++;
			continue;
		}
		if (rec.nfields < 1 || !rec.fields)
			fail_msg("%s: record at line %lld has no fields", what, (long long)rec.line);
		h = fnv(h, &rec.nfields, sizeof rec.nfields);
		for (size_t i = 0; i < rec.nfields; i++) {
			const char *f = rec.fields[i];
			if (!f)
				fail_msg("%s: line %lld field %zu is NULL", what, (long long)rec.line, i);
			if (!utf8_valid((const unsigned char *)f))
				fail_msg("%s: line %lld field %zu is not valid UTF-8", what, (long long)rec.line, i);
			h = fnv(h, f, strlen(f) + 1);
		}
		t->records++;
	}
	*digest = h;
	return rc;
}

/* ---- CSV ---- */

/* The seeds, in UTF-8; gbk: also written in GBK. */
static const struct {
	const char *text;
	int gbk;
} CSV_SEEDS[] = {
	{"公司,联系人,手机,城市,备注\r\n"
	 "上海某某科技有限公司,李明,13800138001,上海,\"说 \"\"你好\"\", 明天回电\"\r\n"
	 "北京甲乙,王芳,13900139002,北京,\"多行\r\n备注, 第二行\"\r\n"
	 "广州丙丁,,13700137003,广州,\r\n",
	 1},
	{"\xEF\xBB\xBF姓名,电话,来源\n张伟,13700137003,官网\n\n李娜,13600136004,展会,,,\n赵六,\"136,001\",\"\"\n", 0},
	{"a,b,c\n1,2\n1,2,3,4\n\"x\",\"y\"z,\"\"\n,,\n\"q\"\"\",5\" screen, a \"b\"\n", 0},
	{"名称,金额,日期\r\r\n甲,1.5,2026-11-27\r乙,\"2,5\",\r\n\r\n丙,\"\"\"\",\"a\nb\nc\"\n", 1},
	{"company,contact,phone\n\"Acme, Inc.\",\"O\"\"Neil\",\"+86 138\r\n0013 8001\"\n\n\n"
	 "\"unterminated,x\ny,z\n",
	 0},
	{"客户名称,负责人,阶段,预计金额\n华东区域一部,陈静,商务谈判,\"1,200,000\"\n"
	 "华南区域二部,刘洋,\"需求确认\n(已回访)\",350000\n西北,周,,\n",
	 1},
	{"", 0},
};

static void to_gbk(const char *utf8, struct bytes *out)
{
	iconv_t cd = iconv_open("GBK", "UTF-8");
	assert_true(cd != (iconv_t)-1);
	size_t n = strlen(utf8);
	out->n = 0;
	b_reserve(out, 2 * n + 16);
	char *in = (char *)(uintptr_t)utf8, *o = (char *)out->p;
	size_t il = n, ol = out->cap - 1;
	assert_true(iconv(cd, &in, &il, &o, &ol) != (size_t)-1);
	out->n = (size_t)(o - (char *)out->p);
	out->p[out->n] = 0;
	iconv_close(cd);
}

#define CSV_MAX (64 * 1024)

/* Bytes that change what a CSV reader sees. */
static const unsigned char CSV_SPECIAL[] = {'"', ',', '\r', '\n', 0,    ' ',  '\t', 0x80, 0x81,
					    0xA1, 0xBF, 0xC0, 0xE4, 0xED, 0xEF, 0xF4, 0xFE, 0xFF};
static const char *const CSV_PIECES[] = {
	"\r\n", "\"\"", ",\"", "\",", "\"\n", "\n\"", "\r", "\xE4\xB8", "\xE4\xB8\xAD", "\xD6\xD0", "\xD6",
	"\xEF\xBB\xBF", "\xC0\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\x81\x30\x81\x30", ",,,,,,,,", "\"\r\"",
};

static void mutate_csv(struct bytes *b, struct fnl_rng *s)
{
	size_t at = below(s, b->n + 1);
	unsigned char c;
	switch (below(s, 12)) {
	case 0:
		if (b->n)
			b->p[at % b->n] ^= (unsigned char)(1u << below(s, 8));
		break;
	case 1:
		if (b->n)
			b->p[at % b->n] = (unsigned char)fnl_rng_next(s);
		break;
	case 2:
	case 3:
		c = PICK(s, CSV_SPECIAL);
		b_insert(b, at, &c, 1);
		break;
	case 4:
		b_delete(b, at, 1 + below(s, 8));
		break;
	case 5:
		b_insert(b, at, "\"", 1);
		break;
	case 6: {
		const char *piece = PICK(s, CSV_PIECES);
		b_insert(b, at, piece, strlen(piece));
		break;
	}
	case 7:
		for (size_t k = 1 + below(s, 4); k; k--) {
			c = (unsigned char)(0x80 + below(s, 128));
			b_insert(b, at, &c, 1);
		}
		break;
	case 8: /* cut short */
		if (chance(s, 50) && b->p) {
			b->n = at;
			b->p[at] = 0;
		}
		break;
	case 9: {
		size_t from = below(s, b->n + 1), len = 1 + below(s, 256);
		if (len > b->n - from)
			len = b->n - from;
		if (b->n + len <= CSV_MAX)
			b_insert(b, at, b->p + from, len);
		break;
	}
	case 10:
		if (b->n) {
			c = 0;
			b->p[at % b->n] = c;
		}
		break;
	case 11:
		if (chance(s, 20))
			b_insert(b, 0, chance(s, 50) ? "\xFF\xFE" : "\xFE\xFF", 2);
		else
			b_insert(b, 0, "\xEF\xBB\xBF", 3);
		break;
	}
}

static const char *const ENCODINGS[] = {NULL, "utf-8", "gbk"};

/* The different non-ASCII characters of s[0..n), read as UTF-8 up to a cut one at the end, up to 8. */
static int utf8_kinds(const unsigned char *s, size_t n)
{
	char seen[8][4];
	int kinds = 0;
	for (size_t i = 0; i < n && kinds < 8;) {
		size_t len = s[i] < 0x80 ? 1 : s[i] >= 0xF0 ? 4 : s[i] >= 0xE0 ? 3 : 2;
		if (len > n - i)
			break;
		if (len > 1) {
			char c[4] = {0};
			memcpy(c, s + i, len);
			int k = 0;
			while (k < kinds && memcmp(seen[k], c, 4))
				k++;
			if (k == kinds)
				memcpy(seen[kinds++], c, 4);
		}
		i += len;
	}
	return kinds;
}

/* Write b as a CSV file and read it with every encoding; what names the case. */
static void csv_case(const struct bytes *b, const char *what, struct tally *t)
{
	const char *path = tmp_path("fuzz.csv");
	write_file(path, b->p, b->n);
	int bom = b->n >= 3 && b->p[0] == 0xEF && b->p[1] == 0xBB && b->p[2] == 0xBF;
	int utf16 = b->n >= 2 && ((b->p[0] == 0xFF && b->p[1] == 0xFE) || (b->p[0] == 0xFE && b->p[1] == 0xFF));
	uint64_t digest[3] = {0, 0, 0};
	size_t detected = 0;
	int evident = utf8_kinds(b->p, b->n < 64 * 1024 ? b->n : 64 * 1024) >= 8;
	for (size_t e = 0; e < 3; e++) {
		char label[160];
		snprintf(label, sizeof label, "%s, encoding %s", what, ENCODINGS[e] ? ENCODINGS[e] : "detected");
		fnl_reader *r = (fnl_reader *)&digest; /* must come back NULL on a failure */
		struct fnl_error err = {0};
		int rc = fnl_reader_open(path, "csv", ENCODINGS[e], NULL, &r, &err);
		/* GBK asked of what detection read as UTF-8 text with 8 different non-ASCII characters
		 * (in the sample): fewer may be GBK that is valid UTF-8 by chance */
		int utf8_as_gbk = e == 2 && detected == 1 && !bom && evident;
		if (rc) {
			/* the refusals a readable file may get: UTF-16 when the encoding is detected, and GBK
			 * asked of UTF-8 text */
			if (!((e == 0 && utf16) || utf8_as_gbk) || rc != FNL_EINVAL || strcmp(err.field, "encoding") || r)
				fail_msg("%s: cannot open: %s: %s", label, fnl_errname(rc), err.message);
			t->refused++;
			continue;
		}
		if (utf8_as_gbk)
			fail_msg("%s: UTF-8 text read as GBK", label);
		const char *enc = fnl_reader_encoding(r);
		int gbk = strcmp(enc, "gbk") == 0;
		if (!gbk && strcmp(enc, "utf-8"))
			fail_msg("%s: encoding '%s'", label, enc);
		if ((e == 1 && gbk) || (e == 2 && gbk == bom) || (bom && gbk))
			fail_msg("%s: read as %s", label, enc);
		if (e == 0) {
			detected = gbk ? 2 : 1;
			t->gbk += gbk;
			t->utf8 += !gbk;
		}
		rc = drain(r, label, (int64_t)b->n + 1, 1, t, &digest[e]);
		if (rc)
			fail_msg("%s: a file on disk ended with %s", label, fnl_errname(rc));
		int64_t done = -1, total = -1;
		fnl_reader_progress(r, &done, &total);
		if (done != (int64_t)b->n || total != (int64_t)b->n)
			fail_msg("%s: progress %lld of %lld at the end of %zu bytes", label, (long long)done, (long long)total,
				 b->n);
		fnl_reader_close(r);
	}
	if (detected && digest[0] != digest[detected])
		fail_msg("%s: detected as %s, read differently than with %s named", what, ENCODINGS[detected],
			 ENCODINGS[detected]);
	if (bom && digest[1] != digest[2])
		fail_msg("%s: with a BOM, gbk named reads differently than utf-8", what);
}

static void seed_bytes(size_t i, int gbk, struct bytes *out)
{
	if (gbk) {
		to_gbk(CSV_SEEDS[i].text, out);
	} else {
		out->n = 0;
		b_str(out, CSV_SEEDS[i].text);
	}
}

/* Small files: every seed in each of its encodings, mutated 1 to 6 times, sometimes from the last
 * mutant rather than the seed. */
static void test_csv_fuzz(void **state)
{
	(void)state;
	struct tally t = {0};
	struct bytes seed = {0}, b = {0};
	size_t nseeds = sizeof CSV_SEEDS / sizeof CSV_SEEDS[0];
	for (size_t i = 0; i < nseeds; i++)
		for (int gbk = 0; gbk <= CSV_SEEDS[i].gbk; gbk++) {
			struct fnl_rng s = {UINT64_C(0x5EED0000) + i * 2 + (uint64_t)gbk};
			seed_bytes(i, gbk, &seed);
			char what[128];
			snprintf(what, sizeof what, "csv seed %zu%s unmutated", i, gbk ? " (gbk)" : "");
			csv_case(&seed, what, &t);
			b_copy(&b, &seed);
			for (int k = 0; k < 300; k++) {
				if (!chance(&s, 30))
					b_copy(&b, &seed);
				for (size_t m = 1 + below(&s, 6); m; m--)
					mutate_csv(&b, &s);
				snprintf(what, sizeof what, "csv seed %zu%s mutant %d", i, gbk ? " (gbk)" : "", k);
				csv_case(&b, what, &t);
			}
		}
	/* the fuzzing reached every outcome and both encodings */
	print_message("csv: %ld reads, %ld records, %ld broken, %ld refused, detected %ld utf-8 %ld gbk\n", t.reads,
		      t.records, t.broken, t.refused, t.utf8, t.gbk);
	assert_true(t.reads > 3000);
	assert_true(t.records > 10000);
	assert_true(t.broken > 1000);
	assert_true(t.refused > 0);
	assert_true(t.gbk > 100 && t.utf8 > 100);
	b_free(&seed);
	b_free(&b);
}

/* Files over the read buffer (256 KiB) and the encoding sample (64 KiB): a seed's records repeated,
 * then mutated anywhere. */
static void test_csv_fuzz_big(void **state)
{
	(void)state;
	struct tally t = {0};
	struct bytes seed = {0}, b = {0};
	struct fnl_rng s = {UINT64_C(0xB16F11E5)};
	for (int k = 0; k < 8; k++) {
		size_t i = k % 2 ? 0 : 3;
		seed_bytes(i, k % 4 >= 2, &seed);
		b.n = 0;
		while (b.n < 300 * 1024)
			b_add(&b, seed.p, seed.n);
		for (size_t m = 1 + below(&s, 8); m; m--)
			mutate_csv(&b, &s);
		char what[64];
		snprintf(what, sizeof what, "big csv %d", k);
		csv_case(&b, what, &t);
	}
	assert_true(t.records > 8 * 1000);
	b_free(&seed);
	b_free(&b);
}

/* ---- XLSX ---- */

#define MAIN_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define REL_NS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define PKG_NS "http://schemas.openxmlformats.org/package/2006/relationships"

/* A workbook as Excel-like writers make it: shared strings, dates in built-in and custom formats,
 * blank cells with a format, gaps, a formula, two sheets. */
static void write_workbook(const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	assert_non_null(wb);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "线索");
	lxw_format *date = t_numfmt(wb, "yyyy-mm-dd");
	lxw_format *datetime = t_numfmt(wb, "yyyy/m/d h:mm");
	lxw_format *b14 = workbook_add_format(wb);
	format_set_num_format_index(b14, 14);
	lxw_format *cn = t_numfmt(wb, "yyyy\"年\"m\"月\"d\"日\"");
	lxw_format *time = t_numfmt(wb, "[h]:mm:ss");
	lxw_format *red = t_numfmt(wb, "[Red]0.00;[Blue]-0.00");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);

	static const char *const head[] = {"公司", "联系人", "手机", "金额", "签约日期", "跟进时间", "时长", "备注"};
	for (int c = 0; c < 8; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], bold);
	static const char *const names[] = {"李明", "王芳", "张伟", "刘洋", "陈静", "O'Neil \"Jr\"", "a\nb", "x,y"};
	for (int i = 1; i <= 24; i++) {
		lxw_row_t row = (lxw_row_t)(i + i / 7); /* some rows left out */
		char company[64];
		snprintf(company, sizeof company, "上海某某科技有限公司 %d 部", i);
		worksheet_write_string(ws, row, 0, company, NULL);
		if (i % 5)
			worksheet_write_string(ws, row, 1, names[i % 8], NULL);
		else
			worksheet_write_blank(ws, row, 1, bold);
		worksheet_write_number(ws, row, 2, 13800138000.0 + i, NULL);
		worksheet_write_number(ws, row, 3, i % 3 ? i * 1234.5 : 0.1 + 0.2 * i, i % 4 ? NULL : red);
		lxw_datetime d = {2026, 1 + i % 12, 1 + i % 28, 0, 0, 0};
		worksheet_write_datetime(ws, row, 4, &d, i % 2 ? date : i % 3 ? b14 : cn);
		lxw_datetime dt = {2026, 11, 27, i % 24, (i * 7) % 60, i % 60};
		worksheet_write_datetime(ws, row, 5, &dt, datetime);
		worksheet_write_number(ws, row, 6, i / 24.0 + 1.5, time);
		if (i % 6 == 0)
			worksheet_write_formula_num(ws, row, 7, "=1+2", NULL, 3);
		else if (i % 6 == 1)
			worksheet_write_boolean(ws, row, 7, i % 2, NULL);
		else if (i % 6 == 2)
			worksheet_write_string(ws, row, 10, "远处的一格", NULL);
	}
	lxw_worksheet *ws2 = workbook_add_worksheet(wb, "Sheet2");
	worksheet_write_string(ws2, 0, 0, "渠道", NULL);
	worksheet_write_string(ws2, 0, 1, "数量", NULL);
	worksheet_write_string(ws2, 1, 0, "官网", NULL);
	worksheet_write_number(ws2, 1, 1, 42, NULL);
	worksheet_write_string(ws2, 3, 2, "公司", NULL); /* a shared string of the first sheet */
	worksheet_write_number(ws2, 3, 0, 1e20, NULL);
	worksheet_write_number(ws2, 3, 1, -1.5e-5, NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

struct part {
	char name[64];
	struct bytes data;
	int gone;
};

#define MAX_PARTS 24

struct book {
	struct part v[MAX_PARTS];
	size_t n;
};

static void book_load(struct book *bk, const char *path)
{
	int ze = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY, &ze);
	assert_non_null(z);
	zip_int64_t n = zip_get_num_entries(z, 0);
	assert_true(n > 0 && n <= MAX_PARTS);
	memset(bk, 0, sizeof *bk);
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;
		assert_int_equal(zip_stat_index(z, (zip_uint64_t)i, 0, &st), 0);
		struct part *p = &bk->v[bk->n++];
		snprintf(p->name, sizeof p->name, "%s", st.name);
		b_reserve(&p->data, st.size);
		zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
		assert_non_null(f);
		assert_int_equal(zip_fread(f, p->data.p, st.size), (zip_int64_t)st.size);
		zip_fclose(f);
		p->data.n = st.size;
		p->data.p[p->data.n] = 0;
	}
	zip_discard(z);
}

static void book_copy(struct book *dst, const struct book *src)
{
	for (size_t i = 0; i < src->n; i++) {
		memcpy(dst->v[i].name, src->v[i].name, sizeof dst->v[i].name);
		b_copy(&dst->v[i].data, &src->v[i].data);
		dst->v[i].gone = 0;
	}
	dst->n = src->n;
}

static void book_free(struct book *bk)
{
	for (size_t i = 0; i < MAX_PARTS; i++)
		b_free(&bk->v[i].data);
	bk->n = 0;
}

static struct part *book_part(struct book *bk, const char *name)
{
	for (size_t i = 0; i < bk->n; i++)
		if (strcmp(bk->v[i].name, name) == 0)
			return &bk->v[i];
	fail_msg("the workbook has no %s", name);
	return NULL;
}

static size_t book_size(const struct book *bk)
{
	size_t n = 0;
	for (size_t i = 0; i < bk->n; i++)
		n += bk->v[i].data.n;
	return n;
}

/* Store the parts into a new zip: deflate 0 stored, 1 deflated, 2 each at random. */
static void book_write(const struct book *bk, const char *path, int deflate, struct fnl_rng *s)
{
	int ze = 0;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
	assert_non_null(z);
	for (size_t i = 0; i < bk->n; i++) {
		const struct part *p = &bk->v[i];
		if (p->gone)
			continue;
		zip_source_t *src = zip_source_buffer(z, p->data.p ? (const void *)p->data.p : "", p->data.n, 0);
		assert_non_null(src);
		zip_int64_t idx = zip_file_add(z, p->name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
		assert_true(idx >= 0);
		int d = deflate == 2 ? chance(s, 50) : deflate;
		assert_int_equal(zip_set_file_compression(z, (zip_uint64_t)idx, d ? ZIP_CM_DEFLATE : ZIP_CM_STORE, d ? 1 : 0),
				 0);
	}
	assert_int_equal(zip_close(z), 0);
}

/* Hostile values for attributes: references, indexes, types, format codes, relationship targets. */
static const char *const ATTR_NAMES[] = {
	"r", "r", "r", "t", "t", "s", "s", "numFmtId", "numFmtId", "formatCode", "count", "uniqueCount",
	"name", "r:id", "sheetId", "state", "Target", "Id", "Type", "spans", "applyNumberFormat", "xfId",
};
static const char *const ATTR_VALUES[] = {
	"XFE1", "A0", "XFD1048576", "XFD1048577", "XFD1", "ZZZZZZZZZZZZZZZZZZZZZZZZ1", "a1", "$A$1", "A-1",
	"A99999999999999999999", "AA", "1", "0", "-1", "", " ", "4294967296", "18446744073709551616",
	"9223372036854775807", "99999999999999999999", "-9223372036854775808", "1e9", "s", "s", "inlineStr", "str",
	"b", "e", "d", "n", "14", "22", "47", "164", "165", "999", "-164", "2147483648", "yyyy-mm-dd",
	"[h]:mm:ss", "&quot;unclosed", "[Red", "\\", "_", "*", "mm", "h:mm AM/PM", "yyyy&quot;年&quot;m&quot;月&quot;",
	"[$-804]yyyy/m/d;@", "rId999", "rId1", "rId2", "rId3", "../../../etc/passwd", "/xl/worksheets/sheet2.xml",
	"worksheets/../worksheets/sheet1.xml", "/", "sharedStrings.xml", "1:16384", "true", "hidden", "veryHidden",
	"线索", "Sheet2", REL_NS "/worksheet", REL_NS "/sharedStrings", "&#x1F600;", "&amp;",
};
/* Hostile cell values and texts. */
static const char *const TEXTS[] = {
	"999999", "-1", "18446744073709551615", "18446744073709551616", "", " 12 ", "1e400", "-1e400", "NaN", "inf",
	"1E+100", "-1E+300", "4.9e-324", "-0", "2958465.99999999", "2958466", "60", "61", "0.0000001", "0x1p3",
	"1.5e-5", "12345678901234567890123456789012345678901234567890123456789012345678901234567890", "_x0000_",
	"_xD800_", "_x00e9__x4E2D__xFFFF_", "_x005F_x0041_", "&amp;&lt;&gt;", "&#x1F600;", "&#0;", "&#xD800;", "]]>",
	"<![CDATA[12]]>", "中文", "a\r\nb", "&unknown;", "1,5", "TRUE", "#N/A", "45000.5", "46354",
};
static const char *const DOCTYPES[] = {
	"<!DOCTYPE x [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>",
	"<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
	"<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">"
	"<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\"><!ENTITY xxe \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">]>",
	"<!DOCTYPE x SYSTEM \"http://example.invalid/x.dtd\">",
	"<!DOCTYPE x PUBLIC \"-//x//y\" \"x.dtd\" [<!ENTITY xxe SYSTEM \"x.txt\">]>",
};
static const char *const XML_ENCODINGS[] = {"ISO-8859-1", "US-ASCII", "UTF-16", "GBK", "utf-8", ""};
static const char *const INSERTED_ATTRS[] = {
	" t=\"s\"", " t=\"inlineStr\"", " t=\"d\"", " r=\"XFE1\"", " r=\"A0\"", " s=\"999\"", " s=\"1\"",
	" date1904=\"1\"", " date1904=\"true\"", " state=\"hidden\"", " numFmtId=\"22\"", " r=\"9223372036854775807\"",
	" xml:space=\"preserve\"", " xmlns=\"urn:x\"",
};

/* A tag: from a random '<' to its '>'; 0 when there is none. */
static int random_tag(const struct bytes *b, struct fnl_rng *s, size_t *at, size_t *len)
{
	size_t lt = b_index(b, below(s, b->n + 1), '<');
	if (lt == b->n)
		lt = b_index(b, 0, '<');
	size_t gt = b_index(b, lt, '>');
	if (gt == b->n)
		return 0;
	*at = lt;
	*len = gt - lt + 1;
	return 1;
}

/* Where the text of a random <v> or <t> element starts, and its length; 0 when there is none. */
static int random_text(const struct bytes *b, struct fnl_rng *s, size_t *at, size_t *len)
{
	const char *open = chance(s, 50) ? "<v>" : "<t>";
	size_t k = b_find_any(b, open, s);
	if (k == b->n) {
		k = b_find_any(b, "<t xml:space=\"preserve\">", s);
		if (k == b->n)
			return 0;
		k += strlen("<t xml:space=\"preserve\">");
	} else {
		k += 3;
	}
	*at = k;
	*len = b_index(b, k, '<') - k;
	return 1;
}

/* Mutate the XML text b; gentle: mostly with the mutations that keep it well-formed, so that a
 * part read whole at opening lets the reading go on to the sheet. */
static void mutate_xml(struct bytes *b, struct fnl_rng *s, int gentle, char *log, size_t loglen)
{
	static const int kept_well_formed[] = {4, 5, 6, 7, 8, 9, 10, 11};
	size_t at = 0, len = 0;
	int op = gentle && chance(s, 70) ? PICK(s, kept_well_formed) : (int)below(s, 16);
	size_t used = strlen(log);
	snprintf(log + used, loglen - used, "%s%d", used ? "," : "", op);
	switch (op) {
	case 0: /* a few bytes */
		for (size_t k = 1 + below(s, 3); k; k--) {
			size_t i = below(s, b->n + 1);
			unsigned char c = (unsigned char)fnl_rng_next(s);
			if (chance(s, 50) && i < b->n)
				b->p[i] = c;
			else if (chance(s, 50))
				b_insert(b, i, &c, 1);
			else
				b_delete(b, i, 1);
		}
		break;
	case 1: /* a tag deleted */
		if (random_tag(b, s, &at, &len))
			b_delete(b, at, len);
		break;
	case 2: /* a tag repeated, where it is or elsewhere */
		if (random_tag(b, s, &at, &len)) {
			size_t to = chance(s, 50) ? at : b_index(b, below(s, b->n + 1), '<');
			b_insert(b, to, b->p + at, len);
		}
		break;
	case 3: /* a run of elements repeated */
		if (random_tag(b, s, &at, &len)) {
			size_t end = b_index(b, at + len + below(s, 600), '>');
			if (end < b->n) {
				size_t to = b_index(b, below(s, b->n + 1), '<');
				b_insert(b, to, b->p + at, end - at + 1);
			}
		}
		break;
	case 4:
	case 5:
	case 6: { /* an attribute's value replaced */
		char key[32];
		snprintf(key, sizeof key, " %s=\"", PICK(s, ATTR_NAMES));
		size_t k = b_find_any(b, key, s);
		if (k < b->n) {
			k += strlen(key);
			b_replace(b, k, b_index(b, k, '"') - k, PICK(s, ATTR_VALUES));
		}
		break;
	}
	case 7: { /* an attribute removed */
		char key[32];
		snprintf(key, sizeof key, " %s=\"", PICK(s, ATTR_NAMES));
		size_t k = b_find_any(b, key, s);
		if (k < b->n)
			b_delete(b, k, b_index(b, k + strlen(key), '"') + 1 - k);
		break;
	}
	case 8: /* an attribute added */
		if (random_tag(b, s, &at, &len) && len > 2 && b->p[at + 1] != '/' && b->p[at + 1] != '?') {
			size_t k = at + 1;
			while (k < at + len - 1 && b->p[k] != ' ' && b->p[k] != '/' && b->p[k] != '>')
				k++;
			const char *a = PICK(s, INSERTED_ATTRS);
			b_insert(b, k, a, strlen(a));
		}
		break;
	case 9:
	case 10: /* a cell value or a text replaced */
		if (random_text(b, s, &at, &len))
			b_replace(b, at, len, PICK(s, TEXTS));
		break;
	case 11: { /* a long text: over expat's and libzip's 64 KiB chunks */
		if (!random_text(b, s, &at, &len))
			break;
		static const char *const unit[] = {"x", "中", "7", "_x4E2D_", "&amp;"};
		const char *u = PICK(s, unit);
		struct bytes run = {0};
		size_t want = 40000 + below(s, 60000);
		while (run.n < want)
			b_str(&run, u);
		b_insert(b, at, run.p, run.n);
		b_free(&run);
		break;
	}
	case 12: { /* deep nesting */
		size_t depth = 100 + below(s, 5000);
		struct bytes run = {0};
		for (size_t k = 0; k < depth; k++)
			b_str(&run, chance(s, 90) ? "<n>" : "<row>");
		for (size_t k = 0; k < depth; k++)
			b_str(&run, "</n>");
		size_t to = b_index(b, below(s, b->n + 1), '<');
		b_insert(b, to, run.p, run.n);
		b_free(&run);
		break;
	}
	case 13: { /* a DTD, perhaps with its entity used */
		size_t decl = b_find(b, "?>", 0);
		size_t to = decl < b->n ? decl + 2 : 0;
		const char *dtd = PICK(s, DOCTYPES);
		b_insert(b, to, dtd, strlen(dtd));
		if (chance(s, 70) && random_text(b, s, &at, &len))
			b_replace(b, at, len, chance(s, 50) ? "&xxe;" : "&e;");
		break;
	}
	case 14: { /* another encoding declared */
		size_t k = b_find(b, " encoding=\"", 0);
		if (k < b->n) {
			k += strlen(" encoding=\"");
			b_replace(b, k, b_index(b, k, '"') - k, PICK(s, XML_ENCODINGS));
		}
		break;
	}
	case 15: /* cut short */
		b->n = below(s, b->n + 1);
		if (b->p)
			b->p[b->n] = 0;
		break;
	}
}

/* The parts the mutations aim at, the sheets most often. */
static const char *const TARGETS[] = {
	"xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml",
	"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml", "xl/sharedStrings.xml",
	"xl/sharedStrings.xml",     "xl/styles.xml",            "xl/styles.xml",
	"xl/workbook.xml",          "xl/_rels/workbook.xml.rels",
};
static const char *const SHEETS[] = {NULL, "线索", "Sheet2"};

/* Read every sheet of the workbook at path; what names the case. digests[i]: sheet i (0 when
 * refused). progress: check that a sheet read to its end was read whole. */
static void xlsx_case(const char *path, const char *what, int64_t limit, int progress, struct tally *t,
		      uint64_t digests[3])
{
	for (size_t i = 0; i < 3; i++) {
		char label[256];
		snprintf(label, sizeof label, "%s, sheet %s", what, SHEETS[i] ? SHEETS[i] : "(first)");
		fnl_reader *r = (fnl_reader *)label; /* must come back NULL on a failure */
		struct fnl_error err = {0};
		int rc = fnl_reader_open(path, i == 1 ? NULL : "xlsx", NULL, SHEETS[i], &r, &err);
		digests[i] = 0;
		if (rc) {
			if (rc != FNL_EINVAL && rc != FNL_EIO && rc != FNL_ENOMEM)
				fail_msg("%s: fnl_reader_open returned %d (%s)", label, rc, fnl_errname(rc));
			if (r || err.code != rc || !err.message[0])
				fail_msg("%s: failed open with reader %p, err %d '%s'", label, (void *)r, err.code, err.message);
			t->refused++;
			continue;
		}
		if (strcmp(fnl_reader_encoding(r), "xlsx"))
			fail_msg("%s: encoding '%s'", label, fnl_reader_encoding(r));
		rc = drain(r, label, limit, 0, t, &digests[i]);
		int64_t done = -1, total = -1;
		fnl_reader_progress(r, &done, &total);
		if (progress && rc == 0 && done != total)
			fail_msg("%s: at the end, progress %lld of %lld", label, (long long)done, (long long)total);
		fnl_reader_close(r);
	}
}

static void base_book(struct book *base)
{
	const char *path = tmp_path("base.xlsx");
	write_workbook(path);
	book_load(base, path);
	unlink(path);
}

/* Mutated parts, stored back: a few hundred workbooks. */
static void test_xlsx_fuzz_parts(void **state)
{
	(void)state;
	struct tally t = {0};
	struct book base, bk;
	memset(&bk, 0, sizeof bk);
	base_book(&base);
	const char *path = tmp_path("fuzz.xlsx"), *other = tmp_path("fuzz-deflated.xlsx");
	struct fnl_rng s = {UINT64_C(0x0B00C5EED)};
	uint64_t d[3], d2[3];
	/* unmutated: the header and 24 rows of the first sheet (read as the first and by name), 3 rows of
	 * the second */
	book_write(&base, path, 1, &s);
	xlsx_case(path, "xlsx unmutated", 100, 1, &t, d);
	assert_int_equal(t.records, 2 * 25 + 3);
	assert_int_equal(t.broken + t.fatal + t.refused, 0);
	assert_true(d[0] == d[1] && d[1] != d[2]);
	t = (struct tally){0};
	for (int k = 0; k < 400; k++) {
		book_copy(&bk, &base);
		char log[256] = "";
		for (size_t m = 1 + below(&s, 4); m; m--) {
			struct part *p = book_part(&bk, PICK(&s, TARGETS));
			size_t used = strlen(log);
			snprintf(log + used, sizeof log - used, "%s%s:", used ? " " : "", p->name + 3);
			mutate_xml(&p->data, &s, !strstr(p->name, "worksheets/"), log, sizeof log);
		}
		if (chance(&s, 3)) {
			struct part *p = book_part(&bk, PICK(&s, TARGETS));
			p->gone = 1;
			size_t used = strlen(log);
			snprintf(log + used, sizeof log - used, " without %s", p->name);
		}
		char what[400];
		snprintf(what, sizeof what, "xlsx mutant %d (%s)", k, log);
		int64_t limit = (int64_t)book_size(&bk) + 1;
		if (k % 4) {
			book_write(&bk, path, 2, &s);
			xlsx_case(path, what, limit, 1, &t, d);
			continue;
		}
		/* the same parts stored and deflated read the same */
		book_write(&bk, path, 0, &s);
		book_write(&bk, other, 1, &s);
		xlsx_case(path, what, limit, 1, &t, d);
		xlsx_case(other, what, limit, 1, &t, d2);
		for (size_t i = 0; i < 3; i++)
			if (d[i] != d2[i])
				fail_msg("%s: sheet %zu reads differently stored and deflated", what, i);
	}
	print_message("xlsx: %ld reads, %ld records, %ld broken, %ld fatal, %ld refused\n", t.reads, t.records, t.broken,
		      t.fatal, t.refused);
	assert_true(t.reads > 400);
	assert_true(t.records > 3000);
	assert_true(t.broken > 0);
	assert_true(t.fatal > 0);
	assert_true(t.refused > 0);
	unlink(other);
	book_free(&base);
	book_free(&bk);
}

/* The zip's own bytes mutated. */
static void test_xlsx_fuzz_zip(void **state)
{
	(void)state;
	struct tally t = {0};
	struct book base;
	base_book(&base);
	const char *path = tmp_path("fuzz.xlsx");
	struct fnl_rng s = {UINT64_C(0x21B5EED)};
	struct bytes zip = {0}, b = {0};
	for (int deflate = 0; deflate <= 1; deflate++) {
		book_write(&base, path, deflate, &s);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		zip.n = 0;
		unsigned char chunk[4096];
		size_t n;
		while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
			b_add(&zip, chunk, n);
		fclose(f);
		for (int k = 0; k < 40; k++) {
			b_copy(&b, &zip);
			for (size_t m = 1 + below(&s, 6); m; m--) {
				size_t at = below(&s, b.n);
				switch (below(&s, 5)) {
				case 0:
					b.p[at] ^= (unsigned char)(1u << below(&s, 8));
					break;
				case 1:
					b.p[at] = (unsigned char)fnl_rng_next(&s);
					break;
				case 2:
					b_delete(&b, at, 1 + below(&s, 16));
					break;
				case 3:
					b_insert(&b, below(&s, b.n), b.p + at, 1 + below(&s, b.n - at < 64 ? b.n - at : 64));
					break;
				case 4:
					if (chance(&s, 30))
						b.n = at;
					break;
				}
			}
			write_file(path, b.p, b.n);
			char what[64];
			snprintf(what, sizeof what, "zip %s mutant %d", deflate ? "deflated" : "stored", k);
			uint64_t d[3];
			xlsx_case(path, what, 64 * (int64_t)(book_size(&base) + b.n) + 1000, 0, &t, d);
		}
	}
	print_message("zip: %ld reads, %ld records, %ld broken, %ld fatal, %ld refused\n", t.reads, t.records, t.broken,
		      t.fatal, t.refused);
	assert_true(t.refused > 0);
	assert_true(t.records > 0);
	b_free(&zip);
	b_free(&b);
	book_free(&base);
}

/* ---- the defects found, on their minimal inputs ---- */

/* A workbook of one sheet "Data" whose sheetData is rows; sst: its shared strings, or NULL. */
static const char *one_sheet(const char *name, const char *rows, const struct bytes *sst)
{
	const char *path = tmp_path(name);
	struct book bk;
	memset(&bk, 0, sizeof bk);
	static const char *const parts[][2] = {
		{"_rels/.rels", "<Relationships xmlns=\"" PKG_NS "\"><Relationship Id=\"rId1\" Type=\"" REL_NS
				"/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"},
		{"xl/workbook.xml", "<workbook xmlns=\"" MAIN_NS "\" xmlns:r=\"" REL_NS "\"><sheets>"
				    "<sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"},
		{"xl/_rels/workbook.xml.rels", "<Relationships xmlns=\"" PKG_NS "\"><Relationship Id=\"rId1\" Type=\"" REL_NS
					       "/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"},
	};
	for (size_t i = 0; i < 3; i++) {
		snprintf(bk.v[i].name, sizeof bk.v[i].name, "%s", parts[i][0]);
		b_str(&bk.v[i].data, parts[i][1]);
	}
	snprintf(bk.v[3].name, sizeof bk.v[3].name, "xl/worksheets/sheet1.xml");
	b_str(&bk.v[3].data, "<worksheet xmlns=\"" MAIN_NS "\"><sheetData>");
	b_str(&bk.v[3].data, rows);
	b_str(&bk.v[3].data, "</sheetData></worksheet>");
	bk.n = 4;
	if (sst) {
		snprintf(bk.v[4].name, sizeof bk.v[4].name, "xl/sharedStrings.xml");
		b_copy(&bk.v[4].data, sst);
		bk.n = 5;
	}
	book_write(&bk, path, 0, NULL);
	book_free(&bk);
	return path;
}

/* Read the first sheet of path, checking the contract. */
static void read_checked(const char *path, const char *what)
{
	struct tally t = {0};
	uint64_t d[3];
	xlsx_case(path, what, 1000, 1, &t, d);
}

/* The first record of the first sheet of path: 1 or FNL_READER_BROKEN, with *field a copy of its
 * first field (free it; NULL for a broken record). */
static int first_record(const char *path, char **field)
{
	fnl_reader *r = NULL;
	struct fnl_error err = {0};
	if (fnl_reader_open(path, NULL, NULL, NULL, &r, &err))
		fail_msg("open %s: %s", path, err.message);
	struct fnl_record rec;
	int rc = fnl_reader_next(r, &rec, &err);
	*field = rc == 1 && rec.nfields ? strdup(rec.fields[0]) : NULL;
	fnl_reader_close(r);
	if (rc == 1)
		assert_non_null(*field);
	return rc;
}

/*
 * A row numbered 9223372036854775807 (INT64_MAX; or more, which strtoll clamps to it), then a row
 * without r: a number past a sheet's last row is no row number, so neither row overflows the count
 * (the second used to be numbered INT64_MAX + 1).
 */
static void test_xlsx_row_number_past_int64(void **state)
{
	(void)state;
	read_checked(one_sheet("rowmax.xlsx", "<row r=\"9223372036854775807\"><c><v>1</v></c></row><row><c><v>2</v></c></row>",
			       NULL),
		     "row r=INT64_MAX then a row without r");
	read_checked(one_sheet("rowbig.xlsx", "<row r=\"99999999999999999999\"><c><v>1</v></c></row><row><c><v>2</v></c></row>",
			       NULL),
		     "row r=10^20 then a row without r");
}

/*
 * A number is read as the number it is (to 15 significant digits): 1E+100 as Excel stores it, and a
 * value of 80 digits (which used to be cut to 63 characters before it was read, and numbers of 1e21
 * and more printed in full into 64 bytes).
 */
static void test_xlsx_number_beyond_63_digits(void **state)
{
	(void)state;
	static const char *const values[] = {
		"1E+100", "-1.5E+300", "1E+62", "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
	};
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		char rows[256];
		snprintf(rows, sizeof rows, "<row r=\"1\"><c r=\"A1\"><v>%s</v></c></row>", values[i]);
		char *field;
		assert_int_equal(first_record(one_sheet("big.xlsx", rows, NULL), &field), 1);
		double want = strtod(values[i], NULL), got = strtod(field, NULL);
		char seen[128];
		snprintf(seen, sizeof seen, "%s", field);
		free(field);
		if (!(fabs(got - want) <= 1e-14 * fabs(want)))
			fail_msg("<v>%s</v> read as '%s'", values[i], seen);
	}
}

/*
 * Text over 1 MiB: a cell's own value makes its row broken (xlsx.c's header says so for any cell),
 * and so does a shared string that long: "abcdefghi&amp;" x 110000 (1.1 MB of text) must come whole
 * or as a broken record, never cut (it used to come back as 1048576 bytes ending in "&&&&&&").
 */
static void test_xlsx_text_over_1mib(void **state)
{
	(void)state;
	struct bytes text = {0}, xml = {0};
	for (size_t k = 0; k < 110000; k++)
		b_str(&text, "abcdefghi&amp;");
	/* inline: broken, as documented */
	b_str(&xml, "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>");
	b_add(&xml, text.p, text.n);
	b_str(&xml, "</t></is></c></row>");
	char *field;
	assert_int_equal(first_record(one_sheet("longinline.xlsx", (const char *)xml.p, NULL), &field), FNL_READER_BROKEN);
	/* shared */
	xml.n = 0;
	b_str(&xml, "<sst xmlns=\"" MAIN_NS "\"><si><t>");
	b_add(&xml, text.p, text.n);
	b_str(&xml, "</t></si></sst>");
	int rc = first_record(one_sheet("longsst.xlsx", "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row>", &xml), &field);
	b_free(&text);
	b_free(&xml);
	if (rc != 1) {
		assert_int_equal(rc, FNL_READER_BROKEN);
		return;
	}
	size_t n = strlen(field);
	int whole = n == 110000 * 10;
	for (size_t i = 0; whole && i < n; i++)
		whole = field[i] == "abcdefghi&"[i % 10];
	char tail[16];
	snprintf(tail, sizeof tail, "%s", field + (n > 12 ? n - 12 : 0));
	free(field);
	if (!whole)
		fail_msg("a shared string of 1100000 bytes read as %zu bytes ending in '%s'", n, tail);
}

int main(void)
{
	static const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_fuzz),
		cmocka_unit_test(test_csv_fuzz_big),
		cmocka_unit_test(test_xlsx_fuzz_parts),
		cmocka_unit_test(test_xlsx_fuzz_zip),
		cmocka_unit_test(test_xlsx_number_beyond_63_digits),
		cmocka_unit_test(test_xlsx_text_over_1mib),
		cmocka_unit_test(test_xlsx_row_number_past_int64),
	};
	snprintf(tmpdir, sizeof tmpdir, "/tmp/funnel-fuzz-XXXXXX");
	if (!mkdtemp(tmpdir))
		return 1;
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	DIR *d = opendir(tmpdir);
	if (d) {
		struct dirent *de;
		while ((de = readdir(d)))
			if (de->d_name[0] != '.')
				unlink(tmp_path(de->d_name));
		closedir(d);
	}
	rmdir(tmpdir);
	return failed;
}
