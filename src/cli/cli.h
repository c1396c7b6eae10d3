/*
 * cli/cli.h - the command line: global options, the command table, option parsing and output.
 *
 * Each command is a row of the table in main.c: noun, verb, synopsis, help and its options. The
 * dispatcher parses the options against that list (unknown options and missing values are usage
 * errors, exit 2) and calls the handler, which calls the library and prints the result: a table or
 * text for people, or JSON with --json. Handlers return an exit code: 0, 1 (error, one line on
 * stderr) or 2 (usage).
 */
#ifndef FUNNEL_CLI_CLI_H
#define FUNNEL_CLI_CLI_H

#include <stdio.h>

#include "funnel/funnel.h"
#include "funnel/io.h"

#define CLI_MAX_OPTS 32
#define CLI_MAX_POS 4

enum { EXIT_OK = 0, EXIT_ERR = 1, EXIT_USAGE = 2 };

struct opt {
	const char *name;  /* long option name without "--" */
	const char *arg;   /* name of its value for help ("LOGIN"), NULL for a flag */
	const char *help;
	int required;      /* 1: the command cannot run without it (a usage error) */
	int multi;         /* 1: may be given several times (arg_all gives every value) */
};

struct cli;
struct args;

struct command {
	const char *noun, *verb; /* verb NULL for one-word commands */
	const char *synopsis;    /* arguments after "funnel noun verb" */
	const char *help;        /* what it does, a few lines */
	const struct opt *opts;  /* terminated by a zero row; NULL for none */
	int min_pos, max_pos;    /* positional arguments */
	int needs_db;            /* 1: open the database first; 0: the handler does what it needs */
	int (*run)(struct cli *cli, const struct args *a);
};

struct args {
	const struct command *cmd;
	const char *pos[CLI_MAX_POS];
	int npos;
	const char *val[CLI_MAX_OPTS];
	int set[CLI_MAX_OPTS];
	/* the values of the one multi option a command may have, in order */
	const char *many[64];
	size_t nmany;
};

struct cli {
	const char *db_path;
	const char *as;       /* login from --as or $FUNNEL_USER; NULL: admin */
	const char *lang;     /* from --lang; NULL: the installation's */
	int json;
	int has_now;
	int64_t now;
	const char *now_text;
	fnl_db *db;
	fnl_catalog *cat;
	struct fnl_ctx ctx;
};

/* ---- args.c ---- */

/* Value of option name (NULL when not given). */
const char *arg_val(const struct args *a, const char *name);
/* 1 if option name was given. */
int arg_set(const struct args *a, const char *name);
/* Every value of the command's multi option (in order); *n of them. */
const char *const *arg_all(const struct args *a, size_t *n);

/* Parse a positive integer id (positional or option) or print a usage error; 0 on success. */
int arg_id(const char *s, const char *what, int64_t *out);
/* Parse an integer within [min, max]; error naming what. */
int arg_int(const char *s, const char *what, long min, long max, long *out);

/* ---- main.c ---- */

/* The language of output for people. */
const char *cli_lang(struct cli *cli);
/* Print the library's error for rc (one line) and return EXIT_ERR. */
int cli_fail(struct cli *cli, int rc);
/* Print "funnel: <message>" to stderr and return code. */
int cli_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print JSON to stdout (takes the reference) and return EXIT_OK. */
int cli_print_json(json_t *j);
/* Open the database and the acting user, for handlers with needs_db 0 that want them later. */
int cli_open(struct cli *cli);
/* Parse an ISO 8601 time in the installation's zone, or print an error naming what. */
int cli_time(struct cli *cli, const char *s, const char *what, int64_t *out);
/* Format a time for people: "2026-11-29 10:00" in the installation's zone ("" for 0). */
const char *cli_when(struct cli *cli, int64_t t, char *buf, size_t len);
/* "in 2d 3h" / "overdue 5h" from now to t. */
const char *cli_left(struct cli *cli, int64_t t, char *buf, size_t len);

/* ---- cmd_report.c: what every report command shares ---- */
struct fnl_snapshot;
struct fnl_query;
struct fnl_report;
/* Build the query of a report from --from/--to, the filters and --by (names looked up in s). */
int cli_report_query(struct cli *cli, const struct args *a, const struct fnl_snapshot *s, struct fnl_query *q);
/* Print a report: JSON with --json, CSV with --csv, else a table in the installation's language;
 * --format table|csv|xlsx|json and --out FILE (a new file; xlsx needs one) where the command has them. */
int cli_report_print(struct cli *cli, const struct args *a, struct fnl_report *r);
/* A whole report command: the snapshot, the query from the arguments, fn, and the printing. */
struct fnl_report_opts;
int cli_report_run(struct cli *cli, const struct args *a,
		   int (*fn)(fnl_db *, const struct fnl_snapshot *, const struct fnl_report_opts *, struct fnl_report *));

/* ---- cmd_export.c: output files (--out) ---- */

/* A file written in full or not at all, and never over an existing one: the output goes to a
 * hidden temporary file beside path, which takes the name at the end. */
