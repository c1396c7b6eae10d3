/*
 * analytics/target.c - SMART targets (SPEC §6): periods, setting and listing targets, and report
 * targets (actual against target, attainment and pace).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/report.h"
#include "analytics/target.h"
#include "core/internal.h"
#include "store/store.h"

/* ---- months and periods ---- */

int fnl__month_at(const fnl_tz *tz, int64_t t)
{
	int64_t y;
	unsigned m;
	fnl_civil_from_days(fnl_tz_local_date(tz, t), &y, &m, NULL);
	return (int)((y - 1970) * 12 + (int64_t)m - 1);
}

int64_t fnl__month_start(const fnl_tz *tz, int m)
{
	int y = m >= 0 ? m / 12 : -((-m + 11) / 12);
	unsigned mo = (unsigned)(m - y * 12) + 1;
	return fnl_tz_from_local(tz, fnl_days_from_civil(1970 + y, mo, 1) * FNL_DAY_SECONDS);
}

/* The name of months [m, m + span) when they are a month, a quarter or a year; else -1. */
static int period_name(int m, int span, char buf[static 8])
{
	int y = 1970 + m / 12, mo = m % 12;
	if (m < 0)
		return -1;
	if (span == 1)
		snprintf(buf, 8, "%04d-%02d", y, mo + 1);
	else if (span == 3 && mo % 3 == 0)
		snprintf(buf, 8, "%04d-Q%d", y, mo / 3 + 1);
	else if (span == 12 && mo == 0)
		snprintf(buf, 8, "%04d", y);
	else
		return -1;
	return 0;
}

int fnl__period_exact(const fnl_tz *tz, int64_t from, int64_t to, char buf[static 8])
{
	int mf = fnl__month_at(tz, from), mt = fnl__month_at(tz, to);
	if (fnl__month_start(tz, mf) != from || fnl__month_start(tz, mt) != to)
		return -1;
	return period_name(mf, mt - mf, buf);
}

int fnl__period_within(const fnl_tz *tz, int64_t from, int64_t to, char buf[static 8])
{
	int mf = fnl__month_at(tz, from), ml = fnl__month_at(tz, to - 1);
	if (mf < 0 || ml < mf)
		return -1;
	if (mf == ml)
		return period_name(mf, 1, buf);
	if (mf / 3 == ml / 3)
		return period_name(mf / 3 * 3, 3, buf);
	if (mf / 12 == ml / 12)
		return period_name(mf / 12 * 12, 12, buf);
	return -1;
}

