/*
 * tests/unit/test_sale.c - the stage gates (SPEC §2, core/gate.c, core/stage.c), forcing past them,
 * the printable document of the needs list and solution (io/document.c), and that failing sale
 * calls change nothing. The needs list is in test_needs.c, quotes and money in test_quote.c, the
 * deal and after-sales in test_deal.c.
 *
 * Default pipeline: 1 acquire, 2 qualify, 3 discover, 4 propose, 5 negotiate, 6 won. Gates (on by
 * default): entering propose needs a confirmed needs list, negotiate a solution item, won a deal.
 * The organisation: team east (manager m1, sales s1), team west (manager m2, sales s3), after-sales
 * af. Leads are captured and scored B on Friday 2026-11-27 and worked on Sunday 2026-11-29 (T_NOW).
 */
#include "testutil.h"

#include "snapshot.h"

struct org {
	int64_t m1, s1, m2, s3, af;
};

static struct org org(struct tenv *t)
{
	struct org o;
	o.m1 = t_user(t, "m1", "manager", "east");
	o.s1 = t_user(t, "s1", "sales", "east");
	o.m2 = t_user(t, "m2", "manager", "west");
	o.s3 = t_user(t, "s3", "sales", "west");
	o.af = t_user(t, "af", "aftersales", NULL);
	return o;
}

/* A lead of owner scored B at T_FRI: open, at qualify, no needs list. */
static struct fnl_lead qualified(struct tenv *t, const char *company, const char *owner)
{
	struct fnl_lead l = t_lead(t, T_FRI - T_HOUR, company, owner);
	struct fnl_lead s = t_score(t, l.id, T_FRI, 2, 2, 2, 2);
	assert_string_equal(s.stage, "qualify");
	return s;
}

/* The handle's last error message is exactly fmt (printf-style: the lead id). */
#define T_MSG(t, ...)                                                          \
	do {                                                                   \
		char want_[512];                                               \
		snprintf(want_, sizeof want_, __VA_ARGS__);                    \
		assert_string_equal(fnl_errmsg((t)->db), want_);               \
	} while (0)

static void need(struct tenv *t, const struct fnl_ctx *c, int64_t id, const char *text, int priority)
{
	struct fnl_needs nd;
	T_OK(t, fnl_needs_add(t->db, c, id, text, priority, NULL, 0, &nd));
	fnl_needs_free(&nd);
}

static void confirm(struct tenv *t, const struct fnl_ctx *c, int64_t id)
{
	struct fnl_needs nd;
	T_OK(t, fnl_needs_confirm(t->db, c, id, 0, "phone", 0, &nd));
	assert_true(nd.confirmed_at > 0);
	fnl_needs_free(&nd);
}

static void solution(struct tenv *t, const struct fnl_ctx *c, int64_t id, int num)
{
	struct fnl_solution_item s;
	T_OK(t, fnl_solution_add(t->db, c, id, num, "线索自动分配", "不漏跟进", "", "", "", &s));
	assert_int_equal(s.need_num, num);
}

static size_t n_events(struct tenv *t, int64_t id)
{
	struct fnl_ctx c = t_sys(T_NOW);
	struct fnl_stage_event *e;
	size_t n;
	T_OK(t, fnl_lead_events(t->db, &c, id, &e, &n));
	free(e);
	return n;
}

/* The audit entries of a lead with action: how many, and (when after is not NULL) the parsed
 * "after" object and user of the last one. */
static size_t audit_find(struct tenv *t, int64_t lead, const char *action, json_t **after, char *user)
{
	struct fnl_ctx admin = t_admin(t, T_NOW + T_DAY);
	struct fnl_audit_entry *a;
	size_t n, k = 0;
	T_OK(t, fnl_audit_list(t->db, &admin, lead, 0, &a, &n));
	if (after)
		*after = NULL;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(a[i].action, action) != 0)
			continue;
		k++;
		if (after) {
			json_decref(*after);
			json_error_t e;
			*after = a[i].after ? json_loads(a[i].after, 0, &e) : NULL;
			assert_non_null(*after);
			snprintf(user, FNL_KEY_LEN, "%s", a[i].user);
			assert_string_equal(a[i].entity, "lead");
		}
	}
	fnl_audit_free(a, n);
	return k;
}

/* ---- each gate refuses, then passes ---- */

