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

void json_write_string(struct outbuf *o, struct slice s)
{
	const unsigned char *p = (const unsigned char *)s.ptr;
	const unsigned char *end = s.len ? p + s.len : p; /* s.ptr may be NULL */

	/* Most strings need no escaping: one check, one copy. */
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

static void write_member(struct outbuf *o, const char *name, size_t len, struct slice value)
{
	json_write_string(o, (struct slice){ name, len });
	outbuf_putc(o, ':');
	json_write_string(o, value);
}

/* Writes the members of an object without its braces. */
static void write_members(struct outbuf *o, const struct field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			outbuf_putc(o, ',');
		write_member(o, f[i].name.ptr, f[i].name.len, f[i].value);
	}
}

void json_write_fields(struct outbuf *o, const struct field *f, size_t n)
{
	outbuf_putc(o, '{');
	write_members(o, f, n);
	outbuf_putc(o, '}');
}

void json_write_source(struct outbuf *o, const struct record *rec)
{
	const struct record_source *src = &rec->source;
	outbuf_lit(o, "{\"file\":");
	json_write_string(o, src->file);
	if (src->line) {
		outbuf_lit(o, ",\"line\":");
		outbuf_ulong(o, src->line);
	}
	outbuf_lit(o, ",\"record\":");
	outbuf_ulong(o, src->record);
	outbuf_putc(o, '}');
}

static void write_optional(struct outbuf *o, const char *name, size_t len, struct slice value)
{
	if (!value.len)
		return;
	outbuf_putc(o, ',');
	write_member(o, name, len, value);
}

void json_write_issues(struct outbuf *o, const struct record *rec)
{
	outbuf_putc(o, '[');
	for (size_t i = 0; i < rec->nissues; i++) {
		const struct issue *is = &rec->issues[i];
		if (i)
			outbuf_putc(o, ',');
		outbuf_putc(o, '{');
		write_member(o, "field", 5, is->field);
		outbuf_putc(o, ',');
		write_member(o, "code", 4, is->code);
		outbuf_putc(o, ',');
		write_member(o, "severity", 8, slice_of(severity_name(is->severity)));
		write_optional(o, "message", 7, is->message);
		write_optional(o, "suggestion", 10, is->suggestion);
		write_optional(o, "related", 7, is->related);
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
	int first = rec->nfields == 0;

	outbuf_putc(o, '{');
	write_members(o, rec->fields, rec->nfields);
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
