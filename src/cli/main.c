/*
 * cli/main.c - `funnel NOUN VERB [options]`: global options, the command table, dispatch.
 * The only place that reads the clock, the environment for defaults, and exits.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"

/* ---- options of each command ---- */

static const struct opt o_init[] = {
	{"demo", NULL, "fill the new database with realistic demo data"},
	{"seed", "N", "seed of the demo data (default 1); the same seed and --now give the same data"},
	{0},
};
static const struct opt o_user_add[] = {
	{"name", "NAME", "full name", 1},
	{"role", "ROLE", "admin, manager, sales, marketing or aftersales", 1},
	{"team", "TEAM", "team name; created when new"},
	{0},
};
static const struct opt o_user_edit[] = {
	{"name", "NAME", "new full name"},
	{"role", "ROLE", "new role"},
	{"team", "TEAM", "new team (\"\" for none)"},
	{"active", "yes|no", "activate or deactivate the user"},
	{0},
};
#define LEAD_OTHER_FIELDS                                                                  \
	{"title", "T", "contact's job title"}, {"phone", "P", "phone (mobile, landline or +international)"}, \
	{"email", "E", "e-mail address"}, {"wechat", "W", "WeChat ID"},                      \
	{"industry", "I", "industry"}, {"size", "S", "company size"},                        \
	{"region", "R", "province/city"},                                                      \
	{"source", "S", "source detail: campaign, keyword, show or partner"},                \
	{"consent", "TEXT", "consent note for personal data"}, {"notes", "TEXT", "free notes"}
static const struct opt o_lead_add[] = {
	{"company", "C", "company name", 1}, {"contact", "NAME", "contact person", 1},
	{"channel", "KEY", "channel key (funnel channel list)", 1}, LEAD_OTHER_FIELDS,
	{"owner", "LOGIN", "owner (default: round-robin over active sales consultants)"},
	{"captured-at", "TIME", "when the lead came in (ISO 8601, default now)"},
	{0},
};
static const struct opt o_lead_edit[] = {
	{"company", "C", "company name"}, {"contact", "NAME", "contact person"},
	{"channel", "KEY", "channel key (funnel channel list)"}, LEAD_OTHER_FIELDS,
	{"amount", "YUAN", "expected deal amount in yuan, e.g. 128000.50 (\"\" clears; from qualify on)"},
	{"close", "YYYY-MM", "expected close month (\"\" clears; from qualify on)"},
	{0},
};
static const struct opt o_lead_list[] = {
	{"stage", "KEY", "only leads at this stage"},
	{"status", "S", "open, nurture, won, lost, invalid, merged, or all (default: all but invalid and merged)"},
	{"owner", "LOGIN", "only leads of this owner"},
	{"grade", "G", "A, B or C"},
	{"channel", "KEY", "only leads from this channel"},
	{"limit", "N", "at most N leads (default 50, 0 for all)"},
	{0},
};
static const struct opt o_lead_score[] = {
	{"budget", "1-5", "B: 5 budget clear and fits the quote, 3 vague, 1 none or too small", 1},
	{"need", "1-5", "N: 5 clear pain strongly tied to the product, 3 some need, 1 none", 1},
	{"decision", "1-5", "D: 5 decision maker reached, 3 several departments, 1 not reached", 1},
	{"urgency", "1-5", "U: 5 within 1-3 months, 3 within 3-6 months, 1 beyond 6 months", 1},
	{0},
};
static const struct opt o_lead_move[] = {
	{"to", "STAGE", "target stage key", 1},
	{"note", "TEXT", "why; required when moving back"},
	{0},
};
static const struct opt o_lead_lose[] = {
	{"reason", "KEY", "loss reason key (funnel reason list)", 1},
	{"note", "TEXT", "details"},
	{0},
};
static const struct opt o_note[] = {
	{"note", "TEXT", "why"},
	{0},
};
static const struct opt o_lead_assign[] = {
	{"owner", "LOGIN", "new owner", 1},
	{"note", "TEXT", "why"},
	{0},
};
static const struct opt o_activity_add[] = {
	{"kind", "KIND", "call, meeting, visit, email, message, demo, nurture, aftersales or note", 1},
	{"summary", "TEXT", "what happened"},
	{"outcome", "TEXT", "the result"},
	{"next", "TIME", "next follow-up (ISO 8601); appears in the work queue"},
	{0},
};
static const struct opt o_queue[] = {
	{"owner", "LOGIN", "whose queue (default: the acting user)"},
	{0},
};
static const struct opt o_calendar_show[] = {
	{"year", "Y", "only this year"},
	{0},
};
static const struct opt o_stage_edit[] = {
	{"name", "NAME", "Chinese name"},
	{"name-en", "NAME", "English name"},
	{"probability", "PCT", "default win probability, 0-100"},
	{0},
};
static const struct opt o_stage_add[] = {
	{"name", "NAME", "Chinese name", 1},
	{"name-en", "NAME", "English name (default: the Chinese name)"},
	{"probability", "PCT", "default win probability, 0-100", 1},
	{"after", "KEY", "the stage it follows (default: it becomes the first)"},
	{0},
};
static const struct opt o_stage_move[] = {
	{"after", "KEY", "the stage it is to follow (default: it becomes the first)"},
	{0},
};
static const struct opt o_channel_add[] = {
	{"name", "NAME", "Chinese name", 1},
	{"name-en", "NAME", "English name (default: the Chinese name)"},
	{"kind", "KIND", "online, offline or customer", 1},
	{0},
};
static const struct opt o_reason_add[] = {
	{"name", "NAME", "Chinese name", 1},
	{"name-en", "NAME", "English name (default: the Chinese name)"},
	{0},
};
static const struct opt o_audit[] = {
	{"lead", "ID", "only what concerns this lead"},
	{"limit", "N", "only the newest N entries (default 100, 0 for all)"},
	{0},
};

