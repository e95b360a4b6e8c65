#include <stdio.h>
#include <stdlib.h>

#include "array.h"
#include "record.h"

void record_init(struct record *rec)
{
	memset(rec, 0, sizeof(*rec));
}

void record_clear(struct record *rec)
{
	rec->nfields = 0;
	rec->nraw = 0;
	rec->nissues = 0;
	rec->note = (struct record_note){ NULL, NULL };
	memset(&rec->source, 0, sizeof(rec->source));
	arena_reset(&rec->arena);
}

void record_release(struct record *rec)
{
	free(rec->fields);
	free(rec->raw);
	free(rec->issues);
	arena_release(&rec->arena);
	record_init(rec);
}

struct slice record_copy(struct record *rec, const void *bytes, size_t len)
{
	char *p = arena_memdup(&rec->arena, bytes, len);
	return p ? (struct slice){ p, len } : SLICE_NULL;
}

static int field_list_append(struct field **list, size_t *n, size_t *cap,
			     struct slice name, struct slice value)
{
	if (array_grow((void **)list, cap, *n, sizeof(**list)) < 0)
		return -1;
	(*list)[(*n)++] = (struct field){ name, value };
	return 0;
}

static struct field *field_list_find(struct field *list, size_t n, struct slice name)
{
	for (size_t i = 0; i < n; i++)
		if (slice_eq(list[i].name, name))
			return &list[i];
	return NULL;
}

int record_append_slow(struct record *rec, struct slice name, struct slice value)
{
	return field_list_append(&rec->fields, &rec->nfields, &rec->fields_cap, name, value);
}

struct field *record_find(const struct record *rec, struct slice name)
{
	return field_list_find(rec->fields, rec->nfields, name);
}

int record_set(struct record *rec, struct slice name, struct slice value)
{
	struct field *f = record_find(rec, name);
	if (f) {
		f->value = value;
		return 0;
	}
	return record_append(rec, name, value);
}

int record_set_raw(struct record *rec, struct slice name, struct slice value)
{
	if (field_list_find(rec->raw, rec->nraw, name))
		return 0;
	return field_list_append(&rec->raw, &rec->nraw, &rec->raw_cap, name, value);
}

int record_add_issue(struct record *rec, const struct issue *issue)
{
	if (array_grow((void **)&rec->issues, &rec->issues_cap, rec->nissues, sizeof(*issue)) < 0)
		return -1;
	rec->issues[rec->nissues++] = *issue;
	return 0;
}

size_t record_count_issues(const struct record *rec, enum severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < rec->nissues; i++)
		n += rec->issues[i].severity >= sev;
	return n;
}

const char *record_source_text(const struct record_source *src, char *buf, size_t size)
{
	int f = (int)(src->file.len > 1000 ? 1000 : src->file.len);
	int s = (int)(src->sheet.len > 200 ? 200 : src->sheet.len);

	if (src->line && src->sheet.len)
		snprintf(buf, size, "%.*s:%.*s!%lu", f, src->file.ptr, s, src->sheet.ptr, src->line);
	else if (src->line)
		snprintf(buf, size, "%.*s:%lu", f, src->file.ptr, src->line);
	else
		snprintf(buf, size, "%.*s: record %lu", f, src->file.ptr, src->record);
	return buf;
}
