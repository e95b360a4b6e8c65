#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "diag.h"
#include "xlsx_cell.h"
#include "xlsx_part.h"
#include "xlsx_strings.h"

struct strings_reader {
	struct xlsx_part p;
	struct xlsx_text text; /* the <si> being read */
	int in_si, in_t, in_rph;
};

static int end_si(struct strings_reader *r, struct xlsx_strings *t)
{
	size_t n = xlsx_unescape(r->text.p ? r->text.p : "", r->text.len);
	char *copy = arena_memdup(&t->text, r->text.p ? r->text.p : "", n);

	if (!copy || array_grow((void **)&t->s, &t->cap, t->n, sizeof(*t->s)) < 0)
		return diag_nomem("parse");
	t->s[t->n++] = (struct slice){ copy, n };
	r->in_si = r->in_t = r->in_rph = 0;
	return ST_OK;
}

static int on_node(struct strings_reader *r, struct xlsx_strings *t)
{
	xmlTextReaderPtr x = r->p.reader;
	int type = xmlTextReaderNodeType(x);

	switch (type) {
	case XML_READER_TYPE_ELEMENT:
		if (xlsx_part_is(&r->p, "si")) {
			r->in_si = 1;
			r->text.len = 0;
			if (xmlTextReaderIsEmptyElement(x))
				return end_si(r, t);
		} else if (r->in_si && xlsx_part_is(&r->p, "rPh")) {
			r->in_rph = !xmlTextReaderIsEmptyElement(x);
		} else if (r->in_si && !r->in_rph && xlsx_part_is(&r->p, "t")) {
			r->in_t = !xmlTextReaderIsEmptyElement(x);
		}
		break;
	case XML_READER_TYPE_END_ELEMENT:
		if (r->in_si && xlsx_part_is(&r->p, "si"))
			return end_si(r, t);
		if (xlsx_part_is(&r->p, "rPh"))
			r->in_rph = 0;
		else if (xlsx_part_is(&r->p, "t"))
			r->in_t = 0;
		break;
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
	case XML_READER_TYPE_WHITESPACE:
	case XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
		if (r->in_t && !r->in_rph) {
			const char *v = (const char *)xmlTextReaderConstValue(x);
			if (!v || xlsx_text_add(&r->text, v, strlen(v)) < 0)
				return diag_nomem("parse");
		}
		break;
	default:
		break;
	}
	return ST_OK;
}

int xlsx_strings_read(struct xlsx_strings *t, struct xlsx_zip *z, const char *part)
{
	struct strings_reader r = { .in_si = 0 };
	int st, got = 0;

	memset(t, 0, sizeof(*t));
	if (!part)
		return ST_OK;
	st = xlsx_part_open(&r.p, z, part, XLSX_MAX_STRINGS);
	while (st == ST_OK && (got = xlsx_part_next(&r.p)) == 1)
		st = on_node(&r, t);
	if (st == ST_OK && got < 0)
		st = ST_INPUT;
	xlsx_part_close(&r.p);
	free(r.text.p);
	return st;
}

void xlsx_strings_free(struct xlsx_strings *t)
{
	free(t->s);
	arena_release(&t->text);
	memset(t, 0, sizeof(*t));
}
