/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pkcache.h - DKIM key records kept parsed (internal header).
 *
 * Parsing a key record costs more than the answer lookup: base64, the
 * tag list, the DER of the key, and OpenSSL's first use of a fresh key
 * (its export to the provider).  The cache keeps, per record text, the
 * record's tags and the public key, so a message signed with a key seen
 * before only hashes and verifies.  It is keyed by the exact text of the
 * TXT record, which still comes from DNS (through the answer cache) for
 * every message: the answer's TTL and DNSSEC status stay the DNS layer's
 * business, and a changed record is a different key.  Only records that
 * parsed into a usable key are kept.  Bounded: PKCACHE_SHARDS shards of
 * PKCACHE_SLOTS slots, a new record replacing the one in its slot; each
 * shard has its own lock, held for a hash probe and a reference count.
 *
 * Memory: the cache holds a reference on each key; pkcache_get gives the
 * caller one more (crypto_pubkey_free drops it).
 */
#ifndef DKIMSA_PKCACHE_H
#define DKIMSA_PKCACHE_H

#include "crypto.h"
#include "keyrec.h"

#define PKCACHE_SHARDS 16
#define PKCACHE_SLOTS 64
/* Longer records are not kept (an RSA-4096 record is about 750 bytes). */
#define PKCACHE_MAX_TEXT 2048

typedef struct pkcache pkcache;

pkcache *pkcache_new(void);
void pkcache_free(pkcache *c);
/*
 * 1 when txt is cached: *k gets its tags (k->pub stays empty) and *pk a
 * reference on its key; else 0.
 */
int pkcache_get(pkcache *c, const char *txt, struct keyrec *k,
		crypto_pubkey **pk);
/* Keeps txt with the tags of k and a reference on pk (no error: a record
 * that cannot be kept is just not kept). */
void pkcache_put(pkcache *c, const char *txt, const struct keyrec *k,
		 crypto_pubkey *pk);

#endif
