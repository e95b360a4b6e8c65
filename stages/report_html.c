/*
 * The HTML report: one self-contained file (inline CSS and SVG, no script,
 * no external assets) that reads on a phone as well as on a desktop.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

enum { MAX_BARS = 25 };

static const char *const sev_color[3] = { "#1565c0", "#e65100", "#c62828" };

static void esc(struct outbuf *o, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': report_put(o, "&amp;"); break;
		case '<': report_put(o, "&lt;"); break;
		case '>': report_put(o, "&gt;"); break;
		case '"': report_put(o, "&quot;"); break;
		case '\'': report_put(o, "&#39;"); break;
		default: outbuf_putc(o, *s);
		}
	}
}

static void fmt(struct outbuf *o, const char *f, ...) __attribute__((format(printf, 2, 3)));
static void fmt(struct outbuf *o, const char *f, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, f);
	int n = vsnprintf(buf, sizeof(buf), f, ap);
	va_end(ap);
	if (n > 0)
		outbuf_write(o, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static const char style[] =
	"<style>\n"
	"body{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif;margin:0;"
	"padding:1rem;color:#1b1b1b;background:#fafafa;line-height:1.4}\n"
	"main{max-width:70rem;margin:0 auto}\n"
	"h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:1.6rem 0 .6rem}\n"
	".cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(9rem,1fr));gap:.6rem}\n"
	".card{background:#fff;border:1px solid #ddd;border-radius:.4rem;padding:.6rem .8rem}\n"
	".card b{display:block;font-size:1.5rem}.card span{color:#555;font-size:.85rem}\n"
	".verdict{padding:.6rem .8rem;border-radius:.4rem;font-weight:600;margin:1rem 0}\n"
	".fail{background:#fdecea;color:#8e1b1b}.pass{background:#e8f5e9;color:#1b5e20}"
	".none{background:#eee}\n"
	"svg{width:100%;height:auto;background:#fff;border:1px solid #ddd;border-radius:.4rem}\n"
	"table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}\n"
	"th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top;"
	"overflow-wrap:anywhere}\n"
	"th{background:#f0f0f0;overflow-wrap:normal}td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	".sev-error{color:#c62828;font-weight:600}.sev-warning{color:#e65100;font-weight:600}"
	".sev-info{color:#1565c0}\n"
	"code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem}\n"
	"footer{color:#666;font-size:.8rem;margin-top:2rem}\n"
	"@media (max-width:40rem){body{padding:.5rem}\n"
	" table.work thead{display:none}\n"
	" table.work,table.work tbody,table.work tr,table.work td{display:block;width:auto}\n"
	" table.work tr{border:1px solid #ccc;border-radius:.4rem;margin:0 0 .6rem;background:#fff}\n"
	" table.work td{border:0;border-bottom:1px solid #eee}\n"
	" table.work td::before{content:attr(data-label);display:inline-block;min-width:6.5rem;"
	"color:#666;font-size:.8rem}}\n"
	"</style>\n";

static void card(struct outbuf *o, unsigned long long n, const char *label)
{
	fmt(o, "<div class=\"card\"><b>%llu</b><span>%s</span></div>\n", n, label);
}

/* Issues by code (summed over fields), worst severity first. */
struct bar {
	const char *code;
	enum severity sev;
	unsigned long long count;
};