static void test_gates_one_by_one(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = qualified(t, "闸门科技有限公司", "s1"), out;
	struct fnl_ctx c = tctx(T_NOW, o.s1);
	long long id = (long long)l.id;
	/* the first stages have no gate */
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "discover", "", &out));

	/* propose: no list at all */
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "propose", "", &out), FNL_EGATE);
	assert_string_equal(fnl_errfield(t->db), "to");
	T_MSG(t, "cannot move lead %lld to 'propose': gate 'propose': no customer needs list", id);
	assert_string_equal(t_get(t, l.id).stage, "discover");
	/* a draft is not enough */
	need(t, &c, l.id, "统一管理各渠道线索", 1);
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "propose", "", &out), FNL_EGATE);
	T_MSG(t, "cannot move lead %lld to 'propose': gate 'propose': needs list not confirmed by the customer", id);
	assert_string_equal(t_get(t, l.id).stage, "discover");
	confirm(t, &c, l.id);
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "propose", "", &out));
	assert_string_equal(out.stage, "propose");
	assert_string_equal(out.status, "open");

	/* negotiate: a solution item */
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "negotiate", "", &out), FNL_EGATE);
	T_MSG(t, "cannot move lead %lld to 'negotiate': gate 'negotiate': no solution item", id);
	assert_string_equal(t_get(t, l.id).stage, "propose");
	solution(t, &c, l.id, 1);
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "negotiate", "", &out));
	assert_string_equal(out.stage, "negotiate");

	/* won: a deal; the deal itself is what passes it */
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "won", "", &out), FNL_EGATE);
	T_MSG(t, "cannot move lead %lld to 'won': gate 'won': no deal with contract amount and date", id);
	assert_string_equal(t_get(t, l.id).status, "open");
	T_OK(t, fnl_deal_close(t->db, &c, l.id, "HT-001", INT64_C(50000000), "2026-11-29", "", 0, &out));
	assert_string_equal(out.stage, "won");
	assert_string_equal(out.status, "won");
	/* capture, score, discover, propose, negotiate, won: refusals left no event */
	assert_int_equal(n_events(t, l.id), 6);
	/* nothing was forced */
	assert_int_equal(audit_find(t, l.id, "force_gate", NULL, NULL), 0);
}

static void test_propose_gate_wants_newest_version_confirmed(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = qualified(t, "改版科技有限公司", "s1"), out;
	struct fnl_ctx c = tctx(T_NOW, o.s1);
	long long id = (long long)l.id;
	need(t, &c, l.id, "线索统一管理", 1);
	confirm(t, &c, l.id);
	/* an edit after confirmation starts version 2, a draft: the list is unconfirmed again */
	T_OK(t, fnl_needs_edit(t->db, &c, l.id, 1, NULL, 2, NULL, 0, NULL));
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "propose", "", &out), FNL_EGATE);
	T_MSG(t, "cannot move lead %lld to 'propose': gate 'propose': needs list not confirmed by the customer", id);
	assert_string_equal(t_get(t, l.id).stage, "qualify");
	confirm(t, &c, l.id);
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "propose", "", &out));
	assert_string_equal(out.stage, "propose");
}

static void test_gate_skip_checks_every_gate(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = qualified(t, "跳级科技有限公司", "s1"), out;
	struct fnl_ctx c = tctx(T_NOW, o.s1);
	long long id = (long long)l.id;
	/* qualify -> negotiate passes through propose: both gates are checked and named */
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "negotiate", "", &out), FNL_EGATE);
	T_MSG(t, "cannot move lead %lld to 'negotiate': gate 'propose': no customer needs list; gate 'negotiate':"
		 " no solution item", id);
	/* qualify -> won: all three */
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "won", "", &out), FNL_EGATE);
	T_MSG(t, "cannot move lead %lld to 'won': gate 'propose': no customer needs list; gate 'negotiate':"
		 " no solution item; gate 'won': no deal with contract amount and date", id);
	/* with the list confirmed only the negotiate gate is left */
	need(t, &c, l.id, "移动端审批", 2);
	confirm(t, &c, l.id);
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "negotiate", "", &out), FNL_EGATE);
	T_MSG(t, "cannot move lead %lld to 'negotiate': gate 'negotiate': no solution item", id);
	/* a skip to propose passes (discover has no gate) */
	struct fnl_lead l2 = qualified(t, "跳级二号有限公司", "s1");
	need(t, &c, l2.id, "报表", 3);
	confirm(t, &c, l2.id);
	T_OK(t, fnl_lead_move(t->db, &c, l2.id, "propose", "", &out));
	assert_string_equal(out.reached, "propose");
	/* and with a solution the skip to negotiate passes */
	solution(t, &c, l.id, 1);
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "negotiate", "", &out));
	assert_string_equal(out.stage, "negotiate");
	assert_int_equal(out.reached_pos, 5);
	assert_string_equal(t_get(t, l.id).stage, "negotiate");
}

