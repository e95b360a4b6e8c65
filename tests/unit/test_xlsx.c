/* The xlsx value rules (xlsx_cell.h): numbers, dates, date formats, the
 * _xHHHH_ escapes; cell references and relationship targets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "xlsx_book.h"
#include "xlsx_cell.h"
#include "xlsx_sheet.h"

static void check_number(const char *stored, const char *want)
{
	char out[XLSX_TEXT_MAX];
	size_t n = xlsx_number_text(stored, strlen(stored), out);
	if (!want) {
		if (n)
			fail_msg("%s: want the stored text kept, got %.*s", stored, (int)n, out);
		return;
	}
	if (n != strlen(want) || memcmp(out, want, n) != 0)
		fail_msg("%s: want %s, got %.*s", stored, want, (int)n, out);
}

static void test_numbers(void **state)
{
	(void)state;
	check_number("123456789012", "123456789012");      /* plain: as stored */
	check_number("1.23456789012E+11", "123456789012"); /* exponent form */
	check_number("1.23457E+11", "123457000000");
	check_number("0.30000000000000004", "0.3");       /* binary artefact */
	check_number("2.9999999999999996", "3");
	check_number("-2.9999999999999996", "-3");
	check_number("0.1", "0.1");
	check_number("535.0", "535");                      /* no trailing .0 */
	check_number("1.50", "1.5");
	check_number("007", "7");
	check_number("-0", "0");
	check_number("0", "0");
	check_number("0.0", "0");
	check_number("1.5E-7", "0.00000015");
	check_number("1e3", "1000");
	check_number("+12", "12");
	check_number(".5", "0.5");
	check_number("12345678901234567890", "12345678901234567890"); /* integral: every digit */
	check_number("9007199254740993", "9007199254740993");
	check_number("1234567890.1234567", "1234567890.12346");      /* 15 significant digits */
	check_number("0.99999999999999999", "1");
	check_number("1E+400", NULL);                     /* out of range: keep */
	check_number("abc", NULL);
	check_number("", NULL);
	check_number("1e", NULL);
	check_number("1.2.3", NULL);
	check_number("12 ", NULL);
}

static void check_date(const char *serial, int date1904, enum xlsx_kind kind, const char *want)
{
	char out[XLSX_TEXT_MAX];
	size_t n = xlsx_date_text(serial, strlen(serial), date1904, kind, out);
	if (!want) {
		if (n)
			fail_msg("%s: want no date, got %.*s", serial, (int)n, out);
		return;
	}
	if (n != strlen(want) || memcmp(out, want, n) != 0)
		fail_msg("%s (1904: %d): want %s, got %.*s", serial, date1904, want, (int)n, out);
}

static void test_dates(void **state)
{
	(void)state;
	check_date("1", 0, XLSX_DATE, "1900-01-01");
	check_date("59", 0, XLSX_DATE, "1900-02-28");
	check_date("60", 0, XLSX_DATE, "1900-02-29");     /* Excel's fictional day */
	check_date("61", 0, XLSX_DATE, "1900-03-01");
	check_date("0", 0, XLSX_DATE, "1900-01-00");
	check_date("45407", 0, XLSX_DATE, "2024-04-25");
	check_date("45407.4375", 0, XLSX_DATE, "2024-04-25T10:30:00");
	check_date("45407.99999999", 0, XLSX_DATE, "2024-04-26"); /* rounds to the next day */
	check_date("2958465", 0, XLSX_DATE, "9999-12-31");
	check_date("2958466", 0, XLSX_DATE, NULL);         /* past 9999-12-31 */
	check_date("-1", 0, XLSX_DATE, NULL);
	check_date("0", 1, XLSX_DATE, "1904-01-01");
	check_date("43945", 1, XLSX_DATE, "2024-04-25");
	check_date("43945.5", 1, XLSX_DATE, "2024-04-25T12:00:00");
	check_date("0.75", 0, XLSX_TIME, "18:00:00");
	check_date("0.000011574", 0, XLSX_TIME, "00:00:01");
	check_date("1.5", 0, XLSX_TIME, "1900-01-01T12:00:00");
	check_date("45407", 0, XLSX_NUMBER, NULL);
	check_date("x", 0, XLSX_DATE, NULL);
	check_date("", 0, XLSX_DATE, NULL);
}

