/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * pkcache.c - see pkcache.h.  A slot is found by an FNV-1a hash of the
 * record text; the text is compared in full.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "pkcache.h"

struct pkc_slot {
	unsigned hash;
	char *txt; /* NULL: empty */
	struct keyrec tags;
	crypto_pubkey *pk;
};

struct pkc_shard {
	pthread_mutex_t lock;
	struct pkc_slot slot[PKCACHE_SLOTS];
};

struct pkcache {
	struct pkc_shard shard[PKCACHE_SHARDS];
};

static unsigned
pkc_hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h ^ (h >> 16);
}

pkcache *
pkcache_new(void)
{
	pkcache *c = calloc(1, sizeof(*c));
	size_t i;

	for (i = 0; c != NULL && i < PKCACHE_SHARDS; i++)
		pthread_mutex_init(&c->shard[i].lock, NULL);
	return c;
}

static void
pkc_clear(struct pkc_slot *s)
{
	free(s->txt);
	crypto_pubkey_free(s->pk);
	s->txt = NULL;
	s->pk = NULL;
}

void
pkcache_free(pkcache *c)
{
	size_t i, j;

	if (c == NULL)
		return;
	for (i = 0; i < PKCACHE_SHARDS; i++) {
		for (j = 0; j < PKCACHE_SLOTS; j++)
			pkc_clear(&c->shard[i].slot[j]);
		pthread_mutex_destroy(&c->shard[i].lock);
	}
	free(c);
}

/* The shard and slot of hash h. */
static struct pkc_shard *
pkc_where(pkcache *c, unsigned h, struct pkc_slot **slot)
{
	struct pkc_shard *sh = &c->shard[h % PKCACHE_SHARDS];

	*slot = &sh->slot[(h / PKCACHE_SHARDS) % PKCACHE_SLOTS];
	return sh;
}

int
pkcache_get(pkcache *c, const char *txt, struct keyrec *k, crypto_pubkey **pk)
{
	unsigned h = pkc_hash(txt);
	struct pkc_slot *s;
	struct pkc_shard *sh = pkc_where(c, h, &s);
	int hit;

	*pk = NULL;
	pthread_mutex_lock(&sh->lock);
	hit = s->txt != NULL && s->hash == h && strcmp(s->txt, txt) == 0;
	if (hit) {
		*pk = crypto_pubkey_ref(s->pk);
		k->keytype = s->tags.keytype;
		k->hashes = s->tags.hashes;
		k->revoked = s->tags.revoked;
		k->testing = s->tags.testing;
		k->strict = s->tags.strict;
		k->email_ok = s->tags.email_ok;
	}
	pthread_mutex_unlock(&sh->lock);
	return hit;
}

void
pkcache_put(pkcache *c, const char *txt, const struct keyrec *k,
	    crypto_pubkey *pk)
{
	unsigned h = pkc_hash(txt);
	struct pkc_slot *s, old;
	struct pkc_shard *sh = pkc_where(c, h, &s);
	size_t len = strlen(txt);
	char *copy;

	if (len > PKCACHE_MAX_TEXT || (copy = malloc(len + 1)) == NULL)
		return;
	memcpy(copy, txt, len + 1);
	pthread_mutex_lock(&sh->lock);
	old = *s;
	s->hash = h;
	s->txt = copy;
	s->tags = *k;
	buf_init(&s->tags.pub); /* the tags only */
	s->pk = crypto_pubkey_ref(pk);
	pthread_mutex_unlock(&sh->lock);
	pkc_clear(&old); /* outside the lock */
}
