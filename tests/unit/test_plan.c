/*
 * tests/unit/test_plan.c - planning from history and what-if (src/analytics/plan.c, SPEC §6) on a
 * small case computed by hand.
 *
 * The history: 10 leads captured in March 2026, all qualify, 6 discover, 4 propose, 3 negotiate, 2
 * won at 150000 and 250000 yuan (average deal 200000). Outside it: a lead of 2025-09 won at 900000
 * (before the 12 months of a 2026-Q4 plan) and one of 2026-10 won at 1000000 (in the period itself).
 *
 * Plan 2026-Q4 for 1000000 yuan: wins = ceil(1000000 / 200000) = 5; negotiate ceil(5 x 3/2) = 8;
 * propose ceil(8 x 4/3) = 11; discover ceil(11 x 6/4) = 17; qualify ceil(17 x 10/6) = 29; acquire
 * ceil(29 x 10/10) = 29. For 1100000: 6 wins, then 9, 12, 18, 30, 30 (exact: nothing rounded up).
 *
 * What-if on March 2026 (reached 10, 10, 6, 4, 3, 2; average deal 200000):
 *   qualify + 5 points: 10 x 0.05 x 2/6 = 1/6 win, 33333.33 yuan.
 *   every stage + 1 point: qualify 10 x 0.01 x 2/6 = 0.0333 (6666.67 yuan), discover 6 x 0.01 x 2/4
 *   = 0.03 (6000), negotiate 3 x 0.01 x 2/2 = 0.03 (6000), propose 4 x 0.01 x 2/3 = 0.0267 (5333.33),
 *   acquire: already 100 %, the raise is capped at 0 points: 0. Ties in pipeline order.
 */
#include "acase.h"

/* The system (actor 0), which may do everything */
static const struct fnl_ctx sys = {T_NOW, 0};

static void build(struct tenv *t)
{
	a_begin(t);
	int64_t at = t_time(t, "2026-03-02T09:00");
	for (int i = 0; i < 10; i++) {
		int64_t id = a_lead(t, at + i * T_HOUR, NULL), d = at + 2 * T_DAY;
		a_move(t, id, "qualify", d);
		if (i < 6)
			a_move(t, id, "discover", d + T_DAY);
		if (i < 4)
			a_move(t, id, "propose", d + 2 * T_DAY);
		if (i < 3)
			a_move(t, id, "negotiate", d + 3 * T_DAY);
		if (i < 2)
			a_win(t, id, i == 0 ? 150000 : 250000, d + 4 * T_DAY);
	}
	int64_t old = a_lead(t, t_time(t, "2025-09-20T10:00"), NULL);
	a_win(t, old, 900000, t_time(t, "2025-10-10T10:00"));
	int64_t recent = a_lead(t, t_time(t, "2026-10-05T10:00"), NULL);
	a_win(t, recent, 1000000, t_time(t, "2026-10-20T10:00"));
	a_commit(t);
}

static void test_plan_by_hand(void **state)
{
	struct tenv *t = *state;
	build(t);
	fnl_snapshot *s;
	T_OK(t, fnl_snapshot_build(t->db, &s));
	struct fnl_plan p;
	T_OK(t, fnl_plan_make(t->db, &sys, s, "2026-Q4", 1000000 * T_YUAN, &p));
	assert_int_equal(p.hist_from, t_time(t, "2025-10-01"));
	assert_int_equal(p.hist_to, t_time(t, "2026-10-01"));
	assert_int_equal(p.hist_leads, 10);
	assert_int_equal(p.hist_won, 2);
	assert_int_equal(p.avg_deal, 200000 * T_YUAN);
	assert_int_equal(p.nstages, 6);
	const int64_t need[] = {0, 29, 29, 17, 11, 8, 5};
	for (int k = 1; k <= 6; k++)
		assert_int_equal(p.needed[k], need[k]);
	assert_string_equal(p.stage[3], "discover");

	struct fnl_report r;
	T_OK(t, fnl_report_plan(t->db, &p, "en", &r));
	assert_int_equal(a_int(r.doc, "wins"), 5);
	assert_int_equal(a_int(r.doc, "avg_deal"), 200000 * T_YUAN);
	json_t *st = a_find(a_get(r.doc, "stages"), "key", "qualify");
	assert_int_equal(a_int(st, "needed"), 29);
	a_near(a_real(st, "conversion"), 0.6, 1e-12, "qualify history conversion");
	a_null(a_find(a_get(r.doc, "stages"), "key", "won"), "conversion");
	assert_int_equal(fnl_rtable_nrows(r.table), 6);
	fnl_report_free(&r);

	T_OK(t, fnl_plan_make(t->db, &sys, s, "2026-Q4", 1100000 * T_YUAN, &p));
	const int64_t exact[] = {0, 30, 30, 18, 12, 9, 6};
	for (int k = 1; k <= 6; k++)
		assert_int_equal(p.needed[k], exact[k]);
	/* one 分 more needs one more win */
	T_OK(t, fnl_plan_make(t->db, &sys, s, "2026-Q4", 1000000 * T_YUAN + 1, &p));
	assert_int_equal(p.needed[6], 6);
	/* a month: the history is the 12 months before it */
	T_OK(t, fnl_plan_make(t->db, &sys, s, "2026-11", 1000000 * T_YUAN, &p));
	assert_int_equal(p.hist_from, t_time(t, "2025-11-01"));
	assert_int_equal(p.hist_won, 3); /* the March wins and October's 1000000 */
	assert_int_equal(p.avg_deal, (1500000 + 2500000 + 10000000) * T_YUAN / 30);
	fnl_snapshot_free(s);
}

