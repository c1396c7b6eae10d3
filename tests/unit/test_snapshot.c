/*
 * tests/unit/test_snapshot.c - the columnar snapshot (src/analytics/snapshot.c): what one lead's
 * columns hold through its life, and "kept current lead by lead" (fnl_snapshot_refresh after every
 * write) gives the same snapshot as a fresh build (fnl_snapshot_build), after random sequences of
 * writes through the public API: captures (new, duplicate, invalid, back-dated, on a new channel),
 * scorings, moves forward and back, losses, reopenings, deals, forced wins and their later deals,
 * edits of industry, region, channel and expected amount, reassignments (to a new user in a new
 * team too) and a user's change of team.
 *
 * Compared: every column of every lead slot (dictionary values by name, since a dictionary kept
 * current may number its values differently from a fresh one), the dictionaries as
 * fnl_snapshot_find / fnl_snapshot_name show them, and the engine's results for every group-by
 * under several filters and periods.
 *
 * Scale: FUNNEL_TEST_SEEDS overrides the number of random sequences (default 8; 3 under
 * AddressSanitizer).
 */
#include "testutil.h"

#include "analytics/snapshot.h"
#include "core/rng.h"
#include "funnel/analytics.h"
#include "store/store.h" /* the handle's connection, for one PRAGMA that only makes the test fast */

#if defined(__SANITIZE_ADDRESS__)
#define DEFAULT_SEEDS 3
#else
#define DEFAULT_SEEDS 8
#endif

/* ---- a deterministic random source (splitmix64) ---- */

#define N_OF(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- one lead's columns ---- */

static size_t slot(int64_t id)
{
	return (size_t)id;
}

