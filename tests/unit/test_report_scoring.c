/*
 * tests/unit/test_report_scoring.c - report scoring (SPEC §7) on a small case computed by hand: the
 * closed leads (won or lost) captured in November 2026, by grade and by each B/N/D/U value, with
 * Wilson 95 % intervals (z = 1.959964) written out.
 *
 *  lead  B N D U  total  grade  outcome
 *  C1    5 5 5 5  20     A      won   (sem)
 *  C2    4 4 4 3  15     A      won   (exactly 15: A)
 *  C3    4 4 4 3  15     A      lost at qualify
 *  C4    2 2 2 2   8     B      won   (exactly 8: B)
 *  C5    3 3 3 3  12     B      lost at discover (sem)
 *  C6    3 3 3 3  12     B      lost at propose
 *  C7    1 1 1 4   7     C      lost from the nurture pool
 *  C8    -               -      lost at acquire, never scored
 *  C9    1 1 1 1 then 5 4 3 2 (14): B, back from nurture, won (the latest scoring counts)
 *  C10   2 3 4 5  14     B      negotiate, back to propose, negotiate again, lost at negotiate
 *  not counted: O1 graded A and still open; X1 graded A and won, captured in October
 */
#include "report_cases.h"

#define AT(s) t_time(t, s "T10:00:00+08:00")

static void build(struct tenv *t)
{
	t_user(t, "li", "sales", "华东一部");
	int64_t c1 = r_lead(t, AT("2026-11-02"), "C1", "sem", "li");
	t_score(t, c1, AT("2026-11-03"), 5, 5, 5, 5);
	r_advance(t, c1, "won", AT("2026-11-10"));
	int64_t c2 = r_lead(t, AT("2026-11-02"), "C2", "website", "li");
	t_score(t, c2, AT("2026-11-03"), 4, 4, 4, 3);
	assert_string_equal(t_get(t, c2).grade, "A");
	r_advance(t, c2, "won", AT("2026-11-10"));
	int64_t c3 = r_lead(t, AT("2026-11-02"), "C3", "website", "li");
	t_score(t, c3, AT("2026-11-03"), 4, 4, 4, 3);
	r_lose(t, c3, "price", AT("2026-11-10"));
	int64_t c4 = r_lead(t, AT("2026-11-02"), "C4", "website", "li");
	t_score(t, c4, AT("2026-11-03"), 2, 2, 2, 2);
	assert_string_equal(t_get(t, c4).grade, "B");
	r_advance(t, c4, "won", AT("2026-11-12"));
	int64_t c5 = r_lead(t, AT("2026-11-02"), "C5", "sem", "li");
	t_score(t, c5, AT("2026-11-03"), 3, 3, 3, 3);
	r_move(t, c5, "discover", AT("2026-11-05"), NULL);
	r_lose(t, c5, "competitor", AT("2026-11-10"));
	int64_t c6 = r_lead(t, AT("2026-11-02"), "C6", "website", "li");
	t_score(t, c6, AT("2026-11-03"), 3, 3, 3, 3);
	r_advance(t, c6, "propose", AT("2026-11-05"));
	r_lose(t, c6, "competitor", AT("2026-11-10"));
	int64_t c7 = r_lead(t, AT("2026-11-02"), "C7", "website", "li");
	t_score(t, c7, AT("2026-11-03"), 1, 1, 1, 4);
	assert_string_equal(t_get(t, c7).status, "nurture");
	r_lose(t, c7, "no_budget", AT("2026-11-20"));
	int64_t c8 = r_lead(t, AT("2026-11-02"), "C8", "website", "li");
	r_lose(t, c8, "no_response", AT("2026-11-04"));
	int64_t c9 = r_lead(t, AT("2026-11-02"), "C9", "website", "li");
	t_score(t, c9, AT("2026-11-03"), 1, 1, 1, 1);
	t_score(t, c9, AT("2026-11-13"), 5, 4, 3, 2);
	assert_string_equal(t_get(t, c9).status, "open");
	r_advance(t, c9, "won", AT("2026-11-20"));
	int64_t c10 = r_lead(t, AT("2026-11-02"), "C10", "website", "li");
	t_score(t, c10, AT("2026-11-03"), 2, 3, 4, 5);
	r_advance(t, c10, "negotiate", AT("2026-11-05"));
	r_move(t, c10, "propose", AT("2026-11-06"), "客户要求修改方案");
	r_move(t, c10, "negotiate", AT("2026-11-07"), NULL);
	r_lose(t, c10, "price", AT("2026-11-08"));
	int64_t o1 = r_lead(t, AT("2026-11-02"), "O1", "website", "li");
	t_score(t, o1, AT("2026-11-03"), 5, 5, 5, 5);
	int64_t x1 = r_lead(t, AT("2026-10-20"), "X1", "website", "li");
	t_score(t, x1, AT("2026-10-21"), 5, 5, 5, 5);
	r_advance(t, x1, "won", AT("2026-10-25"));
}

