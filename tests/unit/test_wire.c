/*
 * The NDJSON wire format: the writer (wire_write.c) and the reader
 * (wire_read.c), alone and in round trips, plus JSONTestSuite's parsing
 * documents fed to the reader.  Run from the repository root.
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
#include <unistd.h>

#include <jansson.h>

#include "status.h"
#include "utf8.h"
#include "wire.h"

#define JSON_SUITE_DIR "../shared/suites/JSONTestSuite/test_parsing"

/* Output captured through a real outbuf into a temporary file. */
struct capture {
	FILE *f;
	struct outbuf o;
};

static void cap_open(struct capture *c)
{
	c->f = tmpfile();
	assert_non_null(c->f);
	assert_int_equal(outbuf_init(&c->o, fileno(c->f), "test", "test"), 0);
}

/* Returns all of file FD (NUL-terminated, to free) and its length. */
static char *read_whole(int fd, size_t *len)
{
	off_t n = lseek(fd, 0, SEEK_END);
	assert_true(n >= 0);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(pread(fd, buf, (size_t)n, 0), n);
	buf[n] = '\0';
	*len = (size_t)n;
	return buf;
}

/* Ends the capture; returns the bytes written (NUL-terminated, to free). */
static char *cap_close(struct capture *c, size_t *len)
{
	assert_int_equal(outbuf_release(&c->o), ST_OK);
	char *buf = read_whole(fileno(c->f), len);
	fclose(c->f);
	return buf;
}

static char *write_string(struct slice s, size_t *len)
{
	struct capture c;
	cap_open(&c);
	json_write_string(&c.o, s);
	return cap_close(&c, len);
}

static char *write_record(const struct record *rec, size_t *len)
{
	struct capture c;
	cap_open(&c);
	wire_write_record(&c.o, rec);
	return cap_close(&c, len);
}

/*
 * Is [S, S+N) one valid JSON document?  jansson is the independent judge.
 * It reads integers as reals, having no room for 2^64 - 1, and cannot hold
 * NUL in a key, so "\u0000" is read as "\u0001" (just as valid).
 */
static int jansson_accepts(const char *s, size_t n)
{
	char *copy = malloc(n ? n : 1);
	assert_non_null(copy);
	memcpy(copy, s, n);
	for (char *p = copy; (p = memmem(p, n - (size_t)(p - copy), "\\u0000", 6)); p += 6)
		p[5] = '1';
	json_error_t e;
	json_t *j = json_loadb(copy, n, JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &e);
	if (!j)
		print_message("jansson: %s at column %d\n", e.text, e.column);
	json_decref(j);
	free(copy);
	return j != NULL;
}

/*
 * Reads LEN bytes at S through wire_read_record from a heap copy of
 * exactly LEN bytes, so that AddressSanitizer and valgrind catch a read
 * past the end.  Returns what wire_read_record returned.
 */
static int read_n(struct record *rec, const char *s, size_t len, char *err, size_t errlen)
{
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	memcpy(copy, s, len);
	int rc = wire_read_record(rec, copy, len, err, errlen);
	/* Scribble over the line: the record must not point into it. */
	memset(copy, 'X', len);
	free(copy);
	return rc;
}

static void read_ok_n(struct record *rec, const char *s, size_t len)
{
	char err[256] = "";
	int rc = read_n(rec, s, len, err, sizeof(err));
	if (rc != 0)
		fail_msg("wire_read_record(%.*s): %s", (int)len, s, err);
}

static void read_ok(struct record *rec, const char *s)
{
	read_ok_n(rec, s, strlen(s));
}

static void assert_slice(struct slice got, const char *want, size_t want_len)
{
	if (got.len != want_len || (want_len && memcmp(got.ptr, want, want_len) != 0))
		fail_msg("got %zu bytes \"%.*s\", want %zu bytes \"%.*s\"", got.len,
			 (int)got.len, got.ptr, want_len, (int)want_len, want);
}

#define assert_slice_str(got, want) assert_slice((got), (want), strlen(want))

static void assert_field(const struct record *rec, size_t i, const char *name,
			 const char *value, size_t value_len)
{
	assert_true(i < rec->nfields);
	assert_slice_str(rec->fields[i].name, name);
	assert_slice(rec->fields[i].value, value, value_len);
}

#define assert_field_str(rec, i, name, value) \
	assert_field((rec), (i), (name), (value), strlen(value))

/* ---- the writer ---------------------------------------------------- */

static void test_write_quote_and_backslash(void **state)
{
	(void)state;
	size_t n;
	char *out = write_string(SLICE_LIT("say \"hi\" \\ bye\\"), &n);
	assert_string_equal(out, "\"say \\\"hi\\\" \\\\ bye\\\\\"");
	free(out);
}

static void test_write_every_control_character(void **state)
{
	(void)state;
	static const char *const want[32] = {
		"\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005",
		"\\u0006", "\\u0007", "\\b", "\\t", "\\n", "\\u000b", "\\f", "\\r",
		"\\u000e", "\\u000f", "\\u0010", "\\u0011", "\\u0012", "\\u0013",
		"\\u0014", "\\u0015", "\\u0016", "\\u0017", "\\u0018", "\\u0019",
		"\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f",
	};
	for (int c = 0; c < 32; c++) {
		char in[3] = { 'a', (char)c, 'z' }, expect[16];
		snprintf(expect, sizeof(expect), "\"a%sz\"", want[c]);
		size_t n;
		char *out = write_string((struct slice){ in, 3 }, &n);
		assert_int_equal(n, strlen(expect));
		assert_string_equal(out, expect);
		assert_true(jansson_accepts(out, n));
		free(out);
	}
	/* All 32 in one value, read back byte for byte. */
	char all[32];
	for (int c = 0; c < 32; c++)
		all[c] = (char)c;
	struct record rec;
	record_init(&rec);
	record_append(&rec, SLICE_LIT("ctl"), (struct slice){ all, 32 });
	size_t n;
	char *line = write_record(&rec, &n);
	struct record back;
	record_init(&back);
	read_ok_n(&back, line, n);
	assert_int_equal(back.nfields, 1);
	assert_field(&back, 0, "ctl", all, 32);
	free(line);
	record_release(&rec);
	record_release(&back);
}

static void test_write_del_is_raw(void **state)
{
	(void)state;
	size_t n;
	char *out = write_string(SLICE_LIT("a\x7f" "b"), &n);
	/* JSON lets DEL stand unescaped; the writer keeps it as it is. */
	assert_int_equal(n, 5);
	assert_memory_equal(out, "\"a\x7f" "b\"", 5);
	assert_true(jansson_accepts(out, n));
	struct record rec;
	record_init(&rec);
	read_ok(&rec, "{\"d\":\"a\x7f" "b\"}");
	assert_field_str(&rec, 0, "d", "a\x7f" "b");
	free(out);
	record_release(&rec);
}

static void test_write_valid_utf8_unchanged(void **state)
{
	(void)state;
	const char *s = "\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xef\xbf\xbf \xf4\x8f\xbf\xbf \xc2\x80";
	size_t n;
	char *out = write_string(slice_of(s), &n);
	assert_int_equal(n, strlen(s) + 2);
	assert_memory_equal(out + 1, s, strlen(s));
	free(out);
}

static void test_write_ill_formed_utf8_becomes_fffd(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} cases[] = {
		{ "a\xff" "b", "\"a" UTF8_REPLACEMENT "b\"" },
		{ "\x80", "\"" UTF8_REPLACEMENT "\"" },
		/* A truncated sequence at the end, and before ASCII. */
		{ "x\xc3", "\"x" UTF8_REPLACEMENT "\"" },
		{ "\xe2\x82" "z", "\"" UTF8_REPLACEMENT UTF8_REPLACEMENT "z\"" },
		/* Overlong, surrogate, above U+10FFFF: every byte replaced. */
		{ "\xc0\xaf", "\"" UTF8_REPLACEMENT UTF8_REPLACEMENT "\"" },
		{ "\xed\xa0\x80", "\"" UTF8_REPLACEMENT UTF8_REPLACEMENT UTF8_REPLACEMENT "\"" },
		{ "\xf4\x90\x80\x80", "\"" UTF8_REPLACEMENT UTF8_REPLACEMENT
				      UTF8_REPLACEMENT UTF8_REPLACEMENT "\"" },
		/* A bad byte next to a good sequence leaves the good one. */
		{ "\xff\xc3\xa9", "\"" UTF8_REPLACEMENT "\xc3\xa9\"" },
		{ "\"\xfe\\", "\"\\\"" UTF8_REPLACEMENT "\\\\\"" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n;
		char *out = write_string(slice_of(cases[i].in), &n);
		assert_string_equal(out, cases[i].want);
		assert_true(utf8_is_valid(out, n));
		assert_true(jansson_accepts(out, n));
		free(out);
	}
}

