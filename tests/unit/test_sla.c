/*
 * tests/unit/test_sla.c - follow-up deadlines (SPEC §4, core/sla.c, core/activity.c, core/queue.c):
 * A within 48 hours, B by the end of the 3rd working day after the grading date (weekends,
 * holidays and make-up working days of the imported calendar), met by the first follow-up after
 * grading, and the work queue ordered by due time.
 *
 * The week used: Friday 2026-11-27 (T_FRI = 10:00+08:00), Saturday 28, Sunday 29 (T_NOW = 10:00),
 * Monday 30, Tuesday 2026-12-01, Wednesday 02, Thursday 03, Friday 04.
 */
#include "testutil.h"

static const char *sla_state_at(struct tenv *t, int64_t id, int64_t now)
{
	struct fnl_lead l = t_get(t, id);
	return fnl_sla_state(&l, now);
}

static void import_calendar(struct tenv *t, const char *text, size_t expect)
{
	struct fnl_ctx c = t_admin(t, T_FRI - T_DAY);
	size_t count = 0;
	T_OK(t, fnl_calendar_import(t->db, &c, text, strlen(text), &count));
	assert_int_equal(count, expect);
}

/* ---- A: 48 hours ---- */

static void test_a_48_hours(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "甲级公司", NULL);
	assert_null(fnl_sla_state(&l, T_FRI)); /* no deadline before grading */
	int64_t graded = t_time(t, "2026-11-27T10:00:00+08:00");
	assert_int_equal(graded, T_FRI);
	struct fnl_lead s = t_score(t, l.id, graded, 5, 5, 5, 5);
	assert_int_equal(s.sla_due_at, t_time(t, "2026-11-29T10:00:00+08:00"));
	assert_int_equal(s.sla_due_at, INT64_C(1795917600));
	assert_int_equal(s.sla_due_at - graded, 48 * T_HOUR);
	assert_int_equal(s.sla_met_at, 0);
	assert_string_equal(s.next_action, "followup");
	assert_int_equal(s.next_due_at, s.sla_due_at);
	/* pending up to and including the due second, overdue after it */
	assert_string_equal(fnl_sla_state(&s, graded), "pending");
	assert_string_equal(fnl_sla_state(&s, s.sla_due_at), "pending");
	assert_string_equal(fnl_sla_state(&s, s.sla_due_at + 1), "overdue");
	/* an A lead gets no material task */
	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_task *v;
	size_t n;
	T_OK(t, fnl_lead_tasks(t->db, &c, l.id, &v, &n));
	assert_int_equal(n, 1);
	assert_string_equal(v[0].kind, "followup");
	assert_string_equal(v[0].grade, "A");
	assert_int_equal(v[0].created_at, graded);
	free(v);
}

static void test_a_hours_configured(void **state)
{
	struct tenv *t = *state;
	t_config(t, "sla.a_hours", "24");
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "甲级公司二", NULL);
	struct fnl_lead s = t_score(t, l.id, T_FRI, 5, 5, 5, 5);
	assert_int_equal(s.sla_due_at, t_time(t, "2026-11-28T10:00:00+08:00"));
	assert_int_equal(s.sla_due_at - T_FRI, 24 * T_HOUR);
	/* bad values refused */
	struct fnl_ctx admin = t_admin(t, T_NOW);
	T_RC(t, fnl_config_set(t->db, &admin, "sla.a_hours", "0"), FNL_EINVAL);
	T_RC(t, fnl_config_set(t->db, &admin, "sla.a_hours", "1.5"), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "sla.a_hours");
}

/* ---- B: working days ---- */

struct b_case {
	const char *calendar; /* imported first, or NULL */
	size_t entries;
	const char *graded;
	const char *due;
	const char *why;
};

