#include "wire.h"
#include "wire_source.h"

/*
 * Writing "_source" from what the record before wrote: the file name's
 * JSON text is copied from CACHE when the name is the same, and the line
 * and record numbers are stepped in their kept decimal text instead of
 * being converted (callgrind, 100k rows of the bench chain: the _source
 * members, all included, 22.4M -> 12.8M instructions).
 */

#define SOURCE_FILE "\"_source\":{\"file\":"
#define LINE_MEMBER ",\"line\":"
#define RECORD_MEMBER ",\"record\":"

/* The room the numbers after the file name take at most: each counter's
 * text is copied whole (24 bytes), then counted by its length. */
enum {
	NUMBERS_ROOM = sizeof(LINE_MEMBER) - 1 + sizeof(RECORD_MEMBER) - 1 +
		       2 * sizeof(((struct wire_counter *)0)->text) + 1
};

/* Sets counter C to V, converting it to decimal. */
static void set_counter(struct wire_counter *c, unsigned long v)
{
	char tmp[sizeof c->text], *p = tmp + sizeof tmp;

	c->value = v;
	do {
		*--p = (char)('0' + v % 10);
	} while (v /= 10);
	c->len = (unsigned char)(tmp + sizeof tmp - p);
	memcpy(c->text, p, c->len);
}

/* Carries one into the digits of counter C before D, its last digit. */
static void carry_counter(struct wire_counter *c, char *d)
{
	while (d > c->text) {
		if (*--d != '9') {
			++*d;
			return;
		}
		*d = '0';
	}
	/* All nines before: one digit more (20 digits at most fit). */
	memmove(c->text + 1, c->text, c->len);
	c->text[0] = '1';
	c->len++;
}

/* Puts V at P, which has room for the whole text of C, through counter C:
 * when V is a step of 1 to 9 up from the number before, it is added to
 * the kept text's last digit; returns the end of the digits. */
static inline char *put_counter(char *p, struct wire_counter *c, unsigned long v)
{
	unsigned long step = v - c->value; /* wraps when V is smaller */

	if (step - 1 < 9 && v > c->value && c->len) {
		char *d = c->text + c->len - 1;
		unsigned last = (unsigned)(*d - '0') + (unsigned)step;
		c->value = v;
		if (last < 10) {
			*d = (char)('0' + last);
		} else {
			*d = (char)('0' + last - 10);
			carry_counter(c, d);
		}
	} else if (step || !c->len) {
		set_counter(c, v);
	}
	memcpy(p, c->text, sizeof c->text);
	return p + c->len;
}

/* Copies the N bytes at SRC to DST in whole 16-byte blocks, reading and
 * writing up to 15 bytes more: no call to memcpy for the few bytes. */
static inline void copy_blocks(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i += 16)
		memcpy(dst + i, src + i, 16);
}

/* Writes "_source":{"file":"NAME" with room for the numbers after it, and
 * keeps its text in C; returns where the numbers go, or NULL (nothing
 * written) when that cannot be done in one piece. */
static char *write_file_and_keep(struct outbuf *o, struct slice file, struct wire_source_cache *c)
{
	/* An escaped byte takes at most 6 bytes (\u001f). */
	if (file.len > WIRE_SOURCE_TEXT ||
	    !outbuf_room(o, sizeof(SOURCE_FILE) - 1 + 6 * file.len + 2 + NUMBERS_ROOM))
		return NULL;
	size_t start = o->len;
	outbuf_lit(o, SOURCE_FILE);
	json_write_string(o, file);
	size_t json_len = o->len - start;
	c->json_len = 0;
	if (file.len + json_len <= WIRE_SOURCE_TEXT) {
		if (file.len)
			memcpy(c->text, file.ptr, file.len);
		memcpy(c->text + file.len, o->buf + start, json_len);
		c->file_len = (unsigned short)file.len;
		c->json_len = (unsigned short)json_len;
	}
	return o->buf + o->len;
}

/* The rest of wire_write_source_member's first part, kept out of its line
 * (fewer registers to save for the common record): returns where the
 * numbers go, or NULL when the whole member was written the plain way. */
__attribute__((noinline)) static char *write_file_slow(struct outbuf *o, const struct record *rec,
						       struct wire_source_cache *c)
{
	const struct record_source *src = &rec->source;
	char *p;

	/* Workbooks are rare: the sheet goes the plain way. */
	if (src->sheet.len == 0) {
		if (c->json_len && slice_eq(src->file, (struct slice){ c->text, c->file_len })) {
			p = outbuf_room(o, c->json_len + 15 + NUMBERS_ROOM);
			if (p) {
				copy_blocks(p, c->text + c->file_len, c->json_len);
				return p + c->json_len;
			}
		} else if ((p = write_file_and_keep(o, src->file, c))) {
			return p;
		}
	}
	outbuf_lit(o, "\"_source\":");
	json_write_source(o, rec);
	return NULL;
}

void wire_write_source_member(struct outbuf *o, const struct record *rec,
			      struct wire_source_cache *c)
{
	const struct record_source *src = &rec->source;
	char *p;

	if (src->sheet.len == 0 && c->json_len &&
	    (size_t)c->json_len + 15 + NUMBERS_ROOM <= o->cap - o->len &&
	    slice_eq(src->file, (struct slice){ c->text, c->file_len })) {
		p = o->buf + o->len;
		copy_blocks(p, c->text + c->file_len, c->json_len);
		p += c->json_len;
	} else if (!(p = write_file_slow(o, rec, c))) {
		return;
	}
	if (src->line) {
		memcpy(p, LINE_MEMBER, sizeof(LINE_MEMBER) - 1);
		p = put_counter(p + sizeof(LINE_MEMBER) - 1, &c->line, src->line);
	}
	memcpy(p, RECORD_MEMBER, sizeof(RECORD_MEMBER) - 1);
	p = put_counter(p + sizeof(RECORD_MEMBER) - 1, &c->record, src->record);
	*p++ = '}';
	o->len = (size_t)(p - o->buf);
}
