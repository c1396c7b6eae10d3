/*
 * tests/unit/test_quote.c - negotiation (SPEC §5, core/quote.c): quotes in rounds, the discount
 * limit (quote.discount_limit, default 15 %: exactly 15 % is within it, 15.01 % waits for a manager
 * of the lead's team or an admin), obstacles; percentages (hundredths of a percent) and money
 * (integer 分, core/money.c) parsed and written for people.
 *
 * Team east: manager m1, sales s1 (owns the leads); team west: manager m2, sales s3.
 */
#include "testutil.h"

#include "snapshot.h"

struct org {
	int64_t m1, s1, m2, s3;
};

static struct org org(struct tenv *t)
{
	struct org o;
	o.m1 = t_user(t, "m1", "manager", "east");
	o.s1 = t_user(t, "s1", "sales", "east");
	o.m2 = t_user(t, "m2", "manager", "west");
	o.s3 = t_user(t, "s3", "sales", "west");
	return o;
}

static struct fnl_lead qualified(struct tenv *t, const char *company, const char *owner)
{
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, company, owner);
	return t_score(t, l.id, T_FRI, 2, 2, 2, 2);
}

static struct fnl_quote quote(struct tenv *t, const struct fnl_ctx *c, int64_t lead, int discount)
{
	struct fnl_quote q;
	T_OK(t, fnl_quote_add(t->db, c, lead, INT64_C(12800050), discount, "30% 预付，验收后付清", 45, &q));
	assert_int_equal(q.discount, discount);
	return q;
}

static void test_discount_limit(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = qualified(t, "报价科技有限公司", "s1");
	struct fnl_ctx c = tctx(T_NOW, o.s1);

	/* exactly 15 %: within the limit */
	struct fnl_quote q1 = quote(t, &c, l.id, 1500);
	assert_int_equal(q1.round, 1);
	assert_int_equal(q1.lead_id, l.id);
	assert_int_equal(q1.amount, INT64_C(12800050));
	assert_string_equal(q1.terms, "30% 预付，验收后付清");
	assert_int_equal(q1.delivery_days, 45);
	assert_string_equal(q1.status, "within_limit");
	assert_int_equal(q1.created_at, T_NOW);
	assert_string_equal(q1.user, "s1");
	assert_int_equal(q1.decided_at, 0);
	assert_string_equal(q1.decided_by, "");
	/* 15.01 %: waits for a manager */
	struct fnl_quote q2 = quote(t, &c, l.id, 1501);
	assert_int_equal(q2.round, 2);
	assert_string_equal(q2.status, "pending");
	struct fnl_quote q3 = quote(t, &c, l.id, 0);
	assert_int_equal(q3.round, 3);
	assert_string_equal(q3.status, "within_limit");

	/* who may decide: not the sales user, not the manager of another team */
	struct fnl_quote out;
	EXPECT_UNCHANGED(t, fnl_quote_decide(t->db, &c, q2.id, 1, "", &out), FNL_EPERM);
	assert_string_equal(fnl_errfield(t->db), "as");
	struct fnl_ctx m2 = tctx(T_NOW, o.m2);
	EXPECT_UNCHANGED(t, fnl_quote_decide(t->db, &m2, q2.id, 1, "", &out), FNL_EPERM);
	struct fnl_ctx s3 = tctx(T_NOW, o.s3);
	EXPECT_UNCHANGED(t, fnl_quote_decide(t->db, &s3, q2.id, 1, "", &out), FNL_EPERM);

	/* the team's manager approves */
	struct fnl_ctx m1 = tctx(T_NOW + T_HOUR, o.m1);
	T_OK(t, fnl_quote_decide(t->db, &m1, q2.id, 1, "战略客户，同意", &out));
	assert_int_equal(out.id, q2.id);
	assert_string_equal(out.status, "approved");
	assert_string_equal(out.decided_by, "m1");
	assert_int_equal(out.decided_at, T_NOW + T_HOUR);
	assert_string_equal(out.decision_note, "战略客户，同意");
	assert_int_equal(out.discount, 1501);
	/* one decision only */
	EXPECT_UNCHANGED(t, fnl_quote_decide(t->db, &m1, q2.id, 0, "改主意", &out), FNL_ESTATE);
	EXPECT_UNCHANGED(t, fnl_quote_decide(t->db, &m1, q2.id, 1, "", &out), FNL_ESTATE);
	/* a quote within the limit needs no decision */
	EXPECT_UNCHANGED(t, fnl_quote_decide(t->db, &m1, q1.id, 1, "", &out), FNL_ESTATE);
	EXPECT_UNCHANGED(t, fnl_quote_decide(t->db, &m1, 4242, 1, "", &out), FNL_ENOTFOUND);

	/* an admin rejects round 4 */
	struct fnl_quote q4 = quote(t, &c, l.id, 3000);
	assert_int_equal(q4.round, 4);
	assert_string_equal(q4.status, "pending");
	struct fnl_ctx admin = t_admin(t, T_NOW + 2 * T_HOUR);
	T_OK(t, fnl_quote_decide(t->db, &admin, q4.id, 0, "折扣太大", &out));
	assert_string_equal(out.status, "rejected");
	assert_string_equal(out.decided_by, "admin");

	struct fnl_quote *v;
	size_t n;
	T_OK(t, fnl_quote_list(t->db, &c, l.id, &v, &n));
	assert_int_equal(n, 4);
	static const char *const status[] = {"within_limit", "approved", "within_limit", "rejected"};
	static const int discount[] = {1500, 1501, 0, 3000};
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(v[i].round, (int)i + 1);
		assert_string_equal(v[i].status, status[i]);
		assert_int_equal(v[i].discount, discount[i]);
	}
	free(v);
	T_RC(t, fnl_quote_list(t->db, &s3, l.id, &v, &n), FNL_EPERM);

	/* audited */
	struct fnl_audit_entry *a;
	T_OK(t, fnl_audit_list(t->db, &admin, l.id, 0, &a, &n));
	size_t created = 0, approved = 0, rejected = 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(a[i].entity, "quote") != 0)
			continue;
		created += strcmp(a[i].action, "create") == 0;
		approved += strcmp(a[i].action, "approve") == 0 && strcmp(a[i].user, "m1") == 0;
		rejected += strcmp(a[i].action, "reject") == 0 && strcmp(a[i].user, "admin") == 0;
	}
	fnl_audit_free(a, n);
	assert_int_equal(created, 4);
	assert_int_equal(approved, 1);
	assert_int_equal(rejected, 1);

	/* rounds are counted per lead */
	struct fnl_lead l2 = qualified(t, "报价二号有限公司", "s1");
	assert_int_equal(quote(t, &c, l2.id, 100).round, 1);
}

