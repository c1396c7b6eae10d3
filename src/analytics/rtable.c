/* analytics/rtable.c - a report as a table: typed columns with labels in two languages, and CSV. */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "funnel/analytics.h"
#include "funnel/export.h"

struct col {
	char *key, *zh, *en;
	enum fnl_col_type type;
};

struct cell {
	int null;
	int64_t i;
	double d;
	char *s;
};

struct fnl_rtable {
	char *title;
	struct col *cols;
	size_t ncols, capcols;
	struct cell *cells;
	size_t ncells, capcells;
	char text[64];
};

fnl_rtable *fnl_rtable_new(const char *title)
{
	fnl_rtable *t = calloc(1, sizeof *t);
	if (t && !(t->title = strdup(title ? title : ""))) {
		free(t);
		return NULL;
	}
	return t;
}

void fnl_rtable_free(fnl_rtable *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ncols; i++) {
		free(t->cols[i].key);
		free(t->cols[i].zh);
		free(t->cols[i].en);
	}
	for (size_t i = 0; i < t->ncells; i++)
		free(t->cells[i].s);
	free(t->cols);
	free(t->cells);
	free(t->title);
	free(t);
}

void fnl_rtable_col(fnl_rtable *t, const char *key, const char *zh, const char *en, enum fnl_col_type type)
{
	if (!t)
		return;
	if (t->ncols == t->capcols) {
		size_t cap = t->capcols ? t->capcols * 2 : 8;
		struct col *c = realloc(t->cols, cap * sizeof *c);
		if (!c)
			return;
		t->cols = c;
		t->capcols = cap;
	}
	struct col *c = &t->cols[t->ncols++];
	c->key = strdup(key);
	c->zh = strdup(zh);
	c->en = strdup(en);
	c->type = type;
}

static struct cell *next_cell(fnl_rtable *t)
{
	if (!t || !t->ncols)
		return NULL;
	if (t->ncells == t->capcells) {
		size_t cap = t->capcells ? t->capcells * 2 : 64;
		struct cell *c = realloc(t->cells, cap * sizeof *c);
		if (!c)
			return NULL;
		t->cells = c;
		t->capcells = cap;
	}
	struct cell *c = &t->cells[t->ncells++];
	memset(c, 0, sizeof *c);
	return c;
}

void fnl_rtable_text(fnl_rtable *t, const char *s)
{
	struct cell *c = next_cell(t);
	if (c && !(c->s = strdup(s ? s : "")))
		c->null = 1;
}

void fnl_rtable_int(fnl_rtable *t, int64_t v)
{
	struct cell *c = next_cell(t);
	if (c) {
		c->i = v;
		c->d = (double)v;
	}
}

void fnl_rtable_money(fnl_rtable *t, int64_t fen)
{
	fnl_rtable_int(t, fen);
}

void fnl_rtable_real(fnl_rtable *t, double v)
{
	struct cell *c = next_cell(t);
	if (c) {
		c->d = v;
		c->null = isnan(v);
	}
}

void fnl_rtable_null(fnl_rtable *t)
{
	struct cell *c = next_cell(t);
	if (c)
		c->null = 1;
}

const char *fnl_rtable_title(const fnl_rtable *t)
{
	return t->title;
}

size_t fnl_rtable_ncols(const fnl_rtable *t)
{
	return t->ncols;
}

size_t fnl_rtable_nrows(const fnl_rtable *t)
{
	return t->ncols ? t->ncells / t->ncols : 0;
}

const char *fnl_rtable_key(const fnl_rtable *t, size_t col)
{
	return col < t->ncols ? t->cols[col].key : "";
}

const char *fnl_rtable_label(const fnl_rtable *t, size_t col, const char *lang)
{
	if (col >= t->ncols)
		return "";
	return lang && strcmp(lang, "en") == 0 ? t->cols[col].en : t->cols[col].zh;
}

enum fnl_col_type fnl_rtable_type(const fnl_rtable *t, size_t col)
{
	return col < t->ncols ? t->cols[col].type : FNL_COL_TEXT;
}

static const struct cell *cell_at(const fnl_rtable *t, size_t row, size_t col)
{
	size_t k = row * t->ncols + col;
	return col < t->ncols && k < t->ncells ? &t->cells[k] : NULL;
}

const char *fnl_rtable_cell_text(const fnl_rtable *t, size_t row, size_t col, int *is_null)
{
	const struct cell *c = cell_at(t, row, col);
	/* the text buffer is the table's own scratch space, as documented (borrowed) */
	char *buf = ((fnl_rtable *)t)->text;
	size_t len = sizeof t->text;
	if (is_null)
		*is_null = !c || c->null;
	if (!c || c->null)
		return "";
	switch (t->cols[col].type) {
	case FNL_COL_TEXT:
		return c->s ? c->s : "";
	case FNL_COL_INT:
	case FNL_COL_ID:
		snprintf(buf, len, "%" PRId64, c->i);
		return buf;
	case FNL_COL_MONEY:
		fnl_money_format(c->i, buf, len);
		return buf;
	case FNL_COL_RATE:
		snprintf(buf, len, "%.1f%%", c->d * 100.0);
		return buf;
	case FNL_COL_DAYS:
		snprintf(buf, len, "%.1f", c->d);
		return buf;
	case FNL_COL_NUMBER:
		snprintf(buf, len, "%.2f", c->d);
		return buf;
	}
	return "";
}

int64_t fnl_rtable_cell_int(const fnl_rtable *t, size_t row, size_t col)
{
	const struct cell *c = cell_at(t, row, col);
	return c ? c->i : 0;
}

double fnl_rtable_cell_real(const fnl_rtable *t, size_t row, size_t col)
{
	const struct cell *c = cell_at(t, row, col);
	return c && !c->null ? c->d : NAN;
}

int fnl_rtable_csv(const fnl_rtable *t, const char *lang, FILE *out)
{
	fputs("\xEF\xBB\xBF", out);
	for (size_t c = 0; c < t->ncols; c++) {
		if (c)
			fputc(',', out);
		fnl_csv_field(out, fnl_rtable_label(t, c, lang), 1);
	}
	fputs("\r\n", out);
	size_t rows = fnl_rtable_nrows(t);
	for (size_t r = 0; r < rows; r++) {
		for (size_t c = 0; c < t->ncols; c++) {
			if (c)
				fputc(',', out);
			fnl_csv_field(out, fnl_rtable_cell_text(t, r, c, NULL), fnl_rtable_type(t, c) == FNL_COL_TEXT);
		}
		fputs("\r\n", out);
	}
	return ferror(out) ? FNL_EIO : 0;
}
