#include <limits.h>

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

static void write_escape(struct outbuf *o, unsigned char c)
{
	static const char hex[] = "0123456789abcdef";
	switch (c) {
	case '"':  outbuf_lit(o, "\\\""); return;
	case '\\': outbuf_lit(o, "\\\\"); return;
	case '\n': outbuf_lit(o, "\\n"); return;
	case '\r': outbuf_lit(o, "\\r"); return;
	case '\t': outbuf_lit(o, "\\t"); return;
	case '\b': outbuf_lit(o, "\\b"); return;
	case '\f': outbuf_lit(o, "\\f"); return;
	}
	char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
	outbuf_write(o, u, sizeof(u));
}

/* Whether a word holds a byte that a JSON string cannot carry as it is. */
static inline int needs_work(uint64_t w)
{
	return swar_has_below_or_high(w, 0x20) || swar_has_byte(w, '"') || swar_has_byte(w, '\\');
}

/* Whether all N bytes at P go out unchanged. */
static int all_plain(const unsigned char *p, size_t n)
{
	if (n < 8) {
		if (n >= 4) {
			/* Two overlapping halves make one word to check. */
			uint32_t a, b;
			memcpy(&a, p, 4);
			memcpy(&b, p + n - 4, 4);
			return !needs_work((uint64_t)a << 32 | b);
		}
		for (size_t i = 0; i < n; i++)
			if (!plain[p[i]])
				return 0;
		return 1;
	}
	for (size_t i = 0; i + 8 <= n; i += 8)
		if (needs_work(swar_load(p + i)))
			return 0;
	/* The last word overlaps bytes already checked; that is harmless. */
	return !needs_work(swar_load(p + n - 8));
}

/* Copies N <= 16 bytes with at most two overlapping loads and stores, which
 * beats a call to memcpy for the short values of a case record. */
static inline void copy_short(char *dst, const unsigned char *src, size_t n)
{
	if (n >= 8) {
		uint64_t a = swar_load(src), b = swar_load(src + n - 8);
		memcpy(dst, &a, 8);
		memcpy(dst + n - 8, &b, 8);
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, src, 4);
		memcpy(&b, src + n - 4, 4);
		memcpy(dst, &a, 4);
		memcpy(dst + n - 4, &b, 4);
	} else {
		for (size_t i = 0; i < n; i++)
			dst[i] = (char)src[i];
	}
}

/* The general case of write_string: escapes, and checks UTF-8. */
static void write_string_slow(struct outbuf *o, const unsigned char *p, size_t len)
{
	const unsigned char *end = len ? p + len : p; /* p may be NULL */

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
		if (*p < 0x80) {
			write_escape(o, *p++);
			continue;
		}
		size_t n = utf8_sequence_length(p, (size_t)(end - p));
		if (n) {
			outbuf_write(o, p, n);
			p += n;
		} else {
			outbuf_lit(o, UTF8_REPLACEMENT);
			p++;
		}
	}
	outbuf_putc(o, '"');
}

/* json_write_string, inline in this file's writers: most strings need no
 * escaping and fit the buffer, which takes one check and one copy. */
static inline void write_string(struct outbuf *o, struct slice s)
{
	const unsigned char *p = (const unsigned char *)s.ptr;

	if (s.len + 2 <= o->cap - o->len && all_plain(p, s.len)) {
		char *b = o->buf + o->len;
		b[0] = '"';
		if (s.len <= 16)
			copy_short(b + 1, p, s.len);
		else
			memcpy(b + 1, p, s.len);
		b[s.len + 1] = '"';
		o->len += s.len + 2;
		return;
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

/* Writes the members of an object without its braces. */
static void write_members(struct outbuf *o, const struct field *f, size_t n,
			  struct wire_names *names)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			outbuf_putc(o, ',');
		write_name(o, names, i, f[i].name);
		write_string(o, f[i].value);
	}
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

void json_write_issues(struct outbuf *o, const struct record *rec)
{
	outbuf_putc(o, '[');
	for (size_t i = 0; i < rec->nissues; i++) {
		const struct issue *is = &rec->issues[i];
		if (i)
			outbuf_putc(o, ',');
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
		begin_member(o, &first, "\"_source\":", sizeof("\"_source\":") - 1);
		json_write_source(o, rec);
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
