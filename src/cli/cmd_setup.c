/* cli/cmd_setup.c - what an admin sets up: calendar, config, stages, channels, loss reasons. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "funnel/analytics.h"

/* Read a whole file (at most 16 MiB) into a new buffer. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		cli_error(EXIT_ERR, "file: cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (n == cap) {
			if (cap >= (16u << 20)) {
				cli_error(EXIT_ERR, "file: '%s' is larger than 16 MiB", path);
				free(buf);
				buf = NULL;
				break;
			}
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				cli_error(EXIT_ERR, "file: cannot read '%s'", path);
				free(buf);
				buf = NULL;
			}
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	*len = n;
	return buf;
}

int cmd_calendar_import(struct cli *cli, const struct args *a)
{
	size_t len, count;
	char *text = read_file(a->pos[0], &len);
	if (!text)
		return EXIT_ERR;
	int rc = fnl_calendar_import(cli->db, &cli->ctx, text, len, &count);
	free(text);
	if (rc) {
		/* name the file: "holidays.txt: line 3: ..." */
		return cli_error(EXIT_ERR, "%s: %s", a->pos[0], fnl_errmsg(cli->db));
	}
	if (cli->json)
		return cli_print_json(json_pack("{sI}", "imported", (json_int_t)count));
	printf("imported %zu calendar entries from %s\n", count, a->pos[0]);
	return EXIT_OK;
}

int cmd_calendar_show(struct cli *cli, const struct args *a)
{
	long year = 0;
	if (arg_set(a, "year") && arg_int(arg_val(a, "year"), "year", 1970, 9999, &year))
		return EXIT_ERR;
	struct fnl_calendar_entry *v;
	size_t n;
	int rc = fnl_calendar_list(cli->db, (int)year, &v, &n);
	if (rc)
		return cli_fail(cli, rc);
	char ww[256];
	fnl_config_get(cli->db, "calendar.workweek", ww, sizeof ww);
	if (cli->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, fnl_json_calendar_entry(&v[i]));
		free(v);
		return cli_print_json(json_pack("{ss ss so}", "timezone", fnl_tz_name(fnl_db_tz(cli->db)), "workweek", ww,
						"entries", arr));
	}
	printf("working week: %s; time zone: %s\n", ww, fnl_tz_name(fnl_db_tz(cli->db)));
	if (!n) {
		printf("no holidays or make-up working days%s (import them with 'funnel calendar import FILE')\n",
		       year ? " that year" : "");
		free(v);
		return EXIT_OK;
	}
	static const char *const wd[] = {"", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	static const char *const h[] = {"date", "day", "kind", "name"};
	struct table *t = table_new(4, h);
	for (size_t i = 0; i < n; i++) {
		char day[11];
		fnl_date_format(v[i].day, day);
		const char *row[] = {day, wd[fnl_weekday(v[i].day)], v[i].workday ? "workday (调休上班)" : "holiday (放假)",
				     v[i].name};
		table_row(t, row);
	}
	table_print(t, stdout);
	table_free(t);
	free(v);
	return EXIT_OK;
}

int cmd_config_get(struct cli *cli, const struct args *a)
{
	char v[1024];
	int rc = fnl_config_get(cli->db, a->pos[0], v, sizeof v);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(json_pack("{ss ss}", "key", a->pos[0], "value", v));
	printf("%s\n", v);
	return EXIT_OK;
}

int cmd_config_set(struct cli *cli, const struct args *a)
{
	int rc = fnl_config_set(cli->db, &cli->ctx, a->pos[0], a->pos[1]);
	if (rc)
		return cli_fail(cli, rc);
	char v[1024];
	fnl_config_get(cli->db, a->pos[0], v, sizeof v);
	if (cli->json)
		return cli_print_json(json_pack("{ss ss}", "key", a->pos[0], "value", v));
	printf("%s = %s\n", a->pos[0], v);
	return EXIT_OK;
}

