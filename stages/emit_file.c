/*
 * emit's output files: stdout or an atomic -o FILE (pipeline/output.c),
 * with an optional gzip layer.  With gzip, writers fill an in-memory
 * outbuf; emit_file_pump() deflates it into the file's own outbuf once
 * GZ_CHUNK bytes have gathered (a record larger than that just makes the
 * memory buffer grow for a moment), so the whole output is never held.
 */
#include <string.h>
#include <strings.h>

#include "diag.h"
#include "emit.h"

enum { GZ_CHUNK = 256 * 1024 };

static int has_gz_suffix(const char *path)
{
	size_t n = strlen(path);
	return n > 3 && strcasecmp(path + n - 3, ".gz") == 0;
}

int emit_file_open(struct emit_file *f, const char *path, int gzip, int level, const char *stage)
{
	memset(f, 0, sizeof(*f));
	if (path && strcmp(path, "-") == 0)
		path = NULL;
	int st = output_open(&f->out, path, stage);
	if (st != ST_OK)
		return st;
	f->opened = 1;
	f->buf = &f->out.buf;
	f->gzip = gzip || (path && has_gz_suffix(path));
	if (!f->gzip)
		return ST_OK;
	/* windowBits 15 + 16: a gzip header and trailer, not a zlib one. */
	if (deflateInit2(&f->zs, level, Z_DEFLATED, 15 + 16, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK) {
		f->gzip = 0;
		emit_file_abort(f);
		return diag_nomem(stage);
	}
	if (outbuf_init(&f->mem, -1, f->out.buf.name, stage) < 0) {
		emit_file_abort(f);
		return diag_nomem(stage);
	}
	f->buf = &f->mem;
	return ST_OK;
}

/* Deflates the memory buffer into the file's buffer. */
static void deflate_mem(struct emit_file *f, int flush)
{
	struct outbuf *dst = &f->out.buf;

	f->zs.next_in = (Bytef *)f->mem.buf;
	f->zs.avail_in = (uInt)f->mem.len;
	for (;;) {
		if (dst->cap - dst->len < 64 && outbuf_flush(dst) != ST_OK)
			break;
		f->zs.next_out = (Bytef *)dst->buf + dst->len;
		f->zs.avail_out = (uInt)(dst->cap - dst->len);
		int r = deflate(&f->zs, flush);
		dst->len = dst->cap - f->zs.avail_out;
		if (r == Z_STREAM_END)
			break;
		if (r != Z_OK && r != Z_BUF_ERROR) {
			diag(ST_SYSTEM, dst->stage, "%s: compression failed (zlib error %d)", dst->name, r);
			dst->failed = 1;
			break;
		}
		if (f->zs.avail_in == 0 && f->zs.avail_out != 0 && flush != Z_FINISH)
			break;
	}
	f->mem.len = 0;
	if (dst->failed)
		f->mem.failed = 1; /* writers see the failure on their buffer */
}

void emit_file_pump(struct emit_file *f)
{
	if (f->gzip && f->mem.len >= GZ_CHUNK && !f->mem.failed)
		deflate_mem(f, Z_NO_FLUSH);
}

int emit_file_commit(struct emit_file *f)
{
	if (f->gzip) {
		if (f->mem.failed && !f->out.buf.failed) {
			diag(ST_SYSTEM, f->out.buf.stage, "%s: out of memory", f->out.buf.name);
			f->out.buf.failed = 1;
		}
		if (!f->out.buf.failed)
			deflate_mem(f, Z_FINISH);
		deflateEnd(&f->zs);
		outbuf_release(&f->mem);
		f->gzip = 0;
	}
	int st = output_commit(&f->out);
	f->opened = 0;
	return st;
}

void emit_file_abort(struct emit_file *f)
{
	if (f->gzip) {
		deflateEnd(&f->zs);
		f->mem.len = 0;
		outbuf_release(&f->mem);
		f->gzip = 0;
	}
	if (f->opened)
		output_abort(&f->out);
	f->opened = 0;
}
