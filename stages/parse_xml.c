/*
 * The XML reader, on libxml2's streaming reader (xmlTextReader): the bytes
 * come from input_read() through xmlReaderForIO(), and the reader frees
 * each node once it has gone past it, so memory does not grow with the
 * file.  Only the record being built is held (up to XML_MAX_RECORD bytes).
 *
 * Which elements are records:
 *   - with --record NAME, every element called NAME (its qualified name
 *     "p:NAME" or its local name), at any depth, that is not inside another
 *     record; everything outside those elements is ignored;
 *   - otherwise every element child of the root.  Their name is normally
 *     the same (<cases><case/><case/></cases>); when a child of the root
 *     has another name than the first one, it is a record all the same
 *     (nothing is dropped) and parse says so once on stderr.
 * Attributes and text of the root, comments and processing instructions
 * are not part of any record.
 *
 * How a record element becomes fields, in document order:
 *   - its attributes: `id="7"` gives the field id;
 *   - each child element: <client_name>Ana</client_name> gives client_name;
 *     nested elements are flattened with dots: <client><name>Ana</name>
 *     </client> gives client.name;
 *   - attributes of nested elements get an @: <phone type="home"> gives
 *     phone.@type (so they cannot be confused with a child <type>);
 *   - the second, third, ... element of one name under the same parent is
 *     NAME_2, NAME_3 (as CSV does with repeated headers), and the number
 *     stays on the whole branch: <addr><city/></addr><addr><city/></addr>
 *     gives addr.city and addr_2.city; a name that is still taken (an
 *     element really called addr_2) gets the next free _N;
 *   - an element without child elements gives its text byte for byte,
 *     whitespace included; an empty element gives "";
 *   - in an element that has child elements, text that is only whitespace
 *     (indentation) is dropped; other text is kept, its pieces joined, in
 *     a field named after the element, written after its children's;
 *     the record element's own text works the same way (field named after
 *     the record element);
 *   - CDATA is text; character references and the five predefined
 *     entities are replaced; namespace declarations (xmlns) are not
 *     fields; names are the qualified names as written (ns:tag).
 *
 * Untrusted XML is harmless: no DTD is read, no entity is expanded other
 * than the predefined ones, nothing is fetched from the network or the
 * file system.  A document type declaration without an internal subset
 * (<!DOCTYPE cases SYSTEM "cases.dtd">, as some case-management exports
 * write) is let through, and its external DTD is never loaded (no
 * DTDLOAD option, and an external entity loader that refuses everything);
 * one with an internal subset ("[", where entities are declared) is
 * refused with exit status 3 before libxml2 sees the "[" (the prolog is
 * checked in the read callback), and any other document type node, entity
 * or entity reference the reader reports is refused as well.
 *
 * _source.line is the line of the record's start tag: exact when a short
 * run of whitespace precedes the tag (an indented or one-record-per-line
 * file) or within the first 65534 lines; beyond that, for records written
 * back to back (</case><case>), it is the parser's line, which can be a
 * few lines further on (libxml2 keeps 16-bit element line numbers and
 * parses ahead of the reader).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>

#include "array.h"
#include "diag.h"
#include "parse.h"
#include "xml_guard.h"

/* The most bytes (names and values) and fields one record may hold: a
 * record element that is really the whole file (--record not given for
 * <export><cases><case>...) stops with a message instead of filling
 * memory.  Field names are checked for clashes by a linear search, which
 * the field limit keeps cheap. */
enum { XML_MAX_RECORD = 64 * 1024 * 1024, XML_MAX_FIELDS = 10000 };

/* An element inside the record being built. */
struct level {
	size_t path_len;   /* its field name is path[0..path_len) */
	size_t seen_base;  /* its children's names start at seen[seen_base] */
	size_t text_base;  /* its text starts at text[text_base] */
	int has_child;     /* it has child elements */
	int nested;        /* not the record element */
};

struct seen_name {
	const xmlChar *name; /* interned in the reader's dictionary */
	unsigned long count;
};

struct buf {
	char *p;
	size_t len, cap;
};

struct xml_reader {
	struct parse_run *run;
	xmlTextReaderPtr reader;

	struct xml_prolog prolog; /* the prolog check (xml_guard.h) */

