#ifndef CASEPIPE_XLSX_CELL_H
#define CASEPIPE_XLSX_CELL_H

#include <stddef.h>

/*
 * The value rules of xlsx cells: what a person sees in Excel, without
 * Excel's display damage (README, "Excel workbooks").
 *
 * Numbers (xlsx_number_text): the stored decimal text, read exactly (no
 * binary floating point), written in plain positional notation: never an
 * exponent, no leading zeros, no trailing zeros after the point, no
 * trailing point, "-0" as "0".  An integral value keeps every digit
 * (123456789012 stays 123456789012, 1.23456789012E+11 becomes
 * 123456789012).  A value with a fraction and more than 15 significant
 * digits is rounded to 15, Excel's own precision, which removes the
 * binary artefacts some writers store (0.30000000000000004 is 0.3).
 *
 * Dates (xlsx_date_text): the serial number of a cell whose number format
 * is a date becomes YYYY-MM-DD, or YYYY-MM-DDTHH:MM:SS when it has a time
 * of day (rounded to the second); a time-only format below one day gives
 * HH:MM:SS.  In the 1900 system serial 1 is 1900-01-01, 60 is Excel's
 * fictional 1900-02-29 and 0 is Excel's 1900-01-00; in the 1904 system
 * serial 0 is 1904-01-01.  A serial below 0 or past 9999-12-31 is not a
 * date (Excel shows ####): the number rule applies.
 */
enum xlsx_kind { XLSX_NUMBER, XLSX_DATE, XLSX_TIME };

/* Room for any text the functions below write. */
enum { XLSX_TEXT_MAX = 512 };

/* Writes the text of the number V[0..N) into OUT (XLSX_TEXT_MAX bytes)
 * and returns its length, or returns 0 when V is not a decimal number
 * this rule can write (keep the stored text then). */
size_t xlsx_number_text(const char *v, size_t n, char *out);

/* Writes the date or time of the serial V[0..N) into OUT and returns its
 * length, or returns 0 when V is not a serial in range. */
size_t xlsx_date_text(const char *v, size_t n, int date1904, enum xlsx_kind kind, char *out);

/* Whether the number format FORMAT_ID (with the custom format code CODE,
 * or NULL for a built-in one) shows dates, times or neither. */
enum xlsx_kind xlsx_format_kind(int format_id, const char *code);

/* Decodes OOXML's _xHHHH_ escapes in P[0..N) in place (_x000D_ is a
 * carriage return, _x005F_ an underscore); returns the new length. */
size_t xlsx_unescape(char *p, size_t n);

/* A growing byte buffer for text pieces. */
struct xlsx_text {
	char *p;
	size_t len, cap;
};

/* Appends N bytes; 0, or -1 when memory runs out. */
int xlsx_text_add(struct xlsx_text *t, const char *s, size_t n);

#endif
