/*
 * The JSON reader: a top-level array of record objects, objects one after
 * another (NDJSON, or concatenated), or an object that holds the record
 * array somewhere inside (--path POINTER, or found by itself).
 *
 * It streams: the input is read in chunks into one buffer, and only the
 * element being parsed must fit in it whole (at most JSON_VALUE_MAX), so a
 * 2 GB array needs no more memory than its largest record.  Each element
 * is checked and flattened in memory by parse_json_value.c.  Around the
 * records, a small navigator walks the document token by token, keeping
 * the JSON Pointer of where it is, to find the record array.
 *
 * Why not jansson here: json_loadb() per element costs more than the
 * whole of this reader (3 s for 1M rows, measured for DESIGN.md), turns
 * 1.50 into 1.5 and rejects integers beyond 64 bits, and gives no offsets
 * from which to recover the text of numbers or arrays; a parser that
 * keeps positions had to be written anyway, and it checks everything
 * jansson would.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "parse.h"
#include "parse_json.h"

enum {
	JSON_VALUE_MAX = 8 << 20, /* the largest record (or other single value) */
	CANDIDATES_SHOWN = 4,
	NO_PIN = -1,
};

/* What the navigator does with the values it walks through. */
enum nav_mode {
	NAV_SKIP,  /* check them only */
	NAV_PATH,  /* find the value at r->target: its elements are the records */
	NAV_FIND,  /* note every array whose first element is an object */
	NAV_AUTO,  /* read the first such array as the records; a second is an error */
};

struct jreader {
	struct parse_run *run;
	char *buf;
	size_t cap, pos, end;        /* unread input: buf[pos..end) */
	long long pin;               /* keep buf[pin..] too, or NO_PIN */
	unsigned long long base;     /* input offset of buf[0] */
	int eof;
	unsigned long long lpos;     /* lines are counted up to this offset */
	unsigned long line;          /* the line lpos is on */
	unsigned long long lstart;   /* and the offset where that line starts */
	unsigned long elem;          /* elements met so far */
	int in_elem;                 /* messages name element r->elem */
	const char *target;          /* NAV_PATH: the pointer */
	char *path;                  /* the pointer of the navigator's place */
	size_t plen, pcap;
	unsigned found;              /* record arrays found */
	char *cand[CANDIDATES_SHOWN];/* the pointers of the first ones */
	unsigned ncand;
	char *key;                   /* scratch for decoding a key */
	size_t key_cap;
	struct json_flattener flat;
};

/* Lines: counted lazily, up to offsets that are still in the buffer. */
static void count_lines(struct jreader *r, unsigned long long to)
{
	while (r->lpos < to) {
		const char *p = r->buf + (r->lpos - r->base);
		const char *nl = memchr(p, '\n', (size_t)(to - r->lpos));
		if (!nl) {
			r->lpos = to;
			break;
		}
		r->line++;
		r->lpos = r->lstart = r->base + (unsigned long long)(nl - r->buf) + 1;
	}
}

__attribute__((format(printf, 3, 4)))
static int fail_at(struct jreader *r, size_t at, const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (char *m = msg; *m; m++) /* no control characters from keys */
		if ((unsigned char)*m < 0x20)
			*m = '?';
	count_lines(r, r->base + at);
	unsigned long long col = r->base + at - r->lstart + 1;
	if (r->in_elem)
		return diag(ST_INPUT, "parse", "%s:%lu:%llu: element %lu: %s", r->run->in->name,
			    r->line, col, r->elem, msg);
	return diag(ST_INPUT, "parse", "%s:%lu:%llu: %s", r->run->in->name, r->line, col, msg);
}

/*
 * Reads more input after buf[end], first dropping what is no longer
 * needed (before pos and pin).  Returns 1, 0 at the end of the input, -1
 * after a read error (reported), -2 when the kept bytes would pass
 * JSON_VALUE_MAX (not reported) or memory runs out (reported).
 */
