/*
 * libFuzzer target for ident_check() over all three kinds.  The first byte
 * chooses the kind (low 2 bits, modulo 3) and the options (bits 2 and 3:
 * IDENT_FIX_LOOKALIKES, IDENT_REQUIRED); the rest is the value, which is
 * handed over in a buffer of exactly its size so that ASan catches any read
 * past its length.  Checked beyond "no crash": the verdict is well formed;
 * a changed value is canonical, i.e. checking it again changes nothing and
 * finds no error; and ident_mask never writes past its buffer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ident.h"

static struct ident_rules *rules;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[512];
	(void)argc;
	(void)argv;
	rules = ident_rules_load(FUZZ_SCHEMAS "/receipt-prefixes.json",
				 FUZZ_SCHEMAS "/identifiers.json", err, sizeof(err));
	if (!rules || ident_rules_set_today(rules, "2025-01-15") != 0) {
		fprintf(stderr, "fuzz: %s\n", err);
		abort();
	}
	return 0;
}

#define CHECK(cond)                                                              \
	do {                                                                     \
		if (!(cond)) {                                                   \
			fprintf(stderr, "fuzz: %s:%d: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                 \
		}                                                                \
	} while (0)

static void check_verdict(const struct ident_verdict *v)
{
	CHECK(v->len < IDENT_VALUE_MAX);
	CHECK(v->nfindings >= 0 && v->nfindings <= IDENT_MAX_FINDINGS);
	CHECK(v->nerrors >= 0 && v->nerrors <= v->nfindings);
	int errors = 0;
	for (int i = 0; i < v->nfindings; i++) {
		const struct ident_finding *f = &v->findings[i];
		CHECK(f->code && f->message);
		CHECK(memchr(f->suggestion, '\0', sizeof(f->suggestion)));
		errors += f->severity == SEV_ERROR;
	}
	CHECK(errors == v->nerrors);
	CHECK(!(v->changed && v->nerrors));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	enum ident_kind kind = (enum ident_kind)((data[0] & 3) % 3);
	unsigned options = 0;
	if (data[0] & 4)
		options |= IDENT_FIX_LOOKALIKES;
	if (data[0] & 8)
		options |= IDENT_REQUIRED;
	size--;
	char *value = malloc(size ? size : 1);
	CHECK(value);
	memcpy(value, data + 1, size);

	struct ident_verdict v, again;
	int n = ident_check(rules, kind, value, size, options, &v);
	CHECK(n == v.nerrors);
	check_verdict(&v);
	if (v.changed && !v.empty) {
		/* A canonical value stays as it is. */
		char canon[IDENT_VALUE_MAX];
		memcpy(canon, v.value, v.len);
		CHECK(ident_check(rules, kind, canon, v.len, options, &again) == 0);
		check_verdict(&again);
		CHECK(!again.changed || (again.len == v.len && memcmp(again.value, canon, v.len) == 0));
	}

	char mask[32];
	size_t need = ident_mask(value, size, mask, sizeof(mask));
	CHECK(memchr(mask, '\0', sizeof(mask)));
	CHECK(need >= size || need >= 1 || size == 0);
	free(value);
	return 0;
}
