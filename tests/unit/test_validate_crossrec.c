/* The cross-record state of validate: key sets, locators, name keys. */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "crossrec.h"

static struct slice S(const char *s)
{
	return slice_of(s);
}

/* Many keys through several growths: each is found once, with its value,
 * and payload bits do not take part in matching. */
static void test_keyset_many(void **state)
{
	struct keyset s;
	uint64_t ok;
	uint32_t ov;
	(void)state;

	keyset_init(&s, (1ULL << 40) - 1);
	for (uint32_t i = 1; i <= 200000; i++)
		assert_int_equal(keyset_add(&s, (uint64_t)i * 7919 | (uint64_t)(i & 0xff) << 40, i, &ok, &ov), 1);
	assert_int_equal(s.count, 200000);
	assert_true(s.count * 5 <= s.nbuckets * KEYSET_BUCKET_SLOTS * 4);
	for (uint32_t i = 1; i <= 200000; i += 997) {
		assert_int_equal(keyset_add(&s, (uint64_t)i * 7919 | 0xABULL << 40, 0, &ok, &ov), 0);
		assert_int_equal(ov, i);
		assert_int_equal(ok >> 40, i & 0xff);
	}
	keyset_release(&s);
}

/* Tables of tens of MB, whose growth moves the old table's pages into the
 * new one (keyset_grow): every key is still found with its value after
 * the last growth, and none that was not added is. */
static void test_keyset_large_growths(void **state)
{
	struct keyset s;
	uint64_t ok;
	uint32_t ov;
	enum { N = 1500000 };
	(void)state;

	keyset_init(&s, ~0ULL);
	for (uint32_t i = 1; i <= N; i++)
		assert_int_equal(keyset_add(&s, crossrec_mix(i), i, &ok, &ov), 1);
	assert_true(s.nbuckets * sizeof(struct keybucket) > 16 << 20);
	for (uint32_t i = 1; i <= N; i++) {
		assert_int_equal(keyset_add(&s, crossrec_mix(i), 0, &ok, &ov), 0);
		assert_int_equal(ov, i);
	}
	assert_int_equal(keyset_add(&s, crossrec_mix(N + 1), 0, &ok, &ov), 1);
	assert_int_equal(s.count, N + 1);
	keyset_release(&s);
}

/* The inverse of crossrec_mix: the key whose hash is H. */
static uint64_t unmix(uint64_t h)
{
	uint64_t c1 = 0xbf58476d1ce4e5b9ULL, c2 = 0x94d049bb133111ebULL, i1 = c1, i2 = c2;

	for (int k = 0; k < 6; k++) { /* Newton's iteration for the inverses mod 2^64 */
		i1 *= 2 - c1 * i1;
		i2 *= 2 - c2 * i2;
	}
	h ^= h >> 31 ^ h >> 62;
	h *= i2;
	h ^= h >> 27 ^ h >> 54;
	h *= i1;
	h ^= h >> 30 ^ h >> 60;
	return h;
}

/* Growth in place with keys crowded at both ends of the hash range: runs
 * of full buckets from home 0, and runs from the last home that wrap to
 * bucket 0, so that rehashing must put keys aside (spilled) and place
 * them last.  Every key is still found with its value. */
static void test_keyset_growth_spills(void **state)
{
	struct keyset s;
	uint64_t ok;
	uint32_t ov;
	enum { N = 600000 };
	(void)state;

	assert_int_equal(crossrec_mix(unmix(0x123456789abcdefULL)), 0x123456789abcdefULL);
	keyset_init(&s, ~0ULL);
	for (uint32_t i = 1; i <= N; i++) {
		uint64_t key = crossrec_mix(i);
		if (i % 150 == 0) /* a crowd at each end of the hash range */
			key = unmix(i % 300 ? (uint64_t)i << 8 : ~((uint64_t)i << 8));
		assert_int_equal(keyset_add(&s, key, i, &ok, &ov), 1);
	}
	assert_true(s.nbuckets * sizeof(struct keybucket) > 4 << 20);
	assert_true(s.spilled > 0);
	for (uint32_t i = 1; i <= N; i++) {
		uint64_t key = crossrec_mix(i);
		if (i % 150 == 0)
			key = unmix(i % 300 ? (uint64_t)i << 8 : ~((uint64_t)i << 8));
		assert_int_equal(keyset_add(&s, key, 0, &ok, &ov), 0);
		assert_int_equal(ok, key);
		assert_int_equal(ov, i);
	}
	assert_int_equal(keyset_add(&s, unmix(1), 0, &ok, &ov), 1);
	assert_int_equal(keyset_add(&s, unmix(~0ULL), 0, &ok, &ov), 1);
	assert_int_equal(s.count, N + 2);
	keyset_release(&s);
}

