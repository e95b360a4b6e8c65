#ifndef CASEPIPE_JSON_FILE_H
#define CASEPIPE_JSON_FILE_H

#include <jansson.h>

/*
 * Loading a JSON file (schema, rules, profile, earlier report) with
 * jansson, telling "out of memory" apart from a bad file.  jansson 2.14
 * often reports a failed allocation as a syntax error or as an error with
 * no text, and its lexer can even drop a byte of a string and succeed, so
 * the allocations it makes during the load are watched (json_set_alloc_funcs,
 * installed on first use; casepipe is single threaded) and a load during
 * which one failed counts as out of memory.
 */

/* Like json_load_file(PATH, FLAGS, ERR).  On failure returns NULL and sets
 * *OUT_OF_MEMORY to 1 when any allocation failed during the load, or the
 * file could not be opened for lack of memory (ERR's text is then "out of
 * memory"), else to 0. */
json_t *json_file_load(const char *path, size_t flags, json_error_t *err, int *out_of_memory);

#endif
