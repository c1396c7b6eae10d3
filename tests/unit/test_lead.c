/*
 * tests/unit/test_lead.c - lead capture (SPEC §3, core/lead.c): cleaning with the invalid reasons,
 * phone normalisation, duplicates by each key (merge into an open lead, a returning customer after
 * a won or lost one), round-robin and explicit assignment, required fields, and edits.
 *
 * All captures happen at T_NOW (2026-11-29T10:00+08:00) unless said otherwise.
 */
#include "testutil.h"

static int add(struct tenv *t, int64_t now, const struct fnl_lead_input *in, int *result,
	       struct fnl_lead *out, int64_t *rid)
{
	struct fnl_ctx c = t_sys(now);
	return fnl_lead_add(t->db, &c, in, result, out, rid);
}

/* ---- invalid reasons ---- */

struct invalid_case {
	const char *company, *contact, *phone, *email, *wechat;
	const char *reason;
};

static const struct invalid_case invalid_cases[] = {
	{"甲公司", "张三", "13800138000", NULL, NULL, "test_phone"},          /* block-listed */
	{"乙公司", "张三", "13811111111", NULL, NULL, "test_phone"},          /* 1 repeated 8 times */
	{"丙公司", "张三", "13912345678", NULL, NULL, "test_phone"},          /* 12345678 ascending */
	{"丁公司", "张三", "12345", NULL, NULL, "bad_phone"},
	{"戊公司", "张三", "12052100001", NULL, NULL, "bad_phone"},           /* 1[3-9] only */
	{"戊公司二", "张三", "01152100001", NULL, NULL, "bad_phone"},         /* 010 is the only 01x */
	{"戊公司三", "张三", "13952100001 转 12", NULL, NULL, "bad_phone"},   /* a mobile has no extension */
	{"己公司", "张三", NULL, "a@b", NULL, "bad_email"},
	{"庚公司", "张三", NULL, "zhang@@x.com", NULL, "bad_email"},
	{"测试公司", "张三", "13952100001", NULL, NULL, "test_name"},
	{"辛公司", "test", "13952100002", NULL, NULL, "test_name"},
	{"壬公司", "张三", NULL, NULL, NULL, "no_contact"},
	{"癸公司", "张三", "", "", "", "no_contact"},
};

static void test_invalid_reasons(void **state)
{
	struct tenv *t = *state;
	for (size_t i = 0; i < sizeof invalid_cases / sizeof invalid_cases[0]; i++) {
		const struct invalid_case *c = &invalid_cases[i];
		struct fnl_lead_input in = {0};
		in.company = c->company;
		in.contact = c->contact;
		in.phone = c->phone;
		in.email = c->email;
		in.wechat = c->wechat;
		in.channel = "trade_show";
		int result = 0;
		int64_t rid = 0;
		struct fnl_lead l;
		T_OK(t, add(t, T_NOW, &in, &result, &l, &rid));
		if (result != FNL_ADD_INVALID || strcmp(l.invalid_reason, c->reason) != 0)
			fail_msg("case %zu (%s): result %d reason '%s', expected invalid '%s'", i, c->company,
				 result, l.invalid_reason, c->reason);
		assert_string_equal(l.status, "invalid");
		assert_int_equal(rid, l.id);
		assert_string_equal(l.owner, ""); /* invalid leads are not assigned */
		assert_string_equal(l.stage, "acquire");
	}
	/* Invalid leads stay in the database but are not listed by default. */
	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_lead *v;
	size_t n;
	T_OK(t, fnl_lead_list(t->db, &c, NULL, &v, &n));
	assert_int_equal(n, 0);
	free(v);
	struct fnl_lead_filter f = {0};
	f.status = "invalid";
	T_OK(t, fnl_lead_list(t->db, &c, &f, &v, &n));
	assert_int_equal(n, sizeof invalid_cases / sizeof invalid_cases[0]);
	free(v);

	/* an invalid lead is no duplicate: the same company, contact and a good phone make a lead */
	struct fnl_lead_input in = {0};
	in.company = "壬公司";
	in.contact = "张三";
	in.phone = "13952100007";
	in.channel = "trade_show";
	int result;
	int64_t rid;
	struct fnl_lead l;
	T_OK(t, add(t, T_NOW, &in, &result, &l, &rid));
	assert_int_equal(result, FNL_ADD_CREATED);
	assert_string_equal(l.status, "open");
}

