/* cli/cmd_report.c - funnel report NAME: the reports of SPEC §7 as tables, CSV, JSON or workbooks. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "funnel/analytics.h"
#include "funnel/export.h"

static const struct {
	const char *name;
	enum fnl_dim dim;
} dims[] = {
	{"channel", FNL_DIM_CHANNEL}, {"owner", FNL_DIM_OWNER},       {"team", FNL_DIM_TEAM},
	{"grade", FNL_DIM_GRADE},     {"industry", FNL_DIM_INDUSTRY}, {"region", FNL_DIM_REGION},
	{"month", FNL_DIM_MONTH},
};

#define NDIMS (sizeof dims / sizeof dims[0])

/* --from/--to are dates in the installation's zone; --to is inclusive. */
static int period(struct cli *cli, const struct args *a, struct fnl_query *q)
{
	const char *from = arg_val(a, "from"), *to = arg_val(a, "to");
	const fnl_tz *tz = fnl_db_tz(cli->db);
	int64_t day;
	struct fnl_error err;
	if (from) {
		if (fnl_date_parse(from, &day, &err))
			return cli_error(EXIT_ERR, "from: '%s' is not a date like 2026-01-01", from);
		q->from = fnl_tz_from_local(tz, day * FNL_DAY_SECONDS);
	}
	if (to) {
		if (fnl_date_parse(to, &day, &err))
			return cli_error(EXIT_ERR, "to: '%s' is not a date like 2026-12-31", to);
		q->to = fnl_tz_from_local(tz, (day + 1) * FNL_DAY_SECONDS);
	}
	if (q->from && q->to && q->to <= q->from)
		return cli_error(EXIT_ERR, "to: the period ends before it starts");
	return 0;
}

int cli_report_query(struct cli *cli, const struct args *a, const fnl_snapshot *s, struct fnl_query *q)
{
	fnl_query_init(q);
	if (period(cli, a, q))
		return EXIT_ERR;
	for (size_t d = 0; d < NDIMS; d++) {
		const char *v = dims[d].dim == FNL_DIM_MONTH ? NULL : arg_val(a, dims[d].name);
		if (!v)
			continue;
		int k = fnl_snapshot_find(s, dims[d].dim, v);
		if (k < 0)
			return cli_error(EXIT_ERR, "%s: no %s '%s' in the data", dims[d].name, dims[d].name, v);
		q->filter[dims[d].dim] = k;
	}
	const char *by = arg_val(a, "by");
	if (by) {
		size_t d;
		for (d = 0; d < NDIMS && strcmp(dims[d].name, by); d++)
			;
		if (d == NDIMS)
			return cli_error(EXIT_USAGE, "by: '%s' is not channel, owner, team, grade, industry, region or month", by);
		q->by = dims[d].dim;
	}
	/* what the acting user may see (SPEC §8) */
	const char *report = a->cmd->verb ? a->cmd->verb : a->cmd->noun;
	if (fnl_report_scope(cli->db, &cli->ctx, s, report, q))
		return cli_fail(cli, fnl_db_error(cli->db)->code);
	return 0;
}

/* A report table for people, in the installation's language. */
static void print_table(struct cli *cli, const fnl_rtable *t)
{
	size_t nc = fnl_rtable_ncols(t), nr = fnl_rtable_nrows(t);
	const char **cells = calloc(nc ? nc : 1, sizeof *cells);
	const char **heads = calloc(nc ? nc : 1, sizeof *heads);
	for (size_t c = 0; c < nc; c++)
		heads[c] = fnl_rtable_label(t, c, cli_lang(cli));
	struct table *tb = table_new((int)nc, heads);
	char **copies = calloc(nc ? nc : 1, sizeof *copies);
	for (size_t row = 0; row < nr; row++) {
		for (size_t c = 0; c < nc; c++) {
			free(copies[c]);
			copies[c] = strdup(fnl_rtable_cell_text(t, row, c, NULL));
			cells[c] = copies[c];
		}
		table_row(tb, cells);
	}
	for (size_t c = 0; c < nc; c++)
		free(copies[c]);
	table_print(tb, stdout);
	table_free(tb);
	free(copies);
	free(cells);
	free(heads);
}

/* The detail table as CSV after the main one: an empty line, then its header and rows (one BOM at
 * the start of the file is enough). */
static int print_detail_csv(struct cli *cli, const fnl_rtable *t, FILE *out)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		return -1;
	int rc = fnl_rtable_csv(t, cli_lang(cli), mem);
	if (fclose(mem) || rc || len < 3) {
		free(buf);
		return -1;
	}
	fputs("\r\n", out);
	fwrite(buf + 3, 1, len - 3, out);
	free(buf);
	return ferror(out) ? -1 : 0;
}

