/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * crypto.c - the only user of OpenSSL in libdkimsa (EVP API, OpenSSL 3).
 *
 * Private keys (public dkimsa_key_* functions): PEM PKCS#1 / PKCS#8 for RSA
 * and Ed25519, and the base64 32-byte Ed25519 seed dkimpy writes (RFC 8463
 * section 3).  Encrypted keys are refused; OpenSSL never prompts.  RSA
 * keys shorter than 1024 bits are refused: signers MUST NOT use them
 * (RFC 8301 section 3.2), and a private key is only ever used to sign.
 * Digests: SHA-256 and SHA-1 (RFC 6376 section 3.3, RFC 8301).
 * Signing: RSASSA-PKCS1-v1_5 over the digest (RFC 6376 section 3.3.1,
 * RFC 8017 section 8.2); Ed25519 PureEdDSA over the 32-byte SHA-256 digest
 * (RFC 8463 section 3).  Public keys: p= of a key record (RFC 6376
 * section 3.6.1): RSA SubjectPublicKeyInfo or bare PKCS#1 RSAPublicKey,
 * Ed25519 raw 32 bytes.
 *
 * Memory: a dkimsa_key owns its EVP_PKEY and is freed when its reference
 * count drops to zero (the count is atomic, so keys may be shared between
 * threads).  A crypto_pubkey and a crypto_hash own their OpenSSL objects.
 * OpenSSL's per-thread error queue is cleared after every failure.
 */
#include <ctype.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "b64.h"
#include "buf.h"
#include "crypto.h"
#include "dkimsa.h"

#define CRYPTO_ED25519_LEN 32
#define CRYPTO_ED25519_SIGLEN 64
#define CRYPTO_MAX_KEYFILE (1024 * 1024)

/*
 * The signing contexts are set up once at load and only duplicated per
 * signature (EVP_PKEY_CTX_dup and EVP_MD_CTX_copy_ex take const sources,
 * so threads may share them); that saves ~3% of an RSA-2048 signature.
 */
struct dkimsa_key {
	atomic_int refs;
	int alg;       /* DKIMSA_ALG_RSA_SHA256 or DKIMSA_ALG_ED25519_SHA256 */
	unsigned bits; /* RSA modulus bits; 256 for Ed25519 */
	EVP_PKEY *pkey;
	EVP_PKEY_CTX *rsa_tpl; /* RSA: sign_init, PKCS#1 v1.5, SHA-256 */
	EVP_MD_CTX *ed_tpl;    /* Ed25519: DigestSignInit done */
};

struct crypto_pubkey {
	atomic_int refs; /* shared by the parsed-key cache (pkcache.c) */
	int keytype;	 /* enum crypto_keytype */
	unsigned bits;
	EVP_PKEY *pkey;
	/* verifying contexts set up once, duplicated per signature (as the
	 * signing ones): NULL when OpenSSL refused, then set up each time */
	EVP_PKEY_CTX *rsa_vtpl; /* RSA: verify_init, PKCS#1 v1.5, SHA-256 */
	EVP_MD_CTX *ed_vtpl;	/* Ed25519: DigestVerifyInit done */
};

struct crypto_hash {
	EVP_MD_CTX *ctx;
};

