/*
 * bench/bench.c - funnel-bench: the analytics engine against SQLite on the same database.
 *
 *     funnel-bench [--runs R] [--sql-runs S] [--build-runs B] DB...
 *
 * For each database (made by funnel-bench-gen): the snapshot build time and bytes per lead; the
 * engine's reached/lost/open counts by channel (fnl_engine_counts) and its full `report funnel
 * --by channel` with time in stage (fnl_engine_funnel, with_time); the same full report computed
 * by reference SQL in SQLite through the C API; and "the floor", a plain loop counting the leads
 * into a channel x stage table over two byte arrays. Times are the best of several runs on the
 * monotonic clock, in this one thread (bench/run pins it to one core). Every number of the engine
 * is checked against the SQL's; the first differences are printed and the exit status is 1.
 *
 * The reference SQL follows the definitions (docs/reports.md) on the stored rows, not the
 * engine's code: the population is the valid leads of the default pipeline, reached[k] counts
 * reached_pos >= k, lost and open count the current stage, the first entry into stage k is the
 * earliest stage event whose target position is >= k, medians and p90 are nearest-rank by
 * ROW_NUMBER over the sorted durations.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sqlite3.h>

#include "funnel/analytics.h"
#include "funnel/funnel.h"

#define MAX_GROUPS 256
#define MAX_DIFFS 20

/* One group of the report as the SQL computes it. */
struct ref_group {
	char key[FNL_KEY_LEN];
	int64_t leads, won_count, won_amount;
	int64_t reached[FNL_MAX_STAGES + 1], lost[FNL_MAX_STAGES + 1], open[FNL_MAX_STAGES + 1];
	struct fnl_duration_stats time[FNL_MAX_STAGES + 1]; /* [0]: the cycle, [k]: entry k -> k+1 */
};

struct ref {
	int ngroups;
	struct ref_group groups[MAX_GROUPS];
};

/* The counts: aggregate the leads by channel, furthest stage, current stage and status first,
 * then spread over the stages. */
static const char sql_counts[] =
	"WITH g AS ("
	" SELECT l.channel_id AS ch, l.reached_pos AS rp, s.pos AS sp, l.status AS st, COUNT(*) AS n,"
	"  SUM(CASE WHEN l.status = 'won' THEN COALESCE(d.amount, 0) ELSE 0 END) AS amt"
	" FROM lead l JOIN stage s ON s.id = l.stage_id LEFT JOIN deal d ON d.lead_id = l.id"
	" WHERE l.pipeline_id = 1 AND l.status IN ('open', 'nurture', 'won', 'lost')"
	" GROUP BY 1, 2, 3, 4)"
	"SELECT c.key, k.pos,"
	" SUM(CASE WHEN g.rp >= k.pos THEN g.n ELSE 0 END),"
	" SUM(CASE WHEN g.st = 'lost' AND g.sp = k.pos THEN g.n ELSE 0 END),"
	" SUM(CASE WHEN g.st IN ('open', 'nurture') AND g.sp = k.pos THEN g.n ELSE 0 END),"
	" SUM(g.n),"
	" SUM(CASE WHEN g.st = 'won' THEN g.n ELSE 0 END),"
	" SUM(CASE WHEN g.st = 'won' THEN g.amt ELSE 0 END)"
	" FROM g JOIN channel c ON c.id = g.ch JOIN stage k ON k.pipeline_id = 1"
	" GROUP BY g.ch, k.pos ORDER BY g.ch, k.pos";

/* Time in stage and the cycle: first entries per lead and stage, consecutive pairs, durations,
 * nearest ranks. */