static const struct b_case b_cases[] = {
	{NULL, 0, "2026-11-27T10:00:00+08:00", "2026-12-02T23:59:59+08:00",
	 "Friday: Mon, Tue, Wed (weekend skipped)"},
	{NULL, 0, "2026-11-27T23:59:59+08:00", "2026-12-02T23:59:59+08:00",
	 "the last second of Friday is still Friday"},
	{NULL, 0, "2026-11-28T00:00:00+08:00", "2026-12-02T23:59:59+08:00",
	 "Saturday: Mon, Tue, Wed"},
	{NULL, 0, "2026-11-30T10:00:00+08:00", "2026-12-03T23:59:59+08:00",
	 "Monday: Tue, Wed, Thu"},
	/* 2026-11-29T16:30Z is Monday 2026-11-30T00:30+08:00: the local date counts (Tue, Wed, Thu),
	 * not the UTC one (Sunday would give Mon, Tue, Wed) */
	{NULL, 0, "2026-11-29T16:30:00Z", "2026-12-03T23:59:59+08:00",
	 "local date, not the UTC date"},
	{"2026-12-01 holiday test\n", 1, "2026-11-30T10:00:00+08:00", "2026-12-04T23:59:59+08:00",
	 "Monday before a Tuesday holiday: Wed, Thu, Fri"},
	{"2026-12-01 holiday test\n", 1, "2026-11-27T10:00:00+08:00", "2026-12-03T23:59:59+08:00",
	 "Friday, holiday on Tuesday: Mon, Wed, Thu"},
	{"2026-11-28 workday 调休\n", 1, "2026-11-27T10:00:00+08:00", "2026-12-01T23:59:59+08:00",
	 "Friday, make-up working Saturday: Sat, Mon, Tue"},
	{"2026-11-28 workday\n2026-11-30 holiday\n2026-12-01 holiday\n", 3, "2026-11-27T10:00:00+08:00",
	 "2026-12-03T23:59:59+08:00", "Sat works, Mon and Tue off: Sat, Wed, Thu"},
};

static void test_b_working_days(void **state)
{
	struct tenv *t = *state;
	for (size_t i = 0; i < sizeof b_cases / sizeof b_cases[0]; i++) {
		const struct b_case *c = &b_cases[i];
		/* each case on its own database: calendars do not mix */
		void *st2 = NULL;
		assert_int_equal(tenv_setup(&st2), 0);
		struct tenv *u = st2;
		if (c->calendar)
			import_calendar(u, c->calendar, c->entries);
		int64_t graded = t_time(u, c->graded);
		char company[32];
		snprintf(company, sizeof company, "乙级公司%zu", i);
		struct fnl_lead l = t_lead(u, graded - T_HOUR, company, NULL);
		struct fnl_lead s = t_score(u, l.id, graded, 2, 2, 2, 2); /* 8: B */
		assert_string_equal(s.grade, "B");
		if (s.sla_due_at != t_time(u, c->due)) {
			char got[32];
			fnl_time_format(fnl_db_tz(u->db), s.sla_due_at, got, sizeof got);
			fail_msg("case %zu (%s): due %s, expected %s", i, c->why, got, c->due);
		}
		tenv_teardown(&st2);
	}
	(void)t;
}

static void test_b_days_configured(void **state)
{
	struct tenv *t = *state;
	t_config(t, "sla.b_working_days", "1");
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "乙级公司", NULL);
	struct fnl_lead s = t_score(t, l.id, T_FRI, 2, 2, 2, 2);
	assert_int_equal(s.sla_due_at, t_time(t, "2026-11-30T23:59:59+08:00")); /* Monday */
	t_config(t, "sla.b_working_days", "5");
	l = t_lead(t, T_FRI - T_HOUR, "乙级公司二", NULL);
	s = t_score(t, l.id, T_FRI, 2, 2, 2, 2);
	assert_int_equal(s.sla_due_at, t_time(t, "2026-12-04T23:59:59+08:00")); /* next Friday */
}

