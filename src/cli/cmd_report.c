/* cli/cmd_report.c - funnel report NAME: the reports of SPEC §7 as tables, CSV or JSON. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "funnel/analytics.h"

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
	return 0;
}

int cli_report_print(struct cli *cli, const struct args *a, struct fnl_report *r)
{
	int rc = EXIT_OK;
	if (cli->json) {
		rc = cli_print_json(json_incref(r->doc));
	} else if (arg_set(a, "csv")) {
		if (fnl_rtable_csv(r->table, cli_lang(cli), stdout))
			rc = cli_error(EXIT_ERR, "cannot write the CSV");
	} else {
		const fnl_rtable *t = r->table;
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
