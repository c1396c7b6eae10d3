/*
 * bench/gen.c - funnel-bench-gen: a deterministic generator of benchmark databases.
 *
 *     funnel-bench-gen [--seed S] N PATH
 *
 * Creates a funnel database at PATH with fnl_db_create (the real schema and defaults), adds a
 * manager and 40 sales consultants in 6 teams through the API, then writes N leads straight into
 * SQLite: prepared statements, one transaction per batch of 50 000 leads, no journal and no
 * fsync (it is bench data: a crash leaves a .tmp file that the next run replaces).
 *
 * Each valid lead is lived through from its capture until it is won, lost or "now" (2026-10-01
 * 00:00 in Asia/Shanghai) arrives: scoring (grade A/B/C from the four scores, C to the nurture
 * pool, some of which are lost or re-scored), then stage by stage an advance with a probability
 * that depends on the grade, the channel and the owner, or a loss with a reason typical of the
 * stage, after a dwell time drawn per stage; a few forward moves skip a stage, a few leads are
 * moved back once. Won leads get a deal. About 5 % of the leads are invalid and 3 % merged
 * duplicates, without stage events. Captures are spread over the two years before "now".
 *
 * The same N and seed give the same database. The generator's version, N and the seed are kept
 * in the state table; when PATH exists and holds the same, it is reused, not regenerated.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "core/rng.h"
#include "names.h"
#include "funnel/funnel.h"

#define GEN_VERSION 1
#define BATCH 50000
#define DAY 86400
#define END_AT INT64_C(1790784000) /* 2026-10-01 00:00 Asia/Shanghai: "now" of the data */
#define SPAN (730 * (int64_t)DAY)
#define NSTAGES 6
#define NREPS 40
#define NTEAMS 6
#define MAX_EVENTS 16

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- random numbers (splitmix64) ---- */

