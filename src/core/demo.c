/*
 * core/demo.c - a realistic, deterministic demo installation: a sales team and a year of leads
 * walked through the funnel by the library's own functions, so every rule (cleaning, duplicates,
 * grades, deadlines, stage events, losses) applies to the demo as to real use.
 *
 * The same seed and the same ctx->now give the same database. Each lead is lived through from its
 * capture until it is won, lost, or "now" arrives with the lead still open.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "store/store.h"

#define DAY 86400
#define HOUR 3600
#define N_LEADS 640

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static int below(struct rng *r, int n)
{
	return (int)(next(r) % (uint64_t)n);
}

/* 1 with probability pct/100. */
static int chance(struct rng *r, int pct)
{
	return below(r, 100) < pct;
}

static int64_t span(struct rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(next(r) % (uint64_t)(hi - lo + 1));
}

/* An instant outside office hours (09:00-19:00 in UTC+8) moved forward to some time of the next
 * working hours, when people work. */
static int64_t office_r(struct rng *r, int64_t t)
{
	int64_t hour = ((t + 8 * HOUR) % DAY) / HOUR;
	int64_t shift = hour < 9 ? 9 - hour : hour >= 19 ? 24 - hour + 9 : 0;
	if (!shift)
		return t;
	return t + shift * HOUR + (int64_t)(next(r) % 9) * HOUR;
}

#define PICK(r, a) ((a)[below((r), (int)(sizeof(a) / sizeof((a)[0])))])

static const char *const cities[] = {"上海", "北京", "深圳", "杭州", "苏州", "广州", "成都", "武汉",
				     "南京", "天津", "西安", "重庆", "宁波", "东莞", "青岛", "厦门",
				     "合肥", "长沙", "无锡", "佛山"};
static const char *const regions[] = {"上海市", "北京市", "广东省深圳市", "浙江省杭州市", "江苏省苏州市",
				      "广东省广州市", "四川省成都市", "湖北省武汉市", "江苏省南京市", "天津市",
				      "陕西省西安市", "重庆市", "浙江省宁波市", "广东省东莞市", "山东省青岛市",
				      "福建省厦门市", "安徽省合肥市", "湖南省长沙市", "江苏省无锡市", "广东省佛山市"};
static const char *const cores[] = {"华信", "恒通", "博远", "鼎盛", "瑞丰", "中科", "天成", "金石", "云智",
				    "宏达", "安泰", "众诚", "嘉和", "明德", "新锐", "凯捷", "卓越", "智联",
				    "远航", "启明", "联创", "汇通", "正泰", "海纳", "星河", "立方", "同创",
				    "领航", "睿思", "腾跃", "永盛", "信达"};
static const struct {
	const char *word, *industry;
} trades[] = {
	{"智能制造", "制造业"}, {"精密机械", "制造业"},   {"电子科技", "电子"},     {"软件", "软件与信息服务"},
	{"信息技术", "软件与信息服务"}, {"供应链管理", "物流"}, {"物流", "物流"}, {"医疗器械", "医疗健康"},
	{"生物科技", "医疗健康"}, {"新材料", "新材料"},     {"新能源", "新能源"}, {"商贸", "零售"},
	{"教育科技", "教育"},     {"建设工程", "建筑工程"},
};
static const char *const suffixes[] = {"有限公司", "有限公司", "有限公司", "股份有限公司", "科技有限公司"};
static const char *const surnames[] = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周",
				       "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗"};
static const char *const surnames_py[] = {"wang", "li", "zhang", "liu", "chen", "yang", "huang",
					  "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu",
					  "guo", "he", "gao", "lin", "luo"};
static const char *const given[] = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋",
				    "勇", "艳", "杰", "涛", "明", "超", "华", "平", "建国", "志强",
				    "海燕", "晓东", "建华", "丽娟", "文博", "思远", "佳怡", "子涵"};
