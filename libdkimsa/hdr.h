/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hdr.h - the header block of one message as DKIM sees it: each field kept
 * whole ("Name: value" with its folds), line ends normalised to CRLF, no
 * final CRLF.  The list owns the copies.
 */
#ifndef DKIMSA_HDR_H
#define DKIMSA_HDR_H

#include <stddef.h>

struct hdr {
	char *text;
	size_t len;
	size_t namelen; /* field name without trailing WSP, up to ":" */
	int has_colon;
};

struct hdrs {
	struct hdr *v;
	size_t n, cap;
};

void hdrs_init(struct hdrs *h);
void hdrs_free(struct hdrs *h);
/* Copies one field; bare LF become CRLF, a final line end is dropped. */
int hdrs_add(struct hdrs *h, const char *field, size_t len);
/* 1 when the field's name equals name (ASCII case-insensitive). */
int hdr_name_is(const struct hdr *f, const char *name, size_t nlen);
/* Offset of the value: the byte after ":" (or len when there is none). */
size_t hdr_value_off(const struct hdr *f);

/*
 * Picks the instances named by a list of names, bottom-up per name
 * (RFC 6376 section 5.4.2): idx[i] gets the index of the field for
 * names[i], or -1 when none is left.  used[] (h->n entries, zeroed by the
 * caller) marks fields taken.
 */
void hdrs_select(const struct hdrs *h, const char *const *names,
		 const size_t *nlens, size_t count, long *idx,
		 unsigned char *used);

#endif
