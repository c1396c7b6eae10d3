/*
 * core/clean.c - the cleaning rules of lead capture (SPEC §3); the contracts are in clean.h.
 *
 * Everything works on the folded character stream: the input is decoded one UTF-8 character at a
 * time, full-width forms are mapped to ASCII on the fly, and a byte that does not start a valid
 * sequence stands for itself. Nothing is allocated; outputs go through a bounded sink that never
 * cuts a character and keeps the buffer NUL-terminated.
 */
#include <string.h>

#include "core/clean.h"

/* Longest cleaned phone text kept: "0086" + 15 digits fits with room to spare. */
#define PHONE_MAX 24
/* Longest extension kept: switchboards use up to 6 digits. */
#define EXT_MAX 6

/* One input character after folding. */
struct fchar {
	size_t in;   /* input bytes it took */
	size_t n;    /* bytes in out */
	long cp;     /* folded code point, -1 for a byte that is not valid UTF-8 */
	char out[4]; /* folded bytes */
};

/* A bounded output buffer: whole characters only, always NUL-terminated when size > 0. */
struct sink {
	char *buf;
	size_t size;
	size_t used;
	int full;
};

/*
 * Length of the valid UTF-8 sequence at s (len > 0 bytes available) and its code point in *cp, or
 * 0 when s does not start one (overlong forms, surrogates and values past U+10FFFF included).
 */
static size_t utf8_decode(const unsigned char *s, size_t len, long *cp)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xBF;
	size_t n, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		*cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		*cp = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		*cp = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return 0;
	}
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3F);
	}
	return n;
}

/* Decode and fold the character at s (len > 0). */
static void fold_next(const char *s, size_t len, struct fchar *fc)
{
	long cp;
	size_t n = utf8_decode((const unsigned char *)s, len, &cp);

	if (n == 0) {
		fc->in = 1;
		fc->n = 1;
		fc->cp = -1;
		fc->out[0] = s[0];
		return;
	}
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		cp -= 0xFF01 - 0x21;
	else if (cp == 0x3000)
		cp = ' ';
	fc->in = n;
	fc->cp = cp;
	if (cp < 0x80) {
		fc->n = 1;
		fc->out[0] = (char)cp;
	} else {
		fc->n = n;
		memcpy(fc->out, s, n);
	}
}

/* ASCII whitespace, and the no-break space that copies from web pages and spreadsheets carry. */
static int is_space(long cp)
{
	return cp == ' ' || (cp >= '\t' && cp <= '\r') || cp == 0xA0;
}

static int is_digit(long cp)
{
	return cp >= '0' && cp <= '9';
}

static int is_alpha(long cp)
{
	return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
}

static int is_alnum(long cp)
{
	return is_digit(cp) || is_alpha(cp);
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Punctuation removed from company keys: ASCII, and the CJK brackets, commas and full stops. */
static int is_key_punct(long cp)
{
	if (cp < 0)
		return 0;
	if (cp < 0x80)
		return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) ||
		       (cp >= 0x5B && cp <= 0x60) || (cp >= 0x7B && cp <= 0x7E);
	return cp == 0x3001 || cp == 0x3002 ||     /* 、 。 */
	       (cp >= 0x3008 && cp <= 0x3011) ||   /* 〈〉《》「」『』【】 */
	       (cp >= 0x3014 && cp <= 0x301B) ||   /* 〔〕〖〗〘〙〚〛 */
	       (cp >= 0xFF5F && cp <= 0xFF64);     /* ｟｠｡｢｣､ */
}

/* The brackets a note on a company name is written in: () [] and their full-width forms, 【】 〔〕. */
static int is_open_bracket(long cp)
{
	return cp == '(' || cp == '[' || cp == 0x3010 || cp == 0x3014;
}

static int is_close_bracket(long cp)
{
	return cp == ')' || cp == ']' || cp == 0x3011 || cp == 0x3015;
}

