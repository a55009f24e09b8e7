/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keyrec.c - parse a DKIM key record (RFC 6376 section 3.6.1; k=ed25519
 * from RFC 8463).  Unknown tags and unknown flag or hash names are
 * ignored; v= must come first when present; p= is required and empty
 * means the key was revoked.  struct keyrec owns pub.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "b64.h"
#include "crypto.h"
#include "dkimsa.h"
#include "keyrec.h"
#include "pkcache.h"
#include "tagl.h"

void
keyrec_init(struct keyrec *k)
{
	memset(k, 0, sizeof(*k));
	buf_init(&k->pub);
}

void
keyrec_free(struct keyrec *k)
{
	buf_free(&k->pub);
	keyrec_init(k);
}

/* Calls fn on each item of a colon-separated list (FWS trimmed). */
static void
keyrec_each(const struct tagl_tag *t,
	    void (*fn)(struct keyrec *, const char *, size_t), struct keyrec *k)
{
	size_t pos = 0;

	while (pos <= t->vlen) {
		size_t start = tagl_skip_fws(t->val, t->vlen, pos), end;

		end = start;
		while (end < t->vlen && t->val[end] != ':')
			end++;
		pos = end + 1;
		while (end > start &&
		       (t->val[end - 1] == ' ' || t->val[end - 1] == '\t' ||
			t->val[end - 1] == '\n' || t->val[end - 1] == '\r'))
			end--;
		fn(k, t->val + start, end - start);
	}
}

static int
keyrec_is(const char *p, size_t n, const char *word)
{
	return strlen(word) == n && strncasecmp(p, word, n) == 0;
}

static void
keyrec_hash(struct keyrec *k, const char *p, size_t n)
{
	if (keyrec_is(p, n, "sha1"))
		k->hashes |= KEYREC_HASH_SHA1;
	else if (keyrec_is(p, n, "sha256"))
		k->hashes |= KEYREC_HASH_SHA256;
}

static void
keyrec_service(struct keyrec *k, const char *p, size_t n)
{
	if (keyrec_is(p, n, "*") || keyrec_is(p, n, "email"))
		k->email_ok = 1;
}

static void
keyrec_flag(struct keyrec *k, const char *p, size_t n)
{
	if (keyrec_is(p, n, "y"))
		k->testing = 1;
	else if (keyrec_is(p, n, "s"))
		k->strict = 1;
}

static int
keyrec_bad(char *reason, size_t rlen, const char *what)
{
	snprintf(reason, rlen, "key record: %s", what);
	return DKIMSA_ESYNTAX;
}

int
keyrec_parse(const char *txt, size_t len, struct keyrec *k, char *reason,
	     size_t rlen)
{
	struct tagl tl;
	const struct tagl_tag *t;
	char why[160];

	keyrec_free(k);
	while (len > 0 && (txt[len - 1] == '\n' || txt[len - 1] == '\r' ||
			   txt[len - 1] == ' ' || txt[len - 1] == '\t'))
		len--; /* a record pasted with its line end */
	if (tagl_parse(txt, len, &tl, why, sizeof(why)) != 0)
		return keyrec_bad(reason, rlen, why);
	t = tagl_find(&tl, "v");
	if (t != NULL &&
	    (t != &tl.tag[0] || !keyrec_is(t->val, t->vlen, "DKIM1")))
		return keyrec_bad(reason, rlen,
				  "v= must be first and \"DKIM1\"");
	k->keytype = CRYPTO_KEY_RSA;
	if ((t = tagl_find(&tl, "k")) != NULL) {
		if (keyrec_is(t->val, t->vlen, "rsa"))
			k->keytype = CRYPTO_KEY_RSA;
		else if (keyrec_is(t->val, t->vlen, "ed25519"))
			k->keytype = CRYPTO_KEY_ED25519;
		else
			return keyrec_bad(reason, rlen, "unknown key type k=");
	}
	k->hashes = KEYREC_HASH_SHA1 | KEYREC_HASH_SHA256;
	if ((t = tagl_find(&tl, "h")) != NULL) {
		k->hashes = 0;
		keyrec_each(t, keyrec_hash, k);
	}
	k->email_ok = 1;
	if ((t = tagl_find(&tl, "s")) != NULL) {
		k->email_ok = 0;
		keyrec_each(t, keyrec_service, k);
	}
	if ((t = tagl_find(&tl, "t")) != NULL)
		keyrec_each(t, keyrec_flag, k);
	if ((t = tagl_find(&tl, "p")) == NULL)
		return keyrec_bad(reason, rlen, "no p= tag");
	if (t->vlen == 0) {
		k->revoked = 1;
		return 0;
	}
	if (b64_decode(&k->pub, t->val, t->vlen) != 0)
		return keyrec_bad(reason, rlen, "p= is not valid base64");
	return 0;
}

__attribute__((format(printf, 4, 5))) static int
keyrec_cause(int cause, char *reason, size_t rlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reason, rlen, fmt, ap);
	va_end(ap);
	return cause;
}

int
keyrec_pubkey(struct pkcache *pkc, const char *txt, int alg, const char *idom,
	      const char *domain, struct keyrec *kr, crypto_pubkey **pk,
	      char *reason, size_t rlen)
{
	unsigned need =
	    alg == DKIMSA_ALG_RSA_SHA1 ? KEYREC_HASH_SHA1 : KEYREC_HASH_SHA256;
	crypto_pubkey *cached = NULL;
	char why[200];
	int cause = DKIMSA_CAUSE_NONE;

	*pk = NULL;
	if ((pkc == NULL || !pkcache_get(pkc, txt, kr, &cached)) &&
	    keyrec_parse(txt, strlen(txt), kr, why, sizeof(why)) != 0)
		return keyrec_cause(DKIMSA_CAUSE_KEY_SYNTAX, reason, rlen, "%s",
				    why);
	if (kr->revoked)
		cause = keyrec_cause(DKIMSA_CAUSE_KEY_REVOKED, reason, rlen,
				     "key revoked (empty p=)");
	else if (kr->keytype != crypto_alg_keytype(alg))
		cause = keyrec_cause(DKIMSA_CAUSE_KEY_MISMATCH, reason, rlen,
				     "key type k= does not match a=%s",
				     dkimsa_alg_name(alg));
	else if (!(kr->hashes & need))
		cause = keyrec_cause(DKIMSA_CAUSE_KEY_MISMATCH, reason, rlen,
				     "key h= does not allow the hash of a=%s",
				     dkimsa_alg_name(alg));
	else if (!kr->email_ok)
		cause = keyrec_cause(DKIMSA_CAUSE_KEY_MISMATCH, reason, rlen,
				     "key service type s= excludes email");
	else if (idom != NULL && kr->strict && strcasecmp(idom, domain) != 0)
		cause = keyrec_cause(DKIMSA_CAUSE_KEY_MISMATCH, reason, rlen,
				     "key has t=s but i= is a subdomain of d=");
	if (cause != DKIMSA_CAUSE_NONE || cached != NULL) {
		if (cause != DKIMSA_CAUSE_NONE)
			crypto_pubkey_free(cached);
		else
			*pk = cached; /* the reference pkcache_get gave */
		return cause;
	}
	if (crypto_pubkey_parse(kr->keytype, (unsigned char *)kr->pub.data,
				kr->pub.len, pk, why, sizeof(why)) != 0)
		return keyrec_cause(DKIMSA_CAUSE_KEY_SYNTAX, reason, rlen,
				    "key record: %s", why);
	if (pkc != NULL)
		pkcache_put(pkc, txt, kr, *pk);
	return DKIMSA_CAUSE_NONE;
}
