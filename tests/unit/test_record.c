/*
 * The record model: the arena under it, field order and replacement, the
 * _raw rule (the first original wins), issues, and the string map that
 * column names and cross-record sets use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "arena.h"
#include "record.h"
#include "strmap.h"

static void test_arena_alignment_and_stability(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	char *first = arena_memdup(&a, "abc", 3);
	void *blocks[2000];

	for (size_t i = 0; i < 2000; i++) {
		blocks[i] = arena_alloc(&a, i % 37 + 1);
		assert_non_null(blocks[i]);
		assert_int_equal((uintptr_t)blocks[i] % _Alignof(max_align_t), 0);
		memset(blocks[i], (int)(i & 0xff), i % 37 + 1);
	}
	/* Growing never moves what was handed out before. */
	assert_memory_equal(first, "abc", 4);
	for (size_t i = 0; i < 2000; i++)
		assert_int_equal(((unsigned char *)blocks[i])[0], i & 0xff);
	arena_release(&a);
}

static void test_arena_reset_reuses_memory(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	char *p = arena_alloc(&a, 100);
	arena_reset(&a);
	/* After a reset the same block is used again from its start. */
	assert_ptr_equal(arena_alloc(&a, 100), p);
	arena_release(&a);
}

static void test_arena_drops_huge_block_on_reset(void **state)
{
	(void)state;
	struct arena a = ARENA_INIT;
	assert_non_null(arena_alloc(&a, 10 * 1024 * 1024));
	arena_reset(&a);
	/* One 10 MB record must not pin 10 MB for the rest of the stream. */
	assert_null(a.blocks);
	assert_non_null(arena_alloc(&a, 10));
	arena_release(&a);
}

static void test_fields_keep_order_and_replace(void **state)
{
	(void)state;
	struct record rec;
	record_init(&rec);
	assert_int_equal(record_append(&rec, SLICE_LIT("b"), SLICE_LIT("2")), 0);
	assert_int_equal(record_append(&rec, SLICE_LIT("a"), SLICE_LIT("1")), 0);
	assert_int_equal(record_set(&rec, SLICE_LIT("b"), SLICE_LIT("20")), 0);
	assert_int_equal(record_set(&rec, SLICE_LIT("c"), SLICE_LIT("3")), 0);

	assert_int_equal(rec.nfields, 3);
	assert_true(slice_eq(rec.fields[0].name, SLICE_LIT("b")));
	assert_true(slice_eq(rec.fields[0].value, SLICE_LIT("20")));
	assert_true(slice_eq(rec.fields[1].name, SLICE_LIT("a")));
	assert_true(slice_eq(rec.fields[2].name, SLICE_LIT("c")));
	assert_null(record_find(&rec, SLICE_LIT("missing")));
	assert_true(slice_eq(record_find(&rec, SLICE_LIT("a"))->value, SLICE_LIT("1")));
	record_release(&rec);
}

static void test_values_are_bytes(void **state)
{
	(void)state;
	struct record rec;
	record_init(&rec);
	const char bytes[] = { 'x', '\0', 'y', (char)0xff };
	struct slice v = record_copy(&rec, bytes, sizeof(bytes));
	assert_non_null(v.ptr);
	assert_int_equal(v.len, 4);
	assert_memory_equal(v.ptr, bytes, 4);
	/* Names and values are compared by length and bytes, not as C strings. */
	assert_int_equal(record_append(&rec, SLICE_LIT("k"), v), 0);
	assert_false(slice_eq(rec.fields[0].value, SLICE_LIT("x")));
	record_release(&rec);
}

static void test_raw_keeps_the_first_original(void **state)
{
	(void)state;
	struct record rec;
	record_init(&rec);
	assert_int_equal(record_set_raw(&rec, SLICE_LIT("a_number"), SLICE_LIT("A# 123")), 0);
	assert_int_equal(record_set_raw(&rec, SLICE_LIT("a_number"), SLICE_LIT("A000000123")), 0);
	assert_int_equal(rec.nraw, 1);
	assert_true(slice_eq(rec.raw[0].value, SLICE_LIT("A# 123")));
	record_release(&rec);
}