static const char *const given_py[] = {"wei", "fang", "na", "min", "jing", "li", "qiang", "lei",
				       "jun", "yang", "yong", "yan", "jie", "tao", "ming", "chao",
				       "hua", "ping", "jianguo", "zhiqiang", "haiyan", "xiaodong",
				       "jianhua", "lijuan", "wenbo", "siyuan", "jiayi", "zihan"};
static const char *const titles[] = {"采购经理", "IT总监", "运营总监", "总经理", "销售总监",
				     "信息部主管", "副总裁", "财务经理", "市场经理", "数字化负责人"};
static const char *const sizes[] = {"1-49人", "50-199人", "200-999人", "1000人以上"};

struct chan {
	const char *key;
	int weight;  /* share of leads */
	int quality; /* added to the scores: better channels bring readier buyers */
	const char *const *sources;
	int nsources;
};

static const char *const src_media[] = {"行业平台横幅广告", "行业网站专题", "垂直媒体软文"};
static const char *const src_sem[] = {"企业CRM系统解决方案", "销售管理软件", "客户管理系统 价格", "销售漏斗工具"};
static const char *const src_social[] = {"LinkedIn 案例分享", "行业社群", "公众号文章"};
static const char *const src_web[] = {"白皮书下载", "预约Demo", "需求表单"};
static const char *const src_show[] = {"上海工业博览会", "深圳高交会", "华东制造业展"};
static const char *const src_partner[] = {"华东渠道伙伴 鼎信", "集成商 远景", "咨询伙伴 明略"};
static const char *const src_salon[] = {"行业趋势研讨会 · 杭州", "数字化转型沙龙 · 上海", "CIO 闭门会 · 北京"};
static const char *const src_none[] = {""};

static const struct chan chans[] = {
	{"vertical_media", 10, 0, src_media, 3}, {"sem", 22, 0, src_sem, 4},
	{"social", 12, -1, src_social, 3},       {"website", 18, 1, src_web, 3},
	{"trade_show", 14, 0, src_show, 3},      {"partner_referral", 9, 2, src_partner, 3},
	{"salon", 7, 1, src_salon, 3},           {"customer_referral", 5, 3, src_none, 1},
	{"other", 3, -1, src_none, 1},
};

struct demo {
	fnl_db *db;
	struct rng r;
	int64_t now, start;
	int64_t sales[4], manager, marketing, aftersales;
	struct fnl_demo_stats *st;
	char phones[N_LEADS][16]; /* earlier phones, to make duplicates from */
	int nphones;
};

static int add_user(struct demo *d, const struct fnl_ctx *ctx, const char *login, const char *name,
		    const char *role, const char *team, int64_t *id)
{
	struct fnl_user u;
	int rc = fnl_user_add(d->db, ctx, login, name, role, team, &u);
	if (rc == 0) {
		*id = u.id;
		d->st->users++;
	}
	return rc;
}

static int make_team(struct demo *d)
{
	struct fnl_ctx ctx = {d->start - 30 * DAY, 0};
	int rc;
	static const char *const logins[4] = {"zhangwei", "lina", "chenjie", "liuyang"};
	static const char *const names[4] = {"张伟", "李娜", "陈杰", "刘洋"};
	if ((rc = add_user(d, &ctx, "wangqiang", "王强", "manager", "华东销售一部", &d->manager)))
		return rc;
	for (int i = 0; i < 4; i++)
		if ((rc = add_user(d, &ctx, logins[i], names[i], "sales", "华东销售一部", &d->sales[i])))
			return rc;
	if ((rc = add_user(d, &ctx, "zhaomin", "赵敏", "marketing", "市场部", &d->marketing)))
		return rc;
	return add_user(d, &ctx, "sunli", "孙丽", "aftersales", "客户成功部", &d->aftersales);
}

static const struct chan *pick_channel(struct demo *d)
{
	int total = 0;
	for (size_t i = 0; i < sizeof chans / sizeof chans[0]; i++)
		total += chans[i].weight;
	int x = below(&d->r, total);
	for (size_t i = 0; i < sizeof chans / sizeof chans[0]; i++) {
		if (x < chans[i].weight)
			return &chans[i];
		x -= chans[i].weight;
	}
	return &chans[0];
}

