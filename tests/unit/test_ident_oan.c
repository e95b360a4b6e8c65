/* Online account numbers: every row of the IDENTIFIERS.md OAN tables. */

#include "test_ident_util.h"

#define O IDENT_OAN

static const struct ident_case forms[] = {
	{ O, "123456789012", NULL, "", NULL, 0, 0 },
	{ O, "012345678901", NULL, "", NULL, 0, 0 },
	{ O, "1234 5678 9012", "123456789012", "oan.reformatted", NULL, 0, 0 },
	{ O, "1234-5678-9012", "123456789012", "oan.reformatted", NULL, 0, 0 },
	{ O, "123456789012.0", "123456789012", "oan.float_suffix", NULL, 0, 0 },
	{ O, "123456789012.00", "123456789012", "oan.float_suffix", NULL, 0, 0 },
	{ O, "1.23456789012E+11", "123456789012", "oan.scientific_recovered", NULL, 0, 0 },
	{ O, "1.23456789012e11", "123456789012", "oan.scientific_recovered", NULL, 0, 0 },
};

static const struct ident_case errors[] = {
	{ O, "12345678901", NULL, "oan.bad_length", NULL, 0, 0 },
	{ O, "1234567890123", NULL, "oan.bad_length", NULL, 0, 0 },
	{ O, "12345678901.0", NULL, "oan.bad_length", NULL, 0, 0 },
	{ O, "12345678901O", NULL, "oan.bad_character", "123456789010", 0, 0 },
	{ O, "I2345678901l", NULL, "oan.bad_character", "123456789011", 0, 0 },
	{ O, "1234567890AB", NULL, "oan.bad_character", NULL, 0, 0 },
	{ O, "1234567890O", NULL, "oan.bad_character", NULL, 0, 0 },
	{ O, "OOOOOOOOOOOO", NULL, "oan.bad_character", NULL, 0, 0 },
	{ O, "A012345678", NULL, "oan.looks_like_anumber", NULL, 0, 0 },
	{ O, "A1234567", NULL, "oan.looks_like_anumber", NULL, 0, 0 },
	{ O, "a-0123-45678", NULL, "oan.looks_like_anumber", NULL, 0, 0 },
	{ O, "A123456", NULL, "oan.bad_character", NULL, 0, 0 },
	{ O, "EAC2190012345", NULL, "oan.looks_like_receipt", NULL, 0, 0 },
	{ O, "000000000000", NULL, "oan.all_zero", NULL, 0, 0 },
	{ O, "0000-0000-0000", NULL, "oan.all_zero", NULL, 0, 0 },
	{ O, "1.23457E+11", NULL, "oan.scientific_notation", NULL, 0, 0 },
	{ O, "7.89903e11", NULL, "oan.scientific_notation", NULL, 0, 0 },
	{ O, "1.5E-3", NULL, "oan.scientific_notation", NULL, 0, 0 },
};

static const struct ident_case fixes[] = {
	{ O, "12345678901O", "123456789010", "oan.lookalike_fixed", "123456789010", IDENT_FIX_LOOKALIKES, 0 },
	{ O, "1234-5678-9OI2", "123456789012", "oan.lookalike_fixed oan.reformatted", "123456789012", IDENT_FIX_LOOKALIKES, 0 },
};

static void test_forms(void **state) { RUN_TABLE(*state, forms); }
static void test_errors(void **state) { RUN_TABLE(*state, errors); }
static void test_fixes(void **state) { RUN_TABLE(*state, fixes); }

/* For 11 digits the message hints that a leading zero may be lost. */
static void test_eleven_digits_hint(void **state)
{
	struct ident_verdict v, w;
	const struct ident_finding *f, *g;

	ident_check(*state, O, "12345678901", 11, 0, &v);
	ident_check(*state, O, "1234567890", 10, 0, &w);
	f = ident_verdict_find(&v, "oan.bad_length");
	g = ident_verdict_find(&w, "oan.bad_length");
	assert_non_null(f);
	assert_non_null(g);
	assert_non_null(strstr(f->message, "leading zero"));
	assert_null(strstr(g->message, "leading zero"));
}

/* The cross-record and cross-field OAN codes are known, for the stages. */
static void test_stage_codes_known(void **state)
{
	enum severity sev = SEV_INFO;

	assert_int_equal(ident_rules_code(*state, "oan.shared_account", &sev), 1);
	assert_int_equal(sev, SEV_ERROR);
	assert_int_equal(ident_rules_code(*state, "oan.unexpected_for_consular", &sev), 1);
	assert_int_equal(sev, SEV_WARNING);
	assert_int_equal(ident_rules_code(*state, "oan.missing_for_online_filing", &sev), 1);
	assert_int_equal(sev, SEV_WARNING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_fixes),
		cmocka_unit_test(test_eleven_digits_hint),
		cmocka_unit_test(test_stage_codes_known),
	};

	return cmocka_run_group_tests(tests, rules_setup, rules_teardown);
}
