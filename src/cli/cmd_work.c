/* cli/cmd_work.c - funnel activity add|list, queue, audit, backup. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int cmd_activity_add(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_activity_input in = {0};
	in.kind = arg_val(a, "kind");
	in.summary = arg_val(a, "summary");
	in.outcome = arg_val(a, "outcome");
	if (arg_val(a, "next") && cli_time(cli, arg_val(a, "next"), "next", &in.next_at))
		return EXIT_ERR;
	struct fnl_activity act;
	int rc = fnl_activity_add(cli->db, &cli->ctx, id, &in, &act);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(fnl_json_activity(cli->db, cli->cat, &act));
	printf("activity %lld recorded on lead %lld (%s)\n", (long long)act.id, (long long)id,
	       fnl_activity_kind_name(act.kind, cli_lang(cli)));
	/* what this activity completed */
	struct fnl_task *t;
	size_t n;
	if (fnl_lead_tasks(cli->db, &cli->ctx, id, &t, &n) == 0) {
		for (size_t i = 0; i < n; i++)
			if (t[i].activity_id == act.id && strcmp(t[i].kind, "followup") == 0)
				printf("follow-up deadline %s\n", t[i].done_at > t[i].due_at ? "met late" : "met");
			else if (t[i].activity_id == act.id)
				printf("%s: done%s\n", fnl_task_kind_name(t[i].kind, cli_lang(cli)),
				       t[i].done_at > t[i].due_at ? " (late)" : "");
		free(t);
	}
	return EXIT_OK;
}

int cmd_activity_list(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_activity *v;
	size_t n;
	int rc = fnl_activity_list(cli->db, &cli->ctx, id, &v, &n);
	if (rc)
		return cli_fail(cli, rc);
	const char *lang = cli_lang(cli);
	if (cli->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, fnl_json_activity(cli->db, cli->cat, &v[i]));
		free(v);
		return cli_print_json(json_pack("{so}", "activities", arr));
	}
	static const char *const h[] = {"id", "when", "kind", "by", "summary", "outcome", "next"};
	struct table *t = table_new(7, h);
	for (size_t i = 0; i < n; i++) {
		char aid[24], when[32], next[32];
		snprintf(aid, sizeof aid, "%lld", (long long)v[i].id);
		const char *row[] = {aid, cli_when(cli, v[i].at, when, sizeof when), fnl_activity_kind_name(v[i].kind, lang),
				     v[i].user, v[i].summary, v[i].outcome, cli_when(cli, v[i].next_at, next, sizeof next)};
		table_row(t, row);
	}
	table_print(t, stdout);
	table_free(t);
	free(v);
	return EXIT_OK;
}

int cmd_queue(struct cli *cli, const struct args *a)
{
	struct fnl_queue_item *v;
	size_t n;
	const char *owner = arg_val(a, "owner");
	int rc = fnl_queue(cli->db, &cli->ctx, owner, &v, &n);
	if (rc)
		return cli_fail(cli, rc);
	const char *lang = cli_lang(cli);
	if (cli->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, fnl_json_queue_item(cli->db, cli->cat, &v[i], cli->ctx.now));
		free(v);
		return cli_print_json(json_pack("{so}", "queue", arr));
	}
	if (n == 0) {
		printf("nothing to do: no lead needs an action\n");
		free(v);
		return EXIT_OK;
	}
	static const char *const h[] = {"id", "company", "contact", "grade", "stage", "action", "due", "time left"};
	struct table *t = table_new(8, h);
	size_t overdue = 0;
	for (size_t i = 0; i < n; i++) {
		char id[24], due[32], left[48];
		snprintf(id, sizeof id, "%lld", (long long)v[i].lead_id);
		overdue += v[i].overdue != 0;
		const char *row[] = {id, v[i].company, v[i].contact, v[i].grade,
				     fnl_catalog_stage(cli->cat, v[i].stage, lang), fnl_task_kind_name(v[i].action, lang),
				     cli_when(cli, v[i].due_at, due, sizeof due),
				     v[i].due_at ? cli_left(cli, v[i].due_at, left, sizeof left) : ""};
		table_row(t, row);
	}
	table_print(t, stdout);
	table_free(t);
	printf("%zu leads need an action, %zu overdue\n", n, overdue);
	free(v);
	return EXIT_OK;
}

int cmd_audit(struct cli *cli, const struct args *a)
{
	int64_t lead = 0;
	if (arg_val(a, "lead") && arg_id(arg_val(a, "lead"), "lead", &lead))
		return EXIT_USAGE;
	long limit = 100;
	if (arg_set(a, "limit") && arg_int(arg_val(a, "limit"), "limit", 0, 1000000000L, &limit))
		return EXIT_ERR;
	struct fnl_audit_entry *v;
	size_t n;
	int rc = fnl_audit_list(cli->db, &cli->ctx, lead, limit, &v, &n);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, fnl_json_audit(cli->db, &v[i]));
		fnl_audit_free(v, n);
		return cli_print_json(json_pack("{so}", "audit", arr));
	}
	static const char *const h[] = {"when", "user", "what", "action", "before", "after"};
	struct table *t = table_new(6, h);
	for (size_t i = 0; i < n; i++) {
		char when[32], what[96];
		snprintf(what, sizeof what, "%s %s", v[i].entity, v[i].entity_id);
		const char *row[] = {cli_when(cli, v[i].at, when, sizeof when), v[i].user, what, v[i].action,
				     v[i].before ? v[i].before : "", v[i].after ? v[i].after : ""};
		table_row(t, row);
	}
	table_print(t, stdout);
	table_free(t);
	fnl_audit_free(v, n);
	return EXIT_OK;
}

int cmd_backup(struct cli *cli, const struct args *a)
{
	int rc = fnl_db_backup(cli->db, &cli->ctx, a->pos[0]);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(json_pack("{ss}", "backup", a->pos[0]));
	printf("backup written to %s\n", a->pos[0]);
	return EXIT_OK;
}
