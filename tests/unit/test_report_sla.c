/*
 * tests/unit/test_report_sla.c - report sla (SPEC §4, §7) on a small case computed by hand, at now =
 * 2026-11-29 10:00 (+08:00), period November 2026 (the due time). Grade A: due 48 hours after
 * grading; grade B: the end of the 3rd working day after the grading date.
 *
 *  deadline  owner (team)   graded            due                what happened             counts
 *  A1        li (一部)      A 11-02 10:00     11-04 10:00        call 11-03                on time
 *  A2        li             A 11-02 10:00     11-04 10:00        call 11-04 10:00:00       on time (exactly)
 *  A3        li             A 11-02 10:00     11-04 10:00        call 11-04 10:00:01       late
 *  A4        wang (二部)    A 11-10 10:00     11-12 10:00        a note 11-11 (not a       breached, overdue 408 h
 *                                                                follow-up)
 *  A5        wang           A 11-10 10:00     11-12 10:00        lost 11-13                breached (cancelled late)
 *  A6        wang           A 11-10 10:00     11-12 10:00        lost 11-11                not counted (cancelled in time)
 *  A7        li             A 11-28 10:00     11-30 10:00        nothing                   not due yet
 *  A8        zhao (一部)    A 11-28 10:00     11-30 10:00        call 11-28 12:00          not due yet (met early)
 *  B1        zhao           B Fri 11-20       Wed 11-25 23:59:59 call 11-25 20:00          on time
 *  A9        li             A 10-20 10:00     10-22 10:00        nothing                   before the period; overdue 912 h
 *  A10       li             B Mon 11-02 10:00 Thu 11-05 23:59:59 re-graded A 11-02 12:00:  the B deadline not counted;
 *                           A 11-02 12:00     11-04 12:00        call 11-05 09:00          the A one late
 *  A11       li, then wang  A 11-02 10:00     11-04 10:00        call 11-03, reassigned    on time, li's
 *                                                                to wang 11-10
 *  A12       li             never graded: no events past capture, no deadline
 */
#include "report_cases.h"

#define AT(s) t_time(t, s "+08:00")

static void graded(struct tenv *t, int64_t id, const char *grade, int64_t at)
{
	if (grade[0] == 'A')
		t_score(t, id, at, 4, 4, 4, 4);
	else
		t_score(t, id, at, 3, 3, 3, 3);
}

