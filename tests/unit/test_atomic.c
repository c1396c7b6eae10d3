/*
 * tests/unit/test_atomic.c - every write is atomic (funnel.h): a call that fails leaves the
 * database exactly as it was. The check is a dump of every table (and the schema) read through the
 * handle's own connection, so uncommitted leftovers on the handle would show too, taken before and
 * after the failing call and compared byte for byte.
 *
 * Two kinds of failure: refusals (checked before anything is written), and faults injected after
 * part of the work was written (a trigger that aborts one INSERT), which only a real rollback undoes.
 * Also fnl_db_begin/commit/rollback grouping several calls. The dump is in snapshot.h.
 */
#include "testutil.h"

#include "snapshot.h"

/* ---- a populated database to fail on ---- */

struct world {
	int64_t s1, s2, m1;
	struct fnl_lead open_b;   /* owned by s1, B, at propose; confirmed needs list and a solution item */
	struct fnl_lead fresh;    /* owned by s2, at acquire */
};

static struct world populate(struct tenv *t)
{
	struct world w;
	w.m1 = t_user(t, "m1", "manager", "east");
	w.s1 = t_user(t, "s1", "sales", "east");
	w.s2 = t_user(t, "s2", "sales", "east");
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "原子公司", "s1"), out;
	t_score(t, l.id, T_FRI, 2, 2, 2, 2);
	/* the propose and negotiate gates pass; the won gate does not (no deal) */
	t_ready_for_at(t, l.id, "negotiate", T_FRI + T_HOUR / 2);
	struct fnl_ctx c = t_sys(T_FRI + T_HOUR);
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "propose", "", &out));
	t_activity(t, l.id, T_FRI + 2 * T_HOUR, "call");
	w.open_b = t_get(t, l.id);
	w.fresh = t_lead(t, T_FRI + 3 * T_HOUR, "新鲜公司", "s2");
	return w;
}

