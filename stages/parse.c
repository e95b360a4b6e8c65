#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "datafile.h"
#include "diag.h"
#include "parse.h"

enum { REJECTS_SHOWN = 10 };

extern const struct stage stage_parse;

struct parse_state {
	struct parse_options opt;
	char **files;
	int nfiles;
};

static const char usage[] =
	"usage: casepipe parse [options] [FILE...]\n"
	"\n"
	"Reads case-record exports and writes one NDJSON record per row.\n"
	"With no FILE, or when FILE is -, reads standard input.\n"
	"\n"
	"  -f, --format FMT      csv, tsv, ndjson, xml, json or xlsx (default: by file\n"
	"                        name; .tsv/.tab are tsv, .ndjson/.jsonl ndjson, .xml\n"
	"                        xml, .json json, .xlsx xlsx, others csv); an Excel\n"
	"                        workbook (a zip archive) is found by its content\n"
	"  -d, --delimiter C     CSV field separator (default ,)\n"
	"  -H, --no-header       the first row is data; columns are column_1, ...\n"
	"  -S, --sheet NAME|N    xlsx: the sheet to read, by name or number from 1\n"
	"                        (default: the first)\n"
	"  -r, --record NAME     XML: the record element (default: the root's children)\n"
	"  -p, --path POINTER    JSON: where the record array is, e.g. /export/cases\n"
	"                        (default: the top level, or the one array of objects)\n"
	"  -e, --encoding NAME   read the input as NAME (e.g. windows-1252, utf-16le);\n"
	"                        by default UTF-8, UTF-16 with a byte order mark, or\n"
	"                        Windows-1252 when the input is not UTF-8\n"
	"  -v, --verbose         say which format and encoding each input has\n"
	"  -s, --schema FILE     map column names with FILE instead of the bundled\n"
	"                        schemas/fields.json\n"
	"  -n, --no-map          keep the input's column names\n"
	"  -m, --show-mapping    print how column names map, instead of records\n"
	"  -x, --excel           undo emit --excel: =\"...\" cells become their text and\n"
	"                        a ' before = + - @ tab CR ' is dropped\n"
	"  -h, --help            show this help\n";

static const struct reader *const readers[] = { &reader_csv, &reader_tsv, &reader_ndjson,
						       &reader_xml, &reader_json, &reader_xlsx };

static const struct reader *reader_named(const char *format)
{
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++)
		if (strcmp(readers[i]->format, format) == 0)
			return readers[i];
	return NULL;
}

static int has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* The format a file name suggests, looking through a .gz ending. */
static const char *format_by_name(const char *path)
{
	char base[4096];
	size_t n = strlen(path);
	if (has_suffix(path, ".gz") && n - 3 < sizeof(base)) {
		memcpy(base, path, n - 3);
		base[n - 3] = '\0';
		path = base;
	}
	if (has_suffix(path, ".tsv") || has_suffix(path, ".tab"))
		return "tsv";
	if (has_suffix(path, ".ndjson") || has_suffix(path, ".jsonl"))
		return "ndjson";
	if (has_suffix(path, ".xml"))
		return "xml";
	if (has_suffix(path, ".json"))
		return "json";
	if (has_suffix(path, ".xlsx"))
		return "xlsx";
	return "csv";
}

/* Loads the column mapping from SCHEMA, or the bundled one. */
static int load_map(struct parse_options *opt, const char *schema)
{
	char path[4096], err[512];

	if (!schema) {
		if (datafile_find("fields.json", path, sizeof(path)) < 0)
			return diag(ST_INPUT, "parse", "cannot find the column schema (tried %s; "
				    "set CASEPIPE_SCHEMAS, or use --schema or --no-map)", path);
		schema = path;
	}
	opt->map = colmap_load(schema, err, sizeof(err));
	if (!opt->map)
		return diag(errno == ENOMEM ? ST_SYSTEM : ST_INPUT, "parse", "%s", err);
	if (opt->show_mapping)
		colmap_record_lookups(opt->map);
	return ST_OK;
}

