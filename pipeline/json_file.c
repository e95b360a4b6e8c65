#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "json_file.h"

static int alloc_failed;

/* jansson's allocator: malloc, noting any failure. */
static void *watched_malloc(size_t n)
{
	void *p = malloc(n);

	if (!p)
		alloc_failed = 1;
	return p;
}

json_t *json_file_load(const char *path, size_t flags, json_error_t *err, int *out_of_memory)
{
	static int installed;
	json_t *root;

	if (!installed) {
		json_set_alloc_funcs(watched_malloc, free);
		installed = 1;
	}
	alloc_failed = 0;
	errno = 0;
	root = json_load_file(path, flags, err);
	*out_of_memory = 0;
	if (alloc_failed ||
	    (!root && (json_error_code(err) == json_error_out_of_memory ||
		       (json_error_code(err) == json_error_cannot_open_file && errno == ENOMEM)))) {
		/* jansson 2.14's lexer drops a byte of a string or key when
		 * its buffer cannot grow, and still succeeds: a tree loaded
		 * while any allocation failed cannot be trusted. */
		json_decref(root);
		root = NULL;
		*out_of_memory = 1;
		snprintf(err->text, sizeof(err->text), "out of memory");
	}
	return root;
}
