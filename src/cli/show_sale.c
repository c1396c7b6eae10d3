/*
 * cli/show_sale.c - the sale of a lead (funnel/sale.h) for people: discovery, the needs list, the
 * solution, quotes, obstacles, the deal, after-sales and links, one section each; shared by
 * `lead show` and the sale commands (`needs list`, `quote list`, ...). And the same for --json.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

const char *yuan_text(int64_t fen, char *buf, size_t len)
{
	fnl_money_format(fen, buf, len);
	return buf;
}

const char *money_unit(struct cli *cli, char *buf, size_t len)
{
	if (fnl_config_get(cli->db, "currency", buf, len) || !buf[0] || strcmp(buf, "CNY") == 0)
		snprintf(buf, len, "元");
	return buf;
}

const char *pct_text(int bp, char *buf, size_t len)
{
	char n[24];
	fnl_percent_format(bp, n, sizeof n);
	snprintf(buf, len, "%s%%", n);
	return buf;
}

static void line(const char *ind, const char *label, const char *value)
{
	if (value && *value)
		printf("%s%-14s %s\n", ind, label, value);
}

/* Indent of the tables under a heading. */
static void sub(char *buf, size_t len, const char *ind)
{
	snprintf(buf, len, "%s  ", ind);
}

void show_prep(struct cli *cli, const struct fnl_prep *p, const char *ind)
{
	const char *lang = cli_lang(cli);
	char buf[128], when[32];
	line(ind, "background", p->background);
	line(ind, "news", p->news);
	if (p->contact_role[0]) {
		snprintf(buf, sizeof buf, "%s (%s)", fnl_contact_role_name(p->contact_role, lang), p->contact_role);
		line(ind, "contact's role", buf);
	}
	line(ind, "decision by", p->decision_date);
	line(ind, "updated", cli_when(cli, p->updated_at, when, sizeof when));
}

void show_spins(struct cli *cli, const struct fnl_spin *v, size_t n, const char *ind)
{
	const char *lang = cli_lang(cli);
	static const char *const h[] = {"id", "kind", "question", "answer", "when", "by"};
	struct table *t = table_new(6, h);
	for (size_t i = 0; i < n; i++) {
		char id[24], kind[64], when[32];
		snprintf(id, sizeof id, "#%lld", (long long)v[i].id);
		snprintf(kind, sizeof kind, "%s %s", v[i].kind, fnl_spin_kind_name(v[i].kind, lang));
		const char *row[] = {id, kind, v[i].question, v[i].answer, cli_when(cli, v[i].at, when, sizeof when),
				     v[i].user};
		table_row(t, row);
	}
	table_print_indented(t, stdout, ind);
	table_free(t);
}

void show_contacts(struct cli *cli, const struct fnl_contact *v, size_t n, const char *ind)
{
	const char *lang = cli_lang(cli);
	static const char *const h[] = {"id", "name", "title", "role", "phone", "email", "notes"};
	struct table *t = table_new(7, h);
	for (size_t i = 0; i < n; i++) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)v[i].id);
		const char *row[] = {id, v[i].name, v[i].title, fnl_contact_role_name(v[i].role, lang), v[i].phone,
				     v[i].email, v[i].notes};
		table_row(t, row);
	}
	table_print_indented(t, stdout, ind);
	table_free(t);
}

static const char *priority_word(int p)
{
	return p == 1 ? "1 high" : p == 2 ? "2 medium" : "3 low";
}

/* "confirmed 2026-11-28 10:00 by 刘强 (phone), recorded by li" */
static void confirmation(struct cli *cli, const struct fnl_needs *nd, char *buf, size_t len)
{
	char when[32];
	snprintf(buf, len, "confirmed %s by %s (%s), recorded by %s", cli_when(cli, nd->confirmed_at, when, sizeof when),
		 nd->confirmed_name, fnl_confirm_how_name(nd->confirmed_how, cli_lang(cli)), nd->recorded_by);
}

