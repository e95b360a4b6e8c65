/*
 * Property checks over generated values (fixed seed, so failures repeat):
 * normalising is idempotent; a value without errors is canonical after
 * normalising; formatting noise never changes the error codes (nor the
 * normalised value); look-alike suggestions are themselves valid.
 */

#include "test_ident_util.h"

#define NVALUES 100000

static uint64_t rng_state;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static unsigned pick(unsigned n)
{
	return (unsigned)(rng() % n);
}

static const char *const prefixes[] = {
	"EAC", "WAC", "LIN", "SRC", "NBC", "MSC", "IOE", "YSC", "VSC", "ZNY",
	"XYZ", "EAX", "QQQ",
};
static const char *const words[] = { "NA", "NONE", "TBD", "?", "PENDING" };

static void put_digits(char *s, size_t *n, unsigned count)
{
	int zeros = pick(20) == 0, same = pick(20) == 0;
	char d = (char)('0' + pick(10));

	for (unsigned i = 0; i < count; i++)
		s[(*n)++] = zeros ? '0' : same ? d : (char)('0' + pick(10));
}

/* Replaces a few characters with look-alikes or near-misses. */
static void corrupt(char *s, size_t n)
{
	static const char swaps[] = "OIL01X";

	if (n == 0 || pick(4) != 0)
		return;
	for (unsigned k = 1 + pick(2); k > 0; k--)
		s[pick((unsigned)n)] = swaps[pick(sizeof swaps - 1)];
}

/* A base value: upper case, no separators, shaped like one of the kinds
 * or near one.  'E' appears only in prefixes, so a base is never read as
 * scientific notation (noise would legitimately change that verdict). */
static size_t generate(char *s)
{
	size_t n = 0;

	switch (pick(8)) {
	case 0: case 1:
		memcpy(s, prefixes[pick(13)], 3);
		n = 3;
		put_digits(s, &n, pick(6) ? 10 : 8 + pick(5));
		break;
	case 2: case 3:
		if (pick(3))
			s[n++] = 'A';
		put_digits(s, &n, pick(4) ? 7 + pick(3) : 4 + pick(9));
		break;
	case 4: case 5:
		put_digits(s, &n, pick(3) ? 12 : 9 + pick(6));
		break;
	case 6:
		n = strlen(strcpy(s, words[pick(5)]));
		break;
	default:
		for (unsigned k = pick(15); k > 0; k--)
			s[n++] = "0123456789AOILCWXZ*"[pick(19)];
	}
	s[n] = '\0';
	corrupt(s, n);
	if (n == 13 && pick(10) == 0)
		s[pick(14)] = '*';
	return strlen(s);
}

static int all_digits_test(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return n > 0;
}

static const char *const spaces[] = {
	" ", "\xC2\xA0", "\xE2\x80\x87", "\xE2\x80\xAF", "\t", "\xE3\x80\x80",
};
static const char *const inner[] = {
	" ", "-", "\xE2\x80\x93", "\xE2\x80\x94", "\xC2\xA0", "/", "\xE2\x88\x92",
};

static void add(char *out, size_t *n, const char *text)
{
	size_t k = strlen(text);

	memcpy(out + *n, text, k);
	*n += k;
}

/* Adds formatting noise: case, separators inside, spaces around, a
 * trailing .0 on all-digit values, and Excel wrappers. */
static size_t add_noise(const char *s, size_t len, char *out)
{
	size_t n = 0;
	int digits = all_digits_test(s, len), float_tail = digits && pick(3) == 0;
	int wrap = pick(4) == 0, apostrophe = pick(6) == 0;

	if (pick(2))
		add(out, &n, spaces[pick(6)]);
	if (wrap)
		add(out, &n, "=\"");
	if (apostrophe)
		add(out, &n, pick(2) ? "'" : "\xE2\x80\x99");
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c >= 'A' && c <= 'Z' && pick(2))
			c = (char)(c - 'A' + 'a');
		out[n++] = c;
		if (!float_tail && i + 1 < len && pick(4) == 0)
			add(out, &n, inner[pick(7)]);
	}
	if (float_tail)
		add(out, &n, pick(2) ? ".0" : ".00");
	if (wrap)
		add(out, &n, "\"");
	if (pick(2))
		add(out, &n, spaces[pick(6)]);
	out[n] = '\0';
	return n;
}