static void test_non_target_industry(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead_input in = {0};
	in.company = "零售公司";
	in.contact = "赵六";
	in.phone = "13952100003";
	in.industry = "零售";
	in.channel = "website";
	int result;
	int64_t rid;
	struct fnl_lead l;
	/* no target list: every industry is fine */
	T_OK(t, add(t, T_NOW, &in, &result, &l, &rid));
	assert_int_equal(result, FNL_ADD_CREATED);

	t_config(t, "clean.target_industries", "制造业");
	in.company = "零售公司二";
	in.phone = "13952100004";
	T_OK(t, add(t, T_NOW, &in, &result, &l, &rid));
	assert_int_equal(result, FNL_ADD_INVALID);
	assert_string_equal(l.invalid_reason, "non_target_industry");
	assert_string_equal(l.status, "invalid");
	assert_string_equal(l.industry, "零售");

	in.company = "制造公司";
	in.phone = "13952100005";
	in.industry = "制造业";
	T_OK(t, add(t, T_NOW, &in, &result, &l, &rid));
	assert_int_equal(result, FNL_ADD_CREATED);
	/* no industry given: not judged */
	in.company = "未知行业公司";
	in.phone = "13952100006";
	in.industry = NULL;
	T_OK(t, add(t, T_NOW, &in, &result, &l, &rid));
	assert_int_equal(result, FNL_ADD_CREATED);
}

/* ---- phone normalisation ---- */

struct phone_case {
	const char *raw, *stored;
};

static const struct phone_case phone_cases[] = {
	{"+86 138-0013-8001", "13800138001"},
	{"0086 139 5200 0101", "13952000101"},
	{"(+86)139-5200-0102", "13952000102"},
	{"１３９５２０００１０３", "13952000103"}, /* full-width digits */
	{"010-8888 1234", "01088881234"},           /* a Beijing landline */
	{"010-6552 9988 转 123", "01065529988-123"}, /* with its extension */
	{"0755-8888 6666-8001", "075588886666-8001"},
	{"013952000104", "13952000104"},             /* a mobile with the long-distance 0 */
	{"8613952000105", "13952000105"},            /* the country code without '+' */
	{"+44 20 7946 0958", "+442079460958"},
};

static void test_phone_normalised(void **state)
{
	struct tenv *t = *state;
	for (size_t i = 0; i < sizeof phone_cases / sizeof phone_cases[0]; i++) {
		char company[32];
		snprintf(company, sizeof company, "电话公司%zu", i);
		struct fnl_lead_input in = {0};
		in.company = company;
		in.contact = "钱七";
		in.phone = phone_cases[i].raw;
		in.channel = "sem";
		int result;
		int64_t rid;
		struct fnl_lead l;
		T_OK(t, add(t, T_NOW, &in, &result, &l, &rid));
		assert_int_equal(result, FNL_ADD_CREATED);
		assert_string_equal(l.phone, phone_cases[i].stored);
		assert_string_equal(t_get(t, l.id).phone, phone_cases[i].stored);
	}
}

/* ---- duplicates ---- */

static struct fnl_lead base_lead(struct tenv *t, const char *owner)
{
	struct fnl_lead_input in = {0};
	in.company = "华星科技有限公司";
	in.contact = "李娜";
	in.phone = "13952100010";
	in.email = "Li.Na@Huaxing.com";
	in.wechat = "lina_hx";
	in.channel = "website";
	in.owner = owner;
	int result;
	int64_t rid;
	struct fnl_lead l;
	T_OK(t, add(t, T_NOW - T_DAY, &in, &result, &l, &rid));
	assert_int_equal(result, FNL_ADD_CREATED);
	return l;
}

struct dup_case {
	const char *company, *contact, *phone, *email, *wechat;
	const char *why;
};

static const struct dup_case dup_cases[] = {
	{"别的公司", "别人", "139-5210-0010", NULL, NULL, "same phone"},
	{"别的公司二", "别人", NULL, "li.na@HUAXING.COM", NULL, "same email, other case"},
	{"别的公司三", "别人", NULL, NULL, "lina_hx", "same WeChat"},
	{"华星科技股份有限公司", "李娜", NULL, "other@example.com", NULL, "company with another suffix"},
	{"华星科技", "李 娜", "13952100099", NULL, NULL, "company without a suffix, name spaced"},
	{"华星科技有限公司（苏州）", "李娜", NULL, "li.na@example.com", NULL, "company with a note after it"},
	{"别的公司四", "别人", "0139 5210 0010", NULL, NULL, "the phone with a long-distance 0"},
	{"别的公司五", "别人", NULL, NULL, "+86 139-5210-0010", "a WeChat ID that is the phone"},
};

