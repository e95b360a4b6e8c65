/* Receipt numbers: every row of the IDENTIFIERS.md receipt tables. */

#include "test_ident_util.h"

#define R IDENT_RECEIPT

/* The form and the written forms to accept. */
static const struct ident_case forms[] = {
	{ R, "EAC2190012345", NULL, "", NULL, 0, 0 },
	{ R, "eac2190012345", "EAC2190012345", "receipt.reformatted", NULL, 0, 0 },
	{ R, "EAC-21-900-12345", "EAC2190012345", "receipt.reformatted", NULL, 0, 0 },
	{ R, "EAC 21 900 12345", "EAC2190012345", "receipt.reformatted", NULL, 0, 0 },
	{ R, "EAC\xE2\x80\x93" "2190012345", "EAC2190012345", "receipt.reformatted", NULL, 0, 0 },
	{ R, "EAC/21/900/12345", "EAC2190012345", "receipt.reformatted", NULL, 0, 0 },
};

/* Every office code in the registry, common and rare. */
static const struct ident_case prefixes[] = {
	{ R, "EAC2190012345", NULL, "", NULL, 0, 0 },
	{ R, "WAC2190012345", NULL, "", NULL, 0, 0 },
	{ R, "LIN2190012345", NULL, "", NULL, 0, 0 },
	{ R, "SRC2190012345", NULL, "", NULL, 0, 0 },
	{ R, "NBC2190012345", NULL, "", NULL, 0, 0 },
	{ R, "MSC2190012345", NULL, "", NULL, 0, 0 },
	{ R, "IOE0912345678", NULL, "", NULL, 0, 0 },
	{ R, "YSC2190012345", NULL, "", NULL, 0, 0 },
	{ R, "VSC2190012345", NULL, "receipt.rare_prefix", NULL, 0, 0 },
	{ R, "CSC2190012345", NULL, "receipt.rare_prefix", NULL, 0, 0 },
	{ R, "NSC2190012345", NULL, "receipt.rare_prefix", NULL, 0, 0 },
	{ R, "TSC2190012345", NULL, "receipt.rare_prefix", NULL, 0, 0 },
	{ R, "ZAR2190012345", NULL, "receipt.rare_prefix", NULL, 0, 0 },
	{ R, "ZCH2190012345", NULL, "receipt.rare_prefix", NULL, 0, 0 },
	{ R, "ZHN2190012345", NULL, "receipt.rare_prefix", NULL, 0, 0 },
	{ R, "ZLA2190012345", NULL, "receipt.rare_prefix", NULL, 0, 0 },
	{ R, "ZMI2190012345", NULL, "receipt.rare_prefix", NULL, 0, 0 },
	{ R, "ZNK2190012345", NULL, "receipt.rare_prefix", NULL, 0, 0 },
	{ R, "ZNY2190012345", NULL, "receipt.rare_prefix", NULL, 0, 0 },
	{ R, "zsf-21-900-12345", "ZSF2190012345", "receipt.rare_prefix receipt.reformatted", NULL, 0, 0 },
	{ R, "XYZ2190012345", NULL, "receipt.unknown_prefix", NULL, 0, 0 },
	{ R, "xyz 2190012345", NULL, "receipt.unknown_prefix", NULL, 0, 0 },
};

static const struct ident_case errors[] = {
	/* bad_length */
	{ R, "EAC219001234", NULL, "receipt.bad_length", NULL, 0, 0 },
	{ R, "EAC21900123456", NULL, "receipt.bad_length", NULL, 0, 0 },
	{ R, "EA2190012345", NULL, "receipt.bad_length", NULL, 0, 0 },
	{ R, "A012345678", NULL, "receipt.bad_length", NULL, 0, 0 },
	/* missing_prefix: exactly 10 digits */
	{ R, "2190012345", NULL, "receipt.missing_prefix", NULL, 0, 0 },
	{ R, "21-900-12345", NULL, "receipt.missing_prefix", NULL, 0, 0 },
	{ R, "219001234", NULL, "receipt.bad_length", NULL, 0, 0 },
	/* bad_character, with a suggestion only when it is valid */
	{ R, "EAC219OO12345", NULL, "receipt.bad_character", "EAC2190012345", 0, 0 },
	{ R, "EAC21900I2345", NULL, "receipt.bad_character", "EAC2190012345", 0, 0 },
	{ R, "eac21900l2345", NULL, "receipt.bad_character", "EAC2190012345", 0, 0 },
	{ R, "L1N2190012345", NULL, "receipt.bad_character", "LIN2190012345", 0, 0 },
	{ R, "1OE0912345678", NULL, "receipt.bad_character", "IOE0912345678", 0, 0 },
	{ R, "EA02190012345", NULL, "receipt.bad_character", NULL, 0, 0 },
	{ R, "E4C2190012345", NULL, "receipt.bad_character", NULL, 0, 0 },
	{ R, "EAC21900X2345", NULL, "receipt.bad_character", NULL, 0, 0 },
	{ R, "EACOOOOOOOOOO", NULL, "receipt.bad_character", NULL, 0, 0 },
	{ R, "EAC219001234\xC3\xA9", NULL, "receipt.bad_character", NULL, 0, 0 },
	/* all_zero */
	{ R, "EAC0000000000", NULL, "receipt.all_zero", NULL, 0, 0 },
	{ R, "XYZ0000000000", NULL, "receipt.unknown_prefix receipt.all_zero", NULL, 0, 0 },
};