/*
 * The writer tests whole words and 16-byte blocks of a value at once,
 * with overlapping last pieces: one byte that needs work (or one that
 * looks close and does not) at every place of values of every length up
 * to 48, written alone, as a record member (through kept names, the
 * record's second write), in _raw and in an issue.
 */
static void test_write_special_byte_at_every_place(void **state)
{
	(void)state;
	static const struct {
		char byte;
		const char *out;
	} specials[] = {
		{ '"', "\\\"" }, { '\\', "\\\\" }, { '\n', "\\n" }, { '\x01', "\\u0001" },
		{ '\x1f', "\\u001f" }, { '\xff', UTF8_REPLACEMENT }, { '\x80', UTF8_REPLACEMENT },
		{ '\x7f', "\x7f" }, { ' ', " " }, { '!', "!" }, { ']', "]" }, { '#', "#" },
	};
	char in[48], want[64 + 6 + 2];
	for (size_t k = 0; k < sizeof(specials) / sizeof(specials[0]); k++) {
		for (size_t len = 1; len <= sizeof(in); len++) {
			for (size_t at = 0; at < len; at++) {
				for (size_t i = 0; i < len; i++)
					in[i] = (char)('a' + i % 26);
				in[at] = specials[k].byte;
				snprintf(want, sizeof(want), "\"%.*s%s%.*s\"", (int)at, in,
					 specials[k].out, (int)(len - at - 1), in + at + 1);
				struct slice v = { in, len };
				size_t n;
				char *out = write_string(v, &n);
				assert_string_equal(out, want);
				free(out);

				struct record rec;
				record_init(&rec);
				record_append(&rec, SLICE_LIT("id"), SLICE_LIT("M-1"));
				record_append(&rec, SLICE_LIT("value_name"), v);
				record_set_raw(&rec, SLICE_LIT("value_name"), v);
				struct issue is = { .field = SLICE_LIT("value_name"), .code = SLICE_LIT("x.y"),
						    .severity = SEV_INFO, .message = v };
				record_add_issue(&rec, &is);
				char expect[512];
				snprintf(expect, sizeof(expect),
					 "{\"id\":\"M-1\",\"value_name\":%s,\"_raw\":{\"value_name\":%s},"
					 "\"_issues\":[{\"field\":\"value_name\",\"code\":\"x.y\","
					 "\"severity\":\"info\",\"message\":%s}]}\n",
					 want, want, want);
				struct capture c;
				struct wire_names names = { 0 };
				cap_open(&c);
				wire_write_record_names(&c.o, &rec, &names);
				wire_write_record_names(&c.o, &rec, &names);
				char *twice = cap_close(&c, &n);
				size_t one = strlen(expect);
				assert_int_equal(n, 2 * one);
				assert_memory_equal(twice, expect, one);
				assert_memory_equal(twice + one, expect, one);
				free(twice);
				record_release(&rec);
			}
		}
	}
}

/* The writer's table of severity members names each severity as
 * severity_name() does, an unknown one included. */
static void test_write_severity_names(void **state)
{
	(void)state;
	static const enum severity sevs[] = { SEV_INFO, SEV_WARNING, SEV_ERROR, (enum severity)7 };
	for (size_t i = 0; i < sizeof(sevs) / sizeof(sevs[0]); i++) {
		struct record rec;
		record_init(&rec);
		struct issue is = { .field = SLICE_LIT("f"), .code = SLICE_LIT("x.y"), .severity = sevs[i] };
		record_add_issue(&rec, &is);
		char want[128];
		snprintf(want, sizeof(want),
			 "{\"_issues\":[{\"field\":\"f\",\"code\":\"x.y\",\"severity\":\"%s\"}]}\n",
			 severity_name(sevs[i]));
		size_t n;
		char *out = write_record(&rec, &n);
		assert_string_equal(out, want);
		free(out);
		record_release(&rec);
	}
}

static void test_write_empty_record(void **state)
{
	(void)state;
	struct record rec;
	record_init(&rec);
	size_t n;
	char *out = write_record(&rec, &n);
	assert_string_equal(out, "{}\n");
	free(out);
	/* Only issues: no stray comma before them. */
	struct issue is = { .code = SLICE_LIT("x.y"), .severity = SEV_WARNING };
	record_add_issue(&rec, &is);
	out = write_record(&rec, &n);
	assert_string_equal(out, "{\"_issues\":[{\"field\":\"\",\"code\":\"x.y\",\"severity\":\"warning\"}]}\n");
	free(out);
	record_release(&rec);
}

static void test_write_full_record(void **state)
{
	(void)state;
	struct record rec;
	record_init(&rec);
	record_append(&rec, SLICE_LIT("case_id"), SLICE_LIT("M-1"));
	record_append(&rec, SLICE_LIT("a_number"), SLICE_LIT("A012345678"));
	rec.source = (struct record_source){ .file = SLICE_LIT("cases.csv"), .line = 17, .record = 16 };
	record_set_raw(&rec, SLICE_LIT("a_number"), SLICE_LIT("A# 12345678"));
	struct issue is = {
		.field = SLICE_LIT("a_number"), .code = SLICE_LIT("anumber.padded"),
		.severity = SEV_INFO, .message = SLICE_LIT("padded to 9 digits"),
	};
	record_add_issue(&rec, &is);
	is = (struct issue){
		.field = SLICE_LIT("case_id"), .code = SLICE_LIT("case.duplicate"),
		.severity = SEV_ERROR, .suggestion = SLICE_LIT("merge"),
		.related = SLICE_LIT("cases.csv:3"),
	};
	record_add_issue(&rec, &is);
	size_t n;
	char *out = write_record(&rec, &n);
	assert_string_equal(out,
		"{\"case_id\":\"M-1\",\"a_number\":\"A012345678\","
		"\"_source\":{\"file\":\"cases.csv\",\"line\":17,\"record\":16},"
		"\"_raw\":{\"a_number\":\"A# 12345678\"},"
		"\"_issues\":[{\"field\":\"a_number\",\"code\":\"anumber.padded\","
		"\"severity\":\"info\",\"message\":\"padded to 9 digits\"},"
		"{\"field\":\"case_id\",\"code\":\"case.duplicate\",\"severity\":\"error\","
		"\"suggestion\":\"merge\",\"related\":\"cases.csv:3\"}]}\n");
	free(out);

	/* Line 0 means unknown and is left out. */
	rec.source.line = 0;
	rec.nraw = rec.nissues = 0;
	out = write_record(&rec, &n);
	assert_string_equal(out, "{\"case_id\":\"M-1\",\"a_number\":\"A012345678\","
				 "\"_source\":{\"file\":\"cases.csv\",\"record\":16}}\n");
	free(out);
	record_release(&rec);
}

/* ---- the reader: what it accepts ------------------------------------ */

static void test_read_simple_and_whitespace(void **state)
{
	(void)state;
	struct record rec;
	record_init(&rec);
	read_ok(&rec, "{\"case_id\":\"M-1\",\"status\":\"open\"}");
	assert_int_equal(rec.nfields, 2);
	assert_field_str(&rec, 0, "case_id", "M-1");
	assert_field_str(&rec, 1, "status", "open");

	read_ok(&rec, " \t{ \"b\" :\t\"2\" , \"a\" : \"1\" }\r\n");
	assert_int_equal(rec.nfields, 2);
	assert_field_str(&rec, 0, "b", "2");
	assert_field_str(&rec, 1, "a", "1");
	assert_int_equal(rec.nraw, 0);
	assert_int_equal(rec.nissues, 0);
	record_release(&rec);
}

static void test_read_empty_objects(void **state)
{
	(void)state;
	struct record rec;
	record_init(&rec);
	record_append(&rec, SLICE_LIT("stale"), SLICE_LIT("x"));
	read_ok(&rec, "{}");
	assert_int_equal(rec.nfields, 0);
	read_ok(&rec, "  {  }\n");
	assert_int_equal(rec.nfields, 0);
	read_ok(&rec, "{\"\":\"\",\"e\":{},\"a\":[],\"_raw\":{},\"_issues\":[],\"_source\":{}}");
	assert_int_equal(rec.nfields, 3);
	assert_field_str(&rec, 0, "", "");
	assert_field_str(&rec, 1, "e", "{}");
	assert_field_str(&rec, 2, "a", "[]");
	assert_int_equal(rec.nraw, 0);
	assert_int_equal(rec.nissues, 0);
	assert_int_equal(rec.source.file.len, 0);
	assert_int_equal(rec.source.record, 0);
	record_release(&rec);
}

