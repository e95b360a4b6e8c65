#include <stdint.h>
#include <string.h>

#include "ident_int.h"

/*
 * Byte-level classes over UTF-8.  Spaces are ASCII white space and the
 * Unicode space separators (Zs): U+00A0, U+1680, U+2000..U+200A, U+202F,
 * U+205F, U+3000.  Separators add - / # and the dashes U+2010..U+2015 and
 * U+2212.  Invalid UTF-8 is simply not a space or separator.
 */

static int is_ascii_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

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
	if (u[0] == '-' || u[0] == '/' || u[0] == '#')
		return 1;
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

/* Eight bytes at P as one word (values are short: a word at a time beats
 * a byte at a time for the digit runs of the three identifiers). */
static inline uint64_t load_word(const char *p)
{
	uint64_t w;

	memcpy(&w, p, sizeof w);
	return w;
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/* Nonzero when a byte of W is not an ASCII digit.  A byte XOR '0' is below
 * 10 exactly for a digit; adding 0x76 sets its high bit when it is not.
 * Bytes of 0x80 and above carry into the next byte, but they are flagged
 * themselves, so the answer for the whole word is exact. */
static inline uint64_t nondigit_bytes(uint64_t w)
{
	uint64_t x = w ^ (ONES * '0');

	return ((x + ONES * 0x76) | x) & HIGHS;
}

/* Whether no word of P[0..n), n >= 8, has a byte BAD flags; the last
 * word overlaps bytes already checked, which is harmless. */
static inline int all_words_pass(const char *p, size_t n, uint64_t (*bad)(uint64_t))
{
	for (size_t i = 0; i + 8 <= n; i += 8)
		if (bad(load_word(p + i)))
			return 0;
	return !bad(load_word(p + n - 8));
}

int all_digits(const char *p, size_t n)
{
	if (n >= 8)
		return all_words_pass(p, n, nondigit_bytes);
	for (size_t i = 0; i < n; i++)
		if (!is_digit(p[i]))
			return 0;
	return n > 0;
}

/* Nonzero when a byte of W is not '0'. */
static inline uint64_t nonzero_digit_bytes(uint64_t w)
{
	return w ^ (ONES * '0');
}

int all_zeros(const char *p, size_t n)
{
	if (n >= 8)
		return all_words_pass(p, n, nonzero_digit_bytes);
	for (size_t i = 0; i < n; i++)
		if (p[i] != '0')
			return 0;
	return n > 0;
}

/* Nonzero when a byte of W is not an ASCII digit or upper-case letter.
 * For a byte below 0x80, adding 0x80 - LO sets its high bit when it is at
 * least LO, and adding 0x7F - HI when it is above HI, with no carry into
 * the next byte; bytes of 0x80 and above are flagged by W itself, so the
 * answer for the whole word is exact. */
static inline uint64_t not_upper_or_digit_bytes(uint64_t w)
{
	uint64_t digit = (w + ONES * (0x80 - '0')) & ~(w + ONES * (0x7F - '9'));
	uint64_t upper = (w + ONES * (0x80 - 'A')) & ~(w + ONES * (0x7F - 'Z'));

	return (((digit | upper) & HIGHS) ^ HIGHS) | (w & HIGHS);
}

int all_upper_or_digits(const char *p, size_t n)
{
	if (n >= 8)
		return all_words_pass(p, n, not_upper_or_digit_bytes);
	for (size_t i = 0; i < n; i++)
		if (!is_upper(p[i]) && !is_digit(p[i]))
			return 0;
	return n > 0;
}
