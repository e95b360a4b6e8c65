/*
 * ident_check's fast path (ident/as_is.c) against its general path
 * (ident/check.c).  Generated values: canonical ones of each kind, with
 * every three-letter office code and every digit pattern the receipt
 * rules look at; every single-character damage of them (each byte value
 * at each place, a character left out, one put in); and written forms
 * that draw every per-value code of IDENTIFIERS.md.  Each is checked as
 * every kind with every option, under several rule sets (the shipped
 * ones, changed severities, no fiscal year, and schema data that must
 * turn the fast path off).  Wherever the fast path answers, and for
 * ident_check as a whole, the verdict must equal the general path's.
 */

#include <unistd.h>

#include "test_ident_util.h"
#include "ident_int.h"

/* What the checks saw, so a test can show it compared something. */
struct tally {
	long values, fast;
	unsigned char seen[CODE_COUNT];	/* codes in the general verdicts */
};

static struct tally tally;

/* Every byte of a verdict that carries meaning: the value up to and
 * including its NUL, the counts and flags, and each finding in full.
 * Bytes after the NUL and findings past nfindings carry none (ident.h). */
static void assert_same_verdict(const struct ident_verdict *got,
				const struct ident_verdict *want,
				const char *what, enum ident_kind kind,
				const char *s, size_t n, unsigned options)
{
	char label[200];

	snprintf(label, sizeof label, "%s: %s \"%.*s\" (%zu bytes), options %u", what,
		 ident_kind_name(kind), (int)(n < 80 ? n : 80), s, n, options);
	if (got->len != want->len || got->changed != want->changed ||
	    got->empty != want->empty || got->nerrors != want->nerrors ||
	    got->nfindings != want->nfindings)
		fail_msg("%s: len %zu/%zu changed %d/%d empty %d/%d nerrors %d/%d nfindings %d/%d",
			 label, got->len, want->len, got->changed, want->changed, got->empty,
			 want->empty, got->nerrors, want->nerrors, got->nfindings, want->nfindings);
	if (memcmp(got->value, want->value, want->len + 1) != 0)
		fail_msg("%s: value \"%s\", want \"%s\"", label, got->value, want->value);
	for (int i = 0; i < want->nfindings; i++) {
		const struct ident_finding *a = &got->findings[i], *b = &want->findings[i];

		if (strcmp(a->code, b->code) != 0 || a->severity != b->severity ||
		    a->repair != b->repair || strcmp(a->suggestion, b->suggestion) != 0 ||
		    strcmp(a->message, b->message) != 0)
			fail_msg("%s: finding %d is %s/%d/%d/\"%s\"/\"%s\", want %s/%d/%d/\"%s\"/\"%s\"",
				 label, i, a->code, a->severity, a->repair, a->suggestion,
				 a->message, b->code, b->severity, b->repair, b->suggestion,
				 b->message);
	}
}

/* Whether CODE names one of the repairs normalise reports (ident.h). */
static int names_a_repair(const char *code)
{
	static const char *const repairs[] = {
		"reformatted", "placeholder", "float_suffix", "scientific_recovered",
		"lookalike_fixed", "padded",
	};
	const char *dot = strchr(code, '.');

	for (size_t i = 0; dot && i < sizeof repairs / sizeof repairs[0]; i++)
		if (strcmp(dot + 1, repairs[i]) == 0)
			return 1;
	return 0;
}

/* Checks one value as every kind with every option.  The value sits in a
 * buffer of exactly its length, so the sanitizers catch a read past it,
 * and the verdicts start filled with different junk, so a member one path
 * leaves unset shows. */
static void check_value(const struct ident_rules *rules, const char *s, size_t n)
{
	static const unsigned option_sets[] = {
		0, IDENT_FIX_LOOKALIKES, IDENT_REQUIRED, IDENT_FIX_LOOKALIKES | IDENT_REQUIRED,
	};
	char *buf = malloc(n ? n : 1);

	assert_non_null(buf);
	memcpy(buf, s, n);
	for (int k = IDENT_RECEIPT; k <= IDENT_OAN; k++) {
		for (size_t o = 0; o < sizeof option_sets / sizeof option_sets[0]; o++) {
			enum ident_kind kind = (enum ident_kind)k;
			unsigned options = option_sets[o];
			struct ident_verdict fast, general, whole;
			int rc_general, rc_whole, took;

			memset(&fast, 0xA5, sizeof fast);
			memset(&general, 0x5A, sizeof general);
			memset(&whole, 0xC3, sizeof whole);
			took = ident_check_as_is(rules, kind, buf, n, options, &fast);
			rc_general = ident_check_general(rules, kind, buf, n, options, &general);
			rc_whole = ident_check(rules, kind, buf, n, options, &whole);
			assert_int_equal(rc_general, general.nerrors);
			assert_int_equal(rc_whole, rc_general);
			assert_same_verdict(&whole, &general, "ident_check", kind, s, n, options);
			if (took) {
				assert_same_verdict(&fast, &general, "fast path", kind, s, n, options);
				tally.fast++;
			}
			tally.values++;
			for (int i = 0; i < general.nfindings; i++) {
				int code = code_lookup(general.findings[i].code);

				assert_true(code >= 0);
				assert_int_equal(general.findings[i].repair,
						 names_a_repair(general.findings[i].code));
				tally.seen[code] = 1;
			}
		}
	}
	free(buf);
}

