/*
 * failshim.so — an LD_PRELOAD fault injector for tests/faults/run.sh.
 *
 *   FAILSHIM_MALLOC=N  the Nth call of malloc, calloc or realloc (counted
 *                      together, from the start of main) returns NULL with
 *                      errno ENOMEM;
 *   FAILSHIM_WRITE=N   the Nth call of write() fails with ENOSPC;
 *   FAILSHIM_LOG=FILE  when the fault fires, "fired" is written there, so
 *                      that the runner knows when N has passed the last
 *                      call the command makes.
 * Only one fault is injected a run; later calls succeed (a program that
 * handles the error must still be able to report it and clean up).
 * Calls from inside libc (stdio's own write, for instance) are not seen;
 * casepipe's output goes through write() itself.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);

static long malloc_at, write_at;
static long mallocs, writes;
static int active;
static const char *log_path;

static long env_long(const char *name)
{
	const char *s = getenv(name);
	return s ? strtol(s, NULL, 10) : 0;
}

__attribute__((constructor)) static void failshim_init(void)
{
	malloc_at = env_long("FAILSHIM_MALLOC");
	write_at = env_long("FAILSHIM_WRITE");
	log_path = getenv("FAILSHIM_LOG");
	active = 1;
}

static void fired(void)
{
	if (!log_path)
		return;
	/* Raw system calls: no allocation, and no recursion into write(). */
	int fd = (int)syscall(SYS_openat, AT_FDCWD, log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		syscall(SYS_write, fd, "fired\n", 6);
		syscall(SYS_close, fd);
	}
}

static int fail_malloc(void)
{
	if (!active || !malloc_at)
		return 0;
	if (++mallocs != malloc_at)
		return 0;
	fired();
	return 1;
}

void *malloc(size_t n)
{
	if (fail_malloc()) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	if (fail_malloc()) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	if (fail_malloc()) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_realloc(p, n);
}

ssize_t write(int fd, const void *buf, size_t n)
{
	if (active && write_at && ++writes == write_at) {
		fired();
		errno = ENOSPC;
		return -1;
	}
	return syscall(SYS_write, fd, buf, n);
}
