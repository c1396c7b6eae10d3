/*
 * tests/unit/test_history_users.c - who owns the leads of another CRM's history (core/history_prep.c):
 * owners found by name, by their login as written or by the login of their name, and new users
 * with logins of their own when names meet the same login (Wei 张 and Wei 王; José Díaz and Jose
 * Diaz) or have no Latin letters (张伟); a stage map entry for a stage the file does not have;
 * prices of the products file.
 */
#include <sys/stat.h>

#include "testutil.h"

#include "funnel/history.h"

static const char *write_in(const struct tenv *t, const char *name, const char *text, char out[static 256])
{
	snprintf(out, 256, "%s/%s", t->dir, name);
	FILE *f = fopen(out, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
	return out;
}

static struct fnl_history_opts opts_for(const char *path)
{
	struct fnl_history_opts o = {0};
	o.path = path;
	o.stage_map = "Prospecting=qualify,Engaging=discover,Won=won,Lost=lost";
	o.create_users = 1;
	return o;
}

/* The login of the owner of opportunity id. */
static const char *owner_of(struct tenv *t, const char *id, char out[static 64])
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "SELECT u.login FROM lead l JOIN lead_origin o ON o.lead_id = l.id JOIN user u ON u.id = l.owner_id"
		 " WHERE o.external_id = '%s'",
		 id);
	int row;
	sqlite3_stmt *st = t_sql_row(t, sql, &row);
	snprintf(out, 64, "%s", row ? (const char *)sqlite3_column_text(st, 0) : "(none)");
	t_sql_done(st);
	return out;
}

static const char *quirk(const struct fnl_history_result *r, const char *key)
{
	for (int i = 0; i < r->nquirks; i++)
		if (strcmp(r->quirks[i].key, key) == 0)
			return r->quirks[i].message;
	return NULL;
}

static void test_names_meeting_one_login(void **state)
{
	struct tenv *t = *state;
	/* a user added by hand whose login is the login of a name of the file */
	struct fnl_ctx a = t_admin(t, T_NOW);
	struct fnl_user u;
	T_OK(t, fnl_user_add(t->db, &a, "moses.frase", "摩西", "sales", NULL, &u));
	char path[256];
	write_in(t, "opps.csv",
		 "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
		 "O1,Wei 张,Widget,Acme,Won,2017-01-10,2017-02-09,1200\n"
		 "O2,Wei 王,Widget,Beta,Won,2017-01-11,2017-02-10,1300\n"
		 "O3,José Díaz,Widget,Gamma,Lost,2017-01-12,2017-01-20,0\n"
		 "O4,Jose Diaz,Widget,Delta,Engaging,2017-01-13,,\n"
		 "O5,张伟,Widget,Eta,Engaging,2017-01-14,,\n"
		 "O6,李娜,Widget,Zeta,Engaging,2017-01-15,,\n"
		 "O7,Moses Frase,Widget,Theta,Engaging,2017-01-16,,\n"
		 "O8,Wei 张,Widget,Iota,Engaging,2017-01-17,,\n",
		 path);
	struct fnl_history_opts o = opts_for(path);
	struct fnl_history_result *r = malloc(sizeof *r);
	assert_non_null(r);
	T_OK(t, fnl_import_history(t->db, &a, &o, r));
	assert_int_equal(r->created, 8);
	/* six new users: Wei 张 wei, Wei 王 wei-2, José Díaz jose.diaz, Jose Diaz jose.diaz-2, 张伟 user.1,
	 * 李娜 user.2; Moses Frase is the user added by hand */
	assert_int_equal(r->users_created, 6);
	char b[64];
	assert_string_equal(owner_of(t, "O1", b), "wei");
	assert_string_equal(owner_of(t, "O8", b), "wei");
	assert_string_equal(owner_of(t, "O2", b), "wei-2");
	assert_string_equal(owner_of(t, "O3", b), "jose.diaz");
	assert_string_equal(owner_of(t, "O4", b), "jose.diaz-2");
	assert_string_equal(owner_of(t, "O5", b), "user.1");
	assert_string_equal(owner_of(t, "O6", b), "user.2");
	assert_string_equal(owner_of(t, "O7", b), "moses.frase");
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM user WHERE name = 'Wei 王' AND login = 'wei-2'"), 1);
	const char *q = quirk(r, "login_taken");
	assert_non_null(q);
	assert_non_null(strstr(q, "2 names would have had the login of another user or name"));
	assert_non_null(strstr(q, "'Wei 王' wei-2"));
	assert_non_null(strstr(q, "'Jose Diaz' jose.diaz-2"));
	q = quirk(r, "login_numbered");
	assert_non_null(q);
	assert_non_null(strstr(q, "'张伟' user.1, '李娜' user.2"));

	/* a second run finds every owner again by name: nothing new */
	T_OK(t, fnl_import_history(t->db, &a, &o, r));
	assert_int_equal(r->users_created, 0);
	assert_int_equal(r->skipped, 8);
	free(r);
}