static int clamp5(int v)
{
	return v < 1 ? 1 : v > 5 ? 5 : v;
}

/* The actor working a lead: its owner (they are all sales users here). */
static int64_t owner_of(struct demo *d, const struct fnl_lead *l)
{
	struct fnl_user u;
	if (l->owner[0] && fnl_user_get(d->db, l->owner, &u) == 0)
		return u.id;
	return d->manager;
}

static int activity_next(struct demo *d, int64_t lead, int64_t actor, int64_t at, const char *kind,
			 const char *summary, const char *outcome, int64_t next_at)
{
	struct fnl_ctx ctx = {at, actor};
	struct fnl_activity_input in = {kind, summary, outcome, next_at};
	int rc = fnl_activity_add(d->db, &ctx, lead, &in, NULL);
	if (rc == 0)
		d->st->activities++;
	return rc;
}

static int activity(struct demo *d, int64_t lead, int64_t actor, int64_t at, const char *kind,
		    const char *summary, const char *outcome)
{
	return activity_next(d, lead, actor, at, kind, summary, outcome, 0);
}

static const char *const loss_by_stage[6][4] = {
	{"no_response", "no_budget", "timing", "other"},
	{"no_response", "no_budget", "timing", "no_decision_maker"},
	{"no_decision_maker", "product_fit", "timing", "no_budget"},
	{"competitor", "price", "product_fit", "no_decision_maker"},
	{"price", "competitor", "timing", "price"},
	{"other", "other", "other", "other"},
};

static const char *const stage_keys[] = {"acquire", "qualify", "discover", "propose", "negotiate", "won"};

/* Walk an open, qualified lead through the later stages until it is won, lost or now arrives. */
static int walk(struct demo *d, int64_t id, int64_t actor, int64_t t, int grade_bonus)
{
	/* chance in % to pass each transition from qualify on: qualify->discover, ->propose, ... */
	static const int base[4] = {55, 60, 58, 62};
	static const int64_t dwell[4] = {6, 9, 11, 12}; /* typical days in qualify, discover, propose, negotiate */
	struct fnl_lead l;
	int rc;
	for (int k = 0; k < 4; k++) {
		int64_t stay = span(&d->r, dwell[k] / 2, dwell[k] * 2) * DAY + span(&d->r, 0, 8) * HOUR;
		int64_t next_t = office_r(&d->r, t + stay);
		if (next_t >= d->now) {
			/* still at this stage today, with a follow-up booked (some already overdue) */
			int64_t at = office_r(&d->r, t + span(&d->r, 0, (d->now - t) / HOUR) * HOUR);
			if (at >= d->now)
				at = d->now;
			return activity_next(d, id, actor, at, "call", "跟进项目进展", "", at + span(&d->r, 1, 10) * DAY);
		}
		t = next_t;
		struct fnl_ctx ctx = {t, actor};
		if (!chance(&d->r, base[k] + grade_bonus)) {
			const char *reason = loss_by_stage[k + 1][below(&d->r, 4)];
			return fnl_lead_lose(d->db, &ctx, id, reason, "", &l) ? d->db->err.code : (d->st->lost++, 0);
		}
		if (k == 0) {
			struct fnl_lead_input in = {0};
			in.has_amount = 1;
			in.amount = (int64_t)span(&d->r, 30, 900) * 100000; /* 3万 to 90万 yuan */
			int64_t y;
			unsigned m;
			fnl_civil_from_days((t + 60 * DAY) / DAY, &y, &m, NULL);
			char close[8];
			snprintf(close, sizeof close, "%04d-%02u", (int)y, m);
			in.close_month = close;
			if ((rc = fnl_lead_edit(d->db, &ctx, id, &in, &l)))
				return rc;
		}
		static const char *const meet[4] = {"meeting", "visit", "demo", "meeting"};
		static const char *const what[4] = {"需求访谈（SPIN）", "现场调研与决策链梳理", "方案演示", "商务谈判"};
		/* the consultant books the next step a few days out; it is met at the next stage */
		int64_t at = t - span(&d->r, 1, 3) * DAY;
		if ((rc = activity_next(d, id, actor, at, meet[k], what[k], "", at + span(&d->r, 2, 9) * DAY)))
			return rc;
		/* a move back now and then: the customer reopens the requirements */
		if (k == 2 && chance(&d->r, 8)) {
			if ((rc = fnl_lead_move(d->db, &ctx, id, "discover", "客户调整需求范围，重新梳理", &l)))
				return rc;
			t = office_r(&d->r, t + span(&d->r, 3, 10) * DAY);
			if (t >= d->now)
				return 0;
			ctx.now = t;
			if ((rc = fnl_lead_move(d->db, &ctx, id, "propose", "", &l)))
				return rc;
			t = office_r(&d->r, t + span(&d->r, 3, 10) * DAY);
			if (t >= d->now)
				return 0;
			ctx.now = t;
		}
		/* the odd skip: a partner brings a buyer ready to negotiate */
		const char *to = stage_keys[k + 2];
		if (k == 1 && grade_bonus > 10 && chance(&d->r, 10)) {
			to = "negotiate";
			k++;
		}
		if ((rc = fnl_lead_move(d->db, &ctx, id, to, "", &l)))
			return rc;
		if (strcmp(to, "won") == 0) {
			d->st->won++;
			int64_t care = t + span(&d->r, 1, 10) * DAY;
			return activity(d, id, d->aftersales, care < d->now ? care : d->now, "aftersales",
					"交付启动会，售后对接", "");
		}
	}
	return 0;
}