static void chart(struct outbuf *o, const struct report_agg *a)
{
	const struct report_group **g = report_agg_sorted_groups(a);
	struct bar *bars = calloc(a->ngroups + 1, sizeof(*bars));
	size_t nb = 0;
	if (!g || !bars)
		outbuf_nomem(o);
	if (!g || !bars || !a->ngroups)
		goto out;
	for (size_t i = 0; i < a->ngroups; i++) {
		size_t j = 0;
		while (j < nb && !(bars[j].sev == g[i]->sev && strcmp(bars[j].code, g[i]->code) == 0))
			j++;
		if (j == nb)
			bars[nb++] = (struct bar){ g[i]->code, g[i]->sev, 0 };
		bars[j].count += g[i]->count;
	}
	unsigned long long rest = 0, max = 1;
	for (size_t i = MAX_BARS; i < nb; i++)
		rest += bars[i].count;
	if (nb > MAX_BARS)
		nb = MAX_BARS;
	for (size_t i = 0; i < nb; i++)
		if (bars[i].count > max)
			max = bars[i].count;
	const int row = 24, label_w = 210, bar_w = 230;
	int h = (int)nb * row + (rest ? row : 0) + 8;
	report_put(o, "<h2>Issues by code</h2>\n");
	fmt(o, "<svg viewBox=\"0 0 520 %d\" role=\"img\" aria-labelledby=\"chart-title\" "
	       "xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\" font-size=\"12\">\n"
	       "<title id=\"chart-title\">Issues by code, coloured by severity</title>\n", h);
	for (size_t i = 0; i < nb; i++) {
		int y = 4 + (int)i * row;
		int w = (int)((double)bars[i].count / (double)max * bar_w);
		if (w < 2)
			w = 2;
		fmt(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", label_w - 6, y + 15);
		esc(o, bars[i].code);
		fmt(o, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\">"
		       "<title>%s: %llu</title></rect><text x=\"%d\" y=\"%d\">%llu</text>\n",
		    label_w, y + 3, w, row - 8, sev_color[bars[i].sev], severity_name(bars[i].sev),
		    bars[i].count, label_w + w + 4, y + 15, bars[i].count);
	}
	if (rest)
		fmt(o, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">other codes</text>"
		       "<text x=\"%d\" y=\"%d\">%llu</text>\n",
		    label_w - 6, 4 + (int)nb * row + 15, label_w, 4 + (int)nb * row + 15, rest);
	report_put(o, "</svg>\n");
	report_put(o, "<p><span class=\"sev-error\">&#9632; error</span> &nbsp; "
		      "<span class=\"sev-warning\">&#9632; warning</span> &nbsp; "
		      "<span class=\"sev-info\">&#9632; info</span></p>\n");
out:
	free(bars);
	free(g);
}

static void groups_table(struct outbuf *o, const struct report_agg *a)
{
	if (!a->ngroups)
		return;
	const struct report_group **g = report_agg_sorted_groups(a);
	if (!g) {
		outbuf_nomem(o);
		return;
	}
	report_put(o, "<h2>Counts by field and code</h2>\n<table><thead><tr><th>severity</th>"
		      "<th>count</th><th>field</th><th>code</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < a->ngroups; i++) {
		fmt(o, "<tr><td class=\"sev-%s\">%s</td><td class=\"n\">%llu</td><td>",
		    severity_name(g[i]->sev), severity_name(g[i]->sev), g[i]->count);
		esc(o, *g[i]->field ? g[i]->field : "-");
		report_put(o, "</td><td><code>");
		esc(o, g[i]->code);
		report_put(o, "</code></td></tr>\n");
	}
	report_put(o, "</tbody></table>\n");
	free(g);
}

static void files_table(struct outbuf *o, const struct report_agg *a)
{
	if (a->nfiles < 2)
		return;
	report_put(o, "<h2>By input file</h2>\n<table><thead><tr><th>file</th><th>records</th>"
		      "<th>rejected</th><th>with errors</th><th>with warnings</th><th>issues</th>"
		      "</tr></thead><tbody>\n");
	for (size_t i = 0; i < a->nfiles; i++) {
		const struct report_file *f = &a->files[i];
		report_put(o, "<tr><td>");
		esc(o, *f->name ? f->name : "-");
		fmt(o, "</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td><td class=\"n\">%llu</td>"
		       "<td class=\"n\">%llu</td><td class=\"n\">%llu</td></tr>\n",
		    f->records, report_file_rejected(f), f->with_errors, f->with_warnings, f->issues);
	}
	report_put(o, "</tbody></table>\n");
}

static void td(struct outbuf *o, const char *label, const char *s, int as_code)
{
	fmt(o, "<td data-label=\"%s\">%s", label, as_code ? "<code>" : "");
	esc(o, s);
	report_put(o, as_code ? "</code></td>" : "</td>");
}

static void worklist(struct outbuf *o, const struct report_agg *a)
{
	unsigned long long total = a->issues[0] + a->issues[1] + a->issues[2];
	const struct report_row **rows;
	char loc[600];
	if (!total)
		return;
	rows = malloc((a->worklist_limit + 1) * sizeof(*rows));
	if (!rows) {
		outbuf_nomem(o);
		return;
	}
	size_t n = report_agg_worklist(a, rows, a->worklist_limit);
	fmt(o, "<h2>Worklist</h2>\n<p>%zu of %llu issues, errors first%s.</p>\n", n, total,
	    a->show_values ? "" : "; A-Numbers and account numbers are masked");
	report_put(o, "<table class=\"work\"><thead><tr><th>locator</th><th>severity</th>"
		      "<th>case</th><th>field</th><th>code</th><th>value</th><th>suggestion</th>"
		      "<th>message</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const struct report_row *r = rows[i];
		report_locator(loc, sizeof(loc), r->file, r->line, r->record);
		report_put(o, "<tr>");
		td(o, "locator", loc, 0);
		fmt(o, "<td data-label=\"severity\" class=\"sev-%s\">%s</td>", severity_name(r->sev),
		    severity_name(r->sev));
		td(o, "case", *r->case_id ? r->case_id : "-", 0);
		td(o, "field", *r->field ? r->field : "-", 0);
		td(o, "code", r->code, 1);
		td(o, "value", r->value, 1);
		td(o, "suggestion", r->suggestion, 1);
		td(o, "message", r->message, 0);
		report_put(o, "</tr>\n");
	}
	report_put(o, "</tbody></table>\n");
	if (total > n)
		fmt(o, "<p>&hellip; and %llu more issues (raise <code>--worklist</code>).</p>\n",
		    total - n);
	free(rows);
}

static void baseline(struct outbuf *o, const struct report_baseline *b)
{
	if (!b || !b->loaded)
		return;
	report_put(o, "<h2>Since ");
	esc(o, b->path);
	fmt(o, "</h2>\n<div class=\"cards\">");
	card(o, b->new_count, "new issues");
	card(o, b->fixed_count, "fixed");
	card(o, b->unchanged_count, "unchanged");
	report_put(o, "</div>\n");
	if (b->incomplete)
		report_put(o, "<p>Incomplete: a key list was capped by <code>--max-keys</code>.</p>\n");
	const struct report_keys *lists[2] = { &b->new_keys, &b->fixed_keys };
	const char *names[2] = { "new", "fixed" };
	if (!b->new_keys.n && !b->fixed_keys.n)
		return;
	report_put(o, "<table class=\"work\"><thead><tr><th>change</th><th>severity</th>"
		      "<th>record</th><th>field</th><th>code</th></tr></thead><tbody>\n");
	for (int l = 0; l < 2; l++)
		for (size_t i = 0; i < lists[l]->n; i++) {
			const struct report_key *k = &lists[l]->v[i];
			report_put(o, "<tr>");
			td(o, "change", names[l], 0);
			fmt(o, "<td data-label=\"severity\" class=\"sev-%s\">%s</td>",
			    severity_name(k->sev), severity_name(k->sev));
			td(o, "record", k->id, 0);
			td(o, "field", *k->field ? k->field : "-", 0);
			td(o, "code", k->code, 1);
			report_put(o, "</tr>\n");
		}
	report_put(o, "</tbody></table>\n");
}

void report_write_html(struct outbuf *o, const struct report_view *v)
{
	const struct report_agg *a = v->agg;
	const struct report_verdict *vd = v->verdict;
	unsigned long long rejected = report_agg_rejected(a);

	report_put(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<title>casepipe data-quality report</title>\n");
	report_put(o, style);
	report_put(o, "</head>\n<body>\n<main>\n<h1>Data-quality report</h1>\n");
	if (vd->failed) {
		report_put(o, "<p class=\"verdict fail\">FAIL: ");
		esc(o, vd->reason);
		report_put(o, "</p>\n");
	} else if (vd->fail_on < 0) {
		report_put(o, "<p class=\"verdict none\">Not judged (--fail-on never)</p>\n");
	} else {
		report_put(o, "<p class=\"verdict pass\">Pass</p>\n");
	}
	report_put(o, "<div class=\"cards\">\n");
	card(o, a->records + rejected, "records in");
	card(o, rejected, "rejected upstream");
	card(o, a->with_errors, "records with errors");
	card(o, a->with_warnings, "records with warnings");
	card(o, a->issues[0] + a->issues[1] + a->issues[2], "issues");
	report_put(o, "</div>\n");
	chart(o, a);
	baseline(o, v->baseline);
	groups_table(o, a);
	files_table(o, a);
	worklist(o, a);
	report_put(o, "<footer>casepipe report");
	if (*a->generated) {
		report_put(o, ", generated ");
		esc(o, a->generated);
	}
	report_put(o, "</footer>\n</main>\n</body>\n</html>\n");
}
