/*
 * tests/unit/test_stage.c - moving a lead through the stages (SPEC §2, core/stage.c): forward with
 * skips, back with a note, the furthest reached stage, win, lose with a reason, reopen, and the
 * immutability of stage events.
 *
 * Default pipeline: 1 acquire, 2 qualify, 3 discover, 4 propose, 5 negotiate, 6 won.
 * The stage gates are on (the default): moves into propose, negotiate and won here first satisfy
 * them with t_ready_for() (the gates themselves are tested in test_sale.c).
 */
#include "testutil.h"

/* A lead scored B at T_FRI: open, at qualify. */
static struct fnl_lead qualified(struct tenv *t, const char *company)
{
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, company, NULL);
	struct fnl_lead s = t_score(t, l.id, T_FRI, 2, 2, 2, 2);
	assert_string_equal(s.stage, "qualify");
	return s;
}

static void events(struct tenv *t, int64_t id, struct fnl_stage_event **e, size_t *n)
{
	struct fnl_ctx c = t_sys(T_NOW);
	T_OK(t, fnl_lead_events(t->db, &c, id, e, n));
}

static void test_forward_skip(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = qualified(t, "跳跃公司"), out;
	t_ready_for_at(t, l.id, "propose", T_NOW - T_HOUR);
	struct fnl_ctx c = t_sys(T_NOW);
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "propose", "", &out));
	assert_string_equal(out.stage, "propose");
	assert_int_equal(out.stage_pos, 4);
	assert_string_equal(out.reached, "propose");
	assert_int_equal(out.reached_pos, 4);
	assert_string_equal(out.status, "open");
	assert_int_equal(out.updated_at, T_NOW);

	struct fnl_stage_event *e;
	size_t n;
	events(t, l.id, &e, &n);
	assert_int_equal(n, 3); /* capture, scored (acquire -> qualify), this move */
	assert_string_equal(e[2].kind, "forward");
	assert_string_equal(e[2].from, "qualify");
	assert_string_equal(e[2].to, "propose");
	assert_int_equal(e[2].at, T_NOW);
	assert_string_equal(e[2].user, "system");
	free(e);

	/* the skipped stages count as reached: discover and propose both have the lead */
	struct fnl_stage *s;
	size_t ns;
	T_OK(t, fnl_stage_list(t->db, &c, &s, &ns));
	assert_int_equal(ns, 6);
	static const int64_t reached[6] = {1, 1, 1, 1, 0, 0};
	static const int64_t at[6] = {0, 0, 0, 1, 0, 0};
	for (size_t i = 0; i < ns; i++) {
		assert_int_equal(s[i].pos, (int)i + 1);
		assert_int_equal(s[i].n_reached, reached[i]);
		assert_int_equal(s[i].n_at, at[i]);
	}
	free(s);
}

static void test_move_errors(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = qualified(t, "错误公司"), out;
	struct fnl_ctx c = t_sys(T_NOW);
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "qualify", "", &out), FNL_ESTATE); /* already there */
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "closing", "", &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "to");
	T_RC(t, fnl_lead_move(t->db, &c, l.id, NULL, "", &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "to");
	T_RC(t, fnl_lead_move(t->db, &c, 4242, "discover", "", &out), FNL_ENOTFOUND);
	struct fnl_stage_event *e;
	size_t n;
	events(t, l.id, &e, &n);
	assert_int_equal(n, 2);
	free(e);
}

