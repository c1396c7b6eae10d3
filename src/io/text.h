/*
 * io/text.h - a growable text buffer: the audit JSON of a lead, the HTML of a lead document, the
 * strings of a workbook.
 */
#ifndef FUNNEL_IO_TEXT_H
#define FUNNEL_IO_TEXT_H

#include <stddef.h>
#include <string.h>

/* Zero-initialise; p is NUL-terminated once anything was added; free(p) when done. */
struct fnl_text {
	char *p;
	size_t len, cap;
	int failed; /* an addition ran out of memory: the text is incomplete */
};

/* Append n bytes of s; 0, or -1 (and failed set, the text as it was) when memory runs out. After
 * a failure every addition fails, so a writer may check once at the end. */
int fnl_text_add(struct fnl_text *t, const char *s, size_t n);

static inline int fnl_text_adds(struct fnl_text *t, const char *s)
{
	return fnl_text_add(t, s, strlen(s));
}

/* The length of the longest prefix of s[0..n) that is whole, valid UTF-8 (no overlong forms, no
 * surrogates, nothing past U+10FFFF): n when all of it is. */
size_t fnl_utf8_prefix(const unsigned char *s, size_t n);

#endif
