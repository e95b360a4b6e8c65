#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ident_int.h"
#include "rules_json.h"

/*
 * Loading the schema data: the receipt-prefix registry and the identifier
 * settings (see schemas/README.md for both formats).
 */

static unsigned char *prefix_slot(struct ident_rules *rules, const char *code)
{
	if (strlen(code) != 3 || !is_upper(code[0]) || !is_upper(code[1]) ||
	    !is_upper(code[2]))
		return NULL;
	return &rules->prefix_class[((code[0] - 'A') * 26 + (code[1] - 'A')) * 26 +
				    (code[2] - 'A')];
}

static int load_prefix_list(struct ident_rules *rules, json_t *root,
			    const char *key, unsigned cls, struct json_ctx *ctx)
{
	json_t *list = json_object_get(root, key), *name;
	const char *code;

	if (!json_is_object(list))
		return ctx_fail(ctx, "%s: expected an object of office codes", key);
	json_object_foreach(list, code, name) {
		unsigned char *slot = prefix_slot(rules, code);

		if (!slot)
			return ctx_fail(ctx, "%s: \"%s\" is not 3 upper-case letters", key, code);
		if (*slot)
			return ctx_fail(ctx, "%s: \"%s\" is listed twice", key, code);
		if (!json_is_string(name))
			return ctx_fail(ctx, "%s.%s: expected a description string", key, code);
		*slot = (unsigned char)cls;
	}
	return 0;
}

static int load_no_layout(struct ident_rules *rules, json_t *root,
			  struct json_ctx *ctx)
{
	json_t *list = json_object_get(root, "no_layout"), *item;
	size_t i;

	if (!list)
		return 0;
	if (!json_is_array(list))
		return ctx_fail(ctx, "no_layout: expected an array of office codes");
	json_array_foreach(list, i, item) {
		unsigned char *slot = json_is_string(item) ?
			prefix_slot(rules, json_string_value(item)) : NULL;

		if (!slot || !*slot)
			return ctx_fail(ctx, "no_layout[%zu]: not a listed office code", i);
		*slot |= PREFIX_NO_LAYOUT;
	}
	return 0;
}

static int load_prefixes(struct ident_rules *rules, const char *path,
			 char *err, size_t errlen)
{
	static const char *const keys[] = { "description", "common", "rare", "no_layout", NULL };
	struct json_ctx ctx = { path, err, errlen };
	json_t *root = ctx_load(&ctx);
	int rc;

	if (!root)
		return -1;
	rc = ctx_check_keys(&ctx, root, "", keys);
	if (rc == 0)
		rc = load_prefix_list(rules, root, "common", PREFIX_COMMON, &ctx);
	if (rc == 0)
		rc = load_prefix_list(rules, root, "rare", PREFIX_RARE, &ctx);
	if (rc == 0)
		rc = load_no_layout(rules, root, &ctx);
	json_decref(root);
	return rc;
}

/* Loads a list of words, put through step 5 of cleaning so they compare
 * with cleaned values; words that clean to nothing are dropped. */
static int load_words(json_t *obj, const char *key, const char *where,
		      struct ident_word *words, int *count, struct json_ctx *ctx)
{
	json_t *list = json_object_get(obj, key), *item;
	size_t i;

	if (!json_is_array(list))
		return ctx_fail(ctx, "%s%s: expected an array of strings", where, key);
	json_array_foreach(list, i, item) {
		struct ident_word *w = &words[*count];
		int changed = 0;
		size_t len;

		if (!json_is_string(item))
			return ctx_fail(ctx, "%s%s[%zu]: expected a string", where, key, i);
		if (*count == IDENT_MAX_WORDS)
			return ctx_fail(ctx, "%s%s: more than %d words", where, key, IDENT_MAX_WORDS);
		len = remove_separators(json_string_value(item), json_string_length(item),
					w->text, sizeof w->text, &changed);
		if (len == (size_t)-1)
			return ctx_fail(ctx, "%s%s[%zu]: longer than %d characters", where,
					key, i, IDENT_WORD_MAX - 1);
		w->len = (unsigned char)len;
		*count += len > 0;
	}
	return 0;
}

/* Longer words first: is_placeholder (clean.c) stops at the first word
 * shorter than the value, so most values are compared with none, and
 * clean() (check.c) knows a value longer than the first word is none. */
static int by_length_down(const void *a, const void *b)
{
	const struct ident_word *x = a, *y = b;

	return (int)y->len - (int)x->len;
}