static void sink_init(struct sink *k, char *buf, size_t size)
{
	k->buf = buf;
	k->size = buf ? size : 0;
	k->used = 0;
	k->full = k->size == 0;
	if (k->size > 0)
		buf[0] = '\0';
}

/* Append n bytes as one piece, or none of them and mark the sink full. */
static void sink_put(struct sink *k, const char *b, size_t n)
{
	if (k->full)
		return;
	if (n >= k->size - k->used) {
		k->full = 1;
		return;
	}
	memcpy(k->buf + k->used, b, n);
	k->used += n;
	k->buf[k->used] = '\0';
}

/* Append one folded character, ASCII lower-cased when lc is set. */
static void sink_char(struct sink *k, struct fchar *fc, int lc)
{
	if (lc && fc->n == 1)
		fc->out[0] = (char)lower((unsigned char)fc->out[0]);
	sink_put(k, fc->out, fc->n);
}

/* Append ASCII text byte by byte, so that a short buffer holds as much of it as fits. */
static void sink_ascii(struct sink *k, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sink_put(k, s + i, 1);
}

static int sink_end(const struct sink *k)
{
	return k->full ? -1 : 0;
}

/* Narrow [*a, *b) of s to its part without leading and trailing (folded) whitespace. */
static void trim_range(const char *s, size_t *a, size_t *b)
{
	struct fchar fc;
	size_t i = *a, first = *b, last = *b;

	while (i < *b) {
		fold_next(s + i, *b - i, &fc);
		if (!is_space(fc.cp)) {
			if (first == *b)
				first = i;
			last = i + fc.in;
		}
		i += fc.in;
	}
	*a = first;
	*b = first == *b ? first : last;
}

/* Offset of the next comma (',' or a full-width '，') in s from pos, or len; its size in *clen. */
static size_t find_comma(const char *s, size_t len, size_t pos, size_t *clen)
{
	struct fchar fc;

	while (pos < len) {
		fold_next(s + pos, len - pos, &fc);
		if (fc.cp == ',') {
			*clen = fc.in;
			return pos;
		}
		pos += fc.in;
	}
	*clen = 0;
	return len;
}

/* Fold s[0..len) into out, trimmed, lower-cased when lc is set. */
static int fold_copy(const char *s, size_t len, char *out, size_t outlen, int lc)
{
	struct sink k;
	struct fchar fc;
	size_t a = 0, b = len;

	sink_init(&k, out, outlen);
	trim_range(s, &a, &b);
	while (a < b) {
		fold_next(s + a, b - a, &fc);
		sink_char(&k, &fc, lc);
		a += fc.in;
	}
	return sink_end(&k);
}

int fnl__clean_fold(const char *in, char *out, size_t outlen)
{
	if (!in)
		in = "";
	return fold_copy(in, strlen(in), out, outlen, 0);
}

int fnl__clean_lower_key(const char *s, char *out, size_t outlen)
{
	if (!s)
		s = "";
	return fold_copy(s, strlen(s), out, outlen, 1);
}

/* 1 when s is a WeChat ID as WeChat allows one: ASCII letters, digits, '_' and '-', at least 5
 * (6 since 2012; older IDs are QQ numbers of 5 digits and more). */
static int wechat_id(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++) {
		if (!is_alnum((unsigned char)s[n]) && s[n] != '_' && s[n] != '-')
			return 0;
	}
	return n >= 5;
}

static int clean_phone_n(const char *raw, size_t len, char *out, size_t outlen);

int fnl__clean_wechat_key(const char *wechat, char *out, size_t outlen)
{
	char num[PHONE_MAX + EXT_MAX + 3];
	int kind;

	if (!wechat)
		wechat = "";
	kind = clean_phone_n(wechat, strlen(wechat), num, sizeof num);
	if (kind == FNL__PHONE_MOBILE || kind == FNL__PHONE_INTL)
		return fold_copy(num, strlen(num), out, outlen, 0);
	if (fold_copy(wechat, strlen(wechat), out, outlen, 1))
		return -1;
	if (!wechat_id(out))
		out[0] = '\0';
	return 0;
}