static void test_read_escapes(void **state)
{
	(void)state;
	struct record rec;
	record_init(&rec);
	read_ok(&rec, "{\"s\":\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t\","
		      "\"u\":\"\\u0041\\u00e9\\u20AC\\ud83d\\ude00\\uD834\\uDD1E\\uffff\","
		      "\"n\":\"a\\u0000b\","
		      "\"k\\u0065y\\n\":\"v\"}");
	assert_int_equal(rec.nfields, 4);
	assert_field_str(&rec, 0, "s", "\" \\ / \b \f \n \r \t");
	assert_field_str(&rec, 1, "u", "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xf0\x9d\x84\x9e\xef\xbf\xbf");
	/* \u0000 is a NUL byte inside the value, which is a byte slice. */
	assert_field(&rec, 2, "n", "a\0b", 3);
	assert_field_str(&rec, 3, "key\n", "v");
	/* Raw UTF-8 passes through. */
	read_ok(&rec, "{\"caf\xc3\xa9\":\"\xe6\x9d\x8e \xf0\x9f\x98\x80\"}");
	assert_field_str(&rec, 0, "caf\xc3\xa9", "\xe6\x9d\x8e \xf0\x9f\x98\x80");
	record_release(&rec);
}

static void test_read_numbers_exact(void **state)
{
	(void)state;
	struct record rec;
	record_init(&rec);
	read_ok(&rec, "{\"oan\":123456789012,\"money\":1.50,\"e\":-0e5,\"big\":1E+400,"
		      "\"zero\":0,\"negzero\":-0.0,\"frac\":0.000100,\"exp\":2e-07,"
		      "\"huge\":123456789012345678901234567890,\"t\":true,\"f\":false,\"z\":null}");
	static const char *const want[][2] = {
		{ "oan", "123456789012" }, { "money", "1.50" }, { "e", "-0e5" },
		{ "big", "1E+400" }, { "zero", "0" }, { "negzero", "-0.0" },
		{ "frac", "0.000100" }, { "exp", "2e-07" },
		{ "huge", "123456789012345678901234567890" },
		{ "t", "true" }, { "f", "false" }, { "z", "null" },
	};
	assert_int_equal(rec.nfields, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < rec.nfields; i++)
		assert_field_str(&rec, i, want[i][0], want[i][1]);
	record_release(&rec);
}

static void test_read_nested_compact(void **state)
{
	(void)state;
	struct record rec;
	record_init(&rec);
	read_ok(&rec, "{\"a\" : [ 1 , 2.50 ,\t{ \"b c\" : \"x y\\n\\u00e9\\\" ]\" } , [ ] , null ] ,"
		      "\"o\":{ \"k\" : { \"l\" : [ true , false ] } , \"\\u0041\":\"\\\\\" },"
		      "\"s\":\"after\"}");
	assert_int_equal(rec.nfields, 3);
	/* Whitespace between tokens goes; strings keep their escapes. */
	assert_field_str(&rec, 0, "a", "[1,2.50,{\"b c\":\"x y\\n\\u00e9\\\" ]\"},[],null]");
	assert_field_str(&rec, 1, "o", "{\"k\":{\"l\":[true,false]},\"\\u0041\":\"\\\\\"}");
	assert_field_str(&rec, 2, "s", "after");
	/* Inside nested values duplicate keys are the value's business. */
	read_ok(&rec, "{\"o\":{\"a\":1,\"a\":2}}");
	assert_field_str(&rec, 0, "o", "{\"a\":1,\"a\":2}");
	record_release(&rec);
}

static void test_read_source_raw_issues(void **state)
{
	(void)state;
	struct record rec;
	record_init(&rec);
	read_ok(&rec,
		"{\"case_id\":\"M-1\",\"receipt_number\":\"EAC2190012345\",\"a_number\":\"A012345678\","
		" \"_source\":{\"file\":\"cases.csv\",\"line\":17,\"record\":16,\"sheet\":[1,{\"x\":2}]},"
		" \"_raw\":{\"a_number\":\"A# 12345678\",\"n\":1.50,\"o\":{ \"p\" : [ ] }},"
		" \"_issues\":[{\"field\":\"a_number\",\"code\":\"anumber.padded\",\"severity\":\"info\"},"
		"{\"code\":\"receipt.bad\",\"severity\":\"error\",\"message\":\"m\",\"suggestion\":\"s\","
		"\"related\":\"cases.csv:3\",\"future\":{\"a\":[1]}},"
		"{\"severity\":\"warning\",\"code\":\"c\",\"field\":\"f\"}],\"_other\":\"kept\"}");
	assert_int_equal(rec.nfields, 4);
	assert_field_str(&rec, 0, "case_id", "M-1");
	assert_field_str(&rec, 1, "receipt_number", "EAC2190012345");
	assert_field_str(&rec, 2, "a_number", "A012345678");
	/* Other keys starting with '_' are plain fields. */
	assert_field_str(&rec, 3, "_other", "kept");

	assert_slice_str(rec.source.file, "cases.csv");
	assert_int_equal(rec.source.line, 17);
	assert_int_equal(rec.source.record, 16);

	assert_int_equal(rec.nraw, 3);
	assert_slice_str(rec.raw[0].name, "a_number");
	assert_slice_str(rec.raw[0].value, "A# 12345678");
	assert_slice_str(rec.raw[1].name, "n");
	assert_slice_str(rec.raw[1].value, "1.50");
	assert_slice_str(rec.raw[2].name, "o");
	assert_slice_str(rec.raw[2].value, "{\"p\":[]}");

	assert_int_equal(rec.nissues, 3);
	assert_slice_str(rec.issues[0].field, "a_number");
	assert_slice_str(rec.issues[0].code, "anumber.padded");
	assert_int_equal(rec.issues[0].severity, SEV_INFO);
	assert_int_equal(rec.issues[0].message.len, 0);
	assert_slice_str(rec.issues[1].field, "");
	assert_slice_str(rec.issues[1].code, "receipt.bad");
	assert_int_equal(rec.issues[1].severity, SEV_ERROR);
	assert_slice_str(rec.issues[1].message, "m");
	assert_slice_str(rec.issues[1].suggestion, "s");
	assert_slice_str(rec.issues[1].related, "cases.csv:3");
	assert_slice_str(rec.issues[2].field, "f");
	assert_int_equal(rec.issues[2].severity, SEV_WARNING);

	/* Reading it again starts from nothing; line is optional. */
	read_ok(&rec, "{\"\\u005fsource\":{\"record\":2,\"file\":\"\\u00e9.csv\"},\"x\":\"1\"}");
	assert_int_equal(rec.nfields, 1);
	assert_int_equal(rec.nraw, 0);
	assert_int_equal(rec.nissues, 0);
	assert_slice_str(rec.source.file, "\xc3\xa9.csv");
	assert_int_equal(rec.source.line, 0);
	assert_int_equal(rec.source.record, 2);

	/* The largest unsigned long fits. */
	char line[128];
	snprintf(line, sizeof(line), "{\"_source\":{\"line\":%lu,\"record\":0}}", ~0UL);
	read_ok(&rec, line);
	assert_true(rec.source.line == ~0UL);
	record_release(&rec);
}

