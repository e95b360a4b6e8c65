#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "chain.h"
#include "stage.h"

static void usage(FILE *fp)
{
	fputs("usage: casepipe STAGE [options] [FILE...] [then STAGE [options] ...]\n"
	      "       casepipe STAGE --help\n"
	      "       casepipe --version\n\n"
	      "Stages (each reads and writes NDJSON records unless noted):\n", fp);
	for (size_t i = 0; stages[i]; i++)
		fprintf(fp, "  %-10s %s\n", stages[i]->name, stages[i]->summary);
	fputs("\nA chain that does not start with 'parse' reads NDJSON on stdin; one that\n"
	      "does not end with 'emit' writes NDJSON on stdout.  See casepipe(1).\n", fp);
}

int main(int argc, char **argv)
{
	/* `casepipe ... | head` must end quietly even if our parent ignored SIGPIPE. */
	signal(SIGPIPE, SIG_DFL);

	if (argc < 2) {
		usage(stderr);
		return ST_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return ST_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("casepipe %s\n", CASEPIPE_VERSION);
		return ST_OK;
	}
	return chain_run(argc - 1, argv + 1);
}
