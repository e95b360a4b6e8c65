#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

#include "crossrec.h"
#include "diag.h"
#include "idfields.h"
#include "stage.h"

/*
 * validate: reports every identifier rule a record breaks.  Each value is
 * judged as normalise would clean it (ident_check on the current value),
 * and every finding is reported, repairs included: without normalise
 * before it, "anumber.padded" says what normalise would do; after
 * normalise the value is canonical and gives no repair finding, while
 * normalise has recorded the repair.  Either way a record ends with the
 * same codes, and an issue already on the record (same field and code) is
 * never added twice.
 *
 * The cross-field checks compare filing_method with the presence of an
 * account number; the cross-record checks keep compact sets of normalised
 * keys (crossrec.h), never records.
 */

extern const struct stage stage_validate;

enum { OPT_METHOD_FIELD = IDOPT_NEXT, OPT_NAME_FIELD };

/* The codes validate reports itself, beyond ident_check's. */
enum xcode { X_DUPLICATE, X_CONFLICTING_NAME, X_SHARED_ACCOUNT, X_CONSULAR, X_ONLINE, X_COUNT };

static const struct {
	const char *code, *message;
} xcodes[X_COUNT] = {
	[X_DUPLICATE] = { "receipt.duplicate", "receipt number seen in an earlier record" },
	[X_CONFLICTING_NAME] = { "anumber.conflicting_name",
				 "same A-Number with a different client name in an earlier record" },
	[X_SHARED_ACCOUNT] = { "oan.shared_account",
			       "same account number on an earlier record of another person" },
	[X_CONSULAR] = { "oan.unexpected_for_consular", "account number on a consular processing record" },
	[X_ONLINE] = { "oan.missing_for_online_filing", "no account number on an online filing" },
};

/* Key bits of packed A-Numbers (10 digits) and account numbers (12). */
enum { ANUMBER_KEY_BITS = 34, OAN_KEY_BITS = 40, ANUMBER_DIGITS = 10, OAN_DIGITS = 12 };

struct validate_state {
	struct idfields id;
	struct slice method_field, name_field;
	size_t method_hint, name_hint;
	int on[X_COUNT];
	enum severity sev[X_COUNT];
	struct idset receipts, anumbers, oans;
	struct locators locs;
};

static const char usage[] =
	"usage: casepipe validate [options]\n"
	"\n"
	"Adds an issue to _issues for every identifier rule a record breaks,\n"
	"judging each value as normalise would clean it, so the verdicts are the\n"
	"same with or without normalise before it.  Also checks filing_method\n"
	"against the account number, and across records: a receipt number seen\n"
	"before, one A-Number with two client names, one account number on two\n"
	"people (`related` names the earlier record).  Issues are data: the exit\n"
	"status is 0 unless something breaks.\n"
	"\n"
	IDFIELDS_USAGE
	"  --method-field F      the filing method's field (default filing_method)\n"
	"  --name-field F        the client name's field (default client_name)\n"
	"  -h, --help            show this help\n";

