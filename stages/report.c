/*
 * The report stage: reads records, counts their issues and writes a
 * data-quality report (text, JSON, CSV worklist, HTML); or, with --merge,
 * combines JSON reports of shards into the report of the whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "output.h"
#include "report.h"
#include "stage.h"

extern const struct stage stage_report;

enum { FMT_TEXT, FMT_JSON, FMT_CSV, FMT_HTML, NFMT };
enum { MAX_OUTPUTS = 8 };

static const char *const format_names[NFMT] = { "text", "json", "csv", "html" };
static void (*const writers[NFMT])(struct outbuf *, const struct report_view *) = {
	report_write_text, report_write_json, report_write_csv, report_write_html,
};

struct report_out {
	int format;
	const char *path; /* NULL: stdout */
	struct output out;
	int opened;
};

struct report_state {
	struct report_agg agg;
	struct report_verdict verdict;
	struct report_baseline baseline;
	const char *baseline_path;
	struct report_out outs[MAX_OUTPUTS];
	int nouts;
	int merge;
	int refused; /* --merge was given records: write nothing */
};

static const char usage[] =
	"usage: casepipe report [options]\n"
	"       casepipe report --merge [options] REPORT.json...\n"
	"\n"
	"Counts the issues found by earlier stages and writes a data-quality report;\n"
	"ends a chain.\n"
	"\n"
	"  -f, --format FMT        text (default), json, csv (the worklist) or html\n"
	"  -o, --output FILE       write that report to FILE instead of stdout\n"
	"      --text FILE         also write the text report to FILE\n"
	"      --json FILE         also write the JSON report to FILE\n"
	"      --csv FILE          also write the CSV worklist to FILE\n"
	"      --html FILE         also write the HTML report to FILE\n"
	"  -q, --quiet             write no report on stdout (only the files named)\n"
	"  -n, --worklist N        keep N issues in the worklist, errors first\n"
	"                          (default 1000; the rest are counted)\n"
	"  -s, --show-values       show A-Numbers and account numbers in full\n"
	"                          (masked by default: all but the last 4 characters)\n"
	"      --fail-on LEVEL     exit 1 when records have issues at LEVEL or worse, or\n"
	"                          were rejected: error (default), warning, info or never\n"
	"      --max-error-rate R  exit 1 only when more than R of the records fail\n"
	"                          --fail-on, e.g. 0.5% or 0.005\n"
	"  -b, --baseline FILE     compare with an earlier JSON report: which issues are\n"
	"                          new and which were fixed (a missing FILE is noted)\n"
	"      --id-field NAME     the record identity for --baseline (default case_id;\n"
	"                          records without one use file:line)\n"
	"      --max-keys N        keep at most N issue keys for --baseline (default\n"
	"                          1000000, about 40 bytes each)\n"
	"  -m, --merge             read the JSON reports named, not records: the result\n"
	"                          is the report of one run over all their inputs\n"
	"  -h, --help              show this help\n"
	"\n"
	"Every file is written to a temporary name and renamed when complete.\n";

static int usage_error(const char *fmt, const char *arg)
{
	diag(ST_USAGE, "report", fmt, arg);
	return stage_usage_error(&stage_report);
}

/* Parses a non-negative count. */
static int parse_count(const char *s, size_t max, size_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (!*s || *s == '-' || *end || errno || v > max)
		return -1;
	*out = (size_t)v;
	return 0;
}

/* Parses "0.5%" or "0.005" into NUM/DEN (at most 9 decimals). */
static int parse_rate(const char *s, struct report_verdict *v)
{
	unsigned long long num = 0, den = 1;
	int digits = 0, decimals = -1;
	const char *p = s;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (++digits > 15)
				return -1;
			num = num * 10 + (unsigned long long)(*p - '0');
			if (decimals >= 0 && ++decimals > 9)
				return -1;
		} else if (*p == '.' && decimals < 0) {
			decimals = 0;
		} else {
			break;
		}
	}
	if (!digits)
		return -1;
	for (int i = 0; i < decimals; i++)
		den *= 10;
	if (p[0] == '%' && !p[1])
		den *= 100;
	else if (*p)
		return -1;
	if (num > den)
		return -1; /* above 100% */
	v->rate_num = num;
	v->rate_den = den;
	v->rate_text = s;
	v->rate_set = 1;
	return 0;
}

