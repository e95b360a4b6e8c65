#ifndef CASEPIPE_XLSX_BOOK_H
#define CASEPIPE_XLSX_BOOK_H

#include <stddef.h>

#include "xlsx_zip.h"

/*
 * What xl/workbook.xml and its relationships (xl/_rels/workbook.xml.rels)
 * say: the sheets in workbook order with the parts that hold them, the
 * date system, and where the shared strings and the styles are.  A
 * relationship target that would leave the archive is refused.
 */
struct xlsx_sheet_ref {
	char *name;      /* as the workbook names it */
	char *rel_id;    /* r:id */
	char *part;      /* e.g. xl/worksheets/sheet1.xml, or NULL */
	int worksheet;   /* the part is a worksheet (not a chart sheet) */
};

struct xlsx_book {
	struct xlsx_sheet_ref *sheets;
	size_t nsheets, sheets_cap;
	int date1904;
	char *strings_part;  /* or NULL: the workbook has no shared strings */
	char *styles_part;   /* or NULL */
};

/* The part every workbook has. */
#define XLSX_WORKBOOK "xl/workbook.xml"

/* Reads the workbook; ST_OK, or ST_INPUT / ST_SYSTEM after a message. */
int xlsx_book_read(struct xlsx_book *b, struct xlsx_zip *z);

/* Chooses the sheet called WANT, else the WANT-th (from 1) when WANT is a
 * number, or the first sheet when WANT is NULL.  Returns it, or NULL after
 * a message that lists the sheets. */
const struct xlsx_sheet_ref *xlsx_book_pick(const struct xlsx_book *b, const char *file,
					    const char *want);

void xlsx_book_free(struct xlsx_book *b);

/* Resolves the relationship target TARGET of a part in xl/ into a path in
 * the archive (absolute targets start at the root), into OUT.  Returns 0,
 * or -1 when it leaves the archive or does not fit. */
int xlsx_resolve_target(const char *target, char *out, size_t size);

#endif
