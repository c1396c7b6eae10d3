/* cli/cmd_lead.c - funnel lead add|edit|show|list|score|move|lose|reopen|assign|repurchase|referral|document. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void input_from_args(const struct args *a, struct fnl_lead_input *in)
{
	memset(in, 0, sizeof *in);
	in->company = arg_val(a, "company");
	in->contact = arg_val(a, "contact");
	in->title = arg_val(a, "title");
	in->phone = arg_val(a, "phone");
	in->email = arg_val(a, "email");
	in->wechat = arg_val(a, "wechat");
	in->industry = arg_val(a, "industry");
	in->size = arg_val(a, "size");
	in->region = arg_val(a, "region");
	in->channel = arg_val(a, "channel");
	in->source = arg_val(a, "source");
	in->consent = arg_val(a, "consent");
	in->notes = arg_val(a, "notes");
}

static const char *stage_name(struct cli *cli, const char *key)
{
	return fnl_catalog_stage(cli->cat, key, cli_lang(cli));
}

static void score_text(const struct fnl_lead *l, char *buf, size_t len)
{
	if (!l->grade[0]) {
		snprintf(buf, len, "%s", "");
		return;
	}
	long long t = (long long)l->score_total;
	if (t % 100)
		snprintf(buf, len, "%s (B%d N%d D%d U%d = %lld.%02lld)", l->grade, l->budget, l->need, l->decision,
			 l->urgency, t / 100, t % 100);
	else
		snprintf(buf, len, "%s (B%d N%d D%d U%d = %lld)", l->grade, l->budget, l->need, l->decision, l->urgency,
			 t / 100);
}

/* One line "label  value" when value is not empty. */
static void kv(const char *label, const char *value)
{
	if (value && *value)
		printf("  %-10s %s\n", label, value);
}

/* The answer to a write: the lead as JSON, or one line for people. */
static int answer(struct cli *cli, const struct fnl_lead *l, const char *what)
{
	if (cli->json)
		return cli_print_json(fnl_json_lead(cli->db, cli->cat, l, cli->ctx.now));
	char grade[64];
	score_text(l, grade, sizeof grade);
	printf("lead %lld %s: %s, %s%s%s\n", (long long)l->id, what, stage_name(cli, l->stage),
	       fnl_status_name(l->status, cli_lang(cli)), grade[0] ? ", grade " : "", grade);
	return EXIT_OK;
}

/* The answer to a capture (lead add, repurchase, referral): what happened to it. */
static int added(struct cli *cli, int result, const struct fnl_lead *l, int64_t record)
{
	const char *lang = cli_lang(cli);
	if (cli->json) {
		json_t *j;
		if (result == FNL_ADD_MERGED && !l->company[0]) {
			/* a lead the actor may not see comes as its id and status only (every lead has a company) */
			j = json_pack("{sI ss s{ss ss}}", "id", (json_int_t)l->id, "status", l->status, "status_name", "zh",
				      fnl_status_name(l->status, "zh"), "en", fnl_status_name(l->status, "en"));
		} else {
			j = fnl_json_lead(cli->db, cli->cat, l, cli->ctx.now);
		}
		json_object_set_new(j, "result", json_string(fnl_add_result_name(result)));
		if (result == FNL_ADD_MERGED)
			json_object_set_new(j, "merged_record", json_integer(record));
		return cli_print_json(j);
	}
	switch (result) {
	case FNL_ADD_INVALID:
		printf("lead %lld stored as invalid: %s (%s)\n", (long long)l->id,
		       fnl_invalid_reason_name(l->invalid_reason, lang), l->invalid_reason);
		break;
	case FNL_ADD_MERGED:
		printf("duplicate of lead %lld (%s%s%s): recorded as a re-inquiry on it (record %lld)\n",
		       (long long)l->id, l->company, l->company[0] ? ", " : "", fnl_status_name(l->status, lang),
		       (long long)record);
		break;
	case FNL_ADD_RETURNING:
		printf("lead %lld created for a returning customer (earlier lead %lld), owner %s\n", (long long)l->id,
		       (long long)l->returning_of, l->owner[0] ? l->owner : "none");
		break;
	default:
		printf("lead %lld created: %s, %s, owner %s\n", (long long)l->id, stage_name(cli, l->stage),
		       fnl_status_name(l->status, lang), l->owner[0] ? l->owner : "none");
	}
	return EXIT_OK;
}

