/*
 * analytics/snapshot.h - the layout of a snapshot, shared by the builder and the scans.
 *
 * Columns are parallel arrays indexed by lead id (slot 0 unused; ids are dense rowids and never
 * reused). A lead that is not in the snapshot (another pipeline, or a slot past the last lead)
 * has status 0. Times are uint32 seconds since the epoch (enough until 2106); 0 = never.
 * Dictionaries map names to small indices; index 0 of owner, team, grade, industry, region and
 * loss reason is "none" ("").
 */
#ifndef FUNNEL_ANALYTICS_SNAPSHOT_H
#define FUNNEL_ANALYTICS_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "core/dict.h"
#include "funnel/analytics.h"

struct fnl_snapshot {
	size_t n;                 /* slots used: highest lead id + 1 */
	size_t cap;
	int nstages;
	char stage_key[FNL_MAX_STAGES + 1][FNL_KEY_LEN];
	int64_t stage_id[FNL_MAX_STAGES + 1];
	int64_t pipeline_id;
	const fnl_tz *tz;         /* borrowed from the db at build; used for months */
	fnl_tz *own_tz;

	/* columns */
	uint32_t *captured;
	uint16_t *month;          /* months since 1970-01 (local) of the capture */
	uint8_t *channel;
	uint16_t *owner;
	uint8_t *grade;           /* 0 none, 1 A, 2 B, 3 C */
	uint16_t *industry;
	uint16_t *region;
	uint8_t *status;          /* enum fnl_snap_status, 0 absent */
	uint8_t *stage;           /* current position */
	uint8_t *reached;         /* furthest position */
	uint8_t *reason;          /* loss reason index (0 none) */
	uint32_t *lost_at;        /* when it was lost (status lost), else 0 */
	int64_t *amount;          /* won: the deal amount; otherwise the expected amount; 0 none (分) */
	uint16_t *close_month;    /* expected close, months since 1970-01, 0 none */
	uint16_t *scores;         /* B | N << 3 | D << 6 | U << 9, each 1-5, 0 not scored */
	uint32_t *entry[FNL_MAX_STAGES + 1]; /* first entry into position k */
	/* The counting key of a lead: (furthest stage, current stage, open/lost/won) in one byte, 0 for
	 * a lead not in the funnel (invalid, merged, absent). Counting a funnel is then a histogram of
	 * this byte; code_info says what each value means. */
	uint8_t *code;
	uint64_t *won_bits;       /* bit i: lead i is won (its amount counts in won amounts) */
	/* the amounts of the won leads, dense in lead order: the won lead that is bit j of word w
	 * has its amount at won_amt[won_rank[w] + (number of won bits of w below j)] */
	uint32_t *won_rank;
	int64_t *won_amt;
	uint8_t code_of[FNL_MAX_STAGES + 1][FNL_MAX_STAGES + 1][3];
	struct fnl__code_info {
		uint8_t reached, stage, cls; /* cls: FNL__CLS_OPEN, _LOST, _WON */
	} code_info[256];

	/* dictionaries */
	struct fnl__dict channels, owners, teams, grades, industries, regions, reasons;
	int64_t *channel_ids;     /* channel index -> channel id */
	int64_t *owner_ids;       /* owner index -> user id (0 for none) */
	uint16_t *owner_team;     /* owner index -> team index */
	int min_month, max_month; /* months since 1970-01 of the first and last capture */
	char (*month_names)[8];   /* "YYYY-MM" of min_month .. max_month */
};

enum { FNL__CLS_OPEN, FNL__CLS_LOST, FNL__CLS_WON };

/* How the engine guesses where the median and p90 lie before its full pass (engine.c): a sample
 * of one block in sample_every, cells seen less than min_sample times keep every value, windows of
 * margin standard errors around the quantile shifted by offset. Tests move them to force the
 * second pass that a wrong guess takes; the figures never depend on them. */
struct fnl__engine_tuning {
	int sample_every;
	int64_t min_sample;
	double margin;
	double offset;
};

struct fnl_funnel;
int fnl__engine_funnel_tuned(const fnl_snapshot *s, const struct fnl_query *q, int with_time,
			     const struct fnl__engine_tuning *tune, struct fnl_funnel *out);

/* months since 1970-01 <-> "YYYY-MM" */
void fnl__month_name(int month, char buf[static 8]);


/* The group a lead falls into for dimension dim (-1 when dim is none). */
static inline int fnl__group_of(const struct fnl_snapshot *s, enum fnl_dim dim, size_t i)
{
	switch (dim) {
	case FNL_DIM_CHANNEL: return s->channel[i];
	case FNL_DIM_OWNER: return s->owner[i];
	case FNL_DIM_TEAM: return s->owner_team[s->owner[i]];
	case FNL_DIM_GRADE: return s->grade[i];
	case FNL_DIM_INDUSTRY: return s->industry[i];
	case FNL_DIM_REGION: return s->region[i];
	case FNL_DIM_MONTH: return s->month[i] - s->min_month;
	default: return 0;
	}
}

/* 1 if lead slot i is valid, captured in q's period and passes q's filters. */
static inline int fnl__matches(const struct fnl_snapshot *s, const struct fnl_query *q, size_t i)
{
	uint8_t st = s->status[i];
	if (st < FNL_SNAP_OPEN || st > FNL_SNAP_LOST)
		return 0;
	if ((q->from && s->captured[i] < q->from) || (q->to && s->captured[i] >= q->to))
		return 0;
	const int *f = q->filter;
	if (f[FNL_DIM_CHANNEL] >= 0 && s->channel[i] != f[FNL_DIM_CHANNEL])
		return 0;
	if (f[FNL_DIM_OWNER] >= 0 && s->owner[i] != f[FNL_DIM_OWNER])
		return 0;
	if (f[FNL_DIM_TEAM] >= 0 && s->owner_team[s->owner[i]] != f[FNL_DIM_TEAM])
		return 0;
	if (f[FNL_DIM_GRADE] >= 0 && s->grade[i] != f[FNL_DIM_GRADE])
		return 0;
	if (f[FNL_DIM_INDUSTRY] >= 0 && s->industry[i] != f[FNL_DIM_INDUSTRY])
		return 0;
	if (f[FNL_DIM_REGION] >= 0 && s->region[i] != f[FNL_DIM_REGION])
		return 0;
	return 1;
}

#endif
