/*
 * The JSON reader (stages/parse_json.c): every document shape, read at
 * every chunk size from one byte up, exact numbers, flattening, errors
 * with their positions, the streaming of a wrapper larger than the
 * buffer, and JSONTestSuite's parsing documents.  Run from the repository
 * root.
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

#include <zlib.h>

#include "test_helpers.h"
#include "parse_json.h"

#define JSON_SUITE_DIR "../shared/suites/JSONTestSuite/test_parsing"

static const struct parse_options plain = { .format = "json" };

static void check_path(const char *path, const char *data, const char *want_q, int status,
		       unsigned long rejected)
{
	struct parse_options opt = { .format = "json", .json_path = path };
	struct parsed p = check_every_chunk(&reader_json, &opt, data, strlen(data), want_q,
					    status, rejected);
	parsed_free(&p);
}

/* Like check_chunks(), and the whole-read run must say MESSAGE. */
static void check_says(const char *data, const char *want_q, int status, unsigned long rejected,
		       const char *message)
{
	struct parsed p = check_every_chunk(&reader_json, &plain, data, strlen(data), want_q,
					    status, rejected);
	if (!strstr(p.err, message)) {
		print_error("stderr lacks '%s':\n%s", message, p.err);
		fail();
	}
	parsed_free(&p);
}

static void test_array_of_objects(void **state)
{
	(void)state;
	check_chunks(&reader_json, &plain,
		     "[\n {\"a\": \"1\", \"b\": \"x y\"},\n {\"a\": \"2\"}\n]\n",
		     "{'a':'1','b':'x y'," SRC(2, 1) "}\n"
		     "{'a':'2'," SRC(3, 2) "}\n");
	check_chunks(&reader_json, &plain, "[]", "");
	check_chunks(&reader_json, &plain, " [ ] \n", "");
	check_chunks(&reader_json, &plain, "[{}]", "{" SRC(1, 1) "}\n");
}

static void test_objects_one_after_another(void **state)
{
	(void)state;
	check_chunks(&reader_json, &plain,
		     "{\"a\":\"1\"}\n{\"a\":\"2\"}\r\n\n{\"a\":\"3\"}{\"a\":\"4\"} {\"l\":[{\"x\":1}]}",
		     "{'a':'1'," SRC(1, 1) "}\n"
		     "{'a':'2'," SRC(2, 2) "}\n"
		     "{'a':'3'," SRC(4, 3) "}\n"
		     "{'a':'4'," SRC(4, 4) "}\n"
		     "{'l':'[{\\'x\\':1}]'," SRC(4, 5) "}\n");
}

static void test_values_exact(void **state)
{
	(void)state;
	check_chunks(&reader_json, &plain,
		     "[{\"oan\": 123456789012, \"fee\": 1.50, \"z\": -0, \"e\": 1E+2,"
		     " \"big\": 123456789012345678901234567890, \"t\": true, \"f\": false,"
		     " \"n\": null, \"s\": \"0123\", \"esc\": \"a\\\"b\\\\c\\/\\u00e9\\ud83d\\ude00\\n\"}]",
		     "{'oan':'123456789012','fee':'1.50','z':'-0','e':'1E+2',"
		     "'big':'123456789012345678901234567890','t':'true','f':'false',"
		     "'n':'null','s':'0123','esc':'a\\'b\\\\c/\xc3\xa9\xf0\x9f\x98\x80\\n',"
		     SRC(1, 1) "}\n");
}

static void test_flattening(void **state)
{
	(void)state;
	check_chunks(&reader_json, &plain,
		     "[{\"id\": \"1\", \"client\": {\"name\": \"Ana\", \"addr\": {\"zip\": \"07102\"}},"
		     " \"empty\": {}, \"list\": [ 1 , \"a b\" , {\"k\" : [ ]} ], \"a.b\": \"dot\","
		     " \"\": \"no name\", \"x\": {\"\": \"1\"}}]",
		     "{'id':'1','client.name':'Ana','client.addr.zip':'07102','empty':'{}',"
		     "'list':'[1,\\'a b\\',{\\'k\\':[]}]','a.b':'dot','':'no name','x.':'1',"
		     SRC(1, 1) "}\n");
}