__attribute__((format(printf, 3, 4))) static void
crypto_reason(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* ---- algorithms and digests ---- */

int
crypto_alg_keytype(int alg)
{
	switch (alg) {
	case DKIMSA_ALG_RSA_SHA256:
	case DKIMSA_ALG_RSA_SHA1:
		return CRYPTO_KEY_RSA;
	case DKIMSA_ALG_ED25519_SHA256:
		return CRYPTO_KEY_ED25519;
	}
	return DKIMSA_EINVAL;
}

/* The digest of alg, or NULL for an unknown algorithm. */
static const EVP_MD *
crypto_alg_md(int alg)
{
	switch (alg) {
	case DKIMSA_ALG_RSA_SHA256:
	case DKIMSA_ALG_ED25519_SHA256:
		return EVP_sha256();
	case DKIMSA_ALG_RSA_SHA1:
		return EVP_sha1();
	}
	return NULL;
}

/*
 * SHA-256 and SHA-1 fetched from the provider once: EVP_DigestInit_ex
 * with EVP_sha256() fetches the implementation again on every call (a
 * lock and a hash-table walk per hash, two or more per message).  Kept
 * for the life of the process; NULL when the fetch failed (the built-in
 * objects are used then).
 */
static EVP_MD *crypto_md_sha256, *crypto_md_sha1;
static pthread_once_t crypto_md_once = PTHREAD_ONCE_INIT;

static void
crypto_md_fetch(void)
{
	crypto_md_sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	crypto_md_sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
	ERR_clear_error();
}

/* crypto_alg_md(alg), fetched once. */
static const EVP_MD *
crypto_alg_md_fetched(int alg)
{
	const EVP_MD *md = crypto_alg_md(alg);

	pthread_once(&crypto_md_once, crypto_md_fetch);
	if (md == EVP_sha256() && crypto_md_sha256 != NULL)
		return crypto_md_sha256;
	if (md == EVP_sha1() && crypto_md_sha1 != NULL)
		return crypto_md_sha1;
	return md;
}

crypto_hash *
crypto_hash_new(int alg)
{
	const EVP_MD *md = crypto_alg_md_fetched(alg);
	crypto_hash *h;

	if (md == NULL)
		return NULL;
	h = malloc(sizeof(*h));
	if (h == NULL)
		return NULL;
	h->ctx = EVP_MD_CTX_new();
	if (h->ctx == NULL || EVP_DigestInit_ex(h->ctx, md, NULL) != 1) {
		ERR_clear_error();
		crypto_hash_free(h);
		return NULL;
	}
	return h;
}

int
crypto_hash_update(crypto_hash *h, const void *data, size_t len)
{
	if (len == 0)
		return 0;
	if (EVP_DigestUpdate(h->ctx, data, len) != 1) {
		ERR_clear_error();
		return DKIMSA_ECRYPTO;
	}
	return 0;
}

int
crypto_hash_final(crypto_hash *h, unsigned char *md, size_t *mdlen)
{
	unsigned int n = 0;

	if (EVP_DigestFinal_ex(h->ctx, md, &n) != 1) {
		ERR_clear_error();
		return DKIMSA_ECRYPTO;
	}
	*mdlen = n;
	return 0;
}

void
crypto_hash_free(crypto_hash *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

/* ---- private keys ---- */

/* Refuses every pass phrase request, and records that one was made. */
static int
crypto_no_password(char *pw, int size, int rwflag, void *arg)
{
	(void)pw;
	(void)size;
	(void)rwflag;
	*(int *)arg = 1;
	return -1;
}

/* Prepares the signing context that crypto_sign duplicates. */
static int
crypto_key_templates(dkimsa_key *key)
{
	if (key->alg == DKIMSA_ALG_RSA_SHA256) {
		key->rsa_tpl =
		    EVP_PKEY_CTX_new_from_pkey(NULL, key->pkey, NULL);
		if (key->rsa_tpl == NULL ||
		    EVP_PKEY_sign_init(key->rsa_tpl) != 1 ||
		    EVP_PKEY_CTX_set_rsa_padding(key->rsa_tpl,
						 RSA_PKCS1_PADDING) != 1 ||
		    EVP_PKEY_CTX_set_signature_md(key->rsa_tpl, EVP_sha256()) !=
			1)
			return DKIMSA_ECRYPTO;
		return 0;
	}
	key->ed_tpl = EVP_MD_CTX_new();
	if (key->ed_tpl == NULL ||
	    EVP_DigestSignInit_ex(key->ed_tpl, NULL, NULL, NULL, NULL,
				  key->pkey, NULL) != 1)
		return DKIMSA_ECRYPTO;
	return 0;
}

/* Wraps pkey (taking it over) in a new key after checking its type. */
static int
crypto_key_wrap(EVP_PKEY *pkey, dkimsa_key **out, char *err, size_t errlen)
{
	dkimsa_key *key;
	int alg;

	if (EVP_PKEY_is_a(pkey, "RSA")) {
		alg = DKIMSA_ALG_RSA_SHA256;
	} else if (EVP_PKEY_is_a(pkey, "ED25519")) {
		alg = DKIMSA_ALG_ED25519_SHA256;
	} else {
		const char *name = EVP_PKEY_get0_type_name(pkey);

		crypto_reason(err, errlen,
			      "unsupported key type %s; use RSA or Ed25519",
			      name ? name : "(unknown)");
		EVP_PKEY_free(pkey);
		return DKIMSA_EKEY;
	}
	key = calloc(1, sizeof(*key));
	if (key == NULL) {
		EVP_PKEY_free(pkey);
		crypto_reason(err, errlen, "out of memory");
		return DKIMSA_ENOMEM;
	}
	atomic_init(&key->refs, 1);
	key->alg = alg;
	key->pkey = pkey;
	key->bits = alg == DKIMSA_ALG_RSA_SHA256
			? (unsigned)EVP_PKEY_get_bits(pkey)
			: 8 * CRYPTO_ED25519_LEN;
	if (alg == DKIMSA_ALG_RSA_SHA256 && key->bits < CRYPTO_MIN_SIGN_BITS) {
		/* RFC 8301 3.2: signers MUST use RSA keys of >= 1024 bits */
		crypto_reason(err, errlen,
			      "RSA key is %u bits; signing keys must have at "
			      "least %u (RFC 8301 section 3.2)",
			      key->bits, CRYPTO_MIN_SIGN_BITS);
		dkimsa_key_free(key);
		return DKIMSA_EKEY;
	}
	if (crypto_key_templates(key) != 0) {
		ERR_clear_error();
		dkimsa_key_free(key);
		crypto_reason(err, errlen, "OpenSSL cannot sign with this key");
		return DKIMSA_ECRYPTO;
	}
	*out = key;
	return 0;
}

/* PEM text (NUL-terminated, trimmed) to a key. */
static int
crypto_key_pem(const char *text, size_t len, dkimsa_key **out, char *err,
	       size_t errlen)
{
	EVP_PKEY *pkey;
	BIO *bio;
	int asked = 0;

	if (strstr(text, "-----BEGIN ENCRYPTED ") != NULL ||
	    strstr(text, "Proc-Type: 4,ENCRYPTED") != NULL) {
		crypto_reason(err, errlen,
			      "private key is encrypted; store it without a "
			      "pass phrase (protect it by file permissions)");
		return DKIMSA_EKEY;
	}
	bio = BIO_new_mem_buf(text, (int)len);
	if (bio == NULL) {
		crypto_reason(err, errlen, "out of memory");
		return DKIMSA_ENOMEM;
	}
	pkey = PEM_read_bio_PrivateKey_ex(bio, NULL, crypto_no_password, &asked,
					  NULL, NULL);
	BIO_free(bio);
	if (pkey == NULL) {
		unsigned long e = ERR_peek_last_error();
		char detail[160] = "";

		if (e != 0)
			ERR_error_string_n(e, detail, sizeof(detail));
		ERR_clear_error();
		if (asked)
			crypto_reason(err, errlen,
				      "private key is encrypted; store it "
				      "without a pass phrase");
		else
			crypto_reason(err, errlen,
				      "PEM private key could not be parsed%s%s",
				      detail[0] ? ": " : "", detail);
		return DKIMSA_EKEY;
	}
	return crypto_key_wrap(pkey, out, err, errlen);
}

/* The base64 32-byte Ed25519 seed of dkimpy (RFC 8463 Appendix A). */
static int
crypto_key_seed(const char *text, size_t len, dkimsa_key **out, char *err,
		size_t errlen)
{
	EVP_PKEY *pkey;
	buf raw;
	int rc;

	buf_init(&raw);
	rc = b64_decode(&raw, text, len);
	if (rc == DKIMSA_ENOMEM) {
		crypto_reason(err, errlen, "out of memory");
		return rc;
	}
	if (rc != 0 || raw.len != CRYPTO_ED25519_LEN) {
		if (rc != 0)
			crypto_reason(err, errlen,
				      "not a PEM private key nor a base64 "
				      "Ed25519 seed");
		else
			crypto_reason(err, errlen,
				      "base64 key is %zu bytes; an Ed25519 "
				      "seed is %d",
				      raw.len, CRYPTO_ED25519_LEN);
		buf_free(&raw);
		return DKIMSA_EKEY;
	}
	pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL,
					    (unsigned char *)raw.data, raw.len);
	OPENSSL_cleanse(raw.data, raw.len);
	buf_free(&raw);
	if (pkey == NULL) {
		ERR_clear_error();
		crypto_reason(err, errlen, "Ed25519 seed rejected by OpenSSL");
		return DKIMSA_ECRYPTO;
	}
	return crypto_key_wrap(pkey, out, err, errlen);
}

int
dkimsa_key_parse(const void *data, size_t len, dkimsa_key **out, char *err,
		 size_t errlen)
{
	const char *p = data;
	char *text;
	int rc;

	*out = NULL;
	while (len > 0 && isspace((unsigned char)p[0])) {
		p++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)p[len - 1]))
		len--;
	if (len == 0) {
		crypto_reason(err, errlen, "private key is empty");
		return DKIMSA_EKEY;
	}
	if (len > CRYPTO_MAX_KEYFILE || memchr(p, '\0', len) != NULL) {
		crypto_reason(err, errlen,
			      "not a PEM private key nor a base64 Ed25519 "
			      "seed");
		return DKIMSA_EKEY;
	}
	text = malloc(len + 1);
	if (text == NULL) {
		crypto_reason(err, errlen, "out of memory");
		return DKIMSA_ENOMEM;
	}
	memcpy(text, p, len);
	text[len] = '\0';
	if (strstr(text, "-----BEGIN ") != NULL)
		rc = crypto_key_pem(text, len, out, err, errlen);
	else
		rc = crypto_key_seed(text, len, out, err, errlen);
	OPENSSL_cleanse(text, len);
	free(text);
	return rc;
}

