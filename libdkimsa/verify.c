/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * verify.c - a verifying session (RFC 6376 section 6).  At end of headers
 * every DKIM-Signature (up to MaximumSignaturesToVerify) is parsed and gets
 * a streaming body hash (a slot of the session's dkimsa_body, body.c,
 * shared by the signatures with the same c=, l= and digest, and with the
 * ARC object when the caller attached one dkimsa_body to both); at finish each signature fetches its key
 * (6.1.2), checks the body hash (6.1.3) and the header signature.  A
 * signature's result only changes through verify_set(), which records the
 * cause (enum dkimsa_cause) and the reason.  RFC 8301: rsa-sha1 and RSA keys below MinimumKeyBits never
 * pass (result "policy").  The session owns all result strings.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "body.h"
#include "crypto.h"
#include "dkimhash.h"
#include "dkimsa.h"
#include "hdr.h"
#include "keyrec.h"
#include "lib.h"
#include "pkcache.h"
#include "sig.h"

struct verify_sig {
	struct sig sig;
	dkimsa_sigresult res;
	int decided;   /* result final before finish (parse error, expiry) */
	size_t field;  /* index in hdrs */
	int bh;	       /* body hash slot, -1 when decided before the body */
	dns_query *kq; /* key query started at end of headers */
	int kq_started;
	char reason[256];
};

struct dkimsa_verify {
	dkimsa_lib *lib;
	dkimsa_key_fn key_fn;
	void *key_arg;
	long long now;
	struct hdrs hdrs;
	struct verify_sig *sigs;
	int nsigs;
	int state;	   /* 0 headers, 1 body, 2 finished */
	dkimsa_body *body; /* own, or shared (dkimsa_verify_set_body) */
	int shared;
};

/*
 * The one place a signature's result changes: the RFC 8601 word, the
 * machine-readable cause (enum dkimsa_cause) and the reason for people,
 * always together.
 */
__attribute__((format(printf, 4, 5))) static void
verify_set(struct verify_sig *vs, int result, int cause, const char *fmt, ...)
{
	va_list ap;

	vs->res.result = result;
	vs->res.cause = cause;
	va_start(ap, fmt);
	vsnprintf(vs->reason, sizeof(vs->reason), fmt, ap);
	va_end(ap);
	vs->res.reason = vs->reason;
}

int
dkimsa_verify_new(dkimsa_lib *lib, dkimsa_verify **out)
{
	dkimsa_verify *v = calloc(1, sizeof(*v));

	*out = v;
	if (v == NULL)
		return DKIMSA_ENOMEM;
	v->lib = lib;
	hdrs_init(&v->hdrs);
	if (dkimsa_body_new(&v->body) != 0) {
		dkimsa_verify_free(v);
		*out = NULL;
		return DKIMSA_ENOMEM;
	}
	return 0;
}

int
dkimsa_verify_set_body(dkimsa_verify *v, dkimsa_body *b)
{
	if (v->state != 0 || v->shared)
		return DKIMSA_ESTATE;
	dkimsa_body_free(v->body);
	v->body = body_ref(b);
	v->shared = 1;
	return 0;
}

void
dkimsa_verify_free(dkimsa_verify *v)
{
	int i;

	if (v == NULL)
		return;
	for (i = 0; i < v->nsigs; i++) {
		sig_free(&v->sigs[i].sig);
		if (v->sigs[i].kq != NULL)
			dns_query_cancel(v->sigs[i].kq);
	}
	free(v->sigs);
	hdrs_free(&v->hdrs);
	dkimsa_body_free(v->body);
	free(v);
}

void
dkimsa_verify_set_key_fn(dkimsa_verify *v, dkimsa_key_fn fn, void *arg)
{
	v->key_fn = fn;
	v->key_arg = arg;
}

void
dkimsa_verify_set_time(dkimsa_verify *v, long long now)
{
	v->now = now;
}

int
dkimsa_verify_header(dkimsa_verify *v, const char *field, size_t len)
{
	if (v->state != 0)
		return DKIMSA_ESTATE;
	return hdrs_add(&v->hdrs, field, len);
}

