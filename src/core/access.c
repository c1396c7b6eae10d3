/*
 * core/access.c - who may do what (SPEC §8).
 *
 * admin: everything. manager: the leads of their team's users (a manager without a team manages
 * everyone), reassignment within it. sales: their own leads. marketing: creates leads, reads those
 * at stages up to qualify, changes none. aftersales: won customers. The system (actor 0) may do all.
 */
#include <stdarg.h>
#include <string.h>

#include "core/internal.h"
#include "store/store.h"

static int vrequire(fnl_db *db, const char *what, va_list ap)
{
	if (db->actor.id == 0)
		return 0;
	for (const char *r = va_arg(ap, const char *); r; r = va_arg(ap, const char *))
		if (strcmp(r, db->actor.role) == 0)
			return 0;
	return fnl__err(db, FNL_EPERM, "as", "user '%s' (%s) cannot %s", db->actor.login, db->actor.role, what);
}

int fnl__require_role(fnl_db *db, const char *what, ...)
{
	va_list ap;
	va_start(ap, what);
	int rc = vrequire(db, what, ap);
	va_end(ap);
	return rc;
}

int fnl__begin_write(fnl_db *db, const struct fnl_ctx *ctx, const char *what, ...)
{
	int rc = fnl__enter(db, ctx);
	if (rc)
		return rc;
	if (what) {
		va_list ap;
		va_start(ap, what);
		rc = vrequire(db, what, ap);
		va_end(ap);
		if (rc)
			return rc;
	}
	return fnl__tx_begin(db);
}

int fnl__manages(fnl_db *db, int64_t user_team_id)
{
	if (db->actor.id == 0 || strcmp(db->actor.role, "admin") == 0)
		return 1;
	if (strcmp(db->actor.role, "manager") != 0)
		return 0;
	return db->actor.team_id == 0 || db->actor.team_id == user_team_id;
}

static int allowed(fnl_db *db, const struct fnl_lead *l, enum fnl__access mode)
{
	const char *role = db->actor.role;
	if (db->actor.id == 0 || strcmp(role, "admin") == 0)
		return 1;
	if (strcmp(role, "manager") == 0)
		return db->actor.team_id == 0 || fnl__lead_owner_team(db, l) == db->actor.team_id;
	if (strcmp(role, "sales") == 0)
		return l->owner_id == db->actor.id;
	if (strcmp(role, "marketing") == 0)
		return mode == FNL__READ && l->stage_pos <= 2;
	if (strcmp(role, "aftersales") == 0)
		return strcmp(l->status, "won") == 0;
	return 0;
}

int fnl__lead_visible(fnl_db *db, const struct fnl_lead *l)
{
	return allowed(db, l, FNL__READ);
}

int fnl__lead_access(fnl_db *db, const struct fnl_lead *l, enum fnl__access mode)
{
	if (allowed(db, l, mode))
		return 0;
	return fnl__err(db, FNL_EPERM, "as", "user '%s' (%s) cannot %s lead %lld", db->actor.login,
			db->actor.role, mode == FNL__READ ? "see" : "change", (long long)l->id);
}
