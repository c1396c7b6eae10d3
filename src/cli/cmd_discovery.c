/*
 * cli/cmd_discovery.c - needs discovery and the customer needs list (SPEC §5):
 * funnel discovery note|spin|spins|contact|contacts|show, funnel needs add|edit|remove|list|confirm|history.
 */
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* ---- discovery ---- */

int cmd_discovery_note(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	const char *bg = arg_val(a, "background"), *news = arg_val(a, "news"), *role = arg_val(a, "role"),
		   *day = arg_val(a, "decision-date");
	if (!bg && !news && !role && !day)
		return cli_error(EXIT_USAGE, "nothing to record: give --background, --news, --role or --decision-date"
					     " (see 'funnel discovery note --help')");
	struct fnl_prep p;
	int rc = fnl_prep_set(cli->db, &cli->ctx, id, bg, news, role, day, &p);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(fnl_json_prep(cli->db, &p));
	printf("discovery notes of lead %lld saved\n", (long long)id);
	show_prep(cli, &p, "  ");
	return EXIT_OK;
}

int cmd_discovery_spin(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_spin s;
	int rc = fnl_spin_add(cli->db, &cli->ctx, id, arg_val(a, "kind"), arg_val(a, "question"), arg_val(a, "answer"),
			      &s);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(fnl_json_spin(cli->db, &s));
	printf("SPIN entry #%lld (%s %s) recorded on lead %lld\n", (long long)s.id, s.kind,
	       fnl_spin_kind_name(s.kind, cli_lang(cli)), (long long)id);
	return EXIT_OK;
}

int cmd_discovery_spins(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_spin *v;
	size_t n;
	int rc = fnl_spin_list(cli->db, &cli->ctx, id, &v, &n);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, fnl_json_spin(cli->db, &v[i]));
		free(v);
		return cli_print_json(json_pack("{so}", "spin", arr));
	}
	if (n)
		show_spins(cli, v, n, "");
	else
		printf("no SPIN entries on lead %lld (funnel discovery spin)\n", (long long)id);
	free(v);
	return EXIT_OK;
}

int cmd_discovery_contact(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_contact c;
	int rc = fnl_contact_add(cli->db, &cli->ctx, id, arg_val(a, "name"), arg_val(a, "title"), arg_val(a, "role"),
				 arg_val(a, "phone"), arg_val(a, "email"), arg_val(a, "notes"), &c);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json)
		return cli_print_json(fnl_json_contact(cli->db, &c));
	printf("contact %lld added to the decision chain of lead %lld: %s, %s\n", (long long)c.id, (long long)id, c.name,
	       fnl_contact_role_name(c.role, cli_lang(cli)));
	return EXIT_OK;
}

int cmd_discovery_contacts(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_contact *v;
	size_t n;
	int rc = fnl_contact_list(cli->db, &cli->ctx, id, &v, &n);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, fnl_json_contact(cli->db, &v[i]));
		free(v);
		return cli_print_json(json_pack("{so}", "contacts", arr));
	}
	if (n)
		show_contacts(cli, v, n, "");
	else
		printf("no decision chain on lead %lld yet (funnel discovery contact)\n", (long long)id);
	free(v);
	return EXIT_OK;
}

int cmd_discovery_show(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_prep p;
	struct fnl_spin *spins = NULL;
	struct fnl_contact *contacts = NULL;
	size_t ns = 0, nc = 0;
	int rc = fnl_prep_get(cli->db, &cli->ctx, id, &p);
	if (!rc)
		rc = fnl_spin_list(cli->db, &cli->ctx, id, &spins, &ns);
	if (!rc)
		rc = fnl_contact_list(cli->db, &cli->ctx, id, &contacts, &nc);
	if (rc) {
		rc = cli_fail(cli, rc);
	} else if (cli->json) {
		json_t *j = json_pack("{sI so}", "lead_id", (json_int_t)id, "prep", fnl_json_prep(cli->db, &p)), *arr;
		json_object_set_new(j, "spin", arr = json_array());
		for (size_t i = 0; i < ns; i++)
			json_array_append_new(arr, fnl_json_spin(cli->db, &spins[i]));
		json_object_set_new(j, "contacts", arr = json_array());
		for (size_t i = 0; i < nc; i++)
			json_array_append_new(arr, fnl_json_contact(cli->db, &contacts[i]));
		rc = cli_print_json(j);
	} else {
		printf("Discovery of lead %lld\n", (long long)id);
		if (p.updated_at)
			show_prep(cli, &p, "  ");
		else
			printf("  no preparation notes yet (funnel discovery note)\n");
		printf("\nSPIN:\n");
		if (ns)
			show_spins(cli, spins, ns, "  ");
		else
			printf("  none yet (funnel discovery spin)\n");
		printf("\nDecision chain:\n");
		if (nc)
			show_contacts(cli, contacts, nc, "  ");
		else
			printf("  none yet (funnel discovery contact)\n");
	}
	free(spins);
	free(contacts);
	return rc;
}

