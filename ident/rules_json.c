#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "json_file.h"
#include "rules_json.h"

json_t *ctx_load(struct json_ctx *ctx)
{
	json_error_t error;
	int out_of_memory;
	json_t *root = json_file_load(ctx->path, JSON_REJECT_DUPLICATES, &error, &out_of_memory);

	if (!root) {
		if (out_of_memory)
			snprintf(ctx->err, ctx->errlen, "%s: out of memory", ctx->path);
		else if (error.line > 0)
			snprintf(ctx->err, ctx->errlen, "%s:%d:%d: %s", ctx->path,
				 error.line, error.column, error.text);
		else
			snprintf(ctx->err, ctx->errlen, "%s: %s", ctx->path, error.text);
		errno = out_of_memory ? ENOMEM : EINVAL;
		return NULL;
	}
	if (!json_is_object(root)) {
		ctx_fail(ctx, "expected a JSON object at the top level");
		json_decref(root);
		return NULL;
	}
	return root;
}

int ctx_fail(struct json_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(ctx->err, ctx->errlen, "%s: ", ctx->path);

	if (n >= 0 && (size_t)n < ctx->errlen) {
		va_start(ap, fmt);
		vsnprintf(ctx->err + n, ctx->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	errno = EINVAL;
	return -1;
}

static int allowed_key(const char *key, const char *const *allowed)
{
	for (; *allowed; allowed++)
		if (strcmp(key, *allowed) == 0)
			return 1;
	return 0;
}

int ctx_check_keys(struct json_ctx *ctx, json_t *obj, const char *where,
		   const char *const *allowed)
{
	const char *key;
	json_t *value;

	if (!json_is_object(obj))
		return ctx_fail(ctx, "%s: expected an object", *where ? where : "top level");
	json_object_foreach(obj, key, value) {
		if (!allowed_key(key, allowed))
			return ctx_fail(ctx, "%s%s%s: unknown key", where, *where ? "." : "", key);
	}
	return 0;
}

int ctx_int(struct json_ctx *ctx, json_t *obj, const char *where,
	    const char *key, int min, int max, int *out)
{
	json_t *value = json_object_get(obj, key);
	json_int_t n;

	if (!json_is_integer(value))
		return ctx_fail(ctx, "%s.%s: expected an integer", where, key);
	n = json_integer_value(value);
	if (n < min || n > max)
		return ctx_fail(ctx, "%s.%s: %lld is outside %d..%d", where, key,
				(long long)n, min, max);
	*out = (int)n;
	return 0;
}
