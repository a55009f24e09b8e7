/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * body.c - the body hashes of a message, one per distinct
 * (canonicalisation, l=, digest); see body.h.  A DKIM signature and an
 * ARC-Message-Signature with the same c= body part, l= and digest have
 * the same bh= (RFC 6376 3.7, as RFC 8617 4.1.2 uses it), so one
 * canonicaliser and one digest serve them all.  A hash with l= is a
 * different hash from the whole body's.
 */
#include <stdlib.h>

#include "body.h"
#include "dkimhash.h"

/* SHA-1 or SHA-256: what a digest of alg is made with. */
static int
body_sha1(int alg)
{
	return alg == DKIMSA_ALG_RSA_SHA1;
}

int
dkimsa_body_new(dkimsa_body **out)
{
	*out = calloc(1, sizeof(**out));
	if (*out == NULL)
		return DKIMSA_ENOMEM;
	(*out)->refs = 1;
	return 0;
}

dkimsa_body *
body_ref(dkimsa_body *b)
{
	b->refs++;
	return b;
}

void
dkimsa_body_free(dkimsa_body *b)
{
	int i;

	if (b == NULL || --b->refs > 0)
		return;
	for (i = 0; i < b->n; i++) {
		crypto_hash_free(b->v[i]->h);
		free(b->v[i]);
	}
	free(b->v);
	free(b);
}

/* Room for one more slot pointer. */
static int
body_grow(dkimsa_body *b)
{
	struct body_hash **v;
	int cap = b->cap ? 2 * b->cap : 4;

	if (b->n < b->cap)
		return 0;
	if ((v = realloc(b->v, (size_t)cap * sizeof(*v))) == NULL)
		return DKIMSA_ENOMEM;
	b->v = v;
	b->cap = cap;
	return 0;
}

int
body_want(dkimsa_body *b, int canon, long long l, int alg)
{
	struct body_hash *h;
	int i;

	if (l < 0)
		l = -1;
	for (i = 0; i < b->n; i++)
		if (b->v[i]->canon == canon && b->v[i]->l == l &&
		    b->v[i]->sha1 == body_sha1(alg))
			return i;
	if (b->fed || b->closed)
		return DKIMSA_ESTATE;
	if (body_grow(b) != 0 || (h = calloc(1, sizeof(*h))) == NULL)
		return DKIMSA_ENOMEM;
	if ((h->h = crypto_hash_new(alg)) == NULL) {
		free(h);
		return DKIMSA_ENOMEM;
	}
	h->canon = canon;
	h->l = l;
	h->sha1 = body_sha1(alg);
	canon_body_init(&h->cb, canon, l, dkimhash_sink, h->h);
	b->v[b->n] = h;
	return b->n++;
}

int
dkimsa_body_update(dkimsa_body *b, const void *data, size_t len)
{
	int i, rc;

	if (b->closed)
		return DKIMSA_ESTATE;
	b->fed = 1;
	for (i = 0; i < b->n; i++)
		if ((rc = canon_body_update(&b->v[i]->cb, data, len)) != 0)
			return rc;
	return 0;
}

const struct body_hash *
body_get(dkimsa_body *b, int slot)
{
	struct body_hash *h;

	if (slot < 0 || slot >= b->n)
		return NULL;
	b->closed = 1;
	h = b->v[slot];
	if (!h->done) {
		h->done = 1;
		h->rc = canon_body_final(&h->cb);
		if (h->rc == 0)
			h->rc = crypto_hash_final(h->h, h->md, &h->mdlen);
		h->total = h->cb.total;
		h->hashed = h->cb.hashed;
	}
	return h->rc == 0 ? h : NULL;
}
