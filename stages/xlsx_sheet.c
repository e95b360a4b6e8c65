/*
 * The worksheet is read with libxml2's SAX2 push parser (xlsx_sax_run())
 * rather than the xmlTextReader: a sheet is mostly tiny elements
 * (<c r="C7" t="s"><v>12</v></c>), and the reader builds and frees a tree
 * node for each, which held it to about 20 MB/s of sheet XML here against
 * the 30 MB/s wanted; SAX2 reads the same sheet at about 40 MB/s.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "rows.h"
#include "xlsx_cell.h"
#include "xlsx_part.h"
#include "xlsx_sheet.h"

/* Excel's limits: columns A..XFD, rows 1..1048576 (checked loosely: a
 * larger row number is read, a larger column is refused). */
enum { MAX_COLUMNS = 16384 };

struct sheet {
	struct xlsx_sax sax;     /* first: the callbacks' context starts with it */
	struct parse_run *run;
	const struct xlsx_sheet_input *in;
	struct rows rows;
	/* element names, interned in the parser's dictionary */
	const xmlChar *n_row, *n_c, *n_v, *n_t, *n_rph, *n_dimension;
	size_t width;            /* columns of the used range, or 0 */
	unsigned long row, last_row;
	size_t col;              /* cells given so far in this row */
	size_t row_bytes;        /* bytes of its values */
	int in_row, in_cell, in_v, in_t, in_rph;
	char type;               /* the cell's t: n s b e d i(nlineStr) f (str) */
	unsigned long style;
	struct xlsx_text text;
	char out[XLSX_TEXT_MAX];
};

int xlsx_cell_ref(const char *ref, size_t *col, unsigned long *row)
{
	size_t c = 0, i = 0;
	unsigned long r = 0;

	for (; (ref[i] >= 'A' && ref[i] <= 'Z') || (ref[i] >= 'a' && ref[i] <= 'z'); i++) {
		c = c * 26 + (size_t)((ref[i] | 0x20) - 'a' + 1);
		if (c > MAX_COLUMNS)
			return -1;
	}
	size_t letters = i;
	for (; ref[i] >= '0' && ref[i] <= '9'; i++) {
		r = r * 10 + (unsigned long)(ref[i] - '0');
		if (r > 100000000UL)
			return -1;
	}
	if (ref[i] || (letters == 0 && i == 0))
		return -1;
	if (letters)
		*col = c - 1;
	if (i > letters) {
		if (r == 0)
			return -1;
		*row = r;
	}
	return 0;
}

static void stop(struct sheet *s, int st)
{
	xlsx_sax_stop(&s->sax, st);
}

static int bad(struct sheet *s, const char *what, const char *ref)
{
	return diag(ST_INPUT, "parse", "%s: %s%.40s", parse_where(s->run, s->row), what, ref ? ref : "");
}

/* Adds the value of column s->col to the row; the bytes are copied. */
static int add_value(struct sheet *s, const char *p, size_t n)
{
	struct slice v = n ? record_copy(&s->run->rec, p, n) : SLICE_LIT("");
	if (!v.ptr)
		return diag_nomem("parse");
	s->row_bytes += n;
	if (s->row_bytes > XLSX_MAX_ROW)
		return bad(s, "the row's values add up to more than 64 MiB", NULL);
	s->col++;
	return rows_field(&s->rows, s->row, v.ptr, v.len);
}

static int pad_to(struct sheet *s, size_t col)
{
	int st = ST_OK;
	while (st == ST_OK && s->col < col)
		st = add_value(s, "", 0);
	return st;
}

/* The attribute values of SAX2: (localname, prefix, URI, start, end). */
struct attr {
	const xmlChar *name;
	char value[48];   /* cut short: the attributes read here are short */
};

static void attr_at(const xmlChar **attrs, int i, struct attr *a)
{
	const xmlChar *v = attrs[5 * i + 3], *end = attrs[5 * i + 4];
	size_t n = (size_t)(end - v);
	if (n >= sizeof(a->value))
		n = sizeof(a->value) - 1;
	a->name = attrs[5 * i];
	memcpy(a->value, v, n);
	a->value[n] = '\0';
}

static int is_name(const xmlChar *name, char c)
{
	return name[0] == c && !name[1];
}

