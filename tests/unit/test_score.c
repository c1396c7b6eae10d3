/*
 * tests/unit/test_score.c - qualification (SPEC §4, core/score.c): the weighted B/N/D/U total, the
 * grade thresholds with their edges, fractional weights, the scoring history, and what a grade sets
 * in motion (qualify stage, deadline, nurture pool).
 *
 * Totals are in hundredths of a point (1500 = 15 points). Times: T_FRI = 2026-11-27T10:00+08:00
 * (Friday), T_NOW = 2026-11-29T10:00+08:00 (Sunday).
 */
#include "testutil.h"

/* ---- grade edges, default weights 1 and thresholds 15 / 8 ---- */

struct grade_case {
	int b, n, d, u;
	int64_t total; /* hundredths */
	const char *grade;
};

static const struct grade_case default_cases[] = {
	{5, 5, 5, 5, 2000, "A"}, /* the top */
	{5, 5, 3, 2, 1500, "A"}, /* exactly 15: A */
	{5, 5, 2, 2, 1400, "B"}, /* 14: B */
	{2, 2, 2, 2, 800, "B"},  /* exactly 8: B */
	{2, 2, 2, 1, 700, "C"},  /* 7: C */
	{1, 1, 1, 1, 400, "C"},  /* the bottom */
};

static void test_grade_edges(void **state)
{
	struct tenv *t = *state;
	for (size_t i = 0; i < sizeof default_cases / sizeof default_cases[0]; i++) {
		const struct grade_case *c = &default_cases[i];
		char company[64];
		snprintf(company, sizeof company, "边界公司%zu", i);
		struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, company, NULL);
		struct fnl_lead s = t_score(t, l.id, T_FRI, c->b, c->n, c->d, c->u);
		assert_int_equal(s.score_total, c->total);
		assert_string_equal(s.grade, c->grade);
		assert_int_equal(s.budget, c->b);
		assert_int_equal(s.need, c->n);
		assert_int_equal(s.decision, c->d);
		assert_int_equal(s.urgency, c->u);
		assert_int_equal(s.graded_at, T_FRI);
	}
	/* The same thresholds through fnl_grade_of. */
	assert_int_equal(fnl_grade_of(t->db, 1500), 'A');
	assert_int_equal(fnl_grade_of(t->db, 1499), 'B');
	assert_int_equal(fnl_grade_of(t->db, 800), 'B');
	assert_int_equal(fnl_grade_of(t->db, 799), 'C');
}

/* ---- fractional weights ---- */

static void test_fractional_weights(void **state)
{
	struct tenv *t = *state;
	char buf[64];

	/* budget weight 1.5: B=4, N=3, D=3, U=2 -> 4*1.5 + 3 + 3 + 2 = 14.00 -> B */
	t_config(t, "score.weight.budget", "1.5");
	assert_int_equal(fnl_config_get(t->db, "score.weight.budget", buf, sizeof buf), FNL_OK);
	assert_string_equal(buf, "1.5");
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "权重一", NULL);
	struct fnl_lead s = t_score(t, l.id, T_FRI, 4, 3, 3, 2);
	assert_int_equal(s.score_total, 1400);
	assert_string_equal(s.grade, "B");

	/* budget and need 2.5: B=2, N=2, D=3, U=2 -> 5 + 5 + 3 + 2 = 15.00 exactly -> A */
	t_config(t, "score.weight.budget", "2.5");
	t_config(t, "score.weight.need", "2.50");
	l = t_lead(t, T_FRI - T_HOUR, "权重二", NULL);
	s = t_score(t, l.id, T_FRI, 2, 2, 3, 2);
	assert_int_equal(s.score_total, 1500);
	assert_string_equal(s.grade, "A");

	/* 0.25 on urgency, 2.5 on the others as set: B=1, N=1, D=1, U=3 -> 2.5+2.5+1+0.75 = 6.75 -> C */
	t_config(t, "score.weight.urgency", "0.25");
	l = t_lead(t, T_FRI - T_HOUR, "权重三", NULL);
	s = t_score(t, l.id, T_FRI, 1, 1, 1, 3);
	assert_int_equal(s.score_total, 675);
	assert_string_equal(s.grade, "C");

	/* Three decimals are refused, naming the key; the weight stays as it was. */
	struct fnl_ctx admin = t_admin(t, T_NOW);
	T_RC(t, fnl_config_set(t->db, &admin, "score.weight.budget", "1.125"), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "score.weight.budget");
	assert_int_equal(fnl_config_get(t->db, "score.weight.budget", buf, sizeof buf), FNL_OK);
	assert_string_equal(buf, "2.5");
	/* So are a negative weight, a comma and an empty value. */
	static const char *const bad[] = {"-1", "1,5", "", "1.", ".5", "101"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		T_RC(t, fnl_config_set(t->db, &admin, "score.weight.decision", bad[i]), FNL_EINVAL);
		assert_string_equal(fnl_errfield(t->db), "score.weight.decision");
	}
	assert_int_equal(fnl_config_get(t->db, "score.weight.decision", buf, sizeof buf), FNL_OK);
	assert_string_equal(buf, "1");
}