static void test_gates_switched_off(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = qualified(t, "关闸科技有限公司", "s1"), out;
	struct fnl_ctx c = tctx(T_NOW, o.s1);
	char v[8];
	T_OK(t, fnl_config_get(t->db, "gate.propose", v, sizeof v));
	assert_string_equal(v, "on");
	T_OK(t, fnl_config_get(t->db, "gate.negotiate", v, sizeof v));
	assert_string_equal(v, "on");
	T_OK(t, fnl_config_get(t->db, "gate.won", v, sizeof v));
	assert_string_equal(v, "on");

	t_config(t, "gate.propose", "off");
	T_OK(t, fnl_config_get(t->db, "gate.propose", v, sizeof v));
	assert_string_equal(v, "off");
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "propose", "", &out)); /* no needs list */
	assert_string_equal(out.stage, "propose");
	/* the other gates are still on */
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "negotiate", "", &out), FNL_EGATE);
	T_MSG(t, "cannot move lead %lld to 'negotiate': gate 'negotiate': no solution item", (long long)l.id);
	t_config(t, "gate.negotiate", "off");
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "negotiate", "", &out));
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "won", "", &out), FNL_EGATE);
	t_config(t, "gate.won", "off");
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "won", "", &out));
	assert_string_equal(out.status, "won");
	struct fnl_deal d;
	T_RC(t, fnl_deal_get(t->db, &c, l.id, &d), FNL_ENOTFOUND);

	/* on again: refused again */
	t_config(t, "gate.propose", "on");
	struct fnl_lead l2 = qualified(t, "开闸科技有限公司", "s1");
	T_RC(t, fnl_lead_move(t->db, &c, l2.id, "propose", "", &out), FNL_EGATE);
	T_MSG(t, "cannot move lead %lld to 'propose': gate 'propose': no customer needs list", (long long)l2.id);
	/* a bad value is refused */
	struct fnl_ctx admin = t_admin(t, T_NOW);
	T_RC(t, fnl_config_set(t->db, &admin, "gate.won", "maybe"), FNL_EINVAL);
	T_OK(t, fnl_config_get(t->db, "gate.won", v, sizeof v));
	assert_string_equal(v, "off");
}

static void test_moving_back_is_not_gated(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = qualified(t, "回退科技有限公司", "s1"), out;
	/* forced to negotiate: no needs list, no solution */
	struct fnl_ctx m = tctx(T_NOW, o.m1);
	T_OK(t, fnl_lead_force(t->db, &m, l.id, "negotiate", "客户直接要报价", &out));
	assert_string_equal(out.stage, "negotiate");
	/* back into propose, whose gate would refuse a forward move */
	struct fnl_ctx c = tctx(T_NOW + T_HOUR, o.s1);
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "propose", "先补需求清单", &out));
	assert_string_equal(out.stage, "propose");
	assert_int_equal(out.reached_pos, 5);
	T_OK(t, fnl_lead_move(t->db, &c, l.id, "discover", "重新调研", &out));
	assert_string_equal(out.stage, "discover");
	/* a back move still needs its note (that check is not a gate) */
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "qualify", "", &out), FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "note");
	/* forward again: gated again */
	T_RC(t, fnl_lead_move(t->db, &c, l.id, "propose", "", &out), FNL_EGATE);
	T_MSG(t, "cannot move lead %lld to 'propose': gate 'propose': no customer needs list", (long long)l.id);
	assert_string_equal(t_get(t, l.id).stage, "discover");
}

/* ---- forcing past the gates ---- */

static void assert_forced(json_t *after, const char *to, const char *const *gates, const char *const *missing,
			  size_t n)
{
	assert_non_null(after);
	assert_string_equal(json_string_value(json_object_get(after, "to")), to);
	json_t *g = json_object_get(after, "gates");
	assert_true(json_is_array(g));
	assert_int_equal(json_array_size(g), n);
	for (size_t i = 0; i < n; i++) {
		json_t *e = json_array_get(g, i);
		assert_string_equal(json_string_value(json_object_get(e, "gate")), gates[i]);
		assert_string_equal(json_string_value(json_object_get(e, "missing")), missing[i]);
	}
}

