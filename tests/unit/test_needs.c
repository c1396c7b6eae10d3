/*
 * tests/unit/test_needs.c - needs discovery and the customer needs list (SPEC §5, core/needs.c,
 * core/discovery.c, core/solution.c): versions (a draft until the customer confirms it; an edit of
 * a confirmed version starts the next one, a copy, unconfirmed), need numbers kept through the
 * versions and never reused, the confirmation (who, when, how), the database refusing changes to a
 * confirmed version, the errors naming the field, and solution items tied to needs by number.
 *
 * Sales user s1 (team east) owns the leads, scored B on Friday 2026-11-27 and worked on Sunday
 * 2026-11-29 from 08:00+08:00, an hour a step (T1 .. T5).
 */
#include "testutil.h"

#include "snapshot.h"

#define T1 (T_NOW - 2 * T_HOUR)
#define T2 (T_NOW - T_HOUR)
#define T3 T_NOW
#define T4 (T_NOW + T_HOUR)
#define T5 (T_NOW + 2 * T_HOUR)

static struct fnl_lead qualified(struct tenv *t, const char *company, const char *owner)
{
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, company, owner);
	return t_score(t, l.id, T_FRI, 2, 2, 2, 2);
}

static void assert_need(const struct fnl_need *n, int num, const char *text, int priority)
{
	assert_int_equal(n->num, num);
	assert_string_equal(n->text, text);
	assert_int_equal(n->priority, priority);
}