static void test_b_in_configured_zone(void **state)
{
	struct tenv *t = *state;
	/* 2026-11-29T18:00Z is Monday 02:00 in Shanghai (due Thursday 2026-12-03 23:59:59+08:00) but
	 * still Sunday in UTC: with timezone UTC the due is the end of Wednesday, UTC */
	int64_t graded = t_time(t, "2026-11-29T18:00:00Z");
	struct fnl_lead l = t_lead(t, graded - T_HOUR, "时区公司", NULL);
	struct fnl_lead s = t_score(t, l.id, graded, 2, 2, 2, 2);
	assert_int_equal(s.sla_due_at, t_time(t, "2026-12-03T23:59:59+08:00"));
	t_config(t, "timezone", "UTC");
	l = t_lead(t, graded - T_HOUR, "时区公司二", NULL);
	s = t_score(t, l.id, graded, 2, 2, 2, 2);
	assert_int_equal(s.sla_due_at, t_time(t, "2026-12-02T23:59:59Z"));
	char buf[32];
	assert_int_equal(fnl_time_format(fnl_db_tz(t->db), s.sla_due_at, buf, sizeof buf), 25);
	assert_string_equal(buf, "2026-12-02T23:59:59+00:00");
}

/* ---- met, met late, overdue, pending ---- */

static void test_met_by_call(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "跟进公司", NULL);
	t_score(t, l.id, T_FRI, 2, 2, 2, 2); /* B: due Wednesday 23:59:59 */
	int64_t call_at = t_time(t, "2026-11-30T15:00:00+08:00");
	assert_string_equal(sla_state_at(t, l.id, call_at), "pending");
	t_activity(t, l.id, call_at, "call");
	struct fnl_lead g = t_get(t, l.id);
	assert_int_equal(g.sla_met_at, call_at);
	assert_int_equal(g.first_contact_at, call_at);
	assert_int_equal(g.sla_due_at, t_time(t, "2026-12-02T23:59:59+08:00"));
	assert_string_equal(fnl_sla_state(&g, call_at), "met");
	/* still met long after the due time */
	assert_string_equal(fnl_sla_state(&g, g.sla_due_at + 30 * T_DAY), "met");
	/* a second call changes nothing */
	t_activity(t, l.id, call_at + T_DAY, "call");
	g = t_get(t, l.id);
	assert_int_equal(g.sla_met_at, call_at);
	assert_int_equal(g.first_contact_at, call_at);

	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_task *v;
	size_t n;
	T_OK(t, fnl_lead_tasks(t->db, &c, l.id, &v, &n));
	const struct fnl_task *f = t_task(v, n, "followup");
	assert_int_equal(f->done_at, call_at);
	assert_true(f->activity_id > 0);
	struct fnl_activity *a;
	size_t na;
	T_OK(t, fnl_activity_list(t->db, &c, l.id, &a, &na));
	assert_int_equal(na, 2);
	assert_int_equal(f->activity_id, a[0].id);
	assert_int_equal(a[0].at, call_at);
	free(a);
	free(v);
}

static void test_met_by_each_followup_kind(void **state)
{
	struct tenv *t = *state;
	static const char *const kinds[] = {"call", "meeting", "visit", "email", "message"};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		char company[32];
		snprintf(company, sizeof company, "方式公司%zu", i);
		struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, company, NULL);
		t_score(t, l.id, T_FRI, 5, 5, 5, 5);
		t_activity(t, l.id, T_FRI + 2 * T_HOUR, kinds[i]);
		struct fnl_lead g = t_get(t, l.id);
		assert_int_equal(g.sla_met_at, T_FRI + 2 * T_HOUR);
		assert_string_equal(fnl_sla_state(&g, T_NOW), "met");
	}
}

static void test_met_late(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "迟到公司", NULL);
	t_score(t, l.id, T_FRI, 5, 5, 5, 5); /* A: due Sunday 10:00 */
	assert_string_equal(sla_state_at(t, l.id, T_NOW + 1), "overdue");
	/* the call comes an hour after the due time */
	t_activity(t, l.id, T_NOW + T_HOUR, "call");
	struct fnl_lead g = t_get(t, l.id);
	assert_int_equal(g.sla_met_at, T_NOW + T_HOUR);
	assert_int_equal(g.sla_due_at, T_NOW);
	assert_string_equal(fnl_sla_state(&g, T_NOW + 2 * T_HOUR), "met_late");
}

static void test_met_on_the_due_second(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "准点公司", NULL);
	t_score(t, l.id, T_FRI, 5, 5, 5, 5);
	t_activity(t, l.id, T_NOW, "message"); /* exactly at 2026-11-29T10:00:00+08:00 */
	struct fnl_lead g = t_get(t, l.id);
	assert_string_equal(fnl_sla_state(&g, T_NOW + T_DAY), "met");
}

