#include <stdio.h>
#include <string.h>

#include "stage.h"

extern const struct stage stage_parse, stage_emit;
extern const struct stage stage_report;
extern const struct stage stage_normalise, stage_validate;

/* The stage table: add a stage by adding its descriptor here. */
const struct stage *const stages[] = {
	&stage_parse,
	&stage_normalise,
	&stage_validate,
	&stage_report,
	&stage_emit,
	NULL,
};

const struct stage *stage_find(const char *name)
{
	for (size_t i = 0; stages[i]; i++)
		if (strcmp(stages[i]->name, name) == 0)
			return stages[i];
	return NULL;
}

int stage_usage_error(const struct stage *stage)
{
	fprintf(stderr, "Try 'casepipe %s --help'.\n", stage->name);
	return ST_USAGE;
}
