/* The verdicts normalise lends validate (idfields_note): taken only when
 * they are provably ident_check's, and validate's issues are the same
 * with the note as without it. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "idfields.h"
#include "stage.h"

extern const struct stage stage_normalise, stage_validate;

static char tmpdir[] = "/tmp/test_idfields_note.XXXXXX";
static char rules_path[300];

/* Creates STAGE with the options in the NULL-terminated list. */
static void *create(const struct stage *stage, const char *const *opts)
{
	char *argv[8] = { "casepipe: test" };
	int argc = 1;
	void *state = NULL;

	for (; *opts; opts++)
		argv[argc++] = (char *)*opts;
	argv[argc] = NULL;
	optind = 0;
	assert_int_equal(stage->create(argc, argv, &state), ST_OK);
	return state;
}

/* How the record is changed between normalise and validate. */
enum rewrite { KEEP, IN_PLACE, SAME_BYTES_ELSEWHERE };

/* The sink between normalise and validate: it may rewrite the receipt
 * number, asks the test's own idfields what the note lends, and runs
 * validate with the note or with it hidden. */
struct middle {
	struct sink sink;
	enum rewrite rewrite;
	int hide_note;
	struct idfields *probe; /* NULL: do not ask */
	int lent[3];            /* whether probe got a verdict, by kind */
	void *validate;
	struct sink *capture;
	char receipt[32];       /* bytes of a receipt number rewritten in place */
};

/* The issues validate left, one "field code severity" line each. */
struct capture {
	struct sink sink;
	char text[2048];
};

static int capture_put(struct sink *self, struct record *rec)
{
	struct capture *c = (struct capture *)self;
	size_t n = 0;

	c->text[0] = '\0';
	for (size_t i = 0; i < rec->nissues; i++) {
		const struct issue *is = &rec->issues[i];
		n += (size_t)snprintf(c->text + n, sizeof c->text - n, "%.*s %.*s %d\n",
				      (int)is->field.len, is->field.ptr, (int)is->code.len,
				      is->code.ptr, (int)is->severity);
		assert_true(n < sizeof c->text);
	}
	return ST_OK;
}

static int middle_put(struct sink *self, struct record *rec)
{
	struct middle *m = (struct middle *)self;
	struct field *f = record_find(rec, SLICE_LIT("receipt_number"));

	assert_non_null(f);
	if (m->rewrite == IN_PLACE) {
		/* The same pointer and length, other bytes: an unknown prefix. */
		assert_true(f->value.ptr == m->receipt);
		memcpy(m->receipt, "XYZ", 3);
	} else if (m->rewrite == SAME_BYTES_ELSEWHERE) {
		f->value = record_copy(rec, f->value.ptr, f->value.len);
	}
	if (m->probe) {
		static const char *const names[] = { "receipt_number", "a_number",
						     "uscis_online_account_number" };
		for (int k = IDENT_RECEIPT; k <= IDENT_OAN; k++) {
			struct field *fk = record_find(rec, slice_of(names[k]));
			m->lent[k] = idfields_noted_verdict(m->probe, rec, (enum ident_kind)k,
							    fk->value) != NULL;
		}
	}
	struct record_note given = rec->note;
	if (m->hide_note)
		rec->note = (struct record_note){ NULL, NULL };
	int st = stage_validate.process(m->validate, rec, m->capture);
	rec->note = given;
	return st;
}

/*
 * Runs one record through normalise NOPTS, the middle sink and validate
 * VOPTS, with the note (into WITH) and with it hidden (into WITHOUT).
 * The receipt number lives in a buffer the middle sink may rewrite.
 */
static void run(const char *const *nopts, const char *const *vopts, enum rewrite rewrite,
		struct idfields *probe, const char *receipt, const char *anumber,
		const char *oan, struct middle *m, char *with, char *without)
{
	for (int hide = 1; hide >= 0; hide--) { /* m->lent is from the run with the note */
		void *n = create(&stage_normalise, nopts);
		struct capture c = { .sink = { capture_put } };
		struct record rec;

		*m = (struct middle){ .sink = { middle_put }, .rewrite = rewrite, .hide_note = hide,
				      .probe = hide ? NULL : probe,
				      .validate = create(&stage_validate, vopts), .capture = &c.sink };
		snprintf(m->receipt, sizeof m->receipt, "%s", receipt);
		record_init(&rec);
		assert_int_equal(record_append(&rec, SLICE_LIT("receipt_number"), slice_of(m->receipt)), 0);
		assert_int_equal(record_append(&rec, SLICE_LIT("a_number"), slice_of(anumber)), 0);
		assert_int_equal(record_append(&rec, SLICE_LIT("uscis_online_account_number"),
					       slice_of(oan)), 0);
		assert_int_equal(stage_normalise.process(n, &rec, &m->sink), ST_OK);
		assert_null(rec.note.tag); /* normalise took its note back */
		strcpy(hide ? without : with, c.text);
		record_release(&rec);
		stage_normalise.destroy(n);
		stage_validate.destroy(m->validate);
	}
}

