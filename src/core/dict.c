/* core/dict.c - a dictionary of names (core/dict.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/dict.h"

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

int fnl__dict_find(const struct fnl__dict *d, const char *name)
{
	if (!d->nslots)
		return -1;
	for (uint32_t i = hash(name) & (uint32_t)(d->nslots - 1);; i = (i + 1) & (uint32_t)(d->nslots - 1)) {
		int v = d->slots[i];
		if (!v)
			return -1;
		if (strcmp(d->names[v - 1], name) == 0)
			return v - 1;
	}
}

static int dict_rehash(struct fnl__dict *d, int nslots)
{
	int *slots = calloc((size_t)nslots, sizeof *slots);
	if (!slots)
		return -1;
	for (int k = 0; k < d->n; k++) {
		uint32_t i = hash(d->names[k]) & (uint32_t)(nslots - 1);
		while (slots[i])
			i = (i + 1) & (uint32_t)(nslots - 1);
		slots[i] = k + 1;
	}
	free(d->slots);
	d->slots = slots;
	d->nslots = nslots;
	return 0;
}

int fnl__dict_add(struct fnl__dict *d, const char *name)
{
	int k = fnl__dict_find(d, name);
	if (k >= 0)
		return k;
	if (d->max && d->n >= d->max)
		return -1;
	if (d->n == d->cap) {
		int cap = d->cap ? d->cap * 2 : 16;
		char **names = realloc(d->names, (size_t)cap * sizeof *names);
		if (!names)
			return -1;
		d->names = names;
		d->cap = cap;
	}
	if ((d->n + 1) * 2 > d->nslots && dict_rehash(d, d->nslots ? d->nslots * 2 : 32))
		return -1;
	char *copy = strdup(name);
	if (!copy)
		return -1;
	d->names[d->n] = copy;
	uint32_t i = hash(name) & (uint32_t)(d->nslots - 1);
	while (d->slots[i])
		i = (i + 1) & (uint32_t)(d->nslots - 1);
	d->slots[i] = d->n + 1;
	return d->n++;
}

void fnl__dict_free(struct fnl__dict *d)
{
	for (int i = 0; i < d->n; i++)
		free(d->names[i]);
	free(d->names);
	free(d->slots);
	memset(d, 0, sizeof *d);
}
