/* io/reader.c - opening a table of records: CSV or XLSX, by the caller's word or by the file. */
#include <stdio.h>
#include <string.h>

#include "io/reader.h"

/* A workbook is a zip: it starts with "PK\3\4". */
static int looks_like_zip(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	unsigned char sig[4] = {0};
	size_t n = fread(sig, 1, 4, f);
	fclose(f);
	return n == 4 && sig[0] == 'P' && sig[1] == 'K' && sig[2] == 3 && sig[3] == 4;
}

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	if (n < t)
		return 0;
	for (size_t i = 0; i < t; i++) {
		char c = s[n - t + i];
		if ((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != tail[i])
			return 0;
	}
	return 1;
}

int fnl_reader_open(const char *path, const char *format, const char *encoding, const char *sheet,
		    fnl_reader **out, struct fnl_error *err)
{
	*out = NULL;
	if (format && strcmp(format, "csv") && strcmp(format, "xlsx"))
		return fnl_error_set(err, FNL_EINVAL, "format", "format: '%s' is not csv or xlsx", format);
	int xlsx = format ? strcmp(format, "xlsx") == 0 : ends_with(path, ".xlsx") || looks_like_zip(path);
	if (xlsx)
		return fnl__xlsx_open(path, sheet, out, err);
	if (sheet)
		return fnl_error_set(err, FNL_EINVAL, "sheet", "sheet: only an XLSX workbook has sheets");
	return fnl__csv_open(path, encoding, out, err);
}

int fnl_reader_next(fnl_reader *r, struct fnl_record *rec, struct fnl_error *err)
{
	struct fnl_error local;
	if (!err)
		err = &local;
	fnl_error_clear(err);
	rec->line = 0;
	int rc = r->next(r, rec, err);
	/* FNL_EINVAL is 1, the value of "a record": tell them apart by the error */
	if (err->code == FNL_EINVAL) {
		rec->nfields = 0;
		return FNL_READER_BROKEN;
	}
	return rc;
}

void fnl_reader_progress(const fnl_reader *r, int64_t *done, int64_t *total)
{
	r->progress(r, done, total);
}

const char *fnl_reader_encoding(const fnl_reader *r)
{
	return r->encoding(r);
}

void fnl_reader_close(fnl_reader *r)
{
	if (r)
		r->close(r);
}
