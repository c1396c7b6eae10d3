/* tests/unit/test_clean.c - the cleaning rules of SPEC §3 (core/clean.c), case tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/clean.h"

#define DEFAULT_TEST_WORDS "测试,test,asdf,xxx,qwer"
#define DEFAULT_BLOCKLIST "13800138000"
#define SENTINEL '\x5a'

static const char *kind_name(int kind)
{
	switch (kind) {
	case FNL__PHONE_MOBILE:
		return "mobile";
	case FNL__PHONE_LANDLINE:
		return "landline";
	case FNL__PHONE_INTL:
		return "intl";
	default:
		return "invalid";
	}
}

/* --- fold ------------------------------------------------------------------------------------ */

struct fold_case {
	const char *in;
	const char *out;
};

static const struct fold_case fold_cases[] = {
	{ "\u3000ＡＢＣ１２３\u3000", "ABC123" },
	{ "ＡＢＣ", "ABC" },
	{ "！～", "!~" },                        /* U+FF01 and U+FF5E, the ends of the range */
	{ "｟", "｟" },                          /* U+FF5F, just past it, stays */
	{ "（有限公司）", "(有限公司)" },
	{ "  a  b  ", "a  b" },                  /* inner whitespace stays */
	{ "\t x \n", "x" },
	{ "a\u3000b", "a b" },
	{ "测试", "测试" },
	{ "", "" },
	{ "   ", "" },
	{ "\u3000\u3000", "" },
	{ "\xff\xfe" "abc", "\xff\xfe" "abc" }, /* invalid UTF-8 copied byte for byte */
	{ "\xc0\xaf", "\xc0\xaf" },              /* overlong '/' is not folded or decoded */
	{ "\xe3\x80", "\xe3\x80" },              /* a cut ideographic space is not whitespace */
	{ "x\xef\xbc", "x\xef\xbc" },            /* a cut full-width form */
};

static void test_fold_table(void **state)
{
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(fold_cases) / sizeof(fold_cases[0]); i++) {
		const struct fold_case *c = &fold_cases[i];
		int rc = fnl__clean_fold(c->in, out, sizeof(out));

		if (rc != 0 || strcmp(out, c->out) != 0)
			fail_msg("fold case %zu '%s': rc %d, got '%s', want '%s'", i, c->in, rc, out, c->out);
	}
}

struct trunc_case {
	const char *in;
	size_t outlen;
	int rc;
	const char *out;
};

static const struct trunc_case fold_trunc_cases[] = {
	{ "abc", 4, 0, "abc" },
	{ "abc", 3, -1, "ab" },
	{ "测试abc", 5, -1, "测" },      /* 试 would need 3 more bytes: not cut */
	{ "测试abc", 4, -1, "测" },
	{ "测试abc", 3, -1, "" },
	{ "测试abc", 10, 0, "测试abc" },
	{ "ＡＢ", 3, 0, "AB" },          /* 6 bytes in, 2 out */
	{ "ab   ", 3, 0, "ab" },         /* trimmed whitespace needs no room */
	{ "", 1, 0, "" },
	{ "a", 1, -1, "" },
};

static void test_fold_truncation(void **state)
{
	char out[32];
	size_t i, j;

	(void)state;
	for (i = 0; i < sizeof(fold_trunc_cases) / sizeof(fold_trunc_cases[0]); i++) {
		const struct trunc_case *c = &fold_trunc_cases[i];
		int rc;

		memset(out, SENTINEL, sizeof(out));
		rc = fnl__clean_fold(c->in, out, c->outlen);
		if (rc != c->rc || strcmp(out, c->out) != 0)
			fail_msg("fold trunc case %zu '%s' in %zu: rc %d, got '%s', want %d '%s'", i, c->in,
				 c->outlen, rc, out, c->rc, c->out);
		for (j = c->outlen; j < sizeof(out); j++)
			assert_int_equal(out[j], SENTINEL);
	}
}

static void test_fold_zero_outlen(void **state)
{
	char out[4] = { SENTINEL, SENTINEL, SENTINEL, SENTINEL };

	(void)state;
	assert_int_equal(fnl__clean_fold("", out, 0), -1);
	assert_int_equal(fnl__clean_fold("abc", out, 0), -1);
	assert_int_equal(out[0], SENTINEL);
	assert_int_equal(fnl__clean_fold(NULL, out, sizeof(out)), 0);
	assert_string_equal(out, "");
}