static const struct command commands[] = {
	{"init", NULL, "[--demo] [--seed N]",
	 "Create a new database with the defaults. The defaults: six stages, channels, loss reasons,\n"
	 "scoring rules, and an admin user 'admin'. With --demo, add a demo team and a year of leads.",
	 o_init, 0, 0, 0, cmd_init},
	{"user", "add", "LOGIN --name NAME --role ROLE [--team TEAM]", "Add a user (admin only).", o_user_add, 1, 1, 1,
	 cmd_user_add},
	{"user", "edit", "LOGIN [--name N] [--role R] [--team T] [--active yes|no]", "Change a user (admin only).",
	 o_user_edit, 1, 1, 1, cmd_user_edit},
	{"user", "list", "", "List users with their roles and teams.", NULL, 0, 0, 1, cmd_user_list},
	{"lead", "add", "--company C --contact N --channel KEY [--phone P] [--email E] [--wechat W] [...]",
	 "Capture a lead. It is cleaned (phone normalised, test data and bad contacts marked invalid),\n"
	 "checked for duplicates (a duplicate of an open lead becomes a re-inquiry on it; one of a won\n"
	 "or lost lead is a returning customer) and assigned. At least one of phone, email, WeChat.",
	 o_lead_add, 0, 0, 1, cmd_lead_add},
	{"lead", "edit", "ID [--FIELD VALUE ...] [--amount YUAN] [--close YYYY-MM]", "Change fields of a lead.",
	 o_lead_edit, 1, 1, 1, cmd_lead_edit},
	{"lead", "show", "ID", "Show a lead with its score, deadline, tasks, stage history and activities.", NULL, 1,
	 1, 1, cmd_lead_show},
	{"lead", "list", "[--stage K] [--status S] [--owner L] [--grade G] [--channel K] [--limit N]",
	 "List the leads you may see, newest first.", o_lead_list, 0, 0, 1, cmd_lead_list},
	{"lead", "score", "ID --budget N --need N --decision N --urgency N",
	 "Score a lead 1-5 on budget, need, decision and urgency. The weighted total gives the grade:\n"
	 "A (>= 15 by default): follow up within 48 hours; B (>= 8): within 3 working days, and send\n"
	 "material; C: nurture pool with a touch every 14 days and a re-evaluation every 30 days.",
	 o_lead_score, 1, 1, 1, cmd_lead_score},
	{"lead", "move", "ID --to STAGE [--note T]",
	 "Move an open lead to a stage. Forward moves may skip stages; a move back needs a note;\n"
	 "the last stage wins the lead.",
	 o_lead_move, 1, 1, 1, cmd_lead_move},
	{"lead", "lose", "ID --reason KEY [--note T]", "Mark a lead lost at its stage, with a reason.", o_lead_lose, 1,
	 1, 1, cmd_lead_lose},
	{"lead", "reopen", "ID [--note T]", "Reopen a lost or nurture lead, with a new follow-up deadline.", o_note, 1,
	 1, 1, cmd_lead_reopen},
	{"lead", "assign", "ID --owner LOGIN [--note T]", "Give a lead to another user (admin, or manager of the team).",
	 o_lead_assign, 1, 1, 1, cmd_lead_assign},
	{"activity", "add", "ID --kind KIND [--summary T] [--outcome T] [--next TIME]",
	 "Record an activity on a lead. The first call, meeting, visit, email or message after grading\n"
	 "meets the follow-up deadline.",
	 o_activity_add, 1, 1, 1, cmd_activity_add},
	{"activity", "list", "ID", "List the activities of a lead.", NULL, 1, 1, 1, cmd_activity_list},
	{"queue", NULL, "[--owner LOGIN]",
	 "The work queue: leads that need an action, overdue first, then by due time.", o_queue, 0, 0, 1, cmd_queue},
	{"calendar", "import", "FILE",
	 "Import holidays and make-up working days: one per line, 'YYYY-MM-DD holiday [name]' or\n"
	 "'YYYY-MM-DD workday [name]', '#' comments. A bad line stops the import; nothing is imported.",
	 NULL, 1, 1, 1, cmd_calendar_import},
	{"calendar", "show", "[--year Y]", "Show the holidays and make-up working days.", o_calendar_show, 0, 0, 1,
	 cmd_calendar_show},
	{"config", "get", "KEY", "Show one configuration value.", NULL, 1, 1, 1, cmd_config_get},
	{"config", "set", "KEY VALUE", "Change a configuration value (admin only).", NULL, 2, 2, 1, cmd_config_set},
	{"config", "list", "", "Show every configuration key with its value.", NULL, 0, 0, 1, cmd_config_list},
	{"stage", "list", "", "The stages of the funnel with their leads.", NULL, 0, 0, 1, cmd_stage_list},
	{"stage", "edit", "KEY [--name N] [--name-en N] [--probability PCT]", "Rename a stage or change its probability.",
	 o_stage_edit, 1, 1, 1, cmd_stage_edit},
	{"stage", "add", "KEY --name N --probability PCT [--name-en N] [--after KEY]",
	 "Add a stage to the pipeline (admin; only before the first lead). 3 to 10 stages; the last\n"
	 "stage is the one that wins a lead.",
	 o_stage_add, 1, 1, 1, cmd_stage_add},
	{"stage", "remove", "KEY", "Remove a stage (admin; only before the first lead).", NULL, 1, 1, 1, cmd_stage_remove},
	{"stage", "move", "KEY [--after KEY]", "Reorder the stages (admin; only before the first lead).", o_stage_move,
	 1, 1, 1, cmd_stage_move},
	{"channel", "list", "", "The lead channels.", NULL, 0, 0, 1, cmd_channel_list},
	{"channel", "add", "KEY --name N --kind online|offline|customer [--name-en N]", "Add a channel (admin only).",
	 o_channel_add, 1, 1, 1, cmd_channel_add},
	{"reason", "list", "", "The loss reasons.", NULL, 0, 0, 1, cmd_reason_list},
	{"reason", "add", "KEY --name N [--name-en N]", "Add a loss reason (admin only).", o_reason_add, 1, 1, 1,
	 cmd_reason_add},
	{"audit", NULL, "[--lead ID] [--limit N]", "The audit log: who changed what, when, before and after.", o_audit,
	 0, 0, 1, cmd_audit},
	{"backup", NULL, "FILE", "Write a consistent copy of the database to FILE (online).", NULL, 1, 1, 1, cmd_backup},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const char global_help[] =
	"Global options (anywhere on the line):\n"
	"  --db PATH       database file (default $FUNNEL_DB, else ./funnel.db)\n"
	"  --as LOGIN      act as this user (default $FUNNEL_USER, else admin)\n"
	"  --now TIME      the clock for this command, ISO 8601 (default: the real time)\n"
	"  --json          machine-readable output\n"
	"  --lang zh|en    language of names (default: the installation's, zh)\n"
	"  --help          help; --version the version\n";

/* ---- output helpers ---- */

int cli_error(int code, const char *fmt, ...)
{
	va_list ap;
	fputs("funnel: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int cli_fail(struct cli *cli, int rc)
{
	const char *msg = cli->db ? fnl_errmsg(cli->db) : "";
	const char *field = cli->db ? fnl_errfield(cli->db) : "";
	if (!msg || !*msg)
		msg = fnl_strerror(rc);
	/* the field first, as in "id: no lead 999", unless the message already starts with it */
	size_t fl = field ? strlen(field) : 0;
	if (fl && !(strncmp(msg, field, fl) == 0 && msg[fl] == ':'))
		return cli_error(EXIT_ERR, "%s: %s", field, msg);
	return cli_error(EXIT_ERR, "%s", msg);
}

int cli_print_json(json_t *j)
{
	if (!j)
		return cli_error(EXIT_ERR, "out of memory");
	json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
	fputc('\n', stdout);
	json_decref(j);
	return EXIT_OK;
}

const char *cli_lang(struct cli *cli)
{
	if (cli->lang)
		return cli->lang;
	return cli->db ? fnl_db_lang(cli->db) : "zh";
}

int cli_time(struct cli *cli, const char *s, const char *what, int64_t *out)
{
	struct fnl_error err;
	const fnl_tz *tz = cli->db ? fnl_db_tz(cli->db) : NULL;
	fnl_tz *own = NULL;
	if (!tz) {
		if (fnl_tz_load("Asia/Shanghai", &own, &err))
			return cli_error(EXIT_ERR, "%s", err.message);
		tz = own;
	}
	int rc = fnl_time_parse(tz, s, out, &err);
	fnl_tz_free(own);
	if (rc)
		return cli_error(EXIT_ERR, "%s: %s", what, err.message);
	return 0;
}

const char *cli_when(struct cli *cli, int64_t t, char *buf, size_t len)
{
	if (!t) {
		snprintf(buf, len, "%s", "");
		return buf;
	}
	char iso[40];
	fnl_time_format(fnl_db_tz(cli->db), t, iso, sizeof iso);
	/* "2026-11-29T10:00:00+08:00" -> "2026-11-29 10:00" */
	snprintf(buf, len, "%.10s %.5s", iso, iso + 11);
	return buf;
}

const char *cli_left(struct cli *cli, int64_t t, char *buf, size_t len)
{
	int64_t d = t - cli->ctx.now, a = d < 0 ? -d : d;
	int64_t days = a / 86400, hours = (a % 86400) / 3600, mins = (a % 3600) / 60;
	char span[32];
	if (days)
		snprintf(span, sizeof span, "%lldd %lldh", (long long)days, (long long)hours);
	else if (hours)
		snprintf(span, sizeof span, "%lldh %lldm", (long long)hours, (long long)mins);
	else
		snprintf(span, sizeof span, "%lldm", (long long)mins);
	snprintf(buf, len, d < 0 ? "overdue %s" : "%s left", span);
	return buf;
}

int cli_open(struct cli *cli)
{
	if (cli->db)
		return 0;
	struct fnl_error err;
	int rc = fnl_db_open(cli->db_path, &cli->db, &err);
	if (rc)
		return cli_error(EXIT_ERR, "%s", err.message);
	if (!cli->has_now)
		cli->ctx.now = (int64_t)time(NULL);
	else if (cli_time(cli, cli->now_text, "now", &cli->ctx.now))
		return EXIT_ERR;
	struct fnl_user u;
	const char *login = cli->as ? cli->as : "admin";
	if ((rc = fnl_user_get(cli->db, login, &u)))
		return cli_error(EXIT_ERR, "as: no user '%s' (see 'funnel user list')", login);
	if (!u.active)
		return cli_error(EXIT_ERR, "as: user '%s' is deactivated", login);
	cli->ctx.actor = u.id;
	if ((rc = fnl_catalog_load(cli->db, &cli->cat)))
		return cli_fail(cli, rc);
	return 0;
}

/* ---- help ---- */

static void print_command_help(const struct command *c, FILE *out)
{
	fprintf(out, "usage: funnel %s%s%s %s\n\n%s\n", c->noun, c->verb ? " " : "", c->verb ? c->verb : "",
		c->synopsis, c->help);
	if (c->opts && c->opts[0].name) {
		fputs("\nOptions:\n", out);
		for (const struct opt *o = c->opts; o->name; o++) {
			char left[64];
			snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
			fprintf(out, "  %-22s %s%s\n", left, o->help, o->required ? " (required)" : "");
		}
	}
	fputc('\n', out);
	fputs(global_help, out);
}

static void print_help(FILE *out)
{
	fputs("usage: funnel [global options] NOUN VERB [options]\n\n"
	      "funnel carries B2B leads from capture to the deal and shows where the funnel leaks.\n\n"
	      "Commands:\n",
	      out);
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct command *c = &commands[i];
		char left[64];
		snprintf(left, sizeof left, "%s%s%s", c->noun, c->verb ? " " : "", c->verb ? c->verb : "");
		/* the first sentence of the help */
		int n = 0;
		while (c->help[n] && !(c->help[n] == '.' && (c->help[n + 1] == ' ' || c->help[n + 1] == '\n')))
			n++;
		if (c->help[n] == '.')
			n++;
		/* a sentence may wrap in the help text; here it is one line */
		fprintf(out, "  %-18s ", left);
		for (int k = 0; k < n; k++)
			fputc(c->help[k] == '\n' ? ' ' : c->help[k], out);
		fputc('\n', out);
	}
	fputs("\nRun 'funnel NOUN VERB --help' for the options of a command.\n\n", out);
	fputs(global_help, out);
}

/* ---- parsing ---- */

static int usage(const struct command *c, const char *fmt, const char *what)
{
	fputs("funnel: ", stderr);
	fprintf(stderr, fmt, what);
	if (c)
		fprintf(stderr, " (see 'funnel %s%s%s --help')\n", c->noun, c->verb ? " " : "", c->verb ? c->verb : "");
	else
		fputs(" (see 'funnel --help')\n", stderr);
	return EXIT_USAGE;
}

/* Take the global options out of argv (they may appear anywhere); the rest stays in order. */
static int take_globals(struct cli *cli, int *argc, char **argv, int *help, int *version)
{
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		char *a = argv[i];
		const char *names[] = {"db", "as", "now", "lang"};
		const char **dst[] = {&cli->db_path, &cli->as, &cli->now_text, &cli->lang};
		int taken = 0;
		for (int k = 0; k < 4 && !taken; k++) {
			size_t n = strlen(names[k]);
			if (strncmp(a, "--", 2) || strncmp(a + 2, names[k], n))
				continue;
			if (a[2 + n] == '=') {
				*dst[k] = a + 3 + n;
				taken = 1;
			} else if (a[2 + n] == '\0') {
				if (i + 1 >= *argc)
					return usage(NULL, "--%s needs a value", names[k]);
				*dst[k] = argv[++i];
				taken = 1;
			}
		}
		if (taken)
			continue;
		if (strcmp(a, "--json") == 0)
			cli->json = 1;
		else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			*help = 1;
		else if (strcmp(a, "--version") == 0)
			*version = 1;
		else if (strcmp(a, "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
		} else
			argv[out++] = a;
	}
	*argc = out;
	if (cli->now_text)
		cli->has_now = 1;
	if (cli->lang && strcmp(cli->lang, "zh") && strcmp(cli->lang, "en"))
		return usage(NULL, "--lang: '%s' is not zh or en", cli->lang);
	return 0;
}

static int parse_args(const struct command *c, int argc, char **argv, struct args *a)
{
	memset(a, 0, sizeof *a);
	a->cmd = c;
	for (int i = 0; i < argc; i++) {
		char *s = argv[i];
		if (strncmp(s, "--", 2) == 0 && s[2]) {
			char *name = s + 2, *eq = strchr(name, '=');
			size_t n = eq ? (size_t)(eq - name) : strlen(name);
			int k = -1;
			for (int j = 0; c->opts && c->opts[j].name; j++)
				if (strlen(c->opts[j].name) == n && strncmp(c->opts[j].name, name, n) == 0)
					k = j;
			if (k < 0)
				return usage(c, "unknown option '%s'", s);
			if (c->opts[k].arg) {
				if (eq)
					a->val[k] = eq + 1;
				else if (i + 1 < argc)
					a->val[k] = argv[++i];
				else
					return usage(c, "--%s needs a value", c->opts[k].name);
			} else if (eq) {
				return usage(c, "--%s takes no value", c->opts[k].name);
			}
			if (a->set[k])
				return usage(c, "--%s given twice", c->opts[k].name);
			a->set[k] = 1;
		} else {
			if (a->npos >= c->max_pos)
				return usage(c, "unexpected argument '%s'", s);
			a->pos[a->npos++] = s;
		}
	}
	if (a->npos < c->min_pos)
		return usage(c, "%s", a->npos == 0 ? "missing argument" : "missing arguments");
	for (int j = 0; c->opts && c->opts[j].name; j++)
		if (c->opts[j].required && !a->set[j])
			return usage(c, "--%s is required", c->opts[j].name);
	return 0;
}

const char *arg_val(const struct args *a, const char *name)
{
	for (int j = 0; a->cmd->opts && a->cmd->opts[j].name; j++)
		if (strcmp(a->cmd->opts[j].name, name) == 0)
			return a->set[j] ? (a->val[j] ? a->val[j] : "") : NULL;
	return NULL;
}

int arg_set(const struct args *a, const char *name)
{
	return arg_val(a, name) != NULL;
}

int arg_id(const char *s, const char *what, int64_t *out)
{
	char *end;
	if (!s || !*s || *s == '-' || *s == '+')
		return cli_error(EXIT_USAGE, "%s: '%s' is not an id", what, s ? s : "");
	long long v = strtoll(s, &end, 10);
	if (*end || v <= 0)
		return cli_error(EXIT_USAGE, "%s: '%s' is not an id", what, s);
	*out = v;
	return 0;
}

int arg_int(const char *s, const char *what, long min, long max, long *out)
{
	char *end;
	if (!s || !*s)
		return cli_error(EXIT_ERR, "%s: empty, expected a whole number from %ld to %ld", what, min, max);
	long v = strtol(s, &end, 10);
	if (*end || v < min || v > max || s[0] == ' ' || s[0] == '+')
		return cli_error(EXIT_ERR, "%s: '%s' is not a whole number from %ld to %ld", what, s, min, max);
	*out = v;
	return 0;
}

static const struct command *find_command(const char *noun, const char *verb, int *used)
{
	for (size_t i = 0; i < NCOMMANDS; i++) {
		const struct command *c = &commands[i];
		if (strcmp(c->noun, noun))
			continue;
		if (!c->verb) {
			*used = 1;
			return c;
		}
		if (verb && strcmp(c->verb, verb) == 0) {
			*used = 2;
			return c;
		}
	}
	return NULL;
}

static int noun_known(const char *noun)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].noun, noun) == 0)
			return 1;
	return 0;
}