static void test_versions(void **state)
{
	struct tenv *t = *state;
	int64_t s1 = t_user(t, "s1", "sales", "east");
	struct fnl_lead l = qualified(t, "版本科技有限公司", "s1");
	struct fnl_ctx c = tctx(T1, s1);
	struct fnl_needs nd;

	/* nothing yet */
	T_OK(t, fnl_needs_get(t->db, &c, l.id, 0, &nd));
	assert_int_equal(nd.version, 0);
	assert_int_equal(nd.n, 0);
	assert_null(nd.items);
	T_RC(t, fnl_needs_confirmed(t->db, &c, l.id, &nd), FNL_ENOTFOUND);
	struct fnl_needs *h;
	size_t nh;
	T_OK(t, fnl_needs_history(t->db, &c, l.id, &h, &nh));
	assert_int_equal(nh, 0);
	free(h);

	struct fnl_spin sp;
	T_OK(t, fnl_spin_add(t->db, &c, l.id, "P", "线索怎么分配？", "手工分，常漏", &sp));
	assert_string_equal(sp.kind, "P");
	assert_string_equal(sp.user, "s1");

	/* N1 starts version 1, a draft */
	T_OK(t, fnl_needs_add(t->db, &c, l.id, "统一管理各渠道线索", 1, &sp.id, 1, &nd));
	assert_int_equal(nd.lead_id, l.id);
	assert_int_equal(nd.version, 1);
	assert_int_equal(nd.created_at, T1);
	assert_string_equal(nd.created_by, "s1");
	assert_int_equal(nd.confirmed_at, 0);
	assert_int_equal(nd.n, 1);
	assert_need(&nd.items[0], 1, "统一管理各渠道线索", 1);
	assert_int_equal(nd.items[0].n_spin, 1);
	assert_int_equal(nd.items[0].spin[0], sp.id);
	fnl_needs_free(&nd);
	assert_null(nd.items);
	T_OK(t, fnl_needs_add(t->db, &c, l.id, "自动提醒跟进", 2, NULL, 0, &nd));
	assert_int_equal(nd.version, 1);
	assert_int_equal(nd.n, 2);
	assert_need(&nd.items[1], 2, "自动提醒跟进", 2);
	fnl_needs_free(&nd);

	/* an edit of the draft stays in version 1: priority only, the text stays */
	T_OK(t, fnl_needs_edit(t->db, &c, l.id, 2, NULL, 3, NULL, 0, &nd));
	assert_int_equal(nd.version, 1);
	assert_int_equal(nd.n, 2);
	assert_need(&nd.items[1], 2, "自动提醒跟进", 3);
	assert_int_equal(nd.items[0].n_spin, 1); /* spin NULL: links kept */
	fnl_needs_free(&nd);
	T_OK(t, fnl_needs_history(t->db, &c, l.id, &h, &nh));
	assert_int_equal(nh, 1);
	fnl_needs_free(&h[0]);
	free(h);
	T_RC(t, fnl_needs_confirmed(t->db, &c, l.id, &nd), FNL_ENOTFOUND);

	/* confirmed at T2 by the lead's contact (0), by phone */
	c.now = T2;
	T_OK(t, fnl_needs_confirm(t->db, &c, l.id, 0, "phone", 0, &nd));
	assert_int_equal(nd.version, 1);
	assert_int_equal(nd.confirmed_at, T2);
	assert_int_equal(nd.confirmed_contact, 0);
	assert_string_equal(nd.confirmed_name, "张伟");
	assert_string_equal(nd.confirmed_how, "phone");
	assert_string_equal(nd.recorded_by, "s1");
	fnl_needs_free(&nd);
	/* confirming it again is refused */
	T_RC(t, fnl_needs_confirm(t->db, &c, l.id, 0, "email", 0, &nd), FNL_ESTATE);

	/* an edit at T3 starts version 2, unconfirmed, with the items copied (numbers kept) */
	c.now = T3;
	T_OK(t, fnl_needs_edit(t->db, &c, l.id, 1, "统一管理全部渠道线索", 0, NULL, 0, &nd));
	assert_int_equal(nd.version, 2);
	assert_int_equal(nd.created_at, T3);
	assert_int_equal(nd.confirmed_at, 0);
	assert_string_equal(nd.confirmed_name, "");
	assert_int_equal(nd.n, 2);
	assert_need(&nd.items[0], 1, "统一管理全部渠道线索", 1);
	assert_int_equal(nd.items[0].n_spin, 1);
	assert_int_equal(nd.items[0].spin[0], sp.id);
	assert_need(&nd.items[1], 2, "自动提醒跟进", 3);
	fnl_needs_free(&nd);

	/* history: v1 confirmed and unchanged, v2 not confirmed */
	T_OK(t, fnl_needs_history(t->db, &c, l.id, &h, &nh));
	assert_int_equal(nh, 2);
	assert_int_equal(h[0].version, 1);
	assert_int_equal(h[0].confirmed_at, T2);
	assert_int_equal(h[0].created_at, T1);
	assert_int_equal(h[0].n, 2);
	assert_need(&h[0].items[0], 1, "统一管理各渠道线索", 1);
	assert_need(&h[0].items[1], 2, "自动提醒跟进", 3);
	assert_int_equal(h[1].version, 2);
	assert_int_equal(h[1].confirmed_at, 0);
	assert_need(&h[1].items[0], 1, "统一管理全部渠道线索", 1);
	for (size_t i = 0; i < nh; i++)
		fnl_needs_free(&h[i]);
	free(h);

	/* the confirmed list is still v1 */
	T_OK(t, fnl_needs_confirmed(t->db, &c, l.id, &nd));
	assert_int_equal(nd.version, 1);
	assert_need(&nd.items[0], 1, "统一管理各渠道线索", 1);
	fnl_needs_free(&nd);
	T_OK(t, fnl_needs_get(t->db, &c, l.id, 1, &nd));
	assert_int_equal(nd.confirmed_at, T2);
	fnl_needs_free(&nd);
	T_RC(t, fnl_needs_get(t->db, &c, l.id, 3, &nd), FNL_ENOTFOUND);
	assert_string_equal(fnl_errfield(t->db), "version");

	/* more changes go to the same draft */
	c.now = T4;
	T_OK(t, fnl_needs_add(t->db, &c, l.id, "移动端审批", 2, NULL, 0, &nd));
	assert_int_equal(nd.version, 2);
	assert_int_equal(nd.n, 3);
	assert_need(&nd.items[2], 3, "移动端审批", 2);
	fnl_needs_free(&nd);
	T_OK(t, fnl_needs_remove(t->db, &c, l.id, 2, &nd));
	assert_int_equal(nd.version, 2);
	assert_int_equal(nd.n, 2);
	assert_int_equal(nd.items[0].num, 1);
	assert_int_equal(nd.items[1].num, 3);
	fnl_needs_free(&nd);

	/* v2 confirmed at T5 by a decision-chain contact, in a meeting an hour earlier */
	c.now = T5;
	struct fnl_contact li;
	T_OK(t, fnl_contact_add(t->db, &c, l.id, "李娜", "采购总监", "decision_maker", "13952100999",
				"li.na@example.com", "", &li));
	T_OK(t, fnl_needs_confirm(t->db, &c, l.id, li.id, "meeting", T4, &nd));
	assert_int_equal(nd.version, 2);
	assert_int_equal(nd.confirmed_at, T4);
	assert_int_equal(nd.confirmed_contact, li.id);
	assert_string_equal(nd.confirmed_name, "李娜");
	assert_string_equal(nd.confirmed_how, "meeting");
	fnl_needs_free(&nd);
	T_OK(t, fnl_needs_confirmed(t->db, &c, l.id, &nd));
	assert_int_equal(nd.version, 2);
	fnl_needs_free(&nd);
	/* v1 still has N2, v2 does not */
	T_OK(t, fnl_needs_get(t->db, &c, l.id, 1, &nd));
	assert_int_equal(nd.n, 2);
	assert_int_equal(nd.items[1].num, 2);
	fnl_needs_free(&nd);

	/* the audit log has each step, on "needs" "<lead>/v<version>" */
	struct fnl_ctx admin = t_admin(t, T5);
	struct fnl_audit_entry *a;
	size_t na;
	T_OK(t, fnl_audit_list(t->db, &admin, l.id, 0, &a, &na));
	static const char *const acts[] = {"add_need", "add_need", "edit_need", "confirm", "edit_need",
					   "add_need", "remove_need", "confirm"};
	static const char *const vers[] = {"/v1", "/v1", "/v1", "/v1", "/v2", "/v2", "/v2", "/v2"};
	size_t k = 0;
	for (size_t i = 0; i < na; i++) {
		if (strcmp(a[i].entity, "needs") != 0)
			continue;
		assert_true(k < 8);
		assert_string_equal(a[i].action, acts[k]);
		char id[48];
		snprintf(id, sizeof id, "%lld%s", (long long)l.id, vers[k]);
		assert_string_equal(a[i].entity_id, id);
		k++;
	}
	assert_int_equal(k, 8);
	fnl_audit_free(a, na);

	/* another user's lead is not the user's to change or read */
	int64_t s2 = t_user(t, "s2", "sales", "east");
	struct fnl_ctx c2 = tctx(T5, s2);
	T_RC(t, fnl_needs_add(t->db, &c2, l.id, "别人的", 1, NULL, 0, &nd), FNL_EPERM);
	T_RC(t, fnl_needs_get(t->db, &c2, l.id, 0, &nd), FNL_EPERM);
	T_RC(t, fnl_needs_history(t->db, &c2, l.id, &h, &nh), FNL_EPERM);
}

