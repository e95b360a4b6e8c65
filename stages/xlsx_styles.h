#ifndef CASEPIPE_XLSX_STYLES_H
#define CASEPIPE_XLSX_STYLES_H

#include <stddef.h>

#include "xlsx_cell.h"
#include "xlsx_zip.h"

/*
 * Which cell styles show dates: the number format of each cell format
 * (<cellXfs><xf numFmtId>) in xl/styles.xml, a built-in one or a custom
 * <numFmt formatCode>, judged by xlsx_format_kind().
 */
struct xlsx_styles {
	unsigned char *kind; /* enum xlsx_kind of each cell format */
	size_t n, cap;
};

/* Reads PART (NULL: the workbook has no styles, so no dates); ST_OK or
 * ST_INPUT / ST_SYSTEM after a message. */
int xlsx_styles_read(struct xlsx_styles *s, struct xlsx_zip *z, const char *part);

/* The kind of the cell format S (a cell's s attribute). */
static inline enum xlsx_kind xlsx_style_kind(const struct xlsx_styles *s, unsigned long style)
{
	return style < s->n ? (enum xlsx_kind)s->kind[style] : XLSX_NUMBER;
}

void xlsx_styles_free(struct xlsx_styles *s);

#endif