int fnl__clean_name_key(const char *name, char *out, size_t outlen)
{
	struct sink k;
	struct fchar fc;
	size_t i = 0, len;

	if (!name)
		name = "";
	len = strlen(name);
	sink_init(&k, out, outlen);
	while (i < len) {
		fold_next(name + i, len - i, &fc);
		i += fc.in;
		if (!is_space(fc.cp))
			sink_char(&k, &fc, 1);
	}
	return sink_end(&k);
}

/* Kind of a normalised number p[0..n): digits with an optional leading '+'. Beijing's 010 is the
 * only area code that starts with 01. */
static int phone_kind(const char *p, size_t n)
{
	if (n > 0 && p[0] == '+') {
		if (n - 1 < 8 || n - 1 > 15 || p[1] == '0' || (p[1] == '8' && p[2] == '6'))
			return FNL__PHONE_INVALID;
		return FNL__PHONE_INTL;
	}
	if (n == 11 && p[0] == '1' && p[1] >= '3' && p[1] <= '9')
		return FNL__PHONE_MOBILE;
	if (n >= 10 && n <= 12 && p[0] == '0' && p[1] != '0' && (p[1] != '1' || p[2] == '0'))
		return FNL__PHONE_LANDLINE;
	return FNL__PHONE_INVALID;
}

/* 1 when p[0..n) starts with a mobile prefix, 1[3-9]. */
static int mobile_prefix(const char *p, size_t n)
{
	return n > 1 && p[0] == '1' && p[1] >= '3' && p[1] <= '9';
}

static int is_phone_sep(long cp)
{
	return is_space(cp) || cp == '-' || cp == '(' || cp == ')' || cp == '.';
}

/* Extension markers, longest first where one begins another: 转分机 123, 分机 123, ext. 123, x123,
 * #123 (full-width forms fold to these). */
static const char *const ext_markers[] = {"转分机", "分机", "转", "ext", "x", "#"};

static int match_at(const char *t, size_t tn, const char *w, size_t wn, size_t *used);

/* Input bytes taken by an extension marker at s[0..len), with the ':' or '.' after it; 0 for none. */
static size_t ext_marker(const char *s, size_t len)
{
	struct fchar fc;
	size_t i, used;

	for (i = 0; i < sizeof(ext_markers) / sizeof(ext_markers[0]); i++) {
		if (!match_at(s, len, ext_markers[i], strlen(ext_markers[i]), &used))
			continue;
		while (used < len) {
			fold_next(s + used, len - used, &fc);
			if (fc.cp != ':' && fc.cp != '.')
				break;
			used += fc.in;
		}
		return used;
	}
	return 0;
}

/* A phone as written, separators gone: the number (digits, a '+' only in front) and the digits of
 * an extension given with a marker. */
struct phone_parts {
	char num[PHONE_MAX + 1];
	size_t n;
	char ext[EXT_MAX + 1];
	size_t en;
	size_t dash; /* n at the last '-' of the number, 0 for none */
	size_t seps; /* separators in the number */
	int ok;      /* 0 when a character other than these came first */
};

static void phone_parts(const char *raw, size_t len, struct phone_parts *pp)
{
	struct fchar fc;
	size_t i = 0, used;
	int in_ext = 0;

	pp->n = pp->en = pp->dash = pp->seps = 0;
	pp->ok = 1;
	while (i < len) {
		if (!in_ext && pp->n > 0 && (used = ext_marker(raw + i, len - i)) > 0) {
			in_ext = 1;
			i += used;
			continue;
		}
		fold_next(raw + i, len - i, &fc);
		i += fc.in;
		if (is_phone_sep(fc.cp)) {
			if (!in_ext)
				pp->seps++;
			if (fc.cp == '-' && !in_ext)
				pp->dash = pp->n;
			continue;
		}
		if (in_ext) {
			if (pp->en == EXT_MAX || !is_digit(fc.cp)) {
				pp->ok = 0;
				break;
			}
			pp->ext[pp->en++] = (char)fc.cp;
			continue;
		}
		if (pp->n == PHONE_MAX || !(is_digit(fc.cp) || (fc.cp == '+' && pp->n == 0))) {
			pp->ok = 0;
			break;
		}
		pp->num[pp->n++] = (char)fc.cp;
	}
	if (in_ext && pp->en == 0)
		pp->ok = 0;
	pp->num[pp->n] = '\0';
	pp->ext[pp->en] = '\0';
}

