/*
 * tests/unit/test_bottleneck.c - report bottleneck (src/analytics/report_bottleneck.c, SPEC §7):
 * a case computed by hand, first against the history (the previous 3 months), then against targets;
 * the period when none is given and for other lengths; significance by the Wilson interval; slow
 * stages by p90; the group-by.
 *
 * The reference cohort: 100 leads captured 2026-09-01 (in the 3 months before November): all
 * qualify, 50 discover, 40 propose, 30 negotiate, 20 won at 100000 yuan each (average deal 100000).
 * Reference conversions 1, 0.5, 0.8, 0.75, 2/3; win rates from qualify 0.2, from discover 0.4, from
 * propose 0.5, from negotiate 2/3. Time in qualify: 2 days for everyone (p90 2 days).
 * The period, November 2026: 40 leads captured 2026-11-02: all qualify, 12 discover (after 5 days in
 * qualify), 9 propose, 6 negotiate, 5 won.
 *
 *   transition           actual        ref    gap      wins lost             revenue lost (yuan)
 *   acquire->qualify     40/40 = 1     1      0        0                     0
 *   qualify->discover    12/40 = 0.3   0.5    0.2      40 x 0.2 x 0.4 = 3.2  320000  <- bottleneck
 *   discover->propose    9/12 = 0.75   0.8    0.05     12 x 0.05 x 0.5 = 0.3 30000
 *   propose->negotiate   6/9           0.75   1/12     9 x 1/12 x 2/3 = 0.5  50000
 *   negotiate->won       5/6           2/3    -1/6     0                     0
 * Wilson 95 % of 12/40 = [0.1807, 0.4543], all below 0.5: significant; of 9/12 = [0.4677, 0.9111]:
 * not below 0.8. Time in qualify: p90 5 days against 2: slow.
 *
 * With the company's conversion targets for 2026-11 of 30 % at qualify and 100 % at discover:
 *   qualify->discover    ref 0.3 (target)  gap 0      0
 *   discover->propose    ref 1 (target)    gap 0.25   12 x 0.25 x 0.5 = 1.5  150000 <- bottleneck,
 *                        significant (9/12: the interval's top 0.9111 < 1)
 *   propose->negotiate   ref 0.75 (history)           0.5                    50000
 */
#include "acase.h"

static void build(struct tenv *t)
{
	a_begin(t);
	int64_t ref0 = t_time(t, "2026-09-01T09:00:00+08:00");
	for (int i = 0; i < 100; i++) {
		int64_t at = ref0 + i * 600, id = a_lead(t, at, NULL), d = at + T_HOUR + 2 * T_DAY;
		a_move(t, id, "qualify", at + T_HOUR);
		if (i < 50)
			a_move(t, id, "discover", d);
		if (i < 40)
			a_move(t, id, "propose", d + T_DAY);
		if (i < 30)
			a_move(t, id, "negotiate", d + 2 * T_DAY);
		if (i < 20)
			a_win(t, id, 100000, d + 3 * T_DAY);
	}
	int64_t cur0 = t_time(t, "2026-11-02T09:00:00+08:00");
	for (int i = 0; i < 40; i++) {
		int64_t at = cur0 + i * 600, id = a_lead(t, at, NULL), d = at + T_HOUR + 5 * T_DAY;
		a_move(t, id, "qualify", at + T_HOUR);
		if (i < 12)
			a_move(t, id, "discover", d);
		if (i < 9)
			a_move(t, id, "propose", d + T_DAY);
		if (i < 6)
			a_move(t, id, "negotiate", d + 2 * T_DAY);
		if (i < 5)
			a_win(t, id, 100000, d + 3 * T_DAY);
	}
	/* a lead of December 2025: in neither the period nor its reference */
	a_lead(t, t_time(t, "2025-12-15T10:00:00+08:00"), NULL);
	a_commit(t);
}

static json_t *tr_of(json_t *doc, const char *from)
{
	return a_find(a_get(doc, "transitions"), "from", from);
}

