/* A purpose-built strict JSON parser for one flat object per line: jansson's
 * json_loadb costs ~3 µs a record and loses the text of numbers such as 1.50. */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "utf8.h"
#include "wire.h"

/* The record's own object is level 1; values may nest down to this level. */
enum { MAX_DEPTH = 64 };

typedef const unsigned char *pos;

struct reader {
	pos base, end;
	char *copy; /* the line, copied into the record's arena */
	struct record *rec;
	char *err;
	size_t errlen;
};

/*
 * The names already seen in a field list, for finding duplicate keys: up
 * to KEYSET_LINEAR names are compared one by one, then a hash table keeps
 * it linear (open addressing over indexes into the list, plus one so that
 * 0 is an empty slot; the first table is on the stack, larger ones in the
 * record's arena).
 */
struct keyset {
	uint32_t *slot;
	size_t cap; /* a power of two */
	uint32_t local[64];
};

/* What a byte means inside a string: go on (0), or stop and look (1-4). */
enum { C_PLAIN, C_QUOTE, C_BACKSLASH, C_CONTROL, C_HIGH };

static const unsigned char str_class[256] = {
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
	R16(C_CONTROL), R16(C_CONTROL),
	0, 0, C_QUOTE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	R16(0), R16(0),
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, C_BACKSLASH, 0, 0, 0,
	R16(0), R16(0),
	R16(C_HIGH), R16(C_HIGH), R16(C_HIGH), R16(C_HIGH),
	R16(C_HIGH), R16(C_HIGH), R16(C_HIGH), R16(C_HIGH),
#undef R16
};

/* Returns the N bytes at S in the line from the line's copy in the arena,
 * NUL-terminated (over the quote or delimiter that follows them). */
static inline struct slice from_copy(struct reader *r, pos s, size_t n)
{
	char *p = r->copy + (s - r->base);
	p[n] = '\0';
	return (struct slice){ p, n };
}

