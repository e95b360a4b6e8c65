/* Spreadsheet-safe cells: the rules are in excel.h. */
#include "excel.h"

enum { EXCEL_FORMULA_TEXT_MAX = 255 };

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Whether Excel would read V as a number: [sign] digits [. digits]
 * [e [sign] digits], or a plain digit string with spaces or commas as
 * thousands separators is left alone (Excel keeps those as text). */
static int looks_numeric(struct slice v)
{
	size_t i = 0, digits = 0;
	if (i < v.len && (v.ptr[i] == '+' || v.ptr[i] == '-'))
		i++;
	while (i < v.len && is_digit(v.ptr[i]))
		i++, digits++;
	if (i < v.len && v.ptr[i] == '.')
		for (i++; i < v.len && is_digit(v.ptr[i]); i++)
			digits++;
	if (!digits)
		return 0;
	if (i < v.len && (v.ptr[i] == 'e' || v.ptr[i] == 'E')) {
		size_t e = ++i;
		if (i < v.len && (v.ptr[i] == '+' || v.ptr[i] == '-'))
			i++, e++;
		while (i < v.len && is_digit(v.ptr[i]))
			i++;
		if (i == e)
			return 0;
	}
	return i == v.len;
}

/* A digit string Excel damages anywhere: leading zeros dropped, 12 or
 * more digits shown as 1.23457E+11 (and past 15, digits lost). */
static int damaged_digits(struct slice v)
{
	if (v.len < 2)
		return 0;
	for (size_t i = 0; i < v.len; i++)
		if (!is_digit(v.ptr[i]))
			return 0;
	return v.ptr[0] == '0' || v.len >= 12;
}

int excel_needs_text(struct slice v, int text)
{
	if (v.len == 0 || v.len > EXCEL_FORMULA_TEXT_MAX)
		return 0;
	return text ? looks_numeric(v) || damaged_digits(v) : damaged_digits(v);
}

static int needs_neutralising(struct slice v)
{
	if (!v.len)
		return 0;
	switch (v.ptr[0]) {
	case '=': case '+': case '-': case '@': case '\t': case '\r': case '\'':
		return 1;
	}
	return 0;
}

int excel_encode(struct outbuf *o, struct slice v, int text)
{
	if (excel_needs_text(v, text)) {
		o->len = 0;
		outbuf_lit(o, "=\"");
		for (size_t i = 0; i < v.len; i++) {
			if (v.ptr[i] == '"')
				outbuf_putc(o, '"');
			outbuf_putc(o, v.ptr[i]);
		}
		outbuf_putc(o, '"');
		return 1;
	}
	if (needs_neutralising(v)) {
		o->len = 0;
		outbuf_putc(o, '\'');
		outbuf_write(o, v.ptr, v.len);
		return 1;
	}
	return 0;
}

/* Whether V is a whole ="..." cell with only doubled quotes inside. */
static int is_text_formula(struct slice v, size_t *quotes)
{
	*quotes = 0;
	if (v.len < 3 || v.ptr[0] != '=' || v.ptr[1] != '"' || v.ptr[v.len - 1] != '"')
		return 0;
	for (size_t i = 2; i < v.len - 1; i++) {
		if (v.ptr[i] != '"')
			continue;
		if (i + 1 >= v.len - 1 || v.ptr[i + 1] != '"')
			return 0;
		i++;
		++*quotes;
	}
	return 1;
}

struct slice excel_decode(struct record *rec, struct slice v)
{
	size_t quotes;
	if (is_text_formula(v, &quotes)) {
		struct slice in = { v.ptr + 2, v.len - 3 };
		if (!quotes)
			return in;
		char *out = arena_alloc(&rec->arena, in.len - quotes + 1);
		size_t n = 0;
		if (!out)
			return SLICE_NULL;
		for (size_t i = 0; i < in.len; i++) {
			out[n++] = in.ptr[i];
			i += in.ptr[i] == '"';
		}
		return (struct slice){ out, n };
	}
	if (v.len >= 2 && v.ptr[0] == '\'' && needs_neutralising((struct slice){ v.ptr + 1, 1 }))
		return (struct slice){ v.ptr + 1, v.len - 1 };
	return v;
}
