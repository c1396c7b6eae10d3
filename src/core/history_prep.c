/*
 * core/history_prep.c - what a history import settles before it writes: the side files (accounts,
 * products, teams) with their spelling checks, the stage map, the products of the file against the
 * products file, and the owners: found among the users by name or login, or planned and then
 * created with their managers and teams.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/history.h"
#include "core/import_util.h"
#include "core/internal.h"
#include "core/spell.h"
#include "store/store.h"

#define PL(n, one, many) fnl__hist_pl((n), (one), (many))

/* ---- side files ---- */

enum { A_NAME, A_INDUSTRY, A_REGION, A_SIZE, A_COUNT };
static const char *const a_fields[] = {"account", "industry", "region", "size", NULL};
static const char *const a_syn[A_COUNT][FNL__SYNONYMS] = {
	[A_NAME] = {"account", "accountname", "company", "companyname", "customer", "name", "客户", "公司", NULL},
	[A_INDUSTRY] = {"sector", "industry", "行业", NULL},
	[A_REGION] = {"officelocation", "region", "country", "location", "地区", "区域", NULL},
	[A_SIZE] = {"employees", "size", "numberofemployees", "companysize", "规模", "员工人数", NULL},
};

enum { P_NAME, P_PRICE, P_COUNT };
static const char *const p_fields[] = {"product", "price", NULL};
static const char *const p_syn[P_COUNT][FNL__SYNONYMS] = {
	[P_NAME] = {"product", "productname", "name", "产品", NULL},
	[P_PRICE] = {"salesprice", "price", "listprice", "unitprice", "价格", "单价", NULL},
};

enum { T_AGENT, T_MANAGER, T_OFFICE, T_COUNT };
static const char *const t_fields[] = {"agent", "manager", "office", NULL};
static const char *const t_syn[T_COUNT][FNL__SYNONYMS] = {
	[T_AGENT] = {"salesagent", "agent", "salesrep", "rep", "owner", "name", "销售", "销售顾问", NULL},
	[T_MANAGER] = {"manager", "salesmanager", "经理", "销售经理", NULL},
	[T_OFFICE] = {"regionaloffice", "office", "region", "team", "区域", "团队", NULL},
};

/* One side file: each data record to fn with the columns of the fields. nreq fields from the
 * first are required. */
static int read_side(struct hist *h, const char *path, const char *what, const char *const *fields,
		     const char *const (*syn)[FNL__SYNONYMS], int nfields, int nreq,
		     int (*fn)(struct hist *h, const char *path, const struct fnl_record *rec, const int *col))
{
	struct fnl_error e;
	fnl_reader *rd;
	int rc = fnl_reader_open(path, NULL, NULL, NULL, &rd, &e);
	if (rc)
		return fnl__err(h->db, rc, what, "%s: %s", what, e.message);
	struct fnl_record rec;
	while ((rc = fnl_reader_next(rd, &rec, &e)) == FNL_READER_BROKEN)
		;
	if (rc != 1) {
		fnl_reader_close(rd);
		return rc == 0 ? fnl__err(h->db, FNL_EINVAL, what, "%s: '%s' has no header row", what, path)
			       : fnl__err(h->db, rc, what, "%s: %s", what, e.message);
	}
	int col[8];
	char mapping[512] = "", unknown[512] = "";
	if ((rc = fnl__import_map_header(h->db, fields, syn, nfields, NULL, 0, &rec, col, mapping, sizeof mapping,
					 unknown, sizeof unknown))) {
		fnl_reader_close(rd);
		return rc;
	}
	for (int f = 0; f < nreq; f++)
		if (col[f] < 0) {
			fnl_reader_close(rd);
			return fnl__err(h->db, FNL_EINVAL, what, "%s: no column of '%s' is the %s (%s, ...)", what, path,
					fields[f], syn[f][0]);
		}
	if (unknown[0])
		fnl__hist_quirk(h, "side_columns", 0, "%s: columns not imported: %s", path, unknown);
	while ((rc = fnl_reader_next(rd, &rec, &e)) != 0) {
		if (rc == FNL_READER_BROKEN) {
			fnl__hist_row(h, path, 0, FNL_HISTORY_NOTED, e.message, "", "", 0);
			continue;
		}
		if (rc != 1) {
			fnl_reader_close(rd);
			return fnl__err(h->db, rc, what, "%s: %s", what, e.message);
		}
		int empty = 1;
		for (size_t k = 0; k < rec.nfields && empty; k++)
			empty = fnl__import_blank(rec.fields[k]);
		if (empty)
			continue;
		if ((rc = fn(h, path, &rec, col))) {
			fnl_reader_close(rd);
			return rc;
		}
	}
	fnl_reader_close(rd);
	return 0;
}

static int oom(struct hist *h)
{
	return fnl__err(h->db, FNL_ENOMEM, NULL, "out of memory");
}

/* A trimmed value of a side record ("" when the column is missing or the value too long). */
static void side_value(const struct fnl_record *rec, const int *col, int f, char *buf, size_t len)
{
	const char *v = fnl__import_value(rec, col, f);
	if (!v || fnl__hist_trim(v, buf, len))
		buf[0] = '\0';
}