static int validate_create(int argc, char **argv, void **state)
{
	static const struct option longopts[] = {
		IDFIELDS_LONGOPTS,
		{ "method-field", required_argument, NULL, OPT_METHOD_FIELD },
		{ "name-field", required_argument, NULL, OPT_NAME_FIELD },
		{ NULL, 0, NULL, 0 },
	};
	struct validate_state *s = calloc(1, sizeof(*s));
	int c, st;

	if (!s)
		return diag_nomem("validate");
	*state = s;
	idfields_init(&s->id);
	s->method_field = SLICE_LIT("filing_method");
	s->name_field = SLICE_LIT("client_name");
	idset_init(&s->receipts, 64);
	idset_init(&s->anumbers, ANUMBER_KEY_BITS);
	idset_init(&s->oans, OAN_KEY_BITS);
	locators_init(&s->locs);
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		if (idfields_option(&s->id, c, optarg))
			continue;
		if (c == OPT_METHOD_FIELD)
			s->method_field = slice_of(optarg);
		else if (c == OPT_NAME_FIELD)
			s->name_field = slice_of(optarg);
		else
			return stage_usage_error(&stage_validate);
	}
	if (optind < argc) {
		diag(ST_USAGE, "validate", "unexpected argument '%s' (validate reads records, not files)",
		     argv[optind]);
		return stage_usage_error(&stage_validate);
	}
	st = idfields_load(&s->id, "validate");
	if (st != ST_OK)
		return st == ST_USAGE ? stage_usage_error(&stage_validate) : st;
	for (int x = 0; x < X_COUNT; x++) {
		int r = ident_rules_code(s->id.rules, xcodes[x].code, &s->sev[x]);
		if (r < 0)
			return diag(ST_SYSTEM, "validate", "%s: code unknown to the rules", xcodes[x].code);
		s->on[x] = r;
	}
	return ST_OK;
}

enum method { M_OTHER, M_CONSULAR, M_ONLINE };

/* Whether the N <= 8 bytes at P spell the lower-case letters WORD in any
 * case and no ASCII letter follows among the LEN bytes at P.  OR-ing 0x20
 * maps only a letter's two cases onto its lower case, so one compare of
 * the words does (the missing bytes are 0 on both sides). */
static inline int word_is(const char *p, size_t len, const char *word, size_t n)
{
	const uint64_t lower = UINT64_C(0x2020202020202020);
	uint64_t got = 0, want = 0;

	if (len < n)
		return 0;
	memcpy(&got, p, n);
	memcpy(&want, word, n);
	if ((got | lower) != (want | lower))
		return 0;
	unsigned char next = len > n ? (unsigned char)(p[n] | 0x20) : 0;
	return !(next >= 'a' && next <= 'z');
}

/* The filing method, by the first word of the value in any case:
 * "Consular processing" is consular, "ONLINE" online.  The first byte
 * picks the one word to compare, in place of measuring the word and two
 * strncasecmp calls (callgrind, 100k rows: about 90 -> 16 instructions a
 * record). */
static enum method method_of(struct slice v)
{
	size_t i = 0;

	while (i < v.len && (v.ptr[i] == ' ' || v.ptr[i] == '\t'))
		i++;
	if (i == v.len)
		return M_OTHER;
	switch (v.ptr[i] | 0x20) {
	case 'c':
		return word_is(v.ptr + i, v.len - i, "consular", 8) ? M_CONSULAR : M_OTHER;
	case 'o':
		return word_is(v.ptr + i, v.len - i, "online", 6) ? M_ONLINE : M_OTHER;
	}
	return M_OTHER;
}

/* Adds one of validate's own issues, with the earlier record's locator. */
static int add_x(struct validate_state *s, struct record *rec, struct slice field,
		 enum xcode x, uint32_t related)
{
	struct issue issue = {
		.field = field,
		.code = slice_of(xcodes[x].code),
		.severity = s->sev[x],
		.message = slice_of(xcodes[x].message),
	};
	char buf[PATH_MAX + 32];
	size_t n = locators_format(&s->locs, related, buf, sizeof(buf));

	if (n) {
		issue.related = record_copy(rec, buf, n);
		if (!issue.related.ptr)
			return -1;
	}
	return idfields_add_issue(rec, &issue);
}

/* The packed key of an identifier of kind K (0 when it does not pack). */
static uint64_t pack_key(enum ident_kind k, struct slice value)
{
	switch (k) {
	case IDENT_RECEIPT:
		return pack_receipt(value);
	case IDENT_ANUMBER:
		return pack_digits(value, 'A', ANUMBER_DIGITS);
	case IDENT_OAN:
		return pack_digits(value, 0, OAN_DIGITS);
	}
	return 0;
}