static void test_force_by_manager_and_admin(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = qualified(t, "强推科技有限公司", "s1"), out;
	/* the manager of the owner's team: qualify -> won past all three gates */
	struct fnl_ctx m = tctx(T_NOW, o.m1);
	T_OK(t, fnl_lead_force(t->db, &m, l.id, "won", "老客户口头确认，合同后补", &out));
	assert_string_equal(out.status, "won");
	assert_string_equal(out.stage, "won");
	assert_int_equal(out.won_at, T_NOW);
	json_t *after;
	char user[FNL_KEY_LEN];
	assert_int_equal(audit_find(t, l.id, "force_gate", &after, user), 1);
	assert_string_equal(user, "m1");
	static const char *const g3[] = {"propose", "negotiate", "won"};
	static const char *const m3[] = {"no customer needs list", "no solution item",
					 "no deal with contract amount and date"};
	assert_forced(after, "won", g3, m3, 3);
	json_decref(after);
	/* the move itself is a normal win event */
	struct fnl_stage_event *e;
	size_t n;
	T_OK(t, fnl_lead_events(t->db, &m, l.id, &e, &n));
	assert_int_equal(n, 3);
	assert_string_equal(e[2].kind, "forward");
	assert_string_equal(e[2].to, "won");
	assert_string_equal(e[2].user, "m1");
	assert_string_equal(e[2].note, "老客户口头确认，合同后补");
	free(e);

	/* the admin: only the failing gate is listed (the list is confirmed, a draft stays a draft) */
	struct fnl_lead l2 = qualified(t, "管理员强推有限公司", "s3");
	struct fnl_ctx s3 = tctx(T_NOW, o.s3);
	need(t, &s3, l2.id, "统一管理各渠道线索", 1);
	struct fnl_ctx admin = t_admin(t, T_NOW);
	T_OK(t, fnl_lead_force(t->db, &admin, l2.id, "propose", "", &out));
	assert_string_equal(out.stage, "propose");
	assert_int_equal(audit_find(t, l2.id, "force_gate", &after, user), 1);
	assert_string_equal(user, "admin");
	static const char *const g1[] = {"propose"};
	static const char *const m1[] = {"needs list not confirmed by the customer"};
	assert_forced(after, "propose", g1, m1, 1);
	json_decref(after);

	/* forcing a move whose gates pass records no forced gate */
	struct fnl_lead l3 = qualified(t, "无需强推有限公司", "s1");
	t_ready_for(t, l3.id, "propose");
	T_OK(t, fnl_lead_force(t->db, &m, l3.id, "propose", "", &out));
	assert_string_equal(out.stage, "propose");
	assert_int_equal(audit_find(t, l3.id, "force_gate", NULL, NULL), 0);

	/* fnl_deal_close with force by a manager: the deal is there, so only propose and negotiate */
	struct fnl_lead l4 = qualified(t, "强推成交有限公司", "s1");
	T_OK(t, fnl_deal_close(t->db, &m, l4.id, "HT-404", INT64_C(100), "2026-11-29", NULL, 1, &out));
	assert_string_equal(out.status, "won");
	assert_int_equal(audit_find(t, l4.id, "force_gate", &after, user), 1);
	assert_string_equal(user, "m1");
	static const char *const g2[] = {"propose", "negotiate"};
	static const char *const m2[] = {"no customer needs list", "no solution item"};
	assert_forced(after, "won", g2, m2, 2);
	json_decref(after);
}

static void test_force_refused(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = qualified(t, "不许强推有限公司", "s1"), out;
	/* the owner, a sales user */
	struct fnl_ctx s1 = tctx(T_NOW, o.s1);
	EXPECT_UNCHANGED(t, fnl_lead_force(t->db, &s1, l.id, "won", "", &out), FNL_EPERM);
	assert_string_equal(fnl_errfield(t->db), "as");
	EXPECT_UNCHANGED(t, fnl_lead_force(t->db, &s1, l.id, "propose", "", &out), FNL_EPERM);
	/* the manager of another team */
	struct fnl_ctx m2 = tctx(T_NOW, o.m2);
	EXPECT_UNCHANGED(t, fnl_lead_force(t->db, &m2, l.id, "won", "", &out), FNL_EPERM);
	/* after-sales */
	struct fnl_ctx af = tctx(T_NOW, o.af);
	EXPECT_UNCHANGED(t, fnl_lead_force(t->db, &af, l.id, "won", "", &out), FNL_EPERM);
	/* a deal with force by a sales user, even with the gates satisfied */
	t_ready_for(t, l.id, "negotiate");
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &s1, l.id, "HT-1", INT64_C(100), "2026-11-29", NULL, 1, &out),
			 FNL_EPERM);
	/* by a manager of another team */
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &m2, l.id, "HT-1", INT64_C(100), "2026-11-29", NULL, 1, &out),
			 FNL_EPERM);
	struct fnl_lead now = t_get(t, l.id);
	assert_string_equal(now.stage, "qualify");
	assert_string_equal(now.status, "open");
	assert_int_equal(audit_find(t, l.id, "force_gate", NULL, NULL), 0);
	/* without force the sales user closes it: the gates pass */
	T_OK(t, fnl_deal_close(t->db, &s1, l.id, "HT-1", INT64_C(100), "2026-11-29", NULL, 0, &out));
	assert_string_equal(out.status, "won");
}

