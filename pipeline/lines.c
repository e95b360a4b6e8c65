#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "lines.h"

/* A line longer than LINE_MAX_LEN is an error, as a CSV row that long is:
 * a gzip bomb or a file with no line ends must not take all memory. */
enum { LINE_CHUNK = 256 * 1024, LINE_MAX_LEN = 64 * 1024 * 1024 };

int line_reader_init(struct line_reader *lr, struct input *in)
{
	*lr = (struct line_reader){ .in = in, .cap = LINE_CHUNK };
	lr->buf = malloc(lr->cap);
	return lr->buf ? 0 : -1;
}

void line_reader_release(struct line_reader *lr)
{
	free(lr->buf);
	lr->buf = NULL;
}

/* Makes room after the unread bytes and reads more; 0, -1 or -2. */
static int fill(struct line_reader *lr)
{
	if (lr->start > 0) {
		memmove(lr->buf, lr->buf + lr->start, lr->end - lr->start);
		lr->end -= lr->start;
		lr->start = 0;
	}
	if (lr->end == lr->cap) {
		if (lr->cap >= LINE_MAX_LEN) {
			diag(ST_INPUT, lr->in->stage, "%s:%lu: line longer than %d MiB", lr->in->name,
			     lr->lineno + 1, LINE_MAX_LEN >> 20);
			return -1;
		}
		char *p = realloc(lr->buf, lr->cap * 2);
		if (!p)
			return -2;
		lr->buf = p;
		lr->cap *= 2;
	}
	ssize_t n = input_read(lr->in, lr->buf + lr->end, lr->cap - lr->end);
	if (n < 0)
		return -1;
	if (n == 0)
		lr->eof = 1;
	lr->end += (size_t)n;
	return 0;
}

int line_next(struct line_reader *lr, struct slice *line)
{
	size_t scanned = lr->start;

	for (;;) {
		char *nl = memchr(lr->buf + scanned, '\n', lr->end - scanned);
		if (nl) {
			size_t len = (size_t)(nl - (lr->buf + lr->start));
			*line = (struct slice){ lr->buf + lr->start, len };
			lr->start += len + 1;
			break;
		}
		if (lr->eof) {
			if (lr->start == lr->end)
				return 0;
			*line = (struct slice){ lr->buf + lr->start, lr->end - lr->start };
			lr->start = lr->end;
			break;
		}
		/* Every unread byte was scanned: none is a line end. */
		size_t offset = lr->end - lr->start;
		int st = fill(lr);
		if (st < 0)
			return st;
		/* fill() moved the unread bytes: scan only the new ones. */
		scanned = lr->start + offset;
	}
	if (line->len && line->ptr[line->len - 1] == '\r')
		line->len--;
	lr->lineno++;
	return 1;
}
