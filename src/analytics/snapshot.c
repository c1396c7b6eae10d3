/*
 * analytics/snapshot.c - building the columnar snapshot in one pass over the store, and keeping it
 * current lead by lead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/snapshot.h"
#include "store/store.h"

void fnl__month_name(int month, char buf[static 8])
{
	snprintf(buf, 8, "%04d-%02d", 1970 + month / 12, month % 12 + 1);
}

/* ---- columns ---- */

#define COLUMNS(X)                 \
	X(captured, uint32_t)      \
	X(month, uint16_t)         \
	X(channel, uint8_t)        \
	X(owner, uint16_t)         \
	X(grade, uint8_t)          \
	X(industry, uint16_t)      \
	X(region, uint16_t)        \
	X(status, uint8_t)         \
	X(stage, uint8_t)          \
	X(reached, uint8_t)        \
	X(reason, uint8_t)         \
	X(lost_at, uint32_t)       \
	X(amount, int64_t)         \
	X(close_month, uint16_t)   \
	X(scores, uint16_t)        \
	X(code, uint8_t)

static int grow(struct fnl_snapshot *s, size_t need)
{
	if (need <= s->cap)
		return 0;
	size_t cap = s->cap ? s->cap : 1024;
	while (cap < need)
		cap = cap + cap / 2;
#define X(name, type)                                                         \
	{                                                                     \
		type *p = realloc(s->name, cap * sizeof(type));               \
		if (!p)                                                       \
			return -1;                                            \
		memset(p + s->cap, 0, (cap - s->cap) * sizeof(type));         \
		s->name = p;                                                  \
	}
	COLUMNS(X)
#undef X
	for (int k = 1; k <= s->nstages; k++) {
		uint32_t *p = realloc(s->entry[k], cap * sizeof *p);
		if (!p)
			return -1;
		memset(p + s->cap, 0, (cap - s->cap) * sizeof *p);
		s->entry[k] = p;
	}
	size_t words = (s->cap + 63) / 64, nwords = (cap + 63) / 64;
	uint64_t *w = realloc(s->won_bits, nwords * sizeof *w);
	if (!w)
		return -1;
	memset(w + words, 0, (nwords - words) * sizeof *w);
	s->won_bits = w;
	s->cap = cap;
	return 0;
}

/* Give back the room grown ahead: keep the columns at n plus some headroom for new leads. */
static void fit(struct fnl_snapshot *s)
{
	size_t cap = s->n + 1024;
	if (cap >= s->cap)
		return;
#define X(name, type)                                                  \
	{                                                              \
		type *p = realloc(s->name, cap * sizeof(type));        \
		if (p)                                                 \
			s->name = p;                                   \
	}
	COLUMNS(X)
#undef X
	for (int k = 1; k <= s->nstages; k++) {
		uint32_t *p = realloc(s->entry[k], cap * sizeof *p);
		if (p)
			s->entry[k] = p;
	}
	uint64_t *w = realloc(s->won_bits, ((cap + 63) / 64) * sizeof *w);
	if (w)
		s->won_bits = w;
	s->cap = cap;
}

void fnl_snapshot_free(fnl_snapshot *s)
{
	if (!s)
		return;
#define X(name, type) free(s->name);
	COLUMNS(X)
#undef X
	for (int k = 0; k <= FNL_MAX_STAGES; k++)
		free(s->entry[k]);
	free(s->won_bits);
	free(s->won_rank);
	free(s->won_amt);
	struct fnl__dict *dicts[] = {&s->channels, &s->owners, &s->teams, &s->grades,
				     &s->industries, &s->regions, &s->reasons};
	for (size_t i = 0; i < sizeof dicts / sizeof dicts[0]; i++)
		fnl__dict_free(dicts[i]);
	free(s->channel_ids);
	free(s->owner_ids);
	free(s->owner_team);
	free(s->month_names);
	fnl_tz_free(s->own_tz);
	free(s);
}

size_t fnl_snapshot_leads(const fnl_snapshot *s)
{
	return s->n ? s->n - 1 : 0;
}