/* ---- the printable document ---- */

/* A copy of the table row (<tr> ... </tr>) of html in which needle first occurs; NULL when none. */
static char *row_of(const char *html, const char *needle)
{
	const char *p = strstr(html, needle);
	if (!p)
		return NULL;
	const char *start = NULL;
	for (const char *q = html; (q = strstr(q, "<tr>")) && q < p; q++)
		start = q;
	const char *end = strstr(p, "</tr>");
	if (!start || !end)
		return NULL;
	size_t n = (size_t)(end - start) + 5;
	char *r = malloc(n + 1);
	assert_non_null(r);
	memcpy(r, start, n);
	r[n] = '\0';
	return r;
}

static void assert_row(const char *html, const char *needle, const char *cell)
{
	char *r = row_of(html, needle);
	if (!r)
		fail_msg("no row with '%s' in the document", needle);
	int found = strstr(r, cell) != NULL;
	char shown[512];
	snprintf(shown, sizeof shown, "%s", r);
	free(r);
	if (!found)
		fail_msg("row '%s' lacks '%s'", shown, cell);
}

static void assert_has(const char *html, const char *s)
{
	if (!strstr(html, s))
		fail_msg("the document lacks '%s'", s);
}

static void assert_lacks(const char *html, const char *s)
{
	if (strstr(html, s))
		fail_msg("the document has '%s'", s);
}

static char *document(struct tenv *t, const struct fnl_ctx *c, int64_t id, const char *lang)
{
	char *html = NULL;
	size_t len = 0;
	T_OK(t, fnl_lead_document(t->db, c, id, lang, &html, &len));
	assert_non_null(html);
	assert_int_equal(len, strlen(html));
	assert_true(strncmp(html, "<!DOCTYPE html>", 15) == 0);
	assert_non_null(strstr(html, "</html>"));
	return html;
}

