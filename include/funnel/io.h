/*
 * funnel/io.h - domain objects as JSON (jansson), and the catalog of names people see.
 *
 * The same encoders serve the CLI's --json and, later, the HTTP API, so a lead looks the same
 * everywhere. Key names are snake_case; times are ISO 8601 with the installation's offset
 * ("2026-11-29T10:00:00+08:00"); money is integer 分; every key (stage, channel, status, reason,
 * role, kind) comes with its names in both languages as "<key>_name": {"zh": ..., "en": ...}.
 * A discount is "discount_pct", the percentage as people enter it (15, 15.01: exact to hundredths).
 */
#ifndef FUNNEL_IO_H
#define FUNNEL_IO_H

#include <jansson.h>

#include "funnel/funnel.h"
#include "funnel/sale.h"

/* The names of the configurable lists (stages, channels, loss reasons), loaded once. */
typedef struct fnl_catalog fnl_catalog;

/* Load the catalog of db; free with fnl_catalog_free(). */
int fnl_catalog_load(fnl_db *db, fnl_catalog **out);
void fnl_catalog_free(fnl_catalog *cat);

/* Names in lang ("zh" or "en"); the key itself when unknown (borrowed from the catalog). */
const char *fnl_catalog_stage(const fnl_catalog *cat, const char *key, const char *lang);
const char *fnl_catalog_channel(const fnl_catalog *cat, const char *key, const char *lang);
const char *fnl_catalog_reason(const fnl_catalog *cat, const char *key, const char *lang);

/* Names of the keys of the sale (funnel/sale.h) that have no name function in the library: SPIN
 * kinds (S, P, I, N), quote statuses (within_limit, pending, approved, rejected), how a needs list
 * was confirmed (phone, email, meeting, message) and link kinds (fnl_lead_links). Static; the key
 * itself when unknown. */
const char *fnl_spin_kind_name(const char *kind, const char *lang);
const char *fnl_quote_status_name(const char *status, const char *lang);
const char *fnl_confirm_how_name(const char *how, const char *lang);
const char *fnl_link_kind_name(const char *kind, const char *lang);

/* The follow-up deadline of a lead at now: "met", "met_late", "pending", "overdue", or NULL when
 * the lead has none. */
const char *fnl_sla_state(const struct fnl_lead *l, int64_t now);

/* A score total in hundredths as JSON: an integer when whole (15), else a real (14.5). */
json_t *fnl_json_points(int64_t hundredths);

/* A time as JSON (ISO 8601 string in tz, or null for 0). */
json_t *fnl_json_time(const fnl_tz *tz, int64_t t);

/* New JSON objects (the caller owns the reference). */
json_t *fnl_json_lead(fnl_db *db, const fnl_catalog *cat, const struct fnl_lead *l, int64_t now);
json_t *fnl_json_user(const struct fnl_user *u);
json_t *fnl_json_stage(const struct fnl_stage *s);
json_t *fnl_json_channel(const struct fnl_channel *c);
json_t *fnl_json_reason(const struct fnl_reason *r);
json_t *fnl_json_stage_event(fnl_db *db, const fnl_catalog *cat, const struct fnl_stage_event *e);
json_t *fnl_json_score_entry(fnl_db *db, const struct fnl_score_entry *s);
json_t *fnl_json_owner_event(fnl_db *db, const struct fnl_owner_event *e);
json_t *fnl_json_activity(fnl_db *db, const fnl_catalog *cat, const struct fnl_activity *a);
json_t *fnl_json_task(fnl_db *db, const struct fnl_task *t, int64_t now);
json_t *fnl_json_queue_item(fnl_db *db, const fnl_catalog *cat, const struct fnl_queue_item *q,
			    int64_t now);
json_t *fnl_json_audit(fnl_db *db, const struct fnl_audit_entry *a);
json_t *fnl_json_calendar_entry(const struct fnl_calendar_entry *e);

/* The sale (funnel/sale.h). A needs list version has its items inside ("items"); version 0 is a
 * lead without a list. */
json_t *fnl_json_prep(fnl_db *db, const struct fnl_prep *p);
json_t *fnl_json_spin(fnl_db *db, const struct fnl_spin *s);
json_t *fnl_json_contact(fnl_db *db, const struct fnl_contact *c);
json_t *fnl_json_needs(fnl_db *db, const struct fnl_needs *n);
json_t *fnl_json_solution_item(fnl_db *db, const struct fnl_solution_item *s);
json_t *fnl_json_presentation(fnl_db *db, const struct fnl_presentation *p);
json_t *fnl_json_quote(fnl_db *db, const struct fnl_quote *q);
json_t *fnl_json_obstacle(fnl_db *db, const struct fnl_obstacle *o);
json_t *fnl_json_deal(fnl_db *db, const struct fnl_deal *d);
json_t *fnl_json_handover(fnl_db *db, const struct fnl_handover *h);
json_t *fnl_json_rating(fnl_db *db, const struct fnl_rating *r);
json_t *fnl_json_link(const fnl_catalog *cat, const struct fnl_link *l);

/* Columns s takes on a screen or in a spreadsheet: a wide (CJK, full-width) character two, a control
 * character or a combining mark none, any other one; a byte that is not UTF-8 counts as one. */
size_t fnl_text_width(const char *s);

#endif
