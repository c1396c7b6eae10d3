/* core/import_util.c - header matching and small helpers shared by the importers of files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clean.h"
#include "core/import_util.h"
#include "core/internal.h"
#include "store/store.h"

void fnl__import_norm(const char *in, char *out, size_t len)
{
	char folded[512];
	if (fnl__clean_fold(in, folded, sizeof folded))
		folded[0] = '\0';
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)folded; *p && k + 1 < len; p++) {
		unsigned char c = *p;
		if (c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			continue;
		out[k++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	out[k] = '\0';
}

int fnl__import_blank(const char *s)
{
	for (; s && *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

void fnl__import_add_text(char *buf, size_t len, const char *sep, const char *s)
{
	size_t used = strlen(buf);
	if (used + 1 < len)
		snprintf(buf + used, len - used, "%s%s", used ? sep : "", s);
}

static int field_named(const char *const *fields, int nfields, const char *name)
{
	for (int f = 0; f < nfields; f++)
		if (strcmp(fields[f], name) == 0)
			return f;
	return -1;
}

int fnl__import_map_header(fnl_db *db, const char *const *fields, const char *const (*syn)[FNL__SYNONYMS],
			   int nfields, const char *const *maps, size_t nmaps, const struct fnl_record *h, int *col,
			   char *mapping, size_t mlen, char *unknown, size_t ulen)
{
	for (int f = 0; f < nfields; f++)
		col[f] = -1;
	int *taken = calloc(h->nfields ? h->nfields : 1, sizeof *taken);
	if (!taken)
		return fnl__err(db, FNL_ENOMEM, NULL, "out of memory");
	/* explicit maps first */
	for (size_t k = 0; k < nmaps; k++) {
		const char *eq = strrchr(maps[k], '=');
		if (!eq) {
			free(taken);
			return fnl__err(db, FNL_EINVAL, "map", "map: '%s' is not COLUMN=FIELD", maps[k]);
		}
		int f = field_named(fields, nfields, eq + 1);
		if (f < 0) {
			free(taken);
			return fnl__err(db, FNL_EINVAL, "map", "map: '%s' is not a field (%s, ...)", eq + 1, fields[0]);
		}
		size_t n = (size_t)(eq - maps[k]);
		size_t c;
		for (c = 0; c < h->nfields; c++)
			if (strlen(h->fields[c]) == n && strncmp(h->fields[c], maps[k], n) == 0)
				break;
		if (c == h->nfields) {
			free(taken);
			return fnl__err(db, FNL_EINVAL, "map", "map: the file has no column '%.*s'", (int)n, maps[k]);
		}
		col[f] = (int)c;
		taken[c] = 1;
	}
	/* then the headers, first match wins */
	for (size_t c = 0; c < h->nfields; c++) {
		if (taken[c])
			continue;
		char key[256];
		fnl__import_norm(h->fields[c], key, sizeof key);
		int found = -1;
		for (int f = 0; f < nfields && found < 0; f++)
			for (const char *const *s = syn[f]; *s; s++)
				if (strcmp(*s, key) == 0) {
					found = f;
					break;
				}
		if (found >= 0 && col[found] < 0) {
			col[found] = (int)c;
			taken[c] = 1;
		} else if (h->fields[c][0]) {
			fnl__import_add_text(unknown, ulen, ", ", h->fields[c]);
		}
	}
	free(taken);
	for (int f = 0; f < nfields; f++)
		if (col[f] >= 0) {
			char one[300];
			snprintf(one, sizeof one, "%s=%s", h->fields[col[f]], fields[f]);
			fnl__import_add_text(mapping, mlen, ", ", one);
		}
	return 0;
}

const char *fnl__import_value(const struct fnl_record *rec, const int *col, int f)
{
	int c = col[f];
	if (c < 0 || (size_t)c >= rec->nfields)
		return NULL;
	return rec->fields[c];
}

int fnl__import_owner_of(fnl_db *db, const char *v, char *login, size_t len)
{
	struct fnl_user u;
	if (fnl_user_get(db, v, &u) == 0) {
		snprintf(login, len, "%s", u.login);
		return 0;
	}
	struct fnl_user *all;
	size_t n, hits = 0;
	if (fnl_user_list(db, &all, &n))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(all[i].name, v) == 0) {
			snprintf(login, len, "%s", all[i].login);
			hits++;
		}
	free(all);
	return hits == 1 ? 0 : -1;
}