static void check_history_case(json_t *doc)
{
	json_t *x = tr_of(doc, "acquire");
	assert_int_equal(a_int(x, "reached"), 40);
	a_near(a_real(x, "gap"), 0.0, 0, "acquire gap");
	assert_true(json_is_false(a_get(x, "significant"))); /* 40/40 against 1: not below */
	assert_int_equal(a_int(x, "revenue_lost"), 0);

	x = tr_of(doc, "qualify");
	assert_int_equal(a_int(x, "reached"), 40);
	assert_int_equal(a_int(x, "converted"), 12);
	a_near(a_real(x, "conversion"), 0.3, 1e-12, "qualify conversion");
	a_near(a_real(x, "reference"), 0.5, 1e-12, "qualify reference");
	a_str(x, "reference_source", "history");
	a_near(a_real(x, "gap"), 0.2, 1e-12, "qualify gap");
	json_t *w = a_get(x, "wilson");
	a_near(json_real_value(json_array_get(w, 0)), 0.1807, 5e-5, "wilson 12/40 lo");
	a_near(json_real_value(json_array_get(w, 1)), 0.4543, 5e-5, "wilson 12/40 hi");
	assert_true(json_is_true(a_get(x, "significant")));
	a_near(a_real(x, "reference_win_rate"), 0.4, 1e-12, "win rate from discover");
	a_near(a_real(x, "expected_wins_lost"), 3.2, 1e-9, "qualify wins lost");
	assert_int_equal(a_int(x, "revenue_lost"), 320000 * T_YUAN);
	a_near(a_real(x, "p90_days"), 5.0, 1e-9, "qualify p90");
	a_near(a_real(x, "reference_p90_days"), 2.0, 1e-9, "qualify reference p90");
	assert_true(json_is_true(a_get(x, "slow")));

	x = tr_of(doc, "discover");
	a_near(a_real(x, "gap"), 0.05, 1e-12, "discover gap");
	assert_true(json_is_false(a_get(x, "significant")));
	a_near(a_real(x, "expected_wins_lost"), 0.3, 1e-9, "discover wins lost");
	assert_int_equal(a_int(x, "revenue_lost"), 30000 * T_YUAN);
	assert_true(json_is_false(a_get(x, "slow")));

	x = tr_of(doc, "propose");
	a_near(a_real(x, "gap"), 1.0 / 12.0, 1e-12, "propose gap");
	a_near(a_real(x, "expected_wins_lost"), 0.5, 1e-9, "propose wins lost");
	assert_int_equal(a_int(x, "revenue_lost"), 50000 * T_YUAN);

	x = tr_of(doc, "negotiate");
	a_near(a_real(x, "gap"), -1.0 / 6.0, 1e-12, "negotiate gap");
	a_near(a_real(x, "expected_wins_lost"), 0.0, 0, "negotiate: a negative gap loses nothing");
	assert_int_equal(a_int(x, "revenue_lost"), 0);

	json_t *b = a_get(doc, "bottleneck");
	a_str(b, "from", "qualify");
	a_str(b, "to", "discover");
	assert_int_equal(a_int(b, "revenue_lost"), 320000 * T_YUAN);
	assert_true(json_is_true(a_get(b, "significant")));
	assert_int_equal(a_int(doc, "reference_avg_deal"), 100000 * T_YUAN);
}

static void test_against_history(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_report_opts o = a_opts(T_NOW, t_time(t, "2026-11-01"), t_time(t, "2026-12-01"));
	json_t *doc = a_report(t, fnl_report_bottleneck, &o);
	check_history_case(doc);
	json_t *p = a_get(doc, "reference_period");
	a_str(p, "from", "2026-08-01T00:00:00+08:00");
	a_str(p, "to", "2026-11-01T00:00:00+08:00");
	a_str(a_get(doc, "period"), "target_period", "2026-11");
	json_decref(doc);

	/* no period: this month up to now, against the 3 months before */
	o = a_opts(T_NOW, 0, 0);
	doc = a_report(t, fnl_report_bottleneck, &o);
	check_history_case(doc);
	p = a_get(doc, "period");
	a_str(p, "from", "2026-11-01T00:00:00+08:00");
	a_str(p, "to", "2026-11-29T10:00:00+08:00");
	a_str(p, "target_period", "2026-11");
	a_str(a_get(doc, "reference_period"), "from", "2026-08-01T00:00:00+08:00");
	json_decref(doc);

	/* by channel: one group (website), the same figures */
	o = a_opts(T_NOW, 0, 0);
	o.q.by = FNL_DIM_CHANNEL;
	doc = a_report(t, fnl_report_bottleneck, &o);
	json_t *groups = a_get(doc, "groups");
	assert_int_equal(json_array_size(groups), 1);
	json_t *g = json_array_get(groups, 0);
	a_str(g, "key", "website");
	check_history_case(g);
	json_decref(doc);
}