/* Without --create-users, owners are found or the import stops naming them. */
static void test_owners_not_created(void **state)
{
	struct tenv *t = *state;
	struct fnl_ctx a = t_admin(t, T_NOW);
	struct fnl_user u;
	T_OK(t, fnl_user_add(t->db, &a, "wei", "Wei 张", "sales", NULL, &u));
	char path[256];
	write_in(t, "opps.csv",
		 "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
		 "O1,Wei 张,Widget,Acme,Engaging,2017-01-10,,\n"
		 "O2,Wei 王,Widget,Beta,Engaging,2017-01-11,,\n",
		 path);
	struct fnl_history_opts o = opts_for(path);
	o.create_users = 0;
	struct fnl_history_result *r = malloc(sizeof *r);
	assert_non_null(r);
	T_RC(t, fnl_import_history(t->db, &a, &o, r), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "owner");
	assert_non_null(strstr(fnl_errmsg(t->db), "1 owner of the file is not a user ('Wei 王')"));
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM lead"), 0);
	free(r);
}

/* An entry of the map for a stage the file does not have changes nothing. */
static void test_stage_map_entry_not_in_file(void **state)
{
	struct tenv *t = *state;
	struct fnl_ctx a = t_admin(t, T_NOW);
	char path[256];
	write_in(t, "opps.csv",
		 "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
		 "O1,Ann Lee,Widget,Acme,Won,2017-01-10,2017-02-09,1200\n"
		 "O2,Ann Lee,Widget,Beta,Lost,2017-01-11,2017-01-20,0\n"
		 "O3,Ann Lee,Widget,Gamma,Engaging,2017-01-12,,\n",
		 path);
	struct fnl_history_opts o = opts_for(path);
	o.stage_map = "Engaging=discover,Negotiation=negotiate";
	struct fnl_history_result *r = malloc(sizeof *r);
	assert_non_null(r);
	T_OK(t, fnl_import_history(t->db, &a, &o, r));
	assert_string_equal(r->engaged_stage, "discover");
	assert_string_equal(r->lost_stage, "discover");
	/* nobody reached negotiate (with the entry taken into account, the won and the lost lead would
	 * have been there from their created date) */
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM stage_event e JOIN stage s ON s.id = e.to_stage"
				      " WHERE s.key = 'negotiate'"),
			 0);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM stage_event e JOIN stage s ON s.id = e.to_stage"
				      " WHERE s.key = 'discover' AND e.kind = 'forward'"),
			 3);
	free(r);
}

/* Prices: rounded to the 分, at most 10^11 of the currency, digits required. */
static void test_prices(void **state)
{
	struct tenv *t = *state;
	struct fnl_ctx a = t_admin(t, T_NOW);
	char path[256], prod[256];
	write_in(t, "products.csv",
		 "product,sales_price\n"
		 "Round,10.005\n"
		 "Down,10.004\n"
		 "Dot,.\n"
		 "Comma,\",\"\n"
		 "Huge,999999999999999\n"
		 "Max,100000000000\n",
		 prod);
	write_in(t, "opps.csv",
		 "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
		 "O1,Ann Lee,Round,Acme,Engaging,2017-01-10,,\n"
		 "O2,Ann Lee,Down,Beta,Engaging,2017-01-11,,\n"
		 "O3,Ann Lee,Max,Gamma,Engaging,2017-01-12,,\n",
		 path);
	struct fnl_history_opts o = opts_for(path);
	o.products = prod;
	struct fnl_history_result *r = malloc(sizeof *r);
	assert_non_null(r);
	T_OK(t, fnl_import_history(t->db, &a, &o, r));
	assert_int_equal(t_sql_int(t, "SELECT amount FROM lead l JOIN lead_origin o ON o.lead_id = l.id"
				      " WHERE o.external_id = 'O1'"),
			 1001);
	assert_int_equal(t_sql_int(t, "SELECT amount FROM lead l JOIN lead_origin o ON o.lead_id = l.id"
				      " WHERE o.external_id = 'O2'"),
			 1000);
	assert_int_equal(t_sql_int(t, "SELECT amount FROM lead l JOIN lead_origin o ON o.lead_id = l.id"
				      " WHERE o.external_id = 'O3'"),
			 INT64_C(10000000000000));
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_names_meeting_one_login, tenv_setup, tenv_teardown),
		cmocka_unit_test_setup_teardown(test_owners_not_created, tenv_setup, tenv_teardown),
		cmocka_unit_test_setup_teardown(test_stage_map_entry_not_in_file, tenv_setup, tenv_teardown),
		cmocka_unit_test_setup_teardown(test_prices, tenv_setup, tenv_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