/* --- phones ---------------------------------------------------------------------------------- */

struct phone_case {
	const char *raw;
	int kind;
	const char *out; /* the normalised number, or for an invalid one the cleaned text so far */
};

static const struct phone_case phone_cases[] = {
	/* mobile: 1[3-9] + 9 digits */
	{ "13800138001", FNL__PHONE_MOBILE, "13800138001" },
	{ "+86 138-0013-8001", FNL__PHONE_MOBILE, "13800138001" },
	{ "１３８００１３８００１", FNL__PHONE_MOBILE, "13800138001" },
	{ "0086 13800138001", FNL__PHONE_MOBILE, "13800138001" },
	{ "(+86) 138 0013 8001", FNL__PHONE_MOBILE, "13800138001" },
	{ "（＋８６）１３８－００１３－８００１", FNL__PHONE_MOBILE, "13800138001" },
	{ "138.0013.8001", FNL__PHONE_MOBILE, "13800138001" },
	{ "138\t0013\u30008001", FNL__PHONE_MOBILE, "13800138001" },
	{ "  19912345670 ", FNL__PHONE_MOBILE, "19912345670" },
	{ "8613800138001", FNL__PHONE_MOBILE, "13800138001" },    /* country code without '+' */
	{ "86 138 0013 8001", FNL__PHONE_MOBILE, "13800138001" },
	{ "013800138001", FNL__PHONE_MOBILE, "13800138001" },     /* 0 once dialled before a mobile */
	{ "0138-0013-8001", FNL__PHONE_MOBILE, "13800138001" },
	{ "+86 0138 0013 8001", FNL__PHONE_MOBILE, "13800138001" },
	/* landline: 0[1-9] and 8-10 more digits */
	{ "(021) 6123-4567", FNL__PHONE_LANDLINE, "02161234567" },
	{ "（０２１）６１２３－４５６７", FNL__PHONE_LANDLINE, "02161234567" },
	{ "+86 21 6123 4567", FNL__PHONE_LANDLINE, "02161234567" },
	{ "0086 21 6123 4567", FNL__PHONE_LANDLINE, "02161234567" },
	{ "+86 10 6552 9987", FNL__PHONE_LANDLINE, "01065529987" },   /* Beijing: area code 010 */
	{ "+86 10 8888 6666", FNL__PHONE_LANDLINE, "01088886666" },
	{ "+86 (0)21 6123 4567", FNL__PHONE_LANDLINE, "02161234567" },
	{ "010-88886666", FNL__PHONE_LANDLINE, "01088886666" },
	{ "0571-8888-6666", FNL__PHONE_LANDLINE, "057188886666" },
	{ "0211234567", FNL__PHONE_LANDLINE, "0211234567" },      /* 0 + 1 + 8: shortest */
	{ "021123456789", FNL__PHONE_LANDLINE, "021123456789" },  /* 0 + 1 + 10: longest */
	/* a landline's extension: after a marker, or a last dash group that makes it too long */
	{ "010-6552 9988 转 123", FNL__PHONE_LANDLINE, "01065529988-123" },
	{ "010-65529988转123", FNL__PHONE_LANDLINE, "01065529988-123" },
	{ "010-65529988 转分机 8001", FNL__PHONE_LANDLINE, "01065529988-8001" },
	{ "010-65529988 分机：123", FNL__PHONE_LANDLINE, "01065529988-123" },
	{ "010-65529988 ext. 123", FNL__PHONE_LANDLINE, "01065529988-123" },
	{ "010-65529988 EXT 123", FNL__PHONE_LANDLINE, "01065529988-123" },
	{ "010-65529988x123", FNL__PHONE_LANDLINE, "01065529988-123" },
	{ "021-61234567#123", FNL__PHONE_LANDLINE, "02161234567-123" },
	{ "０２１－６１２３４５６７＃１２３", FNL__PHONE_LANDLINE, "02161234567-123" },
	{ "+86 10 6552 9988 ext 123", FNL__PHONE_LANDLINE, "01065529988-123" },
	{ "010-65529988-123", FNL__PHONE_LANDLINE, "01065529988-123" },
	{ "0755-8888 6666-8001", FNL__PHONE_LANDLINE, "075588886666-8001" },
	{ "01065529988-123", FNL__PHONE_LANDLINE, "01065529988-123" }, /* normalised stays */
	{ "0211234567-12", FNL__PHONE_LANDLINE, "0211234567-12" },  /* though 12 digits fit */
	{ "021-1234567 转 12", FNL__PHONE_LANDLINE, "0211234567-12" },
	{ "0755-8888-6666", FNL__PHONE_LANDLINE, "075588886666" },  /* a dash group of the number */
	/* international: + and 8-15 digits */
	{ "+44 20 7946 0958", FNL__PHONE_INTL, "+442079460958" },
	{ "0044 20 7946 0958", FNL__PHONE_INTL, "+442079460958" },
	{ "+1 (415) 555-0100", FNL__PHONE_INTL, "+14155550100" },
	{ "+12345678", FNL__PHONE_INTL, "+12345678" },            /* 8 digits */
	{ "+123456789012345", FNL__PHONE_INTL, "+123456789012345" }, /* 15 digits */
	{ "+1 415 555 0100 ext. 12", FNL__PHONE_INTL, "+14155550100-12" },
	{ "+14155550100-12", FNL__PHONE_INTL, "+14155550100-12" },
	/* invalid */
	{ "12345", FNL__PHONE_INVALID, "12345" },
	{ "1280013800", FNL__PHONE_INVALID, "1280013800" },       /* 10 digits */
	{ "12800138001", FNL__PHONE_INVALID, "12800138001" },     /* 12 is not a mobile prefix */
	{ "23800138001", FNL__PHONE_INVALID, "23800138001" },     /* no +86: no landline 0 added */
	{ "+1234", FNL__PHONE_INVALID, "+1234" },
	{ "+1234567", FNL__PHONE_INVALID, "+1234567" },           /* 7 digits */
	{ "+1234567890123456", FNL__PHONE_INVALID, "+1234567890123456" }, /* 16 digits */
	{ "+0123456789", FNL__PHONE_INVALID, "+0123456789" },
	{ "138001380011", FNL__PHONE_INVALID, "138001380011" },   /* 12 digits */
	{ "021123456", FNL__PHONE_INVALID, "021123456" },         /* landline too short */
	{ "0211234567890", FNL__PHONE_INVALID, "0211234567890" }, /* landline too long */
	{ "00861380013800", FNL__PHONE_INVALID, "00861380013800" },
	{ "+86", FNL__PHONE_INVALID, "+86" },
	{ "abc", FNL__PHONE_INVALID, "" },
	{ "", FNL__PHONE_INVALID, "" },
	{ "138 0013 800a", FNL__PHONE_INVALID, "1380013800" },
	{ "138+00138001", FNL__PHONE_INVALID, "138" },            /* '+' only in front */
	{ "138—0013—8001", FNL__PHONE_INVALID, "138" },           /* an em dash is not a separator */
	{ "13800138001 ext 12", FNL__PHONE_INVALID, "13800138001" }, /* a mobile has no extension */
	{ "138-0013-8001-12", FNL__PHONE_INVALID, "13800138001" "12" },
	{ "010-65529988 转", FNL__PHONE_INVALID, "01065529988" },   /* a marker without digits */
	{ "010-65529988 转 1234567", FNL__PHONE_INVALID, "01065529988" }, /* 7 digits */
	{ "010-65529988-1234567", FNL__PHONE_INVALID, "010655299881234567" },
	{ "01165529988", FNL__PHONE_INVALID, "01165529988" },     /* 010 is the only 01x area code */
	{ "0113800138001", FNL__PHONE_INVALID, "0113800138001" },
	{ "861065529988", FNL__PHONE_INVALID, "861065529988" },   /* without '+', only a mobile */
	{ "1380013800112345678901234567890", FNL__PHONE_INVALID, "138001380011234567890123" },
};