static void build(struct tenv *t)
{
	t_user(t, "li", "sales", "华东一部");
	t_user(t, "wang", "sales", "华东二部");
	t_user(t, "zhao", "sales", "华东一部");
	int64_t a1 = r_lead(t, AT("2026-11-02T09:00:00"), "A1", "website", "li");
	graded(t, a1, "A", AT("2026-11-02T10:00:00"));
	t_activity(t, a1, AT("2026-11-03T10:00:00"), "call");
	int64_t a2 = r_lead(t, AT("2026-11-02T09:00:00"), "A2", "website", "li");
	graded(t, a2, "A", AT("2026-11-02T10:00:00"));
	t_activity(t, a2, AT("2026-11-04T10:00:00"), "call");
	int64_t a3 = r_lead(t, AT("2026-11-02T09:00:00"), "A3", "website", "li");
	graded(t, a3, "A", AT("2026-11-02T10:00:00"));
	t_activity(t, a3, AT("2026-11-04T10:00:01"), "email");
	int64_t a4 = r_lead(t, AT("2026-11-10T09:00:00"), "A4", "sem", "wang");
	graded(t, a4, "A", AT("2026-11-10T10:00:00"));
	t_activity(t, a4, AT("2026-11-11T10:00:00"), "note");
	int64_t a5 = r_lead(t, AT("2026-11-10T09:00:00"), "A5", "website", "wang");
	graded(t, a5, "A", AT("2026-11-10T10:00:00"));
	r_lose(t, a5, "price", AT("2026-11-13T10:00:00"));
	int64_t a6 = r_lead(t, AT("2026-11-10T09:00:00"), "A6", "website", "wang");
	graded(t, a6, "A", AT("2026-11-10T10:00:00"));
	r_lose(t, a6, "price", AT("2026-11-11T10:00:00"));
	int64_t a7 = r_lead(t, AT("2026-11-28T09:00:00"), "A7", "website", "li");
	graded(t, a7, "A", AT("2026-11-28T10:00:00"));
	int64_t a8 = r_lead(t, AT("2026-11-28T09:00:00"), "A8", "website", "zhao");
	graded(t, a8, "A", AT("2026-11-28T10:00:00"));
	t_activity(t, a8, AT("2026-11-28T12:00:00"), "call");
	int64_t b1 = r_lead(t, AT("2026-11-20T09:00:00"), "B1", "website", "zhao");
	graded(t, b1, "B", AT("2026-11-20T10:00:00"));
	t_activity(t, b1, AT("2026-11-25T20:00:00"), "meeting");
	int64_t a9 = r_lead(t, AT("2026-10-20T09:00:00"), "A9", "website", "li");
	graded(t, a9, "A", AT("2026-10-20T10:00:00"));
	int64_t a10 = r_lead(t, AT("2026-11-02T09:00:00"), "A10", "website", "li");
	graded(t, a10, "B", AT("2026-11-02T10:00:00"));
	graded(t, a10, "A", AT("2026-11-02T12:00:00"));
	t_activity(t, a10, AT("2026-11-05T09:00:00"), "call");
	int64_t a11 = r_lead(t, AT("2026-11-02T09:00:00"), "A11", "website", "li");
	graded(t, a11, "A", AT("2026-11-02T10:00:00"));
	t_activity(t, a11, AT("2026-11-03T10:00:00"), "call");
	struct fnl_ctx c = t_admin(t, AT("2026-11-10T10:00:00"));
	struct fnl_lead l;
	T_OK(t, fnl_lead_assign(t->db, &c, a11, "wang", "调整分工", &l));
	r_lead(t, AT("2026-11-02T09:00:00"), "A12", "website", "li");
	/* the deadlines as computed by the library are the ones in the table above */
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM task WHERE kind = 'followup'"), 13);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM task WHERE kind = 'followup' AND grade = 'B'"
				      " AND due_at = 1795622399"), /* 2026-11-25T23:59:59+08:00 */
			 1);
}

static const char overdue[] =
	"[{\"lead_id\": 10, \"company\": \"A9\", \"owner\": \"li\", \"grade\": \"A\","
	" \"due_at\": \"2026-10-22T10:00:00+08:00\", \"overdue_hours\": 912.0},"
	" {\"lead_id\": 4, \"company\": \"A4\", \"owner\": \"wang\", \"grade\": \"A\","
	" \"due_at\": \"2026-11-12T10:00:00+08:00\", \"overdue_hours\": 408.0}]";

static void test_sla_by_owner(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_query q = r_query(t, "2026-11-01T00:00:00+08:00", "2026-12-01T00:00:00+08:00");
	q.by = FNL_DIM_OWNER;
	struct fnl_report r;
	r_run(t, fnl_report_sla, &q, T_NOW, &r);
	char want[4096];
	snprintf(want, sizeof want,
		 "{\"groups\": ["
		 "{\"key\": \"li\", \"due\": 5, \"met_on_time\": 3, \"met_late\": 2, \"breached\": 0, \"overdue_open\": 0,"
		 " \"compliance\": 0.6},"
		 "{\"key\": \"wang\", \"due\": 2, \"met_on_time\": 0, \"met_late\": 0, \"breached\": 2, \"overdue_open\": 1,"
		 " \"compliance\": 0.0},"
		 "{\"key\": \"zhao\", \"due\": 1, \"met_on_time\": 1, \"met_late\": 0, \"breached\": 0, \"overdue_open\": 0,"
		 " \"compliance\": 1.0}],"
		 " \"overdue\": %s}",
		 overdue);
	r_doc_check(r.doc, want);
	assert_int_equal(fnl_rtable_nrows(r.table), 3);
	assert_string_equal(r_cell(r.table, 0, "compliance"), "60.0%");
	assert_int_equal(fnl_rtable_nrows(r.detail), 2);
	assert_string_equal(r_cell(r.detail, 0, "due_at"), "2026-10-22 10:00");
	assert_string_equal(r_cell(r.detail, 1, "overdue_hours"), "408.00");
	fnl_report_free(&r);
}

