/*
 * tests/unit/test_report_channels.c - report channels (SPEC §7) and channel spend (SPEC §3) on a
 * small case computed by hand. The period is 2026-11-01 to 2026-11-15 (15 of November's 30 days).
 *
 *  website  W1 11-02 graded A, won 11-10 (100000.00)      sem  S1 11-05 graded C (nurture)
 *           W2 11-02 graded B, lost at qualify 11-10            S2 11-05 graded A, propose 11-05 (skip)
 *           W3 11-02 nothing past capture (ungraded)            S3 11-05 invalid
 *           W4 11-02 invalid                                    S4 11-06 duplicate of S1 (merged)
 *           W5 11-05 duplicate of W3 (merged)                   S5 11-05 graded B, negotiate 11-06,
 *           W6 10-20 won 10-25 (outside the period)                   lost at negotiate 11-07
 *           W7 11-03 graded A, propose 11-04, back to           S6 11-05 ungraded, propose 11-06 (skip),
 *                    discover 11-05, lost there 11-06                 lost at propose 11-07
 *           W8 11-03 lost at acquire 11-04 (ungraded)     social  no leads, spend only
 *
 *  spend    website 2026-10 31000.00 (outside), 2026-11 30000.00 -> 15/30 = 15000.00
 *           sem     2026-11 10000.01 -> 5000.005 -> 5000.01 (halves round up)
 *           social  2026-11 600.00 -> 300.00
 */
#include "report_cases.h"

#define FROM "2026-11-01T00:00:00+08:00"
#define TO "2026-11-16T00:00:00+08:00"

static void spend(struct tenv *t, const char *channel, const char *month, int64_t fen)
{
	struct fnl_ctx c = t_admin(t, T_NOW);
	T_OK(t, fnl_channel_spend_set(t->db, &c, channel, month, fen, NULL));
}

static void build(struct tenv *t)
{
	t_user(t, "li", "sales", "华东一部");
	int64_t o20 = t_time(t, "2026-10-20T10:00:00+08:00"), o25 = t_time(t, "2026-10-25T10:00:00+08:00");
	int64_t n02 = t_time(t, "2026-11-02T10:00:00+08:00"), n05 = t_time(t, "2026-11-05T10:00:00+08:00");
	int64_t n06 = t_time(t, "2026-11-06T10:00:00+08:00"), n10 = t_time(t, "2026-11-10T10:00:00+08:00");
	int64_t w1 = r_lead(t, n02, "W1", "website", "li");
	t_score(t, w1, n02, 4, 4, 4, 4);
	r_advance(t, w1, "won", n10);
	int64_t w2 = r_lead(t, n02, "W2", "website", "li");
	t_score(t, w2, n02, 3, 3, 3, 3);
	r_lose(t, w2, "price", n10);
	int64_t w3 = r_lead(t, n02, "W3", "website", "li");
	r_invalid(t, n02, "W4", "website");
	r_duplicate(t, n05, w3, "website");
	int64_t w6 = r_lead(t, o20, "W6", "website", "li");
	r_advance(t, w6, "won", o25);
	int64_t s1 = r_lead(t, n05, "S1", "sem", "li");
	t_score(t, s1, n05, 1, 1, 1, 1);
	int64_t s2 = r_lead(t, n05, "S2", "sem", "li");
	t_score(t, s2, n05, 4, 4, 4, 4);
	r_advance(t, s2, "propose", n05);
	r_invalid(t, n05, "S3", "sem");
	r_duplicate(t, n06, s1, "sem");
	int64_t n03 = t_time(t, "2026-11-03T10:00:00+08:00"), n04 = t_time(t, "2026-11-04T10:00:00+08:00");
	int64_t n07 = t_time(t, "2026-11-07T10:00:00+08:00");
	int64_t w7 = r_lead(t, n03, "W7", "website", "li");
	t_score(t, w7, n03, 4, 4, 4, 4);
	r_advance(t, w7, "propose", n04);
	r_move(t, w7, "discover", n05, "方案需调整");
	r_lose(t, w7, "competitor", n06);
	int64_t w8 = r_lead(t, n03, "W8", "website", "li");
	r_lose(t, w8, "no_response", n04);
	int64_t s5 = r_lead(t, n05, "S5", "sem", "li");
	t_score(t, s5, n05, 3, 3, 3, 3);
	r_advance(t, s5, "negotiate", n06);
	r_lose(t, s5, "price", n07);
	int64_t s6 = r_lead(t, n05, "S6", "sem", "li");
	r_advance(t, s6, "propose", n06);
	r_lose(t, s6, "timing", n07);
	spend(t, "website", "2026-10", 3100000);
	spend(t, "website", "2026-11", 3000000);
	spend(t, "sem", "2026-11", 1000001);
	spend(t, "social", "2026-11", 60000);
}

