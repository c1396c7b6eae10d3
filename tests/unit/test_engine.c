/*
 * tests/unit/test_engine.c - the analytics engine (src/analytics/engine.c, SPEC §7: the cohort
 * funnel and time in stage) against independent references:
 *
 * - a brute-force loop written here over what the library's read API returns (fnl_lead_list with
 *   status "all", fnl_lead_events, fnl_deal_get, fnl_user_list), on random data generated through
 *   the public API, for every filter x group-by x period: every number must be equal;
 * - a reference SQL query (window functions over lead, stage_event and deal) on the same files;
 * - small cases written out by hand: empty database, nothing matching, zero durations from a
 *   skip, nearest ranks on n = 1, 2, 3, 10 (and on the histogram's bucket edges), durations past
 *   its last bucket (> 777 days), many equal durations, lost and open at every stage, a win forced
 *   without a deal;
 * - the Wilson interval and the z-test against values computed with Python (statistics.NormalDist).
 *
 * The random data: a clock that advances deterministically from T_NOW; each step either captures
 * a lead (channels, owners in three teams and one without a team, industries, regions; some
 * invalid, some duplicates that merge, some leads that never get an event past capture) or acts on
 * a random live lead: a B/N/D/U scoring, a forward move (with skips), a move back with a note, a
 * loss with a reason at any stage, a reopening, a deal (fnl_deal_close), an expected amount, a
 * reassignment, or a forced win without a deal. The stage gates stay on: before a move into or
 * past propose the lead gets a confirmed needs list, before negotiate a solution item.
 *
 * Scale: FUNNEL_TEST_SEEDS and FUNNEL_TEST_LEADS override the number of seeds and leads per seed
 * (defaults: 30 x 1000, and 4 x 800 under AddressSanitizer).
 */
#include <math.h>
#include <time.h>

#include "analytics/snapshot.h"
#include "core/rng.h"
#include "testutil.h"

#include "funnel/analytics.h"
#include "store/store.h" /* the handle's connection, for one PRAGMA that only makes the test fast */

#define S_MAX FNL_MAX_STAGES

/* ---- a deterministic random source (splitmix64) ---- */

#if defined(__SANITIZE_ADDRESS__)
#define DEFAULT_SEEDS 4
#define DEFAULT_LEADS 800
#else
#define DEFAULT_SEEDS 30
#define DEFAULT_LEADS 1000
#endif

/* ---- the generator ---- */

static const char *const CHANNELS[] = {"vertical_media", "sem", "social", "website", "trade_show",
				       "partner_referral", "salon", "customer_referral", "repurchase"};
/* "other" is never used: a filter on it matches nothing */
static const char *const OWNERS[] = {"s1", "s2", "s3", "s4", "s5", "s6", "m1", NULL};
static const char *const INDUSTRIES[] = {NULL, "制造业", "软件", "教育", "医疗", "零售"};
static const char *const REGIONS[] = {NULL, "广东/深圳", "上海", "北京", "浙江/杭州"};
static const char *const REASONS[] = {"price", "competitor", "no_budget", "no_decision_maker",
				      "timing", "no_response", "product_fit", "other"};
#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* What the generator knows of a lead, to choose valid actions. */
struct mlead {
	char phone[16];
	char status[12];
	int pos;
	int live;     /* still gets actions */
	int needs, solution;
};

struct gen {
	struct tenv *t;
	struct fnl_rng r;
	int64_t now;
	int nstages;
	char stage_key[S_MAX + 1][FNL_KEY_LEN];
	struct mlead *m; /* by lead id */
	size_t cap;
	int64_t *live;   /* ids of live leads */
	size_t nlive;
	int64_t *valid;  /* ids of every counted lead, for duplicates */
	size_t nvalid;
	struct {
		int added, invalid, merged, returning, dormant, scored, forward, skips, back, lost, reopened,
			won, forced, edits, reassigned;
		int lost_at[S_MAX + 1];
	} n;
};

static struct mlead *mlead_of(struct gen *g, int64_t id)
{
	if ((size_t)id >= g->cap) {
		size_t cap = g->cap ? g->cap : 256;
		while (cap <= (size_t)id)
			cap *= 2;
		struct mlead *m = realloc(g->m, cap * sizeof *m);
		assert_non_null(m);
		memset(m + g->cap, 0, (cap - g->cap) * sizeof *m);
		g->m = m;
		g->cap = cap;
	}
	return &g->m[id];
}

/* Append to an array whose capacity is the next power of two (at least 16). */
static void push(int64_t **v, size_t *n, int64_t id)
{
	if (*n == 0 || (*n >= 16 && (*n & (*n - 1)) == 0)) {
		int64_t *p = realloc(*v, (*n ? *n * 2 : 16) * sizeof *p);
		assert_non_null(p);
		*v = p;
	}
	(*v)[(*n)++] = id;
}

static void seen(struct gen *g, const struct fnl_lead *l)
{
	struct mlead *m = mlead_of(g, l->id);
	snprintf(m->status, sizeof m->status, "%s", l->status);
	m->pos = l->stage_pos;
}

static void gen_users(struct tenv *t)
{
	t_user(t, "s1", "sales", "华东");
	t_user(t, "s2", "sales", "华东");
	t_user(t, "s3", "sales", "华南");
	t_user(t, "s4", "sales", "华南");
	t_user(t, "s5", "sales", "华北");
	t_user(t, "s6", "sales", NULL);
	t_user(t, "m1", "manager", "华东");
}

static void gen_add(struct gen *g)
{
	struct tenv *t = g->t;
	struct fnl_ctx c = t_sys(g->now);
	char company[64], phone[16];
	snprintf(company, sizeof company, "客户%06d科技", g->n.added + g->n.invalid + g->n.merged + 1);
	struct fnl_lead_input in = {0};
	in.company = company;
	in.contact = fnl_rng_chance(&g->r, 50) ? "张伟" : "李娜";
	in.channel = CHANNELS[fnl_rng_below(&g->r, N_OF(CHANNELS))];
	in.owner = OWNERS[fnl_rng_below(&g->r, N_OF(OWNERS))];
	in.industry = INDUSTRIES[fnl_rng_below(&g->r, N_OF(INDUSTRIES))];
	in.region = REGIONS[fnl_rng_below(&g->r, N_OF(REGIONS))];
	int kind = fnl_rng_below(&g->r, 100);
	if (kind < 4) {
		in.phone = "12345"; /* bad_phone: stored invalid */
	} else if (kind < 9 && g->nvalid) {
		in.phone = g->m[g->valid[fnl_rng_below(&g->r, (int)g->nvalid)]].phone; /* a duplicate */
	} else {
		in.phone = t_phone(t, phone);
	}
	int result = 0;
	int64_t rid = 0;
	struct fnl_lead l;
	T_OK(t, fnl_lead_add(t->db, &c, &in, &result, &l, &rid));
	if (result == FNL_ADD_INVALID) {
		g->n.invalid++;
		return;
	}
	if (result == FNL_ADD_MERGED) {
		assert_int_not_equal(rid, l.id);
		g->n.merged++;
		return;
	}
	g->n.added++;
	g->n.returning += result == FNL_ADD_RETURNING;
	struct mlead *m = mlead_of(g, l.id);
	snprintf(m->phone, sizeof m->phone, "%s", in.phone);
	seen(g, &l);
	push(&g->valid, &g->nvalid, l.id);
	if (fnl_rng_chance(&g->r, 10)) {
		g->n.dormant++; /* never an event past capture */
		return;
	}
	m->live = 1;
	push(&g->live, &g->nlive, l.id);
}

/* The stage gates before a forward move of lead id from its stage to pos. */
static void gen_gates(struct gen *g, int64_t id, int to)
{
	struct tenv *t = g->t;
	struct mlead *m = &g->m[id];
	struct fnl_ctx c = t_sys(g->now);
	if (to >= 4 && !m->needs) {
		struct fnl_needs nd;
		T_OK(t, fnl_needs_add(t->db, &c, id, "统一管理各渠道线索", 1, NULL, 0, &nd));
		fnl_needs_free(&nd);
		T_OK(t, fnl_needs_confirm(t->db, &c, id, 0, "phone", 0, &nd));
		fnl_needs_free(&nd);
		m->needs = 1;
	}
	if (to >= 5 && !m->solution) {
		T_OK(t, fnl_solution_add(t->db, &c, id, 1, "线索统一入库", "不漏跟", "", "", "", NULL));
		m->solution = 1;
	}
}

static void gen_score(struct gen *g, int64_t id, struct fnl_lead *l)
{
	struct fnl_ctx c = t_sys(g->now);
	struct fnl_rng *r = &g->r;
	T_OK(g->t, fnl_lead_score(g->t->db, &c, id, 1 + fnl_rng_below(r, 5), 1 + fnl_rng_below(r, 5), 1 + fnl_rng_below(r, 5), 1 + fnl_rng_below(r, 5), l));
	g->n.scored++;
}

static void gen_win(struct gen *g, int64_t id, struct fnl_lead *l)
{
	struct tenv *t = g->t;
	struct fnl_ctx c = t_sys(g->now);
	gen_gates(g, id, g->nstages);
	char contract[32], day[11];
	snprintf(contract, sizeof contract, "HT-%lld", (long long)id);
	t_date(t, g->now, day);
	int64_t amount = INT64_C(100) * (1 + fnl_rng_below(&g->r, 2000000)); /* 1.00 to 2,000,000.00 yuan */
	T_OK(t, fnl_deal_close(t->db, &c, id, contract, amount, day, NULL, 0, l));
	assert_string_equal(l->status, "won");
	g->n.won++;
}

