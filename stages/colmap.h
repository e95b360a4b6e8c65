#ifndef CASEPIPE_COLMAP_H
#define CASEPIPE_COLMAP_H

#include <stdio.h>

#include "record.h"

/*
 * Column mapping: input column names to canonical field names, by the
 * aliases of a schema file (schemas/fields.json; its description says how
 * names are compared).  Lookups can be recorded for --show-mapping.
 */
struct colmap;

/* Loads the schema at PATH; NULL with a message in ERR (file, and
 * line:column for a JSON error) on failure, errno then ENOMEM when memory
 * ran out and EINVAL when the file is wrong. */
struct colmap *colmap_load(const char *path, char *err, size_t errlen);
void colmap_free(struct colmap *m);

/* Returns the canonical name for column NAME (a slice owned by the map),
 * or a slice with a NULL ptr when NAME has none. */
struct slice colmap_lookup(struct colmap *m, struct slice name);

/* Starts recording every distinct name looked up, for colmap_print(). */
void colmap_record_lookups(struct colmap *m);

/* Prints the recorded names and what they map to, under a TITLE line. */
void colmap_print(struct colmap *m, const char *title, FILE *fp);

#endif