/* The columns of one lead as it moves: capture, score, skip forward, back, lose, reopen, deal. */
static void test_columns_of_one_lead(void **state)
{
	struct tenv *t = *state;
	t_user(t, "s1", "sales", "华东");
	fnl_snapshot *s;
	T_OK(t, fnl_snapshot_build(t->db, &s));
	assert_int_equal(fnl_snapshot_leads(s), 0);

	int64_t c0 = t_time(t, "2026-11-30T23:30:00+08:00"); /* 2026-11-30 15:30 UTC: the local month is 11 */
	struct fnl_ctx c = t_sys(c0);
	struct fnl_lead_input in = {0};
	char phone[16];
	in.company = "星海科技有限公司";
	in.contact = "赵磊";
	in.phone = t_phone(t, phone);
	in.channel = "trade_show";
	in.industry = "制造业";
	in.region = "江苏/苏州";
	int result;
	int64_t rid;
	struct fnl_lead l;
	T_OK(t, fnl_lead_add(t->db, &c, &in, &result, &l, &rid));
	T_OK(t, fnl_snapshot_refresh(s, t->db, l.id));
	size_t i = slot(l.id);
	assert_int_equal(fnl_snapshot_leads(s), 1);
	assert_int_equal(s->status[i], FNL_SNAP_OPEN);
	assert_int_equal(s->captured[i], c0);
	assert_string_equal(fnl_snapshot_name(s, FNL_DIM_MONTH, s->month[i] - s->min_month), "2026-11");
	assert_string_equal(fnl_snapshot_name(s, FNL_DIM_CHANNEL, s->channel[i]), "trade_show");
	assert_string_equal(fnl_snapshot_name(s, FNL_DIM_OWNER, s->owner[i]), "s1");
	assert_string_equal(fnl_snapshot_name(s, FNL_DIM_TEAM, s->owner_team[s->owner[i]]), "华东");
	assert_string_equal(fnl_snapshot_name(s, FNL_DIM_INDUSTRY, s->industry[i]), "制造业");
	assert_string_equal(fnl_snapshot_name(s, FNL_DIM_REGION, s->region[i]), "江苏/苏州");
	assert_int_equal(s->grade[i], 0);
	assert_int_equal(s->stage[i], 1);
	assert_int_equal(s->reached[i], 1);
	assert_int_equal(s->entry[1][i], c0);
	assert_int_equal(s->entry[2][i], 0);

	t_score(t, l.id, c0 + T_HOUR, 5, 4, 3, 2); /* 14: B */
	T_OK(t, fnl_snapshot_refresh(s, t->db, l.id));
	assert_int_equal(s->grade[i], 2);
	assert_int_equal(s->scores[i], 5 | 4 << 3 | 3 << 6 | 2 << 9);
	assert_int_equal(s->stage[i], 2);
	assert_int_equal(s->entry[2][i], c0 + T_HOUR);

	/* qualify -> propose: discover and propose entered at the same instant */
	t_ready_for_at(t, l.id, "propose", c0 + 2 * T_HOUR);
	c = t_sys(c0 + 3 * T_HOUR);
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "propose", "", &l));
	struct fnl_lead_input amt = {0};
	amt.has_amount = 1;
	amt.amount = 12345600;
	amt.close_month = "2027-02";
	T_OK(t, fnl_lead_edit(t->db, &c, l.id, &amt, &l));
	T_OK(t, fnl_snapshot_refresh(s, t->db, l.id));
	assert_int_equal(s->stage[i], 4);
	assert_int_equal(s->reached[i], 4);
	assert_int_equal(s->entry[3][i], c0 + 3 * T_HOUR);
	assert_int_equal(s->entry[4][i], c0 + 3 * T_HOUR);
	assert_int_equal(s->amount[i], 12345600);
	assert_int_equal(s->close_month[i], (2027 - 1970) * 12 + 1);

	/* back to discover, lost there, reopened: reached and first entries stay */
	c = t_sys(c0 + 5 * T_HOUR);
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "discover", "预算被砍，重新梳理需求", &l));
	c = t_sys(c0 + 6 * T_HOUR);
	T_OK(t, fnl_lead_lose(t->db, &c, l.id, "no_budget", "", &l));
	T_OK(t, fnl_snapshot_refresh(s, t->db, l.id));
	assert_int_equal(s->status[i], FNL_SNAP_LOST);
	assert_int_equal(s->stage[i], 3);
	assert_int_equal(s->reached[i], 4);
	assert_int_equal(s->lost_at[i], c0 + 6 * T_HOUR);
	assert_string_equal(s->reasons.names[s->reason[i]], "no_budget");
	assert_int_equal(s->entry[3][i], c0 + 3 * T_HOUR);
	c = t_sys(c0 + 7 * T_HOUR);
	T_OK(t, fnl_lead_reopen(t->db, &c, l.id, "预算恢复", &l));
	T_OK(t, fnl_snapshot_refresh(s, t->db, l.id));
	assert_int_equal(s->status[i], FNL_SNAP_OPEN);
	assert_int_equal(s->lost_at[i], 0);
	assert_int_equal(s->reason[i], 0);

	/* the deal: won at the deal's instant, the deal's amount replaces the expected one */
	t_ready_for_at(t, l.id, "won", c0 + 8 * T_HOUR);
	T_OK(t, fnl_snapshot_refresh(s, t->db, l.id));
	assert_int_equal(s->status[i], FNL_SNAP_WON);
	assert_int_equal(s->stage[i], 6);
	assert_int_equal(s->reached[i], 6);
	assert_int_equal(s->entry[5][i], c0 + 8 * T_HOUR);
	assert_int_equal(s->entry[6][i], c0 + 8 * T_HOUR);
	assert_int_equal(s->amount[i], INT64_C(10000000));
	fnl_snapshot_free(s);
}

/* ---- random writes, refresh after each, against a rebuild ---- */

static const char *const CHANNELS[] = {"vertical_media", "sem", "social", "website", "trade_show",
				       "partner_referral", "salon", "customer_referral", "repurchase", "other"};
static const char *const INDUSTRIES[] = {"", "制造业", "软件", "教育", "医疗"};
static const char *const REGIONS[] = {"", "广东/深圳", "上海", "北京"};
static const char *const REASONS[] = {"price", "competitor", "no_budget", "timing", "no_response"};

struct world {
	struct tenv *t;
	struct fnl_rng r;
	int64_t now;
	fnl_snapshot *s;      /* kept current */
	char stage_key[FNL_MAX_STAGES + 1][FNL_KEY_LEN];
	int nstages;
	int64_t leads[4096];  /* counted leads */
	char phones[4096][16];
	int nleads, nadds;
	char owners[64][FNL_KEY_LEN]; /* sales users and managers */
	int nowners, nusers, nteams;
	char channels[32][FNL_KEY_LEN];
	int nchannels;
	int ops;
	int refresh_calls;
};