static void test_plan_errors(void **state)
{
	struct tenv *t = *state;
	build(t);
	fnl_snapshot *s;
	T_OK(t, fnl_snapshot_build(t->db, &s));
	struct fnl_plan p;
	T_RC(t, fnl_plan_make(t->db, &sys, s, "2025-Q1", 1000000 * T_YUAN, &p), FNL_ESTATE);
	assert_string_equal(fnl_errfield(t->db), "period");
	T_RC(t, fnl_plan_make(t->db, &sys, s, "2026-Q5", 1000000 * T_YUAN, &p), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "period");
	T_RC(t, fnl_plan_make(t->db, &sys, s, "2026-Q4", 0, &p), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "revenue");
	fnl_snapshot_free(s);
}

static void test_plan_apply(void **state)
{
	struct tenv *t = *state;
	build(t);
	int64_t s1 = t_user(t, "s1", "sales", "T1"), m1 = t_user(t, "m1", "manager", "T1");
	fnl_snapshot *s;
	T_OK(t, fnl_snapshot_build(t->db, &s));
	struct fnl_plan p;
	/* the history is the company's funnel: not for sales or after-sales (SPEC §8) */
	struct fnl_ctx c = tctx(T_NOW, s1);
	T_RC(t, fnl_plan_make(t->db, &c, s, "2026-Q4", 1000000 * T_YUAN, &p), FNL_EPERM);
	assert_string_equal(fnl_errfield(t->db), "as");
	c.actor = t_user(t, "a1", "aftersales", NULL);
	T_RC(t, fnl_plan_make(t->db, &c, s, "2026-Q4", 1000000 * T_YUAN, &p), FNL_EPERM);
	c.actor = t_user(t, "k1", "marketing", NULL);
	T_OK(t, fnl_plan_make(t->db, &c, s, "2026-Q4", 1000000 * T_YUAN, &p));
	c.actor = m1;
	T_OK(t, fnl_plan_make(t->db, &c, s, "2026-Q4", 1000000 * T_YUAN, &p));
	c.actor = s1;
	T_RC(t, fnl_plan_apply(t->db, &c, &p), FNL_EPERM);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM target"), 0);
	/* company targets: not a team's manager's (SPEC §8: own team), a manager's without a team */
	c.actor = m1;
	T_RC(t, fnl_plan_apply(t->db, &c, &p), FNL_EPERM);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM target"), 0);
	c.actor = t_user(t, "m0", "manager", NULL);
	T_OK(t, fnl_plan_apply(t->db, &c, &p));
	struct fnl_target *v;
	size_t n;
	T_OK(t, fnl_target_list(t->db, "2026-Q4", &v, &n));
	assert_int_equal(n, 7);
	const struct {
		const char *metric, *stage;
		int64_t value;
	} want[] = {
		{"entries", "acquire", 29}, {"entries", "qualify", 29}, {"entries", "discover", 17},
		{"entries", "propose", 11}, {"entries", "negotiate", 8}, {"won_count", "won", 5},
		{"won_amount", "won", 1000000 * T_YUAN},
	};
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(v[i].metric, want[i].metric);
		assert_string_equal(v[i].stage, want[i].stage);
		assert_string_equal(v[i].scope_kind, "company");
		assert_int_equal(v[i].value, want[i].value);
		assert_string_equal(v[i].user, "m0");
	}
	free(v);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM audit WHERE entity = 'target'"), 7);
	/* again with more revenue: the same targets, new values */
	T_OK(t, fnl_plan_make(t->db, &sys, s, "2026-Q4", 1100000 * T_YUAN, &p));
	T_OK(t, fnl_plan_apply(t->db, &c, &p));
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM target"), 7);
	assert_int_equal(t_sql_int(t, "SELECT value FROM target WHERE metric = 'entries' AND stage = 'acquire'"), 30);
	fnl_snapshot_free(s);
}

