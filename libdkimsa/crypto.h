/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * crypto.h - every use of OpenSSL in libdkimsa goes through here (EVP only).
 *
 * struct dkimsa_key (the public opaque private-key type) is defined in
 * crypto.c; it holds one parsed EVP_PKEY and a reference count.  A key is
 * parsed once and reused for every message.
 *
 * Digests: DKIM hashes with SHA-256 (rsa-sha256, ed25519-sha256) or SHA-1
 * (rsa-sha1, verification only).  Signing takes the finished header-hash
 * digest: RSA signs it as PKCS#1 v1.5 DigestInfo for the hash; Ed25519
 * (RFC 8463) signs the 32-byte SHA-256 digest with PureEdDSA.
 */
#ifndef DKIMSA_CRYPTO_H
#define DKIMSA_CRYPTO_H

#include <stddef.h>

#include "buf.h"
#include "dkimsa.h"

#define CRYPTO_MAX_MD 64
/* The shortest RSA private key loaded (RFC 8301 section 3.2). */
#define CRYPTO_MIN_SIGN_BITS 1024U

enum crypto_keytype { CRYPTO_KEY_RSA = 1, CRYPTO_KEY_ED25519 = 2 };

/* The key type an algorithm needs (CRYPTO_KEY_RSA for rsa-*). */
int crypto_alg_keytype(int alg);

typedef struct crypto_hash crypto_hash;

/* Hash for alg's digest (SHA-256 or SHA-1); NULL on failure. */
crypto_hash *crypto_hash_new(int alg);
int crypto_hash_update(crypto_hash *h, const void *data, size_t len);
/* Writes the digest (up to CRYPTO_MAX_MD bytes); the hash is then spent. */
int crypto_hash_final(crypto_hash *h, unsigned char *md, size_t *mdlen);
void crypto_hash_free(crypto_hash *h);

/* Appends the raw signature of digest made with key for alg to sig. */
int crypto_sign(const dkimsa_key *key, int alg, const unsigned char *digest,
		size_t dlen, buf *sig);

typedef struct crypto_pubkey crypto_pubkey;

/*
 * Parses the decoded p= of a key record.  RSA: SubjectPublicKeyInfo DER as
 * RFC 6376 says, or a bare PKCS#1 RSAPublicKey as some publish.  Ed25519:
 * the raw 32-byte key (RFC 8463).  err gets the reason on failure.
 */
int crypto_pubkey_parse(int keytype, const unsigned char *der, size_t len,
			crypto_pubkey **out, char *err, size_t errlen);
unsigned crypto_pubkey_bits(const crypto_pubkey *pk);
/* 1: signature good; 0: does not verify; negative: error. */
int crypto_verify(const crypto_pubkey *pk, int alg, const unsigned char *digest,
		  size_t dlen, const unsigned char *sig, size_t siglen);
/* One more reference (pk shared read-only between threads); each is
 * dropped by crypto_pubkey_free. */
crypto_pubkey *crypto_pubkey_ref(crypto_pubkey *pk);
void crypto_pubkey_free(crypto_pubkey *pk);
/* 1 when the public key of key equals pk (for dkimsa-testkey). */
int crypto_pubkey_matches(const crypto_pubkey *pk, const dkimsa_key *key);

#endif
