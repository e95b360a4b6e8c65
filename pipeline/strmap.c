#include <stdlib.h>

#include "strmap.h"

/* FNV-1a: short keys, good enough spread, no state. */
static uint64_t hash(struct slice s)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < s.len; i++) {
		h ^= (unsigned char)s.ptr[i];
		h *= 1099511628211ULL;
	}
	return h;
}

void strmap_init(struct strmap *m)
{
	*m = (struct strmap){ 0 };
}

void strmap_release(struct strmap *m)
{
	free(m->slots);
	arena_release(&m->keys);
	strmap_init(m);
}

static struct strmap_entry *find_slot(struct strmap_entry *slots, size_t cap, struct slice key)
{
	size_t i = (size_t)hash(key) & (cap - 1);
	while (slots[i].key.ptr && !slice_eq(slots[i].key, key))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

struct strmap_entry *strmap_get(const struct strmap *m, struct slice key)
{
	if (!m->cap)
		return NULL;
	struct strmap_entry *e = find_slot(m->slots, m->cap, key);
	return e->key.ptr ? e : NULL;
}

static int rehash(struct strmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64;
	struct strmap_entry *slots = calloc(ncap, sizeof(*slots));
	if (!slots)
		return -1;
	for (size_t i = 0; i < m->cap; i++)
		if (m->slots[i].key.ptr)
			*find_slot(slots, ncap, m->slots[i].key) = m->slots[i];
	free(m->slots);
	m->slots = slots;
	m->cap = ncap;
	return 0;
}

struct strmap_entry *strmap_add(struct strmap *m, struct slice key, uint64_t value, int *added)
{
	*added = 0;
	if ((m->count + 1) * 4 > m->cap * 3 && rehash(m) < 0)
		return NULL;
	struct strmap_entry *e = find_slot(m->slots, m->cap, key);
	if (e->key.ptr)
		return e;
	char *copy = arena_memdup(&m->keys, key.ptr, key.len);
	if (!copy)
		return NULL;
	e->key = (struct slice){ copy, key.len };
	e->value = value;
	m->count++;
	*added = 1;
	return e;
}
