/* io/xlsx_write.c - formatted workbooks (libxlsxwriter): report tables and the sheets of exports. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "funnel/export.h"
#include "funnel/io.h"
#include "funnel/time.h"
#include "io/xlsx_write.h"

#define MIN_WIDTH 6
#define MAX_WIDTH 60

struct fnl__xw {
	lxw_workbook *wb;
	lxw_worksheet *ws;
	char *path;
	lxw_format *head, *fmt[FNL_COL_ID + 1], *time;
	size_t ncols;
	int *types;
	double *width;
	uint32_t row;          /* the row being written (0: the header) */
	int nomem;
	int made;              /* path was made by fnl__xw_new: fnl__xw_discard removes it */
	int nsheets;
	char names[8][32 * 4];     /* the names given so far, to keep them unique (first 8 sheets) */
};

static void widen(fnl__xw *w, size_t col, double width)
{
	if (col < w->ncols && width > w->width[col])
		w->width[col] = width;
}

/* A valid, unique sheet name: Excel's forbidden characters replaced, at most 31 characters. */
static void sheet_name(fnl__xw *w, const char *want, char out[32 * 4])
{
	char base[32 * 4];
	size_t k = 0, chars = 0;
	for (const unsigned char *p = (const unsigned char *)(want ? want : ""); *p && chars < 27;) {
		int n = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
		if (k + (size_t)n >= sizeof base)
			break;
		if (*p < 0x20 || strchr("[]:*?/\\", *p)) {
			base[k++] = '_';
			p++;
		} else {
			for (int i = 0; i < n && *p; i++)
				base[k++] = (char)*p++;
		}
		chars++;
	}
	base[k] = '\0';
	/* an apostrophe may not start or end a name */
	if (base[0] == '\'')
		base[0] = '_';
	if (k && base[k - 1] == '\'')
		base[k - 1] = '_';
	if (!k)
		snprintf(base, sizeof base, "Sheet%d", w->nsheets + 1);
	snprintf(out, 32 * 4, "%s", base);
	for (int n = 2; n < 100; n++) {
		int dup = 0;
		for (int i = 0; i < w->nsheets && i < 8; i++)
			dup |= strcasecmp(w->names[i], out) == 0;
		if (!dup)
			break;
		snprintf(out, 32 * 4, "%s (%d)", base, n);
	}
	if (w->nsheets < 8)
		snprintf(w->names[w->nsheets], sizeof w->names[0], "%s", out);
}

int fnl__xw_new(const char *path, int stream, fnl__xw **out, struct fnl_error *err)
{
	*out = NULL;
	fnl__xw *w = calloc(1, sizeof *w);
	if (!w || !(w->path = strdup(path))) {
		free(w);
		return fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
	}
	/* libxlsxwriter only opens the file when it closes the workbook, and reports failing to on
	 * stderr: find out now, quietly, whether path can be written, without changing a file that is
	 * there (nothing is written before fnl__xw_close; one made here goes again on a discard) */
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd >= 0)
		w->made = 1;
	else if (errno == EEXIST)
		fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		int rc = fnl_error_set(err, FNL_EIO, "out", "out: cannot write the workbook '%s': %s", path, strerror(errno));
		free(w->path);
		free(w);
		return rc;
	}
	close(fd);
	lxw_workbook_options opt = {.constant_memory = stream ? LXW_TRUE : LXW_FALSE, .tmpdir = NULL, .use_zip64 = LXW_TRUE};
	w->wb = workbook_new_opt(path, &opt);
	if (!w->wb) {
		if (w->made)
			unlink(path);
		free(w->path);
		free(w);
		return fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
	}
	static const char *const numfmt[FNL_COL_ID + 1] = {
		[FNL_COL_TEXT] = NULL,   [FNL_COL_INT] = "#,##0", [FNL_COL_MONEY] = "#,##0.00", [FNL_COL_RATE] = "0.0%",
		[FNL_COL_DAYS] = "0.0",  [FNL_COL_NUMBER] = "0.00", [FNL_COL_ID] = "0",
	};
	w->head = workbook_add_format(w->wb);
	format_set_bold(w->head);
	format_set_bg_color(w->head, 0xD9E1F2);
	format_set_bottom(w->head, LXW_BORDER_THIN);
	format_set_text_wrap(w->head);
	format_set_align(w->head, LXW_ALIGN_VERTICAL_TOP);
	for (int i = 0; i <= FNL_COL_ID; i++) {
		if (!numfmt[i])
			continue;
		w->fmt[i] = workbook_add_format(w->wb);
		format_set_num_format(w->fmt[i], numfmt[i]);
	}
	w->time = workbook_add_format(w->wb);
	format_set_num_format(w->time, "yyyy-mm-dd hh:mm:ss");
	*out = w;
	return 0;
}