static void test_move_back_needs_note(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = qualified(t, "回退公司"), out;
	t_ready_for_at(t, l.id, "negotiate", T_NOW - T_HOUR);
	struct fnl_ctx c = t_sys(T_NOW);
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "propose", NULL, &out));

	c.now = T_NOW + T_HOUR;
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "discover", NULL, &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "note");
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "discover", "", &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "note");
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "discover", "   ", &out), FNL_EINVAL); /* blank */
	assert_string_equal(fnl_errfield(t->db), "note");
	assert_string_equal(t_get(t, l.id).stage, "propose");

	T_OK(t, fnl_lead_move(t->db, &c, l.id, "discover", "客户需求变了，重新调研", &out));
	assert_string_equal(out.stage, "discover");
	assert_int_equal(out.stage_pos, 3);
	assert_string_equal(out.reached, "propose"); /* the furthest stays */
	assert_int_equal(out.reached_pos, 4);

	/* forward again to negotiate: reached moves on */
	c.now = T_NOW + 2 * T_HOUR;
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "negotiate", "", &out));
	assert_string_equal(out.reached, "negotiate");
	assert_int_equal(out.reached_pos, 5);

	struct fnl_stage_event *e;
	size_t n;
	events(t, l.id, &e, &n);
	assert_int_equal(n, 5);
	assert_string_equal(e[3].kind, "back");
	assert_string_equal(e[3].from, "propose");
	assert_string_equal(e[3].to, "discover");
	/* free text is kept as written: the full-width comma stays */
	assert_string_equal(e[3].note, "客户需求变了，重新调研");
	assert_int_equal(e[3].at, T_NOW + T_HOUR);
	assert_string_equal(e[4].kind, "forward");
	assert_string_equal(e[4].from, "discover");
	assert_string_equal(e[4].to, "negotiate");
	free(e);
}

static void test_win(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = qualified(t, "成交公司"), out;
	/* This test is about what a move to the last stage does. The won gate asks for a deal, and
	 * recording the deal (fnl_deal_close, test_sale.c) is itself what wins a lead, so a plain move
	 * to 'won' can only pass with that gate off: it is switched off for this test. The propose and
	 * negotiate gates stay on and are satisfied. */
	t_config(t, "gate.won", "off");
	t_ready_for_at(t, l.id, "negotiate", T_NOW - T_HOUR);
	struct fnl_ctx c = t_sys(T_NOW);
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "won", "", &out));
	assert_string_equal(out.status, "won");
	assert_string_equal(out.stage, "won");
	assert_int_equal(out.stage_pos, 6);
	assert_string_equal(out.reached, "won");
	assert_int_equal(out.won_at, T_NOW);
	/* open tasks (the B deadline and material) are cancelled */
	assert_string_equal(out.next_action, "");
	struct fnl_task *v;
	size_t n;
	T_OK(t, fnl_lead_tasks(t->db, &c, l.id, &v, &n));
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i].cancelled_at, T_NOW);
	free(v);

	/* a won lead does not move, is not lost, not reopened, not scored */
	c.now = T_NOW + T_HOUR;
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "negotiate", "退回", &out), FNL_ESTATE);
	T_RC(t, fnl_lead_lose(t->db, &c, l.id, "price", "", &out), FNL_ESTATE);
	T_RC(t, fnl_lead_reopen(t->db, &c, l.id, "", &out), FNL_ESTATE);
	assert_int_equal(t_get(t, l.id).won_at, T_NOW);
}