static void test_duplicates_merge(void **state)
{
	struct tenv *t = *state;
	t_user(t, "s1", "sales", NULL);
	struct fnl_lead base = base_lead(t, NULL);
	assert_string_equal(base.owner, "s1");
	struct fnl_ctx c = t_sys(T_NOW);
	size_t ncases = sizeof dup_cases / sizeof dup_cases[0];
	for (size_t i = 0; i < ncases; i++) {
		const struct dup_case *d = &dup_cases[i];
		struct fnl_lead_input in = {0};
		in.company = d->company;
		in.contact = d->contact;
		in.phone = d->phone;
		in.email = d->email;
		in.wechat = d->wechat;
		in.channel = "trade_show";
		in.source = "2026 工业展";
		int result = 0;
		int64_t rid = 0;
		struct fnl_lead out;
		T_OK(t, add(t, T_NOW, &in, &result, &out, &rid));
		if (result != FNL_ADD_MERGED)
			fail_msg("case %zu (%s): result %s", i, d->why, fnl_add_result_name(result));
		assert_int_equal(out.id, base.id);
		assert_string_equal(out.company, "华星科技有限公司"); /* the existing lead, unchanged */
		assert_string_equal(out.channel, "website");
		assert_true(rid != base.id);

		struct fnl_lead rec = t_get(t, rid);
		assert_string_equal(rec.status, "merged");
		assert_int_equal(rec.merged_into, base.id);
		assert_string_equal(rec.channel, "trade_show");
		assert_string_equal(rec.owner, "");

		struct fnl_activity *a;
		size_t n;
		T_OK(t, fnl_activity_list(t->db, &c, base.id, &a, &n));
		assert_int_equal(n, i + 1);
		assert_string_equal(a[i].kind, "re_inquiry");
		assert_string_equal(a[i].channel, "trade_show");
		assert_string_equal(a[i].source, "2026 工业展");
		assert_int_equal(a[i].ref_lead, rid);
		assert_int_equal(a[i].at, T_NOW);
		free(a);
	}
	/* only one counted lead */
	struct fnl_lead *v;
	size_t n;
	T_OK(t, fnl_lead_list(t->db, &c, NULL, &v, &n));
	assert_int_equal(n, 1);
	free(v);
	struct fnl_lead_filter f = {0};
	f.status = "merged";
	T_OK(t, fnl_lead_list(t->db, &c, &f, &v, &n));
	assert_int_equal(n, ncases);
	free(v);
	/* a re-inquiry is not a follow-up: the lead is still "to follow up" */
	assert_int_equal(t_get(t, base.id).first_contact_at, 0);

	/* not duplicates: the same company with another contact, a similar but other email */
	struct fnl_lead_input in = {0};
	in.company = "华星科技有限公司";
	in.contact = "王五";
	in.phone = "13952100011";
	in.channel = "website";
	int result;
	int64_t rid;
	struct fnl_lead out;
	T_OK(t, add(t, T_NOW, &in, &result, &out, &rid));
	assert_int_equal(result, FNL_ADD_CREATED);
	in.company = "别家";
	in.contact = "李娜";
	in.phone = NULL;
	in.email = "li.na2@huaxing.com";
	T_OK(t, add(t, T_NOW, &in, &result, &out, &rid));
	assert_int_equal(result, FNL_ADD_CREATED);
}

static void test_duplicate_of_nurture_merges(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead base = base_lead(t, NULL);
	t_score(t, base.id, T_NOW - T_HOUR, 1, 1, 1, 1); /* C: nurture */
	struct fnl_lead_input in = {0};
	in.company = "另一家";
	in.contact = "某人";
	in.wechat = "LINA_HX"; /* WeChat IDs compare without case */
	in.channel = "social";
	int result;
	int64_t rid;
	struct fnl_lead out;
	T_OK(t, add(t, T_NOW, &in, &result, &out, &rid));
	assert_int_equal(result, FNL_ADD_MERGED);
	assert_int_equal(out.id, base.id);
	assert_string_equal(out.status, "nurture");
}