/* Points the public result at the parsed values. */
static void
verify_fill(struct verify_sig *vs)
{
	struct sig *s = &vs->sig;

	vs->res.domain = s->domain ? s->domain : "";
	vs->res.selector = s->selector ? s->selector : "";
	vs->res.auid = s->auid ? s->auid : "";
	vs->res.alg = s->alg;
	vs->res.b = s->b_text ? s->b_text : "";
	vs->res.body_limit = s->l;
	vs->res.header_canon = s->hcanon;
	vs->res.body_canon = s->bcanon;
	vs->res.key_secure = -1;
	if (vs->res.reason == NULL)
		verify_set(vs, DKIMSA_RES_NEUTRAL, DKIMSA_CAUSE_NONE,
			   "not evaluated");
}

static int
verify_setup(dkimsa_verify *v, struct verify_sig *vs)
{
	const struct hdr *f = &v->hdrs.v[vs->field];
	char why[200];
	int rc;

	vs->bh = -1;
	sig_init(&vs->sig);
	rc = sig_parse(f->text, f->len, &vs->sig, why, sizeof(why));
	if (rc == DKIMSA_ENOMEM)
		return rc;
	if (rc != 0) {
		verify_set(vs, DKIMSA_RES_PERMERROR, DKIMSA_CAUSE_SIG_SYNTAX,
			   "%s", why);
		vs->decided = 1;
	} else if (vs->sig.x >= 0 && vs->sig.x < v->now) {
		/* RFC 6376 6.1.1: PERMFAIL (signature expired) */
		verify_set(vs, DKIMSA_RES_PERMERROR, DKIMSA_CAUSE_SIG_EXPIRED,
			   "signature expired at %lld", vs->sig.x);
		vs->decided = 1;
	} else if ((vs->bh = body_want(v->body, vs->sig.bcanon, vs->sig.l,
				       vs->sig.alg)) < 0) {
		return vs->bh;
	}
	verify_fill(vs);
	return 0;
}

/* Keys from the library's DNS: ask now, collect at finish (6.1.2). */
static void
verify_prefetch(dkimsa_verify *v)
{
	int i;

	if (v->key_fn != NULL || v->lib == NULL)
		return;
	for (i = 0; i < v->nsigs; i++) {
		struct verify_sig *vs = &v->sigs[i];

		if (vs->decided)
			continue;
		vs->kq = keydns_start(v->lib, vs->sig.domain, vs->sig.selector);
		vs->kq_started = 1;
	}
}

int
dkimsa_verify_eoh(dkimsa_verify *v)
{
	int max = lib_max_signatures(v->lib), rc;
	size_t i;

	if (v->state != 0)
		return DKIMSA_ESTATE;
	v->state = 1;
	if (v->now <= 0)
		v->now = (long long)time(NULL);
	v->sigs = calloc((size_t)max + 1, sizeof(*v->sigs));
	if (v->sigs == NULL)
		return DKIMSA_ENOMEM;
	for (i = 0; i < v->hdrs.n && v->nsigs < max; i++) {
		if (!hdr_name_is(&v->hdrs.v[i], "dkim-signature", 14))
			continue;
		v->sigs[v->nsigs].field = i;
		rc = verify_setup(v, &v->sigs[v->nsigs++]);
		if (rc != 0)
			return rc;
	}
	verify_prefetch(v);
	return 0;
}

int
dkimsa_verify_body(dkimsa_verify *v, const void *data, size_t len)
{
	int rc;

	if (v->shared) /* the caller gives it to dkimsa_body_update */
		return DKIMSA_ESTATE;
	if (v->state == 0 && (rc = dkimsa_verify_eoh(v)) != 0)
		return rc;
	if (v->state != 1)
		return DKIMSA_ESTATE;
	return dkimsa_body_update(v->body, data, len);
}

