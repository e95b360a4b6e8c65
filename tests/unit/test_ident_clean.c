/* Cleaning common to all three kinds: steps 1-5 of IDENTIFIERS.md. */

#include "test_ident_util.h"

#define R IDENT_RECEIPT
#define A IDENT_ANUMBER
#define O IDENT_OAN

/* Step 1: ASCII and Unicode spaces at both ends. */
static const struct ident_case trimming[] = {
	{ R, "  EAC2190012345\t", "EAC2190012345", "receipt.reformatted", NULL, 0, 0 },
	{ R, "\xC2\xA0" "EAC2190012345" "\xC2\xA0", "EAC2190012345", "receipt.reformatted", NULL, 0, 0 },
	{ O, "\xE2\x80\x87" "123456789012" "\xE2\x80\xAF", "123456789012", "oan.reformatted", NULL, 0, 0 },
	{ O, "\xE3\x80\x80" "123456789012" "\xE2\x80\x83", "123456789012", "oan.reformatted", NULL, 0, 0 },
	{ A, "\r\nA012345678\n", "A012345678", "anumber.reformatted", NULL, 0, 0 },
	{ R, "   ", "", "receipt.reformatted", NULL, 0, 0 },
	{ R, "", NULL, "", NULL, 0, 0 },
	/* a stray byte of a multi-byte space is not a space */
	{ R, "EAC2190012345\xA0", NULL, "receipt.bad_character", NULL, 0, 0 },
	{ R, "\xE2\x80" "EAC2190012345", NULL, "receipt.bad_length", NULL, 0, 0 },
};

/* Step 2: Excel text wrappers. */
static const struct ident_case wrappers[] = {
	{ R, "=\"EAC2190012345\"", "EAC2190012345", "receipt.reformatted", NULL, 0, 0 },
	{ O, "=\"123456789012\"", "123456789012", "oan.reformatted", NULL, 0, 0 },
	{ O, "=\"123456789012.0\"", "123456789012", "oan.float_suffix oan.reformatted", NULL, 0, 0 },
	{ A, "'012345678", "A012345678", "anumber.reformatted", NULL, 0, 0 },
	{ A, "\xE2\x80\x99" "012345678", "A012345678", "anumber.reformatted", NULL, 0, 0 },
	{ R, " =\" 'EAC2190012345 \" ", "EAC2190012345", "receipt.reformatted", NULL, 0, 0 },
	{ R, "=\"\"", "", "receipt.reformatted", NULL, 0, 0 },
	{ R, "=\"EAC2190012345", NULL, "receipt.bad_length", NULL, 0, 0 },
};

/* Step 3: placeholders, any case, also when wrapped or spaced. */
static const struct ident_case placeholders[] = {
	{ R, "N/A", "", "receipt.placeholder", NULL, 0, 0 },
	{ R, "n/a", "", "receipt.placeholder", NULL, 0, 0 },
	{ A, "NA", "", "anumber.placeholder", NULL, 0, 0 },
	{ A, "none", "", "anumber.placeholder", NULL, 0, 0 },
	{ O, "NULL", "", "oan.placeholder", NULL, 0, 0 },
	{ O, "-", "", "oan.placeholder", NULL, 0, 0 },
	{ O, "--", "", "oan.placeholder", NULL, 0, 0 },
	{ R, "TBD", "", "receipt.placeholder", NULL, 0, 0 },
	{ R, "Pending", "", "receipt.placeholder", NULL, 0, 0 },
	{ A, "Unknown", "", "anumber.placeholder", NULL, 0, 0 },
	{ A, "?", "", "anumber.placeholder", NULL, 0, 0 },
	{ O, " N/A\xC2\xA0", "", "oan.placeholder", NULL, 0, 0 },
	{ O, "=\"n/a\"", "", "oan.placeholder", NULL, 0, 0 },
	{ R, "n-a", "", "receipt.placeholder", NULL, 0, 0 },
	{ R, "\xE2\x80\x94", "", "receipt.placeholder", NULL, 0, 0 },
	{ R, "- / -", "", "receipt.placeholder", NULL, 0, 0 },
	{ R, "nonexistent", NULL, "receipt.bad_length", NULL, 0, 0 },
	/* Already clean, as long as the longest word and one longer. */
	{ R, "PENDING", "", "receipt.placeholder", NULL, 0, 0 },
	{ O, "UNKNOWN", "", "oan.placeholder", NULL, 0, 0 },
	{ R, "UNKNOWNS", NULL, "receipt.bad_length", NULL, 0, 0 },
	{ R, "N/A", NULL, "receipt.missing", NULL, IDENT_REQUIRED, 0 },
};

/* Step 4: float damage judged before separators go. */
static const struct ident_case floats[] = {
	{ O, "123456789012.000", "123456789012", "oan.float_suffix", NULL, 0, 0 },
	{ O, " 123456789012.0 ", "123456789012", "oan.float_suffix oan.reformatted", NULL, 0, 0 },
	{ O, "1234 5678 9012.0", NULL, "oan.bad_length", NULL, 0, 0 },
	{ O, "123456789012.5", NULL, "oan.bad_length", NULL, 0, 0 },
	{ O, "123456789012.", NULL, "oan.bad_character", NULL, 0, 0 },
	{ O, "1.23456789012E+11", "123456789012", "oan.scientific_recovered", NULL, 0, 0 },
	{ O, "1.2345678901E+11", NULL, "oan.scientific_notation", NULL, 0, 0 },
	{ O, "1.234567890123E+11", NULL, "oan.scientific_notation", NULL, 0, 0 },
	{ O, "1E+11", NULL, "oan.scientific_notation", NULL, 0, 0 },
	{ R, "2.19001E+09", NULL, "receipt.scientific_notation", NULL, 0, 0 },
	{ R, "2.190012345E+09", NULL, "receipt.scientific_recovered receipt.missing_prefix", NULL, 0, 0 },
	{ A, "1.2345678E7", "A012345678", "anumber.scientific_recovered anumber.reformatted anumber.padded", NULL, 0, 0 },
	/* not scientific notation: judged as characters */
	{ O, "12.3E+11", NULL, "oan.bad_character", NULL, 0, 0 },
	{ O, "0.1E+1", NULL, "oan.bad_character", NULL, 0, 0 },
};

