/*
 * Target layouts for emit: --profile FILE (JSON, read with jansson; the
 * format is documented in schemas/profiles/README.md) and --fields a,b,c.
 * A profile names the output columns in order, the record field behind
 * each (or a constant), a value map, raw or normalised values, a default,
 * and which columns are required.
 */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datafile.h"
#include "diag.h"
#include "json_file.h"
#include "emit.h"

static struct slice keep(struct emit_profile *p, const char *s, size_t len)
{
	char *c = arena_memdup(&p->arena, s, len);
	return c ? (struct slice){ c, len } : SLICE_NULL;
}

__attribute__((format(printf, 3, 4)))
static int bad(const struct emit_profile *p, const char *where, const char *fmt, ...)
{
	char text[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return diag(ST_USAGE, "emit", "%s: %s: %s", p->path, where, text);
}

static int grow_cols(struct emit_profile *p, size_t n)
{
	p->cols = calloc(n ? n : 1, sizeof(*p->cols));
	if (!p->cols)
		return diag_nomem("emit");
	for (size_t i = 0; i < n; i++)
		strmap_init(&p->cols[i].map);
	return ST_OK;
}

static int string_member(const struct emit_profile *p, const char *where, json_t *v, const char **out)
{
	if (!json_is_string(v))
		return bad(p, where, "must be a string");
	*out = json_string_value(v);
	return ST_OK;
}

static int bool_member(const struct emit_profile *p, const char *where, json_t *v, int *out)
{
	if (!json_is_boolean(v))
		return bad(p, where, "must be true or false");
	*out = json_is_true(v);
	return ST_OK;
}

static int values_member(const struct emit_profile *p, const char *where, json_t *v, int *raw)
{
	const char *s = NULL;
	int st = string_member(p, where, v, &s);
	if (st != ST_OK)
		return st;
	if (strcmp(s, "raw") && strcmp(s, "normalised") && strcmp(s, "normalized"))
		return bad(p, where, "must be \"normalised\" or \"raw\", not \"%s\"", s);
	*raw = s[0] == 'r';
	return ST_OK;
}

static int load_map(struct emit_profile *p, struct emit_column *c, const char *where, json_t *map)
{
	char at[200];
	const char *key;
	json_t *v;
	size_t i = 0;
	int added;

	if (!json_is_object(map))
		return bad(p, where, "must be an object of \"value\": \"replacement\"");
	c->map_to = arena_alloc(&p->arena, (json_object_size(map) + 1) * sizeof(*c->map_to));
	if (!c->map_to)
		return diag_nomem("emit");
	json_object_foreach(map, key, v) {
		snprintf(at, sizeof(at), "%s.%s", where, key);
		if (!json_is_string(v))
			return bad(p, at, "must be a string");
		c->map_to[i] = keep(p, json_string_value(v), json_string_length(v));
		if (!c->map_to[i].ptr || !strmap_add(&c->map, slice_of(key), i, &added))
			return diag_nomem("emit");
		i++;
	}
	return ST_OK;
}

static int load_column(struct emit_profile *p, struct emit_column *c, size_t index,
		       json_t *col, int raw_default)
{
	char where[64], at[160];
	const char *key, *s = NULL;
	json_t *v;
	int st = ST_OK, have_value = 0;

	snprintf(where, sizeof(where), "columns[%zu]", index);
	if (!json_is_object(col))
		return bad(p, where, "must be an object with \"name\" and \"field\" or \"value\"");
	c->raw = raw_default;
	c->unmapped = EMIT_UNMAPPED_REJECT;
	json_object_foreach(col, key, v) {
		snprintf(at, sizeof(at), "%s.%s", where, key);
		if (!strcmp(key, "name") || !strcmp(key, "field") || !strcmp(key, "value") ||
		    !strcmp(key, "default")) {
			if ((st = string_member(p, at, v, &s)) != ST_OK)
				return st;
			struct slice k = keep(p, s, json_string_length(v));
			if (!k.ptr)
				return diag_nomem("emit");
			if (key[0] == 'n')
				c->name = k;
			else if (key[0] == 'f')
				c->field = k;
			else if (key[0] == 'v')
				c->constant = k, have_value = 1;
			else
				c->fallback = k;
		} else if (!strcmp(key, "required")) {
			st = bool_member(p, at, v, &c->required);
		} else if (!strcmp(key, "text")) {
			st = bool_member(p, at, v, &c->text);
		} else if (!strcmp(key, "values")) {
			st = values_member(p, at, v, &c->raw);
		} else if (!strcmp(key, "map")) {
			st = load_map(p, c, at, v);
		} else if (!strcmp(key, "unmapped")) {
			if ((st = string_member(p, at, v, &s)) != ST_OK)
				return st;
			if (!strcmp(s, "reject"))
				c->unmapped = EMIT_UNMAPPED_REJECT;
			else if (!strcmp(s, "keep"))
				c->unmapped = EMIT_UNMAPPED_KEEP;
			else if (!strcmp(s, "empty"))
				c->unmapped = EMIT_UNMAPPED_EMPTY;
			else
				return bad(p, at, "must be \"reject\", \"keep\" or \"empty\", not \"%s\"", s);
		} else {
			return bad(p, at, "unknown member (name, field, value, default, values, map, "
				   "unmapped, required, text)");
		}
		if (st != ST_OK)
			return st;
	}
	if (have_value == (c->field.len > 0))
		return bad(p, where, "needs either \"field\" (a record field) or \"value\" (a constant)");
	if (!c->name.ptr)
		c->name = c->field;
	if (!c->name.len)
		return bad(p, where, "needs a \"name\"");
	return ST_OK;
}

static int load_columns(struct emit_profile *p, json_t *cols, int raw_default)
{
	struct strmap names;
	int added, st = ST_OK;

	if (!json_is_array(cols) || json_array_size(cols) == 0)
		return bad(p, "columns", "must be a non-empty array of column objects");
	if ((st = grow_cols(p, json_array_size(cols))) != ST_OK)
		return st;
	p->ncols = json_array_size(cols);
	strmap_init(&names);
	for (size_t i = 0; i < p->ncols && st == ST_OK; i++) {
		st = load_column(p, &p->cols[i], i, json_array_get(cols, i), raw_default);
		if (st == ST_OK && !strmap_add(&names, p->cols[i].name, i, &added))
			st = diag_nomem("emit");
		else if (st == ST_OK && !added) {
			char where[64];
			snprintf(where, sizeof(where), "columns[%zu].name", i);
			st = bad(p, where, "'%.*s' is already a column", (int)p->cols[i].name.len,
				 p->cols[i].name.ptr);
		}
	}
	strmap_release(&names);
	return st;
}

/* Finds PATH, or NAME / NAME.json under schemas/profiles/. */
static int find_profile(const char *path, char *buf, size_t size)
{
	if (access(path, R_OK) == 0 || strchr(path, '/')) {
		snprintf(buf, size, "%s", path);
		return 0;
	}
	char name[512];
	snprintf(name, sizeof(name), "profiles/%s", path);
	if (datafile_find(name, buf, size) == 0)
		return 0;
	snprintf(name, sizeof(name), "profiles/%s.json", path);
	if (datafile_find(name, buf, size) == 0)
		return 0;
	snprintf(buf, size, "%s", path);
	return -1;
}

int emit_profile_load(struct emit_profile *p, const char *arg)
{
	char path[4096];
	json_error_t jerr;
	const char *key;
	json_t *v, *cols = NULL;
	int st = ST_OK, raw_default = 0;

	memset(p, 0, sizeof(*p));
	find_profile(arg, path, sizeof(path));
	if (!(p->path = strdup(path)))
		return diag_nomem("emit");
	int out_of_memory;
	json_t *root = json_file_load(path, JSON_REJECT_DUPLICATES, &jerr, &out_of_memory);
	if (!root) {
		if (out_of_memory)
			return diag_nomem("emit");
		if (jerr.line > 0)
			return diag(ST_USAGE, "emit", "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
		if (access(path, R_OK) != 0)
			return diag(ST_USAGE, "emit", "%s: %s (a profile is a file, or a name under "
				    "schemas/profiles/)", arg, strerror(errno));
		return diag(ST_USAGE, "emit", "%s: %s", path, jerr.text);
	}
	if (!json_is_object(root)) {
		json_decref(root);
		return bad(p, "top level", "must be an object with \"columns\"");
	}
	json_object_foreach(root, key, v) {
		const char *s = NULL;
		if (!strcmp(key, "columns")) {
			cols = v;
		} else if (!strcmp(key, "values")) {
			st = values_member(p, key, v, &raw_default);
		} else if (!strcmp(key, "excel")) {
			st = bool_member(p, key, v, &p->excel);
		} else if (!strcmp(key, "format")) {
			if ((st = string_member(p, key, v, &s)) == ST_OK && !(p->format = strdup(s)))
				st = diag_nomem("emit");
		} else if (strcmp(key, "description") && strcmp(key, "name") && key[0] != '_') {
			st = bad(p, key, "unknown member (description, format, values, excel, columns)");
		}
		if (st != ST_OK)
			break;
	}
	if (st == ST_OK && !cols)
		st = bad(p, "top level", "has no \"columns\"");
	if (st == ST_OK)
		st = load_columns(p, cols, raw_default);
	json_decref(root);
	return st;
}

int emit_profile_fields(struct emit_profile *p, const char *list)
{
	size_t n = 1;
	memset(p, 0, sizeof(*p));
	for (const char *s = list; *s; s++)
		n += *s == ',';
	if (grow_cols(p, n) != ST_OK)
		return ST_SYSTEM;
	for (const char *s = list;; ) {
		const char *e = strchr(s, ',');
		size_t len = e ? (size_t)(e - s) : strlen(s);
		if (!len) {
			diag(ST_USAGE, "emit", "--fields: empty field name in '%s'", list);
			return ST_USAGE;
		}
		struct emit_column *c = &p->cols[p->ncols++];
		c->name = c->field = keep(p, s, len);
		c->unmapped = EMIT_UNMAPPED_KEEP;
		if (!c->name.ptr)
			return diag_nomem("emit");
		if (!e)
			break;
		s = e + 1;
	}
	return ST_OK;
}

void emit_profile_release(struct emit_profile *p)
{
	for (size_t i = 0; i < p->ncols; i++)
		strmap_release(&p->cols[i].map);
	free(p->cols);
	free(p->path);
	free(p->format);
	arena_release(&p->arena);
	memset(p, 0, sizeof(*p));
}

static const struct field *find_raw(const struct record *rec, struct slice name)
{
	for (size_t i = 0; i < rec->nraw; i++)
		if (slice_eq(rec->raw[i].name, name))
			return &rec->raw[i];
	return NULL;
}

static void reason(struct emit_reason *why, const char *code, const struct emit_column *c,
		   const char *text)
{
	why->code = code;
	why->field = c->field.len ? c->field : c->name;
	snprintf(why->text, sizeof(why->text), "column '%.*s' (%.*s): %s",
		 (int)(c->name.len > 60 ? 60 : c->name.len), c->name.ptr,
		 (int)(why->field.len > 60 ? 60 : why->field.len), why->field.ptr, text);
}

int emit_profile_apply(const struct emit_profile *p, const struct record *rec,
		       struct field **row, size_t *cap, struct emit_reason *why)
{
	int rejected = 0;

	if (*cap < p->ncols) {
		struct field *r = realloc(*row, p->ncols * sizeof(*r));
		if (!r)
			return -2;
		*row = r;
		*cap = p->ncols;
	}
	for (size_t i = 0; i < p->ncols; i++) {
		const struct emit_column *c = &p->cols[i];
		struct slice v = c->constant;
		if (c->field.len) {
			const struct field *f = c->raw ? find_raw(rec, c->field) : NULL;
			if (!f)
				f = record_find(rec, c->field);
			v = f ? f->value : SLICE_LIT("");
			if (!v.len && c->fallback.ptr)
				v = c->fallback;
		}
		if (c->map.count && v.len) {
			struct strmap_entry *e = strmap_get(&c->map, v);
			if (e)
				v = c->map_to[e->value];
			else if (c->unmapped == EMIT_UNMAPPED_EMPTY)
				v = SLICE_LIT("");
			else if (c->unmapped == EMIT_UNMAPPED_REJECT && !rejected++)
				reason(why, "emit.unmapped", c, "the value is not in the profile's map");
		}
		if (c->required && !v.len && !rejected++)
			reason(why, "emit.required", c, "required by the profile, but empty");
		(*row)[i] = (struct field){ c->name, v };
	}
	return rejected ? -1 : 0;
}
