/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keycache.c - a bounded, least-recently-used cache of parsed private
 * keys keyed by KeyTable key name (see keycache.h): a chained hash for
 * the lookup, a doubly linked list for the order of use.  The file is
 * stat()ed outside the lock before each lookup; a miss is loaded outside
 * the lock too, so two threads missing the same key may both parse it
 * (the later result stays), but no thread waits on another's parse.
 *
 * Memory: each entry owns its strings and one key reference; entries
 * pushed out or replaced are freed after the lock is released.
 */
#define _DEFAULT_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "keycache.h"
#include "keytable.h"

#define KEYCACHE_BUCKETS_MAX ((size_t)1 << 20)

/* What a key file was when read; all zero (and valid) for inline text
 * without a holder. */
struct kc_ident {
	int valid; /* 0: stat failed, never reuse */
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime, ctime;
};

struct kc_entry {
	struct kc_entry *hnext;	      /* hash chain */
	struct kc_entry *prev, *next; /* use order: head is the newest */
	char *name, *spec;
	struct kc_ident id;
	dkimsa_key *key; /* NULL: a cached failure (rc, why) */
	int rc;
	char *why;
	int reported; /* a failure of name was reported at `at` */
	time_t at;
};

struct keycache {
	pthread_mutex_t lock;
	struct kc_entry **bucket;
	size_t nbucket, n, max;
	struct kc_entry *head, *tail;
	struct keycache_stats st;
};

keycache *
keycache_new(size_t max)
{
	keycache *kc = calloc(1, sizeof(*kc));

	if (kc == NULL)
		return NULL;
	kc->max = max ? max : KEYCACHE_DEFAULT_SIZE;
	for (kc->nbucket = 16;
	     kc->nbucket < kc->max && kc->nbucket < KEYCACHE_BUCKETS_MAX;)
		kc->nbucket *= 2;
	kc->bucket = calloc(kc->nbucket, sizeof(*kc->bucket));
	if (kc->bucket == NULL || pthread_mutex_init(&kc->lock, NULL) != 0) {
		free(kc->bucket);
		free(kc);
		return NULL;
	}
	return kc;
}

static size_t
keycache_hash(const keycache *kc, const char *name)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	for (; *name != '\0'; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return h & (kc->nbucket - 1);
}

static struct kc_entry *
keycache_find(const keycache *kc, const char *name)
{
	struct kc_entry *e = kc->bucket[keycache_hash(kc, name)];

	while (e != NULL && strcmp(e->name, name) != 0)
		e = e->hnext;
	return e;
}

static void
keycache_unlist(keycache *kc, struct kc_entry *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		kc->head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		kc->tail = e->prev;
	e->prev = e->next = NULL;
}

static void
keycache_front(keycache *kc, struct kc_entry *e)
{
	e->next = kc->head;
	e->prev = NULL;
	if (kc->head != NULL)
		kc->head->prev = e;
	kc->head = e;
	if (kc->tail == NULL)
		kc->tail = e;
}

/* Takes e out of the hash and the list; the caller frees it. */
static void
keycache_remove(keycache *kc, struct kc_entry *e)
{
	struct kc_entry **p = &kc->bucket[keycache_hash(kc, e->name)];

	while (*p != e)
		p = &(*p)->hnext;
	*p = e->hnext;
	keycache_unlist(kc, e);
	kc->n--;
	e->hnext = NULL;
}

static void
keycache_insert(keycache *kc, struct kc_entry *e)
{
	size_t h = keycache_hash(kc, e->name);

	e->hnext = kc->bucket[h];
	kc->bucket[h] = e;
	keycache_front(kc, e);
	kc->n++;
}

static void
keycache_entry_free(struct kc_entry *e)
{
	while (e != NULL) {
		struct kc_entry *next = e->hnext;

		free(e->name);
		free(e->spec);
		free(e->why);
		dkimsa_key_free(e->key);
		free(e);
		e = next;
	}
}

static void
keycache_stat(const char *path, struct kc_ident *id)
{
	struct stat st;

	memset(id, 0, sizeof(*id));
	if (path == NULL) {
		id->valid = 1;
		return;
	}
	if (stat(path, &st) != 0)
		return;
	id->valid = 1;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	id->size = st.st_size;
	id->mtime = st.st_mtim;
	id->ctime = st.st_ctim;
}

static int
keycache_same(const struct kc_entry *e, const char *spec,
	      const struct kc_ident *id)
{
	return e->id.valid && id->valid && strcmp(e->spec, spec) == 0 &&
	       e->id.dev == id->dev && e->id.ino == id->ino &&
	       e->id.size == id->size &&
	       e->id.mtime.tv_sec == id->mtime.tv_sec &&
	       e->id.mtime.tv_nsec == id->mtime.tv_nsec &&
	       e->id.ctime.tv_sec == id->ctime.tv_sec &&
	       e->id.ctime.tv_nsec == id->ctime.tv_nsec;
}

static time_t
keycache_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