static void test_overdue_and_pending(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "逾期公司", NULL);
	t_score(t, l.id, T_FRI, 5, 5, 5, 5);
	struct fnl_lead g = t_get(t, l.id);
	assert_string_equal(fnl_sla_state(&g, T_FRI + T_HOUR), "pending");
	assert_string_equal(fnl_sla_state(&g, T_NOW - 1), "pending");
	assert_string_equal(fnl_sla_state(&g, T_NOW + 1), "overdue");
	assert_string_equal(fnl_sla_state(&g, T_NOW + 10 * T_DAY), "overdue");
	assert_int_equal(g.sla_met_at, 0);
	assert_int_equal(g.first_contact_at, 0);
}

static void test_note_and_demo_do_not_meet(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "备注公司", NULL);
	t_score(t, l.id, T_FRI, 5, 5, 5, 5);
	t_activity(t, l.id, T_FRI + T_HOUR, "note");
	t_activity(t, l.id, T_FRI + 2 * T_HOUR, "demo");
	/* after-sales care is for won customers: refused on an open lead, nothing changed */
	struct fnl_ctx c = t_sys(T_FRI + 3 * T_HOUR);
	struct fnl_activity_input care = {"aftersales", "回访", "", 0};
	struct fnl_activity a;
	T_RC(t, fnl_activity_add(t->db, &c, l.id, &care, &a), FNL_ESTATE);
	assert_string_equal(fnl_errfield(t->db), "kind");
	struct fnl_lead g = t_get(t, l.id);
	assert_int_equal(g.sla_met_at, 0);
	assert_int_equal(g.first_contact_at, 0);
	assert_string_equal(fnl_sla_state(&g, T_FRI + 4 * T_HOUR), "pending");
	assert_string_equal(fnl_sla_state(&g, T_NOW + 1), "overdue");
	/* a message after them does */
	t_activity(t, l.id, T_FRI + 5 * T_HOUR, "message");
	g = t_get(t, l.id);
	assert_int_equal(g.sla_met_at, T_FRI + 5 * T_HOUR);
	assert_string_equal(fnl_sla_state(&g, T_NOW + 1), "met");
}

static void test_activity_before_grading_does_not_meet(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - 2 * T_HOUR, "先打电话公司", NULL);
	/* a call before the grading makes the first contact but meets no deadline */
	t_activity(t, l.id, T_FRI - T_HOUR, "call");
	struct fnl_lead s = t_score(t, l.id, T_FRI, 5, 5, 5, 5);
	assert_int_equal(s.first_contact_at, T_FRI - T_HOUR);
	assert_int_equal(s.sla_met_at, 0);
	assert_string_equal(fnl_sla_state(&s, T_NOW + 1), "overdue");
	t_activity(t, l.id, T_FRI + T_HOUR, "call");
	s = t_get(t, l.id);
	assert_int_equal(s.sla_met_at, T_FRI + T_HOUR);
	assert_int_equal(s.first_contact_at, T_FRI - T_HOUR);
}

/* ---- B material ---- */

static void test_b_material_done_by_email(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "资料公司", NULL);
	t_score(t, l.id, T_FRI, 3, 2, 2, 2); /* 9: B */
	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_task *v;
	size_t n;
	T_OK(t, fnl_lead_tasks(t->db, &c, l.id, &v, &n));
	assert_int_equal(n, 2);
	const struct fnl_task *m = t_task(v, n, "material");
	assert_non_null(m);
	assert_string_equal(m->grade, "B");
	assert_int_equal(m->due_at, t_time(t, "2026-12-02T23:59:59+08:00"));
	assert_int_equal(m->done_at, 0);
	free(v);

	/* a call meets the deadline but sends no material */
	t_activity(t, l.id, T_FRI + T_HOUR, "call");
	T_OK(t, fnl_lead_tasks(t->db, &c, l.id, &v, &n));
	assert_int_equal(t_task(v, n, "followup")->done_at, T_FRI + T_HOUR);
	assert_int_equal(t_task(v, n, "material")->done_at, 0);
	free(v);
	struct fnl_lead g = t_get(t, l.id);
	assert_string_equal(g.next_action, "material");

	/* an email sends it */
	t_activity(t, l.id, T_FRI + 2 * T_HOUR, "email");
	T_OK(t, fnl_lead_tasks(t->db, &c, l.id, &v, &n));
	m = t_task(v, n, "material");
	assert_int_equal(m->done_at, T_FRI + 2 * T_HOUR);
	assert_true(m->activity_id > 0);
	free(v);
	g = t_get(t, l.id);
	assert_string_equal(g.next_action, "");
	assert_int_equal(g.next_due_at, 0);
}

