/*
 * cli/cmd_sale.c - the sale from the solution to after-sales (SPEC §5):
 * funnel solution add|list|present, quote add|list|approve|reject, obstacle add|resolve|list,
 * deal close|show, aftersales handover|care|rate.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* ---- the solution ---- */

int cmd_solution_add(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	/* "3" or "N3", as the needs list shows it */
	const char *need = arg_val(a, "need"), *p = need && (*need == 'N' || *need == 'n') ? need + 1 : need;
	char *end = NULL;
	long num = p && *p >= '0' && *p <= '9' ? strtol(p, &end, 10) : 0;
	if (num <= 0 || num > 1000000 || *end)
		return cli_error(EXIT_ERR, "need: '%s' is not a need number like 3 or N3", need ? need : "");
	struct fnl_solution_item s;
	int rc = fnl_solution_add(cli->db, &cli->ctx, id, (int)num, arg_val(a, "function"), arg_val(a, "value"),
				  arg_val(a, "figure"), arg_val(a, "unit"), arg_val(a, "case"), &s);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(fnl_json_solution_item(cli->db, &s));
	printf("solution item %lld for need N%d (%s) added to lead %lld\n", (long long)s.id, s.need_num, s.need,
	       (long long)id);
	return EXIT_OK;
}

int cmd_solution_list(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_solution_item *v = NULL;
	struct fnl_presentation *p = NULL;
	size_t n = 0, np = 0;
	int rc = fnl_solution_list(cli->db, &cli->ctx, id, &v, &n);
	if (!rc)
		rc = fnl_presentation_list(cli->db, &cli->ctx, id, &p, &np);
	if (rc) {
		rc = cli_fail(cli, rc);
	} else if (cli->json) {
		json_t *items = json_array(), *pres = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(items, fnl_json_solution_item(cli->db, &v[i]));
		for (size_t i = 0; i < np; i++)
			json_array_append_new(pres, fnl_json_presentation(cli->db, &p[i]));
		rc = cli_print_json(json_pack("{so so}", "solution", items, "presentations", pres));
	} else {
		if (n)
			show_solution(cli, v, n, "");
		else
			printf("no solution items on lead %lld (funnel solution add)\n", (long long)id);
		if (np) {
			printf("\nPresentations:\n");
			show_presentations(cli, p, np, "  ");
		}
	}
	free(v);
	free(p);
	return rc;
}

int cmd_solution_present(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_presentation p;
	int rc = fnl_presentation_add(cli->db, &cli->ctx, id, arg_val(a, "date"), arg_val(a, "attendees"),
				      arg_val(a, "feedback"), &p);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(fnl_json_presentation(cli->db, &p));
	printf("presentation of the solution on %s recorded on lead %lld\n", p.day, (long long)id);
	return EXIT_OK;
}

/* ---- quotes ---- */

static void quote_line(struct cli *cli, const struct fnl_quote *q, const char *what)
{
	char amount[32], disc[24], limit[32] = "";
	fnl_config_get(cli->db, "quote.discount_limit", limit, sizeof limit);
	printf("quote %lld (round %d) on lead %lld %s: %s yuan, discount %s: %s\n", (long long)q->id, q->round,
	       (long long)q->lead_id, what, yuan_text(q->amount, amount, sizeof amount),
	       pct_text(q->discount, disc, sizeof disc), fnl_quote_status_name(q->status, cli_lang(cli)));
	if (strcmp(q->status, "pending") == 0)
		printf("the discount is above the limit of %s%%: a manager approves it with "
		       "'funnel quote approve %lld'\n",
		       limit, (long long)q->id);
}

int cmd_quote_add(struct cli *cli, const struct args *a)
{
	int64_t id, amount;
	int discount = 0;
	long days = 0;
	struct fnl_error err;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	if (fnl_money_parse(arg_val(a, "amount"), "amount", &amount, &err))
		return cli_error(EXIT_ERR, "%s", err.message);
	if (arg_set(a, "discount") && fnl_percent_parse(arg_val(a, "discount"), "discount", &discount, &err))
		return cli_error(EXIT_ERR, "%s", err.message);
	if (arg_set(a, "delivery") && arg_int(arg_val(a, "delivery"), "delivery", 0, 3650, &days))
		return EXIT_ERR;
	struct fnl_quote q;
	int rc = fnl_quote_add(cli->db, &cli->ctx, id, amount, discount, arg_val(a, "terms"), (int)days, &q);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(fnl_json_quote(cli->db, &q));
	quote_line(cli, &q, "given");
	return EXIT_OK;
}

int cmd_quote_list(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_quote *v;
	size_t n;
	int rc = fnl_quote_list(cli->db, &cli->ctx, id, &v, &n);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, fnl_json_quote(cli->db, &v[i]));
		free(v);
		return cli_print_json(json_pack("{so}", "quotes", arr));
	}
	struct fnl_lead l;
	if (n && (rc = fnl_lead_get(cli->db, &cli->ctx, id, &l))) {
		free(v);
		return cli_fail(cli, rc);
	}
	if (n)
		show_quotes(cli, v, n, "", &l);
	else
		printf("no quotes on lead %lld (funnel quote add)\n", (long long)id);
	free(v);
	return EXIT_OK;
}

static int decide(struct cli *cli, const struct args *a, int approve)
{
	int64_t id;
	if (arg_id(a->pos[0], "quote", &id))
		return EXIT_USAGE;
	struct fnl_quote q;
	int rc = fnl_quote_decide(cli->db, &cli->ctx, id, approve, arg_val(a, "note"), &q);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(fnl_json_quote(cli->db, &q));
	quote_line(cli, &q, approve ? "approved" : "rejected");
	return EXIT_OK;
}

