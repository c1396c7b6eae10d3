/* cli/cmd_import.c - funnel import FILE: a lead list in, with a summary, a report file and progress. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "funnel/export.h"
#include "funnel/import.h"

/* Rows not created as they are, shown on stderr when there is no --report file. */
#define SHOW_ROWS 10

struct import_ui {
	struct cli *cli;
	FILE *report;
	int64_t shown_rows, more_rows; /* without --report: rejected rows shown, and not shown */
	int progress;          /* 1: show progress on the terminal */
	struct timespec start;
	double shown_at; /* seconds since start when the progress line was last written */
	int shown;
};

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void on_row(void *arg, int64_t line, int outcome, const char *reason, const char *company,
		   const char *contact, int64_t lead)
{
	struct import_ui *ui = arg;
	if (!ui->report) {
		/* the rejected rows are what the user must fix: the first ones on stderr */
		if (outcome != FNL_IMPORT_REJECTED)
			return;
		if (ui->shown_rows == SHOW_ROWS) {
			ui->more_rows++;
			return;
		}
		if (ui->shown) {
			fputc('\n', stderr);
			ui->shown = 0;
		}
		if (line)
			fprintf(stderr, "line %lld: rejected: %s\n", (long long)line, reason);
		else
			fprintf(stderr, "rejected: %s\n", reason);
		ui->shown_rows++;
		return;
	}
	char num[24];
	if (line)
		fprintf(ui->report, "%lld,", (long long)line);
	else
		fputc(',', ui->report);
	fprintf(ui->report, "%s,", fnl_import_outcome_name(outcome));
	fnl_csv_field(ui->report, reason, 1);
	fputc(',', ui->report);
	fnl_csv_field(ui->report, company, 1);
	fputc(',', ui->report);
	fnl_csv_field(ui->report, contact, 1);
	snprintf(num, sizeof num, "%lld", (long long)lead);
	fprintf(ui->report, ",%s\r\n", lead ? num : "");
}

/* "12000 rows, 48000 rows/s, 35% , 0:04 left" on stderr, over itself, after the first seconds. */
static void on_progress(void *arg, int64_t rows, int64_t done, int64_t total)
{
	struct import_ui *ui = arg;
	double t = seconds_since(&ui->start);
	if (!ui->progress || t < 2.0 || t - ui->shown_at < 0.25)
		return;
	ui->shown_at = t;
	double rate = t > 0 ? (double)rows / t : 0;
	double left = done > 0 && total > done ? t * (double)(total - done) / (double)done : 0;
	fprintf(stderr, "\r%lld rows, %.0f rows/s, %.0f%%, %d:%02d left   ", (long long)rows, rate,
		total ? 100.0 * (double)done / (double)total : 100.0, (int)left / 60, (int)left % 60);
	ui->shown = 1;
}

static json_t *result_json(const struct fnl_import_result *r)
{
	json_t *inv = json_object();
	for (int k = 0; k < 6; k++)
		json_object_set_new(inv, fnl_import_invalid_reasons[k], json_integer(r->invalid_by_reason[k]));
	json_t *o = json_pack("{sI sI sI so sI sI sI sI sI sI sI sb ss ss ss}", "rows", (json_int_t)r->rows, "created",
			 (json_int_t)r->created, "invalid", (json_int_t)r->invalid, "invalid_by_reason", inv,
			 "merged", (json_int_t)r->merged, "returning", (json_int_t)r->returning, "rejected",
			 (json_int_t)r->rejected, "skipped", (json_int_t)r->skipped, "scored", (json_int_t)r->scored,
			 "job", (json_int_t)r->job, "resumed_from", (json_int_t)r->resumed_from, "undone", r->undone,
			 "encoding", r->encoding, "mapping", r->mapping, "unknown_columns", r->unknown);
	if (o && r->resumed_from)
		json_object_set_new(o, "earlier",
				    json_pack("{sI sI sI sI sI}", "created", (json_int_t)r->earlier[0], "invalid",
					      (json_int_t)r->earlier[1], "merged", (json_int_t)r->earlier[2], "returning",
					      (json_int_t)r->earlier[3], "rejected", (json_int_t)r->earlier[4]));
	return o;
}

