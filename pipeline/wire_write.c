#include <limits.h>
#include <stddef.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "swar.h"
#include "utf8.h"
#include "wire.h"

/* Bytes that go out unchanged inside a JSON string (1) or need work (0). */
static const unsigned char plain[256] = {
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
	R16(0), R16(0),                 /* 0x00-0x1f: control characters */
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x22 is '"' */
	R16(1), R16(1),
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x5c is '\' */
	R16(1), R16(1),
	R16(0), R16(0), R16(0), R16(0), /* 0x80-0xff: check UTF-8 */
	R16(0), R16(0), R16(0), R16(0),
#undef R16
};

/* Puts the escape of C, an ASCII byte a JSON string cannot carry as it
 * is, at D (room for 6 bytes); returns its end. */
static char *put_escape(char *d, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	char e;
	switch (c) {
	case '"':  e = '"'; break;
	case '\\': e = '\\'; break;
	case '\n': e = 'n'; break;
	case '\r': e = 'r'; break;
	case '\t': e = 't'; break;
	case '\b': e = 'b'; break;
	case '\f': e = 'f'; break;
	default:
		memcpy(d, "\\u00", 4);
		d[4] = hex[c >> 4];
		d[5] = hex[c & 15];
		return d + 6;
	}
	d[0] = '\\';
	d[1] = e;
	return d + 2;
}

#ifdef __SSE2__
/*
 * Whether one of the 16 bytes of V cannot go out as it is.  A signed
 * compare below 0x20 finds the control characters and, as negative
 * bytes, everything from 0x80 up, so three compares test 16 bytes where
 * the word tests took about 14 instructions for 8 (callgrind, 100k rows
 * of the bench chain: the writer, all included, 220.9M -> 178.3M
 * instructions).
 */
static inline unsigned work_mask16(__m128i v)
{
	__m128i bad = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x20)),
				   _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
						_mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
	return (unsigned)_mm_movemask_epi8(bad);
}

static inline int needs_work16(__m128i v)
{
	return work_mask16(v) != 0;
}

/* Whether word A or word B holds a byte that a JSON string cannot carry
 * as it is. */
static inline int needs_work2(uint64_t a, uint64_t b)
{
	return needs_work16(_mm_set_epi64x((long long)b, (long long)a));
}
#else
static inline int needs_work_word(uint64_t w)
{
	return swar_has_below_or_high(w, 0x20) || swar_has_byte(w, '"') || swar_has_byte(w, '\\');
}

static inline int needs_work2(uint64_t a, uint64_t b)
{
	return needs_work_word(a) || needs_work_word(b);
}
#endif

/* Whether a word holds a byte that a JSON string cannot carry as it is. */
static inline int needs_work(uint64_t w)
{
	return needs_work2(w, w);
}

/*
 * Copies the N bytes at SRC to DST (room for N) while checking that all go
 * out unchanged; returns 0, with DST[0..N) spoiled, when one does not.
 * Checking the words as they are copied reads each byte once where a
 * check and then a copy read it twice (callgrind, 100k rows of the bench
 * chain, with the cursor of write_members: the whole run 943.7M ->
 * 914.8M instructions).  Always inlined: with four callers GCC 12 kept
 * it out of line, which cost 24.7M instructions of the 100k-row run.
 */
__attribute__((always_inline)) static inline int copy_plain(char *dst, const unsigned char *src, size_t n)
{
#ifdef __SSE2__
	if (n >= 16) {
		for (size_t i = 0; i + 16 <= n; i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(src + i));
			if (needs_work16(v))
				return 0;
			_mm_storeu_si128((__m128i *)(dst + i), v);
		}
		/* The last block overlaps bytes already checked; that is harmless. */
		__m128i last = _mm_loadu_si128((const __m128i *)(src + n - 16));
		_mm_storeu_si128((__m128i *)(dst + n - 16), last);
		return !needs_work16(last);
	}
	if (n >= 8) {
		/* Two overlapping words, tested together. */
		uint64_t a = swar_load(src), b = swar_load(src + n - 8);
		memcpy(dst, &a, 8);
		memcpy(dst + n - 8, &b, 8);
		return !needs_work2(a, b);
	}
