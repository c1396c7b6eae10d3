/*
 * tests/unit/test_report_flow.c - report flow (SPEC §7) on a small case computed by hand: the period
 * is 2026-11-01 to 2026-11-15 (local) and applies to the events, not to the capture.
 *
 *  lead  channel  captured  what happens (times local, +08:00)                      counts in the period
 *  L1    website  10-20     nothing past capture                                    -
 *  L2    website  11-02     nothing past capture                                    acquire
 *  L3    website  10-20     skip forward acquire -> discover 11-05                  qualify, discover
 *  L4    website  10-20     scored 10-21, discover 10-25, propose 11-05, back to     propose (once)
 *                           discover 11-10, propose again 11-15 10:00
 *  L5    website  11-02     scored 11-02, won 11-10 (qualify -> won, 100000.00)     acquire .. won, a win
 *  L6    website  10-20     won 11-20 (after the period)                            -
 *  L7    website  11-02     lost at acquire 11-05 (price)                           acquire, lost acquire
 *  L8    website  10-20     scored 10-21, lost at qualify 11-05 (no_budget)         lost qualify
 *  L9    website  10-20     discover 10-25, lost 11-10 (competitor)                 lost discover
 *  L10   website  10-20     propose 10-25, lost 11-15 10:00 (competitor)            lost propose
 *  L11   sem      10-20     negotiate 11-05 (skip), lost 11-10 (price)              qualify .. negotiate, lost negotiate
 *  L12   website  10-20     lost 10-25 (timing: before the period)                  -
 *  L13   website  10-20     lost 11-05 (timing), reopened 11-10                     - (open again: not a loss)
 *  L14   website  11-02     lost 11-20 (after the period)                           acquire
 *  L15   website  11-02     invalid (phone 123)                                     - (not a valid lead)
 */
#include "report_cases.h"

#define O20 "2026-10-20T10:00:00+08:00"
#define O21 "2026-10-21T10:00:00+08:00"
#define O25 "2026-10-25T10:00:00+08:00"
#define N02 "2026-11-02T10:00:00+08:00"
#define N05 "2026-11-05T10:00:00+08:00"
#define N10 "2026-11-10T10:00:00+08:00"
#define N15 "2026-11-15T10:00:00+08:00"
#define N20 "2026-11-20T10:00:00+08:00"

static void build(struct tenv *t)
{
	t_user(t, "li", "sales", "华东一部");
	int64_t o20 = t_time(t, O20), o21 = t_time(t, O21), o25 = t_time(t, O25), n02 = t_time(t, N02),
		n05 = t_time(t, N05), n10 = t_time(t, N10), n15 = t_time(t, N15), n20 = t_time(t, N20);
	r_lead(t, o20, "L1", "website", "li");
	r_lead(t, n02, "L2", "website", "li");
	int64_t l3 = r_lead(t, o20, "L3", "website", "li");
	r_move(t, l3, "discover", n05, NULL);
	int64_t l4 = r_lead(t, o20, "L4", "website", "li");
	t_score(t, l4, o21, 4, 4, 4, 4);
	r_move(t, l4, "discover", o25, NULL);
	r_advance(t, l4, "propose", n05);
	r_move(t, l4, "discover", n10, "客户需求有变");
	r_move(t, l4, "propose", n15, NULL);
	int64_t l5 = r_lead(t, n02, "L5", "website", "li");
	t_score(t, l5, n02, 4, 4, 4, 4);
	r_advance(t, l5, "won", n10);
	int64_t l6 = r_lead(t, o20, "L6", "website", "li");
	r_advance(t, l6, "won", n20);
	int64_t l7 = r_lead(t, n02, "L7", "website", "li");
	r_lose(t, l7, "price", n05);
	int64_t l8 = r_lead(t, o20, "L8", "website", "li");
	t_score(t, l8, o21, 3, 3, 3, 3);
	r_lose(t, l8, "no_budget", n05);
	int64_t l9 = r_lead(t, o20, "L9", "website", "li");
	r_move(t, l9, "discover", o25, NULL);
	r_lose(t, l9, "competitor", n10);
	int64_t l10 = r_lead(t, o20, "L10", "website", "li");
	r_advance(t, l10, "propose", o25);
	r_lose(t, l10, "competitor", n15);
	int64_t l11 = r_lead(t, o20, "L11", "sem", "li");
	r_advance(t, l11, "negotiate", n05);
	r_lose(t, l11, "price", n10);
	int64_t l12 = r_lead(t, o20, "L12", "website", "li");
	r_lose(t, l12, "timing", o25);
	int64_t l13 = r_lead(t, o20, "L13", "website", "li");
	r_lose(t, l13, "timing", n05);
	r_reopen(t, l13, n10);
	int64_t l14 = r_lead(t, n02, "L14", "website", "li");
	r_lose(t, l14, "no_response", n20);
	r_invalid(t, n02, "L15", "website");
}