static int digits(const char *s, int n)
{
	for (int i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int fnl_period_parse(const fnl_tz *tz, const char *text, int64_t *from, int64_t *to, struct fnl_error *err)
{
	const char *p = text ? text : "";
	size_t len = strlen(p);
	int y = -1, m0 = 0, span = 0;
	if ((len == 4 || len == 7) && digits(p, 4)) {
		y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
		if (len == 4) {
			span = 12;
		} else if (p[4] == '-' && p[5] == 'Q' && p[6] >= '1' && p[6] <= '4') {
			m0 = (p[6] - '1') * 3;
			span = 3;
		} else if (p[4] == '-' && digits(p + 5, 2)) {
			m0 = (p[5] - '0') * 10 + (p[6] - '0') - 1;
			span = m0 >= 0 && m0 < 12 ? 1 : 0;
		}
	}
	if (!span || y < 1970)
		return fnl_error_set(err, FNL_EINVAL, "period",
				     "period: '%s' is not a month, a quarter or a year like 2026-11, 2026-Q4 or 2026", p);
	int m = (y - 1970) * 12 + m0;
	*from = fnl__month_start(tz, m);
	*to = fnl__month_start(tz, m + span);
	return 0;
}

/* ---- metrics ---- */

enum metric { M_ENTRIES, M_CONVERSION, M_WON_COUNT, M_WON_AMOUNT, M_SLA, M_COUNT };

static const struct {
	const char *key, *zh, *en;
} metrics[M_COUNT] = {
	{"entries", "进入数", "Entries"},
	{"conversion", "转化率", "Conversion"},
	{"won_count", "成交数", "Wins"},
	{"won_amount", "成交金额", "Won amount"},
	{"sla_compliance", "跟进及时率", "SLA compliance"},
};

static int metric_of(const char *key)
{
	for (int k = 0; k < M_COUNT; k++)
		if (key && strcmp(key, metrics[k].key) == 0)
			return k;
	return -1;
}

static int is_rate(int m)
{
	return m == M_CONVERSION || m == M_SLA;
}

static int bad_metric(struct fnl_error *err, const char *metric)
{
	return fnl_error_set(err, FNL_EINVAL, "metric",
			     "metric: '%s' is not entries, conversion, won_count, won_amount or sla_compliance",
			     metric ? metric : "");
}

int fnl_target_value_parse(const char *metric, const char *text, int64_t *value, struct fnl_error *err)
{
	int m = metric_of(metric);
	const char *v = text ? text : "";
	if (m < 0)
		return bad_metric(err, metric);
	if (m == M_WON_AMOUNT)
		return fnl_money_parse(v, "value", value, err);
	if (is_rate(m)) {
		int bp;
		int rc = fnl_percent_parse(v, "value", &bp, err);
		if (!rc)
			*value = bp;
		return rc;
	}
	size_t n = strlen(v);
	if (n == 0 || n > 12 || !digits(v, (int)n))
		return fnl_error_set(err, FNL_EINVAL, "value", "value: '%s' is not a whole number (of %s)", v,
				     m == M_ENTRIES ? "leads" : "wins");
	*value = strtoll(v, NULL, 10);
	return 0;
}

/* ---- setting and listing ---- */

#define TARGET_SELECT                                                                                 \
	"SELECT t.id, t.metric, t.stage, t.scope_kind, t.scope, t.period, t.value, t.created_at,"     \
	" t.updated_at, COALESCE(u.login, '') FROM target t LEFT JOIN user u ON u.id = t.user_id "

static void read_target(sqlite3_stmt *st, void *p)
{
	struct fnl_target *t = p;
	t->id = sqlite3_column_int64(st, 0);
	fnl__col_text(st, 1, t->metric, sizeof t->metric);
	fnl__col_text(st, 2, t->stage, sizeof t->stage);
	fnl__col_text(st, 3, t->scope_kind, sizeof t->scope_kind);
	fnl__col_text(st, 4, t->scope, sizeof t->scope);
	fnl__col_text(st, 5, t->period, sizeof t->period);
	t->value = sqlite3_column_int64(st, 6);
	t->created_at = sqlite3_column_int64(st, 7);
	t->updated_at = sqlite3_column_int64(st, 8);
	fnl__col_text(st, 9, t->user, sizeof t->user);
}

int fnl_target_list(fnl_db *db, const char *period, struct fnl_target **out, size_t *n)
{
	static const char sql[] =
		TARGET_SELECT "LEFT JOIN stage s ON s.pipeline_id = 1 AND s.key = t.stage"
		" WHERE ?1 IS NULL OR t.period = ?1 ORDER BY t.period,"
		" CASE t.scope_kind WHEN 'company' THEN 0 WHEN 'team' THEN 1 ELSE 2 END, t.scope,"
		" CASE t.metric WHEN 'entries' THEN 0 WHEN 'conversion' THEN 1 WHEN 'won_count' THEN 2"
		" WHEN 'won_amount' THEN 3 ELSE 4 END, COALESCE(s.pos, 0), t.id";
	*out = NULL;
	*n = 0;
	int rc = fnl__enter_noctx(db);
	if (rc)
		return rc;
	if (period) {
		int64_t a, b;
		if ((rc = fnl_period_parse(fnl_db_tz(db), period, &a, &b, &db->err)))
			return rc;
	}
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	fnl__bind_text_null(st, 1, period);
	return fnl__collect(db, st, sizeof(struct fnl_target), read_target, (void **)out, n, "list targets");
}

int fnl__target_get(fnl_db *db, const char *metric, const char *stage, const char *scope_kind,
		    const char *scope, const char *period, int64_t *value, int *found)
{
	static const char sql[] = "SELECT value FROM target WHERE metric = ? AND stage = ? AND scope_kind = ?"
				  " AND scope = ? AND period = ?";
	*found = 0;
	*value = 0;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	fnl__bind_text(st, 1, metric);
	fnl__bind_text(st, 2, stage);
	fnl__bind_text(st, 3, scope_kind);
	fnl__bind_text(st, 4, scope);
	fnl__bind_text(st, 5, period);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*value = sqlite3_column_int64(st, 0);
		*found = 1;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fnl__sqlerr(db, rc, "read target");
}

/* The id of a row found by one text parameter, and its second column; *id 0 when none. */
static int lookup(fnl_db *db, const char *sql, const char *key, int64_t *id, int64_t *team)
{
	*id = 0;
	*team = 0;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	fnl__bind_text(st, 1, key);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		*team = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fnl__sqlerr(db, rc, "read scope");
}

/* The stage of a target as stored: checked against the metric. */
static int check_stage(fnl_db *db, int m, const char *stage, char out[static FNL_KEY_LEN])
{
	struct fnl_stage st, last;
	int rc = fnl__stage_last(db, 1, &last);
	if (rc)
		return rc;
	int given = stage && *stage;
	out[0] = '\0';
	switch (m) {
	case M_ENTRIES:
	case M_CONVERSION:
		if (!given)
			return fnl__err(db, FNL_EINVAL, "stage", "stage: required for metric '%s'", metrics[m].key);
		if ((rc = fnl__stage_by_key(db, 1, stage, "stage", &st)))
			return rc;
		if (m == M_CONVERSION && st.pos == last.pos)
			return fnl__err(db, FNL_EINVAL, "stage",
					"stage: '%s' is the last stage: there is no conversion from it to a next one", stage);
		snprintf(out, FNL_KEY_LEN, "%s", st.key);
		return 0;
	case M_WON_COUNT:
	case M_WON_AMOUNT:
		if (given && strcmp(stage, last.key))
			return fnl__err(db, FNL_EINVAL, "stage",
					"stage: metric '%s' is counted at the last stage '%s', not '%s'", metrics[m].key,
					last.key, stage);
		snprintf(out, FNL_KEY_LEN, "%s", last.key);
		return 0;
	default:
		if (given)
			return fnl__err(db, FNL_EINVAL, "stage", "stage: metric '%s' has no stage", metrics[m].key);
		return 0;
	}
}

/* Who may set a target of this scope (SPEC §8: targets are the admin's, and a manager's for their
 * own team): admins; a manager their team and its users; the company's a manager without a team,
 * who manages everyone. */
static int may_set(fnl_db *db, const char *kind, const char *scope, int64_t team_id)
{
	if (db->actor.id == 0 || strcmp(db->actor.role, "admin") == 0)
		return 0;
	if (strcmp(kind, "company") == 0) {
		if (db->actor.team_id == 0)
			return 0;
		return fnl__err(db, FNL_EPERM, "scope",
				"user '%s' (manager) cannot set the company's targets: a team's manager sets their "
				"team's", db->actor.login);
	}
	if (fnl__manages(db, team_id))
		return 0;
	return fnl__err(db, FNL_EPERM, "scope", "user '%s' (manager) cannot set targets of %s '%s': not their team",
			db->actor.login, kind, scope);
}

static json_t *target_audit(const struct fnl_target *t)
{
	return json_pack("{ss ss ss ss ss sI}", "metric", t->metric, "stage", t->stage, "scope_kind", t->scope_kind,
			 "scope", t->scope, "period", t->period, "value", (json_int_t)t->value);
}

int fnl__target_put(fnl_db *db, const struct fnl_ctx *ctx, const char *metric, const char *stage,
		    const char *scope_kind, const char *scope, const char *period, int64_t value,
		    struct fnl_target *out)
{
	static const char teams[] = "SELECT id, id FROM team WHERE name = ?";
	static const char users[] = "SELECT id, COALESCE(team_id, 0) FROM user WHERE login = ?";
	static const char find[] = TARGET_SELECT "WHERE t.metric = ? AND t.stage = ? AND t.scope_kind = ?"
					       " AND t.scope = ? AND t.period = ?";
	static const char ins[] = "INSERT INTO target (metric, stage, scope_kind, scope, period, value, created_at,"
				  " updated_at, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
	static const char upd[] = "UPDATE target SET value = ?, updated_at = ?, user_id = ? WHERE id = ?";
	int rc, m = metric_of(metric);
	if (m < 0)
		return bad_metric(&db->err, metric);
	char st_key[FNL_KEY_LEN];
	if ((rc = check_stage(db, m, stage, st_key)))
		return rc;
	const char *kind = scope_kind ? scope_kind : "", *sc = scope ? scope : "";
	int64_t id = 0, team = 0;
	if (strcmp(kind, "company") == 0) {
		if (*sc)
			return fnl__err(db, FNL_EINVAL, "scope", "scope: the company takes no name, got '%s'", sc);
	} else if (strcmp(kind, "team") == 0 || strcmp(kind, "user") == 0) {
		int is_team = kind[0] == 't';
		if (!*sc)
			return fnl__err(db, FNL_EINVAL, "scope", "scope: which %s? (%s:NAME)", kind, kind);
		if ((rc = lookup(db, is_team ? teams : users, sc, &id, &team)))
			return rc;
		if (!id)
			return fnl__err(db, FNL_EINVAL, "scope", "scope: no %s '%s'", kind, sc);
	} else {
		return fnl__err(db, FNL_EINVAL, "scope", "scope: '%s' is not company, team or user", kind);
	}
	int64_t from, to;
	if ((rc = fnl_period_parse(fnl_db_tz(db), period, &from, &to, &db->err)))
		return rc;
	if (value < 0 || (is_rate(m) && value > 10000))
		return fnl__err(db, FNL_EINVAL, "value", "value: %s must be %s", metrics[m].key,
				is_rate(m) ? "a percentage from 0 to 100" : "0 or more");
	if ((rc = may_set(db, kind, sc, team)))
		return rc;
	struct fnl_target old;
	memset(&old, 0, sizeof old);
	sqlite3_stmt *s = fnl__stmt(db, find);
	if (!s)
		return db->err.code;
	fnl__bind_text(s, 1, metrics[m].key);
	fnl__bind_text(s, 2, st_key);
	fnl__bind_text(s, 3, kind);
	fnl__bind_text(s, 4, sc);
	fnl__bind_text(s, 5, period);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		read_target(s, &old);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fnl__sqlerr(db, rc, "read target");
	if (old.id) {
		if (!(s = fnl__stmt(db, upd)))
			return db->err.code;
		sqlite3_bind_int64(s, 1, value);
		sqlite3_bind_int64(s, 2, ctx->now);
		fnl__bind_int_null(s, 3, ctx->actor);
		sqlite3_bind_int64(s, 4, old.id);
		id = old.id;
	} else {
		if (!(s = fnl__stmt(db, ins)))
			return db->err.code;
		fnl__bind_text(s, 1, metrics[m].key);
		fnl__bind_text(s, 2, st_key);
		fnl__bind_text(s, 3, kind);
		fnl__bind_text(s, 4, sc);
		fnl__bind_text(s, 5, period);
		sqlite3_bind_int64(s, 6, value);
		sqlite3_bind_int64(s, 7, ctx->now);
		sqlite3_bind_int64(s, 8, ctx->now);
		fnl__bind_int_null(s, 9, ctx->actor);
	}
	if ((rc = fnl__exec_stmt(db, s, "store target")))
		return rc;
	if (!old.id)
		id = fnl__last_id(db);
	struct fnl_target now;
	if ((rc = fnl__row(db, TARGET_SELECT "WHERE t.id = ?", id, read_target, &now, sizeof now, "target")))
		return rc;
	char idtext[24];
	snprintf(idtext, sizeof idtext, "%lld", (long long)id);
	rc = old.id ? fnl__audit(db, ctx, "target", idtext, "update", 0,
				 json_pack("{sI}", "value", (json_int_t)old.value),
				 json_pack("{sI}", "value", (json_int_t)value))
		    : fnl__audit(db, ctx, "target", idtext, "create", 0, NULL, target_audit(&now));
	if (!rc && out)
		*out = now;
	return rc;
}

int fnl_target_set(fnl_db *db, const struct fnl_ctx *ctx, const char *metric, const char *stage,
		   const char *scope_kind, const char *scope, const char *period, int64_t value,
		   struct fnl_target *out)
{
	int rc = fnl__begin_write(db, ctx, "set targets", "admin", "manager", NULL);
	if (rc)
		return rc;
	return fnl__tx_end(db, fnl__target_put(db, ctx, metric, stage, scope_kind, scope, period, value, out));
}

/* A target's value in the units of the reports: counts, 分, rates as fractions. */
static json_t *value_json(int m, int64_t v)
{
	return is_rate(m) ? json_real((double)v / 10000.0) : json_integer(v);
}

json_t *fnl_target_json(const fnl_tz *tz, const struct fnl_target *t)
{
	int m = metric_of(t->metric);
	json_t *o = json_pack("{sI ss ss ss ss ss}", "id", (json_int_t)t->id, "metric", t->metric, "stage", t->stage,
			      "scope_kind", t->scope_kind, "scope", t->scope, "period", t->period);
	json_object_set_new(o, "value", value_json(m, t->value));
	json_object_set_new(o, "set_by", json_string(t->user));
	json_object_set_new(o, "updated_at", fnl_json_time(tz, t->updated_at));
	return o;
}

/* ---- report targets ---- */

/* Which leads a target's scope covers: the company (all), a team's owners, one owner. */
struct scope_sel {
	int kind; /* 0 company, 1 team, 2 user */
	int idx;  /* team or owner index; -1 when nobody of the snapshot is in it */
};

static int in_scope(const fnl_snapshot *s, const struct scope_sel *sc, size_t i)
{
	if (sc->kind == 0)
		return 1;
	int o = s->owner[i];
	return sc->kind == 1 ? s->owner_team[o] == sc->idx : o == sc->idx;
}

static int valid(const fnl_snapshot *s, size_t i)
{
	return s->status[i] >= FNL_SNAP_OPEN && s->status[i] <= FNL_SNAP_LOST;
}

static int in(uint32_t t, int64_t from, int64_t to)
{
	return t && t >= from && t < to;
}

/* The actual figure of a target with a snapshot scan: *num, and *den for rates. */
static void scan_actual(const fnl_snapshot *s, int m, int k, const struct scope_sel *sc, int64_t from, int64_t to,
			int64_t *num, int64_t *den)
{
	int64_t a = 0, b = 0;
	const int last = s->nstages;
	if (sc->kind && sc->idx < 0) {
		*num = *den = 0;
		return;
	}
	for (size_t i = 1; i < s->n; i++) {
		if (!valid(s, i) || !in_scope(s, sc, i))
			continue;
		switch (m) {
		case M_ENTRIES:
			a += in(s->entry[k][i], from, to);
			break;
		case M_CONVERSION:
			if (in(s->captured[i], from, to) && s->reached[i] >= k) {
				b++;
				a += s->reached[i] >= k + 1;
			}
			break;
		case M_WON_COUNT:
		case M_WON_AMOUNT:
			if (s->status[i] == FNL_SNAP_WON && in(s->entry[last][i], from, to))
				a += m == M_WON_COUNT ? 1 : s->amount[i];
			break;
		default:
			break;
		}
	}
	*num = a;
	*den = b;
}

static int sla_actual(fnl_db *db, const fnl_snapshot *s, const struct scope_sel *sc, int64_t from, int64_t to,
		      int64_t now, int64_t *num, int64_t *den)
{
	*num = *den = 0;
	if (sc->kind && sc->idx < 0)
		return 0;
	struct fnl_query q;
	fnl_query_init(&q);
	q.from = from;
	q.to = to;
	if (sc->kind == 1)
		q.filter[FNL_DIM_TEAM] = sc->idx;
	else if (sc->kind == 2)
		q.filter[FNL_DIM_OWNER] = sc->idx;
	int no = fnl_snapshot_values(s, FNL_DIM_OWNER);
	int64_t *due = calloc((size_t)no, sizeof *due), *met = calloc((size_t)no, sizeof *met);
	int rc = due && met ? fnl_sla_by_owner(db, s, &q, now, due, met) : fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
	for (int o = 0; !rc && o < no; o++) {
		*num += met[o];
		*den += due[o];
	}
	free(due);
	free(met);
	return rc;
}

static const char *tr(const char *lang, const char *zh, const char *en)
{
	return lang && strcmp(lang, "en") == 0 ? en : zh;
}

/* A value as people read it: "200", "128000.50", "30%". */
static void value_text(int m, double v, char *buf, size_t len)
{
	if (isnan(v)) {
		snprintf(buf, len, "%s", "");
	} else if (m == M_WON_AMOUNT) {
		fnl_money_format((int64_t)llround(v), buf, len);
	} else if (is_rate(m)) {
		snprintf(buf, len, "%.1f%%", v * 100.0);
	} else if (v == floor(v)) {
		snprintf(buf, len, "%.0f", v);
	} else {
		snprintf(buf, len, "%.1f", v);
	}
}

static fnl_rtable *targets_table(void)
{
	fnl_rtable *t = fnl_rtable_new("targets");
	fnl_rtable_col(t, "scope", "范围", "Scope", FNL_COL_TEXT);
	fnl_rtable_col(t, "metric", "指标", "Metric", FNL_COL_TEXT);
	fnl_rtable_col(t, "stage", "阶段", "Stage", FNL_COL_TEXT);
	fnl_rtable_col(t, "target", "目标", "Target", FNL_COL_TEXT);
	fnl_rtable_col(t, "actual", "实际", "Actual", FNL_COL_TEXT);
	fnl_rtable_col(t, "attainment", "达成率", "Attainment", FNL_COL_RATE);
	fnl_rtable_col(t, "expected", "应达进度", "Expected by now", FNL_COL_TEXT);
	fnl_rtable_col(t, "pace", "进度", "Pace", FNL_COL_TEXT);
	return t;
}

static const char *scope_text(const struct fnl_target *t, const char *lang, char *buf, size_t len)
{
	if (strcmp(t->scope_kind, "company") == 0)
		snprintf(buf, len, "%s", tr(lang, "公司", "company"));
	else
		snprintf(buf, len, "%s %s", strcmp(t->scope_kind, "team") == 0 ? tr(lang, "团队", "team")
									: tr(lang, "个人", "user"),
			 t->scope);
	return buf;
}

int fnl_report_targets(fnl_db *db, const fnl_snapshot *s, const struct fnl_report_opts *o, struct fnl_report *out)
{
	memset(out, 0, sizeof *out);
	const fnl_tz *tz = s->tz;
	int64_t from = o->q.from, to = o->q.to;
	char period[8];
	if (!from && !to) {
		int m = fnl__month_at(tz, o->now);
		from = fnl__month_start(tz, m);
		to = fnl__month_start(tz, m + 1);
	}
	if (!from || !to || fnl__period_exact(tz, from, to, period))
		return fnl__err(db, FNL_EINVAL, "period", "period: targets are set for a month, a quarter or a year");
	struct fnl_target *v;
	size_t n;
	int rc = fnl_target_list(db, period, &v, &n);
	if (rc)
		return rc;
	struct fnl__names nm;
	if ((rc = fnl__names_open(db, o, &nm))) {
		free(v);
		return rc;
	}
	double elapsed = o->now <= from ? 0.0 : o->now >= to ? 1.0 : (double)(o->now - from) / (double)(to - from);
	json_t *list = json_array();
	fnl_rtable *t = targets_table();
	for (size_t i = 0; i < n && !rc; i++) {
		const struct fnl_target *g = &v[i];
		int m = metric_of(g->metric), k = 0;
		for (int p = 1; p <= s->nstages; p++)
			if (strcmp(s->stage_key[p], g->stage) == 0)
				k = p;
		struct scope_sel sc = {0, 0};
		if (strcmp(g->scope_kind, "team") == 0)
			sc = (struct scope_sel){1, fnl_snapshot_find(s, FNL_DIM_TEAM, g->scope)};
		else if (strcmp(g->scope_kind, "user") == 0)
			sc = (struct scope_sel){2, fnl_snapshot_find(s, FNL_DIM_OWNER, g->scope)};
		int64_t num = 0, den = 0;
		if (m == M_SLA)
			rc = sla_actual(db, s, &sc, from, to, o->now, &num, &den);
		else if (m >= 0 && (k || m == M_WON_COUNT || m == M_WON_AMOUNT))
			scan_actual(s, m, k, &sc, from, to, &num, &den);
		double target = is_rate(m) ? (double)g->value / 10000.0 : (double)g->value;
		double actual = is_rate(m) ? fnl__rate(num, den) : (double)num;
		double expected = is_rate(m) ? target : target * elapsed;
		if (m == M_WON_AMOUNT)
			expected = (double)llround(expected);
		double attain = target > 0 && !isnan(actual) ? actual / target : NAN;
		int on_track = !isnan(actual) && actual >= expected;
		json_t *x = json_pack("{ss ss ss ss}", "metric", g->metric, "stage", g->stage, "scope_kind", g->scope_kind,
				      "scope", g->scope);
		json_object_set_new(x, "target", value_json(m, g->value));
		json_object_set_new(x, "actual", is_rate(m) ? fnl__rate_json(num, den) : json_integer(num));
		json_object_set_new(x, "attainment", isnan(attain) ? json_null() : json_real(attain));
		json_object_set_new(x, "expected", m == M_WON_AMOUNT ? json_integer((json_int_t)expected) : json_real(expected));
		json_object_set_new(x, "on_track", isnan(actual) ? json_null() : json_boolean(on_track));
		json_array_append_new(list, x);
		char buf[64];
		fnl_rtable_text(t, scope_text(g, nm.lang, buf, sizeof buf));
		fnl_rtable_text(t, m >= 0 ? tr(nm.lang, metrics[m].zh, metrics[m].en) : g->metric);
		fnl_rtable_text(t, g->stage[0] ? fnl_catalog_stage(nm.cat, g->stage, nm.lang) : "");
		value_text(m, target, buf, sizeof buf);
		fnl_rtable_text(t, buf);
		value_text(m, actual, buf, sizeof buf);
		fnl_rtable_text(t, buf);
		fnl_rtable_real(t, attain);
		value_text(m, expected, buf, sizeof buf);
		fnl_rtable_text(t, buf);
		fnl_rtable_text(t, isnan(actual) ? "" : on_track ? tr(nm.lang, "正常", "on track") : tr(nm.lang, "落后", "behind"));
	}
	free(v);
	fnl__names_close(&nm);
	if (rc) {
		json_decref(list);
		fnl_rtable_free(t);
		return rc;
	}
	out->doc = json_pack("{s{ss so so} sf so}", "period", "key", period, "from", fnl_json_time(tz, from), "to",
			     fnl_json_time(tz, to), "elapsed", elapsed, "targets", list);
	out->table = t;
	return 0;
}
