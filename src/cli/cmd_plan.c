/*
 * cli/cmd_plan.c - targets and planning (SPEC §6): funnel target set|list, report targets, plan,
 * whatif; and the reports team and bottleneck (SPEC §7) that compare against them.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "funnel/analytics.h"

int cmd_report_team(struct cli *cli, const struct args *a)
{
	const char *by = arg_val(a, "by");
	if (by && strcmp(by, "owner"))
		return cli_error(EXIT_USAGE, "by: report team is always per rep, not by '%s'", by);
	return cli_report_run(cli, a, fnl_report_team);
}

int cmd_report_bottleneck(struct cli *cli, const struct args *a)
{
	return cli_report_run(cli, a, fnl_report_bottleneck);
}

/* Run a report on a fresh snapshot with options o (the snapshot filled in here). */
static int report_with(struct cli *cli, const struct args *a, fnl_snapshot *s, struct fnl_report_opts *o,
		       int (*fn)(fnl_db *, const fnl_snapshot *, const struct fnl_report_opts *, struct fnl_report *))
{
	struct fnl_report r;
	int rc = fn(cli->db, s, o, &r);
	if (rc)
		return cli_fail(cli, rc);
	rc = cli_report_print(cli, a, &r);
	fnl_report_free(&r);
	return rc;
}

static void opts_init(struct cli *cli, struct fnl_report_opts *o)
{
	memset(o, 0, sizeof *o);
	fnl_query_init(&o->q);
	o->now = cli->ctx.now;
	o->lang = cli_lang(cli);
}

int cmd_report_targets(struct cli *cli, const struct args *a)
{
	struct fnl_report_opts o;
	opts_init(cli, &o);
	const char *period = arg_val(a, "period");
	struct fnl_error err;
	if (period && fnl_period_parse(fnl_db_tz(cli->db), period, &o.q.from, &o.q.to, &err))
		return cli_error(EXIT_ERR, "%s", err.message);
	fnl_snapshot *s;
	int rc = fnl_snapshot_build(cli->db, &s);
	if (rc)
		return cli_fail(cli, rc);
	if (fnl_report_scope(cli->db, &cli->ctx, s, "targets", &o.q)) {
		rc = cli_fail(cli, fnl_db_error(cli->db)->code);
		fnl_snapshot_free(s);
		return rc;
	}
	rc = report_with(cli, a, s, &o, fnl_report_targets);
	fnl_snapshot_free(s);
	return rc;
}

/* ---- targets ---- */

static int is_rate(const char *metric)
{
	return strcmp(metric, "conversion") == 0 || strcmp(metric, "sla_compliance") == 0;
}

/* A target's value as people write it: "200", "128000.50", "30.5%". */
static const char *value_text(const struct fnl_target *t, char *buf, size_t len)
{
	if (strcmp(t->metric, "won_amount") == 0)
		yuan_text(t->value, buf, len);
	else if (is_rate(t->metric))
		pct_text((int)t->value, buf, len);
	else
		snprintf(buf, len, "%lld", (long long)t->value);
	return buf;
}

static const char *scope_text(const struct fnl_target *t, char *buf, size_t len)
{
	if (strcmp(t->scope_kind, "company") == 0)
		snprintf(buf, len, "company");
	else
		snprintf(buf, len, "%s:%s", t->scope_kind, t->scope);
	return buf;
}

int cmd_target_set(struct cli *cli, const struct args *a)
{
	const char *metric = arg_val(a, "metric"), *scope = arg_val(a, "scope");
	const char *kind, *name = "";
	char kbuf[8];
	if (strcmp(scope, "company") == 0) {
		kind = "company";
	} else if (strncmp(scope, "team:", 5) == 0 || strncmp(scope, "user:", 5) == 0) {
		snprintf(kbuf, sizeof kbuf, "%.4s", scope);
		kind = kbuf;
		name = scope + 5;
	} else {
		return cli_error(EXIT_ERR, "scope: '%s' is not company, team:TEAM or user:LOGIN", scope);
	}
	int64_t value;
	struct fnl_error err;
	if (fnl_target_value_parse(metric, arg_val(a, "value"), &value, &err))
		return cli_error(EXIT_ERR, "%s", err.message);
	struct fnl_target t;
	int rc = fnl_target_set(cli->db, &cli->ctx, metric, arg_val(a, "stage"), kind, name, arg_val(a, "period"), value,
				&t);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(fnl_target_json(fnl_db_tz(cli->db), &t));
	char v[48], sc[FNL_NAME_LEN + 8];
	printf("target %lld: %s %s%s%s for %s: %s\n", (long long)t.id, t.period, t.metric, t.stage[0] ? " " : "", t.stage,
	       scope_text(&t, sc, sizeof sc), value_text(&t, v, sizeof v));
	return EXIT_OK;
}

