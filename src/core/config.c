/* core/config.c - the configuration keys, their types and checks, and the cached settings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/clean.h"
#include "core/settings.h"
#include "store/store.h"

enum ctype { T_LANG, T_TZ, T_CURRENCY, T_WORKWEEK, T_HUNDREDTHS, T_INT, T_WORDS, T_PHONES, T_ONOFF };

struct key {
	const char *key;
	enum ctype type;
	int64_t min, max; /* T_INT: the range; T_HUNDREDTHS: in hundredths */
	const char *help;
};

static const struct key keys[] = {
	{"lang", T_LANG, 0, 0, "language of names shown to people: zh or en"},
	{"timezone", T_TZ, 0, 0, "time zone of the installation (IANA name, e.g. Asia/Shanghai)"},
	{"currency", T_CURRENCY, 0, 0, "currency of all amounts (ISO 4217 code)"},
	{"calendar.workweek", T_WORKWEEK, 0, 0, "working days of the week, e.g. mon,tue,wed,thu,fri"},
	{"score.weight.budget", T_HUNDREDTHS, 0, 10000, "weight of the budget score (B), up to 2 decimals"},
	{"score.weight.need", T_HUNDREDTHS, 0, 10000, "weight of the need score (N), up to 2 decimals"},
	{"score.weight.decision", T_HUNDREDTHS, 0, 10000, "weight of the decision score (D), up to 2 decimals"},
	{"score.weight.urgency", T_HUNDREDTHS, 0, 10000, "weight of the urgency score (U), up to 2 decimals"},
	{"score.grade_a_min", T_HUNDREDTHS, 0, 1000000, "lowest total graded A (high intent)"},
	{"score.grade_b_min", T_HUNDREDTHS, 0, 1000000, "lowest total graded B (medium intent); below is C"},
	{"sla.a_hours", T_INT, 1, 8760, "hours to follow up an A lead after grading"},
	{"sla.b_working_days", T_INT, 1, 60, "working days to follow up a B lead (grading date not counted)"},
	{"nurture.touch_days", T_INT, 1, 365, "days between nurture touches of a C lead"},
	{"nurture.reevaluate_days", T_INT, 1, 365, "days between re-evaluations of a C lead"},
	{"clean.test_words", T_WORDS, 0, 0, "comma-separated words marking test data in company or contact"},
	{"clean.phone_blocklist", T_PHONES, 0, 0, "comma-separated phone numbers treated as test numbers"},
	{"clean.target_industries", T_WORDS, 0, 0,
	 "comma-separated target industries; leads of others are invalid (empty: all)"},
	{"gate.propose", T_ONOFF, 0, 0, "entering propose needs a customer-confirmed needs list (on/off)"},
	{"gate.negotiate", T_ONOFF, 0, 0, "entering negotiate needs at least one solution item (on/off)"},
	{"gate.won", T_ONOFF, 0, 0, "entering the last stage needs a deal: contract amount and date (on/off)"},
	{"quote.discount_limit", T_HUNDREDTHS, 0, 10000,
	 "highest discount (%) a quote may give without a manager's approval"},
};

#define NKEYS (sizeof keys / sizeof keys[0])

static const char *const weekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static const struct key *find_key(const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].key, name) == 0)
			return &keys[i];
	return NULL;
}

int fnl__parse_hundredths(const char *s, int64_t *out)
{
	int64_t v = 0;
	const char *p = s;
	if (!(*p >= '0' && *p <= '9'))
		return -1;
	for (; *p >= '0' && *p <= '9'; p++) {
		if (v > 100000000)
			return -1;
		v = v * 10 + (*p - '0');
	}
	v *= 100;
	if (*p == '.') {
		p++;
		if (!(*p >= '0' && *p <= '9'))
			return -1;
		v += (*p++ - '0') * 10;
		if (*p >= '0' && *p <= '9')
			v += *p++ - '0';
	}
	if (*p)
		return -1;
	*out = v;
	return 0;
}

static int parse_int(const char *s, int64_t *out)
{
	if (!*s || strlen(s) > 12)
		return -1;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end || s[0] == '+' || s[0] == ' ')
		return -1;
	*out = v;
	return 0;
}

static int parse_workweek(const char *s, unsigned *mask)
{
	unsigned m = 0;
	char buf[128];
	if (strlen(s) >= sizeof buf)
		return -1;
	snprintf(buf, sizeof buf, "%s", s);
	char *save = NULL;
	for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		size_t d;
		for (d = 0; d < 7 && strcmp(t, weekdays[d]) != 0; d++)
			;
		if (d == 7 || (m & (1u << d)))
			return -1;
		m |= 1u << d;
	}
	if (!m)
		return -1;
	*mask = m;
	return 0;
}