static const char sql_times[] =
	"WITH ent AS ("
	" SELECT e.lead_id AS id, k.pos AS k, MIN(MAX(e.at, 1)) AS at"
	" FROM stage_event e JOIN stage t ON t.id = e.to_stage"
	" JOIN stage k ON k.pipeline_id = t.pipeline_id AND k.pos <= t.pos"
	" WHERE t.pipeline_id = 1"
	" GROUP BY e.lead_id, k.pos),"
	"step AS ("
	" SELECT id, k, at, LEAD(k) OVER w AS nk, LEAD(at) OVER w AS nat"
	" FROM ent WINDOW w AS (PARTITION BY id ORDER BY k)),"
	"dur AS ("
	" SELECT l.channel_id AS ch, s.k AS t, s.nat - s.at AS d"
	" FROM step s JOIN lead l ON l.id = s.id"
	" WHERE l.pipeline_id = 1 AND l.status IN ('open', 'nurture', 'won', 'lost')"
	"  AND s.nk = s.k + 1 AND s.nat >= s.at"
	" UNION ALL"
	" SELECT l.channel_id, 0, s.at - l.captured_at"
	" FROM step s JOIN lead l ON l.id = s.id"
	" WHERE l.pipeline_id = 1 AND l.status = 'won'"
	"  AND s.k = (SELECT MAX(pos) FROM stage WHERE pipeline_id = 1) AND s.at >= l.captured_at),"
	"ranked AS ("
	" SELECT ch, t, d, ROW_NUMBER() OVER p AS rn, COUNT(*) OVER p AS n"
	" FROM dur WINDOW p AS (PARTITION BY ch, t ORDER BY d"
	"  ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING))"
	"SELECT c.key, r.t, MAX(r.n), SUM(r.d),"
	" MAX(CASE WHEN r.rn = (r.n + 1) / 2 THEN r.d END),"
	" MAX(CASE WHEN r.rn = (9 * r.n + 9) / 10 THEN r.d END)"
	" FROM ranked r JOIN channel c ON c.id = r.ch"
	" GROUP BY r.ch, r.t ORDER BY r.ch, r.t";

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static struct ref_group *ref_group(struct ref *r, const char *key)
{
	for (int i = 0; i < r->ngroups; i++)
		if (strcmp(r->groups[i].key, key) == 0)
			return &r->groups[i];
	if (r->ngroups == MAX_GROUPS)
		return NULL;
	struct ref_group *g = &r->groups[r->ngroups++];
	memset(g, 0, sizeof *g);
	snprintf(g->key, sizeof g->key, "%s", key);
	return g;
}

static int sql_fail(sqlite3 *db, const char *what)
{
	fprintf(stderr, "funnel-bench: %s: %s\n", what, sqlite3_errmsg(db));
	return -1;
}

/* Run the reference SQL into *r. */
static int run_sql(sqlite3 *db, struct ref *r, double *counts_ms, double *total_ms)
{
	sqlite3_stmt *st;
	memset(r, 0, sizeof *r);
	double t0 = now_ms();
	if (sqlite3_prepare_v2(db, sql_counts, -1, &st, NULL) != SQLITE_OK)
		return sql_fail(db, "prepare the counts");
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ref_group *g = ref_group(r, (const char *)sqlite3_column_text(st, 0));
		int k = sqlite3_column_int(st, 1);
		if (!g || k < 1 || k > FNL_MAX_STAGES) {
			sqlite3_finalize(st);
			fprintf(stderr, "funnel-bench: the counts query gave more groups or stages than expected\n");
			return -1;
		}
		g->reached[k] = sqlite3_column_int64(st, 2);
		g->lost[k] = sqlite3_column_int64(st, 3);
		g->open[k] = sqlite3_column_int64(st, 4);
		g->leads = sqlite3_column_int64(st, 5);
		g->won_count = sqlite3_column_int64(st, 6);
		g->won_amount = sqlite3_column_int64(st, 7);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sql_fail(db, "the counts query");
	double t1 = now_ms();
	if (sqlite3_prepare_v2(db, sql_times, -1, &st, NULL) != SQLITE_OK)
		return sql_fail(db, "prepare the time in stage");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ref_group *g = ref_group(r, (const char *)sqlite3_column_text(st, 0));
		int t = sqlite3_column_int(st, 1);
		if (!g || t < 0 || t > FNL_MAX_STAGES) {
			sqlite3_finalize(st);
			fprintf(stderr, "funnel-bench: the time query gave more groups or stages than expected\n");
			return -1;
		}
		g->time[t].count = sqlite3_column_int64(st, 2);
		g->time[t].sum = sqlite3_column_int64(st, 3);
		g->time[t].median = sqlite3_column_int64(st, 4);
		g->time[t].p90 = sqlite3_column_int64(st, 5);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sql_fail(db, "the time in stage query");
	double t2 = now_ms();
	*counts_ms = t1 - t0;
	*total_ms = t2 - t0;
	return 0;
}

/* ---- the check ---- */

struct diff {
	int n;
	const char *db;
};

