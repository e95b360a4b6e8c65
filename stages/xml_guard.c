#include <errno.h>
#include <string.h>

#include <libxml/xmlerror.h>

#include "xml_guard.h"

/* States of the prolog check. */
enum { P_SPACE, P_LT, P_BANG, P_BANG_DASH, P_COMMENT, P_PI, P_DOCTYPE, P_DONE };

int xml_prolog_done(const struct xml_prolog *p)
{
	return p->state == P_DONE;
}

/* Ends the check, refusing a declaration at the current line; KEEP of the
 * bytes looked at in this call are passed on. */
static size_t refuse_here(struct xml_prolog *x, size_t keep)
{
	x->refused = x->line;
	x->state = P_DONE;
	x->offset += keep;
	return keep;
}

size_t xml_prolog_check(struct xml_prolog *x, const char *buf, size_t n)
{
	for (size_t i = 0; i < n && x->state != P_DONE; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c == '\n')
			x->line++;
		switch (x->state) {
		case P_SPACE:
			x->markup_at = x->offset + i;
			if (c == '<')
				x->state = P_LT;
			else if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
				x->state = P_DONE;
			break;
		case P_LT:
			x->count = 0;
			x->state = c == '?' ? P_PI : c == '!' ? P_BANG : P_DONE;
			break;
		case P_BANG:
			x->count = 0;
			if ((c == 'D' || c == 'd') && !x->allow_doctype)
				return refuse_here(x, i > 1 ? i - 1 : 0); /* nothing of "<!" */
			if (c == 'D' || c == 'd') {
				x->doctype = x->line;
				x->state = P_DOCTYPE;
				break;
			}
			x->state = c == '-' ? P_BANG_DASH : P_DONE;
			break;
		case P_DOCTYPE:
			if (x->count) {
				if (c == x->count)
					x->count = 0;
			} else if (c == '"' || c == '\'') {
				x->count = c;
			} else if (c == '[') {
				return refuse_here(x, i);
			} else if (c == '>') {
				x->state = P_SPACE;
			}
			break;
		case P_BANG_DASH:
			x->state = c == '-' ? P_COMMENT : P_DONE;
			break;
		case P_COMMENT:
			if (c == '>' && x->count >= 2)
				x->state = P_SPACE;
			x->count = c == '-' ? x->count + 1 : 0;
			break;
		case P_PI:
			if (c == '>' && x->count)
				x->state = P_SPACE;
			x->count = c == '?';
			break;
		default:
			break;
		}
		if (x->state == P_DONE)
			x->length = x->markup_at;
	}
	x->offset += n;
	return n;
}

/* No external entity, DTD or file is ever loaded. */
static xmlParserInputPtr refuse_entity(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)url;
	(void)id;
	(void)ctxt;
	return NULL;
}

/* libxml2's unstructured messages ("xmlNewTextReader : malloc failed")
 * would go to stderr as they are; the caller reports the failure. */
static void ignore_generic_error(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

/* Between parses, errors are dropped (none is expected). */
static void ignore_structured_error(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

void xml_guard_setup(void)
{
	static int done;

	if (!done) {
		xmlInitParser();
		xmlSetExternalEntityLoader(refuse_entity);
		xml_guard_release();
		done = 1;
	}
}

void xml_guard_catch(struct xml_errors *errs)
{
	errno = 0;
	xmlSetGenericErrorFunc(NULL, ignore_generic_error);
	xmlSetStructuredErrorFunc(errs, xml_errors_note);
}

void xml_guard_release(void)
{
	xmlSetGenericErrorFunc(NULL, ignore_generic_error);
	xmlSetStructuredErrorFunc(NULL, ignore_structured_error);
}

void xml_errors_note(void *ctx, xmlErrorPtr e)
{
	struct xml_errors *x = ctx;

	if (!e)
		return;
	/* Some of libxml2's allocation failures raise a different error
	 * ("xmlns:x: Empty XML namespace is not allowed" when the namespace
	 * could not be copied); errno tells (xml_guard_catch() clears it). */
	if (e->code == XML_ERR_NO_MEMORY || errno == ENOMEM)
		x->nomem = 1;
	if (e->level == XML_ERR_WARNING || x->nerrors++)
		return;
	const char *m = e->message ? e->message : "unknown error";
	size_t n = strcspn(m, "\n");
	while (n > 0 && (m[n - 1] == ' ' || m[n - 1] == '\t'))
		n--;
	if (n >= sizeof(x->msg))
		n = sizeof(x->msg) - 1;
	memcpy(x->msg, m, n);
	x->msg[n] = '\0';
	/* libxml2 starts its messages with a capital; ours are lower case. */
	if (x->msg[0] >= 'A' && x->msg[0] <= 'Z' && !(x->msg[1] >= 'A' && x->msg[1] <= 'Z'))
		x->msg[0] = (char)(x->msg[0] - 'A' + 'a');
	x->line = e->line > 0 ? (unsigned long)e->line : 0;
	x->code = e->code;
}