/* A confirmed version is frozen by the database itself: raw SQL on a second connection fails. */
static void test_confirmed_frozen_in_the_database(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = qualified(t, "冻结科技有限公司", NULL);
	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_spin sp;
	T_OK(t, fnl_spin_add(t->db, &c, l.id, "N", "省下多少时间？", "每周 8 小时", &sp));
	struct fnl_needs nd;
	T_OK(t, fnl_needs_add(t->db, &c, l.id, "统一管理", 1, &sp.id, 1, &nd));
	fnl_needs_free(&nd);
	T_OK(t, fnl_needs_confirm(t->db, &c, l.id, 0, "email", 0, &nd));
	fnl_needs_free(&nd);

	static const char *const refused[] = {
		"UPDATE need_item SET text = 'changed'",
		"UPDATE need_item SET priority = 3",
		"DELETE FROM need_item",
		"INSERT INTO need_item (version_id, num, text, priority) SELECT id, 9, 'sneaked in', 1 FROM needs_version",
		"UPDATE needs_version SET confirmed_at = NULL",
		"UPDATE needs_version SET confirmed_how = 'message'",
		"UPDATE needs_version SET confirmed_name = 'someone else'",
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		if (t_sql(t, refused[i]) != SQLITE_CONSTRAINT)
			fail_msg("the database let '%s' change a confirmed needs list", refused[i]);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM need_item WHERE text = '统一管理' AND priority = 1"), 1);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM need_item"), 1);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM needs_version WHERE confirmed_how = 'email'"), 1);

	/* a draft is not frozen: v2 can be changed the same way (so the checks above can fail) */
	T_OK(t, fnl_needs_edit(t->db, &c, l.id, 1, NULL, 2, NULL, 0, &nd));
	assert_int_equal(nd.version, 2);
	fnl_needs_free(&nd);
	assert_int_equal(t_sql(t, "UPDATE need_item SET priority = 3 WHERE version_id ="
				  " (SELECT id FROM needs_version WHERE version = 2)"), SQLITE_OK);
	T_OK(t, fnl_needs_get(t->db, &c, l.id, 1, &nd));
	assert_int_equal(nd.items[0].priority, 1);
	fnl_needs_free(&nd);
}