static void differ(struct diff *d, const char *group, const char *where, const char *what, int64_t engine, int64_t sql)
{
	if (engine == sql)
		return;
	if (d->n++ < MAX_DIFFS)
		fprintf(stderr, "funnel-bench: %s: channel '%s'%s: %s differs: engine %lld, sql %lld\n", d->db, group,
			where, what, (long long)engine, (long long)sql);
}

static void check_stats(struct diff *d, const char *group, const char *where, const struct fnl_duration_stats *e,
			const struct fnl_duration_stats *r)
{
	differ(d, group, where, "count", e->count, r->count);
	differ(d, group, where, "sum", e->sum, r->sum);
	differ(d, group, where, "median", e->median, r->median);
	differ(d, group, where, "p90", e->p90, r->p90);
}

/* Every number of the engine's full report against the SQL's, and the engine's counts against
 * its full report. */
static int check(const char *path, const fnl_snapshot *s, const struct fnl_funnel *full,
		 const struct fnl_funnel *counts, struct ref *r)
{
	struct diff d = {0, path};
	char where[80];
	if (full->ngroups != r->ngroups)
		differ(&d, "*", "", "number of groups", full->ngroups, r->ngroups);
	if (counts->ngroups != full->ngroups)
		differ(&d, "*", " (counts against full)", "number of groups", counts->ngroups, full->ngroups);
	for (int i = 0; i < full->ngroups; i++) {
		const struct fnl_funnel_group *e = &full->groups[i];
		const char *key = fnl_snapshot_name(s, FNL_DIM_CHANNEL, e->key);
		const struct ref_group *g = NULL;
		for (int j = 0; j < r->ngroups; j++)
			if (strcmp(r->groups[j].key, key) == 0)
				g = &r->groups[j];
		if (!g) {
			differ(&d, key, "", "presence in the SQL result", 1, 0);
			continue;
		}
		differ(&d, key, "", "leads", e->leads, g->leads);
		differ(&d, key, "", "won count", e->won_count, g->won_count);
		differ(&d, key, "", "won amount", e->won_amount, g->won_amount);
		for (int k = 1; k <= full->nstages; k++) {
			snprintf(where, sizeof where, ", stage '%s'", fnl_snapshot_stage_key(s, k));
			differ(&d, key, where, "reached", e->reached[k], g->reached[k]);
			differ(&d, key, where, "lost", e->lost[k], g->lost[k]);
			differ(&d, key, where, "open", e->open[k], g->open[k]);
		}
		check_stats(&d, key, ", cycle time", &e->cycle, &g->time[0]);
		for (int k = 1; k < full->nstages; k++) {
			snprintf(where, sizeof where, ", time in '%s' -> '%s'", fnl_snapshot_stage_key(s, k),
				 fnl_snapshot_stage_key(s, k + 1));
			check_stats(&d, key, where, &e->stage_time[k], &g->time[k]);
		}
		if (i < counts->ngroups) {
			const struct fnl_funnel_group *c = &counts->groups[i];
			const char *against = " (counts against full)";
			differ(&d, key, against, "group key", c->key, e->key);
			differ(&d, key, against, "leads", c->leads, e->leads);
			differ(&d, key, against, "won count", c->won_count, e->won_count);
			differ(&d, key, against, "won amount", c->won_amount, e->won_amount);
			for (int k = 1; k <= full->nstages; k++) {
				snprintf(where, sizeof where, "%s, stage '%s'", against, fnl_snapshot_stage_key(s, k));
				differ(&d, key, where, "reached", c->reached[k], e->reached[k]);
				differ(&d, key, where, "lost", c->lost[k], e->lost[k]);
				differ(&d, key, where, "open", c->open[k], e->open[k]);
			}
		}
	}
	if (d.n > MAX_DIFFS)
		fprintf(stderr, "funnel-bench: %s: %d more differences\n", path, d.n - MAX_DIFFS);
	return d.n;
}

/* ---- the floor ---- */

