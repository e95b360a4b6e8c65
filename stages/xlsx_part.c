#include <stdlib.h>
#include <string.h>

#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>

#include "diag.h"
#include "xlsx_part.h"

ssize_t xlsx_guarded_read(struct xlsx_entry *e, struct xml_prolog *prolog, char *buf, size_t len)
{
	if (prolog->refused)
		return -2;
	ssize_t n = xlsx_entry_read(e, buf, len);
	if (n <= 0 || xml_prolog_done(prolog))
		return n;
	size_t keep = xml_prolog_check(prolog, buf, (size_t)n);
	/* "<!" was passed on in an earlier read: end the input now. */
	return prolog->refused && keep == 0 ? -2 : (ssize_t)keep;
}

int xlsx_refuse_doctype(const struct xlsx_entry *e, unsigned long line)
{
	return diag(ST_INPUT, "parse", "%s: %s:%lu: document type declarations are not accepted "
		    "(entity expansion and external files are refused)", e->z->name, e->name, line);
}

static int part_io_read(void *ctx, char *buf, int len)
{
	struct xlsx_part *p = ctx;

	if (p->entry.failed)
		return -1;
	ssize_t n = xlsx_guarded_read(&p->entry, &p->prolog, buf, (size_t)len);
	return n < 0 ? -1 : (int)n;
}

static int part_io_close(void *ctx)
{
	(void)ctx;
	return 0;
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
	xml_guard_catch(&p->err);
	p->reader = xmlReaderForIO(part_io_read, part_io_close, p, NULL, NULL,
				   XML_GUARD_OPTIONS & ~XML_PARSE_IGNORE_ENC);
	if (!p->reader)
		return diag_nomem("parse");
	xmlTextReaderSetStructuredErrorHandler(p->reader, xml_errors_note, &p->err);
	return ST_OK;
}

/* Ends the part with status ST (after its message); returns -1. */
static int part_failed(struct xlsx_part *p, int st)
{
	p->st = st;
	return -1;
}

int xlsx_part_next(struct xlsx_part *p)
{
	const char *file = p->entry.z->name, *part = p->entry.name;
	int ret = p->err.nomem ? -1 : xmlTextReaderRead(p->reader);

	if (p->err.nomem)
		return part_failed(p, diag_nomem("parse"));
	if (ret == 1) {
		int type = xmlTextReaderNodeType(p->reader);
		if (type != XML_READER_TYPE_DOCUMENT_TYPE && type != XML_READER_TYPE_ENTITY_REFERENCE &&
		    type != XML_READER_TYPE_ENTITY)
			return 1;
		p->prolog.refused = (unsigned long)xmlTextReaderGetParserLineNumber(p->reader);
	}
	if (p->prolog.refused)
		return part_failed(p, xlsx_refuse_doctype(&p->entry, p->prolog.refused));
	if (p->entry.failed)
		return part_failed(p, p->entry.failed);
	if (ret == 0 && !p->err.nerrors)
		return 0;
	return part_failed(p, diag(ST_INPUT, "parse", "%s: %s:%lu: malformed XML: %s", file, part,
				   p->err.line ? p->err.line
					       : (unsigned long)xmlTextReaderGetParserLineNumber(p->reader),
				   p->err.nerrors ? p->err.msg : "the XML reader stopped"));
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
			/* An attribute with text has a value: NULL is a failed copy. */
			xmlNodePtr a = xmlTextReaderCurrentNode(p->reader);
			if (!v && (!a || a->children))
				p->err.nomem = 1;
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
	xml_guard_release();
}

/* SAX2 passes the callbacks' context, which starts with a struct
 * xlsx_sax.  An error (or running out of memory) ends the parse at once,
 * so that no callback sees what libxml2 went on with; feed() reports it. */
static void sax_error(void *ctx, xmlErrorPtr e)
{
	struct xlsx_sax *x = ctx;
	xml_errors_note(&x->err, e);
	if (x->err.nerrors || x->err.nomem)
		xmlStopParser(x->ctxt);
}