static void refresh(struct world *w, int64_t id)
{
	if (!w->s)
		return; /* history before the snapshot */
	T_OK(w->t, fnl_snapshot_refresh(w->s, w->t->db, id));
	w->refresh_calls++;
}

static void w_add(struct world *w)
{
	struct tenv *t = w->t;
	struct fnl_rng *r = &w->r;
	struct fnl_ctx c = t_sys(w->now);
	char company[64], phone[16];
	snprintf(company, sizeof company, "远航%05d信息技术", ++w->nadds);
	struct fnl_lead_input in = {0};
	in.company = company;
	in.contact = "陈静";
	in.channel = w->channels[fnl_rng_below(r, w->nchannels)];
	in.owner = fnl_rng_chance(r, 80) ? w->owners[fnl_rng_below(r, w->nowners)] : NULL;
	in.industry = fnl_rng_chance(r, 5) ? "新能源" : INDUSTRIES[fnl_rng_below(r, N_OF(INDUSTRIES))];
	in.region = fnl_rng_chance(r, 5) ? "海南/三亚" : REGIONS[fnl_rng_below(r, N_OF(REGIONS))];
	int kind = fnl_rng_below(r, 100);
	if (kind < 5)
		in.phone = "12345";
	else if (kind < 10 && w->nleads)
		in.phone = w->phones[fnl_rng_below(r, w->nleads)];
	else
		in.phone = t_phone(t, phone);
	if (fnl_rng_chance(r, 10)) {
		/* captured earlier than anything so far: may move the first month */
		in.has_captured_at = 1;
		in.captured_at = w->now - (int64_t)fnl_rng_below(r, 400) * T_DAY;
	}
	int result;
	int64_t rid;
	struct fnl_lead l;
	T_OK(t, fnl_lead_add(t->db, &c, &in, &result, &l, &rid));
	refresh(w, rid);
	if (result == FNL_ADD_MERGED)
		refresh(w, l.id);
	if ((result == FNL_ADD_CREATED || result == FNL_ADD_RETURNING) && w->nleads < N_OF(w->leads)) {
		w->leads[w->nleads] = l.id;
		snprintf(w->phones[w->nleads], sizeof w->phones[0], "%s", in.phone);
		w->nleads++;
	}
}

static void w_gates(struct world *w, int64_t id, int to)
{
	struct tenv *t = w->t;
	struct fnl_ctx c = t_sys(w->now);
	struct fnl_needs nd;
	if (to >= 4) {
		int rc = fnl_needs_confirmed(t->db, &c, id, &nd);
		if (rc == FNL_ENOTFOUND) {
			T_OK(t, fnl_needs_add(t->db, &c, id, "统一管理各渠道线索", 1, NULL, 0, &nd));
			fnl_needs_free(&nd);
			T_OK(t, fnl_needs_confirm(t->db, &c, id, 0, "phone", 0, &nd));
		} else {
			T_OK(t, rc);
		}
		fnl_needs_free(&nd);
	}
	if (to >= 5) {
		struct fnl_solution_item *v;
		size_t n;
		T_OK(t, fnl_solution_list(t->db, &c, id, &v, &n));
		free(v);
		if (!n)
			T_OK(t, fnl_solution_add(t->db, &c, id, 1, "线索统一入库", "不漏跟", "", "", "", NULL));
	}
}

static void w_deal(struct world *w, int64_t id, int won)
{
	struct tenv *t = w->t;
	struct fnl_ctx c = t_sys(w->now);
	char contract[32], day[11];
	snprintf(contract, sizeof contract, "HT-%lld", (long long)id);
	t_date(t, w->now, day);
	struct fnl_lead l;
	if (!won)
		w_gates(w, id, w->nstages);
	T_OK(t, fnl_deal_close(t->db, &c, id, contract, INT64_C(100) * (1 + fnl_rng_below(&w->r, 1000000)), day, NULL, 0, &l));
}

