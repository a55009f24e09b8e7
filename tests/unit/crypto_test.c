/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * crypto_test.c - private key loading (PEM PKCS#1/PKCS#8, Ed25519 seed),
 * key records, digests, RSA and Ed25519 signing and verification, public
 * key parsing (RFC 6376 section 3.6.1, RFC 8463), and refusals with
 * reasons.  Known answers come from RFC 8463 Appendix A: its keys
 * (tests/data/keys/rfc8463-*) must reproduce its published b= values.
 * Fixture keys in tests/data/keys were made with the openssl CLI.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "b64.h"
#include "buf.h"
#include "crypto.h"
#include "dkimsa.h"
#include "t.h"

#ifndef KEYDIR
#define KEYDIR "tests/data/keys"
#endif

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* RFC 8463 Appendix A.2 records and A.3 signatures. */
#define RFC_ED_P "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
#define RFC_RSA_P                                                              \
	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08" \
	"a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR" \
	"+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l" \
	"/K4w3QIDAQAB"
#define RFC_HEADERS                                                            \
	"from:Joe SixPack <joe@football.example.com>\r\n"                      \
	"to:Suzie Q <suzie@shopping.example.net>\r\n"                          \
	"subject:Is dinner ready?\r\n"                                         \
	"date:Fri, 11 Jul 2003 21:00:37 -0700 (PDT)\r\n"                       \
	"message-id:<20030712040037.46341.5F8J@football.example.com>\r\n"
#define RFC_SIG(a, s, h)                                                       \
	"dkim-signature:v=1; a=" a "; c=relaxed/relaxed; "                     \
	"d=football.example.com; i=@football.example.com; q=dns/txt; "         \
	"s=" s "; t=1528637909; " h " : date : message-id : from : subject : " \
	"date; bh=2jUSOH9NhtVGCQWNr9BrIAPreKQjO6Sn7XIkfJVOzv8=; b="

static const struct {
	const char *label, *keyfile, *p, *hashed, *b;
	int alg, keytype;
} rfc_rows[] = {
    {"ed25519 key signs the RFC 8463 header hash as published",
     "rfc8463-ed25519.seed", RFC_ED_P,
     RFC_HEADERS RFC_SIG("ed25519-sha256", "brisbane", "h=from : to : subject"),
     "/gCrinpcQOoIfuHNQIbq4pgh9kyIK3AQUdt9OdqQehSwhEIug4D11BusFa3bT3FY5O"
     "sU7ZbnKELq+eXdp1Q1Dw==",
     DKIMSA_ALG_ED25519_SHA256, CRYPTO_KEY_ED25519},
    {"rsa key signs the RFC 8463 header hash as published", "rfc8463-rsa.pem",
     RFC_RSA_P,
     RFC_HEADERS RFC_SIG("rsa-sha256", "test", "h=from : to : subject"),
     "F45dVWDfMbQDGHJFlXUNB2HKfbCeLRyhDXgFpEL8GwpsRe0IeIixNTe3DhCVlUrSjV"
     "4BwcVcOF6+FF3Zo9Rpo1tFOeS9mPYQTnGdaSGsgeefOsk2JzdA+L10TeYt9BgDfQNZ"
     "tKdN1WO//KgIqXP7OdEFE4LjFYNcUxZQ4FADY+8=",
     DKIMSA_ALG_RSA_SHA256, CRYPTO_KEY_RSA},
};

static const struct {
	const char *label, *file;
	int alg;
	unsigned bits;
} load_rows[] = {
    {"loads PEM PKCS#1 RSA key", "rsa2048-pkcs1.pem", DKIMSA_ALG_RSA_SHA256,
     2048},
    {"loads PEM PKCS#8 RSA key", "rsa2048.pem", DKIMSA_ALG_RSA_SHA256, 2048},
    {"reports 1024 bits for a 1024-bit RSA key", "rsa1024.pem",
     DKIMSA_ALG_RSA_SHA256, 1024},
    {"reports 4096 bits for a 4096-bit RSA key", "rsa4096.pem",
     DKIMSA_ALG_RSA_SHA256, 4096},
    {"loads PEM PKCS#8 Ed25519 key", "ed25519.pem", DKIMSA_ALG_ED25519_SHA256,
     256},
    {"loads raw base64 Ed25519 seed", "rfc8463-ed25519.seed",
     DKIMSA_ALG_ED25519_SHA256, 256},
};

static const struct {
	const char *label, *file, *text; /* file NULL: parse text */
	size_t cut;			 /* file: keep this many bytes */
	int rc;
	const char *reason;
} reject_rows[] = {
    {"rejects garbage with a reason", NULL, "hello, world", 0, DKIMSA_EKEY,
     "not a PEM private key nor a base64 Ed25519 seed"},
    {"rejects empty input with a reason", NULL, "", 0, DKIMSA_EKEY,
     "private key is empty"},
    {"rejects white space only with a reason", NULL, " \r\n\t ", 0, DKIMSA_EKEY,
     "private key is empty"},
    {"rejects truncated PEM with a reason", "rsa2048.pem", NULL, 900,
     DKIMSA_EKEY, "PEM private key could not be parsed"},
    {"rejects PEM without a body", NULL,
     "-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n", 0, DKIMSA_EKEY,
     "PEM private key could not be parsed"},
    {"rejects a PEM public key", NULL,
     "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA" RFC_ED_P
     "\n-----END PUBLIC KEY-----\n",
     0, DKIMSA_EKEY, "PEM private key could not be parsed"},
    {"rejects encrypted PKCS#8 PEM without prompting", "rsa1024-encrypted.pem",
     NULL, 0, DKIMSA_EKEY, "private key is encrypted"},
    {"rejects encrypted PKCS#1 PEM without prompting",
     "rsa1024-encrypted-pkcs1.pem", NULL, 0, DKIMSA_EKEY,
     "private key is encrypted"},
    {"rejects PKCS#8 EC key naming its type", "ec-p256.pem", NULL, 0,
     DKIMSA_EKEY, "unsupported key type EC; use RSA or Ed25519"},
    {"rejects SEC1 EC key naming its type", "ec-p256-sec1.pem", NULL, 0,
     DKIMSA_EKEY, "unsupported key type EC; use RSA or Ed25519"},
    {"rejects DSA key naming its type", "dsa.pem", NULL, 0, DKIMSA_EKEY,
     "unsupported key type DSA; use RSA or Ed25519"},
    {"rejects a 384-bit RSA key (RFC 8301 3.2: signers use >= 1024)",
     "rsa384.pem", NULL, 0, DKIMSA_EKEY,
     "RSA key is 384 bits; signing keys must have at least 1024 (RFC 8301 "
     "section 3.2)"},
    {"rejects a 512-bit RSA key naming its size", "rsa512.pem", NULL, 0,
     DKIMSA_EKEY, "RSA key is 512 bits; signing keys must have at least 1024"},
    {"rejects base64 seed of 31 bytes", NULL,
     "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHg==", 0, DKIMSA_EKEY,
     "base64 key is 31 bytes; an Ed25519 seed is 32"},
};

static const struct {
	const char *label, *file;
	int alg;
} trip_rows[] = {
    {"rsa-sha256 1024-bit", "rsa1024.pem", DKIMSA_ALG_RSA_SHA256},
    {"rsa-sha256 2048-bit PKCS#8", "rsa2048.pem", DKIMSA_ALG_RSA_SHA256},
    {"rsa-sha256 2048-bit PKCS#1", "rsa2048-pkcs1.pem", DKIMSA_ALG_RSA_SHA256},
    {"ed25519-sha256 PKCS#8", "ed25519.pem", DKIMSA_ALG_ED25519_SHA256},
    {"ed25519-sha256 seed", "rfc8463-ed25519.seed", DKIMSA_ALG_ED25519_SHA256},
};

static const char *
keypath(const char *name)
{
	static char path[4096];
	const char *top = getenv("top_srcdir");

	if (top != NULL)
		snprintf(path, sizeof(path), "%s/tests/data/keys/%s", top,
			 name);
	else
		snprintf(path, sizeof(path), "%s/%s", KEYDIR, name);
	return path;
}

static dkimsa_key *
load(const char *name)
{
	dkimsa_key *key = NULL;
	char err[256];

	if (dkimsa_key_load(keypath(name), &key, err, sizeof(err)) != 0)
		printf("# %s: %s\n", name, err);
	return key;
}

/* SHA-256 (or SHA-1 for rsa-sha1) of text. */
static size_t
digest(int alg, const char *text, unsigned char *md)
{
	crypto_hash *h = crypto_hash_new(alg);
	size_t len = 0;

	if (h == NULL)
		return 0;
	if (crypto_hash_update(h, text, strlen(text)) != 0 ||
	    crypto_hash_final(h, md, &len) != 0)
		len = 0;
	crypto_hash_free(h);
	return len;
}

/* The decoded p= of a key's record. */
static int
key_p(const dkimsa_key *key, buf *der)
{
	char *rec = NULL, *p;
	int rc;

	if (dkimsa_key_record(key, &rec) != 0)
		return -1;
	p = strstr(rec, "p=");
	rc = p != NULL ? b64_decode(der, p + 2, strlen(p + 2)) : -1;
	free(rec);
	return rc;
}

static crypto_pubkey *
key_pubkey(const dkimsa_key *key)
{
	crypto_pubkey *pk = NULL;
	char err[256];
	buf der;

	buf_init(&der);
	if (key_p(key, &der) == 0)
		crypto_pubkey_parse(crypto_alg_keytype(dkimsa_key_alg(key)),
				    (unsigned char *)der.data, der.len, &pk,
				    err, sizeof(err));
	buf_free(&der);
	return pk;
}

static void
test_load(void)
{
	size_t i;

	for (i = 0; i < N(load_rows); i++) {
		dkimsa_key *key = load(load_rows[i].file);

		t_ok(key != NULL && dkimsa_key_alg(key) == load_rows[i].alg &&
			 dkimsa_key_bits(key) == load_rows[i].bits,
		     load_rows[i].label, "alg %d bits %u",
		     key ? dkimsa_key_alg(key) : -1,
		     key ? dkimsa_key_bits(key) : 0);
		dkimsa_key_free(key);
	}
}

static char *
slurp(const char *name, size_t *len)
{
	FILE *f = fopen(keypath(name), "rb");
	char *data = calloc(1, 65536);

	*len = 0;
	if (f != NULL && data != NULL)
		*len = fread(data, 1, 65535, f);
	if (f != NULL)
		fclose(f);
	return data;
}

static void
test_reject(void)
{
	size_t i;

	for (i = 0; i < N(reject_rows); i++) {
		dkimsa_key *key = (dkimsa_key *)&key; /* must become NULL */
		char err[256] = "", *data;
		size_t len;
		int rc;

		if (reject_rows[i].file != NULL) {
			data = slurp(reject_rows[i].file, &len);
			if (reject_rows[i].cut > 0 && reject_rows[i].cut < len)
				len = reject_rows[i].cut;
		} else {
			data = strdup(reject_rows[i].text);
			len = data ? strlen(data) : 0;
		}
		rc = dkimsa_key_parse(data, len, &key, err, sizeof(err));
		t_ok(rc == reject_rows[i].rc && key == NULL &&
			 strstr(err, reject_rows[i].reason) != NULL,
		     reject_rows[i].label, "rc %d, reason \"%s\"", rc, err);
		free(data);
	}
}

static void
test_load_errors(void)
{
	char err[512] = "", want[600], dir[4096];
	dkimsa_key *key = NULL;
	int rc;

	snprintf(dir, sizeof(dir), "%s", keypath(""));
	rc =
	    dkimsa_key_load(keypath("no-such-key.pem"), &key, err, sizeof(err));
	snprintf(want, sizeof(want), "%s: No such file or directory",
		 keypath("no-such-key.pem"));
	t_ok(rc == DKIMSA_EIO && key == NULL && strcmp(err, want) == 0,
	     "missing key file names the path and the system error",
	     "rc %d, reason \"%s\"", rc, err);
	rc = dkimsa_key_load(dir, &key, err, sizeof(err));
	t_ok(rc == DKIMSA_EIO && key == NULL &&
		 strstr(err, "Is a directory") != NULL,
	     "directory as key file names the system error",
	     "rc %d, reason \"%s\"", rc, err);
	rc = dkimsa_key_load(keypath("dsa.pem"), &key, err, sizeof(err));
	t_ok(rc == DKIMSA_EKEY && strstr(err, "dsa.pem: unsupported") != NULL,
	     "unusable key file reason names the path", "reason \"%s\"", err);
}

static void
test_records(void)
{
	static const char seed[] = "\n  nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAx"
				   "yuf2A=  \r\n";
	dkimsa_key *k8 = load("rsa2048.pem"), *k1 = load("rsa2048-pkcs1.pem");
	dkimsa_key *ks = NULL;
	char *r8 = NULL, *r1 = NULL, *rs = NULL, err[256] = "";

	dkimsa_key_parse(seed, strlen(seed), &ks, err, sizeof(err));
	if (ks != NULL)
		dkimsa_key_record(ks, &rs);
	t_streq(rs, "v=DKIM1; k=ed25519; p=" RFC_ED_P,
		"seed with surrounding white space gives RFC 8463 public key");
	if (k8 != NULL && k1 != NULL) {
		dkimsa_key_record(k8, &r8);
		dkimsa_key_record(k1, &r1);
	}
	t_ok(r8 != NULL && r1 != NULL && strcmp(r8, r1) == 0 &&
		 strncmp(r8, "v=DKIM1; k=rsa; p=MIIBIjAN", 26) == 0,
	     "PKCS#1 and PKCS#8 forms give the same rsa record", "%s / %s",
	     r8 ? r8 : "(null)", r1 ? r1 : "(null)");
	free(r8);
	free(r1);
	free(rs);
	dkimsa_key_free(ks);
	dkimsa_key_free(k8);
	dkimsa_key_free(k1);
}

/* RFC 8463 A.3: our signatures over its header hash equal its b=. */
static void
test_rfc8463(void)
{
	size_t i;

	for (i = 0; i < N(rfc_rows); i++) {
		dkimsa_key *key = load(rfc_rows[i].keyfile);
		unsigned char md[CRYPTO_MAX_MD];
		size_t mdlen = digest(rfc_rows[i].alg, rfc_rows[i].hashed, md);
		crypto_pubkey *pk = NULL;
		char *rec = NULL, label[200], err[256] = "";
		buf sig, b, p;

		buf_init(&sig);
		buf_init(&b);
		buf_init(&p);
		if (key != NULL &&
		    crypto_sign(key, rfc_rows[i].alg, md, mdlen, &sig) == 0)
			b64_encode(&b, sig.data, sig.len);
		t_streq(b.data, rfc_rows[i].b, rfc_rows[i].label);
		if (key != NULL)
			dkimsa_key_record(key, &rec);
		snprintf(label, sizeof(label), "%s key record has p=%.12s...",
			 dkimsa_alg_name(rfc_rows[i].alg), rfc_rows[i].p);
		t_ok(rec != NULL &&
			 strcmp(strstr(rec, "p=") + 2, rfc_rows[i].p) == 0,
		     label, "%s", rec ? rec : "(null)");
		buf_reset(&sig);
		b64_decode(&p, rfc_rows[i].p, strlen(rfc_rows[i].p));
		b64_decode(&sig, rfc_rows[i].b, strlen(rfc_rows[i].b));
		crypto_pubkey_parse(rfc_rows[i].keytype,
				    (unsigned char *)p.data, p.len, &pk, err,
				    sizeof(err));
		snprintf(label, sizeof(label),
			 "published RFC 8463 %s signature verifies",
			 dkimsa_alg_name(rfc_rows[i].alg));
		t_ok(pk != NULL &&
			 crypto_verify(pk, rfc_rows[i].alg, md, mdlen,
				       (unsigned char *)sig.data, sig.len) == 1,
		     label, "%s", err);
		crypto_pubkey_free(pk);
		free(rec);
		buf_free(&sig);
		buf_free(&b);
		buf_free(&p);
		dkimsa_key_free(key);
	}
}

static void
trip_checks(const char *name, int alg, const dkimsa_key *key,
	    const crypto_pubkey *pk, const crypto_pubkey *other)
{
	unsigned char md[CRYPTO_MAX_MD], *s;
	size_t mdlen = digest(alg, "round trip", md);
	char label[200];
	buf sig;
	int rc;

	buf_init(&sig);
	rc = crypto_sign(key, alg, md, mdlen, &sig);
	s = (unsigned char *)sig.data;
	snprintf(label, sizeof(label), "%s signature verifies", name);
	t_ok(rc == 0 && crypto_verify(pk, alg, md, mdlen, s, sig.len) == 1,
	     label, "sign rc %d", rc);
	md[5] ^= 0x10;
	snprintf(label, sizeof(label), "%s flipped digest bit fails", name);
	t_ok(rc == 0 && crypto_verify(pk, alg, md, mdlen, s, sig.len) == 0,
	     label, "verified");
	md[5] ^= 0x10;
	if (sig.len > 0)
		s[sig.len / 2] ^= 0x01;
	snprintf(label, sizeof(label), "%s flipped signature bit fails", name);
	t_ok(rc == 0 && crypto_verify(pk, alg, md, mdlen, s, sig.len) == 0,
	     label, "verified");
	snprintf(label, sizeof(label), "%s truncated signature fails", name);
	t_ok(rc == 0 && crypto_verify(pk, alg, md, mdlen, s, sig.len - 1) == 0,
	     label, "verified");
	snprintf(label, sizeof(label), "%s public key matches its key", name);
	t_ok(crypto_pubkey_matches(pk, key) == 1, label, "no match");
	snprintf(label, sizeof(label), "%s other public key does not match",
		 name);
	t_ok(crypto_pubkey_matches(other, key) == 0, label, "matches");
	buf_free(&sig);
}

static void
test_round_trips(void)
{
	dkimsa_key *other_key = load("rsa4096.pem");
	crypto_pubkey *other = other_key ? key_pubkey(other_key) : NULL;
	size_t i;

	for (i = 0; i < N(trip_rows); i++) {
		dkimsa_key *key = load(trip_rows[i].file);
		crypto_pubkey *pk = key ? key_pubkey(key) : NULL;

		if (key == NULL || pk == NULL || other == NULL)
			t_ok(0, trip_rows[i].label, "key did not load");
		else
			trip_checks(trip_rows[i].label, trip_rows[i].alg, key,
				    pk, other);
		crypto_pubkey_free(pk);
		dkimsa_key_free(key);
	}
	crypto_pubkey_free(other);
	dkimsa_key_free(other_key);
}

/* rsa-sha1 is verify-only: sign with OpenSSL itself. */
static void
test_rsa_sha1(void)
{
	unsigned char md1[CRYPTO_MAX_MD], md256[CRYPTO_MAX_MD], sig[512];
	size_t l1 = digest(DKIMSA_ALG_RSA_SHA1, "old", md1);
	size_t l256 = digest(DKIMSA_ALG_RSA_SHA256, "old", md256);
	size_t siglen = sizeof(sig);
	dkimsa_key *key = load("rsa1024.pem");
	crypto_pubkey *pk = key ? key_pubkey(key) : NULL;
	FILE *f = fopen(keypath("rsa1024.pem"), "r");
	EVP_PKEY *pkey = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
	EVP_PKEY_CTX *ctx = pkey ? EVP_PKEY_CTX_new(pkey, NULL) : NULL;
	buf out;
	int ok;

	ok = ctx != NULL && EVP_PKEY_sign_init(ctx) == 1 &&
	     EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha1()) == 1 &&
	     EVP_PKEY_sign(ctx, sig, &siglen, md1, l1) == 1;
	t_ok(ok && pk != NULL &&
		 crypto_verify(pk, DKIMSA_ALG_RSA_SHA1, md1, l1, sig, siglen) ==
		     1,
	     "rsa-sha1 signature verifies", "sign ok %d", ok);
	t_ok(ok && pk != NULL &&
		 crypto_verify(pk, DKIMSA_ALG_RSA_SHA256, md256, l256, sig,
			       siglen) == 0,
	     "rsa-sha1 signature does not pass as rsa-sha256", "verified");
	t_ok(pk != NULL && crypto_verify(pk, DKIMSA_ALG_RSA_SHA1, md256, l256,
					 sig, siglen) == DKIMSA_EINVAL,
	     "verify refuses a digest of the wrong length", "accepted");
	buf_init(&out);
	t_ok(key != NULL &&
		 crypto_sign(key, DKIMSA_ALG_RSA_SHA1, md1, l1, &out) ==
		     DKIMSA_EINVAL &&
		 out.len == 0,
	     "signing refuses rsa-sha1", "signed");
	t_ok(key != NULL &&
		 crypto_sign(key, DKIMSA_ALG_ED25519_SHA256, md256, l256,
			     &out) == DKIMSA_EINVAL &&
		 out.len == 0,
	     "signing refuses an algorithm the key cannot do", "signed");
	buf_free(&out);
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	if (f != NULL)
		fclose(f);
	crypto_pubkey_free(pk);
	dkimsa_key_free(key);
}

