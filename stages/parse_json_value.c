/*
 * The JSON reader's strict parser for one value in memory: RFC 8259
 * syntax, UTF-8, escapes and surrogates, a depth limit, and flattening of
 * record objects.  The number and string rules are those of the wire
 * reader (pipeline/wire_read.c); jansson is not used on this path because
 * it loses the text of numbers (1.50, -0, 30-digit integers) and cannot
 * say where an array's text lies in the input (see parse_json.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_json.h"
#include "utf8.h"

typedef const unsigned char *pos;

__attribute__((format(printf, 3, 4)))
static const char *fail(struct json_error *e, const void *at, const char *fmt, ...)
{
	va_list ap;
	e->at = at;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
	return NULL;
}

__attribute__((format(printf, 3, 4)))
static void soft(struct json_error *e, const void *at, const char *fmt, ...)
{
	va_list ap;
	if (e->soft_at)
		return;
	e->soft_at = at;
	va_start(ap, fmt);
	vsnprintf(e->soft_text, sizeof(e->soft_text), fmt, ap);
	va_end(ap);
}

static const char *nomem(struct json_error *e, const void *at)
{
	e->nomem = 1;
	return fail(e, at, "out of memory");
}

static const char *expected_value(struct json_error *e, const char *p, const char *end)
{
	if (p == end)
		return fail(e, p, "unexpected end of input: expected a value");
	return fail(e, p, "expected a value");
}

const char *json_skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		p++;
	return p;
}

const char *json_kind(int c)
{
	switch (c) {
	case '{': return "an object";
	case '[': return "an array";
	case '"': return "a string";
	case 't': case 'f': return "a boolean";
	case 'n': return "null";
	default: return "a number";
	}
}

static inline int is_digit(unsigned char c)
{
	return (unsigned)(c - '0') < 10u;
}

static long hex4(pos p) /* the four digits after "\u" at P */
{
	long v = 0;
	for (int i = 2; i < 6; i++) {
		unsigned char c = p[i];
		int h = is_digit(c) ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
		if (h < 0)
			return -1;
		v = v << 4 | h;
	}
	return v;
}

/* Checks the escape at P (a backslash); returns the position after it. */
static pos scan_escape(struct json_error *e, pos p, pos end)
{
	size_t left = (size_t)(end - p);
	if (left < 2)
		return (pos)fail(e, end, "unexpected end of input in a string");
	switch (p[1]) {
	case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
		return p + 2;
	case 'u':
		break;
	default:
		return (pos)fail(e, p, "invalid escape in string");
	}
	long cp = left >= 6 ? hex4(p) : -1;
	if (cp < 0)
		return (pos)fail(e, p, "invalid \\u escape in string");
	if (cp >= 0xDC00 && cp <= 0xDFFF)
		return (pos)fail(e, p, "lone surrogate \\u%04lx in string", cp);
	if (cp < 0xD800 || cp > 0xDBFF)
		return p + 6;
	long lo = left >= 12 && p[6] == '\\' && p[7] == 'u' ? hex4(p + 6) : -1;
	if (lo < 0xDC00 || lo > 0xDFFF)
		return (pos)fail(e, p, "lone surrogate \\u%04lx in string", cp);
	return p + 12;
}

/* Does one of the 8 bytes in V need a look: below 0x20, '"', '\\' or high? */
static inline int swar_special(uint64_t v)
{
	const uint64_t ones = 0x0101010101010101u, high = 0x8080808080808080u;
	uint64_t q = v ^ (ones * '"'), b = v ^ (ones * '\\');
	uint64_t t = ((q - ones) & ~q) | ((b - ones) & ~b) | (v - ones * 0x20) | v;
	return (t & high) != 0;
}

/*
 * Checks the string whose quote is at P; returns the position after the
 * closing quote, or NULL.  *ESCAPED tells whether it holds escapes.
 * Invalid UTF-8 is a soft error: the string's extent is still known.
 */
