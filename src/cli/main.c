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
	{"force", NULL, "pass the stage gates (managers and admins; the audit log records the gates forced)"},
	{0},
};
static const struct opt o_lead_repurchase[] = {
	{"owner", "LOGIN", "owner (default: the earlier owner when still active, else round-robin)"},
	{"source", "S", "source detail (default: 'repurchase of lead ID')"},
	{"notes", "TEXT", "what the customer wants to buy again"},
	{0},
};
static const struct opt o_lead_referral[] = {
	{"company", "C", "the referred company", 1}, {"contact", "NAME", "the referred contact person", 1},
	LEAD_OTHER_FIELDS,
	{"owner", "LOGIN", "owner (default: round-robin over active sales consultants)"},
	{0},
};
static const struct opt o_lead_document[] = {
	{"out", "FILE", "write the HTML to FILE (a new file: an existing one is never overwritten)"},
	{0},
};
static const struct opt o_discovery_note[] = {
	{"background", "TEXT", "company background: standing in the industry, business"},
	{"news", "TEXT", "recent news of the company"},
	{"role", "ROLE", "the contact's role in the decision: decision_maker, influencer, user, gatekeeper (\"\" clears)"},
	{"decision-date", "YYYY-MM-DD", "when the customer expects to decide: the purchase timeline (\"\" clears)"},
	{0},
};
static const struct opt o_discovery_spin[] = {
	{"kind", "S|P|I|N", "S situation, P problem, I implication, N need-payoff", 1},
	{"question", "TEXT", "the question asked", 1},
	{"answer", "TEXT", "the customer's answer"},
	{0},
};
static const struct opt o_discovery_contact[] = {
	{"name", "NAME", "the person's name", 1},
	{"role", "ROLE", "decision_maker, influencer, user or gatekeeper", 1},
	{"title", "T", "job title"},
	{"phone", "P", "phone (mobile, landline or +international)"},
	{"email", "E", "e-mail address"},
	{"notes", "TEXT", "notes on the person"},
	{0},
};
static const struct opt o_needs_add[] = {
	{"text", "TEXT", "what the customer needs", 1},
	{"priority", "1-3", "1 high, 2 medium, 3 low", 1},
	{"spin", "IDS", "the SPIN entries behind it, e.g. 3,5 (funnel discovery spins)"},
	{0},
};
static const struct opt o_needs_edit[] = {
	{"text", "TEXT", "new text"},
	{"priority", "1-3", "new priority: 1 high, 2 medium, 3 low"},
	{"spin", "IDS", "the SPIN entries behind it, replacing the old ones (\"\" for none)"},
	{0},
};
static const struct opt o_needs_list[] = {
	{"version", "N", "this version (default: the newest)"},
	{0},
};
static const struct opt o_needs_confirm[] = {
	{"how", "HOW", "phone, email, meeting or message", 1},
	{"contact", "CID", "who confirmed: a contact of the decision chain (default: the lead's contact)"},
	{"at", "TIME", "when (ISO 8601, default now; not in the future)"},
	{0},
};
static const struct opt o_solution_add[] = {
	{"need", "NUM", "the need it answers: 3 or N3 (funnel needs list)", 1},
	{"function", "TEXT", "what the product does for this need", 1},
	{"value", "TEXT", "what it brings the customer", 1},
	{"figure", "N", "the value quantified: a number such as 30 or 0.5 (with --unit)"},
	{"unit", "U", "the unit of the figure: %, hours/week, CNY/year"},
	{"case", "TEXT", "a reference customer or project"},
	{0},
};
static const struct opt o_solution_present[] = {
	{"date", "YYYY-MM-DD", "the day of the presentation", 1},
	{"attendees", "TEXT", "who attended"},
	{"feedback", "TEXT", "the customer's feedback"},
	{0},
};
static const struct opt o_quote_add[] = {
	{"amount", "YUAN", "the quoted amount in yuan, e.g. 128000.50", 1},
	{"discount", "PCT", "discount in percent, at most 2 decimals, e.g. 15 or 15.01 (default 0)"},
	{"terms", "TEXT", "payment terms"},
	{"delivery", "DAYS", "delivery time in days"},
	{0},
};
static const struct opt o_obstacle_add[] = {
	{"type", "TYPE", "price, terms, delivery, competitor, authority or timing", 1},
	{"text", "TEXT", "what stands in the way", 1},
	{0},
};
static const struct opt o_obstacle_resolve[] = {
	{"note", "TEXT", "how it was resolved"},
	{0},
};
static const struct opt o_deal_close[] = {
	{"contract", "NO", "contract number", 1},
	{"amount", "YUAN", "contract amount in yuan, e.g. 128000.50", 1},
	{"signed", "YYYY-MM-DD", "signing date (not in the future)", 1},
	{"delivery", "YYYY-MM-DD", "delivery start (not before signing)"},
	{"force", NULL, "pass the gates of the stages it skips (managers and admins)"},
	{0},
};
static const struct opt o_aftersales_handover[] = {
	{"to", "LOGIN", "the after-sales user", 1},
	{"note", "TEXT", "what they need to know"},
	{0},
};
static const struct opt o_aftersales_care[] = {
	{"summary", "TEXT", "what was done", 1},
	{"outcome", "TEXT", "the result"},
	{"next", "TIME", "next care date (ISO 8601), kept with the activity (a won customer has no work queue tasks)"},
	{0},
};
static const struct opt o_aftersales_rate[] = {
	{"score", "1-5", "the customer's satisfaction, 5 highest", 1},
	{"note", "TEXT", "what the customer said"},
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
static const struct opt o_channel_spend[] = {
	{"month", "YYYY-MM", "the month the spend is for (with --amount)"},
	{"amount", "YUAN", "what the channel cost that month, replacing what was recorded"},
	{0},
};
static const struct opt o_reason_add[] = {
	{"name", "NAME", "Chinese name", 1},
	{"name-en", "NAME", "English name (default: the Chinese name)"},
	{0},
};
/* Where a report goes: --format xlsx is a formatted workbook, written to a new --out FILE. */
#define REPORT_OUT_OPTS                                                                                \
	{"format", "F", "table (default), csv, xlsx (a formatted workbook; needs --out) or json"},          \
	{"out", "FILE", "write to FILE, a new file (never overwritten), instead of stdout"}
/* The options every report takes (SPEC §7): period, filters, one group-by, output. */
#define REPORT_OPTS                                                                                    \
	{"from", "DATE", "first capture date of the period (YYYY-MM-DD, local)"},                          \
	{"to", "DATE", "last capture date of the period, inclusive"},                                      \
	{"channel", "KEY", "only this channel"}, {"owner", "LOGIN", "only this owner"},                     \
	{"team", "TEAM", "only this team"}, {"grade", "G", "only grade A, B or C"},                        \
	{"industry", "I", "only this industry"}, {"region", "R", "only this region"},                      \
	{"by", "DIM", "group by channel, owner, team, grade, industry, region or month"},                  \
	{"csv", NULL, "CSV for spreadsheets (UTF-8 with BOM) instead of a table"}, REPORT_OUT_OPTS
static const struct opt o_report[] = {
	REPORT_OPTS,
	{0},
};
static const struct opt o_report_targets[] = {
	{"period", "P", "a month 2026-11, a quarter 2026-Q4 or a year 2026 (default: the current month)"},
	{"csv", NULL, "CSV for spreadsheets (UTF-8 with BOM) instead of a table"}, REPORT_OUT_OPTS,
	{0},
};
static const struct opt o_target_set[] = {
	{"metric", "M", "entries, conversion, won_count, won_amount or sla_compliance", 1},
	{"stage", "KEY", "the stage (entries, conversion; won_* count at the last stage; none for sla_compliance)"},
	{"scope", "S", "company, team:TEAM or user:LOGIN", 1},
	{"period", "P", "a month 2026-11, a quarter 2026-Q4 or a year 2026", 1},
	{"value", "V", "a count; yuan for won_amount; a percentage like 30 or 30.5 for conversion, sla_compliance", 1},
	{0},
};
static const struct opt o_target_list[] = {
	{"period", "P", "only the targets of this period (2026-11, 2026-Q4, 2026)"},
	{0},
};
static const struct opt o_plan[] = {
	{"revenue", "YUAN", "the revenue target of the period in yuan", 1},
	{"period", "P", "a month 2026-11, a quarter 2026-Q4 or a year 2026", 1},
	{"apply", NULL, "store the result as the company's targets of the period (managers and admins)"},
	{0},
};
static const struct opt o_whatif[] = {
	{"stage", "KEY", "the stage whose conversion to the next is raised (default: every stage, ranked)"},
	{"points", "N", "percentage points to raise it by, like 5 or 2.5 (default 1)"},
	{"from", "DATE", "first capture date of the funnel (default: a year before the end)"},
	{"to", "DATE", "last capture date, inclusive (default: today)"},
	{"channel", "KEY", "only this channel"}, {"owner", "LOGIN", "only this owner"},
	{"team", "TEAM", "only this team"}, {"grade", "G", "only grade A, B or C"},
	{"industry", "I", "only this industry"}, {"region", "R", "only this region"},
	{"csv", NULL, "CSV for spreadsheets (UTF-8 with BOM) instead of a table"}, REPORT_OUT_OPTS,
	{0},
};
static const struct opt o_export_leads[] = {
	{"stage", "KEY", "only leads at this stage"},
	{"status", "S", "open, nurture, won, lost, invalid, merged, or all (default: all but invalid and merged)"},
	{"owner", "LOGIN", "only leads of this owner"},
	{"grade", "G", "A, B or C"},
	{"channel", "KEY", "only leads from this channel"},
	{"format", "csv|xlsx|json", "CSV for Excel (UTF-8 with BOM), a formatted workbook, or JSON (default: by --out's name, else csv)"},
	{"out", "FILE", "write to FILE, a new file readable by you only (never overwritten); needed for xlsx"},
	{0},
};
static const struct opt o_import[] = {
	{"format", "csv|xlsx", "the file's format (default: by its name and content)"},
	{"encoding", "utf-8|gbk", "a CSV file's encoding (default: detected; Excel in China writes GBK)"},
	{"sheet", "NAME", "the sheet of a workbook (default: the first)"},
	{"channel", "KEY", "channel of the rows without one of their own"},
	{"source", "TEXT", "source detail of the rows without one of their own"},
	{"map", "COLUMN=FIELD", "read COLUMN as FIELD (company, contact, phone, ...); may be repeated", 0, 1},
	{"dry-run", NULL, "show what would happen, write nothing"},
	{"strict", NULL, "import nothing when any row is rejected"},
	{"again", NULL, "import a file imported in full before once more (its rows merge into their leads)"},
	{"report", "FILE", "write the rows not created as they are (line, outcome, why) to a CSV file"},
	{"quiet", NULL, "no progress on the terminal"},
	{"history", NULL, "FILE is another CRM's opportunities: import them with their history"},
	{"stage-map", "MAP", "--history: their stages to stage keys, won or lost: 'Prospecting=qualify,Won=won'"},
	{"lost-at", "KEY", "--history: the stage lost ones were lost at (default: the map's furthest open one)"},
	{"lost-reason", "KEY", "--history: the loss reason of rows without one (default: other)"},
	{"date-format", "FORMAT", "--history: DD-MM-YY, YYYY-MM-DD, MM/DD/YYYY, ... (default: detected)"},
	{"as-of", "DATE", "--history: capture date of open ones without a date (default: the file's last created or closed date)"},
	{"teams", "FILE", "--history: sales_agent, manager, regional_office of the owners"},
	{"accounts", "FILE", "--history: account, sector, office_location, employees"},
	{"products", "FILE", "--history: product, sales_price (names normalised; prices as expected amounts)"},
	{"create-users", NULL, "--history: create the owners, and from --teams the managers and teams"},
	{"currency", "CODE", "--history: the currency of the file's amounts (default: funnel's)"},
	{"currency-factor", "X", "--history: funnel's currency for 1 of the file's (e.g. 7.1)"},
	{"keep-spelling", NULL, "--history: keep misspelled sectors and countries as written"},
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
	{"lead", "show", "ID",
	 "Show a lead: score, deadline, tasks, the sale and its history, on one page. The sale: discovery\n"
	 "(preparation, SPIN, decision chain, timeline), the needs list, solution and presentations,\n"
	 "quotes, obstacles, the deal, hand-overs, satisfaction, and the linked leads (repurchases,\n"
	 "referrals); then the stage history, scoring history and activities.",
	 NULL, 1, 1, 1, cmd_lead_show},
	{"lead", "list", "[--stage K] [--status S] [--owner L] [--grade G] [--channel K] [--limit N]",
	 "List the leads you may see, newest first.", o_lead_list, 0, 0, 1, cmd_lead_list},
	{"lead", "score", "ID --budget N --need N --decision N --urgency N",
	 "Score a lead 1-5 on budget, need, decision and urgency. The weighted total gives the grade:\n"
	 "A (>= 15 by default): follow up within 48 hours; B (>= 8): within 3 working days, and send\n"
	 "material; C: nurture pool with a touch every 14 days and a re-evaluation every 30 days.",
	 o_lead_score, 1, 1, 1, cmd_lead_score},
	{"lead", "move", "ID --to STAGE [--note T] [--force]",
	 "Move an open lead to a stage. Forward moves may skip stages; a move back needs a note;\n"
	 "the last stage wins the lead. Stage gates: entering propose needs a needs list confirmed by\n"
	 "the customer, negotiate a solution item, the last stage a deal (use 'funnel deal close').\n"
	 "--force passes the gates (managers and admins; recorded in the audit log).",
	 o_lead_move, 1, 1, 1, cmd_lead_move},
	{"lead", "lose", "ID --reason KEY [--note T]", "Mark a lead lost at its stage, with a reason.", o_lead_lose, 1,
	 1, 1, cmd_lead_lose},
	{"lead", "reopen", "ID [--note T]", "Reopen a lost or nurture lead, with a new follow-up deadline.", o_note, 1,
	 1, 1, cmd_lead_reopen},
	{"lead", "assign", "ID --owner LOGIN [--note T]", "Give a lead to another user (admin, or manager of the team).",
	 o_lead_assign, 1, 1, 1, cmd_lead_assign},
	{"lead", "repurchase", "ID [--owner L] [--source S] [--notes T]",
	 "Create a repurchase lead for a won customer. Same company and contact, channel repurchase,\n"
	 "linked both ways to the won lead (see the links in 'funnel lead show').",
	 o_lead_repurchase, 1, 1, 1, cmd_lead_repurchase},
	{"lead", "referral", "ID --company C --contact N [--phone P] [--email E] [--wechat W] [...] [--owner L]",
	 "Create a lead referred by a won customer. Channel customer_referral, linked both ways to the\n"
	 "referring customer; cleaned and de-duplicated like any capture.",
	 o_lead_referral, 1, 1, 1, cmd_lead_referral},
	{"lead", "document", "ID [--out FILE] [--lang en]",
	 "The customer needs list and the solution as a printable HTML page. It shows the newest\n"
	 "confirmed version (or the draft, marked unconfirmed), in the language of --lang. Printed to\n"
	 "stdout, or written to a new FILE with --out.",
	 o_lead_document, 1, 1, 1, cmd_lead_document},
	{"activity", "add", "ID --kind KIND [--summary T] [--outcome T] [--next TIME]",
	 "Record an activity on a lead. The first call, meeting, visit, email or message after grading\n"
	 "meets the follow-up deadline.",
	 o_activity_add, 1, 1, 1, cmd_activity_add},
	{"activity", "list", "ID", "List the activities of a lead.", NULL, 1, 1, 1, cmd_activity_list},
	{"queue", NULL, "[--owner LOGIN]",
	 "The work queue: leads that need an action, overdue first, then by due time.", o_queue, 0, 0, 1, cmd_queue},
	{"discovery", "note", "ID [--background T] [--news T] [--role ROLE] [--decision-date YYYY-MM-DD]",
	 "Record the preparation notes of needs discovery. Company background, recent news, the\n"
	 "contact's role in the decision and the expected decision date; only the options given change.",
	 o_discovery_note, 1, 1, 1, cmd_discovery_note},
	{"discovery", "spin", "ID --kind S|P|I|N --question Q [--answer A]",
	 "Record a SPIN question and the customer's answer. S situation, P problem, I implication,\n"
	 "N need-payoff; a need of the needs list can refer to it (--spin).",
	 o_discovery_spin, 1, 1, 1, cmd_discovery_spin},
	{"discovery", "spins", "ID", "List the SPIN questions and answers of a lead.", NULL, 1, 1, 1, cmd_discovery_spins},
	{"discovery", "contact", "ID --name N --role ROLE [--title T] [--phone P] [--email E] [--notes T]",
	 "Add a person to the decision chain. Roles: decision_maker, influencer, user, gatekeeper.",
	 o_discovery_contact, 1, 1, 1, cmd_discovery_contact},
	{"discovery", "contacts", "ID", "List the decision chain of a lead.", NULL, 1, 1, 1, cmd_discovery_contacts},
	{"discovery", "show", "ID", "Show the discovery of a lead: preparation notes, SPIN, decision chain.", NULL, 1, 1,
	 1, cmd_discovery_show},
	{"needs", "add", "ID --text T --priority 1-3 [--spin 3,5]",
	 "Add a need to the customer needs list. The change goes to the draft; after a confirmation it\n"
	 "starts the next version, which the customer confirms again. Needs keep their number (N1, N2).",
	 o_needs_add, 1, 1, 1, cmd_needs_add},
	{"needs", "edit", "ID NUM [--text T] [--priority 1-3] [--spin 3,5]",
	 "Change a need of the needs list (NUM: 3 or N3). Editing a confirmed list makes a new version\n"
	 "that needs confirming again.",
	 o_needs_edit, 2, 2, 1, cmd_needs_edit},
	{"needs", "remove", "ID NUM", "Remove a need from the needs list (NUM: 3 or N3), in the draft.", NULL, 2, 2, 1,
	 cmd_needs_remove},
	{"needs", "list", "ID [--version N]", "Show the needs list: the newest version, or another one.", o_needs_list, 1,
	 1, 1, cmd_needs_list},
	{"needs", "confirm", "ID --how phone|email|meeting|message [--contact CID] [--at TIME]",
	 "Record the customer's confirmation of the newest version of the needs list. Entering the\n"
	 "propose stage needs a confirmed list.",
	 o_needs_confirm, 1, 1, 1, cmd_needs_confirm},
	{"needs", "history", "ID", "Show every version of the needs list, oldest first.", NULL, 1, 1, 1,
	 cmd_needs_history},
	{"solution", "add", "ID --need NUM --function T --value T [--figure N --unit U] [--case T]",
	 "Add a solution item: what the product does for a need and what it brings the customer.\n"
	 "Entering the negotiate stage needs at least one item.",
	 o_solution_add, 1, 1, 1, cmd_solution_add},
	{"solution", "list", "ID", "Show the solution of a lead and its presentations.", NULL, 1, 1, 1, cmd_solution_list},
	{"solution", "present", "ID --date YYYY-MM-DD [--attendees T] [--feedback T]",
	 "Record the presentation of the solution to the customer.", o_solution_present, 1, 1, 1, cmd_solution_present},
	{"quote", "add", "ID --amount YUAN [--discount PCT] [--terms T] [--delivery DAYS]",
	 "Give a quote (the next round). A discount above quote.discount_limit (15% by default; exactly\n"
	 "the limit is within it) waits for a manager's approval.",
	 o_quote_add, 1, 1, 1, cmd_quote_add},
	{"quote", "list", "ID", "List the quotes of a lead with their status; pending ones are marked.", NULL, 1, 1, 1,
	 cmd_quote_list},
	{"quote", "approve", "QUOTE_ID [--note T]",
	 "Approve a quote waiting for approval (a manager of the lead's team, or an admin).", o_note, 1, 1, 1,
	 cmd_quote_approve},
	{"quote", "reject", "QUOTE_ID [--note T]",
	 "Reject a quote waiting for approval (a manager of the lead's team, or an admin).", o_note, 1, 1, 1,
	 cmd_quote_reject},
	{"obstacle", "add", "ID --type TYPE --text T",
	 "Record an obstacle to closing. Types: price, terms, delivery, competitor, authority, timing.", o_obstacle_add,
	 1, 1, 1, cmd_obstacle_add},
	{"obstacle", "resolve", "OBSTACLE_ID [--note T]", "Mark an obstacle resolved, saying how.", o_obstacle_resolve, 1,
	 1, 1, cmd_obstacle_resolve},
	{"obstacle", "list", "ID", "List the obstacles of a lead, open and resolved.", NULL, 1, 1, 1, cmd_obstacle_list},
	{"deal", "close", "ID --contract NO --amount YUAN --signed YYYY-MM-DD [--delivery YYYY-MM-DD] [--force]",
	 "Record the deal and win the lead. The lead moves to the last stage; the stages it skips pass\n"
	 "their gates, or --force (managers and admins) passes them. The quote that stands (the newest\n"
	 "round not rejected) must not wait for approval, and not every round may be rejected. A lead\n"
	 "won without a deal (forced) gets its deal recorded.",
	 o_deal_close, 1, 1, 1, cmd_deal_close},
	{"deal", "show", "ID", "Show the deal of a lead.", NULL, 1, 1, 1, cmd_deal_show},
	{"aftersales", "handover", "ID --to LOGIN [--note T]",
	 "Hand a won customer over to an after-sales user (the owner, a manager or an admin).",
	 o_aftersales_handover, 1, 1, 1, cmd_aftersales_handover},
	{"aftersales", "care", "ID --summary T [--outcome T] [--next TIME]",
	 "Record a care activity with a won customer. It is an activity of kind aftersales.",
	 o_aftersales_care, 1, 1, 1, cmd_aftersales_care},
	{"aftersales", "rate", "ID --score 1-5 [--note T]", "Record the customer's satisfaction (1-5) with a won deal.",
	 o_aftersales_rate, 1, 1, 1, cmd_aftersales_rate},
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
	{"channel", "spend", "KEY [--month YYYY-MM --amount YUAN]",
	 "Record what a channel cost in a month (admin or marketing; replaces that month's amount, audited),\n"
	 "or without --month list the channel's spend (admin, marketing, a manager without a team).\n"
	 "Used by report channels.",
	 o_channel_spend, 1, 1, 1, cmd_channel_spend},
	{"reason", "list", "", "The loss reasons.", NULL, 0, 0, 1, cmd_reason_list},
	{"reason", "add", "KEY --name N [--name-en N]", "Add a loss reason (admin only).", o_reason_add, 1, 1, 1,
	 cmd_reason_add},
	{"report", "funnel", "[--from D] [--to D] [filters] [--by DIM] [--csv]",
	 "The cohort funnel of the leads captured in the period. For each stage: reached, conversion to\n"
	 "the next, lost and open leads; wins, won amount, average deal and cycle time. See docs/reports.md.",
	 o_report, 0, 0, 1, cmd_report_funnel},
	{"report", "stages", "[--from D] [--to D] [filters] [--by DIM] [--csv]",
	 "Time in stage. From the first entry into a stage to the first entry into the next: count,\n"
	 "mean, median and 90th percentile in days.",
	 o_report, 0, 0, 1, cmd_report_stages},
	{"report", "flow", "[--from D] [--to D] [filters] [--by DIM] [--csv]",
	 "What happened in the period (events, not captures): first entries into each stage, wins with\n"
	 "the won amount, losses by stage and by reason. See docs/reports.md.",
	 o_report, 0, 0, 1, cmd_report_flow},
	{"report", "channels", "[--from D] [--to D] [filters] [--by channel] [--csv]",
	 "Per channel: leads (with invalid and duplicates), grade mix, conversion at every stage, wins,\n"
	 "revenue, spend (funnel channel spend), cost per lead and per deal, ROI. See docs/reports.md.",
	 o_report, 0, 0, 1, cmd_report_channels},
	{"report", "forecast", "[--from D] [--to D] [filters] [--by DIM] [--csv]",
	 "The open pipeline by expected close month: leads, expected amount, weighted by the configured\n"
	 "stage probability and by the win rate of the last 12 months. The period selects close months.",
	 o_report, 0, 0, 1, cmd_report_forecast},
	{"report", "sla", "[--from D] [--to D] [filters] [--by DIM] [--csv]",
	 "Follow-up deadlines due in the period: due, met on time, met late, breached, compliance; and the\n"
	 "deadlines overdue now. The period selects due dates; owner and grade are the deadline's.",
	 o_report, 0, 0, 1, cmd_report_sla},
	{"report", "scoring", "[--from D] [--to D] [filters] [--by DIM] [--csv]",
	 "Win rate of the closed leads (won or lost) captured in the period, by grade and by each value\n"
	 "of the B, N, D and U scores, with 95 % Wilson intervals.",
	 o_report, 0, 0, 1, cmd_report_scoring},
	{"report", "team", "[--from D] [--to D] [filters] [--csv]",
	 "Per rep: the funnel, conversion at each stage against the rest of the team (z-test, flagged\n"
	 "when p < 0.05 and both n >= 20), SLA compliance, activities, win rate, average deal, cycle time\n"
	 "and the stage to train on. See docs/reports.md.",
	 o_report, 0, 0, 1, cmd_report_team},
	{"report", "bottleneck", "[--from D] [--to D] [filters] [--by DIM] [--csv]",
	 "Where the funnel leaks: per stage, the conversion against the target (else the previous 3\n"
	 "periods), the wins and revenue lost, significance, and slow stages. Default: this month so far.",
	 o_report, 0, 0, 1, cmd_report_bottleneck},
	{"report", "targets", "[--period P] [--csv]",
	 "Each target of the period against the actual figure: attainment and pace (on track for the\n"
	 "elapsed part of the period or not). Default: the current month.",
	 o_report_targets, 0, 0, 1, cmd_report_targets},
	{"target", "set", "--metric M [--stage K] --scope company|team:T|user:L --period P --value V",
	 "Set a target (admins; managers for the company, their team and its users): leads entering a\n"
	 "stage, conversion to the next stage, wins, won amount or SLA compliance, for a month, quarter\n"
	 "or year. Setting it again changes the value. Audited.",
	 o_target_set, 0, 0, 1, cmd_target_set},
	{"target", "list", "[--period P]", "List the targets.", o_target_list, 0, 0, 1, cmd_target_list},
	{"plan", NULL, "--revenue YUAN --period P [--apply]",
	 "Plan a period from history (the leads of the 12 months before it): the wins the revenue needs at\n"
	 "the average deal, and the leads each stage needs at the historical conversions. --apply stores\n"
	 "them as the company's targets of the period.",
	 o_plan, 0, 0, 1, cmd_plan},
	{"whatif", NULL, "[--stage K] [--points N] [--from D] [--to D] [filters] [--csv]",
	 "What raising a stage's conversion by N points brings: extra wins and revenue on the current\n"
	 "funnel (default: the last 12 months). Without --stage, every stage ranked by it (N = 1).",
	 o_whatif, 0, 0, 1, cmd_whatif},
	{"import", NULL, "FILE [--channel KEY] [--map COLUMN=FIELD]... [--dry-run] [--strict] [--report FILE] [--history ...]",
	 "Import a lead list (CSV or XLSX). Every row is cleaned, checked for duplicates (also against\n"
	 "the earlier rows) and assigned as if added alone; headers in Chinese or English, and those of\n"
	 "Salesforce, HubSpot and Odoo exports, are matched to the fields. An interrupted import resumes\n"
	 "when run again; a file imported before creates nothing.\n"
	 "With --history, FILE is another CRM's opportunities (admin): each becomes a lead with its stage\n"
	 "events at the file's dates, won with a deal or lost with a reason, or open at its stage, all in\n"
	 "one transaction; an opportunity id imported before is skipped. See docs/import-history.md.",
	 o_import, 1, 1, 1, cmd_import},
	{"export", "leads", "[--stage K] [--status S] [--owner L] [--grade G] [--channel K] [--format csv|xlsx|json] [--out FILE]",
	 "Export the leads you may see as CSV for Excel, a workbook or JSON. One row per lead, newest\n"
	 "first, with the columns 'funnel import' reads back (company, contact, phone, ..., captured_at,\n"
	 "owner, the four scores) and read-only ones (id, stage, status, grade, score, amount, ...).\n"
	 "Every export is recorded in the audit log.",
	 o_export_leads, 0, 0, 1, cmd_export_leads},
	{"audit", NULL, "[--lead ID] [--limit N]", "The audit log: who changed what, when, before and after.", o_audit,
	 0, 0, 1, cmd_audit},
	{"backup", NULL, "FILE", "Write a consistent copy of the database to FILE (online; admin only).", NULL, 1, 1, 1, cmd_backup},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const char global_help[] =
	"Global options (anywhere on the line):\n"
	"  --db PATH       database file (default $FUNNEL_DB, else ./funnel.db)\n"
	"  --as LOGIN      act as this user (default $FUNNEL_USER, else admin)\n"
	"  --now TIME      the clock for this command, ISO 8601 (default: the real time)\n"
	"  --json          machine-readable output\n"
	"  --lang zh|en    language of names (default: the installation's, zh)\n"
	"  --help          help; --version (before the command) the version\n";

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
		fprintf(out, "  %-20s ", left);
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
		else if (strcmp(a, "--version") == 0 && out == 1)
			*version = 1; /* after the noun it is an option of the command (needs list --version N) */
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
			if (c->opts[k].multi) {
				if (a->nmany == sizeof a->many / sizeof a->many[0])
					return usage(c, "--%s given too many times", c->opts[k].name);
				a->many[a->nmany++] = a->val[k];
			} else if (a->set[k]) {
				return usage(c, "--%s given twice", c->opts[k].name);
			}
			a->set[k] = 1;
		} else {
			if (a->npos >= c->max_pos)
				return usage(c, "unexpected argument '%s'", s);
			a->pos[a->npos++] = s;
		}
	}
	if (a->npos < c->min_pos) {
		/* named as the synopsis names them: "ID", "FILE", the words before the first option */
		char names[128] = "";
		const char *p = c->synopsis ? c->synopsis : "";
		for (int k = 0; *p && *p != '[' && *p != '-';) {
			size_t n = strcspn(p, " ");
			if (k++ >= a->npos && k <= c->min_pos)
				snprintf(names + strlen(names), sizeof names - strlen(names), " %.*s", (int)n, p);
			p += n;
			p += strspn(p, " ");
		}
		return usage(c, c->min_pos - a->npos == 1 ? "missing argument%s" : "missing arguments%s", names);
	}
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

const char *const *arg_all(const struct args *a, size_t *n)
{
	*n = a->nmany;
	return a->many;
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
			fprintf(stderr, "funnel: unknown command '%s %s' (see 'funnel %s --help')\n", argv[1], argv[2],
				argv[1]);
			return EXIT_USAGE;
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
