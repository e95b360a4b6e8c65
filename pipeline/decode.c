/*
 * The encoding layer of an input.  A byte order mark decides: UTF-8 (the
 * mark is dropped), UTF-16LE or UTF-16BE (converted with iconv).  Without
 * one, bytes pass through as UTF-8 while they are valid; at the first byte
 * that is not, an input that has shown no valid multi-byte character so far
 * is read as Windows-1252 from there on (spreadsheets' "CSV" on Windows),
 * and one that has is left as it is, so that the readers flag the bad
 * values.  --encoding names the encoding and turns detection off.
 */
#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "diag.h"
#include "input.h"
#include "swar.h"
#include "utf8.h"

enum { DEC_CHUNK = 64 * 1024 };

struct decoder {
	int converting;            /* iconv is on */
	iconv_t cd;
	int may_fall_back;         /* no encoding was named */
	int seen_multibyte;        /* a valid multi-byte character went by */
	int unchecked;             /* invalid bytes were seen: pass all on */
	char what[96];             /* what was found, for input_describe() */
	unsigned char *pend;       /* bytes from below not yet returned */
	size_t pend_pos, pend_len;
	int lower_eof;
	unsigned long long offset; /* decoded bytes returned so far */
	unsigned long replaced;    /* bytes with no character, shown as U+FFFD */
};

void decoder_free(struct decoder *dec)
{
	if (!dec)
		return;
	if (dec->converting)
		iconv_close(dec->cd);
	free(dec->pend);
	free(dec);
}

void decoder_describe(const struct decoder *dec, char *buf, size_t size)
{
	if (dec->replaced)
		snprintf(buf, size, "%s; %lu bytes with no character shown as U+FFFD", dec->what,
			 dec->replaced);
	else
		snprintf(buf, size, "%s", dec->what);
}

static int start_iconv(struct input *in, struct decoder *dec, const char *from)
{
	dec->cd = iconv_open("UTF-8", from);
	if (dec->cd == (iconv_t)-1) {
		diag(ST_INPUT, in->stage, "%s: cannot convert from %s", in->name, from);
		return -1;
	}
	dec->converting = 1;
	return 0;
}

/* Reads more bytes from below into the pending buffer. */
static int fill(struct input *in, struct decoder *dec)
{
	if (dec->pend_pos) {
		memmove(dec->pend, dec->pend + dec->pend_pos, dec->pend_len - dec->pend_pos);
		dec->pend_len -= dec->pend_pos;
		dec->pend_pos = 0;
	}
	ssize_t n = gunzip_read(in, dec->pend + dec->pend_len, DEC_CHUNK - dec->pend_len);
	if (n < 0)
		return -1;
	if (n == 0)
		dec->lower_eof = 1;
	dec->pend_len += (size_t)n;
	return 0;
}

static int is_utf8_name(const char *name)
{
	return strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0;
}

/* Looks at the first bytes: byte order marks, or the named encoding. */
static int start(struct input *in)
{
	struct decoder *dec = calloc(1, sizeof(*dec));
	if (!dec || !(dec->pend = malloc(DEC_CHUNK))) {
		free(dec);
		input_nomem(in);
		return -1;
	}
	in->dec = dec;
	while (dec->pend_len < 3 && !dec->lower_eof)
		if (fill(in, dec) < 0)
			return -1;
	const unsigned char *p = dec->pend;
	size_t n = dec->pend_len;
	int utf8_bom = n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF;
	int le_bom = n >= 2 && p[0] == 0xFF && p[1] == 0xFE;
	int be_bom = n >= 2 && p[0] == 0xFE && p[1] == 0xFF;

	if (in->encoding && !is_utf8_name(in->encoding)) {
		snprintf(dec->what, sizeof(dec->what), "%s (as named)", in->encoding);
		dec->pend_pos = le_bom || be_bom ? 2 : utf8_bom ? 3 : 0;
		return start_iconv(in, dec, in->encoding);
	}
	dec->may_fall_back = !in->encoding;
	if (le_bom || be_bom) {
		snprintf(dec->what, sizeof(dec->what), "%s (byte order mark)", le_bom ? "utf-16le" : "utf-16be");
		dec->pend_pos = 2;
		return start_iconv(in, dec, le_bom ? "UTF-16LE" : "UTF-16BE");
	}
	dec->pend_pos = utf8_bom ? 3 : 0;
	snprintf(dec->what, sizeof(dec->what), "utf-8%s", utf8_bom ? " (byte order mark)" : "");
	return 0;
}

