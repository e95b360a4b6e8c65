#ifndef CASEPIPE_IDENT_INT_H
#define CASEPIPE_IDENT_INT_H

/* Internals shared by the files of the identifier library; not an API. */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ident.h"

/*
 * Every code the library knows.  Each kind's block starts with the same
 * common codes in the same order, so common_code() can index them.
 */
enum ident_code {
	RECEIPT_MISSING, RECEIPT_PLACEHOLDER, RECEIPT_FLOAT_SUFFIX,
	RECEIPT_SCIENTIFIC_RECOVERED, RECEIPT_SCIENTIFIC_NOTATION,
	RECEIPT_REFORMATTED, RECEIPT_LOOKALIKE_FIXED, RECEIPT_BAD_CHARACTER,
	RECEIPT_ALL_ZERO,
	RECEIPT_BAD_LENGTH, RECEIPT_MISSING_PREFIX, RECEIPT_UNKNOWN_PREFIX,
	RECEIPT_RARE_PREFIX, RECEIPT_IMPLAUSIBLE_DATE, RECEIPT_ASTERISK,
	RECEIPT_DUPLICATE,

	ANUMBER_MISSING, ANUMBER_PLACEHOLDER, ANUMBER_FLOAT_SUFFIX,
	ANUMBER_SCIENTIFIC_RECOVERED, ANUMBER_SCIENTIFIC_NOTATION,
	ANUMBER_REFORMATTED, ANUMBER_LOOKALIKE_FIXED, ANUMBER_BAD_CHARACTER,
	ANUMBER_ALL_ZERO,
	ANUMBER_TOO_SHORT, ANUMBER_TOO_LONG, ANUMBER_REPEATED_DIGIT,
	ANUMBER_LOOKS_LIKE_RECEIPT, ANUMBER_LOOKS_LIKE_OAN, ANUMBER_PADDED,
	ANUMBER_CONFLICTING_NAME,

	OAN_MISSING, OAN_PLACEHOLDER, OAN_FLOAT_SUFFIX,
	OAN_SCIENTIFIC_RECOVERED, OAN_SCIENTIFIC_NOTATION,
	OAN_REFORMATTED, OAN_LOOKALIKE_FIXED, OAN_BAD_CHARACTER,
	OAN_ALL_ZERO,
	OAN_BAD_LENGTH, OAN_LOOKS_LIKE_ANUMBER, OAN_LOOKS_LIKE_RECEIPT,
	OAN_SHARED_ACCOUNT, OAN_UNEXPECTED_FOR_CONSULAR,
	OAN_MISSING_FOR_ONLINE_FILING,

	CODE_COUNT
};

/* Offsets of the common codes inside each kind's block. */
enum ident_common {
	COMMON_MISSING, COMMON_PLACEHOLDER, COMMON_FLOAT_SUFFIX,
	COMMON_SCIENTIFIC_RECOVERED, COMMON_SCIENTIFIC_NOTATION,
	COMMON_REFORMATTED, COMMON_LOOKALIKE_FIXED, COMMON_BAD_CHARACTER,
	COMMON_ALL_ZERO,
};

/* codes.c: the code table: name, documented severity, a short
 * description, and whether the code reports a repair.  The look-ups are inline, as verdict_add makes two for
 * every finding. */
struct code_info {
	const char *name;
	enum severity severity;
	const char *message;
	int repair;		/* struct ident_finding's repair */
};

extern const struct code_info ident_codes[CODE_COUNT];

enum ident_code common_code(enum ident_kind kind, enum ident_common which);
int code_lookup(const char *name);	/* enum ident_code, or -1 */

static inline const char *code_name(enum ident_code code)
{
	return ident_codes[code].name;
}

static inline enum severity code_default_severity(enum ident_code code)
{
	return ident_codes[code].severity;
}

static inline const char *code_default_message(enum ident_code code)
{
	return ident_codes[code].message;
}

/* Registry classes of a three-letter receipt prefix (bit flags). */
enum {
	PREFIX_COMMON = 1,
	PREFIX_RARE = 2,
	PREFIX_NO_LAYOUT = 4,	/* digits carry no known structure (IOE) */
};

#define IDENT_WORD_MAX 16
#define IDENT_MAX_WORDS 32

/* A short upper-case word with separators removed, as clean leaves it. */
struct ident_word {
	unsigned char len;
	char text[IDENT_WORD_MAX];
};