/* Normalise the number txt[0..tn) into num (PHONE_MAX + 2 bytes): the country prefix of China goes,
 * another 00 becomes '+'. Its length in *nn; returns its kind. */
static int number_norm(const char *txt, size_t tn, char *num, size_t *nn)
{
	const char *p = txt;
	size_t pn = tn;
	int cn86 = 0;

	*nn = 0;
	/* memcmp with the length checked: GCC 12 at -O2 misreads strncmp on txt here
	 * (-Wstring-compare, "strings of length 0"), which -Werror turns into a failed build */
	if ((tn >= 3 && memcmp(p, "+86", 3) == 0) || (tn >= 4 && memcmp(p, "0086", 4) == 0)) {
		pn -= p[0] == '+' ? 3 : 4;
		p += p[0] == '+' ? 3 : 4;
		cn86 = 1;
	} else if (tn == 13 && memcmp(p, "86", 2) == 0 && mobile_prefix(p + 2, tn - 2)) {
		/* a mobile with the country code but no '+', as ad platforms export it */
		pn -= 2;
		p += 2;
	} else if (tn >= 2 && memcmp(p, "00", 2) == 0) {
		num[(*nn)++] = '+';
		p += 2;
		pn -= 2;
	}
	/* Written internationally, a landline loses the 0 of its area code (Beijing's 010
	 * becomes +86 10, so only 1[3-9] reads as a mobile). */
	if (cn86 && pn > 0 && p[0] != '0' && !mobile_prefix(p, pn))
		num[(*nn)++] = '0';
	/* a mobile with the 0 once dialled before it from another city (013800138000) */
	if (*nn == 0 && pn == 12 && p[0] == '0' && mobile_prefix(p + 1, pn - 1)) {
		p++;
		pn--;
	}
	memcpy(num + *nn, p, pn);
	*nn += pn;
	num[*nn] = '\0';
	return phone_kind(num, *nn);
}

/* fnl__clean_phone on raw[0..len), so that list entries need no copy. */
static int clean_phone_n(const char *raw, size_t len, char *out, size_t outlen)
{
	struct phone_parts pp;
	char num[PHONE_MAX + 2], head[PHONE_MAX + 2];
	size_t nn = 0, hn = 0, dn;
	int kind = FNL__PHONE_INVALID, split;
	struct sink k;

	sink_init(&k, out, outlen);
	phone_parts(raw, len, &pp);
	if (pp.ok) {
		kind = number_norm(pp.num, pp.n, num, &nn);
		/* "010-6552 9988-123": a last group after a dash that makes a landline too long is
		 * its extension; so is the group after the only separator of a normalised number, a
		 * dash ("02161234567-12", "+14155550100-12"), so that normalising again changes nothing */
		dn = pp.n - pp.dash;
		split = pp.en == 0 && pp.dash > 0 && dn <= EXT_MAX ? number_norm(pp.num, pp.dash, head, &hn) : 0;
		if ((kind == FNL__PHONE_INVALID && split == FNL__PHONE_LANDLINE) ||
		    (pp.seps == 1 && (split == FNL__PHONE_LANDLINE || split == FNL__PHONE_INTL))) {
			kind = split;
			memcpy(num, head, hn + 1);
			nn = hn;
			memcpy(pp.ext, pp.num + pp.dash, dn);
			pp.en = dn;
			pp.ext[dn] = '\0';
		}
		if (pp.en > 0 && kind == FNL__PHONE_MOBILE)
			kind = FNL__PHONE_INVALID;
	}
	if (kind == FNL__PHONE_INVALID) {
		sink_ascii(&k, pp.num, strlen(pp.num));
		return FNL__PHONE_INVALID;
	}
	sink_ascii(&k, num, nn);
	if (pp.en > 0) {
		sink_ascii(&k, "-", 1);
		sink_ascii(&k, pp.ext, pp.en);
	}
	return sink_end(&k) ? FNL__PHONE_INVALID : kind;
}

