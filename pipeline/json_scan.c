/* The JSON scanner shared by the wire and JSON readers: see json_scan.h. */

#include <stdio.h>
#include <string.h>

#include "json_scan.h"
#include "swar.h"
#include "utf8.h"

void *json_scan_fail(struct json_scan *s, enum json_scan_code code, const char *at)
{
	s->code = code;
	s->at = at;
	return NULL;
}

const char *json_scan_message(const struct json_scan *s, const char *where, char *buf)
{
	const char *what;

	switch (s->code) {
	case JSON_SCAN_OK: return "no error";
	case JSON_SCAN_UNTERMINATED: return "unexpected end of input in a string";
	case JSON_SCAN_BAD_ESCAPE: return "invalid escape in string";
	case JSON_SCAN_SHORT_U:
	case JSON_SCAN_BAD_U: return "invalid \\u escape in string";
	case JSON_SCAN_LONE_SURROGATE:
		snprintf(buf, 64, "lone surrogate \\u%04lx in string", s->cp);
		return buf;
	case JSON_SCAN_CONTROL: return "unescaped control character in string";
	case JSON_SCAN_BAD_UTF8: return "invalid UTF-8 in string";
	case JSON_SCAN_DIGIT: return "invalid number: expected a digit";
	case JSON_SCAN_LEADING_ZERO: return "invalid number: leading zero";
	case JSON_SCAN_FRACTION: return "invalid number: expected a digit after '.'";
	case JSON_SCAN_EXPONENT: return "invalid number: expected a digit in the exponent";
	case JSON_SCAN_LITERAL: return "invalid literal: expected true, false or null";
	case JSON_SCAN_COLON: return "expected ':' after the key";
	case JSON_SCAN_DEPTH:
		snprintf(buf, 64, "nested deeper than %d levels", JSON_MAX_DEPTH);
		return buf;
	case JSON_SCAN_VALUE: what = "a value"; break;
	case JSON_SCAN_KEY: what = s->at == s->end ? "a key" : "a string key"; break;
	case JSON_SCAN_COMMA: what = s->close == '}' ? "',' or '}'" : "',' or ']'"; break;
	default: return "invalid JSON";
	}
	if (s->at == s->end)
		snprintf(buf, 64, "unexpected end of %s: expected %s", where, what);
	else
		snprintf(buf, 64, "expected %s", what);
	return buf;
}

static inline int is_digit(unsigned char c)
{
	return (unsigned)(c - '0') < 10u;
}