/* A new sales user in a new team, and one lead given to them. */
static void w_new_owner(struct world *w, int64_t id)
{
	struct tenv *t = w->t;
	char login[16], team[32];
	snprintf(login, sizeof login, "n%d", ++w->nusers);
	snprintf(team, sizeof team, "新团队%d", ++w->nteams);
	t_user(t, login, "sales", team);
	snprintf(w->owners[w->nowners++], FNL_KEY_LEN, "%s", login);
	struct fnl_ctx c = t_sys(w->now);
	struct fnl_lead l;
	T_OK(t, fnl_lead_assign(t->db, &c, id, login, "新人接手", &l));
}

/* One random write on lead id (when it allows it) or on the installation; refreshes what it wrote. */
static void w_act(struct world *w)
{
	struct tenv *t = w->t;
	struct fnl_rng *r = &w->r;
	w->now += fnl_rng_chance(r, 10) ? 0 : 60 + fnl_rng_below(r, 6 * 3600);
	int x = fnl_rng_below(r, 100);
	if (x < 18 || !w->nleads) {
		w_add(w);
		w->ops++;
		return;
	}
	int64_t id = w->leads[fnl_rng_below(r, w->nleads)];
	struct fnl_ctx c = t_sys(w->now);
	struct fnl_lead l;
	T_OK(t, fnl_lead_get(t->db, &c, id, &l));
	int open = strcmp(l.status, "open") == 0, nurture = strcmp(l.status, "nurture") == 0;
	int lost = strcmp(l.status, "lost") == 0, won = strcmp(l.status, "won") == 0;
	x = fnl_rng_below(r, 100);
	if (x < 14) {
		if (!open && !nurture)
			return;
		T_OK(t, fnl_lead_score(t->db, &c, id, 1 + fnl_rng_below(r, 5), 1 + fnl_rng_below(r, 5), 1 + fnl_rng_below(r, 5), 1 + fnl_rng_below(r, 5), &l));
	} else if (x < 32) {
		if (!open || l.stage_pos >= w->nstages - 1)
			return;
		int to = fnl_rng_chance(r, 30) ? l.stage_pos + 1 + fnl_rng_below(r, w->nstages - 1 - l.stage_pos) : l.stage_pos + 1;
		w_gates(w, id, to);
		T_OK(t, fnl_lead_move(t->db, &c, id, w->stage_key[to], "", &l));
	} else if (x < 38) {
		if (!open || l.stage_pos == 1)
			return;
		T_OK(t, fnl_lead_move(t->db, &c, id, w->stage_key[1 + fnl_rng_below(r, l.stage_pos - 1)], "客户要重新评估", &l));
	} else if (x < 46) {
		if (!open && !nurture)
			return;
		T_OK(t, fnl_lead_lose(t->db, &c, id, REASONS[fnl_rng_below(r, N_OF(REASONS))], "", &l));
	} else if (x < 52) {
		if (!lost && !nurture)
			return;
		T_OK(t, fnl_lead_reopen(t->db, &c, id, "重新跟进", &l));
	} else if (x < 60) {
		if (!open && !(won && fnl_deal_get(t->db, &c, id, &(struct fnl_deal){0}) == FNL_ENOTFOUND))
			return;
		w_deal(w, id, won); /* a deal, or the deal of a lead won by force */
	} else if (x < 63) {
		if (!open || l.stage_pos < 2)
			return;
		T_OK(t, fnl_lead_force(t->db, &c, id, w->stage_key[w->nstages], "口头确认", &l));
	} else if (x < 75) {
		if (won || lost)
			return; /* edits of open and nurture leads */
		struct fnl_lead_input in = {0};
		int what = fnl_rng_below(r, 4);
		if (what == 0)
			in.industry = fnl_rng_chance(r, 20) ? "新能源" : INDUSTRIES[fnl_rng_below(r, N_OF(INDUSTRIES))];
		else if (what == 1)
			in.region = fnl_rng_chance(r, 20) ? "海南/三亚" : REGIONS[fnl_rng_below(r, N_OF(REGIONS))];
		else if (what == 2)
			in.channel = w->channels[fnl_rng_below(r, w->nchannels)];
		else if (l.stage_pos >= 2) {
			in.has_amount = fnl_rng_chance(r, 80) ? 1 : -1;
			in.amount = INT64_C(100) * fnl_rng_below(r, 300000);
			in.close_month = fnl_rng_chance(r, 50) ? "2027-03" : "";
		} else
			return;
		T_OK(t, fnl_lead_edit(t->db, &c, id, &in, &l));
	} else if (x < 85) {
		if (won || lost)
			return;
		int rc = fnl_lead_assign(t->db, &c, id, w->owners[fnl_rng_below(r, w->nowners)], "", &l);
		if (rc != FNL_ESTATE)
			T_OK(t, rc);
	} else if (x < 89) {
		w_new_owner(w, id);
	} else if (x < 92) {
		/* a user moves to another team: every lead they own moves with them */
		struct fnl_ctx a = t_admin(t, w->now);
		struct fnl_user_change ch = {NULL, NULL, NULL, -1};
		char team[32];
		snprintf(team, sizeof team, "新团队%d", 1 + fnl_rng_below(r, w->nteams + 1));
		ch.team = fnl_rng_chance(r, 20) ? "" : fnl_rng_chance(r, 50) ? "华南" : team;
		struct fnl_user u;
		T_OK(t, fnl_user_edit(t->db, &a, w->owners[fnl_rng_below(r, w->nowners)], &ch, &u));
	} else if (x < 94) {
		char key[16];
		if (w->nchannels >= N_OF(w->channels))
			return;
		snprintf(key, sizeof key, "new_ch%d", w->nchannels);
		struct fnl_ctx a = t_admin(t, w->now);
		T_OK(t, fnl_channel_add(t->db, &a, key, "新渠道", "New channel", "online"));
		snprintf(w->channels[w->nchannels++], FNL_KEY_LEN, "%s", key);
		w_add(w);
	} else {
		return;
	}
	refresh(w, id);
	w->ops++;
}

