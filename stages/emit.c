/*
 * The emit stage: writes the records it gets in one of five formats, in a
 * profile's layout if asked, and sets aside the records that will not
 * import cleanly (--rejects).  Every record is either written or
 * rejected, and the counts say so: records in = written + rejected.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "emit.h"
#include "wire.h"

enum { REJECTS_SHOWN = 10, SEV_NEVER = SEV_ERROR + 1 };

extern const struct stage stage_emit;

static const struct emit_format *const formats[] = {
	&emit_ndjson, &emit_csv, &emit_tsv, &emit_json, &emit_xml,
};

struct emit_state {
	struct emit_options opt;
	const struct emit_format *fmt;
	struct emit_profile profile;
	int have_profile;
	const char *path, *rejects_path;
	int gzip, gzip_level;
	int reject_on;           /* severity, or SEV_NEVER */
	struct emit_file main, rejects;
	struct emit_writer writer;
	struct field *row;       /* the profile's row, reused */
	size_t row_cap;
	unsigned long in, written, rejected;
};

static const char usage[] =
	"usage: casepipe emit [options]\n"
	"\n"
	"Writes records in another format; ends a chain.\n"
	"\n"
	"  -f, --format FMT      ndjson (default), csv, tsv, json or xml (default:\n"
	"                        the profile's, else by the -o name, else ndjson)\n"
	"  -o, --output FILE     write FILE (replaced only when all is written)\n"
	"  -z, --gzip            compress with gzip (also when FILE ends in .gz)\n"
	"      --gzip-level N    gzip level, 1 (fastest) to 9 (smallest); implies\n"
	"                        --gzip (default 6; 1 is 2.5 times as fast, 21% larger)\n"
	"  -p, --profile FILE    write the layout FILE describes (a file, or a name\n"
	"                        under schemas/profiles/, e.g. case-import)\n"
	"  -F, --fields A,B,...  write just these fields, in this order\n"
	"  -r, --rejects FILE    write records that will not import cleanly to FILE\n"
	"                        (NDJSON, with the reasons in _issues), not to the output\n"
	"  -R, --reject-on SEV   reject records with issues at or above SEV: info,\n"
	"                        warning, error or never (default: error with\n"
	"                        --rejects, else never)\n"
	"  -m, --meta            CSV, TSV, XML and profile layouts: add _source, _raw\n"
	"                        and _issues (as JSON text), which parse reads back\n"
	"  -x, --excel           CSV/TSV for spreadsheets: BOM, CRLF, identifiers kept\n"
	"                        as text (=\"...\"), formulas neutralised ('=...);\n"
	"                        parse --excel undoes it\n"
	"  -d, --delimiter C     CSV field separator (default ,)\n"
	"      --root NAME       XML root element (default cases)\n"
	"      --record NAME     XML record element (default case)\n"
	"  -h, --help            show this help\n"
	"\n"
	"A record is rejected when it has issues at or above --reject-on, misses a\n"
	"field the profile requires or has a value its map lacks, has a column the\n"
	"CSV/TSV header lacks, or holds a character XML cannot.  Rejected records\n"
	"are counted on stderr and make the exit status 1.\n";

static const struct emit_format *format_named(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(formats[i]->name, name) == 0)
			return formats[i];
	return NULL;
}

static int has_suffix(const char *s, size_t n, const char *suffix)
{
	size_t m = strlen(suffix);
	return n >= m && strncasecmp(s + n - m, suffix, m) == 0;
}

/* The format an output name suggests (looking through .gz), or NULL. */
static const char *format_by_name(const char *path)
{
	size_t n = strlen(path);
	if (has_suffix(path, n, ".gz"))
		n -= 3;
	if (has_suffix(path, n, ".csv"))
		return "csv";
	if (has_suffix(path, n, ".tsv") || has_suffix(path, n, ".tab"))
		return "tsv";
	if (has_suffix(path, n, ".ndjson") || has_suffix(path, n, ".jsonl"))
		return "ndjson";
	if (has_suffix(path, n, ".json"))
		return "json";
	if (has_suffix(path, n, ".xml"))
		return "xml";
	return NULL;
}