/* Channel index and furthest stage of every lead slot, as two byte arrays. */
static int floor_arrays(sqlite3 *db, uint8_t **ch, uint8_t **st, size_t *n)
{
	sqlite3_stmt *q;
	*ch = *st = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, "SELECT MAX(id) FROM lead", -1, &q, NULL) != SQLITE_OK)
		return sql_fail(db, "floor");
	if (sqlite3_step(q) == SQLITE_ROW)
		*n = (size_t)sqlite3_column_int64(q, 0) + 1;
	sqlite3_finalize(q);
	*ch = calloc(*n ? *n : 1, 1);
	*st = calloc(*n ? *n : 1, 1);
	if (!*ch || !*st)
		return -1;
	if (sqlite3_prepare_v2(db, "SELECT id, channel_id, reached_pos FROM lead ORDER BY id", -1, &q, NULL) != SQLITE_OK)
		return sql_fail(db, "floor");
	while (sqlite3_step(q) == SQLITE_ROW) {
		size_t i = (size_t)sqlite3_column_int64(q, 0);
		if (i < *n) {
			(*ch)[i] = (uint8_t)(sqlite3_column_int(q, 1) - 1);
			(*st)[i] = (uint8_t)sqlite3_column_int(q, 2);
		}
	}
	sqlite3_finalize(q);
	return 0;
}

static uint64_t floor_count(const uint8_t *ch, const uint8_t *st, size_t n, uint32_t table[16][16])
{
	memset(table, 0, 16 * sizeof table[0]);
	for (size_t i = 0; i < n; i++)
		table[ch[i] & 15][st[i] & 15]++;
	uint64_t total = 0;
	for (int a = 0; a < 16; a++)
		for (int b = 0; b < 16; b++)
			total += table[a][b];
	return total;
}

/* ---- one database ---- */

struct opts {
	int runs, sql_runs, build_runs;
};

struct result {
	size_t leads;
	double build_s, bytes_per_lead, counts_ms, full_ms, sql_counts_ms, sql_ms, floor_ms;
	double db_mb;
};

static int bench_one(const char *path, const struct opts *o, struct result *res)
{
	memset(res, 0, sizeof *res);
	struct stat sb;
	if (stat(path, &sb) == 0)
		res->db_mb = (double)sb.st_size / 1e6;
	struct fnl_error err;
	fnl_db *db = NULL;
	if (fnl_db_open(path, &db, &err)) {
		fprintf(stderr, "funnel-bench: %s\n", err.message);
		return -1;
	}
	int rc = -1;
	fnl_snapshot *s = NULL;
	sqlite3 *sql = NULL;
	uint8_t *ch = NULL, *st = NULL;
	struct ref *ref = calloc(1, sizeof *ref);
	struct fnl_funnel full = {0}, counts = {0};
	if (!ref)
		goto out;

	/* (a), (b) the snapshot */
	int builds = o->build_runs;
	for (int i = 0; i < builds; i++) {
		fnl_snapshot_free(s);
		s = NULL;
		double t0 = now_ms();
		if (fnl_snapshot_build(db, &s)) {
			fprintf(stderr, "funnel-bench: %s: snapshot: %s\n", path, fnl_errmsg(db));
			goto out;
		}
		double t = (now_ms() - t0) / 1e3;
		if (i == 0 || t < res->build_s)
			res->build_s = t;
	}
	res->leads = fnl_snapshot_leads(s);
	res->bytes_per_lead = res->leads ? (double)fnl_snapshot_bytes(s) / (double)res->leads : 0;

	/* (c) the engine */
	struct fnl_query q;
	fnl_query_init(&q);
	q.by = FNL_DIM_CHANNEL;
	for (int i = 0; i < o->runs; i++) {
		fnl_funnel_free(&counts);
		double t0 = now_ms();
		if (fnl_engine_counts(s, &q, &counts)) {
			fprintf(stderr, "funnel-bench: %s: engine counts failed\n", path);
			goto out;
		}
		double t = now_ms() - t0;
		if (i == 0 || t < res->counts_ms)
			res->counts_ms = t;
	}
	for (int i = 0; i < o->runs; i++) {
		fnl_funnel_free(&full);
		double t0 = now_ms();
		if (fnl_engine_funnel(s, &q, 1, &full)) {
			fprintf(stderr, "funnel-bench: %s: engine funnel failed\n", path);
			goto out;
		}
		double t = now_ms() - t0;
		if (i == 0 || t < res->full_ms)
			res->full_ms = t;
	}

	/* (d) the reference SQL, on a connection of its own */
	if (sqlite3_open_v2(path, &sql, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
		sql_fail(sql, path);
		goto out;
	}
	char *msg = NULL;
	if (sqlite3_exec(sql, "PRAGMA cache_size = -1048576; PRAGMA temp_store = MEMORY", NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "funnel-bench: %s: %s\n", path, msg);
		sqlite3_free(msg);
		goto out;
	}
	for (int i = 0; i < o->sql_runs; i++) {
		double c, t;
		if (run_sql(sql, ref, &c, &t))
			goto out;
		if (i == 0 || t < res->sql_ms) {
			res->sql_ms = t;
			res->sql_counts_ms = c;
		}
	}

	/* (f) the floor */
	size_t n;
	if (floor_arrays(sql, &ch, &st, &n))
		goto out;
	uint32_t table[16][16];
	for (int i = 0; i < o->runs; i++) {
		double t0 = now_ms();
		uint64_t total = floor_count(ch, st, n, table);
		double t = now_ms() - t0;
		if (total != n) {
			fprintf(stderr, "funnel-bench: %s: the floor counted %llu of %zu slots\n", path,
				(unsigned long long)total, n);
			goto out;
		}
		if (i == 0 || t < res->floor_ms)
			res->floor_ms = t;
	}

	/* (e) the check */
	int diffs = check(path, s, &full, &counts, ref);
	if (diffs) {
		fprintf(stderr, "funnel-bench: %s: %d numbers of the engine differ from the SQL's\n", path, diffs);
		goto out;
	}
	int64_t cells = 0;
	for (int i = 0; i < full.ngroups; i++)
		cells += full.groups[i].leads;
	fprintf(stderr, "funnel-bench: %s: %d channels x %d stages, %lld valid leads: engine and SQL agree\n", path,
		full.ngroups, full.nstages, (long long)cells);
	rc = 0;
out:
	fnl_funnel_free(&full);
	fnl_funnel_free(&counts);
	free(ref);
	free(ch);
	free(st);
	sqlite3_close(sql);
	fnl_snapshot_free(s);
	fnl_db_close(db);
	return rc;
}

static int parse_runs(const char *s, int *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > 1000)
		return -1;
	*out = (int)v;
	return 0;
}