static struct idfields *load_probe(const char *const *opts)
{
	struct idfields *f = calloc(1, sizeof *f);
	int c;

	assert_non_null(f);
	idfields_init(f);
	/* The options the tests use: --today D, --rules F, --fix-lookalikes. */
	while (*opts) {
		const char *arg = opts[1];
		if (strcmp(*opts, "--today") == 0)
			c = IDOPT_TODAY;
		else if (strcmp(*opts, "--rules") == 0)
			c = IDOPT_RULES;
		else
			c = IDOPT_FIX_LOOKALIKES, arg = NULL;
		assert_int_equal(idfields_option(f, c, arg), 1);
		opts += arg ? 2 : 1;
	}
	assert_int_equal(idfields_load(f, "test"), ST_OK);
	return f;
}

static void free_probe(struct idfields *f)
{
	idfields_release(f);
	free(f);
}

static const char *const today[] = { "--today", "2024-01-01", NULL };

/* Same rules and options: every value normalise left alone is lent, and
 * the issues are those validate finds alone (an error and a warning kept). */
static void test_same_judge_lends(void **state)
{
	struct idfields *probe = load_probe(today);
	struct middle m;
	char with[2048], without[2048];

	(void)state;
	run(today, today, KEEP, probe, "EAC2190012345", "A12345678X", "", &m, with, without);
	assert_int_equal(m.lent[IDENT_RECEIPT], 1);
	assert_int_equal(m.lent[IDENT_ANUMBER], 1);
	assert_int_equal(m.lent[IDENT_OAN], 1);
	assert_string_equal(with, without);
	assert_non_null(strstr(with, "a_number anumber."));

	/* A value normalise rewrote is not lent: validate judges the new one. */
	run(today, today, KEEP, probe, "eac-219-001-2345", "A012345678", "", &m, with, without);
	assert_int_equal(m.lent[IDENT_RECEIPT], 0);
	assert_int_equal(m.lent[IDENT_ANUMBER], 1);
	assert_string_equal(with, without);
	free_probe(probe);
}

/* Bytes rewritten in place behind normalise (same pointer and length) are
 * judged afresh; the same bytes at another address may use the verdict. */
static void test_rewritten_values(void **state)
{
	struct idfields *probe = load_probe(today);
	struct middle m;
	char with[2048], without[2048];

	(void)state;
	run(today, today, IN_PLACE, probe, "EAC2190012345", "A012345678", "", &m, with, without);
	assert_string_equal(with, without);
	assert_non_null(strstr(with, "receipt_number receipt.unknown_prefix"));
	assert_int_equal(m.lent[IDENT_RECEIPT], 0);

	run(today, today, SAME_BYTES_ELSEWHERE, probe, "EAC2190012345", "A012345678", "", &m,
	    with, without);
	assert_int_equal(m.lent[IDENT_RECEIPT], 1);
	assert_string_equal(with, without);
	free_probe(probe);
}

/* Other options or rules on validate's side: nothing is lent, and the
 * issues are validate's own, which differ from what normalise's rules
 * would say. */
static void test_other_judge_lends_nothing(void **state)
{
	const char *const fix[] = { "--today", "2024-01-01", "--fix-lookalikes", NULL };
	const char *const rules[] = { "--today", "2024-01-01", "--rules", rules_path, NULL };
	const char *const later[] = { "--today", "2030-01-01", NULL };
	const char *const *sides[][2] = { { today, fix }, { fix, today }, { today, rules },
					  { rules, today }, { today, later } };
	/* A look-alike, a rare prefix and a receipt from fiscal 2029. */
	const char *receipts[] = { "EAC21900I2345", "VSC2190012345", "EAC2915012345" };

	(void)state;
	for (size_t i = 0; i < sizeof sides / sizeof sides[0]; i++) {
		struct idfields *probe = load_probe(sides[i][1]);
		for (size_t r = 0; r < sizeof receipts / sizeof receipts[0]; r++) {
			struct middle m;
			char with[2048], without[2048];

			run(sides[i][0], sides[i][1], KEEP, probe, receipts[r], "A012345678", "",
			    &m, with, without);
			assert_string_equal(with, without);
			assert_int_equal(m.lent[IDENT_RECEIPT], 0);
			assert_int_equal(m.lent[IDENT_ANUMBER], 0);
		}
		free_probe(probe);
	}
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(rules_path, sizeof rules_path, "%s/rules.json", tmpdir);
	FILE *f = fopen(rules_path, "w");
	if (!f)
		return -1;
	fputs("{\"codes\": {\"receipt.rare_prefix\": \"error\", \"receipt.implausible_date\": \"off\", "
	      "\"receipt.bad_character\": \"warning\"}}", f);
	return fclose(f) == 0 && setenv("CASEPIPE_SCHEMAS", "schemas", 1) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	remove(rules_path);
	return rmdir(tmpdir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_judge_lends),
		cmocka_unit_test(test_rewritten_values),
		cmocka_unit_test(test_other_judge_lends_nothing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
