/* core/gate.h - the stage gates a forward move passes through (SPEC §2). */
#ifndef FUNNEL_CORE_GATE_H
#define FUNNEL_CORE_GATE_H

#include <jansson.h>

#include "funnel/funnel.h"

/*
 * Check the gates of the stages lead l would enter moving forward to position to_pos. failed gets
 * "" when all pass, else "gate 'propose': no customer needs list; gate 'won': ..." (len bytes).
 * When forced is not NULL it gets a JSON array of the failed gates (or NULL when none), for the
 * audit log of a forced move.
 */
int fnl__gates(fnl_db *db, const struct fnl_lead *l, int to_pos, char *failed, size_t len, json_t **forced);

#endif
