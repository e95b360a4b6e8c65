/*
 * The TSV reader (stages/parse_tsv.c): no quoting, \t \n \r \\ escapes,
 * every input fed at every read size from 1 byte up, and whole.
 *
 * Expected NDJSON is written with ' for " (see test_helpers.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_helpers.h"
#include "utf8.h"

static const struct parse_options tsv = { .format = "tsv", .delimiter = ',', .header = 1 };
static const struct parse_options tsv_nohead = { .format = "tsv", .delimiter = ',', .header = 0 };

#define TSRC(line, rec) "'_source':{'file':'in.tsv','line':" #line ",'record':" #rec "}"

/* check_every_chunk() with the input called in.tsv. */
static void check_tsv(const struct parse_options *opt, const char *data, const char *want_q)
{
	char *want = unquote_expected(want_q);
	size_t len = strlen(data), want_len = strlen(want);
	for (size_t k = 1; k <= len + 1; k++) {
		size_t max_read = k <= len ? k : 0;
		struct parsed p = parse_buffer_named(&reader_tsv, opt, "in.tsv", data, len, max_read);
		assert_same_output(p.out, p.out_len, want, want_len, max_read);
		assert_int_equal(p.status, ST_OK);
		parsed_free(&p);
	}
	free(want);
}

static void test_escapes(void **state)
{
	(void)state;
	check_tsv(&tsv, "a\tb\nx\\ty\tl1\\nl2\nc\\rd\te\\\\f\n",
		  "{'a':'x\\ty','b':'l1\\nl2'," TSRC(2, 1) "}\n"
		  "{'a':'c\\rd','b':'e\\\\f'," TSRC(3, 2) "}\n");
	/* \\t is a backslash and a t, not a tab. */
	check_tsv(&tsv, "a\n\\\\t\\\\\\\\\n",
		  "{'a':'\\\\t\\\\\\\\'," TSRC(2, 1) "}\n");
	/* Escapes in the header too. */
	check_tsv(&tsv, "a\\tb\tc\n1\t2\n",
		  "{'a\\tb':'1','c':'2'," TSRC(2, 1) "}\n");
}

static void test_unknown_escapes_kept(void **state)
{
	(void)state;
	check_tsv(&tsv, "a\tb\n\\x\\N\t\\\n\\0\t\\\"\n",
		  "{'a':'\\\\x\\\\N','b':'\\\\'," TSRC(2, 1) "}\n"
		  "{'a':'\\\\0','b':'\\\\\\''," TSRC(3, 2) "}\n");
}

static void test_quotes_are_ordinary(void **state)
{
	(void)state;
	check_tsv(&tsv, "a\tb\n\"x\"\t\"y\n\"p\tq\"\t\"\"\n",
		  "{'a':'\\'x\\'','b':'\\'y'," TSRC(2, 1) "}\n"
		  "{'a':'\\'p','b':'q\\'','column_3':'\\'\\''," TSRC(3, 2) ",'_issues':["
		  ISSUE("csv.long_row", "row has 3 fields where 2 were expected; the extra ones are kept under generated names")
		  "]}\n");
}

static void test_line_ends(void **state)
{
	(void)state;
	static const char want[] =
		"{'a':'1','b':'2'," TSRC(2, 1) "}\n"
		"{'a':'3','b':'4'," TSRC(3, 2) "}\n";
	check_tsv(&tsv, "a\tb\r\n1\t2\r\n3\t4\r\n", want);
	check_tsv(&tsv, "a\tb\n1\t2\n3\t4\n", want);
	check_tsv(&tsv, "a\tb\n1\t2\n3\t4", want);
	check_tsv(&tsv, "a\tb\r\n1\t2\r\n3\t4", want);
	/* An escaped CR before the line end stays. */
	check_tsv(&tsv, "a\tb\n1\t2\\r\r\n",
		  "{'a':'1','b':'2\\r'," TSRC(2, 1) "}\n");
}

static void test_bom_and_no_header(void **state)
{
	(void)state;
	check_tsv(&tsv, "\xEF\xBB\xBF" "a\tb\n1\t2\n",
		  "{'a':'1','b':'2'," TSRC(2, 1) "}\n");
	check_tsv(&tsv_nohead, "\xEF\xBB\xBF" "a\tb\n1\n",
		  "{'column_1':'a','column_2':'b'," TSRC(1, 1) "}\n"
		  "{'column_1':'1','column_2':''," TSRC(2, 2) ",'_issues':["
		  ISSUE("csv.short_row", "row has 1 of 2 fields; the missing ones are empty") "]}\n");
}

static void test_blank_lines(void **state)
{
	(void)state;
	check_tsv(&tsv, "a\tb\n\n1\t2\r\n\n",
		  "{'a':'1','b':'2'," TSRC(3, 1) "}\n");
	check_tsv(&tsv, "a\n\n1\n",
		  "{'a':''," TSRC(2, 1) "}\n"
		  "{'a':'1'," TSRC(3, 2) "}\n");
	check_tsv(&tsv, "", "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_unknown_escapes_kept),
		cmocka_unit_test(test_quotes_are_ordinary),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_bom_and_no_header),
		cmocka_unit_test(test_blank_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
