/*
 * core/history.h - what the two halves of the history import share: core/history.c (the survey of
 * the opportunities file, the decisions it allows and the rows written in one transaction) and
 * core/history_prep.c (the side files, the stage map, the owners and the users made for them).
 *
 * Names are kept in small hash maps of entries (struct hmap): a key and what the import learns
 * about it. Entries are addressed by index, since adding may move them.
 */
#ifndef FUNNEL_CORE_HISTORY_H
#define FUNNEL_CORE_HISTORY_H

#include <stdint.h>

#include "core/datefmt.h"
#include "core/dict.h"
#include "funnel/history.h"
#include "io/reader.h"

struct hentry {
	const char *key;  /* the dictionary's */
	int64_t count;  /* rows (or values) with this key */
	int64_t line;   /* the first line it is on */
	int64_t num;    /* a user id, a price in 分 (-1: none), a stage position, ... */
	int flag;
	char *text[3];  /* owned: a login, a canonical name, industry / region / size, ... */
};

struct hmap {
	struct fnl__dict d; /* the keys; an entry's index is its key's */
	struct hentry *e;
	size_t n, cap;
};

/* The entry of key, or -1. */
long fnl__hmap_find(const struct hmap *m, const char *key);
/* The entry of key, added (zeroed, num -1) when missing; -1 when out of memory. */
long fnl__hmap_add(struct hmap *m, const char *key);
/* Set text k of entry i to a copy of s; -1 when out of memory. */
int fnl__hmap_text(struct hmap *m, long i, int k, const char *s);
void fnl__hmap_free(struct hmap *m);

/* The stage names of the file and what they mean. */
enum { HS_OPEN, HS_WON, HS_LOST };

struct hist {
	fnl_db *db;
	const struct fnl_ctx *ctx;
	const struct fnl_history_opts *o;
	struct fnl_history_result *r; /* &res */
	/* the result while the import runs, copied to the caller's at its end: fnl__hist_quirk finds
	 * the import from it */
	struct fnl_history_result res;
	int64_t quirks_moved;       /* quirks that did not fit in res.quirks: lines of the report */
	int64_t today;              /* the local date of ctx->now */
	int *col;                   /* of the opportunities file, by field */

	/* the pipeline */
	int nstages;
	int64_t stage_id[FNL_HISTORY_MAX_STAGES + 1];
	char stage_key[FNL_HISTORY_MAX_STAGES + 1][FNL_KEY_LEN];
	int engaged_pos;            /* reached at the created date by a closed opportunity */
	int lost_pos;               /* where lost ones were lost */

	/* the file's names; num: stage position (open), flag: HS_* (stages); num: user id, text[0]:
	 * login, flag: 1 when created by this import (owners) */
	struct hmap stages, owners, products, accounts, ids, groups;
	/* side files: accounts (text: industry, region, size), products (num: price, text[0]: the name
	 * as the products file writes it) and the same by normalised name, agents (text: manager,
	 * office), managers (text[0]: team, num: user id) */
	struct hmap acc, prod, prod_norm, agents, managers;
	/* misspelled sectors and countries: key "column\x1fvalue", count accounts, num opportunities,
	 * text[0] the known spelling */
	struct hmap spell;

	/* decisions */
	struct fnl__datefmt df;
	int64_t as_of_day;
	int64_t factor_e6;          /* amounts x factor_e6 / 10^6 */
	int64_t channel_id;
	char channel[FNL_KEY_LEN];
	char lost_reason[FNL_KEY_LEN];
	struct fnl_reason *reasons;
	size_t nreasons;
	int64_t kept_team;          /* existing users whose team differs from the teams file */
	char kept_names[300];
};

/* one or many, by n: pl(1, "row", "rows") */
static inline const char *fnl__hist_pl(int64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* Add a quirk to the result r, which is h->r of the import running (printf-like message). When the
 * list is full, the quirk is a line of the report instead (outcome noted, line 0, "quirk KEY (COUNT):
 * message") and counted in h->quirks_moved. */
void fnl__hist_quirk(struct hist *h, const char *key, int64_t count, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The most quirks the rows can give (the row and rejection quirks of core/history.c). */
#define FNL__HIST_ROW_QUIRKS 24

/* Put the n quirks of the rows (n <= FNL__HIST_ROW_QUIRKS) after those of the survey, all of them:
 * when they do not fit, the last quirks of the survey move to the report as fnl__hist_quirk moves
 * them, and a last quirk "more_quirks" says how many quirks are lines of the report. */
void fnl__hist_quirks_place(struct hist *h, const struct fnl_history_quirk *q, int n);

/* Report a line through o->on_row. */
void fnl__hist_row(struct hist *h, const char *file, int64_t line, int outcome, const char *reason, const char *id,
		   const char *company, int64_t lead);

/* Copy s without leading and trailing whitespace into buf; -1 when it does not fit. */
int fnl__hist_trim(const char *s, char *buf, size_t len);

/* ---- history_prep.c ---- */

/* Read the side files given (accounts, products, teams) into h's maps, with their spelling checks. */
int fnl__hist_side_files(struct hist *h);
/* The pipeline's stages, and the stage map applied to the file's stage names (h->stages). */
int fnl__hist_stage_map(struct hist *h);
/* Match the products of the file to the products file: canonical names and prices. */
void fnl__hist_products(struct hist *h);
/* Find or (create_users) plan the owners of the file; FNL_EINVAL listing the unknown ones. */
int fnl__hist_owners_check(struct hist *h);
/* Inside the transaction: create the managers, teams and owners planned. */
int fnl__hist_users_create(struct hist *h);
/* Misspelled sectors and countries of the accounts (after the survey, which counts their rows):
 * corrected unless keep_spelling, reported. */
int fnl__hist_spelling(struct hist *h);
/* Values one edit apart within the columns of the file and the side files, as quirks. */
void fnl__hist_near_names(struct hist *h);

#endif
