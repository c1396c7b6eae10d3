/*
 * io/xlsx.c - the rows of one sheet of an XLSX workbook as records, read as a stream.
 *
 * A workbook is a zip of XML parts (ECMA-376): xl/workbook.xml names the sheets and points at them
 * through xl/_rels/workbook.xml.rels; xl/sharedStrings.xml holds the text most cells refer to by
 * number; xl/styles.xml says which cells are dates (a number with a date format). Those small parts
 * are read whole at open. The sheet itself is decompressed in chunks into expat, which is suspended
 * at the end of every row: only one row is in memory at a time, whatever the size of the sheet.
 *
 * A record is a row: its cells by column, the gaps (columns without a cell) as empty fields, up to
 * the last cell with a value. Rows without any value are skipped; the line of a record is the
 * sheet's row number. A number is written as people read it ("13800138001", "0.5"), a number in a
 * date-formatted cell as ISO 8601 ("2026-11-27", "2026-11-27T10:30:00", a time alone "10:30:00"),
 * a formula as its cached value. Unlike a CSV line, a row cannot be broken by its structure: a row
 * with more cells than the header is returned as it is. A row is broken (FNL_EINVAL in err, the
 * reading goes on) only for a reference to a shared string that does not exist, a cell beyond XFD or
 * longer than 1 MiB; a sheet whose XML is damaged ends the reading (FNL_EIO).
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <expat.h>
#include <zip.h>

#include "funnel/time.h"
#include "io/reader.h"
#include "io/text.h"

#define CHUNK 65536
#define MAX_TEXT (1u << 20)  /* bytes of one cell or shared string: Excel's own limit is 32767 chars */
#define MAX_COLS 16384       /* A .. XFD */
#define MAX_ROWS 1048576     /* rows of a sheet */

/* The local name of an element or attribute from the namespace-aware parser ("uri|name"). */
static const char *local(const char *name)
{
	const char *s = strrchr(name, '|');
	return s ? s + 1 : name;
}

static const char *attr(const char **atts, const char *name)
{
	for (; atts[0]; atts += 2)
		if (strcmp(local(atts[0]), name) == 0)
			return atts[1];
	return NULL;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Decode the escapes of OOXML strings in place: "_x000D_" is a carriage return, "_x005F_" an
 * underscore. The text only gets shorter. Returns the new length. */
static size_t unescape(char *s, size_t len)
{
	size_t r = 0, w = 0;
	while (r < len) {
		if (s[r] == '_' && r + 6 < len && s[r + 1] == 'x' && s[r + 6] == '_') {
			int h0 = hexval(s[r + 2]), h1 = hexval(s[r + 3]), h2 = hexval(s[r + 4]), h3 = hexval(s[r + 5]);
			if (h0 >= 0 && h1 >= 0 && h2 >= 0 && h3 >= 0) {
				unsigned cp = (unsigned)(h0 << 12 | h1 << 8 | h2 << 4 | h3);
				if (cp >= 0xD800 && cp <= 0xDFFF) {
					/* half of a surrogate pair: not text on its own, keep the escape */
				} else if (cp < 0x80) {
					s[w++] = (char)cp;
					r += 7;
					continue;
				} else if (cp < 0x800) {
					s[w++] = (char)(0xC0 | cp >> 6);
					s[w++] = (char)(0x80 | (cp & 0x3F));
					r += 7;
					continue;
				} else {
					s[w++] = (char)(0xE0 | cp >> 12);
					s[w++] = (char)(0x80 | ((cp >> 6) & 0x3F));
					s[w++] = (char)(0x80 | (cp & 0x3F));
					r += 7;
					continue;
				}
			}
		}
		s[w++] = s[r++];
	}
	s[w] = '\0';
	return w;
}

/* ---- reading a whole part through expat ---- */

/* Every parser state starts with this, so handlers can stop the parser on a failure. */
struct pstate {
	XML_Parser parser;
	int nomem;
};

static void stop_nomem(struct pstate *ps)
{
	ps->nomem = 1;
	XML_StopParser(ps->parser, XML_FALSE);
}

/* OOXML parts have no DTD: one that declares entities is not a workbook (and could expand). */
static void XMLCALL no_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
			       int has_internal)
{
	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	XML_StopParser(((struct pstate *)ud)->parser, XML_FALSE);
}

static XML_Parser new_parser(struct pstate *ps)
{
	XML_Parser p = XML_ParserCreateNS(NULL, '|');
	if (!p)
		return NULL;
	ps->parser = p;
	ps->nomem = 0;
	XML_SetUserData(p, ps);
	XML_SetStartDoctypeDeclHandler(p, no_doctype);
	return p;
}

static zip_int64_t locate(zip_t *z, const char *name)
{
	zip_int64_t i = zip_name_locate(z, name, 0);
	return i >= 0 ? i : zip_name_locate(z, name, ZIP_FL_NOCASE);
}

/* Parse the part name of z with the handlers (ps is the user data). A missing part is *found = 0
 * (an error when found is NULL). */