/* Fetches the key record text; sets the result and returns -1 on failure. */
static int
verify_fetch(dkimsa_verify *v, struct verify_sig *vs, char **txt)
{
	int secure = -1, rc;

	*txt = NULL;
	if (v->key_fn != NULL)
		rc = v->key_fn(v->key_arg, vs->sig.domain, vs->sig.selector,
			       txt, &secure);
	else if (v->lib != NULL && vs->kq_started) {
		rc = keydns_finish(v->lib, vs->kq, txt, &secure);
		vs->kq = NULL;
	} else if (v->lib != NULL)
		rc = keydns_fetch(v->lib, vs->sig.domain, vs->sig.selector, txt,
				  &secure);
	else
		rc = DKIMSA_LOOKUP_TEMPFAIL;
	switch (rc) {
	case DKIMSA_LOOKUP_OK:
		if (*txt != NULL) { /* DNSSEC state: known with a record */
			vs->res.key_secure = secure;
			return 0;
		}
		verify_set(vs, DKIMSA_RES_TEMPERROR, DKIMSA_CAUSE_DNS_TEMP,
			   "key lookup failed");
		return -1;
	case DKIMSA_LOOKUP_NXDOMAIN:
		verify_set(vs, DKIMSA_RES_PERMERROR, DKIMSA_CAUSE_KEY_NXDOMAIN,
			   "no key for signature "
			   "(%s._domainkey.%s does not exist)",
			   vs->sig.selector, vs->sig.domain);
		return -1;
	case DKIMSA_LOOKUP_NODATA:
		verify_set(vs, DKIMSA_RES_PERMERROR, DKIMSA_CAUSE_KEY_NODATA,
			   "no key for signature "
			   "(no TXT record at %s._domainkey.%s)",
			   vs->sig.selector, vs->sig.domain);
		return -1;
	case DKIMSA_LOOKUP_BOGUS:
		verify_set(vs, DKIMSA_RES_PERMERROR, DKIMSA_CAUSE_DNSSEC_BOGUS,
			   "key record failed DNSSEC validation (bogus)");
		return -1;
	default:
		verify_set(vs, DKIMSA_RES_TEMPERROR, DKIMSA_CAUSE_DNS_TEMP,
			   "key lookup failed temporarily (DNS error or "
			   "timeout)");
		return -1;
	}
}

/* RFC 6376 section 6.1.2 checks of the key record against the signature
 * (keyrec_pubkey, with the library's cache of parsed records). */
static crypto_pubkey *
verify_key(dkimsa_verify *v, struct verify_sig *vs)
{
	crypto_pubkey *pk = NULL;
	struct pkcache *pkc = v->lib != NULL ? lib_pkcache(v->lib) : NULL;
	struct keyrec kr;
	char *txt, why[256];
	const char *idom = strrchr(vs->sig.auid, '@') + 1;
	int cause;

	if (verify_fetch(v, vs, &txt) != 0)
		return NULL;
	keyrec_init(&kr);
	cause = keyrec_pubkey(pkc, txt, vs->sig.alg, idom, vs->sig.domain, &kr,
			      &pk, why, sizeof(why));
	if (cause != DKIMSA_CAUSE_NONE)
		verify_set(vs, DKIMSA_RES_PERMERROR, cause, "%s", why);
	vs->res.testing = kr.testing;
	keyrec_free(&kr);
	free(txt);
	return pk;
}

/* 1 when bh= matches, 0 when not, 2 when l= passes the body, -1 error. */
static int
verify_body_hash_ok(dkimsa_verify *v, struct verify_sig *vs)
{
	const struct body_hash *b = body_get(v->body, vs->bh);

	if (b == NULL)
		return -1;
	vs->res.body_seen = b->total;
	if (vs->sig.l >= 0 && vs->res.body_seen < vs->sig.l)
		return 2;
	return b->mdlen == vs->sig.bh.len &&
	       memcmp(b->md, vs->sig.bh.data, b->mdlen) == 0;
}