static int fill(struct jreader *r)
{
	if (r->eof)
		return 0;
	size_t keep = r->pin != NO_PIN && (size_t)r->pin < r->pos ? (size_t)r->pin : r->pos;
	if (keep) {
		count_lines(r, r->base + keep);
		memmove(r->buf, r->buf + keep, r->end - keep);
		r->pos -= keep;
		r->end -= keep;
		if (r->pin != NO_PIN)
			r->pin -= (long long)keep;
		r->base += keep;
	}
	if (r->end == r->cap && r->cap >= JSON_VALUE_MAX)
		return -2;
	if (r->cap - r->end < PARSE_CHUNK / 2 && r->cap < JSON_VALUE_MAX) {
		char *p = realloc(r->buf, r->cap * 2);
		if (!p) {
			input_nomem(r->run->in);
			return -1;
		}
		r->buf = p;
		r->cap *= 2;
	}
	ssize_t n = input_read(r->run->in, r->buf + r->end, r->cap - r->end);
	if (n < 0)
		return -1;
	if (n == 0)
		r->eof = 1;
	r->end += (size_t)n;
	return n > 0;
}

enum { AT_END = -1, AT_ERROR = -2 };

/* Skips whitespace; returns the next byte, AT_END or AT_ERROR (reported). */
static int peek(struct jreader *r)
{
	for (;;) {
		while (r->pos < r->end) {
			unsigned char c = (unsigned char)r->buf[r->pos];
			if (c != ' ' && c != '\n' && c != '\r' && c != '\t')
				return c;
			r->pos++;
		}
		int got = fill(r);
		if (got == 0)
			return AT_END;
		if (got < 0) {
			if (got == -2)
				fail_at(r, r->pos, "too much whitespace");
			return AT_ERROR;
		}
	}
}

/*
 * Makes sure the whole value that starts at buf[pos] is in the buffer,
 * reading more as needed: the minimal scanner.  It knows only what it
 * takes to find the end, not whether the value is valid: inside a string
 * a backslash hides the next byte and a quote ends it; outside strings
 * each '{' or '[' opens a level and each '}' or ']' closes one, whatever
 * its kind; a number or literal ends at whitespace or punctuation.  The
 * strict parser then reads [pos, end) and reports any error at its exact
 * place, mismatched brackets included.  Returns 0 with the offset after
 * the value in *STOP (at the end of the input the value may be
 * incomplete), -1 (read error, reported) or -2 (longer than
 * JSON_VALUE_MAX).
 */
static int scan_value(struct jreader *r, size_t *stop)
{
	size_t i = r->pos, depth = 0;
	int in_str = 0, esc = 0;
	int scalar = strchr("{[\"", r->buf[i]) == NULL;

	for (;;) {
		const unsigned char *b = (const unsigned char *)r->buf;
		for (size_t e = r->end; i < e; i++) {
			unsigned char c = b[i];
			if (in_str) {
				if (esc)
					esc = 0;
				else if (c == '\\')
					esc = 1;
				else if (c == '"' && (in_str = 0, depth == 0))
					return *stop = i + 1, 0;
				continue;
			}
			switch (c) {
			case '"':
				if (scalar)
					return *stop = i, 0;
				in_str = 1;
				break;
			case '{': case '[':
				if (scalar)
					return *stop = i, 0;
				depth++;
				break;
			case '}': case ']':
				if (scalar)
					return *stop = i, 0;
				if (--depth == 0)
					return *stop = i + 1, 0;
				break;
			case ' ': case '\n': case '\r': case '\t': case ',': case ':':
				if (scalar)
					return *stop = i, 0;
				break;
			}
		}
		size_t done = i - r->pos;
		int got = fill(r);
		if (got == 0)
			return *stop = r->end, 0;
		if (got < 0)
			return got;
		i = r->pos + done;
	}
}

enum { PV_CHECK, PV_RECORD };

