/*
 * tests/unit/test_history.c - moving over from another CRM (funnel/history.h, core/history.c,
 * core/datefmt.c, core/spell.c): date formats read and detected (ambiguous and mixed files
 * refused, naming the column, the line and the value), misspellings one edit apart, and the import
 * of the hand-made files of tests/data/history: every row's fate, the stage events at the file's
 * dates, deals, losses, open leads with expected amounts, users and teams, quirks, all or nothing,
 * a second run that creates nothing, and the cohort funnel and time in stage over the imported
 * history against figures worked out by hand from the file.
 *
 * tests/data/history/basic.csv (12 rows; the figures below are read off it):
 *   W1 Ann  Widget     Acme  Won   2017-01-10 -> 2017-02-09  1200   won, 30 days
 *   W2 Ann  GadgetPro  Beta  Won   2017-01-15 -> 2017-03-16  2400   won, 60 days, product renamed
 *   L1 Ann  Widget     Acme  Lost  2017-01-12 -> 2017-01-20  0      lost at discover
 *   E1 Bob  Gadget Pro -     Engaging 2017-02-01                    open at discover, no account, 2500
 *   E2 = E1 but for its id                                          same but id
 *   P1 Bob  Widget     -     Prospecting (no date)                  open at qualify, as of 2017-03-16
 *   L1 again (Won)                                                  rejected: duplicate id
 *   W3 close before engage                                          rejected
 *   L2 lost without close date                                      rejected
 *   W4 Cy   Widget     Beta  Won   2017-02-20 -> 2017-03-02  (none) won, 10 days, deal 0
 *   W5 amount 'abc'                                                 rejected
 *   L3 Cy   Widget     Gamma Lost  2017-02-01 -> 2017-02-11  0      lost, account unknown, quarter wrong
 */
#include "testutil.h"

#include "core/datefmt.h"
#include "core/history.h"
#include "core/spell.h"
#include "funnel/analytics.h"
#include "funnel/history.h"

#define T_DATA(name) t_data_path(name, (char[512]){0})

static const char *t_data_path(const char *name, char *buf)
{
	const char *dir = getenv("FUNNEL_TEST_DATA");
	assert_non_null(dir);
	snprintf(buf, 512, "%s/history/%s", dir, name);
	return buf;
}

#define T_TEXT(t, sql) t_sql_text((t), (sql), (char[512]){0}, 512)

/* ---- date formats ---- */

static void test_datefmt_parse(void **state)
{
	(void)state;
	static const struct {
		const char *spec;
		int ok;
		const char *text;
	} cases[] = {
		{"DD-MM-YY", 1, "DD-MM-YY"},     {"yyyy-mm-dd", 1, "YYYY-MM-DD"}, {"MM/DD/YYYY", 1, "MM/DD/YYYY"},
		{"D.M.YYYY", 1, "D.M.YYYY"},     {"YY MM DD", 1, "YY MM DD"},     {"XX", 0, NULL},
		{"DD-MM", 0, NULL},              {"DD-MM/YY", 0, NULL},           {"YYY-MM-DD", 0, NULL},
		{"DD-DD-YY", 0, NULL},           {"", 0, NULL},                   {"DDD-MM-YY", 0, NULL},
		{"DD-MM-YY-", 0, NULL},          {"DD-MM-", 0, NULL},             {"YYYY-MM-", 0, NULL},
		{"DD-", 0, NULL},                {"D", 0, NULL},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fnl__datefmt f;
		int rc = fnl__datefmt_parse(cases[i].spec, &f, NULL);
		if ((rc == 0) != cases[i].ok)
			fail_msg("'%s': parse gave %d", cases[i].spec, rc);
		if (cases[i].ok)
			assert_string_equal(f.text, cases[i].text);
	}
	/* what is wrong with a format, said; a format ending in its separator stops there */
	static const struct {
		const char *spec, *why;
	} why[] = {
		{"DD-MM-", "fewer than three parts"},  {"DD-MM", "fewer than three parts"},
		{"DD-", "fewer than three parts"},     {"XX", "not YYYY, YY, MM, M, DD or D"},
		{"DD-DD-YY", "there twice"},           {"DD-MM/YY", "two separators differ"},
		{"DD-MM-YY-", "follows its third"},    {"", "empty"},
	};
	for (size_t i = 0; i < sizeof why / sizeof why[0]; i++) {
		struct fnl__datefmt f;
		const char *got = NULL;
		assert_int_equal(fnl__datefmt_parse(why[i].spec, &f, &got), -1);
		if (!got || !strstr(got, why[i].why))
			fail_msg("'%s': '%s', expected '%s'", why[i].spec, got ? got : "(none)", why[i].why);
	}
}

static void test_datefmt_read(void **state)
{
	(void)state;
	static const struct {
		const char *fmt, *value, *date; /* date NULL: refused */
		int secs;
	} cases[] = {
		{"DD-MM-YY", "20-10-16", "2016-10-20", -1},
		{"DD-MM-YY", "01-03-17", "2017-03-01", -1},
		{"DD-MM-YY", " 1-3-17 ", "2017-03-01", -1},
		{"DD-MM-YY", "31-04-17", NULL, 0},
		{"DD-MM-YY", "29-02-16", "2016-02-29", -1},
		{"DD-MM-YY", "29-02-17", NULL, 0},
		{"DD-MM-YY", "20-10-2016", NULL, 0},
		{"DD-MM-YY", "01-01-68", "2068-01-01", -1},
		{"DD-MM-YY", "01-01-69", "1969-01-01", -1},
		{"DD-MM-YY", "20/10/16", NULL, 0},
		{"MM-DD-YY", "20-10-16", NULL, 0},
		{"YYYY-MM-DD", "2017-01-10 09:30", "2017-01-10", 34200},
		{"YYYY-MM-DD", "2017-01-10T09:30:15", "2017-01-10", 34215},
		{"YYYY-MM-DD", "2017-1-5", "2017-01-05", -1},
		{"YYYY-MM-DD", "2017-01-10 25:00", NULL, 0},
		{"YYYY-MM-DD", "2017-01-10 noon", NULL, 0},
		{"YYYY-MM-DD", "2017/01/10", NULL, 0},
		{"YYYY-MM-DD", "17-01-10", NULL, 0},
		{"MM/DD/YYYY", "12/25/2017", "2017-12-25", -1},
		{"MM/DD/YYYY", "25/12/2017", NULL, 0},
		{"DD/MM/YYYY", "25/12/2017", "2017-12-25", -1},
		{"DD.MM.YYYY", "25.12.2017", "2017-12-25", -1},
		{"DD-MM-YY", "", NULL, 0},
	};
	/* -2: written as the format says, but no such day; -1: not written so */
	static const struct {
		const char *value;
		int rc;
	} bad[] = {
		{"31-02-17", -2}, {"29-02-17", -2}, {"31-04-17", -2}, {"32-01-17", -2}, {"n/a", -1},
		{"13-13-17", -1}, {"31-02-2017", -1}, {"", -1},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct fnl__datefmt f;
		int64_t day;
		int32_t secs;
		assert_int_equal(fnl__datefmt_parse("DD-MM-YY", &f, NULL), 0);
		int rc = fnl__datefmt_read(&f, bad[i].value, &day, &secs);
		if (rc != bad[i].rc)
			fail_msg("'%s': %d, expected %d", bad[i].value, rc, bad[i].rc);
	}
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fnl__datefmt f;
		assert_int_equal(fnl__datefmt_parse(cases[i].fmt, &f, NULL), 0);
		int64_t day = 0;
		int32_t secs = 0;
		int rc = fnl__datefmt_read(&f, cases[i].value, &day, &secs);
		if (!cases[i].date) {
			if (rc == 0)
				fail_msg("'%s' in %s: read, expected refused", cases[i].value, cases[i].fmt);
			continue;
		}
		if (rc)
			fail_msg("'%s' in %s: refused, expected %s", cases[i].value, cases[i].fmt, cases[i].date);
		char got[11];
		fnl_date_format(day, got);
		assert_string_equal(got, cases[i].date);
		assert_int_equal(secs, cases[i].secs);
	}
}

