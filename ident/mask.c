#include "ident.h"

/* Bytes of the UTF-8 character starting at p (1 for a stray byte). */
static size_t char_len(const char *p, size_t n)
{
	size_t k = 1;

	while (k < n && ((unsigned char)p[k] & 0xC0) == 0x80)
		k++;
	return k;
}

size_t ident_mask(const char *value, size_t len, char *out, size_t outsize)
{
	size_t nchars = 0, shown, need = 0, i;

	for (i = 0; i < len; i += char_len(value + i, len - i))
		nchars++;
	shown = nchars / 2 < 4 ? nchars / 2 : 4;

	for (i = 0; i < len; nchars--) {
		size_t k = char_len(value + i, len - i);
		int show = nchars <= shown;

		for (size_t j = 0; j < (show ? k : 1); j++, need++)
			if (need + 1 < outsize)
				out[need] = show ? value[i + j] : '*';
		i += k;
	}
	if (outsize > 0)
		out[need < outsize ? need : outsize - 1] = '\0';
	return need;
}