/* ---- thresholds ---- */

static void test_thresholds(void **state)
{
	struct tenv *t = *state;
	t_config(t, "score.grade_a_min", "12");
	assert_int_equal(fnl_grade_of(t->db, 1200), 'A');
	assert_int_equal(fnl_grade_of(t->db, 1199), 'B');

	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "阈值一", NULL);
	struct fnl_lead s = t_score(t, l.id, T_FRI, 3, 3, 3, 3); /* 12 */
	assert_int_equal(s.score_total, 1200);
	assert_string_equal(s.grade, "A");
	l = t_lead(t, T_FRI - T_HOUR, "阈值二", NULL);
	s = t_score(t, l.id, T_FRI, 3, 3, 3, 2); /* 11 */
	assert_int_equal(s.score_total, 1100);
	assert_string_equal(s.grade, "B");

	/* grade_b_min above grade_a_min is refused; equal is allowed. */
	struct fnl_ctx admin = t_admin(t, T_NOW);
	T_RC(t, fnl_config_set(t->db, &admin, "score.grade_b_min", "12.01"), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "score.grade_b_min");
	char buf[64];
	assert_int_equal(fnl_config_get(t->db, "score.grade_b_min", buf, sizeof buf), FNL_OK);
	assert_string_equal(buf, "8");
	/* and lowering A below B is refused too */
	T_RC(t, fnl_config_set(t->db, &admin, "score.grade_a_min", "7.99"), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "score.grade_a_min");
	assert_int_equal(fnl_grade_of(t->db, 1200), 'A');

	T_OK(t, fnl_config_set(t->db, &admin, "score.grade_b_min", "12"));
	assert_int_equal(fnl_grade_of(t->db, 1200), 'A');
	assert_int_equal(fnl_grade_of(t->db, 1199), 'C');
}

/* ---- scores out of 1-5 ---- */

struct range_case {
	int s[4];
	const char *field;
};

static const struct range_case range_cases[] = {
	{{0, 3, 3, 3}, "budget"},   {{6, 3, 3, 3}, "budget"},   {{3, 0, 3, 3}, "need"},
	{{3, 6, 3, 3}, "need"},     {{3, 3, -1, 3}, "decision"}, {{3, 3, 6, 3}, "decision"},
	{{3, 3, 3, 0}, "urgency"},  {{3, 3, 3, 100}, "urgency"},
};

static void test_score_range(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "范围公司", NULL);
	struct fnl_ctx c = t_sys(T_FRI);
	for (size_t i = 0; i < sizeof range_cases / sizeof range_cases[0]; i++) {
		const struct range_case *r = &range_cases[i];
		struct fnl_lead out;
		T_RC(t, fnl_lead_score(t->db, &c, l.id, r->s[0], r->s[1], r->s[2], r->s[3], &out), FNL_EINVAL);
		assert_string_equal(fnl_errfield(t->db), r->field);
		assert_non_null(strstr(fnl_errmsg(t->db), r->field));
	}
	/* Nothing happened: no grade, still at acquire, no history. */
	struct fnl_lead g = t_get(t, l.id);
	assert_string_equal(g.grade, "");
	assert_string_equal(g.stage, "acquire");
	struct fnl_score_entry *h;
	size_t n;
	T_OK(t, fnl_lead_scores(t->db, &c, l.id, &h, &n));
	assert_int_equal(n, 0);
	free(h);
}

