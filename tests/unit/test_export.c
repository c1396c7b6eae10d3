/*
 * tests/unit/test_export.c - lead exports (io/export.c, SPEC §7, §8): the CSV Excel opens (BOM,
 * CRLF, RFC 4180 quoting, the columns import maps back), the workbook read back with the XLSX
 * reader, the JSON document, what the actor may see, the filters, and the audit entry of every
 * export.
 *
 * The leads: captured on Friday 2026-11-27 at 10:00 and 11:00 (+08:00), one scored A with an
 * expected amount, one with a comma, quotes and a line break in its notes, and an invalid one.
 */
#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>

#include "testutil.h"

#include "funnel/export.h"
#include "funnel/import.h"
#include "io/reader.h"

struct leads {
	int64_t a, b, bad;
};

static struct leads setup_leads(struct tenv *t)
{
	struct leads ls;
	t_user(t, "li", "sales", "east");
	t_user(t, "wang", "sales", "east");
	struct fnl_ctx c = t_sys(T_FRI);
	struct fnl_lead_input in = {0};
	in.company = "上海某某科技有限公司";
	in.contact = "李明";
	in.phone = "138 0013 8001";
	in.email = "liming@example.cn";
	in.channel = "sem";
	in.source = "百度 关键词";
	in.owner = "li";
	in.industry = "制造业";
	in.region = "上海";
	int result;
	int64_t rid;
	struct fnl_lead l;
	T_OK(t, fnl_lead_add(t->db, &c, &in, &result, &l, &rid));
	ls.a = l.id;
	t_score(t, ls.a, T_FRI + 1800, 4, 4, 4, 3);
	struct fnl_lead_input amt = {0};
	amt.has_amount = 1;
	amt.amount = 12800050;
	amt.close_month = "2026-12";
	struct fnl_ctx c2 = t_sys(T_FRI + 2 * T_HOUR);
	T_OK(t, fnl_lead_move(t->db, &c2, ls.a, "discover", NULL, &l));
	T_OK(t, fnl_lead_edit(t->db, &c2, ls.a, &amt, &l));

	struct fnl_lead_input in2 = {0};
	in2.company = "Acme, Inc.";
	in2.contact = "John \"Jack\" Smith";
	in2.wechat = "jack_smith";
	in2.channel = "website";
	in2.owner = "wang";
	in2.notes = "met at the show,\nwants a demo";
	c = t_sys(T_FRI + T_HOUR);
	T_OK(t, fnl_lead_add(t->db, &c, &in2, &result, &l, &rid));
	ls.b = l.id;

	struct fnl_lead_input in3 = {0};
	in3.company = "丙公司";
	in3.contact = "王五";
	in3.phone = "123";
	in3.channel = "website";
	T_OK(t, fnl_lead_add(t->db, &c, &in3, &result, &l, &rid));
	assert_int_equal(result, FNL_ADD_INVALID);
	ls.bad = l.id;
	return ls;
}

/* Run an export into memory (csv, json). */
static int export_mem(struct tenv *t, const struct fnl_ctx *c, const struct fnl_lead_filter *f, const char *format,
		      char **text, int64_t *count)
{
	size_t len;
	FILE *m = open_memstream(text, &len);
	int rc = fnl_export_leads(t->db, c, f, format, m, NULL, count);
	fclose(m);
	return rc;
}

/* The newest audit entry, as the admin sees the log. */
static json_t *last_audit(struct tenv *t, char *entity, size_t elen, int64_t *n_entries)
{
	struct fnl_ctx c = t_admin(t, T_NOW);
	struct fnl_audit_entry *v;
	size_t n;
	T_OK(t, fnl_audit_list(t->db, &c, 0, 0, &v, &n));
	assert_true(n > 0);
	snprintf(entity, elen, "%s/%s/%s", v[n - 1].entity, v[n - 1].entity_id, v[n - 1].action);
	json_error_t e;
	json_t *after = v[n - 1].after ? json_loads(v[n - 1].after, 0, &e) : NULL;
	*n_entries = (int64_t)n;
	fnl_audit_free(v, n);
	return after;
}

