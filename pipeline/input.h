#ifndef CASEPIPE_INPUT_H
#define CASEPIPE_INPUT_H

#include <stddef.h>
#include <sys/types.h>

/*
 * An input file (or stdin, named "-") read in chunks.  Readers get bytes
 * through input_read() only, so that decompression and re-encoding can sit
 * behind it.  Errors are reported once, with the file name, by input_*().
 */
struct input {
	const char *path;    /* as given; "-" for stdin */
	const char *name;    /* for messages and _source: path, or "(stdin)" */
	const char *stage;   /* for messages */
	int fd;
	unsigned long long bytes;  /* bytes read so far */
	unsigned long long size;   /* total size when known (regular file), else 0 */
	const char *mem;           /* input_open_memory(): the bytes, else NULL */
	size_t mem_len;
	size_t max_read;           /* if not 0, no read returns more (for tests) */
	int started;               /* the start of the input was looked at */
	unsigned char carry[4];    /* bytes read while looking, not yet returned */
	size_t ncarry;
};

/* Opens PATH; returns ST_OK or ST_INPUT after a message. */
int input_open(struct input *in, const char *path, const char *stage);

/* Reads from LEN bytes at MEM, called NAME in messages (for tests). */
void input_open_memory(struct input *in, const char *name, const void *mem, size_t len);

/* Reads up to CAP bytes; returns the count, 0 at end of input, or -1 after
 * a message (the caller ends with ST_INPUT). */
ssize_t input_read(struct input *in, void *buf, size_t cap);

void input_close(struct input *in);

#endif