static void test_read_many_fields_in_order(void **state)
{
	(void)state;
	/* Enough fields to grow the duplicate-key table several times. */
	enum { N = 5000 };
	size_t cap = (size_t)N * 40 + 16, len = 0;
	char *line = malloc(cap);
	assert_non_null(line);
	line[len++] = '{';
	for (int i = 0; i < N; i++)
		len += (size_t)snprintf(line + len, cap - len, "%s\"k%d\":\"v%d\"", i ? "," : "", i, i);
	line[len++] = '}';
	struct record rec;
	record_init(&rec);
	read_ok_n(&rec, line, len);
	assert_int_equal(rec.nfields, N);
	for (int i = 0; i < N; i++) {
		char k[16], v[16];
		snprintf(k, sizeof(k), "k%d", i);
		snprintf(v, sizeof(v), "v%d", i);
		assert_field_str(&rec, (size_t)i, k, v);
	}
	/* The same line with a duplicate of a middle key at the end. */
	size_t dup_at = len;
	len += (size_t)snprintf(line + len - 1, cap - len, ",\"k2500\":\"again\"}") - 1;
	char err[256];
	assert_int_equal(read_n(&rec, line, len, err, sizeof(err)), -1);
	char want[64];
	snprintf(want, sizeof(want), "column %zu: duplicate key \"k2500\"", dup_at + 1);
	assert_string_equal(err, want);

	/* _raw has its own table: many originals, then a duplicate. */
	len = (size_t)sprintf(line, "{\"_raw\":{");
	for (int i = 0; i < 100; i++)
		len += (size_t)sprintf(line + len, "%s\"r%d\":\"%d\"", i ? "," : "", i, i);
	len += (size_t)sprintf(line + len, "}}");
	read_ok_n(&rec, line, len);
	assert_int_equal(rec.nraw, 100);
	assert_slice_str(rec.raw[99].name, "r99");
	assert_slice_str(rec.raw[99].value, "99");
	len -= 2;
	dup_at = len + 1;
	len += (size_t)sprintf(line + len, ",\"r42\":\"x\"}}");
	assert_int_equal(read_n(&rec, line, len, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "column %zu: duplicate key \"r42\" in _raw", dup_at + 1);
	assert_string_equal(err, want);
	free(line);
	record_release(&rec);
}

/* Duplicate keys are found whether the record has a few keys (no table,
 * json_scan.c) or more: for every key count from 1 to 20, a repeat of each
 * key is refused, and distinct keys that share length and last byte (so
 * that the quick mask cannot tell them apart) are all kept. */
static void test_read_duplicates_at_every_width(void **state)
{
	(void)state;
	struct record rec;
	char line[1024], err[256], want[64];
	record_init(&rec);
	for (int n = 1; n <= 20; n++) {
		size_t len = 1;
		line[0] = '{';
		for (int i = 0; i < n; i++)
			len += (size_t)sprintf(line + len, "%s\"%c%cz\":\"%d\"", i ? "," : "",
					       'a' + i % 26, 'a' + i / 26, i);
		strcpy(line + len, "}");
		read_ok_n(&rec, line, len + 1);
		assert_int_equal(rec.nfields, n);
		for (int d = 0; d < n; d++) {
			int k = sprintf(line + len, ",\"%c%cz\":\"x\"}", 'a' + d % 26, 'a' + d / 26);
			assert_int_equal(read_n(&rec, line, len + (size_t)k, err, sizeof(err)), -1);
			snprintf(want, sizeof(want), "column %zu: duplicate key \"%c%cz\"", len + 2,
				 'a' + d % 26, 'a' + d / 26);
			assert_string_equal(err, want);
		}
	}
	record_release(&rec);
}

/* The string scanner reads 16 and 8 bytes a step (json_scan.h): a value
 * of every length from 0 to 40, with an escape, a UTF-8 character, a raw
 * control character or a bad byte at every place, and the line ending
 * right after it or later, reads as the byte-by-byte rules say. */
static void test_read_strings_at_every_width(void **state)
{
	(void)state;
	static const struct {
		const char *in, *out; /* out NULL: the line is refused */
	} kinds[] = { { "\\n", "\n" }, { "\xc3\xa9", "\xc3\xa9" }, { "\x01", NULL }, { "\xff", NULL } };
	struct record rec;
	char line[160], want[96], err[256];
	record_init(&rec);
	for (int tail = 0; tail < 2; tail++)
		for (size_t len = 0; len <= 40; len++)
			for (size_t at = 0; at <= len; at++)
				for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
					size_t n = (size_t)sprintf(line, "{\"k\":\"%.*s%s%.*s\"%s}", (int)at,
								   "abcdefghijklmnopqrstuvwxyz0123456789ABCDEF",
								   at < len ? kinds[k].in : "", (int)(len - at),
								   "abcdefghijklmnopqrstuvwxyz0123456789ABCDEF",
								   tail ? ",\"z\":\"1\"" : "");
					int rc = read_n(&rec, line, n, err, sizeof(err));
					if (at == len || kinds[k].out) {
						assert_int_equal(rc, 0);
						int w = sprintf(want, "%.*s%s%.*s", (int)at,
								"abcdefghijklmnopqrstuvwxyz0123456789ABCDEF",
								at < len ? kinds[k].out : "", (int)(len - at),
								"abcdefghijklmnopqrstuvwxyz0123456789ABCDEF");
						assert_slice(rec.fields[0].value, want, (size_t)w);
					} else {
						assert_int_equal(rc, -1);
						snprintf(want, sizeof(want), "column %zu: ", at + 7);
						assert_memory_equal(err, want, strlen(want));
					}
				}
	record_release(&rec);
}

static void test_read_depth_limit(void **state)
{
	(void)state;
	struct record rec;
	record_init(&rec);
	char err[256];
	for (int kind = 0; kind < 2; kind++) {
		for (int depth = 63; depth <= 66; depth++) {
			/* The record's object is level 1, so DEPTH - 1 nested levels. */
			char line[1024];
			size_t n = 0;
			n += (size_t)sprintf(line + n, "{\"a\":");
			for (int i = 1; i < depth; i++)
				n += (size_t)sprintf(line + n, kind ? "{\"k\":" : "[");
			n += (size_t)sprintf(line + n, "1");
			for (int i = 1; i < depth; i++)
				line[n++] = kind ? '}' : ']';
			line[n++] = '}';
			int rc = read_n(&rec, line, n, err, sizeof(err));
			if (depth <= 64) {
				assert_int_equal(rc, 0);
				assert_int_equal(rec.nfields, 1);
			} else {
				assert_int_equal(rc, -1);
				/* The column of the 65th opening bracket. */
				char want[64];
				snprintf(want, sizeof(want), "column %d: nested deeper than 64 levels",
					 kind ? 6 + 5 * 63 : 6 + 63);
				assert_string_equal(err, want);
			}
		}
	}
	/* The limit counts inside _raw and _issues too. */
	char line[1024];
	size_t n = (size_t)sprintf(line, "{\"_raw\":{\"a\":");
	for (int i = 0; i < 63; i++)
		line[n++] = '[';
	for (int i = 0; i < 63; i++)
		line[n++] = ']';
	n += (size_t)sprintf(line + n, "}}");
	assert_int_equal(read_n(&rec, line, n, err, sizeof(err)), -1);
	assert_string_equal(err, "column 76: nested deeper than 64 levels");
	record_release(&rec);
}

static void test_read_copies_into_arena(void **state)
{
	(void)state;
	/* read_n() overwrites the line after reading: nothing may point to it. */
	struct record rec;
	record_init(&rec);
	read_ok(&rec, "{\"name\":\"value\",\"n\":42,\"o\":[1],\"_source\":{\"file\":\"f.csv\",\"record\":1},"
		      "\"_raw\":{\"name\":\"old\"},\"_issues\":[{\"field\":\"name\",\"code\":\"c.d\","
		      "\"severity\":\"warning\",\"message\":\"msg\"}]}");
	assert_field_str(&rec, 0, "name", "value");
	assert_field_str(&rec, 1, "n", "42");
	assert_field_str(&rec, 2, "o", "[1]");
	assert_slice_str(rec.source.file, "f.csv");
	assert_slice_str(rec.raw[0].name, "name");
	assert_slice_str(rec.raw[0].value, "old");
	assert_slice_str(rec.issues[0].field, "name");
	assert_slice_str(rec.issues[0].code, "c.d");
	assert_slice_str(rec.issues[0].message, "msg");
	/* Like record_copy(), the reader leaves every slice NUL-terminated. */
	for (size_t i = 0; i < rec.nfields; i++) {
		assert_int_equal(rec.fields[i].name.ptr[rec.fields[i].name.len], '\0');
		assert_int_equal(rec.fields[i].value.ptr[rec.fields[i].value.len], '\0');
	}
	assert_int_equal(rec.source.file.ptr[rec.source.file.len], '\0');
	assert_int_equal(rec.raw[0].value.ptr[rec.raw[0].value.len], '\0');
	assert_int_equal(rec.issues[0].code.ptr[rec.issues[0].code.len], '\0');
	read_ok(&rec, "{\"a\\n\":\"\\t\",\"b\":[ 1 ],\"c\":1.5}");
	for (size_t i = 0; i < rec.nfields; i++) {
		assert_int_equal(rec.fields[i].name.ptr[rec.fields[i].name.len], '\0');
		assert_int_equal(rec.fields[i].value.ptr[rec.fields[i].value.len], '\0');
	}
	assert_field_str(&rec, 0, "a\n", "\t");
	assert_field_str(&rec, 1, "b", "[1]");
	assert_field_str(&rec, 2, "c", "1.5");
	record_release(&rec);
}

