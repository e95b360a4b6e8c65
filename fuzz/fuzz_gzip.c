/*
 * libFuzzer target for gzip-wrapped input through the same path as a file:
 * input_read()'s gzip layer under a reader.  The first byte chooses the
 * reader (low 3 bits: csv, tsv, ndjson, xml, json) and the mode (bit 3):
 *   0  the rest is compressed here (one gzip member, or two when bit 4 is
 *      set), so that every input is valid gzip of fuzzed text;
 *   1  the rest is passed as it is, so that the fuzzer mutates the gzip
 *      stream itself (the seeds are real .gz files): truncated, corrupt
 *      and concatenated members, bad trailers.
 */
#include <zlib.h>

#include "fuzz_common.h"

static const struct reader *const readers[] = { &reader_csv, &reader_tsv, &reader_ndjson,
						&reader_xml, &reader_json };

static size_t gzip_member(const uint8_t *data, size_t size, uint8_t *out, size_t cap)
{
	z_stream z = { 0 };
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		abort();
	z.next_in = (Bytef *)data;
	z.avail_in = (uInt)size;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	size_t n = z.total_out;
	deflateEnd(&z);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct parse_options opt = { .delimiter = ',', .header = 1 };

	if (size < 1)
		return 0;
	uint8_t mode = data[0];
	const struct reader *reader = readers[(mode & 7) % 5];
	data++;
	size--;
	if (mode & 8) {
		fuzz_reader(reader, &opt, data, size);
		return 0;
	}
	size_t half = (mode & 16) ? size / 2 : size;
	size_t cap = 2 * (compressBound((uLong)size) + 64);
	uint8_t *gz = malloc(cap);
	if (!gz)
		abort();
	size_t n = gzip_member(data, half, gz, cap);
	if (mode & 16)
		n += gzip_member(data + half, size - half, gz + n, cap - n);
	fuzz_reader(reader, &opt, gz, n);

	/* The same text uncompressed must give the same records (unless the
	 * text is gzip itself: then only the plain read inflates it). */
	if (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) {
		free(gz);
		return 0;
	}
	struct fuzz_result plain = fuzz_parse(reader, &opt, data, size, 0);
	struct fuzz_result unz = fuzz_parse(reader, &opt, gz, n, 0);
	if (plain.status != unz.status || plain.len != unz.len ||
	    (plain.len && memcmp(plain.out, unz.out, plain.len) != 0)) {
		fprintf(stderr, "fuzz: gzip-wrapped input reads differently: status %d/%d, %zu/%zu bytes\n",
			unz.status, plain.status, unz.len, plain.len);
		abort();
	}
	free(plain.out);
	free(unz.out);
	free(gz);
	return 0;
}
