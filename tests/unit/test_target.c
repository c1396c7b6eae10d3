/*
 * tests/unit/test_target.c - targets (src/analytics/target.c, SPEC §6): periods, values as people
 * write them, who may set what, validation naming the field (and nothing changed), setting again,
 * the audit log, listing; report targets with actual, attainment and pace half-way through a month
 * and a quarter, with the numbers written out.
 */
#include "acase.h"
#include "snapshot.h"

static void test_period_parse(void **state)
{
	struct tenv *t = *state;
	const fnl_tz *tz = fnl_db_tz(t->db);
	const struct {
		const char *text, *from, *to;
	} ok[] = {
		{"2026-11", "2026-11-01", "2026-12-01"}, {"2026-12", "2026-12-01", "2027-01-01"},
		{"2026-Q4", "2026-10-01", "2027-01-01"}, {"2026-Q1", "2026-01-01", "2026-04-01"},
		{"2026", "2026-01-01", "2027-01-01"},    {"1970-01", "1970-01-01", "1970-02-01"},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		int64_t from, to;
		struct fnl_error err;
		if (fnl_period_parse(tz, ok[i].text, &from, &to, &err))
			fail_msg("'%s': %s", ok[i].text, err.message);
		assert_int_equal(from, t_time(t, ok[i].from));
		assert_int_equal(to, t_time(t, ok[i].to));
	}
	const char *bad[] = {"2026-13", "2026-00", "2026-Q5", "2026-Q0", "2026-q4", "26-11", "2026-1", "2026/11",
			     "1969", "1969-12", "", "2026-11-01", "２０２６", "2026 ", "Q4"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t from = 0, to = 0;
		struct fnl_error err;
		if (fnl_period_parse(tz, bad[i], &from, &to, &err) != FNL_EINVAL)
			fail_msg("'%s' was taken as a period", bad[i]);
		assert_string_equal(err.field, "period");
	}
}