static void check_string(const struct ident_rules *rules, const char *s)
{
	check_value(rules, s, strlen(s));
}

/* Every single-character damage of S: each byte value in each place, each
 * character left out, and one of a few likely characters put in. */
static void check_damage(const struct ident_rules *rules, const char *s)
{
	static const char *const inserts[] = {
		"0", "1", "9", "A", "E", "O", "I", "l", "a", "*", "-", ".", " ", "#", "/",
		"'", "\"", "=", "\xC2\xA0", "\xE2\x80\x93",
	};
	size_t n = strlen(s);
	char buf[IDENT_VALUE_MAX + 8];

	assert_true(n + 4 < sizeof buf);
	for (size_t i = 0; i < n; i++) {
		memcpy(buf, s, n);
		for (int c = 0; c < 256; c++) {
			buf[i] = (char)c;
			check_value(rules, buf, n);
		}
		memcpy(buf, s, i);
		memcpy(buf + i, s + i + 1, n - i - 1);
		check_value(rules, buf, n - 1);
	}
	for (size_t i = 0; i <= n; i++) {
		for (size_t j = 0; j < sizeof inserts / sizeof inserts[0]; j++) {
			size_t m = strlen(inserts[j]);

			memcpy(buf, s, i);
			memcpy(buf + i, inserts[j], m);
			memcpy(buf + i + m, s + i, n - i);
			check_value(rules, buf, n + m);
		}
	}
}

/* The office codes of IDENTIFIERS.md's table, and some that are not. */
static const char *const office_codes[] = {
	"EAC", "WAC", "LIN", "SRC", "NBC", "MSC", "IOE", "YSC",
	"VSC", "CSC", "NSC", "TSC", "ZAR", "ZCH", "ZHN", "ZLA", "ZMI", "ZNK", "ZNY", "ZSF",
	"XYZ", "AAA", "ZZZ", "EAX",
};

/* Ten digits for each date and digit rule of a receipt number (today is
 * in fiscal year 2025; the last workday is 270 in the shipped data). */
static const char *const receipt_digits[] = {
	"2412312345",	/* older layout, plausible */
	"2427012345",	/* the last workday */
	"2427112345",	/* past the last workday */
	"2400012345",	/* workday 000 */
	"2512312345",	/* this fiscal year */
	"2612312345",	/* a later fiscal year */
	"9912312345",	/* 2099 */
	"2490012345",	/* newer layout (9) */
	"2470012345",	/* newer layout (7) */
	"2460012345",	/* workday 600 */
	"0000000000",	/* all zero */
	"0000000001",
};

/* Canonical values and written forms that draw every per-value code. */
static const char *const other_values[] = {
	"", "N/A", "na", "NONE", "null", "-", "--", "TBD", "pending", "UNKNOWN", "?",
	"\xE2\x80\x94",
	"A012345678", "A123456789", "A000000000", "A111111111", "A999999999",
	"A12345678", "A1234567", "A123456", "A0123456789", "A123456789012",
	"a12345678", "A-012-345-678", "A# 12345678", "A 012 345 678", "USCIS# 012345678",
	"USCIS012345678", "AUSCIS012345678", "12345678", "012345678", "1234567",
	"A01234567O", "A0I2345678", "AO12345678", "A012345678.0", "12345678.0",
	"123456789012", "000000000000", "111111111111", "12345678901", "1234567890123",
	"1234 5678 9012", "1234-5678-9012", "123456789012.0", "123456789012.00",
	"1.23457E+11", "7.89903e11", "1.23456789012E+11", "1.234567890E+11",
	"12345678901O", "I23456789012", "A12345678901",
	"EAC2412312345", "eac2412312345", "EAC-24-123-12345", "EAC 24 123 12345",
	"EAC\xE2\x80\x93" "2412312345", "=\"EAC2412312345\"", "'EAC2412312345",
	"\xE2\x80\x99" "EAC2412312345", " EAC2412312345 ", "\xC2\xA0" "EAC2412312345",
	"EAC24123*12345", "EAC**123*12345", "***2412312345", "2412312345",
	"EAC241231234", "EAC24123123456", "EAC24123O2345", "EAC24I2312345",
	"0AC2412312345", "1OE2412312345", "E4C2412312345", "EAC0000000000",
	"XYZ2412312345", "VSC2412312345", "IOE0000000000", "IOE2400012345",
	"WAC2612312345", "LIN2427112345", "EAC241231234\xC3\xA9",
	"0123456789012345678901234567890123456789012345678901234567890123456789",
	"EAC2412312345EAC2412312345EAC2412312345EAC2412312345EAC2412312345XY",
};

