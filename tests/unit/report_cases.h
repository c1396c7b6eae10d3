/*
 * tests/unit/report_cases.h - what the hand-computed report tests share: leads on a given channel
 * captured at a given time, moves, losses and reopens at a given time (all as the system), running
 * a report on a fresh snapshot, and checking a report's JSON document against the expected one
 * written out in the test.
 *
 * t_doc_check compares every number, boolean and null of the document with the expected JSON text
 * (reals within 5e-7, so hand-computed fractions can be written with 7 decimals), every array
 * length, and every string the expected text gives; strings it leaves out (names for people) are not
 * compared. A key of the document that the expected text does not have fails unless its value is a
 * string, and a key of the expected text the document lacks always fails: nothing numeric goes
 * unchecked.
 */
#ifndef FUNNEL_TESTS_REPORT_CASES_H
#define FUNNEL_TESTS_REPORT_CASES_H

#include <math.h>

#include "testutil.h"

#include "funnel/analytics.h"

/* Capture a lead on channel by owner (a login or NULL) at now; returns its id. */
static inline int64_t r_lead(struct tenv *t, int64_t now, const char *company, const char *channel, const char *owner)
{
	char phone[16];
	struct fnl_ctx c = t_sys(now);
	struct fnl_lead_input in = {0};
	in.company = company;
	in.contact = "张伟";
	in.phone = t_phone(t, phone);
	in.channel = channel;
	in.owner = owner;
	int result = 0;
	int64_t rid = 0;
	struct fnl_lead l;
	T_OK(t, fnl_lead_add(t->db, &c, &in, &result, &l, &rid));
	assert_int_equal(result, FNL_ADD_CREATED);
	return l.id;
}

/* Capture a lead that cleaning refuses (phone "123"): status invalid. Returns the record id. */
static inline int64_t r_invalid(struct tenv *t, int64_t now, const char *company, const char *channel)
{
	struct fnl_ctx c = t_sys(now);
	struct fnl_lead_input in = {0};
	in.company = company;
	in.contact = "李雷";
	in.phone = "123";
	in.channel = channel;
	int result = 0;
	int64_t rid = 0;
	struct fnl_lead l;
	T_OK(t, fnl_lead_add(t->db, &c, &in, &result, &l, &rid));
	assert_int_equal(result, FNL_ADD_INVALID);
	return rid;
}

/* Capture a duplicate of open lead id (same phone) on channel: status merged. Returns the record. */
static inline int64_t r_duplicate(struct tenv *t, int64_t now, int64_t id, const char *channel)
{
	struct fnl_lead l = t_get(t, id);
	struct fnl_ctx c = t_sys(now);
	struct fnl_lead_input in = {0};
	in.company = "重复公司";
	in.contact = "王五";
	in.phone = l.phone;
	in.channel = channel;
	int result = 0;
	int64_t rid = 0;
	struct fnl_lead out;
	T_OK(t, fnl_lead_add(t->db, &c, &in, &result, &out, &rid));
	assert_int_equal(result, FNL_ADD_MERGED);
	assert_int_equal(out.id, id);
	return rid;
}

static inline void r_move(struct tenv *t, int64_t id, const char *stage, int64_t now, const char *note)
{
	struct fnl_ctx c = t_sys(now);
	struct fnl_lead l;
	T_OK(t, fnl_lead_move(t->db, &c, id, stage, note, &l));
	assert_string_equal(l.stage, stage);
}

/* Satisfy the gates up to stage at now and move there (won: the deal of 100000.00 at now). */
static inline void r_advance(struct tenv *t, int64_t id, const char *stage, int64_t now)
{
	struct fnl_lead l = t_ready_for_at(t, id, stage, now);
	if (strcmp(stage, "won") != 0)
		r_move(t, id, stage, now, NULL);
	else
		assert_string_equal(l.status, "won");
}

static inline void r_lose(struct tenv *t, int64_t id, const char *reason, int64_t now)
{
	struct fnl_ctx c = t_sys(now);
	struct fnl_lead l;
	T_OK(t, fnl_lead_lose(t->db, &c, id, reason, "", &l));
	assert_string_equal(l.status, "lost");
}

static inline void r_reopen(struct tenv *t, int64_t id, int64_t now)
{
	struct fnl_ctx c = t_sys(now);
	struct fnl_lead l;
	T_OK(t, fnl_lead_reopen(t->db, &c, id, "客户重新联系", &l));
	assert_string_equal(l.status, "open");
}

/* Set the expected amount (分) and close month ("" for none) of a lead at now. */
static inline void r_expect(struct tenv *t, int64_t id, int64_t amount, const char *close_month, int64_t now)
{
	struct fnl_ctx c = t_sys(now);
	struct fnl_lead_input in = {0};
	in.has_amount = 1;
	in.amount = amount;
	in.close_month = close_month;
	struct fnl_lead l;
	T_OK(t, fnl_lead_edit(t->db, &c, id, &in, &l));
}

typedef int (*r_report_fn)(fnl_db *, const fnl_snapshot *, const struct fnl_report_opts *, struct fnl_report *);

/* A query with no filter; from/to as written ("" for unbounded). */
static inline struct fnl_query r_query(struct tenv *t, const char *from, const char *to)
{
	struct fnl_query q;
	fnl_query_init(&q);
	q.from = from && *from ? t_time(t, from) : 0;
	q.to = to && *to ? t_time(t, to) : 0;
	return q;
}