static const char expected[] =
	"{\"spend_applies\": true, \"groups\": ["
	"{\"key\": \"sem\", \"name\": \"Search keywords\", \"leads\": 6, \"invalid\": 1, \"invalid_rate\": 0.1666667,"
	" \"duplicates\": 1, \"duplicate_rate\": 0.1666667, \"valid\": 4, \"grades\": {\"a\": 1, \"b\": 1, \"c\": 1, \"none\": 1},"
	" \"stages\": [{\"key\": \"acquire\", \"reached\": 4, \"conversion\": 1.0}, {\"reached\": 4, \"conversion\": 0.75},"
	" {\"reached\": 3, \"conversion\": 1.0}, {\"reached\": 3, \"conversion\": 0.3333333}, {\"reached\": 1, \"conversion\": 0.0},"
	" {\"key\": \"won\", \"reached\": 0, \"conversion\": null}],"
	" \"won_count\": 0, \"won_amount\": 0, \"spend\": 500001, \"cost_per_lead\": 83333, \"cost_per_valid_lead\": 125000,"
	" \"cost_per_deal\": null, \"roi\": -1.0},"
	"{\"key\": \"social\", \"leads\": 0, \"invalid\": 0, \"invalid_rate\": null, \"duplicates\": 0, \"duplicate_rate\": null,"
	" \"valid\": 0, \"grades\": {\"a\": 0, \"b\": 0, \"c\": 0, \"none\": 0},"
	" \"stages\": [{\"reached\": 0, \"conversion\": null}, {\"reached\": 0, \"conversion\": null},"
	" {\"reached\": 0, \"conversion\": null}, {\"reached\": 0, \"conversion\": null}, {\"reached\": 0, \"conversion\": null},"
	" {\"reached\": 0, \"conversion\": null}],"
	" \"won_count\": 0, \"won_amount\": 0, \"spend\": 30000, \"cost_per_lead\": null, \"cost_per_valid_lead\": null,"
	" \"cost_per_deal\": null, \"roi\": -1.0},"
	"{\"key\": \"website\", \"leads\": 7, \"invalid\": 1, \"invalid_rate\": 0.1428571, \"duplicates\": 1,"
	" \"duplicate_rate\": 0.1428571, \"valid\": 5, \"grades\": {\"a\": 2, \"b\": 1, \"c\": 0, \"none\": 2},"
	" \"stages\": [{\"reached\": 5, \"conversion\": 0.6}, {\"reached\": 3, \"conversion\": 0.6666667},"
	" {\"reached\": 2, \"conversion\": 1.0}, {\"reached\": 2, \"conversion\": 0.5}, {\"reached\": 1, \"conversion\": 1.0},"
	" {\"reached\": 1, \"conversion\": null}],"
	" \"won_count\": 1, \"won_amount\": 10000000, \"spend\": 1500000, \"cost_per_lead\": 214285,"
	" \"cost_per_valid_lead\": 300000, \"cost_per_deal\": 1500000, \"roi\": 5.6666667}],"
	"\"total\": {\"key\": \"all\", \"leads\": 13, \"invalid\": 2, \"invalid_rate\": 0.1538462, \"duplicates\": 2,"
	" \"duplicate_rate\": 0.1538462, \"valid\": 9, \"grades\": {\"a\": 3, \"b\": 2, \"c\": 1, \"none\": 3},"
	" \"stages\": [{\"reached\": 9, \"conversion\": 0.7777778}, {\"reached\": 7, \"conversion\": 0.7142857},"
	" {\"reached\": 5, \"conversion\": 1.0}, {\"reached\": 5, \"conversion\": 0.4}, {\"reached\": 2, \"conversion\": 0.5},"
	" {\"reached\": 1, \"conversion\": null}],"
	" \"won_count\": 1, \"won_amount\": 10000000, \"spend\": 2030001, \"cost_per_lead\": 156153,"
	" \"cost_per_valid_lead\": 225555, \"cost_per_deal\": 2030001, \"roi\": 3.9261059}}";

static void test_channels(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_query q = r_query(t, FROM, TO);
	struct fnl_report r;
	r_run(t, fnl_report_channels, &q, T_NOW, &r);
	r_doc_check(r.doc, expected);
	/* the table: a row per channel and the total; money in yuan, rates in percent */
	assert_int_equal(fnl_rtable_nrows(r.table), 4);
	assert_string_equal(r_cell(r.table, 0, "spend"), "5000.01");
	assert_string_equal(r_cell(r.table, 2, "conversion_acquire"), "60.0%");
	assert_string_equal(r_cell(r.table, 2, "roi"), "566.7%");
	assert_string_equal(r_cell(r.table, 3, "channel"), "total");
	assert_string_equal(r_cell(r.table, 1, "cost_per_lead"), "");
	fnl_report_free(&r);

	/* --by channel is the same report */
	q.by = FNL_DIM_CHANNEL;
	r_run(t, fnl_report_channels, &q, T_NOW, &r);
	r_doc_check(r.doc, expected);
	fnl_report_free(&r);
}