/* The set of kind K's cross-record check, or NULL when it is off. */
static const struct idset *set_of(const struct validate_state *s, enum ident_kind k)
{
	switch (k) {
	case IDENT_RECEIPT:
		return s->on[X_DUPLICATE] ? &s->receipts : NULL;
	case IDENT_ANUMBER:
		return s->on[X_CONFLICTING_NAME] ? &s->anumbers : NULL;
	case IDENT_OAN:
		return s->on[X_SHARED_ACCOUNT] ? &s->oans : NULL;
	}
	return NULL;
}

static uint64_t bytes_hash(struct slice v)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < v.len; i++) {
		h ^= (unsigned char)v.ptr[i];
		h *= 1099511628211ULL;
	}
	return crossrec_mix(h);
}

static int validate_process(void *state, struct record *rec, struct sink *out)
{
	struct validate_state *s = state;
	struct ident_verdict own[3];
	const struct ident_verdict *v[3] = { NULL, NULL, NULL }; /* own[k] or the one normalise lent */
	struct field *fld[3];
	struct slice key[3];
	int valid[3] = { 0, 0, 0 };
	uint64_t packed[3] = { 0, 0, 0 }; /* of the values as they come */

	/* Values usually come canonical (from normalise, or clean at the
	 * source): start the sets' cache misses now, to overlap the checks. */
	for (int k = IDENT_RECEIPT; k <= IDENT_OAN; k++) {
		fld[k] = idfields_find(rec, s->id.field[k], &s->id.hint[k]);
		if (!fld[k])
			continue;
		packed[k] = pack_key((enum ident_kind)k, fld[k]->value);
		const struct idset *set = set_of(s, (enum ident_kind)k);
		if (set)
			idset_prefetch(set, packed[k]);
	}
	/* Unrolled, so that each kind's tests and pack_key fold to its own
	 * case (callgrind, 100k rows through parse..validate: 541.0M -> 538.5M). */
#pragma GCC unroll 3
	for (int k = IDENT_RECEIPT; k <= IDENT_OAN; k++) {
		if (!fld[k])
			continue;
		/* A value normalise judged and left as it was is not judged twice. */
		v[k] = idfields_noted_verdict(&s->id, rec, (enum ident_kind)k, fld[k]->value);
		if (!v[k]) {
			ident_check(s->id.rules, (enum ident_kind)k, fld[k]->value.ptr,
				    fld[k]->value.len, s->id.options, &own[k]);
			v[k] = &own[k];
		}
		for (int i = 0; i < v[k]->nfindings; i++)
			if (idfields_add_finding(rec, fld[k]->name, &v[k]->findings[i]) < 0)
				return diag_nomem("validate");
		/* Keys are values without errors; a repeated-digit A-Number is a
		 * placeholder typed by hand, not a person's number. */
		if (v[k]->nerrors == 0 && !v[k]->empty &&
		    !(k == IDENT_ANUMBER && v[k]->nfindings &&
		      ident_verdict_find(v[k], "anumber.repeated_digit"))) {
			valid[k] = 1;
			key[k] = fld[k]->value;
			if (v[k]->changed) {
				key[k] = (struct slice){ v[k]->value, v[k]->len };
				packed[k] = pack_key((enum ident_kind)k, key[k]);
			}
		}
	}

	/* Cross-field: filing method and account number. */
	if (s->on[X_CONSULAR] || s->on[X_ONLINE]) {
		struct field *m = idfields_find(rec, s->method_field, &s->method_hint);
		enum method how = m ? method_of(m->value) : M_OTHER;
		int has_oan = fld[IDENT_OAN] && !v[IDENT_OAN]->empty;
		struct slice oan_field = s->id.field[IDENT_OAN];

		if ((how == M_CONSULAR && has_oan && s->on[X_CONSULAR] &&
		     add_x(s, rec, oan_field, X_CONSULAR, 0) < 0) ||
		    (how == M_ONLINE && !has_oan && s->on[X_ONLINE] &&
		     add_x(s, rec, oan_field, X_ONLINE, 0) < 0))
			return diag_nomem("validate");
	}

	/* Cross-record: sets of normalised keys. */
	int want_dup = s->on[X_DUPLICATE] && valid[IDENT_RECEIPT];
	int want_name = s->on[X_CONFLICTING_NAME] && valid[IDENT_ANUMBER];
	int want_shared = s->on[X_SHARED_ACCOUNT] && valid[IDENT_OAN];
	if (!want_dup && !want_name && !want_shared)
		return sink_put(out, rec);

	uint32_t loc = locators_add(&s->locs, &rec->source), old_loc, old, mask;
	if (s->locs.nomem)
		return diag_nomem("validate");
	uint64_t name = 0;
	if (want_name || (want_shared && !valid[IDENT_ANUMBER])) {
		struct field *nf = idfields_find(rec, s->name_field, &s->name_hint);
		name = nf ? name_key(nf->value) : 0;
	}
	int r;

	if (want_dup) {
		r = idset_add(&s->receipts, key[IDENT_RECEIPT], packed[IDENT_RECEIPT], 0, loc,
			      &old, &old_loc, &mask);
		if (r < 0 || (r == 0 && add_x(s, rec, fld[IDENT_RECEIPT]->name, X_DUPLICATE, old_loc) < 0))
			return diag_nomem("validate");
	}
	if (want_name && name) {
		uint32_t who = (uint32_t)name;
		r = idset_add(&s->anumbers, key[IDENT_ANUMBER], packed[IDENT_ANUMBER], who, loc,
			      &old, &old_loc, &mask);
		if (r < 0 || (r == 0 && ((old ^ who) & mask) &&
			      add_x(s, rec, fld[IDENT_ANUMBER]->name, X_CONFLICTING_NAME, old_loc) < 0))
			return diag_nomem("validate");
	}
	if (want_shared && (valid[IDENT_ANUMBER] || name)) {
		/* A person is their A-Number, or their name when they have none;
		 * the low bit says which, and only like is compared with like. */
		uint64_t anum = packed[IDENT_ANUMBER];
		uint32_t who;
		if (valid[IDENT_ANUMBER])
			who = (uint32_t)(anum ? crossrec_mix(anum) : bytes_hash(key[IDENT_ANUMBER])) << 1 | 1;
		else
			who = (uint32_t)name << 1;
		r = idset_add(&s->oans, key[IDENT_OAN], packed[IDENT_OAN], who, loc,
			      &old, &old_loc, &mask);
		if (r < 0 || (r == 0 && (old & 1) == (who & 1) && ((old ^ who) & mask) &&
			      add_x(s, rec, fld[IDENT_OAN]->name, X_SHARED_ACCOUNT, old_loc) < 0))
			return diag_nomem("validate");
	}
	return sink_put(out, rec);
}

static void validate_destroy(void *state)
{
	struct validate_state *s = state;

	if (!s)
		return;
	if (getenv("CASEPIPE_VALIDATE_STATS"))
		fprintf(stderr, "casepipe: validate: cross-record sets: receipts %zu keys %zu bytes, "
			"a-numbers %zu keys %zu bytes, accounts %zu keys %zu bytes, locators %zu bytes\n",
			s->receipts.fast.count + s->receipts.slow.count, idset_bytes(&s->receipts),
			s->anumbers.fast.count + s->anumbers.slow.count, idset_bytes(&s->anumbers),
			s->oans.fast.count + s->oans.slow.count, idset_bytes(&s->oans),
			locators_bytes(&s->locs));
	idfields_release(&s->id);
	idset_release(&s->receipts);
	idset_release(&s->anumbers);
	idset_release(&s->oans);
	locators_release(&s->locs);
	free(s);
}

const struct stage stage_validate = {
	.name = "validate",
	.summary = "report broken identifier rules, cross-field and cross-record checks",
	.usage = usage,
	.create = validate_create,
	.process = validate_process,
	.destroy = validate_destroy,
};
