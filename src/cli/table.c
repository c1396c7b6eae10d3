/* cli/table.c - aligned text tables for the terminal, aware of wide (CJK) characters. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

struct table {
	int ncols;
	size_t nrows, cap;
	char **cells; /* nrows * ncols, row 0 is the header */
};

struct table *table_new(int ncols, const char *const *headers)
{
	struct table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->ncols = ncols;
	table_row(t, headers);
	return t;
}

void table_row(struct table *t, const char *const *cells)
{
	if (!t)
		return;
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **nc = realloc(t->cells, cap * (size_t)t->ncols * sizeof *nc);
		if (!nc)
			return;
		t->cells = nc;
		t->cap = cap;
	}
	for (int i = 0; i < t->ncols; i++) {
		const char *c = cells[i] ? cells[i] : "";
		char *copy = strdup(c);
		/* one line per cell: newlines in notes would break the columns */
		for (char *p = copy; p && *p; p++)
			if (*p == '\n' || *p == '\t' || *p == '\r')
				*p = ' ';
		t->cells[t->nrows * (size_t)t->ncols + (size_t)i] = copy;
	}
	t->nrows++;
}

void table_print(struct table *t, FILE *out)
{
	table_print_indented(t, out, "");
}

void table_print_indented(struct table *t, FILE *out, const char *indent)
{
	if (!t)
		return;
	size_t *w = calloc((size_t)t->ncols, sizeof *w);
	if (!w)
		return;
	for (size_t r = 0; r < t->nrows; r++)
		for (int c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * (size_t)t->ncols + (size_t)c];
			size_t dw = fnl_text_width(s ? s : "");
			if (dw > w[c])
				w[c] = dw;
		}
	for (size_t r = 0; r < t->nrows; r++) {
		char **row = t->cells + r * (size_t)t->ncols;
		/* no padding after the last non-empty cell: lines end without trailing spaces */
		int last = t->ncols - 1;
		while (last > 0 && (!row[last] || !*row[last]))
			last--;
		fputs(indent, out);
		for (int c = 0; c <= last; c++) {
			const char *s = row[c] ? row[c] : "";
			fputs(s, out);
			if (c < last)
				for (size_t pad = fnl_text_width(s); pad < w[c] + 2; pad++)
					fputc(' ', out);
		}
		fputc('\n', out);
	}
	free(w);
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}
