/*
 * The JSON report (schemas/report.schema.json).  Everything but "run"
 * depends on the records alone, so the report of shards merged with
 * --merge equals the report of one run over all of them, byte for byte
 * once "run" is left out.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "wire.h"

static void str(struct outbuf *o, const char *s)
{
	json_write_string(o, slice_of(s));
}

static void key(struct outbuf *o, const char *k)
{
	str(o, k);
	outbuf_putc(o, ':');
}

static void num_member(struct outbuf *o, const char *k, unsigned long long n, int comma)
{
	key(o, k);
	report_putull(o, n);
	if (comma)
		outbuf_putc(o, ',');
}

static void str_member(struct outbuf *o, const char *k, const char *v, int comma)
{
	key(o, k);
	str(o, v);
	if (comma)
		outbuf_putc(o, ',');
}

static void write_key(struct outbuf *o, const struct report_key *k)
{
	outbuf_putc(o, '[');
	str(o, k->id);
	outbuf_putc(o, ',');
	str(o, k->field);
	outbuf_putc(o, ',');
	str(o, k->code);
	outbuf_putc(o, ',');
	str(o, severity_name(k->sev));
	outbuf_putc(o, ']');
}

static void write_keys(struct outbuf *o, const struct report_keys *k)
{
	outbuf_putc(o, '[');
	for (size_t i = 0; i < k->n; i++) {
		report_put(o, i ? ",\n    " : "\n    ");
		write_key(o, &k->v[i]);
	}
	report_put(o, k->n ? "\n  ]" : "]");
}

static void write_row(struct outbuf *o, const struct report_row *r)
{
	char loc[600];
	report_locator(loc, sizeof(loc), r->file, r->line, r->record);
	outbuf_putc(o, '{');
	str_member(o, "locator", loc, 1);
	str_member(o, "file", r->file, 1);
	num_member(o, "line", r->line, 1);
	num_member(o, "record", r->record, 1);
	str_member(o, "case_id", r->case_id, 1);
	str_member(o, "field", r->field, 1);
	str_member(o, "code", r->code, 1);
	str_member(o, "severity", severity_name(r->sev), 1);
	str_member(o, "value", r->value, 1);
	str_member(o, "suggestion", r->suggestion, 1);
	str_member(o, "message", r->message, 1);
	str_member(o, "related", r->related, 0);
	outbuf_putc(o, '}');
}

void report_write_json(struct outbuf *o, const struct report_view *v)
{
	const struct report_agg *a = v->agg;
	const struct report_verdict *vd = v->verdict;
	unsigned long long total = a->issues[0] + a->issues[1] + a->issues[2];
	unsigned long long rejected = report_agg_rejected(a);

	report_put(o, "{\n  ");
	num_member(o, "casepipe_report", REPORT_FORMAT_VERSION, 1);

	report_put(o, "\n  \"run\":{");
	str_member(o, "generated", a->generated, 1);
	key(o, "merged_from");
	outbuf_putc(o, '[');
	for (size_t i = 0; i < a->nmerged; i++) {
		if (i)
			outbuf_putc(o, ',');
		str(o, a->merged[i]);
	}
	report_put(o, "]},");

	report_put(o, "\n  \"options\":{");
	num_member(o, "worklist_limit", a->worklist_limit, 1);
	num_member(o, "key_limit", a->key_limit, 1);
	key(o, "values_shown");
	report_put(o, a->show_values ? "true," : "false,");
	str_member(o, "id_field", a->id_field, 0);
	report_put(o, "},");

	report_put(o, "\n  \"totals\":{");
	num_member(o, "records_in", a->records + rejected, 1);
	num_member(o, "records", a->records, 1);
	num_member(o, "rejected", rejected, 1);
	num_member(o, "records_with_issues", a->with_issues, 1);
	num_member(o, "records_with_errors", a->with_errors, 1);
	num_member(o, "records_with_warnings", a->with_warnings, 1);
	num_member(o, "issues", total, 1);
	num_member(o, "errors", a->issues[SEV_ERROR], 1);
	num_member(o, "warnings", a->issues[SEV_WARNING], 1);
	num_member(o, "infos", a->issues[SEV_INFO], 0);
	report_put(o, "},");

	report_put(o, "\n  \"by_code\":[");
	const struct report_group **g = report_agg_sorted_groups(a);
	if (!g)
		outbuf_nomem(o);
	for (size_t i = 0; g && i < a->ngroups; i++) {
		report_put(o, i ? ",\n    {" : "\n    {");
		str_member(o, "field", g[i]->field, 1);
		str_member(o, "code", g[i]->code, 1);
		str_member(o, "severity", severity_name(g[i]->sev), 1);
		num_member(o, "count", g[i]->count, 0);
		outbuf_putc(o, '}');
	}
	free(g);
	report_put(o, a->ngroups ? "\n  ]," : "],");

	report_put(o, "\n  \"files\":[");
	for (size_t i = 0; i < a->nfiles; i++) {
		const struct report_file *f = &a->files[i];
		report_put(o, i ? ",\n    {" : "\n    {");
		str_member(o, "file", f->name, 1);
		num_member(o, "records", f->records, 1);
		num_member(o, "last_record", f->last_record, 1);
		num_member(o, "rejected", report_file_rejected(f), 1);
		num_member(o, "records_with_errors", f->with_errors, 1);
		num_member(o, "records_with_warnings", f->with_warnings, 1);
		num_member(o, "issues", f->issues, f->other);
		if (f->other)
			report_put(o, "\"other\":true");
		outbuf_putc(o, '}');
	}
	report_put(o, a->nfiles ? "\n  ]," : "],");

	const struct report_row **rows = malloc((a->worklist_limit + 1) * sizeof(*rows));
	if (!rows)
		outbuf_nomem(o);
	size_t n = rows ? report_agg_worklist(a, rows, a->worklist_limit) : 0;
	report_put(o, "\n  \"worklist\":{");
	num_member(o, "total", total, 1);
	num_member(o, "shown", n, 1);
	num_member(o, "omitted", total - n, 1);
	report_put(o, "\"rows\":[");
	for (size_t i = 0; i < n; i++) {
		report_put(o, i ? ",\n    " : "\n    ");
		write_row(o, rows[i]);
	}
	free(rows);
	report_put(o, n ? "\n  ]}," : "]},");

	report_put(o, "\n  \"keys\":{");
	num_member(o, "total", a->keys.total, 1);
	num_member(o, "kept", a->keys.n, 1);
	key(o, "complete");
	report_put(o, a->keys.n == a->keys.total && !a->keys.incomplete ? "true," : "false,");
	report_put(o, "\"items\":");
	write_keys(o, &a->keys);
	report_put(o, "},");

	const struct report_baseline *b = v->baseline;
	if (b && b->loaded) {
		report_put(o, "\n  \"baseline\":{");
		str_member(o, "file", b->path, 1);
		num_member(o, "new", b->new_count, 1);
		num_member(o, "fixed", b->fixed_count, 1);
		num_member(o, "unchanged", b->unchanged_count, 1);
		key(o, "complete");
		report_put(o, b->incomplete ? "false," : "true,");
		report_put(o, "\"new_keys\":");
		write_keys(o, &b->new_keys);
		report_put(o, ",\"fixed_keys\":");
		write_keys(o, &b->fixed_keys);
		report_put(o, "},");
	}

	report_put(o, "\n  \"verdict\":{");
	str_member(o, "fail_on", vd->fail_on < 0 ? "never" : severity_name((enum severity)vd->fail_on), 1);
	key(o, "max_error_rate");
	if (vd->rate_set)
		str(o, vd->rate_text);
	else
		report_put(o, "null");
	outbuf_putc(o, ',');
	num_member(o, "records_failing", vd->bad, 1);
	key(o, "failed");
	report_put(o, vd->failed ? "true," : "false,");
	str_member(o, "reason", vd->reason, 0);
	report_put(o, "}\n}\n");
}
