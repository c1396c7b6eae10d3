/*
 * io/csv.c - the CSV reader (RFC 4180) behind io/reader.h.
 *
 * It streams: a fixed 256 KiB read buffer and one record, copied into a buffer that grows up to
 * RECORD_MAX. The structure (commas, quotes, line ends) is found on the raw bytes: in both
 * encodings those bytes are ASCII and never the second byte of a GBK character, so a record is cut
 * out first and only then checked as UTF-8 or converted from GBK with iconv, whole. A character split
 * across two reads of the file therefore needs no care.
 *
 * What is read, beyond RFC 4180:
 * - line ends CRLF, LF or a lone CR; inside a quoted field they are kept as they are;
 * - an empty line is a record of one empty field (the importer skips blank records);
 * - a quote inside an unquoted field (5" screen, or  "a" after a space) is kept as a character;
 * - text after a closing quote ("abc"def) is appended to the field, as Excel and Python's csv read
 *   it: abcdef. The RFC calls it invalid; refusing the row would lose a lead for a typo;
 * - fields beyond the header's that are all empty (trailing commas) are dropped, not an error;
 * - a UTF-8 BOM makes the file UTF-8 even when the caller said gbk (Excel's "CSV UTF-8" read as GBK
 *   would be nothing but mojibake); UTF-16 (its BOM) is refused when the encoding is detected.
 *
 * Broken records (fnl_reader_next returns FNL_EINVAL with "line N: ..."):
 * - a quoted field still open at the end of the file, or a record longer than RECORD_MAX (in a
 *   lead list that is a stray quote: an Excel cell holds 32,767 characters). The record ends at the
 *   line of its opening quote (or at the line where it grew too long): reading resumes on the next
 *   line, found again by seeking back in the file. A stray quote thus costs at most RECORD_MAX of
 *   reading twice, and the rest of the file still imports. (A stray quote followed later by another
 *   quote pairs with it, as in every CSV reader: the lines between become one field.)
 * - a NUL byte, bytes that are not UTF-8 (in a UTF-8 file) or not GBK (in a GBK file);
 * - more non-empty fields than the header, the first record with a non-blank field.
 * Line numbers are physical lines, 1-based, where the record starts. RECORD_MAX counts the bytes
 * of the fields and a NUL after each.
 */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/reader.h"
#include "io/text.h"

#define BUF_SIZE (256 * 1024)
#define SNIFF_SIZE (64 * 1024)
#define RECORD_MAX (1024 * 1024)

enum state { AT_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED };

/* What parse() found. */
enum found { FOUND_END, FOUND_RECORD, FOUND_EIO, FOUND_OPEN_QUOTE, FOUND_TOO_LONG };

struct csv {
	struct fnl_reader ops;
	int fd;
	int gbk;
	iconv_t cd;
	int64_t size;
	unsigned char *buf;     /* BUF_SIZE bytes; buf[pos..len) not read yet */
	size_t pos, len;
	int64_t buf_off;        /* file offset of buf[0] */
	int eof;                /* read() said so; buf holds the file's last bytes */
	int64_t line;           /* the physical line of buf[pos] */
	int read_errno;

	/* the record: fields NUL-terminated one after the other in rec[0..used) */
	char *rec;
	size_t used, cap;
	size_t *offs, nf, offs_cap;
	char **fields;
	size_t fields_cap;
	char *out;              /* the record converted from GBK */
	size_t out_cap;
	int nul;                /* the record holds a NUL byte */
	int64_t rec_line;

	/* where a broken record ends: the line holding file offset resume_off (line resume_line) */
	int resume;
	int64_t resume_off, resume_line;

	size_t header;          /* fields of the header, 0 before it */
};

