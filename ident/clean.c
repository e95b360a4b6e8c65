#include <string.h>

#include "ident_int.h"

/* Step 1: trims spaces (ASCII and Unicode) at both ends.  An ASCII end
 * is judged inline: the two calls cost more than the rest of trim. */
static void trim(const char **p, size_t *n)
{
	size_t k;

	while (*n > 0 && (k = (unsigned char)(*p)[0] < 0x80 ?
				  (size_t)is_ascii_space((unsigned char)(*p)[0]) :
				  space_at(*p, *n)) > 0) {
		*p += k;
		*n -= k;
	}
	while (*n > 0 && (k = (unsigned char)(*p)[*n - 1] < 0x80 ?
				  (size_t)is_ascii_space((unsigned char)(*p)[*n - 1]) :
				  space_before(*p, *n)) > 0)
		*n -= k;
}

/* Step 2: strips an Excel ="..." wrapper, then a leading ' or U+2019. */
static void strip_wrappers(const char **p, size_t *n)
{
	if (*n >= 3 && (*p)[0] == '=' && (*p)[1] == '"' && (*p)[*n - 1] == '"') {
		*p += 2;
		*n -= 3;
		trim(p, n);
	}
	if (*n >= 1 && (*p)[0] == '\'') {
		*p += 1;
		*n -= 1;
		trim(p, n);
	} else if (*n >= 3 && memcmp(*p, "\xE2\x80\x99", 3) == 0) {
		*p += 3;
		*n -= 3;
		trim(p, n);
	}
}

/* remove_separators, with the bound checks only when CHECKED: a byte is
 * kept, folded or dropped, never widened, so an input shorter than the
 * buffer always fits (the checks cost a quarter of the loop). */
static inline size_t remove_separators_loop(const char *p, size_t n, char *out,
					    size_t outsize, int *changed, int checked)
{
	size_t len = 0;

	for (size_t i = 0; i < n;) {
		char ch = p[i];
		size_t k;

		if (is_digit(ch) || is_upper(ch)) {	/* the common case */
			if (checked && len + 1 >= outsize)
				return (size_t)-1;
			out[len++] = ch;
			i++;
			continue;
		}
		/* ASCII inline: a call for each separator cost a fifth of the
		 * loop. */
		k = (unsigned char)ch < 0x80 ? (size_t)is_ascii_separator((unsigned char)ch) :
					       separator_at(p + i, n - i);
		if (k == 0 && ch == '.' && len > 0 && is_digit(out[len - 1]) &&
		    i + 1 < n && is_digit(p[i + 1]))
			k = 1;
		if (k > 0) {
			i += k;
			*changed = 1;
			continue;
		}
		if (ch >= 'a' && ch <= 'z') {
			ch = (char)(ch - 'a' + 'A');
			*changed = 1;
		}
		if (checked && len + 1 >= outsize)
			return (size_t)-1;
		out[len++] = ch;
		i++;
	}
	out[len] = '\0';
	return len;
}

size_t remove_separators(const char *p, size_t n, char *out, size_t outsize,
			 int *changed)
{
	if (n < outsize)
		return remove_separators_loop(p, n, out, outsize, changed, 0);
	return remove_separators_loop(p, n, out, outsize, changed, 1);
}

/* Step 3: placeholders are compared after step 5, against words that
 * were put through step 5 when loaded, so "N/A", "n a" and "N-A" all
 * match; a value made only of separators ("-", "--", an em dash) is a
 * placeholder too.  The words are sorted longest first (rules.c), so the
 * search ends at the first word shorter than the value. */
static int is_placeholder(const struct ident_rules *rules, const char *s,
			  size_t len)
{
	if (len == 0)
		return 1;
	for (int i = 0; i < rules->nplaceholders; i++) {
		const struct ident_word *w = &rules->placeholders[i];

		if (w->len < len)
			break;
		if (w->len == len && memcmp(w->text, s, len) == 0)
			return 1;
	}
	return 0;
}

static void set_empty(struct ident_cleaned *c)
{
	c->len = 0;
	c->s[0] = '\0';
}

void ident_clean(const struct ident_rules *rules, const char *p, size_t n,
		 struct ident_cleaned *c)
{
	size_t original = n;
	int changed = 0;

	c->flags = 0;
	if (already_clean(p, n)) {
		copy_value(c->s, p, n);
		c->s[n] = '\0';
		c->len = n;
		goto placeholder;
	}
	set_empty(c);
	trim(&p, &n);
	strip_wrappers(&p, &n);
	if (n != original)
		c->flags |= CLEAN_REFORMATTED;
	if (n == 0)
		return;

	switch (judge_float(p, n, c->s, sizeof c->s, &c->len)) {
	case FLOAT_SUFFIX:
		c->flags |= CLEAN_FLOAT_SUFFIX;
		return;
	case FLOAT_RECOVERED:
		c->flags |= CLEAN_SCIENTIFIC_RECOVERED;
		return;
	case FLOAT_LOST:
		c->flags |= CLEAN_SCIENTIFIC_LOST;
		return;
	case FLOAT_NONE:
		break;
	}

	c->len = remove_separators(p, n, c->s, sizeof c->s, &changed);
	if (c->len == (size_t)-1) {
		set_empty(c);
		c->flags |= CLEAN_OVERFLOW;
		return;
	}
	if (changed)
		c->flags |= CLEAN_REFORMATTED;
placeholder:
	if (is_placeholder(rules, c->s, c->len)) {
		set_empty(c);
		c->flags |= CLEAN_PLACEHOLDER;
	}
}