void show_needs(struct cli *cli, const struct fnl_needs *nd, const struct fnl_needs *confirmed, const char *ind)
{
	char buf[FNL_NAME_LEN + 256], ind2[16];
	if (!nd->version) {
		printf("%sNeeds list: none yet (funnel needs add)\n", ind);
		return;
	}
	if (nd->confirmed_at) {
		confirmation(cli, nd, buf, sizeof buf);
		printf("%sNeeds list v%d: %s\n", ind, nd->version, buf);
	} else {
		printf("%sNeeds list v%d: draft, not confirmed by the customer (funnel needs confirm)\n", ind, nd->version);
		if (confirmed && confirmed->version) {
			confirmation(cli, confirmed, buf, sizeof buf);
			printf("%s  (v%d %s)\n", ind, confirmed->version, buf);
		}
	}
	if (!nd->n) {
		printf("%s  (no needs in this version)\n", ind);
		return;
	}
	static const char *const h[] = {"need", "priority", "text", "SPIN"};
	struct table *t = table_new(4, h);
	for (size_t i = 0; i < nd->n; i++) {
		const struct fnl_need *it = &nd->items[i];
		char num[16], spins[FNL_NEED_SPINS * 24] = "";
		snprintf(num, sizeof num, "N%d", it->num);
		for (int k = 0; k < it->n_spin; k++) {
			size_t used = strlen(spins);
			snprintf(spins + used, sizeof spins - used, "%s#%lld", k ? ", " : "", (long long)it->spin[k]);
		}
		const char *row[] = {num, priority_word(it->priority), it->text, spins};
		table_row(t, row);
	}
	sub(ind2, sizeof ind2, ind);
	table_print_indented(t, stdout, ind2);
	table_free(t);
}

void show_solution(struct cli *cli, const struct fnl_solution_item *v, size_t n, const char *ind)
{
	(void)cli;
	static const char *const h[] = {"id", "need", "function", "value", "figure", "case"};
	struct table *t = table_new(6, h);
	for (size_t i = 0; i < n; i++) {
		char id[24], need[FNL_NOTE_LEN + 16], figure[128] = "";
		snprintf(id, sizeof id, "%lld", (long long)v[i].id);
		snprintf(need, sizeof need, "N%d %s", v[i].need_num, v[i].need);
		if (v[i].figure[0])
			snprintf(figure, sizeof figure, "%s %s", v[i].figure, v[i].unit);
		const char *row[] = {id, need, v[i].function, v[i].value, figure, v[i].case_ref};
		table_row(t, row);
	}
	table_print_indented(t, stdout, ind);
	table_free(t);
}

void show_presentations(struct cli *cli, const struct fnl_presentation *v, size_t n, const char *ind)
{
	(void)cli;
	static const char *const h[] = {"date", "attendees", "feedback", "by"};
	struct table *t = table_new(4, h);
	for (size_t i = 0; i < n; i++) {
		const char *row[] = {v[i].day, v[i].attendees, v[i].feedback, v[i].user};
		table_row(t, row);
	}
	table_print_indented(t, stdout, ind);
	table_free(t);
}

