#ifndef CASEPIPE_XLSX_ZIP_H
#define CASEPIPE_XLSX_ZIP_H

#include <stdio.h>
#include <sys/types.h>

#include <zip.h>

#include "input.h"

/*
 * The zip container of an xlsx workbook, on libzip.  Opening checks the
 * whole archive before anything is inflated: libzip's consistency check
 * (ZIP_CHECKCONS: central directory against local headers), no entry name
 * that is absolute or has a ".." component, no encrypted entry.  Entries
 * are read as streams, and the bytes actually inflated are counted (the
 * sizes in the headers are never trusted): an entry stops with exit status
 * 3 past its cap, or when it inflates to more than XLSX_MAX_RATIO times
 * its compressed size once past XLSX_RATIO_FLOOR bytes.
 *
 * Memory is bounded the same way: a cell's text (and a shared string) may
 * have XLSX_MAX_CELL bytes (Excel allows 32767 characters), a row's values
 * XLSX_MAX_ROW bytes.
 *
 * A workbook that does not come from a regular file (a pipe, stdin from a
 * pipe) is spooled to an unlinked temporary file first, up to
 * XLSX_MAX_SPOOL bytes, since a zip archive is read from its end.
 */
#define XLSX_MAX_SHEET   (4ULL << 30)   /* a worksheet's XML */
#define XLSX_MAX_STRINGS (1ULL << 30)   /* the shared strings' XML */
#define XLSX_MAX_PART    (64ULL << 20)  /* workbook, rels, styles */
#define XLSX_MAX_SPOOL   (2ULL << 30)   /* a workbook read from a pipe */
#define XLSX_MAX_CELL    (1U << 20)     /* one cell's or shared string's text */
#define XLSX_MAX_ROW     (64U << 20)    /* the values of one row */
#define XLSX_MAX_RATIO   200ULL
#define XLSX_RATIO_FLOOR (16ULL << 20)

struct xlsx_zip {
	zip_t *za;
	const char *name;  /* the input's name, for messages */
	FILE *spool;       /* the temporary copy, or NULL */
};

/* Opens the archive IN holds; returns ST_OK, or ST_INPUT / ST_SYSTEM after
 * a message.  IN must not have been read through input_read(). */
int xlsx_zip_open(struct xlsx_zip *z, struct input *in);
void xlsx_zip_close(struct xlsx_zip *z);

/* Whether the archive has an entry called NAME. */
int xlsx_zip_has(struct xlsx_zip *z, const char *name);

/* One entry being inflated. */
struct xlsx_entry {
	struct xlsx_zip *z;
	zip_file_t *f;
	char name[256];
	unsigned long long inflated, cap, packed;
	int failed;        /* the status of the message a read gave, or 0 */
};

/* Opens the entry NAME with the cap CAP; ST_OK, or ST_INPUT (also when
 * there is no such entry) or ST_SYSTEM (out of memory) after a message. */
int xlsx_entry_open(struct xlsx_entry *e, struct xlsx_zip *z, const char *name,
		    unsigned long long cap);

/* Inflates up to N bytes into BUF; returns the count, 0 at the end, or -1
 * after a message (E->failed then holds its status). */
ssize_t xlsx_entry_read(struct xlsx_entry *e, void *buf, size_t n);

void xlsx_entry_close(struct xlsx_entry *e);

#endif
