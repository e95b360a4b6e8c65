/*
 * What parse undoes of emit's flat formats, as a pass over each record
 * before it is passed on (called by parse_emit()):
 *
 *   - with --excel, the spreadsheet-safe cells of emit --excel (excel.h),
 *     in values and column names;
 *   - the meta columns of emit --meta: columns (CSV, TSV) or elements
 *     (XML) named _source, _raw and _issues holding JSON text go back
 *     into the record's _source, _raw and _issues; the JSON reader's
 *     flattened _source.file, _source.line, _source.record and _raw.NAME
 *     fields (a JSON array written by emit) do the same;
 *   - XML: <_field name="N">V</_field>, which the XML reader gives as the
 *     fields _field.@name = N and _field = V (_field_2 ... for later
 *     ones), becomes the field N = V.
 *
 * Names starting with _ are casepipe's own (see the wire format), so this
 * runs without an option.  Meta text that is not what emit writes is
 * left as it is, with a parse.bad_meta warning; a column then called
 * exactly _source, _raw or _issues is an input column that would clash
 * with the record's own member on the wire, so it is renamed as a
 * repeated header is (_source_2, or the next free _N) with a
 * parse.reserved_name warning.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "excel.h"
#include "outbuf.h"
#include "parse.h"
#include "wire.h"

static int excel_pass(struct record *rec)
{
	for (size_t i = 0; i < rec->nfields; i++) {
		struct field *f = &rec->fields[i];
		f->value = excel_decode(rec, f->value);
		f->name = excel_decode(rec, f->name);
		if ((!f->value.ptr && f->value.len) || !f->name.ptr)
			return -1;
	}
	return 0;
}

static int starts_with(struct slice s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.len >= n && memcmp(s.ptr, prefix, n) == 0;
}

/* Whether NAME is _field or _field_N. */
static int is_field_element(struct slice name)
{
	if (!starts_with(name, "_field"))
		return 0;
	if (name.len == 6)
		return 1;
	if (name.len < 8 || name.ptr[6] != '_')
		return 0;
	for (size_t i = 7; i < name.len; i++)
		if (name.ptr[i] < '0' || name.ptr[i] > '9')
			return 0;
	return 1;
}

/* XML: folds each _field[_N].@name / _field[_N] pair into one field. */
static void fold_field_elements(struct record *rec)
{
	size_t out = 0;
	for (size_t i = 0; i < rec->nfields; i++) {
		struct field f = rec->fields[i];
		struct slice n = f.name;
		if (i + 1 < rec->nfields && n.len > 6 && starts_with((struct slice){ n.ptr + n.len - 6, 6 }, ".@name")) {
			struct slice base = { n.ptr, n.len - 6 };
			if (is_field_element(base) && slice_eq(rec->fields[i + 1].name, base)) {
				f = (struct field){ f.value, rec->fields[i + 1].value };
				i++;
			}
		}
		rec->fields[out++] = f;
	}
	rec->nfields = out;
}

/* The names of the record's own members in the wire format. */
static int is_reserved(struct slice n)
{
	return slice_eq(n, SLICE_LIT("_source")) || slice_eq(n, SLICE_LIT("_raw")) ||
	       slice_eq(n, SLICE_LIT("_issues"));
}

static int digits(struct slice s)
{
	if (!s.len)
		return 0;
	for (size_t i = 0; i < s.len; i++)
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return 0;
	return 1;
}

/* Writes the record's meta fields as one JSON object into O and marks
 * them in DROP.  Returns the number found, or -1 when one cannot be
 * JSON (a non-numeric _source.line). */
static int gather(const struct record *rec, struct outbuf *o, unsigned char *drop)
{
	int found = 0, source = 0, raw = 0;

	outbuf_putc(o, '{');
	for (size_t i = 0; i < rec->nfields; i++) {
		struct slice n = rec->fields[i].name, v = rec->fields[i].value;
		if (is_reserved(n)) {
			drop[i] = 1, found++;
			if (!v.len)
				continue;
			outbuf_lit(o, ",\"");
			outbuf_write(o, n.ptr, n.len);
			outbuf_lit(o, "\":");
			outbuf_write(o, v.ptr, v.len);
		}
	}
	for (size_t i = 0; i < rec->nfields; i++) {
		struct slice n = rec->fields[i].name, v = rec->fields[i].value;
		int is_src = starts_with(n, "_source.");
		if (!is_src)
			continue;
		struct slice key = { n.ptr + 8, n.len - 8 };
		int num = slice_eq(key, SLICE_LIT("line")) || slice_eq(key, SLICE_LIT("record"));
		if (!num && !slice_eq(key, SLICE_LIT("file")))
			continue;
		if (num && !digits(v))
			return -1;
		drop[i] = 1, found++;
		if (source++)
			outbuf_putc(o, ',');
		else
			outbuf_lit(o, ",\"_source\":{");
		json_write_string(o, key);
		outbuf_putc(o, ':');
		if (num)
			outbuf_write(o, v.ptr, v.len);
		else
			json_write_string(o, v);
	}
	if (source)
		outbuf_putc(o, '}');
	for (size_t i = 0; i < rec->nfields; i++) {
		struct slice n = rec->fields[i].name;
		if (!starts_with(n, "_raw.") || n.len == 5)
			continue;
		drop[i] = 1, found++;
		if (raw++)
			outbuf_putc(o, ',');
		else
			outbuf_lit(o, ",\"_raw\":{");
		json_write_string(o, (struct slice){ n.ptr + 5, n.len - 5 });
		outbuf_putc(o, ':');
		json_write_string(o, rec->fields[i].value);
	}
	if (raw)
		outbuf_putc(o, '}');
	outbuf_putc(o, '}');
	if (o->len > 2 && o->buf[1] == ',')
		o->buf[1] = ' ';
	return found;
}

