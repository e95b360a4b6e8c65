/*
 * The CSV reader (stages/parse_csv.c with stages/rows.c), every input fed
 * at every read size from 1 byte up, and whole: the output must be the
 * same at every size.  Then the public suites in ../shared/suites
 * (csv-spectrum, csv-test-data), read at run time from the repository root.
 *
 * Expected NDJSON is written with ' for " (see test_helpers.h).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "test_helpers.h"
#include "utf8.h"

static const struct parse_options csv = { .format = "csv", .delimiter = ',', .header = 1 };
static const struct parse_options csv_nohead = { .format = "csv", .delimiter = ',', .header = 0 };

#define BAD_UTF8(field) \
	FISSUE(field, "parse.invalid_utf8", "not valid UTF-8; NDJSON shows the bad bytes as U+FFFD")
#define STRAY FISSUE("b", "csv.stray_quote", "a quote inside an unquoted field is kept as a character")

/* ---- quoting ---------------------------------------------------------- */

static void test_quoted_commas(void **state)
{
	(void)state;
	check_chunks(&reader_csv, &csv,
		     "a,b,c\n1,\"x,y\",2\n\"p,q\",\",\",\"\"\n",
		     "{'a':'1','b':'x,y','c':'2'," SRC(2, 1) "}\n"
		     "{'a':'p,q','b':',','c':''," SRC(3, 2) "}\n");
}

static void test_doubled_quotes(void **state)
{
	(void)state;
	check_chunks(&reader_csv, &csv,
		     "a,b,c\n\"say \"\"hi\"\"\",\"\"\"\"\"\",\"\"\"\"\n",
		     "{'a':'say \\'hi\\'','b':'\\'\\'','c':'\\''," SRC(2, 1) "}\n");
}

static void test_line_ends_inside_quotes(void **state)
{
	(void)state;
	/* LF, CRLF and a lone CR inside quotes are kept as they are, and each
	 * counts as a line for the _source of the next record. */
	check_chunks(&reader_csv, &csv,
		     "a,b\n\"l1\nl2\",\"c1\r\nc2\"\n\"r1\rr2\",x\nz,z\n",
		     "{'a':'l1\\nl2','b':'c1\\r\\nc2'," SRC(2, 1) "}\n"
		     "{'a':'r1\\rr2','b':'x'," SRC(5, 2) "}\n"
		     "{'a':'z','b':'z'," SRC(7, 3) "}\n");
}

/* Appends N copies of C to the text at *P and moves *P past them. */
static void put_run(char **p, char c, size_t n)
{
	memset(*p, c, n);
	*p += n;
}

static void test_line_ends_in_long_quotes(void **state)
{
	(void)state;
	/* Line ends at every place of the 16-byte blocks the reader counts
	 * them in, one last before the closing quote, and a CR before a ""
	 * pair, whatever the read size. */
	for (size_t a = 0; a < 40; a++) {
		char value[256], json[512], in[512], want[1024], *v = value;
		put_run(&v, 'x', a);
		v += sprintf(v, "\n");
		put_run(&v, 'y', a % 19);
		v += sprintf(v, "\r");
		put_run(&v, 'w', 5);
		v += sprintf(v, "\r\n");
		put_run(&v, 'v', a % 17);
		v += sprintf(v, "\r\"\"\r\"\"\n\r");
		*v = '\0';
		/* The value as JSON: "" is one quote, written \\" (see SRC). */
		char *j = json;
		for (const char *c = value; *c; c++) {
			if (*c == '"')
				c++, j += sprintf(j, "\\'");
			else if (*c == '\n' || *c == '\r')
				j += sprintf(j, "\\%c", *c == '\n' ? 'n' : 'r');
			else
				*j++ = *c;
		}
		*j = '\0';
		snprintf(in, sizeof(in), "a,b\n\"%s\",x\nz,z\n", value);
		/* Seven line ends in the value: LF, CR, CRLF, CR, CR, LF, CR. */
		snprintf(want, sizeof(want), "{'a':'%s','b':'x'," SRC(2, 1) "}\n{'a':'z','b':'z'," SRC(10, 2) "}\n",
			 json);
		check_chunks(&reader_csv, &csv, in, want);
	}
}

static void test_quoted_field_ending_at_eof(void **state)
{
	(void)state;
	check_chunks(&reader_csv, &csv, "a,b\n1,\"x\"",
		     "{'a':'1','b':'x'," SRC(2, 1) "}\n");
	check_chunks(&reader_csv, &csv, "a,b\n1,\"x\"\"\"",
		     "{'a':'1','b':'x\\''," SRC(2, 1) "}\n");
	check_chunks(&reader_csv, &csv, "a,b\n1,\"\"",
		     "{'a':'1','b':''," SRC(2, 1) "}\n");
}

/* ---- row ends --------------------------------------------------------- */

