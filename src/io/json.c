/* io/json.c - domain objects as JSON, for the CLI's --json and the HTTP API. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "funnel/io.h"

struct fnl_catalog {
	struct fnl_stage *stages;
	size_t n_stages;
	struct fnl_channel *channels;
	size_t n_channels;
	struct fnl_reason *reasons;
	size_t n_reasons;
};

int fnl_catalog_load(fnl_db *db, fnl_catalog **out)
{
	*out = NULL;
	fnl_catalog *c = calloc(1, sizeof *c);
	if (!c)
		return FNL_ENOMEM;
	int rc = fnl_stage_list(db, NULL, &c->stages, &c->n_stages);
	if (!rc)
		rc = fnl_channel_list(db, &c->channels, &c->n_channels);
	if (!rc)
		rc = fnl_reason_list(db, &c->reasons, &c->n_reasons);
	if (rc) {
		fnl_catalog_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

void fnl_catalog_free(fnl_catalog *c)
{
	if (!c)
		return;
	free(c->stages);
	free(c->channels);
	free(c->reasons);
	free(c);
}

static int is_en(const char *lang)
{
	return lang && strcmp(lang, "en") == 0;
}

const char *fnl_catalog_stage(const fnl_catalog *c, const char *key, const char *lang)
{
	for (size_t i = 0; c && key && i < c->n_stages; i++)
		if (strcmp(c->stages[i].key, key) == 0)
			return is_en(lang) ? c->stages[i].name_en : c->stages[i].name_zh;
	return key ? key : "";
}

const char *fnl_catalog_channel(const fnl_catalog *c, const char *key, const char *lang)
{
	for (size_t i = 0; c && key && i < c->n_channels; i++)
		if (strcmp(c->channels[i].key, key) == 0)
			return is_en(lang) ? c->channels[i].name_en : c->channels[i].name_zh;
	return key ? key : "";
}

const char *fnl_catalog_reason(const fnl_catalog *c, const char *key, const char *lang)
{
	for (size_t i = 0; c && key && i < c->n_reasons; i++)
		if (strcmp(c->reasons[i].key, key) == 0)
			return is_en(lang) ? c->reasons[i].name_en : c->reasons[i].name_zh;
	return key ? key : "";
}

const char *fnl_sla_state(const struct fnl_lead *l, int64_t now)
{
	if (!l->sla_due_at)
		return NULL;
	if (l->sla_met_at)
		return l->sla_met_at <= l->sla_due_at ? "met" : "met_late";
	return now > l->sla_due_at ? "overdue" : "pending";
}

json_t *fnl_json_points(int64_t h)
{
	if (h % 100 == 0)
		return json_integer(h / 100);
	return json_real((double)h / 100.0);
}

json_t *fnl_json_time(const fnl_tz *tz, int64_t t)
{
	if (!t)
		return json_null();
	char buf[40];
	fnl_time_format(tz, t, buf, sizeof buf);
	return json_string(buf);
}

static json_t *names(const char *zh, const char *en)
{
	return json_pack("{ss ss}", "zh", zh, "en", en);
}

static json_t *str_or_null(const char *s)
{
	return s && *s ? json_string(s) : json_null();
}

static json_t *id_or_null(int64_t id)
{
	return id ? json_integer(id) : json_null();
}

/* Set key and key_name on o for a value of a list with names, or nulls when value is "". */
static void set_named(json_t *o, const char *key, const char *value, const char *zh, const char *en)
{
	char name_key[64];
	snprintf(name_key, sizeof name_key, "%s_name", key);
	if (!value || !*value) {
		json_object_set_new(o, key, json_null());
		json_object_set_new(o, name_key, json_null());
		return;
	}
	json_object_set_new(o, key, json_string(value));
	json_object_set_new(o, name_key, names(zh, en));
}

