#include <stdint.h>
#include <stdlib.h>

#include "array.h"

int array_grow(void **array, size_t *cap, size_t used, size_t size)
{
	if (used < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 16;
	if (ncap > SIZE_MAX / size)
		return -1;
	void *p = realloc(*array, ncap * size);
	if (!p)
		return -1;
	*array = p;
	*cap = ncap;
	return 0;
}