static void test_document(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = qualified(t, "文档科技有限公司", "s1");
	struct fnl_ctx c = tctx(T_NOW, o.s1);
	struct fnl_contact li;
	T_OK(t, fnl_contact_add(t->db, &c, l.id, "李娜", "采购总监", "decision_maker", "", "", "", &li));
	struct fnl_spin sp;
	T_OK(t, fnl_spin_add(t->db, &c, l.id, "P", "现在线索怎么分配？", "靠手工，经常漏", &sp));
	struct fnl_needs nd;
	T_OK(t, fnl_needs_add(t->db, &c, l.id, "统一管理各渠道线索", 1, &sp.id, 1, &nd));
	fnl_needs_free(&nd);
	need(t, &c, l.id, "报表<b>&汇总", 2);
	need(t, &c, l.id, "移动端审批", 3);
	struct fnl_solution_item s;
	T_OK(t, fnl_solution_add(t->db, &c, l.id, 1, "线索自动分配", "跟进更及时", "30", "%", "华星科技", &s));
	T_OK(t, fnl_solution_add(t->db, &c, l.id, 2, "自动报表", "每周省下人工", "8", "hours/week", "", &s));

	/* a draft: marked as not confirmed */
	char *zh = document(t, &c, l.id, "zh");
	assert_has(zh, "<html lang=\"zh-CN\">");
	assert_has(zh, "文档科技有限公司");
	assert_has(zh, "张伟");
	assert_has(zh, "v1");
	assert_has(zh, "未经客户确认（草稿）");
	free(zh);
	char *en = document(t, &c, l.id, "en");
	assert_has(en, "Not confirmed by the customer (draft)");
	assert_has(en, "v1");
	free(en);

	/* a confirmation cannot predate the list it confirms (written at T_NOW, Sunday 11-29) */
	T_RC(t, fnl_needs_confirm(t->db, &c, l.id, li.id, "meeting", t_time(t, "2026-11-28T15:00:00+08:00"), &nd),
	     FNL_EINVAL);
	assert_string_equal(fnl_errfield(t->db), "at");
	/* confirmed by 李娜 in a meeting on Monday 2026-11-30, recorded the day after */
	struct fnl_ctx later = c;
	later.now = t_time(t, "2026-12-01T09:00:00+08:00");
	int64_t at = t_time(t, "2026-11-30T15:00:00+08:00");
	T_OK(t, fnl_needs_confirm(t->db, &later, l.id, li.id, "meeting", at, &nd));
	assert_int_equal(nd.confirmed_at, at);
	fnl_needs_free(&nd);
	zh = document(t, &c, l.id, "zh");
	assert_has(zh, "文档科技有限公司");
	assert_has(zh, "<td>张伟</td>"); /* the lead's contact */
	assert_has(zh, "<td>v1</td>");
	assert_has(zh, "2026-11-30");
	assert_has(zh, "李娜");
	assert_has(zh, "会议");
	assert_lacks(zh, "未经客户确认");
	assert_row(zh, "<td>统一管理各渠道线索</td>", "<td>高</td>");
	assert_row(zh, "<td>统一管理各渠道线索</td>", "<td>N1</td>");
	assert_row(zh, "<td>统一管理各渠道线索</td>", "#");
	assert_row(zh, "<td>报表&lt;b&gt;&amp;汇总</td>", "<td>中</td>");
	assert_row(zh, "<td>移动端审批</td>", "<td>低</td>");
	assert_lacks(zh, "<b>&");
	assert_lacks(zh, "报表<b>");
	/* the solution: need, function, value with its figure and unit, case */
	assert_row(zh, "线索自动分配", "N1 统一管理各渠道线索");
	assert_row(zh, "线索自动分配", "跟进更及时");
	assert_row(zh, "线索自动分配", "30 %");
	assert_row(zh, "线索自动分配", "华星科技");
	assert_row(zh, "自动报表", "N2 报表&lt;b&gt;&amp;汇总");
	assert_row(zh, "自动报表", "8 hours/week");
	free(zh);

	en = document(t, &c, l.id, "en");
	assert_has(en, "<html lang=\"en\">");
	assert_has(en, "文档科技有限公司");
	assert_has(en, "<td>v1</td>");
	assert_has(en, "2026-11-30");
	assert_has(en, "李娜");
	assert_has(en, "via meeting");
	assert_lacks(en, "Not confirmed");
	assert_row(en, "<td>统一管理各渠道线索</td>", "<td>High</td>");
	assert_row(en, "<td>报表&lt;b&gt;&amp;汇总</td>", "<td>Medium</td>");
	assert_row(en, "<td>移动端审批</td>", "<td>Low</td>");
	assert_row(en, "线索自动分配", "30 %");
	assert_row(en, "线索自动分配", "华星科技");
	free(en);

	/* an edit starts v2, a draft: the document keeps showing the confirmed v1 */
	T_OK(t, fnl_needs_edit(t->db, &c, l.id, 3, "移动端和电脑端审批", 0, NULL, 0, &nd));
	assert_int_equal(nd.version, 2);
	fnl_needs_free(&nd);
	zh = document(t, &c, l.id, "zh");
	assert_has(zh, "<td>v1</td>");
	assert_lacks(zh, "v2");
	assert_has(zh, "<td>移动端审批</td>");
	assert_lacks(zh, "移动端和电脑端审批");
	assert_lacks(zh, "未经客户确认");
	free(zh);

	/* v2 confirmed by the lead's contact by phone at T_NOW */
	T_OK(t, fnl_needs_confirm(t->db, &c, l.id, 0, "phone", 0, &nd));
	fnl_needs_free(&nd);
	zh = document(t, &c, l.id, "zh");
	assert_has(zh, "<td>v2</td>");
	assert_lacks(zh, "<td>v1</td>");
	assert_has(zh, "2026-11-29");
	assert_has(zh, "电话");
	assert_row(zh, "<td>移动端和电脑端审批</td>", "<td>低</td>");
	assert_lacks(zh, "<td>移动端审批</td>");
	free(zh);
	en = document(t, &c, l.id, "en");
	assert_has(en, "<td>v2</td>");
	assert_has(en, "via phone");
	free(en);

	/* no list, no solution yet: says so */
	struct fnl_lead bare = qualified(t, "空白有限公司", "s1");
	zh = document(t, &c, bare.id, "zh");
	assert_has(zh, "空白有限公司");
	assert_has(zh, "尚无需求清单");
	assert_has(zh, "尚无解决方案条目");
	free(zh);

	/* errors: an unknown lead, another's lead */
	char *html = (char *)"x";
	size_t len = 7;
	T_RC(t, fnl_lead_document(t->db, &c, 4242, "zh", &html, &len), FNL_ENOTFOUND);
	assert_null(html);
	struct fnl_ctx s3 = tctx(T_NOW, o.s3);
	T_RC(t, fnl_lead_document(t->db, &s3, l.id, "en", &html, &len), FNL_EPERM);
	assert_null(html);
}

