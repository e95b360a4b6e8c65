#ifndef CASEPIPE_DATAFILE_H
#define CASEPIPE_DATAFILE_H

#include <stddef.h>

/*
 * Finds a data file of casepipe's (NAME under schemas/, e.g.
 * "fields.json") in, in order: $CASEPIPE_SCHEMAS; schemas/ beside the
 * binary (a build tree); ../share/casepipe/schemas beside it (an
 * installed tree); the DATADIR the binary was built for.  Writes the path
 * into BUF and returns 0, or returns -1 (BUF then names the last place
 * tried, for a message).
 */
int datafile_find(const char *name, char *buf, size_t size);

#endif