/* ---- spelling ---- */

static void test_spell(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		int one;
	} pairs[] = {
		{"technolgy", "technology", 1}, {"Philipines", "Philippines", 1}, {"GTXPro", "GTX Pro", 1},
		{"abc", "acb", 1},              {"abc", "abd", 1},                {"abc", "ab", 1},
		{"abc", "abc", 0},              {"abc", "ABC", 0},                {"abcd", "ab", 0},
		{"kitten", "sitting", 0},       {"", "a", 1},                     {"ab", "ba", 1},
		{"abcd", "badc", 0},
	};
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		if (fnl__spell_one_edit(pairs[i].a, pairs[i].b) != pairs[i].one)
			fail_msg("one_edit('%s', '%s') != %d", pairs[i].a, pairs[i].b, pairs[i].one);
		if (fnl__spell_one_edit(pairs[i].b, pairs[i].a) != pairs[i].one)
			fail_msg("one_edit('%s', '%s') != %d", pairs[i].b, pairs[i].a, pairs[i].one);
	}
	assert_true(fnl__spell_same("Retail", "retail"));
	assert_false(fnl__spell_same("Retail", "retai"));
	static const struct {
		enum fnl__words list;
		const char *value, *known;
	} words[] = {
		{FNL__WORDS_INDUSTRY, "technolgy", "technology"},
		{FNL__WORDS_INDUSTRY, "Technology", NULL},   /* known, whatever the case */
		{FNL__WORDS_INDUSTRY, "retail", NULL},
		{FNL__WORDS_INDUSTRY, "medial", NULL},       /* media and medical: no telling which */
		{FNL__WORDS_INDUSTRY, "sofware", "software"},
		{FNL__WORDS_INDUSTRY, "pets", NULL},         /* shorter than 6 */
		{FNL__WORDS_COUNTRY, "Philipines", "Philippines"},
		{FNL__WORDS_COUNTRY, "Korea", NULL},
		{FNL__WORDS_COUNTRY, "Gambia", NULL},        /* Zambia is a letter away, but Gambia is known */
		{FNL__WORDS_COUNTRY, "Untied States", "United States"},
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		const char *got = fnl__spell_known(words[i].list, words[i].value);
		if (!words[i].known ? got != NULL : !got || strcmp(got, words[i].known) != 0)
			fail_msg("known('%s') = '%s', expected '%s'", words[i].value, got ? got : "(none)",
				 words[i].known ? words[i].known : "(none)");
	}
}

/* ---- the import ---- */

struct seen {
	int n;
	struct {
		char file[32];
		int64_t line;
		int outcome;
		char reason[300];
		char id[16];
	} row[64];
};

static void on_row(void *arg, const char *file, int64_t line, int outcome, const char *reason, const char *id,
		   const char *company, int64_t lead)
{
	(void)company;
	(void)lead;
	struct seen *s = arg;
	if (s->n >= 64)
		return;
	const char *base = strrchr(file, '/');
	snprintf(s->row[s->n].file, sizeof s->row[s->n].file, "%s", base ? base + 1 : file);
	s->row[s->n].line = line;
	s->row[s->n].outcome = outcome;
	snprintf(s->row[s->n].reason, sizeof s->row[s->n].reason, "%s", reason);
	snprintf(s->row[s->n].id, sizeof s->row[s->n].id, "%s", id);
	s->n++;
}

/* Options that make the owners' users and report every row into s. */
static void see_rows(struct fnl_history_opts *o, struct seen *s)
{
	o->create_users = 1;
	o->on_row = on_row;
	o->arg = s;
}

/* The reason reported for a line of a file ("" when it was not reported) and its outcome. */
static const char *seen_line(const struct seen *s, const char *file, int64_t line, int *outcome)
{
	for (int i = 0; i < s->n; i++)
		if (s->row[i].line == line && strcmp(s->row[i].file, file) == 0) {
			*outcome = s->row[i].outcome;
			return s->row[i].reason;
		}
	*outcome = 0;
	return "";
}

static void basic_opts(struct fnl_history_opts *o, struct seen *s)
{
	memset(o, 0, sizeof *o);
	o->path = strdup(T_DATA("basic.csv"));
	o->accounts = strdup(T_DATA("basic-accounts.csv"));
	o->products = strdup(T_DATA("basic-products.csv"));
	o->teams = strdup(T_DATA("basic-teams.csv"));
	o->stage_map = "Prospecting=qualify,Engaging=discover,Won=won,Lost=lost";
	o->create_users = 1;
	o->on_row = on_row;
	o->arg = s;
}

static void free_opts(struct fnl_history_opts *o)
{
	free((char *)o->path);
	free((char *)o->accounts);
	free((char *)o->products);
	free((char *)o->teams);
}

static const struct fnl_history_quirk *quirk(const struct fnl_history_result *r, const char *key)
{
	for (int i = 0; i < r->nquirks; i++)
		if (strcmp(r->quirks[i].key, key) == 0)
			return &r->quirks[i];
	return NULL;
}

static int64_t quirk_count(const struct fnl_history_result *r, const char *key)
{
	const struct fnl_history_quirk *q = quirk(r, key);
	return q ? q->count : -1;
}

static int stage_pos(const char *key)
{
	static const char *const keys[] = {"", "acquire", "qualify", "discover", "propose", "negotiate", "won"};
	for (int k = 1; k < 7; k++)
		if (strcmp(keys[k], key) == 0)
			return k;
	return 0;
}