/* Packed and unpacked keys both work; the payload comes back masked. */
static void test_idset(void **state)
{
	struct idset s;
	uint32_t op, ol, mask;
	(void)state;

	idset_init(&s, 34);
	assert_int_equal(idset_add(&s, S("A012345678"), pack_digits(S("A012345678"), 'A', 10),
				   0xFFFFFFFF, 7, &op, &ol, &mask), 1);
	assert_int_equal(idset_add(&s, S("A012345678"), pack_digits(S("A012345678"), 'A', 10),
				   1, 9, &op, &ol, &mask), 0);
	assert_int_equal(ol, 7);
	assert_int_equal(mask, 0x3FFFFFFF);
	assert_int_equal(op, 0x3FFFFFFF);
	/* Too long to pack: the exact map. */
	assert_int_equal(pack_digits(S("A12345678901"), 'A', 10), 0);
	assert_int_equal(idset_add(&s, S("A12345678901"), 0, 5, 3, &op, &ol, &mask), 1);
	assert_int_equal(idset_add(&s, S("A12345678901"), 0, 6, 4, &op, &ol, &mask), 0);
	assert_int_equal(op, 5);
	assert_int_equal(ol, 3);
	assert_int_equal(mask, 0xFFFFFFFF);
	idset_release(&s);
}

static void test_pack(void **state)
{
	(void)state;
	assert_int_equal(pack_receipt(S("AAA0000000000")), 1);
	assert_true(pack_receipt(S("ZZZ9999999999")) < (1ULL << 48));
	assert_int_not_equal(pack_receipt(S("EAC2190012345")), pack_receipt(S("EAD2190012345")));
	assert_int_equal(pack_receipt(S("EAC219001234")), 0);
	assert_int_equal(pack_receipt(S("EAC*190012345")), 0);
	assert_int_equal(pack_receipt(S("eac2190012345")), 0);
	assert_int_equal(pack_digits(S("123456789012"), 0, 12), 123456789013ULL);
	assert_int_equal(pack_digits(S("1234567890123"), 0, 12), 0);
	assert_int_equal(pack_digits(S(""), 0, 12), 0);
	assert_int_equal(pack_digits(S("A"), 'A', 10), 0);
	assert_int_equal(pack_digits(S("B012345678"), 'A', 10), 0);
}

/* pack_receipt's value: the letters base 26, then the ten digits. */
static uint64_t receipt_value(const char *s)
{
	uint64_t v = 0;
	for (int i = 0; i < 3; i++)
		v = v * 26 + (uint64_t)(s[i] - 'A');
	for (int i = 3; i < 13; i++)
		v = v * 10 + (uint64_t)(s[i] - '0');
	return v + 1;
}

/* The digits are read eight at a time: every value, and a bad byte in each
 * place of the word and of the tail (bytes next to '0' and '9', and high
 * bytes, which could carry into a neighbour), must give what a digit at a
 * time gives. */
static void test_pack_words(void **state)
{
	static const char bad[] = { '/', ':', ' ', 'O', '\0', (char)0x80, (char)0xB0, (char)0xFF };
	char buf[20];
	(void)state;

	assert_int_equal(pack_digits(S("999999999999999999"), 0, 18), 999999999999999999ULL + 1);
	assert_int_equal(pack_digits(S("000000000000000001"), 0, 18), 2);
	assert_int_equal(pack_digits(S("A987654321"), 'A', 10), 987654321ULL + 1);
	assert_int_equal(pack_digits(S("12345678"), 0, 12), 12345678ULL + 1);
	assert_int_equal(pack_digits(S("1234567"), 0, 12), 1234567ULL + 1);
	assert_int_equal(pack_receipt(S("EAC2190012345")), receipt_value("EAC2190012345"));
	assert_int_equal(pack_receipt(S("ZZZ9999999999")), receipt_value("ZZZ9999999999"));
	assert_int_equal(pack_receipt(S("IOE0908070605")), receipt_value("IOE0908070605"));
	for (size_t at = 0; at < 12; at++) {
		for (size_t b = 0; b < sizeof(bad); b++) {
			memcpy(buf, "123456789012", 13);
			buf[at] = bad[b];
			assert_int_equal(pack_digits((struct slice){ buf, 12 }, 0, 12), 0);
			memcpy(buf, "EAC2190012345", 14);
			if (at + 3 < 13) {
				buf[at + 3] = bad[b];
				assert_int_equal(pack_receipt((struct slice){ buf, 13 }), 0);
			}
		}
	}
}