/* Header hash over the fields with the b= value taken out. */
static int
verify_header_sig(dkimsa_verify *v, struct verify_sig *vs,
		  const crypto_pubkey *pk)
{
	const struct hdr *f = &v->hdrs.v[vs->field];
	unsigned char md[CRYPTO_MAX_MD];
	size_t mdlen = 0;
	buf emptied;
	int rc;

	buf_init(&emptied);
	buf_add(&emptied, f->text, vs->sig.b_start);
	buf_add(&emptied, f->text + vs->sig.b_end, f->len - vs->sig.b_end);
	rc = emptied.err;
	if (rc == 0)
		rc = dkimhash_headers(&v->hdrs, vs->sig.h, vs->sig.nh,
				      vs->sig.hcanon, emptied.data, emptied.len,
				      vs->sig.alg, md, &mdlen);
	buf_free(&emptied);
	if (rc != 0)
		return rc;
	return crypto_verify(pk, vs->sig.alg, md, mdlen,
			     (unsigned char *)vs->sig.b.data, vs->sig.b.len);
}

static void
verify_one(dkimsa_verify *v, struct verify_sig *vs)
{
	unsigned min = lib_min_key_bits(v->lib);
	crypto_pubkey *pk = verify_key(v, vs);
	int ok;

	if (pk == NULL)
		return;
	vs->res.key_bits = crypto_pubkey_bits(pk);
	ok = verify_body_hash_ok(v, vs);
	if (ok < 0)
		verify_set(vs, DKIMSA_RES_TEMPERROR, DKIMSA_CAUSE_CRYPTO,
			   "body hash failed");
	else if (ok == 2) /* RFC 6376 3.5: a malformed signature */
		verify_set(vs, DKIMSA_RES_PERMERROR, DKIMSA_CAUSE_SIG_SYNTAX,
			   "l= is larger than the body (l=%lld, %lld bytes)",
			   vs->sig.l, vs->res.body_seen);
	else if (!ok)
		verify_set(vs, DKIMSA_RES_FAIL, DKIMSA_CAUSE_BODY_HASH,
			   "body hash did not verify");
	else if (vs->sig.alg == DKIMSA_ALG_RSA_SHA1)
		verify_set(vs, DKIMSA_RES_POLICY, DKIMSA_CAUSE_POLICY,
			   "rsa-sha1 signatures are not accepted (RFC 8301)");
	else if (vs->sig.alg != DKIMSA_ALG_ED25519_SHA256 &&
		 vs->res.key_bits < min)
		verify_set(vs, DKIMSA_RES_POLICY, DKIMSA_CAUSE_POLICY,
			   "%u-bit key is below the minimum of %u bits",
			   vs->res.key_bits, min);
	else if ((ok = verify_header_sig(v, vs, pk)) == 1)
		verify_set(vs, DKIMSA_RES_PASS, DKIMSA_CAUSE_NONE,
			   "signature verified%s%s",
			   vs->sig.l >= 0 ? "; body length limited by l=" : "",
			   vs->res.testing ? "; key in testing mode (t=y)"
					   : "");
	else if (ok == 0)
		verify_set(vs, DKIMSA_RES_FAIL, DKIMSA_CAUSE_HEADER_SIG,
			   "signature did not verify");
	else
		verify_set(vs, DKIMSA_RES_PERMERROR, DKIMSA_CAUSE_CRYPTO,
			   "signature could not be checked");
	crypto_pubkey_free(pk);
}

int
dkimsa_verify_finish(dkimsa_verify *v)
{
	int i, rc;

	if (v->state == 0 && (rc = dkimsa_verify_eoh(v)) != 0)
		return rc;
	if (v->state != 1)
		return DKIMSA_ESTATE;
	v->state = 2;
	for (i = 0; i < v->nsigs; i++)
		if (!v->sigs[i].decided)
			verify_one(v, &v->sigs[i]);
	return 0;
}

int
dkimsa_verify_keys_ready(const dkimsa_verify *v)
{
	int i;

	if (v->state != 1 || v->key_fn != NULL)
		return 0;
	for (i = 0; i < v->nsigs; i++)
		if (!v->sigs[i].decided &&
		    (!v->sigs[i].kq_started || !dns_query_ready(v->sigs[i].kq)))
			return 0;
	return 1;
}

int
dkimsa_verify_count(const dkimsa_verify *v)
{
	return v->nsigs;
}

const dkimsa_sigresult *
dkimsa_verify_result(const dkimsa_verify *v, int i)
{
	if (i < 0 || i >= v->nsigs)
		return NULL;
	return &v->sigs[i].res;
}
