#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include "crossrec.h"

uint64_t crossrec_mix(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* ---- keyset ----------------------------------------------------------- */

enum { KEYSET_MIN = 64 };

void keyset_init(struct keyset *s, uint64_t match)
{
	*s = (struct keyset){ .match = match };
}

/* Large tables are mapped, not malloc'd: a freed table then goes back to
 * the system at once instead of staying in malloc's heap, where the
 * tables' growth would leave holes that count in the peak RSS.  They are
 * aligned to 2 MiB and asked for huge pages, as every probe is a random
 * access: with 4 KiB pages each would also miss the TLB. */
enum { MAP_MIN = 1 << 20 };
#define HUGE_PAGE ((size_t)2 << 20)

static size_t map_size(size_t cap)
{
	return (cap * sizeof(struct keyslot) + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

static struct keyslot *slots_alloc(size_t cap)
{
	if (cap * sizeof(struct keyslot) < MAP_MIN)
		return calloc(cap, sizeof(struct keyslot));
	size_t size = map_size(cap);
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
	return (struct keyslot *)p;
}

static void slots_free(struct keyslot *slots, size_t cap)
{
	if (cap * sizeof(struct keyslot) < MAP_MIN)
		free(slots);
	else if (slots)
		munmap(slots, map_size(cap));
}

void keyset_release(struct keyset *s)
{
	slots_free(s->slots, s->cap);
	keyset_init(s, s->match);
}

static inline uint64_t slot_key(const struct keyslot *k)
{
	return (uint64_t)k->hi << 32 | k->lo;
}

/* The home slot of KEY: the table size need not be a power of two. */
static inline size_t home(const struct keyset *s, uint64_t key)
{
	uint64_t h = crossrec_mix(key & s->match) >> 32;
	return (size_t)((h * (uint64_t)s->cap) >> 32);
}

void keyset_prefetch(const struct keyset *s, uint64_t key)
{
	if (s->cap)
		__builtin_prefetch(&s->slots[home(s, key)]);
}

static size_t probe(const struct keyset *s, uint64_t key)
{
	size_t i = home(s, key);
	uint64_t want = key & s->match;

	for (;;) {
		uint64_t k = slot_key(&s->slots[i]);
		if (!k || (k & s->match) == want)
			return i;
		if (++i == s->cap)
			i = 0;
	}
}

/* Grows by half at 87.5% full (the table stays 58% to 87.5% full). */
static int keyset_grow(struct keyset *s)
{
	size_t ncap = s->cap ? s->cap + s->cap / 2 : KEYSET_MIN;
	struct keyset n = { .match = s->match, .cap = ncap, .count = s->count };

	if (ncap > UINT32_MAX)
		return -1;
	n.slots = slots_alloc(ncap);
	if (!n.slots)
		return -1;
	/* Prefetch a few entries ahead: each one goes to a random place. */
	enum { AHEAD = 8 };
	for (size_t i = 0; i < s->cap; i++) {
		if (i + AHEAD < s->cap && slot_key(&s->slots[i + AHEAD]))
			keyset_prefetch(&n, slot_key(&s->slots[i + AHEAD]));
		if (slot_key(&s->slots[i]))
			n.slots[probe(&n, slot_key(&s->slots[i]))] = s->slots[i];
	}
	slots_free(s->slots, s->cap);
	*s = n;
	return 0;
}

int keyset_add(struct keyset *s, uint64_t key, uint32_t val, uint64_t *old_key,
	       uint32_t *old_val)
{
	if ((s->count + 1) * 8 > s->cap * 7 && keyset_grow(s) < 0)
		return -1;
	struct keyslot *k = &s->slots[probe(s, key)];
	if (k->lo | k->hi) {
		*old_key = slot_key(k);
		*old_val = k->val;
		return 0;
	}
	*k = (struct keyslot){ (uint32_t)key, (uint32_t)(key >> 32), val };
	s->count++;
	return 1;
}

size_t keyset_bytes(const struct keyset *s)
{
	return s->cap * sizeof(*s->slots);
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

void idset_prefetch(const struct idset *s, uint64_t packed)
{
	if (packed && packed <= s->fast.match)
		keyset_prefetch(&s->fast, packed);
}

size_t idset_bytes(const struct idset *s)
{
	return keyset_bytes(&s->fast) + s->slow.cap * sizeof(*s->slow.slots) +
	       s->slow.count * 16;
}

uint64_t pack_receipt(struct slice s)
{
	uint64_t v = 0;

	if (s.len != 13)
		return 0;
	for (size_t i = 0; i < 3; i++) {
		if (s.ptr[i] < 'A' || s.ptr[i] > 'Z')
			return 0;
		v = v * 26 + (uint64_t)(s.ptr[i] - 'A');
	}
	for (size_t i = 3; i < 13; i++) {
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(s.ptr[i] - '0');
	}
	return v + 1;
}

uint64_t pack_digits(struct slice s, char letter, unsigned maxdigits)
{
	size_t i = 0;
	uint64_t v = 0;

	if (letter) {
		if (s.len == 0 || s.ptr[0] != letter)
			return 0;
		i = 1;
	}
	if (s.len == i || s.len - i > maxdigits || maxdigits > 18)
		return 0;
	for (; i < s.len; i++) {
		if (s.ptr[i] < '0' || s.ptr[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(s.ptr[i] - '0');
	}
	return v + 1;
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

uint32_t locators_add(struct locators *l, const struct record_source *src)
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
	const char *to;
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
		for (size_t i = 0; i < sizeof(folds) / sizeof(folds[0]); i++) {
			if (c >= folds[i].lo && c <= folds[i].hi) {
				*n = strlen(folds[i].to);
				memcpy(out, folds[i].to, *n);
				return C_LETTER;
			}
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

/* The key of a name being built: a sum of word hashes, so that the order
 * of words does not count. */
struct name_acc {
	uint64_t sum, h;  /* words so far; the current word's FNV-1a hash */
	size_t nletters;  /* in the current word */
	int words;        /* a word was counted */
	int ascii_letter; /* the current word's last letter is an ASCII letter */
};

static inline void acc_letter(struct name_acc *a, const char *out, size_t n, int ascii_letter)
{
	if (a->nletters++ == 0)
		a->h = 1469598103934665603ULL;
	a->ascii_letter = ascii_letter;
	for (size_t j = 0; j < n; j++) {
		a->h ^= (unsigned char)out[j];
		a->h *= 1099511628211ULL;
	}
}

static inline void acc_end_word(struct name_acc *a)
{
	if (!a->nletters)
		return;
	/* One ASCII letter is an initial. */
	if (!(a->nletters == 1 && a->ascii_letter)) {
		a->sum += crossrec_mix(a->h);
		a->words = 1;
	}
	a->nletters = 0;
}

/* fold() and the steps after it for a one-byte character, the common case. */
static inline void acc_ascii(struct name_acc *a, char c)
{
	if (c >= '0' && c <= '9') {
		acc_letter(a, &c, 1, 0);
	} else if (c >= 'a' && c <= 'z') {
		acc_letter(a, &c, 1, 1);
	} else if (c >= 'A' && c <= 'Z') {
		c = (char)(c + 32);
		acc_letter(a, &c, 1, 1);
	} else if (c != '\'' && c != '`') {
		acc_end_word(a);
	}
}

uint64_t name_key(struct slice name)
{
	const unsigned char *p = (const unsigned char *)name.ptr;
	struct name_acc a = { 0 };

	for (size_t i = 0; i < name.len;) {
		if (p[i] < 0x80) {
			acc_ascii(&a, (char)p[i++]);
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
