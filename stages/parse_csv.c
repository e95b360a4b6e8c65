/*
 * The CSV reader (RFC 4180, plus what spreadsheets really write).
 *
 * Written by hand rather than on libcsv: to keep values byte for byte,
 * libcsv needs a space callback, which it calls for every byte, and it
 * reports neither line numbers nor blank lines.  Measured on the 124 MB of
 * bench/data/big.csv (1,000,000 rows) on the 2-core reference machine,
 * libcsv alone took 0.66 s with its defaults and 0.96 s with that callback
 * (strict mode, all line ends reported), more than the 0.83 s this whole
 * stage may take at 150 MB/s; the stage built on this reader takes
 * 0.58-0.79 s including the NDJSON output.
 *
 * A row is scanned in the read buffer and its fields point into it, so
 * most values are never copied.  A row cut by the end of the buffer is
 * scanned again once more bytes are in.  A quote inside an unquoted field
 * is kept as a character, with a warning; text after a closing quote
 * rejects the row, and reading goes on at the next line; a quote still
 * open at the end of the input ends the input with an error.
 */
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "array.h"
#include "diag.h"
#include "parse.h"
#include "rows.h"
#include "swar.h"
#include "utf8.h"

enum { CSV_MAX_ROW = 64 * 1024 * 1024 };
enum { CSV_SLACK = 16 }; /* pad bytes after the unread ones (find_special) */

/*
 * What is unusual about a field of the row being scanned: a quoted field
 * holding "" pairs to undo, or an unquoted one holding a quote.  Only
 * these fields are listed, so that a row without them is handed on whole.
 */
enum csv_mark_kind { MARK_ESCAPES, MARK_STRAY };

struct csv_mark {
	size_t field;
	enum csv_mark_kind kind;
};

enum scan_result { ROW_DONE, ROW_NEED_MORE, ROW_BAD_QUOTE, ROW_OPEN_QUOTE, ROW_NO_MEMORY };

struct csv_reader {
	struct parse_run *run;
	struct rows rows;
	char *buf;
	size_t cap, start, end;  /* unread bytes: buf[start..end) */
	int eof;
	char delim;
	char pad;                /* the CSV_SLACK bytes after buf[end]: not special */
	unsigned long line;      /* line of buf[start] */
	struct slice *fields;    /* the row's values, pointing into buf */
	size_t nfields, fields_cap;
	struct csv_mark *marks;  /* the row's unusual fields, in order */
	size_t nmarks, marks_cap;
	unsigned char special[256]; /* bytes that end an unquoted run */
};

/* Lists field FIELD of the row as KIND; returns -1 when memory runs out. */
static int add_mark(struct csv_reader *r, size_t field, enum csv_mark_kind kind)
{
	if (r->nmarks == r->marks_cap &&
	    array_grow((void **)&r->marks, &r->marks_cap, r->nmarks, sizeof(*r->marks)) < 0)
		return -1;
	r->marks[r->nmarks++] = (struct csv_mark){ field, kind };
	return 0;
}

/* Nonzero when a byte of W is a line end (LF or CR). */
static inline uint64_t line_end_bytes(uint64_t w)
{
	return swar_has_byte(w, '\n') | swar_has_byte(w, '\r');
}

/* Whether P[I] ends a line of P[0..LEN): an LF, or a CR not followed by
 * an LF (whose line the LF ends). */
static inline int ends_line(const char *p, size_t i, size_t len)
{
	return p[i] == '\n' || (p[i] == '\r' && (i + 1 == len || p[i + 1] != '\n'));
}

#ifdef __SSE2__
/* Bit K set when byte K of the 16 at P is an LF or a CR. */
static inline unsigned line_end_mask(const char *p)
{
	__m128i v = _mm_loadu_si128((const __m128i *)p);

	return (unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n')),
							 _mm_cmpeq_epi8(v, _mm_set1_epi8('\r'))));
}
#endif