#else
	if (n >= 8) {
		for (size_t i = 0; i + 8 <= n; i += 8) {
			uint64_t w = swar_load(src + i);
			if (needs_work(w))
				return 0;
			memcpy(dst + i, &w, 8);
		}
		/* The last word overlaps bytes already checked; that is harmless. */
		uint64_t last = swar_load(src + n - 8);
		memcpy(dst + n - 8, &last, 8);
		return !needs_work(last);
	}
#endif
	if (n >= 4) {
		/* Two overlapping halves make one word to check. */
		uint32_t a, b;
		memcpy(&a, src, 4);
		memcpy(&b, src + n - 4, 4);
		memcpy(dst, &a, 4);
		memcpy(dst + n - 4, &b, 4);
		return !needs_work((uint64_t)a << 32 | b);
	}
	for (size_t i = 0; i < n; i++) {
		if (!plain[src[i]])
			return 0;
		dst[i] = (char)src[i];
	}
	return 1;
}

/* Puts the byte or UTF-8 sequence at *P, which needs work, at D as a JSON
 * string carries it, and moves *P past it; returns the end at D. */
static char *put_special(char *d, const unsigned char **p, const unsigned char *end)
{
	const unsigned char *s = *p;
	if (*s < 0x80) {
		*p = s + 1;
		return put_escape(d, *s);
	}
	size_t n = utf8_sequence_length(s, (size_t)(end - s));
	if (!n) {
		*p = s + 1;
		memcpy(d, UTF8_REPLACEMENT, 3);
		return d + 3;
	}
	*p = s + n;
	for (size_t i = 0; i < n; i++)
		d[i] = (char)s[i];
	return d + n;
}

/*
 * Puts the LEN bytes at P as a JSON string, escaped, at D, which has room
 * for 6 * LEN + 2 bytes (\u001f for each byte at most); returns its end.
 * Blocks of plain bytes are copied as they are tested, and the first byte
 * that needs work is found in its block at once; the last piece, under a
 * block, is tested at once too (callgrind, 100k rows of the bench chain:
 * the writer, all included, 131.0M -> 122.6M instructions with member
 * values that need escaping written here, then 115.6M -> 113.0M with the
 * last piece).
 */
static char *put_escaped(char *d, const unsigned char *p, size_t len)
{
	const unsigned char *end = len ? p + len : p; /* p may be NULL */

	*d++ = '"';
	while (p < end) {
		size_t rest = (size_t)(end - p);
#ifdef __SSE2__
		if (rest >= 16) {
			/* Stored before it is tested: the room allows 16 bytes. */
			__m128i v = _mm_loadu_si128((const __m128i *)p);
			_mm_storeu_si128((__m128i *)d, v);
			unsigned m = work_mask16(v);
			if (!m) {
				p += 16;
				d += 16;
				continue;
			}
			unsigned k = (unsigned)__builtin_ctz(m);
			p += k;
			d += k;
		}
#else
		if (rest >= 8) {
			uint64_t w = swar_load(p);
			memcpy(d, &w, 8);
			if (!needs_work(w)) {
				p += 8;
				d += 8;
				continue;
			}
			while (plain[*p])
				*d++ = (char)*p++;
		}
#endif
		else if (copy_plain(d, p, rest)) {
			/* The last piece, most often plain, tested at once. */
			d += rest;
			break;
		} else {
			while (plain[*p])
				*d++ = (char)*p++;
		}
		if (*p < 0x80)
			d = put_escape(d, *p++);
		else
			d = put_special(d, &p, end);
	}
	*d++ = '"';
	return d;
}

/* The general case of write_string: escapes, and checks UTF-8.  With room
 * for the most it can take, it is written in place. */
static void write_string_slow(struct outbuf *o, const unsigned char *p, size_t len)
{
	const unsigned char *end = len ? p + len : p; /* p may be NULL */

	if (len <= (o->cap - o->len) / 6 && o->cap - o->len - 6 * len >= 2) {
		o->len = (size_t)(put_escaped(o->buf + o->len, p, len) - o->buf);
		return;
	}
	outbuf_putc(o, '"');
	while (p < end) {
		const unsigned char *run = p;
		/* Skip whole words of plain bytes first. */
		while (end - p >= 8 && !needs_work(swar_load(p)))
			p += 8;
		while (p < end && plain[*p])
			p++;
		if (p > run)
			outbuf_write(o, run, (size_t)(p - run));
		if (p == end)
			break;
		char tmp[6];
		outbuf_write(o, tmp, (size_t)(put_special(tmp, &p, end) - tmp));
	}
	outbuf_putc(o, '"');
}

