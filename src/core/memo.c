/*
 * core/memo.c - what an import looks up for every row, remembered while it runs.
 *
 * Capturing a lead reads its channel, the first stage, its new owner's login and the round-robin
 * pointer; a list of a million rows would read them a million times. Between fnl__memo_begin and
 * fnl__memo_end the handle answers those from memory: while a batch is open the import holds the
 * write lock and changes no channel, stage or user, so the answers are the stored ones.
 * The round-robin pointer is kept in memory and written with fnl__memo_flush, which the import
 * calls before each commit: a batch rolled back takes the pointer's moves with it. Between two
 * batches another program may write (a lead added, a user deactivated): fnl__memo_renew, called
 * when a batch begins, forgets everything when another connection committed since.
 */
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "store/store.h"

enum { MEMO_CHANNELS = 32, MEMO_STAGES = 16, MEMO_USERS = 64 };

struct fnl__memo {
	struct fnl_channel ch[MEMO_CHANNELS];
	int nch;
	struct fnl_stage st[MEMO_STAGES];
	int64_t st_pipeline[MEMO_STAGES];
	int nst;
	struct fnl_user user[MEMO_USERS];
	int nuser;
	/* round-robin: the active sales consultants by id, the last one given a lead */
	int rr_loaded, rr_moved;
	int64_t rr_last;
	int64_t *sales;
	size_t nsales;
	int64_t version; /* PRAGMA data_version when the memo was last known good */
};

int fnl__memo_begin(fnl_db *db)
{
	if (db->memo)
		return 0;
	db->memo = calloc(1, sizeof *db->memo);
	return db->memo ? 0 : fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
}

void fnl__memo_end(fnl_db *db)
{
	if (!db->memo)
		return;
	free(db->memo->sales);
	free(db->memo);
	db->memo = NULL;
}

int fnl__memo_renew(fnl_db *db)
{
	struct fnl__memo *m = db->memo;
	if (!m)
		return 0;
	int64_t v = fnl__data_version(db);
	if (v < 0)
		return fnl__sqlerr(db, sqlite3_errcode(db->sql), "read the data version");
	if (v != m->version) {
		if (m->rr_moved)
			return fnl__err(db, FNL_EDB, NULL, "the round-robin pointer was not stored before a commit");
		free(m->sales);
		memset(m, 0, sizeof *m);
		m->version = v;
		/* the settings too (test words, blocked numbers, weights): what fnl__enter does between calls */
		if (db->data_version != v) {
			db->data_version = v;
			return fnl__settings_load(db);
		}
	}
	return 0;
}

const struct fnl_channel *fnl__memo_channel(fnl_db *db, const char *key)
{
	struct fnl__memo *m = db->memo;
	for (int i = 0; m && i < m->nch; i++)
		if (strcmp(m->ch[i].key, key) == 0)
			return &m->ch[i];
	return NULL;
}

void fnl__memo_channel_put(fnl_db *db, const struct fnl_channel *c)
{
	struct fnl__memo *m = db->memo;
	if (m && m->nch < MEMO_CHANNELS)
		m->ch[m->nch++] = *c;
}

const struct fnl_stage *fnl__memo_stage(fnl_db *db, int64_t pipeline_id, int pos)
{
	struct fnl__memo *m = db->memo;
	for (int i = 0; m && i < m->nst; i++)
		if (m->st_pipeline[i] == pipeline_id && m->st[i].pos == pos)
			return &m->st[i];
	return NULL;
}

void fnl__memo_stage_put(fnl_db *db, int64_t pipeline_id, const struct fnl_stage *s)
{
	struct fnl__memo *m = db->memo;
	if (m && m->nst < MEMO_STAGES) {
		m->st_pipeline[m->nst] = pipeline_id;
		m->st[m->nst++] = *s;
	}
}

const struct fnl_user *fnl__memo_user(fnl_db *db, int64_t id)
{
	struct fnl__memo *m = db->memo;
	for (int i = 0; m && i < m->nuser; i++)
		if (m->user[i].id == id)
			return &m->user[i];
	return NULL;
}

void fnl__memo_user_put(fnl_db *db, const struct fnl_user *u)
{
	struct fnl__memo *m = db->memo;
	if (m && m->nuser < MEMO_USERS)
		m->user[m->nuser++] = *u;
}

static const char rr_last_sql[] = "SELECT value FROM state WHERE key = 'assign.last_user'";
static const char rr_save_sql[] = "INSERT INTO state (key, value) VALUES ('assign.last_user', ?)"
				  " ON CONFLICT (key) DO UPDATE SET value = excluded.value";

/* The last consultant given a lead, as stored. */
static int rr_last(fnl_db *db, int64_t *last)
{
	*last = 0;
	sqlite3_stmt *st = fnl__stmt(db, rr_last_sql);
	if (!st)
		return db->err.code;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*last = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : fnl__sqlerr(db, rc, "assign lead");
}

static int rr_save(fnl_db *db, int64_t id)
{
	sqlite3_stmt *st = fnl__stmt(db, rr_save_sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, id);
	return fnl__exec_stmt(db, st, "assign lead");
}

static int rr_load(fnl_db *db, struct fnl__memo *m)
{
	static const char sql[] = "SELECT id FROM user WHERE role = 'sales' AND active = 1 ORDER BY id";
	int rc = rr_last(db, &m->rr_last);
	if (rc)
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return db->err.code;
	size_t cap = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (m->nsales == cap) {
			cap = cap ? 2 * cap : 16;
			int64_t *p = realloc(m->sales, cap * sizeof *p);
			if (!p) {
				sqlite3_reset(st);
				return fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
			}
			m->sales = p;
		}
		m->sales[m->nsales++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return fnl__sqlerr(db, rc, "assign lead");
	m->rr_loaded = 1;
	return 0;
}

int fnl__next_sales(fnl_db *db, int64_t *id)
{
	static const char next_sql[] = "SELECT id FROM user WHERE role = 'sales' AND active = 1"
				       " ORDER BY (id <= ?) , id LIMIT 1";
	struct fnl__memo *m = db->memo;
	int rc;
	*id = 0;
	if (m) {
		/* the first consultant after the last one, else the first */
		if (!m->rr_loaded && (rc = rr_load(db, m)))
			return rc;
		if (!m->nsales)
			return 0;
		size_t i = 0;
		while (i < m->nsales && m->sales[i] <= m->rr_last)
			i++;
		*id = m->sales[i < m->nsales ? i : 0];
		m->rr_last = *id;
		m->rr_moved = 1;
		return 0;
	}
	int64_t last;
	if ((rc = rr_last(db, &last)))
		return rc;
	sqlite3_stmt *st = fnl__stmt(db, next_sql);
	if (!st)
		return db->err.code;
	sqlite3_bind_int64(st, 1, last);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return fnl__sqlerr(db, rc, "assign lead");
	return *id ? rr_save(db, *id) : 0;
}

int fnl__memo_flush(fnl_db *db)
{
	struct fnl__memo *m = db->memo;
	if (!m || !m->rr_moved)
		return 0;
	int rc = rr_save(db, m->rr_last);
	if (rc == 0)
		m->rr_moved = 0;
	return rc;
}
