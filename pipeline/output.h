#ifndef CASEPIPE_OUTPUT_H
#define CASEPIPE_OUTPUT_H

#include "outbuf.h"

/*
 * Where a stage writes its output: stdout, or a file named with -o that is
 * written to a temporary file in the same folder and renamed over the name
 * only when everything was written, so a failed run leaves no half file.
 */
struct output {
	struct outbuf buf;
	char *path;     /* NULL for stdout */
	char *tmp_path; /* the temporary file being written */
};

/* Opens PATH ("-" or NULL: stdout) for STAGE; ST_OK or ST_SYSTEM. */
int output_open(struct output *o, const char *path, const char *stage);

/* Flushes and, for a file, renames it into place; ST_OK or ST_SYSTEM. */
int output_commit(struct output *o);

/* Drops a file that was not committed; harmless after output_commit(). */
void output_abort(struct output *o);

#endif