static void test_discount_limit_configured(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = qualified(t, "限额科技有限公司", "s1");
	struct fnl_ctx c = tctx(T_NOW, o.s1);
	char v[16];
	T_OK(t, fnl_config_get(t->db, "quote.discount_limit", v, sizeof v));
	assert_string_equal(v, "15");
	t_config(t, "quote.discount_limit", "20");
	assert_string_equal(quote(t, &c, l.id, 1501).status, "within_limit");
	assert_string_equal(quote(t, &c, l.id, 2000).status, "within_limit");
	assert_string_equal(quote(t, &c, l.id, 2001).status, "pending");
	t_config(t, "quote.discount_limit", "12.5");
	assert_string_equal(quote(t, &c, l.id, 1250).status, "within_limit");
	assert_string_equal(quote(t, &c, l.id, 1251).status, "pending");
	/* 0: every discount needs approval, no discount does not */
	t_config(t, "quote.discount_limit", "0");
	assert_string_equal(quote(t, &c, l.id, 0).status, "within_limit");
	assert_string_equal(quote(t, &c, l.id, 1).status, "pending");
	/* a limit out of 0-100 or with three decimals is refused */
	struct fnl_ctx admin = t_admin(t, T_NOW);
	T_RC(t, fnl_config_set(t->db, &admin, "quote.discount_limit", "100.01"), FNL_EINVAL);
	T_RC(t, fnl_config_set(t->db, &admin, "quote.discount_limit", "12.345"), FNL_EINVAL);
	T_RC(t, fnl_config_set(t->db, &admin, "quote.discount_limit", "-1"), FNL_EINVAL);
	T_OK(t, fnl_config_get(t->db, "quote.discount_limit", v, sizeof v));
	assert_string_equal(v, "0");
	struct fnl_ctx m1 = tctx(T_NOW, o.m1);
	T_RC(t, fnl_config_set(t->db, &m1, "quote.discount_limit", "30"), FNL_EPERM);
}

