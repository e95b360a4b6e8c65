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

/* The careful way to write V, used for the values copy_and_test() flags
 * and those too large for the output buffer; the separator is written.
 * Kept out of line, so that write_value() stays small. */
static __attribute__((noinline)) void write_value_slow(struct emit_writer *w, struct slice v)
{
	if (is_tsv(w))
		write_tsv_value(w->out, v);
	else
		write_csv_value(w->out, v, w->header.sep);
}

/*
 * Nonzero when W may hold a byte that needs more than a plain copy: for
 * CSV the delimiter, '"', '\n' or '\r' (the value is quoted); for TSV '\t',
 * '\n', '\r' or '\\' (they are escaped).  The test is "a byte below 0x0E"
 * (\t \n \r and a few other control characters, which then cost a second
 * look) and the header's two exact stop bytes: cheaper than four exact
 * tests, and rarely wrong on real data.
 */
static inline uint64_t stop_bytes(uint64_t w, uint64_t stop_a, uint64_t stop_b)
{
	return swar_has_below(w, 0x0E) | swar_has_zero(w ^ stop_a) | swar_has_zero(w ^ stop_b);
}

/*
 * Copies the N bytes at S to D and says (nonzero) whether one of them may
 * be a stop byte.  Testing and copying in one pass of whole words, into
 * the output buffer, replaces a scan and then a memcpy() call per value:
 * values are short (12 bytes on average in bench/data), so the call and
 * the second pass cost more than the bytes.  With the slow path out of
 * line and write_value() inlined, it took the writing of a row from about
 * 1,600 to 1,240 instructions (callgrind, emit -f csv of 100,000 records
 * of bench/data).  Words never reach past S + N: the last one overlaps
 * the one before it, and a value under 4 bytes goes a byte at a time into
 * a word of 'a's.
 */
static inline __attribute__((always_inline)) uint64_t
copy_and_test(char *d, const char *s, size_t n, uint64_t stop_a, uint64_t stop_b)
{
	uint64_t w, hit = 0;
	if (n >= 8) {
		for (size_t k = 0; k + 8 < n; k += 8) {
			w = swar_load(s + k);
			memcpy(d + k, &w, 8);
			hit |= stop_bytes(w, stop_a, stop_b);
		}
		w = swar_load(s + n - 8);
		memcpy(d + n - 8, &w, 8);
		return hit | stop_bytes(w, stop_a, stop_b);
	}
	if (n >= 4) {
		uint32_t lo, hi;
		memcpy(&lo, s, 4);
		memcpy(&hi, s + n - 4, 4);
		memcpy(d, &lo, 4);
		memcpy(d + n - 4, &hi, 4);
		return stop_bytes((uint64_t)hi << 32 | lo, stop_a, stop_b);
	}
	w = SWAR_ONES * 'a';
	for (size_t k = 0; k < n; k++) {
		d[k] = s[k];
		w = w << 8 | (unsigned char)s[k];
	}
	return stop_bytes(w, stop_a, stop_b);
}

/* Writes the value of column COL; TEXT: --excel protects it as text. */
static inline __attribute__((always_inline)) void write_value(struct emit_writer *w, size_t col,
							     struct slice v, int text)
{
	struct emit_header *h = &w->header;
	struct outbuf *o = w->out;

	/* A row that is one empty CSV value would be a blank line, which many
	 * readers skip: quote it. */
	if (h->lone && col == 0 && v.len == 0) {
		outbuf_lit(o, "\"\"");
		return;
	}
	if (w->opt->excel && excel_encode(&w->cell, v, text))
		v = (struct slice){ w->cell.buf, w->cell.len };
	size_t sep = col != 0;
	char *d = outbuf_room(o, sep + v.len);
	if (d) {
		uint64_t stop_a = h->stop_a, stop_b = h->stop_b;
		d[0] = h->sep; /* overwritten by the value in column 0 */
		if (!copy_and_test(d + sep, v.ptr, v.len, stop_a, stop_b)) {
			o->len += sep + v.len;
			return;
		}
		o->len += sep;
	} else if (sep) {
		outbuf_putc(o, h->sep);
	}
	write_value_slow(w, v);
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
	h->lone = !is_tsv(w) && all <= 1;
	h->sep = is_tsv(w) ? '\t' : w->opt->delimiter;
	h->stop_a = SWAR_ONES * (unsigned char)(is_tsv(w) ? '\\' : h->sep);
	h->stop_b = SWAR_ONES * (unsigned char)(is_tsv(w) ? '\\' : '"');
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
	for (size_t i = 0; i < n; i++)
		if (!slice_eq(row[i].name, h->names[i]))
			return 0;
	return 1;
}

/* Also notes whether the row is in header order, for delimited_write(),
 * which always follows on the same row: comparing the names once a record
 * instead of twice, and with slice_eq(), took them from about 980 to 340
 * instructions a record (callgrind, as above). */
static int delimited_check(struct emit_writer *w, const struct field *row, size_t n,
			   struct emit_reason *why)
{
	struct emit_header *h = &w->header;

	if (!w->have_header) {
		int r = set_header(w, row, n);
		if (r < 0)
			return r;
	}
	if ((h->in_order = in_header_order(h, row, n)))
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

	if (h->in_order) {
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