static void test_against_targets(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_ctx c = t_admin(t, T_NOW);
	T_OK(t, fnl_target_set(t->db, &c, "conversion", "qualify", "company", "", "2026-11", 3000, NULL));
	T_OK(t, fnl_target_set(t->db, &c, "conversion", "discover", "company", "", "2026-11", 10000, NULL));
	/* a team's target and another period's are not the reference */
	t_user(t, "s1", "sales", "华东");
	T_OK(t, fnl_target_set(t->db, &c, "conversion", "propose", "team", "华东", "2026-11", 9000, NULL));
	T_OK(t, fnl_target_set(t->db, &c, "conversion", "propose", "company", "", "2026-10", 9000, NULL));
	struct fnl_report_opts o = a_opts(T_NOW, t_time(t, "2026-11-01"), t_time(t, "2026-12-01"));
	json_t *doc = a_report(t, fnl_report_bottleneck, &o);
	json_t *x = tr_of(doc, "qualify");
	a_str(x, "reference_source", "target");
	a_near(a_real(x, "reference"), 0.3, 1e-12, "qualify target");
	a_near(a_real(x, "gap"), 0.0, 1e-12, "qualify gap on target");
	assert_int_equal(a_int(x, "revenue_lost"), 0);
	assert_true(json_is_false(a_get(x, "significant")));
	x = tr_of(doc, "discover");
	a_str(x, "reference_source", "target");
	a_near(a_real(x, "gap"), 0.25, 1e-12, "discover gap on target");
	a_near(a_real(x, "expected_wins_lost"), 1.5, 1e-9, "discover wins lost on target");
	assert_int_equal(a_int(x, "revenue_lost"), 150000 * T_YUAN);
	assert_true(json_is_true(a_get(x, "significant"))); /* 0.9111 < 1 */
	x = tr_of(doc, "propose");
	a_str(x, "reference_source", "history");
	a_near(a_real(x, "reference"), 0.75, 1e-12, "propose reference from history");
	json_t *b = a_get(doc, "bottleneck");
	a_str(b, "from", "discover");
	assert_int_equal(a_int(b, "revenue_lost"), 150000 * T_YUAN);

	/* a quarter's target holds for a month of it when the month has none */
	T_OK(t, fnl_target_set(t->db, &c, "conversion", "negotiate", "company", "", "2026-Q4", 9000, NULL));
	json_decref(doc);
	doc = a_report(t, fnl_report_bottleneck, &o);
	x = tr_of(doc, "negotiate");
	a_str(x, "reference_source", "history"); /* 2026-11 is the period's own: Q4 is not looked up */
	json_decref(doc);
	/* for the quarter, the quarter's targets */
	o = a_opts(T_NOW, t_time(t, "2026-10-01"), t_time(t, "2027-01-01"));
	doc = a_report(t, fnl_report_bottleneck, &o);
	a_str(a_get(doc, "period"), "target_period", "2026-Q4");
	x = tr_of(doc, "negotiate");
	a_str(x, "reference_source", "target");
	a_near(a_real(x, "reference"), 0.9, 1e-12, "negotiate quarter target");
	x = tr_of(doc, "qualify");
	a_str(x, "reference_source", "history");
	a_str(a_get(doc, "reference_period"), "from", "2026-01-01T00:00:00+08:00");
	json_decref(doc);
}

static void test_periods(void **state)
{
	struct tenv *t = *state;
	build(t);
	/* 4 days: the reference is the 12 days before */
	struct fnl_report_opts o = a_opts(T_NOW, t_time(t, "2026-11-02"), t_time(t, "2026-11-06"));
	json_t *doc = a_report(t, fnl_report_bottleneck, &o);
	a_str(a_get(doc, "reference_period"), "from", "2026-10-21T00:00:00+08:00");
	a_str(a_get(doc, "reference_period"), "to", "2026-11-02T00:00:00+08:00");
	a_str(a_get(doc, "period"), "target_period", "2026-11");
	/* nothing in the reference: no reference, no revenue lost, no bottleneck */
	json_t *x = tr_of(doc, "qualify");
	a_null(x, "reference");
	a_null(x, "gap");
	a_null(x, "expected_wins_lost");
	a_null(doc, "bottleneck");
	a_null(doc, "reference_avg_deal");
	json_decref(doc);
	/* two months: the six before, the quarter's targets; three months across two quarters: the
	 * nine before, the year's targets; a period across two years has no target period */
	o = a_opts(T_NOW, t_time(t, "2026-10-01"), t_time(t, "2026-12-01"));
	doc = a_report(t, fnl_report_bottleneck, &o);
	a_str(a_get(doc, "reference_period"), "from", "2026-04-01T00:00:00+08:00");
	a_str(a_get(doc, "period"), "target_period", "2026-Q4");
	json_decref(doc);
	o = a_opts(T_NOW, t_time(t, "2026-09-01"), t_time(t, "2026-12-01"));
	doc = a_report(t, fnl_report_bottleneck, &o);
	a_str(a_get(doc, "reference_period"), "from", "2025-12-01T00:00:00+08:00");
	a_str(a_get(doc, "period"), "target_period", "2026");
	json_decref(doc);
	o = a_opts(T_NOW, t_time(t, "2025-12-15"), t_time(t, "2026-01-15"));
	doc = a_report(t, fnl_report_bottleneck, &o);
	a_null(a_get(doc, "period"), "target_period");
	json_decref(doc);
	/* only --from: up to now; a period after now is empty */
	o = a_opts(T_NOW, t_time(t, "2026-11-01"), 0);
	doc = a_report(t, fnl_report_bottleneck, &o);
	a_str(a_get(doc, "period"), "to", "2026-11-29T10:00:00+08:00");
	json_decref(doc);
	fnl_snapshot *s;
	T_OK(t, fnl_snapshot_build(t->db, &s));
	struct fnl_report r;
	o = a_opts(T_NOW, t_time(t, "2026-12-01"), 0);
	T_RC(t, fnl_report_bottleneck(t->db, s, &o, &r), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "from");
	fnl_snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_against_history),
		T_TEST(test_against_targets),
		T_TEST(test_periods),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