static void test_quote_errors(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = qualified(t, "报价错误有限公司", "s1");
	struct fnl_ctx c = tctx(T_NOW, o.s1);
	struct fnl_quote q;
	struct {
		int64_t amount;
		int discount, days;
		const char *field;
	} bad[] = {
		{0, 1000, 30, "amount"},
		{-100, 1000, 30, "amount"},
		{100, 10001, 30, "discount"},
		{100, -1, 30, "discount"},
		{100, 1000, -1, "delivery"},
		{100, 1000, 3651, "delivery"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		EXPECT_UNCHANGED(t, fnl_quote_add(t->db, &c, l.id, bad[i].amount, bad[i].discount, "", bad[i].days, &q),
				 FNL_EINVAL);
		if (strcmp(fnl_errfield(t->db), bad[i].field) != 0)
			fail_msg("case %zu: field '%s', expected '%s'", i, fnl_errfield(t->db), bad[i].field);
	}
	/* the edges are fine: 100 %, 0 and 3650 days, one 分 */
	T_OK(t, fnl_quote_add(t->db, &c, l.id, 1, 10000, "", 0, &q));
	assert_string_equal(q.status, "pending");
	T_OK(t, fnl_quote_add(t->db, &c, l.id, 1, 0, "", 3650, &q));
	assert_int_equal(q.round, 2);
	/* another's lead; a lost lead */
	struct fnl_ctx s3 = tctx(T_NOW, o.s3);
	EXPECT_UNCHANGED(t, fnl_quote_add(t->db, &s3, l.id, 100, 0, "", 0, &q), FNL_EPERM);
	struct fnl_lead out;
	T_OK(t, fnl_lead_lose(t->db, &c, l.id, "price", "", &out));
	EXPECT_UNCHANGED(t, fnl_quote_add(t->db, &c, l.id, 100, 0, "", 0, &q), FNL_ESTATE);
}

static void test_obstacles(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = qualified(t, "障碍科技有限公司", "s1");
	struct fnl_ctx c = tctx(T_NOW, o.s1);
	static const char *const types[] = {"price", "terms", "delivery", "competitor", "authority", "timing"};
	static const char *const en[] = {"Price", "Terms", "Delivery", "Competitor", "Authority", "Timing"};
	struct fnl_obstacle ob;
	for (size_t i = 0; i < 6; i++) {
		assert_true(fnl_obstacle_type_valid(types[i]));
		assert_string_equal(fnl_obstacle_type_name(types[i], "en"), en[i]);
		T_OK(t, fnl_obstacle_add(t->db, &c, l.id, types[i], "说明", &ob));
		assert_string_equal(ob.type, types[i]);
		assert_int_equal(ob.resolved_at, 0);
	}
	assert_false(fnl_obstacle_type_valid("weather"));
	EXPECT_UNCHANGED(t, fnl_obstacle_add(t->db, &c, l.id, "weather", "下雨", &ob), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "type");
	EXPECT_UNCHANGED(t, fnl_obstacle_add(t->db, &c, l.id, "price", "", &ob), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "text");

	struct fnl_ctx later = tctx(T_NOW + T_DAY, o.s1);
	T_OK(t, fnl_obstacle_resolve(t->db, &later, ob.id, "客户同意下个月启动", &ob));
	assert_int_equal(ob.resolved_at, T_NOW + T_DAY);
	assert_string_equal(ob.resolution, "客户同意下个月启动");
	EXPECT_UNCHANGED(t, fnl_obstacle_resolve(t->db, &later, ob.id, "再次", &ob), FNL_ESTATE);
	EXPECT_UNCHANGED(t, fnl_obstacle_resolve(t->db, &later, 4242, "", &ob), FNL_ENOTFOUND);
	struct fnl_obstacle *v;
	size_t n, open = 0;
	T_OK(t, fnl_obstacle_list(t->db, &c, l.id, &v, &n));
	assert_int_equal(n, 6);
	for (size_t i = 0; i < n; i++)
		open += v[i].resolved_at == 0;
	assert_int_equal(open, 5);
	assert_string_equal(v[5].type, "timing");
	assert_int_equal(v[5].resolved_at, T_NOW + T_DAY);
	free(v);
}

/* A lost lead's pending quote and open obstacle wait until it is reopened; a won lead's stay as
 * they were. */
static void test_decided_on_open_leads(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = qualified(t, "丢单报价有限公司", "s1"), out;
	struct fnl_ctx c = tctx(T_NOW, o.s1), m1 = tctx(T_NOW + T_HOUR, o.m1);
	struct fnl_quote q = quote(t, &c, l.id, 2000), d;
	struct fnl_obstacle ob;
	T_OK(t, fnl_obstacle_add(t->db, &c, l.id, "price", "预算不足", &ob));
	T_OK(t, fnl_lead_lose(t->db, &c, l.id, "price", "", &out));

	EXPECT_UNCHANGED(t, fnl_quote_decide(t->db, &m1, q.id, 1, "", &d), FNL_ESTATE);
	char want[160];
	snprintf(want, sizeof want, "cannot decide on quote %lld: lead %lld is lost (reopen it first)",
		 (long long)q.id, (long long)l.id);
	assert_string_equal(fnl_errmsg(t->db), want);
	struct fnl_ctx admin = t_admin(t, T_NOW + T_HOUR);
	EXPECT_UNCHANGED(t, fnl_quote_decide(t->db, &admin, q.id, 0, "", &d), FNL_ESTATE);
	EXPECT_UNCHANGED(t, fnl_obstacle_resolve(t->db, &c, ob.id, "", &ob), FNL_ESTATE);
	/* the manager of another team still hears that the quote is not theirs */
	struct fnl_ctx m2 = tctx(T_NOW, o.m2);
	EXPECT_UNCHANGED(t, fnl_quote_decide(t->db, &m2, q.id, 1, "", &d), FNL_EPERM);

	/* reopened: the quote still waits, and is decided once */
	T_OK(t, fnl_lead_reopen(t->db, &c, l.id, "", &out));
	T_OK(t, fnl_quote_decide(t->db, &m1, q.id, 1, "", &d));
	assert_string_equal(d.status, "approved");
	T_OK(t, fnl_obstacle_resolve(t->db, &c, ob.id, "分期付款", &ob));
	assert_int_equal(ob.resolved_at, T_NOW);

	/* won by force with a quote still pending: it stays pending */
	struct fnl_quote q2 = quote(t, &c, l.id, 3000);
	struct fnl_ctx force = tctx(T_NOW, o.m1);
	T_OK(t, fnl_lead_force(t->db, &force, l.id, "won", "", &out));
	EXPECT_UNCHANGED(t, fnl_quote_decide(t->db, &m1, q2.id, 1, "", &d), FNL_ESTATE);
}

/* ---- percentages ---- */

static void test_percent_parse(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int bp;
	} ok[] = {
		{"15", 1500}, {"15.01", 1501}, {"0.5", 50}, {"100", 10000}, {"0", 0},      {"0.01", 1},
		{"15.1", 1510}, {"15.10", 1510}, {"99.99", 9999}, {"100.00", 10000},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct fnl_error err = {0};
		int bp = -1;
		if (fnl_percent_parse(ok[i].text, "discount", &bp, &err) != FNL_OK)
			fail_msg("'%s' refused: %s", ok[i].text, err.message);
		if (bp != ok[i].bp)
			fail_msg("'%s' -> %d, expected %d", ok[i].text, bp, ok[i].bp);
	}
	static const char *const bad[] = {"100.01", "101", "-1", "15.001", "1e1", "", " 15", "15 ", "15%",
					  "+5", ".5", "5.", "1,5", "abc", "99999999999999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct fnl_error err = {0};
		int bp = -7;
		if (fnl_percent_parse(bad[i], "discount", &bp, &err) != FNL_EINVAL)
			fail_msg("'%s' accepted as %d", bad[i], bp);
		assert_int_equal(bp, -7);
		assert_int_equal(err.code, FNL_EINVAL);
		assert_string_equal(err.field, "discount");
		assert_true(strncmp(err.message, "discount: ", 10) == 0);
	}
	struct fnl_error err = {0};
	int bp;
	assert_int_equal(fnl_percent_parse(NULL, "limit", &bp, &err), FNL_EINVAL);
	assert_string_equal(err.field, "limit");
}

