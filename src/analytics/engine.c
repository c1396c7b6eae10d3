/*
 * analytics/engine.c - the cohort funnel and time in stage, as scans over the snapshot's columns.
 *
 * Counting is one pass over one byte a lead: the snapshot's code packs (furthest stage, current
 * stage, open/lost/won), so the funnel is a histogram of codes per group, folded afterwards into
 * reached (suffix sums of the furthest stage), lost and open by current stage, and wins. Won
 * amounts come from the won leads alone, found through a bitmap.
 *
 * Exact medians and 90th percentiles of durations without sorting every value: a pass builds,
 * per group and transition, a histogram of durations in buckets of 2^14 s (about 4.5 hours); the
 * bucket that holds each wanted rank is then known, and a second pass keeps only the values that
 * fall in those buckets, where a selection finds the exact value. Both passes go transition by
 * transition, so each reads two time columns at a time. Nothing is allocated per lead.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analytics/snapshot.h"

void fnl_funnel_free(struct fnl_funnel *f)
{
	if (!f)
		return;
	free(f->groups);
	f->groups = NULL;
	f->ngroups = 0;
}

static int ngroups_of(const fnl_snapshot *s, const struct fnl_query *q)
{
	if (q->by == FNL_DIM_NONE)
		return 1;
	int n = fnl_snapshot_values(s, q->by);
	return n > 0 ? n : 1;
}

/* Keep the groups that have leads, in order, with their keys. */
static void pack(struct fnl_funnel_group *g, int ng, const struct fnl_query *q, int nstages, struct fnl_funnel *out)
{
	int k = 0;
	for (int i = 0; i < ng; i++) {
		if (!g[i].leads)
			continue;
		if (k != i)
			g[k] = g[i];
		g[k].key = q->by == FNL_DIM_NONE ? -1 : i;
		k++;
	}
	out->nstages = nstages;
	out->ngroups = k;
	out->groups = g;
}

/* 1 when q has a period or a filter (else every lead in the funnel matches). */
static int filtered(const struct fnl_query *q)
{
	if (q->from || q->to)
		return 1;
	for (int d = 0; d < FNL_DIM_COUNT; d++)
		if (d != FNL_DIM_MONTH && q->filter[d] >= 0)
			return 1;
	return 0;
}

/* ---- counting ---- */

/* A histogram of codes per group: hist[g * 256 + code]. One loop per group-by, so the key is a
 * plain column read; without filters the loop is a single increment a lead. */
#define DEFINE_COUNT(name, KEY)                                                                       \
	static void name(const fnl_snapshot *s, const struct fnl_query *q, int filt, uint32_t *hist)    \
	{                                                                                             \
		const size_t n = s->n;                                                                \
		const uint8_t *code = s->code;                                                        \
		(void)q;                                                                              \
		if (!filt) {                                                                          \
			for (size_t i = 1; i < n; i++)                                                \
				hist[(size_t)(KEY) * 256 + code[i]]++;                                \
			return;                                                                       \
		}                                                                                     \
		for (size_t i = 1; i < n; i++)                                                        \
			if (code[i] && fnl__matches(s, q, i))                                         \
				hist[(size_t)(KEY) * 256 + code[i]]++;                                \
	}

DEFINE_COUNT(count_none, 0)
DEFINE_COUNT(count_channel, s->channel[i])
DEFINE_COUNT(count_owner, s->owner[i])
DEFINE_COUNT(count_team, s->owner_team[s->owner[i]])
DEFINE_COUNT(count_grade, s->grade[i])
DEFINE_COUNT(count_industry, s->industry[i])
DEFINE_COUNT(count_region, s->region[i])
DEFINE_COUNT(count_month, s->month[i] - s->min_month)

static void count_codes(const fnl_snapshot *s, const struct fnl_query *q, uint32_t *hist)
{
	/* months are only defined for leads in the funnel: check the code first */
	int filt = filtered(q) || q->by == FNL_DIM_MONTH;
	switch (q->by) {
	case FNL_DIM_CHANNEL: count_channel(s, q, filt, hist); break;
	case FNL_DIM_OWNER: count_owner(s, q, filt, hist); break;
	case FNL_DIM_TEAM: count_team(s, q, filt, hist); break;
	case FNL_DIM_GRADE: count_grade(s, q, filt, hist); break;
	case FNL_DIM_INDUSTRY: count_industry(s, q, filt, hist); break;
	case FNL_DIM_REGION: count_region(s, q, filt, hist); break;
	case FNL_DIM_MONTH: count_month(s, q, filt, hist); break;
	default: count_none(s, q, filt, hist);
	}
}

