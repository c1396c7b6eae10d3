/*
 * bench/gen_leads.c - funnel-bench-leads: deterministic lead lists for the import benchmark.
 *
 *     funnel-bench-leads [--seed S] N PATH.csv|PATH.xlsx
 *
 * Writes N data rows under a Chinese header, as a trade-show card list or an ad-platform export
 * looks: company, contact, title, mobile, e-mail, WeChat, industry, size, region, channel (keys,
 * Chinese names and common spellings), source, capture time (two date styles in CSV, Excel dates in
 * XLSX), notes (some with commas, quotes and line breaks), and the four scores on about a quarter
 * of the rows.
 *
 * About 5 % of the rows are invalid (test numbers, bad phones and e-mails, test names, no contact
 * details) and about 10 % repeat an earlier valid row (its mobile, or its e-mail in capitals, with
 * another spelling of the company and another channel), so the import's cleaning and duplicate
 * check do real work. CSV is UTF-8 with a BOM and CRLF line ends, as Excel writes it.
 *
 * The same N and seed give the same bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "core/rng.h"
#include "names.h"

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define NCOLS 17

/* ---- random numbers (splitmix64) ---- */

static struct fnl_rng rng; /* the one generator of the run */

static uint64_t next(void)
{
	return fnl_rng_next(&rng);
}

static int below(int n)
{
	return fnl_rng_below(&rng, n);
}

/* ---- the words ---- */

static const char *const header[NCOLS] = {"公司名称", "联系人", "职位", "手机", "邮箱", "微信",
					  "行业", "公司规模", "地区", "渠道", "来源", "留资时间",
					  "备注", "预算", "需求", "决策", "紧急度"};
static const char *const cities[] = {"上海", "北京", "深圳", "杭州", "苏州", "广州", "成都", "武汉",
				     "南京", "天津", "西安", "重庆", "宁波", "东莞", "青岛", "厦门"};
static const char *const syllables[] = {
	"华", "信", "恒", "通", "博", "远", "鼎", "盛", "瑞", "丰", "中", "科", "天", "成", "金", "石",
	"云", "智", "宏", "达", "安", "泰", "众", "诚", "嘉", "和", "明", "德", "新", "锐", "凯", "捷",
	"汇", "联", "创", "源", "卓", "越", "启", "航", "峰", "海", "晨", "光", "星", "辰", "万", "象",
};
static const struct {
	const char *word, *industry;
} trades[] = {
	{"智能制造", "制造业"},     {"精密机械", "制造业"},   {"电子科技", "电子"},
	{"软件", "软件与信息服务"}, {"信息技术", "软件与信息服务"}, {"物流", "物流"},
	{"医疗器械", "医疗健康"},   {"新材料", "新材料"},     {"新能源", "新能源"},
	{"商贸", "零售"},           {"教育科技", "教育"},     {"建设工程", "建筑工程"},
};
static const char *const suffixes[] = {"有限公司", "股份有限公司", "有限责任公司", "集团有限公司"};
static const char *const titles[] = {"采购经理", "IT总监", "总经理", "生产主管", "技术负责人",
				     "财务经理", "运营总监", "", "工程师", "副总裁"};
/* channel column values as the lists write them: keys, Chinese names, common spellings */
static const char *const channels[] = {"sem", "百度", "官网", "网站", "展会", "trade_show", "合作伙伴",
				       "社交媒体", "social", "垂直媒体", "沙龙", "客户推荐", "website", "其他"};
static const char *const sources[] = {"2026工博会", "百度-ERP软件", "百度-MES系统", "官网表单",
				      "微信公众号", "行业峰会", "合作伙伴推荐", "抖音广告", ""};
static const char *const notes[] = {"", "", "", "", "需要报价", "关注交付周期，希望尽快联系",
				    "对比过\"竞品A\"，关心价格, 预算已批", "展会现场扫码\n下周回访",
				    "要求演示", "已有系统，考虑替换"};
static const char *const mail_domains[] = {"qq.com", "163.com", "126.com", "sina.com", "corp.cn",
					   "outlook.com", "foxmail.com"};

/* ---- one row ---- */

struct row {
	char f[NCOLS][160];
	int scores;           /* the four score columns are filled */
	int64_t captured;     /* seconds since 2026-09-01 00:00 (local) */
};

struct earlier {
	uint64_t phone;       /* 0: none */
	uint32_t mail;        /* the row number its e-mail was made from */
	uint16_t company;     /* syllables and trade */
	uint8_t city, name;
};

static void company(char *out, size_t len, int city, int a, int b, int trade, int suffix)
{
	snprintf(out, len, "%s%s%s%s%s", cities[city], syllables[a], syllables[b], trades[trade].word,
		 suffixes[suffix]);
}

