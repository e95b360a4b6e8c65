/* emit --excel cells and parse --excel: a table of encodings, and the
 * property that decoding an encoded value gives it back, byte for byte,
 * for every short string over an alphabet of the bytes that matter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "excel.h"

struct excel_case {
	const char *value;
	int text;
	const char *cell; /* NULL: written as it is */
};

static const struct excel_case cases[] = {
	{ "012345678", 0, "=\"012345678\"" },
	{ "123456789012", 0, "=\"123456789012\"" },
	{ "12345678901", 0, NULL },
	{ "12345678", 1, "=\"12345678\"" },
	{ "1.23457E+11", 1, "=\"1.23457E+11\"" },
	{ "1.23457E+11", 0, NULL },
	{ "-5", 1, "=\"-5\"" },
	{ "-5", 0, "'-5" },
	{ "=SUM(A1)", 0, "'=SUM(A1)" },
	{ "=\"x\"", 0, "'=\"x\"" },
	{ "+1", 0, "'+1" },
	{ "@x", 0, "'@x" },
	{ "\tx", 0, "'\tx" },
	{ "\rx", 0, "'\rx" },
	{ "'x", 0, "''x" },
	{ "A012345678", 1, NULL },
	{ "x", 0, NULL },
	{ "", 1, NULL },
	{ "0", 0, NULL },
};

static void test_table(void **state)
{
	struct outbuf o;
	(void)state;
	assert_int_equal(outbuf_init(&o, -1, "t", "test"), 0);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct excel_case *c = &cases[i];
		int r = excel_encode(&o, slice_of(c->value), c->text);
		if (!c->cell) {
			assert_int_equal(r, 0);
			continue;
		}
		assert_int_equal(r, 1);
		assert_int_equal(o.len, strlen(c->cell));
		assert_memory_equal(o.buf, c->cell, o.len);
	}
	o.len = 0;
	outbuf_release(&o);
}

/* Every string of up to 4 bytes over ALPHABET survives encode + decode. */
static void test_round_trip(void **state)
{
	static const char alphabet[] = "=+-@\t\r'\"0 1.eA";
	enum { K = sizeof(alphabet) - 1 };
	struct outbuf o;
	struct record rec;
	char v[4];
	(void)state;
	assert_int_equal(outbuf_init(&o, -1, "t", "test"), 0);
	record_init(&rec);
	for (size_t len = 0; len <= 4; len++) {
		size_t total = 1;
		for (size_t i = 0; i < len; i++)
			total *= K;
		for (size_t n = 0; n < total; n++) {
			size_t x = n;
			for (size_t i = 0; i < len; i++, x /= K)
				v[i] = alphabet[x % K];
			for (int text = 0; text <= 1; text++) {
				struct slice in = { v, len }, cell = in;
				if (excel_encode(&o, in, text))
					cell = (struct slice){ o.buf, o.len };
				struct slice out = excel_decode(&rec, cell);
				assert_true(slice_eq(in, out));
				/* An encoded cell never starts with a formula character
				 * other than the = of a ="..." text cell. */
				if (cell.len && cell.ptr[0] == '=')
					assert_true(cell.len >= 3 && cell.ptr[1] == '"');
				record_clear(&rec);
			}
		}
	}
	record_release(&rec);
	o.len = 0;
	outbuf_release(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