static void test_read_stops_at_len(void **state)
{
	(void)state;
	struct record rec;
	record_init(&rec);
	char err[256];
	const char *two = "{\"a\":\"b\"}{\"c\":\"d\"}";
	assert_int_equal(wire_read_record(&rec, two, 9, err, sizeof(err)), 0);
	assert_int_equal(rec.nfields, 1);
	assert_field_str(&rec, 0, "a", "b");
	/* Every proper prefix of a line is an error, never a read past it. */
	const char *line = "{\"a\":\"x\\u00e9\\ud83d\\ude00\xc3\xa9\",\"n\":-1.5e3,\"t\":true,"
			   "\"o\":{\"k\":[1,\"s\"]},\"_source\":{\"file\":\"f\",\"line\":2,\"record\":3},"
			   "\"_raw\":{\"a\":\"y\"},\"_issues\":[{\"code\":\"c\",\"severity\":\"info\"}]}";
	size_t len = strlen(line);
	read_ok_n(&rec, line, len);
	for (size_t n = 0; n < len; n++) {
		err[0] = '\0';
		if (read_n(&rec, line, n, err, sizeof(err)) != -1)
			fail_msg("prefix of %zu bytes accepted", n);
		assert_true(strncmp(err, "column ", 7) == 0);
		assert_int_equal(rec.nfields, 0);
	}
	/* A small error buffer is filled, not overrun; none at all is fine. */
	char small[8];
	assert_int_equal(wire_read_record(&rec, "[", 1, small, sizeof(small)), -1);
	assert_string_equal(small, "column ");
	assert_int_equal(wire_read_record(&rec, "[", 1, NULL, 0), -1);
	record_release(&rec);
}

/* ---- the reader: what it rejects ------------------------------------ */

struct bad {
	const char *line;
	size_t len; /* 0: strlen(line) */
	const char *err;
};

#define BAD(l, e) { (l), 0, (e) }
#define BADN(l, e) { (l), sizeof(l) - 1, (e) }