/* A new member must be compared in ident_rules_equal (rules.c) too,
 * unless it is derived from members that are. */
struct ident_rules {
	unsigned char prefix_class[26 * 26 * 26];
	int max_workday;
	int anumber_min_digits, anumber_max_digits;
	int oan_length;
	int fiscal_year;		/* 0: not set, skip the future check */
	int nplaceholders, nprefix_words;
	struct ident_word placeholders[IDENT_MAX_WORDS];
	struct ident_word prefix_words[IDENT_MAX_WORDS];
	enum severity severity[CODE_COUNT];
	unsigned char enabled[CODE_COUNT];
	/* Derived from the lengths and words when loaded: bit 1 << kind is
	 * set when no placeholder word is as long as the kind's canonical
	 * form and (A-Numbers) no prefix word starts with A, so that the
	 * fast path (as_is.c) may take a value of that form as it is. */
	unsigned char as_is_kinds;
};

static inline int is_digit(char c) { return c >= '0' && c <= '9'; }
static inline int is_upper(char c) { return c >= 'A' && c <= 'Z'; }

/* The registry class of three upper-case letters (0 when unknown); inline,
 * as every receipt number is judged with it. */
static inline unsigned prefix_class(const struct ident_rules *rules, const char *three)
{
	if (!is_upper(three[0]) || !is_upper(three[1]) || !is_upper(three[2]))
		return 0;
	return rules->prefix_class[((three[0] - 'A') * 26 + (three[1] - 'A')) * 26 +
				   (three[2] - 'A')];
}

/* A receipt number: a 3-letter office code and 10 digits. */
#define RECEIPT_LEN 13
#define RECEIPT_PREFIX_LEN 3

/* What is wrong with the date in the digits D of a receipt number whose
 * office code has the older layout (CCC YY DDD NNNNN; the newer CCC YY 9
 * DDD NNNN has 7, 8 or 9 in the third digit, which no workday up to 270
 * has). */
enum receipt_date_flaw { DATE_PLAUSIBLE, DATE_BAD_WORKDAY, DATE_FUTURE_YEAR };

static inline enum receipt_date_flaw receipt_date_flaw(const struct ident_rules *rules,
							const char *d)
{
	int year, workday;

	if (d[2] >= '7')
		return DATE_PLAUSIBLE;
	year = 2000 + (d[0] - '0') * 10 + (d[1] - '0');
	workday = (d[2] - '0') * 100 + (d[3] - '0') * 10 + (d[4] - '0');
	if (workday == 0 || workday > rules->max_workday)
		return DATE_BAD_WORKDAY;
	if (rules->fiscal_year != 0 && year > rules->fiscal_year)
		return DATE_FUTURE_YEAR;
	return DATE_PLAUSIBLE;
}

/* clean.c: steps 1-5 of IDENTIFIERS.md. */
enum clean_flag {
	CLEAN_REFORMATTED = 1u << 0,	/* spaces, wrappers, separators, case */
	CLEAN_PLACEHOLDER = 1u << 1,
	CLEAN_FLOAT_SUFFIX = 1u << 2,
	CLEAN_SCIENTIFIC_RECOVERED = 1u << 3,
	CLEAN_SCIENTIFIC_LOST = 1u << 4,
	CLEAN_OVERFLOW = 1u << 5,	/* too long for the buffer */
};

struct ident_cleaned {
	char s[IDENT_VALUE_MAX];	/* NUL-terminated */
	size_t len;
	unsigned flags;
};

void ident_clean(const struct ident_rules *rules, const char *p, size_t n,
		 struct ident_cleaned *out);

/* Step 5 alone: removes separators and folds case into out (outsize
 * bytes, NUL-terminated).  Returns the length written, or (size_t)-1 when
 * it does not fit.  Sets *changed when anything was removed or folded. */
size_t remove_separators(const char *p, size_t n, char *out, size_t outsize,
			 int *changed);

/* float.c: step 4, float damage. */
enum float_damage { FLOAT_NONE, FLOAT_SUFFIX, FLOAT_RECOVERED, FLOAT_LOST };
enum float_damage judge_float(const char *p, size_t n, char *digits,
			      size_t digitsize, size_t *ndigits);

/* The ASCII spaces and separators (chars.c has the multi-byte ones). */
static inline int is_ascii_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static inline int is_ascii_separator(unsigned char c)
{
	return c == '-' || c == '/' || c == '#' || is_ascii_space(c);
}