static void test_import_basic(void **state)
{
	struct tenv *t = *state;
	struct fnl_history_opts o;
	struct seen s = {0};
	basic_opts(&o, &s);
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_history_result *r = malloc(sizeof *r);
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_int_equal(r->rows, 12);
	assert_int_equal(r->created, 8);
	assert_int_equal(r->won, 3);
	assert_int_equal(r->lost, 2);
	assert_int_equal(r->open, 3);
	assert_int_equal(r->rejected, 4);
	assert_int_equal(r->skipped, 0);
	assert_int_equal(r->open_at[stage_pos("qualify")], 1);
	assert_int_equal(r->open_at[stage_pos("discover")], 2);
	assert_int_equal(r->lost_at[stage_pos("discover")], 2);
	assert_int_equal(r->won_amount, (1200 + 2400 + 0) * 100);
	assert_int_equal(r->open_amount, (2500 + 2500 + 1000) * 100);
	/* Mia Boss (manager), Ann Lee, Bob Stone, Idle Person of the teams file, and Cy Moss */
	assert_int_equal(r->users_created, 5);
	assert_int_equal(r->managers_created, 1);
	assert_int_equal(r->teams_created, 1);
	assert_string_equal(r->date_format, "YYYY-MM-DD");
	assert_int_equal(r->date_detected, 1);
	assert_string_equal(r->as_of, "2017-03-16");
	assert_string_equal(r->engaged_stage, "discover");
	assert_string_equal(r->lost_stage, "discover");
	assert_int_equal(r->undone, 0);

	/* the quirks, each counted */
	static const struct {
		const char *key;
		int64_t count;
	} quirks[] = {
		{"no_account", 3},        {"no_created_date", 1},     {"product_spelling", 1},
		{"sector_spelling", 1},   {"country_spelling", 1},    {"same_but_id", 2},
		{"won_without_value", 1}, {"quarter_mismatch", 1},    {"duplicate_id", 1},
		{"closed_before_created", 1}, {"closed_without_close_date", 1}, {"bad_amount", 1},
		{"owner_not_in_teams", 1}, {"agent_without_opportunities", 1}, {"account_unknown", 1},
		{"accounts_not_listed", 1},
	};
	for (size_t i = 0; i < sizeof quirks / sizeof quirks[0]; i++)
		if (quirk_count(r, quirks[i].key) != quirks[i].count)
			fail_msg("quirk %s: %lld, expected %lld", quirks[i].key, (long long)quirk_count(r, quirks[i].key),
				 (long long)quirks[i].count);
	assert_non_null(strstr(quirk(r, "sector_spelling")->message, "'technolgy'"));
	assert_non_null(strstr(quirk(r, "sector_spelling")->message, "'technology'"));

	/* every line not taken as it is, reported with its line */
	int outcome;
	assert_non_null(strstr(seen_line(&s, "basic.csv", 8, &outcome), "'L1' is also on line 4"));
	assert_int_equal(outcome, FNL_HISTORY_REJECTED);
	assert_non_null(strstr(seen_line(&s, "basic.csv", 9, &outcome), "is before engage_date"));
	assert_int_equal(outcome, FNL_HISTORY_REJECTED);
	assert_non_null(strstr(seen_line(&s, "basic.csv", 10, &outcome), "close_date: empty for a lost"));
	assert_int_equal(outcome, FNL_HISTORY_REJECTED);
	assert_non_null(strstr(seen_line(&s, "basic.csv", 12, &outcome), "'abc' is not an amount"));
	assert_int_equal(outcome, FNL_HISTORY_REJECTED);
	assert_non_null(strstr(seen_line(&s, "basic.csv", 3, &outcome), "'GadgetPro' read as 'Gadget Pro'"));
	assert_int_equal(outcome, FNL_HISTORY_CREATED);
	assert_non_null(strstr(seen_line(&s, "basic.csv", 6, &outcome), "the same but for their id (the first on line 5)"));
	assert_non_null(strstr(seen_line(&s, "basic.csv", 7, &outcome), "captured at 2017-03-16"));
	assert_non_null(strstr(seen_line(&s, "basic.csv", 13, &outcome), "'Q2 2017' does not agree"));
	assert_string_equal(seen_line(&s, "basic.csv", 2, &outcome), ""); /* W1: as it is */
	assert_non_null(strstr(seen_line(&s, "basic-accounts.csv", 2, &outcome), "'technolgy' read as 'technology'"));
	assert_int_equal(outcome, FNL_HISTORY_NOTED);
	assert_non_null(strstr(seen_line(&s, "basic-teams.csv", 4, &outcome), "agent without opportunities"));

	/* W1: captured (acquire) and at discover on 2017-01-10 at 12:00, won on 2017-02-09 with a deal */
	int64_t t0 = t_time(t, "2017-01-10T12:00:00+08:00"), t1 = t_time(t, "2017-02-09T12:00:00+08:00");
	int64_t w1 = t_sql_int(t, "SELECT lead_id FROM lead_origin WHERE external_id = 'W1'");
	struct fnl_lead l = t_get(t, w1);
	assert_string_equal(l.status, "won");
	assert_string_equal(l.stage, "won");
	assert_int_equal(l.captured_at, t0);
	assert_int_equal(l.won_at, t1);
	assert_string_equal(l.owner, "ann.lee");
	assert_string_equal(l.company, "Acme");
	assert_string_equal(l.contact, "");
	assert_string_equal(l.industry, "technology");
	assert_string_equal(l.region, "United States");
	assert_string_equal(l.size, "2822");
	assert_string_equal(l.channel, "other");
	assert_string_equal(l.notes, "opportunity W1; product Widget");
	assert_int_equal(l.amount, 120000);
	struct fnl_stage_event *ev;
	size_t n;
	T_OK(t, fnl_lead_events(t->db, &c, w1, &ev, &n));
	assert_int_equal(n, 3);
	assert_string_equal(ev[0].kind, "capture");
	assert_string_equal(ev[0].to, "acquire");
	assert_int_equal(ev[0].at, t0);
	assert_string_equal(ev[1].kind, "forward");
	assert_string_equal(ev[1].to, "discover");
	assert_int_equal(ev[1].at, t0);
	assert_string_equal(ev[2].kind, "forward");
	assert_string_equal(ev[2].from, "discover");
	assert_string_equal(ev[2].to, "won");
	assert_int_equal(ev[2].at, t1);
	assert_string_equal(ev[2].note, "deal W1");
	free(ev);
	struct fnl_deal d;
	T_OK(t, fnl_deal_get(t->db, &c, w1, &d));
	assert_string_equal(d.contract_no, "W1");
	assert_int_equal(d.amount, 120000);
	assert_string_equal(d.signed_on, "2017-02-09");

	/* L1: lost at discover on 2017-01-20 for 'other'; expected amount the product's price */
	int64_t l1 = t_sql_int(t, "SELECT lead_id FROM lead_origin WHERE external_id = 'L1'");
	l = t_get(t, l1);
	assert_string_equal(l.status, "lost");
	assert_string_equal(l.stage, "discover");
	assert_string_equal(l.lost_reason, "other");
	assert_int_equal(l.lost_at, t_time(t, "2017-01-20T12:00:00+08:00"));
	assert_int_equal(l.amount, 100000);
	T_OK(t, fnl_lead_events(t->db, &c, l1, &ev, &n));
	assert_int_equal(n, 3);
	assert_string_equal(ev[2].kind, "lose");
	assert_string_equal(ev[2].reason, "other");
	free(ev);

	/* E1: open at discover, no account; P1: open at qualify, captured as of the file's last date,
	 * still "to follow up" */
	int64_t e1 = t_sql_int(t, "SELECT lead_id FROM lead_origin WHERE external_id = 'E1'");
	l = t_get(t, e1);
	assert_string_equal(l.status, "open");
	assert_string_equal(l.stage, "discover");
	assert_string_equal(l.company, "(no account) E1");
	assert_int_equal(l.amount, 250000);
	assert_int_equal(l.first_contact_at, t_time(t, "2017-02-01T12:00:00+08:00"));
	l = t_get(t, t_sql_int(t, "SELECT lead_id FROM lead_origin WHERE external_id = 'P1'"));
	assert_string_equal(l.stage, "qualify");
	assert_int_equal(l.captured_at, t_time(t, "2017-03-16T12:00:00+08:00"));
	assert_int_equal(l.first_contact_at, 0);
	/* W2's product as the products file writes it; Beta's country corrected; W4's deal of 0 */
	assert_string_equal(T_TEXT(t, "SELECT product FROM lead_origin WHERE external_id = 'W2'"), "Gadget Pro");
	assert_string_equal(T_TEXT(t, "SELECT region FROM lead l JOIN lead_origin o ON o.lead_id = l.id"
				      " WHERE external_id = 'W2'"),
			    "Philippines");
	assert_int_equal(t_sql_int(t, "SELECT amount FROM deal d JOIN lead_origin o ON o.lead_id = d.lead_id"
				      " WHERE external_id = 'W4'"),
			 0);
	/* imported leads carry no duplicate keys */
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM lead WHERE company_key IS NOT NULL OR phone_key IS NOT NULL"), 0);

	/* users and the team */
	struct fnl_user u;
	T_OK(t, fnl_user_get(t->db, "mia.boss", &u));
	assert_string_equal(u.role, "manager");
	assert_string_equal(u.team, "East (Mia Boss)");
	assert_string_equal(u.name, "Mia Boss");
	T_OK(t, fnl_user_get(t->db, "ann.lee", &u));
	assert_string_equal(u.role, "sales");
	assert_string_equal(u.team, "East (Mia Boss)");
	T_OK(t, fnl_user_get(t->db, "idle.person", &u));
	assert_string_equal(u.team, "East (Mia Boss)");
	T_OK(t, fnl_user_get(t->db, "cy.moss", &u));
	assert_string_equal(u.team, "");
	/* one audit entry per lead and deal, and one for the import */
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM audit WHERE action = 'import' AND entity = 'lead'"), 8);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM audit WHERE action = 'import' AND entity = 'deal'"), 3);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM audit WHERE action = 'history'"), 1);
	free(r);
	free_opts(&o);
}

