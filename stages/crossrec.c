#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "crossrec.h"

/* ---- keyset ----------------------------------------------------------- */

/*
 * Why buckets: with one 12-byte slot per key and linear probing, a new key
 * at 58-87.5% full scanned 30 slots on average (callgrind: 109
 * instructions a probe), over several cache lines one after the other.
 * Buckets of five slots in one line, probed the same way, cut that to 2.6
 * lines (a simulation over the same range of fullness), the first two
 * prefetched; a bucket's count ends its search without looking at empty
 * slots.  Homes in hash order keep keyset_grow's writes sequential.
 */
_Static_assert(sizeof(struct keybucket) == 64, "a bucket is one cache line");

enum { KEYSET_MIN_BUCKETS = 16 };

void keyset_init(struct keyset *s, uint64_t match)
{
	*s = (struct keyset){ .match = match };
}

/* Large tables are mapped, not malloc'd: a freed table then goes back to
 * the system at once instead of staying in malloc's heap, where the
 * tables' growth would leave holes that count in the peak RSS.  They are
 * aligned to 2 MiB and asked for huge pages, as every look-up is a random
 * access: with 4 KiB pages each would also miss the TLB. */
enum { MAP_MIN = 1 << 20 };
#define HUGE_PAGE ((size_t)2 << 20)

static int is_mapped(size_t nbuckets)
{
	return nbuckets * sizeof(struct keybucket) >= MAP_MIN;
}