/* Public key forms: filled in from the fixture keys by test_pubkeys. */
enum {
	PK_RSA_SPKI,
	PK_RSA_NOPARAM,
	PK_RSA_PKCS1,
	PK_RSA_TRAIL,
	PK_ED_RAW,
	PK_ED_SPKI,
	PK_ED_SHORT,
	PK_GARBAGE,
	PK_EMPTY,
	PK_FORMS
};

static const struct {
	const char *label;
	int keytype, form, rc;
	unsigned bits;
	const char *reason;
} pubkey_rows[] = {
    {"parses RSA SubjectPublicKeyInfo", CRYPTO_KEY_RSA, PK_RSA_SPKI, 0, 2048,
     ""},
    {"parses RSA SPKI without NULL parameters", CRYPTO_KEY_RSA, PK_RSA_NOPARAM,
     0, 2048, ""},
    {"parses bare PKCS#1 RSAPublicKey", CRYPTO_KEY_RSA, PK_RSA_PKCS1, 0, 2048,
     ""},
    {"parses raw 32-byte Ed25519 key", CRYPTO_KEY_ED25519, PK_ED_RAW, 0, 256,
     ""},
    {"rejects RSA key for k=ed25519 naming the mismatch", CRYPTO_KEY_ED25519,
     PK_RSA_SPKI, DKIMSA_EKEY, 0,
     "key record k=ed25519 but p= holds a key of type RSA"},
    {"rejects raw Ed25519 key for k=rsa naming the mismatch", CRYPTO_KEY_RSA,
     PK_ED_RAW, DKIMSA_EKEY, 0,
     "key record k=rsa but p= is 32 bytes, the size of an Ed25519 key"},
    {"rejects Ed25519 SPKI for k=rsa naming the mismatch", CRYPTO_KEY_RSA,
     PK_ED_SPKI, DKIMSA_EKEY, 0,
     "key record k=rsa but p= holds a key of type ED25519"},
    {"rejects Ed25519 SPKI where RFC 8463 wants raw bytes", CRYPTO_KEY_ED25519,
     PK_ED_SPKI, DKIMSA_EKEY, 0, "raw 32 bytes"},
    {"rejects Ed25519 key of 31 bytes", CRYPTO_KEY_ED25519, PK_ED_SHORT,
     DKIMSA_EKEY, 0, "Ed25519 p= is 31 bytes; it must be 32"},
    {"rejects RSA key with trailing bytes", CRYPTO_KEY_RSA, PK_RSA_TRAIL,
     DKIMSA_EKEY, 0, "neither an RSA SubjectPublicKeyInfo nor"},
    {"rejects garbage public key", CRYPTO_KEY_RSA, PK_GARBAGE, DKIMSA_EKEY, 0,
     "neither an RSA SubjectPublicKeyInfo nor"},
    {"rejects empty p= as revoked", CRYPTO_KEY_RSA, PK_EMPTY, DKIMSA_EKEY, 0,
     "p= is empty (key revoked)"},
};

