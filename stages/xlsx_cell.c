#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "array.h"
#include "xlsx_cell.h"

/* Significant digits kept for a value with a fraction (Excel's). */
enum { EXCEL_DIGITS = 15, MAX_DIGITS = 64, MAX_EXPONENT = 330 };

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Reads V[0..N) as sign, digits, point, digits, exponent into the
 * significant digits DIG (no leading or trailing zeros) and the exponent
 * *E such that the value is 0.DIG x 10^E.  Returns the digit count, or -1
 * when V is not such a number or is out of this rule's range.
 */
static int read_decimal(const char *v, size_t n, char *dig, long *e, int *neg)
{
	size_t i = 0;
	int nd = 0, seen_point = 0, any = 0;
	long exp10 = 0;

	*neg = 0;
	if (i < n && (v[i] == '-' || v[i] == '+'))
		*neg = v[i++] == '-';
	for (; i < n; i++) {
		char c = v[i];
		if (c == '.' && !seen_point) {
			seen_point = 1;
			continue;
		}
		if (!is_digit(c))
			break;
		any = 1;
		if (nd == 0 && c == '0') {
			if (seen_point)
				exp10--;
			continue;
		}
		if (nd == MAX_DIGITS)
			return -1;
		dig[nd++] = c;
		if (!seen_point)
			exp10++;
	}
	if (!any)
		return -1;
	if (i < n && (v[i] == 'e' || v[i] == 'E')) {
		int eneg = 0;
		long x = 0;
		i++;
		if (i < n && (v[i] == '-' || v[i] == '+'))
			eneg = v[i++] == '-';
		if (i == n || !is_digit(v[i]))
			return -1;
		for (; i < n && is_digit(v[i]); i++)
			if ((x = x * 10 + (v[i] - '0')) > 100000)
				return -1;
		exp10 += eneg ? -x : x;
	}
	if (i != n)
		return -1;
	while (nd > 0 && dig[nd - 1] == '0')
		nd--;
	if (nd == 0)
		exp10 = 0;
	if (exp10 > MAX_EXPONENT || exp10 < -MAX_EXPONENT)
		return -1;
	*e = exp10;
	return nd;
}

/* Rounds DIG[0..ND) to KEEP digits, half away from zero; returns the new
 * count (trailing zeros dropped) and may raise *E. */
static int round_digits(char *dig, int nd, int keep, long *e)
{
	if (nd <= keep)
		return nd;
	int up = dig[keep] >= '5';
	nd = keep;
	for (int i = nd - 1; up && i >= 0; i--) {
		if (dig[i] == '9') {
			dig[i] = '0';
		} else {
			dig[i]++;
			up = 0;
		}
	}
	if (up) { /* 999... became 1000... */
		dig[0] = '1';
		nd = 1;
		(*e)++;
	}
	while (nd > 0 && dig[nd - 1] == '0')
		nd--;
	return nd;
}

size_t xlsx_number_text(const char *v, size_t n, char *out)
{
	char dig[MAX_DIGITS];
	long e;
	int neg;
	int nd = read_decimal(v, n, dig, &e, &neg);
	size_t o = 0;

	if (nd < 0)
		return 0;
	if (nd > EXCEL_DIGITS && e < nd)
		nd = round_digits(dig, nd, EXCEL_DIGITS, &e);
	if (nd == 0) {
		out[0] = '0';
		return 1;
	}
	if (neg)
		out[o++] = '-';
	if (e <= 0) {
		out[o++] = '0';
		out[o++] = '.';
		for (long i = 0; i < -e; i++)
			out[o++] = '0';
		memcpy(out + o, dig, (size_t)nd);
		return o + (size_t)nd;
	}
	for (long i = 0; i < e || i < nd; i++) {
		if (i == e)
			out[o++] = '.';
		out[o++] = i < nd ? dig[i] : '0';
	}
	return o;
}

/* Days from 1970-01-01 to the day before each system's serial 1. */
enum { DAY0_1900 = -25568, DAY0_1900_AFTER_LEAP = -25569, DAY0_1904 = -24107 };
enum { LAST_SERIAL_1900 = 2958465, LAST_SERIAL_1904 = 2957003 };