size_t fnl_snapshot_bytes(const fnl_snapshot *s)
{
	size_t per = 0;
#define X(name, type) per += sizeof(type);
	COLUMNS(X)
#undef X
	per += (size_t)s->nstages * sizeof(uint32_t);
	size_t words = (s->cap + 63) / 64, nwon = 0;
	for (size_t w = 0; w < (s->n + 63) / 64; w++)
		nwon += (size_t)__builtin_popcountll(s->won_bits[w]);
	return per * s->cap + words * (sizeof(uint64_t) + sizeof(uint32_t)) + nwon * sizeof(int64_t);
}

int fnl_snapshot_stages(const fnl_snapshot *s)
{
	return s->nstages;
}

const char *fnl_snapshot_stage_key(const fnl_snapshot *s, int pos)
{
	return pos >= 1 && pos <= s->nstages ? s->stage_key[pos] : "";
}

static const struct fnl__dict *dict_of(const fnl_snapshot *s, enum fnl_dim dim)
{
	switch (dim) {
	case FNL_DIM_CHANNEL: return &s->channels;
	case FNL_DIM_OWNER: return &s->owners;
	case FNL_DIM_TEAM: return &s->teams;
	case FNL_DIM_GRADE: return &s->grades;
	case FNL_DIM_INDUSTRY: return &s->industries;
	case FNL_DIM_REGION: return &s->regions;
	default: return NULL;
	}
}

int fnl_snapshot_find(const fnl_snapshot *s, enum fnl_dim dim, const char *name)
{
	if (dim == FNL_DIM_MONTH) {
		int y, m;
		char extra;
		if (sscanf(name, "%4d-%2d%c", &y, &m, &extra) != 2 || m < 1 || m > 12 || y < 1970)
			return -1;
		int month = (y - 1970) * 12 + m - 1;
		return month >= s->min_month && month <= s->max_month ? month - s->min_month : -1;
	}
	const struct fnl__dict *d = dict_of(s, dim);
	return d ? fnl__dict_find(d, name) : -1;
}

const char *fnl_snapshot_name(const fnl_snapshot *s, enum fnl_dim dim, int index)
{
	if (dim == FNL_DIM_MONTH)
		return index >= 0 && index <= s->max_month - s->min_month && s->month_names ? s->month_names[index] : "";
	const struct fnl__dict *d = dict_of(s, dim);
	return d && index >= 0 && index < d->n ? d->names[index] : "";
}

int fnl_snapshot_values(const fnl_snapshot *s, enum fnl_dim dim)
{
	if (dim == FNL_DIM_MONTH)
		return s->max_month >= s->min_month ? s->max_month - s->min_month + 1 : 0;
	const struct fnl__dict *d = dict_of(s, dim);
	return d ? d->n : 1;
}

void fnl_query_init(struct fnl_query *q)
{
	memset(q, 0, sizeof *q);
	for (int d = 0; d < FNL_DIM_COUNT; d++)
		q->filter[d] = -1;
	q->by = FNL_DIM_NONE;
}

/* ---- loading ---- */

static int load_stages(fnl_db *db, struct fnl_snapshot *s)
{
	static const char sql[] = "SELECT id, pos, key FROM stage WHERE pipeline_id = 1 ORDER BY pos";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	s->pipeline_id = 1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int pos = sqlite3_column_int(st, 1);
		if (pos < 1 || pos > FNL_MAX_STAGES)
			continue;
		s->stage_id[pos] = sqlite3_column_int64(st, 0);
		fnl__col_text(st, 2, s->stage_key[pos], sizeof s->stage_key[pos]);
		if (pos > s->nstages)
			s->nstages = pos;
	}
	sqlite3_reset(st);
	return 0;
}