/* chars.c: byte-level character classes. */
size_t space_at(const char *p, size_t n);	/* bytes of a space at p */
size_t space_before(const char *p, size_t n);	/* bytes of a space ending at p+n */
size_t separator_at(const char *p, size_t n);	/* bytes of a separator at p */
size_t count_chars(const char *p, size_t n);	/* UTF-8 code points */

/*
 * all_digits, all_zeros and all_upper_or_digits: 1 when n > 0 and every
 * byte is a digit, a '0', or an upper-case letter or digit.  Inline, so
 * that the fixed lengths of the judges (10 digits of a receipt number)
 * become two word tests with no call (with prefix_class inline too,
 * callgrind, 100k rows through parse..validate: 835.1M -> 820.3M).
 */
/* Eight bytes at P as one word (values are short: a word at a time beats
 * a byte at a time for the digit runs of the three identifiers). */
static inline uint64_t load_word(const char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof w);
	return w;
}

#define IDENT_ONES UINT64_C(0x0101010101010101)
#define IDENT_HIGHS UINT64_C(0x8080808080808080)

/* Nonzero when a byte of W is not an ASCII digit.  A byte XOR '0' is below
 * 10 exactly for a digit; adding 0x76 sets its high bit when it is not.
 * Bytes of 0x80 and above carry into the next byte, but they are flagged
 * themselves, so the answer for the whole word is exact. */
static inline uint64_t nondigit_bytes(uint64_t w)
{
	uint64_t x = w ^ (IDENT_ONES * '0');

	return ((x + IDENT_ONES * 0x76) | x) & IDENT_HIGHS;
}

/* Whether no word of P[0..n), n >= 8, has a byte BAD flags; the last
 * word overlaps bytes already checked, which is harmless.  The first and
 * last words come first, so a value of up to 16 bytes (all three
 * identifiers) needs no loop; the same in copy_value and same_value
 * (callgrind, 100k rows through parse..normalise..validate: 598.7M ->
 * 591.6M for the three). */
static inline int all_words_pass(const char *p, size_t n, uint64_t (*bad)(uint64_t))
{
	if (bad(load_word(p)) || bad(load_word(p + n - 8)))
		return 0;
	for (size_t i = 8; i + 8 < n; i += 8)
		if (bad(load_word(p + i)))
			return 0;
	return 1;
}

static inline int all_digits(const char *p, size_t n)
{
	if (n >= 8)
		return all_words_pass(p, n, nondigit_bytes);
	for (size_t i = 0; i < n; i++)
		if (!is_digit(p[i]))
			return 0;
	return n > 0;
}

/* Nonzero when a byte of W is not '0'. */
static inline uint64_t nonzero_digit_bytes(uint64_t w)
{
	return w ^ (IDENT_ONES * '0');
}

static inline int all_zeros(const char *p, size_t n)
{
	if (n >= 8)
		return all_words_pass(p, n, nonzero_digit_bytes);
	for (size_t i = 0; i < n; i++)
		if (p[i] != '0')
			return 0;
	return n > 0;
}

/* Nonzero when a byte of W is not an ASCII digit or upper-case letter.
 * For a byte below 0x80, adding 0x80 - LO sets its high bit when it is at
 * least LO, and adding 0x7F - HI when it is above HI, with no carry into
 * the next byte; bytes of 0x80 and above are flagged by W itself, so the
 * answer for the whole word is exact. */
static inline uint64_t not_upper_or_digit_bytes(uint64_t w)
{
	uint64_t digit = (w + IDENT_ONES * (0x80 - '0')) & ~(w + IDENT_ONES * (0x7F - '9'));
	uint64_t upper = (w + IDENT_ONES * (0x80 - 'A')) & ~(w + IDENT_ONES * (0x7F - 'Z'));

	return (((digit | upper) & IDENT_HIGHS) ^ IDENT_HIGHS) | (w & IDENT_HIGHS);
}

static inline int all_upper_or_digits(const char *p, size_t n)
{
	if (n >= 8)
		return all_words_pass(p, n, not_upper_or_digit_bytes);
	for (size_t i = 0; i < n; i++)
		if (!is_upper(p[i]) && !is_digit(p[i]))
			return 0;
	return n > 0;
}

/*
 * Whether cleaning would leave the value as it is: upper-case ASCII letters
 * and digits only, and not the digit-E start of scientific notation.  Most
 * values in a real export are like this, and validate runs after normalise,
 * so this saves the five steps for the common case.
 */