/* Returns the index of the first byte at or after P[I] that is not ASCII,
 * or N. */
static size_t skip_ascii(const unsigned char *p, size_t i, size_t n)
{
#ifdef __SSE2__
	/* 64 bytes a test, then 16 with the place of the first non-ASCII byte
	 * from the mask: the word tests went back to single bytes for the
	 * rest of a word or 32-byte block around each accented letter
	 * (valid_prefix on 100k rows of bench/data/big.csv, callgrind:
	 * 8.1M -> 4.0M instructions). */
	while (n - i >= 64) {
		__m128i a = _mm_loadu_si128((const __m128i *)(p + i));
		__m128i b = _mm_loadu_si128((const __m128i *)(p + i + 16));
		__m128i c = _mm_loadu_si128((const __m128i *)(p + i + 32));
		__m128i d = _mm_loadu_si128((const __m128i *)(p + i + 48));
		if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d))))
			break;
		i += 64;
	}
	while (n - i >= 16) {
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(p + i)));
		if (m) /* bit K is byte K */
			return i + (size_t)__builtin_ctz(m);
		i += 16;
	}
#else
	/* ASCII 32 bytes at a time, then 8: one test per 32 bytes took
	 * this loop from about 450 to 175 instructions for each 288-byte
	 * line of bench/data/big.ndjson (callgrind). */
	while (n - i >= 32 && !((swar_load(p + i) | swar_load(p + i + 8) | swar_load(p + i + 16) |
				 swar_load(p + i + 24)) & SWAR_HIGHS))
		i += 32;
	while (n - i >= 8 && !(swar_load(p + i) & SWAR_HIGHS))
		i += 8;
#endif
	while (i < n && p[i] < 0x80)
		i++;
	return i;
}

/*
 * Returns how many bytes at P are valid UTF-8.  *CUT is set when the rest
 * is only the start of a character that more bytes may complete.
 */
static size_t valid_prefix(struct decoder *dec, const unsigned char *p, size_t n, int *cut)
{
	size_t i = 0;
	*cut = 0;
	for (;;) {
		i = skip_ascii(p, i, n);
		if (i == n)
			return i;
		size_t len = utf8_sequence_length(p + i, n - i);
		if (!len) {
			size_t want = p[i] >= 0xF0 ? 4 : p[i] >= 0xE0 ? 3 : 2;
			/* Complete it with the smallest continuation bytes the
			 * lead byte allows, and see whether that is valid. */
			unsigned char second = p[i] == 0xE0 ? 0xA0 : p[i] == 0xF0 ? 0x90 : 0x80;
			*cut = n - i < want && utf8_sequence_length(
				(const unsigned char[4]){ p[i], n - i > 1 ? p[i + 1] : second,
							  n - i > 2 ? p[i + 2] : 0x80, 0x80 }, 4) != 0;
			return i;
		}
		dec->seen_multibyte = 1;
		i += len;
	}
}

/*
 * With nothing pending, reads from below straight into BUF and checks the
 * bytes there, rather than in the pending buffer and then copying them
 * (input_read on 100k rows of bench/data/big.csv, callgrind: 18.3M ->
 * 8.1M instructions).  Returns the count of valid bytes at BUF, 0 at the end of
 * input, or -1; bytes after the valid ones (invalid, or a cut character)
 * are moved to the pending buffer, where read_utf8() decides about them.
 */
