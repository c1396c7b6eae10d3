/*
 * core/internal.h - what the modules of libfunnel share and the public API does not show: the
 * audit log writer, the access rules of SPEC §8, the calendar loader and the lead store.
 */
#ifndef FUNNEL_CORE_INTERNAL_H
#define FUNNEL_CORE_INTERNAL_H

#include <jansson.h>

#include "funnel/funnel.h"

/* ---- audit (core/audit.c) ---- */

/*
 * Append an entry to the audit log: the actor of ctx at ctx->now did action on entity/entity_id;
 * before and after are JSON objects of the changed fields (either may be NULL). Takes ownership
 * of before and after (json_decref'd here, also on error).
 */
int fnl__audit(fnl_db *db, const struct fnl_ctx *ctx, const char *entity, const char *entity_id,
	       const char *action, int64_t lead_id, json_t *before, json_t *after);
/* The same with before and after as JSON text already (NULL: none). */
int fnl__audit_text(fnl_db *db, const struct fnl_ctx *ctx, const char *entity, const char *entity_id,
		    const char *action, int64_t lead_id, const char *before, const char *after);

/* ---- access (core/access.c) ---- */

/* FNL_EPERM unless the actor has one of the roles (a NULL-terminated list); the system (actor 0)
 * always passes. what completes "user 'x' (sales) cannot ..." */
int fnl__require_role(fnl_db *db, const char *what, ...);

/* Start a public call that writes: fnl__enter(), the role check when what is not NULL (roles as
 * for fnl__require_role), and a transaction to end with fnl__tx_end(). */
int fnl__begin_write(fnl_db *db, const struct fnl_ctx *ctx, const char *what, ...);

enum fnl__access { FNL__READ, FNL__WRITE };
/* FNL_EPERM (with a message naming the lead) unless the actor may read or change the lead. */
int fnl__lead_access(fnl_db *db, const struct fnl_lead *lead, enum fnl__access mode);
/* 1 if the actor may see the lead, 0 if not. */
int fnl__lead_visible(fnl_db *db, const struct fnl_lead *lead);
/* 1 if the actor may manage user (reassign their leads): admin, or a manager of their team. */
int fnl__manages(fnl_db *db, int64_t user_team_id);

/* ---- calendar (core/calendar_db.c) ---- */

/* Build the working-day calendar from the calendar_day table. */
int fnl__calendar_load(fnl_db *db, unsigned workweek, fnl_calendar **out);

/* ---- leads (store/lead_sql.c) ---- */

/* The keys a lead is found by as a duplicate; "" when the lead has none. */
struct fnl__lead_keys {
	char phone[40];
	char email[FNL_TEXT_LEN];
	char wechat[64];
	char company[FNL_COMPANY_LEN + FNL_NAME_LEN];
};

/* Load a lead by id (no access check). FNL_ENOTFOUND names the id. */
int fnl__lead_load(fnl_db *db, int64_t id, struct fnl_lead *out);
/* Insert a lead; sets l->id. */
int fnl__lead_insert(fnl_db *db, struct fnl_lead *l, const struct fnl__lead_keys *k);
/* Write every field of l (and the keys when k is not NULL); bumps the version. */
int fnl__lead_update(fnl_db *db, struct fnl_lead *l, const struct fnl__lead_keys *k);
/* Write the fields a scoring changes (stage, reached, status, grade, the scores, graded_at,
 * updated_at); bumps the version. Cheaper than fnl__lead_update: the indexes of the others stay. */
int fnl__lead_update_grade(fnl_db *db, struct fnl_lead *l);
/* The duplicates of keys among counted leads: the oldest open or nurture one (*open_id) and the
 * newest won or lost one (*closed_id); 0 when none. except: a lead id to ignore (0 for none). */
int fnl__lead_find_dups(fnl_db *db, const struct fnl__lead_keys *k, int64_t except, int64_t *open_id,
			int64_t *closed_id);
/* Call fn for each lead matching f (without limit/offset), newest capture first; fn returns
 * nonzero to stop (that value is returned). */
int fnl__lead_scan(fnl_db *db, const struct fnl_lead_filter *f,
		   int (*fn)(fnl_db *db, const struct fnl_lead *l, void *arg), void *arg);
/* FNL_EINVAL naming the filter when a value of f names nothing (no such stage, status, user, grade
 * or channel) (core/lead.c). */
