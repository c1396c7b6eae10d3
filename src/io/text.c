/* io/text.c - a growable text buffer (io/text.h). */
#include <stdlib.h>
#include <string.h>

#include "io/text.h"

int fnl_text_add(struct fnl_text *t, const char *s, size_t n)
{
	if (t->failed)
		return -1;
	if (t->len + n + 1 > t->cap) {
		size_t cap = t->cap ? t->cap : 256;
		while (cap < t->len + n + 1)
			cap *= 2;
		char *p = realloc(t->p, cap);
		if (!p) {
			t->failed = 1;
			return -1;
		}
		t->p = p;
		t->cap = cap;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	t->p[t->len] = '\0';
	return 0;
}