/* The database's content as counts of its tables. */
static void table_counts(struct tenv *t, int64_t *v)
{
	static const char *const sql[] = {
		"SELECT count(*) FROM lead",  "SELECT count(*) FROM stage_event", "SELECT count(*) FROM deal",
		"SELECT count(*) FROM user",  "SELECT count(*) FROM team",        "SELECT count(*) FROM audit",
		"SELECT count(*) FROM lead_origin",
	};
	for (size_t i = 0; i < sizeof sql / sizeof sql[0]; i++)
		v[i] = t_sql_int(t, sql[i]);
}

static void test_import_again_creates_nothing(void **state)
{
	struct tenv *t = *state;
	struct fnl_history_opts o;
	struct seen s = {0};
	basic_opts(&o, &s);
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_history_result *r = malloc(sizeof *r);
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	int64_t before[7], after[7];
	table_counts(t, before);
	assert_int_equal(before[0], 8);
	s.n = 0;
	c.now += T_HOUR;
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_int_equal(r->created, 0);
	assert_int_equal(r->skipped, 8);
	assert_int_equal(r->rejected, 4); /* what could not be imported still cannot */
	assert_int_equal(r->users_created, 0);
	assert_int_equal(r->teams_created, 0);
	table_counts(t, after);
	assert_memory_equal(before, after, sizeof before);
	int outcome;
	assert_non_null(strstr(seen_line(&s, "basic.csv", 2, &outcome), "imported before as lead"));
	assert_int_equal(outcome, FNL_HISTORY_SKIPPED);

	/* a later export in which E1 was won: skipped, and said so */
	char path[600];
	snprintf(path, sizeof path, "%s/later.csv", t->dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
	      "E1,Bob Stone,Gadget Pro,,Won,2017-02-01,2017-04-01,2600\n",
	      f);
	fclose(f);
	free((char *)o.path);
	o.path = strdup(path);
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_int_equal(r->skipped, 1);
	assert_int_equal(quirk_count(r, "changed_since"), 1);
	assert_non_null(
		strstr(seen_line(&s, "later.csv", 2, &outcome), "the file now says 'Won', the lead is open at discover"));
	unlink(path);
	free(r);
	free_opts(&o);
}

/* The cohort funnel and time in stage of the imported history, against the figures of the file. */
static void test_reports_on_history(void **state)
{
	struct tenv *t = *state;
	struct fnl_history_opts o;
	struct seen s = {0};
	basic_opts(&o, &s);
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_history_result *r = malloc(sizeof *r);
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	fnl_snapshot *snap;
	T_OK(t, fnl_snapshot_build(t->db, &snap));
	struct fnl_query q;
	fnl_query_init(&q);
	struct fnl_funnel fu;
	assert_int_equal(fnl_engine_funnel(snap, &q, 1, &fu), 0);
	assert_int_equal(fu.ngroups, 1);
	const struct fnl_funnel_group *g = &fu.groups[0];
	assert_int_equal(g->leads, 8);
	/* reached: all 8 acquire and qualify; discover all but P1; propose..won the 3 wins */
	static const int64_t reached[7] = {0, 8, 8, 7, 3, 3, 3};
	for (int k = 1; k <= 6; k++)
		assert_int_equal(g->reached[k], reached[k]);
	assert_int_equal(g->lost[3], 2);
	assert_int_equal(g->open[2], 1);
	assert_int_equal(g->open[3], 2);
	assert_int_equal(g->won_count, 3);
	assert_int_equal(g->won_amount, 360000);
	/* cycle (engage -> close) of the wins: 30, 60 and 10 days; the median (nearest rank) is 30 */
	assert_int_equal(g->cycle.count, 3);
	assert_int_equal(g->cycle.median, 30 * T_DAY);
	assert_int_equal(g->cycle.p90, 60 * T_DAY);
	assert_int_equal(g->cycle.sum, 100 * T_DAY);
	/* discover -> propose is the whole wait: the same durations; the other moves are instants */
	assert_int_equal(g->stage_time[3].count, 3);
	assert_int_equal(g->stage_time[3].median, 30 * T_DAY);
	assert_int_equal(g->stage_time[1].count, 8);
	assert_int_equal(g->stage_time[1].sum, 0);
	assert_int_equal(g->stage_time[2].count, 7);
	assert_int_equal(g->stage_time[2].sum, 0);
	fnl_funnel_free(&fu);
	/* by owner: Ann 2 won 1 lost, Bob 2 open at discover and 1 at qualify, Cy 1 won 1 lost */
	q.by = FNL_DIM_OWNER;
	assert_int_equal(fnl_engine_funnel(snap, &q, 0, &fu), 0);
	int ann = fnl_snapshot_find(snap, FNL_DIM_OWNER, "ann.lee"), cy = fnl_snapshot_find(snap, FNL_DIM_OWNER, "cy.moss");
	for (int i = 0; i < fu.ngroups; i++) {
		if (fu.groups[i].key == ann) {
			assert_int_equal(fu.groups[i].won_count, 2);
			assert_int_equal(fu.groups[i].lost[3], 1);
		} else if (fu.groups[i].key == cy) {
			assert_int_equal(fu.groups[i].won_count, 1);
			assert_int_equal(fu.groups[i].lost[3], 1);
		}
	}
	fnl_funnel_free(&fu);
	fnl_snapshot_free(snap);
	free(r);
	free_opts(&o);
}

static void test_dates_refused(void **state)
{
	struct tenv *t = *state;
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_history_result *r = malloc(sizeof *r);
	struct fnl_history_opts o = {0};
	o.create_users = 1;
	static const struct {
		const char *file, *format, *words[3];
	} refused[] = {
		{"ambiguous.csv", NULL, {"engage_date", "fit both DD/MM/YYYY and MM/DD/YYYY", "'01/02/2017' on line 2"}},
		{"mixed.csv", NULL, {"engage_date", "not all written one way", "'05/06/2017' on line 3"}},
		{"notadate.csv", NULL, {"'last week' on line 3", "1 of the file's 4 dates is not", "give --date-format YYYY-MM-DD"}},
		{"basic.csv", "DD-MM-YY", {"engage_date", "'2017-01-10' on line 2", "not a date in DD-MM-YY"}},
		{"basic.csv", "DD-MM-YYYY", {"engage_date", "'2017-01-10' on line 2", "DD-MM-YYYY"}},
		{"basic.csv", "XX", {"'XX' is not a date format", "DD-MM-YY", NULL}},
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		char path[512];
		snprintf(path, sizeof path, "%s", T_DATA(refused[i].file));
		o.path = path;
		o.date_format = refused[i].format;
		o.stage_map = "Prospecting=qualify,Engaging=discover";
		T_RC(t, fnl_import_history(t->db, &c, &o, r), FNL_EINVAL);
		assert_string_equal(fnl_errfield(t->db), "date-format");
		for (int w = 0; w < 3 && refused[i].words[w]; w++)
			if (!strstr(fnl_errmsg(t->db), refused[i].words[w]))
				fail_msg("%s: '%s' does not say '%s'", refused[i].file, fnl_errmsg(t->db), refused[i].words[w]);
	}
	/* nothing was written by any of them */
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM lead"), 0);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM user"), 1);
	/* the ambiguous file with its format given; the other one detected */
	char path[512];
	snprintf(path, sizeof path, "%s", T_DATA("ambiguous.csv"));
	o.path = path;
	o.date_format = "DD/MM/YYYY";
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_int_equal(r->won, 1);
	assert_int_equal(r->date_detected, 0);
	assert_int_equal(t_sql_int(t, "SELECT won_at FROM lead l JOIN lead_origin o ON o.lead_id = l.id"
				      " WHERE external_id = 'X1'"),
			 t_time(t, "2017-04-03T12:00:00+08:00"));
	snprintf(path, sizeof path, "%s", T_DATA("mdy.csv"));
	o.date_format = NULL;
	o.dry_run = 1;
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_string_equal(r->date_format, "MM/DD/YYYY");
	assert_int_equal(r->date_detected, 1);
	free(r);
}