static void test_value_parse(void **state)
{
	(void)state;
	const struct {
		const char *metric, *text;
		int64_t value;
	} ok[] = {
		{"entries", "200", 200},          {"entries", "0", 0},
		{"won_count", "12", 12},          {"won_amount", "5000000", 500000000},
		{"won_amount", "0.5", 50},        {"conversion", "30", 3000},
		{"conversion", "30.5", 3050},     {"conversion", "100", 10000},
		{"sla_compliance", "87.25", 8725}, {"sla_compliance", "0", 0},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		int64_t v = -1;
		struct fnl_error err;
		if (fnl_target_value_parse(ok[i].metric, ok[i].text, &v, &err))
			fail_msg("%s '%s': %s", ok[i].metric, ok[i].text, err.message);
		assert_int_equal(v, ok[i].value);
	}
	const struct {
		const char *metric, *text, *field;
	} bad[] = {
		{"entries", "20.5", "value"},      {"entries", "-1", "value"},     {"entries", "", "value"},
		{"won_count", "1e3", "value"},     {"won_amount", "1.005", "value"}, {"won_amount", "-5", "value"},
		{"conversion", "100.01", "value"}, {"conversion", "30%", "value"}, {"revenue", "30", "metric"},
		{NULL, "30", "metric"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t v;
		struct fnl_error err;
		if (fnl_target_value_parse(bad[i].metric, bad[i].text, &v, &err) != FNL_EINVAL)
			fail_msg("%s '%s' was taken", bad[i].metric ? bad[i].metric : "(null)", bad[i].text);
		assert_string_equal(err.field, bad[i].field);
	}
}

static void test_set_validation(void **state)
{
	struct tenv *t = *state;
	t_user(t, "s1", "sales", "T1");
	struct fnl_ctx c = t_admin(t, T_NOW);
	const struct {
		const char *metric, *stage, *kind, *scope, *period;
		int64_t value;
		const char *field;
	} bad[] = {
		{"revenue", "", "company", "", "2026-11", 1, "metric"},
		{"entries", "", "company", "", "2026-11", 1, "stage"},
		{"entries", NULL, "company", "", "2026-11", 1, "stage"},
		{"entries", "nosuch", "company", "", "2026-11", 1, "stage"},
		{"conversion", "won", "company", "", "2026-11", 3000, "stage"},
		{"won_count", "qualify", "company", "", "2026-11", 1, "stage"},
		{"sla_compliance", "qualify", "company", "", "2026-11", 9000, "stage"},
		{"entries", "acquire", "region", "", "2026-11", 1, "scope"},
		{"entries", "acquire", "company", "T1", "2026-11", 1, "scope"},
		{"entries", "acquire", "team", "T9", "2026-11", 1, "scope"},
		{"entries", "acquire", "team", "", "2026-11", 1, "scope"},
		{"entries", "acquire", "user", "nobody", "2026-11", 1, "scope"},
		{"entries", "acquire", "company", "", "2026-13", 1, "period"},
		{"entries", "acquire", "company", "", "2026-Q4 ", 1, "period"},
		{"entries", "acquire", "company", "", "2026-11", -1, "value"},
		{"conversion", "qualify", "company", "", "2026-11", 10001, "value"},
		{"sla_compliance", "", "company", "", "2026-11", 10001, "value"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char *before = snapshot(t);
		int rc = fnl_target_set(t->db, &c, bad[i].metric, bad[i].stage, bad[i].kind, bad[i].scope, bad[i].period,
					bad[i].value, NULL);
		if (rc != FNL_EINVAL || strcmp(fnl_errfield(t->db), bad[i].field))
			fail_msg("case %zu: got %d, field '%s' (%s); expected EINVAL naming '%s'", i, rc, fnl_errfield(t->db),
				 fnl_errmsg(t->db), bad[i].field);
		char *after = snapshot(t);
		assert_same_db("a refused target", before, after);
	}
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM target"), 0);
}

static void test_set_again_and_audit(void **state)
{
	struct tenv *t = *state;
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_target a, b;
	/* won_* count at the last stage, given or not; sla_compliance has none */
	T_OK(t, fnl_target_set(t->db, &c, "won_count", "", "company", "", "2026-11", 10, &a));
	assert_string_equal(a.stage, "won");
	assert_string_equal(a.user, "admin");
	assert_int_equal(a.created_at, T_NOW);
	c.now = T_NOW + T_HOUR;
	T_OK(t, fnl_target_set(t->db, &c, "won_count", "won", "company", "", "2026-11", 12, &b));
	assert_int_equal(b.id, a.id);
	assert_int_equal(b.value, 12);
	assert_int_equal(b.created_at, T_NOW);
	assert_int_equal(b.updated_at, T_NOW + T_HOUR);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM target"), 1);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM audit WHERE entity = 'target' AND action = 'create'"), 1);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM audit WHERE entity = 'target' AND action = 'update'"
				      " AND before = '{\"value\":10}' AND after = '{\"value\":12}'"),
			 1);
	T_OK(t, fnl_target_set(t->db, &c, "sla_compliance", NULL, "company", "", "2026-11", 9000, &b));
	assert_string_equal(b.stage, "");
	/* the same metric and stage in another period or scope is another target */
	T_OK(t, fnl_target_set(t->db, &c, "won_count", NULL, "company", "", "2026-Q4", 30, NULL));
	json_t *j = fnl_target_json(fnl_db_tz(t->db), &b);
	assert_true(json_is_real(json_object_get(j, "value")));
	assert_true(fabs(json_real_value(json_object_get(j, "value")) - 0.9) < 1e-12);
	json_decref(j);
}

static void test_who_may_set(void **state)
{
	struct tenv *t = *state;
	int64_t s1 = t_user(t, "s1", "sales", "T1");
	t_user(t, "s2", "sales", "T2");
	int64_t m1 = t_user(t, "m1", "manager", "T1");
	int64_t m0 = t_user(t, "m0", "manager", NULL);
	int64_t mk = t_user(t, "mk", "marketing", NULL);
	struct fnl_ctx c = tctx(T_NOW, s1);
	T_RC(t, fnl_target_set(t->db, &c, "entries", "acquire", "user", "s1", "2026-11", 10, NULL), FNL_EPERM);
	c.actor = mk;
	T_RC(t, fnl_target_set(t->db, &c, "entries", "acquire", "company", "", "2026-11", 10, NULL), FNL_EPERM);
	/* a team's manager: the team and its users, not the company (SPEC §8: own team) */
	c.actor = m1;
	T_RC(t, fnl_target_set(t->db, &c, "entries", "acquire", "company", "", "2026-11", 10, NULL), FNL_EPERM);
	assert_string_equal(fnl_errfield(t->db), "scope");
	T_OK(t, fnl_target_set(t->db, &c, "entries", "acquire", "team", "T1", "2026-11", 10, NULL));
	T_OK(t, fnl_target_set(t->db, &c, "entries", "acquire", "user", "s1", "2026-11", 10, NULL));
	T_RC(t, fnl_target_set(t->db, &c, "entries", "acquire", "team", "T2", "2026-11", 10, NULL), FNL_EPERM);
	assert_string_equal(fnl_errfield(t->db), "scope");
	T_RC(t, fnl_target_set(t->db, &c, "entries", "acquire", "user", "s2", "2026-11", 10, NULL), FNL_EPERM);
	/* a manager without a team manages everyone */
	c.actor = m0;
	T_OK(t, fnl_target_set(t->db, &c, "entries", "acquire", "company", "", "2026-11", 10, NULL));
	T_OK(t, fnl_target_set(t->db, &c, "entries", "acquire", "team", "T2", "2026-11", 10, NULL));
	T_OK(t, fnl_target_set(t->db, &c, "entries", "acquire", "user", "s2", "2026-11", 10, NULL));
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM target"), 5);
}

