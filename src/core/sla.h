/* core/sla.h - due times of follow-up deadlines and nurture tasks, from the configuration. */
#ifndef FUNNEL_CORE_SLA_H
#define FUNNEL_CORE_SLA_H

#include "funnel/funnel.h"

/* Due time of the follow-up deadline of a lead graded grade ("A"; anything else gets the B rule:
 * the end of the sla.b_working_days-th working day after the local grading date). */
int64_t fnl__sla_due(fnl_db *db, const char *grade, int64_t graded_at);
/* Next nurture touch and re-evaluation of a C lead: nurture.touch_days and nurture.reevaluate_days
 * calendar days after `from`, at the same local time in the installation's zone. */
int64_t fnl__touch_due(fnl_db *db, int64_t from);
int64_t fnl__reevaluate_due(fnl_db *db, int64_t from);

#endif