/* Canonical values whose every single-character damage is checked. */
static const char *const damage_bases[] = {
	"EAC2412312345", "IOE0123456789", "VSC2490012345", "A012345678", "A111111111",
	"123456789012", "000000000000",
};

static void check_all(const struct ident_rules *rules)
{
	char s[RECEIPT_LEN + 1];

	for (int a = 0; a < 26; a++) {
		for (int b = 0; b < 26; b++) {
			for (int c = 0; c < 26; c++) {
				s[0] = (char)('A' + a);
				s[1] = (char)('A' + b);
				s[2] = (char)('A' + c);
				memcpy(s + 3, receipt_digits[(a + b + c) % 2 ? 0 : 7], 10);
				check_value(rules, s, RECEIPT_LEN);
			}
		}
	}
	for (size_t i = 0; i < sizeof office_codes / sizeof office_codes[0]; i++) {
		for (size_t j = 0; j < sizeof receipt_digits / sizeof receipt_digits[0]; j++) {
			memcpy(s, office_codes[i], 3);
			memcpy(s + 3, receipt_digits[j], 10);
			check_value(rules, s, RECEIPT_LEN);
		}
	}
	for (int d = 0; d <= 9; d++) {
		memset(s, '0' + d, 12);
		check_value(rules, s, 12);	/* an account number */
		s[0] = 'A';
		check_value(rules, s, 10);	/* an A-Number */
	}
	for (size_t i = 0; i < sizeof other_values / sizeof other_values[0]; i++)
		check_string(rules, other_values[i]);
	for (size_t i = 0; i < sizeof damage_bases / sizeof damage_bases[0]; i++)
		check_damage(rules, damage_bases[i]);
}

/* The codes a value alone can draw.  The rest need other records or
 * fields (duplicate, conflicting_name, shared_account, and the two
 * filing-method codes), except receipt.float_suffix: a value with that
 * repair is all digits, which is an error for a receipt number, and an
 * error drops the repairs. */
static void assert_every_value_code_seen(void)
{
	for (int code = 0; code < CODE_COUNT; code++) {
		const char *name = code_name((enum ident_code)code);

		if (code == RECEIPT_DUPLICATE || code == ANUMBER_CONFLICTING_NAME ||
		    code == OAN_SHARED_ACCOUNT || code == OAN_UNEXPECTED_FOR_CONSULAR ||
		    code == OAN_MISSING_FOR_ONLINE_FILING || code == RECEIPT_FLOAT_SUFFIX)
			continue;
		if (!tally.seen[code])
			fail_msg("no generated value drew %s", name);
	}
}

static struct ident_rules *load_identifiers_text(const char *text)
{
	char err[256], path[256];
	struct ident_rules *rules;

	snprintf(path, sizeof path, "%s", write_file("identifiers.json", text));
	rules = ident_rules_load(SHIPPED_PREFIXES, path, err, sizeof err);
	if (!rules)
		fail_msg("loading %s: %s", path, err);
	assert_int_equal(ident_rules_set_today(rules, TEST_TODAY), 0);
	return rules;
}

static void test_shipped_rules(void **state)
{
	struct ident_rules *rules = load_shipped_rules();

	(void)state;
	memset(&tally, 0, sizeof tally);
	check_all(rules);
	ident_rules_free(rules);
	assert_every_value_code_seen();
	/* The office codes alone give 17,576 canonical receipt numbers. */
	assert_true(tally.fast > 17576 * 3);
	print_message("%ld checks, %ld on the fast path\n", tally.values, tally.fast);
}

static void test_changed_severities_and_switches(void **state)
{
	char err[256];
	struct ident_rules *rules = load_shipped_rules();
	const char *path = write_file("rules.json",
		"{\"codes\": {\"receipt.rare_prefix\": \"error\", \"receipt.implausible_date\": \"info\","
		" \"receipt.all_zero\": \"off\", \"receipt.unknown_prefix\": \"warning\","
		" \"receipt.reformatted\": \"warning\", \"anumber.repeated_digit\": \"error\","
		" \"anumber.looks_like_oan\": \"off\", \"anumber.all_zero\": \"info\","
		" \"oan.all_zero\": \"warning\", \"oan.bad_length\": \"off\","
		" \"anumber.missing\": \"info\", \"oan.missing\": \"off\"}}");

	(void)state;
	memset(&tally, 0, sizeof tally);
	if (ident_rules_apply_overrides(rules, path, err, sizeof err) < 0)
		fail_msg("%s", err);
	check_all(rules);
	ident_rules_free(rules);
	assert_true(tally.fast > 17576 * 3);
}

