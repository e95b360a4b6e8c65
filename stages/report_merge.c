/*
 * report --merge: reads JSON reports (of shards of one export) into one
 * aggregate.  Counts add up, files combine by name, worklists and keys
 * are concatenated in argument order and cut to the limits, so the result
 * equals one run over the shards in that order.
 */
#include <jansson.h>
#include <string.h>

#include "diag.h"
#include "json_file.h"
#include "report.h"
#include "status.h"

static unsigned long long num(json_t *obj, const char *name)
{
	json_t *v = json_object_get(obj, name);
	return json_is_integer(v) && json_integer_value(v) > 0 ? (unsigned long long)json_integer_value(v) : 0;
}

static const char *text(json_t *obj, const char *name)
{
	const char *s = json_string_value(json_object_get(obj, name));
	return s ? s : "";
}

static int sev_of(json_t *v, enum severity *sev)
{
	const char *s = json_string_value(v);
	return s && severity_parse(s, sev) == 0 ? 0 : -1;
}

/* Reads a JSON report file; returns the tree or NULL after a message. */
json_t *report_load_json(const char *path, int *status)
{
	json_error_t err;
	int out_of_memory;
	json_t *root = json_file_load(path, 0, &err, &out_of_memory);

	*status = ST_OK;
	if (!root) {
		if (out_of_memory)
			*status = diag_nomem("report");
		else if (err.line > 0)
			*status = diag(ST_INPUT, "report", "%s:%d:%d: %s", path, err.line, err.column, err.text);
		else
			*status = diag(ST_INPUT, "report", "%s", err.text);
		return NULL;
	}
	if (!json_is_object(root) || json_integer_value(json_object_get(root, "casepipe_report")) != REPORT_FORMAT_VERSION ||
	    !json_is_object(json_object_get(root, "totals")) || !json_is_object(json_object_get(root, "keys"))) {
		json_decref(root);
		*status = diag(ST_INPUT, "report", "%s: not a casepipe JSON report (version %d)", path,
			       REPORT_FORMAT_VERSION);
		return NULL;
	}
	return root;
}

static int bad(const char *path, const char *what)
{
	return diag(ST_INPUT, "report", "%s: malformed report: %s", path, what);
}

int report_merge_file(struct report_agg *a, const char *path)
{
	int st;
	json_t *root = report_load_json(path, &st);
	size_t i;
	json_t *e;

	if (!root)
		return st;
	json_t *opts = json_object_get(root, "options");
	json_t *tot = json_object_get(root, "totals");
	if (!json_is_true(json_object_get(opts, "values_shown")))
		a->show_values = 0;
	a->records += num(tot, "records");
	a->with_issues += num(tot, "records_with_issues");
	a->with_errors += num(tot, "records_with_errors");
	a->with_warnings += num(tot, "records_with_warnings");
	a->issues[SEV_ERROR] += num(tot, "errors");
	a->issues[SEV_WARNING] += num(tot, "warnings");
	a->issues[SEV_INFO] += num(tot, "infos");

	st = ST_OK;
	json_array_foreach(json_object_get(root, "by_code"), i, e) {
		enum severity sev;
		const char *f = text(e, "field"), *c = text(e, "code");
		if (sev_of(json_object_get(e, "severity"), &sev) < 0) {
			st = bad(path, "by_code severity");
			goto out;
		}
		if (report_agg_group(a, f, strlen(f), c, strlen(c), sev, num(e, "count")) < 0)
			goto nomem;
	}
	json_array_foreach(json_object_get(root, "files"), i, e) {
		const char *name = text(e, "file");
		struct report_file *f = report_agg_file(a, name, strlen(name));
		if (!f)
			goto nomem;
		f->records += num(e, "records");
		f->with_errors += num(e, "records_with_errors");
		f->with_warnings += num(e, "records_with_warnings");
		f->issues += num(e, "issues");
		if (num(e, "last_record") > f->last_record)
			f->last_record = num(e, "last_record");
		if (json_is_true(json_object_get(e, "other")))
			f->other = 1;
	}
	a->last_file = NULL;

	json_t *wl = json_object_get(root, "worklist");
	unsigned long long limit = num(opts, "worklist_limit");
	if (num(wl, "omitted") && limit < a->worklist_limit &&
	    (!a->row_limit_in || limit < a->row_limit_in))
		a->row_limit_in = limit ? limit : 1;
	json_array_foreach(json_object_get(wl, "rows"), i, e) {
		struct report_row r = { 0 };
		char value[512], sugg[512];
		if (sev_of(json_object_get(e, "severity"), &r.sev) < 0) {
			st = bad(path, "worklist severity");
			goto out;
		}
		r.file = text(e, "file");
		r.case_id = text(e, "case_id");
		r.field = text(e, "field");
		r.code = text(e, "code");
		r.message = text(e, "message");
		r.related = text(e, "related");
		r.line = num(e, "line");
		r.record = num(e, "record");
		/* Values shown in full by a shard are masked here unless --show-values. */
		r.value = report_shown_value(a, slice_of(r.field), slice_of(r.code),
					     slice_of(text(e, "value")), value, sizeof(value));
		r.suggestion = report_shown_value(a, slice_of(r.field), slice_of(r.code),
						  slice_of(text(e, "suggestion")), sugg, sizeof(sugg));
		if (report_agg_row(a, &r) < 0)
			goto nomem;
	}

	json_t *keys = json_object_get(root, "keys");
	size_t kept = 0;
	json_array_foreach(json_object_get(keys, "items"), i, e) {
		enum severity sev;
		if (json_array_size(e) != 4 || sev_of(json_array_get(e, 3), &sev) < 0) {
			st = bad(path, "keys item");
			goto out;
		}
		const char *id = json_string_value(json_array_get(e, 0));
		const char *f = json_string_value(json_array_get(e, 1));
		const char *c = json_string_value(json_array_get(e, 2));
		if (!id || !f || !c) {
			st = bad(path, "keys item");
			goto out;
		}
		if (report_agg_key(a, id, f, c, sev) < 0)
			goto nomem;
		kept++;
	}
	if (num(keys, "total") > kept)
		a->keys.total += num(keys, "total") - kept;
	if (!json_is_true(json_object_get(keys, "complete")))
		a->keys.incomplete = 1;
out:
	json_decref(root);
	return st;
nomem:
	json_decref(root);
	return diag_nomem("report");
}
