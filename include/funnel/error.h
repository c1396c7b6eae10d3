/*
 * funnel/error.h - error codes of libfunnel.
 *
 * Every fallible function returns one of these codes; 0 (FNL_OK) is success. The detail of an error
 * (which field, which value, which rule) is kept in a struct fnl_error: on the handle for functions
 * that take a fnl_db (read it with fnl_errmsg() and fnl_errfield()), or in a caller-provided struct
 * for the pure functions that take none.
 *
 * FNL_ERRNO_MAP lists each code once: name, number, HTTP status, text. Codes are append-only: a
 * number, once given, keeps its meaning.
 */
#ifndef FUNNEL_ERROR_H
#define FUNNEL_ERROR_H

#include <stddef.h>

#define FNL_ERRNO_MAP(X)                                                          \
	X(OK, 0, 200, "success")                                                  \
	X(EINVAL, 1, 400, "invalid value")                                        \
	X(ENOTFOUND, 2, 404, "not found")                                         \
	X(EEXIST, 3, 409, "already exists")                                       \
	X(EPERM, 4, 403, "permission denied")                                     \
	X(ESTATE, 5, 409, "not allowed in the current state")                     \
	X(ENOMEM, 6, 500, "out of memory")                                        \
	X(EDB, 7, 500, "database error")                                          \
	X(EBUSY, 8, 503, "database is busy")                                      \
	X(EIO, 9, 500, "input/output error")                                      \
	X(ESCHEMA, 10, 500, "database schema not supported by this version")      \
	X(EGATE, 11, 409, "stage gate not passed")

enum fnl_errno {
#define FNL__ERR_ENUM(name, num, http, text) FNL_##name = num,
	FNL_ERRNO_MAP(FNL__ERR_ENUM)
#undef FNL__ERR_ENUM
};

/* Detail of the last error. field is empty when the error is not about one input field. */
struct fnl_error {
	int code;
	char field[64];
	char message[512];
};

/* The short text of a code ("not found"); never NULL, "unknown error" for an unknown code. */
const char *fnl_strerror(int code);

/* The HTTP status for a code (400, 404, ...); 500 for an unknown code. */
int fnl_http_status(int code);

/* The stable name of a code ("EINVAL"); used as the API's error.code. */
const char *fnl_errname(int code);

/*
 * Record an error in err (which may be NULL) and return code. field may be NULL. The message is a
 * printf format; it reads as the problem first, lower case, no trailing period, values quoted:
 * "cannot move lead 42 to 'propose': needs list not confirmed".
 */
int fnl_error_set(struct fnl_error *err, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Clear err (code 0, empty strings). Accepts NULL. */
void fnl_error_clear(struct fnl_error *err);

#endif