static int weighted(struct fnl_rng *r, const int *w, int n)
{
	int total = 0;
	for (int i = 0; i < n; i++)
		total += w[i];
	int x = fnl_rng_below(r, total);
	for (int i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

/* A dwell time in seconds: Erlang-2 with the given mean in days, at least 5 minutes. */
static int64_t dwell(struct fnl_rng *r, double mean_days)
{
	double a = fnl_rng_unit(r), b = fnl_rng_unit(r);
	double d = -(mean_days / 2) * (log1p(-a) + log1p(-b)) * DAY;
	return d < 300 ? 300 : (int64_t)d;
}

/* ---- the mix ---- */

/* The 10 default channels: share of leads, score skew (below 1: better scores), advance and speed
 * factors, deal size factor. */
static const struct {
	const char *key;
	int weight;
	double skew, advance, speed, size;
} channels[] = {
	{"vertical_media", 12, 1.00, 1.00, 1.00, 1.00},
	{"sem", 22, 1.10, 0.90, 1.00, 0.90},
	{"social", 14, 1.25, 0.80, 1.10, 0.75},
	{"website", 18, 1.00, 1.00, 1.00, 0.95},
	{"trade_show", 8, 0.90, 1.05, 0.95, 1.20},
	{"partner_referral", 7, 0.80, 1.15, 0.90, 1.10},
	{"salon", 5, 0.85, 1.10, 0.95, 1.00},
	{"customer_referral", 6, 0.70, 1.25, 0.80, 1.15},
	{"repurchase", 4, 0.60, 1.35, 0.70, 0.85},
	{"other", 4, 1.10, 0.90, 1.05, 0.90},
};

static const char *const cities[] = {"上海", "北京", "深圳", "杭州", "苏州", "广州", "成都", "武汉",
				     "南京", "天津", "西安", "重庆", "宁波", "东莞", "青岛", "厦门",
				     "合肥", "长沙", "无锡", "佛山"};
static const char *const regions[] = {"上海市", "北京市", "广东省深圳市", "浙江省杭州市", "江苏省苏州市",
				      "广东省广州市", "四川省成都市", "湖北省武汉市", "江苏省南京市", "天津市",
				      "陕西省西安市", "重庆市", "浙江省宁波市", "广东省东莞市", "山东省青岛市",
				      "福建省厦门市", "安徽省合肥市", "湖南省长沙市", "江苏省无锡市", "广东省佛山市"};
static const int city_weights[] = {14, 12, 10, 9, 8, 6, 5, 5, 5, 4, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1};
static const char *const cores[] = {"华信", "恒通", "博远", "鼎盛", "瑞丰", "中科", "天成", "金石",
				    "云智", "宏达", "安泰", "众诚", "嘉和", "明德", "新锐", "凯捷"};
static const struct {
	const char *word, *industry;
	int weight;
} trades[] = {
	{"智能制造", "制造业", 18}, {"精密机械", "制造业", 10}, {"电子科技", "电子", 10},
	{"软件", "软件与信息服务", 12}, {"信息技术", "软件与信息服务", 8}, {"物流", "物流", 8},
	{"医疗器械", "医疗健康", 8}, {"新材料", "新材料", 6}, {"新能源", "新能源", 7},
	{"商贸", "零售", 6}, {"教育科技", "教育", 4}, {"建设工程", "建筑工程", 3},
};
static const char *const teams[NTEAMS] = {"华东销售一部", "华东销售二部", "华北销售部",
					  "华南销售部", "西南销售部", "华中销售部"};
static const char *const invalid_reasons[] = {"no_contact", "test_name", "test_phone", "bad_phone", "bad_email"};
static const int invalid_weights[] = {25, 15, 10, 35, 15};

static const char *const reasons[] = {"price", "competitor", "no_budget", "no_decision_maker",
				      "timing", "no_response", "product_fit", "other"};
/* loss reasons by stage position 1..5, weights in the order of reasons[] */
static const int reason_weights[NSTAGES][8] = {
	{0},
	{0, 0, 0, 0, 20, 60, 0, 20},
	{0, 0, 25, 20, 20, 25, 0, 10},
	{0, 20, 20, 0, 20, 0, 30, 10},
	{35, 30, 0, 0, 10, 0, 20, 5},
	{45, 30, 0, 0, 15, 0, 0, 10},
};
/* by stage position: mean days spent before moving on, probability to move on by grade A and B */
static const double mean_days[NSTAGES] = {0, 1.5, 5, 12, 15, 18};
static const double advance_a[NSTAGES] = {0, 1, 0.70, 0.62, 0.55, 0.60};
static const double advance_b[NSTAGES] = {0, 1, 0.45, 0.50, 0.45, 0.50};

/* ---- one lead ---- */

struct event {
	const char *kind;
	int from, to;          /* stage positions, from 0 for none */
	int64_t at;
	const char *reason;
	const char *note;
};

struct lead {
	int64_t id, captured, merged_into, lost_at, won_at, graded_at, updated, amount, deal;
	int channel, owner, city, trade, size, stage, reached;
	const char *status, *invalid_reason, *lost_reason;
	char grade;
	int score[4];
	char close_month[8];
	struct event ev[MAX_EVENTS];
	int nev;
};

struct gen {
	struct fnl_rng r;
	const fnl_tz *tz;
	int64_t stage_id[NSTAGES + 1];
	int64_t channel_id[COUNT(channels)];
	int64_t rep_id[NREPS];
	double rep_skill[NREPS];
	int64_t last_valid;
	int channel_weights[COUNT(channels)], trade_weights[COUNT(trades)];
	int64_t nevents, nvalid, nwon, nlost;
};

static void event(struct lead *l, const char *kind, int to, int64_t at, const char *reason, const char *note)
{
	if (l->nev == MAX_EVENTS)
		return;
	int from = l->nev ? l->stage : 0;
	l->ev[l->nev++] = (struct event){kind, from, to, at, reason, note};
	l->stage = to;
	if (to > l->reached)
		l->reached = to;
	l->updated = at;
}

static void lose(struct gen *g, struct lead *l, int64_t at)
{
	const char *reason = reasons[weighted(&g->r, reason_weights[l->stage], 8)];
	event(l, "lose", l->stage, at, reason, "");
	l->status = "lost";
	l->lost_reason = reason;
	l->lost_at = at;
}

/* Score the lead at t: four scores skewed by the channel, the grade by the default thresholds
 * (total >= 15: A, >= 8: B, else C, weights 1). */
static void score(struct gen *g, struct lead *l, int64_t t, char want)
{
	for (;;) {
		int total = 0;
		for (int k = 0; k < 4; k++) {
			int s = 1 + (int)(5 * pow(fnl_rng_unit(&g->r), channels[l->channel].skew));
			l->score[k] = s > 5 ? 5 : s;
			total += l->score[k];
		}
		l->grade = total >= 15 ? 'A' : total >= 8 ? 'B' : 'C';
		if (!want || l->grade == want)
			break;
	}
	l->graded_at = t;
	l->updated = t;
}

static void close_month(const struct gen *g, int64_t t, char buf[8])
{
	int64_t y;
	unsigned m;
	fnl_civil_from_days(fnl_tz_local_date(g->tz, t), &y, &m, NULL);
	snprintf(buf, 8, "%04d-%02u", (int)y, m);
}

/* The sale from qualify on, starting at t. */
static void sell(struct gen *g, struct lead *l, int64_t t)
{
	struct fnl_rng *r = &g->r;
	double yuan = 30000 * exp(fnl_rng_unit(r) * log(100.0)) * channels[l->channel].size * (l->grade == 'A' ? 1.3 : 1);
	l->amount = (int64_t)(yuan / 100) * 100 * 100;
	close_month(g, t + 60 * DAY + (int64_t)fnl_rng_below(r, 120) * DAY, l->close_month);
	double factor = channels[l->channel].advance * g->rep_skill[l->owner];
	double speed = channels[l->channel].speed;
	int k = 2, backed = 0;
	while (k < NSTAGES) {
		if (!backed && k >= 4 && fnl_rng_unit(r) < 0.04) {
			/* the customer changes the requirements: back one stage, once */
			backed = 1;
			int64_t tb = t + dwell(r, mean_days[k] / 2 * speed);
			if (tb > END_AT)
				return;
			event(l, "back", k - 1, tb, NULL, "客户需求变更，重新确认");
			if (fnl_rng_unit(r) < 0.4) {
				int64_t tl = tb + dwell(r, mean_days[k - 1] * 1.3 * speed);
				if (tl <= END_AT)
					lose(g, l, tl);
				return;
			}
			int64_t tf = tb + dwell(r, mean_days[k - 1] / 2 * speed);
			if (tf > END_AT)
				return;
			event(l, "forward", k, tf, NULL, "");
			t = tf;
			continue;
		}
		double p = (l->grade == 'A' ? advance_a[k] : advance_b[k]) * factor;
		if (fnl_rng_unit(r) < (p > 0.95 ? 0.95 : p)) {
			int to = k <= 3 && fnl_rng_unit(r) < 0.05 ? k + 2 : k + 1;
			int64_t tn = t + dwell(r, mean_days[k] * speed);
			if (tn > END_AT)
				return;
			event(l, "forward", to, tn, NULL, "");
			t = tn;
			k = to;
		} else {
			if (fnl_rng_unit(r) < 0.15)
				return; /* stalls, still open */
			int64_t tl = t + dwell(r, mean_days[k] * 1.3 * speed);
			if (tl <= END_AT)
				lose(g, l, tl);
			return;
		}
	}
	l->status = "won";
	l->won_at = t;
	l->deal = (int64_t)((double)l->amount * (0.8 + 0.25 * fnl_rng_unit(r)) / 10000) * 10000;
	if (l->deal <= 0)
		l->deal = 10000;
}

static void live(struct gen *g, struct lead *l)
{
	struct fnl_rng *r = &g->r;
	l->owner = fnl_rng_below(r, NREPS);
	l->status = "open";
	event(l, "capture", 1, l->captured, NULL, "");
	int64_t t = l->captured + dwell(r, mean_days[1]);
	if (t > END_AT)
		return;
	if (fnl_rng_unit(r) < 0.06) { /* never reached or never scored */
		int64_t tl = t + dwell(r, 10);
		if (fnl_rng_unit(r) < 0.5 && tl <= END_AT)
			lose(g, l, tl);
		return;
	}
	score(g, l, t, 0);
	event(l, "forward", 2, t, NULL, "scored");
	if (l->grade == 'C') {
		l->status = "nurture";
		double u = fnl_rng_unit(r);
		int64_t later = t + 30 * DAY + dwell(r, 50);
		if (later > END_AT)
			return;
		if (u < 0.4) {
			lose(g, l, later);
		} else if (u < 0.5) {
			score(g, l, later, 'B'); /* re-evaluated: back in the sale */
			l->status = "open";
			sell(g, l, later);
		}
		return;
	}
	sell(g, l, t);
}

static void make_lead(struct gen *g, int64_t id, int64_t n, struct lead *l)
{
	struct fnl_rng *r = &g->r;
	memset(l, 0, sizeof *l);
	l->id = id;
	l->owner = -1;
	l->stage = l->reached = 1;
	/* ids follow capture order: evenly spread, with a little jitter */
	int64_t step = SPAN / n;
	l->captured = END_AT - SPAN + (SPAN * (id - 1)) / n + (step > 1 ? (int64_t)(fnl_rng_next(r) % (uint64_t)step) : 0);
	l->channel = weighted(r, g->channel_weights, COUNT(channels));
	l->city = weighted(r, city_weights, COUNT(city_weights));
	l->trade = weighted(r, g->trade_weights, COUNT(trades));
	l->size = fnl_rng_below(r, COUNT(sizes));
	l->updated = l->captured;
	double u = fnl_rng_unit(r);
	if (u < 0.05) {
		l->status = "invalid";
		l->invalid_reason = invalid_reasons[weighted(r, invalid_weights, COUNT(invalid_weights))];
	} else if (u < 0.08 && g->last_valid) {
		l->status = "merged";
		l->merged_into = g->last_valid;
	} else {
		live(g, l);
		g->last_valid = id;
	}
}

/* ---- writing ---- */

#define LEAD_SQL                                                                                       \
	"INSERT INTO lead (id, pipeline_id, company, contact, phone, industry, size, region, channel_id," \
	" captured_at, owner_id, stage_id, reached_pos, status, invalid_reason, merged_into, lost_reason," \
	" lost_at, won_at, amount, close_month, grade, score_budget, score_need, score_decision,"          \
	" score_urgency, score_total, graded_at, first_contact_at, created_at, updated_at)"               \
	" VALUES (?1, 1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,"     \
	" ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?27, ?9, ?28)"
#define EVENT_SQL                                                                                      \
	"INSERT INTO stage_event (lead_id, kind, from_stage, to_stage, at, user_id, note, reason)"       \
	" VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
#define DEAL_SQL                                                                                       \
	"INSERT INTO deal (lead_id, contract_no, amount, signed_on, created_at, user_id)"               \
	" VALUES (?, ?, ?, ?, ?, ?)"

struct writer {
	sqlite3 *db;
	sqlite3_stmt *lead, *event, *deal;
};

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

static void bind_int(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static int step(sqlite3 *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "funnel-bench-gen: cannot write %s: %s\n", what, sqlite3_errmsg(db));
		return -1;
	}
	return 0;
}

static int write_lead(struct gen *g, struct writer *w, const struct lead *l)
{
	struct fnl_rng *r = &g->r;
	char company[256], contact[64], phone[16];
	snprintf(company, sizeof company, "%s%s%s有限公司", cities[l->city], cores[fnl_rng_below(r, COUNT(cores))],
		 trades[l->trade].word);
	snprintf(contact, sizeof contact, "%s%s", surnames[fnl_rng_below(r, COUNT(surnames))], given[fnl_rng_below(r, COUNT(given))]);
	snprintf(phone, sizeof phone, "1%d%09llu", 3 + fnl_rng_below(r, 6), (unsigned long long)(fnl_rng_next(r) % 1000000000u));
	int64_t owner = l->owner >= 0 ? g->rep_id[l->owner] : 0;
	sqlite3_stmt *st = w->lead;
	sqlite3_bind_int64(st, 1, l->id);
	sqlite3_bind_text(st, 2, company, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, contact, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, phone, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, trades[l->trade].industry, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, sizes[l->size], -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 7, regions[l->city], -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 8, g->channel_id[l->channel]);
	sqlite3_bind_int64(st, 9, l->captured);
	bind_int(st, 10, owner);
	sqlite3_bind_int64(st, 11, g->stage_id[l->stage]);
	sqlite3_bind_int(st, 12, l->reached);
	bind_text(st, 13, l->status);
	bind_text(st, 14, l->invalid_reason);
	bind_int(st, 15, l->merged_into);
	bind_text(st, 16, l->lost_reason);
	bind_int(st, 17, l->lost_at);
	bind_int(st, 18, l->won_at);
	bind_int(st, 19, l->amount);
	bind_text(st, 20, l->close_month[0] ? l->close_month : NULL);
	char grade[2] = {l->grade, '\0'};
	bind_text(st, 21, l->grade ? grade : NULL);
	int total = 0;
	for (int k = 0; k < 4; k++) {
		bind_int(st, 22 + k, l->score[k]);
		total += l->score[k];
	}
	bind_int(st, 26, (int64_t)total * 100);
	bind_int(st, 27, l->graded_at);
	sqlite3_bind_int64(st, 28, l->updated);
	if (step(w->db, st, "a lead"))
		return -1;
	for (int i = 0; i < l->nev; i++) {
		const struct event *e = &l->ev[i];
		st = w->event;
		sqlite3_bind_int64(st, 1, l->id);
		sqlite3_bind_text(st, 2, e->kind, -1, SQLITE_STATIC);
		bind_int(st, 3, e->from ? g->stage_id[e->from] : 0);
		sqlite3_bind_int64(st, 4, g->stage_id[e->to]);
		sqlite3_bind_int64(st, 5, e->at);
		bind_int(st, 6, owner);
		sqlite3_bind_text(st, 7, e->note, -1, SQLITE_STATIC);
		bind_text(st, 8, e->reason);
		if (step(w->db, st, "a stage event"))
			return -1;
	}
	g->nevents += l->nev;
	if (l->status[0] == 'o' || l->status[0] == 'n' || l->status[0] == 'w' || l->status[0] == 'l')
		g->nvalid++;
	g->nlost += l->lost_at != 0;
	if (!l->deal)
		return 0;
	g->nwon++;
	char contract[32], signed_on[11];
	snprintf(contract, sizeof contract, "HT%010lld", (long long)l->id);
	fnl_date_format(fnl_tz_local_date(g->tz, l->won_at), signed_on);
	st = w->deal;
	sqlite3_bind_int64(st, 1, l->id);
	sqlite3_bind_text(st, 2, contract, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, l->deal);
	sqlite3_bind_text(st, 4, signed_on, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, l->won_at);
	bind_int(st, 6, owner);
	return step(w->db, st, "a deal");
}

static int exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "funnel-bench-gen: %s: %s\n", sql, msg ? msg : sqlite3_errmsg(db));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* The ids of the stages of the default pipeline and of the channels, by key. */
static int read_ids(struct gen *g, sqlite3 *db)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db, "SELECT pos, id FROM stage WHERE pipeline_id = 1", -1, &st, NULL))
		return -1;
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int pos = sqlite3_column_int(st, 0);
		if (pos >= 1 && pos <= NSTAGES) {
			g->stage_id[pos] = sqlite3_column_int64(st, 1);
			n++;
		}
	}
	sqlite3_finalize(st);
	if (n != NSTAGES) {
		fprintf(stderr, "funnel-bench-gen: the default pipeline does not have %d stages\n", NSTAGES);
		return -1;
	}
	if (sqlite3_prepare_v2(db, "SELECT id FROM channel WHERE key = ?", -1, &st, NULL))
		return -1;
	for (int c = 0; c < COUNT(channels); c++) {
		sqlite3_bind_text(st, 1, channels[c].key, -1, SQLITE_STATIC);
		g->channel_id[c] = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_reset(st);
		if (!g->channel_id[c]) {
			fprintf(stderr, "funnel-bench-gen: no channel '%s' in the defaults\n", channels[c].key);
			sqlite3_finalize(st);
			return -1;
		}
	}
	sqlite3_finalize(st);
	return 0;
}