int
dkimsa_key_load(const char *path, dkimsa_key **out, char *err, size_t errlen)
{
	char chunk[4096], reason[256] = "";
	FILE *f;
	buf data;
	size_t n;
	int rc;

	*out = NULL;
	f = fopen(path, "rb");
	if (f == NULL) {
		crypto_reason(err, errlen, "%s: %s", path, strerror(errno));
		return DKIMSA_EIO;
	}
	buf_init(&data);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 &&
	       data.len <= CRYPTO_MAX_KEYFILE)
		buf_add(&data, chunk, n);
	OPENSSL_cleanse(chunk, sizeof(chunk));
	rc = ferror(f) ? DKIMSA_EIO : data.err;
	snprintf(reason, sizeof(reason), "%s",
		 rc == DKIMSA_EIO ? strerror(errno) : "out of memory");
	fclose(f);
	if (rc == 0)
		rc = dkimsa_key_parse(data.data ? data.data : "", data.len, out,
				      reason, sizeof(reason));
	if (rc != 0)
		crypto_reason(err, errlen, "%s: %s", path, reason);
	if (data.data != NULL)
		OPENSSL_cleanse(data.data, data.len);
	buf_free(&data);
	return rc;
}

int
dkimsa_key_alg(const dkimsa_key *key)
{
	return key->alg;
}

