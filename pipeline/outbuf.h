#ifndef CASEPIPE_OUTBUF_H
#define CASEPIPE_OUTBUF_H

#include <stddef.h>
#include <string.h>

/*
 * A write buffer over a file descriptor.  Write errors are sticky: after the
 * first one every call does nothing and outbuf_flush() returns ST_SYSTEM,
 * having printed one message naming the output.  With fd -1 the buffer is
 * in memory only and grows instead of flushing.  The hot path is inline.
 */
struct outbuf {
	int fd;
	const char *name;  /* for messages: "stdout" or the file name */
	const char *stage; /* for messages */
	char *buf;
	size_t len, cap;
	int failed;
};

/* Returns 0, or -1 when the buffer cannot be allocated. */
int outbuf_init(struct outbuf *o, int fd, const char *name, const char *stage);

/* Writes out what is buffered; returns ST_OK or ST_SYSTEM. */
int outbuf_flush(struct outbuf *o);

/* Flushes, then frees the buffer (the descriptor stays open). */
int outbuf_release(struct outbuf *o);

/* Slow path of outbuf_write(): flushes and writes large blocks directly. */
void outbuf_write_slow(struct outbuf *o, const void *p, size_t n);

static inline void outbuf_write(struct outbuf *o, const void *p, size_t n)
{
	if (n <= o->cap - o->len) {
		memcpy(o->buf + o->len, p, n);
		o->len += n;
	} else {
		outbuf_write_slow(o, p, n);
	}
}

static inline void outbuf_putc(struct outbuf *o, char c)
{
	if (o->len < o->cap)
		o->buf[o->len++] = c;
	else
		outbuf_write_slow(o, &c, 1);
}

/* Slow path of outbuf_room(). */
char *outbuf_room_slow(struct outbuf *o, size_t n);

/*
 * Returns where the next N bytes go, having made room for them (a file's
 * buffer is flushed, a memory buffer grows), for a writer that fills them
 * itself and then adds to o->len what it wrote.  Returns NULL when N is
 * more than a file's buffer holds (write those with outbuf_write()) or
 * after an error.  Writers that copy and test bytes in one pass use it.
 */
static inline char *outbuf_room(struct outbuf *o, size_t n)
{
	if (n <= o->cap - o->len)
		return o->buf + o->len;
	return outbuf_room_slow(o, n);
}

#define outbuf_lit(o, s) outbuf_write((o), (s), sizeof(s) - 1)

/* Marks the output failed because memory ran out while it was being made:
 * prints one message naming it, drops what is buffered, and makes the
 * failure sticky, so that nothing more is written, outbuf_flush() returns
 * ST_SYSTEM and an -o file is not committed (output_commit). */
void outbuf_nomem(struct outbuf *o);

/* Writes N as decimal. */
void outbuf_ulong(struct outbuf *o, unsigned long n);

#endif