/* Widths, the frozen header and the filter of the sheet being written. */
static void finish_sheet(fnl__xw *w)
{
	if (!w->ws)
		return;
	for (size_t c = 0; c < w->ncols; c++) {
		double width = w->width[c] + 2;
		if (width < MIN_WIDTH)
			width = MIN_WIDTH;
		if (width > MAX_WIDTH)
			width = MAX_WIDTH;
		worksheet_set_column(w->ws, (lxw_col_t)c, (lxw_col_t)c, width, NULL);
	}
	if (w->ncols) {
		worksheet_freeze_panes(w->ws, 1, 0);
		worksheet_autofilter(w->ws, 0, 0, w->row ? w->row - 1 : 0, (lxw_col_t)(w->ncols - 1));
	}
	w->ws = NULL;
}

int fnl__xw_sheet(fnl__xw *w, const char *name, size_t ncols, const char *const *headers, const int *types)
{
	finish_sheet(w);
	char nm[32 * 4];
	sheet_name(w, name, nm);
	w->nsheets++;
	w->ws = workbook_add_worksheet(w->wb, nm);
	if (!w->ws)
		w->ws = workbook_add_worksheet(w->wb, NULL);
	free(w->types);
	free(w->width);
	w->types = calloc(ncols ? ncols : 1, sizeof *w->types);
	w->width = calloc(ncols ? ncols : 1, sizeof *w->width);
	if (!w->ws || !w->types || !w->width) {
		w->nomem = 1;
		w->ncols = 0;
		return FNL_ENOMEM;
	}
	w->ncols = ncols;
	w->row = 0;
	memcpy(w->types, types, ncols * sizeof *types);
	for (size_t c = 0; c < ncols; c++) {
		worksheet_write_string(w->ws, 0, (lxw_col_t)c, headers[c], w->head);
		/* a header wraps, so its longest word is what it needs */
		widen(w, c, fnl_text_width(headers[c]) > 24 ? 24 : (double)fnl_text_width(headers[c]));
	}
	w->row = 1;
	return 0;
}

void fnl__xw_text(fnl__xw *w, size_t col, const char *s)
{
	if (!w->ws || col >= w->ncols || !s || !*s)
		return;
	worksheet_write_string(w->ws, w->row, (lxw_col_t)col, s, NULL);
	widen(w, col, (double)fnl_text_width(s));
}

void fnl__xw_number(fnl__xw *w, size_t col, double v)
{
	if (!w->ws || col >= w->ncols)
		return;
	int type = w->types[col];
	if (type == FNL_COL_MONEY)
		v /= 100.0;
	lxw_format *f = type >= 0 && type <= FNL_COL_ID ? w->fmt[type] : NULL;
	worksheet_write_number(w->ws, w->row, (lxw_col_t)col, v, f);
	char buf[64];
	/* as shown: separators every three digits, the format's decimals */
	snprintf(buf, sizeof buf, "%.0f", v < 0 ? -v : v);
	double digits = (double)strlen(buf);
	double shown = digits + (type == FNL_COL_INT || type == FNL_COL_MONEY ? (digits - 1) / 3 : 0) + (v < 0);
	shown += type == FNL_COL_MONEY || type == FNL_COL_NUMBER ? 3 : type == FNL_COL_DAYS ? 2 : 0;
	if (type == FNL_COL_RATE) {
		snprintf(buf, sizeof buf, "%.1f%%", v * 100);
		shown = (double)strlen(buf);
	}
	widen(w, col, shown);
}

void fnl__xw_time(fnl__xw *w, size_t col, int64_t local)
{
	if (!w->ws || col >= w->ncols)
		return;
	int64_t days = local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
	int64_t secs = local - days * 86400;
	int64_t y;
	unsigned m, d;
	fnl_civil_from_days(days, &y, &m, &d);
	if (y < 1900 || y > 9999)
		return;
	lxw_datetime dt = {(int)y, (int)m, (int)d, (int)(secs / 3600), (int)(secs / 60 % 60), (double)(secs % 60)};
	worksheet_write_datetime(w->ws, w->row, (lxw_col_t)col, &dt, w->time);
	widen(w, col, 19);
}