static void test_phone_table(void **state)
{
	char out[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(phone_cases) / sizeof(phone_cases[0]); i++) {
		const struct phone_case *c = &phone_cases[i];
		int kind = fnl__clean_phone(c->raw, out, sizeof(out));

		if (kind != c->kind || strcmp(out, c->out) != 0)
			fail_msg("phone case %zu '%s': got %s '%s', want %s '%s'", i, c->raw,
				 kind_name(kind), out, kind_name(c->kind), c->out);
	}
}

static void test_phone_small_out(void **state)
{
	char out[16];
	size_t j;

	(void)state;
	memset(out, SENTINEL, sizeof(out));
	assert_int_equal(fnl__clean_phone("13800138001", out, 5), FNL__PHONE_INVALID);
	assert_string_equal(out, "1380");
	for (j = 5; j < sizeof(out); j++)
		assert_int_equal(out[j], SENTINEL);
	assert_int_equal(fnl__clean_phone("13800138001", out, 12), FNL__PHONE_MOBILE);
	assert_string_equal(out, "13800138001");
	assert_int_equal(fnl__clean_phone("13800138001", out, 0), FNL__PHONE_INVALID);
	assert_int_equal(fnl__clean_phone(NULL, out, sizeof(out)), FNL__PHONE_INVALID);
	assert_string_equal(out, "");
}

