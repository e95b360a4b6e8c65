#ifndef CASEPIPE_STATUS_H
#define CASEPIPE_STATUS_H

/*
 * Exit statuses, documented in docs/casepipe.1.  Stage functions return one
 * of these; the run ends with the worst one seen.
 */
enum status {
	ST_OK = 0,
	ST_ISSUES = 1, /* issues at or above --fail-on, or records rejected */
	ST_USAGE = 2,  /* bad command line */
	ST_INPUT = 3,  /* input could not be read or parsed at all */
	ST_SYSTEM = 4, /* output or system error: write failed, out of memory */
	ST_STOP = -1,  /* no error, but stop reading (e.g. enough was seen) */
};

static inline int status_worst(int a, int b)
{
	return a > b ? a : b;
}

#endif