/* The SPIN answers behind a need are part of it (SPEC §5): a confirmed version's links and the
 * version row itself do not change either. */
static void test_confirmed_links_frozen(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = qualified(t, "冻结依据有限公司", NULL);
	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_spin sp, sp2;
	T_OK(t, fnl_spin_add(t->db, &c, l.id, "N", "省下多少时间？", "每周 8 小时", &sp));
	T_OK(t, fnl_spin_add(t->db, &c, l.id, "I", "漏掉线索损失多大？", "每月几单", &sp2));
	struct fnl_needs nd;
	T_OK(t, fnl_needs_add(t->db, &c, l.id, "统一管理", 1, &sp.id, 1, &nd));
	fnl_needs_free(&nd);
	T_OK(t, fnl_needs_confirm(t->db, &c, l.id, 0, "email", 0, &nd));
	fnl_needs_free(&nd);
	char sql[160];
	snprintf(sql, sizeof sql, "INSERT INTO need_spin (item_id, spin_id) SELECT id, %lld FROM need_item",
		 (long long)sp2.id);
	const char *const refused[] = {
		"DELETE FROM need_spin",
		sql,
		"DELETE FROM needs_version",
	};
	char let[512] = "";
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
		if (t_sql(t, refused[i]) != SQLITE_CONSTRAINT)
			snprintf(let + strlen(let), sizeof let - strlen(let), "%s'%s'", let[0] ? ", " : "", refused[i]);
	if (let[0])
		fail_msg("the database let these change a confirmed needs list: %s", let);
	T_OK(t, fnl_needs_get(t->db, &c, l.id, 1, &nd));
	assert_int_equal(nd.n, 1);
	assert_int_equal(nd.items[0].n_spin, 1);
	assert_int_equal(nd.items[0].spin[0], sp.id);
	fnl_needs_free(&nd);
}