static int parse_part(zip_t *z, const char *path, const char *name, struct pstate *ps, XML_StartElementHandler start,
		      XML_EndElementHandler end, XML_CharacterDataHandler text, int *found, struct fnl_error *err)
{
	zip_int64_t idx = locate(z, name);
	if (found)
		*found = idx >= 0;
	if (idx < 0)
		return found ? 0 : fnl_error_set(err, FNL_EINVAL, "file", "file: '%s' is not an XLSX workbook (no %s)", path, name);
	zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)idx, 0);
	if (!f)
		return fnl_error_set(err, FNL_EINVAL, "file", "file: '%s' is damaged: cannot read %s (%s)", path, name,
				     zip_strerror(z));
	XML_Parser p = new_parser(ps);
	if (!p) {
		zip_fclose(f);
		return fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
	}
	XML_SetElementHandler(p, start, end);
	if (text)
		XML_SetCharacterDataHandler(p, text);
	int rc = 0;
	for (;;) {
		void *chunk = XML_GetBuffer(p, CHUNK);
		if (!chunk) {
			rc = fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
			break;
		}
		zip_int64_t n = zip_fread(f, chunk, CHUNK);
		if (n < 0) {
			rc = fnl_error_set(err, FNL_EINVAL, "file", "file: '%s' is damaged: cannot read %s (%s)", path, name,
					   zip_file_strerror(f));
			break;
		}
		if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
			if (ps->nomem)
				rc = fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
			else
				rc = fnl_error_set(err, FNL_EINVAL, "file", "file: '%s' is damaged: %s is not well-formed XML (line %lu: %s)",
						   path, name, (unsigned long)XML_GetCurrentLineNumber(p),
						   XML_ErrorString(XML_GetErrorCode(p)));
			break;
		}
		if (n == 0)
			break;
	}
	XML_ParserFree(p);
	zip_fclose(f);
	return rc;
}

/* ---- the package: where the workbook is ---- */

struct rels {
	struct pstate ps;
	struct rel {
		char *id, *type, *target;
	} *v;
	size_t n, cap;
};

static void XMLCALL rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct rels *r = ud;
	if (strcmp(local(name), "Relationship"))
		return;
	const char *id = attr(atts, "Id"), *type = attr(atts, "Type"), *target = attr(atts, "Target");
	if (!id || !target)
		return;
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 16;
		struct rel *v = realloc(r->v, cap * sizeof *v);
		if (!v) {
			stop_nomem(&r->ps);
			return;
		}
		r->v = v;
		r->cap = cap;
	}
	struct rel *e = &r->v[r->n];
	e->id = strdup(id);
	e->type = strdup(type ? type : "");
	e->target = strdup(target);
	if (!e->id || !e->type || !e->target) {
		free(e->id), free(e->type), free(e->target);
		stop_nomem(&r->ps);
		return;
	}
	r->n++;
}

static void XMLCALL ignore_end(void *ud, const XML_Char *name)
{
	(void)ud, (void)name;
}

static void rels_free(struct rels *r)
{
	for (size_t i = 0; i < r->n; i++) {
		free(r->v[i].id);
		free(r->v[i].type);
		free(r->v[i].target);
	}
	free(r->v);
	memset(r, 0, sizeof *r);
}

static const struct rel *rel_by_type(const struct rels *r, const char *suffix)
{
	size_t sl = strlen(suffix);
	for (size_t i = 0; i < r->n; i++) {
		size_t tl = strlen(r->v[i].type);
		if (tl >= sl && strcmp(r->v[i].type + tl - sl, suffix) == 0)
			return &r->v[i];
	}
	return NULL;
}

/* The zip entry a relationship target names: relative to the folder of the part (base, ending in
 * '/'), or absolute from the package root ("/xl/worksheets/sheet1.xml"). */
static char *resolve(const char *base, const char *target)
{
	char tmp[1024];
	if (target[0] == '/')
		snprintf(tmp, sizeof tmp, "%s", target + 1);
	else
		snprintf(tmp, sizeof tmp, "%s%s", base, target);
	/* fold "dir/../" */
	char *s;
	while ((s = strstr(tmp, "/../")) != NULL) {
		char *d = s;
		while (d > tmp && d[-1] != '/')
			d--;
		memmove(d, s + 4, strlen(s + 4) + 1);
	}
	return strdup(tmp);
}

/* ---- the workbook: its sheets and date system ---- */

struct workbook {
	struct pstate ps;
	struct sheet {
		char *name, *rid;
		int hidden;
	} *v;
	size_t n, cap;
	int date1904;
};

static void XMLCALL wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct workbook *w = ud;
	const char *ln = local(name);
	if (strcmp(ln, "workbookPr") == 0) {
		const char *d = attr(atts, "date1904");
		w->date1904 = d && (strcmp(d, "1") == 0 || strcmp(d, "true") == 0);
		return;
	}
	if (strcmp(ln, "sheet"))
		return;
	const char *nm = attr(atts, "name"), *rid = attr(atts, "id"), *state = attr(atts, "state");
	if (!nm || !rid)
		return;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 8;
		struct sheet *v = realloc(w->v, cap * sizeof *v);
		if (!v) {
			stop_nomem(&w->ps);
			return;
		}
		w->v = v;
		w->cap = cap;
	}
	struct sheet *s = &w->v[w->n];
	s->name = strdup(nm);
	s->rid = strdup(rid);
	s->hidden = state && strcmp(state, "visible") != 0;
	if (!s->name || !s->rid) {
		free(s->name), free(s->rid);
		stop_nomem(&w->ps);
		return;
	}
	w->n++;
}

static void workbook_free(struct workbook *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->v[i].name);
		free(w->v[i].rid);
	}
	free(w->v);
}