static void usage(void)
{
	fprintf(stderr, "usage: funnel-bench [--runs R] [--sql-runs S] [--build-runs B] DB...\n"
			"  R: engine and floor runs (best of, default 10); S: SQL runs (default 3, 1 for a\n"
			"  database over 1 GB); B: snapshot builds (default 2, 1 for a database over 1 GB)\n");
}

int main(int argc, char **argv)
{
	struct opts o = {10, 0, 0};
	int a = 1;
	while (a < argc && strncmp(argv[a], "--", 2) == 0) {
		int *dst = strcmp(argv[a], "--runs") == 0	  ? &o.runs
			   : strcmp(argv[a], "--sql-runs") == 0	  ? &o.sql_runs
			   : strcmp(argv[a], "--build-runs") == 0 ? &o.build_runs
								  : NULL;
		if (!dst || a + 1 >= argc || parse_runs(argv[a + 1], dst)) {
			usage();
			return 2;
		}
		a += 2;
	}
	if (a >= argc) {
		usage();
		return 2;
	}
	printf("%10s %10s %10s %11s %9s %9s %9s %8s %7s %8s\n", "leads", "counts ms", "full ms", "SQL ms",
	       "SQL/full", "SQL cnt", "floor ms", "build s", "B/lead", "db MB");
	fflush(stdout);
	int failed = 0;
	for (; a < argc; a++) {
		struct result r;
		struct stat sb;
		int big = stat(argv[a], &sb) == 0 && sb.st_size > (off_t)1000000000;
		struct opts oo = o;
		if (!oo.sql_runs)
			oo.sql_runs = big ? 1 : 3;
		if (!oo.build_runs)
			oo.build_runs = big ? 1 : 2;
		if (bench_one(argv[a], &oo, &r)) {
			failed = 1;
			continue;
		}
		printf("%10zu %10.2f %10.2f %11.0f %8.0fx %9.0f %9.2f %8.2f %7.1f %8.0f\n", r.leads, r.counts_ms,
		       r.full_ms, r.sql_ms, r.full_ms > 0 ? r.sql_ms / r.full_ms : 0, r.sql_counts_ms, r.floor_ms,
		       r.build_s, r.bytes_per_lead, r.db_mb);
		fflush(stdout);
	}
	return failed;
}