unsigned
dkimsa_key_bits(const dkimsa_key *key)
{
	return key->bits;
}

/* Appends the p= value (base64) of pkey to out. */
static int
crypto_pkey_p(EVP_PKEY *pkey, int keytype, buf *out)
{
	unsigned char raw[CRYPTO_ED25519_LEN], *der = NULL;
	size_t rawlen = sizeof(raw);
	int n, rc;

	if (keytype == CRYPTO_KEY_ED25519) {
		if (EVP_PKEY_get_raw_public_key(pkey, raw, &rawlen) != 1) {
			ERR_clear_error();
			return DKIMSA_ECRYPTO;
		}
		return b64_encode(out, raw, rawlen);
	}
	n = i2d_PUBKEY(pkey, &der);
	if (n <= 0) {
		ERR_clear_error();
		return DKIMSA_ECRYPTO;
	}
	rc = b64_encode(out, der, (size_t)n);
	OPENSSL_free(der);
	return rc;
}

int
dkimsa_key_record(const dkimsa_key *key, char **out)
{
	int keytype = crypto_alg_keytype(key->alg), rc;
	buf rec;

	*out = NULL;
	buf_init(&rec);
	buf_printf(&rec, "v=DKIM1; k=%s; p=",
		   keytype == CRYPTO_KEY_RSA ? "rsa" : "ed25519");
	rc = crypto_pkey_p(key->pkey, keytype, &rec);
	if (rc == 0 && rec.err)
		rc = rec.err;
	if (rc != 0) {
		buf_free(&rec);
		return rc;
	}
	*out = buf_steal(&rec);
	return *out != NULL ? 0 : DKIMSA_ENOMEM;
}