int cmd_lead_add(struct cli *cli, const struct args *a)
{
	struct fnl_lead_input in;
	input_from_args(a, &in);
	in.owner = arg_val(a, "owner");
	const char *cap = arg_val(a, "captured-at");
	if (cap) {
		if (cli_time(cli, cap, "captured-at", &in.captured_at))
			return EXIT_ERR;
		in.has_captured_at = 1;
	}
	struct fnl_lead l;
	int result;
	int64_t record;
	int rc = fnl_lead_add(cli->db, &cli->ctx, &in, &result, &l, &record);
	return rc ? cli_fail(cli, rc) : added(cli, result, &l, record);
}

int cmd_lead_edit(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_lead_input in;
	input_from_args(a, &in);
	const char *amount = arg_val(a, "amount");
	if (amount) {
		if (!*amount) {
			in.has_amount = -1;
		} else {
			struct fnl_error err;
			if (fnl_money_parse(amount, "amount", &in.amount, &err))
				return cli_error(EXIT_ERR, "%s", err.message);
			in.has_amount = 1;
		}
	}
	in.close_month = arg_val(a, "close");
	struct fnl_lead l;
	int rc = fnl_lead_edit(cli->db, &cli->ctx, id, &in, &l);
	return rc ? cli_fail(cli, rc) : answer(cli, &l, "updated");
}

static void show_tasks(struct cli *cli, const struct fnl_task *t, size_t n)
{
	if (!n)
		return;
	const char *lang = cli_lang(cli);
	printf("\nTasks:\n");
	static const char *const h[] = {"  task", "due", "state", "owner"};
	struct table *tb = table_new(4, h);
	for (size_t i = 0; i < n; i++) {
		char due[32], when[32], state[64], kind[96];
		cli_when(cli, t[i].due_at, due, sizeof due);
		if (t[i].done_at)
			snprintf(state, sizeof state, "%s %s", t[i].done_at <= t[i].due_at ? "done" : "done late",
				 cli_when(cli, t[i].done_at, when, sizeof when));
		else if (t[i].cancelled_at)
			snprintf(state, sizeof state, "cancelled %s", cli_when(cli, t[i].cancelled_at, when, sizeof when));
		else
			cli_left(cli, t[i].due_at, state, sizeof state);
		snprintf(kind, sizeof kind, "  %s%s%s", fnl_task_kind_name(t[i].kind, lang), t[i].grade[0] ? " " : "",
			 t[i].grade);
		const char *row[] = {kind, due, state, t[i].owner};
		table_row(tb, row);
	}
	table_print(tb, stdout);
	table_free(tb);
}

static void show_events(struct cli *cli, const struct fnl_stage_event *e, size_t n)
{
	if (!n)
		return;
	const char *lang = cli_lang(cli);
	printf("\nStage history:\n");
	static const char *const h[] = {"  when", "event", "stage", "by", "note"};
	struct table *tb = table_new(5, h);
	for (size_t i = 0; i < n; i++) {
		char when[40], stage[320], note[FNL_NOTE_LEN + 128];
		snprintf(when, sizeof when, "  ");
		cli_when(cli, e[i].at, when + 2, sizeof when - 2);
		if (e[i].from[0] && strcmp(e[i].from, e[i].to))
			snprintf(stage, sizeof stage, "%s → %s", stage_name(cli, e[i].from), stage_name(cli, e[i].to));
		else
			snprintf(stage, sizeof stage, "%s", stage_name(cli, e[i].to));
		if (e[i].reason[0])
			snprintf(note, sizeof note, "%s%s%s", fnl_catalog_reason(cli->cat, e[i].reason, lang),
				 e[i].note[0] ? ": " : "", e[i].note);
		else
			snprintf(note, sizeof note, "%s", e[i].note);
		const char *row[] = {when, e[i].kind, stage, e[i].user, note};
		table_row(tb, row);
	}
	table_print(tb, stdout);
	table_free(tb);
}