static void test_wrapper_found(void **state)
{
	(void)state;
	const char *doc = "{\"export\": {\"n\": 2, \"tags\": [\"a\", \"b\"],\n"
			  " \"cases\": [{\"id\": \"1\", \"kids\": [{\"k\": 1}]},\n {\"id\": \"2\"}],\n"
			  " \"empty\": [], \"meta\": {\"m\": [[1], {\"x\": null}]}}}";
	check_chunks(&reader_json, &plain, doc,
		     "{'id':'1','kids':'[{\\'k\\':1}]'," SRC(2, 1) "}\n"
		     "{'id':'2'," SRC(3, 2) "}\n");
	check_path("/export/cases", doc,
		   "{'id':'1','kids':'[{\\'k\\':1}]'," SRC(2, 1) "}\n"
		   "{'id':'2'," SRC(3, 2) "}\n", ST_OK, 0);
	check_path("/export/cases/1", doc, "{'id':'2'," SRC(3, 1) "}\n", ST_OK, 0);
	check_path("/export/cases/0/kids", doc, "{'k':'1'," SRC(2, 1) "}\n", ST_OK, 0);
	check_path("/nothing", doc, "", ST_INPUT, 0);
	/* No array of objects: the object is the record. */
	check_chunks(&reader_json, &plain, "{\"id\": \"1\", \"tags\": [\"a\"], \"none\": []}",
		     "{'id':'1','tags':'[\\'a\\']','none':'[]'," SRC(1, 1) "}\n");
	check_path("", "{\"id\": \"1\", \"kids\": [{\"k\": 1}]}",
		   "{'id':'1','kids':'[{\\'k\\':1}]'," SRC(1, 1) "}\n", ST_OK, 0);
	check_path("/a~1b/c~0d", "{\"a/b\": {\"c~d\": [{\"x\": \"1\"}]}, \"e\": [{\"y\": 2}]}",
		   "{'x':'1'," SRC(1, 1) "}\n", ST_OK, 0);
	check_path("/0/1", "[[{\"a\":\"0\"},[{\"a\":\"1\"}]]]", "{'a':'1'," SRC(1, 1) "}\n", ST_OK, 0);
}

static void test_several_arrays(void **state)
{
	(void)state;
	check_says("{\"open\": [{\"m\": \"1\"}], \"closed\": [{\"m\": \"2\"}], \"x\": [[{}], [{}]]}",
		   "", ST_INPUT, 0, "4 arrays of objects could hold the records: /open, /closed, /x/0, /x/1");
}

static void test_rejected_elements(void **state)
{
	(void)state;
	check_says("[{\"a\":\"1\"}, 2, \"s\", [3], true, null, {\"a\":\"2\"}]",
		   "{'a':'1'," SRC(1, 1) "}\n{'a':'2'," SRC(1, 7) "}\n", ST_OK, 5,
		   "in.csv:1: element 4 is not an object but an array, so not a record");
	check_says("[{\"a\":\"1\"},\n{\"a\":\"2\",\"b\":\"x\",\"a\":\"3\"},\n{\"c\":{\"d\":1},\"c.d\":2},{\"a\":\"4\"}]",
		   "{'a':'1'," SRC(1, 1) "}\n{'a':'4'," SRC(3, 4) "}\n", ST_OK, 2,
		   "in.csv:2: element 2: duplicate key \"a\" (column 18)");
	check_says("\"text\"", "", ST_OK, 1, "element 1 is not an object but a string");
}

/* Input that is not UTF-8 is re-encoded before the reader sees it (from
 * Windows-1252 unless --encoding says otherwise), so invalid UTF-8 is
 * tried on the parser itself: a soft error, the value's extent known. */
static void test_invalid_utf8_is_soft(void **state)
{
	(void)state;
	static const char doc[] = "{\"a\": \"x\xff\", \"b\xc3\": 1}";
	struct record rec;
	struct json_flattener f = { .rec = &rec };
	struct json_error e = { 0 };

	record_init(&rec);
	const char *end = json_flatten(&f, doc, doc + sizeof(doc) - 1, &e);
	assert_ptr_equal(end, doc + sizeof(doc) - 1);
	assert_ptr_equal(e.soft_at, doc + 8);
	assert_string_equal(e.soft_text, "invalid UTF-8 in string");
	json_flattener_release(&f);
	record_release(&rec);
}

