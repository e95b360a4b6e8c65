/*
 * The text report: what a person reads in a terminal or a cron mail.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

enum { CELL_MAX = 40 }; /* characters of a worklist cell shown */

/* Characters (UTF-8 code points) in S. */
static size_t width(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Writes S, cut to MAX characters (the last one an ellipsis). */
static void cell(struct outbuf *o, const char *s, size_t max, size_t pad, int right)
{
	size_t w = width(s), shown = w > max ? max : w;
	if (right)
		for (size_t i = shown; i < pad; i++)
			outbuf_putc(o, ' ');
	if (w <= max) {
		report_put(o, s);
	} else {
		size_t chars = 0, i = 0;
		for (; s[i]; i++) {
			if (((unsigned char)s[i] & 0xC0) != 0x80 && ++chars == max)
				break;
		}
		outbuf_write(o, s, i);
		report_put(o, "\xe2\x80\xa6");
	}
	if (!right)
		for (size_t i = shown; i < pad; i++)
			outbuf_putc(o, ' ');
}

/* A table: NCOL columns of cells given row by row; RIGHT marks numbers. */
static void table(struct outbuf *o, const char **cells, size_t nrows, size_t ncol,
		  const int *right, size_t max)
{
	size_t w[16] = { 0 };
	for (size_t r = 0; r < nrows; r++)
		for (size_t c = 0; c < ncol; c++) {
			size_t x = width(cells[r * ncol + c]);
			if (x > max)
				x = max;
			if (x > w[c])
				w[c] = x;
		}
	/* Trailing empty columns are not padded. */
	for (size_t r = 0; r < nrows; r++) {
		size_t last = ncol;
		while (last > 1 && !*cells[r * ncol + last - 1])
			last--;
		report_put(o, "  ");
		for (size_t c = 0; c < last; c++) {
			if (c)
				report_put(o, "  ");
			cell(o, cells[r * ncol + c], max, c + 1 == last && !right[c] ? 0 : w[c], right[c]);
		}
		outbuf_putc(o, '\n');
	}
}

static void line(struct outbuf *o, const char *label, unsigned long long n, const char *note)
{
	char buf[200];
	snprintf(buf, sizeof(buf), "%-22s %10llu", label, n);
	report_put(o, buf);
	if (note && *note) {
		report_put(o, "  ");
		report_put(o, note);
	}
	outbuf_putc(o, '\n');
}

static char *ulltoa(unsigned long long n, char *buf, size_t size)
{
	snprintf(buf, size, "%llu", n);
	return buf;
}

static void groups_section(struct outbuf *o, const struct report_agg *a)
{
	if (!a->ngroups)
		return;
	const struct report_group **g = report_agg_sorted_groups(a);
	size_t n = a->ngroups + 1;
	const char **cells = calloc(n * 4, sizeof(*cells));
	char (*num)[24] = calloc(n, sizeof(*num));
	static const int right[] = { 0, 1, 0, 0 };
	if (!g || !cells || !num) {
		outbuf_nomem(o);
	} else {
		cells[0] = "severity", cells[1] = "count", cells[2] = "field", cells[3] = "code";
		for (size_t i = 0; i < a->ngroups; i++) {
			cells[(i + 1) * 4 + 0] = severity_name(g[i]->sev);
			cells[(i + 1) * 4 + 1] = ulltoa(g[i]->count, num[i], sizeof(num[i]));
			cells[(i + 1) * 4 + 2] = *g[i]->field ? g[i]->field : "-";
			cells[(i + 1) * 4 + 3] = g[i]->code;
		}
		report_put(o, "\nIssues by field and code\n");
		table(o, cells, n, 4, right, 64);
	}
	free(cells);
	free(num);
	free(g);
}

static void files_section(struct outbuf *o, const struct report_agg *a)
{
	if (a->nfiles < 2)
		return;
	size_t n = a->nfiles + 1;
	const char **cells = calloc(n * 6, sizeof(*cells));
	char (*num)[5][24] = calloc(n, sizeof(*num));
	static const int right[] = { 0, 1, 1, 1, 1, 1 };
	if (!cells || !num) {
		outbuf_nomem(o);
	} else {
		const char *head[] = { "file", "records", "rejected", "errors", "warnings", "issues" };
		memcpy(cells, head, sizeof(head));
		for (size_t i = 0; i < a->nfiles; i++) {
			const struct report_file *f = &a->files[i];
			const char **c = &cells[(i + 1) * 6];
			c[0] = *f->name ? f->name : "-";
			c[1] = ulltoa(f->records, num[i][0], 24);
			c[2] = ulltoa(report_file_rejected(f), num[i][1], 24);
			c[3] = ulltoa(f->with_errors, num[i][2], 24);
			c[4] = ulltoa(f->with_warnings, num[i][3], 24);
			c[5] = ulltoa(f->issues, num[i][4], 24);
		}
		report_put(o, "\nBy input file (errors and warnings count records)\n");
		table(o, cells, n, 6, right, 64);
	}
	free(cells);
	free(num);
}

static void worklist_section(struct outbuf *o, const struct report_agg *a)
{
	unsigned long long total = a->issues[0] + a->issues[1] + a->issues[2];
	size_t max = a->worklist_limit;
	if (!total)
		return;
	const struct report_row **rows = malloc((max + 1) * sizeof(*rows));
	size_t n = rows ? report_agg_worklist(a, rows, max) : 0;
	const char **cells = rows ? calloc((n + 1) * 8, sizeof(*cells)) : NULL;
	char (*loc)[600] = rows ? calloc(n + 1, sizeof(*loc)) : NULL;
	static const int right[] = { 0, 0, 0, 0, 0, 0, 0, 0 };
	char buf[200];
	if (!cells || !loc) {
		outbuf_nomem(o);
	} else {
		snprintf(buf, sizeof(buf), "\nWorklist: %zu of %llu issues, errors first%s\n", n, total,
			 a->show_values ? "" : " (A-Numbers and account numbers masked)");
		report_put(o, buf);
		const char *head[] = { "locator", "severity", "case_id", "field", "code", "value",
				       "suggestion", "message" };
		memcpy(cells, head, sizeof(head));
		for (size_t i = 0; i < n; i++) {
			const struct report_row *r = rows[i];
			const char **c = &cells[(i + 1) * 8];
			report_locator(loc[i], sizeof(loc[i]), r->file, r->line, r->record);
			c[0] = loc[i];
			c[1] = severity_name(r->sev);
			c[2] = *r->case_id ? r->case_id : "-";
			c[3] = *r->field ? r->field : "-";
			c[4] = r->code;
			c[5] = r->value;
			c[6] = r->suggestion;
			c[7] = r->message;
		}
		table(o, cells, n + 1, 8, right, CELL_MAX);
		if (total > n) {
			snprintf(buf, sizeof(buf), "  ... and %llu more (see --worklist, or the CSV)\n",
				 total - n);
			report_put(o, buf);
		}
	}
	free(cells);
	free(loc);
	free(rows);
}

static void baseline_section(struct outbuf *o, const struct report_baseline *b)
{
	char buf[600];
	static const int right[] = { 0, 0, 0, 0, 0 };
	if (!b || !b->loaded)
		return;
	snprintf(buf, sizeof(buf), "\nSince %s: %llu new, %llu fixed, %llu unchanged%s\n", b->path,
		 b->new_count, b->fixed_count, b->unchanged_count,
		 b->incomplete ? " (incomplete: a key list was capped by --max-keys)" : "");
	report_put(o, buf);
	const struct report_keys *lists[2] = { &b->new_keys, &b->fixed_keys };
	const char *names[2] = { "new", "fixed" };
	size_t n = b->new_keys.n + b->fixed_keys.n, r = 0;
	const char **cells = n ? calloc(n * 5, sizeof(*cells)) : NULL;
	if (n && !cells)
		outbuf_nomem(o);
	for (int l = 0; cells && l < 2; l++)
		for (size_t i = 0; i < lists[l]->n; i++, r++) {
			const struct report_key *k = &lists[l]->v[i];
			cells[r * 5 + 0] = names[l];
			cells[r * 5 + 1] = severity_name(k->sev);
			cells[r * 5 + 2] = k->id;
			cells[r * 5 + 3] = *k->field ? k->field : "-";
			cells[r * 5 + 4] = k->code;
		}
	if (cells)
		table(o, cells, n, 5, right, 64);
	free(cells);
	for (int l = 0; l < 2; l++) {
		unsigned long long count = l ? b->fixed_count : b->new_count;
		if (count > lists[l]->n) {
			snprintf(buf, sizeof(buf), "  ... and %llu more %s (see the JSON report)\n",
				 count - lists[l]->n, names[l]);
			report_put(o, buf);
		}
	}
}

void report_write_text(struct outbuf *o, const struct report_view *v)
{
	const struct report_agg *a = v->agg;
	unsigned long long rejected = report_agg_rejected(a);
	char note[200];

	report_put(o, "casepipe report\n\n");
	line(o, "records in", a->records + rejected, "");
	line(o, "  read by the report", a->records, "");
	line(o, "  rejected upstream", rejected,
	     rejected ? "(gaps in _source.record numbering)" : "");
	line(o, "records with errors", a->with_errors, "");
	line(o, "records with warnings", a->with_warnings, "(and no error)");
	snprintf(note, sizeof(note), "(%llu error, %llu warning, %llu info)", a->issues[SEV_ERROR],
		 a->issues[SEV_WARNING], a->issues[SEV_INFO]);
	line(o, "issues", a->issues[0] + a->issues[1] + a->issues[2], note);
	groups_section(o, a);
	files_section(o, a);
	worklist_section(o, a);
	baseline_section(o, v->baseline);
	outbuf_putc(o, '\n');
	if (v->verdict->failed) {
		report_put(o, "result: FAIL: ");
		report_put(o, v->verdict->reason);
	} else if (v->verdict->fail_on < 0) {
		report_put(o, "result: not judged (--fail-on never)");
	} else {
		report_put(o, "result: pass");
	}
	outbuf_putc(o, '\n');
}