static void test_refused_before_writing(void **state)
{
	struct tenv *t = *state;
	struct fnl_history_opts o;
	struct seen s = {0};
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_history_result *r = malloc(sizeof *r);
	basic_opts(&o, &s);
	o.stage_map = NULL;
	T_RC(t, fnl_import_history(t->db, &c, &o, r), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "stage-map");
	assert_non_null(strstr(fnl_errmsg(t->db), "'Engaging' (2 rows), 'Prospecting' (1 row) are not mapped"));
	o.stage_map = "Engaging=discovery";
	T_RC(t, fnl_import_history(t->db, &c, &o, r), FNL_EINVAL);
	assert_non_null(strstr(fnl_errmsg(t->db), "no stage 'discovery'"));
	o.stage_map = "Prospecting=qualify,Engaging=discover";
	o.lost_at = "won";
	T_RC(t, fnl_import_history(t->db, &c, &o, r), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "lost-at");
	o.lost_at = NULL;
	o.create_users = 0;
	T_RC(t, fnl_import_history(t->db, &c, &o, r), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "owner");
	assert_non_null(strstr(fnl_errmsg(t->db), "3 owners of the file are not users ('Ann Lee', 'Bob Stone', 'Cy Moss')"));
	/* owners found by name or by login need no --create-users */
	t_user(t, "ann.lee", "sales", NULL);
	struct fnl_user u;
	struct fnl_ctx ac = t_admin(t, T_NOW);
	T_OK(t, fnl_user_add(t->db, &ac, "bstone", "Bob Stone", "sales", NULL, &u));
	T_RC(t, fnl_import_history(t->db, &c, &o, r), FNL_EINVAL);
	assert_non_null(strstr(fnl_errmsg(t->db), "1 owner of the file is not a user ('Cy Moss')"));
	/* a sales user may not import history */
	int64_t s1 = t_user(t, "s1", "sales", NULL);
	struct fnl_ctx sc = tctx(T_NOW, s1);
	o.create_users = 1;
	T_RC(t, fnl_import_history(t->db, &sc, &o, r), FNL_EPERM);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM lead"), 0);
	/* dry run and strict: everything done, then undone */
	o.dry_run = 1;
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_int_equal(r->created, 8);
	assert_int_equal(r->undone, 1);
	o.dry_run = 0;
	o.strict = 1;
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_int_equal(r->rejected, 4);
	assert_int_equal(r->undone, 1);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM lead"), 0);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM stage_event"), 0);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM user WHERE login = 'cy.moss'"), 0);
	free(r);
	free_opts(&o);
}

static void test_salesforce_export(void **state)
{
	struct tenv *t = *state;
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_history_result *r = malloc(sizeof *r);
	struct fnl_history_opts o = {0};
	char path[512];
	snprintf(path, sizeof path, "%s", T_DATA("salesforce.csv"));
	o.path = path;
	o.stage_map = "Negotiation=negotiate"; /* Closed Won and Closed Lost are known words */
	o.create_users = 1;
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_int_equal(r->won, 1);
	assert_int_equal(r->lost, 2);
	assert_int_equal(r->open, 1);
	assert_string_equal(r->lost_stage, "negotiate");
	assert_int_equal(quirk_count(r, "near_names"), 1);
	assert_non_null(strstr(quirk(r, "near_names")->message, "'Jon Smith' (1) and 'John Smith' (3)"));
	assert_int_equal(quirk_count(r, "reason_other"), 1);
	/* a time of the file is kept; "5,000.00" is 5000 */
	struct fnl_lead l = t_get(t, t_sql_int(t, "SELECT lead_id FROM lead_origin WHERE external_id = '006A'"));
	assert_int_equal(l.captured_at, t_time(t, "2017-01-10T09:30:00+08:00"));
	assert_int_equal(l.won_at, t_time(t, "2017-01-20T16:00:00+08:00"));
	assert_int_equal(l.amount, 500000);
	assert_string_equal(l.owner, "jon.smith");
	l = t_get(t, t_sql_int(t, "SELECT lead_id FROM lead_origin WHERE external_id = '006B'"));
	assert_string_equal(l.lost_reason, "price");
	assert_string_equal(l.stage, "negotiate");
	int64_t lc = t_sql_int(t, "SELECT lead_id FROM lead_origin WHERE external_id = '006C'");
	l = t_get(t, lc);
	assert_string_equal(l.lost_reason, "other");
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT note FROM stage_event WHERE lead_id = %lld AND kind = 'lose'", (long long)lc);
	assert_string_equal(T_TEXT(t, sql), "Went dark");
	/* the open one: its amount is the expected amount */
	l = t_get(t, t_sql_int(t, "SELECT lead_id FROM lead_origin WHERE external_id = '006D'"));
	assert_string_equal(l.status, "open");
	assert_string_equal(l.stage, "negotiate");
	assert_int_equal(l.amount, 700000);
	free(r);
}

static void test_lost_at_and_currency(void **state)
{
	struct tenv *t = *state;
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_history_result *r = malloc(sizeof *r);
	struct fnl_history_opts o;
	struct seen s = {0};
	basic_opts(&o, &s);
	o.currency = "USD";
	T_RC(t, fnl_import_history(t->db, &c, &o, r), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "currency-factor");
	assert_non_null(strstr(fnl_errmsg(t->db), "the file is in USD and funnel keeps CNY"));
	o.currency_factor = "7.1x";
	T_RC(t, fnl_import_history(t->db, &c, &o, r), FNL_EINVAL);
	o.currency_factor = "7.1";
	o.lost_at = "qualify";
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_string_equal(r->factor, "7.1");
	assert_int_equal(r->won_amount, 360000 * 71 / 10);
	assert_int_equal(r->lost_at[stage_pos("qualify")], 2);
	/* W1's deal in yuan: 1200 x 7.1 */
	assert_int_equal(t_sql_int(t, "SELECT amount FROM deal d JOIN lead_origin o ON o.lead_id = d.lead_id"
				      " WHERE external_id = 'W1'"),
			 852000);
	/* lost ones reached qualify only; won ones reached discover at their engage date */
	assert_int_equal(t_sql_int(t, "SELECT max(reached_pos) FROM lead WHERE status = 'lost'"), 2);
	int64_t w1 = t_sql_int(t, "SELECT lead_id FROM lead_origin WHERE external_id = 'W1'");
	struct fnl_stage_event *ev;
	size_t n;
	T_OK(t, fnl_lead_events(t->db, &c, w1, &ev, &n));
	assert_string_equal(ev[1].to, "discover");
	free(ev);
	free(r);
	free_opts(&o);
}