static int account_row(struct hist *h, const char *path, const struct fnl_record *rec, const int *col)
{
	char name[FNL_COMPANY_LEN], ind[FNL_NAME_LEN], reg[FNL_NAME_LEN], size[64];
	side_value(rec, col, A_NAME, name, sizeof name);
	if (!name[0])
		return 0;
	side_value(rec, col, A_INDUSTRY, ind, sizeof ind);
	side_value(rec, col, A_REGION, reg, sizeof reg);
	side_value(rec, col, A_SIZE, size, sizeof size);
	if (fnl__hmap_find(&h->acc, name) >= 0) {
		fnl__hist_row(h, path, rec->line, FNL_HISTORY_NOTED, "account listed twice: the first line is used", "",
			      name, 0);
		return 0;
	}
	long i = fnl__hmap_add(&h->acc, name);
	if (i < 0 || fnl__hmap_text(&h->acc, i, 0, ind) || fnl__hmap_text(&h->acc, i, 1, reg) ||
	    fnl__hmap_text(&h->acc, i, 2, size))
		return oom(h);
	h->acc.e[i].line = rec->line;
	return 0;
}

/* The largest price taken, in 分: 10^11 of the currency. */
#define PRICE_MAX INT64_C(10000000000000)

/* A price as written: digits (commas between them ignored), an optional decimal point; in 分,
 * rounded half up. -1 when it is not one, -2 when it is over PRICE_MAX. */
static int64_t price_of(const char *s)
{
	int64_t v = 0;
	int dec = -1, digits = 0, round = 0;
	for (; *s; s++) {
		if (*s == '.' && dec < 0) {
			dec = 0;
		} else if (*s >= '0' && *s <= '9') {
			digits++;
			if (dec >= 2) {
				if (dec++ == 2)
					round = *s >= '5';
				continue;
			}
			v = v * 10 + (*s - '0');
			if (v > PRICE_MAX)
				return -2;
			if (dec >= 0)
				dec++;
		} else if (*s != ',') {
			return -1;
		}
	}
	if (!digits)
		return -1;
	for (int k = dec < 0 ? 0 : dec; k < 2; k++)
		v *= 10;
	v += round;
	return v > PRICE_MAX ? -2 : v;
}

static int product_row(struct hist *h, const char *path, const struct fnl_record *rec, const int *col)
{
	char name[128], price[64], key[128];
	side_value(rec, col, P_NAME, name, sizeof name);
	if (!name[0])
		return 0;
	side_value(rec, col, P_PRICE, price, sizeof price);
	long i = fnl__hmap_add(&h->prod, name);
	if (i < 0)
		return oom(h);
	h->prod.e[i].line = rec->line;
	int64_t p = price[0] ? price_of(price) : -1;
	h->prod.e[i].num = p < 0 ? -1 : p;
	if (price[0] && p < 0)
		fnl__hist_row(h, path, rec->line, FNL_HISTORY_NOTED,
			      p == -2 ? "sales_price is over 100000000000: no expected amount"
				      : "sales_price is not a number: no expected amount",
			      "", name, 0);
	fnl__import_norm(name, key, sizeof key);
	long k = fnl__hmap_add(&h->prod_norm, key);
	if (k < 0 || (!h->prod_norm.e[k].text[0] && fnl__hmap_text(&h->prod_norm, k, 0, name)))
		return oom(h);
	h->prod_norm.e[k].count++;
	return 0;
}

static int team_row(struct hist *h, const char *path, const struct fnl_record *rec, const int *col)
{
	char agent[FNL_NAME_LEN], manager[FNL_NAME_LEN], office[FNL_NAME_LEN];
	side_value(rec, col, T_AGENT, agent, sizeof agent);
	side_value(rec, col, T_MANAGER, manager, sizeof manager);
	side_value(rec, col, T_OFFICE, office, sizeof office);
	if (!agent[0])
		return 0;
	if (fnl__hmap_find(&h->agents, agent) >= 0) {
		fnl__hist_row(h, path, rec->line, FNL_HISTORY_NOTED, "agent listed twice: the first line is used", "", "",
			      0);
		return 0;
	}
	long i = fnl__hmap_add(&h->agents, agent);
	if (i < 0 || fnl__hmap_text(&h->agents, i, 0, manager) || fnl__hmap_text(&h->agents, i, 1, office))
		return oom(h);
	h->agents.e[i].line = rec->line;
	if (!manager[0])
		return 0;
	long m = fnl__hmap_add(&h->managers, manager);
	if (m < 0)
		return oom(h);
	struct hentry *me = &h->managers.e[m];
	if (!me->count) {
		me->line = rec->line;
		if (fnl__hmap_text(&h->managers, m, 1, office))
			return oom(h);
	} else if (strcmp(me->text[1] ? me->text[1] : "", office) != 0) {
		me->flag = 1; /* agents in more than one office */
	}
	me->count++;
	return 0;
}