static void test_formats(void **state)
{
	(void)state;
	assert_int_equal(xlsx_format_kind(0, NULL), XLSX_NUMBER);
	assert_int_equal(xlsx_format_kind(14, NULL), XLSX_DATE);
	assert_int_equal(xlsx_format_kind(22, NULL), XLSX_DATE);
	assert_int_equal(xlsx_format_kind(20, NULL), XLSX_TIME);
	assert_int_equal(xlsx_format_kind(46, NULL), XLSX_TIME);
	assert_int_equal(xlsx_format_kind(30, NULL), XLSX_DATE);
	assert_int_equal(xlsx_format_kind(57, NULL), XLSX_DATE);
	assert_int_equal(xlsx_format_kind(49, NULL), XLSX_NUMBER);
	assert_int_equal(xlsx_format_kind(164, "yyyy\\-mm\\-dd"), XLSX_DATE);
	assert_int_equal(xlsx_format_kind(164, "dd/mm/yyyy hh:mm"), XLSX_DATE);
	assert_int_equal(xlsx_format_kind(164, "mmm"), XLSX_DATE);
	assert_int_equal(xlsx_format_kind(164, "h:mm AM/PM"), XLSX_TIME);
	assert_int_equal(xlsx_format_kind(164, "[h]:mm"), XLSX_TIME);
	assert_int_equal(xlsx_format_kind(164, "0.00\" days\""), XLSX_NUMBER);
	assert_int_equal(xlsx_format_kind(164, "[Red]0.00"), XLSX_NUMBER);
	assert_int_equal(xlsx_format_kind(164, "[$-409]#,##0"), XLSX_NUMBER);
	assert_int_equal(xlsx_format_kind(164, "0\\d"), XLSX_NUMBER);
	assert_int_equal(xlsx_format_kind(164, "General"), XLSX_NUMBER);
	assert_int_equal(xlsx_format_kind(164, "0.00E+00"), XLSX_NUMBER);
	assert_int_equal(xlsx_format_kind(164, "@"), XLSX_NUMBER);
	assert_int_equal(xlsx_format_kind(164, "\"unterminated"), XLSX_NUMBER);
}

static void check_unescape(const char *in, const char *want)
{
	char buf[128];
	size_t n = strlen(in);
	memcpy(buf, in, n);
	n = xlsx_unescape(buf, n);
	if (n != strlen(want) || memcmp(buf, want, n) != 0)
		fail_msg("%s: want %s, got %.*s", in, want, (int)n, buf);
}

static void test_unescape(void **state)
{
	(void)state;
	check_unescape("a_x000D__x000A_b", "a\r\nb");
	check_unescape("_x005F_x000D_", "_x000D_");
	check_unescape("_x00E9_", "\xc3\xa9");
	check_unescape("_xD83D__xDE00_", "\xf0\x9f\x98\x80");
	check_unescape("_xD83D_", "_xD83D_");      /* a lone surrogate stays */
	check_unescape("_x12_", "_x12_");
	check_unescape("_xZZZZ_", "_xZZZZ_");
	check_unescape("snake_case", "snake_case");
	check_unescape("", "");
}

static void test_cell_refs(void **state)
{
	size_t col = 99;
	unsigned long row = 99;
	(void)state;
	assert_int_equal(xlsx_cell_ref("C7", &col, &row), 0);
	assert_int_equal(col, 2);
	assert_int_equal(row, 7);
	assert_int_equal(xlsx_cell_ref("XFD1048576", &col, &row), 0);
	assert_int_equal(col, 16383);
	assert_int_equal(row, 1048576);
	assert_int_equal(xlsx_cell_ref("AA10", &col, &row), 0);
	assert_int_equal(col, 26);
	assert_int_equal(xlsx_cell_ref("12", &col, &row), 0); /* a row number alone */
	assert_int_equal(row, 12);
	assert_int_equal(col, 26);
	assert_int_equal(xlsx_cell_ref("XFE1", &col, &row), -1);
	assert_int_equal(xlsx_cell_ref("A0", &col, &row), -1);
	assert_int_equal(xlsx_cell_ref("1A", &col, &row), -1);
	assert_int_equal(xlsx_cell_ref("", &col, &row), -1);
}

static void check_target(const char *target, const char *want)
{
	char out[64];
	int rc = xlsx_resolve_target(target, out, sizeof(out));
	if (!want) {
		if (rc == 0)
			fail_msg("%s: want refused, got %s", target, out);
		return;
	}
	if (rc != 0 || strcmp(out, want) != 0)
		fail_msg("%s: want %s, got %s", target, want, rc ? "refused" : out);
}

static void test_targets(void **state)
{
	(void)state;
	check_target("worksheets/sheet1.xml", "xl/worksheets/sheet1.xml");
	check_target("/xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml");
	check_target("./worksheets//sheet1.xml", "xl/worksheets/sheet1.xml");
	check_target("../xl/sharedStrings.xml", "xl/sharedStrings.xml");
	check_target("../../etc/passwd", NULL);
	check_target("/../x.xml", NULL);
	check_target("..", NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_unescape),
		cmocka_unit_test(test_cell_refs),
		cmocka_unit_test(test_targets),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
