/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * keycache.h - parsed private keys of KeyTable entries, loaded when a
 * message first needs them and kept in a bounded cache keyed by key name
 * (least recently used out), so that a KeyTable of a million entries
 * costs nothing at start and a key is parsed once, not per message.
 *
 * An entry is used again only while it still describes the key: the
 * KeyTable value names the same key file (or the same inline text) and,
 * for a file, its device, inode, size, mtime and ctime are those it had
 * when it was read (a key replaced on disk, or chmod'ed, is read again).
 * A failure is cached the same way, so a broken key file is not parsed
 * again per message until it changes.  Dropping the cache (SIGHUP) is
 * keycache_free.
 *
 * Threading: any number of threads may call keycache_get at once; the
 * lock is never held while a key file is read or parsed.
 * Memory: keycache_get returns a key reference the caller frees
 * (dkimsa_key_free); the cache holds its own.
 */
#ifndef DKIMSA_KEYCACHE_H
#define DKIMSA_KEYCACHE_H

#include <stddef.h>

#include "dkimsa.h"
#include "keyfile.h"

/* The default size (KeyCacheSize) and how often one key's failure is
 * reported. */
#define KEYCACHE_DEFAULT_SIZE 4096
#define KEYCACHE_REPORT_SECONDS 60

typedef struct keycache keycache;

/* A cache of at most max keys (max 0: KEYCACHE_DEFAULT_SIZE); NULL when
 * out of memory. */
keycache *keycache_new(size_t max);
/*
 * The key of KeyTable entry name whose key file (or inline key text) is
 * spec, loaded with keyfile_load(o) when not cached.  Inline text is
 * first checked where its holder is (keyfile_check_holder(holder,
 * where)).  0 with *out a new reference, or a DKIMSA_E* code with the
 * reason in err.  On failure *report is 1 when the caller should log it:
 * the first failure of name, or the first after KEYCACHE_REPORT_SECONDS.
 */
int keycache_get(keycache *kc, const char *name, const char *spec,
		 const struct keyfile_opts *o, const char *holder,
		 const char *where, dkimsa_key **out, int *report, char *err,
		 size_t errlen);
/*
 * 1 when a failure of name that is not a key's (a bad KeyTable value)
 * should be logged now: the same once-a-minute rule as keycache_get.
 */
int keycache_report(keycache *kc, const char *name);
/* Counters for tests and benchmarks. */
struct keycache_stats {
	size_t entries; /* now in the cache */
	size_t hits;	/* keycache_get answered from the cache */
	size_t loads;	/* key files read and parsed (or tried) */
	size_t evicted; /* pushed out by the bound */
};
void keycache_stats(keycache *kc, struct keycache_stats *st);
void keycache_free(keycache *kc);

#endif