int fnl__hist_side_files(struct hist *h)
{
	const struct fnl_history_opts *o = h->o;
	int rc;
	if (o->accounts && (rc = read_side(h, o->accounts, "accounts", a_fields, a_syn, A_COUNT, 1, account_row)))
		return rc;
	if (o->products && (rc = read_side(h, o->products, "products", p_fields, p_syn, P_COUNT, 1, product_row)))
		return rc;
	if (o->teams && (rc = read_side(h, o->teams, "teams", t_fields, t_syn, T_COUNT, 2, team_row)))
		return rc;
	/* the team of each manager: "Office (Manager)", or the manager's name when the agents are in
	 * several offices */
	for (size_t m = 0; m < h->managers.n; m++) {
		struct hentry *me = &h->managers.e[m];
		char team[FNL_NAME_LEN];
		const char *office = me->text[1] ? me->text[1] : "";
		if (me->flag || !office[0]) {
			snprintf(team, sizeof team, "%s", me->key);
			if (me->flag)
				fnl__hist_quirk(h, "manager_offices", 1,
						"manager '%s' has agents in more than one office: the team is named '%s'",
						me->key, team);
		} else if ((size_t)snprintf(team, sizeof team, "%s (%s)", office, me->key) >= sizeof team) {
			/* "Office (Manager)" too long for a team name: cut, it could be another's */
			snprintf(team, sizeof team, "%s", me->key);
			fnl__hist_quirk(h, "team_name_long", 1,
					"the team of manager '%s' would be named '%s (%s)', longer than %d bytes: named '%s'",
					me->key, office, me->key, FNL_NAME_LEN - 1, team);
		}
		if (fnl__hmap_text(&h->managers, (long)m, 0, team))
			return oom(h);
	}
	return 0;
}

/* ---- the stage map ---- */

static const char *const won_words[] = {"won", "closedwon", "win", "成交", "赢单", NULL};
static const char *const lost_words[] = {"lost", "closedlost", "lose", "丢单", "输单", NULL};

static int in_words(const char *normed, const char *const *words)
{
	for (; *words; words++)
		if (strcmp(normed, *words) == 0)
			return 1;
	return 0;
}

/* What KEY of a map entry means: a stage position (open), HS_WON, HS_LOST; -1 for nothing. */
static int key_meaning(struct hist *h, const char *key, int *pos)
{
	*pos = 0;
	if (strcmp(key, "lost") == 0)
		return HS_LOST;
	if (strcmp(key, "won") == 0 || strcmp(key, h->stage_key[h->nstages]) == 0)
		return HS_WON;
	for (int k = 1; k < h->nstages; k++)
		if (strcmp(key, h->stage_key[k]) == 0) {
			*pos = k;
			return HS_OPEN;
		}
	return -1;
}

static int stage_list_text(struct hist *h, char *buf, size_t len)
{
	buf[0] = '\0';
	for (int k = 1; k <= h->nstages; k++)
		fnl__import_add_text(buf, len, ", ", h->stage_key[k]);
	fnl__import_add_text(buf, len, " or ", "lost");
	return 0;
}

/* The default meaning of a stage name: a stage's key or name, or a word for won or lost. */
static int default_meaning(struct hist *h, const struct fnl_stage *st, size_t n, const char *name, int *pos)
{
	char want[128], have[FNL_NAME_LEN];
	fnl__import_norm(name, want, sizeof want);
	*pos = 0;
	if (in_words(want, won_words))
		return HS_WON;
	if (in_words(want, lost_words))
		return HS_LOST;
	for (size_t i = 0; i < n; i++) {
		const char *names[3] = {st[i].key, st[i].name_en, st[i].name_zh};
		for (int k = 0; k < 3; k++) {
			fnl__import_norm(names[k], have, sizeof have);
			if (strcmp(want, have) == 0) {
				if (st[i].pos == h->nstages)
					return HS_WON;
				*pos = st[i].pos;
				return HS_OPEN;
			}
		}
	}
	return -1;
}

/* Apply one "NAME=KEY" of the map to the file's names; FNL_EINVAL for a bad entry. */
static int map_entry(struct hist *h, const char *entry)
{
	char buf[256], allowed[256];
	if (fnl__hist_trim(entry, buf, sizeof buf))
		return fnl__err(h->db, FNL_EINVAL, "stage-map", "stage-map: '%.40s...' is too long", entry);
	if (!buf[0])
		return 0;
	char *eq = strrchr(buf, '=');
	if (!eq)
		return fnl__err(h->db, FNL_EINVAL, "stage-map", "stage-map: '%s' is not THEIR_STAGE=KEY", buf);
	*eq = '\0';
	char name[128], key[FNL_KEY_LEN + 8], want[128], have[128];
	if (fnl__hist_trim(buf, name, sizeof name) || fnl__hist_trim(eq + 1, key, sizeof key) || !name[0] || !key[0])
		return fnl__err(h->db, FNL_EINVAL, "stage-map", "stage-map: '%s=%s' is not THEIR_STAGE=KEY", buf, eq + 1);
	int pos, meaning = key_meaning(h, key, &pos);
	if (meaning < 0) {
		stage_list_text(h, allowed, sizeof allowed);
		return fnl__err(h->db, FNL_EINVAL, "stage-map", "stage-map: '%s=%s': no stage '%s' (%s)", name, key, key,
				allowed);
	}
	fnl__import_norm(name, want, sizeof want);
	for (size_t i = 0; i < h->stages.n; i++) {
		fnl__import_norm(h->stages.e[i].key, have, sizeof have);
		if (strcmp(want, have) == 0) {
			h->stages.e[i].flag = meaning;
			h->stages.e[i].num = pos;
		}
	}
	return 0;
}