/* ---- failing sale calls change nothing ---- */

static void test_failures_change_nothing(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = qualified(t, "原子销售有限公司", "s1"), out;
	struct fnl_ctx c = tctx(T_NOW, o.s1);
	struct fnl_needs nd;
	struct fnl_quote q;
	struct fnl_solution_item s;

	/* gate refusals: a move, and a deal whose move is refused after the deal row was written */
	EXPECT_UNCHANGED(t, fnl_lead_move(t->db, &c, l.id, "propose", "", &out), FNL_EGATE);
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &c, l.id, "HT-7", INT64_C(100), "2026-11-29", NULL, 0, &out),
			 FNL_EGATE);
	T_MSG(t, "cannot move lead %lld to 'won': gate 'propose': no customer needs list; gate 'negotiate':"
		 " no solution item", (long long)l.id);
	struct fnl_deal d;
	T_RC(t, fnl_deal_get(t->db, &c, l.id, &d), FNL_ENOTFOUND);

	/* needs: a bad priority, an empty list to confirm */
	EXPECT_UNCHANGED(t, fnl_needs_add(t->db, &c, l.id, "统一管理", 4, NULL, 0, &nd), FNL_EINVAL);
	EXPECT_UNCHANGED(t, fnl_needs_confirm(t->db, &c, l.id, 0, "phone", 0, &nd), FNL_ESTATE);
	t_ready_for(t, l.id, "negotiate");
	/* v1 confirmed: a refused edit must not start v2 */
	const int64_t ghost_spin = 999;
	EXPECT_UNCHANGED(t, fnl_needs_edit(t->db, &c, l.id, 1, "改", 0, &ghost_spin, 1, &nd), FNL_EINVAL);
	EXPECT_UNCHANGED(t, fnl_needs_edit(t->db, &c, l.id, 9, "改", 0, NULL, 0, &nd), FNL_EINVAL);
	EXPECT_UNCHANGED(t, fnl_needs_remove(t->db, &c, l.id, 9, &nd), FNL_EINVAL);
	EXPECT_UNCHANGED(t, fnl_solution_add(t->db, &c, l.id, 1, "功能", "价值", "3e1", "%", "", &s), FNL_EINVAL);

	/* bad quotes */
	EXPECT_UNCHANGED(t, fnl_quote_add(t->db, &c, l.id, INT64_C(100), 10001, "", 30, &q), FNL_EINVAL);
	EXPECT_UNCHANGED(t, fnl_quote_add(t->db, &c, l.id, 0, 1000, "", 30, &q), FNL_EINVAL);
	T_OK(t, fnl_quote_add(t->db, &c, l.id, INT64_C(100), 2000, "", 30, &q));
	EXPECT_UNCHANGED(t, fnl_quote_decide(t->db, &c, q.id, 1, "", &q), FNL_EPERM);

	/* deals with a bad date */
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &c, l.id, "HT-7", INT64_C(100), "2026-11-31", NULL, 0, &out),
			 FNL_EINVAL);
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &c, l.id, "HT-7", INT64_C(100), "2026-11-30", NULL, 0, &out),
			 FNL_EINVAL);
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &c, l.id, "HT-7", INT64_C(100), "2026-11-29", "2026-11-28", 0, &out),
			 FNL_EINVAL);

	/* after-sales on a lead that is not won */
	struct fnl_handover h;
	EXPECT_UNCHANGED(t, fnl_aftersales_handover(t->db, &c, l.id, "af", "", &h), FNL_ESTATE);
	int result;
	int64_t rid;
	EXPECT_UNCHANGED(t, fnl_lead_repurchase(t->db, &c, l.id, NULL, &result, &out, &rid), FNL_ESTATE);

	/* a deal while the quote that stands waits for the manager; force does not pass it */
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &c, l.id, "HT-7", INT64_C(100), "2026-11-29", "2026-11-29", 0, &out),
			 FNL_ESTATE);
	struct fnl_ctx m1 = tctx(T_NOW, o.m1);
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &m1, l.id, "HT-7", INT64_C(100), "2026-11-29", "2026-11-29", 1, &out),
			 FNL_ESTATE);
	T_OK(t, fnl_quote_decide(t->db, &m1, q.id, 1, "", &q));

	/* and the same calls done right do change it */
	char *before = snapshot(t);
	T_OK(t, fnl_deal_close(t->db, &c, l.id, "HT-7", INT64_C(100), "2026-11-29", "2026-11-29", 0, &out));
	char *after = snapshot(t);
	assert_true(strcmp(before, after) != 0);
	free(before);
	free(after);
}

