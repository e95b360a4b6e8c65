#ifndef CASEPIPE_UTF8_H
#define CASEPIPE_UTF8_H

#include <stddef.h>

/* Returns the length (1-4) of the well-formed UTF-8 sequence at P, which has
 * N bytes left, or 0 when it is not well formed (overlong forms, surrogates
 * and code points above U+10FFFF are not). */
size_t utf8_sequence_length(const unsigned char *p, size_t n);

/* Returns 1 when all LEN bytes at S are well-formed UTF-8. */
int utf8_is_valid(const char *s, size_t len);

/* Copies the LEN bytes at S to OUT (room for 3 * LEN bytes) with each byte
 * that is not part of well-formed UTF-8 replaced by U+FFFD, as the NDJSON
 * writer shows it; returns the length written. */
size_t utf8_repair(const char *s, size_t len, char *out);

/* The replacement character U+FFFD, encoded. */
#define UTF8_REPLACEMENT "\xEF\xBF\xBD"

#endif
