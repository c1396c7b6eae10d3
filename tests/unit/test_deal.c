/*
 * tests/unit/test_deal.c - the deal and after-sales (SPEC §5, core/deal.c): the contract that wins
 * a lead (amount in 分, signing date not after today, delivery not before signing), a deal recorded
 * after a forced win, the hand-over to after-sales, satisfaction 1-5, and the new leads a customer
 * brings: repurchases (channel repurchase, returning_of) and referrals (customer_referral,
 * referred_by), linked both ways.
 *
 * Team east: manager m1, sales s1 (owns the leads); after-sales af and af2; marketing mk. Today is
 * Sunday 2026-11-29 (T_NOW, 10:00+08:00).
 */
#include "testutil.h"

#include "snapshot.h"

struct org {
	int64_t m1, s1, af, af2, mk;
};

static struct org org(struct tenv *t)
{
	struct org o;
	o.m1 = t_user(t, "m1", "manager", "east");
	o.s1 = t_user(t, "s1", "sales", "east");
	o.af = t_user(t, "af", "aftersales", NULL);
	o.af2 = t_user(t, "af2", "aftersales", NULL);
	o.mk = t_user(t, "mk", "marketing", NULL);
	return o;
}

static struct fnl_lead qualified(struct tenv *t, const char *company, const char *owner)
{
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, company, owner);
	return t_score(t, l.id, T_FRI, 2, 2, 2, 2);
}

/* A lead at negotiate with its gates passed. */
static struct fnl_lead negotiating(struct tenv *t, const char *company)
{
	struct fnl_lead l = qualified(t, company, "s1"), out;
	t_ready_for_at(t, l.id, "negotiate", T_NOW - 2 * T_HOUR);
	struct fnl_ctx c = t_sys(T_NOW - T_HOUR);
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "negotiate", "", &out));
	return out;
}

static size_t n_events(struct tenv *t, int64_t id)
{
	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_stage_event *e;
	size_t n;
	T_OK(t, fnl_lead_events(t->db, &c, id, &e, &n));
	free(e);
	return n;
}

static void test_deal_wins_the_lead(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = negotiating(t, "成交科技有限公司"), out;
	struct fnl_ctx c = tctx(T_NOW, o.s1);
	size_t events = n_events(t, l.id);

	/* signed today (the edge), delivery from Tuesday; 128000.50 yuan */
	T_OK(t, fnl_deal_close(t->db, &c, l.id, "HT-2026-001", INT64_C(12800050), "2026-11-29", "2026-12-01", 0, &out));
	assert_int_equal(out.id, l.id);
	assert_string_equal(out.status, "won");
	assert_string_equal(out.stage, "won");
	assert_int_equal(out.stage_pos, 6);
	assert_string_equal(out.reached, "won");
	assert_int_equal(out.won_at, T_NOW);
	/* the lead's open tasks are cancelled like any win */
	assert_string_equal(out.next_action, "");

	struct fnl_deal d;
	T_OK(t, fnl_deal_get(t->db, &c, l.id, &d));
	assert_int_equal(d.lead_id, l.id);
	assert_string_equal(d.contract_no, "HT-2026-001");
	assert_int_equal(d.amount, INT64_C(12800050));
	assert_string_equal(d.signed_on, "2026-11-29");
	assert_string_equal(d.delivery_start, "2026-12-01");
	assert_int_equal(d.created_at, T_NOW);
	assert_string_equal(d.user, "s1");
	/* stored in 分 */
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT amount FROM deal WHERE lead_id = %lld", (long long)l.id);
	assert_int_equal(t_sql_int(t, sql), INT64_C(12800050));

	/* one stage event: negotiate -> won, saying which contract */
	struct fnl_stage_event *e;
	size_t n;
	T_OK(t, fnl_lead_events(t->db, &c, l.id, &e, &n));
	assert_int_equal(n, events + 1);
	assert_string_equal(e[n - 1].kind, "forward");
	assert_string_equal(e[n - 1].from, "negotiate");
	assert_string_equal(e[n - 1].to, "won");
	assert_string_equal(e[n - 1].user, "s1");
	assert_non_null(strstr(e[n - 1].note, "HT-2026-001"));
	free(e);

	/* a second deal is refused, the first one stays */
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &c, l.id, "HT-2026-002", INT64_C(100), "2026-11-29", NULL, 0, &out),
			 FNL_ESTATE);
	T_OK(t, fnl_deal_get(t->db, &c, l.id, &d));
	assert_string_equal(d.contract_no, "HT-2026-001");

	/* no delivery date; delivery on the signing day */
	struct fnl_lead l2 = negotiating(t, "成交二号有限公司");
	T_OK(t, fnl_deal_close(t->db, &c, l2.id, "HT-2026-003", 1, "2026-11-01", NULL, 0, &out));
	T_OK(t, fnl_deal_get(t->db, &c, l2.id, &d));
	assert_int_equal(d.amount, 1);
	assert_string_equal(d.delivery_start, "");
	struct fnl_lead l3 = negotiating(t, "成交三号有限公司");
	T_OK(t, fnl_deal_close(t->db, &c, l3.id, "HT-2026-004", INT64_C(100000000), "2026-11-28", "2026-11-28", 0, &out));
	T_OK(t, fnl_deal_get(t->db, &c, l3.id, &d));
	assert_int_equal(d.amount, INT64_C(100000000));

	/* no deal */
	struct fnl_lead l4 = negotiating(t, "未成交有限公司");
	T_RC(t, fnl_deal_get(t->db, &c, l4.id, &d), FNL_ENOTFOUND);
	T_RC(t, fnl_deal_get(t->db, &c, 4242, &d), FNL_ENOTFOUND);
}