/*
 * Runs the strict parser on the value at buf[pos] (checking it, or making
 * a record of the object there) and returns the offset after it, or -1
 * after a message (*ST: ST_INPUT, or ST_SYSTEM).  The parser first runs on
 * what is buffered; only when that ends too soon does the minimal scanner
 * read the rest of the value, and the parser runs again.
 *
 * When the input fails (a read error) while the scanner reads, the parser
 * runs once more on every byte read before the failure, and a value that
 * ends before the last of them counts: "44P" is the number 44 then a
 * stray P whether the bytes came in one read or in many (the scanner
 * alone would look for the number's end past the P).  A value that may
 * go on past the failure is not judged.
 */
static long long parse_value(struct jreader *r, int how, struct json_error *e, int *st)
{
	for (int scanned = 0, failed = 0;; scanned = 1) {
		const char *s = r->buf + r->pos, *end = r->buf + r->end, *q;
		memset(e, 0, offsetof(struct json_error, text));
		e->soft_at = NULL;
		e->nomem = 0;
		if (how == PV_RECORD) {
			record_clear(&r->run->rec);
			q = json_flatten(&r->flat, s, end, e);
		} else {
			q = json_skip_value(s, end, 0, e);
		}
		if (failed) {
			if (q && q < end)
				return q - r->buf;
			*st = ST_INPUT;
			return -1;
		}
		if ((!q || q == end) && !r->eof && !scanned) {
			size_t stop;
			int got = scan_value(r, &stop);
			if (got == -1) {
				failed = 1;
				continue;
			}
			if (got == -2) {
				*st = fail_at(r, r->pos, "value larger than %d MiB", JSON_VALUE_MAX >> 20);
				return -1;
			}
			continue;
		}
		if (q)
			return q - r->buf;
		if (e->nomem) {
			*st = diag_nomem("parse");
			return -1;
		}
		*st = fail_at(r, (size_t)(e->at - r->buf), "%s", e->text);
		return -1;
	}
}

/*
 * Reads the value at buf[pos] as the next element: a record when it is an
 * object, otherwise rejected.  Returns ST_OK to go on, or the status that
 * ends the input.
 */
static int read_element(struct jreader *r)
{
	struct parse_run *run = r->run;
	struct json_error e;
	char why[300];
	int st = ST_OK, obj = r->buf[r->pos] == '{';

	r->elem++;
	r->in_elem = 1;
	count_lines(r, r->base + r->pos);
	unsigned long line = r->line;
	long long after = parse_value(r, obj ? PV_RECORD : PV_CHECK, &e, &st);
	if (after < 0)
		return st;
	if (e.soft_at) {
		count_lines(r, r->base + (size_t)(e.soft_at - r->buf));
		snprintf(why, sizeof(why), "element %lu: %s (column %llu)", r->elem, e.soft_text,
			 r->base + (size_t)(e.soft_at - r->buf) - r->lstart + 1);
		parse_reject(run, r->line, why);
	} else if (!obj) {
		snprintf(why, sizeof(why), "element %lu is not an object but %s, so not a record",
			 r->elem, json_kind(r->buf[r->pos]));
		parse_reject(run, line, why);
	} else {
		st = parse_emit(run, line);
	}
	r->in_elem = 0;
	r->pos = (size_t)after;
	return st;
}

/* Reads the elements of the array whose '[' is at buf[pos] as records. */
static int read_array(struct jreader *r)
{
	int c, st;

	r->pos++;
	if ((c = peek(r)) == ']') {
		r->pos++;
		return ST_OK;
	}
	for (;;) {
		if (c == AT_ERROR)
			return ST_INPUT;
		if (c == AT_END || c == ']')
			return fail_at(r, r->pos, c == AT_END ? "unexpected end of input: expected an element"
							      : "expected an element after ','");
		if ((st = read_element(r)) != ST_OK)
			return st;
		c = peek(r);
		if (c == ',') {
			r->pos++;
			c = peek(r);
			continue;
		}
		if (c == ']') {
			r->pos++;
			return ST_OK;
		}
		if (c == AT_ERROR)
			return ST_INPUT;
		return fail_at(r, r->pos, "%sexpected ',' or ']' after element %lu",
			       c == AT_END ? "unexpected end of input: " : "", r->elem);
	}
}

