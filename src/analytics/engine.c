/*
 * analytics/engine.c - the cohort funnel and time in stage, as scans over the snapshot's columns.
 *
 * Counting is one pass: per group, a histogram of the furthest stage reached (suffix sums give
 * "reached stage >= k"), the lost and open counts by current stage, the wins.
 *
 * Exact medians and 90th percentiles of durations without sorting every value: the first pass
 * also builds, per group and transition, a histogram of durations in buckets of 2^14 s (about 4.5
 * hours); the bucket that holds each wanted rank is then known, and a second pass keeps only the
 * values that fall in those buckets, where a selection finds the exact value. Memory is the
 * histograms plus those few values; nothing is allocated per lead.
 */
#include <stdlib.h>
#include <string.h>

#include "analytics/snapshot.h"

#define SHIFT 14
#define NB 4096 /* the last bucket also holds everything above 2^26 s (777 days) */

static int bucket_of(uint32_t d)
{
	uint32_t b = d >> SHIFT;
	return b >= NB ? NB - 1 : (int)b;
}

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
static int pack(struct fnl_funnel_group *g, int ng, const struct fnl_query *q, int nstages, struct fnl_funnel *out)
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
	return 0;
}

/* The counting pass; hist (ng x (nstages+1)) receives the furthest-stage histogram. */
static void count(const fnl_snapshot *s, const struct fnl_query *q, struct fnl_funnel_group *g)
{
	const size_t n = s->n;
	for (size_t i = 1; i < n; i++) {
		if (!fnl__matches(s, q, i))
			continue;
		struct fnl_funnel_group *G = &g[fnl__group_of(s, q->by, i)];
		G->leads++;
		G->reached[s->reached[i]]++; /* a histogram for now; summed below */
		switch (s->status[i]) {
		case FNL_SNAP_LOST:
			G->lost[s->stage[i]]++;
			break;
		case FNL_SNAP_WON:
			G->won_count++;
			G->won_amount += s->amount[i];
			break;
		default:
			G->open[s->stage[i]]++;
		}
	}
}

static void suffix_sums(struct fnl_funnel_group *g, int ng, int nstages)
{
	for (int i = 0; i < ng; i++) {
		int64_t acc = 0;
		for (int k = FNL_MAX_STAGES; k >= 1; k--) {
			acc += g[i].reached[k];
			g[i].reached[k] = k <= nstages ? acc : 0;
		}
		g[i].reached[0] = 0;
	}
}

int fnl_engine_counts(const fnl_snapshot *s, const struct fnl_query *q, struct fnl_funnel *out)
{
	memset(out, 0, sizeof *out);
	int ng = ngroups_of(s, q);
	struct fnl_funnel_group *g = calloc((size_t)ng, sizeof *g);
	if (!g)
		return FNL_ENOMEM;
	count(s, q, g);
	suffix_sums(g, ng, s->nstages);
	return pack(g, ng, q, s->nstages, out);
}

/* ---- durations ---- */

/* Transition t: 0 is capture -> won (the cycle), k >= 1 is entry k -> entry k+1. The duration of
 * lead i, or 0 with *ok 0 when the lead did not make that transition. */
static inline uint32_t duration(const fnl_snapshot *s, size_t i, int t, int *ok)
{
	uint32_t a, b;
	if (t == 0) {
		if (s->status[i] != FNL_SNAP_WON) {
			*ok = 0;
			return 0;
		}
		a = s->captured[i];
		b = s->entry[s->nstages][i];
	} else {
		a = s->entry[t][i];
		b = s->entry[t + 1][i];
	}
	*ok = a && b && b >= a;
	return *ok ? b - a : 0;
}

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

struct want {
	int64_t rank[2];      /* 1-based ranks: median, p90 */
	int bucket[2];
	int64_t before[2];    /* values in earlier buckets */
	uint32_t *vals[2];    /* the values of the bucket, filled in pass 2 */
	int64_t nvals[2];
};