/* The report in format (csv, json, xlsx) into the new file out. */
static int report_to_file(struct cli *cli, struct fnl_report *r, const char *format, const char *out)
{
	struct cli_out o;
	int rc = cli_out_open(&o, out, 0);
	if (rc)
		return rc;
	if (strcmp(format, "xlsx") == 0) {
		struct fnl_error err = {0};
		if (fnl_report_xlsx(r, cli_lang(cli), o.tmp, &err))
			return cli_out_fail(&o, err.message);
	} else {
		FILE *f = cli_out_file(&o);
		int bad = !f;
		if (!bad && strcmp(format, "csv") == 0)
			bad = fnl_rtable_csv(r->table, cli_lang(cli), f) || (r->detail && print_detail_csv(cli, r->detail, f));
		else if (!bad)
			bad = json_dumpf(r->doc, f, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12)) ||
			      fputc('\n', f) == EOF;
		if (bad) {
			cli_out_abort(&o);
			return cli_error(EXIT_ERR, "out: cannot write '%s'", out);
		}
	}
	if ((rc = cli_out_commit(&o)))
		return rc;
	if (cli->json)
		return cli_print_json(json_pack("{ss ss}", "format", format, "out", out));
	printf("report written to %s (%s)\n", out, format);
	return EXIT_OK;
}

int cli_report_print(struct cli *cli, const struct args *a, struct fnl_report *r)
{
	int rc = EXIT_OK;
	const char *format = arg_val(a, "format"), *out = arg_val(a, "out");
	if (format && strcmp(format, "table") && strcmp(format, "csv") && strcmp(format, "xlsx") && strcmp(format, "json"))
		return cli_error(EXIT_USAGE, "format: '%s' is not table, csv, xlsx or json", format);
	int csv = arg_set(a, "csv");
	if (csv && format && strcmp(format, "csv"))
		return cli_error(EXIT_USAGE, "csv: --csv and --format %s do not go together", format);
	/* as before --format: --json wins over --csv on the terminal */
	if (!format)
		format = csv && (out || !cli->json) ? "csv" : cli->json ? "json" : "table";
	if (strcmp(format, "xlsx") == 0 && !out)
		return cli_error(EXIT_USAGE, "format: xlsx needs --out FILE (a workbook is not for the terminal)");
	if (out) {
		if (strcmp(format, "table") == 0)
			return cli_error(EXIT_USAGE, "out: goes with --format csv, xlsx or json");
		return report_to_file(cli, r, format, out);
	}
	if (strcmp(format, "json") == 0) {
		rc = cli_print_json(json_incref(r->doc));
	} else if (strcmp(format, "csv") == 0) {
		if (fnl_rtable_csv(r->table, cli_lang(cli), stdout) ||
		    (r->detail && print_detail_csv(cli, r->detail, stdout)))
			rc = cli_error(EXIT_ERR, "cannot write the CSV");
	} else {
		print_table(cli, r->table);
		if (r->detail) {
			printf("\n%s\n", fnl_rtable_title(r->detail));
			print_table(cli, r->detail);
		}
	}
	return rc;
}

typedef int (*report_fn)(fnl_db *, const fnl_snapshot *, const struct fnl_report_opts *, struct fnl_report *);

static int run(struct cli *cli, const struct args *a, report_fn fn)
{
	fnl_snapshot *s;
	int rc = fnl_snapshot_build(cli->db, &s);
	if (rc)
		return cli_fail(cli, rc);
	struct fnl_report_opts o;
	memset(&o, 0, sizeof o);
	o.now = cli->ctx.now;
	o.lang = cli_lang(cli);
	if ((rc = cli_report_query(cli, a, s, &o.q))) {
		fnl_snapshot_free(s);
		return rc;
	}
	struct fnl_report r;
	if ((rc = fn(cli->db, s, &o, &r))) {
		fnl_snapshot_free(s);
		return cli_fail(cli, rc);
	}
	rc = cli_report_print(cli, a, &r);
	fnl_report_free(&r);
	fnl_snapshot_free(s);
	return rc;
}

int cmd_report_funnel(struct cli *cli, const struct args *a)
{
	return run(cli, a, fnl_report_funnel);
}

int cmd_report_stages(struct cli *cli, const struct args *a)
{
	return run(cli, a, fnl_report_stages);
}

int cmd_report_flow(struct cli *cli, const struct args *a)
{
	return run(cli, a, fnl_report_flow);
}

int cmd_report_channels(struct cli *cli, const struct args *a)
{
	/* a dimension it cannot group by (an unknown one gets the common message from run) */
	const char *by = arg_val(a, "by");
	for (size_t d = 0; by && d < NDIMS; d++)
		if (strcmp(dims[d].name, by) == 0 && dims[d].dim != FNL_DIM_CHANNEL)
			return cli_error(EXIT_USAGE, "by: report channels is always per channel, not by '%s'", by);
	return run(cli, a, fnl_report_channels);
}

int cmd_report_forecast(struct cli *cli, const struct args *a)
{
	return run(cli, a, fnl_report_forecast);
}

int cmd_report_sla(struct cli *cli, const struct args *a)
{
	return run(cli, a, fnl_report_sla);
}

int cmd_report_scoring(struct cli *cli, const struct args *a)
{
	return run(cli, a, fnl_report_scoring);
}

int cli_report_run(struct cli *cli, const struct args *a, report_fn fn)
{
	return run(cli, a, fn);
}