int fnl__hist_stage_map(struct hist *h)
{
	struct fnl_stage *st;
	size_t n;
	int rc = fnl_stage_list(h->db, NULL, &st, &n);
	if (rc)
		return rc;
	if (n < 2 || n > FNL_HISTORY_MAX_STAGES) {
		free(st);
		return fnl__err(h->db, FNL_EDB, NULL, "the pipeline has %zu stages", n);
	}
	h->nstages = (int)n;
	for (size_t i = 0; i < n; i++) {
		h->stage_id[st[i].pos] = st[i].id;
		snprintf(h->stage_key[st[i].pos], sizeof h->stage_key[0], "%s", st[i].key);
	}
	h->r->nstages = h->nstages;
	for (int k = 1; k <= h->nstages; k++)
		snprintf(h->r->stage[k], sizeof h->r->stage[k], "%s", h->stage_key[k]);
	/* first the defaults, then the map over them */
	for (size_t i = 0; i < h->stages.n; i++) {
		int pos;
		h->stages.e[i].flag = default_meaning(h, st, n, h->stages.e[i].key, &pos);
		h->stages.e[i].num = pos;
	}
	free(st);
	h->engaged_pos = 1;
	if (h->o->stage_map) {
		const char *p = h->o->stage_map;
		while (*p) {
			const char *end = strchr(p, ',');
			size_t len = end ? (size_t)(end - p) : strlen(p);
			char entry[256];
			if (len >= sizeof entry)
				return fnl__err(h->db, FNL_EINVAL, "stage-map", "stage-map: '%.40s...' is too long", p);
			memcpy(entry, p, len);
			entry[len] = '\0';
			if ((rc = map_entry(h, entry)))
				return rc;
			p += len + (end ? 1 : 0);
		}
	}
	/* how far won and lost leads went: the furthest open stage among the file's stage names (an
	 * entry of the map for a name the file does not have says nothing about it) */
	char missing[400] = "", allowed[256];
	for (size_t i = 0; i < h->stages.n; i++) {
		struct hentry *e = &h->stages.e[i];
		if (e->flag == HS_OPEN && e->num > h->engaged_pos)
			h->engaged_pos = (int)e->num;
		if (e->flag < 0) {
			char one[160];
			snprintf(one, sizeof one, "'%s' (%lld %s)", e->key, (long long)e->count, PL(e->count, "row", "rows"));
			fnl__import_add_text(missing, sizeof missing, ", ", one);
		}
	}
	if (missing[0]) {
		stage_list_text(h, allowed, sizeof allowed);
		return fnl__err(h->db, FNL_EINVAL, "stage-map",
				"stage-map: the file's stages %s are not mapped: give --stage-map 'THEIR_STAGE=KEY,...'"
				" (KEY: %s)",
				missing, allowed);
	}
	h->lost_pos = h->engaged_pos;
	if (h->o->lost_at) {
		int pos, meaning = key_meaning(h, h->o->lost_at, &pos);
		if (meaning != HS_OPEN) {
			allowed[0] = '\0';
			for (int k = 1; k < h->nstages; k++)
				fnl__import_add_text(allowed, sizeof allowed, ", ", h->stage_key[k]);
			return fnl__err(h->db, FNL_EINVAL, "lost-at", "lost-at: '%s' is not a stage a lead can be lost at (%s)",
					h->o->lost_at, allowed);
		}
		h->lost_pos = pos;
	}
	snprintf(h->r->lost_stage, sizeof h->r->lost_stage, "%s", h->stage_key[h->lost_pos]);
	snprintf(h->r->engaged_stage, sizeof h->r->engaged_stage, "%s", h->stage_key[h->engaged_pos]);
	/* the result lists the names with their meaning */
	for (size_t i = 0; i < h->stages.n && h->r->nnames < FNL_HISTORY_MAX_NAMES; i++) {
		struct hentry *e = &h->stages.e[i];
		int k = h->r->nnames++;
		snprintf(h->r->names[k].name, sizeof h->r->names[k].name, "%s", e->key);
		snprintf(h->r->names[k].key, sizeof h->r->names[k].key, "%s",
			 e->flag == HS_WON ? "won" : e->flag == HS_LOST ? "lost" : h->stage_key[e->num]);
		h->r->names[k].rows = e->count;
	}
	return 0;
}

/* ---- spelling ---- */

/* One misspelled value of an account's column k (0 sector, 1 office_location). */
static int misspelled(struct hist *h, long a, int k)
{
	static const char *const column[2] = {"sector", "office_location"};
	struct hentry *ae = &h->acc.e[a];
	const char *value = ae->text[k] ? ae->text[k] : "";
	const char *known = value[0] ? fnl__spell_known(k ? FNL__WORDS_COUNTRY : FNL__WORDS_INDUSTRY, value) : NULL;
	if (!known)
		return 0;
	char why[300], key[200];
	snprintf(why, sizeof why, "%s '%s' %s '%s' (one letter from a known %s)", column[k], value,
		 h->o->keep_spelling ? "kept; it looks like" : "read as", known, k ? "country" : "industry");
	fnl__hist_row(h, h->o->accounts, ae->line, FNL_HISTORY_NOTED, why, "", ae->key, 0);
	snprintf(key, sizeof key, "%s\x1f%s", column[k], value);
	long s = fnl__hmap_add(&h->spell, key);
	if (s < 0 || (!h->spell.e[s].text[0] && fnl__hmap_text(&h->spell, s, 0, known)))
		return oom(h);
	long p = fnl__hmap_find(&h->accounts, ae->key);
	if (!h->spell.e[s].count)
		h->spell.e[s].num = 0;
	h->spell.e[s].count++;
	h->spell.e[s].num += p >= 0 ? h->accounts.e[p].count : 0;
	h->spell.e[s].flag = k;
	return h->o->keep_spelling ? 0 : fnl__hmap_text(&h->acc, a, k, known) ? oom(h) : 0;
}

