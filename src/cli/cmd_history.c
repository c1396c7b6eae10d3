/* cli/cmd_history.c - funnel import --history FILE: another CRM's opportunities with their history,
 * the summary with the quirks found, and the report file. */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "funnel/export.h"
#include "funnel/history.h"

/* The options that only mean something with --history. */
static const char *const history_only[] = {"stage-map", "lost-at",  "lost-reason",  "date-format",     "as-of",
					   "teams",     "accounts", "products",     "create-users",    "currency",
					   "currency-factor", "keep-spelling", NULL};

const char *cli_history_option_without(const struct args *a)
{
	for (const char *const *o = history_only; *o; o++)
		if (arg_set(a, *o))
			return *o;
	return NULL;
}

static void on_row(void *arg, const char *file, int64_t line, int outcome, const char *reason, const char *id,
		   const char *company, int64_t lead)
{
	FILE *out = arg;
	if (!out)
		return;
	fnl_csv_field(out, file, 1);
	if (line)
		fprintf(out, ",%lld,", (long long)line);
	else
		fputs(",,", out);
	fprintf(out, "%s,", fnl_history_outcome_name(outcome));
	fnl_csv_field(out, reason, 1);
	fputc(',', out);
	fnl_csv_field(out, id, 1);
	fputc(',', out);
	fnl_csv_field(out, company, 1);
	if (lead)
		fprintf(out, ",%lld\r\n", (long long)lead);
	else
		fputs(",\r\n", out);
}

static const char *money(int64_t fen, char *buf, size_t len)
{
	fnl_money_format(fen, buf, len);
	return buf;
}

static json_t *result_json(const struct fnl_history_result *r)
{
	json_t *open = json_object(), *lost = json_object(), *names = json_array(), *quirks = json_array();
	for (int k = 1; k <= r->nstages; k++) {
		if (r->open_at[k])
			json_object_set_new(open, r->stage[k], json_integer(r->open_at[k]));
		if (r->lost_at[k])
			json_object_set_new(lost, r->stage[k], json_integer(r->lost_at[k]));
	}
	for (int i = 0; i < r->nnames; i++)
		json_array_append_new(names, json_pack("{ss ss sI}", "name", r->names[i].name, "key", r->names[i].key, "rows",
						       (json_int_t)r->names[i].rows));
	for (int i = 0; i < r->nquirks; i++)
		json_array_append_new(quirks, json_pack("{ss sI ss}", "key", r->quirks[i].key, "count",
							(json_int_t)r->quirks[i].count, "message", r->quirks[i].message));
	json_t *j = json_pack("{sI sI sI sI sI sI sI so so sI sI}", "rows", (json_int_t)r->rows, "created",
			      (json_int_t)r->created, "won", (json_int_t)r->won, "lost", (json_int_t)r->lost, "open",
			      (json_int_t)r->open, "rejected", (json_int_t)r->rejected, "skipped", (json_int_t)r->skipped,
			      "open_by_stage", open, "lost_by_stage", lost, "won_amount", (json_int_t)r->won_amount,
			      "open_amount", (json_int_t)r->open_amount);
	json_object_set_new(j, "users_created", json_integer(r->users_created));
	json_object_set_new(j, "managers_created", json_integer(r->managers_created));
	json_object_set_new(j, "teams_created", json_integer(r->teams_created));
	json_object_set_new(j, "date_format", json_string(r->date_format));
	json_object_set_new(j, "date_detected", json_boolean(r->date_detected));
	json_object_set_new(j, "as_of", json_string(r->as_of));
	json_object_set_new(j, "engaged_stage", json_string(r->engaged_stage));
	json_object_set_new(j, "lost_at", json_string(r->lost_stage));
	json_object_set_new(j, "currency", json_string(r->currency));
	json_object_set_new(j, "file_currency", json_string(r->file_currency));
	json_object_set_new(j, "currency_factor", json_string(r->factor));
	json_object_set_new(j, "stages", names);
	json_object_set_new(j, "mapping", json_string(r->mapping));
	json_object_set_new(j, "unknown_columns", json_string(r->unknown));
	json_object_set_new(j, "quirks", quirks);
	json_object_set_new(j, "undone", json_boolean(r->undone));
	return j;
}