size_t xlsx_date_text(const char *v, size_t n, int date1904, enum xlsx_kind kind, char *out)
{
	char num[80];
	char *end;

	if (kind == XLSX_NUMBER || n == 0 || n >= sizeof(num))
		return 0;
	memcpy(num, v, n);
	num[n] = '\0';
	double serial = strtod(num, &end);
	if (*end || !isfinite(serial) || serial < 0 ||
	    serial >= (date1904 ? LAST_SERIAL_1904 : LAST_SERIAL_1900) + 1.0)
		return 0;
	long days = (long)floor(serial);
	long secs = lround((serial - (double)days) * 86400.0);
	if (secs >= 86400) {
		days++;
		secs -= 86400;
	}
	int hh = (int)(secs / 3600), mm = (int)(secs / 60 % 60), ss = (int)(secs % 60);
	if (kind == XLSX_TIME && days == 0)
		return (size_t)snprintf(out, XLSX_TEXT_MAX, "%02d:%02d:%02d", hh, mm, ss);
	size_t o;
	if (!date1904 && days == 0) {
		o = (size_t)snprintf(out, XLSX_TEXT_MAX, "1900-01-00");
	} else if (!date1904 && days == 60) {
		o = (size_t)snprintf(out, XLSX_TEXT_MAX, "1900-02-29");
	} else {
		long day0 = date1904 ? DAY0_1904 : days < 60 ? DAY0_1900 : DAY0_1900_AFTER_LEAP;
		time_t t = (time_t)(day0 + days) * 86400;
		struct tm tm;
		if (!gmtime_r(&t, &tm))
			return 0;
		o = (size_t)snprintf(out, XLSX_TEXT_MAX, "%04d-%02d-%02d", tm.tm_year + 1900,
				     tm.tm_mon + 1, tm.tm_mday);
	}
	if (secs)
		o += (size_t)snprintf(out + o, XLSX_TEXT_MAX - o, "T%02d:%02d:%02d", hh, mm, ss);
	return o;
}

/* Built-in formats that show dates or times (ECMA-376 18.8.30, and the
 * East Asian date formats 27-36 and 50-58). */
static enum xlsx_kind builtin_kind(int id)
{
	if ((id >= 14 && id <= 17) || id == 22 || (id >= 27 && id <= 36) || (id >= 50 && id <= 58))
		return XLSX_DATE;
	if ((id >= 18 && id <= 21) || (id >= 45 && id <= 47))
		return XLSX_TIME;
	return XLSX_NUMBER;
}

enum xlsx_kind xlsx_format_kind(int format_id, const char *code)
{
	int date = 0, time = 0, month = 0;

	if (!code)
		return builtin_kind(format_id);
	for (const char *p = code; *p; p++) {
		switch (*p) {
		case '"': /* a literal: "days" */
			p = strchr(p + 1, '"');
			if (!p)
				return XLSX_NUMBER;
			break;
		case '[': /* a colour, condition or locale: [Red], [<=9], [$-409]; [h] is elapsed time */
			if ((p[1] == 'h' || p[1] == 'H' || p[1] == 'm' || p[1] == 'M' || p[1] == 's' ||
			     p[1] == 'S') && strchr(p, ']'))
				time = 1;
			p = strchr(p, ']');
			if (!p)
				return XLSX_NUMBER;
			break;
		case '\\': /* an escaped character */
		case '_':  /* the width of a character */
		case '*':  /* a fill character */
			if (!*++p)
				return XLSX_NUMBER;
			break;
		case 'd': case 'D': case 'y': case 'Y':
			date = 1;
			break;
		case 'h': case 'H': case 's': case 'S':
			time = 1;
			break;
		case 'm': case 'M':
			month = 1;
			break;
		default:
			break;
		}
	}
	if (date)
		return XLSX_DATE;
	if (time)
		return XLSX_TIME;
	return month ? XLSX_DATE : XLSX_NUMBER;
}

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* The code unit of the escape _xHHHH_ at P (N bytes left), or -1. */
static long escape_at(const char *p, size_t n)
{
	long u = 0;
	if (n < 7 || p[0] != '_' || (p[1] != 'x' && p[1] != 'X') || p[6] != '_')
		return -1;
	for (int i = 2; i < 6; i++) {
		int h = hex_value(p[i]);
		if (h < 0)
			return -1;
		u = u * 16 + h;
	}
	return u;
}

static size_t put_utf8(char *o, unsigned long c)
{
	if (c < 0x80) {
		o[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		o[0] = (char)(0xC0 | (c >> 6));
		o[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		o[0] = (char)(0xE0 | (c >> 12));
		o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		o[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (c >> 18));
	o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	o[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

size_t xlsx_unescape(char *p, size_t n)
{
	size_t o = 0, i = 0;
	char *first = memchr(p, '_', n);

	if (!first)
		return n;
	o = i = (size_t)(first - p);
	while (i < n) {
		long u = p[i] == '_' ? escape_at(p + i, n - i) : -1;
		if (u < 0) {
			p[o++] = p[i++];
			continue;
		}
		unsigned long c = (unsigned long)u;
		size_t used = 7;
		if (u >= 0xD800 && u <= 0xDBFF) {
			long lo = escape_at(p + i + 7, n - i - 7);
			if (lo < 0xDC00 || lo > 0xDFFF) {
				p[o++] = p[i++]; /* a lone surrogate: kept as written */
				continue;
			}
			c = 0x10000 + (((unsigned long)u - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
			used = 14;
		} else if (u >= 0xDC00 && u <= 0xDFFF) {
			p[o++] = p[i++];
			continue;
		}
		o += put_utf8(p + o, c);
		i += used;
	}
	return o;
}

int xlsx_text_add(struct xlsx_text *t, const char *s, size_t n)
{
	if (t->cap - t->len < n) {
		size_t cap = t->cap ? t->cap : 256;
		while (cap - t->len < n)
			cap *= 2;
		char *p = realloc(t->p, cap);
		if (!p)
			return -1;
		t->p = p;
		t->cap = cap;
	}
	memcpy(t->p + t->len, s, n);
	t->len += n;
	return 0;
}