/* ---- the comparison ---- */

static const char *const DIM_NAMES[FNL_DIM_COUNT] = {"none", "channel", "owner", "team", "grade", "industry", "region", "month"};

#define COL_EQ(col, a, b)                                                                                 \
	do {                                                                                              \
		if ((int64_t)(a) != (int64_t)(b))                                                         \
			fail_msg("%s: lead %zu: %s: kept current %lld, rebuilt %lld", what, i, col, (long long)(a), \
				 (long long)(b));                                                         \
	} while (0)

#define NAME_EQ(col, a, b)                                                                                \
	do {                                                                                              \
		if (strcmp((a), (b)) != 0)                                                                \
			fail_msg("%s: lead %zu: %s: kept current '%s', rebuilt '%s'", what, i, col, (a), (b)); \
	} while (0)

static void compare_columns(const fnl_snapshot *s, const fnl_snapshot *b, const char *what)
{
	size_t i = 0;
	COL_EQ("leads", fnl_snapshot_leads(s), fnl_snapshot_leads(b));
	COL_EQ("stages", s->nstages, b->nstages);
	COL_EQ("min_month", s->min_month, b->min_month);
	COL_EQ("max_month", s->max_month, b->max_month);
	for (i = 1; i < b->n; i++) {
		COL_EQ("status", s->status[i], b->status[i]);
		if (!b->status[i])
			continue;
		COL_EQ("captured", s->captured[i], b->captured[i]);
		COL_EQ("month", s->month[i], b->month[i]);
		NAME_EQ("channel", fnl_snapshot_name(s, FNL_DIM_CHANNEL, s->channel[i]),
			fnl_snapshot_name(b, FNL_DIM_CHANNEL, b->channel[i]));
		NAME_EQ("owner", fnl_snapshot_name(s, FNL_DIM_OWNER, s->owner[i]),
			fnl_snapshot_name(b, FNL_DIM_OWNER, b->owner[i]));
		NAME_EQ("team", fnl_snapshot_name(s, FNL_DIM_TEAM, s->owner_team[s->owner[i]]),
			fnl_snapshot_name(b, FNL_DIM_TEAM, b->owner_team[b->owner[i]]));
		COL_EQ("grade", s->grade[i], b->grade[i]);
		NAME_EQ("industry", fnl_snapshot_name(s, FNL_DIM_INDUSTRY, s->industry[i]),
			fnl_snapshot_name(b, FNL_DIM_INDUSTRY, b->industry[i]));
		NAME_EQ("region", fnl_snapshot_name(s, FNL_DIM_REGION, s->region[i]),
			fnl_snapshot_name(b, FNL_DIM_REGION, b->region[i]));
		COL_EQ("stage", s->stage[i], b->stage[i]);
		COL_EQ("reached", s->reached[i], b->reached[i]);
		NAME_EQ("reason", s->reasons.names[s->reason[i]], b->reasons.names[b->reason[i]]);
		COL_EQ("lost_at", s->lost_at[i], b->lost_at[i]);
		COL_EQ("amount", s->amount[i], b->amount[i]);
		COL_EQ("close_month", s->close_month[i], b->close_month[i]);
		COL_EQ("scores", s->scores[i], b->scores[i]);
		for (int k = 1; k <= b->nstages; k++)
			COL_EQ("entry[k]", s->entry[k][i], b->entry[k][i]);
	}
	/* slots past the rebuilt snapshot's last lead are empty in the kept one too */
	for (i = b->n; i < s->n; i++)
		COL_EQ("status (past the end)", s->status[i], 0);
	/* every value of a fresh dictionary is there, both ways */
	for (int d = FNL_DIM_CHANNEL; d < FNL_DIM_COUNT; d++) {
		int n = fnl_snapshot_values(b, (enum fnl_dim)d);
		if (d == FNL_DIM_MONTH)
			COL_EQ("months", fnl_snapshot_values(s, FNL_DIM_MONTH), n);
		for (int k = 0; k < n; k++) {
			const char *name = fnl_snapshot_name(b, (enum fnl_dim)d, k);
			int sk = fnl_snapshot_find(s, (enum fnl_dim)d, name);
			if (sk < 0 || strcmp(fnl_snapshot_name(s, (enum fnl_dim)d, sk), name) != 0)
				fail_msg("%s: %s '%s' is not in the snapshot kept current", what, DIM_NAMES[d], name);
			if (d == FNL_DIM_MONTH || d == FNL_DIM_CHANNEL || d == FNL_DIM_OWNER)
				COL_EQ(DIM_NAMES[d], sk, k); /* these follow the months and the table ids */
		}
	}
	for (int k = 0; k < b->owners.n; k++) {
		i = (size_t)k;
		NAME_EQ("the owner's team", fnl_snapshot_name(s, FNL_DIM_TEAM, s->owner_team[k]),
			fnl_snapshot_name(b, FNL_DIM_TEAM, b->owner_team[k]));
	}
}

