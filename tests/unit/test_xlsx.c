/*
 * tests/unit/test_xlsx.c - the XLSX reader (io/xlsx.c) and the workbook writer (io/xlsx_write.c).
 *
 * The workbooks are made here: with libxlsxwriter, as Excel-like writers make them (shared
 * strings, styles with built-in and custom date formats, a formula with its cached value, a second
 * sheet), and by hand, XML written into a zip with libzip, for what libxlsxwriter does not write
 * (inline strings in a normal sheet, the 1904 date system, rich text with a phonetic guide, escapes,
 * rows and cells without references, a broken reference, damaged XML). Each is read back through
 * fnl_reader and compared as text: "LINE:field|field|...", one record a line.
 */
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

#include "funnel/analytics.h"
#include "funnel/export.h"
#include "io/reader.h"
#include "workbook.h"

/* ---- a temporary directory per test ---- */

struct dir {
	char path[64];
	char files[16][128];
	int n;
};

static int dir_setup(void **state)
{
	struct dir *d = calloc(1, sizeof *d);
	if (!d)
		return -1;
	snprintf(d->path, sizeof d->path, "/tmp/funnel-xlsx-XXXXXX");
	if (!mkdtemp(d->path)) {
		free(d);
		return -1;
	}
	*state = d;
	return 0;
}

static int dir_teardown(void **state)
{
	struct dir *d = *state;
	for (int i = 0; i < d->n; i++)
		unlink(d->files[i]);
	rmdir(d->path);
	free(d);
	return 0;
}

static const char *file_in(struct dir *d, const char *name)
{
	assert_true(d->n < 16);
	char tmp[sizeof d->files[0]];
	snprintf(tmp, sizeof tmp, "%s/%s", d->path, name);
	memcpy(d->files[d->n], tmp, sizeof tmp);
	return d->files[d->n++];
}

/* ---- reading a whole sheet as text ---- */

struct text {
	char *s;
	size_t len;
};

/* Every record of the sheet as "LINE:f1|f2|..\n"; a broken record as "LINE!message\n". Returns the
 * code that ended the reading (0 at the end). */
static int read_all(const char *path, const char *sheet, char **out, int64_t *done, int64_t *total)
{
	fnl_reader *r = NULL;
	struct fnl_error err = {0};
	int rc = fnl_reader_open(path, NULL, NULL, sheet, &r, &err);
	if (rc)
		fail_msg("open %s: %s", path, err.message);
	assert_string_equal(fnl_reader_encoding(r), "xlsx");
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	struct fnl_record rec;
	while ((rc = fnl_reader_next(r, &rec, &err)) == 1 || rc == FNL_READER_BROKEN) {
		if (rc == FNL_READER_BROKEN) {
			assert_int_equal(err.code, FNL_EINVAL);
			assert_string_equal(err.field, "line");
			fprintf(m, "%s\n", err.message);
			continue;
		}
		fprintf(m, "%lld:", (long long)rec.line);
		for (size_t i = 0; i < rec.nfields; i++)
			fprintf(m, "%s%s", i ? "|" : "", rec.fields[i]);
		fputc('\n', m);
	}
	if (rc)
		fprintf(m, "END %s: %s\n", fnl_errname(rc), err.message);
	if (done)
		fnl_reader_progress(r, done, total);
	fnl_reader_close(r);
	fclose(m);
	*out = buf;
	return rc;
}

static void assert_sheet(const char *path, const char *sheet, const char *want)
{
	char *got;
	read_all(path, sheet, &got, NULL, NULL);
	if (strcmp(got, want)) {
		print_error("read:\n%s\nexpected:\n%s\n", got, want);
		free(got);
		fail();
	}
	free(got);
}

/* ---- a workbook as Excel-like writers make it ---- */

