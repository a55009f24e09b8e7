/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_chain.c - ARC chain validation, RFC 8617 section 5.2 steps 4-6,
 * after arc.c has checked the structure (steps 1-3): the AMS of the
 * highest set, the AMS below it down to the first that fails (the
 * oldest-pass), then every ARC-Seal from the highest down.  An AMS is
 * checked as a DKIM signature (body hash, h= fields, the field itself
 * with b= emptied); an ARC-Seal signs, in relaxed canonical form, every
 * set up to its own: AAR, AMS, AS of i=1, then i=2, ..., with its own b=
 * emptied (section 5.1.1).  Keys come through arc_keys.c and are checked
 * by keyrec_pubkey as for DKIM; RFC 8301 applies (rsa-sha1 and RSA keys
 * below MinimumKeyBits fail).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arc.h"
#include "dkimhash.h"
#include "lib.h"

/* The field text with the b= value taken out (RFC 6376 3.7). */
static int
arc_chain_emptied(const struct hdr *f, const struct sig *s, buf *out)
{
	buf_add(out, f->text, s->b_start);
	buf_add(out, f->text + s->b_end, f->len - s->b_end);
	return out->err;
}

/* 1 when s's b= verifies over md with its key; 0 with the reason. */
static int
arc_chain_sig_ok(dkimsa_arc *a, const struct sig *s, const unsigned char *md,
		 size_t mdlen, char *why, size_t wlen)
{
	unsigned min = lib_min_key_bits(a->lib);
	const crypto_pubkey *pk;
	int ok;

	if (s->alg == DKIMSA_ALG_RSA_SHA1) {
		snprintf(why, wlen, "rsa-sha1 is not accepted (RFC 8301)");
		return 0;
	}
	pk = arc_keys_pubkey(a, s->domain, s->selector, s->alg, why, wlen);
	if (pk == NULL)
		return 0;
	if (s->alg != DKIMSA_ALG_ED25519_SHA256 &&
	    crypto_pubkey_bits(pk) < min) {
		snprintf(why, wlen,
			 "%u-bit key is below the minimum of %u bits",
			 crypto_pubkey_bits(pk), min);
		return 0;
	}
	ok = crypto_verify(pk, s->alg, md, mdlen, (unsigned char *)s->b.data,
			   s->b.len);
	if (ok != 1)
		snprintf(why, wlen, "%s",
			 ok == 0 ? "signature did not verify"
				 : "signature could not be checked");
	return ok == 1;
}

/*
 * An ARC-Message-Signature (as a DKIM signature, RFC 8617 4.1.2) with
 * the header canonicalisation hc, the body hash from slot bslot.
 */
static int
arc_chain_ams_canon(dkimsa_arc *a, int inst, int hc, int bslot, char *why,
		    size_t wlen)
{
	struct arc_set *set = &a->set[inst];
	const struct sig *s = &set->ams_sig;
	const struct body_hash *b = body_get(a->body, bslot);
	unsigned char md[CRYPTO_MAX_MD];
	size_t mdlen = 0;
	buf field;
	int rc;

	if (b == NULL) {
		snprintf(why, wlen, "body hash failed");
		return 0;
	}
	if (s->l >= 0 && b->total < s->l) {
		snprintf(why, wlen, "l= is larger than the body");
		return 0;
	}
	if (b->mdlen != s->bh.len || memcmp(b->md, s->bh.data, b->mdlen) != 0) {
		snprintf(why, wlen, "body hash did not verify");
		return 0;
	}
	buf_init(&field);
	rc = arc_chain_emptied(&a->hdrs.v[set->ams], s, &field);
	if (rc == 0)
		rc = dkimhash_headers(&a->hdrs, s->h, s->nh, hc, field.data,
				      field.len, s->alg, md, &mdlen);
	buf_free(&field);
	if (rc != 0) {
		snprintf(why, wlen, "header hash failed");
		return 0;
	}
	return arc_chain_sig_ok(a, s, md, mdlen, why, wlen);
}

/*
 * An AMS as written; one without c= is simple/simple as in DKIM (RFC 6376
 * 3.5), and when that does not verify, relaxed/relaxed, the default of
 * the ARC drafts that sealers built on them still omit.
 */
static int
arc_chain_ams_ok(dkimsa_arc *a, int inst, char *why, size_t wlen)
{
	struct arc_set *set = &a->set[inst];
	const struct sig *s = &set->ams_sig;
	char why2[128];

	if (s->x >= 0 && s->x < a->now) {
		snprintf(why, wlen, "expired at %lld", s->x);
		return 0;
	}
	if (arc_chain_ams_canon(a, inst, s->hcanon, set->bh, why, wlen))
		return 1;
	return set->bh_relaxed >= 0 &&
	       arc_chain_ams_canon(a, inst, DKIMSA_CANON_RELAXED,
				   set->bh_relaxed, why2, sizeof(why2));
}

/* An ARC-Seal over the sets 1..inst (RFC 8617 5.1.1). */
static int
arc_chain_as_ok(dkimsa_arc *a, int inst, char *why, size_t wlen)
{
	const struct hdr *fields[3 * ARC_MAX_SETS];
	const struct sig *s = &a->set[inst].as_sig;
	unsigned char md[CRYPTO_MAX_MD];
	size_t n = 0, mdlen = 0;
	buf field;
	int j, rc;

	for (j = 1; j <= inst; j++) {
		fields[n++] = &a->hdrs.v[a->set[j].aar];
		fields[n++] = &a->hdrs.v[a->set[j].ams];
		if (j < inst)
			fields[n++] = &a->hdrs.v[a->set[j].as];
	}
	buf_init(&field);
	rc = arc_chain_emptied(&a->hdrs.v[a->set[inst].as], s, &field);
	if (rc == 0)
		rc = dkimhash_fields(fields, n, DKIMSA_CANON_RELAXED,
				     field.data, field.len, s->alg, md, &mdlen);
	buf_free(&field);
	if (rc != 0) {
		snprintf(why, wlen, "header hash failed");
		return 0;
	}
	return arc_chain_sig_ok(a, s, md, mdlen, why, wlen);
}

void
arc_chain_validate(dkimsa_arc *a)
{
	int n = a->nsets, i, oldest = 0;
	char why[256];

	if (!arc_chain_ams_ok(a, n, why, sizeof(why))) {
		arc_set_result(a, DKIMSA_RES_FAIL, n,
			       "ARC-Message-Signature i=%d: %s", n, why);
		return;
	}
	for (i = a->no_oldest ? 0 : n - 1; i >= 1; i--)
		if (!arc_chain_ams_ok(a, i, why, sizeof(why))) {
			oldest = i + 1;
			break;
		}
	for (i = n; i >= 1; i--)
		if (!arc_chain_as_ok(a, i, why, sizeof(why))) {
			arc_set_result(a, DKIMSA_RES_FAIL, i,
				       "ARC-Seal i=%d: %s", i, why);
			return;
		}
	if (a->no_oldest) {
		a->res.oldest_pass = -1;
		arc_set_result(a, DKIMSA_RES_PASS, 0, "%d ARC set%s verified",
			       n, n == 1 ? "" : "s");
		return;
	}
	a->res.oldest_pass = oldest;
	snprintf(a->op_sealer, sizeof(a->op_sealer), "%s",
		 a->set[oldest > 0 ? oldest : 1].as_sig.domain);
	a->res.oldest_pass_sealer = a->op_sealer;
	arc_set_result(a, DKIMSA_RES_PASS, 0,
		       "%d ARC set%s verified, oldest-pass %d", n,
		       n == 1 ? "" : "s", oldest);
}