static void test_row_ends(void **state)
{
	(void)state;
	static const char want[] =
		"{'a':'1','b':'2'," SRC(2, 1) "}\n"
		"{'a':'3','b':'4'," SRC(3, 2) "}\n";
	check_chunks(&reader_csv, &csv, "a,b\n1,2\n3,4\n", want);
	check_chunks(&reader_csv, &csv, "a,b\r\n1,2\r\n3,4\r\n", want);
	check_chunks(&reader_csv, &csv, "a,b\r1,2\r3,4\r", want);
	check_chunks(&reader_csv, &csv, "a,b\r\n1,2\r3,4\n", want);
	check_chunks(&reader_csv, &csv, "a,b\n1,2\n3,4", want);
	check_chunks(&reader_csv, &csv, "a,b\r1,2\r3,4", want);
	/* Quoted last fields before each kind of row end. */
	check_chunks(&reader_csv, &csv, "a,b\n1,\"2\"\r3,\"4\"\r\n", want);
}

static void test_empty_inputs(void **state)
{
	(void)state;
	check_chunks(&reader_csv, &csv, "", "");
	check_chunks(&reader_csv, &csv, "a,b\n", "");
	check_chunks(&reader_csv, &csv, "a,b", "");
	check_chunks(&reader_csv, &csv_nohead, "", "");
}

/* ---- byte order mark -------------------------------------------------- */

static void test_bom(void **state)
{
	(void)state;
	/* Every read size from 1 splits the BOM across reads somewhere. */
	check_chunks(&reader_csv, &csv, "\xEF\xBB\xBF" "a,b\n1,2\n",
		     "{'a':'1','b':'2'," SRC(2, 1) "}\n");
	check_chunks(&reader_csv, &csv, "\xEF\xBB\xBF\"a\",b\n1,2\n",
		     "{'a':'1','b':'2'," SRC(2, 1) "}\n");
	check_chunks(&reader_csv, &csv_nohead, "\xEF\xBB\xBF" "1,2\n",
		     "{'column_1':'1','column_2':'2'," SRC(1, 1) "}\n");
	check_chunks(&reader_csv, &csv, "\xEF\xBB\xBF", "");
	/* Only at the start: later it is data, kept byte for byte. */
	check_chunks(&reader_csv, &csv, "a\n\xEF\xBB\xBFx\n",
		     "{'a':'\xEF\xBB\xBFx'," SRC(2, 1) "}\n");
	/* Two BOMs: only the first is dropped. */
	check_chunks(&reader_csv, &csv_nohead, "\xEF\xBB\xBF\xEF\xBB\xBFx\n",
		     "{'column_1':'\xEF\xBB\xBFx'," SRC(1, 1) "}\n");
	/* The start of a BOM is not one: kept, and (being no UTF-8, with no
	 * UTF-8 character before it) read as Windows-1252 by the input. */
	check_chunks(&reader_csv, &csv_nohead, "\xEF\xBBx\n",
		     "{'column_1':'\xC3\xAF\xC2\xBBx'," SRC(1, 1) "}\n");
	check_chunks(&reader_csv, &csv_nohead, "\xEF\n",
		     "{'column_1':'\xC3\xAF'," SRC(1, 1) "}\n");
}

/* ---- options ---------------------------------------------------------- */

static void test_delimiter_semicolon(void **state)
{
	(void)state;
	static const struct parse_options semi = { .format = "csv", .delimiter = ';', .header = 1 };
	check_chunks(&reader_csv, &semi, "a;b\n\"x;y\";2,3\n1;\"\"\"\"\n",
		     "{'a':'x;y','b':'2,3'," SRC(2, 1) "}\n"
		     "{'a':'1','b':'\\''," SRC(3, 2) "}\n");
}

static void test_delimiter_tab(void **state)
{
	(void)state;
	static const struct parse_options tab = { .format = "csv", .delimiter = '\t', .header = 1 };
	check_chunks(&reader_csv, &tab, "a\tb\n\"x\ty\"\t2,3\n",
		     "{'a':'x\\ty','b':'2,3'," SRC(2, 1) "}\n");
}

static void test_no_header(void **state)
{
	(void)state;
	check_chunks(&reader_csv, &csv_nohead, "a,b\n1,2\n",
		     "{'column_1':'a','column_2':'b'," SRC(1, 1) "}\n"
		     "{'column_1':'1','column_2':'2'," SRC(2, 2) "}\n");
	/* The first row sets the width. */
	check_chunks(&reader_csv, &csv_nohead, "1,2\n3\n4,5,6\n",
		     "{'column_1':'1','column_2':'2'," SRC(1, 1) "}\n"
		     "{'column_1':'3','column_2':''," SRC(2, 2) ",'_issues':["
		     ISSUE("csv.short_row", "row has 1 of 2 fields; the missing ones are empty") "]}\n"
		     "{'column_1':'4','column_2':'5','column_3':'6'," SRC(3, 3) ",'_issues':["
		     ISSUE("csv.long_row", "row has 3 fields where 2 were expected; the extra ones are kept under generated names")
		     "]}\n");
}

