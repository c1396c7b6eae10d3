/*
 * tests/unit/test_access.c - roles and access (SPEC §8, core/access.c): sales own leads, managers
 * their team's, marketing creates and reads up to qualify, after-sales won customers, only the
 * admin configures; reassignment by the admin or within a manager's team.
 *
 * The organisation: team east (manager m1, sales s1 and s2), team west (manager m2, sales s3),
 * marketing mk and after-sales af without a team. L1 belongs to s1, L2 to s2, L3 to s3, all
 * captured on Friday 2026-11-27 and still at acquire.
 */
#include "testutil.h"

struct org {
	int64_t m1, m2, s1, s2, s3, mk, af;
	int64_t l1, l2, l3;
};

static struct org org(struct tenv *t)
{
	struct org o;
	o.m1 = t_user(t, "m1", "manager", "east");
	o.s1 = t_user(t, "s1", "sales", "east");
	o.s2 = t_user(t, "s2", "sales", "east");
	o.m2 = t_user(t, "m2", "manager", "west");
	o.s3 = t_user(t, "s3", "sales", "west");
	o.mk = t_user(t, "mk", "marketing", NULL);
	o.af = t_user(t, "af", "aftersales", NULL);
	o.l1 = t_lead(t, T_FRI, "一号公司", "s1").id;
	o.l2 = t_lead(t, T_FRI + T_HOUR, "二号公司", "s2").id;
	o.l3 = t_lead(t, T_FRI + 2 * T_HOUR, "三号公司", "s3").id;
	return o;
}

/* The ids the actor sees in fnl_lead_list (default filter), newest capture first, into ids[]. */
static size_t visible(struct tenv *t, int64_t actor, int64_t *ids, size_t cap)
{
	struct fnl_ctx c = tctx(T_NOW, actor);
	struct fnl_lead *v;
	size_t n;
	T_OK(t, fnl_lead_list(t->db, &c, NULL, &v, &n));
	assert_true(n <= cap);
	for (size_t i = 0; i < n; i++)
		ids[i] = v[i].id;
	free(v);
	return n;
}

static void test_sales_own_only(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_ctx c = tctx(T_NOW, o.s1);
	struct fnl_lead out;
	T_OK(t, fnl_lead_get(t->db, &c, o.l1, &out));
	assert_string_equal(out.owner, "s1");
	T_RC(t, fnl_lead_get(t->db, &c, o.l2, &out), FNL_EPERM);
	assert_string_equal(fnl_errfield(t->db), "as");
	T_RC(t, fnl_lead_get(t->db, &c, o.l3, &out), FNL_EPERM);

	int64_t ids[8];
	assert_int_equal(visible(t, o.s1, ids, 8), 1);
	assert_int_equal(ids[0], o.l1);
	assert_int_equal(visible(t, o.s3, ids, 8), 1);
	assert_int_equal(ids[0], o.l3);

	/* no change to another's lead */
	T_RC(t, fnl_lead_score(t->db, &c, o.l2, 5, 5, 5, 5, &out), FNL_EPERM);
	T_RC(t, fnl_lead_move(t->db, &c, o.l2, "discover", "", &out), FNL_EPERM);
	T_RC(t, fnl_lead_lose(t->db, &c, o.l2, "price", "", &out), FNL_EPERM);
	struct fnl_lead_input ed = {0};
	ed.title = "总监";
	T_RC(t, fnl_lead_edit(t->db, &c, o.l2, &ed, &out), FNL_EPERM);
	struct fnl_activity_input call = {"call", "", "", 0};
	struct fnl_activity act;
	T_RC(t, fnl_activity_add(t->db, &c, o.l2, &call, &act), FNL_EPERM);
	struct fnl_stage_event *e;
	size_t n;
	T_RC(t, fnl_lead_events(t->db, &c, o.l2, &e, &n), FNL_EPERM);
	assert_null(e);
	assert_string_equal(t_get(t, o.l2).grade, "");

	/* but their own, yes */
	T_OK(t, fnl_lead_score(t->db, &c, o.l1, 5, 5, 5, 5, &out));
	assert_string_equal(out.grade, "A");
	T_OK(t, fnl_lead_edit(t->db, &c, o.l1, &ed, &out));
	assert_string_equal(out.title, "总监");
	T_OK(t, fnl_activity_add(t->db, &c, o.l1, &call, &act));

	/* a deactivated user can do nothing */
	struct fnl_ctx admin = t_admin(t, T_NOW);
	struct fnl_user_change off = {NULL, NULL, NULL, 0};
	T_OK(t, fnl_user_edit(t->db, &admin, "s1", &off, NULL));
	T_RC(t, fnl_lead_get(t->db, &c, o.l1, &out), FNL_EPERM);
	assert_string_equal(fnl_errfield(t->db), "as");
	/* nor can an unknown user id */
	struct fnl_ctx ghost = tctx(T_NOW, 999);
	T_RC(t, fnl_lead_get(t->db, &ghost, o.l1, &out), FNL_EPERM);
}