/* json_write_string, inline in this file's writers: most strings need no
 * escaping and fit the buffer, which takes one check and one copy. */
static inline void write_string(struct outbuf *o, struct slice s)
{
	const unsigned char *p = (const unsigned char *)s.ptr;

	if (s.len + 2 <= o->cap - o->len) {
		char *b = o->buf + o->len;
		if (copy_plain(b + 1, p, s.len)) {
			b[0] = '"';
			b[s.len + 1] = '"';
			o->len += s.len + 2;
			return;
		}
	}
	write_string_slow(o, p, s.len);
}

void json_write_string(struct outbuf *o, struct slice s)
{
	write_string(o, s);
}

/* Writes "NAME": from slot I of NAMES; 0 when the slot holds another name. */
static int write_kept_name(struct outbuf *o, const struct wire_names *names, size_t i,
			   struct slice name)
{
	if (i >= WIRE_NAMES_MAX || names->slot[i].name_len == 0)
		return 0;
	const char *kept = names->text + names->slot[i].off;
	if (!slice_eq((struct slice){ kept, names->slot[i].name_len }, name))
		return 0;
	outbuf_write(o, kept + name.len, names->slot[i].json_len);
	return 1;
}

/* Writes "NAME": and keeps it in slot I of NAMES when there is room. */
static void write_name_and_keep(struct outbuf *o, struct wire_names *names, size_t i,
				struct slice name)
{
	/* An escaped byte takes at most 6 bytes (\u001f); with this much room
	 * the text is written in one piece in the buffer, to be copied. */
	size_t most = 6 * name.len + 3, start = o->len;
	int keep = i < WIRE_NAMES_MAX && name.len > 0 && most <= o->cap - o->len &&
		   name.len + most <= (size_t)USHRT_MAX;

	write_string(o, name);
	outbuf_putc(o, ':');
	if (!keep || o->failed)
		return;
	size_t json_len = o->len - start;
	if (names->used + name.len + json_len > sizeof names->text)
		*names = (struct wire_names){ 0 }; /* full: start again */
	if (names->used + name.len + json_len > sizeof names->text)
		return;
	char *t = names->text + names->used;
	memcpy(t, name.ptr, name.len);
	memcpy(t + name.len, o->buf + start, json_len);
	names->slot[i].off = (unsigned short)names->used;
	names->slot[i].name_len = (unsigned short)name.len;
	names->slot[i].json_len = (unsigned short)json_len;
	names->used += name.len + json_len;
}

/* Writes "NAME": for the Ith member, kept in NAMES unless that is NULL. */
static void write_name(struct outbuf *o, struct wire_names *names, size_t i, struct slice name)
{
	if (!names) {
		write_string(o, name);
		outbuf_putc(o, ':');
	} else if (!write_kept_name(o, names, i, name)) {
		write_name_and_keep(o, names, i, name);
	}
}

/*
 * Puts "NAME": at P, which has room for it, when NAME, the N >= 1 bytes
 * at NAME, is the same as the N bytes at KEPT; returns its end, or NULL
 * (P spoiled) when they differ.  The record's name is compared and copied
 * in one pass, instead of a compare with the kept name and then a copy of
 * its kept JSON text (callgrind, 100k rows of the bench chain: the
 * writer, all included, 134.4M -> 131.0M instructions).
 */
static inline char *put_same_name(char *p, const char *kept, const char *name, size_t n)
{
	char *d = p + 1;

#ifdef __SSE2__
	if (n >= 16) {
		for (size_t i = 0; i + 16 <= n; i += 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(name + i));
			__m128i k = _mm_loadu_si128((const __m128i *)(kept + i));
			if (_mm_movemask_epi8(_mm_cmpeq_epi8(v, k)) != 0xffff)
				return NULL;
			_mm_storeu_si128((__m128i *)(d + i), v);
		}
		/* The last block overlaps bytes already compared. */
		__m128i v = _mm_loadu_si128((const __m128i *)(name + n - 16));
		__m128i k = _mm_loadu_si128((const __m128i *)(kept + n - 16));
		if (_mm_movemask_epi8(_mm_cmpeq_epi8(v, k)) != 0xffff)
			return NULL;
		_mm_storeu_si128((__m128i *)(d + n - 16), v);
	} else
