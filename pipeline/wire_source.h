#ifndef CASEPIPE_WIRE_SOURCE_H
#define CASEPIPE_WIRE_SOURCE_H

#include "outbuf.h"
#include "record.h"

/*
 * The "_source" member of the NDJSON wire format, written from what the
 * records before wrote: records of one input share its file name, whose
 * JSON text is kept, and their line and record numbers mostly step up by
 * a little, so their decimal text is kept and stepped.  Plain memory owned
 * by the caller, with nothing to free: zero it (= { 0 }) before first use.
 */

/* The decimal text of the number written last (len 0: none yet). */
struct wire_counter {
	char text[24]; /* len digits, then bytes of no meaning */
	unsigned long value;
	unsigned char len;
};

enum { WIRE_SOURCE_TEXT = 512 };

struct wire_source_cache {
	struct wire_counter line, record;
	unsigned short file_len; /* of the file name, then its JSON text, in text */
	unsigned short json_len; /* of "_source":{"file":"NAME" (0: nothing kept) */
	char text[WIRE_SOURCE_TEXT + 16]; /* the last 16: for copies in blocks */
};

/* Writes "_source":{...} for REC (the comma before it is the caller's),
 * byte for byte as json_write_source would, keeping what helps the next
 * record in CACHE. */
void wire_write_source_member(struct outbuf *o, const struct record *rec,
			      struct wire_source_cache *cache);

#endif