static void test_percent_format(void **state)
{
	(void)state;
	static const struct {
		int bp;
		const char *text;
	} cases[] = {
		{1500, "15"}, {1501, "15.01"}, {50, "0.5"}, {10000, "100"}, {0, "0"},
		{1, "0.01"},  {1510, "15.1"},  {5, "0.05"}, {9999, "99.99"}, {1250, "12.5"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[16];
		size_t n = fnl_percent_format(cases[i].bp, buf, sizeof buf);
		assert_string_equal(buf, cases[i].text);
		assert_int_equal(n, strlen(cases[i].text));
		/* and back */
		struct fnl_error err = {0};
		int bp = -1;
		assert_int_equal(fnl_percent_parse(buf, "discount", &bp, &err), FNL_OK);
		assert_int_equal(bp, cases[i].bp);
	}
	/* every value 0-100 % round-trips */
	for (int bp = 0; bp <= 10000; bp++) {
		char buf[16];
		fnl_percent_format(bp, buf, sizeof buf);
		struct fnl_error err = {0};
		int back = -1;
		if (fnl_percent_parse(buf, "discount", &back, &err) || back != bp)
			fail_msg("%d -> '%s' -> %d", bp, buf, back);
	}
}

/* ---- money ---- */

static void test_money_parse(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		int64_t fen;
	} ok[] = {
		{"0.01", 1},
		{"1000000", INT64_C(100000000)}, /* a million yuan */
		{"128000.50", INT64_C(12800050)},
		{"128000.5", INT64_C(12800050)},
		{"0", 0},
		{"0.00", 0},
		{"1", 100},
		{"1.1", 110},
		{"10000000000000", INT64_C(1000000000000000)}, /* 10^13 yuan, the most */
		{"10000000000000.00", INT64_C(1000000000000000)},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		struct fnl_error err = {0};
		int64_t fen = -1;
		if (fnl_money_parse(ok[i].text, "amount", &fen, &err) != FNL_OK)
			fail_msg("'%s' refused: %s", ok[i].text, err.message);
		if (fen != ok[i].fen)
			fail_msg("'%s' -> %lld, expected %lld", ok[i].text, (long long)fen, (long long)ok[i].fen);
	}
	static const char *const bad[] = {"12,5",  "-3", "1e6", "",   " 1",    "1 ",  "1.234",
					  "+3",    "10000000000001", "10000000000000.01", "1.", ".5", "¥5",
					  "1,000", "99999999999999999999", "0x10", "1.2.3"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct fnl_error err = {0};
		int64_t fen = -7;
		if (fnl_money_parse(bad[i], "amount", &fen, &err) != FNL_EINVAL)
			fail_msg("'%s' accepted as %lld", bad[i], (long long)fen);
		assert_int_equal(fen, -7);
		assert_string_equal(err.field, "amount");
		/* a clear message: the field first, then the value as written */
		if (strncmp(err.message, "amount: ", 8) != 0)
			fail_msg("'%s': message '%s' does not start with the field", bad[i], err.message);
		if (bad[i][0]) {
			char quoted[64];
			snprintf(quoted, sizeof quoted, "'%s'", bad[i]);
			if (!strstr(err.message, quoted))
				fail_msg("'%s': message '%s' does not quote the value", bad[i], err.message);
		}
	}
	struct fnl_error err = {0};
	int64_t fen;
	assert_int_equal(fnl_money_parse(NULL, "deal amount", &fen, &err), FNL_EINVAL);
	assert_string_equal(err.field, "deal amount");
	assert_true(strncmp(err.message, "deal amount: ", 13) == 0);
}

