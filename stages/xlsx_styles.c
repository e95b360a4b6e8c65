#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "diag.h"
#include "xlsx_part.h"
#include "xlsx_styles.h"

/* A custom number format's id and kind. */
struct custom_format {
	int id;
	unsigned char kind;
};

struct styles_reader {
	struct xlsx_part p;
	struct custom_format *custom;
	size_t ncustom, custom_cap;
	int in_cell_xfs;
};

static int format_id(const char *v)
{
	return v ? atoi(v) : 0;
}

static unsigned char kind_of(const struct styles_reader *r, int id)
{
	/* The last definition wins, as a later one replaces an earlier one. */
	for (size_t i = r->ncustom; i-- > 0;)
		if (r->custom[i].id == id)
			return r->custom[i].kind;
	return (unsigned char)xlsx_format_kind(id, NULL);
}

static int on_element(struct styles_reader *r, struct xlsx_styles *s)
{
	struct xlsx_part *p = &r->p;

	if (xlsx_part_is(p, "cellXfs")) {
		r->in_cell_xfs = !xmlTextReaderIsEmptyElement(p->reader);
	} else if (xlsx_part_is(p, "numFmt")) {
		char *id = xlsx_part_attr(p, "numFmtId"), *code = xlsx_part_attr(p, "formatCode");
		int st = array_grow((void **)&r->custom, &r->custom_cap, r->ncustom, sizeof(*r->custom));
		if (st == 0)
			r->custom[r->ncustom++] = (struct custom_format){
				format_id(id), (unsigned char)xlsx_format_kind(format_id(id), code ? code : "")
			};
		xmlFree(id);
		xmlFree(code);
		if (st < 0)
			return diag_nomem("parse");
	} else if (r->in_cell_xfs && xlsx_part_is(p, "xf") && xmlTextReaderDepth(p->reader) == 2) {
		char *id = xlsx_part_attr(p, "numFmtId");
		unsigned char kind = kind_of(r, format_id(id));
		xmlFree(id);
		if (array_grow((void **)&s->kind, &s->cap, s->n, 1) < 0)
			return diag_nomem("parse");
		s->kind[s->n++] = kind;
	}
	return ST_OK;
}

int xlsx_styles_read(struct xlsx_styles *s, struct xlsx_zip *z, const char *part)
{
	struct styles_reader r = { .ncustom = 0 };
	int st, got = 0;

	memset(s, 0, sizeof(*s));
	if (!part)
		return ST_OK;
	st = xlsx_part_open(&r.p, z, part, XLSX_MAX_PART);
	while (st == ST_OK && (got = xlsx_part_next(&r.p)) == 1) {
		int type = xmlTextReaderNodeType(r.p.reader);
		if (type == XML_READER_TYPE_ELEMENT)
			st = on_element(&r, s);
		else if (type == XML_READER_TYPE_END_ELEMENT && xlsx_part_is(&r.p, "cellXfs"))
			r.in_cell_xfs = 0;
	}
	if (st == ST_OK && got < 0)
		st = r.p.st;
	xlsx_part_close(&r.p);
	free(r.custom);
	return st;
}

void xlsx_styles_free(struct xlsx_styles *s)
{
	free(s->kind);
	memset(s, 0, sizeof(*s));
}