void fnl__xw_row(fnl__xw *w)
{
	w->row++;
}

/* An error of the file system, where errno says what went wrong (a full disk, no permission). */
static int file_error(lxw_error e)
{
	return e == LXW_ERROR_CREATING_XLSX_FILE || e == LXW_ERROR_CREATING_TMPFILE || e == LXW_ERROR_READING_TMPFILE ||
	       e == LXW_ERROR_ZIP_FILE_OPERATION || e == LXW_ERROR_ZIP_FILE_ADD || e == LXW_ERROR_ZIP_CLOSE;
}

int fnl__xw_close(fnl__xw *w, struct fnl_error *err)
{
	if (w->nomem) {
		fnl__xw_discard(w);
		return fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
	}
	finish_sheet(w);
	errno = 0;
	lxw_error e = workbook_close(w->wb);
	int sys = errno;
	int rc = 0;
	if (e == LXW_ERROR_MEMORY_MALLOC_FAILED)
		rc = fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
	else if (e != LXW_NO_ERROR)
		rc = fnl_error_set(err, FNL_EIO, "out", "out: cannot write the workbook '%s': %s", w->path,
				   file_error(e) && sys ? strerror(sys) : lxw_strerror(e));
	free(w->types);
	free(w->width);
	free(w->path);
	free(w);
	return rc;
}

void fnl__xw_discard(fnl__xw *w)
{
	if (!w)
		return;
	if (w->made)
		unlink(w->path);
	lxw_workbook_free(w->wb);
	free(w->types);
	free(w->width);
	free(w->path);
	free(w);
}

/* ---- report tables ---- */

static int add_table(fnl__xw *w, const fnl_rtable *t, const char *lang)
{
	size_t nc = fnl_rtable_ncols(t), nr = fnl_rtable_nrows(t);
	const char **heads = calloc(nc ? nc : 1, sizeof *heads);
	int *types = calloc(nc ? nc : 1, sizeof *types);
	if (!heads || !types) {
		free(heads);
		free(types);
		return FNL_ENOMEM;
	}
	for (size_t c = 0; c < nc; c++) {
		heads[c] = fnl_rtable_label(t, c, lang);
		types[c] = (int)fnl_rtable_type(t, c);
	}
	int rc = fnl__xw_sheet(w, fnl_rtable_title(t), nc, heads, types);
	free(heads);
	free(types);
	if (rc)
		return rc;
	for (size_t r = 0; r < nr; r++) {
		for (size_t c = 0; c < nc; c++) {
			int null;
			const char *text = fnl_rtable_cell_text(t, r, c, &null);
			if (null)
				continue;
			switch (fnl_rtable_type(t, c)) {
			case FNL_COL_TEXT:
				fnl__xw_text(w, c, text);
				break;
			case FNL_COL_INT:
			case FNL_COL_MONEY:
			case FNL_COL_ID:
				fnl__xw_number(w, c, (double)fnl_rtable_cell_int(t, r, c));
				break;
			default:
				fnl__xw_number(w, c, fnl_rtable_cell_real(t, r, c));
				break;
			}
		}
		fnl__xw_row(w);
	}
	return 0;
}

static int write_tables(const fnl_rtable *t, const fnl_rtable *detail, const char *lang, const char *path,
			struct fnl_error *err)
{
	fnl__xw *w;
	int rc = fnl__xw_new(path, 0, &w, err);
	if (rc)
		return rc;
	if ((rc = add_table(w, t, lang)) || (detail && (rc = add_table(w, detail, lang)))) {
		fnl__xw_discard(w);
		return fnl_error_set(err, rc, NULL, "out of memory");
	}
	return fnl__xw_close(w, err);
}

int fnl_rtable_xlsx(const fnl_rtable *t, const char *lang, const char *path, struct fnl_error *err)
{
	return write_tables(t, NULL, lang, path, err);
}

int fnl_report_xlsx(const struct fnl_report *r, const char *lang, const char *path, struct fnl_error *err)
{
	return write_tables(r->table, r->detail, lang, path, err);
}
