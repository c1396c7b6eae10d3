/*
 * funnel/funnel.h - the public API of libfunnel.
 *
 * funnel carries B2B leads from capture to the deal: cleaning and de-duplication (SPEC §3), scoring,
 * grades and follow-up deadlines (§4), the six stages of the default pipeline (§2), activities, the
 * work queue, users and roles (§1, §8), and an append-only audit log of every change.
 *
 * Invariants callers rely on:
 * - A fnl_db is one connection to one database. It is not shared between threads at the same time;
 *   open one handle per thread or connection. There is no global mutable state.
 * - Every write is atomic: it either happens entirely (and is durable when the function returns 0)
 *   or not at all (the database is left exactly as it was). Calls can be grouped in one transaction
 *   with fnl_db_begin()/fnl_db_commit().
 * - Nothing here reads the clock: the caller passes "now" in a struct fnl_ctx, with the acting user.
 * - Errors return a code from funnel/error.h; the detail (field, message) is read with fnl_errmsg()
 *   and fnl_errfield() until the next call on the handle.
 * - Strings are UTF-8. Times are seconds since the epoch (UTC); money is integer 分 (minor units).
 * - Returned arrays are allocated and handed to the caller, freed with free() unless the function
 *   says otherwise; returned const char * are borrowed from the handle or static.
 */
#ifndef FUNNEL_FUNNEL_H
#define FUNNEL_FUNNEL_H

#include <stddef.h>
#include <stdint.h>

#include "funnel/error.h"
#include "funnel/time.h"

#define FNL_VERSION "0.1.0"

typedef struct fnl_db fnl_db;

/* The context of one call: the instant it happens at and who acts (a user id; 0 is the system
 * itself, which is allowed everything, used by imports and the demo generator). */
struct fnl_ctx {
	int64_t now;
	int64_t actor;
};

/* Sizes of the text fields, in bytes with the terminating NUL. Longer input is refused with
 * FNL_EINVAL naming the field. */
#define FNL_KEY_LEN 33
#define FNL_NAME_LEN 129
#define FNL_COMPANY_LEN 256
#define FNL_TEXT_LEN 256
#define FNL_NOTE_LEN 2048

/* ---------------------------------------------------------------------------------------------
 * Database handle
 */

/*
 * Create a new funnel database at path (which must not exist or be an empty file): the schema, the
 * defaults of the SPEC, and the first user, an admin with login "admin". The handle is returned in
 * *out and freed with fnl_db_close(). On failure nothing is left at path.
 * Errors: FNL_EEXIST (a database is there), FNL_EDB, FNL_EIO, FNL_ENOMEM.
 */
int fnl_db_create(const char *path, const struct fnl_ctx *ctx, fnl_db **out, struct fnl_error *err);

/*
 * Open an existing funnel database and apply the migrations it lacks. SQLite runs in WAL mode with
 * synchronous=FULL and foreign keys on. Errors: FNL_ENOTFOUND (no such file: "run 'funnel init'"),
 * FNL_ESCHEMA (not a funnel database, or a newer schema), FNL_EDB, FNL_ENOMEM.
 */
int fnl_db_open(const char *path, fnl_db **out, struct fnl_error *err);

/* Close the handle, rolling back an unfinished fnl_db_begin(). Accepts NULL. */
void fnl_db_close(fnl_db *db);

/* Detail of the last error on the handle (borrowed; "" when there was none). */
const char *fnl_errmsg(const fnl_db *db);
const char *fnl_errfield(const fnl_db *db);
const struct fnl_error *fnl_db_error(const fnl_db *db);

/* Group several calls in one transaction: nothing is durable until fnl_db_commit() returns 0;
 * fnl_db_rollback() undoes all of it. Calls nest (inner calls use savepoints). */
int fnl_db_begin(fnl_db *db);
int fnl_db_commit(fnl_db *db);
void fnl_db_rollback(fnl_db *db);

