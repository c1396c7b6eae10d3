/*
 * tests/unit/test_audit.c - the append-only audit log (SPEC §8, core/audit.c): who, when, what,
 * before -> after, for a lead's life (create, score, move, assign, activity) and for configuration.
 *
 * The day: Friday 2026-11-27, the lead captured at 08:00+08:00 and worked on hourly from 10:00.
 */
#include "testutil.h"

/* Parse a JSON object of the log (NULL stays NULL). */
static json_t *parse(const char *text)
{
	if (!text)
		return NULL;
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	if (!j || !json_is_object(j))
		fail_msg("not a JSON object: %s", text);
	return j;
}

static void assert_json_str(const json_t *o, const char *key, const char *want)
{
	const json_t *v = json_object_get(o, key);
	if (!json_is_string(v))
		fail_msg("'%s' is not a string", key);
	assert_string_equal(json_string_value(v), want);
}

static void assert_json_int(const json_t *o, const char *key, json_int_t want)
{
	const json_t *v = json_object_get(o, key);
	if (!json_is_integer(v))
		fail_msg("'%s' is not an integer", key);
	assert_int_equal(json_integer_value(v), want);
}

static void test_lead_trail(void **state)
{
	struct tenv *t = *state;
	int64_t m1 = t_user(t, "m1", "manager", "east");
	int64_t s1 = t_user(t, "s1", "sales", "east");
	int64_t s2 = t_user(t, "s2", "sales", "east");
	int64_t t1 = T_FRI - 2 * T_HOUR, t2 = T_FRI, t3 = T_FRI + T_HOUR, t4 = T_FRI + 2 * T_HOUR,
		t5 = T_FRI + 3 * T_HOUR;

	struct fnl_ctx c = tctx(t1, s1);
	struct fnl_lead l = t_lead_as(t, &c, "审计公司", "周九", "s1"), out;
	c.now = t2;
	T_OK(t, fnl_lead_score(t->db, &c, l.id, 5, 5, 5, 5, &out));
	c.now = t3;
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "discover", "", &out));
	struct fnl_ctx cm = tctx(t4, m1);
	T_OK(t, fnl_lead_assign(t->db, &cm, l.id, "s2", "s1 休假", &out));
	struct fnl_ctx c2 = tctx(t5, s2);
	struct fnl_activity_input call = {"call", "首次电话", "有兴趣", 0};
	struct fnl_activity act;
	T_OK(t, fnl_activity_add(t->db, &c2, l.id, &call, &act));

	struct fnl_ctx admin = t_admin(t, T_NOW);
	struct fnl_audit_entry *a;
	size_t n;
	T_OK(t, fnl_audit_list(t->db, &admin, l.id, 0, &a, &n));
	assert_int_equal(n, 6);
	char lid[24];
	snprintf(lid, sizeof lid, "%lld", (long long)l.id);
	struct {
		const char *entity, *action, *user;
		int64_t at;
	} want[] = {
		{"lead", "create", "s1", t1},     {"lead", "score", "s1", t2},
		{"lead", "move", "s1", t3},       {"lead", "assign", "m1", t4},
		{"activity", "create", "s2", t5}, {"lead", "follow_up", "s2", t5},
	};
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(a[i].entity, want[i].entity);
		assert_string_equal(a[i].action, want[i].action);
		assert_string_equal(a[i].user, want[i].user);
		assert_int_equal(a[i].at, want[i].at);
		assert_int_equal(a[i].lead_id, l.id);
		if (i)
			assert_true(a[i].id > a[i - 1].id);
	}

	/* create: no before; after has the set fields */
	assert_null(a[0].before);
	assert_string_equal(a[0].entity_id, lid);
	json_t *af = parse(a[0].after);
	assert_json_str(af, "company", "审计公司");
	assert_json_str(af, "contact", "周九");
	assert_json_str(af, "owner", "s1");
	assert_json_str(af, "stage", "acquire");
	assert_json_str(af, "status", "open");
	assert_json_str(af, "channel", "website");
	assert_json_str(af, "captured_at", "2026-11-27T08:00:00+08:00");
	assert_null(json_object_get(af, "grade")); /* empty fields are left out */
	json_decref(af);

	/* score: the changed fields only */
	json_t *bf = parse(a[1].before);
	af = parse(a[1].after);
	assert_json_str(bf, "stage", "acquire");
	assert_json_str(af, "stage", "qualify");
	assert_json_str(bf, "grade", "");
	assert_json_str(af, "grade", "A");
	assert_json_int(bf, "score_total", 0);
	assert_json_int(af, "score_total", 2000);
	assert_json_int(af, "budget", 5);
	assert_json_str(af, "graded_at", "2026-11-27T10:00:00+08:00");
	assert_true(json_is_null(json_object_get(bf, "graded_at")));
	assert_null(json_object_get(af, "company")); /* unchanged: not there */
	assert_null(json_object_get(af, "owner"));
	json_decref(bf);
	json_decref(af);

	/* move and assign, written out in full (keys sorted, compact) */
	assert_string_equal(a[2].before, "{\"reached\":\"qualify\",\"stage\":\"qualify\"}");
	assert_string_equal(a[2].after, "{\"reached\":\"discover\",\"stage\":\"discover\"}");
	assert_string_equal(a[3].before, "{\"owner\":\"s1\"}");
	assert_string_equal(a[3].after, "{\"owner\":\"s2\"}");

	/* the activity, and the first contact it made */
	char aid[24];
	snprintf(aid, sizeof aid, "%lld", (long long)act.id);
	assert_string_equal(a[4].entity_id, aid);
	assert_null(a[4].before);
	af = parse(a[4].after);
	assert_json_str(af, "kind", "call");
	assert_json_str(af, "summary", "首次电话");
	assert_json_str(af, "outcome", "有兴趣");
	json_decref(af);
	assert_string_equal(a[5].before, "{\"first_contact_at\":null}");
	assert_string_equal(a[5].after, "{\"first_contact_at\":\"2026-11-27T13:00:00+08:00\"}");
	fnl_audit_free(a, n);

	/* a limit keeps the newest, still oldest first */
	T_OK(t, fnl_audit_list(t->db, &admin, l.id, 2, &a, &n));
	assert_int_equal(n, 2);
	assert_string_equal(a[0].entity, "activity");
	assert_string_equal(a[1].action, "follow_up");
	fnl_audit_free(a, n);

	/* who may read it: the owner now (s2) and the team's manager, not s1 any more */
	T_OK(t, fnl_audit_list(t->db, &c2, l.id, 0, &a, &n));
	assert_int_equal(n, 6);
	fnl_audit_free(a, n);
	T_OK(t, fnl_audit_list(t->db, &cm, l.id, 0, &a, &n));
	assert_int_equal(n, 6);
	fnl_audit_free(a, n);
	c.now = T_NOW;
	T_RC(t, fnl_audit_list(t->db, &c, l.id, 0, &a, &n), FNL_EPERM);
	assert_null(a);
	assert_int_equal(n, 0);
	/* the whole log as s1: none of the lead's entries, no configuration or user entries */
	T_OK(t, fnl_audit_list(t->db, &c, 0, 0, &a, &n));
	assert_int_equal(n, 0);
	free(a);
}