/* The value index of name in dim of s for a filter (the name must be there). */
static int value_of(const fnl_snapshot *s, enum fnl_dim dim, const char *name)
{
	int k = fnl_snapshot_find(s, dim, name);
	if (k < 0)
		fail_msg("no %s '%s'", DIM_NAMES[dim], name);
	return k;
}

/* Every figure of a group, in a fixed order (figure_name names them). */
#define N_FIGURES (1 + 3 * (FNL_MAX_STAGES + 1) + 2 + 4 * (FNL_MAX_STAGES + 1) + 4)

static void figures(const struct fnl_funnel_group *G, int64_t v[N_FIGURES])
{
	int n = 0;
	v[n++] = G->leads;
	for (int k = 0; k <= FNL_MAX_STAGES; k++) {
		v[n++] = G->reached[k];
		v[n++] = G->lost[k];
		v[n++] = G->open[k];
	}
	v[n++] = G->won_count;
	v[n++] = G->won_amount;
	for (int k = 0; k <= FNL_MAX_STAGES + 1; k++) {
		const struct fnl_duration_stats *d = k <= FNL_MAX_STAGES ? &G->stage_time[k] : &G->cycle;
		v[n++] = d->count;
		v[n++] = d->sum;
		v[n++] = d->median;
		v[n++] = d->p90;
	}
	assert_int_equal(n, N_FIGURES);
}