static void test_deal_refused(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = negotiating(t, "拒绝科技有限公司"), out;
	struct fnl_ctx c = tctx(T_NOW, o.s1);
	struct {
		const char *contract;
		int64_t amount;
		const char *signed_on, *delivery, *field;
	} bad[] = {
		{"HT-1", 100, "2026-11-30", NULL, "signed"},         /* tomorrow */
		{"HT-1", 100, "2027-01-01", NULL, "signed"},
		{"HT-1", 100, "2026-11-31", NULL, "signed"},         /* no such day */
		{"HT-1", 100, "20261129", NULL, "signed"},
		{"HT-1", 100, "", NULL, "signed"},
		{"HT-1", 100, NULL, NULL, "signed"},
		{"HT-1", 100, "2026-11-29", "2026-11-28", "delivery"}, /* before signing */
		{"HT-1", 100, "2026-11-20", "2026-11-19", "delivery"},
		{"HT-1", 100, "2026-11-29", "2026-12-32", "delivery"},
		{"", 100, "2026-11-29", NULL, "contract"},
		{"   ", 100, "2026-11-29", NULL, "contract"},
		{NULL, 100, "2026-11-29", NULL, "contract"},
		{"HT-1", 0, "2026-11-29", NULL, "amount"},
		{"HT-1", -100, "2026-11-29", NULL, "amount"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &c, l.id, bad[i].contract, bad[i].amount, bad[i].signed_on,
						   bad[i].delivery, 0, &out),
				 FNL_EINVAL);
		if (strcmp(fnl_errfield(t->db), bad[i].field) != 0)
			fail_msg("case %zu: field '%s', expected '%s' (%s)", i, fnl_errfield(t->db), bad[i].field,
				 fnl_errmsg(t->db));
		assert_true(strncmp(fnl_errmsg(t->db), bad[i].field, strlen(bad[i].field)) == 0);
	}
	assert_string_equal(t_get(t, l.id).status, "open");

	/* "today" is the installation's date: at 01:00+08:00 on Monday 2026-11-30 (still Sunday in
	 * UTC) a contract signed on the 30th is not in the future */
	struct fnl_ctx monday = tctx(t_time(t, "2026-11-30T01:00:00+08:00"), o.s1);
	T_OK(t, fnl_deal_close(t->db, &monday, l.id, "HT-1", INT64_C(100), "2026-11-30", NULL, 0, &out));
	assert_string_equal(out.status, "won");

	/* a lost lead; a nurture lead; an invalid id; another's lead */
	struct fnl_lead lost = negotiating(t, "丢单科技有限公司");
	T_OK(t, fnl_lead_lose(t->db, &c, lost.id, "competitor", "", &out));
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &c, lost.id, "HT-2", 100, "2026-11-29", NULL, 0, &out), FNL_ESTATE);
	assert_non_null(strstr(fnl_errmsg(t->db), "lost"));
	struct fnl_lead nurture = t_lead(t, T_FRI - T_HOUR, "培育科技有限公司", "s1");
	t_score(t, nurture.id, T_FRI, 1, 1, 1, 1);
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &c, nurture.id, "HT-3", 100, "2026-11-29", NULL, 0, &out),
			 FNL_ESTATE);
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &c, 4242, "HT-4", 100, "2026-11-29", NULL, 0, &out), FNL_ENOTFOUND);
	int64_t s2 = t_user(t, "s2", "sales", "east");
	struct fnl_ctx c2 = tctx(T_NOW, s2);
	struct fnl_lead mine = negotiating(t, "别人的单有限公司");
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &c2, mine.id, "HT-5", 100, "2026-11-29", NULL, 0, &out), FNL_EPERM);
}

