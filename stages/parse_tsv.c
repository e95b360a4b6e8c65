/*
 * The TSV reader.  TSV has no quoting, so libcsv (which always treats some
 * character as a quote) cannot read it: a line is a row, a tab separates
 * fields, and \t \n \r \\ inside a value stand for tab, newline, carriage
 * return and backslash.  Any other backslash is kept as it is.
 */
#include <string.h>

#include "diag.h"
#include "lines.h"
#include "parse.h"
#include "rows.h"
#include "utf8.h"

/* Decodes the escapes of field P[0..LEN) into OUT; returns the new length. */
static size_t unescape(const char *p, size_t len, char *out)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		if (c == '\\' && i + 1 < len) {
			char e = p[i + 1];
			char d = e == 't' ? '\t' : e == 'n' ? '\n' : e == 'r' ? '\r' : e == '\\' ? '\\' : 0;
			if (d) {
				out[n++] = d;
				i++;
				continue;
			}
		}
		out[n++] = c;
	}
	return n;
}

static int read_row(struct rows *rows, struct slice line, unsigned long lineno)
{
	const char *p = line.ptr, *end = line.ptr + line.len;
	/* Escapes are ASCII: unescaping cannot change the line's validity. */
	int valid = rows->run->in->utf8_clean || utf8_is_valid(line.ptr, line.len);

	if (line.len == 0)
		return rows_end(rows, lineno, 1);
	for (;;) {
		const char *tab = memchr(p, '\t', (size_t)(end - p));
		const char *stop = tab ? tab : end;
		size_t len = (size_t)(stop - p);
		int st;
		if (memchr(p, '\\', len)) {
			/* Unescaping only shrinks, so it can work in place. */
			len = unescape(p, len, (char *)p);
		}
		st = rows_field(rows, lineno, p, len);
		if (st != ST_OK)
			return st;
		if (!tab)
			break;
		p = tab + 1;
	}
	return rows_end(rows, lineno, valid);
}

static int read_tsv(struct parse_run *run)
{
	struct line_reader lr;
	struct rows rows;
	struct slice line;
	int st = ST_OK, got;

	if (line_reader_init(&lr, run->in) < 0 || rows_init(&rows, run) < 0) {
		line_reader_release(&lr);
		return diag_nomem("parse");
	}
	while (st == ST_OK && (got = line_next(&lr, &line)) > 0)
		st = read_row(&rows, line, lr.lineno);
	if (st == ST_OK && got == -1)
		st = ST_INPUT;
	else if (st == ST_OK && got == -2)
		st = diag_nomem("parse");
	rows_finish(&rows);
	rows_release(&rows);
	line_reader_release(&lr);
	return st;
}

const struct reader reader_tsv = { .format = "tsv", .read = read_tsv };
