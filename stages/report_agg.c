/*
 * The report's aggregate: counts by (field, code, severity) and by input
 * file, the worklist kept per severity, and the keys of issues.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ident.h"
#include "report.h"

enum { CHUNK_SIZE = 1 << 20 };

struct report_chunk {
	struct report_chunk *next;
	size_t used, size;
	char data[];
};

char *report_strbuf_add(struct report_strbuf *b, const void *p, size_t len)
{
	struct report_chunk *c = b->tail;

	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > CHUNK_SIZE ? len + 1 : CHUNK_SIZE;
		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->next = NULL;
		c->used = 0;
		c->size = size;
		if (b->tail)
			b->tail->next = c;
		else
			b->head = c;
		b->tail = c;
		b->bytes += sizeof(*c) + size;
	}
	char *out = c->data + c->used;
	if (len)
		memcpy(out, p, len);
	out[len] = '\0';
	c->used += len + 1;
	return out;
}

void report_strbuf_release(struct report_strbuf *b)
{
	struct report_chunk *c = b->head;
	while (c) {
		struct report_chunk *next = c->next;
		free(c);
		c = next;
	}
	*b = (struct report_strbuf){ 0 };
}

static char *dup_slice(struct report_agg *a, struct slice s)
{
	return report_strbuf_add(&a->strings, s.ptr ? s.ptr : "", s.len);
}

int report_agg_init(struct report_agg *a, size_t worklist_limit, size_t key_limit,
		    int show_values, const char *id_field)
{
	memset(a, 0, sizeof(*a));
	a->worklist_limit = worklist_limit;
	a->key_limit = key_limit;
	a->show_values = show_values;
	a->id_field = id_field;
	strmap_init(&a->group_index);
	strmap_init(&a->file_index);
	return 0;
}

void report_agg_release(struct report_agg *a)
{
	strmap_release(&a->group_index);
	strmap_release(&a->file_index);
	free(a->groups);
	free(a->files);
	for (int i = 0; i < 3; i++)
		free(a->rows[i].v);
	free(a->keys.v);
	free(a->merged);
	free(a->scratch);
	report_strbuf_release(&a->strings);
	memset(a, 0, sizeof(*a));
}

static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *p = realloc(*v, ncap * size);
	if (!p)
		return -1;
	*v = p;
	*cap = ncap;
	return 0;
}

/* Joins up to three parts with the unit separator into a->scratch. */
static struct slice join3(struct report_agg *a, struct slice x, struct slice y, struct slice z)
{
	size_t n = x.len + y.len + z.len + 2;
	if (n > a->scratch_cap) {
		char *p = realloc(a->scratch, n);
		if (!p)
			return SLICE_NULL;
		a->scratch = p;
		a->scratch_cap = n;
	}
	char *p = a->scratch;
	if (x.len)
		memcpy(p, x.ptr, x.len);
	p += x.len;
	*p++ = '\x1f';
	if (y.len)
		memcpy(p, y.ptr, y.len);
	p += y.len;
	*p++ = '\x1f';
	if (z.len)
		memcpy(p, z.ptr, z.len);
	return (struct slice){ a->scratch, n };
}

int report_agg_group(struct report_agg *a, const char *field, size_t flen, const char *code,
		     size_t clen, enum severity sev, unsigned long long count)
{
	return report_agg_group_at(a, field, flen, code, clen, sev, count, NULL);
}

int report_agg_group_at(struct report_agg *a, const char *field, size_t flen, const char *code,
			size_t clen, enum severity sev, unsigned long long count,
			const struct report_group **at)
{
	static const char sevc[3] = { 'i', 'w', 'e' };
	struct slice f = { field, flen }, c = { code, clen };
	int added;

	if (a->ngroups >= REPORT_MAX_GROUPS) {
		struct slice key = join3(a, f, c, (struct slice){ &sevc[sev], 1 });
		if (!key.ptr)
			return -1;
		if (!strmap_get(&a->group_index, key)) {
			f = SLICE_LIT(REPORT_OTHER);
			c = SLICE_LIT(REPORT_OTHER);
		}
	}
	struct slice key = join3(a, f, c, (struct slice){ &sevc[sev], 1 });
	if (!key.ptr)
		return -1;
	struct strmap_entry *e = strmap_add(&a->group_index, key, a->ngroups, &added);
	if (!e)
		return -1;
	if (added) {
		if (grow((void **)&a->groups, &a->groups_cap, a->ngroups, sizeof(*a->groups)) < 0)
			return -1;
		struct report_group *g = &a->groups[a->ngroups++];
		g->field = dup_slice(a, f);
		g->code = dup_slice(a, c);
		g->sev = sev;
		g->count = 0;
		if (!g->field || !g->code)
			return -1;
	}
	a->groups[e->value].count += count;
	if (at)
		*at = &a->groups[e->value];
	return 0;
}