/* Channel, owner and team dictionaries with their ids. */
static int load_people(fnl_db *db, struct fnl_snapshot *s)
{
	static const char channels[] = "SELECT id, key FROM channel ORDER BY id";
	static const char users[] = "SELECT u.id, u.login, COALESCE(t.name, '') FROM user u"
				    " LEFT JOIN team t ON t.id = u.team_id ORDER BY u.id";
	sqlite3_stmt *st = fnl__stmt(db, channels);
	if (!st)
		return db->err.code;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int k = fnl__dict_add(&s->channels, (const char *)sqlite3_column_text(st, 1));
		if (k < 0)
			break;
		int64_t *ids = realloc(s->channel_ids, (size_t)s->channels.n * sizeof *ids);
		if (!ids)
			break;
		s->channel_ids = ids;
		ids[k] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (!(st = fnl__stmt(db, users)))
		return db->err.code;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int k = fnl__dict_add(&s->owners, (const char *)sqlite3_column_text(st, 1));
		int t = fnl__dict_add(&s->teams, (const char *)sqlite3_column_text(st, 2));
		if (k < 0 || t < 0)
			break;
		int64_t *ids = realloc(s->owner_ids, (size_t)s->owners.n * sizeof *ids);
		uint16_t *teams = ids ? realloc(s->owner_team, (size_t)s->owners.n * sizeof *teams) : NULL;
		if (ids)
			s->owner_ids = ids;
		if (!teams)
			break;
		s->owner_team = teams;
		ids[k] = sqlite3_column_int64(st, 0);
		teams[k] = (uint16_t)t;
	}
	sqlite3_reset(st);
	return 0;
}

static int owner_index(const struct fnl_snapshot *s, int64_t user_id)
{
	/* user ids are dense rowids: try the slot first, then search */
	if (user_id > 0 && user_id < s->owners.n && s->owner_ids[user_id] == user_id)
		return (int)user_id;
	for (int k = 1; k < s->owners.n; k++)
		if (s->owner_ids[k] == user_id)
			return k;
	return 0;
}

static int channel_index(const struct fnl_snapshot *s, int64_t channel_id)
{
	if (channel_id > 0 && channel_id <= s->channels.n && s->channel_ids[channel_id - 1] == channel_id)
		return (int)channel_id - 1;
	for (int k = 0; k < s->channels.n; k++)
		if (s->channel_ids[k] == channel_id)
			return k;
	return 0;
}

static int month_of(const struct fnl_snapshot *s, int64_t t)
{
	int64_t y;
	unsigned m;
	fnl_civil_from_days(fnl_tz_local_date(s->tz, t), &y, &m, NULL);
	int month = (int)((y - 1970) * 12 + (int64_t)m - 1);
	return month < 0 ? 0 : month > 65535 ? 65535 : month;
}

static uint8_t status_code(const char *st)
{
	static const char *const names[] = {"", "open", "nurture", "won", "lost", "invalid", "merged"};
	for (uint8_t k = 1; k < sizeof names / sizeof names[0]; k++)
		if (st && strcmp(st, names[k]) == 0)
			return k;
	return 0;
}

static int stage_pos_of(const struct fnl_snapshot *s, int64_t stage_id)
{
	for (int k = 1; k <= s->nstages; k++)
		if (s->stage_id[k] == stage_id)
			return k;
	return 0;
}

/* amount: a won lead's is its deal's (none for a win forced without a deal: won amounts are the sum
 * of the deals), any other lead's the expected amount */
#define LEAD_COLS                                                                                      \
	"SELECT l.id, l.captured_at, l.channel_id, COALESCE(l.owner_id, 0), COALESCE(l.grade, ''),"       \
	" l.industry, l.region, l.status, l.stage_id, l.reached_pos, COALESCE(l.lost_reason, ''),"         \
	" CASE WHEN l.status = 'won' THEN COALESCE(d.amount, 0) ELSE COALESCE(l.amount, 0) END,"          \
	" COALESCE(l.close_month, ''), COALESCE(l.score_budget, 0),"                                       \
	" COALESCE(l.score_need, 0), COALESCE(l.score_decision, 0), COALESCE(l.score_urgency, 0),"         \
	" COALESCE(l.lost_at, 0)"                                                                         \
	" FROM lead l LEFT JOIN deal d ON d.lead_id = l.id WHERE l.pipeline_id = ?1 "

