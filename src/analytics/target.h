/*
 * analytics/target.h - what targets, planning and the team and bottleneck reports share: periods as
 * calendar months in the installation's zone, the lookup of a target, and the lead filters of a query
 * applied to a lead found by id (deadlines and activities are rows of their own, not snapshot scans).
 *
 * Months are counted from 1970-01 (month 0) in local time; the instant of a month is the local
 * midnight of its first day.
 */
#ifndef FUNNEL_ANALYTICS_TARGET_H
#define FUNNEL_ANALYTICS_TARGET_H

#include "analytics/snapshot.h"

/* The month (since 1970-01) of instant t in tz, and the instant month m starts at. */
int fnl__month_at(const fnl_tz *tz, int64_t t);
int64_t fnl__month_start(const fnl_tz *tz, int m);

/* The name of the period that is exactly [from, to) ("2026-11", "2026-Q4", "2026") into buf; 0, or
 * -1 when [from, to) is not a month, a quarter or a year. */
int fnl__period_exact(const fnl_tz *tz, int64_t from, int64_t to, char buf[static 8]);

/* The smallest month, quarter or year that holds all of [from, to) (to > from); 0, or -1 when the
 * period spans two years. */
int fnl__period_within(const fnl_tz *tz, int64_t from, int64_t to, char buf[static 8]);

/* The value of a target (stored units); *found 0 when there is none. */
int fnl__target_get(fnl_db *db, const char *metric, const char *stage, const char *scope_kind,
		    const char *scope, const char *period, int64_t *value, int *found);

/* Set a target inside the caller's transaction (fnl_target_set without the transaction and the
 * role check; the scope check is made). */
int fnl__target_put(fnl_db *db, const struct fnl_ctx *ctx, const char *metric, const char *stage,
		    const char *scope_kind, const char *scope, const char *period, int64_t value,
		    struct fnl_target *out);

/* The owner index of a snapshot for a user id (0, "none", when the user is not known). */
int fnl__owner_of_user(const fnl_snapshot *s, int64_t user_id);

/* A follow-up deadline (due at `due`) at `now`: not due yet (or cancelled in time), met on time,
 * met late, or breached (still open and late, or cancelled after its due time). The one rule of
 * SLA compliance for every report. */
enum fnl__sla_class { FNL__SLA_NOT_DUE, FNL__SLA_ON_TIME, FNL__SLA_LATE, FNL__SLA_BREACH_OPEN, FNL__SLA_BREACH_CANCELLED };
enum fnl__sla_class fnl__sla_classify(int64_t due, int64_t done, int64_t cancelled, int64_t now);

/* 1 if lead id is a valid lead of the snapshot that passes q's channel, grade, industry and region
 * filters (not the period, not the owner or team: the caller applies those to whoever acted). grade:
 * the grade index to filter on (a deadline's own), or -1 for the lead's current grade. */
int fnl__lead_passes(const fnl_snapshot *s, const struct fnl_query *q, int64_t id, int grade);

/* 1 if owner index o passes q's owner and team filters. */
int fnl__owner_passes(const fnl_snapshot *s, const struct fnl_query *q, int o);

#endif