json_t *fnl_json_lead(fnl_db *db, const fnl_catalog *cat, const struct fnl_lead *l, int64_t now)
{
	const fnl_tz *tz = fnl_db_tz(db);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(l->id));
	json_object_set_new(o, "company", json_string(l->company));
	json_object_set_new(o, "contact", json_string(l->contact));
	json_object_set_new(o, "title", json_string(l->title));
	json_object_set_new(o, "phone", json_string(l->phone));
	json_object_set_new(o, "email", json_string(l->email));
	json_object_set_new(o, "wechat", json_string(l->wechat));
	json_object_set_new(o, "industry", json_string(l->industry));
	json_object_set_new(o, "size", json_string(l->size));
	json_object_set_new(o, "region", json_string(l->region));
	set_named(o, "channel", l->channel, fnl_catalog_channel(cat, l->channel, "zh"),
		  fnl_catalog_channel(cat, l->channel, "en"));
	json_object_set_new(o, "source", json_string(l->source));
	json_object_set_new(o, "consent", json_string(l->consent));
	json_object_set_new(o, "notes", json_string(l->notes));
	json_object_set_new(o, "captured_at", fnl_json_time(tz, l->captured_at));
	json_object_set_new(o, "owner", str_or_null(l->owner));
	json_object_set_new(o, "aftersales", str_or_null(l->aftersales));
	set_named(o, "stage", l->stage, fnl_catalog_stage(cat, l->stage, "zh"), fnl_catalog_stage(cat, l->stage, "en"));
	set_named(o, "reached_stage", l->reached, fnl_catalog_stage(cat, l->reached, "zh"),
		  fnl_catalog_stage(cat, l->reached, "en"));
	set_named(o, "status", l->status, fnl_status_name(l->status, "zh"), fnl_status_name(l->status, "en"));
	json_object_set_new(o, "to_follow_up",
			    json_boolean(strcmp(l->status, "open") == 0 && l->first_contact_at == 0));
	set_named(o, "invalid_reason", l->invalid_reason, fnl_invalid_reason_name(l->invalid_reason, "zh"),
		  fnl_invalid_reason_name(l->invalid_reason, "en"));
	json_object_set_new(o, "merged_into", id_or_null(l->merged_into));
	json_object_set_new(o, "returning_of", id_or_null(l->returning_of));
	json_object_set_new(o, "referred_by", id_or_null(l->referred_by));
	set_named(o, "lost_reason", l->lost_reason, fnl_catalog_reason(cat, l->lost_reason, "zh"),
		  fnl_catalog_reason(cat, l->lost_reason, "en"));
	json_object_set_new(o, "lost_stage", str_or_null(l->lost_stage));
	json_object_set_new(o, "lost_at", fnl_json_time(tz, l->lost_at));
	json_object_set_new(o, "won_at", fnl_json_time(tz, l->won_at));
	json_object_set_new(o, "amount", l->has_amount ? json_integer(l->amount) : json_null());
	json_object_set_new(o, "close_month", str_or_null(l->close_month));
	json_object_set_new(o, "grade", str_or_null(l->grade));
	if (l->grade[0])
		json_object_set_new(o, "score",
				    json_pack("{si si si si so}", "budget", l->budget, "need", l->need, "decision",
					      l->decision, "urgency", l->urgency, "total", fnl_json_points(l->score_total)));
	else
		json_object_set_new(o, "score", json_null());
	json_object_set_new(o, "graded_at", fnl_json_time(tz, l->graded_at));
	json_object_set_new(o, "first_contact_at", fnl_json_time(tz, l->first_contact_at));
	json_object_set_new(o, "sla_due_at", fnl_json_time(tz, l->sla_due_at));
	json_object_set_new(o, "sla_met_at", fnl_json_time(tz, l->sla_met_at));
	json_object_set_new(o, "sla_state", str_or_null(fnl_sla_state(l, now)));
	if (l->next_action[0])
		json_object_set_new(o, "next_action",
				    json_pack("{ss so so}", "kind", l->next_action, "kind_name",
					      names(fnl_task_kind_name(l->next_action, "zh"),
						    fnl_task_kind_name(l->next_action, "en")),
					      "due_at", fnl_json_time(tz, l->next_due_at)));
	else
		json_object_set_new(o, "next_action", json_null());
	json_object_set_new(o, "created_at", fnl_json_time(tz, l->created_at));
	json_object_set_new(o, "updated_at", fnl_json_time(tz, l->updated_at));
	json_object_set_new(o, "version", json_integer(l->version));
	return o;
}

