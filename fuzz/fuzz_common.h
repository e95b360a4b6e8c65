/*
 * Shared by the fuzz targets: runs a reader over a memory buffer the way
 * stages/parse.c's parse_one() does, with a sink that writes every record
 * through the NDJSON wire writer into a memory buffer, so that the writer
 * is fuzzed with whatever the readers make of the input.
 */
#ifndef CASEPIPE_FUZZ_COMMON_H
#define CASEPIPE_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colmap.h"
#include "input.h"
#include "outbuf.h"
#include "parse.h"
#include "status.h"
#include "wire.h"

/* Loads the bundled column mapping into OPT, as a plain `casepipe parse`
 * uses it (from a target's LLVMFuzzerInitialize). */
static inline void fuzz_load_map(struct parse_options *opt)
{
	char err[512];
	opt->map = colmap_load(FUZZ_SCHEMAS "/fields.json", err, sizeof(err));
	if (!opt->map) {
		fprintf(stderr, "fuzz: %s\n", err);
		abort();
	}
}

struct fuzz_sink {
	struct sink sink;
	struct outbuf out;
};

static int fuzz_sink_put(struct sink *s, struct record *rec)
{
	struct fuzz_sink *m = (struct fuzz_sink *)s;
	wire_write_record(&m->out, rec);
	return m->out.failed ? ST_SYSTEM : ST_OK;
}

struct fuzz_result {
	char *out;  /* the NDJSON written (malloc'd), or NULL */
	size_t len;
	int status;
	unsigned long records, rejected;
};

/* Runs READER over DATA[0..LEN), reading at most MAX_READ bytes a time
 * (0: the reader's own chunk size). */
static struct fuzz_result fuzz_parse(const struct reader *reader, const struct parse_options *opt,
				     const uint8_t *data, size_t len, size_t max_read)
{
	struct fuzz_result res = { 0 };
	struct input in;
	struct fuzz_sink sink = { { fuzz_sink_put }, { 0 } };
	struct parse_run run = { .in = &in, .opt = opt, .out = &sink.sink, .reader = reader };

	input_open_memory(&in, "fuzz.in", data, len);
	in.max_read = max_read;
	if (opt->encoding && input_set_encoding(&in, opt->encoding) != ST_OK)
		abort();
	if (outbuf_init(&sink.out, -1, "memory", "fuzz") != 0)
		abort();
	record_init(&run.rec);
	res.status = reader->read(&run);
	free(run.scratch);
	free(run.names.raw);
	arena_release(&run.names.arena);
	record_release(&run.rec);
	input_close(&in);
	if (sink.out.failed)
		abort(); /* the memory sink never fails */
	res.out = sink.out.buf;
	res.len = sink.out.len;
	res.records = run.records;
	res.rejected = run.rejected;
	return res;
}

/*
 * Every line the readers write must be one JSON object that the wire
 * reader reads back, and writing it again must give the same line.
 */
static void fuzz_check_wire(const char *out, size_t len)
{
	struct record rec;
	struct outbuf ob;
	char err[256];
	size_t i = 0;

	record_init(&rec);
	if (outbuf_init(&ob, -1, "memory", "fuzz") != 0)
		abort();
	while (i < len) {
		const char *nl = memchr(out + i, '\n', len - i);
		if (!nl) {
			fprintf(stderr, "fuzz: output does not end in a newline\n");
			abort();
		}
		size_t n = (size_t)(nl - (out + i));
		if (wire_read_record(&rec, out + i, n, err, sizeof(err)) != 0) {
			fprintf(stderr, "fuzz: the wire reader rejects the writer's line: %s\n%.*s\n", err,
				(int)(n > 2000 ? 2000 : n), out + i);
			abort();
		}
		ob.len = 0;
		wire_write_record(&ob, &rec);
		if (ob.len != n + 1 || memcmp(ob.buf, out + i, n + 1) != 0) {
			fprintf(stderr, "fuzz: line changes when read and written again\n%.*s\n%.*s",
				(int)(n > 2000 ? 2000 : n + 1), out + i,
				(int)(ob.len > 2000 ? 2000 : ob.len), ob.buf);
			abort();
		}
		i += n + 1;
	}
	free(ob.buf);
	record_release(&rec);
}

/*
 * The whole fuzz body of a reader target: parse DATA whole, check every
 * output line with the wire reader, then parse again a few bytes at a time
 * and require exactly the same output, status and counts (a reader must not
 * depend on where its reads end).
 */
static void fuzz_reader(const struct reader *reader, const struct parse_options *opt,
			const uint8_t *data, size_t size)
{
	struct fuzz_result whole = fuzz_parse(reader, opt, data, size, 0);
	fuzz_check_wire(whole.out, whole.len);

	/* A small read size picked from the data, so that the fuzzer can
	 * steer it: 1 to 16 bytes. */
	size_t small = 1 + (size ? data[size / 2] % 16 : 0);
	struct fuzz_result bits = fuzz_parse(reader, opt, data, size, small);
	if (bits.status != whole.status || bits.records != whole.records ||
	    bits.rejected != whole.rejected || bits.len != whole.len ||
	    (whole.len && memcmp(bits.out, whole.out, whole.len) != 0)) {
		fprintf(stderr,
			"fuzz: reading %zu bytes at a time differs from one read: "
			"status %d/%d, records %lu/%lu, rejected %lu/%lu, output %zu/%zu bytes\n",
			small, bits.status, whole.status, bits.records, whole.records, bits.rejected,
			whole.rejected, bits.len, whole.len);
		abort();
	}
	free(whole.out);
	free(bits.out);
}

#endif