/* ---- header names ----------------------------------------------------- */

static void test_empty_and_duplicate_header_names(void **state)
{
	(void)state;
	struct parsed p = check_text(
		&reader_csv, &csv, "a,,a,\n1,2,3,4\n5,6,7,8\n",
		"{'a':'1','column_2':'2','a_2':'3','column_4':'4'," SRC(2, 1) ",'_issues':["
		FISSUE("column_2", "csv.empty_header", "column 2 has no name; it is called column_2") ","
		FISSUE("a_2", "csv.duplicate_header", "column 3 repeats the name a; it is called a_2") ","
		FISSUE("column_4", "csv.empty_header", "column 4 has no name; it is called column_4")
		"]}\n"
		"{'a':'5','column_2':'6','a_2':'7','column_4':'8'," SRC(3, 2) "}\n",
		ST_OK, 0);
	assert_string_equal(p.err,
			    "casepipe: parse: in.csv:1: column 2 has no name; it is called column_2\n"
			    "casepipe: parse: in.csv:1: column 3 repeats the name a; it is called a_2\n"
			    "casepipe: parse: in.csv:1: column 4 has no name; it is called column_4\n");
	parsed_free(&p);
}

static void test_generated_names_stay_unique(void **state)
{
	(void)state;
	/* An empty name whose generated name is taken, a third "a", and a
	 * long row whose generated name is taken by the header. */
	check_chunks(&reader_csv, &csv, "column_2,,a,a,a,column_6\n1,2,3,4,5,6,7\n",
		     "{'column_2':'1','column_2_2':'2','a':'3','a_2':'4','a_3':'5','column_6':'6',"
		     "'column_7':'7'," SRC(2, 1) ",'_issues':["
		     ISSUE("csv.long_row", "row has 7 fields where 6 were expected; the extra ones are kept under generated names") ","
		     FISSUE("column_2_2", "csv.empty_header", "column 2 has no name; it is called column_2_2") ","
		     FISSUE("a_2", "csv.duplicate_header", "column 4 repeats the name a; it is called a_2") ","
		     FISSUE("a_3", "csv.duplicate_header", "column 5 repeats the name a; it is called a_3")
		     "]}\n");
	check_chunks(&reader_csv, &csv, "a,column_3\n1,2,3\n",
		     "{'a':'1','column_3':'2','column_3_2':'3'," SRC(2, 1) ",'_issues':["
		     ISSUE("csv.long_row", "row has 3 fields where 2 were expected; the extra ones are kept under generated names")
		     "]}\n");
}

/* ---- field ends at every place -------------------------------------------- */

static void test_field_ends_at_every_place(void **state)
{
	(void)state;
	/* The reader looks for a field's end 16 and 8 bytes at a time: a
	 * delimiter, a line end or a stray quote at every place of a block. */
	static const char *const ends[] = { "\n", "\r\n", "\r" };
	char in[128], want[256], a[40], b[40];
	for (size_t la = 0; la < 34; la++) {
		for (size_t lb = 0; lb < 34; lb += 3) {
			for (size_t e = 0; e < sizeof(ends) / sizeof(ends[0]); e++) {
				for (size_t i = 0; i < la; i++)
					a[i] = (char)('a' + i % 26);
				for (size_t i = 0; i < lb; i++)
					b[i] = (char)('A' + i % 26);
				snprintf(in, sizeof(in), "k,v%s%.*s,%.*s%sz,z%s", ends[e], (int)la, a,
					 (int)lb, b, ends[e], ends[e]);
				snprintf(want, sizeof(want),
					 "{'k':'%.*s','v':'%.*s'," SRC(2, 1) "}\n"
					 "{'k':'z','v':'z'," SRC(3, 2) "}\n",
					 (int)la, a, (int)lb, b);
				check_chunks(&reader_csv, &csv, in, want);
			}
		}
	}
	/* A stray quote found by the wide scan is kept with a warning. */
	check_chunks(&reader_csv, &csv, "a,b\n1,abcdefghijklmnopqrst\"uvw\n",
		     "{'a':'1','b':'abcdefghijklmnopqrst\\'uvw'," SRC(2, 1) ",'_issues':[" STRAY "]}\n");
}

/* ---- ragged rows -------------------------------------------------------- */

static void test_short_and_long_rows(void **state)
{
	(void)state;
	check_chunks(&reader_csv, &csv, "a,b,c\n1\n1,2\n1,2,3,4,5\n1,2,3\n",
		     "{'a':'1','b':'','c':''," SRC(2, 1) ",'_issues':["
		     ISSUE("csv.short_row", "row has 1 of 3 fields; the missing ones are empty") "]}\n"
		     "{'a':'1','b':'2','c':''," SRC(3, 2) ",'_issues':["
		     ISSUE("csv.short_row", "row has 2 of 3 fields; the missing ones are empty") "]}\n"
		     "{'a':'1','b':'2','c':'3','column_4':'4','column_5':'5'," SRC(4, 3) ",'_issues':["
		     ISSUE("csv.long_row", "row has 5 fields where 3 were expected; the extra ones are kept under generated names")
		     "]}\n"
		     "{'a':'1','b':'2','c':'3'," SRC(5, 4) "}\n");
}

