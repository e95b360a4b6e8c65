#include <stdlib.h>

#include "array.h"
#include "diag.h"
#include "rows.h"
#include "utf8.h"

int rows_init(struct rows *r, struct parse_run *run)
{
	*r = (struct rows){ .run = run, .header_pending = run->opt->header };
	strmap_init(&r->taken);
	/* Generated names (column_N) never start with _. */
	run->names_plain = !r->header_pending;
	return 0;
}

void rows_release(struct rows *r)
{
	free(r->names);
	free(r->header_issues);
	strmap_release(&r->taken);
	arena_release(&r->arena);
}

static struct slice arena_text(struct arena *a, const char *fmt_result, size_t len)
{
	char *p = arena_memdup(a, fmt_result, len);
	return p ? (struct slice){ p, len } : SLICE_NULL;
}

/* Takes NAME if no name is taken that looks the same in NDJSON, where
 * invalid UTF-8 shows as U+FFFD (a\xff and a\xfe both as a\ufffd): returns
 * 1 and the name (stored in an arena) in *OUT, 0 when it is taken, or -1
 * when memory runs out. */
static int take_name(struct rows *r, struct slice name, struct slice *out)
{
	int added;

	if (utf8_is_valid(name.ptr, name.len)) {
		struct strmap_entry *e = strmap_add(&r->taken, name, 0, &added);
		if (!e)
			return -1;
		*out = e->key;
		return added;
	}
	char *key = malloc(3 * name.len);
	if (!key)
		return -1;
	size_t klen = utf8_repair(name.ptr, name.len, key);
	struct strmap_entry *e = strmap_add(&r->taken, (struct slice){ key, klen }, 0, &added);
	free(key);
	if (!e)
		return -1;
	if (added && !(*out = arena_text(&r->arena, name.ptr, name.len)).ptr)
		return -1;
	return added;
}

/* Makes NAME unique among the names taken: NAME, else NAME_2, NAME_3...
 * (compared as NDJSON shows them, see take_name).  Returns the unique
 * name, or an empty slice with a NULL ptr when memory runs out. */
static struct slice take_unique_name(struct rows *r, struct slice name)
{
	char buf[256];
	struct slice try = name, taken;

	for (unsigned n = 2;; n++) {
		int got = take_name(r, try, &taken);
		if (got < 0)
			return SLICE_NULL;
		if (got)
			return taken;
		int len = snprintf(buf, sizeof(buf), "%.*s_%u", (int)(name.len > 200 ? 200 : name.len),
				   name.ptr, n);
		try = (struct slice){ buf, (size_t)len };
	}
}

static int add_name(struct rows *r, struct slice name)
{
	if (array_grow((void **)&r->names, &r->names_cap, r->nnames, sizeof(*r->names)) < 0)
		return -1;
	r->names[r->nnames++] = name;
	return 0;
}

/* Returns the name of column I, generating "column_N" names as needed. */
static struct slice column_name(struct rows *r, size_t i)
{
	char buf[32];
	while (r->nnames <= i) {
		int len = parse_column_name(buf, sizeof(buf), r->nnames);
		struct slice name = take_unique_name(r, (struct slice){ buf, (size_t)len });
		if (!name.ptr || add_name(r, name) < 0)
			return SLICE_NULL;
	}
	return r->names[i];
}

static int add_header_issue(struct rows *r, struct slice field, const char *code, const char *msg)
{
	if (array_grow((void **)&r->header_issues, &r->header_issues_cap, r->nheader_issues,
		       sizeof(*r->header_issues)) < 0)
		return -1;
	diag(ST_OK, "parse", "%s: %s", parse_where(r->run, r->line), msg);
	r->header_issues[r->nheader_issues++] = (struct issue){
		.field = field,
		.code = slice_of(code),
		.severity = SEV_WARNING,
		.message = arena_text(&r->arena, msg, strlen(msg)),
	};
	return 0;
}

/* Takes one name of the header row. */
static int header_field(struct rows *r, const char *p, size_t len)
{
	char msg[300];
	struct slice given = { p, len };
	size_t col = r->nnames + 1;

	if (len == 0) {
		char buf[32];
		int n = parse_column_name(buf, sizeof(buf), r->nnames);
		struct slice name = take_unique_name(r, (struct slice){ buf, (size_t)n });
		if (!name.ptr || add_name(r, name) < 0)
			return -1;
		snprintf(msg, sizeof(msg), "column %zu has no name; it is called %.*s", col,
			 (int)name.len, name.ptr);
		return add_header_issue(r, name, "csv.empty_header", msg);
	}
	struct slice name = take_unique_name(r, given);
	if (!name.ptr || add_name(r, name) < 0)
		return -1;
	if (name.len == len)
		return 0;
	snprintf(msg, sizeof(msg), "column %zu repeats the name %.*s%s; it is called %.*s", col,
		 (int)(len > 100 ? 100 : len), p,
		 utf8_is_valid(p, len) ? "" : " (invalid UTF-8 shows as U+FFFD in both)",
		 (int)(name.len > 120 ? 120 : name.len), name.ptr);
	return add_header_issue(r, name, "csv.duplicate_header", msg);
}