static void test_manager_team(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	int64_t ids[8];
	/* newest capture first: L2 (11:00) then L1 (10:00) */
	assert_int_equal(visible(t, o.m1, ids, 8), 2);
	assert_int_equal(ids[0], o.l2);
	assert_int_equal(ids[1], o.l1);
	assert_int_equal(visible(t, o.m2, ids, 8), 1);
	assert_int_equal(ids[0], o.l3);
	assert_int_equal(visible(t, t->admin, ids, 8), 3);

	struct fnl_ctx c = tctx(T_NOW, o.m1);
	struct fnl_lead out;
	T_OK(t, fnl_lead_get(t->db, &c, o.l1, &out));
	T_RC(t, fnl_lead_get(t->db, &c, o.l3, &out), FNL_EPERM);
	/* a manager may work on the team's leads */
	T_OK(t, fnl_lead_score(t->db, &c, o.l2, 2, 2, 2, 2, &out));
	assert_string_equal(out.grade, "B");
	T_RC(t, fnl_lead_score(t->db, &c, o.l3, 2, 2, 2, 2, &out), FNL_EPERM);

	/* queues: the team's, not another team's; a sales user only their own */
	struct fnl_queue_item *q;
	size_t n;
	T_OK(t, fnl_queue(t->db, &c, "s1", &q, &n));
	assert_int_equal(n, 1);
	assert_int_equal(q[0].lead_id, o.l1);
	assert_string_equal(q[0].action, "qualify");
	free(q);
	T_RC(t, fnl_queue(t->db, &c, "s3", &q, &n), FNL_EPERM);
	struct fnl_ctx s1 = tctx(T_NOW, o.s1);
	T_RC(t, fnl_queue(t->db, &s1, "s2", &q, &n), FNL_EPERM);
	T_OK(t, fnl_queue(t->db, &s1, NULL, &q, &n));
	assert_int_equal(n, 1);
	free(q);

	/* the audit of a team lead, not of another team's */
	struct fnl_audit_entry *a;
	T_OK(t, fnl_audit_list(t->db, &c, o.l2, 0, &a, &n));
	assert_int_equal(n, 2); /* create, score */
	fnl_audit_free(a, n);
	T_RC(t, fnl_audit_list(t->db, &c, o.l3, 0, &a, &n), FNL_EPERM);
}