/* Bytes that end a run of plain bytes: in an unquoted field, and in a quoted one. */
static const unsigned char stop_unquoted[256] = {[','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1, [0] = 1};
static const unsigned char stop_quoted[256] = {['"'] = 1, ['\r'] = 1, ['\n'] = 1, [0] = 1};

/* ---- UTF-8 ---- */

static int ascii(const unsigned char *s, size_t n)
{
	size_t i = 0;
	for (; n - i >= 8; i += 8) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		if (w & UINT64_C(0x8080808080808080))
			return 0;
	}
	for (; i < n; i++)
		if (s[i] & 0x80)
			return 0;
	return 1;
}

/*
 * 1 when s[0..n), UTF-8 but perhaps for its cut end, holds UTF8_EVIDENCE different non-ASCII
 * characters: GBK text is valid UTF-8 by chance only when it has few (about one common character
 * of a name in six is, as 郑 伟 石 英: "郑伟" in GBK reads as UTF-8 "\u05a3\u03b0").
 */
#define UTF8_EVIDENCE 8
static int utf8_evident(const unsigned char *s, size_t n)
{
	uint32_t seen[UTF8_EVIDENCE];
	int nseen = 0;
	size_t i = 0;
	while (i < n && nseen < UTF8_EVIDENCE) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		size_t len = s[i] >= 0xF0 ? 4 : s[i] >= 0xE0 ? 3 : 2;
		if (len > n - i)
			break;
		uint32_t key = 0;
		for (size_t k = 0; k < len; k++)
			key = key << 8 | s[i + k];
		int j = 0;
		while (j < nseen && seen[j] != key)
			j++;
		if (j == nseen)
			seen[nseen++] = key;
		i += len;
	}
	return nseen == UTF8_EVIDENCE;
}

/* s[0..n) is UTF-8, except perhaps for a character cut at its end. */
static int utf8_but_the_end(const unsigned char *s, size_t n)
{
	size_t ok = fnl_utf8_prefix(s, n);
	if (ok == n)
		return 1;
	size_t rest = n - ok;
	unsigned char c = s[ok];
	size_t len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
	if (!len || rest >= len)
		return 0;
	for (size_t k = 1; k < rest; k++)
		if ((s[ok + k] & 0xC0) != 0x80)
			return 0;
	return 1;
}

/* ---- the file ---- */

/* Read more of the file into buf, after the bytes already there. 0, or -1 (read_errno). */
static int read_more(struct csv *c)
{
	ssize_t n;
	do
		n = read(c->fd, c->buf + c->len, BUF_SIZE - c->len);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		c->read_errno = errno;
		return -1;
	}
	if (n == 0)
		c->eof = 1;
	c->len += (size_t)n;
	return 0;
}

/* buf is all read: the next part of the file. 0 (len 0 at the end), or -1. */
static int refill(struct csv *c)
{
	c->buf_off += (int64_t)c->len;
	c->pos = c->len = 0;
	if (c->eof)
		return 0;
	return read_more(c);
}

static int seek(struct csv *c, int64_t off)
{
	if (lseek(c->fd, (off_t)off, SEEK_SET) < 0) {
		c->read_errno = errno;
		return -1;
	}
	c->buf_off = off;
	c->pos = c->len = 0;
	c->eof = 0;
	return 0;
}

/* After a broken record: go back to its last line and past that line's end. */
static int resume(struct csv *c)
{
	c->resume = 0;
	if (seek(c, c->resume_off))
		return -1;
	c->line = c->resume_line;
	for (;;) {
		if (c->pos == c->len) {
			if (refill(c))
				return -1;
			if (c->len == 0)
				return 0;
		}
		unsigned char *p = c->buf + c->pos, *end = c->buf + c->len;
		while (p < end && *p != '\n' && *p != '\r')
			p++;
		c->pos = (size_t)(p - c->buf);
		if (p == end)
			continue;
		c->pos++;
		c->line++;
		if (*p == '\r') {
			if (c->pos == c->len && refill(c))
				return -1;
			if (c->pos < c->len && c->buf[c->pos] == '\n')
				c->pos++;
		}
		return 0;
	}
}

