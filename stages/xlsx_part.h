#ifndef CASEPIPE_XLSX_PART_H
#define CASEPIPE_XLSX_PART_H

#include <libxml/xmlreader.h>

#include "xlsx_zip.h"
#include "xml_guard.h"

/*
 * One XML part of a workbook (workbook.xml, a worksheet, the shared
 * strings...) read with libxml2's streaming reader straight from the
 * inflating zip entry, hardened as the XML reader is (xml_guard.h): a
 * document type declaration ends it with exit status 3.
 */
struct xlsx_part {
	struct xlsx_entry entry;
	struct xml_prolog prolog;
	xmlTextReaderPtr reader;
	struct xml_errors err;  /* what libxml2 raised */
	int st;                 /* the status of the message after a -1 */
};

/* Opens the part NAME (capped at CAP bytes inflated); ST_OK or ST_INPUT /
 * ST_SYSTEM after a message.  Until xlsx_part_close(), libxml2's errors
 * outside the reader (xml_guard_catch()) are noted in P too. */
int xlsx_part_open(struct xlsx_part *p, struct xlsx_zip *z, const char *name,
		   unsigned long long cap);

/* Moves to the next node: 1, 0 at the end, or -1 after a message (P->st
 * then holds its status: ST_SYSTEM when memory ran out, even if libxml2
 * went on after it, or when xlsx_part_attr() could not copy a value). */
int xlsx_part_next(struct xlsx_part *p);

/* The attribute LOCAL (by local name) of the element the reader is on, as
 * a string to free with xmlFree(), or NULL (absent or empty; also when its
 * copy failed, which the next xlsx_part_next() reports). */
char *xlsx_part_attr(struct xlsx_part *p, const char *local);

/* Whether the node the reader is on is called LOCAL (by local name). */
int xlsx_part_is(struct xlsx_part *p, const char *local);

void xlsx_part_close(struct xlsx_part *p);

/* For parts read with a push parser instead: reads up to LEN inflated
 * bytes of E through the prolog check PROLOG.  Returns the count, 0 at the
 * end, -1 after a message, or -2 when a document type declaration starts
 * (no message: see xlsx_refuse_doctype()). */
ssize_t xlsx_guarded_read(struct xlsx_entry *e, struct xml_prolog *prolog, char *buf, size_t len);

/* Says that E has a document type declaration on LINE; returns ST_INPUT. */
int xlsx_refuse_doctype(const struct xlsx_entry *e, unsigned long line);

/*
 * A part read with libxml2's SAX2 push parser instead (the worksheet and
 * the shared strings: mostly tiny elements, for which the reader's
 * building and freeing of a node each costs more than the parse): the
 * same prolog check and options, no entity handler (so no entity but the
 * predefined ones is known), nothing kept between callbacks but what the
 * callbacks keep.  The struct that the callbacks get as their context must
 * start with a struct xlsx_sax.
 */
struct xlsx_sax {
	xmlParserCtxtPtr ctxt;
	const struct xlsx_entry *entry;
	int st;              /* the first stop status; parsing ends at it */
	struct xml_errors err; /* what libxml2 raised; running out of memory ends the run */
};

/* Parses PART (capped at CAP bytes inflated) with the callbacks of SAX
 * (initialised with xlsx_sax_handler()), whose context CTX starts with X.
 * READY, if not NULL, runs once the parser exists (to look names up in its
 * dictionary).  Returns ST_OK, X's stop status, or ST_INPUT / ST_SYSTEM
 * after a message. */
int xlsx_sax_run(struct xlsx_sax *x, void *ctx, struct xlsx_zip *z, const char *part,
		 unsigned long long cap, xmlSAXHandler *sax, int (*ready)(void *ctx));

/* A SAX2 handler with the element callbacks START and END, TEXT for both
 * text and CDATA, the error callback, and one that refuses a document type
 * declaration that the prolog check could not see (in an encoding it
 * cannot read, such as UTF-16). */
void xlsx_sax_handler(xmlSAXHandler *sax, startElementNsSAX2Func start, endElementNsSAX2Func end,
		      charactersSAXFunc text);

/* Stops the parse with status ST unless it is ST_OK. */
void xlsx_sax_stop(struct xlsx_sax *x, int st);

/* NAME interned in the parser's dictionary (element names that SAX2
 * passes are compared by pointer), or NULL when memory runs out. */
const xmlChar *xlsx_sax_name(struct xlsx_sax *x, const char *name);

#endif