/* Write a consistent copy of the open database to path (online; other connections may keep
 * writing). path must not exist. Admins only: the copy holds every lead's contact data.
 * Errors: FNL_EPERM, FNL_EEXIST, FNL_EIO, FNL_EDB. */
int fnl_db_backup(fnl_db *db, const struct fnl_ctx *ctx, const char *path);

/* The installation's time zone, working-day calendar and language ("zh" or "en"), as configured
 * (borrowed, valid until the configuration changes). */
const fnl_tz *fnl_db_tz(fnl_db *db);
const fnl_calendar *fnl_db_calendar(fnl_db *db);
const char *fnl_db_lang(fnl_db *db);

/* ---------------------------------------------------------------------------------------------
 * Names shown to people. Keys are stable; names come in Chinese ("zh") and English ("en").
 * These return a static string, or the key itself when it is unknown.
 */
const char *fnl_role_name(const char *role, const char *lang);
const char *fnl_status_name(const char *status, const char *lang);
const char *fnl_invalid_reason_name(const char *reason, const char *lang);
const char *fnl_activity_kind_name(const char *kind, const char *lang);
const char *fnl_task_kind_name(const char *kind, const char *lang);
const char *fnl_channel_kind_name(const char *kind, const char *lang);

/* 1 if key is one of the roles (admin, manager, sales, marketing, aftersales). */
int fnl_role_valid(const char *role);

/* ---------------------------------------------------------------------------------------------
 * Money: integer 分 in the library, yuan with two decimals for people.
 */

/* Parse "128000.50", "0.01", "1000000": digits, an optional '.' and at most two decimals, at most
 * 10^13 yuan. Refuses signs, thousands separators, exponents, spaces. FNL_EINVAL naming field. */
int fnl_money_parse(const char *text, const char *field, int64_t *fen, struct fnl_error *err);

/* Write fen as "128000.50" (no currency, no separators). Returns the length. */
size_t fnl_money_format(int64_t fen, char *buf, size_t len);

/* ---------------------------------------------------------------------------------------------
 * Users and teams (§1). Roles: admin, manager, sales, marketing, aftersales.
 */
struct fnl_user {
	int64_t id;
	char login[FNL_KEY_LEN];
	char name[FNL_NAME_LEN];
	char role[16];
	char team[FNL_NAME_LEN]; /* "" when none */
	int active;
	int64_t created_at;
};

/* Changes for fnl_user_edit: NULL / -1 leaves a field as it is; team "" removes the team. */
struct fnl_user_change {
	const char *name;
	const char *role;
	const char *team;
	int active;
};

/*
 * Add a user (admin only). login: 1-32 of [a-z0-9._-], starting with a letter or digit. team is
 * created when it does not exist; NULL or "" for none. Errors: FNL_EINVAL (field), FNL_EEXIST,
 * FNL_EPERM.
 */
int fnl_user_add(fnl_db *db, const struct fnl_ctx *ctx, const char *login, const char *name,
		 const char *role, const char *team, struct fnl_user *out);
int fnl_user_edit(fnl_db *db, const struct fnl_ctx *ctx, const char *login,
		  const struct fnl_user_change *change, struct fnl_user *out);
int fnl_user_get(fnl_db *db, const char *login, struct fnl_user *out);
int fnl_user_get_id(fnl_db *db, int64_t id, struct fnl_user *out);
int fnl_user_list(fnl_db *db, struct fnl_user **out, size_t *n);

/* ---------------------------------------------------------------------------------------------
 * Configuration: every configurable value, stored in the database with the SPEC's defaults.
 */
struct fnl_config_item {
	char key[64];
	char value[1024];
	const char *help; /* static, English */
};

int fnl_config_get(fnl_db *db, const char *key, char *buf, size_t len);
/* Set a key (admin only) after checking the value against the key's type. FNL_ENOTFOUND for an
 * unknown key, FNL_EINVAL for a bad value (the message says what is expected). */
int fnl_config_set(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *value);
int fnl_config_list(fnl_db *db, struct fnl_config_item **out, size_t *n);

/* ---------------------------------------------------------------------------------------------
 * Stages, channels and loss reasons (§2, §3): configurable lists with stable keys.
 */
