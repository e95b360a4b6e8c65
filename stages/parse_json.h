#ifndef CASEPIPE_PARSE_JSON_H
#define CASEPIPE_PARSE_JSON_H

#include "json_scan.h"
#include "record.h"

/*
 * The JSON reader's strict parser for one value held whole in memory
 * (parse_json_value.c).  The streaming part (parse_json.c) finds the
 * values; this part checks them against RFC 8259 and turns record objects
 * into flat records.  Positions are pointers into the caller's buffer.
 */

/* Objects and arrays may nest JSON_MAX_DEPTH (json_scan.h) deep inside a
 * record (the record's own object is level 1), and this deep around the
 * records in a document. */

/*
 * What went wrong and where.  A hard error (the function returns NULL) is
 * a syntax error: nothing after it can be trusted.  A soft error (a
 * duplicate key, invalid UTF-8 in a string) leaves the value's extent
 * intact, so the caller can reject that one record and go on; only the
 * first soft error is kept.
 */
struct json_error {
	const char *at;
	char text[160];
	const char *soft_at; /* NULL when there was no soft error */
	char soft_text[160];
	int nomem;           /* the hard error is running out of memory */
};

/*
 * Checks the value at P (a non-space byte) in [P, END), inside DEPTH levels
 * of containers; returns the position after it, or NULL.
 */
const char *json_skip_value(const char *p, const char *end, int depth, struct json_error *e);

/* "an object", "a string", ... for the value starting with byte C. */
const char *json_kind(int c);

/*
 * Turns one record object into fields of REC: nested objects become dotted
 * names ("client.name"), an empty nested object and every array stay as
 * compact JSON text, strings are decoded, numbers keep their exact text,
 * and true/false/null become those words.  Names are copied into the
 * record's arena; values that need no decoding point into the caller's
 * buffer, which must outlive the record's use.  Two members that end up
 * with one name (a duplicate key, or "a.b" beside {"a":{"b":..}}) are a
 * soft error.
 */
struct json_flattener {
	struct record *rec;
	char *name;        /* the dotted name being built */
	size_t name_cap;
};

/* Parses the object at P (a '{') into F->rec (which the caller cleared);
 * returns the position after it, or NULL (E says why). */
const char *json_flatten(struct json_flattener *f, const char *p, const char *end,
			 struct json_error *e);

void json_flattener_release(struct json_flattener *f);

#endif
