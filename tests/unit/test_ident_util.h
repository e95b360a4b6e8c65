#ifndef TEST_IDENT_UTIL_H
#define TEST_IDENT_UTIL_H

/* Shared helpers for the identifier tests: loading the shipped schema
 * files (tests run from the repository root), checking one table row,
 * and writing schema or rules files of a test's own into a temporary
 * folder. */

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ident.h"

#define SHIPPED_PREFIXES "schemas/receipt-prefixes.json"
#define SHIPPED_IDENTIFIERS "schemas/identifiers.json"
#define TEST_TODAY "2024-11-15"		/* fiscal year 2025 */

static inline struct ident_rules *load_shipped_rules(void)
{
	char err[256];
	struct ident_rules *rules = ident_rules_load(SHIPPED_PREFIXES,
						     SHIPPED_IDENTIFIERS,
						     err, sizeof err);

	if (!rules)
		fail_msg("loading shipped rules: %s", err);
	assert_int_equal(ident_rules_set_today(rules, TEST_TODAY), 0);
	return rules;
}

static inline int rules_setup(void **state)
{
	*state = load_shipped_rules();
	return 0;
}

static inline int rules_teardown(void **state)
{
	ident_rules_free(*state);
	return 0;
}

/* One table row.  len 0 means strlen(input); value NULL means the input
 * unchanged; codes is the exact set of codes, space-separated. */
struct ident_case {
	enum ident_kind kind;
	const char *input;
	const char *value;
	const char *codes;
	const char *suggestion;
	unsigned options;
	size_t len;
};

/* Checks the verdict's codes are exactly the space-separated set. */
static inline void assert_codes(const struct ident_verdict *v,
				const char *codes, const char *label)
{
	char buf[256], *tok, *save = NULL;
	int expected = 0;

	snprintf(buf, sizeof buf, "%s", codes);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		if (!ident_verdict_find(v, tok))
			fail_msg("%s: expected code %s missing", label, tok);
		expected++;
	}
	if (v->nfindings != expected) {
		char got[512] = "";

		for (int i = 0; i < v->nfindings; i++) {
			strncat(got, " ", sizeof got - strlen(got) - 1);
			strncat(got, v->findings[i].code, sizeof got - strlen(got) - 1);
		}
		fail_msg("%s: expected {%s}, got {%s}", label, codes, got);
	}
}

/* The value a caller stores: the verdict's when changed, else the input. */
static inline void normalised(const char *input, size_t len,
			      const struct ident_verdict *v,
			      const char **out, size_t *outlen)
{
	*out = v->changed ? v->value : input;
	*outlen = v->changed ? v->len : len;
}

/* Runs one row; the input is copied into a buffer of exactly its length
 * (no NUL) so the sanitizers catch any read past the end. */
static inline void run_case(const struct ident_rules *rules,
			    const struct ident_case *c)
{
	size_t len = c->len ? c->len : strlen(c->input);
	char *buf = malloc(len ? len : 1);
	const char *want = c->value ? c->value : c->input;
	size_t wantlen = c->value ? strlen(c->value) : len;
	struct ident_verdict v;
	const char *got;
	size_t gotlen;
	int rc, errors = 0, suggested = 0;

	assert_non_null(buf);
	memcpy(buf, c->input, len);
	rc = ident_check(rules, c->kind, buf, len, c->options, &v);
	assert_int_equal(rc, v.nerrors);
	normalised(buf, len, &v, &got, &gotlen);
	if (gotlen != wantlen || memcmp(got, want, wantlen) != 0)
		fail_msg("%s \"%s\": normalised to \"%.*s\", expected \"%s\"",
			 ident_kind_name(c->kind), c->input, (int)gotlen, got, want);
	assert_codes(&v, c->codes, c->input);
	for (int i = 0; i < v.nfindings; i++) {
		const char *s = v.findings[i].suggestion;

		errors += v.findings[i].severity == SEV_ERROR;
		assert_non_null(v.findings[i].message);
		if (*s == '\0')
			continue;
		if (!c->suggestion || strcmp(s, c->suggestion) != 0)
			fail_msg("%s: unexpected suggestion %s", c->input, s);
		suggested = 1;
	}
	if (c->suggestion && !suggested)
		fail_msg("%s: expected suggestion %s, none given", c->input, c->suggestion);
	assert_int_equal(errors, v.nerrors);
	if (v.nerrors)
		assert_int_equal(v.changed, 0);
	free(buf);
}

static inline void run_cases(const struct ident_rules *rules,
			     const struct ident_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++)
		run_case(rules, &cases[i]);
}

#define RUN_TABLE(state, table) \
	run_cases((state), (table), sizeof(table) / sizeof((table)[0]))

/* The temporary folder a test group writes its schema and rules files
 * into: make_tmpdir and remove_tmpdir are the group's fixtures. */
static inline char *test_tmpdir(void)
{
	static char dir[] = "/tmp/casepipe_ident_test.XXXXXX";
	return dir;
}

static inline int make_tmpdir(void **state)
{
	(void)state;
	return mkdtemp(test_tmpdir()) ? 0 : -1;
}

static inline int remove_tmpdir(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", test_tmpdir());
	return system(cmd) == 0 ? 0 : -1;
}

/* Writes TEXT to NAME in the temporary folder and returns its path, which
 * stays valid until the second call after this one. */
static inline const char *write_file(const char *name, const char *text)
{
	static char path[2][256];
	static int which;
	char *p = path[which++ % 2];
	FILE *f;

	snprintf(p, sizeof path[0], "%s/%s", test_tmpdir(), name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	return p;
}

#endif
