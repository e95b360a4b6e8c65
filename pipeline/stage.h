#ifndef CASEPIPE_STAGE_H
#define CASEPIPE_STAGE_H

#include <stdio.h>

#include "record.h"
#include "status.h"

/*
 * Stages pass records to the next one through a sink.  put() returns ST_OK
 * to go on, or a status that ends the run (a write failure, say).  The
 * record is lent for the duration of the call only.
 */
struct sink {
	int (*put)(struct sink *self, struct record *rec);
};

static inline int sink_put(struct sink *s, struct record *rec)
{
	return s->put(s, rec);
}

enum stage_flags {
	STAGE_SOURCE = 1, /* reads bytes (files or stdin), not records: run() */
	STAGE_OUTPUT = 2, /* writes the final output itself: no NDJSON after it */
};

/*
 * A stage is a static descriptor listed in stages/stages.c.  create() parses
 * the stage's own arguments (ARGV[0] is "casepipe: NAME", so getopt's
 * messages read right) and returns a status; ST_USAGE after a message.
 * A source's run() pushes every record into OUT; a filter's process() gets
 * one record and may pass it on.  finish() runs at end of stream with the
 * worst status so far (a stage writing a file keeps it only if that is
 * below ST_INPUT), destroy() always.  All return statuses; the run ends
 * with the worst one.
 */
struct stage {
	const char *name;
	const char *summary; /* one line for `casepipe --help` */
	const char *usage;   /* the text of `casepipe NAME --help` */
	unsigned flags;
	int (*create)(int argc, char **argv, void **state);
	int (*run)(void *state, struct sink *out);
	int (*process)(void *state, struct record *rec, struct sink *out);
	int (*finish)(void *state, struct sink *out, int status);
	void (*destroy)(void *state);
	/* Optional, for a first stage: returns 0 when, with the options it
	 * was given, it reads no records (report --merge), so that the chain
	 * does not read standard input for it. */
	int (*reads_records)(void *state);
};

/* The stage table, terminated by a NULL entry. */
extern const struct stage *const stages[];

/* Returns the stage called NAME, or NULL. */
const struct stage *stage_find(const char *name);

/* Prints "Try 'casepipe NAME --help'." and returns ST_USAGE. */
int stage_usage_error(const struct stage *stage);

#endif
