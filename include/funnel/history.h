/*
 * funnel/history.h - moving over from another CRM: its opportunities, with their stages, outcomes,
 * dates and amounts, brought in as leads with the stage events of their history, so that the funnel,
 * time-in-stage, team and forecast reports over that history are right (SPEC §2, §7).
 *
 * The rules (docs/import-history.md tells them with a worked example):
 * - One opportunity is one lead. Opportunities are not de-duplicated against each other (several
 *   opportunities of one account are several deals) nor against the leads already in funnel.
 * - An opportunity is not a raw lead: the cleaning rules of capture (SPEC §3: a phone, e-mail or
 *   WeChat required, test data, bad phones) do not apply; the lead needs an id, an owner, a stage
 *   and a date. It gets no duplicate keys (no contact data), so later leads never merge into it.
 * - Its history: captured (acquire) at the created/engage date, moved forward to the stage it is
 *   known to have reached at that date, then won (a deal: contract number = the opportunity id,
 *   amount = its value) or lost (with a reason) at the close date; open ones stay open at their
 *   stage. A date without a time is taken at 12:00 in the installation's time zone (or now, when
 *   it is today and before noon); a date after today is refused.
 * - Everything is one transaction: the whole file or nothing. Each imported lead remembers its
 *   opportunity id, and a row whose id was imported before is skipped, so running the same import
 *   again creates nothing.
 */
#ifndef FUNNEL_HISTORY_H
#define FUNNEL_HISTORY_H

#include "funnel/funnel.h"

/* What happened to a line of a file. */
enum fnl_history_outcome {
	FNL_HISTORY_CREATED = 1, /* a lead (reason says what was taken differently, or "") */
	FNL_HISTORY_REJECTED,    /* not imported: reason says why */
	FNL_HISTORY_SKIPPED,     /* imported before (the opportunity id is known) */
	FNL_HISTORY_NOTED        /* a line of a side file (teams, accounts, products) taken with a change
				  * or a remark */
};
const char *fnl_history_outcome_name(int outcome);

/* The fields a column of the opportunities file can map to (for maps "COLUMN=FIELD"). */
extern const char *const fnl_history_fields[];

struct fnl_history_opts {
	const char *path;              /* the opportunities (CSV or XLSX) */
	const char *format, *encoding, *sheet;  /* as for fnl_import */
	const char *const *maps;       /* "column=field" overrides of the header matching */
	size_t nmaps;
	/* "Their stage=KEY,..." KEY a stage key, or won / lost; NULL: names equal to a stage key or name
	 * and Won / Closed Won / Lost / Closed Lost */
	const char *stage_map;
	/* the stage key lost opportunities were lost at (and reached at their created date); NULL: the
	 * furthest stage the map gives to an open stage name */
	const char *lost_at;
	const char *lost_reason;       /* a loss reason key for rows without a reason; NULL: other */
	const char *date_format;       /* "DD-MM-YY", ...; NULL: detected among the usual formats */
	const char *as_of;             /* YYYY-MM-DD: the capture date of open opportunities without a
					* date; NULL: the latest created date or won/lost close date
					* of the file, at most today */
	const char *teams;             /* sales_agent, manager, regional_office */
	const char *accounts;          /* account, sector, office_location, employees */
	const char *products;          /* product, sales_price */
	int create_users;              /* create the owners (and from teams, managers and teams) */
	const char *channel;           /* channel key of the leads; NULL: other */
	const char *source;            /* source detail of the leads; NULL: none */
	const char *currency;          /* ISO code of the file's amounts; NULL: the installation's */
	const char *currency_factor;   /* a decimal: installation currency for 1 of the file's; NULL: 1 */
	int keep_spelling;             /* keep misspelled sectors and countries as written */
	int dry_run;                   /* do everything, then undo it */
	int strict;                    /* any rejected row: nothing is imported */
	/* every line not taken as it is: file (path as given), line (1-based; 0 when unknown), outcome,
	 * reason, the opportunity id ("" for side files), company, lead id (0 when none) */
	void (*on_row)(void *arg, const char *file, int64_t line, int outcome, const char *reason, const char *id,
		       const char *company, int64_t lead_id);
	void *arg;
};

#define FNL_HISTORY_MAX_STAGES 10
#define FNL_HISTORY_MAX_QUIRKS 40
#define FNL_HISTORY_MAX_NAMES 16

/* Something about the data that was handled in a particular way: a stable key, how many rows or
 * values it concerns, and a sentence for people saying what was done. */
struct fnl_history_quirk {
	char key[32];
	int64_t count;
	char message[600];
};

struct fnl_history_result {
	int64_t rows;                  /* data rows read */
	int64_t created, won, lost, open, rejected, skipped;
	int nstages;                   /* of the pipeline; [1..nstages] below */
	char stage[FNL_HISTORY_MAX_STAGES + 1][FNL_KEY_LEN];
	int64_t open_at[FNL_HISTORY_MAX_STAGES + 1];  /* open leads created at each stage */
	int64_t lost_at[FNL_HISTORY_MAX_STAGES + 1];  /* lost leads created, by the stage lost at */
	int64_t won_amount;            /* 分: the deals */
	int64_t open_amount;           /* 分: expected amounts of the open leads */
	int64_t users_created, managers_created, teams_created;
	char date_format[16];
	int date_detected;             /* 1: found among the usual formats, 0: given */
	char as_of[11];
	char engaged_stage[FNL_KEY_LEN]; /* what won and lost ones reached at their created date */
	char lost_stage[FNL_KEY_LEN];  /* where lost opportunities were lost */
	char currency[8];              /* the installation's */
	char file_currency[8];         /* the file's as given, "" when not */
	char factor[24];               /* as applied, "1" when none */
	/* the stage names of the file: their mapping and row counts */
	int nnames;
	struct {
		char name[64];
		char key[FNL_KEY_LEN];     /* a stage key, "won" or "lost" */
		int64_t rows;
	} names[FNL_HISTORY_MAX_NAMES];
	char mapping[2048];            /* "column=field, ..." as matched */
	char unknown[1024];            /* columns not imported */
	int nquirks;
	struct fnl_history_quirk quirks[FNL_HISTORY_MAX_QUIRKS];
	int64_t job;                   /* the audit entry of the import (0 when nothing was written) */
	int undone;                    /* 1: nothing was written (dry run, or strict with rejects) */
};

/*
 * Import the opportunities of o->path with their history (admin only; creating users too).
 * Row problems are not errors: such rows are rejected and reported (on_row), the rest imported.
 * Errors (nothing written): FNL_EIO (a file), FNL_EPERM, FNL_EDB, and FNL_EINVAL naming what is
 * wrong: a required column missing (id, owner, stage, a date), a stage name of the file the map
 * does not map ("stage-map"), dates that fit no format or several ("date-format", naming the
 * column, the line and the value), owners who are not users without create_users ("owner"), a bad
 * option (channel, lost-at, lost-reason, as-of, currency, currency-factor).
 */
int fnl_import_history(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_history_opts *o,
		       struct fnl_history_result *r);

#endif