/* ---- history ---- */

static void test_history(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "历史公司", NULL);
	t_score(t, l.id, T_FRI, 5, 5, 5, 5);                   /* 20: A */
	struct fnl_lead s = t_score(t, l.id, T_NOW, 1, 2, 1, 2); /* 6: C */
	assert_string_equal(s.grade, "C");
	assert_int_equal(s.score_total, 600);
	assert_int_equal(s.graded_at, T_NOW);

	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_score_entry *h;
	size_t n;
	T_OK(t, fnl_lead_scores(t->db, &c, l.id, &h, &n));
	assert_int_equal(n, 2);
	assert_int_equal(h[0].at, T_FRI);
	assert_int_equal(h[0].total, 2000);
	assert_string_equal(h[0].grade, "A");
	assert_int_equal(h[0].budget, 5);
	assert_string_equal(h[0].user, "system");
	assert_int_equal(h[1].at, T_NOW);
	assert_int_equal(h[1].total, 600);
	assert_string_equal(h[1].grade, "C");
	assert_int_equal(h[1].need, 2);
	assert_int_equal(h[1].urgency, 2);
	free(h);
}

/* ---- acquire -> qualify ---- */

static void test_scoring_moves_to_qualify(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "阶段公司", NULL);
	assert_string_equal(l.stage, "acquire");
	assert_int_equal(l.stage_pos, 1);
	struct fnl_lead s = t_score(t, l.id, T_FRI, 3, 3, 3, 3);
	assert_string_equal(s.stage, "qualify");
	assert_int_equal(s.stage_pos, 2);
	assert_string_equal(s.reached, "qualify");
	assert_int_equal(s.reached_pos, 2);
	assert_string_equal(s.status, "open");
	/* A re-score does not move it again. */
	t_score(t, l.id, T_FRI + T_HOUR, 4, 4, 4, 4);

	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_stage_event *e;
	size_t n;
	T_OK(t, fnl_lead_events(t->db, &c, l.id, &e, &n));
	assert_int_equal(n, 2);
	assert_string_equal(e[0].kind, "capture");
	assert_string_equal(e[0].from, "");
	assert_string_equal(e[0].to, "acquire");
	assert_int_equal(e[0].at, T_FRI - T_HOUR);
	assert_string_equal(e[1].kind, "forward");
	assert_string_equal(e[1].from, "acquire");
	assert_string_equal(e[1].to, "qualify");
	assert_int_equal(e[1].at, T_FRI);
	free(e);
}

/* ---- C: the nurture pool ---- */

static void test_grade_c_nurture(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "培育公司", NULL);
	struct fnl_lead s = t_score(t, l.id, T_FRI, 1, 2, 2, 2); /* 7: C */
	assert_string_equal(s.grade, "C");
	assert_string_equal(s.status, "nurture");
	assert_int_equal(s.sla_due_at, 0); /* no follow-up deadline for C */
	/* the earliest open task: the touch, 14 days on = 2026-12-11T10:00+08:00 */
	assert_string_equal(s.next_action, "touch");
	assert_int_equal(s.next_due_at, T_FRI + 14 * T_DAY);
	assert_int_equal(s.next_due_at, t_time(t, "2026-12-11T10:00:00+08:00"));

	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_task *v;
	size_t n;
	T_OK(t, fnl_lead_tasks(t->db, &c, l.id, &v, &n));
	assert_int_equal(n, 2);
	const struct fnl_task *touch = t_task(v, n, "touch"), *re = t_task(v, n, "reevaluate");
	assert_non_null(touch);
	assert_non_null(re);
	assert_int_equal(touch->due_at, t_time(t, "2026-12-11T10:00:00+08:00"));
	assert_int_equal(re->due_at, t_time(t, "2026-12-27T10:00:00+08:00")); /* +30 days */
	assert_int_equal(re->due_at, T_FRI + 30 * T_DAY);
	assert_int_equal(touch->done_at, 0);
	assert_int_equal(re->done_at, 0);
	assert_null(t_task(v, n, "followup"));
	free(v);

	/* configured: touch every 7 days, re-evaluate every 21 */
	t_config(t, "nurture.touch_days", "7");
	t_config(t, "nurture.reevaluate_days", "21");
	l = t_lead(t, T_FRI - T_HOUR, "培育公司二", NULL);
	s = t_score(t, l.id, T_FRI, 1, 1, 1, 1);
	T_OK(t, fnl_lead_tasks(t->db, &c, l.id, &v, &n));
	assert_int_equal(t_task(v, n, "touch")->due_at, T_FRI + 7 * T_DAY);
	assert_int_equal(t_task(v, n, "reevaluate")->due_at, T_FRI + 21 * T_DAY);
	free(v);
}