/* ---- the needs list ---- */

/* A need number, "3" or "N3"; a usage error naming what otherwise. */
static int need_num(const char *s, const char *what, int *out)
{
	const char *p = s && (*s == 'N' || *s == 'n') ? s + 1 : s;
	char *end;
	if (!p || *p < '0' || *p > '9')
		return cli_error(EXIT_USAGE, "%s: '%s' is not a need number like 3 or N3", what, s ? s : "");
	long v = strtol(p, &end, 10);
	if (*end || v <= 0 || v > 1000000)
		return cli_error(EXIT_USAGE, "%s: '%s' is not a need number like 3 or N3", what, s);
	*out = (int)v;
	return 0;
}

#define MAX_SPINS 64

/* "3,5" (or "#3, #5") into ids; "" is none. Exit 1 naming spin when malformed. */
static int spin_ids(const char *s, int64_t *ids, size_t *n)
{
	*n = 0;
	const char *p = s;
	while (*p == ' ')
		p++;
	if (!*p)
		return 0;
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '#')
			p++;
		char *end;
		if (*p < '0' || *p > '9')
			return cli_error(EXIT_ERR, "spin: '%s' is not a list of SPIN entry ids like 3,5", s);
		long long v = strtoll(p, &end, 10);
		if (v <= 0 || *n >= MAX_SPINS)
			return cli_error(EXIT_ERR, "spin: '%s' is not a list of at most %d SPIN entry ids", s, MAX_SPINS);
		ids[(*n)++] = v;
		p = end;
		while (*p == ' ')
			p++;
		if (!*p)
			return 0;
		if (*p != ',')
			return cli_error(EXIT_ERR, "spin: '%s' is not a list of SPIN entry ids like 3,5", s);
		p++;
	}
}

/* The answer to a change of the list: the draft as JSON, or a line and the list. */
static int answer_needs(struct cli *cli, struct fnl_needs *nd, const char *what)
{
	int rc;
	if (cli->json) {
		rc = cli_print_json(fnl_json_needs(cli->db, nd));
	} else {
		printf("%s\n", what);
		show_needs(cli, nd, NULL, "");
		rc = EXIT_OK;
	}
	fnl_needs_free(nd);
	return rc;
}

int cmd_needs_add(struct cli *cli, const struct args *a)
{
	int64_t id, spins[MAX_SPINS];
	size_t n_spin = 0;
	long prio;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	if (arg_int(arg_val(a, "priority"), "priority", 1, 3, &prio))
		return EXIT_ERR;
	if (arg_set(a, "spin") && spin_ids(arg_val(a, "spin"), spins, &n_spin))
		return EXIT_ERR;
	struct fnl_needs nd;
	int rc = fnl_needs_add(cli->db, &cli->ctx, id, arg_val(a, "text"), (int)prio, spins, n_spin, &nd);
	if (rc)
		return cli_fail(cli, rc);
	/* numbers only grow: the new need is the highest */
	int num = 0;
	for (size_t i = 0; i < nd.n; i++)
		if (nd.items[i].num > num)
			num = nd.items[i].num;
	char what[128];
	snprintf(what, sizeof what, "need N%d added to the needs list of lead %lld", num, (long long)id);
	return answer_needs(cli, &nd, what);
}

