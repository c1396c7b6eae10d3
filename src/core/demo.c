/*
 * core/demo.c - a realistic, deterministic demo installation: a sales team and a year of leads
 * walked through the funnel by the library's own functions, so every rule (cleaning, duplicates,
 * grades, deadlines, stage gates, stage events, losses, discount approval) applies to the demo as
 * to real use.
 *
 * Each lead is lived through from its capture until it is won, lost, or "now" arrives with the lead
 * still open, and gets the records of each stage it goes through, at the time they happen, by its
 * owner: needs discovery (preparation, decision chain, SPIN, the needs list confirmed by the
 * customer, now and then a second version), the solution and its presentation, quote rounds and
 * obstacles, the deal, and after-sales (hand-over, care, satisfaction). Some customers come back
 * months later with a repurchase or a referral, which then walk the funnel in their turn.
 *
 * The same seed and the same ctx->now give the same database: nothing reads the clock, and every
 * random draw is a statement of its own (the order arguments are evaluated in is unspecified).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "core/rng.h"
#include "funnel/sale.h"
#include "store/store.h"

#define DAY 86400
#define HOUR 3600
#define N_LEADS 640

static int64_t span(struct fnl_rng *r, int64_t lo, int64_t hi)
{
	return lo + (int64_t)(fnl_rng_next(r) % (uint64_t)(hi - lo + 1));
}

/* An instant outside office hours (09:00-19:00 in UTC+8) moved forward to some time of the next
 * working hours, when people work. */
static int64_t office_r(struct fnl_rng *r, int64_t t)
{
	int64_t hour = ((t + 8 * HOUR) % DAY) / HOUR;
	int64_t shift = hour < 9 ? 9 - hour : hour >= 19 ? 24 - hour + 9 : 0;
	if (!shift)
		return t;
	return t + shift * HOUR + (int64_t)(fnl_rng_next(r) % 9) * HOUR;
}

#define PICK(r, a) ((a)[fnl_rng_below((r), (int)(sizeof(a) / sizeof((a)[0])))])

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

/* ---- what the sale after qualification says (SPEC §5), in the words of the guide's section 3 ---- */

/* A phrase, perhaps with a number: "{n}" is replaced by a number from lo to hi. */
struct ph {
	const char *text;
	int lo, hi;
};

/* A pain area of the customer, asked about with SPIN and answered by the solution. */
struct theme {
	const char *sq[2];
	struct ph sa[2];
	const char *pq[2];
	struct ph pa[2];
	const char *iq[2];
	struct ph ia[2];
	const char *nq[2];
	struct ph na[2];
	const char *need[2];     /* the need on the list, with function[] and value[] of the same index */
	const char *function[2];
	const char *value[2];
	struct ph fvalue;        /* the value quantified: {n} is the figure */
	const char *unit;
	int step;                /* the figure is a multiple of step */
};

static const struct theme themes[] = {
	{ /* customer records scattered */
		{"客户资料现在保存在哪里？由谁来维护？", "老客户的历史交易和沟通记录，现在怎么查？"},
		{{"各个销售自己用Excel维护，公司层面没有统一的客户库。", 0, 0},
		 {"一部分在ERP里，一部分在销售个人的微信和笔记本里。", 0, 0}},
		{"在客户资料管理上，哪些地方让您觉得不够便捷？", "销售之间交接客户时，通常会遇到什么问题？"},
		{{"查一个老客户的历史要问好几个人，经常找不全。", 0, 0},
		 {"同一家客户被两个销售同时跟进，内部撞单时有发生。", 0, 0}},
		{"如果这些问题持续存在，会对团队效率或客户关系造成什么影响？", "去年的人员变动对客户跟进有多大影响？"},
		{{"撞单时客户收到过两份不同的报价，对公司形象影响很大，今年已经发生了{n}次。", 2, 6},
		 {"去年有{n}名销售离职，带走了不少客户，接手的人只能从头再来。", 2, 6}},
		{"如果客户资料和跟进记录都集中在一个系统里，对您的团队有什么帮助？",
		 "如果交接时新销售能一键看到完整历史，会带来什么变化？"},
		{{"新人接手能马上了解客户，交接时间至少能缩短一半。", 0, 0},
		 {"客户不会再因为换了对接人而流失，管理层也放心。", 0, 0}},
		{"统一客户档案，完整沉淀跟进记录，人员变动时客户不流失", "客户查重与归属规则，杜绝内部撞单"},
		{"客户360°档案：统一客户库、自动查重、归属与交接流程", "客户公海池与归属规则，离职一键交接"},
		{"客户资料集中沉淀，交接不丢客户", "杜绝撞单，客户体验一致"},
		{"客户交接时间缩短{n}%", 40, 70}, "%", 5,
	},
	{ /* the sales process cannot be seen */
		{"目前是怎么掌握每个销售手上的项目进展的？", "销售过程中有哪些关键节点需要向管理层汇报？"},
		{{"每周一开例会，销售口头汇报，数据准不准全凭个人。", 0, 0},
		 {"只有签合同和回款两个节点会报，中间过程基本不记录。", 0, 0}},
		{"在过程管理上，目前最让您头疼的是什么？", "哪些项目进展是您最想看到、但现在看不到的？"},
		{{"只能看到月底的签单结果，过程中哪一步卡住了完全看不到。", 0, 0},
		 {"销售说项目“快成了”，但到底到了哪一步说不清楚。", 0, 0}},
		{"过程看不清，对业绩预测和资源安排有什么影响？", "因为发现问题太晚，去年丢过哪些单子？"},
		{{"上季度业绩预测偏差超过{n}%，生产和备货计划都被打乱了。", 20, 40},
		 {"有{n}个大单到最后一周才发现要丢，已经来不及补救。", 2, 5}},
		{"如果能实时看到每个阶段的商机数量和转化率，对您管理团队有什么价值？",
		 "如果系统能提前提示哪些商机有风险，对您意味着什么？"},
		{{"能提前一两个月发现业绩缺口，及时调配资源。", 0, 0},
		 {"我可以把精力集中在卡住的环节，给销售有针对性的辅导。", 0, 0}},
		{"销售漏斗可视化，实时掌握各阶段商机数量与转化率", "按阶段赢率做业绩预测，提前发现业绩缺口"},
		{"销售漏斗看板与阶段转化分析", "基于阶段赢率的业绩预测与风险商机预警"},
		{"管理层实时掌握销售过程，及时发现瓶颈环节", "业绩预测更准确，资源调配有依据"},
		{"业绩预测偏差降低{n}%", 15, 30}, "%", 1,
	},
	{ /* reports made by hand */
		{"销售周报、月报现在是怎么做出来的？", "管理层每周需要看哪些销售数据？"},
		{{"销售助理从每个人的表格里复制汇总，再做成PPT。", 0, 0},
		 {"老板要看签单、回款和新增客户，都是手工统计。", 0, 0}},
		{"做一次销售报表大概需要多长时间？过程中有什么困难？", "报表数据的准确性怎么样？"},
		{{"每周要花{n}个小时汇总，各人的表格格式还不统一。", 6, 12},
		 {"各部门口径不一样，同一个数字经常对不上。", 0, 0}},
		{"这些时间和错误，一年下来对公司意味着多大成本？", "数据对不上时，对决策有什么影响？"},
		{{"一年光做报表就要耗掉约{n}个人天，还不算加班核对。", 40, 90},
		 {"开会先花半小时对数字，真正讨论问题的时间很少。", 0, 0}},
		{"如果报表能自动生成、随时在手机上查看，对团队意味着什么？",
		 "如果各级管理者看到的是同一套实时数据，会带来什么改变？"},
		{{"销售助理可以腾出时间做客户支持，更有价值。", 0, 0},
		 {"开会直接看数据讨论问题，决策会快很多。", 0, 0}},
		{"销售报表自动生成与推送，减少手工汇总", "统一数据口径的管理驾驶舱"},
		{"自定义报表与仪表盘，日报、周报定时自动推送", "管理驾驶舱：签单、回款、新增客户统一口径实时展示"},
		{"告别手工汇总，报表随时可查", "各级管理者看到同一套实时数据"},
		{"每周节省报表工作{n}小时", 6, 16}, "小时/周", 1,
	},
	{ /* leads followed up late */
		{"市场部获取的线索，是怎么分配给销售的？", "展会、官网这些渠道的线索，现在怎么登记？"},
		{{"市场部每周汇总一次表格，再由销售经理手工分配。", 0, 0},
		 {"官网表单发到公共邮箱，谁看到谁跟进。", 0, 0}},
		{"线索从进来到销售第一次联系，一般要多久？", "线索跟进过程中有哪些问题？"},
		{{"没有统一要求，有的线索放了一周才有人打电话。", 0, 0},
		 {"展会收的名片经常积压，等想起来客户已经找了别家。", 0, 0}},
		{"线索跟进慢，您估计流失了多少商机？", "这对市场投放的回报有什么影响？"},
		{{"市场部估计有{n}%的线索从来没被有效跟进过。", 20, 45},
		 {"每年投放预算{n}万元，但说不清哪个渠道真正带来了订单。", 50, 300}},
		{"如果系统能按线索等级自动分配、超时自动提醒，对转化会有什么帮助？",
		 "如果能看到每个渠道的线索转化和获客成本，对市场部有什么价值？"},
		{{"高意向客户能在48小时内跟进，转化率应该能明显提升。", 0, 0},
		 {"投放预算可以集中到真正出单的渠道上。", 0, 0}},
		{"线索自动分级分配，A类线索48小时内跟进并超时提醒", "按渠道统计线索转化率与获客成本"},
		{"线索评分分级、自动分配与跟进超时预警", "渠道转化分析与获客成本报表"},
		{"线索跟进及时，减少商机流失", "投放预算向高转化渠道倾斜"},
		{"线索转化率提升{n}%", 15, 35}, "%", 1,
	},
	{ /* quotes and approvals are slow */
		{"报价单和合同现在是怎么制作和审批的？", "销售可以给客户多大的折扣权限？"},
		{{"报价单用Word做，折扣审批走邮件或纸质签字。", 0, 0},
		 {"超过一定折扣要总经理审批，但没有系统记录。", 0, 0}},
		{"报价和审批流程中，哪些环节最耗时？", "折扣管理上有没有遇到过问题？"},
		{{"领导经常出差，一个审批要等两三天。", 0, 0},
		 {"销售为了抢单私下承诺折扣，事后公司很被动。", 0, 0}},
		{"审批慢对成单有什么影响？", "折扣失控对毛利有多大影响？"},
		{{"有客户等了{n}天才拿到正式报价，最后被竞争对手抢走了。", 5, 10},
		 {"去年整体毛利率下降了{n}个百分点，折扣是主要原因之一。", 2, 5}},
		{"如果报价和审批能在手机上完成、折扣权限自动控制，会带来什么改变？",
		 "如果每一笔折扣都有据可查，对您管理毛利有什么帮助？"},
		{{"报价周期能从几天缩短到当天，客户体验会好很多。", 0, 0},
		 {"毛利守得住，销售也清楚自己的权限边界。", 0, 0}},
		{"报价单标准化，折扣超权限自动审批，支持移动端审批", "折扣与合同审批全程留痕，守住毛利"},
		{"报价模板、折扣权限控制与移动审批流", "合同与折扣审批全程留痕，毛利实时测算"},
		{"报价更快，折扣可控", "每一笔折扣有据可查，守住毛利"},
		{"平均报价周期缩短{n}天", 2, 5}, "天", 1,
	},
	{ /* no link with the ERP */
		{"客户和合同数据与ERP、财务系统之间现在怎么同步？", "目前公司在用哪些业务系统？"},
		{{"合同签完要在ERP里再录一遍，订单和发货也是手工核对。", 0, 0},
		 {"财务和进销存用的是金蝶云星空，和销售这边没有打通。", 0, 0}},
		{"系统之间不打通，日常工作中遇到什么麻烦？", "销售想查回款和发货情况方便吗？"},
		{{"同一份合同要录两三遍，经常录错。", 0, 0},
		 {"回款要找财务要表格，销售自己看不到。", 0, 0}},
		{"重复录入和信息不通，对业务造成了多大影响？", "回款跟进不及时，对现金流有什么影响？"},
		{{"每月因为录入错误导致的发货或开票问题有{n}起左右。", 3, 10},
		 {"应收账款平均账期拉长了{n}天，坏账也比前年多。", 15, 40}},
		{"如果CRM与ERP打通，合同、发货、回款一处可见，对您有什么价值？",
		 "如果销售能随时看到自己客户的回款状态，会带来什么变化？"},
		{{"数据只录一次，财务和销售不用再来回对账。", 0, 0},
		 {"销售会主动催款，回款能盯得更紧。", 0, 0}},
		{"与现有ERP对接，合同、订单、回款数据自动同步", "销售可实时查看客户回款与发货状态"},
		{"标准ERP接口（金蝶/用友），合同与回款双向同步", "回款计划与提醒，发货状态实时同步到客户档案"},
		{"数据只录一次，消除重复录入与对账", "回款进度透明，缩短账期"},
		{"每年节省录入与对账人力成本约{n}元", 30000, 120000}, "元/年", 1000,
	},
	{ /* field sales without tools */
		{"销售平时外出拜访多吗？拜访记录怎么做？", "销售在外面需要查客户资料时怎么办？"},
		{{"大部分时间在外面跑客户，回公司后再补录，很多细节就忘了。", 0, 0},
		 {"只能打电话回公司让同事帮忙查，很不方便。", 0, 0}},
		{"外勤管理上有哪些不便？", "拜访记录方面存在哪些问题？"},
		{{"无法确认拜访是否真实发生，拜访质量也看不到。", 0, 0},
		 {"拜访靠微信群里发定位，没有正式记录。", 0, 0}},
		{"拜访记录不及时，对客户跟进有什么影响？", "这对新销售的成长有什么影响？"},
		{{"上个月有{n}个客户抱怨同样的问题被问了好几遍。", 2, 6},
		 {"新人只能跟着老销售跑，培养一个能独立签单的销售要{n}个月。", 6, 12}},
		{"如果手机上就能签到、记录拜访、查看客户资料，对团队有什么帮助？",
		 "如果优秀销售的拜访方法能沉淀下来，对新人培养有什么价值？"},
		{{"销售每天能多拜访一两个客户，管理也更放心。", 0, 0},
		 {"新人上手会快很多，团队整体水平能提上来。", 0, 0}},
		{"移动端拜访签到与记录，外出时可随时查看客户资料", "拜访记录沉淀为可复用的销售方法"},
		{"移动App：定位签到、语音速记拜访、离线查看客户档案", "拜访模板与优秀拜访案例库"},
		{"外勤真实可见，拜访效率提升", "新人更快上手，团队水平整体提升"},
		{"人均每周多拜访{n}家客户", 2, 5}, "家/周", 1,
	},
	{ /* after-sales and repurchase left to chance */
		{"客户签单之后，售后和销售之间怎么衔接？", "老客户的回访和复购现在由谁负责？"},
		{{"交接主要靠口头说明，没有固定流程。", 0, 0},
		 {"没有专人负责，基本靠客户自己找上门。", 0, 0}},
		{"售后衔接和老客户维护上有哪些问题？", "老客户有新需求时，你们通常能及时知道吗？"},
		{{"售后经常不清楚客户当初的承诺，客户要重复说明需求。", 0, 0},
		 {"老客户的新需求常常是从别人那里听说的，那时已经晚了。", 0, 0}},
		{"这对客户满意度和复购有什么影响？", "去年因为维护不到位，流失了多少老客户业务？"},
		{{"老客户复购率只有{n}%左右，明显低于同行。", 10, 25},
		 {"有几家老客户因为服务响应慢流失了，合计年销售额约{n}万元。", 50, 300}},
		{"如果成交后能自动交接给售后，并按计划回访和提醒复购，会怎样？",
		 "如果满意的老客户愿意帮忙转介绍，对业务有什么价值？"},
		{{"老客户的复购率应该能提升不少，也更容易拿到转介绍。", 0, 0},
		 {"转介绍客户成交率高、周期短，能大大降低获客成本。", 0, 0}},
		{"成交后售后自动交接，按计划回访并提醒复购", "建立老客户满意度跟踪与转介绍机制"},
		{"售后交接单、回访计划与复购提醒", "满意度调查与转介绍激励管理"},
		{"老客户维护有计划，复购机会不遗漏", "满意客户带来更多转介绍"},
		{"老客户复购率提升{n}%", 10, 25}, "%", 1,
	},
};
#define N_THEMES ((int)(sizeof themes / sizeof themes[0]))