static void test_marketing(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_ctx c = tctx(T_FRI + 3 * T_HOUR, o.mk);
	/* marketing adds leads (round-robin gives it to a sales user) */
	struct fnl_lead mine = t_lead_as(t, &c, "市场线索公司", "郑一", NULL);
	assert_string_equal(mine.status, "open");
	assert_string_equal(mine.owner, "s1"); /* the first active sales user */

	c.now = T_NOW;
	struct fnl_lead out;
	T_OK(t, fnl_lead_get(t->db, &c, o.l1, &out)); /* acquire: readable */
	/* but not changeable */
	T_RC(t, fnl_lead_score(t->db, &c, o.l1, 5, 5, 5, 5, &out), FNL_EPERM);
	struct fnl_lead_input ed = {0};
	ed.notes = "市场部备注";
	T_RC(t, fnl_lead_edit(t->db, &c, o.l1, &ed, &out), FNL_EPERM);
	struct fnl_activity_input call = {"call", "", "", 0};
	struct fnl_activity act;
	T_RC(t, fnl_activity_add(t->db, &c, o.l1, &call, &act), FNL_EPERM);
	T_RC(t, fnl_lead_move(t->db, &c, o.l1, "qualify", "", &out), FNL_EPERM);
	T_RC(t, fnl_lead_lose(t->db, &c, o.l1, "price", "", &out), FNL_EPERM);
	T_RC(t, fnl_lead_assign(t->db, &c, o.l1, "s2", "", &out), FNL_EPERM);

	/* qualify: still readable; discover: not */
	t_score(t, o.l1, T_NOW, 3, 3, 3, 3);
	T_OK(t, fnl_lead_get(t->db, &c, o.l1, &out));
	assert_string_equal(out.stage, "qualify");
	struct fnl_ctx sys = t_sys(T_NOW);
	T_OK(t, fnl_lead_move(t->db, &sys, o.l2, "discover", "", &out));
	T_RC(t, fnl_lead_get(t->db, &c, o.l2, &out), FNL_EPERM);

	int64_t ids[8];
	size_t n = visible(t, o.mk, ids, 8);
	assert_int_equal(n, 3); /* its own lead, L3 (acquire), L1 (qualify); not L2 */
	assert_int_equal(ids[0], mine.id);
	assert_int_equal(ids[1], o.l3);
	assert_int_equal(ids[2], o.l1);
}

static void test_aftersales(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_ctx c = tctx(T_NOW, o.af);
	struct fnl_lead out;
	T_RC(t, fnl_lead_get(t->db, &c, o.l1, &out), FNL_EPERM);
	int64_t ids[8];
	assert_int_equal(visible(t, o.af, ids, 8), 0);

	struct fnl_ctx sys = t_sys(T_NOW);
	/* won through its deal, the stage gates passed (needs list, solution, deal) */
	t_ready_for(t, o.l1, "won");
	T_OK(t, fnl_lead_get(t->db, &c, o.l1, &out));
	assert_string_equal(out.status, "won");
	assert_int_equal(visible(t, o.af, ids, 8), 1);
	assert_int_equal(ids[0], o.l1);
	/* after-sales care on a won customer */
	struct fnl_activity_input care = {"aftersales", "回访", "满意", 0};
	struct fnl_activity act;
	T_OK(t, fnl_activity_add(t->db, &c, o.l1, &care, &act));
	assert_string_equal(act.user, "af");
	/* after-sales does not capture leads */
	struct fnl_lead_input in = {0};
	in.company = "售后公司";
	in.contact = "某";
	in.phone = "13952100700";
	in.channel = "website";
	int result;
	int64_t rid;
	T_RC(t, fnl_lead_add(t->db, &c, &in, &result, &out, &rid), FNL_EPERM);
	/* a lost lead is not a customer */
	T_OK(t, fnl_lead_lose(t->db, &sys, o.l2, "price", "", &out));
	T_RC(t, fnl_lead_get(t->db, &c, o.l2, &out), FNL_EPERM);
}