json_t *fnl_json_user(const struct fnl_user *u)
{
	json_t *o = json_pack("{sI ss ss}", "id", (json_int_t)u->id, "login", u->login, "name", u->name);
	set_named(o, "role", u->role, fnl_role_name(u->role, "zh"), fnl_role_name(u->role, "en"));
	json_object_set_new(o, "team", str_or_null(u->team));
	json_object_set_new(o, "active", json_boolean(u->active));
	return o;
}

json_t *fnl_json_stage(const struct fnl_stage *s)
{
	json_t *o = json_pack("{si ss}", "pos", s->pos, "key", s->key);
	json_object_set_new(o, "name", names(s->name_zh, s->name_en));
	json_object_set_new(o, "probability", json_real(s->probability / 100.0));
	json_object_set_new(o, "at_stage", json_integer(s->n_at));
	json_object_set_new(o, "reached", json_integer(s->n_reached));
	return o;
}

json_t *fnl_json_channel(const struct fnl_channel *c)
{
	json_t *o = json_pack("{ss}", "key", c->key);
	json_object_set_new(o, "name", names(c->name_zh, c->name_en));
	set_named(o, "kind", c->kind, fnl_channel_kind_name(c->kind, "zh"), fnl_channel_kind_name(c->kind, "en"));
	json_object_set_new(o, "active", json_boolean(c->active));
	return o;
}

json_t *fnl_json_reason(const struct fnl_reason *r)
{
	json_t *o = json_pack("{ss}", "key", r->key);
	json_object_set_new(o, "name", names(r->name_zh, r->name_en));
	return o;
}

json_t *fnl_json_stage_event(fnl_db *db, const fnl_catalog *cat, const struct fnl_stage_event *e)
{
	json_t *o = json_pack("{sI ss}", "id", (json_int_t)e->id, "kind", e->kind);
	json_object_set_new(o, "from", str_or_null(e->from));
	set_named(o, "to", e->to, fnl_catalog_stage(cat, e->to, "zh"), fnl_catalog_stage(cat, e->to, "en"));
	json_object_set_new(o, "at", fnl_json_time(fnl_db_tz(db), e->at));
	json_object_set_new(o, "user", json_string(e->user));
	json_object_set_new(o, "note", json_string(e->note));
	json_object_set_new(o, "reason", str_or_null(e->reason));
	return o;
}

json_t *fnl_json_score_entry(fnl_db *db, const struct fnl_score_entry *s)
{
	return json_pack("{sI so ss si si si si so ss}", "id", (json_int_t)s->id, "at",
			 fnl_json_time(fnl_db_tz(db), s->at), "user", s->user, "budget", s->budget, "need", s->need,
			 "decision", s->decision, "urgency", s->urgency, "total", fnl_json_points(s->total), "grade",
			 s->grade);
}

json_t *fnl_json_owner_event(fnl_db *db, const struct fnl_owner_event *e)
{
	json_t *o = json_pack("{sI so}", "id", (json_int_t)e->id, "at", fnl_json_time(fnl_db_tz(db), e->at));
	json_object_set_new(o, "from", str_or_null(e->from));
	json_object_set_new(o, "to", json_string(e->to));
	json_object_set_new(o, "user", json_string(e->user));
	json_object_set_new(o, "note", json_string(e->note));
	return o;
}