static void test_csv(void **state)
{
	struct tenv *t = *state;
	struct leads ls = setup_leads(t);
	struct fnl_ctx c = t_admin(t, T_NOW);
	char *csv;
	int64_t count = -1;
	T_OK(t, export_mem(t, &c, NULL, "csv", &csv, &count));
	assert_int_equal(count, 2);

	/* a BOM, then the header */
	const char *header =
		"\xEF\xBB\xBF"
		"id,company,contact,title,phone,email,wechat,industry,size,region,channel,source,captured_at,owner,"
		"consent,notes,budget,need,decision,urgency,stage,reached_stage,status,grade,score,amount,close_month,"
		"invalid_reason,merged_into,lost_reason,lost_at,won_at,updated_at\r\n";
	assert_memory_equal(csv, header, strlen(header));
	/* newest capture first; quotes doubled, a field with a comma or a line break quoted, CRLF */
	char want_b[512], want_a[512];
	snprintf(want_b, sizeof want_b,
		 "%lld,\"Acme, Inc.\",\"John \"\"Jack\"\" Smith\",,,,jack_smith,,,,website,,2026-11-27T11:00:00+08:00,"
		 "wang,,\"met at the show,\nwants a demo\",,,,,acquire,acquire,open,,,,,,,,,,2026-11-27T11:00:00+08:00\r\n",
		 (long long)ls.b);
	/* 4 + 4 + 4 + 3 with the default weights: 15, grade A; the amount in yuan */
	snprintf(want_a, sizeof want_a,
		 "%lld,上海某某科技有限公司,李明,,13800138001,liming@example.cn,,制造业,,上海,sem,百度 关键词,"
		 "2026-11-27T10:00:00+08:00,li,,,4,4,4,3,discover,discover,open,A,15,128000.50,2026-12,,,,,,"
		 "2026-11-27T12:00:00+08:00\r\n",
		 (long long)ls.a);
	const char *p = csv + strlen(header);
	assert_memory_equal(p, want_b, strlen(want_b));
	p += strlen(want_b);
	assert_string_equal(p, want_a);
	free(csv);

	/* audited: the format, the rows, the filter, that contact data left */
	char what[128];
	int64_t n1;
	json_t *after = last_audit(t, what, sizeof what, &n1);
	assert_string_equal(what, "export/leads/export");
	char *dump = json_dumps(after, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(dump, "{\"contact_data\":true,\"filter\":{},\"format\":\"csv\",\"rows\":2}");
	free(dump);
	json_decref(after);

	/* all of them, the invalid one too, with the filter in the log */
	struct fnl_lead_filter f = {0};
	f.status = "all";
	f.limit = 1; /* not used by an export */
	T_OK(t, export_mem(t, &c, &f, "csv", &csv, &count));
	assert_int_equal(count, 3);
	assert_non_null(strstr(csv, ",invalid,,,,,bad_phone,"));
	free(csv);
	int64_t n2;
	after = last_audit(t, what, sizeof what, &n2);
	assert_int_equal(n2, n1 + 1);
	dump = json_dumps(after, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(dump, "{\"contact_data\":true,\"filter\":{\"status\":\"all\"},\"format\":\"csv\",\"rows\":3}");
	free(dump);
	json_decref(after);
}

static void test_json(void **state)
{
	struct tenv *t = *state;
	struct leads ls = setup_leads(t);
	struct fnl_ctx c = t_admin(t, T_NOW);
	char *text;
	int64_t count;
	T_OK(t, export_mem(t, &c, NULL, "json", &text, &count));
	assert_int_equal(count, 2);
	json_error_t e;
	json_t *doc = json_loads(text, 0, &e);
	if (!doc)
		fail_msg("not JSON (%s): %s", e.text, text);
	json_t *leads = json_object_get(doc, "leads");
	assert_int_equal(json_array_size(leads), 2);
	json_t *a = json_array_get(leads, 1);
	assert_int_equal(json_integer_value(json_object_get(a, "id")), ls.a);
	assert_string_equal(json_string_value(json_object_get(a, "company")), "上海某某科技有限公司");
	assert_string_equal(json_string_value(json_object_get(a, "captured_at")), "2026-11-27T10:00:00+08:00");
	assert_int_equal(json_integer_value(json_object_get(a, "amount")), 12800050);
	json_decref(doc);
	free(text);

	/* nothing matches: an empty list, still a document */
	struct fnl_lead_filter f = {0};
	f.status = "won";
	T_OK(t, export_mem(t, &c, &f, "json", &text, &count));
	assert_int_equal(count, 0);
	assert_string_equal(text, "{\"leads\": [\n]}\n");
	free(text);
	char what[128];
	int64_t n;
	json_t *after = last_audit(t, what, sizeof what, &n);
	assert_false(json_is_true(json_object_get(after, "contact_data")));
	json_decref(after);
}

static void test_xlsx(void **state)
{
	struct tenv *t = *state;
	struct leads ls = setup_leads(t);
	struct fnl_ctx c = t_admin(t, T_NOW);
	char path[160];
	snprintf(path, sizeof path, "%s/leads.xlsx", t->dir);
	int64_t count;
	T_OK(t, fnl_export_leads(t->db, &c, NULL, "xlsx", NULL, path, &count));
	assert_int_equal(count, 2);

	fnl_reader *r;
	struct fnl_error err = {0};
	if (fnl_reader_open(path, NULL, NULL, "leads", &r, &err))
		fail_msg("%s", err.message);
	struct fnl_record rec;
	assert_int_equal(fnl_reader_next(r, &rec, &err), 1);
	size_t ncols = 0;
	while (fnl_export_lead_columns[ncols])
		ncols++;
	assert_int_equal(rec.nfields, ncols);
	for (size_t i = 0; i < ncols; i++)
		assert_string_equal(rec.fields[i], fnl_export_lead_columns[i]);
	/* lead b: text as written, the line break kept, times as dates in the installation's zone */
	assert_int_equal(fnl_reader_next(r, &rec, &err), 1);
	assert_int_equal(rec.line, 2);
	assert_int_equal(strtoll(rec.fields[0], NULL, 10), ls.b);
	assert_string_equal(rec.fields[1], "Acme, Inc.");
	assert_string_equal(rec.fields[2], "John \"Jack\" Smith");
	assert_string_equal(rec.fields[15], "met at the show,\nwants a demo");
	assert_string_equal(rec.fields[12], "2026-11-27T11:00:00");
	/* lead a: the phone is text (not 1.38E+10), the scores and the amount numbers */
	assert_int_equal(fnl_reader_next(r, &rec, &err), 1);
	assert_int_equal(strtoll(rec.fields[0], NULL, 10), ls.a);
	assert_string_equal(rec.fields[1], "上海某某科技有限公司");
	assert_string_equal(rec.fields[4], "13800138001");
	assert_string_equal(rec.fields[12], "2026-11-27T10:00:00");
	assert_string_equal(rec.fields[16], "4");
	assert_string_equal(rec.fields[19], "3");
	assert_string_equal(rec.fields[23], "A");
	assert_string_equal(rec.fields[24], "15");
	assert_string_equal(rec.fields[25], "128000.5");
	assert_int_equal(fnl_reader_next(r, &rec, &err), 0);
	fnl_reader_close(r);
	unlink(path);

	char what[128];
	int64_t n;
	json_t *after = last_audit(t, what, sizeof what, &n);
	assert_string_equal(json_string_value(json_object_get(after, "format")), "xlsx");
	assert_int_equal(json_integer_value(json_object_get(after, "rows")), 2);
	json_decref(after);
}

/* A sales consultant exports their own leads (SPEC §8), and the log says it was them. */
static void test_access(void **state)
{
	struct tenv *t = *state;
	struct leads ls = setup_leads(t);
	struct fnl_user li;
	T_OK(t, fnl_user_get(t->db, "li", &li));
	struct fnl_ctx c = tctx(T_NOW, li.id);
	char *csv;
	int64_t count;
	T_OK(t, export_mem(t, &c, NULL, "csv", &csv, &count));
	assert_int_equal(count, 1);
	char id[32];
	snprintf(id, sizeof id, "\r\n%lld,", (long long)ls.a);
	assert_non_null(strstr(csv, id));
	free(csv);
	struct fnl_ctx admin = t_admin(t, T_NOW);
	struct fnl_audit_entry *v;
	size_t n;
	T_OK(t, fnl_audit_list(t->db, &admin, 0, 0, &v, &n));
	assert_string_equal(v[n - 1].entity, "export");
	assert_string_equal(v[n - 1].user, "li");
	assert_int_equal(v[n - 1].at, T_NOW);
	fnl_audit_free(v, n);
}

/* Texts Excel would run as formulas get an apostrophe in the CSV; an import takes it off. */
static void test_formula(void **state)
{
	struct tenv *t = *state;
	struct fnl_ctx c = t_sys(T_FRI);
	struct fnl_lead_input in = {0};
	in.company = "=HYPERLINK(\"http://x.example\",\"点我\")";
	in.contact = "@bob";
	in.phone = "+86 138 0013 8002";
	in.notes = "-1+2";
	in.channel = "website";
	int result;
	int64_t rid;
	struct fnl_lead l;
	T_OK(t, fnl_lead_add(t->db, &c, &in, &result, &l, &rid));
	/* a text that begins with an apostrophe before such a character keeps it */
	struct fnl_lead_input in2 = {0};
	in2.company = "撇号公司";
	in2.contact = "'=王";
	in2.phone = "13952000901";
	in2.notes = "''-1";
	in2.channel = "website";
	struct fnl_lead l2;
	T_OK(t, fnl_lead_add(t->db, &c, &in2, &result, &l2, &rid));
	struct fnl_ctx a = t_admin(t, T_NOW);
	char *csv;
	T_OK(t, export_mem(t, &a, NULL, "csv", &csv, NULL));
	assert_non_null(strstr(csv, ",''=王,"));
	assert_non_null(strstr(csv, ",'''-1,"));
	assert_non_null(strstr(csv, ",\"'=HYPERLINK(\"\"http://x.example\"\",\"\"点我\"\")\",'@bob,,13800138002,"));
	assert_non_null(strstr(csv, ",'-1+2,"));

	/* (the phone is stored normalised: no + left) imported back: the same texts, a duplicate of
	 * the lead by its phone */
	char path[] = "/tmp/funnel-formula-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, csv, strlen(csv)), (ssize_t)strlen(csv));
	close(fd);
	free(csv);
	struct fnl_import_opts o = {0};
	o.path = path;
	o.format = "csv";
	struct fnl_import_result r;
	T_OK(t, fnl_import(t->db, &a, &o, &r));
	unlink(path);
	assert_int_equal(r.merged, 2);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM lead WHERE status = 'merged' AND contact = '''=王'"
				      " AND notes = '''''-1'"),
			 1);
	char sql[256];
	snprintf(sql, sizeof sql,
		 "SELECT count(*) FROM lead WHERE status = 'merged' AND merged_into = %lld AND company = '%s'"
		 " AND contact = '@bob' AND phone = '13800138002' AND notes = '-1+2'",
		 (long long)l.id, "=HYPERLINK(\"http://x.example\",\"点我\")");
	assert_int_equal(t_sql_int(t, sql), 1);
}

/* Refused: nothing written, nothing audited. */
static void test_refused(void **state)
{
	struct tenv *t = *state;
	setup_leads(t);
	struct fnl_ctx c = t_admin(t, T_NOW);
	int64_t before = t_sql_int(t, "SELECT count(*) FROM audit");
	char *text;
	struct fnl_lead_filter f = {0};
	f.status = "closed";
	T_RC(t, export_mem(t, &c, &f, "csv", &text, NULL), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "status");
	assert_string_equal(text, "");
	free(text);
	f.status = NULL;
	f.channel = "tv";
	T_RC(t, export_mem(t, &c, &f, "json", &text, NULL), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "channel");
	free(text);
	T_RC(t, export_mem(t, &c, NULL, "pdf", &text, NULL), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "format");
	assert_string_equal(fnl_errmsg(t->db), "format: 'pdf' is not csv, xlsx or json");
	free(text);
	T_RC(t, fnl_export_leads(t->db, &c, NULL, "xlsx", NULL, NULL, NULL), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "out");
	T_RC(t, fnl_export_leads(t->db, &c, NULL, "xlsx", NULL, "/nonexistent/dir/x.xlsx", NULL), FNL_EIO);
	assert_string_equal(fnl_errfield(t->db), "out");
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM audit"), before);
}

/* The audit entry comes before the first lead: an export cut short (here: a full disk) may have
 * been read in part, and is in the log; an export that cannot be logged writes nothing. */
static void test_audit_first(void **state)
{
	struct tenv *t = *state;
	setup_leads(t);
	if (access("/dev/full", W_OK))
		skip();
	struct fnl_ctx c = t_admin(t, T_NOW);
	int64_t before = t_sql_int(t, "SELECT count(*) FROM audit WHERE entity = 'export'");
	FILE *full = fopen("/dev/full", "w");
	assert_non_null(full);
	int64_t count = -1;
	T_RC(t, fnl_export_leads(t->db, &c, NULL, "csv", full, NULL, &count), FNL_EIO);
	fclose(full);
	assert_int_equal(count, 0);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM audit WHERE entity = 'export'"), before + 1);
	assert_string_equal(fnl_errfield(t->db), "out");
	assert_string_equal(fnl_errmsg(t->db), "out: cannot write the export: No space left on device");
	char what[128];
	int64_t n;
	json_t *after = last_audit(t, what, sizeof what, &n);
	assert_string_equal(what, "export/leads/export");
	char *dump = json_dumps(after, JSON_SORT_KEYS | JSON_COMPACT);
	assert_string_equal(dump, "{\"contact_data\":true,\"filter\":{},\"format\":\"csv\",\"rows\":2}");
	free(dump);
	json_decref(after);

	/* a workbook too (libxlsxwriter's own lines on stderr kept out of the test's output) */
	fflush(stderr);
	int keep = dup(2), null = open("/dev/null", O_WRONLY);
	assert_true(keep >= 0 && null >= 0);
	dup2(null, 2);
	int rc = fnl_export_leads(t->db, &c, NULL, "xlsx", NULL, "/dev/full", &count);
	fflush(stderr);
	dup2(keep, 2);
	close(keep);
	close(null);
	assert_int_equal(rc, FNL_EIO);
	assert_string_equal(fnl_errfield(t->db), "out");
	assert_string_equal(fnl_errmsg(t->db), "out: cannot write the workbook '/dev/full': No space left on device");
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM audit WHERE entity = 'export'"), before + 2);

	/* the log refuses the entry: not a byte of the export is written */
	assert_int_equal(t_sql(t, "CREATE TRIGGER audit_refused BEFORE INSERT ON audit"
				  " BEGIN SELECT RAISE(ABORT, 'audit refused'); END"),
			 SQLITE_OK);
	const char *formats[] = {"csv", "json"};
	for (size_t i = 0; i < 2; i++) {
		char *text;
		assert_int_not_equal(export_mem(t, &c, NULL, formats[i], &text, &count), 0);
		assert_string_equal(text, "");
		assert_int_equal(count, 0);
		free(text);
	}
	/* a workbook neither: no new file, and a file that is there keeps what it holds */
	char path[600];
	snprintf(path, sizeof path, "%s/refused.xlsx", t->dir);
	assert_int_not_equal(fnl_export_leads(t->db, &c, NULL, "xlsx", NULL, path, &count), 0);
	assert_int_equal(access(path, F_OK), -1);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("kept", f);
	fclose(f);
	assert_int_not_equal(fnl_export_leads(t->db, &c, NULL, "xlsx", NULL, path, &count), 0);
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_int_equal(sb.st_size, 4);
	unlink(path);
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM audit WHERE entity = 'export'"), before + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_csv), T_TEST(test_json), T_TEST(test_xlsx), T_TEST(test_access), T_TEST(test_formula),
		T_TEST(test_refused), T_TEST(test_audit_first),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
