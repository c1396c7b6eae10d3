/* core/money.c - amounts: integer 分 inside, yuan with two decimals outside. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "funnel/funnel.h"

#define MAX_YUAN 10000000000000LL /* 10^13 */

int fnl_money_parse(const char *text, const char *field, int64_t *fen, struct fnl_error *err)
{
	const char *p = text ? text : "";
	int64_t yuan = 0, cents = 0;
	int digits = 0;
	if (!*p)
		return fnl_error_set(err, FNL_EINVAL, field, "%s: empty amount", field);
	if (*p == '-' || *p == '+')
		return fnl_error_set(err, FNL_EINVAL, field, "%s: '%s' has a sign; amounts are positive yuan like 128000.50",
				     field, text);
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		yuan = yuan * 10 + (*p - '0');
		if (yuan > MAX_YUAN)
			return fnl_error_set(err, FNL_EINVAL, field, "%s: '%s' is too large (at most 10000000000000 yuan)",
					     field, text);
	}
	if (*p == '.') {
		p++;
		int d = 0;
		for (; *p >= '0' && *p <= '9' && d < 3; p++, d++)
			cents = cents * 10 + (*p - '0');
		if (d == 0 || d > 2)
			return fnl_error_set(err, FNL_EINVAL, field,
					     "%s: '%s' is not an amount in yuan with at most 2 decimals", field, text);
		if (d == 1)
			cents *= 10;
	}
	if (yuan == MAX_YUAN && cents > 0)
		return fnl_error_set(err, FNL_EINVAL, field, "%s: '%s' is too large (at most 10000000000000 yuan)",
				     field, text);
	if (*p || digits == 0)
		return fnl_error_set(err, FNL_EINVAL, field,
				     "%s: '%s' is not an amount in yuan (digits and at most 2 decimals, like 128000.50)",
				     field, text);
	*fen = yuan * 100 + cents;
	return 0;
}

size_t fnl_money_format(int64_t fen, char *buf, size_t len)
{
	const char *sign = fen < 0 ? "-" : "";
	uint64_t v = fen < 0 ? (uint64_t)0 - (uint64_t)fen : (uint64_t)fen;
	int n = snprintf(buf, len, "%s%" PRIu64 ".%02" PRIu64, sign, v / 100, v % 100);
	return n < 0 ? 0 : (size_t)n;
}
