#include <string.h>

#include "ident_int.h"

/*
 * Step 4: float damage, judged on the whole value before separators are
 * removed.  Excel shows a long number as d.dddE+xx; the digits survive only
 * when the mantissa has exactly as many fraction digits as the exponent.
 */

static enum float_damage judge_scientific(const char *p, size_t n,
					  char *digits, size_t digitsize,
					  size_t *ndigits)
{
	size_t i = 1, frac = 0, nfrac = 0, exp_start;
	unsigned exponent = 0;
	int negative = 0;

	if (p[0] == '0')
		return FLOAT_NONE;
	if (i < n && p[i] == '.') {
		frac = ++i;
		while (i < n && is_digit(p[i]))
			i++;
		nfrac = i - frac;
		if (nfrac == 0)
			return FLOAT_NONE;
	}
	if (i >= n || (p[i] != 'e' && p[i] != 'E'))
		return FLOAT_NONE;
	i++;
	if (i < n && (p[i] == '+' || p[i] == '-'))
		negative = p[i++] == '-';
	exp_start = i;
	while (i < n && is_digit(p[i]) && i - exp_start < 3)
		exponent = exponent * 10 + (unsigned)(p[i++] - '0');
	if (i == exp_start || i != n)
		return FLOAT_NONE;
	if (negative || exponent != nfrac || nfrac + 2 > digitsize)
		return FLOAT_LOST;
	digits[0] = p[0];
	memcpy(digits + 1, p + frac, nfrac);
	digits[nfrac + 1] = '\0';
	*ndigits = nfrac + 1;
	return FLOAT_RECOVERED;
}

enum float_damage judge_float(const char *p, size_t n, char *digits,
			      size_t digitsize, size_t *ndigits)
{
	size_t int_len = 0;

	while (int_len < n && is_digit(p[int_len]))
		int_len++;
	if (int_len == 0 || int_len == n)
		return FLOAT_NONE;
	if (p[int_len] == '.' && n - int_len >= 2 &&
	    all_zeros(p + int_len + 1, n - int_len - 1)) {
		if (int_len + 1 > digitsize)
			return FLOAT_NONE;
		memcpy(digits, p, int_len);
		digits[int_len] = '\0';
		*ndigits = int_len;
		return FLOAT_SUFFIX;
	}
	if (int_len == 1)
		return judge_scientific(p, n, digits, digitsize, ndigits);
	return FLOAT_NONE;
}
