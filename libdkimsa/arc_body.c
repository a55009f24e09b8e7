/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_body.c - the body hashes of an ARC object, one per distinct
 * (canonicalisation, l=, digest): every AMS of a chain sealed with
 * c=relaxed/relaxed and no l= has the same body hash (RFC 6376 3.7 as
 * RFC 8617 4.1.2 uses it), and so does the seal we may add (5.1: relaxed,
 * no l=, SHA-256), so the body is canonicalised and hashed once for all
 * of them, not once per AMS.  A hash is finished when it is first asked
 * for.  The slots belong to the arc object.
 */
#include <stdlib.h>

#include "arc.h"
#include "dkimhash.h"

/* SHA-1 or SHA-256: what a digest of alg is made with. */
static int
arc_body_sha1(int alg)
{
	return alg == DKIMSA_ALG_RSA_SHA1;
}

int
arc_body_want(dkimsa_arc *a, int canon, long long l, int alg)
{
	struct arc_bh *b;
	int i;

	if (l < 0)
		l = -1;
	for (i = 0; i < a->nbh; i++)
		if (a->bh[i]->canon == canon && a->bh[i]->l == l &&
		    a->bh[i]->sha1 == arc_body_sha1(alg))
			return i;
	if (a->nbh == ARC_MAX_BH || (b = calloc(1, sizeof(*b))) == NULL)
		return DKIMSA_ENOMEM;
	if ((b->h = crypto_hash_new(alg)) == NULL) {
		free(b);
		return DKIMSA_ENOMEM;
	}
	b->canon = canon;
	b->l = l;
	b->sha1 = arc_body_sha1(alg);
	canon_body_init(&b->cb, canon, l, dkimhash_sink, b->h);
	a->bh[a->nbh] = b;
	return a->nbh++;
}

int
arc_body_update(dkimsa_arc *a, const void *data, size_t len)
{
	int i, rc;

	for (i = 0; i < a->nbh; i++)
		if ((rc = canon_body_update(&a->bh[i]->cb, data, len)) != 0)
			return rc;
	return 0;
}

const struct arc_bh *
arc_body_get(dkimsa_arc *a, int slot)
{
	struct arc_bh *b;

	if (slot < 0 || slot >= a->nbh)
		return NULL;
	b = a->bh[slot];
	if (!b->done) {
		b->done = 1;
		b->rc = canon_body_final(&b->cb);
		if (b->rc == 0)
			b->rc = crypto_hash_final(b->h, b->md, &b->mdlen);
		b->total = b->cb.total;
	}
	return b->rc == 0 ? b : NULL;
}

void
arc_body_free(dkimsa_arc *a)
{
	int i;

	for (i = 0; i < a->nbh; i++) {
		crypto_hash_free(a->bh[i]->h);
		free(a->bh[i]);
	}
	a->nbh = 0;
}
