#include <stdint.h>
#include <string.h>

#include "ident_int.h"

/*
 * Byte-level classes over UTF-8.  Spaces are ASCII white space and the
 * Unicode space separators (Zs): U+00A0, U+1680, U+2000..U+200A, U+202F,
 * U+205F, U+3000.  Separators add - / # and the dashes U+2010..U+2015 and
 * U+2212.  Invalid UTF-8 is simply not a space or separator.
 */

/* Length of a multi-byte space encoded in exactly the k bytes at u. */
static int is_wide_space(const unsigned char *u, size_t k)
{
	if (k == 2)
		return u[0] == 0xC2 && u[1] == 0xA0;
	if (k != 3)
		return 0;
	if (u[0] == 0xE1)
		return u[1] == 0x9A && u[2] == 0x80;			/* U+1680 */
	if (u[0] == 0xE2 && u[1] == 0x80)
		return u[2] <= 0x8A || u[2] == 0xAF;			/* U+2000..200A, U+202F */
	if (u[0] == 0xE2 && u[1] == 0x81)
		return u[2] == 0x9F;					/* U+205F */
	return u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x80;	/* U+3000 */
}

static int is_wide_dash(const unsigned char *u)
{
	return u[0] == 0xE2 && ((u[1] == 0x80 && u[2] >= 0x90 && u[2] <= 0x95) ||
				(u[1] == 0x88 && u[2] == 0x92));
}

size_t space_at(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;

	if (n == 0)
		return 0;
	if (u[0] < 0x80)
		return is_ascii_space(u[0]);
	if (n >= 2 && is_wide_space(u, 2))
		return 2;
	if (n >= 3 && is_wide_space(u, 3))
		return 3;
	return 0;
}

size_t space_before(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;

	if (n == 0)
		return 0;
	if (u[n - 1] < 0x80)
		return is_ascii_space(u[n - 1]);
	if (n >= 2 && is_wide_space(u + n - 2, 2))
		return 2;
	if (n >= 3 && is_wide_space(u + n - 3, 3))
		return 3;
	return 0;
}

size_t separator_at(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;

	if (n == 0)
		return 0;
	if (u[0] < 0x80)
		return is_ascii_separator(u[0]);
	if (n >= 3 && is_wide_dash(u))
		return 3;
	return space_at(p, n);
}

size_t count_chars(const char *p, size_t n)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++)
		count += ((unsigned char)p[i] & 0xC0) != 0x80;
	return count;
}