int cmd_config_list(struct cli *cli, const struct args *a)
{
	(void)a;
	struct fnl_config_item *v;
	size_t n;
	int rc = fnl_config_list(cli->db, &v, &n);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json) {
		json_t *o = json_object();
		for (size_t i = 0; i < n; i++)
			json_object_set_new(o, v[i].key, json_string(v[i].value));
		free(v);
		return cli_print_json(json_pack("{so}", "config", o));
	}
	static const char *const h[] = {"key", "value", "meaning"};
	struct table *t = table_new(3, h);
	for (size_t i = 0; i < n; i++) {
		const char *row[] = {v[i].key, v[i].value, v[i].help};
		table_row(t, row);
	}
	table_print(t, stdout);
	table_free(t);
	free(v);
	return EXIT_OK;
}

int cmd_stage_list(struct cli *cli, const struct args *a)
{
	(void)a;
	struct fnl_stage *v;
	size_t n;
	int rc = fnl_stage_list(cli->db, &cli->ctx, &v, &n);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, fnl_json_stage(&v[i]));
		free(v);
		return cli_print_json(json_pack("{so}", "stages", arr));
	}
	int en = strcmp(cli_lang(cli), "en") == 0;
	static const char *const h[] = {"#", "key", "stage", "probability", "leads here", "reached", "of first"};
	struct table *t = table_new(7, h);
	for (size_t i = 0; i < n; i++) {
		char pos[8], prob[8], at[24], reached[24], share[16] = "";
		snprintf(pos, sizeof pos, "%d", v[i].pos);
		snprintf(prob, sizeof prob, "%d%%", v[i].probability);
		snprintf(at, sizeof at, "%lld", (long long)v[i].n_at);
		snprintf(reached, sizeof reached, "%lld", (long long)v[i].n_reached);
		if (v[0].n_reached)
			snprintf(share, sizeof share, "%.1f%%", 100.0 * (double)v[i].n_reached / (double)v[0].n_reached);
		const char *row[] = {pos, v[i].key, en ? v[i].name_en : v[i].name_zh, prob, at, reached, share};
		table_row(t, row);
	}
	table_print(t, stdout);
	table_free(t);
	free(v);
	return EXIT_OK;
}

int cmd_stage_edit(struct cli *cli, const struct args *a)
{
	long prob = -1;
	if (arg_set(a, "probability") && arg_int(arg_val(a, "probability"), "probability", 0, 100, &prob))
		return EXIT_ERR;
	int rc = fnl_stage_edit(cli->db, &cli->ctx, a->pos[0], arg_val(a, "name"), arg_val(a, "name-en"), (int)prob);
	if (rc)
		return cli_fail(cli, rc);
	return cmd_stage_list(cli, a);
}

int cmd_stage_add(struct cli *cli, const struct args *a)
{
	long prob;
	if (arg_int(arg_val(a, "probability"), "probability", 0, 100, &prob))
		return EXIT_ERR;
	int rc = fnl_stage_add(cli->db, &cli->ctx, a->pos[0], arg_val(a, "name"), arg_val(a, "name-en"), (int)prob,
			       arg_val(a, "after"));
	return rc ? cli_fail(cli, rc) : cmd_stage_list(cli, a);
}

int cmd_stage_remove(struct cli *cli, const struct args *a)
{
	int rc = fnl_stage_remove(cli->db, &cli->ctx, a->pos[0]);
	return rc ? cli_fail(cli, rc) : cmd_stage_list(cli, a);
}

int cmd_stage_move(struct cli *cli, const struct args *a)
{
	int rc = fnl_stage_move_to(cli->db, &cli->ctx, a->pos[0], arg_val(a, "after"));
	return rc ? cli_fail(cli, rc) : cmd_stage_list(cli, a);
}

int cmd_channel_list(struct cli *cli, const struct args *a)
{
	(void)a;
	struct fnl_channel *v;
	size_t n;
	int rc = fnl_channel_list(cli->db, &v, &n);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, fnl_json_channel(&v[i]));
		free(v);
		return cli_print_json(json_pack("{so}", "channels", arr));
	}
	const char *lang = cli_lang(cli);
	int en = strcmp(lang, "en") == 0;
	static const char *const h[] = {"key", "channel", "kind"};
	struct table *t = table_new(3, h);
	for (size_t i = 0; i < n; i++) {
		const char *row[] = {v[i].key, en ? v[i].name_en : v[i].name_zh, fnl_channel_kind_name(v[i].kind, lang)};
		table_row(t, row);
	}
	table_print(t, stdout);
	table_free(t);
	free(v);
	return EXIT_OK;
}