dkimsa_key *
dkimsa_key_ref(dkimsa_key *key)
{
	if (key != NULL)
		atomic_fetch_add_explicit(&key->refs, 1, memory_order_relaxed);
	return key;
}

void
dkimsa_key_free(dkimsa_key *key)
{
	if (key == NULL)
		return;
	if (atomic_fetch_sub_explicit(&key->refs, 1, memory_order_acq_rel) != 1)
		return;
	EVP_PKEY_CTX_free(key->rsa_tpl);
	EVP_MD_CTX_free(key->ed_tpl);
	EVP_PKEY_free(key->pkey);
	free(key);
}

/* ---- signing ---- */

/* RSASSA-PKCS1-v1_5 with SHA-256: OpenSSL builds the DigestInfo. */
static int
crypto_sign_rsa(const dkimsa_key *key, const unsigned char *digest, size_t dlen,
		unsigned char *sig, size_t *siglen)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_dup(key->rsa_tpl);
	int ok;

	if (ctx == NULL)
		return DKIMSA_ENOMEM;
	ok = EVP_PKEY_sign(ctx, sig, siglen, digest, dlen) == 1;
	EVP_PKEY_CTX_free(ctx);
	return ok ? 0 : DKIMSA_ECRYPTO;
}

/* PureEdDSA (no pre-hash inside Ed25519) over the digest bytes. */
static int
crypto_sign_ed25519(const dkimsa_key *key, const unsigned char *digest,
		    size_t dlen, unsigned char *sig, size_t *siglen)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	if (ctx == NULL)
		return DKIMSA_ENOMEM;
	ok = EVP_MD_CTX_copy_ex(ctx, key->ed_tpl) == 1 &&
	     EVP_DigestSign(ctx, sig, siglen, digest, dlen) == 1;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : DKIMSA_ECRYPTO;
}

int
crypto_sign(const dkimsa_key *key, int alg, const unsigned char *digest,
	    size_t dlen, buf *sig)
{
	size_t max, siglen;
	int rc;

	/* key->alg uses SHA-256: RFC 8301 section 3.1 forbids rsa-sha1. */
	if (alg != key->alg || dlen != 32)
		return DKIMSA_EINVAL;
	max = (size_t)EVP_PKEY_get_size(key->pkey);
	if (buf_reserve(sig, max) != 0)
		return sig->err;
	siglen = max;
	if (alg == DKIMSA_ALG_RSA_SHA256)
		rc = crypto_sign_rsa(key, digest, dlen,
				     (unsigned char *)sig->data + sig->len,
				     &siglen);
	else
		rc = crypto_sign_ed25519(key, digest, dlen,
					 (unsigned char *)sig->data + sig->len,
					 &siglen);
	if (rc != 0)
		ERR_clear_error();
	else
		sig->len += siglen;
	sig->data[sig->len] = '\0';
	return rc;
}