static int usage_error(const char *fmt, const char *arg)
{
	diag(ST_USAGE, "emit", fmt, arg);
	return stage_usage_error(&stage_emit);
}

/* Checks the chosen options together and opens the outputs. */
static int emit_setup(struct emit_state *s, const char *format, const char *profile,
		      const char *fields)
{
	int st;

	if (profile && fields)
		return usage_error("%s", "--profile and --fields cannot be used together");
	if (profile && (st = emit_profile_load(&s->profile, profile)) != ST_OK)
		return st;
	if (fields && (st = emit_profile_fields(&s->profile, fields)) != ST_OK)
		return st;
	s->have_profile = profile || fields;
	if (!format && s->profile.format)
		format = s->profile.format;
	if (!format && s->path)
		format = format_by_name(s->path);
	if (!format)
		format = "ndjson";
	if (!(s->fmt = format_named(format)))
		return usage_error("unknown format '%s' (ndjson, csv, tsv, json or xml)", format);
	s->opt.format = s->fmt->name;
	if (s->profile.excel && (s->fmt == &emit_csv || s->fmt == &emit_tsv))
		s->opt.excel = 1;
	if (s->opt.excel && s->fmt != &emit_csv && s->fmt != &emit_tsv)
		return usage_error("--excel is for CSV and TSV output, not %s", s->fmt->name);
	if (s->reject_on < 0)
		s->reject_on = s->rejects_path ? SEV_ERROR : SEV_NEVER;
	/* Open now, so that a bad -o path fails before any input is read. */
	if ((st = emit_file_open(&s->main, s->path, s->gzip, s->gzip_level, "emit")) != ST_OK)
		return st;
	if (s->rejects_path &&
	    (st = emit_file_open(&s->rejects, s->rejects_path, 0, s->gzip_level, "emit")) != ST_OK)
		return st;
	s->writer.out = s->main.buf;
	s->writer.opt = &s->opt;
	s->writer.profile = s->have_profile ? &s->profile : NULL;
	return ST_OK;
}

static int xml_name_arg(const char *arg, const char **out)
{
	if (!emit_xml_name_ok(slice_of(arg)))
		return usage_error("'%s' is not an XML element name emit writes "
				   "([A-Za-z_][A-Za-z0-9._-]*)", arg);
	*out = arg;
	return ST_OK;
}