struct fnl_stage {
	int64_t id;
	int pos;
	char key[FNL_KEY_LEN];
	char name_zh[FNL_NAME_LEN];
	char name_en[FNL_NAME_LEN];
	int probability; /* percent */
	/* counts over valid leads (not invalid, not merged) */
	int64_t n_at;      /* open, nurture or (at the last stage) won leads at this stage now */
	int64_t n_reached; /* leads whose reached stage is at or past this one */
};

struct fnl_channel {
	int64_t id;
	char key[FNL_KEY_LEN];
	char name_zh[FNL_NAME_LEN];
	char name_en[FNL_NAME_LEN];
	char kind[16]; /* online, offline, customer */
	int active;
};

struct fnl_reason {
	char key[FNL_KEY_LEN];
	char name_zh[FNL_NAME_LEN];
	char name_en[FNL_NAME_LEN];
	int pos;
};

/* The stages of the default pipeline in order. With ctx, with their counts of the leads the actor
 * sees in reports (SPEC §8): all for admins, marketing and a manager without a team; the team's for
 * a team's manager; their own for sales; the won customers for after-sales. NULL: counts 0. */
int fnl_stage_list(fnl_db *db, const struct fnl_ctx *ctx, struct fnl_stage **out, size_t *n);
/* Rename a stage or change its probability (admin). NULL / -1 leaves a field unchanged. */
int fnl_stage_edit(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *name_zh,
		   const char *name_en, int probability);
/*
 * Shape the default pipeline before use (admin): add a stage after another (after NULL or "": at
 * the start), remove one, or move one after another. Allowed only while no lead is in the pipeline,
 * and the pipeline keeps 3 to 10 stages; the last stage is the one that wins a lead.
 * Errors: FNL_ESTATE (leads exist), FNL_EINVAL (key, name, probability, count), FNL_EEXIST.
 */
int fnl_stage_add(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *name_zh,
		  const char *name_en, int probability, const char *after);
int fnl_stage_remove(fnl_db *db, const struct fnl_ctx *ctx, const char *key);
int fnl_stage_move_to(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *after);
int fnl_channel_list(fnl_db *db, struct fnl_channel **out, size_t *n);
/* Add a channel (admin). key: 1-32 of [a-z0-9_]; kind online|offline|customer; name_en may be NULL
 * (the Chinese name is used). */
int fnl_channel_add(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *name_zh,
		    const char *name_en, const char *kind);
int fnl_reason_list(fnl_db *db, struct fnl_reason **out, size_t *n);
int fnl_reason_add(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *name_zh,
		   const char *name_en);

/* ---------------------------------------------------------------------------------------------
 * Leads (§2-§4)
 */

/* A lead as stored. Keys (channel, stage, reasons) are stable identifiers; names come from the
 * list functions and fnl_*_name(). */
struct fnl_lead {
	int64_t id;
	char company[FNL_COMPANY_LEN];
	char contact[FNL_NAME_LEN];
	char title[FNL_NAME_LEN];
	char phone[40]; /* normalised */
	char email[FNL_TEXT_LEN];
	char wechat[64];
	char industry[FNL_NAME_LEN];
	char size[64];
	char region[FNL_NAME_LEN];
	char channel[FNL_KEY_LEN];
	char source[FNL_TEXT_LEN];
	char consent[FNL_TEXT_LEN];
	char notes[FNL_NOTE_LEN];
	int64_t captured_at;
	char owner[FNL_KEY_LEN]; /* login, "" when none */
	char stage[FNL_KEY_LEN];
	int stage_pos;
	int reached_pos;
	char reached[FNL_KEY_LEN];
	char status[12];             /* open, nurture, won, lost, invalid, merged */
	char invalid_reason[24];     /* "" unless invalid */
	int64_t merged_into;         /* 0 unless merged */
	int64_t returning_of;        /* the earlier won or lost lead of the same customer, or 0 */
	char lost_reason[FNL_KEY_LEN];
	char lost_stage[FNL_KEY_LEN];
	int64_t lost_at, won_at;
	int has_amount;
	int64_t amount;              /* expected deal amount, 分 */
	char close_month[8];         /* expected close month, "YYYY-MM" or "" */
	char grade[2];               /* "A", "B", "C" or "" */
	int budget, need, decision, urgency; /* 1-5, 0 before scoring */
	int64_t score_total;         /* hundredths of a point */
	int64_t graded_at;
	int64_t first_contact_at;    /* 0 while "to follow up" */
	/* the follow-up deadline (SLA) set by the latest grading, if any */
	int64_t sla_due_at, sla_met_at;
	/* the earliest open task on the lead */
	char next_action[12];
	int64_t next_due_at;
	int64_t created_at, updated_at, version;
	int64_t referred_by;         /* referral: the customer (won lead) who referred it, or 0 */
	char aftersales[FNL_KEY_LEN]; /* after-sales user it was handed over to, or "" */
	/* internal: ids behind the keys */
	int64_t channel_id, stage_id, owner_id, pipeline_id, aftersales_id;
};

