#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "input.h"

int input_open(struct input *in, const char *path, const char *stage)
{
	struct stat st;

	memset(in, 0, sizeof(*in));
	in->path = path;
	in->stage = stage;
	in->utf8_clean = 1;
	if (strcmp(path, "-") == 0) {
		in->name = "(stdin)";
		in->fd = STDIN_FILENO;
	} else {
		in->name = path;
		in->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0)
			return diag(ST_INPUT, stage, "%s: %s", path, strerror(errno));
	}
	if (fstat(in->fd, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			input_close(in);
			return diag(ST_INPUT, stage, "%s: is a directory", in->name);
		}
		if (S_ISREG(st.st_mode))
			in->size = (unsigned long long)st.st_size;
	}
	return ST_OK;
}

void input_open_memory(struct input *in, const char *name, const void *mem, size_t len)
{
	memset(in, 0, sizeof(*in));
	in->path = in->name = name;
	in->stage = "parse";
	in->fd = -1;
	in->utf8_clean = 1;
	in->mem = mem ? mem : "";
	in->mem_len = len;
	in->size = len;
}

int input_set_encoding(struct input *in, const char *encoding)
{
	iconv_t cd = iconv_open("UTF-8", encoding);
	if (cd == (iconv_t)-1)
		return diag(ST_USAGE, in->stage, "unknown encoding '%s' (see iconv -l)", encoding);
	iconv_close(cd);
	in->encoding = encoding;
	return ST_OK;
}

/* One read(2) of the file, counted, retried on EINTR. */
static ssize_t read_fd(struct input *in, void *buf, size_t cap)
{
	for (;;) {
		ssize_t n = read(in->fd, buf, cap);
		if (n >= 0) {
			in->bytes += (unsigned long long)n;
			return n;
		}
		if (errno != EINTR) {
			diag(ST_INPUT, in->stage, "%s: read error: %s", in->name, strerror(errno));
			return -1;
		}
	}
}

ssize_t input_peek_raw(struct input *in, void *buf, size_t n)
{
	if (n > sizeof(in->peek))
		n = sizeof(in->peek);
	if (in->mem) {
		size_t k = in->mem_len < n ? in->mem_len : n;
		memcpy(buf, in->mem, k);
		return (ssize_t)k;
	}
	while (in->peek_len < n) {
		ssize_t got = read_fd(in, in->peek + in->peek_len, n - in->peek_len);
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		in->peek_len += (size_t)got;
	}
	memcpy(buf, in->peek, in->peek_len);
	return (ssize_t)in->peek_len;
}

ssize_t input_read_raw(struct input *in, void *buf, size_t cap)
{
	if (in->max_read && cap > in->max_read)
		cap = in->max_read;
	if (in->mem) {
		size_t left = in->mem_len - in->bytes;
		size_t n = left < cap ? left : cap;
		memcpy(buf, in->mem + in->bytes, n);
		in->bytes += n;
		return (ssize_t)n;
	}
	if (in->peek_pos < in->peek_len) {
		size_t n = in->peek_len - in->peek_pos;
		if (n > cap)
			n = cap;
		memcpy(buf, in->peek + in->peek_pos, n);
		in->peek_pos += n;
		return (ssize_t)n;
	}
	return read_fd(in, buf, cap);
}

void input_nomem(struct input *in)
{
	diag_nomem(in->stage);
	in->out_of_memory = 1;
}

ssize_t input_read(struct input *in, void *buf, size_t cap)
{
	if (in->failed)
		return -1;
	ssize_t n = decoder_read(in, buf, cap);
	if (n < 0)
		in->failed = 1;
	return n;
}

void input_describe(const struct input *in, char *buf, size_t size)
{
	char enc[160] = "utf-8";
	if (in->dec)
		decoder_describe(in->dec, enc, sizeof(enc));
	snprintf(buf, size, "%s%s", gunzip_active(in->gz) ? "gzip, " : "", enc);
}

void input_close(struct input *in)
{
	if (in->fd > STDIN_FILENO)
		close(in->fd);
	in->fd = -1;
	gunzip_free(in->gz);
	in->gz = NULL;
	decoder_free(in->dec);
	in->dec = NULL;
}
