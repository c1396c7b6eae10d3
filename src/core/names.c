/* core/names.c - the names people see for the fixed keys, in Chinese and English. */
#include <string.h>

#include "funnel/funnel.h"

struct name {
	const char *key, *zh, *en;
};

static const char *lookup(const struct name *t, const char *key, const char *lang)
{
	if (!key)
		return "";
	for (; t->key; t++)
		if (strcmp(t->key, key) == 0)
			return lang && strcmp(lang, "en") == 0 ? t->en : t->zh;
	return key;
}

static const struct name roles[] = {
	{"admin", "管理员", "Administrator"},
	{"manager", "销售经理", "Sales manager"},
	{"sales", "销售顾问", "Sales consultant"},
	{"marketing", "市场部", "Marketing"},
	{"aftersales", "售后", "After-sales"},
	{NULL, NULL, NULL},
};

static const struct name statuses[] = {
	{"open", "跟进中", "Open"},
	{"nurture", "培育中", "Nurture"},
	{"won", "已成交", "Won"},
	{"lost", "已丢单", "Lost"},
	{"invalid", "无效", "Invalid"},
	{"merged", "已合并", "Merged"},
	{NULL, NULL, NULL},
};

static const struct name invalid_reasons[] = {
	{"test_phone", "测试号码", "Test phone number"},
	{"bad_phone", "电话无效", "Invalid phone number"},
	{"bad_email", "邮箱无效", "Invalid e-mail"},
	{"test_name", "测试数据", "Test name"},
	{"no_contact", "无联系方式", "No contact details"},
	{"non_target_industry", "非目标行业", "Non-target industry"},
	{NULL, NULL, NULL},
};

static const struct name activity_kinds[] = {
	{"call", "电话", "Call"},
	{"meeting", "会议", "Meeting"},
	{"visit", "拜访", "Visit"},
	{"email", "邮件", "E-mail"},
	{"message", "消息", "Message"},
	{"demo", "演示", "Demo"},
	{"nurture", "培育触达", "Nurture touch"},
	{"aftersales", "售后", "After-sales"},
	{"note", "备注", "Note"},
	{"re_inquiry", "再次咨询", "Re-inquiry"},
	{NULL, NULL, NULL},
};

static const struct name task_kinds[] = {
	{"followup", "首次跟进", "Follow up"},
	{"material", "推送案例资料", "Send material"},
	{"touch", "培育触达", "Nurture touch"},
	{"reevaluate", "重新评估", "Re-evaluate"},
	{"next", "下次跟进", "Next follow-up"},
	{"qualify", "待跟进", "To qualify"},
	{NULL, NULL, NULL},
};

static const struct name channel_kinds[] = {
	{"online", "线上", "Online"},
	{"offline", "线下", "Offline"},
	{"customer", "客户", "Customer"},
	{NULL, NULL, NULL},
};

const char *fnl_role_name(const char *role, const char *lang)
{
	return lookup(roles, role, lang);
}

const char *fnl_status_name(const char *status, const char *lang)
{
	return lookup(statuses, status, lang);
}

const char *fnl_invalid_reason_name(const char *reason, const char *lang)
{
	return lookup(invalid_reasons, reason, lang);
}

const char *fnl_activity_kind_name(const char *kind, const char *lang)
{
	return lookup(activity_kinds, kind, lang);
}

const char *fnl_task_kind_name(const char *kind, const char *lang)
{
	return lookup(task_kinds, kind, lang);
}

const char *fnl_channel_kind_name(const char *kind, const char *lang)
{
	return lookup(channel_kinds, kind, lang);
}

int fnl_role_valid(const char *role)
{
	for (const struct name *t = roles; t->key; t++)
		if (role && strcmp(t->key, role) == 0)
			return 1;
	return 0;
}

int fnl_activity_kind_valid(const char *kind)
{
	for (const struct name *t = activity_kinds; t->key; t++)
		if (kind && strcmp(t->key, kind) == 0)
			return strcmp(kind, "re_inquiry") != 0;
	return 0;
}