static void test_refusals_change_nothing(void **state)
{
	struct tenv *t = *state;
	struct world w = populate(t);
	struct fnl_ctx sys = t_sys(T_NOW);
	struct fnl_lead out;
	int result = 0;
	int64_t rid = 0;

	struct fnl_lead_input in = {0};
	in.company = "未知主人公司";
	in.contact = "某";
	in.phone = "13952100300";
	in.channel = "website";
	in.owner = "ghost";
	EXPECT_UNCHANGED(t, fnl_lead_add(t->db, &sys, &in, &result, &out, &rid), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "owner");
	/* the same with a duplicate or an invalid phone: the owner is still checked, nothing stored */
	in.phone = w.open_b.phone;
	EXPECT_UNCHANGED(t, fnl_lead_add(t->db, &sys, &in, &result, &out, &rid), FNL_EINVAL);
	in.phone = "12345";
	EXPECT_UNCHANGED(t, fnl_lead_add(t->db, &sys, &in, &result, &out, &rid), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "owner");

	in.phone = "13952100301";
	in.owner = NULL;
	in.channel = "carrier_pigeon";
	EXPECT_UNCHANGED(t, fnl_lead_add(t->db, &sys, &in, &result, &out, &rid), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "channel");
	assert_int_equal(result, 0);
	assert_int_equal(rid, 0);

	EXPECT_UNCHANGED(t, fnl_lead_score(t->db, &sys, w.fresh.id, 3, 3, 3, 0, &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "urgency");
	EXPECT_UNCHANGED(t, fnl_lead_score(t->db, &sys, w.open_b.id, 6, 3, 3, 3, &out), FNL_EINVAL);

	EXPECT_UNCHANGED(t, fnl_lead_move(t->db, &sys, w.open_b.id, "qualify", NULL, &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "note");

	EXPECT_UNCHANGED(t, fnl_lead_lose(t->db, &sys, w.open_b.id, "bad_luck", "", &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "reason");

	/* a stage gate: no deal yet */
	EXPECT_UNCHANGED(t, fnl_lead_move(t->db, &sys, w.open_b.id, "won", "", &out), FNL_EGATE);
	assert_string_equal(fnl_errfield(t->db), "to");

	struct fnl_ctx sales = tctx(T_NOW, w.s1);
	EXPECT_UNCHANGED(t, fnl_lead_assign(t->db, &sales, w.open_b.id, "s2", "", &out), FNL_EPERM);
	/* and a sales user touching another's lead */
	EXPECT_UNCHANGED(t, fnl_lead_score(t->db, &sales, w.fresh.id, 5, 5, 5, 5, &out), FNL_EPERM);
	struct fnl_activity_input call = {"call", "", "", 0};
	struct fnl_activity act;
	EXPECT_UNCHANGED(t, fnl_activity_add(t->db, &sales, w.fresh.id, &call, &act), FNL_EPERM);
	struct fnl_activity_input bad_kind = {"fax", "", "", 0};
	EXPECT_UNCHANGED(t, fnl_activity_add(t->db, &sales, w.open_b.id, &bad_kind, &act), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "kind");

	struct fnl_ctx admin = t_admin(t, T_NOW);
	static const char cal[] = "2026-12-01 holiday 甲\n2026-12-02 holiday 乙\n2026-13-01 holiday 丙\n";
	size_t count = 99;
	EXPECT_UNCHANGED(t, fnl_calendar_import(t->db, &admin, cal, sizeof cal - 1, &count), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "line");
	assert_true(strncmp(fnl_errmsg(t->db), "line 3", 6) == 0);
	assert_int_equal(count, 0);
	struct fnl_calendar_entry *e;
	size_t ne;
	T_OK(t, fnl_calendar_list(t->db, 0, &e, &ne));
	assert_int_equal(ne, 0);
	free(e);

	EXPECT_UNCHANGED(t, fnl_config_set(t->db, &admin, "sla.b_working_days", "three"), FNL_EINVAL);
	EXPECT_UNCHANGED(t, fnl_config_set(t->db, &admin, "timezone", "Mars/Olympus"), FNL_EINVAL);
	EXPECT_UNCHANGED(t, fnl_config_set(t->db, &admin, "score.grade_b_min", "16"), FNL_EINVAL);
	struct fnl_ctx mgr = tctx(T_NOW, w.m1);
	EXPECT_UNCHANGED(t, fnl_config_set(t->db, &mgr, "sla.a_hours", "24"), FNL_EPERM);
	EXPECT_UNCHANGED(t, fnl_user_add(t->db, &admin, "s1", "又一个", "sales", "west", NULL), FNL_EEXIST);
	EXPECT_UNCHANGED(t, fnl_user_add(t->db, &admin, "new", "新人", "boss", "west", NULL), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "role");

	/* the snapshot does see a change: a successful call alters it */
	char *before = snapshot(t);
	T_OK(t, fnl_lead_score(t->db, &sys, w.fresh.id, 3, 3, 3, 3, &out));
	char *after = snapshot(t);
	assert_true(strcmp(before, after) != 0);
	free(before);
	free(after);
}

/* ---- faults after partial writes ---- */

struct fault_case {
	const char *trigger; /* created on a second connection before the call */
	const char *what;
};

static void inject(struct tenv *t, const char *trigger)
{
	char sql[512];
	assert_int_equal(t_sql(t, "DROP TRIGGER IF EXISTS inject"), SQLITE_OK);
	snprintf(sql, sizeof sql, "CREATE TRIGGER inject %s BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
		 trigger);
	assert_int_equal(t_sql(t, sql), SQLITE_OK);
}

static void test_faults_roll_back(void **state)
{
	struct tenv *t = *state;
	struct world w = populate(t);
	struct fnl_ctx sys = t_sys(T_NOW);
	struct fnl_lead out;
	int result = 0;
	int64_t rid = 0;

	/* scoring: score row, stage event, tasks and the lead are written before the audit entry */
	inject(t, "BEFORE INSERT ON audit WHEN NEW.action = 'score'");
	EXPECT_UNCHANGED(t, fnl_lead_score(t->db, &sys, w.fresh.id, 5, 5, 5, 5, &out), FNL_EDB);
	assert_non_null(strstr(fnl_errmsg(t->db), "injected fault"));

	/* a new lead: round-robin position, lead row and its audit before the capture event */
	inject(t, "BEFORE INSERT ON stage_event WHEN NEW.kind = 'capture'");
	struct fnl_lead_input in = {0};
	in.company = "故障公司";
	in.contact = "某";
	in.phone = "13952100400";
	in.channel = "website";
	EXPECT_UNCHANGED(t, fnl_lead_add(t->db, &sys, &in, &result, &out, &rid), FNL_EDB);

	/* a merge: the merged record is stored before the re-inquiry on the existing lead */
	inject(t, "BEFORE INSERT ON activity WHEN NEW.kind = 're_inquiry'");
	in.phone = w.open_b.phone;
	EXPECT_UNCHANGED(t, fnl_lead_add(t->db, &sys, &in, &result, &out, &rid), FNL_EDB);

	/* a move back, a win, a loss: the stage event and the lead before the audit */
	inject(t, "BEFORE INSERT ON audit WHEN NEW.action IN ('move', 'win', 'lose', 'reopen', 'assign')");
	EXPECT_UNCHANGED(t, fnl_lead_move(t->db, &sys, w.open_b.id, "discover", "回退", &out), FNL_EDB);
	/* a win through the deal: the deal row and its audit entry too */
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &sys, w.open_b.id, "HT-9", 100, "2026-11-28", "", 0, &out), FNL_EDB);
	/* a forced win: the force_gate audit entry too */
	struct fnl_ctx admin_now = t_admin(t, T_NOW);
	EXPECT_UNCHANGED(t, fnl_lead_force(t->db, &admin_now, w.open_b.id, "won", "", &out), FNL_EDB);
	EXPECT_UNCHANGED(t, fnl_lead_lose(t->db, &sys, w.open_b.id, "price", "", &out), FNL_EDB);
	EXPECT_UNCHANGED(t, fnl_lead_assign(t->db, &sys, w.open_b.id, "s2", "", &out), FNL_EDB);

	/* an activity: the activity row and the completed tasks before the audit */
	inject(t, "BEFORE INSERT ON audit WHEN NEW.entity = 'activity'");
	struct fnl_activity_input email = {"email", "资料", "", T_NOW + T_DAY};
	struct fnl_activity act;
	EXPECT_UNCHANGED(t, fnl_activity_add(t->db, &sys, w.open_b.id, &email, &act), FNL_EDB);

	/* configuration and calendar: written, then the audit fails; the handle's cached settings must
	 * not keep the rolled-back values */
	inject(t, "BEFORE INSERT ON audit WHEN NEW.entity IN ('config', 'calendar')");
	struct fnl_ctx admin = t_admin(t, T_NOW);
	EXPECT_UNCHANGED(t, fnl_config_set(t->db, &admin, "score.grade_a_min", "12"), FNL_EDB);
	assert_int_equal(fnl_grade_of(t->db, 1200), 'B');
	static const char cal[] = "2026-11-30 holiday\n2026-12-01 holiday\n";
	size_t count;
	EXPECT_UNCHANGED(t, fnl_calendar_import(t->db, &admin, cal, sizeof cal - 1, &count), FNL_EDB);
	assert_int_equal(fnl_calendar_is_workday(fnl_db_calendar(t->db), 20787), 1); /* 2026-11-30 */

	assert_int_equal(t_sql(t, "DROP TRIGGER inject"), SQLITE_OK);
	/* with the fault gone the same calls work, and see the unchanged state */
	struct fnl_lead s = t_score(t, w.fresh.id, T_NOW, 2, 2, 2, 2);
	assert_int_equal(s.sla_due_at, t_time(t, "2026-12-02T23:59:59+08:00")); /* no holidays */
	assert_string_equal(s.stage, "qualify");
}

/* ---- grouping calls ---- */

static void test_begin_rollback(void **state)
{
	struct tenv *t = *state;
	struct world w = populate(t);
	char *before = snapshot(t);
	struct fnl_ctx sys = t_sys(T_NOW);
	struct fnl_ctx admin = t_admin(t, T_NOW);
	struct fnl_lead out;

	T_OK(t, fnl_db_begin(t->db));
	struct fnl_lead l = t_lead(t, T_NOW, "事务公司", NULL);
	t_score(t, l.id, T_NOW, 5, 5, 5, 5);
	T_OK(t, fnl_lead_move(t->db, &sys, w.open_b.id, "negotiate", "", &out));
	T_OK(t, fnl_lead_lose(t->db, &sys, w.fresh.id, "no_response", "", &out));
	T_OK(t, fnl_config_set(t->db, &admin, "score.grade_a_min", "12"));
	static const char cal[] = "2026-12-01 holiday\n";
	size_t count;
	T_OK(t, fnl_calendar_import(t->db, &admin, cal, sizeof cal - 1, &count));
	/* inside the transaction the changes are seen */
	assert_int_equal(fnl_grade_of(t->db, 1200), 'A');
	assert_string_equal(t_get(t, w.open_b.id).stage, "negotiate");
	/* and a failing call inside it undoes only itself */
	char *mid = snapshot(t);
	/* the snapshot sees the uncommitted work of the handle (else the checks here prove nothing) */
	assert_true(strcmp(before, mid) != 0);
	T_RC(t, fnl_lead_score(t->db, &sys, l.id, 0, 0, 0, 0, &out), FNL_EINVAL);
	assert_int_equal(t->db->depth, 1);
	char *mid2 = snapshot(t);
	assert_same_db("a failing call inside a transaction", mid, mid2);
	fnl_db_rollback(t->db);
	assert_int_equal(t->db->depth, 0);

	char *after = snapshot(t);
	assert_same_db("begin ... rollback", before, after);
	/* the handle's settings are back too: 12 is B, 1 December a working day */
	assert_int_equal(fnl_grade_of(t->db, 1200), 'B');
	struct fnl_lead b = t_lead(t, T_FRI, "事务后公司", NULL);
	b = t_score(t, b.id, T_FRI, 2, 2, 2, 2);
	assert_int_equal(b.sla_due_at, t_time(t, "2026-12-02T23:59:59+08:00"));
}

static void test_begin_commit(void **state)
{
	struct tenv *t = *state;
	populate(t);
	int64_t leads = t_sql_int(t, "SELECT count(*) FROM lead");
	T_OK(t, fnl_db_begin(t->db));
	struct fnl_lead l = t_lead(t, T_NOW, "提交公司", NULL);
	/* nested: a call inside runs in a savepoint and a failure there keeps the outer work */
	struct fnl_lead_input in = {0};
	in.company = "失败公司";
	in.contact = "某";
	in.phone = "13952100500";
	in.channel = "nowhere";
	struct fnl_ctx sys = t_sys(T_NOW);
	int result;
	int64_t rid;
	struct fnl_lead out;
	T_RC(t, fnl_lead_add(t->db, &sys, &in, &result, &out, &rid), FNL_EINVAL);
	/* another connection sees nothing yet */
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM lead"), leads);
	T_OK(t, fnl_db_commit(t->db));
	assert_int_equal(t->db->depth, 0);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM lead"), leads + 1);
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM lead WHERE id = %lld AND company = '提交公司'",
		 (long long)l.id);
	assert_int_equal(t_sql_int(t, sql), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_refusals_change_nothing),
		T_TEST(test_faults_roll_back),
		T_TEST(test_begin_rollback),
		T_TEST(test_begin_commit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
