/*
 * io/reader.h - reading tables of records from files: CSV (RFC 4180; UTF-8 with or without a BOM,
 * or GBK as Excel in China writes it, converted to UTF-8) and XLSX (the first sheet or a named one).
 *
 * A reader streams: it holds one record at a time, never the whole file. Every field it returns is
 * valid UTF-8. A record that is broken (an unterminated quote, bytes that are not text in the
 * file's encoding, more fields than the header) is reported with its line number and skipped; the
 * reader goes on with the next record.
 */
#ifndef FUNNEL_IO_READER_H
#define FUNNEL_IO_READER_H

#include <stddef.h>
#include <stdint.h>

#include "funnel/error.h"

typedef struct fnl_reader fnl_reader;

/* One record. fields[0..nfields) are NUL-terminated UTF-8, owned by the reader and valid until the
 * next call. line: the line (CSV) or row (XLSX) number where the record starts, 1-based. */
struct fnl_record {
	size_t nfields;
	char **fields;
	int64_t line;
};

/*
 * Open path. format: "csv", "xlsx", or NULL to decide by the file's name (.xlsx) and contents (a zip
 * signature). encoding (CSV): "utf-8", "gbk", or NULL to detect (a UTF-8 BOM, else valid UTF-8 in the
 * first 64 KiB, else GBK). sheet (XLSX): a sheet's name, NULL for the first. Free with
 * fnl_reader_close. Errors: FNL_EIO (cannot open or read), FNL_EINVAL (not a CSV/XLSX file, no such
 * sheet, unknown encoding), FNL_ENOMEM.
 */
int fnl_reader_open(const char *path, const char *format, const char *encoding, const char *sheet,
		    fnl_reader **out, struct fnl_error *err);

/*
 * The next record: 1 and *rec filled; 0 at the end; FNL_READER_BROKEN for a broken record (err: code
 * FNL_EINVAL, field "line", message "line N: ..."; rec->line its first line, 0 when unknown, and no
 * fields), after which the next call goes on with the following record; FNL_EIO or FNL_ENOMEM for a failure that ends the reading.
 */
#define FNL_READER_BROKEN (-1)
int fnl_reader_next(fnl_reader *r, struct fnl_record *rec, struct fnl_error *err);

/* How far the reading is: bytes of the file consumed and its size (for progress). */
void fnl_reader_progress(const fnl_reader *r, int64_t *done, int64_t *total);

/* The encoding the reader decided on ("utf-8", "gbk"; "xlsx" for a workbook). */
const char *fnl_reader_encoding(const fnl_reader *r);

void fnl_reader_close(fnl_reader *r);



/* ---- for the readers themselves (io/csv.c, io/xlsx.c) ---- */

/* Every reader starts with this: its operations. next returns 1 with a record, 0 at the end, or
 * an error code with err filled (FNL_EINVAL: a broken record, reading goes on). */
struct fnl_reader {
	int (*next)(fnl_reader *r, struct fnl_record *rec, struct fnl_error *err);
	void (*progress)(const fnl_reader *r, int64_t *done, int64_t *total);
	const char *(*encoding)(const fnl_reader *r);
	void (*close)(fnl_reader *r);
};

int fnl__csv_open(const char *path, const char *encoding, fnl_reader **out, struct fnl_error *err);
int fnl__xlsx_open(const char *path, const char *sheet, fnl_reader **out, struct fnl_error *err);
#endif