/* Sets rules->as_is_kinds (ident_int.h) from the loaded lengths and words. */
static void note_as_is_kinds(struct ident_rules *rules)
{
	size_t longest = rules->nplaceholders > 0 ? rules->placeholders[0].len : 0;
	int a_word = 0;

	for (int i = 0; i < rules->nprefix_words; i++)
		a_word |= rules->prefix_words[i].text[0] == 'A';
	rules->as_is_kinds = 0;
	if (RECEIPT_LEN > longest)
		rules->as_is_kinds |= 1u << IDENT_RECEIPT;
	if ((size_t)rules->anumber_max_digits + 1 > longest && !a_word)
		rules->as_is_kinds |= 1u << IDENT_ANUMBER;
	if ((size_t)rules->oan_length > longest)
		rules->as_is_kinds |= 1u << IDENT_OAN;
}

static int load_identifiers(struct ident_rules *rules, const char *path,
			    char *err, size_t errlen)
{
	static const char *const top[] = { "description", "placeholders", "receipt", "anumber", "oan", NULL };
	static const char *const receipt[] = { "max_workday", NULL };
	static const char *const anumber[] = { "min_digits", "max_digits", "prefix_words", NULL };
	static const char *const oan[] = { "length", NULL };
	struct json_ctx ctx = { path, err, errlen };
	json_t *root = ctx_load(&ctx), *r, *a, *o;
	int rc;

	if (!root)
		return -1;
	r = json_object_get(root, "receipt");
	a = json_object_get(root, "anumber");
	o = json_object_get(root, "oan");
	rc = ctx_check_keys(&ctx, root, "", top);
	if (rc == 0)
		rc = load_words(root, "placeholders", "", rules->placeholders,
				&rules->nplaceholders, &ctx);
	if (rc == 0)
		qsort(rules->placeholders, (size_t)rules->nplaceholders,
		      sizeof rules->placeholders[0], by_length_down);
	if (rc == 0 && (rc = ctx_check_keys(&ctx, r, "receipt", receipt)) == 0)
		rc = ctx_int(&ctx, r, "receipt", "max_workday", 1, 999, &rules->max_workday);
	if (rc == 0 && (rc = ctx_check_keys(&ctx, a, "anumber", anumber)) == 0)
		rc = ctx_int(&ctx, a, "anumber", "min_digits", 1, 20, &rules->anumber_min_digits);
	if (rc == 0)
		rc = ctx_int(&ctx, a, "anumber", "max_digits", rules->anumber_min_digits,
			     20, &rules->anumber_max_digits);
	if (rc == 0)
		rc = load_words(a, "prefix_words", "anumber.", rules->prefix_words,
				&rules->nprefix_words, &ctx);
	if (rc == 0 && (rc = ctx_check_keys(&ctx, o, "oan", oan)) == 0)
		rc = ctx_int(&ctx, o, "oan", "length", 1, 20, &rules->oan_length);
	if (rc == 0)
		note_as_is_kinds(rules);
	json_decref(root);
	return rc;
}

struct ident_rules *ident_rules_load(const char *prefixes_path,
				     const char *identifiers_path,
				     char *err, size_t errlen)
{
	struct ident_rules *rules = calloc(1, sizeof *rules);

	if (!rules) {
		snprintf(err, errlen, "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	for (int i = 0; i < CODE_COUNT; i++) {
		rules->severity[i] = code_default_severity((enum ident_code)i);
		rules->enabled[i] = 1;
	}
	if (load_prefixes(rules, prefixes_path, err, errlen) < 0 ||
	    load_identifiers(rules, identifiers_path, err, errlen) < 0) {
		int saved = errno;

		free(rules);
		errno = saved;
		return NULL;
	}
	return rules;
}

static int same_words(const struct ident_word *a, const struct ident_word *b, int n)
{
	for (int i = 0; i < n; i++)
		if (a[i].len != b[i].len || memcmp(a[i].text, b[i].text, a[i].len) != 0)
			return 0;
	return 1;
}

/* Field by field, as the bytes after a word's end and the padding between
 * members carry no rule (and need not be equal). */
int ident_rules_equal(const struct ident_rules *a, const struct ident_rules *b)
{
	return memcmp(a->prefix_class, b->prefix_class, sizeof a->prefix_class) == 0 &&
	       a->max_workday == b->max_workday &&
	       a->anumber_min_digits == b->anumber_min_digits &&
	       a->anumber_max_digits == b->anumber_max_digits &&
	       a->oan_length == b->oan_length && a->fiscal_year == b->fiscal_year &&
	       a->nplaceholders == b->nplaceholders && a->nprefix_words == b->nprefix_words &&
	       same_words(a->placeholders, b->placeholders, a->nplaceholders) &&
	       same_words(a->prefix_words, b->prefix_words, a->nprefix_words) &&
	       memcmp(a->severity, b->severity, sizeof a->severity) == 0 &&
	       memcmp(a->enabled, b->enabled, sizeof a->enabled) == 0;
}

void ident_rules_free(struct ident_rules *rules)
{
	free(rules);
}
