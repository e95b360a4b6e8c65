#ifndef CASEPIPE_ARRAY_H
#define CASEPIPE_ARRAY_H

#include <stddef.h>

/*
 * Makes room for one more element in *ARRAY, which holds USED of *CAP
 * elements of SIZE bytes, doubling the capacity (from 16) when it is full.
 * Returns 0, or -1 when memory runs out (the array is then unchanged).
 */
int array_grow(void **array, size_t *cap, size_t used, size_t size);

#endif