static void test_admin_only(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	const int64_t others[] = {o.m1, o.s1, o.mk, o.af};
	static const char cal[] = "2026-12-01 holiday\n";
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		struct fnl_ctx c = tctx(T_NOW, others[i]);
		size_t count;
		T_RC(t, fnl_config_set(t->db, &c, "sla.a_hours", "24"), FNL_EPERM);
		T_RC(t, fnl_user_add(t->db, &c, "newbie", "新人", "sales", "east", NULL), FNL_EPERM);
		T_RC(t, fnl_user_edit(t->db, &c, "s2", &(struct fnl_user_change){NULL, "manager", NULL, -1}, NULL),
		     FNL_EPERM);
		T_RC(t, fnl_channel_add(t->db, &c, "wechat_ads", "微信广告", "WeChat ads", "online"), FNL_EPERM);
		T_RC(t, fnl_reason_add(t->db, &c, "merger", "被收购", "Acquired"), FNL_EPERM);
		T_RC(t, fnl_stage_edit(t->db, &c, "qualify", "筛选", NULL, -1), FNL_EPERM);
		T_RC(t, fnl_calendar_import(t->db, &c, cal, sizeof cal - 1, &count), FNL_EPERM);
	}
	char buf[16];
	assert_int_equal(fnl_config_get(t->db, "sla.a_hours", buf, sizeof buf), FNL_OK);
	assert_string_equal(buf, "48");
	struct fnl_user u;
	assert_int_equal(fnl_user_get(t->db, "newbie", &u), FNL_ENOTFOUND);

	struct fnl_ctx admin = t_admin(t, T_NOW);
	T_OK(t, fnl_config_set(t->db, &admin, "sla.a_hours", "24"));
	T_OK(t, fnl_user_add(t->db, &admin, "newbie", "新人", "sales", "east", &u));
	assert_string_equal(u.team, "east");
	assert_int_equal(u.active, 1);
	T_OK(t, fnl_channel_add(t->db, &admin, "wechat_ads", "微信广告", "WeChat ads", "online"));
	T_OK(t, fnl_reason_add(t->db, &admin, "merger", "被收购", "Acquired"));
	size_t count;
	T_OK(t, fnl_calendar_import(t->db, &admin, cal, sizeof cal - 1, &count));
	assert_int_equal(count, 1);
	struct fnl_lead l = t_lead_as(t, &admin, "新渠道公司", "某", NULL);
	assert_string_equal(l.owner, "s1"); /* round-robin from the first sales user */
	(void)o;
}