static void make(struct row *w, int64_t i, struct earlier *seen, int64_t *nseen)
{
	memset(w, 0, sizeof *w);
	int kind = below(1000); /* < 50: invalid, < 150: a duplicate, else a new lead */
	int city = below(COUNT(cities)), a = below(COUNT(syllables)), b = below(COUNT(syllables));
	int trade = below(COUNT(trades)), name = below(COUNT(surnames) * COUNT(given));
	uint64_t phone = 13000000000ull + (next() % 6) * 1000000000ull + next() % 1000000000ull;
	int64_t mail = i;
	char (*f)[160] = w->f;
	if (kind >= 50 && kind < 150 && *nseen > 0) {
		/* a returning inquiry: an earlier lead's phone or e-mail under another spelling */
		const struct earlier *e = &seen[next() % (uint64_t)*nseen];
		city = e->city;
		a = e->company / (COUNT(syllables) * COUNT(trades));
		b = e->company / COUNT(trades) % COUNT(syllables);
		trade = e->company % COUNT(trades);
		name = e->name;
		mail = e->mail;
		company(f[0], sizeof f[0], city, a, b, trade, below(COUNT(suffixes)));
		if (below(2) && e->phone) {
			phone = e->phone;
			f[4][0] = 0;
		} else {
			phone = 0;
			snprintf(f[4], sizeof f[4], "WX%lld@%s", (long long)mail, "CORP.CN");
		}
	} else {
		company(f[0], sizeof f[0], city, a, b, trade, below(COUNT(suffixes)));
		snprintf(f[4], sizeof f[4], "wx%lld@%s", (long long)mail, below(3) ? "corp.cn" : mail_domains[below(COUNT(mail_domains))]);
		if (kind >= 150 && (int64_t)*nseen < INT32_MAX) {
			seen[*nseen] = (struct earlier){phone, (uint32_t)i,
							(uint16_t)((a * COUNT(syllables) + b) * COUNT(trades) + trade),
							(uint8_t)city, (uint8_t)name};
			(*nseen)++;
		}
	}
	snprintf(f[1], sizeof f[1], "%s%s", surnames[name % COUNT(surnames)], given[name / COUNT(surnames)]);
	snprintf(f[2], sizeof f[2], "%s", titles[below(COUNT(titles))]);
	if (phone) {
		int style = below(4); /* as people type them */
		if (style == 0)
			snprintf(f[3], sizeof f[3], "%03llu-%04llu-%04llu", (unsigned long long)(phone / 100000000),
				 (unsigned long long)(phone / 10000 % 10000), (unsigned long long)(phone % 10000));
		else if (style == 1)
			snprintf(f[3], sizeof f[3], "+86 %llu", (unsigned long long)phone);
		else
			snprintf(f[3], sizeof f[3], "%llu", (unsigned long long)phone);
	}
	if (below(5) == 0)
		snprintf(f[5], sizeof f[5], "wxid_%llx", (unsigned long long)(next() & 0xffffffffff));
	snprintf(f[6], sizeof f[6], "%s", trades[trade].industry);
	snprintf(f[7], sizeof f[7], "%s", sizes[below(COUNT(sizes))]);
	snprintf(f[8], sizeof f[8], "%s", cities[city]);
	snprintf(f[9], sizeof f[9], "%s", channels[below(COUNT(channels))]);
	snprintf(f[10], sizeof f[10], "%s", sources[below(COUNT(sources))]);
	w->captured = (int64_t)(next() % (86 * 86400ull)); /* 2026-09-01 .. 2026-11-25 */
	snprintf(f[12], sizeof f[12], "%s", notes[below(COUNT(notes))]);
	if (below(4) == 0) {
		w->scores = 1;
		for (int k = 0; k < 4; k++)
			snprintf(f[13 + k], sizeof f[13 + k], "%d", 1 + below(5));
	}
	if (kind < 50) {
		switch (kind % 5) {
		case 0: snprintf(f[3], sizeof f[3], "13800138000"); f[4][0] = 0; f[5][0] = 0; break;
		case 1: snprintf(f[3], sizeof f[3], "%d", 10000 + below(90000)); f[4][0] = 0; f[5][0] = 0; break;
		case 2: f[3][0] = 0; f[5][0] = 0; snprintf(f[4], sizeof f[4], "wx%lld#corp", (long long)i); break;
		case 3: snprintf(f[0], sizeof f[0], "测试公司%lld", (long long)i); break;
		default: f[3][0] = f[4][0] = f[5][0] = 0;
		}
	}
}

/* ---- CSV ---- */

static void csv_field(FILE *out, const char *v)
{
	if (!strpbrk(v, ",\"\r\n")) {
		fputs(v, out);
		return;
	}
	putc('"', out);
	for (; *v; v++) {
		if (*v == '"')
			putc('"', out);
		putc(*v, out);
	}
	putc('"', out);
}

