#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "emit.h"
#include "wire.h"

enum { REJECTS_SHOWN = 10 };

extern const struct stage stage_emit;

struct emit_state {
	struct emit_options opt;
	const char *path;
	struct output out;
	struct emit_writer writer;
	int opened;
	unsigned long written, rejected;
};

static const char usage[] =
	"usage: casepipe emit [options]\n"
	"\n"
	"Writes records in another format; ends a chain.\n"
	"\n"
	"  -f, --format FMT      ndjson (default), csv or tsv\n"
	"  -o, --output FILE     write FILE (replaced only when all is written)\n"
	"  -d, --delimiter C     CSV field separator (default ,)\n"
	"  -m, --meta            CSV/TSV: add the columns _source, _raw and _issues\n"
	"                        (as JSON text)\n"
	"  -h, --help            show this help\n"
	"\n"
	"CSV and TSV take their header from the first record.  A later record\n"
	"lacking a column gets an empty value; a record with a column the header\n"
	"lacks is rejected with a message, and the exit status is 1.\n";

static int emit_create(int argc, char **argv, void **state)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "meta", no_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	struct emit_state *s = calloc(1, sizeof(*s));
	int c;

	if (!s)
		return diag_nomem("emit");
	*state = s;
	s->opt.format = "ndjson";
	s->opt.delimiter = ',';
	while ((c = getopt_long(argc, argv, "f:o:d:m", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "ndjson") && strcmp(optarg, "csv") && strcmp(optarg, "tsv")) {
				diag(ST_USAGE, "emit", "unknown format '%s' (ndjson, csv or tsv)", optarg);
				return stage_usage_error(&stage_emit);
			}
			s->opt.format = optarg;
			break;
		case 'o':
			s->path = optarg;
			break;
		case 'd':
			if (strlen(optarg) != 1 || strchr("\"\r\n", optarg[0])) {
				diag(ST_USAGE, "emit", "the delimiter must be one character other than a quote or newline");
				return stage_usage_error(&stage_emit);
			}
			s->opt.delimiter = optarg[0];
			break;
		case 'm':
			s->opt.meta = 1;
			break;
		default:
			return stage_usage_error(&stage_emit);
		}
	}
	if (optind < argc) {
		diag(ST_USAGE, "emit", "unexpected argument '%s' (emit reads records, not files)", argv[optind]);
		return stage_usage_error(&stage_emit);
	}
	/* Open now, so that a bad -o path fails before any input is read. */
	int st = output_open(&s->out, s->path, "emit");
	if (st != ST_OK)
		return st;
	s->opened = 1;
	s->writer.out = &s->out.buf;
	s->writer.opt = &s->opt;
	return ST_OK;
}

static int emit_process(void *state, struct record *rec, struct sink *out)
{
	struct emit_state *s = state;
	(void)out;

	if (strcmp(s->opt.format, "ndjson") == 0) {
		wire_write_record(&s->out.buf, rec);
	} else {
		int r = emit_delimited(&s->writer, rec);
		if (r == -2)
			return diag_nomem("emit");
		if (r == -1) {
			if (++s->rejected <= REJECTS_SHOWN && rec->source.line)
				diag(ST_ISSUES, "emit", "%.*s:%lu: %s; record rejected",
				     (int)rec->source.file.len, rec->source.file.ptr,
				     rec->source.line, s->writer.why);
			else if (s->rejected <= REJECTS_SHOWN)
				diag(ST_ISSUES, "emit", "%.*s: record %lu: %s; record rejected",
				     (int)rec->source.file.len, rec->source.file.ptr,
				     rec->source.record, s->writer.why);
			return ST_OK;
		}
	}
	s->written++;
	return s->out.buf.failed ? ST_SYSTEM : ST_OK;
}

static int emit_finish(void *state, struct sink *out, int status)
{
	struct emit_state *s = state;
	(void)out;

	if (status >= ST_INPUT && s->path) {
		diag(status, "emit", "%s: not written, as the run failed", s->path);
		return status;
	}
	int st = output_commit(&s->out);
	s->opened = 0;
	if (s->rejected) {
		diag(ST_ISSUES, "emit", "%lu records written, %lu rejected", s->written, s->rejected);
		st = status_worst(st, ST_ISSUES);
	}
	return st;
}

static void emit_destroy(void *state)
{
	struct emit_state *s = state;
	if (s->opened)
		output_abort(&s->out);
	emit_writer_release(&s->writer);
	free(s);
}

const struct stage stage_emit = {
	.name = "emit",
	.summary = "write records as NDJSON, CSV or TSV",
	.usage = usage,
	.flags = STAGE_OUTPUT,
	.create = emit_create,
	.process = emit_process,
	.finish = emit_finish,
	.destroy = emit_destroy,
};