static void print_result(struct cli *cli, const char *path, const struct fnl_history_result *r, int dry,
			 const char *report)
{
	char a[32], b[32];
	printf("%s the history of %s: %lld opportunities\n",
	       r->undone ? (dry ? "dry run of" : "nothing imported from") : "imported", path, (long long)r->rows);
	printf("  created    %lld leads: %lld won, %lld lost, %lld open\n", (long long)r->created, (long long)r->won,
	       (long long)r->lost, (long long)r->open);
	for (int pass = 0; pass < 2; pass++) {
		const int64_t *n = pass ? r->lost_at : r->open_at;
		int first = 1;
		for (int k = 1; k <= r->nstages; k++)
			if (n[k]) {
				printf("%s%s %lld", first ? (pass ? "  lost at    " : "  open at    ") : ", ", r->stage[k],
				       (long long)n[k]);
				first = 0;
			}
		if (!first)
			putchar('\n');
	}
	printf("  amounts    deals %s, open pipeline %s (%s%s%s)\n", money(r->won_amount, a, sizeof a),
	       money(r->open_amount, b, sizeof b), r->currency, r->file_currency[0] ? "; the file in " : "",
	       r->file_currency);
	if (strcmp(r->factor, "1") != 0)
		printf("             the file's amounts x %s\n", r->factor);
	printf("  rejected   %lld%s%s%s\n", (long long)r->rejected, r->rejected && report ? " (see " : "",
	       r->rejected && report ? report : "", r->rejected && report ? ")" : "");
	printf("  skipped    %lld (imported before)\n", (long long)r->skipped);
	printf("  users      %lld created (%lld of them managers), teams %lld created\n", (long long)r->users_created,
	       (long long)r->managers_created, (long long)r->teams_created);
	printf("stages:");
	for (int i = 0; i < r->nnames; i++)
		printf("%s %s=%s (%lld)", i ? "," : "", r->names[i].name, r->names[i].key, (long long)r->names[i].rows);
	printf("; at their created date won ones reached %s and lost ones %s, where they were lost\n", r->engaged_stage,
	       r->lost_stage);
	printf("dates: %s (%s), a date without a time taken at 12:00 %s; as of %s\n", r->date_format,
	       r->date_detected ? "detected" : "given", fnl_tz_name(fnl_db_tz(cli->db)), r->as_of);
	if (r->unknown[0])
		printf("columns not imported: %s\n", r->unknown);
	if (r->nquirks) {
		printf("quirks:\n");
		for (int i = 0; i < r->nquirks; i++)
			printf("  %-28s %s\n", r->quirks[i].key, r->quirks[i].message);
	}
}

int cmd_import_history(struct cli *cli, const struct args *a)
{
	if (arg_set(a, "again"))
		return cli_error(EXIT_USAGE, "--again is for lead lists; a history import skips what it imported before");
	const char *report = arg_val(a, "report");
	FILE *out = NULL;
	int st = report ? cli_report_open(report, "file,line,outcome,reason,opportunity,company,lead", &out) : EXIT_OK;
	if (st != EXIT_OK)
		return st;
	struct fnl_history_opts o = {0};
	o.path = a->pos[0];
	o.format = arg_val(a, "format");
	o.encoding = arg_val(a, "encoding");
	o.sheet = arg_val(a, "sheet");
	o.maps = arg_all(a, &o.nmaps);
	o.stage_map = arg_val(a, "stage-map");
	o.lost_at = arg_val(a, "lost-at");
	o.lost_reason = arg_val(a, "lost-reason");
	o.date_format = arg_val(a, "date-format");
	o.as_of = arg_val(a, "as-of");
	o.teams = arg_val(a, "teams");
	o.accounts = arg_val(a, "accounts");
	o.products = arg_val(a, "products");
	o.create_users = arg_set(a, "create-users");
	o.channel = arg_val(a, "channel");
	o.source = arg_val(a, "source");
	o.currency = arg_val(a, "currency");
	o.currency_factor = arg_val(a, "currency-factor");
	o.keep_spelling = arg_set(a, "keep-spelling");
	o.dry_run = arg_set(a, "dry-run");
	o.strict = arg_set(a, "strict");
	o.on_row = on_row;
	o.arg = out;
	struct fnl_history_result *r = malloc(sizeof *r);
	if (!r) {
		if (out)
			fclose(out);
		return cli_error(EXIT_ERR, "out of memory");
	}
	int rc = fnl_import_history(cli->db, &cli->ctx, &o, r);
	if (out && fclose(out) != 0 && !rc) {
		free(r);
		return cli_error(EXIT_ERR, "report: cannot write '%s'", report);
	}
	if (rc) {
		free(r);
		return cli_fail(cli, rc);
	}
	if (cli->json)
		st = cli_print_json(result_json(r));
	else
		print_result(cli, o.path, r, o.dry_run, report);
	/* --strict refused the file: a script must not take that for an import */
	int64_t rejected = r->undone && !o.dry_run ? r->rejected : 0;
	free(r);
	if (st == EXIT_OK && rejected)
		return cli_error(EXIT_ERR, "strict: %lld %s rejected, so nothing was imported", (long long)rejected,
				 rejected == 1 ? "row was" : "rows were");
	return st;
}
