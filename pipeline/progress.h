#ifndef CASEPIPE_PROGRESS_H
#define CASEPIPE_PROGRESS_H

#include <time.h>

/*
 * Progress on stderr for long runs: records, megabytes, rate, and percent
 * when the input size is known.  Shown only when stderr is a terminal, and
 * only after the first second, so short runs and pipes stay clean.
 */
struct progress {
	int enabled;
	const char *stage;
	unsigned countdown;
	unsigned long long records;
	unsigned long long bytes_done;  /* bytes of inputs already finished */
	unsigned long long bytes_total; /* 0 when unknown */
	struct timespec start, last;
	int shown;
};

void progress_init(struct progress *p, const char *stage, unsigned long long bytes_total);

/* Redraws the line (called by progress_tick() every few thousand records). */
void progress_update(struct progress *p, unsigned long long bytes_now);

/* Counts one record; BYTES_NOW is the bytes read of the current input. */
static inline void progress_tick(struct progress *p, unsigned long long bytes_now)
{
	p->records++;
	if (p->enabled && --p->countdown == 0)
		progress_update(p, bytes_now);
}

/* Erases the progress line, if one was shown. */
void progress_end(struct progress *p);

#endif