/* Fold the code histograms into the groups' counts. */
static void fold(const fnl_snapshot *s, const uint32_t *hist, struct fnl_funnel_group *g, int ng)
{
	for (int gi = 0; gi < ng; gi++) {
		struct fnl_funnel_group *G = &g[gi];
		const uint32_t *h = hist + (size_t)gi * 256;
		int64_t furthest[FNL_MAX_STAGES + 2] = {0};
		for (int c = 1; c < 256; c++) {
			if (!h[c])
				continue;
			const struct fnl__code_info *ci = &s->code_info[c];
			G->leads += h[c];
			furthest[ci->reached] += h[c];
			if (ci->cls == FNL__CLS_LOST)
				G->lost[ci->stage] += h[c];
			else if (ci->cls == FNL__CLS_WON)
				G->won_count += h[c];
			else
				G->open[ci->stage] += h[c];
		}
		int64_t acc = 0;
		for (int k = s->nstages; k >= 1; k--) {
			acc += furthest[k];
			G->reached[k] = acc;
		}
	}
}

/* Won amounts: only the won leads, through the bitmap, their amounts read from the dense index in
 * order (see snapshot.h). */
static void won_amounts(const fnl_snapshot *s, const struct fnl_query *q, struct fnl_funnel_group *g)
{
	int filt = filtered(q);
	size_t words = (s->n + 63) / 64;
	for (size_t w = 0; w < words; w++) {
		const int64_t *amt = s->won_amt + s->won_rank[w];
		for (uint64_t bits = s->won_bits[w]; bits; bits &= bits - 1, amt++) {
			size_t i = w * 64 + (size_t)__builtin_ctzll(bits);
			if (filt && !fnl__matches(s, q, i))
				continue;
			g[fnl__group_of(s, q->by, i)].won_amount += *amt;
		}
	}
}

static struct fnl_funnel_group *counts(const fnl_snapshot *s, const struct fnl_query *q, int ng)
{
	struct fnl_funnel_group *g = calloc((size_t)ng, sizeof *g);
	uint32_t *hist = calloc((size_t)ng * 256, sizeof *hist);
	if (!g || !hist) {
		free(g);
		free(hist);
		return NULL;
	}
	count_codes(s, q, hist);
	fold(s, hist, g, ng);
	free(hist);
	won_amounts(s, q, g);
	return g;
}

int fnl_engine_counts(const fnl_snapshot *s, const struct fnl_query *q, struct fnl_funnel *out)
{
	memset(out, 0, sizeof *out);
	int ng = ngroups_of(s, q);
	struct fnl_funnel_group *g = counts(s, q, ng);
	if (!g)
		return FNL_ENOMEM;
	pack(g, ng, q, s->nstages, out);
	return 0;
}

/* ---- durations ---- */

/* Quickselect: the k-th smallest (0-based) of v[0..n), n > k. */
static uint32_t select_kth(uint32_t *v, size_t n, size_t k)
{
	int64_t lo = 0, hi = (int64_t)n - 1, kk = (int64_t)k;
	while (lo < hi) {
		uint32_t pivot = v[lo + (hi - lo) / 2];
		int64_t i = lo, j = hi;
		while (i <= j) {
			while (v[i] < pivot)
				i++;
			while (v[j] > pivot)
				j--;
			if (i <= j) {
				uint32_t x = v[i];
				v[i] = v[j];
				v[j] = x;
				i++;
				j--;
			}
		}
		if (kk <= j)
			hi = j;
		else if (kk >= i)
			lo = i;
		else
			return v[kk];
	}
	return v[kk];
}

/*
 * Exact medians and 90th percentiles in one pass over the leads.
 *
 * A cell is a group and a transition (0: the cycle, capture -> won; t >= 1: stage t -> t + 1).
 * First a sample of the leads (blocks of 1024, one in every SAMPLE_EVERY) gives, through a
 * histogram, a window of values around each wanted quantile: a few standard errors of a sample
 * quantile on either side. The full pass then counts, per cell, the values below each window and
 * keeps the values inside it; the counters of all cells are small enough to stay in the first-level
 * cache. When the rank falls inside its window, the exact value is a selection among the kept
 * values. When it does not (a bad sample, or more values than there was room for), a second pass
 * keeps every value of that cell. Either way the figure is exact.
 */
#define SAMPLE_EVERY 32
#define BLOCK 1024