/* ---- public keys ---- */

/* Reads a DER tag and length at *p; the content length, or -1. */
static long
crypto_der_item(const unsigned char **p, const unsigned char *end, int tag)
{
	size_t n, len = 0;

	if (end - *p < 2 || (*p)[0] != tag)
		return -1;
	n = (*p)[1];
	*p += 2;
	if (n & 0x80) {
		n &= 0x7f;
		if (n == 0 || n > 3 || (size_t)(end - *p) < n)
			return -1;
		while (n-- > 0)
			len = (len << 8) | *(*p)++;
	} else {
		len = n;
	}
	return len <= (size_t)(end - *p) ? (long)len : -1;
}

/* DER SPKI (spki) or PKCS#1 RSAPublicKey using all len bytes, or NULL. */
static EVP_PKEY *
crypto_d2i(int spki, const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	EVP_PKEY *pkey = spki
			     ? d2i_PUBKEY_ex(NULL, &p, (long)len, NULL, NULL)
			     : d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, (long)len);

	if (pkey != NULL && p != der + len) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	ERR_clear_error();
	return pkey;
}

/*
 * The usual RSA SubjectPublicKeyInfo (rsaEncryption, NULL parameters)
 * taken apart by hand: OpenSSL 3.0's d2i_PUBKEY runs its decoder
 * machinery and costs ~80 us, more than the verification itself.  Any
 * other shape returns NULL and goes the general way.
 */
static EVP_PKEY *
crypto_spki_rsa(const unsigned char *der, size_t len)
{
	static const unsigned char rsa_alg[] = {0x30, 0x0d, 0x06, 0x09, 0x2a,
						0x86, 0x48, 0x86, 0xf7, 0x0d,
						0x01, 0x01, 0x01, 0x05, 0x00};
	const unsigned char *p = der, *end = der + len;
	long n;

	n = crypto_der_item(&p, end, 0x30);
	if (n != end - p || n < (long)sizeof(rsa_alg) ||
	    memcmp(p, rsa_alg, sizeof(rsa_alg)) != 0)
		return NULL;
	p += sizeof(rsa_alg);
	n = crypto_der_item(&p, end, 0x03);
	if (n < 2 || n != end - p || p[0] != 0) /* no unused bits */
		return NULL;
	return crypto_d2i(0, p + 1, (size_t)(n - 1));
}

/* Names a parsed key's type when it is not the one k= asked for. */
static int
crypto_pubkey_type(EVP_PKEY *pkey, int keytype, char *err, size_t errlen)
{
	const char *want = keytype == CRYPTO_KEY_RSA ? "RSA" : "ED25519";
	const char *name;

	if (EVP_PKEY_is_a(pkey, want))
		return 0;
	name = EVP_PKEY_get0_type_name(pkey);
	crypto_reason(err, errlen,
		      "key record k=%s but p= holds a key of type %s",
		      keytype == CRYPTO_KEY_RSA ? "rsa" : "ed25519",
		      name ? name : "unknown");
	return DKIMSA_EKEY;
}

static EVP_PKEY *
crypto_pubkey_rsa(const unsigned char *der, size_t len, char *err,
		  size_t errlen)
{
	EVP_PKEY *pkey = crypto_spki_rsa(der, len);

	if (pkey == NULL)
		pkey = crypto_d2i(0, der, len);
	if (pkey == NULL) /* SPKI of another shape, or of another type */
		pkey = crypto_d2i(1, der, len);
	if (pkey != NULL)
		return pkey;
	if (len == CRYPTO_ED25519_LEN)
		crypto_reason(err, errlen,
			      "key record k=rsa but p= is 32 bytes, the size "
			      "of an Ed25519 key");
	else
		crypto_reason(err, errlen,
			      "p= is neither an RSA SubjectPublicKeyInfo nor "
			      "an RSAPublicKey (%zu bytes)",
			      len);
	return NULL;
}