	/* errors */
	int read_failed;         /* input_read() failed (it said why) */
	struct xml_errors err;   /* what libxml2 raised (xml_guard.h) */
	int root_seen;           /* the root element's start was read */
	int root_closed;         /* the root element's end was read */

	/* the record being built */
	int in_record;
	int record_depth;
	unsigned long record_line;
	size_t record_bytes;
	const xmlChar *record_qname; /* the record element's name (dictionary) */
	const xmlChar *first_name; /* default mode: the first record's name */
	int said_mixed;
	struct level *levels;
	size_t nlevels, levels_cap;
	struct seen_name *seen;
	size_t nseen, seen_cap;
	struct buf path, text, tmp;

	/* the line of the text node just before, outside records */
	int text_before;
	unsigned long text_before_line;

	/* bytes read, handed to libxml2 a record at a time (xml_io_read) */
	char *stage;
	size_t spos, send;
	char *cut_tag;           /* "</" and the first record's name */
	size_t cut_len;
	unsigned long long handed;  /* input bytes handed to libxml2 */
	int got_bytes, got_text; /* bytes read (after decoding); not all whitespace */
};

static int buf_reserve(struct buf *b, size_t more)
{
	if (b->cap - b->len >= more)
		return 0;
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len < more)
		cap *= 2;
	char *p = realloc(b->p, cap);
	if (!p)
		return -1;
	b->p = p;
	b->cap = cap;
	return 0;
}

