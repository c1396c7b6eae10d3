/*
 * tests/unit/workbook.h - for the tests that write workbooks with libxlsxwriter, as Excel-like
 * writers make them.
 */
#ifndef FUNNEL_TEST_WORKBOOK_H
#define FUNNEL_TEST_WORKBOOK_H

#include <xlsxwriter.h>

/* A cell format of wb with the number format fmt ("yyyy-mm-dd", "[Red]0.00", ...). */
static inline lxw_format *t_numfmt(lxw_workbook *wb, const char *fmt)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_num_format(f, fmt);
	return f;
}

#endif
