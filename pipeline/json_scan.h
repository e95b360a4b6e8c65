#ifndef CASEPIPE_JSON_SCAN_H
#define CASEPIPE_JSON_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "record.h"
#include "swar.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/*
 * The JSON scanner shared by the wire reader (wire_read.c) and the JSON
 * reader (stages/parse_json_value.c): RFC 8259 tokens over a byte buffer
 * [p, s->end), checked strictly (escapes, surrogate pairs, UTF-8, control
 * characters, the number grammar) without copying, so that a number keeps
 * its exact text.  Positions are pointers into the caller's buffer.
 *
 * One error convention: every json_scan_*() function returns the position
 * after what it read, or NULL having set s->code, s->at (and s->cp or
 * s->close) to say what went wrong and where.  json_scan_message() words
 * an error; each reader may word a few codes its own way.
 */

/* Objects and arrays nest at most this deep (a record's own object is
 * level 1). */
enum { JSON_MAX_DEPTH = 64 };

enum json_scan_code {
	JSON_SCAN_OK,
	JSON_SCAN_UNTERMINATED,   /* at: the string's opening quote */
	JSON_SCAN_BAD_ESCAPE,     /* at: the backslash */
	JSON_SCAN_SHORT_U,        /* at: the backslash; "\u" lacks 4 bytes */
	JSON_SCAN_BAD_U,          /* at: the backslash; not 4 hex digits */
	JSON_SCAN_LONE_SURROGATE, /* at: the backslash; cp: the code unit */
	JSON_SCAN_CONTROL,        /* an unescaped control character */
	JSON_SCAN_BAD_UTF8,       /* ill-formed UTF-8 in a string */
	JSON_SCAN_DIGIT,          /* a number lacks a digit */
	JSON_SCAN_LEADING_ZERO,
	JSON_SCAN_FRACTION,       /* no digit after '.' */
	JSON_SCAN_EXPONENT,       /* no digit in the exponent */
	JSON_SCAN_LITERAL,        /* not true, false or null */
	JSON_SCAN_VALUE,          /* expected a value */
	JSON_SCAN_KEY,            /* expected a string key */
	JSON_SCAN_COLON,          /* expected ':' after a key */
	JSON_SCAN_COMMA,          /* expected ',' or s->close */
	JSON_SCAN_DEPTH,          /* nested deeper than JSON_MAX_DEPTH */
};

struct json_scan {
	const char *end;        /* the end of the buffer */
	int lax_utf8;           /* ill-formed UTF-8 in a string is no error */
	const char *bad_utf8;   /* with lax_utf8: the first met, or NULL */
	/* What went wrong, when a function returned NULL: */
	enum json_scan_code code;
	const char *at;
	long cp;
	char close;
};

/* Sets the error (for the readers' own syntax errors too); returns NULL. */
void *json_scan_fail(struct json_scan *s, enum json_scan_code code, const char *at);

/* The usual wording of S's error: "invalid number: leading zero", ...;
 * at the end of the buffer, "unexpected end of WHERE: expected a value".
 * BUF (used for some) holds 64 bytes. */
const char *json_scan_message(const struct json_scan *s, const char *where, char *buf);

static inline const char *json_skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* Marks (with 0x80) the bytes of W that are below 0x20, a quote, a
 * backslash or at or above 0x80; the lowest mark is exact. */
static inline uint64_t json_swar_special(uint64_t w)
{
	return swar_has_byte(w, '"') | swar_has_byte(w, '\\') | swar_has_below_or_high(w, 0x20);
}

/* The rest of json_scan_string(), from FROM on: the bytes of the string
 * at P before FROM are plain. */
const char *json_scan_string_rest(struct json_scan *s, const char *p, const char *from,
				  int *escaped);

/*
 * Scans the string whose opening quote is at P; *ESCAPED tells whether it
 * holds escapes.  Inline for the common case, a plain ASCII string found
 * whole by the first words (keys and most values): the call it saves took
 * about 250 instructions off each 10-field record in the wire reader
 * (callgrind).  Anything else goes on in json_scan_string_rest().
 */
static inline const char *json_scan_string(struct json_scan *s, const char *p, int *escaped)
{
	const char *u = p + 1;
#ifdef __SSE2__
	/* 16 bytes a step where SSE2 is (every x86-64): most keys and values
	 * end within one, and bytes below 0x20 or from 0x80 up are one signed
	 * compare.  This took emit -f csv from NDJSON from 546 to 490 million
	 * instructions per 100,000 records (callgrind).  The words below then
	 * do the last bytes, or everything elsewhere. */
	while (s->end - u >= 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)u);
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')),
						      _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
					 _mm_cmplt_epi8(x, _mm_set1_epi8(0x20)));
		unsigned bits = (unsigned)_mm_movemask_epi8(m);
		if (bits) {
			u += __builtin_ctz(bits);
			if (*u == '"') {
				*escaped = 0;
				return u + 1;
			}
			return json_scan_string_rest(s, p, u, escaped);
		}
		u += 16;
	}