static struct record_source src(const char *file, unsigned long line, unsigned long record)
{
	return (struct record_source){ .file = S(file), .line = line, .record = record };
}

static void assert_loc(const struct locators *l, uint32_t pos, const char *want)
{
	char buf[64];
	size_t n = locators_format(l, pos, buf, sizeof(buf));
	assert_int_equal(n, strlen(want));
	assert_string_equal(buf, want);
}

/* Runs of rising lines share a segment; a new file or a line going back
 * starts another; positions decode to the right file:line. */
static void test_locators(void **state)
{
	struct locators l;
	struct record_source s;
	(void)state;

	locators_init(&l);
	s = src("a.csv", 2, 1);
	uint32_t a2 = locators_add(&l, &s);
	s = src("a.csv", 5, 2);
	uint32_t a5 = locators_add(&l, &s);
	s = src("b.csv", 2, 1);
	uint32_t b2 = locators_add(&l, &s);
	s = src("b.csv", 1000000, 2);
	uint32_t b1m = locators_add(&l, &s);
	s = src("a.csv", 3, 1); /* a.csv again, read a second time */
	uint32_t a3 = locators_add(&l, &s);
	s = src("", 0, 0);
	assert_int_equal(locators_add(&l, &s), 0);
	s = src("x.ndjson", 0, 9); /* no line: the record number */
	uint32_t x9 = locators_add(&l, &s);
	assert_int_equal(l.nsegs, 4);
	assert_int_equal(l.nfiles, 3);
	assert_loc(&l, a2, "a.csv:2");
	assert_loc(&l, a5, "a.csv:5");
	assert_loc(&l, b2, "b.csv:2");
	assert_loc(&l, b1m, "b.csv:1000000");
	assert_loc(&l, a3, "a.csv:3");
	assert_loc(&l, x9, "x.ndjson:9");
	assert_loc(&l, 0, "");
	locators_release(&l);
}

static void test_name_key(void **state)
{
	(void)state;
	uint64_t maria = name_key(S("Maria Garcia"));

	assert_int_not_equal(maria, 0);
	assert_int_equal(name_key(S("GARCÍA, María")), maria);
	assert_int_equal(name_key(S("  maria   garcia\xc2\xa0")), maria);
	assert_int_equal(name_key(S("Maria J. Garcia")), maria);
	assert_int_equal(name_key(S("Mari\xcc\x81" "a Garci\xcc\x81" "a")), maria); /* NFD */
	assert_int_not_equal(name_key(S("Maria Garcia Lopez")), maria);
	assert_int_not_equal(name_key(S("Maria Garcia-Lopez")), maria);
	assert_int_not_equal(name_key(S("Maria Maria Garcia")), maria);
	assert_int_equal(name_key(S("O'Brien, Seán")), name_key(S("Sean OBrien")));
	assert_int_equal(name_key(S("Nguyễn Văn An")), name_key(S("NGUYEN VAN AN")));
	assert_int_equal(name_key(S("Łukasz Müller")), name_key(S("Lukasz Muller")));
	assert_int_equal(name_key(S("ИВАН")), name_key(S("иван")));
	assert_int_not_equal(name_key(S("Priya 李")), name_key(S("Priya 王")));
	assert_int_not_equal(name_key(S("Priya 李")), name_key(S("Priya")));
	assert_int_equal(name_key(S("")), 0);
	assert_int_equal(name_key(S(" , . ")), 0);
	assert_int_equal(name_key(S("J.")), 0);
	assert_int_not_equal(name_key(S("\xff\xfe")), 0); /* stray bytes are letters */
	/* Both ends of the first, last and inner folding ranges; a letter
	 * between ranges is a letter of its own. */
	assert_int_equal(name_key(S("X \xc3\x80\xc3\x85")), name_key(S("x aa")));       /* U+00C0 U+00C5 */
	assert_int_equal(name_key(S("X \xe1\xbb\xb2\xe1\xbb\xb9")), name_key(S("x yy"))); /* U+1EF2 U+1EF9 */
	assert_int_equal(name_key(S("X \xc5\xbf\xc6\xa0\xc6\xb0")), name_key(S("x sou"))); /* U+017F U+01A0 U+01B0 */
	assert_int_equal(name_key(S("X \xc3\x9f\xc3\xbf")), name_key(S("x ssy")));       /* U+00DF U+00FF */
	assert_int_not_equal(name_key(S("X \xc6\x80")), name_key(S("x b")));               /* U+0180 */
	/* A word's letters hash alike however ASCII runs and other characters
	 * split it; a lone digit is a word, a lone ASCII letter an initial. */
	assert_int_equal(name_key(S("Ab'Cd\xc3\xa9" "Ef Gh")), name_key(S("gh abcdeef")));
	assert_int_not_equal(name_key(S("5")), 0);
	assert_int_equal(name_key(S("Ana 5")), name_key(S("5 ana")));
	assert_int_not_equal(name_key(S("Ana 5")), name_key(S("Ana")));
}

