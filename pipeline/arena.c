#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct arena_block {
	struct arena_block *older;
	size_t size;
	alignas(max_align_t) char data[];
};

enum { ARENA_MIN_BLOCK = 16 * 1024, ARENA_KEEP_MAX = 4 * 1024 * 1024 };

static size_t align_up(size_t n)
{
	size_t a = alignof(max_align_t);
	return (n + a - 1) & ~(a - 1);
}

static int arena_grow(struct arena *a, size_t need)
{
	size_t size = ARENA_MIN_BLOCK;
	if (a->blocks && a->blocks->size * 2 > size)
		size = a->blocks->size * 2;
	while (size < need) {
		if (size > SIZE_MAX / 2)
			return -1;
		size *= 2;
	}
	struct arena_block *b = malloc(sizeof(*b) + size);
	if (!b)
		return -1;
	b->older = a->blocks;
	b->size = size;
	a->blocks = b;
	a->next = b->data;
	a->end = b->data + size;
	return 0;
}

void *arena_alloc(struct arena *a, size_t len)
{
	size_t need = align_up(len ? len : 1);
	if (need < len)
		return NULL;
	if ((size_t)(a->end - a->next) < need && arena_grow(a, need) < 0)
		return NULL;
	void *p = a->next;
	a->next += need;
	return p;
}

char *arena_memdup(struct arena *a, const void *src, size_t len)
{
	if (len == SIZE_MAX)
		return NULL;
	char *p = arena_alloc(a, len + 1);
	if (!p)
		return NULL;
	if (len)
		memcpy(p, src, len);
	p[len] = '\0';
	return p;
}

void arena_reset(struct arena *a)
{
	struct arena_block *keep = a->blocks;
	if (!keep)
		return;
	/* The newest block is the largest: blocks only ever grow. */
	struct arena_block *b = keep->older;
	while (b) {
		struct arena_block *older = b->older;
		free(b);
		b = older;
	}
	keep->older = NULL;
	if (keep->size > ARENA_KEEP_MAX) {
		/* One huge record should not hold its memory for the rest. */
		free(keep);
		a->blocks = NULL;
		a->next = a->end = NULL;
		return;
	}
	a->next = keep->data;
	a->end = keep->data + keep->size;
}

void arena_release(struct arena *a)
{
	arena_reset(a);
	free(a->blocks);
	a->blocks = NULL;
	a->next = a->end = NULL;
}
