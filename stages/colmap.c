#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colmap.h"
#include "json_file.h"
#include "strmap.h"

enum { KEY_MAX = 256 };

struct colmap {
	struct strmap abbrev;   /* word -> index into words */
	char **words;           /* meanings of abbreviations */
	size_t nwords;
	struct strmap aliases;  /* normalised alias -> index into fields */
	struct slice *fields;   /* canonical names */
	size_t nfields;
	struct strmap cache;    /* input name -> field index + 1, or 0 */
	int recording;
	struct slice *seen;     /* names looked up, in first-seen order */
	size_t nseen, seen_cap;
};

static int is_word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/* Appends the meaning of word W (lower case already) to the key. */
static size_t put_word(const struct colmap *m, const char *w, size_t len, char *out, size_t n)
{
	const struct strmap_entry *e = m ? strmap_get(&m->abbrev, (struct slice){ w, len }) : NULL;
	if (e) {
		w = m->words[e->value];
		len = strlen(w);
	}
	for (size_t i = 0; i < len && n < KEY_MAX; i++)
		if (w[i] != ' ')
			out[n++] = w[i];
	return n;
}

/*
 * Normalises a column name into OUT (KEY_MAX bytes): words are runs of
 * letters and digits, split also where a lower-case letter meets an upper
 * case one ("ReceiptNo"); '#' is a word of its own; everything else
 * separates.  Returns the key's length.
 */
static size_t normalise_name(const struct colmap *m, struct slice name, char *out)
{
	char word[KEY_MAX];
	size_t n = 0, wl = 0;
	const unsigned char *p = (const unsigned char *)name.ptr;

	for (size_t i = 0; i <= name.len; i++) {
		int c = i < name.len ? p[i] : ' ';
		int camel = wl && i > 0 && islower(p[i - 1]) && isupper(c);
		if ((!is_word_byte((unsigned char)c) || camel) && wl) {
			n = put_word(m, word, wl, out, n);
			wl = 0;
		}
		if (c == '#')
			n = put_word(m, "#", 1, out, n);
		else if (is_word_byte((unsigned char)c) && wl < sizeof(word))
			word[wl++] = (char)tolower(c);
	}
	return n;
}

/* Writes "PATH: what is wrong" into ERR for a schema that loads but says
 * something impossible; returns -1 with errno EINVAL (not out of memory). */