int fnl__hist_spelling(struct hist *h)
{
	int rc;
	for (size_t a = 0; a < h->acc.n; a++)
		for (int k = 0; k < 2; k++)
			if ((rc = misspelled(h, (long)a, k)))
				return rc;
	for (size_t s = 0; s < h->spell.n; s++) {
		struct hentry *e = &h->spell.e[s];
		const char *sep = strchr(e->key, '\x1f');
		fnl__hist_quirk(h, e->flag ? "country_spelling" : "sector_spelling", e->count,
				"%.*s '%s' (%lld %s, %lld %s) %s '%s': one letter from a known %s%s", (int)(sep - e->key),
				e->key, sep + 1, (long long)e->count, PL(e->count, "account", "accounts"), (long long)e->num,
				PL(e->num, "opportunity", "opportunities"),
				h->o->keep_spelling ? "kept as written; it looks like" : "read as", e->text[0],
				e->flag ? "country" : "industry",
				h->o->keep_spelling ? "" : " (--keep-spelling keeps the file's spelling)");
	}
	return 0;
}

/* ---- products ---- */

/* One quirk for many values: "'a' (3 rows) read as 'A', ..." as far as it fits, then "...". */
struct value_list {
	char text[420];
	int64_t values, rows;
	int full;
};

static void value_add(struct value_list *v, const char *one, int64_t rows)
{
	v->values++;
	v->rows += rows;
	if (v->full)
		return;
	if (strlen(v->text) + strlen(one) + 8 >= sizeof v->text) {
		fnl__import_add_text(v->text, sizeof v->text, ", ", "...");
		v->full = 1;
		return;
	}
	fnl__import_add_text(v->text, sizeof v->text, ", ", one);
}

void fnl__hist_products(struct hist *h)
{
	if (!h->o->products)
		return;
	struct value_list spelled = {0}, unknown = {0};
	char one[300];
	for (size_t i = 0; i < h->products.n; i++) {
		struct hentry *e = &h->products.e[i];
		long p = fnl__hmap_find(&h->prod, e->key);
		if (p >= 0) {
			e->num = h->prod.e[p].num;
			continue;
		}
		char key[128];
		fnl__import_norm(e->key, key, sizeof key);
		long k = fnl__hmap_find(&h->prod_norm, key);
		if (k >= 0 && h->prod_norm.e[k].count == 1) {
			const char *name = h->prod_norm.e[k].text[0];
			if (fnl__hmap_text(&h->products, (long)i, 0, name))
				continue;
			e = &h->products.e[i];
			e->num = h->prod.e[fnl__hmap_find(&h->prod, name)].num;
			e->flag = 1;
			snprintf(one, sizeof one, "'%s' (%lld %s) as '%s'", e->key, (long long)e->count,
				 PL(e->count, "row", "rows"), name);
			value_add(&spelled, one, e->count);
		} else {
			snprintf(one, sizeof one, "'%s' (%lld %s)", e->key, (long long)e->count, PL(e->count, "row", "rows"));
			value_add(&unknown, one, e->count);
		}
	}
	if (spelled.values)
		fnl__hist_quirk(h, "product_spelling", spelled.rows,
				"%lld %s read as the product of %s that is the same but for spaces and case: %s",
				(long long)spelled.values, PL(spelled.values, "product was", "products were"), h->o->products,
				spelled.text);
	if (unknown.values)
		fnl__hist_quirk(h, "product_unknown", unknown.rows,
				"%lld %s not in %s: kept as written, no expected amount from a price: %s",
				(long long)unknown.values, PL(unknown.values, "product is", "products are"), h->o->products,
				unknown.text);
}

/* ---- owners and users ---- */

/* A login of a full name: "Moses Frase" -> moses.frase; Latin letters with accents lose them,
 * other letters are dropped. "" when nothing is left. */
static void login_of(const char *name, char *out, size_t len)
{
	static const char latin1[] = "aaaaaaaceeeeiiiidnooooo/ouuuuyty"; /* U+00E0..U+00FF */
	size_t k = 0;
	int sep = 0;
	for (const unsigned char *p = (const unsigned char *)name; *p && k + 1 < len; p++) {
		char c = 0;
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
			c = (char)*p;
		else if (*p >= 'A' && *p <= 'Z')
			c = (char)(*p - 'A' + 'a');
		else if (*p == 0xc3 && p[1] >= 0x80 && p[1] <= 0xbf) {
			/* U+00C0..U+00FF: upper and lower case share the table */
			unsigned idx = (unsigned)(p[1] - 0x80) % 32;
			c = latin1[idx];
			if (c == '/' || c == 'd' || c == 't')
				c = idx == 16 ? 'd' : idx == 30 ? 't' : 0; /* ð, þ; × and ÷ are no letters */
			if (p[1] == 0x9f)
				c = 's'; /* ß */
			p++;
		} else if (*p == '-' || *p == ' ' || *p == '.' || *p == '_') {
			if (k)
				sep = *p == '-' ? '-' : '.';
			continue;
		} else {
			while ((p[1] & 0xc0) == 0x80)
				p++;
			continue;
		}
		if (!c)
			continue;
		if (sep && k + 2 < len)
			out[k++] = (char)sep;
		sep = 0;
		out[k++] = c;
	}
	out[k] = '\0';
	if (k > 32)
		out[32] = '\0';
	while ((k = strlen(out)) && (out[k - 1] == '.' || out[k - 1] == '-'))
		out[k - 1] = '\0';
}

