#ifndef CASEPIPE_IDENT_H
#define CASEPIPE_IDENT_H

/*
 * The identifier library: cleans, checks and canonicalises the three USCIS
 * identifiers (receipt number, A-Number, online account number) as
 * IDENTIFIERS.md describes.  Ownership: rules are owned by the caller and
 * freed with ident_rules_free; a verdict is a plain value the caller owns,
 * and its code and message pointers point at static text that never dies.
 *
 * Values are byte strings (pointer and length): they need not be
 * NUL-terminated, may hold any bytes, and are never read past their length.
 * ident_check allocates nothing and keeps no global state, so one set of
 * rules may be shared by any number of threads once it is fully set up.
 */

#include <stddef.h>

#include "severity.h"

enum ident_kind {
	IDENT_RECEIPT,
	IDENT_ANUMBER,
	IDENT_OAN,
};

/* Options for ident_check, or-ed together. */
enum ident_option {
	/* Apply look-alike repairs (letter O for zero, I or l for one, and
	 * 0/1 for O/I in a receipt prefix) instead of only suggesting them. */
	IDENT_FIX_LOOKALIKES = 1u << 0,
	/* The field is required: an empty value is reported as *.missing. */
	IDENT_REQUIRED = 1u << 1,
};

/* Loaded rule data: prefix registry, lengths, placeholder words, today's
 * fiscal year, and per-code severities and switches. */
struct ident_rules;

/* One issue found in a value.  code is e.g. "receipt.bad_length";
 * suggestion is "" unless a look-alike substitution gives a valid value;
 * message is a short static description that never contains the value. */
struct ident_finding {
	const char *code;
	enum severity severity;
	/* 1 when the code reports a repair normalisation made to the value
	 * (*.reformatted, placeholder, float_suffix, scientific_recovered,
	 * lookalike_fixed, anumber.padded), 0 for what is wrong with it. */
	int repair;
	char suggestion[24];
	const char *message;
};

#define IDENT_MAX_FINDINGS 8
#define IDENT_VALUE_MAX 64

/*
 * The result of checking one value.  When changed is 1, value and len hold
 * the normalised value (canonical form, or "" for a placeholder) and the
 * caller should store it.  When changed is 0 the normalised value is the
 * input itself: value holds a copy of it when it fits, else value is ""
 * and len is 0, so callers should keep their input whenever changed is 0.
 * A value with an error finding is never rewritten (changed is 0).
 */
struct ident_verdict {
	char value[IDENT_VALUE_MAX];
	size_t len;
	int changed;
	int empty;            /* no value after cleaning (empty or placeholder) */
	int nerrors;          /* findings of severity error */
	int nfindings;
	struct ident_finding findings[IDENT_MAX_FINDINGS];
};

/*
 * Loads the receipt-prefix registry and the identifier data (the formats
 * of schemas/receipt-prefixes.json and schemas/identifiers.json).  Returns
 * the rules, or NULL with a message in err naming the file (and, for a
 * JSON syntax error, line:column); errno is then ENOMEM when memory ran
 * out and EINVAL when a file is wrong.  Every code starts at its documented
 * severity and switched on; no fiscal year is set.
 */
struct ident_rules *ident_rules_load(const char *prefixes_path,
				     const char *identifiers_path,
				     char *err, size_t errlen);

/*
 * Applies a rules file ({"codes": {"receipt.rare_prefix": "info",
 * "anumber.repeated_digit": "off"}}) to loaded rules.  Returns 0, or -1
 * with a message in err and errno as for ident_rules_load; on failure the
 * rules are left unchanged.
 */
int ident_rules_apply_overrides(struct ident_rules *rules,
				const char *rules_path, char *err, size_t errlen);

/*
 * Sets "today" from a YYYY-MM-DD date, which fixes the current fiscal year
 * (it starts on 1 October) for receipt.implausible_date.  Returns 0, or -1
 * when the date is not a valid YYYY-MM-DD date.  Until it is called, the
 * future-fiscal-year check is skipped; the library never reads the clock.
 */
int ident_rules_set_today(struct ident_rules *rules, const char *yyyy_mm_dd);

/*
 * Looks up a code (any code in IDENTIFIERS.md, including the cross-record
 * and cross-field ones the stages report).  Returns 1 and stores its
 * effective severity in *sev when the code is on, 0 when a rules file
 * switched it off, and -1 when the code is unknown.
 */
int ident_rules_code(const struct ident_rules *rules, const char *code,
		     enum severity *sev);

/*
 * Returns 1 when A and B hold the same rule data (prefix registry,
 * lengths, words, fiscal year, severities and switches), so that
 * ident_check gives the same verdict with either for every value and
 * options; 0 otherwise.  Two loads of the same files with the same rules
 * file and a date in the same fiscal year are equal.
 */
int ident_rules_equal(const struct ident_rules *a, const struct ident_rules *b);

/* Frees rules from ident_rules_load; NULL is allowed. */
void ident_rules_free(struct ident_rules *rules);

/*
 * Cleans and checks one value of the given kind, filling *out.  options is
 * a set of enum ident_option flags.  Returns the number of error findings,
 * or -1 (with *out emptied) when kind is not an enum ident_kind.
 */
int ident_check(const struct ident_rules *rules, enum ident_kind kind,
		const char *value, size_t len, unsigned options,
		struct ident_verdict *out);

/* Returns the finding with the given code in a verdict, or NULL. */
const struct ident_finding *ident_verdict_find(const struct ident_verdict *v,
					       const char *code);

/* Returns "receipt", "anumber" or "oan", the prefix of the kind's codes. */
const char *ident_kind_name(enum ident_kind kind);

/*
 * Writes VALUE masked for messages: every character but the last four
 * becomes '*', e.g. A012345678 -> ******5678.  Characters are UTF-8 code
 * points.  To never reveal most of a short value, at most half of the
 * characters are shown.  Writes at most outsize bytes including a final
 * NUL and returns the length the full mask needs, as snprintf does.
 */
size_t ident_mask(const char *value, size_t len, char *out, size_t outsize);

#endif
