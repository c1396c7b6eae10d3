/*
 * io/document.c - a lead's customer needs list and solution as a printable HTML document, in
 * Chinese or English: what the customer confirmed and what the product does about each need.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funnel/sale.h"
#include "io/text.h"

static void put(struct fnl_text *b, const char *s, size_t n)
{
	fnl_text_add(b, s, n); /* a failure is seen once, at the end (b->failed) */
}

static void puts_(struct fnl_text *b, const char *s)
{
	put(b, s, strlen(s));
}

/* Text into HTML: & < > " ' escaped, newlines as <br>. */
static void esc(struct fnl_text *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': puts_(b, "&amp;"); break;
		case '<': puts_(b, "&lt;"); break;
		case '>': puts_(b, "&gt;"); break;
		case '"': puts_(b, "&quot;"); break;
		case '\'': puts_(b, "&#39;"); break;
		case '\n': puts_(b, "<br>"); break;
		default: put(b, s, 1);
		}
	}
}

static void printf_(struct fnl_text *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void printf_(struct fnl_text *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n > 0)
		put(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

struct words {
	const char *lang, *title, *customer, *contact, *version, *confirmed, *unconfirmed, *none_confirmed, *needs,
		*num, *need, *priority, *spin, *solution, *function, *value, *cases, *no_solution, *presentations,
		*date, *attendees, *feedback, *generated, *prio[3], *how_phone, *how_email, *how_meeting, *how_message,
		*by, *via;
};

static const struct words zh = {
	"zh-CN", "客户需求清单与解决方案", "客户", "联系人", "需求清单版本", "客户确认", "未经客户确认（草稿）",
	"尚无需求清单", "一、客户需求清单", "编号", "需求", "优先级", "依据（SPIN）", "二、解决方案", "功能", "价值",
	"案例", "尚无解决方案条目", "三、方案呈现", "日期", "参加人", "客户反馈", "生成时间", {"高", "中", "低"},
	"电话", "邮件", "会议", "消息", "确认人", "方式"};

static const struct words en = {
	"en", "Customer Needs List and Solution", "Customer", "Contact", "Needs list version", "Confirmed by the customer",
	"Not confirmed by the customer (draft)", "No needs list yet", "1. Customer needs list", "No.", "Need",
	"Priority", "Basis (SPIN)", "2. Solution", "Function", "Value", "Reference case", "No solution items yet",
	"3. Presentation", "Date", "Attendees", "Customer feedback", "Generated", {"High", "Medium", "Low"}, "phone",
	"e-mail", "meeting", "message", "by", "via"};

static const char *how_word(const struct words *w, const char *how)
{
	if (strcmp(how, "phone") == 0)
		return w->how_phone;
	if (strcmp(how, "email") == 0)
		return w->how_email;
	if (strcmp(how, "meeting") == 0)
		return w->how_meeting;
	return w->how_message;
}

static const char style[] =
	"<style>\n"
	"body{font-family:\"PingFang SC\",\"Microsoft YaHei\",\"Noto Sans CJK SC\",sans-serif;max-width:820px;"
	"margin:2em auto;color:#222;line-height:1.5}\n"
	"h1{font-size:1.6em;border-bottom:2px solid #333;padding-bottom:.3em}\n"
	"h2{font-size:1.2em;margin-top:1.6em}\n"
	"table{border-collapse:collapse;width:100%}\n"
	"th,td{border:1px solid #999;padding:.35em .6em;text-align:left;vertical-align:top}\n"
	"th{background:#f0f0f0}\n"
	".meta td{border:none;padding:.1em .6em .1em 0}\n"
	".draft{color:#b00;font-weight:bold}\n"
	"footer{margin-top:2em;font-size:.85em;color:#666}\n"
	"@media print{body{margin:0;max-width:none}th{background:#eee !important}}\n"
	"</style>\n";

static void meta(struct fnl_text *b, const struct words *w, const struct fnl_lead *l, const struct fnl_needs *nd,
		 const fnl_tz *tz)
{
	puts_(b, "<table class=\"meta\">\n<tr><td>");
	esc(b, w->customer);
	puts_(b, "</td><td>");
	esc(b, l->company);
	puts_(b, "</td></tr>\n<tr><td>");
	esc(b, w->contact);
	puts_(b, "</td><td>");
	esc(b, l->contact);
	if (l->title[0]) {
		puts_(b, " (");
		esc(b, l->title);
		puts_(b, ")");
	}
	puts_(b, "</td></tr>\n");
	if (nd->version) {
		printf_(b, "<tr><td>%s</td><td>v%d</td></tr>\n", w->version, nd->version);
		puts_(b, "<tr><td>");
		esc(b, w->confirmed);
		puts_(b, "</td><td>");
		if (nd->confirmed_at) {
			char when[40];
			fnl_time_format(tz, nd->confirmed_at, when, sizeof when);
			printf_(b, "%.10s, %s ", when, w->by);
			esc(b, nd->confirmed_name);
			printf_(b, ", %s %s", w->via, how_word(w, nd->confirmed_how));
		} else {
			printf_(b, "<span class=\"draft\">%s</span>", w->unconfirmed);
		}
		puts_(b, "</td></tr>\n");
	}
	puts_(b, "</table>\n");
}

static void needs_table(struct fnl_text *b, const struct words *w, const struct fnl_needs *nd)
{
	printf_(b, "<h2>%s</h2>\n", w->needs);
	if (!nd->n) {
		printf_(b, "<p>%s</p>\n", w->none_confirmed);
		return;
	}
	printf_(b, "<table>\n<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n", w->num, w->need, w->priority,
		w->spin);
	for (size_t i = 0; i < nd->n; i++) {
		const struct fnl_need *it = &nd->items[i];
		printf_(b, "<tr><td>N%d</td><td>", it->num);
		esc(b, it->text);
		printf_(b, "</td><td>%s</td><td>", w->prio[it->priority >= 1 && it->priority <= 3 ? it->priority - 1 : 2]);
		for (int k = 0; k < it->n_spin; k++)
			printf_(b, "%s#%lld", k ? ", " : "", (long long)it->spin[k]);
		puts_(b, "</td></tr>\n");
	}
	puts_(b, "</table>\n");
}

/* The text of need num in the version shown, so the page never mixes two versions; the item's
 * own (newest) text when the shown version lacks it. */
static const char *need_of(const struct fnl_needs *nd, const struct fnl_solution_item *s)
{
	for (size_t i = 0; i < nd->n; i++)
		if (nd->items[i].num == s->need_num)
			return nd->items[i].text;
	return s->need;
}

static void solution_table(struct fnl_text *b, const struct words *w, const struct fnl_needs *nd,
			   const struct fnl_solution_item *s, size_t n)
{
	printf_(b, "<h2>%s</h2>\n", w->solution);
	if (!n) {
		printf_(b, "<p>%s</p>\n", w->no_solution);
		return;
	}
	printf_(b, "<table>\n<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr>\n", w->need, w->function, w->value,
		w->cases);
	for (size_t i = 0; i < n; i++) {
		printf_(b, "<tr><td>N%d ", s[i].need_num);
		esc(b, need_of(nd, &s[i]));
		puts_(b, "</td><td>");
		esc(b, s[i].function);
		puts_(b, "</td><td>");
		esc(b, s[i].value);
		if (s[i].figure[0]) {
			puts_(b, " (<b>");
			esc(b, s[i].figure);
			puts_(b, " ");
			esc(b, s[i].unit);
			puts_(b, "</b>)");
		}
		puts_(b, "</td><td>");
		esc(b, s[i].case_ref);
		puts_(b, "</td></tr>\n");
	}
	puts_(b, "</table>\n");
}

static void presentations(struct fnl_text *b, const struct words *w, const struct fnl_presentation *p, size_t n)
{
	if (!n)
		return;
	printf_(b, "<h2>%s</h2>\n<table>\n<tr><th>%s</th><th>%s</th><th>%s</th></tr>\n", w->presentations, w->date,
		w->attendees, w->feedback);
	for (size_t i = 0; i < n; i++) {
		puts_(b, "<tr><td>");
		esc(b, p[i].day);
		puts_(b, "</td><td>");
		esc(b, p[i].attendees);
		puts_(b, "</td><td>");
		esc(b, p[i].feedback);
		puts_(b, "</td></tr>\n");
	}
	puts_(b, "</table>\n");
}

int fnl_lead_document(fnl_db *db, const struct fnl_ctx *ctx, int64_t lead_id, const char *lang,
		      char **html, size_t *len)
{
	*html = NULL;
	if (len)
		*len = 0;
	const struct words *w = lang && strcmp(lang, "en") == 0 ? &en : &zh;
	struct fnl_lead l;
	struct fnl_needs nd;
	struct fnl_solution_item *sol = NULL;
	struct fnl_presentation *pres = NULL;
	size_t nsol = 0, npres = 0;
	int rc = fnl_lead_get(db, ctx, lead_id, &l);
	if (rc)
		return rc;
	/* the newest confirmed version; else the draft, marked as not confirmed */
	rc = fnl_needs_confirmed(db, ctx, lead_id, &nd);
	if (rc == FNL_ENOTFOUND)
		rc = fnl_needs_get(db, ctx, lead_id, 0, &nd);
	if (rc)
		return rc;
	if ((rc = fnl_solution_list(db, ctx, lead_id, &sol, &nsol)) ||
	    (rc = fnl_presentation_list(db, ctx, lead_id, &pres, &npres))) {
		fnl_needs_free(&nd);
		free(sol);
		return rc;
	}
	const fnl_tz *tz = fnl_db_tz(db);
	struct fnl_text b = {0};
	printf_(&b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n<title>", w->lang);
	esc(&b, w->title);
	puts_(&b, " — ");
	esc(&b, l.company);
	puts_(&b, "</title>\n");
	puts_(&b, style);
	puts_(&b, "</head>\n<body>\n<h1>");
	esc(&b, w->title);
	puts_(&b, "</h1>\n");
	meta(&b, w, &l, &nd, tz);
	needs_table(&b, w, &nd);
	solution_table(&b, w, &nd, sol, nsol);
	presentations(&b, w, pres, npres);
	char when[40];
	fnl_time_format(tz, ctx->now, when, sizeof when);
	printf_(&b, "<footer>%s %.10s %.5s · lead %lld</footer>\n</body>\n</html>\n", w->generated, when, when + 11,
		(long long)lead_id);
	fnl_needs_free(&nd);
	free(sol);
	free(pres);
	if (b.failed) {
		free(b.p);
		return FNL_ENOMEM;
	}
	*html = b.p;
	if (len)
		*len = b.len;
	return 0;
}
