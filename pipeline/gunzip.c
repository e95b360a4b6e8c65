/*
 * The gzip layer of an input: data that starts with the gzip magic bytes is
 * inflated with zlib, member after member, whatever the file is called.
 * Unlike gzread(), a member cut short, a corrupt member and bytes after the
 * last member that are not another member are all errors.  Memory stays at
 * zlib's window plus one buffer however large the output grows.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "diag.h"
#include "input.h"

enum { GZ_CHUNK = 64 * 1024 };

struct gunzip {
	int gzip;                   /* the data is gzip; else passed through */
	z_stream zs;
	int zs_ready;
	unsigned char *buf;         /* compressed bytes, or read-ahead plain ones */
	size_t plain_pos, plain_len;
	int raw_eof;
	int member_done;            /* the last member ended cleanly */
	int failed;                 /* an error was reported after some output */
};

int gunzip_active(const struct gunzip *gz)
{
	return gz && gz->gzip;
}

void gunzip_free(struct gunzip *gz)
{
	if (!gz)
		return;
	if (gz->zs_ready)
		inflateEnd(&gz->zs);
	free(gz->buf);
	free(gz);
}

/* Moves the unread compressed bytes to the front and reads more after
 * them; returns 0 or -1 (reported). */
static int refill(struct input *in, struct gunzip *gz)
{
	if (gz->zs.avail_in && gz->zs.next_in != gz->buf)
		memmove(gz->buf, gz->zs.next_in, gz->zs.avail_in);
	gz->zs.next_in = gz->buf;
	ssize_t n = input_read_raw(in, gz->buf + gz->zs.avail_in, GZ_CHUNK - gz->zs.avail_in);
	if (n < 0)
		return -1;
	if (n == 0)
		gz->raw_eof = 1;
	gz->zs.avail_in += (uInt)n;
	return 0;
}

/* Reads the start of the input and decides whether it is gzip. */
static int start(struct input *in)
{
	struct gunzip *gz = calloc(1, sizeof(*gz));
	if (!gz || !(gz->buf = malloc(GZ_CHUNK))) {
		free(gz);
		input_nomem(in);
		return -1;
	}
	in->gz = gz;
	gz->zs.next_in = gz->buf;
	while (gz->zs.avail_in < 2 && !gz->raw_eof)
		if (refill(in, gz) < 0)
			return -1;
	gz->gzip = gz->zs.avail_in >= 2 && gz->buf[0] == 0x1f && gz->buf[1] == 0x8b;
	if (!gz->gzip) {
		gz->plain_len = gz->zs.avail_in;
		return 0;
	}
	if (inflateInit2(&gz->zs, 15 + 16) != Z_OK) {
		input_nomem(in);
		return -1;
	}
	gz->zs_ready = 1;
	return 0;
}

/* After a member ended: more bytes must be another member.  Returns 1 when
 * one starts, 0 at the clean end of the data, -1 on error. */
static int next_member(struct input *in, struct gunzip *gz)
{
	while (gz->zs.avail_in < 2 && !gz->raw_eof)
		if (refill(in, gz) < 0)
			return -1;
	if (gz->zs.avail_in == 0)
		return 0;
	if (gz->zs.avail_in < 2 || gz->zs.next_in[0] != 0x1f || gz->zs.next_in[1] != 0x8b) {
		diag(ST_INPUT, in->stage, "%s: unexpected bytes after the gzip data", in->name);
		return -1;
	}
	inflateReset(&gz->zs);
	gz->member_done = 0;
	return 1;
}

static ssize_t inflate_some(struct input *in, struct gunzip *gz, void *buf, size_t cap)
{
	if (gz->failed)
		return -1;
	gz->zs.next_out = buf;
	gz->zs.avail_out = (uInt)(cap > UINT32_MAX ? UINT32_MAX : cap);
	for (;;) {
		if (gz->member_done) {
			int more = next_member(in, gz);
			if (more <= 0)
				return more;
		}
		if (gz->zs.avail_in == 0 && !gz->raw_eof && refill(in, gz) < 0)
			return -1;
		int r = inflate(&gz->zs, Z_NO_FLUSH);
		size_t produced = cap - gz->zs.avail_out;
		if (r == Z_STREAM_END)
			gz->member_done = 1;
		else if (r == Z_NEED_DICT || r == Z_DATA_ERROR || r == Z_STREAM_ERROR) {
			diag(ST_INPUT, in->stage, "%s: corrupt gzip data (%s)", in->name,
			     gz->zs.msg ? gz->zs.msg : "bad data");
			/* Hand on what was inflated before the error first. */
			gz->failed = 1;
			return produced ? (ssize_t)produced : -1;
		} else if (r == Z_MEM_ERROR) {
			input_nomem(in);
			gz->failed = 1;
			return produced ? (ssize_t)produced : -1;
		} else if (gz->zs.avail_in == 0 && gz->raw_eof && produced == 0) {
			diag(ST_INPUT, in->stage, "%s: the gzip data is cut short", in->name);
			return -1;
		}
		if (produced)
			return (ssize_t)produced;
	}
}

ssize_t gunzip_read(struct input *in, void *buf, size_t cap)
{
	struct gunzip *gz = in->gz;
	if (!gz) {
		if (start(in) < 0)
			return -1;
		gz = in->gz;
	}
	if (gz->gzip)
		return inflate_some(in, gz, buf, cap);
	if (gz->plain_pos < gz->plain_len) {
		size_t n = gz->plain_len - gz->plain_pos;
		if (n > cap)
			n = cap;
		memcpy(buf, gz->buf + gz->plain_pos, n);
		gz->plain_pos += n;
		return (ssize_t)n;
	}
	return gz->raw_eof ? 0 : input_read_raw(in, buf, cap);
}