/* Reads the attributes of <c>: r, t and s. */
static int start_cell(struct sheet *s, int nattrs, const xmlChar **attrs)
{
	size_t col = s->col;
	unsigned long row = s->row;
	struct attr a;

	s->type = 'n';
	s->style = 0;
	for (int i = 0; i < nattrs; i++) {
		attr_at(attrs, i, &a);
		if (is_name(a.name, 'r')) {
			if (xlsx_cell_ref(a.value, &col, &row) < 0)
				return bad(s, "not a cell reference: ", a.value);
		} else if (is_name(a.name, 't')) {
			s->type = strcmp(a.value, "inlineStr") == 0 ? 'i' : strcmp(a.value, "str") == 0 ? 'f'
				  : a.value[0];
		} else if (is_name(a.name, 's')) {
			s->style = strtoul(a.value, NULL, 10);
		}
	}
	if (row != s->row)
		return bad(s, "a cell outside its row", NULL);
	if (col < s->col)
		return bad(s, "cells out of order", NULL);
	s->text.len = 0;
	s->in_cell = 1;
	return pad_to(s, col);
}

static int shared_string(struct sheet *s, struct slice *v)
{
	char num[32];
	size_t n = s->text.len < sizeof(num) - 1 ? s->text.len : sizeof(num) - 1;
	char *end;

	memcpy(num, s->text.p ? s->text.p : "", n);
	num[n] = '\0';
	unsigned long i = strtoul(num, &end, 10);
	if (n == 0 || *end || i >= s->in->strings->n) {
		char what[120];
		snprintf(what, sizeof(what), "a cell refers to shared string '%s', but the table has %zu: ",
			 num, s->in->strings->n);
		return bad(s, what, "the workbook is damaged");
	}
	*v = s->in->strings->s[i];
	return ST_OK;
}

/* The value of a number cell: a date when its style says so. */
static struct slice number_value(struct sheet *s)
{
	const char *t = s->text.p;
	size_t n = s->text.len, len = 0;
	enum xlsx_kind kind = xlsx_style_kind(s->in->styles, s->style);

	if (!n)
		return SLICE_LIT("");
	if (kind != XLSX_NUMBER)
		len = xlsx_date_text(t, n, s->in->date1904, kind, s->out);
	if (!len)
		len = xlsx_number_text(t, n, s->out);
	return len ? (struct slice){ s->out, len } : (struct slice){ t, n };
}

static int end_cell(struct sheet *s)
{
	struct slice v;
	char *t = s->text.p ? s->text.p : (char *)"";
	int st = ST_OK;

	s->in_cell = s->in_v = s->in_t = s->in_rph = 0;
	switch (s->type) {
	case 's':
		st = shared_string(s, &v);
		if (st != ST_OK)
			return st;
		break;
	case 'b':
		v = s->text.len == 1 && t[0] == '1' ? SLICE_LIT("TRUE")
		    : s->text.len == 1 && t[0] == '0' ? SLICE_LIT("FALSE") : (struct slice){ t, s->text.len };
		break;
	case 'i':
	case 'f':
		v = (struct slice){ t, s->text.len ? xlsx_unescape(t, s->text.len) : 0 };
		break;
	case 'n':
		v = number_value(s);
		break;
	default: /* e (an error), d (an ISO date as text), or unknown: as written */
		v = (struct slice){ t, s->text.len };
		break;
	}
	st = add_value(s, v.ptr, v.len);
	if (st == ST_OK && s->type == 'e')
		st = rows_flag_field(&s->rows, "xlsx.error_cell",
				     "the cell holds an Excel error value; its text is kept");
	return st;
}

static int start_row(struct sheet *s, int nattrs, const xmlChar **attrs)
{
	unsigned long row = s->last_row + 1;
	size_t col = 0;
	struct attr a;
	int st = ST_OK;

	for (int i = 0; i < nattrs; i++) {
		attr_at(attrs, i, &a);
		if (is_name(a.name, 'r') && xlsx_cell_ref(a.value, &col, &row) < 0)
			return bad(s, "not a row number: ", a.value);
	}
	if (row <= s->last_row) {
		s->row = row;
		return bad(s, "rows out of order", NULL);
	}
	/* Missing rows are blank lines, as in the CSV of the sheet. */
	for (unsigned long k = s->last_row + 1; st == ST_OK && k < row; k++)
		st = rows_end(&s->rows, k, 1);
	s->row = s->last_row = row;
	s->col = s->row_bytes = 0;
	s->in_row = 1;
	return st;
}

