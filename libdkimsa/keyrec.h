/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keyrec.h - DKIM key records in DNS (RFC 6376 section 3.6.1, RFC 8463).
 */
#ifndef DKIMSA_KEYREC_H
#define DKIMSA_KEYREC_H

#include <stddef.h>

#include "buf.h"
#include "crypto.h"

#define KEYREC_HASH_SHA1 1u
#define KEYREC_HASH_SHA256 2u

struct keyrec {
	int keytype;	 /* enum crypto_keytype (k=, default rsa) */
	unsigned hashes; /* h=: KEYREC_HASH_* bits; all when absent */
	int revoked;	 /* p= empty */
	int testing;	 /* t=y */
	int strict;	 /* t=s: i= domain must equal d= */
	int email_ok;	 /* s= is absent, "*" or includes "email" */
	buf pub;	 /* decoded p= */
};

void keyrec_init(struct keyrec *k);
void keyrec_free(struct keyrec *k);
/* DKIMSA_ESYNTAX with the reason for a record that cannot be used. */
int keyrec_parse(const char *txt, size_t len, struct keyrec *k, char *reason,
		 size_t rlen);

struct pkcache;

/*
 * A record's text checked against a signature's algorithm (RFC 6376
 * section 6.1.2; shared by DKIM and ARC): parse, revoked, k=, h=, s=,
 * t=s (only when idom is not NULL: the i= domain against domain), then
 * p= as a public key.  With pkc (may be NULL) a record parsed before is
 * taken from that cache, and one parsed now is put in it (pkcache.h).
 * Returns DKIMSA_CAUSE_NONE with *pk set (one reference, the caller
 * frees), or the enum dkimsa_cause with the reason.  kr gets the tags
 * (t=y) either way; the caller inits and frees it.
 */
int keyrec_pubkey(struct pkcache *pkc, const char *txt, int alg,
		  const char *idom, const char *domain, struct keyrec *kr,
		  crypto_pubkey **pk, char *reason, size_t rlen);

#endif