static void test_no_fiscal_year(void **state)
{
	char err[256];
	struct ident_rules *rules = ident_rules_load(SHIPPED_PREFIXES, SHIPPED_IDENTIFIERS,
						     err, sizeof err);

	(void)state;
	memset(&tally, 0, sizeof tally);
	if (!rules)
		fail_msg("%s", err);
	check_all(rules);
	ident_rules_free(rules);
	assert_true(tally.fast > 17576 * 3);
}

/* Other lengths: an A-Number's canonical digits as many as an account
 * number's, and a lower last workday. */
static void test_other_lengths(void **state)
{
	struct ident_rules *rules = load_identifiers_text(
		"{\"placeholders\": [\"N/A\", \"none\"], \"receipt\": {\"max_workday\": 100},"
		" \"anumber\": {\"min_digits\": 6, \"max_digits\": 9, \"prefix_words\": [\"USCIS\"]},"
		" \"oan\": {\"length\": 9}}");

	(void)state;
	memset(&tally, 0, sizeof tally);
	check_all(rules);
	ident_rules_free(rules);
	assert_true(tally.fast > 17576 * 3);
}

/* A placeholder word as long as a receipt number (and so longer than an
 * A-Number and an account number): a canonical value might be that word,
 * so the fast path must leave every kind to the general one. */
static void test_long_placeholder_turns_the_fast_path_off(void **state)
{
	struct ident_rules *rules = load_identifiers_text(
		"{\"placeholders\": [\"N/A\", \"not-applicable\"], \"receipt\": {\"max_workday\": 270},"
		" \"anumber\": {\"min_digits\": 7, \"max_digits\": 9, \"prefix_words\": [\"USCIS\"]},"
		" \"oan\": {\"length\": 12}}");
	struct ident_verdict v;

	(void)state;
	memset(&tally, 0, sizeof tally);
	check_all(rules);
	assert_int_equal(ident_check_as_is(rules, IDENT_RECEIPT, "EAC2412312345", 13, 0, &v), 0);
	assert_int_equal(ident_check_as_is(rules, IDENT_ANUMBER, "A012345678", 10, 0, &v), 0);
	assert_int_equal(ident_check_as_is(rules, IDENT_OAN, "123456789012", 12, 0, &v), 0);
	assert_int_equal(ident_check(rules, IDENT_RECEIPT, "NOTAPPLICABLE", 13, 0, &v), 0);
	assert_int_equal(v.empty, 1);
	assert_non_null(ident_verdict_find(&v, "receipt.placeholder"));
	ident_rules_free(rules);
}

/* A prefix word that starts with A: "A012345678" is then that word and 8
 * digits, padded back to the same bytes, so it draws anumber.padded and
 * the fast path must leave A-Numbers (only) to the general one. */
static void test_prefix_word_with_a_turns_anumbers_off(void **state)
{
	struct ident_rules *rules = load_identifiers_text(
		"{\"placeholders\": [\"N/A\"], \"receipt\": {\"max_workday\": 270},"
		" \"anumber\": {\"min_digits\": 7, \"max_digits\": 9, \"prefix_words\": [\"USCIS\", \"A0\"]},"
		" \"oan\": {\"length\": 12}}");
	struct ident_verdict v;

	(void)state;
	memset(&tally, 0, sizeof tally);
	check_all(rules);
	assert_int_equal(ident_check_as_is(rules, IDENT_ANUMBER, "A012345678", 10, 0, &v), 0);
	assert_int_equal(ident_check_as_is(rules, IDENT_RECEIPT, "EAC2412312345", 13, 0, &v), 1);
	assert_int_equal(ident_check(rules, IDENT_ANUMBER, "A012345678", 10, 0, &v), 0);
	assert_non_null(ident_verdict_find(&v, "anumber.padded"));
	ident_rules_free(rules);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shipped_rules),
		cmocka_unit_test(test_changed_severities_and_switches),
		cmocka_unit_test(test_no_fiscal_year),
		cmocka_unit_test(test_other_lengths),
		cmocka_unit_test(test_long_placeholder_turns_the_fast_path_off),
		cmocka_unit_test(test_prefix_word_with_a_turns_anumbers_off),
	};

	return cmocka_run_group_tests(tests, make_tmpdir, remove_tmpdir);
}