static int end_row(struct sheet *s)
{
	int st = ST_OK;

	s->in_row = 0;
	if (s->col > 0) {
		size_t width = s->width ? s->width : s->rows.header_pending ? 0 : s->rows.width;
		st = pad_to(s, width);
	}
	return st == ST_OK ? rows_end(&s->rows, s->row, 1) : st;
}

static void take_dimension(struct sheet *s, int nattrs, const xmlChar **attrs)
{
	struct attr a;
	size_t col = 0;
	unsigned long row = 0;

	for (int i = 0; i < nattrs; i++) {
		attr_at(attrs, i, &a);
		if (strcmp((const char *)a.name, "ref") != 0)
			continue;
		char *last = strrchr(a.value, ':');
		if (xlsx_cell_ref(last ? last + 1 : a.value, &col, &row) == 0)
			s->width = col + 1;
	}
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
		     int nns, const xmlChar **ns, int nattrs, int ndefaulted, const xmlChar **attrs)
{
	struct sheet *s = ctx;
	int st = ST_OK;

	(void)prefix, (void)uri, (void)nns, (void)ns, (void)ndefaulted;
	if (s->sax.st != ST_OK)
		return;
	if (name == s->n_c && s->in_row)
		st = start_cell(s, nattrs, attrs);
	else if (name == s->n_v && s->in_cell)
		s->in_v = 1;
	else if (name == s->n_t && s->in_cell && !s->in_rph)
		s->in_t = 1;
	else if (name == s->n_rph && s->in_cell)
		s->in_rph = 1;
	else if (name == s->n_row)
		st = start_row(s, nattrs, attrs);
	else if (name == s->n_dimension)
		take_dimension(s, nattrs, attrs);
	stop(s, st);
}

static void on_end(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
	struct sheet *s = ctx;

	(void)prefix, (void)uri;
	if (s->sax.st != ST_OK)
		return;
	if (name == s->n_v)
		s->in_v = 0;
	else if (name == s->n_t)
		s->in_t = 0;
	else if (name == s->n_rph)
		s->in_rph = 0;
	else if (name == s->n_c && s->in_cell)
		stop(s, end_cell(s));
	else if (name == s->n_row && s->in_row)
		stop(s, end_row(s));
}

static void on_text(void *ctx, const xmlChar *p, int len)
{
	struct sheet *s = ctx;

	if (s->sax.st != ST_OK || !(s->in_v || (s->in_t && !s->in_rph)))
		return;
	if (s->text.len + (size_t)len > XLSX_MAX_CELL)
		stop(s, bad(s, "a cell holds more than 1 MiB of text (Excel allows 32767 characters)", NULL));
	else if (xlsx_text_add(&s->text, (const char *)p, (size_t)len) < 0)
		stop(s, diag_nomem("parse"));
}

static int intern_names(void *ctx)
{
	struct sheet *s = ctx;
	s->n_row = xlsx_sax_name(&s->sax, "row");
	s->n_c = xlsx_sax_name(&s->sax, "c");
	s->n_v = xlsx_sax_name(&s->sax, "v");
	s->n_t = xlsx_sax_name(&s->sax, "t");
	s->n_rph = xlsx_sax_name(&s->sax, "rPh");
	s->n_dimension = xlsx_sax_name(&s->sax, "dimension");
	return s->n_row && s->n_c && s->n_v && s->n_t && s->n_rph && s->n_dimension ? ST_OK
											: diag_nomem("parse");
}

int xlsx_sheet_read(struct parse_run *run, struct xlsx_zip *z, const char *part,
		    const struct xlsx_sheet_input *in)
{
	struct sheet s = { .run = run, .in = in };
	xmlSAXHandler sax;
	int st;

	xlsx_sax_handler(&sax, on_start, on_end, on_text);
	if (rows_init(&s.rows, run) < 0)
		return diag_nomem("parse");
	st = xlsx_sax_run(&s.sax, &s, z, part, XLSX_MAX_SHEET, &sax, intern_names);
	if (st == ST_OK)
		rows_finish(&s.rows);
	record_clear(&run->rec);
	rows_release(&s.rows);
	free(s.text.p);
	return st;
}