enum act { A_SCORE, A_FORWARD, A_BACK, A_LOSE, A_WIN, A_AMOUNT, A_ASSIGN, A_FORCE, A_RETIRE, A_COUNT };

/* Percent weights of the actions on an open lead at acquire and past it. */
static const int ACT_AT_ACQUIRE[A_COUNT] = {50, 15, 0, 12, 3, 0, 5, 0, 15};
static const int ACT_PAST_ACQUIRE[A_COUNT] = {5, 33, 10, 12, 13, 5, 5, 2, 15};

static void gen_act_open(struct gen *g, int64_t id, struct fnl_lead *l)
{
	struct tenv *t = g->t;
	struct fnl_rng *r = &g->r;
	struct fnl_ctx c = t_sys(g->now);
	int p = g->m[id].pos, last = g->nstages, x = fnl_rng_below(r, 100), a = 0;
	const int *w = p == 1 ? ACT_AT_ACQUIRE : ACT_PAST_ACQUIRE;
	while (a < A_RETIRE && x >= w[a])
		x -= w[a++];
	switch ((enum act)a) {
	case A_SCORE:
		gen_score(g, id, l);
		break;
	case A_FORWARD: {
		if (p == last - 1) {
			gen_win(g, id, l);
			break;
		}
		int to = fnl_rng_chance(r, 25) ? p + 1 + fnl_rng_below(r, last - 1 - p) : p + 1;
		gen_gates(g, id, to);
		T_OK(t, fnl_lead_move(t->db, &c, id, g->stage_key[to], "", l));
		g->n.forward++;
		g->n.skips += to > p + 1;
		break;
	}
	case A_BACK:
		T_OK(t, fnl_lead_move(t->db, &c, id, g->stage_key[1 + fnl_rng_below(r, p - 1)], "客户需求有变，退回重新梳理", l));
		g->n.back++;
		break;
	case A_LOSE:
		T_OK(t, fnl_lead_lose(t->db, &c, id, REASONS[fnl_rng_below(r, N_OF(REASONS))], "", l));
		g->n.lost++;
		g->n.lost_at[p]++;
		break;
	case A_WIN:
		gen_win(g, id, l);
		break;
	case A_AMOUNT: {
		struct fnl_lead_input in = {0};
		in.has_amount = 1;
		in.amount = INT64_C(100) * (1 + fnl_rng_below(r, 500000));
		in.close_month = "2027-06";
		T_OK(t, fnl_lead_edit(t->db, &c, id, &in, l));
		g->n.edits++;
		break;
	}
	case A_ASSIGN: {
		int rc = fnl_lead_assign(t->db, &c, id, OWNERS[fnl_rng_below(r, N_OF(OWNERS) - 1)], "调整分工", l);
		if (rc == FNL_ESTATE) /* already theirs */
			T_OK(t, fnl_lead_get(t->db, &c, id, l));
		else
			T_OK(t, rc);
		g->n.reassigned++;
		break;
	}
	case A_FORCE:
		/* a manager's forced win: won without a deal (and maybe with an expected amount) */
		T_OK(t, fnl_lead_force(t->db, &c, id, g->stage_key[last], "老客户口头确认", l));
		assert_string_equal(l->status, "won");
		g->n.forced++;
		break;
	default:
		g->m[id].live = 0;
		T_OK(t, fnl_lead_get(t->db, &c, id, l));
	}
}

static void gen_act(struct gen *g, size_t k)
{
	struct tenv *t = g->t;
	struct fnl_rng *r = &g->r;
	struct fnl_ctx c = t_sys(g->now);
	int64_t id = g->live[k];
	struct mlead *m = &g->m[id];
	struct fnl_lead l;
	int x = fnl_rng_below(r, 100);
	if (strcmp(m->status, "open") == 0) {
		gen_act_open(g, id, &l);
	} else if (strcmp(m->status, "nurture") == 0) {
		if (x < 35) {
			gen_score(g, id, &l);
		} else if (x < 65) {
			T_OK(t, fnl_lead_reopen(t->db, &c, id, "客户重新感兴趣", &l));
			g->n.reopened++;
		} else if (x < 80) {
			T_OK(t, fnl_lead_lose(t->db, &c, id, REASONS[fnl_rng_below(r, N_OF(REASONS))], "", &l));
			g->n.lost++;
			g->n.lost_at[m->pos]++;
		} else {
			m->live = 0;
			T_OK(t, fnl_lead_get(t->db, &c, id, &l));
		}
	} else if (strcmp(m->status, "lost") == 0 && x < 35) {
		T_OK(t, fnl_lead_reopen(t->db, &c, id, "客户重新询价", &l));
		g->n.reopened++;
	} else {
		m->live = 0;
		T_OK(t, fnl_lead_get(t->db, &c, id, &l));
	}
	seen(g, &l);
	if (strcmp(m->status, "won") == 0 || fnl_rng_chance(r, 8))
		m->live = 0;
	if (!m->live)
		g->live[k] = g->live[--g->nlive];
}

/* Generate nleads captured leads (valid ones; invalid and merged come on top) on t's database. */
static void generate(struct gen *g, struct tenv *t, uint64_t seed, int nleads)
{
	memset(g, 0, sizeof *g);
	g->t = t;
	g->r.s = seed * UINT64_C(1000003) + 17;
	g->now = T_NOW;
	gen_users(t);
	struct fnl_stage *st;
	size_t ns;
	T_OK(t, fnl_stage_list(t->db, NULL, &st, &ns));
	g->nstages = (int)ns;
	for (size_t k = 0; k < ns; k++)
		snprintf(g->stage_key[st[k].pos], FNL_KEY_LEN, "%s", st[k].key);
	free(st);
	/* one transaction for the lot; inside it every call is a savepoint, whose journal SQLite would
	 * otherwise write to a temporary file (a third of the time here) */
	assert_int_equal(sqlite3_exec(t->db->sql, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL), SQLITE_OK);
	T_OK(t, fnl_db_begin(t->db));
	while (g->n.added < nleads || g->nlive) {
		/* the clock: mostly 1 minute to 3 hours on, sometimes not at all */
		if (!fnl_rng_chance(&g->r, 8))
			g->now += 60 + fnl_rng_below(&g->r, 3 * 3600);
		if (g->n.added < nleads && (!g->nlive || fnl_rng_chance(&g->r, 35)))
			gen_add(g);
		else
			gen_act(g, (size_t)fnl_rng_below(&g->r, (int)g->nlive));
	}
	T_OK(t, fnl_db_commit(t->db));
}

static void gen_free(struct gen *g)
{
	free(g->m);
	free(g->live);
	free(g->valid);
}

/* ---- the brute force: the cohort funnel from the read API, by sorting ---- */

/* Interned names of one dimension, in the order first seen. */
struct dict {
	char (*v)[FNL_NAME_LEN];
	int n;
};

static int dict_find(const struct dict *d, const char *name)
{
	for (int i = 0; i < d->n; i++)
		if (strcmp(d->v[i], name) == 0)
			return i;
	return -1;
}

static int dict_add(struct dict *d, const char *name)
{
	int i = dict_find(d, name);
	if (i >= 0)
		return i;
	if (d->n == 0 || (d->n >= 8 && (d->n & (d->n - 1)) == 0)) {
		void *p = realloc(d->v, (size_t)(d->n ? d->n * 2 : 8) * sizeof *d->v);
		assert_non_null(p);
		d->v = p;
	}
	snprintf(d->v[d->n], FNL_NAME_LEN, "%s", name);
	return d->n++;
}

enum { B_OPEN = 1, B_NURTURE, B_WON, B_LOST };

struct bf_lead {
	int64_t captured;
	int val[FNL_DIM_COUNT];        /* interned value of each dimension 1..7 */
	int status;                    /* B_* */
	int pos, reached;
	int64_t first[S_MAX + 2];      /* first entry into position k: the earliest event to >= k; 0 never */
	int64_t deal;                  /* the deal's amount; 0 without a deal */
	int64_t dur[S_MAX + 1];        /* [0] capture -> won, [k] entry k -> entry k+1; -1 none */
};

struct bf {
	int nstages;
	struct bf_lead *l;
	size_t n;
	struct dict dict[FNL_DIM_COUNT];
	uint32_t *order[S_MAX + 1];    /* per transition: the leads that made it, by duration */
	size_t norder[S_MAX + 1];
	int64_t *caps;                 /* capture times, sorted */
	int *match, *grp;              /* per lead scratch */
};

static int status_of(const char *s)
{
	return strcmp(s, "open") == 0 ? B_OPEN
	       : strcmp(s, "nurture") == 0 ? B_NURTURE
	       : strcmp(s, "won") == 0 ? B_WON
	       : strcmp(s, "lost") == 0 ? B_LOST
				       : 0;
}

/* The month "YYYY-MM" of t in Asia/Shanghai (UTC+8, no DST since 1991), with the C library. */
static void month_of(int64_t t, char buf[static 8])
{
	time_t local = (time_t)(t + 8 * 3600);
	struct tm tm;
	gmtime_r(&local, &tm);
	snprintf(buf, 8, "%04d-%02d", tm.tm_year + 1900, tm.tm_mon + 1);
}

static const struct bf *sort_ctx;
static int sort_tr;

static int by_duration(const void *a, const void *b)
{
	int64_t x = sort_ctx->l[*(const uint32_t *)a].dur[sort_tr], y = sort_ctx->l[*(const uint32_t *)b].dur[sort_tr];
	return x < y ? -1 : x > y;
}

