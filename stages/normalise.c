#include <stdlib.h>

#include "diag.h"
#include "idfields.h"
#include "stage.h"

/*
 * normalise: rewrites the three identifiers into canonical form where
 * ident_check can do so without guessing, keeps the original in _raw and
 * records each repair as an issue.  It reports only repairs (the findings
 * ident_check marks as such, at their effective severity); what is wrong
 * with a value is validate's to report, so a chain reports nothing twice.
 */

extern const struct stage stage_normalise;

/* The verdicts of the record in hand live here, not on the stack, and the
 * note that lends them to the stages after normalise (idfields.h). */
struct normalise_state {
	struct idfields id;
	struct ident_verdict verdict[3];
	struct idfields_note note;
};

static const char usage[] =
	"usage: casepipe normalise [options]\n"
	"\n"
	"Rewrites receipt numbers, A-Numbers and USCIS online account numbers\n"
	"into canonical form (EAC2190012345, A012345678, 123456789012) where\n"
	"that needs no guessing.  The original value goes to _raw and each\n"
	"repair is an issue (receipt.reformatted, anumber.padded, ...).  A value\n"
	"that cannot be repaired stays exactly as it was; validate reports it.\n"
	"\n"
	IDFIELDS_USAGE
	"  -h, --help            show this help\n";

static int normalise_create(int argc, char **argv, void **state)
{
	static const struct option longopts[] = {
		IDFIELDS_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct normalise_state *s = calloc(1, sizeof(*s));
	struct idfields *f;
	int c, st;

	if (!s)
		return diag_nomem("normalise");
	*state = s;
	f = &s->id;
	s->note.judge = f;
	idfields_init(f);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1)
		if (!idfields_option(f, c, optarg))
			return stage_usage_error(&stage_normalise);
	if (optind < argc) {
		diag(ST_USAGE, "normalise", "unexpected argument '%s' (normalise reads records, not files)",
		     argv[optind]);
		return stage_usage_error(&stage_normalise);
	}
	st = idfields_load(f, "normalise");
	return st == ST_USAGE ? stage_usage_error(&stage_normalise) : st;
}

static int normalise_process(void *state, struct record *rec, struct sink *out)
{
	struct normalise_state *s = state;
	struct idfields *f = &s->id;

	for (int k = IDENT_RECEIPT; k <= IDENT_OAN; k++) {
		struct ident_verdict *v = &s->verdict[k];
		struct field *fld = idfields_find(rec, f->field[k], &f->hint[k]);
		s->note.verdict[k] = NULL;
		if (!fld)
			continue;
		ident_check(f->rules, (enum ident_kind)k, fld->value.ptr, fld->value.len,
			    f->options, v);
		if (!v->changed) {
			/* The verdict on the value as it goes on: lent to validate,
			 * which would reach it again (a quarter of the chain's
			 * identifier checks on the bench data). */
			s->note.verdict[k] = v;
			continue;
		}
		struct slice value = v->len ? record_copy(rec, v->value, v->len) : SLICE_LIT("");
		if (!value.ptr || record_set_raw(rec, fld->name, fld->value) < 0)
			return diag_nomem("normalise");
		fld->value = value;
		for (int i = 0; i < v->nfindings; i++)
			if (v->findings[i].repair &&
			    idfields_add_finding(rec, fld->name, &v->findings[i]) < 0)
				return diag_nomem("normalise");
	}

	struct record_note given = rec->note;
	rec->note = (struct record_note){ idfields_note_tag, &s->note };
	int st = sink_put(out, rec);
	rec->note = given;
	return st;
}

static void normalise_destroy(void *state)
{
	struct normalise_state *s = state;
	if (s)
		idfields_release(&s->id);
	free(s);
}

const struct stage stage_normalise = {
	.name = "normalise",
	.summary = "rewrite the three USCIS identifiers into canonical form",
	.usage = usage,
	.create = normalise_create,
	.process = normalise_process,
	.destroy = normalise_destroy,
};