/* The navigator's pointer: push a member name or an index, pop by length. */
static int path_room(struct jreader *r, size_t more)
{
	if (r->plen + more + 1 <= r->pcap)
		return 0;
	size_t cap = r->pcap ? r->pcap : 256;
	while (cap < r->plen + more + 1)
		cap *= 2;
	char *p = realloc(r->path, cap);
	if (!p)
		return diag_nomem("parse");
	r->path = p;
	r->pcap = cap;
	return 0;
}

static int path_push_key(struct jreader *r, const char *key, size_t len)
{
	if (path_room(r, 2 * len + 1))
		return ST_SYSTEM;
	r->path[r->plen++] = '/';
	for (size_t i = 0; i < len; i++) {
		if (key[i] == '~' || key[i] == '/') {
			r->path[r->plen++] = '~';
			r->path[r->plen++] = key[i] == '~' ? '0' : '1';
		} else {
			r->path[r->plen++] = key[i];
		}
	}
	r->path[r->plen] = '\0';
	return 0;
}

static int path_push_index(struct jreader *r, unsigned long i)
{
	if (path_room(r, 24))
		return ST_SYSTEM;
	r->plen += (size_t)snprintf(r->path + r->plen, 24, "/%lu", i);
	return 0;
}

/* 2: the path is the target; 1: it leads to the target; 0: neither. */
static int path_match(const struct jreader *r)
{
	size_t n = strlen(r->target);
	if (r->plen == 0) /* the root; the target is "" or starts with '/' */
		return n == 0 ? 2 : 1;
	if (r->plen > n || memchr(r->path, '\0', r->plen) || memcmp(r->path, r->target, r->plen) != 0)
		return 0;
	return r->plen == n ? 2 : r->target[r->plen] == '/';
}

static int nav_value(struct jreader *r, int depth, enum nav_mode mode);

/* Walks the members or elements of the container at buf[pos]. */
static int nav_container(struct jreader *r, int depth, enum nav_mode mode)
{
	char close = r->buf[r->pos] == '{' ? '}' : ']';
	size_t plen = r->plen;
	struct json_error e;
	int c, st;

	if (++depth > JSON_MAX_DEPTH)
		return fail_at(r, r->pos, "nested deeper than %d levels", JSON_MAX_DEPTH);
	r->pos++;
	if ((c = peek(r)) == close) {
		r->pos++;
		return ST_OK;
	}
	for (unsigned long i = 0;; i++) {
		if (c == AT_ERROR)
			return ST_INPUT;
		if (close == ']') {
			st = path_push_index(r, i);
		} else {
			if (c != '"')
				return fail_at(r, r->pos, c == AT_END ? "unexpected end of input: expected a key"
								      : "expected a string key");
			long long q = parse_value(r, PV_CHECK, &e, &st);
			if (q < 0)
				return st;
			if (e.soft_at)
				return fail_at(r, (size_t)(e.soft_at - r->buf), "%s", e.soft_text);
			size_t raw = (size_t)q - r->pos - 2;
			if (raw + 1 > r->key_cap) {
				char *k = realloc(r->key, raw + 1);
				if (!k)
					return diag_nomem("parse");
				r->key = k;
				r->key_cap = raw + 1;
			}
			size_t len = json_decode_string(r->buf + r->pos + 1, r->buf + q - 1, r->key);
			r->pos = (size_t)q;
			if ((st = path_push_key(r, r->key, len)))
				return st;
			if ((c = peek(r)) != ':')
				return c == AT_ERROR ? ST_INPUT : fail_at(r, r->pos, "expected ':' after the key");
			r->pos++;
		}
		if (st || (st = nav_value(r, depth, mode)) != ST_OK)
			return st;
		r->plen = plen;
		r->path[plen] = '\0';
		c = peek(r);
		if (c == ',') {
			r->pos++;
			c = peek(r);
			continue;
		}
		if (c == close) {
			r->pos++;
			return ST_OK;
		}
		if (c == AT_ERROR)
			return ST_INPUT;
		return fail_at(r, r->pos, "%sexpected ',' or '%c'",
			       c == AT_END ? "unexpected end of input: " : "", close);
	}
}