/* ---- shared strings ---- */

struct sst {
	struct pstate ps;
	struct fnl_text pool;     /* every string, NUL-terminated */
	size_t *off;
	size_t n, cap;
	int in_si, in_t, in_rph;
	size_t start;        /* where the current string begins in pool */
	int toolong;         /* the current string is over MAX_TEXT */
};

/* The offset of a shared string over MAX_TEXT: cells that use it are broken records. */
#define SST_TOOLONG ((size_t)-1)

static void XMLCALL sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	(void)atts;
	struct sst *s = ud;
	const char *ln = local(name);
	if (strcmp(ln, "si") == 0) {
		s->in_si = 1;
		s->toolong = 0;
		s->start = s->pool.len;
	} else if (strcmp(ln, "t") == 0 && s->in_si) {
		s->in_t = 1;
	} else if (strcmp(ln, "rPh") == 0) {
		s->in_rph = 1; /* phonetic guide (furigana): not part of the text */
	}
}

static void XMLCALL sst_end(void *ud, const XML_Char *name)
{
	struct sst *s = ud;
	const char *ln = local(name);
	if (strcmp(ln, "t") == 0) {
		s->in_t = 0;
	} else if (strcmp(ln, "rPh") == 0) {
		s->in_rph = 0;
	} else if (strcmp(ln, "si") == 0 && s->in_si) {
		s->in_si = 0;
		if (s->n == s->cap) {
			size_t cap = s->cap ? s->cap * 2 : 1024;
			size_t *off = realloc(s->off, cap * sizeof *off);
			if (!off) {
				stop_nomem(&s->ps);
				return;
			}
			s->off = off;
			s->cap = cap;
		}
		if (s->toolong) {
			/* no part of it: a cell that uses it is a broken record */
			s->pool.len = s->start;
			s->off[s->n++] = SST_TOOLONG;
			return;
		}
		if (fnl_text_add(&s->pool, "", 0)) {
			stop_nomem(&s->ps);
			return;
		}
		size_t len = unescape(s->pool.p + s->start, s->pool.len - s->start);
		s->pool.len = s->start + len + 1; /* keep the NUL */
		s->off[s->n++] = s->start;
	}
}

static void XMLCALL sst_text(void *ud, const XML_Char *text, int len)
{
	struct sst *s = ud;
	if (!s->in_si || !s->in_t || s->in_rph || s->toolong)
		return;
	if (s->pool.len - s->start + (size_t)len > MAX_TEXT) {
		s->toolong = 1; /* more than a cell can hold */
		return;
	}
	if (fnl_text_add(&s->pool, text, (size_t)len))
		stop_nomem(&s->ps);
}

/* ---- styles: which cell formats are dates ---- */

enum { K_NUMBER = 0, K_DATE = 1, K_TIME = 2, K_DATETIME = 3 };

struct styles {
	struct pstate ps;
	struct numfmt {
		int id;
		int kind;
	} *fmts;
	size_t nfmts, capfmts;
	int *xf;             /* numFmtId of each cell format */
	size_t nxf, capxf;
	int in_cellxfs;
};

/* What a format code shows: a date (y, d, or m without h/s), a time (h, s), both, or a number.
 * Quoted text, [colours and conditions], escaped characters and _x / *x fillers are not codes. */
static int fmt_kind(const char *code)
{
	int date = 0, time = 0, month = 0;
	for (const char *p = code; *p && *p != ';'; p++) {
		switch (*p) {
		case '"':
			for (p++; *p && *p != '"'; p++)
				;
			if (!*p)
				return K_NUMBER;
			break;
		case '[':
			/* [h], [mm], [ss]: elapsed time; anything else ([Red], [$-804]) is not a code */
			if ((p[1] == 'h' || p[1] == 'H' || p[1] == 'm' || p[1] == 'M' || p[1] == 's' || p[1] == 'S'))
				time = 1;
			for (p++; *p && *p != ']'; p++)
				;
			if (!*p)
				return K_NUMBER;
			break;
		case '\\':
		case '_':
		case '*':
			if (p[1])
				p++;
			break;
		case 'y': case 'Y': case 'd': case 'D':
			date = 1;
			break;
		case 'h': case 'H': case 's': case 'S':
			time = 1;
			break;
		case 'm': case 'M':
			month = 1;
			break;
		default:
			break;
		}
	}
	if (month && !time)
		date = 1;
	return date && time ? K_DATETIME : date ? K_DATE : time ? K_TIME : K_NUMBER;
}

/* The built-in formats (ECMA-376 18.8.30), with the ones of Chinese Excel and WPS (27-36, 50-58),
 * which workbooks written there use without declaring them. */
static int builtin_kind(int id)
{
	if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 54) || id == 57 ||
	    id == 58)
		return K_DATE;
	if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || (id >= 45 && id <= 47) || id == 55 || id == 56)
		return K_TIME;
	if (id == 22)
		return K_DATETIME;
	return K_NUMBER;
}

