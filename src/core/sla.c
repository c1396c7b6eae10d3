/* core/sla.c - follow-up deadlines (SPEC §4): when a graded lead must be followed up. */
#include "core/internal.h"
#include "core/sla.h"
#include "store/store.h"

int64_t fnl__sla_due(fnl_db *db, const char *grade, int64_t graded_at)
{
	const struct fnl__settings *s = &db->set;
	if (grade && grade[0] == 'A')
		return graded_at + s->sla_a_hours * 3600;
	/* B: the end (23:59:59 local) of the n-th working day after the grading date. */
	int64_t day = fnl_tz_local_date(s->tz, graded_at);
	int64_t due_day = fnl_calendar_add_workdays(s->cal, day, (int)s->sla_b_days);
	return fnl_tz_from_local(s->tz, due_day * FNL_DAY_SECONDS + FNL_DAY_SECONDS - 1);
}

/* The same local time n calendar days after t: across a DST change a day is not 24 hours. */
static int64_t local_days_later(const fnl_tz *tz, int64_t t, int64_t n)
{
	return fnl_tz_from_local(tz, t + fnl_tz_offset(tz, t) + n * FNL_DAY_SECONDS);
}

int64_t fnl__touch_due(fnl_db *db, int64_t from)
{
	return local_days_later(db->set.tz, from, db->set.touch_days);
}

int64_t fnl__reevaluate_due(fnl_db *db, int64_t from)
{
	return local_days_later(db->set.tz, from, db->set.reevaluate_days);
}