static void test_deal_after_forced_win(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = qualified(t, "先赢后签有限公司", "s1"), out;
	struct fnl_ctx m = tctx(T_NOW - T_DAY, o.m1);
	T_OK(t, fnl_lead_force(t->db, &m, l.id, "won", "口头成交", &out));
	assert_string_equal(out.status, "won");
	assert_int_equal(out.won_at, T_NOW - T_DAY);
	struct fnl_ctx c = tctx(T_NOW, o.s1);
	struct fnl_deal d;
	T_RC(t, fnl_deal_get(t->db, &c, l.id, &d), FNL_ENOTFOUND);
	size_t events = n_events(t, l.id);

	/* the owner records the deal the next day, without force: no move, nothing forced */
	T_OK(t, fnl_deal_close(t->db, &c, l.id, "HT-LATE", INT64_C(5000000), "2026-11-28", NULL, 0, &out));
	assert_string_equal(out.status, "won");
	assert_string_equal(out.stage, "won");
	assert_int_equal(out.won_at, T_NOW - T_DAY);
	assert_int_equal(n_events(t, l.id), events);
	T_OK(t, fnl_deal_get(t->db, &c, l.id, &d));
	assert_string_equal(d.contract_no, "HT-LATE");
	assert_int_equal(d.amount, INT64_C(5000000));
	assert_int_equal(d.created_at, T_NOW);
	/* the dates are still checked, and one deal only */
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &c, l.id, "HT-LATE2", INT64_C(1), "2026-12-01", NULL, 0, &out),
			 FNL_ESTATE);
	struct fnl_lead l2 = qualified(t, "先赢后签二号", "s1");
	T_OK(t, fnl_lead_force(t->db, &m, l2.id, "won", "", &out));
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &c, l2.id, "HT-X", INT64_C(1), "2026-12-01", NULL, 0, &out),
			 FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "signed");
}

/* The deal follows the quote that stands, the newest round not rejected: not while it waits for a
 * manager, not when every round was rejected; a rejected last round leaves the one before it. */
