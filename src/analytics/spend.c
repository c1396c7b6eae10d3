/* analytics/spend.c - marketing spend per channel and month (SPEC §3), for report channels. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "funnel/analytics.h"
#include "store/store.h"

/* "YYYY-MM" with a month 01-12 and a year from 2000 to 2999. */
static int month_valid(const char *m)
{
	if (!m || strlen(m) != 7 || m[4] != '-')
		return 0;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (m[i] < '0' || m[i] > '9'))
			return 0;
	int mon = (m[5] - '0') * 10 + (m[6] - '0');
	return m[0] == '2' && mon >= 1 && mon <= 12;
}

#define SPEND_SELECT                                                                                 \
	"SELECT c.key, s.month, s.amount, s.updated_at, COALESCE(u.login, '') FROM channel_spend s"     \
	" JOIN channel c ON c.id = s.channel_id LEFT JOIN user u ON u.id = s.user_id "

static void read_spend(sqlite3_stmt *st, void *p)
{
	struct fnl_channel_spend *x = p;
	fnl__col_text(st, 0, x->channel, sizeof x->channel);
	fnl__col_text(st, 1, x->month, sizeof x->month);
	x->amount = sqlite3_column_int64(st, 2);
	x->updated_at = sqlite3_column_int64(st, 3);
	fnl__col_text(st, 4, x->user, sizeof x->user);
}

/* The spend of channel id in month, or *found 0. */
static int spend_get(fnl_db *db, int64_t channel_id, const char *month, struct fnl_channel_spend *out, int *found)
{
	static const char sql[] = SPEND_SELECT "WHERE s.channel_id = ? AND s.month = ?";
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, channel_id);
	fnl__bind_text(st, 2, month);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (*found) {
		memset(out, 0, sizeof *out);
		read_spend(st, out);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fnl__sqlerr(db, rc, "read channel spend");
}

static int set_spend(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *month, int64_t amount,
		     struct fnl_channel_spend *out)
{
	static const char sql[] = "INSERT INTO channel_spend (channel_id, month, amount, updated_at, user_id)"
				  " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (channel_id, month) DO UPDATE SET"
				  " amount = ?3, updated_at = ?4, user_id = ?5";
	struct fnl_channel ch;
	int rc = fnl__channel_by_key(db, key ? key : "", "channel", &ch);
	if (rc)
		return rc;
	if (!month_valid(month))
		return fnl__err(db, FNL_EINVAL, "month", "month: '%s' is not a month like 2026-10", month ? month : "");
	if (amount < 0)
		return fnl__err(db, FNL_EINVAL, "amount", "amount: spend cannot be negative");
	struct fnl_channel_spend old;
	int had;
	if ((rc = spend_get(db, ch.id, month, &old, &had)))
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, ch.id);
	fnl__bind_text(st, 2, month);
	sqlite3_bind_int64(st, 3, amount);
	sqlite3_bind_int64(st, 4, ctx->now);
	fnl__bind_int_null(st, 5, ctx->actor);
	if ((rc = fnl__exec_stmt(db, st, "record channel spend")))
		return rc;
	char id[FNL_KEY_LEN + 8];
	snprintf(id, sizeof id, "%s/%s", ch.key, month);
	if ((rc = fnl__audit(db, ctx, "channel_spend", id, had ? "update" : "create", 0,
			     had ? json_pack("{sI}", "amount", (json_int_t)old.amount) : NULL,
			     json_pack("{sI}", "amount", (json_int_t)amount))))
		return rc;
	if (!out)
		return 0;
	int found;
	return spend_get(db, ch.id, month, out, &found);
}

int fnl_channel_spend_set(fnl_db *db, const struct fnl_ctx *ctx, const char *key, const char *month,
			  int64_t amount, struct fnl_channel_spend *out)
{
	int rc = fnl__begin_write(db, ctx, "record channel spend", "admin", "marketing", NULL);
	return rc ? rc : fnl__tx_end(db, set_spend(db, ctx, key, month, amount, out));
}

int fnl_channel_spend_list(fnl_db *db, const struct fnl_ctx *ctx, const char *key, struct fnl_channel_spend **out,
			   size_t *n)
{
	static const char sql[] = SPEND_SELECT "WHERE ?1 IS NULL OR c.key = ?1 ORDER BY c.id, s.month";
	*out = NULL;
	*n = 0;
	int rc = fnl__enter(db, ctx);
	if (rc)
		return rc;
	/* those who see it in report channels: a team's or an owner's view of the report has no spend */
	if (strcmp(db->actor.role, "marketing") && !fnl__manages(db, 0))
		return fnl__err(db, FNL_EPERM, "as", "user '%s' (%s) cannot see channel spend", db->actor.login,
				db->actor.role);
	struct fnl_channel ch;
	if (key && (rc = fnl__channel_by_key(db, key, "channel", &ch)))
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	fnl__bind_text_null(st, 1, key);
	return fnl__collect(db, st, sizeof(struct fnl_channel_spend), read_spend, (void **)out, n, "list channel spend");
}
