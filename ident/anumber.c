#include <string.h>

#include "ident_int.h"

/*
 * A-Numbers: A + 7 to 9 digits, canonical A + 9 digits.  Accepted forms
 * include a leading prefix word (USCIS#) and bare digits without the A.
 */

/* Length of a listed prefix word (e.g. USCIS) that s starts with, or 0. */
static size_t prefix_word_len(const struct ident_rules *rules, const char *s,
			      size_t n)
{
	for (int i = 0; i < rules->nprefix_words; i++) {
		const struct ident_word *w = &rules->prefix_words[i];

		/* Words are never empty (rules.c drops them). */
		if (w->len <= n && s[0] == w->text[0] && memcmp(s, w->text, w->len) == 0)
			return w->len;
	}
	return 0;
}

static int digits_acceptable(const struct ident_rules *rules, const char *d,
			     size_t m)
{
	return m >= (size_t)rules->anumber_min_digits &&
	       m <= (size_t)rules->anumber_max_digits && !all_zeros(d, m);
}

/* Writes A + the digits zero-padded to the canonical count into out. */
static size_t canonical(const struct ident_rules *rules, const char *d,
			size_t m, char *out)
{
	size_t width = (size_t)rules->anumber_max_digits;
	size_t pad = m < width ? width - m : 0;

	out[0] = 'A';
	memset(out + 1, '0', pad);
	memcpy(out + 1 + pad, d, m);
	out[1 + pad + m] = '\0';
	return 1 + pad + m;
}

static int one_digit_repeated(const char *d, size_t m)
{
	for (size_t i = 1; i < m; i++)
		if (d[i] != d[0])
			return 0;
	return 1;
}

/* Reports the digit-count and digit-value rules; 1 when acceptable. */
static int judge_digits(const struct ident_rules *rules, const char *d,
			size_t m, struct ident_verdict *v)
{
	if (m == (size_t)rules->oan_length)
		verdict_add(v, rules, ANUMBER_LOOKS_LIKE_OAN, NULL, NULL);
	else if (m > (size_t)rules->anumber_max_digits)
		verdict_add(v, rules, ANUMBER_TOO_LONG, NULL, NULL);
	else if (m < (size_t)rules->anumber_min_digits)
		verdict_add(v, rules, ANUMBER_TOO_SHORT, NULL, NULL);
	else if (all_zeros(d, m))
		verdict_add(v, rules, ANUMBER_ALL_ZERO, NULL, NULL);
	else {
		if (one_digit_repeated(d, m))
			verdict_add(v, rules, ANUMBER_REPEATED_DIGIT, NULL, NULL);
		return 1;
	}
	return 0;
}

/* A and every digit, with no prefix word to remove: anumber_judge's
 * canonical case. */
int anumber_judge_as_is(const struct ident_rules *rules, const char *p, size_t n,
			struct ident_verdict *v)
{
	size_t m = n - 1;

	if (p[0] != 'A' || m != (size_t)rules->anumber_max_digits || !all_digits(p + 1, m) ||
	    receipt_is_valid(rules, p, n) || prefix_word_len(rules, p, n) != 0)
		return 0;
	judge_digits(rules, p + 1, m, v);
	return 1;
}

void anumber_judge(const struct ident_rules *rules, struct ident_cleaned *c,
		   unsigned options, struct ident_verdict *v)
{
	char digits[IDENT_VALUE_MAX];
	char suggestion[sizeof v->findings[0].suggestion];
	size_t skip, m;
	int have = 0;

	if (receipt_is_valid(rules, c->s, c->len)) {
		verdict_add(v, rules, ANUMBER_LOOKS_LIKE_RECEIPT, NULL, NULL);
		return;
	}
	skip = prefix_word_len(rules, c->s, c->len);
	if (skip < c->len && c->s[skip] == 'A')
		skip++;
	if (skip != 1)		/* a word was removed, or the A added */
		c->flags |= CLEAN_REFORMATTED;
	m = c->len - skip;
	/* Already canonical (A and every digit): judged in place, as
	 * canonical() would write the same bytes back. */
	if (skip == 1 && c->s[0] == 'A' && m == (size_t)rules->anumber_max_digits &&
	    all_digits(c->s + 1, m)) {
		judge_digits(rules, c->s + 1, m, v);
		return;
	}
	memcpy(digits, c->s + skip, m + 1);

	if (m > 0 && !all_digits(digits, m)) {
		char fixed[IDENT_VALUE_MAX];

		memcpy(fixed, digits, m + 1);
		if (lookalikes_to_digits(fixed, 0, m) >= 0 &&
		    digits_acceptable(rules, fixed, m) &&
		    m < sizeof suggestion - 1) {
			canonical(rules, fixed, m, suggestion);
			have = 1;
		}
		if (!report_bad_character(rules, IDENT_ANUMBER, options,
					  have ? suggestion : NULL, v))
			return;
		memcpy(digits, fixed, m + 1);
	}
	if (!judge_digits(rules, digits, m, v))
		return;
	if (m < (size_t)rules->anumber_max_digits)
		verdict_add(v, rules, ANUMBER_PADDED, NULL, NULL);
	c->len = canonical(rules, digits, m, c->s);
}