static void test_deal_and_quotes(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_ctx c = tctx(T_NOW, o.s1), m = tctx(T_NOW, o.m1);
	struct fnl_lead l = negotiating(t, "报价成交有限公司"), out;
	struct fnl_quote q1, q2, q3;

	/* round 1 at 16 % waits: no deal, not even forced by the manager */
	T_OK(t, fnl_quote_add(t->db, &c, l.id, INT64_C(8400000), 1600, "", 30, &q1));
	assert_string_equal(q1.status, "pending");
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &c, l.id, "HT-Q1", INT64_C(8400000), "2026-11-29", NULL, 0, &out),
			 FNL_ESTATE);
	assert_string_equal(fnl_errfield(t->db), "id");
	char want[160];
	snprintf(want, sizeof want,
		 "cannot close a deal: quote %lld (round 1) of lead %lld waits for a manager's approval",
		 (long long)q1.id, (long long)l.id);
	assert_string_equal(fnl_errmsg(t->db), want);
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &m, l.id, "HT-Q1", INT64_C(8400000), "2026-11-29", NULL, 1, &out),
			 FNL_ESTATE);
	/* rejected, and nothing else stands */
	T_OK(t, fnl_quote_decide(t->db, &m, q1.id, 0, "折扣太大", &q1));
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &c, l.id, "HT-Q1", INT64_C(8400000), "2026-11-29", NULL, 0, &out),
			 FNL_ESTATE);
	snprintf(want, sizeof want, "cannot close a deal: every quote of lead %lld was rejected; give a new quote first",
		 (long long)l.id);
	assert_string_equal(fnl_errmsg(t->db), want);
	/* round 2 exactly at the limit stands; round 3 above it waits again, then is rejected: round 2 stands */
	T_OK(t, fnl_quote_add(t->db, &c, l.id, INT64_C(8500000), 1500, "", 30, &q2));
	assert_string_equal(q2.status, "within_limit");
	T_OK(t, fnl_quote_add(t->db, &c, l.id, INT64_C(8000000), 2000, "", 30, &q3));
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &c, l.id, "HT-Q3", INT64_C(8000000), "2026-11-29", NULL, 0, &out),
			 FNL_ESTATE);
	T_OK(t, fnl_quote_decide(t->db, &m, q3.id, 0, "", &q3));
	T_OK(t, fnl_deal_close(t->db, &c, l.id, "HT-Q2", INT64_C(8500000), "2026-11-29", NULL, 0, &out));
	assert_string_equal(out.status, "won");

	/* an approved round stands */
	struct fnl_lead l2 = negotiating(t, "审批成交有限公司");
	T_OK(t, fnl_quote_add(t->db, &c, l2.id, INT64_C(1), 10000, "", 0, &q1));
	T_OK(t, fnl_quote_decide(t->db, &m, q1.id, 1, "", &q1));
	T_OK(t, fnl_deal_close(t->db, &c, l2.id, "HT-A", INT64_C(1), "2026-11-29", NULL, 0, &out));
	assert_string_equal(out.status, "won");
}

/* ---- after-sales ---- */