int fnl_engine_funnel(const fnl_snapshot *s, const struct fnl_query *q, int with_time, struct fnl_funnel *out)
{
	memset(out, 0, sizeof *out);
	int ng = ngroups_of(s, q), T = s->nstages; /* transitions 0 (cycle) .. nstages-1 */
	struct fnl_funnel_group *g = calloc((size_t)ng, sizeof *g);
	if (!g)
		return FNL_ENOMEM;
	if (!with_time) {
		count(s, q, g);
		suffix_sums(g, ng, s->nstages);
		return pack(g, ng, q, s->nstages, out);
	}
	size_t cells = (size_t)ng * (size_t)T;
	uint32_t *hist = calloc(cells * NB, sizeof *hist);
	struct want *w = calloc(cells, sizeof *w);
	if (!hist || !w) {
		free(hist);
		free(w);
		free(g);
		return FNL_ENOMEM;
	}
	/* pass 1: counts, sums, histograms */
	const size_t n = s->n;
	for (size_t i = 1; i < n; i++) {
		if (!fnl__matches(s, q, i))
			continue;
		int gi = fnl__group_of(s, q->by, i);
		struct fnl_funnel_group *G = &g[gi];
		G->leads++;
		G->reached[s->reached[i]]++;
		switch (s->status[i]) {
		case FNL_SNAP_LOST:
			G->lost[s->stage[i]]++;
			break;
		case FNL_SNAP_WON:
			G->won_count++;
			G->won_amount += s->amount[i];
			break;
		default:
			G->open[s->stage[i]]++;
		}
		for (int t = 0; t < T; t++) {
			int ok;
			uint32_t d = duration(s, i, t, &ok);
			if (!ok)
				continue;
			struct fnl_duration_stats *ds = t ? &G->stage_time[t] : &G->cycle;
			ds->count++;
			ds->sum += d;
			hist[((size_t)gi * (size_t)T + (size_t)t) * NB + (size_t)bucket_of(d)]++;
		}
	}
	suffix_sums(g, ng, s->nstages);
	/* which bucket holds each wanted rank */
	int rc = 0;
	for (size_t c = 0; c < cells && !rc; c++) {
		const struct fnl_funnel_group *G = &g[c / (size_t)T];
		int t = (int)(c % (size_t)T);
		int64_t cnt = t ? G->stage_time[t].count : G->cycle.count;
		if (!cnt)
			continue;
		w[c].rank[0] = (cnt + 1) / 2;          /* ceil(0.5 n) */
		w[c].rank[1] = (9 * cnt + 9) / 10;     /* ceil(0.9 n) */
		const uint32_t *h = hist + c * NB;
		for (int r = 0; r < 2; r++) {
			int64_t acc = 0;
			int b = 0;
			while (acc + h[b] < w[c].rank[r])
				acc += h[b++];
			w[c].bucket[r] = b;
			w[c].before[r] = acc;
			if (r == 1 && b == w[c].bucket[0]) {
				w[c].vals[1] = NULL; /* shares the median's values */
				continue;
			}
			w[c].vals[r] = malloc((size_t)h[b] * sizeof(uint32_t));
			if (!w[c].vals[r])
				rc = FNL_ENOMEM;
		}
	}
	free(hist);
	/* pass 2: the values of the wanted buckets */
	for (size_t i = 1; i < n && !rc; i++) {
		if (!fnl__matches(s, q, i))
			continue;
		size_t gi = (size_t)fnl__group_of(s, q->by, i);
		for (int t = 0; t < T; t++) {
			int ok;
			uint32_t d = duration(s, i, t, &ok);
			if (!ok)
				continue;
			struct want *x = &w[gi * (size_t)T + (size_t)t];
			int b = bucket_of(d);
			if (b == x->bucket[0])
				x->vals[0][x->nvals[0]++] = d;
			else if (b == x->bucket[1] && x->vals[1])
				x->vals[1][x->nvals[1]++] = d;
		}
	}
	for (size_t c = 0; c < cells; c++) {
		struct fnl_funnel_group *G = &g[c / (size_t)T];
		int t = (int)(c % (size_t)T);
		struct fnl_duration_stats *ds = t ? &G->stage_time[t] : &G->cycle;
		if (!rc && ds->count) {
			for (int r = 0; r < 2; r++) {
				int src = w[c].vals[r] ? r : 0;
				size_t k = (size_t)(w[c].rank[r] - w[c].before[r] - 1);
				uint32_t v = select_kth(w[c].vals[src], (size_t)w[c].nvals[src], k);
				if (r == 0)
					ds->median = v;
				else
					ds->p90 = v;
			}
		}
		free(w[c].vals[0]);
		free(w[c].vals[1]);
	}
	free(w);
	if (rc) {
		free(g);
		return rc;
	}
	return pack(g, ng, q, s->nstages, out);
}
