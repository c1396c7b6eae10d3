/*
 * tests/unit/test_report_forecast.c - report forecast (SPEC §7) on a small case computed by hand, at
 * now = 2026-11-29 10:00 (+08:00); the empirical window is [2025-11-29 10:00, now].
 *
 * Closed leads (reached stage, outcome, when):
 *   E1 won (6) 2026-06-10   E2 won (6, skip forward from acquire) 2026-09-10
 *   E3 lost at propose (4) 2026-08-10   E4 lost at qualify (2) 2026-07-10   E5 lost at acquire (1) 2026-05-10
 *   E6 reached propose, moved back to discover, lost there 2026-10-10 (reached 4)
 *   E10 lost at negotiate (5) 2026-04-10
 *   E7 won 2025-10-10 and E8 lost 2025-11-28 10:00: before the window; E9 lost at acquire exactly at
 *   2025-11-29 10:00:00: in it.
 * In the window, by stage k (leads that reached k): closed 8/6/5/5/3, won 2/2/2/2/2, so the empirical
 * probability is 0.25, 1/3, 0.4, 0.4, 2/3 (configured: 5, 10, 25, 50, 75 %).
 *
 * Open pipeline (stage, expected amount, close month):
 *   P1 qualify 100000.00 2026-12   P2 propose 200000.00 2026-12   P7 (sem) qualify 10000.01 2026-12
 *   P3 negotiate 50000.00 2027-01  P4 acquire, nothing past capture   P5 discover 30000.00, no month
 *   P6 graded C (nurture) 99000.00 2026-12: not in the open pipeline
 * 2026-12: 3 leads, 310000.01; configured (11000001 x 10 + 20000000 x 50) / 100 = 11100000.1 -> 11100000;
 *          empirical 11000001 / 3 + 20000000 x 0.4 = 3666667 + 8000000 = 11666667
 * 2027-01: 1, 5000000, 5000000 x 0.75 = 3750000, x 2/3 = 3333333.3 -> 3333333
 * none:    2, 3000000, 3000000 x 0.25 = 750000, x 0.4 = 1200000
 */
#include "report_cases.h"

static void build(struct tenv *t)
{
	t_user(t, "li", "sales", "华东一部");
#define AT(s) t_time(t, s "T10:00:00+08:00")
	int64_t e1 = r_lead(t, AT("2026-06-01"), "E1", "website", "li");
	r_advance(t, e1, "won", AT("2026-06-10"));
	int64_t e2 = r_lead(t, AT("2026-09-01"), "E2", "website", "li");
	r_advance(t, e2, "won", AT("2026-09-10"));
	int64_t e3 = r_lead(t, AT("2026-08-01"), "E3", "website", "li");
	r_advance(t, e3, "propose", AT("2026-08-05"));
	r_lose(t, e3, "price", AT("2026-08-10"));
	int64_t e4 = r_lead(t, AT("2026-07-01"), "E4", "website", "li");
	t_score(t, e4, AT("2026-07-02"), 3, 3, 3, 3);
	r_lose(t, e4, "no_budget", AT("2026-07-10"));
	int64_t e5 = r_lead(t, AT("2026-05-01"), "E5", "website", "li");
	r_lose(t, e5, "no_response", AT("2026-05-10"));
	int64_t e6 = r_lead(t, AT("2026-10-01"), "E6", "website", "li");
	r_advance(t, e6, "propose", AT("2026-10-03"));
	r_move(t, e6, "discover", AT("2026-10-05"), "方案被否, 重新挖掘需求");
	r_lose(t, e6, "competitor", AT("2026-10-10"));
	int64_t e7 = r_lead(t, AT("2025-10-01"), "E7", "website", "li");
	r_advance(t, e7, "won", AT("2025-10-10"));
	int64_t e8 = r_lead(t, AT("2025-11-01"), "E8", "website", "li");
	r_lose(t, e8, "timing", AT("2025-11-28"));
	int64_t e9 = r_lead(t, AT("2025-11-01"), "E9", "website", "li");
	r_lose(t, e9, "timing", AT("2025-11-29"));
	int64_t e10 = r_lead(t, AT("2026-04-01"), "E10", "website", "li");
	r_advance(t, e10, "negotiate", AT("2026-04-05"));
	r_lose(t, e10, "price", AT("2026-04-10"));

	int64_t p1 = r_lead(t, AT("2026-11-01"), "P1", "website", "li");
	t_score(t, p1, AT("2026-11-02"), 4, 4, 4, 4);
	r_expect(t, p1, 10000000, "2026-12", AT("2026-11-03"));
	int64_t p2 = r_lead(t, AT("2026-11-01"), "P2", "website", "li");
	t_score(t, p2, AT("2026-11-02"), 4, 4, 4, 4);
	r_advance(t, p2, "propose", AT("2026-11-03"));
	r_expect(t, p2, 20000000, "2026-12", AT("2026-11-03"));
	int64_t p3 = r_lead(t, AT("2026-11-01"), "P3", "website", "li");
	r_advance(t, p3, "negotiate", AT("2026-11-04"));
	r_expect(t, p3, 5000000, "2027-01", AT("2026-11-04"));
	r_lead(t, AT("2026-11-20"), "P4", "website", "li");
	int64_t p5 = r_lead(t, AT("2026-11-01"), "P5", "website", "li");
	r_move(t, p5, "discover", AT("2026-11-05"), NULL);
	r_expect(t, p5, 3000000, "", AT("2026-11-05"));
	int64_t p6 = r_lead(t, AT("2026-11-01"), "P6", "website", "li");
	t_score(t, p6, AT("2026-11-02"), 1, 1, 1, 1);
	r_expect(t, p6, 9900000, "2026-12", AT("2026-11-03"));
	assert_string_equal(t_get(t, p6).status, "nurture");
	int64_t p7 = r_lead(t, AT("2026-11-01"), "P7", "sem", "li");
	t_score(t, p7, AT("2026-11-02"), 3, 3, 3, 3);
	r_expect(t, p7, 1000001, "2026-12", AT("2026-11-03"));
#undef AT
}