struct report_file *report_agg_file(struct report_agg *a, const char *name, size_t len)
{
	struct slice key = { name ? name : "", name ? len : 0 };
	struct report_file *f = a->last_file;
	int added;

	if (f && f->name_len == key.len && memcmp(f->name, key.ptr, key.len) == 0)
		return f;
	struct strmap_entry *e = strmap_get(&a->file_index, key);
	if (!e && a->nfiles >= REPORT_MAX_FILES)
		key = SLICE_LIT(REPORT_OTHER_FILES);
	e = strmap_add(&a->file_index, key, a->nfiles, &added);
	if (!e)
		return NULL;
	if (added) {
		if (grow((void **)&a->files, &a->files_cap, a->nfiles, sizeof(*a->files)) < 0)
			return NULL;
		f = &a->files[a->nfiles++];
		memset(f, 0, sizeof(*f));
		f->name = dup_slice(a, key);
		f->name_len = key.len;
		f->other = a->nfiles > REPORT_MAX_FILES;
		if (!f->name)
			return NULL;
	}
	a->last_file = &a->files[e->value];
	return a->last_file;
}

int report_agg_row(struct report_agg *a, const struct report_row *row)
{
	struct report_rows *r = &a->rows[row->sev];
	if (r->n >= a->worklist_limit)
		return 0;
	if (grow((void **)&r->v, &r->cap, r->n, sizeof(*r->v)) < 0)
		return -1;
	struct report_row *d = &r->v[r->n];
	*d = *row;
	const char **s[] = { &d->file, &d->case_id, &d->field, &d->code, &d->value,
			     &d->suggestion, &d->message, &d->related };
	for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
		const char *v = *s[i] ? *s[i] : "";
		if (!(*s[i] = report_strbuf_add(&a->strings, v, strlen(v))))
			return -1;
	}
	r->n++;
	return 0;
}

int report_agg_key_interned(struct report_agg *a, const char *id, const char *field,
			    const char *code, enum severity sev)
{
	struct report_keys *k = &a->keys;
	k->total++;
	if (k->n >= a->key_limit)
		return 0;
	if (grow((void **)&k->v, &k->cap, k->n, sizeof(*k->v)) < 0)
		return -1;
	k->v[k->n++] = (struct report_key){ id, field, code, sev };
	return 0;
}

int report_agg_key(struct report_agg *a, const char *id, const char *field, const char *code,
		   enum severity sev)
{
	const struct report_group *g;
	const char *idc;
	if (a->keys.n >= a->key_limit)
		return report_agg_key_interned(a, NULL, NULL, NULL, sev);
	/* The field and code are the group's copies; the identity is shared
	 * with the previous key when it is the same. */
	if (report_agg_group_at(a, field, strlen(field), code, strlen(code), sev, 0, &g) < 0)
		return -1;
	if (a->keys.n && strcmp(a->keys.v[a->keys.n - 1].id, id) == 0)
		idc = a->keys.v[a->keys.n - 1].id;
	else if (!(idc = report_strbuf_add(&a->strings, id, strlen(id))))
		return -1;
	return report_agg_key_interned(a, idc, g->field, g->code, sev);
}

/* Secrets (online access codes, passcodes) are never printed. */
static int is_secret(struct slice field)
{
	static const char *const words[] = { "access_code", "access code", "accesscode", "passcode" };
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		size_t n = strlen(words[i]);
		for (size_t j = 0; j + n <= field.len; j++)
			if (strncasecmp(field.ptr + j, words[i], n) == 0)
				return 1;
	}
	return 0;
}

static int starts_with(struct slice s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.len >= n && memcmp(s.ptr, prefix, n) == 0;
}

/* A-Numbers and account numbers are masked unless --show-values. */
static int is_sensitive(struct slice field, struct slice code)
{
	return slice_eq(field, SLICE_LIT("a_number")) ||
	       slice_eq(field, SLICE_LIT("uscis_online_account_number")) ||
	       starts_with(code, "anumber.") || starts_with(code, "oan.");
}

/* The value as the input had it: the _raw original, else the value. */
static struct slice input_value(const struct record *rec, struct slice field)
{
	if (!field.len)
		return SLICE_NULL;
	for (size_t i = 0; i < rec->nraw; i++)
		if (slice_eq(rec->raw[i].name, field))
			return rec->raw[i].value;
	struct field *f = record_find(rec, field);
	return f ? f->value : SLICE_NULL;
}

const char *report_shown_value(const struct report_agg *a, struct slice field, struct slice code,
			       struct slice s, char *buf, size_t size)
{
	if (!s.len)
		return "";
	if (is_secret(field))
		return "(hidden)";
	if (!a->show_values && is_sensitive(field, code)) {
		ident_mask(s.ptr, s.len, buf, size);
		return buf;
	}
	size_t n = s.len < size - 1 ? s.len : size - 1;
	memcpy(buf, s.ptr, n);
	buf[n] = '\0';
	return buf;
}