static void test_lose(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = qualified(t, "丢单公司"), out;
	struct fnl_ctx c = t_sys(T_NOW);
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "discover", "", &out));

	c.now = T_NOW + T_HOUR;
	T_RC(t, fnl_lead_lose(t->db, &c, l.id, "weather", "", &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "reason");
	T_RC(t, fnl_lead_lose(t->db, &c, l.id, NULL, "", &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "reason");
	assert_string_equal(t_get(t, l.id).status, "open");

	T_OK(t, fnl_lead_lose(t->db, &c, l.id, "competitor", "选了友商", &out));
	assert_string_equal(out.status, "lost");
	assert_string_equal(out.lost_reason, "competitor");
	assert_string_equal(out.lost_stage, "discover");
	assert_string_equal(out.stage, "discover"); /* stays where it was lost */
	assert_int_equal(out.lost_at, T_NOW + T_HOUR);
	assert_int_equal(out.won_at, 0);

	struct fnl_stage_event *e;
	size_t n;
	events(t, l.id, &e, &n);
	assert_int_equal(n, 4);
	assert_string_equal(e[3].kind, "lose");
	assert_string_equal(e[3].from, "discover");
	assert_string_equal(e[3].to, "discover");
	assert_string_equal(e[3].reason, "competitor");
	assert_string_equal(e[3].note, "选了友商");
	free(e);

	/* a lost lead does not move and is not lost twice */
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "propose", "", &out), FNL_ESTATE);
	T_RC(t, fnl_lead_lose(t->db, &c, l.id, "price", "", &out), FNL_ESTATE);

	/* every default reason is accepted */
	static const char *const reasons[] = {"price", "competitor", "no_budget", "no_decision_maker",
					      "timing", "no_response", "product_fit", "other"};
	struct fnl_reason *r;
	size_t nr;
	T_OK(t, fnl_reason_list(t->db, &r, &nr));
	assert_int_equal(nr, 8);
	for (size_t i = 0; i < nr; i++) {
		assert_string_equal(r[i].key, reasons[i]);
		char company[32];
		snprintf(company, sizeof company, "理由公司%zu", i);
		struct fnl_lead x = t_lead(t, T_NOW, company, NULL);
		T_OK(t, fnl_lead_lose(t->db, &c, x.id, reasons[i], "", &out));
		assert_string_equal(out.lost_reason, reasons[i]);
		assert_string_equal(out.lost_stage, "acquire");
	}
	free(r);
	/* a configured reason */
	struct fnl_ctx admin = t_admin(t, T_NOW);
	T_OK(t, fnl_reason_add(t->db, &admin, "merger", "被收购", "Acquired"));
	struct fnl_lead x = t_lead(t, T_NOW, "收购公司", NULL);
	T_OK(t, fnl_lead_lose(t->db, &c, x.id, "merger", "", &out));
	assert_string_equal(out.lost_reason, "merger");
}

static void test_nurture_lead(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "培育公司", NULL), out;
	t_score(t, l.id, T_FRI, 1, 1, 1, 1); /* C */
	struct fnl_ctx c = t_sys(T_NOW);
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "discover", "", &out), FNL_ESTATE);
	assert_string_equal(t_get(t, l.id).stage, "qualify");
	/* a nurture lead can be lost */
	T_OK(t, fnl_lead_lose(t->db, &c, l.id, "no_budget", "", &out));
	assert_string_equal(out.lost_stage, "qualify");
}

static void test_reopen(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = qualified(t, "重开公司"), out;
	struct fnl_ctx c = t_sys(T_NOW);
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "discover", "", &out));
	/* lost on Monday 2026-11-30 */
	c.now = t_time(t, "2026-11-30T10:00:00+08:00");
	T_OK(t, fnl_lead_lose(t->db, &c, l.id, "timing", "", &out));
	/* losing cancels the open deadline (due Wednesday 2026-12-02): the lost lead shows none */
	assert_int_equal(out.sla_due_at, 0);
	assert_null(fnl_sla_state(&out, c.now));

	/* reopening an open lead is refused */
	struct fnl_lead other = qualified(t, "未丢公司");
	T_RC(t, fnl_lead_reopen(t->db, &c, other.id, "", &out), FNL_ESTATE);

	/* reopened on Tuesday 2026-12-01T10:00+08:00: B, so 3 working days: Friday 2026-12-04 */
	c.now = t_time(t, "2026-12-01T10:00:00+08:00");
	T_OK(t, fnl_lead_reopen(t->db, &c, l.id, "客户预算批下来了", &out));
	assert_string_equal(out.status, "open");
	assert_string_equal(out.stage, "discover");
	assert_string_equal(out.lost_reason, "");
	assert_string_equal(out.lost_stage, "");
	assert_int_equal(out.lost_at, 0);
	assert_int_equal(out.sla_due_at, t_time(t, "2026-12-04T23:59:59+08:00"));
	assert_int_equal(out.sla_met_at, 0);
	assert_string_equal(fnl_sla_state(&out, c.now), "pending");

	struct fnl_stage_event *e;
	size_t n;
	events(t, l.id, &e, &n);
	assert_int_equal(n, 5);
	assert_string_equal(e[4].kind, "reopen");
	assert_string_equal(e[4].from, "discover");
	assert_string_equal(e[4].to, "discover");
	assert_string_equal(e[4].note, "客户预算批下来了");
	assert_int_equal(e[4].at, c.now);
	free(e);

	/* an A lead reopens with 48 hours */
	struct fnl_lead a = t_lead(t, T_FRI - T_HOUR, "甲重开公司", NULL);
	t_score(t, a.id, T_FRI, 5, 5, 5, 5);
	T_OK(t, fnl_lead_lose(t->db, &c, a.id, "price", "", &out));
	c.now += T_DAY;
	T_OK(t, fnl_lead_reopen(t->db, &c, a.id, "", &out));
	assert_int_equal(out.sla_due_at, c.now + 48 * T_HOUR);
	/* and can move again */
	T_OK(t, fnl_lead_move(t->db, &c, a.id, "discover", "", &out));
}

