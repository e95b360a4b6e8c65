#ifndef CASEPIPE_DIAG_H
#define CASEPIPE_DIAG_H

#include "status.h"

/*
 * Messages on stderr in git's style: "casepipe: STAGE: LOCATOR: text",
 * lower case, no full stop.  Callers format the locator ("file:line")
 * themselves.  Messages must never carry an unmasked A-Number or account
 * number.
 */

/* Prints "casepipe: STAGE: ..." and returns STATUS, so that callers can
 * write `return diag(ST_INPUT, "parse", "%s: ...", name)`. */
int diag(int status, const char *stage, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Reports that STAGE could not allocate memory; returns ST_SYSTEM. */
int diag_nomem(const char *stage);

#endif