static void test_needs_errors(void **state)
{
	struct tenv *t = *state;
	int64_t s1 = t_user(t, "s1", "sales", "east");
	struct fnl_lead l = qualified(t, "错误科技有限公司", "s1");
	struct fnl_lead other = qualified(t, "别家科技有限公司", "s1");
	struct fnl_ctx c = tctx(T_NOW, s1);
	struct fnl_needs nd;
	struct fnl_spin theirs, mine;
	T_OK(t, fnl_spin_add(t->db, &c, other.id, "S", "几个销售？", "五个", &theirs));
	T_OK(t, fnl_spin_add(t->db, &c, l.id, "S", "几个渠道？", "六个", &mine));

	/* confirming with no list, then with an empty one */
	EXPECT_UNCHANGED(t, fnl_needs_confirm(t->db, &c, l.id, 0, "phone", 0, &nd), FNL_ESTATE);
	T_OK(t, fnl_needs_add(t->db, &c, l.id, "临时需求", 2, NULL, 0, &nd));
	fnl_needs_free(&nd);
	T_OK(t, fnl_needs_remove(t->db, &c, l.id, 1, &nd));
	assert_int_equal(nd.version, 1);
	assert_int_equal(nd.n, 0);
	fnl_needs_free(&nd);
	EXPECT_UNCHANGED(t, fnl_needs_confirm(t->db, &c, l.id, 0, "phone", 0, &nd), FNL_ESTATE);
	assert_non_null(strstr(fnl_errmsg(t->db), "empty"));

	/* refused values name the field */
	struct {
		const char *text;
		int priority;
		int64_t spin;
		const char *field;
	} bad[] = {
		{"统一管理", 0, 0, "priority"},  /* required when adding */
		{"统一管理", 4, 0, "priority"},
		{"统一管理", -1, 0, "priority"},
		{"", 1, 0, "text"},
		{"   ", 1, 0, "text"},
		{NULL, 1, 0, "text"},
		{"统一管理", 1, 4242, "spin"},  /* no such SPIN entry */
		{"统一管理", 1, -1, "spin"},
		{"统一管理", 1, 0, "spin"},     /* the other lead's, set below */
	};
	bad[8].spin = theirs.id;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		EXPECT_UNCHANGED(t, fnl_needs_add(t->db, &c, l.id, bad[i].text, bad[i].priority,
						  bad[i].spin ? &bad[i].spin : NULL, bad[i].spin ? 1 : 0, &nd),
				 FNL_EINVAL);
		if (strcmp(fnl_errfield(t->db), bad[i].field) != 0)
			fail_msg("case %zu: field '%s', expected '%s' (%s)", i, fnl_errfield(t->db), bad[i].field,
				 fnl_errmsg(t->db));
		/* the message starts with the field */
		assert_true(strncmp(fnl_errmsg(t->db), bad[i].field, strlen(bad[i].field)) == 0);
	}
	int64_t nine[9];
	for (size_t i = 0; i < 9; i++)
		nine[i] = mine.id;
	EXPECT_UNCHANGED(t, fnl_needs_add(t->db, &c, l.id, "统一管理", 1, nine, 9, &nd), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "spin");

	T_OK(t, fnl_needs_add(t->db, &c, l.id, "统一管理", 1, &mine.id, 1, &nd));
	assert_int_equal(nd.n, 1);
	int num = nd.items[0].num; /* the numbering is test_need_numbers_never_reused's */
	fnl_needs_free(&nd);
	EXPECT_UNCHANGED(t, fnl_needs_edit(t->db, &c, l.id, num, NULL, 5, NULL, 0, &nd), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "priority");
	EXPECT_UNCHANGED(t, fnl_needs_edit(t->db, &c, l.id, num, "", 0, NULL, 0, &nd), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "text");
	EXPECT_UNCHANGED(t, fnl_needs_edit(t->db, &c, l.id, num, NULL, 0, &theirs.id, 1, &nd), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "spin");
	EXPECT_UNCHANGED(t, fnl_needs_edit(t->db, &c, l.id, 7, "改", 0, NULL, 0, &nd), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "need");
	EXPECT_UNCHANGED(t, fnl_needs_remove(t->db, &c, l.id, 7, &nd), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "need");

	/* confirmation: how, contact, at */
	struct fnl_contact theirs_c;
	T_OK(t, fnl_contact_add(t->db, &c, other.id, "赵六", "", "user", "", "", "", &theirs_c));
	static const char *const bad_how[] = {"fax", "", "Phone", "phone "};
	for (size_t i = 0; i < sizeof bad_how / sizeof bad_how[0]; i++) {
		EXPECT_UNCHANGED(t, fnl_needs_confirm(t->db, &c, l.id, 0, bad_how[i], 0, &nd), FNL_EINVAL);
		assert_string_equal(fnl_errfield(t->db), "how");
	}
	EXPECT_UNCHANGED(t, fnl_needs_confirm(t->db, &c, l.id, 0, NULL, 0, &nd), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "how");
	EXPECT_UNCHANGED(t, fnl_needs_confirm(t->db, &c, l.id, 4242, "phone", 0, &nd), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "contact");
	EXPECT_UNCHANGED(t, fnl_needs_confirm(t->db, &c, l.id, theirs_c.id, "phone", 0, &nd), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "contact");
	EXPECT_UNCHANGED(t, fnl_needs_confirm(t->db, &c, l.id, 0, "phone", T_NOW + 1, &nd), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "at");
	/* exactly now is fine: the edge */
	T_OK(t, fnl_needs_confirm(t->db, &c, l.id, 0, "message", T_NOW, &nd));
	assert_int_equal(nd.confirmed_at, T_NOW);
	assert_string_equal(nd.confirmed_how, "message");
	fnl_needs_free(&nd);

	/* only open leads */
	struct fnl_lead lost;
	T_OK(t, fnl_lead_lose(t->db, &c, other.id, "price", "", &lost));
	EXPECT_UNCHANGED(t, fnl_needs_add(t->db, &c, other.id, "统一管理", 1, NULL, 0, &nd), FNL_ESTATE);
	T_RC(t, fnl_needs_add(t->db, &c, 4242, "统一管理", 1, NULL, 0, &nd), FNL_ENOTFOUND);
}