/* --- test phones ----------------------------------------------------------------------------- */

struct test_phone_case {
	const char *norm;
	const char *blocklist;
	int want;
};

static const struct test_phone_case test_phone_cases[] = {
	{ "13800138000", DEFAULT_BLOCKLIST, 1 },
	{ "13800138000", NULL, 0 },                 /* only the blocklist makes it a test number */
	{ "13800138000", "", 0 },
	{ "13800138000", "+86 138-0013-8000", 1 },  /* entries are normalised */
	{ "13800138000", "10086, 13800138000", 1 },
	{ "13900139000", "13800138000，１３９００１３９０００", 1 }, /* full-width comma and digits */
	{ "13800138000", ",,", 0 },
	{ "02161234567", "(021) 6123-4567", 1 },
	{ "13811111111", NULL, 1 },                 /* 1 repeated 8 times */
	{ "11111111111", DEFAULT_BLOCKLIST, 1 },
	{ "13811111112", NULL, 0 },                 /* 7 times only */
	{ "13812345678", NULL, 1 },                 /* 12345678 */
	{ "13801234567", NULL, 1 },                 /* 01234567 */
	{ "13898765432", NULL, 1 },                 /* 98765432 */
	{ "13876543210", NULL, 1 },                 /* 76543210 */
	{ "13912345670", DEFAULT_BLOCKLIST, 0 },    /* 1234567 is 7 */
	{ "13890123456", NULL, 0 },                 /* 9 to 0 is not a step: 0123456 is 7 */
	{ "13800138001", DEFAULT_BLOCKLIST, 0 },
	{ "02161234567", DEFAULT_BLOCKLIST, 0 },
	{ "+442079460958", DEFAULT_BLOCKLIST, 0 },
	{ "+4412345678", NULL, 1 },
	{ "", DEFAULT_BLOCKLIST, 0 },
	{ NULL, DEFAULT_BLOCKLIST, 0 },
};

static void test_test_phone_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(test_phone_cases) / sizeof(test_phone_cases[0]); i++) {
		const struct test_phone_case *c = &test_phone_cases[i];
		int got = fnl__clean_is_test_phone(c->norm, c->blocklist);

		if (got != c->want)
			fail_msg("test phone case %zu '%s' blocklist '%s': got %d, want %d", i,
				 c->norm ? c->norm : "(null)", c->blocklist ? c->blocklist : "(null)", got,
				 c->want);
	}
}

/* --- e-mail ---------------------------------------------------------------------------------- */

struct email_case {
	const char *email;
	int want;
};

static const struct email_case email_cases[] = {
	{ "a.b@example.com", 1 },
	{ "Wang.Li+crm@corp.example.cn", 1 },
	{ "x_y%z-w@a-b.co", 1 },
	{ "a@b.cn", 1 },
	{ "a@b", 0 },
	{ "a@@b.com", 0 },
	{ "a@b@c.com", 0 },
	{ ".a@b.com", 0 },
	{ "a.@b.com", 0 },
	{ "a@-b.com", 0 },
	{ "a@b-.com", 0 },
	{ "a b@c.com", 0 },
	{ "a@b..com", 0 },
	{ "a@.b.com", 0 },
	{ "a@b.com.", 0 },
	{ "", 0 },
	{ "@b.com", 0 },
	{ "a@", 0 },
	{ "a@b.c", 0 },
	{ "a@b.c1", 0 },     /* the last label is letters */
	{ " a@b.com", 0 },
	{ "a@b.com ", 0 },
	{ "a!b@c.com", 0 },
	{ "用户@例子.中国", 0 },
	{ NULL, 0 },
};