static void write_books(const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "线索");
	lxw_format *date = t_numfmt(wb, "yyyy-mm-dd");
	lxw_format *datetime = t_numfmt(wb, "yyyy-mm-dd hh:mm");
	lxw_format *builtin14 = workbook_add_format(wb);
	format_set_num_format_index(builtin14, 14);
	lxw_format *cn = t_numfmt(wb, "yyyy\"年\"m\"月\"d\"日\"");
	lxw_format *time = t_numfmt(wb, "hh:mm:ss");
	lxw_format *two = t_numfmt(wb, "[Red]0.00");
	lxw_format *days = t_numfmt(wb, "0.0\" days\"");
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);

	const char *head[] = {"公司", "联系人", "电话", "金额", "留资时间"};
	for (int c = 0; c < 5; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], bold);
	/* row 2: a phone stored as a number, a decimal, a date */
	worksheet_write_string(ws, 1, 0, "上海某某科技有限公司", NULL);
	worksheet_write_string(ws, 1, 1, "李明", NULL);
	worksheet_write_number(ws, 1, 2, 13800138001.0, NULL);
	worksheet_write_number(ws, 1, 3, 1234.5, NULL);
	lxw_datetime d1 = {2026, 11, 27, 0, 0, 0};
	worksheet_write_datetime(ws, 1, 4, &d1, date);
	/* row 3 is blank; row 4 has a gap (B, D) and a date with a time */
	worksheet_write_string(ws, 3, 0, "北京甲乙", NULL);
	worksheet_write_number(ws, 3, 2, 0.5, NULL);
	lxw_datetime d2 = {2026, 11, 27, 10, 30, 0};
	worksheet_write_datetime(ws, 3, 4, &d2, datetime);
	/* row 5: a boolean, a formula's cached value, a large integer, built-in date format 14 */
	worksheet_write_string(ws, 4, 0, "乙", NULL);
	worksheet_write_boolean(ws, 4, 1, 1, NULL);
	worksheet_write_formula_num(ws, 4, 2, "=1+2", NULL, 3);
	worksheet_write_number(ws, 4, 3, 1e20, NULL);
	worksheet_write_number(ws, 4, 4, 46354, builtin14);
	/* row 6: a Chinese custom date format, a time alone, a coloured number format, 0.1 + 0.2, -42 */
	worksheet_write_number(ws, 5, 0, 46027, cn);
	worksheet_write_number(ws, 5, 1, 0.4375, time);
	worksheet_write_number(ws, 5, 2, 3.14159, two);
	worksheet_write_number(ws, 5, 3, 0.1 + 0.2, NULL);
	worksheet_write_number(ws, 5, 4, -42, NULL);
	/* row 7: a repeated shared string, a line break, digits as text, a small number, quoted letters */
	worksheet_write_string(ws, 6, 0, "李明", NULL);
	worksheet_write_string(ws, 6, 1, "a\nb", NULL);
	worksheet_write_string(ws, 6, 2, "00123", NULL);
	worksheet_write_number(ws, 6, 3, 1.5e-5, NULL);
	worksheet_write_number(ws, 6, 4, 12.5, days);
	/* row 8: cells with a format and no value count as empty */
	worksheet_write_blank(ws, 7, 0, bold);
	worksheet_write_blank(ws, 7, 3, bold);

	lxw_worksheet *ws2 = workbook_add_worksheet(wb, "Sheet B");
	worksheet_write_string(ws2, 0, 0, "x", NULL);
	worksheet_write_string(ws2, 0, 1, "y", NULL);
	worksheet_write_number(ws2, 1, 0, 1, NULL);
	worksheet_write_number(ws2, 1, 1, 2, NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static void test_excel_values(void **state)
{
	struct dir *d = *state;
	const char *path = file_in(d, "leads.xlsx");
	write_books(path);
	assert_sheet(path, NULL,
		     "1:公司|联系人|电话|金额|留资时间\n"
		     "2:上海某某科技有限公司|李明|13800138001|1234.5|2026-11-27\n"
		     "4:北京甲乙||0.5||2026-11-27T10:30:00\n"
		     "5:乙|TRUE|3|100000000000000000000|2026-11-28\n"
		     "6:2026-01-05|10:30:00|3.14159|0.3|-42\n"
		     "7:李明|a\nb|00123|0.000015|12.5\n");
}

static void test_sheets(void **state)
{
	struct dir *d = *state;
	const char *path = file_in(d, "two.xlsx");
	write_books(path);
	assert_sheet(path, "Sheet B", "1:x|y\n2:1|2\n");
	assert_sheet(path, "sheet b", "1:x|y\n2:1|2\n");
	assert_sheet(path, "线索", "1:公司|联系人|电话|金额|留资时间\n"
				   "2:上海某某科技有限公司|李明|13800138001|1234.5|2026-11-27\n"
				   "4:北京甲乙||0.5||2026-11-27T10:30:00\n"
				   "5:乙|TRUE|3|100000000000000000000|2026-11-28\n"
				   "6:2026-01-05|10:30:00|3.14159|0.3|-42\n"
				   "7:李明|a\nb|00123|0.000015|12.5\n");
	fnl_reader *r = NULL;
	struct fnl_error err = {0};
	assert_int_equal(fnl_reader_open(path, NULL, NULL, "Sheet C", &r, &err), FNL_EINVAL);
	assert_null(r);
	assert_string_equal(err.field, "sheet");
	assert_non_null(strstr(err.message, "'Sheet C'"));
	assert_non_null(strstr(err.message, "'线索', 'Sheet B'"));
}

/* A sheet larger than the reader's chunks: rows cut across chunk boundaries come out whole and in
 * order; progress ends at the sheet's size. Written in constant memory: inline strings. */
static void test_stream(void **state)
{
	struct dir *d = *state;
	const char *path = file_in(d, "big.xlsx");
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	char buf[64];
	for (int i = 0; i < 5000; i++) {
		snprintf(buf, sizeof buf, "公司%05d", i);
		worksheet_write_string(ws, (lxw_row_t)i, 0, buf, NULL);
		worksheet_write_number(ws, (lxw_row_t)i, 1, 13900000000.0 + i, NULL);
		worksheet_write_number(ws, (lxw_row_t)i, 3, i / 4.0, NULL);
	}
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

	char *got;
	int64_t done = 0, total = 0;
	assert_int_equal(read_all(path, NULL, &got, &done, &total), 0);
	assert_true(total > 65536 * 3);
	assert_int_equal(done, total);
	char *p = got;
	for (int i = 0; i < 5000; i++) {
		char want[128], quarter[32];
		snprintf(quarter, sizeof quarter, i % 4 == 0 ? "%.0f" : "%g", i / 4.0);
		snprintf(want, sizeof want, "%d:公司%05d|%.0f||%s\n", i + 1, i, 13900000000.0 + i, quarter);
		size_t n = strlen(want);
		if (strncmp(p, want, n))
			fail_msg("row %d: got '%.60s', expected '%s'", i + 1, p, want);
		p += n;
	}
	assert_string_equal(p, "");
	free(got);
}

/* ---- workbooks written by hand ---- */

static void add_part(zip_t *z, const char *name, const char *xml)
{
	zip_source_t *s = zip_source_buffer(z, xml, strlen(xml), 0);
	assert_non_null(s);
	assert_true(zip_file_add(z, name, s, ZIP_FL_ENC_UTF_8) >= 0);
}

static const char REL_NS[] = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/* A package with a workbook of one sheet "Data"; parts NULL are left out. */
static void write_zip(const char *path, const char *workbook, const char *styles, const char *sst, const char *sheet)
{
	int ze;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
	assert_non_null(z);
	static char rels[1024], wbrels[1024];
	snprintf(rels, sizeof rels,
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		 "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		 "<Relationship Id=\"rId1\" Type=\"%s/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>",
		 REL_NS);
	snprintf(wbrels, sizeof wbrels,
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
		 "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		 "<Relationship Id=\"rId7\" Type=\"%s/worksheet\" Target=\"worksheets/data.xml\"/>"
		 "<Relationship Id=\"rId8\" Type=\"%s/styles\" Target=\"/xl/styles.xml\"/>"
		 "<Relationship Id=\"rId9\" Type=\"%s/sharedStrings\" Target=\"sharedStrings.xml\"/>"
		 "</Relationships>",
		 REL_NS, REL_NS, REL_NS);
	add_part(z, "_rels/.rels", rels);
	if (workbook) {
		add_part(z, "xl/workbook.xml", workbook);
		add_part(z, "xl/_rels/workbook.xml.rels", wbrels);
	}
	if (styles)
		add_part(z, "xl/styles.xml", styles);
	if (sst)
		add_part(z, "xl/sharedStrings.xml", sst);
	if (sheet)
		add_part(z, "xl/worksheets/data.xml", sheet);
	assert_int_equal(zip_close(z), 0);
}

#define MAIN_NS "http://schemas.openxmlformats.org/spreadsheetml/2006/main"

static const char WORKBOOK_1904[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
	"<workbook xmlns=\"" MAIN_NS "\" xmlns:rel=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
	"<workbookPr date1904=\"1\"/><sheets><sheet name=\"Data\" sheetId=\"1\" rel:id=\"rId7\"/></sheets></workbook>";

/* cellStyleXfs has an xf with a date format that no cell uses: only cellXfs count. */
static const char STYLES[] =
	"<styleSheet xmlns=\"" MAIN_NS "\"><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"yyyy/mm/dd;@\"/></numFmts>"
	"<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
	"<cellXfs count=\"3\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\" applyNumberFormat=\"1\"/><xf numFmtId=\"22\"/></cellXfs>"
	"</styleSheet>";

static const char SST[] =
	"<sst xmlns=\"" MAIN_NS "\" count=\"3\" uniqueCount=\"3\">"
	"<si><t>plain</t></si>"
	"<si><r><t>富</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">文本 </t></r><rPh sb=\"0\" eb=\"1\"><t>ふ</t></rPh></si>"
	"<si><t>a_x000D_b x_x005F_y</t></si>"
	"</sst>";

static void test_by_hand(void **state)
{
	struct dir *d = *state;
	const char *path = file_in(d, "hand.xlsx");
	write_zip(path, WORKBOOK_1904, STYLES, SST,
		  "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"" MAIN_NS "\"><sheetData>"
		  "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>名称</t></is></c><c r=\"B1\" t=\"s\"><v>0</v></c>"
		  "<c r=\"C1\" t=\"s\"><v>1</v></c><c r=\"D1\" t=\"s\"><v>2</v></c></row>"
		  "<row r=\"2\"><c r=\"A2\" s=\"1\"><v>0</v></c><c r=\"B2\" s=\"1\"><v>45000</v></c>"
		  "<c r=\"D2\" s=\"2\"><v>45000.4375</v></c></row>"
		  "<row><c t=\"inlineStr\"><is><r><t>无</t></r><r><t>引用</t></r></is></c>"
		  "<c t=\"str\"><f>A1</f><v>公式结果</v></c><c t=\"e\"><v>#N/A</v></c></row>"
		  "<row r=\"10\" spans=\"1:3\"><c r=\"B10\" t=\"s\"><v>99</v></c></row>"
		  "<row r=\"11\"><c r=\"A11\" s=\"7\"><v>1.5</v></c></row>"
		  "<row r=\"12\"/>"
		  "<row r=\"13\"><c r=\"C13\" t=\"n\"><v> 7 </v></c><c r=\"D13\" t=\"inlineStr\"><is><t></t></is></c></row>"
		  "</sheetData></worksheet>");
	assert_sheet(path, NULL,
		     "1:名称|plain|富文本 |a\rb x_y\n"
		     "2:1904-01-01|2027-03-16||2027-03-16T10:30:00\n"
		     "3:无引用|公式结果|#N/A\n"
		     "line 10: cell B10 refers to shared string '99', which the workbook does not have\n"
		     "11:1.5\n"
		     "13:||7\n");
}

/* A workbook without sharedStrings.xml and styles.xml, its workbook found without _rels/.rels'
 * help (the default place). */
static void test_minimal(void **state)
{
	struct dir *d = *state;
	const char *path = file_in(d, "min.xlsx");
	int ze;
	zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &ze);
	assert_non_null(z);
	add_part(z, "xl/workbook.xml",
		 "<workbook xmlns=\"" MAIN_NS "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
		 "<sheets><sheet name=\"Hidden\" sheetId=\"1\" state=\"hidden\" r:id=\"rId1\"/>"
		 "<sheet name=\"Shown\" sheetId=\"2\" r:id=\"rId2\"/></sheets></workbook>");
	add_part(z, "xl/_rels/workbook.xml.rels",
		 "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
		 "<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
		 "<Relationship Id=\"rId2\" Type=\"x/worksheet\" Target=\"worksheets/sheet2.xml\"/></Relationships>");
	add_part(z, "xl/worksheets/sheet1.xml",
		 "<worksheet xmlns=\"" MAIN_NS "\"><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c></row></sheetData></worksheet>");
	add_part(z, "xl/worksheets/sheet2.xml",
		 "<worksheet xmlns=\"" MAIN_NS "\"><sheetData><row r=\"2\"><c r=\"B2\"><v>46353</v></c></row></sheetData></worksheet>");
	assert_int_equal(zip_close(z), 0);
	/* the first visible sheet; without styles a number is a number */
	assert_sheet(path, NULL, "2:|46353\n");
	assert_sheet(path, "Hidden", "1:1\n");
}

static void expect_open_error(const char *path, int code, const char *field, const char *words)
{
	fnl_reader *r = NULL;
	struct fnl_error err = {0};
	int rc = fnl_reader_open(path, NULL, NULL, NULL, &r, &err);
	if (rc != code || strcmp(err.field, field) || !strstr(err.message, words))
		fail_msg("open %s: got %s (%s: %s), expected %s mentioning '%s'", path, fnl_errname(rc), err.field,
			 err.message, fnl_errname(code), words);
	assert_null(r);
}

static void write_bytes(const char *path, const char *bytes, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, n, f), n);
	fclose(f);
}