#endif
	if (n >= 8) {
		uint64_t diff = 0, a, b;
		for (size_t i = 0; i + 8 <= n; i += 8) {
			a = swar_load(name + i);
			diff |= a ^ swar_load(kept + i);
			memcpy(d + i, &a, 8);
		}
		/* The last word overlaps bytes already compared. */
		b = swar_load(name + n - 8);
		if ((diff | (b ^ swar_load(kept + n - 8))) != 0)
			return NULL;
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4) {
		uint32_t a, b, x, y;
		memcpy(&a, name, 4);
		memcpy(&b, name + n - 4, 4);
		memcpy(&x, kept, 4);
		memcpy(&y, kept + n - 4, 4);
		if (((a ^ x) | (b ^ y)) != 0)
			return NULL;
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
	} else {
		for (size_t i = 0; i < n; i++) {
			if (name[i] != kept[i])
				return NULL;
			d[i] = name[i];
		}
	}
	p[0] = '"';
	memcpy(d + n, "\":", 2);
	return d + n + 2;
}

/* Puts V as a JSON string and a comma at P, which has room for V.len + 3
 * bytes before END, escaped when it must be; returns its end, or NULL (P
 * spoiled) when the escaped string might not fit. */
__attribute__((always_inline)) static inline char *put_value(char *p, char *end, struct slice v)
{
	if (copy_plain(p + 1, (const unsigned char *)v.ptr, v.len)) {
		p[0] = '"';
		p[v.len + 1] = '"';
		p[v.len + 2] = ',';
		return p + v.len + 3;
	}
	if (v.len > (size_t)(end - p) / 6 || (size_t)(end - p) - 6 * v.len < 3)
		return NULL;
	p = put_escaped(p, (const unsigned char *)v.ptr, v.len);
	*p = ',';
	return p + 1;
}

/*
 * Writes member I (F) and a comma at P when its name is the one kept in
 * slot I of NAMES and goes out as it is, and the member fits before END;
 * returns the end of what it wrote, or NULL (nothing counted) when the
 * member needs the general path.
 */
static inline char *put_kept_member(char *p, char *end, const struct wire_names *names, size_t i,
				    const struct field *f)
{
	struct slice name = f->name;
	uint32_t lens;

	/* A kept name's JSON text is 3 bytes longer only when it is the name
	 * itself between quotes, then a colon; both lengths are compared at
	 * once (little-endian; in the other order they never match, and every
	 * member takes the general path), and an empty slot never matches. */
	memcpy(&lens, (const char *)&names->slot[i] + offsetof(struct wire_names_slot, name_len),
	       sizeof lens);
	if (lens != name.len + ((name.len + 3) << 16) ||
	    (size_t)(end - p) < name.len + 3 + f->value.len + 3)
		return NULL;
	p = put_same_name(p, names->text + names->slot[i].off, name.ptr, name.len);
	return p ? put_value(p, end, f->value) : NULL;
}

/* put_kept_member without kept names, for a name that needs no escaping
 * (callgrind, 100k rows of the bench chain, with put_value shared by both:
 * the writer, all included, 122.6M -> 119.3M instructions). */
static inline char *put_plain_member(char *p, char *end, const struct field *f)
{
	struct slice name = f->name;

	if ((size_t)(end - p) < name.len + 3 + f->value.len + 3 ||
	    !copy_plain(p + 1, (const unsigned char *)name.ptr, name.len))
		return NULL;
	p[0] = '"';
	p[name.len + 1] = '"';
	p[name.len + 2] = ':';
	return put_value(p + name.len + 3, end, f->value);
}

/*
 * Writes the members of an object without its braces.  The common member
 * goes through put_kept_member (with NAMES) or put_plain_member and a
 * cursor kept in locals: a store through the buffer's char pointer may
 * alias o->len and o->cap, so writing through o made the compiler reload
 * both after every byte (measured with copy_plain, above).  Inlined into
 * both callers, so that each keeps one of the two (callgrind, 100k rows of
 * the bench chain: 1.0M fewer instructions than a shared copy).
 */