struct cli_out {
	const char *path;
	char tmp[4096];
	int fd;
	FILE *f;
};
/* Refuse an existing path (exit 1) or an empty one (exit 2), else create the temporary file
 * (o->tmp): readable by its owner only when private_file (contact data), else as the umask says.
 * Returns an exit code (0: go on). */
int cli_out_open(struct cli_out *o, const char *path, int private_file);
/* The temporary file as a stream (NULL on failure). */
FILE *cli_out_file(struct cli_out *o);
/* Close the temporary file and give it the name; an exit code (the temporary file is removed on
 * failure). */
int cli_out_commit(struct cli_out *o);
/* Remove the temporary file. */
void cli_out_abort(struct cli_out *o);
/* Remove the temporary file after the library failed to write it, with msg (its message, which
 * names the temporary file's writer, not path): "out: cannot write 'PATH': REASON", exit 1. */
int cli_out_fail(struct cli_out *o, const char *msg);

/* ---- table.c ---- */

struct table;
struct table *table_new(int ncols, const char *const *headers);
/* Add a row of ncols strings (copied). */
void table_row(struct table *t, const char *const *cells);
void table_print(struct table *t, FILE *out);
/* The same with indent before every line (a section of a longer page). */
void table_print_indented(struct table *t, FILE *out, const char *indent);
void table_free(struct table *t);

/* ---- show_sale.c: the sale of a lead for people and for --json ---- */

/* Everything of the sale of one lead (funnel/sale.h), as lead show presents it. */
struct sale {
	struct fnl_prep prep;
	struct fnl_spin *spins;
	size_t n_spins;
	struct fnl_contact *contacts;
	size_t n_contacts;
	struct fnl_needs needs;     /* the newest version (version 0: no list) */
	struct fnl_needs confirmed; /* the newest confirmed version (version 0: none) */
	struct fnl_solution_item *solution;
	size_t n_solution;
	struct fnl_presentation *presentations;
	size_t n_presentations;
	struct fnl_quote *quotes;
	size_t n_quotes;
	struct fnl_obstacle *obstacles;
	size_t n_obstacles;
	int has_deal;
	struct fnl_deal deal;
	struct fnl_handover *handovers;
	size_t n_handovers;
	struct fnl_rating *ratings;
	size_t n_ratings;
	struct fnl_link *links;
	size_t n_links;
};

/* Load the sale of lead id (a library error code, the detail on cli->db); free with sale_free. */
int sale_load(struct cli *cli, int64_t id, struct sale *s);
void sale_free(struct sale *s);
/* Add the keys prep, spin, contacts, needs, solution, presentations, quotes, obstacles, deal,
 * handovers, satisfaction, links to the JSON object of the lead. */
void sale_json(struct cli *cli, const struct sale *s, json_t *lead);
/* Print the sections that have something, each under a heading, as part of lead show. */
void sale_text(struct cli *cli, const struct sale *s, const struct fnl_lead *l);

/* The sections one by one; ind goes before every line. */
void show_prep(struct cli *cli, const struct fnl_prep *p, const char *ind);
void show_spins(struct cli *cli, const struct fnl_spin *v, size_t n, const char *ind);
void show_contacts(struct cli *cli, const struct fnl_contact *v, size_t n, const char *ind);
/* The heading line of a needs list version ("Needs list v2: draft, not confirmed ...") and its
 * items; confirmed (may be NULL) is the newest confirmed version, mentioned under a draft. */
void show_needs(struct cli *cli, const struct fnl_needs *nd, const struct fnl_needs *confirmed, const char *ind);
void show_solution(struct cli *cli, const struct fnl_solution_item *v, size_t n, const char *ind);
void show_presentations(struct cli *cli, const struct fnl_presentation *v, size_t n, const char *ind);
/* The quotes of lead l; a pending one with how it is decided (on an open lead) or why it waits. */
void show_quotes(struct cli *cli, const struct fnl_quote *v, size_t n, const char *ind, const struct fnl_lead *l);
void show_obstacles(struct cli *cli, const struct fnl_obstacle *v, size_t n, const char *ind);
void show_deal(struct cli *cli, const struct fnl_deal *d, const char *ind);
void show_handovers(struct cli *cli, const struct fnl_handover *v, size_t n, const char *ind);
void show_ratings(struct cli *cli, const struct fnl_rating *v, size_t n, const char *ind);
void show_links(struct cli *cli, const struct fnl_link *v, size_t n, const char *ind);
/* "128000.50" and "15.01%" */
const char *yuan_text(int64_t fen, char *buf, size_t len);
/* The unit after an amount: 元 when the installation's currency is CNY, else its code (USD). */
const char *money_unit(struct cli *cli, char *buf, size_t len);
const char *pct_text(int bp, char *buf, size_t len);

