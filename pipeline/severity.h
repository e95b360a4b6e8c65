#ifndef CASEPIPE_SEVERITY_H
#define CASEPIPE_SEVERITY_H

/*
 * How bad an issue is.  The order matters: a higher value is worse, so
 * "at or above --fail-on" is a plain comparison.
 */
enum severity {
	SEV_INFO = 0,
	SEV_WARNING = 1,
	SEV_ERROR = 2,
};

/* Returns "info", "warning" or "error". */
const char *severity_name(enum severity sev);

/* Parses a severity name; returns 0 on success, -1 when NAME is unknown. */
int severity_parse(const char *name, enum severity *out);

#endif
