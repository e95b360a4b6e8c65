#ifndef CASEPIPE_WIRE_H
#define CASEPIPE_WIRE_H

#include "outbuf.h"
#include "record.h"
#include "wire_source.h"

/*
 * The NDJSON wire format (see docs/casepipe.1): one object per line, the
 * fields in order with string values, then "_source", "_raw" and
 * "_issues" when they have content.
 */

/* Writes S as a JSON string with its quotes.  Ill-formed UTF-8 bytes are
 * written as U+FFFD, so the output is always valid JSON. */
void json_write_string(struct outbuf *o, struct slice s);

/* Writes REC as one line of NDJSON, newline included. */
void wire_write_record(struct outbuf *o, const struct record *rec);

/*
 * The JSON text ("name":) of the field names of records already written,
 * so that records with the same fields as the last one are written faster,
 * and what their "_source" members had (wire_source.h).
 * The Nth name of a record is compared byte for byte with the Nth name
 * kept, so any records may be written with one cache, in any order.  Plain
 * memory owned by the caller, with nothing to free: zero it (= { 0 })
 * before first use.
 */
enum { WIRE_NAMES_MAX = 64, WIRE_NAMES_TEXT = 4096 };

struct wire_names_slot {
	unsigned short off;      /* of the name, then its JSON text, in text */
	unsigned short name_len; /* 0: nothing kept */
	unsigned short json_len; /* right after name_len: the two are read at once */
};

struct wire_names {
	struct wire_names_slot slot[WIRE_NAMES_MAX];
	size_t used; /* bytes of text in use */
	char text[WIRE_NAMES_TEXT];
	struct wire_source_cache source;
};

/* wire_write_record, with the field names' JSON text kept in NAMES. */
void wire_write_record_names(struct outbuf *o, const struct record *rec,
			     struct wire_names *names);

/* Writes the fields as a JSON object (no newline), e.g. for _raw. */
void json_write_fields(struct outbuf *o, const struct field *f, size_t n);

/* Writes REC's issues as a JSON array (no newline). */
void json_write_issues(struct outbuf *o, const struct record *rec);

/* Writes REC's _source as a JSON object (no newline). */
void json_write_source(struct outbuf *o, const struct record *rec);

/*
 * Parses one NDJSON line into REC (cleared first): string values are kept
 * byte for byte, other scalars as their JSON text, nested objects and
 * arrays as compact JSON text, and "_source", "_raw" and "_issues" back
 * into their places.  Returns 0, or -1 with a message naming the column in
 * ERR.  The record copies what it keeps into its arena.
 */
int wire_read_record(struct record *rec, const char *line, size_t len,
		     char *err, size_t errlen);

#endif