#endif
	while (s->end - u >= 8) {
		uint64_t m = json_swar_special(swar_load(u));
		if (m) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			u += __builtin_ctzll(m) >> 3;
			if (*u == '"') {
				*escaped = 0;
				return u + 1;
			}
#endif
			break;
		}
		u += 8;
	}
	return json_scan_string_rest(s, p, u, escaped);
}

/* Scans the number at P ('-' or a digit). */
const char *json_scan_number(struct json_scan *s, const char *p);

/* Scans true, false or null at P. */
const char *json_scan_literal(struct json_scan *s, const char *p);

/* Scans the whole value at P, inside DEPTH levels of containers. */
const char *json_scan_value(struct json_scan *s, const char *p, int depth);

/* Enters the object or array at P, one level below *DEPTH: returns the
 * position of what follows it, after whitespace. */
static inline const char *json_scan_open(struct json_scan *s, const char *p, int *depth)
{
	if (++*depth > JSON_MAX_DEPTH)
		return json_scan_fail(s, JSON_SCAN_DEPTH, p);
	return json_skip_ws(p + 1, s->end);
}

/* Scans the key at P and the ':' after it: returns the position of the
 * value, after whitespace; the key's closing quote is at *KEY_END - 1. */
static inline const char *json_scan_key(struct json_scan *s, const char *p,
					const char **key_end, int *escaped)
{
	if (p == s->end || *p != '"')
		return json_scan_fail(s, JSON_SCAN_KEY, p);
	if (!(p = json_scan_string(s, p, escaped)))
		return NULL;
	*key_end = p;
	p = json_skip_ws(p, s->end);
	if (p == s->end || *p != ':')
		return json_scan_fail(s, JSON_SCAN_COLON, p);
	return json_skip_ws(p + 1, s->end);
}

/*
 * After a member or element of a container that ends with CLOSE: returns
 * the position of the next one (after ',' and whitespace) with *MORE set,
 * or the position after CLOSE with *MORE cleared.
 */
static inline const char *json_scan_next(struct json_scan *s, const char *p, char close,
					 int *more)
{
	p = json_skip_ws(p, s->end);
	if (p < s->end && *p == ',') {
		*more = 1;
		return json_skip_ws(p + 1, s->end);
	}
	*more = 0;
	if (p < s->end && *p == close)
		return p + 1;
	s->close = close;
	return json_scan_fail(s, JSON_SCAN_COMMA, p);
}

/* Decodes the checked string body [P, E) (quotes excluded) into DST,
 * which has room for E - P bytes; returns the decoded length. */
size_t json_decode_string(const char *p, const char *e, char *dst);

/* Copies the checked JSON text [P, E) into DST (room for E - P bytes)
 * without the whitespace between tokens; returns the length. */
size_t json_copy_compact(const char *p, const char *e, char *dst);

/*
 * The names in a field list, for finding duplicate keys in linear time:
 * a hash table, open addressing over indexes into the list plus one (0 is
 * an empty slot); the first table is on the stack, larger ones in the
 * record's arena.  A short list has no table, just a mask (few) that
 * rules most new names out (json_scan.c).
 */
struct json_names {
	uint32_t *slot;
	size_t cap; /* a power of two */
	uint64_t few;
	uint32_t local[64];
};

static inline void json_names_init(struct json_names *ns)
{
	ns->slot = NULL;
	ns->cap = 0;
	ns->few = 0;
}

/*
 * Below this many names, no table: a 64-bit mask of the names' lengths and
 * first and last bytes tells most new names at once, inline, and the rest are
 * compared with each name so far.  For the 10-field records of bench/data
 * this took the finding of duplicates from about 730 to 250 instructions a
 * record (callgrind): hashing each name cost more.
 */
enum { JSON_NAMES_LINEAR = 16 };

/* One bit of 64 for NAME, from its length, first and last bytes. */
static inline uint64_t json_name_bit(struct slice name)
{
	uint64_t k = name.len;
	if (name.len)
		k ^= (uint64_t)(unsigned char)name.ptr[0] << 32 ^
		     (uint64_t)(unsigned char)name.ptr[name.len - 1] << 16;
	return UINT64_C(1) << (k * UINT64_C(0x9E3779B97F4A7C15) >> 58);
}

/* json_names_add() when the mask cannot tell. */
int json_names_add_slow(struct json_names *ns, struct record *rec, const struct field *list,
			size_t n, struct slice name);

/*
 * Is NAME among the N names of LIST, all of which are in NS?  Returns 1 if
 * so; otherwise 0, having put NAME in NS as LIST[N], which the caller then
 * appends; -1 when memory runs out.
 */
static inline int json_names_add(struct json_names *ns, struct record *rec,
				 const struct field *list, size_t n, struct slice name)
{
	if (!ns->slot && n < JSON_NAMES_LINEAR) {
		uint64_t bit = json_name_bit(name);
		if (!(ns->few & bit)) {
			ns->few |= bit;
			return 0;
		}
	}
	return json_names_add_slow(ns, rec, list, n, name);
}

#endif