static void test_errors_stop_with_position(void **state)
{
	(void)state;
	check_says("[{\"a\": \"1\"},\n {\"a\": tru},\n {\"a\": \"3\"}]",
		   "{'a':'1'," SRC(1, 1) "}\n", ST_INPUT, 0, "in.csv:2:8: element 2: invalid literal");
	check_says("[{\"a\": \"1\"}\n {\"a\": \"2\"}]",
		   "{'a':'1'," SRC(1, 1) "}\n", ST_INPUT, 0, "in.csv:2:2: expected ',' or ']' after element 1");
	check_says("[{\"a\": \"1\"},", "{'a':'1'," SRC(1, 1) "}\n", ST_INPUT, 0,
		   "in.csv:1:13: unexpected end of input: expected an element");
	check_says("[{\"a\": \"1\"},]", "{'a':'1'," SRC(1, 1) "}\n", ST_INPUT, 0,
		   "in.csv:1:13: expected an element after ','");
	check_says("{\"a\": \"1\"} [1]", "{'a':'1'," SRC(1, 1) "}\n", ST_INPUT, 0,
		   "in.csv:1:12: expected another object or the end of the input");
	check_says("[] []", "", ST_INPUT, 0, "in.csv:1:4: expected the end of the input");
	check_says(" \n ", "", ST_INPUT, 0, "in.csv:2:2: no JSON value in the input");
	check_says("{\"a\": {\"b\": [1,}}", "", ST_INPUT, 0, "in.csv:1:16: expected a value");
	check_says("[{\"a\": \"x\ny\"}]", "", ST_INPUT, 0,
		   "in.csv:1:10: element 1: unescaped control character in string");
	check_says("[{\"a\": \"\\ud800\"}]", "", ST_INPUT, 0, "lone surrogate");
	check_says("[{\"a\": 01}]", "", ST_INPUT, 0, "leading zero");
	check_says("[1.]", "", ST_INPUT, 0, "expected a digit after '.'");
}

static void test_depth_limit(void **state)
{
	(void)state;
	char doc[400];
	size_t n = 0;

	/* 64 levels is the most: [ {a: {a: ... 63 objects}} ] */
	doc[n++] = '[';
	for (int i = 0; i < 64; i++)
		n += (size_t)sprintf(doc + n, "{\"a\":");
	doc[n - 5] = '\0'; /* the innermost object is {} */
	n -= 5;
	n += (size_t)sprintf(doc + n, "{}");
	for (int i = 0; i < 63; i++)
		doc[n++] = '}';
	doc[n++] = ']';
	doc[n] = '\0';
	char want[400] = "{'";
	for (int i = 0; i < 62; i++)
		strcat(want, "a.");
	strcat(want, "a':'{}'," SRC(1, 1) "}\n");
	check_chunks(&reader_json, &plain, doc, want);

	/* One more is too deep: a hard error. */
	memmove(doc + 6, doc + 1, n);
	memcpy(doc + 1, "{\"a\":", 5);
	n += 5;
	memmove(doc + n, doc + n - 1, 2);
	doc[n - 1] = '}';
	check_says(doc, "", ST_INPUT, 0, "element 1: nested deeper than 64 levels");

	/* Around the records too. */
	char wrap[1000] = "";
	for (int i = 0; i < 70; i++)
		strcat(wrap, "{\"w\":");
	check_says(wrap, "", ST_INPUT, 0, "nested deeper than 64 levels");
}

/* Many records read at awkward chunk sizes give what one read gives. */
static void test_many_records_any_chunk(void **state)
{
	(void)state;
	size_t cap = 1 << 20, n = 0;
	char *doc = malloc(cap);
	assert_non_null(doc);
	n += (size_t)sprintf(doc + n, "{\"meta\": {\"n\": 3000}, \"cases\": [\n");
	for (int i = 0; i < 3000; i++)
		n += (size_t)sprintf(doc + n, "%s{\"id\": \"%d\", \"v\": %d.50, \"c\": {\"n\": \"\\u00e9%d\"},"
				     " \"l\": [%d, \"x\"]}\n", i ? "," : "", i, i, i, i);
	n += (size_t)sprintf(doc + n, "]}\n");
	struct parsed whole = parse_buffer(&reader_json, &plain, doc, n, 0);
	assert_int_equal(whole.status, ST_OK);
	assert_int_equal(whole.records, 3000);
	size_t sizes[] = { 1, 2, 3, 7, 64, 1000, 4093, 65536 };
	for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		struct parsed p = parse_buffer(&reader_json, &plain, doc, n, sizes[k]);
		assert_int_equal(p.status, ST_OK);
		assert_same_output(p.out, p.out_len, whole.out, whole.out_len, sizes[k]);
		parsed_free(&p);
	}
	parsed_free(&whole);
	free(doc);
}

