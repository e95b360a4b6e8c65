#ifndef CASEPIPE_INPUT_H
#define CASEPIPE_INPUT_H

#include <stddef.h>
#include <sys/types.h>

/*
 * An input file (or stdin, named "-") read in chunks.  Readers get bytes
 * through input_read() only, and always get UTF-8 text: gzip data (found by
 * its magic bytes, whatever the name) is inflated, a byte order mark is
 * removed, UTF-16 with a BOM is converted, and input that is not UTF-8 is
 * read as Windows-1252 unless input_set_encoding() names another encoding.
 * Errors are reported once, with the file name, by input_*().
 */
struct gunzip;
struct decoder;

struct input {
	const char *path;    /* as given; "-" for stdin */
	const char *name;    /* for messages and _source: path, or "(stdin)" */
	const char *stage;   /* for messages */
	int fd;
	unsigned long long bytes;  /* bytes read from the file so far */
	unsigned long long size;   /* the file's size when known, else 0 */
	const char *mem;           /* input_open_memory(): the bytes, else NULL */
	size_t mem_len;
	size_t max_read;           /* if not 0, no read returns more (for tests) */
	int utf8_clean;            /* every byte returned so far was valid UTF-8 */
	struct gunzip *gz;         /* the gzip layer, once the start was seen */
	struct decoder *dec;       /* the encoding layer */
	const char *encoding;      /* forced encoding, or NULL to detect */
	int failed;                /* an error was reported: reads return -1 */
	unsigned char peek[8];     /* input_peek_raw()'s bytes, not yet returned */
	size_t peek_len, peek_pos;
	int out_of_memory;         /* ... and it was lack of memory (ST_SYSTEM) */
};

/* Opens PATH; returns ST_OK or ST_INPUT after a message. */
int input_open(struct input *in, const char *path, const char *stage);

/* Reads from LEN bytes at MEM, called NAME in messages (for tests). */
void input_open_memory(struct input *in, const char *name, const void *mem, size_t len);

/* Reads the input as ENCODING (an iconv name) instead of detecting it;
 * call before the first read.  Returns ST_OK or ST_USAGE after a message. */
int input_set_encoding(struct input *in, const char *encoding);

/* Copies up to N (at most 8) of the input's first raw bytes, before any
 * gzip or encoding layer, into BUF without consuming them (a pipe's bytes
 * are kept for the first reads); call before any read.  Returns the count
 * (fewer at the end of input), or -1 after a message. */
ssize_t input_peek_raw(struct input *in, void *buf, size_t n);

/* Reads up to CAP bytes of UTF-8 text; returns the count, 0 at end of
 * input, or -1 after a message (the caller ends with ST_INPUT, or
 * ST_SYSTEM when in->out_of_memory is set). */
ssize_t input_read(struct input *in, void *buf, size_t cap);

/* Says that memory ran out while reading IN (in a layer under
 * input_read(), or in a reader's own buffer) and sets in->out_of_memory, so
 * that the read ends with ST_SYSTEM rather than ST_INPUT. */
void input_nomem(struct input *in);

/* Describes what was found, e.g. "gzip, windows-1252 (not UTF-8 at byte
 * 1234)", into BUF. */
void input_describe(const struct input *in, char *buf, size_t size);

void input_close(struct input *in);

/* The layers under input_read(), for input.c, gunzip.c and decode.c only. */
ssize_t input_read_raw(struct input *in, void *buf, size_t cap);
ssize_t gunzip_read(struct input *in, void *buf, size_t cap);
void gunzip_free(struct gunzip *gz);
int gunzip_active(const struct gunzip *gz);
ssize_t decoder_read(struct input *in, void *buf, size_t cap);
void decoder_describe(const struct decoder *dec, char *buf, size_t size);
void decoder_free(struct decoder *dec);

#endif