static EVP_PKEY *
crypto_pubkey_ed25519(const unsigned char *der, size_t len, char *err,
		      size_t errlen)
{
	EVP_PKEY *pkey;

	if (len != CRYPTO_ED25519_LEN) {
		pkey = crypto_d2i(1, der, len);
		if (pkey != NULL) {
			if (crypto_pubkey_type(pkey, CRYPTO_KEY_ED25519, err,
					       errlen) == 0)
				crypto_reason(err, errlen,
					      "key record k=ed25519 but p= is "
					      "a SubjectPublicKeyInfo; RFC "
					      "8463 wants the raw 32 bytes");
			EVP_PKEY_free(pkey);
			return NULL;
		}
		crypto_reason(err, errlen,
			      "Ed25519 p= is %zu bytes; it must be %d", len,
			      CRYPTO_ED25519_LEN);
		return NULL;
	}
	pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, der, len);
	if (pkey == NULL) {
		ERR_clear_error();
		crypto_reason(err, errlen, "Ed25519 p= rejected by OpenSSL");
	}
	return pkey;
}

/*
 * Prepares the verifying contexts crypto_verify duplicates: the per-call
 * set-up (a provider fetch of the signature and the digest, ~2 us) is
 * paid once per parsed key, which the key cache keeps.
 */
static void
crypto_pubkey_templates(crypto_pubkey *pk)
{
	pk->rsa_vtpl = NULL;
	pk->ed_vtpl = NULL;
	if (pk->keytype == CRYPTO_KEY_RSA) {
		pk->rsa_vtpl = EVP_PKEY_CTX_new_from_pkey(NULL, pk->pkey, NULL);
		if (pk->rsa_vtpl != NULL &&
		    (EVP_PKEY_verify_init(pk->rsa_vtpl) != 1 ||
		     EVP_PKEY_CTX_set_rsa_padding(pk->rsa_vtpl,
						  RSA_PKCS1_PADDING) != 1 ||
		     EVP_PKEY_CTX_set_signature_md(
			 pk->rsa_vtpl,
			 crypto_alg_md_fetched(DKIMSA_ALG_RSA_SHA256)) != 1)) {
			EVP_PKEY_CTX_free(pk->rsa_vtpl);
			pk->rsa_vtpl = NULL;
		}
	} else {
		pk->ed_vtpl = EVP_MD_CTX_new();
		if (pk->ed_vtpl != NULL &&
		    EVP_DigestVerifyInit_ex(pk->ed_vtpl, NULL, NULL, NULL, NULL,
					    pk->pkey, NULL) != 1) {
			EVP_MD_CTX_free(pk->ed_vtpl);
			pk->ed_vtpl = NULL;
		}
	}
	ERR_clear_error();
}

int
crypto_pubkey_parse(int keytype, const unsigned char *der, size_t len,
		    crypto_pubkey **out, char *err, size_t errlen)
{
	crypto_pubkey *pk;
	EVP_PKEY *pkey;

	*out = NULL;
	if (keytype != CRYPTO_KEY_RSA && keytype != CRYPTO_KEY_ED25519) {
		crypto_reason(err, errlen, "unknown key type");
		return DKIMSA_EINVAL;
	}
	if (len == 0) {
		crypto_reason(err, errlen, "p= is empty (key revoked)");
		return DKIMSA_EKEY;
	}
	if (keytype == CRYPTO_KEY_RSA)
		pkey = crypto_pubkey_rsa(der, len, err, errlen);
	else
		pkey = crypto_pubkey_ed25519(der, len, err, errlen);
	if (pkey == NULL)
		return DKIMSA_EKEY;
	if (crypto_pubkey_type(pkey, keytype, err, errlen) != 0) {
		EVP_PKEY_free(pkey);
		return DKIMSA_EKEY;
	}
	pk = malloc(sizeof(*pk));
	if (pk == NULL) {
		EVP_PKEY_free(pkey);
		crypto_reason(err, errlen, "out of memory");
		return DKIMSA_ENOMEM;
	}
	atomic_init(&pk->refs, 1);
	pk->keytype = keytype;
	pk->pkey = pkey;
	crypto_pubkey_templates(pk);
	pk->bits = keytype == CRYPTO_KEY_RSA ? (unsigned)EVP_PKEY_get_bits(pkey)
					     : 8 * CRYPTO_ED25519_LEN;
	*out = pk;
	return 0;
}

