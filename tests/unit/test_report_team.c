/*
 * tests/unit/test_report_team.c - report team (src/analytics/report_team.c, SPEC §7 "Team"): a case
 * computed by hand, the z-test and Wilson interval against values computed with Python
 * (statistics.NormalDist), SLA compliance counted from follow-up deadlines (met, breached, cancelled
 * after or before the due time, not yet due), activities in the period, and the group-by refused.
 *
 * The case (team 华东 = reps a, b, c; rep d in 华南), leads captured 2026-11-02 from 09:00 every 10
 * minutes, the period 2026-11-01 to 2026-11-25 (local), now 2026-11-29 10:00:
 *   a: 40 leads, all qualify, 8 of them discover, 4 of those won (100k, 200k, 300k, 400k yuan, 5,
 *      10, 15, 20 days after capture), 6 lost at qualify.
 *   b: 30 leads, all qualify, 18 discover, 6 of those won (300k each, 10 days), 3 lost at qualify.
 *   c: 10 leads, all qualify, 6 discover; none won or lost.
 *   d: 20 leads, all discover (only without the team filter).
 * qualify -> discover, a against b + c: 8/40 = 0.20 against 24/40 = 0.60, gap -0.40,
 *   z = -3.651484, p = 0.000261: flagged below (n 40 and 40 >= 20) -> a trains on qualify.
 * b against a + c: 18/30 = 0.60 against 14/50 = 0.28: z = 2.828427, p = 0.004678, flagged above.
 * c against a + b: 6/10 against 26/70: p = 0.1675, and n = 10 < 20 anyway: no flag; discover ->
 *   propose 0/6 against 10/26: gap -0.384615, not significant (n 6) -> c trains on discover, marked
 *   not significant.
 */
#include "acase.h"

static int64_t base_time(struct tenv *t)
{
	return t_time(t, "2026-11-02T09:00:00+08:00");
}

struct team_case {
	int64_t a, b, c, d; /* user ids */
	int64_t lead_a[41], lead_b[31], lead_c[11], lead_d[21];
};

static void build(struct tenv *t, struct team_case *k)
{
	k->a = t_user(t, "a", "sales", "华东");
	k->b = t_user(t, "b", "sales", "华东");
	k->c = t_user(t, "c", "sales", "华东");
	k->d = t_user(t, "d", "sales", "华南");
	const int64_t base = base_time(t), min10 = 600;
	a_begin(t);
	int n = 0;
	for (int i = 1; i <= 40; i++) {
		int64_t at = base + (n++) * min10, id = a_lead(t, at, "a");
		k->lead_a[i] = id;
		/* a9, a10, a15, a16 are graded A an hour after capture (a deadline 48 hours on) */
		if (i == 9 || i == 10 || i == 15 || i == 16)
			t_score(t, id, at + T_HOUR, 4, 4, 4, 4);
		else
			a_move(t, id, "qualify", at + T_HOUR);
		if (i <= 8)
			a_move(t, id, "discover", at + 2 * T_DAY);
		if (i <= 4)
			a_win(t, id, 100000 * i, at + 5 * i * T_DAY);
		if (i >= 11 && i <= 14)
			a_lose(t, id, at + 2 * T_DAY);
	}
	/* deadlines of a: a15 met by a call 2 hours after capture; a16 never followed up (overdue now);
	 * a9 lost 3 days after capture (cancelled after its due time: a breach); a10 lost a day after
	 * capture (cancelled before its due time: not counted) */
	a_activity(t, k->lead_a[15], k->a, "call", base + 14 * min10 + 2 * T_HOUR);
	a_lose(t, k->lead_a[9], base + 8 * min10 + 3 * T_DAY);
	a_lose(t, k->lead_a[10], base + 9 * min10 + T_DAY);
	/* activities of a in the period: the call above and two more; one after the period; one by the
	 * system on a's lead (nobody's) */
	a_activity(t, k->lead_a[1], k->a, "note", base + T_DAY);
	a_activity(t, k->lead_a[2], k->a, "visit", base + 2 * T_DAY);
	a_activity(t, k->lead_a[3], k->a, "call", t_time(t, "2026-11-27T09:00:00+08:00"));
	a_activity(t, k->lead_a[3], 0, "call", base + 3 * T_DAY);
	for (int i = 1; i <= 30; i++) {
		int64_t at = base + (n++) * min10, id = a_lead(t, at, "b");
		k->lead_b[i] = id;
		a_move(t, id, "qualify", at + T_HOUR);
		if (i <= 18)
			a_move(t, id, "discover", at + 2 * T_DAY);
		if (i <= 6)
			a_win(t, id, 300000, at + 10 * T_DAY);
		if (i >= 19 && i <= 21)
			a_lose(t, id, at + 2 * T_DAY);
	}
	for (int i = 1; i <= 10; i++) {
		int64_t at = base + (n++) * min10, id = a_lead(t, at, "c");
		k->lead_c[i] = id;
		a_move(t, id, "qualify", at + T_HOUR);
		if (i <= 6)
			a_move(t, id, "discover", at + 2 * T_DAY);
	}
	for (int i = 1; i <= 20; i++) {
		int64_t at = base + (n++) * min10, id = a_lead(t, at, "d");
		k->lead_d[i] = id;
		a_move(t, id, "discover", at + T_HOUR);
	}
	a_commit(t);
}

