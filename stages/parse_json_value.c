/*
 * The JSON reader's strict parser for one value in memory: RFC 8259
 * syntax, UTF-8, escapes and surrogates, a depth limit, and flattening of
 * record objects.  The tokens are read by the scanner the wire reader
 * uses too (pipeline/json_scan.c); jansson is not used on this path because
 * it loses the text of numbers (1.50, -0, 30-digit integers) and cannot
 * say where an array's text lies in the input (see parse_json.c).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse_json.h"

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

/* Words the scanner's error into E; an unterminated string is reported
 * where the input ends. */
static void scan_failed(struct json_error *e, const struct json_scan *s)
{
	char buf[64];
	fail(e, s->code == JSON_SCAN_UNTERMINATED ? s->end : s->at, "%s",
	     json_scan_message(s, "input", buf));
}

/* Ill-formed UTF-8 in a string is a soft error: the scanner notes the
 * first and goes on. */
static void note_utf8(struct json_error *e, const struct json_scan *s)
{
	if (s->bad_utf8)
		soft(e, s->bad_utf8, "invalid UTF-8 in string");
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

const char *json_skip_value(const char *p, const char *end, int depth, struct json_error *e)
{
	struct json_scan s = { .end = end, .lax_utf8 = 1 };
	const char *q = json_scan_value(&s, p, depth);
	if (!q)
		scan_failed(e, &s);
	note_utf8(e, &s);
	return q;
}

/* One json_flatten(): the scanner, and the names of the record's fields
 * for finding duplicates. */
struct flat_run {
	struct json_flattener *f;
	struct json_scan s;
	struct json_names names;
	struct json_error *e;
};

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
static int add_field(struct flat_run *x, size_t len, struct slice value, const char *key_at)
{
	struct record *rec = x->f->rec;
	struct slice name = { x->f->name, len };
	int seen = json_names_add(&x->names, rec, rec->fields, rec->nfields, name);
	if (seen < 0)
		return -1;
	if (seen) {
		note_utf8(x->e, &x->s); /* met first, if at all */
		soft(x->e, key_at, "duplicate key \"%.*s\"", (int)(len < 60 ? len : 60), name.ptr);
		return 0;
	}
	name = len ? record_copy(rec, name.ptr, len) : (struct slice){ "", 0 };
	if (!name.ptr || record_append(rec, name, value) < 0)
		return -1;
	return 0;
}

/* Flattens the object at P, whose members' names start with the PLEN
 * bytes of f->name; DEPTH levels are around it. */
static const char *flat_object(struct flat_run *x, const char *p, int depth, size_t plen)
{
	struct json_flattener *f = x->f;
	struct json_scan *s = &x->s;
	const char *q, *key_end = NULL;
	int esc, more;

	if (!(p = json_scan_open(s, p, &depth)))
		return NULL;
	if (p < s->end && *p == '}') {
		/* An empty nested object stays as "{}" rather than vanish. */
		if (plen && add_field(x, plen - 1, SLICE_LIT("{}"), p) < 0)
			return nomem(x->e, p);
		return p + 1;
	}
	do {
		const char *key_at = p;
		if (!(p = json_scan_key(s, p, &key_end, &esc)))
			return NULL;
		size_t raw = (size_t)(key_end - key_at) - 2, len;
		if (name_room(f, plen + raw + 1) < 0)
			return nomem(x->e, key_at);
		if (esc) {
			len = plen + json_decode_string(key_at + 1, key_end - 1, f->name + plen);
		} else {
			memcpy(f->name + plen, key_at + 1, raw);
			len = plen + raw;
		}
		if (p == s->end)
			return json_scan_fail(s, JSON_SCAN_VALUE, p);

		struct slice v;
		char *d;
		switch (*p) {
		case '{':
			f->name[len] = '.';
			if (!(q = flat_object(x, p, depth, len + 1)))
				return NULL;
			continue;
		case '"':
			if (!(q = json_scan_string(s, p, &esc)))
				return NULL;
			if (!esc) {
				v = (struct slice){ p + 1, (size_t)(q - p) - 2 };
				break;
			}
			if (!(d = arena_alloc(&f->rec->arena, (size_t)(q - p))))
				return nomem(x->e, p);
			v = (struct slice){ d, json_decode_string(p + 1, q - 1, d) };
			break;
		case '[':
			if (!(q = json_scan_value(s, p, depth)))
				return NULL;
			if (!(d = arena_alloc(&f->rec->arena, (size_t)(q - p))))
				return nomem(x->e, p);
			v = (struct slice){ d, json_copy_compact(p, q, d) };
			break;
		case 't': case 'f': case 'n':
			if (!(q = json_scan_literal(s, p)))
				return NULL;
			v = (struct slice){ p, (size_t)(q - p) };
			break;
		case '-': case '0': case '1': case '2': case '3': case '4':
		case '5': case '6': case '7': case '8': case '9':
			if (!(q = json_scan_number(s, p)))
				return NULL;
			v = (struct slice){ p, (size_t)(q - p) };
			break;
		default:
			return json_scan_fail(s, JSON_SCAN_VALUE, p);
		}
		if (add_field(x, len, v, key_at) < 0)
			return nomem(x->e, p);
	} while ((p = json_scan_next(s, q, '}', &more)) && more);
	return p;
}

const char *json_flatten(struct json_flattener *f, const char *p, const char *end,
			 struct json_error *e)
{
	struct flat_run x = { .f = f, .s = { .end = end, .lax_utf8 = 1 }, .e = e };
	json_names_init(&x.names);
	const char *q = flat_object(&x, p, 0, 0);
	if (!q && x.s.code)
		scan_failed(e, &x.s);
	note_utf8(e, &x.s);
	return q;
}

void json_flattener_release(struct json_flattener *f)
{
	free(f->name);
	f->name = NULL;
	f->name_cap = 0;
}
