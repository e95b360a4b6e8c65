#include <stdlib.h>

#include "diag.h"
#include "idfields.h"
#include "stage.h"

/*
 * normalise: rewrites the three identifiers into canonical form where
 * ident_check can do so without guessing, keeps the original in _raw and
 * records each repair as an issue.  It reports only repairs (the codes
 * idfields_is_repair lists, at their effective severity); what is wrong
 * with a value is validate's to report, so a chain reports nothing twice.
 */

extern const struct stage stage_normalise;

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
	struct idfields *f = calloc(1, sizeof(*f));
	int c, st;

	if (!f)
		return diag_nomem("normalise");
	*state = f;
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
	struct idfields *f = state;
	struct ident_verdict v;

	for (int k = IDENT_RECEIPT; k <= IDENT_OAN; k++) {
		struct field *fld = idfields_find(rec, f->field[k], &f->hint[k]);
		if (!fld)
			continue;
		ident_check(f->rules, (enum ident_kind)k, fld->value.ptr, fld->value.len,
			    f->options, &v);
		if (!v.changed)
			continue;
		struct slice value = v.len ? record_copy(rec, v.value, v.len) : SLICE_LIT("");
		if (!value.ptr || record_set_raw(rec, fld->name, fld->value) < 0)
			return diag_nomem("normalise");
		fld->value = value;
		for (int i = 0; i < v.nfindings; i++)
			if (idfields_is_repair(v.findings[i].code) &&
			    idfields_add_finding(rec, fld->name, &v.findings[i]) < 0)
				return diag_nomem("normalise");
	}
	return sink_put(out, rec);
}

static void normalise_destroy(void *state)
{
	struct idfields *f = state;
	if (f)
		idfields_release(f);
	free(f);
}

const struct stage stage_normalise = {
	.name = "normalise",
	.summary = "rewrite the three USCIS identifiers into canonical form",
	.usage = usage,
	.create = normalise_create,
	.process = normalise_process,
	.destroy = normalise_destroy,
};