static void csv_time(char *out, size_t len, int64_t s, int style)
{
	/* 2026-09-01 plus s seconds; September has 30 days, October 31 */
	int64_t day = s / 86400, sec = s % 86400;
	int month = 9, d = (int)day;
	if (d >= 30) {
		month = 10;
		d -= 30;
		if (d >= 31) {
			month = 11;
			d -= 31;
		}
	}
	if (style)
		snprintf(out, len, "2026/%d/%d %02d:%02d", month, d + 1, (int)(sec / 3600), (int)(sec / 60 % 60));
	else
		snprintf(out, len, "2026-%02d-%02d %02d:%02d:%02d", month, d + 1, (int)(sec / 3600),
			 (int)(sec / 60 % 60), (int)(sec % 60));
}

static int write_csv(const char *path, int64_t n, struct earlier *seen)
{
	FILE *out = fopen(path, "wb");
	if (!out)
		return -1;
	static char buf[1 << 20];
	setvbuf(out, buf, _IOFBF, sizeof buf);
	fputs("\xEF\xBB\xBF", out);
	for (int c = 0; c < NCOLS; c++)
		fprintf(out, "%s%s", c ? "," : "", header[c]);
	fputs("\r\n", out);
	int64_t nseen = 0;
	struct row w;
	for (int64_t i = 0; i < n; i++) {
		make(&w, i, seen, &nseen);
		csv_time(w.f[11], sizeof w.f[11], w.captured, (int)(i % 3 == 0));
		for (int c = 0; c < NCOLS; c++) {
			if (c)
				putc(',', out);
			csv_field(out, w.f[c]);
		}
		fputs("\r\n", out);
	}
	return fclose(out) ? -1 : 0;
}

/* ---- XLSX ---- */

static int write_xlsx(const char *path, int64_t n, struct earlier *seen)
{
	if (n > 1048575) {
		fprintf(stderr, "funnel-bench-leads: a sheet holds at most 1048575 data rows\n");
		return -1;
	}
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	if (!wb)
		return -1;
	lxw_worksheet *ws = workbook_add_worksheet(wb, "线索");
	lxw_format *when = workbook_add_format(wb);
	format_set_num_format(when, "yyyy-mm-dd hh:mm");
	for (int c = 0; c < NCOLS; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, header[c], NULL);
	int64_t nseen = 0;
	struct row w;
	/* Excel's serial day of 2026-09-01 */
	const double base = 46266.0;
	for (int64_t i = 0; i < n; i++) {
		make(&w, i, seen, &nseen);
		lxw_row_t r = (lxw_row_t)(i + 1);
		for (int c = 0; c < NCOLS; c++) {
			if (c == 11) {
				worksheet_write_number(ws, r, 11, base + (double)(w.captured / 60) / 1440.0, when);
			} else if (c >= 13 && w.scores) {
				worksheet_write_number(ws, r, (lxw_col_t)c, atoi(w.f[c]), NULL);
			} else if (c == 3 && w.f[3][0] >= '0' && w.f[3][0] <= '9' && !strchr(w.f[3], '-') && i % 2) {
				/* a mobile number typed into a number cell */
				worksheet_write_number(ws, r, 3, strtod(w.f[3], NULL), NULL);
			} else if (w.f[c][0]) {
				worksheet_write_string(ws, r, (lxw_col_t)c, w.f[c], NULL);
			}
		}
	}
	return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

int main(int argc, char **argv)
{
	uint64_t seed = 1;
	int i = 1;
	if (argc > 2 && strcmp(argv[1], "--seed") == 0) {
		seed = strtoull(argv[2], NULL, 10);
		i = 3;
	}
	if (argc - i != 2) {
		fprintf(stderr, "usage: funnel-bench-leads [--seed S] N PATH.csv|PATH.xlsx\n");
		return 2;
	}
	int64_t n = strtoll(argv[i], NULL, 10);
	const char *path = argv[i + 1];
	size_t len = strlen(path);
	int xlsx = len > 5 && strcmp(path + len - 5, ".xlsx") == 0;
	if (n < 1 || (!xlsx && !(len > 4 && strcmp(path + len - 4, ".csv") == 0))) {
		fprintf(stderr, "funnel-bench-leads: N must be 1 or more, PATH end in .csv or .xlsx\n");
		return 2;
	}
	rng.s = seed * 0x2545F4914F6CDD1Dull + 7;
	struct earlier *seen = malloc((size_t)n * sizeof *seen);
	if (!seen)
		return 1;
	int rc = xlsx ? write_xlsx(path, n, seen) : write_csv(path, n, seen);
	free(seen);
	if (rc) {
		fprintf(stderr, "funnel-bench-leads: cannot write %s\n", path);
		return 1;
	}
	return 0;
}
