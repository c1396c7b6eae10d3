/*
 * io/xlsx_write.h - writing formatted workbooks row by row (libxlsxwriter), for report tables and
 * lead exports alike.
 *
 * A sheet has typed columns, as a report table's (funnel/analytics.h) plus a date and time column;
 * each column gets its number format, the header row is bold, frozen and filtered, and every
 * column's width follows the widest text written into it (a CJK character counts two). Rows are
 * written in order and may be written in constant memory (a sheet of a million leads is streamed
 * to a temporary file, not held). Values go in the column's unit: money in 分 (shown in yuan).
 */
#ifndef FUNNEL_IO_XLSX_WRITE_H
#define FUNNEL_IO_XLSX_WRITE_H

#include <stddef.h>
#include <stdint.h>

#include "funnel/analytics.h"
#include "funnel/error.h"

/* A date and time column, beyond enum fnl_col_type: shown "yyyy-mm-dd hh:mm:ss". */
#define FNL__COL_TIME 100

typedef struct fnl__xw fnl__xw;

/* A new workbook to be written at path (nothing is written before fnl__xw_close). stream: rows go
 * to a temporary file as they come (constant memory; strings are stored inline). */
int fnl__xw_new(const char *path, int stream, fnl__xw **out, struct fnl_error *err);

/* Start a sheet named name (made valid: at most 31 characters, without []:*?/\, unique) with
 * ncols columns, their headers and types (enum fnl_col_type or FNL__COL_TIME); the header row is
 * written. The previous sheet is finished (widths, frozen header, filter). */
int fnl__xw_sheet(fnl__xw *w, const char *name, size_t ncols, const char *const *headers, const int *types);

/* Cells of the current row, any order, each column at most once; columns without one stay empty. */
void fnl__xw_text(fnl__xw *w, size_t col, const char *s);
void fnl__xw_number(fnl__xw *w, size_t col, double v);          /* money: 分 */
void fnl__xw_time(fnl__xw *w, size_t col, int64_t local_seconds); /* seconds since the epoch, local */
/* End the row; the next cells go to the next row. */
void fnl__xw_row(fnl__xw *w);

/* Finish the last sheet and write the file. Frees w, also on error. Errors: FNL_EIO (field "out",
 * "out: cannot write the workbook 'PATH': " and the reason: the system's, as "No space left on
 * device", else libxlsxwriter's), FNL_ENOMEM. */
int fnl__xw_close(fnl__xw *w, struct fnl_error *err);

/* Free w without writing anything. */
void fnl__xw_discard(fnl__xw *w);

#endif
