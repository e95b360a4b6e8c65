#ifndef CASEPIPE_SWAR_H
#define CASEPIPE_SWAR_H

#include <stdint.h>
#include <string.h>

/*
 * Eight bytes at a time ("SIMD within a register"), for the scanning loops
 * of the readers and writers.  The tests are exact about whether a byte of
 * the word matches, not about which one.
 */
#define SWAR_ONES UINT64_C(0x0101010101010101)
#define SWAR_HIGHS UINT64_C(0x8080808080808080)

static inline uint64_t swar_load(const void *p)
{
	uint64_t w;
	memcpy(&w, p, sizeof(w));
	return w;
}

/* Nonzero when a byte of W is zero. */
static inline uint64_t swar_has_zero(uint64_t w)
{
	return (w - SWAR_ONES) & ~w & SWAR_HIGHS;
}

/* Nonzero when a byte of W equals C. */
static inline uint64_t swar_has_byte(uint64_t w, unsigned char c)
{
	return swar_has_zero(w ^ (SWAR_ONES * c));
}

/* Nonzero when a byte of W is below N (N <= 128); bytes at 0x80 and above
 * never count. */
static inline uint64_t swar_has_below(uint64_t w, unsigned char n)
{
	return (w - SWAR_ONES * n) & ~w & SWAR_HIGHS;
}

/* Nonzero when a byte of W is below N (N <= 128) or at 0x80 or above. */
static inline uint64_t swar_has_below_or_high(uint64_t w, unsigned char n)
{
	return ((w - SWAR_ONES * n) | w) & SWAR_HIGHS;
}

#endif
