#ifndef CASEPIPE_XLSX_SHEET_H
#define CASEPIPE_XLSX_SHEET_H

#include "parse.h"
#include "xlsx_strings.h"
#include "xlsx_styles.h"

/*
 * Reads one worksheet's rows into records, streaming: the sheet XML is
 * inflated and read node by node, and only the row being built is held.
 * Rows go through rows.h as the CSV reader's do, so a sheet gives the
 * records the CSV of that sheet gives: the first row is the header (unless
 * --no-header), every row is as wide as the sheet's used range (its
 * <dimension>, else the header), an empty cell is "" in its column (the
 * cell reference decides the column), and a missing row is a blank line
 * (skipped and counted).  Each record's line is the row number.
 */
struct xlsx_sheet_input {
	const struct xlsx_strings *strings;
	const struct xlsx_styles *styles;
	int date1904;
};

/* Returns ST_OK, or a stop status (ST_INPUT after a message). */
int xlsx_sheet_read(struct parse_run *run, struct xlsx_zip *z, const char *part,
		    const struct xlsx_sheet_input *in);

/* Reads a cell reference such as "C7" into a 0-based column and a row;
 * returns 0, or -1 when REF is not one (a missing part stays as it was). */
int xlsx_cell_ref(const char *ref, size_t *col, unsigned long *row);

#endif