json_t *fnl_json_activity(fnl_db *db, const fnl_catalog *cat, const struct fnl_activity *a)
{
	const fnl_tz *tz = fnl_db_tz(db);
	json_t *o = json_pack("{sI sI}", "id", (json_int_t)a->id, "lead_id", (json_int_t)a->lead_id);
	set_named(o, "kind", a->kind, fnl_activity_kind_name(a->kind, "zh"), fnl_activity_kind_name(a->kind, "en"));
	json_object_set_new(o, "at", fnl_json_time(tz, a->at));
	json_object_set_new(o, "user", json_string(a->user));
	json_object_set_new(o, "summary", json_string(a->summary));
	json_object_set_new(o, "outcome", json_string(a->outcome));
	json_object_set_new(o, "next_at", fnl_json_time(tz, a->next_at));
	if (a->channel[0]) {
		set_named(o, "channel", a->channel, fnl_catalog_channel(cat, a->channel, "zh"),
			  fnl_catalog_channel(cat, a->channel, "en"));
		json_object_set_new(o, "source", json_string(a->source));
		json_object_set_new(o, "merged_record", id_or_null(a->ref_lead));
	}
	return o;
}

static const char *task_state(const struct fnl_task *t, int64_t now)
{
	if (t->done_at)
		return t->done_at <= t->due_at ? "done" : "done_late";
	if (t->cancelled_at)
		return "cancelled";
	return now > t->due_at ? "overdue" : "open";
}

json_t *fnl_json_task(fnl_db *db, const struct fnl_task *t, int64_t now)
{
	const fnl_tz *tz = fnl_db_tz(db);
	json_t *o = json_pack("{sI}", "id", (json_int_t)t->id);
	set_named(o, "kind", t->kind, fnl_task_kind_name(t->kind, "zh"), fnl_task_kind_name(t->kind, "en"));
	json_object_set_new(o, "grade", str_or_null(t->grade));
	json_object_set_new(o, "owner", str_or_null(t->owner));
	json_object_set_new(o, "created_at", fnl_json_time(tz, t->created_at));
	json_object_set_new(o, "due_at", fnl_json_time(tz, t->due_at));
	json_object_set_new(o, "done_at", fnl_json_time(tz, t->done_at));
	json_object_set_new(o, "cancelled_at", fnl_json_time(tz, t->cancelled_at));
	json_object_set_new(o, "state", json_string(task_state(t, now)));
	return o;
}

json_t *fnl_json_queue_item(fnl_db *db, const fnl_catalog *cat, const struct fnl_queue_item *q,
			    int64_t now)
{
	json_t *o = json_pack("{sI ss ss}", "id", (json_int_t)q->lead_id, "company", q->company, "contact",
			      q->contact);
	json_object_set_new(o, "grade", str_or_null(q->grade));
	set_named(o, "stage", q->stage, fnl_catalog_stage(cat, q->stage, "zh"), fnl_catalog_stage(cat, q->stage, "en"));
	set_named(o, "status", q->status, fnl_status_name(q->status, "zh"), fnl_status_name(q->status, "en"));
	set_named(o, "action", q->action, fnl_task_kind_name(q->action, "zh"), fnl_task_kind_name(q->action, "en"));
	json_object_set_new(o, "due_at", fnl_json_time(fnl_db_tz(db), q->due_at));
	json_object_set_new(o, "overdue", json_boolean(q->overdue));
	json_object_set_new(o, "seconds_left", q->due_at ? json_integer(q->due_at - now) : json_null());
	return o;
}

json_t *fnl_json_audit(fnl_db *db, const struct fnl_audit_entry *a)
{
	json_t *o = json_pack("{sI so ss ss ss ss}", "id", (json_int_t)a->id, "at", fnl_json_time(fnl_db_tz(db), a->at),
			      "user", a->user, "entity", a->entity, "entity_id", a->entity_id, "action", a->action);
	json_object_set_new(o, "lead_id", id_or_null(a->lead_id));
	json_object_set_new(o, "before", a->before ? json_loads(a->before, 0, NULL) : json_null());
	json_object_set_new(o, "after", a->after ? json_loads(a->after, 0, NULL) : json_null());
	return o;
}

