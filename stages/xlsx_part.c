#include <string.h>

#include <libxml/xmlerror.h>

#include "diag.h"
#include "xlsx_part.h"

static int part_io_read(void *ctx, char *buf, int len)
{
	struct xlsx_part *p = ctx;

	if (p->prolog.refused || p->read_failed)
		return -1;
	ssize_t n = xlsx_entry_read(&p->entry, buf, (size_t)len);
	if (n < 0) {
		p->read_failed = 1;
		return -1;
	}
	if (!xml_prolog_done(&p->prolog)) {
		size_t keep = xml_prolog_check(&p->prolog, buf, (size_t)n);
		if (p->prolog.refused && keep == 0)
			return -1;
		return (int)keep;
	}
	return (int)n;
}

static int part_io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* Keeps the first error's message and line, never printing it. */
static void part_error(void *ctx, xmlErrorPtr e)
{
	struct xlsx_part *p = ctx;

	if (!e || e->level == XML_ERR_WARNING || p->nerrors++)
		return;
	const char *m = e->message ? e->message : "unknown error";
	size_t n = strcspn(m, "\n");
	if (n >= sizeof(p->err))
		n = sizeof(p->err) - 1;
	memcpy(p->err, m, n);
	p->err[n] = '\0';
	p->err_line = e->line > 0 ? (unsigned long)e->line : 0;
}

int xlsx_part_open(struct xlsx_part *p, struct xlsx_zip *z, const char *name,
		   unsigned long long cap)
{
	memset(p, 0, sizeof(*p));
	p->prolog.line = 1;
	int st = xlsx_entry_open(&p->entry, z, name, cap);
	if (st != ST_OK)
		return st;
	xml_guard_setup();
	p->reader = xmlReaderForIO(part_io_read, part_io_close, p, NULL, NULL,
				   XML_GUARD_OPTIONS & ~XML_PARSE_IGNORE_ENC);
	if (!p->reader)
		return diag_nomem("parse");
	xmlTextReaderSetStructuredErrorHandler(p->reader, part_error, p);
	return ST_OK;
}

int xlsx_part_next(struct xlsx_part *p)
{
	const char *file = p->entry.z->name, *part = p->entry.name;
	int ret = xmlTextReaderRead(p->reader);

	if (ret == 1) {
		int type = xmlTextReaderNodeType(p->reader);
		if (type != XML_READER_TYPE_DOCUMENT_TYPE && type != XML_READER_TYPE_ENTITY_REFERENCE &&
		    type != XML_READER_TYPE_ENTITY)
			return 1;
		p->prolog.refused = (unsigned long)xmlTextReaderGetParserLineNumber(p->reader);
	}
	if (p->prolog.refused)
		return diag(ST_INPUT, "parse", "%s: %s:%lu: document type declarations are not accepted "
			    "(entity expansion and external files are refused)", file, part,
			    p->prolog.refused), -1;
	if (p->read_failed)
		return -1;
	if (ret == 0 && !p->nerrors)
		return 0;
	diag(ST_INPUT, "parse", "%s: %s:%lu: malformed XML: %s", file, part,
	     p->err_line ? p->err_line : (unsigned long)xmlTextReaderGetParserLineNumber(p->reader),
	     p->nerrors ? p->err : "the XML reader stopped");
	return -1;
}

char *xlsx_part_attr(struct xlsx_part *p, const char *local)
{
	char *v = NULL;

	if (xmlTextReaderMoveToFirstAttribute(p->reader) != 1)
		return NULL;
	do {
		const xmlChar *n = xmlTextReaderConstLocalName(p->reader);
		if (n && strcmp((const char *)n, local) == 0) {
			v = (char *)xmlTextReaderValue(p->reader);
			break;
		}
	} while (xmlTextReaderMoveToNextAttribute(p->reader) == 1);
	xmlTextReaderMoveToElement(p->reader);
	return v;
}

int xlsx_part_is(struct xlsx_part *p, const char *local)
{
	const xmlChar *n = xmlTextReaderConstLocalName(p->reader);
	return n && strcmp((const char *)n, local) == 0;
}

void xlsx_part_close(struct xlsx_part *p)
{
	if (p->reader)
		xmlFreeTextReader(p->reader);
	p->reader = NULL;
	xlsx_entry_close(&p->entry);
}