int rows_nomem(void)
{
	return diag_nomem("parse");
}

int rows_field_slow(struct rows *r, const char *p, size_t len)
{
	if (r->header_pending)
		return header_field(r, p, len) < 0 ? diag_nomem("parse") : ST_OK;
	struct slice name = column_name(r, r->nf - 1);
	if (!name.ptr || record_append(&r->run->rec, name, (struct slice){ p, len }) < 0)
		return rows_nomem();
	return ST_OK;
}

int rows_flag_field(struct rows *r, const char *code, const char *message)
{
	if (r->header_pending) {
		char msg[300];
		struct slice name = r->names[r->nnames - 1];
		snprintf(msg, sizeof(msg), "column %zu, %.*s: %s", r->nnames,
			 (int)(name.len > 100 ? 100 : name.len), name.ptr, message);
		return add_header_issue(r, name, code, msg) < 0 ? diag_nomem("parse") : ST_OK;
	}
	struct issue is = {
		.field = r->names[r->nf - 1],
		.code = slice_of(code),
		.severity = SEV_WARNING,
		.message = slice_of(message),
	};
	return record_add_issue(&r->run->rec, &is) < 0 ? diag_nomem("parse") : ST_OK;
}

static int add_row_issue(struct record *rec, const char *code, const char *fmt, size_t a, size_t b)
{
	char msg[160];
	int len = snprintf(msg, sizeof(msg), fmt, a, b);
	struct issue is = {
		.code = slice_of(code),
		.severity = SEV_WARNING,
		.message = record_copy(rec, msg, (size_t)len),
	};
	return is.message.ptr ? record_add_issue(rec, &is) : -1;
}

/* Pads a short row or flags a long one. */
static int fix_width(struct rows *r)
{
	struct record *rec = &r->run->rec;
	size_t nf = r->nf;

	if (nf < r->width) {
		for (size_t i = nf; i < r->width; i++)
			if (record_append(rec, r->names[i], SLICE_LIT("")) < 0)
				return -1;
		return add_row_issue(rec, "csv.short_row",
				     "row has %zu of %zu fields; the missing ones are empty", nf, r->width);
	}
	if (nf > r->width)
		return add_row_issue(rec, "csv.long_row",
				     "row has %zu fields where %zu were expected; the extra ones are kept under generated names",
				     nf, r->width);
	return 0;
}

static int end_header(struct rows *r)
{
	r->header_pending = 0;
	r->width = r->nnames;
	r->nf = 0;
	int st = parse_map_names(r->run, r->names, r->nnames, r->line);
	/* Names added later for long rows are generated ones (column_N). */
	r->run->names_plain = 1;
	for (size_t i = 0; i < r->nnames; i++)
		if (r->names[i].len && r->names[i].ptr[0] == '_')
			r->run->names_plain = 0;
	return st;
}

static int end_blank_line(struct rows *r, unsigned long line)
{
	if (r->header_pending || r->width > 1) {
		if (!r->blank_lines++)
			r->first_blank_line = line;
		return ST_OK;
	}
	/* In one-column data an empty line is an empty value. */
	return rows_field(r, line, "", 0);
}

/* Flags each value of the record that is not valid UTF-8. */
static int flag_invalid_utf8(struct record *rec)
{
	for (size_t i = 0; i < rec->nfields; i++) {
		if (utf8_is_valid(rec->fields[i].value.ptr, rec->fields[i].value.len))
			continue;
		struct issue is = {
			.field = rec->fields[i].name,
			.code = SLICE_LIT("parse.invalid_utf8"),
			.severity = SEV_WARNING,
			.message = SLICE_LIT("not valid UTF-8; NDJSON shows the bad bytes as U+FFFD"),
		};
		if (record_add_issue(rec, &is) < 0)
			return -1;
	}
	return 0;
}

int rows_end(struct rows *r, unsigned long line, int utf8_checked)
{
	struct parse_run *run = r->run;

	if (r->nf == 0) {
		int st = end_blank_line(r, line);
		if (st != ST_OK || r->nf == 0)
			return st;
	}
	if (r->header_pending)
		return end_header(r);
	if (r->width == 0)
		r->width = r->nf; /* no header: the first row sets the width */
	if (fix_width(r) < 0 || (!utf8_checked && flag_invalid_utf8(&run->rec) < 0))
		return diag_nomem("parse");
	if (run->records == 0)
		for (size_t i = 0; i < r->nheader_issues; i++)
			if (record_add_issue(&run->rec, &r->header_issues[i]) < 0)
				return diag_nomem("parse");
	r->nf = 0;
	return parse_emit(run, r->line);
}

void rows_drop(struct rows *r)
{
	r->nf = 0;
	record_clear(&r->run->rec);
}

void rows_finish(struct rows *r)
{
	if (r->blank_lines)
		diag(ST_OK, "parse", "%s: %lu blank %s%s skipped", parse_where(r->run, r->first_blank_line),
		     r->blank_lines, r->run->sheet ? "row" : "line", r->blank_lines == 1 ? "" : "s");
}