static void test_money_format(void **state)
{
	(void)state;
	static const struct {
		int64_t fen;
		const char *text;
	} cases[] = {
		{1, "0.01"},
		{INT64_C(100000000), "1000000.00"},
		{INT64_C(12800050), "128000.50"},
		{0, "0.00"},
		{10, "0.10"},
		{100, "1.00"},
		{INT64_C(1000000000000000), "10000000000000.00"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[32];
		size_t n = fnl_money_format(cases[i].fen, buf, sizeof buf);
		assert_string_equal(buf, cases[i].text);
		assert_int_equal(n, strlen(cases[i].text));
		struct fnl_error err = {0};
		int64_t back = -1;
		assert_int_equal(fnl_money_parse(buf, "amount", &back, &err), FNL_OK);
		assert_int_equal(back, cases[i].fen);
	}
	/* a short buffer is cut, still terminated */
	char small[6];
	fnl_money_format(INT64_C(12800050), small, sizeof small);
	assert_string_equal(small, "12800");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_discount_limit),
		T_TEST(test_discount_limit_configured),
		T_TEST(test_quote_errors),
		T_TEST(test_obstacles),
		T_TEST(test_decided_on_open_leads),
		cmocka_unit_test(test_percent_parse),
		cmocka_unit_test(test_percent_format),
		cmocka_unit_test(test_money_parse),
		cmocka_unit_test(test_money_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