/*
 * A wrapper larger than the buffer may hold (8 MiB) is walked as it
 * streams: the first array of objects gives the records, a second one is
 * an error.  A record that large is an error too.
 */
static void test_big_wrapper_streams(void **state)
{
	(void)state;
	size_t cap = 16 << 20, n = 0;
	char *doc = malloc(cap);
	assert_non_null(doc);
	const int count = 150000;
	n += (size_t)sprintf(doc + n, "{\"export\": {\"cases\": [");
	for (int i = 0; i < count; i++)
		n += (size_t)sprintf(doc + n, "%s{\"id\": \"%d\", \"pad\": \"%060d\"}", i ? "," : "", i, i);
	size_t body = n;
	n += (size_t)sprintf(doc + n, "]}, \"tags\": [\"x\"]}");
	struct parsed p = parse_buffer(&reader_json, &plain, doc, n, 0);
	if (p.status != ST_OK || p.records != (unsigned long)count)
		print_error("status %d, %lu records, %zu bytes out\n%s", p.status, p.records, p.out_len, p.err);
	assert_int_equal(p.status, ST_OK);
	assert_int_equal(p.records, count);
	assert_string_equal(p.err, "");
	parsed_free(&p);

	n = body + (size_t)sprintf(doc + body, "]}, \"more\": [{\"a\": 1}]}");
	p = parse_buffer(&reader_json, &plain, doc, n, 0);
	assert_int_equal(p.status, ST_INPUT);
	assert_int_equal(p.records, count);
	assert_non_null(strstr(p.err, "2 arrays of objects could hold the records: /export/cases, /more"));
	parsed_free(&p);

	/* One record of 9 MiB. */
	n = (size_t)sprintf(doc, "[{\"big\": \"");
	memset(doc + n, 'x', 9 << 20);
	n += 9 << 20;
	n += (size_t)sprintf(doc + n, "\"}]");
	p = parse_buffer(&reader_json, &plain, doc, n, 0);
	assert_int_equal(p.status, ST_INPUT);
	assert_non_null(strstr(p.err, "in.csv:1:2: element 1: value larger than 8 MiB"));
	parsed_free(&p);
	free(doc);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(1 << 20);
	assert_non_null(buf);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

/*
 * JSONTestSuite: n_ documents end with ST_INPUT and a position; y_ ones
 * never do; none crashes; and every chunk size up to 64 bytes gives what
 * one read gives.
 */
/* TEXT as gzip whose CRC is wrong: every byte of TEXT is read, then the
 * input fails ("incorrect data check").  Returns a buffer to free. */
static unsigned char *gzip_bad_crc(const char *text, size_t *len)
{
	z_stream zs = { 0 };
	size_t cap = strlen(text) + 64;
	unsigned char *out = malloc(cap);

	assert_non_null(out);
	assert_int_equal(deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	zs.next_in = (unsigned char *)text;
	zs.avail_in = (uInt)strlen(text);
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	assert_int_equal(deflate(&zs, Z_FINISH), Z_STREAM_END);
	*len = zs.total_out;
	deflateEnd(&zs);
	out[*len - 8] ^= 0xff; /* the trailer: CRC-32, then the length */
	return out;
}

/*
 * The input fails right after a value (corrupt gzip): every read size
 * judges the bytes read before the failure alike.  A number followed by a
 * stray byte ("4444448P") is a number and then an error, whether the
 * bytes came in one read or one at a time (found by the gzip fuzzer: one
 * big read rejected the number as "not a record", small reads did not).
 * A value that may go on past the failure is never judged.
 */
static void test_values_before_a_read_error(void **state)
{
	static const struct {
		const char *text, *want_q;
		unsigned long rejected;
	} cases[] = {
		{ "4444448P", "", 1 },
		{ "[{\"a\":\"1\"},12x", "{'a':'1'," SRC(1, 1) "}\n", 1 },
		{ "[{\"a\":\"1\"},12", "{'a':'1'," SRC(1, 1) "}\n", 0 },
		{ "{\"a\":\"1\"} 12", "{'a':'1'," SRC(1, 1) "}\n", 0 },
		{ "[{\"a\":\"1\"},true]", "{'a':'1'," SRC(1, 1) "}\n", 1 },
		{ "[{\"a\":\"1\"},tru", "{'a':'1'," SRC(1, 1) "}\n", 0 },
		{ "{\"a\":\"1\"}{\"a\":\"2\"}", "{'a':'1'," SRC(1, 1) "}\n{'a':'2'," SRC(1, 2) "}\n", 0 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t len;
		unsigned char *gz = gzip_bad_crc(cases[i].text, &len);
		struct parsed p = check_every_chunk(&reader_json, &plain, (const char *)gz, len,
						    cases[i].want_q, ST_INPUT, cases[i].rejected);
		if (!strstr(p.err, "corrupt gzip data")) {
			print_error("case %zu: stderr lacks the gzip error:\n%s", i, p.err);
			fail();
		}
		parsed_free(&p);
		free(gz);
	}
}

static void test_json_test_suite(void **state)
{
	(void)state;
	const char *dir = getenv("JSON_SUITE_DIR");
	if (!dir)
		dir = JSON_SUITE_DIR;
	DIR *d = opendir(dir);
	if (!d) {
		print_message("skipped: %s not found\n", dir);
		skip();
	}
	struct dirent *de;
	int files = 0;
	while ((de = readdir(d))) {
		const char *name = de->d_name;
		if (strlen(name) < 6 || strcmp(name + strlen(name) - 5, ".json") != 0)
			continue;
		char path[1024];
		size_t len = 0;
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		char *data = read_file(path, &len);
		assert_non_null(data);
		files++;
		struct parsed whole = parse_buffer_named(&reader_json, &plain, name, data, len, 0);
		/* "casepipe: parse: NAME:LINE:COLUMN: ..." */
		unsigned long line, col;
		int placed = 0;
		for (char *at = whole.err; !placed && (at = strstr(at, name)); at++)
			placed = sscanf(at + strlen(name), ":%lu:%lu:", &line, &col) == 2;
		if (name[0] == 'n' && (whole.status != ST_INPUT || !placed)) {
			print_error("%s: status %d, stderr:\n%s", name, whole.status, whole.err);
			fail();
		}
		if (name[0] == 'y' && whole.status != ST_OK) {
			print_error("%s: status %d, stderr:\n%s", name, whole.status, whole.err);
			fail();
		}
		for (size_t k = 1; k <= len && k <= 64; k++) {
			struct parsed p = parse_buffer_named(&reader_json, &plain, name, data, len, k);
			assert_same_output(p.out, p.out_len, whole.out, whole.out_len, k);
			if (p.status != whole.status || p.rejected != whole.rejected ||
			    strcmp(p.err, whole.err) != 0) {
				print_error("%s at read size %zu: status %d/%d\n%s---\n%s", name, k,
					    p.status, whole.status, p.err, whole.err);
				fail();
			}
			parsed_free(&p);
		}
		parsed_free(&whole);
		free(data);
	}
	closedir(d);
	assert_true(files >= 300);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_array_of_objects),
		cmocka_unit_test(test_objects_one_after_another),
		cmocka_unit_test(test_values_exact),
		cmocka_unit_test(test_flattening),
		cmocka_unit_test(test_wrapper_found),
		cmocka_unit_test(test_several_arrays),
		cmocka_unit_test(test_rejected_elements),
		cmocka_unit_test(test_invalid_utf8_is_soft),
		cmocka_unit_test(test_errors_stop_with_position),
		cmocka_unit_test(test_depth_limit),
		cmocka_unit_test(test_many_records_any_chunk),
		cmocka_unit_test(test_big_wrapper_streams),
		cmocka_unit_test(test_values_before_a_read_error),
		cmocka_unit_test(test_json_test_suite),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