static int by_time(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static void bf_load(struct tenv *t, struct bf *b)
{
	memset(b, 0, sizeof *b);
	struct fnl_ctx c = t_sys(T_NOW + 3000 * T_DAY);
	struct fnl_stage *st;
	size_t ns;
	T_OK(t, fnl_stage_list(t->db, NULL, &st, &ns));
	b->nstages = (int)ns;
	struct fnl_user *users;
	size_t nu;
	T_OK(t, fnl_user_list(t->db, &users, &nu));
	struct fnl_lead_filter f = {0};
	f.status = "all";
	struct fnl_lead *v;
	size_t n;
	T_OK(t, fnl_lead_list(t->db, &c, &f, &v, &n));
	b->l = calloc(n ? n : 1, sizeof *b->l);
	b->caps = calloc(n ? n : 1, sizeof *b->caps);
	assert_non_null(b->l);
	assert_non_null(b->caps);
	for (size_t i = 0; i < n; i++) {
		struct bf_lead *x = &b->l[b->n];
		x->status = status_of(v[i].status);
		if (!x->status)
			continue; /* invalid, merged: never in the funnel */
		x->captured = v[i].captured_at;
		const char *team = NULL;
		for (size_t u = 0; u < nu; u++)
			if (strcmp(users[u].login, v[i].owner) == 0)
				team = users[u].team;
		char month[8];
		month_of(x->captured, month);
		x->val[FNL_DIM_CHANNEL] = dict_add(&b->dict[FNL_DIM_CHANNEL], v[i].channel);
		x->val[FNL_DIM_OWNER] = dict_add(&b->dict[FNL_DIM_OWNER], v[i].owner);
		x->val[FNL_DIM_TEAM] = dict_add(&b->dict[FNL_DIM_TEAM], team ? team : "");
		x->val[FNL_DIM_GRADE] = dict_add(&b->dict[FNL_DIM_GRADE], v[i].grade);
		x->val[FNL_DIM_INDUSTRY] = dict_add(&b->dict[FNL_DIM_INDUSTRY], v[i].industry);
		x->val[FNL_DIM_REGION] = dict_add(&b->dict[FNL_DIM_REGION], v[i].region);
		x->val[FNL_DIM_MONTH] = dict_add(&b->dict[FNL_DIM_MONTH], month);
		x->pos = v[i].stage_pos;
		struct fnl_stage_event *e;
		size_t ne;
		T_OK(t, fnl_lead_events(t->db, &c, v[i].id, &e, &ne));
		for (size_t j = 0; j < ne; j++) {
			int p = 0;
			for (size_t k = 0; k < ns; k++)
				if (strcmp(st[k].key, e[j].to) == 0)
					p = st[k].pos;
			assert_true(p >= 1);
			if (p > x->reached)
				x->reached = p;
			for (int k = 1; k <= p; k++)
				if (!x->first[k] || e[j].at < x->first[k])
					x->first[k] = e[j].at;
		}
		free(e);
		/* the furthest stage from the events is the one the lead keeps */
		assert_int_equal(x->reached, v[i].reached_pos);
		if (x->status == B_WON) {
			struct fnl_deal d;
			int rc = fnl_deal_get(t->db, &c, v[i].id, &d);
			if (rc == FNL_OK)
				x->deal = d.amount;
			else
				T_RC(t, rc, FNL_ENOTFOUND);
		}
		x->dur[0] = x->status == B_WON ? x->first[b->nstages] - x->captured : -1;
		for (int k = 1; k < b->nstages; k++)
			x->dur[k] = x->first[k] && x->first[k + 1] ? x->first[k + 1] - x->first[k] : -1;
		b->caps[b->n] = x->captured;
		b->n++;
	}
	free(v);
	free(users);
	free(st);
	qsort(b->caps, b->n, sizeof *b->caps, by_time);
	sort_ctx = b;
	for (int tr = 0; tr < b->nstages; tr++) {
		b->order[tr] = malloc((b->n ? b->n : 1) * sizeof *b->order[tr]);
		assert_non_null(b->order[tr]);
		for (size_t i = 0; i < b->n; i++)
			if (b->l[i].dur[tr] >= 0)
				b->order[tr][b->norder[tr]++] = (uint32_t)i;
		sort_tr = tr;
		qsort(b->order[tr], b->norder[tr], sizeof *b->order[tr], by_duration);
	}
	b->match = calloc(b->n ? b->n : 1, sizeof *b->match);
	b->grp = calloc(b->n ? b->n : 1, sizeof *b->grp);
	assert_non_null(b->match);
	assert_non_null(b->grp);
}

static void bf_free(struct bf *b)
{
	free(b->l);
	free(b->caps);
	free(b->match);
	free(b->grp);
	for (int d = 0; d < FNL_DIM_COUNT; d++)
		free(b->dict[d].v);
	for (int tr = 0; tr <= S_MAX; tr++)
		free(b->order[tr]);
}

/* A query in the brute force's terms: interned values, or -1 for any. */
struct bq {
	int64_t from, to;
	int filter[FNL_DIM_COUNT];
	enum fnl_dim by;
	const char *what; /* for messages */
};

struct bf_group {
	int64_t leads, reached[S_MAX + 1], lost[S_MAX + 1], open[S_MAX + 1], won_count, won_amount;
	struct fnl_duration_stats d[S_MAX + 1]; /* [0] cycle, [k] k -> k+1 */
	int64_t rank_med[S_MAX + 1], rank_p90[S_MAX + 1], seen[S_MAX + 1];
};

/* The nearest ranks, written as the definition says: the smallest r with r >= 0.5 n, r >= 0.9 n. */
static int64_t rank_of(int64_t n, int tenths)
{
	int64_t r = n * tenths / 10;
	return r * 10 < n * tenths ? r + 1 : r;
}

/* The brute-force figures of q: g has one slot per interned value of q->by (one for none). */
static void bf_query(const struct bf *b, const struct bq *q, struct bf_group *g, int ng)
{
	memset(g, 0, (size_t)ng * sizeof *g);
	for (size_t i = 0; i < b->n; i++) {
		const struct bf_lead *x = &b->l[i];
		int m = (!q->from || x->captured >= q->from) && (!q->to || x->captured < q->to);
		for (int d = FNL_DIM_CHANNEL; m && d <= FNL_DIM_REGION; d++)
			if (q->filter[d] >= 0 && x->val[d] != q->filter[d])
				m = 0;
		b->match[i] = m;
		if (!m)
			continue;
		int gi = b->grp[i] = q->by == FNL_DIM_NONE ? 0 : x->val[q->by];
		struct bf_group *G = &g[gi];
		G->leads++;
		for (int k = 1; k <= x->reached; k++)
			G->reached[k]++;
		if (x->status == B_LOST)
			G->lost[x->pos]++;
		else if (x->status == B_WON) {
			G->won_count++;
			G->won_amount += x->deal;
		} else
			G->open[x->pos]++;
		for (int tr = 0; tr < b->nstages; tr++)
			if (x->dur[tr] >= 0) {
				G->d[tr].count++;
				G->d[tr].sum += x->dur[tr];
			}
	}
	for (int gi = 0; gi < ng; gi++)
		for (int tr = 0; tr < b->nstages; tr++) {
			g[gi].rank_med[tr] = rank_of(g[gi].d[tr].count, 5);
			g[gi].rank_p90[tr] = rank_of(g[gi].d[tr].count, 9);
		}
	/* walk each transition's leads in order of duration: the r-th matching one of a group is its
	 * r-th smallest */
	for (int tr = 0; tr < b->nstages; tr++)
		for (size_t j = 0; j < b->norder[tr]; j++) {
			uint32_t i = b->order[tr][j];
			if (!b->match[i])
				continue;
			struct bf_group *G = &g[b->grp[i]];
			int64_t r = ++G->seen[tr];
			if (r == G->rank_med[tr])
				G->d[tr].median = b->l[i].dur[tr];
			if (r == G->rank_p90[tr])
				G->d[tr].p90 = b->l[i].dur[tr];
		}
}

static const char *const DIM_NAMES[FNL_DIM_COUNT] = {"none", "channel", "owner", "team", "grade", "industry", "region", "month"};

/* exp == got, else fail naming the query, the group and the figure (formatted only then) */
#define EQ(exp, got, ...)                                                                                 \
	do {                                                                                              \
		int64_t e_ = (exp), g_ = (got);                                                           \
		if (e_ != g_) {                                                                           \
			char f_[64];                                                                      \
			snprintf(f_, sizeof f_, __VA_ARGS__);                                             \
			fail_msg("%s [%s], group '%s': %s: expected %lld, engine %lld", what, q->what,    \
				 gname, f_, (long long)e_, (long long)g_);                                \
		}                                                                                         \
	} while (0)

/* Compare an engine result with the brute force's groups. with_time: durations too (else they
 * must be zero). */
static void compare(const fnl_snapshot *s, const struct bf *b, const struct bq *q, const struct bf_group *g,
		    int ng, const struct fnl_funnel *f, int with_time, const char *what)
{
	char gname[FNL_NAME_LEN + 8] = "all";
	int nonempty = 0;
	for (int gi = 0; gi < ng; gi++)
		nonempty += g[gi].leads > 0;
	EQ(nonempty, f->ngroups, "groups");
	EQ(b->nstages, f->nstages, "stages");
	int prev = -2;
	for (int k = 0; k < f->ngroups; k++) {
		const struct fnl_funnel_group *G = &f->groups[k];
		int gi = 0;
		if (q->by == FNL_DIM_NONE) {
			EQ(-1, G->key, "key");
		} else {
			const char *name = fnl_snapshot_name(s, q->by, G->key);
			snprintf(gname, sizeof gname, "%s", name);
			gi = dict_find(&b->dict[q->by], name);
			if (gi < 0)
				fail_msg("%s [%s]: the engine has a group '%s' (key %d) the data does not have", what,
					 q->what, name, G->key);
			if (G->key <= prev)
				fail_msg("%s [%s]: group keys out of order: %d after %d", what, q->what, G->key, prev);
			prev = G->key;
		}
		const struct bf_group *E = &g[gi];
		EQ(E->leads, G->leads, "leads");
		for (int p = 0; p <= S_MAX; p++) {
			int in = p >= 1 && p <= b->nstages;
			EQ(in ? E->reached[p] : 0, G->reached[p], "reached[%d]", p);
			EQ(in ? E->lost[p] : 0, G->lost[p], "lost[%d]", p);
			EQ(in ? E->open[p] : 0, G->open[p], "open[%d]", p);
		}
		EQ(E->won_count, G->won_count, "won_count");
		EQ(E->won_amount, G->won_amount, "won_amount");
		for (int tr = 0; tr <= S_MAX; tr++) {
			const struct fnl_duration_stats *d = tr ? &G->stage_time[tr] : &G->cycle;
			static const struct fnl_duration_stats zero = {0, 0, 0, 0};
			const struct fnl_duration_stats *x = with_time && tr < b->nstages ? &E->d[tr] : &zero;
			const char *nm = tr ? "stage_time" : "cycle";
			EQ(x->count, d->count, "%s[%d].count", nm, tr);
			EQ(x->sum, d->sum, "%s[%d].sum", nm, tr);
			EQ(x->median, d->median, "%s[%d].median", nm, tr);
			EQ(x->p90, d->p90, "%s[%d].p90", nm, tr);
		}
	}
}

/* Translate a brute-force query into an engine query (names through the snapshot's dictionary). */
static void to_query(const fnl_snapshot *s, const struct bf *b, const struct bq *bq, struct fnl_query *q)
{
	fnl_query_init(q);
	q->from = bq->from;
	q->to = bq->to;
	q->by = bq->by;
	for (int d = FNL_DIM_CHANNEL; d <= FNL_DIM_REGION; d++) {
		if (bq->filter[d] < 0)
			continue;
		const char *name = b->dict[d].v[bq->filter[d]];
		q->filter[d] = fnl_snapshot_find(s, (enum fnl_dim)d, name);
		if (q->filter[d] < 0)
			fail_msg("the snapshot has no %s '%s'", DIM_NAMES[d], name);
	}
}

struct counts {
	int64_t seeds, leads, queries;
};

/* Every filter x every group-by x the periods, on one generated database. */
static void check_all(const fnl_snapshot *s, const struct bf *b, uint64_t seed, struct counts *cnt)
{
	int64_t lo = b->caps[0], hi = b->caps[b->n - 1];
	struct {
		const char *name;
		int64_t from, to;
	} periods[] = {
		{"no period", 0, 0},
		/* bounds on capture instants, so that [from, to) is tested at its edges */
		{"from only", b->caps[b->n * 4 / 10], 0},
		{"to only", 0, b->caps[b->n * 7 / 10]},
		{"from and to", b->caps[b->n * 3 / 10], b->caps[b->n * 6 / 10]},
		{"empty (after the last capture)", hi + 1, 0},
		{"empty (from = to)", b->caps[b->n / 2], b->caps[b->n / 2]},
		{"everything (both bounds)", lo, hi + 1},
	};
	/* filters: none, then three values of each dimension, then two dimensions at once */
	struct filt {
		int dim, val, dim2, val2;
	} filters[64];
	int nf = 0;
	filters[nf++] = (struct filt){0, -1, 0, -1};
	for (int d = FNL_DIM_CHANNEL; d <= FNL_DIM_REGION; d++) {
		int n = b->dict[d].n, vals[3] = {0, n / 2, n - 1};
		for (int k = 0; k < 3; k++)
			if (k == 0 || vals[k] != vals[k - 1])
				filters[nf++] = (struct filt){d, vals[k], 0, -1};
	}
	filters[nf++] = (struct filt){FNL_DIM_CHANNEL, 0, FNL_DIM_GRADE, b->dict[FNL_DIM_GRADE].n - 1};
	filters[nf++] = (struct filt){FNL_DIM_TEAM, 0, FNL_DIM_REGION, b->dict[FNL_DIM_REGION].n / 2};

	int maxg = 1;
	for (int d = 1; d < FNL_DIM_COUNT; d++)
		if (b->dict[d].n > maxg)
			maxg = b->dict[d].n;
	struct bf_group *g = calloc((size_t)maxg, sizeof *g);
	assert_non_null(g);
	for (size_t p = 0; p < sizeof periods / sizeof periods[0]; p++)
		for (int fi = 0; fi < nf; fi++)
			for (int by = FNL_DIM_NONE; by < FNL_DIM_COUNT; by++) {
				struct bq bq;
				char what[256];
				bq.from = periods[p].from;
				bq.to = periods[p].to;
				bq.by = (enum fnl_dim)by;
				for (int d = 0; d < FNL_DIM_COUNT; d++)
					bq.filter[d] = -1;
				if (filters[fi].val >= 0)
					bq.filter[filters[fi].dim] = filters[fi].val;
				if (filters[fi].val2 >= 0)
					bq.filter[filters[fi].dim2] = filters[fi].val2;
				snprintf(what, sizeof what, "seed %llu, %s, filter %s='%s'%s%s%s%s, by %s",
					 (unsigned long long)seed, periods[p].name, DIM_NAMES[filters[fi].dim],
					 filters[fi].val >= 0 ? b->dict[filters[fi].dim].v[filters[fi].val] : "",
					 filters[fi].val2 >= 0 ? " and " : "",
					 filters[fi].val2 >= 0 ? DIM_NAMES[filters[fi].dim2] : "",
					 filters[fi].val2 >= 0 ? "=" : "",
					 filters[fi].val2 >= 0 ? b->dict[filters[fi].dim2].v[filters[fi].val2] : "",
					 DIM_NAMES[by]);
				bq.what = what;
				int ng = by == FNL_DIM_NONE ? 1 : b->dict[by].n;
				bf_query(b, &bq, g, ng);
				struct fnl_query q;
				to_query(s, b, &bq, &q);
				struct fnl_funnel f;
				assert_int_equal(fnl_engine_funnel(s, &q, 1, &f), 0);
				compare(s, b, &bq, g, ng, &f, 1, "fnl_engine_funnel(with_time=1)");
				fnl_funnel_free(&f);
				assert_int_equal(fnl_engine_counts(s, &q, &f), 0);
				compare(s, b, &bq, g, ng, &f, 0, "fnl_engine_counts");
				fnl_funnel_free(&f);
				if (by == FNL_DIM_NONE || by == FNL_DIM_MONTH) {
					assert_int_equal(fnl_engine_funnel(s, &q, 0, &f), 0);
					compare(s, b, &bq, g, ng, &f, 0, "fnl_engine_funnel(with_time=0)");
					fnl_funnel_free(&f);
				}
				cnt->queries++;
			}
	free(g);
}

static void test_engine_vs_brute_force(void **state)
{
	(void)state;
	int seeds = t_env_int("FUNNEL_TEST_SEEDS", DEFAULT_SEEDS, 1000000);
	int leads = t_env_int("FUNNEL_TEST_LEADS", DEFAULT_LEADS, 1000000);
	struct counts cnt = {0, 0, 0};
	struct gen g;
	for (int seed = 1; seed <= seeds; seed++) {
		void *st = NULL;
		assert_int_equal(tenv_setup(&st), 0);
		struct tenv *t = st;
		generate(&g, t, (uint64_t)seed, leads);
		fnl_snapshot *s;
		T_OK(t, fnl_snapshot_build(t->db, &s));
		struct bf b;
		bf_load(t, &b);
		assert_int_equal(b.n, g.n.added);
		/* the data has what it should: losses at every stage but the last, skips, moves back,
		 * reopenings, deals, forced wins, invalid, merged and dormant leads */
		for (int k = 1; k < g.nstages; k++)
			if (!g.n.lost_at[k])
				fail_msg("seed %d: no loss at stage %d", seed, k);
		assert_true(g.n.skips && g.n.back && g.n.reopened && g.n.won && g.n.forced && g.n.invalid &&
			    g.n.merged && g.n.dormant);
		check_all(s, &b, (uint64_t)seed, &cnt);
		cnt.seeds++;
		cnt.leads += (int64_t)b.n;
		if (seed == 1)
			printf("seed 1: %d leads (+%d invalid, %d merged; %d returning, %d dormant), %d scorings,"
			       " %d forward moves (%d skips), %d back, %d losses (%d %d %d %d %d by stage), %d"
			       " reopenings, %d deals, %d forced wins, %d amount edits, %d reassignments\n",
			       g.n.added, g.n.invalid, g.n.merged, g.n.returning, g.n.dormant, g.n.scored,
			       g.n.forward, g.n.skips, g.n.back, g.n.lost, g.n.lost_at[1], g.n.lost_at[2],
			       g.n.lost_at[3], g.n.lost_at[4], g.n.lost_at[5], g.n.reopened, g.n.won, g.n.forced,
			       g.n.edits, g.n.reassigned);
		bf_free(&b);
		fnl_snapshot_free(s);
		gen_free(&g);
		tenv_teardown(&st);
	}
	printf("engine = brute force: %lld seeds, %lld leads, %lld queries\n", (long long)cnt.seeds,
	       (long long)cnt.leads, (long long)cnt.queries);
}

/* ---- the guess of the quantiles' windows ---- */

static void same_durations(const struct fnl_duration_stats *a, const struct fnl_duration_stats *b)
{
	assert_int_equal(a->count, b->count);
	assert_int_equal(a->sum, b->sum);
	assert_int_equal(a->median, b->median);
	assert_int_equal(a->p90, b->p90);
}

/*
 * The engine guesses from a sample where each median and p90 lie, keeps the values there, and takes
 * a second pass for a cell whose guess missed. Push the windows off the quantiles (and make every
 * cell use them, however small) so that every guess misses, or make them as narrow as can be: the
 * figures must be those of the default, which the brute force above checks.
 */
static void test_guess_misses_change_nothing(void **state)
{
	(void)state;
	static const struct fnl__engine_tuning tunings[] = {
		{1, 1, 0.0, 0.3},   /* windows far above the quantiles: the guesses miss */
		{1, 1, 0.0, -0.45}, /* far below */
		{1, 1, 0.0, 0.0},   /* as narrow as can be: hits and misses */
		{2, 1, 1.0, 0.05},
	};
	struct gen g;
	for (int seed = 1; seed <= 2; seed++) {
		void *st = NULL;
		assert_int_equal(tenv_setup(&st), 0);
		struct tenv *t = st;
		generate(&g, t, (uint64_t)seed + 100, 600);
		fnl_snapshot *s;
		T_OK(t, fnl_snapshot_build(t->db, &s));
		for (int by = FNL_DIM_NONE; by < FNL_DIM_COUNT; by++) {
			struct fnl_query q;
			fnl_query_init(&q);
			q.by = (enum fnl_dim)by;
			struct fnl_funnel want;
			assert_int_equal(fnl_engine_funnel(s, &q, 1, &want), 0);
			for (size_t k = 0; k < sizeof tunings / sizeof tunings[0]; k++) {
				struct fnl_funnel got;
				assert_int_equal(fnl__engine_funnel_tuned(s, &q, 1, &tunings[k], &got), 0);
				assert_int_equal(got.ngroups, want.ngroups);
				for (int gi = 0; gi < want.ngroups; gi++) {
					same_durations(&got.groups[gi].cycle, &want.groups[gi].cycle);
					for (int tr = 1; tr < want.nstages; tr++)
						same_durations(&got.groups[gi].stage_time[tr], &want.groups[gi].stage_time[tr]);
				}
				fnl_funnel_free(&got);
			}
			fnl_funnel_free(&want);
		}
		fnl_snapshot_free(s);
		gen_free(&g);
		tenv_teardown(&st);
	}
}

/* ---- the reference SQL ---- */

/*
 * The cohort funnel by channel straight from the tables: the population, the furthest stage of
 * each lead from its events (a window), first entries per stage (the earliest event into a stage
 * at or past it), consecutive durations, and the nearest ranks by ROW_NUMBER. ?1 from, ?2 to (NULL
 * unbounded), ?3 grade, ?4 team, ?5 region (NULL any).
 */
static const char REF_SQL[] =
	"WITH pop AS ("
	" SELECT l.id, l.captured_at, c.key AS ch, l.status AS st, s.pos AS pos, d.amount AS deal"
	" FROM lead l JOIN channel c ON c.id = l.channel_id JOIN stage s ON s.id = l.stage_id"
	" LEFT JOIN deal d ON d.lead_id = l.id LEFT JOIN user u ON u.id = l.owner_id"
	" LEFT JOIN team tm ON tm.id = u.team_id"
	" WHERE l.pipeline_id = 1 AND l.status IN ('open', 'nurture', 'won', 'lost')"
	" AND (?1 IS NULL OR l.captured_at >= ?1) AND (?2 IS NULL OR l.captured_at < ?2)"
	" AND (?3 IS NULL OR l.grade = ?3) AND (?4 IS NULL OR COALESCE(tm.name, '') = ?4)"
	" AND (?5 IS NULL OR l.region = ?5)),"
	" ev AS (SELECT e.lead_id, t.pos, e.at, MAX(t.pos) OVER (PARTITION BY e.lead_id) AS furthest"
	" FROM stage_event e JOIN stage t ON t.id = e.to_stage WHERE e.lead_id IN (SELECT id FROM pop)),"
	" k AS (SELECT pos FROM stage WHERE pipeline_id = 1),"
	" furthest AS (SELECT DISTINCT lead_id, furthest FROM ev),"
	" counts AS (SELECT p.ch, k.pos, SUM(f.furthest >= k.pos) AS reached,"
	"  SUM(p.st = 'lost' AND p.pos = k.pos) AS lost, SUM(p.st IN ('open', 'nurture') AND p.pos = k.pos) AS open"
	"  FROM pop p JOIN furthest f ON f.lead_id = p.id CROSS JOIN k GROUP BY p.ch, k.pos),"
	" first AS (SELECT ev.lead_id, k.pos, MIN(ev.at) AS at FROM ev JOIN k ON ev.pos >= k.pos"
	"  GROUP BY ev.lead_id, k.pos),"
	" dur AS (SELECT p.ch, a.pos, b.at - a.at AS d FROM pop p JOIN first a ON a.lead_id = p.id"
	"  JOIN first b ON b.lead_id = p.id AND b.pos = a.pos + 1"
	"  UNION ALL SELECT p.ch, 0, w.at - p.captured_at FROM pop p JOIN first w ON w.lead_id = p.id"
	"  AND w.pos = (SELECT MAX(pos) FROM k) WHERE p.st = 'won'),"
	" ranked AS (SELECT ch, pos, d, ROW_NUMBER() OVER (PARTITION BY ch, pos ORDER BY d) AS rn,"
	"  COUNT(*) OVER (PARTITION BY ch, pos) AS n FROM dur),"
	" times AS (SELECT ch, pos, MAX(n) AS n, SUM(d) AS sum, MAX(CASE WHEN rn = (n + 1) / 2 THEN d END) AS median,"
	"  MAX(CASE WHEN rn = (9 * n + 9) / 10 THEN d END) AS p90 FROM ranked GROUP BY ch, pos),"
	" won AS (SELECT ch, COUNT(*) AS n, SUM(COALESCE(deal, 0)) AS amount FROM pop WHERE st = 'won' GROUP BY ch)"
	" SELECT c.ch, c.pos, c.reached, c.lost, c.open, COALESCE(w.n, 0), COALESCE(w.amount, 0),"
	" COALESCE(tm.n, 0), COALESCE(tm.sum, 0), COALESCE(tm.median, 0), COALESCE(tm.p90, 0),"
	" COALESCE(cy.n, 0), COALESCE(cy.sum, 0), COALESCE(cy.median, 0), COALESCE(cy.p90, 0)"
	" FROM counts c LEFT JOIN won w ON w.ch = c.ch LEFT JOIN times tm ON tm.ch = c.ch AND tm.pos = c.pos"
	" LEFT JOIN times cy ON cy.ch = c.ch AND cy.pos = 0 ORDER BY c.ch, c.pos";

struct sql_case {
	const char *name;
	int64_t from, to;
	const char *grade, *team, *region;
};

static void bind_opt_int(sqlite3_stmt *st, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

static void bind_opt_text(sqlite3_stmt *st, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/* The engine's funnel by channel for c against REF_SQL on the file behind t. */
static void check_sql(const fnl_snapshot *s, sqlite3 *ref, const struct sql_case *c)
{
	struct fnl_query q;
	fnl_query_init(&q);
	q.from = c->from;
	q.to = c->to;
	q.by = FNL_DIM_CHANNEL;
	if (c->grade)
		assert_true((q.filter[FNL_DIM_GRADE] = fnl_snapshot_find(s, FNL_DIM_GRADE, c->grade)) >= 0);
	if (c->team)
		assert_true((q.filter[FNL_DIM_TEAM] = fnl_snapshot_find(s, FNL_DIM_TEAM, c->team)) >= 0);
	if (c->region)
		assert_true((q.filter[FNL_DIM_REGION] = fnl_snapshot_find(s, FNL_DIM_REGION, c->region)) >= 0);
	struct fnl_funnel f, fc;
	assert_int_equal(fnl_engine_funnel(s, &q, 1, &f), 0);
	assert_int_equal(fnl_engine_counts(s, &q, &fc), 0);
	assert_int_equal(fc.ngroups, f.ngroups);
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(ref, REF_SQL, -1, &st, NULL) != SQLITE_OK)
		fail_msg("reference SQL: %s", sqlite3_errmsg(ref));
	bind_opt_int(st, 1, c->from);
	bind_opt_int(st, 2, c->to);
	bind_opt_text(st, 3, c->grade);
	bind_opt_text(st, 4, c->team);
	bind_opt_text(st, 5, c->region);
	int groups = 0, rc, rows = 0;
	char prev[FNL_KEY_LEN] = "";
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *ch = (const char *)sqlite3_column_text(st, 0);
		int pos = sqlite3_column_int(st, 1);
		int key = fnl_snapshot_find(s, FNL_DIM_CHANNEL, ch);
		const struct fnl_funnel_group *G = NULL, *C = NULL;
		for (int k = 0; k < f.ngroups; k++)
			if (f.groups[k].key == key) {
				G = &f.groups[k];
				C = &fc.groups[k];
			}
		if (!G)
			fail_msg("%s: the SQL has channel '%s', the engine not", c->name, ch);
		if (strcmp(prev, ch) != 0) {
			groups++;
			snprintf(prev, sizeof prev, "%s", ch);
		}
		rows++;
		int64_t v[15];
		for (int i = 2; i < 15; i++)
			v[i] = sqlite3_column_int64(st, i);
		int64_t got[15] = {0, 0, G->reached[pos], G->lost[pos], G->open[pos], G->won_count, G->won_amount,
				   G->stage_time[pos].count, G->stage_time[pos].sum, G->stage_time[pos].median,
				   G->stage_time[pos].p90, G->cycle.count, G->cycle.sum, G->cycle.median, G->cycle.p90};
		static const char *const names[15] = {"", "", "reached", "lost", "open", "won_count", "won_amount",
						      "stage_time.count", "stage_time.sum", "stage_time.median",
						      "stage_time.p90", "cycle.count", "cycle.sum", "cycle.median", "cycle.p90"};
		for (int i = 2; i < 15; i++)
			if (v[i] != got[i])
				fail_msg("%s: channel '%s', stage %d: %s: SQL %lld, engine %lld", c->name, ch, pos, names[i],
					 (long long)v[i], (long long)got[i]);
		assert_int_equal(C->reached[pos], G->reached[pos]);
		assert_int_equal(C->lost[pos], G->lost[pos]);
		assert_int_equal(C->open[pos], G->open[pos]);
		assert_int_equal(C->won_amount, G->won_amount);
	}
	if (rc != SQLITE_DONE)
		fail_msg("reference SQL: %s", sqlite3_errmsg(ref));
	sqlite3_finalize(st);
	if (groups != f.ngroups)
		fail_msg("%s: %d channels in the SQL, %d in the engine", c->name, groups, f.ngroups);
	assert_int_equal(rows, groups * fnl_snapshot_stages(s));
	fnl_funnel_free(&f);
	fnl_funnel_free(&fc);
}

static void test_engine_vs_sql(void **state)
{
	(void)state;
	int leads = t_env_int("FUNNEL_TEST_LEADS", DEFAULT_LEADS, 1000000), checked = 0;
	for (uint64_t seed = 101; seed <= 102; seed++) {
		void *env = NULL;
		assert_int_equal(tenv_setup(&env), 0);
		struct tenv *t = env;
		struct gen g;
		generate(&g, t, seed, leads);
		fnl_snapshot *s;
		T_OK(t, fnl_snapshot_build(t->db, &s));
		/* capture instants to cut periods at */
		int64_t first = t_sql_int(t, "SELECT MIN(captured_at) FROM lead");
		int64_t last = t_sql_int(t, "SELECT MAX(captured_at) FROM lead");
		int64_t mid = t_sql_int(t, "SELECT captured_at FROM lead ORDER BY captured_at LIMIT 1 OFFSET"
					   " (SELECT COUNT(*) / 2 FROM lead)");
		int64_t q1 = t_sql_int(t, "SELECT captured_at FROM lead ORDER BY captured_at LIMIT 1 OFFSET"
					  " (SELECT COUNT(*) / 4 FROM lead)");
		assert_true(first < q1 && q1 < mid && mid < last);
		const struct sql_case cases[] = {
			{"everything", 0, 0, NULL, NULL, NULL},
			{"from and to", q1, mid, NULL, NULL, NULL},
			{"grade B, from only", mid, 0, "B", NULL, NULL},
			{"team 华南, to only", 0, mid, NULL, "华南", NULL},
			{"no team, region 上海", 0, 0, NULL, "", "上海"},
			{"grade A, team 华东, from and to", q1, last, "A", "华东", NULL},
			{"empty period", last + 1, 0, NULL, NULL, NULL},
		};
		sqlite3 *ref = NULL;
		assert_int_equal(sqlite3_open_v2(t->path, &ref, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
		for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++, checked++)
			check_sql(s, ref, &cases[i]);
		sqlite3_close(ref);
		fnl_snapshot_free(s);
		gen_free(&g);
		tenv_teardown(&env);
	}
	printf("engine = reference SQL: %d queries by channel\n", checked);
}

/* ---- small cases written out ---- */

/* The engine's funnel (with time) of q on a fresh snapshot of t. */
static struct fnl_funnel funnel_of(struct tenv *t, const struct fnl_query *q, fnl_snapshot **keep)
{
	fnl_snapshot *s;
	T_OK(t, fnl_snapshot_build(t->db, &s));
	struct fnl_funnel f;
	assert_int_equal(fnl_engine_funnel(s, q, 1, &f), 0);
	if (keep)
		*keep = s;
	else
		fnl_snapshot_free(s);
	return f;
}

/* The group of f whose key is name in dimension by of s (fails when there is none). */
static const struct fnl_funnel_group *group_named(const fnl_snapshot *s, const struct fnl_funnel *f,
						  enum fnl_dim by, const char *name)
{
	int key = fnl_snapshot_find(s, by, name);
	for (int k = 0; k < f->ngroups; k++)
		if (f->groups[k].key == key)
			return &f->groups[k];
	fail_msg("no group '%s'", name);
	return NULL;
}

static void assert_stats(const struct fnl_duration_stats *d, int64_t count, int64_t sum, int64_t median, int64_t p90)
{
	if (d->count != count || d->sum != sum || d->median != median || d->p90 != p90)
		fail_msg("expected count %lld sum %lld median %lld p90 %lld, got %lld %lld %lld %lld", (long long)count,
			 (long long)sum, (long long)median, (long long)p90, (long long)d->count, (long long)d->sum,
			 (long long)d->median, (long long)d->p90);
}

/* A lead captured on channel at cap, scored (acquire -> qualify) at cap + d: one duration d of
 * transition 1. */
static int64_t lead_with(struct tenv *t, const char *channel, int64_t cap, int64_t d)
{
	struct fnl_ctx c = t_sys(cap);
	char phone[16], company[48];
	snprintf(company, sizeof company, "样本%d有限公司", t->phones + 1);
	struct fnl_lead_input in = {0};
	in.company = company;
	in.contact = "王芳";
	in.phone = t_phone(t, phone);
	in.channel = channel;
	int result;
	int64_t rid;
	struct fnl_lead l;
	T_OK(t, fnl_lead_add(t->db, &c, &in, &result, &l, &rid));
	assert_int_equal(result, FNL_ADD_CREATED);
	t_score(t, l.id, cap + d, 4, 4, 4, 4);
	return l.id;
}

static void test_empty_database(void **state)
{
	struct tenv *t = *state;
	fnl_snapshot *s;
	T_OK(t, fnl_snapshot_build(t->db, &s));
	assert_int_equal(fnl_snapshot_leads(s), 0);
	assert_int_equal(fnl_snapshot_stages(s), 6);
	assert_string_equal(fnl_snapshot_stage_key(s, 1), "acquire");
	assert_string_equal(fnl_snapshot_stage_key(s, 6), "won");
	for (int by = FNL_DIM_NONE; by < FNL_DIM_COUNT; by++) {
		struct fnl_query q;
		fnl_query_init(&q);
		q.by = (enum fnl_dim)by;
		struct fnl_funnel f;
		assert_int_equal(fnl_engine_funnel(s, &q, 1, &f), 0);
		assert_int_equal(f.nstages, 6);
		assert_int_equal(f.ngroups, 0);
		fnl_funnel_free(&f);
		assert_int_equal(fnl_engine_counts(s, &q, &f), 0);
		assert_int_equal(f.ngroups, 0);
		fnl_funnel_free(&f);
	}
	fnl_snapshot_free(s);
}

static void test_nothing_matches(void **state)
{
	struct tenv *t = *state;
	int64_t c0 = T_NOW;
	lead_with(t, "website", c0, T_HOUR);
	lead_with(t, "website", c0 + T_DAY, T_HOUR);
	lead_with(t, "sem", c0 + 2 * T_DAY, T_HOUR);
	fnl_snapshot *s;
	T_OK(t, fnl_snapshot_build(t->db, &s));
	struct {
		const char *name;
		int64_t from, to;
		int channel;
		int64_t leads;
	} cases[] = {
		{"a channel without leads", 0, 0, fnl_snapshot_find(s, FNL_DIM_CHANNEL, "other"), 0},
		{"a period before every capture", 0, c0, -1, 0},
		{"a period after every capture", c0 + 2 * T_DAY + 1, 0, -1, 0},
		{"from = to", c0 + T_DAY, c0 + T_DAY, -1, 0},
		{"from > to", c0 + 2 * T_DAY, c0, -1, 0},
		{"[c0, c0 + 1 s): the first lead", c0, c0 + 1, -1, 1},
		{"[c0 + 1 day, c0 + 2 days): the second lead", c0 + T_DAY, c0 + 2 * T_DAY, -1, 1},
		{"website in [c0 + 1 s, forever)", c0 + 1, 0, fnl_snapshot_find(s, FNL_DIM_CHANNEL, "website"), 1},
		{"sem before the sem lead", 0, c0 + 2 * T_DAY, fnl_snapshot_find(s, FNL_DIM_CHANNEL, "sem"), 0},
	};
	assert_true(cases[0].channel >= 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		for (int by = FNL_DIM_NONE; by < FNL_DIM_COUNT; by++) {
			struct fnl_query q;
			fnl_query_init(&q);
			q.from = cases[i].from;
			q.to = cases[i].to;
			q.filter[FNL_DIM_CHANNEL] = cases[i].channel;
			q.by = (enum fnl_dim)by;
			struct fnl_funnel f, fc;
			assert_int_equal(fnl_engine_funnel(s, &q, 1, &f), 0);
			assert_int_equal(fnl_engine_counts(s, &q, &fc), 0);
			if (f.ngroups != (cases[i].leads ? 1 : 0) || fc.ngroups != f.ngroups)
				fail_msg("%s, by %s: %d groups (counts: %d)", cases[i].name, DIM_NAMES[by], f.ngroups,
					 fc.ngroups);
			if (f.ngroups) {
				assert_int_equal(f.groups[0].leads, cases[i].leads);
				assert_int_equal(f.groups[0].reached[2], cases[i].leads);
				assert_stats(&f.groups[0].stage_time[1], 1, T_HOUR, T_HOUR, T_HOUR);
			}
			fnl_funnel_free(&f);
			fnl_funnel_free(&fc);
		}
	fnl_snapshot_free(s);
}

/* A move that skips stages enters them at one instant: the time in a skipped stage is 0. */
static void test_skip_gives_zero_durations(void **state)
{
	struct tenv *t = *state;
	int64_t c0 = T_NOW, a, b;
	struct fnl_lead l;
	/* a: captured c0, scored c0+1h, gates met, qualify -> negotiate at c0+5h, deal at c0+5h */
	a = lead_with(t, "website", c0, T_HOUR);
	t_ready_for_at(t, a, "negotiate", c0 + 2 * T_HOUR);
	struct fnl_ctx c = t_sys(c0 + 5 * T_HOUR);
	T_OK(t, fnl_lead_move(t->db, &c, a, "negotiate", "", &l));
	l = t_ready_for_at(t, a, "won", c0 + 5 * T_HOUR);
	assert_string_equal(l.status, "won");
	/* b: captured c0, acquire -> propose at once (c0), then lost there at c0+3d */
	struct fnl_lead bl = t_lead(t, c0, "跳过公司", NULL);
	b = bl.id;
	t_ready_for_at(t, b, "propose", c0);
	c = t_sys(c0);
	T_OK(t, fnl_lead_move(t->db, &c, b, "propose", "", &l));
	c = t_sys(c0 + 3 * T_DAY);
	T_OK(t, fnl_lead_lose(t->db, &c, b, "price", "", &l));

	struct fnl_query q;
	fnl_query_init(&q);
	struct fnl_funnel f = funnel_of(t, &q, NULL);
	assert_int_equal(f.ngroups, 1);
	const struct fnl_funnel_group *G = &f.groups[0];
	assert_int_equal(G->leads, 2);
	/* reached: both to propose, a to negotiate and won */
	const int64_t reached[7] = {0, 2, 2, 2, 2, 1, 1};
	for (int k = 1; k <= 6; k++)
		assert_int_equal(G->reached[k], reached[k]);
	assert_int_equal(G->lost[4], 1);
	assert_int_equal(G->won_count, 1);
	assert_int_equal(G->won_amount, INT64_C(10000000));
	/* acquire -> qualify: a 1h, b 0; qualify -> discover: a 4h, b 0; then 0, 0; negotiate -> won: a 0 */
	assert_stats(&G->stage_time[1], 2, T_HOUR, 0, T_HOUR);
	assert_stats(&G->stage_time[2], 2, 4 * T_HOUR, 0, 4 * T_HOUR);
	assert_stats(&G->stage_time[3], 2, 0, 0, 0);
	assert_stats(&G->stage_time[4], 1, 0, 0, 0);
	assert_stats(&G->stage_time[5], 1, 0, 0, 0);
	assert_stats(&G->cycle, 1, 5 * T_HOUR, 5 * T_HOUR, 5 * T_HOUR);
	fnl_funnel_free(&f);
}

/*
 * Nearest rank, the ceil(0.5 n)-th and ceil(0.9 n)-th smallest, on tiny sets, one channel each
 * (durations of acquire -> qualify, given in insertion order):
 *   n = 1  {5h}                          median rank 1: 5h        p90 rank 1: 5h
 *   n = 2  {7h, 3h}                      median rank 1: 3h        p90 rank 2 (1.8): 7h
 *   n = 3  {9d, 1d, 4d}                  median rank 2 (1.5): 4d  p90 rank 3 (2.7): 9d
 *   n = 10 {50h, 10m, 30h, 20m, 2h, 90h, 60m, 12h, 3h, 40m}
 *          sorted 10m 20m 40m 60m 2h | 3h 12h 30h 50h | 90h
 *                                       median rank 5: 2h        p90 rank 9: 50h
 *   n = 10 {1000, 900, ..., 100} s, all in the first histogram bucket
 *                                       median rank 5: 500 s     p90 rank 9: 900 s
 *   n = 7  {0, 2^14 - 1, 2^14, 2^14 + 1, 2^26 - 1, 2^26, 2^26 + 1} s: on the bucket edges
 *                                       median rank 4: 2^14 + 1  p90 rank 7 (6.3): 2^26 + 1
 */
static void test_nearest_rank_small_sets(void **state)
{
	struct tenv *t = *state;
	const int64_t M = 60, H = T_HOUR, D = T_DAY;
	struct {
		const char *channel;
		int n;
		int64_t d[10];
		int64_t sum, median, p90;
	} sets[] = {
		{"sem", 1, {5 * H}, 5 * H, 5 * H, 5 * H},
		{"social", 2, {7 * H, 3 * H}, 10 * H, 3 * H, 7 * H},
		{"website", 3, {9 * D, 1 * D, 4 * D}, 14 * D, 4 * D, 9 * D},
		{"trade_show", 10, {50 * H, 10 * M, 30 * H, 20 * M, 2 * H, 90 * H, 60 * M, 12 * H, 3 * H, 40 * M},
		 130 * M + 187 * H, 2 * H, 50 * H},
		{"salon", 10, {1000, 900, 800, 700, 600, 500, 400, 300, 200, 100}, 5500, 500, 900},
		{"partner_referral", 7, {0, 16383, 16384, 16385, 67108863, 67108864, 67108865},
		 16383 + 16384 + 16385 + 67108863 + 67108864 + 67108865, 16385, 67108865},
	};
	int64_t cap = T_NOW;
	T_OK(t, fnl_db_begin(t->db));
	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++)
		for (int k = 0; k < sets[i].n; k++, cap += 7 * 60)
			lead_with(t, sets[i].channel, cap, sets[i].d[k]);
	T_OK(t, fnl_db_commit(t->db));
	fnl_snapshot *s;
	struct fnl_query q;
	fnl_query_init(&q);
	q.by = FNL_DIM_CHANNEL;
	struct fnl_funnel f = funnel_of(t, &q, &s);
	assert_int_equal(f.ngroups, 6);
	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
		const struct fnl_funnel_group *G = group_named(s, &f, FNL_DIM_CHANNEL, sets[i].channel);
		assert_int_equal(G->leads, sets[i].n);
		assert_stats(&G->stage_time[1], sets[i].n, sets[i].sum, sets[i].median, sets[i].p90);
		assert_stats(&G->stage_time[2], 0, 0, 0, 0);
	}
	fnl_funnel_free(&f);
	fnl_snapshot_free(s);
}

/*
 * Durations past 2^26 s (776.7 days) all fall in the histogram's last bucket; the exact values
 * must still come out. sem: {800d, 1000d, 778d, 900d, 5d} sorted 5d 778d 800d 900d 1000d: median
 * rank 3: 800d, p90 rank 5 (4.5): 1000d. social, with the cycle: captured, scored 1d later, won
 * 1000d after capture and 800d after capture: cycles {1000d, 800d}: median 800d, p90 1000d.
 */
static void test_overflow_bucket(void **state)
{
	struct tenv *t = *state;
	const int64_t D = T_DAY;
	const int64_t sem[] = {800 * D, 1000 * D, 778 * D, 900 * D, 5 * D};
	T_OK(t, fnl_db_begin(t->db));
	for (int k = 0; k < 5; k++)
		lead_with(t, "sem", T_NOW + k * 60, sem[k]);
	int64_t w1 = lead_with(t, "social", T_NOW, D), w2 = lead_with(t, "social", T_NOW + 60, D);
	t_ready_for_at(t, w1, "won", T_NOW + 1000 * D);
	t_ready_for_at(t, w2, "won", T_NOW + 60 + 800 * D);
	T_OK(t, fnl_db_commit(t->db));
	fnl_snapshot *s;
	struct fnl_query q;
	fnl_query_init(&q);
	q.by = FNL_DIM_CHANNEL;
	struct fnl_funnel f = funnel_of(t, &q, &s);
	assert_int_equal(f.ngroups, 2);
	const struct fnl_funnel_group *G = group_named(s, &f, FNL_DIM_CHANNEL, "sem");
	assert_stats(&G->stage_time[1], 5, 3483 * D, 800 * D, 1000 * D);
	G = group_named(s, &f, FNL_DIM_CHANNEL, "social");
	assert_stats(&G->cycle, 2, 1800 * D, 800 * D, 1000 * D);
	/* qualify -> won at the deal: 999d and 799d; every stage between is skipped: 0 */
	assert_stats(&G->stage_time[2], 2, 1798 * D, 799 * D, 999 * D);
	assert_stats(&G->stage_time[5], 2, 0, 0, 0);
	fnl_funnel_free(&f);
	/* all seven together (by none): 1d 1d 5d 778d 800d 900d 1000d: median rank 4: 778d, p90 rank 7
	 * (6.3): 1000d */
	q.by = FNL_DIM_NONE;
	assert_int_equal(fnl_engine_funnel(s, &q, 1, &f), 0);
	assert_stats(&f.groups[0].stage_time[1], 7, 3485 * D, 778 * D, 1000 * D);
	fnl_funnel_free(&f);
	fnl_snapshot_free(s);
}

/*
 * Many equal durations: website 200 x 3d plus 1h and 10d (n = 202: median rank 101, p90 rank 182,
 * both 3d); sem 150 x 1h then 150 x 2h (n = 300: median rank 150: 1h, p90 rank 270: 2h); social
 * 250 x exactly 0.
 */
static void test_identical_durations(void **state)
{
	struct tenv *t = *state;
	int64_t cap = T_NOW;
	T_OK(t, fnl_db_begin(t->db));
	for (int k = 0; k < 200; k++)
		lead_with(t, "website", cap += 60, 3 * T_DAY);
	lead_with(t, "website", cap += 60, T_HOUR);
	lead_with(t, "website", cap += 60, 10 * T_DAY);
	for (int k = 0; k < 300; k++)
		lead_with(t, "sem", cap += 60, k < 150 ? T_HOUR : 2 * T_HOUR);
	for (int k = 0; k < 250; k++)
		lead_with(t, "social", cap += 60, 0);
	T_OK(t, fnl_db_commit(t->db));
	fnl_snapshot *s;
	struct fnl_query q;
	fnl_query_init(&q);
	q.by = FNL_DIM_CHANNEL;
	struct fnl_funnel f = funnel_of(t, &q, &s);
	assert_int_equal(f.ngroups, 3);
	assert_stats(&group_named(s, &f, FNL_DIM_CHANNEL, "website")->stage_time[1], 202,
		     600 * T_DAY + T_HOUR + 10 * T_DAY, 3 * T_DAY, 3 * T_DAY);
	assert_stats(&group_named(s, &f, FNL_DIM_CHANNEL, "sem")->stage_time[1], 300, 450 * T_HOUR, T_HOUR,
		     2 * T_HOUR);
	assert_stats(&group_named(s, &f, FNL_DIM_CHANNEL, "social")->stage_time[1], 250, 0, 0, 0);
	fnl_funnel_free(&f);
	/* all 752 together: 250 x 0, 1h, 150 x 1h, 150 x 2h, 200 x 3d, 10d: median rank 376 is the
	 * 125th of the 1h block: 1h (0s end at rank 250, 1h at 401); p90 rank 677 (676.8): 3d */
	q.by = FNL_DIM_NONE;
	assert_int_equal(fnl_engine_funnel(s, &q, 1, &f), 0);
	assert_stats(&f.groups[0].stage_time[1], 752, 600 * T_DAY + 10 * T_DAY + 451 * T_HOUR, T_HOUR, 3 * T_DAY);
	fnl_funnel_free(&f);
	fnl_snapshot_free(s);
}

/* Lost and open at every stage, and a won lead's amount from its deal, not its expected amount. */
static void test_lost_and_open_at_every_stage(void **state)
{
	struct tenv *t = *state;
	static const char *const keys[] = {"", "acquire", "qualify", "discover", "propose", "negotiate"};
	int64_t cap = T_NOW;
	for (int k = 1; k <= 5; k++)
		for (int lose = 0; lose <= 1; lose++) {
			int64_t id = lead_with(t, "website", cap += 60, T_HOUR);
			struct fnl_lead l;
			struct fnl_ctx c = t_sys(cap + 2 * T_HOUR);
			if (k >= 3) {
				if (k >= 4)
					t_ready_for_at(t, id, keys[k], cap + 2 * T_HOUR);
				T_OK(t, fnl_lead_move(t->db, &c, id, keys[k], "", &l));
			} else if (k == 1) {
				T_OK(t, fnl_lead_move(t->db, &c, id, "acquire", "重新核实联系方式", &l));
			}
			if (lose)
				T_OK(t, fnl_lead_lose(t->db, &c, id, "timing", "", &l));
		}
	/* a won lead with an expected amount of 99,999.00 and a deal of 100,000.00 */
	int64_t w = lead_with(t, "website", cap += 60, T_HOUR);
	struct fnl_lead_input in = {0};
	in.has_amount = 1;
	in.amount = 9999900;
	struct fnl_ctx c = t_sys(cap + 2 * T_HOUR);
	struct fnl_lead l;
	T_OK(t, fnl_lead_edit(t->db, &c, w, &in, &l));
	t_ready_for_at(t, w, "won", cap + 3 * T_HOUR);
	struct fnl_query q;
	fnl_query_init(&q);
	struct fnl_funnel f = funnel_of(t, &q, NULL);
	const struct fnl_funnel_group *G = &f.groups[0];
	assert_int_equal(G->leads, 11);
	for (int k = 1; k <= 5; k++) {
		assert_int_equal(G->lost[k], 1);
		assert_int_equal(G->open[k], 1);
	}
	assert_int_equal(G->lost[6], 0);
	assert_int_equal(G->open[6], 0);
	/* reached: all 11 lead reached qualify (scored), the one moved back to acquire too */
	const int64_t reached[7] = {0, 11, 11, 7, 5, 3, 1};
	for (int k = 1; k <= 6; k++)
		assert_int_equal(G->reached[k], reached[k]);
	assert_int_equal(G->won_count, 1);
	assert_int_equal(G->won_amount, INT64_C(10000000));
	fnl_funnel_free(&f);
}

/*
 * A lead won by a forced move has no deal: it counts as won, with no amount (won amount is the sum
 * of the deals, SPEC §7 and docs/reports.md), even when it has an expected amount; its deal,
 * recorded later, brings the amount.
 */
static void test_forced_win_without_deal(void **state)
{
	struct tenv *t = *state;
	t_user(t, "m1", "manager", "华东");
	int64_t id = lead_with(t, "website", T_NOW, T_HOUR);
	struct fnl_lead_input in = {0};
	in.has_amount = 1;
	in.amount = 5000000; /* expected: 50,000.00 */
	struct fnl_ctx c = t_sys(T_NOW + 2 * T_HOUR);
	struct fnl_lead l;
	T_OK(t, fnl_lead_edit(t->db, &c, id, &in, &l));
	T_OK(t, fnl_lead_force(t->db, &c, id, "won", "老客户口头确认", &l));
	assert_string_equal(l.status, "won");
	struct fnl_query q;
	fnl_query_init(&q);
	fnl_snapshot *s;
	struct fnl_funnel f = funnel_of(t, &q, &s);
	assert_int_equal(f.groups[0].won_count, 1);
	assert_int_equal(f.groups[0].won_amount, 0);
	fnl_funnel_free(&f);
	/* the deal comes: 80,000.00 */
	char day[11];
	t_date(t, T_NOW + T_DAY, day);
	c = t_sys(T_NOW + T_DAY);
	T_OK(t, fnl_deal_close(t->db, &c, id, "HT-9", 8000000, day, NULL, 0, &l));
	T_OK(t, fnl_snapshot_refresh(s, t->db, id));
	assert_int_equal(fnl_engine_counts(s, &q, &f), 0);
	assert_int_equal(f.groups[0].won_count, 1);
	assert_int_equal(f.groups[0].won_amount, 8000000);
	fnl_funnel_free(&f);
	fnl_snapshot_free(s);
}

/* ---- the statistics, against Python (statistics.NormalDist, z = inv_cdf(0.975)) ---- */

static void near(double got, double expected, const char *what)
{
	if (fabs(got - expected) > 5e-7)
		fail_msg("%s: expected %.6f, got %.9f", what, expected, got);
}

static void test_wilson(void **state)
{
	(void)state;
	const struct {
		int64_t k, n;
		double lo, hi;
	} cases[] = {
		{10, 100, 0.055229, 0.174366},
		{0, 10, 0.000000, 0.277533},
		{10, 10, 0.722467, 1.000000},
		{0, 0, 0.000000, 1.000000},
		{1, 2, 0.094531, 0.905469},
		{31, 100, 0.227797, 0.406261},
		{300, 1000, 0.272407, 0.329124},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double lo = -1, hi = -1;
		char what[64];
		fnl_wilson(cases[i].k, cases[i].n, &lo, &hi);
		snprintf(what, sizeof what, "wilson(%lld, %lld) lo", (long long)cases[i].k, (long long)cases[i].n);
		near(lo, cases[i].lo, what);
		snprintf(what, sizeof what, "wilson(%lld, %lld) hi", (long long)cases[i].k, (long long)cases[i].n);
		near(hi, cases[i].hi, what);
		assert_true(lo >= 0.0 && lo <= hi && hi <= 1.0);
	}
}

static void test_ztest(void **state)
{
	(void)state;
	const struct {
		int64_t k1, n1, k2, n2;
		double z, p;
	} cases[] = {
		{30, 100, 20, 100, 1.632993, 0.102470},
		{20, 100, 30, 100, -1.632993, 0.102470},
		{20, 100, 20, 100, 0.000000, 1.000000}, /* equal proportions */
		{45, 60, 30, 80, 4.402796, 0.000011},
		{12, 20, 60, 200, 2.726249, 0.006406},
		{0, 0, 5, 10, 0.000000, 1.000000},      /* n1 = 0 */
		{5, 10, 0, 0, 0.000000, 1.000000},      /* n2 = 0 */
		{0, 10, 0, 20, 0.000000, 1.000000},     /* pooled variance 0 */
		{10, 10, 20, 20, 0.000000, 1.000000},   /* pooled variance 0 */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double z = -9, p = -9;
		char what[64];
		fnl_ztest(cases[i].k1, cases[i].n1, cases[i].k2, cases[i].n2, &z, &p);
		snprintf(what, sizeof what, "ztest case %zu z", i);
		near(z, cases[i].z, what);
		snprintf(what, sizeof what, "ztest case %zu p", i);
		near(p, cases[i].p, what);
	}
	/* the flag of the team report: p < 0.05 */
	double z, p;
	fnl_ztest(12, 20, 60, 200, &z, &p);
	assert_true(p < 0.05);
	fnl_ztest(30, 100, 20, 100, &z, &p);
	assert_true(p > 0.05);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_engine_vs_brute_force),
		cmocka_unit_test(test_engine_vs_sql),
		cmocka_unit_test(test_guess_misses_change_nothing),
		T_TEST(test_empty_database),
		T_TEST(test_nothing_matches),
		T_TEST(test_skip_gives_zero_durations),
		T_TEST(test_nearest_rank_small_sets),
		T_TEST(test_overflow_bucket),
		T_TEST(test_identical_durations),
		T_TEST(test_lost_and_open_at_every_stage),
		T_TEST(test_forced_win_without_deal),
		cmocka_unit_test(test_wilson),
		cmocka_unit_test(test_ztest),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