static void test_email_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(email_cases) / sizeof(email_cases[0]); i++) {
		const struct email_case *c = &email_cases[i];
		int got = fnl__clean_email_valid(c->email);

		if (got != c->want)
			fail_msg("email case %zu '%s': got %d, want %d", i,
				 c->email ? c->email : "(null)", got, c->want);
	}
}

static void test_email_length(void **state)
{
	char email[300];
	size_t n;

	(void)state;
	/* 254 bytes: "a@" + 248 letters + ".com" */
	memset(email, 0, sizeof(email));
	email[0] = 'a';
	email[1] = '@';
	memset(email + 2, 'b', 248);
	memcpy(email + 250, ".com", 4);
	n = strlen(email);
	assert_int_equal(n, 254);
	assert_int_equal(fnl__clean_email_valid(email), 1);
	memmove(email + 3, email + 2, 253);
	email[2] = 'b';
	assert_int_equal(strlen(email), 255);
	assert_int_equal(fnl__clean_email_valid(email), 0);
}

/* --- test words ------------------------------------------------------------------------------ */

struct word_case {
	const char *text;
	const char *words;
	int want;
};

static const struct word_case word_cases[] = {
	{ "测试公司", DEFAULT_TEST_WORDS, 1 },
	{ "Test Co", DEFAULT_TEST_WORDS, 1 },
	{ "xxx有限公司", DEFAULT_TEST_WORDS, 1 },
	{ "ASDF", DEFAULT_TEST_WORDS, 1 },
	{ "my test", DEFAULT_TEST_WORDS, 1 },
	{ "TEST", DEFAULT_TEST_WORDS, 1 },
	{ "test-co", DEFAULT_TEST_WORDS, 1 },
	{ "qwer", DEFAULT_TEST_WORDS, 1 },
	{ "ｔｅｓｔ公司", DEFAULT_TEST_WORDS, 1 },     /* text is folded */
	{ "上海测试科技", DEFAULT_TEST_WORDS, 1 },
	{ "Contest Ltd", DEFAULT_TEST_WORDS, 0 },
	{ "上海测绘有限公司", DEFAULT_TEST_WORDS, 0 },
	{ "Testing Ltd", DEFAULT_TEST_WORDS, 0 },
	{ "Test123", DEFAULT_TEST_WORDS, 0 },
	{ "xxxx", DEFAULT_TEST_WORDS, 0 },
	{ "测 试", DEFAULT_TEST_WORDS, 0 },
	{ "Acme", DEFAULT_TEST_WORDS, 0 },
	{ "", DEFAULT_TEST_WORDS, 0 },
	{ "Test Co", " foo ,  test  ", 1 },          /* spaces around words trimmed */
	{ "test co", "测试，test", 1 },              /* full-width comma separates too */
	{ "测试", "\u3000测试\u3000", 1 },
	{ "TEST测试", "test测试", 1 },               /* non-ASCII word: substring, ASCII case ignored */
	{ "contest测试x", "test测试", 1 },
	{ "测试", "\xe6\xb5", 0 },                 /* a cut character does not match a whole one */
	{ "\xe6\xb5x", "\xe6\xb5", 1 },
	{ "Test Co", "ｔｅｓｔ", 1 },                /* words are folded, then ASCII: whole word */
	{ "Contest", "ｔｅｓｔ", 0 },
	{ "Test Co", "", 0 },
	{ "Test Co", ", ,", 0 },
	{ "Test Co", NULL, 0 },
	{ "Co test", "test", 1 },                    /* at the end, and the whole text */
	{ "test", "test", 1 },
	{ "tes", "test", 0 },                        /* a word longer than the text */
	{ "ＴＥＳＴ", "test", 1 },
	{ "1test", "test", 0 },
	{ "a\u3000test", "test", 1 },
	{ "\xfftest", "test", 1 },                   /* a byte that is not UTF-8 is not a letter */
	{ "测试测", "测试测试", 0 },
	{ NULL, DEFAULT_TEST_WORDS, 0 },
};

