#ifndef CASEPIPE_IDFIELDS_H
#define CASEPIPE_IDFIELDS_H

/*
 * What normalise and validate share: which field holds which identifier,
 * the options that choose them, and the identifier rules (schema files,
 * the user's rules file, today's date).  Ownership: struct idfields owns
 * its rules; field names point into argv or at static text.
 */

#include <getopt.h>

#include "ident.h"
#include "record.h"

/* getopt_long codes of the shared options (no short forms). */
enum {
	IDOPT_RECEIPT_FIELD = 0x100,
	IDOPT_ANUMBER_FIELD,
	IDOPT_OAN_FIELD,
	IDOPT_FIX_LOOKALIKES,
	IDOPT_RULES,
	IDOPT_TODAY,
	IDOPT_NEXT, /* the first code free for a stage's own options */
};

/* The shared entries of a stage's struct option table. */
#define IDFIELDS_LONGOPTS \
	{ "receipt-field", required_argument, NULL, IDOPT_RECEIPT_FIELD }, \
	{ "anumber-field", required_argument, NULL, IDOPT_ANUMBER_FIELD }, \
	{ "oan-field", required_argument, NULL, IDOPT_OAN_FIELD }, \
	{ "fix-lookalikes", no_argument, NULL, IDOPT_FIX_LOOKALIKES }, \
	{ "rules", required_argument, NULL, IDOPT_RULES }, \
	{ "today", required_argument, NULL, IDOPT_TODAY }

/* The shared lines of a stage's usage text. */
#define IDFIELDS_USAGE \
	"  --receipt-field F     the receipt number's field (default receipt_number)\n" \
	"  --anumber-field F     the A-Number's field (default a_number)\n" \
	"  --oan-field F         the online account number's field\n" \
	"                        (default uscis_online_account_number)\n" \
	"  --fix-lookalikes      apply look-alike repairs (letter O for zero, I or l\n" \
	"                        for one) instead of only suggesting them\n" \
	"  --rules FILE          change severities or switch codes off with FILE\n" \
	"                        ({\"codes\": {\"receipt.rare_prefix\": \"off\"}})\n" \
	"  --today YYYY-MM-DD    the date for receipt.implausible_date (default:\n" \
	"                        the clock)\n"

struct idfields {
	struct slice field[3]; /* indexed by enum ident_kind */
	unsigned options;      /* enum ident_option flags */
	const char *rules_path, *today;
	struct ident_rules *rules;
	size_t hint[3]; /* idfields_find hints for the three fields */
	/* A number no other idfields_load of the process gives (0 before
	 * loading), and what idfields_same_judge last found out about
	 * another: its number and whether it judges as this one does. */
	unsigned long serial, peer_serial;
	int peer_same;
};

void idfields_init(struct idfields *f);

/* Takes option C (a getopt_long code) with ARG; returns 1 when it is a
 * shared option, 0 when it is not. */
int idfields_option(struct idfields *f, int c, const char *arg);

/* Loads the schema files and the rules file, and sets today.  Returns
 * ST_OK, ST_USAGE (bad --today) or ST_INPUT after a message naming the
 * file. */
int idfields_load(struct idfields *f, const char *stage);

void idfields_release(struct idfields *f);

/* idfields_find when the field is not at *HINT. */
struct field *idfields_find_slow(const struct record *rec, struct slice name, size_t *hint);

/* record_find that first tries the field at *HINT (records of one input
 * share their field order) and leaves the found field's index there.
 * Inline, as normalise and validate call it eight times a record
 * (callgrind, 100k rows through parse..validate: 776.8M -> 766.5M). */
static inline struct field *idfields_find(const struct record *rec, struct slice name, size_t *hint)
{
	size_t i = *hint;

	if (i < rec->nfields && slice_eq(rec->fields[i].name, name))
		return &rec->fields[i];
	return idfields_find_slow(rec, name, hint);
}

/*
 * What normalise lends the stages after it in the same process as a
 * record note (record.h) with tag idfields_note_tag: the verdicts it
 * reached on the values it left as they were (verdict[k] for kind k, NULL
 * when it rewrote that value or found no field), and JUDGE, whose rules
 * and options they were reached with.  validate takes a verdict instead of
 * calling ident_check again only through idfields_noted_verdict, which
 * proves it is the verdict ident_check would give.  The note lives for
 * the duration of normalise's sink_put call, as every note does.
 */
struct idfields_note {
	const struct idfields *judge;
	const struct ident_verdict *verdict[3];
};

extern const char idfields_note_tag[];

/* idfields_same_judge when JUDGE is not the one F compared last: compares
 * the rules and options, and remembers the answer. */
int idfields_compare_judge(struct idfields *f, const struct idfields *judge);

/* 1 when ident_check gives the same verdict with JUDGE's rules and options
 * as with F's for every value: equal options and equal rule data
 * (ident_rules_equal).  Serial numbers are never reused, so the answer
 * kept for one JUDGE stays right for as long as the process runs. */
static inline int idfields_same_judge(struct idfields *f, const struct idfields *judge)
{
	if (judge->serial == f->peer_serial)
		return f->peer_same;
	return idfields_compare_judge(f, judge);
}

/*
 * The verdict ident_check would give, with F's rules and options, on
 * VALUE of kind K, when the note on REC holds one it can prove is that
 * verdict; NULL when it cannot (no such note, another value, other rules
 * or options).  The proof: ident_check depends only on the rules' data,
 * the options, the kind and the value's bytes, and for a value it left
 * unchanged a verdict holds a copy of those bytes (ident.h), which must
 * equal VALUE's; so a value rewritten after normalise, in place or not,
 * is judged afresh.  The verdict lives as long as the note (the current
 * process() call).  Inline, as validate asks for three values a record.
 */
static inline const struct ident_verdict *
idfields_noted_verdict(struct idfields *f, const struct record *rec, enum ident_kind k,
		       struct slice value)
{
	const struct idfields_note *note = rec->note.data;
	const struct ident_verdict *v;

	if (rec->note.tag != idfields_note_tag || !(v = note->verdict[k]) || v->changed ||
	    v->len != value.len || !slice_eq((struct slice){ v->value, v->len }, value) ||
	    !idfields_same_judge(f, note->judge))
		return NULL;
	return v;
}

/* Adds FINDING as an issue on FIELD, copying its suggestion into the
 * record, unless the record has an issue of that code on that field
 * already.  Returns 0, or -1 when memory runs out. */
int idfields_add_finding(struct record *rec, struct slice field,
			 const struct ident_finding *finding);

/* Adds an issue unless one of that code on that field is there; the
 * slices must live as long as the record.  0, or -1 (no memory). */
int idfields_add_issue(struct record *rec, const struct issue *issue);

#endif