int cmd_target_list(struct cli *cli, const struct args *a)
{
	struct fnl_target *v;
	size_t n;
	int rc = fnl_target_list(cli->db, arg_val(a, "period"), &v, &n);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, fnl_target_json(fnl_db_tz(cli->db), &v[i]));
		free(v);
		return cli_print_json(arr);
	}
	int en = strcmp(cli_lang(cli), "en") == 0;
	const char *heads[] = {"ID", en ? "Period" : "周期", en ? "Scope" : "范围", en ? "Metric" : "指标",
			       en ? "Stage" : "阶段", en ? "Target" : "目标", en ? "Set by" : "设定人"};
	struct table *tb = table_new(7, heads);
	for (size_t i = 0; i < n; i++) {
		char id[24], val[48], sc[FNL_NAME_LEN + 8];
		snprintf(id, sizeof id, "%lld", (long long)v[i].id);
		const char *stage = v[i].stage[0] ? fnl_catalog_stage(cli->cat, v[i].stage, cli_lang(cli)) : "";
		const char *row[] = {id, v[i].period, scope_text(&v[i], sc, sizeof sc), v[i].metric, stage,
				     value_text(&v[i], val, sizeof val), v[i].user};
		table_row(tb, row);
	}
	table_print(tb, stdout);
	table_free(tb);
	free(v);
	return EXIT_OK;
}

/* ---- planning ---- */

int cmd_plan(struct cli *cli, const struct args *a)
{
	int64_t revenue;
	struct fnl_error err;
	if (fnl_money_parse(arg_val(a, "revenue"), "revenue", &revenue, &err))
		return cli_error(EXIT_ERR, "%s", err.message);
	fnl_snapshot *s;
	int rc = fnl_snapshot_build(cli->db, &s);
	if (rc)
		return cli_fail(cli, rc);
	struct fnl_plan p;
	rc = fnl_plan_make(cli->db, &cli->ctx, s, arg_val(a, "period"), revenue, &p);
	fnl_snapshot_free(s);
	if (rc)
		return cli_fail(cli, rc);
	int apply = arg_set(a, "apply");
	if (apply && (rc = fnl_plan_apply(cli->db, &cli->ctx, &p)))
		return cli_fail(cli, rc);
	struct fnl_report r;
	if ((rc = fnl_report_plan(cli->db, &p, cli_lang(cli), &r)))
		return cli_fail(cli, rc);
	if (cli->json) {
		json_object_set_new(r.doc, "applied", json_boolean(apply));
		rc = cli_report_print(cli, a, &r);
		fnl_report_free(&r);
		return rc;
	}
	int en = strcmp(cli_lang(cli), "en") == 0;
	char rev[32], avg[32], from[32], to[32];
	cli_when(cli, p.hist_from, from, sizeof from);
	cli_when(cli, p.hist_to - 1, to, sizeof to);
	printf(en ? "plan %s: revenue %s at an average deal of %s (history %.10s to %.10s: %lld leads, %lld wins): %lld wins\n"
		  : "%s 计划：收入 %s，平均客单 %s（历史 %.10s 至 %.10s：%lld 条线索，%lld 单成交）：需成交 %lld 单\n",
	       p.period, yuan_text(p.revenue, rev, sizeof rev), yuan_text(p.avg_deal, avg, sizeof avg), from, to,
	       (long long)p.hist_leads, (long long)p.hist_won, (long long)p.needed[p.nstages]);
	rc = cli_report_print(cli, a, &r);
	fnl_report_free(&r);
	if (apply)
		printf(en ? "stored as the company's targets of %s: entries of %d stages, won_count, won_amount\n"
			  : "已保存为 %s 的公司目标：%d 个阶段的进入数、成交数、成交金额\n",
		       p.period, p.nstages - 1);
	return rc;
}

int cmd_whatif(struct cli *cli, const struct args *a)
{
	double points = 1.0;
	const char *pt = arg_val(a, "points");
	if (pt) {
		int bp;
		struct fnl_error err;
		if (fnl_percent_parse(pt, "points", &bp, &err))
			return cli_error(EXIT_ERR, "%s", err.message);
		if (bp == 0)
			return cli_error(EXIT_ERR, "points: must be more than 0");
		points = bp / 100.0;
	}
	fnl_snapshot *s;
	int rc = fnl_snapshot_build(cli->db, &s);
	if (rc)
		return cli_fail(cli, rc);
	struct fnl_report_opts o;
	opts_init(cli, &o);
	if ((rc = cli_report_query(cli, a, s, &o.q))) {
		fnl_snapshot_free(s);
		return rc;
	}
	struct fnl_report r;
	if ((rc = fnl_report_whatif(cli->db, s, &o, arg_val(a, "stage"), points, &r))) {
		fnl_snapshot_free(s);
		return cli_fail(cli, rc);
	}
	fnl_snapshot_free(s);
	rc = cli_report_print(cli, a, &r);
	fnl_report_free(&r);
	return rc;
}
