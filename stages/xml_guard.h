#ifndef CASEPIPE_XML_GUARD_H
#define CASEPIPE_XML_GUARD_H

#include <stddef.h>

#include <libxml/parser.h>

/*
 * What makes libxml2 safe on untrusted XML, shared by the XML reader and
 * the xlsx reader: no DTD is read, no entity other than the predefined
 * ones is expanded, nothing is fetched from the network or the file
 * system.
 *
 * XML_GUARD_OPTIONS are the parser options to use.  Never NOENT (it
 * enables external entities), DTDLOAD, DTDATTR, DTDVALID, XINCLUDE or
 * HUGE (see the traps in ../shared/suites/README.md).
 */
enum {
	XML_GUARD_OPTIONS = XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES |
			    XML_PARSE_COMPACT | XML_PARSE_IGNORE_ENC
};

/* Initialises libxml2 once and installs an external entity loader that
 * refuses everything, and error handlers that never let libxml2 print a
 * message by itself. */
void xml_guard_setup(void);

/*
 * The errors libxml2 raised during one parse: the first one's message
 * (lower-cased first letter, one line), line and code, and whether any of
 * them, warnings included, was running out of memory (libxml2 often goes
 * on after one, having dropped a node or an attribute, so that any such
 * error must end the parse with a memory failure): XML_ERR_NO_MEMORY, or
 * any error raised while errno is ENOMEM, since no allocation failure is
 * recovered from and libxml2 reports some as other errors.  Start it
 * zeroed.
 */
struct xml_errors {
	int nerrors;            /* errors and fatal errors; warnings are not counted */
	int nomem;              /* an XML_ERR_NO_MEMORY was raised */
	int code;               /* libxml2's code of the first error */
	unsigned long line;     /* its line, or 0 */
	char msg[240];
};

/* An xmlStructuredErrorFunc that notes E in CTX, a struct xml_errors. */
void xml_errors_note(void *ctx, xmlErrorPtr e);

/* Sends the errors that libxml2 raises outside a parser's own handler
 * (while it builds a tree node, parses a URI, starts a reader...) to ERRS
 * until xml_guard_release(). */
void xml_guard_catch(struct xml_errors *errs);
void xml_guard_release(void);

/*
 * The prolog check: it looks at the bytes before the root element as they
 * are read, so that libxml2 never parses an internal DTD subset and can
 * neither expand nor load an entity.  Comments, processing instructions
 * and whitespace are skipped; anything else (the root element, an encoding
 * this ASCII check cannot read such as UTF-16, or a syntax error for
 * libxml2 to report) ends the check.  A document type declaration ("<!D")
 * is refused where it starts, unless allow_doctype is set: then one
 * without an internal subset is let through (quoted literals skipped; its
 * external DTD is never loaded) and the input stops before the "[" of one
 * with a subset.  Start it zeroed with line = 1.
 */
struct xml_prolog {
	int allow_doctype;      /* set by the caller before the first check */
	int state;
	int count;              /* dashes or question mark just seen; a quote */
	unsigned long line;     /* the line being looked at */
	unsigned long doctype;  /* line of a declaration let through, or 0 */
	unsigned long refused;  /* line of a refused declaration, or 0 */
	unsigned long long offset;    /* bytes looked at so far */
	unsigned long long markup_at; /* offset of the prolog's last "<" */
	unsigned long long length;    /* the prolog's length, once done */
};

/* Whether the check is over (the root element was reached). */
int xml_prolog_done(const struct xml_prolog *p);

/* Looks at the next N bytes; returns how many of them may be passed on
 * (fewer when a refused declaration starts among them: p->refused is
 * then set). */
size_t xml_prolog_check(struct xml_prolog *p, const char *buf, size_t n);

#endif