/* closed, won, rate, Wilson low and high */
#define TALLY(c, w, rate, lo, hi) "\"closed\": " #c ", \"won\": " #w ", \"win_rate\": " #rate ", \"ci_low\": " #lo ", \"ci_high\": " #hi
#define NONE TALLY(0, 0, null, null, null)
#define K0_1 TALLY(1, 0, 0.0, 0.0, 0.7934507)
#define K1_1 TALLY(1, 1, 1.0, 0.2065493, 1.0)
#define K0_2 TALLY(2, 0, 0.0, 0.0, 0.6576198)
#define K1_2 TALLY(2, 1, 0.5, 0.0945312, 0.9054688)
#define K2_2 TALLY(2, 2, 1.0, 0.3423802, 1.0)
#define K2_3 TALLY(3, 2, 0.6666667, 0.2076596, 0.9385081)
#define K1_3 TALLY(3, 1, 0.3333333, 0.0614919, 0.7923404)
#define K2_4 TALLY(4, 2, 0.5, 0.1500390, 0.8499610)
#define K2_5 TALLY(5, 2, 0.4, 0.1176208, 0.7692757)
#define K0_3 TALLY(3, 0, 0.0, 0.0, 0.5614970)
#define K1_4 TALLY(4, 1, 0.25, 0.0455873, 0.6993582)
#define V(v, x) "{\"value\": " #v ", " x "}"

static const char expected[] =
	"{\"groups\": [{\"key\": \"all\", \"closed\": 10, \"won\": 4,"
	" \"grades\": [{\"key\": \"A\", " K2_3 "}, {\"key\": \"B\", " K2_5 "}, {\"key\": \"C\", " K0_1 "},"
	" {\"key\": \"\", " K0_1 "}],"
	" \"scores\": {"
	"\"budget\": [" V(1, K0_1) "," V(2, K1_2) "," V(3, K0_2) "," V(4, K1_2) "," V(5, K2_2) "],"
	"\"need\": [" V(1, K0_1) "," V(2, K1_1) "," V(3, K0_3) "," V(4, K2_3) "," V(5, K1_1) "],"
	"\"decision\": [" V(1, K0_1) "," V(2, K1_1) "," V(3, K1_3) "," V(4, K1_3) "," V(5, K1_1) "],"
	"\"urgency\": [" V(1, NONE) "," V(2, K2_2) "," V(3, K1_4) "," V(4, K0_1) "," V(5, K1_2) "]}}]}";

static void test_scoring(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_query q = r_query(t, "2026-11-01T00:00:00+08:00", "2026-12-01T00:00:00+08:00");
	struct fnl_report r;
	r_run(t, fnl_report_scoring, &q, T_NOW, &r);
	r_doc_check(r.doc, expected);
	/* the table: 4 grade rows and 4 x 5 score rows */
	assert_int_equal(fnl_rtable_nrows(r.table), 24);
	assert_string_equal(r_cell(r.table, 0, "win_rate"), "66.7%");
	assert_string_equal(r_cell(r.table, 0, "ci_low"), "20.8%");
	assert_string_equal(r_cell(r.table, 3, "value"), "ungraded");
	assert_string_equal(r_cell(r.table, 19, "win_rate"), "");
	fnl_report_free(&r);
}

/* By channel: sem has C1 (A, won) and C5 (B, lost). */
static void test_scoring_by_channel(void **state)
{
	struct tenv *t = *state;
	build(t);
	struct fnl_query q = r_query(t, "2026-11-01T00:00:00+08:00", "2026-12-01T00:00:00+08:00");
	q.by = FNL_DIM_CHANNEL;
	struct fnl_report r;
	r_run(t, fnl_report_scoring, &q, T_NOW, &r);
	r_doc_check(r.doc,
		    "{\"groups\": [{\"key\": \"sem\", \"closed\": 2, \"won\": 1,"
		    " \"grades\": [{\"key\": \"A\", " K1_1 "}, {\"key\": \"B\", " K0_1 "}, {\"key\": \"C\", " NONE "},"
		    " {\"key\": \"\", " NONE "}],"
		    " \"scores\": {"
		    "\"budget\": [" V(1, NONE) "," V(2, NONE) "," V(3, K0_1) "," V(4, NONE) "," V(5, K1_1) "],"
		    "\"need\": [" V(1, NONE) "," V(2, NONE) "," V(3, K0_1) "," V(4, NONE) "," V(5, K1_1) "],"
		    "\"decision\": [" V(1, NONE) "," V(2, NONE) "," V(3, K0_1) "," V(4, NONE) "," V(5, K1_1) "],"
		    "\"urgency\": [" V(1, NONE) "," V(2, NONE) "," V(3, K0_1) "," V(4, NONE) "," V(5, K1_1) "]}},"
		    " {\"key\": \"website\", \"closed\": 8, \"won\": 3,"
		    " \"grades\": [{\"key\": \"A\", " K1_2 "}, {\"key\": \"B\", " K2_4 "}, {\"key\": \"C\", " K0_1 "},"
		    " {\"key\": \"\", " K0_1 "}],"
		    " \"scores\": {"
		    "\"budget\": [" V(1, K0_1) "," V(2, K1_2) "," V(3, K0_1) "," V(4, K1_2) "," V(5, K1_1) "],"
		    "\"need\": [" V(1, K0_1) "," V(2, K1_1) "," V(3, K0_2) "," V(4, K2_3) "," V(5, NONE) "],"
		    "\"decision\": [" V(1, K0_1) "," V(2, K1_1) "," V(3, K1_2) "," V(4, K1_3) "," V(5, NONE) "],"
		    "\"urgency\": [" V(1, NONE) "," V(2, K2_2) "," V(3, K1_3) "," V(4, K0_1) "," V(5, K0_1) "]}}]}");
	fnl_report_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_scoring),
		T_TEST(test_scoring_by_channel),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