static int write_leads(struct gen *g, const char *path, int64_t n, int64_t seed)
{
	struct writer w = {0};
	int rc = -1;
	if (sqlite3_open_v2(path, &w.db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fprintf(stderr, "funnel-bench-gen: cannot open '%s': %s\n", path, sqlite3_errmsg(w.db));
		goto out;
	}
	/* bench data: no journal, no fsync, a large page cache for the indexes */
	if (exec(w.db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA locking_mode = EXCLUSIVE;"
		       " PRAGMA cache_size = -1048576; PRAGMA temp_store = MEMORY") ||
	    read_ids(g, w.db))
		goto out;
	if (sqlite3_prepare_v2(w.db, LEAD_SQL, -1, &w.lead, NULL) ||
	    sqlite3_prepare_v2(w.db, EVENT_SQL, -1, &w.event, NULL) ||
	    sqlite3_prepare_v2(w.db, DEAL_SQL, -1, &w.deal, NULL)) {
		fprintf(stderr, "funnel-bench-gen: %s\n", sqlite3_errmsg(w.db));
		goto out;
	}
	struct lead l;
	for (int64_t id = 1; id <= n;) {
		if (exec(w.db, "BEGIN"))
			goto out;
		for (int64_t end = id + BATCH; id < end && id <= n; id++) {
			make_lead(g, id, n, &l);
			if (write_lead(g, &w, &l)) {
				exec(w.db, "ROLLBACK");
				goto out;
			}
		}
		if (exec(w.db, "COMMIT"))
			goto out;
		if (n >= 1000000 && (id - 1) % 1000000 == 0)
			fprintf(stderr, "funnel-bench-gen: %lld of %lld leads\n", (long long)(id - 1), (long long)n);
	}
	sqlite3_finalize(w.lead);
	sqlite3_finalize(w.event);
	sqlite3_finalize(w.deal);
	w.lead = w.event = w.deal = NULL;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(w.db, "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)", -1, &st, NULL))
		goto out;
	const char *keys[] = {"bench.gen_version", "bench.leads", "bench.seed"};
	int64_t vals[] = {GEN_VERSION, n, seed};
	for (int i = 0; i < 3; i++) {
		sqlite3_bind_text(st, 1, keys[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, vals[i]);
		if (step(w.db, st, "the state")) {
			sqlite3_finalize(st);
			goto out;
		}
	}
	sqlite3_finalize(st);
	rc = exec(w.db, "PRAGMA journal_mode = DELETE");
out:
	sqlite3_finalize(w.lead);
	sqlite3_finalize(w.event);
	sqlite3_finalize(w.deal);
	sqlite3_close(w.db);
	return rc;
}

/* ---- users, through the API ---- */

static int add_people(struct gen *g, fnl_db *db)
{
	struct fnl_ctx ctx = {END_AT - SPAN - 30 * DAY, 0};
	struct fnl_user u;
	if (fnl_user_add(db, &ctx, "manager", "王强", "manager", NULL, &u)) {
		fprintf(stderr, "funnel-bench-gen: %s\n", fnl_errmsg(db));
		return -1;
	}
	for (int i = 0; i < NREPS; i++) {
		char login[16], name[32];
		snprintf(login, sizeof login, "sales%02d", i + 1);
		snprintf(name, sizeof name, "%s%s", surnames[i % COUNT(surnames)], given[(i * 7 + i / 20) % COUNT(given)]);
		if (fnl_user_add(db, &ctx, login, name, "sales", teams[i % NTEAMS], &u)) {
			fprintf(stderr, "funnel-bench-gen: %s\n", fnl_errmsg(db));
			return -1;
		}
		g->rep_id[i] = u.id;
		g->rep_skill[i] = 0.85 + 0.3 * fnl_rng_unit(&g->r);
	}
	return 0;
}

/* ---- main ---- */

/* 1 when path is a database of this generator with n leads from seed, 0 when it is not there, -1
 * when it is something else. */
static int reusable(const char *path, int64_t n, int64_t seed)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return 0;
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int64_t have[3] = {-1, -1, -1};
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT key, value FROM state WHERE key LIKE 'bench.%'", -1, &st, NULL) == SQLITE_OK) {
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *k = (const char *)sqlite3_column_text(st, 0);
			int64_t v = sqlite3_column_int64(st, 1);
			if (strcmp(k, "bench.gen_version") == 0)
				have[0] = v;
			else if (strcmp(k, "bench.leads") == 0)
				have[1] = v;
			else if (strcmp(k, "bench.seed") == 0)
				have[2] = v;
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return have[0] == GEN_VERSION && have[1] == n && have[2] == seed ? 1 : -1;
}