/* ---- blank lines -------------------------------------------------------- */

static void test_blank_lines_one_column(void **state)
{
	(void)state;
	/* With one column a blank line is an empty value, not skipped. */
	check_chunks(&reader_csv, &csv, "a\n1\n\n2\n\n",
		     "{'a':'1'," SRC(2, 1) "}\n"
		     "{'a':''," SRC(3, 2) "}\n"
		     "{'a':'2'," SRC(4, 3) "}\n"
		     "{'a':''," SRC(5, 4) "}\n");
	check_chunks(&reader_csv, &csv, "a\r\n\r\n1\r\n",
		     "{'a':''," SRC(2, 1) "}\n"
		     "{'a':'1'," SRC(3, 2) "}\n");
	check_chunks(&reader_csv, &csv_nohead, "\n\n",
		     "{'column_1':''," SRC(1, 1) "}\n"
		     "{'column_1':''," SRC(2, 2) "}\n");
}

static void test_blank_lines_many_columns(void **state)
{
	(void)state;
	/* With more columns blank lines are skipped, counted and reported;
	 * the lines of later records stay right. */
	struct parsed p = check_text(
		&reader_csv, &csv, "\na,b\n1,2\n\n\r\n3,4\r\r\n",
		"{'a':'1','b':'2'," SRC(3, 1) "}\n"
		"{'a':'3','b':'4'," SRC(6, 2) "}\n",
		ST_OK, 0);
	assert_string_equal(p.err, "casepipe: parse: in.csv:1: 4 blank lines skipped\n");
	parsed_free(&p);
}

/* ---- quotes in the wrong place ----------------------------------------- */

static void test_stray_quote_kept_with_warning(void **state)
{
	(void)state;
	check_chunks(&reader_csv, &csv, "a,b\n1,x\"y\n2,5\"\n",
		     "{'a':'1','b':'x\\'y'," SRC(2, 1) ",'_issues':[" STRAY "]}\n"
		     "{'a':'2','b':'5\\''," SRC(3, 2) ",'_issues':[" STRAY "]}\n");
}

static void test_excel_text_no_warning(void **state)
{
	(void)state;
	check_chunks(&reader_csv, &csv, "a,b\n1,=\"EAC1234567890\"\n2,=\"\"\n",
		     "{'a':'1','b':'=\\'EAC1234567890\\''," SRC(2, 1) "}\n"
		     "{'a':'2','b':'=\\'\\''," SRC(3, 2) "}\n");
}

static void test_text_after_closing_quote(void **state)
{
	(void)state;
	struct parsed p = check_text(
		&reader_csv, &csv, "a,b\n1,\"x\"y\n2,\"m\nn\"z,\"o\"\n3,4\n",
		"{'a':'3','b':'4'," SRC(5, 3) "}\n",
		ST_OK, 2);
	assert_string_equal(p.err,
			    "casepipe: parse: in.csv:2: text after a closing quote; record rejected\n"
			    "casepipe: parse: in.csv:3: text after a closing quote; record rejected\n");
	assert_int_equal(p.records, 1);
	parsed_free(&p);

	/* At the end of the input. */
	p = check_text(&reader_csv, &csv, "a,b\n1,2\n1,\"x\"y",
			      "{'a':'1','b':'2'," SRC(2, 1) "}\n", ST_OK, 1);
	parsed_free(&p);
}

static void test_text_after_closing_quote_cr_rows(void **state)
{
	(void)state;
	/* Rows ended by a lone CR: reading goes on at the next row. */
	struct parsed p = check_text(
		&reader_csv, &csv, "a,b\r1,\"x\"y\r3,4\r",
		"{'a':'3','b':'4'," SRC(3, 2) "}\n",
		ST_OK, 1);
	parsed_free(&p);
}

static void test_unterminated_quote(void **state)
{
	(void)state;
	struct parsed p = check_text(
		&reader_csv, &csv, "a,b\n1,2\n\"x\ny\",3\n4,\"open\nmore\n5,6\n",
		"{'a':'1','b':'2'," SRC(2, 1) "}\n"
		"{'a':'x\\ny','b':'3'," SRC(3, 2) "}\n",
		ST_INPUT, 0);
	assert_string_equal(p.err, "casepipe: parse: in.csv:5: unterminated quoted field\n");
	parsed_free(&p);

	p = check_text(&reader_csv, &csv, "a\n\"", "", ST_INPUT, 0);
	assert_string_equal(p.err, "casepipe: parse: in.csv:2: unterminated quoted field\n");
	parsed_free(&p);
}