/* Plausibility of the older layout CCC YY DDD NNNNN; today is FY2025. */
static const struct ident_case dates[] = {
	{ R, "EAC2100012345", NULL, "receipt.implausible_date", NULL, 0, 0 },
	{ R, "EAC2127112345", NULL, "receipt.implausible_date", NULL, 0, 0 },
	{ R, "EAC2160012345", NULL, "receipt.implausible_date", NULL, 0, 0 },
	{ R, "EAC2127012345", NULL, "", NULL, 0, 0 },
	{ R, "EAC2100112345", NULL, "", NULL, 0, 0 },
	{ R, "EAC2515012345", NULL, "", NULL, 0, 0 },
	{ R, "EAC2615012345", NULL, "receipt.implausible_date", NULL, 0, 0 },
	{ R, "VSC2615012345", NULL, "receipt.rare_prefix receipt.implausible_date", NULL, 0, 0 },
	/* newer layout CCC YY 9 DDD NNNN (or 7, 8) and IOE: not judged */
	{ R, "EAC2690012345", NULL, "", NULL, 0, 0 },
	{ R, "EAC2180012345", NULL, "", NULL, 0, 0 },
	{ R, "EAC2170012345", NULL, "", NULL, 0, 0 },
	{ R, "IOE9900012345", NULL, "", NULL, 0, 0 },
	/* an unknown prefix has no known layout either */
	{ R, "XYZ2100012345", NULL, "receipt.unknown_prefix", NULL, 0, 0 },
};

static const struct ident_case asterisks[] = {
	{ R, "EAC*2190012345", NULL, "receipt.asterisk", NULL, 0, 0 },
	{ R, "EAC2190012345*", NULL, "receipt.asterisk", NULL, 0, 0 },
	{ R, "eac*21-900-12345", "EAC*2190012345", "receipt.asterisk receipt.reformatted", NULL, 0, 0 },
	{ R, "EAC*219OO12345", NULL, "receipt.asterisk receipt.bad_character", "EAC*2190012345", 0, 0 },
	{ R, "EAC*219001234", NULL, "receipt.asterisk receipt.bad_length", NULL, 0, 0 },
	{ R, "*2190012345", NULL, "receipt.asterisk receipt.missing_prefix", NULL, 0, 0 },
};

/* Look-alike repairs are applied only when asked. */
static const struct ident_case fixes[] = {
	{ R, "EAC219OO12345", "EAC2190012345", "receipt.lookalike_fixed", "EAC2190012345", IDENT_FIX_LOOKALIKES, 0 },
	{ R, "l1n-21-900-12345", "LIN2190012345", "receipt.lookalike_fixed receipt.reformatted", "LIN2190012345", IDENT_FIX_LOOKALIKES, 0 },
	{ R, "VSC219OO12345", "VSC2190012345", "receipt.lookalike_fixed receipt.rare_prefix", "VSC2190012345", IDENT_FIX_LOOKALIKES, 0 },
	{ R, "E4C2190012345", NULL, "receipt.bad_character", NULL, IDENT_FIX_LOOKALIKES, 0 },
	{ R, "EAC*219OO12345", "EAC*2190012345", "receipt.asterisk receipt.lookalike_fixed", "EAC*2190012345", IDENT_FIX_LOOKALIKES, 0 },
};

static void test_forms(void **state) { RUN_TABLE(*state, forms); }
static void test_prefixes(void **state) { RUN_TABLE(*state, prefixes); }
static void test_errors(void **state) { RUN_TABLE(*state, errors); }
static void test_dates(void **state) { RUN_TABLE(*state, dates); }
static void test_asterisks(void **state) { RUN_TABLE(*state, asterisks); }
static void test_fixes(void **state) { RUN_TABLE(*state, fixes); }

/* The receipt's cross-record code is known to the rules, for the stage. */
static void test_duplicate_code_known(void **state)
{
	enum severity sev = SEV_INFO;

	assert_int_equal(ident_rules_code(*state, "receipt.duplicate", &sev), 1);
	assert_int_equal(sev, SEV_WARNING);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_asterisks),
		cmocka_unit_test(test_fixes),
		cmocka_unit_test(test_duplicate_code_known),
	};

	return cmocka_run_group_tests(tests, rules_setup, rules_teardown);
}