void show_quotes(struct cli *cli, const struct fnl_quote *v, size_t n, const char *ind, const struct fnl_lead *l)
{
	const char *lang = cli_lang(cli);
	static const char *const h[] = {"id", "round", "amount", "discount", "terms", "delivery", "status", "decided"};
	struct table *t = table_new(8, h);
	for (size_t i = 0; i < n; i++) {
		char id[24], round[16], amount[32], disc[24], days[24] = "", status[128], decided[FNL_TEXT_LEN + 96] = "",
			when[32];
		snprintf(id, sizeof id, "%lld", (long long)v[i].id);
		snprintf(round, sizeof round, "%d", v[i].round);
		if (v[i].delivery_days)
			snprintf(days, sizeof days, "%d days", v[i].delivery_days);
		/* a pending quote stands out: it cannot be given to the customer yet */
		if (strcmp(v[i].status, "pending") == 0)
			snprintf(status, sizeof status, "PENDING (%s)", fnl_quote_status_name(v[i].status, lang));
		else
			snprintf(status, sizeof status, "%s", fnl_quote_status_name(v[i].status, lang));
		if (v[i].decided_at)
			snprintf(decided, sizeof decided, "%s %s%s%s", v[i].decided_by,
				 cli_when(cli, v[i].decided_at, when, sizeof when), v[i].decision_note[0] ? ": " : "",
				 v[i].decision_note);
		const char *row[] = {id, round, yuan_text(v[i].amount, amount, sizeof amount),
				     pct_text(v[i].discount, disc, sizeof disc), v[i].terms, days, status, decided};
		table_row(t, row);
	}
	table_print_indented(t, stdout, ind);
	table_free(t);
	int open = strcmp(l->status, "open") == 0, lost = strcmp(l->status, "lost") == 0;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].status, "pending") != 0)
			continue;
		if (open)
			printf("%squote %lld waits for a manager's approval: funnel quote approve|reject %lld\n", ind,
			       (long long)v[i].id, (long long)v[i].id);
		else
			printf("%squote %lld waits for a manager's approval; the lead is %s%s\n", ind, (long long)v[i].id,
			       fnl_status_name(l->status, cli_lang(cli)), lost ? ": reopen it first (funnel lead reopen)" : "");
	}
}

void show_obstacles(struct cli *cli, const struct fnl_obstacle *v, size_t n, const char *ind)
{
	const char *lang = cli_lang(cli);
	static const char *const h[] = {"id", "type", "obstacle", "since", "state"};
	struct table *t = table_new(5, h);
	for (size_t i = 0; i < n; i++) {
		char id[24], since[32], when[32], state[FNL_NOTE_LEN + 64];
		snprintf(id, sizeof id, "%lld", (long long)v[i].id);
		if (v[i].resolved_at)
			snprintf(state, sizeof state, "resolved %s%s%s", cli_when(cli, v[i].resolved_at, when, sizeof when),
				 v[i].resolution[0] ? ": " : "", v[i].resolution);
		else
			snprintf(state, sizeof state, "OPEN");
		const char *row[] = {id, fnl_obstacle_type_name(v[i].type, lang), v[i].text,
				     cli_when(cli, v[i].created_at, since, sizeof since), state};
		table_row(t, row);
	}
	table_print_indented(t, stdout, ind);
	table_free(t);
}

void show_deal(struct cli *cli, const struct fnl_deal *d, const char *ind)
{
	char buf[64], when[32], by[FNL_KEY_LEN + 48], unit[16];
	line(ind, "contract", d->contract_no);
	snprintf(buf, sizeof buf, "%s %s", yuan_text(d->amount, when, sizeof when), money_unit(cli, unit, sizeof unit));
	line(ind, "amount", buf);
	line(ind, "signed", d->signed_on);
	line(ind, "delivery from", d->delivery_start);
	snprintf(by, sizeof by, "%s, %s", d->user, cli_when(cli, d->created_at, when, sizeof when));
	line(ind, "recorded by", by);
}

void show_handovers(struct cli *cli, const struct fnl_handover *v, size_t n, const char *ind)
{
	static const char *const h[] = {"when", "from", "to", "by", "note"};
	struct table *t = table_new(5, h);
	for (size_t i = 0; i < n; i++) {
		char when[32];
		const char *row[] = {cli_when(cli, v[i].at, when, sizeof when), v[i].from[0] ? v[i].from : "(none)",
				     v[i].to, v[i].user, v[i].note};
		table_row(t, row);
	}
	table_print_indented(t, stdout, ind);
	table_free(t);
}