struct keep {
	uint32_t lo, span;         /* keep the values v with v - lo <= span (unsigned) */
	int64_t below;             /* values under lo */
	uint32_t *vals;
	int64_t n, cap;
	int full;                  /* more came than there was room for */
};

struct cell {
	int64_t count, sum;
	struct keep k[2];          /* 0: the median, 1: the p90 */
};

struct scan {
	const fnl_snapshot *s;
	size_t T, ncells;
	struct cell *cells;
	const struct fnl__engine_tuning *tune;
};

static const struct fnl__engine_tuning default_tuning = {SAMPLE_EVERY, 400, 4.5, 0.0};

static void scan_free(struct scan *sc)
{
	for (size_t c = 0; sc->cells && c < sc->ncells; c++) {
		free(sc->cells[c].k[0].vals);
		free(sc->cells[c].k[1].vals);
	}
	free(sc->cells);
}

/* What a scan does with duration d of cell c: count and sum it, count it under each window or keep
 * it when inside. */
#define VISIT(x, d)                                                                                   \
	do {                                                                                          \
		(x)->count++;                                                                         \
		(x)->sum += (d);                                                                      \
		for (int r_ = 0; r_ < 2; r_++) {                                                      \
			struct keep *k_ = &(x)->k[r_];                                                \
			k_->below += (d) < k_->lo;                                                    \
			if ((uint32_t)((d) - k_->lo) <= k_->span) {                                   \
				if (k_->n < k_->cap)                                                  \
					k_->vals[k_->n++] = (d);                                      \
				else                                                                  \
					k_->full = 1;                                                 \
			}                                                                             \
		}                                                                                     \
	} while (0)

/* The leads from..to, one by one, each through the transitions it made (its cycle when won, then
 * the stages up to its furthest): the group key, the code and the furthest stage are read once. */
#define SCAN_BODY(MATCH, KEY)                                                                         \
	const fnl_snapshot *s = sc->s;                                                                \
	const size_t T = sc->T;                                                                       \
	struct cell *restrict cells = sc->cells;                                                      \
	for (size_t i = from; i < to; i++) {                                                          \
		if (!s->code[i] || !(MATCH))                                                          \
			continue;                                                                     \
		struct cell *restrict row = cells + (size_t)(KEY) * T;                                \
		int r = s->reached[i];                                                                \
		/* a won lead starts with its cycle, transition 0 */                                  \
		for (int t = s->status[i] == FNL_SNAP_WON ? 0 : 1; t < r; t++) {                      \
			uint32_t a, b;                                                                \
			if (t) {                                                                      \
				a = s->entry[t][i];                                                   \
				b = s->entry[t + 1][i];                                               \
			} else {                                                                      \
				a = s->captured[i];                                                   \
				b = s->entry[s->nstages][i];                                          \
			}                                                                             \
			/* first entries are monotone: both set means b >= a */                       \
			if (!a | !b | (b < a))                                                        \
				continue;                                                             \
			uint32_t d = b - a;                                                           \
			VISIT(&row[t], d);                                                            \
		}                                                                                     \
	}

#define DEFINE_SCAN(suffix, KEY)                                                                      \
	static void scan_##suffix(struct scan *sc, size_t from, size_t to)                            \
	{                                                                                             \
		SCAN_BODY(1, KEY)                                                                     \
	}

DEFINE_SCAN(none, 0)
DEFINE_SCAN(channel, s->channel[i])
DEFINE_SCAN(owner, s->owner[i])
DEFINE_SCAN(team, s->owner_team[s->owner[i]])
DEFINE_SCAN(grade, s->grade[i])
DEFINE_SCAN(industry, s->industry[i])
DEFINE_SCAN(region, s->region[i])
DEFINE_SCAN(month, s->month[i] - s->min_month)

/* With a period or filters: the general loop. */
static void scan_filtered(struct scan *sc, const struct fnl_query *q, size_t from, size_t to)
{
	SCAN_BODY(fnl__matches(s, q, i), fnl__group_of(s, q->by, i))
}

static void scan(struct scan *sc, const struct fnl_query *q, size_t from, size_t to)
{
	if (filtered(q)) {
		scan_filtered(sc, q, from, to);
		return;
	}
	switch (q->by) {
	case FNL_DIM_CHANNEL: scan_channel(sc, from, to); break;
	case FNL_DIM_OWNER: scan_owner(sc, from, to); break;
	case FNL_DIM_TEAM: scan_team(sc, from, to); break;
	case FNL_DIM_GRADE: scan_grade(sc, from, to); break;
	case FNL_DIM_INDUSTRY: scan_industry(sc, from, to); break;
	case FNL_DIM_REGION: scan_region(sc, from, to); break;
	case FNL_DIM_MONTH: scan_month(sc, from, to); break;
	default: scan_none(sc, from, to);
	}
}