static void test_list(void **state)
{
	struct tenv *t = *state;
	t_user(t, "s1", "sales", "T1");
	struct fnl_ctx c = t_admin(t, T_NOW);
	T_OK(t, fnl_target_set(t->db, &c, "won_amount", NULL, "company", "", "2026-11", 100, NULL));
	T_OK(t, fnl_target_set(t->db, &c, "entries", "qualify", "user", "s1", "2026-11", 5, NULL));
	T_OK(t, fnl_target_set(t->db, &c, "entries", "qualify", "company", "", "2026-11", 50, NULL));
	T_OK(t, fnl_target_set(t->db, &c, "entries", "acquire", "company", "", "2026-11", 200, NULL));
	T_OK(t, fnl_target_set(t->db, &c, "conversion", "acquire", "team", "T1", "2026-11", 9000, NULL));
	T_OK(t, fnl_target_set(t->db, &c, "entries", "acquire", "company", "", "2026-12", 220, NULL));
	struct fnl_target *v;
	size_t n;
	T_OK(t, fnl_target_list(t->db, "2026-11", &v, &n));
	assert_int_equal(n, 5);
	/* company first, then teams, then users; by metric; by stage position */
	const char *order[][3] = {{"company", "entries", "acquire"}, {"company", "entries", "qualify"},
				  {"company", "won_amount", "won"},  {"team", "conversion", "acquire"},
				  {"user", "entries", "qualify"}};
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(v[i].scope_kind, order[i][0]);
		assert_string_equal(v[i].metric, order[i][1]);
		assert_string_equal(v[i].stage, order[i][2]);
	}
	free(v);
	T_OK(t, fnl_target_list(t->db, NULL, &v, &n));
	assert_int_equal(n, 6);
	free(v);
	T_RC(t, fnl_target_list(t->db, "2026-14", &v, &n), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "period");
}

/*
 * Pace half-way through November 2026: now is 2026-11-16 00:00 (+08:00), 15 of its 30 days gone,
 * elapsed 0.5. The leads (s1, s2 in T1; s3 in T2):
 *   o1 (s1) captured 10-20, qualify 10-21, won 11-12 (200000 yuan);  o2 (s1) captured 10-25, qualify
 *   11-03;  o3 (s2) captured 10-01, won 10-15 (50000 yuan);
 *   n1..n10 captured 11-02 .. 11-11: n1..n6 of s1, n7..n10 of s2; qualify: n1..n4 (moved 11-06), n7
 *   and n8 (graded A 11-08 and 11-09 at 10:00, due 48 hours later: n7 followed up 11-09, n8 never);
 *   discover: n1, n2, n7; n1 won 11-10 (600000 yuan).
 * Targets of 2026-11 and what report targets must say:
 *   entries acquire, company, 20: actual 10 captured; expected 20 x 0.5 = 10; on track (10 >= 10)
 *   entries qualify, user s1, 12: actual 5 (n1..n4, o2); expected 6; behind; attainment 5/12
 *   conversion qualify, company, 50 %: 3 of the 6 November leads that qualified: 0.5 >= 0.5, on track
 *   conversion qualify, team T2, 50 %: no lead: actual, attainment and on track null
 *   won_count, company, 5: 2 wins in November (n1, o1); expected 2.5; behind; attainment 0.4
 *   won_amount, company, 1000000 yuan: 800000; expected 500000; on track; attainment 0.8
 *   sla_compliance, team T1, 80 %: 1 met of 2 due: 0.5; behind; attainment 0.625
 * And of 2026-Q4 (Oct 1 to Jan 1: 46 of 92 days gone, elapsed 0.5 again): won_count 6: 3 wins
 * (o3, o1, n1), expected 3, on track.
 */