int fnl__lead_filter_check(fnl_db *db, const struct fnl_lead_filter *f);
/* The team of a lead's owner (0 when none). */
int64_t fnl__lead_owner_team(fnl_db *db, const struct fnl_lead *l);

/* ---- stages and channels (core/lists.c) ---- */

/* Look up a stage of a pipeline by key or by position; FNL_EINVAL naming field for an unknown key. */
int fnl__stage_by_key(fnl_db *db, int64_t pipeline_id, const char *key, const char *field,
		      struct fnl_stage *out);
int fnl__stage_by_pos(fnl_db *db, int64_t pipeline_id, int pos, struct fnl_stage *out);
int fnl__stage_last(fnl_db *db, int64_t pipeline_id, struct fnl_stage *out);
int fnl__channel_by_key(fnl_db *db, const char *key, const char *field, struct fnl_channel *out);
int fnl__reason_exists(fnl_db *db, const char *key);

/* ---- users (core/user.c) ---- */

/* An active user by login who may own leads (sales or manager); FNL_EINVAL naming field. */
int fnl__owner_by_login(fnl_db *db, const char *login, const char *field, struct fnl_user *out);
/* A user by id, from the memo while one is on. */
int fnl__user_by_id(fnl_db *db, int64_t id, struct fnl_user *out);

/* ---- the memo of an import (core/memo.c) ---- */

/* Remember channels, stages, users and the round-robin pointer until fnl__memo_end; only for a run
 * that changes none of them. fnl__memo_flush stores the round-robin pointer (before each commit);
 * fnl__memo_renew (after each begin) forgets all when another connection committed meanwhile. */
int fnl__memo_begin(fnl_db *db);
/* At the start of each transaction: forget all when another connection has committed since. */
int fnl__memo_renew(fnl_db *db);
int fnl__memo_flush(fnl_db *db);
void fnl__memo_end(fnl_db *db);
const struct fnl_channel *fnl__memo_channel(fnl_db *db, const char *key);
void fnl__memo_channel_put(fnl_db *db, const struct fnl_channel *c);
const struct fnl_stage *fnl__memo_stage(fnl_db *db, int64_t pipeline_id, int pos);
void fnl__memo_stage_put(fnl_db *db, int64_t pipeline_id, const struct fnl_stage *s);
const struct fnl_user *fnl__memo_user(fnl_db *db, int64_t id);
void fnl__memo_user_put(fnl_db *db, const struct fnl_user *u);
/* Round-robin: the next active sales user after the last one assigned; *id 0 when there is none. */
int fnl__next_sales(fnl_db *db, int64_t *id);

/* ---- tasks (core/task.c) ---- */

int fnl__task_add(fnl_db *db, const struct fnl_lead *l, const char *kind, const char *grade,
		  int64_t created_at, int64_t due_at, int64_t *id);
/* Mark open tasks of kind (NULL: any) on a lead done at `at` by activity (0: none). */
int fnl__task_done(fnl_db *db, int64_t lead_id, const char *kind, int64_t at, int64_t activity_id,
		   int64_t created_before);
/* Cancel open tasks of kind (NULL: any) on a lead at `at`. */
int fnl__task_cancel(fnl_db *db, int64_t lead_id, const char *kind, int64_t at);
/* The newest open task of kind on a lead; *id 0 when none. */
int fnl__task_open(fnl_db *db, int64_t lead_id, const char *kind, int64_t *id, int64_t *due_at);
/* Give a lead's open tasks to owner. */
int fnl__task_reown(fnl_db *db, int64_t lead_id, int64_t owner_id);

/* ---- small helpers (core/util.c) ---- */

/* Copy a trimmed value into dst (dstlen bytes), as written: free text and names keep their
 * full-width punctuation (，（）). FNL_EINVAL naming field when it does not fit (the message gives
 * the limit) or holds a control character other than newline and tab. */
int fnl__take_text(fnl_db *db, const char *field, const char *value, char *dst, size_t dstlen);
/* The same, folding full-width forms to ASCII: for identifiers (phone, e-mail, WeChat ID). */
int fnl__take_folded(fnl_db *db, const char *field, const char *value, char *dst, size_t dstlen);
/* JSON of a time for the audit log: ISO 8601 in the installation's zone, or null for 0. */
json_t *fnl__json_time(fnl_db *db, int64_t t);

#endif
