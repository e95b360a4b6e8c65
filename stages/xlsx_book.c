#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "diag.h"
#include "xlsx_book.h"
#include "xlsx_part.h"

#define RELS "xl/_rels/workbook.xml.rels"

int xlsx_resolve_target(const char *target, char *out, size_t size)
{
	size_t o = 0;
	const char *p = target;

	if (*p == '/') {
		p++;
	} else {
		if (size < 4)
			return -1;
		memcpy(out, "xl/", 3);
		o = 3;
	}
	while (*p) {
		size_t n = strcspn(p, "/\\");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (o == 0)
				return -1; /* above the archive's root */
			o--;           /* drop the last component and its slash */
			while (o > 0 && out[o - 1] != '/')
				o--;
		} else if (!(n == 1 && p[0] == '.') && n > 0) {
			if (o + n + 1 >= size)
				return -1;
			memcpy(out + o, p, n);
			o += n;
			if (p[n])
				out[o++] = '/';
		}
		p += n;
		if (*p)
			p++;
	}
	if (o == 0 || o >= size)
		return -1;
	out[o] = '\0';
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int is_true(const char *v)
{
	return v && (strcmp(v, "1") == 0 || strcmp(v, "true") == 0);
}

static int read_workbook(struct xlsx_book *b, struct xlsx_zip *z)
{
	struct xlsx_part p;
	int st = xlsx_part_open(&p, z, XLSX_WORKBOOK, XLSX_MAX_PART), got;

	while (st == ST_OK && (got = xlsx_part_next(&p)) == 1) {
		if (xmlTextReaderNodeType(p.reader) != XML_READER_TYPE_ELEMENT)
			continue;
		if (xlsx_part_is(&p, "workbookPr")) {
			char *v = xlsx_part_attr(&p, "date1904");
			b->date1904 = is_true(v);
			xmlFree(v);
		} else if (xlsx_part_is(&p, "sheet")) {
			if (array_grow((void **)&b->sheets, &b->sheets_cap, b->nsheets, sizeof(*b->sheets)) < 0) {
				st = diag_nomem("parse");
				break;
			}
			struct xlsx_sheet_ref *s = &b->sheets[b->nsheets++];
			*s = (struct xlsx_sheet_ref){ xlsx_part_attr(&p, "name"), xlsx_part_attr(&p, "id"), NULL, 0 };
			if (!s->name)
				s->name = (char *)xmlStrdup((const xmlChar *)"");
			if (!s->name) {
				st = diag_nomem("parse");
				break;
			}
		}
	}
	if (st == ST_OK && got < 0)
		st = p.st;
	xlsx_part_close(&p);
	return st;
}

/* Takes one <Relationship Id Type Target>. */
static int take_relationship(struct xlsx_book *b, struct xlsx_part *p, const char *file)
{
	char *id = xlsx_part_attr(p, "Id"), *type = xlsx_part_attr(p, "Type");
	char *target = xlsx_part_attr(p, "Target"), *mode = xlsx_part_attr(p, "TargetMode");
	char path[512];
	int st = ST_OK;

	if (!id || !type || !target || (mode && strcmp(mode, "External") == 0))
		goto done;
	if (xlsx_resolve_target(target, path, sizeof(path)) < 0) {
		st = diag(ST_INPUT, "parse", "%s: %s: the relationship %.100s points outside the archive "
			  "(%.200s); refused", file, RELS, id, target);
		goto done;
	}
	char **slot = NULL;
	int worksheet = ends_with(type, "/worksheet");
	if (ends_with(type, "/sharedStrings"))
		slot = &b->strings_part;
	else if (ends_with(type, "/styles"))
		slot = &b->styles_part;
	for (size_t i = 0; !slot && i < b->nsheets; i++)
		if (b->sheets[i].rel_id && strcmp(b->sheets[i].rel_id, id) == 0) {
			slot = &b->sheets[i].part;
			b->sheets[i].worksheet = worksheet;
		}
	if (slot && !*slot) {
		*slot = strdup(path);
		if (!*slot)
			st = diag_nomem("parse");
	}
done:
	xmlFree(id);
	xmlFree(type);
	xmlFree(target);
	xmlFree(mode);
	return st;
}

static int read_rels(struct xlsx_book *b, struct xlsx_zip *z)
{
	struct xlsx_part p;
	int st = xlsx_part_open(&p, z, RELS, XLSX_MAX_PART), got;

	while (st == ST_OK && (got = xlsx_part_next(&p)) == 1)
		if (xmlTextReaderNodeType(p.reader) == XML_READER_TYPE_ELEMENT &&
		    xlsx_part_is(&p, "Relationship"))
			st = take_relationship(b, &p, z->name);
	if (st == ST_OK && got < 0)
		st = p.st;
	xlsx_part_close(&p);
	return st;
}

int xlsx_book_read(struct xlsx_book *b, struct xlsx_zip *z)
{
	memset(b, 0, sizeof(*b));
	int st = read_workbook(b, z);
	if (st == ST_OK)
		st = read_rels(b, z);
	if (st == ST_OK && b->nsheets == 0)
		st = diag(ST_INPUT, "parse", "%s: the workbook has no sheets", z->name);
	return st;
}

const struct xlsx_sheet_ref *xlsx_book_pick(const struct xlsx_book *b, const char *file,
					    const char *want)
{
	const struct xlsx_sheet_ref *s = NULL;

	if (!want) {
		s = &b->sheets[0];
	} else {
		for (size_t i = 0; !s && i < b->nsheets; i++)
			if (strcmp(b->sheets[i].name, want) == 0)
				s = &b->sheets[i];
		size_t digits = strspn(want, "0123456789");
		if (!s && digits && !want[digits] && digits < 10) {
			unsigned long k = strtoul(want, NULL, 10);
			if (k >= 1 && k <= b->nsheets)
				s = &b->sheets[k - 1];
		}
	}
	if (!s) {
		char list[400];
		size_t o = 0;
		for (size_t i = 0; i < b->nsheets && o < sizeof(list) - 1; i++)
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%zu '%s'", i ? ", " : "", i + 1,
					      b->sheets[i].name);
		diag(ST_INPUT, "parse", "%s: no sheet '%s' (the sheets: %s)", file, want, list);
		return NULL;
	}
	if (!s->part || !s->worksheet) {
		diag(ST_INPUT, "parse", "%s: sheet '%s' is not a worksheet (a chart or dialog sheet, or "
		     "one the workbook's relationships do not name)", file, s->name);
		return NULL;
	}
	return s;
}

void xlsx_book_free(struct xlsx_book *b)
{
	for (size_t i = 0; i < b->nsheets; i++) {
		xmlFree(b->sheets[i].name);
		xmlFree(b->sheets[i].rel_id);
		free(b->sheets[i].part);
	}
	free(b->sheets);
	free(b->strings_part);
	free(b->styles_part);
	memset(b, 0, sizeof(*b));
}