static void test_append_only(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI, "只增公司", NULL);
	t_score(t, l.id, T_FRI + T_HOUR, 3, 3, 3, 3);
	int64_t before = t_sql_int(t, "SELECT count(*) FROM audit");
	assert_true(before >= 3); /* admin seeded, lead created, scored */
	int64_t last = t_sql_int(t, "SELECT max(id) FROM audit");

	assert_int_equal(t_sql(t, "UPDATE audit SET action = 'nothing'"), SQLITE_CONSTRAINT);
	assert_int_equal(t_sql(t, "UPDATE audit SET after = NULL WHERE action = 'score'"), SQLITE_CONSTRAINT);
	assert_int_equal(t_sql(t, "DELETE FROM audit"), SQLITE_CONSTRAINT);
	assert_int_equal(t_sql(t, "DELETE FROM audit WHERE action = 'create'"), SQLITE_CONSTRAINT);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM audit"), before);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM audit WHERE action = 'score'"), 1);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM audit WHERE after IS NULL AND action = 'score'"), 0);
	assert_int_equal(t_sql_int(t, "SELECT max(id) FROM audit"), last);
}

static void test_config_audited(void **state)
{
	struct tenv *t = *state;
	struct fnl_ctx admin = t_admin(t, T_NOW);
	T_OK(t, fnl_config_set(t->db, &admin, "score.grade_a_min", "12"));
	struct fnl_audit_entry *a;
	size_t n;
	T_OK(t, fnl_audit_list(t->db, &admin, 0, 1, &a, &n));
	assert_int_equal(n, 1);
	assert_string_equal(a[0].entity, "config");
	assert_string_equal(a[0].entity_id, "score.grade_a_min");
	assert_string_equal(a[0].action, "set");
	assert_string_equal(a[0].user, "admin");
	assert_int_equal(a[0].at, T_NOW);
	assert_int_equal(a[0].lead_id, 0);
	assert_string_equal(a[0].before, "{\"value\":\"15\"}");
	assert_string_equal(a[0].after, "{\"value\":\"12\"}");
	int64_t id = a[0].id;
	fnl_audit_free(a, n);

	/* a refused value and an unchanged value write nothing */
	int64_t count = t_sql_int(t, "SELECT count(*) FROM audit");
	T_RC(t, fnl_config_set(t->db, &admin, "score.grade_a_min", "twelve"), FNL_EINVAL);
	T_RC(t, fnl_config_set(t->db, &admin, "no.such.key", "1"), FNL_ENOTFOUND);
	T_OK(t, fnl_config_set(t->db, &admin, "score.grade_a_min", "12"));
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM audit"), count);

	/* the workweek is normalised, and the audit shows the stored form */
	admin.now = T_NOW + T_HOUR;
	T_OK(t, fnl_config_set(t->db, &admin, "calendar.workweek", "sat,mon,tue,wed,thu,fri"));
	T_OK(t, fnl_audit_list(t->db, &admin, 0, 1, &a, &n));
	assert_int_equal(n, 1);
	assert_true(a[0].id > id);
	assert_string_equal(a[0].entity_id, "calendar.workweek");
	assert_string_equal(a[0].before, "{\"value\":\"mon,tue,wed,thu,fri\"}");
	assert_string_equal(a[0].after, "{\"value\":\"mon,tue,wed,thu,fri,sat\"}");
	fnl_audit_free(a, n);

	/* users are audited too */
	admin.now = T_NOW + 2 * T_HOUR;
	struct fnl_user u;
	T_OK(t, fnl_user_add(t->db, &admin, "s1", "吴十", "sales", NULL, &u));
	struct fnl_user_change off = {NULL, NULL, NULL, 0};
	T_OK(t, fnl_user_edit(t->db, &admin, "s1", &off, NULL));
	T_OK(t, fnl_audit_list(t->db, &admin, 0, 2, &a, &n));
	assert_int_equal(n, 2);
	assert_string_equal(a[0].entity, "user");
	assert_string_equal(a[0].entity_id, "s1");
	assert_string_equal(a[0].action, "create");
	assert_null(a[0].before);
	json_t *af = parse(a[0].after);
	assert_json_str(af, "role", "sales");
	assert_json_str(af, "name", "吴十");
	assert_true(json_is_true(json_object_get(af, "active")));
	json_decref(af);
	assert_string_equal(a[1].action, "edit");
	json_t *bf = parse(a[1].before);
	af = parse(a[1].after);
	assert_true(json_is_true(json_object_get(bf, "active")));
	assert_true(json_is_false(json_object_get(af, "active")));
	json_decref(bf);
	json_decref(af);
	fnl_audit_free(a, n);
}

static void test_calendar_import_audited(void **state)
{
	struct tenv *t = *state;
	struct fnl_ctx admin = t_admin(t, T_NOW);
	static const char cal[] = "2026-12-01 holiday 测试假日\n2026-11-28 workday\n";
	size_t count;
	T_OK(t, fnl_calendar_import(t->db, &admin, cal, sizeof cal - 1, &count));
	assert_int_equal(count, 2);
	struct fnl_audit_entry *a;
	size_t n;
	T_OK(t, fnl_audit_list(t->db, &admin, 0, 1, &a, &n));
	assert_int_equal(n, 1);
	assert_string_equal(a[0].entity, "calendar");
	assert_string_equal(a[0].action, "import");
	assert_string_equal(a[0].after, "{\"entries\":2,\"from\":\"2026-11-28\",\"to\":\"2026-12-01\"}");
	fnl_audit_free(a, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_lead_trail),
		T_TEST(test_append_only),
		T_TEST(test_config_audited),
		T_TEST(test_calendar_import_audited),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
