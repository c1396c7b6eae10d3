/*
 * bench/import.c - funnel-bench-import: the import benchmark's driver.
 *
 *     funnel-bench-import FUNNEL WORKDIR FILE...
 *
 * For each lead list FILE (from funnel-bench-leads): creates an empty database in WORKDIR with
 * `FUNNEL init`, then runs `FUNNEL import FILE --quiet` on it as a child process and measures it end
 * to end: wall time, CPU time (user and system) and peak memory (maximum resident set) from wait4.
 * For a CSV file it then times `sqlite3 -csv bare.db '.import FILE t'`, SQLite's own loader, into a
 * bare table without indexes: the reference the import is compared with. Then two floors, each into
 * a second empty database with the same five sales consultants (so leads are assigned as in a real
 * team), with no parsing, cleaning or lookups, only SQLite writing rows and their indexes:
 *
 *   floor  the records the import wrote (leads, stage events, tasks, activities, scores, audit
 *          entries) stored once more, with one INSERT ... SELECT a table in one transaction, under
 *          the settings funnel runs with (WAL, synchronous = FULL, foreign keys on). The least any
 *          import that writes the same records can take here.
 *   leads  the lead rows alone, in the cheapest arrangement there is: foreign keys off, the rows
 *          into the table with only its two ordered indexes, then the four duplicate-key indexes
 *          built at the end from sorted keys. No import can store its leads faster than this.
 *
 * Each SELECT has a WHERE clause on purpose: without one SQLite copies a table between two
 * databases of the same schema page by page, index pages included ("transfer optimisation"), which
 * no import can do since its rows do not exist yet. The figures go to stdout as one line a file, for
 * bench/README.md.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct run {
	double wall, user, sys;
	long rss_kb;
};

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Run argv with stdout to out (NULL: /dev/null); 0 when it exits 0. */
static int run(char *const argv[], const char *out, struct run *r)
{
	fflush(stdout);
	double t0 = now();
	pid_t pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		FILE *f = freopen(out ? out : "/dev/null", "w", stdout);
		if (!f)
			_exit(127);
		execvp(argv[0], argv);
		fprintf(stderr, "funnel-bench-import: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0)
		return -1;
	r->wall = now() - t0;
	r->user = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6;
	r->sys = (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
	r->rss_kb = ru.ru_maxrss;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

static void remove_db(const char *path)
{
	char p[4200];
	const char *ext[] = {"", "-wal", "-shm", "-journal"};
	for (int k = 0; k < 4; k++) {
		snprintf(p, sizeof p, "%s%s", path, ext[k]);
		unlink(p);
	}
}

/* An empty database at path: `funnel init` and five sales consultants. */
static int make_db(char *funnel, const char *path)
{
	struct run r;
	remove_db(path);
	char *init[] = {funnel, "--db", (char *)path, "init", NULL};
	if (run(init, NULL, &r))
		return -1;
	for (int k = 1; k <= 5; k++) {
		char login[16];
		snprintf(login, sizeof login, "sales%d", k);
		char *add[] = {funnel, "--db", (char *)path, "user", "add", login, "--role", "sales", "--name", login, NULL};
		if (run(add, NULL, &r))
			return -1;
	}
	return 0;
}

/* Run sqlite3 on path with the statements sql, timed into r. */
static int sqlite(const char *path, const char *sql, const char *out, struct run *r)
{
	char *sq[] = {"sqlite3", (char *)path, (char *)sql, NULL};
	return run(sq, out, r);
}

/* The floor: the records of the imported database db stored again into the empty database floor. */
static int store_again(const char *db, const char *floor, struct run *r)
{
	static const char *const tables[] = {"lead", "stage_event", "task", "activity", "score", "import_job"};
	char sql[4096 + 1024];
	int n = snprintf(sql, sizeof sql,
			 "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL; PRAGMA cache_size = -262144;"
			 " ATTACH '%s' AS s; BEGIN;",
			 db);
	for (size_t k = 0; k < sizeof tables / sizeof tables[0]; k++)
		n += snprintf(sql + n, sizeof sql - (size_t)n, " INSERT INTO main.%s SELECT * FROM s.%s WHERE id > 0;",
			      tables[k], tables[k]);
	/* the audit entries of the import (those of init and user add are there already) */
	snprintf(sql + n, sizeof sql - (size_t)n,
		 " INSERT INTO main.audit SELECT * FROM s.audit WHERE id > (SELECT max(id) FROM main.audit); COMMIT;");
	return sqlite(floor, sql, NULL, r);
}

/* The lead rows of db alone into the empty database floor, the duplicate-key indexes built after. */
static int leads_again(const char *db, const char *floor, const char *work, struct run *r)
{
	char keys[4200], sql[16384];
	snprintf(keys, sizeof keys, "%s/import-keys.sql", work);
	struct run q;
	if (sqlite(floor, "SELECT sql || ';' FROM sqlite_master WHERE type = 'index' AND tbl_name = 'lead'"
			  " AND name LIKE 'lead\\_%\\_key' ESCAPE '\\'", keys, &q))
		return -1;
	FILE *f = fopen(keys, "r");
	if (!f)
		return -1;
	char create[8192];
	size_t got = fread(create, 1, sizeof create - 1, f);
	create[got] = '\0';
	fclose(f);
	unlink(keys);
	if (!strstr(create, "CREATE INDEX"))
		return -1;
	/* the indexes go before the clock starts; the rows and the new indexes are timed */
	if (sqlite(floor, "DROP INDEX lead_phone_key; DROP INDEX lead_email_key; DROP INDEX lead_wechat_key;"
			  " DROP INDEX lead_company_key;", NULL, &q))
		return -1;
	snprintf(sql, sizeof sql,
		 "PRAGMA foreign_keys = OFF; PRAGMA synchronous = FULL; PRAGMA cache_size = -262144;"
		 " ATTACH '%s' AS s; BEGIN; INSERT INTO main.lead SELECT * FROM s.lead WHERE id > 0; %s COMMIT;",
		 db, create);
	return sqlite(floor, sql, NULL, r);
}

/* The data rows of a result printed by `funnel --json import`: "rows": N. */
static long long json_count(const char *path, const char *key)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[512], want[64];
	snprintf(want, sizeof want, "\"%s\":", key);
	long long v = -1;
	while (fgets(line, sizeof line, f)) {
		char *p = strstr(line, want);
		if (p) {
			v = strtoll(p + strlen(want), NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: funnel-bench-import FUNNEL WORKDIR FILE...\n");
		return 2;
	}
	char *funnel = argv[1];
	const char *work = argv[2];
	char db[4096], bare[4096], out[4096], floor[4096];
	snprintf(db, sizeof db, "%s/import-bench.db", work);
	snprintf(floor, sizeof floor, "%s/import-floor.db", work);
	snprintf(bare, sizeof bare, "%s/import-bare.db", work);
	snprintf(out, sizeof out, "%s/import-bench.json", work);
	printf("%-24s %6s %8s %7s %7s %6s %7s %7s %8s %6s %7s %6s %7s\n", "file", "MB", "rows", "wall s", "user s",
	       "sys s", "rows/s", "peak MB", "sqlite s", "ratio", "floor s", "ratio", "leads s");
	int failed = 0;
	for (int i = 3; i < argc; i++) {
		const char *file = argv[i];
		struct stat sb;
		if (stat(file, &sb)) {
			fprintf(stderr, "funnel-bench-import: no %s\n", file);
			return 1;
		}
		struct run r;
		if (make_db(funnel, db)) {
			fprintf(stderr, "funnel-bench-import: %s init or user add failed\n", funnel);
			return 1;
		}
		char *imp[] = {funnel, "--db", db, "--now", "2026-11-27T12:00:00+08:00", "--json", "import",
			       (char *)file, "--quiet", NULL};
		if (run(imp, out, &r)) {
			fprintf(stderr, "funnel-bench-import: the import of %s failed\n", file);
			failed = 1;
			continue;
		}
		long long rows = json_count(out, "rows");
		const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
		size_t len = strlen(file);
		struct run s = {0};
		int csv = len > 4 && strcmp(file + len - 4, ".csv") == 0;
		if (csv) {
			remove_db(bare);
			char cmd[4200];
			snprintf(cmd, sizeof cmd, ".import %s t", file);
			char *sq[] = {"sqlite3", "-csv", bare, cmd, NULL};
			if (run(sq, NULL, &s))
				fprintf(stderr, "funnel-bench-import: sqlite3 .import of %s failed\n", file);
			remove_db(bare);
		}
		struct run fl = {0}, ld = {0};
		if (make_db(funnel, floor) || store_again(db, floor, &fl))
			fprintf(stderr, "funnel-bench-import: storing the records of %s again failed\n", file);
		if (make_db(funnel, floor) || leads_again(db, floor, work, &ld))
			fprintf(stderr, "funnel-bench-import: storing the leads of %s again failed\n", file);
		remove_db(floor);
		printf("%-24s %6.1f %8lld %7.2f %7.2f %6.2f %7.0f %7.1f", base, (double)sb.st_size / 1e6, rows, r.wall,
		       r.user, r.sys, rows > 0 ? (double)rows / r.wall : 0, (double)r.rss_kb / 1024);
		if (csv)
			printf(" %8.2f %6.1f", s.wall, s.wall > 0 ? r.wall / s.wall : 0);
		else
			printf(" %8s %6s", "-", "-");
		printf(" %7.2f %6.1f %7.2f\n", fl.wall, fl.wall > 0 ? r.wall / fl.wall : 0, ld.wall);
		FILE *f = fopen(out, "r");
		if (f) {
			char line[512];
			while (fgets(line, sizeof line, f))
				if (strstr(line, "\"created\"") || strstr(line, "\"invalid\"") || strstr(line, "\"merged\"") ||
				    strstr(line, "\"returning\"") || strstr(line, "\"rejected\"") ||
				    strstr(line, "\"scored\""))
					printf("  %s", line);
			fclose(f);
		}
		fflush(stdout);
	}
	remove_db(db);
	unlink(out);
	return failed;
}