int fnl__clean_phone(const char *raw, char *out, size_t outlen)
{
	if (!raw)
		raw = "";
	return clean_phone_n(raw, strlen(raw), out, outlen);
}

/* 1 when norm has 8 or more digits in a row that repeat, ascend or descend by one. */
static int has_test_run(const char *norm)
{
	int rep = 0, asc = 0, desc = 0, prev = -1, d;

	for (; *norm; norm++) {
		if (*norm < '0' || *norm > '9') {
			prev = -1;
			continue;
		}
		d = *norm - '0';
		if (prev < 0) {
			rep = asc = desc = 1;
		} else {
			rep = d == prev ? rep + 1 : 1;
			asc = d == prev + 1 ? asc + 1 : 1;
			desc = d == prev - 1 ? desc + 1 : 1;
		}
		if (rep >= 8 || asc >= 8 || desc >= 8)
			return 1;
		prev = d;
	}
	return 0;
}

int fnl__clean_is_test_phone(const char *norm, const char *blocklist)
{
	char buf[PHONE_MAX + 2];
	size_t len, pos = 0, end, clen;

	if (!norm)
		return 0;
	if (has_test_run(norm))
		return 1;
	if (!blocklist)
		return 0;
	len = strlen(blocklist);
	while (pos < len) {
		end = find_comma(blocklist, len, pos, &clen);
		if (clean_phone_n(blocklist + pos, end - pos, buf, sizeof(buf)) != FNL__PHONE_INVALID &&
		    strcmp(buf, norm) == 0)
			return 1;
		pos = end + clen;
		if (clen == 0)
			break;
	}
	return 0;
}

static int email_local_valid(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 0; i < n; i++) {
		if (!is_alnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '%' &&
		    s[i] != '+' && s[i] != '-')
			return 0;
	}
	return 1;
}

