/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sign.c - a signing session (RFC 6376 section 5): header fields are kept
 * (they are small and h= needs them all), the body streams through the
 * canonicaliser into the body hash, and finish builds and signs the
 * DKIM-Signature field.  The body hash is a slot of a dkimsa_body
 * (body.c): the session's own, or one shared with the message's other
 * signers and its ARC seal (dkimsa_sign_set_body).  The session holds a
 * reference on its key and on its dkimsa_body.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "b64.h"
#include "body.h"
#include "crypto.h"
#include "dkimhash.h"
#include "dkimsa.h"
#include "hdr.h"
#include "sig.h"

const char dkimsa_default_sign_headers[] =
    "from:reply-to:subject:date:to:cc:resent-date:resent-from:"
    "resent-sender:resent-to:resent-cc:in-reply-to:references:"
    "message-id:mime-version:content-type:content-transfer-encoding:"
    "content-id:content-description:list-id:list-help:list-unsubscribe:"
    "list-subscribe:list-post:list-owner:list-archive";

struct dkimsa_sign {
	dkimsa_key *key;
	int alg, hcanon, bcanon;
	char *domain, *selector, *auid, *sign_headers, *oversign;
	long long now, expire, limit;
	struct hdrs hdrs;
	dkimsa_body *body; /* own, or shared (dkimsa_sign_set_body) */
	int slot;	   /* our hash in body */
	int shared, fed;   /* attached; body bytes given */
	int done;
};

static char *
sign_lower_dup(const char *s)
{
	char *d = s ? strdup(s) : NULL;
	size_t i;

	for (i = 0; d != NULL && d[i]; i++)
		d[i] = (char)tolower((unsigned char)d[i]);
	return d;
}

int
dkimsa_sign_new(const dkimsa_sign_opts *o, dkimsa_sign **out)
{
	dkimsa_sign *s;

	*out = NULL;
	if (o == NULL || o->key == NULL || o->domain == NULL ||
	    o->selector == NULL ||
	    !sig_domain_ok(o->domain, strlen(o->domain)) ||
	    !sig_domain_ok(o->selector, strlen(o->selector)))
		return DKIMSA_EINVAL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return DKIMSA_ENOMEM;
	s->key = dkimsa_key_ref(o->key);
	s->alg = dkimsa_key_alg(o->key);
	s->hcanon = o->header_canon;
	s->bcanon = o->body_canon;
	s->domain = sign_lower_dup(o->domain);
	s->selector = strdup(o->selector);
	s->auid = o->auid ? strdup(o->auid) : NULL;
	s->sign_headers = sign_lower_dup(
	    o->sign_headers ? o->sign_headers : dkimsa_default_sign_headers);
	s->oversign =
	    sign_lower_dup(o->oversign_headers ? o->oversign_headers : "from");
	s->now = o->now > 0 ? o->now : (long long)time(NULL);
	s->expire = o->expire;
	s->limit = o->body_limit;
	hdrs_init(&s->hdrs);
	if (dkimsa_body_new(&s->body) == 0)
		s->slot = body_want(s->body, s->bcanon, s->limit, s->alg);
	if (s->domain == NULL || s->selector == NULL ||
	    s->sign_headers == NULL || s->oversign == NULL || s->body == NULL ||
	    s->slot < 0 || (o->auid != NULL && s->auid == NULL)) {
		dkimsa_sign_free(s);
		return DKIMSA_ENOMEM;
	}
	*out = s;
	return 0;
}

int
dkimsa_sign_alg(const dkimsa_sign *s)
{
	return s != NULL ? s->alg : DKIMSA_ALG_NONE;
}

void
dkimsa_sign_free(dkimsa_sign *s)
{
	if (s == NULL)
		return;
	dkimsa_key_free(s->key);
	free(s->domain);
	free(s->selector);
	free(s->auid);
	free(s->sign_headers);
	free(s->oversign);
	hdrs_free(&s->hdrs);
	dkimsa_body_free(s->body);
	free(s);
}

int
dkimsa_sign_set_body(dkimsa_sign *s, dkimsa_body *b)
{
	int slot;

	if (s->done || s->shared || s->fed)
		return DKIMSA_ESTATE;
	if ((slot = body_want(b, s->bcanon, s->limit, s->alg)) < 0)
		return slot;
	dkimsa_body_free(s->body);
	s->body = body_ref(b);
	s->slot = slot;
	s->shared = 1;
	return 0;
}

int
dkimsa_sign_header(dkimsa_sign *s, const char *field, size_t len)
{
	if (s->done)
		return DKIMSA_ESTATE;
	return hdrs_add(&s->hdrs, field, len);
}