static void XMLCALL styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct styles *s = ud;
	const char *ln = local(name);
	if (strcmp(ln, "numFmt") == 0) {
		const char *id = attr(atts, "numFmtId"), *code = attr(atts, "formatCode");
		if (!id || !code)
			return;
		if (s->nfmts == s->capfmts) {
			size_t cap = s->capfmts ? s->capfmts * 2 : 16;
			struct numfmt *v = realloc(s->fmts, cap * sizeof *v);
			if (!v) {
				stop_nomem(&s->ps);
				return;
			}
			s->fmts = v;
			s->capfmts = cap;
		}
		s->fmts[s->nfmts].id = (int)strtol(id, NULL, 10);
		s->fmts[s->nfmts].kind = fmt_kind(code);
		s->nfmts++;
	} else if (strcmp(ln, "cellXfs") == 0) {
		s->in_cellxfs = 1;
	} else if (strcmp(ln, "xf") == 0 && s->in_cellxfs) {
		const char *id = attr(atts, "numFmtId");
		if (s->nxf == s->capxf) {
			size_t cap = s->capxf ? s->capxf * 2 : 32;
			int *v = realloc(s->xf, cap * sizeof *v);
			if (!v) {
				stop_nomem(&s->ps);
				return;
			}
			s->xf = v;
			s->capxf = cap;
		}
		s->xf[s->nxf++] = id ? (int)strtol(id, NULL, 10) : 0;
	}
}

static void XMLCALL styles_end(void *ud, const XML_Char *name)
{
	struct styles *s = ud;
	if (strcmp(local(name), "cellXfs") == 0)
		s->in_cellxfs = 0;
}

/* ---- the reader ---- */

enum ctype { T_NUMBER, T_SHARED, T_INLINE, T_STR, T_BOOL, T_ERROR, T_DATE };

struct cell {
	int col;
	size_t off;          /* of its text in the row's pool */
};

struct xlsx {
	struct fnl_reader ops;
	struct pstate ps;    /* the sheet's parser */
	zip_t *zip;
	zip_file_t *file;
	char *sheet_name;
	int64_t done, total;
	int final_sent, finished, suspended;
	int fatal;           /* a failure that ended the reading (its code) */
	char fatal_msg[512];

	/* the workbook */
	struct sst sst;
	unsigned char *kind; /* per cell format: K_* */
	size_t nkind;
	int date1904;

	/* the row being read */
	int in_sheetdata, in_row, in_c, in_v, in_is, in_t, in_rph;
	int64_t row, last_row;
	int col, last_col;
	enum ctype type;
	size_t style;
	struct fnl_text val;
	int val_toolong;
	struct fnl_text pool;     /* the row's cell texts */
	struct cell *cells;
	size_t ncells, capcells;
	int maxcol;          /* the last column with a value, -1: none */
	char row_err[256];
	int ready;

	/* the record handed out */
	char **fields;
	size_t capfields;
	char empty[1];
};

/* "C5" -> column 2 (0-based), row 5; *col -1 when there are no letters. */
static void parse_ref(const char *r, int *col, int64_t *row)
{
	int c = 0, letters = 0;
	for (; *r >= 'A' && *r <= 'Z'; r++, letters++)
		c = c <= MAX_COLS ? c * 26 + (*r - 'A' + 1) : c;
	*col = letters ? c - 1 : -1;
	int64_t n = 0;
	for (; *r >= '0' && *r <= '9'; r++)
		n = n < 100000000 ? n * 10 + (*r - '0') : n;
	*row = n;
}

/* A cell's column as letters, for messages. */
static void col_name(int col, char buf[8])
{
	char tmp[8];
	int k = 0;
	for (int c = col + 1; c > 0 && k < 7; c = (c - 1) / 26)
		tmp[k++] = (char)('A' + (c - 1) % 26);
	for (int i = 0; i < k; i++)
		buf[i] = tmp[k - 1 - i];
	buf[k] = '\0';
}

/* A number as people read it: integers in full without an exponent ("13800138001"), others with up
 * to 15 significant digits and no trailing zeros ("0.5", "1234.5"). */
static void format_number(double v, char *buf, size_t len)
{
	if (v == 0) {
		snprintf(buf, len, "0");
		return;
	}
	if (v == floor(v) && fabs(v) < 1e21) {
		snprintf(buf, len, "%.0f", v);
		return;
	}
	snprintf(buf, len, "%.15g", v);
	if (!strchr(buf, 'e') || fabs(v) < 1e-9 || fabs(v) >= 1e21)
		return; /* as Excel shows them too: 1e+100 */
	/* 1.5e-05 -> 0.000015: as many decimals as 15 significant digits need, zeros trimmed */
	int exp10 = (int)floor(log10(fabs(v)));
	int decimals = 14 - exp10;
	if (decimals < 0)
		decimals = 0;
	if (decimals > 30)
		decimals = 30;
	snprintf(buf, len, "%.*f", decimals, v);
	char *dot = strchr(buf, '.');
	if (dot) {
		char *e = buf + strlen(buf) - 1;
		while (e > dot && *e == '0')
			*e-- = '\0';
		if (e == dot)
			*e = '\0';
	}
}