/* A WeChat ID that is a phone number finds the lead with that phone, both ways; a WeChat field that
 * holds no ID ("同手机", "-") is no key, so the leads that have it are not duplicates of each other. */
static void test_wechat_keys(void **state)
{
	static const char *const not_ids[] = {"同手机", "同手机", "无", "无", "-", "-"};
	struct tenv *t = *state;
	struct fnl_lead_input in = {0};
	int result;
	int64_t rid;
	struct fnl_lead out, first;
	char company[32], phone[16];

	in.contact = "某人";
	in.channel = "website";
	for (size_t i = 0; i < sizeof not_ids / sizeof not_ids[0]; i++) {
		snprintf(company, sizeof company, "微信公司%zu", i);
		snprintf(phone, sizeof phone, "1395210020%zu", i);
		in.company = company;
		in.phone = phone;
		in.wechat = not_ids[i];
		T_OK(t, add(t, T_NOW, &in, &result, &out, &rid));
		if (result != FNL_ADD_CREATED)
			fail_msg("case %zu (wechat '%s'): result %s", i, not_ids[i], fnl_add_result_name(result));
	}
	/* the phone as a WeChat ID first and then as a phone, and the other way round */
	static const struct {
		const char *phone[2], *wechat[2];
	} ways[] = {
		{{NULL, "+86 13952100300"}, {"139 5210 0300", NULL}},
		{{"13952100301", NULL}, {NULL, "+86 139-5210-0301"}},
	};
	for (size_t w = 0; w < sizeof ways / sizeof ways[0]; w++) {
		for (int k = 0; k < 2; k++) {
			snprintf(company, sizeof company, "%s公司%zu", k ? "后来" : "先来", w);
			in.company = company;
			in.phone = ways[w].phone[k];
			in.wechat = ways[w].wechat[k];
			T_OK(t, add(t, T_NOW, &in, &result, k ? &out : &first, &rid));
			if (k == 0 && result != FNL_ADD_CREATED)
				fail_msg("way %zu: the first lead %s", w, fnl_add_result_name(result));
		}
		if (result != FNL_ADD_MERGED || out.id != first.id)
			fail_msg("way %zu: result %s, lead %lld, want merged into %lld", w, fnl_add_result_name(result),
				 (long long)out.id, (long long)first.id);
	}
}

static void test_returning_customer(void **state)
{
	struct tenv *t = *state;
	t_user(t, "s1", "sales", NULL);
	t_user(t, "s2", "sales", NULL);
	struct fnl_ctx c = t_sys(T_NOW - T_HOUR);
	struct fnl_lead base = base_lead(t, "s2"), out;
	T_OK(t, fnl_lead_lose(t->db, &c, base.id, "timing", "明年再说", &out));

	struct fnl_lead_input in = {0};
	in.company = "华星科技(集团)有限公司";
	in.contact = "王强";
	in.phone = "+86 13952100010"; /* the lost lead's phone */
	in.channel = "salon";
	int result;
	int64_t rid;
	T_OK(t, add(t, T_NOW, &in, &result, &out, &rid));
	assert_int_equal(result, FNL_ADD_RETURNING);
	assert_int_equal(out.id, rid);
	assert_true(out.id != base.id);
	assert_int_equal(out.returning_of, base.id);
	assert_string_equal(out.status, "open");
	assert_string_equal(out.stage, "acquire");
	assert_string_equal(out.channel, "salon");
	assert_string_equal(out.owner, "s2"); /* the earlier owner, still active sales */
	assert_string_equal(t_get(t, base.id).status, "lost");

	/* a won customer: also returning; the newest won or lost lead is linked */
	struct fnl_lead second = out;
	/* won through its deal, the stage gates passed (needs list, solution, deal) */
	out = t_ready_for_at(t, second.id, "won", T_NOW + T_HOUR);
	assert_string_equal(out.status, "won");
	in.phone = NULL;
	in.email = "li.na@huaxing.com";
	in.channel = "repurchase";
	T_OK(t, add(t, T_NOW + 2 * T_HOUR, &in, &result, &out, &rid));
	assert_int_equal(result, FNL_ADD_RETURNING);
	assert_int_equal(out.returning_of, second.id);
	assert_string_equal(out.status, "open");

	/* while that returning lead is open, the next inquiry merges into it */
	in.email = NULL;
	in.phone = "13952100010";
	in.channel = "other";
	int64_t third = out.id;
	T_OK(t, add(t, T_NOW + 3 * T_HOUR, &in, &result, &out, &rid));
	assert_int_equal(result, FNL_ADD_MERGED);
	assert_int_equal(out.id, third);
}