static int schema_error(char *err, size_t errlen, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int schema_error(char *err, size_t errlen, const char *path, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(err, errlen, "%s: ", path);

	if (n >= 0 && (size_t)n < errlen) {
		va_start(ap, fmt);
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	errno = EINVAL;
	return -1;
}

static int add_alias(struct colmap *m, const char *alias, size_t field, char *err, size_t errlen,
		     const char *path)
{
	char key[KEY_MAX];
	int added;
	size_t n = normalise_name(m, slice_of(alias), key);
	struct strmap_entry *e = strmap_add(&m->aliases, (struct slice){ key, n }, field, &added);
	if (!e) {
		snprintf(err, errlen, "%s: out of memory", path);
		errno = ENOMEM;
		return -1;
	}
	if (!added && e->value != field)
		return schema_error(err, errlen, path, "alias '%s' of %.*s is also an alias of %.*s", alias,
				    (int)m->fields[field].len, m->fields[field].ptr,
				    (int)m->fields[e->value].len, m->fields[e->value].ptr);
	return 0;
}

static int load_abbreviations(struct colmap *m, json_t *abbrev, char *err, size_t errlen, const char *path)
{
	const char *word;
	json_t *meaning;
	int added;

	m->words = calloc(json_object_size(abbrev) + 1, sizeof(*m->words));
	if (!m->words)
		return -1;
	json_object_foreach(abbrev, word, meaning) {
		if (!json_is_string(meaning))
			return schema_error(err, errlen, path, "abbreviations: '%s' must map to a string", word);
		m->words[m->nwords] = strdup(json_string_value(meaning));
		if (!m->words[m->nwords] ||
		    !strmap_add(&m->abbrev, slice_of(word), m->nwords, &added))
			return -1;
		m->nwords++;
	}
	return 0;
}

static int load_fields(struct colmap *m, json_t *fields, char *err, size_t errlen, const char *path)
{
	const char *name;
	json_t *aliases, *alias;
	size_t i;

	m->fields = calloc(json_object_size(fields) + 1, sizeof(*m->fields));
	if (!m->fields)
		return -1;
	json_object_foreach(fields, name, aliases) {
		size_t f = m->nfields++;
		char *copy = strdup(name);
		if (!copy)
			return -1;
		m->fields[f] = slice_of(copy);
		if (!json_is_array(aliases))
			return schema_error(err, errlen, path, "fields: '%s' must map to an array of aliases", name);
		if (add_alias(m, name, f, err, errlen, path) < 0)
			return -1;
		json_array_foreach(aliases, i, alias) {
			if (!json_is_string(alias))
				return schema_error(err, errlen, path, "fields: aliases of '%s' must be strings", name);
			if (add_alias(m, json_string_value(alias), f, err, errlen, path) < 0)
				return -1;
		}
	}
	return 0;
}

struct colmap *colmap_load(const char *path, char *err, size_t errlen)
{
	json_error_t jerr;
	int out_of_memory;
	json_t *root = json_file_load(path, JSON_REJECT_DUPLICATES, &jerr, &out_of_memory);
	struct colmap *m = NULL;
	int saved;

	if (!root) {
		if (out_of_memory || jerr.line < 0)
			snprintf(err, errlen, "%s: %s", path, jerr.text);
		else
			snprintf(err, errlen, "%s:%d:%d: %s", path, jerr.line, jerr.column, jerr.text);
		errno = out_of_memory ? ENOMEM : EINVAL;
		return NULL;
	}
	json_t *abbrev = json_object_get(root, "abbreviations");
	json_t *fields = json_object_get(root, "fields");
	if (!json_is_object(fields) || (abbrev && !json_is_object(abbrev))) {
		schema_error(err, errlen, path, "needs an object \"fields\" (and \"abbreviations\", if any, an object)");
		goto out;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		goto nomem;
	snprintf(err, errlen, "%s: out of memory", path);
	if ((abbrev && load_abbreviations(m, abbrev, err, errlen, path) < 0) ||
	    load_fields(m, fields, err, errlen, path) < 0) {
		colmap_free(m);
		m = NULL;
	}
	goto out;
nomem:
	snprintf(err, errlen, "%s: out of memory", path);
out:
	saved = errno;
	json_decref(root);
	errno = saved;
	return m;
}

void colmap_free(struct colmap *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nwords; i++)
		free(m->words[i]);
	for (size_t i = 0; i < m->nfields; i++)
		free((char *)m->fields[i].ptr);
	free(m->words);
	free(m->fields);
	free(m->seen);
	strmap_release(&m->abbrev);
	strmap_release(&m->aliases);
	strmap_release(&m->cache);
	free(m);
}

static void remember(struct colmap *m, struct slice key)
{
	if (m->nseen == m->seen_cap) {
		size_t cap = m->seen_cap ? m->seen_cap * 2 : 32;
		struct slice *p = realloc(m->seen, cap * sizeof(*p));
		if (!p)
			return; /* --show-mapping then lists fewer names */
		m->seen = p;
		m->seen_cap = cap;
	}
	m->seen[m->nseen++] = key;
}

struct slice colmap_lookup(struct colmap *m, struct slice name)
{
	struct strmap_entry *e = strmap_get(&m->cache, name);
	if (!e) {
		char key[KEY_MAX];
		size_t n = normalise_name(m, name, key);
		struct strmap_entry *a = strmap_get(&m->aliases, (struct slice){ key, n });
		int added;
		e = strmap_add(&m->cache, name, a ? a->value + 1 : 0, &added);
		if (!e) /* out of memory: answer without caching */
			return a ? m->fields[a->value] : SLICE_NULL;
		if (m->recording)
			remember(m, e->key);
	}
	return e->value ? m->fields[e->value - 1] : SLICE_NULL;
}

void colmap_record_lookups(struct colmap *m)
{
	m->recording = 1;
}

void colmap_print(struct colmap *m, const char *title, FILE *fp)
{
	fprintf(fp, "%s\n", title);
	for (size_t i = 0; i < m->nseen; i++) {
		struct slice to = colmap_lookup(m, m->seen[i]);
		fprintf(fp, "  %-32.*s %.*s\n", (int)m->seen[i].len, m->seen[i].ptr,
			to.ptr ? (int)to.len : 6, to.ptr ? to.ptr : "(kept)");
	}
}