/* Without a period: every lead (W6 too) and every month of spend in full. */
static void test_channels_unbounded(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_query q = r_query(t, "", "");
	q.filter[FNL_DIM_CHANNEL] = r_find(t, FNL_DIM_CHANNEL, "website");
	struct fnl_report r;
	r_run(t, fnl_report_channels, &q, T_NOW, &r);
	assert_int_equal(json_array_size(r_get(r.doc, "groups")), 1);
	assert_string_equal(json_string_value(r_get(r.doc, "groups.0.key")), "website");
	assert_int_equal(r_int(r.doc, "groups.0.leads"), 8);
	assert_int_equal(r_int(r.doc, "groups.0.won_count"), 2);
	assert_int_equal(r_int(r.doc, "groups.0.won_amount"), 20000000);
	assert_int_equal(r_int(r.doc, "groups.0.spend"), 6100000);
	assert_int_equal(r_int(r.doc, "groups.0.cost_per_deal"), 3050000);
	assert_int_equal(r_int(r.doc, "total.spend"), 6100000);
	fnl_report_free(&r);
}

/* A month partly in the period counts pro rata: 2026-10-17 .. 2026-11-03 is 15/31 of October and
 * 3/30 of November; a period that misses every month of spend leaves the spend unknown (null). */
static void test_channels_partial_months(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_query q = r_query(t, "2026-10-17T00:00:00+08:00", "2026-11-04T00:00:00+08:00");
	struct fnl_report r;
	r_run(t, fnl_report_channels, &q, T_NOW, &r);
	/* website: 3100000 x 15/31 = 1500000, 3000000 x 3/30 = 300000 */
	json_t *g = r_get(r.doc, "groups");
	size_t i;
	json_t *x;
	int seen = 0;
	json_array_foreach(g, i, x)
	{
		const char *key = json_string_value(json_object_get(x, "key"));
		if (strcmp(key, "website") == 0) {
			assert_int_equal(json_integer_value(json_object_get(x, "spend")), 1800000);
			seen++;
		} else if (strcmp(key, "sem") == 0) {
			/* 1000001 x 3/30 = 100000.1 -> 100000 */
			assert_int_equal(json_integer_value(json_object_get(x, "spend")), 100000);
			seen++;
		}
	}
	assert_int_equal(seen, 2);
	fnl_report_free(&r);

	q = r_query(t, "2026-09-01T00:00:00+08:00", "2026-10-01T00:00:00+08:00");
	r_run(t, fnl_report_channels, &q, T_NOW, &r);
	assert_int_equal(json_array_size(r_get(r.doc, "groups")), 0);
	assert_true(json_is_null(r_get(r.doc, "total.spend")));
	assert_true(json_is_null(r_get(r.doc, "total.cost_per_lead")));
	assert_true(json_is_null(r_get(r.doc, "total.roi")));
	assert_int_equal(r_int(r.doc, "total.leads"), 0);
	fnl_report_free(&r);
}

/* Spend cannot be split by owner: with an owner filter the spend figures are null. The invalid and
 * merged records have no owner, so they drop out too. */
static void test_channels_owner_filter(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_query q = r_query(t, FROM, TO);
	q.filter[FNL_DIM_OWNER] = r_find(t, FNL_DIM_OWNER, "li");
	struct fnl_report r;
	r_run(t, fnl_report_channels, &q, T_NOW, &r);
	assert_false(json_is_true(r_get(r.doc, "spend_applies")));
	assert_int_equal(json_array_size(r_get(r.doc, "groups")), 2);
	assert_int_equal(r_int(r.doc, "groups.0.leads"), 4);
	assert_int_equal(r_int(r.doc, "groups.1.leads"), 5);
	assert_int_equal(r_int(r.doc, "groups.1.invalid"), 0);
	assert_true(json_is_null(r_get(r.doc, "groups.1.spend")));
	assert_true(json_is_null(r_get(r.doc, "groups.1.cost_per_lead")));
	assert_true(json_is_null(r_get(r.doc, "groups.1.roi")));
	assert_true(json_is_null(r_get(r.doc, "total.spend")));
	fnl_report_free(&r);
}

static void test_channels_by_other(void **state)
{
	struct tenv *t = *state;
	build(t);
	fnl_snapshot *s;
	T_OK(t, fnl_snapshot_build(t->db, &s));
	struct fnl_report_opts o;
	memset(&o, 0, sizeof o);
	fnl_query_init(&o.q);
	o.q.by = FNL_DIM_OWNER;
	o.now = T_NOW;
	struct fnl_report r;
	T_RC(t, fnl_report_channels(t->db, s, &o, &r), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "by");
	assert_null(r.doc);
	assert_null(r.table);
	fnl_snapshot_free(s);
}

