/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * kt_cache.c - a result cache with a time to live in front of a table
 * whose lookups cost a round trip (dsn:), so that a burst of mail for
 * one domain does not query the server per message.  kt_open puts one in
 * front of every networked table when kt_set_cache_ttl() gave a TTL
 * (TableCacheTTL).  Both answers are kept, "found" with every value and
 * "not found" (most SigningTable probes miss); an error is never kept.
 * An answer older than the TTL is asked again.  At most KT_CACHE_MAX
 * answers: when full, the cache is emptied (a burst refills it at once).
 * Walks go to the table itself.
 *
 * Threading: one mutex per cache, never held during the table's lookup
 * or a callback.  Memory: the cache owns the table behind it and copies
 * of the answers; callbacks get copies that live during the call.
 */
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "keytable.h"

#define KT_CACHE_BUCKETS 1024
#define KT_CACHE_MAX 8192

struct kt_hit {
	struct kt_hit *next;
	char *key;
	char **v; /* n values; n == 0: not found */
	size_t n;
	time_t until;
};

typedef struct kt_cache {
	kt_table t;
	kt_table *inner;
	int ttl;
	pthread_mutex_t lock;
	struct kt_hit *bucket[KT_CACHE_BUCKETS];
	size_t n;
} kt_cache;

/* Values collected from the table. */
struct kt_vals {
	char **v;
	size_t n;
	int nomem;
};

static atomic_int kt_cache_ttl;

void
kt_set_cache_ttl(int seconds)
{
	atomic_store(&kt_cache_ttl, seconds);
}

int
kt_get_cache_ttl(void)
{
	return atomic_load(&kt_cache_ttl);
}

static time_t
kt_cache_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static size_t
kt_cache_hash(const char *key)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *key != '\0'; key++)
		h = (h ^ (unsigned char)*key) * 16777619u;
	return h % KT_CACHE_BUCKETS;
}

static void
kt_vals_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* A copy of v[0..n); NULL when out of memory (or n is 0). */
static char **
kt_vals_copy(char *const *v, size_t n)
{
	char **c = n ? calloc(n, sizeof(*c)) : NULL;
	size_t i;

	for (i = 0; c != NULL && i < n; i++)
		if ((c[i] = strdup(v[i])) == NULL) {
			kt_vals_free(c, i);
			return NULL;
		}
	return c;
}

static int
kt_cache_collect(void *arg, const char *value)
{
	struct kt_vals *vs = arg;
	char **nv = realloc(vs->v, (vs->n + 1) * sizeof(*nv));

	if (nv == NULL || (nv[vs->n] = strdup(value)) == NULL) {
		if (nv != NULL)
			vs->v = nv;
		vs->nomem = 1;
		return 1;
	}
	vs->v = nv;
	vs->n++;
	return 0;
}

static void
kt_cache_clear(kt_cache *c)
{
	struct kt_hit *h, *next;
	size_t i;

	for (i = 0; i < KT_CACHE_BUCKETS; i++) {
		for (h = c->bucket[i]; h != NULL; h = next) {
			next = h->next;
			free(h->key);
			kt_vals_free(h->v, h->n);
			free(h);
		}
		c->bucket[i] = NULL;
	}
	c->n = 0;
}

/*
 * The cached answer for key (the caller holds the lock): 1 with a copy
 * in *vs, 0 when there is none that is fresh.
 */
static int
kt_cache_find(kt_cache *c, const char *key, struct kt_vals *vs)
{
	struct kt_hit **p = &c->bucket[kt_cache_hash(key)], *h;

	while ((h = *p) != NULL && strcmp(h->key, key) != 0)
		p = &h->next;
	if (h == NULL)
		return 0;
	if (h->until <= kt_cache_now()) { /* stale: drop it */
		*p = h->next;
		free(h->key);
		kt_vals_free(h->v, h->n);
		free(h);
		c->n--;
		return 0;
	}
	vs->n = h->n;
	vs->v = kt_vals_copy(h->v, h->n);
	return h->n == 0 || vs->v != NULL;
}

/* Keeps a copy of the answer (the caller holds the lock). */
static void
kt_cache_store(kt_cache *c, const char *key, const struct kt_vals *vs)
{
	struct kt_hit *h = calloc(1, sizeof(*h));
	size_t b = kt_cache_hash(key);

	if (h == NULL || (h->key = strdup(key)) == NULL ||
	    (vs->n > 0 && (h->v = kt_vals_copy(vs->v, vs->n)) == NULL)) {
		if (h != NULL)
			free(h->key);
		free(h);
		return;
	}
	h->n = vs->n;
	h->until = kt_cache_now() + c->ttl;
	if (c->n >= KT_CACHE_MAX)
		kt_cache_clear(c);
	h->next = c->bucket[b];
	c->bucket[b] = h;
	c->n++;
}

static int
kt_cache_lookup(kt_table *t, const char *key, kt_value_fn fn, void *arg,
		char *err, size_t errlen)
{
	kt_cache *c = (kt_cache *)t;
	struct kt_vals vs = {NULL, 0, 0};
	size_t i;
	int hit, rc;

	pthread_mutex_lock(&c->lock);
	hit = kt_cache_find(c, key, &vs);
	pthread_mutex_unlock(&c->lock);
	if (!hit) {
		vs.v = NULL;
		vs.n = 0;
		rc = c->inner->lookup(c->inner, key, kt_cache_collect, &vs, err,
				      errlen);
		if (rc != KT_ERROR && vs.nomem)
			rc = kt_err(err, errlen, "out of memory");
		if (rc == KT_ERROR) {
			kt_vals_free(vs.v, vs.n);
			return KT_ERROR;
		}
		pthread_mutex_lock(&c->lock);
		kt_cache_store(c, key, &vs);
		pthread_mutex_unlock(&c->lock);
	}
	for (i = 0; i < vs.n && fn(arg, vs.v[i]) == 0; i++)
		;
	rc = vs.n > 0 ? KT_FOUND : KT_NOTFOUND;
	kt_vals_free(vs.v, vs.n);
	return rc;
}

static int
kt_cache_walk(kt_table *t, kt_pair_fn fn, void *arg, char *err, size_t errlen)
{
	kt_cache *c = (kt_cache *)t;

	return c->inner->walk(c->inner, fn, arg, err, errlen);
}

static int
kt_cache_reload(kt_table *t, char *err, size_t errlen)
{
	kt_cache *c = (kt_cache *)t;

	return kt_reload(c->inner, err, errlen);
}

static void
kt_cache_close(kt_table *t)
{
	kt_cache *c = (kt_cache *)t;

	kt_cache_clear(c);
	pthread_mutex_destroy(&c->lock);
	kt_close(c->inner);
	kt_free(t);
}

kt_table *
kt_cache_open(kt_table *inner, int ttl)
{
	kt_cache *c;

	if (ttl <= 0 || kt_failed(inner))
		return inner;
	c = (kt_cache *)kt_alloc(sizeof(*c), inner->type, inner->name,
				 inner->flags);
	if (c == NULL) {
		kt_close(inner);
		return NULL;
	}
	pthread_mutex_init(&c->lock, NULL);
	c->inner = inner;
	c->ttl = ttl;
	c->t.props = inner->props;
	c->t.lookup = kt_cache_lookup;
	c->t.walk = kt_cache_walk;
	c->t.reload = inner->reload ? kt_cache_reload : NULL;
	c->t.close = kt_cache_close;
	return &c->t;
}
