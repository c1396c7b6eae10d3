/*
 * core/dict.h - a dictionary of names: index -> name, and a hash from name to index (open
 * addressing). Names are copied and keep their address for the dictionary's life; indexes are given
 * in the order names are added. The snapshot's columns and the history import's maps use it.
 */
#ifndef FUNNEL_CORE_DICT_H
#define FUNNEL_CORE_DICT_H

struct fnl__dict {
	char **names;
	int n, cap;
	int *slots;   /* open addressing: index + 1, 0 empty */
	int nslots;   /* power of two */
	int max;      /* the most names it takes; 0: no limit but memory */
};

/* The index of name, or -1. */
int fnl__dict_find(const struct fnl__dict *d, const char *name);
/* The index of name, added when missing; -1 when full or out of memory. */
int fnl__dict_add(struct fnl__dict *d, const char *name);
/* Release the names and the hash; the dictionary is empty (and unlimited) again. */
void fnl__dict_free(struct fnl__dict *d);

#endif