/* Input of fnl_lead_add and fnl_lead_edit: NULL (or has_* 0) means "not given". In an edit, ""
 * clears an optional text field. */
struct fnl_lead_input {
	const char *company, *contact, *title, *phone, *email, *wechat;
	const char *industry, *size, *region, *channel, *source, *consent, *notes;
	const char *owner; /* login */
	int has_captured_at;
	int64_t captured_at;
	int has_amount;     /* 1: set amount; -1: clear it */
	int64_t amount;
	const char *close_month; /* "YYYY-MM"; "" clears */
};

enum fnl_add_result {
	FNL_ADD_CREATED = 1,   /* a new lead at acquire, status open */
	FNL_ADD_INVALID = 2,   /* stored with status invalid and a reason */
	FNL_ADD_MERGED = 3,    /* a duplicate of an open or nurture lead: a re_inquiry on it */
	FNL_ADD_RETURNING = 4, /* new lead linked to an earlier won or lost lead */
};
const char *fnl_add_result_name(int result);

/*
 * Capture a lead (§3): clean it, find duplicates, assign it, store it. Required: company, contact,
 * channel (a known key). captured_at defaults to ctx->now and may not be in the future.
 * *result says what happened. *out is the new lead (created, returning), the invalid lead, or, for a
 * merge, the existing lead it was merged into (only its id and status when the actor may not see that
 * lead, SPEC §8); *record_id is the id of the stored record (for a merge the record with status
 * "merged"). Assignment: the given owner (an active sales user or
 * manager), else the actor when a sales user, else the earlier owner of a returning customer when
 * still an active sales user, else round-robin over active sales users. Errors (nothing stored): FNL_EINVAL with the field, FNL_EPERM.
 */
int fnl_lead_add(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_lead_input *in,
		 int *result, struct fnl_lead *out, int64_t *record_id);

/* Read a lead the actor may see. FNL_ENOTFOUND, FNL_EPERM. */
int fnl_lead_get(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, struct fnl_lead *out);

/*
 * Change fields of a lead. Contact fields are cleaned and must stay valid (the error names the field
 * and what is wrong); at least one of phone, email, WeChat must remain. amount and close_month can
 * be set from the qualify stage on. Not for invalid or merged leads.
 */
int fnl_lead_edit(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const struct fnl_lead_input *in,
		  struct fnl_lead *out);

/* NULL for any; status NULL leaves out invalid and merged leads, "all" includes them. */
struct fnl_lead_filter {
	const char *stage, *status, *owner, *grade, *channel;
	int64_t limit;  /* 0 for no limit */
	int64_t offset;
};

/* The leads the actor may see that match, newest capture first. A filter value that names nothing
 * (no such stage, status, user, grade or channel) is FNL_EINVAL naming the filter, not an empty list. */
int fnl_lead_list(fnl_db *db, const struct fnl_ctx *ctx, const struct fnl_lead_filter *f,
		  struct fnl_lead **out, size_t *n);

