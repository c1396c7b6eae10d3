/*
 * funnel/io.h - domain objects as JSON (jansson), and the catalog of names people see.
 *
 * The same encoders serve the CLI's --json and, later, the HTTP API, so a lead looks the same
 * everywhere. Key names are snake_case; times are ISO 8601 with the installation's offset
 * ("2026-11-29T10:00:00+08:00"); money is integer 分; every key (stage, channel, status, reason,
 * role, kind) comes with its names in both languages as "<key>_name": {"zh": ..., "en": ...}.
 */
#ifndef FUNNEL_IO_H
#define FUNNEL_IO_H

#include <jansson.h>

#include "funnel/funnel.h"

/* The names of the configurable lists (stages, channels, loss reasons), loaded once. */
typedef struct fnl_catalog fnl_catalog;

/* Load the catalog of db; free with fnl_catalog_free(). */
int fnl_catalog_load(fnl_db *db, fnl_catalog **out);
void fnl_catalog_free(fnl_catalog *cat);

/* Names in lang ("zh" or "en"); the key itself when unknown (borrowed from the catalog). */
const char *fnl_catalog_stage(const fnl_catalog *cat, const char *key, const char *lang);
const char *fnl_catalog_channel(const fnl_catalog *cat, const char *key, const char *lang);
const char *fnl_catalog_reason(const fnl_catalog *cat, const char *key, const char *lang);

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

#endif