/* The first situation question of every interview. */
static const struct {
	const char *q;
	struct ph a[4];
	int na;
} openers[] = {
	{"贵公司目前使用的是哪款系统管理客户和销售过程？",
	 {{"主要靠Excel表格和微信，每个销售各管各的客户。", 0, 0},
	  {"几年前找外包定制过一套系统，现在基本只用来录合同。", 0, 0},
	  {"用的是ERP自带的客户模块，销售很少登录。", 0, 0},
	  {"前年试用过一款SaaS CRM，没推广开，现在还是以Excel为主。", 0, 0}},
	 4},
	{"目前销售团队有多少人？是怎么分工的？",
	 {{"销售团队{n}人，按区域分成华东、华南两个组。", 8, 40},
	  {"一共{n}个销售，分大客户组和渠道组。", 6, 60}},
	 2},
	{"目前从获取线索到签单，大致是怎样的流程？",
	 {{"市场给线索，销售电话初访、上门演示，再报价签约，周期一般{n}个月左右。", 2, 6},
	  {"主要靠老客户和渠道介绍，销售自己跟到底，流程没有统一规范。", 0, 0}},
	 2},
};

/* Needs most customers have besides their pains, tied to the opening situation answer. */
static const struct {
	struct ph need;
	const char *function, *value;
	struct ph fvalue; /* text NULL: not quantified */
	const char *unit;
} generals[] = {
	{{"{n}个月内完成上线，并迁移现有Excel中的客户数据", 2, 4}, "专属实施顾问与标准数据迁移工具，分阶段上线",
	 "按期上线，历史数据完整迁移", {"上线周期约{n}周", 6, 10}, "周"},
	{{"按角色设置数据权限，销售只能查看自己的客户", 0, 0}, "基于角色与团队的数据权限体系",
	 "客户数据安全可控，人员离职不外泄", {NULL, 0, 0}, NULL},
	{{"与企业微信集成，在企业微信中接收提醒和审批", 0, 0}, "企业微信/钉钉集成：消息提醒、审批与通讯录同步",
	 "销售不用切换应用，使用门槛低", {"系统使用率达到{n}%", 80, 95}, "%"},
	{{"提供面向销售和管理层的分级培训", 0, 0}, "分角色培训课程与上线陪跑服务", "团队快速用起来，减少推行阻力",
	 {NULL, 0, 0}, NULL},
	{{"数据存储在境内云，满足等保要求", 0, 0}, "境内多可用区部署，通过等保三级认证", "数据合规、安全可靠",
	 {NULL, 0, 0}, NULL},
	{{"首年投入控制在预算内，可分期付款", 0, 0}, "按模块分期上线、按年订阅付费", "首年投入可控，按效果逐步扩展",
	 {"首年投入降低约{n}%", 20, 35}, "%"},
};
#define N_GENERALS ((int)(sizeof generals / sizeof generals[0]))