int cmd_quote_approve(struct cli *cli, const struct args *a)
{
	return decide(cli, a, 1);
}

int cmd_quote_reject(struct cli *cli, const struct args *a)
{
	return decide(cli, a, 0);
}

/* ---- obstacles ---- */

int cmd_obstacle_add(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_obstacle o;
	int rc = fnl_obstacle_add(cli->db, &cli->ctx, id, arg_val(a, "type"), arg_val(a, "text"), &o);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(fnl_json_obstacle(cli->db, &o));
	printf("obstacle %lld (%s) recorded on lead %lld; resolve it with 'funnel obstacle resolve %lld'\n",
	       (long long)o.id, fnl_obstacle_type_name(o.type, cli_lang(cli)), (long long)id, (long long)o.id);
	return EXIT_OK;
}

int cmd_obstacle_resolve(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "obstacle", &id))
		return EXIT_USAGE;
	struct fnl_obstacle o;
	int rc = fnl_obstacle_resolve(cli->db, &cli->ctx, id, arg_val(a, "note"), &o);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(fnl_json_obstacle(cli->db, &o));
	printf("obstacle %lld (%s) of lead %lld resolved\n", (long long)o.id,
	       fnl_obstacle_type_name(o.type, cli_lang(cli)), (long long)o.lead_id);
	return EXIT_OK;
}

int cmd_obstacle_list(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_obstacle *v;
	size_t n;
	int rc = fnl_obstacle_list(cli->db, &cli->ctx, id, &v, &n);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, fnl_json_obstacle(cli->db, &v[i]));
		free(v);
		return cli_print_json(json_pack("{so}", "obstacles", arr));
	}
	size_t open = 0;
	for (size_t i = 0; i < n; i++)
		open += v[i].resolved_at == 0;
	if (n) {
		show_obstacles(cli, v, n, "");
		printf("%zu open, %zu resolved\n", open, n - open);
	} else {
		printf("no obstacles on lead %lld\n", (long long)id);
	}
	free(v);
	return EXIT_OK;
}

/* ---- the deal ---- */

int cmd_deal_close(struct cli *cli, const struct args *a)
{
	int64_t id, amount;
	struct fnl_error err;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	if (fnl_money_parse(arg_val(a, "amount"), "amount", &amount, &err))
		return cli_error(EXIT_ERR, "%s", err.message);
	struct fnl_lead l;
	int rc = fnl_deal_close(cli->db, &cli->ctx, id, arg_val(a, "contract"), amount, arg_val(a, "signed"),
				arg_val(a, "delivery"), arg_set(a, "force"), &l);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json) {
		json_t *j = fnl_json_lead(cli->db, cli->cat, &l, cli->ctx.now);
		struct fnl_deal d;
		if (fnl_deal_get(cli->db, &cli->ctx, id, &d) == 0)
			json_object_set_new(j, "deal", fnl_json_deal(cli->db, &d));
		return cli_print_json(j);
	}
	char money[32];
	printf("deal %s closed: lead %lld won (%s), %s yuan, signed %s\n", arg_val(a, "contract"), (long long)l.id,
	       fnl_catalog_stage(cli->cat, l.stage, cli_lang(cli)), yuan_text(amount, money, sizeof money),
	       arg_val(a, "signed"));
	return EXIT_OK;
}

int cmd_deal_show(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_deal d;
	int rc = fnl_deal_get(cli->db, &cli->ctx, id, &d);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(fnl_json_deal(cli->db, &d));
	printf("Deal of lead %lld\n", (long long)id);
	show_deal(cli, &d, "  ");
	return EXIT_OK;
}

/* ---- after-sales ---- */

int cmd_aftersales_handover(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_handover h;
	int rc = fnl_aftersales_handover(cli->db, &cli->ctx, id, arg_val(a, "to"), arg_val(a, "note"), &h);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(fnl_json_handover(cli->db, &h));
	printf("lead %lld handed over to after-sales: %s → %s\n", (long long)id, h.from[0] ? h.from : "(none)", h.to);
	return EXIT_OK;
}

int cmd_aftersales_care(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_activity_input in = {0};
	in.kind = "aftersales";
	in.summary = arg_val(a, "summary");
	in.outcome = arg_val(a, "outcome");
	if (arg_set(a, "next") && cli_time(cli, arg_val(a, "next"), "next", &in.next_at))
		return EXIT_ERR;
	struct fnl_activity act;
	int rc = fnl_activity_add(cli->db, &cli->ctx, id, &in, &act);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(fnl_json_activity(cli->db, cli->cat, &act));
	char next[32];
	printf("after-sales care %lld recorded on lead %lld%s%s\n", (long long)act.id, (long long)id,
	       act.next_at ? ", next " : "", cli_when(cli, act.next_at, next, sizeof next));
	return EXIT_OK;
}

int cmd_aftersales_rate(struct cli *cli, const struct args *a)
{
	int64_t id;
	long score;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	if (arg_int(arg_val(a, "score"), "score", 1, 5, &score))
		return EXIT_ERR;
	struct fnl_rating r;
	int rc = fnl_satisfaction_add(cli->db, &cli->ctx, id, (int)score, arg_val(a, "note"), &r);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(fnl_json_rating(cli->db, &r));
	printf("satisfaction %d/5 recorded on lead %lld\n", r.score, (long long)id);
	return EXIT_OK;
}
