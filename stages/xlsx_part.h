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
	int read_failed;        /* the entry said why */
	int nerrors;
	unsigned long err_line;
	char err[200];
};

/* Opens the part NAME (capped at CAP bytes inflated); ST_OK or ST_INPUT /
 * ST_SYSTEM after a message. */
int xlsx_part_open(struct xlsx_part *p, struct xlsx_zip *z, const char *name,
		   unsigned long long cap);

/* Moves to the next node: 1, 0 at the end, or -1 after a message. */
int xlsx_part_next(struct xlsx_part *p);

/* The attribute LOCAL (by local name) of the element the reader is on, as
 * a string to free with xmlFree(), or NULL. */
char *xlsx_part_attr(struct xlsx_part *p, const char *local);

/* Whether the node the reader is on is called LOCAL (by local name). */
int xlsx_part_is(struct xlsx_part *p, const char *local);

void xlsx_part_close(struct xlsx_part *p);

#endif