void show_ratings(struct cli *cli, const struct fnl_rating *v, size_t n, const char *ind)
{
	static const char *const h[] = {"when", "score", "by", "note"};
	struct table *t = table_new(4, h);
	for (size_t i = 0; i < n; i++) {
		char when[32], score[16];
		snprintf(score, sizeof score, "%d/5", v[i].score);
		const char *row[] = {cli_when(cli, v[i].at, when, sizeof when), score, v[i].user, v[i].note};
		table_row(t, row);
	}
	table_print_indented(t, stdout, ind);
	table_free(t);
}

void show_links(struct cli *cli, const struct fnl_link *v, size_t n, const char *ind)
{
	const char *lang = cli_lang(cli);
	static const char *const h[] = {"link", "lead", "company", "contact", "stage", "status"};
	struct table *t = table_new(6, h);
	for (size_t i = 0; i < n; i++) {
		char id[24];
		snprintf(id, sizeof id, "%lld", (long long)v[i].id);
		const char *row[] = {fnl_link_kind_name(v[i].kind, lang), id, v[i].company, v[i].contact,
				     fnl_catalog_stage(cli->cat, v[i].stage, lang), fnl_status_name(v[i].status, lang)};
		table_row(t, row);
	}
	table_print_indented(t, stdout, ind);
	table_free(t);
}

/* ---- all of it, for lead show ---- */

int sale_load(struct cli *cli, int64_t id, struct sale *s)
{
	fnl_db *db = cli->db;
	const struct fnl_ctx *ctx = &cli->ctx;
	memset(s, 0, sizeof *s);
	int rc = fnl_prep_get(db, ctx, id, &s->prep);
	if (!rc)
		rc = fnl_spin_list(db, ctx, id, &s->spins, &s->n_spins);
	if (!rc)
		rc = fnl_contact_list(db, ctx, id, &s->contacts, &s->n_contacts);
	if (!rc)
		rc = fnl_needs_get(db, ctx, id, 0, &s->needs);
	if (!rc && s->needs.version && !s->needs.confirmed_at) {
		rc = fnl_needs_confirmed(db, ctx, id, &s->confirmed);
		if (rc == FNL_ENOTFOUND)
			rc = 0;
	}
	if (!rc)
		rc = fnl_solution_list(db, ctx, id, &s->solution, &s->n_solution);
	if (!rc)
		rc = fnl_presentation_list(db, ctx, id, &s->presentations, &s->n_presentations);
	if (!rc)
		rc = fnl_quote_list(db, ctx, id, &s->quotes, &s->n_quotes);
	if (!rc)
		rc = fnl_obstacle_list(db, ctx, id, &s->obstacles, &s->n_obstacles);
	if (!rc) {
		rc = fnl_deal_get(db, ctx, id, &s->deal);
		s->has_deal = rc == 0;
		if (rc == FNL_ENOTFOUND)
			rc = 0;
	}
	if (!rc)
		rc = fnl_handover_list(db, ctx, id, &s->handovers, &s->n_handovers);
	if (!rc)
		rc = fnl_satisfaction_list(db, ctx, id, &s->ratings, &s->n_ratings);
	if (!rc)
		rc = fnl_lead_links(db, ctx, id, &s->links, &s->n_links);
	if (rc)
		sale_free(s);
	return rc;
}

void sale_free(struct sale *s)
{
	free(s->spins);
	free(s->contacts);
	fnl_needs_free(&s->needs);
	fnl_needs_free(&s->confirmed);
	free(s->solution);
	free(s->presentations);
	free(s->quotes);
	free(s->obstacles);
	free(s->handovers);
	free(s->ratings);
	free(s->links);
	memset(s, 0, sizeof *s);
}

