/*
 * cli/cmd_export.c - funnel export leads: the leads as CSV for Excel, an XLSX workbook or JSON; and
 * the output files of exports and reports (--out): written whole or not at all, never over a file.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "funnel/export.h"

/* ---- output files ---- */

int cli_out_open(struct cli_out *o, const char *path, int private_file)
{
	memset(o, 0, sizeof *o);
	o->path = path;
	o->fd = -1;
	if (!*path)
		return cli_error(EXIT_USAGE, "out: empty file name");
	if (access(path, F_OK) == 0)
		return cli_error(EXIT_ERR, "out: '%s' already exists; not overwritten (choose another name)", path);
	/* a hidden temporary file in the same directory, so that it can take the name at the end */
	const char *slash = strrchr(path, '/');
	int dirlen = slash ? (int)(slash - path + 1) : 0;
	if (snprintf(o->tmp, sizeof o->tmp, "%.*s.%s.XXXXXX", dirlen, path, slash ? slash + 1 : path) >=
	    (int)sizeof o->tmp)
		return cli_error(EXIT_ERR, "out: the name '%s' is too long", path);
	o->fd = mkstemp(o->tmp);
	if (o->fd < 0)
		return cli_error(EXIT_ERR, "out: cannot create '%s': %s", path, strerror(errno));
	if (!private_file) {
		/* as any new file: what the umask allows (mkstemp makes it 0600) */
		mode_t mask = umask(0);
		umask(mask);
		if (fchmod(o->fd, 0666 & ~mask)) {
			/* it stays private: harmless */
		}
	}
	return 0;
}

FILE *cli_out_file(struct cli_out *o)
{
	if (!o->f && o->fd >= 0) {
		o->f = fdopen(o->fd, "wb");
		if (o->f)
			o->fd = -1;
	}
	return o->f;
}

void cli_out_abort(struct cli_out *o)
{
	if (o->f)
		fclose(o->f);
	else if (o->fd >= 0)
		close(o->fd);
	o->f = NULL;
	o->fd = -1;
	if (o->tmp[0])
		unlink(o->tmp);
	o->tmp[0] = '\0';
}

int cli_out_commit(struct cli_out *o)
{
	int bad = 0;
	if (o->f)
		bad = fclose(o->f) != 0;
	else if (o->fd >= 0)
		close(o->fd);
	o->f = NULL;
	o->fd = -1;
	if (bad) {
		cli_out_abort(o);
		return cli_error(EXIT_ERR, "out: cannot write '%s': %s", o->path, strerror(errno));
	}
	/* link fails when the name exists: nothing is overwritten, even by a file made meanwhile */
	if (link(o->tmp, o->path)) {
		int e = errno;
		if (e == EEXIST) {
			cli_out_abort(o);
			return cli_error(EXIT_ERR, "out: '%s' already exists; not overwritten (choose another name)", o->path);
		}
		/* a file system without hard links */
		if ((e != EPERM && e != ENOTSUP && e != ENOSYS && e != EXDEV) || access(o->path, F_OK) == 0 ||
		    rename(o->tmp, o->path)) {
			cli_out_abort(o);
			return cli_error(EXIT_ERR, "out: cannot create '%s': %s", o->path, strerror(e));
		}
		o->tmp[0] = '\0';
		return 0;
	}
	unlink(o->tmp);
	o->tmp[0] = '\0';
	return 0;
}

/* The reason in the library's message about writing o->tmp; else the whole message. */
static const char *write_reason(const struct cli_out *o, const char *msg)
{
	static const char export[] = "out: cannot write the export: ";
	char workbook[sizeof o->tmp + 64];
	snprintf(workbook, sizeof workbook, "out: cannot write the workbook '%s': ", o->tmp);
	if (strncmp(msg, export, sizeof export - 1) == 0)
		return msg + sizeof export - 1;
	if (strncmp(msg, workbook, strlen(workbook)) == 0)
		return msg + strlen(workbook);
	return msg;
}

int cli_out_fail(struct cli_out *o, const char *msg)
{
	const char *why = msg && *msg && strcmp(msg, "out: cannot write the export") ? write_reason(o, msg) : NULL;
	int rc = why ? cli_error(EXIT_ERR, "out: cannot write '%s': %s", o->path, why)
		     : cli_error(EXIT_ERR, "out: cannot write '%s'", o->path);
	cli_out_abort(o);
	return rc;
}

/* ---- funnel export leads ---- */

static const char *format_of(const char *out)
{
	static const char *const ext[] = {"csv", "xlsx", "json"};
	const char *dot = out ? strrchr(out, '.') : NULL;
	for (size_t i = 0; dot && i < sizeof ext / sizeof ext[0]; i++)
		if (strcasecmp(dot + 1, ext[i]) == 0)
			return ext[i];
	return NULL;
}

int cmd_export_leads(struct cli *cli, const struct args *a)
{
	struct fnl_lead_filter f;
	cli_lead_filter(a, &f);
	const char *out = arg_val(a, "out"), *format = arg_val(a, "format");
	if (!format)
		format = format_of(out);
	if (!format)
		format = cli->json && !out ? "json" : "csv";
	if (strcmp(format, "csv") && strcmp(format, "xlsx") && strcmp(format, "json"))
		return cli_error(EXIT_USAGE, "format: '%s' is not csv, xlsx or json", format);
	if (strcmp(format, "xlsx") == 0 && !out)
		return cli_error(EXIT_USAGE, "format: xlsx needs --out FILE (a workbook is not for the terminal)");
	struct cli_out o;
	int rc;
	/* the file holds contact data: readable by its owner only */
	if (out && (rc = cli_out_open(&o, out, 1)))
		return rc;
	FILE *dst = out ? (strcmp(format, "xlsx") ? cli_out_file(&o) : NULL) : stdout;
	if (out && !dst && strcmp(format, "xlsx")) {
		cli_out_abort(&o);
		return cli_error(EXIT_ERR, "out: cannot write '%s': %s", out, strerror(errno));
	}
	int64_t count = 0;
	rc = fnl_export_leads(cli->db, &cli->ctx, &f, format, dst, out ? o.tmp : NULL, &count);
	if (rc) {
		const char *field = fnl_errfield(cli->db);
		if (out && rc == FNL_EIO && field && strcmp(field, "out") == 0)
			return cli_out_fail(&o, fnl_errmsg(cli->db));
		if (out)
			cli_out_abort(&o);
		return cli_fail(cli, rc);
	}
	if (!out)
		return EXIT_OK;
	if ((rc = cli_out_commit(&o)))
		return rc;
	if (cli->json)
		return cli_print_json(json_pack("{ss sI ss}", "format", format, "rows", (json_int_t)count, "out", out));
	printf("exported %lld lead%s to %s (%s)\n", (long long)count, count == 1 ? "" : "s", out, format);
	return EXIT_OK;
}