json_t *fnl_json_calendar_entry(const struct fnl_calendar_entry *e)
{
	char day[11];
	fnl_date_format(e->day, day);
	return json_pack("{ss ss ss}", "date", day, "kind", e->workday ? "workday" : "holiday", "name", e->name);
}

/* ---- the sale (funnel/sale.h) ---- */

struct key_names {
	const char *key, *zh, *en;
};

static const char *name_of(const struct key_names *t, const char *key, const char *lang)
{
	for (; t->key; t++)
		if (key && strcmp(t->key, key) == 0)
			return is_en(lang) ? t->en : t->zh;
	return key ? key : "";
}

/* The guide's own terms (seed/sales-funnel-guide.zh.txt §3). */
static const struct key_names spin_kinds[] = {
	{"S", "情境问题", "Situation"},
	{"P", "问题问题", "Problem"},
	{"I", "暗示问题", "Implication"},
	{"N", "需求-效益问题", "Need-payoff"},
	{NULL, NULL, NULL},
};

static const struct key_names quote_statuses[] = {
	{"within_limit", "折扣限额内", "Within the discount limit"},
	{"pending", "待经理审批", "Waiting for a manager's approval"},
	{"approved", "已批准", "Approved"},
	{"rejected", "已驳回", "Rejected"},
	{NULL, NULL, NULL},
};

static const struct key_names confirm_hows[] = {
	{"phone", "电话", "Phone"},
	{"email", "邮件", "E-mail"},
	{"meeting", "会议", "Meeting"},
	{"message", "消息", "Message"},
	{NULL, NULL, NULL},
};

static const struct key_names link_kinds[] = {
	{"repurchase_of", "复购自", "Repurchase of"},
	{"repurchase", "复购", "Repurchased as"},
	{"returning_of", "老客户，此前线索", "Returning customer of"},
	{"returning", "老客户再次询盘", "Returned as"},
	{"referred_by", "推荐人", "Referred by"},
	{"referral", "转介绍", "Referral"},
	{NULL, NULL, NULL},
};

const char *fnl_spin_kind_name(const char *kind, const char *lang)
{
	return name_of(spin_kinds, kind, lang);
}

const char *fnl_quote_status_name(const char *status, const char *lang)
{
	return name_of(quote_statuses, status, lang);
}

const char *fnl_confirm_how_name(const char *how, const char *lang)
{
	return name_of(confirm_hows, how, lang);
}

const char *fnl_link_kind_name(const char *kind, const char *lang)
{
	return name_of(link_kinds, kind, lang);
}

json_t *fnl_json_prep(fnl_db *db, const struct fnl_prep *p)
{
	json_t *o = json_pack("{sI ss ss}", "lead_id", (json_int_t)p->lead_id, "background", p->background, "news",
			      p->news);
	set_named(o, "contact_role", p->contact_role, fnl_contact_role_name(p->contact_role, "zh"),
		  fnl_contact_role_name(p->contact_role, "en"));
	json_object_set_new(o, "decision_date", str_or_null(p->decision_date));
	json_object_set_new(o, "updated_at", fnl_json_time(fnl_db_tz(db), p->updated_at));
	return o;
}

json_t *fnl_json_spin(fnl_db *db, const struct fnl_spin *s)
{
	json_t *o = json_pack("{sI sI}", "id", (json_int_t)s->id, "lead_id", (json_int_t)s->lead_id);
	set_named(o, "kind", s->kind, fnl_spin_kind_name(s->kind, "zh"), fnl_spin_kind_name(s->kind, "en"));
	json_object_set_new(o, "question", json_string(s->question));
	json_object_set_new(o, "answer", json_string(s->answer));
	json_object_set_new(o, "at", fnl_json_time(fnl_db_tz(db), s->at));
	json_object_set_new(o, "user", json_string(s->user));
	return o;
}