/* Records "column N: message" in the caller's buffer; returns NULL. */
__attribute__((format(printf, 3, 4)))
static void *fail(struct reader *r, pos at, const char *fmt, ...)
{
	if (!r->err || !r->errlen)
		return NULL;
	int n = snprintf(r->err, r->errlen, "column %zu: ", (size_t)(at - r->base) + 1);
	if (n >= 0 && (size_t)n < r->errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return NULL;
}

static void *fail_nomem(struct reader *r, pos at)
{
	return fail(r, at, "out of memory");
}

/* Writes S into BUF for a message: quoted, control characters escaped, cut
 * short after 40 bytes (at a character boundary).  SIZE is at least 64. */
static const char *quote(char *buf, size_t size, struct slice s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s.ptr;
	size_t i = 0, k = 0;

	buf[k++] = '"';
	for (; i < s.len; i++) {
		unsigned char c = p[i];
		if ((i >= 40 || k + 16 > size) && (c & 0xC0) != 0x80) {
			memcpy(buf + k, "...", 3);
			k += 3;
			break;
		}
		if (c < 0x20 || c == 0x7f) {
			buf[k++] = '\\';
			buf[k++] = 'x';
			buf[k++] = hex[c >> 4];
			buf[k++] = hex[c & 15];
		} else {
			if (c == '"' || c == '\\')
				buf[k++] = '\\';
			buf[k++] = (char)c;
		}
	}
	buf[k++] = '"';
	buf[k] = '\0';
	return buf;
}

static inline pos skip_ws(pos p, pos end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static inline int is_digit(unsigned char c)
{
	return (unsigned)(c - '0') < 10u;
}

static int hex_value(unsigned char c)
{
	if (is_digit(c))
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Reads the four hex digits after "\u" at P (which has room for them). */
static long hex4(pos p)
{
	long v = 0;
	for (int i = 2; i < 6; i++) {
		int h = hex_value(p[i]);
		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/* Checks the escape at P (a backslash) of the string opened at Q; returns
 * the position after it, or NULL. */
static pos scan_escape(struct reader *r, pos p, pos q)
{
	size_t left = (size_t)(r->end - p);

	if (left < 2)
		return fail(r, q, "unterminated string");
	switch (p[1]) {
	case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
		return p + 2;
	case 'u':
		break;
	default:
		if (p[1] > 0x20 && p[1] < 0x7f)
			return fail(r, p, "invalid escape '\\%c' in string", p[1]);
		return fail(r, p, "invalid escape in string");
	}
	if (left < 6)
		return fail(r, p, "incomplete \\u escape in string");
	long cp = hex4(p);
	if (cp < 0)
		return fail(r, p, "invalid \\u escape in string");
	if (cp >= 0xDC00 && cp <= 0xDFFF)
		return fail(r, p, "lone surrogate \\u%04lx in string", cp);
	if (cp < 0xD800 || cp > 0xDBFF)
		return p + 6;
	long lo = left >= 12 && p[6] == '\\' && p[7] == 'u' ? hex4(p + 6) : -1;
	if (lo < 0xDC00 || lo > 0xDFFF)
		return fail(r, p, "lone surrogate \\u%04lx in string", cp);
	return p + 12;
}

/*
 * Marks (with 0x80) the bytes of the 8 in V that are below 0x20, a quote,
 * a backslash or at or above 0x80.  Bytes above a marked one may be marked
 * wrongly (borrows), so only "any?" and the lowest mark are exact.
 */
static inline uint64_t swar_special(uint64_t v)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	uint64_t q = v ^ (ones * '"'), b = v ^ (ones * '\\');
	return (((q - ones) & ~q) | ((b - ones) & ~b) | (v - ones * 0x20) | v) & high;
}

/*
 * Validates the string whose opening quote is at P: escapes, control
 * characters, UTF-8.  Returns the position after the closing quote, or
 * NULL; *ESCAPED tells whether it holds escapes.
 */
static pos scan_string(struct reader *r, pos p, int *escaped)
{
	pos q = p, end = r->end;
	int esc = 0;

	p++;
	for (;;) {
		while (end - p >= 8) {
			uint64_t v, m;
			memcpy(&v, p, 8);
			if ((m = swar_special(v))) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				p += __builtin_ctzll(m) >> 3;
#endif
				break;
			}
			p += 8;
		}
		while (p < end && str_class[*p] == C_PLAIN)
			p++;
		if (p == end)
			return fail(r, q, "unterminated string");
		switch (str_class[*p]) {
		case C_QUOTE:
			*escaped = esc;
			return p + 1;
		case C_BACKSLASH:
			esc = 1;
			if (!(p = scan_escape(r, p, q)))
				return NULL;
			break;
		case C_CONTROL:
			return fail(r, p, "unescaped control character in string");
		default: {
			size_t n = utf8_sequence_length(p, (size_t)(end - p));
			if (!n)
				return fail(r, p, "invalid UTF-8 in string");
			p += n;
		}
		}
	}
}

static char *put_utf8(char *d, unsigned long cp)
{
	if (cp < 0x80) {
		*d++ = (char)cp;
	} else if (cp < 0x800) {
		*d++ = (char)(0xC0 | cp >> 6);
		*d++ = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*d++ = (char)(0xE0 | cp >> 12);
		*d++ = (char)(0x80 | (cp >> 6 & 0x3F));
		*d++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*d++ = (char)(0xF0 | cp >> 18);
		*d++ = (char)(0x80 | (cp >> 12 & 0x3F));
		*d++ = (char)(0x80 | (cp >> 6 & 0x3F));
		*d++ = (char)(0x80 | (cp & 0x3F));
	}
	return d;
}

/* Decodes the validated string body [P, E) into DST, which has room for
 * E - P bytes (decoding never grows a string); returns its length. */
static size_t decode_string(pos p, pos e, char *dst)
{
	char *d = dst;
	while (p < e) {
		pos bs = memchr(p, '\\', (size_t)(e - p));
		if (!bs)
			bs = e;
		memcpy(d, p, (size_t)(bs - p));
		d += bs - p;
		p = bs;
		if (p == e)
			break;
		switch (p[1]) {
		case 'b': *d++ = '\b'; break;
		case 'f': *d++ = '\f'; break;
		case 'n': *d++ = '\n'; break;
		case 'r': *d++ = '\r'; break;
		case 't': *d++ = '\t'; break;
		case 'u': {
			unsigned long cp = (unsigned long)hex4(p);
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				unsigned long lo = (unsigned long)hex4(p + 6);
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				p += 6;
			}
			d = put_utf8(d, cp);
			p += 6;
			continue;
		}
		default: *d++ = (char)p[1]; break; /* '"', '\\' or '/' */
		}
		p += 2;
	}
	return (size_t)(d - dst);
}

/*
 * Reads the string at P into *OUT.  With KEEP the bytes end up in the
 * record's arena; without it an unescaped string may point into the line.
 * Returns the position after the string, or NULL.
 */
static pos read_string(struct reader *r, pos p, struct slice *out, int keep)
{
	int esc;
	pos q = scan_string(r, p, &esc);
	if (!q)
		return NULL;
	pos s = p + 1, e = q - 1;
	size_t n = (size_t)(e - s);
	if (!esc) {
		*out = keep ? from_copy(r, s, n) : (struct slice){ (const char *)s, n };
		return q;
	}
	char *d = arena_alloc(&r->rec->arena, n + 1);
	if (!d)
		return fail_nomem(r, p);
	n = decode_string(s, e, d);
	d[n] = '\0';
	*out = (struct slice){ d, n };
	return q;
}

static pos scan_number(struct reader *r, pos p)
{
	pos end = r->end;
	if (*p == '-')
		p++;
	if (p == end || !is_digit(*p))
		return fail(r, p, "invalid number: expected a digit");
	if (*p == '0') {
		p++;
		if (p < end && is_digit(*p))
			return fail(r, p - 1, "invalid number: leading zero");
	} else {
		while (p < end && is_digit(*p))
			p++;
	}
	if (p < end && *p == '.') {
		p++;
		if (p == end || !is_digit(*p))
			return fail(r, p, "invalid number: expected a digit after '.'");
		while (p < end && is_digit(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || !is_digit(*p))
			return fail(r, p, "invalid number: expected a digit in the exponent");
		while (p < end && is_digit(*p))
			p++;
	}
	return p;
}

/* Returns the position after the literal at P ("true", "false", "null"),
 * or NULL. */
static pos scan_literal(struct reader *r, pos p)
{
	static const char *const lits[] = { "true", "false", "null" };
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(lits[i]);
		if ((size_t)(r->end - p) >= n && memcmp(p, lits[i], n) == 0)
			return p + n;
	}
	return fail(r, p, "invalid literal: expected true, false or null");
}

static pos expected_value(struct reader *r, pos p)
{
	if (p == r->end)
		return fail(r, p, "unexpected end of line: expected a value");
	return fail(r, p, "expected a value");
}

static pos skip_value(struct reader *r, pos p, int depth);

/* Skips the object or array at P, one level below DEPTH. */
static pos skip_container(struct reader *r, pos p, int depth)
{
	pos end = r->end;
	unsigned char close = *p == '{' ? '}' : ']';
	int esc;

	if (++depth > MAX_DEPTH)
		return fail(r, p, "nested deeper than %d levels", MAX_DEPTH);
	p = skip_ws(p + 1, end);
	if (p < end && *p == close)
		return p + 1;
	for (;;) {
		if (close == '}') {
			if (p == end || *p != '"')
				return fail(r, p, p == end ? "unexpected end of line: expected a key"
							   : "expected a string key");
			if (!(p = scan_string(r, p, &esc)))
				return NULL;
			p = skip_ws(p, end);
			if (p == end || *p != ':')
				return fail(r, p, "expected ':' after object key");
			p = skip_ws(p + 1, end);
		}
		if (!(p = skip_value(r, p, depth)))
			return NULL;
		p = skip_ws(p, end);
		if (p < end && *p == ',') {
			p = skip_ws(p + 1, end);
			continue;
		}
		if (p < end && *p == close)
			return p + 1;
		if (p == end)
			return fail(r, p, "unexpected end of line: expected ',' or '%c'", close);
		return fail(r, p, "expected ',' or '%c' after value", close);
	}
}

/* Validates the value at P, inside a container at level DEPTH; returns the
 * position after it, or NULL. */
static pos skip_value(struct reader *r, pos p, int depth)
{
	int esc;
	if (p == r->end)
		return expected_value(r, p);
	switch (*p) {
	case '"':
		return scan_string(r, p, &esc);
	case '{': case '[':
		return skip_container(r, p, depth);
	case 't': case 'f': case 'n':
		return scan_literal(r, p);
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return scan_number(r, p);
	}
	return expected_value(r, p);
}

/* Copies the validated JSON text [P, E) into DST without the whitespace
 * between tokens; returns the length written. */
static size_t compact(pos p, pos e, char *dst)
{
	char *d = dst;
	while (p < e) {
		unsigned char c = *p++;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		*d++ = (char)c;
		if (c != '"')
			continue;
		for (;;) {
			c = *p++;
			*d++ = (char)c;
			if (c == '\\')
				*d++ = (char)*p++;
			else if (c == '"')
				break;
		}
	}
	return (size_t)(d - dst);
}

/*
 * Reads a field value at P inside a container at level DEPTH into *OUT:
 * strings decoded, other scalars as their text, objects and arrays as
 * compact JSON text.  Returns the position after it, or NULL.
 */
static pos read_value(struct reader *r, pos p, int depth, struct slice *out)
{
	pos q;
	if (p == r->end)
		return expected_value(r, p);
	switch (*p) {
	case '"':
		return read_string(r, p, out, 1);
	case 't': case 'f': case 'n':
		if (!(q = scan_literal(r, p)))
			return NULL;
		*out = from_copy(r, p, (size_t)(q - p));
		return q;
	case '{': case '[': {
		if (!(q = skip_container(r, p, depth)))
			return NULL;
		char *d = arena_alloc(&r->rec->arena, (size_t)(q - p) + 1);
		if (!d)
			return fail_nomem(r, p);
		size_t n = compact(p, q, d);
		d[n] = '\0';
		*out = (struct slice){ d, n };
		return q;
	}
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		if (!(q = scan_number(r, p)))
			return NULL;
		*out = from_copy(r, p, (size_t)(q - p));
		return q;
	}
	return expected_value(r, p);
}

static uint32_t hash_name(struct slice s)
{
	const uint64_t k = 0x9E3779B97F4A7C15u;
	const unsigned char *p = (const unsigned char *)s.ptr;
	size_t n = s.len;
	uint64_t h = n * k, w;

	if (n >= 8) {
		for (; n > 8; n -= 8, p += 8) {
			memcpy(&w, p, 8);
			h = (h ^ w) * k;
			h ^= h >> 29;
		}
		memcpy(&w, p + n - 8, 8); /* the last 8 bytes, maybe again */
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, p, 4);
		memcpy(&b, p + n - 4, 4);
		w = (uint64_t)a << 32 | b;
	} else {
		w = n ? (uint64_t)p[0] << 16 | (uint64_t)p[n / 2] << 8 | p[n - 1] : 0;
	}
	h = (h ^ w) * k;
	return (uint32_t)(h >> 32);
}

/* A few names are compared one by one; more go into the table. */
enum { KEYSET_LINEAR = 16 };

static void keyset_init(struct keyset *ks)
{
	ks->slot = NULL;
	ks->cap = 0;
}

/* Puts index I of LIST into the table, which has room for it. */
static void keyset_put(struct keyset *ks, const struct field *list, uint32_t i)
{
	if (!ks->slot)
		return;
	size_t mask = ks->cap - 1, h = hash_name(list[i].name) & mask;
	while (ks->slot[h])
		h = (h + 1) & mask;
	ks->slot[h] = i + 1;
}

/*
 * Is NAME among the N names of LIST, all of which are in KS?  Returns 1 if
 * so; otherwise 0, having made room for LIST[N] to be added with
 * keyset_put() once it is appended, or -1 when memory runs out.
 */
static int keyset_seen(struct keyset *ks, struct record *rec, const struct field *list,
		       size_t n, struct slice name)
{
	if (!ks->slot) {
		for (size_t i = 0; i < n; i++)
			if (slice_eq(list[i].name, name))
				return 1;
		if (n < KEYSET_LINEAR)
			return 0;
	} else {
		size_t mask = ks->cap - 1, h = hash_name(name) & mask;
		for (uint32_t i; (i = ks->slot[h]); h = (h + 1) & mask)
			if (slice_eq(list[i - 1].name, name))
				return 1;
		if ((n + 1) * 2 <= ks->cap)
			return 0;
	}
	if (n >= UINT32_MAX / 4)
		return -1;
	size_t local = sizeof(ks->local) / sizeof(ks->local[0]);
	size_t cap = ks->slot ? ks->cap * 2 : local;
	while ((n + 1) * 2 > cap)
		cap *= 2;
	uint32_t *slot = cap <= local ? ks->local : arena_alloc(&rec->arena, cap * sizeof(*slot));
	if (!slot)
		return -1;
	memset(slot, 0, cap * sizeof(*slot));
	ks->slot = slot;
	ks->cap = cap;
	for (size_t i = 0; i < n; i++)
		keyset_put(ks, list, (uint32_t)i);
	return 0;
}

/*
 * Calls MEMBER for each member of the object at P (which the caller has
 * checked is '{'), one level below DEPTH, with the key (not yet copied),
 * the key's position and the position of the value; MEMBER returns the
 * position after the value.  Returns the position after the object.
 */
typedef pos member_fn(struct reader *r, struct slice key, pos key_at, pos value,
		      int depth, void *ctx);

static pos each_member(struct reader *r, pos p, int depth, member_fn *member, void *ctx)
{
	pos end = r->end;
	struct slice key;

	if (++depth > MAX_DEPTH)
		return fail(r, p, "nested deeper than %d levels", MAX_DEPTH);
	p = skip_ws(p + 1, end);
	if (p < end && *p == '}')
		return p + 1;
	for (;;) {
		if (p == end)
			return fail(r, p, "unexpected end of line: expected a key");
		if (*p != '"')
			return fail(r, p, "expected a string key");
		pos key_at = p;
		if (!(p = read_string(r, p, &key, 0)))
			return NULL;
		p = skip_ws(p, end);
		if (p == end || *p != ':')
			return fail(r, p, "expected ':' after object key");
		p = skip_ws(p + 1, end);
		if (!(p = member(r, key, key_at, p, depth, ctx)))
			return NULL;
		p = skip_ws(p, end);
		if (p < end && *p == ',') {
			p = skip_ws(p + 1, end);
			continue;
		}
		if (p < end && *p == '}')
			return p + 1;
		if (p == end)
			return fail(r, p, "unexpected end of line: expected ',' or '}'");
		return fail(r, p, "expected ',' or '}' after value");
	}
}

static pos duplicate(struct reader *r, pos at, struct slice key, const char *where)
{
	char buf[96];
	return fail(r, at, "duplicate key %s%s", quote(buf, sizeof(buf), key), where);
}

/* Makes KEY, which may point into the line, point into its copy. */
static void keep_key(struct reader *r, struct slice *key)
{
	uintptr_t p = (uintptr_t)key->ptr;
	if (p >= (uintptr_t)r->base && p < (uintptr_t)r->end)
		*key = from_copy(r, (pos)key->ptr, key->len);
}

/* _source: {"file": string, "line": number, "record": number}. */

static pos read_count(struct reader *r, pos p, const char *what, unsigned long *out)
{
	pos q = is_digit(*p) ? scan_number(r, p) : NULL;
	if (!q)
		return fail(r, p, "_source %s must be a non-negative integer", what);
	unsigned long v = 0;
	for (pos d = p; d < q; d++) {
		if (!is_digit(*d))
			return fail(r, p, "_source %s must be a non-negative integer", what);
		unsigned digit = *d - '0';
		if (v > (~0UL - digit) / 10)
			return fail(r, p, "_source %s is too large", what);
		v = v * 10 + digit;
	}
	*out = v;
	return q;
}

static pos source_member(struct reader *r, struct slice key, pos key_at, pos p,
			 int depth, void *ctx)
{
	unsigned *seen = ctx, bit;
	struct record_source *src = &r->rec->source;

	if (slice_eq(key, SLICE_LIT("file")))
		bit = 1;
	else if (slice_eq(key, SLICE_LIT("line")))
		bit = 2;
	else if (slice_eq(key, SLICE_LIT("record")))
		bit = 4;
	else
		return skip_value(r, p, depth);
	if (*seen & bit)
		return duplicate(r, key_at, key, " in _source");
	*seen |= bit;
	if (p == r->end)
		return expected_value(r, p);
	switch (bit) {
	case 1:
		if (*p != '"')
			return fail(r, p, "_source file must be a string");
		return read_string(r, p, &src->file, 1);
	case 2:
		return read_count(r, p, "line", &src->line);
	default:
		return read_count(r, p, "record", &src->record);
	}
}

/* _raw: an object like the record's own, values by the same rules. */

struct raw_ctx {
	struct keyset names;
};

static pos raw_member(struct reader *r, struct slice key, pos key_at, pos p,
		      int depth, void *ctx)
{
	struct raw_ctx *c = ctx;
	struct record *rec = r->rec;
	struct slice value;

	int seen = keyset_seen(&c->names, rec, rec->raw, rec->nraw, key);
	if (seen > 0)
		return duplicate(r, key_at, key, " in _raw");
	if (seen < 0)
		return fail_nomem(r, key_at);
	keep_key(r, &key);
	if (!(p = read_value(r, p, depth, &value)))
		return NULL;
	if (record_set_raw(rec, key, value) < 0)
		return fail_nomem(r, key_at);
	keyset_put(&c->names, rec->raw, (uint32_t)(rec->nraw - 1));
	return p;
}

/* _issues: an array of {"field", "code", "severity", "message",
 * "suggestion", "related"}, every member a string. */

static const struct slice issue_keys[] = {
	{ "field", 5 }, { "code", 4 }, { "severity", 8 },
	{ "message", 7 }, { "suggestion", 10 }, { "related", 7 },
};

struct issue_ctx {
	struct issue is;
	unsigned seen;
};

static pos issue_member(struct reader *r, struct slice key, pos key_at, pos p,
			int depth, void *ctx)
{
	struct issue_ctx *c = ctx;
	size_t i;
	char buf[96];

	for (i = 0; i < sizeof(issue_keys) / sizeof(issue_keys[0]); i++)
		if (slice_eq(key, issue_keys[i]))
			break;
	if (i == sizeof(issue_keys) / sizeof(issue_keys[0]))
		return skip_value(r, p, depth);
	if (c->seen & 1u << i)
		return duplicate(r, key_at, key, " in issue");
	c->seen |= 1u << i;
	if (p == r->end)
		return expected_value(r, p);
	if (*p != '"')
		return fail(r, p, "issue %s must be a string", issue_keys[i].ptr);

	struct slice *dst[] = {
		&c->is.field, &c->is.code, NULL,
		&c->is.message, &c->is.suggestion, &c->is.related,
	};
	if (dst[i])
		return read_string(r, p, dst[i], 1);

	struct slice s;
	pos q = read_string(r, p, &s, 0);
	if (!q)
		return NULL;
	char name[16];
	if (s.len < sizeof(name) && !memchr(s.ptr, '\0', s.len)) {
		memcpy(name, s.ptr, s.len);
		name[s.len] = '\0';
		if (severity_parse(name, &c->is.severity) == 0)
			return q;
	}
	return fail(r, p, "unknown severity %s", quote(buf, sizeof(buf), s));
}

static pos read_issues(struct reader *r, pos p, int depth)
{
	pos end = r->end;

	if (*p != '[')
		return fail(r, p, "_issues must be an array");
	if (++depth > MAX_DEPTH)
		return fail(r, p, "nested deeper than %d levels", MAX_DEPTH);
	p = skip_ws(p + 1, end);
	if (p < end && *p == ']')
		return p + 1;
	for (;;) {
		if (p == end)
			return expected_value(r, p);
		if (*p != '{')
			return fail(r, p, "_issues element must be an object");
		struct issue_ctx c = { .is = { .severity = SEV_INFO } };
		pos open = p;
		if (!(p = each_member(r, p, depth, issue_member, &c)))
			return NULL;
		if (!(c.seen & 2))
			return fail(r, open, "issue lacks \"code\"");
		if (!(c.seen & 4))
			return fail(r, open, "issue lacks \"severity\"");
		if (record_add_issue(r->rec, &c.is) < 0)
			return fail_nomem(r, open);
		p = skip_ws(p, end);
		if (p < end && *p == ',') {
			p = skip_ws(p + 1, end);
			continue;
		}
		if (p < end && *p == ']')
			return p + 1;
		if (p == end)
			return fail(r, p, "unexpected end of line: expected ',' or ']'");
		return fail(r, p, "expected ',' or ']' after value");
	}
}

/* The record's own object. */

enum { SEEN_SOURCE = 1, SEEN_RAW = 2, SEEN_ISSUES = 4 };

struct top_ctx {
	struct keyset names;
	unsigned seen;
};

static pos top_member(struct reader *r, struct slice key, pos key_at, pos p,
		      int depth, void *ctx)
{
	struct top_ctx *c = ctx;
	struct record *rec = r->rec;
	struct slice value;

	if (key.len && key.ptr[0] == '_') {
		unsigned bit = slice_eq(key, SLICE_LIT("_source")) ? SEEN_SOURCE
			     : slice_eq(key, SLICE_LIT("_raw")) ? SEEN_RAW
			     : slice_eq(key, SLICE_LIT("_issues")) ? SEEN_ISSUES : 0;
		if (bit) {
			if (c->seen & bit)
				return duplicate(r, key_at, key, "");
			c->seen |= bit;
			if (p == r->end)
				return expected_value(r, p);
		}
		if (bit == SEEN_SOURCE) {
			unsigned seen = 0;
			if (*p != '{')
				return fail(r, p, "_source must be an object");
			return each_member(r, p, depth, source_member, &seen);
		}
		if (bit == SEEN_RAW) {
			struct raw_ctx raw;
			if (*p != '{')
				return fail(r, p, "_raw must be an object");
			keyset_init(&raw.names);
			return each_member(r, p, depth, raw_member, &raw);
		}
		if (bit == SEEN_ISSUES)
			return read_issues(r, p, depth);
	}

	int seen = keyset_seen(&c->names, rec, rec->fields, rec->nfields, key);
	if (seen > 0)
		return duplicate(r, key_at, key, "");
	if (seen < 0)
		return fail_nomem(r, key_at);
	keep_key(r, &key);
	if (!(p = read_value(r, p, depth, &value)))
		return NULL;
	if (record_append(rec, key, value) < 0)
		return fail_nomem(r, key_at);
	keyset_put(&c->names, rec->fields, (uint32_t)(rec->nfields - 1));
	return p;
}

int wire_read_record(struct record *rec, const char *line, size_t len,
		     char *err, size_t errlen)
{
	struct reader r = {
		.base = (pos)line, .end = (pos)line + len,
		.rec = rec, .err = err, .errlen = errlen,
	};
	struct top_ctx c;

	record_clear(rec);
	if (err && errlen)
		err[0] = '\0';
	pos p = skip_ws(r.base, r.end);
	if (p == r.end) {
		fail(&r, p, "empty line: expected a JSON object");
		return -1;
	}
	if (*p != '{') {
		fail(&r, p, "a record must be a JSON object");
		return -1;
	}
	/* One copy of the whole line in the arena holds every unescaped string
	 * and number; escaped strings and nested values are written apart. */
	r.copy = arena_alloc(&rec->arena, len + 1);
	if (!r.copy) {
		fail(&r, p, "out of memory");
		return -1;
	}
	memcpy(r.copy, line, len);
	keyset_init(&c.names);
	c.seen = 0;
	p = each_member(&r, p, 0, top_member, &c);
	if (p && (p = skip_ws(p, r.end)) != r.end)
		p = fail(&r, p, "unexpected data after the record");
	if (!p) {
		record_clear(rec);
		return -1;
	}
	return 0;
}