static void print_noun_help(const char *noun, FILE *out)
{
	fprintf(out, "usage: funnel %s VERB [options]\n\nVerbs:\n", noun);
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].noun, noun) == 0)
			fprintf(out, "  funnel %s %s %s\n", noun, commands[i].verb, commands[i].synopsis);
}

int main(int argc, char **argv)
{
	struct cli cli;
	memset(&cli, 0, sizeof cli);
	int help = 0, version = 0;
	int rc = take_globals(&cli, &argc, argv, &help, &version);
	if (rc)
		return rc;
	if (version) {
		printf("funnel %s\n", FNL_VERSION);
		return EXIT_OK;
	}
	if (argc < 2) {
		print_help(help ? stdout : stderr);
		return help ? EXIT_OK : EXIT_USAGE;
	}
	if (strcmp(argv[1], "help") == 0) {
		print_help(stdout);
		return EXIT_OK;
	}
	if (!cli.db_path) {
		const char *env = getenv("FUNNEL_DB");
		cli.db_path = env && *env ? env : "funnel.db";
	}
	if (!cli.as) {
		const char *env = getenv("FUNNEL_USER");
		cli.as = env && *env ? env : NULL;
	}
	int used = 0;
	const struct command *c = find_command(argv[1], argc > 2 ? argv[2] : NULL, &used);
	if (!c) {
		if (noun_known(argv[1])) {
			if (help || argc == 2) {
				print_noun_help(argv[1], help ? stdout : stderr);
				return help ? EXIT_OK : EXIT_USAGE;
			}
			return usage(NULL, "unknown command '%s'", argv[2]) ;
		}
		return usage(NULL, "unknown command '%s'", argv[1]);
	}
	if (help) {
		print_command_help(c, stdout);
		return EXIT_OK;
	}
	struct args a;
	if ((rc = parse_args(c, argc - 1 - used, argv + 1 + used, &a)))
		return rc;
	if (c->needs_db && (rc = cli_open(&cli))) {
		fnl_catalog_free(cli.cat);
		fnl_db_close(cli.db);
		return rc;
	}
	rc = c->run(&cli, &a);
	fnl_catalog_free(cli.cat);
	fnl_db_close(cli.db);
	if (fflush(stdout) != 0 && rc == 0)
		rc = cli_error(EXIT_ERR, "cannot write the output");
	return rc;
}
