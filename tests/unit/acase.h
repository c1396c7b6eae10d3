/*
 * tests/unit/acase.h - small funnels written out by hand for the tests of the reports on targets,
 * planning, the team and the bottleneck: leads captured at a given time for a given owner, moved
 * (the gates passed by the system, as a manager's forced move does), won with a deal of a given
 * amount, lost; the snapshot built and a report run; and the JSON read back by key.
 *
 * Header-only, on top of testutil.h. Every write goes through the public API; a test wraps its
 * writes in one transaction (a_begin / a_commit) only to be fast.
 */
#ifndef FUNNEL_TESTS_ACASE_H
#define FUNNEL_TESTS_ACASE_H

#include <math.h>

#include "testutil.h"

#include "funnel/analytics.h"
#include "funnel/sale.h"
#include "store/store.h" /* the handle's connection, for one PRAGMA that only makes the test fast */

#define T_YUAN INT64_C(100)

static inline void a_begin(struct tenv *t)
{
	assert_int_equal(sqlite3_exec(t->db->sql, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL), SQLITE_OK);
	T_OK(t, fnl_db_begin(t->db));
}

static inline void a_commit(struct tenv *t)
{
	T_OK(t, fnl_db_commit(t->db));
}

/* A lead captured at `at` for owner (a login), with a company name of its own. */
static inline int64_t a_lead(struct tenv *t, int64_t at, const char *owner)
{
	static int serial;
	char company[64];
	snprintf(company, sizeof company, "华诚精工%d号机械有限公司", ++serial);
	struct fnl_ctx c = t_sys(at);
	return t_lead_as(t, &c, company, "王芳", owner).id;
}

/* Move a lead forward to stage at `at`, the gates passed (the system may). */
static inline void a_move(struct tenv *t, int64_t id, const char *stage, int64_t at)
{
	struct fnl_ctx c = t_sys(at);
	struct fnl_lead l;
	T_OK(t, fnl_lead_force(t->db, &c, id, stage, "", &l));
	assert_string_equal(l.stage, stage);
}

/* Win a lead at `at` with a deal of yuan. */
static inline void a_win(struct tenv *t, int64_t id, int64_t yuan, int64_t at)
{
	struct fnl_ctx c = t_sys(at);
	char contract[32], day[11];
	snprintf(contract, sizeof contract, "HT-%lld", (long long)id);
	t_date(t, at, day);
	struct fnl_lead l;
	T_OK(t, fnl_deal_close(t->db, &c, id, contract, yuan * T_YUAN, day, NULL, 1, &l));
	assert_string_equal(l.status, "won");
}

static inline void a_lose(struct tenv *t, int64_t id, int64_t at)
{
	struct fnl_ctx c = t_sys(at);
	struct fnl_lead l;
	T_OK(t, fnl_lead_lose(t->db, &c, id, "price", "", &l));
}

/* An activity of kind by user (an id; 0 the system) at `at`. */
static inline void a_activity(struct tenv *t, int64_t id, int64_t user, const char *kind, int64_t at)
{
	struct fnl_ctx c = tctx(at, user);
	struct fnl_activity_input in = {kind, "test", "", 0};
	struct fnl_activity a;
	T_OK(t, fnl_activity_add(t->db, &c, id, &in, &a));
}

typedef int (*a_report_fn)(fnl_db *, const fnl_snapshot *, const struct fnl_report_opts *, struct fnl_report *);

/* Options of a report at now over [from, to) (0: unbounded), no filter. */
static inline struct fnl_report_opts a_opts(int64_t now, int64_t from, int64_t to)
{
	struct fnl_report_opts o;
	memset(&o, 0, sizeof o);
	fnl_query_init(&o.q);
	o.q.from = from;
	o.q.to = to;
	o.now = now;
	o.lang = "en";
	return o;
}

/* Run a report on a new snapshot; the document is returned (the caller decrefs it). */
static inline json_t *a_report(struct tenv *t, a_report_fn fn, const struct fnl_report_opts *o)
{
	fnl_snapshot *s;
	T_OK(t, fnl_snapshot_build(t->db, &s));
	struct fnl_report r;
	T_OK(t, fn(t->db, s, o, &r));
	assert_non_null(r.doc);
	assert_non_null(r.table);
	json_t *doc = json_incref(r.doc);
	fnl_report_free(&r);
	fnl_snapshot_free(s);
	return doc;
}

/* The element of array a whose member field is the string key. */
static inline json_t *a_find(json_t *a, const char *field, const char *key)
{
	size_t i;
	json_t *x;
	assert_true(json_is_array(a));
	json_array_foreach(a, i, x) {
		json_t *k = json_object_get(x, field);
		if (json_is_string(k) && strcmp(json_string_value(k), key) == 0)
			return x;
	}
	fail_msg("no element with %s '%s'", field, key);
	return NULL;
}

/* A member of an object: an integer, a real (integers too), or null. */
static inline json_t *a_get(json_t *o, const char *key)
{
	assert_true(json_is_object(o));
	json_t *v = json_object_get(o, key);
	if (!v)
		fail_msg("no key '%s'", key);
	return v;
}

static inline int64_t a_int(json_t *o, const char *key)
{
	json_t *v = a_get(o, key);
	if (!json_is_integer(v))
		fail_msg("'%s' is not an integer", key);
	return json_integer_value(v);
}

static inline double a_real(json_t *o, const char *key)
{
	json_t *v = a_get(o, key);
	if (!json_is_number(v))
		fail_msg("'%s' is not a number", key);
	return json_number_value(v);
}

static inline void a_null(json_t *o, const char *key)
{
	if (!json_is_null(a_get(o, key)))
		fail_msg("'%s' is not null", key);
}

static inline void a_near(double got, double expected, double eps, const char *what)
{
	if (!(fabs(got - expected) <= eps))
		fail_msg("%s: expected %.6f, got %.9f", what, expected, got);
}

static inline void a_str(json_t *o, const char *key, const char *expected)
{
	json_t *v = a_get(o, key);
	if (!json_is_string(v) || strcmp(json_string_value(v), expected))
		fail_msg("'%s': expected '%s'", key, expected);
}

#endif