static void build_pace(struct tenv *t)
{
	t_user(t, "s1", "sales", "T1");
	int64_t s2 = t_user(t, "s2", "sales", "T1");
	t_user(t, "s3", "sales", "T2");
	a_begin(t);
	int64_t o1 = a_lead(t, t_time(t, "2026-10-20T10:00"), "s1");
	a_move(t, o1, "qualify", t_time(t, "2026-10-21T10:00"));
	a_win(t, o1, 200000, t_time(t, "2026-11-12T10:00"));
	int64_t o2 = a_lead(t, t_time(t, "2026-10-25T10:00"), "s1");
	a_move(t, o2, "qualify", t_time(t, "2026-11-03T10:00"));
	int64_t o3 = a_lead(t, t_time(t, "2026-10-01T10:00"), "s2");
	a_win(t, o3, 50000, t_time(t, "2026-10-15T10:00"));
	int64_t n[11];
	for (int i = 1; i <= 10; i++) {
		char when[32];
		snprintf(when, sizeof when, "2026-11-%02dT09:00", i + 1);
		n[i] = a_lead(t, t_time(t, when), i <= 6 ? "s1" : "s2");
	}
	for (int i = 1; i <= 4; i++)
		a_move(t, n[i], "qualify", t_time(t, "2026-11-06T10:00"));
	t_score(t, n[7], t_time(t, "2026-11-08T10:00"), 4, 4, 4, 4);
	t_score(t, n[8], t_time(t, "2026-11-09T10:00"), 4, 4, 4, 4);
	a_activity(t, n[7], s2, "call", t_time(t, "2026-11-09T09:00"));
	a_move(t, n[1], "discover", t_time(t, "2026-11-07T10:00"));
	a_move(t, n[2], "discover", t_time(t, "2026-11-07T10:00"));
	a_move(t, n[7], "discover", t_time(t, "2026-11-10T10:00"));
	a_win(t, n[1], 600000, t_time(t, "2026-11-10T12:00"));
	a_commit(t);
	struct fnl_ctx c = t_admin(t, T_NOW);
	T_OK(t, fnl_target_set(t->db, &c, "entries", "acquire", "company", "", "2026-11", 20, NULL));
	T_OK(t, fnl_target_set(t->db, &c, "entries", "qualify", "user", "s1", "2026-11", 12, NULL));
	T_OK(t, fnl_target_set(t->db, &c, "conversion", "qualify", "company", "", "2026-11", 5000, NULL));
	T_OK(t, fnl_target_set(t->db, &c, "conversion", "qualify", "team", "T2", "2026-11", 5000, NULL));
	T_OK(t, fnl_target_set(t->db, &c, "won_count", NULL, "company", "", "2026-11", 5, NULL));
	T_OK(t, fnl_target_set(t->db, &c, "won_amount", NULL, "company", "", "2026-11", 1000000 * T_YUAN, NULL));
	T_OK(t, fnl_target_set(t->db, &c, "sla_compliance", NULL, "team", "T1", "2026-11", 8000, NULL));
	T_OK(t, fnl_target_set(t->db, &c, "won_count", NULL, "company", "", "2026-Q4", 6, NULL));
	T_OK(t, fnl_target_set(t->db, &c, "entries", "acquire", "company", "", "2026-10", 999, NULL));
}

/* The target row of a report: by metric, stage and scope. */
static json_t *row(json_t *doc, const char *metric, const char *stage, const char *scope)
{
	size_t i;
	json_t *x;
	json_array_foreach(a_get(doc, "targets"), i, x) {
		if (!strcmp(json_string_value(json_object_get(x, "metric")), metric) &&
		    !strcmp(json_string_value(json_object_get(x, "stage")), stage) &&
		    !strcmp(json_string_value(json_object_get(x, "scope")), scope))
			return x;
	}
	fail_msg("no target %s %s %s", metric, stage, scope);
	return NULL;
}

static void pace(json_t *x, int on_track)
{
	if (on_track < 0)
		a_null(x, "on_track");
	else if (json_is_true(a_get(x, "on_track")) != on_track)
		fail_msg("on_track: expected %s", on_track ? "true" : "false");
}

