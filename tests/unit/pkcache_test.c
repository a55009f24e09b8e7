/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pkcache_test.c - parsed DKIM key records (libdkimsa/pkcache.c): a kept
 * record gives back its tags and the very same key (one more reference),
 * another text misses, a record in the same slot replaces the old one
 * (the bound), a record too long is not kept, the key outlives its
 * eviction while a caller holds it, and threads sharing the cache see
 * whole entries.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "dkimsa.h"
#include "keyrec.h"
#include "pkcache.h"
#include "t.h"

static char *rec; /* "v=DKIM1; k=rsa; p=..." of tests/data/keys/rsa2048 */

/* Parses txt into *k and *pk; 0 on success. */
static int
parse(const char *txt, struct keyrec *k, crypto_pubkey **pk)
{
	char why[200];

	keyrec_init(k);
	*pk = NULL;
	if (keyrec_parse(txt, strlen(txt), k, why, sizeof(why)) != 0)
		return -1;
	return crypto_pubkey_parse(k->keytype, (unsigned char *)k->pub.data,
				   k->pub.len, pk, why, sizeof(why));
}

static void
test_rows(void)
{
	pkcache *c = pkcache_new();
	struct keyrec k, got;
	crypto_pubkey *pk, *hit = NULL;
	char other[4000];
	int rc;

	if (!t_ok(c != NULL && parse(rec, &k, &pk) == 0, "setup",
		  "cannot parse the test record"))
		return;
	keyrec_init(&got);
	t_ok(!pkcache_get(c, rec, &got, &hit) && hit == NULL,
	     "an empty cache misses", "hit");
	k.testing = 1; /* tags come back as they went in */
	pkcache_put(c, rec, &k, pk);
	rc = pkcache_get(c, rec, &got, &hit);
	t_ok(rc == 1 && hit == pk && got.keytype == k.keytype &&
		 got.hashes == k.hashes && got.testing == 1 &&
		 got.email_ok == k.email_ok && got.pub.len == 0,
	     "a kept record gives back its tags and the same key",
	     "rc %d same key %d", rc, hit == pk);
	crypto_pubkey_free(hit);
	snprintf(other, sizeof(other), "%s ", rec);
	t_ok(!pkcache_get(c, other, &got, &hit),
	     "another text (one byte more) misses", "hit");
	/* evicted while held: the caller's reference keeps the key */
	pkcache_get(c, rec, &got, &hit);
	pkcache_free(c);
	t_ok(hit != NULL && crypto_pubkey_bits(hit) == 2048,
	     "a key outlives the cache while a caller holds it", "bits %u",
	     hit ? crypto_pubkey_bits(hit) : 0);
	crypto_pubkey_free(hit);
	/* a record longer than PKCACHE_MAX_TEXT is not kept */
	c = pkcache_new();
	memset(other, 'x', sizeof(other) - 1);
	other[sizeof(other) - 1] = '\0';
	pkcache_put(c, other, &k, pk);
	t_ok(!pkcache_get(c, other, &got, &hit),
	     "a record too long is not kept", "hit");
	pkcache_free(c);
	crypto_pubkey_free(pk);
	keyrec_free(&k);
}

/* The bound: many records, never more than SHARDS x SLOTS kept; each
 * record in a slot replaces the one before. */
static void
test_bound(void)
{
	pkcache *c = pkcache_new();
	struct keyrec k, got;
	crypto_pubkey *pk, *hit;
	char txt[64];
	int i, n = PKCACHE_SHARDS * PKCACHE_SLOTS * 4, kept = 0;

	if (parse(rec, &k, &pk) != 0)
		return;
	for (i = 0; i < n; i++) {
		snprintf(txt, sizeof(txt), "record %d", i);
		pkcache_put(c, txt, &k, pk);
	}
	for (i = 0; i < n; i++) {
		snprintf(txt, sizeof(txt), "record %d", i);
		if (pkcache_get(c, txt, &got, &hit)) {
			kept++;
			crypto_pubkey_free(hit);
		}
	}
	t_ok(kept > 0 && kept <= PKCACHE_SHARDS * PKCACHE_SLOTS,
	     "no more records kept than the bound", "%d kept of %d", kept, n);
	snprintf(txt, sizeof(txt), "record %d", n - 1);
	t_ok(pkcache_get(c, txt, &got, &hit) && hit == pk,
	     "the last record put is kept", "miss");
	crypto_pubkey_free(hit);
	pkcache_free(c);
	crypto_pubkey_free(pk);
	keyrec_free(&k);
}

static pkcache *shared;
static crypto_pubkey *shared_pk;
static struct keyrec shared_k;

static void *
worker(void *arg)
{
	long bad = 0, i;
	char txt[64];
	struct keyrec got;
	crypto_pubkey *hit;

	for (i = 0; i < 20000; i++) {
		snprintf(txt, sizeof(txt), "record %ld",
			 (i * 7 + (long)arg) % 300);
		if (i % 3 == 0)
			pkcache_put(shared, txt, &shared_k, shared_pk);
		else if (pkcache_get(shared, txt, &got, &hit)) {
			bad +=
			    hit != shared_pk || crypto_pubkey_bits(hit) != 2048;
			crypto_pubkey_free(hit);
		}
	}
	return (void *)bad;
}

static void
test_threads(void)
{
	pthread_t th[8];
	long bad = 0;
	void *r;
	int i, started = 0;

	if ((shared = pkcache_new()) == NULL ||
	    parse(rec, &shared_k, &shared_pk) != 0)
		return;
	for (i = 0; i < 8; i++)
		started += pthread_create(&th[started], NULL, worker,
					  (void *)(long)i) == 0;
	for (i = 0; i < started; i++) {
		pthread_join(th[i], &r);
		bad += (long)r;
	}
	pkcache_free(shared);
	/* every reference given out was dropped: ours is the last */
	t_ok(started == 8 && bad == 0 && crypto_pubkey_bits(shared_pk) == 2048,
	     "threads sharing the cache see whole entries",
	     "%d threads, %ld wrong", started, bad);
	crypto_pubkey_free(shared_pk);
	keyrec_free(&shared_k);
}

int
main(void)
{
	dkimsa_key *key = NULL;
	char err[200];

	if (!t_ok(dkimsa_key_load(KEYDIR "/rsa2048.pem", &key, err,
				  sizeof(err)) == 0 &&
		      dkimsa_key_record(key, &rec) == 0,
		  "test key loads", "%s", err))
		return t_exit();
	test_rows();
	test_bound();
	test_threads();
	free(rec);
	dkimsa_key_free(key);
	return t_exit();
}