/* 1 when a failure of e's name is due to be reported (and marks it). */
static int
keycache_due(struct kc_entry *e)
{
	time_t now = keycache_now();

	if (e->reported && now - e->at < KEYCACHE_REPORT_SECONDS)
		return 0;
	e->reported = 1;
	e->at = now;
	return 1;
}

/*
 * A new entry for name (the caller holds the lock), replacing the old
 * one, which goes on *drop with those pushed out; NULL when out of
 * memory.
 */
static struct kc_entry *
keycache_put(keycache *kc, const char *name, const char *spec,
	     const struct kc_ident *id, struct kc_entry **drop)
{
	struct kc_entry *old = keycache_find(kc, name), *e, *victim;

	e = calloc(1, sizeof(*e));
	if (e != NULL && ((e->name = strdup(name)) == NULL ||
			  (e->spec = strdup(spec)) == NULL)) {
		keycache_entry_free(e);
		e = NULL;
	}
	if (old != NULL) {
		if (e != NULL) { /* the once-a-minute rule outlives a reload */
			e->reported = old->reported;
			e->at = old->at;
		}
		keycache_remove(kc, old);
		old->hnext = *drop;
		*drop = old;
	}
	if (e == NULL)
		return NULL;
	e->id = *id;
	keycache_insert(kc, e);
	while (kc->n > kc->max && (victim = kc->tail) != e) {
		keycache_remove(kc, victim);
		victim->hnext = *drop;
		*drop = victim;
		kc->st.evicted++;
	}
	return e;
}

/* Reads and parses the key (no lock held). */
static int
keycache_load(const char *spec, const struct keyfile_opts *o,
	      const char *holder, const char *where, dkimsa_key **key,
	      char *err, size_t errlen)
{
	int rc = 0;

	*key = NULL;
	if (!keyfile_is_path(spec))
		rc = keyfile_check_holder(holder, where, o, err, errlen);
	if (rc == 0)
		rc = keyfile_load(spec, o, key, err, errlen);
	return rc;
}

int
keycache_get(keycache *kc, const char *name, const char *spec,
	     const struct keyfile_opts *o, const char *holder,
	     const char *where, dkimsa_key **out, int *report, char *err,
	     size_t errlen)
{
	struct kc_entry *e, *drop = NULL;
	struct kc_ident id;
	dkimsa_key *key;
	char why[1024] = "";
	int rc;

	*out = NULL;
	*report = 0;
	keycache_stat(keyfile_is_path(spec) ? spec : holder, &id);
	pthread_mutex_lock(&kc->lock);
	e = keycache_find(kc, name);
	if (e != NULL && keycache_same(e, spec, &id)) {
		keycache_unlist(kc, e);
		keycache_front(kc, e);
		kc->st.hits++;
		rc = e->rc;
		if (e->key != NULL)
			*out = dkimsa_key_ref(e->key);
		else
			*report = keycache_due(e);
		if (rc != 0)
			kt_err(err, errlen, "%s", e->why ? e->why : "");
		pthread_mutex_unlock(&kc->lock);
		return rc;
	}
	kc->st.loads++;
	pthread_mutex_unlock(&kc->lock);

	rc = keycache_load(spec, o, holder, where, &key, why, sizeof(why));

	pthread_mutex_lock(&kc->lock);
	e = keycache_put(kc, name, spec, &id, &drop);
	if (e != NULL) {
		e->rc = rc;
		e->key = key != NULL ? dkimsa_key_ref(key) : NULL;
		if (rc != 0) {
			e->why = strdup(why);
			*report = keycache_due(e);
		}
	} else if (rc != 0) {
		*report = 1; /* out of memory: say it rather than not */
	}
	pthread_mutex_unlock(&kc->lock);
	keycache_entry_free(drop);
	if (rc != 0)
		kt_err(err, errlen, "%s", why);
	*out = key;
	return rc;
}

int
keycache_report(keycache *kc, const char *name)
{
	static const struct kc_ident none; /* never reused: valid is 0 */
	struct kc_entry *e, *drop = NULL;
	int due = 1;

	pthread_mutex_lock(&kc->lock);
	if ((e = keycache_find(kc, name)) == NULL)
		e = keycache_put(kc, name, "", &none, &drop);
	if (e != NULL)
		due = keycache_due(e);
	pthread_mutex_unlock(&kc->lock);
	keycache_entry_free(drop);
	return due;
}

void
keycache_stats(keycache *kc, struct keycache_stats *st)
{
	pthread_mutex_lock(&kc->lock);
	*st = kc->st;
	st->entries = kc->n;
	pthread_mutex_unlock(&kc->lock);
}

void
keycache_free(keycache *kc)
{
	struct kc_entry *e, *next;

	if (kc == NULL)
		return;
	for (e = kc->head; e != NULL; e = next) {
		next = e->next;
		e->hnext = NULL;
		keycache_entry_free(e);
	}
	pthread_mutex_destroy(&kc->lock);
	free(kc->bucket);
	free(kc);
}