/* ---- re-scoring a nurture lead ---- */

static void test_rescore_nurture_to_a(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "回流公司", NULL);
	t_score(t, l.id, T_FRI, 1, 1, 1, 1); /* C */
	/* re-evaluated on Monday 2026-12-28T10:00+08:00 as A */
	int64_t re_at = t_time(t, "2026-12-28T10:00:00+08:00");
	struct fnl_lead s = t_score(t, l.id, re_at, 5, 4, 3, 3); /* 15: A */
	assert_string_equal(s.grade, "A");
	assert_string_equal(s.status, "open");
	assert_int_equal(s.sla_due_at, re_at + 48 * T_HOUR);
	assert_int_equal(s.sla_due_at, t_time(t, "2026-12-30T10:00:00+08:00"));
	assert_int_equal(s.sla_met_at, 0);

	struct fnl_ctx c = t_sys(re_at);
	struct fnl_task *v;
	size_t n;
	T_OK(t, fnl_lead_tasks(t->db, &c, l.id, &v, &n));
	/* touch cancelled, re-evaluation done (by this scoring), a new follow-up */
	const struct fnl_task *touch = t_task(v, n, "touch"), *re = t_task(v, n, "reevaluate"),
			      *f = t_task(v, n, "followup");
	assert_int_equal(touch->cancelled_at, re_at);
	assert_int_equal(re->done_at, re_at);
	assert_non_null(f);
	assert_string_equal(f->grade, "A");
	assert_int_equal(f->due_at, re_at + 48 * T_HOUR);
	assert_int_equal(f->done_at, 0);
	assert_int_equal(f->cancelled_at, 0);
	free(v);
}

static void test_rescore_nurture_stays_c(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "仍培育公司", NULL);
	t_score(t, l.id, T_FRI, 1, 1, 1, 1); /* C */
	/* re-evaluated after 30 days, 2026-12-27T10:00+08:00, still C */
	int64_t re_at = T_FRI + 30 * T_DAY;
	struct fnl_lead s = t_score(t, l.id, re_at, 2, 2, 1, 1); /* 6: C */
	assert_string_equal(s.grade, "C");
	assert_string_equal(s.status, "nurture");
	assert_int_equal(s.sla_due_at, 0);

	struct fnl_ctx c = t_sys(re_at);
	struct fnl_task *v;
	size_t n;
	T_OK(t, fnl_lead_tasks(t->db, &c, l.id, &v, &n));
	assert_int_equal(n, 3); /* touch (still open), the old re-evaluation (done), a new one */
	size_t open_re = 0, done_re = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].kind, "reevaluate"))
			continue;
		if (v[i].done_at) {
			done_re++;
			assert_int_equal(v[i].done_at, re_at);
			assert_int_equal(v[i].due_at, T_FRI + 30 * T_DAY);
		} else {
			open_re++;
			assert_int_equal(v[i].due_at, re_at + 30 * T_DAY); /* 2027-01-26T10:00+08:00 */
			assert_int_equal(v[i].due_at, t_time(t, "2027-01-26T10:00:00+08:00"));
		}
	}
	assert_int_equal(open_re, 1);
	assert_int_equal(done_re, 1);
	const struct fnl_task *touch = t_task(v, n, "touch");
	assert_int_equal(touch->due_at, T_FRI + 14 * T_DAY);
	assert_int_equal(touch->done_at, 0);
	free(v);
}