/* ---- _source ------------------------------------------------------------ */

static void test_source_lines(void **state)
{
	(void)state;
	check_chunks(&reader_csv, &csv,
		     "a,b\n\"1\n\n\n\",2\n\n3,\"\r\n\"\n4,\"x\"\"\ny\"\n5,5\n",
		     "{'a':'1\\n\\n\\n','b':'2'," SRC(2, 1) "}\n"
		     "{'a':'3','b':'\\r\\n'," SRC(7, 2) "}\n"
		     "{'a':'4','b':'x\\'\\ny'," SRC(9, 3) "}\n"
		     "{'a':'5','b':'5'," SRC(11, 4) "}\n");
}

/* ---- odd bytes ---------------------------------------------------------- */

static void test_nul_bytes(void **state)
{
	(void)state;
	static const char in[] = "a,b\nx\0y,\"\0\"\n\0,2\n";
	struct parsed p = check_every_chunk(
		&reader_csv, &csv, in, sizeof(in) - 1,
		"{'a':'x\\u0000y','b':'\\u0000'," SRC(2, 1) "}\n"
		"{'a':'\\u0000','b':'2'," SRC(3, 2) "}\n",
		ST_OK, 0);
	parsed_free(&p);
}

static void test_utf8_cut_by_reads(void **state)
{
	(void)state;
	/* Characters of 2, 3 and 4 bytes (leads C3, E0, E2, ED, F0, F4), the
	 * first non-ASCII ones of the input, must come out whole whatever the
	 * read size (and not make the input look like Windows-1252). */
	static const char *const chars[] = {
		"\xC3\xA9", "\xE0\xA0\x80", "\xE2\x82\xAC", "\xED\x9F\xBF",
		"\xF0\x9F\x98\x8E", "\xF4\x8F\xBF\xBF",
	};
	for (size_t i = 0; i < sizeof(chars) / sizeof(chars[0]); i++) {
		char in[32], want[128];
		snprintf(in, sizeof(in), "%s\n", chars[i]);
		snprintf(want, sizeof(want), "{'column_1':'%s'," SRC(1, 1) "}\n", chars[i]);
		check_chunks(&reader_csv, &csv_nohead, in, want);
		snprintf(in, sizeof(in), "a\n%s\n", chars[i]);
		snprintf(want, sizeof(want), "{'a':'%s'," SRC(2, 1) "}\n", chars[i]);
		check_chunks(&reader_csv, &csv, in, want);
	}
}

static void test_utf8_in_long_values(void **state)
{
	(void)state;
	/* Characters at every place of the blocks the input checks for
	 * ASCII (16 and 64 bytes), and a Windows-1252 input whose first
	 * non-ASCII byte comes late, whatever the read size. */
	for (size_t a = 0; a < 80; a += 3) {
		char in[256], want[512], *p = in;
		p += sprintf(p, "a,b\n");
		put_run(&p, 'x', a);
		p += sprintf(p, "\xC3\xA9,");
		put_run(&p, 'y', 80 - a);
		p += sprintf(p, "\xE2\x82\xAC\n");
		*p = '\0';
		snprintf(want, sizeof(want), "{'a':'%.*s\xC3\xA9','b':'%.*s\xE2\x82\xAC'," SRC(2, 1) "}\n",
			 (int)a, in + 4, (int)(80 - a), in + 4 + a + 3);
		check_chunks(&reader_csv, &csv, in, want);

		p = in;
		p += sprintf(p, "a\n");
		put_run(&p, 'x', a);
		p += sprintf(p, "\xE9\n");
		*p = '\0';
		snprintf(want, sizeof(want), "{'a':'%.*s\xC3\xA9'," SRC(2, 1) "}\n", (int)a, in + 2);
		check_chunks(&reader_csv, &csv, in, want);
	}
}

static void test_windows_1252(void **state)
{
	(void)state;
	/* Bytes that are not UTF-8, with no UTF-8 character before them: the
	 * input is read as Windows-1252. */
	check_chunks(&reader_csv, &csv, "a,b\n\xE9t\xE9,\x80\x93\n",
		     "{'a':'\xC3\xA9t\xC3\xA9','b':'\xE2\x82\xAC\xE2\x80\x9C'," SRC(2, 1) "}\n");
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	/* After a UTF-8 character, ill-formed bytes are passed on and written
	 * as U+FFFD, one per byte, with an issue; well-formed ones cut by a
	 * read boundary stay whole. */
	static const char in[] = "a,b\n\xC3\xA9\xF0\x9F\x98\x8E,\xFF\xC3\n\"\xED\xA0\x80\",\xC0\xAF\n";
	struct parsed p = check_every_chunk(
		&reader_csv, &csv, in, sizeof(in) - 1,
		"{'a':'\xC3\xA9\xF0\x9F\x98\x8E','b':'" UTF8_REPLACEMENT UTF8_REPLACEMENT "'," SRC(2, 1)
		",'_issues':[" BAD_UTF8("b") "]}\n"
		"{'a':'" UTF8_REPLACEMENT UTF8_REPLACEMENT UTF8_REPLACEMENT "','b':'"
		UTF8_REPLACEMENT UTF8_REPLACEMENT "'," SRC(3, 2) ",'_issues':[" BAD_UTF8("a") "," BAD_UTF8("b") "]}\n",
		ST_OK, 0);
	/* And jansson reads every line. */
	for (char *line = p.out; *line;) {
		char *nl = strchr(line, '\n');
		json_error_t err;
		json_t *j = json_loadb(line, (size_t)(nl - line), 0, &err);
		assert_non_null(j);
		json_decref(j);
		line = nl + 1;
	}
	parsed_free(&p);
}