__attribute__((always_inline)) static inline void write_members(struct outbuf *o, const struct field *f, size_t n,
			  struct wire_names *names)
{
	char *p = o->buf + o->len, *end = o->buf + o->cap;
	size_t kept = n < WIRE_NAMES_MAX ? n : WIRE_NAMES_MAX;

	/* Each member is written with a comma after it, and the last comma
	 * taken back: no test for the first member in the loop (callgrind,
	 * 100k rows of the bench chain: the writer 117.6M -> 115.6M). */
	for (size_t i = 0; i < n; i++) {
		char *next = !names ? put_plain_member(p, end, &f[i])
			     : i < kept ? put_kept_member(p, end, names, i, &f[i]) : NULL;
		if (next) {
			p = next;
			continue;
		}
		o->len = (size_t)(p - o->buf);
		write_name(o, names, i, f[i].name);
		write_string(o, f[i].value);
		outbuf_putc(o, ',');
		p = o->buf + o->len;
		end = o->buf + o->cap;
	}
	o->len = (size_t)(p - o->buf);
	/* The last comma is the last byte in the buffer, unless a failed
	 * output dropped it with the rest. */
	if (n && o->len)
		o->len--;
}

void json_write_fields(struct outbuf *o, const struct field *f, size_t n)
{
	outbuf_putc(o, '{');
	write_members(o, f, n, NULL);
	outbuf_putc(o, '}');
}

void json_write_source(struct outbuf *o, const struct record *rec)
{
	const struct record_source *src = &rec->source;
	outbuf_lit(o, "{\"file\":");
	write_string(o, src->file);
	if (src->sheet.len) {
		outbuf_lit(o, ",\"sheet\":");
		write_string(o, src->sheet);
	}
	if (src->line) {
		outbuf_lit(o, ",\"line\":");
		outbuf_ulong(o, src->line);
	}
	outbuf_lit(o, ",\"record\":");
	outbuf_ulong(o, src->record);
	outbuf_putc(o, '}');
}

/* Writes an issue member whose name is a literal: MEMBER is its JSON text
 * up to the value, e.g. ,"code": (known plain, so it is not checked). */
static void write_lit_member(struct outbuf *o, const char *member, size_t len, struct slice value)
{
	outbuf_write(o, member, len);
	write_string(o, value);
}

#define LIT_MEMBER(o, member, value) write_lit_member((o), (member), sizeof(member) - 1, (value))

/* ,"severity":"NAME" for each severity (as severity_name() names them),
 * with its length: a table instead of a call, a strlen and a checked copy
 * per issue (callgrind, 100k rows of the bench chain: json_write_issues
 * 14.2M -> 10.9M instructions). */
#define SEVERITY_MEMBER(name) { ",\"severity\":\"" name "\"", sizeof(",\"severity\":\"" name "\"") - 1 }
static const struct {
	char text[24];
	size_t len;
} severity_members[] = {
	[SEV_INFO] = SEVERITY_MEMBER("info"),
	[SEV_WARNING] = SEVERITY_MEMBER("warning"),
	[SEV_ERROR] = SEVERITY_MEMBER("error"),
};
#undef SEVERITY_MEMBER

/* The general path of json_write_issues for one issue. */
static void write_issue(struct outbuf *o, const struct issue *is)
{
	LIT_MEMBER(o, "{\"field\":", is->field);
	LIT_MEMBER(o, ",\"code\":", is->code);
	LIT_MEMBER(o, ",\"severity\":", slice_of(severity_name(is->severity)));
	if (is->message.len)
		LIT_MEMBER(o, ",\"message\":", is->message);
	if (is->suggestion.len)
		LIT_MEMBER(o, ",\"suggestion\":", is->suggestion);
	if (is->related.len)
		LIT_MEMBER(o, ",\"related\":", is->related);
	outbuf_putc(o, '}');
}

/* The most the literal text of an issue takes (its names, quotes and
 * punctuation, and the severity member copied whole): 88 bytes. */
enum { ISSUE_LIT_MAX = 96 };

