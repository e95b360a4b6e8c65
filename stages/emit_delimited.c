/*
 * CSV and TSV output.  CSV quotes a value only when it holds the delimiter,
 * a quote or a line end (RFC 4180); TSV writes tab, newline, carriage
 * return and backslash as \t \n \r \\.  The header is the profile's
 * columns, or the first record's keys; --meta adds _source, _raw and
 * _issues as JSON text.  --excel adds a UTF-8 BOM, ends rows with CRLF
 * and writes cells by the rules in excel.h.
 */
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "excel.h"
#include "swar.h"
#include "wire.h"

enum { NMETA = EMIT_NMETA };

static int is_tsv(const struct emit_writer *w)
{
	return w->opt->format[0] == 't';
}

/* Whether V must be quoted: it holds DELIM, a quote or a line end. */
static int needs_quotes(struct slice v, char delim)
{
	const char *p = v.ptr, *end = v.ptr + v.len;
	while (end - p >= 8) {
		uint64_t w = swar_load(p);
		if (swar_has_byte(w, (unsigned char)delim) || swar_has_byte(w, '"') ||
		    swar_has_byte(w, '\n') || swar_has_byte(w, '\r'))
			break;
		p += 8;
	}
	for (; p < end; p++)
		if (*p == delim || *p == '"' || *p == '\n' || *p == '\r')
			return 1;
	return 0;
}

static void write_csv_value(struct outbuf *o, struct slice v, char delim)
{
	if (!needs_quotes(v, delim)) {
		outbuf_write(o, v.ptr, v.len);
		return;
	}
	outbuf_putc(o, '"');
	const char *p = v.ptr, *end = v.ptr + v.len;
	while (p < end) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		const char *stop = q ? q + 1 : end;
		outbuf_write(o, p, (size_t)(stop - p));
		if (q)
			outbuf_putc(o, '"');
		p = stop;
	}
	outbuf_putc(o, '"');
}

static void write_tsv_value(struct outbuf *o, struct slice v)
{
	const char *p = v.ptr, *end = v.ptr + v.len;
	while (p < end) {
		const char *run = p;
		while (p < end && *p != '\t' && *p != '\n' && *p != '\r' && *p != '\\')
			p++;
		outbuf_write(o, run, (size_t)(p - run));
		if (p == end)
			break;
		char esc[2] = { '\\', *p == '\t' ? 't' : *p == '\n' ? 'n' : *p == '\r' ? 'r' : '\\' };
		outbuf_write(o, esc, 2);
		p++;
	}
}

/* Writes the value of column COL; TEXT: --excel protects it as text. */
static void write_value(struct emit_writer *w, size_t col, struct slice v, int text)
{
	/* A row that is one empty CSV value would be a blank line, which many
	 * readers skip: quote it. */
	if (!is_tsv(w) && col == 0 && v.len == 0 && w->header.n + (w->opt->meta ? NMETA : 0) <= 1) {
		outbuf_lit(w->out, "\"\"");
		return;
	}
	if (col)
		outbuf_putc(w->out, is_tsv(w) ? '\t' : w->opt->delimiter);
	if (w->opt->excel && excel_encode(&w->cell, v, text))
		v = (struct slice){ w->cell.buf, w->cell.len };
	if (is_tsv(w))
		write_tsv_value(w->out, v);
	else
		write_csv_value(w->out, v, w->opt->delimiter);
}

static void end_row(struct emit_writer *w)
{
	if (w->opt->excel)
		outbuf_lit(w->out, "\r\n");
	else
		outbuf_putc(w->out, '\n');
}

/* Writes the meta columns as JSON text, rendered first into a scratch
 * buffer so that CSV quoting applies to them. */
static int write_meta(struct emit_writer *w, const struct record *rec, size_t col)
{
	for (int m = 0; m < NMETA; m++) {
		struct slice text = emit_meta_text(w, rec, m);
		if (!text.ptr)
			return -2;
		write_value(w, col + (size_t)m, text, 0);
	}
	return 0;
}

/* Sets the header to NAMES (N of them) and writes it. */
static int set_header(struct emit_writer *w, const struct field *names, size_t n)
{
	struct emit_header *h = &w->header;
	size_t all = n + (w->opt->meta ? NMETA : 0);
	int added;

	h->names = calloc(all ? all : 1, sizeof(*h->names));
	h->row = calloc(all ? all : 1, sizeof(*h->row));
	h->text = calloc(all ? all : 1, 1);
	if (!h->names || !h->row || !h->text)
		return -2;
	strmap_init(&h->index);
	h->n = n;
	for (size_t i = 0; i < all; i++) {
		struct slice name = i < n ? names[i].name : emit_meta_names[i - n];
		struct strmap_entry *e = strmap_add(&h->index, name, i, &added);
		if (!e)
			return -2;
		h->names[i] = e->key;
		if (i < n)
			h->text[i] = w->profile ? w->profile->cols[i].text || emit_is_identifier(w->profile->cols[i].field)
					       : emit_is_identifier(name);
		write_value(w, i, e->key, 0);
	}
	w->have_header = 1;
	end_row(w);
	return 0;
}

