/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * body.h - the body hashes of one message (RFC 6376 section 3.7), one per
 * distinct (canonicalisation, l=, digest), shared by everything that
 * wants one: DKIM signers, the DKIM verifier's signatures, the ARC
 * object's AMSs and its seal.  The body streams through one canonicaliser
 * and digest per distinct hash, never copied; a hash is finished when it
 * is first asked for.  Public side: dkimsa_body in dkimsa.h.  The object
 * owns its slots; it is reference counted (each attached object holds a
 * reference).
 */
#ifndef DKIMSA_BODY_H
#define DKIMSA_BODY_H

#include <stddef.h>

#include "canon.h"
#include "crypto.h"
#include "dkimsa.h"

/* One body hash. */
struct body_hash {
	int canon, sha1; /* enum dkimsa_canon; SHA-1 rather than SHA-256 */
	long long l;	 /* -1: the whole body */
	crypto_hash *h;
	int done, rc; /* finished, and how */
	unsigned char md[CRYPTO_MAX_MD];
	size_t mdlen;
	long long total;  /* canonical body length */
	long long hashed; /* canonical bytes hashed (at most l) */
	struct canon_body cb;
};

struct dkimsa_body {
	int refs;
	int fed;    /* body bytes given: no new slot may start */
	int closed; /* a hash was finished: no more body */
	struct body_hash **v;
	int n, cap;
};

/*
 * The slot for canon, l (negative: none) and alg's digest, shared with
 * any earlier wish for the same; DKIMSA_ENOMEM, or DKIMSA_ESTATE once the
 * body has begun (the new hash would miss its start).
 */
int body_want(dkimsa_body *b, int canon, long long l, int alg);
/* The finished hash of a slot (after the body), or NULL on error. */
const struct body_hash *body_get(dkimsa_body *b, int slot);
/* One more reference (an attached object's). */
dkimsa_body *body_ref(dkimsa_body *b);

#endif