/* Store one row of LEAD_COLS into its slot. */
static int put_lead(struct fnl_snapshot *s, sqlite3_stmt *st)
{
	int64_t id = sqlite3_column_int64(st, 0);
	if (id <= 0 || id > UINT32_MAX)
		return 0;
	size_t i = (size_t)id;
	if (grow(s, i + 1))
		return -1;
	if (i + 1 > s->n)
		s->n = i + 1;
	int64_t cap = sqlite3_column_int64(st, 1);
	s->captured[i] = cap < 0 ? 0 : cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap;
	int m = month_of(s, cap);
	s->month[i] = (uint16_t)m;
	s->channel[i] = (uint8_t)channel_index(s, sqlite3_column_int64(st, 2));
	s->owner[i] = (uint16_t)owner_index(s, sqlite3_column_int64(st, 3));
	const char *g = (const char *)sqlite3_column_text(st, 4);
	s->grade[i] = g && g[0] >= 'A' && g[0] <= 'C' ? (uint8_t)(g[0] - 'A' + 1) : 0;
	int ind = fnl__dict_add(&s->industries, (const char *)sqlite3_column_text(st, 5));
	int reg = fnl__dict_add(&s->regions, (const char *)sqlite3_column_text(st, 6));
	s->industry[i] = (uint16_t)(ind < 0 ? 0 : ind);
	s->region[i] = (uint16_t)(reg < 0 ? 0 : reg);
	s->status[i] = status_code((const char *)sqlite3_column_text(st, 7));
	s->stage[i] = (uint8_t)stage_pos_of(s, sqlite3_column_int64(st, 8));
	s->reached[i] = (uint8_t)sqlite3_column_int(st, 9);
	int r = fnl__dict_add(&s->reasons, (const char *)sqlite3_column_text(st, 10));
	s->reason[i] = (uint8_t)(r < 0 ? 0 : r);
	s->amount[i] = sqlite3_column_int64(st, 11);
	const unsigned char *cm = sqlite3_column_text(st, 12);
	s->close_month[i] = 0;
	if (cm && strlen((const char *)cm) == 7 && cm[4] == '-') {
		int y = (cm[0] - '0') * 1000 + (cm[1] - '0') * 100 + (cm[2] - '0') * 10 + (cm[3] - '0');
		int mo = (cm[5] - '0') * 10 + (cm[6] - '0');
		if (y >= 1970 && y < 1970 + 5400 && mo >= 1 && mo <= 12)
			s->close_month[i] = (uint16_t)((y - 1970) * 12 + mo - 1);
	}
	s->scores[i] = (uint16_t)(sqlite3_column_int(st, 13) | sqlite3_column_int(st, 14) << 3 |
				  sqlite3_column_int(st, 15) << 6 | sqlite3_column_int(st, 16) << 9);
	int64_t lost = s->status[i] == FNL_SNAP_LOST ? sqlite3_column_int64(st, 17) : 0;
	s->lost_at[i] = lost < 0 ? 0 : lost > UINT32_MAX ? UINT32_MAX : (uint32_t)lost;
	for (int k = 1; k <= s->nstages; k++)
		s->entry[k][i] = 0;
	uint8_t status = s->status[i];
	int rp = s->reached[i] < 1 ? 1 : s->reached[i] > s->nstages ? s->nstages : s->reached[i];
	int sp = s->stage[i] < 1 ? 1 : s->stage[i] > rp ? rp : s->stage[i];
	int cls = status == FNL_SNAP_WON ? FNL__CLS_WON : status == FNL_SNAP_LOST ? FNL__CLS_LOST : FNL__CLS_OPEN;
	s->code[i] = status >= FNL_SNAP_OPEN && status <= FNL_SNAP_LOST ? s->code_of[rp][sp][cls] : 0;
	if (status == FNL_SNAP_WON)
		s->won_bits[i / 64] |= UINT64_C(1) << (i % 64);
	else
		s->won_bits[i / 64] &= ~(UINT64_C(1) << (i % 64));
	if (s->status[i] >= FNL_SNAP_OPEN && s->status[i] <= FNL_SNAP_LOST) {
		if (m < s->min_month)
			s->min_month = m;
		if (m > s->max_month)
			s->max_month = m;
	}
	return 0;
}