/* A serial date of the workbook's system as ISO 8601; 0 when v is not a date Excel can show. */
static int format_date(const struct xlsx *x, double v, int kind, char *buf, size_t len)
{
	if (!(v >= 0 && v < 2958466.0))
		return 0;
	int64_t total = (int64_t)llround(v * 86400.0);
	int64_t serial = total / 86400, secs = total % 86400;
	int hh = (int)(secs / 3600), mi = (int)(secs / 60 % 60), ss = (int)(secs % 60);
	if (kind == K_TIME && serial == 0) {
		snprintf(buf, len, "%02d:%02d:%02d", hh, mi, ss);
		return 1;
	}
	int64_t day;
	if (x->date1904) {
		day = fnl_days_from_civil(1904, 1, 1) + serial;
	} else if (serial >= 61) {
		day = fnl_days_from_civil(1899, 12, 30) + serial;
	} else if (serial == 60) {
		/* the day that Excel, after Lotus 1-2-3, believes 1900 had */
		snprintf(buf, len, "1900-02-29");
		return 1;
	} else {
		day = fnl_days_from_civil(1899, 12, 31) + serial;
	}
	int64_t y;
	unsigned m, d;
	fnl_civil_from_days(day, &y, &m, &d);
	if (secs == 0)
		snprintf(buf, len, "%04d-%02u-%02u", (int)y, m, d);
	else
		snprintf(buf, len, "%04d-%02u-%02uT%02d:%02d:%02d", (int)y, m, d, hh, mi, ss);
	return 1;
}

/* The row's first error, about the cell being read: fmt has %s for its reference (C7), then for b. */
static void cell_error(struct xlsx *x, const char *fmt, const char *b)
{
	if (x->row_err[0])
		return;
	char ref[8], cellref[32];
	col_name(x->col, ref);
	snprintf(cellref, sizeof cellref, "%s%lld", ref, (long long)x->row);
	snprintf(x->row_err, sizeof x->row_err, fmt, cellref, b);
}

/* The text of the finished cell in x->val, appended to the row. */
static void end_cell(struct xlsx *x)
{
	char *s = x->val.p ? x->val.p : x->empty;
	size_t n = x->val.len;
	char num[64];
	if (x->val_toolong)
		cell_error(x, "cell %s is longer than %s bytes", "1048576");
	switch (x->type) {
	case T_SHARED: {
		char *end;
		errno = 0;
		unsigned long long i = strtoull(s, &end, 10);
		if (end == s || *end || errno || i >= x->sst.n) {
			cell_error(x, "cell %s refers to shared string '%s', which the workbook does not have", s);
			return;
		}
		if (x->sst.off[i] == SST_TOOLONG) {
			cell_error(x, "cell %s is longer than %s bytes", "1048576");
			return;
		}
		s = x->sst.pool.p + x->sst.off[i];
		n = strlen(s);
		break;
	}
	case T_INLINE:
	case T_STR:
		n = unescape(s, n);
		break;
	case T_BOOL:
		s = strcmp(s, "1") == 0 ? "TRUE" : "FALSE";
		n = strlen(s);
		break;
	case T_ERROR:
	case T_DATE:
		break;
	case T_NUMBER: {
		while (n && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
			s++, n--;
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
			n--;
		if (!n)
			break;
		char *end;
		char tmp[64];
		if (n >= sizeof tmp)
			break; /* no number Excel writes is this long: as written */
		snprintf(tmp, sizeof tmp, "%.*s", (int)n, s);
		double v = strtod(tmp, &end);
		if (end == tmp || *end || !isfinite(v))
			break; /* not a number after all: as written */
		int kind = x->style < x->nkind ? x->kind[x->style] : K_NUMBER;
		if (kind == K_NUMBER || !format_date(x, v, kind, num, sizeof num))
			format_number(v, num, sizeof num);
		s = num;
		n = strlen(num);
		break;
	}
	}
	if (!n)
		return;
	if (x->col >= MAX_COLS) {
		cell_error(x, "cell %s is beyond the last column of a sheet (XFD)%s", "");
		return;
	}
	if (x->ncells == x->capcells) {
		size_t cap = x->capcells ? x->capcells * 2 : 32;
		struct cell *c = realloc(x->cells, cap * sizeof *c);
		if (!c) {
			stop_nomem(&x->ps);
			return;
		}
		x->cells = c;
		x->capcells = cap;
	}
	size_t off = x->pool.len;
	if (fnl_text_add(&x->pool, s, n)) {
		stop_nomem(&x->ps);
		return;
	}
	x->pool.len++; /* keep the NUL */
	x->cells[x->ncells].col = x->col;
	x->cells[x->ncells].off = off;
	x->ncells++;
	if (x->col > x->maxcol)
		x->maxcol = x->col;
}

static void XMLCALL sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	struct xlsx *x = ud;
	const char *ln = local(name);
	if (!x->in_sheetdata) {
		if (strcmp(ln, "sheetData") == 0)
			x->in_sheetdata = 1;
		return;
	}
	if (strcmp(ln, "row") == 0) {
		const char *r = attr(atts, "r");
		char *end;
		long long n = r ? strtoll(r, &end, 10) : 0;
		/* a row number past a sheet's last row (1048576) is no row number: the next one */
		x->row = r && *end == '\0' && n > 0 && n <= MAX_ROWS ? n : x->last_row + 1;
		x->in_row = 1;
		x->last_col = -1;
		x->ncells = 0;
		x->pool.len = 0;
		x->maxcol = -1;
		x->row_err[0] = '\0';
	} else if (strcmp(ln, "c") == 0 && x->in_row) {
		const char *r = attr(atts, "r"), *t = attr(atts, "t"), *s = attr(atts, "s");
		int col = -1;
		int64_t rn;
		if (r)
			parse_ref(r, &col, &rn);
		x->col = col >= 0 ? col : x->last_col + 1;
		x->last_col = x->col;
		x->type = !t                             ? T_NUMBER
			  : strcmp(t, "s") == 0         ? T_SHARED
			  : strcmp(t, "inlineStr") == 0 ? T_INLINE
			  : strcmp(t, "str") == 0       ? T_STR
			  : strcmp(t, "b") == 0         ? T_BOOL
			  : strcmp(t, "e") == 0         ? T_ERROR
			  : strcmp(t, "d") == 0         ? T_DATE
							: T_NUMBER;
		x->style = s ? (size_t)strtoul(s, NULL, 10) : 0;
		x->val.len = 0;
		if (x->val.p)
			x->val.p[0] = '\0';
		x->val_toolong = 0;
		x->in_c = 1;
	} else if (x->in_c) {
		if (strcmp(ln, "v") == 0)
			x->in_v = 1;
		else if (strcmp(ln, "is") == 0)
			x->in_is = 1;
		else if (strcmp(ln, "t") == 0 && x->in_is)
			x->in_t = 1;
		else if (strcmp(ln, "rPh") == 0)
			x->in_rph = 1;
	}
}