static int email_domain_valid(const char *s, size_t n)
{
	size_t i, start = 0, labels = 0;

	for (i = 0; i <= n; i++) {
		if (i < n && s[i] != '.') {
			if (!is_alnum((unsigned char)s[i]) && s[i] != '-')
				return 0;
			continue;
		}
		if (i == start || s[start] == '-' || s[i - 1] == '-')
			return 0;
		labels++;
		if (i < n)
			start = i + 1;
	}
	if (labels < 2 || n - start < 2)
		return 0;
	for (i = start; i < n; i++) {
		if (!is_alpha((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

int fnl__clean_email_valid(const char *email)
{
	const char *at;
	size_t len, ln;

	if (!email)
		return 0;
	len = strlen(email);
	if (len > 254)
		return 0;
	at = strchr(email, '@');
	if (!at || strchr(at + 1, '@'))
		return 0;
	ln = (size_t)(at - email);
	return email_local_valid(email, ln) && email_domain_valid(at + 1, len - ln - 1);
}

/* The longest text fnl__clean_has_word folds once, folded (lead fields are far shorter). */
#define WORD_TEXT_MAX 4096

/*
 * s[0..n) folded and ASCII lower-cased into out (at most cap bytes: folding never lengthens a
 * text, so cap >= n is enough), and for each byte of out whether a character begins there (start,
 * if not NULL). Returns the folded length, or cap + 1 when the text does not fit.
 */
static size_t fold_lower(const char *s, size_t n, char *out, unsigned char *start, size_t cap)
{
	struct fchar fc;
	size_t i = 0, o = 0, k;

	while (i < n) {
		fold_next(s + i, n - i, &fc);
		if (o + fc.n > cap)
			return cap + 1;
		for (k = 0; k < fc.n; k++) {
			out[o + k] = (char)lower((unsigned char)fc.out[k]);
			if (start)
				start[o + k] = k == 0;
		}
		o += fc.n;
		i += fc.in;
	}
	return o;
}

/* An ASCII letter or digit as a folded byte: every other character folds to bytes that are not. */
static int byte_alnum(char c)
{
	return is_alnum((unsigned char)c);
}

/*
 * 1 when the folded text t[0..tn) (character starts in start) holds the folded word w[0..wn) on
 * character boundaries; an all-ASCII word only as a whole word.
 */
static int folded_has_word(const char *t, const unsigned char *start, size_t tn, const char *w, size_t wn)
{
	size_t p, k;
	int whole = 1;

	for (k = 0; k < wn; k++)
		if ((unsigned char)w[k] >= 0x80)
			whole = 0;
	for (p = 0; p + wn <= tn; p++) {
		if (!start[p] || t[p] != w[0] || memcmp(t + p, w, wn) != 0)
			continue;
		if (p + wn < tn && !start[p + wn])
			continue;
		if (!whole || ((p == 0 || !byte_alnum(t[p - 1])) && (p + wn == tn || !byte_alnum(t[p + wn]))))
			return 1;
	}
	return 0;
}

/* Reads a range of input as its folded bytes, one at a time. */
struct cursor {
	const char *s;
	size_t len;
	size_t pos; /* input consumed */
	size_t k;   /* bytes of fc handed out */
	struct fchar fc;
};

static void cursor_init(struct cursor *c, const char *s, size_t len)
{
	c->s = s;
	c->len = len;
	c->pos = 0;
	c->k = 0;
	c->fc.n = 0;
}

/* Next folded byte, or -1 at the end. */
static int cursor_byte(struct cursor *c)
{
	if (c->k == c->fc.n) {
		if (c->pos >= c->len)
			return -1;
		fold_next(c->s + c->pos, c->len - c->pos, &c->fc);
		c->pos += c->fc.in;
		c->k = 0;
	}
	return (unsigned char)c->fc.out[c->k++];
}

/* 1 when every folded character of w[0..wn) is ASCII. */
static int word_is_ascii(const char *w, size_t wn)
{
	struct fchar fc;
	size_t i = 0;

	while (i < wn) {
		fold_next(w + i, wn - i, &fc);
		if (fc.cp < 0 || fc.cp >= 0x80)
			return 0;
		i += fc.in;
	}
	return 1;
}

/*
 * 1 when the folded text at t[0..tn) starts with the folded word, ASCII case ignored, ending on a
 * character boundary of the text; the text bytes it took in *used.
 */
static int match_at(const char *t, size_t tn, const char *w, size_t wn, size_t *used)
{
	struct cursor ct, cw;
	int a, b;

	cursor_init(&ct, t, tn);
	cursor_init(&cw, w, wn);
	while ((b = cursor_byte(&cw)) >= 0) {
		a = cursor_byte(&ct);
		if (a < 0 || lower(a) != lower(b))
			return 0;
	}
	if (ct.k != ct.fc.n)
		return 0;
	*used = ct.pos;
	return 1;
}

/*
 * folded_has_word for a text that does not fold into WORD_TEXT_MAX bytes: both are folded as they
 * are compared, at each character of the text (no lead field is that long; the answers are the same).
 */
static int long_text_has_word(const char *t, size_t tn, const char *w, size_t wn)
{
	struct fchar fc;
	size_t i = 0, used;
	int whole = word_is_ascii(w, wn), prev_alnum = 0;

	while (i < tn) {
		if (!(whole && prev_alnum) && match_at(t + i, tn - i, w, wn, &used)) {
			if (!whole || i + used == tn)
				return 1;
			fold_next(t + i + used, tn - i - used, &fc);
			if (!is_alnum(fc.cp))
				return 1;
		}
		fold_next(t + i, tn - i, &fc);
		prev_alnum = is_alnum(fc.cp);
		i += fc.in;
	}
	return 0;
}

int fnl__clean_has_word(const char *text, const char *words)
{
	char ft[WORD_TEXT_MAX], fw[WORD_TEXT_MAX];
	unsigned char starts[WORD_TEXT_MAX];
	size_t n, tn, len, pos = 0, end, clen, a, b, wn;
	int folded, hit;

	if (!text || !words)
		return 0;
	/* the text is folded once, when it fits */
	n = strlen(text);
	tn = fold_lower(text, n, ft, starts, sizeof ft);
	folded = tn <= sizeof ft;
	len = strlen(words);
	while (pos < len) {
		end = find_comma(words, len, pos, &clen);
		a = pos;
		b = end;
		trim_range(words, &a, &b);
		if (a < b) {
			if (!folded)
				hit = long_text_has_word(text, n, words + a, b - a);
			else /* a word that does not fit is longer than the folded text: not in it */
				hit = (wn = fold_lower(words + a, b - a, fw, NULL, sizeof fw)) <= sizeof fw &&
				      folded_has_word(ft, starts, tn, fw, wn);
			if (hit)
				return 1;
		}
		pos = end + clen;
		if (clen == 0)
			break;
	}
	return 0;
}

/* Legal-form suffixes as they read after folding, lower-casing and punctuation removal. */
static const char *const company_suffixes[] = {
	"股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "集团", "公司",
	"coltd", "ltd", "limited", "inc", "incorporated", "corp", "corporation", "llc", "gmbh", "co",
};

/* Length of the longest suffix in the table that key[0..n) ends with, 0 for none. A Latin suffix
 * counts only where a word began in the name (bound[pos] set), so "Costco" keeps its "co". */
static size_t company_suffix(const char *key, size_t n, const unsigned char *bound, size_t nbound)
{
	size_t i, sl, best = 0;

	for (i = 0; i < sizeof(company_suffixes) / sizeof(company_suffixes[0]); i++) {
		sl = strlen(company_suffixes[i]);
		if (sl <= best || sl > n || memcmp(key + n - sl, company_suffixes[i], sl) != 0)
			continue;
		if ((unsigned char)company_suffixes[i][0] < 0x80 && (n - sl >= nbound || !bound[n - sl]))
			continue;
		best = sl;
	}
	return best;
}

int fnl__clean_company_key(const char *company, char *out, size_t outlen)
{
	struct sink k;
	struct fchar fc;
	size_t i = 0, len, n, sl;
	/* bound[p]: a word of the name starts at byte p of the key */
	unsigned char bound[1024];
	int sep = 1, prev_wide = 0, closed = 0;
	/* where a bracket that may end the name opened in the key, or (size_t)-1 */
	size_t note = (size_t)-1;

	if (!company)
		company = "";
	len = strlen(company);
	memset(bound, 0, sizeof bound);
	sink_init(&k, out, outlen);
	while (i < len) {
		fold_next(company + i, len - i, &fc);
		i += fc.in;
		if (is_space(fc.cp) || is_key_punct(fc.cp)) {
			if (is_open_bracket(fc.cp)) {
				note = k.used;
				closed = 0;
			} else if (is_close_bracket(fc.cp) && note != (size_t)-1) {
				closed = 1;
			}
			sep = 1;
			continue;
		}
		if (closed)
			note = (size_t)-1;
		closed = 0;
		if (k.used < sizeof bound)
			bound[k.used] = (unsigned char)(sep || prev_wide || fc.cp >= 0x80);
		sink_char(&k, &fc, 1);
		sep = 0;
		prev_wide = fc.cp >= 0x80;
	}
	if (sink_end(&k))
		return -1;
	n = k.used;
	/* A bracket after the legal name is a note on it (华为技术有限公司（深圳）, Acme Ltd. (HK)). */
	if (closed && note > 0 && note < n && company_suffix(out, note, bound, sizeof bound) > 0)
		n = note;
	/* The longest suffix first, or 股份有限公司 would lose only 有限公司 and keep 股份. */
	while ((sl = company_suffix(out, n, bound, sizeof bound)) > 0)
		n -= sl;
	if (n > 0)
		out[n] = '\0';
	return 0;
}
