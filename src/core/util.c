/* core/util.c - small helpers shared by the modules. */
#include <stdio.h>
#include <string.h>

#include "core/clean.h"
#include "core/internal.h"
#include "store/store.h"

int fnl__take_text(fnl_db *db, const char *field, const char *value, char *dst, size_t dstlen)
{
	if (fnl__clean_fold(value ? value : "", dst, dstlen))
		return fnl__err(db, FNL_EINVAL, field, "%s: too long (at most %zu bytes)", field, dstlen - 1);
	for (const unsigned char *p = (const unsigned char *)dst; *p; p++)
		if (*p < 0x20 && *p != '\n' && *p != '\t')
			return fnl__err(db, FNL_EINVAL, field, "%s: contains a control character", field);
	return 0;
}

json_t *fnl__json_time(fnl_db *db, int64_t t)
{
	if (!t)
		return json_null();
	char buf[40];
	fnl_time_format(db->set.tz, t, buf, sizeof buf);
	return json_string(buf);
}