static void set_generated(struct report_agg *a)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	time_t t = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
	struct tm tm;
	if (gmtime_r(&t, &tm))
		strftime(a->generated, sizeof(a->generated), "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int add_output(struct report_state *s, int format, const char *path)
{
	if (s->nouts == MAX_OUTPUTS)
		return usage_error("at most %s report files in one run", "7");
	s->outs[s->nouts].format = format;
	s->outs[s->nouts].path = path;
	s->nouts++;
	return ST_OK;
}

static int report_create(int argc, char **argv, void **state)
{
	enum { OPT_TEXT = 256, OPT_JSON, OPT_CSV, OPT_HTML, OPT_FAIL_ON, OPT_RATE, OPT_ID, OPT_KEYS };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "text", required_argument, NULL, OPT_TEXT },
		{ "json", required_argument, NULL, OPT_JSON },
		{ "csv", required_argument, NULL, OPT_CSV },
		{ "html", required_argument, NULL, OPT_HTML },
		{ "quiet", no_argument, NULL, 'q' },
		{ "worklist", required_argument, NULL, 'n' },
		{ "show-values", no_argument, NULL, 's' },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "max-error-rate", required_argument, NULL, OPT_RATE },
		{ "baseline", required_argument, NULL, 'b' },
		{ "id-field", required_argument, NULL, OPT_ID },
		{ "max-keys", required_argument, NULL, OPT_KEYS },
		{ "merge", no_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_state *s = calloc(1, sizeof(*s));
	int c, st, format = FMT_TEXT, quiet = 0, show = 0;
	const char *path = NULL, *id_field = "case_id";
	size_t worklist = 1000, max_keys = 1000000;

	if (!s)
		return diag_nomem("report");
	*state = s;
	s->verdict.fail_on = SEV_ERROR;
	while ((c = getopt_long(argc, argv, "f:o:qn:sb:m", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			for (format = 0; format < NFMT && strcmp(optarg, format_names[format]); format++)
				;
			if (format == NFMT)
				return usage_error("unknown format '%s' (text, json, csv or html)", optarg);
			break;
		case 'o':
			path = optarg;
			break;
		case OPT_TEXT:
		case OPT_JSON:
		case OPT_CSV:
		case OPT_HTML:
			if ((st = add_output(s, c - OPT_TEXT, optarg)) != ST_OK)
				return st;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'n':
			if (parse_count(optarg, 10000000, &worklist) < 0)
				return usage_error("--worklist wants a count from 0 to 10000000, not '%s'", optarg);
			break;
		case 's':
			show = 1;
			break;
		case OPT_FAIL_ON: {
			enum severity sev;
			if (strcmp(optarg, "never") == 0)
				s->verdict.fail_on = -1;
			else if (severity_parse(optarg, &sev) == 0)
				s->verdict.fail_on = (int)sev;
			else
				return usage_error("--fail-on wants error, warning, info or never, not '%s'", optarg);
			break;
		}
		case OPT_RATE:
			if (parse_rate(optarg, &s->verdict) < 0)
				return usage_error("--max-error-rate wants a share such as 0.5%% or 0.005 "
						   "(at most 100%%), not '%s'", optarg);
			break;
		case 'b':
			s->baseline_path = optarg;
			break;
		case OPT_ID:
			if (!*optarg)
				return usage_error("--id-field wants a field name%s", "");
			id_field = optarg;
			break;
		case OPT_KEYS:
			if (parse_count(optarg, 100000000, &max_keys) < 0)
				return usage_error("--max-keys wants a count from 0 to 100000000, not '%s'", optarg);
			break;
		case 'm':
			s->merge = 1;
			break;
		default:
			return stage_usage_error(&stage_report);
		}
	}
	if (s->verdict.rate_set && s->verdict.fail_on < 0)
		return usage_error("--max-error-rate cannot go with --fail-on never%s", "");
	if (quiet && path)
		return usage_error("--quiet cannot go with --output %s", path);
	if (!s->merge && optind < argc)
		return usage_error("unexpected argument '%s' (report reads records; "
				   "to combine JSON reports use --merge)", argv[optind]);
	if (s->merge && optind == argc)
		return usage_error("--merge wants the JSON reports to combine%s", "");
	if (!quiet) {
		/* The main report goes first, so that it is written first. */
		memmove(&s->outs[1], &s->outs[0], (size_t)s->nouts * sizeof(s->outs[0]));
		s->nouts++;
		s->outs[0] = (struct report_out){ .format = format, .path = path };
	}
	for (int i = 0; i < s->nouts; i++)
		for (int j = 0; j < i; j++)
			if (s->outs[i].path && s->outs[j].path && strcmp(s->outs[i].path, s->outs[j].path) == 0)
				return usage_error("'%s' is named twice as an output", s->outs[i].path);

	report_agg_init(&s->agg, worklist, max_keys, show, id_field);
	set_generated(&s->agg);
	/* A bad baseline or output path fails before any input is read. */
	if (s->baseline_path && (st = report_baseline_load(&s->baseline, s->baseline_path)) != ST_OK)
		return st;
	for (int i = 0; i < s->nouts; i++) {
		if ((st = output_open(&s->outs[i].out, s->outs[i].path, "report")) != ST_OK)
			return st;
		s->outs[i].opened = 1;
	}
	if (s->merge) {
		s->agg.merged = calloc((size_t)(argc - optind), sizeof(*s->agg.merged));
		if (!s->agg.merged)
			return diag_nomem("report");
		for (int i = optind; i < argc; i++) {
			if ((st = report_merge_file(&s->agg, argv[i])) != ST_OK)
				return st;
			s->agg.merged[s->agg.nmerged++] = argv[i];
		}
	}
	return ST_OK;
}

/* With --merge the report reads JSON reports, not records. */
static int report_reads_records(void *state)
{
	return !((struct report_state *)state)->merge;
}

static int report_process(void *state, struct record *rec, struct sink *out)
{
	struct report_state *s = state;
	(void)out;

	if (s->merge) {
		s->refused = 1;
		return diag(ST_USAGE, "report", "--merge reads JSON reports, not records");
	}
	if (report_agg_record(&s->agg, rec) < 0)
		return diag_nomem("report");
	return ST_OK;
}

static int report_finish(void *state, struct sink *out, int status)
{
	struct report_state *s = state;
	struct report_view view = { &s->agg, &s->verdict, s->baseline_path ? &s->baseline : NULL };
	int st = ST_OK;
	(void)out;

	if (s->refused)
		return ST_USAGE;
	if (s->agg.row_limit_in && s->agg.row_limit_in < s->agg.worklist_limit)
		diag(ST_OK, "report", "a merged report kept only %llu worklist rows; the merged "
		     "worklist may lack some", s->agg.row_limit_in);
	report_verdict_compute(&s->verdict, &s->agg);
	if (s->baseline_path)
		st = report_baseline_compare(&s->baseline, &s->agg);
	/* A failed comparison (out of memory) fails the report too. */
	status = status_worst(status, st);
	for (int i = 0; i < s->nouts; i++) {
		struct report_out *o = &s->outs[i];
		if (status >= ST_INPUT && o->path) {
			diag(status, "report", "%s: not written, as the run failed", o->path);
			continue;
		}
		writers[o->format](&o->out.buf, &view);
		st = status_worst(st, output_commit(&o->out));
		o->opened = 0;
	}
	if (s->verdict.failed && status < ST_INPUT) {
		diag(ST_ISSUES, "report", "%s", s->verdict.reason);
		st = status_worst(st, ST_ISSUES);
	}
	return st;
}

static void report_destroy(void *state)
{
	struct report_state *s = state;
	for (int i = 0; i < s->nouts; i++)
		if (s->outs[i].opened)
			output_abort(&s->outs[i].out);
	report_agg_release(&s->agg);
	report_baseline_release(&s->baseline);
	free(s);
}

const struct stage stage_report = {
	.name = "report",
	.summary = "count issues and write a data-quality report (text, JSON, CSV, HTML)",
	.usage = usage,
	.flags = STAGE_OUTPUT,
	.create = report_create,
	.process = report_process,
	.finish = report_finish,
	.destroy = report_destroy,
	.reads_records = report_reads_records,
};
