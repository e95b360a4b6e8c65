#ifndef CASEPIPE_PARSE_H
#define CASEPIPE_PARSE_H

#include "colmap.h"
#include "input.h"
#include "progress.h"
#include "stage.h"

/*
 * The parse stage reads each input with the reader for its format.  A
 * reader pulls bytes with input_read(), fills run->rec and hands each
 * record to parse_emit(); rows it cannot make into a record go to
 * parse_reject().  It returns ST_OK, or ST_INPUT when the rest of the
 * input cannot be read (after a message with file:line).
 */
struct parse_options {
	const char *format; /* "csv", "tsv", "ndjson", "xml", or NULL: by name */
	char delimiter;     /* CSV field separator */
	int header;         /* the first row names the columns */
	const char *encoding; /* --encoding, or NULL to detect */
	struct colmap *map;   /* column mapping, or NULL to keep the names */
	int show_mapping;     /* print the mapping instead of records */
	int verbose;        /* -v: say what was detected */
	const char *record_name; /* XML: the record element (--record), or NULL */
	const char *json_path;   /* JSON: the records' JSON Pointer (--path), or NULL */
	int excel;               /* --excel: undo emit --excel's cell encoding */
	const char *sheet;       /* xlsx: the sheet's name or number (--sheet), or NULL */
};

struct parse_run {
	const struct reader *reader;
	struct input *in;
	const struct parse_options *opt;
	struct sink *out;
	struct record rec;
	struct progress progress;
	unsigned long records;   /* records made from this input so far */
	unsigned long rejected;  /* rows of this input rejected */
	int status;              /* worst status returned downstream */
	struct slice file;       /* in->name, measured once by parse_emit() */
	int names_plain;         /* set by the reader: no column name starts
				  * with _, so parse_emit() skips
				  * parse_restore() unless --excel is on */
	const char *sheet;       /* xlsx: the sheet being read, for _source */
	struct slice *scratch;   /* for parse_map_names() */
	size_t scratch_cap;
	struct name_cache {      /* the last record's names, mapped */
		struct slice *raw, *mapped;
		size_t n, cap;
		struct arena arena;
		int valid;
	} names;
};

struct reader {
	const char *format;
	int (*read)(struct parse_run *run);
	int map_each_record; /* names vary by record: parse_emit() maps them */
};

extern const struct reader reader_csv, reader_tsv, reader_ndjson;
extern const struct reader reader_xml;
extern const struct reader reader_json;
extern const struct reader reader_xlsx;

/* Returns 0 when P is a well-formed JSON Pointer (RFC 6901), else -1. */
int json_pointer_check(const char *p);

/* Stamps run->rec's _source (unless it has one), passes it on and clears it.
 * Returns ST_OK, or the status with which downstream asked to stop. */
int parse_emit(struct parse_run *run, unsigned long line);

/* Undoes emit's encodings in run->rec (parse_meta.c): --excel cells, the
 * meta columns of emit --meta, XML <_field name=...>.  ST_OK or ST_SYSTEM. */
int parse_restore(struct parse_run *run);

/* Says where LINE of the input is, for messages: "file:line", or
 * "file:sheet!row" in a workbook.  The text lasts until the next call. */
const char *parse_where(struct parse_run *run, unsigned long line);

/* Counts a rejected row and says why (the first few per input). */
void parse_reject(struct parse_run *run, unsigned long line, const char *why);

/* Names for columns that have none: "column_N", N counting from 1. */
int parse_column_name(char *buf, size_t size, size_t index);

/* Maps the names of the header row, or returns ST_INPUT after a message
 * when two columns map to one field.  LINE locates the header. */
int parse_map_names(struct parse_run *run, struct slice *names, size_t n, unsigned long line);

/* The chunk size readers use for input_read(). */
enum { PARSE_CHUNK = 256 * 1024 };

#endif
