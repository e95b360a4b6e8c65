/*
 * JSON and NDJSON output.  NDJSON is the wire format, one object per line.
 * JSON is one array, streamed: "[", then each record's object on its own
 * line with a comma before all but the first, then "]" — nothing is held
 * back but the current record.  Without a profile a record goes out whole,
 * with "_source", "_raw" and "_issues"; with a profile or --fields the
 * object holds the columns, and those three only with --meta.
 */
#include "emit.h"
#include "wire.h"

/* Writes ROW as an object, without a line end. */
static void write_object(struct emit_writer *w, const struct record *rec,
			 const struct field *row, size_t n)
{
	struct outbuf *o = w->out;

	outbuf_putc(o, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			outbuf_putc(o, ',');
		json_write_string(o, row[i].name);
		outbuf_putc(o, ':');
		json_write_string(o, row[i].value);
	}
	if (!w->profile || w->opt->meta) {
		if (n)
			outbuf_putc(o, ',');
		outbuf_lit(o, "\"_source\":");
		json_write_source(o, rec);
		if (rec->nraw) {
			outbuf_lit(o, ",\"_raw\":");
			json_write_fields(o, rec->raw, rec->nraw);
		}
		if (rec->nissues) {
			outbuf_lit(o, ",\"_issues\":");
			json_write_issues(o, rec);
		}
	}
	outbuf_putc(o, '}');
}

static int ndjson_write(struct emit_writer *w, const struct record *rec,
			const struct field *row, size_t n)
{
	if (!w->profile) {
		wire_write_record(w->out, rec);
		return 0;
	}
	write_object(w, rec, row, n);
	outbuf_putc(w->out, '\n');
	return 0;
}

static int json_begin(struct emit_writer *w)
{
	outbuf_putc(w->out, '[');
	return 0;
}

static int json_write(struct emit_writer *w, const struct record *rec,
		      const struct field *row, size_t n)
{
	if (w->count)
		outbuf_putc(w->out, ',');
	outbuf_putc(w->out, '\n');
	write_object(w, rec, row, n);
	return 0;
}

static void json_end(struct emit_writer *w)
{
	if (w->count)
		outbuf_putc(w->out, '\n');
	outbuf_lit(w->out, "]\n");
}

const struct emit_format emit_ndjson = {
	.name = "ndjson",
	.write = ndjson_write,
};

const struct emit_format emit_json = {
	.name = "json",
	.begin = json_begin,
	.write = json_write,
	.end = json_end,
};