static int one_lead(struct demo *d, int64_t captured)
{
	const struct chan *ch = pick_channel(d);
	int s = below(&d->r, (int)(sizeof surnames / sizeof surnames[0]));
	int g = below(&d->r, (int)(sizeof given / sizeof given[0]));
	int tr = below(&d->r, (int)(sizeof trades / sizeof trades[0]));
	int city = below(&d->r, (int)(sizeof cities / sizeof cities[0]));
	char company[FNL_COMPANY_LEN], contact[FNL_NAME_LEN], phone[16], email[FNL_TEXT_LEN], wechat[64] = "";
	/* one draw a statement: the order of evaluation of arguments is unspecified */
	const char *suffix = PICK(&d->r, suffixes);
	const char *core = PICK(&d->r, cores);
	size_t wl = strlen(trades[tr].word);
	/* "生物科技" + "科技有限公司" would say 科技 twice */
	if (wl >= 6 && strcmp(trades[tr].word + wl - 6, "科技") == 0 && strncmp(suffix, "科技", 6) == 0)
		suffix += 6;
	snprintf(company, sizeof company, "%s%s%s%s", cities[city], core, trades[tr].word, suffix);
	snprintf(contact, sizeof contact, "%s%s", surnames[s], given[g]);
	static const char *const prefixes[] = {"135", "136", "137", "138", "139", "150", "151", "152", "158",
					       "159", "182", "183", "186", "187", "188", "177", "199"};
	snprintf(phone, sizeof phone, "%s%08d", PICK(&d->r, prefixes), below(&d->r, 100000000));
	snprintf(email, sizeof email, "%s.%s@%s%d.com.cn", given_py[g], surnames_py[s], surnames_py[below(&d->r, 20)],
		 below(&d->r, 900) + 100);
	if (chance(&d->r, 30))
		snprintf(wechat, sizeof wechat, "wxid_%s%s%d", surnames_py[s], given_py[g], below(&d->r, 10000));

	/* the dirt real capture brings in: test entries, bad numbers, re-inquiries */
	int dirt = below(&d->r, 100);
	if (dirt < 2)
		snprintf(phone, sizeof phone, "13800138000");
	else if (dirt < 3)
		snprintf(contact, sizeof contact, "测试");
	else if (dirt < 5)
		snprintf(phone, sizeof phone, "1380013%d", below(&d->r, 900) + 100);
	else if (dirt < 11 && d->nphones > 40)
		/* a re-inquiry, usually about a recent lead */
		snprintf(phone, sizeof phone, "%s", d->phones[d->nphones - 1 - below(&d->r, 6)]);

	struct fnl_lead_input in = {0};
	in.company = company;
	in.contact = contact;
	in.title = PICK(&d->r, titles);
	in.phone = phone;
	in.email = dirt < 11 ? "" : email;
	in.wechat = wechat;
	in.industry = trades[tr].industry;
	in.size = PICK(&d->r, sizes);
	in.region = regions[city];
	in.channel = ch->key;
	in.source = ch->sources[below(&d->r, ch->nsources)];
	in.consent = "留资时同意接收产品信息";
	in.has_captured_at = 1;
	in.captured_at = captured;
	int online = strcmp(ch->key, "trade_show") && strcmp(ch->key, "salon") && strcmp(ch->key, "partner_referral");
	struct fnl_ctx ctx = {captured + span(&d->r, 0, 2) * HOUR, online ? d->marketing : d->manager};
	if (ctx.now > d->now)
		ctx.now = d->now;
	struct fnl_lead l;
	int result;
	int64_t rec;
	int rc = fnl_lead_add(d->db, &ctx, &in, &result, &l, &rec);
	if (rc)
		return rc;
	d->st->leads++;
	if (result == FNL_ADD_INVALID) {
		d->st->invalid++;
		return 0;
	}
	if (result == FNL_ADD_MERGED) {
		d->st->merged++;
		return 0;
	}
	if (d->nphones < N_LEADS)
		snprintf(d->phones[d->nphones++], sizeof d->phones[0], "%s", l.phone);

	int64_t id = l.id, actor = owner_of(d, &l);
	/* qualification, typically within a day or two */
	int64_t t = office_r(&d->r, ctx.now + span(&d->r, 2, 60) * HOUR);
	if (t >= d->now)
		return 0; /* not qualified yet: in the queue as "to qualify" */
	int q = ch->quality;
	int b = clamp5(below(&d->r, 5) + 1 + (q > 1)), n = clamp5(below(&d->r, 5) + 1 + (q > 0));
	int dd = clamp5(below(&d->r, 5) + 1 + (q > 2) - (q < 0)), u = clamp5(below(&d->r, 5) + 1);
	ctx.now = t;
	ctx.actor = actor;
	if ((rc = fnl_lead_score(d->db, &ctx, id, b, n, dd, u, &l)))
		return rc;
	int bonus = l.grade[0] == 'A' ? 22 : l.grade[0] == 'B' ? 5 : -25;
	bonus += q * 3;
	if (l.grade[0] == 'C') {
		/* nurture: touches; some come back after a re-evaluation, many fade */
		int64_t touch = t + 14 * DAY;
		if (touch < d->now && (rc = activity(d, id, actor, touch, "nurture", "推送行业案例与白皮书", "")))
			return rc;
		int64_t re = t + 30 * DAY;
		if (re >= d->now) {
			for (touch += 14 * DAY; touch < d->now && chance(&d->r, 70); touch += 14 * DAY)
				if ((rc = activity(d, id, actor, touch, "nurture", "推送行业动态", "")))
					return rc;
			return 0;
		}
		ctx.now = re;
		if (chance(&d->r, 25)) {
			if ((rc = fnl_lead_score(d->db, &ctx, id, clamp5(b + 2), clamp5(n + 2), clamp5(dd + 1), clamp5(u + 2), &l)))
				return rc;
			t = re;
			bonus = 0;
		} else {
			if (chance(&d->r, 50)) {
				if ((rc = fnl_lead_lose(d->db, &ctx, id, "no_response", "培育期内无回应", &l)))
					return rc;
				d->st->lost++;
			}
			return 0;
		}
	}
	/* the first follow-up: usually in time, sometimes late, for the recent ones perhaps not yet */
	int64_t sla = l.sla_due_at ? l.sla_due_at - t : 48 * HOUR;
	int64_t in_time = sla / HOUR - 1 > 1 ? sla / HOUR - 1 : 1;
	int64_t delay = chance(&d->r, 85) ? span(&d->r, 1, in_time) * HOUR : sla + span(&d->r, 2, 72) * HOUR;
	int64_t first = office_r(&d->r, t + delay);
	if (first >= d->now)
		return 0;
	t = first;
	if ((rc = activity(d, id, actor, t, chance(&d->r, 70) ? "call" : "email", "首次跟进，确认需求与预算",
			   "客户愿意进一步沟通")))
		return rc;
	if (l.grade[0] == 'B' && t + DAY < d->now && (rc = activity(d, id, actor, t + DAY, "email", "发送行业案例资料", "")))
		return rc;
	return walk(d, id, actor, t, bonus);
}