static pos scan_string(struct json_error *e, pos p, pos end, int *escaped)
{
	int esc = 0;
	for (p++;;) {
		while (end - p >= 8) {
			uint64_t v;
			memcpy(&v, p, 8);
			if (swar_special(v))
				break;
			p += 8;
		}
		while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' && *p != '\\')
			p++;
		if (p == end)
			return (pos)fail(e, end, "unexpected end of input in a string");
		if (*p == '"') {
			*escaped = esc;
			return p + 1;
		}
		if (*p == '\\') {
			esc = 1;
			if (!(p = scan_escape(e, p, end)))
				return NULL;
		} else if (*p < 0x20) {
			return (pos)fail(e, p, "unescaped control character in string");
		} else {
			size_t n = utf8_sequence_length(p, (size_t)(end - p));
			if (!n) {
				soft(e, p, "invalid UTF-8 in string");
				n = 1;
			}
			p += n;
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

size_t json_decode_string(const char *s, const char *e, char *dst)
{
	pos p = (pos)s, end = (pos)e;
	char *d = dst;
	while (p < end) {
		pos bs = memchr(p, '\\', (size_t)(end - p));
		if (!bs)
			bs = end;
		memcpy(d, p, (size_t)(bs - p));
		d += bs - p;
		if ((p = bs) == end)
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
		default: *d++ = (char)p[1]; break; /* '"', '\\' or '/' */
		}
		p += 2;
	}
	return (size_t)(d - dst);
}

static pos scan_number(struct json_error *e, pos p, pos end)
{
	if (*p == '-')
		p++;
	if (p == end || !is_digit(*p))
		return (pos)fail(e, p, "invalid number: expected a digit");
	if (*p == '0') {
		if (++p < end && is_digit(*p))
			return (pos)fail(e, p - 1, "invalid number: leading zero");
	} else {
		while (p < end && is_digit(*p))
			p++;
	}
	if (p < end && *p == '.') {
		if (++p == end || !is_digit(*p))
			return (pos)fail(e, p, "invalid number: expected a digit after '.'");
		while (p < end && is_digit(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		if (++p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || !is_digit(*p))
			return (pos)fail(e, p, "invalid number: expected a digit in the exponent");
		while (p < end && is_digit(*p))
			p++;
	}
	return p;
}

static pos scan_literal(struct json_error *e, pos p, pos end, struct slice *out)
{
	static const struct slice lits[] = { { "true", 4 }, { "false", 5 }, { "null", 4 } };
	for (size_t i = 0; i < 3; i++) {
		size_t n = lits[i].len;
		if ((size_t)(end - p) >= n && memcmp(p, lits[i].ptr, n) == 0) {
			if (out)
				*out = lits[i];
			return p + n;
		}
	}
	return (pos)fail(e, p, "invalid literal: expected true, false or null");
}

static const char *after_member(struct json_error *e, const char *p, const char *end, char close)
{
	if (p == end)
		return fail(e, p, "unexpected end of input: expected ',' or '%c'", close);
	return fail(e, p, "expected ',' or '%c'", close);
}

const char *json_skip_value(const char *p, const char *end, int depth, struct json_error *e)
{
	int esc;
	if (p == end)
		return expected_value(e, p, end);
	switch (*p) {
	case '"':
		return (const char *)scan_string(e, (pos)p, (pos)end, &esc);
	case 't': case 'f': case 'n':
		return (const char *)scan_literal(e, (pos)p, (pos)end, NULL);
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return (const char *)scan_number(e, (pos)p, (pos)end);
	case '{': case '[':
		break;
	default:
		return expected_value(e, p, end);
	}
	char close = *p == '{' ? '}' : ']';
	if (++depth > JSON_MAX_DEPTH)
		return fail(e, p, "nested deeper than %d levels", JSON_MAX_DEPTH);
	p = json_skip_ws(p + 1, end);
	if (p < end && *p == close)
		return p + 1;
	for (;;) {
		if (close == '}') {
			if (p == end || *p != '"')
				return fail(e, p, p == end ? "unexpected end of input: expected a key"
							   : "expected a string key");
			if (!(p = (const char *)scan_string(e, (pos)p, (pos)end, &esc)))
				return NULL;
			p = json_skip_ws(p, end);
			if (p == end || *p != ':')
				return fail(e, p, "expected ':' after the key");
			p = json_skip_ws(p + 1, end);
		}
		if (!(p = json_skip_value(p, end, depth, e)))
			return NULL;
		p = json_skip_ws(p, end);
		if (p < end && *p == ',') {
			p = json_skip_ws(p + 1, end);
			continue;
		}
		if (p < end && *p == close)
			return p + 1;
		return after_member(e, p, end, close);
	}
}

/* Copies the checked JSON text [P, E) into DST without the whitespace
 * between tokens; returns the length. */
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

/* The set of names in the record, for duplicate keys in linear time. */

static uint32_t hash_name(const char *s, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int names_grow(struct json_flattener *f)
{
	size_t cap = f->cap ? f->cap * 2 : 64;
	uint32_t *slot = calloc(cap, sizeof(*slot)), *stamp = calloc(cap, sizeof(*stamp));
	if (!slot || !stamp) {
		free(slot);
		free(stamp);
		return -1;
	}
	free(f->slot);
	free(f->stamp);
	f->slot = slot;
	f->stamp = stamp;
	f->cap = cap;
	f->gen = 1;
	for (size_t i = 0; i < f->rec->nfields; i++) {
		struct slice n = f->rec->fields[i].name;
		size_t h = hash_name(n.ptr, n.len) & (cap - 1);
		while (stamp[h] == f->gen)
			h = (h + 1) & (cap - 1);
		stamp[h] = f->gen;
		slot[h] = (uint32_t)i;
	}
	return 0;
}

/* Returns 1 when NAME is a field of the record already, else 0 having
 * noted that it will be field number nfields; -1 when memory runs out. */
static int names_add(struct json_flattener *f, const char *name, size_t len)
{
	if ((f->rec->nfields + 1) * 2 > f->cap && names_grow(f) < 0)
		return -1;
	size_t mask = f->cap - 1, h = hash_name(name, len) & mask;
	for (; f->stamp[h] == f->gen; h = (h + 1) & mask) {
		struct slice n = f->rec->fields[f->slot[h]].name;
		if (n.len == len && memcmp(n.ptr, name, len) == 0)
			return 1;
	}
	f->stamp[h] = f->gen;
	f->slot[h] = (uint32_t)f->rec->nfields;
	return 0;
}

static int name_room(struct json_flattener *f, size_t need)
{
	if (need <= f->name_cap)
		return 0;
	size_t cap = f->name_cap ? f->name_cap : 256;
	while (cap < need)
		cap *= 2;
	char *p = realloc(f->name, cap);
	if (!p)
		return -1;
	f->name = p;
	f->name_cap = cap;
	return 0;
}

/* Adds the field named f->name[0..len) unless a field has that name. */
static int add_field(struct json_flattener *f, size_t len, struct slice value,
		     const char *key_at, struct json_error *e)
{
	int seen = names_add(f, f->name, len);
	if (seen < 0)
		return -1;
	if (seen) {
		soft(e, key_at, "duplicate key \"%.*s\"", (int)(len < 60 ? len : 60), f->name);
		return 0;
	}
	struct slice name = len ? record_copy(f->rec, f->name, len) : (struct slice){ "", 0 };
	if (!name.ptr || record_append(f->rec, name, value) < 0)
		return -1;
	return 0;
}

/* Flattens the object at P, whose members' names start with the PLEN
 * bytes of f->name; DEPTH levels are around it. */
static const char *flat_object(struct json_flattener *f, const char *p, const char *end,
			       int depth, size_t plen, struct json_error *e)
{
	struct record *rec = f->rec;
	const char *q;
	int esc;

	if (++depth > JSON_MAX_DEPTH)
		return fail(e, p, "nested deeper than %d levels", JSON_MAX_DEPTH);
	p = json_skip_ws(p + 1, end);
	if (p < end && *p == '}') {
		/* An empty nested object stays as "{}" rather than vanish. */
		if (plen && add_field(f, plen - 1, SLICE_LIT("{}"), p, e) < 0)
			return nomem(e, p);
		return p + 1;
	}
	for (;;) {
		const char *key_at = p;
		if (p == end || *p != '"')
			return fail(e, p, p == end ? "unexpected end of input: expected a key"
						   : "expected a string key");
		if (!(q = (const char *)scan_string(e, (pos)p, (pos)end, &esc)))
			return NULL;
		size_t raw = (size_t)(q - p) - 2, len;
		if (name_room(f, plen + raw + 1) < 0)
			return nomem(e, p);
		if (esc) {
			len = plen + json_decode_string(p + 1, q - 1, f->name + plen);
		} else {
			memcpy(f->name + plen, p + 1, raw);
			len = plen + raw;
		}
		p = json_skip_ws(q, end);
		if (p == end || *p != ':')
			return fail(e, p, "expected ':' after the key");
		p = json_skip_ws(p + 1, end);
		if (p == end)
			return expected_value(e, p, end);

		struct slice v;
		switch (*p) {
		case '{':
			f->name[len] = '.';
			if (!(q = flat_object(f, p, end, depth, len + 1, e)))
				return NULL;
			goto next;
		case '"':
			if (!(q = (const char *)scan_string(e, (pos)p, (pos)end, &esc)))
				return NULL;
			if (!esc) {
				v = (struct slice){ p + 1, (size_t)(q - p) - 2 };
			} else {
				char *d = arena_alloc(&rec->arena, (size_t)(q - p));
				if (!d)
					return nomem(e, p);
				v = (struct slice){ d, json_decode_string(p + 1, q - 1, d) };
			}
			break;
		case '[': {
			if (!(q = json_skip_value(p, end, depth, e)))
				return NULL;
			char *d = arena_alloc(&rec->arena, (size_t)(q - p));
			if (!d)
				return nomem(e, p);
			v = (struct slice){ d, compact((pos)p, (pos)q, d) };
			break;
		}
		case 't': case 'f': case 'n':
			if (!(q = (const char *)scan_literal(e, (pos)p, (pos)end, &v)))
				return NULL;
			break;
		case '-': case '0': case '1': case '2': case '3': case '4':
		case '5': case '6': case '7': case '8': case '9':
			if (!(q = (const char *)scan_number(e, (pos)p, (pos)end)))
				return NULL;
			v = (struct slice){ p, (size_t)(q - p) };
			break;
		default:
			return expected_value(e, p, end);
		}
		if (add_field(f, len, v, key_at, e) < 0)
			return nomem(e, p);
next:
		p = json_skip_ws(q, end);
		if (p < end && *p == ',') {
			p = json_skip_ws(p + 1, end);
			continue;
		}
		if (p < end && *p == '}')
			return p + 1;
		return after_member(e, p, end, '}');
	}
}

const char *json_flatten(struct json_flattener *f, const char *p, const char *end,
			 struct json_error *e)
{
	if (++f->gen == 0) { /* after 2^32 records: forget the old stamps */
		if (f->stamp)
			memset(f->stamp, 0, f->cap * sizeof(*f->stamp));
		f->gen = 1;
	}
	return flat_object(f, p, end, 0, 0, e);
}

void json_flattener_release(struct json_flattener *f)
{
	free(f->name);
	free(f->slot);
	free(f->stamp);
	f->name = NULL;
	f->slot = f->stamp = NULL;
	f->name_cap = f->cap = 0;
}
