#ifndef CASEPIPE_CROSSREC_H
#define CASEPIPE_CROSSREC_H

/*
 * The bounded state of validate's cross-record checks: compact sets of
 * normalised keys (never records), the locators of the records that first
 * held each key, and the client-name key.  Ownership: every structure here
 * owns its memory and frees it in its _release function; keys passed in
 * are copied or packed, never kept.
 *
 * Memory: a key packed into 64 bits costs one 12-byte slot (8-byte key,
 * 4-byte locator); five slots and a count make a 64-byte bucket, and the
 * table is kept between 53% and 80% full (it grows by half), so 16 to 24
 * MB per million keys and set.  Keys that do not pack (a receipt number
 * with asterisks, an A-Number of more than 10 digits, an account number
 * of more than 12) go to an exact strmap instead, at about 60 bytes each.
 * Locators cost 16 bytes per run of records from one file with rising
 * line numbers (one run per file in ordinary input).
 */

#include <stdint.h>

#include "record.h"
#include "strmap.h"

/* A 64-bit mix of X (a bijection), for hashing packed keys. */
static inline uint64_t crossrec_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/*
 * A hash set of 64-bit keys, each with a 32-bit value.  Only the bits of a
 * key inside MATCH identify it; the bits outside are a payload stored with
 * it.
 *
 * The slots are grouped by five in buckets of one cache line.  A key goes
 * into the first bucket with room from its home bucket on (chosen by its
 * hash), so a look-up reads one cache line, or the next few (in one page)
 * when its home is full; keyset_prefetch fetches the first two.
 */
struct keyslot {
	uint32_t lo, hi; /* the key */
	uint32_t val;
};

enum { KEYSET_BUCKET_SLOTS = 5 };

struct keybucket {
	struct keyslot slot[KEYSET_BUCKET_SLOTS];
	uint32_t n; /* slots in use, from the first */
};

struct keyset {
	struct keybucket *buckets;
	size_t nbuckets, count;
	uint64_t match;
	size_t spilled; /* keys growth in place had to put back last */
};

void keyset_init(struct keyset *s, uint64_t match);
void keyset_release(struct keyset *s);

/* Adds KEY with VAL unless a key with the same matched bits is there.
 * Returns 1 when added, 0 when found (the stored key and value then go to
 * *OLD_KEY and *OLD_VAL), -1 when memory runs out. */
int keyset_add(struct keyset *s, uint64_t key, uint32_t val, uint64_t *old_key,
	       uint32_t *old_val);

/* Bytes the set holds. */
size_t keyset_bytes(const struct keyset *s);

/* KEY's home bucket (the table size need not be a power of two): the
 * high bits of its hash, so that homes are in the order of the hashes. */
static inline size_t keyset_home(const struct keyset *s, uint64_t key)
{
	uint64_t h = crossrec_mix(key & s->match) >> 32;
	return (size_t)((h * (uint64_t)s->nbuckets) >> 32);
}

/*
 * Asks the CPU to fetch KEY's home bucket and the next, so that the cache
 * misses of several sets overlap with other work.  Always inlined on
 * purpose: GCC 12 takes a function that does nothing but prefetch for one
 * without effect and deletes every call to it before inlining (an
 * out-of-line version left validate with no prefetch at all until
 * 2026-11-28; check with objdump -d that validate_process holds
 * prefetcht0 after changing this).
 */
__attribute__((always_inline)) static inline void keyset_prefetch(const struct keyset *s, uint64_t key)
{
	if (s->nbuckets) {
		/* The next bucket may be one past the end: a prefetch never
		 * faults. */
		const struct keybucket *b = &s->buckets[keyset_home(s, key)];
		__builtin_prefetch(b);
		__builtin_prefetch(b + 1);
	}
}

/*
 * A set of normalised identifiers with a payload (a hash of who the record
 * is about) and a locator each: packed keys in a keyset, the rest in an
 * exact strmap.  KEY_BITS is how many low bits a packed key needs; the
 * payload keeps the 64 - KEY_BITS bits above them (all 32 in the strmap).
 */