static void show_activities(struct cli *cli, const struct fnl_activity *v, size_t n)
{
	if (!n)
		return;
	const char *lang = cli_lang(cli);
	printf("\nActivities:\n");
	static const char *const h[] = {"  when", "kind", "by", "summary", "next"};
	struct table *tb = table_new(5, h);
	for (size_t i = 0; i < n; i++) {
		char when[40], next[32], summary[FNL_NOTE_LEN + FNL_TEXT_LEN + 200];
		snprintf(when, sizeof when, "  ");
		cli_when(cli, v[i].at, when + 2, sizeof when - 2);
		cli_when(cli, v[i].next_at, next, sizeof next);
		if (v[i].channel[0])
			snprintf(summary, sizeof summary, "[%s%s%s] %s", fnl_catalog_channel(cli->cat, v[i].channel, lang),
				 v[i].source[0] ? " · " : "", v[i].source, v[i].summary);
		else
			snprintf(summary, sizeof summary, "%s%s%s", v[i].summary, v[i].outcome[0] ? " → " : "",
				 v[i].outcome);
		const char *row[] = {when, fnl_activity_kind_name(v[i].kind, lang), v[i].user, summary, next};
		table_row(tb, row);
	}
	table_print(tb, stdout);
	table_free(tb);
}

static void show_scores(struct cli *cli, const struct fnl_score_entry *s, size_t n)
{
	if (n < 2)
		return;
	printf("\nScoring history:\n");
	static const char *const h[] = {"  when", "by", "B", "N", "D", "U", "total", "grade"};
	struct table *tb = table_new(8, h);
	for (size_t i = 0; i < n; i++) {
		char when[40], b[8], nn[8], d[8], u[8], total[32];
		snprintf(when, sizeof when, "  ");
		cli_when(cli, s[i].at, when + 2, sizeof when - 2);
		snprintf(b, sizeof b, "%d", s[i].budget);
		snprintf(nn, sizeof nn, "%d", s[i].need);
		snprintf(d, sizeof d, "%d", s[i].decision);
		snprintf(u, sizeof u, "%d", s[i].urgency);
		if (s[i].total % 100)
			snprintf(total, sizeof total, "%lld.%02lld", (long long)(s[i].total / 100), (long long)(s[i].total % 100));
		else
			snprintf(total, sizeof total, "%lld", (long long)(s[i].total / 100));
		const char *row[] = {when, s[i].user, b, nn, d, u, total, s[i].grade};
		table_row(tb, row);
	}
	table_print(tb, stdout);
	table_free(tb);
}

static void show_lead_text(struct cli *cli, const struct fnl_lead *l)
{
	const char *lang = cli_lang(cli);
	char buf[512], t1[32], t2[64];
	/* an opportunity brought over from another CRM may have no contact */
	printf("Lead %lld  %s%s%s%s%s%s\n", (long long)l->id, l->company, l->contact[0] ? " · " : "", l->contact,
	       l->title[0] ? " (" : "", l->title, l->title[0] ? ")" : "");
	snprintf(buf, sizeof buf, "%s%s", fnl_status_name(l->status, lang),
		 strcmp(l->status, "open") == 0 && !l->first_contact_at ? ", 待跟进 to follow up" : "");
	kv("status", buf);
	if (strcmp(l->stage, l->reached))
		snprintf(buf, sizeof buf, "%s (furthest: %s)", stage_name(cli, l->stage), stage_name(cli, l->reached));
	else
		snprintf(buf, sizeof buf, "%s", stage_name(cli, l->stage));
	kv("stage", buf);
	score_text(l, buf, sizeof buf);
	kv("grade", buf);
	kv("owner", l->owner);
	snprintf(buf, sizeof buf, "%s%s%s", fnl_catalog_channel(cli->cat, l->channel, lang), l->source[0] ? " · " : "",
		 l->source);
	kv("channel", buf);
	kv("phone", l->phone);
	kv("email", l->email);
	kv("wechat", l->wechat);
	kv("industry", l->industry);
	kv("size", l->size);
	kv("region", l->region);
	kv("captured", cli_when(cli, l->captured_at, t1, sizeof t1));
	if (l->sla_due_at) {
		const char *st = fnl_sla_state(l, cli->ctx.now);
		if (l->sla_met_at)
			snprintf(buf, sizeof buf, "%s, %s %s", cli_when(cli, l->sla_due_at, t1, sizeof t1),
				 strcmp(st, "met") == 0 ? "met" : "met late", cli_when(cli, l->sla_met_at, t2, sizeof t2));
		else
			snprintf(buf, sizeof buf, "%s, %s", cli_when(cli, l->sla_due_at, t1, sizeof t1),
				 cli_left(cli, l->sla_due_at, t2, sizeof t2));
		kv("deadline", buf);
	}
	if (l->next_action[0]) {
		snprintf(buf, sizeof buf, "%s, due %s (%s)", fnl_task_kind_name(l->next_action, lang),
			 cli_when(cli, l->next_due_at, t1, sizeof t1), cli_left(cli, l->next_due_at, t2, sizeof t2));
		kv("next", buf);
	}
	if (l->has_amount || l->close_month[0]) {
		char money[32] = "", unit[16] = "";
		if (l->has_amount) {
			fnl_money_format(l->amount, money, sizeof money);
			money_unit(cli, unit, sizeof unit);
		}
		snprintf(buf, sizeof buf, "%s%s%s%s%s", money, unit[0] ? " " : "", unit, l->close_month[0] ? ", close " : "",
			 l->close_month);
		kv("expected", buf);
	}
	if (l->lost_reason[0]) {
		snprintf(buf, sizeof buf, "%s at %s, %s", fnl_catalog_reason(cli->cat, l->lost_reason, lang),
			 stage_name(cli, l->lost_stage), cli_when(cli, l->lost_at, t1, sizeof t1));
		kv("lost", buf);
	}
	if (l->won_at)
		kv("won", cli_when(cli, l->won_at, t1, sizeof t1));
	if (l->invalid_reason[0]) {
		snprintf(buf, sizeof buf, "%s (%s)", fnl_invalid_reason_name(l->invalid_reason, lang), l->invalid_reason);
		kv("invalid", buf);
	}
	if (l->merged_into) {
		snprintf(buf, sizeof buf, "lead %lld", (long long)l->merged_into);
		kv("merged", buf);
	}
	if (l->returning_of) {
		snprintf(buf, sizeof buf, "returning customer, earlier lead %lld", (long long)l->returning_of);
		kv("history", buf);
	}
	if (l->referred_by) {
		snprintf(buf, sizeof buf, "by the customer of lead %lld", (long long)l->referred_by);
		kv("referred", buf);
	}
	kv("aftersales", l->aftersales);
	kv("consent", l->consent);
	kv("notes", l->notes);
}