static void test_reopen_nurture(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, "培育重开", NULL), out;
	t_score(t, l.id, T_FRI, 1, 1, 1, 1); /* C */
	struct fnl_ctx c = t_sys(T_NOW);
	T_OK(t, fnl_lead_reopen(t->db, &c, l.id, "", &out));
	assert_string_equal(out.status, "open");
	/* the nurture tasks are cancelled, a B-rule deadline set: Sunday -> Wednesday 2026-12-02 */
	assert_int_equal(out.sla_due_at, t_time(t, "2026-12-02T23:59:59+08:00"));
	struct fnl_task *v;
	size_t n;
	T_OK(t, fnl_lead_tasks(t->db, &c, l.id, &v, &n));
	assert_int_equal(t_task(v, n, "touch")->cancelled_at, T_NOW);
	assert_int_equal(t_task(v, n, "reevaluate")->cancelled_at, T_NOW);
	free(v);
}

static void test_stage_event_immutable(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = qualified(t, "不可改公司"), out;
	t_ready_for_at(t, l.id, "propose", T_NOW - T_HOUR);
	struct fnl_ctx c = t_sys(T_NOW);
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "propose", "原始备注", &out));
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM stage_event"), 3);

	assert_int_equal(t_sql(t, "UPDATE stage_event SET note = 'changed'"), SQLITE_CONSTRAINT);
	assert_int_equal(t_sql(t, "UPDATE stage_event SET at = at + 1 WHERE kind = 'forward'"), SQLITE_CONSTRAINT);
	assert_int_equal(t_sql(t, "DELETE FROM stage_event"), SQLITE_CONSTRAINT);
	assert_int_equal(t_sql(t, "DELETE FROM stage_event WHERE kind = 'capture'"), SQLITE_CONSTRAINT);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM stage_event"), 3);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM stage_event WHERE note = 'changed'"), 0);

	struct fnl_stage_event *e;
	size_t n;
	events(t, l.id, &e, &n);
	assert_int_equal(n, 3);
	assert_string_equal(e[2].note, "原始备注");
	assert_int_equal(e[2].at, T_NOW);
	free(e);

	/* owner events too */
	t_user(t, "s9", "sales", NULL);
	T_OK(t, fnl_lead_assign(t->db, &c, l.id, "s9", "", &out));
	assert_int_equal(t_sql(t, "UPDATE owner_event SET note = 'x'"), SQLITE_CONSTRAINT);
	assert_int_equal(t_sql(t, "DELETE FROM owner_event"), SQLITE_CONSTRAINT);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM owner_event"), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_forward_skip),
		T_TEST(test_move_errors),
		T_TEST(test_move_back_needs_note),
		T_TEST(test_win),
		T_TEST(test_lose),
		T_TEST(test_nurture_lead),
		T_TEST(test_reopen),
		T_TEST(test_reopen_nurture),
		T_TEST(test_stage_event_immutable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