/* Step 5: separators anywhere, '.' between digits, case folding. */
static const struct ident_case separators[] = {
	{ O, "1234\xE2\x80\x90" "5678\xE2\x80\x91" "9012", "123456789012", "oan.reformatted", NULL, 0, 0 },
	{ O, "1234\xE2\x80\x92" "5678\xE2\x80\x93" "9012", "123456789012", "oan.reformatted", NULL, 0, 0 },
	{ O, "1234\xE2\x80\x94" "5678\xE2\x80\x95" "9012", "123456789012", "oan.reformatted", NULL, 0, 0 },
	{ O, "1234\xE2\x88\x92" "5678" "\xC2\xA0" "9012", "123456789012", "oan.reformatted", NULL, 0, 0 },
	{ O, "1234.5678.9012", "123456789012", "oan.reformatted", NULL, 0, 0 },
	{ O, "#123456789012", "123456789012", "oan.reformatted", NULL, 0, 0 },
	{ R, "EAC.2190012345", NULL, "receipt.bad_length", NULL, 0, 0 },
	{ A, "12345678.-9", NULL, "anumber.bad_character", NULL, 0, 0 },
	{ A, "1234.5678.9", "A123456789", "anumber.reformatted", NULL, 0, 0 },
	{ R, "E-A-C-2190012345", "EAC2190012345", "receipt.reformatted", NULL, 0, 0 },
};

/* Byte strings: NUL and invalid UTF-8 are characters, and nothing past
 * len is read (run_case copies inputs into exact-size buffers). */
static const struct ident_case bytes[] = {
	{ R, "EAC219\0" "0012345", NULL, "receipt.bad_length", NULL, 0, 14 },
	{ R, "EAC219\0" "012345", NULL, "receipt.bad_character", NULL, 0, 13 },
	{ R, "EAC2190012345XYZ", "EAC2190012345", "", NULL, 0, 13 },
	{ O, "\xFF\xFE" "123456789012", NULL, "oan.bad_character", NULL, 0, 0 },
	{ R, "\xC2", NULL, "receipt.bad_length", NULL, 0, 0 },
	{ R, "\xE2\x80", NULL, "receipt.bad_length", NULL, 0, 0 },
};

static void test_trimming(void **state) { RUN_TABLE(*state, trimming); }
static void test_wrappers(void **state) { RUN_TABLE(*state, wrappers); }
static void test_placeholders(void **state) { RUN_TABLE(*state, placeholders); }
static void test_floats(void **state) { RUN_TABLE(*state, floats); }
static void test_separators(void **state) { RUN_TABLE(*state, separators); }
static void test_bytes(void **state) { RUN_TABLE(*state, bytes); }

/* A value too long for the verdict stays with the caller, unchanged. */
static void test_oversize(void **state)
{
	char big[200];
	struct ident_verdict v;

	memset(big, '7', sizeof big);
	assert_int_equal(ident_check(*state, IDENT_OAN, big, sizeof big, 0, &v), 1);
	assert_non_null(ident_verdict_find(&v, "oan.bad_length"));
	assert_int_equal(v.changed, 0);
	assert_int_equal(v.len, 0);
	assert_int_equal(ident_check(*state, IDENT_ANUMBER, big, sizeof big, 0, &v), 1);
	assert_non_null(ident_verdict_find(&v, "anumber.too_long"));

	/* padding that does not fit, around a value that does */
	memset(big, ' ', sizeof big);
	memcpy(big + 100, "eac2190012345", 13);
	assert_int_equal(ident_check(*state, IDENT_RECEIPT, big, sizeof big, 0, &v), 0);
	assert_int_equal(v.changed, 1);
	assert_string_equal(v.value, "EAC2190012345");
	assert_int_equal(v.len, 13);
}

static void test_empty_flag(void **state)
{
	struct ident_verdict v;

	ident_check(*state, IDENT_OAN, "n/a", 3, 0, &v);
	assert_int_equal(v.empty, 1);
	assert_int_equal(v.changed, 1);
	ident_check(*state, IDENT_OAN, "", 0, 0, &v);
	assert_int_equal(v.empty, 1);
	assert_int_equal(v.changed, 0);
	ident_check(*state, IDENT_OAN, "123456789012", 12, 0, &v);
	assert_int_equal(v.empty, 0);
}

static void test_bad_kind(void **state)
{
	struct ident_verdict v;

	assert_int_equal(ident_check(*state, (enum ident_kind)7, "A1", 2, 0, &v), -1);
	assert_int_equal(v.nfindings, 0);
	assert_string_equal(ident_kind_name(IDENT_RECEIPT), "receipt");
	assert_string_equal(ident_kind_name(IDENT_ANUMBER), "anumber");
	assert_string_equal(ident_kind_name(IDENT_OAN), "oan");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trimming),
		cmocka_unit_test(test_wrappers),
		cmocka_unit_test(test_placeholders),
		cmocka_unit_test(test_floats),
		cmocka_unit_test(test_separators),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_oversize),
		cmocka_unit_test(test_empty_flag),
		cmocka_unit_test(test_bad_kind),
	};

	return cmocka_run_group_tests(tests, rules_setup, rules_teardown);
}