int
dkimsa_sign_body(dkimsa_sign *s, const void *data, size_t len)
{
	if (s->done || s->shared) /* shared: dkimsa_body_update */
		return DKIMSA_ESTATE;
	s->fed = 1;
	return dkimsa_body_update(s->body, data, len);
}

/* 1 when name (length n) is an item of the colon-separated list. */
static int
sign_in_list(const char *list, const char *name, size_t n)
{
	const char *p = list;

	while (*p) {
		size_t k = strcspn(p, ":");

		if (k == n && strncasecmp(p, name, n) == 0)
			return 1;
		p += k;
		if (*p == ':')
			p++;
	}
	return 0;
}

/*
 * h=: every instance of each listed header present in the message, plus
 * one more for the over-signed names.  names[] point into hlist.
 */
static int
sign_hlist(dkimsa_sign *s, buf *hlist, char ***names, size_t *count)
{
	const char *p = s->sign_headers;
	size_t i, k, n, total = 0;
	int from_seen = 0;

	while (*p) {
		k = strcspn(p, ":");
		n = 0;
		for (i = 0; i < s->hdrs.n; i++)
			n += (size_t)hdr_name_is(&s->hdrs.v[i], p, k);
		if (k == 4 && strncmp(p, "from", 4) == 0)
			from_seen = n > 0;
		n += (size_t)(k > 0 && sign_in_list(s->oversign, p, k));
		for (i = 0; i < n; i++) {
			if (hlist->len > 0)
				buf_addc(hlist, ':');
			buf_add(hlist, p, k);
			total++;
		}
		p += k;
		if (*p == ':')
			p++;
	}
	if (!from_seen)
		return DKIMSA_ESYNTAX; /* From must exist and be signed */
	if (hlist->err)
		return hlist->err;
	*names = calloc(total + 1, sizeof(char *));
	if (*names == NULL)
		return DKIMSA_ENOMEM;
	for (i = 0, p = hlist->data; i < total; i++) {
		k = strcspn(p, ":");
		if (((*names)[i] = strndup(p, k)) == NULL)
			return DKIMSA_ENOMEM;
		p += k + (p[k] == ':');
	}
	*count = total;
	return 0;
}

static void
sign_free_names(char **names, size_t count)
{
	size_t i;

	for (i = 0; names != NULL && i < count; i++)
		free(names[i]);
	free(names);
}

int
dkimsa_sign_finish(dkimsa_sign *s, char **out)
{
	unsigned char md[CRYPTO_MAX_MD];
	size_t mdlen = 0, count = 0;
	buf field, hlist, bh64, raw, b64;
	const struct body_hash *bh;
	char **names = NULL;
	struct sig_new n;
	int rc;

	*out = NULL;
	if (s->done)
		return DKIMSA_ESTATE;
	s->done = 1;
	buf_init(&field);
	buf_init(&hlist);
	buf_init(&bh64);
	buf_init(&raw);
	buf_init(&b64);
	bh = body_get(s->body, s->slot);
	rc = bh == NULL ? DKIMSA_ECRYPTO : b64_encode(&bh64, bh->md, bh->mdlen);
	if (rc == 0)
		rc = sign_hlist(s, &hlist, &names, &count);
	if (rc == 0) {
		memset(&n, 0, sizeof(n));
		n.alg = s->alg;
		n.hcanon = s->hcanon;
		n.bcanon = s->bcanon;
		n.domain = s->domain;
		n.selector = s->selector;
		n.auid = s->auid;
		n.hlist = hlist.data;
		n.bh = bh64.data;
		n.t = s->now;
		n.x = s->expire > 0 ? s->now + s->expire : -1;
		n.l = s->limit >= 0 ? bh->hashed : -1;
		rc = sig_format(&field, &n);
	}
	if (rc == 0)
		rc =
		    dkimhash_headers(&s->hdrs, names, count, s->hcanon,
				     field.data, field.len, s->alg, md, &mdlen);
	if (rc == 0)
		rc = crypto_sign(s->key, s->alg, md, mdlen, &raw);
	if (rc == 0)
		rc = b64_encode(&b64, raw.data, raw.len);
	if (rc == 0)
		rc = sig_format_b(&field, b64.data);
	if (rc == 0)
		*out = buf_steal(&field);
	sign_free_names(names, count);
	buf_free(&field);
	buf_free(&hlist);
	buf_free(&bh64);
	buf_free(&raw);
	buf_free(&b64);
	return rc;
}