static ssize_t read_utf8_direct(struct input *in, struct decoder *dec, unsigned char *buf, size_t cap)
{
	ssize_t n = gunzip_read(in, buf, cap < DEC_CHUNK ? cap : DEC_CHUNK);
	if (n <= 0) {
		dec->lower_eof = n == 0;
		return n;
	}
	int cut = 0;
	size_t ok = dec->unchecked ? (size_t)n : valid_prefix(dec, buf, (size_t)n, &cut);
	memcpy(dec->pend, buf + ok, (size_t)n - ok);
	dec->pend_pos = 0;
	dec->pend_len = (size_t)n - ok;
	dec->offset += ok;
	return (ssize_t)ok;
}

/* Passes UTF-8 through, falling back to Windows-1252 as described above. */
static ssize_t read_utf8(struct input *in, struct decoder *dec, unsigned char *buf, size_t cap)
{
	if (dec->pend_pos == dec->pend_len && !dec->lower_eof && cap > 0) {
		ssize_t n = read_utf8_direct(in, dec, buf, cap);
		if (n != 0 || dec->lower_eof)
			return n;
	}
	for (;;) {
		if (dec->pend_pos == dec->pend_len && !dec->lower_eof && fill(in, dec) < 0)
			return -1;
		size_t avail = dec->pend_len - dec->pend_pos;
		if (avail == 0)
			return 0;
		const unsigned char *p = dec->pend + dec->pend_pos;
		size_t n = avail < cap ? avail : cap;
		int cut = 0;
		size_t ok = dec->unchecked ? n : valid_prefix(dec, p, n, &cut);
		if (ok == 0 && cut && n == avail && !dec->lower_eof) {
			if (fill(in, dec) < 0) /* complete the character first */
				return -1;
			continue;
		}
		if (ok == 0) {
			if (dec->may_fall_back && !dec->seen_multibyte) {
				snprintf(dec->what, sizeof(dec->what),
					 "windows-1252 (not UTF-8 at byte %llu)", dec->offset + 1);
				if (start_iconv(in, dec, "WINDOWS-1252") < 0)
					return -1;
				return 0; /* the caller comes back through iconv */
			}
			/* Mixed: pass everything on; the readers flag the values. */
			in->utf8_clean = 0;
			dec->unchecked = 1;
			ok = n;
		}
		memcpy(buf, p, ok);
		dec->pend_pos += ok;
		dec->offset += ok;
		return (ssize_t)ok;
	}
}

static ssize_t read_converted(struct input *in, struct decoder *dec, unsigned char *buf, size_t cap)
{
	char *out = (char *)buf;
	size_t out_left = cap;

	while (out_left == cap) {
		if (dec->pend_pos == dec->pend_len) {
			if (dec->lower_eof)
				return 0;
			if (fill(in, dec) < 0)
				return -1;
			continue;
		}
		char *src = (char *)dec->pend + dec->pend_pos;
		size_t src_left = dec->pend_len - dec->pend_pos;
		size_t r = iconv(dec->cd, &src, &src_left, &out, &out_left);
		dec->pend_pos = (size_t)((unsigned char *)src - dec->pend);
		if (r != (size_t)-1 || errno == E2BIG)
			continue;
		if (errno == EINVAL && !dec->lower_eof) {
			if (fill(in, dec) < 0) /* a character cut by the buffer's end */
				return -1;
			continue;
		}
		/* EILSEQ, or a cut character at the end: one U+FFFD a byte. */
		if (out_left < 3)
			break;
		memcpy(out, UTF8_REPLACEMENT, 3);
		out += 3;
		out_left -= 3;
		dec->pend_pos++;
		dec->replaced++;
	}
	return (ssize_t)(cap - out_left);
}

ssize_t decoder_read(struct input *in, void *buf, size_t cap)
{
	if (!in->dec && start(in) < 0)
		return -1;
	struct decoder *dec = in->dec;
	for (;;) {
		ssize_t n = dec->converting ? read_converted(in, dec, buf, cap)
					    : read_utf8(in, dec, buf, cap);
		/* read_utf8() returns 0 without end of input when it switched
		 * to conversion. */
		if (n != 0 || !dec->converting || dec->pend_pos == dec->pend_len)
			return n;
	}
}