/* A need's number names it on the lead for good (solution items refer to it): never given again. */
static void test_need_numbers_never_reused(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = qualified(t, "编号科技有限公司", NULL);
	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_needs nd;
	static const char *const texts[] = {"需求一", "需求二", "需求三"};
	for (int i = 0; i < 3; i++) {
		T_OK(t, fnl_needs_add(t->db, &c, l.id, texts[i], 2, NULL, 0, &nd));
		assert_int_equal(nd.items[i].num, i + 1);
		fnl_needs_free(&nd);
	}
	/* removed in the draft, the highest: N3 is not given again */
	T_OK(t, fnl_needs_remove(t->db, &c, l.id, 3, &nd));
	fnl_needs_free(&nd);
	T_OK(t, fnl_needs_add(t->db, &c, l.id, "需求四", 2, NULL, 0, &nd));
	assert_int_equal(nd.version, 1);
	assert_int_equal(nd.n, 3);
	assert_int_equal(nd.items[0].num, 1);
	assert_int_equal(nd.items[1].num, 2);
	int got = nd.items[2].num;
	fnl_needs_free(&nd);
	if (got != 4)
		fail_msg("need '需求四' got number N%d; N3 was given to '需求三' and removed, expected N4", got);
	T_OK(t, fnl_needs_confirm(t->db, &c, l.id, 0, "phone", 0, &nd));
	fnl_needs_free(&nd);
	/* removed in v2 (still in v1): the next need is N5 */
	T_OK(t, fnl_needs_remove(t->db, &c, l.id, 4, &nd));
	assert_int_equal(nd.version, 2);
	fnl_needs_free(&nd);
	T_OK(t, fnl_needs_add(t->db, &c, l.id, "需求五", 1, NULL, 0, &nd));
	assert_int_equal(nd.version, 2);
	assert_int_equal(nd.n, 3);
	assert_int_equal(nd.items[2].num, 5);
	assert_string_equal(nd.items[2].text, "需求五");
	fnl_needs_free(&nd);
}

/* An edit that says what the newest version says already changes nothing: a confirmed version
 * stays confirmed, no version is started, nothing is audited. */
static void test_edit_changing_nothing(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = qualified(t, "原样科技有限公司", NULL);
	struct fnl_ctx c = t_sys(T1);
	struct fnl_needs nd;
	struct fnl_spin sp, sp2;
	T_OK(t, fnl_spin_add(t->db, &c, l.id, "P", "线索怎么分配？", "手工分，常漏", &sp));
	T_OK(t, fnl_spin_add(t->db, &c, l.id, "N", "省下多少时间？", "每周 8 小时", &sp2));
	const int64_t both[] = {sp2.id, sp.id, sp.id}, one[] = {sp.id};
	T_OK(t, fnl_needs_add(t->db, &c, l.id, "统一分配线索", 1, both, 2, &nd));
	fnl_needs_free(&nd);
	T_OK(t, fnl_needs_confirm(t->db, &c, l.id, 0, "meeting", 0, &nd));
	fnl_needs_free(&nd);

	struct fnl_ctx later = t_sys(T2);
	char *before = snapshot(t);
	T_OK(t, fnl_needs_edit(t->db, &later, l.id, 1, "统一分配线索", 0, NULL, 0, &nd));
	assert_int_equal(nd.version, 1);
	assert_true(nd.confirmed_at > 0);
	fnl_needs_free(&nd);
	T_OK(t, fnl_needs_edit(t->db, &later, l.id, 1, "  统一分配线索 ", 1, NULL, 0, &nd));
	fnl_needs_free(&nd);
	T_OK(t, fnl_needs_edit(t->db, &later, l.id, 1, NULL, 1, both, 3, &nd)); /* same set, in another order */
	assert_int_equal(nd.version, 1);
	fnl_needs_free(&nd);
	char *after = snapshot(t);
	assert_string_equal(before, after);
	free(before);
	free(after);

	/* a real change still starts v2, a copy, unconfirmed: one SPIN entry fewer */
	T_OK(t, fnl_needs_edit(t->db, &later, l.id, 1, NULL, 0, one, 1, &nd));
	assert_int_equal(nd.version, 2);
	assert_int_equal(nd.confirmed_at, 0);
	assert_int_equal(nd.items[0].n_spin, 1);
	fnl_needs_free(&nd);
	/* and a need that is not there is still refused */
	EXPECT_UNCHANGED(t, fnl_needs_edit(t->db, &later, l.id, 7, "统一分配线索", 0, NULL, 0, &nd), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "need");
}