/* An imported opportunity without contact data can be edited; what it is given must stay. */
static void test_edit_imported(void **state)
{
	struct tenv *t = *state;
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_history_result *r = malloc(sizeof *r);
	struct fnl_history_opts o;
	struct seen s = {0};
	basic_opts(&o, &s);
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	int64_t e1 = t_sql_int(t, "SELECT lead_id FROM lead_origin WHERE external_id = 'E1'");
	struct fnl_lead_input in = {0};
	struct fnl_lead l;
	in.has_amount = 1;
	in.amount = 300000;
	in.close_month = "2017-05";
	T_OK(t, fnl_lead_edit(t->db, &c, e1, &in, &l));
	assert_int_equal(l.amount, 300000);
	memset(&in, 0, sizeof in);
	in.email = "not-an-address";
	T_RC(t, fnl_lead_edit(t->db, &c, e1, &in, &l), FNL_EINVAL);
	in.email = "li@example.com";
	in.contact = "Li Na";
	T_OK(t, fnl_lead_edit(t->db, &c, e1, &in, &l));
	memset(&in, 0, sizeof in);
	in.email = "";
	T_RC(t, fnl_lead_edit(t->db, &c, e1, &in, &l), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "email");
	memset(&in, 0, sizeof in);
	in.contact = "";
	T_RC(t, fnl_lead_edit(t->db, &c, e1, &in, &l), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "contact");
	free(r);
	free_opts(&o);
}

/* ---- edges of the dates, amounts and quirks ---- */

#define OPP_HEADER "opportunity_id,sales_agent,deal_stage,engage_date,close_date,close_value\n"