/* What the customer does, by industry (the keys of trades[]). */
static const struct {
	const char *industry, *business, *shortname;
} businesses[] = {
	{"制造业", "主营工业自动化设备和精密零部件的研发与生产", "制造"},
	{"电子", "主营消费电子与汽车电子元器件", "电子"},
	{"软件与信息服务", "为制造和零售企业提供行业软件与信息化服务", "软件"},
	{"物流", "提供仓储、干线运输与城市配送一体化服务", "物流"},
	{"医疗健康", "主营医疗器械与体外诊断产品的研发和销售", "医疗器械"},
	{"新材料", "主营高性能复合材料，客户覆盖新能源和汽车行业", "新材料"},
	{"新能源", "主营光伏组件与储能系统集成", "新能源"},
	{"零售", "经营连锁门店与线上商城，渠道覆盖华东地区", "零售"},
	{"教育", "提供职业教育与企业培训的在线课程", "教育"},
	{"建筑工程", "承接工业厂房与市政工程的设计施工总包", "建筑"},
};
static const char *const standings[] = {
	"在细分领域排名前五", "是区域内的龙头企业之一", "近三年营收保持两位数增长",
	"是国家级专精特新“小巨人”企业", "正处于快速扩张期", "新三板挂牌企业，正在筹备北交所上市",
};
static const struct ph news[] = {
	{"近期完成B轮融资，计划扩充销售团队", 0, 0},
	{"新建的二期工厂预计明年投产", 0, 0},
	{"刚中标一个省级重点项目", 0, 0},
	{"宣布进军东南亚市场，正在筹建海外销售团队", 0, 0},
	{"新任总经理上任，正在推动数字化转型", 0, 0},
	{"官网近期发布了招聘{n}名销售的信息", 5, 20},
	{"年报显示营收增长{n}%，但销售费用率同步上升", 12, 35},
	{"正在筹备上市，需要规范销售与合同管理", 0, 0},
	{"与一家行业头部客户签订了三年框架协议", 0, 0},
	{"本月参加行业峰会，总经理做了数字化转型主题演讲", 0, 0},
};

/* The decision chain: titles and what the consultant noted about each role. */
static const struct {
	const char *role;
	const char *titles[3];
	const char *notes[2];
} chain[] = {
	{"decision_maker", {"总经理", "副总经理", "董事长"}, {"最终拍板人，关注投资回报", "重视数字化，关注上线周期"}},
	{"influencer", {"财务总监", "IT经理", "信息中心主任"}, {"负责技术评估，关注与ERP的对接", "控制预算，关注付款方式与总价"}},
	{"user", {"销售主管", "大客户经理", "销售运营专员"}, {"系统主要使用者，关心操作是否简便", "希望减少填报工作量"}},
	{"gatekeeper", {"采购主管", "总经理助理", "采购专员"}, {"负责供应商比选和合同流程", "安排会议，需提前预约"}},
};

static const char *const case_notes[] = {
	"（销售团队{n}人，上线半年）", "（同行业标杆客户，可安排参观）", "（合作第三年，已续约）", "（上线{n}个月，全员使用）",
};

static const char *const feedback_good[] = {
	"客户对方案整体认可，要求下周提供正式报价。",
	"演示效果很好，总经理当场表示方向没问题，关注实施周期和价格。",
	"客户希望增加移动端演示，对核心功能表示满意，同意进入商务谈判。",
	"IT部门对接口方案有疑问，会后补充了技术文档，客户表示认可。",
	"客户认可案例效果，希望参观一家同行业客户后推进采购流程。",
};
static const char *const feedback_bad[] = {
	"客户认为部分功能超出当前需要，价格偏高，需内部再评估。",
	"客户同时在看另一家厂商的方案，对比后倾向对方。",
	"决策人未出席，参会人员对方案兴趣一般。",
};

static const char *const terms[] = {
	"预付30%，上线验收后付60%，尾款10%一年后支付",
	"合同签订后付50%，验收合格后付50%",
	"按年订阅，每年年初一次性支付",
	"预付40%，上线后付50%，质保金10%",
};
static const char *const approve_notes[] = {
	"战略客户，同意本次折扣", "同意，但预付比例不低于50%", "考虑后续复购潜力，特批",
};
static const char *const reject_notes[] = {
	"折扣超出公司底线，请在权限内重新报价", "毛利过低，不同意；可用赠送培训代替降价",
};

/* Obstacles by type (fnl_obstacle_type_valid), what stood in the way and how it was resolved. */
static const struct {
	const char *type;
	int weight;
	struct ph text[2];
	const char *resolution[2];
} obstacles[] = {
	{"price", 35, {{"客户认为报价比预算高出约{n}%", 8, 25}, {"采购要求对标去年同类项目的价格，再降一些", 0, 0}},
	 {"调整模块组合并给予阶梯折扣，客户接受", "改为分两期付款，首期金额控制在预算内"}},
	{"competitor", 20, {{"客户同时在评估另一家国内CRM厂商，对方报价更低", 0, 0}, {"客户的IT部门倾向一家本地定制开发公司", 0, 0}},
	 {"安排同行业标杆客户参观，突出实施与本地服务优势", "提供对比测试环境，客户确认我方方案更贴合需求"}},
	{"authority", 15, {{"最终需董事长拍板，董事长尚未参与评估", 0, 0}, {"集团总部要求统一采购，需要报总部审批", 0, 0}},
	 {"安排我方副总与客户董事长会面，对方认可项目价值", "协助客户准备总部审批材料，已获批准"}},
	{"terms", 12, {{"客户要求验收后一次性付款，并把质保延长到两年", 0, 0}, {"法务对数据安全与保密条款提出修改意见", 0, 0}},
	 {"同意质保延长至18个月，付款方式改为3-6-1", "双方法务逐条确认，补充数据保密附件"}},
	{"delivery", 10, {{"客户要求{n}周内上线，标准实施周期为8周", 4, 6}, {"客户希望旺季前上线，时间很紧", 0, 0}},
	 {"增派实施顾问，核心模块分阶段先上线", "调整实施计划，先上线线索与客户模块"}},
	{"timing", 8, {{"客户年底预算冻结，希望推迟到下季度", 0, 0}, {"客户正在调整组织架构，项目暂缓", 0, 0}},
	 {"先签框架协议，明年初启动实施", "与客户确认架构调整后的启动时间，项目重启"}},
};
#define N_OBSTACLES ((int)(sizeof obstacles / sizeof obstacles[0]))

static const char *const care_first[] = {
	"交付启动会，确认实施计划与对接人", "实施启动，售后与客户IT对接数据迁移", "交付启动会，梳理上线里程碑",
};
static const char *const care_later[] = {
	"上线回访：了解使用情况，解答操作问题", "季度回访，收集改进建议", "回访销售经理，协助配置新报表",
};
static const struct {
	int score, weight;
	const char *note[2];
} ratings[] = {
	{5, 38, {"上线顺利，客户对实施团队很满意", "销售团队已全面使用，效果超出预期"}},
	{4, 42, {"整体满意，希望报表再灵活一些", "使用顺畅，移动端偶有卡顿"}},
	{3, 14, {"基本满意，数据迁移比预期慢", "功能可以，培训还需加强"}},
	{2, 6, {"实施延期两周，客户有意见", "响应速度慢，客户投诉过一次"}},
};
static const struct ph repurchase_notes[] = {
	{"二期项目：新增{n}个账号，推广到分公司", 10, 50},
	{"加购报表与ERP对接模块", 0, 0},
	{"合同到期续约，并升级到旗舰版", 0, 0},
};

static const char *const prefixes[] = {"135", "136", "137", "138", "139", "150", "151", "152", "158",
				       "159", "182", "183", "186", "187", "188", "177", "199"};

/* Repurchases and referrals wait until their time comes in the walk through the year. */
#define N_LATER 256
enum { LATER_REPURCHASE, LATER_REFERRAL };
struct later {
	int64_t at;
	int64_t from; /* the won customer */
	int kind;
};