static int buf_add(struct buf *b, const void *p, size_t n)
{
	if (buf_reserve(b, n) < 0)
		return -1;
	memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

static int is_blank(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r')
			return 0;
	return 1;
}

/* Moves the bytes not handed to libxml2 yet to the front of x->stage and
 * reads more after them (checking the prolog); returns the count read, 0
 * at the end of the input, or -1 (a read error, reported). */
static ssize_t stage_fill(struct xml_reader *x)
{
	if (x->read_failed)
		return -1;
	if (!x->stage && !(x->stage = malloc(PARSE_CHUNK))) {
		input_nomem(x->run->in);
		x->read_failed = 1;
		return -1;
	}
	memmove(x->stage, x->stage + x->spos, x->send - x->spos);
	x->send -= x->spos;
	x->spos = 0;
	ssize_t n = input_read(x->run->in, x->stage + x->send, PARSE_CHUNK - x->send);
	if (n < 0) {
		x->read_failed = 1;
		return -1;
	}
	size_t keep = (size_t)n;
	if (!xml_prolog_done(&x->prolog))
		keep = xml_prolog_check(&x->prolog, x->stage + x->send, (size_t)n);
	x->got_bytes |= n > 0;
	if (!x->got_text)
		x->got_text = !is_blank(x->stage + x->send, keep);
	x->send += keep;
	return n;
}

/* The length of the N bytes at P up to and including the first end tag of
 * a record element (x->cut_tag, then '>' after optional whitespace), or 0
 * when there is none. */
static size_t record_end(const struct xml_reader *x, const char *p, size_t n)
{
	const char *end = p + n, *q = p;

	while ((q = memmem(q, (size_t)(end - q), x->cut_tag, x->cut_len)) != NULL) {
		q += x->cut_len;
		while (q < end && (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
			q++;
		if (q < end && *q == '>')
			return (size_t)(q + 1 - p);
	}
	return 0;
}

/* How many of the N bytes at P go to libxml2 now (see xml_io_read), or 0
 * to read more first unless FINAL (no more will come before them): the
 * whole prolog at once (libxml2 takes a ">" inside a quoted DOCTYPE
 * literal for the end of the declaration when a chunk ends there); then up
 * to the first record end tag; where there is none, up to the end of the
 * first tag, or when FINAL up to the last '<' (a tag not complete yet
 * stays back) or all N (text).  The cuts depend only on the bytes, never
 * on how they were read. */
static size_t next_cut(const struct xml_reader *x, const char *p, size_t n, int final)
{
	const char *q;
	size_t r;

	if (!xml_prolog_done(&x->prolog))
		return 0;
	if (x->handed < x->prolog.length)
		return x->prolog.length - x->handed < n ? (size_t)(x->prolog.length - x->handed) : n;
	if (x->cut_tag && (r = record_end(x, p, n)) != 0)
		return r;
	if (x->cut_tag && !final)
		return 0;
	if ((q = memchr(p, '>', n)) != NULL)
		return (size_t)(q - p) + 1;
	if (!final)
		return 0;
	if ((q = memrchr(p, '<', n)) != NULL)
		return (size_t)(q - p);
	return n;
}

/*
 * libxml2's read callback.  libxml2's reader refuses to go on once its
 * parser has seen an error, and drops the nodes it had parsed ahead, so
 * which records came out before an error used to depend on the read size.
 * Here the bytes go to libxml2 up to the end tag of each record (named as
 * the first record is), or one tag at a time where none comes within the
 * bytes libxml2 asks for (before the first record, in a long record,
 * empty-element records), never cutting a tag in two: the parser never
 * runs past the record after the one the reader hands over, and every
 * record that ended before an error has come out, whatever the read size.
 * (One call a record costs little more than libxml2's own 512-byte
 * pushes.)
 */
static int xml_io_read(void *ctx, char *buf, int len)
{
	struct xml_reader *x = ctx;
	int ended = 0; /* no more bytes will come */

	for (;;) {
		if (x->prolog.refused)
			return -1;
		size_t avail = x->send - x->spos;
		size_t n = avail < (size_t)len ? avail : (size_t)len;
		int final = ended || avail > n || avail == PARSE_CHUNK;
		size_t cut = n ? next_cut(x, x->stage + x->spos, n, final) : 0;
		if (!cut && final)
			cut = n;
		if (cut) {
			memcpy(buf, x->stage + x->spos, cut);
			x->spos += cut;
			x->handed += cut;
			return (int)cut;
		}
		if (ended)
			return x->read_failed ? -1 : 0;
		if (stage_fill(x) <= 0)
			ended = 1;
	}
}

static int xml_io_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* The line of the reader's current node (see the comment at the top). */
static unsigned long node_line(xmlTextReaderPtr r)
{
	xmlNodePtr n = xmlTextReaderCurrentNode(r);

	if (n && n->line > 0 && n->line < 65535)
		return n->line;
	if (n && n->type == XML_TEXT_NODE && n->line == 65535 && n->psvi)
		return (unsigned long)(uintptr_t)n->psvi;
	int l = xmlTextReaderGetParserLineNumber(r);
	return l > 0 ? (unsigned long)l : 0;
}

static int record_fail(struct xml_reader *x, const char *why)
{
	return diag(ST_INPUT, "parse", "%s:%lu: %s", x->run->in->name, x->record_line, why);
}

static int too_large(struct xml_reader *x)
{
	return record_fail(x, "record is larger than 64 MiB (choose the record element with --record)");
}

/* Adds a field called NAME[0..NLEN) with the value VAL[0..VLEN), both
 * copied into the record. */
static int add_field(struct xml_reader *x, const char *name, size_t nlen, const char *val, size_t vlen)
{
	struct record *rec = &x->run->rec;
	struct slice n = { name, nlen }, v;

	x->record_bytes += nlen + vlen;
	if (x->record_bytes > XML_MAX_RECORD)
		return too_large(x);
	if (rec->nfields >= XML_MAX_FIELDS)
		return record_fail(x, "record has more than 10000 fields "
				   "(choose the record element with --record)");
	if (record_find(rec, n)) {
		/* Taken (an attribute and an element of one name, or a real
		 * element called NAME_2): the next free NAME_N. */
		for (unsigned long k = 2;; k++) {
			char suffix[32];
			int sl = snprintf(suffix, sizeof(suffix), "_%lu", k);
			x->tmp.len = 0;
			if (buf_add(&x->tmp, name, nlen) < 0 || buf_add(&x->tmp, suffix, (size_t)sl) < 0)
				return diag_nomem("parse");
			n = (struct slice){ x->tmp.p, x->tmp.len };
			if (!record_find(rec, n))
				break;
		}
	}
	n = record_copy(rec, n.ptr, n.len);
	v = record_copy(rec, val, vlen);
	if (!n.ptr || !v.ptr || record_append(rec, n, v) < 0)
		return diag_nomem("parse");
	return ST_OK;
}

/* Names come interned from the reader's dictionary, so equal names are
 * mostly the same pointer; strcmp() only when the first bytes agree. */
static int same_name(const xmlChar *a, const xmlChar *b)
{
	return a == b || (a[0] == b[0] && strcmp((const char *)a, (const char *)b) == 0);
}

/* Starts the element the reader is on: the record element (NESTED 0) or
 * an element inside it.  Adds its attributes. */
static int enter_element(struct xml_reader *x, int nested)
{
	xmlTextReaderPtr r = x->reader;
	const xmlChar *qname = xmlTextReaderConstName(r);
	struct level l = { 0, 0, x->text.len, 0, nested };

	if (!qname)
		return diag_nomem("parse");
	if (nested) {
		struct level *parent = &x->levels[x->nlevels - 1];
		unsigned long count = 1;
		size_t i = parent->seen_base;

		parent->has_child = 1;
		while (i < x->nseen && !same_name(x->seen[i].name, qname))
			i++;
		if (i < x->nseen) {
			count = ++x->seen[i].count;
		} else {
			if (array_grow((void **)&x->seen, &x->seen_cap, x->nseen, sizeof(*x->seen)) < 0)
				return diag_nomem("parse");
			x->seen[x->nseen++] = (struct seen_name){ qname, 1 };
		}
		x->path.len = parent->path_len;
		if ((parent->path_len && buf_add(&x->path, ".", 1) < 0) ||
		    buf_add(&x->path, qname, strlen((const char *)qname)) < 0)
			return diag_nomem("parse");
		if (count > 1) {
			char suffix[32];
			int sl = snprintf(suffix, sizeof(suffix), "_%lu", count);
			if (buf_add(&x->path, suffix, (size_t)sl) < 0)
				return diag_nomem("parse");
		}
		l.path_len = x->path.len;
	}
	l.seen_base = x->nseen;
	if (array_grow((void **)&x->levels, &x->levels_cap, x->nlevels, sizeof(*x->levels)) < 0)
		return diag_nomem("parse");
	x->levels[x->nlevels++] = l;

	int moved = 0, st = ST_OK;
	while (st == ST_OK && xmlTextReaderMoveToNextAttribute(r) == 1) {
		moved = 1;
		if (xmlTextReaderIsNamespaceDecl(r) == 1)
			continue;
		const char *an = (const char *)xmlTextReaderConstName(r);
		const char *av = (const char *)xmlTextReaderConstValue(r);
		if (!an || !av)
			return diag_nomem("parse");
		if (!nested) {
			st = add_field(x, an, strlen(an), av, strlen(av));
			continue;
		}
		x->path.len = l.path_len;
		if (buf_add(&x->path, ".@", 2) < 0 || buf_add(&x->path, an, strlen(an)) < 0)
			return diag_nomem("parse");
		st = add_field(x, x->path.p, x->path.len, av, strlen(av));
	}
	if (moved)
		xmlTextReaderMoveToElement(r);
	return st;
}

/* Ends the innermost element: adds its text as described at the top. */
static int leave_element(struct xml_reader *x)
{
	struct level *l = &x->levels[x->nlevels - 1];
	const char *t = x->text.p ? x->text.p + l->text_base : "";
	size_t tl = x->text.len - l->text_base;
	int st = ST_OK;

	if (l->nested && !l->has_child)
		st = add_field(x, x->path.p, l->path_len, t, tl);
	else if (!is_blank(t, tl) && l->nested)
		st = add_field(x, x->path.p, l->path_len, t, tl);
	else if (!is_blank(t, tl))
		st = add_field(x, (const char *)x->record_qname, strlen((const char *)x->record_qname), t, tl);
	x->text.len = l->text_base;
	x->nseen = l->seen_base;
	x->nlevels--;
	return st;
}

/* Is the element the reader is on, at DEPTH, a record element? */
static int is_record(struct xml_reader *x, int depth, const xmlChar *qname)
{
	const char *want = x->run->opt->record_name;

	if (!want)
		return depth == 1;
	if (strcmp((const char *)qname, want) == 0)
		return 1;
	const xmlChar *local = xmlTextReaderConstLocalName(x->reader);
	return local && strcmp((const char *)local, want) == 0;
}

static int start_record(struct xml_reader *x, const xmlChar *qname)
{
	struct parse_run *run = x->run;

	x->record_line = x->text_before ? x->text_before_line : node_line(x->reader);
	x->record_depth = xmlTextReaderDepth(x->reader);
	x->record_qname = qname;
	if (!x->cut_tag) {
		x->cut_len = 2 + strlen((const char *)qname);
		if (!(x->cut_tag = malloc(x->cut_len)))
			return diag_nomem("parse");
		memcpy(x->cut_tag, "</", 2);
		memcpy(x->cut_tag + 2, qname, x->cut_len - 2);
	}
	x->record_bytes = 0;
	x->in_record = 1;
	x->text.len = x->path.len = 0;
	x->nseen = x->nlevels = 0;
	if (!run->opt->record_name) {
		if (!x->first_name) {
			x->first_name = qname;
		} else if (!x->said_mixed && !same_name(qname, x->first_name)) {
			x->said_mixed = 1;
			diag(ST_OK, "parse", "%s:%lu: <%s> is not <%s>, the first record element; "
			     "every child of the root is a record (choose one with --record)",
			     run->in->name, x->record_line, qname, x->first_name);
		}
	}
	return enter_element(x, 0);
}

static int end_record(struct xml_reader *x)
{
	int st = leave_element(x);

	x->in_record = 0;
	if (st != ST_OK)
		return st;
	return parse_emit(x->run, x->record_line);
}

static int refuse(struct xml_reader *x, unsigned long line)
{
	return diag(ST_INPUT, "parse", "%s:%lu: document type declarations are not accepted with an "
		    "internal subset [...] (entity expansion and external files are refused)",
		    x->run->in->name, line);
}

/* Handles the node the reader is on. */
static int on_node(struct xml_reader *x)
{
	xmlTextReaderPtr r = x->reader;
	int type = xmlTextReaderNodeType(r), st = ST_OK;

	switch (type) {
	case XML_READER_TYPE_ELEMENT: {
		int empty = xmlTextReaderIsEmptyElement(r);
		if (x->in_record) {
			st = enter_element(x, 1);
			if (st == ST_OK && empty)
				st = leave_element(x);
			break;
		}
		const xmlChar *qname = xmlTextReaderConstName(r);
		if (!qname)
			return diag_nomem("parse");
		int depth = xmlTextReaderDepth(r);
		x->root_seen |= depth == 0;
		if (depth == 0 && empty)
			x->root_closed = 1;
		if (is_record(x, depth, qname)) {
			st = start_record(x, qname);
			if (st == ST_OK && empty)
				st = end_record(x);
		}
		break;
	}
	case XML_READER_TYPE_END_ELEMENT:
		if (xmlTextReaderDepth(r) == 0)
			x->root_closed = 1;
		if (x->in_record)
			st = x->nlevels == 1 ? end_record(x) : leave_element(x);
		break;
	case XML_READER_TYPE_TEXT:
	case XML_READER_TYPE_CDATA:
	case XML_READER_TYPE_WHITESPACE:
	case XML_READER_TYPE_SIGNIFICANT_WHITESPACE: {
		if (!x->in_record) {
			/* libxml2 gives a text node the line where its first
			 * piece ends: the whole text when it is short. */
			const char *v = (const char *)xmlTextReaderConstValue(r);
			x->text_before = v && strnlen(v, 256) < 256;
			x->text_before_line = node_line(r);
			return ST_OK;
		}
		const char *v = (const char *)xmlTextReaderConstValue(r);
		if (!v)
			return diag_nomem("parse");
		size_t n = strlen(v);
		if (x->text.len + n + x->record_bytes > XML_MAX_RECORD)
			return too_large(x);
		if (buf_add(&x->text, v, n) < 0)
			return diag_nomem("parse");
		break;
	}
	case XML_READER_TYPE_DOCUMENT_TYPE:
		/* Let through by the prolog check: nothing to read in it. */
		if (x->prolog.doctype && !x->prolog.refused)
			break;
		return refuse(x, node_line(r));
	case XML_READER_TYPE_ENTITY_REFERENCE:
		/* An entity the document does not declare, which libxml2
		 * leaves unexpanded when a DTD (never read) could declare it. */
		return diag(ST_INPUT, "parse", "%s:%lu: entity &%s; is not declared in the document "
			    "(an external DTD is never read)", x->run->in->name, node_line(r),
			    (const char *)xmlTextReaderConstName(r));
	case XML_READER_TYPE_ENTITY:
	case XML_READER_TYPE_NOTATION:
		return refuse(x, node_line(r));
	default:
		break;
	}
	x->text_before = 0;
	return st;
}

static void xml_reader_release(struct xml_reader *x)
{
	if (x->reader)
		xmlFreeTextReader(x->reader);
	free(x->levels);
	free(x->seen);
	free(x->path.p);
	free(x->text.p);
	free(x->tmp.p);
	free(x->stage);
	free(x->cut_tag);
}

static int read_xml(struct parse_run *run)
{
	struct xml_reader x = { .run = run, .prolog = { .allow_doctype = 1, .line = 1 } };
	int st = ST_OK, ret = -1;

	xml_guard_setup();
	/* Errors raised outside the reader's own context (while it starts,
	 * or by the input layer) come here too, and never go to stderr. */
	xml_guard_catch(&x.err);
	/* input_read() gives UTF-8 whatever the file's encoding (it detects it,
	 * or --encoding names it), so the XML declaration's encoding is not
	 * applied a second time (XML_PARSE_IGNORE_ENC). */
	x.reader = xmlReaderForIO(xml_io_read, xml_io_close, &x, NULL, "UTF-8", XML_GUARD_OPTIONS);
	if (x.reader) {
		xmlTextReaderSetStructuredErrorHandler(x.reader, xml_errors_note, &x.err);
		/* libxml2 may go on after running out of memory, having
		 * dropped a node: no node is looked at after that. */
		while (st == ST_OK && (ret = xmlTextReaderRead(x.reader)) == 1 && !x.err.nomem)
			st = on_node(&x);
	}
	if (st == ST_OK) {
		if (x.prolog.refused)
			st = refuse(&x, x.prolog.refused);
		else if (x.read_failed)
			st = ST_INPUT;
		else if (!x.reader || x.err.nomem)
			st = diag_nomem("parse");
		else if (x.err.nerrors && !x.got_text)
			/* Empty: no byte at all (a byte order mark or an empty gzip
			 * member is no text), or only whitespace. */
			st = diag(ST_INPUT, "parse", "%s: malformed XML: the input is %s", run->in->name,
				  x.got_bytes ? "only whitespace" : "empty");
		else if (x.err.nerrors && x.err.code == XML_ERR_DOCUMENT_END && !x.root_seen)
			/* The reader fails before handing over a root that is
			 * followed at once by another. */
			st = diag(ST_INPUT, "parse", "%s:%lu: malformed XML: no root element, or more than one",
				  run->in->name, x.err.line);
		else if (x.err.nerrors && x.err.code == XML_ERR_DOCUMENT_EMPTY)
			/* libxml2: "Document is empty", for text that is not XML. */
			st = diag(ST_INPUT, "parse", "%s:%lu: malformed XML: no root element: the input does "
				  "not start with '<' (is it XML?)", run->in->name, x.err.line ? x.err.line : 1);
		else if (x.err.nerrors && x.err.code == XML_ERR_DOCUMENT_END && !x.root_closed)
			/* libxml2 says "extra content at the end of the document"
			 * for both. */
			st = diag(ST_INPUT, "parse", "%s:%lu: malformed XML: the input ends inside an element, "
				  "or has more than one root element", run->in->name, x.err.line);
		else if (x.err.nerrors || ret < 0)
			st = diag(ST_INPUT, "parse", "%s:%lu: malformed XML: %s", run->in->name,
				  x.err.line ? x.err.line : x.reader ? node_line(x.reader) : 1,
				  x.err.nerrors ? x.err.msg : "the XML reader stopped");
		else if (run->opt->record_name && run->records == 0)
			st = diag(ST_INPUT, "parse", "%s: no <%s> element found", run->in->name,
				  run->opt->record_name);
	}
	record_clear(&run->rec);
	xml_reader_release(&x);
	xml_guard_release();
	return st;
}

const struct reader reader_xml = { "xml", read_xml, 1 };