static void test_sla_groups(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_query q = r_query(t, "2026-11-01T00:00:00+08:00", "2026-12-01T00:00:00+08:00");
	struct fnl_report r;
	r_run(t, fnl_report_sla, &q, T_NOW, &r);
	char want[4096];
	snprintf(want, sizeof want,
		 "{\"groups\": [{\"key\": \"all\", \"due\": 8, \"met_on_time\": 4, \"met_late\": 2, \"breached\": 2,"
		 " \"overdue_open\": 1, \"compliance\": 0.5}], \"overdue\": %s}",
		 overdue);
	r_doc_check(r.doc, want);
	fnl_report_free(&r);

	q.by = FNL_DIM_TEAM;
	r_run(t, fnl_report_sla, &q, T_NOW, &r);
	snprintf(want, sizeof want,
		 "{\"groups\": ["
		 "{\"key\": \"华东一部\", \"due\": 6, \"met_on_time\": 4, \"met_late\": 2, \"breached\": 0,"
		 " \"overdue_open\": 0, \"compliance\": 0.6666667},"
		 "{\"key\": \"华东二部\", \"due\": 2, \"met_on_time\": 0, \"met_late\": 0, \"breached\": 2,"
		 " \"overdue_open\": 1, \"compliance\": 0.0}], \"overdue\": %s}",
		 overdue);
	r_doc_check(r.doc, want);
	fnl_report_free(&r);

	/* the grade that set the deadline: A10's B deadline was superseded, its A one counts */
	q.by = FNL_DIM_GRADE;
	r_run(t, fnl_report_sla, &q, T_NOW, &r);
	snprintf(want, sizeof want,
		 "{\"groups\": ["
		 "{\"key\": \"A\", \"due\": 7, \"met_on_time\": 3, \"met_late\": 2, \"breached\": 2,"
		 " \"overdue_open\": 1, \"compliance\": 0.4285714},"
		 "{\"key\": \"B\", \"due\": 1, \"met_on_time\": 1, \"met_late\": 0, \"breached\": 0,"
		 " \"overdue_open\": 0, \"compliance\": 1.0}], \"overdue\": %s}",
		 overdue);
	r_doc_check(r.doc, want);
	fnl_report_free(&r);

	/* by the due month, without a period: October (A9) and November */
	q = r_query(t, "", "");
	q.by = FNL_DIM_MONTH;
	r_run(t, fnl_report_sla, &q, T_NOW, &r);
	snprintf(want, sizeof want,
		 "{\"groups\": ["
		 "{\"key\": \"2026-10\", \"due\": 1, \"met_on_time\": 0, \"met_late\": 0, \"breached\": 1,"
		 " \"overdue_open\": 1, \"compliance\": 0.0},"
		 "{\"key\": \"2026-11\", \"due\": 8, \"met_on_time\": 4, \"met_late\": 2, \"breached\": 2,"
		 " \"overdue_open\": 1, \"compliance\": 0.5}], \"overdue\": %s}",
		 overdue);
	r_doc_check(r.doc, want);
	fnl_report_free(&r);
}

/* Filters: the owner is the deadline's owner (A11 stays li's after the reassignment), the grade the
 * deadline's; the overdue list follows the filters but not the period. */