static void test_solution_items(void **state)
{
	struct tenv *t = *state;
	int64_t s1 = t_user(t, "s1", "sales", "east");
	struct fnl_lead l = qualified(t, "方案科技有限公司", "s1");
	struct fnl_ctx c = tctx(T_NOW, s1);
	struct fnl_solution_item s;
	struct fnl_needs nd;
	/* no needs list: nothing to answer */
	EXPECT_UNCHANGED(t, fnl_solution_add(t->db, &c, l.id, 1, "功能", "价值", "", "", "", &s), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "need");
	T_OK(t, fnl_needs_add(t->db, &c, l.id, "统一管理各渠道线索", 1, NULL, 0, &nd));
	fnl_needs_free(&nd);

	T_OK(t, fnl_solution_add(t->db, &c, l.id, 1, "线索自动分配", "响应更快", "30", "%", "华星科技", &s));
	assert_int_equal(s.lead_id, l.id);
	assert_int_equal(s.need_num, 1);
	assert_string_equal(s.need, "统一管理各渠道线索");
	assert_string_equal(s.function, "线索自动分配");
	assert_string_equal(s.value, "响应更快");
	assert_string_equal(s.figure, "30");
	assert_string_equal(s.unit, "%");
	assert_string_equal(s.case_ref, "华星科技");
	assert_int_equal(s.created_at, T_NOW);
	assert_string_equal(s.user, "s1");
	T_OK(t, fnl_solution_add(t->db, &c, l.id, 1, "移动端", "随时跟进", "0.5", "days", "", &s));
	T_OK(t, fnl_solution_add(t->db, &c, l.id, 1, "报表", "看得清", "", "", "", &s));
	assert_string_equal(s.figure, "");
	assert_string_equal(s.unit, "");

	struct {
		int need;
		const char *function, *value, *figure, *unit, *field;
	} bad[] = {
		{2, "功能", "价值", "", "", "need"},
		{0, "功能", "价值", "", "", "need"},
		{1, "", "价值", "", "", "function"},
		{1, "功能", "", "", "", "value"},
		{1, "功能", "价值", "3e1", "%", "figure"},
		{1, "功能", "价值", "30%", "%", "figure"},
		{1, "功能", "价值", "-5", "%", "figure"},
		{1, "功能", "价值", "1.2.3", "%", "figure"},
		{1, "功能", "价值", ".", "%", "figure"},
		{1, "功能", "价值", "30", "", "unit"},
		{1, "功能", "价值", "", "%", "figure"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		EXPECT_UNCHANGED(t, fnl_solution_add(t->db, &c, l.id, bad[i].need, bad[i].function, bad[i].value,
						     bad[i].figure, bad[i].unit, "", &s),
				 FNL_EINVAL);
		if (strcmp(fnl_errfield(t->db), bad[i].field) != 0)
			fail_msg("case %zu: field '%s', expected '%s' (%s)", i, fnl_errfield(t->db), bad[i].field,
				 fnl_errmsg(t->db));
	}

	/* the item follows its need through the versions: the newest text */
	T_OK(t, fnl_needs_confirm(t->db, &c, l.id, 0, "phone", 0, &nd));
	fnl_needs_free(&nd);
	T_OK(t, fnl_needs_edit(t->db, &c, l.id, 1, "统一管理全部渠道线索", 0, NULL, 0, &nd));
	fnl_needs_free(&nd);
	struct fnl_solution_item *v;
	size_t n;
	T_OK(t, fnl_solution_list(t->db, &c, l.id, &v, &n));
	assert_int_equal(n, 3);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(v[i].need_num, 1);
		assert_string_equal(v[i].need, "统一管理全部渠道线索");
	}
	assert_string_equal(v[1].figure, "0.5");
	free(v);

	/* the presentation */
	struct fnl_presentation p;
	T_OK(t, fnl_presentation_add(t->db, &c, l.id, "2026-11-28", "李娜、张伟", "很感兴趣，要报价", &p));
	assert_string_equal(p.day, "2026-11-28");
	assert_string_equal(p.user, "s1");
	EXPECT_UNCHANGED(t, fnl_presentation_add(t->db, &c, l.id, "2026-11-31", "", "", &p), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "date");
	EXPECT_UNCHANGED(t, fnl_presentation_add(t->db, &c, l.id, NULL, "", "", &p), FNL_EINVAL);
	struct fnl_presentation *pv;
	T_OK(t, fnl_presentation_list(t->db, &c, l.id, &pv, &n));
	assert_int_equal(n, 1);
	assert_string_equal(pv[0].feedback, "很感兴趣，要报价");
	free(pv);
}