/*
 * Score a lead on budget, need, decision and urgency (1-5 each) (§4). The total (weights may be
 * fractional) gives the grade: A at or above score.grade_a_min, B at or above score.grade_b_min,
 * else C. The scoring is kept in the history. An acquire lead moves to qualify. A and B set the
 * follow-up deadline (A: sla.a_hours after grading; B: end of the sla.b_working_days-th working day
 * after the grading date, and a task to send material); C puts the lead in the nurture pool with a
 * touch and a re-evaluation due. Re-scoring a nurture lead A or B returns it to open with a new
 * deadline. An unmet deadline is never pushed later by a re-score.
 * Errors: FNL_EINVAL (a score out of 1-5, named), FNL_ESTATE (won, lost, invalid, merged lead).
 */
int fnl_lead_score(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, int budget, int need,
		   int decision, int urgency, struct fnl_lead *out);

/* Grade of a total (hundredths) under the configured thresholds: 'A', 'B' or 'C'. */
char fnl_grade_of(fnl_db *db, int64_t total);

/*
 * Move an open lead to stage (§2). Forward moves may skip stages (they count as reached at the same
 * instant); moving to the last stage wins the lead. A move back needs a note. Errors: FNL_EINVAL
 * (unknown stage, missing note), FNL_ESTATE (not open, same stage).
 */
int fnl_lead_move(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const char *stage,
		  const char *note, struct fnl_lead *out);

/* Lose an open or nurture lead at its current stage with a reason key from the list. */
int fnl_lead_lose(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const char *reason,
		  const char *note, struct fnl_lead *out);

/* Reopen a lost or nurture lead: status open at the same stage, with a new follow-up deadline (A:
 * sla.a_hours, otherwise sla.b_working_days working days). */
int fnl_lead_reopen(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const char *note,
		    struct fnl_lead *out);

/* Give a lead to another active user (admin, or a manager for their team); open tasks follow. */
int fnl_lead_assign(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, const char *owner,
		    const char *note, struct fnl_lead *out);

/* ---- a lead's history ---- */

struct fnl_stage_event {
	int64_t id;
	char kind[12]; /* capture, forward, back, lose, reopen */
	char from[FNL_KEY_LEN]; /* "" for capture */
	char to[FNL_KEY_LEN];
	int64_t at;
	char user[FNL_KEY_LEN];
	char note[FNL_NOTE_LEN];
	char reason[FNL_KEY_LEN];
};

struct fnl_score_entry {
	int64_t id, at;
	char user[FNL_KEY_LEN];
	int budget, need, decision, urgency;
	int64_t total;
	char grade[2];
};

struct fnl_owner_event {
	int64_t id, at;
	char from[FNL_KEY_LEN], to[FNL_KEY_LEN], user[FNL_KEY_LEN];
	char note[FNL_NOTE_LEN];
};

int fnl_lead_events(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, struct fnl_stage_event **out,
		    size_t *n);
int fnl_lead_scores(fnl_db *db, const struct fnl_ctx *ctx, int64_t id, struct fnl_score_entry **out,
		    size_t *n);
int fnl_lead_owner_events(fnl_db *db, const struct fnl_ctx *ctx, int64_t id,
			  struct fnl_owner_event **out, size_t *n);

/* ---------------------------------------------------------------------------------------------
 * Activities (§5) and tasks
 *
 * Kinds: call, meeting, visit, email, message (follow-ups: the first after grading meets the
 * deadline), demo, nurture (a nurture touch), aftersales, note, and re_inquiry (written by a merge).
 */
struct fnl_activity {
	int64_t id, lead_id;
	char kind[16];
	int64_t at;
	char user[FNL_KEY_LEN];
	char summary[FNL_NOTE_LEN];
	char outcome[FNL_TEXT_LEN];
	int64_t next_at; /* 0 when none */
	char channel[FNL_KEY_LEN]; /* re_inquiry: the channel the duplicate came through */
	char source[FNL_TEXT_LEN];
	int64_t ref_lead; /* re_inquiry: the merged record */
};

