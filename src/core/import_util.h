/*
 * core/import_util.h - what the importers of files share: core/import.c (lead lists) and
 * core/history.c (another CRM's opportunities with their history).
 *
 * Headers are matched to fields by name: an explicit "COLUMN=FIELD" first, then each header,
 * normalised (full-width folded, ASCII lower-cased, without spaces and punctuation), against the
 * field's list of synonyms; the first column that matches a field wins, the others are "unknown".
 */
#ifndef FUNNEL_CORE_IMPORT_UTIL_H
#define FUNNEL_CORE_IMPORT_UTIL_H

#include <stddef.h>

#include "funnel/funnel.h"
#include "io/reader.h"

/* Synonyms a field may have (NULL-terminated within). */
#define FNL__SYNONYMS 24

/* A header or a value as compared: folded, ASCII lower-cased, without spaces and punctuation. */
void fnl__import_norm(const char *in, char *out, size_t len);

/* 1 if s is NULL or only whitespace. */
int fnl__import_blank(const char *s);

/* Append s to the text in buf (len bytes), after sep when buf is not empty; silently cut at len. */
void fnl__import_add_text(char *buf, size_t len, const char *sep, const char *s);

/*
 * Match the header record h to nfields fields (names fields[], synonyms syn[]): col[f] gets the
 * column of field f or -1. maps are "COLUMN=FIELD" overrides (the column named exactly). mapping gets
 * "column=field, ..." as matched, unknown the columns that match nothing (comma-separated).
 * Errors: FNL_EINVAL naming "map" (a map that is not COLUMN=FIELD, names no field or no column),
 * FNL_ENOMEM.
 */
int fnl__import_map_header(fnl_db *db, const char *const *fields, const char *const (*syn)[FNL__SYNONYMS],
			   int nfields, const char *const *maps, size_t nmaps, const struct fnl_record *h, int *col,
			   char *mapping, size_t mlen, char *unknown, size_t ulen);

/* The value of field f in rec (NULL when the file has no such column or the record is short). */
const char *fnl__import_value(const struct fnl_record *rec, const int *col, int f);

/* An owner given by login, or by the name of exactly one user: its login into login. -1 if none. */
int fnl__import_owner_of(fnl_db *db, const char *v, char *login, size_t len);

#endif