static json_t *team_report(struct tenv *t, const char *team)
{
	struct fnl_report_opts o = a_opts(T_NOW, t_time(t, "2026-11-01"), t_time(t, "2026-11-26"));
	fnl_snapshot *s;
	T_OK(t, fnl_snapshot_build(t->db, &s));
	if (team) {
		o.q.filter[FNL_DIM_TEAM] = fnl_snapshot_find(s, FNL_DIM_TEAM, team);
		assert_true(o.q.filter[FNL_DIM_TEAM] > 0);
	}
	struct fnl_report r;
	T_OK(t, fnl_report_team(t->db, s, &o, &r));
	json_t *doc = json_incref(r.doc);
	assert_true(fnl_rtable_nrows(r.table) > 0);
	fnl_report_free(&r);
	fnl_snapshot_free(s);
	return doc;
}

static json_t *stage_of(json_t *rep, const char *key)
{
	return a_find(a_get(rep, "stages"), "key", key);
}

static void test_team_by_hand(void **state)
{
	struct tenv *t = *state;
	struct team_case k;
	build(t, &k);
	json_t *doc = team_report(t, "华东");
	json_t *reps = a_get(doc, "reps");
	assert_int_equal(json_array_size(reps), 3);

	json_t *a = a_find(reps, "key", "a");
	assert_int_equal(a_int(a, "leads"), 40);
	json_t *q = stage_of(a, "qualify");
	assert_int_equal(a_int(q, "reached"), 40);
	a_near(a_real(q, "conversion"), 0.20, 1e-12, "a qualify conversion");
	assert_int_equal(a_int(q, "rest_reached"), 40);
	a_near(a_real(q, "rest_conversion"), 0.60, 1e-12, "a qualify rest");
	a_near(a_real(q, "gap"), -0.40, 1e-12, "a qualify gap");
	a_near(a_real(q, "z"), -3.651484, 5e-6, "a qualify z");
	a_near(a_real(q, "p"), 0.000261, 5e-7, "a qualify p");
	a_str(q, "flag", "below");
	json_t *acq = stage_of(a, "acquire");
	a_near(a_real(acq, "conversion"), 1.0, 0, "a acquire conversion");
	a_near(a_real(acq, "p"), 1.0, 0, "a acquire p (pooled variance 0)");
	a_null(acq, "flag");
	json_t *disc = stage_of(a, "discover");
	assert_int_equal(a_int(disc, "reached"), 8);
	a_near(a_real(disc, "gap"), 0.25, 1e-12, "a discover gap");
	a_null(disc, "flag"); /* n = 8 < 20 */
	assert_int_equal(a_int(stage_of(a, "won"), "reached"), 4);
	assert_int_equal(a_int(a, "won_count"), 4);
	assert_int_equal(a_int(a, "lost_count"), 6);
	a_near(a_real(a, "win_rate"), 0.4, 1e-12, "a win rate");
	assert_int_equal(a_int(a, "won_amount"), 1000000 * T_YUAN);
	assert_int_equal(a_int(a, "avg_deal"), 250000 * T_YUAN);
	json_t *cyc = a_get(a, "cycle_days");
	assert_int_equal(a_int(cyc, "count"), 4);
	a_near(a_real(cyc, "median"), 10.0, 1e-9, "a cycle median (2nd of 5, 10, 15, 20)");
	json_t *sla = a_get(a, "sla");
	assert_int_equal(a_int(sla, "due"), 3);
	assert_int_equal(a_int(sla, "met"), 1);
	a_near(a_real(sla, "compliance"), 1.0 / 3.0, 1e-12, "a sla compliance");
	assert_int_equal(a_int(a, "activities"), 3);
	json_t *train = a_get(a, "train");
	a_str(train, "stage", "qualify");
	assert_true(json_is_true(a_get(train, "significant")));
	a_near(a_real(train, "gap"), -0.40, 1e-12, "a train gap");

	json_t *b = a_find(reps, "key", "b");
	q = stage_of(b, "qualify");
	a_near(a_real(q, "conversion"), 0.60, 1e-12, "b conversion");
	assert_int_equal(a_int(q, "rest_reached"), 50);
	a_near(a_real(q, "rest_conversion"), 0.28, 1e-12, "b rest");
	a_near(a_real(q, "z"), 2.828427, 5e-6, "b z");
	a_near(a_real(q, "p"), 0.004678, 5e-7, "b p");
	a_str(q, "flag", "above");
	a_near(a_real(b, "win_rate"), 6.0 / 9.0, 1e-12, "b win rate");
	assert_int_equal(a_int(b, "avg_deal"), 300000 * T_YUAN);
	assert_int_equal(a_int(a_get(b, "sla"), "due"), 0);
	a_null(a_get(b, "sla"), "compliance");
	a_null(b, "train"); /* nowhere below the rest */

	json_t *c = a_find(reps, "key", "c");
	q = stage_of(c, "qualify");
	a_near(a_real(q, "p"), 0.167546, 5e-6, "c p");
	a_null(q, "flag");
	a_null(c, "win_rate"); /* nothing closed */
	a_null(c, "avg_deal");
	train = a_get(c, "train");
	a_str(train, "stage", "discover");
	assert_true(json_is_false(a_get(train, "significant")));
	a_near(a_real(train, "gap"), -10.0 / 26.0, 1e-12, "c train gap");
	json_decref(doc);

	/* without the team filter, d is a rep too and the rest of a includes d's 20 */
	doc = team_report(t, NULL);
	reps = a_get(doc, "reps");
	assert_int_equal(json_array_size(reps), 4);
	a = a_find(reps, "key", "a");
	q = stage_of(a, "qualify");
	assert_int_equal(a_int(q, "rest_reached"), 60);
	a_near(a_real(q, "rest_conversion"), 44.0 / 60.0, 1e-12, "a rest with d");
	json_decref(doc);
}