/* ---- one record ---- */

static int append(struct csv *c, const void *s, size_t n)
{
	if (c->used + n > c->cap) {
		if (c->used + n > RECORD_MAX)
			return -1;
		size_t cap = c->cap;
		while (cap < c->used + n)
			cap *= 2;
		if (cap > RECORD_MAX)
			cap = RECORD_MAX;
		char *rec = realloc(c->rec, cap);
		if (!rec)
			return -1; /* reported as too long: the record is what cannot be held */
		c->rec = rec;
		c->cap = cap;
	}
	memcpy(c->rec + c->used, s, n);
	c->used += n;
	return 0;
}

/* Close the field begun at offs[nf]. */
static int end_field(struct csv *c, size_t start)
{
	if (append(c, "", 1))
		return -1;
	if (c->nf == c->offs_cap) {
		size_t cap = c->offs_cap * 2;
		size_t *offs = realloc(c->offs, cap * sizeof *offs);
		if (!offs)
			return -1;
		c->offs = offs;
		c->offs_cap = cap;
	}
	c->offs[c->nf++] = start;
	return 0;
}

/* The record ended at a line end just read: a CR takes the LF after it. */
static int end_line(struct csv *c, unsigned char ch)
{
	c->line++;
	if (ch == '\r') {
		if (c->pos == c->len && refill(c))
			return -1;
		if (c->pos < c->len && c->buf[c->pos] == '\n')
			c->pos++;
	}
	return 0;
}

/* Remember where a broken record is to end: the line holding file offset off. */
static enum found broken(struct csv *c, enum found why, int64_t off, int64_t line)
{
	c->resume = 1;
	c->resume_off = off;
	c->resume_line = line;
	return why;
}

/*
 * Cut the next record out of the file into rec/offs. On FOUND_OPEN_QUOTE and FOUND_TOO_LONG,
 * *where is the line to report.
 */
static enum found parse(struct csv *c, int64_t *where)
{
	enum state st = AT_START;
	size_t start = 0;            /* offset in rec of the field being read */
	int64_t quote_off = 0, quote_line = 0;
	int cr = 0;                  /* in a quoted field, the last byte was a CR */
	c->used = c->nf = 0;
	c->nul = 0;
	c->rec_line = c->line;
	for (;;) {
		if (c->pos == c->len) {
			if (refill(c))
				return FOUND_EIO;
			if (c->len == 0) {
				if (st == QUOTED) {
					*where = quote_line;
					return broken(c, FOUND_OPEN_QUOTE, quote_off, quote_line);
				}
				if (st == AT_START && c->nf == 0)
					return FOUND_END;
				if (end_field(c, start))
					goto too_long;
				return FOUND_RECORD;
			}
		}
		const unsigned char *p = c->buf + c->pos, *end = c->buf + c->len, *s;
		unsigned char ch;
		switch (st) {
		case AT_START:
			if (*p == '"') {
				quote_off = c->buf_off + (int64_t)c->pos;
				quote_line = c->line;
				c->pos++;
				st = QUOTED;
				cr = 0;
				continue;
			}
			st = UNQUOTED;
			/* fall through */
		case UNQUOTED:
			s = p;
			while (p < end && !stop_unquoted[*p])
				p++;
			if (append(c, s, (size_t)(p - s)))
				goto too_long;
			c->pos = (size_t)(p - c->buf);
			if (p == end)
				continue;
			ch = *p;
			if (ch == '\n' || ch == '\r') {
				/* the line end is taken once the record fits (too long: resume on this line) */
				if (end_field(c, start))
					goto too_long;
				c->pos++;
				return end_line(c, ch) ? FOUND_EIO : FOUND_RECORD;
			}
			c->pos++;
			if (ch == ',') {
				if (end_field(c, start))
					goto too_long;
				start = c->used;
				st = AT_START;
			} else if (ch == '"') {
				if (append(c, p, 1))
					goto too_long;
			} else {
				c->nul = 1;
			}
			continue;
		case QUOTED:
			s = p;
			while (p < end && !stop_quoted[*p])
				p++;
			if (p > s) {
				cr = 0;
				if (append(c, s, (size_t)(p - s)))
					goto too_long;
				c->pos = (size_t)(p - c->buf);
				if (p == end)
					continue;
			}
			ch = *p;
			c->pos++;
			if (ch == '"') {
				st = QUOTE_IN_QUOTED;
				continue;
			}
			if (ch == 0) {
				c->nul = 1;
				cr = 0;
				continue;
			}
			/* a line end inside is kept; CRLF is one line (cr: the byte before was a CR) */
			if (ch == '\r' || !cr)
				c->line++;
			cr = ch == '\r';
			if (append(c, p, 1))
				goto too_long;
			continue;
		case QUOTE_IN_QUOTED:
			ch = *p;
			if (ch == '"') {
				c->pos++;
				st = QUOTED;
				cr = 0;
				if (append(c, p, 1))
					goto too_long;
			} else if (ch == ',') {
				c->pos++;
				if (end_field(c, start))
					goto too_long;
				start = c->used;
				st = AT_START;
			} else if (ch == '\n' || ch == '\r') {
				if (end_field(c, start))
					goto too_long;
				c->pos++;
				return end_line(c, ch) ? FOUND_EIO : FOUND_RECORD;
			} else {
				st = UNQUOTED; /* "abc"def: the text is appended */
			}
			continue;
		}
	}
too_long:
	if (st == QUOTED) {
		*where = quote_line;
		return broken(c, FOUND_TOO_LONG, quote_off, quote_line);
	}
	*where = c->rec_line;
	return broken(c, FOUND_TOO_LONG, c->buf_off + (int64_t)c->pos, c->line);
}