static void print_result(struct cli *cli, const char *path, const struct fnl_import_result *r, int dry,
			 const char *report)
{
	const char *lang = cli_lang(cli);
	printf("%s %s (%s): %lld row%s\n", r->undone ? (dry ? "dry run of" : "nothing imported from") : "imported",
	       path, r->encoding, (long long)r->rows, r->rows == 1 ? "" : "s");
	printf("  created    %lld\n", (long long)r->created);
	if (r->scored)
		printf("  scored     %lld (from the file's B/N/D/U columns)\n", (long long)r->scored);
	printf("  invalid    %lld", (long long)r->invalid);
	int first = 1;
	for (int k = 0; k < 6; k++)
		if (r->invalid_by_reason[k]) {
			printf("%s%s %lld", first ? " (" : ", ", fnl_invalid_reason_name(fnl_import_invalid_reasons[k], lang),
			       (long long)r->invalid_by_reason[k]);
			first = 0;
		}
	printf("%s\n", first ? "" : ")");
	printf("  merged     %lld (duplicates of open leads: re-inquiries on them)\n", (long long)r->merged);
	printf("  returning  %lld (new leads of earlier customers)\n", (long long)r->returning);
	printf("  rejected   %lld%s%s%s\n", (long long)r->rejected, r->rejected && report ? " (see " : "",
	       r->rejected && report ? report : "", r->rejected && report ? ")" : "");
	if (r->skipped)
		printf("  skipped    %lld (imported before from the same file%s)\n", (long long)r->skipped,
		       r->resumed_from ? ": this run went on after an interrupted one"
				       : "; --again imports it once more");
	if (r->resumed_from)
		printf("the whole file, with the interrupted run: created %lld, invalid %lld, merged %lld, returning %lld,"
		       " rejected %lld\n",
		       (long long)(r->earlier[0] + r->created), (long long)(r->earlier[1] + r->invalid),
		       (long long)(r->earlier[2] + r->merged), (long long)(r->earlier[3] + r->returning),
		       (long long)(r->earlier[4] + r->rejected));
	if (r->unknown[0])
		printf("columns not imported: %s\n", r->unknown);
}

int cli_report_open(const char *path, const char *header, FILE **out)
{
	if (!(*out = fopen(path, "w")))
		return cli_error(EXIT_ERR, "report: cannot write '%s': %s", path, strerror(errno));
	fprintf(*out, "\xEF\xBB\xBF%s\r\n", header);
	return EXIT_OK;
}

int cmd_import(struct cli *cli, const struct args *a)
{
	if (arg_set(a, "history"))
		return cmd_import_history(cli, a);
	const char *only = cli_history_option_without(a);
	if (only)
		return cli_error(EXIT_USAGE, "--%s goes with --history (another CRM's opportunities)", only);
	struct import_ui ui = {cli, NULL, 0, 0, 0, {0, 0}, 0};
	clock_gettime(CLOCK_MONOTONIC, &ui.start);
	ui.progress = !arg_set(a, "quiet") && !cli->json && isatty(2);
	const char *report = arg_val(a, "report");
	int st = report ? cli_report_open(report, "line,outcome,reason,company,contact,lead", &ui.report) : EXIT_OK;
	if (st != EXIT_OK)
		return st;
	struct fnl_import_opts o = {0};
	o.path = a->pos[0];
	o.format = arg_val(a, "format");
	o.encoding = arg_val(a, "encoding");
	o.sheet = arg_val(a, "sheet");
	o.channel = arg_val(a, "channel");
	o.source = arg_val(a, "source");
	o.maps = arg_all(a, &o.nmaps);
	o.dry_run = arg_set(a, "dry-run");
	o.strict = arg_set(a, "strict");
	o.again = arg_set(a, "again");
	o.on_row = on_row;
	o.on_progress = on_progress;
	o.arg = &ui;
	struct fnl_import_result r;
	int rc = fnl_import(cli->db, &cli->ctx, &o, &r);
	if (ui.shown)
		fputc('\n', stderr);
	if (ui.more_rows)
		fprintf(stderr, "... and %lld more rejected rows (--report FILE lists every row)\n", (long long)ui.more_rows);
	if (ui.report && fclose(ui.report) != 0 && !rc)
		return cli_error(EXIT_ERR, "report: cannot write '%s'", report);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		st = cli_print_json(result_json(&r));
	else
		print_result(cli, o.path, &r, o.dry_run, report);
	/* --strict refused the file: a script must not take that for an import */
	if (st == EXIT_OK && r.undone && !o.dry_run)
		return cli_error(EXIT_ERR, "strict: %lld rows were rejected, so nothing was imported", (long long)r.rejected);
	return st;
}
