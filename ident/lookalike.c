#include "ident_int.h"

/*
 * Look-alike characters, shared by the three kinds: where a digit is
 * expected, letter O reads as 0 and I or l (folded to L) as 1; where a
 * letter is expected (a receipt prefix), 0 reads as O and 1 as I.
 */

static char digit_for(char c)
{
	switch (c) {
	case 'O': return '0';
	case 'I': case 'L': return '1';
	}
	return is_digit(c) ? c : 0;
}

static char letter_for(char c)
{
	switch (c) {
	case '0': return 'O';
	case '1': return 'I';
	}
	return is_upper(c) ? c : 0;
}

static int rewrite(char *s, size_t from, size_t to, char (*map)(char))
{
	int count = 0;

	for (size_t i = from; i < to; i++) {
		char c = map(s[i]);

		if (c == 0)
			return -1;
		count += c != s[i];
		s[i] = c;
	}
	return count;
}

int lookalikes_to_digits(char *s, size_t from, size_t to)
{
	return rewrite(s, from, to, digit_for);
}

int lookalikes_to_letters(char *s, size_t from, size_t to)
{
	return rewrite(s, from, to, letter_for);
}

int report_bad_character(const struct ident_rules *rules, enum ident_kind kind,
			 unsigned options, const char *suggestion,
			 struct ident_verdict *v)
{
	if (suggestion && (options & IDENT_FIX_LOOKALIKES)) {
		verdict_add(v, rules, common_code(kind, COMMON_LOOKALIKE_FIXED),
			    suggestion, NULL);
		return 1;
	}
	verdict_add(v, rules, common_code(kind, COMMON_BAD_CHARACTER),
		    suggestion, NULL);
	return 0;
}
