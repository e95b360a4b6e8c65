#ifndef CASEPIPE_RULES_JSON_H
#define CASEPIPE_RULES_JSON_H

/* Small helpers for reading the schema and rules files with jansson:
 * every failure writes "FILE: where: what" (or FILE:LINE:COLUMN for a
 * syntax error) into the caller's buffer and returns -1 (or NULL), with
 * errno ENOMEM when memory ran out and EINVAL when the file is wrong. */

#include <jansson.h>
#include <stddef.h>

struct json_ctx {
	const char *path;
	char *err;
	size_t errlen;
};

json_t *ctx_load(struct json_ctx *ctx);
int ctx_fail(struct json_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int ctx_check_keys(struct json_ctx *ctx, json_t *obj, const char *where,
		   const char *const *allowed);
int ctx_int(struct json_ctx *ctx, json_t *obj, const char *where,
	    const char *key, int min, int max, int *out);

#endif
