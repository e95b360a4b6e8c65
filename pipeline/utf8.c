#include <string.h>

#include "swar.h"
#include "utf8.h"

size_t utf8_sequence_length(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	if (c < 0x80)
		return 1;
	if (c < 0xC2 || c > 0xF4)
		return 0;
	size_t len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	/* Reject overlong 3- and 4-byte forms, surrogates and > U+10FFFF. */
	if (c == 0xE0 && p[1] < 0xA0)
		return 0;
	if (c == 0xED && p[1] > 0x9F)
		return 0;
	if (c == 0xF0 && p[1] < 0x90)
		return 0;
	if (c == 0xF4 && p[1] > 0x8F)
		return 0;
	return len;
}

int utf8_is_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	/* Most values are ASCII: test eight bytes at a time for a high bit. */
	while (end - p >= 8 && !(swar_load(p) & SWAR_HIGHS))
		p += 8;
	while (p < end) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		size_t n = utf8_sequence_length(p, (size_t)(end - p));
		if (!n)
			return 0;
		p += n;
	}
	return 1;
}

size_t utf8_repair(const char *s, size_t len, char *out)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	char *o = out;

	while (p < end) {
		size_t n = *p < 0x80 ? 1 : utf8_sequence_length(p, (size_t)(end - p));
		if (n) {
			memcpy(o, p, n);
			o += n;
			p += n;
		} else {
			memcpy(o, UTF8_REPLACEMENT, 3);
			o += 3;
			p++;
		}
	}
	return (size_t)(o - out);
}