/* A stage event: lead i entered every position up to pos at t, unless it had already. */
static void put_event(struct fnl_snapshot *s, size_t i, int pos, int64_t t)
{
	uint32_t at = t <= 0 ? 1 : t > UINT32_MAX ? UINT32_MAX : (uint32_t)t;
	for (int k = 1; k <= pos && k <= s->nstages; k++)
		if (!s->entry[k][i] || at < s->entry[k][i])
			s->entry[k][i] = at;
}

#define EVENT_COLS "SELECT e.lead_id, e.at, e.to_stage FROM stage_event e "

static int load(fnl_db *db, struct fnl_snapshot *s, int64_t only)
{
	static const char all_leads[] = LEAD_COLS "ORDER BY l.id";
	static const char one_lead[] = LEAD_COLS "AND l.id = ?2";
	/* in any order: a first entry is the earliest, whatever the order the events come in */
	static const char all_events[] = EVENT_COLS;
	static const char one_events[] = EVENT_COLS "WHERE e.lead_id = ?1";
	sqlite3_stmt *st = fnl__stmt(db, only ? one_lead : all_leads);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, s->pipeline_id);
	if (only)
		sqlite3_bind_int64(st, 2, only);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (put_lead(s, st)) {
			sqlite3_reset(st);
			return fnl__err(db, FNL_ENOMEM, NULL, "out of memory building the snapshot");
		}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fnl__sqlerr(db, rc, "read leads");
	if (!(st = fnl__stmt(db, only ? one_events : all_events)))
		return db->err.code;
	if (only)
		sqlite3_bind_int64(st, 1, only);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);
		int pos = stage_pos_of(s, sqlite3_column_int64(st, 2));
		/* a lead of this pipeline (status set) and a stage of it */
		if (id > 0 && (size_t)id < s->n && s->status[id] && pos)
			put_event(s, (size_t)id, pos, sqlite3_column_int64(st, 1));
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : fnl__sqlerr(db, rc, "read stage events");
}

static int init(fnl_db *db, struct fnl_snapshot *s)
{
	for (struct fnl__dict *d = &s->channels; d <= &s->reasons; d++)
		d->max = 65535;
	s->channels.max = 255;
	s->reasons.max = 255;
	/* index 0 is "none" */
	if (fnl__dict_add(&s->owners, "") < 0 || fnl__dict_add(&s->teams, "") < 0 ||
	    fnl__dict_add(&s->grades, "") < 0 || fnl__dict_add(&s->grades, "A") < 0 ||
	    fnl__dict_add(&s->grades, "B") < 0 || fnl__dict_add(&s->grades, "C") < 0 ||
	    fnl__dict_add(&s->industries, "") < 0 || fnl__dict_add(&s->regions, "") < 0 ||
	    fnl__dict_add(&s->reasons, "") < 0)
		return fnl__err(db, FNL_ENOMEM, NULL, "out of memory building the snapshot");
	s->owner_ids = calloc(1, sizeof *s->owner_ids);
	s->owner_team = calloc(1, sizeof *s->owner_team);
	if (!s->owner_ids || !s->owner_team)
		return fnl__err(db, FNL_ENOMEM, NULL, "out of memory building the snapshot");
	int rc;
	if ((rc = load_stages(db, s)) || (rc = load_people(db, s)))
		return rc;
	if (s->nstages < 2)
		return fnl__err(db, FNL_EDB, NULL, "the pipeline has fewer than 2 stages");
	int c = 1;
	for (int r = 1; r <= s->nstages; r++)
		for (int p = 1; p <= r; p++)
			for (int cls = 0; cls < 3; cls++, c++) {
				s->code_of[r][p][cls] = (uint8_t)c;
				s->code_info[c] = (struct fnl__code_info){(uint8_t)r, (uint8_t)p, (uint8_t)cls};
			}
	/* the snapshot may outlive a change of the db's settings: keep a zone of its own */
	struct fnl_error e;
	if (fnl_tz_load(fnl_tz_name(fnl_db_tz(db)), &s->own_tz, &e))
		return fnl__err(db, FNL_EINVAL, "timezone", "%s", e.message);
	s->tz = s->own_tz;
	s->n = 1;
	s->min_month = 65535; /* no month until a lead comes: max < min */
	s->max_month = 0;
	return grow(s, 1024) ? fnl__err(db, FNL_ENOMEM, NULL, "out of memory building the snapshot") : 0;
}