static void figure_name(int f, char *buf, size_t len)
{
	static const char *const counts[] = {"reached", "lost", "open"}, *const stats[] = {"count", "sum", "median", "p90"};
	const int nc = 3 * (FNL_MAX_STAGES + 1);
	if (f == 0)
		snprintf(buf, len, "leads");
	else if (f <= nc)
		snprintf(buf, len, "%s[%d]", counts[(f - 1) % 3], (f - 1) / 3);
	else if (f == nc + 1)
		snprintf(buf, len, "won_count");
	else if (f == nc + 2)
		snprintf(buf, len, "won_amount");
	else if ((f - nc - 3) / 4 <= FNL_MAX_STAGES)
		snprintf(buf, len, "stage_time[%d].%s", (f - nc - 3) / 4, stats[(f - nc - 3) % 4]);
	else
		snprintf(buf, len, "cycle.%s", stats[(f - nc - 3) % 4]);
}

static void compare_funnels(const fnl_snapshot *s, const fnl_snapshot *b, const struct fnl_query *qb,
			    const char *what)
{
	/* the same query on the kept snapshot: the filter values by name */
	struct fnl_query qs = *qb;
	for (int d = FNL_DIM_CHANNEL; d <= FNL_DIM_REGION; d++)
		if (qb->filter[d] >= 0)
			qs.filter[d] = value_of(s, (enum fnl_dim)d, fnl_snapshot_name(b, (enum fnl_dim)d, qb->filter[d]));
	struct fnl_funnel fs, fb;
	assert_int_equal(fnl_engine_funnel(s, &qs, 1, &fs), 0);
	assert_int_equal(fnl_engine_funnel(b, qb, 1, &fb), 0);
	if (fs.ngroups != fb.ngroups)
		fail_msg("%s, by %s: %d groups kept current, %d rebuilt", what, DIM_NAMES[qb->by], fs.ngroups, fb.ngroups);
	for (int k = 0; k < fb.ngroups; k++) {
		const struct fnl_funnel_group *B = &fb.groups[k], *S = NULL;
		const char *name = qb->by == FNL_DIM_NONE ? "all" : fnl_snapshot_name(b, qb->by, B->key);
		for (int j = 0; j < fs.ngroups; j++)
			if (strcmp(qb->by == FNL_DIM_NONE ? "all" : fnl_snapshot_name(s, qb->by, fs.groups[j].key), name) == 0)
				S = &fs.groups[j];
		if (!S)
			fail_msg("%s, by %s: group '%s' only in the rebuilt snapshot", what, DIM_NAMES[qb->by], name);
		int64_t a[N_FIGURES], c[N_FIGURES];
		figures(S, a);
		figures(B, c);
		for (int f = 0; f < N_FIGURES; f++)
			if (a[f] != c[f]) {
				char fname[48];
				figure_name(f, fname, sizeof fname);
				fail_msg("%s, by %s, group '%s': %s: kept current %lld, rebuilt %lld", what,
					 DIM_NAMES[qb->by], name, fname, (long long)a[f], (long long)c[f]);
			}
	}
	fnl_funnel_free(&fs);
	fnl_funnel_free(&fb);
}

static void compare_all(struct world *w, const char *when)
{
	fnl_snapshot *b;
	T_OK(w->t, fnl_snapshot_build(w->t->db, &b));
	char what[128];
	snprintf(what, sizeof what, "%s after %d writes", when, w->ops);
	compare_columns(w->s, b, what);
	/* filters: none, and one per dimension on a value that has leads; periods: none and the middle */
	struct fnl_query q;
	for (int fd = FNL_DIM_NONE; fd <= FNL_DIM_REGION; fd++)
		for (int p = 0; p < 2; p++)
			for (int by = FNL_DIM_NONE; by < FNL_DIM_COUNT; by++) {
				fnl_query_init(&q);
				q.by = (enum fnl_dim)by;
				if (p) {
					q.from = w->now - 200 * T_DAY;
					q.to = w->now - 20 * T_DAY;
				}
				if (fd != FNL_DIM_NONE) {
					size_t i = 1;
					while (i < b->n && (b->status[i] < FNL_SNAP_OPEN || b->status[i] > FNL_SNAP_LOST))
						i++;
					if (i == b->n)
						continue;
					/* the value of a lead near the end: recent writes touch those */
					for (size_t j = b->n - 1; j > i; j--)
						if (b->status[j] >= FNL_SNAP_OPEN && b->status[j] <= FNL_SNAP_LOST) {
							i = j;
							break;
						}
					q.filter[fd] = fnl__group_of(b, (enum fnl_dim)fd, i);
				}
				char w2[192];
				snprintf(w2, sizeof w2, "%s, filter on %s, %s", what, DIM_NAMES[fd], p ? "a period" : "no period");
				compare_funnels(w->s, b, &q, w2);
			}
	fnl_snapshot_free(b);
}