static const char stages[] =
	"[{\"key\": \"acquire\", \"probability\": 0.05, \"closed\": 8, \"won\": 2, \"empirical\": 0.25},"
	" {\"key\": \"qualify\", \"probability\": 0.10, \"closed\": 6, \"won\": 2, \"empirical\": 0.3333333},"
	" {\"key\": \"discover\", \"probability\": 0.25, \"closed\": 5, \"won\": 2, \"empirical\": 0.4},"
	" {\"key\": \"propose\", \"probability\": 0.50, \"closed\": 5, \"won\": 2, \"empirical\": 0.4},"
	" {\"key\": \"negotiate\", \"probability\": 0.75, \"closed\": 3, \"won\": 2, \"empirical\": 0.6666667}]";

static void test_forecast(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_query q = r_query(t, "", "");
	struct fnl_report r;
	r_run(t, fnl_report_forecast, &q, T_NOW, &r);
	char want[4096];
	snprintf(want, sizeof want,
		 "{\"window\": {\"from\": \"2025-11-29T10:00:00+08:00\", \"to\": \"2026-11-29T10:00:00+08:00\"},"
		 " \"stages\": %s, \"groups\": [{\"key\": \"all\", \"months\": ["
		 "{\"month\": \"2026-12\", \"count\": 3, \"amount\": 31000001, \"weighted\": 11100000, \"weighted_empirical\": 11666667},"
		 "{\"month\": \"2027-01\", \"count\": 1, \"amount\": 5000000, \"weighted\": 3750000, \"weighted_empirical\": 3333333},"
		 "{\"month\": null, \"count\": 2, \"amount\": 3000000, \"weighted\": 750000, \"weighted_empirical\": 1200000}],"
		 " \"total\": {\"count\": 6, \"amount\": 39000001, \"weighted\": 15600000, \"weighted_empirical\": 16200000}}]}",
		 stages);
	r_doc_check(r.doc, want);
	/* the table: the rows and the total; the detail: the stage probabilities */
	assert_int_equal(fnl_rtable_nrows(r.table), 4);
	assert_string_equal(r_cell(r.table, 2, "close_month"), "no close month");
	assert_string_equal(r_cell(r.table, 3, "close_month"), "total");
	assert_string_equal(r_cell(r.table, 3, "weighted_empirical"), "162000.00");
	assert_int_equal(fnl_rtable_nrows(r.detail), 5);
	assert_string_equal(r_cell(r.detail, 0, "empirical"), "25.0%");
	fnl_report_free(&r);
}