/* Counts line ends (LF, CRLF or a lone CR) in P[0..LEN). */
static unsigned long count_lines(const char *p, size_t len)
{
	unsigned long n = 0;
	size_t i = 0;

#ifdef __SSE2__
	/* Sixteen bytes a test, then only the line ends the mask shows:
	 * count_lines on 100k rows of bench/data/big.csv (callgrind), 7.9M ->
	 * 3.0M instructions. */
	if (len >= 16) {
		unsigned m;
		for (; len - i >= 16; i += 16) {
			m = line_end_mask(p + i);
			for (; m; m &= m - 1) /* bit K is byte K */
				n += ends_line(p, i + (size_t)__builtin_ctz(m), len);
		}
		/* The last 16 bytes, less those already counted. */
		m = line_end_mask(p + len - 16);
		m &= ~0u << (16 - (len - i));
		for (; m; m &= m - 1)
			n += ends_line(p, len - 16 + (size_t)__builtin_ctz(m), len);
		return n;
	}
#endif
	while (i < len) {
		/* Quoted text is mostly words without a line end. */
		if (len - i >= 8 && !line_end_bytes(swar_load(p + i))) {
			i += 8;
			continue;
		}
		n += ends_line(p, i, len);
		i++;
	}
	return n;
}

/* Nonzero when a byte of W ends an unquoted run.  Of the bytes flagged,
 * the first (lowest) one is always right: swar_has_zero's false positives
 * come only after a true one. */
static inline uint64_t special_bytes(uint64_t w, char delim)
{
	return swar_has_byte(w, (unsigned char)delim) | swar_has_byte(w, '"') | line_end_bytes(w);
}

#ifdef __SSE2__
/* The bytes that end an unquoted run, each in all 16 lanes. */
struct specials {
	__m128i delim, quote, lf, cr;
};

static inline struct specials specials_of(const struct csv_reader *r)
{
	return (struct specials){ _mm_set1_epi8(r->delim), _mm_set1_epi8('"'), _mm_set1_epi8('\n'),
				  _mm_set1_epi8('\r') };
}

/*
 * Returns the first byte at or after P that ends an unquoted run, or END
 * when there is none before END.  Sixteen bytes at a time, each compared
 * with the four special ones at once, loading up to 15 bytes past END: the
 * buffer keeps CSV_SLACK pad bytes there, none of them special, so that no
 * field needs a word-by-word tail and a hit is always before END.
 */
static inline const char *find_special(const struct csv_reader *r, const char *p, const char *end,
				       const struct specials *s)
{
	(void)r;
	for (;;) {
		__m128i v = _mm_loadu_si128((const __m128i *)p);
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, s->delim), _mm_cmpeq_epi8(v, s->quote)),
					   _mm_or_si128(_mm_cmpeq_epi8(v, s->lf), _mm_cmpeq_epi8(v, s->cr)));
		unsigned m = (unsigned)_mm_movemask_epi8(hit);
		if (m) /* bit I is byte I */
			return p + __builtin_ctz(m);
		p += 16;
		if (p >= end)
			return end;
	}
}
#else
struct specials {
	int unused;
};

static inline struct specials specials_of(const struct csv_reader *r)
{
	(void)r;
	return (struct specials){ 0 };
}

/* Returns the first byte at or after P that ends an unquoted run, or END
 * when there is none before END; eight bytes at a time. */
static const char *find_special(const struct csv_reader *r, const char *p, const char *end,
				const struct specials *s)
{
	(void)s;
	while (end - p >= 8) {
		uint64_t m = special_bytes(swar_load(p), r->delim);
		if (m) {
#if defined(__GNUC__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			/* The first byte in memory is the lowest of the word. */
			return p + __builtin_ctzll(m) / 8;
#else
			break;
#endif
		}
		p += 8;
	}
	while (p < end && !r->special[(unsigned char)*p])
		p++;
	return p;
}
#endif

/*
 * Scans the quoted field whose opening quote is at *POS into F, adding its
 * line ends to *LINES.  Sets *ESCAPES when it holds "" pairs.
 */
