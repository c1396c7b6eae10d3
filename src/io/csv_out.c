/* io/csv_out.c - one field of a CSV file for Excel (lead exports, report tables, import reports). */
#include <string.h>

#include "funnel/export.h"

void fnl_csv_field(FILE *out, const char *s, int text)
{
	int formula = text && *s && strchr("=+-@\t\r", *s);
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