int cmd_lead_show(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_lead l;
	struct fnl_task *tasks = NULL;
	struct fnl_stage_event *events = NULL;
	struct fnl_activity *acts = NULL;
	struct fnl_score_entry *scores = NULL;
	struct fnl_owner_event *owners = NULL;
	struct sale sale;
	int have_sale = 0;
	size_t nt = 0, ne = 0, na = 0, ns = 0, no = 0;
	int rc = fnl_lead_get(cli->db, &cli->ctx, id, &l);
	if (!rc)
		rc = fnl_lead_tasks(cli->db, &cli->ctx, id, &tasks, &nt);
	if (!rc)
		rc = fnl_lead_events(cli->db, &cli->ctx, id, &events, &ne);
	if (!rc)
		rc = fnl_activity_list(cli->db, &cli->ctx, id, &acts, &na);
	if (!rc)
		rc = fnl_lead_scores(cli->db, &cli->ctx, id, &scores, &ns);
	if (!rc)
		rc = fnl_lead_owner_events(cli->db, &cli->ctx, id, &owners, &no);
	if (!rc)
		have_sale = (rc = sale_load(cli, id, &sale)) == 0;
	if (rc) {
		rc = cli_fail(cli, rc);
	} else if (cli->json) {
		json_t *j = fnl_json_lead(cli->db, cli->cat, &l, cli->ctx.now), *arr;
		json_object_set_new(j, "tasks", arr = json_array());
		for (size_t i = 0; i < nt; i++)
			json_array_append_new(arr, fnl_json_task(cli->db, &tasks[i], cli->ctx.now));
		json_object_set_new(j, "stage_events", arr = json_array());
		for (size_t i = 0; i < ne; i++)
			json_array_append_new(arr, fnl_json_stage_event(cli->db, cli->cat, &events[i]));
		json_object_set_new(j, "scores", arr = json_array());
		for (size_t i = 0; i < ns; i++)
			json_array_append_new(arr, fnl_json_score_entry(cli->db, &scores[i]));
		json_object_set_new(j, "activities", arr = json_array());
		for (size_t i = 0; i < na; i++)
			json_array_append_new(arr, fnl_json_activity(cli->db, cli->cat, &acts[i]));
		json_object_set_new(j, "reassignments", arr = json_array());
		for (size_t i = 0; i < no; i++)
			json_array_append_new(arr, fnl_json_owner_event(cli->db, &owners[i]));
		sale_json(cli, &sale, j);
		rc = cli_print_json(j);
	} else {
		show_lead_text(cli, &l);
		show_tasks(cli, tasks, nt);
		sale_text(cli, &sale, &l);
		show_events(cli, events, ne);
		show_scores(cli, scores, ns);
		show_activities(cli, acts, na);
		for (size_t i = 0; i < no; i++) {
			char when[32];
			printf("%s  reassigned %s → %s by %s%s%s\n", cli_when(cli, owners[i].at, when, sizeof when),
			       owners[i].from[0] ? owners[i].from : "(none)", owners[i].to, owners[i].user,
			       owners[i].note[0] ? ": " : "", owners[i].note);
		}
	}
	free(tasks);
	free(events);
	free(acts);
	free(scores);
	free(owners);
	if (have_sale)
		sale_free(&sale);
	return rc;
}