static int reassign_some(struct demo *d)
{
	/* the manager moves a few leads from the busiest consultant to the newest one */
	struct fnl_lead_filter f = {.owner = "zhangwei", .status = "open", .limit = 3};
	struct fnl_lead *v;
	size_t n;
	struct fnl_ctx ctx = {d->now - 2 * DAY, d->manager};
	int rc = fnl_lead_list(d->db, &ctx, &f, &v, &n);
	if (rc)
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		struct fnl_lead l;
		rc = fnl_lead_assign(d->db, &ctx, v[i].id, "liuyang", "平衡工作量", &l);
	}
	free(v);
	return rc;
}

static int generate(struct demo *d)
{
	int rc = make_team(d);
	if (rc)
		return rc;
	/* capture times over the year, sorted, so every lead enters in order */
	int64_t *times = malloc(N_LEADS * sizeof *times);
	if (!times)
		return fnl__err(d->db, FNL_ENOMEM, NULL, "out of memory");
	for (int i = 0; i < N_LEADS; i++) {
		/* more leads in recent months: the team grew its marketing */
		int64_t a = span(&d->r, 0, 365 * DAY), b = span(&d->r, 0, 365 * DAY);
		int64_t off = a > b ? a : b;
		int64_t t = d->start + off;
		/* office hours, local (UTC+8): 09:00-19:00 */
		int64_t day = (t + 8 * HOUR) / DAY;
		t = day * DAY - 8 * HOUR + span(&d->r, 9, 18) * HOUR + span(&d->r, 0, 59) * 60;
		times[i] = t < d->now ? t : d->now - span(&d->r, 1, 600) * 60;
	}
	for (int i = 1; i < N_LEADS; i++)
		for (int j = i; j > 0 && times[j - 1] > times[j]; j--) {
			int64_t x = times[j];
			times[j] = times[j - 1];
			times[j - 1] = x;
		}
	for (int i = 0; i < N_LEADS && !rc; i++)
		rc = one_lead(d, times[i]);
	free(times);
	return rc ? rc : reassign_some(d);
}

int fnl_demo_generate(fnl_db *db, const struct fnl_ctx *ctx, uint64_t seed, struct fnl_demo_stats *stats)
{
	struct fnl_demo_stats local;
	struct demo *d = calloc(1, sizeof *d);
	if (!d)
		return FNL_ENOMEM;
	d->db = db;
	d->r.s = seed * 0x9E3779B97F4A7C15ull + 1;
	d->now = ctx->now;
	d->start = ctx->now - 365 * DAY;
	d->st = stats ? stats : &local;
	memset(d->st, 0, sizeof *d->st);
	int rc = fnl_db_begin(db);
	if (rc == 0) {
		rc = generate(d);
		if (rc) {
			struct fnl_error keep = db->err;
			fnl_db_rollback(db);
			db->err = keep;
		} else {
			rc = fnl_db_commit(db);
		}
	}
	free(d);
	return rc;
}
