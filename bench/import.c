/*
 * bench/import.c - funnel-bench-import: the import benchmark's driver.
 *
 *     funnel-bench-import FUNNEL WORKDIR FILE...
 *
 * For each lead list FILE (from funnel-bench-leads): creates an empty database in WORKDIR with
 * `FUNNEL init`, then runs `FUNNEL import FILE --quiet` on it as a child process and measures it end
 * to end: wall time, CPU time (user and system) and peak memory (maximum resident set) from wait4.
 * For a CSV file it then times `sqlite3 -csv bare.db '.import FILE t'`, SQLite's own loader, into a
 * bare table without indexes: the reference the import is compared with. The figures go to stdout
 * as one line a file, for bench/README.md.
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
	char db[4096], bare[4096], out[4096];
	snprintf(db, sizeof db, "%s/import-bench.db", work);
	snprintf(bare, sizeof bare, "%s/import-bare.db", work);
	snprintf(out, sizeof out, "%s/import-bench.json", work);
	printf("%-28s %9s %9s %8s %8s %8s %10s %8s %9s %6s\n", "file", "MB", "rows", "wall s", "user s", "sys s",
	       "rows/s", "peak MB", "sqlite s", "ratio");
	int failed = 0;
	for (int i = 3; i < argc; i++) {
		const char *file = argv[i];
		struct stat sb;
		if (stat(file, &sb)) {
			fprintf(stderr, "funnel-bench-import: no %s\n", file);
			return 1;
		}
		remove_db(db);
		struct run r;
		char *init[] = {funnel, "--db", db, "init", NULL};
		if (run(init, NULL, &r)) {
			fprintf(stderr, "funnel-bench-import: %s init failed\n", funnel);
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
		printf("%-28s %9.1f %9lld %8.2f %8.2f %8.2f %10.0f %8.1f", base, (double)sb.st_size / 1e6, rows, r.wall,
		       r.user, r.sys, rows > 0 ? (double)rows / r.wall : 0, (double)r.rss_kb / 1024);
		if (csv)
			printf(" %9.2f %6.2f\n", s.wall, s.wall > 0 ? r.wall / s.wall : 0);
		else
			printf(" %9s %6s\n", "-", "-");
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
