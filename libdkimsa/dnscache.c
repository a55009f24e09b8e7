/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dnscache.c - answers kept in front of libunbound: DNSCACHE_SHARDS
 * shards, each a chained hash table plus an LRU list under its own mutex.
 * A lookup locks only the shard its (name, type) hashes to.  An expired
 * entry is dropped when it is found; a full shard drops its least
 * recently used entry.  RFC 2308 section 5: negative answers are kept for
 * their negative TTL like positive ones; section 7: failures are not kept.
 *
 * Memory: the cache owns its entries and the answer copy in each.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dnscache.h"
#include "dns_int.h"

#define DNSCACHE_SHARDS 16

struct dc_entry {
	struct dc_entry *chain;		/* next in the hash bucket */
	struct dc_entry *newer, *older; /* LRU list */
	unsigned hash;
	int type;
	long long expires; /* clock seconds */
	struct dns_answer *ans;
	char name[];
};

struct dc_shard {
	pthread_mutex_t lock;
	struct dc_entry **bucket;
	size_t nbucket; /* a power of two */
	size_t count, max;
	struct dc_entry *newest, *oldest;
};

struct dnscache {
	long long (*now)(void);
	struct dc_shard shard[DNSCACHE_SHARDS];
};

static long long
dc_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec;
}

/* FNV-1a over the name and the type. */
static unsigned
dc_hash(const char *name, int type)
{
	unsigned h = 2166136261u;

	for (; *name != '\0'; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	h = (h ^ (unsigned)type) * 16777619u;
	return h ^ (h >> 16);
}

/* A deep copy of a with ttl; NULL when out of memory. */
static struct dns_answer *
dc_copy(const struct dns_answer *a, unsigned ttl)
{
	struct dns_answer *c = dns_answer_new(a->status, a->secure);
	size_t i;

	if (c->status == DNS_NOMEM)
		return NULL;
	c->ttl = ttl;
	for (i = 0; i < a->count; i++)
		if (dns_answer_add(c, a->rr[i].data, a->rr[i].len,
				   a->rr[i].pref) != 0) {
			dns_answer_free(c);
			return NULL;
		}
	return c;
}

dnscache *
dnscache_new(size_t max_entries)
{
	dnscache *c = calloc(1, sizeof(*c));
	size_t per = max_entries / DNSCACHE_SHARDS, nb = 8, i;

	if (c == NULL)
		return NULL;
	if (per == 0)
		per = 1;
	while (nb < per)
		nb <<= 1;
	c->now = dc_clock;
	for (i = 0; i < DNSCACHE_SHARDS; i++) {
		struct dc_shard *s = &c->shard[i];

		pthread_mutex_init(&s->lock, NULL);
		s->max = per;
		s->nbucket = nb;
		s->bucket = calloc(nb, sizeof(*s->bucket));
		if (s->bucket == NULL) {
			dnscache_free(c);
			return NULL;
		}
	}
	return c;
}

void
dnscache_set_clock(dnscache *c, long long (*now)(void))
{
	c->now = now != NULL ? now : dc_clock;
}

static void
dc_unlink_lru(struct dc_shard *s, struct dc_entry *e)
{
	if (e->newer != NULL)
		e->newer->older = e->older;
	else
		s->newest = e->older;
	if (e->older != NULL)
		e->older->newer = e->newer;
	else
		s->oldest = e->newer;
}

/* Unlinks e from its bucket and the LRU list, and frees it. */
static void
dc_drop(struct dc_shard *s, struct dc_entry *e)
{
	struct dc_entry **p = &s->bucket[e->hash & (s->nbucket - 1)];

	while (*p != e)
		p = &(*p)->chain;
	*p = e->chain;
	dc_unlink_lru(s, e);
	s->count--;
	dns_answer_free(e->ans);
	free(e);
}

/* Puts e at the newest end of the LRU list (e not on it). */
static void
dc_push(struct dc_shard *s, struct dc_entry *e)
{
	e->older = s->newest;
	e->newer = NULL;
	if (s->newest != NULL)
		s->newest->newer = e;
	else
		s->oldest = e;
	s->newest = e;
}

static struct dc_entry *
dc_find(struct dc_shard *s, unsigned h, const char *name, int type)
{
	struct dc_entry *e = s->bucket[h & (s->nbucket - 1)];

	for (; e != NULL; e = e->chain)
		if (e->hash == h && e->type == type &&
		    strcmp(e->name, name) == 0)
			return e;
	return NULL;
}

void
dnscache_free(dnscache *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < DNSCACHE_SHARDS; i++) {
		struct dc_shard *s = &c->shard[i];

		while (s->oldest != NULL)
			dc_drop(s, s->oldest);
		free(s->bucket);
		pthread_mutex_destroy(&s->lock);
	}
	free(c);
}