#define PERIOD_FROM "2026-11-01T00:00:00+08:00"
#define PERIOD_TO "2026-11-16T00:00:00+08:00"

static void test_flow_all(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_query q = r_query(t, PERIOD_FROM, PERIOD_TO);
	struct fnl_report r;
	r_run(t, fnl_report_flow, &q, T_NOW, &r);
	r_doc_check(r.doc, "{\"groups\": [{\"key\": \"all\", \"stages\": ["
			   "{\"key\": \"acquire\", \"entries\": 4, \"lost\": 1},"
			   "{\"key\": \"qualify\", \"entries\": 3, \"lost\": 1},"
			   "{\"key\": \"discover\", \"entries\": 3, \"lost\": 1},"
			   "{\"key\": \"propose\", \"entries\": 3, \"lost\": 1},"
			   "{\"key\": \"negotiate\", \"entries\": 2, \"lost\": 1},"
			   "{\"key\": \"won\", \"entries\": 1, \"lost\": 0}],"
			   "\"won_count\": 1, \"won_amount\": 10000000, \"lost_count\": 5,"
			   "\"lost_reasons\": [{\"key\": \"price\", \"name\": \"Price\", \"lost\": 2},"
			   "{\"key\": \"competitor\", \"lost\": 2}, {\"key\": \"no_budget\", \"lost\": 1}]}]}");
	/* the table: one row per stage, the won amount on the last; the detail: losses by reason */
	assert_int_equal(fnl_rtable_nrows(r.table), 6);
	assert_string_equal(r_cell(r.table, 0, "entries"), "4");
	assert_string_equal(r_cell(r.table, 5, "won_amount"), "100000.00");
	assert_string_equal(r_cell(r.table, 4, "won_amount"), "");
	assert_non_null(r.detail);
	assert_int_equal(fnl_rtable_nrows(r.detail), 3);
	assert_string_equal(r_cell(r.detail, 0, "reason"), "Price");
	assert_string_equal(r_cell(r.detail, 0, "share"), "40.0%");
	assert_string_equal(r_cell(r.detail, 2, "share"), "20.0%");
	fnl_report_free(&r);
}

/* By channel: only the groups with something in the period; sem is L11 alone. A filter applies to
 * the lead. */