static void test_rescore_nurture_to_b(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "回流公司二", NULL);
	t_score(t, l.id, T_FRI, 1, 1, 1, 1); /* C */
	/* re-evaluated as B on Friday 2026-12-25T09:00+08:00: due Wednesday 2026-12-30 23:59:59 */
	int64_t re_at = t_time(t, "2026-12-25T09:00:00+08:00");
	struct fnl_lead s = t_score(t, l.id, re_at, 2, 2, 2, 2); /* 8: B */
	assert_string_equal(s.grade, "B");
	assert_string_equal(s.status, "open");
	assert_int_equal(s.sla_due_at, t_time(t, "2026-12-30T23:59:59+08:00"));
}

/* ---- a re-score never pushes an unmet deadline later ---- */

static void test_rescore_keeps_earlier_deadline(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "期限公司", NULL);
	struct fnl_lead a = t_score(t, l.id, T_FRI, 5, 5, 5, 5); /* A: due Sunday 10:00 */
	assert_int_equal(a.sla_due_at, t_time(t, "2026-11-29T10:00:00+08:00"));
	/* One hour later, B: its own due would be Wednesday 2026-12-02 23:59:59, later: kept. */
	struct fnl_lead b = t_score(t, l.id, T_FRI + T_HOUR, 3, 2, 2, 2); /* 9: B */
	assert_string_equal(b.grade, "B");
	assert_int_equal(b.sla_due_at, t_time(t, "2026-11-29T10:00:00+08:00"));
	assert_int_equal(b.graded_at, T_FRI + T_HOUR);

	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_task *v;
	size_t n;
	T_OK(t, fnl_lead_tasks(t->db, &c, l.id, &v, &n));
	size_t followups = 0;
	for (size_t i = 0; i < n; i++)
		followups += strcmp(v[i].kind, "followup") == 0;
	assert_int_equal(followups, 1);
	const struct fnl_task *f = t_task(v, n, "followup");
	assert_string_equal(f->grade, "A");
	assert_int_equal(f->cancelled_at, 0);
	/* It is a B lead now, so it gets the material task (SPEC §4: B leads get nurture material). */
	const struct fnl_task *m = t_task(v, n, "material");
	assert_non_null(m);
	assert_int_equal(m->done_at, 0);
	free(v);
}

static void test_rescore_brings_deadline_earlier(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "提前公司", NULL);
	struct fnl_lead b = t_score(t, l.id, T_FRI, 2, 2, 2, 2); /* B: Wednesday 23:59:59 */
	assert_int_equal(b.sla_due_at, t_time(t, "2026-12-02T23:59:59+08:00"));
	/* One hour later, A: due Sunday 2026-11-29T11:00+08:00, earlier: it replaces the B one. */
	struct fnl_lead a = t_score(t, l.id, T_FRI + T_HOUR, 5, 5, 5, 5);
	assert_string_equal(a.grade, "A");
	assert_int_equal(a.sla_due_at, t_time(t, "2026-11-29T11:00:00+08:00"));

	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_task *v;
	size_t n;
	T_OK(t, fnl_lead_tasks(t->db, &c, l.id, &v, &n));
	size_t open = 0, cancelled = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].kind, "followup"))
			continue;
		if (v[i].cancelled_at) {
			cancelled++;
			assert_string_equal(v[i].grade, "B");
			assert_int_equal(v[i].cancelled_at, T_FRI + T_HOUR);
		} else {
			open++;
			assert_string_equal(v[i].grade, "A");
		}
	}
	assert_int_equal(open, 1);
	assert_int_equal(cancelled, 1);
	free(v);
}

/* Material tasks of a lead in the order they were created. */
static size_t materials(struct tenv *t, int64_t id, struct fnl_task *out, size_t max)
{
	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_task *v;
	size_t n, k = 0;
	T_OK(t, fnl_lead_tasks(t->db, &c, id, &v, &n));
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].kind, "material") == 0 && k < max)
			out[k++] = v[i];
	free(v);
	return k;
}

