#ifndef CASEPIPE_EMIT_H
#define CASEPIPE_EMIT_H

#include <stdint.h>
#include <zlib.h>

#include "output.h"
#include "stage.h"
#include "strmap.h"

/*
 * The emit stage and its writers.  emit.c reads the options, applies the
 * profile (emit_profile.c) to each record, decides whether the record is
 * rejected, and hands the row to the writer of the output format: one
 * file per format (emit_delimited.c for CSV and TSV, emit_json.c for JSON
 * and NDJSON, emit_xml.c for XML).  emit_file.c opens outputs, with gzip.
 * excel.h holds the spreadsheet-safe cell rules that parse --excel undoes.
 *
 * Ownership: a row's slices borrow from the record and the profile; a
 * writer copies nothing it keeps past the call, except the CSV header.
 */

/* A column of a target layout (a profile, or --fields). */
struct emit_column {
	struct slice name;      /* output column name */
	struct slice field;     /* the record field behind it; empty: a constant */
	struct slice constant;  /* the value when field is empty */
	struct slice fallback;  /* "default": the value when the field is empty */
	int raw;                /* write the original from _raw when there is one */
	int required;           /* empty or missing: the record is rejected */
	int text;               /* --excel: always protect the value as text */
	int unmapped;           /* EMIT_UNMAPPED_*: a value the map lacks */
	struct strmap map;      /* value -> index into map_to; count 0: no map */
	struct slice *map_to;
};

enum { EMIT_UNMAPPED_REJECT, EMIT_UNMAPPED_KEEP, EMIT_UNMAPPED_EMPTY };

struct emit_profile {
	char *path;              /* the file, for messages; NULL for --fields */
	struct emit_column *cols;
	size_t ncols;
	char *format;            /* the profile's output format, or NULL */
	int excel;               /* the profile asks for --excel */
	struct arena arena;      /* the profile's strings */
};

/* Loads the profile at PATH (a file, or a name under schemas/profiles/).
 * Returns ST_OK, or ST_USAGE after a message naming file and line:column
 * (JSON syntax) or the JSON path of the bad member. */
int emit_profile_load(struct emit_profile *p, const char *path);

/* Makes a profile of the comma-separated field names in LIST. */
int emit_profile_fields(struct emit_profile *p, const char *list);

void emit_profile_release(struct emit_profile *p);

/* Why a row cannot be written; the first reason found. */
struct emit_reason {
	const char *code;        /* e.g. "emit.required"; NULL: none */
	struct slice field;
	char text[200];
};

/* Builds the row of REC under profile P into *ROW (reused; N cells).
 * Returns 0, -1 with *WHY set when the record must be rejected, or -2
 * when memory runs out. */
int emit_profile_apply(const struct emit_profile *p, const struct record *rec,
		       struct field **row, size_t *cap, struct emit_reason *why);

struct emit_options {
	const char *format;  /* csv, tsv, json, ndjson or xml */
	int meta;            /* add _source, _raw and _issues */
	char delimiter;      /* CSV */
	int excel;           /* CSV/TSV: spreadsheet-safe cells, BOM, CRLF */
	const char *root;    /* XML root element */
	const char *record;  /* XML record element */
};

/* The header of a delimited output: the profile's or the first record's,
 * and how rows under it are written. */
struct emit_header {
	struct slice *names;
	unsigned char *text;     /* --excel: column always protected as text */
	size_t n;
	struct strmap index;     /* name -> column */
	struct slice *row;       /* values by column, for records out of order */
	int in_order;            /* check() found the row's names in header order */
	int lone;                /* CSV of one column: an empty value is quoted */
	char sep;                /* the field separator */
	uint64_t stop_a, stop_b; /* SWAR masks of two bytes that need care */
};

struct emit_writer {
	struct outbuf *out;
	const struct emit_options *opt;
	const struct emit_profile *profile; /* NULL: the records' own fields */
	int started;             /* begin() has run */
	unsigned long count;     /* records written */
	struct emit_header header;
	int have_header;
	struct outbuf scratch;   /* in memory: meta JSON text, Excel cells */
	struct outbuf cell;
};

/*
 * An output format.  begin() writes what comes before the first record
 * (run once, at the first record or at the end of an empty stream), end()
 * what comes after the last.  check() looks at a row before anything of it
 * is written and may refuse it; write() then cannot fail but for memory.
 * ROW is the row to write (the record's fields, or the profile's cells);
 * REC gives the meta columns.  check() and write() return 0, -1 (check:
 * refused, WHY set) or -2 (no memory).
 */
struct emit_format {
	const char *name;
	int (*begin)(struct emit_writer *w);
	int (*check)(struct emit_writer *w, const struct field *row, size_t n,
		     struct emit_reason *why);
	int (*write)(struct emit_writer *w, const struct record *rec,
		     const struct field *row, size_t n);
	void (*end)(struct emit_writer *w);
};

extern const struct emit_format emit_csv, emit_tsv, emit_json, emit_ndjson, emit_xml;

void emit_writer_release(struct emit_writer *w);

/* The meta columns of --meta, in order: _source, _raw, _issues. */
enum { EMIT_NMETA = 3 };
extern const struct slice emit_meta_names[EMIT_NMETA];

/* Renders meta column M of REC as JSON text into w->scratch and returns
 * it (empty when REC has nothing there), or a slice with a NULL ptr when
 * memory runs out. */
struct slice emit_meta_text(struct emit_writer *w, const struct record *rec, int m);

/* Whether NAME is written as an XML element (else as <_field name=...>). */
int emit_xml_name_ok(struct slice name);

/* Whether NAME is a canonical identifier field, kept as text by --excel. */
int emit_is_identifier(struct slice name);

/*
 * An output file: stdout or -o FILE (atomic, see output.h), optionally
 * gzip-compressed.  Writers write into buf; emit_file_pump() after each
 * record deflates what is there when enough has gathered, so memory stays
 * bounded.
 */
struct emit_file {
	struct output out;
	struct outbuf mem;       /* gzip: the uncompressed bytes */
	struct outbuf *buf;      /* where writers write: &out.buf or &mem */
	z_stream zs;
	int gzip, opened;
};

/* Opens PATH (NULL or "-": stdout); GZIP 1 compresses (also when PATH
 * ends in .gz) at deflate LEVEL (1-9).  ST_OK, or ST_SYSTEM after a
 * message. */
int emit_file_open(struct emit_file *f, const char *path, int gzip, int level, const char *stage);

/* gzip's own default level: 28% of the size of bench/data's CSV output
 * at 24 MB/s of it; level 1 is 2.5 times as fast and 21% larger. */
enum { EMIT_GZIP_LEVEL = 6 };
void emit_file_pump(struct emit_file *f);
/* Finishes the stream and renames it into place; ST_OK or ST_SYSTEM. */
int emit_file_commit(struct emit_file *f);
void emit_file_abort(struct emit_file *f);

#endif
