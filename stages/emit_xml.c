/*
 * XML output, for parse's XML reader (stages/parse_xml.c) to read back:
 *
 *   <?xml version="1.0" encoding="UTF-8"?>
 *   <cases>                                  (--root)
 *     <case>                                 (--record)
 *       <case_id>M-1</case_id>               a field whose name is an XML name
 *       <_field name="Matter #">7</_field>   any other name, in an attribute
 *       <_source>{"file":...}</_source>      --meta: JSON text, as in CSV
 *     </case>
 *   </cases>
 *
 * Names are written as elements when they are plain ASCII XML names
 * ([A-Za-z_][A-Za-z0-9._-]*) not starting with "xml" or "_field"; every
 * other name (spaces, #, colons, non-ASCII letters, ...) goes in the name
 * attribute of a _field element, which parse turns back into the field.
 * Text escapes & < > as entities and CR as &#13; (a parser would turn a
 * raw CR into LF); attributes also escape " tab and LF.  XML 1.0 cannot
 * hold the other control characters, U+FFFE, U+FFFF or ill-formed UTF-8,
 * even as references, so a record with one is rejected (emit.xml_char)
 * rather than altered: with --rejects it goes whole to the rejects file.
 */
#include <stdio.h>
#include <string.h>

#include "emit.h"
#include "swar.h"
#include "utf8.h"
#include "wire.h"

/* Text bytes that go out as they are (1), or need an escape (0). */
static const unsigned char plain_text[256] = {
#define R16(v) v, v, v, v, v, v, v, v, v, v, v, v, v, v, v, v
	0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, /* tab and LF go as they are */
	R16(0),
	1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x26 & */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0, 1, /* 0x3c < 0x3e > */
	R16(1), R16(1), R16(1), R16(1),
	R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1), R16(1),
#undef R16
};

static inline uint64_t has_below(uint64_t w, unsigned char n)
{
	return (w - SWAR_ONES * n) & ~w & SWAR_HIGHS;
}

static void write_text(struct outbuf *o, struct slice v, int attr)
{
	const unsigned char *p = (const unsigned char *)v.ptr, *end = p + v.len;
	while (p < end) {
		const unsigned char *run = p;
		while (end - p >= 8) {
			uint64_t w = swar_load(p);
			if (has_below(w, 0x20) || swar_has_byte(w, '&') || swar_has_byte(w, '<') ||
			    swar_has_byte(w, '>') || swar_has_byte(w, '"'))
				break;
			p += 8;
		}
		while (p < end && plain_text[*p] && !(attr && (*p == '"' || *p == '\t' || *p == '\n')))
			p++;
		if (p > run)
			outbuf_write(o, run, (size_t)(p - run));
		if (p == end)
			break;
		switch (*p++) {
		case '&': outbuf_lit(o, "&amp;"); break;
		case '<': outbuf_lit(o, "&lt;"); break;
		case '>': outbuf_lit(o, "&gt;"); break;
		case '"': outbuf_lit(o, "&quot;"); break;
		case '\t': outbuf_lit(o, "&#9;"); break;
		case '\n': outbuf_lit(o, "&#10;"); break;
		case '\r': outbuf_lit(o, "&#13;"); break;
		/* Other bytes were refused by xml_check(). */
		}
	}
}

/* Returns the offset of the first byte XML 1.0 cannot hold, or -1. */
static long forbidden_at(struct slice v)
{
	const unsigned char *s = (const unsigned char *)v.ptr, *p = s, *end = s + v.len;
	while (p < end) {
		while (end - p >= 8 && !swar_has_below_or_high(swar_load(p), 0x20))
			p += 8;
		if (p == end)
			break;
		if (*p < 0x20) {
			if (*p != '\t' && *p != '\n' && *p != '\r')
				return p - s;
			p++;
		} else if (*p < 0x80) {
			p++;
		} else {
			size_t n = utf8_sequence_length(p, (size_t)(end - p));
			if (!n || (n == 3 && p[0] == 0xEF && p[1] == 0xBF && p[2] >= 0xBE))
				return p - s;
			p += n;
		}
	}
	return -1;
}