/*
 * Puts issue IS at P when it fits before END and none of its texts needs
 * escaping, through a cursor in locals as in write_members; returns the
 * end of what it wrote, or NULL for the general path (callgrind, 100k
 * rows of the bench chain: json_write_issues 35.9M -> 29.3M instructions).
 */
/* Puts the literal LIT (N bytes, up to the value's opening quote), then V
 * and its closing quote at P, which has room; returns the end, or NULL
 * when V needs escaping.  Inlined, with a literal that ends in the quote
 * (callgrind, 100k rows of the bench chain: json_write_issues 10.9M ->
 * 10.5M instructions). */
__attribute__((always_inline)) static inline char *put_lit_plain(char *p, const char *lit, size_t n,
								 struct slice v)
{
	memcpy(p, lit, n);
	p += n;
	if (!copy_plain(p, (const unsigned char *)v.ptr, v.len))
		return NULL;
	p[v.len] = '"';
	return p + v.len + 1;
}

#define PUT_LIT_PLAIN(p, lit, v) put_lit_plain((p), (lit), sizeof(lit) - 1, (v))

static char *put_issue(char *p, char *end, const struct issue *is)
{
	unsigned sev = (unsigned)is->severity < sizeof(severity_members) / sizeof(severity_members[0])
			       ? (unsigned)is->severity
			       : SEV_ERROR; /* as severity_name() */
	size_t need = ISSUE_LIT_MAX + is->field.len + is->code.len + is->message.len +
		      is->suggestion.len + is->related.len;

	if ((size_t)(end - p) < need ||
	    !(p = PUT_LIT_PLAIN(p, "{\"field\":\"", is->field)) ||
	    !(p = PUT_LIT_PLAIN(p, ",\"code\":\"", is->code)))
		return NULL;
	memcpy(p, severity_members[sev].text, sizeof severity_members[sev].text);
	p += severity_members[sev].len;
	if (is->message.len && !(p = PUT_LIT_PLAIN(p, ",\"message\":\"", is->message)))
		return NULL;
	if (is->suggestion.len && !(p = PUT_LIT_PLAIN(p, ",\"suggestion\":\"", is->suggestion)))
		return NULL;
	if (is->related.len && !(p = PUT_LIT_PLAIN(p, ",\"related\":\"", is->related)))
		return NULL;
	*p = '}';
	return p + 1;
}

void json_write_issues(struct outbuf *o, const struct record *rec)
{
	outbuf_putc(o, '[');
	for (size_t i = 0; i < rec->nissues; i++) {
		const struct issue *is = &rec->issues[i];
		if (i)
			outbuf_putc(o, ',');
		char *next = put_issue(o->buf + o->len, o->buf + o->cap, is);
		if (next)
			o->len = (size_t)(next - o->buf);
		else
			write_issue(o, is);
	}
	outbuf_putc(o, ']');
}

/* Writes the separator before member NAME of the record's object. */
static void begin_member(struct outbuf *o, int *first, const char *name, size_t len)
{
	if (!*first)
		outbuf_putc(o, ',');
	*first = 0;
	outbuf_write(o, name, len);
}

void wire_write_record(struct outbuf *o, const struct record *rec)
{
	wire_write_record_names(o, rec, NULL);
}

void wire_write_record_names(struct outbuf *o, const struct record *rec,
			     struct wire_names *names)
{
	int first = rec->nfields == 0;

	outbuf_putc(o, '{');
	write_members(o, rec->fields, rec->nfields, names);
	if (rec->source.file.len || rec->source.line || rec->source.record) {
		if (names) {
			begin_member(o, &first, "", 0);
			wire_write_source_member(o, rec, &names->source);
		} else {
			begin_member(o, &first, "\"_source\":", sizeof("\"_source\":") - 1);
			json_write_source(o, rec);
		}
	}
	if (rec->nraw) {
		begin_member(o, &first, "\"_raw\":", sizeof("\"_raw\":") - 1);
		json_write_fields(o, rec->raw, rec->nraw);
	}
	if (rec->nissues) {
		begin_member(o, &first, "\"_issues\":", sizeof("\"_issues\":") - 1);
		json_write_issues(o, rec);
	}
	outbuf_lit(o, "}\n");
}