static const struct bad bad_lines[] = {
	/* Not an object, or nothing at all. */
	BADN("", "column 1: empty line: expected a JSON object"),
	BAD("   \n", "column 5: empty line: expected a JSON object"),
	BAD("[]", "column 1: a record must be a JSON object"),
	BAD("\"x\"", "column 1: a record must be a JSON object"),
	BAD("  1", "column 3: a record must be a JSON object"),
	BAD("null", "column 1: a record must be a JSON object"),
	BAD("\xef\xbb\xbf{}", "column 1: a record must be a JSON object"),
	/* Truncated. */
	BAD("{", "column 2: unexpected end of line: expected a key"),
	BAD("{\"a\"", "column 5: expected ':' after object key"),
	BAD("{\"a\":", "column 6: unexpected end of line: expected a value"),
	BAD("{\"a\":\"b\"", "column 9: unexpected end of line: expected ',' or '}'"),
	BAD("{\"a\":\"b\",", "column 10: unexpected end of line: expected a key"),
	BAD("{\"a\":\"b", "column 6: unterminated string"),
	BAD("{\"a\":\"b\\", "column 6: unterminated string"),
	BAD("{\"a", "column 2: unterminated string"),
	BAD("{\"a\":tru", "column 6: invalid literal: expected true, false or null"),
	BAD("{\"a\":[1,2", "column 10: unexpected end of line: expected ',' or ']'"),
	BAD("{\"a\":[1],\"b\":{\"c\":[]}", "column 22: unexpected end of line: expected ',' or '}'"),
	BAD("{\"a\":\"\\u00", "column 7: incomplete \\u escape in string"),
	BAD("{\"_issues\":[", "column 13: unexpected end of line: expected a value"),
	BAD("{\"_source\":", "column 12: unexpected end of line: expected a value"),
	/* Trailing garbage. */
	BAD("{\"a\":\"b\"} x", "column 11: unexpected data after the record"),
	BAD("{\"a\":\"b\"}{}", "column 10: unexpected data after the record"),
	BAD("{\"a\":\"b\"},", "column 10: unexpected data after the record"),
	BAD("{}}", "column 3: unexpected data after the record"),
	BAD("{\"a\":\"b\"}\xff", "column 10: unexpected data after the record"),
	BADN("{}\0", "column 3: unexpected data after the record"),
	/* Structure. */
	BAD("{\"a\" \"b\"}", "column 6: expected ':' after object key"),
	BAD("{\"a\"=\"b\"}", "column 5: expected ':' after object key"),
	BAD("{a:\"b\"}", "column 2: expected a string key"),
	BAD("{'a':1}", "column 2: expected a string key"),
	BAD("{\xc3\xa9:1}", "column 2: expected a string key"),
	BAD("{\"a\":\"b\",}", "column 10: expected a string key"),
	BAD("{,}", "column 2: expected a string key"),
	BAD("{\"a\":\"b\";\"c\":1}", "column 9: expected ',' or '}' after value"),
	BAD("{\"a\":[1,]}", "column 9: expected a value"),
	BAD("{\"a\":[,1]}", "column 7: expected a value"),
	BAD("{\"a\":[1 2]}", "column 9: expected ',' or ']' after value"),
	BAD("{\"a\":[}", "column 7: expected a value"),
	BAD("{\"a\":{]}", "column 7: expected a string key"),
	BAD("{\"a\":{\"b\"}}", "column 10: expected ':' after object key"),
	BAD("{\"a\":{\"b\":1,}}", "column 13: expected a string key"),
	BAD("{\"a\":{1:1}}", "column 7: expected a string key"),
	BAD("{\"a\":[1}", "column 8: expected ',' or ']' after value"),
	BAD("{\"a\":{\"b\":1]}", "column 12: expected ',' or '}' after value"),
	BAD("{\"a\":truex}", "column 10: expected ',' or '}' after value"),
	BAD("{\"a\":True}", "column 6: expected a value"),
	BAD("{\"a\":nul}", "column 6: invalid literal: expected true, false or null"),
	BAD("{\"a\":'b'}", "column 6: expected a value"),
	BAD("{\"a\":\"b\"/**/}", "column 9: expected ',' or '}' after value"),
	BAD("{\"a\":\f\"b\"}", "column 6: expected a value"),
	/* Numbers. */
	BAD("{\"a\":01}", "column 6: invalid number: leading zero"),
	BAD("{\"a\":-01}", "column 7: invalid number: leading zero"),
	BAD("{\"a\":1.}", "column 8: invalid number: expected a digit after '.'"),
	BAD("{\"a\":1.e5}", "column 8: invalid number: expected a digit after '.'"),
	BAD("{\"a\":.5}", "column 6: expected a value"),
	BAD("{\"a\":1e}", "column 8: invalid number: expected a digit in the exponent"),
	BAD("{\"a\":1e+}", "column 9: invalid number: expected a digit in the exponent"),
	BAD("{\"a\":+1}", "column 6: expected a value"),
	BAD("{\"a\":-}", "column 7: invalid number: expected a digit"),
	BAD("{\"a\":-a}", "column 7: invalid number: expected a digit"),
	BAD("{\"a\":1.5.2}", "column 9: expected ',' or '}' after value"),
	BAD("{\"a\":0x1}", "column 7: expected ',' or '}' after value"),
	BAD("{\"a\":Infinity}", "column 6: expected a value"),
	BAD("{\"a\":NaN}", "column 6: expected a value"),
	BAD("{\"a\":[01]}", "column 7: invalid number: leading zero"),
	/* Escapes. */
	BAD("{\"a\":\"\\x\"}", "column 7: invalid escape '\\x' in string"),
	BAD("{\"a\":\"\\U0041\"}", "column 7: invalid escape '\\U' in string"),
	BAD("{\"a\":\"\\'\"}", "column 7: invalid escape '\\'' in string"),
	BAD("{\"a\":\"\\ \"}", "column 7: invalid escape in string"),
	BAD("{\"a\":\"\\\xc3\xa9\"}", "column 7: invalid escape in string"),
	BAD("{\"a\":\"\\u12G4\"}", "column 7: invalid \\u escape in string"),
	BAD("{\"a\":\"\\u00\"}", "column 7: invalid \\u escape in string"),
	BAD("{\"a\":\"\\u-123\"}", "column 7: invalid \\u escape in string"),
	BAD("{\"k\\q\":1}", "column 4: invalid escape '\\q' in string"),
	BAD("{\"a\":[\"\\z\"]}", "column 8: invalid escape '\\z' in string"),
	/* Lone surrogates. */
	BAD("{\"a\":\"\\ud800\"}", "column 7: lone surrogate \\ud800 in string"),
	BAD("{\"a\":\"\\uDBFF\"}", "column 7: lone surrogate \\udbff in string"),
	BAD("{\"a\":\"\\udc00\"}", "column 7: lone surrogate \\udc00 in string"),
	BAD("{\"a\":\"x\\ude00\\ud83d\"}", "column 8: lone surrogate \\ude00 in string"),
	BAD("{\"a\":\"\\ud800\\u0041\"}", "column 7: lone surrogate \\ud800 in string"),
	BAD("{\"a\":\"\\ud800\\ud800\"}", "column 7: lone surrogate \\ud800 in string"),
	BAD("{\"a\":\"\\ud800x\"}", "column 7: lone surrogate \\ud800 in string"),
	BAD("{\"a\":\"\\ud800\\n\"}", "column 7: lone surrogate \\ud800 in string"),
	BAD("{\"a\":\"\\ud800\"", "column 7: lone surrogate \\ud800 in string"),
	BAD("{\"\\udfff\":1}", "column 3: lone surrogate \\udfff in string"),
	BAD("{\"a\":{\"b\":\"\\ud800\"}}", "column 12: lone surrogate \\ud800 in string"),
	/* Raw control characters. */
	BAD("{\"a\":\"x\ty\"}", "column 8: unescaped control character in string"),
	BAD("{\"a\":\"x\ny\"}", "column 8: unescaped control character in string"),
	BAD("{\"a\":\"\r\"}", "column 7: unescaped control character in string"),
	BADN("{\"a\":\"\0\"}", "column 7: unescaped control character in string"),
	BAD("{\"\x1f\":\"x\"}", "column 3: unescaped control character in string"),
	BAD("{\"a\":[\"\x01\"]}", "column 8: unescaped control character in string"),
	/* Ill-formed UTF-8. */
	BAD("{\"a\":\"\xff\"}", "column 7: invalid UTF-8 in string"),
	BAD("{\"a\":\"\x80\"}", "column 7: invalid UTF-8 in string"),
	BAD("{\"a\":\"x\xc0\x80\"}", "column 8: invalid UTF-8 in string"),
	BAD("{\"a\":\"\xc1\xbf\"}", "column 7: invalid UTF-8 in string"),
	BAD("{\"a\":\"\xe0\x80\xaf\"}", "column 7: invalid UTF-8 in string"),
	BAD("{\"a\":\"\xed\xa0\x80\"}", "column 7: invalid UTF-8 in string"),
	BAD("{\"a\":\"\xe2\x82\"}", "column 7: invalid UTF-8 in string"),
	BAD("{\"a\":\"\xe2\x82", "column 7: invalid UTF-8 in string"),
	BAD("{\"a\":\"\xf4\x90\x80\x80\"}", "column 7: invalid UTF-8 in string"),
	BAD("{\"a\":\"\xf5\x80\x80\x80\"}", "column 7: invalid UTF-8 in string"),
	BAD("{\"a\":\"abcdefghijklmnop\xfe\"}", "column 23: invalid UTF-8 in string"),
	BAD("{\"\xfe\":\"x\"}", "column 3: invalid UTF-8 in string"),
	BAD("{\"a\":{\"b\":[\"\xc3\"]}}", "column 13: invalid UTF-8 in string"),
	/* Duplicate keys. */
	BAD("{\"a\":\"1\",\"a\":\"2\"}", "column 10: duplicate key \"a\""),
	BAD("{\"a\":\"1\",\"b\":2,\"a\":[]}", "column 16: duplicate key \"a\""),
	BAD("{\"a\":\"1\",\"\\u0061\":\"2\"}", "column 10: duplicate key \"a\""),
	BAD("{\"\":\"1\",\"\":\"2\"}", "column 9: duplicate key \"\""),
	BAD("{\"a\\nb\":\"1\",\"a\\nb\":\"2\"}", "column 13: duplicate key \"a\\x0ab\""),
	BAD("{\"q\\\"\":1,\"q\\\"\":2}", "column 10: duplicate key \"q\\\"\""),
	BAD("{\"0123456789012345678901234567890123456789_tail\":1,"
	    "\"0123456789012345678901234567890123456789_tail\":2}",
	    "column 52: duplicate key \"0123456789012345678901234567890123456789...\""),
	BAD("{\"_source\":{\"record\":1},\"_source\":{\"record\":2}}", "column 25: duplicate key \"_source\""),
	BAD("{\"_raw\":{},\"_raw\":{}}", "column 12: duplicate key \"_raw\""),
	BAD("{\"_issues\":[],\"_issues\":[]}", "column 15: duplicate key \"_issues\""),
	BAD("{\"_raw\":{\"a\":\"1\",\"a\":\"2\"}}", "column 18: duplicate key \"a\" in _raw"),
	BAD("{\"_source\":{\"line\":1,\"line\":2}}", "column 22: duplicate key \"line\" in _source"),
	BAD("{\"_issues\":[{\"code\":\"c\",\"severity\":\"info\",\"code\":\"d\"}]}",
	    "column 43: duplicate key \"code\" in issue"),
	/* Wrong shapes and types in _source, _raw and _issues. */
	BAD("{\"_source\":\"x\"}", "column 12: _source must be an object"),
	BAD("{\"_source\":null}", "column 12: _source must be an object"),
	BAD("{\"_source\":[]}", "column 12: _source must be an object"),
	BAD("{\"_source\":{\"file\":1}}", "column 20: _source file must be a string"),
	BAD("{\"_source\":{\"file\":null}}", "column 20: _source file must be a string"),
	BAD("{\"_source\":{\"line\":\"1\"}}", "column 20: _source line must be a non-negative integer"),
	BAD("{\"_source\":{\"line\":-1}}", "column 20: _source line must be a non-negative integer"),
	BAD("{\"_source\":{\"line\":1.5}}", "column 20: _source line must be a non-negative integer"),
	BAD("{\"_source\":{\"line\":1e3}}", "column 20: _source line must be a non-negative integer"),
	BAD("{\"_source\":{\"line\":01}}", "column 20: _source line must be a non-negative integer"),
	BAD("{\"_source\":{\"line\":true}}", "column 20: _source line must be a non-negative integer"),
	BAD("{\"_source\":{\"record\":null}}", "column 22: _source record must be a non-negative integer"),
	BAD("{\"_source\":{\"record\":99999999999999999999999}}", "column 22: _source record is too large"),
	BAD("{\"_source\":{\"record\":1,\"x\":[}}", "column 29: expected a value"),
	BAD("{\"_source\":{\"record\":1}", "column 24: unexpected end of line: expected ',' or '}'"),
	BAD("{\"_raw\":[]}", "column 9: _raw must be an object"),
	BAD("{\"_raw\":\"x\"}", "column 9: _raw must be an object"),
	BAD("{\"_raw\":{\"a\":}}", "column 14: expected a value"),
	BAD("{\"_raw\":{\"a\":\"\\q\"}}", "column 15: invalid escape '\\q' in string"),
	BAD("{\"_issues\":{}}", "column 12: _issues must be an array"),
	BAD("{\"_issues\":null}", "column 12: _issues must be an array"),
	BAD("{\"_issues\":\"x\"}", "column 12: _issues must be an array"),
	BAD("{\"_issues\":[1]}", "column 13: _issues element must be an object"),
	BAD("{\"_issues\":[[]]}", "column 13: _issues element must be an object"),
	BAD("{\"_issues\":[{\"code\":\"c\",\"severity\":\"info\"},\"x\"]}",
	    "column 44: _issues element must be an object"),
	BAD("{\"_issues\":[{\"code\":\"c\",\"severity\":\"info\"},]}",
	    "column 44: _issues element must be an object"),
	BAD("{\"_issues\":[{\"code\":\"c\",\"severity\":\"info\"}}",
	    "column 43: expected ',' or ']' after value"),
	BAD("{\"_issues\":[{\"code\":1,\"severity\":\"info\"}]}", "column 21: issue code must be a string"),
	BAD("{\"_issues\":[{\"field\":[],\"code\":\"c\",\"severity\":\"info\"}]}",
	    "column 22: issue field must be a string"),
	BAD("{\"_issues\":[{\"code\":\"c\",\"severity\":\"fatal\"}]}", "column 36: unknown severity \"fatal\""),
	BAD("{\"_issues\":[{\"code\":\"c\",\"severity\":\"INFO\"}]}", "column 36: unknown severity \"INFO\""),
	BAD("{\"_issues\":[{\"code\":\"c\",\"severity\":\"\"}]}", "column 36: unknown severity \"\""),
	BAD("{\"_issues\":[{\"code\":\"c\",\"severity\":\"info\\u0000\"}]}",
	    "column 36: unknown severity \"info\\x00\""),
	BAD("{\"_issues\":[{\"code\":\"c\",\"severity\":\"informational-and-then-some\"}]}",
	    "column 36: unknown severity \"informational-and-then-some\""),
	BAD("{\"_issues\":[{\"code\":\"c\",\"severity\":2}]}", "column 36: issue severity must be a string"),
	BAD("{\"_issues\":[{\"code\":\"c\",\"severity\":\"info\",\"message\":null}]}",
	    "column 53: issue message must be a string"),
	BAD("{\"_issues\":[{\"code\":\"c\",\"severity\":\"info\",\"suggestion\":1}]}",
	    "column 56: issue suggestion must be a string"),
	BAD("{\"_issues\":[{\"code\":\"c\",\"severity\":\"info\",\"related\":{}}]}",
	    "column 53: issue related must be a string"),
	BAD("{\"_issues\":[{\"severity\":\"info\"}]}", "column 13: issue lacks \"code\""),
	BAD("{\"_issues\":[{\"code\":\"c\"}]}", "column 13: issue lacks \"severity\""),
	BAD("{\"_issues\":[{}]}", "column 13: issue lacks \"code\""),
	BAD("{\"_issues\":[{\"code\":\"c\",\"severity\":\"info\",\"x\":[1,}]}",
	    "column 50: expected a value"),
};