/*
 * The 2048-bit SPKI 30 82 01 22 {30 0d {OID} 05 00} ... with the NULL
 * parameters left out, as RFC 4055 allows readers to accept.
 */
static void
spki_drop_null(buf *out, const buf *spki)
{
	const unsigned char *d = (const unsigned char *)spki->data;

	if (spki->len != 294 || d[2] != 0x01 || d[3] != 0x22 || d[5] != 0x0d)
		return;
	buf_add(out, "\x30\x82\x01\x20\x30\x0b", 6);
	buf_add(out, d + 6, 11); /* the OID */
	buf_add(out, d + 19, spki->len - 19);
}

/* Builds every public key form from rsa2048.pem and the RFC seed. */
static void
pubkey_forms(buf *forms, const dkimsa_key *rsa, const dkimsa_key *ed)
{
	static const unsigned char ed_spki[] = {0x30, 0x2a, 0x30, 0x05,
						0x06, 0x03, 0x2b, 0x65,
						0x70, 0x03, 0x21, 0x00};
	const unsigned char *p;
	unsigned char *out = NULL;
	EVP_PKEY *pkey;
	int n;

	key_p(rsa, &forms[PK_RSA_SPKI]);
	p = (unsigned char *)forms[PK_RSA_SPKI].data;
	pkey = d2i_PUBKEY(NULL, &p, (long)forms[PK_RSA_SPKI].len);
	n = pkey ? i2d_PublicKey(pkey, &out) : -1;
	if (n > 0)
		buf_add(&forms[PK_RSA_PKCS1], out, (size_t)n);
	OPENSSL_free(out);
	EVP_PKEY_free(pkey);
	spki_drop_null(&forms[PK_RSA_NOPARAM], &forms[PK_RSA_SPKI]);
	buf_add(&forms[PK_RSA_TRAIL], forms[PK_RSA_SPKI].data,
		forms[PK_RSA_SPKI].len);
	buf_addc(&forms[PK_RSA_TRAIL], 0);
	key_p(ed, &forms[PK_ED_RAW]);
	buf_add(&forms[PK_ED_SPKI], ed_spki, sizeof(ed_spki));
	buf_add(&forms[PK_ED_SPKI], forms[PK_ED_RAW].data,
		forms[PK_ED_RAW].len);
	buf_add(&forms[PK_ED_SHORT], forms[PK_ED_RAW].data, 31);
	buf_adds(&forms[PK_GARBAGE], "this is not DER at all");
}