static void test_report_pace_half_month(void **state)
{
	struct tenv *t = *state;
	build_pace(t);
	int64_t mid = t_time(t, "2026-11-16T00:00:00+08:00");
	struct fnl_report_opts o = a_opts(mid, 0, 0); /* no period: the month of now */
	json_t *doc = a_report(t, fnl_report_targets, &o);
	a_str(a_get(doc, "period"), "key", "2026-11");
	a_near(a_real(doc, "elapsed"), 0.5, 0, "elapsed");
	assert_int_equal(json_array_size(a_get(doc, "targets")), 7);

	json_t *x = row(doc, "entries", "acquire", "");
	assert_int_equal(a_int(x, "target"), 20);
	assert_int_equal(a_int(x, "actual"), 10);
	a_near(a_real(x, "expected"), 10.0, 0, "acquire expected");
	a_near(a_real(x, "attainment"), 0.5, 1e-12, "acquire attainment");
	pace(x, 1);

	x = row(doc, "entries", "qualify", "s1");
	assert_int_equal(a_int(x, "actual"), 5);
	a_near(a_real(x, "expected"), 6.0, 0, "s1 qualify expected");
	a_near(a_real(x, "attainment"), 5.0 / 12.0, 1e-12, "s1 attainment");
	pace(x, 0);

	x = row(doc, "conversion", "qualify", "");
	a_near(a_real(x, "target"), 0.5, 1e-12, "conversion target as a fraction");
	a_near(a_real(x, "actual"), 0.5, 1e-12, "conversion actual");
	a_near(a_real(x, "attainment"), 1.0, 1e-12, "conversion attainment");
	pace(x, 1);

	x = row(doc, "conversion", "qualify", "T2");
	a_null(x, "actual");
	a_null(x, "attainment");
	pace(x, -1);

	x = row(doc, "won_count", "won", "");
	assert_int_equal(a_int(x, "actual"), 2);
	a_near(a_real(x, "expected"), 2.5, 0, "won_count expected");
	a_near(a_real(x, "attainment"), 0.4, 1e-12, "won_count attainment");
	pace(x, 0);

	x = row(doc, "won_amount", "won", "");
	assert_int_equal(a_int(x, "target"), 1000000 * T_YUAN);
	assert_int_equal(a_int(x, "actual"), 800000 * T_YUAN);
	assert_int_equal(a_int(x, "expected"), 500000 * T_YUAN);
	a_near(a_real(x, "attainment"), 0.8, 1e-12, "won_amount attainment");
	pace(x, 1);

	x = row(doc, "sla_compliance", "", "T1");
	a_near(a_real(x, "actual"), 0.5, 1e-12, "sla actual");
	a_near(a_real(x, "attainment"), 0.625, 1e-12, "sla attainment");
	pace(x, 0);
	json_decref(doc);

	/* the quarter, half-way too */
	o = a_opts(mid, t_time(t, "2026-10-01"), t_time(t, "2027-01-01"));
	doc = a_report(t, fnl_report_targets, &o);
	a_str(a_get(doc, "period"), "key", "2026-Q4");
	a_near(a_real(doc, "elapsed"), 0.5, 0, "quarter elapsed (46 of 92 days)");
	assert_int_equal(json_array_size(a_get(doc, "targets")), 1);
	x = row(doc, "won_count", "won", "");
	assert_int_equal(a_int(x, "actual"), 3);
	a_near(a_real(x, "expected"), 3.0, 0, "quarter expected");
	pace(x, 1);
	json_decref(doc);

	/* the month over: the whole target is expected */
	o = a_opts(t_time(t, "2026-12-05"), t_time(t, "2026-11-01"), t_time(t, "2026-12-01"));
	doc = a_report(t, fnl_report_targets, &o);
	a_near(a_real(doc, "elapsed"), 1.0, 0, "elapsed after the month");
	x = row(doc, "entries", "acquire", "");
	a_near(a_real(x, "expected"), 20.0, 0, "expected at the end");
	pace(x, 0);
	json_decref(doc);

	/* a period that is not a month, quarter or year */
	fnl_snapshot *s;
	T_OK(t, fnl_snapshot_build(t->db, &s));
	struct fnl_report r;
	o = a_opts(mid, t_time(t, "2026-11-02"), t_time(t, "2026-12-01"));
	T_RC(t, fnl_report_targets(t->db, s, &o, &r), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "period");
	fnl_snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_period_parse),
		cmocka_unit_test(test_value_parse),
		T_TEST(test_set_validation),
		T_TEST(test_set_again_and_audit),
		T_TEST(test_who_may_set),
		T_TEST(test_list),
		T_TEST(test_report_pace_half_month),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
