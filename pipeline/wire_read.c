/* A purpose-built strict JSON parser for one flat object per line, over the
 * tokens of json_scan.c: jansson's json_loadb costs ~3 µs a record and loses
 * the text of numbers such as 1.50. */

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "json_scan.h"
#include "wire.h"

typedef const char *pos;

/*
 * A NULL position means an error: either written already by fail(), or
 * the scanner's, left in sc and worded by wire_read_record() at the end.
 */
struct reader {
	pos base, end;
	char *copy; /* the line, copied into the record's arena */
	struct record *rec;
	struct json_scan sc;
	char *err;
	size_t errlen;
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
	r->sc.code = JSON_SCAN_OK;
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

/* Words the scanner's error the wire reader's way. */
static void *scan_failed(struct reader *r)
{
	const struct json_scan *s = &r->sc;
	pos at = s->at;
	char buf[64];

	switch (s->code) {
	case JSON_SCAN_UNTERMINATED:
		return fail(r, at, "unterminated string");
	case JSON_SCAN_BAD_ESCAPE:
		if (at[1] > 0x20 && at[1] < 0x7f)
			return fail(r, at, "invalid escape '\\%c' in string", at[1]);
		break;
	case JSON_SCAN_SHORT_U:
		return fail(r, at, "incomplete \\u escape in string");
	case JSON_SCAN_COLON:
		return fail(r, at, "expected ':' after object key");
	case JSON_SCAN_COMMA:
		if (at != r->end)
			return fail(r, at, "expected ',' or '%c' after value", s->close);
		break;
	default:
		break;
	}
	return fail(r, at, "%s", json_scan_message(s, "line", buf));
}

static inline int is_digit(unsigned char c)
{
	return (unsigned)(c - '0') < 10u;
}

/* take_string() for a string with escapes: decodes it into the arena. */
static __attribute__((noinline)) pos take_escaped(struct reader *r, pos p, pos q,
						  struct slice *out)
{
	char *d = arena_alloc(&r->rec->arena, (size_t)(q - p));
	if (!d)
		return fail_nomem(r, p);
	size_t n = json_decode_string(p + 1, q - 1, d);
	d[n] = '\0';
	*out = (struct slice){ d, n };
	return q;
}

/*
 * Makes *OUT the string [P, Q) (quotes included) that the scanner has
 * checked: see read_string().  This, read_string(), read_value() and
 * each_member() are forced inline (with json_scan_string()'s first words):
 * calls per string and per member were a third of the reader's
 * instructions, and inlining them took it from about 5,400 to 3,450 a
 * record (callgrind, 100,000 records of bench/data).
 */
static inline __attribute__((always_inline)) pos take_string(struct reader *r, pos p, pos q,
							     int esc, struct slice *out, int keep)
{
	if (esc)
		return take_escaped(r, p, q, out);
	size_t n = (size_t)(q - p) - 2;
	*out = keep ? from_copy(r, p + 1, n) : (struct slice){ p + 1, n };
	return q;
}

/*
 * Reads the string at P into *OUT.  With KEEP the bytes end up in the
 * record's arena; without it an unescaped string may point into the line.
 * Returns the position after the string, or NULL.
 */
static inline __attribute__((always_inline)) pos read_string(struct reader *r, pos p,
							     struct slice *out, int keep)
{
	int esc;
	pos q = json_scan_string(&r->sc, p, &esc);
	return q ? take_string(r, p, q, esc, out, keep) : NULL;
}

/*
 * Reads a field value at P inside a container at level DEPTH into *OUT:
 * strings decoded, other scalars as their text, objects and arrays as
 * compact JSON text.  Returns the position after it, or NULL.
 */
static inline __attribute__((always_inline)) pos read_value(struct reader *r, pos p, int depth,
							    struct slice *out)
{
	pos q;
	if (p == r->end)
		return json_scan_fail(&r->sc, JSON_SCAN_VALUE, p);
	switch (*p) {
	case '"':
		return read_string(r, p, out, 1);
	case '{': case '[': {
		if (!(q = json_scan_value(&r->sc, p, depth)))
			return NULL;
		char *d = arena_alloc(&r->rec->arena, (size_t)(q - p) + 1);
		if (!d)
			return fail_nomem(r, p);
		size_t n = json_copy_compact(p, q, d);
		d[n] = '\0';
		*out = (struct slice){ d, n };
		return q;
	}
	case 't': case 'f': case 'n':
		q = json_scan_literal(&r->sc, p);
		break;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		q = json_scan_number(&r->sc, p);
		break;
	default:
		return json_scan_fail(&r->sc, JSON_SCAN_VALUE, p);
	}
	if (q)
		*out = from_copy(r, p, (size_t)(q - p));
	return q;
}

/*
 * Calls MEMBER for each member of the object at P (which the caller has
 * checked is '{'), one level below DEPTH, with the key (not yet copied),
 * the key's position and the position of the value; MEMBER returns the
 * position after the value.  Returns the position after the object.
 */
typedef pos member_fn(struct reader *r, struct slice key, pos key_at, pos value,
		      int depth, void *ctx);

static inline __attribute__((always_inline)) pos each_member(struct reader *r, pos p, int depth,
							   member_fn *member, void *ctx)
{
	struct json_scan *s = &r->sc;
	struct slice key;
	pos key_end = NULL;
	int esc, more;

	if (!(p = json_scan_open(s, p, &depth)))
		return NULL;
	if (p < r->end && *p == '}')
		return p + 1;
	do {
		pos key_at = p;
		if (!(p = json_scan_key(s, p, &key_end, &esc)) ||
		    !take_string(r, key_at, key_end, esc, &key, 0) ||
		    !(p = member(r, key, key_at, p, depth, ctx)) ||
		    !(p = json_scan_next(s, p, '}', &more)))
			return NULL;
	} while (more);
	return p;
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
		*key = from_copy(r, key->ptr, key->len);
}

/* _source: {"file": string, "sheet": string, "line": number, "record": number}. */

static pos read_count(struct reader *r, pos p, const char *what, unsigned long *out)
{
	pos q = is_digit(*p) ? json_scan_number(&r->sc, p) : NULL;
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
	else if (slice_eq(key, SLICE_LIT("sheet")))
		bit = 8;
	else
		return json_scan_value(&r->sc, p, depth);
	if (*seen & bit)
		return duplicate(r, key_at, key, " in _source");
	*seen |= bit;
	if (p == r->end)
		return json_scan_fail(&r->sc, JSON_SCAN_VALUE, p);
	switch (bit) {
	case 1:
		if (*p != '"')
			return fail(r, p, "_source file must be a string");
		return read_string(r, p, &src->file, 1);
	case 2:
		return read_count(r, p, "line", &src->line);
	case 8: /* a sheet that is not a string is skipped, as unknown members are */
		if (*p != '"')
			return json_scan_value(&r->sc, p, depth);
		return read_string(r, p, &src->sheet, 1);
	default:
		return read_count(r, p, "record", &src->record);
	}
}

/* _raw: an object like the record's own, values by the same rules. */

struct raw_ctx {
	struct json_names names;
};

static pos raw_member(struct reader *r, struct slice key, pos key_at, pos p,
		      int depth, void *ctx)
{
	struct raw_ctx *c = ctx;
	struct record *rec = r->rec;
	struct slice value;

	int seen = json_names_add(&c->names, rec, rec->raw, rec->nraw, key);
	if (seen > 0)
		return duplicate(r, key_at, key, " in _raw");
	if (seen < 0)
		return fail_nomem(r, key_at);
	keep_key(r, &key);
	if (!(p = read_value(r, p, depth, &value)))
		return NULL;
	if (record_set_raw(rec, key, value) < 0)
		return fail_nomem(r, key_at);
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
		return json_scan_value(&r->sc, p, depth);
	if (c->seen & 1u << i)
		return duplicate(r, key_at, key, " in issue");
	c->seen |= 1u << i;
	if (p == r->end)
		return json_scan_fail(&r->sc, JSON_SCAN_VALUE, p);
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
	int more;

	if (*p != '[')
		return fail(r, p, "_issues must be an array");
	if (!(p = json_scan_open(&r->sc, p, &depth)))
		return NULL;
	if (p < r->end && *p == ']')
		return p + 1;
	do {
		if (p == r->end)
			return json_scan_fail(&r->sc, JSON_SCAN_VALUE, p);
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
	} while ((p = json_scan_next(&r->sc, p, ']', &more)) && more);
	return p;
}

/* The record's own object. */

enum { SEEN_SOURCE = 1, SEEN_RAW = 2, SEEN_ISSUES = 4 };

struct top_ctx {
	struct json_names names;
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
				return json_scan_fail(&r->sc, JSON_SCAN_VALUE, p);
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
			json_names_init(&raw.names);
			return each_member(r, p, depth, raw_member, &raw);
		}
		if (bit == SEEN_ISSUES)
			return read_issues(r, p, depth);
	}

	int seen = json_names_add(&c->names, rec, rec->fields, rec->nfields, key);
	if (seen > 0)
		return duplicate(r, key_at, key, "");
	if (seen < 0)
		return fail_nomem(r, key_at);
	keep_key(r, &key);
	if (!(p = read_value(r, p, depth, &value)))
		return NULL;
	if (record_append(rec, key, value) < 0)
		return fail_nomem(r, key_at);
	return p;
}

int wire_read_record(struct record *rec, const char *line, size_t len,
		     char *err, size_t errlen)
{
	struct reader r = {
		.base = line, .end = line + len,
		.rec = rec, .sc = { .end = line + len }, .err = err, .errlen = errlen,
	};
	struct top_ctx c;

	record_clear(rec);
	if (err && errlen)
		err[0] = '\0';
	pos p = json_skip_ws(r.base, r.end);
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
	json_names_init(&c.names);
	c.seen = 0;
	p = each_member(&r, p, 0, top_member, &c);
	if (p && (p = json_skip_ws(p, r.end)) != r.end)
		p = fail(&r, p, "unexpected data after the record");
	if (!p && r.sc.code)
		scan_failed(&r);
	if (!p) {
		record_clear(rec);
		return -1;
	}
	return 0;
}
