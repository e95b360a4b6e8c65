#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "progress.h"

enum { PROGRESS_EVERY = 8192 };

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void progress_init(struct progress *p, const char *stage, unsigned long long bytes_total)
{
	*p = (struct progress){ 0 };
	p->stage = stage;
	p->bytes_total = bytes_total;
	p->enabled = isatty(STDERR_FILENO);
	p->countdown = PROGRESS_EVERY;
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	p->last = p->start;
}

void progress_update(struct progress *p, unsigned long long bytes_now)
{
	struct timespec now;

	p->countdown = PROGRESS_EVERY;
	clock_gettime(CLOCK_MONOTONIC, &now);
	double elapsed = seconds_between(&p->start, &now);
	if (elapsed < 1.0 || seconds_between(&p->last, &now) < 0.25)
		return;
	p->last = now;
	double mb = (double)(p->bytes_done + bytes_now) / 1e6;
	char pct[16] = "";
	if (p->bytes_total)
		snprintf(pct, sizeof(pct), ", %.0f%%", 100.0 * mb * 1e6 / (double)p->bytes_total);
	fprintf(stderr, "\rcasepipe: %s: %llu records, %.1f MB, %.1f MB/s%s\033[K",
		p->stage, p->records, mb, mb / elapsed, pct);
	p->shown = 1;
}

void progress_end(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = 0;
}
