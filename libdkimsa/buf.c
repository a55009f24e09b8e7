/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * buf.c - growable byte buffer; see buf.h.  The buffer owns data.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dkimsa.h"

void
buf_init(buf *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->err = 0;
}

void
buf_free(buf *b)
{
	free(b->data);
	buf_init(b);
}

void
buf_reset(buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

int
buf_reserve(buf *b, size_t extra)
{
	size_t need, ncap;
	char *n;

	if (b->err)
		return b->err;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
		ncap *= 2;
	n = realloc(b->data, ncap);
	if (n == NULL) {
		b->err = DKIMSA_ENOMEM;
		return b->err;
	}
	b->data = n;
	b->cap = ncap;
	b->data[b->len] = '\0'; /* a buffer that has data is a C string */
	return 0;
}

int
buf_add(buf *b, const void *data, size_t len)
{
	if (buf_reserve(b, len) != 0)
		return b->err;
	if (len > 0)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_adds(buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_addc(buf *b, int c)
{
	char ch = (char)c;

	return buf_add(b, &ch, 1);
}

int
buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || buf_reserve(b, (size_t)n) != 0)
		return b->err ? b->err : DKIMSA_EINVAL;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

char *
buf_steal(buf *b)
{
	char *d;

	if (b->err) {
		buf_free(b);
		return NULL;
	}
	if (b->data == NULL && buf_reserve(b, 0) != 0)
		return NULL;
	d = b->data;
	buf_init(b);
	return d;
}