json_t *fnl_json_contact(fnl_db *db, const struct fnl_contact *c)
{
	json_t *o = json_pack("{sI sI ss ss}", "id", (json_int_t)c->id, "lead_id", (json_int_t)c->lead_id, "name",
			      c->name, "title", c->title);
	set_named(o, "role", c->role, fnl_contact_role_name(c->role, "zh"), fnl_contact_role_name(c->role, "en"));
	json_object_set_new(o, "phone", json_string(c->phone));
	json_object_set_new(o, "email", json_string(c->email));
	json_object_set_new(o, "notes", json_string(c->notes));
	json_object_set_new(o, "created_at", fnl_json_time(fnl_db_tz(db), c->created_at));
	return o;
}

json_t *fnl_json_needs(fnl_db *db, const struct fnl_needs *n)
{
	const fnl_tz *tz = fnl_db_tz(db);
	json_t *o = json_pack("{sI si}", "lead_id", (json_int_t)n->lead_id, "version", n->version);
	json_object_set_new(o, "confirmed", json_boolean(n->confirmed_at != 0));
	json_object_set_new(o, "created_at", fnl_json_time(tz, n->created_at));
	json_object_set_new(o, "created_by", str_or_null(n->created_by));
	json_object_set_new(o, "confirmed_at", fnl_json_time(tz, n->confirmed_at));
	json_object_set_new(o, "confirmed_contact", id_or_null(n->confirmed_contact));
	json_object_set_new(o, "confirmed_name", str_or_null(n->confirmed_at ? n->confirmed_name : ""));
	set_named(o, "confirmed_how", n->confirmed_at ? n->confirmed_how : "", fnl_confirm_how_name(n->confirmed_how, "zh"),
		  fnl_confirm_how_name(n->confirmed_how, "en"));
	json_object_set_new(o, "recorded_by", str_or_null(n->confirmed_at ? n->recorded_by : ""));
	json_t *items = json_array();
	for (size_t i = 0; i < n->n; i++) {
		const struct fnl_need *it = &n->items[i];
		char label[16];
		snprintf(label, sizeof label, "N%d", it->num);
		json_t *spin = json_array();
		for (int k = 0; k < it->n_spin; k++)
			json_array_append_new(spin, json_integer(it->spin[k]));
		json_array_append_new(items, json_pack("{si ss ss si so}", "num", it->num, "label", label, "text",
						       it->text, "priority", it->priority, "spin", spin));
	}
	json_object_set_new(o, "items", items);
	return o;
}

json_t *fnl_json_solution_item(fnl_db *db, const struct fnl_solution_item *s)
{
	json_t *o = json_pack("{sI sI si ss ss ss}", "id", (json_int_t)s->id, "lead_id", (json_int_t)s->lead_id,
			      "need_num", s->need_num, "need", s->need, "function", s->function, "value", s->value);
	json_object_set_new(o, "figure", str_or_null(s->figure));
	json_object_set_new(o, "unit", str_or_null(s->unit));
	json_object_set_new(o, "case", json_string(s->case_ref));
	json_object_set_new(o, "created_at", fnl_json_time(fnl_db_tz(db), s->created_at));
	json_object_set_new(o, "user", json_string(s->user));
	return o;
}

json_t *fnl_json_presentation(fnl_db *db, const struct fnl_presentation *p)
{
	json_t *o = json_pack("{sI sI ss ss ss}", "id", (json_int_t)p->id, "lead_id", (json_int_t)p->lead_id, "date",
			      p->day, "attendees", p->attendees, "feedback", p->feedback);
	json_object_set_new(o, "at", fnl_json_time(fnl_db_tz(db), p->at));
	json_object_set_new(o, "user", json_string(p->user));
	return o;
}

