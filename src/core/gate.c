/*
 * core/gate.c - the stage gates (SPEC §2): what a lead must have before it enters a stage.
 * propose: a customer-confirmed needs list; negotiate: a solution item; the last stage: a deal
 * (contract amount and date). Each gate can be switched off in config (gate.*).
 */
#include <stdio.h>
#include <string.h>

#include "core/gate.h"
#include "core/internal.h"
#include "store/store.h"

static int64_t count(fnl_db *db, const char *sql, int64_t lead_id)
{
	sqlite3_stmt *st = fnl__stmt(db, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, lead_id);
	int64_t n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}

/* What the gate of stage pos lacks for lead l ("" when it passes or has no gate). */
static int gate_of(fnl_db *db, const struct fnl_lead *l, const struct fnl_stage *s, int last,
		   const char **gate, char *missing, size_t len)
{
	/* the newest version must be confirmed: an edit after confirmation waits for the customer again */
	static const char confirmed[] = "SELECT COALESCE((SELECT confirmed_at IS NOT NULL FROM needs_version"
					" WHERE lead_id = ? ORDER BY version DESC LIMIT 1), 0)";
	static const char any_list[] = "SELECT count(*) FROM needs_version WHERE lead_id = ?";
	static const char solution[] = "SELECT count(*) FROM solution_item WHERE lead_id = ?";
	static const char deal[] = "SELECT count(*) FROM deal WHERE lead_id = ?";
	*gate = NULL;
	missing[0] = '\0';
	int64_t n;
	if (strcmp(s->key, "propose") == 0 && db->set.gate[FNL__GATE_PROPOSE]) {
		*gate = "propose";
		if ((n = count(db, confirmed, l->id)) < 0)
			return db->err.code;
		if (n == 0) {
			int64_t any = count(db, any_list, l->id);
			snprintf(missing, len, "%s", any > 0 ? "needs list not confirmed by the customer"
							     : "no customer needs list");
		}
	} else if (strcmp(s->key, "negotiate") == 0 && db->set.gate[FNL__GATE_NEGOTIATE]) {
		*gate = "negotiate";
		if ((n = count(db, solution, l->id)) < 0)
			return db->err.code;
		if (n == 0)
			snprintf(missing, len, "%s", "no solution item");
	} else if (last && db->set.gate[FNL__GATE_WON]) {
		*gate = "won";
		if ((n = count(db, deal, l->id)) < 0)
			return db->err.code;
		if (n == 0)
			snprintf(missing, len, "%s", "no deal with contract amount and date");
	}
	return 0;
}

int fnl__gates(fnl_db *db, const struct fnl_lead *l, int to_pos, char *failed, size_t len, json_t **forced)
{
	struct fnl_stage last, s;
	int rc = fnl__stage_last(db, l->pipeline_id, &last);
	if (rc)
		return rc;
	failed[0] = '\0';
	if (forced)
		*forced = NULL;
	for (int pos = l->stage_pos + 1; pos <= to_pos; pos++) {
		if ((rc = fnl__stage_by_pos(db, l->pipeline_id, pos, &s)))
			return rc;
		const char *gate;
		char missing[128];
		if ((rc = gate_of(db, l, &s, pos == last.pos, &gate, missing, sizeof missing)))
			return rc;
		if (!gate || !missing[0])
			continue;
		size_t used = strlen(failed);
		snprintf(failed + used, len - used, "%sgate '%s': %s", used ? "; " : "", gate, missing);
		if (forced) {
			if (!*forced)
				*forced = json_array();
			json_array_append_new(*forced, json_pack("{ss ss}", "gate", gate, "missing", missing));
		}
	}
	return 0;
}
