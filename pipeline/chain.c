#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "chain.h"
#include "diag.h"
#include "outbuf.h"
#include "stage.h"
#include "wire.h"

struct link {
	struct sink sink;
	const struct stage *stage;
	void *state;
	struct sink *next;
	char *argv0; /* "casepipe: NAME", for getopt's messages */
};

struct wire_sink {
	struct sink sink;
	struct outbuf out;
	struct wire_names names; /* of the last record written */
};

static int link_put(struct sink *s, struct record *rec)
{
	struct link *l = (struct link *)s;
	return l->stage->process(l->state, rec, l->next);
}

static int wire_sink_put(struct sink *s, struct record *rec)
{
	struct wire_sink *w = (struct wire_sink *)s;
	wire_write_record_names(&w->out, rec, &w->names);
	return w->out.failed ? ST_SYSTEM : ST_OK;
}

static int has_help_flag(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	return 0;
}

/* Creates the stage named by ARGV[0] with its arguments. */
static int link_create(struct link *l, int argc, char **argv)
{
	l->stage = stage_find(argv[0]);
	if (!l->stage) {
		diag(ST_USAGE, argv[0], "not a casepipe stage (see 'casepipe --help')");
		return ST_USAGE;
	}
	if (has_help_flag(argc, argv)) {
		fputs(l->stage->usage, stdout);
		return -1; /* help shown: stop with status 0 */
	}
	size_t len = strlen("casepipe: ") + strlen(argv[0]) + 1;
	l->argv0 = malloc(len);
	if (!l->argv0)
		return diag_nomem(argv[0]);
	snprintf(l->argv0, len, "casepipe: %s", argv[0]);
	argv[0] = l->argv0;
	optind = 0; /* makes GNU getopt start afresh for every stage */
	return l->stage->create(argc, argv, &l->state);
}

/* Counts the stages: words separated by "then". */
static int count_stages(int argc, char **argv)
{
	int n = 1;
	for (int i = 0; i < argc; i++)
		n += strcmp(argv[i], "then") == 0;
	return n;
}

/* Puts the NDJSON reader of standard input in front of LINKS[0..N). */
static int add_implicit_source(struct link *links, int *n)
{
	/* Static: the stage keeps pointers into its argv. */
	static char *argv[] = { "parse", "--format=ndjson", "-", NULL };

	memmove(links + 1, links, (size_t)*n * sizeof(*links));
	memset(&links[0], 0, sizeof(links[0]));
	(*n)++;
	return link_create(&links[0], 3, argv);
}

/* Whether the chain needs a reader of standard input in front. */
static int needs_implicit_source(const struct link *first)
{
	if (first->stage->flags & STAGE_SOURCE)
		return 0;
	return !first->stage->reads_records || first->stage->reads_records(first->state);
}

static int chain_create(struct link *links, int *nlinks, int argc, char **argv)
{
	int n = 0, st = ST_OK;

	for (int start = 0; start < argc;) {
		int end = start;
		while (end < argc && strcmp(argv[end], "then") != 0)
			end++;
		if (end == start || end == argc - 1) {
			st = diag(ST_USAGE, "then", "a stage name must come before and after 'then'");
			goto out;
		}
		argv[end] = NULL; /* getopt wants argv[argc] == NULL */
		st = link_create(&links[n++], end - start, argv + start);
		if (st != ST_OK)
			goto out;
		if (n > 1 && (links[n - 1].stage->flags & STAGE_SOURCE)) {
			st = diag(ST_USAGE, links[n - 1].stage->name, "must be the first stage of a chain");
			goto out;
		}
		if (n > 1 && (links[n - 2].stage->flags & STAGE_OUTPUT)) {
			st = diag(ST_USAGE, links[n - 2].stage->name, "writes the output and must be the last stage");
			goto out;
		}
		start = end + 1;
	}
	if (needs_implicit_source(&links[0]))
		st = add_implicit_source(links, &n);
out:
	*nlinks = n;
	return st;
}

int chain_run(int argc, char **argv)
{
	int nmax = count_stages(argc, argv) + 1, n = 0;
	struct link *links = calloc((size_t)nmax, sizeof(*links));
	struct wire_sink wire = { .sink = { wire_sink_put } };
	int st;

	if (!links)
		return diag_nomem("chain");
	st = chain_create(links, &n, argc, argv);
	if (st == ST_OK) {
		struct sink *tail = NULL;
		if (!(links[n - 1].stage->flags & STAGE_OUTPUT)) {
			if (outbuf_init(&wire.out, STDOUT_FILENO, "stdout", links[n - 1].stage->name) < 0)
				st = diag_nomem("chain");
			tail = &wire.sink;
		}
		for (int i = n - 1; i >= 0; i--) {
			links[i].sink.put = link_put;
			links[i].next = tail;
			tail = &links[i].sink;
		}
		if (st == ST_OK && links[0].stage->run)
			st = links[0].stage->run(links[0].state, links[0].next);
		/* Every stage finishes, even after an error, so that what was
		 * already read is written out and counted. */
		for (int i = 0; i < n; i++)
			if (links[i].stage->finish)
				st = status_worst(st, links[i].stage->finish(links[i].state, links[i].next, st));
		if (wire.out.buf)
			st = status_worst(st, outbuf_release(&wire.out));
	} else if (st < 0) {
		st = ST_OK; /* --help */
	}
	for (int i = 0; i < n; i++) {
		if (links[i].state && links[i].stage->destroy)
			links[i].stage->destroy(links[i].state);
		free(links[i].argv0);
	}
	free(links);
	return st;
}