/* ---- assignment ---- */

static void test_round_robin(void **state)
{
	struct tenv *t = *state;
	t_user(t, "u1", "sales", NULL);
	t_user(t, "u2", "sales", NULL);
	t_user(t, "m1", "manager", NULL); /* managers are not in the rotation */
	t_user(t, "mk", "marketing", NULL);
	t_user(t, "u3", "sales", NULL);
	static const char *const first[] = {"u1", "u2", "u3", "u1"};
	for (size_t i = 0; i < 4; i++) {
		char company[32];
		snprintf(company, sizeof company, "轮询公司%zu", i);
		struct fnl_lead l = t_lead(t, T_NOW, company, NULL);
		assert_string_equal(l.owner, first[i]);
	}
	/* deactivate u2: u1 had the last lead, so u3 comes next, then u1 */
	struct fnl_ctx admin = t_admin(t, T_NOW);
	struct fnl_user_change off = {NULL, NULL, NULL, 0};
	T_OK(t, fnl_user_edit(t->db, &admin, "u2", &off, NULL));
	static const char *const then[] = {"u3", "u1", "u3"};
	for (size_t i = 0; i < 3; i++) {
		char company[32];
		snprintf(company, sizeof company, "轮询公司二%zu", i);
		struct fnl_lead l = t_lead(t, T_NOW, company, NULL);
		assert_string_equal(l.owner, then[i]);
	}
	/* an invalid lead takes no turn */
	struct fnl_lead_input in = {0};
	in.company = "无效";
	in.contact = "某";
	in.phone = "12345";
	in.channel = "website";
	int result;
	int64_t rid;
	struct fnl_lead l;
	T_OK(t, add(t, T_NOW, &in, &result, &l, &rid));
	assert_int_equal(result, FNL_ADD_INVALID);
	l = t_lead(t, T_NOW, "轮询公司三", NULL);
	assert_string_equal(l.owner, "u1");
}

static void test_sales_capture_keeps_lead(void **state)
{
	struct tenv *t = *state;
	t_user(t, "u1", "sales", NULL);
	int64_t u2 = t_user(t, "u2", "sales", NULL);
	int64_t mk = t_user(t, "mk", "marketing", NULL);
	/* the round-robin would give the next lead to u1; u2 captured it, u2 keeps it */
	struct fnl_ctx c = tctx(T_NOW, u2);
	struct fnl_lead l = t_lead_as(t, &c, "自拓客户有限公司", "周敏", NULL);
	assert_string_equal(l.owner, "u2");
	/* and the rotation is untouched: marketing's next lead still goes to u1 */
	c = tctx(T_NOW, mk);
	l = t_lead_as(t, &c, "市场线索有限公司", "吴杰", NULL);
	assert_string_equal(l.owner, "u1");
}

static void test_text_kept_as_written(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead_input in = {0};
	in.company = "　上海某某（集团）有限公司　";
	in.contact = "王伟";
	in.phone = "１３９５２０００９９９";
	in.email = "ＷＡＮＧ＠ｅｘａｍｐｌｅ．ｃｏｍ";
	in.notes = "预算约50万，年底前决策。";
	in.channel = "website";
	int result;
	int64_t rid;
	struct fnl_lead l;
	T_OK(t, add(t, T_NOW, &in, &result, &l, &rid));
	assert_int_equal(result, FNL_ADD_CREATED);
	/* names and notes keep their Chinese punctuation; identifiers are folded to ASCII */
	assert_string_equal(l.company, "上海某某（集团）有限公司");
	assert_string_equal(l.notes, "预算约50万，年底前决策。");
	assert_string_equal(l.phone, "13952000999");
	assert_string_equal(l.email, "WANG@example.com");
	/* the duplicate key still folds: the half-width spelling is the same company */
	in.company = "上海某某(集团)有限公司";
	in.phone = "13952000998";
	in.email = "";
	T_OK(t, add(t, T_NOW, &in, &result, &l, &rid));
	assert_int_equal(result, FNL_ADD_MERGED);
}

