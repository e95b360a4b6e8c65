#ifndef CASEPIPE_EXCEL_H
#define CASEPIPE_EXCEL_H

#include "outbuf.h"
#include "record.h"

/*
 * Spreadsheet-safe cells (emit --excel) and their undoing (parse --excel).
 * Two encodings, chosen by the first rule that applies:
 *
 *   1. Text protection: a value Excel would turn into a number, losing
 *      zeros or digits (an identifier column's value that looks like a
 *      number; anywhere, a digit string with a leading zero or of 12 or
 *      more digits), is written as the text formula ="VALUE" (quotes in
 *      it doubled), which Excel shows as VALUE, as text.  Only values of
 *      at most 255 bytes (Excel's limit for a string in a formula).
 *   2. Formula neutralising (CWE-1236): a value starting with = + - @
 *      tab or carriage return, or with an apostrophe (so that rule 2 is
 *      reversible), gets an apostrophe in front: '=1+2.
 *
 * parse --excel undoes them: a cell ="X" (whole cell, quotes doubled
 * inside) becomes X, and a cell starting with an apostrophe followed by
 * one of = + - @ tab CR ' loses that apostrophe.  Without --excel, parse
 * keeps cells byte for byte, and emit --excel never leaves a value that
 * starts with = + - @ tab CR or ' unencoded, so the undoing is exact.
 */

/* Whether V, in a column that is (TEXT 1) or is not an identifier column,
 * must be written as ="V". */
int excel_needs_text(struct slice v, int text);

/* Writes the cell for V into O (O is cleared first) when it needs either
 * encoding and returns 1; returns 0 (O untouched) when V goes as it is. */
int excel_encode(struct outbuf *o, struct slice v, int text);

/* Undoes excel_encode() on V; returns V itself, or a shorter slice of it,
 * or a copy made in REC's arena (NULL ptr when memory runs out). */
struct slice excel_decode(struct record *rec, struct slice v);

#endif
