/* io/csv_out.c - one field of a CSV file for Excel (lead exports, report tables, import reports). */
#include <string.h>

#include "funnel/export.h"

int fnl_csv_guarded(const char *s)
{
	while (*s == '\'')
		s++;
	return *s && strchr("=+-@\t\r", *s) != NULL;
}

void fnl_csv_field(FILE *out, const char *s, int text)
{
	int formula = text && fnl_csv_guarded(s);
	int quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		fputc('"', out);
	if (formula)
		fputc('\'', out);
	if (!quote) {
		fputs(s, out);
		return;
	}
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}
