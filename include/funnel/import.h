/*
 * funnel/import.h - lead lists in: CSV and XLSX files of leads (trade-show card lists, ad-platform
 * exports, another CRM's lead export), SPEC §3.
 *
 * Every row goes through fnl_lead_add as if it were added alone, in the file's order: the same
 * cleaning, duplicate check (against the database and the earlier rows of the file), assignment
 * and, when the file has the four score columns, fnl_lead_score. So a bulk import gives exactly the
 * result of adding the same leads one by one.
 *
 * Rows are committed in batches. An import remembers its file (by content) and how many records it
 * has done, in the same transactions: an interrupted import (a killed process) leaves no half row
 * and, run again, goes on after its last batch; a file imported in full before creates nothing (its
 * rows are skipped; with opts.again they are imported anew, so they merge into the leads they made).
 */
#ifndef FUNNEL_IMPORT_H
#define FUNNEL_IMPORT_H

#include "funnel/funnel.h"

/* What happened to a row. */
enum fnl_import_outcome {
	FNL_IMPORT_CREATED = 1,   /* a new lead */
	FNL_IMPORT_INVALID,       /* stored as invalid, with a reason */
	FNL_IMPORT_MERGED,        /* a duplicate of an open lead: a re-inquiry on it */
	FNL_IMPORT_RETURNING,     /* a new lead linked to an earlier won or lost one */
	FNL_IMPORT_REJECTED,      /* not imported: a broken record or a refused value (reason says) */
	FNL_IMPORT_SKIPPED        /* imported before, by an earlier run on the same file */
};
const char *fnl_import_outcome_name(int outcome);

/* Rows a transaction: at most this many are redone after an interruption. */
#define FNL_IMPORT_BATCH 50000

/* The lead fields a column can map to (for --map column=field). */
extern const char *const fnl_import_fields[];

struct fnl_import_opts {
	const char *path;
	const char *format;              /* "csv", "xlsx", NULL: by the file */
	const char *encoding;            /* CSV: "utf-8", "gbk", NULL: detect */
	const char *sheet;               /* XLSX: a sheet's name, NULL: the first */
	const char *channel;             /* for rows without a channel of their own */
	const char *source;              /* for rows without a source of their own */
	const char *const *maps;         /* "column=field" overrides of the header matching */
	size_t nmaps;
	int dry_run;                     /* do everything, then undo it: nothing is written */
	int strict;                      /* any rejected row: nothing is imported */
	int again;                       /* a file imported in full before: import it again as a new
					  * file (its rows then merge into the leads they made) */
	int batch;                       /* rows a transaction, 0: FNL_IMPORT_BATCH */
	/* called for every row that is not created as it is (outcome != CREATED), and for the created
	 * ones too when all_rows is set; reason is "" or a message */
	int all_rows;
	void (*on_row)(void *arg, int64_t line, int outcome, const char *reason, const char *company,
		       const char *contact, int64_t lead_id);
	/* called about every batch: rows so far, bytes read, file size */
	void (*on_progress)(void *arg, int64_t rows, int64_t done, int64_t total);
	void *arg;
};

struct fnl_import_result {
	int64_t rows;                    /* data rows read (the header not counted) */
	int64_t created, invalid, merged, returning, rejected, skipped;
	int64_t scored;                  /* created or returning rows scored from the file */
	int64_t invalid_by_reason[6];    /* test_phone, bad_phone, bad_email, test_name, no_contact,
					  * non_target_industry */
	int64_t job;                     /* the import job's id (0 on a dry run) */
	int64_t resumed_from;            /* records skipped as done by an earlier, interrupted run */
	int64_t earlier[5];              /* when resumed: what the interrupted runs did (created,
					  * invalid, merged, returning, rejected); with this run's
					  * counts, the whole file's */
	int undone;                      /* 1: nothing was written (dry run, or strict with rejects) */
	char encoding[16];
	char mapping[2048];              /* "column=field, ..." as matched */
	char unknown[1024];              /* columns that map to no field, comma-separated */
};

/* The invalid reason keys in the order of invalid_by_reason. */
extern const char *const fnl_import_invalid_reasons[6];

/*
 * Import o->path. Row problems are not errors: they are counted (and reported through on_row).
 * Errors (nothing written by the failing batch): FNL_EIO (the file), FNL_EINVAL (no header row, no
 * column for company/contact, an unknown --map field or column, an unknown default channel),
 * FNL_EPERM, FNL_EDB.
 */
int fnl_import(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_import_opts *o,
	       struct fnl_import_result *r);

#endif