/* Faults after part of the work was written (a trigger aborting a later INSERT) roll it all back. */
static void inject(struct tenv *t, const char *trigger)
{
	char sql[512];
	assert_int_equal(t_sql(t, "DROP TRIGGER IF EXISTS inject"), SQLITE_OK);
	snprintf(sql, sizeof sql, "CREATE TRIGGER inject %s BEGIN SELECT RAISE(ABORT, 'injected fault'); END",
		 trigger);
	assert_int_equal(t_sql(t, sql), SQLITE_OK);
}

static void test_faults_roll_back(void **state)
{
	struct tenv *t = *state;
	struct org o = org(t);
	struct fnl_lead l = qualified(t, "故障销售有限公司", "s1"), out;
	struct fnl_ctx c = tctx(T_NOW, o.s1);
	struct fnl_needs nd;
	need(t, &c, l.id, "统一管理", 1);

	/* the confirmation is written before its audit entry */
	inject(t, "BEFORE INSERT ON audit WHEN NEW.action = 'confirm'");
	EXPECT_UNCHANGED(t, fnl_needs_confirm(t->db, &c, l.id, 0, "phone", 0, &nd), FNL_EDB);
	assert_non_null(strstr(fnl_errmsg(t->db), "injected fault"));
	assert_int_equal(t_sql(t, "DROP TRIGGER inject"), SQLITE_OK);
	confirm(t, &c, l.id);

	/* an edit of a confirmed list: version 2 and the copied items are written before the audit */
	inject(t, "BEFORE INSERT ON audit WHEN NEW.action = 'edit_need'");
	EXPECT_UNCHANGED(t, fnl_needs_edit(t->db, &c, l.id, 1, "统一管理全部线索", 0, NULL, 0, &nd), FNL_EDB);
	assert_int_equal(t_sql(t, "DROP TRIGGER inject"), SQLITE_OK);
	T_OK(t, fnl_needs_get(t->db, &c, l.id, 0, &nd));
	assert_int_equal(nd.version, 1);
	fnl_needs_free(&nd);

	/* a deal: the deal row, its audit, the stage event and the lead before the 'win' entry */
	solution(t, &c, l.id, 1);
	inject(t, "BEFORE INSERT ON audit WHEN NEW.action = 'win'");
	EXPECT_UNCHANGED(t, fnl_deal_close(t->db, &c, l.id, "HT-8", INT64_C(100), "2026-11-29", NULL, 0, &out), FNL_EDB);
	assert_int_equal(t_sql(t, "DROP TRIGGER inject"), SQLITE_OK);
	T_OK(t, fnl_deal_close(t->db, &c, l.id, "HT-8", INT64_C(100), "2026-11-29", NULL, 0, &out));
	assert_string_equal(out.status, "won");

	/* a hand-over: the event before the lead's change and its audit */
	inject(t, "BEFORE INSERT ON audit WHEN NEW.action = 'handover'");
	struct fnl_handover h;
	EXPECT_UNCHANGED(t, fnl_aftersales_handover(t->db, &c, l.id, "af", "", &h), FNL_EDB);
	assert_int_equal(t_sql(t, "DROP TRIGGER inject"), SQLITE_OK);
	assert_string_equal(t_get(t, l.id).aftersales, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T_TEST(test_gates_one_by_one),
		T_TEST(test_propose_gate_wants_newest_version_confirmed),
		T_TEST(test_gate_skip_checks_every_gate),
		T_TEST(test_gates_switched_off),
		T_TEST(test_moving_back_is_not_gated),
		T_TEST(test_force_by_manager_and_admin),
		T_TEST(test_force_refused),
		T_TEST(test_document),
		T_TEST(test_failures_change_nothing),
		T_TEST(test_faults_roll_back),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
