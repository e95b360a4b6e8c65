#include "ident_int.h"

/*
 * ident_check and its fast path.  Most values are empty or already in
 * their kind's canonical form (on the bench data four in five that
 * normalise sees, and every value validate re-judges after it).  For such
 * a value cleaning changes nothing and the judge rewrites nothing, so the
 * verdict is the judge's findings on the value as it is.  A canonical
 * value that draws no finding at all, the common case, is recognised by
 * the quiet tests below with no judge called (callgrind, 100k rows
 * through parse..normalise..validate: 554.3M -> 523.8M).  test_ident_as_is
 * proves that the fast path gives the general path's verdict.
 */

/* An office code listed as common, 10 digits (two overlapping words)
 * not all zero, and a plausible date where the layout has one. */
static inline int receipt_quiet(const struct ident_rules *rules, const char *p)
{
	uint64_t lo = load_word(p + RECEIPT_PREFIX_LEN);
	uint64_t hi = load_word(p + RECEIPT_LEN - 8);
	unsigned cls = prefix_class(rules, p);

	if ((nondigit_bytes(lo) | nondigit_bytes(hi)) != 0)
		return 0;
	if ((cls & ~PREFIX_NO_LAYOUT) != PREFIX_COMMON ||
	    ((lo ^ (IDENT_ONES * '0')) | (hi ^ (IDENT_ONES * '0'))) == 0)
		return 0;	/* unknown, rare, or all zero */
	return (cls & PREFIX_NO_LAYOUT) ||
	       receipt_date_flaw(rules, p + RECEIPT_PREFIX_LEN) == DATE_PLAUSIBLE;
}

/* A and as many digits as the canonical form has, not all one digit, and
 * not as many as an account number. */
static inline int anumber_quiet(const struct ident_rules *rules, const char *p, size_t n)
{
	size_t m = n - 1;

	if (p[0] != 'A' || m == (size_t)rules->oan_length || !all_digits(p + 1, m))
		return 0;
	for (size_t i = 2; i <= m; i++)
		if (p[i] != p[1])
			return 1;
	return 0;
}

/* Whether VALUE is canonical for KIND (or empty and not required) and
 * draws no finding, so that its verdict is the value itself alone. */
__attribute__((always_inline)) static inline int quiet(const struct ident_rules *rules,
							 enum ident_kind kind, const char *value,
							 size_t len, unsigned options)
{
	if (len == 0)
		return !(options & IDENT_REQUIRED) && (unsigned)kind <= IDENT_OAN;
	switch (kind) {
	case IDENT_RECEIPT:
		return len == RECEIPT_LEN && (rules->as_is_kinds & (1u << IDENT_RECEIPT)) &&
		       receipt_quiet(rules, value);
	case IDENT_ANUMBER:
		return len == (size_t)rules->anumber_max_digits + 1 &&
		       (rules->as_is_kinds & (1u << IDENT_ANUMBER)) &&
		       anumber_quiet(rules, value, len);
	case IDENT_OAN:
		return len == (size_t)rules->oan_length && (rules->as_is_kinds & (1u << IDENT_OAN)) &&
		       all_digits(value, len) && !all_zeros(value, len);
	}
	return 0;
}

/* The fast path for a canonical value that draws findings, and for an
 * empty one: the kind's judge_as_is gives the findings. */
__attribute__((always_inline)) static inline int judge_as_is(const struct ident_rules *rules,
							       enum ident_kind kind,
							       const char *value, size_t len,
							       unsigned options,
							       struct ident_verdict *v)
{
	int judged;

	if ((unsigned)kind > IDENT_OAN)
		return 0;
	v->nfindings = v->nerrors = 0;
	if (len == 0) {
		/* Empty: clean leaves it so, and the judges never see it. */
		v->empty = 1;
		if (options & IDENT_REQUIRED)
			verdict_add(v, rules, common_code(kind, COMMON_MISSING), NULL, NULL);
	} else {
		if (!(rules->as_is_kinds & (1u << kind)))
			return 0;	/* it might be a placeholder word */
		/* The judges check the length too; checked here first, the
		 * values of another length (most that come here) make no call. */
		switch (kind) {
		case IDENT_RECEIPT:
			judged = len == RECEIPT_LEN && receipt_judge_as_is(rules, value, len, v);
			break;
		case IDENT_ANUMBER:
			judged = len == (size_t)rules->anumber_max_digits + 1 &&
				 anumber_judge_as_is(rules, value, len, v);
			break;
		default:
			judged = len == (size_t)rules->oan_length &&
				 oan_judge_as_is(rules, value, len, v);
			break;
		}
		if (!judged)
			return 0;
		v->empty = 0;
	}
	if (v->nerrors > 0) {
		keep_input(v, value, len);
	} else {
		copy_value(v->value, value, len);
		v->value[len] = '\0';
		v->len = len;
		v->changed = 0;
	}
	return 1;
}

/* Fills *v for a quiet value: no findings, the value kept as it is. */
static inline void keep_quiet(const char *value, size_t len, struct ident_verdict *v)
{
	v->nfindings = v->nerrors = v->changed = 0;
	v->empty = len == 0;
	copy_value(v->value, value, len);
	v->value[len] = '\0';
	v->len = len;
}

/* The fast path: 1 when it filled *v. */
__attribute__((always_inline)) static inline int fast_path(const struct ident_rules *rules,
							     enum ident_kind kind,
							     const char *value, size_t len,
							     unsigned options,
							     struct ident_verdict *v)
{
	if (quiet(rules, kind, value, len, options)) {
		keep_quiet(value, len, v);
		return 1;
	}
	return judge_as_is(rules, kind, value, len, options, v);
}

int ident_check_as_is(const struct ident_rules *rules, enum ident_kind kind,
		      const char *value, size_t len, unsigned options,
		      struct ident_verdict *v)
{
	return fast_path(rules, kind, value, len, options, v);
}

/* All but the quiet values, out of line so that ident_check saves no
 * registers for them (with both paths in one function: 531.4M rather
 * than 523.8M, callgrind as above). */
static __attribute__((noinline)) int check_loud(const struct ident_rules *rules,
					       enum ident_kind kind, const char *value,
					       size_t len, unsigned options,
					       struct ident_verdict *v)
{
	if (judge_as_is(rules, kind, value, len, options, v))
		return v->nerrors;
	return ident_check_general(rules, kind, value, len, options, v);
}

int ident_check(const struct ident_rules *rules, enum ident_kind kind,
		const char *value, size_t len, unsigned options,
		struct ident_verdict *v)
{
	if (quiet(rules, kind, value, len, options)) {
		keep_quiet(value, len, v);
		return 0;
	}
	return check_loud(rules, kind, value, len, options, v);
}