static int delimited_begin(struct emit_writer *w)
{
	if ((!w->scratch.buf && outbuf_init(&w->scratch, -1, "meta", "emit") < 0) ||
	    (!w->cell.buf && outbuf_init(&w->cell, -1, "cell", "emit") < 0))
		return -2;
	if (w->opt->excel)
		outbuf_lit(w->out, "\xEF\xBB\xBF");
	if (!w->profile)
		return 0;
	/* A profile fixes the header, so even an empty output has it. */
	struct field *names = calloc(w->profile->ncols, sizeof(*names));
	if (!names)
		return -2;
	for (size_t i = 0; i < w->profile->ncols; i++)
		names[i].name = w->profile->cols[i].name;
	int r = set_header(w, names, w->profile->ncols);
	free(names);
	return r;
}

/* Whether ROW's keys are the header's, in the header's order. */
static int in_header_order(const struct emit_header *h, const struct field *row, size_t n)
{
	if (n != h->n)
		return 0;
	for (size_t i = 0; i < h->n; i++) {
		struct slice a = row[i].name, b = h->names[i];
		if (a.len != b.len)
			return 0;
		/* Names are short: compare words inline, not by a memcmp call. */
		size_t k = 0;
		for (; k + 8 <= a.len; k += 8)
			if (swar_load(a.ptr + k) != swar_load(b.ptr + k))
				return 0;
		for (; k < a.len; k++)
			if (a.ptr[k] != b.ptr[k])
				return 0;
	}
	return 1;
}

static int delimited_check(struct emit_writer *w, const struct field *row, size_t n,
			   struct emit_reason *why)
{
	struct emit_header *h = &w->header;

	if (!w->have_header) {
		int r = set_header(w, row, n);
		if (r < 0)
			return r;
	}
	if (in_header_order(h, row, n))
		return 0;
	for (size_t i = 0; i < n; i++) {
		struct strmap_entry *e = strmap_get(&h->index, row[i].name);
		if (!e || e->value >= h->n) {
			why->code = "emit.not_in_header";
			why->field = row[i].name;
			snprintf(why->text, sizeof(why->text), "column '%.*s' is not in the header",
				 (int)(row[i].name.len > 80 ? 80 : row[i].name.len), row[i].name.ptr);
			return -1;
		}
	}
	return 0;
}

static int delimited_write(struct emit_writer *w, const struct record *rec,
			   const struct field *row, size_t n)
{
	struct emit_header *h = &w->header;

	if (in_header_order(h, row, n)) {
		for (size_t i = 0; i < h->n; i++)
			write_value(w, i, row[i].value, h->text[i]);
	} else {
		for (size_t i = 0; i < h->n; i++)
			h->row[i] = SLICE_LIT("");
		for (size_t i = 0; i < n; i++)
			h->row[strmap_get(&h->index, row[i].name)->value] = row[i].value;
		for (size_t i = 0; i < h->n; i++)
			write_value(w, i, h->row[i], h->text[i]);
	}
	if (w->opt->meta && write_meta(w, rec, h->n) < 0)
		return -2;
	end_row(w);
	return w->cell.failed ? -2 : 0;
}

const struct emit_format emit_csv = {
	.name = "csv",
	.begin = delimited_begin,
	.check = delimited_check,
	.write = delimited_write,
};

const struct emit_format emit_tsv = {
	.name = "tsv",
	.begin = delimited_begin,
	.check = delimited_check,
	.write = delimited_write,
};

int emit_is_identifier(struct slice name)
{
	return slice_eq(name, SLICE_LIT("a_number")) || slice_eq(name, SLICE_LIT("receipt_number")) ||
	       slice_eq(name, SLICE_LIT("uscis_online_account_number"));
}

void emit_writer_release(struct emit_writer *w)
{
	struct emit_header *h = &w->header;
	w->scratch.len = 0;
	outbuf_release(&w->scratch);
	w->cell.len = 0;
	outbuf_release(&w->cell);
	free(h->names);
	free(h->row);
	free(h->text);
	if (w->have_header)
		strmap_release(&h->index);
}
