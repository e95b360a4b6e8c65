#include <string.h>

#include "severity.h"

static const char *const names[] = { "info", "warning", "error" };

const char *severity_name(enum severity sev)
{
	if ((unsigned)sev < sizeof(names) / sizeof(names[0]))
		return names[sev];
	return "error";
}

int severity_parse(const char *name, enum severity *out)
{
	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(name, names[i]) == 0) {
			*out = (enum severity)i;
			return 0;
		}
	}
	return -1;
}
