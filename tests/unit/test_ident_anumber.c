/* A-Numbers: every row of the IDENTIFIERS.md A-Number tables. */

#include "test_ident_util.h"

#define A IDENT_ANUMBER

/* The canonical form and the written forms to accept. */
static const struct ident_case forms[] = {
	{ A, "A012345678", NULL, "", NULL, 0, 0 },
	{ A, "A123456789", NULL, "", NULL, 0, 0 },
	{ A, "A12345678", "A012345678", "anumber.padded", NULL, 0, 0 },
	{ A, "A1234567", "A001234567", "anumber.padded", NULL, 0, 0 },
	{ A, "a12345678", "A012345678", "anumber.reformatted anumber.padded", NULL, 0, 0 },
	{ A, "A-012-345-678", "A012345678", "anumber.reformatted", NULL, 0, 0 },
	{ A, "A# 12345678", "A012345678", "anumber.reformatted anumber.padded", NULL, 0, 0 },
	{ A, "A 012 345 678", "A012345678", "anumber.reformatted", NULL, 0, 0 },
	{ A, "USCIS# 012345678", "A012345678", "anumber.reformatted", NULL, 0, 0 },
	{ A, "uscis#A012345678", "A012345678", "anumber.reformatted", NULL, 0, 0 },
	{ A, "12345678", "A012345678", "anumber.reformatted anumber.padded", NULL, 0, 0 },
	{ A, "012345678", "A012345678", "anumber.reformatted", NULL, 0, 0 },
	{ A, "12345678.0", "A012345678", "anumber.float_suffix anumber.reformatted anumber.padded", NULL, 0, 0 },
	{ A, "1.2345678E+7", "A012345678", "anumber.scientific_recovered anumber.reformatted anumber.padded", NULL, 0, 0 },
};

static const struct ident_case errors[] = {
	{ A, "A123456", NULL, "anumber.too_short", NULL, 0, 0 },
	{ A, "123", NULL, "anumber.too_short", NULL, 0, 0 },
	{ A, "A", NULL, "anumber.too_short", NULL, 0, 0 },
	{ A, "USCIS#", NULL, "anumber.too_short", NULL, 0, 0 },
	{ A, "A0123456789", NULL, "anumber.too_long", NULL, 0, 0 },
	{ A, "A01234567890", NULL, "anumber.too_long", NULL, 0, 0 },
	{ A, "123456789012", NULL, "anumber.looks_like_oan", NULL, 0, 0 },
	{ A, "1234 5678 9012", NULL, "anumber.looks_like_oan", NULL, 0, 0 },
	{ A, "A123456789012", NULL, "anumber.looks_like_oan", NULL, 0, 0 },
	{ A, "EAC2190012345", NULL, "anumber.looks_like_receipt", NULL, 0, 0 },
	{ A, "eac-21-900-12345", NULL, "anumber.looks_like_receipt", NULL, 0, 0 },
	{ A, "XYZ2190012345", NULL, "anumber.bad_character", NULL, 0, 0 },
	{ A, "A0123X5678", NULL, "anumber.bad_character", NULL, 0, 0 },
	{ A, "A12345678B", NULL, "anumber.bad_character", NULL, 0, 0 },
	{ A, "A0I2345678", NULL, "anumber.bad_character", "A012345678", 0, 0 },
	{ A, "AO12345678", NULL, "anumber.bad_character", "A012345678", 0, 0 },
	{ A, "a0l2345678", NULL, "anumber.bad_character", "A012345678", 0, 0 },
	{ A, "AI234567", NULL, "anumber.bad_character", "A001234567", 0, 0 },
	{ A, "AOOOOOOOO", NULL, "anumber.bad_character", NULL, 0, 0 },
	{ A, "AI23456", NULL, "anumber.bad_character", NULL, 0, 0 },
	{ A, "A000000000", NULL, "anumber.all_zero", NULL, 0, 0 },
	{ A, "A0000000", NULL, "anumber.all_zero", NULL, 0, 0 },
	{ A, "1.23457E+08", NULL, "anumber.scientific_notation", NULL, 0, 0 },
};

static const struct ident_case warnings[] = {
	{ A, "A111111111", NULL, "anumber.repeated_digit", NULL, 0, 0 },
	{ A, "A99999999", "A099999999", "anumber.repeated_digit anumber.padded", NULL, 0, 0 },
	{ A, "A011111111", NULL, "", NULL, 0, 0 },
};

static const struct ident_case fixes[] = {
	{ A, "A0I2345678", "A012345678", "anumber.lookalike_fixed", "A012345678", IDENT_FIX_LOOKALIKES, 0 },
	{ A, "aI2345678", "A012345678", "anumber.lookalike_fixed anumber.reformatted anumber.padded", "A012345678", IDENT_FIX_LOOKALIKES, 0 },
	{ A, "AIIIIIIII", "A011111111", "anumber.lookalike_fixed anumber.repeated_digit anumber.padded", "A011111111", IDENT_FIX_LOOKALIKES, 0 },
	{ A, "A0123X5678", NULL, "anumber.bad_character", NULL, IDENT_FIX_LOOKALIKES, 0 },
};

static const struct ident_case required[] = {
	{ A, "", NULL, "anumber.missing", NULL, IDENT_REQUIRED, 0 },
	{ A, "N/A", NULL, "anumber.missing", NULL, IDENT_REQUIRED, 0 },
	{ A, "", NULL, "", NULL, 0, 0 },
	{ A, "A012345678", NULL, "", NULL, IDENT_REQUIRED, 0 },
};

static void test_forms(void **state) { RUN_TABLE(*state, forms); }
static void test_errors(void **state) { RUN_TABLE(*state, errors); }
static void test_warnings(void **state) { RUN_TABLE(*state, warnings); }
static void test_fixes(void **state) { RUN_TABLE(*state, fixes); }
static void test_required(void **state) { RUN_TABLE(*state, required); }

static void test_conflicting_name_code_known(void **state)
{
	enum severity sev = SEV_INFO;

	assert_int_equal(ident_rules_code(*state, "anumber.conflicting_name", &sev), 1);
	assert_int_equal(sev, SEV_WARNING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_warnings),
		cmocka_unit_test(test_fixes),
		cmocka_unit_test(test_required),
		cmocka_unit_test(test_conflicting_name_code_known),
	};

	return cmocka_run_group_tests(tests, rules_setup, rules_teardown);
}