static const double quantile[2] = {0.5, 0.9};

/* The sample's histogram is fine (buckets of 2^10 s, 17 minutes), so that a window is little
 * wider than the margin it needs. */
#define SSHIFT 10
#define SNB 65536 /* the last bucket also holds everything above 2^26 s */

static inline int sample_bucket(uint32_t d)
{
	uint32_t b = d >> SSHIFT;
	return b >= SNB ? SNB - 1 : (int)b;
}

/* The bucket holding rank (1-based) of a sample histogram. */
static int bucket_of_rank(const uint32_t *h, int64_t rank)
{
	int64_t acc = 0;
	int b = 0;
	while (b < SNB - 1 && acc + h[b] < rank)
		acc += h[b++];
	return b;
}

static void keep_nothing(struct keep *k)
{
	k->lo = UINT32_MAX;
	k->span = 0;
	k->full = 0;
	k->n = 0;
	k->below = 0;
}

/* From the sample: the windows of every cell, and room for their values. */
static int guess(struct scan *sc, const struct fnl_query *q)
{
	const fnl_snapshot *s = sc->s;
	for (size_t c = 0; c < sc->ncells; c++)
		for (int r = 0; r < 2; r++) {
			keep_nothing(&sc->cells[c].k[r]);
			sc->cells[c].k[r].cap = 0;
		}
	/* the sample keeps every value: collect them, then histogram each cell */
	for (size_t c = 0; c < sc->ncells; c++) {
		struct keep *k = &sc->cells[c].k[0];
		k->lo = 0;
		k->span = UINT32_MAX;
		k->cap = 1024;
		if (!(k->vals = malloc((size_t)k->cap * sizeof *k->vals)))
			return FNL_ENOMEM;
	}
	const struct fnl__engine_tuning *tu = sc->tune;
	for (size_t from = 1; from < s->n; from += BLOCK * (size_t)tu->sample_every) {
		/* grow the sample buffers between blocks: a block adds at most BLOCK values a cell */
		for (size_t c = 0; c < sc->ncells; c++) {
			struct keep *k = &sc->cells[c].k[0];
			if (k->cap - k->n < BLOCK) {
				uint32_t *v = realloc(k->vals, (size_t)(k->cap * 2 + BLOCK) * sizeof *v);
				if (!v)
					return FNL_ENOMEM;
				k->vals = v;
				k->cap = k->cap * 2 + BLOCK;
			}
		}
		scan(sc, q, from, from + BLOCK < s->n ? from + BLOCK : s->n);
	}
	uint32_t *h = malloc(SNB * sizeof *h);
	if (!h)
		return FNL_ENOMEM;
	for (size_t c = 0; c < sc->ncells; c++) {
		struct cell *x = &sc->cells[c];
		int64_t m = x->count;
		if (m >= tu->min_sample) {
			memset(h, 0, SNB * sizeof *h);
			for (int64_t j = 0; j < x->k[0].n; j++)
				h[sample_bucket(x->k[0].vals[j])]++;
		}
		free(x->k[0].vals);
		x->k[0].vals = NULL;
		for (int r = 0; r < 2; r++) {
			struct keep *k = &x->k[r];
			keep_nothing(k);
			int64_t room;
			if (m < tu->min_sample) {
				/* little seen: keep every value; room for the whole cell, guessed generously */
				k->lo = 0;
				k->span = UINT32_MAX;
				room = (m + 1) * tu->sample_every * 2 + 4096;
			} else {
				/* 4.5 standard errors: a miss (and its second pass) about once in 150000 */
				double p = quantile[r] + tu->offset;
				p = p < 0 ? 0 : p > 1 ? 1 : p;
				double margin = tu->margin * sqrt(p * (1 - p) / (double)m) + 2.0 / (double)m;
				double plo = p - margin < 0 ? 0 : p - margin, phi = p + margin > 1 ? 1 : p + margin;
				int64_t rlo = (int64_t)(plo * (double)m), rhi = (int64_t)ceil(phi * (double)m);
				int blo = bucket_of_rank(h, rlo < 1 ? 1 : rlo), bhi = bucket_of_rank(h, rhi < 1 ? 1 : rhi);
				int64_t in = 0;
				for (int b = blo; b <= bhi; b++)
					in += h[b];
				k->lo = (uint32_t)blo << SSHIFT;
				k->span = bhi == SNB - 1 ? UINT32_MAX - k->lo : (((uint32_t)(bhi + 1) << SSHIFT) - 1) - k->lo;
				room = in * tu->sample_every * 3 / 2 + 4096;
			}
			k->cap = room;
			if (!(k->vals = malloc((size_t)room * sizeof *k->vals))) {
				free(h);
				return FNL_ENOMEM;
			}
		}
		x->count = x->sum = 0;
	}
	free(h);
	return 0;
}