#ifdef __SSE2__
static enum scan_result scan_quoted(struct csv_reader *r, const char **pos, const char *end,
				    struct slice *f, unsigned long *lines, int *escapes)
{
	/* One pass for the closing quote and the line ends, sixteen bytes at
	 * a time and up to 15 past END (the pad bytes there are neither
	 * quotes nor line ends), rather than memchr and then count_lines:
	 * 3.2M fewer of the 202.5M instructions of parse on 100k rows of
	 * bench/data/big.csv (callgrind). */
	const __m128i quote = _mm_set1_epi8('"');
	const char *p = *pos + 1;
	unsigned long n = 0;
	f->ptr = p;
	for (;;) {
		if (p >= end)
			return r->eof ? ROW_OPEN_QUOTE : ROW_NEED_MORE;
		__m128i v = _mm_loadu_si128((const __m128i *)p);
		unsigned mq = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, quote)); /* bit I is p[I] */
		unsigned ml = line_end_mask(p);
		if (mq)
			ml &= (1u << __builtin_ctz(mq)) - 1; /* the line ends before the quote */
		for (; ml; ml &= ml - 1) {
			/* An LF, or a CR not followed by an LF (a byte of the
			 * field, or the quote after it). */
			const char *c = p + __builtin_ctz(ml);
			n += *c == '\n' || c[1] != '\n';
		}
		if (!mq) {
			p += 16;
			continue;
		}
		const char *q = p + __builtin_ctz(mq);
		if (q + 1 == end && !r->eof)
			return ROW_NEED_MORE; /* "" or a closing quote? */
		if (q[1] == '"') { /* buf[end] is a pad byte, not a quote */
			*escapes = 1;
			p = q + 2;
			continue;
		}
		f->len = (size_t)(q - f->ptr);
		*lines += n;
		*pos = q + 1;
		return ROW_DONE;
	}
}
#else
static enum scan_result scan_quoted(struct csv_reader *r, const char **pos, const char *end,
				    struct slice *f, unsigned long *lines, int *escapes)
{
	const char *p = *pos + 1;
	f->ptr = p;
	for (;;) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		if (!q)
			return r->eof ? ROW_OPEN_QUOTE : ROW_NEED_MORE;
		if (q + 1 == end && !r->eof)
			return ROW_NEED_MORE; /* "" or a closing quote? */
		if (q + 1 < end && q[1] == '"') {
			*escapes = 1;
			p = q + 2;
			continue;
		}
		f->len = (size_t)(q - f->ptr);
		*lines += count_lines(f->ptr, f->len);
		*pos = q + 1;
		return ROW_DONE;
	}
}
#endif

/*
 * Scans the row at BUF[START..END).  On ROW_DONE, r->fields and r->marks
 * hold its fields, *USED its length with the line end and *LINES the line
 * ends in it; on ROW_BAD_QUOTE, *USED is where the error is.
 */
static enum scan_result scan_row(struct csv_reader *r, size_t *used, unsigned long *lines)
{
	const char *row = r->buf + r->start, *end = r->buf + r->end, *p = row;
	const char delim = r->delim;
	const struct specials sp = specials_of(r);
	struct slice *fields = r->fields;
	size_t n = 0;

	r->nfields = 0;
	r->nmarks = 0;
	*lines = 0;
	if (p < end && (*p == '\n' || *p == '\r'))
		goto line_end; /* a blank line: no fields */
	/* buf[end] is a pad byte, neither a quote nor the delimiter, so the
	 * tests of *p and *q below need no test of the end first: that and
	 * find_special() took read_csv's own instructions on 100k rows of
	 * bench/data/big.csv from 54.4M to 41.9M (callgrind). */
	for (;;) {
		const char *q;
		if (n == r->fields_cap) {
			if (array_grow((void **)&r->fields, &r->fields_cap, n, sizeof(*r->fields)) < 0)
				return ROW_NO_MEMORY;
			fields = r->fields;
		}
		if (*p == '"') {
			int escapes = 0;
			q = p;
			enum scan_result s = scan_quoted(r, &q, end, &fields[n], lines, &escapes);
			if (s != ROW_DONE)
				return s;
			if (escapes && add_mark(r, n, MARK_ESCAPES) < 0)
				return ROW_NO_MEMORY;
			if (q < end && *q != delim && *q != '\n' && *q != '\r') {
				*used = (size_t)(q - row);
				return ROW_BAD_QUOTE;
			}
		} else {
			q = find_special(r, p, end, &sp);
			if (*q == '"') {
				if (add_mark(r, n, MARK_STRAY) < 0)
					return ROW_NO_MEMORY;
				do
					q = find_special(r, q + 1, end, &sp);
				while (*q == '"');
			}
			fields[n] = (struct slice){ p, (size_t)(q - p) };
		}
		n++;
		p = q + 1;
		if (*q == delim)
			continue;
		p = q;
		if (p == end) {
			if (!r->eof)
				return ROW_NEED_MORE;
			r->nfields = n;
			*used = (size_t)(p - row);
			return ROW_DONE;
		}
		break;
	}
	r->nfields = n;
line_end:
	if (*p == '\r') {
		if (p + 1 == end && !r->eof)
			return ROW_NEED_MORE; /* CR, or CR LF? */
		if (p + 1 < end && p[1] == '\n')
			p++;
	}
	*used = (size_t)(p + 1 - row);
	*lines += 1;
	return ROW_DONE;
}

