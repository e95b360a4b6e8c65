#ifndef CASEPIPE_REPORT_H
#define CASEPIPE_REPORT_H

/*
 * The report stage: an aggregate of what it saw (counts, a bounded
 * worklist, the keys of issues for --baseline) and writers that print the
 * aggregate as text, JSON, CSV or HTML.  The aggregate grows with the
 * number of distinct (field, code, severity) groups, the input files, the
 * worklist kept (at most 3 x --worklist rows) and the issue keys kept (at
 * most --max-keys), never with the number of records.
 *
 * Ownership: struct report_agg owns every byte it holds (copies of the
 * strings it is given) and frees them in report_agg_release().
 */

#include <stddef.h>
#include <stdint.h>

#include "outbuf.h"
#include "record.h"
#include "severity.h"
#include "strmap.h"

#define REPORT_FORMAT_VERSION 1
#define REPORT_MAX_GROUPS 10000 /* further (field, code, severity) go to "(other)" */
#define REPORT_MAX_FILES 1000   /* further files go to "(other files)" */
#define REPORT_OTHER_FILES "(other files)"
#define REPORT_OTHER "(other)"

/* Append-only storage of byte strings that keeps its order (1 MiB chunks). */
struct report_chunk;
struct report_strbuf {
	struct report_chunk *head, *tail;
	size_t bytes;
};

/* Copies LEN bytes plus a NUL; returns the copy or NULL (no memory). */
char *report_strbuf_add(struct report_strbuf *b, const void *p, size_t len);
void report_strbuf_release(struct report_strbuf *b);

/* Counts of one (field, code, severity). */
struct report_group {
	const char *field, *code;
	enum severity sev;
	unsigned long long count;
};

/* Counts of one input file (_source.file). */
struct report_file {
	const char *name;
	size_t name_len;
	unsigned long long records, with_errors, with_warnings, issues;
	unsigned long long last_record; /* largest _source.record seen */
	int other;                      /* the "(other files)" bucket */
};

/* One issue of the worklist; the value and suggestion are masked unless
 * --show-values was given. */
struct report_row {
	const char *file, *case_id, *field, *code, *value, *suggestion, *message, *related;
	unsigned long long line, record;
	enum severity sev;
};

/* A list of rows of one severity, kept in arrival order up to a limit. */
struct report_rows {
	struct report_row *v;
	size_t n, cap;
};

/* The key of one issue for --baseline: record identity, field, code. */
struct report_key {
	const char *id, *field, *code;
	enum severity sev;
};

struct report_keys {
	struct report_key *v;
	size_t n, cap;
	unsigned long long total; /* keys seen, kept or not */
	int incomplete;           /* a merged input's keys were incomplete */
};

/* The result of comparing with a baseline report. */
struct report_baseline {
	const char *path;
	int loaded;                    /* 0: no comparison (file absent) */
	int incomplete;                /* one side's keys were capped */
	struct report_keys keys;       /* the baseline's keys, in its order */
	struct strmap index;           /* "id\x1f field\x1f code" -> key number */
	unsigned char *seen;           /* per baseline key: found today */
	unsigned long long new_count, fixed_count, unchanged_count;
	struct report_keys new_keys;   /* the first --worklist new ones */
	struct report_keys fixed_keys; /* the first --worklist fixed ones */
	struct report_strbuf strings;
};

struct report_agg {
	/* options that shape the content */
	size_t worklist_limit;
	size_t key_limit;
	int show_values;
	const char *id_field;

	/* totals */
	unsigned long long records, with_errors, with_warnings, with_issues;
	unsigned long long issues[3]; /* by severity */

	struct strmap group_index; /* "field\x1f code\x1f sev" -> group number */
	struct report_group *groups;
	size_t ngroups, groups_cap;

	struct strmap file_index; /* name -> file number */
	struct report_file *files;
	size_t nfiles, files_cap;
	struct report_file *last_file; /* fast path: same file as the last record */

	struct report_rows rows[3];      /* by severity */
	unsigned long long row_limit_in; /* smallest worklist limit of merged inputs, 0: none */

	struct report_keys keys;
	struct report_strbuf strings;
	char *scratch; /* for building map keys */
	size_t scratch_cap;

	/* the merged reports, for the "run" section */
	const char **merged;
	size_t nmerged;
	char generated[32];
};