static void test_handover(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = qualified(t, "交接科技有限公司", "s1");
	l = t_ready_for(t, l.id, "won");
	assert_string_equal(l.aftersales, "");
	struct fnl_ctx c = tctx(T_NOW + T_HOUR, o.s1);
	struct fnl_handover h;

	/* only to an active after-sales user */
	static const char *const not_af[] = {"mk", "s1", "m1", "admin", "ghost", ""};
	for (size_t i = 0; i < sizeof not_af / sizeof not_af[0]; i++) {
		EXPECT_UNCHANGED(t, fnl_aftersales_handover(t->db, &c, l.id, not_af[i], "", &h), FNL_EINVAL);
		assert_string_equal(fnl_errfield(t->db), "to");
	}
	EXPECT_UNCHANGED(t, fnl_aftersales_handover(t->db, &c, l.id, NULL, "", &h), FNL_EINVAL);

	/* the owner hands over to af */
	T_OK(t, fnl_aftersales_handover(t->db, &c, l.id, "af", "合同已签，交付 12 月启动", &h));
	assert_int_equal(h.lead_id, l.id);
	assert_string_equal(h.from, "s1");
	assert_string_equal(h.to, "af");
	assert_string_equal(h.user, "s1");
	assert_int_equal(h.at, T_NOW + T_HOUR);
	assert_string_equal(h.note, "合同已签，交付 12 月启动");
	struct fnl_lead now = t_get(t, l.id);
	assert_string_equal(now.aftersales, "af");
	assert_int_equal(now.aftersales_id, o.af);
	assert_string_equal(now.owner, "s1"); /* the owner stays */
	EXPECT_UNCHANGED(t, fnl_aftersales_handover(t->db, &c, l.id, "af", "", &h), FNL_ESTATE);

	/* the manager moves it on to af2: from af */
	struct fnl_ctx m = tctx(T_NOW + 2 * T_HOUR, o.m1);
	T_OK(t, fnl_aftersales_handover(t->db, &m, l.id, "af2", "", &h));
	assert_string_equal(h.from, "af");
	assert_string_equal(h.to, "af2");
	assert_string_equal(h.user, "m1");
	assert_string_equal(t_get(t, l.id).aftersales, "af2");
	struct fnl_handover *v;
	size_t n;
	T_OK(t, fnl_handover_list(t->db, &m, l.id, &v, &n));
	assert_int_equal(n, 2);
	assert_string_equal(v[0].to, "af");
	assert_string_equal(v[1].to, "af2");
	free(v);
	/* hand-overs are events: they do not change */
	assert_int_equal(t_sql(t, "UPDATE handover SET note = 'x'"), SQLITE_CONSTRAINT);
	assert_int_equal(t_sql(t, "DELETE FROM handover"), SQLITE_CONSTRAINT);
	/* audited */
	struct fnl_ctx admin = t_admin(t, T_NOW + T_DAY);
	struct fnl_audit_entry *a;
	T_OK(t, fnl_audit_list(t->db, &admin, l.id, 0, &a, &n));
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += strcmp(a[i].action, "handover") == 0;
	fnl_audit_free(a, n);
	assert_int_equal(k, 2);

	/* a deactivated after-sales user; a lead that is not won; after-sales cannot hand over */
	struct fnl_ctx ad = t_admin(t, T_NOW);
	struct fnl_user_change off = {NULL, NULL, NULL, 0};
	T_OK(t, fnl_user_edit(t->db, &ad, "af", &off, NULL));
	EXPECT_UNCHANGED(t, fnl_aftersales_handover(t->db, &m, l.id, "af", "", &h), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "to");
	struct fnl_lead open = qualified(t, "未成交交接有限公司", "s1");
	EXPECT_UNCHANGED(t, fnl_aftersales_handover(t->db, &c, open.id, "af2", "", &h), FNL_ESTATE);
	struct fnl_ctx af2 = tctx(T_NOW, o.af2);
	EXPECT_UNCHANGED(t, fnl_aftersales_handover(t->db, &af2, l.id, "af2", "", &h), FNL_EPERM);
}

static void test_satisfaction(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = qualified(t, "满意科技有限公司", "s1");
	struct fnl_lead open = qualified(t, "未成交满意有限公司", "s1");
	t_ready_for(t, l.id, "won");
	struct fnl_ctx c = tctx(T_NOW + T_DAY, o.af);
	struct fnl_rating r;
	static const int bad[] = {0, 6, -1, 100};
	for (size_t i = 0; i < 4; i++) {
		EXPECT_UNCHANGED(t, fnl_satisfaction_add(t->db, &c, l.id, bad[i], "", &r), FNL_EINVAL);
		assert_string_equal(fnl_errfield(t->db), "score");
	}
	for (int s = 1; s <= 5; s++) {
		T_OK(t, fnl_satisfaction_add(t->db, &c, l.id, s, "回访", &r));
		assert_int_equal(r.score, s);
		assert_int_equal(r.lead_id, l.id);
		assert_string_equal(r.user, "af");
		assert_int_equal(r.at, T_NOW + T_DAY);
	}
	struct fnl_rating *v;
	size_t n;
	T_OK(t, fnl_satisfaction_list(t->db, &c, l.id, &v, &n));
	assert_int_equal(n, 5);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i].score, (int)i + 1);
	free(v);
	/* only won customers */
	struct fnl_ctx s1 = tctx(T_NOW, o.s1);
	EXPECT_UNCHANGED(t, fnl_satisfaction_add(t->db, &s1, open.id, 3, "", &r), FNL_ESTATE);
	struct fnl_lead out;
	T_OK(t, fnl_lead_lose(t->db, &s1, open.id, "price", "", &out));
	EXPECT_UNCHANGED(t, fnl_satisfaction_add(t->db, &s1, open.id, 3, "", &r), FNL_ESTATE);
}