static int parse_create(int argc, char **argv, void **state)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "no-header", no_argument, NULL, 'H' },
		{ "record", required_argument, NULL, 'r' },
		{ "path", required_argument, NULL, 'p' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "schema", required_argument, NULL, 's' },
		{ "no-map", no_argument, NULL, 'n' },
		{ "show-mapping", no_argument, NULL, 'm' },
		{ "excel", no_argument, NULL, 'x' },
		{ "sheet", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	struct parse_state *s = calloc(1, sizeof(*s));
	const char *schema = NULL;
	int c, no_map = 0;

	if (!s)
		return diag_nomem("parse");
	*state = s;
	s->opt.delimiter = ',';
	s->opt.header = 1;
	while ((c = getopt_long(argc, argv, "f:d:Hr:p:e:vs:nmxS:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!reader_named(optarg)) {
				diag(ST_USAGE, "parse", "unknown format '%s' (csv, tsv, ndjson, xml, json or xlsx)", optarg);
				return stage_usage_error(&stage_parse);
			}
			s->opt.format = optarg;
			break;
		case 'd':
			if (strlen(optarg) != 1 || optarg[0] == '"' || optarg[0] == '\n' || optarg[0] == '\r') {
				diag(ST_USAGE, "parse", "the delimiter must be one character other than a quote or newline");
				return stage_usage_error(&stage_parse);
			}
			s->opt.delimiter = optarg[0];
			break;
		case 'H':
			s->opt.header = 0;
			break;
		case 'r':
			if (!*optarg) {
				diag(ST_USAGE, "parse", "--record needs an element name");
				return stage_usage_error(&stage_parse);
			}
			s->opt.record_name = optarg;
			break;
		case 'p':
			if (json_pointer_check(optarg) < 0) {
				diag(ST_USAGE, "parse", "--path '%s' is not a JSON Pointer (\"\", or /NAME/..., "
				     "with ~0 for ~ and ~1 for /)", optarg);
				return stage_usage_error(&stage_parse);
			}
			s->opt.json_path = optarg;
			break;
		case 'e': {
			struct input probe;
			input_open_memory(&probe, "", NULL, 0);
			probe.stage = "parse";
			if (input_set_encoding(&probe, optarg) != ST_OK)
				return stage_usage_error(&stage_parse);
			s->opt.encoding = optarg;
			break;
		}
		case 'v':
			s->opt.verbose = 1;
			break;
		case 's':
			schema = optarg;
			break;
		case 'n':
			no_map = 1;
			break;
		case 'm':
			s->opt.show_mapping = 1;
			break;
		case 'x':
			s->opt.excel = 1;
			break;
		case 'S':
			if (!*optarg) {
				diag(ST_USAGE, "parse", "--sheet needs a sheet name or number");
				return stage_usage_error(&stage_parse);
			}
			s->opt.sheet = optarg;
			break;
		default:
			return stage_usage_error(&stage_parse);
		}
	}
	if (no_map && (schema || s->opt.show_mapping)) {
		diag(ST_USAGE, "parse", "--no-map cannot go with --schema or --show-mapping");
		return stage_usage_error(&stage_parse);
	}
	if (!no_map) {
		int st = load_map(&s->opt, schema);
		if (st != ST_OK)
			return st;
	}
	static char *stdin_only[] = { "-", NULL };
	s->files = optind < argc ? argv + optind : stdin_only;
	s->nfiles = optind < argc ? argc - optind : 1;
	return ST_OK;
}

enum { SHOW_MAPPING_RECORDS = 1000 };

/* Makes room for N slices in the run's scratch array. */
static struct slice *scratch(struct parse_run *run, size_t n)
{
	if (n > run->scratch_cap) {
		struct slice *p = realloc(run->scratch, n * sizeof(*p));
		if (!p)
			return NULL;
		run->scratch = p;
		run->scratch_cap = n;
	}
	return run->scratch;
}

int parse_map_names(struct parse_run *run, struct slice *names, size_t n, unsigned long line)
{
	struct colmap *map = run->opt->map;

	if (!map || !n)
		return ST_OK;
	struct slice *to = scratch(run, n);
	if (!to)
		return diag_nomem("parse");
	for (size_t i = 0; i < n; i++) {
		to[i] = colmap_lookup(map, names[i]);
		for (size_t j = 0; to[i].ptr && j < i; j++)
			if (to[j].ptr && slice_eq(to[j], to[i]))
				return diag(ST_INPUT, "parse", "%s: columns '%.*s' and '%.*s' both map to %.*s "
					    "(use --schema or --no-map)", parse_where(run, line),
					    (int)names[j].len, names[j].ptr, (int)names[i].len, names[i].ptr,
					    (int)to[i].len, to[i].ptr);
	}
	for (size_t i = 0; i < n; i++)
		if (to[i].ptr)
			names[i] = to[i];
	return ST_OK;
}

