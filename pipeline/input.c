#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "input.h"

static const unsigned char utf8_bom[] = { 0xEF, 0xBB, 0xBF };

int input_open(struct input *in, const char *path, const char *stage)
{
	struct stat st;

	memset(in, 0, sizeof(*in));
	in->path = path;
	in->stage = stage;
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
	in->mem = mem ? mem : "";
	in->mem_len = len;
	in->size = len;
}

/* Reads raw bytes from the file or memory. */
static ssize_t read_raw(struct input *in, void *buf, size_t cap)
{
	if (in->max_read && cap > in->max_read)
		cap = in->max_read;
	if (in->mem) {
		size_t n = in->mem_len - in->bytes < cap ? in->mem_len - in->bytes : cap;
		memcpy(buf, in->mem + in->bytes, n);
		return (ssize_t)n;
	}
	for (;;) {
		ssize_t n = read(in->fd, buf, cap);
		if (n >= 0)
			return n;
		if (errno != EINTR) {
			diag(ST_INPUT, in->stage, "%s: read error: %s", in->name, strerror(errno));
			return -1;
		}
	}
}

/* Reads the first bytes of the input and drops a byte order mark. */
static int look_at_start(struct input *in)
{
	in->started = 1;
	while (in->ncarry < sizeof(utf8_bom)) {
		ssize_t n = read_raw(in, in->carry + in->ncarry, sizeof(utf8_bom) - in->ncarry);
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		in->bytes += (unsigned long long)n;
		if (memcmp(in->carry, utf8_bom, in->ncarry + (size_t)n) != 0) {
			in->ncarry += (size_t)n;
			return 0;
		}
		in->ncarry += (size_t)n;
	}
	if (in->ncarry == sizeof(utf8_bom))
		in->ncarry = 0;
	return 0;
}

ssize_t input_read(struct input *in, void *buf, size_t cap)
{
	if (!in->started && look_at_start(in) < 0)
		return -1;
	if (in->ncarry) {
		size_t n = in->ncarry < cap ? in->ncarry : cap;
		memcpy(buf, in->carry, n);
		memmove(in->carry, in->carry + n, in->ncarry - n);
		in->ncarry -= n;
		return (ssize_t)n;
	}
	ssize_t n = read_raw(in, buf, cap);
	if (n > 0)
		in->bytes += (unsigned long long)n;
	return n;
}

void input_close(struct input *in)
{
	if (in->fd > STDIN_FILENO)
		close(in->fd);
	in->fd = -1;
}