void cli_lead_filter(const struct args *a, struct fnl_lead_filter *f)
{
	memset(f, 0, sizeof *f);
	f->stage = arg_val(a, "stage");
	f->status = arg_val(a, "status");
	f->owner = arg_val(a, "owner");
	f->grade = arg_val(a, "grade");
	f->channel = arg_val(a, "channel");
}

int cmd_lead_list(struct cli *cli, const struct args *a)
{
	struct fnl_lead_filter f;
	cli_lead_filter(a, &f);
	long limit = 50;
	if (arg_set(a, "limit") && arg_int(arg_val(a, "limit"), "limit", 0, 100000000, &limit))
		return EXIT_ERR;
	f.limit = limit;
	struct fnl_lead *v;
	size_t n;
	int rc = fnl_lead_list(cli->db, &cli->ctx, &f, &v, &n);
	if (rc)
		return cli_fail(cli, rc);
	const char *lang = cli_lang(cli);
	if (cli->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, fnl_json_lead(cli->db, cli->cat, &v[i], cli->ctx.now));
		free(v);
		return cli_print_json(json_pack("{so}", "leads", arr));
	}
	static const char *const h[] = {"id", "company", "contact", "stage", "status", "grade", "owner", "captured",
					"next due"};
	struct table *tb = table_new(9, h);
	for (size_t i = 0; i < n; i++) {
		char id[24], cap[32], due[64] = "";
		snprintf(id, sizeof id, "%lld", (long long)v[i].id);
		cli_when(cli, v[i].captured_at, cap, sizeof cap);
		if (v[i].next_due_at)
			cli_when(cli, v[i].next_due_at, due, sizeof due);
		const char *row[] = {id, v[i].company, v[i].contact, stage_name(cli, v[i].stage),
				     fnl_status_name(v[i].status, lang), v[i].grade, v[i].owner, cap, due};
		table_row(tb, row);
	}
	table_print(tb, stdout);
	table_free(tb);
	if (limit && n == (size_t)limit)
		printf("(first %ld; --limit 0 for all)\n", limit);
	free(v);
	return EXIT_OK;
}

int cmd_lead_score(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	static const char *const names[4] = {"budget", "need", "decision", "urgency"};
	long s[4];
	for (int i = 0; i < 4; i++) {
		if (arg_int(arg_val(a, names[i]), names[i], 1, 5, &s[i]))
			return EXIT_ERR;
	}
	struct fnl_lead l;
	int rc = fnl_lead_score(cli->db, &cli->ctx, id, (int)s[0], (int)s[1], (int)s[2], (int)s[3], &l);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return answer(cli, &l, "scored");
	char grade[64], due[32], left[48];
	score_text(&l, grade, sizeof grade);
	printf("lead %lld scored: grade %s, %s\n", (long long)l.id, grade, fnl_status_name(l.status, cli_lang(cli)));
	if (l.next_action[0])
		printf("next: %s by %s (%s)\n", fnl_task_kind_name(l.next_action, cli_lang(cli)),
		       cli_when(cli, l.next_due_at, due, sizeof due), cli_left(cli, l.next_due_at, left, sizeof left));
	return EXIT_OK;
}