static void test_rescore_to_b_after_met_gets_material(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "资料补发公司", NULL);
	t_score(t, l.id, T_FRI, 5, 5, 5, 5); /* A */
	t_activity(t, l.id, T_FRI + T_HOUR, "call"); /* the deadline is met */
	/* Saturday 2026-11-28 10:00, B: no new deadline, but a B lead gets material, due like a B
	 * deadline graded then (Wednesday 2026-12-02 23:59:59). */
	struct fnl_lead b = t_score(t, l.id, T_FRI + T_DAY, 3, 2, 2, 2);
	assert_string_equal(b.grade, "B");
	assert_int_equal(b.sla_due_at, t_time(t, "2026-11-29T10:00:00+08:00"));
	assert_int_equal(b.sla_met_at, T_FRI + T_HOUR);
	struct fnl_task m[4];
	assert_int_equal(materials(t, l.id, m, 4), 1);
	assert_string_equal(m[0].grade, "B");
	assert_int_equal(m[0].created_at, T_FRI + T_DAY);
	assert_int_equal(m[0].due_at, t_time(t, "2026-12-02T23:59:59+08:00"));
	assert_int_equal(m[0].done_at, 0);
	assert_string_equal(b.next_action, "material");
}

static void test_rescore_b_again_sends_material_once(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "资料已发公司", NULL);
	t_score(t, l.id, T_FRI, 2, 2, 2, 2); /* B */
	/* a nurture touch sends the material; it is no follow-up, so the deadline stays open */
	t_activity(t, l.id, T_FRI + T_HOUR, "nurture");
	struct fnl_lead b = t_score(t, l.id, T_FRI + T_DAY, 3, 2, 2, 2); /* B again */
	assert_int_equal(b.sla_met_at, 0);
	assert_string_equal(b.next_action, "followup");
	struct fnl_task m[4];
	assert_int_equal(materials(t, l.id, m, 4), 1);
	assert_int_equal(m[0].done_at, T_FRI + T_HOUR);
	/* the same once the deadline is met */
	t_activity(t, l.id, T_FRI + T_DAY + T_HOUR, "call");
	t_score(t, l.id, T_FRI + 2 * T_DAY, 2, 2, 2, 2);
	assert_int_equal(materials(t, l.id, m, 4), 1);
}

/* ---- what cannot be scored ---- */

static void test_score_state(void **state)
{
	struct tenv *t = *state;
	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "状态公司", NULL), out;
	t_score(t, l.id, T_FRI, 3, 3, 3, 3);
	T_OK(t, fnl_lead_lose(t->db, &c, l.id, "price", "", &out));
	T_RC(t, fnl_lead_score(t->db, &c, l.id, 5, 5, 5, 5, &out), FNL_ESTATE);

	/* an invalid lead */
	struct fnl_lead_input in = {0};
	in.company = "无效公司";
	in.contact = "王五";
	in.phone = "12345";
	in.channel = "website";
	int result;
	int64_t rid;
	T_OK(t, fnl_lead_add(t->db, &c, &in, &result, &out, &rid));
	assert_int_equal(result, FNL_ADD_INVALID);
	T_RC(t, fnl_lead_score(t->db, &c, rid, 5, 5, 5, 5, &out), FNL_ESTATE);
	T_RC(t, fnl_lead_score(t->db, &c, 9999, 5, 5, 5, 5, &out), FNL_ENOTFOUND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_grade_edges),
		T_TEST(test_fractional_weights),
		T_TEST(test_thresholds),
		T_TEST(test_score_range),
		T_TEST(test_history),
		T_TEST(test_scoring_moves_to_qualify),
		T_TEST(test_grade_c_nurture),
		T_TEST(test_rescore_nurture_to_a),
		T_TEST(test_rescore_nurture_stays_c),
		T_TEST(test_rescore_nurture_to_b),
		T_TEST(test_rescore_keeps_earlier_deadline),
		T_TEST(test_rescore_brings_deadline_earlier),
		T_TEST(test_rescore_to_b_after_met_gets_material),
		T_TEST(test_rescore_b_again_sends_material_once),
		T_TEST(test_score_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