static void test_sla_filters(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_query q = r_query(t, "2026-11-01T00:00:00+08:00", "2026-12-01T00:00:00+08:00");
	q.filter[FNL_DIM_OWNER] = r_find(t, FNL_DIM_OWNER, "wang");
	struct fnl_report r;
	r_run(t, fnl_report_sla, &q, T_NOW, &r);
	r_doc_check(r.doc, "{\"groups\": [{\"key\": \"all\", \"due\": 2, \"met_on_time\": 0, \"met_late\": 0,"
			   " \"breached\": 2, \"overdue_open\": 1, \"compliance\": 0.0}],"
			   " \"overdue\": [{\"lead_id\": 4, \"company\": \"A4\", \"owner\": \"wang\", \"grade\": \"A\","
			   " \"overdue_hours\": 408.0}]}");
	fnl_report_free(&r);

	q = r_query(t, "2026-11-01T00:00:00+08:00", "2026-12-01T00:00:00+08:00");
	q.filter[FNL_DIM_GRADE] = r_find(t, FNL_DIM_GRADE, "B");
	r_run(t, fnl_report_sla, &q, T_NOW, &r);
	r_doc_check(r.doc, "{\"groups\": [{\"key\": \"all\", \"due\": 1, \"met_on_time\": 1, \"met_late\": 0,"
			   " \"breached\": 0, \"overdue_open\": 0, \"compliance\": 1.0}], \"overdue\": []}");
	fnl_report_free(&r);

	q = r_query(t, "2026-11-01T00:00:00+08:00", "2026-12-01T00:00:00+08:00");
	q.filter[FNL_DIM_CHANNEL] = r_find(t, FNL_DIM_CHANNEL, "sem");
	r_run(t, fnl_report_sla, &q, T_NOW, &r);
	r_doc_check(r.doc, "{\"groups\": [{\"key\": \"all\", \"due\": 1, \"met_on_time\": 0, \"met_late\": 0,"
			   " \"breached\": 1, \"overdue_open\": 1, \"compliance\": 0.0}],"
			   " \"overdue\": [{\"lead_id\": 4, \"overdue_hours\": 408.0}]}");
	fnl_report_free(&r);
}

/* Time moves on: at 11-30 10:00 A7's deadline (due exactly then, not met) is not late yet, A8's is
 * met on time; one second later A7 is breached. */
static void test_sla_now(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_query q = r_query(t, "2026-11-30T00:00:00+08:00", "2026-12-01T00:00:00+08:00");
	struct fnl_report r;
	int64_t due = AT("2026-11-30T10:00:00");
	r_run(t, fnl_report_sla, &q, due, &r);
	r_doc_check(r.doc, "{\"groups\": [{\"key\": \"all\", \"due\": 1, \"met_on_time\": 1, \"met_late\": 0,"
			   " \"breached\": 0, \"overdue_open\": 0, \"compliance\": 1.0}],"
			   " \"overdue\": [{\"lead_id\": 10, \"overdue_hours\": 936.0}, {\"lead_id\": 4, \"overdue_hours\": 432.0}]}");
	fnl_report_free(&r);
	r_run(t, fnl_report_sla, &q, due + 1, &r);
	r_doc_check(r.doc, "{\"groups\": [{\"key\": \"all\", \"due\": 2, \"met_on_time\": 1, \"met_late\": 0,"
			   " \"breached\": 1, \"overdue_open\": 1, \"compliance\": 0.5}],"
			   " \"overdue\": [{\"lead_id\": 10, \"overdue_hours\": 936.0002778},"
			   " {\"lead_id\": 4, \"overdue_hours\": 432.0002778}, {\"lead_id\": 7, \"overdue_hours\": 0.0002778}]}");
	fnl_report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_sla_by_owner),
		T_TEST(test_sla_groups),
		T_TEST(test_sla_filters),
		T_TEST(test_sla_now),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
