/*
 * The CSV worklist: one row per issue, errors first, then warnings, then
 * infos, each in record order (RFC 4180, CRLF-free, UTF-8).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* Writes S as a CSV cell.  A cell that a spreadsheet would run as a
 * formula (starting with = + - @, a tab or a CR) gets a leading
 * apostrophe, as OWASP advises for CSV meant for Excel. */
static void cell(struct outbuf *o, const char *s, int last)
{
	int formula = strchr("=+-@\t\r", s[0]) && s[0];
	int quote = formula || strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		outbuf_putc(o, '"');
	if (formula)
		outbuf_putc(o, '\'');
	for (; *s; s++) {
		if (*s == '"')
			outbuf_putc(o, '"');
		outbuf_putc(o, *s);
	}
	if (quote)
		outbuf_putc(o, '"');
	outbuf_putc(o, last ? '\n' : ',');
}

void report_write_csv(struct outbuf *o, const struct report_view *v)
{
	const struct report_agg *a = v->agg;
	const struct report_row **rows = malloc((a->worklist_limit + 1) * sizeof(*rows));
	char loc[600], line[24], rec[24];

	report_put(o, "locator,severity,case_id,field,code,value,suggestion,message,related,"
		      "file,line,record\n");
	if (!rows) {
		outbuf_nomem(o);
		return;
	}
	size_t n = report_agg_worklist(a, rows, a->worklist_limit);
	for (size_t i = 0; i < n; i++) {
		const struct report_row *r = rows[i];
		report_locator(loc, sizeof(loc), r->file, r->line, r->record);
		snprintf(line, sizeof(line), "%llu", r->line);
		snprintf(rec, sizeof(rec), "%llu", r->record);
		cell(o, loc, 0);
		cell(o, severity_name(r->sev), 0);
		cell(o, r->case_id, 0);
		cell(o, r->field, 0);
		cell(o, r->code, 0);
		cell(o, r->value, 0);
		cell(o, r->suggestion, 0);
		cell(o, r->message, 0);
		cell(o, r->related, 0);
		cell(o, r->file, 0);
		cell(o, r->line ? line : "", 0);
		cell(o, r->record ? rec : "", 1);
	}
	free(rows);
}