/* Append printf-like text to buf of len bytes. */
static void t_append(char *buf, size_t len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void t_append(char *buf, size_t len, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(buf + n, len - n, fmt, ap);
	va_end(ap);
	assert_true(w >= 0 && (size_t)w < len - n);
}

/* Write text to file name of the test's directory; its path in buf (512 bytes). */
static const char *t_file(const struct tenv *t, const char *name, const char *text, char *buf)
{
	snprintf(buf, 512, "%s/%s", t->dir, name);
	FILE *f = fopen(buf, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return buf;
}

static int64_t t_lead_of(struct tenv *t, const char *id, const char *column)
{
	char sql[200];
	snprintf(sql, sizeof sql, "SELECT l.%s FROM lead l JOIN lead_origin o ON o.lead_id = l.id WHERE external_id = '%s'",
		 column, id);
	return t_sql_int(t, sql);
}

/* A date of the file that is today is no future date, whatever the hour; no event is later than now
 * (a date without a time is at 12:00, or now before noon). */
static void test_today_is_not_future(void **state)
{
	struct tenv *t = *state;
	int64_t now = t_time(t, "2017-12-31T09:00:00+08:00");
	struct fnl_ctx c = t_admin(t, now);
	struct fnl_history_result *r = malloc(sizeof *r);
	struct fnl_history_opts o = {0};
	struct seen s = {0};
	char path[512];
	o.path = t_file(t, "today.csv",
			OPP_HEADER "W1,Ann Lee,Won,2017-12-01,2017-12-31,100\n"
				   "L1,Ann Lee,Lost,2017-12-31,2017-12-31,0\n"
				   "E1,Ann Lee,Engaging,2017-12-31,,\n"
				   "P1,Ann Lee,Prospecting,,,\n"
				   "T1,Ann Lee,Won,2017-12-01,2017-12-31 08:30,100\n"
				   "T2,Ann Lee,Won,2017-12-01,2017-12-31 09:30,100\n"
				   "F1,Ann Lee,Won,2017-12-01,2018-01-01,100\n",
			path);
	o.stage_map = "Prospecting=qualify,Engaging=discover";
	see_rows(&o, &s);
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_int_equal(r->created, 5);
	assert_int_equal(r->rejected, 2);
	assert_string_equal(r->as_of, "2017-12-31");
	int outcome;
	assert_non_null(strstr(seen_line(&s, "today.csv", 7, &outcome), "close_date: '2017-12-31 09:30' is in the future"));
	assert_non_null(strstr(seen_line(&s, "today.csv", 8, &outcome), "'2018-01-01' is in the future"));
	assert_int_equal(t_lead_of(t, "W1", "won_at"), now);
	assert_int_equal(t_lead_of(t, "L1", "captured_at"), now);
	assert_int_equal(t_lead_of(t, "L1", "lost_at"), now);
	assert_int_equal(t_lead_of(t, "E1", "captured_at"), now);
	assert_int_equal(t_lead_of(t, "P1", "captured_at"), now);
	assert_int_equal(t_lead_of(t, "T1", "won_at"), t_time(t, "2017-12-31T08:30:00+08:00"));
	assert_int_equal(t_lead_of(t, "W1", "captured_at"), t_time(t, "2017-12-01T12:00:00+08:00"));
	char sql[120];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM stage_event WHERE at > %lld", (long long)now);
	assert_int_equal(t_sql_int(t, sql), 0);
	free(r);
}

/* The default as-of date: the latest created date or close date of a won or lost opportunity (not
 * the expected close of an open one), at most today; an open one's close date is its expected close
 * month from the second stage on. */
static void test_as_of_and_close_month(void **state)
{
	struct tenv *t = *state;
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_history_result *r = malloc(sizeof *r);
	struct fnl_history_opts o = {0};
	struct seen s = {0};
	char path[512];
	o.path = t_file(t, "asof.csv",
			OPP_HEADER "W1,Ann Lee,Won,2017-01-10,2017-02-09,100\n"
				   "L1,Ann Lee,Lost,2017-01-12,2017-03-20,0\n"
				   "E1,Ann Lee,Engaging,2017-03-01,2030-06-30,500\n"
				   "P1,Ann Lee,Prospecting,,,\n"
				   "A1,Ann Lee,Lead,,2017-05-05,\n",
			path);
	o.stage_map = "Prospecting=qualify,Engaging=discover,Lead=acquire";
	see_rows(&o, &s);
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_int_equal(r->created, 5);
	assert_string_equal(r->as_of, "2017-03-20");
	assert_int_equal(t_lead_of(t, "P1", "captured_at"), t_time(t, "2017-03-20T12:00:00+08:00"));
	assert_non_null(strstr(quirk(r, "no_created_date")->message,
			       "captured at 2017-03-20 (the latest engage_date, or close_date of a won or lost opportunity"));
	assert_string_equal(T_TEXT(t, "SELECT close_month FROM lead l JOIN lead_origin o ON o.lead_id = l.id"
				      " WHERE external_id = 'E1'"),
			    "2030-06");
	assert_string_equal(T_TEXT(t, "SELECT COALESCE(close_month, '') FROM lead l JOIN lead_origin o"
				      " ON o.lead_id = l.id WHERE external_id = 'A1'"),
			    "");
	assert_int_equal(quirk_count(r, "expected_close_month"), 1);
	assert_int_equal(quirk_count(r, "open_with_close_date"), 1);
	int outcome;
	assert_non_null(strstr(seen_line(&s, "asof.csv", 6, &outcome), "close_date of an open opportunity at acquire: not imported"));

	/* the file's latest date after today: as of today, and before noon captured now */
	int64_t now = t_time(t, "2017-03-10T09:00:00+08:00");
	c = t_admin(t, now);
	o.path = t_file(t, "asof2.csv",
			OPP_HEADER "CW1,Ann Lee,Won,2017-01-10,2017-02-09,100\n"
				   "CL1,Ann Lee,Lost,2017-01-12,2017-03-20,0\n"
				   "CP1,Ann Lee,Prospecting,,,\n",
			path);
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_int_equal(r->rejected, 1);
	assert_string_equal(r->as_of, "2017-03-10");
	assert_non_null(strstr(quirk(r, "no_created_date")->message, "today"));
	assert_int_equal(t_lead_of(t, "CP1", "captured_at"), now);

	/* open rows only, with an expected close but no created date: nothing to date them by */
	c = t_admin(t, T_NOW);
	o.path = t_file(t, "asof3.csv", OPP_HEADER "NE1,Ann Lee,Engaging,,2030-06-30,\nNP1,Ann Lee,Prospecting,,,\n", path);
	T_RC(t, fnl_import_history(t->db, &c, &o, r), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "as-of");
	assert_non_null(strstr(fnl_errmsg(t->db), "2 open opportunities have no engage_date"));
	assert_non_null(strstr(fnl_errmsg(t->db), "give --as-of"));
	o.as_of = "2017-06-01";
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_int_equal(t_lead_of(t, "NP1", "captured_at"), t_time(t, "2017-06-01T12:00:00+08:00"));
	free(r);
}

/* A date that cannot be read rejects its row, not the file, when the format is given or the others
 * all fit one format; a file of which no format reads the dates is refused naming them. */
static void test_unreadable_dates(void **state)
{
	struct tenv *t = *state;
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_history_result *r = malloc(sizeof *r);
	struct fnl_history_opts o = {0};
	struct seen s = {0};
	char text[4096] = OPP_HEADER, path[512];
	for (int i = 1; i <= 25; i++) {
		t_append(text, sizeof text, "R%d,Ann Lee,Won,2017-01-10,%s,100\n", i,
			 i == 3 ? "2017-02-31" : i == 7 ? "n/a" : "2017-02-09");
	}
	o.path = t_file(t, "baddates.csv", text, path);
	see_rows(&o, &s);
	o.dry_run = 1;
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_string_equal(r->date_format, "YYYY-MM-DD");
	assert_int_equal(r->date_detected, 1);
	assert_int_equal(r->created, 23);
	assert_int_equal(r->rejected, 2);
	assert_int_equal(quirk_count(r, "bad_date"), 2);
	int outcome;
	assert_string_equal(seen_line(&s, "baddates.csv", 4, &outcome),
			    "close_date: '2017-02-31' read as YYYY-MM-DD is a day that does not exist");
	assert_int_equal(outcome, FNL_HISTORY_REJECTED);
	assert_string_equal(seen_line(&s, "baddates.csv", 8, &outcome), "close_date: 'n/a' is not a date in YYYY-MM-DD");
	/* the same with the format given */
	s.n = 0;
	o.date_format = "YYYY-MM-DD";
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_int_equal(r->created, 23);
	assert_int_equal(r->rejected, 2);
	assert_int_equal(r->date_detected, 0);
	/* a file with more unreadable dates than 1 in 20 is refused, unless the format is given */
	o.path = T_DATA("notadate.csv");
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_int_equal(r->created, 1);
	assert_int_equal(r->rejected, 1);
	/* a given format that fails many dates another format reads is not the file's */
	o.path = t_file(t, "dmy.csv", OPP_HEADER "X1,Ann Lee,Won,05/06/2017,20/07/2017,1\nX2,Ann Lee,Won,25/01/2017,28/02/2017,1\n",
			path);
	o.date_format = "MM/DD/YYYY";
	T_RC(t, fnl_import_history(t->db, &c, &o, r), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "date-format");
	assert_non_null(strstr(fnl_errmsg(t->db), "close_date: '20/07/2017' on line 2 is not a date in MM/DD/YYYY, nor are 2 "
						   "more of the file's 4 dates (more than 1 in 20), which all read as DD/MM/YYYY"));
	/* no format reads any date: refused, naming the values */
	o.path = t_file(t, "nodates.csv", OPP_HEADER "X1,Ann Lee,Won,soon,later,1\nX2,Ann Lee,Won,n/a,?,1\n", path);
	o.date_format = NULL;
	T_RC(t, fnl_import_history(t->db, &c, &o, r), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "date-format");
	assert_non_null(strstr(fnl_errmsg(t->db), "engage_date: 'soon' on line 2 is not a date in a usual format"));
	assert_non_null(strstr(fnl_errmsg(t->db), "close_date 'later' on line 2, engage_date 'n/a' on line 3"));
	o.date_format = "DD-MM-YY";
	T_RC(t, fnl_import_history(t->db, &c, &o, r), FNL_EINVAL);
	assert_non_null(strstr(fnl_errmsg(t->db), "'soon' on line 2 is not a date in DD-MM-YY, nor is any other of the "
						   "file's 4 dates"));
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM lead"), 0);
	free(r);
}

static int count_quirk_lines(const struct seen *s)
{
	int n = 0;
	for (int i = 0; i < s->n; i++)
		n += s->row[i].outcome == FNL_HISTORY_NOTED && s->row[i].line == 0 && strncmp(s->row[i].reason, "quirk ", 6) == 0;
	return n;
}

/* The quirks of the rows (what was rejected and why, what was imported differently) always reach the
 * summary; the quirks that do not fit are lines of the report, counted by a last quirk. */
static void test_quirks_overflow(void **state)
{
	struct tenv *t = *state;
	struct fnl_history_opts o = {0};
	struct seen s = {0};
	o.path = "opps.csv";
	o.on_row = on_row;
	o.arg = &s;
	struct hist *h = calloc(1, sizeof *h);
	assert_non_null(h);
	h->o = &o;
	h->r = &h->res;
	for (int i = 0; i < FNL_HISTORY_MAX_QUIRKS + 5; i++)
		fnl__hist_quirk(h, "near_names", 1, "value %d", i);
	assert_int_equal(h->r->nquirks, FNL_HISTORY_MAX_QUIRKS);
	assert_int_equal(h->quirks_moved, 5);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.row[0].reason, "quirk near_names (1): value 40");
	assert_int_equal(s.row[0].outcome, FNL_HISTORY_NOTED);
	assert_int_equal(s.row[0].line, 0);
	struct fnl_history_quirk rows[3] = {
		{"bad_amount", 2, "2 rows with an amount that is no number: rejected (see the report)"},
		{"won_without_value", 1, "1 won opportunity has no close_value: the deal's amount is 0"},
		{"future_date", 1, "1 row with a date in the future: rejected (see the report)"},
	};
	fnl__hist_quirks_place(h, rows, 3);
	assert_int_equal(h->r->nquirks, FNL_HISTORY_MAX_QUIRKS);
	assert_string_equal(h->r->quirks[35].message, "value 35");
	for (int i = 0; i < 3; i++)
		assert_string_equal(h->r->quirks[36 + i].key, rows[i].key);
	assert_string_equal(h->r->quirks[39].key, "more_quirks");
	assert_int_equal(h->r->quirks[39].count, 9);
	assert_string_equal(h->r->quirks[39].message,
			    "9 more quirks are not listed here: each is a line of the report (--report)");
	assert_int_equal(s.n, 9);
	assert_string_equal(s.row[5].reason, "quirk near_names (1): value 36");
	/* exactly full: nothing moves; one more: two move (room for the count) */
	for (int extra = 0; extra < 2; extra++) {
		memset(h, 0, sizeof *h);
		h->o = &o;
		h->r = &h->res;
		s.n = 0;
		for (int i = 0; i < FNL_HISTORY_MAX_QUIRKS - 3 + extra; i++)
			fnl__hist_quirk(h, "near_names", 1, "value %d", i);
		fnl__hist_quirks_place(h, rows, 3);
		assert_int_equal(h->r->nquirks, FNL_HISTORY_MAX_QUIRKS);
		assert_int_equal(s.n, extra ? 2 : 0);
		assert_string_equal(h->r->quirks[FNL_HISTORY_MAX_QUIRKS - 1].key, extra ? "more_quirks" : "future_date");
	}
	free(h);

	/* an import with more quirks of the survey than fit: its rejections are still in the summary */
	char text[8192] = "opportunity_id,sales_agent,account,deal_stage,engage_date,close_date,close_value\n", path[512];
	for (int i = 1; i <= FNL_HISTORY_MAX_QUIRKS + 5; i++) {
		t_append(text, sizeof text,
			 "A%d,Ann Lee,K%03dQ%03d,Won,2017-01-10,2017-02-09,100\n"
			 "B%d,Ann Lee,K%03dQ%03dx,Won,2017-01-10,2017-02-09,100\n",
			 i, i, 7 * i, i, i, 7 * i);
	}
	t_append(text, sizeof text, "R1,Ann Lee,Solo,Won,2017-01-10,2017-02-09,abc\nR2,Ann Lee,Solo,Won,2017-01-10,2017-02-09,\n");
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_history_result *r = malloc(sizeof *r);
	memset(&o, 0, sizeof o);
	s.n = 0;
	o.path = t_file(t, "many.csv", text, path);
	see_rows(&o, &s);
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_int_equal(r->rejected, 1);
	assert_true(r->nquirks <= FNL_HISTORY_MAX_QUIRKS);
	assert_int_equal(quirk_count(r, "bad_amount"), 1);
	assert_int_equal(quirk_count(r, "won_without_value"), 1);
	/* the quirks that did not fit are counted, and each is a line of the report */
	int64_t moved = quirk_count(r, "more_quirks");
	if (moved > 0) {
		assert_int_equal(moved, count_quirk_lines(&s));
		assert_string_equal(r->quirks[r->nquirks - 1].key, "more_quirks");
	}
	free(r);
}

/* Amounts above 10^11 once converted are rejected naming the row and field; no sum overflows. */
static void test_amount_limits(void **state)
{
	struct tenv *t = *state;
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_history_result *r = malloc(sizeof *r);
	struct fnl_history_opts o = {0};
	struct seen s = {0};
	char text[2048] = OPP_HEADER, path[512];
	for (int i = 1; i <= 12; i++)
		t_append(text, sizeof text, "G%d,Ann Lee,Won,2017-01-10,2017-02-09,9999999999999\n", i);
	t_append(text, sizeof text, "%s",
		 "M1,Ann Lee,Won,2017-01-10,2017-02-09,100000000\n"
		 "M2,Ann Lee,Won,2017-01-10,2017-02-09,100000000.01\n"
		 "M3,Ann Lee,Won,2017-01-10,2017-02-09,99999999999999999999999999\n"
		 "M4,Ann Lee,Won,2017-01-10,2017-02-09,\"1,000.5\"\n"
		 "D1,Ann Lee,Won,2017-01-10,2017-02-09,abc\n"
		 "D1,Ann Lee,Won,2017-01-10,2017-02-09,10\n"
		 "M5,Ann Lee,Won,2017-01-10,2017-02-09,1000000000000000\n");
	o.path = t_file(t, "big.csv", text, path);
	o.create_users = 1;
	o.currency = "USD";
	o.currency_factor = "1000";
	o.on_row = on_row;
	o.arg = &s;
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_int_equal(r->won, 2);
	assert_int_equal(r->rejected, 17);
	/* 10^8 x 1000 = 10^11 yuan, the most; 1000.50 x 1000 */
	assert_int_equal(r->won_amount, INT64_C(10000000000000) + 100050000);
	assert_int_equal(quirk_count(r, "amount_too_large"), 15);
	int outcome;
	assert_string_equal(seen_line(&s, "big.csv", 2, &outcome),
			    "close_value: '9999999999999' x 1000 is above 100000000000 CNY, the largest amount funnel takes");
	assert_int_equal(outcome, FNL_HISTORY_REJECTED);
	assert_non_null(strstr(seen_line(&s, "big.csv", 15, &outcome), "'100000000.01' x 1000 is above"));
	assert_non_null(strstr(seen_line(&s, "big.csv", 16, &outcome), "'99999999999999999999999999' x 1000 is above"));
	/* 10^15, the most read before the factor: times 1000 it would overflow the multiplication */
	assert_non_null(strstr(seen_line(&s, "big.csv", 20, &outcome), "'1000000000000000' x 1000 is above"));
	/* the first of a duplicate id rejected: the second says so */
	assert_non_null(strstr(seen_line(&s, "big.csv", 19, &outcome),
			       "'D1' is also on line 18 (a duplicate id: the first is rejected too, so neither is imported)"));
	assert_int_equal(t_sql_int(t, "SELECT sum(amount) FROM deal"), INT64_C(10000000000000) + 100050000);

	/* without a factor: 10^11 of the installation's currency is the most */
	o.path = t_file(t, "big2.csv",
			OPP_HEADER "N1,Ann Lee,Won,2017-01-10,2017-02-09,100000000000\n"
				   "N2,Ann Lee,Won,2017-01-10,2017-02-09,100000000000.01\n",
			path);
	o.currency = NULL;
	o.currency_factor = NULL;
	s.n = 0;
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_int_equal(r->won_amount, INT64_C(10000000000000));
	assert_int_equal(r->rejected, 1);
	assert_string_equal(seen_line(&s, "big2.csv", 3, &outcome),
			    "close_value: '100000000000.01' is above 100000000000 CNY, the largest amount funnel takes");

	/* a product's price above it once converted: the rows of that product are rejected */
	char ppath[512];
	o.products = t_file(t, "big-products.csv", "product,sales_price\nBig,100000001\nFair,100000000\n", ppath);
	o.path = t_file(t, "big3.csv",
			"opportunity_id,sales_agent,product,deal_stage,engage_date,close_date,close_value\n"
			"P1,Ann Lee,Big,Engaging,2017-01-10,,\n"
			"P2,Ann Lee,Fair,Engaging,2017-01-10,,\n",
			path);
	o.stage_map = "Engaging=discover";
	o.currency = "USD";
	o.currency_factor = "1000";
	s.n = 0;
	T_OK(t, fnl_import_history(t->db, &c, &o, r));
	assert_int_equal(r->open, 1);
	assert_int_equal(r->open_amount, INT64_C(10000000000000));
	assert_non_null(strstr(seen_line(&s, "big3.csv", 2, &outcome), "product 'Big': its price in"));
	assert_non_null(strstr(seen_line(&s, "big3.csv", 2, &outcome), "x 1000 is above 100000000000 CNY"));
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_datefmt_parse),
		cmocka_unit_test(test_datefmt_read),
		cmocka_unit_test(test_spell),
		T_TEST(test_import_basic),
		T_TEST(test_import_again_creates_nothing),
		T_TEST(test_reports_on_history),
		T_TEST(test_dates_refused),
		T_TEST(test_refused_before_writing),
		T_TEST(test_salesforce_export),
		T_TEST(test_lost_at_and_currency),
		T_TEST(test_edit_imported),
		T_TEST(test_today_is_not_future),
		T_TEST(test_as_of_and_close_month),
		T_TEST(test_unreadable_dates),
		T_TEST(test_quirks_overflow),
		T_TEST(test_amount_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