static void
test_pubkeys(void)
{
	dkimsa_key *rsa = load("rsa2048.pem");
	dkimsa_key *ed = load("rfc8463-ed25519.seed");
	buf forms[PK_FORMS];
	size_t i;

	for (i = 0; i < PK_FORMS; i++)
		buf_init(&forms[i]);
	if (rsa != NULL && ed != NULL)
		pubkey_forms(forms, rsa, ed);
	for (i = 0; i < N(pubkey_rows); i++) {
		const buf *der = &forms[pubkey_rows[i].form];
		crypto_pubkey *pk = (crypto_pubkey *)&pk; /* must become NULL */
		const dkimsa_key *own =
		    pubkey_rows[i].keytype == CRYPTO_KEY_RSA ? rsa : ed;
		char err[256] = "";
		int rc;

		rc = crypto_pubkey_parse(pubkey_rows[i].keytype,
					 (unsigned char *)der->data, der->len,
					 &pk, err, sizeof(err));
		if (pubkey_rows[i].rc == 0)
			t_ok(rc == 0 && pk != NULL &&
				 crypto_pubkey_bits(pk) ==
				     pubkey_rows[i].bits &&
				 own != NULL &&
				 crypto_pubkey_matches(pk, own) == 1,
			     pubkey_rows[i].label, "rc %d \"%s\"", rc, err);
		else
			t_ok(rc == pubkey_rows[i].rc && pk == NULL &&
				 strstr(err, pubkey_rows[i].reason) != NULL,
			     pubkey_rows[i].label, "rc %d \"%s\"", rc, err);
		if (rc == 0)
			crypto_pubkey_free(pk);
	}
	for (i = 0; i < PK_FORMS; i++)
		buf_free(&forms[i]);
	dkimsa_key_free(rsa);
	dkimsa_key_free(ed);
}