/* Makes room and reads more input; returns ST_OK, or a status.  The
 * CSV_SLACK bytes after the unread ones are kept as pad bytes. */
static int fill(struct csv_reader *r)
{
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
		memset(r->buf + r->end, r->pad, CSV_SLACK);
	}
	if (r->end == r->cap) {
		if (r->cap >= CSV_MAX_ROW)
			return diag(ST_INPUT, "parse", "%s:%lu: row longer than %d MiB (is a quote left open?)",
				    r->run->in->name, r->line, CSV_MAX_ROW >> 20);
		char *p = realloc(r->buf, r->cap * 2 + CSV_SLACK);
		if (!p)
			return diag_nomem("parse");
		r->buf = p;
		r->cap *= 2;
	}
	ssize_t n = input_read(r->run->in, r->buf + r->end, r->cap - r->end);
	if (n < 0)
		return ST_INPUT;
	r->eof = n == 0;
	r->end += (size_t)n;
	memset(r->buf + r->end, r->pad, CSV_SLACK);
	return ST_OK;
}

/* Undoes the "" pairs of a quoted field's text F, in a copy. */
static struct slice unescape(struct record *rec, struct slice f)
{
	char *out = arena_alloc(&rec->arena, f.len + 1);
	const char *p = f.ptr, *end = f.ptr + f.len;
	size_t n = 0;
	if (!out)
		return SLICE_NULL;
	/* From pair to pair rather than byte by byte: 2.0M fewer of the
	 * 208.6M instructions of parse on 100k rows of bench/data/big.csv
	 * (callgrind). */
	for (;;) {
		const char *q = memchr(p, '"', (size_t)(end - p));
		size_t len = (size_t)((q ? q + 1 : end) - p);
		memcpy(out + n, p, len);
		n += len;
		if (!q)
			break;
		p = q + 2; /* past the second quote of the pair */
	}
	return (struct slice){ out, n };
}

/* Whether V is ="...", the way spreadsheets keep a value as text; its
 * quotes are expected, so they get no warning. */
static int is_excel_text(struct slice v)
{
	return v.len >= 3 && v.ptr[0] == '=' && v.ptr[1] == '"' && v.ptr[v.len - 1] == '"' &&
	       !memchr(v.ptr + 2, '"', v.len - 3);
}

/* Hands the scanned row, USED bytes at buf[start], to the row builder:
 * the plain fields between the marked ones in runs. */
static int take_row(struct csv_reader *r, unsigned long line, size_t used)
{
	struct record *rec = &r->run->rec;
	size_t i = 0;
	int st;

	for (size_t k = 0; k < r->nmarks; k++) {
		const struct csv_mark *m = &r->marks[k];
		struct slice v = r->fields[m->field];
		st = rows_fields(&r->rows, line, r->fields + i, m->field - i);
		if (st != ST_OK)
			return st;
		if (m->kind == MARK_ESCAPES && !(v = unescape(rec, v)).ptr)
			return diag_nomem("parse");
		st = rows_field(&r->rows, line, v.ptr, v.len);
		if (st == ST_OK && m->kind == MARK_STRAY && !is_excel_text(v))
			st = rows_flag_field(&r->rows, "csv.stray_quote",
					     "a quote inside an unquoted field is kept as a character");
		if (st != ST_OK)
			return st;
		i = m->field + 1;
	}
	st = rows_fields(&r->rows, line, r->fields + i, r->nfields - i);
	if (st != ST_OK)
		return st;
	/* Removing "" pairs cannot change the row's validity. */
	return rows_end(&r->rows, line,
			r->run->in->utf8_clean || utf8_is_valid(r->buf + r->start, used));
}