static void test_read_rejects(void **state)
{
	(void)state;
	struct record rec;
	record_init(&rec);
	for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
		const struct bad *b = &bad_lines[i];
		size_t len = b->len ? b->len : strlen(b->line);
		char err[256];
		memset(err, 0, sizeof(err));
		/* Something left from before must be gone after a failure. */
		read_ok(&rec, "{\"old\":\"x\",\"_issues\":[{\"code\":\"c\",\"severity\":\"info\"}]}");
		int rc = read_n(&rec, b->line, len, err, sizeof(err));
		if (rc != -1)
			fail_msg("bad line %zu accepted: %.*s", i, (int)len, b->line);
		if (strcmp(err, b->err) != 0)
			fail_msg("bad line %zu (%.*s):\n  got  \"%s\"\n  want \"%s\"", i, (int)len,
				 b->line, err, b->err);
		assert_int_equal(rec.nfields, 0);
		assert_int_equal(rec.nissues, 0);
		assert_int_equal(rec.nraw, 0);
		/* git's message style: no full stop. */
		assert_true(err[strlen(err) - 1] != '.');
	}
	record_release(&rec);
}

/* ---- round trips --------------------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15u;

static uint64_t rnd(void)
{
	/* xorshift64*, a fixed seed: the same records every run. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545F4914F6CDD1Du;
}

static size_t below(size_t n)
{
	return (size_t)(rnd() % n);
}

static size_t put_cp(char *d, unsigned long cp)
{
	if (cp < 0x80) {
		d[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		d[0] = (char)(0xC0 | cp >> 6);
		d[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		d[0] = (char)(0xE0 | cp >> 12);
		d[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		d[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	d[0] = (char)(0xF0 | cp >> 18);
	d[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	d[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	d[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Random text of up to MAX characters after PREFIX, copied into REC:
 * valid UTF-8 of every length (controls, quotes and backslashes often),
 * or with UTF8 false any bytes at all. */
static struct slice rnd_text(struct record *rec, const char *prefix, size_t max, int utf8)
{
	char buf[1024];
	size_t n = strlen(prefix), count = below(max + 1);
	memcpy(buf, prefix, n);
	for (size_t i = 0; i < count && n + 4 <= sizeof(buf); i++) {
		if (!utf8) {
			buf[n++] = (char)rnd();
			continue;
		}
		unsigned long cp;
		switch (below(8)) {
		case 0: cp = below(0x20); break;
		case 1: cp = "\"\\/\x7f"[below(4)]; break;
		case 2: cp = 0x80 + below(0x800 - 0x80); break;
		case 3:
			do
				cp = 0x800 + below(0x10000 - 0x800);
			while (cp >= 0xD800 && cp <= 0xDFFF);
			break;
		case 4: cp = 0x10000 + below(0x110000 - 0x10000); break;
		default: cp = 0x20 + below(0x5f); break;
		}
		n += put_cp(buf + n, cp);
	}
	return record_copy(rec, buf, n);
}

static void rnd_record(struct record *rec, int utf8)
{
	record_clear(rec);
	size_t nf = below(12);
	for (size_t i = 0; i < nf; i++) {
		char prefix[16];
		snprintf(prefix, sizeof(prefix), "f%zu|", i);
		record_append(rec, rnd_text(rec, prefix, 12, utf8), rnd_text(rec, "", 40, utf8));
	}
	if (below(2)) {
		rec->source.file = rnd_text(rec, "", 20, utf8);
		rec->source.line = below(3) ? (unsigned long)rnd() : 0;
		rec->source.record = 1 + below(1000000);
	}
	size_t nr = below(3);
	for (size_t i = 0; i < nr; i++) {
		char prefix[16];
		snprintf(prefix, sizeof(prefix), "r%zu|", i);
		record_set_raw(rec, rnd_text(rec, prefix, 8, utf8), rnd_text(rec, "", 30, utf8));
	}
	size_t ni = below(4);
	for (size_t i = 0; i < ni; i++) {
		struct issue is = {
			.field = rnd_text(rec, "", 8, utf8),
			.code = rnd_text(rec, "", 16, utf8),
			.severity = (enum severity)below(3),
			.message = below(2) ? rnd_text(rec, "", 30, utf8) : SLICE_NULL,
			.suggestion = below(2) ? rnd_text(rec, "", 30, utf8) : SLICE_NULL,
			.related = below(2) ? rnd_text(rec, "", 10, utf8) : SLICE_NULL,
		};
		record_add_issue(rec, &is);
	}
}

static void assert_same_slice(struct slice a, struct slice b)
{
	assert_int_equal(a.len, b.len);
	if (a.len)
		assert_memory_equal(a.ptr, b.ptr, a.len);
}

static void assert_same_record(const struct record *a, const struct record *b)
{
	assert_int_equal(a->nfields, b->nfields);
	for (size_t i = 0; i < a->nfields; i++) {
		assert_same_slice(a->fields[i].name, b->fields[i].name);
		assert_same_slice(a->fields[i].value, b->fields[i].value);
	}
	assert_int_equal(a->nraw, b->nraw);
	for (size_t i = 0; i < a->nraw; i++) {
		assert_same_slice(a->raw[i].name, b->raw[i].name);
		assert_same_slice(a->raw[i].value, b->raw[i].value);
	}
	assert_same_slice(a->source.file, b->source.file);
	assert_true(a->source.line == b->source.line);
	assert_true(a->source.record == b->source.record);
	assert_int_equal(a->nissues, b->nissues);
	for (size_t i = 0; i < a->nissues; i++) {
		const struct issue *x = &a->issues[i], *y = &b->issues[i];
		assert_same_slice(x->field, y->field);
		assert_same_slice(x->code, y->code);
		assert_int_equal(x->severity, y->severity);
		assert_same_slice(x->message, y->message);
		assert_same_slice(x->suggestion, y->suggestion);
		assert_same_slice(x->related, y->related);
	}
}

static void round_trips(int utf8, int count)
{
	struct record rec, back;
	record_init(&rec);
	record_init(&back);
	for (int i = 0; i < count; i++) {
		rnd_record(&rec, utf8);
		size_t n1, n2;
		char *w1 = write_record(&rec, &n1);
		assert_true(n1 > 0 && w1[n1 - 1] == '\n');
		assert_null(memchr(w1, '\n', n1 - 1));
		assert_true(utf8_is_valid(w1, n1));
		assert_true(jansson_accepts(w1, n1));
		read_ok_n(&back, w1, n1);
		if (utf8)
			assert_same_record(&rec, &back);
		char *w2 = write_record(&back, &n2);
		if (n1 != n2 || memcmp(w1, w2, n1) != 0)
			fail_msg("record %d differs after a round trip:\n%s%s", i, w1, w2);
		free(w1);
		free(w2);
	}
	record_release(&rec);
	record_release(&back);
}

static void test_round_trip_valid_utf8(void **state)
{
	(void)state;
	/* Valid UTF-8 comes back byte for byte, and writes identically. */
	round_trips(1, 400);
}

static void test_round_trip_random_bytes(void **state)
{
	(void)state;
	/* Any bytes: the first write repairs them, then nothing changes. */
	round_trips(0, 400);
}

/*
 * Strings written in place (the buffer has room for the most they can
 * take) and piece by piece (through a 16-byte buffer) come out the same:
 * escapes, controls, multi-byte characters and ill-formed bytes at every
 * place of 16-byte blocks.
 */
static void test_write_in_place_matches_small_buffer(void **state)
{
	(void)state;
	char s[100];
	for (int round = 0; round < 4000; round++) {
		size_t len = below(sizeof(s) - 4), m = 0;
		while (m < len) {
			switch (below(8)) {
			case 0: s[m++] = "\"\\\n\t\x01\x1f\x7f"[below(7)]; break;
			case 1: m += put_cp(s + m, 0x80 + below(0x700)); break;
			case 2: m += put_cp(s + m, 0x10000 + below(0x1000)); break;
			case 3: s[m++] = (char)(0x80 + below(0x80)); break;
			default: s[m++] = (char)(0x20 + below(0x5f)); break;
			}
		}
		size_t n;
		char *in_place = write_string((struct slice){ s, m }, &n);
		FILE *f = tmpfile();
		assert_non_null(f);
		struct outbuf small = { .fd = fileno(f), .name = "test", .stage = "test",
					.buf = malloc(16), .cap = 16 };
		assert_non_null(small.buf);
		json_write_string(&small, (struct slice){ s, m });
		assert_int_equal(outbuf_release(&small), ST_OK);
		char *pieces = read_whole(fileno(f), &n);
		fclose(f);
		assert_string_equal(pieces, in_place);
		free(pieces);
		free(in_place);
	}
}