int report_agg_init(struct report_agg *a, size_t worklist_limit, size_t key_limit,
		    int show_values, const char *id_field);
void report_agg_release(struct report_agg *a);

/* Counts one record and its issues; 0, or -1 when memory runs out. */
int report_agg_record(struct report_agg *a, const struct record *rec);

/* Building blocks for the merge: each returns 0, or -1 (no memory). */
int report_agg_group(struct report_agg *a, const char *field, size_t flen, const char *code,
		     size_t clen, enum severity sev, unsigned long long count);
int report_agg_group_at(struct report_agg *a, const char *field, size_t flen, const char *code,
			size_t clen, enum severity sev, unsigned long long count,
			const struct report_group **at);
int report_agg_key_interned(struct report_agg *a, const char *id, const char *field,
			    const char *code, enum severity sev);
struct report_file *report_agg_file(struct report_agg *a, const char *name, size_t len);
int report_agg_row(struct report_agg *a, const struct report_row *row);
int report_agg_key(struct report_agg *a, const char *id, const char *field, const char *code,
		   enum severity sev);

/* Returns S as the report shows it: "(hidden)" for secrets (access codes,
 * passcodes), masked for A-Numbers and account numbers unless
 * --show-values, else S itself; the text goes to BUF (SIZE > 0). */
const char *report_shown_value(const struct report_agg *a, struct slice field, struct slice code,
			       struct slice s, char *buf, size_t size);

/* Rejected records as far as the report can see them: the gaps in each
 * file's _source.record numbering. */
unsigned long long report_agg_rejected(const struct report_agg *a);
unsigned long long report_file_rejected(const struct report_file *f);

/* The worklist to print: up to worklist_limit rows, errors first, then
 * warnings, then infos, each in arrival order.  Fills *N. */
size_t report_agg_worklist(const struct report_agg *a, const struct report_row **out, size_t max);

/* The groups sorted for printing: severity (worst first), count (largest
 * first), field, code.  Returns a malloc'd array of pointers, or NULL. */
const struct report_group **report_agg_sorted_groups(const struct report_agg *a);

/* The verdict of --fail-on / --max-error-rate. */
struct report_verdict {
	int fail_on;     /* -1 never, else a severity */
	int rate_set;    /* --max-error-rate given */
	unsigned long long rate_num, rate_den; /* the rate as a fraction */
	const char *rate_text;
	/* results */
	unsigned long long bad;   /* records at or above fail_on, rejected included */
	unsigned long long total; /* records in (read + rejected) */
	int failed;
	char reason[160];
};

void report_verdict_compute(struct report_verdict *v, const struct report_agg *a);

/* Baseline: loads PATH (absent file: loaded = 0, a note on stderr).
 * Returns ST_OK, or ST_INPUT with a message. */
int report_baseline_load(struct report_baseline *b, const char *path);
/* Compares the aggregate's keys with the baseline. */
int report_baseline_compare(struct report_baseline *b, const struct report_agg *a);
void report_baseline_release(struct report_baseline *b);

/* Reads a JSON report file (checking its version); returns the jansson
 * tree, or NULL with *STATUS set after a message. */
struct json_t;
struct json_t *report_load_json(const char *path, int *status);

/* Reads a JSON report made by --format json into the aggregate. */
int report_merge_file(struct report_agg *a, const char *path);

/* What every writer gets. */
struct report_view {
	const struct report_agg *agg;
	const struct report_verdict *verdict;
	const struct report_baseline *baseline; /* NULL: no --baseline */
};

void report_write_text(struct outbuf *o, const struct report_view *v);
void report_write_json(struct outbuf *o, const struct report_view *v);
void report_write_csv(struct outbuf *o, const struct report_view *v);
void report_write_html(struct outbuf *o, const struct report_view *v);

/* Small helpers shared by the writers. */
void report_put(struct outbuf *o, const char *s);
void report_putull(struct outbuf *o, unsigned long long n);
/* "file:line", or "file#record" when the line is unknown. */
void report_locator(char *buf, size_t size, const char *file, unsigned long long line,
		    unsigned long long record);
/* Writes a fraction N/D as a percentage with one decimal ("12.5%"). */
void report_percent(struct outbuf *o, unsigned long long n, unsigned long long d);

#endif