/* The physical line of byte k of the record (line ends inside quoted fields are kept in rec). */
static int64_t line_at(const struct csv *c, size_t k)
{
	int64_t line = c->rec_line;
	for (size_t i = 0; i < k; i++)
		if (c->rec[i] == '\n' || (c->rec[i] == '\r' && !(i + 1 < c->used && c->rec[i + 1] == '\n')))
			line++;
	return line;
}

static int not_text(struct csv *c, size_t bad, struct fnl_error *err)
{
	int64_t at = line_at(c, bad);
	char also[48] = "";
	if (at != c->rec_line)
		snprintf(also, sizeof also, " on line %lld", (long long)at);
	if (c->gbk)
		return fnl_error_set(err, FNL_EINVAL, "line", "line %lld: bytes that are not GBK text%s",
				     (long long)c->rec_line, also);
	return fnl_error_set(err, FNL_EINVAL, "line",
			     "line %lld: bytes that are not UTF-8 text%s (a GBK file? try --encoding gbk)",
			     (long long)c->rec_line, also);
}

/* rec from GBK into out; the fields point into out. */
static int from_gbk(struct csv *c, struct fnl_error *err)
{
	size_t need = 3 * c->used; /* GBK 0x80 is three bytes of UTF-8 */
	if (need > c->out_cap) {
		char *out = realloc(c->out, need);
		if (!out)
			return fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
		c->out = out;
		c->out_cap = need;
	}
	char *in = c->rec, *o = c->out;
	size_t inleft = c->used, outleft = c->out_cap;
	if (iconv(c->cd, &in, &inleft, &o, &outleft) == (size_t)-1) {
		iconv(c->cd, NULL, NULL, NULL, NULL);
		return not_text(c, (size_t)(in - c->rec), err);
	}
	char *f = c->out;
	for (size_t k = 0; k < c->nf; k++) {
		c->fields[k] = f;
		f += strlen(f) + 1;
	}
	return 0;
}

