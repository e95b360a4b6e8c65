#ifndef CASEPIPE_ROWS_H
#define CASEPIPE_ROWS_H

#include "parse.h"
#include "strmap.h"

/*
 * Turns rows of fields (from the CSV and TSV readers) into records: the
 * header row names the columns (empty and duplicate names made unique,
 * with an issue on the first record), short rows are padded with empty
 * values and long rows keep their extra values under generated names, each
 * with an issue.  Blank lines are rows with one empty field when rows have
 * one column, and are otherwise skipped and counted.
 */
struct rows {
	struct parse_run *run;
	struct slice *names;     /* column names; long rows add generated ones */
	size_t nnames, names_cap;
	size_t width;            /* fields a row should have; 0 until known */
	int header_pending;      /* the next row is the header */
	struct strmap taken;     /* names in use, for making new ones unique */
	struct arena arena;      /* names and header issue texts */
	struct issue *header_issues;
	size_t nheader_issues, header_issues_cap;
	size_t nf;               /* fields in the current row */
	unsigned long line;      /* line on which the current row started */
	unsigned long blank_lines, first_blank_line;
};

/* Returns 0, or -1 when memory runs out. */
int rows_init(struct rows *r, struct parse_run *run);
void rows_release(struct rows *r);

/* rows_field for the header row, or a field past the names known; r->nf
 * counts the field already. */
int rows_field_slow(struct rows *r, const char *p, size_t len);

/* Says that memory ran out; returns ST_SYSTEM. */
int rows_nomem(void);

/* Adds a field to the row that started on LINE.  The bytes are borrowed:
 * they must stay as they are until rows_end() returns.  Returns ST_OK or
 * ST_SYSTEM.  Inline, as it runs for every field (callgrind, 100k rows
 * through parse..validate: 810.0M -> 785.6M). */
static inline int rows_field(struct rows *r, unsigned long line, const char *p, size_t len)
{
	if (r->nf++ == 0)
		r->line = line;
	/* The common case: a data field whose column has a name. */
	if (r->header_pending || r->nf > r->nnames)
		return rows_field_slow(r, p, len);
	if (record_append(&r->run->rec, r->names[r->nf - 1], (struct slice){ p, len }) < 0)
		return rows_nomem();
	return ST_OK;
}

/* Adds the N fields VALUES to the row that started on LINE, as
 * rows_field() does one by one.  The common case, data fields whose
 * columns have names, is one loop of 16-byte copies, inlined (callgrind,
 * parse of 100k rows of bench/data/big.csv: the CSV reader with it took
 * 69.1M instructions where one rows_field() a field took 94.0M; inlining
 * took off 2.3M more). */
static inline __attribute__((always_inline)) int rows_fields(struct rows *r, unsigned long line,
							      const struct slice *values, size_t n)
{
	struct record *rec = &r->run->rec;

	if (n == 0)
		return ST_OK;
	if (r->header_pending || r->nf + n > r->nnames || rec->fields_cap - rec->nfields < n) {
		for (size_t i = 0; i < n; i++) {
			int st = rows_field(r, line, values[i].ptr, values[i].len);
			if (st != ST_OK)
				return st;
		}
		return ST_OK;
	}
	if (r->nf == 0)
		r->line = line;
	const struct slice *names = r->names + r->nf;
	struct field *out = rec->fields + rec->nfields;
	for (size_t i = 0; i < n; i++) {
		memcpy(&out[i].name, &names[i], sizeof(*names));
		memcpy(&out[i].value, &values[i], sizeof(*values));
	}
	r->nf += n;
	rec->nfields += n;
	return ST_OK;
}

/* Adds a warning about the field just added (CODE and MESSAGE are static
 * strings).  Returns ST_OK or ST_SYSTEM. */
int rows_flag_field(struct rows *r, const char *code, const char *message);

/* Ends the current row, making a record of it (or the header).  A row with
 * no fields is a blank line on LINE.  Unless the reader found the whole row
 * to be valid UTF-8 (UTF8_CHECKED), each value is checked and flagged.
 * Returns ST_OK or a stop status. */
int rows_end(struct rows *r, unsigned long line, int utf8_checked);

/* Forgets the current row (it was rejected). */
void rows_drop(struct rows *r);

/* Says what was skipped at the end of an input. */
void rows_finish(struct rows *r);

#endif