int cmd_channel_add(struct cli *cli, const struct args *a)
{
	int rc = fnl_channel_add(cli->db, &cli->ctx, a->pos[0], arg_val(a, "name"), arg_val(a, "name-en"),
				 arg_val(a, "kind"));
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(json_pack("{ss}", "added", a->pos[0]));
	printf("channel %s added\n", a->pos[0]);
	return EXIT_OK;
}

static json_t *spend_json(struct cli *cli, const struct fnl_channel_spend *x)
{
	return json_pack("{ss ss sI so ss}", "channel", x->channel, "month", x->month, "amount", (json_int_t)x->amount,
			 "updated_at", fnl_json_time(fnl_db_tz(cli->db), x->updated_at), "user", x->user);
}

/* funnel channel spend KEY [--month M --amount YUAN]: record a month's spend, or list them. */
int cmd_channel_spend(struct cli *cli, const struct args *a)
{
	const char *key = a->pos[0], *month = arg_val(a, "month"), *amount = arg_val(a, "amount");
	char buf[32], when[32];
	if (month || amount) {
		if (!month || !amount)
			return cli_error(EXIT_USAGE, "%s: --month and --amount go together", month ? "amount" : "month");
		int64_t fen;
		struct fnl_error err;
		if (fnl_money_parse(amount, "amount", &fen, &err))
			return cli_error(EXIT_ERR, "%s", err.message);
		struct fnl_channel_spend x;
		int rc = fnl_channel_spend_set(cli->db, &cli->ctx, key, month, fen, &x);
		if (rc)
			return cli_fail(cli, rc);
		if (cli->json)
			return cli_print_json(spend_json(cli, &x));
		printf("spend of channel %s in %s: %s\n", x.channel, x.month, yuan_text(x.amount, buf, sizeof buf));
		return EXIT_OK;
	}
	struct fnl_channel_spend *v;
	size_t n;
	int rc = fnl_channel_spend_list(cli->db, &cli->ctx, key, &v, &n);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, spend_json(cli, &v[i]));
		free(v);
		return cli_print_json(json_pack("{ss so}", "channel", key, "spend", arr));
	}
	static const char *const h[] = {"month", "amount", "updated", "by"};
	struct table *t = table_new(4, h);
	for (size_t i = 0; i < n; i++) {
		const char *row[] = {v[i].month, yuan_text(v[i].amount, buf, sizeof buf),
				     cli_when(cli, v[i].updated_at, when, sizeof when), v[i].user[0] ? v[i].user : "system"};
		table_row(t, row);
	}
	table_print(t, stdout);
	table_free(t);
	free(v);
	return EXIT_OK;
}

int cmd_reason_list(struct cli *cli, const struct args *a)
{
	(void)a;
	struct fnl_reason *v;
	size_t n;
	int rc = fnl_reason_list(cli->db, &v, &n);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, fnl_json_reason(&v[i]));
		free(v);
		return cli_print_json(json_pack("{so}", "reasons", arr));
	}
	int en = strcmp(cli_lang(cli), "en") == 0;
	static const char *const h[] = {"key", "reason"};
	struct table *t = table_new(2, h);
	for (size_t i = 0; i < n; i++) {
		const char *row[] = {v[i].key, en ? v[i].name_en : v[i].name_zh};
		table_row(t, row);
	}
	table_print(t, stdout);
	table_free(t);
	free(v);
	return EXIT_OK;
}

int cmd_reason_add(struct cli *cli, const struct args *a)
{
	int rc = fnl_reason_add(cli->db, &cli->ctx, a->pos[0], arg_val(a, "name"), arg_val(a, "name-en"));
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(json_pack("{ss}", "added", a->pos[0]));
	printf("loss reason %s added\n", a->pos[0]);
	return EXIT_OK;
}