static void test_discovery(void **state)
{
	struct tenv *t = *state;
	int64_t s1 = t_user(t, "s1", "sales", "east");
	struct fnl_lead l = qualified(t, "调研科技有限公司", "s1");
	struct fnl_ctx c = tctx(T_NOW, s1);
	struct fnl_prep p;
	T_OK(t, fnl_prep_get(t->db, &c, l.id, &p));
	assert_int_equal(p.updated_at, 0);
	T_OK(t, fnl_prep_set(t->db, &c, l.id, "行业前三", "刚融资", "influencer", "2026-12-31", &p));
	assert_string_equal(p.contact_role, "influencer");
	assert_string_equal(p.decision_date, "2026-12-31");
	assert_int_equal(p.updated_at, T_NOW);
	/* NULL leaves a field, "" clears it */
	T_OK(t, fnl_prep_set(t->db, &c, l.id, NULL, "", NULL, NULL, &p));
	assert_string_equal(p.background, "行业前三");
	assert_string_equal(p.news, "");
	assert_string_equal(p.decision_date, "2026-12-31");
	EXPECT_UNCHANGED(t, fnl_prep_set(t->db, &c, l.id, NULL, NULL, "boss", NULL, &p), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "role");
	EXPECT_UNCHANGED(t, fnl_prep_set(t->db, &c, l.id, NULL, NULL, NULL, "2026-02-30", &p), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "decision-date");

	struct fnl_spin sp;
	EXPECT_UNCHANGED(t, fnl_spin_add(t->db, &c, l.id, "X", "问", "答", &sp), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "kind");
	EXPECT_UNCHANGED(t, fnl_spin_add(t->db, &c, l.id, "SP", "问", "答", &sp), FNL_EINVAL);
	EXPECT_UNCHANGED(t, fnl_spin_add(t->db, &c, l.id, "S", "", "答", &sp), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "question");

	struct fnl_contact ct;
	static const char *const roles[] = {"decision_maker", "influencer", "user", "gatekeeper"};
	static const char *const zh[] = {"决策者", "影响者", "使用者", "把关者"};
	for (size_t i = 0; i < 4; i++) {
		assert_true(fnl_contact_role_valid(roles[i]));
		assert_string_equal(fnl_contact_role_name(roles[i], "zh"), zh[i]);
	}
	assert_false(fnl_contact_role_valid("boss"));
	T_OK(t, fnl_contact_add(t->db, &c, l.id, "李娜", "采购总监", "decision_maker", "139 5210 0998", "", "", &ct));
	assert_string_equal(ct.phone, "13952100998");
	EXPECT_UNCHANGED(t, fnl_contact_add(t->db, &c, l.id, "王五", "", "boss", "", "", "", &ct), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "role");
	EXPECT_UNCHANGED(t, fnl_contact_add(t->db, &c, l.id, "", "", "user", "", "", "", &ct), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "name");
	EXPECT_UNCHANGED(t, fnl_contact_add(t->db, &c, l.id, "王五", "", "user", "12345", "", "", &ct), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "phone");
	EXPECT_UNCHANGED(t, fnl_contact_add(t->db, &c, l.id, "王五", "", "user", "", "not-an-email", "", &ct),
			 FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "email");
	struct fnl_contact *cv;
	size_t n;
	T_OK(t, fnl_contact_list(t->db, &c, l.id, &cv, &n));
	assert_int_equal(n, 1);
	free(cv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_versions),
		T_TEST(test_confirmed_frozen_in_the_database),
		T_TEST(test_confirmed_links_frozen),
		T_TEST(test_needs_errors),
		T_TEST(test_need_numbers_never_reused),
		T_TEST(test_edit_changing_nothing),
		T_TEST(test_solution_items),
		T_TEST(test_discovery),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
