/* Masking values for messages. */

#include "test_ident_util.h"

struct mask_case {
	const char *input;
	size_t len;
	const char *masked;
};

static const struct mask_case cases[] = {
	{ "A012345678", 10, "******5678" },
	{ "123456789012", 12, "********9012" },
	{ "12345678", 8, "****5678" },
	{ "1234567", 7, "****567" },
	{ "1234", 4, "**34" },
	{ "1", 1, "*" },
	{ "", 0, "" },
	{ "\xC3\xA9" "bcdefgh", 9, "****efgh" },
	{ "abcdef\xC3\xA9", 8, "****ef\xC3\xA9" },
	{ "ab\0" "defgh", 8, "****efgh" },
};

static void test_mask_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[64];
		size_t n = ident_mask(cases[i].input, cases[i].len, out, sizeof out);

		assert_string_equal(out, cases[i].masked);
		assert_int_equal(n, strlen(cases[i].masked));
	}
}

static void test_mask_truncates(void **state)
{
	char out[5] = "xxxx";

	(void)state;
	assert_int_equal(ident_mask("A012345678", 10, out, sizeof out), 10);
	assert_string_equal(out, "****");
	assert_int_equal(ident_mask("A012345678", 10, out, 0), 10);
	assert_string_equal(out, "****");
	assert_int_equal(ident_mask("A012345678", 10, out, 1), 10);
	assert_string_equal(out, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mask_table),
		cmocka_unit_test(test_mask_truncates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