/* ---- repurchase and referral ---- */

static const struct fnl_link *link_of(const struct fnl_link *v, size_t n, const char *kind)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].kind, kind) == 0)
			return &v[i];
	return NULL;
}

static void test_repurchase_and_referral(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead w = qualified(t, "回头客科技有限公司", "s1"), out;
	w = t_ready_for(t, w.id, "won");
	struct fnl_ctx c = tctx(T_NOW + T_DAY, o.af);
	int result = 0;
	int64_t rid = 0;

	/* a repurchase, by after-sales: same company and contact, channel repurchase */
	T_OK(t, fnl_lead_repurchase(t->db, &c, w.id, NULL, &result, &out, &rid));
	assert_int_equal(result, FNL_ADD_RETURNING);
	assert_int_equal(rid, out.id);
	struct fnl_lead r = out;
	assert_true(r.id != w.id);
	assert_string_equal(r.channel, "repurchase");
	assert_int_equal(r.returning_of, w.id);
	assert_int_equal(r.referred_by, 0);
	assert_string_equal(r.company, w.company);
	assert_string_equal(r.contact, w.contact);
	assert_string_equal(r.phone, w.phone);
	assert_string_equal(r.status, "open");
	assert_string_equal(r.stage, "acquire");
	assert_string_equal(r.owner, "s1"); /* the customer's consultant */
	assert_int_equal(r.captured_at, T_NOW + T_DAY);
	assert_string_equal(t_get(t, w.id).status, "won");

	/* another repurchase while that one is open merges into it */
	T_OK(t, fnl_lead_repurchase(t->db, &c, w.id, NULL, &result, &out, &rid));
	assert_int_equal(result, FNL_ADD_MERGED);
	assert_int_equal(out.id, r.id);
	assert_true(rid != r.id);

	/* a referral: a new customer on customer_referral, referred by w */
	struct fnl_lead_input in = {0};
	in.company = "被推荐科技有限公司";
	in.contact = "周敏";
	in.phone = "13952100888";
	T_OK(t, fnl_lead_referral(t->db, &c, w.id, &in, &result, &out, &rid));
	assert_int_equal(result, FNL_ADD_CREATED);
	struct fnl_lead f = out;
	assert_string_equal(f.channel, "customer_referral");
	assert_int_equal(f.referred_by, w.id);
	assert_int_equal(f.returning_of, 0);
	assert_string_equal(f.company, "被推荐科技有限公司");
	assert_string_equal(f.contact, "周敏");
	assert_string_equal(f.status, "open");
	assert_non_null(strstr(f.source, "回头客科技有限公司"));
	/* the channel is customer_referral or nothing */
	in.company = "另一家有限公司";
	in.phone = "13952100889";
	in.channel = "website";
	EXPECT_UNCHANGED(t, fnl_lead_referral(t->db, &c, w.id, &in, &result, &out, &rid), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "channel");
	in.channel = "customer_referral";
	in.contact = NULL;
	EXPECT_UNCHANGED(t, fnl_lead_referral(t->db, &c, w.id, &in, &result, &out, &rid), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "contact");
	EXPECT_UNCHANGED(t, fnl_lead_referral(t->db, &c, w.id, NULL, &result, &out, &rid), FNL_EINVAL);

	/* the links, both ways */
	struct fnl_ctx admin = t_admin(t, T_NOW + T_DAY);
	struct fnl_link *v;
	size_t n;
	T_OK(t, fnl_lead_links(t->db, &admin, w.id, &v, &n));
	assert_int_equal(n, 2); /* the merged record is no lead of its own */
	const struct fnl_link *k = link_of(v, n, "repurchase");
	assert_non_null(k);
	assert_int_equal(k->id, r.id);
	assert_string_equal(k->company, "回头客科技有限公司");
	assert_string_equal(k->status, "open");
	assert_string_equal(k->stage, "acquire");
	k = link_of(v, n, "referral");
	assert_non_null(k);
	assert_int_equal(k->id, f.id);
	assert_string_equal(k->contact, "周敏");
	free(v);
	T_OK(t, fnl_lead_links(t->db, &admin, r.id, &v, &n));
	assert_int_equal(n, 1);
	assert_string_equal(v[0].kind, "repurchase_of");
	assert_int_equal(v[0].id, w.id);
	assert_string_equal(v[0].status, "won");
	assert_string_equal(v[0].stage, "won");
	free(v);
	T_OK(t, fnl_lead_links(t->db, &admin, f.id, &v, &n));
	assert_int_equal(n, 1);
	assert_string_equal(v[0].kind, "referred_by");
	assert_int_equal(v[0].id, w.id);
	assert_string_equal(v[0].company, "回头客科技有限公司");
	free(v);

	/* only from won customers (after-sales does not even see open leads) */
	EXPECT_UNCHANGED(t, fnl_lead_repurchase(t->db, &c, r.id, NULL, &result, &out, &rid), FNL_EPERM);
	struct fnl_ctx s1 = tctx(T_NOW + T_DAY, o.s1);
	EXPECT_UNCHANGED(t, fnl_lead_repurchase(t->db, &s1, r.id, NULL, &result, &out, &rid), FNL_ESTATE);
	struct fnl_lead open = qualified(t, "未成交回购有限公司", "s1");
	EXPECT_UNCHANGED(t, fnl_lead_repurchase(t->db, &s1, open.id, NULL, &result, &out, &rid), FNL_ESTATE);
	in.contact = "孙七";
	in.phone = "13952100890";
	EXPECT_UNCHANGED(t, fnl_lead_referral(t->db, &s1, open.id, &in, &result, &out, &rid), FNL_ESTATE);
	T_OK(t, fnl_lead_lose(t->db, &s1, open.id, "timing", "", &out));
	EXPECT_UNCHANGED(t, fnl_lead_repurchase(t->db, &s1, open.id, NULL, &result, &out, &rid), FNL_ESTATE);
	EXPECT_UNCHANGED(t, fnl_lead_repurchase(t->db, &s1, 4242, NULL, &result, &out, &rid), FNL_ENOTFOUND);
	/* marketing does not */
	struct fnl_ctx mk = tctx(T_NOW + T_DAY, o.mk);
	EXPECT_UNCHANGED(t, fnl_lead_repurchase(t->db, &mk, w.id, NULL, &result, &out, &rid), FNL_EPERM);
}

