#include <errno.h>
#include <limits.h>
#include <string.h>
#include <time.h>

#include "datafile.h"
#include "diag.h"
#include "idfields.h"

void idfields_init(struct idfields *f)
{
	*f = (struct idfields){ 0 };
	f->field[IDENT_RECEIPT] = SLICE_LIT("receipt_number");
	f->field[IDENT_ANUMBER] = SLICE_LIT("a_number");
	f->field[IDENT_OAN] = SLICE_LIT("uscis_online_account_number");
}

int idfields_option(struct idfields *f, int c, const char *arg)
{
	switch (c) {
	case IDOPT_RECEIPT_FIELD:
		f->field[IDENT_RECEIPT] = slice_of(arg);
		return 1;
	case IDOPT_ANUMBER_FIELD:
		f->field[IDENT_ANUMBER] = slice_of(arg);
		return 1;
	case IDOPT_OAN_FIELD:
		f->field[IDENT_OAN] = slice_of(arg);
		return 1;
	case IDOPT_FIX_LOOKALIKES:
		f->options |= IDENT_FIX_LOOKALIKES;
		return 1;
	case IDOPT_RULES:
		f->rules_path = arg;
		return 1;
	case IDOPT_TODAY:
		f->today = arg;
		return 1;
	}
	return 0;
}

int idfields_load(struct idfields *f, const char *stage)
{
	char prefixes[PATH_MAX], identifiers[PATH_MAX], err[PATH_MAX + 256];

	if (datafile_find("receipt-prefixes.json", prefixes, sizeof(prefixes)) < 0)
		return diag(ST_INPUT, stage, "%s: schema file not found", prefixes);
	if (datafile_find("identifiers.json", identifiers, sizeof(identifiers)) < 0)
		return diag(ST_INPUT, stage, "%s: schema file not found", identifiers);
	f->rules = ident_rules_load(prefixes, identifiers, err, sizeof(err));
	if (!f->rules)
		return diag(errno == ENOMEM ? ST_SYSTEM : ST_INPUT, stage, "%s", err);
	if (f->rules_path &&
	    ident_rules_apply_overrides(f->rules, f->rules_path, err, sizeof(err)) < 0)
		return diag(errno == ENOMEM ? ST_SYSTEM : ST_INPUT, stage, "%s", err);

	char today[16];
	const char *date = f->today;
	if (!date) {
		/* The library never reads the clock; the stage does, once. */
		time_t now = time(NULL);
		struct tm tm;
		if (!localtime_r(&now, &tm) || !strftime(today, sizeof(today), "%Y-%m-%d", &tm))
			return diag(ST_SYSTEM, stage, "cannot read today's date");
		date = today;
	}
	if (ident_rules_set_today(f->rules, date) < 0)
		return diag(ST_USAGE, stage, "--today: '%s' is not a YYYY-MM-DD date", date);
	static unsigned long loads;
	f->serial = ++loads;
	return ST_OK;
}

const char idfields_note_tag[] = "idfields_note";

int idfields_compare_judge(struct idfields *f, const struct idfields *judge)
{
	f->peer_serial = judge->serial;
	f->peer_same = judge->serial != 0 && f->serial != 0 && judge->options == f->options &&
		       ident_rules_equal(judge->rules, f->rules);
	return f->peer_same;
}

void idfields_release(struct idfields *f)
{
	ident_rules_free(f->rules);
	f->rules = NULL;
}

struct field *idfields_find_slow(const struct record *rec, struct slice name, size_t *hint)
{
	struct field *f = record_find(rec, name);
	if (f)
		*hint = (size_t)(f - rec->fields);
	return f;
}

static int has_issue(const struct record *rec, struct slice field, struct slice code)
{
	for (size_t i = 0; i < rec->nissues; i++)
		if (slice_eq(rec->issues[i].code, code) && slice_eq(rec->issues[i].field, field))
			return 1;
	return 0;
}

int idfields_add_issue(struct record *rec, const struct issue *issue)
{
	if (has_issue(rec, issue->field, issue->code))
		return 0;
	return record_add_issue(rec, issue);
}

int idfields_add_finding(struct record *rec, struct slice field,
			 const struct ident_finding *finding)
{
	struct issue issue = {
		.field = field,
		.code = slice_of(finding->code),
		.severity = finding->severity,
		.message = slice_of(finding->message),
	};

	if (has_issue(rec, field, issue.code))
		return 0;
	if (finding->suggestion[0]) {
		issue.suggestion = record_copy(rec, finding->suggestion, strlen(finding->suggestion));
		if (!issue.suggestion.ptr)
			return -1;
	}
	return record_add_issue(rec, &issue);
}