static inline int already_clean(const char *p, size_t n)
{
	if (n == 0 || n >= IDENT_VALUE_MAX || (n >= 2 && is_digit(p[0]) && p[1] == 'E'))
		return 0;
	return all_upper_or_digits(p, n);
}

/*
 * copy_value and same_value: memcpy and memcmp == 0 for the N < 64 bytes
 * of a value, a word at a time (the last word overlapping) with no call:
 * callgrind, 100k rows through parse..validate: 782.7M -> 776.8M.
 */
static inline void copy_value(char *dst, const char *src, size_t n)
{
	if (n < 8) {
		for (size_t i = 0; i < n; i++)
			dst[i] = src[i];
		return;
	}
	memcpy(dst, src, 8);
	memcpy(dst + n - 8, src + n - 8, 8);
	for (size_t i = 8; i + 8 < n; i += 8)
		memcpy(dst + i, src + i, 8);
}

static inline int same_value(const char *a, const char *b, size_t n)
{
	if (n < 8) {
		for (size_t i = 0; i < n; i++)
			if (a[i] != b[i])
				return 0;
		return 1;
	}
	uint64_t diff = (load_word(a) ^ load_word(b)) | (load_word(a + n - 8) ^ load_word(b + n - 8));
	for (size_t i = 8; i + 8 < n; i += 8)
		diff |= load_word(a + i) ^ load_word(b + i);
	return diff == 0;
}

/* lookalike.c: rewrite look-alikes in s[from, to); -1 if a character
 * there is neither the wanted class nor a look-alike of it. */
int lookalikes_to_digits(char *s, size_t from, size_t to);
int lookalikes_to_letters(char *s, size_t from, size_t to);

/* Reports a bad character with its suggestion (NULL when none), or, when
 * the caller opted in and a suggestion exists, the look-alike repair.
 * Returns 1 when the caller should go on with the repaired value. */
int report_bad_character(const struct ident_rules *rules, enum ident_kind kind,
			 unsigned options, const char *suggestion,
			 struct ident_verdict *v);

/* verdict.c: adding findings. */
void verdict_add(struct ident_verdict *v, const struct ident_rules *rules,
		 enum ident_code code, const char *suggestion,
		 const char *message);

/* The per-kind judges: they add findings and leave the canonical value in
 * c (which they may rewrite).  They run only on a non-empty value. */
void receipt_judge(const struct ident_rules *rules, struct ident_cleaned *c,
		   unsigned options, struct ident_verdict *v);
void anumber_judge(const struct ident_rules *rules, struct ident_cleaned *c,
		   unsigned options, struct ident_verdict *v);
void oan_judge(const struct ident_rules *rules, struct ident_cleaned *c,
	       unsigned options, struct ident_verdict *v);

/*
 * The fast path's judges, for a value of 1 to 63 bytes that no placeholder
 * word can match: when the value is already in the kind's canonical form
 * (so cleaning would leave it as it is and the judge would not rewrite
 * it), they add the findings the general judge would, in the same order,
 * and return 1; otherwise they return 0 and leave v alone.
 */
int receipt_judge_as_is(const struct ident_rules *rules, const char *p, size_t n,
			struct ident_verdict *v);
int anumber_judge_as_is(const struct ident_rules *rules, const char *p, size_t n,
			struct ident_verdict *v);
int oan_judge_as_is(const struct ident_rules *rules, const char *p, size_t n,
		    struct ident_verdict *v);

/*
 * ident_check's two paths, for the test that proves them equal.
 * ident_check_as_is (as_is.c) is the fast path: it returns 1 with *out
 * filled as ident_check would fill it, or 0 (with *out in no defined
 * state) when the value needs the general path, ident_check_general
 * (check.c), which cleans and judges every value.
 */
int ident_check_as_is(const struct ident_rules *rules, enum ident_kind kind,
		      const char *value, size_t len, unsigned options,
		      struct ident_verdict *out);
int ident_check_general(const struct ident_rules *rules, enum ident_kind kind,
			const char *value, size_t len, unsigned options,
			struct ident_verdict *out);

/* check.c: settles a verdict with an error: drops its info findings (the
 * repairs) and keeps the input LEN bytes at VALUE as the value. */
void keep_input(struct ident_verdict *v, const char *value, size_t len);

/* receipt.c: 1 when s is a receipt number valid in form and prefix. */
int receipt_is_valid(const struct ident_rules *rules, const char *s, size_t n);

#endif
