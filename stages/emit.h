#ifndef CASEPIPE_EMIT_H
#define CASEPIPE_EMIT_H

#include "output.h"
#include "stage.h"
#include "strmap.h"

/*
 * Writers for the emit stage.  A writer gets every record in turn and may
 * refuse one (it is then counted as rejected, with the reason in *WHY).
 */
struct emit_options {
	const char *format;
	int meta;          /* CSV/TSV: add _source, _raw and _issues columns */
	char delimiter;    /* CSV */
};

/* The header of a delimited output: the first record's keys. */
struct emit_header {
	struct slice *names;
	size_t n;
	struct strmap index;     /* name -> column */
	struct slice *row;       /* values by column, for records out of order */
};

struct emit_writer {
	struct outbuf *out;
	const struct emit_options *opt;
	struct emit_header header;
	int have_header;
	struct outbuf scratch;   /* in memory: the meta columns' JSON text */
	char why[200];
};

/* Writes REC as CSV or TSV; returns 0, or -1 with w->why set when the record
 * cannot be written under the header, or -2 when memory runs out. */
int emit_delimited(struct emit_writer *w, const struct record *rec);

void emit_writer_release(struct emit_writer *w);

#endif