/* ---- DST: hours for A, calendar days for nurture ---- */

static void test_dst_hours_and_days(void **state)
{
	struct tenv *t = *state;
	t_config(t, "timezone", "Europe/Berlin");
	/* Berlin springs forward on Sunday 2026-03-29 (02:00 CET -> 03:00 CEST). A: 48 elapsed hours,
	 * so the wall clock reads 13:00 on Monday. */
	int64_t graded = t_time(t, "2026-03-28T12:00:00+01:00");
	struct fnl_lead l = t_lead(t, graded - T_HOUR, "夏令时公司", NULL);
	struct fnl_lead s = t_score(t, l.id, graded, 5, 5, 5, 5);
	assert_int_equal(s.sla_due_at, t_time(t, "2026-03-30T13:00:00+02:00"));
	assert_int_equal(s.sla_due_at - graded, 48 * T_HOUR);

	/* C on Friday 2026-03-20 10:00 CET: the touch is due 14 calendar days on, at 10:00 again
	 * (CEST by then, 14 days less an hour later), the re-evaluation 30 days on. */
	graded = t_time(t, "2026-03-20T10:00:00+01:00");
	l = t_lead(t, graded - T_HOUR, "夏令时培育公司", NULL);
	t_score(t, l.id, graded, 1, 1, 1, 1);
	struct fnl_ctx c = t_sys(graded);
	struct fnl_task *v;
	size_t n;
	T_OK(t, fnl_lead_tasks(t->db, &c, l.id, &v, &n));
	assert_int_equal(t_task(v, n, "touch")->due_at, t_time(t, "2026-04-03T10:00:00+02:00"));
	assert_int_equal(t_task(v, n, "touch")->due_at - graded, 14 * T_DAY - T_HOUR);
	assert_int_equal(t_task(v, n, "reevaluate")->due_at, t_time(t, "2026-04-19T10:00:00+02:00"));
	free(v);

	/* Back to CET on Sunday 2026-10-25: a touch on 2026-10-20 10:00 CEST books the next one for
	 * 2026-11-03 10:00 CET, 14 days and an hour later. */
	int64_t touched = t_time(t, "2026-10-20T10:00:00+02:00");
	t_activity(t, l.id, touched, "nurture");
	c = t_sys(touched);
	T_OK(t, fnl_lead_tasks(t->db, &c, l.id, &v, &n));
	const struct fnl_task *next = NULL;
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].kind, "touch") == 0 && !v[i].done_at && !v[i].cancelled_at)
			next = &v[i];
	assert_non_null(next);
	assert_int_equal(next->due_at, t_time(t, "2026-11-03T10:00:00+01:00"));
	assert_int_equal(next->due_at - touched, 14 * T_DAY + T_HOUR);
	free(v);
}

/* ---- the work queue ---- */