static void test_no_sales_users(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead l = t_lead(t, T_NOW, "无人公司", NULL);
	assert_string_equal(l.owner, "");
	assert_int_equal(l.owner_id, 0);
}

static void test_explicit_owner(void **state)
{
	struct tenv *t = *state;
	t_user(t, "u1", "sales", NULL);
	int64_t u2 = t_user(t, "u2", "sales", NULL);
	t_user(t, "m1", "manager", NULL);
	t_user(t, "mk", "marketing", NULL);
	struct fnl_lead l = t_lead(t, T_NOW, "指定公司", "u2");
	assert_string_equal(l.owner, "u2");
	assert_int_equal(l.owner_id, u2);
	l = t_lead(t, T_NOW, "指定公司二", "m1"); /* a manager may own leads */
	assert_string_equal(l.owner, "m1");
	/* the rotation did not move: the next round-robin lead goes to u1 */
	l = t_lead(t, T_NOW, "指定公司三", NULL);
	assert_string_equal(l.owner, "u1");

	static const char *const bad[] = {"nobody", "mk", "admin"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct fnl_lead_input in = {0};
		in.company = "坏主人公司";
		in.contact = "某";
		in.phone = "13952100020";
		in.channel = "website";
		in.owner = bad[i];
		int result = 0;
		int64_t rid = 0;
		T_RC(t, add(t, T_NOW, &in, &result, &l, &rid), FNL_EINVAL);
		assert_string_equal(fnl_errfield(t->db), "owner");
		assert_int_equal(result, 0);
		assert_int_equal(rid, 0);
	}
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM lead"), 3);
}

/* ---- required fields ---- */

struct required_case {
	const char *company, *contact, *channel;
	const char *field;
};

static const struct required_case required_cases[] = {
	{NULL, "张三", "website", "company"},  {"", "张三", "website", "company"},
	{"  ", "张三", "website", "company"},   {"某公司", NULL, "website", "contact"},
	{"某公司", "", "website", "contact"},   {"某公司", "张三", NULL, "channel"},
	{"某公司", "张三", "", "channel"},      {"某公司", "张三", "fax", "channel"},
	{"某公司", "张三", "Website", "channel"},
};

static void test_required_fields(void **state)
{
	struct tenv *t = *state;
	for (size_t i = 0; i < sizeof required_cases / sizeof required_cases[0]; i++) {
		const struct required_case *r = &required_cases[i];
		struct fnl_lead_input in = {0};
		in.company = r->company;
		in.contact = r->contact;
		in.channel = r->channel;
		in.phone = "13952100030";
		int result;
		int64_t rid;
		struct fnl_lead l;
		T_RC(t, add(t, T_NOW, &in, &result, &l, &rid), FNL_EINVAL);
		if (strcmp(fnl_errfield(t->db), r->field) != 0)
			fail_msg("case %zu: field '%s', expected '%s'", i, fnl_errfield(t->db), r->field);
	}
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM lead"), 0);

	/* too long: a company of 256 bytes (the limit is 255) */
	char longname[300];
	memset(longname, 'a', 256);
	longname[256] = '\0';
	struct fnl_lead_input in = {0};
	in.company = longname;
	in.contact = "张三";
	in.channel = "website";
	in.phone = "13952100031";
	int result;
	int64_t rid;
	struct fnl_lead l;
	T_RC(t, add(t, T_NOW, &in, &result, &l, &rid), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "company");
	longname[255] = '\0';
	T_OK(t, add(t, T_NOW, &in, &result, &l, &rid));
	assert_int_equal(strlen(l.company), 255);

	/* bytes that are not UTF-8 (a lone continuation byte, an overlong form, a surrogate, a cut
	 * character) are refused, naming the field; nothing is written */
	static const char *const not_utf8[] = {"Acme\xff Co", "\xc0\xaf", "\xed\xa0\x80", "\xe7\x8e"};
	int64_t before = t_sql_int(t, "SELECT count(*) FROM lead");
	for (size_t i = 0; i < sizeof not_utf8 / sizeof not_utf8[0]; i++) {
		in.company = not_utf8[i];
		in.phone = "13952100033";
		T_RC(t, add(t, T_NOW, &in, &result, &l, &rid), FNL_EINVAL);
		assert_string_equal(fnl_errfield(t->db), "company");
		assert_string_equal(fnl_errmsg(t->db), "company: not UTF-8 text");
		in.company = "编码公司";
		in.notes = not_utf8[i];
		T_RC(t, add(t, T_NOW, &in, &result, &l, &rid), FNL_EINVAL);
		assert_string_equal(fnl_errfield(t->db), "notes");
		in.notes = NULL;
	}
	assert_int_equal(t_sql_int(t, "SELECT count(*) FROM lead"), before);

	/* an amount at capture is refused: it is set from qualify on */
	in.company = "金额公司";
	in.phone = "13952100032";
	in.has_amount = 1;
	in.amount = 100000;
	T_RC(t, add(t, T_NOW, &in, &result, &l, &rid), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "amount");
}

