/*
 * CSV and TSV output.  CSV quotes a value only when it holds the delimiter,
 * a quote or a line end (RFC 4180); TSV writes tab, newline, carriage
 * return and backslash as \t \n \r \\.  The header is the first record's
 * keys, plus _source, _raw and _issues as JSON text with --meta.
 */
#include <stdlib.h>
#include <string.h>

#include "emit.h"
#include "wire.h"

static const struct slice meta_names[] = {
	SLICE_LIT("_source"), SLICE_LIT("_raw"), SLICE_LIT("_issues"),
};
enum { NMETA = sizeof(meta_names) / sizeof(meta_names[0]) };

static int is_tsv(const struct emit_writer *w)
{
	return w->opt->format[0] == 't';
}

static void write_csv_value(struct outbuf *o, struct slice v, char delim)
{
	int quote = 0;
	for (size_t i = 0; i < v.len && !quote; i++) {
		char c = v.ptr[i];
		quote = c == delim || c == '"' || c == '\n' || c == '\r';
	}
	if (!quote) {
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

static void write_value(struct emit_writer *w, size_t col, struct slice v)
{
	/* A row that is one empty CSV value would be a blank line, which many
	 * readers skip: quote it. */
	if (!is_tsv(w) && col == 0 && v.len == 0 && w->header.n + (w->opt->meta ? NMETA : 0) <= 1) {
		outbuf_lit(w->out, "\"\"");
		return;
	}
	if (col)
		outbuf_putc(w->out, is_tsv(w) ? '\t' : w->opt->delimiter);
	if (is_tsv(w))
		write_tsv_value(w->out, v);
	else
		write_csv_value(w->out, v, w->opt->delimiter);
}

static void end_row(struct emit_writer *w)
{
	outbuf_putc(w->out, '\n');
}

/* Writes the meta columns as JSON text, rendered first into a scratch
 * buffer so that CSV quoting applies to them. */
static int write_meta(struct emit_writer *w, const struct record *rec, size_t col)
{
	struct outbuf *tmp = &w->scratch;
	if (!tmp->buf && outbuf_init(tmp, -1, "meta", "emit") < 0)
		return -2;
	for (int m = 0; m < NMETA; m++) {
		tmp->len = 0;
		if (m == 0)
			json_write_source(tmp, rec);
		else if (m == 1 && rec->nraw)
			json_write_fields(tmp, rec->raw, rec->nraw);
		else if (m == 2 && rec->nissues)
			json_write_issues(tmp, rec);
		if (tmp->failed)
			return -2;
		write_value(w, col + (size_t)m, (struct slice){ tmp->buf, tmp->len });
	}
	return 0;
}

static int take_header(struct emit_writer *w, const struct record *rec)
{
	struct emit_header *h = &w->header;
	size_t n = rec->nfields + (w->opt->meta ? NMETA : 0);
	int added;

	h->names = calloc(n ? n : 1, sizeof(*h->names));
	h->row = calloc(n ? n : 1, sizeof(*h->row));
	if (!h->names || !h->row)
		return -2;
	strmap_init(&h->index);
	h->n = rec->nfields;
	for (size_t i = 0; i < n; i++) {
		struct slice name = i < rec->nfields ? rec->fields[i].name : meta_names[i - rec->nfields];
		struct strmap_entry *e = strmap_add(&h->index, name, i, &added);
		if (!e)
			return -2;
		h->names[i] = e->key;
		write_value(w, i, e->key);
	}
	w->have_header = 1;
	end_row(w);
	return 0;
}

/* Whether REC's keys are the header's, in the header's order. */
static int in_header_order(const struct emit_header *h, const struct record *rec)
{
	if (rec->nfields != h->n)
		return 0;
	for (size_t i = 0; i < h->n; i++)
		if (!slice_eq(rec->fields[i].name, h->names[i]))
			return 0;
	return 1;
}

int emit_delimited(struct emit_writer *w, const struct record *rec)
{
	struct emit_header *h = &w->header;

	if (!w->have_header) {
		int r = take_header(w, rec);
		if (r < 0)
			return r;
	}
	if (in_header_order(h, rec)) {
		for (size_t i = 0; i < h->n; i++)
			write_value(w, i, rec->fields[i].value);
	} else {
		for (size_t i = 0; i < h->n; i++)
			h->row[i] = SLICE_LIT("");
		for (size_t i = 0; i < rec->nfields; i++) {
			struct strmap_entry *e = strmap_get(&h->index, rec->fields[i].name);
			if (!e || e->value >= h->n) {
				snprintf(w->why, sizeof(w->why), "column '%.*s' is not in the header",
					 (int)(rec->fields[i].name.len > 80 ? 80 : rec->fields[i].name.len),
					 rec->fields[i].name.ptr);
				return -1;
			}
			h->row[e->value] = rec->fields[i].value;
		}
		for (size_t i = 0; i < h->n; i++)
			write_value(w, i, h->row[i]);
	}
	if (w->opt->meta && write_meta(w, rec, h->n) < 0)
		return -2;
	end_row(w);
	return 0;
}

void emit_writer_release(struct emit_writer *w)
{
	struct emit_header *h = &w->header;
	w->scratch.len = 0;
	outbuf_release(&w->scratch);
	free(h->names);
	free(h->row);
	strmap_release(&h->index);
}
