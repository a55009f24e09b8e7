/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dkimhash.h - the header hash of RFC 6376 section 3.7, shared by signing
 * and verifying: the fields named by h= (bottom-up instances), each
 * canonicalised with CRLF, then the DKIM-Signature field itself with an
 * empty b= value and no final CRLF.
 */
#ifndef DKIMSA_DKIMHASH_H
#define DKIMSA_DKIMHASH_H

#include <stddef.h>

#include "hdr.h"

/*
 * names/count: the h= list.  sigfield/siglen: the signature field with
 * the b= value already removed.  md gets the digest for alg.
 */
int dkimhash_headers(const struct hdrs *h, char *const *names, size_t count,
		     int hcanon, const char *sigfield, size_t siglen, int alg,
		     unsigned char *md, size_t *mdlen);

/*
 * The same over fields given in order (NULL entries hash as nothing), for
 * the ARC-Seal, whose input is the ARC sets, not an h= list (RFC 8617
 * 5.1.1).
 */
int dkimhash_fields(const struct hdr *const *fields, size_t count, int hcanon,
		    const char *sigfield, size_t siglen, int alg,
		    unsigned char *md, size_t *mdlen);

/* Hash sink for canon_body (arg is a crypto_hash). */
int dkimhash_sink(void *arg, const void *data, size_t len);

#endif