/* 1 when another name of the run (owner, manager, agent) makes the same login as name. */
static int login_shared(struct hist *h, const char *name, const char *login)
{
	const struct hmap *maps[3] = {&h->owners, &h->managers, &h->agents};
	char other[FNL_KEY_LEN];
	for (int m = 0; m < 3; m++)
		for (size_t i = 0; i < maps[m]->n; i++) {
			if (strcmp(maps[m]->e[i].key, name) == 0)
				continue;
			login_of(maps[m]->e[i].key, other, sizeof other);
			if (strcmp(other, login) == 0)
				return 1;
		}
	return 0;
}

static int login_planned_elsewhere(struct hist *h, const char *login, const char *name);

/*
 * The user a name of the file stands for: the only user with that name (among several of that
 * name, the one whose login is the name's); else the user whose login is the name as written (a
 * file of logins), or the name's login (Moses Frase -> moses.frase, a user added by hand) when no
 * other name of the file makes the same login and this run did not create that user for another
 * name: two owners "Wei 张" and "Wei 王" are not one user. *found 1 and u filled, or 0.
 */
static int find_user(struct hist *h, const char *name, struct fnl_user *u, int *found)
{
	static const char sql[] = "SELECT login FROM user WHERE name = ?";
	*found = 0;
	sqlite3_stmt *st = fnl__stmt(h->db, sql);
	if (!st)
		return h->db->err.code;
	fnl__bind_text(st, 1, name);
	char login[FNL_KEY_LEN] = "", one[FNL_KEY_LEN], own[FNL_KEY_LEN];
	login_of(name, own, sizeof own);
	int hits = 0, rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		fnl__col_text(st, 0, one, sizeof one);
		if (!hits++ || strcmp(one, own) == 0)
			snprintf(login, sizeof login, "%s", one);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fnl__sqlerr(h->db, rc, "find users");
	if (hits > 1 && strcmp(login, own) != 0)
		return fnl__err(h->db, FNL_EINVAL, "owner", "owner: %d users are named '%s': give them different names",
				hits, name);
	if (hits) {
		if ((rc = fnl_user_get(h->db, login, u)))
			return rc;
		*found = 1;
		return 0;
	}
	/* the name as a login, then the name's login */
	const char *try[2] = {name, own};
	for (int k = 0; k < 2; k++) {
		if (!try[k][0] || (k == 1 && (login_shared(h, name, own) || login_planned_elsewhere(h, own, name))))
			continue;
		rc = fnl_user_get(h->db, try[k], u);
		if (rc == 0) {
			*found = 1;
			return 0;
		}
		if (rc != FNL_ENOTFOUND && rc != FNL_EINVAL)
			return rc;
		fnl_error_clear(&h->db->err);
	}
	return 0;
}

/* The login already planned for a new user of name in this run (as an owner, a manager or an
 * agent), or NULL. */
static const char *planned_login(struct hist *h, const char *name)
{
	long i;
	if ((i = fnl__hmap_find(&h->owners, name)) >= 0 && h->owners.e[i].text[0])
		return h->owners.e[i].text[0];
	if ((i = fnl__hmap_find(&h->managers, name)) >= 0 && h->managers.e[i].text[2])
		return h->managers.e[i].text[2];
	if ((i = fnl__hmap_find(&h->agents, name)) >= 0 && h->agents.e[i].text[2])
		return h->agents.e[i].text[2];
	return NULL;
}

/* 1 when login is planned (or taken) for another name of this run. */
static int login_planned_elsewhere(struct hist *h, const char *login, const char *name)
{
	const struct hmap *maps[3] = {&h->owners, &h->managers, &h->agents};
	const int k[3] = {0, 2, 2};
	for (int m = 0; m < 3; m++)
		for (size_t i = 0; i < maps[m]->n; i++) {
			const char *t = maps[m]->e[i].text[k[m]];
			if (t && strcmp(t, login) == 0 && strcmp(maps[m]->e[i].key, name) != 0)
				return 1;
		}
	return 0;
}

/* 1 when login belongs to a user, or is planned for another name of this run. */
static int login_in_use(struct hist *h, const char *login, const char *name)
{
	struct fnl_user u;
	if (fnl_user_get(h->db, login, &u) == 0)
		return 1;
	fnl_error_clear(&h->db->err);
	return login_planned_elsewhere(h, login, name);
}

/* The login of a new user named name: the name's own (moses.frase), or with -2, -3, ... when a user
 * or another name of this run has it; user.1, user.2, ... for a name without Latin letters. */
static int plan_login(struct hist *h, const char *name, char *out, size_t len)
{
	const char *p = planned_login(h, name);
	if (p) {
		snprintf(out, len, "%s", p);
		return 0;
	}
	char base[FNL_KEY_LEN];
	login_of(name, base, sizeof base);
	for (int n = 1; n < 100000; n++) {
		if (!base[0])
			snprintf(out, len, "user.%d", n);
		else if (n == 1)
			snprintf(out, len, "%s", base);
		else
			snprintf(out, len, "%.24s-%d", base, n);
		if (!login_in_use(h, out, name))
			return 0;
	}
	return fnl__err(h->db, FNL_EINVAL, "owner", "owner: no free login for '%s'", name);
}

