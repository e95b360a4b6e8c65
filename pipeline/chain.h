#ifndef CASEPIPE_CHAIN_H
#define CASEPIPE_CHAIN_H

/*
 * Runs "STAGE args [then STAGE args ...]" in one process: records go from
 * stage to stage in memory.  A chain that does not start with a source
 * reads NDJSON from stdin; one that does not end with an output stage
 * writes NDJSON to stdout.  Returns the exit status.
 */
int chain_run(int argc, char **argv);

#endif