unsigned
crypto_pubkey_bits(const crypto_pubkey *pk)
{
	return pk->bits;
}

static int
crypto_verify_rsa(const crypto_pubkey *pk, int alg, const unsigned char *digest,
		  size_t dlen, const unsigned char *sig, size_t siglen)
{
	int tpl = alg == DKIMSA_ALG_RSA_SHA256 && pk->rsa_vtpl != NULL;
	EVP_PKEY_CTX *ctx =
	    tpl ? EVP_PKEY_CTX_dup(pk->rsa_vtpl)
		: EVP_PKEY_CTX_new_from_pkey(NULL, pk->pkey, NULL);
	int rc;

	if (ctx == NULL)
		return DKIMSA_ENOMEM;
	if (!tpl &&
	    (EVP_PKEY_verify_init(ctx) != 1 ||
	     EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) != 1 ||
	     EVP_PKEY_CTX_set_signature_md(ctx, crypto_alg_md_fetched(alg)) !=
		 1))
		rc = DKIMSA_ECRYPTO;
	else /* anything but 1 is a signature that does not verify */
		rc = EVP_PKEY_verify(ctx, sig, siglen, digest, dlen) == 1;
	EVP_PKEY_CTX_free(ctx);
	return rc;
}

static int
crypto_verify_ed25519(const crypto_pubkey *pk, const unsigned char *digest,
		      size_t dlen, const unsigned char *sig, size_t siglen)
{
	EVP_MD_CTX *ctx;
	int rc;

	if (siglen != CRYPTO_ED25519_SIGLEN)
		return 0;
	ctx = EVP_MD_CTX_new();
	if (ctx == NULL)
		return DKIMSA_ENOMEM;
	if (pk->ed_vtpl != NULL
		? EVP_MD_CTX_copy_ex(ctx, pk->ed_vtpl) != 1
		: EVP_DigestVerifyInit_ex(ctx, NULL, NULL, NULL, NULL, pk->pkey,
					  NULL) != 1)
		rc = DKIMSA_ECRYPTO;
	else
		rc = EVP_DigestVerify(ctx, sig, siglen, digest, dlen) == 1;
	EVP_MD_CTX_free(ctx);
	return rc;
}

int
crypto_verify(const crypto_pubkey *pk, int alg, const unsigned char *digest,
	      size_t dlen, const unsigned char *sig, size_t siglen)
{
	const EVP_MD *md = crypto_alg_md(alg);
	int rc;

	if (md == NULL || crypto_alg_keytype(alg) != pk->keytype ||
	    dlen != (size_t)EVP_MD_get_size(md))
		return DKIMSA_EINVAL;
	if (pk->keytype == CRYPTO_KEY_RSA)
		rc = crypto_verify_rsa(pk, alg, digest, dlen, sig, siglen);
	else
		rc = crypto_verify_ed25519(pk, digest, dlen, sig, siglen);
	ERR_clear_error();
	return rc;
}

crypto_pubkey *
crypto_pubkey_ref(crypto_pubkey *pk)
{
	if (pk != NULL)
		atomic_fetch_add(&pk->refs, 1);
	return pk;
}

void
crypto_pubkey_free(crypto_pubkey *pk)
{
	if (pk == NULL || atomic_fetch_sub(&pk->refs, 1) > 1)
		return;
	EVP_PKEY_CTX_free(pk->rsa_vtpl);
	EVP_MD_CTX_free(pk->ed_vtpl);
	EVP_PKEY_free(pk->pkey);
	free(pk);
}

int
crypto_pubkey_matches(const crypto_pubkey *pk, const dkimsa_key *key)
{
	return EVP_PKEY_eq(pk->pkey, key->pkey) == 1;
}