/* The four hex digits after "\u" at P (which has room for them), or -1. */
static long hex4(const char *p)
{
	long v = 0;
	for (int i = 2; i < 6; i++) {
		unsigned char c = (unsigned char)p[i];
		int h = is_digit(c) ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/* Checks the escape at P (a backslash) in the string opened at Q. */
static const char *scan_escape(struct json_scan *s, const char *p, const char *q)
{
	size_t left = (size_t)(s->end - p);

	if (left < 2)
		return json_scan_fail(s, JSON_SCAN_UNTERMINATED, q);
	switch (p[1]) {
	case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
		return p + 2;
	case 'u':
		break;
	default:
		return json_scan_fail(s, JSON_SCAN_BAD_ESCAPE, p);
	}
	if (left < 6)
		return json_scan_fail(s, JSON_SCAN_SHORT_U, p);
	long cp = hex4(p);
	if (cp < 0)
		return json_scan_fail(s, JSON_SCAN_BAD_U, p);
	if (cp >= 0xD800 && cp <= 0xDFFF) {
		long lo = cp <= 0xDBFF && left >= 12 && p[6] == '\\' && p[7] == 'u' ? hex4(p + 6) : -1;
		if (lo < 0xDC00 || lo > 0xDFFF) {
			s->cp = cp;
			return json_scan_fail(s, JSON_SCAN_LONE_SURROGATE, p);
		}
		return p + 12;
	}
	return p + 6;
}

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

const char *json_scan_string_rest(struct json_scan *s, const char *p, const char *from,
				  int *escaped)
{
	const unsigned char *u = (const unsigned char *)from;
	const unsigned char *end = (const unsigned char *)s->end;
	int esc = 0;

	for (;;) {
		while (end - u >= 8) {
			uint64_t m = json_swar_special(swar_load(u));
			if (m) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
				u += __builtin_ctzll(m) >> 3;
#endif
				break;
			}
			u += 8;
		}
		while (u < end && str_class[*u] == C_PLAIN)
			u++;
		if (u == end)
			return json_scan_fail(s, JSON_SCAN_UNTERMINATED, p);
		switch (str_class[*u]) {
		case C_QUOTE:
			*escaped = esc;
			return (const char *)u + 1;
		case C_BACKSLASH:
			esc = 1;
			if (!(u = (const unsigned char *)scan_escape(s, (const char *)u, p)))
				return NULL;
			break;
		case C_CONTROL:
			return json_scan_fail(s, JSON_SCAN_CONTROL, (const char *)u);
		default: {
			size_t n = utf8_sequence_length(u, (size_t)(end - u));
			if (!n) {
				if (!s->lax_utf8)
					return json_scan_fail(s, JSON_SCAN_BAD_UTF8, (const char *)u);
				if (!s->bad_utf8)
					s->bad_utf8 = (const char *)u;
				n = 1;
			}
			u += n;
		}
		}
	}
}

const char *json_scan_number(struct json_scan *s, const char *p)
{
	const char *end = s->end;

	if (*p == '-')
		p++;
	if (p == end || !is_digit(*p))
		return json_scan_fail(s, JSON_SCAN_DIGIT, p);
	if (*p == '0') {
		if (++p < end && is_digit(*p))
			return json_scan_fail(s, JSON_SCAN_LEADING_ZERO, p - 1);
	} else {
		while (p < end && is_digit(*p))
			p++;
	}
	if (p < end && *p == '.') {
		if (++p == end || !is_digit(*p))
			return json_scan_fail(s, JSON_SCAN_FRACTION, p);
		while (p < end && is_digit(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		if (++p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || !is_digit(*p))
			return json_scan_fail(s, JSON_SCAN_EXPONENT, p);
		while (p < end && is_digit(*p))
			p++;
	}
	return p;
}

const char *json_scan_literal(struct json_scan *s, const char *p)
{
	static const struct slice lits[] = { { "true", 4 }, { "false", 5 }, { "null", 4 } };
	for (size_t i = 0; i < 3; i++) {
		size_t n = lits[i].len;
		if ((size_t)(s->end - p) >= n && memcmp(p, lits[i].ptr, n) == 0)
			return p + n;
	}
	return json_scan_fail(s, JSON_SCAN_LITERAL, p);
}

const char *json_scan_value(struct json_scan *s, const char *p, int depth)
{
	const char *key_end;
	int esc, more;

	if (p == s->end)
		return json_scan_fail(s, JSON_SCAN_VALUE, p);
	switch (*p) {
	case '"':
		return json_scan_string(s, p, &esc);
	case 't': case 'f': case 'n':
		return json_scan_literal(s, p);
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return json_scan_number(s, p);
	case '{': case '[':
		break;
	default:
		return json_scan_fail(s, JSON_SCAN_VALUE, p);
	}
	char close = *p == '{' ? '}' : ']';
	if (!(p = json_scan_open(s, p, &depth)))
		return NULL;
	if (p < s->end && *p == close)
		return p + 1;
	do {
		if (close == '}' && !(p = json_scan_key(s, p, &key_end, &esc)))
			return NULL;
		if (!(p = json_scan_value(s, p, depth)) || !(p = json_scan_next(s, p, close, &more)))
			return NULL;
	} while (more);
	return p;
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

size_t json_decode_string(const char *p, const char *e, char *dst)
{
	char *d = dst;
	while (p < e) {
		const char *bs = memchr(p, '\\', (size_t)(e - p));
		if (!bs)
			bs = e;
		memcpy(d, p, (size_t)(bs - p));
		d += bs - p;
		if ((p = bs) == e)
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
				cp = 0x10000 + ((cp - 0xD800) << 10) + ((unsigned long)hex4(p + 6) - 0xDC00);
				p += 6;
			}
			d = put_utf8(d, cp);
			p += 6;
			continue;
		}
		default: *d++ = p[1]; break; /* '"', '\\' or '/' */
		}
		p += 2;
	}
	return (size_t)(d - dst);
}

size_t json_copy_compact(const char *p, const char *e, char *dst)
{
	char *d = dst;
	while (p < e) {
		char c = *p++;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		*d++ = c;
		if (c != '"')
			continue;
		for (;;) {
			c = *p++;
			*d++ = c;
			if (c == '\\')
				*d++ = *p++;
			else if (c == '"')
				break;
		}
	}
	return (size_t)(d - dst);
}

/* Duplicate keys. */

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

/* Puts index I of LIST into the table, which has room for it. */
static void names_put(struct json_names *ns, struct slice name, uint32_t i)
{
	size_t mask = ns->cap - 1, h = hash_name(name) & mask;
	while (ns->slot[h])
		h = (h + 1) & mask;
	ns->slot[h] = i + 1;
}

/* Makes a table with room for N + 1 names and puts LIST[0..N) in it. */
static int names_grow(struct json_names *ns, struct record *rec, const struct field *list,
		      size_t n)
{
	if (n >= UINT32_MAX / 4)
		return -1;
	size_t local = sizeof(ns->local) / sizeof(ns->local[0]);
	size_t cap = ns->slot ? ns->cap * 2 : local;
	while ((n + 1) * 2 > cap)
		cap *= 2;
	uint32_t *slot = cap <= local ? ns->local : arena_alloc(&rec->arena, cap * sizeof(*slot));
	if (!slot)
		return -1;
	memset(slot, 0, cap * sizeof(*slot));
	ns->slot = slot;
	ns->cap = cap;
	for (size_t i = 0; i < n; i++)
		names_put(ns, list[i].name, (uint32_t)i);
	return 0;
}

int json_names_add_slow(struct json_names *ns, struct record *rec, const struct field *list,
			size_t n, struct slice name)
{
	if (!ns->slot && n < JSON_NAMES_LINEAR) {
		for (size_t i = 0; i < n; i++)
			if (slice_eq(list[i].name, name))
				return 1;
		ns->few |= json_name_bit(name);
		return 0;
	}
	if ((n + 1) * 2 > ns->cap && names_grow(ns, rec, list, n) < 0)
		return -1;
	size_t mask = ns->cap - 1, h = hash_name(name) & mask;
	for (uint32_t i; (i = ns->slot[h]); h = (h + 1) & mask)
		if (slice_eq(list[i - 1].name, name))
			return 1;
	ns->slot[h] = (uint32_t)n + 1;
	return 0;
}