static int is_blank(const struct csv *c)
{
	for (size_t i = 0; i < c->used; i++) {
		char ch = c->rec[i];
		if (ch && ch != ' ' && ch != '\t' && ch != '\r' && ch != '\n')
			return 0;
	}
	return 1;
}

static int csv_next(fnl_reader *r, struct fnl_record *rec, struct fnl_error *err)
{
	struct csv *c = (struct csv *)r;
	rec->nfields = 0;
	rec->fields = NULL;
	if (c->resume && resume(c))
		return fnl_error_set(err, FNL_EIO, "file", "file: cannot read: %s", strerror(c->read_errno));
	int64_t where = 0;
	enum found found = parse(c, &where);
	rec->line = c->rec_line;
	switch (found) {
	case FOUND_END:
		return 0;
	case FOUND_EIO:
		return fnl_error_set(err, FNL_EIO, "file", "file: cannot read: %s", strerror(c->read_errno));
	case FOUND_OPEN_QUOTE:
		return fnl_error_set(err, FNL_EINVAL, "line",
				     "line %lld: a quoted field is not closed before the end of the file", (long long)where);
	case FOUND_TOO_LONG:
		return fnl_error_set(err, FNL_EINVAL, "line", "line %lld: a record longer than %d MiB (a quote not closed?)",
				     (long long)where, RECORD_MAX >> 20);
	case FOUND_RECORD:
		break;
	}
	rec->line = c->rec_line;
	if (c->nul)
		return fnl_error_set(err, FNL_EINVAL, "line", "line %lld: a NUL byte, which is not text",
				     (long long)c->rec_line);
	if (c->nf > c->fields_cap) {
		char **fields = realloc(c->fields, c->nf * sizeof *fields);
		if (!fields)
			return fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
		c->fields = fields;
		c->fields_cap = c->nf;
	}
	if (c->gbk && !ascii((const unsigned char *)c->rec, c->used)) {
		/* only the records with non-ASCII bytes go through iconv */
		int rc = from_gbk(c, err);
		if (rc)
			return rc;
	} else {
		size_t ok = c->gbk ? c->used : fnl_utf8_prefix((const unsigned char *)c->rec, c->used);
		if (ok < c->used)
			return not_text(c, ok, err);
		for (size_t k = 0; k < c->nf; k++)
			c->fields[k] = c->rec + c->offs[k];
	}
	size_t n = c->nf;
	if (c->header && n > c->header) {
		while (n > c->header && c->fields[n - 1][0] == '\0')
			n--;
		if (n > c->header)
			return fnl_error_set(err, FNL_EINVAL, "line", "line %lld: %zu fields, the header has %zu",
					     (long long)c->rec_line, c->nf, c->header);
	}
	if (!c->header && !is_blank(c))
		c->header = n;
	rec->nfields = n;
	rec->fields = c->fields;
	return 1;
}

static void csv_progress(const fnl_reader *r, int64_t *done, int64_t *total)
{
	const struct csv *c = (const struct csv *)r;
	*done = c->buf_off + (int64_t)c->pos;
	*total = c->size;
}

static const char *csv_encoding(const fnl_reader *r)
{
	return ((const struct csv *)r)->gbk ? "gbk" : "utf-8";
}

static void csv_close(fnl_reader *r)
{
	struct csv *c = (struct csv *)r;
	if (!c)
		return;
	if (c->fd >= 0)
		close(c->fd);
	if (c->gbk)
		iconv_close(c->cd);
	free(c->buf);
	free(c->rec);
	free(c->offs);
	free(c->fields);
	free(c->out);
	free(c);
}

/* ---- opening ---- */

static int name_is(const char *s, const char *name)
{
	for (; *s && *name; s++, name++)
		if ((*s >= 'A' && *s <= 'Z' ? *s - 'A' + 'a' : *s) != *name)
			return 0;
	return !*s && !*name;
}