static void XMLCALL sheet_end(void *ud, const XML_Char *name)
{
	struct xlsx *x = ud;
	const char *ln = local(name);
	if (!x->in_sheetdata)
		return;
	if (strcmp(ln, "sheetData") == 0) {
		x->in_sheetdata = 0;
	} else if (strcmp(ln, "v") == 0) {
		x->in_v = 0;
	} else if (strcmp(ln, "t") == 0) {
		x->in_t = 0;
	} else if (strcmp(ln, "rPh") == 0) {
		x->in_rph = 0;
	} else if (strcmp(ln, "is") == 0) {
		x->in_is = 0;
	} else if (strcmp(ln, "c") == 0 && x->in_c) {
		x->in_c = 0;
		end_cell(x);
	} else if (strcmp(ln, "row") == 0 && x->in_row) {
		x->in_row = 0;
		x->last_row = x->row;
		if (x->ncells || x->row_err[0]) {
			x->ready = 1;
			XML_StopParser(x->ps.parser, XML_TRUE);
		}
	}
}

static void XMLCALL sheet_text(void *ud, const XML_Char *text, int len)
{
	struct xlsx *x = ud;
	if (!(x->in_c && (x->in_v || (x->in_is && x->in_t && !x->in_rph))))
		return;
	if (x->val.len + (size_t)len > MAX_TEXT) {
		x->val_toolong = 1;
		return;
	}
	if (fnl_text_add(&x->val, text, (size_t)len))
		stop_nomem(&x->ps);
}

static void XMLCALL sheet_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
				  int has_internal)
{
	(void)name, (void)sysid, (void)pubid, (void)has_internal;
	XML_StopParser(((struct xlsx *)ud)->ps.parser, XML_FALSE);
}

static int set_fatal(struct xlsx *x, int code, struct fnl_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int set_fatal(struct xlsx *x, int code, struct fnl_error *err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->fatal_msg, sizeof x->fatal_msg, fmt, ap);
	va_end(ap);
	x->fatal = code;
	return fnl_error_set(err, code, code == FNL_ENOMEM ? NULL : "file", "%s", x->fatal_msg);
}

/* The ready row as a record. */
static int hand_out(struct xlsx *x, struct fnl_record *rec, struct fnl_error *err)
{
	x->ready = 0;
	rec->line = x->row;
	if (x->row_err[0]) {
		rec->nfields = 0;
		rec->fields = x->fields;
		return fnl_error_set(err, FNL_EINVAL, "line", "line %lld: %s", (long long)x->row, x->row_err);
	}
	size_t n = (size_t)x->maxcol + 1;
	if (n > x->capfields) {
		char **f = realloc(x->fields, n * sizeof *f);
		if (!f)
			return set_fatal(x, FNL_ENOMEM, err, "out of memory");
		x->fields = f;
		x->capfields = n;
	}
	for (size_t i = 0; i < n; i++)
		x->fields[i] = x->empty;
	for (size_t i = 0; i < x->ncells; i++)
		x->fields[x->cells[i].col] = x->pool.p + x->cells[i].off;
	rec->nfields = n;
	rec->fields = x->fields;
	return 1;
}

static int xlsx_next(fnl_reader *r, struct fnl_record *rec, struct fnl_error *err)
{
	struct xlsx *x = (struct xlsx *)r;
	for (;;) {
		if (x->fatal)
			return fnl_error_set(err, x->fatal, x->fatal == FNL_ENOMEM ? NULL : "file", "%s", x->fatal_msg);
		if (x->ready)
			return hand_out(x, rec, err);
		if (x->finished)
			return 0;
		XML_Parser p = x->ps.parser;
		enum XML_Status st;
		if (x->suspended) {
			x->suspended = 0;
			st = XML_ResumeParser(p);
		} else {
			void *chunk = XML_GetBuffer(p, CHUNK);
			if (!chunk)
				return set_fatal(x, FNL_ENOMEM, err, "out of memory");
			zip_int64_t n = zip_fread(x->file, chunk, CHUNK);
			if (n < 0)
				return set_fatal(x, FNL_EIO, err, "file: the workbook is damaged: cannot read sheet '%s' (%s)",
						 x->sheet_name, zip_file_strerror(x->file));
			x->done += n;
			x->final_sent = n == 0;
			st = XML_ParseBuffer(p, (int)n, n == 0);
		}
		if (st == XML_STATUS_SUSPENDED) {
			x->suspended = 1;
		} else if (st == XML_STATUS_ERROR) {
			if (x->ps.nomem)
				return set_fatal(x, FNL_ENOMEM, err, "out of memory");
			return set_fatal(x, FNL_EIO, err, "file: the workbook is damaged: sheet '%s' is not well-formed XML (line %lu: %s)",
					 x->sheet_name, (unsigned long)XML_GetCurrentLineNumber(p),
					 XML_ErrorString(XML_GetErrorCode(p)));
		} else if (x->final_sent) {
			x->finished = 1;
		}
	}
}

