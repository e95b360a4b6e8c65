/*
 * libFuzzer target for the wire reader and writer: the input is one NDJSON
 * line (newlines inside it are part of the fuzzed bytes).  When
 * wire_read_record() accepts it, the record is written, the written line is
 * read again and written again, and the two written lines must be
 * identical: reading what the writer wrote loses nothing.  The writer's
 * line must also always be accepted by the reader.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outbuf.h"
#include "record.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct record rec;
	struct outbuf first, second;
	char err[256];

	/* A copy of exactly the input's size, so ASan sees any over-read. */
	char *line = malloc(size ? size : 1);
	if (!line)
		abort();
	memcpy(line, data, size);
	record_init(&rec);
	if (wire_read_record(&rec, line, size, err, sizeof(err)) != 0) {
		if (!memchr(err, '\0', sizeof(err)))
			abort();
		goto out;
	}
	if (outbuf_init(&first, -1, "memory", "fuzz") != 0 || outbuf_init(&second, -1, "memory", "fuzz") != 0)
		abort();
	wire_write_record(&first, &rec);
	if (first.len == 0 || first.buf[first.len - 1] != '\n' || memchr(first.buf, '\n', first.len - 1)) {
		fprintf(stderr, "fuzz: the writer did not write one line\n");
		abort();
	}
	if (wire_read_record(&rec, first.buf, first.len - 1, err, sizeof(err)) != 0) {
		fprintf(stderr, "fuzz: the reader rejects the writer's line: %s\n%.*s", err, (int)first.len,
			first.buf);
		abort();
	}
	wire_write_record(&second, &rec);
	if (second.len != first.len || memcmp(first.buf, second.buf, first.len) != 0) {
		fprintf(stderr, "fuzz: written, read and written again, the line changed\n%.*s%.*s",
			(int)first.len, first.buf, (int)second.len, second.buf);
		abort();
	}
	free(first.buf);
	free(second.buf);
out:
	record_release(&rec);
	free(line);
	return 0;
}
