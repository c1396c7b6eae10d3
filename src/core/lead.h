/* core/lead.h - what the lead modules (lead.c, score.c, stage.c, activity.c) share. */
#ifndef FUNNEL_CORE_LEAD_H
#define FUNNEL_CORE_LEAD_H

#include <sqlite3.h>

#include "core/internal.h"

/* Audit a lead change: the fields that differ between old and l (all set fields when old is NULL). */
int fnl__lead_audit(fnl_db *db, const struct fnl_ctx *ctx, const char *action,
		    const struct fnl_lead *old, const struct fnl_lead *l);

/* Append an immutable stage event. from_stage 0 for a capture. */
int fnl__stage_event(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *kind,
		     int64_t from_stage, int64_t to_stage, int64_t at, const char *note, const char *reason);

/* Load a lead and check the actor may read or change it. */
int fnl__lead_for(fnl_db *db, int64_t id, enum fnl__access mode, struct fnl_lead *out);

/* Load a lead the actor may change that counts in the funnel (not invalid, not merged). */
int fnl__lead_writable(fnl_db *db, int64_t id, struct fnl_lead *out);

/* The rows of sql (one parameter: the lead id) about a lead the actor may see, read with fn into a
 * new array (see fnl__collect). */
int fnl__lead_rows(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const char *sql, size_t sz,
		   void (*fn)(sqlite3_stmt *, void *), void **out, size_t *n, const char *what);

/* Move a lead (fnl_lead_move); force 1 passes failed stage gates (the caller checked the role). */
int fnl__lead_move(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const char *to, const char *note,
		   int force, struct fnl_lead *out);

/* Capture a lead (fnl_lead_add) linked to an earlier lead of the customer (returning_of: a
 * repurchase) or to the customer who referred it (referred_by); 0 for none. Every check comes
 * before the first write: an error other than FNL_EDB or FNL_ENOMEM has written nothing, so a
 * caller inside its own transaction (the import) need not wrap each call in a savepoint. */
int fnl__lead_add(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_lead_input *in,
		  int64_t returning_of, int64_t referred_by, int *result, struct fnl_lead *out, int64_t *record_id);

/* Score a lead loaded by the caller (fnl_lead_score without the load): old is the lead as stored.
 * out may be NULL. */
int fnl__lead_score_loaded(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_lead *old, const int s[4],
			   struct fnl_lead *out);

/* Load a lead the actor may change and that is open; FNL_ESTATE "cannot <what>: lead N is won". */
int fnl__lead_open_for(fnl_db *db, int64_t id, const char *what, struct fnl_lead *out);

struct fnl_quote;
/* The quote round that stands: the newest one not rejected, else (all were rejected) the newest;
 * FNL_ENOTFOUND (error set) when the lead has no quote. */
int fnl__quote_standing(fnl_db *db, int64_t lead_id, struct fnl_quote *out);

struct fnl_contact;
/* A decision-chain contact of a lead, or FNL_EINVAL naming "contact". */
int fnl__contact_get(fnl_db *db, int64_t lead_id, int64_t contact_id, struct fnl_contact *out);

/* Set a new follow-up deadline on l from `at` for grade (A: hours; else working days), and for a B
 * lead the material task; an open, earlier deadline is kept. Without force (a re-score of an open
 * lead) no deadline is set once the last one was met, and material already sent is not asked again. */
int fnl__lead_deadline(fnl_db *db, const struct fnl_lead *l, const char *grade, int64_t at, int force);

#endif
