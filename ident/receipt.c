#include <string.h>

#include "ident_int.h"

/*
 * Receipt numbers: 3-letter office code + 10 digits.  Asterisks copied
 * from a notice are kept in the value and set aside while judging.
 */

#define PREFIX_LEN RECEIPT_PREFIX_LEN

static int has_receipt_shape(const char *k)
{
	return is_upper(k[0]) && is_upper(k[1]) && is_upper(k[2]) &&
	       all_digits(k + PREFIX_LEN, RECEIPT_LEN - PREFIX_LEN);
}

static int prefix_known(unsigned cls)
{
	return (cls & (PREFIX_COMMON | PREFIX_RARE)) != 0;
}

int receipt_is_valid(const struct ident_rules *rules, const char *s, size_t n)
{
	return n == RECEIPT_LEN && has_receipt_shape(s) &&
	       prefix_known(prefix_class(rules, s)) &&
	       !all_zeros(s + PREFIX_LEN, RECEIPT_LEN - PREFIX_LEN);
}

/* Copies s without its asterisks into core; returns the core's length. */
static size_t without_asterisks(const char *s, size_t n, char *core)
{
	size_t m = 0;

	for (size_t i = 0; i < n; i++)
		if (s[i] != '*')
			core[m++] = s[i];
	core[m] = '\0';
	return m;
}

/* Writes s with its non-asterisk characters taken from core, in order. */
static void with_asterisks(const char *s, size_t n, const char *core, char *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = s[i] == '*' ? '*' : *core++;
	out[n] = '\0';
}

/* Builds the look-alike repair of core into out (the full value, with
 * asterisks); returns 1 when it is a valid receipt number. */
static int lookalike_suggestion(const struct ident_rules *rules,
				const struct ident_cleaned *c, const char *core,
				size_t m, char *fixed_core, char *out, size_t outsize)
{
	if (m != RECEIPT_LEN || c->len >= outsize)
		return 0;
	memcpy(fixed_core, core, m + 1);
	if (lookalikes_to_letters(fixed_core, 0, PREFIX_LEN) < 0 ||
	    lookalikes_to_digits(fixed_core, PREFIX_LEN, RECEIPT_LEN) < 0 ||
	    !receipt_is_valid(rules, fixed_core, m))
		return 0;
	with_asterisks(c->s, c->len, fixed_core, out);
	return 1;
}

static void judge_layout(const struct ident_rules *rules, const char *d,
			 struct ident_verdict *v)
{
	switch (receipt_date_flaw(rules, d)) {
	case DATE_BAD_WORKDAY:
		verdict_add(v, rules, RECEIPT_IMPLAUSIBLE_DATE, NULL,
			    "workday 000 or past the last workday of a year");
		break;
	case DATE_FUTURE_YEAR:
		verdict_add(v, rules, RECEIPT_IMPLAUSIBLE_DATE, NULL,
			    "fiscal year later than the current one");
		break;
	case DATE_PLAUSIBLE:
		break;
	}
}

static void judge_prefix_and_digits(const struct ident_rules *rules,
				    const char *k, struct ident_verdict *v)
{
	unsigned cls = prefix_class(rules, k);

	if (!prefix_known(cls))
		verdict_add(v, rules, RECEIPT_UNKNOWN_PREFIX, NULL, NULL);
	else if (cls & PREFIX_RARE)
		verdict_add(v, rules, RECEIPT_RARE_PREFIX, NULL, NULL);
	if (all_zeros(k + PREFIX_LEN, RECEIPT_LEN - PREFIX_LEN))
		verdict_add(v, rules, RECEIPT_ALL_ZERO, NULL, NULL);
	else if (prefix_known(cls) && !(cls & PREFIX_NO_LAYOUT))
		judge_layout(rules, k + PREFIX_LEN, v);
}

int receipt_judge_as_is(const struct ident_rules *rules, const char *p, size_t n,
			struct ident_verdict *v)
{
	if (n != RECEIPT_LEN || !has_receipt_shape(p))
		return 0;
	judge_prefix_and_digits(rules, p, v);
	return 1;
}

void receipt_judge(const struct ident_rules *rules, struct ident_cleaned *c,
		   unsigned options, struct ident_verdict *v)
{
	char core[IDENT_VALUE_MAX], fixed_core[IDENT_VALUE_MAX];
	char suggestion[sizeof v->findings[0].suggestion];
	size_t m;

	/* The common case, a value of the right shape (so without asterisks,
	 * of the right length and with no bad character), needs only the
	 * prefix and digit rules. */
	if (c->len == RECEIPT_LEN && has_receipt_shape(c->s)) {
		judge_prefix_and_digits(rules, c->s, v);
		return;
	}
	m = without_asterisks(c->s, c->len, core);

	if (m != c->len)
		verdict_add(v, rules, RECEIPT_ASTERISK, NULL, NULL);
	if (m == RECEIPT_LEN - PREFIX_LEN && all_digits(core, m)) {
		verdict_add(v, rules, RECEIPT_MISSING_PREFIX, NULL, NULL);
		return;
	}
	if (count_chars(core, m) != RECEIPT_LEN) {
		verdict_add(v, rules, RECEIPT_BAD_LENGTH, NULL, NULL);
		return;
	}
	if (m != RECEIPT_LEN || !has_receipt_shape(core)) {
		int have = lookalike_suggestion(rules, c, core, m, fixed_core,
						suggestion, sizeof suggestion);

		if (!report_bad_character(rules, IDENT_RECEIPT, options,
					  have ? suggestion : NULL, v))
			return;
		memcpy(core, fixed_core, m + 1);
		memcpy(c->s, suggestion, c->len + 1);
	}
	judge_prefix_and_digits(rules, core, v);
}