static size_t map_size(size_t nbuckets)
{
	return (nbuckets * sizeof(struct keybucket) + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

/* A fresh mapping of SIZE bytes (a multiple of HUGE_PAGE) aligned to
 * HUGE_PAGE, or NULL. */
static char *map_aligned(size_t size)
{
	char *p = mmap(NULL, size + HUGE_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	size_t head = (HUGE_PAGE - ((uintptr_t)p & (HUGE_PAGE - 1))) & (HUGE_PAGE - 1);
	if (head)
		munmap(p, head);
	munmap(p + head + size, HUGE_PAGE - head);
	p += head;
#ifdef MADV_HUGEPAGE
	madvise(p, size, MADV_HUGEPAGE);
#endif
	return p;
}

static struct keybucket *buckets_alloc(size_t nbuckets)
{
	size_t bytes = nbuckets * sizeof(struct keybucket);
	if (!is_mapped(nbuckets)) {
		/* Aligned, so that a bucket is one cache line. */
		void *p = aligned_alloc(sizeof(struct keybucket), bytes);
		if (p)
			memset(p, 0, bytes);
		return p;
	}
	return (struct keybucket *)map_aligned(map_size(nbuckets));
}

static void buckets_free(struct keybucket *b, size_t nbuckets)
{
	if (!is_mapped(nbuckets))
		free(b);
	else if (b)
		munmap(b, map_size(nbuckets));
}

void keyset_release(struct keyset *s)
{
	buckets_free(s->buckets, s->nbuckets);
	keyset_init(s, s->match);
}

static inline uint64_t slot_key(const struct keyslot *k)
{
	return (uint64_t)k->hi << 32 | k->lo;
}

/* The slot of B holding a key whose matched bits are WANT, or NULL. */
static inline struct keyslot *bucket_find(struct keybucket *b, uint64_t want, uint64_t match)
{
	for (uint32_t i = 0; i < b->n; i++)
		if ((slot_key(&b->slot[i]) & match) == want)
			return &b->slot[i];
	return NULL;
}

static inline int bucket_full(const struct keybucket *b)
{
	return b->n == KEYSET_BUCKET_SLOTS;
}

/* Finds KEY; when it is not there, *WHERE is the bucket it goes into. */
static struct keyslot *find(const struct keyset *s, uint64_t key, struct keybucket **where)
{
	uint64_t want = key & s->match;

	for (size_t i = keyset_home(s, key);;) {
		struct keybucket *b = &s->buckets[i];
		struct keyslot *k = bucket_find(b, want, s->match);
		if (k)
			return k;
		if (!bucket_full(b)) {
			*where = b;
			return NULL;
		}
		if (++i == s->nbuckets)
			i = 0;
	}
}

/* Puts a key known to be absent into its bucket. */
static void place(struct keyset *s, struct keyslot slot)
{
	size_t i = keyset_home(s, slot_key(&slot));

	while (bucket_full(&s->buckets[i]))
		if (++i == s->nbuckets)
			i = 0;
	s->buckets[i].slot[s->buckets[i].n++] = slot;
}

/* Grows a small table into a new one, copying its keys. */
static int grow_by_copy(struct keyset *s, size_t nb)
{
	struct keyset n = { .match = s->match, .nbuckets = nb, .count = s->count,
			    .spilled = s->spilled };

	n.buckets = buckets_alloc(nb);
	if (!n.buckets)
		return -1;
	for (size_t i = 0; i < s->nbuckets; i++)
		for (uint32_t j = 0; j < s->buckets[i].n; j++)
			place(&n, s->buckets[i].slot[j]);
	buckets_free(s->buckets, s->nbuckets);
	*s = n;
	return 0;
}

/*
 * Grows a mapped table in place.  The kernel clears every fresh page, and
 * on this VM first-touch memory runs at 0.3 to 7 GB/s where memory in use
 * runs faster: building each larger table beside the old one made the
 * bench chain clear about twice the final tables' size (47 huge-page
 * faults for 45 MB of tables), so the old table's pages move (mremap
 * moves pages, not bytes) to the start of a mapping of the new size and
 * only the added part is fresh.
 *
 * Homes are in hash order and the table only gets larger, so a key's new
 * home is at or after its old one: rehashing the old buckets from the
 * last down, each key goes to a bucket at or after the one being emptied,
 * where only rehashed keys are.  A key that would go lower (it sat far
 * from its home, or its probe wraps past the end) waits in SPILL, sized
 * for every key before anything moves, and is placed at the end.
 */
static int grow_in_place(struct keyset *s, size_t nb)
{
	size_t old = s->nbuckets, nspill = 0;
	struct keyslot *spill = malloc(s->count * sizeof(*spill));
	char *p = spill ? map_aligned(map_size(nb)) : NULL;

	if (!p || mremap(s->buckets, map_size(old), map_size(old), MREMAP_MAYMOVE | MREMAP_FIXED,
			 p) == MAP_FAILED) {
		if (p)
			munmap(p, map_size(nb));
		free(spill);
		return -1;
	}
	s->buckets = (struct keybucket *)p;
	s->nbuckets = nb;
	for (size_t i = old; i-- > 0;) {
		struct keybucket *b = &s->buckets[i];
		struct keyslot moving[KEYSET_BUCKET_SLOTS];
		uint32_t n = b->n;

		memcpy(moving, b->slot, n * sizeof(*moving));
		b->n = 0;
		for (uint32_t j = 0; j < n; j++) {
			size_t to = keyset_home(s, slot_key(&moving[j]));
			while (to >= i && bucket_full(&s->buckets[to]))
				if (++to == nb)
					to = 0;
			if (to >= i)
				s->buckets[to].slot[s->buckets[to].n++] = moving[j];
			else
				spill[nspill++] = moving[j];
		}
	}
	for (size_t k = 0; k < nspill; k++)
		place(s, spill[k]);
	s->spilled += nspill;
	free(spill);
	return 0;
}

/*
 * Grows by half at 80% full (the table stays 53% to 80% full).  Keys
 * cluster in runs of full buckets: adding a new key visited 2.63 buckets
 * on average over 58-87.5% full, 1.21 of them past the two prefetched,
 * and 1.79 (0.47) over 53-80% (a simulation); callgrind, 100k rows:
 * keyset_add 67.6M -> 59.7M instructions.  The bench tables end at the
 * same sizes either way.
 */
static int keyset_grow(struct keyset *s)
{
	size_t nb = s->nbuckets ? s->nbuckets + s->nbuckets / 2 : KEYSET_MIN_BUCKETS;

	if (nb > UINT32_MAX)
		return -1;
	return is_mapped(s->nbuckets) ? grow_in_place(s, nb) : grow_by_copy(s, nb);
}

int keyset_add(struct keyset *s, uint64_t key, uint32_t val, uint64_t *old_key,
	       uint32_t *old_val)
{
	if ((s->count + 1) * 5 > s->nbuckets * KEYSET_BUCKET_SLOTS * 4 && keyset_grow(s) < 0)
		return -1;
	struct keybucket *b;
	struct keyslot *k = find(s, key, &b);
	if (k) {
		*old_key = slot_key(k);
		*old_val = k->val;
		return 0;
	}
	b->slot[b->n++] = (struct keyslot){ (uint32_t)key, (uint32_t)(key >> 32), val };
	s->count++;
	return 1;
}

size_t keyset_bytes(const struct keyset *s)
{
	return s->nbuckets * sizeof(*s->buckets);
}

/* ---- idset ------------------------------------------------------------ */

static uint64_t low_mask(unsigned bits)
{
	return bits >= 64 ? ~0ULL : (1ULL << bits) - 1;
}

void idset_init(struct idset *s, unsigned key_bits)
{
	keyset_init(&s->fast, low_mask(key_bits));
	strmap_init(&s->slow);
	s->key_bits = key_bits;
}

void idset_release(struct idset *s)
{
	keyset_release(&s->fast);
	strmap_release(&s->slow);
}

int idset_add(struct idset *s, struct slice key, uint64_t packed, uint32_t payload,
	      uint32_t loc, uint32_t *old_payload, uint32_t *old_loc, uint32_t *mask)
{
	int r;

	if (packed && packed <= s->fast.match) {
		unsigned pbits = 64 - s->key_bits;
		uint32_t pmask = pbits >= 32 ? UINT32_MAX : (uint32_t)low_mask(pbits);
		uint64_t k = packed | (pbits ? (uint64_t)(payload & pmask) << s->key_bits : 0);
		uint64_t ok;

		r = keyset_add(&s->fast, k, loc, &ok, old_loc);
		if (r == 0) {
			*old_payload = pbits ? (uint32_t)(ok >> s->key_bits) & pmask : 0;
			*mask = pmask;
		}
		return r;
	}
	int added;
	struct strmap_entry *e = strmap_add(&s->slow, key, (uint64_t)payload << 32 | loc, &added);
	if (!e)
		return -1;
	if (added)
		return 1;
	*old_payload = (uint32_t)(e->value >> 32);
	*old_loc = (uint32_t)e->value;
	*mask = UINT32_MAX;
	return 0;
}

size_t idset_bytes(const struct idset *s)
{
	return keyset_bytes(&s->fast) + s->slow.cap * sizeof(*s->slow.slots) +
	       s->slow.count * 16;
}

/* The eight bytes at P, the first in the lowest byte. */
static inline uint64_t load_first_low(const char *p)
{
	uint64_t w;

	memcpy(&w, p, 8);
#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
	w = __builtin_bswap64(w);
#endif
	return w;
}

#define DIGIT_ZEROS UINT64_C(0x3030303030303030)

/* Nonzero when a byte of X (eight bytes XOR '0') was not a digit: a byte
 * XOR '0' is below 10 exactly for a digit, and adding 0x76 sets its high
 * bit when it is not (see all_digits in ident/). */
static inline uint64_t not_digits(uint64_t x)
{
	return ((x + UINT64_C(0x7676767676767676)) | x) & UINT64_C(0x8080808080808080);
}

/*
 * The value of the eight digits of X (each byte a digit 0-9, the first,
 * most significant, in the lowest byte).  Pairs, then fours, then all
 * eight are combined by multiplying the word (1 + 10 * 2^8 makes each
 * even byte d[2i] * 10 + d[2i + 1], and so on): a dozen instructions
 * where a digit-by-digit loop took five to six a digit (callgrind, 100k
 * rows: pack_receipt and pack_digits 26.1M -> 16.0M).
 */
static inline uint64_t eight_digits_value(uint64_t x)
{
	x = (x * (1 + (10 << 8))) >> 8 & UINT64_C(0x00FF00FF00FF00FF);
	x = (x * (1 + (100 << 16))) >> 16 & UINT64_C(0x0000FFFF0000FFFF);
	return (x * (1 + (UINT64_C(10000) << 32))) >> 32;
}

/* The value of the N <= 18 digits at P, or -1 when one is not a digit.
 * From 8 to 16 digits (every canonical identifier) it takes two
 * overlapping loads, the first shifted so that the digits the second
 * holds fall out and zeros lead: no loop and no branch on the digits
 * (callgrind, 100k rows: pack_key with its calls 18.0M -> 16.0M). */
static inline int64_t digits_value(const char *p, size_t n)
{
	if (n >= 8 && n <= 16) {
		uint64_t lo = load_first_low(p + n - 8) ^ DIGIT_ZEROS, hi = 0;
		if (n > 8)
			hi = (load_first_low(p) ^ DIGIT_ZEROS) << (8 * (16 - n));
		if (not_digits(lo) | not_digits(hi))
			return -1;
		return (int64_t)(eight_digits_value(hi) * 100000000 + eight_digits_value(lo));
	}
	int64_t v = 0;
	size_t i = 0;

	if (n > 16) {
		uint64_t x = load_first_low(p) ^ DIGIT_ZEROS;
		if (not_digits(x))
			return -1;
		v = (int64_t)eight_digits_value(x);
		i = 8;
	}
	for (; i < n; i++) {
		unsigned d = (unsigned)(unsigned char)p[i] - '0';
		if (d > 9)
			return -1;
		v = v * 10 + d;
	}
	return v;
}

uint64_t pack_receipt(struct slice s)
{
	if (s.len != 13)
		return 0;
	unsigned a = (unsigned)(unsigned char)s.ptr[0] - 'A', b = (unsigned)(unsigned char)s.ptr[1] - 'A',
		 c = (unsigned)(unsigned char)s.ptr[2] - 'A';
	int64_t d = digits_value(s.ptr + 3, 10);
	if (a >= 26 || b >= 26 || c >= 26 || d < 0)
		return 0;
	return ((uint64_t)a * 676 + b * 26 + c) * 10000000000ULL + (uint64_t)d + 1;
}

uint64_t pack_digits(struct slice s, char letter, unsigned maxdigits)
{
	size_t i = 0;

	if (letter) {
		if (s.len == 0 || s.ptr[0] != letter)
			return 0;
		i = 1;
	}
	if (s.len == i || s.len - i > maxdigits || maxdigits > 18)
		return 0;
	int64_t v = digits_value(s.ptr + i, s.len - i);
	return v < 0 ? 0 : (uint64_t)v + 1;
}

/* ---- locators --------------------------------------------------------- */

struct locseg {
	uint32_t pos;  /* position of the segment's first record */
	uint32_t file; /* index into files */
	unsigned long line;
};

void locators_init(struct locators *l)
{
	*l = (struct locators){ 0 };
}

void locators_release(struct locators *l)
{
	for (size_t i = 0; i < l->nfiles; i++)
		free((char *)l->files[i].ptr);
	free(l->files);
	free(l->segs);
	locators_init(l);
}

static long file_index(struct locators *l, struct slice name)
{
	for (size_t i = l->nfiles; i-- > 0;)
		if (slice_eq(l->files[i], name))
			return (long)i;
	if (l->nfiles == l->files_cap) {
		size_t ncap = l->files_cap ? l->files_cap * 2 : 4;
		struct slice *p = realloc(l->files, ncap * sizeof(*p));
		if (!p)
			return -1;
		l->files = p;
		l->files_cap = ncap;
	}
	char *copy = malloc(name.len + 1);
	if (!copy)
		return -1;
	if (name.len)
		memcpy(copy, name.ptr, name.len);
	copy[name.len] = '\0';
	l->files[l->nfiles] = (struct slice){ copy, name.len };
	return (long)l->nfiles++;
}

uint32_t locators_add_slow(struct locators *l, const struct record_source *src)
{
	unsigned long line = src->line ? src->line : src->record;

	if (line == 0)
		return 0;
	if (l->nsegs) {
		struct locseg *seg = &l->segs[l->nsegs - 1];
		if (line > l->last_line && slice_eq(l->files[seg->file], src->file)) {
			unsigned long off = line - seg->line;
			if (off > UINT32_MAX - seg->pos)
				return 0;
			l->last_line = line;
			return l->last_pos = seg->pos + (uint32_t)off;
		}
	}
	if (l->last_pos == UINT32_MAX)
		return 0;
	if (l->nsegs == l->segs_cap) {
		size_t ncap = l->segs_cap ? l->segs_cap * 2 : 8;
		struct locseg *p = realloc(l->segs, ncap * sizeof(*p));
		if (!p) {
			l->nomem = 1;
			return 0;
		}
		l->segs = p;
		l->segs_cap = ncap;
	}
	long f = file_index(l, src->file);
	if (f < 0) {
		l->nomem = 1;
		return 0;
	}
	l->segs[l->nsegs++] = (struct locseg){ l->last_pos + 1, (uint32_t)f, line };
	l->run_file = l->files[f];
	l->run_line = line;
	l->run_pos = l->last_pos + 1;
	l->last_line = line;
	return ++l->last_pos;
}

size_t locators_format(const struct locators *l, uint32_t pos, char *buf, size_t size)
{
	size_t lo = 0, hi = l->nsegs;

	if (size)
		buf[0] = '\0';
	if (pos == 0 || l->nsegs == 0 || pos < l->segs[0].pos)
		return 0;
	while (hi - lo > 1) { /* the last segment starting at or before pos */
		size_t mid = lo + (hi - lo) / 2;
		if (l->segs[mid].pos <= pos)
			lo = mid;
		else
			hi = mid;
	}
	const struct locseg *seg = &l->segs[lo];
	const struct slice *f = &l->files[seg->file];
	int n = snprintf(buf, size, "%.*s:%lu", (int)f->len, f->ptr,
			 seg->line + (pos - seg->pos));
	return n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
}

size_t locators_bytes(const struct locators *l)
{
	size_t n = l->segs_cap * sizeof(*l->segs) + l->files_cap * sizeof(*l->files);
	for (size_t i = 0; i < l->nfiles; i++)
		n += l->files[i].len + 1;
	return n;
}

/* ---- client names ----------------------------------------------------- */

/* Decodes one UTF-8 code point at P (N > 0 bytes); a stray byte decodes
 * as itself plus 0x110000, so it never equals a real character. */
static uint32_t decode(const unsigned char *p, size_t n, size_t *used)
{
	uint32_t c = p[0];
	size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 :
		   (c & 0xF8) == 0xF0 ? 4 : 0;

	if (k == 1 || k == 0 || k > n)
		goto single;
	c &= 0x7F >> k;
	for (size_t i = 1; i < k; i++) {
		if ((p[i] & 0xC0) != 0x80)
			goto single;
		c = c << 6 | (p[i] & 0x3F);
	}
	*used = k;
	return c;
single:
	*used = 1;
	return k == 1 ? c : c + 0x110000;
}

/* Latin letters with accents and their plain lower-case spelling. */
static const struct fold {
	uint16_t lo, hi;
	char to[2]; /* one letter, or two */
} folds[] = {
	{ 0x00C0, 0x00C5, "a" }, { 0x00C6, 0x00C6, "ae" }, { 0x00C7, 0x00C7, "c" },
	{ 0x00C8, 0x00CB, "e" }, { 0x00CC, 0x00CF, "i" }, { 0x00D0, 0x00D0, "d" },
	{ 0x00D1, 0x00D1, "n" }, { 0x00D2, 0x00D6, "o" }, { 0x00D8, 0x00D8, "o" },
	{ 0x00D9, 0x00DC, "u" }, { 0x00DD, 0x00DD, "y" }, { 0x00DE, 0x00DE, "th" },
	{ 0x00DF, 0x00DF, "ss" }, { 0x00E0, 0x00E5, "a" }, { 0x00E6, 0x00E6, "ae" },
	{ 0x00E7, 0x00E7, "c" }, { 0x00E8, 0x00EB, "e" }, { 0x00EC, 0x00EF, "i" },
	{ 0x00F0, 0x00F0, "d" }, { 0x00F1, 0x00F1, "n" }, { 0x00F2, 0x00F6, "o" },
	{ 0x00F8, 0x00F8, "o" }, { 0x00F9, 0x00FC, "u" }, { 0x00FD, 0x00FD, "y" },
	{ 0x00FE, 0x00FE, "th" }, { 0x00FF, 0x00FF, "y" },
	{ 0x0100, 0x0105, "a" }, { 0x0106, 0x010D, "c" }, { 0x010E, 0x0111, "d" },
	{ 0x0112, 0x011B, "e" }, { 0x011C, 0x0123, "g" }, { 0x0124, 0x0127, "h" },
	{ 0x0128, 0x0131, "i" }, { 0x0132, 0x0133, "ij" }, { 0x0134, 0x0135, "j" },
	{ 0x0136, 0x0138, "k" }, { 0x0139, 0x0142, "l" }, { 0x0143, 0x014B, "n" },
	{ 0x014C, 0x0151, "o" }, { 0x0152, 0x0153, "oe" }, { 0x0154, 0x0159, "r" },
	{ 0x015A, 0x0161, "s" }, { 0x0162, 0x0167, "t" }, { 0x0168, 0x0173, "u" },
	{ 0x0174, 0x0175, "w" }, { 0x0176, 0x0178, "y" }, { 0x0179, 0x017E, "z" },
	{ 0x017F, 0x017F, "s" }, { 0x01A0, 0x01A1, "o" }, { 0x01AF, 0x01B0, "u" },
	{ 0x1EA0, 0x1EB7, "a" }, { 0x1EB8, 0x1EC7, "e" }, { 0x1EC8, 0x1ECB, "i" },
	{ 0x1ECC, 0x1EE3, "o" }, { 0x1EE4, 0x1EF1, "u" }, { 0x1EF2, 0x1EF9, "y" },
};

enum cls { C_SEP, C_DROP, C_LETTER };

/* Classifies C and folds a letter into OUT (bytes, at most 4). */
static enum cls fold(uint32_t c, char *out, size_t *n)
{
	if (c < 0x80) {
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z')) {
			out[0] = (char)c;
			*n = 1;
			return C_LETTER;
		}
		if (c >= 'A' && c <= 'Z') {
			out[0] = (char)(c + 32);
			*n = 1;
			return C_LETTER;
		}
		return c == '\'' || c == '`' ? C_DROP : C_SEP;
	}
	if (c == 0x2019 || c == 0x02BC || c == 0x2018 || (c >= 0x0300 && c <= 0x036F))
		return C_DROP;
	if (c < 0x00C0 || c == 0x00D7 || c == 0x00F7 ||
	    (c >= 0x2000 && c <= 0x206F) || c == 0x3000 || c == 0xFEFF)
		return C_SEP;
	if (c >= 0x00C0 && c <= 0x1EF9) {
		/* The ranges are sorted and apart: the last one starting at or
		 * below C is the only one that may hold it. */
		size_t lo = 0, hi = sizeof(folds) / sizeof(folds[0]);
		while (hi - lo > 1) {
			size_t mid = (lo + hi) / 2;
			if (folds[mid].lo <= c)
				lo = mid;
			else
				hi = mid;
		}
		if (c >= folds[lo].lo && c <= folds[lo].hi) {
			*n = folds[lo].to[1] ? 2 : 1;
			memcpy(out, folds[lo].to, 2);
			return C_LETTER;
		}
	}
	if (c >= 0x0410 && c <= 0x042F) /* Cyrillic capitals */
		c += 0x20;
	else if (c >= 0x0400 && c <= 0x040F)
		c += 0x50;
	else if (c >= 0x0391 && c <= 0x03AB && c != 0x03A2) /* Greek capitals */
		c += 0x20;
	/* Any other character is a letter of its own, as a 4-byte code. */
	out[0] = (char)(c >> 24);
	out[1] = (char)(c >> 16);
	out[2] = (char)(c >> 8);
	out[3] = (char)c;
	*n = 4;
	return C_LETTER;
}

/*
 * A word's hash is taken over its folded bytes eight at a time: each whole
 * or last partial chunk (as a little-endian number, missing bytes 0) goes
 * through word_step, and the byte count through word_value, so that the
 * ASCII path below can hash a chunk of eight letters in one step.  The
 * key is the sum of the words' values, so that word order does not count.
 */
#define WORD_SEED UINT64_C(0x6a09e667f3bcc909)

static inline uint64_t word_step(uint64_t h, uint64_t chunk)
{
	h = (h ^ chunk) * UINT64_C(0x9e3779b97f4a7c15);
	return h ^ h >> 32;
}

static inline uint64_t word_value(uint64_t h, size_t nbytes)
{
	return crossrec_mix(h + nbytes);
}

/* The key of a name being built a character at a time. */
struct name_acc {
	uint64_t sum, h;  /* words so far; the current word's whole chunks */
	uint64_t chunk;   /* the current word's bytes past its whole chunks */
	size_t nbytes;    /* folded bytes in the current word */
	size_t nletters;  /* characters in the current word */
	int words;        /* a word was counted */
	int ascii_letter; /* the current word's last letter is an ASCII letter */
};

static inline void acc_byte(struct name_acc *a, unsigned char b)
{
	unsigned fill = (unsigned)(a->nbytes++ & 7);

	a->chunk |= (uint64_t)b << (8 * fill);
	if (fill == 7) {
		a->h = word_step(a->h, a->chunk);
		a->chunk = 0;
	}
}

static inline void acc_letter(struct name_acc *a, const char *out, size_t n, int ascii_letter)
{
	if (a->nletters++ == 0)
		a->h = WORD_SEED;
	a->ascii_letter = ascii_letter;
	for (size_t j = 0; j < n; j++)
		acc_byte(a, (unsigned char)out[j]);
}

static inline void acc_end_word(struct name_acc *a)
{
	if (!a->nletters)
		return;
	/* One ASCII letter is an initial. */
	if (!(a->nletters == 1 && a->ascii_letter)) {
		uint64_t h = a->nbytes & 7 ? word_step(a->h, a->chunk) : a->h;
		a->sum += word_value(h, a->nbytes);
		a->words = 1;
	}
	a->nletters = 0;
	a->nbytes = 0;
	a->chunk = 0;
}

/* What fold() makes of each ASCII character: the letter or digit it
 * folds to, ASCII_DROP, or ASCII_SEP.  One table look-up instead of a
 * chain of range tests (callgrind, 100k rows: name_key 30.9M -> 28.0M). */
enum { ASCII_SEP = 0, ASCII_DROP = 1 };

static const unsigned char ascii_fold[128] = {
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4',
	['5'] = '5', ['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
	['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e', ['F'] = 'f',
	['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j', ['K'] = 'k', ['L'] = 'l',
	['M'] = 'm', ['N'] = 'n', ['O'] = 'o', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r',
	['S'] = 's', ['T'] = 't', ['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x',
	['Y'] = 'y', ['Z'] = 'z',
	['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f',
	['g'] = 'g', ['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l',
	['m'] = 'm', ['n'] = 'n', ['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r',
	['s'] = 's', ['t'] = 't', ['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x',
	['y'] = 'y', ['z'] = 'z',
	['\''] = ASCII_DROP, ['`'] = ASCII_DROP,
};

/* Adds the run of ASCII letters and digits at P[*I] (F, its first byte
 * folded, is one) to the current word, up to the first other byte; a
 * table look-up a byte instead of decode and fold (callgrind, 100k rows:
 * name_key 30.9M -> 28.0M). */
static inline void acc_ascii_run(struct name_acc *a, const unsigned char *p, size_t n, size_t *i,
				 unsigned char f)
{
	uint64_t h = a->nletters ? a->h : WORD_SEED, chunk = a->chunk;
	size_t start = *i, j = start;
	unsigned shift = 8 * (unsigned)(a->nbytes & 7);
	unsigned char last;

	do {
		chunk |= (uint64_t)f << shift;
		shift += 8;
		if (shift == 64) {
			h = word_step(h, chunk);
			chunk = 0;
			shift = 0;
		}
		last = f;
	} while (++j < n && p[j] < 0x80 && (f = ascii_fold[p[j]]) > ASCII_DROP);
	a->h = h;
	a->chunk = chunk;
	a->nbytes += j - start;
	a->nletters += j - start;
	a->ascii_letter = last >= 'a';
	*i = j;
}

/* The key of any name, a character at a time. */
static uint64_t name_key_chars(struct slice name)
{
	const unsigned char *p = (const unsigned char *)name.ptr;
	struct name_acc a = { 0 };

	for (size_t i = 0; i < name.len;) {
		if (p[i] < 0x80) {
			unsigned char f = ascii_fold[p[i]];
			if (f > ASCII_DROP)
				acc_ascii_run(&a, p, name.len, &i, f);
			else if (f == ASCII_SEP)
				acc_end_word(&a), i++;
			else
				i++;
			continue;
		}
		size_t used, n = 0;
		char out[4];
		uint32_t c = decode(p + i, name.len - i, &used);
		enum cls k = fold(c, out, &n);

		i += used;
		if (k == C_LETTER)
			acc_letter(&a, out, n, c < 0x80 && !(c >= '0' && c <= '9'));
		else if (k == C_SEP)
			acc_end_word(&a);
	}
	acc_end_word(&a);
	return !a.words ? 0 : a.sum ? a.sum : 1;
}

/* ---- client names: short ASCII names, sixteen bytes at a time ------- */

#ifdef __SSE2__
__extension__ typedef unsigned __int128 u128;

/* The N < 8 bytes at P as a little-endian number, the rest 0; two or
 * three overlapping loads, never past P + N. */
static inline uint64_t load_short(const unsigned char *p, size_t n)
{
	if (n >= 4) {
		uint32_t lo, hi;
		memcpy(&lo, p, 4);
		memcpy(&hi, p + n - 4, 4);
		return lo | (uint64_t)hi << (8 * (n - 4));
	}
	if (n == 0)
		return 0;
	return p[0] | (uint64_t)p[n / 2] << (8 * (n / 2)) | (uint64_t)p[n - 1] << (8 * (n - 1));
}

/* The value of the word of N bytes (1 to 16: ASCII letters and digits)
 * at the low end of W, in lower case: a digit has bit 0x20 set already,
 * so OR-ing 0x20 into every byte folds the word. */
static inline uint64_t ascii_word_value(u128 w, unsigned n)
{
	const uint64_t lower = UINT64_C(0x2020202020202020);
	uint64_t h;

	if (n <= 8) {
		h = word_step(WORD_SEED, ((uint64_t)w | lower) & ~UINT64_C(0) >> (64 - 8 * n));
	} else {
		h = word_step(word_step(WORD_SEED, (uint64_t)w | lower),
			      ((uint64_t)(w >> 64) | lower) & ~UINT64_C(0) >> (64 - 8 * (n - 8)));
	}
	return word_value(h, n);
}

/*
 * name_key_chars for a name of 1 to 16 bytes; sets *OTHER and returns 0
 * when a byte is not ASCII or is an apostrophe.  All sixteen bytes are
 * classified at once into bit masks of word starts and ends, initials
 * are dropped from both, and each word's bytes are shifted out of the
 * name whole: 189 instructions a name where the byte loop took 272
 * (callgrind, the 57,297 such names of the 100k rows).
 */
static uint64_t name_key_short(const unsigned char *p, size_t len, int *other)
{
	uint64_t lo, hi = 0, sum = 0;

	if (len >= 8) {
		memcpy(&lo, p, 8);
		if (len > 8) {
			memcpy(&hi, p + len - 8, 8);
			hi >>= 8 * (16 - len);
		}
	} else {
		lo = load_short(p, len);
	}
	__m128i v = _mm_set_epi64x((long long)hi, (long long)lo);
	__m128i low = _mm_or_si128(v, _mm_set1_epi8(0x20));
	/* Bytes at 0x80 and above are negative: neither letters nor digits. */
	__m128i letter = _mm_and_si128(_mm_cmpgt_epi8(low, _mm_set1_epi8('a' - 1)),
				       _mm_cmplt_epi8(low, _mm_set1_epi8('z' + 1)));
	__m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8('0' - 1)),
				      _mm_cmplt_epi8(v, _mm_set1_epi8('9' + 1)));
	__m128i odd = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\'')),
				   _mm_cmpeq_epi8(v, _mm_set1_epi8('`')));

	if (_mm_movemask_epi8(_mm_or_si128(v, odd)))
		return *other = 1, 0;
	unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(letter, digit));
	unsigned starts = m & ~(m << 1), lasts = m & ~(m >> 1);
	/* A word that starts and ends on one letter is an initial. */
	unsigned initials = starts & lasts & (unsigned)_mm_movemask_epi8(letter);
	starts &= ~initials;
	lasts &= ~initials;
	if (!starts)
		return 0;
	u128 name = (u128)hi << 64 | lo;
	do {
		unsigned s = (unsigned)__builtin_ctz(starts);
		sum += ascii_word_value(name >> (8 * s), (unsigned)__builtin_ctz(lasts) - s + 1);
		starts &= starts - 1;
		lasts &= lasts - 1;
	} while (starts);
	return sum ? sum : 1;
}
#endif

uint64_t name_key(struct slice name)
{
#ifdef __SSE2__
	if (name.len - 1 < 16) {
		int other = 0;
		uint64_t key = name_key_short((const unsigned char *)name.ptr, name.len, &other);
		if (!other)
			return key;
	}
#endif
	return name_key_chars(name);
}