struct dns_answer *
dnscache_get(dnscache *c, const char *name, int type)
{
	unsigned h = dc_hash(name, type);
	struct dc_shard *s = &c->shard[h % DNSCACHE_SHARDS];
	struct dns_answer *a = NULL;
	struct dc_entry *e;
	long long now = c->now();

	pthread_mutex_lock(&s->lock);
	e = dc_find(s, h, name, type);
	if (e != NULL && e->expires <= now) {
		dc_drop(s, e);
	} else if (e != NULL) {
		dc_unlink_lru(s, e);
		dc_push(s, e);
		a = dc_copy(e->ans, (unsigned)(e->expires - now));
	}
	pthread_mutex_unlock(&s->lock);
	return a;
}

int
dnscache_put(dnscache *c, const char *name, int type,
	     const struct dns_answer *a)
{
	unsigned h, ttl;
	struct dc_shard *s;
	struct dc_entry *e, *old;
	size_t len;

	size_t i, bytes = 0;

	if (a == NULL || a->ttl == 0 ||
	    (a->status != DNS_OK && a->status != DNS_NXDOMAIN &&
	     a->status != DNS_NODATA))
		return 0;
	for (i = 0; i < a->count; i++)
		bytes += a->rr[i].len;
	if (bytes > DNSCACHE_MAX_ANSWER_BYTES)
		return 0;
	ttl = a->ttl;
	if (a->status == DNS_OK && ttl > DNSCACHE_MAX_TTL)
		ttl = DNSCACHE_MAX_TTL;
	if (a->status != DNS_OK && ttl > DNSCACHE_MAX_NEG_TTL)
		ttl = DNSCACHE_MAX_NEG_TTL;
	len = strlen(name);
	e = malloc(sizeof(*e) + len + 1);
	if (e == NULL)
		return -1;
	if ((e->ans = dc_copy(a, ttl)) == NULL) {
		free(e);
		return -1;
	}
	memcpy(e->name, name, len + 1);
	e->type = type;
	e->hash = h = dc_hash(name, type);
	s = &c->shard[h % DNSCACHE_SHARDS];
	pthread_mutex_lock(&s->lock);
	e->expires = c->now() + ttl;
	if ((old = dc_find(s, h, name, type)) != NULL)
		dc_drop(s, old);
	while (s->count >= s->max && s->oldest != NULL)
		dc_drop(s, s->oldest);
	e->chain = s->bucket[h & (s->nbucket - 1)];
	s->bucket[h & (s->nbucket - 1)] = e;
	dc_push(s, e);
	s->count++;
	pthread_mutex_unlock(&s->lock);
	return 1;
}

size_t
dnscache_count(dnscache *c)
{
	size_t i, n = 0;

	for (i = 0; i < DNSCACHE_SHARDS; i++) {
		pthread_mutex_lock(&c->shard[i].lock);
		n += c->shard[i].count;
		pthread_mutex_unlock(&c->shard[i].lock);
	}
	return n;
}
