/*
 * funnel/export.h - data out: lead lists as CSV, XLSX or JSON, and report tables as formatted XLSX
 * workbooks (SPEC §7), for the CLI's `funnel export` and `--format xlsx` and, later, the HTTP API.
 *
 * A lead export has one row per lead with the columns `funnel import` maps back (company, contact,
 * title, phone, email, wechat, industry, size, region, channel, source, captured_at, owner, consent,
 * notes, and the four scores) and read-only ones after them (id, stage, status, grade, ...): an
 * export imported again gives the same leads. CSV is the one Excel opens directly: UTF-8 with a
 * BOM, CRLF line ends, RFC 4180 quoting. Every lead export is audited (SPEC §8: "every read of a
 * full export is audited"): entity "export", action "export", after {"format", "rows", "filter",
 * "contact_data"}.
 *
 * Workbooks are written with libxlsxwriter: a bold, frozen header row with a filter, number
 * formats by column type (counts "#,##0", money in yuan "#,##0.00", rates "0.0%", days "0.0"),
 * empty cells for nulls, and column widths from the content (a CJK character counts two).
 */
#ifndef FUNNEL_EXPORT_H
#define FUNNEL_EXPORT_H

#include <stdint.h>
#include <stdio.h>

#include "funnel/analytics.h"
#include "funnel/funnel.h"

/*
 * One field of a CSV file (RFC 4180): a field with a comma, quote or line end is quoted, quotes
 * doubled. With text set, a text Excel would take for a formula (it starts with = + - @, a tab or a
 * carriage return: a company "=HYPERLINK(...)" from a web form) gets a leading apostrophe, so Excel
 * shows it as text and runs nothing; funnel import takes the apostrophe off again. Numbers are
 * written with text 0 (a negative number stays a number).
 */
void fnl_csv_field(FILE *out, const char *s, int text);

/* 1 when fnl_csv_field puts an apostrophe before the text s: it starts with = + - @, a tab or a
 * carriage return, or with an apostrophe before such a text (so that '-1 comes back as '-1). */
int fnl_csv_guarded(const char *s);

/* The columns of a lead export, in order (NULL-terminated): keys, which are also the header. */
extern const char *const fnl_export_lead_columns[];

/*
 * Export the leads the actor of ctx may see that match f (as fnl_lead_list: status NULL leaves out
 * invalid and merged records; limit and offset are not used), newest capture first, streaming: one
 * lead in memory at a time. format: "csv" and "json" ({"leads": [lead, ...]}, each lead as
 * fnl_json_lead) are written to out; "xlsx" is written as a new workbook at path (created or
 * truncated; out is not used). *count (may be NULL) gets the number of leads written. The export is
 * audited before its first byte is written (the leads are counted first): an export that fails
 * later is in the log, one that cannot be logged writes nothing. Errors: FNL_EINVAL (format, a
 * filter naming nothing, as fnl_lead_list), FNL_EIO (writing: field "out", the message
 * "out: cannot write the export: " or "out: cannot write the workbook 'PATH': " and the reason), FNL_EPERM,
 * FNL_EDB; the detail on the handle. On an error the output may hold part of the export: the caller
 * discards it.
 */
int fnl_export_leads(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_lead_filter *f, const char *format,
		     FILE *out, const char *path, int64_t *count);

/*
 * Write a report table as a workbook at path (created or truncated) with one sheet, named after the
 * table's title; headers in lang ("zh" or "en"). Errors: FNL_EIO (cannot write path: "out: cannot
 * write the workbook 'PATH': " and the system's reason, else libxlsxwriter's), FNL_ENOMEM; the detail in err.
 */
int fnl_rtable_xlsx(const fnl_rtable *t, const char *lang, const char *path, struct fnl_error *err);

/* The same for a report: its table, and its detail table (when not NULL) on a second sheet. */
int fnl_report_xlsx(const struct fnl_report *r, const char *lang, const char *path, struct fnl_error *err);

#endif