static int parse_int(const char *s, int64_t lo, int64_t hi, int64_t *out)
{
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: funnel-bench-gen [--seed S] N PATH\n"
			"  writes a funnel database of N leads (1 to 100000000) to PATH; the same N and\n"
			"  seed give the same data; an existing PATH of the same N and seed is reused\n");
}

static void remove_files(const char *path)
{
	char side[4096];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-journal", path);
	unlink(side);
}

int main(int argc, char **argv)
{
	int64_t seed = 1, n;
	int a = 1;
	if (a + 1 < argc && strcmp(argv[a], "--seed") == 0) {
		if (parse_int(argv[a + 1], 0, INT64_MAX, &seed)) {
			fprintf(stderr, "funnel-bench-gen: --seed: '%s' is not a number\n", argv[a + 1]);
			return 2;
		}
		a += 2;
	}
	if (argc - a != 2) {
		usage();
		return 2;
	}
	if (parse_int(argv[a], 1, 100000000, &n)) {
		fprintf(stderr, "funnel-bench-gen: N: '%s' is not a number from 1 to 100000000\n", argv[a]);
		return 2;
	}
	const char *path = argv[a + 1];
	int have = reusable(path, n, seed);
	if (have > 0) {
		printf("funnel-bench-gen: %s: %lld leads, seed %lld: reused\n", path, (long long)n, (long long)seed);
		return 0;
	}
	if (have < 0) {
		fprintf(stderr, "funnel-bench-gen: '%s' exists and is not a database of %lld leads from seed %lld"
				" (of this generator): remove it first\n", path, (long long)n, (long long)seed);
		return 1;
	}
	char tmp[4096];
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.tmp", path) >= sizeof tmp) {
		fprintf(stderr, "funnel-bench-gen: path too long\n");
		return 2;
	}
	remove_files(tmp);

	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct gen *g = calloc(1, sizeof *g);
	if (!g)
		return 1;
	g->r.s = (uint64_t)seed * 0x2545F4914F6CDD1Dull + 1;
	for (int c = 0; c < COUNT(channels); c++)
		g->channel_weights[c] = channels[c].weight;
	for (int t = 0; t < COUNT(trades); t++)
		g->trade_weights[t] = trades[t].weight;

	struct fnl_ctx ctx = {END_AT - SPAN - 60 * DAY, 0};
	struct fnl_error err;
	fnl_db *db = NULL;
	fnl_tz *tz = NULL;
	int rc = 1;
	if (fnl_db_create(tmp, &ctx, &db, &err)) {
		fprintf(stderr, "funnel-bench-gen: %s\n", err.message);
		goto out;
	}
	if (fnl_tz_load(fnl_tz_name(fnl_db_tz(db)), &tz, &err)) {
		fprintf(stderr, "funnel-bench-gen: %s\n", err.message);
		goto out;
	}
	g->tz = tz;
	if (add_people(g, db))
		goto out;
	fnl_db_close(db);
	db = NULL;
	if (write_leads(g, tmp, n, seed))
		goto out;
	if (rename(tmp, path)) {
		fprintf(stderr, "funnel-bench-gen: cannot rename '%s' to '%s': %s\n", tmp, path, strerror(errno));
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	struct stat sb;
	stat(path, &sb);
	printf("funnel-bench-gen: %s: %lld leads (%lld valid, %lld won, %lld lost), %lld stage events,"
	       " seed %lld, %.0f MB, %.1f s\n",
	       path, (long long)n, (long long)g->nvalid, (long long)g->nwon, (long long)g->nlost,
	       (long long)g->nevents, (long long)seed, (double)sb.st_size / 1e6,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
	rc = 0;
out:
	fnl_db_close(db);
	fnl_tz_free(tz);
	free(g);
	if (rc)
		remove_files(tmp);
	return rc;
}