/* Copies the meta of FROM into REC. */
static int transfer(struct record *rec, const struct record *from)
{
	if (from->source.file.len || from->source.line || from->source.record) {
		rec->source.file = record_copy(rec, from->source.file.ptr, from->source.file.len);
		rec->source.sheet = record_copy(rec, from->source.sheet.ptr, from->source.sheet.len);
		rec->source.line = from->source.line;
		rec->source.record = from->source.record;
		if (!rec->source.file.ptr || !rec->source.sheet.ptr)
			return -1;
	}
	for (size_t i = 0; i < from->nraw; i++) {
		struct slice n = record_copy(rec, from->raw[i].name.ptr, from->raw[i].name.len);
		struct slice v = record_copy(rec, from->raw[i].value.ptr, from->raw[i].value.len);
		if (!n.ptr || !v.ptr || record_set_raw(rec, n, v) < 0)
			return -1;
	}
	for (size_t i = 0; i < from->nissues; i++) {
		struct issue is = from->issues[i];
		struct slice *s[] = { &is.field, &is.code, &is.message, &is.suggestion, &is.related };
		for (size_t k = 0; k < sizeof(s) / sizeof(s[0]); k++)
			if (s[k]->len && !(*s[k] = record_copy(rec, s[k]->ptr, s[k]->len)).ptr)
				return -1;
		if (record_add_issue(rec, &is) < 0)
			return -1;
	}
	return 0;
}

static int bad_meta(struct record *rec, const char *err)
{
	struct issue is = {
		.code = SLICE_LIT("parse.bad_meta"),
		.severity = SEV_WARNING,
		.message = record_copy(rec, err, strlen(err)),
	};
	return is.message.ptr && record_add_issue(rec, &is) == 0 ? ST_OK : diag_nomem("parse");
}

/* Renames the fields called _source, _raw or _issues that were not taken as
 * meta (see the top); returns 0, or -1 when memory runs out. */
static int rename_reserved(struct record *rec)
{
	for (size_t i = 0; i < rec->nfields; i++) {
		struct slice n = rec->fields[i].name, to;
		char name[32], msg[120];
		int len = 0;

		if (!is_reserved(n))
			continue;
		unsigned k = 2;
		do
			len = snprintf(name, sizeof(name), "%.*s_%u", (int)n.len, n.ptr, k++);
		while (record_find(rec, (struct slice){ name, (size_t)len }));
		to = record_copy(rec, name, (size_t)len);
		len = snprintf(msg, sizeof(msg), "%.*s is a name casepipe keeps for its own member; the column "
			       "is called %s", (int)n.len, n.ptr, name);
		struct issue is = {
			.field = to,
			.code = SLICE_LIT("parse.reserved_name"),
			.severity = SEV_WARNING,
			.message = record_copy(rec, msg, (size_t)len),
		};
		if (!to.ptr || !is.message.ptr || record_add_issue(rec, &is) < 0)
			return -1;
		rec->fields[i].name = to;
	}
	return 0;
}

static int restore_meta(struct record *rec)
{
	struct outbuf o;
	struct record from;
	char err[200];
	unsigned char *drop = calloc(rec->nfields, 1);
	int st = ST_OK;

	if (!drop || outbuf_init(&o, -1, "meta", "parse") < 0) {
		free(drop);
		return diag_nomem("parse");
	}
	record_init(&from);
	int found = gather(rec, &o, drop);
	if (o.failed) {
		st = diag_nomem("parse");
	} else if (found < 0) {
		st = bad_meta(rec, "_source.line and _source.record must be numbers; kept as fields");
		if (st == ST_OK && rename_reserved(rec) < 0)
			st = diag_nomem("parse");
	} else if (found > 0) {
		if (wire_read_record(&from, o.buf, o.len, err, sizeof(err)) < 0) {
			char msg[260];
			snprintf(msg, sizeof(msg), "meta columns are not emit's JSON (%s); kept as fields", err);
			st = bad_meta(rec, msg);
			if (st == ST_OK && rename_reserved(rec) < 0)
				st = diag_nomem("parse");
		} else if (transfer(rec, &from) < 0) {
			st = diag_nomem("parse");
		} else {
			size_t out = 0;
			for (size_t i = 0; i < rec->nfields; i++)
				if (!drop[i])
					rec->fields[out++] = rec->fields[i];
			rec->nfields = out;
		}
	}
	record_release(&from);
	o.len = 0;
	outbuf_release(&o);
	free(drop);
	return st;
}

int parse_restore(struct parse_run *run)
{
	struct record *rec = &run->rec;
	size_t i;

	if (run->opt->excel && excel_pass(rec) < 0)
		return diag_nomem("parse");
	for (i = 0; i < rec->nfields; i++)
		if (rec->fields[i].name.len && rec->fields[i].name.ptr[0] == '_')
			break;
	if (i == rec->nfields)
		return ST_OK;
	fold_field_elements(rec);
	return restore_meta(rec);
}