static void sax_doctype(void *ctx, const xmlChar *name, const xmlChar *id, const xmlChar *url)
{
	struct xlsx_sax *x = ctx;
	(void)name, (void)id, (void)url;
	xlsx_sax_stop(x, xlsx_refuse_doctype(x->entry, (unsigned long)xmlSAX2GetLineNumber(x->ctxt)));
}

void xlsx_sax_handler(xmlSAXHandler *sax, startElementNsSAX2Func start, endElementNsSAX2Func end,
		      charactersSAXFunc text)
{
	memset(sax, 0, sizeof(*sax));
	sax->initialized = XML_SAX2_MAGIC;
	sax->startElementNs = start;
	sax->endElementNs = end;
	sax->characters = text;
	sax->cdataBlock = text;
	sax->serror = sax_error;
	sax->internalSubset = sax_doctype;
}

void xlsx_sax_stop(struct xlsx_sax *x, int st)
{
	if (st != ST_OK && x->st == ST_OK) {
		x->st = st;
		xmlStopParser(x->ctxt);
	}
}

const xmlChar *xlsx_sax_name(struct xlsx_sax *x, const char *name)
{
	return xmlDictLookup(x->ctxt->dict, BAD_CAST name, -1);
}

enum { SAX_CHUNK = 256 * 1024 };

/* Inflates the part and feeds it to the parser. */
static int feed(struct xlsx_sax *x, struct xlsx_entry *e, char *buf)
{
	struct xml_prolog prolog = { .line = 1 };
	ssize_t n;

	do {
		n = xlsx_guarded_read(e, &prolog, buf, SAX_CHUNK);
		if (n == -1)
			return e->failed;
		if (n == -2)
			return xlsx_refuse_doctype(e, prolog.refused);
		int bad_xml = xmlParseChunk(x->ctxt, buf, (int)n, n == 0) != 0 || x->err.nerrors;
		if (x->st != ST_OK)
			return x->st;
		/* libxml2 may go on after running out of memory, having dropped
		 * what it could not copy, or report a different error. */
		if (x->err.nomem)
			return diag_nomem("parse");
		if (bad_xml)
			return diag(ST_INPUT, "parse", "%s: %s:%lu: malformed XML: %s", e->z->name, e->name,
				    x->err.line ? x->err.line : (unsigned long)xmlSAX2GetLineNumber(x->ctxt),
				    x->err.nerrors ? x->err.msg : "the XML parser stopped");
	} while (n > 0);
	return ST_OK;
}

int xlsx_sax_run(struct xlsx_sax *x, void *ctx, struct xlsx_zip *z, const char *part,
		 unsigned long long cap, xmlSAXHandler *sax, int (*ready)(void *ctx))
{
	struct xlsx_entry e;
	char *buf = malloc(SAX_CHUNK);
	int st = buf ? xlsx_entry_open(&e, z, part, cap) : diag_nomem("parse");

	if (st == ST_OK) {
		xml_guard_setup();
		xml_guard_catch(&x->err);
		x->entry = &e;
		x->ctxt = xmlCreatePushParserCtxt(sax, ctx, NULL, 0, part);
		if (!x->ctxt || xmlCtxtUseOptions(x->ctxt, XML_GUARD_OPTIONS & ~XML_PARSE_IGNORE_ENC) < 0)
			st = diag_nomem("parse");
		if (st == ST_OK && ready)
			st = ready(ctx);
		if (st == ST_OK)
			st = feed(x, &e, buf);
		if (x->ctxt && x->ctxt->myDoc)
			xmlFreeDoc(x->ctxt->myDoc); /* made by libxml2 for a DTD's declarations */
		if (x->ctxt)
			xmlFreeParserCtxt(x->ctxt);
		x->ctxt = NULL;
		xlsx_entry_close(&e);
		xml_guard_release();
	}
	free(buf);
	return st;
}