static void xlsx_progress(const fnl_reader *r, int64_t *done, int64_t *total)
{
	const struct xlsx *x = (const struct xlsx *)r;
	*done = x->done;
	*total = x->total;
}

static const char *xlsx_encoding(const fnl_reader *r)
{
	(void)r;
	return "xlsx";
}

static void xlsx_close(fnl_reader *r)
{
	struct xlsx *x = (struct xlsx *)r;
	if (!x)
		return;
	if (x->ps.parser)
		XML_ParserFree(x->ps.parser);
	if (x->file)
		zip_fclose(x->file);
	if (x->zip)
		zip_discard(x->zip);
	free(x->sheet_name);
	free(x->sst.pool.p);
	free(x->sst.off);
	free(x->kind);
	free(x->val.p);
	free(x->pool.p);
	free(x->cells);
	free(x->fields);
	free(x);
}

/* ---- opening ---- */

static int open_zip(const char *path, zip_t **out, struct fnl_error *err)
{
	int ze = 0;
	zip_t *z = zip_open(path, ZIP_RDONLY, &ze);
	if (z) {
		*out = z;
		return 0;
	}
	if (ze == ZIP_ER_NOENT || ze == ZIP_ER_OPEN || ze == ZIP_ER_READ) {
		zip_error_t ze2;
		zip_error_init_with_code(&ze2, ze);
		int rc = fnl_error_set(err, FNL_EIO, "file", "file: cannot open '%s': %s", path, zip_error_strerror(&ze2));
		zip_error_fini(&ze2);
		return rc;
	}
	if (ze == ZIP_ER_MEMORY)
		return fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
	/* an encrypted workbook, or an old .xls, is an OLE compound file, not a zip */
	FILE *f = fopen(path, "rb");
	unsigned char sig[4] = {0};
	if (f) {
		if (fread(sig, 1, 4, f) != 4)
			sig[0] = 0;
		fclose(f);
	}
	if (sig[0] == 0xD0 && sig[1] == 0xCF && sig[2] == 0x11 && sig[3] == 0xE0)
		return fnl_error_set(err, FNL_EINVAL, "file",
				     "file: '%s' is not an XLSX workbook: an old .xls or a password-protected workbook "
				     "(save it as .xlsx without a password)", path);
	if (ze == ZIP_ER_NOZIP)
		return fnl_error_set(err, FNL_EINVAL, "file", "file: '%s' is not an XLSX workbook (not a zip archive)", path);
	return fnl_error_set(err, FNL_EINVAL, "file", "file: '%s' is not an XLSX workbook (a damaged zip archive)", path);
}

/* The sheet to read: by name, or the first visible one. */
static int pick_sheet(const struct workbook *wb, const char *path, const char *sheet, size_t *out,
		      struct fnl_error *err)
{
	if (!wb->n)
		return fnl_error_set(err, FNL_EINVAL, "file", "file: '%s' is not an XLSX workbook (it has no sheets)", path);
	if (!sheet) {
		size_t i;
		for (i = 0; i < wb->n && wb->v[i].hidden; i++)
			;
		*out = i < wb->n ? i : 0;
		return 0;
	}
	for (size_t i = 0; i < wb->n; i++)
		if (strcmp(wb->v[i].name, sheet) == 0) {
			*out = i;
			return 0;
		}
	for (size_t i = 0; i < wb->n; i++)
		if (strcasecmp(wb->v[i].name, sheet) == 0) {
			*out = i;
			return 0;
		}
	char names[400] = "";
	size_t used = 0;
	for (size_t i = 0; i < wb->n && used + 1 < sizeof names; i++)
		used += (size_t)snprintf(names + used, sizeof names - used, "%s'%s'", i ? ", " : "", wb->v[i].name);
	return fnl_error_set(err, FNL_EINVAL, "sheet", "sheet: no sheet '%s' in '%s' (its sheets: %s)", sheet, path, names);
}

/* Cell format -> K_* from styles.xml. A workbook without styles has no dates. */
static int load_styles(struct xlsx *x, const char *path, const char *name, struct fnl_error *err)
{
	struct styles s;
	memset(&s, 0, sizeof s);
	int found;
	int rc = parse_part(x->zip, path, name, &s.ps, styles_start, styles_end, NULL, &found, err);
	if (!rc && s.nxf) {
		x->kind = malloc(s.nxf);
		if (!x->kind)
			rc = fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
	}
	for (size_t i = 0; !rc && i < s.nxf; i++) {
		int kind = builtin_kind(s.xf[i]);
		for (size_t k = 0; k < s.nfmts; k++)
			if (s.fmts[k].id == s.xf[i])
				kind = s.fmts[k].kind;
		x->kind[i] = (unsigned char)kind;
	}
	if (!rc)
		x->nkind = s.nxf;
	free(s.fmts);
	free(s.xf);
	return rc;
}