/* ---- fnl_channel_spend_set / _list ---- */

static void test_spend_set_list(void **state)
{
	struct tenv *t = *state;
	int64_t mkt = t_user(t, "mkt", "marketing", NULL);
	int64_t li = t_user(t, "li", "sales", "华东一部");
	struct fnl_ctx c = tctx(T_NOW, mkt);
	struct fnl_channel_spend x;
	T_OK(t, fnl_channel_spend_set(t->db, &c, "sem", "2026-10", 1200000, &x));
	assert_string_equal(x.channel, "sem");
	assert_string_equal(x.month, "2026-10");
	assert_int_equal(x.amount, 1200000);
	assert_string_equal(x.user, "mkt");
	assert_int_equal(x.updated_at, T_NOW);
	/* a second set replaces the month's amount */
	c.now = T_NOW + 60;
	T_OK(t, fnl_channel_spend_set(t->db, &c, "sem", "2026-10", 1500050, &x));
	assert_int_equal(x.amount, 1500050);
	T_OK(t, fnl_channel_spend_set(t->db, &c, "sem", "2026-09", 0, NULL));
	T_OK(t, fnl_channel_spend_set(t->db, &c, "website", "2026-10", 700000, NULL));
	struct fnl_channel_spend *v;
	size_t n;
	T_OK(t, fnl_channel_spend_list(t->db, &c, "sem", &v, &n));
	assert_int_equal(n, 2);
	assert_string_equal(v[0].month, "2026-09");
	assert_int_equal(v[0].amount, 0);
	assert_string_equal(v[1].month, "2026-10");
	assert_int_equal(v[1].amount, 1500050);
	free(v);
	T_OK(t, fnl_channel_spend_list(t->db, &c, NULL, &v, &n));
	assert_int_equal(n, 3);
	free(v);
	/* audited: create, then update with before and after */
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM audit WHERE entity = 'channel_spend'"), 4);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM audit WHERE entity = 'channel_spend' AND entity_id = "
				      "'sem/2026-10' AND action = 'update' AND before = '{\"amount\":1200000}' AND after = "
				      "'{\"amount\":1500050}'"),
			 1);
	/* refused: a sales user, a bad month, a negative amount, an unknown channel; nothing changes */
	struct fnl_ctx cs = tctx(T_NOW, li);
	T_RC(t, fnl_channel_spend_set(t->db, &cs, "sem", "2026-11", 100, NULL), FNL_EPERM);
	T_RC(t, fnl_channel_spend_set(t->db, &c, "sem", "2026-13", 100, NULL), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "month");
	T_RC(t, fnl_channel_spend_set(t->db, &c, "sem", "2026-1", 100, NULL), FNL_EINVAL);
	T_RC(t, fnl_channel_spend_set(t->db, &c, "sem", "2026-11", -1, NULL), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "amount");
	T_RC(t, fnl_channel_spend_set(t->db, &c, "tv", "2026-11", 100, NULL), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "channel");
	T_RC(t, fnl_channel_spend_list(t->db, &c, "tv", &v, &n), FNL_EINVAL);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM channel_spend"), 3);
	/* read by those who see spend in report channels: not a sales user, an after-sales user or the
	 * manager of a team (their view of the report has no spend), but a manager without a team */
	const int64_t not_them[] = {li, t_user(t, "af", "aftersales", NULL), t_user(t, "m1", "manager", "华东一部")};
	for (size_t i = 0; i < sizeof not_them / sizeof not_them[0]; i++) {
		struct fnl_ctx co = tctx(T_NOW, not_them[i]);
		v = (void *)&x;
		T_RC(t, fnl_channel_spend_list(t->db, &co, "sem", &v, &n), FNL_EPERM);
		assert_string_equal(fnl_errfield(t->db), "as");
		assert_null(v);
		assert_int_equal(n, 0);
	}
	struct fnl_ctx cm = tctx(T_NOW, t_user(t, "boss", "manager", NULL));
	T_OK(t, fnl_channel_spend_list(t->db, &cm, NULL, &v, &n));
	assert_int_equal(n, 3);
	free(v);
	/* the admin may too */
	struct fnl_ctx ca = t_admin(t, T_NOW);
	T_OK(t, fnl_channel_spend_set(t->db, &ca, "sem", "2026-11", 100, NULL));
	T_OK(t, fnl_channel_spend_list(t->db, &ca, "sem", &v, &n));
	assert_int_equal(n, 3);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_channels),
		T_TEST(test_channels_unbounded),
		T_TEST(test_channels_partial_months),
		T_TEST(test_channels_owner_filter),
		T_TEST(test_channels_by_other),
		T_TEST(test_spend_set_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