/* ---- the commands (cmd_*.c) ---- */
int cmd_init(struct cli *, const struct args *);
int cmd_user_add(struct cli *, const struct args *);
int cmd_user_edit(struct cli *, const struct args *);
int cmd_user_list(struct cli *, const struct args *);
int cmd_lead_add(struct cli *, const struct args *);
int cmd_lead_edit(struct cli *, const struct args *);
int cmd_lead_show(struct cli *, const struct args *);
int cmd_lead_list(struct cli *, const struct args *);
/* The lead filter of --stage, --status, --owner, --grade, --channel (lead list, export leads). */
void cli_lead_filter(const struct args *a, struct fnl_lead_filter *f);
int cmd_lead_score(struct cli *, const struct args *);
int cmd_lead_move(struct cli *, const struct args *);
int cmd_lead_lose(struct cli *, const struct args *);
int cmd_lead_reopen(struct cli *, const struct args *);
int cmd_lead_assign(struct cli *, const struct args *);
int cmd_activity_add(struct cli *, const struct args *);
int cmd_activity_list(struct cli *, const struct args *);
int cmd_queue(struct cli *, const struct args *);
int cmd_calendar_import(struct cli *, const struct args *);
int cmd_calendar_show(struct cli *, const struct args *);
int cmd_config_get(struct cli *, const struct args *);
int cmd_config_set(struct cli *, const struct args *);
int cmd_config_list(struct cli *, const struct args *);
int cmd_stage_list(struct cli *, const struct args *);
int cmd_stage_edit(struct cli *, const struct args *);
int cmd_stage_add(struct cli *, const struct args *);
int cmd_stage_remove(struct cli *, const struct args *);
int cmd_stage_move(struct cli *, const struct args *);
int cmd_channel_list(struct cli *, const struct args *);
int cmd_channel_add(struct cli *, const struct args *);
int cmd_reason_list(struct cli *, const struct args *);
int cmd_reason_add(struct cli *, const struct args *);
int cmd_lead_repurchase(struct cli *, const struct args *);
int cmd_lead_referral(struct cli *, const struct args *);
int cmd_lead_document(struct cli *, const struct args *);
int cmd_discovery_note(struct cli *, const struct args *);
int cmd_discovery_spin(struct cli *, const struct args *);
int cmd_discovery_spins(struct cli *, const struct args *);
int cmd_discovery_contact(struct cli *, const struct args *);
int cmd_discovery_contacts(struct cli *, const struct args *);
int cmd_discovery_show(struct cli *, const struct args *);
int cmd_needs_add(struct cli *, const struct args *);
int cmd_needs_edit(struct cli *, const struct args *);
int cmd_needs_remove(struct cli *, const struct args *);
int cmd_needs_list(struct cli *, const struct args *);
int cmd_needs_confirm(struct cli *, const struct args *);
int cmd_needs_history(struct cli *, const struct args *);
int cmd_solution_add(struct cli *, const struct args *);
int cmd_solution_list(struct cli *, const struct args *);
int cmd_solution_present(struct cli *, const struct args *);
int cmd_quote_add(struct cli *, const struct args *);
int cmd_quote_list(struct cli *, const struct args *);
int cmd_quote_approve(struct cli *, const struct args *);
int cmd_quote_reject(struct cli *, const struct args *);
int cmd_obstacle_add(struct cli *, const struct args *);
int cmd_obstacle_resolve(struct cli *, const struct args *);
int cmd_obstacle_list(struct cli *, const struct args *);
int cmd_deal_close(struct cli *, const struct args *);
int cmd_deal_show(struct cli *, const struct args *);
int cmd_aftersales_handover(struct cli *, const struct args *);
int cmd_aftersales_care(struct cli *, const struct args *);
int cmd_aftersales_rate(struct cli *, const struct args *);
int cmd_audit(struct cli *, const struct args *);
int cmd_import(struct cli *, const struct args *);
/* funnel import --history (cmd_history.c), and the name of a history option given without it */
int cmd_import_history(struct cli *, const struct args *);
/* Open the --report CSV file of an import at path and write its BOM and header line; EXIT_OK, or
 * the exit status after saying why it cannot be written. */
int cli_report_open(const char *path, const char *header, FILE **out);
const char *cli_history_option_without(const struct args *a);
int cmd_export_leads(struct cli *, const struct args *);
int cmd_report_funnel(struct cli *, const struct args *);
int cmd_report_stages(struct cli *, const struct args *);
int cmd_report_flow(struct cli *, const struct args *);
int cmd_report_channels(struct cli *, const struct args *);
int cmd_report_forecast(struct cli *, const struct args *);
int cmd_report_sla(struct cli *, const struct args *);
int cmd_report_scoring(struct cli *, const struct args *);
int cmd_channel_spend(struct cli *, const struct args *);
int cmd_report_team(struct cli *, const struct args *);
int cmd_report_bottleneck(struct cli *, const struct args *);
int cmd_report_targets(struct cli *, const struct args *);
int cmd_target_set(struct cli *, const struct args *);
int cmd_target_list(struct cli *, const struct args *);
int cmd_plan(struct cli *, const struct args *);
int cmd_whatif(struct cli *, const struct args *);
int cmd_backup(struct cli *, const struct args *);

#endif