/* A 10 MB quoted field with quotes and newlines in it, at a few read sizes. */
static void test_ten_megabyte_field(void **state)
{
	(void)state;
	enum { BIG = 10 * 1000 * 1000 };
	char *in = malloc(BIG + 64);
	assert_non_null(in);
	size_t n = 0;
	n += (size_t)sprintf(in, "a,b\n1,\"");
	size_t value_start = n;
	for (size_t i = 0; i < BIG; i++)
		in[n++] = (char)('a' + i % 26);
	memcpy(in + value_start + 1000, "\"\"", 2);   /* one escaped quote */
	in[value_start + BIG / 2] = '\n';             /* one line end */
	n += (size_t)sprintf(in + n, "\"\n3,4\n");

	/* The expected value: the bytes, "" undone, \n escaped. */
	size_t cap = BIG + 256;
	char *want = malloc(cap);
	assert_non_null(want);
	size_t w = (size_t)sprintf(want, "{\"a\":\"1\",\"b\":\"");
	for (size_t i = 0; i < BIG; i++) {
		char c = in[value_start + i];
		if (i == 1000) {
			memcpy(want + w, "\\\"", 2);
			w += 2;
			i++;
		} else if (c == '\n') {
			memcpy(want + w, "\\n", 2);
			w += 2;
		} else {
			want[w++] = c;
		}
	}
	w += (size_t)sprintf(want + w,
			     "\",\"_source\":{\"file\":\"in.csv\",\"line\":2,\"record\":1}}\n"
			     "{\"a\":\"3\",\"b\":\"4\",\"_source\":{\"file\":\"in.csv\",\"line\":4,\"record\":2}}\n");

	static const size_t sizes[] = { 0, 1 << 20, 65536 + 7 };
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct parsed p = parse_buffer(&reader_csv, &csv, in, n, sizes[i]);
		assert_int_equal(p.status, ST_OK);
		assert_same_output(p.out, p.out_len, want, w, sizes[i]);
		parsed_free(&p);
	}
	free(want);
	free(in);
}

/* ---- public suites ------------------------------------------------------ */

#define SPECTRUM "../shared/suites/csv-spectrum"
#define TESTDATA "../shared/suites/csv-test-data"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		print_error("cannot open %s (run from the repository root)\n", path);
		fail();
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The file names in DIR ending with .csv, sorted; NULL-terminated. */
static char **list_csv(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	if (!d) {
		/* The suites live beside the repository, not in it. */
		print_message("SKIP: cannot open %s (the public suites are not there)\n", dir);
		skip();
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".csv") != 0)
			continue;
		names = realloc(names, (n + 2) * sizeof(*names));
		assert_non_null(names);
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			char *t = names[j];
			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	if (names)
		names[n] = NULL;
	*count = n;
	return names;
}

static void free_list(char **names)
{
	for (size_t i = 0; names && names[i]; i++)
		free(names[i]);
	free(names);
}

/* Parses the file at PATH (whole, and at a few read sizes that must give
 * the same) and returns the records as a JSON array of objects. */
static json_t *parse_file(const char *path, const struct parse_options *opt, struct parsed *out)
{
	size_t len;
	char *data = slurp(path, &len);
	const char *name = strrchr(path, '/') + 1;
	struct parsed whole = parse_buffer_named(&reader_csv, opt, name, data, len, 0);
	for (size_t k = 1; k <= len; k++) {
		struct parsed p = parse_buffer_named(&reader_csv, opt, name, data, len, k);
		if (p.status != whole.status || strcmp(p.out, whole.out) != 0) {
			print_error("%s: read size %zu gives another result\n", path, k);
			fail();
		}
		parsed_free(&p);
	}
	free(data);

	json_t *records = json_array();
	for (char *line = whole.out; *line;) {
		char *nl = strchr(line, '\n');
		json_error_t err;
		json_t *j = json_loadb(line, (size_t)(nl - line), 0, &err);
		if (!j) {
			print_error("%s: output line is not JSON: %s\n", path, err.text);
			fail();
		}
		json_array_append_new(records, j);
		line = nl + 1;
	}
	*out = whole;
	return records;
}

