/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * buf.h - growable byte buffer with one owner.  The data is always kept
 * NUL-terminated so it can be used as a C string, from the first
 * buf_reserve() on (so an empty result of an encoder is "", not garbage).  On
 * allocation failure the buffer enters an error state (err != 0) and later
 * appends do nothing, so callers may check once at the end.
 */
#ifndef DKIMSA_BUF_H
#define DKIMSA_BUF_H

#include <stddef.h>

typedef struct buf {
	char *data;
	size_t len;
	size_t cap;
	int err; /* DKIMSA_ENOMEM after a failed allocation */
} buf;

void buf_init(buf *b);
void buf_free(buf *b);
void buf_reset(buf *b);
int buf_reserve(buf *b, size_t extra);
int buf_add(buf *b, const void *data, size_t len);
int buf_adds(buf *b, const char *s);
int buf_addc(buf *b, int c);
int buf_printf(buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Hands the data to the caller (free()) and resets the buffer. */
char *buf_steal(buf *b);

#endif
