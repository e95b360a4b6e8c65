/* The word-at-a-time helpers of ident_int.h (all_digits, all_zeros,
 * all_upper_or_digits, copy_value, same_value) against byte-at-a-time
 * answers, at every length a value may have and with one odd byte at
 * every place. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ident_int.h"

static int ref_all(const char *p, size_t n, int (*ok)(unsigned char))
{
	for (size_t i = 0; i < n; i++)
		if (!ok((unsigned char)p[i]))
			return 0;
	return n > 0;
}

static int ok_digit(unsigned char c) { return c >= '0' && c <= '9'; }
static int ok_zero(unsigned char c) { return c == '0'; }
static int ok_upper_digit(unsigned char c) { return ok_digit(c) || (c >= 'A' && c <= 'Z'); }

/* Bytes next to the classes' edges, and bytes with the high bit set. */
static const unsigned char odd[] = { '/', '0', '9', ':', '@', 'A', 'Z', '[', 'a', 'z', ' ',
				     0x00, 0x7F, 0x80, 0xB0, 0xC1, 0xFF };

static void check_all(const char *buf, size_t n)
{
	if (all_digits(buf, n) != ref_all(buf, n, ok_digit) ||
	    all_zeros(buf, n) != ref_all(buf, n, ok_zero) ||
	    all_upper_or_digits(buf, n) != ref_all(buf, n, ok_upper_digit))
		fail_msg("length %zu: \"%.*s\"", n, (int)n, buf);
}

static void test_classes(void **state)
{
	static const char fills[] = { '0', '7', 'Q' };
	char buf[IDENT_VALUE_MAX + 8];

	(void)state;
	for (size_t f = 0; f < sizeof fills; f++)
		for (size_t n = 0; n < IDENT_VALUE_MAX; n++) {
			memset(buf, fills[f], sizeof buf);
			check_all(buf, n);
			for (size_t at = 0; at < n; at++)
				for (size_t k = 0; k < sizeof odd; k++) {
					memset(buf, fills[f], sizeof buf);
					buf[at] = (char)odd[k];
					check_all(buf, n);
				}
		}
}

static void test_copy_and_compare(void **state)
{
	char src[IDENT_VALUE_MAX], dst[IDENT_VALUE_MAX + 1];

	(void)state;
	for (size_t i = 0; i < sizeof src; i++)
		src[i] = (char)('A' + i % 26);
	for (size_t n = 0; n < IDENT_VALUE_MAX; n++) {
		memset(dst, '#', sizeof dst);
		copy_value(dst, src, n);
		assert_memory_equal(dst, src, n);
		assert_int_equal(dst[n], '#'); /* nothing written past n */
		assert_true(same_value(dst, src, n));
		for (size_t at = 0; at < n; at++) {
			dst[at] ^= 0x20;
			assert_false(same_value(dst, src, n));
			dst[at] ^= 0x20;
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_copy_and_compare),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
