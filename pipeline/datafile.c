#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "datafile.h"

#ifndef CASEPIPE_DATADIR
#define CASEPIPE_DATADIR "/usr/local/share/casepipe"
#endif

static int try(const char *dir, const char *sub, const char *name, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s%s/%s", dir, sub, name);
	return n > 0 && (size_t)n < size && access(buf, R_OK) == 0 ? 0 : -1;
}

int datafile_find(const char *name, char *buf, size_t size)
{
	const char *env = getenv("CASEPIPE_SCHEMAS");
	if (env && *env)
		return try(env, "", name, buf, size);

	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *dir = dirname(exe);
		/* build/casepipe and ./casepipe both sit in or under the tree. */
		if (try(dir, "/schemas", name, buf, size) == 0 ||
		    try(dir, "/../schemas", name, buf, size) == 0 ||
		    try(dir, "/../share/casepipe/schemas", name, buf, size) == 0)
			return 0;
	}
	return try(CASEPIPE_DATADIR, "/schemas", name, buf, size);
}