/* The rank of each quantile, and whether the kept values hold it. */
static int64_t rank_of(int64_t n, int r)
{
	return r == 0 ? (n + 1) / 2 : (9 * n + 9) / 10; /* ceil(0.5 n), ceil(0.9 n) */
}

static int holds(const struct keep *k, int64_t rank)
{
	return !k->full && rank > k->below && rank <= k->below + k->n;
}

static int durations(const fnl_snapshot *s, const struct fnl_query *q, struct fnl_funnel_group *g, int ng,
		     const struct fnl__engine_tuning *tune)
{
	struct scan sc = {s, (size_t)s->nstages, (size_t)ng * (size_t)s->nstages, NULL, tune};
	sc.cells = calloc(sc.ncells, sizeof *sc.cells);
	int rc = sc.cells ? guess(&sc, q) : FNL_ENOMEM, again = 0;
	if (!rc)
		scan(&sc, q, 1, s->n);
	/* a window that missed: keep every value of that cell in a second pass */
	for (size_t c = 0; !rc && c < sc.ncells; c++) {
		struct cell *x = &sc.cells[c];
		for (int r = 0; r < 2; r++) {
			struct keep *k = &x->k[r];
			if (!x->count || holds(k, rank_of(x->count, r))) {
				k->lo = UINT32_MAX; /* done: keeps nothing more */
				k->span = 0;
				continue;
			}
			free(k->vals);
			k->cap = x->count;
			k->n = k->below = 0;
			k->full = 0;
			k->lo = 0;
			k->span = UINT32_MAX;
			if (!(k->vals = malloc((size_t)k->cap * sizeof *k->vals)))
				rc = FNL_ENOMEM;
			again = 1;
		}
	}
	if (!rc && again) {
		/* the second pass only keeps: what the first pass counted stays as it was */
		struct cell *saved = malloc(sc.ncells * sizeof *saved);
		if (!saved) {
			rc = FNL_ENOMEM;
		} else {
			memcpy(saved, sc.cells, sc.ncells * sizeof *saved);
			scan(&sc, q, 1, s->n);
			for (size_t c = 0; c < sc.ncells; c++) {
				sc.cells[c].count = saved[c].count;
				sc.cells[c].sum = saved[c].sum;
				for (int r = 0; r < 2; r++)
					if (saved[c].k[r].lo == UINT32_MAX) /* done in the first pass */
						sc.cells[c].k[r].below = saved[c].k[r].below;
			}
			free(saved);
		}
	}
	for (size_t c = 0; !rc && c < sc.ncells; c++) {
		struct cell *x = &sc.cells[c];
		struct fnl_funnel_group *G = &g[c / sc.T];
		size_t t = c % sc.T;
		struct fnl_duration_stats *ds = t ? &G->stage_time[t] : &G->cycle;
		ds->count = x->count;
		ds->sum = x->sum;
		if (!x->count)
			continue;
		for (int r = 0; r < 2; r++) {
			struct keep *k = &x->k[r];
			uint32_t v = select_kth(k->vals, (size_t)k->n, (size_t)(rank_of(x->count, r) - k->below - 1));
			if (r == 0)
				ds->median = v;
			else
				ds->p90 = v;
		}
	}
	scan_free(&sc);
	return rc;
}

int fnl__engine_funnel_tuned(const fnl_snapshot *s, const struct fnl_query *q, int with_time,
			     const struct fnl__engine_tuning *tune, struct fnl_funnel *out)
{
	memset(out, 0, sizeof *out);
	int ng = ngroups_of(s, q);
	struct fnl_funnel_group *g = counts(s, q, ng);
	if (!g)
		return FNL_ENOMEM;
	int rc = with_time ? durations(s, q, g, ng, tune ? tune : &default_tuning) : 0;
	if (rc) {
		free(g);
		return rc;
	}
	pack(g, ng, q, s->nstages, out);
	return 0;
}

int fnl_engine_funnel(const fnl_snapshot *s, const struct fnl_query *q, int with_time, struct fnl_funnel *out)
{
	return fnl__engine_funnel_tuned(s, q, with_time, NULL, out);
}