/*
 * Maps the names of a record from a reader whose names vary by record.
 * Records usually repeat the names of the one before, so the last mapping
 * is kept and reused when the names are the same.
 */
static int map_record(struct parse_run *run, unsigned long line)
{
	struct record *rec = &run->rec;
	struct name_cache *c = &run->names;
	size_t n = rec->nfields;

	if (c->valid && c->n == n) {
		size_t i = 0;
		while (i < n && slice_eq(c->raw[i], rec->fields[i].name))
			i++;
		if (i == n) {
			for (i = 0; i < n; i++)
				rec->fields[i].name = c->mapped[i];
			return ST_OK;
		}
	}
	c->valid = 0;
	if (n > c->cap) {
		free(c->raw);
		c->raw = malloc(2 * n * sizeof(*c->raw));
		if (!c->raw)
			return c->cap = 0, diag_nomem("parse");
		c->cap = n;
	}
	c->mapped = c->raw ? c->raw + c->cap : NULL; /* no field yet: NULL + 0 is undefined */
	arena_reset(&c->arena);
	for (size_t i = 0; i < n; i++) {
		struct slice name = rec->fields[i].name;
		char *copy = arena_memdup(&c->arena, name.ptr, name.len);
		if (!copy)
			return diag_nomem("parse");
		c->raw[i] = c->mapped[i] = (struct slice){ copy, name.len };
	}
	c->n = n;
	int st = parse_map_names(run, c->mapped, n, line);
	if (st != ST_OK)
		return st;
	c->valid = 1;
	for (size_t i = 0; i < n; i++)
		rec->fields[i].name = c->mapped[i];
	return ST_OK;
}

int parse_emit(struct parse_run *run, unsigned long line)
{
	struct record *rec = &run->rec;

	run->records++;
	/* The reader knows its names: looking at each record's took about
	 * 120 instructions a record of bench/data/big.csv (callgrind). */
	int restored = run->names_plain && !run->opt->excel ? ST_OK : parse_restore(run);
	if (restored != ST_OK) {
		record_clear(rec);
		return run->status = status_worst(run->status, restored);
	}
	/* Records from an earlier stage (NDJSON) keep the _source they carry. */
	if (!rec->source.file.len) {
		if (!run->file.ptr) /* a strlen a record: 1.5M of 210M instructions (callgrind) */
			run->file = slice_of(run->in->name);
		rec->source.file = run->file;
		rec->source.sheet = slice_of(run->sheet);
		rec->source.line = line;
		rec->source.record = run->records + run->rejected;
	}
	progress_tick(&run->progress, run->in->bytes);
	int st = ST_OK;
	if (run->opt->map && run->reader && run->reader->map_each_record)
		st = map_record(run, line);
	if (st == ST_OK && run->opt->show_mapping)
		st = run->records < SHOW_MAPPING_RECORDS ? ST_OK : ST_STOP;
	else if (st == ST_OK)
		st = sink_put(run->out, rec);
	record_clear(rec);
	run->status = status_worst(run->status, st);
	return st;
}

const char *parse_where(struct parse_run *run, unsigned long line)
{
	static char buf[1300];
	struct record_source src = { .file = slice_of(run->in->name), .line = line,
				     .sheet = slice_of(run->sheet) };
	return record_source_text(&src, buf, sizeof(buf));
}

void parse_reject(struct parse_run *run, unsigned long line, const char *why)
{
	if (++run->rejected <= REJECTS_SHOWN)
		diag(ST_ISSUES, "parse", "%s: %s; record rejected", parse_where(run, line), why);
	record_clear(&run->rec);
}

int parse_column_name(char *buf, size_t size, size_t index)
{
	return snprintf(buf, size, "column_%zu", index + 1);
}

/*
 * Looks at the first raw bytes, before the gzip and encoding layers: a zip
 * archive is read as an Excel workbook whatever its name; an OLE2 compound
 * file (an encrypted workbook or a legacy .xls) is refused with a message
 * that says what it is.  Returns ST_OK or ST_INPUT after a message.
 */