/* Whether NAME can be an element name that parse reads back as NAME. */
int emit_xml_name_ok(struct slice name)
{
	if (!name.len)
		return 0;
	for (size_t i = 0; i < name.len; i++) {
		unsigned char c = (unsigned char)name.ptr[i];
		int alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
		if (!alpha && (i == 0 || !((c >= '0' && c <= '9') || c == '.' || c == '-')))
			return 0;
	}
	if (name.len >= 3 && (name.ptr[0] | 0x20) == 'x' && (name.ptr[1] | 0x20) == 'm' &&
	    (name.ptr[2] | 0x20) == 'l')
		return 0;
	return !(name.len >= 6 && memcmp(name.ptr, "_field", 6) == 0);
}

static int xml_begin(struct emit_writer *w)
{
	outbuf_lit(w->out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<");
	outbuf_write(w->out, w->opt->root, strlen(w->opt->root));
	outbuf_lit(w->out, ">\n");
	return 0;
}

static int refuse(struct emit_reason *why, struct slice field, const char *what, long at)
{
	char name[61];
	size_t n = field.len < sizeof(name) - 1 ? field.len : sizeof(name) - 1;
	/* The message must not carry the control character itself. */
	for (size_t i = 0; i < n; i++)
		name[i] = (unsigned char)field.ptr[i] < 0x20 || field.ptr[i] == 0x7f ? '?' : field.ptr[i];
	name[n] = '\0';
	why->code = "emit.xml_char";
	why->field = field;
	snprintf(why->text, sizeof(why->text),
		 "%s of '%s' has a character XML 1.0 cannot hold (control character, "
		 "U+FFFE/U+FFFF or ill-formed UTF-8) at byte %ld", what, name, at + 1);
	return -1;
}

static int xml_check(struct emit_writer *w, const struct field *row, size_t n,
		     struct emit_reason *why)
{
	(void)w;
	for (size_t i = 0; i < n; i++) {
		long at = forbidden_at(row[i].value);
		if (at >= 0)
			return refuse(why, row[i].name, "the value", at);
		if ((at = forbidden_at(row[i].name)) >= 0)
			return refuse(why, row[i].name, "the name", at);
	}
	return 0;
}

static void write_element(struct outbuf *o, struct slice name, struct slice value)
{
	if (emit_xml_name_ok(name)) {
		outbuf_lit(o, "    <");
		outbuf_write(o, name.ptr, name.len);
		outbuf_putc(o, '>');
		write_text(o, value, 0);
		outbuf_lit(o, "</");
		outbuf_write(o, name.ptr, name.len);
		outbuf_lit(o, ">\n");
		return;
	}
	outbuf_lit(o, "    <_field name=\"");
	write_text(o, name, 1);
	outbuf_lit(o, "\">");
	write_text(o, value, 0);
	outbuf_lit(o, "</_field>\n");
}

static int write_meta(struct emit_writer *w, const struct record *rec)
{
	for (int m = 0; m < EMIT_NMETA; m++) {
		struct slice text = emit_meta_text(w, rec, m);
		if (!text.ptr)
			return -2;
		if (text.len)
			write_element(w->out, emit_meta_names[m], text);
	}
	return 0;
}

static int xml_write(struct emit_writer *w, const struct record *rec,
		     const struct field *row, size_t n)
{
	struct outbuf *o = w->out;
	size_t rlen = strlen(w->opt->record);

	outbuf_lit(o, "  <");
	outbuf_write(o, w->opt->record, rlen);
	if (n == 0 && !w->opt->meta) {
		outbuf_lit(o, "/>\n");
		return 0;
	}
	outbuf_lit(o, ">\n");
	for (size_t i = 0; i < n; i++)
		write_element(o, row[i].name, row[i].value);
	if (w->opt->meta && write_meta(w, rec) < 0)
		return -2;
	outbuf_lit(o, "  </");
	outbuf_write(o, w->opt->record, rlen);
	outbuf_lit(o, ">\n");
	return 0;
}

static void xml_end(struct emit_writer *w)
{
	outbuf_lit(w->out, "</");
	outbuf_write(w->out, w->opt->root, strlen(w->opt->root));
	outbuf_lit(w->out, ">\n");
}

const struct emit_format emit_xml = {
	.name = "xml",
	.begin = xml_begin,
	.check = xml_check,
	.write = xml_write,
	.end = xml_end,
};
