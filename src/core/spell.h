/*
 * core/spell.h - telling a misspelling from a value: two values one edit apart, and the known
 * spellings of industries and countries that an imported value may be a letter away from.
 *
 * Comparisons ignore ASCII case. An edit is the insertion, deletion or substitution of one byte, or
 * the swap of two adjacent bytes (Damerau): "technolgy" is one edit from "technology", "Philipines"
 * from "Philippines", "GTXPro" from "GTX Pro". Pure functions.
 */
#ifndef FUNNEL_CORE_SPELL_H
#define FUNNEL_CORE_SPELL_H

/* 1 if a and b differ (ignoring case) by exactly one edit; 0 if they are equal or further apart. */
int fnl__spell_one_edit(const char *a, const char *b);

/* 1 if a and b are the same ignoring ASCII case. */
int fnl__spell_same(const char *a, const char *b);

enum fnl__words { FNL__WORDS_INDUSTRY, FNL__WORDS_COUNTRY };

/*
 * The known spelling that value is a misspelling of: value is not itself a known word of the list,
 * is at least 6 bytes long, and is one edit from exactly one known word. That word (static, lower
 * case for industries, capitalised for countries), or NULL.
 */
const char *fnl__spell_known(enum fnl__words list, const char *value);

#endif