static void test_team_refuses_other_group_by(void **state)
{
	struct tenv *t = *state;
	fnl_snapshot *s;
	T_OK(t, fnl_snapshot_build(t->db, &s));
	struct fnl_report_opts o = a_opts(T_NOW, 0, 0);
	o.q.by = FNL_DIM_CHANNEL;
	struct fnl_report r;
	T_RC(t, fnl_report_team(t->db, s, &o, &r), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "by");
	assert_null(r.doc);
	o.q.by = FNL_DIM_OWNER;
	T_OK(t, fnl_report_team(t->db, s, &o, &r));
	assert_int_equal(json_array_size(json_object_get(r.doc, "reps")), 0);
	fnl_report_free(&r);
	fnl_snapshot_free(s);
}

/* The SLA counts by owner: owner and grade are the deadline's own; a reassigned lead keeps the
 * deadline's owner once it is met. */
static void test_sla_by_owner(void **state)
{
	struct tenv *t = *state;
	struct team_case k;
	build(t, &k);
	fnl_snapshot *s;
	T_OK(t, fnl_snapshot_build(t->db, &s));
	int no = fnl_snapshot_values(s, FNL_DIM_OWNER), ia = fnl_snapshot_find(s, FNL_DIM_OWNER, "a");
	int64_t *due = calloc((size_t)no, sizeof *due), *met = calloc((size_t)no, sizeof *met);
	assert_non_null(due);
	assert_non_null(met);
	struct fnl_query q;
	fnl_query_init(&q);
	/* no period: everything due by now */
	T_OK(t, fnl_sla_by_owner(t->db, s, &q, T_NOW, due, met));
	assert_int_equal(due[ia], 3);
	assert_int_equal(met[ia], 1);
	/* now just before a16's deadline (a16 captured 09:00 + 15 x 10 min = 11:30, graded 12:30, due
	 * 2026-11-04 12:30): a9 (due 11:20, lost later) and a15 count, a16 is not due yet */
	int64_t due16 = t_time(t, "2026-11-04T12:30:00+08:00");
	T_OK(t, fnl_sla_by_owner(t->db, s, &q, due16 - 1, due, met));
	assert_int_equal(due[ia], 2);
	assert_int_equal(met[ia], 1);
	/* at the due second it is still not late; one second later it is a breach */
	T_OK(t, fnl_sla_by_owner(t->db, s, &q, due16, due, met));
	assert_int_equal(due[ia], 2);
	T_OK(t, fnl_sla_by_owner(t->db, s, &q, due16 + 1, due, met));
	assert_int_equal(due[ia], 3);
	/* the period selects due times: [11-04 12:25, ...) holds only a16's (a15's was due 12:20) */
	q.from = t_time(t, "2026-11-04T12:25:00+08:00");
	T_OK(t, fnl_sla_by_owner(t->db, s, &q, T_NOW, due, met));
	assert_int_equal(due[ia], 1);
	assert_int_equal(met[ia], 0);
	/* a grade filter on the deadline's grade: all four are A */
	q.from = 0;
	q.filter[FNL_DIM_GRADE] = fnl_snapshot_find(s, FNL_DIM_GRADE, "B");
	T_OK(t, fnl_sla_by_owner(t->db, s, &q, T_NOW, due, met));
	assert_int_equal(due[ia], 0);
	free(due);
	free(met);
	fnl_snapshot_free(s);
}

