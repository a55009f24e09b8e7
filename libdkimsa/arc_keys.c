/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * arc_keys.c - the key records an ARC chain needs, one lookup per
 * distinct selector and domain and message (a chain sealed by one
 * forwarder names the same key several times).  Through the caller's
 * dkimsa_key_fn, or the library's DNS (keydns.c), whose queries start at
 * end of headers so they run while the body arrives.  The records belong
 * to the arc object.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arc.h"
#include "keyrec.h"
#include "lib.h"

static struct arc_key *
arc_keys_find(dkimsa_arc *a, const char *domain, const char *selector)
{
	int i;

	for (i = 0; i < a->nkeys; i++)
		if (strcasecmp(a->keys[i].domain, domain) == 0 &&
		    strcasecmp(a->keys[i].selector, selector) == 0)
			return &a->keys[i];
	return NULL;
}

void
arc_keys_want(dkimsa_arc *a, const char *domain, const char *selector)
{
	struct arc_key *k;

	if (domain == NULL || selector == NULL || a->nkeys == ARC_MAX_KEYS ||
	    arc_keys_find(a, domain, selector) != NULL)
		return;
	k = &a->keys[a->nkeys];
	memset(k, 0, sizeof(*k));
	k->domain = strdup(domain);
	k->selector = strdup(selector);
	if (k->domain == NULL || k->selector == NULL) {
		free(k->domain);
		free(k->selector);
		return; /* looked up again, and failing, at finish */
	}
	a->nkeys++;
	if (a->key_fn == NULL && a->lib != NULL)
		k->q = keydns_start(a->lib, domain, selector);
}

static void
arc_keys_fetch(dkimsa_arc *a, struct arc_key *k)
{
	k->fetched = 1;
	k->secure = -1;
	if (a->key_fn != NULL)
		k->rc = a->key_fn(a->key_arg, k->domain, k->selector, &k->txt,
				  &k->secure);
	else if (a->lib != NULL && k->q != NULL) {
		k->rc = keydns_finish(a->lib, k->q, &k->txt, &k->secure);
		k->q = NULL;
	} else if (a->lib != NULL)
		k->rc = keydns_fetch(a->lib, k->domain, k->selector, &k->txt,
				     &k->secure);
	else
		k->rc = DKIMSA_LOOKUP_TEMPFAIL;
	if (k->rc == DKIMSA_LOOKUP_OK && k->txt == NULL)
		k->rc = DKIMSA_LOOKUP_TEMPFAIL;
}

const char *
arc_keys_get(dkimsa_arc *a, const char *domain, const char *selector,
	     char *reason, size_t rlen)
{
	struct arc_key *k;

	arc_keys_want(a, domain, selector);
	k = arc_keys_find(a, domain, selector);
	if (k == NULL) {
		snprintf(reason, rlen,
			 "no key lookup possible for %s._domainkey.%s",
			 selector, domain);
		return NULL;
	}
	if (!k->fetched)
		arc_keys_fetch(a, k);
	switch (k->rc) {
	case DKIMSA_LOOKUP_OK:
		return k->txt;
	case DKIMSA_LOOKUP_NXDOMAIN:
		snprintf(reason, rlen,
			 "no key (%s._domainkey.%s does not exist)", selector,
			 domain);
		break;
	case DKIMSA_LOOKUP_NODATA:
		snprintf(reason, rlen,
			 "no key (no TXT record at %s._domainkey.%s)", selector,
			 domain);
		break;
	case DKIMSA_LOOKUP_BOGUS:
		snprintf(reason, rlen,
			 "key record of %s._domainkey.%s failed DNSSEC "
			 "validation (bogus)",
			 selector, domain);
		break;
	default:
		snprintf(reason, rlen,
			 "key lookup of %s._domainkey.%s failed temporarily",
			 selector, domain);
	}
	return NULL;
}

const crypto_pubkey *
arc_keys_pubkey(dkimsa_arc *a, const char *domain, const char *selector,
		int alg, char *why, size_t wlen)
{
	const char *txt = arc_keys_get(a, domain, selector, why, wlen);
	struct arc_key *k;
	struct keyrec kr;

	if (txt == NULL)
		return NULL;
	k = arc_keys_find(a, domain, selector);
	if (k->pk_alg != alg) { /* first use, or another a= on this key */
		crypto_pubkey_free(k->pk);
		k->pk = NULL;
		k->pk_alg = alg;
		keyrec_init(&kr);
		k->pk_cause = keyrec_pubkey(
		    a->lib != NULL ? lib_pkcache(a->lib) : NULL, txt, alg, NULL,
		    NULL, &kr, &k->pk, k->pk_why, sizeof(k->pk_why));
		keyrec_free(&kr);
	}
	if (k->pk_cause != DKIMSA_CAUSE_NONE)
		snprintf(why, wlen, "%s", k->pk_why);
	return k->pk_cause == DKIMSA_CAUSE_NONE ? k->pk : NULL;
}

/*
 * A pair whose query could not start (no DNS, a name too long) would be
 * asked again at finish, so it is not ready; with a key callback nothing
 * is (the callback may block); without a library there is no DNS to
 * wait for.
 */
int
arc_keys_ready(const dkimsa_arc *a)
{
	int i;

	if (a->key_fn != NULL)
		return 0;
	for (i = 0; a->lib != NULL && i < a->nkeys; i++)
		if (!a->keys[i].fetched &&
		    (a->keys[i].q == NULL || !dns_query_ready(a->keys[i].q)))
			return 0;
	return 1;
}

void
arc_keys_free(dkimsa_arc *a)
{
	int i;

	for (i = 0; i < a->nkeys; i++) {
		crypto_pubkey_free(a->keys[i].pk);
		free(a->keys[i].domain);
		free(a->keys[i].selector);
		free(a->keys[i].txt);
		if (a->keys[i].q != NULL)
			dns_query_cancel(a->keys[i].q);
	}
	a->nkeys = 0;
}