static void test_whatif_by_hand(void **state)
{
	struct tenv *t = *state;
	build(t);
	fnl_snapshot *s;
	T_OK(t, fnl_snapshot_build(t->db, &s));
	struct fnl_query q;
	fnl_query_init(&q);
	q.from = t_time(t, "2026-03-01");
	q.to = t_time(t, "2026-04-01");
	struct fnl_whatif w;
	T_OK(t, fnl_whatif(s, &q, 2, 5.0, &w));
	assert_int_equal(w.reached, 10);
	assert_int_equal(w.next, 6);
	assert_int_equal(w.won, 2);
	a_near(w.conversion, 0.6, 1e-12, "qualify conversion");
	a_near(w.points, 5.0, 0, "points");
	a_near(w.extra_wins, 1.0 / 6.0, 1e-12, "extra wins");
	assert_int_equal(w.avg_deal, 200000 * T_YUAN);
	a_near(w.extra_revenue, 200000.0 * T_YUAN / 6.0, 1e-6, "extra revenue");
	/* at 100 % the raise is capped */
	T_OK(t, fnl_whatif(s, &q, 1, 5.0, &w));
	a_near(w.points, 0.0, 1e-12, "acquire capped");
	a_near(w.extra_wins, 0.0, 1e-12, "acquire extra wins");
	assert_int_equal(fnl_whatif(s, &q, 6, 5.0, &w), FNL_EINVAL);
	assert_int_equal(fnl_whatif(s, &q, 0, 5.0, &w), FNL_EINVAL);

	struct fnl_report_opts o = a_opts(T_NOW, q.from, q.to);
	struct fnl_report r;
	T_OK(t, fnl_report_whatif(t->db, s, &o, "qualify", 5.0, &r));
	json_t *st = a_get(r.doc, "stages");
	assert_int_equal(json_array_size(st), 1);
	assert_int_equal(a_int(json_array_get(st, 0), "extra_revenue"), 3333333); /* 33333.33 yuan */
	fnl_report_free(&r);

	T_OK(t, fnl_report_whatif(t->db, s, &o, NULL, 1.0, &r));
	st = a_get(r.doc, "stages");
	assert_int_equal(json_array_size(st), 5);
	const struct {
		const char *key;
		int64_t revenue;
	} rank[] = {{"qualify", 666667}, {"discover", 600000}, {"negotiate", 600000}, {"propose", 533333}, {"acquire", 0}};
	for (size_t i = 0; i < 5; i++) {
		json_t *x = json_array_get(st, i);
		a_str(x, "key", rank[i].key);
		assert_int_equal(a_int(x, "rank"), (int64_t)i + 1);
		assert_int_equal(a_int(x, "extra_revenue"), rank[i].revenue);
	}
	a_near(a_real(json_array_get(st, 4), "points"), 0.0, 1e-12, "acquire points");
	assert_int_equal(fnl_rtable_nrows(r.table), 5);
	fnl_report_free(&r);

	/* no period: the 12 months up to now, from the same day a year before */
	o = a_opts(T_NOW, 0, 0);
	T_OK(t, fnl_report_whatif(t->db, s, &o, "qualify", 1.0, &r));
	a_str(a_get(r.doc, "period"), "from", "2025-11-29T00:00:00+08:00");
	a_str(a_get(r.doc, "period"), "to", "2026-11-29T10:00:00+08:00");
	json_t *x = json_array_get(a_get(r.doc, "stages"), 0);
	assert_int_equal(a_int(x, "reached"), 11); /* March's 10 and October's lead */
	fnl_report_free(&r);

	T_RC(t, fnl_report_whatif(t->db, s, &o, "won", 1.0, &r), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "stage");
	T_RC(t, fnl_report_whatif(t->db, s, &o, "nosuch", 1.0, &r), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "stage");
	T_RC(t, fnl_report_whatif(t->db, s, &o, "qualify", 0.0, &r), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "points");
	T_RC(t, fnl_report_whatif(t->db, s, &o, "qualify", 100.5, &r), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "points");
	fnl_snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_plan_by_hand),
		T_TEST(test_plan_errors),
		T_TEST(test_plan_apply),
		T_TEST(test_whatif_by_hand),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