static void test_flow_by_channel(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_query q = r_query(t, PERIOD_FROM, PERIOD_TO);
	q.by = FNL_DIM_CHANNEL;
	struct fnl_report r;
	r_run(t, fnl_report_flow, &q, T_NOW, &r);
	r_doc_check(r.doc, "{\"groups\": ["
			   "{\"key\": \"sem\", \"name\": \"Search keywords\", \"stages\": ["
			   "{\"entries\": 0, \"lost\": 0}, {\"entries\": 1, \"lost\": 0}, {\"entries\": 1, \"lost\": 0},"
			   "{\"entries\": 1, \"lost\": 0}, {\"entries\": 1, \"lost\": 1}, {\"entries\": 0, \"lost\": 0}],"
			   "\"won_count\": 0, \"won_amount\": 0, \"lost_count\": 1,"
			   "\"lost_reasons\": [{\"key\": \"price\", \"lost\": 1}]},"
			   "{\"key\": \"website\", \"stages\": ["
			   "{\"entries\": 4, \"lost\": 1}, {\"entries\": 2, \"lost\": 1}, {\"entries\": 2, \"lost\": 1},"
			   "{\"entries\": 2, \"lost\": 1}, {\"entries\": 1, \"lost\": 0}, {\"entries\": 1, \"lost\": 0}],"
			   "\"won_count\": 1, \"won_amount\": 10000000, \"lost_count\": 4,"
			   "\"lost_reasons\": [{\"key\": \"price\", \"lost\": 1}, {\"key\": \"competitor\", \"lost\": 2},"
			   "{\"key\": \"no_budget\", \"lost\": 1}]}]}");
	fnl_report_free(&r);

	q.by = FNL_DIM_NONE;
	q.filter[FNL_DIM_CHANNEL] = r_find(t, FNL_DIM_CHANNEL, "sem");
	r_run(t, fnl_report_flow, &q, T_NOW, &r);
	r_doc_check(r.doc, "{\"groups\": [{\"key\": \"all\", \"stages\": ["
			   "{\"entries\": 0, \"lost\": 0}, {\"entries\": 1, \"lost\": 0}, {\"entries\": 1, \"lost\": 0},"
			   "{\"entries\": 1, \"lost\": 0}, {\"entries\": 1, \"lost\": 1}, {\"entries\": 0, \"lost\": 0}],"
			   "\"won_count\": 0, \"won_amount\": 0, \"lost_count\": 1,"
			   "\"lost_reasons\": [{\"key\": \"price\", \"lost\": 1}]}]}");
	fnl_report_free(&r);
}

/* Without a period: every first entry, win and current loss ever. L13 was reopened: not a loss. */
static void test_flow_unbounded(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_query q = r_query(t, "", "");
	struct fnl_report r;
	r_run(t, fnl_report_flow, &q, T_NOW, &r);
	/* acquire: the 14 valid leads; qualify: L3 L4 L5 L6 L8 L9 L10 L11; discover: L3 L4 L5 L6 L9 L10 L11;
	 * propose: L4 L5 L6 L10 L11; negotiate: L5 L6 L11; won: L5 L6. Lost: L7 acquire, L8 qualify,
	 * L9 discover, L12 acquire, L14 acquire, L10 propose, L11 negotiate. */
	r_doc_check(r.doc, "{\"groups\": [{\"key\": \"all\", \"stages\": ["
			   "{\"entries\": 14, \"lost\": 3}, {\"entries\": 8, \"lost\": 1}, {\"entries\": 7, \"lost\": 1},"
			   "{\"entries\": 5, \"lost\": 1}, {\"entries\": 3, \"lost\": 1}, {\"entries\": 2, \"lost\": 0}],"
			   "\"won_count\": 2, \"won_amount\": 20000000, \"lost_count\": 7,"
			   "\"lost_reasons\": [{\"key\": \"price\", \"lost\": 2}, {\"key\": \"competitor\", \"lost\": 2},"
			   "{\"key\": \"no_budget\", \"lost\": 1}, {\"key\": \"timing\", \"lost\": 1},"
			   "{\"key\": \"no_response\", \"lost\": 1}]}]}");
	fnl_report_free(&r);
}

/* A period with nothing in it: the one group, zeros. */
static void test_flow_empty(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_query q = r_query(t, "2026-09-01T00:00:00+08:00", "2026-10-01T00:00:00+08:00");
	struct fnl_report r;
	r_run(t, fnl_report_flow, &q, T_NOW, &r);
	r_doc_check(r.doc, "{\"groups\": [{\"key\": \"all\", \"stages\": ["
			   "{\"entries\": 0, \"lost\": 0}, {\"entries\": 0, \"lost\": 0}, {\"entries\": 0, \"lost\": 0},"
			   "{\"entries\": 0, \"lost\": 0}, {\"entries\": 0, \"lost\": 0}, {\"entries\": 0, \"lost\": 0}],"
			   "\"won_count\": 0, \"won_amount\": 0, \"lost_count\": 0, \"lost_reasons\": []}]}");
	assert_int_equal(fnl_rtable_nrows(r.detail), 0);
	fnl_report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_flow_all),
		T_TEST(test_flow_by_channel),
		T_TEST(test_flow_unbounded),
		T_TEST(test_flow_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