json_t *fnl_json_quote(fnl_db *db, const struct fnl_quote *q)
{
	const fnl_tz *tz = fnl_db_tz(db);
	json_t *o = json_pack("{sI sI si sI}", "id", (json_int_t)q->id, "lead_id", (json_int_t)q->lead_id, "round",
			      q->round, "amount", (json_int_t)q->amount);
	json_object_set_new(o, "discount_pct", fnl_json_points(q->discount));
	json_object_set_new(o, "terms", json_string(q->terms));
	json_object_set_new(o, "delivery_days", json_integer(q->delivery_days));
	set_named(o, "status", q->status, fnl_quote_status_name(q->status, "zh"), fnl_quote_status_name(q->status, "en"));
	json_object_set_new(o, "created_at", fnl_json_time(tz, q->created_at));
	json_object_set_new(o, "user", json_string(q->user));
	json_object_set_new(o, "decided_at", fnl_json_time(tz, q->decided_at));
	json_object_set_new(o, "decided_by", str_or_null(q->decided_by));
	json_object_set_new(o, "decision_note", json_string(q->decision_note));
	return o;
}

json_t *fnl_json_obstacle(fnl_db *db, const struct fnl_obstacle *ob)
{
	const fnl_tz *tz = fnl_db_tz(db);
	json_t *o = json_pack("{sI sI}", "id", (json_int_t)ob->id, "lead_id", (json_int_t)ob->lead_id);
	set_named(o, "type", ob->type, fnl_obstacle_type_name(ob->type, "zh"), fnl_obstacle_type_name(ob->type, "en"));
	json_object_set_new(o, "text", json_string(ob->text));
	json_object_set_new(o, "state", json_string(ob->resolved_at ? "resolved" : "open"));
	json_object_set_new(o, "created_at", fnl_json_time(tz, ob->created_at));
	json_object_set_new(o, "user", json_string(ob->user));
	json_object_set_new(o, "resolved_at", fnl_json_time(tz, ob->resolved_at));
	json_object_set_new(o, "resolution", json_string(ob->resolution));
	return o;
}

json_t *fnl_json_deal(fnl_db *db, const struct fnl_deal *d)
{
	json_t *o = json_pack("{sI ss sI ss}", "lead_id", (json_int_t)d->lead_id, "contract_no", d->contract_no,
			      "amount", (json_int_t)d->amount, "signed_on", d->signed_on);
	json_object_set_new(o, "delivery_start", str_or_null(d->delivery_start));
	json_object_set_new(o, "created_at", fnl_json_time(fnl_db_tz(db), d->created_at));
	json_object_set_new(o, "user", json_string(d->user));
	return o;
}

json_t *fnl_json_handover(fnl_db *db, const struct fnl_handover *h)
{
	json_t *o = json_pack("{sI sI}", "id", (json_int_t)h->id, "lead_id", (json_int_t)h->lead_id);
	json_object_set_new(o, "from", str_or_null(h->from));
	json_object_set_new(o, "to", json_string(h->to));
	json_object_set_new(o, "user", json_string(h->user));
	json_object_set_new(o, "at", fnl_json_time(fnl_db_tz(db), h->at));
	json_object_set_new(o, "note", json_string(h->note));
	return o;
}

json_t *fnl_json_rating(fnl_db *db, const struct fnl_rating *r)
{
	json_t *o = json_pack("{sI sI si ss}", "id", (json_int_t)r->id, "lead_id", (json_int_t)r->lead_id, "score",
			      r->score, "note", r->note);
	json_object_set_new(o, "at", fnl_json_time(fnl_db_tz(db), r->at));
	json_object_set_new(o, "user", json_string(r->user));
	return o;
}

json_t *fnl_json_link(const fnl_catalog *cat, const struct fnl_link *l)
{
	json_t *o = json_object();
	set_named(o, "kind", l->kind, fnl_link_kind_name(l->kind, "zh"), fnl_link_kind_name(l->kind, "en"));
	json_object_set_new(o, "id", json_integer(l->id));
	json_object_set_new(o, "company", json_string(l->company));
	json_object_set_new(o, "contact", json_string(l->contact));
	set_named(o, "status", l->status, fnl_status_name(l->status, "zh"), fnl_status_name(l->status, "en"));
	set_named(o, "stage", l->stage, fnl_catalog_stage(cat, l->stage, "zh"), fnl_catalog_stage(cat, l->stage, "en"));
	return o;
}