static void test_reassign(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	t_score(t, o.l1, T_FRI + T_HOUR, 5, 5, 5, 5); /* an open follow-up task owned by s1 */
	struct fnl_ctx m1 = tctx(T_NOW, o.m1);
	struct fnl_lead out;
	T_OK(t, fnl_lead_assign(t->db, &m1, o.l1, "s2", "s1 出差", &out));
	assert_string_equal(out.owner, "s2");
	assert_int_equal(out.owner_id, o.s2);
	/* the open task followed */
	struct fnl_task *v;
	size_t n;
	T_OK(t, fnl_lead_tasks(t->db, &m1, o.l1, &v, &n));
	assert_int_equal(n, 1);
	assert_string_equal(v[0].owner, "s2");
	free(v);
	struct fnl_owner_event *e;
	T_OK(t, fnl_lead_owner_events(t->db, &m1, o.l1, &e, &n));
	assert_int_equal(n, 1);
	assert_string_equal(e[0].from, "s1");
	assert_string_equal(e[0].to, "s2");
	assert_string_equal(e[0].user, "m1");
	assert_string_equal(e[0].note, "s1 出差");
	assert_int_equal(e[0].at, T_NOW);
	free(e);
	/* s1 no longer sees it, s2 does */
	int64_t ids[8];
	assert_int_equal(visible(t, o.s1, ids, 8), 0);
	assert_int_equal(visible(t, o.s2, ids, 8), 2);

	/* not outside the team, not another team's lead, not to the same owner */
	T_RC(t, fnl_lead_assign(t->db, &m1, o.l1, "s3", "", &out), FNL_EPERM);
	assert_string_equal(fnl_errfield(t->db), "owner");
	T_RC(t, fnl_lead_assign(t->db, &m1, o.l3, "s1", "", &out), FNL_EPERM);
	T_RC(t, fnl_lead_assign(t->db, &m1, o.l1, "s2", "", &out), FNL_ESTATE);
	T_RC(t, fnl_lead_assign(t->db, &m1, o.l1, "mk", "", &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "owner");
	T_RC(t, fnl_lead_assign(t->db, &m1, o.l1, "nobody", "", &out), FNL_EINVAL);
	/* a sales user cannot reassign, not even their own lead */
	struct fnl_ctx s2 = tctx(T_NOW, o.s2);
	T_RC(t, fnl_lead_assign(t->db, &s2, o.l1, "s1", "", &out), FNL_EPERM);
	T_RC(t, fnl_lead_assign(t->db, &s2, o.l2, "s1", "", &out), FNL_EPERM);
	assert_string_equal(t_get(t, o.l2).owner, "s2");
	/* the admin across teams */
	struct fnl_ctx admin = t_admin(t, T_NOW + T_HOUR);
	T_OK(t, fnl_lead_assign(t->db, &admin, o.l3, "s1", "", &out));
	assert_string_equal(out.owner, "s1");
	/* the west manager now no longer sees it */
	struct fnl_ctx m2 = tctx(T_NOW + T_HOUR, o.m2);
	T_RC(t, fnl_lead_get(t->db, &m2, o.l3, &out), FNL_EPERM);
}

/* Records without an owner (invalid, merged) belong to no team: a team's manager does not see them,
 * nor their contact data; a manager without a team, the admin and marketing (up to qualify) do. */
static void test_unowned_records(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	int64_t boss = t_user(t, "boss", "manager", NULL);
	struct fnl_ctx sys = t_sys(T_NOW);
	struct fnl_lead_input in = {0};
	in.company = "无效公司";
	in.contact = "某";
	in.phone = "13800138000"; /* block-listed: stored as invalid, with no owner */
	in.channel = "website";
	int result;
	int64_t bad, dup;
	struct fnl_lead out;
	T_OK(t, fnl_lead_add(t->db, &sys, &in, &result, &out, &bad));
	assert_int_equal(result, FNL_ADD_INVALID);
	assert_int_equal(out.owner_id, 0);
	in.company = "一号公司";
	in.phone = t_get(t, o.l1).phone; /* a re-inquiry on s1's lead: a merged record, no owner */
	T_OK(t, fnl_lead_add(t->db, &sys, &in, &result, &out, &dup));
	assert_int_equal(result, FNL_ADD_MERGED);

	struct fnl_lead_filter all = {0};
	all.status = "all";
	const int64_t managers[] = {o.m1, o.m2};
	for (size_t i = 0; i < 2; i++) {
		struct fnl_ctx c = tctx(T_NOW, managers[i]);
		T_RC(t, fnl_lead_get(t->db, &c, bad, &out), FNL_EPERM);
		T_RC(t, fnl_lead_get(t->db, &c, dup, &out), FNL_EPERM);
		struct fnl_lead *v;
		size_t n;
		T_OK(t, fnl_lead_list(t->db, &c, &all, &v, &n));
		for (size_t k = 0; k < n; k++)
			assert_int_not_equal(v[k].owner_id, 0);
		assert_int_equal(n, i == 0 ? 2 : 1); /* the team's own leads only */
		free(v);
		struct fnl_audit_entry *a;
		T_OK(t, fnl_audit_list(t->db, &c, 0, 0, &a, &n));
		for (size_t k = 0; k < n; k++)
			assert_true(a[k].lead_id != bad && a[k].lead_id != dup);
		fnl_audit_free(a, n);
	}
	const int64_t others[] = {boss, t->admin, o.mk};
	for (size_t i = 0; i < 3; i++) {
		struct fnl_ctx c = tctx(T_NOW, others[i]);
		T_OK(t, fnl_lead_get(t->db, &c, bad, &out));
		assert_string_equal(out.phone, "13800138000");
		T_OK(t, fnl_lead_get(t->db, &c, dup, &out));
	}
}

/* A duplicate of a lead the actor may not see is recorded, and the actor learns the lead's id, not
 * what it holds; one the actor may see comes back whole. */
static void test_duplicate_of_hidden_lead(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_ctx sys = t_sys(T_NOW);
	struct fnl_lead_input ed = {0};
	ed.email = "li@east.example.com";
	ed.notes = "预算已批";
	struct fnl_lead l1;
	T_OK(t, fnl_lead_edit(t->db, &sys, o.l1, &ed, &l1));
	T_OK(t, fnl_lead_move(t->db, &sys, o.l1, "discover", "", &l1));

	struct fnl_lead_input in = {0};
	in.company = "别的公司";
	in.contact = "别人";
	in.phone = l1.phone;
	in.channel = "website";
	/* those who may not see the lead get its id and status only; its owner and the team's manager
	 * get the lead */
	const struct {
		int64_t actor;
		int sees;
	} actors[] = {{o.s3, 0}, {o.m2, 0}, {o.mk, 0}, {o.s1, 1}, {o.m1, 1}};
	for (size_t i = 0; i < sizeof actors / sizeof actors[0]; i++) {
		struct fnl_ctx c = tctx(T_NOW, actors[i].actor);
		int result;
		int64_t rid;
		struct fnl_lead out;
		T_OK(t, fnl_lead_add(t->db, &c, &in, &result, &out, &rid));
		assert_int_equal(result, FNL_ADD_MERGED);
		assert_int_equal(out.id, o.l1);
		if (actors[i].sees) {
			assert_string_equal(out.email, "li@east.example.com");
			assert_string_equal(out.stage, "discover");
			continue;
		}
		assert_string_equal(out.status, "open");
		assert_string_equal(out.company, "");
		assert_string_equal(out.contact, "");
		assert_string_equal(out.phone, "");
		assert_string_equal(out.email, "");
		assert_string_equal(out.notes, "");
		assert_string_equal(out.owner, "");
		assert_string_equal(out.stage, "");
	}
	/* every duplicate was recorded on the lead */
	struct fnl_activity *v;
	size_t n;
	T_OK(t, fnl_activity_list(t->db, &sys, o.l1, &v, &n));
	size_t re = 0;
	for (size_t k = 0; k < n; k++)
		re += strcmp(v[k].kind, "re_inquiry") == 0;
	free(v);
	assert_int_equal(re, 5);
}

/* The leads at the first stage in stage list, as each actor counts them (all at acquire). */
static int64_t first_stage_count(struct tenv *t, int64_t actor)
{
	struct fnl_ctx c = tctx(T_NOW, actor);
	struct fnl_stage *s;
	size_t n;
	T_OK(t, fnl_stage_list(t->db, &c, &s, &n));
	assert_true(n > 1);
	int64_t at = s[0].n_at;
	assert_int_equal(s[0].n_reached, at);
	assert_int_equal(s[1].n_at, 0);
	free(s);
	return at;
}

/* stage list counts what the actor sees in reports: it is a small funnel */
static void test_stage_counts(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	assert_int_equal(first_stage_count(t, 0), 3);
	assert_int_equal(first_stage_count(t, t_user(t, "boss", "manager", NULL)), 3);
	assert_int_equal(first_stage_count(t, o.mk), 3);
	assert_int_equal(first_stage_count(t, o.m1), 2);
	assert_int_equal(first_stage_count(t, o.m2), 1);
	assert_int_equal(first_stage_count(t, o.s1), 1);
	assert_int_equal(first_stage_count(t, o.af), 0);
	/* without a context the stages come without counts */
	struct fnl_stage *s;
	size_t n;
	T_OK(t, fnl_stage_list(t->db, NULL, &s, &n));
	assert_int_equal(s[0].n_at, 0);
	assert_int_equal(s[0].n_reached, 0);
	free(s);
}

/* A backup holds every lead with its contact data: the admin's (and the system's) only. */
static void test_backup_admin_only(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	char path[160];
	snprintf(path, sizeof path, "%s/copy.db", t->dir);
	const int64_t others[] = {o.m1, o.s1, o.mk, o.af};
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		struct fnl_ctx c = tctx(T_NOW, others[i]);
		T_RC(t, fnl_db_backup(t->db, &c, path), FNL_EPERM);
		assert_string_equal(fnl_errfield(t->db), "as");
		assert_int_equal(access(path, F_OK), -1);
	}
	struct fnl_ctx admin = t_admin(t, T_NOW);
	T_OK(t, fnl_db_backup(t->db, &admin, path));
	assert_int_equal(access(path, F_OK), 0);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_sales_own_only),
		T_TEST(test_manager_team),
		T_TEST(test_marketing),
		T_TEST(test_aftersales),
		T_TEST(test_admin_only),
		T_TEST(test_reassign),
		T_TEST(test_unowned_records),
		T_TEST(test_duplicate_of_hidden_lead),
		T_TEST(test_backup_admin_only),
		T_TEST(test_stage_counts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