/* The login this run created a user with for name (as a manager, an agent or an owner), or NULL. */
static const char *created_login(struct hist *h, const char *name)
{
	long i;
	if ((i = fnl__hmap_find(&h->managers, name)) >= 0 && h->managers.e[i].text[2])
		return h->managers.e[i].text[2];
	if ((i = fnl__hmap_find(&h->agents, name)) >= 0 && h->agents.e[i].text[2])
		return h->agents.e[i].text[2];
	if ((i = fnl__hmap_find(&h->owners, name)) >= 0 && h->owners.e[i].flag == 1)
		return h->owners.e[i].text[0];
	return NULL;
}

/* The quirks of the logins made: names that met another's login, names without Latin letters. */
static void login_quirks(struct hist *h)
{
	char taken[300] = "", latin[300] = "";
	int64_t ntaken = 0, nlatin = 0;
	const struct hmap *maps[3] = {&h->managers, &h->agents, &h->owners};
	for (int m = 0; m < 3; m++)
		for (size_t i = 0; i < maps[m]->n; i++) {
			const char *name = maps[m]->e[i].key, *login = created_login(h, name);
			/* each name once: in the first map that has it */
			if (!login || (m > 0 && fnl__hmap_find(&h->managers, name) >= 0) ||
			    (m > 1 && fnl__hmap_find(&h->agents, name) >= 0))
				continue;
			char base[FNL_KEY_LEN], one[200];
			login_of(name, base, sizeof base);
			if (strcmp(base, login) == 0)
				continue;
			snprintf(one, sizeof one, "'%s' %s", name, login);
			if (base[0]) {
				ntaken++;
				fnl__import_add_text(taken, sizeof taken, ", ", one);
			} else {
				nlatin++;
				fnl__import_add_text(latin, sizeof latin, ", ", one);
			}
		}
	if (ntaken)
		fnl__hist_quirk(h, "login_taken", ntaken,
				"%lld %s the login of another user or name: created with a number (%s)", (long long)ntaken,
				PL(ntaken, "name would have had", "names would have had"), taken);
	if (nlatin)
		fnl__hist_quirk(h, "login_numbered", nlatin,
				"%lld %s no Latin letters to make a login of: created as user.N (%s)", (long long)nlatin,
				PL(nlatin, "name has", "names have"), latin);
}

int fnl__hist_owners_check(struct hist *h)
{
	char unknown[360] = "";
	int64_t nunknown = 0, not_in_teams = 0;
	char outside[300] = "";
	for (size_t i = 0; i < h->owners.n; i++) {
		struct hentry *e = &h->owners.e[i];
		struct fnl_user u;
		int found, rc = find_user(h, e->key, &u, &found);
		if (rc)
			return rc;
		if (h->o->teams && fnl__hmap_find(&h->agents, e->key) < 0 && fnl__hmap_find(&h->managers, e->key) < 0) {
			not_in_teams++;
			fnl__import_add_text(outside, sizeof outside, ", ", e->key);
		}
		if (found) {
			if (strcmp(u.role, "sales") && strcmp(u.role, "manager"))
				return fnl__err(h->db, FNL_EINVAL, "owner",
						"owner: '%s' is user '%s' (%s); only sales and manager users own leads", e->key,
						u.login, u.role);
			e->num = u.id;
			if (fnl__hmap_text(&h->owners, (long)i, 0, u.login))
				return oom(h);
			continue;
		}
		if (!h->o->create_users) {
			char one[140];
			snprintf(one, sizeof one, "'%s'", e->key);
			if (nunknown < 5)
				fnl__import_add_text(unknown, sizeof unknown, ", ", one);
			nunknown++;
			continue;
		}
		char login[FNL_KEY_LEN];
		if ((rc = plan_login(h, e->key, login, sizeof login)))
			return rc;
		e->num = 0; /* created in the transaction */
		if (fnl__hmap_text(&h->owners, (long)i, 0, login))
			return oom(h);
	}
	if (nunknown)
		return fnl__err(h->db, FNL_EINVAL, "owner",
				"owner: %lld %s of the file %s (%s%s): add them, or give --create-users",
				(long long)nunknown, PL(nunknown, "owner", "owners"), PL(nunknown, "is not a user", "are not users"),
				unknown,
				nunknown > 5 ? ", ..." : "");
	if (not_in_teams)
		fnl__hist_quirk(h, "owner_not_in_teams", not_in_teams, "%lld %s not in %s (%s)%s",
				(long long)not_in_teams, PL(not_in_teams, "owner is", "owners are"), h->o->teams, outside,
				h->o->create_users ? ": created without a team" : "");
	return 0;
}

/* The user of name, created with role and team when missing (its login planned in map m, text k);
 * *created 1 when it was. */
