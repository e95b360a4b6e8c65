#include <stdarg.h>
#include <stdio.h>

#include "diag.h"

int diag(int status, const char *stage, const char *fmt, ...)
{
	va_list ap;
	char msg[1024];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One fputs per message keeps lines whole when stages share stderr. */
	char line[1200];
	snprintf(line, sizeof(line), "casepipe: %s: %s\n", stage, msg);
	fputs(line, stderr);
	return status;
}

int diag_nomem(const char *stage)
{
	return diag(ST_SYSTEM, stage, "out of memory");
}