struct idset {
	struct keyset fast;
	struct strmap slow;
	unsigned key_bits;
};

void idset_init(struct idset *s, unsigned key_bits);
void idset_release(struct idset *s);

/*
 * Looks up the identifier KEY, whose packed form is PACKED (0 when it
 * does not pack into KEY_BITS bits); adds it with PAYLOAD and LOC when it
 * is new.  Returns 1 when added, 0 when seen before, -1 when memory runs
 * out.  When seen, *OLD_PAYLOAD and *OLD_LOC are what the first record
 * stored and *MASK the payload bits kept: compare payloads under it.
 */
int idset_add(struct idset *s, struct slice key, uint64_t packed, uint32_t payload,
	      uint32_t loc, uint32_t *old_payload, uint32_t *old_loc, uint32_t *mask);

/* keyset_prefetch for a packed key (nothing when PACKED is 0); always
 * inlined for the same reason. */
__attribute__((always_inline)) static inline void idset_prefetch(const struct idset *s, uint64_t packed)
{
	if (packed && packed <= s->fast.match)
		keyset_prefetch(&s->fast, packed);
}

size_t idset_bytes(const struct idset *s);

/* Packs a canonical receipt number (3 upper-case letters and 10 digits)
 * into 48 bits; 0 when S is not of that form. */
uint64_t pack_receipt(struct slice s);

/* Packs up to MAXDIGITS digits (after a leading LETTER, when LETTER is not
 * 0) into an integer + 1; 0 when S is not of that form.  Values of one
 * length only may be compared: leading zeros are not kept. */
uint64_t pack_digits(struct slice s, char letter, unsigned maxdigits);

/*
 * Locators: the place of a record ("file:line") in 32 bits.  Each record
 * gets a position; runs of records from one file with rising line numbers
 * share one segment (first position, file, first line).  Position 0 means
 * unknown.
 */
struct locators {
	struct locseg *segs;
	size_t nsegs, segs_cap;
	struct slice *files; /* names, copied */
	size_t nfiles, files_cap;
	unsigned long last_line;
	uint32_t last_pos;
	int nomem;           /* locators_add() ran out of memory */
	/* The last segment's file, first line and first position, for
	 * locators_add's inline path. */
	struct slice run_file;
	unsigned long run_line;
	uint32_t run_pos;
};

void locators_init(struct locators *l);
void locators_release(struct locators *l);

/* locators_add when SRC does not continue the last segment. */
uint32_t locators_add_slow(struct locators *l, const struct record_source *src);

/* Returns the position of the record at SRC (its line, or its record
 * number when the line is unknown), or 0 when it cannot be stored (and
 * sets l->nomem when that is for want of memory).  Inline: the common
 * record, the next line of the same file, then costs a compare of the
 * file name and a few instructions (callgrind, 100k rows: 69 instructions
 * a call out of line). */
static inline uint32_t locators_add(struct locators *l, const struct record_source *src)
{
	unsigned long line = src->line ? src->line : src->record;

	if (l->nsegs && line > l->last_line && line - l->run_line <= UINT32_MAX - l->run_pos &&
	    slice_eq(l->run_file, src->file)) {
		l->last_line = line;
		return l->last_pos = l->run_pos + (uint32_t)(line - l->run_line);
	}
	return locators_add_slow(l, src);
}

/* Writes "file:line" for POS into BUF; returns its length, 0 when POS is
 * unknown. */
size_t locators_format(const struct locators *l, uint32_t pos, char *buf, size_t size);

size_t locators_bytes(const struct locators *l);

/*
 * The key of a client name, for "same person" comparisons: letters are
 * case-folded (ASCII, Latin-1, Latin Extended-A, Vietnamese, Greek and
 * Cyrillic letters lose case and accents), apostrophes and combining
 * marks are dropped, every other space or punctuation mark separates
 * words, words of one ASCII letter (initials) are ignored, and the order
 * of words does not count: "GARCÍA, María J." and "Maria Garcia" have one
 * key.  Returns 0 when the name has no word.
 */
uint64_t name_key(struct slice name);

#endif
