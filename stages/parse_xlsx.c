/*
 * The xlsx reader: an Excel workbook, read from its zip archive
 * (xlsx_zip.c) without Excel's CSV export and the damage it does to
 * identifiers.  The workbook part names the sheets (xlsx_book.c), the
 * styles say which cells are dates (xlsx_styles.c), the shared strings
 * are loaded (xlsx_strings.c), and the chosen sheet is streamed into
 * records (xlsx_sheet.c) by the value rules of xlsx_cell.h.
 */
#include "diag.h"
#include "parse.h"
#include "xlsx_book.h"
#include "xlsx_sheet.h"

static int read_xlsx(struct parse_run *run)
{
	struct xlsx_zip z;
	struct xlsx_book book = { 0 };
	struct xlsx_styles styles = { 0 };
	struct xlsx_strings strings = { 0 };
	int st = xlsx_zip_open(&z, run->in);

	if (st == ST_OK && !xlsx_zip_has(&z, XLSX_WORKBOOK))
		st = diag(ST_INPUT, "parse", "%s: a zip archive, but not an Excel workbook (it has no %s)",
			  run->in->name, XLSX_WORKBOOK);
	if (st == ST_OK)
		st = xlsx_book_read(&book, &z);
	const struct xlsx_sheet_ref *sheet = NULL;
	if (st == ST_OK && !(sheet = xlsx_book_pick(&book, run->in->name, run->opt->sheet)))
		st = ST_INPUT;
	if (st == ST_OK)
		st = xlsx_styles_read(&styles, &z, book.styles_part);
	if (st == ST_OK)
		st = xlsx_strings_read(&strings, &z, book.strings_part);
	if (st == ST_OK) {
		struct xlsx_sheet_input in = { &strings, &styles, book.date1904 };
		run->sheet = sheet->name;
		st = xlsx_sheet_read(run, &z, sheet->part, &in);
		run->sheet = NULL;
	}
	xlsx_strings_free(&strings);
	xlsx_styles_free(&styles);
	xlsx_book_free(&book);
	xlsx_zip_close(&z);
	return st;
}

const struct reader reader_xlsx = { .format = "xlsx", .read = read_xlsx };
