/*
 * Helpers for the reader tests: run a reader over a memory buffer, read at
 * most MAX_READ bytes at a time, and get back what it wrote (NDJSON text),
 * what it said on stderr, and its status.  Include after <cmocka.h>.
 */
#ifndef CASEPIPE_TEST_HELPERS_H
#define CASEPIPE_TEST_HELPERS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outbuf.h"
#include "parse.h"
#include "status.h"
#include "wire.h"

struct parsed {
	char *out;              /* NDJSON written, NUL-terminated */
	size_t out_len;
	char *err;              /* stderr during the run, NUL-terminated */
	int status;             /* what reader->read() returned */
	unsigned long records, rejected;
};

struct mem_sink {
	struct sink sink;
	struct outbuf out;
};

static inline int mem_sink_put(struct sink *s, struct record *rec)
{
	struct mem_sink *m = (struct mem_sink *)s;
	wire_write_record(&m->out, rec);
	return m->out.failed ? ST_SYSTEM : ST_OK;
}

/* Reads all of FD from the start into a new NUL-terminated string. */
static inline char *read_whole_fd(int fd)
{
	off_t n = lseek(fd, 0, SEEK_END);
	assert_true(n >= 0);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(pread(fd, buf, (size_t)n, 0), n);
	buf[n] = '\0';
	return buf;
}

/* Runs READER over DATA[0..LEN), called NAME, with OPT, reading at most
 * MAX_READ bytes per read (0: the reader's own chunk size). */
static inline struct parsed parse_buffer_named(const struct reader *reader, const struct parse_options *opt,
					const char *name, const void *data, size_t len, size_t max_read)
{
	struct parsed res = { 0 };
	struct input in;
	struct mem_sink sink = { { mem_sink_put }, { 0 } };
	struct parse_run run = { .in = &in, .opt = opt, .out = &sink.sink };

	input_open_memory(&in, name, data, len);
	in.max_read = max_read;
	assert_int_equal(outbuf_init(&sink.out, -1, "memory", "test"), 0);
	record_init(&run.rec);

	/* Catch the reader's messages on stderr. */
	FILE *errf = tmpfile();
	assert_non_null(errf);
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(errf), STDERR_FILENO) >= 0);

	res.status = reader->read(&run);

	fflush(stderr);
	assert_true(dup2(saved, STDERR_FILENO) >= 0);
	close(saved);
	res.err = read_whole_fd(fileno(errf));
	fclose(errf);

	assert_false(sink.out.failed);
	res.out = malloc(sink.out.len + 1);
	assert_non_null(res.out);
	memcpy(res.out, sink.out.buf, sink.out.len);
	res.out[sink.out.len] = '\0';
	res.out_len = sink.out.len;
	res.records = run.records;
	res.rejected = run.rejected;
	free(sink.out.buf); /* not outbuf_release(): fd -1 is never flushed */
	record_release(&run.rec);
	free(run.scratch); /* what parse.c's parse_one() frees after a reader */
	input_close(&in);
	return res;
}

static inline struct parsed parse_buffer(const struct reader *reader, const struct parse_options *opt,
				  const void *data, size_t len, size_t max_read)
{
	return parse_buffer_named(reader, opt, "in.csv", data, len, max_read);
}

static inline void parsed_free(struct parsed *p)
{
	free(p->out);
	free(p->err);
	p->out = p->err = NULL;
}

/* Expected texts are written with ' for " to keep them readable; \\' in C
 * source (a backslash and a quote) gives the JSON escape \". */
static inline char *unquote_expected(const char *s)
{
	char *t = strdup(s);
	assert_non_null(t);
	for (char *p = t; *p; p++)
		if (*p == '\'')
			*p = '"';
	return t;
}

/* "_source" as written for the memory input "in.csv". */
#define SRC(line, rec) "'_source':{'file':'in.csv','line':" #line ",'record':" #rec "}"

/* An issue without a field, and one about a field. */
#define ISSUE(code, msg) "{'field':'','code':'" code "','severity':'warning','message':'" msg "'}"
#define FISSUE(field, code, msg) \
	"{'field':'" field "','code':'" code "','severity':'warning','message':'" msg "'}"

/* Compares two outputs, printing where they first differ on failure. */
static inline void assert_same_output(const char *got, size_t got_len, const char *want, size_t want_len,
			       size_t max_read)
{
	if (got_len == want_len && memcmp(got, want, got_len) == 0)
		return;
	size_t i = 0;
	while (i < got_len && i < want_len && got[i] == want[i])
		i++;
	print_error("output differs at read size %zu, byte %zu\n--- want\n%.*s\n--- got\n%.*s\n",
		    max_read, i, (int)(want_len > 4000 ? 4000 : want_len), want,
		    (int)(got_len > 4000 ? 4000 : got_len), got);
	fail();
}

/*
 * Feeds DATA to READER at every read size from 1 byte up to LEN, and whole,
 * and asserts that every run writes exactly WANT (in the ' notation) and
 * returns STATUS with REJECTED rows rejected.  Returns the whole-read run
 * (for checks of its messages); free it with parsed_free().
 */
static inline struct parsed check_every_chunk(const struct reader *reader, const struct parse_options *opt,
				       const char *data, size_t len, const char *want_q,
				       int status, unsigned long rejected)
{
	char *want = unquote_expected(want_q);
	size_t want_len = strlen(want);
	struct parsed whole = { 0 };

	for (size_t k = 1; k <= len + 1; k++) {
		size_t max_read = k <= len ? k : 0;
		struct parsed p = parse_buffer(reader, opt, data, len, max_read);
		assert_same_output(p.out, p.out_len, want, want_len, max_read);
		if (p.status != status || p.rejected != rejected) {
			print_error("read size %zu: status %d (want %d), rejected %lu (want %lu)\n%s",
				    max_read, p.status, status, p.rejected, rejected, p.err);
			fail();
		}
		if (max_read == 0)
			whole = p;
		else
			parsed_free(&p);
	}
	free(want);
	return whole;
}

/* check_every_chunk() for a NUL-terminated input. */
static inline struct parsed check_text(const struct reader *reader, const struct parse_options *opt,
				       const char *data, const char *want_q, int status,
				       unsigned long rejected)
{
	return check_every_chunk(reader, opt, data, strlen(data), want_q, status, rejected);
}

/* The same, expecting ST_OK and no rejected row, and discarding the run. */
static inline void check_chunks(const struct reader *reader, const struct parse_options *opt,
			 const char *data, const char *want_q)
{
	struct parsed p = check_every_chunk(reader, opt, data, strlen(data), want_q, ST_OK, 0);
	parsed_free(&p);
}

#endif