/* The value index of name in a dimension of a fresh snapshot (asserts it is there). */
static inline int r_find(struct tenv *t, enum fnl_dim dim, const char *name)
{
	fnl_snapshot *s;
	T_OK(t, fnl_snapshot_build(t->db, &s));
	int k = fnl_snapshot_find(s, dim, name);
	fnl_snapshot_free(s);
	if (k < 0)
		fail_msg("r_find: no '%s' in dimension %d", name, (int)dim);
	return k;
}

/* Run a report on a fresh snapshot at now, in English; *out to free with fnl_report_free. */
static inline void r_run(struct tenv *t, r_report_fn fn, const struct fnl_query *q, int64_t now, struct fnl_report *out)
{
	fnl_snapshot *s;
	T_OK(t, fnl_snapshot_build(t->db, &s));
	struct fnl_report_opts o;
	memset(&o, 0, sizeof o);
	o.q = *q;
	o.now = now;
	o.lang = "en";
	T_OK(t, fn(t->db, s, &o, out));
	fnl_snapshot_free(s);
	assert_non_null(out->doc);
	assert_non_null(out->table);
}

/* ---- comparing documents ---- */

static inline void r_match(const json_t *want, const json_t *got, const char *path)
{
	char sub[512];
	if (json_is_object(want)) {
		if (!json_is_object(got))
			fail_msg("%s: expected an object", path);
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)want, k, v) {
			snprintf(sub, sizeof sub, "%s.%s", path, k);
			json_t *g = json_object_get(got, k);
			if (!g)
				fail_msg("%s: missing from the document", sub);
			r_match(v, g, sub);
		}
		json_object_foreach((json_t *)got, k, v) {
			if (!json_object_get(want, k) && !json_is_string(v))
				fail_msg("%s.%s: in the document but not checked by the test", path, k);
		}
	} else if (json_is_array(want)) {
		if (!json_is_array(got))
			fail_msg("%s: expected an array", path);
		if (json_array_size(want) != json_array_size(got))
			fail_msg("%s: %zu elements, expected %zu", path, json_array_size(got), json_array_size(want));
		for (size_t i = 0; i < json_array_size(want); i++) {
			snprintf(sub, sizeof sub, "%s[%zu]", path, i);
			r_match(json_array_get(want, i), json_array_get(got, i), sub);
		}
	} else if (json_is_integer(want)) {
		if (!json_is_integer(got) || json_integer_value(got) != json_integer_value(want)) {
			char *g = json_dumps(got, JSON_ENCODE_ANY);
			fail_msg("%s: %s, expected %lld", path, g ? g : "?", (long long)json_integer_value(want));
		}
	} else if (json_is_real(want)) {
		if (!json_is_number(got) || fabs(json_number_value(got) - json_real_value(want)) > 5e-7) {
			char *g = json_dumps(got, JSON_ENCODE_ANY);
			fail_msg("%s: %s, expected %.9g", path, g ? g : "?", json_real_value(want));
		}
	} else if (json_is_string(want)) {
		if (!json_is_string(got) || strcmp(json_string_value(got), json_string_value(want)) != 0) {
			char *g = json_dumps(got, JSON_ENCODE_ANY);
			fail_msg("%s: %s, expected \"%s\"", path, g ? g : "?", json_string_value(want));
		}
	} else if (json_is_null(want)) {
		if (!json_is_null(got)) {
			char *g = json_dumps(got, JSON_ENCODE_ANY);
			fail_msg("%s: %s, expected null", path, g ? g : "?");
		}
	} else if (json_is_boolean(want)) {
		if (!json_is_boolean(got) || json_is_true(got) != json_is_true(want))
			fail_msg("%s: expected %s", path, json_is_true(want) ? "true" : "false");
	}
}

/* Check doc against the expected JSON text (see the top of this file). */
static inline void r_doc_check(const json_t *doc, const char *expected)
{
	json_error_t err;
	json_t *want = json_loads(expected, 0, &err);
	if (!want)
		fail_msg("expected JSON, line %d: %s", err.line, err.text);
	r_match(want, doc, "$");
	json_decref(want);
}

/* The value at a path of keys and array indices separated by dots ("groups.0.spend"); asserts it
 * is there. */
static inline json_t *r_get(const json_t *doc, const char *path)
{
	json_t *v = (json_t *)doc;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *save = NULL, *k = strtok_r(buf, ".", &save); k; k = strtok_r(NULL, ".", &save)) {
		char *end;
		long i = strtol(k, &end, 10);
		v = *end == '\0' && json_is_array(v) ? json_array_get(v, (size_t)i) : json_object_get(v, k);
		if (!v)
			fail_msg("%s: not in the document (at '%s')", path, k);
	}
	return v;
}

/* An integer at path (fails when it is not one). */
static inline int64_t r_int(const json_t *doc, const char *path)
{
	json_t *v = r_get(doc, path);
	if (!json_is_integer(v))
		fail_msg("%s: not an integer", path);
	return json_integer_value(v);
}

/* The text of a table cell by column key (asserts the column exists). */
static inline const char *r_cell(const fnl_rtable *t, size_t row, const char *key)
{
	for (size_t c = 0; c < fnl_rtable_ncols(t); c++)
		if (strcmp(fnl_rtable_key(t, c), key) == 0)
			return fnl_rtable_cell_text(t, row, c, NULL);
	fail_msg("no column '%s'", key);
	return "";
}

#endif
