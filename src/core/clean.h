/*
 * core/clean.h - the cleaning rules of lead capture (SPEC §3): full-width folding, phone
 * normalisation and validation, test-data detection, e-mail syntax, and the normalised keys used to
 * find duplicates. Pure functions: no handle, no allocation, no state; every output buffer is
 * NUL-terminated whenever outlen > 0.
 */
#ifndef FUNNEL_CORE_CLEAN_H
#define FUNNEL_CORE_CLEAN_H

#include <stddef.h>

/*
 * Copy in to out folding full-width forms to ASCII (U+FF01..U+FF5E to U+0021..U+007E, the
 * ideographic space U+3000 to a space) and trimming leading and trailing whitespace. Invalid UTF-8
 * is copied byte for byte. Returns 0, or -1 when out is too small (out then holds a truncated copy
 * that does not cut a UTF-8 sequence).
 */
int fnl__clean_fold(const char *in, char *out, size_t outlen);

enum fnl__phone_kind {
	FNL__PHONE_INVALID = 0,
	FNL__PHONE_MOBILE = 1,   /* 1[3-9] + 9 digits */
	FNL__PHONE_LANDLINE = 2, /* 0 + area code + number: 0[1-9] and 8-10 more digits, 01 only as 010 */
	FNL__PHONE_INTL = 3,     /* + and 8-15 digits, first digit not 0, not +86 */
};

/*
 * Normalise a phone number: fold full-width, remove spaces, '-', '(', ')', '.', and the full-width
 * forms of these; a leading "+86", "0086" or "+86" written "(+86)" is removed, after which a
 * number that is not a mobile (1[3-9]...) and does not start with 0 gets a leading 0 (a landline
 * written internationally: "+86 10 6552 9987" is Beijing's 010);
 * a leading "00" other than 0086 becomes "+"; "86" before an 11-digit mobile and the 0 once dialled
 * before a mobile ("013800138000") are removed. A landline or international number may end in an
 * extension of 1-6 digits after 转, 分机, 转分机, ext, x or #, or after a last dash that makes a
 * landline too long ("010-6552 9988-123"). Writes the normalised number (digits, with a leading '+'
 * for international numbers, then '-' and the extension if any) to out and returns its kind, or
 * FNL__PHONE_INVALID (out then holds the number's cleaned text as far as it went).
 */
int fnl__clean_phone(const char *raw, char *out, size_t outlen);

/*
 * 1 if a normalised phone is a test number: a digit repeated 8 or more times in a row, a run of 8
 * or more consecutive ascending (…345678…) or descending digits, or a number on blocklist (a
 * comma-separated list of numbers, each normalised with fnl__clean_phone before comparing; NULL or
 * "" for none). Else 0.
 */
int fnl__clean_is_test_phone(const char *norm, const char *blocklist);

/* 1 if email is a plausible address: one '@', a non-empty local part of [A-Za-z0-9._%+-] not
 * starting or ending with '.', a domain of labels [A-Za-z0-9-] (not starting or ending with '-')
 * separated by single dots, at least two labels, the last at least 2 letters; at most 254 bytes. */
int fnl__clean_email_valid(const char *email);

/*
 * 1 if text (folded first) contains one of the comma-separated words (spaces around words trimmed,
 * empty words skipped): a word with any non-ASCII byte matches as a substring; an ASCII word matches
 * case-insensitively as a whole word (the characters before and after it, if any, are not ASCII
 * letters or digits). "测试公司", "Test Co", "xxx有限公司" match the defaults; "Contest Ltd" does
 * not match "test".
 */
int fnl__clean_has_word(const char *text, const char *words);

/*
 * Duplicate key of a company name: folded, ASCII lower-cased, whitespace and punctuation
 * (ASCII punctuation and the full-width/CJK brackets, commas and full stops) removed, then legal
 * suffixes removed from the end repeatedly: 股份有限公司, 有限责任公司, 集团有限公司, 有限公司, 集团,
 * 公司, "co.,ltd." and its spellings (after punctuation removal: coltd), ltd, limited, inc,
 * incorporated, corp, corporation, llc, gmbh, co. A Latin suffix is removed only where it began a
 * word of the name (after a space, punctuation or a Chinese character), so "Costco" and "Zinc"
 * keep their endings. A name that would become empty keeps its form before suffix removal.
 * Returns 0, or -1 when out is too small.
 */
int fnl__clean_company_key(const char *company, char *out, size_t outlen);

/* Duplicate key of a person's name: folded, ASCII lower-cased, whitespace removed. 0 or -1. */
int fnl__clean_name_key(const char *name, char *out, size_t outlen);

/* Lower-cased (ASCII), folded, trimmed copy, used as the key of e-mail addresses. 0 or -1. */
int fnl__clean_lower_key(const char *s, char *out, size_t outlen);

/*
 * Duplicate key of a WeChat ID: a mobile or international number (a WeChat account is often found
 * by its phone) gives the number as fnl__clean_phone normalises it, to be compared with phone keys
 * too; else the ID folded, trimmed and lower-cased when it is one WeChat allows (at least 5 of
 * ASCII letters, digits, '_', '-'), and "" for anything else ("同手机", "无", "-"), which must not
 * make leads duplicates of each other. 0, or -1 when out is too small.
 */
int fnl__clean_wechat_key(const char *wechat, char *out, size_t outlen);

#endif