struct fnl_activity_input {
	const char *kind;
	const char *summary, *outcome;
	int64_t next_at; /* 0: none; a next follow-up creates a task due then */
};

/* 1 if kind is an activity kind a person can record (not re_inquiry). */
int fnl_activity_kind_valid(const char *kind);

/* Record an activity at ctx->now. It meets the open deadline when it is a follow-up, completes
 * nurture and material tasks it answers, and replaces an earlier next follow-up. */
int fnl_activity_add(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
		     const struct fnl_activity_input *in, struct fnl_activity *out);
int fnl_activity_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id,
		      struct fnl_activity **out, size_t *n);

/* Tasks: followup (the deadline of a grading), material (send cases to a B lead), touch (nurture
 * touch), reevaluate (re-score a nurture lead), next (the next follow-up an activity set). */
struct fnl_task {
	int64_t id, lead_id;
	char kind[12];
	char grade[2];
	char owner[FNL_KEY_LEN];
	int64_t created_at, due_at, done_at, cancelled_at, activity_id;
};
int fnl_lead_tasks(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, struct fnl_task **out,
		   size_t *n);

/* ---- the work queue (§4) ---- */

struct fnl_queue_item {
	int64_t lead_id;
	char company[FNL_COMPANY_LEN];
	char contact[FNL_NAME_LEN];
	char grade[2];
	char stage[FNL_KEY_LEN];
	char status[12];
	char action[12]; /* a task kind, or "qualify" for a lead not scored yet */
	int64_t due_at;  /* 0 when the action has no due time */
	int overdue;
	int64_t captured_at;
};

/* The open and nurture leads of owner (a login; NULL for the actor) that need an action: overdue
 * first, then by due time, then those without a due time by capture time. */
int fnl_queue(fnl_db *db, const struct fnl_ctx *ctx, const char *owner, struct fnl_queue_item **out,
	      size_t *n);

/* ---------------------------------------------------------------------------------------------
 * Working-day calendar (§4)
 */

/* Import a calendar file (see fnl_calendar_parse in funnel/time.h; admin only). All entries or,
 * on the first bad line, none (FNL_EINVAL, field "line", "line N: ..."). An entry for a date already
 * in the calendar replaces it. *count gets the number of entries imported. */
int fnl_calendar_import(fnl_db *db, const struct fnl_ctx *ctx, const char *text, size_t len,
			size_t *count);

/* The calendar's entries of a year (0 for all), by date. */
int fnl_calendar_list(fnl_db *db, int year, struct fnl_calendar_entry **out, size_t *n);

/* ---------------------------------------------------------------------------------------------
 * Audit log (§8): who, when, what, before -> after
 */
struct fnl_audit_entry {
	int64_t id, at;
	char user[FNL_KEY_LEN];
	char entity[24];
	char entity_id[64];
	char action[24];
	int64_t lead_id;
	char *before; /* JSON object of the changed fields before, or NULL */
	char *after;  /* and after, or NULL */
};

/* The log, oldest first: all of it, or what concerns one lead (lead_id != 0). limit 0: no limit
 * (the newest limit entries otherwise). Admins see everything; managers their team's leads; others
 * their own leads. Free with fnl_audit_free(). */
int fnl_audit_list(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, int64_t limit,
		   struct fnl_audit_entry **out, size_t *n);
void fnl_audit_free(struct fnl_audit_entry *entries, size_t n);

/* ---------------------------------------------------------------------------------------------
 * Demo data
 */
struct fnl_demo_stats {
	int users, leads, invalid, merged, won, lost, activities;
};

/*
 * Fill a new database with a deterministic demo (same seed and ctx->now, same data): a manager,
 * four sales consultants, marketing and after-sales users, and several hundred leads over the 12
 * months before ctx->now, walked through the funnel by the library's own functions.
 */
int fnl_demo_generate(fnl_db *db, const struct fnl_ctx *ctx, uint64_t seed,
		      struct fnl_demo_stats *stats);

#endif
