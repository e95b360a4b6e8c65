#ifndef CASEPIPE_XLSX_STRINGS_H
#define CASEPIPE_XLSX_STRINGS_H

#include "arena.h"
#include "record.h"
#include "xlsx_zip.h"

/*
 * The shared string table (xl/sharedStrings.xml), the one part of a
 * workbook held in memory: each <si> is the text of its <t>, or of its
 * rich-text runs <r><t> joined, without phonetic readings <rPh>; _xHHHH_
 * escapes are decoded.  Memory: the text plus 16 bytes a string.
 */
struct xlsx_strings {
	struct slice *s;
	size_t n, cap;
	struct arena text;
};

/* Reads PART (NULL: no table); ST_OK or ST_INPUT / ST_SYSTEM after a
 * message. */
int xlsx_strings_read(struct xlsx_strings *t, struct xlsx_zip *z, const char *part);

void xlsx_strings_free(struct xlsx_strings *t);

#endif