/* The dense index of the won leads' amounts (see snapshot.h), made again after every change: one
 * pass over the bitmap, cheap beside what it saves every report. */
static int index_wins(struct fnl_snapshot *s)
{
	size_t words = (s->n + 63) / 64, nwon = 0;
	uint32_t *rank = realloc(s->won_rank, (words ? words : 1) * sizeof *rank);
	if (!rank)
		return -1;
	s->won_rank = rank;
	for (size_t w = 0; w < words; w++) {
		rank[w] = (uint32_t)nwon;
		nwon += (size_t)__builtin_popcountll(s->won_bits[w]);
	}
	int64_t *amt = realloc(s->won_amt, (nwon ? nwon : 1) * sizeof *amt);
	if (!amt)
		return -1;
	s->won_amt = amt;
	size_t k = 0;
	for (size_t w = 0; w < words; w++)
		for (uint64_t bits = s->won_bits[w]; bits; bits &= bits - 1)
			amt[k++] = s->amount[w * 64 + (size_t)__builtin_ctzll(bits)];
	return 0;
}

/* The names of the months from the first to the last capture, for group keys. */
static int name_months(struct fnl_snapshot *s)
{
	int n = s->max_month >= s->min_month ? s->max_month - s->min_month + 1 : 0;
	char (*names)[8] = realloc(s->month_names, (size_t)(n ? n : 1) * sizeof *names);
	if (!names)
		return -1;
	for (int k = 0; k < n; k++)
		fnl__month_name(s->min_month + k, names[k]);
	s->month_names = names;
	return 0;
}

int fnl_snapshot_build(fnl_db *db, fnl_snapshot **out)
{
	*out = NULL;
	int rc = fnl__enter_noctx(db);
	if (rc)
		return rc;
	struct fnl_snapshot *s = calloc(1, sizeof *s);
	if (!s)
		return fnl__err(db, FNL_ENOMEM, NULL, "out of memory building the snapshot");
	/* one read transaction: the leads and their events agree */
	int own_tx = db->depth == 0;
	if (own_tx && (rc = fnl__exec(db, "BEGIN"))) {
		free(s);
		return rc;
	}
	if (!(rc = init(db, s)))
		rc = load(db, s, 0);
	if (!rc && (name_months(s) || index_wins(s)))
		rc = fnl__err(db, FNL_ENOMEM, NULL, "out of memory building the snapshot");
	if (!rc)
		fit(s);
	if (own_tx)
		fnl__exec(db, rc ? "ROLLBACK" : "COMMIT");
	if (rc) {
		fnl_snapshot_free(s);
		return rc;
	}
	*out = s;
	return 0;
}

int fnl_snapshot_refresh(fnl_snapshot *s, fnl_db *db, int64_t lead_id)
{
	int rc = fnl__enter_noctx(db);
	if (rc)
		return rc;
	/* owners and channels added since the build */
	if ((rc = load_people(db, s)))
		return rc;
	if (lead_id > 0 && (size_t)lead_id < s->n)
		s->status[lead_id] = 0;
	if ((rc = load(db, s, lead_id)))
		return rc;
	return name_months(s) || index_wins(s) ? fnl__err(db, FNL_ENOMEM, NULL, "out of memory refreshing the snapshot") : 0;
}
