/* cli/cmd_user.c - funnel init, user add|edit|list. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli/cli.h"

int cmd_init(struct cli *cli, const struct args *a)
{
	long seed = 1;
	if (arg_set(a, "seed")) {
		if (!arg_set(a, "demo"))
			return cli_error(EXIT_USAGE, "seed: only with --demo");
		if (arg_int(arg_val(a, "seed"), "seed", 0, 2147483647L, &seed))
			return EXIT_ERR;
	}
	struct stat sb;
	if (stat(cli->db_path, &sb) == 0 && sb.st_size > 0)
		return cli_error(EXIT_ERR, "db: '%s' already exists; choose another --db or remove it", cli->db_path);
	if (cli->has_now) {
		if (cli_time(cli, cli->now_text, "now", &cli->ctx.now))
			return EXIT_ERR;
	} else {
		cli->ctx.now = (int64_t)time(NULL);
	}
	struct fnl_error err;
	int rc = fnl_db_create(cli->db_path, &cli->ctx, &cli->db, &err);
	if (rc)
		return cli_error(EXIT_ERR, "%s", err.message);
	struct fnl_demo_stats st = {0};
	if (arg_set(a, "demo")) {
		cli->ctx.actor = 0;
		if ((rc = fnl_demo_generate(cli->db, &cli->ctx, (uint64_t)seed, &st))) {
			rc = cli_fail(cli, rc);
			fnl_db_close(cli->db);
			cli->db = NULL;
			/* a half-made demo is no use: leave nothing behind */
			remove(cli->db_path);
			char side[4096];
			snprintf(side, sizeof side, "%s-wal", cli->db_path);
			remove(side);
			snprintf(side, sizeof side, "%s-shm", cli->db_path);
			remove(side);
			return rc;
		}
	}
	if (cli->json) {
		json_t *j = json_pack("{ss sb}", "db", cli->db_path, "demo", arg_set(a, "demo"));
		if (arg_set(a, "demo"))
			json_object_set_new(j, "stats",
					    json_pack("{si si si si si si si}", "users", st.users, "leads", st.leads,
						      "invalid", st.invalid, "merged", st.merged, "won", st.won, "lost",
						      st.lost, "activities", st.activities));
		return cli_print_json(j);
	}
	printf("created %s (admin user: admin)\n", cli->db_path);
	if (arg_set(a, "demo"))
		printf("demo: %d users, %d leads (%d invalid, %d duplicates merged), %d won, %d lost, %d activities\n",
		       st.users, st.leads, st.invalid, st.merged, st.won, st.lost, st.activities);
	return EXIT_OK;
}

static int print_user(struct cli *cli, const struct fnl_user *u, const char *what)
{
	if (cli->json)
		return cli_print_json(fnl_json_user(u));
	printf("user %s %s: %s, %s%s%s%s\n", u->login, what, u->name, fnl_role_name(u->role, cli_lang(cli)),
	       u->team[0] ? ", team " : "", u->team, u->active ? "" : ", deactivated");
	return EXIT_OK;
}

int cmd_user_add(struct cli *cli, const struct args *a)
{
	struct fnl_user u;
	int rc = fnl_user_add(cli->db, &cli->ctx, a->pos[0], arg_val(a, "name"), arg_val(a, "role"),
			      arg_val(a, "team"), &u);
	return rc ? cli_fail(cli, rc) : print_user(cli, &u, "added");
}

int cmd_user_edit(struct cli *cli, const struct args *a)
{
	struct fnl_user_change ch = {arg_val(a, "name"), arg_val(a, "role"), arg_val(a, "team"), -1};
	const char *active = arg_val(a, "active");
	if (active) {
		if (strcmp(active, "yes") == 0)
			ch.active = 1;
		else if (strcmp(active, "no") == 0)
			ch.active = 0;
		else
			return cli_error(EXIT_ERR, "active: '%s' is not yes or no", active);
	}
	struct fnl_user u;
	int rc = fnl_user_edit(cli->db, &cli->ctx, a->pos[0], &ch, &u);
	return rc ? cli_fail(cli, rc) : print_user(cli, &u, "updated");
}

int cmd_user_list(struct cli *cli, const struct args *a)
{
	(void)a;
	struct fnl_user *v;
	size_t n;
	int rc = fnl_user_list(cli->db, &v, &n);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, fnl_json_user(&v[i]));
		free(v);
		return cli_print_json(json_pack("{so}", "users", arr));
	}
	static const char *const h[] = {"login", "name", "role", "team", "active"};
	struct table *t = table_new(5, h);
	for (size_t i = 0; i < n; i++) {
		const char *row[] = {v[i].login, v[i].name, fnl_role_name(v[i].role, cli_lang(cli)), v[i].team,
				     v[i].active ? "yes" : "no"};
		table_row(t, row);
	}
	table_print(t, stdout);
	table_free(t);
	free(v);
	return EXIT_OK;
}