void sale_json(struct cli *cli, const struct sale *s, json_t *j)
{
	fnl_db *db = cli->db;
	json_t *arr;
	json_object_set_new(j, "prep", fnl_json_prep(db, &s->prep));
	json_object_set_new(j, "spin", arr = json_array());
	for (size_t i = 0; i < s->n_spins; i++)
		json_array_append_new(arr, fnl_json_spin(db, &s->spins[i]));
	json_object_set_new(j, "contacts", arr = json_array());
	for (size_t i = 0; i < s->n_contacts; i++)
		json_array_append_new(arr, fnl_json_contact(db, &s->contacts[i]));
	json_object_set_new(j, "needs", fnl_json_needs(db, &s->needs));
	json_object_set_new(j, "solution", arr = json_array());
	for (size_t i = 0; i < s->n_solution; i++)
		json_array_append_new(arr, fnl_json_solution_item(db, &s->solution[i]));
	json_object_set_new(j, "presentations", arr = json_array());
	for (size_t i = 0; i < s->n_presentations; i++)
		json_array_append_new(arr, fnl_json_presentation(db, &s->presentations[i]));
	json_object_set_new(j, "quotes", arr = json_array());
	for (size_t i = 0; i < s->n_quotes; i++)
		json_array_append_new(arr, fnl_json_quote(db, &s->quotes[i]));
	json_object_set_new(j, "obstacles", arr = json_array());
	for (size_t i = 0; i < s->n_obstacles; i++)
		json_array_append_new(arr, fnl_json_obstacle(db, &s->obstacles[i]));
	json_object_set_new(j, "deal", s->has_deal ? fnl_json_deal(db, &s->deal) : json_null());
	json_object_set_new(j, "handovers", arr = json_array());
	for (size_t i = 0; i < s->n_handovers; i++)
		json_array_append_new(arr, fnl_json_handover(db, &s->handovers[i]));
	json_object_set_new(j, "satisfaction", arr = json_array());
	for (size_t i = 0; i < s->n_ratings; i++)
		json_array_append_new(arr, fnl_json_rating(db, &s->ratings[i]));
	json_object_set_new(j, "links", arr = json_array());
	for (size_t i = 0; i < s->n_links; i++)
		json_array_append_new(arr, fnl_json_link(cli->cat, &s->links[i]));
}

void sale_text(struct cli *cli, const struct sale *s, const struct fnl_lead *l)
{
	size_t open = 0;
	if (s->prep.updated_at) {
		printf("\nDiscovery:\n");
		show_prep(cli, &s->prep, "  ");
	}
	if (s->n_spins) {
		printf("\nSPIN:\n");
		show_spins(cli, s->spins, s->n_spins, "  ");
	}
	if (s->n_contacts) {
		printf("\nDecision chain:\n");
		show_contacts(cli, s->contacts, s->n_contacts, "  ");
	}
	if (s->needs.version) {
		printf("\n");
		show_needs(cli, &s->needs, &s->confirmed, "");
	}
	if (s->n_solution) {
		printf("\nSolution:\n");
		show_solution(cli, s->solution, s->n_solution, "  ");
	}
	if (s->n_presentations) {
		printf("\nPresentations:\n");
		show_presentations(cli, s->presentations, s->n_presentations, "  ");
	}
	if (s->n_quotes) {
		printf("\nQuotes:\n");
		show_quotes(cli, s->quotes, s->n_quotes, "  ", l);
	}
	for (size_t i = 0; i < s->n_obstacles; i++)
		open += s->obstacles[i].resolved_at == 0;
	if (s->n_obstacles) {
		printf("\nObstacles (%zu open, %zu resolved):\n", open, s->n_obstacles - open);
		show_obstacles(cli, s->obstacles, s->n_obstacles, "  ");
	}
	if (s->has_deal) {
		printf("\nDeal:\n");
		show_deal(cli, &s->deal, "  ");
	}
	if (s->n_handovers) {
		printf("\nHand-overs:\n");
		show_handovers(cli, s->handovers, s->n_handovers, "  ");
	}
	if (s->n_ratings) {
		printf("\nSatisfaction:\n");
		show_ratings(cli, s->ratings, s->n_ratings, "  ");
	}
	if (s->n_links) {
		printf("\nLinks:\n");
		show_links(cli, s->links, s->n_links, "  ");
	}
}