/* A returning customer captured normally (not a repurchase) is linked too. */
static void test_returning_links(void **state)
{
	struct tenv *t = *state;
	org(t);
	struct fnl_lead lost = qualified(t, "回流科技有限公司", "s1"), out;
	struct fnl_ctx c = t_sys(T_NOW);
	T_OK(t, fnl_lead_lose(t->db, &c, lost.id, "timing", "", &out));
	struct fnl_lead_input in = {0};
	in.company = "回流科技有限公司";
	in.contact = "张伟";
	in.phone = lost.phone;
	in.channel = "website";
	int result;
	int64_t rid;
	T_OK(t, fnl_lead_add(t->db, &c, &in, &result, &out, &rid));
	assert_int_equal(result, FNL_ADD_RETURNING);
	struct fnl_link *v;
	size_t n;
	T_OK(t, fnl_lead_links(t->db, &c, out.id, &v, &n));
	assert_int_equal(n, 1);
	assert_string_equal(v[0].kind, "returning_of");
	assert_int_equal(v[0].id, lost.id);
	free(v);
	T_OK(t, fnl_lead_links(t->db, &c, lost.id, &v, &n));
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, out.id);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_deal_wins_the_lead),
		T_TEST(test_deal_refused),
		T_TEST(test_deal_after_forced_win),
		T_TEST(test_deal_and_quotes),
		T_TEST(test_handover),
		T_TEST(test_satisfaction),
		T_TEST(test_repurchase_and_referral),
		T_TEST(test_returning_links),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
