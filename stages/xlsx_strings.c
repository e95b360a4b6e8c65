#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "diag.h"
#include "xlsx_cell.h"
#include "xlsx_part.h"
#include "xlsx_strings.h"

struct strings_reader {
	struct xlsx_sax sax;   /* first: the callbacks' context starts with it */
	struct xlsx_strings *table;
	const char *file, *part;  /* for messages */
	const xmlChar *n_si, *n_t, *n_rph;
	struct xlsx_text text; /* the <si> being read */
	int in_si, in_t, in_rph;
};

static int end_si(struct strings_reader *r)
{
	struct xlsx_strings *t = r->table;
	size_t n = r->text.len ? xlsx_unescape(r->text.p, r->text.len) : 0;
	char *copy = arena_memdup(&t->text, r->text.p ? r->text.p : "", n);

	if (!copy || array_grow((void **)&t->s, &t->cap, t->n, sizeof(*t->s)) < 0)
		return diag_nomem("parse");
	t->s[t->n++] = (struct slice){ copy, n };
	r->in_si = r->in_t = r->in_rph = 0;
	return ST_OK;
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
		     int nns, const xmlChar **ns, int nattrs, int ndefaulted, const xmlChar **attrs)
{
	struct strings_reader *r = ctx;

	(void)prefix, (void)uri, (void)nns, (void)ns, (void)nattrs, (void)ndefaulted, (void)attrs;
	if (name == r->n_si) {
		r->in_si = 1;
		r->text.len = 0;
	} else if (r->in_si && name == r->n_rph) {
		r->in_rph = 1;
	} else if (r->in_si && !r->in_rph && name == r->n_t) {
		r->in_t = 1;
	}
}

static void on_end(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
	struct strings_reader *r = ctx;

	(void)prefix, (void)uri;
	if (r->sax.st != ST_OK)
		return;
	if (r->in_si && name == r->n_si)
		xlsx_sax_stop(&r->sax, end_si(r));
	else if (name == r->n_rph)
		r->in_rph = 0;
	else if (name == r->n_t)
		r->in_t = 0;
}

static void on_text(void *ctx, const xmlChar *p, int len)
{
	struct strings_reader *r = ctx;

	if (r->sax.st != ST_OK || !r->in_t || r->in_rph)
		return;
	if (r->text.len + (size_t)len > XLSX_MAX_CELL)
		xlsx_sax_stop(&r->sax, diag(ST_INPUT, "parse", "%s: %s: shared string %zu holds more than "
					    "1 MiB of text (Excel allows 32767 characters)", r->file,
					    r->part, r->table->n));
	else if (xlsx_text_add(&r->text, (const char *)p, (size_t)len) < 0)
		xlsx_sax_stop(&r->sax, diag_nomem("parse"));
}

static int intern_names(void *ctx)
{
	struct strings_reader *r = ctx;
	r->n_si = xlsx_sax_name(&r->sax, "si");
	r->n_t = xlsx_sax_name(&r->sax, "t");
	r->n_rph = xlsx_sax_name(&r->sax, "rPh");
	return r->n_si && r->n_t && r->n_rph ? ST_OK : diag_nomem("parse");
}

int xlsx_strings_read(struct xlsx_strings *t, struct xlsx_zip *z, const char *part)
{
	struct strings_reader r = { .table = t, .file = z->name, .part = part };
	xmlSAXHandler sax;

	memset(t, 0, sizeof(*t));
	if (!part)
		return ST_OK;
	xlsx_sax_handler(&sax, on_start, on_end, on_text);
	int st = xlsx_sax_run(&r.sax, &r, z, part, XLSX_MAX_STRINGS, &sax, intern_names);
	free(r.text.p);
	return st;
}

void xlsx_strings_free(struct xlsx_strings *t)
{
	free(t->s);
	arena_release(&t->text);
	memset(t, 0, sizeof(*t));
}