static void test_captured_at(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead_input in = {0};
	in.company = "时间公司";
	in.contact = "孙八";
	in.phone = "13952100040";
	in.channel = "trade_show";
	in.has_captured_at = 1;
	in.captured_at = T_NOW + 1; /* one second in the future */
	int result;
	int64_t rid;
	struct fnl_lead l;
	T_RC(t, add(t, T_NOW, &in, &result, &l, &rid), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "captured-at");
	assert_non_null(strstr(fnl_errmsg(t->db), "2026-11-29T10:00:01+08:00"));

	/* exactly now, and in the past (a trade-show card typed in three days later) */
	in.captured_at = T_NOW;
	T_OK(t, add(t, T_NOW, &in, &result, &l, &rid));
	assert_int_equal(l.captured_at, T_NOW);
	in.company = "时间公司二";
	in.phone = "13952100041";
	in.captured_at = T_NOW - 3 * T_DAY;
	T_OK(t, add(t, T_NOW, &in, &result, &l, &rid));
	assert_int_equal(l.captured_at, T_NOW - 3 * T_DAY);
	assert_int_equal(l.created_at, T_NOW);
	/* the capture event is at the capture time */
	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_stage_event *e;
	size_t n;
	T_OK(t, fnl_lead_events(t->db, &c, l.id, &e, &n));
	assert_int_equal(n, 1);
	assert_string_equal(e[0].kind, "capture");
	assert_int_equal(e[0].at, T_NOW - 3 * T_DAY);
	free(e);
	/* not given: now */
	in.company = "时间公司三";
	in.phone = "13952100042";
	in.has_captured_at = 0;
	T_OK(t, add(t, T_NOW, &in, &result, &l, &rid));
	assert_int_equal(l.captured_at, T_NOW);
}

/* ---- edits ---- */

