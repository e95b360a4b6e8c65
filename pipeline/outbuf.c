#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "outbuf.h"

enum { OUTBUF_SIZE = 256 * 1024 };

int outbuf_init(struct outbuf *o, int fd, const char *name, const char *stage)
{
	memset(o, 0, sizeof(*o));
	o->fd = fd;
	o->name = name;
	o->stage = stage;
	o->buf = malloc(OUTBUF_SIZE);
	if (!o->buf)
		return -1;
	o->cap = OUTBUF_SIZE;
	return 0;
}

static void write_all(struct outbuf *o, const char *p, size_t n)
{
	while (n && !o->failed) {
		ssize_t w = write(o->fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			diag(ST_SYSTEM, o->stage, "write error on %s: %s", o->name, strerror(errno));
			o->failed = 1;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

int outbuf_flush(struct outbuf *o)
{
	write_all(o, o->buf, o->len);
	o->len = 0;
	return o->failed ? ST_SYSTEM : ST_OK;
}

int outbuf_release(struct outbuf *o)
{
	int st = o->buf ? outbuf_flush(o) : ST_OK;
	free(o->buf);
	o->buf = NULL;
	o->cap = 0;
	return st;
}

/* A memory buffer grows instead of flushing: makes room for N more
 * bytes; 0, or -1 when memory runs out. */
static int grow_memory(struct outbuf *o, size_t n)
{
	size_t cap = o->cap;
	while (cap - o->len < n)
		cap *= 2;
	char *buf = realloc(o->buf, cap);
	if (!buf) {
		o->failed = 1;
		return -1;
	}
	o->buf = buf;
	o->cap = cap;
	return 0;
}

void outbuf_write_slow(struct outbuf *o, const void *p, size_t n)
{
	if (o->failed) {
		o->len = 0;
		return;
	}
	if (o->fd < 0) {
		if (grow_memory(o, n) == 0) {
			memcpy(o->buf + o->len, p, n);
			o->len += n;
		}
		return;
	}
	outbuf_flush(o);
	if (n >= o->cap / 2) {
		write_all(o, p, n);
		return;
	}
	memcpy(o->buf, p, n);
	o->len = n;
}

char *outbuf_room_slow(struct outbuf *o, size_t n)
{
	if (o->failed)
		return NULL;
	if (o->fd < 0)
		return grow_memory(o, n) == 0 ? o->buf + o->len : NULL;
	if (n > o->cap)
		return NULL;
	return outbuf_flush(o) == ST_OK ? o->buf : NULL;
}

void outbuf_ulong(struct outbuf *o, unsigned long n)
{
	char tmp[24];
	char *end = tmp + sizeof(tmp), *p = end;
	do {
		*--p = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	outbuf_write(o, p, (size_t)(end - p));
}