static const struct {
	const char *label;
	int alg;
	const char *input, *hex;
} hash_rows[] = {
    {"rsa-sha256 hashes with SHA-256", DKIMSA_ALG_RSA_SHA256, "abc",
     "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    {"ed25519-sha256 hashes with SHA-256", DKIMSA_ALG_ED25519_SHA256, "",
     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    {"rsa-sha1 hashes with SHA-1", DKIMSA_ALG_RSA_SHA1, "abc",
     "a9993e364706816aba3e25717850c26c9cd0d89d"},
};

static void
test_hashes(void)
{
	unsigned char md[CRYPTO_MAX_MD];
	char hex[2 * CRYPTO_MAX_MD + 1];
	size_t i, j, n;

	for (i = 0; i < N(hash_rows); i++) {
		crypto_hash *h = crypto_hash_new(hash_rows[i].alg);
		const char *in = hash_rows[i].input;

		/* in pieces: one byte, then the rest */
		n = 0;
		if (h != NULL &&
		    (in[0] == '\0' ||
		     (crypto_hash_update(h, in, 1) == 0 &&
		      crypto_hash_update(h, in + 1, strlen(in) - 1) == 0)))
			crypto_hash_final(h, md, &n);
		crypto_hash_free(h);
		for (j = 0; j < n; j++)
			snprintf(hex + 2 * j, 3, "%02x", md[j]);
		hex[2 * n] = '\0';
		t_streq(hex, hash_rows[i].hex, hash_rows[i].label);
	}
	t_ok(crypto_hash_new(DKIMSA_ALG_NONE) == NULL,
	     "no hash for an unknown algorithm", "got one");
	t_ok(crypto_alg_keytype(DKIMSA_ALG_RSA_SHA1) == CRYPTO_KEY_RSA &&
		 crypto_alg_keytype(DKIMSA_ALG_RSA_SHA256) == CRYPTO_KEY_RSA &&
		 crypto_alg_keytype(DKIMSA_ALG_ED25519_SHA256) ==
		     CRYPTO_KEY_ED25519 &&
		 crypto_alg_keytype(DKIMSA_ALG_NONE) < 0,
	     "algorithms map to their key types", "wrong mapping");
}

static void
test_refcount(void)
{
	unsigned char md[CRYPTO_MAX_MD];
	size_t mdlen = digest(DKIMSA_ALG_ED25519_SHA256, "ref", md);
	dkimsa_key *key = load("ed25519.pem"), *ref;
	buf sig;

	buf_init(&sig);
	ref = dkimsa_key_ref(key);
	t_ok(key != NULL && ref == key, "ref returns the same key", "differs");
	dkimsa_key_free(key);
	t_ok(ref != NULL &&
		 crypto_sign(ref, DKIMSA_ALG_ED25519_SHA256, md, mdlen, &sig) ==
		     0 &&
		 sig.len == 64,
	     "key stays usable after one of two frees", "sign failed");
	dkimsa_key_free(ref);
	dkimsa_key_free(NULL);
	t_ok(dkimsa_key_ref(NULL) == NULL, "ref and free accept NULL",
	     "not NULL");
	buf_free(&sig);
}

#define THREADS 4
#define THREAD_SIGNS 50

/* Signs and verifies THREAD_SIGNS times with the shared key. */
static void *
thread_signer(void *arg)
{
	const dkimsa_key *key = arg;
	crypto_pubkey *pk = key_pubkey(key);
	int alg = dkimsa_key_alg(key), i, good = 0;
	unsigned char md[CRYPTO_MAX_MD];
	buf sig;

	buf_init(&sig);
	for (i = 0; pk != NULL && i < THREAD_SIGNS; i++) {
		md[0] = (unsigned char)i;
		memset(md + 1, 0x5a, 31);
		buf_reset(&sig);
		if (crypto_sign(key, alg, md, 32, &sig) == 0 &&
		    crypto_verify(pk, alg, md, 32, (unsigned char *)sig.data,
				  sig.len) == 1)
			good++;
	}
	buf_free(&sig);
	crypto_pubkey_free(pk);
	return good == THREAD_SIGNS ? arg : NULL;
}

static void
test_threads(void)
{
	static const char *const files[] = {"rsa1024.pem", "ed25519.pem"};
	size_t f;

	for (f = 0; f < N(files); f++) {
		dkimsa_key *key = load(files[f]);
		pthread_t tid[THREADS];
		int i, started = 0, good = 0;
		char label[120];
		void *ret;

		for (i = 0; key != NULL && i < THREADS; i++)
			if (pthread_create(&tid[i], NULL, thread_signer,
					   dkimsa_key_ref(key)) == 0)
				started++;
			else
				dkimsa_key_free(key);
		for (i = 0; i < started; i++) {
			ret = NULL;
			pthread_join(tid[i], &ret);
			good += ret == key;
			dkimsa_key_free(key);
		}
		snprintf(label, sizeof(label),
			 "%s shared by %d threads signs and verifies",
			 key ? dkimsa_alg_name(dkimsa_key_alg(key)) : files[f],
			 THREADS);
		t_ok(started == THREADS && good == THREADS, label,
		     "%d of %d threads good", good, started);
		dkimsa_key_free(key);
	}
}

int
main(void)
{
	test_load();
	test_reject();
	test_load_errors();
	test_records();
	test_rfc8463();
	test_round_trips();
	test_rsa_sha1();
	test_pubkeys();
	test_hashes();
	test_refcount();
	test_threads();
	return t_exit();
}