static int several(struct jreader *r)
{
	char list[300] = "";
	for (unsigned i = 0; i < r->ncand; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
			 i ? ", " : "", r->cand[i]);
	return diag(ST_INPUT, "parse", "%s: %u arrays of objects could hold the records: %s%s; "
		    "choose one with --path", r->run->in->name, r->found, list,
		    r->found > CANDIDATES_SHOWN ? ", ..." : "");
}

/* Walks the value at buf[pos] (after whitespace). */
static int nav_value(struct jreader *r, int depth, enum nav_mode mode)
{
	struct json_error e;
	int c = peek(r), st;

	if (c == AT_ERROR)
		return ST_INPUT;
	if (c == AT_END)
		return fail_at(r, r->pos, "unexpected end of input: expected a value");
	if (mode == NAV_PATH) {
		int m = path_match(r);
		if (m == 2) {
			r->found++;
			return c == '[' ? read_array(r) : read_element(r);
		}
		if (m == 0)
			mode = NAV_SKIP;
	}
	if (c == '[' && (mode == NAV_FIND || mode == NAV_AUTO)) {
		/* Is its first element an object?  Look without consuming. */
		long long pin = r->pin;
		unsigned long long at = r->base + r->pos;
		if (pin == NO_PIN)
			r->pin = (long long)r->pos;
		r->pos++;
		c = peek(r);
		r->pos = (size_t)(at - r->base);
		r->pin = pin == NO_PIN ? NO_PIN : r->pin;
		if (c == '{') {
			if (r->ncand < CANDIDATES_SHOWN) {
				if (!(r->cand[r->ncand] = strdup(r->path)))
					return diag_nomem("parse");
				r->ncand++;
			}
			if (++r->found > 1 && mode == NAV_AUTO)
				return several(r);
			if (mode == NAV_AUTO && r->run->opt->verbose)
				diag(ST_OK, "parse", "%s: the records are the array at %s", r->run->in->name,
				     r->path);
			return mode == NAV_AUTO ? read_array(r) : nav_container(r, depth, NAV_SKIP);
		}
	}
	if (c == '{' || c == '[')
		return nav_container(r, depth, mode);
	long long q = parse_value(r, PV_CHECK, &e, &st);
	if (q < 0)
		return st;
	if (e.soft_at)
		return fail_at(r, (size_t)(e.soft_at - r->buf), "%s", e.soft_text);
	r->pos = (size_t)q;
	return ST_OK;
}

/* After a document: only the end of the input, or (AFTER_OBJECT) another
 * object, may follow.  Returns 1 for another object, 0 at the end, or -1
 * after a message. */
static int next_document(struct jreader *r, int after_object)
{
	int c = peek(r);
	if (c == AT_END)
		return 0;
	if (c == AT_ERROR)
		return -1;
	if (c == '{' && after_object)
		return 1;
	fail_at(r, r->pos, after_object ? "expected another object or the end of the input"
					: "expected the end of the input");
	return -1;
}

/* Objects one after another: each is a record (NDJSON, concatenated). */
static int read_objects(struct jreader *r)
{
	int st, more;
	do {
		if ((st = read_element(r)) != ST_OK)
			return st;
	} while ((more = next_document(r, 1)) > 0);
	return more < 0 ? ST_INPUT : ST_OK;
}

/*
 * A document that starts with an object, without --path.  If another
 * value follows it, the objects are records.  If it is alone, the record
 * array is the one array of objects in it (outside other such arrays),
 * or, when there is none, the object itself is the record.  Finding that
 * out needs the whole object in the buffer; one larger than
 * JSON_VALUE_MAX cannot be a record, so it is walked as it streams past,
 * and the first array of objects in it is taken.
 */
