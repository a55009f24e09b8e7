/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hdr.c - header fields of a message for DKIM: copy with CRLF line ends,
 * name matching and bottom-up instance selection (RFC 6376 section 5.4.2).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dkimsa.h"
#include "hdr.h"

void
hdrs_init(struct hdrs *h)
{
	h->v = NULL;
	h->n = h->cap = 0;
}

void
hdrs_free(struct hdrs *h)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		free(h->v[i].text);
	free(h->v);
	hdrs_init(h);
}

/* Copies src into dst, turning bare LF into CRLF; returns the length. */
static size_t
hdr_copy_crlf(char *dst, const char *src, size_t len)
{
	size_t i, o = 0;

	for (i = 0; i < len; i++) {
		if (src[i] == '\n' && (i == 0 || src[i - 1] != '\r'))
			dst[o++] = '\r';
		dst[o++] = src[i];
	}
	return o;
}

static void
hdr_set_name(struct hdr *f)
{
	const char *colon = memchr(f->text, ':', f->len);
	size_t n;

	f->has_colon = colon != NULL;
	n = colon ? (size_t)(colon - f->text) : f->len;
	while (n > 0 && (f->text[n - 1] == ' ' || f->text[n - 1] == '\t'))
		n--;
	f->namelen = n;
}

int
hdrs_add(struct hdrs *h, const char *field, size_t len)
{
	struct hdr *f;
	size_t i, lfs = 0;

	while (len > 0 && (field[len - 1] == '\n' || field[len - 1] == '\r'))
		len--;
	if (h->n == h->cap) {
		size_t ncap = h->cap ? h->cap * 2 : 32;
		struct hdr *nv = realloc(h->v, ncap * sizeof(*nv));

		if (nv == NULL)
			return DKIMSA_ENOMEM;
		h->v = nv;
		h->cap = ncap;
	}
	for (i = 0; i < len; i++)
		lfs += field[i] == '\n';
	f = &h->v[h->n];
	f->text = malloc(len + lfs + 1);
	if (f->text == NULL)
		return DKIMSA_ENOMEM;
	f->len = hdr_copy_crlf(f->text, field, len);
	f->text[f->len] = '\0';
	hdr_set_name(f);
	h->n++;
	return 0;
}

int
hdr_name_is(const struct hdr *f, const char *name, size_t nlen)
{
	return f->has_colon && f->namelen == nlen &&
	       strncasecmp(f->text, name, nlen) == 0;
}

size_t
hdr_value_off(const struct hdr *f)
{
	const char *colon = memchr(f->text, ':', f->len);

	return colon ? (size_t)(colon - f->text) + 1 : f->len;
}

void
hdrs_select(const struct hdrs *h, const char *const *names, const size_t *nlens,
	    size_t count, long *idx, unsigned char *used)
{
	size_t i, j;

	for (i = 0; i < count; i++) {
		idx[i] = -1;
		for (j = h->n; j-- > 0;) {
			if (!used[j] &&
			    hdr_name_is(&h->v[j], names[i], nlens[i])) {
				used[j] = 1;
				idx[i] = (long)j;
				break;
			}
		}
	}
}