/* Copies S into BUF as a C string, truncated to fit. */
static const char *cstr(struct slice s, char *buf, size_t size)
{
	size_t n = s.len < size - 1 ? s.len : size - 1;
	if (n)
		memcpy(buf, s.ptr, n);
	buf[n] = '\0';
	return buf;
}

void report_locator(char *buf, size_t size, const char *file, unsigned long long line,
		    unsigned long long record)
{
	if (line)
		snprintf(buf, size, "%s:%llu", file, line);
	else if (record)
		snprintf(buf, size, "%s#%llu", file, record);
	else
		snprintf(buf, size, "%s", file);
}

enum { VALUE_MAX = 512, ID_MAX = 512 };

int report_agg_record(struct report_agg *a, const struct record *rec)
{
	struct report_file *f = report_agg_file(a, rec->source.file.ptr, rec->source.file.len);

	if (!f)
		return -1;
	a->records++;
	f->records++;
	if (rec->source.record > f->last_record)
		f->last_record = rec->source.record;
	if (!rec->nissues)
		return 0;

	int worst = -1;
	const char *idcopy = NULL;
	char file[ID_MAX], id[ID_MAX], fieldbuf[256], codebuf[128];
	char value[VALUE_MAX], sugg[VALUE_MAX], msg[VALUE_MAX], related[ID_MAX];
	cstr(rec->source.file, file, sizeof(file));
	struct field *idf = record_find(rec, slice_of(a->id_field));
	if (idf && idf->value.len)
		cstr(idf->value, id, sizeof(id));
	else
		report_locator(id, sizeof(id), file, rec->source.line, rec->source.record);

	for (size_t i = 0; i < rec->nissues; i++) {
		const struct issue *is = &rec->issues[i];
		enum severity sev = is->severity > SEV_ERROR ? SEV_ERROR : is->severity;
		if ((int)sev > worst)
			worst = (int)sev;
		a->issues[sev]++;
		f->issues++;
		const struct report_group *g;
		if (report_agg_group_at(a, is->field.ptr, is->field.len, is->code.ptr, is->code.len,
					sev, 1, &g) < 0)
			return -1;
		cstr(is->field, fieldbuf, sizeof(fieldbuf));
		cstr(is->code, codebuf, sizeof(codebuf));
		if (a->rows[sev].n < a->worklist_limit) {
			struct report_row row = {
				.file = file,
				.field = fieldbuf,
				.code = codebuf,
				.line = rec->source.line,
				.record = rec->source.record,
				.sev = sev,
			};
			char cid[ID_MAX];
			row.case_id = idf ? cstr(idf->value, cid, sizeof(cid)) : "";
			row.value = report_shown_value(a, is->field, is->code, input_value(rec, is->field),
						value, sizeof(value));
			row.suggestion = report_shown_value(a, is->field, is->code, is->suggestion,
						     sugg, sizeof(sugg));
			row.message = cstr(is->message, msg, sizeof(msg));
			row.related = cstr(is->related, related, sizeof(related));
			if (report_agg_row(a, &row) < 0)
				return -1;
		}
		if (a->keys.n < a->key_limit && !idcopy &&
		    !(idcopy = report_strbuf_add(&a->strings, id, strlen(id))))
			return -1;
		if (report_agg_key_interned(a, idcopy, g->field, g->code, sev) < 0)
			return -1;
	}
	a->with_issues++;
	if (worst == SEV_ERROR) {
		a->with_errors++;
		f->with_errors++;
	} else if (worst == SEV_WARNING) {
		a->with_warnings++;
		f->with_warnings++;
	}
	return 0;
}

unsigned long long report_file_rejected(const struct report_file *f)
{
	if (f->other || f->last_record <= f->records)
		return 0;
	return f->last_record - f->records;
}

unsigned long long report_agg_rejected(const struct report_agg *a)
{
	unsigned long long n = 0;
	for (size_t i = 0; i < a->nfiles; i++)
		n += report_file_rejected(&a->files[i]);
	return n;
}

size_t report_agg_worklist(const struct report_agg *a, const struct report_row **out, size_t max)
{
	size_t n = 0;
	for (int sev = SEV_ERROR; sev >= SEV_INFO; sev--)
		for (size_t i = 0; i < a->rows[sev].n && n < max && n < a->worklist_limit; i++)
			out[n++] = &a->rows[sev].v[i];
	return n;
}

static int group_cmp(const void *x, const void *y)
{
	const struct report_group *a = *(const struct report_group *const *)x;
	const struct report_group *b = *(const struct report_group *const *)y;
	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	int c = strcmp(a->field, b->field);
	return c ? c : strcmp(a->code, b->code);
}

const struct report_group **report_agg_sorted_groups(const struct report_agg *a)
{
	const struct report_group **v = malloc((a->ngroups + 1) * sizeof(*v));
	if (!v)
		return NULL;
	for (size_t i = 0; i < a->ngroups; i++)
		v[i] = &a->groups[i];
	qsort(v, a->ngroups, sizeof(*v), group_cmp);
	return v;
}
