#ifndef CASEPIPE_ARENA_H
#define CASEPIPE_ARENA_H

#include <stddef.h>

/*
 * A bump allocator for the bytes of one record.  Memory handed out stays
 * valid until arena_reset() or arena_release(); blocks never move, so
 * pointers into an arena survive later allocations.  arena_reset() keeps
 * the largest block (up to 4 MiB) for reuse, which makes a record loop allocation-free
 * once it has warmed up.
 */
struct arena_block;

struct arena {
	struct arena_block *blocks; /* newest first */
	char *next;                 /* free space in blocks->data */
	char *end;
};

#define ARENA_INIT { NULL, NULL, NULL }

/* Returns LEN bytes (aligned for any type), or NULL when memory runs out. */
void *arena_alloc(struct arena *a, size_t len);

/* Copies LEN bytes into the arena, adding a NUL after them (not counted). */
char *arena_memdup(struct arena *a, const void *src, size_t len);

/* Forgets every allocation but keeps the largest block, unless it is over
 * 4 MiB, for reuse. */
void arena_reset(struct arena *a);

/* Frees all memory; the arena may be used again afterwards. */
void arena_release(struct arena *a);

#endif