int cmd_lead_move(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_lead l;
	int rc = arg_set(a, "force") ? fnl_lead_force(cli->db, &cli->ctx, id, arg_val(a, "to"), arg_val(a, "note"), &l)
				     : fnl_lead_move(cli->db, &cli->ctx, id, arg_val(a, "to"), arg_val(a, "note"), &l);
	return rc ? cli_fail(cli, rc) : answer(cli, &l, "moved");
}

int cmd_lead_lose(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_lead l;
	int rc = fnl_lead_lose(cli->db, &cli->ctx, id, arg_val(a, "reason"), arg_val(a, "note"), &l);
	return rc ? cli_fail(cli, rc) : answer(cli, &l, "lost");
}

int cmd_lead_reopen(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_lead l;
	int rc = fnl_lead_reopen(cli->db, &cli->ctx, id, arg_val(a, "note"), &l);
	return rc ? cli_fail(cli, rc) : answer(cli, &l, "reopened");
}

int cmd_lead_assign(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_lead l;
	int rc = fnl_lead_assign(cli->db, &cli->ctx, id, arg_val(a, "owner"), arg_val(a, "note"), &l);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return answer(cli, &l, "assigned");
	printf("lead %lld now belongs to %s\n", (long long)l.id, l.owner);
	return EXIT_OK;
}

/* After the capture line: how the new lead is linked to the customer it came from. */
static int linked(struct cli *cli, int result, const struct fnl_lead *l, int64_t record, const char *how,
		  int64_t from)
{
	int rc = added(cli, result, l, record);
	if (!rc && !cli->json && (result == FNL_ADD_CREATED || result == FNL_ADD_RETURNING))
		printf("%s lead %lld\n", how, (long long)from);
	return rc;
}

int cmd_lead_repurchase(struct cli *cli, const struct args *a)
{
	int64_t id, record;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_lead_input in;
	memset(&in, 0, sizeof in);
	in.owner = arg_val(a, "owner");
	in.source = arg_val(a, "source");
	in.notes = arg_val(a, "notes");
	struct fnl_lead l;
	int result;
	int rc = fnl_lead_repurchase(cli->db, &cli->ctx, id, &in, &result, &l, &record);
	return rc ? cli_fail(cli, rc) : linked(cli, result, &l, record, "a repurchase of", id);
}

int cmd_lead_referral(struct cli *cli, const struct args *a)
{
	int64_t id, record;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_lead_input in;
	input_from_args(a, &in);
	in.owner = arg_val(a, "owner");
	struct fnl_lead l;
	int result;
	int rc = fnl_lead_referral(cli->db, &cli->ctx, id, &in, &result, &l, &record);
	return rc ? cli_fail(cli, rc) : linked(cli, result, &l, record, "referred by the customer of", id);
}

/* Write the document to a new file: an existing file is never overwritten. */
static int write_new_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wx");
	if (!f) {
		if (errno == EEXIST)
			return cli_error(EXIT_ERR, "out: '%s' already exists; not overwritten (choose another name)", path);
		return cli_error(EXIT_ERR, "out: cannot create '%s': %s", path, strerror(errno));
	}
	int bad = fwrite(text, 1, len, f) != len;
	bad |= fclose(f) != 0;
	if (bad) {
		remove(path);
		return cli_error(EXIT_ERR, "out: cannot write '%s'", path);
	}
	return 0;
}

int cmd_lead_document(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	const char *out = arg_val(a, "out"), *lang = cli_lang(cli);
	if (out && !*out)
		return cli_error(EXIT_USAGE, "out: empty file name (see 'funnel lead document --help')");
	char *html;
	size_t len;
	int rc = fnl_lead_document(cli->db, &cli->ctx, id, lang, &html, &len);
	if (rc)
		return cli_fail(cli, rc);
	if (out && (rc = write_new_file(out, html, len))) {
		free(html);
		return rc;
	}
	if (cli->json) {
		json_t *j = json_pack("{sI ss}", "lead_id", (json_int_t)id, "lang", lang);
		if (out) {
			json_object_set_new(j, "out", json_string(out));
			json_object_set_new(j, "bytes", json_integer((json_int_t)len));
		} else {
			json_object_set_new(j, "html", json_stringn(html, len));
		}
		rc = cli_print_json(j);
	} else if (out) {
		printf("document of lead %lld written to %s (%zu bytes, %s)\n", (long long)id, out, len, lang);
	} else {
		fwrite(html, 1, len, stdout);
	}
	free(html);
	return rc;
}