/* Check value for key k; on success the normalised value is in norm. */
static int check_value(fnl_db *db, const struct key *k, const char *value, char *norm, size_t len)
{
	int64_t v;
	snprintf(norm, len, "%s", value);
	switch (k->type) {
	case T_LANG:
		if (strcmp(value, "zh") && strcmp(value, "en"))
			return fnl__err(db, FNL_EINVAL, k->key, "%s: '%s' is not a language (zh or en)", k->key, value);
		return 0;
	case T_TZ: {
		fnl_tz *tz = NULL;
		struct fnl_error e;
		if (fnl_tz_load(value, &tz, &e))
			return fnl__err(db, FNL_EINVAL, k->key, "%s: %s", k->key, e.message);
		fnl_tz_free(tz);
		return 0;
	}
	case T_CURRENCY:
		if (strlen(value) != 3 || value[0] < 'A' || value[0] > 'Z' || value[1] < 'A' ||
		    value[1] > 'Z' || value[2] < 'A' || value[2] > 'Z')
			return fnl__err(db, FNL_EINVAL, k->key, "%s: '%s' is not a currency code like CNY", k->key, value);
		return 0;
	case T_WORKWEEK: {
		unsigned m;
		if (parse_workweek(value, &m))
			return fnl__err(db, FNL_EINVAL, k->key,
					"%s: '%s' is not a list of distinct days (mon,tue,wed,thu,fri,sat,sun)",
					k->key, value);
		norm[0] = '\0';
		for (int d = 0; d < 7; d++)
			if (m & (1u << d))
				snprintf(norm + strlen(norm), len - strlen(norm), "%s%s", norm[0] ? "," : "", weekdays[d]);
		return 0;
	}
	case T_HUNDREDTHS:
		if (fnl__parse_hundredths(value, &v) || v < k->min || v > k->max)
			return fnl__err(db, FNL_EINVAL, k->key,
					"%s: '%s' is not a number from %lld to %lld with at most 2 decimals", k->key,
					value, (long long)(k->min / 100), (long long)(k->max / 100));
		return 0;
	case T_INT:
		if (parse_int(value, &v) || v < k->min || v > k->max)
			return fnl__err(db, FNL_EINVAL, k->key, "%s: '%s' is not a whole number from %lld to %lld",
					k->key, value, (long long)k->min, (long long)k->max);
		return 0;
	case T_WORDS:
		if (strlen(value) >= 1024)
			return fnl__err(db, FNL_EINVAL, k->key, "%s: too long (at most 1023 bytes)", k->key);
		return 0;
	case T_ONOFF:
		if (strcmp(value, "on") && strcmp(value, "off"))
			return fnl__err(db, FNL_EINVAL, k->key, "%s: '%s' is not on or off", k->key, value);
		return 0;
	case T_PHONES: {
		if (strlen(value) >= 1024)
			return fnl__err(db, FNL_EINVAL, k->key, "%s: too long (at most 1023 bytes)", k->key);
		char buf[1024], out[64];
		snprintf(buf, sizeof buf, "%s", value);
		char *save = NULL;
		for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
			if (!fnl__clean_phone(t, out, sizeof out))
				return fnl__err(db, FNL_EINVAL, k->key, "%s: '%s' is not a phone number", k->key, t);
		}
		return 0;
	}
	}
	return 0;
}

static int get_raw(fnl_db *db, const char *key, char *buf, size_t len)
{
	static const char sql[] = "SELECT value FROM config WHERE key = ?";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	fnl__bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		fnl__col_text(st, 0, buf, len);
		sqlite3_reset(st);
		return 0;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fnl__sqlerr(db, rc, "read config");
	return fnl__err(db, FNL_ENOTFOUND, "key", "no config key '%s'", key);
}

int fnl__settings_load(fnl_db *db)
{
	struct fnl__settings s;
	memset(&s, 0, sizeof s);
	char v[1024];
	int rc;
	int64_t n;
#define GET(key) if ((rc = get_raw(db, key, v, sizeof v))) goto fail
	GET("lang");
	snprintf(s.lang, sizeof s.lang, "%s", strcmp(v, "en") == 0 ? "en" : "zh");
	GET("currency");
	snprintf(s.currency, sizeof s.currency, "%s", v);
	GET("timezone");
	struct fnl_error e;
	if (fnl_tz_load(v, &s.tz, &e)) {
		rc = fnl__err(db, FNL_EINVAL, "timezone", "timezone: %s", e.message);
		goto fail;
	}
	GET("calendar.workweek");
	if (parse_workweek(v, &s.workweek))
		s.workweek = FNL_WORKWEEK_DEFAULT;
	static const char *const wkeys[4] = {"score.weight.budget", "score.weight.need",
					     "score.weight.decision", "score.weight.urgency"};
	for (int i = 0; i < 4; i++) {
		GET(wkeys[i]);
		if (fnl__parse_hundredths(v, &s.weight[i]))
			s.weight[i] = 100;
	}
	GET("score.grade_a_min");
	if (fnl__parse_hundredths(v, &s.grade_a_min))
		s.grade_a_min = 1500;
	GET("score.grade_b_min");
	if (fnl__parse_hundredths(v, &s.grade_b_min))
		s.grade_b_min = 800;
	struct {
		const char *key;
		int64_t *dst;
		int64_t def;
	} ints[] = {{"sla.a_hours", &s.sla_a_hours, 48},
		    {"sla.b_working_days", &s.sla_b_days, 3},
		    {"nurture.touch_days", &s.touch_days, 14},
		    {"nurture.reevaluate_days", &s.reevaluate_days, 30}};
	for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
		GET(ints[i].key);
		if (parse_int(v, &n) || n < 1)
			n = ints[i].def;
		*ints[i].dst = n;
	}
	GET("clean.test_words");
	snprintf(s.test_words, sizeof s.test_words, "%s", v);
	GET("clean.phone_blocklist");
	snprintf(s.phone_blocklist, sizeof s.phone_blocklist, "%s", v);
	GET("clean.target_industries");
	snprintf(s.target_industries, sizeof s.target_industries, "%s", v);
	static const char *const gkeys[3] = {"gate.propose", "gate.negotiate", "gate.won"};
	for (int i = 0; i < 3; i++) {
		GET(gkeys[i]);
		s.gate[i] = strcmp(v, "off") != 0;
	}
	GET("quote.discount_limit");
	if (fnl__parse_hundredths(v, &s.discount_limit))
		s.discount_limit = 1500;
