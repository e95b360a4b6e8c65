/*
 * The "_source" member written through the cache of struct wire_names
 * (wire_source.c): stepped line and record numbers, kept file names, and
 * every way out of the cache must give the bytes the plain writer gives.
 * Each record is written twice, with wire_write_record (the plain
 * json_write_source path, the judge) and with wire_write_record_names
 * into a file whose buffer fills and flushes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "status.h"
#include "wire.h"

/* Two writers fed the same records: PLAIN in memory, CACHED into a file. */
struct pair {
	struct outbuf plain, cached;
	FILE *f;
	struct wire_names names;
	struct record rec;
};

static void pair_open(struct pair *w)
{
	memset(w, 0, sizeof(*w));
	assert_int_equal(outbuf_init(&w->plain, -1, "memory", "test"), 0);
	w->f = tmpfile();
	assert_non_null(w->f);
	assert_int_equal(outbuf_init(&w->cached, fileno(w->f), "test", "test"), 0);
	record_init(&w->rec);
	record_append(&w->rec, SLICE_LIT("id"), SLICE_LIT("M-1"));
}

/* Writes the record with this source both ways; returns the line the
 * plain writer wrote (valid until the next call). */
static const char *pair_write(struct pair *w, struct slice file, struct slice sheet,
			      unsigned long line, unsigned long record)
{
	w->rec.source = (struct record_source){ .file = file, .line = line, .record = record,
						.sheet = sheet };
	size_t start = w->plain.len;
	wire_write_record(&w->plain, &w->rec);
	wire_write_record_names(&w->cached, &w->rec, &w->names);
	assert_false(w->plain.failed);
	assert_false(w->cached.failed);
	outbuf_putc(&w->plain, '\0');
	w->plain.len--; /* a terminator for the caller, overwritten next */
	return w->plain.buf + start;
}

/* Ends both; the file's bytes must be the memory's. */
static void pair_close_and_compare(struct pair *w)
{
	assert_int_equal(outbuf_flush(&w->cached), ST_OK);
	int fd = fileno(w->f);
	off_t n = lseek(fd, 0, SEEK_END);
	assert_true(n >= 0);
	assert_int_equal((size_t)n, w->plain.len);
	char *got = malloc((size_t)n + 1);
	assert_non_null(got);
	assert_int_equal(pread(fd, got, (size_t)n, 0), n);
	assert_memory_equal(got, w->plain.buf, (size_t)n);
	free(got);
	fclose(w->f);
	free(w->cached.buf);
	free(w->plain.buf);
	record_release(&w->rec);
}

static void assert_contains(const char *text, const char *part)
{
	if (!strstr(text, part))
		fail_msg("%s does not contain %s", text, part);
}

static void test_numbers_step_carry_jump_and_wrap(void **state)
{
	(void)state;
	static const unsigned long lines[] = {
		1, 2, 9, 10, 11, 11, 19, 28, 95, 104, 999, 1000, 1999, 2003, 5, 6, 16, 17, 0, 3,
		99999, 100000, 9999999999999999999UL, 10000000000000000000UL, ULONG_MAX - 4,
		ULONG_MAX, 3, 4, 1,
	};
	char want[64];
	struct pair w;
	pair_open(&w);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		/* Record numbers run the other way through the same values. */
		unsigned long record = lines[sizeof(lines) / sizeof(lines[0]) - 1 - i];
		const char *out = pair_write(&w, SLICE_LIT("a.csv"), SLICE_NULL, lines[i], record);
		if (lines[i]) {
			snprintf(want, sizeof(want), "\"line\":%lu,\"record\":%lu}", lines[i], record);
		} else {
			assert_null(strstr(out, "\"line\""));
			snprintf(want, sizeof(want), "{\"file\":\"a.csv\",\"record\":%lu}", record);
		}
		assert_contains(out, want);
	}
	pair_close_and_compare(&w);
}

static void test_file_names_change_and_escape(void **state)
{
	(void)state;
	static char longname[700];
	memset(longname, 'x', sizeof(longname));
	const struct {
		struct slice file, sheet;
	} sources[] = {
		{ SLICE_LIT("a.csv"), SLICE_NULL },
		{ SLICE_LIT("a.csv"), SLICE_NULL },
		{ SLICE_LIT("b.csv"), SLICE_NULL },
		{ SLICE_LIT("a.csv"), SLICE_NULL },
		{ SLICE_NULL, SLICE_NULL },
		{ SLICE_LIT("q\"\n\x01\\.csv"), SLICE_NULL },
		{ SLICE_LIT("q\"\n\x01\\.csv"), SLICE_NULL },
		{ SLICE_LIT("\xff\xc3.csv"), SLICE_NULL },
		{ { longname, sizeof(longname) }, SLICE_NULL },
		{ { longname, sizeof(longname) }, SLICE_NULL },
		{ { longname, 500 }, SLICE_NULL },
		{ { longname, 500 }, SLICE_NULL },
		{ SLICE_LIT("book.xlsx"), SLICE_LIT("Sheet \"1\"") },
		{ SLICE_LIT("book.xlsx"), SLICE_NULL },
		{ SLICE_LIT("a.csv"), SLICE_NULL },
		{ SLICE_LIT("a.csx"), SLICE_NULL },
		{ SLICE_LIT("a.cs"), SLICE_NULL },
	};
	struct pair w;
	pair_open(&w);
	for (size_t i = 0; i < sizeof(sources) / sizeof(sources[0]); i++) {
		const char *out = pair_write(&w, sources[i].file, sources[i].sheet, i + 1, i + 1);
		if (i == 5)
			assert_contains(out, "{\"file\":\"q\\\"\\n\\u0001\\\\.csv\",\"line\":6,");
	}
	/* A record with no file and no line still has its record number. */
	const char *out = pair_write(&w, SLICE_NULL, SLICE_NULL, 0, 7);
	assert_contains(out, "\"_source\":{\"file\":\"\",\"record\":7}");
	pair_close_and_compare(&w);
}

/* Many records with steps of every kind, so that the output buffer fills
 * and flushes with the cache at work. */
static void test_many_records_random_steps(void **state)
{
	(void)state;
	static const struct slice files[] = {
		SLICE_LIT("big.csv"), SLICE_LIT("/tmp/dir/other file.csv"), SLICE_LIT("t\tab.csv"),
		SLICE_LIT("b.csv"),
	};
	uint64_t seed = 0x9e3779b97f4a7c15u;
	unsigned long line = 1, record = 1;
	size_t file = 0;
	struct pair w;
	pair_open(&w);
	for (int i = 0; i < 60000; i++) {
		seed = seed * 6364136223846793005u + 1442695040888963407u;
		unsigned r = (unsigned)(seed >> 33);
		switch (r % 16) {
		case 0: line += 10 + r % 1000; break;        /* a jump */
		case 1: line = r % 50; record = 1; break;     /* a new input */
		case 2: file = (r >> 8) % 4; break;
		case 3: break;                                /* the same numbers */
		default: line += 1 + (r >> 8) % 9; record++; break;
		}
		pair_write(&w, files[file], (r >> 12) % 97 == 0 ? SLICE_LIT("S") : SLICE_NULL, line,
			   record);
	}
	assert_true(w.plain.len > 256 * 1024); /* the file's buffer flushed */
	pair_close_and_compare(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_step_carry_jump_and_wrap),
		cmocka_unit_test(test_file_names_change_and_escape),
		cmocka_unit_test(test_many_records_random_steps),
	};
	return cmocka_run_group_tests_name("test_wire_source", tests, NULL, NULL);
}
