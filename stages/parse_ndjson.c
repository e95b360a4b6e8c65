/*
 * The NDJSON reader: one JSON object per line, the wire format between
 * stages.  A line that is not an object is rejected with its reason and
 * the reading goes on; blank lines are skipped.
 */
#include "diag.h"
#include "lines.h"
#include "parse.h"
#include "wire.h"

static int is_blank(struct slice line)
{
	for (size_t i = 0; i < line.len; i++)
		if (line.ptr[i] != ' ' && line.ptr[i] != '\t' && line.ptr[i] != '\r')
			return 0;
	return 1;
}

static int read_ndjson(struct parse_run *run)
{
	struct line_reader lr;
	struct slice line;
	char err[200];
	int st = ST_OK, got;

	if (line_reader_init(&lr, run->in) < 0)
		return diag_nomem("parse");
	while (st == ST_OK && (got = line_next(&lr, &line)) > 0) {
		if (is_blank(line))
			continue;
		if (wire_read_record(&run->rec, line.ptr, line.len, err, sizeof(err)) < 0)
			parse_reject(run, lr.lineno, err);
		else
			st = parse_emit(run, lr.lineno);
	}
	if (st == ST_OK && got == -1)
		st = ST_INPUT;
	else if (st == ST_OK && got == -2)
		st = diag_nomem("parse");
	line_reader_release(&lr);
	return st;
}

const struct reader reader_ndjson = { .format = "ndjson", .read = read_ndjson };