/* Asserts that REC (a record) holds exactly the strings of WANT (an object
 * of strings, or an array of strings for column_1, column_2...), in order,
 * and no issues. */
static void assert_record_is(const char *what, json_t *rec, json_t *want)
{
	const char *key;
	json_t *value;
	size_t i = 0;
	size_t nwant = json_is_array(want) ? json_array_size(want) : json_object_size(want);

	assert_non_null(json_object_get(rec, "_source"));
	if (json_object_get(rec, "_issues")) {
		print_error("%s: unexpected issues: %s\n", what,
			    json_dumps(json_object_get(rec, "_issues"), 0));
		fail();
	}
	json_object_foreach(rec, key, value) {
		if (key[0] == '_')
			continue;
		if (i >= nwant) {
			print_error("%s: extra field %s\n", what, key);
			fail();
		}
		const char *want_key, *want_value;
		char gen[32];
		if (json_is_array(want)) {
			snprintf(gen, sizeof(gen), "column_%zu", i + 1);
			want_key = gen;
			want_value = json_string_value(json_array_get(want, i));
		} else {
			/* jansson keeps the keys in the order of the document. */
			void *it = json_object_iter(want);
			for (size_t k = 0; k < i; k++)
				it = json_object_iter_next(want, it);
			want_key = json_object_iter_key(it);
			want_value = json_string_value(json_object_iter_value(it));
		}
		assert_non_null(want_value);
		if (strcmp(key, want_key) != 0 || !json_is_string(value) ||
		    strcmp(json_string_value(value), want_value) != 0) {
			print_error("%s: field %zu is %s=%s, want %s=%s\n", what, i + 1, key,
				    json_is_string(value) ? json_string_value(value) : "(not a string)",
				    want_key, want_value);
			fail();
		}
		i++;
	}
	if (i != nwant) {
		print_error("%s: %zu fields, want %zu\n", what, i, nwant);
		fail();
	}
}

static void compare_with_json(const char *csv_path, const char *json_path,
			      const struct parse_options *opt)
{
	struct parsed p;
	json_t *got = parse_file(csv_path, opt, &p);
	json_error_t err;
	json_t *want = json_load_file(json_path, 0, &err);
	if (!want) {
		print_error("%s: %s\n", json_path, err.text);
		fail();
	}
	assert_true(json_is_array(want));
	if (p.status != ST_OK || p.rejected) {
		print_error("%s: status %d, %lu rejected\n%s", csv_path, p.status, p.rejected, p.err);
		fail();
	}
	if (json_array_size(got) != json_array_size(want)) {
		print_error("%s: %zu records, want %zu\n%s", csv_path, json_array_size(got),
			    json_array_size(want), p.out);
		fail();
	}
	for (size_t i = 0; i < json_array_size(want); i++) {
		char what[600];
		snprintf(what, sizeof(what), "%s record %zu", csv_path, i + 1);
		assert_record_is(what, json_array_get(got, i), json_array_get(want, i));
	}
	json_decref(got);
	json_decref(want);
	parsed_free(&p);
}

static void test_csv_spectrum(void **state)
{
	(void)state;
	size_t n;
	char **names = list_csv(SPECTRUM "/csvs", &n);
	assert_true(n >= 11);
	for (size_t i = 0; i < n; i++) {
		char csv_path[512], json_path[512];
		snprintf(csv_path, sizeof(csv_path), SPECTRUM "/csvs/%s", names[i]);
		snprintf(json_path, sizeof(json_path), SPECTRUM "/json/%.*s.json",
			 (int)(strlen(names[i]) - 4), names[i]);
		compare_with_json(csv_path, json_path, &csv);
	}
	free_list(names);
}

static void test_csv_test_data_good(void **state)
{
	(void)state;
	size_t n, done = 0;
	char **names = list_csv(TESTDATA "/csv", &n);
	for (size_t i = 0; i < n; i++) {
		if (strncmp(names[i], "bad-", 4) == 0)
			continue;
		char csv_path[512], json_path[512];
		snprintf(csv_path, sizeof(csv_path), TESTDATA "/csv/%s", names[i]);
		snprintf(json_path, sizeof(json_path), TESTDATA "/json/%.*s.json",
			 (int)(strlen(names[i]) - 4), names[i]);
		int header = strncmp(names[i], "header-", 7) == 0;
		compare_with_json(csv_path, json_path, header ? &csv : &csv_nohead);
		done++;
	}
	assert_true(done >= 18);
	free_list(names);
}

/* Parses a bad- file with its header; returns the NDJSON (' for ") etc. */
static struct parsed parse_bad(const char *name)
{
	char path[512];
	size_t len;
	snprintf(path, sizeof(path), TESTDATA "/csv/%s", name);
	char *data = slurp(path, &len);
	struct parsed whole = parse_buffer_named(&reader_csv, &csv, name, data, len, 0);
	for (size_t k = 1; k <= len; k++) {
		struct parsed p = parse_buffer_named(&reader_csv, &csv, name, data, len, k);
		assert_int_equal(p.status, whole.status);
		assert_string_equal(p.out, whole.out);
		assert_string_equal(p.err, whole.err);
		parsed_free(&p);
	}
	free(data);
	for (char *c = whole.out; *c; c++)
		if (*c == '"')
			*c = '\'';
	return whole;
}