struct demo {
	fnl_db *db;
	struct fnl_rng r;
	int64_t now, start;
	int64_t sales[4], manager, marketing, aftersales;
	int64_t limit; /* quote.discount_limit, hundredths of a percent */
	struct fnl_demo_stats *st;
	char phones[N_LEADS][16]; /* earlier phones, to make duplicates from */
	int64_t phone_lead[N_LEADS]; /* the lead of each */
	int nphones;
	struct later later[N_LATER];
	int nlater;
	unsigned char deals_on[400]; /* deals signed each day from start, for contract numbers */
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
	int x = fnl_rng_below(&d->r, total);
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

/* ---- text ---- */

/* Copy tmpl into buf with every "{n}" replaced by n. */
static void fill(char *buf, size_t len, const char *tmpl, long long n)
{
	size_t o = 0;
	for (const char *p = tmpl; *p && o + 1 < len; p++) {
		if (p[0] == '{' && p[1] == 'n' && p[2] == '}') {
			int w = snprintf(buf + o, len - o, "%lld", n);
			if (w < 0 || (size_t)w >= len - o)
				break;
			o += (size_t)w;
			p += 2;
		} else {
			buf[o++] = *p;
		}
	}
	buf[o] = '\0';
}

/* Say a phrase, with a number drawn for it when it has a range. */
static void say(struct demo *d, char *buf, size_t len, const struct ph *p)
{
	long long n = p->lo;
	if (p->hi > p->lo)
		n = span(&d->r, p->lo, p->hi);
	fill(buf, len, p->text, n);
}

/* The local date (YYYY-MM-DD) of an instant. */
static void day_of(struct demo *d, int64_t t, char buf[11])
{
	fnl_date_format(fnl_tz_local_date(fnl_db_tz(d->db), t), buf);
}

static void person(struct demo *d, char *buf, size_t len)
{
	int s = fnl_rng_below(&d->r, (int)(sizeof surnames / sizeof surnames[0]));
	int g = fnl_rng_below(&d->r, (int)(sizeof given / sizeof given[0]));
	snprintf(buf, len, "%s%s", surnames[s], given[g]);
}

static void mobile(struct demo *d, char *buf, size_t len)
{
	const char *prefix = PICK(&d->r, prefixes);
	int number = fnl_rng_below(&d->r, 100000000);
	snprintf(buf, len, "%s%08d", prefix, number);
}

/* A company and the person who left their details. */
struct ident {
	char company[FNL_COMPANY_LEN], contact[FNL_NAME_LEN], phone[16], email[FNL_TEXT_LEN], wechat[64];
	const char *title, *industry, *size, *region;
};

static void make_ident(struct demo *d, struct ident *id)
{
	int s = fnl_rng_below(&d->r, (int)(sizeof surnames / sizeof surnames[0]));
	int g = fnl_rng_below(&d->r, (int)(sizeof given / sizeof given[0]));
	int tr = fnl_rng_below(&d->r, (int)(sizeof trades / sizeof trades[0]));
	int city = fnl_rng_below(&d->r, (int)(sizeof cities / sizeof cities[0]));
	const char *suffix = PICK(&d->r, suffixes);
	const char *core = PICK(&d->r, cores);
	size_t wl = strlen(trades[tr].word);
	/* "生物科技" + "科技有限公司" would say 科技 twice */
	if (wl >= 6 && strcmp(trades[tr].word + wl - 6, "科技") == 0 && strncmp(suffix, "科技", 6) == 0)
		suffix += 6;
	snprintf(id->company, sizeof id->company, "%s%s%s%s", cities[city], core, trades[tr].word, suffix);
	snprintf(id->contact, sizeof id->contact, "%s%s", surnames[s], given[g]);
	mobile(d, id->phone, sizeof id->phone);
	const char *host = surnames_py[fnl_rng_below(&d->r, 20)];
	int hostno = fnl_rng_below(&d->r, 900) + 100;
	snprintf(id->email, sizeof id->email, "%s.%s@%s%d.com.cn", given_py[g], surnames_py[s], host, hostno);
	id->wechat[0] = '\0';
	if (fnl_rng_chance(&d->r, 30)) {
		int w = fnl_rng_below(&d->r, 10000);
		snprintf(id->wechat, sizeof id->wechat, "wxid_%s%s%d", surnames_py[s], given_py[g], w);
	}
	id->title = PICK(&d->r, titles);
	id->industry = trades[tr].industry;
	id->size = PICK(&d->r, sizes);
	id->region = regions[city];
}

/* The role in the decision a title usually has. */
static const char *role_of_title(const char *title)
{
	static const struct {
		const char *title, *role;
	} map[] = {
		{"总经理", "decision_maker"}, {"副总裁", "decision_maker"}, {"采购经理", "gatekeeper"},
		{"市场经理", "user"},         {"财务经理", "influencer"},   {"IT总监", "influencer"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(map[i].title, title) == 0)
			return map[i].role;
	return "influencer";
}

static const char *business_of(const char *industry, int shortname)
{
	for (size_t i = 0; i < sizeof businesses / sizeof businesses[0]; i++)
		if (strcmp(businesses[i].industry, industry) == 0)
			return shortname ? businesses[i].shortname : businesses[i].business;
	return shortname ? "科技" : "业务覆盖多个行业";
}

/* ---- the stages after qualification ---- */

/* The time a lead spends at a stage: entered at from, left (or to be left) at end. The records of
 * the stage fall at a permille of the way, in office hours when that is still before end, never
 * before an earlier record. */
struct stage_time {
	int64_t from, end, cur;
};

/* The instant at permille of the stage, not before the previous record was done; 0 when it has not
 * come yet. A record takes up to an hour (several entries a few minutes apart), all before now. */
static int64_t at_permille(struct demo *d, struct stage_time *st, int64_t done, int permille)
{
	int64_t x = st->from + (st->end - st->from) * permille / 1000;
	int64_t o = office_r(&d->r, x);
	if (o < st->end)
		x = o;
	if (x < st->cur)
		x = st->cur;
	if (x < done)
		x = done;
	st->cur = x;
	return x + HOUR < d->now ? x : 0;
}

/* Make a record of the stage at permille of the way (in a function with ctx, rc, d and st), or end
 * the stage's records when that time has not come yet. */
#define STEP(permille, record)                                              \
	do {                                                                 \
		if (!(ctx.now = at_permille(d, st, ctx.now, (permille))))    \
			return 0;                                            \
		if ((rc = (record)))                                         \
			return rc;                                           \
	} while (0)

struct need_ref {
	int num;      /* N1, N2, ... */
	int src;      /* a theme, or N_THEMES + a general need */
	int variant;  /* of the theme's need */
	int priority;
	int solved;
};

/* What a consultant knows about a lead they work past qualification. */
struct sale {
	int64_t id, actor;
	struct fnl_lead l;
	char owner_name[FNL_NAME_LEN];
	int nthemes, theme[2], variant[2];
	int64_t opener, s_theme, p[2], i[2], n[2]; /* SPIN entries, 0 when not asked */
	struct need_ref need[8];
	int nneeds, version;
	unsigned generals;                         /* general needs on the list, a bit each */
	int64_t dm;                                /* the decision maker among the contacts, or 0 */
	char dm_name[FNL_NAME_LEN], dm_title[FNL_NAME_LEN];
	int64_t accepted;                          /* the amount of the quote the customer took */
	int64_t last;                              /* the latest record before the walk */
};

static int prep(struct demo *d, struct sale *s, const struct fnl_ctx *ctx)
{
	char bg[FNL_NOTE_LEN], nw[FNL_NOTE_LEN], when[11];
	int year = (int)span(&d->r, 1996, 2018);
	const char *standing = PICK(&d->r, standings);
	snprintf(bg, sizeof bg, "成立于%d年，%s，员工规模%s，%s。", year, business_of(s->l.industry, 0),
		 s->l.size[0] ? s->l.size : "不详", standing);
	int k = fnl_rng_below(&d->r, (int)(sizeof news / sizeof news[0]));
	say(d, nw, sizeof nw, &news[k]);
	int64_t days = span(&d->r, 30, 90);
	day_of(d, ctx->now + days * DAY, when);
	return fnl_prep_set(d->db, ctx, s->id, bg, nw, role_of_title(s->l.title), when, NULL);
}

/* The decision chain: one to three people besides the lead's contact, the decision maker first
 * when the contact is not it. */
static int contacts(struct demo *d, struct sale *s, struct fnl_ctx *ctx)
{
	const char *own = role_of_title(s->l.title);
	int own_i = 0;
	for (int r = 0; r < 4; r++)
		if (strcmp(chain[r].role, own) == 0)
			own_i = r;
	int cand[4], nc = 0;
	if (own_i != 0)
		cand[nc++] = 0;
	int rot = fnl_rng_below(&d->r, 3);
	for (int j = 0; j < 3; j++) {
		int r = 1 + (j + rot) % 3;
		if (r != own_i)
			cand[nc++] = r;
	}
	int n = 1 + fnl_rng_below(&d->r, 3);
	for (int i = 0; i < n && i < nc; i++) {
		int r = cand[i];
		char name[FNL_NAME_LEN], phone[16] = "";
		person(d, name, sizeof name);
		if (strcmp(name, s->l.contact) == 0)
			person(d, name, sizeof name);
		const char *title = chain[r].titles[fnl_rng_below(&d->r, 3)];
		const char *notes = chain[r].notes[fnl_rng_below(&d->r, 2)];
		if (fnl_rng_chance(&d->r, 60))
			mobile(d, phone, sizeof phone);
		struct fnl_contact c;
		int rc = fnl_contact_add(d->db, ctx, s->id, name, title, chain[r].role, phone, "", notes, &c);
		if (rc)
			return rc;
		if (r == 0) {
			s->dm = c.id;
			snprintf(s->dm_name, sizeof s->dm_name, "%s", name);
			snprintf(s->dm_title, sizeof s->dm_title, "%s", title);
		}
		ctx->now += 60;
	}
	return 0;
}

static int spin(struct demo *d, struct sale *s, struct fnl_ctx *ctx, const char *kind, const char *q,
		const struct ph *a, int64_t *id)
{
	char answer[FNL_NOTE_LEN];
	say(d, answer, sizeof answer, a);
	struct fnl_spin out;
	int rc = fnl_spin_add(d->db, ctx, s->id, kind, q, answer, &out);
	if (rc == 0)
		*id = out.id;
	ctx->now += 120;
	return rc;
}

/* Ask about theme k of the lead: P, then I and N when asked for. */
static int spin_theme(struct demo *d, struct sale *s, struct fnl_ctx *ctx, int k, int ask_i, int ask_n)
{
	const struct theme *th = &themes[s->theme[k]];
	int v = fnl_rng_below(&d->r, 2);
	int rc = spin(d, s, ctx, "P", th->pq[v], &th->pa[v], &s->p[k]);
	if (!rc && ask_i) {
		v = fnl_rng_below(&d->r, 2);
		rc = spin(d, s, ctx, "I", th->iq[v], &th->ia[v], &s->i[k]);
	}
	if (!rc && ask_n) {
		v = fnl_rng_below(&d->r, 2);
		rc = spin(d, s, ctx, "N", th->nq[v], &th->na[v], &s->n[k]);
	}
	return rc;
}

/* The needs interview with the lead's contact: 3 to 5 SPIN entries. */
static int interview(struct demo *d, struct sale *s, struct fnl_ctx *ctx)
{
	int rc = activity(d, s->id, s->actor, ctx->now, "meeting", "需求访谈（SPIN）：了解现状、痛点与期望",
			  "客户认可问题所在，同意继续深入沟通");
	if (rc)
		return rc;
	ctx->now += 300;
	int o = fnl_rng_below(&d->r, (int)(sizeof openers / sizeof openers[0]));
	int a = fnl_rng_below(&d->r, openers[o].na);
	if ((rc = spin(d, s, ctx, "S", openers[o].q, &openers[o].a[a], &s->opener)))
		return rc;
	if (fnl_rng_chance(&d->r, 50)) {
		const struct theme *th = &themes[s->theme[0]];
		int v = fnl_rng_below(&d->r, 2);
		if ((rc = spin(d, s, ctx, "S", th->sq[v], &th->sa[v], &s->s_theme)))
			return rc;
	}
	int ask_i = fnl_rng_chance(&d->r, 70);
	return spin_theme(d, s, ctx, 0, ask_i, 1);
}

/* A second talk, with the decision chain, on the second theme: up to six SPIN entries in all. */
static int second_talk(struct demo *d, struct sale *s, struct fnl_ctx *ctx)
{
	int rc = activity(d, s->id, s->actor, ctx->now, "visit", "现场调研与决策链梳理", "");
	if (rc)
		return rc;
	ctx->now += 300;
	int asked = 3 + (s->s_theme != 0) + (s->i[0] != 0);
	int ask_i = asked + 2 < 6 && fnl_rng_chance(&d->r, 40);
	int ask_n = asked + 1 + ask_i < 6;
	return spin_theme(d, s, ctx, 1, ask_i, ask_n);
}

static int add_need(struct demo *d, struct sale *s, const struct fnl_ctx *ctx, const char *text, int priority,
		    const int64_t *spins, size_t nspins, int src, int variant)
{
	if (s->nneeds >= (int)(sizeof s->need / sizeof s->need[0]))
		return 0;
	int rc = fnl_needs_add(d->db, ctx, s->id, text, priority, spins, nspins, NULL);
	if (rc)
		return rc;
	struct need_ref *n = &s->need[s->nneeds];
	/* numbers run on over the versions: nothing is removed here */
	n->num = ++s->nneeds;
	n->src = src;
	n->variant = variant;
	n->priority = priority;
	n->solved = 0;
	if (!s->version)
		s->version = 1;
	return 0;
}

/* A general need the list does not have yet, or -1. */
static int general_unused(struct demo *d, struct sale *s)
{
	int g = fnl_rng_below(&d->r, N_GENERALS);
	for (int i = 0; i < N_GENERALS; i++, g = (g + 1) % N_GENERALS)
		if (!(s->generals & (1u << g)))
			return g;
	return -1;
}

static int add_general(struct demo *d, struct sale *s, const struct fnl_ctx *ctx, int g, int priority)
{
	char text[FNL_NOTE_LEN];
	say(d, text, sizeof text, &generals[g].need);
	s->generals |= 1u << g;
	return add_need(d, s, ctx, text, priority, &s->opener, s->opener ? 1 : 0, N_THEMES + g, 0);
}

/* The customer needs list: a need for each theme asked about and a few general ones, 2 to 5. */
static int needs(struct demo *d, struct sale *s, struct fnl_ctx *ctx)
{
	for (int k = 0; k < s->nthemes; k++) {
		if (!s->p[k])
			continue;
		int64_t spins[4];
		size_t n = 0;
		if (k == 0 && s->s_theme)
			spins[n++] = s->s_theme;
		spins[n++] = s->p[k];
		if (s->i[k])
			spins[n++] = s->i[k];
		if (s->n[k])
			spins[n++] = s->n[k];
		int priority = k == 0 ? 1 : 1 + fnl_rng_chance(&d->r, 50);
		const struct theme *th = &themes[s->theme[k]];
		int rc = add_need(d, s, ctx, th->need[s->variant[k]], priority, spins, n, s->theme[k], s->variant[k]);
		if (rc)
			return rc;
		ctx->now += 60;
	}
	int ng = s->nneeds < 2 ? 1 + fnl_rng_below(&d->r, 3) : fnl_rng_below(&d->r, 4);
	for (int i = 0; i < ng; i++) {
		int g = general_unused(d, s);
		if (g < 0)
			break;
		int priority = 2 + fnl_rng_chance(&d->r, 50);
		int rc = add_general(d, s, ctx, g, priority);
		if (rc)
			return rc;
		ctx->now += 60;
	}
	return 0;
}

static int confirm(struct demo *d, struct sale *s, struct fnl_ctx *ctx)
{
	static const struct {
		const char *how, *kind, *summary;
	} ways[] = {
		{"meeting", "meeting", "会议逐条确认《客户需求清单》"},
		{"email", "email", "邮件发送《客户需求清单》，客户回复确认"},
		{"phone", "call", "电话逐条核对《客户需求清单》，客户确认"},
		{"message", "message", "微信发送《客户需求清单》，客户回复确认"},
	};
	int x = fnl_rng_below(&d->r, 100);
	int w = x < 35 ? 0 : x < 70 ? 1 : x < 95 ? 2 : 3;
	int64_t by = s->dm && fnl_rng_chance(&d->r, 50) ? s->dm : 0;
	int rc = fnl_needs_confirm(d->db, ctx, s->id, by, ways[w].how, 0, NULL);
	if (rc)
		return rc;
	char summary[FNL_TEXT_LEN];
	snprintf(summary, sizeof summary, "%s（V%d）", ways[w].summary, s->version);
	return activity(d, s->id, s->actor, ctx->now, ways[w].kind, summary, "需求清单已确认");
}

/* The customer changes the confirmed list: a need more, or another priority. The next version. */
static int change_needs(struct demo *d, struct sale *s, struct fnl_ctx *ctx)
{
	char summary[FNL_TEXT_LEN];
	int rc;
	int g = general_unused(d, s);
	int add = fnl_rng_chance(&d->r, 65);
	if (add && g >= 0) {
		if ((rc = add_general(d, s, ctx, g, 2)))
			return rc;
		snprintf(summary, sizeof summary, "客户补充需求N%d，需求清单更新为V%d", s->nneeds, s->version + 1);
	} else {
		struct need_ref *n = &s->need[s->nneeds - 1];
		int priority = n->priority == 1 ? 2 : 1;
		if ((rc = fnl_needs_edit(d->db, ctx, s->id, n->num, NULL, priority, NULL, 0, NULL)))
			return rc;
		snprintf(summary, sizeof summary, "客户调整需求N%d的优先级为%d，需求清单更新为V%d", n->num, priority,
			 s->version + 1);
		n->priority = priority;
	}
	s->version++;
	ctx->now += 600;
	return activity(d, s->id, s->actor, ctx->now, "call", summary, "");
}

/* A solution item for need i: function, value (quantified about half the time) and a case. */
static int solve(struct demo *d, struct sale *s, struct fnl_ctx *ctx, int i)
{
	struct need_ref *n = &s->need[i];
	const char *function, *value, *unit;
	const struct ph *fv;
	int step = 1;
	if (n->src < N_THEMES) {
		const struct theme *th = &themes[n->src];
		function = th->function[n->variant];
		value = th->value[n->variant];
		fv = &th->fvalue;
		unit = th->unit;
		step = th->step;
	} else {
		function = generals[n->src - N_THEMES].function;
		value = generals[n->src - N_THEMES].value;
		fv = &generals[n->src - N_THEMES].fvalue;
		unit = generals[n->src - N_THEMES].unit;
	}
	char vbuf[FNL_NOTE_LEN], figure[32] = "", cref[FNL_TEXT_LEN], note[FNL_TEXT_LEN];
	if (fv->text && fnl_rng_chance(&d->r, 70)) {
		long long x = span(&d->r, fv->lo, fv->hi);
		x = x / step * step;
		fill(vbuf, sizeof vbuf, fv->text, x);
		value = vbuf;
		snprintf(figure, sizeof figure, "%lld", x);
	}
	const char *city = PICK(&d->r, cities);
	const char *tmpl = PICK(&d->r, case_notes);
	int64_t people = span(&d->r, 3, 18);
	fill(note, sizeof note, tmpl, strstr(tmpl, "团队") ? people * 8 : people);
	snprintf(cref, sizeof cref, "%s某%s企业%s", city, business_of(s->l.industry, 1), note);
	int rc = fnl_solution_add(d->db, ctx, s->id, n->num, function, value, figure[0] ? figure : NULL,
				  figure[0] ? unit : NULL, cref, NULL);
	if (rc == 0)
		n->solved = 1;
	ctx->now += 120;
	return rc;
}

static int solve_all(struct demo *d, struct sale *s, struct fnl_ctx *ctx)
{
	for (int i = 0; i < s->nneeds; i++)
		if (!s->need[i].solved) {
			int rc = solve(d, s, ctx, i);
			if (rc)
				return rc;
		}
	return 0;
}

static int present(struct demo *d, struct sale *s, struct fnl_ctx *ctx, int good)
{
	char day[11], attendees[FNL_TEXT_LEN];
	day_of(d, ctx->now, day);
	if (s->dm)
		snprintf(attendees, sizeof attendees, "客户方：%s（%s）、%s（%s）；我方：%s、售前顾问", s->l.contact,
			 s->l.title, s->dm_name, s->dm_title, s->owner_name);
	else
		snprintf(attendees, sizeof attendees, "客户方：%s（%s）等%d人；我方：%s、售前顾问", s->l.contact,
			 s->l.title, 2 + fnl_rng_below(&d->r, 4), s->owner_name);
	const char *feedback = good ? PICK(&d->r, feedback_good) : PICK(&d->r, feedback_bad);
	int rc = fnl_presentation_add(d->db, ctx, s->id, day, attendees, feedback, NULL);
	if (rc)
		return rc;
	return activity(d, s->id, s->actor, ctx->now, "demo", "方案演示：逐条对照《客户需求清单》讲解功能、价值与案例",
			feedback);
}

/* Needs discovery: preparation, the decision chain, SPIN, the needs list and its confirmation. A
 * lead lost here stops on the way; one that skips the solution stage gets its solution here. */
static int discover(struct demo *d, struct sale *s, struct stage_time *st, int pass, int skip)
{
	struct fnl_ctx ctx = {0, s->actor};
	int rc = 0;
	s->theme[0] = fnl_rng_below(&d->r, N_THEMES);
	s->variant[0] = fnl_rng_below(&d->r, 2);
	s->nthemes = 1 + fnl_rng_chance(&d->r, 55);
	int other = fnl_rng_below(&d->r, N_THEMES - 1);
	s->theme[1] = (s->theme[0] + 1 + other) % N_THEMES;
	s->variant[1] = fnl_rng_below(&d->r, 2);
	/* how far a lost lead got: 1 the interview, 2 the second talk, 3 a draft list */
	int upto = pass ? 4 : 1 + fnl_rng_below(&d->r, 3);
	STEP(40, prep(d, s, &ctx));
	STEP(120, contacts(d, s, &ctx));
	STEP(250, interview(d, s, &ctx));
	if (upto < 2)
		return 0;
	if (s->nthemes == 2)
		STEP(420, second_talk(d, s, &ctx));
	if (upto < 3)
		return 0;
	STEP(600, needs(d, s, &ctx));
	if (upto < 4)
		return 0;
	STEP(780, confirm(d, s, &ctx));
	if (skip)
		STEP(900, solve_all(d, s, &ctx));
	return 0;
}

/* The solution: an item for each need, now and then a change of the list the customer asks for
 * (a new version, confirmed again), and the presentation. */
static int propose(struct demo *d, struct sale *s, struct stage_time *st, int pass)
{
	struct fnl_ctx ctx = {0, s->actor};
	int rc = 0;
	int presented = pass || fnl_rng_chance(&d->r, 70);
	int change = pass && fnl_rng_chance(&d->r, 20);
	STEP(150, solve_all(d, s, &ctx));
	if (change) {
		STEP(300, change_needs(d, s, &ctx));
		STEP(450, confirm(d, s, &ctx));
		STEP(500, solve_all(d, s, &ctx));
	}
	if (presented)
		STEP(650, present(d, s, &ctx, pass));
	return 0;
}

/* The obstacle of a type; price when there is none. */
static int obstacle_of(const char *type)
{
	for (int i = 0; i < N_OBSTACLES; i++)
		if (strcmp(obstacles[i].type, type) == 0)
			return i;
	return 0;
}

static int pick_obstacle(struct demo *d, int not)
{
	int total = 0;
	for (int i = 0; i < N_OBSTACLES; i++)
		total += i == not ? 0 : obstacles[i].weight;
	int x = fnl_rng_below(&d->r, total);
	for (int i = 0; i < N_OBSTACLES; i++) {
		if (i == not)
			continue;
		if (x < obstacles[i].weight)
			return i;
		x -= obstacles[i].weight;
	}
	return 0;
}

static int quote(struct demo *d, struct sale *s, struct fnl_ctx *ctx, int64_t list_price, int64_t discount,
		 struct fnl_quote *q)
{
	int64_t amount = list_price / 100 * (10000 - discount) / 10000 * 100;
	const char *t = PICK(&d->r, terms);
	int delivery = 30 + 15 * fnl_rng_below(&d->r, 5);
	int rc = fnl_quote_add(d->db, ctx, s->id, amount, (int)discount, t, delivery, q);
	if (rc)
		return rc;
	char money[32], pct[16], summary[FNL_TEXT_LEN];
	fnl_money_format(amount, money, sizeof money);
	fnl_percent_format((int)discount, pct, sizeof pct);
	snprintf(summary, sizeof summary, "第%d轮商务谈判：报价%s元，折扣%s%%", q->round, money, pct);
	return activity(d, s->id, s->actor, ctx->now, "meeting", summary,
			strcmp(q->status, "pending") == 0 ? "折扣超出权限，提交经理审批" : "");
}

/* Negotiation: one to three quote rounds with rising discounts, a discount above the limit now and
 * then for the manager to approve or reject, and obstacles, resolved unless they lost the deal. */
static int negotiate(struct demo *d, struct sale *s, struct stage_time *st, int pass, const char *reason)
{
	struct fnl_ctx ctx = {0, s->actor};
	int rc = 0;
	int64_t expected = s->l.has_amount && s->l.amount > 0 ? s->l.amount : 10000000;
	int64_t markup = span(&d->r, 0, 15);
	int64_t list_price = expected * (100 + markup) / 100 / 100000 * 100000;
	if (list_price < 100000)
		list_price = 100000;
	int x = fnl_rng_below(&d->r, 100);
	int rounds = x < 35 ? 1 : x < 75 ? 2 : 3;
	x = fnl_rng_below(&d->r, 100);
	int nob = pass ? (x < 30 ? 0 : x < 75 ? 1 : 2) : 1 + (x < 30);
	int type[2];
	/* a lost deal fails on the obstacle its reason names (price, competitor, timing) */
	type[0] = pass ? pick_obstacle(d, -1) : obstacle_of(reason);
	type[1] = pick_obstacle(d, type[0]);
	int64_t ob[2] = {0, 0}, prev = 0;
	for (int r = 0; r < rounds || r < nob; r++) {
		int p = 100 + 250 * r;
		if (r < rounds) {
			int last = r == rounds - 1;
			int over = last && fnl_rng_chance(&d->r, rounds > 1 ? 25 : 10);
			int64_t pct;
			if (last)
				pct = rounds == 1 ? span(&d->r, 5, 12) : span(&d->r, 10, 15);
			else
				pct = r == 0 ? span(&d->r, 5, 8) : span(&d->r, 8, 12);
			int64_t bp = pct * 100;
			if (over) {
				bp = d->limit + span(&d->r, 1, 7) * 100;
			} else {
				if (fnl_rng_chance(&d->r, 20))
					bp += 50;
				if (bp <= prev)
					bp = prev + 100;
				if (bp > d->limit)
					bp = d->limit;
			}
			prev = bp;
			struct fnl_quote q;
			STEP(p, quote(d, s, &ctx, list_price, bp, &q));
			if (strcmp(q.status, "pending") == 0) {
				int approve = fnl_rng_chance(&d->r, 80);
				const char *note = approve ? PICK(&d->r, approve_notes) : PICK(&d->r, reject_notes);
				/* the manager decides within two days, before the stage ends */
				int64_t wait = span(&d->r, 2, 48);
				struct fnl_ctx mctx = {office_r(&d->r, ctx.now + wait * HOUR), d->manager};
				if (mctx.now >= st->end)
					mctx.now = at_permille(d, st, ctx.now, p + 50);
				if (!mctx.now || mctx.now + HOUR >= d->now)
					return 0; /* still waiting for the manager */
				if (mctx.now > st->cur)
					st->cur = mctx.now;
				if ((rc = fnl_quote_decide(d->db, &mctx, q.id, approve, note, NULL)))
					return rc;
				if (approve) {
					s->accepted = q.amount;
				} else if (pass) {
					/* back within the limit, exactly at it */
					STEP(p + 100, quote(d, s, &ctx, list_price, d->limit, &q));
					s->accepted = q.amount;
				}
			} else {
				s->accepted = q.amount;
			}
		}
		if (r < nob) {
			const struct ph *t = &obstacles[type[r]].text[fnl_rng_below(&d->r, 2)];
			char text[FNL_NOTE_LEN];
			say(d, text, sizeof text, t);
			struct fnl_obstacle o;
			STEP(p + 150, fnl_obstacle_add(d->db, &ctx, s->id, obstacles[type[r]].type, text, &o));
			ob[r] = o.id;
		}
	}
	for (int r = 0; r < nob; r++) {
		if (!pass && r == 0)
			continue; /* the one that lost the deal stays open */
		const char *resolution = obstacles[type[r]].resolution[fnl_rng_below(&d->r, 2)];
		STEP(850 + 50 * r, fnl_obstacle_resolve(d->db, &ctx, ob[r], resolution, NULL));
	}
	return 0;
}

/* The records of stage k (0 qualify ... 3 negotiate) while a lead is there. */
static int stage_records(struct demo *d, struct sale *s, int k, struct stage_time *st, int pass,
			 const char *reason, int skip)
{
	switch (k) {
	case 1:
		return discover(d, s, st, pass, skip);
	case 2:
		return propose(d, s, st, pass);
	case 3:
		return negotiate(d, s, st, pass, reason);
	default:
		return 0;
	}
}

static void schedule(struct demo *d, int64_t at, int64_t from, int kind)
{
	if (d->nlater >= N_LATER || at >= d->now)
		return;
	int i = d->nlater;
	while (i > 0 && d->later[i - 1].at > at) {
		d->later[i] = d->later[i - 1];
		i--;
	}
	d->later[i].at = at;
	d->later[i].from = from;
	d->later[i].kind = kind;
	d->nlater++;
}

/* After the deal: the hand-over to after-sales, care, satisfaction, and later perhaps a
 * repurchase or a referral. */
static int aftersales(struct demo *d, struct sale *s, int64_t t, const char *contract)
{
	int64_t days = span(&d->r, 1, 5);
	int64_t at = office_r(&d->r, t + days * DAY);
	if (at >= d->now)
		return 0;
	struct fnl_ctx ctx = {at, s->actor};
	char note[FNL_NOTE_LEN];
	snprintf(note, sizeof note, "合同%s已签，交付与回访交由售后；客户最关注：%s", contract,
		 themes[s->theme[0]].need[s->variant[0]]);
	int rc = fnl_aftersales_handover(d->db, &ctx, s->id, "sunli", note, NULL);
	if (rc)
		return rc;
	days = span(&d->r, 1, 7);
	at = office_r(&d->r, at + days * DAY);
	if (at >= d->now)
		return 0;
	const char *care = PICK(&d->r, care_first);
	if ((rc = activity(d, s->id, d->aftersales, at, "aftersales", care, "")))
		return rc;
	int rated = fnl_rng_chance(&d->r, 85);
	days = span(&d->r, 20, 60);
	at = office_r(&d->r, at + days * DAY);
	int score = 0;
	if (rated && at < d->now) {
		int x = fnl_rng_below(&d->r, 100), i = 0;
		while (i < 3 && x >= ratings[i].weight) {
			x -= ratings[i].weight;
			i++;
		}
		score = ratings[i].score;
		const char *rnote = ratings[i].note[fnl_rng_below(&d->r, 2)];
		ctx.now = at;
		ctx.actor = d->aftersales;
		if ((rc = fnl_satisfaction_add(d->db, &ctx, s->id, score, rnote, NULL)))
			return rc;
	}
	days = span(&d->r, 20, 60);
	at = office_r(&d->r, at + days * DAY);
	if (at < d->now && fnl_rng_chance(&d->r, 60)) {
		const char *later = PICK(&d->r, care_later);
		if ((rc = activity(d, s->id, d->aftersales, at, "aftersales", later, "")))
			return rc;
	}
	if (fnl_rng_chance(&d->r, 30)) {
		days = span(&d->r, 90, 240);
		schedule(d, office_r(&d->r, t + days * DAY), s->id, LATER_REPURCHASE);
	}
	if (score >= 4 && fnl_rng_chance(&d->r, 22)) {
		days = span(&d->r, 30, 150);
		schedule(d, office_r(&d->r, t + days * DAY), s->id, LATER_REFERRAL);
	}
	return 0;
}

/* The deal, at the end of negotiation: a contract at about the last quote, signed today. */
static int close_deal(struct demo *d, struct sale *s, int64_t t)
{
	struct fnl_ctx ctx = {t, s->actor};
	char contract[24], signed_on[11], delivery[11];
	int64_t day = fnl_tz_local_date(fnl_db_tz(d->db), t);
	int64_t y;
	fnl_civil_from_days(day, &y, NULL, NULL);
	/* numbered by the day of the year, so the numbers follow the signing dates */
	int64_t doy = day - fnl_days_from_civil(y, 1, 1) + 1;
	int64_t slot = day - d->start / DAY;
	int nth = slot >= 0 && slot < (int64_t)sizeof d->deals_on ? d->deals_on[slot]++ % 10 : 0;
	snprintf(contract, sizeof contract, "HT-%04d-%04d", (int)y, (int)(doy * 10 + nth));
	fnl_date_format(day, signed_on);
	int64_t lead_days = span(&d->r, 3, 20);
	fnl_date_format(day + lead_days, delivery);
	int64_t amount = s->accepted > 0 ? s->accepted : s->l.amount > 0 ? s->l.amount : 10000000;
	int rc = fnl_deal_close(d->db, &ctx, s->id, contract, amount, signed_on, delivery, 0, &s->l);
	if (rc)
		return rc;
	d->st->won++;
	return aftersales(d, s, t, contract);
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

/* The customer reopens the requirements after the presentation: back to discovery, the list changed
 * and confirmed again, the solution completed, and on to the solution stage again. *t is when it
 * goes on; 0 when now arrives first. */
static int rework(struct demo *d, struct sale *s, int64_t *t)
{
	struct fnl_ctx ctx = {*t, s->actor};
	struct fnl_lead l;
	int rc = fnl_lead_move(d->db, &ctx, s->id, "discover", "客户调整需求范围，重新梳理", &l);
	if (rc)
		return rc;
	int64_t days = span(&d->r, 1, 2);
	int64_t at = office_r(&d->r, *t + days * DAY);
	*t = 0;
	if (at + HOUR >= d->now)
		return 0;
	ctx.now = at;
	if ((rc = change_needs(d, s, &ctx)))
		return rc;
	days = span(&d->r, 2, 7);
	at = office_r(&d->r, ctx.now + days * DAY);
	if (at + 2 * HOUR >= d->now)
		return 0;
	ctx.now = at;
	if ((rc = confirm(d, s, &ctx)))
		return rc;
	ctx.now += 1800;
	if ((rc = fnl_lead_move(d->db, &ctx, s->id, "propose", "", &l)) || (rc = solve_all(d, s, &ctx)))
		return rc;
	days = span(&d->r, 3, 8);
	at = office_r(&d->r, ctx.now + days * DAY);
	if (at < d->now)
		*t = at;
	return 0;
}

/* Walk an open, qualified lead through the later stages until it is won, lost or now arrives. */
static int walk(struct demo *d, struct sale *s, int64_t t, int grade_bonus)
{
	/* chance in % to pass each transition from qualify on: qualify->discover, ->propose, ... */
	static const int base[4] = {55, 60, 58, 66};
	static const int64_t dwell[4] = {6, 9, 11, 12}; /* typical days in qualify, discover, propose, negotiate */
	int rc;
	for (int k = 0; k < 4; k++) {
		int64_t days = span(&d->r, dwell[k] / 2, dwell[k] * 2);
		int64_t hours = span(&d->r, 0, 8);
		int64_t next_t = office_r(&d->r, t + days * DAY + hours * HOUR);
		struct stage_time st = {t, next_t, t > s->last ? t : s->last};
		/* records of the stage take up to an hour each: a stage that ends later than that
		 * before now is still going on */
		if (next_t + HOUR >= d->now) {
			/* still at this stage today: what has happened so far, and a follow-up booked (some
			 * already overdue) */
			if ((rc = stage_records(d, s, k, &st, 1, NULL, 0)))
				return rc;
			int64_t h = span(&d->r, 0, (d->now - t) / HOUR);
			int64_t at = office_r(&d->r, t + h * HOUR);
			int64_t after = st.cur > t ? st.cur + HOUR : t;
			if (at < after)
				at = after;
			if (at >= d->now)
				at = d->now;
			int64_t next = span(&d->r, 1, 10);
			return activity_next(d, s->id, s->actor, at, "call", "跟进项目进展", "", at + next * DAY);
		}
		int pass = fnl_rng_chance(&d->r, base[k] + grade_bonus);
		const char *reason = NULL;
		if (!pass)
			reason = loss_by_stage[k + 1][fnl_rng_below(&d->r, 4)];
		/* the odd skip: a partner brings a buyer ready to negotiate */
		int skip = pass && k == 1 && grade_bonus > 10 && fnl_rng_chance(&d->r, 10);
		if ((rc = stage_records(d, s, k, &st, pass, reason, skip)))
			return rc;
		t = next_t;
		struct fnl_ctx ctx = {t, s->actor};
		if (!pass) {
			struct fnl_lead l;
			if ((rc = fnl_lead_lose(d->db, &ctx, s->id, reason, "", &l)))
				return rc;
			d->st->lost++;
			return 0;
		}
		if (k == 3)
			return close_deal(d, s, t);
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
			if ((rc = fnl_lead_edit(d->db, &ctx, s->id, &in, &s->l)))
				return rc;
			if ((rc = activity(d, s->id, s->actor, t, "call", "预约需求访谈，确认参会人与访谈提纲", "")))
				return rc;
		}
		/* a move back now and then: the customer reopens the requirements */
		if (k == 2 && fnl_rng_chance(&d->r, 8)) {
			if ((rc = rework(d, s, &t)))
				return rc;
			if (!t)
				return 0;
			ctx.now = t;
		}
		const char *to = stage_keys[k + 2];
		if (skip) {
			to = "negotiate";
			k++;
		}
		struct fnl_lead l;
		if ((rc = fnl_lead_move(d->db, &ctx, s->id, to, "", &l)))
			return rc;
	}
	return 0;
}

/* The actor working a lead: its owner (they are all sales users here). */
static int64_t owner_of(struct demo *d, const struct fnl_lead *l, char *name, size_t len)
{
	struct fnl_user u;
	if (l->owner[0] && fnl_user_get(d->db, l->owner, &u) == 0) {
		snprintf(name, len, "%s", u.name);
		return u.id;
	}
	snprintf(name, len, "%s", "王强");
	return d->manager;
}

/* Qualify a lead captured at `at`, follow it up and walk it through the funnel. */
static int work(struct demo *d, const struct fnl_lead *captured, int q, int64_t at)
{
	struct sale *s = calloc(1, sizeof *s);
	if (!s)
		return fnl__err(d->db, FNL_ENOMEM, NULL, "out of memory");
	s->l = *captured;
	s->id = captured->id;
	s->actor = owner_of(d, captured, s->owner_name, sizeof s->owner_name);
	struct fnl_lead *l = &s->l;
	int64_t id = s->id, actor = s->actor;
	int rc = 0;
	/* qualification, typically within a day or two */
	int64_t hours = span(&d->r, 2, 60);
	int64_t t = office_r(&d->r, at + hours * HOUR);
	if (t >= d->now)
		goto out; /* not qualified yet: in the queue as "to qualify" */
	int b = clamp5(fnl_rng_below(&d->r, 5) + 1 + (q > 1));
	int n = clamp5(fnl_rng_below(&d->r, 5) + 1 + (q > 0));
	int dd = clamp5(fnl_rng_below(&d->r, 5) + 1 + (q > 2) - (q < 0));
	int u = clamp5(fnl_rng_below(&d->r, 5) + 1);
	struct fnl_ctx ctx = {t, actor};
	if ((rc = fnl_lead_score(d->db, &ctx, id, b, n, dd, u, l)))
		goto out;
	int bonus = l->grade[0] == 'A' ? 22 : l->grade[0] == 'B' ? 5 : -25;
	bonus += q * 3;
	if (l->grade[0] == 'C') {
		/* nurture: touches; some come back after a re-evaluation, many fade */
		int64_t touch = t + 14 * DAY;
		if (touch < d->now && (rc = activity(d, id, actor, touch, "nurture", "推送行业案例与白皮书", "")))
			goto out;
		int64_t re = t + 30 * DAY;
		if (re >= d->now) {
			for (touch += 14 * DAY; touch < d->now && fnl_rng_chance(&d->r, 70); touch += 14 * DAY)
				if ((rc = activity(d, id, actor, touch, "nurture", "推送行业动态", "")))
					goto out;
			goto out;
		}
		ctx.now = re;
		if (fnl_rng_chance(&d->r, 25)) {
			if ((rc = fnl_lead_score(d->db, &ctx, id, clamp5(b + 2), clamp5(n + 2), clamp5(dd + 1),
						 clamp5(u + 2), l)))
				goto out;
			t = re;
			bonus = 0;
		} else {
			if (fnl_rng_chance(&d->r, 50)) {
				if ((rc = fnl_lead_lose(d->db, &ctx, id, "no_response", "培育期内无回应", l)))
					goto out;
				d->st->lost++;
			}
			goto out;
		}
	}
	/* the first follow-up: usually in time, sometimes late, for the recent ones perhaps not yet */
	int64_t sla = l->sla_due_at ? l->sla_due_at - t : 48 * HOUR;
	int64_t in_time = sla / HOUR - 1 > 1 ? sla / HOUR - 1 : 1;
	int late = !fnl_rng_chance(&d->r, 85);
	int64_t delay = late ? sla + span(&d->r, 2, 72) * HOUR : span(&d->r, 1, in_time) * HOUR;
	int64_t first = office_r(&d->r, t + delay);
	if (first >= d->now)
		goto out;
	t = first;
	const char *kind = fnl_rng_chance(&d->r, 70) ? "call" : "email";
	if ((rc = activity(d, id, actor, t, kind, "首次跟进，确认需求与预算", "客户愿意进一步沟通")))
		goto out;
	if (l->grade[0] == 'B' && t + DAY < d->now) {
		if ((rc = activity(d, id, actor, t + DAY, "email", "发送行业案例资料", "")))
			goto out;
		s->last = t + DAY;
	}
	rc = walk(d, s, t, bonus);
out:
	free(s);
	return rc;
}

/*
 * 1 when a lead captured at t may repeat phone k: the demo walks each lead to its end before the
 * next is captured, so a lead with that phone may already be won or lost though at t it was still
 * being worked. A duplicate would then be checked against a state the lead did not have at t (it
 * would come in as a returning customer before the customer left): such a lead keeps its own phone.
 * -1 on a database error.
 */
static int again_about(struct demo *d, int k, int64_t t)
{
	struct fnl_ctx sys = {d->now, 0};
	for (int j = 0; j < d->nphones; j++) {
		if (strcmp(d->phones[j], d->phones[k]) != 0)
			continue;
		struct fnl_lead e;
		if (fnl_lead_get(d->db, &sys, d->phone_lead[j], &e))
			return -1;
		if ((strcmp(e.status, "won") == 0 && e.won_at > t) || (strcmp(e.status, "lost") == 0 && e.lost_at > t))
			return 0;
	}
	return 1;
}

static int one_lead(struct demo *d, int64_t captured)
{
	const struct chan *ch = pick_channel(d);
	struct ident id;
	make_ident(d, &id);

	/* the dirt real capture brings in: test entries, bad numbers, re-inquiries */
	int dirt = fnl_rng_below(&d->r, 100);
	if (dirt < 2) {
		snprintf(id.phone, sizeof id.phone, "13800138000");
	} else if (dirt < 3) {
		snprintf(id.contact, sizeof id.contact, "测试");
	} else if (dirt < 5) {
		int x = fnl_rng_below(&d->r, 900) + 100;
		snprintf(id.phone, sizeof id.phone, "1380013%d", x);
	} else if (dirt < 11 && d->nphones > 40) {
		/* a re-inquiry, usually about a recent lead: the back-th of the last 60 it may be about */
		int back = fnl_rng_below(&d->r, 6);
		for (int k = d->nphones - 1; k >= 0 && k >= d->nphones - 60; k--) {
			int rc = again_about(d, k, captured);
			if (rc < 0)
				return fnl_db_error(d->db)->code;
			if (rc && back-- == 0) {
				snprintf(id.phone, sizeof id.phone, "%s", d->phones[k]);
				break;
			}
		}
	}

	struct fnl_lead_input in = {0};
	in.company = id.company;
	in.contact = id.contact;
	in.title = id.title;
	in.phone = id.phone;
	in.email = dirt < 11 ? "" : id.email;
	in.wechat = id.wechat;
	in.industry = id.industry;
	in.size = id.size;
	in.region = id.region;
	in.channel = ch->key;
	in.source = ch->sources[fnl_rng_below(&d->r, ch->nsources)];
	in.consent = "留资时同意接收产品信息";
	in.has_captured_at = 1;
	in.captured_at = captured;
	int online = strcmp(ch->key, "trade_show") && strcmp(ch->key, "salon") && strcmp(ch->key, "partner_referral");
	int64_t delay = span(&d->r, 0, 2);
	struct fnl_ctx ctx = {captured + delay * HOUR, online ? d->marketing : d->manager};
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
	if (d->nphones < N_LEADS) {
		d->phone_lead[d->nphones] = l.id;
		snprintf(d->phones[d->nphones++], sizeof d->phones[0], "%s", l.phone);
	}
	return work(d, &l, ch->quality, ctx.now);
}

/* A won customer comes back: a repurchase for the same company, or a referral of another one. */
static int from_customer(struct demo *d, const struct later *e)
{
	struct fnl_ctx ctx = {e->at, d->aftersales};
	struct fnl_lead from, l;
	int rc = fnl_lead_get(d->db, &ctx, e->from, &from);
	if (rc)
		return rc;
	struct fnl_lead_input in = {0};
	char notes[FNL_NOTE_LEN], source[FNL_TEXT_LEN];
	int result;
	int64_t rec;
	in.owner = from.owner[0] ? from.owner : NULL;
	if (e->kind == LATER_REPURCHASE) {
		struct fnl_deal deal;
		if ((rc = fnl_deal_get(d->db, &ctx, e->from, &deal)))
			return rc;
		int k = fnl_rng_below(&d->r, (int)(sizeof repurchase_notes / sizeof repurchase_notes[0]));
		say(d, notes, sizeof notes, &repurchase_notes[k]);
		snprintf(source, sizeof source, "老客户复购（原合同%s）", deal.contract_no);
		in.source = source;
		in.notes = notes;
		rc = fnl_lead_repurchase(d->db, &ctx, e->from, &in, &result, &l, &rec);
	} else {
		struct ident id;
		make_ident(d, &id);
		snprintf(source, sizeof source, "老客户推荐：%s（%s）", from.company, from.contact);
		snprintf(notes, sizeof notes, "%s介绍，对方也在为销售管理发愁，希望尽快交流", from.contact);
		in.company = id.company;
		in.contact = id.contact;
		in.title = id.title;
		in.phone = id.phone;
		in.email = id.email;
		in.wechat = id.wechat;
		in.industry = id.industry;
		in.size = id.size;
		in.region = id.region;
		in.channel = "customer_referral";
		in.source = source;
		in.notes = notes;
		in.consent = "经老客户介绍，本人同意接收产品信息";
		rc = fnl_lead_referral(d->db, &ctx, e->from, &in, &result, &l, &rec);
	}
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
	return work(d, &l, 3, ctx.now);
}

/* Bring in the repurchases and referrals due by until. */
static int run_later(struct demo *d, int64_t until)
{
	while (d->nlater > 0 && d->later[0].at <= until) {
		struct later e = d->later[0];
		d->nlater--;
		memmove(d->later, d->later + 1, (size_t)d->nlater * sizeof d->later[0]);
		int rc = from_customer(d, &e);
		if (rc)
			return rc;
	}
	return 0;
}

/* 1 if nothing happened to the lead after t. */
static int quiet_after(struct demo *d, const struct fnl_ctx *ctx, const struct fnl_lead *l, int64_t t)
{
	struct fnl_activity *a;
	size_t n;
	if (l->captured_at >= t || l->updated_at >= t || fnl_activity_list(d->db, ctx, l->id, &a, &n))
		return 0;
	int quiet = 1;
	for (size_t i = 0; i < n; i++)
		if (a[i].at >= t)
			quiet = 0;
	free(a);
	return quiet;
}

static int reassign_some(struct demo *d)
{
	/* the manager moves a few leads from the busiest consultant to the newest one: those that
	 * wait for the next step, so the history stays in order */
	struct fnl_lead_filter f = {.owner = "zhangwei", .status = "open"};
	struct fnl_lead *v;
	size_t n;
	struct fnl_ctx ctx = {d->now - 2 * DAY, d->manager};
	int rc = fnl_lead_list(d->db, &ctx, &f, &v, &n);
	if (rc)
		return rc;
	for (size_t i = 0, moved = 0; i < n && moved < 3 && !rc; i++) {
		if (!quiet_after(d, &ctx, &v[i], ctx.now))
			continue;
		struct fnl_lead l;
		rc = fnl_lead_assign(d->db, &ctx, v[i].id, "liuyang", "平衡工作量", &l);
		moved++;
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
		int64_t a = span(&d->r, 0, 365 * DAY);
		int64_t b = span(&d->r, 0, 365 * DAY);
		int64_t off = a > b ? a : b;
		int64_t t = d->start + off;
		/* office hours, local (UTC+8): 09:00-19:00 */
		int64_t day = (t + 8 * HOUR) / DAY;
		int64_t hour = span(&d->r, 9, 18);
		int64_t minute = span(&d->r, 0, 59);
		t = day * DAY - 8 * HOUR + hour * HOUR + minute * 60;
		if (t >= d->now) {
			int64_t back = span(&d->r, 1, 600);
			t = d->now - back * 60;
		}
		times[i] = t;
	}
	for (int i = 1; i < N_LEADS; i++)
		for (int j = i; j > 0 && times[j - 1] > times[j]; j--) {
			int64_t x = times[j];
			times[j] = times[j - 1];
			times[j - 1] = x;
		}
	for (int i = 0; i < N_LEADS && !rc; i++)
		if (!(rc = run_later(d, times[i])))
			rc = one_lead(d, times[i]);
	free(times);
	if (!rc)
		rc = run_later(d, d->now - 1);
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
	d->limit = db->set.discount_limit;
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
