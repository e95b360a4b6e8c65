#ifndef CASEPIPE_RECORD_H
#define CASEPIPE_RECORD_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "severity.h"

/*
 * The record in memory: an ordered list of (name, value) byte slices, the
 * originals of normalised values (_raw), the issues found (_issues) and the
 * record's place in its input (_source).  Values are bytes, never numbers.
 *
 * Ownership: a record borrows every slice stored in it, which must stay
 * valid until record_clear(); copy short-lived bytes with record_copy().
 */

/* A byte string that need not be NUL-terminated and may hold NUL bytes. */
struct slice {
	const char *ptr;
	size_t len;
};

#define SLICE_LIT(s) ((struct slice){ (s), sizeof(s) - 1 })
#define SLICE_NULL ((struct slice){ NULL, 0 })

static inline struct slice slice_of(const char *s)
{
	return (struct slice){ s, s ? strlen(s) : 0 };
}

/* Whether the N >= 4 bytes at A and B are the same.  It is meant for
 * field names and identifiers, which are short: comparing words inline (the last
 * ones overlapping) beats a call to memcmp. */
static inline int short_bytes_eq(const char *a, const char *b, size_t n)
{
	if (n < 8) {
		uint32_t a1, a2, b1, b2;
		memcpy(&a1, a, 4);
		memcpy(&a2, a + n - 4, 4);
		memcpy(&b1, b, 4);
		memcpy(&b2, b + n - 4, 4);
		return ((a1 ^ b1) | (a2 ^ b2)) == 0;
	}
	uint64_t x, y, diff = 0;
	if (n <= 16) { /* no loop (callgrind, 100k rows through parse..validate: -1.6M) */
		memcpy(&x, a, 8);
		memcpy(&y, b, 8);
		diff = x ^ y;
		memcpy(&x, a + n - 8, 8);
		memcpy(&y, b + n - 8, 8);
		return (diff | (x ^ y)) == 0;
	}
	for (size_t i = 0; i + 8 <= n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		diff |= x ^ y;
	}
	memcpy(&x, a + n - 8, 8);
	memcpy(&y, b + n - 8, 8);
	return (diff | (x ^ y)) == 0;
}

static inline int slice_eq(struct slice a, struct slice b)
{
	if (a.len != b.len)
		return 0;
	if (a.len >= 4 && a.len <= 64)
		return short_bytes_eq(a.ptr, b.ptr, a.len);
	return a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0;
}

struct field {
	struct slice name;
	struct slice value;
};

/* One finding about a record; codes are listed in docs/casepipe.1. */
struct issue {
	struct slice field;      /* the field it concerns, or empty */
	struct slice code;       /* e.g. "csv.short_row", "anumber.padded" */
	enum severity severity;
	struct slice message;    /* optional; never holds an unmasked identifier */
	struct slice suggestion; /* optional */
	struct slice related;    /* optional locator of an earlier record */
};

/* Where a record came from: file, physical line it starts on, ordinal;
 * for a workbook, the sheet, and the row number as Excel shows it. */
struct record_source {
	struct slice file;
	unsigned long line;   /* 0 when unknown */
	unsigned long record; /* 1-based number of the record in its input */
	struct slice sheet;   /* empty unless the input is a workbook */
};

/*
 * A note a stage lends the stages after it in the same process, such as
 * what it found out about the record, so that they need not find it out
 * again.  The pipeline never reads a note: TAG names the format of DATA
 * (the address of an object of the module that defines the format), and
 * a stage reads DATA only when it knows TAG.  Lifetime: a stage sets its
 * note just before sink_put and puts back the note it was given when
 * sink_put returns, so a note lives exactly as long as the call it is
 * lent with, like the record; DATA may point at the writer's own memory
 * (its stack or state), and no stage may keep it.  A record starts, and
 * is cleared, with no note (TAG NULL).
 */
struct record_note {
	const void *tag;
	const void *data;
};

struct record {
	struct field *fields;
	size_t nfields, fields_cap;
	struct field *raw;
	size_t nraw, raw_cap;
	struct issue *issues;
	size_t nissues, issues_cap;
	struct record_source source;
	struct arena arena;
	struct record_note note;
};

void record_init(struct record *rec);

/* Empties the record for reuse, keeping its memory. */
void record_clear(struct record *rec);

/* Frees everything the record allocated. */
void record_release(struct record *rec);

/* Copies LEN bytes into the record's arena; returns an empty slice with a
 * NULL ptr when memory runs out. */
struct slice record_copy(struct record *rec, const void *bytes, size_t len);

/* Slow path of record_append(): grows the field list first. */
int record_append_slow(struct record *rec, struct slice name, struct slice value);

/* Appends a field without looking for an existing one of that name.
 * Returns 0, or -1 when memory runs out.  The hot path is inline. */
static inline int record_append(struct record *rec, struct slice name, struct slice value)
{
	if (rec->nfields == rec->fields_cap)
		return record_append_slow(rec, name, value);
	rec->fields[rec->nfields++] = (struct field){ name, value };
	return 0;
}

/* Returns the field called NAME, or NULL. */
struct field *record_find(const struct record *rec, struct slice name);

/* Replaces the value of NAME, or appends the field; 0 or -1 (no memory). */
int record_set(struct record *rec, struct slice name, struct slice value);

/* Records the original VALUE of NAME in _raw, unless _raw already holds an
 * original for it (the first original wins); 0 or -1 (no memory). */
int record_set_raw(struct record *rec, struct slice name, struct slice value);

/* Appends a copy of *ISSUE (its slices stay borrowed); 0 or -1. */
int record_add_issue(struct record *rec, const struct issue *issue);

/* Writes where SRC is into BUF: "file:line", "file:sheet!row" for a
 * workbook, "file: record N" without a line.  Returns BUF. */
const char *record_source_text(const struct record_source *src, char *buf, size_t size);

/* Counts the issues at or above SEV. */
size_t record_count_issues(const struct record *rec, enum severity sev);

#endif