static void test_issues_counted_by_severity(void **state)
{
	(void)state;
	struct record rec;
	record_init(&rec);
	enum severity sevs[] = { SEV_INFO, SEV_ERROR, SEV_WARNING, SEV_ERROR };
	for (size_t i = 0; i < 4; i++) {
		struct issue is = { .code = SLICE_LIT("x.y"), .severity = sevs[i] };
		assert_int_equal(record_add_issue(&rec, &is), 0);
	}
	assert_int_equal(record_count_issues(&rec, SEV_INFO), 4);
	assert_int_equal(record_count_issues(&rec, SEV_WARNING), 3);
	assert_int_equal(record_count_issues(&rec, SEV_ERROR), 2);
	record_release(&rec);
}

static void test_clear_empties_everything(void **state)
{
	(void)state;
	struct record rec;
	record_init(&rec);
	struct issue is = { .code = SLICE_LIT("c"), .severity = SEV_INFO };
	record_append(&rec, SLICE_LIT("a"), record_copy(&rec, "1", 1));
	record_set_raw(&rec, SLICE_LIT("a"), SLICE_LIT("0"));
	record_add_issue(&rec, &is);
	rec.source.file = SLICE_LIT("f.csv");
	rec.source.line = 3;
	record_clear(&rec);
	assert_int_equal(rec.nfields, 0);
	assert_int_equal(rec.nraw, 0);
	assert_int_equal(rec.nissues, 0);
	assert_int_equal(rec.source.file.len, 0);
	assert_int_equal(rec.source.line, 0);
	/* The record is usable again, with its memory kept. */
	assert_int_equal(record_append(&rec, SLICE_LIT("b"), SLICE_LIT("2")), 0);
	assert_int_equal(rec.nfields, 1);
	record_release(&rec);
}

static void test_strmap_adds_once_and_grows(void **state)
{
	(void)state;
	struct strmap m;
	char key[32];
	int added;

	strmap_init(&m);
	for (unsigned i = 0; i < 10000; i++) {
		int n = snprintf(key, sizeof(key), "key-%u", i);
		struct strmap_entry *e = strmap_add(&m, (struct slice){ key, (size_t)n }, i, &added);
		assert_non_null(e);
		assert_true(added);
	}
	/* The keys were copied: the caller's buffer is reused above. */
	for (unsigned i = 0; i < 10000; i++) {
		int n = snprintf(key, sizeof(key), "key-%u", i);
		struct strmap_entry *e = strmap_get(&m, (struct slice){ key, (size_t)n });
		assert_non_null(e);
		assert_int_equal(e->value, i);
		assert_non_null(strmap_add(&m, (struct slice){ key, (size_t)n }, 99, &added));
		assert_false(added);
		assert_int_equal(e->value, i);
	}
	assert_int_equal(m.count, 10000);
	assert_null(strmap_get(&m, SLICE_LIT("key-10000")));
	/* An empty key is a key like any other. */
	assert_non_null(strmap_add(&m, SLICE_LIT(""), 7, &added));
	assert_true(added);
	assert_int_equal(strmap_get(&m, SLICE_LIT(""))->value, 7);
	strmap_release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_alignment_and_stability),
		cmocka_unit_test(test_arena_reset_reuses_memory),
		cmocka_unit_test(test_arena_drops_huge_block_on_reset),
		cmocka_unit_test(test_fields_keep_order_and_replace),
		cmocka_unit_test(test_values_are_bytes),
		cmocka_unit_test(test_raw_keeps_the_first_original),
		cmocka_unit_test(test_issues_counted_by_severity),
		cmocka_unit_test(test_clear_empties_everything),
		cmocka_unit_test(test_strmap_adds_once_and_grows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