/* 1 UTF-8, 0 GBK, -1 neither name. */
static int encoding_named(const char *e)
{
	if (name_is(e, "utf-8") || name_is(e, "utf8"))
		return 1;
	if (name_is(e, "gbk") || name_is(e, "cp936") || name_is(e, "gb2312"))
		return 0;
	return -1;
}

/* Opening failed with errno: release c and say so. */
static int fail_io(struct csv *c, const char *what, const char *path, struct fnl_error *err)
{
	int e = errno;
	csv_close(&c->ops);
	return fnl_error_set(err, FNL_EIO, "file", "file: %s '%s': %s", what, path, strerror(e));
}

int fnl__csv_open(const char *path, const char *encoding, fnl_reader **out, struct fnl_error *err)
{
	*out = NULL;
	int utf8 = encoding ? encoding_named(encoding) : -1;
	if (encoding && utf8 < 0)
		return fnl_error_set(err, FNL_EINVAL, "encoding", "encoding: '%s' is not utf-8 or gbk", encoding);
	struct csv *c = calloc(1, sizeof *c);
	if (!c)
		return fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
	c->ops.next = csv_next;
	c->ops.progress = csv_progress;
	c->ops.encoding = csv_encoding;
	c->ops.close = csv_close;
	c->fd = -1;
	c->line = 1;
	c->cap = 4096;
	c->offs_cap = 64;
	c->buf = malloc(BUF_SIZE);
	c->rec = malloc(c->cap);
	c->offs = malloc(c->offs_cap * sizeof *c->offs);
	if (!c->buf || !c->rec || !c->offs) {
		csv_close(&c->ops);
		return fnl_error_set(err, FNL_ENOMEM, NULL, "out of memory");
	}

	c->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (c->fd < 0)
		return fail_io(c, "cannot open", path, err);
	struct stat st;
	if (fstat(c->fd, &st))
		return fail_io(c, "cannot read", path, err);
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return fail_io(c, "cannot read", path, err);
	}
	c->size = S_ISREG(st.st_mode) ? (int64_t)st.st_size : 0;
	/* the first read holds the encoding sample: detection never seeks */
	while (!c->eof && c->len < SNIFF_SIZE)
		if (read_more(c)) {
			errno = c->read_errno;
			return fail_io(c, "cannot read", path, err);
		}

	const unsigned char *b = c->buf;
	int bom = c->len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF;
	if (!encoding && c->len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF))) {
		csv_close(&c->ops);
		return fnl_error_set(err, FNL_EINVAL, "encoding",
				     "encoding: '%s' is UTF-16 text (save it as CSV UTF-8)", path);
	}
	if (bom)
		utf8 = 1; /* even when told gbk: Excel's "CSV UTF-8" read as GBK would be all mojibake */
	size_t n = c->len < SNIFF_SIZE ? c->len : SNIFF_SIZE;
	int cut = !c->eof || c->len > n;
	if (utf8 < 0)
		utf8 = cut ? utf8_but_the_end(b, n) : fnl_utf8_prefix(b, n) == n;
	else if (!utf8 && (cut ? utf8_but_the_end(b, n) : fnl_utf8_prefix(b, n) == n) && utf8_evident(b, n)) {
		/* told gbk, but the text is UTF-8 (GBK Chinese is not, by chance, over many characters):
		 * read as GBK it would import as mojibake */
		csv_close(&c->ops);
		return fnl_error_set(err, FNL_EINVAL, "encoding",
				     "encoding: '%s' is UTF-8 text, not GBK (leave out --encoding gbk)", path);
	}
	if (bom)
		c->pos = 3;
	if (!utf8) {
		c->cd = iconv_open("UTF-8", "GBK");
		if (c->cd == (iconv_t)-1) {
			csv_close(&c->ops);
			return fnl_error_set(err, FNL_EINVAL, "encoding", "encoding: this system cannot convert GBK");
		}
		c->gbk = 1;
	}
	*out = &c->ops;
	return 0;
}