/* The statistics the team and bottleneck reports rest on, at 4 decimals (Python: statistics.NormalDist;
 * Wilson 95 %: z = NormalDist().inv_cdf(0.975)). */
static void test_statistics(void **state)
{
	(void)state;
	double lo, hi, z, p;
	fnl_wilson(10, 100, &lo, &hi);
	a_near(lo, 0.0552, 5e-5, "wilson 10/100 lo");
	a_near(hi, 0.1744, 5e-5, "wilson 10/100 hi");
	fnl_wilson(6, 40, &lo, &hi);
	a_near(lo, 0.0706, 5e-5, "wilson 6/40 lo");
	a_near(hi, 0.2907, 5e-5, "wilson 6/40 hi");
	fnl_ztest(30, 100, 20, 100, &z, &p);
	a_near(z, 1.6330, 5e-5, "z 30/100 vs 20/100");
	a_near(p, 0.1025, 5e-5, "p 30/100 vs 20/100");
	fnl_ztest(8, 40, 24, 40, &z, &p);
	a_near(z, -3.6515, 5e-5, "z 8/40 vs 24/40");
	a_near(p, 0.0003, 5e-5, "p 8/40 vs 24/40");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_team_by_hand),
		T_TEST(test_team_refuses_other_group_by),
		T_TEST(test_sla_by_owner),
		cmocka_unit_test(test_statistics),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