/* name_key with a byte that sends it down the character-at-a-time path:
 * a trailing no-break space, which separates words and adds none. */
static uint64_t key_slow(const char *name)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "%s\xc2\xa0", name);
	return name_key(S(buf));
}

/* Short ASCII names take their own path (sixteen bytes at a time); it
 * gives the keys the character-at-a-time path gives, for every length. */
static void test_name_key_paths(void **state)
{
	static const char alphabet[] = "abcxyzABCXYZ0189 ,.-";
	uint64_t zoe = name_key(S("Zoe Li"));
	char buf[64];
	uint32_t seed = 12345;
	(void)state;

	assert_int_not_equal(zoe, 0);
	assert_int_equal(key_slow("Zoe Li"), zoe);
	assert_int_equal(name_key(S("li zoe")), zoe);
	assert_int_equal(name_key(S("ZOE  LI")), zoe);
	assert_int_equal(name_key(S(" Li, Zoe Q. ")), zoe);
	assert_int_equal(name_key(S("Zo'e Li")), zoe);
	assert_int_not_equal(name_key(S("Zoe Lu")), zoe);
	assert_int_not_equal(name_key(S("Zoe Li Li")), zoe);
	assert_int_not_equal(name_key(S("ZoeLi")), zoe);
	assert_int_not_equal(name_key(S("Zoe 5 Li")), zoe);
	assert_int_equal(name_key(S("Q")), 0);
	assert_int_not_equal(name_key(S("7")), 0);
	/* Words of 8, 9, 15 and 16 bytes, and names on both sides of 16. */
	assert_int_equal(name_key(S("Abcdefgh Ijklmnop")), key_slow("ijklmnop abcdefgh"));
	assert_int_equal(name_key(S("Abcdefghi")), key_slow("ABCDEFGHI"));
	assert_int_equal(name_key(S("Abcdefghijklmno")), key_slow("abcdefghijklmno"));
	assert_int_equal(name_key(S("Abcdefghijklmnop")), key_slow("abcdefghijklmnop"));
	assert_int_equal(name_key(S("Abcdefghijklmnopq")), key_slow("abcdefghijklmnopq"));
	assert_int_not_equal(name_key(S("Abcdefghijklmnop")), name_key(S("Abcdefghijklmnopq")));
	assert_int_not_equal(name_key(S("Abcdefgh")), name_key(S("Abcdefgh1")));
	/* Random names of every length from 1 to 40: the same key with a
	 * no-break space after, or an apostrophe inside a word. */
	for (size_t len = 1; len <= 40; len++) {
		for (int round = 0; round < 50; round++) {
			for (size_t i = 0; i < len; i++) {
				seed = seed * 1103515245 + 12345;
				buf[i] = alphabet[(seed >> 16) % (sizeof(alphabet) - 1)];
			}
			buf[len] = '\0';
			uint64_t key = name_key(S(buf));
			assert_int_equal(key_slow(buf), key);
			char with[64];
			size_t at = (seed >> 8) % len;
			memcpy(with, buf, at);
			with[at] = '\'';
			memcpy(with + at + 1, buf + at, len - at + 1);
			assert_int_equal(name_key(S(with)), key);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyset_many),
		cmocka_unit_test(test_keyset_large_growths),
		cmocka_unit_test(test_keyset_growth_spills),
		cmocka_unit_test(test_idset),
		cmocka_unit_test(test_pack),
		cmocka_unit_test(test_pack_words),
		cmocka_unit_test(test_locators),
		cmocka_unit_test(test_name_key),
		cmocka_unit_test(test_name_key_paths),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
