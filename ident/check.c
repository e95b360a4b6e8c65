#include <string.h>

#include "ident_int.h"

typedef void judge_fn(const struct ident_rules *rules, struct ident_cleaned *c,
		      unsigned options, struct ident_verdict *v);

static judge_fn *const judges[] = {
	[IDENT_RECEIPT] = receipt_judge,
	[IDENT_ANUMBER] = anumber_judge,
	[IDENT_OAN] = oan_judge,
};

/* The length error for a value too long to clean into the buffer. */
static const enum ident_code overflow_codes[] = {
	[IDENT_RECEIPT] = RECEIPT_BAD_LENGTH,
	[IDENT_ANUMBER] = ANUMBER_TOO_LONG,
	[IDENT_OAN] = OAN_BAD_LENGTH,
};

static void report_cleaning(const struct ident_rules *rules,
			    enum ident_kind kind, unsigned flags,
			    struct ident_verdict *v)
{
	if (flags & CLEAN_PLACEHOLDER)
		verdict_add(v, rules, common_code(kind, COMMON_PLACEHOLDER), NULL, NULL);
	if (flags & CLEAN_FLOAT_SUFFIX)
		verdict_add(v, rules, common_code(kind, COMMON_FLOAT_SUFFIX), NULL, NULL);
	if (flags & CLEAN_SCIENTIFIC_RECOVERED)
		verdict_add(v, rules, common_code(kind, COMMON_SCIENTIFIC_RECOVERED), NULL, NULL);
	if (flags & CLEAN_SCIENTIFIC_LOST)
		verdict_add(v, rules, common_code(kind, COMMON_SCIENTIFIC_NOTATION), NULL, NULL);
}

/* An error means nothing is rewritten: the info findings (repairs) go,
 * and the value stays exactly as given. */
void keep_input(struct ident_verdict *v, const char *value, size_t len)
{
	int kept = 0;

	for (int i = 0; i < v->nfindings; i++)
		if (v->findings[i].severity != SEV_INFO)
			v->findings[kept++] = v->findings[i];
	v->nfindings = kept;
	v->changed = 0;
	if (len < sizeof v->value) {
		memcpy(v->value, value, len);
		v->len = len;
	} else {
		v->len = 0;
	}
	v->value[v->len] = '\0';
}

static void use_cleaned(const struct ident_rules *rules, enum ident_kind kind,
			const struct ident_cleaned *c, const char *value,
			size_t len, struct ident_verdict *v)
{
	/* The whole buffer, a fixed size the compiler copies inline (a call
	 * to memcpy for len + 1 bytes cost more than the copy). */
	_Static_assert(sizeof v->value == sizeof c->s, "value buffers of one size");
	memcpy(v->value, c->s, sizeof v->value);
	v->len = c->len;
	v->changed = c->len != len || !same_value(c->s, value, len); /* c->len < 64 */
	if (v->changed && (c->flags & CLEAN_REFORMATTED) &&
	    !(c->flags & CLEAN_PLACEHOLDER))
		verdict_add(v, rules, common_code(kind, COMMON_REFORMATTED), NULL, NULL);
}

/*
 * ident_clean, with its two commonest results inline: an empty value, and
 * an already clean one longer than every placeholder word (the words are
 * sorted longest first, so none can match it).  Saves the call and the
 * placeholder search (callgrind, 100k rows through parse..normalise..
 * validate: ident_check with its calls 89.9M -> 80.8M).
 */
static inline void clean(const struct ident_rules *rules, const char *p, size_t n,
			 struct ident_cleaned *c)
{
	if (n == 0 || (already_clean(p, n) &&
		       (rules->nplaceholders == 0 || n > rules->placeholders[0].len))) {
		copy_value(c->s, p, n);
		c->s[n] = '\0';
		c->len = n;
		c->flags = 0;
		return;
	}
	ident_clean(rules, p, n, c);
}

/* ident_check's general path (ident_int.h); ident_check itself, with
 * its fast path, is in as_is.c. */
int ident_check_general(const struct ident_rules *rules, enum ident_kind kind,
			const char *value, size_t len, unsigned options,
			struct ident_verdict *v)
{
	struct ident_cleaned c;

	v->nfindings = v->nerrors = v->changed = v->empty = 0;
	v->len = 0;
	v->value[0] = '\0';
	if ((unsigned)kind > IDENT_OAN)
		return -1;

	clean(rules, value, len, &c);
	report_cleaning(rules, kind, c.flags, v);
	if (c.flags & CLEAN_SCIENTIFIC_LOST) {
		/* The digits are gone: nothing more can be judged. */
	} else if (c.flags & CLEAN_OVERFLOW) {
		verdict_add(v, rules, overflow_codes[kind], NULL, NULL);
	} else if (c.len == 0) {
		v->empty = 1;
		if (options & IDENT_REQUIRED)
			verdict_add(v, rules, common_code(kind, COMMON_MISSING), NULL, NULL);
	} else {
		judges[kind](rules, &c, options, v);
	}

	if (v->nerrors > 0)
		keep_input(v, value, len);
	else
		use_cleaned(rules, kind, &c, value, len, v);
	return v->nerrors;
}
