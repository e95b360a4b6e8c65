/*
 * The report's verdict (--fail-on, --max-error-rate) and small helpers
 * shared by the writers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

void report_put(struct outbuf *o, const char *s)
{
	outbuf_write(o, s, strlen(s));
}

void report_putull(struct outbuf *o, unsigned long long n)
{
	char buf[24];
	int len = snprintf(buf, sizeof(buf), "%llu", n);
	outbuf_write(o, buf, (size_t)len);
}

void report_percent(struct outbuf *o, unsigned long long n, unsigned long long d)
{
	char buf[48];
	if (!d) {
		report_put(o, "0.0%");
		return;
	}
	unsigned __int128 x = ((unsigned __int128)n * 2000 / d + 1) / 2; /* tenths, rounded */
	snprintf(buf, sizeof(buf), "%llu.%llu%%", (unsigned long long)(x / 10),
		 (unsigned long long)(x % 10));
	report_put(o, buf);
}

static const char *level_words(int fail_on)
{
	switch (fail_on) {
	case SEV_ERROR: return "errors";
	case SEV_WARNING: return "errors or warnings";
	default: return "issues";
	}
}

void report_verdict_compute(struct report_verdict *v, const struct report_agg *a)
{
	unsigned long long rejected = report_agg_rejected(a);

	v->total = a->records + rejected;
	v->failed = 0;
	v->reason[0] = '\0';
	switch (v->fail_on) {
	case SEV_ERROR: v->bad = a->with_errors; break;
	case SEV_WARNING: v->bad = a->with_errors + a->with_warnings; break;
	case SEV_INFO: v->bad = a->with_issues; break;
	default: v->bad = 0; return;
	}
	v->bad += rejected;
	if (!v->rate_set) {
		v->failed = v->bad > 0;
		if (v->failed)
			snprintf(v->reason, sizeof(v->reason), "%llu of %llu records have %s%s (--fail-on %s)",
				 v->bad, v->total, level_words(v->fail_on),
				 rejected ? " or were rejected" : "", severity_name((enum severity)v->fail_on));
		return;
	}
	/* bad / total > num / den, in integers. */
	v->failed = v->total && (unsigned __int128)v->bad * v->rate_den >
				(unsigned __int128)v->rate_num * v->total;
	if (v->failed) {
		struct outbuf o;
		char pct[48];
		if (outbuf_init(&o, -1, "memory", "report") == 0) {
			report_percent(&o, v->bad, v->total);
			outbuf_putc(&o, '\0');
			snprintf(pct, sizeof(pct), "%s", o.buf);
			free(o.buf);
		} else {
			pct[0] = '\0';
		}
		snprintf(v->reason, sizeof(v->reason),
			 "%s of records (%llu of %llu) have %s%s, above --max-error-rate %s",
			 pct, v->bad, v->total, level_words(v->fail_on),
			 rejected ? " or were rejected" : "", v->rate_text);
	}
}
