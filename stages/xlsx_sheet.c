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
	struct parse_run *run;
	const struct xlsx_sheet_input *in;
	struct rows rows;
	struct xlsx_part p;
	/* element names, interned in the reader's dictionary */
	const xmlChar *n_row, *n_c, *n_v, *n_t, *n_is, *n_rph, *n_dimension;
	size_t width;            /* columns of the used range, or 0 */
	unsigned long row, last_row;
	size_t col;              /* cells given so far in this row */
	int in_row, in_cell, in_v, in_t, in_rph;
	char type;               /* the cell's t: n s b e d i(nlineStr) f (str) */
	unsigned long style;
	size_t cell_col;
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

/* Reads the attributes of <c>: r, t and s. */
static int start_cell(struct sheet *s)
{
	xmlTextReaderPtr x = s->p.reader;
	size_t col = s->col;
	unsigned long row = s->row;

	s->type = 'n';
	s->style = 0;
	while (xmlTextReaderMoveToNextAttribute(x) == 1) {
		const char *name = (const char *)xmlTextReaderConstLocalName(x);
		const char *v = (const char *)xmlTextReaderConstValue(x);
		if (!name || !v)
			return diag_nomem("parse");
		if (name[0] == 'r' && !name[1]) {
			if (xlsx_cell_ref(v, &col, &row) < 0)
				return bad(s, "not a cell reference: ", v);
		} else if (name[0] == 't' && !name[1]) {
			s->type = strcmp(v, "inlineStr") == 0 ? 'i' : strcmp(v, "str") == 0 ? 'f' : v[0];
		} else if (name[0] == 's' && !name[1]) {
			s->style = strtoul(v, NULL, 10);
		}
	}
	xmlTextReaderMoveToElement(x);
	if (row != s->row)
		return bad(s, "a cell outside its row: ", NULL);
	if (col < s->col)
		return bad(s, "cells out of order: column ", "before one already read");
	s->cell_col = col;
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
	const char *t = s->text.p ? s->text.p : "";
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
		v = (struct slice){ t, xlsx_unescape(s->text.p ? s->text.p : (char *)"", s->text.len) };
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

static int start_row(struct sheet *s)
{
	char *r = xlsx_part_attr(&s->p, "r");
	unsigned long row = s->last_row + 1;
	size_t col = 0;
	int st = ST_OK;

	if (r && xlsx_cell_ref(r, &col, &row) < 0)
		st = bad(s, "not a row number: ", r);
	xmlFree(r);
	if (st != ST_OK)
		return st;
	if (row <= s->last_row) {
		s->row = row;
		return bad(s, "rows out of order", NULL);
	}
	/* Missing rows are blank lines, as in the CSV of the sheet. */
	for (unsigned long k = s->last_row + 1; st == ST_OK && k < row; k++)
		st = rows_end(&s->rows, k, 1);
	s->row = s->last_row = row;
	s->col = 0;
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

static void take_dimension(struct sheet *s)
{
	char *ref = xlsx_part_attr(&s->p, "ref");
	char *last = ref ? strrchr(ref, ':') : NULL;
	size_t col = 0;
	unsigned long row = 0;

	if (ref && xlsx_cell_ref(last ? last + 1 : ref, &col, &row) == 0)
		s->width = col + 1;
	xmlFree(ref);
}

static int on_element(struct sheet *s, const xmlChar *name)
{
	int empty = xmlTextReaderIsEmptyElement(s->p.reader), st = ST_OK;

	if (name == s->n_c && s->in_row) {
		st = start_cell(s);
		if (st == ST_OK && empty)
			st = end_cell(s);
	} else if (name == s->n_v && s->in_cell) {
		s->in_v = !empty;
	} else if (name == s->n_t && s->in_cell && !s->in_rph) {
		s->in_t = !empty;
	} else if (name == s->n_rph && s->in_cell) {
		s->in_rph = !empty;
	} else if (name == s->n_row) {
		st = start_row(s);
		if (st == ST_OK && empty)
			st = end_row(s);
	} else if (name == s->n_dimension) {
		take_dimension(s);
	}
	return st;
}

static int on_node(struct sheet *s)
{
	xmlTextReaderPtr x = s->p.reader;

	switch (xmlTextReaderNodeType(x)) {
	case XML_READER_TYPE_ELEMENT:
		return on_element(s, xmlTextReaderConstLocalName(x));
	case XML_READER_TYPE_END_ELEMENT: {
		const xmlChar *name = xmlTextReaderConstLocalName(x);
		if (name == s->n_v)
			s->in_v = 0;
		else if (name == s->n_t)
			s->in_t = 0;
		else if (name == s->n_rph)
			s->in_rph = 0;
		else if (name == s->n_c && s->in_cell)
			return end_cell(s);
		else if (name == s->n_row && s->in_row)
			return end_row(s);
		return ST_OK;
	}
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
	case XML_READER_TYPE_WHITESPACE:
	case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		if (s->in_v || (s->in_t && !s->in_rph)) {
			const char *v = (const char *)xmlTextReaderConstValue(x);
			if (!v || xlsx_text_add(&s->text, v, strlen(v)) < 0)
				return diag_nomem("parse");
		}
		return ST_OK;
	default:
		return ST_OK;
	}
}

int xlsx_sheet_read(struct parse_run *run, struct xlsx_zip *z, const char *part,
		    const struct xlsx_sheet_input *in)
{
	struct sheet s = { .run = run, .in = in };
	int st, got = 0;

	if (rows_init(&s.rows, run) < 0)
		return diag_nomem("parse");
	st = xlsx_part_open(&s.p, z, part, XLSX_MAX_SHEET);
	if (st == ST_OK) {
		xmlTextReaderPtr x = s.p.reader;
		s.n_row = xmlTextReaderConstString(x, BAD_CAST "row");
		s.n_c = xmlTextReaderConstString(x, BAD_CAST "c");
		s.n_v = xmlTextReaderConstString(x, BAD_CAST "v");
		s.n_t = xmlTextReaderConstString(x, BAD_CAST "t");
		s.n_is = xmlTextReaderConstString(x, BAD_CAST "is");
		s.n_rph = xmlTextReaderConstString(x, BAD_CAST "rPh");
		s.n_dimension = xmlTextReaderConstString(x, BAD_CAST "dimension");
		if (!s.n_row || !s.n_c || !s.n_v || !s.n_t || !s.n_is || !s.n_rph || !s.n_dimension)
			st = diag_nomem("parse");
	}
	while (st == ST_OK && (got = xlsx_part_next(&s.p)) == 1)
		st = on_node(&s);
	if (st == ST_OK && got < 0)
		st = ST_INPUT;
	if (st == ST_OK)
		rows_finish(&s.rows);
	record_clear(&run->rec);
	xlsx_part_close(&s.p);
	rows_release(&s.rows);
	free(s.text.p);
	return st;
}
