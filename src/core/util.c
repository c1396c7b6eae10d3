/* core/util.c - small helpers shared by the modules. */
#include <stdio.h>
#include <string.h>

#include "core/clean.h"
#include "core/internal.h"
#include "store/store.h"
#include "io/text.h"

/* Length of the whitespace (ASCII, or the ideographic space U+3000) at s, 0 when none. */
static size_t space_at(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\v' || *s == '\f')
		return 1;
	/* byte by byte: s may end (NUL) before three bytes */
	return (unsigned char)s[0] == 0xe3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80 ? 3 : 0;
}

static int check_text(fnl_db *db, const char *field, const char *dst)
{
	const unsigned char *p = (const unsigned char *)dst;
	for (; *p; p++)
		if (*p < 0x20 && *p != '\n' && *p != '\t')
			return fnl__err(db, FNL_EINVAL, field, "%s: contains a control character", field);
	size_t n = (size_t)(p - (const unsigned char *)dst);
	if (fnl_utf8_prefix((const unsigned char *)dst, n) != n)
		return fnl__err(db, FNL_EINVAL, field, "%s: not UTF-8 text", field);
	return 0;
}

int fnl__take_text(fnl_db *db, const char *field, const char *value, char *dst, size_t dstlen)
{
	const char *s = value ? value : "";
	size_t n, sp;
	while ((sp = space_at(s)) > 0)
		s += sp;
	n = strlen(s);
	/* trailing: step back over ASCII spaces and whole U+3000 sequences */
	for (;;) {
		if (n && space_at(s + n - 1) == 1)
			n--;
		else if (n >= 3 && memcmp(s + n - 3, "\xe3\x80\x80", 3) == 0)
			n -= 3;
		else
			break;
	}
	if (n >= dstlen)
		return fnl__err(db, FNL_EINVAL, field, "%s: too long (at most %zu bytes)", field, dstlen - 1);
	memcpy(dst, s, n);
	dst[n] = '\0';
	return check_text(db, field, dst);
}

int fnl__take_folded(fnl_db *db, const char *field, const char *value, char *dst, size_t dstlen)
{
	if (fnl__clean_fold(value ? value : "", dst, dstlen))
		return fnl__err(db, FNL_EINVAL, field, "%s: too long (at most %zu bytes)", field, dstlen - 1);
	return check_text(db, field, dst);
}

json_t *fnl__json_time(fnl_db *db, int64_t t)
{
	if (!t)
		return json_null();
	char buf[40];
	fnl_time_format(db->set.tz, t, buf, sizeof buf);
	return json_string(buf);
}