#undef GET
	if ((rc = fnl__calendar_load(db, s.workweek, &s.cal)))
		goto fail;
	fnl__settings_free(&db->set);
	db->set = s;
	db->set.loaded = 1;
	return 0;
fail:
	fnl__settings_free(&s);
	return rc;
}

void fnl__settings_free(struct fnl__settings *s)
{
	fnl_tz_free(s->tz);
	fnl_calendar_free(s->cal);
	s->tz = NULL;
	s->cal = NULL;
	s->loaded = 0;
}

const fnl_tz *fnl_db_tz(fnl_db *db)
{
	if (!db->set.loaded && fnl__enter_noctx(db))
		return NULL;
	return db->set.tz;
}

const fnl_calendar *fnl_db_calendar(fnl_db *db)
{
	if (!db->set.loaded && fnl__enter_noctx(db))
		return NULL;
	return db->set.cal;
}

const char *fnl_db_lang(fnl_db *db)
{
	if (!db->set.loaded && fnl__enter_noctx(db))
		return "zh";
	return db->set.lang;
}

int fnl_config_get(fnl_db *db, const char *key, char *buf, size_t len)
{
	int rc = fnl__enter_noctx(db);
	if (rc)
		return rc;
	if (!find_key(key))
		return fnl__err(db, FNL_ENOTFOUND, "key", "no config key '%s' (see 'funnel config list')", key);
	return get_raw(db, key, buf, len);
}

static int set_value(fnl_db *db, const struct fnl_ctx *ctx, const struct key *k, const char *value)
{
	char norm[1024], old[1024];
	int rc = check_value(db, k, value, norm, sizeof norm);
	if (rc)
		return rc;
	if ((rc = get_raw(db, k->key, old, sizeof old)))
		return rc;
	/* The two thresholds must stay ordered. */
	int64_t a = db->set.grade_a_min, b = db->set.grade_b_min, v;
	fnl__parse_hundredths(norm, &v);
	if (strcmp(k->key, "score.grade_a_min") == 0)
		a = v;
	if (strcmp(k->key, "score.grade_b_min") == 0)
		b = v;
	if (b > a)
		return fnl__err(db, FNL_EINVAL, k->key,
				"%s: grade B threshold (%lld.%02lld) would be above grade A threshold (%lld.%02lld)",
				k->key, (long long)(b / 100), (long long)(b % 100), (long long)(a / 100),
				(long long)(a % 100));
	if (strcmp(old, norm) == 0)
		return 0;
	static const char sql[] = "UPDATE config SET value = ? WHERE key = ?";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	fnl__bind_text(st, 1, norm);
	fnl__bind_text(st, 2, k->key);
	if ((rc = fnl__exec_stmt(db, st, "set config")))
		return rc;
	json_t *before = json_pack("{ss}", "value", old), *after = json_pack("{ss}", "value", norm);
	if ((rc = fnl__audit(db, ctx, "config", k->key, "set", 0, before, after)))
		return rc;
	return fnl__settings_load(db);
}

int fnl_config_set(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *value)
{
	int rc = fnl__enter(db, ctx);
	if (rc)
		return rc;
	const struct key *k = find_key(key);
	if (!k)
		return fnl__err(db, FNL_ENOTFOUND, "key", "no config key '%s' (see 'funnel config list')", key);
	if ((rc = fnl__require_role(db, "change the configuration", "admin", NULL)))
		return rc;
	if ((rc = fnl__tx_begin(db)))
		return rc;
	return fnl__tx_end(db, set_value(db, ctx, k, value));
}

int fnl_config_list(fnl_db *db, struct fnl_config_item **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	int rc = fnl__enter_noctx(db);
	if (rc)
		return rc;
	struct fnl_config_item *items = calloc(NKEYS, sizeof *items);
	if (!items)
		return fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
	for (size_t i = 0; i < NKEYS; i++) {
		snprintf(items[i].key, sizeof items[i].key, "%s", keys[i].key);
		items[i].help = keys[i].help;
		if ((rc = get_raw(db, keys[i].key, items[i].value, sizeof items[i].value))) {
			free(items);
			return rc;
		}
	}
	*out = items;
	*n = NKEYS;
	return 0;
}