static int ensure_user(struct hist *h, const char *name, const char *role, const char *team, struct hmap *m,
		       int k, int64_t *id, int *created, char *login, size_t llen)
{
	struct fnl_user u;
	*created = 0;
	int found, rc = find_user(h, name, &u, &found);
	if (rc)
		return rc;
	if (found) {
		*id = u.id;
		snprintf(login, llen, "%s", u.login);
		if (team && strcmp(u.team, team) != 0) {
			h->kept_team++;
			fnl__import_add_text(h->kept_names, sizeof h->kept_names, ", ", u.login);
		}
		return 0;
	}
	char lg[FNL_KEY_LEN];
	long i = fnl__hmap_find(m, name);
	if ((rc = plan_login(h, name, lg, sizeof lg)))
		return rc;
	if (i >= 0 && !m->e[i].text[k] && fnl__hmap_text(m, i, k, lg))
		return oom(h);
	if (team && team[0]) {
		static const char sql[] = "SELECT 1 FROM team WHERE name = ?";
		sqlite3_stmt *st = fnl__stmt(h->db, sql);
		if (!st)
			return h->db->err.code;
		fnl__bind_text(st, 1, team);
		int exists = sqlite3_step(st) == SQLITE_ROW;
		sqlite3_reset(st);
		if (!exists)
			h->r->teams_created++;
	}
	if ((rc = fnl_user_add(h->db, h->ctx, lg, name, role, team, &u)))
		return rc;
	*id = u.id;
	*created = 1;
	snprintf(login, llen, "%s", u.login);
	h->r->users_created++;
	if (strcmp(role, "manager") == 0)
		h->r->managers_created++;
	return 0;
}

int fnl__hist_users_create(struct hist *h)
{
	int rc, created;
	char login[FNL_KEY_LEN];
	if (!h->o->create_users)
		return 0;
	/* managers with their teams, then every agent of the teams file, then the other owners */
	for (size_t m = 0; m < h->managers.n; m++) {
		struct hentry *me = &h->managers.e[m];
		if ((rc = ensure_user(h, me->key, "manager", me->text[0], &h->managers, 2, &me->num, &created, login,
				      sizeof login)))
			return rc;
		me = &h->managers.e[m];
	}
	int64_t idle = 0;
	char idle_names[300] = "";
	for (size_t a = 0; a < h->agents.n; a++) {
		struct hentry *ae = &h->agents.e[a];
		long m = ae->text[0] && ae->text[0][0] ? fnl__hmap_find(&h->managers, ae->text[0]) : -1;
		const char *team = m >= 0 ? h->managers.e[m].text[0] : NULL;
		int64_t id;
		if (fnl__hmap_find(&h->managers, ae->key) >= 0)
			continue; /* a manager listed as an agent too */
		if ((rc = ensure_user(h, ae->key, "sales", team, &h->agents, 2, &id, &created, login, sizeof login)))
			return rc;
		ae = &h->agents.e[a];
		if (fnl__hmap_find(&h->owners, ae->key) < 0) {
			idle++;
			fnl__import_add_text(idle_names, sizeof idle_names, ", ", ae->key);
			fnl__hist_row(h, h->o->teams, ae->line, FNL_HISTORY_NOTED,
				      created ? "agent without opportunities: user created in the team"
					      : "agent without opportunities",
				      "", "", 0);
		}
	}
	if (idle)
		fnl__hist_quirk(h, "agent_without_opportunities", idle,
				"%lld %s of %s %s no opportunity (%s): users all the same, members of their teams",
				(long long)idle, PL(idle, "agent", "agents"), h->o->teams, PL(idle, "has", "have"), idle_names);
	for (size_t i = 0; i < h->owners.n; i++) {
		struct hentry *e = &h->owners.e[i];
		if (e->num > 0)
			continue;
		if ((rc = ensure_user(h, e->key, "sales", NULL, &h->owners, 0, &e->num, &created, login, sizeof login)))
			return rc;
		e->flag = created;
	}
	login_quirks(h);
	if (h->kept_team)
		fnl__hist_quirk(h, "user_team_kept", h->kept_team,
				"%lld %s in another team than the teams file says (%s): kept as %s",
				(long long)h->kept_team, PL(h->kept_team, "user was", "users were"), h->kept_names,
				PL(h->kept_team, "it was", "they were"));
	return 0;
}

/* ---- near names ---- */

/* Values of one column one edit apart (or differing only in case): reported, kept apart. */
static void near_in(struct hist *h, const struct hmap *m, const char *column, int text_k)
{
	if (m->n > 3000)
		return; /* n^2 comparisons: a column of free text, not of names */
	for (size_t i = 0; i < m->n; i++)
		for (size_t j = i + 1; j < m->n; j++) {
			const char *a = text_k >= 0 && m->e[i].text[text_k] ? m->e[i].text[text_k] : m->e[i].key;
			const char *b = text_k >= 0 && m->e[j].text[text_k] ? m->e[j].text[text_k] : m->e[j].key;
			if (strcmp(a, b) == 0 || !(fnl__spell_same(a, b) || fnl__spell_one_edit(a, b)))
				continue;
			fnl__hist_quirk(h, "near_names", 1,
					"%s: '%s' (%lld) and '%s' (%lld) differ by one letter: kept apart, check them", column,
					a, (long long)m->e[i].count, b, (long long)m->e[j].count);
		}
}

void fnl__hist_near_names(struct hist *h)
{
	near_in(h, &h->owners, "owner", -1);
	near_in(h, &h->accounts, "account", -1);
	near_in(h, &h->products, "product", 0);
	near_in(h, &h->stages, "stage", -1);
	near_in(h, &h->managers, "manager", -1);
	/* sectors and countries of the accounts file as imported */
	for (int k = 0; k < 2; k++) {
		struct hmap vals = {0};
		for (size_t i = 0; i < h->acc.n; i++) {
			const char *v = h->acc.e[i].text[k];
			long j = v && v[0] ? fnl__hmap_add(&vals, v) : -1;
			if (j >= 0)
				vals.e[j].count++;
		}
		near_in(h, &vals, k == 0 ? "sector" : "office_location", -1);
		fnl__hmap_free(&vals);
	}
}
