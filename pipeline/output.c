#include <errno.h>
#include <fcntl.h>
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
	/* A device or a FIFO (-o /dev/null, /dev/stdout on a pipe) is written
	 * in place: renaming a file over it would replace the device node.  A
	 * symbolic link to a file is followed, so that the link stays. */
	struct stat sb;
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode) && !S_ISDIR(sb.st_mode)) {
		int fd = open(path, O_WRONLY);
		if (fd < 0)
			return diag(ST_SYSTEM, stage, "%s: %s", path, strerror(errno));
		if (!(o->path = strdup(path)) || outbuf_init(&o->buf, fd, o->path, stage) < 0) {
			close(fd);
			free(o->path);
			o->path = NULL;
			return diag_nomem(stage);
		}
		return ST_OK;
	}
	char *real = NULL;
	if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode) && (real = realpath(path, NULL)))
		path = real;
	size_t len = strlen(path) + sizeof(".XXXXXX");
	o->path = strdup(path);
	free(real);
	path = o->path;
	o->tmp_path = malloc(len);
	if (!o->path || !o->tmp_path) {
		output_abort(o);
		return diag_nomem(stage);
	}
	snprintf(o->tmp_path, len, "%s.XXXXXX", path);
	int fd = mkstemp(o->tmp_path);
	if (fd < 0) {
		int st = diag(ST_SYSTEM, stage, "%s: %s", path, strerror(errno));
		free(o->tmp_path);
		o->tmp_path = NULL;
		output_abort(o); /* frees path */
		return st;
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
	if (st == ST_OK && o->tmp_path && rename(o->tmp_path, o->path) != 0)
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
	} else if (o->path && o->buf.fd > STDERR_FILENO) {
		close(o->buf.fd); /* a device written in place */
		o->buf.fd = -1;
	}
	free(o->buf.buf);
	o->buf.buf = NULL;
	free(o->path);
	o->path = NULL;
}