static int open_sheet(struct xlsx *x, const char *path, const char *entry, struct fnl_error *err)
{
	zip_int64_t idx = locate(x->zip, entry);
	zip_stat_t st;
	if (idx < 0 || zip_stat_index(x->zip, (zip_uint64_t)idx, 0, &st))
		return fnl_error_set(err, FNL_EINVAL, "file", "file: '%s' is not an XLSX workbook (sheet '%s' is missing: %s)",
				     path, x->sheet_name, entry);
	x->total = (st.valid & ZIP_STAT_SIZE) ? (int64_t)st.size : 0;
	if (!(x->file = zip_fopen_index(x->zip, (zip_uint64_t)idx, 0)))
		return fnl_error_set(err, FNL_EINVAL, "file", "file: '%s' is damaged: cannot read sheet '%s' (%s)", path,
				     x->sheet_name, zip_strerror(x->zip));
	XML_Parser p = new_parser(&x->ps);
	if (!p)
		return fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
	/* the handlers get x (whose first member is the reader's operations, not x->ps) */
	XML_SetUserData(p, x);
	XML_SetStartDoctypeDeclHandler(p, sheet_doctype);
	XML_SetElementHandler(p, sheet_start, sheet_end);
	XML_SetCharacterDataHandler(p, sheet_text);
	return 0;
}

int fnl__xlsx_open(const char *path, const char *sheet, fnl_reader **out, struct fnl_error *err)
{
	*out = NULL;
	struct xlsx *x = calloc(1, sizeof *x);
	if (!x)
		return fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
	x->ops.next = xlsx_next;
	x->ops.progress = xlsx_progress;
	x->ops.encoding = xlsx_encoding;
	x->ops.close = xlsx_close;
	x->maxcol = -1;
	struct rels pkg, wbrels;
	struct workbook wb;
	memset(&pkg, 0, sizeof pkg);
	memset(&wbrels, 0, sizeof wbrels);
	memset(&wb, 0, sizeof wb);
	char *wbpath = NULL, *wbbase = NULL, *relspath = NULL, *entry = NULL, *sstpath = NULL, *stylespath = NULL;
	int found;
	int rc = open_zip(path, &x->zip, err);
	if (rc)
		goto fail;
	/* the workbook: where the package says, else the usual place */
	if ((rc = parse_part(x->zip, path, "_rels/.rels", &pkg.ps, rels_start, ignore_end, NULL, &found, err)))
		goto fail;
	const struct rel *doc = rel_by_type(&pkg, "/officeDocument");
	wbpath = resolve("", doc ? doc->target : "xl/workbook.xml");
	if (!wbpath)
		goto nomem;
	const char *slash = strrchr(wbpath, '/');
	wbbase = strndup(wbpath, slash ? (size_t)(slash - wbpath + 1) : 0);
	size_t rl = strlen(wbpath) + 16;
	relspath = malloc(rl);
	if (!wbbase || !relspath)
		goto nomem;
	snprintf(relspath, rl, "%s_rels/%s.rels", wbbase, slash ? slash + 1 : wbpath);
	if ((rc = parse_part(x->zip, path, wbpath, &wb.ps, wb_start, ignore_end, NULL, NULL, err)) ||
	    (rc = parse_part(x->zip, path, relspath, &wbrels.ps, rels_start, ignore_end, NULL, NULL, err)))
		goto fail;
	x->date1904 = wb.date1904;
	size_t si = 0;
	if ((rc = pick_sheet(&wb, path, sheet, &si, err)))
		goto fail;
	if (!(x->sheet_name = strdup(wb.v[si].name)))
		goto nomem;
	const struct rel *target = NULL;
	for (size_t i = 0; i < wbrels.n && !target; i++)
		if (strcmp(wbrels.v[i].id, wb.v[si].rid) == 0)
			target = &wbrels.v[i];
	if (!target) {
		rc = fnl_error_set(err, FNL_EINVAL, "file", "file: '%s' is damaged: sheet '%s' points nowhere", path,
				   x->sheet_name);
		goto fail;
	}
	const struct rel *rs = rel_by_type(&wbrels, "/sharedStrings"), *rst = rel_by_type(&wbrels, "/styles");
	entry = resolve(wbbase, target->target);
	sstpath = rs ? resolve(wbbase, rs->target) : strdup("xl/sharedStrings.xml");
	stylespath = rst ? resolve(wbbase, rst->target) : strdup("xl/styles.xml");
	if (!entry || !sstpath || !stylespath)
		goto nomem;
	if ((rc = parse_part(x->zip, path, sstpath, &x->sst.ps, sst_start, sst_end, sst_text, &found, err)) ||
	    (rc = load_styles(x, path, stylespath, err)) || (rc = open_sheet(x, path, entry, err)))
		goto fail;
	goto done;
nomem:
	rc = fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
fail:
	xlsx_close(&x->ops);
	x = NULL;
done:
	rels_free(&pkg);
	rels_free(&wbrels);
	workbook_free(&wb);
	free(wbpath);
	free(wbbase);
	free(relspath);
	free(entry);
	free(sstpath);
	free(stylespath);
	if (x)
		*out = &x->ops;
	return rc;
}