/* The period selects close months (no "no close month" row then); --by groups; a filter applies to
 * the pipeline and to the history behind the empirical probability. */
static void test_forecast_period_by(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_query q = r_query(t, "2027-01-01T00:00:00+08:00", "2027-02-01T00:00:00+08:00");
	struct fnl_report r;
	r_run(t, fnl_report_forecast, &q, T_NOW, &r);
	char want[4096];
	snprintf(want, sizeof want,
		 "{\"window\": {}, \"stages\": %s, \"groups\": [{\"key\": \"all\", \"months\": ["
		 "{\"month\": \"2027-01\", \"count\": 1, \"amount\": 5000000, \"weighted\": 3750000, \"weighted_empirical\": 3333333}],"
		 " \"total\": {\"count\": 1, \"amount\": 5000000, \"weighted\": 3750000, \"weighted_empirical\": 3333333}}]}",
		 stages);
	r_doc_check(r.doc, want);
	fnl_report_free(&r);

	q = r_query(t, "", "");
	q.by = FNL_DIM_CHANNEL;
	r_run(t, fnl_report_forecast, &q, T_NOW, &r);
	assert_int_equal(json_array_size(r_get(r.doc, "groups")), 2);
	assert_string_equal(json_string_value(r_get(r.doc, "groups.0.key")), "sem");
	assert_int_equal(r_int(r.doc, "groups.0.total.count"), 1);
	/* 1000001 x 10 % = 100000.1 -> 100000; / 3 = 333333.67 -> 333334 */
	assert_int_equal(r_int(r.doc, "groups.0.months.0.weighted"), 100000);
	assert_int_equal(r_int(r.doc, "groups.0.months.0.weighted_empirical"), 333334);
	assert_int_equal(r_int(r.doc, "groups.1.total.count"), 5);
	/* website's December: 10000000 x 10 % + 20000000 x 50 %; 10000000 / 3 + 20000000 x 0.4 */
	assert_int_equal(r_int(r.doc, "groups.1.months.0.weighted"), 11000000);
	assert_int_equal(r_int(r.doc, "groups.1.months.0.weighted_empirical"), 11333333);
	fnl_report_free(&r);

	/* sem has no closed leads: no empirical probability, nothing weighted by it */
	q.by = FNL_DIM_NONE;
	q.filter[FNL_DIM_CHANNEL] = r_find(t, FNL_DIM_CHANNEL, "sem");
	r_run(t, fnl_report_forecast, &q, T_NOW, &r);
	assert_true(json_is_null(r_get(r.doc, "stages.1.empirical")));
	assert_int_equal(r_int(r.doc, "stages.1.closed"), 0);
	assert_int_equal(r_int(r.doc, "groups.0.total.weighted"), 100000);
	assert_int_equal(r_int(r.doc, "groups.0.total.weighted_empirical"), 0);
	fnl_report_free(&r);
}

/* The window moves with now: a year later every closed lead above is out of it. */
static void test_forecast_window(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_query q = r_query(t, "", "");
	struct fnl_report r;
	r_run(t, fnl_report_forecast, &q, t_time(t, "2027-11-29T10:00:00+08:00"), &r);
	assert_int_equal(r_int(r.doc, "stages.0.closed"), 0);
	assert_true(json_is_null(r_get(r.doc, "stages.0.empirical")));
	assert_int_equal(r_int(r.doc, "groups.0.total.weighted_empirical"), 0);
	fnl_report_free(&r);
	/* one second later, E9's loss is out of the window: acquire 7 closed */
	r_run(t, fnl_report_forecast, &q, T_NOW + 1, &r);
	assert_int_equal(r_int(r.doc, "stages.0.closed"), 7);
	fnl_report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_forecast),
		T_TEST(test_forecast_period_by),
		T_TEST(test_forecast_window),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
