#ifndef CASEPIPE_LINES_H
#define CASEPIPE_LINES_H

#include "input.h"
#include "record.h"

/*
 * Splits an input into lines for the line-based readers (TSV, NDJSON).
 * A line ends at LF; a CR before the LF is removed too.  The last line
 * need not end with a line end.  Memory grows to the longest line.
 */
struct line_reader {
	struct input *in;
	char *buf;
	size_t cap, start, end; /* unread bytes are buf[start..end) */
	int eof;
	unsigned long lineno;   /* number of the line last returned, from 1 */
};

/* Returns 0, or -1 when memory runs out. */
int line_reader_init(struct line_reader *lr, struct input *in);
void line_reader_release(struct line_reader *lr);

/* Sets *LINE to the next line, valid until the next call.  Returns 1, 0 at
 * end of input, or -1 after a read error (reported) or -2 when memory runs
 * out (not reported).  A line longer than 64 MiB is a reported error (-1). */
int line_next(struct line_reader *lr, struct slice *line);

#endif