/* Returns the first line end (LF or CR) in P[0..LEN), or NULL. */
static const char *find_line_end(const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] == '\n' || p[i] == '\r')
			return p + i;
	return NULL;
}

/* Rejects the row with a misplaced quote and skips to the next line. */
static int skip_bad_row(struct csv_reader *r, size_t at)
{
	unsigned long line = r->line;
	for (;;) {
		const char *row = r->buf + r->start, *end = r->buf + r->end;
		const char *nl = find_line_end(row + at, (size_t)(end - row) - at);
		/* A CR last in the buffer may be the first half of a CRLF. */
		if (nl && (*nl == '\n' || nl + 1 < end || r->eof)) {
			if (*nl == '\r' && nl + 1 < end && nl[1] == '\n')
				nl++;
			size_t len = (size_t)(nl + 1 - row);
			r->line += count_lines(row, len);
			r->start += len;
			break;
		}
		if (!nl && r->eof) {
			r->start = r->end;
			break;
		}
		at = nl ? (size_t)(nl - row) : r->end - r->start;
		int st = fill(r);
		if (st != ST_OK)
			return st;
	}
	parse_reject(r->run, line, "text after a closing quote");
	rows_drop(&r->rows);
	return ST_OK;
}

static void init_special(struct csv_reader *r)
{
	memset(r->special, 0, sizeof(r->special));
	r->special[(unsigned char)r->run->opt->delimiter] = 1;
	r->special['"'] = 1;
	r->special['\n'] = 1;
	r->special['\r'] = 1;
}

static int read_rows(struct csv_reader *r)
{
	for (;;) {
		size_t used = 0;
		unsigned long lines = 0;
		if (r->start == r->end) {
			if (r->eof)
				return ST_OK;
			int st = fill(r);
			if (st != ST_OK)
				return st;
			continue;
		}
		enum scan_result s = scan_row(r, &used, &lines);
		if (s == ROW_NEED_MORE) {
			/* Read until the unread bytes double, so that a huge
			 * row is rescanned a logarithmic number of times. */
			size_t have = r->end - r->start;
			do {
				int st = fill(r);
				/* A read error ends the input, but the rows
				 * completed by what was read before it are
				 * still records: scan them first. */
				if (st != ST_OK && !(r->run->in->failed && r->end - r->start > have))
					return st;
				if (st != ST_OK)
					break;
			} while (!r->eof && r->end - r->start < 2 * have);
			continue;
		}
		if (s == ROW_NO_MEMORY)
			return diag_nomem("parse");
		if (s == ROW_OPEN_QUOTE)
			return diag(ST_INPUT, "parse", "%s:%lu: unterminated quoted field",
				    r->run->in->name, r->line);
		if (s == ROW_BAD_QUOTE) {
			int st = skip_bad_row(r, used);
			if (st != ST_OK)
				return st;
			continue;
		}
		unsigned long line = r->line;
		r->line += lines;
		int st = take_row(r, line, used);
		r->start += used;
		if (st != ST_OK)
			return st;
	}
}

static int read_csv(struct parse_run *run)
{
	struct csv_reader r = { .run = run, .line = 1, .cap = PARSE_CHUNK, .delim = run->opt->delimiter,
				.pad = run->opt->delimiter ? '\0' : 'x' };
	int st;

	r.buf = malloc(r.cap + CSV_SLACK);
	if (!r.buf || rows_init(&r.rows, run) < 0) {
		free(r.buf);
		return diag_nomem("parse");
	}
	init_special(&r);
	memset(r.buf, r.pad, CSV_SLACK);
	st = read_rows(&r);
	rows_finish(&r.rows);
	rows_release(&r.rows);
	free(r.fields);
	free(r.marks);
	free(r.buf);
	return st;
}

const struct reader reader_csv = { .format = "csv", .read = read_csv };
