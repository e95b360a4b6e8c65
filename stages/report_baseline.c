/*
 * report --baseline: compares today's issue keys (record identity, field,
 * code) with those of an earlier JSON report.  Memory: the baseline's keys
 * (about 100 bytes each with the index), freed at the end of the run.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "diag.h"
#include "report.h"
#include "status.h"

#define NEW_MARK UINT64_MAX

static int sev_parse_ok(json_t *v, enum severity *sev)
{
	const char *s = json_string_value(v);
	return s && severity_parse(s, sev) == 0 ? 0 : -1;
}

/* "id\x1f field\x1f code" in a malloc'd buffer. */
static struct slice join(const char *id, const char *f, const char *c)
{
	size_t a = strlen(id), b = strlen(f), d = strlen(c);
	char *p = malloc(a + b + d + 2);
	if (!p)
		return SLICE_NULL;
	memcpy(p, id, a);
	p[a] = '\x1f';
	memcpy(p + a + 1, f, b);
	p[a + 1 + b] = '\x1f';
	memcpy(p + a + b + 2, c, d);
	return (struct slice){ p, a + b + d + 2 };
}

static int push(struct report_keys *k, const struct report_key *key)
{
	if (k->n == k->cap) {
		size_t ncap = k->cap ? k->cap * 2 : 64;
		struct report_key *v = realloc(k->v, ncap * sizeof(*v));
		if (!v)
			return -1;
		k->v = v;
		k->cap = ncap;
	}
	k->v[k->n++] = *key;
	return 0;
}

int report_baseline_load(struct report_baseline *b, const char *path)
{
	struct stat sb;
	int st;
	size_t i;
	json_t *e;

	memset(b, 0, sizeof(*b));
	b->path = path;
	strmap_init(&b->index);
	if (stat(path, &sb) != 0 && errno == ENOENT) {
		diag(ST_OK, "report", "%s: no baseline yet (the file does not exist); nothing compared", path);
		return ST_OK;
	}
	json_t *root = report_load_json(path, &st);
	if (!root)
		return st;
	json_t *keys = json_object_get(root, "keys");
	b->incomplete = !json_is_true(json_object_get(keys, "complete"));
	json_array_foreach(json_object_get(keys, "items"), i, e) {
		const char *id = json_string_value(json_array_get(e, 0));
		const char *f = json_string_value(json_array_get(e, 1));
		const char *c = json_string_value(json_array_get(e, 2));
		struct report_key k;
		int added;
		if (!id || !f || !c || sev_parse_ok(json_array_get(e, 3), &k.sev) < 0) {
			json_decref(root);
			return diag(ST_INPUT, "report", "%s: malformed report: keys item %zu", path, i);
		}
		struct slice s = join(id, f, c);
		struct strmap_entry *en = s.ptr ? strmap_add(&b->index, s, b->keys.n, &added) : NULL;
		free((void *)s.ptr);
		if (!en)
			goto nomem;
		if (!added)
			continue;
		k.id = report_strbuf_add(&b->strings, id, strlen(id));
		k.field = report_strbuf_add(&b->strings, f, strlen(f));
		k.code = report_strbuf_add(&b->strings, c, strlen(c));
		if (!k.id || !k.field || !k.code || push(&b->keys, &k) < 0)
			goto nomem;
	}
	json_decref(root);
	b->seen = calloc(b->keys.n + 1, 1);
	if (!b->seen)
		return diag_nomem("report");
	b->loaded = 1;
	return ST_OK;
nomem:
	json_decref(root);
	return diag_nomem("report");
}

int report_baseline_compare(struct report_baseline *b, const struct report_agg *a)
{
	if (!b->loaded)
		return ST_OK;
	if (a->keys.n < a->keys.total || a->keys.incomplete)
		b->incomplete = 1;
	for (size_t i = 0; i < a->keys.n; i++) {
		const struct report_key *k = &a->keys.v[i];
		int added;
		struct slice s = join(k->id, k->field, k->code);
		struct strmap_entry *e = s.ptr ? strmap_add(&b->index, s, NEW_MARK, &added) : NULL;
		free((void *)s.ptr);
		if (!e)
			return diag_nomem("report");
		if (added) {
			b->new_count++;
			if (b->new_keys.n < a->worklist_limit && push(&b->new_keys, k) < 0)
				return diag_nomem("report");
		} else if (e->value != NEW_MARK && !b->seen[e->value]) {
			b->seen[e->value] = 1;
			b->unchanged_count++;
		}
	}
	for (size_t i = 0; i < b->keys.n; i++) {
		if (b->seen[i])
			continue;
		b->fixed_count++;
		if (b->fixed_keys.n < a->worklist_limit && push(&b->fixed_keys, &b->keys.v[i]) < 0)
			return diag_nomem("report");
	}
	return ST_OK;
}

void report_baseline_release(struct report_baseline *b)
{
	strmap_release(&b->index);
	free(b->seen);
	free(b->keys.v);
	free(b->new_keys.v);
	free(b->fixed_keys.v);
	report_strbuf_release(&b->strings);
	memset(b, 0, sizeof(*b));
}
