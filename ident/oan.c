#include <string.h>

#include "ident_int.h"

/* USCIS online account numbers: a fixed number of digits (schema data). */

static int looks_like_anumber(const struct ident_rules *rules, const char *s,
			      size_t n)
{
	return n >= 1 && s[0] == 'A' && all_digits(s + 1, n - 1) &&
	       n - 1 >= (size_t)rules->anumber_min_digits &&
	       n - 1 <= (size_t)rules->anumber_max_digits;
}

static int lookalike_suggestion(const struct ident_rules *rules,
				const char *s, size_t n, char *out,
				size_t outsize)
{
	if (n >= outsize)
		return 0;
	memcpy(out, s, n + 1);
	return lookalikes_to_digits(out, 0, n) >= 0 &&
	       n == (size_t)rules->oan_length && !all_zeros(out, n);
}

/* Digits only, as many as an account number has: oan_judge's common
 * case, where only the all-zero rule can apply. */
int oan_judge_as_is(const struct ident_rules *rules, const char *p, size_t n,
		    struct ident_verdict *v)
{
	if (n != (size_t)rules->oan_length || !all_digits(p, n))
		return 0;
	if (all_zeros(p, n))
		verdict_add(v, rules, OAN_ALL_ZERO, NULL, NULL);
	return 1;
}

void oan_judge(const struct ident_rules *rules, struct ident_cleaned *c,
	       unsigned options, struct ident_verdict *v)
{
	char suggestion[sizeof v->findings[0].suggestion];
	size_t want = (size_t)rules->oan_length;

	if (receipt_is_valid(rules, c->s, c->len)) {
		verdict_add(v, rules, OAN_LOOKS_LIKE_RECEIPT, NULL, NULL);
		return;
	}
	if (looks_like_anumber(rules, c->s, c->len)) {
		verdict_add(v, rules, OAN_LOOKS_LIKE_ANUMBER, NULL, NULL);
		return;
	}
	if (!all_digits(c->s, c->len)) {
		int have = lookalike_suggestion(rules, c->s, c->len, suggestion,
						sizeof suggestion);

		if (!report_bad_character(rules, IDENT_OAN, options,
					  have ? suggestion : NULL, v))
			return;
		memcpy(c->s, suggestion, c->len + 1);
	}
	if (c->len != want)
		verdict_add(v, rules, OAN_BAD_LENGTH, NULL,
			    c->len + 1 == want ?
			    "one digit short: a leading zero may have been lost" : NULL);
	else if (all_zeros(c->s, c->len))
		verdict_add(v, rules, OAN_ALL_ZERO, NULL, NULL);
}
