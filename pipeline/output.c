#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "output.h"

int output_open(struct output *o, const char *path, const char *stage)
{
	memset(o, 0, sizeof(*o));
	if (!path || strcmp(path, "-") == 0) {
		if (outbuf_init(&o->buf, STDOUT_FILENO, "stdout", stage) < 0)
			return diag_nomem(stage);
		return ST_OK;
	}
	size_t len = strlen(path) + sizeof(".XXXXXX");
	o->path = strdup(path);
	o->tmp_path = malloc(len);
	if (!o->path || !o->tmp_path) {
		output_abort(o);
		return diag_nomem(stage);
	}
	snprintf(o->tmp_path, len, "%s.XXXXXX", path);
	int fd = mkstemp(o->tmp_path);
	if (fd < 0) {
		int err = errno;
		free(o->tmp_path);
		o->tmp_path = NULL;
		output_abort(o);
		return diag(ST_SYSTEM, stage, "%s: %s", path, strerror(err));
	}
	/* mkstemp makes the file 0600; give it the mode a plain open would. */
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	if (outbuf_init(&o->buf, fd, o->path, stage) < 0) {
		close(fd);
		output_abort(o);
		return diag_nomem(stage);
	}
	return ST_OK;
}

int output_commit(struct output *o)
{
	int st = outbuf_release(&o->buf);
	if (!o->path)
		return st;
	if (close(o->buf.fd) != 0 && st == ST_OK)
		st = diag(ST_SYSTEM, o->buf.stage, "%s: %s", o->path, strerror(errno));
	o->buf.fd = -1;
	if (st == ST_OK && rename(o->tmp_path, o->path) != 0)
		st = diag(ST_SYSTEM, o->buf.stage, "%s: %s", o->path, strerror(errno));
	if (st != ST_OK) {
		output_abort(o);
		return st;
	}
	free(o->tmp_path);
	o->tmp_path = NULL;
	output_abort(o);
	return ST_OK;
}

void output_abort(struct output *o)
{
	if (o->tmp_path) {
		if (o->buf.fd > STDERR_FILENO)
			close(o->buf.fd);
		unlink(o->tmp_path);
		free(o->tmp_path);
		o->tmp_path = NULL;
	}
	free(o->buf.buf);
	o->buf.buf = NULL;
	free(o->path);
	o->path = NULL;
}