int cmd_needs_edit(struct cli *cli, const struct args *a)
{
	int64_t id, spins[MAX_SPINS];
	size_t n_spin = 0;
	int num;
	long prio = 0;
	if (arg_id(a->pos[0], "id", &id) || need_num(a->pos[1], "num", &num))
		return EXIT_USAGE;
	const char *text = arg_val(a, "text"), *spin = arg_val(a, "spin");
	if (!text && !spin && !arg_set(a, "priority"))
		return cli_error(EXIT_USAGE, "nothing to change: give --text, --priority or --spin"
					     " (see 'funnel needs edit --help')");
	if (arg_set(a, "priority") && arg_int(arg_val(a, "priority"), "priority", 1, 3, &prio))
		return EXIT_ERR;
	if (spin && spin_ids(spin, spins, &n_spin))
		return EXIT_ERR;
	struct fnl_needs nd;
	int rc = fnl_needs_edit(cli->db, &cli->ctx, id, num, text, (int)prio, spin ? spins : NULL, n_spin, &nd);
	if (rc)
		return cli_fail(cli, rc);
	char what[128];
	snprintf(what, sizeof what, "need N%d of lead %lld changed", num, (long long)id);
	return answer_needs(cli, &nd, what);
}

int cmd_needs_remove(struct cli *cli, const struct args *a)
{
	int64_t id;
	int num;
	if (arg_id(a->pos[0], "id", &id) || need_num(a->pos[1], "num", &num))
		return EXIT_USAGE;
	struct fnl_needs nd;
	int rc = fnl_needs_remove(cli->db, &cli->ctx, id, num, &nd);
	if (rc)
		return cli_fail(cli, rc);
	char what[128];
	snprintf(what, sizeof what, "need N%d removed from the needs list of lead %lld", num, (long long)id);
	return answer_needs(cli, &nd, what);
}

int cmd_needs_list(struct cli *cli, const struct args *a)
{
	int64_t id;
	long version = 0;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	if (arg_set(a, "version") && arg_int(arg_val(a, "version"), "version", 1, 1000000, &version))
		return EXIT_ERR;
	struct fnl_needs nd, confirmed = {0};
	int rc = fnl_needs_get(cli->db, &cli->ctx, id, (int)version, &nd);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json) {
		rc = cli_print_json(fnl_json_needs(cli->db, &nd));
		fnl_needs_free(&nd);
		return rc;
	}
	/* under the newest version when it is a draft: the version the customer confirmed last */
	if (!version && nd.version && !nd.confirmed_at && fnl_needs_confirmed(cli->db, &cli->ctx, id, &confirmed))
		memset(&confirmed, 0, sizeof confirmed);
	show_needs(cli, &nd, &confirmed, "");
	fnl_needs_free(&nd);
	fnl_needs_free(&confirmed);
	return EXIT_OK;
}

int cmd_needs_confirm(struct cli *cli, const struct args *a)
{
	int64_t id, contact = 0, at = 0;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	if (arg_set(a, "contact") && arg_id(arg_val(a, "contact"), "contact", &contact))
		return EXIT_USAGE;
	if (arg_set(a, "at") && cli_time(cli, arg_val(a, "at"), "at", &at))
		return EXIT_ERR;
	struct fnl_needs nd;
	int rc = fnl_needs_confirm(cli->db, &cli->ctx, id, contact, arg_val(a, "how"), at, &nd);
	if (rc)
		return cli_fail(cli, rc);
	char what[FNL_NAME_LEN + 128];
	snprintf(what, sizeof what, "version %d of the needs list of lead %lld confirmed by %s (%s)", nd.version,
		 (long long)id, nd.confirmed_name, fnl_confirm_how_name(nd.confirmed_how, cli_lang(cli)));
	return answer_needs(cli, &nd, what);
}

int cmd_needs_history(struct cli *cli, const struct args *a)
{
	int64_t id;
	if (arg_id(a->pos[0], "id", &id))
		return EXIT_USAGE;
	struct fnl_needs *v;
	size_t n;
	int rc = fnl_needs_history(cli->db, &cli->ctx, id, &v, &n);
	if (rc)
		return cli_fail(cli, rc);
	if (cli->json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, fnl_json_needs(cli->db, &v[i]));
		rc = cli_print_json(json_pack("{sI so}", "lead_id", (json_int_t)id, "versions", arr));
	} else if (!n) {
		printf("lead %lld has no needs list yet (funnel needs add)\n", (long long)id);
	} else {
		for (size_t i = 0; i < n; i++) {
			char when[32];
			if (i)
				printf("\n");
			show_needs(cli, &v[i], NULL, "");
			printf("  (v%d started %s by %s)\n", v[i].version, cli_when(cli, v[i].created_at, when, sizeof when),
			       v[i].created_by);
		}
	}
	for (size_t i = 0; i < n; i++)
		fnl_needs_free(&v[i]);
	free(v);
	return rc;
}
