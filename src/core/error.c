/* core/error.c - error codes, their texts and HTTP statuses, and the error detail struct. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "funnel/error.h"

const char *fnl_strerror(int code)
{
	switch (code) {
#define X(name, num, http, text) \
	case num:                \
		return text;
		FNL_ERRNO_MAP(X)
#undef X
	}
	return "unknown error";
}

int fnl_http_status(int code)
{
	switch (code) {
#define X(name, num, http, text) \
	case num:                \
		return http;
		FNL_ERRNO_MAP(X)
#undef X
	}
	return 500;
}

const char *fnl_errname(int code)
{
	switch (code) {
#define X(name, num, http, text) \
	case num:                \
		return #name;
		FNL_ERRNO_MAP(X)
#undef X
	}
	return "EUNKNOWN";
}

int fnl_error_set(struct fnl_error *err, int code, const char *field, const char *fmt, ...)
{
	if (!err)
		return code;
	err->code = code;
	snprintf(err->field, sizeof err->field, "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return code;
}

void fnl_error_clear(struct fnl_error *err)
{
	if (!err)
		return;
	err->code = 0;
	err->field[0] = '\0';
	err->message[0] = '\0';
}