static void test_edit(void **state)
{
	struct tenv *t = *state;
	struct fnl_ctx c = t_sys(T_NOW + T_HOUR);
	struct fnl_lead l = t_lead(t, T_NOW - T_DAY, "编辑公司", NULL), out;
	char phone_before[40];
	snprintf(phone_before, sizeof phone_before, "%s", l.phone);

	/* amount only from qualify on */
	struct fnl_lead_input in = {0};
	in.has_amount = 1;
	in.amount = 12800050; /* 128000.50 yuan */
	T_RC(t, fnl_lead_edit(t->db, &c, l.id, &in, &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "amount");
	struct fnl_lead_input cm = {0};
	cm.close_month = "2027-03";
	T_RC(t, fnl_lead_edit(t->db, &c, l.id, &cm, &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "close");
	t_score(t, l.id, T_NOW, 3, 3, 3, 3);
	T_OK(t, fnl_lead_edit(t->db, &c, l.id, &in, &out));
	assert_int_equal(out.has_amount, 1);
	assert_int_equal(out.amount, 12800050);
	T_OK(t, fnl_lead_edit(t->db, &c, l.id, &cm, &out));
	assert_string_equal(out.close_month, "2027-03");
	assert_int_equal(out.amount, 12800050);
	cm.close_month = "2027-13";
	T_RC(t, fnl_lead_edit(t->db, &c, l.id, &cm, &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "close");
	in.amount = -1;
	T_RC(t, fnl_lead_edit(t->db, &c, l.id, &in, &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "amount");
	/* clear it */
	struct fnl_lead_input clr = {0};
	clr.has_amount = -1;
	T_OK(t, fnl_lead_edit(t->db, &c, l.id, &clr, &out));
	assert_int_equal(out.has_amount, 0);

	/* a bad phone on edit is refused naming 'phone'; the lead keeps its phone */
	struct fnl_lead_input ph = {0};
	ph.phone = "12345";
	T_RC(t, fnl_lead_edit(t->db, &c, l.id, &ph, &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "phone");
	ph.phone = "13800138000";
	T_RC(t, fnl_lead_edit(t->db, &c, l.id, &ph, &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "phone");
	assert_string_equal(t_get(t, l.id).phone, phone_before);
	/* a good one is normalised */
	ph.phone = "+86 139-5210-0050";
	T_OK(t, fnl_lead_edit(t->db, &c, l.id, &ph, &out));
	assert_string_equal(out.phone, "13952100050");

	/* removing the only contact is refused */
	ph.phone = "";
	T_RC(t, fnl_lead_edit(t->db, &c, l.id, &ph, &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "phone");
	assert_string_equal(t_get(t, l.id).phone, "13952100050");
	/* with an email added first, the phone can go */
	struct fnl_lead_input em = {0};
	em.email = "a@b";
	T_RC(t, fnl_lead_edit(t->db, &c, l.id, &em, &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "email");
	em.email = "buyer@example.com";
	T_OK(t, fnl_lead_edit(t->db, &c, l.id, &em, &out));
	T_OK(t, fnl_lead_edit(t->db, &c, l.id, &ph, &out));
	assert_string_equal(out.phone, "");
	assert_string_equal(out.email, "buyer@example.com");

	/* owner and capture time are not edited here */
	struct fnl_lead_input ow = {0};
	ow.owner = "admin";
	T_RC(t, fnl_lead_edit(t->db, &c, l.id, &ow, &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "owner");
	struct fnl_lead_input cap = {0};
	cap.has_captured_at = 1;
	cap.captured_at = T_NOW - 10 * T_DAY;
	T_RC(t, fnl_lead_edit(t->db, &c, l.id, &cap, &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "captured-at");
}

static void test_edit_makes_duplicate_key(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead a = t_lead(t, T_NOW - T_DAY, "编辑甲", NULL);
	struct fnl_lead b = t_lead(t, T_NOW - T_DAY, "编辑乙", NULL), out;
	/* after an edit, b is found by its new email */
	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_lead_input em = {0};
	em.email = "Boss@Yi.cn";
	T_OK(t, fnl_lead_edit(t->db, &c, b.id, &em, &out));
	struct fnl_lead_input in = {0};
	in.company = "新来的";
	in.contact = "某";
	in.email = "boss@yi.cn";
	in.channel = "website";
	int result;
	int64_t rid;
	T_OK(t, add(t, T_NOW, &in, &result, &out, &rid));
	assert_int_equal(result, FNL_ADD_MERGED);
	assert_int_equal(out.id, b.id);
	(void)a;
}

static void test_edit_invalid_or_merged_refused(void **state)
{
	struct tenv *t = *state;
	struct fnl_lead_input in = {0};
	in.company = "坏号码";
	in.contact = "某";
	in.phone = "12345";
	in.channel = "website";
	int result;
	int64_t rid;
	struct fnl_lead l;
	T_OK(t, add(t, T_NOW, &in, &result, &l, &rid));
	assert_int_equal(result, FNL_ADD_INVALID);
	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_lead_input ph = {0};
	ph.phone = "13952100060";
	T_RC(t, fnl_lead_edit(t->db, &c, rid, &ph, &l), FNL_ESTATE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_invalid_reasons),
		T_TEST(test_non_target_industry),
		T_TEST(test_phone_normalised),
		T_TEST(test_duplicates_merge),
		T_TEST(test_duplicate_of_nurture_merges),
		T_TEST(test_wechat_keys),
		T_TEST(test_returning_customer),
		T_TEST(test_round_robin),
		T_TEST(test_sales_capture_keeps_lead),
		T_TEST(test_text_kept_as_written),
		T_TEST(test_no_sales_users),
		T_TEST(test_explicit_owner),
		T_TEST(test_required_fields),
		T_TEST(test_captured_at),
		T_TEST(test_edit),
		T_TEST(test_edit_makes_duplicate_key),
		T_TEST(test_edit_invalid_or_merged_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