static int emit_create(int argc, char **argv, void **state)
{
	enum { OPT_ROOT = 256, OPT_RECORD, OPT_GZIP_LEVEL };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "gzip", no_argument, NULL, 'z' },
		{ "gzip-level", required_argument, NULL, OPT_GZIP_LEVEL },
		{ "profile", required_argument, NULL, 'p' },
		{ "fields", required_argument, NULL, 'F' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "reject-on", required_argument, NULL, 'R' },
		{ "meta", no_argument, NULL, 'm' },
		{ "excel", no_argument, NULL, 'x' },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "root", required_argument, NULL, OPT_ROOT },
		{ "record", required_argument, NULL, OPT_RECORD },
		{ NULL, 0, NULL, 0 },
	};
	struct emit_state *s = calloc(1, sizeof(*s));
	const char *format = NULL, *profile = NULL, *fields = NULL;
	enum severity sev;
	int c, st = ST_OK;

	if (!s)
		return diag_nomem("emit");
	*state = s;
	s->opt.delimiter = ',';
	s->opt.root = "cases";
	s->opt.record = "case";
	s->reject_on = -1;
	s->gzip_level = EMIT_GZIP_LEVEL;
	while ((c = getopt_long(argc, argv, "f:o:zp:F:r:R:mxd:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!format_named(optarg))
				return usage_error("unknown format '%s' (ndjson, csv, tsv, json or xml)", optarg);
			format = optarg;
			break;
		case 'o': s->path = optarg; break;
		case 'z': s->gzip = 1; break;
		case OPT_GZIP_LEVEL:
			if (optarg[0] < '1' || optarg[0] > '9' || optarg[1])
				return usage_error("--gzip-level '%s': a level from 1 to 9", optarg);
			s->gzip_level = optarg[0] - '0';
			s->gzip = 1;
			break;
		case 'p': profile = optarg; break;
		case 'F': fields = optarg; break;
		case 'r': s->rejects_path = optarg; break;
		case 'R':
			if (strcmp(optarg, "never") == 0)
				s->reject_on = SEV_NEVER;
			else if (severity_parse(optarg, &sev) == 0)
				s->reject_on = (int)sev;
			else
				return usage_error("--reject-on '%s': info, warning, error or never", optarg);
			break;
		case 'm': s->opt.meta = 1; break;
		case 'x': s->opt.excel = 1; break;
		case 'd':
			if (strlen(optarg) != 1 || strchr("\"\r\n", optarg[0]))
				return usage_error("%s", "the delimiter must be one character other than a quote or newline");
			s->opt.delimiter = optarg[0];
			break;
		case OPT_ROOT:
			st = xml_name_arg(optarg, &s->opt.root);
			break;
		case OPT_RECORD:
			st = xml_name_arg(optarg, &s->opt.record);
			break;
		default:
			return stage_usage_error(&stage_emit);
		}
		if (st != ST_OK)
			return st;
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s' (emit reads records, not files)", argv[optind]);
	if (s->path && s->rejects_path && strcmp(s->path, s->rejects_path) == 0)
		return usage_error("--rejects '%s' is the output file", s->path);
	return emit_setup(s, format, profile, fields);
}

/* Says why REC was rejected (the first few) and writes it to the rejects
 * file with the reason added to its issues. */
static int reject(struct emit_state *s, struct record *rec, const struct emit_reason *why)
{
	const struct record_source *src = &rec->source;

	if (++s->rejected <= REJECTS_SHOWN) {
		char where[1300];
		diag(ST_ISSUES, "emit", "%s: %s; record rejected", record_source_text(src, where, sizeof(where)),
		     why->text);
	}
	if (!s->rejects_path)
		return ST_OK;
	struct issue is = {
		.field = why->field,
		.code = slice_of(why->code),
		.severity = SEV_ERROR,
		.message = record_copy(rec, why->text, strlen(why->text)),
	};
	if (!is.message.ptr || record_add_issue(rec, &is) < 0)
		return diag_nomem("emit");
	wire_write_record(s->rejects.buf, rec);
	emit_file_pump(&s->rejects);
	return s->rejects.buf->failed ? ST_SYSTEM : ST_OK;
}

/* Whether REC has issues at or above --reject-on; says which in WHY. */
static int has_bad_issues(const struct emit_state *s, const struct record *rec,
			  struct emit_reason *why)
{
	size_t n = 0, first = 0;
	for (size_t i = rec->nissues; i-- > 0;)
		if ((int)rec->issues[i].severity >= s->reject_on)
			n++, first = i;
	if (!n)
		return 0;
	const struct issue *is = &rec->issues[first];
	why->code = "emit.issues";
	why->field = is->field;
	snprintf(why->text, sizeof(why->text), "%zu issue%s at or above %s%s %.*s%s%.*s", n,
		 n == 1 ? "" : "s", severity_name((enum severity)s->reject_on), n == 1 ? ":" : ", the first:", 
		 (int)(is->code.len > 60 ? 60 : is->code.len), is->code.ptr,
		 is->field.len ? " on " : "", (int)(is->field.len > 60 ? 60 : is->field.len),
		 is->field.ptr);
	return 1;
}

static int start(struct emit_state *s)
{
	s->writer.started = 1;
	if (s->fmt->begin && s->fmt->begin(&s->writer) < 0)
		return diag_nomem("emit");
	return ST_OK;
}

static int emit_process(void *state, struct record *rec, struct sink *out)
{
	struct emit_state *s = state;
	struct emit_reason why = { 0 };
	const struct field *row = rec->fields;
	size_t n = rec->nfields;
	int r = 0, st;
	(void)out;

	s->in++;
	if (!s->writer.started && (st = start(s)) != ST_OK)
		return st;
	if (s->reject_on < SEV_NEVER && has_bad_issues(s, rec, &why))
		r = -1;
	if (!r && s->have_profile) {
		r = emit_profile_apply(&s->profile, rec, &s->row, &s->row_cap, &why);
		row = s->row;
		n = s->profile.ncols;
	}
	if (!r && s->fmt->check)
		r = s->fmt->check(&s->writer, row, n, &why);
	if (r == -1)
		return reject(s, rec, &why);
	if (!r)
		r = s->fmt->write(&s->writer, rec, row, n);
	if (r == -2)
		return diag_nomem("emit");
	s->written++;
	s->writer.count++;
	emit_file_pump(&s->main);
	return s->main.buf->failed ? ST_SYSTEM : ST_OK;
}

static int emit_finish(void *state, struct sink *out, int status)
{
	struct emit_state *s = state;
	int st = ST_OK;
	(void)out;

	if (status >= ST_INPUT && (s->path || s->rejects_path)) {
		if (s->path)
			diag(status, "emit", "%s: not written, as the run failed", s->path);
		if (s->rejects_path)
			diag(status, "emit", "%s: not written, as the run failed", s->rejects_path);
		return status;
	}
	if (!s->writer.started)
		st = start(s);
	if (st == ST_OK && s->fmt->end)
		s->fmt->end(&s->writer);
	if (s->rejects_path)
		st = status_worst(st, emit_file_commit(&s->rejects));
	st = status_worst(st, emit_file_commit(&s->main));
	if (s->rejected || s->rejects_path) {
		diag(ST_OK, "emit", "%lu record%s in: %lu written, %lu rejected%s%s", s->in,
		     s->in == 1 ? "" : "s", s->written, s->rejected,
		     s->rejects_path ? " to " : "", s->rejects_path ? s->rejects_path : "");
	}
	if (s->rejected)
		st = status_worst(st, ST_ISSUES);
	return st;
}

static void emit_destroy(void *state)
{
	struct emit_state *s = state;
	emit_file_abort(&s->main);
	emit_file_abort(&s->rejects);
	emit_writer_release(&s->writer);
	emit_profile_release(&s->profile);
	free(s->row);
	free(s);
}

const struct stage stage_emit = {
	.name = "emit",
	.summary = "write records as NDJSON, JSON, CSV, TSV or XML, optionally in a profile's layout",
	.usage = usage,
	.flags = STAGE_OUTPUT,
	.create = emit_create,
	.process = emit_process,
	.finish = emit_finish,
	.destroy = emit_destroy,
};

const struct slice emit_meta_names[EMIT_NMETA] = {
	SLICE_LIT("_source"), SLICE_LIT("_raw"), SLICE_LIT("_issues"),
};

struct slice emit_meta_text(struct emit_writer *w, const struct record *rec, int m)
{
	struct outbuf *tmp = &w->scratch;
	if (!tmp->buf && outbuf_init(tmp, -1, "meta", "emit") < 0)
		return SLICE_NULL;
	tmp->len = 0;
	if (m == 0)
		json_write_source(tmp, rec);
	else if (m == 1 && rec->nraw)
		json_write_fields(tmp, rec->raw, rec->nraw);
	else if (m == 2 && rec->nissues)
		json_write_issues(tmp, rec);
	if (tmp->failed)
		return SLICE_NULL;
	return (struct slice){ tmp->len ? tmp->buf : "", tmp->len };
}