/* Canonical forms, written independently of the library. */
static int is_canonical(enum ident_kind kind, const char *s, size_t n)
{
	char core[64];
	size_t m = 0;

	switch (kind) {
	case IDENT_RECEIPT:
		for (size_t i = 0; i < n && m < sizeof core; i++)
			if (s[i] != '*')
				core[m++] = s[i];
		return m == 13 && core[0] >= 'A' && core[0] <= 'Z' &&
		       core[1] >= 'A' && core[1] <= 'Z' && core[2] >= 'A' &&
		       core[2] <= 'Z' && all_digits_test(core + 3, 10);
	case IDENT_ANUMBER:
		return n == 10 && s[0] == 'A' && all_digits_test(s + 1, 9);
	case IDENT_OAN:
		return n == 12 && all_digits_test(s, 12);
	}
	return 0;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The verdict's error codes, sorted and joined. */
static void error_codes(const struct ident_verdict *v, char *out, size_t outsize)
{
	const char *codes[IDENT_MAX_FINDINGS];
	int n = 0;

	for (int i = 0; i < v->nfindings; i++)
		if (v->findings[i].severity == SEV_ERROR)
			codes[n++] = v->findings[i].code;
	qsort(codes, (size_t)n, sizeof codes[0], compare_strings);
	out[0] = '\0';
	for (int i = 0; i < n; i++) {
		strncat(out, codes[i], outsize - strlen(out) - 1);
		strncat(out, " ", outsize - strlen(out) - 1);
	}
}

struct stats {
	long values, accepted, rejected, empty, suggestions, noisy;
};

static void check_idempotent(const struct ident_rules *rules, enum ident_kind kind,
			     const char *s, size_t n, const struct ident_verdict *v1)
{
	struct ident_verdict v2;
	const char *y, *z;
	size_t ny, nz;
	char e1[256], e2[256];

	normalised(s, n, v1, &y, &ny);
	ident_check(rules, kind, y, ny, 0, &v2);
	normalised(y, ny, &v2, &z, &nz);
	if (nz != ny || memcmp(y, z, ny) != 0)
		fail_msg("%s \"%s\": normalised \"%.*s\" again gives \"%.*s\"",
			 ident_kind_name(kind), s, (int)ny, y, (int)nz, z);
	for (int i = 0; i < v2.nfindings; i++)
		if (v2.findings[i].severity == SEV_INFO)
			fail_msg("%s \"%.*s\": repair %s on a normalised value",
				 ident_kind_name(kind), (int)ny, y, v2.findings[i].code);
	error_codes(v1, e1, sizeof e1);
	error_codes(&v2, e2, sizeof e2);
	assert_string_equal(e1, e2);
}

static void check_suggestions(const struct ident_rules *rules, enum ident_kind kind,
			      const char *s, size_t n, const struct ident_verdict *v,
			      struct stats *st)
{
	for (int i = 0; i < v->nfindings; i++) {
		const char *sugg = v->findings[i].suggestion;
		struct ident_verdict w;

		if (*sugg == '\0')
			continue;
		st->suggestions++;
		if (ident_check(rules, kind, sugg, strlen(sugg), 0, &w) != 0 || w.changed)
			fail_msg("%s \"%s\": suggestion %s is not valid and canonical",
				 ident_kind_name(kind), s, sugg);
		ident_check(rules, kind, s, n, IDENT_FIX_LOOKALIKES, &w);
		if (w.nerrors != 0 || !w.changed || strcmp(w.value, sugg) != 0)
			fail_msg("%s \"%s\": opting in does not give %s",
				 ident_kind_name(kind), s, sugg);
	}
}

static void check_noise(const struct ident_rules *rules, enum ident_kind kind,
			const char *s, size_t n, const struct ident_verdict *v,
			struct stats *st)
{
	char noisy[256], e1[256], e2[256];
	size_t nn = add_noise(s, n, noisy);
	struct ident_verdict w;
	const char *a, *b;
	size_t na, nb;

	st->noisy++;
	ident_check(rules, kind, noisy, nn, 0, &w);
	error_codes(v, e1, sizeof e1);
	error_codes(&w, e2, sizeof e2);
	if (strcmp(e1, e2) != 0)
		fail_msg("%s \"%s\" gives {%s} but with noise \"%s\" {%s}",
			 ident_kind_name(kind), s, e1, noisy, e2);
	if (v->nerrors > 0)
		return;
	normalised(s, n, v, &a, &na);
	normalised(noisy, nn, &w, &b, &nb);
	if (na != nb || memcmp(a, b, na) != 0)
		fail_msg("%s \"%s\" and \"%s\" normalise differently",
			 ident_kind_name(kind), s, noisy);
}

static void check_one(const struct ident_rules *rules, enum ident_kind kind,
		      const char *s, size_t n, struct stats *st)
{
	struct ident_verdict v;
	const char *y;
	size_t ny;

	st->values++;
	ident_check(rules, kind, s, n, 0, &v);
	normalised(s, n, &v, &y, &ny);
	if (v.nerrors == 0 && v.empty) {
		st->empty++;
		assert_int_equal(ny, 0);
	} else if (v.nerrors == 0) {
		st->accepted++;
		if (!is_canonical(kind, y, ny))
			fail_msg("%s \"%s\" accepted as non-canonical \"%.*s\"",
				 ident_kind_name(kind), s, (int)ny, y);
	} else {
		st->rejected++;
	}
	check_idempotent(rules, kind, s, n, &v);
	check_suggestions(rules, kind, s, n, &v, st);
	check_noise(rules, kind, s, n, &v, st);
	check_noise(rules, kind, s, n, &v, st);
}

static void test_properties(void **state)
{
	struct stats st = { 0 };
	char s[64];

	rng_state = 0x9E3779B97F4A7C15u;
	for (int i = 0; i < NVALUES; i++) {
		size_t n = generate(s);

		check_one(*state, IDENT_RECEIPT, s, n, &st);
		check_one(*state, IDENT_ANUMBER, s, n, &st);
		check_one(*state, IDENT_OAN, s, n, &st);
	}
	print_message("%ld checks: %ld accepted, %ld rejected, %ld empty, "
		      "%ld suggestions, %ld noisy variants\n", st.values,
		      st.accepted, st.rejected, st.empty, st.suggestions, st.noisy);
	/* The generator must reach every path, or the properties prove little. */
	assert_true(st.accepted > st.values / 10);
	assert_true(st.rejected > st.values / 10);
	assert_true(st.empty > 1000);
	assert_true(st.suggestions > 1000);
}

/* Noise on known-good written forms, one kind each. */
static void test_noise_on_written_forms(void **state)
{
	static const struct { enum ident_kind kind; const char *value; } forms[] = {
		{ IDENT_RECEIPT, "EAC2190012345" }, { IDENT_RECEIPT, "VSC2190012345" },
		{ IDENT_ANUMBER, "A12345678" }, { IDENT_ANUMBER, "012345678" },
		{ IDENT_OAN, "123456789012" }, { IDENT_OAN, "12345678901" },
	};
	struct stats st = { 0 };

	rng_state = 42;
	for (int round = 0; round < 2000; round++)
		for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
			check_one(*state, forms[i].kind, forms[i].value,
				  strlen(forms[i].value), &st);
	assert_int_equal(st.noisy, 2 * st.values);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_properties),
		cmocka_unit_test(test_noise_on_written_forms),
	};

	return cmocka_run_group_tests(tests, rules_setup, rules_teardown);
}