static void expect_bad(const char *name, int status, unsigned long rejected, const char *out,
		       const char *err)
{
	struct parsed p = parse_bad(name);
	if (p.status != status || p.rejected != rejected || strcmp(p.out, out) != 0 ||
	    strcmp(p.err, err) != 0) {
		print_error("%s: status %d (want %d), rejected %lu (want %lu)\n"
			    "--- out\n%s--- want\n%s--- err\n%s--- want\n%s",
			    name, p.status, status, p.rejected, rejected, p.out, out, p.err, err);
		fail();
	}
	parsed_free(&p);
}

#define BSRC(file, line, rec) "'_source':{'file':'" file "','line':" #line ",'record':" #rec "}"

static void test_csv_test_data_bad(void **state)
{
	(void)state;
	size_t n, seen = 0;
	char **names = list_csv(TESTDATA "/csv", &n);
	for (size_t i = 0; i < n; i++)
		seen += strncmp(names[i], "bad-", 4) == 0;
	free_list(names);
	assert_int_equal(seen, 7); /* each is checked below */

	expect_bad("bad-header-less-fields.csv", ST_OK, 0,
		   "{'foo':'1','bar':'2','baz':''," BSRC("bad-header-less-fields.csv", 2, 1) ",'_issues':["
		   ISSUE("csv.short_row", "row has 2 of 3 fields; the missing ones are empty") "]}\n",
		   "");
	expect_bad("bad-header-more-fields.csv", ST_OK, 0,
		   "{'foo':'1','bar':'2','baz':'3','column_4':'4'," BSRC("bad-header-more-fields.csv", 2, 1)
		   ",'_issues':["
		   ISSUE("csv.long_row", "row has 4 fields where 3 were expected; the extra ones are kept under generated names")
		   "]}\n",
		   "");
	/* An empty file: no header, no records. */
	expect_bad("bad-header-no-header.csv", ST_OK, 0, "", "");
	/* The parser knows no expected header: a header with no rows. */
	expect_bad("bad-header-wrong-header.csv", ST_OK, 0, "", "");
	expect_bad("bad-missing-quote.csv", ST_INPUT, 0, "",
		   "casepipe: parse: bad-missing-quote.csv:2: unterminated quoted field\n");
	expect_bad("bad-quotes-with-unescaped-quote.csv", ST_OK, 1, "",
		   "casepipe: parse: bad-quotes-with-unescaped-quote.csv:2: text after a closing quote; record rejected\n");
	expect_bad("bad-unescaped-quote.csv", ST_OK, 0,
		   "{'foo':'1','bar':'This \\'quotes\\' must be escaped','baz':'3',"
		   BSRC("bad-unescaped-quote.csv", 2, 1) ",'_issues':["
		   FISSUE("bar", "csv.stray_quote", "a quote inside an unquoted field is kept as a character") "]}\n",
		   "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoted_commas),
		cmocka_unit_test(test_doubled_quotes),
		cmocka_unit_test(test_line_ends_inside_quotes),
		cmocka_unit_test(test_line_ends_in_long_quotes),
		cmocka_unit_test(test_quoted_field_ending_at_eof),
		cmocka_unit_test(test_row_ends),
		cmocka_unit_test(test_empty_inputs),
		cmocka_unit_test(test_bom),
		cmocka_unit_test(test_delimiter_semicolon),
		cmocka_unit_test(test_delimiter_tab),
		cmocka_unit_test(test_no_header),
		cmocka_unit_test(test_empty_and_duplicate_header_names),
		cmocka_unit_test(test_generated_names_stay_unique),
		cmocka_unit_test(test_field_ends_at_every_place),
		cmocka_unit_test(test_short_and_long_rows),
		cmocka_unit_test(test_blank_lines_one_column),
		cmocka_unit_test(test_blank_lines_many_columns),
		cmocka_unit_test(test_stray_quote_kept_with_warning),
		cmocka_unit_test(test_excel_text_no_warning),
		cmocka_unit_test(test_text_after_closing_quote),
		cmocka_unit_test(test_text_after_closing_quote_cr_rows),
		cmocka_unit_test(test_unterminated_quote),
		cmocka_unit_test(test_source_lines),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_utf8_cut_by_reads),
		cmocka_unit_test(test_utf8_in_long_values),
		cmocka_unit_test(test_windows_1252),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_ten_megabyte_field),
		cmocka_unit_test(test_csv_spectrum),
		cmocka_unit_test(test_csv_test_data_good),
		cmocka_unit_test(test_csv_test_data_bad),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