static void test_queue_order(void **state)
{
	struct tenv *t = *state;
	int64_t s1 = t_user(t, "s1", "sales", NULL);
	t_user(t, "s2", "sales", NULL);
	/* captured in this order, an hour apart from Thursday 2026-11-26T10:00+08:00 */
	int64_t cap = T_FRI - T_DAY;
	struct fnl_lead unscored = t_lead(t, cap, "未评分公司", "s1");
	struct fnl_lead b = t_lead(t, cap + T_HOUR, "乙公司", "s1");
	struct fnl_lead a_late = t_lead(t, cap + 2 * T_HOUR, "甲逾期公司", "s1");
	struct fnl_lead a_new = t_lead(t, cap + 3 * T_HOUR, "甲新公司", "s1");
	struct fnl_lead c = t_lead(t, cap + 4 * T_HOUR, "丙公司", "s1");
	struct fnl_lead met = t_lead(t, cap + 5 * T_HOUR, "已跟进公司", "s1");
	struct fnl_lead other = t_lead(t, cap + 6 * T_HOUR, "别人公司", "s2");
	struct fnl_lead unscored2 = t_lead(t, cap + 7 * T_HOUR, "未评分公司二", "s1");

	t_score(t, b.id, T_FRI, 2, 2, 2, 2);         /* B: due Wed 2026-12-02 23:59:59 */
	t_score(t, a_late.id, T_FRI, 5, 5, 5, 5);    /* A: due Sun 2026-11-29 10:00, overdue below */
	t_score(t, a_new.id, T_NOW, 5, 5, 5, 5);     /* A: due Tue 2026-12-01 10:00 */
	t_score(t, c.id, T_FRI, 1, 1, 1, 1);         /* C: touch due Fri 2026-12-11 10:00 */
	t_score(t, met.id, T_FRI, 5, 5, 5, 5);       /* A, followed up at once: nothing to do */
	t_activity(t, met.id, T_FRI + T_HOUR, "call");
	t_score(t, other.id, T_FRI, 5, 5, 5, 5);

	int64_t now = T_NOW + T_HOUR; /* 2026-11-29T11:00+08:00 */
	struct fnl_ctx ctx = tctx(now, s1);
	struct fnl_queue_item *q;
	size_t n;
	T_OK(t, fnl_queue(t->db, &ctx, NULL, &q, &n));
	assert_int_equal(n, 6);
	struct {
		int64_t id;
		const char *action;
		const char *due; /* NULL: none */
		int overdue;
		const char *grade;
		const char *stage;
		const char *status;
	} want[] = {
		{a_late.id, "followup", "2026-11-29T10:00:00+08:00", 1, "A", "qualify", "open"},
		{a_new.id, "followup", "2026-12-01T10:00:00+08:00", 0, "A", "qualify", "open"},
		{b.id, "followup", "2026-12-02T23:59:59+08:00", 0, "B", "qualify", "open"},
		{c.id, "touch", "2026-12-11T10:00:00+08:00", 0, "C", "qualify", "nurture"},
		{unscored.id, "qualify", NULL, 0, "", "acquire", "open"},
		{unscored2.id, "qualify", NULL, 0, "", "acquire", "open"},
	};
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(q[i].lead_id, want[i].id);
		assert_string_equal(q[i].action, want[i].action);
		assert_int_equal(q[i].due_at, want[i].due ? t_time(t, want[i].due) : 0);
		assert_int_equal(q[i].overdue, want[i].overdue);
		assert_string_equal(q[i].grade, want[i].grade);
		assert_string_equal(q[i].stage, want[i].stage);
		assert_string_equal(q[i].status, want[i].status);
	}
	assert_string_equal(q[0].company, "甲逾期公司");
	assert_int_equal(q[4].captured_at, cap);
	free(q);

	/* s1 cannot see s2's queue; the admin can */
	T_RC(t, fnl_queue(t->db, &ctx, "s2", &q, &n), FNL_EPERM);
	assert_null(q);
	struct fnl_ctx admin = t_admin(t, now);
	T_OK(t, fnl_queue(t->db, &admin, "s2", &q, &n));
	assert_int_equal(n, 1);
	assert_int_equal(q[0].lead_id, other.id);
	assert_int_equal(q[0].overdue, 1);
	free(q);
	(void)s1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_a_48_hours),
		T_TEST(test_a_hours_configured),
		T_TEST(test_b_working_days),
		T_TEST(test_b_days_configured),
		T_TEST(test_b_in_configured_zone),
		T_TEST(test_met_by_call),
		T_TEST(test_met_by_each_followup_kind),
		T_TEST(test_met_late),
		T_TEST(test_met_on_the_due_second),
		T_TEST(test_overdue_and_pending),
		T_TEST(test_note_and_demo_do_not_meet),
		T_TEST(test_activity_before_grading_does_not_meet),
		T_TEST(test_b_material_done_by_email),
		T_TEST(test_dst_hours_and_days),
		T_TEST(test_queue_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