static void test_has_word_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(word_cases) / sizeof(word_cases[0]); i++) {
		const struct word_case *c = &word_cases[i];
		int got = fnl__clean_has_word(c->text, c->words);

		if (got != c->want)
			fail_msg("word case %zu '%s' in '%s': got %d, want %d", i,
				 c->words ? c->words : "(null)", c->text ? c->text : "(null)", got, c->want);
	}
}

/*
 * A text of any length is searched whole, with the same answers as a short one: around 4096 bytes
 * (what is folded once) a word is neither cut nor missed, and full-width text counts as folded.
 */
static void test_has_word_long_text(void **state)
{
	char text[6000], word[5000];
	size_t end;

	(void)state;
	memset(text, 'a', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	memcpy(text + 4000, " test ", 6);
	assert_int_equal(fnl__clean_has_word(text, "test"), 1);
	memset(text + 4000, 'a', 6);
	memcpy(text + 5000, " test ", 6);
	assert_int_equal(fnl__clean_has_word(text, "test"), 1);
	assert_int_equal(fnl__clean_has_word("Test Co", text), 0); /* a word longer than the text */

	/* the text ends at byte 4096, 4097, 4100 exactly: a word at its end, and one past 4096 */
	for (end = 4096; end <= 4100; end++) {
		memset(text, 'a', end);
		text[end] = '\0';
		memcpy(text + end - 5, " test", 5);
		assert_int_equal(fnl__clean_has_word(text, "test"), 1);
		/* "testing" is not "test", though "test" ends on byte 4096 */
		memcpy(text + end - 8, " testin", 7);
		text[end - 1] = 'g';
		assert_int_equal(fnl__clean_has_word(text, "test"), 0);
		/* "a t|est" cut at 4096 would leave a whole word "t" */
		memset(text, 'a', end);
		memcpy(text + end - 6, " a test", 6);
		text[end - 1] = 't';
		assert_int_equal(fnl__clean_has_word(text, "t"), 0);
	}
	/* a Chinese word across byte 4096 */
	memset(text, 'a', 4095);
	memcpy(text + 4095, "测试", 7);
	assert_int_equal(fnl__clean_has_word(text, "测试"), 1);
	/* 1500 full-width letters are 4500 bytes, 1500 once folded */
	text[0] = '\0';
	for (end = 0; end < 1500; end++)
		memcpy(text + 3 * end, "\xef\xbd\x98", 4); /* ｘ */
	memcpy(text + 4500, " TEST", 6);
	assert_int_equal(fnl__clean_has_word(text, "test"), 1);
	/* a word longer than 4096 bytes in a text that holds it */
	memset(word, 0, sizeof word);
	for (end = 0; end + 3 < sizeof word; end += 3)
		memcpy(word + end, "\xe6\xb5\x8b", 3); /* 测 */
	memset(text, 'a', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	memcpy(text + 10, word, strlen(word));
	assert_int_equal(fnl__clean_has_word(text, word), 1);
}

/* --- keys ------------------------------------------------------------------------------------ */

struct key_case {
	const char *in;
	const char *key;
};

/* Every case of a key table through fn: rc 0 and the key. */
static void check_keys(const char *what, int (*fn)(const char *, char *, size_t), const struct key_case *cases,
		       size_t n)
{
	char out[128];

	for (size_t i = 0; i < n; i++) {
		int rc = fn(cases[i].in, out, sizeof(out));

		if (rc != 0 || strcmp(out, cases[i].key) != 0)
			fail_msg("%s case %zu '%s': rc %d, got '%s', want '%s'", what, i, cases[i].in, rc, out,
				 cases[i].key);
	}
}

static const struct key_case company_cases[] = {
	{ "上海某某科技有限公司", "上海某某科技" },
	{ "上海某某科技", "上海某某科技" },
	{ "上海某某科技股份有限公司", "上海某某科技" },   /* not 上海某某科技股份 */
	{ "上海某某科技有限责任公司", "上海某某科技" },
	{ "上海某某科技（集团）有限公司", "上海某某科技" }, /* brackets go, then 集团有限公司 */
	{ "上海某某科技【集团】有限公司", "上海某某科技" },
	{ "上海某某科技集团", "上海某某科技" },
	{ "上海某某科技 公司", "上海某某科技" },
	{ "某某、某某。公司", "某某某某" },
	{ "《某某》「科技」", "某某科技" },
	{ "Acme Co., Ltd.", "acme" },
	{ "ACME co ltd", "acme" },
	{ "Acme Limited", "acme" },
	{ "acme inc.", "acme" },
	{ "Acme Incorporated", "acme" },
	{ "Acme Corp.", "acme" },
	{ "Acme Corporation", "acme" },
	{ "Acme, LLC", "acme" },
	{ "Acme GmbH", "acme" },
	{ "Acme Co.", "acme" },
	{ "ＡＣＭＥ", "acme" },
	{ "ＡＣＭＥ　Ｃｏ．，Ｌｔｄ．", "acme" },
	{ "Beijing Acme Technology Co., Ltd.", "beijingacmetechnology" },
	{ "Acme Ltd 有限公司", "acme" },                  /* removed repeatedly */
	{ "有限公司", "有限公司" },                        /* would be empty: kept */
	{ "股份有限公司", "股份有限公司" },
	{ "Co., Ltd.", "coltd" },
	{ "北京某某科技有限公司", "北京某某科技" },
	{ "Costco", "costco" },                            /* a Latin suffix must be a word */
	{ "Zinc Inc.", "zinc" },
	{ "Telco Corp", "telco" },
	{ "华为co", "华为" },                              /* after a Chinese character it is one */
	/* a bracket after the legal name is a note on it; one inside the name is part of it */
	{ "华为技术有限公司（深圳）", "华为技术" },
	{ "华为技术有限公司 (深圳)", "华为技术" },
	{ "华为技术有限公司【深圳】", "华为技术" },
	{ "某某科技有限公司（筹）", "某某科技" },
	{ "Acme Co., Ltd. (Shanghai)", "acme" },
	{ "华为技术（深圳）有限公司", "华为技术深圳" },
	{ "Acme (China)", "acmechina" },                   /* no legal name before the bracket */
	{ "某某科技有限公司（深圳）分部", "某某科技有限公司深圳分部" },
	{ "有限公司（深圳）", "有限公司深圳" },            /* would be empty: kept */
	{ "  ", "" },
	{ "", "" },
};

static void test_company_key_table(void **state)
{
	(void)state;
	check_keys("company", fnl__clean_company_key, company_cases, sizeof(company_cases) / sizeof(company_cases[0]));
}

/* The same company written differently gets one key; different companies do not. */
static void test_company_key_groups(void **state)
{
	static const char *const groups[][4] = {
		{ "上海某某科技有限公司", "上海某某科技", "上海某某科技股份有限公司",
		  "上海某某科技（集团）有限公司" },
		{ "Acme Co., Ltd.", "ACME co ltd", "Acme Limited", "acme inc." },
		{ "ＡＣＭＥ", "acme", "Acme", " ACME " },
		{ "华为技术有限公司", "华为技术有限公司（深圳）", "华为技术有限公司(深圳)", "华为技术" },
	};
	char first[128], key[128], other[128];
	size_t g, i;

	(void)state;
	for (g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
		assert_int_equal(fnl__clean_company_key(groups[g][0], first, sizeof(first)), 0);
		assert_true(first[0] != '\0');
		for (i = 1; i < 4; i++) {
			assert_int_equal(fnl__clean_company_key(groups[g][i], key, sizeof(key)), 0);
			if (strcmp(first, key) != 0)
				fail_msg("'%s' -> '%s' but '%s' -> '%s'", groups[g][0], first, groups[g][i], key);
		}
	}
	assert_int_equal(fnl__clean_company_key("北京某某科技有限公司", other, sizeof(other)), 0);
	assert_int_equal(fnl__clean_company_key("上海某某科技有限公司", first, sizeof(first)), 0);
	assert_string_not_equal(first, other);
}

static void test_company_key_small_out(void **state)
{
	char out[32];
	size_t j;

	(void)state;
	memset(out, SENTINEL, sizeof(out));
	/* "上海某某科技" is 18 bytes, but the key is built before the suffix goes */
	assert_int_equal(fnl__clean_company_key("上海某某科技有限公司", out, 20), -1);
	assert_string_equal(out, "上海某某科技");
	for (j = 20; j < sizeof(out); j++)
		assert_int_equal(out[j], SENTINEL);
	assert_int_equal(fnl__clean_company_key("上海某某科技有限公司", out, 31), 0);
	assert_string_equal(out, "上海某某科技");
	assert_int_equal(fnl__clean_company_key("上海", out, 0), -1);
	assert_int_equal(fnl__clean_company_key("上海", out, 6), -1);
	assert_string_equal(out, "上");
}

static const struct key_case name_cases[] = {
	{ "王 伟", "王伟" },
	{ "王伟", "王伟" },
	{ "王\u3000伟", "王伟" },
	{ " 王伟 ", "王伟" },
	{ "Li Na", "lina" },
	{ "li na", "lina" },
	{ "LINA", "lina" },
	{ " Ｌｉ\u3000Ｎａ ", "lina" },
	{ "", "" },
};

static void test_name_key_table(void **state)
{
	char out[64];

	(void)state;
	check_keys("name", fnl__clean_name_key, name_cases, sizeof(name_cases) / sizeof(name_cases[0]));
	assert_int_equal(fnl__clean_name_key("王伟", out, 6), -1);
	assert_string_equal(out, "王");
}

static const struct key_case wechat_cases[] = {
	{ "wxid_AbC123", "wxid_abc123" },
	{ " ＷｅＣｈａｔ＿ＩＤ ", "wechat_id" },
	{ "zhang-san", "zhang-san" },
	{ "10001", "10001" },                           /* an old ID: a QQ number */
	{ "13800138001", "13800138001" },               /* a phone: as phones are normalised */
	{ "+86 138-0013-8001", "13800138001" },
	{ "１３８ ００１３ ８００１", "13800138001" },
	{ "+44 20 7946 0958", "+442079460958" },
	{ "同手机", "" },                               /* not an ID: no key */
	{ "同手机号", "" },
	{ "微信同号", "" },
	{ "无", "" },
	{ "-", "" },
	{ "n/a", "" },
	{ "none", "" },                                 /* shorter than any ID */
	{ "zhang san", "" },
	{ "", "" },
	{ NULL, "" },
};

static void test_wechat_key_table(void **state)
{
	char out[64];

	(void)state;
	check_keys("wechat", fnl__clean_wechat_key, wechat_cases, sizeof(wechat_cases) / sizeof(wechat_cases[0]));
	assert_int_equal(fnl__clean_wechat_key("wxid_abcdef", out, 6), -1); /* too long for out */
}

static const struct key_case lower_cases[] = {
	{ "  Wang.Li@Corp.Example.CN ", "wang.li@corp.example.cn" },
	{ "ＷｅＣｈａｔ＿ＩＤ", "wechat_id" },
	{ "wxid_AbC123", "wxid_abc123" },
	{ "\u3000王 伟\u3000", "王 伟" },               /* trimmed, inner space kept */
	{ "", "" },
};

static void test_lower_key_table(void **state)
{
	char out[64];

	(void)state;
	check_keys("lower", fnl__clean_lower_key, lower_cases, sizeof(lower_cases) / sizeof(lower_cases[0]));
	assert_int_equal(fnl__clean_lower_key("ABCD", out, 4), -1);
	assert_string_equal(out, "abc");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold_table),
		cmocka_unit_test(test_fold_truncation),
		cmocka_unit_test(test_fold_zero_outlen),
		cmocka_unit_test(test_phone_table),
		cmocka_unit_test(test_phone_small_out),
		cmocka_unit_test(test_test_phone_table),
		cmocka_unit_test(test_email_table),
		cmocka_unit_test(test_email_length),
		cmocka_unit_test(test_has_word_table),
		cmocka_unit_test(test_has_word_long_text),
		cmocka_unit_test(test_company_key_table),
		cmocka_unit_test(test_company_key_groups),
		cmocka_unit_test(test_company_key_small_out),
		cmocka_unit_test(test_name_key_table),
		cmocka_unit_test(test_wechat_key_table),
		cmocka_unit_test(test_lower_key_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