static void test_broken(void **state)
{
	struct dir *d = *state;
	const char *text = file_in(d, "text.xlsx");
	write_bytes(text, "company,contact\n", 16);
	expect_open_error(text, FNL_EINVAL, "file", "not a zip archive");

	const char *ole = file_in(d, "old.xlsx");
	write_bytes(ole, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 and more", 18);
	expect_open_error(ole, FNL_EINVAL, "file", "password");

	expect_open_error("/nonexistent/dir/x.xlsx", FNL_EIO, "file", "cannot open");

	const char *nowb = file_in(d, "nowb.xlsx");
	write_zip(nowb, NULL, NULL, NULL, NULL);
	expect_open_error(nowb, FNL_EINVAL, "file", "no xl/workbook.xml");

	const char *nosheets = file_in(d, "nosheets.xlsx");
	write_zip(nosheets, "<workbook xmlns=\"" MAIN_NS "\"><sheets/></workbook>", NULL, NULL, NULL);
	expect_open_error(nosheets, FNL_EINVAL, "file", "no sheets");

	const char *nosheet = file_in(d, "nosheet.xlsx");
	write_zip(nosheet, WORKBOOK_1904, STYLES, NULL, NULL);
	expect_open_error(nosheet, FNL_EINVAL, "file", "sheet 'Data' is missing");

	const char *badwb = file_in(d, "badwb.xlsx");
	write_zip(badwb, "<workbook><sheets>", NULL, NULL, NULL);
	expect_open_error(badwb, FNL_EINVAL, "file", "xl/workbook.xml is not well-formed XML");

	const char *dtd = file_in(d, "dtd.xlsx");
	write_zip(dtd, "<!DOCTYPE w [<!ENTITY a \"aaaa\">]><workbook/>", NULL, NULL, NULL);
	expect_open_error(dtd, FNL_EINVAL, "file", "not well-formed");

	/* damaged sheet XML: the rows before it come out, then the reading ends */
	const char *badsheet = file_in(d, "badsheet.xlsx");
	write_zip(badsheet, WORKBOOK_1904, NULL, NULL,
		  "<worksheet xmlns=\"" MAIN_NS "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>ok</t></is></c></row>"
		  "<row r=\"2\"><c r=\"A2\"><v>1</x></c></row></sheetData></worksheet>");
	char *got;
	assert_int_equal(read_all(badsheet, NULL, &got, NULL, NULL), FNL_EIO);
	assert_non_null(strstr(got, "1:ok\nEND EIO: file: the workbook is damaged: sheet 'Data' is not well-formed XML (line 1"));
	free(got);
}

/* ---- writing: a report table round trip ---- */

static fnl_rtable *sample_table(const char *title)
{
	fnl_rtable *t = fnl_rtable_new(title);
	fnl_rtable_col(t, "channel", "渠道", "Channel", FNL_COL_TEXT);
	fnl_rtable_col(t, "leads", "线索数", "Leads", FNL_COL_INT);
	fnl_rtable_col(t, "won_amount", "成交金额（元）", "Won amount (yuan)", FNL_COL_MONEY);
	fnl_rtable_col(t, "conversion", "转化率", "Conversion", FNL_COL_RATE);
	fnl_rtable_col(t, "cycle", "周期（天）", "Cycle (days)", FNL_COL_DAYS);
	fnl_rtable_col(t, "roi", "ROI", "ROI", FNL_COL_NUMBER);
	fnl_rtable_text(t, "搜索引擎关键词");
	fnl_rtable_int(t, 12345);
	fnl_rtable_money(t, 12800050);
	fnl_rtable_real(t, 0.3125);
	fnl_rtable_real(t, 4.5);
	fnl_rtable_real(t, 2.25);
	fnl_rtable_text(t, "website, \"官网\"");
	fnl_rtable_int(t, 0);
	fnl_rtable_money(t, 1);
	fnl_rtable_null(t);
	fnl_rtable_null(t);
	fnl_rtable_real(t, -0.5);
	return t;
}

/* The cells of a table compared with what the reader gives back: text as is, counts exactly,
 * money in yuan to the 分, the other numbers to 1e-9; a null is an empty field. */
static void assert_round_trip(const fnl_rtable *t, const char *lang, const char *path, const char *sheet)
{
	fnl_reader *r = NULL;
	struct fnl_error err = {0};
	if (fnl_reader_open(path, "xlsx", NULL, sheet, &r, &err))
		fail_msg("open: %s", err.message);
	struct fnl_record rec;
	size_t nc = fnl_rtable_ncols(t), nr = fnl_rtable_nrows(t);
	assert_int_equal(fnl_reader_next(r, &rec, &err), 1);
	assert_int_equal(rec.line, 1);
	assert_int_equal(rec.nfields, nc);
	for (size_t c = 0; c < nc; c++)
		assert_string_equal(rec.fields[c], fnl_rtable_label(t, c, lang));
	for (size_t row = 0; row < nr; row++) {
		assert_int_equal(fnl_reader_next(r, &rec, &err), 1);
		assert_int_equal(rec.line, (int64_t)row + 2);
		for (size_t c = 0; c < nc; c++) {
			int null;
			const char *want = fnl_rtable_cell_text(t, row, c, &null);
			const char *got = c < rec.nfields ? rec.fields[c] : "";
			if (null) {
				assert_string_equal(got, "");
				continue;
			}
			switch (fnl_rtable_type(t, c)) {
			case FNL_COL_TEXT:
				assert_string_equal(got, want);
				break;
			case FNL_COL_INT: {
				char buf[32];
				snprintf(buf, sizeof buf, "%lld", (long long)fnl_rtable_cell_int(t, row, c));
				assert_string_equal(got, buf);
				break;
			}
			case FNL_COL_MONEY:
				assert_int_equal(llround(strtod(got, NULL) * 100), fnl_rtable_cell_int(t, row, c));
				break;
			default:
				assert_true(fabs(strtod(got, NULL) - fnl_rtable_cell_real(t, row, c)) < 1e-9);
				break;
			}
		}
	}
	assert_int_equal(fnl_reader_next(r, &rec, &err), 0);
	fnl_reader_close(r);
}

/* The text of a part of a workbook. */
static char *part(const char *path, const char *name)
{
	int ze;
	zip_t *z = zip_open(path, ZIP_RDONLY, &ze);
	assert_non_null(z);
	zip_stat_t st;
	assert_int_equal(zip_stat(z, name, 0, &st), 0);
	char *buf = calloc(1, st.size + 1);
	zip_file_t *f = zip_fopen(z, name, 0);
	assert_non_null(f);
	assert_int_equal(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
	zip_fclose(f);
	zip_discard(z);
	return buf;
}

static void test_rtable_round_trip(void **state)
{
	struct dir *d = *state;
	fnl_rtable *t = sample_table("channels");
	const char *zh = file_in(d, "report-zh.xlsx");
	struct fnl_error err = {0};
	assert_int_equal(fnl_rtable_xlsx(t, "zh", zh, &err), 0);
	assert_round_trip(t, "zh", zh, NULL);
	assert_round_trip(t, "zh", zh, "channels");
	const char *en = file_in(d, "report-en.xlsx");
	assert_int_equal(fnl_rtable_xlsx(t, "en", en, &err), 0);
	assert_round_trip(t, "en", en, NULL);

	/* the formatting: frozen header row with a filter, widths, number formats by type */
	char *sheet = part(zh, "xl/worksheets/sheet1.xml");
	assert_non_null(strstr(sheet, "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"));
	assert_non_null(strstr(sheet, "<autoFilter ref=\"A1:F3\"/>"));
	/* the widest text of column A, 'website, "官网"', is 11 narrow and 2 wide characters: 15
	 * columns, and 2 of margin (Excel stores 17 as 17.7109375) */
	assert_non_null(strstr(sheet, "<col min=\"1\" max=\"1\" width=\"17.7109375\" customWidth=\"1\"/>"));
	free(sheet);
	char *styles = part(zh, "xl/styles.xml");
	assert_non_null(strstr(styles, "formatCode=\"#,##0.00\""));
	assert_non_null(strstr(styles, "formatCode=\"0.0%\""));
	assert_non_null(strstr(styles, "formatCode=\"0.0\""));
	assert_non_null(strstr(styles, "<b/>"));
	free(styles);
	fnl_rtable_free(t);
}

static void test_report_two_sheets(void **state)
{
	struct dir *d = *state;
	struct fnl_report rep = {NULL, sample_table("flow"), sample_table("流失原因")};
	const char *path = file_in(d, "flow.xlsx");
	struct fnl_error err = {0};
	assert_int_equal(fnl_report_xlsx(&rep, "en", path, &err), 0);
	assert_round_trip(rep.table, "en", path, "flow");
	assert_round_trip(rep.detail, "en", path, "流失原因");
	/* a title Excel refuses as a sheet name is made valid */
	fnl_rtable_free(rep.detail);
	rep.detail = sample_table("a/b:c [x]?");
	assert_int_equal(fnl_report_xlsx(&rep, "en", file_in(d, "flow2.xlsx"), &err), 0);
	assert_round_trip(rep.detail, "en", d->files[d->n - 1], "a_b_c _x__");
	fnl_rtable_free(rep.table);
	fnl_rtable_free(rep.detail);

	assert_int_equal(fnl_rtable_xlsx(rep.table = sample_table("t"), "en", "/nonexistent/dir/x.xlsx", &err), FNL_EIO);
	assert_string_equal(err.field, "out");
	assert_non_null(strstr(err.message, "/nonexistent/dir/x.xlsx"));
	fnl_rtable_free(rep.table);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_excel_values, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(test_sheets, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(test_stream, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(test_by_hand, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(test_minimal, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(test_broken, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(test_rtable_round_trip, dir_setup, dir_teardown),
		cmocka_unit_test_setup_teardown(test_report_two_sheets, dir_setup, dir_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