static int read_object_document(struct jreader *r)
{
	size_t stop;
	int got = scan_value(r, &stop), st, c;

	if (got == -1)
		return ST_INPUT;
	if (got == -2) {
		if ((st = nav_value(r, 0, NAV_AUTO)) != ST_OK)
			return st;
		if (!r->found)
			return diag(ST_INPUT, "parse", "%s: the object is larger than %d MiB and holds "
				    "no array of objects", r->run->in->name, JSON_VALUE_MAX >> 20);
		return next_document(r, 0) ? ST_INPUT : ST_OK;
	}
	/* Does something follow?  Look, keeping the object in the buffer. */
	r->pin = (long long)r->pos;
	r->pos = stop;
	c = peek(r);
	r->pos = (size_t)r->pin;
	if (c == AT_ERROR)
		return ST_INPUT;
	if (c != AT_END) {
		r->pin = NO_PIN;
		return read_objects(r);
	}

	/* Alone: a first walk finds the arrays of objects, then the input is
	 * read again from the buffer. */
	unsigned long long lpos = r->lpos, lstart = r->lstart;
	unsigned long line = r->line;
	st = nav_value(r, 0, NAV_FIND);
	r->pos = (size_t)r->pin;
	r->pin = NO_PIN;
	r->lpos = lpos;
	r->lstart = lstart;
	r->line = line;
	if (st != ST_OK)
		return st;
	if (r->found > 1)
		return several(r);
	if (r->found == 0)
		return read_objects(r);
	r->target = r->cand[0];
	r->found = 0;
	if (r->run->opt->verbose)
		diag(ST_OK, "parse", "%s: the records are the array at %s", r->run->in->name, r->target);
	return nav_value(r, 0, NAV_PATH);
}

static int read_json(struct parse_run *run)
{
	struct jreader r = { .run = run, .cap = PARSE_CHUNK, .pin = NO_PIN, .line = 1 };
	int st, c, more;

	r.flat.rec = &run->rec;
	if (!(r.buf = malloc(r.cap)))
		return diag_nomem("parse");
	c = peek(&r);
	if (c == AT_ERROR) {
		st = ST_INPUT;
	} else if (c == AT_END) {
		st = diag(ST_INPUT, "parse", "%s:%lu:%llu: no JSON value in the input", run->in->name,
			  r.line, r.base + r.pos - r.lstart + 1);
	} else if (run->opt->json_path) {
		/* --path applies to each document (of objects one after another). */
		r.target = run->opt->json_path;
		do {
			int obj = r.buf[r.pos] == '{';
			r.found = 0;
			if ((st = nav_value(&r, 0, NAV_PATH)) != ST_OK)
				break;
			if (!r.found) {
				st = diag(ST_INPUT, "parse", "%s: no value at --path '%s'", run->in->name,
					  r.target);
				break;
			}
			if ((more = next_document(&r, obj)) < 0)
				st = ST_INPUT;
		} while (more > 0);
	} else if (c == '[') {
		st = read_array(&r);
		if (st == ST_OK && next_document(&r, 0))
			st = ST_INPUT;
	} else if (c == '{') {
		st = read_object_document(&r);
	} else {
		st = read_element(&r); /* a lone string, number, ...: rejected */
		if (st == ST_OK && next_document(&r, 0))
			st = ST_INPUT;
	}
	for (unsigned i = 0; i < r.ncand; i++)
		free(r.cand[i]);
	json_flattener_release(&r.flat);
	free(r.buf);
	free(r.path);
	free(r.key);
	return st;
}

/* Checks the syntax of a JSON Pointer (RFC 6901): "" or "/..." with "~"
 * only in "~0" and "~1". */
int json_pointer_check(const char *p)
{
	if (*p && *p != '/')
		return -1;
	for (; *p; p++)
		if (*p == '~' && p[1] != '0' && p[1] != '1')
			return -1;
	return 0;
}

const struct reader reader_json = { .format = "json", .read = read_json, .map_each_record = 1 };