static void world_init(struct world *w, struct tenv *t, uint64_t seed)
{
	memset(w, 0, sizeof *w);
	w->t = t;
	w->r.s = seed * UINT64_C(7919) + 3;
	w->now = T_NOW;
	static const char *const users[][3] = {{"s1", "sales", "华东"}, {"s2", "sales", "华东"}, {"s3", "sales", "华南"},
					       {"s4", "sales", NULL},    {"m1", "manager", "华南"}};
	for (int k = 0; k < N_OF(users); k++) {
		t_user(t, users[k][0], users[k][1], users[k][2]);
		snprintf(w->owners[w->nowners++], FNL_KEY_LEN, "%s", users[k][0]);
	}
	for (int k = 0; k < N_OF(CHANNELS); k++)
		snprintf(w->channels[w->nchannels++], FNL_KEY_LEN, "%s", CHANNELS[k]);
	struct fnl_stage *st;
	size_t ns;
	T_OK(t, fnl_stage_list(t->db, NULL, &st, &ns));
	w->nstages = (int)ns;
	for (size_t k = 0; k < ns; k++)
		snprintf(w->stage_key[st[k].pos], FNL_KEY_LEN, "%s", st[k].key);
	free(st);
	assert_int_equal(sqlite3_exec(t->db->sql, "PRAGMA temp_store = MEMORY", NULL, NULL, NULL), SQLITE_OK);
}

static void test_refresh_equals_rebuild(void **state)
{
	(void)state;
	int seeds = t_env_int("FUNNEL_TEST_SEEDS", DEFAULT_SEEDS, 100000), ops = 0, refreshes = 0, compares = 0;
	for (int seed = 1; seed <= seeds; seed++) {
		void *env = NULL;
		assert_int_equal(tenv_setup(&env), 0);
		struct tenv *t = env;
		struct world *w = calloc(1, sizeof *w);
		assert_non_null(w);
		world_init(w, t, (uint64_t)seed);
		/* odd seeds: a snapshot of the empty database, kept current from the first lead on; even
		 * seeds: a snapshot built after 400 writes, kept current from then on */
		T_OK(t, fnl_db_begin(t->db));
		if (seed % 2 == 0)
			for (int k = 0; k < 400; k++)
				w_act(w);
		T_OK(t, fnl_snapshot_build(t->db, &w->s));
		for (int round = 0; round < 6; round++) {
			for (int k = 0; k < 100; k++)
				w_act(w);
			char when[64];
			snprintf(when, sizeof when, "seed %d, round %d", seed, round);
			compare_all(w, when);
			compares++;
		}
		T_OK(t, fnl_db_commit(t->db));
		/* what the new users, teams, channels and values look like */
		fnl_snapshot *s = w->s;
		for (int k = 1; k <= w->nusers; k++) {
			char login[16];
			snprintf(login, sizeof login, "n%d", k);
			int o = fnl_snapshot_find(s, FNL_DIM_OWNER, login);
			assert_true(o > 0);
			assert_string_equal(fnl_snapshot_name(s, FNL_DIM_OWNER, o), login);
		}
		for (int k = N_OF(CHANNELS); k < w->nchannels; k++) {
			int ch = fnl_snapshot_find(s, FNL_DIM_CHANNEL, w->channels[k]);
			assert_int_equal(ch, k);
			assert_string_equal(fnl_snapshot_name(s, FNL_DIM_CHANNEL, ch), w->channels[k]);
		}
		ops += w->ops;
		refreshes += w->refresh_calls;
		fnl_snapshot_free(w->s);
		free(w);
		tenv_teardown(&env);
	}
	printf("refresh = rebuild: %d seeds, %d writes, %d refreshes, %d comparisons\n", seeds, ops, refreshes,
	       compares);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_columns_of_one_lead),
		cmocka_unit_test(test_refresh_equals_rebuild),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
