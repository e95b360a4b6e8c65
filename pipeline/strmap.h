#ifndef CASEPIPE_STRMAP_H
#define CASEPIPE_STRMAP_H

#include <stdint.h>

#include "arena.h"
#include "record.h"

/*
 * A hash map from byte strings to a 64-bit value, for column names and the
 * sets of keys that cross-record checks keep.  Keys are copied into the
 * map's own arena; memory is about 24 bytes a slot plus the keys.
 */
struct strmap_entry {
	struct slice key; /* key.ptr == NULL: empty slot */
	uint64_t value;
};

struct strmap {
	struct strmap_entry *slots;
	size_t cap, count;
	struct arena keys;
};

void strmap_init(struct strmap *m);
void strmap_release(struct strmap *m);

/* Returns the entry for KEY, or NULL. */
struct strmap_entry *strmap_get(const struct strmap *m, struct slice key);

/* Adds KEY with VALUE unless it is there.  Returns the entry (new or old,
 * *ADDED tells which), or NULL when memory runs out. */
struct strmap_entry *strmap_add(struct strmap *m, struct slice key, uint64_t value, int *added);

#endif