static int sniff_container(struct input *in, const char **format)
{
	static const unsigned char cfb[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	unsigned char head[8];
	ssize_t n = input_peek_raw(in, head, sizeof(head));

	if (n < 0)
		return ST_INPUT;
	if (n == 8 && memcmp(head, cfb, 8) == 0)
		return diag(ST_INPUT, "parse", "%s: an OLE2 compound file: a password-protected (encrypted) "
			    "Excel workbook or a legacy .xls, which casepipe cannot read; in Excel, remove the "
			    "password or save it as .xlsx", in->name);
	if (n >= 4 && memcmp(head, "PK\3\4", 4) == 0)
		*format = "xlsx";
	else if (strcmp(*format, "xlsx") == 0)
		return diag(ST_INPUT, "parse", "%s: not an Excel workbook (.xlsx is a zip archive, "
			    "and this is not one)", in->name);
	return ST_OK;
}

/* Reads one input; returns its status. */
static int parse_one(struct parse_state *s, const char *path, struct sink *out,
		     struct progress *progress)
{
	struct input in;
	struct parse_run run = { .in = &in, .opt = &s->opt, .out = out };
	int st = input_open(&in, path, "parse");

	if (st != ST_OK)
		return st;
	const char *format = s->opt.format ? s->opt.format : format_by_name(path);
	st = sniff_container(&in, &format);
	if (st != ST_OK) {
		input_close(&in);
		return st;
	}
	if (s->opt.encoding)
		input_set_encoding(&in, s->opt.encoding);
	record_init(&run.rec);
	run.progress = *progress;
	run.reader = reader_named(format);
	st = run.reader->read(&run);
	/* The readers end a failed read with ST_INPUT; lack of memory is a
	 * system error. */
	if (st == ST_INPUT && in.out_of_memory)
		st = ST_SYSTEM;
	free(run.scratch);
	free(run.names.raw);
	arena_release(&run.names.arena);
	*progress = run.progress;
	progress->bytes_done += in.bytes;
	if (s->opt.verbose) {
		char what[200];
		if (strcmp(format, "xlsx") == 0)
			snprintf(what, sizeof(what), "a zip archive");
		else
			input_describe(&in, what, sizeof(what));
		progress_end(progress);
		diag(ST_OK, "parse", "%s: %s, %s, %lu records", in.name, format, what, run.records);
	}
	if (run.rejected) {
		progress_end(progress);
		diag(ST_ISSUES, "parse", "%s: %lu of %lu records rejected", in.name,
		     run.rejected, run.rejected + run.records);
		st = status_worst(st, ST_ISSUES);
	}
	record_release(&run.rec);
	input_close(&in);
	return status_worst(st, run.status);
}

/* The sum of the inputs' sizes, or 0 when one of them has no known size. */
static unsigned long long total_size(char **files, int n)
{
	unsigned long long total = 0;
	struct stat st;

	for (int i = 0; i < n; i++) {
		if (strcmp(files[i], "-") == 0 || stat(files[i], &st) != 0 || !S_ISREG(st.st_mode))
			return 0;
		total += (unsigned long long)st.st_size;
	}
	return total;
}

static int parse_run_all(void *state, struct sink *out)
{
	struct parse_state *s = state;
	struct progress progress;
	int st = ST_OK;

	progress_init(&progress, "parse", total_size(s->files, s->nfiles));
	for (int i = 0; i < s->nfiles && st < ST_SYSTEM; i++) {
		int one = parse_one(s, s->files[i], out, &progress);
		st = status_worst(st, one);
	}
	progress_end(&progress);
	if (s->opt.show_mapping && st < ST_SYSTEM) {
		fflush(stdout);
		colmap_print(s->opt.map, "input column                     canonical field", stdout);
		if (fflush(stdout) != 0)
			st = diag(ST_SYSTEM, "parse", "write error on stdout");
	}
	return st;
}

static void parse_destroy(void *state)
{
	struct parse_state *s = state;
	colmap_free(s->opt.map);
	free(s);
}

const struct stage stage_parse = {
	.name = "parse",
	.summary = "read CSV, TSV, NDJSON, XML, JSON or xlsx exports into records",
	.usage = usage,
	.flags = STAGE_SOURCE,
	.create = parse_create,
	.run = parse_run_all,
	.destroy = parse_destroy,
};