/* Records written to an output that fails (/dev/full through a 16-byte
 * buffer, so that members take the general path and flush at every place)
 * end cleanly: the buffer's length stays within it and the failure is
 * reported. */
static void test_write_to_failed_output(void **state)
{
	(void)state;
	FILE *full = fopen("/dev/full", "w");
	if (!full)
		skip();
	struct outbuf o = { .fd = fileno(full), .name = "/dev/full", .stage = "test",
			    .buf = malloc(16), .cap = 16 };
	assert_non_null(o.buf);
	struct wire_names names = { 0 };
	static const char notes[] = "a \"quoted\"\nline, then more text \\ to the end";
	/* Every length of the last value puts the end of the members at every
	 * place of the buffer. */
	for (size_t len = 0; len < sizeof(notes); len++) {
		struct record rec;
		record_init(&rec);
		record_append(&rec, SLICE_LIT("id"), SLICE_LIT("M-1"));
		record_append(&rec, SLICE_LIT("notes"), (struct slice){ notes, len });
		rec.source = (struct record_source){ .file = SLICE_LIT("f.csv"), .line = 2, .record = 1 };
		wire_write_record_names(&o, &rec, &names);
		assert_true(o.len <= o.cap);
		wire_write_record(&o, &rec);
		assert_true(o.len <= o.cap);
		record_release(&rec);
	}
	assert_true(o.failed);
	assert_int_equal(outbuf_release(&o), ST_SYSTEM);
	fclose(full);
}

static void test_round_trip_10mb_values(void **state)
{
	(void)state;
	enum { BIG = 10 * 1024 * 1024 };
	char *plain = malloc(BIG), *mixed = malloc(BIG);
	assert_non_null(plain);
	assert_non_null(mixed);
	for (size_t i = 0; i < BIG; i++)
		plain[i] = (char)('a' + i % 26);
	/* Escapes, controls and multi-byte characters throughout. */
	size_t m = 0;
	while (m + 4 <= BIG) {
		switch (below(6)) {
		case 0: mixed[m++] = "\"\\\n\t\x01\x1f"[below(6)]; break;
		case 1: m += put_cp(mixed + m, 0x80 + below(0x700)); break;
		case 2: m += put_cp(mixed + m, 0x10000 + below(0x1000)); break;
		default: mixed[m++] = (char)(0x20 + below(0x5f)); break;
		}
	}
	struct record rec, back;
	record_init(&rec);
	record_init(&back);
	record_append(&rec, SLICE_LIT("plain"), (struct slice){ plain, BIG });
	record_append(&rec, SLICE_LIT("mixed"), (struct slice){ mixed, m });
	record_set_raw(&rec, (struct slice){ plain, BIG }, SLICE_LIT("a 10 MB name"));
	size_t n1, n2;
	char *w1 = write_record(&rec, &n1);
	assert_true(n1 > 2 * (size_t)BIG);
	read_ok_n(&back, w1, n1);
	assert_same_record(&rec, &back);
	char *w2 = write_record(&back, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(w1, w2, n1);
	free(w1);
	free(w2);
	free(plain);
	free(mixed);
	record_release(&rec);
	record_release(&back);
}

static void test_round_trip_reused_record(void **state)
{
	(void)state;
	/* One record read over and over, as a stage does, with the arena reused. */
	struct record rec;
	record_init(&rec);
	char line[256];
	for (int i = 0; i < 2000; i++) {
		int len = snprintf(line, sizeof(line),
				   "{\"id\":\"M-%d\",\"n\":%d,\"_issues\":[{\"code\":\"c%d\",\"severity\":\"%s\"}]}",
				   i, i * 7, i, i % 3 == 0 ? "info" : i % 3 == 1 ? "warning" : "error");
		read_ok_n(&rec, line, (size_t)len);
		char want[32];
		snprintf(want, sizeof(want), "M-%d", i);
		assert_int_equal(rec.nfields, 2);
		assert_slice_str(rec.fields[0].value, want);
		snprintf(want, sizeof(want), "%d", i * 7);
		assert_slice_str(rec.fields[1].value, want);
		assert_int_equal(rec.nissues, 1);
		assert_int_equal(rec.issues[0].severity, (enum severity)(i % 3));
	}
	record_release(&rec);
}

/* ---- JSONTestSuite -------------------------------------------------- */

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

/*
 * Every document is fed whole, as one line: the few that span lines only
 * have newlines where JSON allows whitespace, or inside a string where
 * they are an error either way, so joining the lines changes no verdict.
 */
static void test_json_test_suite(void **state)
{
	(void)state;
	const char *dir = getenv("CASEPIPE_JSON_SUITE");
	if (!dir)
		dir = JSON_SUITE_DIR;
	DIR *d = opendir(dir);
	if (!d) {
		print_message("JSONTestSuite not found at %s: skipped\n", dir);
		skip();
	}
	struct record rec;
	record_init(&rec);
	struct dirent *e;
	int n_files = 0, y_objects = 0, total = 0;
	while ((e = readdir(d))) {
		const char *name = e->d_name;
		size_t nl = strlen(name);
		if (nl < 7 || name[1] != '_' || strcmp(name + nl - 5, ".json") != 0)
			continue;
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", dir, name);
		size_t len;
		char *doc = slurp(path, &len);
		char err[256] = "";
		int rc = read_n(&rec, doc, len, err, sizeof(err));
		total++;
		size_t i = 0;
		while (i < len && strchr(" \t\r\n", doc[i]))
			i++;
		int is_object = i < len && doc[i] == '{';
		if (name[0] == 'n') {
			n_files++;
			if (rc != -1)
				fail_msg("%s accepted", name);
		} else if (name[0] == 'y' && is_object) {
			y_objects++;
			/* Duplicate keys are valid JSON but not a valid record. */
			if (strstr(name, "duplicated_key")) {
				assert_int_equal(rc, -1);
				assert_non_null(strstr(err, "duplicate key \"a\""));
			} else if (rc != 0) {
				fail_msg("%s rejected: %s", name, err);
			}
		} else if (name[0] == 'y') {
			if (rc != -1)
				fail_msg("%s (not an object) accepted", name);
		}
		free(doc);
	}
	closedir(d);
	record_release(&rec);
	print_message("JSONTestSuite: %d documents, %d n_ rejected, %d y_ objects\n",
		      total, n_files, y_objects);
	assert_true(n_files >= 180);
	assert_true(y_objects >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_write_quote_and_backslash),
		cmocka_unit_test(test_write_every_control_character),
		cmocka_unit_test(test_write_del_is_raw),
		cmocka_unit_test(test_write_valid_utf8_unchanged),
		cmocka_unit_test(test_write_ill_formed_utf8_becomes_fffd),
		cmocka_unit_test(test_write_special_byte_at_every_place),
		cmocka_unit_test(test_write_severity_names),
		cmocka_unit_test(test_write_empty_record),
		cmocka_unit_test(test_write_full_record),
		cmocka_unit_test(test_read_simple_and_whitespace),
		cmocka_unit_test(test_read_empty_objects),
		cmocka_unit_test(test_read_escapes),
		cmocka_unit_test(test_read_numbers_exact),
		cmocka_unit_test(test_read_nested_compact),
		cmocka_unit_test(test_read_source_raw_issues),
		cmocka_unit_test(test_read_many_fields_in_order),
		cmocka_unit_test(test_read_duplicates_at_every_width),
		cmocka_unit_test(test_read_strings_at_every_width),
		cmocka_unit_test(test_read_depth_limit),
		cmocka_unit_test(test_read_copies_into_arena),
		cmocka_unit_test(test_read_stops_at_len),
		cmocka_unit_test(test_read_rejects),
		cmocka_unit_test(test_round_trip_valid_utf8),
		cmocka_unit_test(test_round_trip_random_bytes),
		cmocka_unit_test(test_write_in_place_matches_small_buffer),
		cmocka_unit_test(test_write_to_failed_output),
		cmocka_unit_test(test_round_trip_10mb_values),
		cmocka_unit_test(test_round_trip_reused_record),
		cmocka_unit_test(test_json_test_suite),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
